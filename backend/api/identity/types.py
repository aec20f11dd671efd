"""GraphQL types of the identity domain. Nodes resolve through the access policy: an object the actor may not see
is null, exactly like one that does not exist."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import Enum

import strawberry
from sqlmodel import or_, select
from strawberry import relay

from backend.api.context import Info
from backend.identity import models
from backend.identity.models import RIGHT_LABELS, TELESERVICES
from backend.identity.policy import Access, Via, visible_operators, visible_representations, visible_users
from backend.identity.teleservices import teleservices_for
from backend.identity.tokens import ApiToken as ApiTokenModel


@strawberry.enum(description="Type de compte, déterminé à la connexion par l'identité fournie.")
class AccountKind(Enum):
    PROFESSIONAL = "professional"
    PRIVATE_PERSON = "private_person"
    CUSTOMS_OFFICER = "customs_officer"


@strawberry.enum(description="Droit sur un téléservice : consulter < préparer < déposer.")
class Right(Enum):
    CONSULT = 1
    PREPARE = 2
    SUBMIT = 3


@strawberry.enum(description="Comment l'utilisateur peut agir pour un opérateur.")
class AccessVia(Enum):
    OWN = "own"
    PARTNER = "partner"
    REPRESENTATION = "representation"


@strawberry.enum(
    description="Étendue d'un mandat de représentation : totale, ou partielle (dossiers déposés ou suivis par le représentant)."
)
class MandateScope(Enum):
    FULL = "full"
    PARTIAL = "partial"


def right_or_none(value) -> Right | None:
    return Right(int(value)) if value is not None else None


@strawberry.type(description="Un téléservice que l'utilisateur peut ouvrir (« Mes téléservices »).")
class TeleService:
    code: str
    label: str
    description: str
    path: str


async def _visible(info: Info, model, condition_for, node_ids: Iterable[str], to_type):
    ids = [int(i) for i in node_ids if str(i).isdigit()]
    access = await info.context.access()
    async with info.context.db.session() as session:
        rows = (await session.exec(select(model).where(model.id.in_(ids), condition_for(access)))).all()
    found = {str(row.id): to_type(row) for row in rows}
    return [found.get(str(i)) for i in node_ids]


@strawberry.type(description="Un opérateur économique (établissement identifié par son SIRET).")
class Operator(relay.Node):
    id: relay.NodeID[int]
    siren: str
    siret: str
    eori: str | None
    legal_name: str = strawberry.field(description="Raison sociale.")
    address: str
    postcode: str
    city: str
    country: str
    established_in_union: bool = strawberry.field(description="Établi dans l'Union européenne.")

    @classmethod
    def from_model(cls, operator: models.Operator) -> Operator:
        return cls(
            id=operator.id,
            siren=operator.siren,
            siret=operator.siret,
            eori=operator.eori,
            legal_name=operator.legal_name,
            address=operator.address,
            postcode=operator.postcode,
            city=operator.city,
            country=operator.country,
            established_in_union=operator.established_in_union,
        )

    @strawberry.field(description="Votre droit SOPRANO sur cet opérateur (null : aucun).")
    async def my_right(self, info: Info) -> Right | None:
        return right_or_none((await info.context.access()).right_on(self.id))

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        return await _visible(info, models.Operator, visible_operators, node_ids, cls.from_model)


@strawberry.type(description="Un opérateur pour lequel l'utilisateur peut agir, et son droit.")
class OperatorAccess:
    operator: Operator
    right: Right | None
    right_label: str | None
    is_admin: bool
    via: AccessVia
    via_label: str
    scope: MandateScope | None = strawberry.field(description="Pour un opérateur représenté : étendue du mandat.")
    is_acting: bool = strawberry.field(description="Opérateur pour lequel l'utilisateur agit actuellement.")

    @strawberry.field(
        description="Les droits que vous pouvez donner à un jeton d'accès API sur cet opérateur (≤ le vôtre)."
    )
    def grantable_rights(self) -> list[Right]:
        if self.right is None:
            return []
        return [r for r in Right if r.value <= self.right.value]


@strawberry.type(description="Une version des conditions générales d'utilisation de SOPRANO.")
class TermsOfUse:
    version: str
    title: str
    body: str
    published_at: dt.datetime
    accepted: bool = strawberry.field(description="Acceptée par l'utilisateur connecté.")


@strawberry.type(description="Un utilisateur du portail.")
class User(relay.Node):
    id: relay.NodeID[int]
    name: str = strawberry.field(description="Nom affiché.")
    email: str | None
    kind: AccountKind
    kind_label: str = strawberry.field(description="Type de compte en français (professionnel, particulier, …).")
    siret: str | None = strawberry.field(description="SIRET de l'établissement, pour un professionnel.")
    customs_office: str | None = strawberry.field(description="Bureau de douane, pour un agent des douanes.")
    is_admin: bool = strawberry.field(description="Administrateur de son opérateur.")
    teleservices: list[TeleService] = strawberry.field(description="Les téléservices ouverts à ce compte.")
    operator_id: strawberry.Private[int | None]

    @classmethod
    def from_model(cls, user: models.User) -> User:
        return cls(
            id=user.id,
            name=user.display_name,
            email=user.email,
            kind=AccountKind(user.kind.value),
            kind_label=user.kind.label,
            siret=user.siret,
            customs_office=user.customs_office,
            is_admin=user.is_admin,
            teleservices=[TeleService(**vars(s)) for s in teleservices_for(user.kind)],
            operator_id=user.operator_id,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        return await _visible(info, models.User, visible_users, node_ids, cls.from_model)

    def _is_actor(self, info: Info) -> bool:
        actor = info.context.actor
        return actor is not None and actor.user_id == self.id

    @strawberry.field(
        description="Les opérateurs pour lesquels vous pouvez agir, et votre droit sur chacun (vide pour un autre utilisateur que vous)."
    )
    async def operators(self, info: Info) -> list[OperatorAccess]:
        if not self._is_actor(info):
            return []
        access = await info.context.access()
        return await operator_accesses(info, access)

    @strawberry.field(description="L'opérateur pour lequel vous agissez (choisi, ou le seul possible).")
    async def acting_operator(self, info: Info) -> Operator | None:
        if not self._is_actor(info):
            return None
        access = await info.context.access()
        if access.acting_operator_id is None:
            return None
        async with info.context.db.session() as session:
            operator = await session.get(models.Operator, access.acting_operator_id)
        return Operator.from_model(operator) if operator else None

    @strawberry.field(
        description="Faux tant que la version en vigueur des CGU de SOPRANO n'est pas acceptée (null pour un autre utilisateur que vous)."
    )
    async def terms_accepted(self, info: Info) -> bool | None:
        if not self._is_actor(info):
            return None
        return (await info.context.access()).terms_accepted


async def operator_accesses(info: Info, access: Access) -> list[OperatorAccess]:
    if not access.operators:
        return []
    async with info.context.db.session() as session:
        operators = (
            await session.exec(select(models.Operator).where(models.Operator.id.in_(list(access.operators))))
        ).all()
    by_id = {o.id: o for o in operators}
    order = {Via.OWN: 0, Via.PARTNER: 1, Via.REPRESENTATION: 2}
    entries = sorted(access.operators.values(), key=lambda a: (order[a.via], by_id[a.operator_id].legal_name))
    return [
        OperatorAccess(
            operator=Operator.from_model(by_id[a.operator_id]),
            right=right_or_none(a.right),
            right_label=RIGHT_LABELS[a.right] if a.right else None,
            is_admin=a.is_admin,
            via=AccessVia(a.via.value),
            via_label=a.via.label,
            scope=MandateScope(a.scope.value) if a.scope else None,
            is_acting=a.operator_id == access.acting_operator_id,
        )
        for a in entries
    ]


@strawberry.type(description="Un habilité, tel que le voit l'administrateur.")
class Person:
    id: strawberry.ID
    name: str
    email: str | None
    operator_name: str | None = strawberry.field(description="Raison sociale de son propre opérateur.")
    is_admin: bool = strawberry.field(default=False, description="Administrateur de son propre opérateur.")


@strawberry.type(
    description="Une habilitation : un droit sur un téléservice d'un opérateur, donné à une personne."
)
class Habilitation(relay.Node):
    id: relay.NodeID[int]
    teleservice: str
    teleservice_label: str
    right: Right
    right_label: str
    person: Person
    is_partner: bool = strawberry.field(description="Partenaire externe (utilisateur d'un autre opérateur).")
    granted_at: dt.datetime
    granted_by: str
    revoked_at: dt.datetime | None

    @classmethod
    def build(
        cls,
        habilitation: models.Habilitation,
        user: models.User,
        operator_names: dict[int, str],
        names: dict[int, str],
    ) -> Habilitation:
        from backend.api.ids import encode_id

        return cls(
            id=habilitation.id,
            teleservice=habilitation.teleservice,
            teleservice_label=TELESERVICES.get(habilitation.teleservice, habilitation.teleservice),
            right=Right(int(habilitation.right)),
            right_label=RIGHT_LABELS[models.Right(habilitation.right)],
            person=Person(
                id=strawberry.ID(encode_id("User", user.id)),
                name=user.display_name,
                email=user.email,
                operator_name=operator_names.get(user.operator_id) if user.operator_id else None,
            ),
            is_partner=user.operator_id != habilitation.operator_id,
            granted_at=habilitation.granted_at,
            granted_by=names.get(habilitation.granted_by_id, ""),
            revoked_at=habilitation.revoked_at,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        from backend.api.identity.queries import habilitation_rows

        access = await info.context.access()
        ids = [int(i) for i in node_ids if str(i).isdigit()]
        async with info.context.db.session() as session:
            user_id = access.actor.user_id if access.actor else -1
            admin_of = [a.operator_id for a in access.operators.values() if a.via is Via.OWN and a.is_admin]
            condition = or_(models.Habilitation.user_id == user_id, models.Habilitation.operator_id.in_(admin_of))
            found = {str(h.id): h for h in await habilitation_rows(session, ids=ids, condition=condition)}
        return [found.get(str(i)) for i in node_ids]


@strawberry.type(description="Un mandat de représentation en douane.")
class Representation(relay.Node):
    id: relay.NodeID[int]
    representative: Operator
    represented: Operator
    scope: MandateScope
    scope_label: str
    valid_from: dt.date
    valid_until: dt.date | None
    ended_at: dt.datetime | None
    created_at: dt.datetime

    @strawberry.field(description="« en cours », « à venir », « échu » ou « terminé ».")
    def status_label(self) -> str:
        today = dt.date.today()
        if self.ended_at is not None:
            return "terminé"
        if self.valid_from > today:
            return "à venir"
        if self.valid_until is not None and self.valid_until < today:
            return "échu"
        return "en cours"

    @strawberry.field(description="Mandat en cours aujourd'hui.")
    def is_active(self) -> bool:
        today = dt.date.today()
        return (
            self.ended_at is None
            and self.valid_from <= today
            and (self.valid_until is None or self.valid_until >= today)
        )

    @classmethod
    def build(cls, r: models.Representation, operators: dict[int, models.Operator]) -> Representation:
        return cls(
            id=r.id,
            representative=Operator.from_model(operators[r.representative_id]),
            represented=Operator.from_model(operators[r.represented_id]),
            scope=MandateScope(r.scope.value),
            scope_label=r.scope.label,
            valid_from=r.valid_from,
            valid_until=r.valid_until,
            ended_at=r.ended_at,
            created_at=r.created_at,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        from backend.api.identity.queries import representations_with_operators

        access = await info.context.access()
        ids = [int(i) for i in node_ids if str(i).isdigit()]
        async with info.context.db.session() as session:
            rows = await representations_with_operators(
                session, models.Representation.id.in_(ids), visible_representations(access)
            )
        found = {str(r.id): r for r in rows}
        return [found.get(str(i)) for i in node_ids]


@strawberry.type(description="Un jeton d'accès API (la valeur n'est montrée qu'à sa création).")
class ApiToken(relay.Node):
    id: relay.NodeID[int]
    name: str
    hint: str = strawberry.field(description="Premiers caractères, pour reconnaître le jeton.")
    operator: Operator | None
    right: Right | None
    right_label: str | None
    created_at: dt.datetime
    expires_at: dt.datetime
    revoked_at: dt.datetime | None
    last_used_at: dt.datetime | None

    @strawberry.field
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > dt.datetime.now(dt.UTC)

    @classmethod
    def build(cls, token: ApiTokenModel, operator: models.Operator | None) -> ApiToken:
        return cls(
            id=token.id,
            name=token.name,
            hint=token.hint,
            operator=Operator.from_model(operator) if operator else None,
            right=right_or_none(token.right),
            right_label=RIGHT_LABELS[models.Right(token.right)] if token.right else None,
            created_at=token.created_at,
            expires_at=token.expires_at,
            revoked_at=token.revoked_at,
            last_used_at=token.last_used_at,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids: Iterable[str], required: bool = False):
        access = await info.context.access()
        ids = [int(i) for i in node_ids if str(i).isdigit()]
        if access.actor is None:
            return [None for _ in node_ids]
        async with info.context.db.session() as session:
            rows = (
                await session.exec(
                    select(ApiTokenModel, models.Operator)
                    .outerjoin(models.Operator, models.Operator.id == ApiTokenModel.operator_id)
                    .where(ApiTokenModel.id.in_(ids), ApiTokenModel.user_id == access.actor.user_id)
                )
            ).all()
        found = {str(t.id): cls.build(t, o) for t, o in rows}
        return [found.get(str(i)) for i in node_ids]


@strawberry.type(description="Une entrée du journal des habilitations : qui a fait quoi, quand.")
class AccessAuditEntry:
    action: str
    action_label: str
    detail: str
    at: dt.datetime
    actor_name: str
    subject_name: str | None


@strawberry.enum(description="Accès à SOPRANO de l'utilisateur.")
class SopranoAccessStatus(Enum):
    OK = "ok"
    LOGIN_REQUIRED = "login_required"
    PROFESSIONAL_ONLY = "professional_only"
    TERMS_NOT_ACCEPTED = "terms_not_accepted"


@strawberry.type(description="Ce qui manque, le cas échéant, pour utiliser SOPRANO.")
class SopranoAccess:
    status: SopranoAccessStatus
    message: str | None


@strawberry.type(description="Jeton créé : sa valeur n'est affichée qu'une fois.")
class CreateApiTokenPayload:
    token: str = strawberry.field(description="La valeur du jeton, à conserver : elle ne sera plus affichée.")
    api_token: ApiToken


@strawberry.type(description="Une page d'opérateurs.")
class OperatorPage:
    items: list[Operator]
    total_count: int
    has_next_page: bool
    end_cursor: str | None
