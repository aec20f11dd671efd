"""Live assistance requests: each change of one the subscriber sees, re-authorised per delivery."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry

from backend.api.assistance.types import TYPE_NAME
from backend.api.context import Info
from backend.api.dossiers.processing import fresh_access
from backend.api.ids import decode_id, encode_id
from backend.assistance import service
from backend.assistance.models import AssistanceRequest
from backend.events import SubscriberDropped, office_channel, operator_channel
from backend.identity.policy.assistance import (
    is_support,
    may_read_request,
    office_of,
    require_assistance_user,
)


@strawberry.type(description="Ce qui est arrivé à une demande d'assistance que vous voyez.")
class AssistanceChange:
    request_id: strawberry.ID | None
    message_id: strawberry.ID | None
    kind: str | None = strawberry.field(description="opened, message, answer, taken, closed.")
    status: str | None
    resync: bool = strawberry.field(description="Vrai après une interruption : relire ce qui est affiché.")


@strawberry.type
class AssistanceSubscription:
    @strawberry.subscription(
        description="Vos demandes d'assistance et celles auxquelles vous répondez, en direct (requestId : une "
        "seule). Chaque événement est vérifié avec vos droits du moment."
    )
    async def assistance_changed(
        self, info: Info, request_id: strawberry.ID | None = None
    ) -> AsyncGenerator[AssistanceChange, None]:
        access = await info.context.access()
        require_assistance_user(access)
        target = None
        if request_id is not None:
            target = decode_id(request_id, TYPE_NAME, "Demande d'assistance introuvable.")
            async with info.context.db.session() as session:
                await service.get_request(session, access, target)  # NotFound for what the actor may not see
            channels = [service.request_channel(target)]
        else:
            channels = [service.author_channel(access.actor.user_id)]
            if office_of(access):
                channels.append(office_channel(office_of(access)))
            if is_support(access):
                channels.append(service.SUPPORT_CHANNEL)
            if access.is_professional:
                # The questions of the operators they hold a right on (a partial mandate's are filtered below).
                channels += [operator_channel(entry.operator_id) for entry in access.actionable()]
        async with info.context.portal.hub.subscribe(channels) as subscriber:
            seen: set[int] = set()
            while True:
                try:
                    message = await subscriber.next()
                except SubscriberDropped:
                    message = {"type": "resync"}
                if message.get("type") == "resync":
                    yield AssistanceChange(request_id=None, message_id=None, kind=None, status=None, resync=True)
                    continue
                if message.get("type") != service.MESSAGE_TYPE:
                    continue
                if message["message"] in seen:
                    continue  # the same entry reached two of the subscriber's channels
                seen.add(message["message"])
                if len(seen) > 1000:
                    seen.clear()
                found = int(message["request"])
                access = await fresh_access(info)
                async with info.context.db.session() as session:
                    row = await session.get(AssistanceRequest, found)
                    if row is None or not may_read_request(access, row):
                        if target is not None:
                            return
                        continue
                yield AssistanceChange(
                    request_id=strawberry.ID(encode_id(TYPE_NAME, found)),
                    message_id=strawberry.ID(str(message["message"])),
                    kind=message.get("kind"),
                    status=message.get("status"),
                    resync=False,
                )
