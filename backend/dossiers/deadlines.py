"""Time limits of the decision phase (UCC art. 22-28): acceptance within 30 days of submission, decision within 120
days of acceptance (customs may extend it, saying why and until when), right to be heard 30 days; a complement asked
for is due within 30 days (UCC art. 22(2)), and once given the acceptance time runs again from the new submission. The durations are
settings; "now" is always passed in, so tests control the clock. Deadlines are French calendar days (`backend.clock`):
a time limit starts on the day it is in Paris when the step happened, and a dossier is overdue from the day after its
due day, in Paris."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from backend.clock import french_day
from backend.config import Settings
from backend.dossiers.models import Dossier, DossierStatus


@dataclass(frozen=True)
class Deadline:
    kind: str  # acceptance | complement | decision | hearing
    label: str
    due: dt.date
    overdue: bool
    extended: bool = False
    extension_reason: str | None = None


def decision_deadline_from(accepted_at: dt.datetime, settings: Settings) -> dt.date:
    return french_day(accepted_at) + dt.timedelta(days=settings.decision_days)


def current_deadline(dossier: Dossier, settings: Settings, now: dt.datetime) -> Deadline | None:
    today = french_day(now)
    status = dossier.status
    if status is DossierStatus.SUBMITTED and dossier.submitted_at:
        due = french_day(dossier.submitted_at) + dt.timedelta(days=settings.acceptance_days)
        return Deadline("acceptance", "Délai d'acceptation de la demande", due, today > due)
    if status is DossierStatus.ACCEPTED and dossier.accepted_at:
        due = dossier.decision_deadline or decision_deadline_from(dossier.accepted_at, settings)
        extended = dossier.deadline_extension_reason is not None
        return Deadline(
            "decision", "Délai de décision", due, today > due, extended, dossier.deadline_extension_reason
        )
    if status is DossierStatus.COMPLEMENT_REQUESTED and dossier.complement_requested_at:
        due = french_day(dossier.complement_requested_at) + dt.timedelta(days=settings.complement_days)
        return Deadline("complement", "Délai pour fournir le complément", due, today > due)
    if status is DossierStatus.HEARING and dossier.hearing_started_at:
        due = french_day(dossier.hearing_started_at) + dt.timedelta(days=settings.hearing_days)
        return Deadline("hearing", "Délai du droit d'être entendu", due, today > due)
    return None
