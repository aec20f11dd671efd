"""The dossier page words what the API decides, without deciding it: why the form is read-only (`canSave`, the
status, the reader's side), the durations its hints announce (`limits`), the parts of a storage place
(`FormField.parts`)."""

from __future__ import annotations

from reactpy.core.layout import Layout

from ui.components.dossier_fields import answer_text
from ui.components.goods import goods_line_form
from ui.components.processing.presentations import message_hint
from ui.dossier_form import changes, initial_inputs, problem_target
from ui.pages.dossier.actions import editor_buttons, read_only_reason
from ui.pages.dossier.editing import Editor

LABELS = {"CONSULT": "consulter", "PREPARE": "préparer", "SUBMIT": "déposer"}


def dossier(**values) -> dict:
    base = {
        "editable": True,
        "canSave": True,
        "status": "DRAFT",
        "statusLabel": "brouillon",
        "operator": {"legalName": "Ateliers Durand SA", "myRight": "SUBMIT"},
    }
    return {**base, **values}


def test_the_form_is_read_only_exactly_when_the_api_says_it_may_not_be_saved():
    assert read_only_reason(dossier(), False, LABELS) is None
    consult = dossier(canSave=False, operator={"legalName": "Ateliers Durand SA", "myRight": "CONSULT"})
    assert read_only_reason(consult, False, LABELS) == (
        "Votre droit sur Ateliers Durand SA (consulter) vous permet de consulter ce dossier, pas de le modifier."
    )
    # Whatever the right the page holds, it follows the API's canSave.
    refused = dossier(canSave=False)
    assert "pas de le modifier" in read_only_reason(refused, False, LABELS)
    closed = dossier(editable=False, canSave=False, status="SUBMITTED", statusLabel="déposé")
    assert read_only_reason(closed, False, LABELS) == (
        "Ce dossier a été déposé : il ne peut plus être modifié, sauf si le service des douanes demande un complément."
    )
    # A sentence per status, not a label slotted into one (« Ce dossier est droit d'être entendu »).
    hearing = dossier(editable=False, canSave=False, status="HEARING", statusLabel="droit d'être entendu")
    assert read_only_reason(hearing, False, LABELS).startswith("Le service des douanes envisage une décision")
    assert "lecture seule" in read_only_reason(dossier(canSave=False), True, LABELS)


def test_the_hearing_hint_announces_the_apis_duration():
    action = {"code": "notify_intended_refusal"}
    assert message_hint(action, {"hearingDays": 45}) == (
        "Le demandeur dispose de 45 jours pour faire valoir son point de vue."
    )
    assert message_hint({"code": "refuse"}, {"hearingDays": 45}) is None


def test_a_storage_place_has_the_parts_the_form_model_names():
    parts = [
        {"path": name, "label": name, "kind": "TEXT", "mandatory": False} for name in ("name", "country", "dock")
    ]
    places = {"path": "specific.storagePlaces", "kind": "STORAGE_PLACES", "parts": parts}
    rubriques = [{"code": "specific", "hasGoods": False, "fields": [places]}]
    baseline = initial_inputs([places], {"specific.storagePlaces": [{"name": "Corbas", "dock": "Quai 3"}]})
    assert baseline["specific.storagePlaces"] == [{"_key": 0, "name": "Corbas", "country": "", "dock": "Quai 3"}]
    current = {"specific.storagePlaces": [{**baseline["specific.storagePlaces"][0], "country": "FR"}]}
    assert changes([places], current, baseline) == {
        "specific.storagePlaces": [{"name": "Corbas", "country": "FR", "dock": "Quai 3"}]
    }
    assert problem_target("specific.storagePlaces.0.dock", rubriques).element_id == (
        "champ-specific-storagePlaces-0-dock"
    )
    # A problem of the place as a whole is shown on its first part.
    assert problem_target("specific.storagePlaces.0.whole", rubriques).element_id == (
        "champ-specific-storagePlaces-0-name"
    )


