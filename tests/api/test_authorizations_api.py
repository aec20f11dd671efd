"""Issued authorisations over GraphQL and HTTP (issue 11), against the live portal with the demo users: Sophie Moreau
(submit right on Ateliers Durand), Paul Lefèvre (consult), Claire Bernard (officer of FR000690, the office the
dossiers go to), Hugo Lambert (officer of another office); fresh operators (`people.company()`) where a test counts.

The grant with its terms (`grantDossier`), who sees the authorisation (`authorizations`, `authorization`, `node`),
the list's filters, sort and paging, the PDF route, the customs measures and the history they write."""

from __future__ import annotations

import datetime as dt
import io
from urllib.parse import unquote

import httpx
import pypdf
import pytest

from backend.authorizations.rules import add_years
from backend.clock import paris_today
from tests.processing_support import (
    act,
    act_refused,
    bring_to,
    code_of,
    filed,
    get,
    global_id,
    numeric_id,
    ok,
    refused,
)

AUTHORIZATION = """
    id reference procedureCode customsOffice validFrom validUntil currentVersionNumber
    state stateLabel measures suspendedFrom suspendedUntil revokedFrom annulledOn
    operator { id legalName }
"""
VERSION = "number kind validFrom validUntil conditions pdfUrl sections { title entries { key label value } }"
GRANT = f"""
mutation Grant($input: GrantDossierInput!) {{
  grantDossier(input: $input) {{
    dossier {{ id reference status history {{ kind actorName message }} }}
    authorization {{ {AUTHORIZATION} currentVersion {{ {VERSION} }} }}
  }}
}}"""
LIST = f"""
query List(
  $states: [AuthorizationState!], $procedures: [ProcedureCode!], $expiresWithinDays: Int, $search: String,
  $sort: AuthorizationSort! = VALID_UNTIL, $first: Int! = 20, $after: String, $toRenew: Boolean! = false,
  $toAnswer: Boolean! = false, $toDecide: Boolean! = false
) {{
  authorizations(
    states: $states, procedures: $procedures, expiresWithinDays: $expiresWithinDays, search: $search, sort: $sort,
    first: $first, after: $after, toRenew: $toRenew, toAnswer: $toAnswer, toDecide: $toDecide
  ) {{ totalCount hasNextPage endCursor items {{ {AUTHORIZATION} }} }}
}}"""
ONE = f"""
query One($id: ID!) {{
  authorization(id: $id) {{
    {AUTHORIZATION}
    history {{ id kind label actor message version at }}
    currentVersion {{ number pdfUrl diff {{ key label before after }} }}
  }}
}}"""
NODE = "query Node($id: ID!) { node(id: $id) { id ... on Authorization { reference } } }"
SUSPEND = f"""
mutation Suspend($input: SuspendAuthorizationInput!) {{ suspendAuthorization(input: $input) {{ {AUTHORIZATION} }} }}
"""
LIFT = f"""
mutation Lift($id: ID!, $reason: String!) {{ liftAuthorizationSuspension(id: $id, reason: $reason) {{ {AUTHORIZATION} }} }}
"""
REVOKE = f"""
mutation Revoke($id: ID!, $reason: String!, $effective: Date) {{
  revokeAuthorization(id: $id, reason: $reason, effective: $effective) {{ {AUTHORIZATION} }}
}}"""
NOTIFY = f"""
mutation Notify($id: ID!, $measure: AdverseMeasure!, $reason: String!) {{
  notifyIntendedAuthorizationMeasure(id: $id, measure: $measure, reason: $reason) {{ {AUTHORIZATION} }}
}}"""
ANSWER = f"""
mutation Answer($id: ID!, $observations: String!) {{
  answerAuthorizationHearing(id: $id, observations: $observations) {{ {AUTHORIZATION} }}
}}"""
ASK = """
mutation Ask($id: ID!, $kind: HolderRequestKind!, $reason: String!) {
  askCustomsAboutAuthorization(id: $id, kind: $kind, reason: $reason) { id holderRequest }
}"""
DURAND = "55210055400013"  # Ateliers Durand's SIRET in the demo data
CONDITIONS = "Comptabilité matières tenue à jour et présentée à toute demande du service."


