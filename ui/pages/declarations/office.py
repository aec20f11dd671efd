"""The examining office's side of private declarations, in the customs workspace: /douane/declarations the queue
(« À traiter », « En attente », « Terminées »), /douane/declarations/<id> one declaration — the declarant and the
facts, the items, the estimate, the history — and, while the API says it may be examined (`mayExamine`), « Prendre en
charge », « Demander un complément » (a message), « Accepter » with the amount due (the estimate's total proposed),
« Refuser » (a reason); every problem next to its field. Live on both pages."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from reactpy import component, event, html, use_async_effect, use_state

from ui import formatting
from ui.client import GraphQLClientError, use_client
from ui.components.feedback import alert, error_alert, loading
from ui.components.focus import focus_script
from ui.components.forms import (
    NO_ERRORS,
    FormErrors,
    form_error_alert,
    submit_button,
    text_input,
    textarea_input,
    use_form_values,
)
from ui.pages.declarations.estimate import estimate_panel
from ui.pages.declarations.gates import office_gate
from ui.pages.declarations.listing import counts_sentence, declaration_list
from ui.pages.declarations.live import (
    LOADING,
    LoadedDeclaration,
    countries_of,
    quantity_labels,
    use_declaration,
    use_guide,
)
from ui.pages.declarations.presentation import (
    amount_input,
    facts_view,
    history_view,
    items_table,
    money,
    slot,
    status_badge,
    title,
)
from ui.pages.declarations.thread import message_box
from ui.routes import OFFICE_DECLARATIONS_PATH

TITLE = "Déclarations des particuliers"


def _workspace_link():
    return html.p(
        {"className": "fr-text--sm fr-mb-1w"},
        html.a({"className": "fr-link", "href": "/douane"}, "Espace agent des douanes"),
    )


@component
def office_declarations_page(me: dict[str, Any] | None):
    def render():
        office = me.get("customsOffice")
        return html.div(
            _workspace_link(),
            html.h1({"id": "declarations-titre"}, TITLE),
            html.p(
                {"className": "fr-text--lead"},
                f"Bureau {office} : les déclarations d'effets personnels rapportés de voyage et d'achats en ligne que "
                "des particuliers ont déposées auprès de votre bureau."
                if office
                else "Aucun bureau de douane n'est associé à votre compte : aucune déclaration ne vous est adressée.",
            ),
            declaration_list(me, True, key=me["id"]),
        )

    return office_gate(me, TITLE, render)


@component
def office_declarations_link():
    """The customs workspace's way to the queue, with how many wait (nothing said while unknown)."""
    client = use_client()
    counts, set_counts = use_state(None)

    @use_async_effect(dependencies=[])
    async def load():
        try:
            data = await client.execute("DeclarationCounts")
        except GraphQLClientError:
            return
        set_counts(data["privateDeclarationCounts"])

    said = counts_sentence(counts, True)
    return html.div(
        {"id": "declarations-particuliers"},
        html.p(
            {"className": "fr-text--sm"},
            "Les déclarations d'effets personnels et d'achats en ligne des particuliers adressées à votre bureau"
            + (f" : {', '.join(said)}." if said else "."),
        ),
        html.p(
            html.a(
                {"className": "fr-link fr-icon-arrow-right-line fr-link--icon-right", "href": OFFICE_DECLARATIONS_PATH,
                 "id": "lien-declarations"},
                TITLE,
            ),
        ),
    )  # fmt: skip


# --- one declaration --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    code: str
    label: str  # its button
    operation: str
    fields: dict[str, str]  # the API's argument → the element that shows it
    done: str  # said once the API accepted


ACTIONS = (
    Action("complement", "Demander un complément", "RequestDeclarationInformation",
           {"message": "complement-message"}, "Complément demandé : le déclarant est prévenu."),
    Action("accepter", "Accepter", "AcceptPrivateDeclaration",
           {"amountDue": "acceptation-montant", "message": "acceptation-message"},
           "Déclaration acceptée : le déclarant voit le montant dû."),
    Action("refuser", "Refuser", "RefusePrivateDeclaration", {"reason": "refus-motif"},
           "Déclaration refusée : le déclarant voit le motif."),
)  # fmt: skip


def decimal_text(text: str) -> str | None:
    """An amount as typed (« 33,50 », « 1 200 ») as the Decimal the API takes; None when it is not a number."""
    cleaned = (text or "").strip().replace("\u202f", "").replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        return None
    return str(number) if number.is_finite() else None


