"""Identity queries: thin resolvers that load through the access policy and map to GraphQL types."""

from __future__ import annotations

import sqlalchemy as sa
import strawberry
from sqlmodel import or_, select
from strawberry import relay

from backend.api.context import Info
from backend.api.identity.types import (
    AccessAuditEntry,
    ApiToken,
    Habilitation,
    Operator,
    OperatorPage,
    Person,
    Representation,
    RightOption,
    SopranoAccess,
    SopranoAccessStatus,
    TermsOfUse,
    User,
    habilitation_rows,
    representations_with_operators,
)
from backend.api.ids import decode_id, encode_id
from backend.errors import DomainError, NotFound, Unauthenticated
from backend.identity import habilitations as habilitation_service
from backend.identity import models
from backend.identity import terms as terms_service
from backend.identity import tokens as token_service
from backend.identity.policy import (
    ProfessionalOnly,
    TermsNotAccepted,
    own_operators,
    require_admin,
    require_mandates_reader,
    require_operator_list,
    require_professional,
    require_terms,
    soprano_refusal,
    visible_operators,
)
from backend.paging import page_size, row_id

AUDIT_LABELS = {
    "habilitation_granted": "Habilitation donnée",
    "habilitation_revoked": "Habilitation retirée",
    "admin_named": "Administrateur nommé",
    "admin_removed": "Administrateur retiré",
    "admin_first_user": "Premier utilisateur, administrateur",
    "representation_created": "Mandat de représentation donné",
    "representation_ended": "Fin d'un mandat de représentation",
}


# Offset cursors in Relay's encoding (base64 of "offset:<n>"). Strawberry's Connection types would change the page's
# fields (edges, pageInfo) that clients read (items, totalCount, hasNextPage, endCursor): only its encoding is used.
CURSOR_PREFIX = "offset"


def _cursor(offset: int) -> str:
    return relay.to_base64(CURSOR_PREFIX, offset)