def today() -> dt.date:
    return paris_today()


def grant_terms(dossier_id: str, *, years: int | None = 2, **more) -> dict:
    """grantDossier's input: from today for `years` (None: no end date)."""
    start = today()
    terms: dict = {"dossierId": dossier_id, "validFrom": start.isoformat(), "conditions": CONDITIONS, **more}
    if years is not None:
        terms["validUntil"] = (add_years(start, years) - dt.timedelta(days=1)).isoformat()
    return terms


def granted(client: httpx.Client, dossier: dict, **terms) -> dict:
    """The authorisation claire (or `client`) issues by granting `dossier`."""
    return ok(client, GRANT, {"input": grant_terms(dossier["id"], **terms)})["grantDossier"]["authorization"]


@pytest.fixture(scope="module")
def durand(sophie, claire) -> dict:
    """One authorisation of Ateliers Durand (Sophie's dossier, granted by Claire), shared by the reading tests."""
    return granted(claire, bring_to("ACCEPTED", sophie, claire))


def listed(client: httpx.Client, **variables) -> dict:
    return ok(client, LIST, variables)["authorizations"]


def one(client: httpx.Client, authorization_id: str) -> dict | None:
    return ok(client, ONE, {"id": authorization_id})["authorization"]


# --- the grant -------------------------------------------------------------------------------------------------------


def test_claire_grants_an_accepted_dossier_and_the_authorisation_is_issued_with_version_1(sophie, claire):
    dossier = bring_to("ACCEPTED", sophie, claire)
    variables = grant_terms(dossier["id"])
    payload = ok(claire, GRANT, {"input": variables})["grantDossier"]
    assert payload["dossier"]["status"] == "GRANTED"
    authorization = payload["authorization"]
    number = numeric_id(authorization["id"])
    assert authorization["reference"] == f"FRTEA{number:06d}"
    assert authorization["reference"].startswith("FRTEA")
    assert (authorization["validFrom"], authorization["validUntil"]) == (
        variables["validFrom"],
        variables["validUntil"],
    )
    assert (authorization["state"], authorization["stateLabel"], authorization["measures"]) == (
        "ACTIVE",
        "en vigueur",
        [],
    )
    assert authorization["procedureCode"] == "TEA" and authorization["customsOffice"] == "FR000690"
    holder = ok(sophie, "{ me { operators { operator { id siret } } } }")["me"]["operators"]
    assert authorization["operator"]["id"] in [
        o["operator"]["id"] for o in holder if o["operator"]["siret"] == DURAND
    ]
    version = authorization["currentVersion"]
    assert version["number"] == 1 and version["kind"] == "ISSUE"
    assert version["pdfUrl"] == f"/files/autorisations/{number}/version-1.pdf"
    shown = {e["label"]: e["value"] for s in version["sections"] for e in s["entries"]}
    assert shown["Conditions fixées par la douane"] == CONDITIONS
    until = dt.date.fromisoformat(variables["validUntil"])
    assert shown["Validité"] == f"Valable du {today():%d/%m/%Y} au {until:%d/%m/%Y}"
    assert all(s["title"] and s["entries"] for s in version["sections"])
    last = payload["dossier"]["history"][-1]
    assert (last["kind"], last["actorName"]) == ("GRANT", "Claire Bernard")
    assert last["message"] == (
        f"Autorisation {authorization['reference']} délivrée, valable du {today():%d/%m/%Y} au {until:%d/%m/%Y}."
    )
    assert get(sophie, dossier["id"])["history"][-1]["message"] == last["message"]


def _accepted(sophie, claire, procedure: str) -> dict:
    return act(claire, filed(sophie, procedure)["id"], "ACCEPT")


