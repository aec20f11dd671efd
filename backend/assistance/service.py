"""Questions to the economic action unit, technical tickets and their threads; feedback on the portal's pages.

Each change writes one thread entry and bumps the request's version in one transaction, then is published on the
hub once committed: on the request's channel, its author's, and the answering side's (the office's for a question,
the support's for a ticket)."""

from __future__ import annotations

import datetime as dt
import re

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.assistance.models import (
    AssistanceCounter,
    AssistanceMessage,
    AssistanceRequest,
    Feedback,
    RequestKind,
    RequestStatus,
)
from backend.authorizations.models import Authorization
from backend.clock import paris_today
from backend.db import utcnow
from backend.dossiers.attachments import inspect
from backend.dossiers.models import Dossier
from backend.dossiers.storage import Storage
from backend.errors import DomainError, FieldErrors, Forbidden, NotFound
from backend.events import office_channel, operator_channel
from backend.identity.models import Right
from backend.identity.policy import Access, acting_operator
from backend.identity.policy.assistance import (
    QUESTIONS_PROFESSIONAL,
    require_answering,
    require_assistance_user,
    require_feedback_giver,
    require_request_reader,
    require_writer,
)
from backend.identity.policy.authorizations import may_read_authorization
from backend.identity.policy.dossiers import filing_firm, may_read_dossier

MESSAGE_TYPE = "assistance"
SUPPORT_CHANNEL = "assistance.support"
MAX_SUBJECT = 200
MAX_TEXT = 4000
MAX_COMMENT = 2000
MAX_PAGE = 300
SCREENSHOT_TYPES = frozenset({"image/png", "image/jpeg"})
_OFFICE = re.compile(r"^[A-Z]{2}[0-9A-Z]{6}$")
CLOSED_MESSAGE = "Cette demande est close : pour une nouvelle question, ouvrez une nouvelle demande."


def author_channel(user_id: int) -> str:
    return f"assistance.user.{user_id}"


def request_channel(request_id: int) -> str:
    return f"assistance.request.{request_id}"


# --- checking what was typed --------------------------------------------------------------------------------------


def _text(problems: list[tuple[str, str]], field: str, value: str | None, *, required: str, limit: int) -> str:
    text = (value or "").strip()
    if not text:
        problems.append((field, required))
    elif len(text) > limit:
        problems.append((field, f"Le texte tient en {limit} caractères ({len(text)} saisis)."))
    return text


def _page(problems: list[tuple[str, str]], value: str | None, *, required: bool) -> str | None:
    page = (value or "").strip()
    if not page:
        if required:
            problems.append(("page", "Indiquez la page du portail concernée."))
        return None
    if not page.startswith("/") or len(page) > MAX_PAGE or any(c.isspace() for c in page):
        problems.append(("page", "La page est l'adresse d'une page du portail, par exemple /dossiers/nouveau."))
        return None
    return page


# --- changes ------------------------------------------------------------------------------------------------------


async def _publish(session: AsyncSession, request: AssistanceRequest, entry: AssistanceMessage) -> None:
    hub = session.info.get("hub")
    if hub is None:
        return
    message = {
        "type": MESSAGE_TYPE,
        "request": request.id,
        "message": entry.id,
        "kind": entry.kind,
        "status": request.status,
    }
    await hub.publish(request_channel(request.id), message)
    await hub.publish(author_channel(request.author_id), message)
    if request.kind == RequestKind.QUESTION:
        if request.operator_id is not None:  # the operator's users who see it (checked on delivery)
            await hub.publish(operator_channel(request.operator_id), message)
        if request.customs_office:
            await hub.publish(office_channel(request.customs_office), message)
    elif request.kind == RequestKind.TICKET:
        await hub.publish(SUPPORT_CHANNEL, message)


async def _record(
    session: AsyncSession,
    request: AssistanceRequest,
    *,
    author_id: int,
    kind: str,
    body: str = "",
    from_customs: bool = False,
    status: RequestStatus | None = None,
) -> AssistanceMessage:
    now = utcnow()
    if status is not None:
        request.status = status.value
        request.closed_at = now if status is RequestStatus.CLOSED else None
    request.version += 1
    request.updated_at = now
    session.add(request)
    entry = AssistanceMessage(
        request_id=request.id, author_id=author_id, from_customs=from_customs, body=body, kind=kind, at=now
    )
    session.add(entry)
    await session.commit()
    await session.refresh(request)
    await _publish(session, request, entry)
    return entry


async def _next_reference(session: AsyncSession, kind: RequestKind, year: int) -> str:
    counter = sa.and_(AssistanceCounter.kind == kind.value, AssistanceCounter.year == year)
    updated = await session.exec(
        sa.update(AssistanceCounter).where(counter).values(last=AssistanceCounter.last + 1)
    )
    if updated.rowcount == 0:
        session.add(AssistanceCounter(kind=kind.value, year=year, last=1))
        await session.flush()
    last = (await session.exec(select(AssistanceCounter.last).where(counter))).one()
    return f"{kind.prefix}-{year}-{last:06d}"