def _offset(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        kind, value = relay.from_base64(cursor)
    except ValueError:
        kind, value = "", ""
    if kind == CURSOR_PREFIX and (offset := row_id(value)) is not None:
        return offset
    raise DomainError("Curseur de pagination invalide.", code="INVALID", field="after")


@strawberry.type
class IdentityQuery:
    @strawberry.field(description="Les droits sur un téléservice, du plus faible au plus fort, et leurs libellés.")
    def rights(self) -> list[RightOption]:
        return RightOption.all()

    @strawberry.field(description="L'utilisateur connecté, ou null pour un visiteur anonyme.")
    async def me(self, info: Info) -> User | None:
        actor = info.context.current_actor()
        if actor is None:
            return None
        return User.from_model(actor.user)

    @strawberry.field(
        description="Les opérateurs visibles (les vôtres ; tous pour la douane), cherchables par nom, SIRET ou EORI."
    )
    async def operators(
        self, info: Info, search: str | None = None, first: int = 20, after: str | None = None
    ) -> OperatorPage:
        access = await info.context.access()
        require_operator_list(access)
        first = page_size(first)
        offset = _offset(after)
        condition = visible_operators(access)
        if search and search.strip():
            pattern = f"%{search.strip().lower()}%"
            condition = sa.and_(
                condition,
                or_(
                    sa.func.lower(models.Operator.legal_name).like(pattern),
                    models.Operator.siret.like(pattern.replace(" ", "")),
                    sa.func.lower(models.Operator.eori).like(pattern),
                ),
            )
        async with info.context.db.session() as session:
            total = (
                await session.exec(select(sa.func.count()).select_from(models.Operator).where(condition))
            ).one()
            rows = (
                await session.exec(
                    select(models.Operator)
                    .where(condition)
                    .order_by(models.Operator.legal_name, models.Operator.id)
                    .offset(offset)
                    .limit(first)
                )
            ).all()
        has_next = offset + len(rows) < total
        return OperatorPage(
            items=[Operator.from_model(o) for o in rows],
            total_count=total,
            has_next_page=has_next,
            end_cursor=_cursor(offset + len(rows)) if has_next else None,
        )

    @strawberry.field(
        description="Un opérateur par son identifiant ; null s'il n'existe pas ou ne vous est pas visible."
    )
    async def operator(self, info: Info, id: strawberry.ID) -> Operator | None:
        try:
            operator_id = decode_id(id, "Operator")
        except NotFound:
            return None
        access = await info.context.access()
        async with info.context.db.session() as session:
            row = (
                await session.exec(
                    select(models.Operator).where(models.Operator.id == operator_id, visible_operators(access))
                )
            ).first()
        return Operator.from_model(row) if row else None

    @strawberry.field(
        description="Les opérateurs représentés par votre opérateur (représentant en douane), avec l'étendue et les dates des mandats."
    )
    async def represented_entities(self, info: Info) -> list[Representation]:
        access = await info.context.access()
        require_professional(access)
        require_terms(access)
        own = own_operators(access, with_right=True)
        if not own:
            return []
        async with info.context.db.session() as session:
            return await representations_with_operators(
                session, models.Representation.representative_id.in_(own), models.Representation.ended_at.is_(None)
            )

    @strawberry.field(description="Les mandats donnés par un opérateur dont vous êtes administrateur.")
    async def representatives(self, info: Info, operator_id: strawberry.ID) -> list[Representation]:
        access = await info.context.access()
        represented = decode_id(operator_id, "Operator", "Opérateur introuvable.")
        require_mandates_reader(access, represented)
        async with info.context.db.session() as session:
            return await representations_with_operators(
                session,
                models.Representation.represented_id == represented,
                models.Representation.ended_at.is_(None),
            )

    @strawberry.field(description="Les habilitations d'un opérateur (réservé à ses administrateurs).")
    async def habilitations(
        self, info: Info, operator_id: strawberry.ID, include_revoked: bool = False
    ) -> list[Habilitation]:
        access = await info.context.access()
        operator = decode_id(operator_id, "Operator", "Opérateur introuvable.")
        require_admin(access, operator)
        async with info.context.db.session() as session:
            return await habilitation_rows(session, operator_id=operator, include_revoked=include_revoked)

    @strawberry.field(description="Les collaborateurs d'un opérateur (réservé à ses administrateurs).")
    async def collaborators(self, info: Info, operator_id: strawberry.ID) -> list[Person]:
        access = await info.context.access()
        operator = decode_id(operator_id, "Operator", "Opérateur introuvable.")
        require_admin(access, operator)
        async with info.context.db.session() as session:
            users = (
                await session.exec(
                    select(models.User).where(models.User.operator_id == operator).order_by(models.User.name)
                )
            ).all()
        return [
            Person(
                id=strawberry.ID(encode_id("User", u.id)),
                name=u.display_name,
                email=u.email,
                operator_name=None,
                is_admin=u.is_admin,
            )
            for u in users
        ]

    @strawberry.field(description="Le journal des habilitations d'un opérateur (réservé à ses administrateurs).")
    async def access_audit(self, info: Info, operator_id: strawberry.ID) -> list[AccessAuditEntry]:
        access = await info.context.access()
        operator = decode_id(operator_id, "Operator", "Opérateur introuvable.")
        async with info.context.db.session() as session:
            entries = await habilitation_service.audit_log(session, access, operator)
            user_ids = {e.actor_id for e in entries} | {e.subject_user_id for e in entries if e.subject_user_id}
            names = (
                {
                    u.id: u.display_name
                    for u in (await session.exec(select(models.User).where(models.User.id.in_(user_ids)))).all()
                }
                if user_ids
                else {}
            )
        return [
            AccessAuditEntry(
                action=e.action,
                action_label=AUDIT_LABELS.get(e.action, e.action),
                detail=e.detail,
                at=e.at,
                actor_name=names.get(e.actor_id, ""),
                subject_name=names.get(e.subject_user_id) if e.subject_user_id else None,
            )
            for e in entries
        ]

    @strawberry.field(description="Les conditions générales d'utilisation de SOPRANO en vigueur.")
    async def terms_of_use(self, info: Info) -> TermsOfUse | None:
        access = await info.context.access()
        async with info.context.db.session() as session:
            terms = await terms_service.current_terms(session, access)
        if terms is None:
            return None
        return TermsOfUse(
            version=terms.version,
            title=terms.title,
            body=terms.body,
            published_at=terms.published_at,
            accepted=access.terms_accepted,
        )

    @strawberry.field(
        description="Ce qui manque, le cas échéant, pour utiliser SOPRANO (connexion, compte professionnel, CGU)."
    )
    async def soprano_access(self, info: Info) -> SopranoAccess:
        refusal = soprano_refusal(await info.context.access())
        if refusal is None:
            return SopranoAccess(status=SopranoAccessStatus.OK, message=None)
        status = {
            Unauthenticated: SopranoAccessStatus.LOGIN_REQUIRED,
            ProfessionalOnly: SopranoAccessStatus.PROFESSIONAL_ONLY,
            TermsNotAccepted: SopranoAccessStatus.TERMS_NOT_ACCEPTED,
        }[type(refusal)]
        return SopranoAccess(status=status, message=refusal.message)

    @strawberry.field(description="Vos jetons d'accès API.")
    async def api_tokens(self, info: Info) -> list[ApiToken]:
        access = await info.context.access()
        async with info.context.db.session() as session:
            tokens = await token_service.list_api_tokens(session, access)
            operator_ids = {t.operator_id for t in tokens if t.operator_id}
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
        return [ApiToken.build(t, operators.get(t.operator_id)) for t in tokens]


__all__ = ["IdentityQuery"]
