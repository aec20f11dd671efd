"""When a representation mandate holds: the one rule, in Python (a row at hand) and in SQL (a filter).

A mandate holds on a French calendar day (see `backend.clock`) from `valid_from` to `valid_until` included, until it
is ended.
"""

from __future__ import annotations

import datetime as dt
import enum

import sqlalchemy as sa

from backend.identity.models import Representation


class MandateStatus(enum.StrEnum):
    UPCOMING = "upcoming"
    ACTIVE = "active"
    EXPIRED = "expired"
    ENDED = "ended"

    @property
    def label(self) -> str:
        return {"upcoming": "à venir", "active": "en cours", "expired": "échu", "ended": "terminé"}[self.value]


def mandate_status(mandate: Representation, day: dt.date) -> MandateStatus:
    """The mandate's status on the French calendar day `day`."""
    if mandate.ended_at is not None:
        return MandateStatus.ENDED
    if mandate.valid_from > day:
        return MandateStatus.UPCOMING
    if mandate.valid_until is not None and mandate.valid_until < day:
        return MandateStatus.EXPIRED
    return MandateStatus.ACTIVE


def active_on(day: dt.date) -> sa.ColumnElement[bool]:
    """SQL: the mandates whose status on `day` is ACTIVE (the same rule as `mandate_status`)."""
    return sa.and_(
        Representation.ended_at.is_(None),
        Representation.valid_from <= day,
        sa.or_(Representation.valid_until.is_(None), Representation.valid_until >= day),
    )
