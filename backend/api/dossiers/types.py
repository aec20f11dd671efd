"""GraphQL types of the dossiers domain."""

from __future__ import annotations

import datetime as dt
from enum import Enum

import sqlalchemy as sa
import strawberry
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession
from strawberry import relay
from strawberry.scalars import JSON

from backend.api.context import Info
from backend.api.identity.types import Operator
from backend.api.ids import encode_id
from backend.api.nodes import PolicyNode
from backend.authorizations.reading import authorization_id_of_dossier as authorization_of_dossier_or_none
from backend.authorizations.reading import reference_of as authorization_reference_of
from backend.authorizations.requests import changes_against_authorization, grant_terms_proposed
from backend.clock import paris_today
from backend.db import utcnow
from backend.dossiers import catalogue, form
from backend.dossiers import models as dm
from backend.dossiers.attachments import TYPE_LABELS, attachments_of
from backend.dossiers.deadlines import current_deadline
from backend.dossiers.editing import may_edit
from backend.dossiers.filing import problems_of
from backend.dossiers.history import EventKind
from backend.dossiers.processing import actions_for, assigned_officer_visible, history_since
from backend.dossiers.rules import Problem as ProblemModel
from backend.dossiers.workflow import Action, ForbiddenTransition, Side, transition
from backend.identity import models as im
from backend.identity.policy.dossiers import visible_attachments, visible_dossiers, visible_goods_lines

# The GraphQL enums are the domain's own (same members), except where the schema names them otherwise: a procedure by
# its code (TEA, not TEMPORARY_ADMISSION), an action without SUBMIT (submitDossier does it, checking the form).
ProcedureCode = strawberry.enum(
    Enum("ProcedureCode", [(p.value, p.value) for p in catalogue.Procedure], module=__name__),
    description="Code d'un régime particulier : TEA, EUS, CW (entrepôt : CW1, CW2 ou CWP selon le type), IPO, OPO.",
)
FieldKind = strawberry.enum(form.FieldKind, name="FieldKind", description="Nature d'un champ du formulaire.")
DossierStatus = strawberry.enum(dm.DossierStatus, name="DossierStatus", description="Statut d'un dossier.")
DossierAction = strawberry.enum(
    Enum("DossierAction", [(a.name, a.value) for a in Action if a is not Action.SUBMIT], module=__name__),
    description="Une action sur un dossier.",
)
ActorSide = strawberry.enum(
    Side, name="ActorSide", description="Le côté de qui a fait une étape : le demandeur ou la douane."
)


@strawberry.type(description="Un champ du formulaire de demande.")
class FormField:
    path: str = strawberry.field(
        description="Chemin du champ dans les réponses, par exemple specific.priorExport."
    )
    label: str
    help: str = strawberry.field(description="Texte de l'infobulle.")
    kind: FieldKind
    mandatory: bool
    condition: str | None = strawberry.field(description="Quand le champ devient obligatoire ou pertinent.")
    code_list: str | None
    max_length: int
    prefilled: bool = strawberry.field(description="Pré-rempli d'après l'opérateur ; modifiable.")
    hint: str | None = strawberry.field(description="Ce que l'aide sous le libellé annonce (format attendu).")
    pattern: str | None = strawberry.field(
        description="L'expression régulière que la valeur entière doit suivre, si le contrôle en vérifie une."
    )
    parts: list[FormField] = strawberry.field(
        description="Les sous-champs de chaque élément d'une réponse composée, dans l'ordre (une installation de "
        "stockage : name, country, address, phone, fax, email ; leur path est leur clé dans l'élément) ; vide pour "
        "les autres champs."
    )

    @classmethod
    def build(cls, spec: form.FieldSpec) -> FormField:
        return cls(
            path=spec.path,
            label=spec.label,
            help=spec.help,
            kind=spec.kind,
            mandatory=spec.mandatory,
            condition=spec.condition,
            code_list=spec.code_list,
            max_length=spec.max_length,
            prefilled=spec.prefilled,
            hint=spec.hint,
            pattern=spec.pattern,
            parts=[cls.build(part) for part in spec.parts],
        )


