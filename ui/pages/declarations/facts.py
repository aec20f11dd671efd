"""Step 1 of a declaration: the facts of the trip (arrival date, transport, country of origin, under 15 or not, cash
carried) or of the online purchase (order date, seller, shipping country and cost, currency, VAT paid at checkout
with the seller's IOSS number). Every problem the API finds is shown next to its field, and all of them above the
form, at once. What is typed stays the person's until saved: the page asks before it is left meanwhile."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from reactpy import component, event, html, use_effect, use_ref, use_state

from ui.client import GraphQLClientError, use_client
from ui.components.focus import focus_script
from ui.components.forms import (
    NO_ERRORS,
    Choice,
    FormErrors,
    form_error_alert,
    radio_group,
    select_input,
    submit_button,
    text_input,
    use_form_values,
)
from ui.pages.declarations.live import LoadedDeclaration, rule
from ui.pages.declarations.presentation import amount_input, money, slot

# The API's field (DeclarationFactsInput) → the element that shows it; radio groups are fieldsets (their first radio
# takes the focus).
TRIP_FIELDS = {
    "arrivalDate": "voyage-date",
    "transport": "voyage-transport",
    "originCountry": "voyage-pays",
    "under15": "voyage-moins-15",
    "cashAmount": "voyage-especes",
}
PURCHASE_FIELDS = {
    "orderDate": "achat-date",
    "seller": "achat-vendeur",
    "shippingCountry": "achat-pays",
    "currency": "achat-devise",
    "shippingCost": "achat-port",
    "vatPaidAtCheckout": "achat-tva",
    "iossNumber": "achat-ioss",
}
GROUPS = {"voyage-transport", "voyage-moins-15", "achat-tva"}
YES_NO = [Choice("non", "Non"), Choice("oui", "Oui")]
COUNTRY_HINT = "Son code en deux lettres : US (États-Unis), CH (Suisse), GB (Royaume-Uni), MA (Maroc), CN (Chine)…"


def fields_of(kind: str) -> dict[str, str]:
    return TRIP_FIELDS if kind == "TRIP" else PURCHASE_FIELDS


def form_of(kind: str, facts: Mapping[str, Any]) -> dict[str, str]:
    """The form's values (text, as typed) for the saved facts."""
    if kind == "TRIP":
        return {
            "arrivalDate": facts.get("arrivalDate") or "",
            "transport": facts.get("transport") or "",
            "originCountry": facts.get("originCountry") or "",
            "under15": "oui" if facts.get("under15") else "non",
            "cashAmount": amount_input(facts.get("cashAmount")),
        }
    return {
        "orderDate": facts.get("orderDate") or "",
        "seller": facts.get("seller") or "",
        "shippingCountry": facts.get("shippingCountry") or "",
        "currency": facts.get("currency") or "EUR",
        "shippingCost": amount_input(facts.get("shippingCost")),
        "vatPaidAtCheckout": "oui" if facts.get("vatPaidAtCheckout") else "non",
        "iossNumber": facts.get("iossNumber") or "",
    }


def facts_input(kind: str, values: Mapping[str, str]) -> dict[str, Any]:
    """DeclarationFactsInput from the form: empty texts are « not given » (the API says which are needed)."""

    def text(name: str) -> str | None:
        return (values.get(name) or "").strip() or None

    if kind == "TRIP":
        return {
            "arrivalDate": text("arrivalDate"),
            "transport": text("transport"),
            "originCountry": (text("originCountry") or "").upper() or None,
            "under15": values.get("under15") == "oui",
            "cashAmount": text("cashAmount"),
        }
    return {
        "orderDate": text("orderDate"),
        "seller": text("seller"),
        "shippingCountry": (text("shippingCountry") or "").upper() or None,
        "currency": text("currency"),
        "shippingCost": text("shippingCost"),
        "vatPaidAtCheckout": values.get("vatPaidAtCheckout") == "oui",
        "iossNumber": text("iossNumber"),
    }


def _allowance_hint(guide: Mapping[str, Any] | None, key: str, words: str) -> str | None:
    found = rule(guide, key)
    return f"{words} {money(found['value'])} aujourd'hui." if found else None


