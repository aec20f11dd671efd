"""How a private declaration reads, on either side: amounts in euros with a decimal comma, the status badge, the facts
of the trip or the purchase, the items, and the history of steps and messages. No rule here: every label and every
figure is the API's."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from reactpy import html

from ui import formatting
from ui.components.tables import data_table

CENT = Decimal("0.01")

# DeclarationStatus → DSFR badge variant; the words are always the API's statusLabel.
STATUS_VARIANTS = {
    "DRAFT": "fr-badge--new",
    "SUBMITTED": "fr-badge--info",
    "UNDER_REVIEW": "fr-badge--info",
    "INFO_REQUESTED": "fr-badge--warning",
    "ACCEPTED": "fr-badge--success",
    "REFUSED": "fr-badge--error",
}
TRANSPORTS = {"AIR_SEA": "En avion ou en bateau", "OTHER": "Par un autre moyen (voiture, train, à pied…)"}
# AllowanceRule.unit → how a value in it reads.
UNITS = {"EUR": " €", "PERCENT": " %", "UNITS": "", "GRAMS": " g", "LITRES": " l", "YEARS": " ans"}


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def plain(value: Any) -> str:
    """'1.50' → '1,5', '700' → '700': a quantity or a rule's value, without trailing zeros."""
    number = _decimal(value)
    if number is None:
        return str(value or "")
    text = format(number.normalize(), "f")
    return formatting.number(text)


def money(value: Any, currency: str = "EUR") -> str:
    """'40.3' → '40,30 €'; another currency keeps its code ('200,00 USD')."""
    number = _decimal(value)
    if number is None:
        return ""
    text = formatting.number(str(number.quantize(CENT, rounding=ROUND_HALF_UP)))
    # A non-breaking space: an amount never breaks across lines.
    return f"{text}\u00a0€" if currency == "EUR" else f"{text}\u00a0{currency}"


def amount_input(value: Any) -> str:
    """An amount as a person types it back (decimal comma, no grouping): '40.3' → '40,30', '300.00' → '300'."""
    number = _decimal(value)
    if number is None:
        return ""
    if number == number.to_integral_value():
        return format(number.quantize(Decimal(1)), "f")
    return str(number.quantize(CENT, rounding=ROUND_HALF_UP)).replace(".", ",")


def rule_value(rule: Mapping[str, Any]) -> str:
    unit = rule.get("unit") or ""
    if unit == "EUR":
        return money(rule["value"])
    return plain(rule["value"]) + UNITS.get(unit, f" {unit.lower()}")


def status_badge(declaration: Mapping[str, Any], *, small: bool = False, id: str | None = None):
    classes = ["fr-badge", "fr-badge--no-icon", STATUS_VARIANTS.get(declaration["status"], "")]
    if small:
        classes.append("fr-badge--sm")
    attributes = {"className": " ".join(c for c in classes if c)}
    if id:
        attributes["id"] = id
    return html.p(attributes, declaration["statusLabel"])


def title(declaration: Mapping[str, Any]):
    """« Déclaration DP-2026-000001 » (the reference never broken across lines), or « Brouillon de déclaration »
    before it is submitted."""
    if declaration.get("reference"):
        return ["Déclaration ", html.span({"className": "portal-nowrap"}, declaration["reference"])]
    return "Brouillon de déclaration"


def link_text(declaration: Mapping[str, Any]) -> str:
    return declaration.get("reference") or f"Brouillon du {formatting.date(declaration['createdAt'])}"


def country(code: str | None, countries: Mapping[str, str]) -> str:
    if not code:
        return ""
    name = countries.get(code)
    return f"{name} ({code})" if name else code


def _yes_no(value: bool) -> str:
    return "Oui" if value else "Non"


def facts_entries(declaration: Mapping[str, Any], countries: Mapping[str, str]) -> list[tuple[str, str]]:
    """The facts as (label, value) pairs, those the person has given (a draft may have none yet)."""
    facts = declaration["facts"]
    if declaration["kind"] == "TRIP":
        entries = [
            ("Date d'arrivée en France", formatting.date(facts.get("arrivalDate"))),
            ("Moyen de transport", TRANSPORTS.get(facts.get("transport") or "", "")),
            ("Pays de provenance", country(facts.get("originCountry"), countries)),
            ("Voyageur de moins de 15 ans", _yes_no(facts.get("under15"))),
            (
                "Argent liquide transporté",
                money(facts["cashAmount"]) if facts.get("cashAmount") is not None else "Non indiqué",
            ),
        ]
    else:
        currency = facts.get("currency") or "EUR"
        entries = [
            ("Date de la commande", formatting.date(facts.get("orderDate"))),
            ("Vendeur ou site", facts.get("seller") or ""),
            ("Pays d'expédition", country(facts.get("shippingCountry"), countries)),
            ("Devise de la commande", currency),
            ("Frais de port", money(facts.get("shippingCost") or "0", currency)),
            ("TVA payée à la commande", _yes_no(facts.get("vatPaidAtCheckout"))),
            ("Numéro IOSS du vendeur", facts.get("iossNumber") or "Non indiqué"),
        ]
    return entries


