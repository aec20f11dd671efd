"""What the API tells its clients about the dossier's states and steps, so that no client hard-codes them: the
statuses with their labels and dashboard buckets (`dossierStatuses`), the actions the reader may take now with their
labels and what their forms ask (`Dossier.actions`), who took the dossier at customs (`Dossier.assignedOfficer`) and
the officers' « pris en charge » filter of the dashboard (`taken`).

Over real HTTP against the live portal; every operator and customs office is fresh, so every list is exact.
"""

from __future__ import annotations

import uuid

import httpx

from backend.dossiers import dashboards
from backend.dossiers.models import DossierStatus
from tests.processing_support import (
    DASHBOARD,
    act,
    bring_to,
    code_of,
    new_office,
    ok,
    refused,
)

ACTIONS = """
query($id: ID!) {
  dossier(id: $id) {
    status availableActions assignedOfficer
    actions { code action mutation label needsMessage needsDate messageLabel targetStatus }
  }
}"""
TAKE = "mutation($id: ID!) { takeDossier(id: $id) { id assignedOfficer } }"
STATUSES = """
{ dossierStatuses { code label editable final operatorBucket officerBucket officerBucketOnceOverdue } }
"""


def actions_of(client: httpx.Client, dossier_id: str) -> dict:
    return ok(client, ACTIONS, {"id": dossier_id})["dossier"]


def codes(dossier: dict) -> list[str]:
    return [a["code"] for a in dossier["actions"]]


def by_code(dossier: dict) -> dict[str, dict]:
    return {a["code"]: a for a in dossier["actions"]}


# --- dossierStatuses ------------------------------------------------------------------------------------------------


def test_the_statuses_are_public_in_the_workflows_order_with_their_labels(live_server):
    with httpx.Client(base_url=live_server.url) as anonymous:
        statuses = ok(anonymous, STATUSES)["dossierStatuses"]
    assert [s["code"] for s in statuses] == [s.name for s in DossierStatus]
    labels = {s["code"]: s["label"] for s in statuses}
    assert labels["DRAFT"] == "brouillon"
    assert labels["HEARING"] == "droit d'être entendu"
    assert labels == {s.name: s.label for s in DossierStatus}
    assert {s["code"] for s in statuses if s["editable"]} == {"DRAFT", "COMPLEMENT_REQUESTED"}
    assert {s["code"] for s in statuses if s["final"]} == {"GRANTED", "REFUSED", "NOT_ACCEPTED", "WITHDRAWN"}


def test_the_statuses_name_each_sides_bucket_as_the_dashboard_counts_them(live_server):
    with httpx.Client(base_url=live_server.url) as anonymous:
        statuses = {s["code"]: s for s in ok(anonymous, STATUSES)["dossierStatuses"]}
    operator = {code: s["operatorBucket"] for code, s in statuses.items()}
    assert operator == {
        "DRAFT": "TODO",
        "SUBMITTED": "WAITING",
        "COMPLEMENT_REQUESTED": "TODO",
        "ACCEPTED": "WAITING",
        "HEARING": "TODO",
        "GRANTED": None,
        "REFUSED": None,
        "NOT_ACCEPTED": None,
        "WITHDRAWN": None,
    }
    officer = {code: s["officerBucket"] for code, s in statuses.items()}
    assert officer == {
        "DRAFT": None,  # a draft never reaches customs
        "SUBMITTED": "TODO",
        "COMPLEMENT_REQUESTED": "WAITING",
        "ACCEPTED": "TODO",
        "HEARING": "WAITING",
        "GRANTED": None,
        "REFUSED": None,
        "NOT_ACCEPTED": None,
        "WITHDRAWN": None,
    }
    once_overdue = {code: s["officerBucketOnceOverdue"] for code, s in statuses.items()}
    # The time to be heard, or to give the complement, is over: customs act.
    assert once_overdue == {**officer, "HEARING": "TODO", "COMPLEMENT_REQUESTED": "TODO"}
    # The same table the dashboard's SQL reads.
    assert set(dashboards.APPLICANT_TODO) == {DossierStatus[c] for c, b in operator.items() if b == "TODO"}
    assert set(dashboards.APPLICANT_WAITING) == {DossierStatus[c] for c, b in operator.items() if b == "WAITING"}


