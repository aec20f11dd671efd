"""A private person's declaration from draft to customs' answer: the facts of the trip or the purchase, the items,
submission, and the examination by the office (take, ask for information, accept with the amount due, refuse).

Every change checks the policy (backend/identity/policy/declarations.py), the declaration's version (two tabs
cannot overwrite each other) and writes one history entry, published on the hub once committed."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

import pycountry
import sqlalchemy as sa
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.clock import paris_today
from backend.db import utcnow
from backend.declarations.categories import CATEGORIES, Category, is_alcohol, is_tobacco
from backend.declarations.estimate import (
    Estimate,
    EstimateError,
    Item,
    Kind,
    Purchase,
    Transport,
    Trip,
    estimate,
)
from backend.declarations.models import (
    DeclarationCounter,
    DeclarationEventKind,
    DeclarationStatus,
    PrivateDeclaration,
    PrivateDeclarationEvent,
)
from backend.declarations.rules import currencies
from backend.errors import DomainError, FieldErrors
from backend.events import office_channel
from backend.identity.policy import Access
from backend.identity.policy.declarations import (
    require_declarant,
    require_declaration_reader,
    require_declaring,
    require_editable,
    require_examiner,
)

MAX_TEXT = 4000
MAX_ITEMS = 50
MAX_AMOUNT = Decimal("10000000")
MESSAGE_TYPE = "declaration_event"
EU_COUNTRIES = frozenset(
    "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK".split()
)
IOSS_NUMBER = re.compile(r"^IM\d{10}$")
COUNTRY = re.compile(r"^[A-Z]{2}$")


def declarant_channel(user_id: int) -> str:
    return f"declarant.{user_id}"


def declaration_channel(declaration_id: int) -> str:
    return f"declaration.{declaration_id}"


# --- reading the stored form --------------------------------------------------------------------------------------


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value).replace(",", ".").replace(" ", "").replace("\u202f", ""))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def facts_of(declaration: PrivateDeclaration) -> Trip | Purchase | None:
    """The estimate's facts from what the form holds; None while a required fact is missing."""
    facts = declaration.facts or {}
    if declaration.kind == Kind.TRIP:
        arrival, transport = _date(facts.get("arrivalDate")), facts.get("transport")
        if arrival is None or transport not in {t.value for t in Transport}:
            return None
        return Trip(
            arrival_date=arrival,
            transport=Transport(transport),
            under_15=bool(facts.get("under15")),
            origin_country=facts.get("originCountry") or "",
            cash_amount=_decimal(facts.get("cashAmount")),
        )
    order = _date(facts.get("orderDate"))
    if order is None:
        return None
    return Purchase(
        order_date=order,
        seller=facts.get("seller") or "",
        shipping_country=facts.get("shippingCountry") or "",
        shipping_cost=_decimal(facts.get("shippingCost")) or Decimal(0),
        currency=facts.get("currency") or "EUR",
        vat_paid_at_checkout=bool(facts.get("vatPaidAtCheckout")),
        ioss_number=facts.get("iossNumber") or None,
    )


def items_of(declaration: PrivateDeclaration) -> list[Item]:
    return [
        Item(
            description=item["description"],
            category=Category(item["category"]),
            quantity=int(item["quantity"]),
            value=Decimal(item["value"]),
            currency=item["currency"],
            excise_quantity=_decimal(item.get("exciseQuantity")),
        )
        for item in declaration.items or []
    ]


def estimate_of(declaration: PrivateDeclaration) -> tuple[Estimate | None, list[tuple[str, str]]]:
    """The estimate of what is owed with the rules in force on the declaration's date, or the problems that keep
    it from being computed (field, French message)."""
    facts = facts_of(declaration)
    if facts is None:
        return None, [("facts", "Complétez les informations du voyage ou de l'achat pour voir l'estimation.")]
    try:
        return estimate(Kind(declaration.kind), facts, items_of(declaration)), []
    except EstimateError as error:
        return None, list(error.errors.items())


# --- checking what the person typed -------------------------------------------------------------------------------