async def _create(
    session: AsyncSession, access: Access, kind: RequestKind, subject: str, body: str, **fields
) -> AssistanceRequest:
    request = AssistanceRequest(
        reference=await _next_reference(session, kind, paris_today().year),
        kind=kind.value,
        subject=subject,
        author_id=access.actor.user_id,
        version=0,  # the opening entry makes it 1
        **fields,
    )
    session.add(request)
    await session.flush()
    await _record(session, request, author_id=access.actor.user_id, kind="opened", body=body)
    return request


async def ask_question(
    session: AsyncSession,
    access: Access,
    *,
    subject: str | None,
    message: str | None,
    office: str | None = None,
    dossier_id: int | None = None,
    authorization_id: int | None = None,
) -> AssistanceRequest:
    """A question to the economic action unit of the competent office: a dossier's or an authorisation's own
    office when it is about one (then its operator), else the office named, for the operator acted for."""
    require_assistance_user(access)
    if not access.is_professional:
        raise Forbidden(QUESTIONS_PROFESSIONAL)
    problems: list[tuple[str, str]] = []
    subject = _text(
        problems, "subject", subject, required="Indiquez l'objet de votre question.", limit=MAX_SUBJECT
    )
    body = _text(problems, "message", message, required="Écrivez votre question.", limit=MAX_TEXT)
    operator_id: int | None = None
    competent: str | None = None
    if dossier_id is not None:
        dossier = await session.get(Dossier, dossier_id)
        if dossier is None or not may_read_dossier(access, dossier):
            raise NotFound("Dossier introuvable.", field="dossierId")
        operator_id, competent = dossier.operator_id, dossier.customs_office
    elif authorization_id is not None:
        authorization = await session.get(Authorization, authorization_id)
        if authorization is None or not may_read_authorization(access, authorization):
            raise NotFound("Autorisation introuvable.", field="authorizationId")
        operator_id, competent = authorization.operator_id, authorization.customs_office
    else:
        operator_id = acting_operator(access, Right.CONSULT).operator_id
    if not competent:
        given = (office or "").strip().upper()
        if not given:
            problems.append(
                ("office", "Indiquez le bureau de douane à qui poser la question (par exemple FR000690).")
            )
        elif not _OFFICE.match(given):
            problems.append(
                (
                    "office",
                    "Le bureau de douane s'écrit avec le code pays suivi de 6 caractères (par exemple FR000690).",
                )
            )
        competent = given
    if problems:
        raise FieldErrors(problems)
    return await _create(
        session,
        access,
        RequestKind.QUESTION,
        subject,
        body,
        operator_id=operator_id,
        filed_by_operator_id=filing_firm(access, operator_id),
        customs_office=competent,
        dossier_id=dossier_id,
        authorization_id=authorization_id if dossier_id is None else None,
    )


async def open_ticket(
    session: AsyncSession, access: Access, *, subject: str | None, description: str | None, page: str | None
) -> AssistanceRequest:
    """A technical ticket to the portal's support, from the page it came from."""
    require_assistance_user(access)
    problems: list[tuple[str, str]] = []
    subject = _text(problems, "subject", subject, required="Indiquez l'objet de votre demande.", limit=MAX_SUBJECT)
    body = _text(problems, "description", description, required="Décrivez le problème rencontré.", limit=MAX_TEXT)
    where = _page(problems, page, required=False)
    if problems:
        raise FieldErrors(problems)
    return await _create(session, access, RequestKind.TICKET, subject, body, page=where)


async def _locked(session: AsyncSession, request_id: int) -> AssistanceRequest | None:
    return (
        await session.exec(select(AssistanceRequest).where(AssistanceRequest.id == request_id).with_for_update())
    ).first()


async def get_request(session: AsyncSession, access: Access, request_id: int) -> AssistanceRequest:
    return require_request_reader(access, await session.get(AssistanceRequest, request_id))


def _not_closed(request: AssistanceRequest) -> None:
    if request.status == RequestStatus.CLOSED:
        raise DomainError(CLOSED_MESSAGE, code="CLOSED")


async def post_message(
    session: AsyncSession, access: Access, request_id: int, text: str | None
) -> AssistanceRequest:
    """A message in the thread: customs' makes the request « répondue », the asker's « ouverte » again."""
    request, for_customs = require_writer(access, await _locked(session, request_id))
    _not_closed(request)
    problems: list[tuple[str, str]] = []
    body = _text(problems, "text", text, required="Écrivez votre message.", limit=MAX_TEXT)
    if problems:
        raise FieldErrors(problems)
    if for_customs and request.taken_by_id is None:
        request.taken_by_id = access.actor.user_id  # who answers takes it
    await _record(
        session,
        request,
        author_id=access.actor.user_id,
        kind="answer" if for_customs else "message",
        body=body,
        from_customs=for_customs,
        status=RequestStatus.ANSWERED if for_customs else RequestStatus.OPEN,
    )
    return request


