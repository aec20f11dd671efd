"""What the dossier page says about the dossier rather than asks: its header (reference, procedure, authorisation type,
status, operator, version, last save), the notice above the form, and the summary of the points to correct, whose
links open the right tab and focus the field. The problems are the API's; this module only places and words them."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from reactpy import event, html

from ui import formatting
from ui.components.goods import GOODS_TITLES
from ui.components.status import status_badge
from ui.dossier_form import GOODS_AGGREGATES, Target, problem_target
from ui.pages.assistance.dossier import documentation_link, dossier_questions
from ui.pages.dossier.editing import MESSAGE_ID, SUMMARY_ID, Notice


def sr_only(text: str):
    return html.span({"className": "fr-sr-only"}, text)


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def dossier_header(dossier: Mapping[str, Any], procedure: Mapping[str, Any], officer: bool = False):
    operator = dossier["operator"]
    saved = formatting.date_time(dossier["updatedAt"])
    items = [
        ("Régime", dossier["procedureLabel"]),
        ("Type d'autorisation", f"Régime particulier – {dossier['authorisationType']}"),
        ("Statut", status_badge(dossier["status"], dossier["statusLabel"], id="dossier-statut")),
        ("Opérateur", f"{operator['legalName']} – SIRET {formatting.siret(operator['siret'])}"),
        ("Version", str(dossier["version"])),
        ("Dernière sauvegarde", f"{saved} par {dossier['updatedBy']}" if dossier["updatedBy"] else saved),
    ]
    if dossier.get("submittedAt"):
        items.append(("Déposé le", formatting.date_time(dossier["submittedAt"])))
    changing = dossier.get("purpose") in ("AMENDMENT", "RENEWAL") and dossier.get("authorizationId")
    if changing:
        items.insert(
            0,
            (
                "Objet",
                html.span(
                    dossier["purposeLabel"],
                    " de l'autorisation ",
                    html.a({"href": f"/autorisations/{dossier['authorizationId']}", "id": "autorisation-concernee"},
                           dossier.get("authorizationReference") or "concernée"),
                ),
            ),
        )  # fmt: skip
    return html.div(
        {"className": "fr-mb-4w"},
        html.p(
            {"className": "fr-text--sm fr-mb-1w"},
            html.a({"className": "fr-link", "href": "/douane"}, "Dossiers du bureau")
            if officer
            else html.a({"className": "fr-link", "href": "/soprano"}, "Mes dossiers"),
        ),
        html.h1({"id": "dossier-titre"}, f"Dossier {dossier['reference']}"),
        html.p(
            {"className": "fr-text--lead fr-mb-2w"},
            procedure["label"],
            documentation_link(dossier["procedureCode"]),
        ),
        html.dl(
            {"className": "portal-facts", "id": "dossier-entete"},
            [
                html.div({"key": label, "className": "portal-facts__item"}, html.dt(label), html.dd(value))
                for label, value in items
            ],
        ),
        changes_box(dossier) if changing else "",
        dossier_questions(dossier, officer, key="questions"),
    )


def changes_box(dossier: Mapping[str, Any]):
    """An amendment or a renewal: what it changes against the authorisation in force (the API's comparison, read
    again after each save)."""
    changes = dossier.get("changesAgainstAuthorization") or []
    if not changes:
        body = html.p(
            {"className": "fr-mb-0"},
            "Aucune modification par rapport à l'autorisation en vigueur pour "
            "l'instant : modifiez les rubriques concernées, sauvegardez, puis contrôlez.",
        )
    else:
        body = html.ul(
            {"className": "fr-mb-0"},
            [
                html.li(
                    {"key": c["key"]},
                    html.strong(c["label"]),
                    f" : {c['before']} ",
                    html.span({"aria-hidden": "true"}, "→"),
                    html.span({"className": "fr-sr-only"}, " devient "),
                    f" {c['after']}",
                )
                for c in changes
            ],
        )
    return html.div(
        {"className": "fr-callout fr-mt-3w", "id": "changements-autorisation"},
        html.h2({"className": "fr-callout__title fr-h6"},
                f"Ce que {'cet avenant' if dossier.get('purpose') == 'AMENDMENT' else 'ce renouvellement'} change "
                f"({len(changes)} modification{'s' if len(changes) > 1 else ''})"),
        body,
    )  # fmt: skip


def notice_box(notice: Notice):
    if not notice:
        return ""
    kind, title, texts = notice
    return html.div(
        {
            "className": f"fr-alert fr-alert--{kind} fr-mb-3w" + ("" if title else " fr-alert--sm"),
            "role": "alert" if kind == "error" else "status",
            "id": MESSAGE_ID,
            "tabIndex": -1,
        },
        html.h2({"className": "fr-alert__title"}, title) if title else "",
        [html.p({"key": str(i)}, text) for i, text in enumerate(texts)],
    )


class ProblemPlaces:
    """Where each listed problem is shown (tab and element), how many fall in each tab, and what names its path."""

    def __init__(
        self,
        listed: Sequence[Mapping[str, Any]],
        rubriques: Sequence[Mapping[str, Any]],
        code_lists: Mapping[str, Any],
    ) -> None:
        self.rubriques = rubriques
        self.targets = {p["path"]: problem_target(p["path"], rubriques, code_lists) for p in listed}
        self.counts: dict[str, int] = {}
        for target in self.targets.values():
            if target:
                self.counts[target.tab] = self.counts.get(target.tab, 0) + 1
        self._labels = {f["path"]: f["label"] for r in rubriques for f in r["fields"]}

    def describe(self, path: str) -> str:
        if path in self._labels:
            return self._labels[path]
        if path.startswith("specific.storagePlaces."):
            parts = path.split(".")
            return f"Installation de stockage n° {int(parts[2]) + 1}" if parts[2].isdigit() else "Installations"
        if path in GOODS_AGGREGATES:
            return GOODS_TITLES[GOODS_AGGREGATES[path]]
        if path.startswith("goods.line."):
            return "Ligne de marchandise"
        return path

    def tab_label(self, target: Target | None) -> str | None:
        return next((r["label"] for r in self.rubriques if target and r["code"] == target.tab), None)

    def tab_badge(self, code: str):
        count = self.counts.get(code)
        if not count:
            return None
        return [str(count), sr_only(" " + ("point à corriger" if count == 1 else "points à corriger"))]


def problems_summary(
    listed: Sequence[Mapping[str, Any]],
    places: ProblemPlaces,
    only_refused_values: bool,
    go_to: Callable[[Target], None],
):
    """Every point to correct, each a link to its field; `only_refused_values`: a save refused them (nothing checked)."""
    if not listed:
        return ""

    def link(target: Target):
        return event(prevent_default=True)(lambda e: go_to(target))

    items = []
    for index, problem in enumerate(listed):
        target = places.targets.get(problem["path"])
        label = places.describe(problem["path"])
        text = problem["message"] if label in problem["message"] else f"{label} : {problem['message']}"
        tab_label = places.tab_label(target)
        items.append(
            html.li(
                {"key": str(index)},
                html.a({"href": f"#{target.element_id}", "onClick": link(target)}, text) if target else text,
                html.span({"className": "fr-text--xs portal-summary__tab"}, f" ({tab_label})")
                if tab_label
                else "",
            )
        )
    title = (
        "Valeur refusée : le dossier n'a pas été sauvegardé"
        if only_refused_values
        else _plural(len(listed), "point à corriger", "points à corriger")
    )
    return html.div(
        {
            "className": "fr-alert fr-alert--error fr-mb-3w portal-summary",
            "role": "alert",
            "id": SUMMARY_ID,
            "tabIndex": -1,
            "aria-labelledby": f"{SUMMARY_ID}-titre",
        },
        html.h2({"className": "fr-alert__title", "id": f"{SUMMARY_ID}-titre"}, title),
        html.ul(items),
    )
