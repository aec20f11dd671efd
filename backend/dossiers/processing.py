"""The decision phase: customs steps, the applicant's withdrawal, comments, the decision deadline's extension.

Each step asks the access policy (who), the workflow (which status may follow which, what it requires) and writes
one history row in the same transaction as the change; the row's id is published after commit.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.authorizations import issuing
from backend.authorizations.notify import publish as publish_authorization
from backend.authorizations.rules import GrantTerms
from backend.clock import paris_today
from backend.db import utcnow
from backend.dossiers.deadlines import current_deadline, decision_deadline_from
from backend.dossiers.history import EventKind, record_and_commit
from backend.dossiers.models import STATUS_LABELS, Dossier, DossierEvent, DossierStatus
from backend.dossiers.reading import get_dossier
from backend.dossiers.workflow import (
    OPEN_FOR_CUSTOMS,
    Action,
    ForbiddenTransition,
    Offer,
    Side,
    Step,
    offers,
    transition,
)
from backend.errors import DomainError
from backend.identity.models import Right
from backend.identity.policy import Access, require_actor
from backend.identity.policy.dossiers import (
    may_act_as_customs,
    may_on_dossier,
    require_customs_of,
    require_dossier_reader,
    require_dossier_right,
)

MAX_MESSAGE = 4000


class TransitionRefused(DomainError):
    code = "FORBIDDEN_TRANSITION"


def _message(text: str | None, required: bool, label: str, field: str = "message") -> str:
    text = (text or "").strip()
    if required and not text:
        raise DomainError(f"{label} : ce message est obligatoire.", code="MESSAGE_REQUIRED", field=field)
    if len(text) > MAX_MESSAGE:
        raise DomainError(
            f"Le message est trop long ({MAX_MESSAGE} caractères au plus).", code="INVALID", field=field
        )
    return text


def actions_for(access: Access, dossier: Dossier) -> list[Offer]:
    """What the actor may do now on a dossier they see (the buttons of the dossier's page): the workflow's offers to
    their side that their right allows. Customs are not offered to take a dossier they already took."""
    if access.is_officer:
        if not may_act_as_customs(access, dossier):
            return []
        me = access.actor.user_id  # type: ignore[union-attr]
        return [
            o
            for o in offers(dossier.status, Side.CUSTOMS)
            if not (o.code == Step.TAKE and dossier.assigned_officer_id == me)
        ]
    return [
        o
        for o in offers(dossier.status, Side.APPLICANT)
        if may_on_dossier(access, dossier, o.right or Right.SUBMIT)
    ]


def assigned_officer_visible(access: Access, dossier: Dossier) -> bool:
    """Which officer took a dossier is internal to its customs office: shown to its officers only."""
    return may_act_as_customs(access, dossier)


async def act(
    session: AsyncSession,
    access: Access,
    dossier_id: int,
    action: Action,
    *,
    message: str | None = None,
    grant: GrantTerms | None = None,
    now: dt.datetime | None = None,
) -> Dossier:
    """Apply one workflow action (every action but SUBMIT, which checks the form: see filing.submit_dossier).
    GRANT issues the authorisation with `grant`'s validity and conditions (without: from today, not time-limited,
    which only customs warehousing allows)."""
    now = now or utcnow()
    require_actor(access)
    dossier = await get_dossier(session, access, dossier_id)
    try:
        step = transition(action, dossier.status)
    except ForbiddenTransition as error:
        # Say who may act before saying when: a professional asking a customs action is told it is not theirs.
        if action is not Action.WITHDRAW:
            require_customs_of(access, dossier)
        else:
            require_dossier_right(access, dossier, Right.SUBMIT)
        raise TransitionRefused(error.message) from None
    if step.side is Side.CUSTOMS:
        require_customs_of(access, dossier)
    else:
        require_dossier_right(access, dossier, Right.SUBMIT)
    text = _message(message, step.needs_message, step.message_label or step.label)
    settings = session.info["settings"]
    terms = None
    if action is Action.GRANT:
        terms = issuing.check_terms(dossier, grant or GrantTerms(paris_today(now), None), now, settings)
    values: dict = {
        "status": step.target,
        "version": Dossier.version + 1,
        "updated_at": now,
        "updated_by_id": access.actor.user_id,
    }  # type: ignore[union-attr]
    if step.target is DossierStatus.ACCEPTED:
        values["accepted_at"] = now
        values["decision_deadline"] = decision_deadline_from(now, settings)
    if step.target is DossierStatus.COMPLEMENT_REQUESTED:
        values["complement_requested_at"] = now
    if step.target is DossierStatus.HEARING:
        values["hearing_started_at"] = now
    if step.target in (DossierStatus.GRANTED, DossierStatus.REFUSED, DossierStatus.NOT_ACCEPTED):
        values["decided_at"] = now
    result = await session.exec(
        sa.update(Dossier).where(Dossier.id == dossier_id, Dossier.status == step.source).values(**values)
    )
    if result.rowcount != 1:
        await session.rollback()
        raise TransitionRefused("Le dossier vient de changer de statut : rechargez-le.", code="CONFLICT")
    issued = None
    if terms is not None:
        actor_id: int = access.actor.user_id  # type: ignore[union-attr]
        if dossier.authorization_id is None:
            issued = await issuing.issue(session, dossier, terms, actor_id=actor_id, now=now)
            text = f"Autorisation {issued[0].reference} délivrée, {issuing.validity_text(terms)}."
        else:  # an amendment or a renewal: the next version of the same authorisation
            issued = await issuing.add_version(session, dossier, terms, actor_id=actor_id, now=now)
            text = (
                f"Autorisation {issued[0].reference} : version {issued[0].current_version} délivrée, "
                f"{issuing.validity_text(terms)}."
            )
    await record_and_commit(
        session,
        dossier,
        EventKind(action.value),
        actor_id=access.actor.user_id,  # type: ignore[union-attr]
        from_status=step.source,
        to_status=step.target,
        message=text,
        at=now,
    )
    if issued is not None:
        await session.refresh(issued[0])
        await publish_authorization(session, *issued)
    return dossier


async def comment(
    session: AsyncSession, access: Access, dossier_id: int, text: str, *, now: dt.datetime | None = None
) -> DossierEvent:
    """ "Laisser un commentaire": the applicant side (prepare right) or the dossier's customs office."""
    require_actor(access)
    dossier = await get_dossier(session, access, dossier_id)
    if access.is_officer:
        require_customs_of(access, dossier)
    else:
        require_dossier_right(access, dossier, Right.PREPARE)
    return await record_and_commit(
        session,
        dossier,
        EventKind.COMMENT,
        actor_id=access.actor.user_id,  # type: ignore[union-attr]
        message=_message(text, True, "Commentaire"),
        at=now or utcnow(),
    )