@pytest.mark.parametrize(
    ("procedure", "terms", "fields", "words"),
    [
        (
            "TEA",
            {"validFrom": -1, "validUntil": -10},
            ["validFrom", "validUntil"],
            ["avant le jour de la décision", "doit suivre la date de début"],
        ),
        ("TEA", {"validFrom": 10, "validUntil": 5}, ["validUntil"], ["doit suivre la date de début"]),
        ("IPO", {"validFrom": 0, "years": 6}, ["validUntil"], ["limitée à 5 ans (AD CDU, art. 173)"]),
        ("CW", {"validFrom": 0, "validUntil": 365}, ["validUntil"], ["pas limité dans le temps"]),
    ],
    ids=["TEA-start-yesterday-end-before", "TEA-end-before-start", "IPO-six-years", "CW-with-an-end"],
)
def test_a_grant_with_bad_terms_lists_every_field_in_french_and_the_dossier_stays_accepted(
    sophie, claire, procedure, terms, fields, words
):
    dossier = _accepted(sophie, claire, procedure)
    start = today() + dt.timedelta(days=terms["validFrom"])
    variables = {"dossierId": dossier["id"], "validFrom": start.isoformat()}
    if "years" in terms:
        variables["validUntil"] = (add_years(start, terms["years"]) - dt.timedelta(days=1)).isoformat()
    else:
        variables["validUntil"] = (today() + dt.timedelta(days=terms["validUntil"])).isoformat()
    error = refused(claire, GRANT, {"input": variables})
    assert code_of(error) == "INVALID"
    listed_fields = error["extensions"]["fields"]
    assert [f["field"] for f in listed_fields] == fields
    for entry, word in zip(listed_fields, words, strict=True):
        assert word in entry["message"], entry
    assert error["message"] == listed_fields[0]["message"] and error["extensions"]["field"] == fields[0]
    if procedure == "IPO":
        last = add_years(start, 5) - dt.timedelta(days=1)
        assert listed_fields[0]["message"].endswith(f"au plus tard le {last:%d/%m/%Y}.")
    after = get(sophie, dossier["id"])
    assert after["status"] == "ACCEPTED"
    assert [e["kind"] for e in after["history"]][-1] == "ACCEPT"


def test_act_on_dossier_grant_without_terms_is_refused_for_a_time_limited_procedure(sophie, claire):
    dossier = bring_to("ACCEPTED", sophie, claire)
    error = act_refused(claire, dossier["id"], "GRANT")
    assert code_of(error) == "INVALID"
    assert error["extensions"]["fields"] == [
        {"field": "validUntil", "message": "Indiquez la date de fin de validité."}
    ]
    assert get(sophie, dossier["id"])["status"] == "ACCEPTED"


# --- who sees it -----------------------------------------------------------------------------------------------------


def test_the_holders_users_and_the_issuing_office_see_the_authorisation(sophie, paul, claire, durand):
    for client in (sophie, paul, claire):
        page = listed(client, search=durand["reference"])
        assert [a["id"] for a in page["items"]] == [durand["id"]] and page["totalCount"] == 1
        assert one(client, durand["id"])["reference"] == durand["reference"]
    assert ok(claire, NODE, {"id": durand["id"]})["node"] == {"id": durand["id"], "reference": durand["reference"]}
    assert ok(sophie, NODE, {"id": durand["id"]})["node"]["reference"] == durand["reference"]


def test_another_office_and_another_operator_do_not_see_the_authorisation(people, hugo, durand):
    stranger = people.company().admin
    for client in (hugo, stranger):
        page = listed(client, search=durand["reference"])
        assert (page["items"], page["totalCount"]) == ([], 0)
        assert one(client, durand["id"]) is None
        assert ok(client, NODE, {"id": durand["id"]})["node"] is None


def test_an_unknown_or_malformed_id_is_null(claire):
    for unknown in (global_id("Authorization", 999_999_999), global_id("Dossier", 1), "pas-un-identifiant"):
        assert one(claire, unknown) is None