@component
def action_form(declaration: Mapping[str, Any], action: Action, loaded: LoadedDeclaration, on_done, on_cancel):
    client = use_client()
    estimate = declaration.get("estimate")
    form = use_form_values(text="", amount=amount_input(estimate["total"]) if estimate else "")
    errors, set_errors = use_state(NO_ERRORS)
    busy, set_busy = use_state(False)
    focus, set_focus = use_state((None, 0))

    def refused(found: FormErrors) -> None:
        shown = {element: found.get(name) for name, element in action.fields.items() if found.get(name)}
        set_errors(FormErrors(found.messages, shown))
        first = next((e for e in action.fields.values() if e in shown), f"{action.code}-erreurs")
        set_focus(lambda current: (first, current[1] + 1))

    @event(prevent_default=True)
    async def submit(event):
        values = form.latest()
        variables: dict[str, Any] = {"id": declaration["id"]}
        if action.code == "complement":
            variables["message"] = values["text"]
        elif action.code == "refuser":
            variables["reason"] = values["text"]
        else:
            amount = decimal_text(values["amount"])
            if amount is None:  # no request can carry it (the API takes a Decimal)
                message = (
                    "Indiquez le montant dû."
                    if not values["amount"].strip()
                    else "Le montant dû doit être un nombre (par exemple 33,50)."
                )
                refused(FormErrors.of(message, "amountDue"))
                return
            variables["amountDue"] = amount
            variables["message"] = values["text"] or None
        set_busy(True)
        try:
            answer = await client.execute(action.operation, variables)
        except GraphQLClientError as error:
            refused(FormErrors.from_error(error))
            set_busy(False)
            return
        set_busy(False)
        on_done(action.done, next(iter(answer.values())))

    if action.code == "complement":
        inputs = [
            textarea_input(
                "complement-message",
                "Ce que le déclarant doit préciser ou fournir",
                form["text"],
                form.setter("text"),
                error=errors.get("complement-message"),
                required=True,
                max_length=4000,
                hint="Il le lira sur sa déclaration et pourra la corriger avant de répondre.",
            )
        ]
    elif action.code == "refuser":
        inputs = [
            textarea_input(
                "refus-motif",
                "Motif du refus",
                form["text"],
                form.setter("text"),
                error=errors.get("refus-motif"),
                required=True,
                max_length=4000,
                hint="Le déclarant le lira sur sa déclaration.",
            )
        ]
    else:
        total = money(estimate["total"]) if estimate else None
        inputs = [
            text_input("acceptation-montant", "Montant dû, en euros", form["amount"], form.setter("amount"),
                       required=True, error=errors.get("acceptation-montant"), inputMode="decimal",
                       hint=(f"Prérempli avec l'estimation ({total}" + (", incomplète" if not estimate["complete"] else "")
                             + ") ; 0 si rien n'est dû.") if estimate else "0 si rien n'est dû."),
            textarea_input("acceptation-message", "Message au déclarant (facultatif)", form["text"],
                           form.setter("text"), error=errors.get("acceptation-message"), max_length=4000,
                           hint="Par exemple comment payer."),
        ]  # fmt: skip
    return html.form(
        {"className": "portal-action-form fr-mt-2w fr-mb-3w", "onSubmit": submit, "noValidate": True,
         "aria-label": action.label, "id": f"formulaire-{action.code}"},
        slot("erreurs", form_error_alert(errors, f"{action.code}-erreurs", level=3)),
        *inputs,
        html.ul(
            {"className": "fr-btns-group fr-btns-group--inline-sm"},
            html.li(submit_button(f"Confirmer : {action.label.lower()}", busy)),
            html.li(html.button({"type": "button", "className": "fr-btn fr-btn--tertiary",
                                 "onClick": lambda event: on_cancel()}, "Annuler")),
        ),
        focus_script(focus[0], focus[1]),
    )  # fmt: skip


