"""The demo private person's declarations (what `make run` shows Jean and the office): a trip submitted and waiting
for customs, and an online purchase customs answered (accepted with the amount due). Made once, through the domain."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.clock import paris_today
from backend.config import Settings
from backend.declarations import service
from backend.declarations.estimate import Kind
from backend.declarations.models import PrivateDeclaration
from backend.identity.actor import Actor
from backend.identity.models import User
from backend.identity.policy import Access, load_access

DECLARANT = "jean.petit@exemple.fr"
OFFICER = "claire.bernard@douane.gouv.fr"


async def _access(session: AsyncSession, user: User) -> Access:
    return await load_access(session, Actor(user=user, via="session", session_id="demo"))


async def load_demo_declarations(session: AsyncSession, users: list[User], settings: Settings) -> int:
    """Make Jean's two declarations unless he already has some; returns how many were made."""
    by_sub = {user.subject: user for user in users}
    jean, claire = by_sub[DECLARANT], by_sub[OFFICER]
    existing = (
        await session.exec(
            select(sa.func.count())
            .select_from(PrivateDeclaration)
            .where(PrivateDeclaration.declarant_id == jean.id)
        )
    ).one()
    if existing:
        return 0
    today = paris_today()
    office = settings.private_declarations_office

    trip = await service.create_declaration(session, await _access(session, jean), Kind.TRIP, office=office)
    trip = await service.save_facts(
        session,
        await _access(session, jean),
        trip.id,
        trip.version,
        {
            "arrivalDate": (today - dt.timedelta(days=2)).isoformat(),
            "transport": "air_sea",
            "under15": False,
            "originCountry": "US",
        },
    )
    for item in (
        {"description": "Ordinateur portable", "category": "electronics", "quantity": 1, "value": "899",
         "currency": "USD"},
        {"description": "Blouson en cuir", "category": "clothing", "quantity": 1, "value": "180", "currency": "USD"},
        {"description": "Bourbon", "category": "spirits", "quantity": 1, "value": "35", "currency": "USD",
         "exciseQuantity": "1"},
    ):  # fmt: skip
        trip = await service.add_item(session, await _access(session, jean), trip.id, trip.version, item)
    await service.submit_declaration(session, await _access(session, jean), trip.id, trip.version)

    purchase = await service.create_declaration(
        session, await _access(session, jean), Kind.PURCHASE, office=office
    )
    purchase = await service.save_facts(
        session,
        await _access(session, jean),
        purchase.id,
        purchase.version,
        {
            "orderDate": (today - dt.timedelta(days=12)).isoformat(),
            "seller": "gadgets-shop.example",
            "shippingCountry": "CN",
            "shippingCost": "8",
            "currency": "EUR",
            "vatPaidAtCheckout": False,
        },
    )
    for item in (
        {"description": "Écouteurs sans fil", "category": "electronics", "quantity": 1, "value": "59.90",
         "currency": "EUR"},
        {"description": "Coque de téléphone", "category": "other", "quantity": 2, "value": "12", "currency": "EUR"},
    ):  # fmt: skip
        purchase = await service.add_item(
            session, await _access(session, jean), purchase.id, purchase.version, item
        )
    purchase = await service.submit_declaration(
        session, await _access(session, jean), purchase.id, purchase.version
    )
    await service.take_declaration(session, await _access(session, claire), purchase.id)
    estimate, _ = service.estimate_of(purchase)
    await service.accept_declaration(
        session,
        await _access(session, claire),
        purchase.id,
        str(estimate.total if estimate else 0),
        "Montant à régler au transporteur à la livraison du colis.",
    )
    return 2
