"""/particulier/<id>: one declaration, the declarant's side.

While it may be edited (a draft, or customs asked for information): three steps — 1 the facts of the trip or the
purchase, 2 the items, 3 check and submit — with the « Estimation » beside them at every step; the step is kept in the
address (« ?etape=2 »). Once submitted: its status and reference, customs' answer (the amount due, or the reason of a
refusal), the summary PDF, the exchanges with customs and the box to write to them, and what was declared. Live: a
step of customs shows without a reload."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs

from reactpy import component, event, html, use_location, use_state

from ui.client import GraphQLClientError, use_client
from ui.components.feedback import alert, error_alert, loading
from ui.components.focus import focus_script, replace_url_script
from ui.components.forms import NO_ERRORS, FormErrors, form_error_alert, submit_button
from ui.components.leave_guard import leave_guard
from ui.pages.declarations.estimate import estimate_panel, estimate_summary
from ui.pages.declarations.facts import facts_step
from ui.pages.declarations.gates import declarant_gate
from ui.pages.declarations.items import items_step
from ui.pages.declarations.live import (
    LOADING,
    LoadedDeclaration,
    countries_of,
    quantity_labels,
    use_declaration,
    use_guide,
)
from ui.pages.declarations.presentation import (
    facts_view,
    history_view,
    items_table,
    money,
    problems_list,
    slot,
    status_badge,
    title,
)
from ui.pages.declarations.thread import information_request, message_box
from ui.routes import DECLARANT_PATH

STEPS = (1, 2, 3)


def step_titles(declaration: Mapping[str, Any]) -> dict[int, str]:
    answering = declaration["status"] == "INFO_REQUESTED"
    return {
        1: "Votre voyage" if declaration["kind"] == "TRIP" else "Votre achat",
        2: "Vos articles",
        3: "Vérifier et répondre" if answering else "Vérifier et déposer",
    }


def first_step(declaration: Mapping[str, Any]) -> int:
    """Where a declaration opens without « ?etape »: the first step not done yet, or the check before submitting."""
    facts = declaration["facts"]
    if not (facts.get("arrivalDate") or facts.get("orderDate")):
        return 1
    if not declaration["items"]:
        return 2
    return 3


def step_from(query_string: str) -> int | None:
    asked = (parse_qs((query_string or "").lstrip("?")).get("etape") or [""])[0]
    return int(asked) if asked in ("1", "2", "3") else None


def stepper(declaration: Mapping[str, Any], current: int, on_step):
    titles = step_titles(declaration)
    return html.div(
        html.div(
            {"className": "fr-stepper"},
            html.h2(
                {"className": "fr-stepper__title", "id": "etape-titre"},
                titles[current],
                html.span({"className": "fr-stepper__state"}, f"Étape {current} sur {len(STEPS)}"),
            ),
            html.div({"className": "fr-stepper__steps", "data-fr-current-step": str(current),
                      "data-fr-steps": str(len(STEPS))}),
            html.p({"className": "fr-stepper__details"}, html.span({"className": "fr-text--bold"}, "Étape suivante : "),
                   titles[current + 1]) if current < len(STEPS) else "",
        ),
        html.nav(
            {"aria-label": "Étapes de la déclaration", "className": "fr-mb-3w"},
            html.ul(
                {"className": "fr-btns-group fr-btns-group--inline fr-btns-group--sm"},
                [
                    html.li({"key": str(step)}, html.button(
                        {"type": "button", "id": f"aller-etape-{step}",
                         "className": "fr-btn fr-btn--sm " + ("fr-btn--secondary" if step == current else "fr-btn--tertiary"),
                         "onClick": (lambda chosen: lambda event: on_step(chosen))(step),
                         **({"aria-current": "step"} if step == current else {})},
                        f"{step}. {titles[step]}",
                    ))
                    for step in STEPS
                ],
            ),
        ),
    )  # fmt: skip


@component
def review_step(
    declaration: Mapping[str, Any],
    guide: Mapping[str, Any] | None,
    loaded: LoadedDeclaration,
    facts_unsaved: bool,
    on_step,
    on_submitted,
):
    """Step 3: what will be sent, what still keeps it from being submitted, and « Déposer »."""
    client = use_client()
    errors, set_errors = use_state(NO_ERRORS)
    busy, set_busy = use_state(False)
    focus, set_focus = use_state((None, 0))
    answering = declaration["status"] == "INFO_REQUESTED"
    problems = declaration["submissionProblems"]

    @event(prevent_default=True)
    async def submit(event):
        set_busy(True)
        try:
            answer = await client.execute(
                "SubmitPrivateDeclaration", {"id": declaration["id"], "version": loaded.version()}
            )
        except GraphQLClientError as error:
            set_errors(FormErrors.from_error(error))
            set_focus(lambda current: ("depot-erreurs", current[1] + 1))
            set_busy(False)
            return
        set_busy(False)
        set_errors(NO_ERRORS)
        on_submitted(answer["submitPrivateDeclaration"])

    def change(step: int, what: str):
        return html.button(
            {"type": "button", "className": "fr-btn fr-btn--sm fr-btn--tertiary fr-icon-edit-line fr-btn--icon-left",
             "onClick": lambda event: on_step(step)},
            f"Modifier {what}",
        )  # fmt: skip

    if answering:
        send = html.p(
            {"className": "fr-text--sm", "id": "depot-reponse"},
            "Quand vos corrections sont faites, répondez à la douane avec le formulaire « Répondre à la douane » en "
            "haut de la page : votre réponse lui renvoie la déclaration.",
        )
    else:
        send = html.form(
            {
                "onSubmit": submit,
                "noValidate": True,
                "id": "formulaire-depot",
                "aria-label": "Déposer la déclaration",
            },
            slot("erreurs", form_error_alert(errors, "depot-erreurs")),
            html.p(
                {"className": "fr-text--sm"},
                "En déposant, vous envoyez votre déclaration à la douane. Vous ne pourrez plus la modifier, sauf si "
                "la douane vous demande un complément. La réponse de la douane s'affichera sur cette page.",
            ),
            submit_button("Déposer la déclaration", busy),
        )
    return html.div(
        {"id": "etape-verification"},
        html.p({"className": "fr-text--sm"}, "Relisez ce que vous déclarez et l'estimation avant de déposer."),
        slot("non-enregistre", alert("warning", ["Vous avez modifié l'étape 1 sans enregistrer : ces modifications ne "
                                                 "seront pas envoyées. Revenez à l'étape 1 pour les enregistrer."],
                                     id="depot-non-enregistre") if facts_unsaved else ""),
        html.div({"className": "portal-heading-row fr-mb-1w"},
                 html.h3({"className": "fr-h6"}, step_titles(declaration)[1]), change(1, "les informations")),
        facts_view(declaration, countries_of(guide)),
        html.div({"className": "portal-heading-row fr-mb-1w"},
                 html.h3({"className": "fr-h6"}, "Vos articles"), change(2, "les articles")),
        items_table(declaration, quantity_labels(guide), id="verification-articles", caption="Articles déclarés"),
        html.div(
            {"className": "fr-alert fr-alert--warning fr-mb-3w", "id": "depot-manque"},
            html.h3({"className": "fr-alert__title"}, "Avant de déposer, il reste à faire :"),
            problems_list(problems),
        )
        if problems
        else html.p({"className": "fr-text--sm", "id": "depot-pret"}, "Votre déclaration est complète."),
        send,
        focus_script(focus[0], focus[1]),
    )  # fmt: skip


def decision(declaration: Mapping[str, Any]):
    """Where the declaration stands, in a sentence, and customs' answer once given."""
    status = declaration["status"]
    if status == "ACCEPTED":
        amount = declaration.get("amountDue")
        due = (
            f"Montant à payer : {money(amount)}."
            if amount is not None and float(amount) > 0
            else "Vous n'avez rien à payer."
        )
        return html.div(
            {"className": "fr-alert fr-alert--success fr-mb-3w", "id": "declaration-decision", "role": "status"},
            html.h2({"className": "fr-alert__title"}, "Votre déclaration est acceptée"),
            html.p({"id": "montant-du"}, due),
            html.p({"className": "fr-text--sm"}, "Le message de la douane, s'il y en a un, est dans les échanges ci-dessous."),
        )  # fmt: skip
    if status == "REFUSED":
        return html.div(
            {"className": "fr-alert fr-alert--error fr-mb-3w", "id": "declaration-decision", "role": "status"},
            html.h2({"className": "fr-alert__title"}, "Votre déclaration est refusée"),
            html.p(html.strong("Motif : "), declaration.get("decisionReason") or ""),
        )
    sentences = {
        "SUBMITTED": "Votre déclaration est déposée : la douane va l'examiner. Sa réponse s'affichera ici.",
        "UNDER_REVIEW": "La douane examine votre déclaration. Sa réponse s'affichera ici.",
    }
    return html.div(
        {"className": "fr-alert fr-alert--info fr-mb-3w", "id": "declaration-decision", "role": "status"},
        html.p(sentences.get(status, f"Statut : {declaration['statusLabel']}.")),
    )


