"""Private persons' declarations over GraphQL: the dated rules (public), the declarant's drafts and submissions, the
office's examination, and the live changes. The rules live in backend/declarations; resolvers stay thin."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import strawberry

from backend.api.context import Info
from backend.api.declarations.types import (
    AllowanceRule,
    CategoryOption,
    DeclarationBucket,
    DeclarationCounts,
    DeclarationKind,
    DeclarationPage,
    DeclarationSort,
    ExchangeRate,
    ItemCategory,
    PrivateDeclaration,
    Transport,
)
from backend.api.ids import decode_id
from backend.clock import paris_today
from backend.declarations import reading, rules, service
from backend.declarations.estimate import Kind
from backend.errors import NotFound, Unauthenticated

TYPE_NAME = "PrivateDeclaration"


def _id(value: strawberry.ID) -> int:
    return decode_id(value, TYPE_NAME, "Déclaration introuvable.")


@strawberry.input(
    description="Les informations du voyage (TRIP) ou de l'achat (PURCHASE) ; les autres sont ignorées."
)
class DeclarationFactsInput:
    arrival_date: str | None = strawberry.field(default=None, description="TRIP : date d'arrivée (AAAA-MM-JJ).")
    transport: Transport | None = None
    under15: bool = strawberry.field(default=False, description="TRIP : le voyageur a moins de 15 ans.")
    origin_country: str | None = strawberry.field(default=None, description="TRIP : pays de provenance (US, MA…).")
    cash_amount: str | None = strawberry.field(
        default=None, description="TRIP : somme en espèces transportée (€)."
    )
    order_date: str | None = strawberry.field(default=None, description="PURCHASE : date de la commande.")
    seller: str | None = strawberry.field(default=None, description="PURCHASE : le vendeur ou le site.")
    shipping_country: str | None = strawberry.field(default=None, description="PURCHASE : pays d'expédition.")
    shipping_cost: str | None = strawberry.field(default=None, description="PURCHASE : frais de port (devise).")
    currency: str | None = strawberry.field(default=None, description="PURCHASE : devise de la commande.")
    vat_paid_at_checkout: bool = strawberry.field(
        default=False, description="PURCHASE : le vendeur a fait payer la TVA à la commande (IOSS)."
    )
    ioss_number: str | None = strawberry.field(default=None, description="PURCHASE : numéro IOSS du vendeur.")

    def raw(self) -> dict:
        return {
            "arrivalDate": self.arrival_date,
            "transport": self.transport.value if self.transport else None,
            "under15": self.under15,
            "originCountry": self.origin_country,
            "cashAmount": self.cash_amount,
            "orderDate": self.order_date,
            "seller": self.seller,
            "shippingCountry": self.shipping_country,
            "shippingCost": self.shipping_cost,
            "currency": self.currency,
            "vatPaidAtCheckout": self.vat_paid_at_checkout,
            "iossNumber": self.ioss_number,
        }


@strawberry.input(description="Un article : ce qu'il est, combien, sa valeur et sa devise.")
class DeclarationItemInput:
    description: str
    category: ItemCategory | None = None
    quantity: int = 1
    value: str | None = strawberry.field(default=None, description="La valeur de la ligne (129,90 ou 129.90).")
    currency: str = "EUR"
    excise_quantity: str | None = strawberry.field(
        default=None, description="Tabac et alcool : le nombre de cigarettes, les grammes ou les litres."
    )

    def raw(self) -> dict:
        return {
            "description": self.description,
            "category": self.category.value if self.category else None,
            "quantity": self.quantity,
            "value": self.value,
            "currency": self.currency,
            "exciseQuantity": self.excise_quantity,
        }


@strawberry.type
class DeclarationQuery:
    @strawberry.field(
        description="Les règles datées (franchises, limites, taux) en vigueur le jour dit (par défaut aujourd'hui) ; "
        "public, sans connexion."
    )
    def allowance_rules(self, date: dt.date | None = None) -> list[AllowanceRule]:
        return [AllowanceRule.build(r) for r in rules.rules_in_force(date or paris_today()).values()]

    @strawberry.field(description="Les taux de change du jour dit (le dernier connu à cette date) ; public.")
    def rates_in_force(self, date: dt.date | None = None) -> list[ExchangeRate]:
        return [ExchangeRate.build(r) for r in rules.rates_on(date or paris_today()).values()]

    @strawberry.field(description="Les catégories d'articles et leurs libellés ; public.")
    def declaration_categories(self) -> list[CategoryOption]:
        return CategoryOption.all()

    @strawberry.field(description="Les devises acceptées (EUR d'abord) ; public.")
    def declaration_currencies(self) -> list[str]:
        return rules.currencies()

    @strawberry.field(
        description="Vos déclarations (particulier) ou celles que votre bureau examine (douane) : à traiter, en "
        "attente, terminées ; recherche (référence, déclarant, article, vendeur), tri, pagination."
    )
    async def private_declarations(
        self,
        info: Info,
        bucket: DeclarationBucket = reading.Bucket.ALL,
        search: str | None = None,
        sort: DeclarationSort = reading.Sort.UPDATED_DESC,
        first: int = 20,
        after: str | None = None,
    ) -> DeclarationPage:
        access = await info.context.access()
        async with info.context.db.session() as session:
            page = await reading.list_declarations(
                session,
                access,
                bucket=reading.Bucket(bucket.value),
                search=search,
                sort=reading.Sort(sort.value),
                first=first,
                after=after,
            )
        return DeclarationPage(
            items=[PrivateDeclaration.from_model(d) for d, _ in page.rows],
            total_count=page.total,
            has_next_page=page.has_next,
            end_cursor=page.end_cursor,
        )

    @strawberry.field(
        description="Combien de vos déclarations dans chaque case (à traiter, en attente, terminées)."
    )
    async def private_declaration_counts(self, info: Info) -> DeclarationCounts:
        access = await info.context.access()
        async with info.context.db.session() as session:
            counts = await reading.bucket_counts(session, access)
        return DeclarationCounts(
            todo=counts[reading.Bucket.TODO],
            waiting=counts[reading.Bucket.WAITING],
            done=counts[reading.Bucket.DONE],
            all=counts[reading.Bucket.ALL],
        )

    @strawberry.field(description="Une déclaration ; null si elle n'existe pas ou ne vous est pas visible.")
    async def private_declaration(self, info: Info, id: strawberry.ID) -> PrivateDeclaration | None:
        try:
            declaration_id = _id(id)
        except NotFound:
            return None
        access = await info.context.access()
        async with info.context.db.session() as session:
            try:
                return PrivateDeclaration.from_model(
                    await service.get_declaration(session, access, declaration_id)
                )
            except (NotFound, Unauthenticated):  # nobody logged in: null, like one that does not exist
                return None


@strawberry.type
class DeclarationMutation:
    @strawberry.mutation(description="Commencer une déclaration (particulier) : un brouillon, à compléter.")
    async def create_private_declaration(self, info: Info, kind: DeclarationKind) -> PrivateDeclaration:
        access = await info.context.access()
        async with info.context.db.session() as session:
            row = await service.create_declaration(
                session, access, Kind(kind.value), office=info.context.portal.settings.private_declarations_office
            )
        return PrivateDeclaration.from_model(row)

    @strawberry.mutation(
        description="Enregistrer les informations du voyage ou de l'achat ; chaque problème est signalé à la fois, "
        "sur son champ (INVALID, extensions.fields)."
    )
    async def save_declaration_facts(
        self, info: Info, id: strawberry.ID, version: int, facts: DeclarationFactsInput
    ) -> PrivateDeclaration:
        access = await info.context.access()
        async with info.context.db.session() as session:
            row = await service.save_facts(session, access, _id(id), version, facts.raw())
        return PrivateDeclaration.from_model(row)

    @strawberry.mutation(description="Ajouter un article.")
    async def add_declaration_item(
        self, info: Info, id: strawberry.ID, version: int, item: DeclarationItemInput
    ) -> PrivateDeclaration:
        access = await info.context.access()
        async with info.context.db.session() as session:
            row = await service.add_item(session, access, _id(id), version, item.raw())
        return PrivateDeclaration.from_model(row)

    @strawberry.mutation(description="Modifier un article.")
    async def update_declaration_item(
        self, info: Info, id: strawberry.ID, version: int, key: str, item: DeclarationItemInput
    ) -> PrivateDeclaration:
        access = await info.context.access()
        async with info.context.db.session() as session:
            row = await service.update_item(session, access, _id(id), version, key, item.raw())
        return PrivateDeclaration.from_model(row)

    @strawberry.mutation(description="Retirer un article.")
    async def remove_declaration_item(
        self, info: Info, id: strawberry.ID, version: int, key: str
    ) -> PrivateDeclaration:
        access = await info.context.access()
        async with info.context.db.session() as session:
            row = await service.remove_item(session, access, _id(id), version, key)
        return PrivateDeclaration.from_model(row)

    @strawberry.mutation(
        description="Déposer la déclaration (elle reçoit sa référence) ; après une demande de complément, renvoyer "
        "la déclaration corrigée avec votre réponse (message, obligatoire alors)."
    )
    async def submit_private_declaration(
        self, info: Info, id: strawberry.ID, version: int, message: str | None = None
    ) -> PrivateDeclaration:
        access = await info.context.access()
        async with info.context.db.session() as session:
            row = await service.submit_declaration(session, access, _id(id), version, message)
        return PrivateDeclaration.from_model(row)

    @strawberry.mutation(description="Douane : prendre en charge une déclaration déposée (en cours d'examen).")
    async def take_private_declaration(self, info: Info, id: strawberry.ID) -> PrivateDeclaration:
        access = await info.context.access()
        async with info.context.db.session() as session:
            row = await service.take_declaration(session, access, _id(id))
        return PrivateDeclaration.from_model(row)

    @strawberry.mutation(description="Douane : demander un complément au déclarant, avec un message.")
    async def request_declaration_information(
        self, info: Info, id: strawberry.ID, message: str
    ) -> PrivateDeclaration:
        access = await info.context.access()
        async with info.context.db.session() as session:
            row = await service.request_information(session, access, _id(id), message)
        return PrivateDeclaration.from_model(row)

    @strawberry.mutation(description="Douane : accepter la déclaration avec le montant dû (0 : rien à payer).")
    async def accept_private_declaration(
        self, info: Info, id: strawberry.ID, amount_due: Decimal, message: str | None = None
    ) -> PrivateDeclaration:
        access = await info.context.access()
        async with info.context.db.session() as session:
            row = await service.accept_declaration(session, access, _id(id), str(amount_due), message)
        return PrivateDeclaration.from_model(row)

    @strawberry.mutation(description="Douane : refuser la déclaration, avec le motif que le déclarant lira.")
    async def refuse_private_declaration(self, info: Info, id: strawberry.ID, reason: str) -> PrivateDeclaration:
        access = await info.context.access()
        async with info.context.db.session() as session:
            row = await service.refuse_declaration(session, access, _id(id), reason)
        return PrivateDeclaration.from_model(row)

    @strawberry.mutation(description="Écrire dans le fil d'une déclaration déposée (déclarant ou douane).")
    async def send_declaration_message(self, info: Info, id: strawberry.ID, text: str) -> PrivateDeclaration:
        access = await info.context.access()
        async with info.context.db.session() as session:
            row = await service.send_message(session, access, _id(id), text)
        return PrivateDeclaration.from_model(row)
