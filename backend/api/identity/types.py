"""GraphQL types of the identity domain, and the helpers that build them from rows. Nodes resolve through the access
policy (`PolicyNode`): an object the actor may not see is null, exactly like one that does not exist."""

from __future__ import annotations

import datetime as dt
from enum import Enum

import sqlalchemy as sa
import strawberry
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession
from strawberry import relay

from backend.api.context import Info
from backend.api.ids import encode_id
from backend.api.nodes import PolicyNode
from backend.clock import paris_today, utcnow
from backend.identity import models
from backend.identity.mandates import MandateStatus, mandate_status
from backend.identity.models import RIGHT_LABELS, TELESERVICES
from backend.identity.policy import (
    Access,
    Via,
    grantable_token_rights,
    is_oneself,
    visible_habilitations,
    visible_operators,
    visible_representations,
    visible_tokens,
    visible_users,
)
from backend.identity.policy.assistance import is_support
from backend.identity.policy.dossiers import may_create_dossier
from backend.identity.teleservices import teleservices_for
from backend.identity.tokens import token_active


def _mirror(domain: type[Enum], name: str, description: str):
    """The GraphQL enum of a domain enum: the same members and values (a new member appears in the schema)."""
    return strawberry.enum(
        Enum(name, [(m.name, m.value) for m in domain], module=__name__), name=name, description=description
    )


AccountKind = _mirror(
    models.AccountKind, "AccountKind", "Type de compte, déterminé à la connexion par l'identité fournie."
)
Right = _mirror(models.Right, "Right", "Droit sur un téléservice : consulter < préparer < déposer.")
AccessVia = _mirror(Via, "AccessVia", "Comment l'utilisateur peut agir pour un opérateur.")
MandateScope = _mirror(
    models.MandateScope,
    "MandateScope",
    "Étendue d'un mandat de représentation : totale, ou partielle (dossiers déposés ou suivis par le représentant).",
)


def right_or_none(value) -> Right | None:
    return Right(int(value)) if value is not None else None


@strawberry.type(description="Un droit sur un téléservice et son libellé, pour les listes de choix.")
class RightOption:
    value: Right
    label: str

    @classmethod
    def all(cls) -> list[RightOption]:
        return [cls(value=Right(int(r)), label=r.label) for r in models.Right]


@strawberry.type(description="Un téléservice que l'utilisateur peut ouvrir (« Mes téléservices »).")
class TeleService:
    code: str
    label: str
    description: str
    path: str


@strawberry.type(description="Un opérateur économique (établissement identifié par son SIRET).")
class Operator(PolicyNode):
    model = models.Operator
    visibility = staticmethod(visible_operators)

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


@strawberry.type(description="Un opérateur pour lequel l'utilisateur peut agir, et son droit.")
class OperatorAccess:
    operator: Operator
    right: Right | None
    right_label: str | None
    is_admin: bool
    via: AccessVia
    via_label: str
    scope: MandateScope | None = strawberry.field(description="Pour un opérateur représenté : étendue du mandat.")
    scope_label: str | None = strawberry.field(
        description="L'étendue du mandat en toutes lettres (« mandat de représentation totale »), ou null."
    )
    is_acting: bool = strawberry.field(description="Opérateur pour lequel l'utilisateur agit actuellement.")
    grantable_rights: list[Right] = strawberry.field(
        description="Les droits que vous pouvez donner à un jeton d'accès API sur cet opérateur (≤ le vôtre)."
    )


@strawberry.type(description="Une version des conditions générales d'utilisation de SOPRANO.")
class TermsOfUse:
    version: str
    title: str
    body: str
    published_at: dt.datetime
    accepted: bool = strawberry.field(description="Acceptée par l'utilisateur connecté.")


@strawberry.type(description="Un utilisateur du portail.")
class User(PolicyNode):
    model = models.User
    visibility = staticmethod(visible_users)

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

    def _is_actor(self, info: Info) -> bool:
        return is_oneself(info.context.actor, self.id)

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
        description="Vrai si vous pouvez déposer un nouveau dossier (droit de préparer sur l'opérateur pour lequel vous agissez, ou sur l'un de ceux que vous pouvez choisir) ; null pour un autre utilisateur que vous."
    )
    async def may_create_dossier(self, info: Info) -> bool | None:
        if not self._is_actor(info):
            return None
        return may_create_dossier(await info.context.access())

    @strawberry.field(
        description="Faux tant que la version en vigueur des CGU de SOPRANO n'est pas acceptée (null pour un autre utilisateur que vous)."
    )
    async def terms_accepted(self, info: Info) -> bool | None:
        if not self._is_actor(info):
            return None
        return (await info.context.access()).terms_accepted

    @strawberry.field(
        description="Vrai pour un membre du support du portail (il répond aux demandes d'assistance technique et lit les avis) ; null pour un autre utilisateur que vous."
    )
    async def is_support(self, info: Info) -> bool | None:
        if not self._is_actor(info):
            return None
        return is_support(await info.context.access())


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
            scope_label=a.scope.mandate_label if a.scope else None,
            is_acting=a.operator_id == access.acting_operator_id,
            grantable_rights=[Right(int(r)) for r in grantable_token_rights(access, a.operator_id)],
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
class Habilitation(PolicyNode):
    model = models.Habilitation
    visibility = staticmethod(visible_habilitations)

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
    async def load(cls, session: AsyncSession, condition: sa.ColumnElement[bool]) -> list[Habilitation]:
        return await habilitation_rows(session, condition=condition)