@strawberry.type(description="Une rubrique du formulaire.")
class Rubrique:
    code: str
    label: str
    has_goods: bool = strawberry.field(description="Les lignes de marchandises se saisissent dans cette rubrique.")
    fields: list[FormField]


@strawberry.type(description="Un type de ligne de marchandise.")
class GoodsKindInfo:
    code: str
    label: str
    fields: list[FormField] = strawberry.field(
        description="Les valeurs d'une ligne de ce type, dans l'ordre (cnCode, description, quantity, unit, value) : "
        "obligatoires ou non, format attendu."
    )


@strawberry.type(description="Un régime particulier et son formulaire.")
class Procedure:
    code: ProcedureCode
    label: str
    english_label: str
    description: str
    authorisation_types: list[str]
    rubriques: list[Rubrique]
    goods_kinds: list[GoodsKindInfo]

    @classmethod
    def build(cls, info: catalogue.ProcedureInfo) -> Procedure:
        return cls(
            code=ProcedureCode(info.code.value),
            label=info.label,
            english_label=info.english,
            description=info.description,
            authorisation_types=list(info.authorisation_types),
            rubriques=[
                Rubrique(
                    code=r.code,
                    label=r.label,
                    has_goods=r.has_goods,
                    fields=[FormField.build(f) for f in r.fields],
                )
                for r in form.rubriques_for(info.code)
            ],
            goods_kinds=[
                GoodsKindInfo(
                    code=k,
                    label=form.GOODS_KINDS[k].label,
                    fields=[FormField.build(f) for f in form.goods_fields(info.code, k)],
                )
                for k in form.goods_kinds_for(info.code)
            ],
        )


@strawberry.type(description="Une valeur possible d'une liste de codes.")
class CodeEntry:
    code: str
    label: str


@strawberry.type(description="Une liste de codes (unités, pays, conditions économiques…).")
class CodeList:
    name: str
    label: str
    entries: list[CodeEntry]


@strawberry.type(description="Un point à corriger, rattaché au champ qu'il concerne.")
class Problem:
    path: str
    code: str
    message: str

    @classmethod
    def build(cls, problem: ProblemModel) -> Problem:
        # Goods lines are named by their global id in the API, like everywhere else.
        path = problem.path
        parts = path.split(".")
        if len(parts) >= 3 and parts[:2] == ["goods", "line"] and parts[2].isdigit():
            path = ".".join(["goods", "line", encode_id("GoodsLine", int(parts[2])), *parts[3:]])
        return cls(path=path, code=problem.code, message=problem.message)


@strawberry.type(
    description="Une ligne de marchandise : marchandise à placer, produit transformé ou de remplacement."
)
class GoodsLine(PolicyNode):
    model = dm.GoodsLine
    visibility = staticmethod(visible_goods_lines)

    id: relay.NodeID[int]
    kind: str
    kind_label: str
    cn_code: str | None = strawberry.field(description="Code de la nomenclature combinée (8 chiffres).")
    description: str | None
    quantity: str | None
    unit: str | None
    unit_label: str | None
    value: str | None = strawberry.field(description="Valeur en euros, 2 décimales.")

    @classmethod
    def build(cls, line: dm.GoodsLine) -> GoodsLine:
        units = catalogue.code_list("units").labels()
        return cls(
            id=line.id,
            kind=line.kind,
            kind_label=form.GOODS_KINDS[line.kind].label,
            cn_code=line.cn_code,
            description=line.description,
            quantity=format(line.quantity.normalize(), "f") if line.quantity is not None else None,
            unit=line.unit,
            unit_label=units.get(line.unit) if line.unit else None,
            value=f"{line.value:.2f}" if line.value is not None else None,
        )

    @classmethod
    def from_model(cls, line: dm.GoodsLine) -> GoodsLine:
        return cls.build(line)


