"""Granting with the authorisation's terms: the dossier is granted and its authorisation issued, in one step."""

from __future__ import annotations

import datetime as dt

import strawberry

from backend.api.authorizations.types import Authorization, AuthorizationHistoryEntry
from backend.api.context import Info
from backend.api.dossiers.types import Dossier
from backend.api.ids import decode_id
from backend.authorizations import exchanges, hearing, measures, reading, requests
from backend.authorizations import models as am
from backend.authorizations.rules import GrantTerms
from backend.clock import paris_today
from backend.dossiers import processing
from backend.dossiers.models import DossierPurpose
from backend.dossiers.workflow import Action


@strawberry.input(description="Ce que la douane fixe en octroyant : la validité et les conditions.")
class GrantDossierInput:
    dossier_id: strawberry.ID
    valid_from: dt.date | None = strawberry.field(
        default=None, description="Début de validité ; par défaut le jour de la décision."
    )
    valid_until: dt.date | None = strawberry.field(
        default=None,
        description="Fin de validité : obligatoire, sauf pour l'entrepôt douanier (sans limite de durée). 5 ans au "
        "plus (3 ans pour les marchandises de l'annexe 71-02) en perfectionnement et destination particulière.",
    )
    conditions: str | None = strawberry.field(default=None, description="Conditions fixées par la douane.")
    annex_71_02: bool = strawberry.field(
        default=False, name="annex7102", description="Marchandises de l'annexe 71-02 de l'AD CDU."
    )


@strawberry.type(description="Le dossier octroyé et l'autorisation délivrée (version 1).")
class GrantDossierPayload:
    dossier: Dossier
    authorization: Authorization


@strawberry.type
class AuthorizationGrantMutation:
    @strawberry.mutation(
        description="Octroyer l'autorisation (douane) : le dossier passe au statut octroyé et l'autorisation est "
        "délivrée avec sa version 1. Chaque problème de validité est signalé à la fois, sur son champ."
    )
    async def grant_dossier(self, info: Info, input: GrantDossierInput) -> GrantDossierPayload:
        access = await info.context.access()
        dossier_id = decode_id(input.dossier_id, "Dossier", "Dossier introuvable.")
        terms = GrantTerms(
            valid_from=input.valid_from or paris_today(),
            valid_until=input.valid_until,
            conditions=input.conditions or "",
            annex_71_02=input.annex_71_02,
        )
        async with info.context.db.session() as session:
            dossier = await processing.act(session, access, dossier_id, Action.GRANT, grant=terms)
            issued = (
                await session.get(am.Authorization, dossier.authorization_id)
                if dossier.authorization_id
                else await reading.authorization_of_dossier(session, dossier.id)
            )
        return GrantDossierPayload(dossier=Dossier.build(dossier), authorization=Authorization.from_model(issued))


SuspensionCase = strawberry.enum(
    measures.SuspensionCase,
    name="SuspensionCase",
    description="Le cas de suspension (AD CDU, art. 16, § 1) : examen de motifs d'annulation ou de révocation (a), "
    "délai accordé pour remplir les conditions (b), demande du titulaire (c).",
)


@strawberry.input(description="Suspendre une autorisation (douane, bureau qui l'a délivrée).")
class SuspendAuthorizationInput:
    authorization_id: strawberry.ID
    case: SuspensionCase
    reason: str
    suspended_from: dt.date | None = strawberry.field(default=None, description="Par défaut aujourd'hui.")
    suspended_until: dt.date | None = strawberry.field(default=None, description="null : jusqu'à nouvel ordre.")


async def _measure(info: Info, authorization_id: strawberry.ID, apply) -> Authorization:
    access = await info.context.access()
    target = decode_id(authorization_id, "Authorization", "Autorisation introuvable.")
    async with info.context.db.session() as session:
        return Authorization.from_model(await apply(session, access, target))


@strawberry.type
class AuthorizationMeasureMutation:
    @strawberry.mutation(description="Suspendre l'autorisation, avec le cas, le motif et les dates (douane).")
    async def suspend_authorization(self, info: Info, input: SuspendAuthorizationInput) -> Authorization:
        return await _measure(
            info,
            input.authorization_id,
            lambda session, access, target: measures.suspend(
                session,
                access,
                target,
                case=measures.SuspensionCase(input.case.value),
                reason=input.reason,
                start=input.suspended_from or paris_today(),
                end=input.suspended_until,
            ),
        )

    @strawberry.mutation(description="Lever la suspension en cours ou à venir, avec un motif (douane).")
    async def lift_authorization_suspension(self, info: Info, id: strawberry.ID, reason: str) -> Authorization:
        return await _measure(
            info,
            id,
            lambda session, access, target: measures.lift_suspension(session, access, target, reason=reason),
        )

    @strawberry.mutation(
        description="Révoquer l'autorisation (douane) : effet aujourd'hui ou à une date reportée d'un an au plus "
        "(CDU, art. 28, § 4)."
    )
    async def revoke_authorization(
        self, info: Info, id: strawberry.ID, reason: str, effective: dt.date | None = None
    ) -> Authorization:
        return await _measure(
            info,
            id,
            lambda session, access, target: measures.revoke(
                session, access, target, reason=reason, effective=effective
            ),
        )

    @strawberry.mutation(
        description="Annuler l'autorisation (douane, CDU art. 27) : effet à compter de sa date de prise d'effet."
    )
    async def annul_authorization(self, info: Info, id: strawberry.ID, reason: str) -> Authorization:
        return await _measure(
            info, id, lambda session, access, target: measures.annul(session, access, target, reason=reason)
        )

    @strawberry.mutation(description="Enregistrer un réexamen (douane, CDU art. 23, § 4) : une note et sa date.")
    async def reassess_authorization(
        self, info: Info, id: strawberry.ID, note: str, on: dt.date | None = None
    ) -> Authorization:
        return await _measure(
            info, id, lambda session, access, target: measures.reassess(session, access, target, note=note, on=on)
        )