async def take(
    session: AsyncSession, access: Access, dossier_id: int, *, now: dt.datetime | None = None
) -> Dossier:
    """An officer takes the dossier: it is theirs to process (from a colleague too; again by the same: nothing new)."""
    require_actor(access)
    dossier = await get_dossier(session, access, dossier_id)
    require_customs_of(access, dossier)
    if dossier.status not in OPEN_FOR_CUSTOMS:
        raise TransitionRefused(
            f"Ce dossier est au statut « {STATUS_LABELS[dossier.status]} » : il n'est plus à prendre en charge."
        )
    if dossier.assigned_officer_id == access.actor.user_id:  # type: ignore[union-attr]
        return dossier
    dossier.assigned_officer_id = access.actor.user_id  # type: ignore[union-attr]
    session.add(dossier)
    await record_and_commit(session, dossier, EventKind.TAKEN, actor_id=access.actor.user_id, at=now or utcnow())  # type: ignore[union-attr]
    return dossier


async def extend_decision_deadline(
    session: AsyncSession,
    access: Access,
    dossier_id: int,
    new_date: dt.date,
    reason: str,
    *,
    now: dt.datetime | None = None,
) -> Dossier:
    """Customs extend the decision time limit, saying why and until when; the applicant sees both."""
    now = now or utcnow()
    require_actor(access)
    dossier = await get_dossier(session, access, dossier_id)
    require_customs_of(access, dossier)
    if dossier.status is not DossierStatus.ACCEPTED:
        raise TransitionRefused(
            f"Le délai de décision ne se prolonge que pour un dossier accepté (celui-ci est {dossier.status.label})."
        )
    settings = session.info["settings"]
    deadline = current_deadline(dossier, settings, now)
    text = _message(reason, True, "Motif de la prolongation", field="reason")
    if deadline is None or new_date <= deadline.due:
        raise DomainError(
            f"La nouvelle date doit suivre l'échéance actuelle ({deadline.due:%d/%m/%Y})."
            if deadline
            else "Aucune échéance.",
            code="INVALID",
            field="newDate",
        )
    dossier.decision_deadline = new_date
    dossier.deadline_extension_reason = text
    session.add(dossier)
    await record_and_commit(
        session,
        dossier,
        EventKind.DEADLINE_EXTENDED,
        actor_id=access.actor.user_id,  # type: ignore[union-attr]
        message=f"Délai de décision prolongé jusqu'au {new_date:%d/%m/%Y} : {text}",
        at=now,
    )
    return dossier


async def history_since(
    session: AsyncSession, access: Access, dossier_id: int, after_event_id: int = 0, kinds: set[str] | None = None
) -> list[DossierEvent]:
    """The dossier's events after `after_event_id`, for a reader of the dossier (catch-up of subscriptions)."""
    await require_history_reader(session, access, dossier_id)
    return await events_after(session, dossier_id, after_event_id, kinds)


async def require_history_reader(session: AsyncSession, access: Access, dossier_id: int) -> None:
    """May this actor follow the dossier's history? NotFound (or Forbidden) when not."""
    require_dossier_reader(access, await get_dossier(session, access, dossier_id))


async def events_after(
    session: AsyncSession,
    dossier_id: int,
    after_event_id: int = 0,
    kinds: set[str] | None = None,
    limit: int | None = None,
) -> list[DossierEvent]:
    """The dossier's events after `after_event_id`, in order (the first `limit`). No access check: callers check
    the reader first."""
    query = select(DossierEvent).where(DossierEvent.dossier_id == dossier_id, DossierEvent.id > after_event_id)
    if kinds:
        query = query.where(DossierEvent.kind.in_(kinds))
    query = query.order_by(DossierEvent.id)
    if limit is not None:
        query = query.limit(limit)
    return list((await session.exec(query)).all())
