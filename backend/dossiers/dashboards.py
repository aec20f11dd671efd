"""The home page's two buckets (guide §2.4): « à traiter » (the actor must act) and « en attente » (the other side
acts), computed through the access policy for operator users, representatives (across the operators they act for)
and customs officers; with status, procedure and operator filters, search, sort, keyset pagination and counts.
"""

from __future__ import annotations

import base64
import datetime as dt
import enum
import json
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.clock import PARIS, french_day
from backend.config import Settings
from backend.db import utcnow
from backend.dossiers.models import Dossier, DossierStatus
from backend.errors import DomainError, Forbidden
from backend.identity.models import Operator
from backend.identity.policy import Access, require_actor, require_terms
from backend.identity.policy.dossiers import visible_dossiers
from backend.paging import contains_pattern, page_size

S = DossierStatus


class Bucket(enum.StrEnum):
    TODO = "todo"
    WAITING = "waiting"
    ALL = "all"


class Sort(enum.StrEnum):
    UPDATED_DESC = "updated_desc"
    UPDATED_ASC = "updated_asc"
    REFERENCE = "reference"


class Taken(enum.StrEnum):
    """Customs only: every dossier, those the officer took, or those nobody took yet."""

    ALL = "all"
    MINE = "mine"
    UNASSIGNED = "unassigned"


# The buckets, status by status: the one definition the SQL below and the statuses catalogue of the API read.
# A status in neither bucket (final, or a draft for customs) only shows under « tous ».
APPLICANT_BUCKETS: dict[S, Bucket] = {
    S.DRAFT: Bucket.TODO,
    S.COMPLEMENT_REQUESTED: Bucket.TODO,
    S.HEARING: Bucket.TODO,
    S.SUBMITTED: Bucket.WAITING,
    S.ACCEPTED: Bucket.WAITING,
}
CUSTOMS_BUCKETS: dict[S, Bucket] = {
    S.SUBMITTED: Bucket.TODO,
    S.ACCEPTED: Bucket.TODO,
    S.COMPLEMENT_REQUESTED: Bucket.WAITING,
    S.HEARING: Bucket.WAITING,
}
# Once the applicant's time is over (its deadline overdue), customs must act: decide after the hearing, or decide on
# what they have when the complement asked for did not come in time.
CUSTOMS_ONCE_OVERDUE: dict[S, Bucket] = {S.HEARING: Bucket.TODO, S.COMPLEMENT_REQUESTED: Bucket.TODO}

APPLICANT_TODO = tuple(s for s, b in APPLICANT_BUCKETS.items() if b is Bucket.TODO)
APPLICANT_WAITING = tuple(s for s, b in APPLICANT_BUCKETS.items() if b is Bucket.WAITING)


@dataclass(frozen=True)
class StatusBuckets:
    """Where a status puts a dossier on each side's home page (None: in neither bucket)."""

    status: S
    applicant: Bucket | None
    customs: Bucket | None
    customs_once_overdue: Bucket | None


def status_buckets() -> list[StatusBuckets]:
    """Every status, in the workflow's order, with its bucket for applicants and for customs."""
    return [
        StatusBuckets(
            status,
            APPLICANT_BUCKETS.get(status),
            CUSTOMS_BUCKETS.get(status),
            CUSTOMS_ONCE_OVERDUE.get(status, CUSTOMS_BUCKETS.get(status)),
        )
        for status in S
    ]


def _statuses(table: dict[S, Bucket], bucket: Bucket) -> tuple[S, ...]:
    return tuple(s for s, b in table.items() if b is bucket)


def _applicant_time_over(status: S, started: Any, days: int, now: dt.datetime) -> sa.ColumnElement[bool]:
    """In `status` and its deadline overdue (deadlines.current_deadline): started before day (today - days)."""
    # Deadlines count French calendar days: the first day kept starts at midnight in Paris.
    first_day = french_day(now) - dt.timedelta(days=days)
    first_day_kept = dt.datetime.combine(first_day, dt.time(0), tzinfo=PARIS).astimezone(dt.UTC)
    # Never NULL (a NULL would drop the row from « en attente » too, through NOT): no start date, no deadline.
    return sa.and_(Dossier.status == status, started.is_not(None), started < first_day_kept)


def bucket_condition(
    access: Access, bucket: Bucket, now: dt.datetime, settings: Settings
) -> sa.ColumnElement[bool]:
    if bucket is Bucket.ALL:
        return sa.true()
    if access.is_officer:
        # The deadlines that move a dossier between customs' buckets (CUSTOMS_ONCE_OVERDUE).
        over = or_(
            _applicant_time_over(S.HEARING, Dossier.hearing_started_at, settings.hearing_days, now),
            _applicant_time_over(
                S.COMPLEMENT_REQUESTED, Dossier.complement_requested_at, settings.complement_days, now
            ),
        )
        todo = or_(Dossier.status.in_(_statuses(CUSTOMS_BUCKETS, Bucket.TODO)), over)
        if bucket is Bucket.TODO:
            return todo
        return sa.and_(Dossier.status.in_(_statuses(CUSTOMS_BUCKETS, Bucket.WAITING)), sa.not_(over))
    return Dossier.status.in_(_statuses(APPLICANT_BUCKETS, bucket))


