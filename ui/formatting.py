"""How values read in French: dates in Paris time, SIRET/SIREN grouped, numbers with a decimal comma. What a right or
a status is called is the API's (labels it sends), never spelt here."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

try:
    PARIS: dt.tzinfo = ZoneInfo("Europe/Paris")
except ZoneInfoNotFoundError:  # a system without a time zone database
    PARIS = dt.UTC


def date_time(value: str | None) -> str:
    """'2026-11-23T17:14:33+00:00' → '23/11/2026 à 18:14' (Paris time); '' when absent."""
    if not value:
        return ""
    moment = dt.datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(PARIS).strftime("%d/%m/%Y à %H:%M")


def date(value: str | None) -> str:
    """'2026-01-01' → '01/01/2026'; '' when absent."""
    if not value:
        return ""
    return dt.date.fromisoformat(value[:10]).strftime("%d/%m/%Y")


def siret(value: str | None) -> str:
    """'55210055400013' → '552 100 554 00013' (SIREN in groups of three, then the establishment number)."""
    if not value:
        return ""
    if len(value) == 14 and value.isdigit():
        return f"{value[:3]} {value[3:6]} {value[6:9]} {value[9:]}"
    return value


def siren(value: str | None) -> str:
    if value and len(value) == 9 and value.isdigit():
        return f"{value[:3]} {value[3:6]} {value[6:]}"
    return value or ""


def today_iso() -> str:
    return dt.datetime.now(PARIS).date().isoformat()


def number(value: str | None) -> str:
    """'1234.50' → '1 234,50' (French grouping and decimal comma); '' when absent."""
    if value is None or value == "":
        return ""
    sign = "-" if value.startswith("-") else ""
    whole, _, decimals = value.lstrip("-").partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sign + "\u00a0".join(groups) + ("," + decimals if decimals else "")
