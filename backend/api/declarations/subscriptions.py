"""Live private declarations: each change of one the subscriber sees, re-authorised per delivery."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry

from backend.api.context import Info
from backend.api.dossiers.processing import fresh_access
from backend.api.ids import decode_id, encode_id
from backend.declarations import service
from backend.declarations.models import PrivateDeclaration
from backend.events import SubscriberDropped, office_channel
from backend.identity.policy import require_actor
from backend.identity.policy.declarations import is_private_person, may_read_declaration


@strawberry.type(description="Ce qui est arrivé à une déclaration que vous voyez.")
class DeclarationChange:
    declaration_id: strawberry.ID | None
    event_id: strawberry.ID | None
    kind: str | None = strawberry.field(description="Le genre de l'entrée d'historique (submitted, accepted, …).")
    resync: bool = strawberry.field(description="Vrai après une interruption : relire ce qui est affiché.")


@strawberry.type
class DeclarationSubscription:
    @strawberry.subscription(
        description="Vos déclarations (particulier) ou celles de votre bureau (douane), en direct : étapes et "
        "messages (declarationId : une seule). Chaque événement est vérifié avec vos droits du moment."
    )
    async def private_declaration_changed(
        self, info: Info, declaration_id: strawberry.ID | None = None
    ) -> AsyncGenerator[DeclarationChange, None]:
        access = await info.context.access()
        require_actor(access)
        target = None
        if declaration_id is not None:
            target = decode_id(declaration_id, "PrivateDeclaration", "Déclaration introuvable.")
            async with info.context.db.session() as session:
                await service.get_declaration(session, access, target)  # NotFound for what the actor may not see
        if target is not None:
            channels = [service.declaration_channel(target)]
        elif is_private_person(access):
            channels = [service.declarant_channel(access.actor.user_id)]
        elif access.is_officer and access.actor.user.customs_office:
            channels = [office_channel(access.actor.user.customs_office)]
        else:
            return
        async with info.context.portal.hub.subscribe(channels) as subscriber:
            while True:
                try:
                    message = await subscriber.next()
                except SubscriberDropped:
                    message = {"type": "resync"}
                if message.get("type") == "resync":
                    yield DeclarationChange(declaration_id=None, event_id=None, kind=None, resync=True)
                    continue
                if message.get("type") != service.MESSAGE_TYPE:
                    continue  # a dossier's or an authorisation's event on the office's channel
                found = int(message["declaration"])
                access = await fresh_access(info)
                async with info.context.db.session() as session:
                    row = await session.get(PrivateDeclaration, found)
                    if row is None or not may_read_declaration(access, row):
                        if target is not None:
                            return  # no longer visible: the subscription ends
                        continue
                yield DeclarationChange(
                    declaration_id=strawberry.ID(encode_id("PrivateDeclaration", found)),
                    event_id=strawberry.ID(str(message["event"])),
                    kind=message.get("kind"),
                    resync=False,
                )