def _required(problems, field: str, value: Any, message: str) -> None:
    if value is None or (isinstance(value, str) and not value.strip()):
        problems.append((field, message))


def _agreed(label: str, masculine: str, feminine: str, plural: str) -> str:
    """The word agreeing with `label`'s article: « le montant », « la valeur », « les frais »."""
    if label.startswith("les "):
        return plural
    return feminine if label.startswith("la ") else masculine


def _amount(problems, field: str, raw: Any, *, required: bool, positive: bool, label: str) -> str | None:
    if raw is None or str(raw).strip() == "":
        if required:
            problems.append((field, f"Indiquez {label}."))
        return None
    subject = f"{label[0].upper()}{label[1:]}"
    must, can, be = (_agreed(label, *words) for words in (("doit",) * 2 + ("doivent",), ("peut",) * 2 + ("peuvent",),
                                                          ("est",) * 2 + ("sont",)))  # fmt: skip
    number = _decimal(raw)
    if number is None:
        problems.append((field, f"{subject} {must} être un nombre (par exemple 129,90)."))
        return None
    if positive and number <= 0:
        problems.append(
            (field, f"{subject} {must} être {_agreed(label, 'supérieur', 'supérieure', 'supérieurs')} à zéro.")
        )
        return None
    if number < 0:
        nothing = " (0 si rien n'est dû)" if field == "amountDue" else ""
        negative = _agreed(label, "négatif", "négative", "négatifs")
        problems.append((field, f"{subject} ne {can} pas être {negative}{nothing}."))
        return None
    if number >= MAX_AMOUNT:
        problems.append((field, f"{subject} {be} trop {_agreed(label, 'élevé', 'élevée', 'élevés')}."))
        return None
    if number.as_tuple().exponent < -2:
        problems.append((field, f"{subject} {_agreed(label, 'a', 'a', 'ont')} au plus deux décimales."))
        return None
    return str(number)


def _country(problems, field: str, raw: Any) -> str | None:
    value = (raw or "").strip().upper()
    if not value:
        problems.append((field, "Indiquez le pays (code à deux lettres, par exemple US)."))
        return None
    if not COUNTRY.match(value):
        problems.append((field, "Le pays s'écrit avec son code à deux lettres (par exemple US, CN, MA)."))
        return None
    if pycountry.countries.get(alpha_2=value) is None:
        problems.append(
            (field, f"Aucun pays n'a le code « {value} » : indiquez le code à deux lettres (par exemple US).")
        )
        return None
    if value in EU_COUNTRIES:
        problems.append(
            (field, "Ce pays est dans l'Union européenne : rien n'est à déclarer pour des biens qui en viennent.")
        )
        return None
    return value