@component
def facts_step(
    declaration: Mapping[str, Any],
    guide: Mapping[str, Any] | None,
    loaded: LoadedDeclaration,
    on_saved: Callable[[], None],
    on_unsaved: Callable[[bool], None],
):
    client = use_client()
    kind = declaration["kind"]
    fields = fields_of(kind)
    saved = form_of(kind, declaration["facts"])
    form = use_form_values(**saved)
    baseline = use_ref(None)  # the values that match what the API holds (what « unsaved » compares with)
    synced = use_ref(None)  # the API's facts the form was last filled from
    if baseline.current is None:
        baseline.current = dict(saved)
    errors, set_errors = use_state(NO_ERRORS)
    busy, set_busy = use_state(False)
    focus, set_focus = use_state((None, 0))
    facts_key = json.dumps(declaration["facts"], sort_keys=True)
    unsaved = form.latest() != baseline.current

    @use_effect(dependencies=[facts_key])
    def follow_saved():
        # Saved here or elsewhere (another tab): the form shows it, unless the person has typed something since.
        if synced.current is not None and synced.current != facts_key and form.latest() == baseline.current:
            baseline.current = dict(saved)
            form.update(**saved)
        synced.current = facts_key

    @use_effect(dependencies=[unsaved])
    def tell_page():
        on_unsaved(unsaved)

    @event(prevent_default=True)
    async def save(event):
        values = form.latest()
        set_busy(True)
        try:
            answer = await client.execute(
                "SaveDeclarationFacts",
                {"id": declaration["id"], "version": loaded.version(), "facts": facts_input(kind, values)},
            )
        except GraphQLClientError as error:
            found = FormErrors.from_error(error)
            shown = {element: found.get(name) for name, element in fields.items() if found.get(name)}
            set_errors(FormErrors(found.messages, shown))
            first = next((e for e in fields.values() if e in shown), "faits-erreurs")
            set_focus(lambda current: (f"{first}-0" if first in GROUPS else first, current[1] + 1))
            set_busy(False)
            return
        set_busy(False)
        set_errors(NO_ERRORS)
        baseline.current = dict(values)
        on_unsaved(False)
        loaded.changed(answer["saveDeclarationFacts"])
        on_saved()

    def error(name: str) -> str | None:
        return errors.get(fields[name])

    if kind == "TRIP":
        inputs = [
            html.p(
                {"className": "fr-text--sm", "key": "aide"},
                "Ces informations fixent ce que vous pouvez rapporter sans payer (la franchise) et les règles qui "
                "s'appliquent : celles en vigueur le jour de votre arrivée.",
            ),
            text_input("voyage-date", "Date d'arrivée en France", form["arrivalDate"], form.setter("arrivalDate"),
                       type="date", required=True, error=error("arrivalDate"),
                       hint="Le jour où vous êtes arrivé (ou arriverez) en France."),
            html.div({"key": "transport"}, radio_group(
                "voyage-transport", "Comment êtes-vous arrivé en France ? (obligatoire)",
                [Choice("AIR_SEA", "En avion ou en bateau",
                        _allowance_hint(guide, "TRAVELLER_ALLOWANCE_AIR_SEA", "Franchise par voyageur de 15 ans ou plus :")),
                 Choice("OTHER", "Par un autre moyen (voiture, train, à pied…)",
                        _allowance_hint(guide, "TRAVELLER_ALLOWANCE_OTHER", "Franchise par voyageur de 15 ans ou plus :"))],
                form["transport"], form.setter("transport"), error=error("transport"),
            )),
            text_input("voyage-pays", "Pays d'où vous arrivez", form["originCountry"], form.setter("originCountry"),
                       required=True, error=error("originCountry"), hint=COUNTRY_HINT, maxLength=2,
                       autoComplete="off"),
            html.div({"key": "moins-15"}, radio_group(
                "voyage-moins-15", "Le voyageur a-t-il moins de 15 ans ?",
                YES_NO, form["under15"], form.setter("under15"), error=error("under15"), inline=True,
                hint=_allowance_hint(guide, "TRAVELLER_ALLOWANCE_UNDER_15", "Pour un enfant de moins de 15 ans, la franchise est de"),
            )),
            text_input("voyage-especes", "Argent liquide que vous transportez, en euros (facultatif)",
                       form["cashAmount"], form.setter("cashAmount"), error=error("cashAmount"), inputMode="decimal",
                       hint="Par exemple 1500. L'estimation vous dira si cet argent doit être déclaré à part."),
        ]  # fmt: skip
    else:
        currencies = [(c, c) for c in (guide or {}).get("declarationCurrencies") or ["EUR"]]
        inputs = [
            html.p(
                {"className": "fr-text--sm", "key": "aide"},
                "Ces informations viennent de votre confirmation de commande ou de votre facture. Les règles "
                "appliquées sont celles en vigueur le jour de la commande.",
            ),
            text_input("achat-date", "Date de la commande", form["orderDate"], form.setter("orderDate"), type="date",
                       required=True, error=error("orderDate")),
            text_input("achat-vendeur", "Vendeur ou site de la commande", form["seller"], form.setter("seller"),
                       required=True, error=error("seller"), hint="Par exemple le nom du site où vous avez commandé."),
            text_input("achat-pays", "Pays d'où le colis est expédié", form["shippingCountry"],
                       form.setter("shippingCountry"), required=True, error=error("shippingCountry"),
                       hint=COUNTRY_HINT, maxLength=2),
            html.div({"key": "devise"}, select_input(
                "achat-devise", "Devise de la commande", form["currency"], currencies, form.setter("currency"),
                error=error("currency"), placeholder=None, hint="La monnaie dans laquelle vous avez payé.",
            )),
            text_input("achat-port", "Frais de port payés (facultatif)", form["shippingCost"],
                       form.setter("shippingCost"), error=error("shippingCost"), inputMode="decimal",
                       hint="Dans la devise de la commande, par exemple 12,50."),
            html.div({"key": "tva"}, radio_group(
                "achat-tva", "Avez-vous payé la TVA au moment de la commande ?", YES_NO,
                form["vatPaidAtCheckout"], form.setter("vatPaidAtCheckout"), error=error("vatPaidAtCheckout"),
                inline=True, hint="Certains vendeurs la font payer avec la commande : c'est alors écrit sur la facture.",
            )),
            text_input("achat-ioss", "Numéro IOSS du vendeur", form["iossNumber"], form.setter("iossNumber"),
                       error=error("iossNumber"), required=form["vatPaidAtCheckout"] == "oui",
                       hint="IM suivi de 10 chiffres, sur la facture. À indiquer si vous avez payé la TVA à la commande."),
        ]  # fmt: skip
    return html.form(
        {"onSubmit": save, "noValidate": True, "id": "formulaire-faits", "aria-labelledby": "etape-titre",
         "className": "portal-fields"},
        slot("erreurs", form_error_alert(errors, "faits-erreurs")),
        *inputs,
        html.p({"className": "fr-text--sm fr-mb-1w", "role": "status", "id": "faits-etat"},
               "Modifications non enregistrées." if unsaved else ""),
        html.ul(
            {"className": "fr-btns-group fr-btns-group--inline-sm"},
            html.li(submit_button("Enregistrer et continuer", busy)),
        ),
        focus_script(focus[0], focus[1]),
    )  # fmt: skip
