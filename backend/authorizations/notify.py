"""Publishing an authorisation's events on the hub, after the transaction that wrote them has committed."""

from __future__ import annotations

import datetime as dt

from sqlmodel.ext.asyncio.session import AsyncSession

from backend.authorizations.models import Authorization, AuthorizationEvent
from backend.events import office_channel, operator_channel

MESSAGE_TYPE = "authorization_event"
MAX_TEXT = 4000  # a reason, a note, a comment, observations


async def publish(session: AsyncSession, authorization: Authorization, event: AuthorizationEvent) -> None:
    """Ids only, on the holder's and the issuing office's channels: listeners re-read through the policy."""
    hub = session.info.get("hub")
    if hub is None:
        return
    message = {
        "type": MESSAGE_TYPE,
        "event": event.id,
        "authorization": authorization.id,
        "kind": event.kind,
        "operator": authorization.operator_id,
        "office": authorization.customs_office,
    }
    await hub.publish(operator_channel(authorization.operator_id), message)
    await hub.publish(office_channel(authorization.customs_office), message)


async def record_and_publish(
    session: AsyncSession,
    actor_id: int,
    authorization: Authorization,
    kind: str,
    message: str,
    now: dt.datetime,
) -> AuthorizationEvent:
    """One history entry with the authorisation's change, in one transaction; published once committed."""
    authorization.updated_at = now
    session.add(authorization)
    event = AuthorizationEvent(
        authorization_id=authorization.id,
        kind=kind,
        version=authorization.current_version,
        actor_id=actor_id,
        message=message,
        at=now,
    )
    session.add(event)
    await session.commit()
    await session.refresh(authorization)
    await publish(session, authorization, event)
    return event


def cleaned_text(text: str | None, field: str, missing: str) -> tuple[str, list[tuple[str, str]]]:
    """The text stripped, and its problem (`missing` when empty; too long) named by its field."""
    cleaned = (text or "").strip()
    if not cleaned:
        return cleaned, [(field, missing)]
    if len(cleaned) > MAX_TEXT:
        return cleaned, [(field, f"Le texte est trop long ({MAX_TEXT} caractères au plus).")]
    return cleaned, []