def _buttons(busy: str | None) -> dict[str, dict]:
    """The editor's buttons by id, drawn while the editor reports `busy`."""

    def noop(*_args):
        return None

    editor = Editor(
        dossier=dossier(),
        store=None,  # type: ignore[arg-type]
        unsaved=False,
        problems=None,
        save_problems=[],
        notice=None,
        busy=busy,
        active="",
        focus=(None, 0),
        go_to=noop,
        select_tab=noop,
        refresh=noop,
        save=noop,
        on_save=noop,
        on_check=noop,
        on_submit=noop,
    )
    found: dict[str, dict] = {}

    def walk(node):
        if isinstance(node, dict):
            if node.get("tagName") == "button":
                found[node["attributes"]["id"]] = node
            for child in node.get("children", []):
                walk(child)

    walk(editor_buttons(editor, True, LABELS))
    return found


def test_the_button_at_work_says_so_and_every_button_waits():
    idle = _buttons(None)
    assert [b["children"] for b in idle.values()] == [["Contrôler"], ["Sauvegarder"], ["Valider"]]
    assert not any(b["attributes"]["disabled"] or "aria-busy" in b["attributes"] for b in idle.values())
    for busy, button_id, text in (
        ("save", "bouton-sauvegarder", "Sauvegarde en cours…"),
        ("check", "bouton-controler", "Contrôle en cours…"),
        ("submit", "bouton-valider", "Dépôt en cours…"),
    ):
        drawn = _buttons(busy)
        assert drawn[button_id]["children"] == [text]
        assert drawn[button_id]["attributes"]["aria-busy"] == "true"
        assert all(b["attributes"]["disabled"] for b in drawn.values())
        assert [i for i, b in drawn.items() if "aria-busy" in b["attributes"]] == [button_id]


async def test_a_goods_line_form_has_the_fields_hints_and_mandatory_values_the_api_gives():
    def spec(path, label, kind="TEXT", mandatory=True, hint=None, pattern=None):
        return {
            "path": path,
            "label": label,
            "kind": kind,
            "mandatory": mandatory,
            "hint": hint,
            "pattern": pattern,
        }

    fields = [
        spec("cnCode", "Code NC", hint="Quatre ou huit chiffres, dit l'API.", pattern="[0-9]{4}|[0-9]{8}"),
        spec("description", "Désignation"),
        spec("quantity", "Quantité", "DECIMAL"),
        spec("unit", "Unité", "CODE"),
        spec("value", "Valeur (€)", "DECIMAL", mandatory=False),
    ]

    async def submit(values):
        return None

    units = [{"code": "KGM", "label": "kilogramme"}]
    async with Layout(
        goods_line_form("ligne", "Ajouter", {}, units, submit, "Ajouter la ligne", fields=fields)
    ) as layout:
        model = (await layout.render())["model"]

    def walk(node):
        if isinstance(node, dict):
            yield node
            for child in node.get("children", []):
                yield from walk(child)

    controls = {
        e["attributes"]["id"]: e
        for e in walk(model)
        if e.get("tagName") in ("input", "select") and "id" in e.get("attributes", {})
    }
    assert list(controls) == ["ligne-cnCode", "ligne-description", "ligne-quantity", "ligne-unit", "ligne-value"]
    required = [i for i, e in controls.items() if e["attributes"].get("aria-required") == "true"]
    assert required == ["ligne-cnCode", "ligne-description", "ligne-quantity", "ligne-unit"]
    assert controls["ligne-unit"]["tagName"] == "select"
    assert controls["ligne-cnCode"]["attributes"]["inputMode"] == "numeric"
    assert controls["ligne-value"]["attributes"]["inputMode"] == "decimal"
    assert "Quatre ou huit chiffres, dit l'API." in str(model)


def test_a_read_only_storage_place_names_its_country_and_leaves_out_empty_parts():
    parts = [
        {"path": "name", "label": "Nom", "kind": "TEXT", "mandatory": True},
        {"path": "country", "label": "Pays", "kind": "CODE", "mandatory": True},
        {"path": "fax", "label": "Fax", "kind": "TEXT", "mandatory": False},
    ]
    places = {"path": "specific.storagePlaces", "kind": "STORAGE_PLACES", "parts": parts}
    countries = {"entries": [{"code": "FR", "label": "France"}]}
    shown = answer_text(places, [{"name": "Corbas", "country": "FR", "fax": None}], None, countries)
    assert shown["children"][0]["children"] == ["Corbas, France"]
