"""Lists of assistance requests (à traiter / en attente / closes, for each side, searched, paged), their counts,
and the feedback list with its average and monthly trend for the support."""

from __future__ import annotations

import enum
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.assistance.models import AssistanceMessage, AssistanceRequest, Feedback, RequestKind, RequestStatus
from backend.identity.models import User
from backend.identity.policy import Access, require_actor
from backend.identity.policy.assistance import is_support, office_of, require_support, visible_requests
from backend.paging import contains_pattern, cursor_offset, offset_cursor, page_size

R = AssistanceRequest


class Bucket(enum.StrEnum):
    TODO = "todo"  # waits for the actor: an answer to read (asker), a question to answer (customs)
    WAITING = "waiting"  # waits for the other side
    DONE = "done"  # closed
    ALL = "all"


class Side(enum.StrEnum):
    ANY = "any"
    ASKED = "asked"  # the requests the actor's side asked
    TO_ANSWER = "to_answer"  # the requests the actor answers (officer of the office, support)


def _answering(access: Access) -> sa.ColumnElement[bool]:
    """Rows the actor sees as the answering side, as SQL."""
    conditions = []
    office = office_of(access)
    if office:
        conditions.append(sa.and_(R.kind == RequestKind.QUESTION.value, R.customs_office == office))
    if is_support(access):
        conditions.append(R.kind == RequestKind.TICKET.value)
    return or_(*conditions) if conditions else sa.false()


def _bucket(access: Access, bucket: Bucket) -> sa.ColumnElement[bool]:
    answering = _answering(access)
    if bucket is Bucket.TODO:
        return or_(
            sa.and_(answering, R.status == RequestStatus.OPEN.value),
            sa.and_(sa.not_(answering), R.status == RequestStatus.ANSWERED.value),
        )
    if bucket is Bucket.WAITING:
        return or_(
            sa.and_(answering, R.status == RequestStatus.ANSWERED.value),
            sa.and_(sa.not_(answering), R.status == RequestStatus.OPEN.value),
        )
    if bucket is Bucket.DONE:
        return R.status == RequestStatus.CLOSED.value
    return sa.true()


def _side(access: Access, side: Side) -> sa.ColumnElement[bool]:
    if side is Side.TO_ANSWER:
        return _answering(access)
    if side is Side.ASKED:
        return sa.not_(_answering(access))
    return sa.true()


@dataclass
class RequestPage:
    rows: list[AssistanceRequest]
    total: int
    has_next: bool
    end_cursor: str | None


async def list_requests(
    session: AsyncSession,
    access: Access,
    *,
    kind: RequestKind | None = None,
    side: Side = Side.ANY,
    bucket: Bucket = Bucket.ALL,
    dossier_id: int | None = None,
    authorization_id: int | None = None,
    search: str | None = None,
    oldest_first: bool = False,
    first: int = 20,
    after: str | None = None,
) -> RequestPage:
    require_actor(access)
    first = page_size(first)
    conditions = [visible_requests(access), _bucket(access, bucket), _side(access, side)]
    if kind is not None:
        conditions.append(R.kind == kind.value)
    if dossier_id is not None:
        conditions.append(R.dossier_id == dossier_id)
    if authorization_id is not None:
        conditions.append(R.authorization_id == authorization_id)
    if search and search.strip():
        pattern = contains_pattern(search)
        conditions.append(
            or_(
                sa.func.lower(R.reference).like(pattern, escape="\\"),
                sa.func.lower(R.subject).like(pattern, escape="\\"),
                R.id.in_(
                    select(AssistanceMessage.request_id).where(
                        sa.func.lower(AssistanceMessage.body).like(pattern, escape="\\")
                    )
                ),
                R.author_id.in_(select(User.id).where(sa.func.lower(User.name).like(pattern, escape="\\"))),
            )
        )
    total = (await session.exec(select(sa.func.count()).select_from(R).where(*conditions))).one()
    order = (R.updated_at.asc(), R.id.asc()) if oldest_first else (R.updated_at.desc(), R.id.desc())
    offset = cursor_offset(after)
    rows = list(
        (await session.exec(select(R).where(*conditions).order_by(*order).offset(offset).limit(first + 1))).all()
    )
    has_next = len(rows) > first
    rows = rows[:first]
    return RequestPage(
        rows=rows,
        total=total,
        has_next=has_next,
        end_cursor=offset_cursor(offset + len(rows)) if has_next else None,
    )


