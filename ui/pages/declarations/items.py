"""Step 2 of a declaration: the items, added one by one — what it is, its category, how many, the price paid and its
currency, and for tobacco and alcohol the quantity the category is counted in (its `quantityLabel`: litres,
cigarettes, grams). Each item can be changed or removed; every problem the API finds shows next to its field."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from reactpy import component, event, html, use_effect, use_ref, use_state

from ui.client import GraphQLClientError, use_client
from ui.components.feedback import error_alert
from ui.components.focus import focus_script
from ui.components.forms import (
    NO_ERRORS,
    FormErrors,
    confirm_action,
    form_error_alert,
    select_input,
    submit_button,
    text_input,
    use_form_values,
)
from ui.components.screen_reader import sr_only
from ui.pages.declarations.live import LoadedDeclaration, quantity_labels
from ui.pages.declarations.presentation import amount_input, input_number, items_table, slot

# The API's field (DeclarationItemInput) → the element that shows it.
FIELDS = {
    "description": "article-description",
    "category": "article-categorie",
    "quantity": "article-nombre",
    "value": "article-valeur",
    "currency": "article-devise",
    "exciseQuantity": "article-quantite",
}
QUANTITY_HINTS = {
    "litres": "Le total, en litres : par exemple 0,7 pour une bouteille de 70 cl, 1,5 pour deux bouteilles de 75 cl.",
    "nombre de cigarettes": "Le total : par exemple 200 pour une cartouche de 10 paquets.",
    "grammes": "Le total, en grammes : par exemple 250.",
}
MAX_INT = 2**31 - 1


def whole_number(text: str) -> int:
    """The number of articles typed; 0 when it is none (the API then says what it expects, with the other
    problems of the item)."""
    text = (text or "").strip()
    if text.isascii() and text.isdigit() and int(text) <= MAX_INT:
        return int(text)
    return 0


def empty_item(currency: str) -> dict[str, str]:
    return {"description": "", "category": "", "quantity": "1", "value": "", "currency": currency, "excise": ""}


def item_values(item: Mapping[str, Any]) -> dict[str, str]:
    return {
        "description": item["description"],
        "category": item["category"],
        "quantity": str(item["quantity"]),
        "value": amount_input(item["value"]),
        "currency": item["currency"],
        "excise": input_number(item.get("exciseQuantity")),
    }


@component
def items_step(
    declaration: Mapping[str, Any],
    guide: Mapping[str, Any] | None,
    loaded: LoadedDeclaration,
    on_continue: Callable[[], None],
    on_back: Callable[[], None],
):
    client = use_client()
    # A purchase's items are priced in the order's currency; a trip's in euros unless the person says otherwise.
    default_currency = (
        declaration["facts"].get("currency") if declaration["kind"] == "PURCHASE" else None
    ) or "EUR"
    form = use_form_values(**empty_item(default_currency))
    editing, set_editing = use_state(None)  # the key of the item being changed
    errors, set_errors = use_state(NO_ERRORS)
    busy, set_busy = use_state(False)
    said, set_said = use_state("")
    row_error, set_row_error = use_state(None)
    focus, set_focus = use_state((None, 0))
    categories = (guide or {}).get("declarationCategories") or []
    labels = quantity_labels(guide)
    currencies = [(c, c) for c in (guide or {}).get("declarationCurrencies") or ["EUR"]]
    quantity_label = labels.get(form["category"])
    offered = use_ref(default_currency)  # the currency the empty form was given

    @use_effect(dependencies=[default_currency])
    def follow_order_currency():
        # The step is mounted before the order's currency is saved: an untouched form takes it once it is.
        if offered.current != default_currency and form.latest() == empty_item(offered.current) and not editing:
            form.update(currency=default_currency)
        offered.current = default_currency

    def reset(message: str) -> None:
        form.update(**empty_item(default_currency))
        set_editing(None)
        set_errors(NO_ERRORS)
        set_said(message)

    @event(prevent_default=True)
    async def submit(event):
        values = form.latest()
        excise_shown = bool(labels.get(values["category"]))
        item = {
            "description": values["description"],
            "category": values["category"] or None,
            "quantity": whole_number(values["quantity"]),
            "value": values["value"].strip() or None,
            "currency": values["currency"] or "EUR",
            "exciseQuantity": (values["excise"].strip() or None) if excise_shown else None,
        }
        variables: dict[str, Any] = {"id": declaration["id"], "version": loaded.version(), "item": item}
        operation = "AddDeclarationItem"
        if editing:
            variables["key"] = editing
            operation = "UpdateDeclarationItem"
        set_busy(True)
        set_said("")
        try:
            answer = await client.execute(operation, variables)
        except GraphQLClientError as error:
            found = FormErrors.from_error(error)
            shown = {element: found.get(name) for name, element in FIELDS.items() if found.get(name)}
            set_errors(FormErrors(found.messages, shown))
            first = next((e for e in FIELDS.values() if e in shown), "article-erreurs")
            set_focus(lambda current: (first, current[1] + 1))
            set_busy(False)
            return
        set_busy(False)
        name = values["description"].strip()
        reset(
            f"Article modifié : {name}."
            if editing
            else f"Article ajouté : {name}. Ajoutez le suivant, ou continuez."
        )
        set_focus(lambda current: ("article-description", current[1] + 1))
        loaded.changed(answer["updateDeclarationItem" if editing else "addDeclarationItem"])

    def edit(item: Mapping[str, Any]):
        def start(event) -> None:
            form.update(**item_values(item))
            set_editing(item["key"])
            set_errors(NO_ERRORS)
            set_said("")
            set_focus(lambda current: ("article-description", current[1] + 1))

        return start

    def remove(item: Mapping[str, Any]):
        async def confirmed() -> None:
            try:
                answer = await client.execute(
                    "RemoveDeclarationItem",
                    {"id": declaration["id"], "version": loaded.version(), "key": item["key"]},
                )
            except GraphQLClientError as error:
                set_row_error(" ".join(error.messages))
                return
            set_row_error(None)
            if editing == item["key"]:
                reset("")
            set_said(f"Article retiré : {item['description']}.")
            loaded.changed(answer["removeDeclarationItem"])

        return confirmed

    def actions(item: Mapping[str, Any]):
        return html.ul(
            {"className": "fr-btns-group fr-btns-group--inline fr-btns-group--sm"},
            html.li(
                html.button(
                    {"type": "button", "className": "fr-btn fr-btn--sm fr-btn--tertiary", "onClick": edit(item)},
                    "Modifier",
                    sr_only(f" « {item['description']} »"),
                )
            ),
            html.li(
                confirm_action(
                    ["Retirer", sr_only(f" « {item['description']} »")],
                    f"Retirer « {item['description']} » de la déclaration ?",
                    remove(item),
                    confirm_label="Retirer",
                    key=f"retirer-{item['key']}",
                )
            ),
        )

    being_edited = next((i for i in declaration["items"] if i["key"] == editing), None)
    count = len(declaration["items"])
    return html.div(
        {"id": "etape-articles"},
        html.p(
            {"className": "fr-text--sm"},
            "Ajoutez chaque article, un par un, avec le prix que vous l'avez payé. Pour l'alcool et le tabac, "
            "indiquez aussi la quantité : ils ont leurs propres limites.",
        ),
        slot("erreur-ligne", error_alert(row_error, id="articles-erreur") if row_error else ""),
        html.p({"className": "fr-text--bold fr-mb-1w", "id": "articles-compte"},
               f"{count} article{'s' if count > 1 else ''} dans la déclaration"),
        items_table(declaration, labels, caption="Vos articles", actions=actions,
                    empty="Aucun article pour l'instant : ajoutez le premier ci-dessous."),
        html.p({"className": "fr-text--sm", "role": "status", "id": "articles-message"}, said),
        html.form(
            {"onSubmit": submit, "noValidate": True, "id": "formulaire-article", "aria-labelledby": "article-titre",
             "className": "portal-action-form fr-mb-3w"},
            html.h3({"className": "fr-h6", "id": "article-titre"},
                    f"Modifier l'article « {being_edited['description']} »" if being_edited else "Ajouter un article"),
            slot("erreurs", form_error_alert(errors, "article-erreurs", level=4)),
            text_input("article-description", "Description de l'article", form["description"],
                       form.setter("description"), required=True, error=errors.get("article-description"),
                       hint="En quelques mots : par exemple « veste en cuir », « téléphone », « bouteille de whisky »."),
            select_input("article-categorie", "Catégorie", form["category"],
                         [(c["category"], c["label"]) for c in categories], form.setter("category"), required=True,
                         error=errors.get("article-categorie"), placeholder="Choisissez une catégorie",
                         hint="Elle fixe le taux de TVA, et pour l'alcool et le tabac leurs limites."),
            text_input("article-nombre", "Nombre d'articles", form["quantity"], form.setter("quantity"),
                       required=True, error=errors.get("article-nombre"), inputMode="numeric",
                       hint="Par exemple 2 pour deux chemises identiques."),
            html.div(
                {"className": "fr-grid-row fr-grid-row--gutters"},
                html.div({"className": "fr-col-12 fr-col-sm-7"},
                         text_input("article-valeur", "Prix payé", form["value"], form.setter("value"), required=True,
                                    error=errors.get("article-valeur"), inputMode="decimal",
                                    hint="Pour l'ensemble de ces articles, par exemple 129,90.")),
                html.div({"className": "fr-col-12 fr-col-sm-5"},
                         select_input("article-devise", "Devise", form["currency"], currencies,
                                      form.setter("currency"), error=errors.get("article-devise"), placeholder=None,
                                      hint="La monnaie du prix.")),
            ),
            slot("quantite", text_input("article-quantite", f"Quantité ({quantity_label})", form["excise"], form.setter("excise"),
                       required=True, error=errors.get("article-quantite"), inputMode="decimal",
                       hint=QUANTITY_HINTS.get(quantity_label, "La quantité totale."))
            if quantity_label
            else ""),
            html.ul(
                {"className": "fr-btns-group fr-btns-group--inline-sm fr-mt-2w"},
                html.li(submit_button("Enregistrer l'article" if editing else "Ajouter l'article", busy,
                                      secondary=count > 0 and not editing)),
                html.li(html.button({"type": "button", "className": "fr-btn fr-btn--tertiary",
                                     "onClick": lambda event: reset("")}, "Annuler la modification"))
                if editing else "",
            ),
        ),
        html.ul(
            {"className": "fr-btns-group fr-btns-group--inline-sm fr-mt-3w"},
            html.li(html.button({"type": "button", "className": "fr-btn", "onClick": lambda event: on_continue(),
                                 "id": "articles-continuer"}, "Continuer : vérifier et déposer")),
            html.li(html.button({"type": "button", "className": "fr-btn fr-btn--tertiary",
                                 "onClick": lambda event: on_back()}, "Revenir à l'étape 1")),
        ),
        focus_script(focus[0], focus[1]),
    )  # fmt: skip