@component
def examination_panel(declaration: Mapping[str, Any], loaded: LoadedDeclaration):
    """What the office may do now (the API's `mayExamine`), and what was done last."""
    client = use_client()
    opened, set_opened = use_state(None)
    notice, set_notice = use_state(None)
    taking, set_taking = use_state(False)

    def done(said: str, answer: Mapping[str, Any] | None) -> None:
        set_opened(None)
        set_notice(("success", said))
        loaded.changed(answer)

    async def take(event):
        set_taking(True)
        try:
            answer = await client.execute("TakePrivateDeclaration", {"id": declaration["id"]})
        except GraphQLClientError as error:
            set_notice(("error", " ".join(error.messages)))
            set_taking(False)
            return
        set_taking(False)
        done("Vous avez pris en charge la déclaration.", answer["takePrivateDeclaration"])

    status_line = html.div(
        {"aria-live": "polite", "id": "examen-message"}, alert(notice[0], [notice[1]]) if notice else ""
    )
    if not declaration["mayExamine"]:
        return html.section(
            {"id": "examen", "className": "fr-mb-4w", "aria-labelledby": "examen-titre"},
            html.h2({"className": "fr-h4", "id": "examen-titre"}, "Examen"),
            status_line,
            html.p(
                {"className": "fr-text--sm"},
                "Le déclarant doit répondre à votre demande de complément : la déclaration reviendra dans « À "
                "traiter » avec sa réponse."
                if declaration["status"] == "INFO_REQUESTED"
                else "Cette déclaration n'attend plus de décision.",
            ),
        )
    chosen = next((a for a in ACTIONS if a.code == opened), None)

    def toggle(code: str):
        return lambda event: (set_notice(None), set_opened(None if opened == code else code))

    return html.section(
        {"id": "examen", "className": "fr-mb-4w portal-processing", "aria-labelledby": "examen-titre"},
        html.h2({"className": "fr-h4", "id": "examen-titre"}, "Examen"),
        status_line,
        html.p({"className": "fr-text--sm"},
               "La déclaration est en cours d'examen." if declaration["status"] == "UNDER_REVIEW"
               else "Prenez la déclaration en charge pour signaler que vous l'examinez, ou décidez directement."),
        html.ul(
            {"className": "fr-btns-group fr-btns-group--inline-md", "id": "examen-boutons"},
            html.li({"key": "prendre"}, html.button({"type": "button", "className": "fr-btn", "onClick": take, "disabled": taking,
                                 "id": "prendre-en-charge"},
                                "Prise en charge…" if taking else "Prendre en charge"))
            if declaration["status"] == "SUBMITTED" else "",
            [html.li({"key": a.code}, html.button(
                {"type": "button", "className": "fr-btn fr-btn--secondary", "id": f"bouton-{a.code}",
                 "aria-expanded": "true" if opened == a.code else "false", "onClick": toggle(a.code)},
                a.label)) for a in ACTIONS],
        ),
        action_form(declaration, chosen, loaded, done, lambda: set_opened(None), key=chosen.code) if chosen else "",
    )  # fmt: skip


def _summary(declaration: Mapping[str, Any]):
    entries = [
        ("Déclarant", declaration["declarantName"]),
        ("Type", declaration["kindLabel"]),
        ("Statut", status_badge(declaration, id="declaration-statut")),
        ("Déposée le", formatting.date_time(declaration.get("submittedAt"))),
        ("Bureau", declaration["customsOffice"]),
    ]
    if declaration.get("amountDue") is not None:
        entries.append(("Montant dû", money(declaration["amountDue"])))
    if declaration.get("decidedAt"):
        entries.append(("Décidée le", formatting.date_time(declaration["decidedAt"])))
    return html.dl(
        {"className": "portal-facts fr-mb-3w", "id": "declaration-entete"},
        [html.div({"key": label, "className": "portal-facts__item"}, html.dt(label), html.dd(value or "—"))
         for label, value in entries],
    )  # fmt: skip


@component
def office_declaration_view(declaration_id: str):
    loaded = use_declaration(declaration_id)
    guide = use_guide()
    found = loaded.found
    back = html.p(
        {"className": "fr-text--sm fr-mb-1w"},
        html.a({"className": "fr-link", "href": OFFICE_DECLARATIONS_PATH}, TITLE),
    )
    if loaded.error:
        return html.div(back, html.h1("Déclaration"), error_alert(loaded.error, id="declaration-erreur"))
    if found is LOADING:
        return html.div(back, loading("Chargement de la déclaration…"))
    if not found:
        return html.div(
            back,
            html.h1("Déclaration introuvable"),
            html.p(
                "Cette déclaration n'existe pas, n'est pas encore déposée, ou n'est pas adressée à votre bureau."
            ),
        )
    return html.div(
        back,
        html.h1({"id": "declaration-titre", "tabIndex": -1}, title(found)),
        html.p({"className": "fr-text--xs portal-live", "id": "declaration-annonce", "role": "status"},
               loaded.live_status or loaded.announcement),
        _summary(found),
        html.p(html.a(
            {"className": "fr-btn fr-btn--secondary fr-icon-download-line fr-btn--icon-left", "href": found["pdfUrl"],
             "download": "", "id": "telecharger-recapitulatif"},
            "Télécharger le récapitulatif (PDF)",
        )),
        examination_panel(found, loaded, key="examen"),
        html.div(
            {"className": "fr-grid-row fr-grid-row--gutters"},
            html.div(
                {"className": "fr-col-12 fr-col-lg-7"},
                html.section(
                    {"id": "declare", "className": "fr-mb-4w", "aria-labelledby": "declare-titre"},
                    html.h2({"className": "fr-h4", "id": "declare-titre"},
                            "Le voyage" if found["kind"] == "TRIP" else "L'achat"),
                    facts_view(found, countries_of(guide)),
                    html.h2({"className": "fr-h4"}, "Les articles"),
                    items_table(found, quantity_labels(guide)),
                ),
                history_view(found, officer=True),
                message_box(found, loaded, True, key="message"),
            ),
            html.div({"className": "fr-col-12 fr-col-lg-5"}, estimate_panel(found, officer=True)),
        ),
    )  # fmt: skip


@component
def office_declaration_page(me: dict[str, Any] | None, declaration_id: str):
    return office_gate(me, "Déclaration", lambda: office_declaration_view(declaration_id))