# --- Dossier.actions ----------------------------------------------------------------------------------------------


def test_an_applicant_with_the_submit_right_is_offered_to_submit_withdraw_and_comment(people):
    company = people.company(f"Actions {uuid.uuid4().hex[:6]}")
    officer = people.officer(new_office())
    dossier = actions_of(company.admin, bring_to("DRAFT", company.admin, officer)["id"])
    assert codes(dossier) == ["submit", "withdraw", "comment"]
    assert dossier["availableActions"] == ["submit", "withdraw"]
    offered = by_code(dossier)
    assert offered["submit"] == {
        "code": "submit",
        "action": None,
        "mutation": "submitDossier",
        "label": "Déposer",
        "needsMessage": False,
        "needsDate": False,
        "messageLabel": None,
        "targetStatus": "SUBMITTED",
    }
    assert offered["withdraw"]["action"] == "WITHDRAW" and offered["withdraw"]["mutation"] == "actOnDossier"
    assert offered["withdraw"]["label"] == "Retirer la demande"
    assert offered["comment"] == {
        "code": "comment",
        "action": None,
        "mutation": "addComment",
        "label": "Laisser un commentaire",
        "needsMessage": True,
        "needsDate": False,
        "messageLabel": "Commentaire",
        "targetStatus": None,
    }


def test_a_collaborator_is_offered_what_their_right_allows(people):
    company = people.company(f"Droits {uuid.uuid4().hex[:6]}")
    officer = people.officer(new_office())
    dossier_id = bring_to("DRAFT", company.admin, officer)["id"]
    consult, _ = people.member(company, "CONSULT")
    prepare, _ = people.member(company, "PREPARE")
    assert actions_of(consult, dossier_id)["actions"] == []
    assert actions_of(consult, dossier_id)["availableActions"] == []
    assert codes(actions_of(prepare, dossier_id)) == ["comment"]  # no status change without the submit right
    assert actions_of(prepare, dossier_id)["availableActions"] == []


def test_an_officer_is_offered_the_customs_steps_of_a_submitted_dossier_then_of_an_accepted_one(people):
    company = people.company(f"Douane {uuid.uuid4().hex[:6]}")
    officer = people.officer(new_office())
    submitted = bring_to("SUBMITTED", company.admin, officer, office=_office_of(officer))
    seen = actions_of(officer, submitted["id"])
    assert codes(seen) == ["request_complement", "accept", "not_accept", "take", "comment"]
    assert seen["availableActions"] == ["request_complement", "accept", "not_accept"]
    offered = by_code(seen)
    assert offered["request_complement"]["needsMessage"] is True
    assert offered["request_complement"]["messageLabel"] == "Complément demandé"
    assert offered["request_complement"]["targetStatus"] == "COMPLEMENT_REQUESTED"
    assert offered["not_accept"]["messageLabel"] == "Motif de non-acceptation"
    assert offered["accept"]["needsMessage"] is False and offered["accept"]["action"] == "ACCEPT"
    assert offered["take"]["mutation"] == "takeDossier" and offered["take"]["needsMessage"] is False
    assert "extend_decision_deadline" not in offered  # the decision deadline runs once accepted
    # The applicant meanwhile may only withdraw or comment.
    assert codes(actions_of(company.admin, submitted["id"])) == ["withdraw", "comment"]

    act(officer, submitted["id"], "ACCEPT")
    accepted = by_code(actions_of(officer, submitted["id"]))
    assert list(accepted) == ["notify_intended_refusal", "grant", "take", "extend_decision_deadline", "comment"]
    assert accepted["extend_decision_deadline"] == {
        "code": "extend_decision_deadline",
        "action": None,
        "mutation": "extendDecisionDeadline",
        "label": "Prolonger le délai de décision",
        "needsMessage": True,
        "needsDate": True,
        "messageLabel": "Motif de la prolongation",
        "targetStatus": None,
    }
    assert accepted["notify_intended_refusal"]["messageLabel"] == "Motifs du refus envisagé"
    assert "extend_decision_deadline" not in by_code(actions_of(company.admin, submitted["id"]))

    # Taken: not offered again to the one who took it; a colleague of the office may still take it over.
    ok(officer, TAKE, {"id": submitted["id"]})
    assert "take" not in codes(actions_of(officer, submitted["id"]))
    colleague = people.officer(_office_of(officer), "Collègue")
    assert "take" in codes(actions_of(colleague, submitted["id"]))


