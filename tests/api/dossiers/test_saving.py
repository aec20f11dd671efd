"""Saving a draft: a malformed value refused (nothing saved), an incomplete one kept, optimistic concurrency."""

from __future__ import annotations

import asyncio
import threading

import httpx
import pytest

from backend.dossiers.catalogue import Procedure
from tests.api.dossiers.support import (
    CHECK,
    KARIM,
    SOPHIE,
    SUBMIT,
    UPDATE,
    complete,
    create,
    get,
    problems,
    update,
)
from tests.processing_support import call, code_of, ok, refused

# --- save: malformed refused, incomplete kept ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("procedure", "changes", "field"),
    [
        ("TEA", {"misc.dischargePeriodMonths": "abc"}, "misc.dischargePeriodMonths"),
        ("TEA", {"validation.date": "31/12/2026"}, "validation.date"),
        ("TEA", {"applicant.applicationType": "PREMIERE"}, "applicant.applicationType"),
        ("TEA", {"applicant.contactEmail": "sophie"}, "applicant.contactEmail"),
        ("IPO", {"specific.economicConditions": "02"}, "specific.economicConditions"),
        ("IPO", {"specific.priorExport": "peut-être"}, "specific.priorExport"),
        (
            "CW",
            {"specific.storagePlaces": [{"name": "Quai", "email": "pas-une-adresse"}]},
            "specific.storagePlaces.0.email",
        ),
        ("CW", {"specific.storagePlaces": [{"name": "Quai", "surface": "200"}]}, "specific.storagePlaces.0"),
        ("TEA", {"specific.warehouseType": "PUBLIC_1"}, "specific.warehouseType"),
        # One good value with one bad one: nothing of the batch is saved.
        (
            "TEA",
            {"applicant.contactName": "Sophie Moreau", "misc.dischargePeriodMonths": "douze"},
            "misc.dischargePeriodMonths",
        ),
    ],
)
def test_a_malformed_value_is_refused_and_nothing_is_saved(sophie, procedure, changes, field):
    dossier = create(sophie, procedure)
    error = refused(sophie, UPDATE, {"id": dossier["id"], "version": 1, "changes": changes})
    assert code_of(error) == "INVALID_VALUE"
    assert error["extensions"]["field"] == field
    assert error["message"]
    after = get(sophie, dossier["id"])
    assert after["version"] == 1
    assert after["answers"] == dossier["answers"]


def test_changes_must_be_an_object(sophie):
    dossier = create(sophie, "TEA")
    error = refused(sophie, UPDATE, {"id": dossier["id"], "version": 1, "changes": ["applicant.name"]})
    assert code_of(error) == "INVALID_VALUE"
    assert get(sophie, dossier["id"])["version"] == 1


def test_incomplete_values_are_kept_and_reported_by_check(sophie):
    dossier = create(sophie, "IPO")
    saved = update(
        sophie,
        dossier,
        {
            "applicant.contactName": "Sophie Moreau",
            "misc.dischargePeriodMonths": "6",
            "specific.priorExport": "oui",
            "specific.economicConditions": ["02", "22"],
            "applicant.contactEmail": "",
        },
    )
    assert saved["version"] == 2
    assert saved["answers"]["misc.dischargePeriodMonths"] == 6
    assert saved["answers"]["specific.priorExport"] is True
    assert saved["answers"]["specific.economicConditions"] == ["02", "22"]
    assert "applicant.contactEmail" not in saved["answers"]
    found = problems(sophie, dossier["id"])
    assert ("applicant.contactEmail", "REQUIRED") in found
    assert ("specific.importPeriodMonths", "REQUIRED") in found
    # null (or an empty value) clears a field.
    cleared = update(sophie, saved, {"applicant.contactName": None, "specific.economicConditions": []})
    assert "applicant.contactName" not in cleared["answers"]
    assert "specific.economicConditions" not in cleared["answers"]
    assert cleared["version"] == 3


def test_check_lists_the_problems_without_saving(sophie):
    dossier = create(sophie, "TEA")
    before = get(sophie, dossier["id"])
    result = ok(sophie, CHECK, {"id": dossier["id"]})["checkDossier"]
    assert result["ok"] is False
    for problem in result["problems"]:
        assert set(problem) == {"path", "code", "message"}
        assert problem["message"]
    found = {(p["path"], p["code"]) for p in result["problems"]}
    assert ("goods.lines", "GOODS_REQUIRED") in found
    assert ("applicant.contactName", "REQUIRED") in found
    messages = {p["path"]: p["message"] for p in result["problems"]}
    assert messages["applicant.contactName"] == "« Personne à contacter » est obligatoire."
    after = get(sophie, dossier["id"])
    assert after["version"] == before["version"] == 1
    assert after["answers"] == before["answers"]
    assert {(p["path"], p["code"]) for p in after["problems"]} == found


