"""A dossier's history: every change that matters writes one row in the same transaction as the change, and its id
is published on the event hub once that transaction has committed (never before: a listener could not read it).

The events of one dossier commit in the order of their ids: each is written under the dossier's row lock, held
until its commit (on SQLite, the single writer does the same). So once event N of a dossier is read, every event of
that dossier with a lower id is there too: a subscriber that resumes after the last id it received misses nothing
and receives nothing twice."""

from __future__ import annotations

import datetime as dt
import enum

import sqlalchemy as sa
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.dossiers.models import Dossier, DossierEvent, DossierStatus
from backend.dossiers.notify import publish


class EventKind(enum.StrEnum):
    """What a history row records: a step that keeps the status, or the workflow action that changed it (the
    values of workflow.Action, except submit, which is recorded as submitted or resubmitted)."""

    CREATED = "created"
    SUBMITTED = "submitted"
    RESUBMITTED = "resubmitted"
    ATTACHMENT_ADDED = "attachment_added"
    ATTACHMENT_REMOVED = "attachment_removed"
    COMMENT = "comment"
    TAKEN = "taken"
    DEADLINE_EXTENDED = "deadline_extended"
    REQUEST_COMPLEMENT = "request_complement"
    ACCEPT = "accept"
    NOT_ACCEPT = "not_accept"
    NOTIFY_INTENDED_REFUSAL = "notify_intended_refusal"
    GRANT = "grant"
    REFUSE = "refuse"
    WITHDRAW = "withdraw"

    @property
    def label(self) -> str:
        return EVENT_LABELS[self]


EVENT_LABELS = {
    EventKind.CREATED: "Dossier créé",
    EventKind.SUBMITTED: "Dossier déposé",
    EventKind.RESUBMITTED: "Dossier déposé à nouveau (complément apporté)",
    EventKind.ATTACHMENT_ADDED: "Pièce jointe ajoutée",
    EventKind.ATTACHMENT_REMOVED: "Pièce jointe retirée",
    EventKind.COMMENT: "Commentaire",
    EventKind.TAKEN: "Dossier pris en charge par la douane",
    EventKind.DEADLINE_EXTENDED: "Délai de décision prolongé",
    EventKind.REQUEST_COMPLEMENT: "Complément demandé",
    EventKind.ACCEPT: "Demande acceptée : instruction en cours",
    EventKind.NOT_ACCEPT: "Demande non acceptée",
    EventKind.NOTIFY_INTENDED_REFUSAL: "Intention de refus notifiée : droit d'être entendu",
    EventKind.GRANT: "Autorisation octroyée",
    EventKind.REFUSE: "Demande refusée",
    EventKind.WITHDRAW: "Demande retirée par le demandeur",
}


async def record_and_commit(
    session: AsyncSession,
    dossier: Dossier,
    kind: EventKind,
    *,
    actor_id: int,
    at: dt.datetime,
    from_status: DossierStatus | None = None,
    to_status: DossierStatus | None = None,
    message: str = "",
) -> DossierEvent:
    """Write the event `kind` in the dossier's history, commit it with the change the session holds, re-read the
    dossier (a change made by an SQL UPDATE is not in the object yet) and publish the event."""
    # The dossier's row lock before the event takes its id (from the insert at commit): ids of one dossier commit in
    # order (see the module's docstring). Already held when the change locked the dossier: then free.
    await session.exec(sa.select(Dossier.id).where(Dossier.id == dossier.id).with_for_update())
    event = DossierEvent(
        dossier_id=dossier.id,
        kind=kind.value,
        actor_id=actor_id,
        from_status=from_status.value if from_status else None,
        to_status=to_status.value if to_status else None,
        message=message,
        at=at,
    )
    session.add(event)
    await session.commit()
    await session.refresh(dossier)
    await publish(session, dossier, event)
    return event
