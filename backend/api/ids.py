"""Global (Relay) ids in arguments: decoded once here; a malformed or foreign id is simply "not found"."""

from __future__ import annotations

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession
from strawberry import relay

from backend.errors import NotFound
from backend.identity.models import Operator
from backend.paging import row_id


def decode_id(value: str | relay.GlobalID, type_name: str, message: str = "Objet introuvable.") -> int:
    try:
        global_id = value if isinstance(value, relay.GlobalID) else relay.GlobalID.from_id(str(value))
    except Exception:
        raise NotFound(message) from None
    number = row_id(global_id.node_id)
    if global_id.type_name != type_name or number is None:
        raise NotFound(message)
    return number


def encode_id(type_name: str, node_id: int) -> str:
    return str(relay.GlobalID(type_name, str(node_id)))


async def operator_id_from_reference(session: AsyncSession, reference: str) -> int | None:
    """An operator named by an API client: its SIRET (14 digits) or its global id; None when unknown."""
    reference = reference.strip().replace(" ", "")
    if reference.isascii() and reference.isdigit() and len(reference) == 14:
        return (await session.exec(select(Operator.id).where(Operator.siret == reference))).first()
    try:
        return decode_id(reference, "Operator")
    except NotFound:
        return None
