"""GraphQL types of private persons' declarations and of the dated rules they are computed with."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import strawberry
from strawberry import relay

from backend.api.context import Info
from backend.api.nodes import PolicyNode
from backend.declarations import categories, estimate, reading, rules, service
from backend.declarations import models as dm
from backend.identity.policy.declarations import (
    may_edit_declaration,
    may_examine_declaration,
    visible_declarations,
)

DeclarationKind = strawberry.enum(
    estimate.Kind,
    name="DeclarationKind",
    description="Ce qui est déclaré : des biens rapportés d'un voyage hors de l'Union européenne (TRIP), ou un achat "
    "en ligne livré depuis l'extérieur de l'Union (PURCHASE).",
)
Transport = strawberry.enum(
    estimate.Transport,
    name="Transport",
    description="Le moyen de transport du voyage : avion ou bateau (AIR_SEA), ou un autre (OTHER : route, train…).",
)
DeclarationStatus = strawberry.enum(
    dm.DeclarationStatus,
    name="DeclarationStatus",
    description="Où en est la déclaration : brouillon, déposée, en cours d'examen, complément demandé, acceptée, "
    "refusée.",
)
DeclarationEventKind = strawberry.enum(
    dm.DeclarationEventKind, name="DeclarationEventKind", description="Le genre d'une entrée de l'historique."
)
ItemCategory = strawberry.enum(
    categories.Category,
    name="ItemCategory",
    description="La catégorie d'un article, en mots simples (declarationCategories donne leurs libellés).",
)
DeclarationBucket = strawberry.enum(
    reading.Bucket,
    name="DeclarationBucket",
    description="À traiter par vous (TODO), en attente de l'autre partie (WAITING), terminées (DONE), toutes (ALL).",
)
DeclarationSort = strawberry.enum(
    reading.Sort, name="DeclarationSort", description="Ordre de la liste : les plus récemment modifiées d'abord…"
)


@strawberry.type(description="Une règle datée : un montant, un taux ou une limite, en vigueur du … au ….")
class AllowanceRule:
    key: str
    label: str
    value: Decimal
    unit: str = strawberry.field(description="EUR, PERCENT, UNITS, GRAMS ou LITRES.")
    reference: str = strawberry.field(description="Le texte qui la fixe.")
    valid_from: dt.date
    valid_until: dt.date | None = strawberry.field(description="null : sans fin prévue.")

    @classmethod
    def build(cls, rule: rules.Rule) -> AllowanceRule:
        return cls(
            key=rule.key,
            label=rule.label,
            value=rule.value,
            unit=rule.unit,
            reference=rule.reference,
            valid_from=rule.valid_from,
            valid_until=rule.valid_until,
        )


@strawberry.type(description="Un taux de change : 1 euro vaut perEuro unités de la devise, au jour indiqué.")
class ExchangeRate:
    currency: str
    per_euro: Decimal
    on: dt.date

    @classmethod
    def build(cls, rate: rules.Rate) -> ExchangeRate:
        return cls(currency=rate.currency, per_euro=rate.per_euro, on=rate.on)


@strawberry.type(description="Une catégorie d'article et ce qu'il faut en dire.")
class CategoryOption:
    category: ItemCategory
    label: str
    quantity_label: str | None = strawberry.field(
        description="Pour le tabac et l'alcool : la quantité à indiquer (nombre de cigarettes, grammes, litres)."
    )

    @classmethod
    def all(cls) -> list[CategoryOption]:
        return [
            cls(category=info.category, label=info.label, quantity_label=info.quantity_label)
            for info in categories.CATEGORIES.values()
        ]


@strawberry.type(description="Une ligne de l'estimation : ce qui est dû et pourquoi.")
class EstimateLine:
    label: str
    amount: Decimal | None = strawberry.field(
        description="En euros ; null : non estimé ici (l'explication dit pourquoi)."
    )
    explanation: str
    rule_keys: list[str]


@strawberry.type(description="Une conversion en euros, avec le taux et sa date.")
class Conversion:
    description: str
    amount: Decimal
    currency: str
    euros: Decimal
    rate: ExchangeRate


@strawberry.type(
    description="L'estimation de ce qui est dû, calculée avec les règles en vigueur à la date de référence (date "
    "d'arrivée ou de commande). Une estimation : le montant dû est celui que fixe la douane."
)
class DeclarationEstimate:
    reference_date: dt.date
    value_eur: Decimal
    allowance: Decimal | None
    exceeded_by: Decimal | None
    conversions: list[Conversion]
    lines: list[EstimateLine]
    notices: list[str]
    total: Decimal
    complete: bool = strawberry.field(description="Faux quand une ligne n'a pas pu être estimée.")
    rules: list[AllowanceRule]

    @classmethod
    def build(cls, result: estimate.Estimate) -> DeclarationEstimate:
        return cls(
            reference_date=result.reference_date,
            value_eur=result.value_eur,
            allowance=result.allowance,
            exceeded_by=result.exceeded_by,
            conversions=[
                Conversion(
                    description=c.description,
                    amount=c.amount,
                    currency=c.currency,
                    euros=c.euros,
                    rate=ExchangeRate.build(c.rate),
                )
                for c in result.conversions
            ],
            lines=[
                EstimateLine(
                    label=line.label,
                    amount=line.amount,
                    explanation=line.explanation,
                    rule_keys=list(line.rule_keys),
                )
                for line in result.lines
            ],
            notices=list(result.notices),
            total=result.total,
            complete=result.complete,
            rules=[AllowanceRule.build(r) for r in result.rules],
        )


@strawberry.type(description="Un problème à corriger, sur son champ.")
class DeclarationProblem:
    field: str
    message: str


@strawberry.type(description="Un article déclaré.")
class DeclarationItem:
    key: str = strawberry.field(description="L'identifiant de l'article dans la déclaration.")
    description: str
    category: ItemCategory
    category_label: str
    quantity: int
    value: Decimal = strawberry.field(description="La valeur de la ligne, dans sa devise.")
    currency: str
    excise_quantity: Decimal | None = strawberry.field(description="Tabac, alcool : la quantité (unités, g, l).")

    @classmethod
    def build(cls, item: dict) -> DeclarationItem:
        category = categories.Category(item["category"])
        return cls(
            key=item["key"],
            description=item["description"],
            category=category,
            category_label=categories.CATEGORIES[category].label,
            quantity=int(item["quantity"]),
            value=Decimal(item["value"]),
            currency=item["currency"],
            excise_quantity=Decimal(item["exciseQuantity"]) if item.get("exciseQuantity") else None,
        )


@strawberry.type(
    description="Les informations du voyage (TRIP : arrivalDate … cashAmount) ou de l'achat (PURCHASE : orderDate "
    "… iossNumber) ; null tant qu'elles ne sont pas saisies."
)
class DeclarationFacts:
    arrival_date: dt.date | None = None
    transport: Transport | None = None
    under15: bool = False
    origin_country: str | None = None
    cash_amount: Decimal | None = None
    order_date: dt.date | None = None
    seller: str | None = None
    shipping_country: str | None = None
    shipping_cost: Decimal | None = None
    currency: str | None = None
    vat_paid_at_checkout: bool = False
    ioss_number: str | None = None

    @classmethod
    def build(cls, facts: dict) -> DeclarationFacts:
        def number(key: str) -> Decimal | None:
            return Decimal(facts[key]) if facts.get(key) not in (None, "") else None

        def date(key: str) -> dt.date | None:
            return dt.date.fromisoformat(facts[key]) if facts.get(key) else None

        return cls(
            arrival_date=date("arrivalDate"),
            transport=estimate.Transport(facts["transport"]) if facts.get("transport") else None,
            under15=bool(facts.get("under15")),
            origin_country=facts.get("originCountry"),
            cash_amount=number("cashAmount"),
            order_date=date("orderDate"),
            seller=facts.get("seller"),
            shipping_country=facts.get("shippingCountry"),
            shipping_cost=number("shippingCost"),
            currency=facts.get("currency"),
            vat_paid_at_checkout=bool(facts.get("vatPaidAtCheckout")),
            ioss_number=facts.get("iossNumber"),
        )


@strawberry.type(description="Une entrée de l'historique : une étape ou un message.")
class DeclarationEvent:
    id: strawberry.ID
    kind: DeclarationEventKind
    label: str
    actor_name: str
    from_customs: bool = strawberry.field(description="Vrai pour la douane, faux pour le déclarant.")
    message: str
    amount: Decimal | None
    to_status_label: str | None
    at: dt.datetime


@strawberry.type(
    description="La déclaration d'un particulier : ses informations, ses articles, l'estimation de ce qui est dû, "
    "son statut et ses échanges avec la douane."
)
class PrivateDeclaration(PolicyNode):
    model = dm.PrivateDeclaration
    visibility = staticmethod(visible_declarations)

    id: relay.NodeID[int]
    reference: str | None = strawberry.field(
        description="Donnée au dépôt (DP-2026-000001) ; null pour un brouillon."
    )
    kind: DeclarationKind
    kind_label: str
    status: DeclarationStatus
    status_label: str
    customs_office: str
    facts: DeclarationFacts
    items: list[DeclarationItem]
    amount_due: Decimal | None = strawberry.field(description="Fixé par la douane à l'acceptation.")
    decision_reason: str | None
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    submitted_at: dt.datetime | None
    decided_at: dt.datetime | None
    row: strawberry.Private[dm.PrivateDeclaration]
    # The estimate (or its problems), computed once for estimate, estimateProblems and submissionProblems.
    estimated: strawberry.Private[tuple | None] = None

    def _estimated(self) -> tuple[estimate.Estimate | None, list[tuple[str, str]]]:
        if self.estimated is None:
            self.estimated = service.estimate_of(self.row)
        return self.estimated

    @classmethod
    def from_model(cls, row: dm.PrivateDeclaration) -> PrivateDeclaration:
        status = dm.DeclarationStatus(row.status)
        kind = estimate.Kind(row.kind)
        return cls(
            id=row.id,
            reference=row.reference,
            kind=kind,
            kind_label=KIND_LABELS[kind],
            status=status,
            status_label=status.label,
            customs_office=row.customs_office,
            facts=DeclarationFacts.build(row.facts or {}),
            items=[DeclarationItem.build(item) for item in row.items or []],
            amount_due=row.amount_due,
            decision_reason=row.decision_reason,
            version=row.version,
            created_at=row.created_at,
            updated_at=row.updated_at,
            submitted_at=row.submitted_at,
            decided_at=row.decided_at,
            row=row,
        )

    @strawberry.field(description="Le déclarant.")
    async def declarant_name(self, info: Info) -> str:
        return await info.context.loaders.user_name(self.row.declarant_id) or ""

    @strawberry.field(
        description="L'estimation de ce qui est dû avec les règles en vigueur à la date de référence ; null tant "
        "qu'elle ne peut pas être calculée (estimateProblems dit pourquoi)."
    )
    def estimate(self) -> DeclarationEstimate | None:
        result, _ = self._estimated()
        return DeclarationEstimate.build(result) if result else None

    @strawberry.field(description="Ce qui empêche de calculer l'estimation.")
    def estimate_problems(self) -> list[DeclarationProblem]:
        _, problems = self._estimated()
        return [DeclarationProblem(field=f, message=m) for f, m in problems]

    @strawberry.field(description="Ce qui empêche de déposer la déclaration, tout à la fois (vide : prête).")
    def submission_problems(self) -> list[DeclarationProblem]:
        return [
            DeclarationProblem(field=f, message=m)
            for f, m in service.submission_problems(self.row, self._estimated)
        ]

    @strawberry.field(description="Vous pouvez modifier la déclaration (brouillon, ou complément demandé).")
    async def may_edit(self, info: Info) -> bool:
        return may_edit_declaration(await info.context.access(), self.row)

    @strawberry.field(description="Douane : vous pouvez prendre en charge, demander un complément, décider.")
    async def may_examine(self, info: Info) -> bool:
        return may_examine_declaration(await info.context.access(), self.row)

    @strawberry.field(description="L'historique : étapes et messages, dans l'ordre.")
    async def history(self, info: Info) -> list[DeclarationEvent]:
        async with info.context.reading() as session:
            events = await service.history(session, self.row.id)
        result = []
        for event in events:
            kind = dm.DeclarationEventKind(event.kind)
            result.append(
                DeclarationEvent(
                    id=strawberry.ID(str(event.id)),
                    kind=kind,
                    label=kind.label,
                    actor_name=await info.context.loaders.user_name(event.actor_id) or "",
                    from_customs=event.actor_id != self.row.declarant_id,
                    message=event.message,
                    amount=event.amount,
                    to_status_label=dm.DeclarationStatus(event.to_status).label if event.to_status else None,
                    at=event.at,
                )
            )
        return result

    @strawberry.field(description="Le récapitulatif à imprimer ou à sauvegarder (PDF).")
    def pdf_url(self) -> str:
        return f"/files/declarations/{self.row.id}.pdf"


KIND_LABELS = {
    estimate.Kind.TRIP: "Effets personnels rapportés d'un voyage",
    estimate.Kind.PURCHASE: "Achat en ligne",
}


@strawberry.type(description="Une page de déclarations.")
class DeclarationPage:
    items: list[PrivateDeclaration]
    total_count: int
    has_next_page: bool
    end_cursor: str | None


@strawberry.type(description="Combien de déclarations dans chaque case.")
class DeclarationCounts:
    todo: int
    waiting: int
    done: int
    all: int
