"""Lists of private declarations: « à traiter / en attente / terminées » for each side, searched, sorted, paged."""

from __future__ import annotations

import enum
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.declarations.models import DeclarationStatus, PrivateDeclaration
from backend.identity.models import User
from backend.identity.policy import Access, require_actor
from backend.identity.policy.declarations import is_private_person, visible_declarations
from backend.paging import contains_pattern, cursor_offset, offset_cursor, page_size

S = DeclarationStatus


class Bucket(enum.StrEnum):
    TODO = "todo"
    WAITING = "waiting"
    DONE = "done"
    ALL = "all"


class Sort(enum.StrEnum):
    UPDATED_DESC = "updated_desc"
    UPDATED_ASC = "updated_asc"
    REFERENCE = "reference"


# What waits for whom: the declarant acts on a draft or a request for information; the office on what was submitted.
_DECLARANT = {
    Bucket.TODO: (S.DRAFT, S.INFO_REQUESTED),
    Bucket.WAITING: (S.SUBMITTED, S.UNDER_REVIEW),
    Bucket.DONE: (S.ACCEPTED, S.REFUSED),
}
_OFFICE = {
    Bucket.TODO: (S.SUBMITTED, S.UNDER_REVIEW),
    Bucket.WAITING: (S.INFO_REQUESTED,),
    Bucket.DONE: (S.ACCEPTED, S.REFUSED),
}


def bucket_statuses(access: Access, bucket: Bucket) -> tuple[DeclarationStatus, ...]:
    if bucket is Bucket.ALL:
        return tuple(S)
    return (_DECLARANT if is_private_person(access) else _OFFICE)[bucket]


@dataclass
class DeclarationPage:
    rows: list[tuple[PrivateDeclaration, str]]  # the declaration, its declarant's name
    total: int
    has_next: bool
    end_cursor: str | None


async def list_declarations(
    session: AsyncSession,
    access: Access,
    *,
    bucket: Bucket = Bucket.ALL,
    search: str | None = None,
    sort: Sort = Sort.UPDATED_DESC,
    first: int = 20,
    after: str | None = None,
) -> DeclarationPage:
    require_actor(access)
    first = page_size(first)
    conditions = [
        visible_declarations(access),
        PrivateDeclaration.status.in_([s.value for s in bucket_statuses(access, bucket)]),
    ]
    if search and search.strip():
        pattern = contains_pattern(search)
        conditions.append(
            or_(
                sa.func.lower(PrivateDeclaration.reference).like(pattern, escape="\\"),
                sa.func.lower(User.name).like(pattern, escape="\\"),
                sa.func.lower(sa.cast(PrivateDeclaration.items, sa.String)).like(pattern, escape="\\"),
                sa.func.lower(sa.cast(PrivateDeclaration.facts, sa.String)).like(pattern, escape="\\"),
            )
        )
    joined = select(PrivateDeclaration, User.name).join(User, User.id == PrivateDeclaration.declarant_id)
    total = (
        await session.exec(
            select(sa.func.count())
            .select_from(PrivateDeclaration)
            .join(User, User.id == PrivateDeclaration.declarant_id)
            .where(*conditions)
        )
    ).one()
    if sort is Sort.REFERENCE:
        order = (
            PrivateDeclaration.reference.is_(None).asc(),
            PrivateDeclaration.reference.asc(),
            PrivateDeclaration.id,
        )
    elif sort is Sort.UPDATED_ASC:
        order = (PrivateDeclaration.updated_at.asc(), PrivateDeclaration.id.asc())
    else:
        order = (PrivateDeclaration.updated_at.desc(), PrivateDeclaration.id.desc())
    offset = cursor_offset(after)
    rows = list(
        (await session.exec(joined.where(*conditions).order_by(*order).offset(offset).limit(first + 1))).all()
    )
    has_next = len(rows) > first
    rows = rows[:first]
    return DeclarationPage(
        rows=[(d, name) for d, name in rows],
        total=total,
        has_next=has_next,
        end_cursor=offset_cursor(offset + len(rows)) if has_next else None,
    )


async def bucket_counts(session: AsyncSession, access: Access) -> dict[Bucket, int]:
    """How many declarations the actor has in each bucket, in one statement."""
    require_actor(access)
    rows = (
        await session.exec(
            select(PrivateDeclaration.status, sa.func.count())
            .where(visible_declarations(access))
            .group_by(PrivateDeclaration.status)
        )
    ).all()
    by_status = {DeclarationStatus(status): count for status, count in rows}
    return {
        bucket: sum(by_status.get(s, 0) for s in bucket_statuses(access, bucket))
        for bucket in (Bucket.TODO, Bucket.WAITING, Bucket.DONE, Bucket.ALL)
    }
