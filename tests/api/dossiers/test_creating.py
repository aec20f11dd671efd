"""Creating a dossier: prefilled from the operator, correctable, with readable unique references."""

from __future__ import annotations

import asyncio

import httpx

from backend.db import utcnow
from tests.api.dossiers.support import CREATE, DURAND_SIRET, REFERENCE, create, problems, update

# --- create, prefill, references --------------------------------------------------------------------------------


def test_create_prefills_the_applicant_from_the_operator(sophie):
    dossier = create(sophie, "TEA")
    assert dossier["status"] == "DRAFT" and dossier["statusLabel"] == "brouillon"
    assert dossier["version"] == 1 and dossier["editable"] is True
    assert dossier["procedureCode"] == "TEA" and dossier["authorisationType"] == "TEA"
    assert dossier["operator"]["siret"] == DURAND_SIRET
    assert dossier["answers"] == {
        "applicant.name": "Ateliers Durand SA",
        "applicant.address": "12 rue des Forges",
        "applicant.postcode": "69007",
        "applicant.city": "Lyon",
        "applicant.country": "FR",
        "applicant.eori": "FR552100554",
        "applicant.siret": DURAND_SIRET,
        "applicant.applicationType": "FIRST",
    }
    assert [e["label"] for e in dossier["history"]] == ["Dossier créé"]
    assert dossier["goods"] == []


def test_prefilled_values_can_be_corrected(sophie):
    dossier = create(sophie, "EUS")
    corrected = update(
        sophie,
        dossier,
        {
            "applicant.name": "Ateliers Durand SA – site de Vénissieux",
            "applicant.address": "3 avenue de l'Industrie",
            "applicant.postcode": "69200",
            "applicant.city": "Vénissieux",
            "applicant.eori": "FR55210055400013",
            "applicant.siret": "55210055400021",
        },
    )
    assert corrected["version"] == 2
    assert corrected["answers"]["applicant.name"] == "Ateliers Durand SA – site de Vénissieux"
    assert corrected["answers"]["applicant.eori"] == "FR55210055400013"
    assert corrected["answers"]["applicant.siret"] == "55210055400021"
    assert corrected["updatedBy"] == "Sophie Moreau"
    found = problems(sophie, dossier["id"])
    assert not {p for p in found if p[0] in ("applicant.eori", "applicant.siret")}, found
    # A wrong correction is kept (a draft may be wrong) but reported by "Contrôler".
    wrong = update(sophie, corrected, {"applicant.eori": "FR552100555", "applicant.siret": "55210055400014"})
    assert wrong["answers"]["applicant.eori"] == "FR552100555"
    found = problems(sophie, dossier["id"])
    assert {("applicant.eori", "INVALID_EORI"), ("applicant.siret", "INVALID_SIRET")} <= found


def test_references_are_readable_unique_and_of_the_current_year(sophie, karim, operators):
    made = [create(sophie, "TEA")["reference"] for _ in range(3)]
    made.append(create(karim, "CW", operators[DURAND_SIRET])["reference"])
    for reference in made:
        match = REFERENCE.match(reference)
        assert match, reference
        assert int(match.group(1)) == utcnow().year
    numbers = [int(REFERENCE.match(r).group(2)) for r in made]
    assert len(set(made)) == len(made)
    assert numbers == sorted(numbers), made


async def test_references_stay_unique_under_concurrent_creations(sophie, karim, lucie, operators):
    clients = [(sophie, None), (karim, operators[DURAND_SIRET]), (lucie, operators[DURAND_SIRET])] * 3

    async def one(client: httpx.Client, operator_id: str | None) -> httpx.Response:
        async with httpx.AsyncClient(base_url=str(client.base_url), cookies=client.cookies, timeout=30) as twin:
            variables = {"procedure": "TEA", **({"operatorId": operator_id} if operator_id else {})}
            return await twin.post("/graphql", json={"query": CREATE, "variables": variables})

    responses = await asyncio.gather(*(one(c, o) for c, o in clients))
    references = []
    for response in responses:
        assert response.status_code == 200, response.text
        body = response.json()
        assert not body.get("errors"), body["errors"]
        references.append(body["data"]["createDossier"]["reference"])
    assert len(set(references)) == len(references), references


def test_the_authorisation_type_of_a_customs_warehouse_follows_its_type(sophie):
    dossier = create(sophie, "CW")
    assert dossier["authorisationType"] == "CW"
    for warehouse, expected in (
        ("PUBLIC_1", "CW1"),
        ("PUBLIC_2", "CW2"),
        ("PRIVATE_APPROVED", "CWP"),
        ("PRIVATE_UNAPPROVED", "CWP"),
    ):
        dossier = update(sophie, dossier, {"specific.warehouseType": warehouse})
        assert dossier["authorisationType"] == expected