def checked_facts(kind: Kind, raw: dict[str, Any], *, today: dt.date) -> dict[str, Any]:
    """The facts to store, or FieldErrors listing every problem at once (field names as the API's input)."""
    problems: list[tuple[str, str]] = []
    if kind is Kind.TRIP:
        arrival = _date(raw.get("arrivalDate"))
        if raw.get("arrivalDate") in (None, ""):
            problems.append(("arrivalDate", "Indiquez la date d'arrivée en France."))
        elif arrival is None:
            problems.append(("arrivalDate", "La date d'arrivée n'est pas une date valide."))
        elif arrival > today + dt.timedelta(days=30):
            problems.append(("arrivalDate", "La date d'arrivée est dans plus de 30 jours."))
        transport = raw.get("transport")
        if transport not in {t.value for t in Transport}:
            problems.append(("transport", "Choisissez le moyen de transport : avion ou bateau, ou un autre."))
        country = _country(problems, "originCountry", raw.get("originCountry"))
        cash = _amount(
            problems,
            "cashAmount",
            raw.get("cashAmount"),
            required=False,
            positive=False,
            label="la somme en espèces",
        )
        facts = {
            "arrivalDate": arrival.isoformat() if arrival else None,
            "transport": transport,
            "under15": bool(raw.get("under15")),
            "originCountry": country,
            "cashAmount": cash,
        }
    else:
        order = _date(raw.get("orderDate"))
        if raw.get("orderDate") in (None, ""):
            problems.append(("orderDate", "Indiquez la date de la commande."))
        elif order is None:
            problems.append(("orderDate", "La date de la commande n'est pas une date valide."))
        elif order > today:
            problems.append(("orderDate", "La date de la commande ne peut pas être dans le futur."))
        seller = (raw.get("seller") or "").strip()
        _required(problems, "seller", seller, "Indiquez le vendeur ou le site de la commande.")
        if len(seller) > 200:
            problems.append(("seller", "Le nom du vendeur tient en 200 caractères."))
        country = _country(problems, "shippingCountry", raw.get("shippingCountry"))
        shipping = _amount(
            problems,
            "shippingCost",
            raw.get("shippingCost"),
            required=False,
            positive=False,
            label="les frais de port",
        )
        currency = (raw.get("currency") or "EUR").strip().upper()
        if currency not in currencies():
            problems.append(("currency", f"Devise inconnue : {currency}. Choisissez-en une de la liste."))
        vat_paid = bool(raw.get("vatPaidAtCheckout"))
        ioss = (raw.get("iossNumber") or "").strip().upper() or None
        if vat_paid and ioss is None:
            problems.append(("iossNumber", "Indiquez le numéro IOSS du vendeur (IM suivi de 10 chiffres)."))
        elif ioss is not None and not IOSS_NUMBER.match(ioss):
            problems.append(
                ("iossNumber", "Le numéro IOSS s'écrit IM suivi de 10 chiffres (par exemple IM2500012345).")
            )
        facts = {
            "orderDate": order.isoformat() if order else None,
            "seller": seller,
            "shippingCountry": country,
            "shippingCost": shipping or "0",
            "currency": currency,
            "vatPaidAtCheckout": vat_paid,
            "iossNumber": ioss,
        }
    if problems:
        raise FieldErrors(problems)
    return facts


def checked_item(raw: dict[str, Any]) -> dict[str, Any]:
    problems: list[tuple[str, str]] = []
    description = (raw.get("description") or "").strip()
    _required(problems, "description", description, "Décrivez l'article (par exemple « veste en cuir »).")
    if len(description) > 200:
        problems.append(("description", "La description tient en 200 caractères."))
    category = raw.get("category")
    if category not in {c.value for c in Category}:
        problems.append(("category", "Choisissez la catégorie de l'article."))
        category = None
    quantity = raw.get("quantity")
    if not isinstance(quantity, int) or isinstance(quantity, bool) or not 1 <= quantity <= 10_000:
        problems.append(("quantity", "Le nombre d'articles est un nombre entier entre 1 et 10 000."))
    value = _amount(problems, "value", raw.get("value"), required=True, positive=True, label="la valeur")
    currency = (raw.get("currency") or "").strip().upper()
    if currency not in currencies():
        problems.append(("currency", "Choisissez la devise dans laquelle l'article a été payé."))
    excise = None
    if category and (is_tobacco(Category(category)) or is_alcohol(Category(category))):
        unit = CATEGORIES[Category(category)].quantity_label
        excise = _amount(
            problems,
            "exciseQuantity",
            raw.get("exciseQuantity"),
            required=True,
            positive=True,
            label=f"la quantité ({unit})",
        )
    if problems:
        raise FieldErrors(problems)
    return {
        "description": description,
        "category": category,
        "quantity": quantity,
        "value": value,
        "currency": currency,
        "exciseQuantity": excise,
    }


# --- changes ------------------------------------------------------------------------------------------------------


async def _publish(session: AsyncSession, declaration: PrivateDeclaration, event: PrivateDeclarationEvent) -> None:
    hub = session.info.get("hub")
    if hub is None:
        return
    message = {
        "type": MESSAGE_TYPE,
        "event": event.id,
        "declaration": declaration.id,
        "kind": event.kind,
        "declarant": declaration.declarant_id,
        "office": declaration.customs_office,
    }
    await hub.publish(declarant_channel(declaration.declarant_id), message)
    await hub.publish(declaration_channel(declaration.id), message)
    if declaration.status != DeclarationStatus.DRAFT:
        await hub.publish(office_channel(declaration.customs_office), message)