def test_a_closed_dossier_offers_only_comments(people):
    company = people.company(f"Clos {uuid.uuid4().hex[:6]}")
    officer = people.officer(new_office())
    dossier = bring_to("ACCEPTED", company.admin, officer, office=_office_of(officer))
    act(officer, dossier["id"], "GRANT")
    assert codes(actions_of(officer, dossier["id"])) == ["comment"]
    assert codes(actions_of(company.admin, dossier["id"])) == ["comment"]


# --- Dossier.assignedOfficer ----------------------------------------------------------------------------------------


def test_who_took_the_dossier_is_shown_to_the_offices_officers_only(people):
    company = people.company(f"Prise {uuid.uuid4().hex[:6]}")
    office = new_office()
    officer = people.officer(office, "Agente Prise En Charge")
    colleague = people.officer(office, "Collègue Du Bureau")
    other_office = people.officer(new_office(), "Agent Ailleurs")
    dossier = bring_to("SUBMITTED", company.admin, officer, office=office)
    assert actions_of(officer, dossier["id"])["assignedOfficer"] is None  # nobody yet

    taken = ok(officer, TAKE, {"id": dossier["id"]})["takeDossier"]
    assert taken["assignedOfficer"] == "Agente Prise En Charge"
    assert actions_of(colleague, dossier["id"])["assignedOfficer"] == "Agente Prise En Charge"
    # The applicant's side never learns it (an organisation internal to customs).
    assert actions_of(company.admin, dossier["id"])["assignedOfficer"] is None
    # Another office does not even see the dossier.
    assert ok(other_office, ACTIONS, {"id": dossier["id"]})["dossier"] is None

    ok(colleague, TAKE, {"id": dossier["id"]})
    assert actions_of(officer, dossier["id"])["assignedOfficer"] == "Collègue Du Bureau"


# --- dashboard(taken:) ----------------------------------------------------------------------------------------------

TAKEN_DASHBOARD = DASHBOARD.replace("$after: String\n", "$after: String, $taken: TakenFilter!\n").replace(
    "after: $after\n", "after: $after, taken: $taken\n"
)


def taken_page(client: httpx.Client, bucket: str, taken: str, **filters) -> dict:
    variables = {"bucket": bucket, "sort": "UPDATED_DESC", "first": 100, "taken": taken, **filters}
    return ok(client, TAKEN_DASHBOARD, variables)["dashboard"]


def test_an_officer_filters_the_dashboard_by_who_took_the_dossiers(people):
    company = people.company(f"Filtre {uuid.uuid4().hex[:6]}")
    office = new_office()
    me = people.officer(office, "Moi")
    colleague = people.officer(office, "Collègue")
    mine = bring_to("SUBMITTED", company.admin, me, office=office)
    theirs = bring_to("ACCEPTED", company.admin, me, office=office)
    nobody = bring_to("SUBMITTED", company.admin, me, office=office)
    waiting = bring_to("COMPLEMENT_REQUESTED", company.admin, me, office=office)
    ok(me, TAKE, {"id": mine["id"]})
    ok(colleague, TAKE, {"id": theirs["id"]})

    def ids(page: dict) -> set[str]:
        return {item["dossier"]["id"] for item in page["items"]}

    everything = taken_page(me, "ALL", "ALL")
    assert ids(everything) == {mine["id"], theirs["id"], nobody["id"], waiting["id"]}
    assert everything == ok(me, DASHBOARD, {"bucket": "ALL", "sort": "UPDATED_DESC", "first": 100})["dashboard"]
    page = taken_page(me, "TODO", "MINE")
    assert ids(page) == {mine["id"]}
    assert page["counts"] == {"todo": 1, "waiting": 0}  # the counts follow the filter
    assert ids(taken_page(colleague, "TODO", "MINE")) == {theirs["id"]}
    page = taken_page(me, "ALL", "UNASSIGNED")
    assert ids(page) == {nobody["id"], waiting["id"]}
    assert page["counts"] == {"todo": 1, "waiting": 1}
    assert ids(taken_page(me, "WAITING", "UNASSIGNED")) == {waiting["id"]}


