"""Reading issued authorisations: the filtered list, one by id (node(id:) too, through PolicyNode)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from backend.api.authorizations.types import (
    Authorization,
    AuthorizationPage,
    AuthorizationSort,
    AuthorizationState,
)
from backend.api.context import Info
from backend.api.dossiers.types import ProcedureCode
from backend.api.ids import decode_id
from backend.authorizations import models as am
from backend.authorizations import reading
from backend.clock import paris_today
from backend.errors import NotFound


@strawberry.type
class AuthorizationQuery:
    @strawberry.field(
        description="Les autorisations que vous voyez (titulaire et ses représentants ; douane : celles de votre "
        "bureau), avec filtres : états d'aujourd'hui, régimes, fin de validité dans N jours, recherche (référence, "
        "titulaire, SIRET), tri et pagination."
    )
    async def authorizations(
        self,
        info: Info,
        states: list[AuthorizationState] | None = None,
        procedures: list[ProcedureCode] | None = None,
        expires_within_days: int | None = None,
        search: str | None = None,
        sort: AuthorizationSort = reading.Sort.VALID_UNTIL,
        first: int = 20,
        after: str | None = None,
        to_renew: Annotated[
            bool,
            strawberry.argument(
                description="Seulement celles à renouveler par vous : en vigueur, dans la fenêtre de renouvellement, "
                "sans demande en cours, et vous avez le droit de préparer (« à traiter »)."
            ),
        ] = False,
        to_answer: Annotated[
            bool,
            strawberry.argument(
                description="Seulement celles où la douane attend vos observations (droit d'être entendu, dans le "
                "délai) et vous avez le droit de déposer (« à traiter »)."
            ),
        ] = False,
        to_decide: Annotated[
            bool,
            strawberry.argument(
                description="Douane : seulement celles où une décision vous attend — demande du titulaire, ou "
                "titulaire entendu sur la mesure envisagée (« à traiter »)."
            ),
        ] = False,
    ) -> AuthorizationPage:
        access = await info.context.access()
        async with info.context.db.session() as session:
            page = await reading.list_authorizations(
                session,
                access,
                today=paris_today(),
                states=[am.AuthorizationState(s.value) for s in states] if states else None,
                procedures=[p.value for p in procedures] if procedures else None,
                expires_within_days=expires_within_days,
                search=search,
                sort=reading.Sort(sort.value),
                first=first,
                after=after,
                to_renew=to_renew,
                to_answer=to_answer,
                to_decide=to_decide,
            )
        return AuthorizationPage(
            items=[Authorization.from_model(a) for a, _ in page.rows],
            total_count=page.total,
            has_next_page=page.has_next,
            end_cursor=page.end_cursor,
        )

    @strawberry.field(description="Une autorisation ; null si elle n'existe pas ou ne vous est pas visible.")
    async def authorization(self, info: Info, id: strawberry.ID) -> Authorization | None:
        try:
            authorization_id = decode_id(id, "Authorization")
        except NotFound:
            return None
        access = await info.context.access()
        async with info.context.db.session() as session:
            try:
                return Authorization.from_model(await reading.get_authorization(session, access, authorization_id))
            except NotFound:
                return None