async def _record(
    session: AsyncSession,
    declaration: PrivateDeclaration,
    kind: DeclarationEventKind,
    *,
    actor_id: int,
    to_status: DeclarationStatus | None = None,
    message: str = "",
    amount: Decimal | None = None,
) -> PrivateDeclarationEvent:
    """The change the session holds, the declaration's new version and one history entry, in one transaction;
    published once committed."""
    now = utcnow()
    from_status = declaration.status
    if to_status is not None:
        declaration.status = to_status.value
    declaration.version += 1
    declaration.updated_at = now
    session.add(declaration)
    event = PrivateDeclarationEvent(
        declaration_id=declaration.id,
        kind=kind.value,
        actor_id=actor_id,
        from_status=from_status if to_status is not None else None,
        to_status=to_status.value if to_status is not None else None,
        message=message,
        amount=amount,
        at=now,
    )
    session.add(event)
    await session.commit()
    await session.refresh(declaration)
    await _publish(session, declaration, event)
    return event


async def _locked(session: AsyncSession, declaration_id: int) -> PrivateDeclaration | None:
    return (
        await session.exec(
            select(PrivateDeclaration).where(PrivateDeclaration.id == declaration_id).with_for_update()
        )
    ).first()


def _check_version(declaration: PrivateDeclaration, version: int | None) -> None:
    if version is not None and version != declaration.version:
        raise DomainError(
            "Cette déclaration a été modifiée entre-temps (dans un autre onglet ?) : rechargez-la avant de continuer.",
            code="CONFLICT",
        )


def _text(field: str, text: str | None, *, required: str | None) -> str:
    value = (text or "").strip()
    if required and not value:
        raise FieldErrors([(field, required)])
    if len(value) > MAX_TEXT:
        raise FieldErrors([(field, f"Le texte tient en {MAX_TEXT} caractères ({len(value)} saisis).")])
    return value


async def create_declaration(
    session: AsyncSession, access: Access, kind: Kind, *, office: str
) -> PrivateDeclaration:
    require_declaring(access)
    declaration = PrivateDeclaration(
        declarant_id=access.actor.user_id, kind=kind.value, customs_office=office, facts={}, items=[]
    )
    session.add(declaration)
    await session.flush()
    declaration.version = 0  # the creation's history entry makes it 1
    await _record(session, declaration, DeclarationEventKind.CREATED, actor_id=access.actor.user_id)
    return declaration


async def get_declaration(session: AsyncSession, access: Access, declaration_id: int) -> PrivateDeclaration:
    return require_declaration_reader(access, await session.get(PrivateDeclaration, declaration_id))


async def save_facts(
    session: AsyncSession, access: Access, declaration_id: int, version: int, raw: dict[str, Any]
) -> PrivateDeclaration:
    declaration = require_editable(access, await _locked(session, declaration_id))
    _check_version(declaration, version)
    declaration.facts = checked_facts(Kind(declaration.kind), raw, today=paris_today())
    await _save(session, declaration)
    return declaration


async def _save_items(session: AsyncSession, declaration: PrivateDeclaration, items: list[dict]) -> None:
    declaration.items = items
    await _save(session, declaration)


async def _save(session: AsyncSession, declaration: PrivateDeclaration) -> None:
    """A draft's change: a new version, no history entry (the history tells the steps and the messages)."""
    declaration.version += 1
    declaration.updated_at = utcnow()
    session.add(declaration)
    await session.commit()
    await session.refresh(declaration)


async def add_item(
    session: AsyncSession, access: Access, declaration_id: int, version: int, raw: dict[str, Any]
) -> PrivateDeclaration:
    declaration = require_editable(access, await _locked(session, declaration_id))
    _check_version(declaration, version)
    if len(declaration.items or []) >= MAX_ITEMS:
        raise DomainError(f"Une déclaration compte au plus {MAX_ITEMS} articles.", code="INVALID")
    item = {"key": uuid.uuid4().hex[:10], **checked_item(raw)}
    await _save_items(session, declaration, [*(declaration.items or []), item])
    return declaration


