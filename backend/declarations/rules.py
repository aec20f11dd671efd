"""The dated rules and the currency rates of the private persons' estimate, read from `data/rules.toml` and
`data/rates.toml`: which version of a rule is in force on a day, and which rate converts an amount of that day.

A rule's version holds from `valid_from` to `valid_until` (both inclusive; None: no end). The files are checked
when first read (units, dates, no two versions of a key in force on the same day): a broken file fails loudly."""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import re
import tomllib
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data"
UNITS = frozenset({"EUR", "PERCENT", "UNITS", "GRAMS", "LITRES", "YEARS"})
EURO = "EUR"
CENT = Decimal("0.01")
_CURRENCY = re.compile(r"^[A-Z]{3}$")


def to_cents(amount: Decimal) -> Decimal:
    """`amount` rounded to the cent, half up (the end of a line)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def day_text(day: dt.date) -> str:
    return f"{day:%d/%m/%Y}"


# --- rules --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    key: str
    value: Decimal
    unit: str
    label: str  # French, shown to the user
    reference: str  # French legal reference
    valid_from: dt.date
    valid_until: dt.date | None  # inclusive; None: no end

    def in_force(self, on: dt.date) -> bool:
        return self.valid_from <= on and (self.valid_until is None or on <= self.valid_until)


def parse_rules(text: str) -> tuple[Rule, ...]:
    """The rules of a rules.toml text, sorted by key then valid_from; ValueError on a broken file."""
    data = tomllib.loads(text, parse_float=Decimal)
    rules = [_rule(number, row) for number, row in enumerate(data.get("rule", []), start=1)]
    rules.sort(key=lambda r: (r.key, r.valid_from))
    for earlier, later in itertools.pairwise(rules):
        if earlier.key == later.key and (earlier.valid_until is None or earlier.valid_until >= later.valid_from):
            raise ValueError(
                f"rules.toml: two versions of {earlier.key} are in force on {later.valid_from} "
                f"(the earlier one must end by {later.valid_from - dt.timedelta(days=1)})"
            )
    return tuple(rules)


def _rule(number: int, row: dict[str, Any]) -> Rule:
    where = f"rules.toml, rule {number} ({row.get('key', '?')})"
    for name in ("key", "value", "unit", "label", "reference", "valid_from"):
        if name not in row:
            raise ValueError(f"{where}: {name} is missing")
    unknown = set(row) - {"key", "value", "unit", "label", "reference", "valid_from", "valid_until"}
    if unknown:
        raise ValueError(f"{where}: unknown field(s) {sorted(unknown)}")
    value = row["value"]
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise ValueError(f"{where}: value must be a number")
    value = Decimal(value)
    if not value.is_finite() or value < 0:
        raise ValueError(f"{where}: value must be a number ≥ 0")
    if row["unit"] not in UNITS:
        raise ValueError(f"{where}: unit must be one of {sorted(UNITS)}")
    start, end = row["valid_from"], row.get("valid_until")
    if not _is_day(start) or (end is not None and not _is_day(end)):
        raise ValueError(f"{where}: valid_from and valid_until are dates (YYYY-MM-DD)")
    if end is not None and end < start:
        raise ValueError(f"{where}: valid_until is before valid_from")
    for name in ("key", "label", "reference"):
        if not isinstance(row[name], str) or not row[name].strip():
            raise ValueError(f"{where}: {name} must be a non-empty text")
    return Rule(row["key"], value, row["unit"], row["label"], row["reference"], start, end)


def _is_day(value: Any) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


@functools.cache
def _rules() -> tuple[Rule, ...]:
    return parse_rules((DATA / "rules.toml").read_text(encoding="utf-8"))


def all_rules() -> list[Rule]:
    """Every version of every rule, sorted by key then valid_from."""
    return list(_rules())


def rules_in_force(on: dt.date) -> dict[str, Rule]:
    """Each rule key in force on `on` → its version of that day (a key not in force that day is absent)."""
    return {r.key: r for r in _rules() if r.in_force(on)}


def rule(key: str, on: dt.date) -> Rule:
    """The version of `key` in force on `on`; LookupError (French message) when there is none."""
    versions = [r for r in _rules() if r.key == key]
    if not versions:
        raise LookupError(f"Règle inconnue : {key}.")
    for version in versions:
        if version.in_force(on):
            return version
    spans = ", ".join(_span(v) for v in versions)
    raise LookupError(f"La règle « {versions[-1].label} » n'est pas en vigueur le {day_text(on)} ({spans}).")


def _span(version: Rule) -> str:
    if version.valid_until is None:
        return f"en vigueur depuis le {day_text(version.valid_from)}"
    return f"en vigueur du {day_text(version.valid_from)} au {day_text(version.valid_until)}"


# --- currency rates -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rate:
    currency: str  # ISO 4217
    per_euro: Decimal  # 1 EUR = per_euro units of currency
    on: dt.date  # the day the rate is from


def parse_rates(text: str) -> dict[str, tuple[Rate, ...]]:
    """The rates of a rates.toml text: currency → its rates, oldest first; ValueError on a broken file."""
    data = tomllib.loads(text, parse_float=Decimal)
    table: dict[str, list[Rate]] = {}
    days: set[dt.date] = set()
    for number, row in enumerate(data.get("day", []), start=1):
        day = row.get("on")
        if not _is_day(day):
            raise ValueError(f"rates.toml, day {number}: `on` must be a date (YYYY-MM-DD)")
        if day in days:
            raise ValueError(f"rates.toml: {day} appears twice")
        days.add(day)
        for currency, value in row.items():
            if currency == "on":
                continue
            if not _CURRENCY.match(currency) or currency == EURO:
                raise ValueError(f"rates.toml, {day}: {currency!r} is not a foreign ISO 4217 code")
            if isinstance(value, bool) or not isinstance(value, int | Decimal) or not Decimal(value) > 0:
                raise ValueError(f"rates.toml, {day}, {currency}: the rate must be a number > 0")
            table.setdefault(currency, []).append(Rate(currency, Decimal(value), day))
    return {currency: tuple(sorted(rates, key=lambda r: r.on)) for currency, rates in table.items()}


@functools.cache
def _rates() -> dict[str, tuple[Rate, ...]]:
    return parse_rates((DATA / "rates.toml").read_text(encoding="utf-8"))


def currencies() -> list[str]:
    """ "EUR" first, then every currency of the rates table, sorted."""
    return [EURO, *sorted(_rates())]


def rate(currency: str, on: dt.date) -> Rate | None:
    """The latest rate of `currency` dated on or before `on` (EUR: 1, of that day); None for an unknown currency or
    when the table has no rate that early."""
    code = currency.strip().upper()
    if code == EURO:
        return Rate(EURO, Decimal(1), on)
    found = None
    for candidate in _rates().get(code, ()):
        if candidate.on > on:
            break
        found = candidate
    return found


def rates_on(on: dt.date) -> dict[str, Rate]:
    """For each currency of the table, its latest rate dated on or before `on` (a currency without one is absent)."""
    found = {currency: rate(currency, on) for currency in _rates()}
    return {currency: r for currency, r in found.items() if r is not None}


def to_euros(amount: Decimal, currency: str, on: dt.date) -> tuple[Decimal, Rate]:
    """`amount` of `currency` in euros (rounded to the cent) at the rate of `on`, and that rate; LookupError (French
    message) for an unknown currency or a day before any rate."""
    found = rate(currency, on)
    if found is None:
        code = currency.strip().upper()
        known = _rates().get(code)
        if not known:
            raise LookupError(f"Devise inconnue : {currency}.")
        raise LookupError(
            f"Aucun taux de change {code} n'est connu au {day_text(on)} "
            f"(le plus ancien est du {day_text(known[0].on)})."
        )
    return to_cents(amount / found.per_euro), found
