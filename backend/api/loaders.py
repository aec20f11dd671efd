"""Data loaders of one GraphQL operation: a field asked on every row of a page (last editor, operator, goods lines…)
is read with one query for the page instead of one per row.

They batch but do not cache (`cache=False`): a WebSocket connection keeps its context for hours, and a mutation may
change what an earlier field read. Every loader reads through the session factory it is given (the operation's
`Context.reading`, one connection per operation).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession
from strawberry.dataloader import DataLoader

from backend.authorizations.models import Authorization
from backend.dossiers import models as dm
from backend.identity import models as im

SessionFactory = Callable[[], AbstractAsyncContextManager[AsyncSession]]


class Loaders:
    def __init__(self, sessions: SessionFactory) -> None:
        self._sessions = sessions
        self.users: DataLoader[int, im.User | None] = DataLoader(self._users, cache=False)
        self.operators: DataLoader[int, im.Operator | None] = DataLoader(self._operators, cache=False)
        self.goods: DataLoader[int, list[dm.GoodsLine]] = DataLoader(self._goods, cache=False)
        self.dossier_references: DataLoader[int, str | None] = DataLoader(self._dossier_references, cache=False)
        self.authorization_references: DataLoader[int, str | None] = DataLoader(
            self._authorization_references, cache=False
        )

    async def user_name(self, user_id: int | None) -> str | None:
        """A user's display name; None for no user or an unknown one."""
        if not user_id:
            return None
        user = await self.users.load(user_id)
        return user.display_name if user else None

    async def operator_name(self, operator_id: int) -> str | None:
        operator = await self.operators.load(operator_id)
        return operator.legal_name if operator else None

    async def dossier_reference(self, dossier_id: int) -> str | None:
        return await self.dossier_references.load(dossier_id)

    async def authorization_reference(self, authorization_id: int) -> str | None:
        return await self.authorization_references.load(authorization_id)

    async def _dossier_references(self, ids: list[int]) -> list[str | None]:
        async with self._sessions() as session:
            rows = (
                await session.exec(select(dm.Dossier.id, dm.Dossier.reference).where(dm.Dossier.id.in_(set(ids))))
            ).all()
        found = dict(rows)
        return [found.get(i) for i in ids]

    async def _authorization_references(self, ids: list[int]) -> list[str | None]:
        async with self._sessions() as session:
            rows = (
                await session.exec(
                    select(Authorization.id, Authorization.reference).where(Authorization.id.in_(set(ids)))
                )
            ).all()
        found = dict(rows)
        return [found.get(i) for i in ids]

    async def _users(self, ids: list[int]) -> list[im.User | None]:
        async with self._sessions() as session:
            rows = (await session.exec(select(im.User).where(im.User.id.in_(set(ids))))).all()
        found = {u.id: u for u in rows}
        return [found.get(i) for i in ids]

    async def _operators(self, ids: list[int]) -> list[im.Operator | None]:
        async with self._sessions() as session:
            rows = (await session.exec(select(im.Operator).where(im.Operator.id.in_(set(ids))))).all()
        found = {o.id: o for o in rows}
        return [found.get(i) for i in ids]

    async def _goods(self, dossier_ids: list[int]) -> list[list[dm.GoodsLine]]:
        """Each dossier's lines in the order of `goods.goods_lines` (kind, position, id)."""
        async with self._sessions() as session:
            rows = (
                await session.exec(
                    select(dm.GoodsLine)
                    .where(dm.GoodsLine.dossier_id.in_(set(dossier_ids)))
                    .order_by(dm.GoodsLine.kind, dm.GoodsLine.position, dm.GoodsLine.id)
                )
            ).all()
        by_dossier: dict[int, list[dm.GoodsLine]] = defaultdict(list)
        for line in rows:
            by_dossier[line.dossier_id].append(line)
        return [list(by_dossier.get(i, [])) for i in dossier_ids]