def heard(officer, holder, authorization_id: str, measure: str) -> None:
    """Customs notify the measure they intend; the holder presents observations: the measure may be decided."""
    ok(officer, NOTIFY, {"id": authorization_id, "measure": measure, "reason": "Mesure envisagée."})
    ok(holder, ANSWER, {"id": authorization_id, "observations": "Observations du titulaire."})


def test_the_list_filters_by_state_expiry_and_procedure_sorts_and_pages(people, claire):
    """A fresh operator's three authorisations: two years (A), 60 days (B), a customs warehouse with no end (C),
    C suspended. Its administrator sees exactly these."""
    company = people.company()
    admin = company.admin
    a = granted(claire, act(claire, filed(admin, "TEA")["id"], "ACCEPT"), years=2)
    b_until = (today() + dt.timedelta(days=60)).isoformat()
    b = granted(claire, act(claire, filed(admin, "TEA")["id"], "ACCEPT"), years=None, validUntil=b_until)
    c = granted(claire, act(claire, filed(admin, "CW")["id"], "ACCEPT"), years=None)
    assert c["validUntil"] is None and c["reference"].startswith("FRCW")
    ok(admin, ASK, {"id": c["id"], "kind": "SUSPEND", "reason": "Travaux."})
    ok(claire, SUSPEND, {"input": {"authorizationId": c["id"], "case": "HOLDER_REQUEST", "reason": "Demande."}})

    def ids(**variables) -> list[str]:
        return [item["id"] for item in listed(admin, **variables)["items"]]

    assert ids() == [b["id"], a["id"], c["id"]]  # the soonest end first, not time-limited last
    assert ids(states=["ACTIVE"]) == [b["id"], a["id"]]
    assert ids(states=["SUSPENDED"]) == [c["id"]]
    assert ids(states=["ACTIVE", "SUSPENDED"]) == [b["id"], a["id"], c["id"]]
    assert ids(states=["REVOKED"]) == []
    assert ids(expiresWithinDays=90) == [b["id"]]
    assert ids(expiresWithinDays=59) == []
    assert ids(procedures=["CW"]) == [c["id"]]
    assert ids(procedures=["TEA"], states=["ACTIVE"], expiresWithinDays=1000) == [b["id"], a["id"]]
    by_reference = sorted([a, b, c], key=lambda x: x["reference"])
    assert ids(sort="REFERENCE") == [x["id"] for x in by_reference]
    assert ids(sort="ISSUED_DESC") == [c["id"], b["id"], a["id"]]
    assert ids(search=company.name) == [b["id"], a["id"], c["id"]]
    first = listed(admin, first=2)
    assert (first["totalCount"], first["hasNextPage"]) == (3, True) and first["endCursor"]
    assert [x["id"] for x in first["items"]] == [b["id"], a["id"]]
    rest = listed(admin, first=2, after=first["endCursor"])
    assert [x["id"] for x in rest["items"]] == [c["id"]]
    assert (rest["totalCount"], rest["hasNextPage"], rest["endCursor"]) == (3, False, None)
    bad = refused(admin, LIST, {"expiresWithinDays": -1})
    assert code_of(bad) == "INVALID" and bad["extensions"]["field"] == "expiresWithinDays"


