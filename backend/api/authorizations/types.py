"""GraphQL types of the issued authorisations."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
import strawberry
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession
from strawberry import relay
from strawberry.scalars import JSON

from backend.api.context import Info
from backend.api.dossiers.types import ProcedureCode
from backend.api.dossiers.types import VersionChangeInfo as VersionChange
from backend.api.identity.types import Operator
from backend.api.ids import decode_id, encode_id
from backend.api.nodes import PolicyNode
from backend.authorizations import content, exchanges, hearing, reading, requests
from backend.authorizations import measures as customs_measures
from backend.authorizations import models as am
from backend.authorizations.pdf import measures_in_force
from backend.authorizations.rules import renewal_open, state_on
from backend.clock import paris_today
from backend.dossiers import catalogue
from backend.errors import NotFound
from backend.identity.policy.authorizations import visible_authorization_versions, visible_authorizations
from backend.identity.policy.dossiers import may_read_dossier

AuthorizationState = strawberry.enum(
    am.AuthorizationState,
    name="AuthorizationState",
    description="Ce qu'est une autorisation aujourd'hui, d'après ses dates et les mesures prises : en vigueur, "
    "pas encore en vigueur, suspendue, expirée, révoquée, annulée.",
)
VersionKind = strawberry.enum(
    am.VersionKind, name="AuthorizationVersionKind", description="Ce qui a produit une version."
)
AuthorizationSort = strawberry.enum(
    reading.Sort,
    name="AuthorizationSort",
    description="Ordre de la liste : fin de validité la plus proche d'abord (VALID_UNTIL), par référence, ou les "
    "plus récemment délivrées d'abord (ISSUED_DESC).",
)


def pdf_path(authorization_id: int, number: int) -> str:
    return f"/files/autorisations/{authorization_id}/version-{number}.pdf"


@strawberry.type(description="Une ligne du contenu accordé : libellé et valeur, en clair.")
class ContentEntry:
    key: str = strawberry.field(description="Le chemin du champ (ce que nomme une différence entre versions).")
    label: str
    value: str


@strawberry.type(description="Une rubrique du contenu accordé.")
class ContentSection:
    title: str
    entries: list[ContentEntry]


@strawberry.type(
    description="Une version délivrée d'une autorisation, immuable : le contenu accordé, la validité."
)
class AuthorizationVersion(PolicyNode):
    model = am.AuthorizationVersion
    visibility = staticmethod(visible_authorization_versions)

    id: relay.NodeID[int]
    number: int
    kind: VersionKind
    kind_label: str
    valid_from: dt.date
    valid_until: dt.date | None = strawberry.field(description="null : sans limite de durée (entrepôt douanier).")
    conditions: str = strawberry.field(description="Les conditions fixées par la douane (vide : aucune).")
    annex_71_02: bool = strawberry.field(
        name="annex7102", description="Marchandises de l'annexe 71-02 de l'AD CDU (validité de 3 ans au plus)."
    )
    issued_at: dt.datetime
    answers: JSON = strawberry.field(
        description="Les réponses du formulaire accordées : objet { chemin: valeur }."
    )
    goods: JSON = strawberry.field(description="Les lignes de marchandises accordées.")
    row: strawberry.Private[am.AuthorizationVersion]
    procedure: strawberry.Private[catalogue.Procedure]

    @classmethod
    def build(cls, version: am.AuthorizationVersion, procedure: catalogue.Procedure) -> AuthorizationVersion:
        return cls(
            id=version.id,
            number=version.number,
            kind=VersionKind(version.kind.value),
            kind_label=version.kind.label,
            valid_from=version.valid_from,
            valid_until=version.valid_until,
            conditions=version.conditions,
            annex_71_02=version.annex_71_02,
            issued_at=version.issued_at,
            answers=dict(version.answers),
            goods=list(version.goods),
            row=version,
            procedure=procedure,
        )

    @classmethod
    async def load(cls, session: AsyncSession, condition: sa.ColumnElement[bool]) -> list[AuthorizationVersion]:
        query = (
            select(am.AuthorizationVersion, am.Authorization.procedure)
            .join(am.Authorization, am.Authorization.id == am.AuthorizationVersion.authorization_id)
            .where(condition)
        )
        rows = (await session.exec(query)).all()
        return [cls.build(version, catalogue.Procedure(procedure)) for version, procedure in rows]

    @strawberry.field(description="Délivrée par (l'agent des douanes).")
    async def issued_by(self, info: Info) -> str:
        return await info.context.loaders.user_name(self.row.issued_by_id) or ""

    @strawberry.field(description="Le contenu accordé, en clair, par rubrique (validité et conditions d'abord).")
    def sections(self) -> list[ContentSection]:
        return [
            ContentSection(
                title=s.title, entries=[ContentEntry(key=e.key, label=e.label, value=e.value) for e in s.entries]
            )
            for s in content.sections(self.row, self.procedure)
        ]

    @strawberry.field(
        description="Adresse du PDF de cette version (PDF/UA balisé, en français ; contrôle d'accès à chaque "
        "téléchargement)."
    )
    def pdf_url(self) -> str:
        return pdf_path(self.row.authorization_id, self.number)

    @strawberry.field(
        description="Ce qui a changé par rapport à une autre version de la même autorisation (against : son "
        "identifiant) ; par défaut la version précédente (vide pour la version 1)."
    )
    async def diff(self, info: Info, against: strawberry.ID | None = None) -> list[VersionChange]:
        async with info.context.db.session() as session:
            versions = await reading.versions_of(session, self.row.authorization_id)
        if against is None:
            older = next((v for v in versions if v.number == self.number - 1), None)
        else:
            wanted = decode_id(against, "AuthorizationVersion", "Version introuvable.")
            older = next((v for v in versions if v.id == wanted), None)
            if older is None:
                raise NotFound("Version introuvable pour cette autorisation.")
        if older is None:
            return []
        return [
            VersionChange(key=c.key, label=c.label, before=c.before, after=c.after)
            for c in content.diff(older, self.row, self.procedure)
        ]


@strawberry.type(description="Une entrée de l'historique d'une autorisation.")
class AuthorizationHistoryEntry:
    id: str
    kind: str = strawberry.field(
        description="issued, amended, renewed, suspended, suspension_lifted, revoked, annulled, reassessed, expired."
    )
    label: str
    at: dt.datetime
    message: str
    version: int | None
    actor_id: strawberry.Private[int | None]

    @strawberry.field(description="Qui (null : arrivé de soi-même, comme l'expiration).")
    async def actor(self, info: Info) -> str | None:
        return await info.context.loaders.user_name(self.actor_id) if self.actor_id else None


@strawberry.type(
    description="Le droit d'être entendu avant une mesure défavorable (CDU, art. 22, § 6) : la mesure envisagée, "
    "ses motifs, le délai du titulaire pour présenter ses observations."
)
class AuthorizationHearing:
    measure: str = strawberry.field(description="La mesure envisagée : suspend, revoke, annul.")
    measure_label: str
    reason: str = strawberry.field(description="Les motifs que la douane a notifiés.")
    started_at: dt.datetime
    deadline: dt.date = strawberry.field(description="Dernier jour pour présenter des observations.")
    answered_at: dt.datetime | None = strawberry.field(description="Quand le titulaire a répondu ; null sinon.")
    time_over: bool = strawberry.field(description="Le délai est passé.")
    heard: bool = strawberry.field(
        description="Le titulaire a été entendu (il a répondu ou son délai est passé) : la mesure peut être décidée."
    )


@strawberry.type(
    description="Une autorisation délivrée : sa référence, son titulaire, ses versions, son histoire."
)
class Authorization(PolicyNode):
    model = am.Authorization
    visibility = staticmethod(visible_authorizations)

    id: relay.NodeID[int]
    reference: str
    procedure_code: ProcedureCode
    procedure_label: str
    authorisation_type: str
    customs_office: str
    valid_from: dt.date = strawberry.field(description="Début de validité de la version en vigueur.")
    valid_until: dt.date | None = strawberry.field(
        description="Fin de validité de la version en vigueur ; null : sans limite de durée."
    )
    issued_at: dt.datetime
    current_version_number: int
    suspended_from: dt.date | None
    suspended_until: dt.date | None
    revoked_from: dt.date | None = strawberry.field(description="Révocation : date d'effet (reportable d'un an).")
    annulled_on: dt.date | None
    row: strawberry.Private[am.Authorization]

    @classmethod
    def from_model(cls, a: am.Authorization) -> Authorization:
        procedure = catalogue.Procedure(a.procedure)
        return cls(
            id=a.id,
            reference=a.reference or "",
            procedure_code=ProcedureCode(procedure.value),
            procedure_label=catalogue.PROCEDURES[procedure].label,
            authorisation_type=a.authorisation_type,
            customs_office=a.customs_office,
            valid_from=a.valid_from,
            valid_until=a.valid_until,
            issued_at=a.issued_at,
            current_version_number=a.current_version,
            suspended_from=a.suspended_from,
            suspended_until=a.suspended_until,
            revoked_from=a.revoked_from,
            annulled_on=a.annulled_on,
            row=a,
        )

    @strawberry.field(description="Ce qu'est l'autorisation aujourd'hui (jour calendaire français).")
    def state(self) -> AuthorizationState:
        return AuthorizationState(state_on(self.row, paris_today()).value)

    @strawberry.field(description="Le même état, en clair.")
    def state_label(self) -> str:
        return state_on(self.row, paris_today()).label

    @strawberry.field(description="Les mesures qui pèsent sur l'autorisation aujourd'hui, en clair.")
    def measures(self) -> list[str]:
        return measures_in_force(self.row, paris_today())

    @strawberry.field(
        description="Le renouvellement peut être demandé : dans les jours qui précèdent la fin de validité "
        "(réglage RENEWAL_WINDOW_DAYS, 90 par défaut)."
    )
    def renewal_open(self, info: Info) -> bool:
        return renewal_open(self.row, paris_today(), info.context.portal.settings)

    @strawberry.field(
        description="Ce que vous pouvez demander maintenant : AMENDMENT (avenant), RENEWAL (renouvellement, dans sa "
        "fenêtre) ; vide sans le droit de préparer, si l'autorisation a pris fin ou si une demande est en cours."
    )
    async def requests_offered(self, info: Info) -> list[str]:
        async with info.context.db.session() as session:
            pending = await requests.open_request(session, self.row.id)
        found = requests.offered(
            await info.context.access(), self.row, paris_today(), info.context.portal.settings, pending
        )
        return [p.name for p in found]

    @strawberry.field(
        description="Les mesures que vous pouvez prendre maintenant (douane, bureau qui l'a délivrée) : suspend, "
        "lift_suspension, revoke, annul, reassess ; notify_suspend, notify_revoke, notify_annul (envisager la mesure : "
        "le titulaire est d'abord entendu), abandon_intended ; vide pour les autres."
    )
    async def measures_offered(self, info: Info) -> list[str]:
        settings = info.context.portal.settings
        found = customs_measures.offered(await info.context.access(), self.row, paris_today(), settings)
        return [m.value for m in found]

    @strawberry.field(
        description="Les cas de suspension possibles maintenant (douane) : grounds_examined, conditions_not_met une "
        "fois le titulaire entendu ; holder_request s'il l'a demandée."
    )
    async def suspension_cases_offered(self, info: Info) -> list[str]:
        if "suspend" not in await self.measures_offered(info):
            return []
        found = customs_measures.suspension_cases_open(self.row, paris_today(), info.context.portal.settings)
        return [c.value for c in found]

    @strawberry.field(description="La mesure défavorable envisagée et le droit d'être entendu ; null sinon.")
    def hearing(self, info: Info) -> AuthorizationHearing | None:
        row, settings, today = self.row, info.context.portal.settings, paris_today()
        if row.intended_measure is None or row.hearing_started_at is None:
            return None
        measure = hearing.AdverseMeasure(row.intended_measure)
        return AuthorizationHearing(
            measure=measure.value,
            measure_label=measure.label,
            reason=row.intended_reason or "",
            started_at=row.hearing_started_at,
            deadline=hearing.deadline(row, settings),  # type: ignore[arg-type]
            answered_at=row.hearing_answered_at,
            time_over=hearing.time_over(row, today, settings),
            heard=hearing.heard(row, measure, today, settings),
        )

    @strawberry.field(
        description="Vous pouvez présenter des observations maintenant (titulaire, droit de déposer)."
    )
    async def may_answer_hearing(self, info: Info) -> bool:
        access = await info.context.access()
        return exchanges.may_answer_hearing(access, self.row, paris_today(), info.context.portal.settings)

    @strawberry.field(
        description="La demande du titulaire en attente de la douane : suspend, revoke ; null s'il n'y en a pas."
    )
    def holder_request(self) -> str | None:
        return self.row.holder_request

    @strawberry.field(
        description="Ce que vous pouvez demander à la douane maintenant (titulaire, droit de déposer) : suspend, "
        "revoke."
    )
    async def holder_requests_offered(self, info: Info) -> list[str]:
        return [k.value for k in exchanges.offered(await info.context.access(), self.row, paris_today())]

    @strawberry.field(description="Vous pouvez commenter cette autorisation.")
    async def may_comment(self, info: Info) -> bool:
        return exchanges.may_comment(await info.context.access(), self.row)

    @strawberry.field(
        description="L'avenant ou le renouvellement en cours (identifiant du dossier), s'il y en a un."
    )
    async def pending_request_id(self, info: Info) -> strawberry.ID | None:
        async with info.context.db.session() as session:
            pending = await requests.open_request(session, self.row.id)
        if pending is None:
            return None
        access = await info.context.access()
        return strawberry.ID(encode_id("Dossier", pending.id)) if may_read_dossier(access, pending) else None

    @strawberry.field(description="Le titulaire.")
    async def operator(self, info: Info) -> Operator:
        return Operator.from_model(await info.context.loaders.operators.load(self.row.operator_id))

    @strawberry.field(description="Identifiant du dossier de demande octroyé.")
    def dossier_id(self) -> strawberry.ID:
        return strawberry.ID(encode_id("Dossier", self.row.dossier_id))

    @strawberry.field(description="Toutes les versions, la première d'abord ; chacune reste lisible.")
    async def versions(self, info: Info) -> list[AuthorizationVersion]:
        async with info.context.db.session() as session:
            found = await reading.versions_of(session, self.row.id)
        procedure = catalogue.Procedure(self.row.procedure)
        return [AuthorizationVersion.build(v, procedure) for v in found]

    @strawberry.field(description="Une version par son numéro ; null si elle n'existe pas.")
    async def version(self, info: Info, number: int) -> AuthorizationVersion | None:
        return next((v for v in await self.versions(info) if v.number == number), None)

    @strawberry.field(description="La version en vigueur (la dernière délivrée).")
    async def current_version(self, info: Info) -> AuthorizationVersion:
        found = await self.version(info, self.row.current_version)
        assert found is not None
        return found

    @strawberry.field(
        description="L'histoire de l'autorisation dans l'ordre : délivrance, avenants, renouvellements, mesures, "
        "réexamens, et l'expiration une fois la fin de validité passée."
    )
    async def history(self, info: Info) -> list[AuthorizationHistoryEntry]:
        async with info.context.db.session() as session:
            entries = await reading.history_of(session, self.row, paris_today())
        return [
            AuthorizationHistoryEntry(
                id=e.id,
                kind=e.kind,
                label=e.label,
                at=e.at,
                message=e.message,
                version=e.version,
                actor_id=e.actor_id,
            )
            for e in entries
        ]


@strawberry.type(description="Une page de la liste des autorisations.")
class AuthorizationPage:
    items: list[Authorization]
    total_count: int = strawberry.field(description="Nombre d'autorisations avec tous les filtres.")
    has_next_page: bool
    end_cursor: str | None
