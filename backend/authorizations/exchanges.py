"""What the holder and customs say to each other about an authorisation: the holder's request to suspend or revoke it
(UCC DA art. 16(1)(c), UCC art. 28(1)(b)), with a reason; comments from either side. Each is one history entry,
published after commit; the request stays « pending » on the authorisation until customs take the measure."""

from __future__ import annotations

import datetime as dt
import enum

from sqlmodel.ext.asyncio.session import AsyncSession

from backend.authorizations import hearing
from backend.authorizations.issuing import EventKind
from backend.authorizations.models import Authorization, AuthorizationEvent, AuthorizationState
from backend.authorizations.notify import cleaned_text, record_and_publish
from backend.authorizations.reading import get_authorization
from backend.authorizations.rules import state_on
from backend.clock import french_day
from backend.db import utcnow
from backend.errors import DomainError, FieldErrors, Forbidden
from backend.identity.models import Right
from backend.identity.policy import Access, require_actor
from backend.identity.policy.authorizations import (
    may_act_as_issuing_office,
    may_on_authorization,
    require_holder_right,
)


class HolderRequest(enum.StrEnum):
    SUSPEND = "suspend"
    REVOKE = "revoke"

    @property
    def label(self) -> str:
        return "la suspension" if self is HolderRequest.SUSPEND else "la révocation"


class RequestRefused(DomainError):
    code = "FORBIDDEN_TRANSITION"


def _text(text: str | None, field: str, what: str) -> str:
    cleaned, problems = cleaned_text(text, field, f"Indiquez {what}.")
    if problems:
        raise FieldErrors(problems)
    return cleaned


async def _record_and_commit(
    session: AsyncSession, access: Access, authorization: Authorization, kind: EventKind, message: str, now
) -> AuthorizationEvent:
    return await record_and_publish(session, access.actor.user_id, authorization, kind.value, message, now)  # type: ignore[union-attr]


async def ask_customs(
    session: AsyncSession,
    access: Access,
    authorization_id: int,
    kind: HolderRequest,
    reason: str,
    *,
    now: dt.datetime | None = None,
) -> Authorization:
    """The holder asks the issuing office to suspend or revoke the authorisation (the submit right on the holder: it
    is a request that commits the operator). One pending request at a time; none on an authorisation that ended."""
    now = now or utcnow()
    require_actor(access)
    authorization = await get_authorization(session, access, authorization_id)
    require_holder_right(access, authorization, Right.SUBMIT)
    state = state_on(authorization, french_day(now))
    if state in (AuthorizationState.EXPIRED, AuthorizationState.REVOKED, AuthorizationState.ANNULLED):
        raise RequestRefused(f"L'autorisation est {state.label} : aucune demande n'est possible.")
    if kind is HolderRequest.SUSPEND and state is AuthorizationState.SUSPENDED:
        raise RequestRefused("L'autorisation est déjà suspendue.")
    if authorization.holder_request:
        pending = HolderRequest(authorization.holder_request).label
        raise RequestRefused(f"Votre demande de {pending.split(' ', 1)[1]} attend déjà la réponse de la douane.")
    text = _text(reason, "reason", "le motif de votre demande")
    authorization.holder_request = kind.value
    authorization.updated_at = now
    event_kind = (
        EventKind.SUSPENSION_REQUESTED if kind is HolderRequest.SUSPEND else EventKind.REVOCATION_REQUESTED
    )
    await _record_and_commit(session, access, authorization, event_kind, f"Motif : {text}", now)
    return authorization


async def comment(
    session: AsyncSession, access: Access, authorization_id: int, text: str, *, now: dt.datetime | None = None
) -> AuthorizationEvent:
    """A comment in the authorisation's history: the holder's side (prepare right) or the issuing office."""
    now = now or utcnow()
    require_actor(access)
    authorization = await get_authorization(session, access, authorization_id)
    if not may_comment(access, authorization):
        raise Forbidden("Vous n'avez pas le droit de commenter cette autorisation.")
    cleaned = _text(text, "text", "votre commentaire")
    return await _record_and_commit(session, access, authorization, EventKind.COMMENT, cleaned, now)


async def answer_hearing(
    session: AsyncSession,
    access: Access,
    authorization_id: int,
    observations: str,
    *,
    now: dt.datetime | None = None,
) -> Authorization:
    """The holder's observations on the measure customs intend (the submit right: they commit the operator), once,
    within their time to be heard; customs may then decide."""
    now = now or utcnow()
    require_actor(access)
    authorization = await get_authorization(session, access, authorization_id)
    require_holder_right(access, authorization, Right.SUBMIT)
    settings = session.info["settings"]
    if authorization.intended_measure is None:
        raise RequestRefused("Aucune mesure n'est envisagée sur cette autorisation : il n'y a rien à répondre.")
    if authorization.hearing_answered_at is not None:
        raise RequestRefused(
            f"Vos observations ont déjà été transmises le {french_day(authorization.hearing_answered_at):%d/%m/%Y}."
        )
    if hearing.time_over(authorization, french_day(now), settings):
        raise RequestRefused(
            f"Le délai pour présenter vos observations a pris fin le "
            f"{hearing.deadline(authorization, settings):%d/%m/%Y}."
        )
    text = _text(observations, "observations", "vos observations")
    authorization.hearing_answered_at = now
    await _record_and_commit(session, access, authorization, EventKind.OBSERVATIONS, text, now)
    return authorization


def may_answer_hearing(access: Access, authorization: Authorization, today: dt.date, settings) -> bool:
    """What `answer_hearing` accepts now from this actor."""
    return may_on_authorization(access, authorization, Right.SUBMIT) and hearing.may_answer(
        authorization, today, settings
    )


def offered(access: Access, authorization: Authorization, today: dt.date) -> list[HolderRequest]:
    """The requests to customs the holder's user may make now (what `ask_customs` accepts)."""
    if authorization.holder_request or not may_on_authorization(access, authorization, Right.SUBMIT):
        return []
    state = state_on(authorization, today)
    if state in (AuthorizationState.EXPIRED, AuthorizationState.REVOKED, AuthorizationState.ANNULLED):
        return []
    found = [] if state is AuthorizationState.SUSPENDED else [HolderRequest.SUSPEND]
    return [*found, HolderRequest.REVOKE]


def may_comment(access: Access, authorization: Authorization) -> bool:
    return may_act_as_issuing_office(access, authorization) or may_on_authorization(
        access, authorization, Right.PREPARE
    )
