"""Customs measures on an issued authorisation, by an officer of the issuing office: suspension (UCC DA art. 16) and
its lifting, revocation (UCC art. 28, effect deferrable by up to one year), annulment (UCC art. 27, effect from the
original date), re-assessment (UCC art. 23(4)). Each writes one history entry (who, when, why) with the change, in
one transaction, and is published to the holder's and the office's channels after commit."""

from __future__ import annotations

import datetime as dt
import enum

from sqlmodel.ext.asyncio.session import AsyncSession

from backend.authorizations import hearing
from backend.authorizations.hearing import AdverseMeasure
from backend.authorizations.issuing import EventKind
from backend.authorizations.models import Authorization, AuthorizationEvent, AuthorizationState
from backend.authorizations.notify import MAX_TEXT, record_and_publish
from backend.authorizations.reading import get_authorization
from backend.authorizations.rules import add_years, state_on
from backend.clock import french_day
from backend.db import utcnow
from backend.errors import DomainError, FieldErrors
from backend.identity.policy import Access, require_actor
from backend.identity.policy.authorizations import may_act_as_issuing_office, require_issuing_office

MAX_REASON = MAX_TEXT


class SuspensionCase(enum.StrEnum):
    """UCC DA art. 16(1): why an authorisation is suspended instead of annulled or revoked."""

    GROUNDS_EXAMINED = "grounds_examined"  # (a) customs examine whether there are grounds to annul or revoke
    CONDITIONS_NOT_MET = "conditions_not_met"  # (b) the holder is given time to meet the conditions
    HOLDER_REQUEST = "holder_request"  # (c) at the holder's request

    @property
    def label(self) -> str:
        return SUSPENSION_LABELS[self]


SUSPENSION_LABELS = {
    SuspensionCase.GROUNDS_EXAMINED: "examen de motifs d'annulation ou de révocation (AD CDU, art. 16, § 1, a)",
    SuspensionCase.CONDITIONS_NOT_MET: "délai accordé pour remplir les conditions (AD CDU, art. 16, § 1, b)",
    SuspensionCase.HOLDER_REQUEST: "à la demande du titulaire (AD CDU, art. 16, § 1, c)",
}


class MeasureRefused(DomainError):
    code = "FORBIDDEN_TRANSITION"


def _reason(text: str | None, field: str = "reason") -> list[tuple[str, str]]:
    text = (text or "").strip()
    if not text:
        return [(field, "Indiquez le motif : le titulaire le lira.")]
    if len(text) > MAX_REASON:
        return [(field, f"Le motif est trop long ({MAX_REASON} caractères au plus).")]
    return []


async def _load(session: AsyncSession, access: Access, authorization_id: int, now: dt.datetime):
    require_actor(access)
    authorization = await get_authorization(session, access, authorization_id)
    require_issuing_office(access, authorization)
    return authorization, french_day(now)


def _refuse_when_ended(authorization: Authorization, today: dt.date, verb: str) -> AuthorizationState:
    state = state_on(authorization, today)
    if state in (AuthorizationState.ANNULLED, AuthorizationState.REVOKED, AuthorizationState.EXPIRED):
        raise MeasureRefused(f"Impossible de {verb} : l'autorisation est {state.label}.")
    return state


async def _record_and_commit(
    session: AsyncSession, access: Access, authorization: Authorization, kind: EventKind, message: str, now
) -> AuthorizationEvent:
    return await record_and_publish(session, access.actor.user_id, authorization, kind.value, message, now)  # type: ignore[union-attr]