def _index_of(declaration: PrivateDeclaration, key: str) -> int:
    for index, item in enumerate(declaration.items or []):
        if item.get("key") == key:
            return index
    raise DomainError("Cet article n'est plus dans la déclaration.", code="NOT_FOUND", field="itemKey")


async def update_item(
    session: AsyncSession, access: Access, declaration_id: int, version: int, key: str, raw: dict[str, Any]
) -> PrivateDeclaration:
    declaration = require_editable(access, await _locked(session, declaration_id))
    _check_version(declaration, version)
    items = list(declaration.items or [])
    items[_index_of(declaration, key)] = {"key": key, **checked_item(raw)}
    await _save_items(session, declaration, items)
    return declaration


async def remove_item(
    session: AsyncSession, access: Access, declaration_id: int, version: int, key: str
) -> PrivateDeclaration:
    declaration = require_editable(access, await _locked(session, declaration_id))
    _check_version(declaration, version)
    items = list(declaration.items or [])
    del items[_index_of(declaration, key)]
    await _save_items(session, declaration, items)
    return declaration


async def _next_reference(session: AsyncSession, year: int) -> str:
    updated = await session.exec(
        sa.update(DeclarationCounter)
        .where(DeclarationCounter.year == year)
        .values(last=DeclarationCounter.last + 1)
    )
    if updated.rowcount == 0:
        session.add(DeclarationCounter(year=year, last=1))
        await session.flush()
    last = (await session.exec(select(DeclarationCounter.last).where(DeclarationCounter.year == year))).one()
    return f"DP-{year}-{last:06d}"


def submission_problems(
    declaration: PrivateDeclaration,
    estimated: Callable[[], tuple[Estimate | None, list[tuple[str, str]]]] | None = None,
) -> list[tuple[str, str]]:
    """What keeps the declaration from being submitted, every problem at once; `estimated` gives the estimate
    already computed for it, if any."""
    problems: list[tuple[str, str]] = []
    try:
        checked_facts(Kind(declaration.kind), declaration.facts or {}, today=paris_today())
    except FieldErrors as error:
        problems.extend(error.problems)
    if not declaration.items:
        problems.append(("items", "Ajoutez au moins un article."))
    elif not problems:
        _, estimate_problems = estimated() if estimated else estimate_of(declaration)
        problems.extend(estimate_problems)
    return problems


async def submit_declaration(
    session: AsyncSession, access: Access, declaration_id: int, version: int, message: str | None = None
) -> PrivateDeclaration:
    """Draft → déposée; after a request for information, the answer (a message, and the corrected items) sends it
    back to the office."""
    declaration = require_editable(access, await _locked(session, declaration_id))
    _check_version(declaration, version)
    if problems := submission_problems(declaration):
        raise FieldErrors(problems)
    if declaration.status == DeclarationStatus.INFO_REQUESTED:
        text = _text("message", message, required="Répondez à la douane : écrivez votre réponse.")
        # Back to the officer who was examining it (« en cours d'examen »), or to the office's queue.
        taken = (
            await session.exec(
                select(PrivateDeclarationEvent.id)
                .where(
                    PrivateDeclarationEvent.declaration_id == declaration.id,
                    PrivateDeclarationEvent.kind == DeclarationEventKind.TAKEN.value,
                )
                .limit(1)
            )
        ).first()
        await _record(
            session,
            declaration,
            DeclarationEventKind.ANSWERED,
            actor_id=access.actor.user_id,
            to_status=DeclarationStatus.UNDER_REVIEW if taken else DeclarationStatus.SUBMITTED,
            message=text,
        )
        return declaration
    declaration.reference = await _next_reference(session, paris_today().year)
    declaration.submitted_at = utcnow()
    await _record(
        session,
        declaration,
        DeclarationEventKind.SUBMITTED,
        actor_id=access.actor.user_id,
        to_status=DeclarationStatus.SUBMITTED,
        message=_text("message", message, required=None),
    )
    return declaration


