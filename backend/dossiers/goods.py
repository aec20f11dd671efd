"""Goods lines of a dossier (goods to place, processed and replacement products): reading them, and adding, changing
and removing them while the dossier may be edited."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.dossiers.catalogue import Procedure
from backend.dossiers.editing import InvalidValue, lock_for_change, require_applicant, touch
from backend.dossiers.form import GOODS_KINDS, goods_kinds_for
from backend.dossiers.models import Dossier, GoodsLine
from backend.dossiers.parsing import MalformedValue, parse_goods_values
from backend.dossiers.rules import GoodsView
from backend.errors import NotFound
from backend.identity.policy import Access

MAX_GOODS_LINES = 500


async def goods_lines(session: AsyncSession, dossier_id: int) -> list[GoodsLine]:
    """A dossier's lines by kind, then in the order they were added. No access check: callers read the dossier
    through the policy first."""
    return list(
        (
            await session.exec(
                select(GoodsLine)
                .where(GoodsLine.dossier_id == dossier_id)
                .order_by(GoodsLine.kind, GoodsLine.position, GoodsLine.id)
            )
        ).all()
    )


def goods_views(lines: list[GoodsLine]) -> list[GoodsView]:
    """The lines as the form's rules read them."""
    return [
        GoodsView(l.id, l.kind, l.cn_code, l.description, l.quantity, l.unit, l.value)
        for l in lines  # noqa: E741
    ]


def _parsed(values: dict[str, Any]) -> dict[str, Any]:
    try:
        return parse_goods_values(values)
    except MalformedValue as error:
        raise InvalidValue(error.message, field=error.path) from None


async def add_goods_line(
    session: AsyncSession, access: Access, dossier_id: int, kind: str, values: dict[str, Any]
) -> GoodsLine:
    """A new line of a kind the dossier's procedure has, at the end of the lines (MAX_GOODS_LINES at most)."""
    dossier = await lock_for_change(session, access, dossier_id)
    if kind not in GOODS_KINDS or kind not in goods_kinds_for(Procedure(dossier.procedure)):
        raise InvalidValue("Ce type de produit n'existe pas pour ce régime.", field="kind")
    count = (
        await session.exec(
            select(sa.func.count()).select_from(GoodsLine).where(GoodsLine.dossier_id == dossier.id)
        )
    ).one()
    if count >= MAX_GOODS_LINES:
        raise InvalidValue(f"Un dossier compte au plus {MAX_GOODS_LINES} lignes de marchandises.", field="kind")
    line = GoodsLine(dossier_id=dossier.id, kind=kind, position=count + 1, **_parsed(values))
    session.add(line)
    await touch(session, dossier, access)
    await session.commit()
    await session.refresh(line)
    return line


async def _line(session: AsyncSession, access: Access, line_id: int) -> tuple[GoodsLine, Dossier]:
    require_applicant(access)
    line = await session.get(GoodsLine, line_id)
    if line is None:
        raise NotFound("Ligne de marchandise introuvable.")
    try:
        dossier = await lock_for_change(session, access, line.dossier_id)
    except NotFound:
        raise NotFound("Ligne de marchandise introuvable.") from None
    return line, dossier


async def update_goods_line(
    session: AsyncSession, access: Access, line_id: int, values: dict[str, Any]
) -> GoodsLine:
    """Change the values given; the others stay as they are."""
    line, dossier = await _line(session, access, line_id)
    for key, value in _parsed(values).items():
        setattr(line, key, value)
    session.add(line)
    await touch(session, dossier, access)
    await session.commit()
    await session.refresh(line)
    return line


async def remove_goods_line(session: AsyncSession, access: Access, line_id: int) -> int:
    """Remove a line; returns its dossier's id."""
    line, dossier = await _line(session, access, line_id)
    dossier_id = line.dossier_id
    await session.delete(line)
    await touch(session, dossier, access)
    await session.commit()
    return dossier_id
