"""The estimate of what a private person owes: for goods carried on a trip from outside the EU (the rules in force
on the arrival date) or for an online purchase delivered from outside the EU (the rules in force on the order date).

Every figure comes from a dated rule (`rules.py`); every line says in French why, with its figures. Amounts are
converted to euros at the rate of the reference date (each converted amount rounded to the cent); a tax line is
computed exactly and rounded to the cent (half up) at its end only. What cannot be estimated here (the tariff's
customs duty, excise duties) is a line without amount, and the estimate is then not complete."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from backend.declarations.categories import CATEGORIES, Category, is_alcohol, is_tobacco
from backend.declarations.rules import (
    EURO,
    Rate,
    Rule,
    day_text,
    rate,
    rule,
    rules_in_force,
    to_cents,
    to_euros,
)

ZERO = Decimal("0.00")
HUNDRED = Decimal(100)


class Kind(enum.StrEnum):
    TRIP = "trip"
    PURCHASE = "purchase"


class Transport(enum.StrEnum):
    AIR_SEA = "air_sea"
    OTHER = "other"


@dataclass(frozen=True)
class Item:
    description: str
    category: Category
    quantity: int  # number of articles, ≥ 1
    value: Decimal  # total value of the line, in its currency
    currency: str
    excise_quantity: Decimal | None  # cigarettes (count), grams, litres: required for tobacco and alcohol


@dataclass(frozen=True)
class Trip:
    arrival_date: dt.date
    transport: Transport
    under_15: bool
    origin_country: str
    cash_amount: Decimal | None = None  # euros carried in cash


@dataclass(frozen=True)
class Purchase:
    order_date: dt.date
    seller: str
    shipping_country: str
    shipping_cost: Decimal  # in the parcel's currency, may be 0
    currency: str
    vat_paid_at_checkout: bool
    ioss_number: str | None


@dataclass(frozen=True)
class Line:
    label: str
    amount: Decimal | None  # euros; None: not estimated here (the explanation says so)
    explanation: str
    rule_keys: tuple[str, ...]


@dataclass(frozen=True)
class Conversion:
    description: str
    amount: Decimal
    currency: str
    euros: Decimal
    rate: Rate


@dataclass(frozen=True)
class Estimate:
    reference_date: dt.date  # the date whose rules were used (trip: arrival date; purchase: order date)
    value_eur: Decimal  # trip: without tobacco and alcohol (not part of the value allowance); purchase: everything
    allowance: Decimal | None  # trip only
    exceeded_by: Decimal | None  # trip only; 0 when within
    conversions: tuple[Conversion, ...]
    lines: tuple[Line, ...]
    notices: tuple[str, ...]
    total: Decimal  # the sum of the estimated amounts
    complete: bool  # False when a line could not be estimated
    rules: tuple[Rule, ...]  # every rule used


class EstimateError(ValueError):
    """The items or facts cannot be computed: field path (items.2.exciseQuantity, cashAmount…) → French message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{path}: {message}" for path, message in errors.items()))
        self.errors = dict(errors)


# --- the rules the computation names ------------------------------------------------------------------------------

ALLOWANCE_KEYS = {Transport.AIR_SEA: "TRAVELLER_ALLOWANCE_AIR_SEA", Transport.OTHER: "TRAVELLER_ALLOWANCE_OTHER"}
ALLOWANCE_UNDER_15 = "TRAVELLER_ALLOWANCE_UNDER_15"
LIMIT_KEYS = {
    Category.CIGARETTES: "TOBACCO_CIGARETTES",
    Category.CIGARILLOS: "TOBACCO_CIGARILLOS",
    Category.CIGARS: "TOBACCO_CIGARS",
    Category.SMOKING_TOBACCO: "TOBACCO_SMOKING",
    Category.SPIRITS: "ALCOHOL_SPIRITS",
    Category.INTERMEDIATE_DRINKS: "ALCOHOL_INTERMEDIATE",
    Category.STILL_WINE: "ALCOHOL_STILL_WINE",
    Category.BEER: "ALCOHOL_BEER",
}
MIN_AGE = "TOBACCO_ALCOHOL_MIN_AGE"