def _examinable(access: Access, declaration: PrivateDeclaration | None) -> PrivateDeclaration:
    declaration = require_examiner(access, declaration)
    if declaration.status not in (DeclarationStatus.SUBMITTED, DeclarationStatus.UNDER_REVIEW):
        raise DomainError(
            f"Cette déclaration est {DeclarationStatus(declaration.status).label} : elle n'attend pas de décision.",
            code="INVALID_STATE",
        )
    return declaration


async def take_declaration(session: AsyncSession, access: Access, declaration_id: int) -> PrivateDeclaration:
    declaration = _examinable(access, await _locked(session, declaration_id))
    if declaration.status == DeclarationStatus.UNDER_REVIEW:
        return declaration
    await _record(
        session,
        declaration,
        DeclarationEventKind.TAKEN,
        actor_id=access.actor.user_id,
        to_status=DeclarationStatus.UNDER_REVIEW,
    )
    return declaration


async def request_information(
    session: AsyncSession, access: Access, declaration_id: int, message: str
) -> PrivateDeclaration:
    declaration = _examinable(access, await _locked(session, declaration_id))
    text = _text("message", message, required="Écrivez ce que le déclarant doit préciser ou fournir.")
    await _record(
        session,
        declaration,
        DeclarationEventKind.INFO_REQUESTED,
        actor_id=access.actor.user_id,
        to_status=DeclarationStatus.INFO_REQUESTED,
        message=text,
    )
    return declaration


async def accept_declaration(
    session: AsyncSession, access: Access, declaration_id: int, amount_due: str, message: str | None = None
) -> PrivateDeclaration:
    declaration = _examinable(access, await _locked(session, declaration_id))
    problems: list[tuple[str, str]] = []
    amount = _amount(problems, "amountDue", amount_due, required=True, positive=False, label="le montant dû")
    if problems:
        raise FieldErrors(problems)
    declaration.amount_due = Decimal(amount)
    declaration.decided_at = utcnow()
    await _record(
        session,
        declaration,
        DeclarationEventKind.ACCEPTED,
        actor_id=access.actor.user_id,
        to_status=DeclarationStatus.ACCEPTED,
        message=_text("message", message, required=None),
        amount=Decimal(amount),
    )
    return declaration


async def refuse_declaration(
    session: AsyncSession, access: Access, declaration_id: int, reason: str
) -> PrivateDeclaration:
    declaration = _examinable(access, await _locked(session, declaration_id))
    text = _text("reason", reason, required="Indiquez le motif du refus : le déclarant le lira.")
    declaration.decision_reason = text
    declaration.decided_at = utcnow()
    await _record(
        session,
        declaration,
        DeclarationEventKind.REFUSED,
        actor_id=access.actor.user_id,
        to_status=DeclarationStatus.REFUSED,
        message=text,
    )
    return declaration


async def send_message(
    session: AsyncSession, access: Access, declaration_id: int, text: str
) -> PrivateDeclaration:
    """A message in the declaration's thread, from the declarant or the office, once it is submitted."""
    declaration = require_declaration_reader(access, await _locked(session, declaration_id))
    if declaration.status == DeclarationStatus.DRAFT:
        raise DomainError("Déposez la déclaration avant d'écrire à la douane.", code="INVALID_STATE")
    if declaration.declarant_id != access.actor.user_id:
        require_examiner(access, declaration)
    else:
        require_declarant(access, declaration)
    body = _text("text", text, required="Écrivez votre message.")
    await _record(session, declaration, DeclarationEventKind.MESSAGE, actor_id=access.actor.user_id, message=body)
    return declaration


async def history(session: AsyncSession, declaration_id: int) -> list[PrivateDeclarationEvent]:
    return list(
        (
            await session.exec(
                select(PrivateDeclarationEvent)
                .where(PrivateDeclarationEvent.declaration_id == declaration_id)
                .order_by(PrivateDeclarationEvent.id)
            )
        ).all()
    )