AdverseMeasureKind = strawberry.enum(
    hearing.AdverseMeasure,
    name="AdverseMeasure",
    description="Une mesure défavorable au titulaire, précédée du droit d'être entendu : suspension, révocation, "
    "annulation.",
)


@strawberry.type
class AuthorizationHearingMutation:
    @strawberry.mutation(
        description="Notifier au titulaire la mesure envisagée et ses motifs (douane) : il a le délai du droit d'être entendu (réglage HEARING_DAYS, 30 jours par défaut) pour "
        "présenter ses observations ; la mesure se décide ensuite (ou dès sa réponse)."
    )
    async def notify_intended_authorization_measure(
        self, info: Info, id: strawberry.ID, measure: AdverseMeasureKind, reason: str
    ) -> Authorization:
        return await _measure(
            info,
            id,
            lambda session, access, target: measures.notify_intended(
                session, access, target, measure=hearing.AdverseMeasure(measure.value), reason=reason
            ),
        )

    @strawberry.mutation(description="Renoncer à la mesure envisagée, avec un motif (douane).")
    async def abandon_intended_authorization_measure(
        self, info: Info, id: strawberry.ID, reason: str
    ) -> Authorization:
        return await _measure(
            info,
            id,
            lambda session, access, target: measures.abandon_intended(session, access, target, reason=reason),
        )

    @strawberry.mutation(
        description="Présenter ses observations sur la mesure envisagée (titulaire, droit de déposer), une fois, "
        "dans le délai."
    )
    async def answer_authorization_hearing(
        self, info: Info, id: strawberry.ID, observations: str
    ) -> Authorization:
        return await _measure(
            info,
            id,
            lambda session, access, target: exchanges.answer_hearing(session, access, target, observations),
        )


@strawberry.type
class AuthorizationRequestMutation:
    @strawberry.mutation(
        description="« Demander un avenant » : un nouveau dossier (brouillon) prérempli de la version en vigueur, qui "
        "suit le circuit habituel ; octroyé, il devient la version suivante de la même autorisation."
    )
    async def request_amendment(self, info: Info, authorization_id: strawberry.ID) -> Dossier:
        return await _request(info, authorization_id, DossierPurpose.AMENDMENT)

    @strawberry.mutation(
        description="« Demander le renouvellement » : possible dans les jours qui précèdent la fin de validité "
        "(RENEWAL_WINDOW_DAYS) ; un dossier prérempli ; octroyé, une nouvelle version avec la nouvelle validité."
    )
    async def request_renewal(self, info: Info, authorization_id: strawberry.ID) -> Dossier:
        return await _request(info, authorization_id, DossierPurpose.RENEWAL)


async def _request(info: Info, authorization_id: strawberry.ID, purpose: DossierPurpose) -> Dossier:
    access = await info.context.access()
    target = decode_id(authorization_id, "Authorization", "Autorisation introuvable.")
    async with info.context.db.session() as session:
        return Dossier.build(await requests.request_change(session, access, target, purpose))


HolderRequestKind = strawberry.enum(
    exchanges.HolderRequest,
    name="HolderRequestKind",
    description="Ce que le titulaire demande à la douane : SUSPEND (AD CDU, art. 16, § 1, c), REVOKE (CDU, art. 28, "
    "§ 1, b).",
)


@strawberry.type
class AuthorizationExchangeMutation:
    @strawberry.mutation(
        description="Le titulaire demande à la douane de suspendre ou de révoquer l'autorisation, avec un motif "
        "(droit de déposer) ; la demande reste en attente jusqu'à la mesure."
    )
    async def ask_customs_about_authorization(
        self, info: Info, id: strawberry.ID, kind: HolderRequestKind, reason: str
    ) -> Authorization:
        return await _measure(
            info,
            id,
            lambda session, access, target: exchanges.ask_customs(
                session, access, target, exchanges.HolderRequest(kind.value), reason
            ),
        )

    @strawberry.mutation(
        description="Laisser un commentaire dans l'historique de l'autorisation (titulaire : droit de préparer ; "
        "douane : bureau qui l'a délivrée)."
    )
    async def comment_on_authorization(
        self, info: Info, id: strawberry.ID, text: str
    ) -> AuthorizationHistoryEntry:
        access = await info.context.access()
        target = decode_id(id, "Authorization", "Autorisation introuvable.")
        async with info.context.db.session() as session:
            event = await exchanges.comment(session, access, target, text)
        return AuthorizationHistoryEntry(
            id=str(event.id),
            kind=event.kind,
            label="Commentaire",
            at=event.at,
            message=event.message,
            version=event.version,
            actor_id=event.actor_id,
        )


@strawberry.type
class AuthorizationMutation(
    AuthorizationGrantMutation,
    AuthorizationMeasureMutation,
    AuthorizationRequestMutation,
    AuthorizationExchangeMutation,
    AuthorizationHearingMutation,
):
    pass
