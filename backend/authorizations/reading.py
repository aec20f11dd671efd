"""Reading authorisations through the access policy: one, a filtered page of them, their versions and history."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.authorizations.issuing import EVENT_LABELS, EventKind
from backend.authorizations.models import (
    Authorization,
    AuthorizationEvent,
    AuthorizationState,
    AuthorizationVersion,
)
from backend.authorizations.rules import state_condition
from backend.clock import PARIS
from backend.dossiers.models import Dossier
from backend.dossiers.workflow import FINAL
from backend.errors import DomainError, NotFound
from backend.identity.models import Operator, Right
from backend.identity.policy import Access, require_actor, require_professional, require_terms
from backend.identity.policy.authorizations import (
    NOT_FOUND_AUTHORIZATION,
    require_authorization_reader,
    visible_authorizations,
)
from backend.paging import contains_pattern, cursor_offset, offset_cursor, page_size


class Sort(enum.StrEnum):
    VALID_UNTIL = "valid_until"  # the soonest end of validity first (not time-limited last)
    REFERENCE = "reference"
    ISSUED_DESC = "issued_desc"


@dataclass(frozen=True)
class AuthorizationPage:
    rows: list[tuple[Authorization, Operator]]
    total: int
    has_next: bool
    end_cursor: str | None


async def get_authorization(session: AsyncSession, access: Access, authorization_id: int) -> Authorization:
    """The authorisation, if the actor may see it; NotFound otherwise (as for one that does not exist). Like a
    dossier: SOPRANO's terms first for a professional, NotFound for anyone else who may not see it."""
    require_terms(access)
    authorization = await session.get(Authorization, authorization_id)
    if authorization is None:
        raise NotFound(NOT_FOUND_AUTHORIZATION)
    require_authorization_reader(access, authorization)
    return authorization


async def list_authorizations(
    session: AsyncSession,
    access: Access,
    *,
    today: dt.date,
    states: list[AuthorizationState] | None = None,
    procedures: list[str] | None = None,
    expires_within_days: int | None = None,
    search: str | None = None,
    sort: Sort = Sort.VALID_UNTIL,
    first: int = 20,
    after: str | None = None,
    to_renew: bool = False,
    to_answer: bool = False,
    to_decide: bool = False,
) -> AuthorizationPage:
    """One page of the authorisations the actor sees, filtered: states on `today`, procedures, an end of validity
    within N days (from today), a reference, holder name or SIRET containing `search`."""
    require_actor(access)
    if not access.is_officer:
        require_professional(access)
    require_terms(access)
    first = page_size(first)
    conditions = [visible_authorizations(access)]
    if states:
        conditions.append(or_(*[state_condition(state, today) for state in states]))
    if procedures:
        conditions.append(Authorization.procedure.in_(procedures))
    if expires_within_days is not None:
        if expires_within_days < 0 or expires_within_days > 3650:
            raise DomainError(
                "Indiquez un nombre de jours entre 0 et 3650.", code="INVALID", field="expiresWithinDays"
            )
        conditions.append(
            sa.and_(
                Authorization.valid_until.is_not(None),
                Authorization.valid_until >= today,
                Authorization.valid_until <= today + dt.timedelta(days=expires_within_days),
            )
        )
    if to_renew:
        conditions.append(renewal_due(access, today, session.info["settings"].renewal_window_days))
    if to_answer:
        conditions.append(hearing_due(access, today, session.info["settings"].hearing_days))
    if to_decide:
        conditions.append(decision_due(access, today, session.info["settings"].hearing_days))
    if search and search.strip():
        pattern = contains_pattern(search)
        conditions.append(
            or_(
                sa.func.lower(Authorization.reference).like(pattern, escape="\\"),
                sa.func.lower(Operator.legal_name).like(pattern, escape="\\"),
                Operator.siret.like(pattern.replace(" ", ""), escape="\\"),
            )
        )
    joined = select(Authorization, Operator).join(Operator, Operator.id == Authorization.operator_id)
    total = (
        await session.exec(
            select(sa.func.count())
            .select_from(Authorization)
            .join(Operator, Operator.id == Authorization.operator_id)
            .where(*conditions)
        )
    ).one()
    if sort is Sort.REFERENCE:
        order = (Authorization.reference.asc(), Authorization.id.asc())
    elif sort is Sort.ISSUED_DESC:
        order = (Authorization.issued_at.desc(), Authorization.id.desc())
    else:
        order = (
            Authorization.valid_until.is_(None).asc(),
            Authorization.valid_until.asc(),
            Authorization.id.asc(),
        )
    offset = cursor_offset(after)
    rows = list(
        (await session.exec(joined.where(*conditions).order_by(*order).offset(offset).limit(first + 1))).all()
    )
    has_next = len(rows) > first
    rows = rows[:first]
    return AuthorizationPage(
        rows=[(a, o) for a, o in rows],
        total=total,
        has_next=has_next,
        end_cursor=offset_cursor(offset + len(rows)) if has_next else None,
    )