async def suspend(
    session: AsyncSession,
    access: Access,
    authorization_id: int,
    *,
    case: SuspensionCase,
    reason: str,
    start: dt.date | None,
    end: dt.date | None,
    now: dt.datetime | None = None,
) -> Authorization:
    now = now or utcnow()
    authorization, today = await _load(session, access, authorization_id, now)
    _refuse_when_ended(authorization, today, "suspendre l'autorisation")
    if _suspension_current(authorization, today):
        raise MeasureRefused(
            "Une suspension est déjà en cours ou prévue : levez-la d'abord (une seule suspension à la fois)."
        )
    if case is not SuspensionCase.HOLDER_REQUEST:
        hearing.require_heard(authorization, AdverseMeasure.SUSPEND, today, session.info["settings"])
    problems = _reason(reason)
    if start is None:
        problems.append(("suspendedFrom", "Indiquez la date de début de la suspension."))
    elif start < today:
        problems.append(("suspendedFrom", "La suspension ne peut commencer avant aujourd'hui."))
    if end is not None and start is not None and end < start:
        problems.append(("suspendedUntil", "La fin de la suspension doit suivre son début."))
    if case is SuspensionCase.HOLDER_REQUEST and authorization.holder_request != "suspend":
        problems.append(("case", "Le titulaire n'a pas demandé la suspension : choisissez le cas a ou b."))
    if problems:
        raise FieldErrors(problems)
    if authorization.intended_measure == AdverseMeasure.SUSPEND:
        hearing.close(authorization)
    authorization.suspended_from, authorization.suspended_until = start, end
    authorization.suspension_case = case.value
    if authorization.holder_request == "suspend":
        authorization.holder_request = None  # answered
    until = f" au {end:%d/%m/%Y}" if end else ", jusqu'à nouvel ordre"
    text = f"Suspendue du {start:%d/%m/%Y}{until} — {case.label}. Motif : {reason.strip()}"
    await _record_and_commit(session, access, authorization, EventKind.SUSPENDED, text, now)
    return authorization


async def lift_suspension(
    session: AsyncSession, access: Access, authorization_id: int, *, reason: str, now: dt.datetime | None = None
) -> Authorization:
    now = now or utcnow()
    authorization, today = await _load(session, access, authorization_id, now)
    if authorization.suspended_from is None or (
        authorization.suspended_until is not None and authorization.suspended_until < today
    ):
        raise MeasureRefused("Aucune suspension en cours ou à venir à lever.")
    problems = _reason(reason)
    if problems:
        raise FieldErrors(problems)
    authorization.suspended_from = authorization.suspended_until = authorization.suspension_case = None
    await _record_and_commit(
        session, access, authorization, EventKind.SUSPENSION_LIFTED, f"Motif : {reason.strip()}", now
    )
    return authorization


async def revoke(
    session: AsyncSession,
    access: Access,
    authorization_id: int,
    *,
    reason: str,
    effective: dt.date | None,
    now: dt.datetime | None = None,
) -> Authorization:
    """Revocation takes effect on `effective` (today by default), at most one year later (UCC art. 28(4))."""
    now = now or utcnow()
    authorization, today = await _load(session, access, authorization_id, now)
    _refuse_when_ended(authorization, today, "révoquer l'autorisation")
    if authorization.revoked_from is not None:
        raise MeasureRefused(f"La révocation est déjà prévue le {authorization.revoked_from:%d/%m/%Y}.")
    if authorization.holder_request != "revoke":  # at the holder's request, the measure is not adverse
        hearing.require_heard(authorization, AdverseMeasure.REVOKE, today, session.info["settings"])
    effective = effective or today
    problems = _reason(reason)
    if effective < today:
        problems.append(("effective", "La révocation ne peut prendre effet avant aujourd'hui."))
    elif effective > add_years(today, 1):
        problems.append(
            (
                "effective",
                f"L'effet de la révocation se reporte d'un an au plus (CDU, art. 28, § 4) : au plus tard le "
                f"{add_years(today, 1):%d/%m/%Y}.",
            )
        )
    if problems:
        raise FieldErrors(problems)
    if authorization.intended_measure != AdverseMeasure.ANNUL:  # an annulment may still follow a revocation
        hearing.close(authorization)
    authorization.revoked_from = effective
    if authorization.holder_request == "revoke":
        authorization.holder_request = None  # answered
    when = "immédiat" if effective == today else f"reporté au {effective:%d/%m/%Y}"
    await _record_and_commit(
        session, access, authorization, EventKind.REVOKED, f"Effet {when}. Motif : {reason.strip()}", now
    )
    return authorization