async def take_request(session: AsyncSession, access: Access, request_id: int) -> AssistanceRequest:
    """The answering side takes the request: its officer (or support agent) is named on it."""
    request = require_answering(access, await _locked(session, request_id))
    _not_closed(request)
    if request.taken_by_id == access.actor.user_id:
        return request
    request.taken_by_id = access.actor.user_id
    await _record(session, request, author_id=access.actor.user_id, kind="taken", from_customs=True)
    return request


async def close_request(session: AsyncSession, access: Access, request_id: int) -> AssistanceRequest:
    request, for_customs = require_writer(access, await _locked(session, request_id))
    _not_closed(request)
    await _record(
        session,
        request,
        author_id=access.actor.user_id,
        kind="closed",
        from_customs=for_customs,
        status=RequestStatus.CLOSED,
    )
    return request


async def attach_screenshot(
    session: AsyncSession,
    access: Access,
    storage: Storage,
    request_id: int,
    filename: str,
    content: bytes,
    *,
    max_bytes: int,
) -> AssistanceMessage:
    """A screenshot (PNG or JPEG) on a ticket's description, by its author while it is not closed."""
    request = require_request_reader(access, await _locked(session, request_id))
    if request.kind != RequestKind.TICKET or request.author_id != access.actor.user_id:
        raise Forbidden("Seul l'auteur d'une demande d'assistance technique y joint une capture d'écran.")
    _not_closed(request)
    safe_name, content_type, digest = inspect(filename, content, max_bytes=max_bytes)
    if content_type not in SCREENSHOT_TYPES:
        raise FieldErrors([("file", "Une capture d'écran est une image PNG ou JPEG.")])
    storage.put(digest, content)
    opening = (
        await session.exec(
            select(AssistanceMessage)
            .where(AssistanceMessage.request_id == request.id)
            .order_by(AssistanceMessage.id)
            .limit(1)
        )
    ).one()
    opening.screenshot_key, opening.screenshot_name = digest, safe_name
    opening.screenshot_type, opening.screenshot_size = content_type, len(content)
    session.add(opening)
    request.version += 1
    request.updated_at = utcnow()
    session.add(request)
    await session.commit()
    await session.refresh(opening)
    await _publish(session, request, opening)
    return opening


async def thread(session: AsyncSession, request_id: int) -> list[AssistanceMessage]:
    return list(
        (
            await session.exec(
                select(AssistanceMessage)
                .where(AssistanceMessage.request_id == request_id)
                .order_by(AssistanceMessage.id)
            )
        ).all()
    )


async def screenshot_of(session: AsyncSession, access: Access, message_id: int) -> AssistanceMessage:
    """A thread entry with a screenshot the actor may see (NotFound otherwise)."""
    entry = await session.get(AssistanceMessage, message_id)
    if entry is None or entry.screenshot_key is None:
        raise NotFound("Capture d'écran introuvable.")
    await get_request(session, access, entry.request_id)
    return entry


# --- feedback -----------------------------------------------------------------------------------------------------

ALREADY_GIVEN = "Vous avez déjà donné votre avis sur cette page aujourd'hui : merci ! Vous pourrez en donner un nouveau demain."


async def give_feedback(
    session: AsyncSession,
    access: Access,
    *,
    page: str | None,
    rating: int | None,
    comment: str | None,
    today: dt.date | None = None,
) -> Feedback:
    """A rating from 1 to 5 of a page, with a comment; at most one a day per person and page."""
    require_feedback_giver(access)
    problems: list[tuple[str, str]] = []
    if rating is None or not 1 <= rating <= 5:
        problems.append(("rating", "Choisissez une note de 1 à 5."))
    where = _page(problems, page, required=True)
    text = (comment or "").strip()
    if len(text) > MAX_COMMENT:
        problems.append(("comment", f"Le commentaire tient en {MAX_COMMENT} caractères ({len(text)} saisis)."))
    if problems:
        raise FieldErrors(problems)
    day = today or paris_today()
    given = (
        await session.exec(
            select(Feedback.id).where(
                Feedback.user_id == access.actor.user_id, Feedback.page == where, Feedback.day == day
            )
        )
    ).first()
    if given is not None:
        raise DomainError(ALREADY_GIVEN, code="ALREADY_GIVEN")
    feedback = Feedback(user_id=access.actor.user_id, page=where, rating=rating, comment=text, day=day)
    session.add(feedback)
    try:
        await session.commit()
    except IntegrityError:  # the same person sent it twice at once: the unique constraint keeps one
        await session.rollback()
        raise DomainError(ALREADY_GIVEN, code="ALREADY_GIVEN") from None
    await session.refresh(feedback)
    hub = session.info.get("hub")
    if hub is not None:
        await hub.publish(SUPPORT_CHANNEL, {"type": "feedback", "feedback": feedback.id})
    return feedback


async def may_give_feedback(
    session: AsyncSession, access: Access, page: str, today: dt.date | None = None
) -> bool:
    if access.actor is None:
        return False
    given = (
        await session.exec(
            select(Feedback.id).where(
                Feedback.user_id == access.actor.user_id,
                Feedback.page == page.strip(),
                Feedback.day == (today or paris_today()),
            )
        )
    ).first()
    return given is None