@strawberry.type(description="Une pièce jointe (toutes les versions restent dans l'historique).")
class Attachment(PolicyNode):
    model = dm.Attachment
    visibility = staticmethod(visible_attachments)

    id: relay.NodeID[int]
    filename: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: dt.datetime
    uploaded_by: str
    removed_at: dt.datetime | None
    removed_by: str | None
    content_type_label: str = strawberry.field(description="Le type du fichier en clair (PDF, Image PNG, Word…).")

    @strawberry.field(description="Adresse de téléchargement (contrôle d'accès à chaque téléchargement).")
    def download_url(self) -> str:
        return f"/files/{self.id}"

    @classmethod
    async def load(cls, session: AsyncSession, condition: sa.ColumnElement[bool]) -> list[Attachment]:
        rows = (await session.exec(select(dm.Attachment).where(condition))).all()
        names = await _names(session, {a.uploaded_by_id for a in rows} | {a.removed_by_id or 0 for a in rows})
        return [cls.build(r, names) for r in rows]

    @classmethod
    def build(cls, a: dm.Attachment, names: dict[int, str]) -> Attachment:
        return cls(
            id=a.id,
            filename=a.filename,
            content_type=a.content_type,
            content_type_label=TYPE_LABELS.get(a.content_type, a.content_type),
            size=a.size,
            sha256=a.sha256,
            uploaded_at=a.uploaded_at,
            uploaded_by=names.get(a.uploaded_by_id, ""),
            removed_at=a.removed_at,
            removed_by=names.get(a.removed_by_id) if a.removed_by_id else None,
        )


DossierEventKind = strawberry.enum(
    EventKind,
    name="DossierEventKind",
    description="Nature d'une étape de l'historique : création, dépôt, pièce jointe, commentaire, prise en charge, "
    "prolongation, ou l'action du circuit qui a changé le statut (valeurs de DossierAction).",
)


@strawberry.type(description="Les termes d'octroi proposés (modifiables par la douane).")
class GrantProposal:
    valid_from: dt.date
    valid_until: dt.date | None
    conditions: str
    annex_71_02: bool = strawberry.field(name="annex7102")


@strawberry.type(description="Une échéance du dossier.")
class Deadline:
    kind: str
    label: str
    due: dt.date
    overdue: bool
    extended: bool
    extension_reason: str | None


@strawberry.type(
    description="Une étape de l'historique du dossier (ou un commentaire) ; id = identifiant d'événement."
)
class DossierEvent:
    id: strawberry.ID
    kind: DossierEventKind
    label: str
    actor_name: str
    actor_side: ActorSide
    from_status: DossierStatus | None
    to_status: DossierStatus | None
    from_status_label: str | None
    to_status_label: str | None
    message: str
    at: dt.datetime


def _status(value: str | None) -> dm.DossierStatus | None:
    return dm.DossierStatus(value) if value else None


def _status_label(value: str | None) -> str | None:
    return dm.DossierStatus(value).label if value else None


def _event_label(event) -> str:
    """A workflow step is labelled by the transition it made (« Autorisation octroyée après audition »)."""
    if event.from_status and event.kind in Action._value2member_map_:
        try:
            return transition(Action(event.kind), dm.DossierStatus(event.from_status)).label
        except (ForbiddenTransition, ValueError):
            pass
    return EventKind(event.kind).label


