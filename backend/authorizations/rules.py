"""The authorisation's legal rules, as data: validity limits per procedure (UCC DA art. 173), the reference, what an
authorisation is on a given day (from its dates and measures), and when its renewal may be asked."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from backend.authorizations.models import Authorization, AuthorizationState
from backend.config import Settings
from backend.dossiers.catalogue import Procedure

# UCC DA art. 173: at most 5 years, 3 for goods of Annex 71-02; customs warehousing is not time-limited. Temporary
# admission has no fixed limit there: a setting (`temporary_admission_max_years`).
VALIDITY_YEARS: dict[Procedure, int | None] = {
    Procedure.INWARD_PROCESSING: 5,
    Procedure.OUTWARD_PROCESSING: 5,
    Procedure.END_USE: 5,
    Procedure.CUSTOMS_WAREHOUSING: None,
}
ANNEX_71_02_YEARS = 3
MAX_CONDITIONS = 4000
MAX_REFERENCE = 35


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day `years` later (29 February becomes 28 February in a common year)."""
    year = day.year + years
    return day.replace(year=year, day=min(day.day, calendar.monthrange(year, day.month)[1]))


def max_years(procedure: Procedure, annex_71_02: bool, settings: Settings) -> int | None:
    """The longest validity of an authorisation of `procedure`, in years; None: not time-limited."""
    if procedure is Procedure.TEMPORARY_ADMISSION:
        years: int | None = settings.temporary_admission_max_years
    else:
        years = VALIDITY_YEARS[procedure]
    if years is not None and annex_71_02 and procedure is not Procedure.TEMPORARY_ADMISSION:
        return min(years, ANNEX_71_02_YEARS)
    return years


@dataclass(frozen=True)
class GrantTerms:
    """What customs set when granting: the validity and the conditions."""

    valid_from: dt.date | None
    valid_until: dt.date | None
    conditions: str = ""
    annex_71_02: bool = False


def validity_problems(
    procedure: Procedure, terms: GrantTerms, today: dt.date, settings: Settings
) -> list[tuple[str, str]]:
    """Every problem of the grant's terms, each naming its field (validFrom, validUntil, conditions)."""
    problems: list[tuple[str, str]] = []
    years = max_years(procedure, terms.annex_71_02, settings)
    start = terms.valid_from
    if start is None:
        problems.append(("validFrom", "Indiquez la date de début de validité."))
    elif start < today:
        problems.append(("validFrom", "La validité ne peut commencer avant le jour de la décision."))
    end = terms.valid_until
    if years is None:
        if end is not None:
            problems.append(
                ("validUntil", "L'entrepôt douanier n'est pas limité dans le temps : laissez la date de fin vide.")
            )
    elif end is None:
        problems.append(("validUntil", "Indiquez la date de fin de validité."))
    elif start is not None and end <= start:
        problems.append(("validUntil", "La date de fin doit suivre la date de début."))
    elif start is not None and end >= add_years(start, years):
        last = add_years(start, years) - dt.timedelta(days=1)
        why = " (marchandises de l'annexe 71-02)" if terms.annex_71_02 and years == ANNEX_71_02_YEARS else ""
        problems.append(
            (
                "validUntil",
                f"La validité est limitée à {years} ans{why} (AD CDU, art. 173) : "
                f"au plus tard le {last:%d/%m/%Y}.",
            )
        )
    if len(terms.conditions) > MAX_CONDITIONS:
        problems.append(("conditions", f"Les conditions sont trop longues ({MAX_CONDITIONS} caractères au plus)."))
    return problems


def reference(authorisation_type: str, number: int, settings: Settings) -> str:
    """Country code, authorisation type and national number (FRIPO000001), by the setting's format; the number is
    the authorisation's id, so a reference is never reused."""
    value = settings.authorization_reference_format.format(type=authorisation_type, number=number)
    if len(value) > MAX_REFERENCE:
        raise ValueError(f"reference {value!r} longer than {MAX_REFERENCE} characters")
    return value


def state_on(authorization: Authorization, day: dt.date) -> AuthorizationState:
    """What the authorisation is on `day` (a French calendar day). Mirrored in SQL by `state_condition`."""
    if authorization.annulled_on is not None:
        return AuthorizationState.ANNULLED
    if authorization.revoked_from is not None and day >= authorization.revoked_from:
        return AuthorizationState.REVOKED
    if authorization.valid_until is not None and day > authorization.valid_until:
        return AuthorizationState.EXPIRED
    if day < authorization.valid_from:
        return AuthorizationState.NOT_YET_VALID
    if _suspended(authorization.suspended_from, authorization.suspended_until, day):
        return AuthorizationState.SUSPENDED
    return AuthorizationState.ACTIVE


def _suspended(start: dt.date | None, end: dt.date | None, day: dt.date) -> bool:
    return start is not None and start <= day and (end is None or day <= end)


def state_condition(state: AuthorizationState, day: dt.date) -> sa.ColumnElement[bool]:
    """The SQL filter of the authorisations that are in `state` on `day` (the same order of precedence as
    `state_on`)."""
    a = Authorization
    annulled = a.annulled_on.is_not(None)
    revoked = sa.and_(a.revoked_from.is_not(None), a.revoked_from <= day)
    expired = sa.and_(a.valid_until.is_not(None), a.valid_until < day)
    not_yet = a.valid_from > day
    suspended = sa.and_(
        a.suspended_from.is_not(None),
        a.suspended_from <= day,
        sa.or_(a.suspended_until.is_(None), a.suspended_until >= day),
    )
    order = [
        (AuthorizationState.ANNULLED, annulled),
        (AuthorizationState.REVOKED, revoked),
        (AuthorizationState.EXPIRED, expired),
        (AuthorizationState.NOT_YET_VALID, not_yet),
        (AuthorizationState.SUSPENDED, suspended),
    ]
    earlier: list[sa.ColumnElement[bool]] = []
    for candidate, condition in order:
        if candidate is state:
            return sa.and_(condition, *[sa.not_(c) for c in earlier])
        earlier.append(condition)
    return sa.and_(*[sa.not_(c) for c in earlier])  # ACTIVE: none of the above


def renewal_open(authorization: Authorization, day: dt.date, settings: Settings) -> bool:
    """« Demander le renouvellement » is offered from `renewal_window_days` before the end of validity to its last
    day, while the authorisation is in force (or suspended)."""
    if authorization.valid_until is None:
        return False
    if state_on(authorization, day) not in (AuthorizationState.ACTIVE, AuthorizationState.SUSPENDED):
        return False
    return authorization.valid_until - dt.timedelta(days=settings.renewal_window_days) <= day