async def annul(
    session: AsyncSession, access: Access, authorization_id: int, *, reason: str, now: dt.datetime | None = None
) -> Authorization:
    """Annulment (UCC art. 27): the decision rested on incorrect or incomplete information; effect from the date the
    authorisation took effect."""
    now = now or utcnow()
    authorization, today = await _load(session, access, authorization_id, now)
    if authorization.annulled_on is not None:
        raise MeasureRefused("L'autorisation est déjà annulée.")
    hearing.require_heard(authorization, AdverseMeasure.ANNUL, today, session.info["settings"])
    problems = _reason(reason)
    if problems:
        raise FieldErrors(problems)
    hearing.close(authorization)
    authorization.annulled_on = authorization.valid_from
    authorization.holder_request = None  # nothing left to ask
    text = f"Effet à compter du {authorization.valid_from:%d/%m/%Y} (CDU, art. 27). Motif : {reason.strip()}"
    await _record_and_commit(session, access, authorization, EventKind.ANNULLED, text, now)
    return authorization


async def reassess(
    session: AsyncSession,
    access: Access,
    authorization_id: int,
    *,
    note: str,
    on: dt.date | None,
    now: dt.datetime | None = None,
) -> Authorization:
    """A re-assessment (UCC art. 23(4)): a note and its date; nothing else changes."""
    now = now or utcnow()
    authorization, today = await _load(session, access, authorization_id, now)
    on = on or today
    problems = _reason(note, "note")
    if on > today:
        problems.append(("on", "La date du réexamen ne peut être dans le futur."))
    if problems:
        raise FieldErrors(problems)
    text = f"Réexamen du {on:%d/%m/%Y} (CDU, art. 23, § 4) : {note.strip()}"
    await _record_and_commit(session, access, authorization, EventKind.REASSESSED, text, now)
    return authorization


async def notify_intended(
    session: AsyncSession,
    access: Access,
    authorization_id: int,
    *,
    measure: AdverseMeasure,
    reason: str,
    now: dt.datetime | None = None,
) -> Authorization:
    """Tell the holder the adverse measure customs intend and its grounds: their time to be heard starts."""
    now = now or utcnow()
    authorization, today = await _load(session, access, authorization_id, now)
    settings = session.info["settings"]
    if measure is AdverseMeasure.ANNUL:
        if authorization.annulled_on is not None:
            raise MeasureRefused("L'autorisation est déjà annulée.")
    else:
        _refuse_when_ended(authorization, today, f"envisager {measure.label}")
    if authorization.intended_measure is not None:
        intended = AdverseMeasure(authorization.intended_measure).label
        raise MeasureRefused(
            f"Une mesure est déjà envisagée ({intended}) : décidez-la ou abandonnez-la avant d'en envisager une autre."
        )
    if measure is AdverseMeasure.SUSPEND and _suspension_current(authorization, today):
        raise MeasureRefused("Une suspension est déjà en cours ou prévue.")
    if measure is AdverseMeasure.REVOKE and authorization.revoked_from is not None:
        raise MeasureRefused(f"La révocation est déjà prévue le {authorization.revoked_from:%d/%m/%Y}.")
    problems = _reason(reason)
    if problems:
        raise FieldErrors(problems)
    authorization.intended_measure, authorization.intended_reason = measure.value, reason.strip()
    authorization.hearing_started_at, authorization.hearing_answered_at = now, None
    text = (
        f"La douane envisage {measure.label} de l'autorisation. Le titulaire peut présenter ses observations "
        f"jusqu'au {hearing.deadline(authorization, settings):%d/%m/%Y}. Motifs : {reason.strip()}"
    )
    await _record_and_commit(session, access, authorization, EventKind.HEARING_OPENED, text, now)
    return authorization