async def build_events(session, events) -> list[DossierEvent]:
    ids = {e.actor_id for e in events}
    users = (
        {u.id: u for u in (await session.exec(select(im.User).where(im.User.id.in_(ids)))).all()} if ids else {}
    )
    return [
        DossierEvent(
            id=strawberry.ID(str(e.id)),
            kind=DossierEventKind(e.kind),
            label=_event_label(e),
            actor_name=users[e.actor_id].display_name if e.actor_id in users else "",
            actor_side=Side.CUSTOMS
            if e.actor_id in users and users[e.actor_id].kind is im.AccountKind.CUSTOMS_OFFICER
            else Side.APPLICANT,
            from_status=_status(e.from_status),
            to_status=_status(e.to_status),
            from_status_label=_status_label(e.from_status),
            to_status_label=_status_label(e.to_status),
            message=e.message,
            at=e.at,
        )
        for e in events
    ]


async def _names(session, ids: set[int]) -> dict[int, str]:
    ids = {i for i in ids if i}
    if not ids:
        return {}
    rows = (await session.exec(select(im.User).where(im.User.id.in_(ids)))).all()
    return {u.id: u.display_name for u in rows}


# The mutation that performs each offer; status changes other than submitting go through actOnDossier.
ACTION_MUTATIONS = {
    "submit": "submitDossier",
    "take": "takeDossier",
    "extend_decision_deadline": "extendDecisionDeadline",
    "comment": "addComment",
    "grant": "grantDossier",  # with the authorisation's validity and conditions
}


@strawberry.type(description="Une action possible sur un dossier, pour vous, maintenant.")
class ActionInfo:
    code: str = strawberry.field(
        description="Identifiant stable : une valeur de availableActions (submit, accept, grant…) ou take, "
        "extend_decision_deadline, comment."
    )
    action: DossierAction | None = strawberry.field(
        description="La valeur à passer à actOnDossier ; null pour une action faite par une autre mutation."
    )
    mutation: str = strawberry.field(
        description="La mutation qui la réalise : actOnDossier, submitDossier, takeDossier, extendDecisionDeadline, "
        "grantDossier (octroi : validité et conditions de l'autorisation) ou addComment."
    )
    label: str = strawberry.field(description="Libellé du bouton.")
    needs_message: bool = strawberry.field(description="Un message (motif, commentaire) est obligatoire.")
    needs_date: bool = strawberry.field(description="Une date est obligatoire (nouvelle échéance).")
    message_label: str | None = strawberry.field(description="Libellé du champ du message, s'il en faut un.")
    target_status: DossierStatus | None = strawberry.field(
        description="Le statut où elle mène ; null si elle ne change pas le statut."
    )

    @classmethod
    def build(cls, offer) -> ActionInfo:
        transition = offer.transition
        return cls(
            code=offer.code,
            action=DossierAction(offer.code) if offer.code in DossierAction._value2member_map_ else None,
            mutation=ACTION_MUTATIONS.get(offer.code, "actOnDossier"),
            label=offer.label,
            needs_message=offer.needs_message,
            needs_date=offer.needs_date,
            message_label=offer.message_label or None,
            target_status=DossierStatus(transition.target.value) if transition else None,
        )


@strawberry.type(name="VersionChange", description="Ce qui diffère entre deux versions.")
class VersionChangeInfo:
    key: str
    label: str
    before: str = strawberry.field(description="La valeur dans la version de comparaison (« — » : sans réponse).")
    after: str = strawberry.field(description="La valeur dans cette version.")