def test_what_is_to_do_on_each_side_renew_answer_customs_or_decide(people, claire):
    """« À traiter »: the holder renews B (in its window) and answers customs on A (a measure intended); customs
    decide once the holder was heard on A, or when the holder asks for a measure on B."""
    company = people.company()
    admin = company.admin
    a = granted(claire, act(claire, filed(admin, "TEA")["id"], "ACCEPT"), years=2)
    b_until = (today() + dt.timedelta(days=60)).isoformat()
    b = granted(claire, act(claire, filed(admin, "TEA")["id"], "ACCEPT"), years=None, validUntil=b_until)

    def ids(client, **variables) -> list[str]:
        mine = {a["id"], b["id"]}
        return [item["id"] for item in listed(client, first=100, **variables)["items"] if item["id"] in mine]

    assert ids(admin, toRenew=True) == [b["id"]]
    assert ids(admin, toAnswer=True) == [] and ids(claire, toDecide=True) == []
    ok(claire, NOTIFY, {"id": a["id"], "measure": "REVOKE", "reason": "Garantie échue."})
    assert ids(admin, toAnswer=True) == [a["id"]]
    assert ids(claire, toDecide=True) == []  # the holder's time runs: nothing to decide yet
    assert ids(admin, toDecide=True) == []  # a customs list only
    ok(admin, ANSWER, {"id": a["id"], "observations": "La garantie est renouvelée."})
    assert ids(admin, toAnswer=True) == []
    assert ids(claire, toDecide=True) == [a["id"]]
    ok(admin, ASK, {"id": b["id"], "kind": "SUSPEND", "reason": "Travaux."})
    assert ids(claire, toDecide=True) == [b["id"], a["id"]]
    ok(claire, REVOKE, {"id": a["id"], "reason": "Garantie non renouvelée."})
    assert ids(claire, toDecide=True) == [b["id"]]  # decided: no longer to do


# --- the PDF ---------------------------------------------------------------------------------------------------------


def test_the_pdf_is_served_to_the_holder_and_is_404_for_another_office_and_anonymous(
    live_server, sophie, paul, hugo, durand
):
    url = one(sophie, durand["id"])["currentVersion"]["pdfUrl"]
    for client in (sophie, paul):
        response = client.get(url)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "application/pdf"
        disposition = response.headers["content-disposition"]
        assert disposition.startswith("attachment;")
        assert unquote(disposition).endswith(f"autorisation-{durand['reference']}-v1.pdf")
        assert response.headers["cache-control"] == "private, no-store"
        text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages)
        assert durand["reference"] in text
    assert sophie.get(url.replace("version-1", "version-2")).status_code == 404
    assert hugo.get(url).status_code == 404
    with httpx.Client(base_url=live_server.url) as anonymous:
        response = anonymous.get(url)
    assert response.status_code == 404 and "application/pdf" not in response.headers["content-type"]


# --- measures --------------------------------------------------------------------------------------------------------


def test_claire_suspends_lifts_and_revokes_with_a_deferred_date_and_the_history_follows(sophie, claire):
    authorization = granted(claire, bring_to("ACCEPTED", sophie, claire))
    target = authorization["id"]
    heard(claire, sophie, target, "SUSPEND")
    suspended = ok(
        claire,
        SUSPEND,
        {
            "input": {
                "authorizationId": target,
                "case": "CONDITIONS_NOT_MET",
                "reason": "Les relevés trimestriels manquent.",
            }
        },
    )["suspendAuthorization"]
    day = today()
    assert (suspended["state"], suspended["suspendedFrom"], suspended["suspendedUntil"]) == (
        "SUSPENDED",
        day.isoformat(),
        None,
    )
    assert suspended["measures"] == [f"Suspendue du {day:%d/%m/%Y}."]
    assert one(sophie, target)["state"] == "SUSPENDED"  # the holder reads it too
    lifted = ok(claire, LIFT, {"id": target, "reason": "Relevés reçus."})["liftAuthorizationSuspension"]
    assert (lifted["state"], lifted["suspendedFrom"], lifted["measures"]) == ("ACTIVE", None, [])
    effective = day + dt.timedelta(days=30)
    heard(claire, sophie, target, "REVOKE")
    revoked = ok(
        claire, REVOKE, {"id": target, "reason": "Conditions non remplies.", "effective": effective.isoformat()}
    )["revokeAuthorization"]
    assert (revoked["state"], revoked["revokedFrom"]) == ("ACTIVE", effective.isoformat())
    assert revoked["measures"] == [f"Révocation prévue à compter du {effective:%d/%m/%Y}."]
    history = one(sophie, target)["history"]
    assert [(h["kind"], h["actor"], h["version"]) for h in history] == [
        ("issued", "Claire Bernard", 1),
        ("hearing_opened", "Claire Bernard", 1),
        ("observations", "Sophie Moreau", 1),
        ("suspended", "Claire Bernard", 1),
        ("suspension_lifted", "Claire Bernard", 1),
        ("hearing_opened", "Claire Bernard", 1),
        ("observations", "Sophie Moreau", 1),
        ("revoked", "Claire Bernard", 1),
    ]
    assert [*[h["label"] for h in history][3:5], history[-1]["label"]] == [
        "Autorisation suspendue",
        "Suspension levée",
        "Autorisation révoquée",
    ]
    assert history[1]["label"] == "Mesure envisagée : droit d'être entendu"
    assert "La douane envisage la suspension" in history[1]["message"]
    assert history[2]["message"] == "Observations du titulaire."
    assert "Les relevés trimestriels manquent." in history[3]["message"]
    assert history[4]["message"] == "Motif : Relevés reçus."
    assert history[-1]["message"] == f"Effet reporté au {effective:%d/%m/%Y}. Motif : Conditions non remplies."
    ats = [h["at"] for h in history]
    assert ats == sorted(ats)
    assert [int(h["id"]) for h in history] == sorted(int(h["id"]) for h in history)