@dataclass(frozen=True)
class _Group:
    """Limits that are alternatives: the shares used of each add up to 100 % at most."""

    title: str
    of: str  # « l'excédent de tabac »
    categories: tuple[Category, ...]


GROUPS = (
    _Group(
        "Tabac",
        "de tabac",
        (Category.CIGARETTES, Category.CIGARILLOS, Category.CIGARS, Category.SMOKING_TOBACCO),
    ),
    _Group(
        "Alcools forts et boissons jusqu'à 22 %",
        "d'alcools forts et de boissons jusqu'à 22 %",
        (Category.SPIRITS, Category.INTERMEDIATE_DRINKS),
    ),
    _Group("Vins tranquilles", "de vins tranquilles", (Category.STILL_WINE,)),
    _Group("Bières", "de bière", (Category.BEER,)),
)

# How a quantity reads: singular, plural, complement (« 1,5 litre de bière », « 250 g de tabac à fumer »).
_NOUNS = {
    Category.CIGARETTES: ("cigarette", "cigarettes", ""),
    Category.CIGARILLOS: ("cigarillo", "cigarillos", ""),
    Category.CIGARS: ("cigare", "cigares", ""),
    Category.SMOKING_TOBACCO: ("g", "g", " de tabac à fumer"),
    Category.SPIRITS: ("litre", "litres", " d'alcool fort"),
    Category.INTERMEDIATE_DRINKS: ("litre", "litres", " de boissons jusqu'à 22 %"),
    Category.STILL_WINE: ("litre", "litres", " de vin tranquille"),
    Category.BEER: ("litre", "litres", " de bière"),
}

NOT_ESTIMATED = "calculés par le service des douanes ; ils ne sont pas estimés ici"


# --- French texts -------------------------------------------------------------------------------------------------


def _number(value: Decimal) -> str:
    """1234.50 → « 1 234,5 »: no trailing zeros, French grouping and decimal comma."""
    text = format(value.normalize(), "f") if value else "0"
    whole, _, decimals = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    whole = f"{int(whole.lstrip('-')):,}".replace(",", " ")
    return sign + whole + ("," + decimals if decimals else "")


def _money(value: Decimal) -> str:
    """« 1 234,56 € » (rounded to the cent for display)."""
    return f"{to_cents(value):,.2f}".replace(",", " ").replace(".", ",") + " €"


def _rate_text(value: Decimal) -> str:
    """A currency rate as published (its decimals kept): 1.1420 → « 1,1420 »."""
    return format(value, "f").replace(".", ",")


def _percent(value: Decimal) -> str:
    return f"{_number(value)} %"


def _share(fraction: Decimal) -> str:
    """A fraction of a limit in percent, to two decimals at most: 0.505 → « 50,5 % »."""
    return _percent(to_cents(fraction * HUNDRED))


def _quantity(category: Category, value: Decimal) -> str:
    singular, plural, complement = _NOUNS[category]
    return f"{_number(value)} {plural if abs(value) >= 2 else singular}{complement}"


