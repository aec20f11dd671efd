"""Publishing a dossier's events on the hub, after the transaction that wrote them has committed."""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession

from backend.dossiers.models import Dossier, DossierEvent
from backend.events import dossier_channel, office_channel, operator_channel


async def publish(session: AsyncSession, dossier: Dossier, *events: DossierEvent) -> None:
    """Ids only: listeners re-read what they need through the access policy."""
    hub = session.info.get("hub")
    if hub is None:
        return
    for event in events:
        message = {
            "type": "event",
            "event": event.id,
            "dossier": dossier.id,
            "kind": event.kind,
            "operator": dossier.operator_id,
            "office": dossier.customs_office,
        }
        await hub.publish(dossier_channel(dossier.id), message)
        await hub.publish(operator_channel(dossier.operator_id), message)
        if dossier.customs_office:
            await hub.publish(office_channel(dossier.customs_office), message)