@strawberry.type(description="Un mandat de représentation en douane.")
class Representation(PolicyNode):
    model = models.Representation
    visibility = staticmethod(visible_representations)

    id: relay.NodeID[int]
    representative: Operator
    represented: Operator
    scope: MandateScope
    scope_label: str
    valid_from: dt.date
    valid_until: dt.date | None
    ended_at: dt.datetime | None
    created_at: dt.datetime
    mandate: strawberry.Private[models.Representation]

    @strawberry.field(description="« en cours », « à venir », « échu » ou « terminé ».")
    def status_label(self) -> str:
        return mandate_status(self.mandate, paris_today()).label

    @strawberry.field(description="Mandat en cours aujourd'hui.")
    def is_active(self) -> bool:
        return mandate_status(self.mandate, paris_today()) is MandateStatus.ACTIVE

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
            mandate=r,
        )

    @classmethod
    async def load(cls, session: AsyncSession, condition: sa.ColumnElement[bool]) -> list[Representation]:
        return await representations_with_operators(session, condition)


@strawberry.type(description="Un jeton d'accès API (la valeur n'est montrée qu'à sa création).")
class ApiToken(PolicyNode):
    model = models.ApiToken
    visibility = staticmethod(visible_tokens)

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
    token: strawberry.Private[models.ApiToken]

    @strawberry.field
    def is_active(self) -> bool:
        return token_active(self.token, utcnow())

    @classmethod
    def build(cls, token: models.ApiToken, operator: models.Operator | None) -> ApiToken:
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
            token=token,
        )

    @classmethod
    async def load(cls, session: AsyncSession, condition: sa.ColumnElement[bool]) -> list[ApiToken]:
        rows = (
            await session.exec(
                select(models.ApiToken, models.Operator)
                .outerjoin(models.Operator, models.Operator.id == models.ApiToken.operator_id)
                .where(condition)
            )
        ).all()
        return [cls.build(t, o) for t, o in rows]


# --- built from rows -------------------------------------------------------------------------------------------


async def habilitation_rows(
    session: AsyncSession, *, ids=None, condition=None, operator_id=None, include_revoked=True
):
    query = select(models.Habilitation, models.User).join(
        models.User, models.User.id == models.Habilitation.user_id
    )
    if ids is not None:
        query = query.where(models.Habilitation.id.in_(ids))
    if operator_id is not None:
        query = query.where(models.Habilitation.operator_id == operator_id)
    if condition is not None:
        query = query.where(condition)
    if not include_revoked:
        query = query.where(models.Habilitation.revoked_at.is_(None))
    rows = (await session.exec(query.order_by(models.User.name, models.Habilitation.granted_at))).all()
    operator_ids = {u.operator_id for _, u in rows if u.operator_id}
    operator_names = (
        dict(
            (
                await session.exec(
                    select(models.Operator.id, models.Operator.legal_name).where(
                        models.Operator.id.in_(operator_ids)
                    )
                )
            ).all()
        )
        if operator_ids
        else {}
    )
    granter_ids = {h.granted_by_id for h, _ in rows}
    names = (
        {
            u.id: u.display_name
            for u in (await session.exec(select(models.User).where(models.User.id.in_(granter_ids)))).all()
        }
        if granter_ids
        else {}
    )
    return [Habilitation.build(h, u, operator_names, names) for h, u in rows]


async def representations_with_operators(session: AsyncSession, *conditions) -> list[Representation]:
    rows = (
        await session.exec(select(models.Representation).where(*conditions).order_by(models.Representation.id))
    ).all()
    operator_ids = {r.representative_id for r in rows} | {r.represented_id for r in rows}
    operators = (
        {
            o.id: o
            for o in (
                await session.exec(select(models.Operator).where(models.Operator.id.in_(operator_ids)))
            ).all()
        }
        if operator_ids
        else {}
    )
    return [Representation.build(r, operators) for r in rows]


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