def facts_view(declaration: Mapping[str, Any], countries: Mapping[str, str], *, id: str = "declaration-faits"):
    entries = facts_entries(declaration, countries)
    return html.dl(
        {"className": "portal-facts fr-mb-3w", "id": id},
        [
            html.div({"key": label, "className": "portal-facts__item"}, html.dt(label), html.dd(value or "—"))
            for label, value in entries
        ],
    )


def item_quantity(item: Mapping[str, Any], quantity_labels: Mapping[str, str]) -> str:
    if item.get("exciseQuantity") is None:
        return ""
    unit = quantity_labels.get(item["category"])  # « litres », « nombre de cigarettes »…
    return f"{unit} : {plain(item['exciseQuantity'])}" if unit else plain(item["exciseQuantity"])


def items_table(
    declaration: Mapping[str, Any],
    quantity_labels: Mapping[str, str],
    *,
    id: str = "declaration-articles",
    caption: str = "Articles déclarés",
    actions: Any = None,  # item → cell (the declarant's « Modifier » / « Retirer »)
    empty: str = "Aucun article pour l'instant.",
):
    headers = ["Article", "Catégorie", "Nombre", "Valeur", "Quantité (tabac, alcool)"]
    if actions is not None:
        headers.append("Actions")
    rows = []
    for item in declaration["items"]:
        cells = [
            item["description"],
            item["categoryLabel"],
            str(item["quantity"]),
            money(item["value"], item["currency"]),
            item_quantity(item, quantity_labels) or "—",
        ]
        if actions is not None:
            cells.append(actions(item))
        rows.append((item["key"], cells))
    return data_table(id, caption, headers, rows, empty=empty, stacked=True)


def _who(entry: Mapping[str, Any], officer: bool) -> str:
    if officer:
        return entry["actorName"] if entry["fromCustoms"] else f"{entry['actorName']} (déclarant)"
    return "La douane" if entry["fromCustoms"] else "Vous"


def history_view(declaration: Mapping[str, Any], *, officer: bool, level: int = 2):
    """Every step and message in order; customs' in blue, the declarant's in green."""
    heading = getattr(html, f"h{level}")

    def entry_view(entry: Mapping[str, Any]):
        side = "douane" if entry["fromCustoms"] else "demandeur"
        return html.li(
            {
                "key": entry["id"],
                "className": f"portal-timeline__item portal-timeline__item--{side}",
                "data-event-id": entry["id"],
            },
            html.p(
                {"className": "fr-text--sm fr-mb-0 portal-timeline__meta"},
                html.time({"dateTime": entry["at"]}, formatting.date_time(entry["at"])),
                " — ",
                _who(entry, officer),
            ),
            html.p({"className": "fr-mb-1w portal-timeline__label"}, html.strong(entry["label"])),
            html.p({"className": "fr-mb-1w portal-timeline__message"}, entry["message"])
            if entry["message"]
            else "",
            html.p({"className": "fr-mb-0"}, f"Montant dû : {money(entry['amount'])}")
            if entry.get("amount") is not None
            else "",
        )

    return html.section(
        {"id": "historique", "className": "fr-mb-4w", "aria-labelledby": "historique-titre"},
        heading({"className": "fr-h4", "id": "historique-titre"}, "Échanges avec la douane" if not officer else "Historique"),
        html.ol({"className": "portal-timeline", "id": "historique-liste"}, [entry_view(e) for e in declaration["history"]]),
    )  # fmt: skip


def problems_list(problems: Sequence[Mapping[str, Any]]):
    return html.ul([html.li({"key": str(index)}, p["message"]) for index, p in enumerate(problems)])


def input_number(value: Any) -> str:
    """A saved amount or quantity as a person types it (decimal comma, no grouping): '1500.50' → '1500,5'."""
    number = _decimal(value)
    if number is None:
        return ""
    return format(number.normalize(), "f").replace(".", ",")


def slot(key: str, *children: Any):
    """A container that is always rendered, around content that comes and goes (an alert, an optional field).

    The browser's side of the UI drops empty children, then matches the others by position: content appearing
    before a field would otherwise shift the fields, and one input's DOM element be reused for another (its
    attributes then leak: a `maxLength` removed becomes 0 and the field takes no keystroke)."""
    return html.div({"key": key}, *children)
