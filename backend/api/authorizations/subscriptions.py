"""Live authorisations: what happens to those the subscriber sees (issued, measures), re-authorised per delivery."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry

from backend.api.context import Info
from backend.api.dossiers.processing import fresh_access
from backend.api.ids import decode_id, encode_id
from backend.authorizations.notify import MESSAGE_TYPE
from backend.authorizations.reading import get_authorization
from backend.errors import DomainError
from backend.events import SubscriberDropped, office_channel, operator_channel
from backend.identity.policy import require_actor
from backend.identity.policy.dossiers import followed_dossier_groups


@strawberry.type(description="Ce qui est arrivé à une autorisation que vous voyez.")
class AuthorizationChange:
    authorization_id: strawberry.ID | None
    event_id: strawberry.ID | None
    kind: str | None = strawberry.field(description="Le genre de l'entrée d'historique (issued, suspended, …).")
    resync: bool = strawberry.field(description="Vrai après une interruption : relire ce qui est affiché.")


@strawberry.type
class AuthorizationSubscription:
    @strawberry.subscription(
        description="Les autorisations que vous voyez, en direct : délivrance, mesures de la douane, réexamens "
        "(authorizationId : une seule). Chaque événement est vérifié avec vos droits du moment."
    )
    async def authorization_changed(
        self, info: Info, authorization_id: strawberry.ID | None = None
    ) -> AsyncGenerator[AuthorizationChange, None]:
        access = await info.context.access()
        require_actor(access)  # nobody logged in is told so (like the other operations), not given an empty stream
        target = None
        if authorization_id is not None:
            target = decode_id(authorization_id, "Authorization", "Autorisation introuvable.")
            async with info.context.db.session() as session:
                await get_authorization(session, access, target)  # NotFound for what the actor may not see
        office, operator_ids = followed_dossier_groups(access)
        channels = [office_channel(office)] if office else [operator_channel(o) for o in operator_ids]
        if not channels:
            return
        async with info.context.portal.hub.subscribe(channels) as subscriber:
            while True:
                try:
                    message = await subscriber.next()
                except SubscriberDropped:
                    message = {"type": "resync"}
                if message.get("type") == "resync":
                    yield AuthorizationChange(authorization_id=None, event_id=None, kind=None, resync=True)
                    continue
                if message.get("type") != MESSAGE_TYPE:
                    continue  # a dossier's step
                found = int(message["authorization"])
                if target is not None and found != target:
                    continue
                access = await fresh_access(info)
                async with info.context.db.session() as session:
                    try:
                        await get_authorization(session, access, found)
                    except DomainError:
                        if target is not None:
                            return  # the right to see it was lost: the subscription ends
                        continue
                yield AuthorizationChange(
                    authorization_id=strawberry.ID(encode_id("Authorization", found)),
                    event_id=strawberry.ID(str(message["event"])),
                    kind=message.get("kind"),
                    resync=False,
                )
