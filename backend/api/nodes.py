"""One base for the Relay nodes: each names its model and the policy's visibility filter, and `node(id:)` (and every
`resolve_nodes`) reads only what that filter lets through. An object the actor may not see is null, exactly like one
that does not exist; no node type can forget the check (as NetBox applies `restrict(user, "view")` in its base type).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, ClassVar, Self

import sqlalchemy as sa
from sqlmodel import SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession
from strawberry import relay

from backend.identity.policy import Access
from backend.paging import row_id


class PolicyNode(relay.Node):
    """A Relay node read through the access policy. Subclasses set `model` and `visibility`, and build themselves in
    `from_model` (or `load`, when building needs more than the row)."""

    model: ClassVar[type[SQLModel]]
    # The policy's SQL filter for what `access` may see of `model`: `visibility = staticmethod(visible_…)`.
    visibility: ClassVar[Callable[[Access], sa.ColumnElement[bool]]]

    @classmethod
    def from_model(cls, row: Any) -> Self:
        raise NotImplementedError

    @classmethod
    async def load(cls, session: AsyncSession, condition: sa.ColumnElement[bool]) -> list[Self]:
        """The nodes of the rows matching `condition` (their ids and the visibility filter)."""
        rows = (await session.exec(select(cls.model).where(condition))).all()
        return [cls.from_model(row) for row in rows]

    @classmethod
    async def resolve_nodes(cls, *, info, node_ids: Iterable[str], required: bool = False):
        node_ids = list(node_ids)
        ids = [number for i in node_ids if (number := row_id(i)) is not None]
        found: dict[str, Self] = {}
        if ids:
            access = await info.context.access()
            condition = sa.and_(cls.model.id.in_(ids), cls.visibility(access))
            async with info.context.db.session() as session:
                found = {str(node.id): node for node in await cls.load(session, condition)}
        return [found.get(str(i)) for i in node_ids]
