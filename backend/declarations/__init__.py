"""Private persons' declarations (particuliers): goods a traveller carries in their luggage on arriving from outside
the European Union, or an online purchase delivered from outside the Union, and an estimate of what is owed — the
value allowance, the tobacco and alcohol limits, the flat-rate customs duty, the low-value parcel duty and VAT —
each line explained in plain French, each figure a dated rule kept as data (`data/rules.toml`, `data/rates.toml`)
so that a change in the law is a new row, not a change of code. The estimate is a pure computation
(`estimate.py`): no database, no network."""
