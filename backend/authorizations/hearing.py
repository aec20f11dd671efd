"""The right to be heard before a measure that adversely affects the holder (UCC art. 22(6), applied to
authorisations by art. 23(3)): customs first tell the holder the measure they intend and its grounds; the holder has
HEARING_DAYS to present observations; the measure is decided once they have answered or their time is over. A
suspension or a revocation the holder asked for is not adverse: no hearing (see measures.py)."""

from __future__ import annotations

import datetime as dt
import enum

from backend.authorizations.models import Authorization
from backend.clock import french_day
from backend.config import Settings
from backend.errors import DomainError


class AdverseMeasure(enum.StrEnum):
    SUSPEND = "suspend"
    REVOKE = "revoke"
    ANNUL = "annul"

    @property
    def label(self) -> str:
        return {"suspend": "la suspension", "revoke": "la révocation", "annul": "l'annulation"}[self.value]


class HearingRefused(DomainError):
    code = "FORBIDDEN_TRANSITION"


def deadline(authorization: Authorization, settings: Settings) -> dt.date | None:
    """The last day the holder may present observations (None: no measure intended)."""
    if authorization.intended_measure is None or authorization.hearing_started_at is None:
        return None
    return french_day(authorization.hearing_started_at) + dt.timedelta(days=settings.hearing_days)


def time_over(authorization: Authorization, today: dt.date, settings: Settings) -> bool:
    due = deadline(authorization, settings)
    return due is not None and today > due


def heard(authorization: Authorization, measure: AdverseMeasure, today: dt.date, settings: Settings) -> bool:
    """The holder has been heard on `measure`: told of it, and they answered or their time is over."""
    return authorization.intended_measure == measure.value and (
        authorization.hearing_answered_at is not None or time_over(authorization, today, settings)
    )


def may_answer(authorization: Authorization, today: dt.date, settings: Settings) -> bool:
    """A measure is intended, the holder has not answered yet and their time runs."""
    return (
        authorization.intended_measure is not None
        and authorization.hearing_answered_at is None
        and not time_over(authorization, today, settings)
    )


def require_heard(
    authorization: Authorization, measure: AdverseMeasure, today: dt.date, settings: Settings
) -> None:
    """HearingRefused, saying what to do first, unless the holder has been heard on `measure`."""
    if heard(authorization, measure, today, settings):
        return
    if authorization.intended_measure == measure.value:
        raise HearingRefused(
            f"Le titulaire a jusqu'au {deadline(authorization, settings):%d/%m/%Y} pour présenter ses observations "
            f"(droit d'être entendu) : {measure.label} pourra être décidée dès sa réponse ou à la fin de ce délai."
        )
    if authorization.intended_measure is not None:
        other = AdverseMeasure(authorization.intended_measure).label
        raise HearingRefused(f"Une autre mesure est envisagée ({other}) : décidez-la ou abandonnez-la d'abord.")
    raise HearingRefused(
        f"Avant de décider {measure.label}, notifiez la mesure envisagée et ses motifs au titulaire : il a "
        f"{settings.hearing_days} jours pour présenter ses observations (droit d'être entendu, CDU, art. 22, § 6)."
    )


def close(authorization: Authorization) -> None:
    """The hearing ends: the measure was decided or dropped."""
    authorization.intended_measure = authorization.intended_reason = None
    authorization.hearing_started_at = authorization.hearing_answered_at = None