async def abandon_intended(
    session: AsyncSession, access: Access, authorization_id: int, *, reason: str, now: dt.datetime | None = None
) -> Authorization:
    """Customs drop the measure they intended (e.g. after the holder's observations)."""
    now = now or utcnow()
    authorization, _ = await _load(session, access, authorization_id, now)
    if authorization.intended_measure is None:
        raise MeasureRefused("Aucune mesure n'est envisagée.")
    problems = _reason(reason)
    if problems:
        raise FieldErrors(problems)
    intended = AdverseMeasure(authorization.intended_measure).label
    hearing.close(authorization)
    text = f"La douane renonce à {intended}. Motif : {reason.strip()}"
    await _record_and_commit(session, access, authorization, EventKind.HEARING_CLOSED, text, now)
    return authorization


def _suspension_current(authorization: Authorization, today: dt.date) -> bool:
    return authorization.suspended_from is not None and (
        authorization.suspended_until is None or authorization.suspended_until >= today
    )


def suspension_cases_open(authorization: Authorization, today: dt.date, settings) -> list[SuspensionCase]:
    """The cases `suspend` accepts now: a or b once the holder has been heard on a suspension; c when they asked."""
    heard = hearing.heard(authorization, AdverseMeasure.SUSPEND, today, settings)
    asked = authorization.holder_request == "suspend"
    return [c for c in SuspensionCase if (asked if c is SuspensionCase.HOLDER_REQUEST else heard)]


class Measure(enum.StrEnum):
    SUSPEND = "suspend"
    LIFT_SUSPENSION = "lift_suspension"
    REVOKE = "revoke"
    ANNUL = "annul"
    REASSESS = "reassess"
    NOTIFY_SUSPEND = "notify_suspend"  # the adverse measures' first step: the holder is told and may be heard
    NOTIFY_REVOKE = "notify_revoke"
    NOTIFY_ANNUL = "notify_annul"
    ABANDON_INTENDED = "abandon_intended"


def offered(access: Access, authorization: Authorization, today: dt.date, settings) -> list[Measure]:
    """The measures an officer may take now (what the functions above accept): none for anyone but the issuing
    office; nothing but a re-assessment on an authorisation that has ended (and its annulment). An adverse measure
    is first intended (NOTIFY_…), then decided once the holder has been heard; a suspension or a revocation the
    holder asked for is decided at once."""
    if not may_act_as_issuing_office(access, authorization):
        return []
    state = state_on(authorization, today)
    ended = state in (AuthorizationState.ANNULLED, AuthorizationState.REVOKED, AuthorizationState.EXPIRED)
    suspension = _suspension_current(authorization, today)
    intended = authorization.intended_measure
    found = []
    if not ended and not suspension:
        if authorization.holder_request == "suspend" or hearing.heard(
            authorization, AdverseMeasure.SUSPEND, today, settings
        ):
            found.append(Measure.SUSPEND)
        if intended is None:
            found.append(Measure.NOTIFY_SUSPEND)
    if suspension:
        found.append(Measure.LIFT_SUSPENSION)
    if not ended and authorization.revoked_from is None:
        if authorization.holder_request == "revoke" or hearing.heard(
            authorization, AdverseMeasure.REVOKE, today, settings
        ):
            found.append(Measure.REVOKE)
        if intended is None:
            found.append(Measure.NOTIFY_REVOKE)
    if authorization.annulled_on is None:
        if hearing.heard(authorization, AdverseMeasure.ANNUL, today, settings):
            found.append(Measure.ANNUL)
        if intended is None:
            found.append(Measure.NOTIFY_ANNUL)
    if intended is not None:
        found.append(Measure.ABANDON_INTENDED)
    found.append(Measure.REASSESS)
    return found
