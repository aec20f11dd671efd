"""The dated rules and the currency rates: chosen by date, read exactly, checked when read."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from decimal import Decimal

import pytest

from backend.declarations import estimate as computation
from backend.declarations.categories import CATEGORIES, Category, is_alcohol, is_tobacco
from backend.declarations.rules import (
    UNITS,
    Rate,
    all_rules,
    currencies,
    parse_rates,
    parse_rules,
    rate,
    rates_on,
    rule,
    rules_in_force,
    to_euros,
)

D = Decimal


# --- rules --------------------------------------------------------------------------------------------------------


def test_all_rules_are_sorted_by_key_then_valid_from():
    rules = all_rules()
    assert rules == sorted(rules, key=lambda r: (r.key, r.valid_from))
    assert all(r.unit in UNITS and r.label and r.reference for r in rules)


def test_a_changed_rule_ends_the_day_before_its_next_version_begins():
    rules = all_rules()
    for earlier, later in itertools.pairwise(rules):
        if earlier.key == later.key:
            assert earlier.valid_until == later.valid_from - dt.timedelta(days=1), earlier.key


def test_rules_in_force_on_two_dates_give_two_versions_of_the_parcel_duty():
    before = rules_in_force(dt.date(2026, 6, 30))["EU_FLAT_DUTY_PER_CATEGORY"]
    after = rules_in_force(dt.date(2026, 7, 1))["EU_FLAT_DUTY_PER_CATEGORY"]
    assert (before.value, before.valid_until) == (D(0), dt.date(2026, 6, 30))
    assert (after.value, after.valid_from) == (D(3), dt.date(2026, 7, 1))


def test_the_cash_threshold_changed_its_legal_basis_on_3_june_2021():
    old = rule("CASH_DECLARATION_THRESHOLD", dt.date(2021, 6, 2))
    new = rule("CASH_DECLARATION_THRESHOLD", dt.date(2021, 6, 3))
    assert old.value == new.value == D(10000)
    assert "1889/2005" in old.reference
    assert "2018/1672" in new.reference


def test_historical_traveller_allowances_hold_since_december_2008():
    assert rule("TRAVELLER_ALLOWANCE_AIR_SEA", dt.date(2008, 12, 1)).value == D(430)
    assert rule("TRAVELLER_ALLOWANCE_OTHER", dt.date(2026, 12, 1)).value == D(300)
    assert "TRAVELLER_ALLOWANCE_AIR_SEA" not in rules_in_force(dt.date(2008, 11, 30))


def test_the_french_parcel_fee_is_in_force_from_march_to_december_2026_only():
    assert "FR_PARCEL_FEE" not in rules_in_force(dt.date(2026, 2, 28))
    fee = rules_in_force(dt.date(2026, 3, 1))["FR_PARCEL_FEE"]
    assert fee.value == D(2)
    assert "(montant indicatif)" in fee.label
    assert "Loi de finances pour 2026" in fee.reference
    assert "FR_PARCEL_FEE" not in rules_in_force(dt.date(2027, 1, 1))


def test_decimal_values_are_read_exactly():
    assert rule("FLAT_RATE", dt.date(2026, 12, 1)).value == D("2.5")
    assert rule("VAT_REDUCED", dt.date(2026, 12, 1)).value == D("5.5")


def test_a_rule_not_in_force_raises_lookup_error_in_french():
    with pytest.raises(LookupError) as error:
        rule("TRAVELLER_ALLOWANCE_AIR_SEA", dt.date(2000, 1, 1))
    assert str(error.value) == (
        "La règle « Franchise voyageur (avion ou bateau) » n'est pas en vigueur le 01/01/2000 "
        "(en vigueur depuis le 01/12/2008)."
    )
    with pytest.raises(LookupError, match=r"Règle inconnue : NO_SUCH_RULE\."):
        rule("NO_SUCH_RULE", dt.date(2026, 12, 1))


def test_every_rule_the_computation_names_exists():
    keys = {r.key for r in all_rules()}
    named = {
        *computation.ALLOWANCE_KEYS.values(),
        computation.ALLOWANCE_UNDER_15,
        *computation.LIMIT_KEYS.values(),
        computation.MIN_AGE,
        *(info.vat_rule_key for info in CATEGORIES.values()),
        "FLAT_RATE",
        "FLAT_RATE_CEILING",
        "CASH_DECLARATION_THRESHOLD",
        "LOW_VALUE_CEILING",
        "EU_FLAT_DUTY_PER_CATEGORY",
        "FR_PARCEL_FEE",
    }
    assert named <= keys


ROW = """
[[rule]]
key = "K"
value = 1
unit = "EUR"
label = "Libellé"
reference = "Référence"
valid_from = {start}
{end}
"""


def test_two_versions_in_force_on_the_same_day_are_refused():
    text = ROW.format(start="2026-01-01", end="valid_until = 2026-07-01") + ROW.format(start="2026-07-01", end="")
    with pytest.raises(ValueError, match="two versions of K"):
        parse_rules(text)


def test_an_open_ended_version_followed_by_another_is_refused():
    with pytest.raises(ValueError, match="two versions of K"):
        parse_rules(ROW.format(start="2026-01-01", end="") + ROW.format(start="2026-07-01", end=""))


def test_a_broken_rule_row_is_refused():
    with pytest.raises(ValueError, match="valid_until is before valid_from"):
        parse_rules(ROW.format(start="2026-07-01", end="valid_until = 2026-06-30"))
    with pytest.raises(ValueError, match="unit must be one of"):
        parse_rules(ROW.format(start="2026-07-01", end="").replace('"EUR"', '"USD"'))
    with pytest.raises(ValueError, match="dates"):
        parse_rules(ROW.format(start='"2026-07-01"', end=""))


# --- rates --------------------------------------------------------------------------------------------------------


def test_currencies_put_the_euro_first_then_the_table_sorted():
    names = currencies()
    assert names[0] == "EUR"
    assert names[1:] == sorted(names[1:])
    assert {"USD", "GBP", "CHF", "CNY", "JPY", "CAD", "MAD", "TND", "TRY"} <= set(names)


def test_the_euro_rate_is_one_on_any_day():
    assert rate("EUR", dt.date(1999, 1, 1)) == Rate("EUR", D(1), dt.date(1999, 1, 1))


def test_a_weekend_takes_the_latest_rate_before_it():
    saturday = dt.date(2026, 12, 5)
    assert rate("USD", saturday) == Rate("USD", D("1.1627"), dt.date(2026, 12, 4))
    assert rates_on(saturday)["JPY"].on == dt.date(2026, 12, 4)
    assert rate("USD", dt.date(2026, 7, 14)).on == dt.date(2026, 6, 1)


def test_no_rate_before_the_first_one_nor_for_an_unknown_currency():
    assert rate("USD", dt.date(2026, 5, 31)) is None
    assert rates_on(dt.date(2026, 5, 31)) == {}
    assert rate("XYZ", dt.date(2026, 12, 1)) is None


def test_to_euros_rounds_to_the_cent_half_up():
    euros, used = to_euros(D("100"), "USD", dt.date(2026, 12, 1))
    assert used == Rate("USD", D("1.1598"), dt.date(2026, 12, 1))
    assert euros == D("86.22")  # 86.2217…
    assert to_euros(D("12.345"), "EUR", dt.date(2026, 12, 1))[0] == D("12.35")


def test_to_euros_explains_in_french_what_is_missing():
    with pytest.raises(LookupError, match=r"Devise inconnue : XYZ\."):
        to_euros(D(1), "XYZ", dt.date(2026, 12, 1))
    with pytest.raises(LookupError) as error:
        to_euros(D(1), "USD", dt.date(2026, 5, 31))
    assert (
        str(error.value)
        == "Aucun taux de change USD n'est connu au 31/05/2026 (le plus ancien est du 01/06/2026)."
    )


def test_a_broken_rates_table_is_refused():
    with pytest.raises(ValueError, match="not a foreign ISO 4217 code"):
        parse_rates("[[day]]\non = 2026-06-01\nEUR = 1\n")
    with pytest.raises(ValueError, match="appears twice"):
        parse_rates("[[day]]\non = 2026-06-01\nUSD = 1.1\n[[day]]\non = 2026-06-01\nUSD = 1.2\n")
    with pytest.raises(ValueError, match="> 0"):
        parse_rates("[[day]]\non = 2026-06-01\nUSD = 0\n")


# --- categories ---------------------------------------------------------------------------------------------------


def test_every_category_has_its_information():
    assert set(CATEGORIES) == set(Category)
    for category, info in CATEGORIES.items():
        assert info.category is category
        assert info.vat_rule_key in {"VAT_STANDARD", "VAT_REDUCED"}
        assert re.fullmatch(r"\d{4,6}", info.tariff_heading) or category is Category.OTHER
        excise = is_tobacco(category) or is_alcohol(category)
        assert (info.quantity_unit is not None) == excise == (info.quantity_label is not None)
    assert CATEGORIES[Category.BOOKS].vat_rule_key == CATEGORIES[Category.FOOD].vat_rule_key == "VAT_REDUCED"
    assert CATEGORIES[Category.SPIRITS].label == "Alcools forts (plus de 22 %)"
    assert CATEGORIES[Category.CIGARETTES].quantity_label == "nombre de cigarettes"


def test_tariff_headings_are_distinct_except_cigars_and_cigarillos():
    headings = [
        info.tariff_heading for c, info in CATEGORIES.items() if c not in (Category.CIGARS, Category.OTHER)
    ]
    assert len(headings) == len(set(headings))
    assert CATEGORIES[Category.CIGARS].tariff_heading == CATEGORIES[Category.CIGARILLOS].tariff_heading
