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

import sqlalchemy as sa
from sqlmodel import or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db import utcnow
from backend.dossiers.models import Dossier, DossierStatus
from backend.errors import DomainError
from backend.identity.models import Operator
from backend.identity.policy import Access, require_actor, require_terms, visible_dossiers

S = DossierStatus


class Bucket(enum.StrEnum):
    TODO = "todo"
    WAITING = "waiting"
    ALL = "all"


class Sort(enum.StrEnum):
    UPDATED_DESC = "updated_desc"
    UPDATED_ASC = "updated_asc"
    REFERENCE = "reference"


APPLICANT_TODO = (S.DRAFT, S.COMPLEMENT_REQUESTED, S.HEARING)
APPLICANT_WAITING = (S.SUBMITTED, S.ACCEPTED)


def bucket_condition(
    access: Access, bucket: Bucket, now: dt.datetime, hearing_days: int
) -> sa.ColumnElement[bool]:
    if bucket is Bucket.ALL:
        return sa.true()
    if access.is_officer:
        # Over when its deadline is overdue (deadlines.current_deadline): started before day (today - hearing_days).
        first_day_kept = dt.datetime.combine(
            now.date() - dt.timedelta(days=hearing_days), dt.time(0), tzinfo=dt.UTC
        )
        hearing_over = sa.and_(Dossier.status == S.HEARING, Dossier.hearing_started_at < first_day_kept)
        todo = or_(Dossier.status.in_((S.SUBMITTED, S.ACCEPTED)), hearing_over)
        if bucket is Bucket.TODO:
            return todo
        return sa.and_(Dossier.status.in_((S.COMPLEMENT_REQUESTED, S.HEARING)), sa.not_(hearing_over))
    return Dossier.status.in_(APPLICANT_TODO if bucket is Bucket.TODO else APPLICANT_WAITING)


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
    now: dt.datetime | None = None,
) -> DashboardPage:
    require_actor(access)
    require_terms(access)
    now = now or utcnow()
    hearing_days = session.info["settings"].hearing_days
    first = max(1, min(first, 100))
    base = [visible_dossiers(access)]
    if statuses:
        base.append(Dossier.status.in_(statuses))
    if procedures:
        base.append(Dossier.procedure.in_(procedures))
    if operator_ids:
        base.append(Dossier.operator_id.in_(operator_ids))
    if search and search.strip():
        pattern = f"%{search.strip().lower()}%"
        base.append(
            or_(
                sa.func.lower(Dossier.reference).like(pattern),
                sa.func.lower(Operator.legal_name).like(pattern),
                Operator.siret.like(pattern.replace(" ", "")),
            )
        )

    def counted(extra: sa.ColumnElement[bool]):
        return (
            select(sa.func.count())
            .select_from(Dossier)
            .join(Operator, Operator.id == Dossier.operator_id)
            .where(*base, extra)
        )

    counts = {
        b: (await session.exec(counted(bucket_condition(access, b, now, hearing_days)))).one()
        for b in (Bucket.TODO, Bucket.WAITING)
    }
    condition = bucket_condition(access, bucket, now, hearing_days)
    total = counts[bucket] if bucket in counts else (await session.exec(counted(condition))).one()

    query = select(Dossier, Operator).join(Operator, Operator.id == Dossier.operator_id).where(*base, condition)
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
