"""Identity mutations: each decodes its arguments, asks the domain service (which asks the policy), maps the result."""

from __future__ import annotations

import datetime as dt

import strawberry
from sqlmodel import select

from backend.api.context import Info
from backend.api.identity.types import (
    ApiToken,
    CreateApiTokenPayload,
    Habilitation,
    MandateScope,
    Representation,
    Right,
    TermsOfUse,
    User,
    habilitation_rows,
    representations_with_operators,
)
from backend.api.ids import decode_id
from backend.auth.sessions import set_acting_operator
from backend.errors import NotFound
from backend.identity import habilitations as habilitation_service
from backend.identity import models
from backend.identity import representations as representation_service
from backend.identity import terms as terms_service
from backend.identity import tokens as token_service
from backend.identity.policy import (
    require_admin,
    require_browser_session,
    require_professional,
    require_right,
    require_terms,
)


@strawberry.input(description="Habiliter un collaborateur ou un partenaire externe.")
class GrantHabilitationInput:
    operator_id: strawberry.ID = strawberry.field(
        description="L'opérateur qui donne le droit (dont vous êtes administrateur)."
    )
    email: str = strawberry.field(
        description="Adresse électronique de la personne (elle s'est déjà connectée une fois)."
    )
    siret: str | None = strawberry.field(
        default=None, description="SIRET de l'opérateur de la personne (partenaire externe)."
    )
    right: Right | None = strawberry.field(
        default=None, description="Le droit à donner (obligatoire ; absent, l'erreur est rendue avec les autres)."
    )
    teleservice: str = "SOPRANO"


@strawberry.input(description="Donner un mandat de représentation en douane.")
class CreateRepresentationInput:
    represented_operator_id: strawberry.ID
    representative_siret: str
    scope: MandateScope
    valid_from: dt.date | None = strawberry.field(
        default=None,
        description="Premier jour du mandat (obligatoire ; absent, l'erreur est rendue avec les autres).",
    )
    valid_until: dt.date | None = None


@strawberry.input(description="Créer un jeton d'accès API pour un logiciel partenaire ou une application mobile.")
class CreateApiTokenInput:
    name: str
    operator_id: strawberry.ID | None = None
    right: Right | None = None
    expires_in_days: int | None = strawberry.field(
        default=90,
        description="Durée de validité en jours (1 à 366) ; null : l'erreur est rendue avec les autres.",
    )