def test_operators_may_not_filter_on_who_took_their_dossiers(people):
    company = people.company(f"Refus {uuid.uuid4().hex[:6]}")
    for taken in ("MINE", "UNASSIGNED"):
        variables = {"bucket": "ALL", "sort": "UPDATED_DESC", "first": 5, "taken": taken}
        assert code_of(refused(company.admin, TAKEN_DASHBOARD, variables)) == "FORBIDDEN"
    assert taken_page(company.admin, "ALL", "ALL")["totalCount"] == 0  # ALL is everyone's default


def _office_of(officer: httpx.Client) -> str:
    return ok(officer, "{ me { customsOffice } }")["me"]["customsOffice"]


# --- Dossier.canSave, limits, the form's composite fields, the history's enums ------------------------------------

CAN_SAVE = "query($id: ID!) { dossier(id: $id) { editable canSave } }"
LIMITS = """
{ limits { messageMaxLength acceptanceDays complementDays decisionDays hearingDays attachmentMaxBytes } }
"""


def test_can_save_follows_the_status_and_the_readers_right(people):
    company = people.company(f"Sauvegarde {uuid.uuid4().hex[:6]}")
    officer = people.officer(new_office())
    draft_id = bring_to("DRAFT", company.admin, officer)["id"]
    consult, _ = people.member(company, "CONSULT")
    prepare, _ = people.member(company, "PREPARE")
    assert ok(company.admin, CAN_SAVE, {"id": draft_id})["dossier"] == {"editable": True, "canSave": True}
    assert ok(prepare, CAN_SAVE, {"id": draft_id})["dossier"] == {"editable": True, "canSave": True}
    assert ok(consult, CAN_SAVE, {"id": draft_id})["dossier"] == {"editable": True, "canSave": False}
    submitted = bring_to("SUBMITTED", company.admin, officer, office=_office_of(officer))
    assert ok(company.admin, CAN_SAVE, {"id": submitted["id"]})["dossier"] == {"editable": False, "canSave": False}
    assert ok(officer, CAN_SAVE, {"id": submitted["id"]})["dossier"] == {"editable": False, "canSave": False}
    waiting = bring_to("COMPLEMENT_REQUESTED", company.admin, officer, office=_office_of(officer))
    assert ok(company.admin, CAN_SAVE, {"id": waiting["id"]})["dossier"]["canSave"] is True
    # An officer never edits the applicant's form, even while a complement is awaited.
    assert ok(officer, CAN_SAVE, {"id": waiting["id"]})["dossier"] == {"editable": True, "canSave": False}


def test_the_limits_are_public_and_those_the_server_applies(live_server):
    from backend.config import get_settings
    from backend.dossiers.processing import MAX_MESSAGE

    settings = get_settings()
    with httpx.Client(base_url=live_server.url) as anonymous:
        limits = ok(anonymous, LIMITS)["limits"]
    assert limits == {
        "messageMaxLength": MAX_MESSAGE,
        "acceptanceDays": settings.acceptance_days,
        "complementDays": settings.complement_days,
        "decisionDays": settings.decision_days,
        "hearingDays": settings.hearing_days,
        "attachmentMaxBytes": settings.attachment_max_bytes,
    }


def test_a_message_one_character_longer_than_the_announced_limit_is_refused(people):
    company = people.company(f"Limite {uuid.uuid4().hex[:6]}")
    officer = people.officer(new_office())
    dossier_id = bring_to("DRAFT", company.admin, officer)["id"]
    limit = ok(company.admin, LIMITS)["limits"]["messageMaxLength"]
    comment = "mutation($d: ID!, $t: String!) { addComment(dossierId: $d, text: $t) { id } }"
    assert ok(company.admin, comment, {"d": dossier_id, "t": "x" * limit})["addComment"]["id"]
    assert code_of(refused(company.admin, comment, {"d": dossier_id, "t": "x" * (limit + 1)})) == "INVALID"