def taken_condition(access: Access, taken: Taken) -> sa.ColumnElement[bool]:
    """Who took the dossier is customs' business: operators may not filter on it (it would reveal it)."""
    if taken is Taken.ALL:
        return sa.true()
    if not access.is_officer:
        raise Forbidden("Le filtre « pris en charge » est réservé aux agents des douanes.")
    if taken is Taken.MINE:
        return Dossier.assigned_officer_id == access.actor.user_id  # type: ignore[union-attr]
    return Dossier.assigned_officer_id.is_(None)


@dataclass
class DashboardPage:
    rows: list[tuple[Dossier, Operator]]
    total: int
    counts: dict[Bucket, int]
    has_next: bool
    end_cursor: str | None


def _encode(sort: Sort, dossier: Dossier) -> str:
    key = dossier.reference if sort is Sort.REFERENCE else dossier.updated_at.isoformat()
    return base64.urlsafe_b64encode(json.dumps([sort.value, key, dossier.id]).encode()).decode()


def _decode(sort: Sort, cursor: str) -> tuple[str | dt.datetime, int]:
    try:
        kind, key, dossier_id = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        if kind != sort.value or not isinstance(dossier_id, int):
            raise ValueError
        return (key if sort is Sort.REFERENCE else dt.datetime.fromisoformat(key)), dossier_id
    except (ValueError, TypeError):
        raise DomainError("Curseur de pagination invalide.", code="INVALID", field="after") from None


async def dashboard(
    session: AsyncSession,
    access: Access,
    *,
    bucket: Bucket = Bucket.TODO,
    statuses: list[S] | None = None,
    procedures: list[str] | None = None,
    operator_ids: list[int] | None = None,
    search: str | None = None,
    sort: Sort = Sort.UPDATED_DESC,
    first: int = 20,
    after: str | None = None,
    taken: Taken = Taken.ALL,
    now: dt.datetime | None = None,
) -> DashboardPage:
    """One page of a bucket. `total` counts the rows of the bucket with every filter; `counts` count each bucket with
    every filter but the statuses (the bucket tabs show how many dossiers each holds, whatever statuses the list
    shows)."""
    require_actor(access)
    require_terms(access)
    now = now or utcnow()
    settings = session.info["settings"]
    first = page_size(first)
    filters = [visible_dossiers(access)]  # every filter but the statuses
    if taken is not Taken.ALL:
        filters.append(taken_condition(access, taken))
    if procedures:
        filters.append(Dossier.procedure.in_(procedures))
    if operator_ids:
        filters.append(Dossier.operator_id.in_(operator_ids))
    if search and search.strip():
        pattern = contains_pattern(search)
        filters.append(
            or_(
                sa.func.lower(Dossier.reference).like(pattern, escape="\\"),
                sa.func.lower(Operator.legal_name).like(pattern, escape="\\"),
                Operator.siret.like(pattern.replace(" ", ""), escape="\\"),
            )
        )

    listed = [*filters, Dossier.status.in_(statuses)] if statuses else filters

    # Both tabs' counts and the listed bucket's total in one statement: one scan of what the filters keep, each
    # count a FILTER of it (the total with the statuses too).
    condition = bucket_condition(access, bucket, now, settings)
    tabs = (Bucket.TODO, Bucket.WAITING)
    listed_here = sa.and_(Dossier.status.in_(statuses), condition) if statuses else condition
    aggregates = [sa.func.count().filter(bucket_condition(access, b, now, settings)) for b in tabs]
    statement = (
        select(*aggregates, sa.func.count().filter(listed_here))
        .select_from(Dossier)
        .join(Operator, Operator.id == Dossier.operator_id)
        .where(*filters)
    )
    *tab_counts, total = (await session.exec(statement)).one()
    counts = dict(zip(tabs, tab_counts, strict=True))

    query = select(Dossier, Operator).join(Operator, Operator.id == Dossier.operator_id).where(*listed, condition)
    if sort is Sort.REFERENCE:
        order = (Dossier.reference.asc(), Dossier.id.asc())
    elif sort is Sort.UPDATED_ASC:
        order = (Dossier.updated_at.asc(), Dossier.id.asc())
    else:
        order = (Dossier.updated_at.desc(), Dossier.id.desc())
    if after:
        key, last_id = _decode(sort, after)
        column = Dossier.reference if sort is Sort.REFERENCE else Dossier.updated_at
        if sort is Sort.UPDATED_DESC:
            query = query.where(or_(column < key, sa.and_(column == key, Dossier.id < last_id)))
        else:
            query = query.where(or_(column > key, sa.and_(column == key, Dossier.id > last_id)))
    rows = [(d, o) for d, o in (await session.exec(query.order_by(*order).limit(first + 1))).all()]
    has_next = len(rows) > first
    rows = rows[:first]
    return DashboardPage(
        rows=rows,
        total=total,
        counts=counts,
        has_next=has_next,
        end_cursor=_encode(sort, rows[-1][0]) if rows and has_next else None,
    )