def test_only_the_issuing_office_takes_a_measure_and_a_reason_is_required(sophie, claire, hugo, durand):
    before = one(claire, durand["id"])
    suspend = {"authorizationId": durand["id"], "case": "GROUNDS_EXAMINED", "reason": "Motif."}
    error = refused(sophie, SUSPEND, {"input": suspend})
    assert code_of(error) == "FORBIDDEN" and "bureau de douane" in error["message"]
    error = refused(hugo, SUSPEND, {"input": suspend})
    assert (code_of(error), error["message"]) == ("NOT_FOUND", "Autorisation introuvable.")
    error = refused(claire, SUSPEND, {"input": suspend})  # the holder has not been heard
    assert code_of(error) == "FORBIDDEN_TRANSITION" and "notifiez la mesure envisagée" in error["message"]
    error = refused(claire, NOTIFY, {"id": durand["id"], "measure": "SUSPEND", "reason": "   "})
    assert code_of(error) == "INVALID" and error["extensions"]["field"] == "reason"
    assert [f["field"] for f in error["extensions"]["fields"]] == ["reason"]
    assert error["message"].startswith("Indiquez le motif")
    error = refused(claire, NOTIFY, {"id": durand["id"], "measure": "REVOKE", "reason": ""})
    assert code_of(error) == "INVALID" and error["extensions"]["field"] == "reason"
    error = refused(sophie, NOTIFY, {"id": durand["id"], "measure": "REVOKE", "reason": "Motif."})
    assert code_of(error) == "FORBIDDEN"
    error = refused(claire, LIFT, {"id": durand["id"], "reason": "Rien à lever."})
    assert code_of(error) == "FORBIDDEN_TRANSITION"
    assert one(claire, durand["id"]) == before  # state, measures, history: unchanged


def test_a_revocation_deferred_beyond_a_year_is_refused_naming_the_last_day(sophie, claire):
    authorization = granted(claire, bring_to("ACCEPTED", sophie, claire))
    last = add_years(today(), 1)
    too_late = last + dt.timedelta(days=1)
    heard(claire, sophie, authorization["id"], "REVOKE")
    error = refused(
        claire, REVOKE, {"id": authorization["id"], "reason": "Motif.", "effective": too_late.isoformat()}
    )
    assert code_of(error) == "INVALID" and error["extensions"]["field"] == "effective"
    assert f"au plus tard le {last:%d/%m/%Y}" in error["message"]
    assert one(claire, authorization["id"])["revokedFrom"] is None


# --- versions --------------------------------------------------------------------------------------------------------


def test_the_diff_of_version_1_is_empty(sophie, durand):
    version = one(sophie, durand["id"])["currentVersion"]
    assert (version["number"], version["diff"]) == (1, [])