def renewal_due(access: Access, today: dt.date, window_days: int) -> sa.ColumnElement[bool]:
    """« À traiter » for the holder's side: in force (or suspended), inside the renewal window, no request in
    progress, and the reader may prepare the renewal (the prepare right on the holder)."""
    preparers = [
        o.operator_id for o in access.operators.values() if o.right is not None and o.right >= Right.PREPARE
    ]
    pending = (
        select(Dossier.id)
        .where(Dossier.authorization_id == Authorization.id, Dossier.status.not_in(FINAL))
        .exists()
    )
    return sa.and_(
        Authorization.operator_id.in_(preparers) if preparers else sa.false(),
        Authorization.valid_until.is_not(None),
        Authorization.valid_until <= today + dt.timedelta(days=window_days),
        or_(
            state_condition(AuthorizationState.ACTIVE, today), state_condition(AuthorizationState.SUSPENDED, today)
        ),
        sa.not_(pending),
    )


def hearing_due(access: Access, today: dt.date, hearing_days: int) -> sa.ColumnElement[bool]:
    """« À traiter » for the holder's side: customs intend a measure, the holder has not answered and their time
    runs (notified on or after today - hearing_days, French day), and the reader may answer (the submit right)."""
    submitters = [
        o.operator_id for o in access.operators.values() if o.right is not None and o.right >= Right.SUBMIT
    ]
    since = _first_day_in_time(today, hearing_days)
    return sa.and_(
        Authorization.operator_id.in_(submitters) if submitters else sa.false(),
        Authorization.intended_measure.is_not(None),
        Authorization.hearing_answered_at.is_(None),
        Authorization.hearing_started_at >= since,
    )


def _first_day_in_time(today: dt.date, hearing_days: int) -> dt.datetime:
    """A hearing notified from this moment on (French day today - hearing_days or later) still runs today."""
    first_day = today - dt.timedelta(days=hearing_days)
    return dt.datetime.combine(first_day, dt.time(), tzinfo=PARIS).astimezone(dt.UTC)


def decision_due(access: Access, today: dt.date, hearing_days: int) -> sa.ColumnElement[bool]:
    """« À traiter » for customs (the issuing office, by visibility): the holder asked for a suspension or a
    revocation, or the holder has been heard on the measure customs intend (answered, or their time is over)."""
    if not access.is_officer:
        return sa.false()
    return or_(
        Authorization.holder_request.is_not(None),
        sa.and_(
            Authorization.intended_measure.is_not(None),
            or_(
                Authorization.hearing_answered_at.is_not(None),
                Authorization.hearing_started_at < _first_day_in_time(today, hearing_days),
            ),
        ),
    )


async def versions_of(session: AsyncSession, authorization_id: int) -> list[AuthorizationVersion]:
    """Every version, the first first. No access check: callers read the authorisation through the policy first."""
    query = select(AuthorizationVersion).where(AuthorizationVersion.authorization_id == authorization_id)
    return list((await session.exec(query.order_by(AuthorizationVersion.number))).all())


@dataclass(frozen=True)
class HistoryEntry:
    id: str
    kind: str
    label: str
    at: dt.datetime
    actor_id: int | None
    message: str
    version: int | None


async def history_of(session: AsyncSession, authorization: Authorization, today: dt.date) -> list[HistoryEntry]:
    """The stored events in order, and the expiry once the end of validity has passed (at the first moment of the
    next day in France): it happens by itself, with no job, and shows once."""
    query = select(AuthorizationEvent).where(AuthorizationEvent.authorization_id == authorization.id)
    entries = [
        HistoryEntry(
            id=str(event.id),
            kind=event.kind,
            label=EVENT_LABELS.get(event.kind, event.kind),
            at=event.at,
            actor_id=event.actor_id,
            message=event.message,
            version=event.version,
        )
        for event in (await session.exec(query.order_by(AuthorizationEvent.id))).all()
    ]
    ended_before = authorization.revoked_from or authorization.annulled_on
    end = authorization.valid_until
    if end is not None and today > end and not (ended_before and ended_before <= end):
        moment = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), PARIS).astimezone(dt.UTC)
        entries.append(
            HistoryEntry(
                id=f"expiry-{authorization.current_version}",
                kind=EventKind.EXPIRED,
                label=EVENT_LABELS[EventKind.EXPIRED],
                at=moment,
                actor_id=None,
                message=f"Fin de validité le {end:%d/%m/%Y}.",
                version=authorization.current_version,
            )
        )
        entries.sort(key=lambda entry: entry.at)
    return entries


async def authorization_of_dossier(session: AsyncSession, dossier_id: int) -> Authorization:
    """The authorisation a granted dossier issued. No access check: for the grant's own answer."""
    return (await session.exec(select(Authorization).where(Authorization.dossier_id == dossier_id))).one()


async def authorization_id_of_dossier(session: AsyncSession, dossier_id: int) -> int | None:
    """The id of the authorisation a dossier's grant issued, if any. No access check: for a reader of the dossier
    (the same people see both)."""
    query = select(Authorization.id).where(Authorization.dossier_id == dossier_id)
    return (await session.exec(query)).first()


async def reference_of(session: AsyncSession, authorization_id: int) -> str | None:
    """An authorisation's reference. No access check: for a reader of a dossier that names it."""
    return (
        await session.exec(select(Authorization.reference).where(Authorization.id == authorization_id))
    ).first()