@pytest.mark.parametrize("procedure", [p.value for p in Procedure])
def test_a_complete_dossier_has_no_problem(sophie, procedure):
    dossier = complete(sophie, procedure)
    assert problems(sophie, dossier["id"]) == set()


# --- optimistic concurrency --------------------------------------------------------------------------------------


def test_a_stale_save_gets_a_conflict_naming_who_saved(sophie, karim):
    dossier = create(sophie, "TEA")
    mine = update(
        sophie, dossier, {"applicant.contactName": "Sophie Moreau", "applicant.contactPhone": "0472000000"}
    )
    assert mine["version"] == 2
    error = refused(
        karim, UPDATE, {"id": dossier["id"], "version": 1, "changes": {"applicant.contactName": "Karim Benali"}}
    )
    assert code_of(error) == "CONFLICT"
    assert error["extensions"]["field"] == "version"
    assert "Sophie Moreau" in error["message"]
    assert "version 2" in error["message"]
    after = get(sophie, dossier["id"])
    assert after["version"] == 2
    assert after["answers"]["applicant.contactName"] == "Sophie Moreau"
    assert after["answers"]["applicant.contactPhone"] == "0472000000"
    assert after["updatedBy"] == "Sophie Moreau"
    # Reloaded, the second person's save goes through.
    theirs = update(karim, after, {"applicant.contactName": "Karim Benali"})
    assert theirs["version"] == 3 and theirs["answers"]["applicant.contactPhone"] == "0472000000"
    # And now Sophie's stale version is refused with Karim's name.
    error = refused(sophie, UPDATE, {"id": dossier["id"], "version": 2, "changes": {"applicant.contactName": "X"}})
    assert code_of(error) == "CONFLICT" and "Karim Benali" in error["message"]


def test_a_stale_submit_gets_a_conflict(sophie):
    dossier = complete(sophie, "TEA")
    error = refused(sophie, SUBMIT, {"id": dossier["id"], "version": dossier["version"] - 1})
    assert code_of(error) == "CONFLICT"
    assert get(sophie, dossier["id"])["status"] == "DRAFT"


NAMES = {SOPHIE: "Sophie Moreau", KARIM: "Karim Benali"}


def _race_outcome(dossier_id: str, results: dict[str, dict], final: dict) -> None:
    winners = [who for who, body in results.items() if not body.get("errors")]
    losers = [who for who, body in results.items() if body.get("errors")]
    assert len(winners) == 1 and len(losers) == 1, results
    (winner,), (loser,) = winners, losers
    error = results[loser]["errors"][0]
    assert code_of(error) == "CONFLICT", error
    assert NAMES[winner] in error["message"], error["message"]
    assert final["version"] == 2
    assert final["answers"]["applicant.contactName"] == NAMES[winner]
    assert final["answers"]["misc.additionalInformation"] == f"saisi par {NAMES[winner]}"
    assert final["updatedBy"] == NAMES[winner]


def _race_changes(who: str) -> dict:
    return {"applicant.contactName": NAMES[who], "misc.additionalInformation": f"saisi par {NAMES[who]}"}


@pytest.mark.parametrize("round_", range(4))
def test_two_simultaneous_saves_of_the_same_version_threads(sophie, karim, round_):
    dossier = create(sophie, "TEA")
    clients = {SOPHIE: sophie, KARIM: karim}
    barrier = threading.Barrier(len(clients))
    results: dict[str, dict] = {}

    def save(who: str) -> None:
        barrier.wait()
        results[who] = call(
            clients[who], UPDATE, {"id": dossier["id"], "version": 1, "changes": _race_changes(who)}
        )

    threads = [threading.Thread(target=save, args=(who,)) for who in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    _race_outcome(dossier["id"], results, get(sophie, dossier["id"]))


@pytest.mark.parametrize("round_", range(4))
async def test_two_simultaneous_saves_of_the_same_version_asyncio(sophie, karim, round_):
    dossier = create(sophie, "TEA")
    clients = {SOPHIE: sophie, KARIM: karim}

    async def save(who: str) -> tuple[str, dict]:
        source = clients[who]
        async with httpx.AsyncClient(base_url=str(source.base_url), cookies=source.cookies, timeout=30) as twin:
            variables = {"id": dossier["id"], "version": 1, "changes": _race_changes(who)}
            response = await twin.post("/graphql", json={"query": UPDATE, "variables": variables})
        assert response.status_code == 200, response.text
        return who, response.json()

    results = dict(await asyncio.gather(*(save(who) for who in clients)))
    _race_outcome(dossier["id"], results, get(sophie, dossier["id"]))