def test_the_storage_places_name_their_parts_in_the_form_model(live_server):
    part = "path label kind mandatory maxLength codeList parts { path }"
    fields_query = "{ procedures { code rubriques { fields { path kind parts { " + part + " } } } } }"
    with httpx.Client(base_url=live_server.url) as anonymous:
        procedures = ok(anonymous, fields_query)["procedures"]
    fields = [f for p in procedures for r in p["rubriques"] for f in r["fields"]]
    places = [f for f in fields if f["kind"] == "STORAGE_PLACES"]
    assert places and all(f["parts"] == places[0]["parts"] for f in places)
    parts = places[0]["parts"]
    assert [(p["path"], p["label"], p["mandatory"]) for p in parts] == [
        ("name", "Nom", True),
        ("country", "Pays", True),
        ("address", "Adresse", True),
        ("phone", "Téléphone", False),
        ("fax", "Fax", False),
        ("email", "Courriel", False),
    ]
    assert parts[1]["kind"] == "CODE" and parts[1]["codeList"] == "countries"
    assert parts[5]["kind"] == "EMAIL" and all(p["maxLength"] == 255 and p["parts"] == [] for p in parts)
    assert all(f["parts"] == [] for f in fields if f["kind"] != "STORAGE_PLACES")


def test_each_goods_kind_names_the_values_of_its_lines(live_server):
    query = "{ procedures { code goodsKinds { code fields { path label mandatory hint pattern maxLength } } } }"
    with httpx.Client(base_url=live_server.url) as anonymous:
        procedures = {p["code"]: p for p in ok(anonymous, query)["procedures"]}
    kinds = {(code, k["code"]): k["fields"] for code, p in procedures.items() for k in p["goodsKinds"]}
    assert all(
        [f["path"] for f in fields] == ["cnCode", "description", "quantity", "unit", "value"]
        for fields in kinds.values()
    )
    mandatory = {key: {f["path"] for f in fields if f["mandatory"]} for key, fields in kinds.items()}
    assert mandatory[("TEA", "GOODS")] == {"cnCode", "description", "quantity", "unit", "value"}
    assert mandatory[("IPO", "PROCESSED")] == {"cnCode", "description", "quantity", "unit"}
    assert mandatory[("OPO", "REPLACEMENT")] == {"cnCode", "description", "quantity", "unit"}
    cn = {key: fields[0] for key, fields in kinds.items()}
    assert cn[("TEA", "GOODS")]["hint"] == "8 chiffres." and cn[("TEA", "GOODS")]["pattern"] == "[0-9]{8}"
    assert cn[("IPO", "GOODS")]["hint"] == (
        "8 chiffres (les 4 chiffres de la position SH sont admis en perfectionnement)."
    )
    assert cn[("OPO", "REPLACEMENT")]["hint"] == "8 chiffres."
    assert kinds[("TEA", "GOODS")][1]["maxLength"] == 1000


def test_the_attachment_policy_names_the_accepted_formats(live_server):
    with httpx.Client(base_url=live_server.url) as anonymous:
        policy = ok(anonymous, "{ attachmentPolicy { formats extensions } }")["attachmentPolicy"]
    assert policy["formats"] == ["PDF", "images (PNG, JPEG, TIFF)", "Word", "Excel", "OpenDocument"]
    assert {"pdf", "jpeg", "odt"} <= set(policy["extensions"])


def test_the_history_names_kinds_sides_and_statuses_by_the_schemas_enums(people):
    company = people.company(f"Historique {uuid.uuid4().hex[:6]}")
    officer = people.officer(new_office())
    dossier = bring_to("COMPLEMENT_REQUESTED", company.admin, officer, office=_office_of(officer))
    history = "query($id: ID!) { dossier(id: $id) { history { kind actorSide fromStatus toStatus } } }"
    steps = ok(company.admin, history, {"id": dossier["id"]})["dossier"]["history"]
    assert steps == [
        {"kind": "CREATED", "actorSide": "APPLICANT", "fromStatus": None, "toStatus": "DRAFT"},
        {"kind": "SUBMITTED", "actorSide": "APPLICANT", "fromStatus": "DRAFT", "toStatus": "SUBMITTED"},
        {
            "kind": "REQUEST_COMPLEMENT",
            "actorSide": "CUSTOMS",
            "fromStatus": "SUBMITTED",
            "toStatus": "COMPLEMENT_REQUESTED",
        },
    ]
