"""« Estimation »: what the API estimates the person will owe, in plain French — the value of the goods, the
allowance and whether it is exceeded (by how much), each line with its amount (or « non estimé ») and why, what to
know, the conversions to euros with their rate and its date, and the rules used with the day they came into force.
The figures and sentences are the API's (`PrivateDeclaration.estimate`); nothing is computed here."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reactpy import html

from ui import formatting
from ui.pages.declarations.presentation import money, plain, problems_list, rule_value

ID = "estimation"


def _figures(estimate: Mapping[str, Any], trip: bool):
    figures = [
        html.p(
            {"key": "valeur", "className": "fr-mb-1w", "id": f"{ID}-valeur"},
            "Valeur de vos marchandises : ",
            html.strong(money(estimate["valueEur"])),
        )
    ]
    if trip and estimate.get("allowance") is not None:
        figures.append(
            html.p(
                {"key": "franchise", "className": "fr-mb-1w", "id": f"{ID}-franchise"},
                "Franchise (ce que vous pouvez rapporter sans payer) : ",
                html.strong(money(estimate["allowance"])),
            )
        )
        exceeded = estimate.get("exceededBy")
        over = exceeded is not None and float(exceeded) > 0
        figures.append(
            html.p(
                {"key": "depassement", "className": "fr-mb-1w", "id": f"{ID}-depassement"},
                html.strong(f"Franchise dépassée de {money(exceeded)}" if over else "Franchise non dépassée"),
            )
        )
    return html.div({"className": "fr-mb-2w", "id": f"{ID}-chiffres"}, figures)


def _total(estimate: Mapping[str, Any]):
    total = money(estimate["total"])
    if estimate["complete"]:
        said = (
            f"À payer selon cette estimation : {total}"
            if float(estimate["total"]) > 0
            else "Rien à payer selon cette estimation"
        )
        more = ""
    else:
        said = f"À payer selon cette estimation : au moins {total}"
        more = "Certaines sommes ne peuvent pas être estimées ici (voir « non estimé » ci-dessous) : la douane les calculera."
    return html.div(
        {"className": "fr-mb-3w", "id": f"{ID}-total"},
        html.p({"className": "fr-text--lg fr-text--bold fr-mb-1w"}, said),
        html.p({"className": "fr-text--sm fr-mb-0"}, more) if more else "",
    )  # fmt: skip


def _lines(estimate: Mapping[str, Any], level: int):
    heading = getattr(html, f"h{level}")
    if not estimate["lines"]:
        return ""
    return html.div(
        heading({"className": "fr-h6 fr-mb-1w"}, "Le détail"),
        html.ul(
            {"className": "fr-mb-3w", "id": f"{ID}-lignes"},
            [
                html.li(
                    {"key": str(index), "className": "fr-mb-1w"},
                    html.p(
                        {"className": "fr-mb-0"},
                        html.strong(line["label"]),
                        " : ",
                        money(line["amount"]) if line.get("amount") is not None else "non estimé",
                    ),
                    html.p({"className": "fr-text--sm fr-mb-0"}, line["explanation"]),
                )
                for index, line in enumerate(estimate["lines"])
            ],
        ),
    )


def _notices(estimate: Mapping[str, Any], level: int):
    heading = getattr(html, f"h{level}")
    if not estimate["notices"]:
        return ""
    return html.div(
        heading({"className": "fr-h6 fr-mb-1w"}, "À savoir"),
        html.ul(
            {"className": "fr-mb-3w fr-text--sm", "id": f"{ID}-a-savoir"},
            [html.li({"key": str(index)}, notice) for index, notice in enumerate(estimate["notices"])],
        ),
    )


def _conversions(estimate: Mapping[str, Any], level: int):
    heading = getattr(html, f"h{level}")
    if not estimate["conversions"]:
        return ""
    return html.div(
        heading({"className": "fr-h6 fr-mb-1w"}, "Conversions en euros"),
        html.ul(
            {"className": "fr-mb-3w fr-text--sm", "id": f"{ID}-conversions"},
            [
                html.li(
                    {"key": str(index)},
                    f"{c['description']} : {money(c['amount'], c['currency'])} = {money(c['euros'])} "
                    f"(1 € = {plain(c['rate']['perEuro'])} {c['rate']['currency']}, taux du "
                    f"{formatting.date(c['rate']['on'])})",
                )
                for index, c in enumerate(estimate["conversions"])
            ],
        ),
    )


def _rules(estimate: Mapping[str, Any]):
    if not estimate["rules"]:
        return ""

    def since(rule: Mapping[str, Any]) -> str:
        text = f"en vigueur depuis le {formatting.date(rule['validFrom'])}"
        if rule.get("validUntil"):
            text += f", jusqu'au {formatting.date(rule['validUntil'])}"
        return text

    return html.details(
        {"className": "fr-mb-2w", "id": f"{ID}-regles"},
        html.summary({"className": "fr-text--bold"}, f"Les règles utilisées ({len(estimate['rules'])})"),
        html.ul(
            {"className": "fr-text--sm fr-mt-1w"},
            [
                html.li(
                    {"key": rule["key"]},
                    html.strong(rule["label"]),
                    f" : {rule_value(rule)} — {rule['reference']} — {since(rule)}",
                )
                for rule in estimate["rules"]
            ],
        ),
    )


def estimate_panel(declaration: Mapping[str, Any], *, level: int = 2, final: bool = False, officer: bool = False):
    """The « Estimation » box. `final`: customs have answered (the estimate is then a reminder); `officer`: read by
    the examining office (the same figures, other words)."""
    heading = getattr(html, f"h{level}")
    estimate = declaration.get("estimate")
    trip = declaration["kind"] == "TRIP"
    reference_day = "date d'arrivée" if trip else "date de la commande"
    if officer:
        intro = (
            f"Calculée par le portail avec les règles en vigueur le {formatting.date(estimate['referenceDate'])} "
            f"({reference_day}) ; le déclarant voit la même."
            if estimate
            else "Le portail n'a pas pu la calculer."
        )
    elif estimate:
        intro = (
            "Ce que vous devriez payer, calculé avec les règles en vigueur le "
            f"{formatting.date(estimate['referenceDate'])} ({'date de votre arrivée' if trip else 'date de la commande'}). "
            "C'est une estimation : le montant à payer est fixé par la douane."
        )
        if final and declaration["status"] == "ACCEPTED":
            intro += " La douane a fixé le montant dû : voir plus haut."
    else:
        intro = "L'estimation de ce que vous devriez payer s'affichera ici dès que possible."
    if estimate is None:
        body = html.div(
            {"id": f"{ID}-manque"},
            html.p({"className": "fr-text--sm fr-mb-1w"}, "Pour la calculer, il manque :"),
            problems_list(declaration["estimateProblems"]),
        )
    else:
        body = html.div(
            _figures(estimate, trip),
            _total(estimate),
            _lines(estimate, level + 1),
            _notices(estimate, level + 1),
            _conversions(estimate, level + 1),
            _rules(estimate),
        )
    return html.section(
        {"className": "fr-callout fr-mb-4w", "id": ID, "aria-labelledby": f"{ID}-titre"},
        heading({"className": "fr-callout__title fr-h4", "id": f"{ID}-titre"}, "Estimation"),
        html.p({"className": "fr-text--sm"}, intro),
        body,
    )


def estimate_summary(declaration: Mapping[str, Any]):
    """The estimate in one line, above the steps on a narrow screen (where the box comes after the form)."""
    estimate = declaration.get("estimate")
    if estimate is None:
        said = "Estimation : elle s'affichera dès que possible."
    else:
        total = money(estimate["total"])
        said = f"Estimation : {'au moins ' if not estimate['complete'] else ''}{total} à payer"
        exceeded = estimate.get("exceededBy")
        if exceeded is not None:
            said += (
                f", franchise dépassée de {money(exceeded)}" if float(exceeded) > 0 else ", franchise non dépassée"
            )
        said += "."
    return html.p(
        {"className": "fr-hidden-lg fr-text--sm fr-mb-2w", "id": f"{ID}-resume"},
        html.strong(said),
        " ",
        html.a({"href": f"#{ID}", "className": "fr-link fr-text--sm"}, "Voir le détail de l'estimation"),
    )