def _join(parts: Sequence[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " et " + parts[-1]


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _name(item: Item) -> str:
    return item.description.strip() or CATEGORIES[item.category].label


# --- the computation ----------------------------------------------------------------------------------------------


class _Rules:
    """The rules of one day, remembering every rule used (in the order of use)."""

    def __init__(self, on: dt.date) -> None:
        self.on = on
        self.used: dict[str, Rule] = {}

    def __call__(self, key: str) -> Rule:
        found = rule(key, self.on)  # LookupError: the date is outside the rules' data
        self.used.setdefault(key, found)
        return found

    def optional(self, key: str) -> Rule | None:
        found = rules_in_force(self.on).get(key)
        if found is not None:
            self.used.setdefault(key, found)
        return found


@dataclass
class _Result:
    lines: list[Line]
    notices: list[str]
    value: Decimal = ZERO
    allowance: Decimal | None = None
    exceeded_by: Decimal | None = None


@dataclass(frozen=True)
class _Base:
    """What one item's VAT is computed on."""

    item: Item
    goods: Decimal
    shipping: Decimal = ZERO
    duty: Decimal = ZERO


def estimate(kind: Kind, facts: Trip | Purchase, items: Sequence[Item]) -> Estimate:
    """What is owed for `items`, with the rules in force on the trip's arrival date or the purchase's order date.
    EstimateError (every problem at once, by field path) when an item or a fact cannot be computed."""
    if kind is Kind.TRIP and not isinstance(facts, Trip):
        raise TypeError("a trip's estimate needs Trip facts")
    if kind is Kind.PURCHASE and not isinstance(facts, Purchase):
        raise TypeError("a purchase's estimate needs Purchase facts")
    on = facts.arrival_date if isinstance(facts, Trip) else facts.order_date
    date_field = "arrivalDate" if isinstance(facts, Trip) else "orderDate"
    euros, conversions, shipping = _checked(facts, items, on)
    rules = _Rules(on)
    try:
        if isinstance(facts, Trip):
            result = _trip(facts, items, euros, rules)
        else:
            result = _purchase(facts, items, euros, shipping, rules)
    except LookupError as error:
        raise EstimateError({date_field: f"{error} Aucune estimation n'est possible pour cette date."}) from None
    amounts = [line.amount for line in result.lines]
    return Estimate(
        reference_date=on,
        value_eur=to_cents(result.value),
        allowance=result.allowance,
        exceeded_by=result.exceeded_by,
        conversions=tuple(conversions),
        lines=tuple(result.lines),
        notices=(*_rate_notices(conversions, on), *result.notices),
        total=to_cents(sum((a for a in amounts if a is not None), ZERO)),
        complete=all(a is not None for a in amounts),
        rules=tuple(rules.used.values()),
    )


def _checked(
    facts: Trip | Purchase, items: Sequence[Item], on: dt.date
) -> tuple[list[Decimal], list[Conversion], Decimal]:
    """Each item's value in euros, the conversions made, the shipping cost in euros; EstimateError listing every
    problem."""
    errors: dict[str, str] = {}
    euros: list[Decimal] = []
    conversions: list[Conversion] = []

    def convert(path: str, description: str, amount: Decimal, currency: str) -> Decimal:
        try:
            value, used = to_euros(amount, currency, on)
        except LookupError as error:
            errors[path] = str(error)
            return ZERO
        if used.currency != EURO:
            conversions.append(Conversion(description, amount, used.currency, value, used))
        return value

    for index, item in enumerate(items):
        path = f"items.{index}"
        if item.quantity < 1:
            errors[f"{path}.quantity"] = "Le nombre d'articles est d'au moins 1."
        value_ok = item.value.is_finite() and item.value >= 0
        if not value_ok:
            errors[f"{path}.value"] = (
                "La valeur ne peut pas être négative."
                if item.value.is_finite()
                else "La valeur doit être un nombre."
            )
        info = CATEGORIES[item.category]
        if info.quantity_unit is not None:
            excise = item.excise_quantity
            if excise is not None and excise.is_finite() and excise < 0:
                errors[f"{path}.exciseQuantity"] = "La quantité ne peut pas être négative."
            elif excise is None or not excise.is_finite() or excise == 0:
                errors[f"{path}.exciseQuantity"] = f"Indiquez la quantité ({info.quantity_label})."
        if value_ok:
            euros.append(convert(f"{path}.currency", _name(item), item.value, item.currency))
        elif rate(item.currency, on) is None:
            convert(f"{path}.currency", _name(item), Decimal(0), item.currency)  # records the currency's problem
    shipping = ZERO
    if isinstance(facts, Trip):
        cash = facts.cash_amount
        if cash is not None and (not cash.is_finite() or cash < 0):
            errors["cashAmount"] = "Le montant d'argent liquide ne peut pas être négatif."
    else:
        cost = facts.shipping_cost
        if not cost.is_finite() or cost < 0:
            errors["shippingCost"] = "Les frais de port ne peuvent pas être négatifs."
        elif rate(facts.currency, on) is None:
            convert("currency", "Frais de port", Decimal(0), facts.currency)
        elif cost > 0:
            shipping = convert("currency", "Frais de port", cost, facts.currency)
    if errors:
        raise EstimateError(errors)
    return euros, conversions, shipping


def _rate_notices(conversions: Sequence[Conversion], on: dt.date) -> list[str]:
    notices = []
    seen: set[str] = set()
    for conversion in conversions:
        used = conversion.rate
        if used.currency in seen:
            continue
        seen.add(used.currency)
        latest = f" (le dernier connu au {day_text(on)})" if used.on < on else ""
        notices.append(
            f"Montants en {used.currency} convertis au taux du {day_text(used.on)}{latest} : "
            f"1 € = {_rate_text(used.per_euro)} {used.currency}."
        )
    return notices


# --- a trip -------------------------------------------------------------------------------------------------------


def _trip(trip: Trip, items: Sequence[Item], euros: list[Decimal], rules: _Rules) -> _Result:
    allowance_rule = rules(ALLOWANCE_UNDER_15 if trip.under_15 else ALLOWANCE_KEYS[trip.transport])
    allowance = allowance_rule.value
    franchise = f"la {_lower_first(allowance_rule.label)} de {_money(allowance)}"
    goods = [(index, item) for index, item in enumerate(items) if not _excise(item.category)]
    value = sum((euros[index] for index, _ in goods), ZERO)
    result = _Result(lines=[], notices=[], value=value, allowance=to_cents(allowance))
    result.exceeded_by = to_cents(max(value - allowance, ZERO))
    if not items:
        result.notices.append("Ajoutez les articles que vous rapportez pour voir l'estimation.")
    if goods and value <= allowance:
        result.notices.append(
            f"Vos marchandises valent {_money(value)} : c'est dans {franchise}, rien à payer pour elles "
            f"({allowance_rule.reference})."
        )
    elif goods:
        taxable = _beyond_allowance(goods, euros, allowance, franchise, allowance_rule, value, result.notices)
        result.lines.extend(_trip_taxes(taxable, euros, rules, result.notices))
    if any(_excise(item.category) for item in items):
        _trip_excise(trip, items, rules, result)
    if any(item.category is Category.FOOD for item in items):
        result.notices.append(
            "Les viandes, le lait et les produits laitiers venant d'un pays hors de l'Union européenne sont en "
            "principe interdits dans les bagages (règles sanitaires) : renseignez-vous avant de les rapporter."
        )
    if trip.cash_amount is not None:
        threshold = rules("CASH_DECLARATION_THRESHOLD")
        if trip.cash_amount >= threshold.value:
            result.notices.append(
                f"Vous transportez {_money(trip.cash_amount)} d'argent liquide : à partir de "
                f"{_money(threshold.value)}, vous devez le déclarer à la douane en arrivant (obligation déclarative, "
                f"{threshold.reference}). Ce n'est pas une taxe : rien n'est à payer pour cela."
            )
    return result


def _beyond_allowance(
    goods: list[tuple[int, Item]],
    euros: list[Decimal],
    allowance: Decimal,
    franchise: str,
    allowance_rule: Rule,
    value: Decimal,
    notices: list[str],
) -> list[tuple[int, Item]]:
    """The items taxed in full: the allowance cannot be split on one item, so items are taken from the dearest
    and kept while they fit in what is left of it."""
    remaining = allowance
    taxable: list[tuple[int, Item]] = []
    fitting: list[str] = []
    for index, item in sorted(goods, key=lambda entry: -euros[entry[0]]):
        if euros[index] <= remaining:
            remaining -= euros[index]
            continue
        taxable.append((index, item))
        fitting.append(
            f"« {_name(item)} » ({_money(euros[index])}) dépasse ce qui reste de la franchise "
            f"({_money(remaining)}) : cet article est taxé en totalité."
        )
    taxed = sum((euros[index] for index, _ in taxable), ZERO)
    notices.append(
        f"Vos marchandises valent {_money(value)}, {_money(value - allowance)} de plus que {franchise} "
        f"({allowance_rule.reference}). La franchise ne se partage pas sur un article : les articles sont comptés "
        f"du plus cher au moins cher tant qu'ils tiennent dans ce qu'il en reste. En franchise : "
        f"{_money(value - taxed)} ; taxable : {_money(taxed)}."
    )
    notices.extend(fitting)
    return sorted(taxable)


def _trip_taxes(
    taxable: list[tuple[int, Item]], euros: list[Decimal], rules: _Rules, notices: list[str]
) -> list[Line]:
    """Customs duty (the flat rate up to its ceiling, else the tariff: not estimated) and VAT on the taxed items."""
    total = sum((euros[index] for index, _ in taxable), ZERO)
    ceiling = rules("FLAT_RATE_CEILING")
    lines: list[Line] = []
    if total <= ceiling.value:
        flat = rules("FLAT_RATE")
        shares = {index: euros[index] * flat.value / HUNDRED for index, _ in taxable}
        duty = to_cents(sum(shares.values(), ZERO))
        lines.append(
            Line(
                f"Droits de douane au taux forfaitaire de {_percent(flat.value)}",
                duty,
                f"Taux forfaitaire de {_percent(flat.value)} sur {_money(total)} de marchandises taxables, qui ne "
                f"dépassent pas {_money(ceiling.value)} : {_money(duty)} ({flat.reference}).",
                (flat.key, ceiling.key),
            )
        )
        notices.append(
            "Le taux forfaitaire s'applique sauf si vous demandez les droits du tarif, plus favorables pour "
            "certains produits (les livres, par exemple, en sont exemptés)."
        )
        estimated = True
    else:
        shares = {index: ZERO for index, _ in taxable}
        lines.append(
            Line(
                "Droits de douane",
                None,
                f"Vos marchandises taxables valent {_money(total)}, plus que le plafond de "
                f"{_money(ceiling.value)} du taux forfaitaire : les droits de douane dépendent du tarif de chaque "
                f"article ; ils sont {NOT_ESTIMATED}.",
                (ceiling.key,),
            )
        )
        estimated = False
    bases = [_Base(item, euros[index], duty=shares[index]) for index, item in taxable]
    lines.extend(_vat_lines(bases, rules, duty_estimated=estimated))
    return lines


def _trip_excise(trip: Trip, items: Sequence[Item], rules: _Rules, result: _Result) -> None:
    """Tobacco and alcohol: within the quantity limits (alternatives within a group), or a line for the excess."""
    age = rules(MIN_AGE)
    for group in GROUPS:
        quantities: dict[Category, Decimal] = {}
        for item in items:
            if item.category in group.categories and item.excise_quantity is not None:
                quantities[item.category] = quantities.get(item.category, ZERO) + item.excise_quantity
        if not quantities:
            continue
        limits = {category: rules(LIMIT_KEYS[category]) for category in quantities}
        keys = (*(r.key for r in limits.values()), age.key)
        carried = _join([_quantity(category, q) for category, q in quantities.items()])
        label = f"Droits d'accise et TVA sur l'excédent {group.of}"
        if trip.under_15:
            result.notices.append(
                f"{group.title} : {carried}. Vous avez moins de 15 ans : la franchise de tabac et d'alcool est "
                f"réservée aux voyageurs de {_number(age.value)} ans ou plus ({age.reference})."
            )
            result.lines.append(
                Line(
                    label,
                    None,
                    f"Sans franchise avant {_number(age.value)} ans, toute la quantité ({carried}) est soumise aux "
                    f"droits d'accise et à la TVA, {NOT_ESTIMATED}.",
                    keys,
                )
            )
            continue
        reference = next(iter(limits.values())).reference
        if len(quantities) == 1:
            ((category, quantity),) = quantities.items()
            limit = limits[category].value
            if quantity <= limit:
                result.notices.append(
                    f"{group.title} : {_quantity(category, quantity)}, dans la limite de {_quantity(category, limit)} "
                    f"({reference} ; {_number(age.value)} ans ou plus). Cette quantité n'est pas comptée dans la "
                    "franchise en valeur."
                )
                continue
            result.notices.append(
                f"{group.title} : {_quantity(category, quantity)}, au-delà de la limite de "
                f"{_quantity(category, limit)} ({reference})."
            )
            excess = (
                f"L'excédent de {_quantity(category, quantity - limit)} ({_quantity(category, quantity)} pour une "
                f"limite de {_quantity(category, limit)})"
            )
        else:
            fraction = sum((q / limits[c].value if limits[c].value else Decimal("Infinity"))
                           for c, q in quantities.items())  # fmt: skip
            details = " ; ".join(
                f"{_quantity(c, q)}, soit {_share(q / limits[c].value)} de la limite de "
                f"{_quantity(c, limits[c].value)}"
                if limits[c].value
                else f"{_quantity(c, q)}, sans franchise"
                for c, q in quantities.items()
            )
            used = _share(fraction) if fraction.is_finite() else "plus de 100 %"
            if fraction <= 1:
                result.notices.append(
                    f"{group.title} : {details} ; au total {used} de la franchise, dans la limite ({reference} ; "
                    f"{_number(age.value)} ans ou plus). Ces quantités ne sont pas comptées dans la franchise en valeur."
                )
                continue
            result.notices.append(
                f"{group.title} : {details} ; au total {used} de la franchise, au-delà de la limite : ces limites "
                f"sont des alternatives, leurs parts ne doivent pas dépasser 100 % ensemble ({reference})."
            )
            over = _share(fraction - 1) if fraction.is_finite() else "la quantité sans franchise"
            excess = f"L'excédent, {over} de la franchise,"
        result.lines.append(
            Line(label, None, f"{excess} est soumis aux droits d'accise et à la TVA, {NOT_ESTIMATED}.", keys)
        )


# --- an online purchase -------------------------------------------------------------------------------------------


def _purchase(
    purchase: Purchase, items: Sequence[Item], euros: list[Decimal], shipping: Decimal, rules: _Rules
) -> _Result:
    if not items:
        return _Result(lines=[], notices=["Ajoutez les articles de votre commande pour voir l'estimation."])
    ceiling = rules("LOW_VALUE_CEILING")
    value = sum(euros, ZERO)
    result = _Result(lines=[], notices=[], value=value)
    ioss = (purchase.ioss_number or "").replace(" ", "").upper() or None
    shares = _split(shipping, list(range(len(items))), euros)
    ordinary = [i for i, item in enumerate(items) if not _excise(item.category)]
    excise = [i for i, item in enumerate(items) if _excise(item.category)]
    low = value <= ceiling.value
    if low:
        result.notices.append(
            f"Votre commande vaut {_money(value)} hors frais de port, pas plus que le seuil de "
            f"{_money(ceiling.value)} des envois de faible valeur ({ceiling.reference})."
        )
    else:
        result.notices.append(
            f"Votre commande vaut {_money(value)} hors frais de port, plus que le seuil de "
            f"{_money(ceiling.value)} des envois de faible valeur ({ceiling.reference})."
        )
    if shipping:
        also = " et des droits de douane" if not low else ""
        result.notices.append(
            f"Frais de port : {_money(shipping)} ; ils ne comptent pas dans le seuil de {_money(ceiling.value)} "
            f"mais font partie de la base de la TVA{also}."
        )
    duty = {i: ZERO for i in range(len(items))}
    if low and ordinary:
        duty = _flat_duty(items, euros, ordinary, ceiling, rules, result, ioss)
    elif not low:
        result.lines.append(
            Line(
                "Droits de douane",
                None,
                f"Votre commande vaut {_money(value)}, plus que {_money(ceiling.value)} : les droits de douane "
                f"dépendent du tarif de chaque article (sur sa valeur et sa part des frais de port) ; ils sont "
                f"{NOT_ESTIMATED}.",
                (ceiling.key,),
            )
        )
    if excise:
        result.lines.append(
            Line(
                "Droits d'accise et de douane sur le tabac et l'alcool",
                None,
                "Le tabac et l'alcool achetés en ligne ne bénéficient d'aucune franchise : droits d'accise et droits "
                f"de douane du tarif sont {NOT_ESTIMATED}.",
                (ceiling.key,),
            )
        )
        if any(is_tobacco(items[i].category) for i in excise):
            result.notices.append(
                "La vente à distance de tabac aux particuliers est interdite en France (code général des impôts, "
                "art. 568 ter) : le colis peut être retenu par la douane."
            )
    if low:
        fee = rules.optional("FR_PARCEL_FEE")
        if fee is not None and fee.value > 0:
            count = len(_headings(items, list(range(len(items)))))
            amount = to_cents(fee.value * count)
            result.lines.append(
                Line(
                    fee.label,
                    amount,
                    f"Taxe française sur les petits colis ({fee.reference}) : {_money(fee.value)} par article de la "
                    f"déclaration en douane, compté ici par sous-position tarifaire : {count} × {_money(fee.value)} "
                    f"= {_money(amount)}. Montant indicatif : elle est due par le redevable de la TVA à "
                    "l'importation et peut vous être refacturée.",
                    (fee.key,),
                )
            )
    result.lines.extend(
        _purchase_vat(purchase, items, euros, shares, duty, ordinary, excise, low, ioss, rules, result)
    )
    return result


def _flat_duty(
    items: Sequence[Item],
    euros: list[Decimal],
    ordinary: list[int],
    ceiling: Rule,
    rules: _Rules,
    result: _Result,
    ioss: str | None,
) -> dict[int, Decimal]:
    """The low-value parcel duty: a flat amount per distinct tariff subheading (0 while such parcels were free of
    duty); returns each item's share of it (a subheading's amount split by value among its items)."""
    flat = rules("EU_FLAT_DUTY_PER_CATEGORY")
    shares = {i: ZERO for i in range(len(items))}
    if not flat.value:
        until = f" jusqu'au {day_text(flat.valid_until)}" if flat.valid_until else ""
        result.lines.append(
            Line(
                "Droits de douane",
                ZERO,
                f"Aucun droit de douane : les envois de {_money(ceiling.value)} au plus en sont exonérés{until} "
                f"({flat.reference}).",
                (flat.key, ceiling.key),
            )
        )
        return shares
    headings = _headings(items, ordinary)
    for members in headings.values():
        shares.update(_split(flat.value, members, euros))
    amount = to_cents(flat.value * len(headings))
    named = [h for h in headings if not h.startswith("#")]
    unnamed = len(headings) - len(named)
    which = []
    if named:
        which.append(
            ("sous-positions tarifaires " if len(named) > 1 else "sous-position tarifaire ") + _join(named)
        )
    if unnamed:
        which.append(f"{unnamed} article{'s' if unnamed > 1 else ''} « autre », compté{'s' if unnamed > 1 else ''} "
                     "chacun comme une catégorie")  # fmt: skip
    plural = "s" if len(headings) > 1 else ""
    result.lines.append(
        Line(
            f"Droit de douane forfaitaire ({_money(flat.value)} par catégorie d'articles)",
            amount,
            f"{len(headings)} catégorie{plural} d'articles ({_join(which)}) × {_money(flat.value)} = "
            f"{_money(amount)} : droit forfaitaire des envois de {_money(ceiling.value)} au plus, en vigueur depuis "
            f"le {day_text(flat.valid_from)} ({flat.reference}).",
            (flat.key, ceiling.key),
        )
    )
    if ioss is None:
        result.notices.append(
            "Le droit forfaitaire vise les envois des vendeurs inscrits au guichet unique de TVA (IOSS) ; sans "
            "numéro IOSS, le service des douanes peut calculer les droits autrement."
        )
    return shares


def _purchase_vat(
    purchase: Purchase,
    items: Sequence[Item],
    euros: list[Decimal],
    shipping: dict[int, Decimal],
    duty: dict[int, Decimal],
    ordinary: list[int],
    excise: list[int],
    low: bool,
    ioss: str | None,
    rules: _Rules,
    result: _Result,
) -> list[Line]:
    paid = low and purchase.vat_paid_at_checkout and ioss is not None
    lines: list[Line] = []
    due = list(excise) if paid else sorted(ordinary + excise)
    if paid and ordinary:
        keys = tuple(dict.fromkeys(CATEGORIES[items[i].category].vat_rule_key for i in ordinary))
        for key in keys:
            rules(key)
        lines.append(
            Line(
                "TVA (payée à la commande)",
                ZERO,
                f"TVA payée au vendeur lors de la commande (numéro IOSS {ioss}) : rien de plus à payer à la "
                "livraison.",
                keys,
            )
        )
        result.notices.append(
            f"Le vendeur utilise le guichet unique de TVA (IOSS, numéro {ioss}) et vous avez payé la TVA à la "
            "commande : elle n'est pas demandée une seconde fois à la livraison."
        )
        if excise:
            result.notices.append("L'IOSS ne couvre ni le tabac ni l'alcool : leur TVA est due à la livraison.")
    elif low and purchase.vat_paid_at_checkout:
        result.notices.append(
            "Vous indiquez avoir payé la TVA à la commande, mais sans numéro IOSS du vendeur elle est due à "
            "la livraison : demandez au vendeur le remboursement de celle payée à la commande."
        )
    elif low and ioss is not None:
        result.notices.append(
            f"Le vendeur a un numéro IOSS ({ioss}), mais la TVA n'a pas été payée à la commande : elle est due "
            "à la livraison."
        )
    elif not low and (ioss is not None or purchase.vat_paid_at_checkout):
        refund = (
            " ; demandez au vendeur le remboursement de la TVA payée à la commande"
            if purchase.vat_paid_at_checkout
            else ""
        )
        result.notices.append(
            "L'IOSS ne s'applique pas aux commandes de plus de "
            f"{_money(rules('LOW_VALUE_CEILING').value)} : la TVA est due à l'importation, à la livraison{refund}."
        )
    if due:
        bases = [_Base(items[i], euros[i], shipping[i], duty[i]) for i in due]
        lines.extend(_vat_lines(bases, rules, duty_estimated=low))
        result.notices.append(
            "La TVA due à la livraison est perçue par le transporteur, qui peut facturer ses propres frais de "
            "dédouanement, non compris dans cette estimation."
        )
    return lines


def _headings(items: Sequence[Item], indexes: list[int]) -> dict[str, list[int]]:
    """Distinct tariff subheadings → their items; an item without a known subheading (OTHER) counts on its own."""
    found: dict[str, list[int]] = {}
    for i in indexes:
        heading = CATEGORIES[items[i].category].tariff_heading or f"#{i}"
        found.setdefault(heading, []).append(i)
    return found


def _split(amount: Decimal, indexes: list[int], euros: list[Decimal]) -> dict[int, Decimal]:
    """`amount` shared among `indexes` in proportion to their values (equally when they are all 0), exactly."""
    total = sum((euros[i] for i in indexes), ZERO)
    if not indexes:
        return {}
    if total == 0:
        return {i: amount / len(indexes) for i in indexes}
    return {i: amount * euros[i] / total for i in indexes}


# --- VAT ----------------------------------------------------------------------------------------------------------


def _vat_lines(bases: list[_Base], rules: Callable[[str], Rule], *, duty_estimated: bool) -> list[Line]:
    """One VAT line per rate (the highest first), on each item's value, its share of the shipping and of the duty."""
    by_key: dict[str, list[_Base]] = {}
    for base in bases:
        by_key.setdefault(CATEGORIES[base.item.category].vat_rule_key, []).append(base)
    versions = {key: rules(key) for key in by_key}
    lines = []
    for key in sorted(by_key, key=lambda k: -versions[k].value):
        vat, group = versions[key], by_key[key]
        goods = sum((b.goods for b in group), ZERO)
        shipping = sum((b.shipping for b in group), ZERO)
        duty = sum((b.duty for b in group), ZERO)
        base = goods + shipping + duty
        amount = to_cents(base * vat.value / HUNDRED)
        parts = [f"{_money(goods)} de marchandises"]
        if shipping:
            parts.append(f"{_money(shipping)} de frais de port")
        if duty:
            parts.append(f"{_money(duty)} de droits de douane")
        on = f" (base {_money(base)})" if len(parts) > 1 else ""
        after = []
        if not duty_estimated:
            after.append("les droits de douane")
        if any(_excise(b.item.category) for b in group):
            after.append("les droits d'accise")
        later = f" La TVA sur {_join(after)}, qui ne sont pas estimés ici, s'y ajoutera." if after else ""
        lines.append(
            Line(
                f"TVA à {_percent(vat.value)}",
                amount,
                f"{vat.label} de {_percent(vat.value)} sur {_join(parts)}{on} : {_money(amount)} "
                f"({vat.reference}).{later}",
                (key,),
            )
        )
    return lines


def _excise(category: Category) -> bool:
    return is_tobacco(category) or is_alcohol(category)