@strawberry.type
class IdentityMutation:
    @strawberry.mutation(
        description="Donner (ou changer) le droit d'une personne sur un téléservice de l'opérateur."
    )
    async def grant_habilitation(self, info: Info, input: GrantHabilitationInput) -> Habilitation:
        access = await info.context.access()
        operator_id = decode_id(input.operator_id, "Operator", "Opérateur introuvable.")
        # Rights first: whether an e-mail has an account is only told to the operator's administrators.
        require_admin(access, operator_id)
        right = models.Right(input.right.value) if input.right else None
        habilitation_service.check_grant_request(input.email, input.siret, right)  # every problem at once
        async with info.context.db.session() as session:
            grantee = await habilitation_service.find_grantee(session, email=input.email, siret=input.siret)
            # The policy check comes first inside grant(); finding the grantee reveals nothing more than "not found".
            habilitation = await habilitation_service.grant(
                session,
                access,
                operator_id,
                grantee,
                right,
                input.teleservice,  # type: ignore[arg-type]
            )
            return (await habilitation_rows(session, ids=[habilitation.id]))[0]

    @strawberry.mutation(description="Retirer une habilitation (elle reste dans l'historique).")
    async def revoke_habilitation(self, info: Info, id: strawberry.ID) -> Habilitation:
        access = await info.context.access()
        habilitation_id = decode_id(id, "Habilitation", "Habilitation introuvable.")
        async with info.context.db.session() as session:
            await habilitation_service.revoke(session, access, habilitation_id)
            return (await habilitation_rows(session, ids=[habilitation_id]))[0]

    @strawberry.mutation(
        description="Nommer ou retirer un administrateur de l'opérateur (le dernier ne peut être retiré)."
    )
    async def set_operator_administrator(
        self, info: Info, operator_id: strawberry.ID, user_id: strawberry.ID, is_admin: bool
    ) -> User:
        access = await info.context.access()
        operator = decode_id(operator_id, "Operator", "Opérateur introuvable.")
        user = decode_id(user_id, "User", "Utilisateur introuvable.")
        async with info.context.db.session() as session:
            updated = await habilitation_service.set_administrator(session, access, operator, user, is_admin)
        return User.from_model(updated)

    @strawberry.mutation(
        description="Donner un mandat de représentation à un représentant en douane (par son SIRET)."
    )
    async def create_representation(self, info: Info, input: CreateRepresentationInput) -> Representation:
        access = await info.context.access()
        represented = decode_id(input.represented_operator_id, "Operator", "Opérateur introuvable.")
        async with info.context.db.session() as session:
            mandate = await representation_service.create(
                session,
                access,
                represented_id=represented,
                representative_siret=input.representative_siret,
                scope=models.MandateScope(input.scope.value),
                valid_from=input.valid_from,
                valid_until=input.valid_until,
            )
            return (await representations_with_operators(session, models.Representation.id == mandate.id))[0]

    @strawberry.mutation(description="Mettre fin à un mandat de représentation.")
    async def end_representation(self, info: Info, id: strawberry.ID) -> Representation:
        access = await info.context.access()
        mandate_id = decode_id(id, "Representation", "Mandat introuvable.")
        async with info.context.db.session() as session:
            await representation_service.end(session, access, mandate_id)
            return (await representations_with_operators(session, models.Representation.id == mandate_id))[0]

    @strawberry.mutation(
        description="Choisir l'opérateur pour lequel vous agissez dans cette session (représentants, partenaires)."
    )
    async def select_acting_operator(self, info: Info, operator_id: strawberry.ID) -> User:
        access = await info.context.access()
        require_professional(access)
        require_terms(access)
        actor = info.context.require_actor()
        require_browser_session(access)
        operator = decode_id(operator_id, "Operator", "Opérateur introuvable.")
        require_right(access, operator, models.Right.CONSULT)
        async with info.context.db.session() as session:
            await set_acting_operator(session, actor.session_id, operator)
        info.context.actor = type(actor)(
            user=actor.user,
            via=actor.via,
            token=actor.token,
            session_id=actor.session_id,
            acting_operator_id=operator,
        )
        await info.context.access(refresh=True)
        return User.from_model(actor.user)

    @strawberry.mutation(
        description="Accepter la version en vigueur des conditions générales d'utilisation de SOPRANO."
    )
    async def accept_terms(self, info: Info, version: str) -> TermsOfUse:
        access = await info.context.access()
        async with info.context.db.session() as session:
            await terms_service.accept(session, access, version)
            terms = await terms_service.current_terms(session, access)
        await info.context.access(refresh=True)
        return TermsOfUse(
            version=terms.version,
            title=terms.title,
            body=terms.body,
            published_at=terms.published_at,
            accepted=True,
        )

    @strawberry.mutation(description="Créer un jeton d'accès API ; sa valeur n'est affichée qu'une fois.")
    async def create_api_token(self, info: Info, input: CreateApiTokenInput) -> CreateApiTokenPayload:
        access = await info.context.access()
        operator_id = (
            decode_id(input.operator_id, "Operator", "Opérateur introuvable.") if input.operator_id else None
        )
        async with info.context.db.session() as session:
            token, raw = await token_service.create_api_token(
                session,
                access,
                name=input.name,
                operator_id=operator_id,
                right=models.Right(input.right.value) if input.right else None,
                days=input.expires_in_days,
            )
            operator = await session.get(models.Operator, operator_id) if operator_id else None
        return CreateApiTokenPayload(token=raw, api_token=ApiToken.build(token, operator))

    @strawberry.mutation(description="Révoquer un de vos jetons d'accès API.")
    async def revoke_api_token(self, info: Info, id: strawberry.ID) -> ApiToken:
        access = await info.context.access()
        token_id = decode_id(id, "ApiToken", "Jeton introuvable.")
        async with info.context.db.session() as session:
            token = await token_service.revoke_api_token(session, access, token_id)
            operator = (
                (
                    await session.exec(select(models.Operator).where(models.Operator.id == token.operator_id))
                ).first()
                if token.operator_id
                else None
            )
        return ApiToken.build(token, operator)


__all__ = ["IdentityMutation", "NotFound"]
