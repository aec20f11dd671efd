"""The printable summary of a private declaration (PDF): its facts, items, the estimate line by line with the rules'
dates, the decision and the exchanges. Typst, tagged PDF/UA-1 in French, like the authorisations' PDF."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import typst
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.clock import PARIS
from backend.db import utcnow
from backend.declarations import service
from backend.declarations.categories import CATEGORIES, Category
from backend.declarations.estimate import Kind
from backend.declarations.models import DeclarationEventKind, DeclarationStatus, PrivateDeclaration
from backend.identity.models import User
from backend.identity.policy import Access

TEMPLATE = (Path(__file__).parent / "templates" / "declaration.typ").read_bytes()
KIND_TITLES = {Kind.TRIP: "Effets personnels rapportés d'un voyage", Kind.PURCHASE: "Achat en ligne"}
TRANSPORT = {"air_sea": "avion ou bateau", "other": "autre (route, train…)"}


def euros(amount: Decimal | None, currency: str = "€") -> str:
    """Decimal('1234.5') → '1 234,50 €'."""
    if amount is None:
        return "non estimé"
    whole, _, cents = f"{amount:.2f}".partition(".")
    sign, whole = ("-", whole[1:]) if whole.startswith("-") else ("", whole)
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return f"{sign}{' '.join(groups)},{cents} {currency}"


def _number(value: object) -> str:
    """A quantity as a person reads it in French: '1.4' → '1,4', '1500' → '1 500'."""
    number = Decimal(str(value)).normalize()
    whole, _, decimals = format(number, "f").partition(".")
    return euros(Decimal(whole), "").strip().removesuffix(",00") + ("," + decimals if decimals else "")


def _money(value: object, currency: str) -> str:
    """'12.5', 'USD' → '12,50 USD'; euros with their sign."""
    return euros(Decimal(str(value)), "€" if currency == "EUR" else currency)


def _day(value: str | None) -> str:
    return dt.date.fromisoformat(value).strftime("%d/%m/%Y") if value else "—"


def _facts(declaration: PrivateDeclaration) -> list[list[str]]:
    facts = declaration.facts or {}
    if declaration.kind == Kind.TRIP:
        return [
            ["Date d'arrivée", _day(facts.get("arrivalDate"))],
            ["Transport", TRANSPORT.get(facts.get("transport") or "", "—")],
            ["Pays de provenance", facts.get("originCountry") or "—"],
            ["Voyageur de moins de 15 ans", "oui" if facts.get("under15") else "non"],
            ["Espèces transportées", euros(Decimal(facts["cashAmount"])) if facts.get("cashAmount") else "—"],
        ]
    return [
        ["Date de la commande", _day(facts.get("orderDate"))],
        ["Vendeur ou site", facts.get("seller") or "—"],
        ["Pays d'expédition", facts.get("shippingCountry") or "—"],
        ["Frais de port", _money(facts.get("shippingCost") or "0", facts.get("currency") or "EUR")],
        [
            "TVA payée à la commande (IOSS)",
            f"oui, {facts.get('iossNumber')}" if facts.get("vatPaidAtCheckout") else "non",
        ],
    ]


def render(
    declaration: PrivateDeclaration, declarant: str, history: list[list[str]], *, printed: dt.datetime
) -> bytes:
    status = DeclarationStatus(declaration.status)
    result, problems = service.estimate_of(declaration)
    reference = declaration.reference or "Brouillon"
    decision = None
    if status is DeclarationStatus.ACCEPTED:
        decision = f"Déclaration acceptée par la douane. Montant dû : {euros(declaration.amount_due)}."
    elif status is DeclarationStatus.REFUSED:
        decision = f"Déclaration refusée par la douane. Motif : {declaration.decision_reason}"
    if result is None:
        intro = " ".join(message for _, message in problems) or "Estimation non disponible."
        lines, notices = [], []
    else:
        intro = (
            f"Estimation calculée avec les règles en vigueur le {result.reference_date:%d/%m/%Y} ; le montant dû est "
            f"celui que fixe la douane. Total estimé : {euros(result.total)}"
            + ("." if result.complete else " (certaines lignes ne sont pas estimées ici).")
        )
        lines = [[line.label, line.explanation, euros(line.amount)] for line in result.lines]
        notices = list(result.notices) + [
            f"{r.label} : en vigueur depuis le {r.valid_from:%d/%m/%Y}"
            + (f" jusqu'au {r.valid_until:%d/%m/%Y}" if r.valid_until else "")
            + f" ({r.reference})."
            for r in result.rules
        ]
    data = {
        "title": f"Déclaration {reference}",
        "reference": reference,
        "subtitle": f"{KIND_TITLES[Kind(declaration.kind)]} – déclarant : {declarant} – statut : {status.label}",
        "office": f"Bureau de douane {declaration.customs_office}",
        "decision": decision,
        "facts": _facts(declaration),
        "items": [
            [
                item["description"]
                + (
                    f" ({_number(item['exciseQuantity'])} {CATEGORIES[Category(item['category'])].quantity_label})"
                    if item.get("exciseQuantity")
                    else ""
                ),
                CATEGORIES[Category(item["category"])].label,
                str(item["quantity"]),
                _money(item["value"], item["currency"]),
            ]
            for item in declaration.items or []
        ],
        "estimate_intro": intro,
        "lines": lines,
        "notices": notices,
        "history": history,
        "printed": f"Récapitulatif imprimé le {printed.astimezone(PARIS):%d/%m/%Y} depuis le portail de la douane.",
    }
    return typst.compile(
        TEMPLATE,
        sys_inputs={"data": json.dumps(data, ensure_ascii=False)},
        pdf_standards=["ua-1"],
        ignore_system_fonts=True,
        timestamp=printed.replace(microsecond=0),
    )


async def declaration_pdf(session: AsyncSession, access: Access, declaration_id: int) -> tuple[str, bytes]:
    """The file name and PDF for a reader of the declaration (NotFound otherwise), compiled in a thread."""
    declaration = await service.get_declaration(session, access, declaration_id)
    events = await service.history(session, declaration.id)
    wanted = {declaration.declarant_id, *(event.actor_id for event in events)}
    users = {user.id: user for user in (await session.exec(select(User).where(User.id.in_(wanted)))).all()}
    declarant = users.get(declaration.declarant_id)
    history = []
    for event in events:
        actor = users.get(event.actor_id)
        text = DeclarationEventKind(event.kind).label
        if event.amount is not None:
            text += f" – montant dû : {euros(event.amount)}"
        if event.message:
            text += f" – « {event.message} »"
        history.append(
            [f"{event.at.astimezone(PARIS):%d/%m/%Y %H:%M}", f"{text} ({actor.display_name if actor else '—'})"]
        )
    pdf = await asyncio.to_thread(
        render, declaration, declarant.display_name if declarant else "—", history, printed=utcnow()
    )
    return f"declaration-{declaration.reference or declaration.id}.pdf", pdf