@strawberry.type(description="Un dossier de demande d'autorisation de régime particulier.")
class Dossier(PolicyNode):
    model = dm.Dossier
    visibility = staticmethod(visible_dossiers)

    id: relay.NodeID[int]
    reference: str
    procedure_code: ProcedureCode
    procedure_label: str
    authorisation_type: str
    status: DossierStatus
    status_label: str
    version: int = strawberry.field(
        description="À renvoyer lors de l'enregistrement (contrôle des modifications concurrentes)."
    )
    answers: JSON = strawberry.field(description="Les réponses du formulaire : objet { chemin: valeur }.")
    editable: bool = strawberry.field(description="Le statut du dossier permet encore de le modifier.")
    customs_office: str | None
    created_at: dt.datetime
    updated_at: dt.datetime
    submitted_at: dt.datetime | None
    operator_id: strawberry.Private[int]
    updated_by_id: strawberry.Private[int]
    # The row it was built from: per-row fields (deadline, actions) read it instead of the database.
    row: strawberry.Private[dm.Dossier]

    @classmethod
    def build(cls, d: dm.Dossier) -> Dossier:
        procedure = catalogue.Procedure(d.procedure)
        return cls(
            id=d.id,
            reference=d.reference,
            procedure_code=ProcedureCode(procedure.value),
            procedure_label=catalogue.PROCEDURES[procedure].label,
            authorisation_type=catalogue.authorisation_type(procedure, d.data),
            status=DossierStatus(d.status.value),
            status_label=d.status.label,
            version=d.version,
            answers=dict(d.data),
            editable=d.status in dm.EDITABLE_STATUSES,
            customs_office=d.customs_office,
            created_at=d.created_at,
            updated_at=d.updated_at,
            submitted_at=d.submitted_at,
            operator_id=d.operator_id,
            updated_by_id=d.updated_by_id,
            row=d,
        )

    @strawberry.field(
        description="Vous pouvez modifier et sauvegarder ce dossier maintenant : son statut le permet et votre droit "
        "sur son opérateur est préparer ou déposer."
    )
    async def can_save(self, info: Info) -> bool:
        return may_edit(await info.context.access(), self.row)

    @strawberry.field(
        description="L'autorisation délivrée par l'octroi de ce dossier (identifiant global) ; null tant qu'il "
        "n'est pas octroyé. Qui voit le dossier voit l'autorisation."
    )
    async def authorization_id(self, info: Info) -> strawberry.ID | None:
        found = self.row.authorization_id  # an amendment or a renewal names it from the start
        if found is None and self.row.status is dm.DossierStatus.GRANTED:
            async with info.context.db.session() as session:
                found = await authorization_of_dossier_or_none(session, self.id)
        return strawberry.ID(encode_id("Authorization", found)) if found else None

    @strawberry.field(
        description="La référence de l'autorisation que ce dossier modifie ou renouvelle (ou qu'il a fait délivrer)."
    )
    async def authorization_reference(self, info: Info) -> str | None:
        found = self.row.authorization_id
        async with info.context.db.session() as session:
            if found is None and self.row.status is dm.DossierStatus.GRANTED:
                found = await authorization_of_dossier_or_none(session, self.id)
            return await authorization_reference_of(session, found) if found else None

    @strawberry.field(
        description="Ce que demande le dossier : APPLICATION (première demande), AMENDMENT, RENEWAL."
    )
    def purpose(self) -> str:
        return self.row.purpose.name

    @strawberry.field(description="Le même, en clair.")
    def purpose_label(self) -> str:
        return self.row.purpose.label

    @strawberry.field(
        description="Avenant ou renouvellement : ce que le dossier change par rapport à la version en vigueur de "
        "l'autorisation (rubrique, avant, après) ; vide pour une première demande."
    )
    async def changes_against_authorization(self, info: Info) -> list[VersionChangeInfo]:
        async with info.context.db.session() as session:
            found = await changes_against_authorization(session, self.row)
        return [VersionChangeInfo(key=c.key, label=c.label, before=c.before, after=c.after) for c in found]

    @strawberry.field(
        description="Ce que le formulaire d'octroi propose à la douane : première demande, à partir d'aujourd'hui ; "
        "avenant, la fin de validité et les conditions en vigueur ; renouvellement, à la suite de la validité en "
        "cours, pour la même durée."
    )
    async def grant_proposal(self, info: Info) -> GrantProposal:
        async with info.context.db.session() as session:
            terms = await grant_terms_proposed(session, self.row, paris_today())
        return GrantProposal(
            valid_from=terms.valid_from,  # type: ignore[arg-type]
            valid_until=terms.valid_until,
            conditions=terms.conditions,
            annex_71_02=terms.annex_71_02,
        )

    @strawberry.field(description="L'opérateur demandeur.")
    async def operator(self, info: Info) -> Operator:
        return Operator.from_model(await info.context.loaders.operators.load(self.operator_id))

    @strawberry.field(description="Dernière modification par.")
    async def updated_by(self, info: Info) -> str:
        return await info.context.loaders.user_name(self.updated_by_id) or ""

    @strawberry.field(
        description=(
            "L'agent des douanes qui a pris le dossier en charge ; null si personne ne l'a pris. Visible des seuls "
            "agents du bureau de douane compétent : c'est une organisation interne au service, le demandeur (et "
            "ses représentants ou partenaires) reçoit toujours null."
        )
    )
    async def assigned_officer(self, info: Info) -> str | None:
        if self.row.assigned_officer_id is None:
            return None
        if not assigned_officer_visible(await info.context.access(), self.row):
            return None
        return await info.context.loaders.user_name(self.row.assigned_officer_id)

    @strawberry.field(description="Les lignes de marchandises et de produits.")
    async def goods(self, info: Info) -> list[GoodsLine]:
        return [GoodsLine.build(line) for line in await info.context.loaders.goods.load(self.id)]

    @strawberry.field(
        description="Les pièces jointes actuelles ; avec includeRemoved, tout l'historique des versions."
    )
    async def attachments(self, info: Info, include_removed: bool = False) -> list[Attachment]:
        async with info.context.reading() as session:
            rows = await attachments_of(session, self.id, include_removed=include_removed)
            names = await _names(session, {a.uploaded_by_id for a in rows} | {a.removed_by_id for a in rows})
        return [Attachment.build(a, names) for a in rows]

    @strawberry.field(description="Les points à corriger avant de pouvoir valider (« Contrôler »).")
    async def problems(self, info: Info) -> list[Problem]:
        async with info.context.reading() as session:
            return [Problem.build(p) for p in await problems_of(session, self.row)]

    @strawberry.field(description="L'historique du dossier, dans l'ordre : étapes, commentaires, pièces jointes.")
    async def history(self, info: Info) -> list[DossierEvent]:
        access = await info.context.access()
        async with info.context.reading() as session:
            return await build_events(session, await history_since(session, access, self.id))

    @strawberry.field(description="Les commentaires du dossier, dans l'ordre.")
    async def comments(self, info: Info) -> list[DossierEvent]:
        access = await info.context.access()
        async with info.context.reading() as session:
            return await build_events(
                session, await history_since(session, access, self.id, kinds={EventKind.COMMENT})
            )

    @strawberry.field(
        description="L'échéance en cours (acceptation, décision, droit d'être entendu) et si elle est dépassée."
    )
    def deadline(self, info: Info) -> Deadline | None:
        found = current_deadline(self.row, info.context.portal.settings, utcnow())
        return Deadline(**vars(found)) if found else None

    @strawberry.field(
        description="Les changements de statut que vous pouvez faire maintenant (valeurs de DossierAction en "
        "minuscules, et « submit ») ; voir actions pour le libellé et ce que chacun demande."
    )
    async def available_actions(self, info: Info) -> list[str]:
        return [o.code for o in actions_for(await info.context.access(), self.row) if o.transition]

    @strawberry.field(
        description="Ce que vous pouvez faire maintenant sur ce dossier, d'après le circuit du dossier et vos droits : "
        "changements de statut, prise en charge, prolongation du délai de décision, commentaire."
    )
    async def actions(self, info: Info) -> list[ActionInfo]:
        return [ActionInfo.build(o) for o in actions_for(await info.context.access(), self.row)]

    @classmethod
    def from_model(cls, d: dm.Dossier) -> Dossier:
        return cls.build(d)


@strawberry.type(description="Un dossier dans une liste, avec son opérateur.")
class DossierSummary:
    dossier: Dossier
    operator: Operator