def header(declaration: Mapping[str, Any], announcement: str):
    return [
        html.p(
            {"className": "fr-text--sm fr-mb-1w", "key": "retour"},
            html.a({"className": "fr-link", "href": DECLARANT_PATH}, "Mes déclarations"),
        ),
        html.h1({"id": "declaration-titre", "tabIndex": -1, "key": "titre"}, title(declaration)),
        html.div(
            {"className": "portal-heading-row", "key": "etat"},
            html.p({"className": "fr-text--lead"}, declaration["kindLabel"]),
            status_badge(declaration, id="declaration-statut"),
        ),
        html.p(
            {
                "className": "fr-text--xs portal-live",
                "id": "declaration-annonce",
                "role": "status",
                "key": "annonce",
            },
            announcement,
        ),
    ]


@component
def declarant_view(declaration_id: str):
    location = use_location()
    loaded = use_declaration(declaration_id)
    guide = use_guide()
    asked, set_asked = use_state(step_from(location.query_string))
    facts_unsaved, set_facts_unsaved = use_state(False)
    notice, set_notice = use_state(None)
    focus, set_focus = use_state((None, 0))
    found = loaded.found

    back = html.p(
        {"className": "fr-text--sm fr-mb-1w"},
        html.a({"className": "fr-link", "href": DECLARANT_PATH}, "Mes déclarations"),
    )
    if loaded.error:
        return html.div(back, html.h1("Déclaration"), error_alert(loaded.error, id="declaration-erreur"))
    if found is LOADING:
        return html.div(back, loading("Chargement de la déclaration…"))
    if not found:
        return html.div(
            back,
            html.h1("Déclaration introuvable"),
            html.p("Cette déclaration n'existe pas ou n'est pas la vôtre."),
        )

    def go(step: int) -> None:
        set_asked(step)
        set_focus(lambda current: ("etape-titre", current[1] + 1))

    def submitted(answer: Mapping[str, Any]) -> None:
        set_notice(f"Votre déclaration est déposée. Sa référence : {answer.get('reference') or ''}.")
        set_focus(lambda current: ("declaration-titre", current[1] + 1))
        loaded.changed(answer)

    live = loaded.live_status or loaded.announcement
    guard = leave_guard(facts_unsaved and found["mayEdit"])
    # The two layouts are two keyed subtrees: when one becomes the other (submitted; information requested),
    # nothing of the old one is patched into the new.
    if not found["mayEdit"]:
        return html.div(html.div(
            {"key": "deposee"},
            *header(found, live),
            guard,
            slot(
                "depose",
                alert("success", [notice], id="declaration-deposee")
                if notice and found["history"] and found["history"][-1]["kind"] == "SUBMITTED"  # until the next step
                else "",
            ),
            decision(found),
            html.p(html.a(
                {"className": "fr-btn fr-btn--secondary fr-icon-download-line fr-btn--icon-left", "href": found["pdfUrl"],
                 "download": "", "id": "telecharger-recapitulatif"},
                "Télécharger le récapitulatif (PDF)",
            )),
            history_view(found, officer=False),
            message_box(found, loaded, False, key="message"),
            html.section(
                {"id": "declare", "className": "fr-mb-4w", "aria-labelledby": "declare-titre"},
                html.h2({"className": "fr-h4", "id": "declare-titre"}, "Ce que vous avez déclaré"),
                facts_view(found, countries_of(guide)),
                items_table(found, quantity_labels(guide)),
            ),
            estimate_panel(found, final=True),
            replace_url_script(location.path),
            focus_script(focus[0], focus[1]),
        ))  # fmt: skip

    current = asked or first_step(found)
    answering = found["status"] == "INFO_REQUESTED"

    def step_panel(step: int, content):
        # Every step stays mounted (hidden when another is shown): what was typed in one survives a visit to another.
        return html.div(
            {"key": f"etape-{step}", "id": f"etape-{step}", "hidden": step != current,
             **({"role": "region", "aria-labelledby": "etape-titre"} if step == current else {})},
            content,
        )  # fmt: skip

    return html.div(
        html.div(
            {"key": "modifiable"},
            *header(found, live),
            guard,
            slot("demande", information_request(found)),
            slot(
                "echanges",
                html.div(
                    {"className": "fr-mb-4w"},
                    history_view(found, officer=False),
                    message_box(found, loaded, False, key="reponse"),
                )
                if answering
                else "",
            ),
            stepper(found, current, go),
            estimate_summary(found),
            html.div(
                {"className": "fr-grid-row fr-grid-row--gutters"},
                html.div(
                    {"className": "fr-col-12 fr-col-lg-7"},
                    step_panel(1, facts_step(found, guide, loaded, lambda: go(2), set_facts_unsaved, key="faits")),
                    step_panel(2, items_step(found, guide, loaded, lambda: go(3), lambda: go(1), key="articles")),
                    step_panel(
                        3, review_step(found, guide, loaded, facts_unsaved, go, submitted, key="verification")
                    ),
                ),
                html.div({"className": "fr-col-12 fr-col-lg-5"}, estimate_panel(found)),
            ),
            replace_url_script(location.path + (f"?etape={current}" if asked else "")),
            focus_script(focus[0], focus[1]),
        )
    )


@component
def declaration_page(me: dict[str, Any] | None, declaration_id: str):
    return declarant_gate(me, "Déclaration", lambda: declarant_view(declaration_id), declaration_id)
