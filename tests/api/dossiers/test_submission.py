"""Submitting: refused while problems remain, then no longer editable; never without goods."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from backend.dossiers.catalogue import Procedure
from tests.api.dossiers.support import (
    ADD_LINE,
    PDF,
    REMOVE_LINE,
    SUBMIT,
    UPDATE,
    UPDATE_LINE,
    complete,
    create,
    get,
    problems,
    upload,
    upload_refused,
)
from tests.processing_support import code_of, ok, refused

# --- submit ---------------------------------------------------------------------------------------------------------


def test_submit_is_refused_while_problems_remain(sophie):
    dossier = create(sophie, "OPO")
    error = refused(sophie, SUBMIT, {"id": dossier["id"], "version": 1})
    assert code_of(error) == "DOSSIER_HAS_PROBLEMS"
    listed = {(p["path"], p["code"]) for p in error["extensions"]["problems"]}
    assert listed == problems(sophie, dossier["id"])
    assert ("goods.processed", "PROCESSED_REQUIRED") in listed
    assert all(p["message"] for p in error["extensions"]["problems"])
    assert "Contrôler" in error["message"]
    after = get(sophie, dossier["id"])
    assert after["status"] == "DRAFT" and after["version"] == 1


@pytest.mark.parametrize("procedure", [p.value for p in Procedure])
def test_a_complete_dossier_is_submitted_and_can_no_longer_be_edited(sophie, procedure):
    dossier = complete(sophie, procedure)
    submitted = ok(sophie, SUBMIT, {"id": dossier["id"], "version": dossier["version"]})["submitDossier"]
    assert submitted["status"] == "SUBMITTED" and submitted["statusLabel"] == "déposé"
    assert submitted["editable"] is False
    assert submitted["version"] == dossier["version"] + 1
    assert submitted["submittedAt"]
    last = submitted["history"][-1]
    assert last == {
        "kind": "SUBMITTED",
        "label": "Dossier déposé",
        "actorName": "Sophie Moreau",
        "fromStatus": "DRAFT",
        "toStatus": "SUBMITTED",
    }
    assert get(sophie, dossier["id"])["customsOffice"] == "FR000690"
    by_status = "query($s: [DossierStatus!]) { dossiers(statuses: $s, first: 200) { dossier { id status } } }"
    submitted_ids = {d["dossier"]["id"] for d in ok(sophie, by_status, {"s": ["SUBMITTED"]})["dossiers"]}
    draft_ids = {d["dossier"]["id"] for d in ok(sophie, by_status, {"s": ["DRAFT"]})["dossiers"]}
    assert dossier["id"] in submitted_ids and dossier["id"] not in draft_ids
    version = submitted["version"]
    for query, variables in (
        (UPDATE, {"id": dossier["id"], "version": version, "changes": {"applicant.contactName": "X"}}),
        (SUBMIT, {"id": dossier["id"], "version": version}),
        (ADD_LINE, {"dossierId": dossier["id"], "kind": "GOODS", "input": {"cnCode": "84821010"}}),
        (
            UPDATE_LINE,
            {"id": dossier["goods"][0]["id"], "input": {"description": "X"}},
        ),
        (REMOVE_LINE, {"id": dossier["goods"][0]["id"]}),
    ):
        error = refused(sophie, query, variables)
        assert code_of(error) == "NOT_EDITABLE", (query, error)
        assert "déposé" in error["message"]
    error = upload_refused(upload(sophie, dossier["id"], "tardif.pdf", PDF))
    assert code_of(error) == "NOT_EDITABLE"
    assert get(sophie, dossier["id"])["version"] == version


async def test_a_goods_line_removed_during_the_submit_never_leaves_a_submitted_dossier_without_goods(sophie):
    """Valider checks the goods lines, then changes the status; removing the only goods line at that moment must
    either be refused (the dossier is déposé) or make the submit fail: never both succeed. Ten rounds."""

    async def post(query: str, variables: dict) -> dict:
        async with httpx.AsyncClient(base_url=str(sophie.base_url), cookies=sophie.cookies, timeout=30) as twin:
            response = await twin.post("/graphql", json={"query": query, "variables": variables})
        assert response.status_code == 200, response.text
        return response.json()

    outcomes = []
    for _ in range(10):
        dossier = complete(sophie, "TEA")
        (line,) = dossier["goods"]
        submitted, removed = await asyncio.gather(
            post(SUBMIT, {"id": dossier["id"], "version": dossier["version"]}),
            post(REMOVE_LINE, {"id": line["id"]}),
        )
        after = get(sophie, dossier["id"])
        outcomes.append(
            (not submitted.get("errors"), not removed.get("errors"), after["status"], len(after["goods"]))
        )
    allowed = {(True, False, "SUBMITTED", 1), (False, True, "DRAFT", 0)}
    # (submit succeeded?, removal succeeded?, final status, goods lines left)
    assert set(outcomes) <= allowed, outcomes