async def bucket_counts(
    session: AsyncSession, access: Access, side: Side = Side.ANY, kind: RequestKind | None = None
) -> dict[Bucket, int]:
    """How many requests (of one kind, or all) the actor has in each bucket, in one statement."""
    require_actor(access)
    todo, waiting, done = (_bucket(access, b) for b in (Bucket.TODO, Bucket.WAITING, Bucket.DONE))
    of_kind = R.kind == kind.value if kind is not None else sa.true()
    row = (
        await session.exec(
            select(
                sa.func.count(sa.case((todo, 1))),
                sa.func.count(sa.case((waiting, 1))),
                sa.func.count(sa.case((done, 1))),
                sa.func.count(),
            )
            .select_from(R)
            .where(visible_requests(access), _side(access, side), of_kind)
        )
    ).one()
    return dict(zip((Bucket.TODO, Bucket.WAITING, Bucket.DONE, Bucket.ALL), row, strict=True))


# --- feedback -----------------------------------------------------------------------------------------------------


@dataclass
class FeedbackPage:
    rows: list[tuple[Feedback, str]]  # the feedback, its giver's name
    total: int
    has_next: bool
    end_cursor: str | None


@dataclass(frozen=True)
class MonthTrend:
    month: str  # « 2026-12 »
    count: int
    average: float


@dataclass(frozen=True)
class FeedbackSummary:
    count: int
    average: float | None
    months: list[MonthTrend]  # oldest first


async def list_feedback(
    session: AsyncSession,
    access: Access,
    *,
    page: str | None = None,
    search: str | None = None,
    first: int = 20,
    after: str | None = None,
) -> FeedbackPage:
    require_support(access)
    first = page_size(first)
    conditions = []
    if page and page.strip():
        conditions.append(Feedback.page == page.strip())
    if search and search.strip():
        pattern = contains_pattern(search)
        conditions.append(
            or_(
                sa.func.lower(Feedback.comment).like(pattern, escape="\\"),
                sa.func.lower(Feedback.page).like(pattern, escape="\\"),
            )
        )
    total = (await session.exec(select(sa.func.count()).select_from(Feedback).where(*conditions))).one()
    offset = cursor_offset(after)
    rows = list(
        (
            await session.exec(
                select(Feedback, User.name)
                .join(User, User.id == Feedback.user_id)
                .where(*conditions)
                .order_by(Feedback.at.desc(), Feedback.id.desc())
                .offset(offset)
                .limit(first + 1)
            )
        ).all()
    )
    has_next = len(rows) > first
    rows = rows[:first]
    return FeedbackPage(
        rows=[(f, name) for f, name in rows],
        total=total,
        has_next=has_next,
        end_cursor=offset_cursor(offset + len(rows)) if has_next else None,
    )


async def feedback_summary(session: AsyncSession, access: Access, *, page: str | None = None) -> FeedbackSummary:
    """The count and average of the ratings, and per month (by the day they were given, in France)."""
    require_support(access)
    conditions = [Feedback.page == page.strip()] if page and page.strip() else []
    rows = (
        await session.exec(
            select(Feedback.day, sa.func.count(), sa.func.sum(Feedback.rating))
            .where(*conditions)
            .group_by(Feedback.day)
        )
    ).all()
    months: dict[str, list[int]] = {}
    for day, count, total in rows:
        entry = months.setdefault(f"{day:%Y-%m}", [0, 0])
        entry[0] += count
        entry[1] += total
    count = sum(c for c, _ in months.values())
    total = sum(t for _, t in months.values())
    return FeedbackSummary(
        count=count,
        average=round(total / count, 2) if count else None,
        months=[MonthTrend(month, c, round(t / c, 2)) for month, (c, t) in sorted(months.items())],
    )
