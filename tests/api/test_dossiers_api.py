"""Filing an application through the API (issue 4), over real HTTP against the live portal, as the demo users:
create (prefilled, correctable), save (malformed refused, incomplete kept, optimistic concurrency), check, submit,
goods lines, attachments (GraphQL multipart, browser form, download), and who may do what.

Demo rights (backend/demo.py): Sophie Moreau SUBMIT on Ateliers Durand, Paul Lefèvre CONSULT, Karim Benali PREPARE as an
external partner (he names the operator), Lucie Martin's firm represents Ateliers Durand fully and Verrerie de Provence
partially (only the dossiers her firm filed).
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import hashlib
import json
import random
import re
import string
import threading
import uuid
from collections.abc import Iterator
from dataclasses import replace
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from sqlmodel import select

from backend.app import SESSION_COOKIE
from backend.db import utcnow
from backend.dossiers.catalogue import Procedure
from backend.dossiers.models import Dossier, DossierEvent, DossierStatus
from backend.identity.identifiers import luhn_ok
from backend.identity.models import Operator, User
from tests.conftest import free_port, login, run_live_server, set_provider_user, unique_sub
from tests.dossiers.factories import answers, goods_inputs
from tests.processing_support import call, code_of, global_id, numeric_id, ok, refused

DURAND_SIRET = "55210055400013"
VERRERIE_SIRET = "81234567600017"
REFERENCE = re.compile(r"^SOP-(\d{4})-(\d{6})$")

SOPHIE = "sophie.moreau@ateliers-durand.fr"
PAUL = "paul.lefevre@ateliers-durand.fr"
KARIM = "karim.benali@logistique-rhone.fr"
LUCIE = "lucie.martin@transitaire-martin.fr"
JEAN = "jean.petit@exemple.fr"

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489") + b"\x00" * 32

DOSSIER_FIELDS = """
    id reference version status statusLabel editable answers procedureCode authorisationType customsOffice
    submittedAt updatedBy
    operator { id siret legalName }
    goods { id kind kindLabel cnCode description quantity unit unitLabel value }
"""
CREATE = f"""
mutation Create($procedure: ProcedureCode!, $operatorId: ID) {{
  createDossier(procedure: $procedure, operatorId: $operatorId) {{ {DOSSIER_FIELDS} history {{ kind label }} }}
}}"""
UPDATE = f"""
mutation Update($id: ID!, $version: Int!, $changes: JSON!) {{
  updateDossier(id: $id, version: $version, changes: $changes) {{ {DOSSIER_FIELDS} }}
}}"""
CHECK = """
mutation Check($id: ID!) { checkDossier(id: $id) { ok problems { path code message } } }
"""
SUBMIT = """
mutation Submit($id: ID!, $version: Int!) {
  submitDossier(id: $id, version: $version) {
    id status statusLabel version editable submittedAt history { kind label actorName fromStatus toStatus }
  }
}"""
GET = f"""
query Get($id: ID!) {{
  dossier(id: $id) {{
    {DOSSIER_FIELDS}
    problems {{ path code message }}
    history {{ kind label actorName message }}
    attachments {{ id filename sha256 }}
    allAttachments: attachments(includeRemoved: true) {{
      id filename contentType size sha256 uploadedBy removedAt removedBy downloadUrl
    }}
  }}
}}"""
NODE = "query Node($id: ID!) { node(id: $id) { id ... on Dossier { reference } ... on GoodsLine { cnCode } } }"
LIST = "query { dossiers(first: 200) { dossier { id reference } operator { siret } } }"
GOODS_FIELDS = "id kind kindLabel cnCode description quantity unit unitLabel value"
ADD_LINE = f"""
mutation Add($dossierId: ID!, $kind: String!, $input: GoodsLineInput!) {{
  addGoodsLine(dossierId: $dossierId, kind: $kind, input: $input) {{ {GOODS_FIELDS} }}
}}"""
UPDATE_LINE = f"""
mutation UpdateLine($id: ID!, $input: GoodsLineInput!) {{ updateGoodsLine(id: $id, input: $input) {{ {GOODS_FIELDS} }} }}
"""
REMOVE_LINE = "mutation RemoveLine($id: ID!) { removeGoodsLine(id: $id) { id goods { id } } }"
UPLOAD = """
mutation Upload($dossierId: ID!, $file: Upload!) {
  uploadAttachment(dossierId: $dossierId, file: $file) {
    id filename contentType size sha256 uploadedBy uploadedAt removedAt downloadUrl
  }
}"""
REMOVE_ATTACHMENT = """
mutation RemoveAttachment($id: ID!) { removeAttachment(id: $id) { id filename removedAt removedBy } }
"""


# --- helpers ------------------------------------------------------------------------------------------------------


def session_payload(cookie_value: str) -> dict:
    """What Starlette's signed session cookie carries (base64 JSON before the signature)."""
    data = cookie_value.split(".")[0]
    return json.loads(base64.b64decode(data + "=" * (-len(data) % 4)))


def new_siret() -> str:
    """A valid SIRET (Luhn-valid SIREN and SIRET) of an operator nobody uses yet: its first user is its administrator."""
    siren = "9" + "".join(random.choices(string.digits, k=7))
    siren += next(d for d in string.digits if luhn_ok(siren + d))
    base = siren + "".join(random.choices(string.digits, k=4))
    return base + next(d for d in string.digits if luhn_ok(base + d))


def utc_today() -> dt.date:
    return utcnow().date()


class People:
    """Logged-in demo users (one session each, terms accepted), made on first use and kept for the module."""

    def __init__(self, live_server, provider) -> None:
        self.live_server = live_server
        self.provider = provider
        self.clients: dict[str, httpx.Client] = {}
        self.terms_version = ""

    def __call__(self, sub: str, *, claims: dict | None = None, accept: bool = True) -> httpx.Client:
        key = f"{sub}|{accept}"
        if key not in self.clients:
            client = login(self.live_server, self.provider, sub, claims)
            if accept:
                self.accept_terms(client)
            self.clients[key] = client
        return self.clients[key]

    def fresh(self, siret: str, name: str, organization: str, *, accept: bool = True) -> httpx.Client:
        """A new professional, logged in."""
        sub = unique_sub("dossiers")
        claims = {"name": name, "siret": siret, "organization": organization}
        set_provider_user(self.provider, sub, claims)
        return self(sub, accept=accept)

    def accept_terms(self, client: httpx.Client) -> None:
        if not self.terms_version:
            self.terms_version = ok(client, "{ termsOfUse { version } }")["termsOfUse"]["version"]
        ok(client, "mutation($v: String!) { acceptTerms(version: $v) { accepted } }", {"v": self.terms_version})

    def close(self) -> None:
        for client in self.clients.values():
            client.close()


@pytest.fixture(scope="module")
def people(live_server, provider) -> Iterator[People]:
    everyone = People(live_server, provider)
    yield everyone
    everyone.close()


@pytest.fixture(scope="module")
def sophie(people) -> httpx.Client:
    return people(SOPHIE)


@pytest.fixture(scope="module")
def paul(people) -> httpx.Client:
    return people(PAUL)


@pytest.fixture(scope="module")
def karim(people) -> httpx.Client:
    return people(KARIM)


@pytest.fixture(scope="module")
def lucie(people) -> httpx.Client:
    return people(LUCIE)


STRANGER_SIRET = new_siret()


@pytest.fixture(scope="module")
def stranger(people) -> httpx.Client:
    """The administrator of another operator (a new chocolate maker), terms accepted."""
    return people.fresh(STRANGER_SIRET, "Camille Cacao", "Chocolaterie d'essai")


@pytest.fixture(scope="module")
def operators(lucie) -> dict[str, str]:
    """SIRET → Operator global id, from what the representative may act for."""
    data = ok(lucie, "{ me { operators { operator { id siret } } } }")
    return {entry["operator"]["siret"]: entry["operator"]["id"] for entry in data["me"]["operators"]}


async def insert_dossier(database, siret: str, creator_sub: str) -> str:
    """A draft written straight to the database for the operator of `siret`, filed by that operator itself (no
    representative); its global id."""
    async with database.session() as session:
        operator = (await session.exec(select(Operator).where(Operator.siret == siret))).one()
        creator = (await session.exec(select(User).where(User.subject == creator_sub))).one()
        dossier = Dossier(
            reference=f"SOP-T-{uuid.uuid4().hex[:12]}",
            operator_id=operator.id,
            filed_by_operator_id=None,
            procedure="TEA",
            status=DossierStatus.DRAFT,
            data={"applicant.name": operator.legal_name},
            created_by_id=creator.id,
            updated_by_id=creator.id,
        )
        session.add(dossier)
        await session.flush()
        session.add(DossierEvent(dossier_id=dossier.id, kind="created", actor_id=creator.id, to_status="draft"))
        await session.commit()
        return global_id("Dossier", dossier.id)


def create(client: httpx.Client, procedure: str = "TEA", operator_id: str | None = None, **kwargs) -> dict:
    variables = {"procedure": procedure, **({"operatorId": operator_id} if operator_id else {})}
    return ok(client, CREATE, variables, **kwargs)["createDossier"]


def update(client: httpx.Client, dossier: dict, changes: dict, version: int | None = None) -> dict:
    variables = {
        "id": dossier["id"],
        "version": dossier["version"] if version is None else version,
        "changes": changes,
    }
    return ok(client, UPDATE, variables)["updateDossier"]


def get(client: httpx.Client, dossier_id: str) -> dict | None:
    return ok(client, GET, {"id": dossier_id})["dossier"]


def problems(client: httpx.Client, dossier_id: str) -> set[tuple[str, str]]:
    result = ok(client, CHECK, {"id": dossier_id})["checkDossier"]
    found = {(p["path"], p["code"]) for p in result["problems"]}
    assert result["ok"] is (not found)
    return found


def add_line(client: httpx.Client, dossier_id: str, kind: str, values: dict) -> dict:
    return ok(client, ADD_LINE, {"dossierId": dossier_id, "kind": kind, "input": values})["addGoodsLine"]


def complete(client: httpx.Client, procedure: str = "TEA", operator_id: str | None = None, **extra) -> dict:
    """A dossier with every answer and goods line of the valid factory: nothing left to correct."""
    proc = Procedure(procedure)
    dossier = create(client, procedure, operator_id)
    for kind, values in goods_inputs(proc):
        add_line(client, dossier["id"], kind, values)
    dossier = update(client, dossier, {**answers(proc), **extra})
    return dossier


def upload(
    client: httpx.Client,
    dossier_id: str,
    filename: str,
    content: bytes,
    *,
    content_type: str = "application/pdf",
    headers: dict | None = None,
    url: str = "/graphql",
) -> httpx.Response:
    """A GraphQL multipart request (spec: `operations`, `map`, then the files)."""
    operations = {"query": UPLOAD, "variables": {"dossierId": dossier_id, "file": None}}
    return client.post(
        url,
        data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.file"]})},
        files={"0": (filename, content, content_type)},
        headers={"X-Soprano-Upload": "1"} if headers is None else headers,
    )


def uploaded(response: httpx.Response) -> dict:
    assert response.status_code == 200, response.text
    body = response.json()
    assert not body.get("errors"), body["errors"]
    return body["data"]["uploadAttachment"]


def upload_refused(response: httpx.Response) -> dict:
    assert response.status_code == 200, response.text
    body = response.json()
    assert body.get("errors") and body["data"] is None, body
    return body["errors"][0]


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


# --- each rule family through GraphQL: failing, then fixed --------------------------------------------------------

TOMORROW = "tomorrow"
TODAY = "today"


def _date(value: Any) -> Any:
    if value == TOMORROW:
        return (utc_today() + dt.timedelta(days=1)).isoformat()
    if value == TODAY:
        return utc_today().isoformat()
    return value


def _dates(changes: dict) -> dict:
    return {k: _date(v) for k, v in changes.items()}


ONE_PLACE = [{"name": "Entrepôt A", "country": "FR", "address": "1 quai Rambaud, Lyon"}]
TWO_PLACES = [*ONE_PLACE, {"name": "Entrepôt B", "country": "FR", "address": "2 quai Rambaud, Lyon"}]
THREE_PLACES = [*TWO_PLACES, {"name": "Entrepôt C", "country": "BE", "address": "3 quai de Liège, Anvers"}]

RULE_CASES = [
    (
        "TEA",
        {"misc.dischargePeriodMonths": None},
        {("misc.dischargePeriodMonths", "REQUIRED")},
        {"misc.dischargePeriodMonths": 12},
    ),
    (
        "TEA",
        {"applicant.eori": "FR552100555"},
        {("applicant.eori", "INVALID_EORI")},
        {"applicant.eori": "FR552100554"},
    ),
    (
        "TEA",
        {"applicant.siret": "55210055400014"},
        {("applicant.siret", "INVALID_SIRET")},
        {"applicant.siret": DURAND_SIRET},
    ),
    (
        "TEA",
        {"applicant.customsOffice": "FR00069"},
        {("applicant.customsOffice", "INVALID_CUSTOMS_OFFICE")},
        {"applicant.customsOffice": "FR002300"},
    ),
    (
        "TEA",
        {"misc.dischargePeriodMonths": 0},
        {("misc.dischargePeriodMonths", "NOT_POSITIVE")},
        {"misc.dischargePeriodMonths": 1},
    ),
    ("EUS", {"specific.unit": "LTR"}, {("specific.unit", "UNIT_MISMATCH")}, {"specific.unit": "KGM"}),
    (
        "EUS",
        {"specific.firstPlaceOfUse": None},
        {("specific.firstPlaceOfUse", "REQUIRED")},
        {"specific.firstPlaceOfUse": "Lyon"},
    ),
    ("CW", {"specific.lossRate": "150"}, {("specific.lossRate", "LOSS_RATE_RANGE")}, {"specific.lossRate": "100"}),
    (
        "CW",
        {"specific.warehouseType": "PUBLIC_2", "specific.storagePlaces": TWO_PLACES},
        {("specific.storagePlaces", "ONE_STORAGE_PLACE")},
        {"specific.storagePlaces": ONE_PLACE},
    ),
    (
        "CW",
        {"specific.warehouseType": "PRIVATE_APPROVED", "specific.storagePlaces": TWO_PLACES},
        {("specific.storagePlaces", "ONE_STORAGE_PLACE")},
        {"specific.storagePlaces": ONE_PLACE},
    ),
    (
        "CW",
        {"specific.warehouseType": "PRIVATE_UNAPPROVED", "specific.storagePlaces": []},
        {("specific.storagePlaces", "STORAGE_PLACE_REQUIRED"), ("specific.storagePlaces", "REQUIRED")},
        {"specific.storagePlaces": THREE_PLACES},
    ),
    (
        "CW",
        {"specific.storagePlaces": [{"name": "Entrepôt A", "country": "FR"}]},
        {("specific.storagePlaces.0.address", "REQUIRED")},
        {"specific.storagePlaces": ONE_PLACE},
    ),
    (
        "CW",
        {"specific.temporaryRemoval": True},
        {("specific.temporaryRemovalDetails", "REQUIRED")},
        {"specific.temporaryRemovalDetails": "Sous scellés."},
    ),
    (
        "CW",
        {"specific.unionGoods": True},
        {("specific.unionGoodsMeasures", "REQUIRED")},
        {"specific.unionGoodsMeasures": "Zones séparées."},
    ),
    (
        "CW",
        {"specific.otherProcedureGoods": True},
        {("specific.otherProcedure", "REQUIRED"), ("specific.otherProcedureDescription", "REQUIRED")},
        {"specific.otherProcedure": "Admission temporaire", "specific.otherProcedureDescription": "Machines"},
    ),
    (
        "IPO",
        {"specific.priorExport": True},
        {
            ("specific.priorExport", "PRIOR_EXPORT_NEEDS_EQUIVALENT_GOODS"),
            ("specific.importPeriodMonths", "REQUIRED"),
        },
        {"specific.equivalentGoods": True, "specific.importPeriodMonths": 6},
    ),
    (
        "IPO",
        {"specific.releaseWithoutDeclaration": True},
        {("specific.releaseDetails", "REQUIRED")},
        {"specific.releaseDetails": "Décompte mensuel."},
    ),
    (
        "IPO",
        {"specific.dutyCalculation": True},
        {("specific.dutyArticle", "REQUIRED")},
        {"specific.dutyArticle": "ART_86_3"},
    ),
    ("IPO", {"goods.yieldRate": None}, {("goods.yieldRate", "REQUIRED")}, {"goods.yieldRate": "95 %"}),
    (
        "IPO",
        {"specific.equivalentGoods": None},
        {("specific.equivalentGoods", "REQUIRED")},
        {"specific.equivalentGoods": False},
    ),
    (
        "OPO",
        {"specific.standardExchange": True, "specific.reexportDeadline": TODAY},
        {("specific.reexportDeadline", "DATE_NOT_FUTURE"), ("goods.replacement", "REPLACEMENT_REQUIRED")},
        {"specific.reexportDeadline": TOMORROW},
    ),
    (
        "OPO",
        {"specific.standardExchangePriorImport": True},
        {("specific.standardExchangePriorImport", "NEEDS_STANDARD_EXCHANGE")},
        {"specific.standardExchangePriorImport": False},
    ),
    (
        "OPO",
        {"specific.priorImport": True},
        {
            ("specific.priorImport", "PRIOR_IMPORT_NEEDS_EQUIVALENT_GOODS"),
            ("specific.reexportDeadline", "REQUIRED"),
        },
        {"specific.equivalentGoods": True, "specific.reexportDeadline": TOMORROW},
    ),
]


RULE_IDS = [f"{case[0]}:{'+'.join(case[1])}={'+'.join(sorted({c for _, c in case[2]}))}" for case in RULE_CASES]


@pytest.mark.parametrize(("procedure", "breaking", "expected", "fixing"), RULE_CASES, ids=RULE_IDS)
def test_each_rule_fails_then_passes_through_graphql(sophie, procedure, breaking, expected, fixing):
    dossier = complete(sophie, procedure)
    dossier = update(sophie, dossier, _dates(breaking))
    assert problems(sophie, dossier["id"]) == expected
    if ("goods.replacement", "REPLACEMENT_REQUIRED") in expected:
        add_line(
            sophie,
            dossier["id"],
            "REPLACEMENT",
            {"cnCode": "84099900", "description": "Moteur échange standard", "quantity": "1", "unit": "NAR"},
        )
    dossier = update(sophie, dossier, _dates(fixing))
    assert problems(sophie, dossier["id"]) == set()


def test_goods_rules_fail_then_pass_through_graphql(sophie):
    dossier = create(sophie, "TEA")
    dossier = update(sophie, dossier, answers(Procedure.TEMPORARY_ADMISSION))
    assert problems(sophie, dossier["id"]) == {("goods.lines", "GOODS_REQUIRED")}
    line = add_line(sophie, dossier["id"], "GOODS", {"cnCode": "8482", "description": "Roulements"})
    base = f"goods.line.{line['id']}"
    assert problems(sophie, dossier["id"]) == {
        (f"{base}.cnCode", "CN_CODE_LENGTH"),
        (f"{base}.quantity", "REQUIRED"),
        (f"{base}.unit", "REQUIRED"),
        (f"{base}.value", "REQUIRED"),
    }
    ok(
        sophie,
        UPDATE_LINE,
        {"id": line["id"], "input": {"cnCode": "84821010", "quantity": "5", "unit": "NAR", "value": "99"}},
    )
    assert problems(sophie, dossier["id"]) == set()


def test_processing_goods_rules_fail_then_pass_through_graphql(sophie):
    dossier = update(sophie, create(sophie, "IPO"), answers(Procedure.INWARD_PROCESSING))
    add_line(
        sophie,
        dossier["id"],
        "GOODS",
        {"cnCode": "7208", "description": "Tôles", "quantity": "1000", "unit": "KGM", "value": "800"},
    )
    # Four digits are allowed in processing; the processed product is still missing.
    assert problems(sophie, dossier["id"]) == {("goods.processed", "PROCESSED_REQUIRED")}
    add_line(
        sophie,
        dossier["id"],
        "PROCESSED",
        {"cnCode": "7326", "description": "Pièces embouties", "quantity": "900", "unit": "KGM"},
    )
    assert problems(sophie, dossier["id"]) == set()


def test_replacement_products_need_eight_digits(sophie):
    dossier = complete(
        sophie, "OPO", **{"specific.standardExchange": True, "specific.reexportDeadline": _date(TOMORROW)}
    )
    line = add_line(
        sophie,
        dossier["id"],
        "REPLACEMENT",
        {"cnCode": "8409", "description": "Moteur", "quantity": "1", "unit": "NAR"},
    )
    assert problems(sophie, dossier["id"]) == {(f"goods.line.{line['id']}.cnCode", "CN_CODE_LENGTH")}
    ok(sophie, UPDATE_LINE, {"id": line["id"], "input": {"cnCode": "84099900"}})
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
        "kind": "submitted",
        "label": "Dossier déposé",
        "actorName": "Sophie Moreau",
        "fromStatus": "draft",
        "toStatus": "submitted",
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


# --- access --------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def durand_draft(sophie) -> dict:
    """A complete draft of Ateliers Durand, with one goods line and one attachment, filed by Sophie."""
    dossier = complete(sophie, "TEA")
    attachment = uploaded(upload(sophie, dossier["id"], "facture.pdf", PDF))
    return {**get(sophie, dossier["id"]), "attachment": attachment}


def test_a_consult_only_collaborator_reads_but_cannot_create_nor_save(paul, durand_draft, operators):
    for variables in ({"procedure": "TEA"}, {"procedure": "TEA", "operatorId": operators[DURAND_SIRET]}):
        assert code_of(refused(paul, CREATE, variables)) == "FORBIDDEN"
    assert get(paul, durand_draft["id"])["reference"] == durand_draft["reference"]
    assert ok(paul, CHECK, {"id": durand_draft["id"]})["checkDossier"]["ok"] is True
    line_id = durand_draft["goods"][0]["id"]
    for query, variables in (
        (
            UPDATE,
            {
                "id": durand_draft["id"],
                "version": durand_draft["version"],
                "changes": {"applicant.contactName": "Paul"},
            },
        ),
        (SUBMIT, {"id": durand_draft["id"], "version": durand_draft["version"]}),
        (ADD_LINE, {"dossierId": durand_draft["id"], "kind": "GOODS", "input": {"cnCode": "84821010"}}),
        (UPDATE_LINE, {"id": line_id, "input": {"description": "X"}}),
        (REMOVE_LINE, {"id": line_id}),
        (REMOVE_ATTACHMENT, {"id": durand_draft["attachment"]["id"]}),
    ):
        assert code_of(refused(paul, query, variables)) == "FORBIDDEN", query
    assert code_of(upload_refused(upload(paul, durand_draft["id"], "paul.pdf", PDF))) == "FORBIDDEN"
    after = get(paul, durand_draft["id"])
    assert after["version"] == durand_draft["version"]
    assert after["goods"] == durand_draft["goods"]
    assert len(after["attachments"]) == 1


def test_a_partner_with_prepare_creates_and_saves_but_cannot_submit(karim, operators):
    # Karim acts for two operators (his own and Ateliers Durand): he names the one he files for.
    created = create(karim, "IPO", operators[DURAND_SIRET])
    assert created["operator"]["siret"] == DURAND_SIRET
    assert created["answers"]["applicant.name"] == "Ateliers Durand SA"
    by_header = create(karim, "TEA", headers={"X-Operator": DURAND_SIRET})
    assert by_header["operator"]["siret"] == DURAND_SIRET
    dossier = complete(karim, "TEA", operators[DURAND_SIRET])
    assert dossier["updatedBy"] == "Karim Benali"
    error = refused(karim, SUBMIT, {"id": dossier["id"], "version": dossier["version"]})
    assert code_of(error) == "FORBIDDEN"
    assert get(karim, dossier["id"])["status"] == "DRAFT"


def test_a_partner_must_say_for_which_operator(karim):
    error = refused(karim, CREATE, {"procedure": "TEA"})
    assert code_of(error) == "ACTING_OPERATOR_REQUIRED"


def test_the_submitter_submits_what_a_partner_prepared(karim, sophie, operators):
    dossier = complete(karim, "CW", operators[DURAND_SIRET])
    submitted = ok(sophie, SUBMIT, {"id": dossier["id"], "version": dossier["version"]})["submitDossier"]
    assert submitted["status"] == "SUBMITTED"


def test_another_operator_sees_nothing_of_a_dossier(stranger, durand_draft, operators):
    dossier_id = durand_draft["id"]
    assert ok(stranger, GET, {"id": dossier_id})["dossier"] is None
    assert ok(stranger, NODE, {"id": dossier_id})["node"] is None
    line_id = durand_draft["goods"][0]["id"]
    assert ok(stranger, NODE, {"id": line_id})["node"] is None
    assert dossier_id not in {d["dossier"]["id"] for d in ok(stranger, LIST)["dossiers"]}
    for query, variables in (
        (
            UPDATE,
            {"id": dossier_id, "version": durand_draft["version"], "changes": {"applicant.contactName": "X"}},
        ),
        (CHECK, {"id": dossier_id}),
        (SUBMIT, {"id": dossier_id, "version": durand_draft["version"]}),
        (ADD_LINE, {"dossierId": dossier_id, "kind": "GOODS", "input": {"cnCode": "84821010"}}),
        (UPDATE_LINE, {"id": line_id, "input": {"description": "X"}}),
        (REMOVE_LINE, {"id": line_id}),
        (REMOVE_ATTACHMENT, {"id": durand_draft["attachment"]["id"]}),
        (CREATE, {"procedure": "TEA", "operatorId": operators[DURAND_SIRET]}),
    ):
        assert code_of(refused(stranger, query, variables)) == "NOT_FOUND", query
    assert code_of(upload_refused(upload(stranger, dossier_id, "x.pdf", PDF))) == "NOT_FOUND"
    # Its own dossiers are its operator's.
    own = create(stranger, "TEA")
    assert own["operator"]["siret"] == STRANGER_SIRET
    assert own["answers"]["applicant.name"] == "Chocolaterie d'essai"
    assert own["answers"]["applicant.eori"] == f"FR{STRANGER_SIRET[:9]}"


def test_a_nonexistent_or_malformed_id_is_not_found(sophie):
    for dossier_id in (global_id("Dossier", 99_999_999), global_id("Operator", 1), "n'importe quoi"):
        assert ok(sophie, GET, {"id": dossier_id})["dossier"] is None
        error = refused(sophie, UPDATE, {"id": dossier_id, "version": 1, "changes": {}})
        assert code_of(error) == "NOT_FOUND"


async def test_a_representative_sees_full_mandates_and_only_her_own_partial_ones(
    lucie, sophie, operators, database
):
    # Full mandate (Ateliers Durand): every dossier, and she may work on them.
    durand = create(sophie, "TEA")
    assert get(lucie, durand["id"])["reference"] == durand["reference"]
    assert durand["id"] in {d["dossier"]["id"] for d in ok(lucie, LIST)["dossiers"]}
    update(lucie, durand, {"applicant.contactName": "Lucie Martin"})
    # Partial mandate (Verrerie de Provence): the dossiers her firm filed...
    mine = create(lucie, "TEA", operators[VERRERIE_SIRET])
    assert mine["operator"]["siret"] == VERRERIE_SIRET
    assert mine["answers"]["applicant.name"] == "Verrerie de Provence"
    assert get(lucie, mine["id"])["reference"] == mine["reference"]
    update(lucie, mine, {"applicant.contactName": "Lucie Martin"})
    # ... and not one Verrerie filed itself.
    other_id = await insert_dossier(database, VERRERIE_SIRET, LUCIE)
    assert ok(lucie, GET, {"id": other_id})["dossier"] is None
    assert ok(lucie, NODE, {"id": other_id})["node"] is None
    listed = {d["dossier"]["id"] for d in ok(lucie, LIST)["dossiers"]}
    assert other_id not in listed and mine["id"] in listed
    error = refused(lucie, UPDATE, {"id": other_id, "version": 1, "changes": {"applicant.contactName": "X"}})
    assert code_of(error) == "NOT_FOUND"


def test_a_private_person_cannot_file(people, durand_draft):
    jean = people(JEAN, accept=False)
    error = refused(jean, CREATE, {"procedure": "TEA"})
    assert code_of(error) == "PROFESSIONAL_ONLY"
    assert ok(jean, GET, {"id": durand_draft["id"]})["dossier"] is None
    assert ok(jean, NODE, {"id": durand_draft["id"]})["node"] is None


@pytest.fixture(scope="module")
def newcomer(people) -> tuple[httpx.Client, str]:
    """The administrator of a new operator who has not accepted the terms of use yet, and their SIRET."""
    siret = new_siret()
    return people.fresh(siret, "Nina Nouvelle", "Nouvelle Société", accept=False), siret


def test_a_professional_must_accept_the_terms_first(newcomer):
    client, _ = newcomer
    error = refused(client, CREATE, {"procedure": "TEA"})
    assert code_of(error) == "TERMS_NOT_ACCEPTED"
    assert "conditions générales" in error["message"]
    assert code_of(refused(client, LIST)) == "TERMS_NOT_ACCEPTED"


async def test_terms_not_accepted_hide_the_operators_own_dossiers_everywhere(newcomer, database):
    """`dossier(id)` refuses until the terms are accepted; `node(id)` must not be a way around it."""
    client, siret = newcomer
    me = ok(client, "{ me { id email } }")["me"]
    async with database.session() as session:
        subject = (await session.exec(select(User.subject).where(User.email == me["email"]))).one()
    dossier_id = await insert_dossier(database, siret, subject)
    assert code_of(refused(client, GET, {"id": dossier_id})) == "TERMS_NOT_ACCEPTED"
    assert code_of(refused(client, CHECK, {"id": dossier_id})) == "TERMS_NOT_ACCEPTED"
    body = call(client, NODE, {"id": dossier_id})
    assert body["data"]["node"] is None, body


def test_anonymous_cannot_file(live_server, durand_draft):
    with httpx.Client(base_url=live_server.url, timeout=20) as anonymous:
        error = refused(anonymous, CREATE, {"procedure": "TEA"})
        assert code_of(error) == "UNAUTHENTICATED"
        error = refused(anonymous, UPDATE, {"id": durand_draft["id"], "version": 1, "changes": {}})
        assert code_of(error) in ("UNAUTHENTICATED", "NOT_FOUND")
        assert ok(anonymous, GET, {"id": durand_draft["id"]})["dossier"] is None
        assert ok(anonymous, NODE, {"id": durand_draft["id"]})["node"] is None


# --- goods lines -----------------------------------------------------------------------------------------------------


def test_goods_lines_are_added_edited_and_removed(sophie):
    dossier = create(sophie, "OPO")
    goods = add_line(
        sophie,
        dossier["id"],
        "GOODS",
        {
            "cnCode": "8482 10 10",
            "description": " Roulements à billes ",
            "quantity": "10,5",
            "unit": "kgm",
            "value": "1234.5",
        },
    )
    assert goods == {
        "id": goods["id"],
        "kind": "GOODS",
        "kindLabel": "Marchandise à placer",
        "cnCode": "84821010",
        "description": "Roulements à billes",
        "quantity": "10.5",
        "unit": "KGM",
        "unitLabel": "kilogramme",
        "value": "1234.50",
    }
    processed = add_line(
        sophie, dossier["id"], "PROCESSED", {"cnCode": "8482", "description": "Roulements révisés"}
    )
    assert processed["quantity"] is None and processed["value"] is None
    replacement = add_line(sophie, dossier["id"], "REPLACEMENT", {"cnCode": "84821090"})
    assert replacement["kindLabel"] == "Produit de remplacement"
    # A partial edit changes only what it names; an empty value clears (incomplete, kept).
    edited = ok(sophie, UPDATE_LINE, {"id": goods["id"], "input": {"value": "99", "description": ""}})[
        "updateGoodsLine"
    ]
    assert edited["value"] == "99.00" and edited["description"] is None
    assert edited["cnCode"] == "84821010" and edited["quantity"] == "10.5" and edited["unit"] == "KGM"
    listed = get(sophie, dossier["id"])["goods"]
    assert {line["id"] for line in listed} == {goods["id"], processed["id"], replacement["id"]}
    assert [line["kind"] for line in listed] == ["GOODS", "PROCESSED", "REPLACEMENT"]
    after = ok(sophie, REMOVE_LINE, {"id": processed["id"]})["removeGoodsLine"]
    assert {line["id"] for line in after["goods"]} == {goods["id"], replacement["id"]}
    assert code_of(refused(sophie, REMOVE_LINE, {"id": processed["id"]})) == "NOT_FOUND"
    assert code_of(refused(sophie, UPDATE_LINE, {"id": processed["id"], "input": {"value": "1"}})) == "NOT_FOUND"


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"value": "12.345"}, "value"),
        ({"value": "-1"}, "value"),
        ({"value": "beaucoup"}, "value"),
        ({"value": "1e20"}, "value"),
        ({"cnCode": "12AB"}, "cnCode"),
        ({"cnCode": "848210"}, "cnCode"),
        ({"cnCode": "８４８２１０１０"}, "cnCode"),
        ({"unit": "KILO"}, "unit"),
        ({"quantity": "0"}, "quantity"),
        ({"quantity": "1.2345"}, "quantity"),
        ({"description": "x" * 1001}, "description"),
    ],
)
def test_malformed_goods_values_are_refused(sophie, values, field):
    dossier = create(sophie, "TEA")
    error = refused(sophie, ADD_LINE, {"dossierId": dossier["id"], "kind": "GOODS", "input": values})
    assert code_of(error) == "INVALID_VALUE" and error["extensions"]["field"] == field
    assert get(sophie, dossier["id"])["goods"] == []
    line = add_line(sophie, dossier["id"], "GOODS", {"cnCode": "84821010", "value": "10"})
    error = refused(sophie, UPDATE_LINE, {"id": line["id"], "input": values})
    assert code_of(error) == "INVALID_VALUE" and error["extensions"]["field"] == field
    (kept,) = get(sophie, dossier["id"])["goods"]
    assert kept["cnCode"] == "84821010" and kept["value"] == "10.00"


@pytest.mark.parametrize(
    ("procedure", "kind"), [("TEA", "PROCESSED"), ("EUS", "REPLACEMENT"), ("IPO", "REPLACEMENT"), ("CW", "FOO")]
)
def test_a_kind_of_line_the_procedure_does_not_have_is_refused(sophie, procedure, kind):
    dossier = create(sophie, procedure)
    error = refused(sophie, ADD_LINE, {"dossierId": dossier["id"], "kind": kind, "input": {"cnCode": "84821010"}})
    assert code_of(error) == "INVALID_VALUE" and error["extensions"]["field"] == "kind"
    assert get(sophie, dossier["id"])["goods"] == []


# --- attachments ----------------------------------------------------------------------------------------------------


def test_a_pdf_is_uploaded_through_graphql_multipart(sophie):
    dossier = create(sophie, "TEA")
    attachment = uploaded(upload(sophie, dossier["id"], "Facture pro forma.pdf", PDF))
    assert attachment["filename"] == "Facture pro forma.pdf"
    assert attachment["contentType"] == "application/pdf"
    assert attachment["size"] == len(PDF)
    assert attachment["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert attachment["uploadedBy"] == "Sophie Moreau"
    assert attachment["removedAt"] is None
    assert attachment["downloadUrl"] == f"/files/{numeric_id(attachment['id'])}"
    listed = get(sophie, dossier["id"])
    assert [a["sha256"] for a in listed["attachments"]] == [hashlib.sha256(PDF).hexdigest()]
    assert [e["label"] for e in listed["history"]][-1] == "Pièce jointe ajoutée"
    assert listed["history"][-1]["message"] == "Facture pro forma.pdf"


def test_a_multipart_request_without_the_upload_header_is_refused(sophie):
    dossier = create(sophie, "TEA")
    response = upload(sophie, dossier["id"], "facture.pdf", PDF, headers={})
    assert response.status_code == 400
    body = response.json()
    assert body["errors"][0]["extensions"]["code"] == "CSRF"
    assert "X-Soprano-Upload" in body["errors"][0]["message"]
    assert get(sophie, dossier["id"])["attachments"] == []


@pytest.mark.parametrize(
    ("filename", "content", "words"),
    [
        ("photo.pdf", PNG, ["PNG", ".pdf"]),
        ("notes.pdf", b"Ceci n'est pas un PDF, juste du texte.\n" * 10, ["Type de fichier non accepté"]),
        ("script.pdf", b"#!/bin/sh\nrm -rf /\n", ["Type de fichier non accepté"]),
        ("facture.png", PDF, ["PDF", ".png"]),
        ("facture", PDF, ["PDF"]),
        ("vide.pdf", b"", ["vide"]),
    ],
)
def test_a_file_whose_content_is_not_what_it_claims_is_refused(sophie, filename, content, words):
    dossier = create(sophie, "TEA")
    error = upload_refused(upload(sophie, dossier["id"], filename, content))
    assert code_of(error) == "ATTACHMENT_REJECTED"
    for word in words:
        assert word in error["message"], error["message"]
    assert get(sophie, dossier["id"])["allAttachments"] == []


def test_a_png_with_its_own_extension_is_accepted(sophie):
    dossier = create(sophie, "TEA")
    attachment = uploaded(upload(sophie, dossier["id"], "photo.PNG", PNG, content_type="image/png"))
    assert attachment["contentType"] == "image/png"


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\system32\\config.pdf", "config.pdf"),
        ("/absolute/path/facture.pdf", "facture.pdf"),
        ("fac<ture>|?*.pdf", "fac_ture____.pdf"),
    ],
)
def test_a_path_in_the_file_name_is_dropped(sophie, given, stored):
    dossier = create(sophie, "TEA")
    attachment = uploaded(upload(sophie, dossier["id"], given, PDF))
    assert attachment["filename"] == stored


@pytest.fixture(scope="module")
def small_portal(settings) -> Iterator[str]:
    """A second portal on the same database, with a 1 KB attachment limit (a session cookie works on both)."""
    from backend.app import create_app

    app = create_app(replace(settings, attachment_max_bytes=1024))
    server, thread = run_live_server(app, free_port())
    yield f"http://127.0.0.1:{server.config.port}"
    server.should_exit = True
    thread.join(10)


def test_a_file_over_the_size_limit_is_refused(sophie, small_portal):
    dossier = create(sophie, "TEA")
    small = PDF
    assert len(small) < 1024
    assert uploaded(upload(sophie, dossier["id"], "petit.pdf", small, url=f"{small_portal}/graphql"))
    large = PDF[:-6] + b"%" + b"x" * 1100 + b"\n%%EOF\n"
    error = upload_refused(upload(sophie, dossier["id"], "gros.pdf", large, url=f"{small_portal}/graphql"))
    assert code_of(error) == "ATTACHMENT_REJECTED"
    assert "dépasse la taille maximale" in error["message"]
    assert [a["filename"] for a in get(sophie, dossier["id"])["allAttachments"]] == ["petit.pdf"]
    # The default limit (20 Mo) lets the same file through.
    assert uploaded(upload(sophie, dossier["id"], "gros.pdf", large))["size"] == len(large)


def test_the_browser_form_refuses_a_file_over_the_size_limit(sophie, small_portal):
    dossier = create(sophie, "TEA")
    with httpx.Client(base_url=small_portal, cookies=sophie.cookies, timeout=20) as browser:
        response = form_upload(browser, dossier["id"], csrf_of(sophie), "gros.pdf", PDF + b"x" * 2000)
    assert response.status_code == 303, response.text
    error = parse_qs(urlsplit(response.headers["location"]).query)["erreur"][0]
    assert "dépasse la taille maximale" in error
    assert get(sophie, dossier["id"])["allAttachments"] == []


def test_the_size_limit_message_is_exact(sophie, small_portal):
    """A limit under one megabyte must not be announced as « 0 Mo »."""
    dossier = create(sophie, "TEA")
    large = PDF + b"x" * 2000
    error = upload_refused(upload(sophie, dossier["id"], "gros.pdf", large, url=f"{small_portal}/graphql"))
    assert "0 Mo" not in error["message"], error["message"]


@pytest.fixture(scope="module")
def durand_attachment(sophie) -> tuple[dict, dict]:
    dossier = create(sophie, "TEA")
    attachment = uploaded(upload(sophie, dossier["id"], "../../etc/passwd.pdf", PDF))
    return dossier, attachment


def test_the_download_gives_back_the_same_bytes(sophie, paul, lucie, durand_attachment):
    _, attachment = durand_attachment
    assert attachment["filename"] == "passwd.pdf"
    for client in (sophie, paul, lucie):
        response = client.get(attachment["downloadUrl"])
        assert response.status_code == 200
        assert response.content == PDF
        assert hashlib.sha256(response.content).hexdigest() == attachment["sha256"]
        assert response.headers["content-type"] == "application/pdf"
        assert response.headers["content-disposition"] == "attachment; filename*=UTF-8''passwd.pdf"
        assert "nosniff" in response.headers["x-content-type-options"]
        assert "no-store" in response.headers["cache-control"]


def test_nobody_else_can_download(live_server, stranger, people, durand_attachment):
    _, attachment = durand_attachment
    url = attachment["downloadUrl"]
    assert stranger.get(url).status_code == 404
    with httpx.Client(base_url=live_server.url, timeout=20) as anonymous:
        response = anonymous.get(url)
        assert response.status_code == 404
        assert response.content != PDF
        assert anonymous.get("/files/99999999").status_code == 404
        assert anonymous.get("/files/abc").status_code == 404
    assert people(JEAN, accept=False).get(url).status_code == 404
    assert stranger.get("/files/99999999").status_code == 404


def test_a_removed_attachment_stays_in_the_history(sophie, paul):
    dossier = create(sophie, "TEA")
    first = uploaded(upload(sophie, dossier["id"], "version1.pdf", PDF))
    second_content = PDF.replace(b"Catalog", b"Catalog /V 2")
    second = uploaded(upload(sophie, dossier["id"], "version2.pdf", second_content))
    removed = ok(sophie, REMOVE_ATTACHMENT, {"id": first["id"]})["removeAttachment"]
    assert removed["removedAt"] and removed["removedBy"] == "Sophie Moreau"
    after = get(paul, dossier["id"])
    assert [a["id"] for a in after["attachments"]] == [second["id"]]
    history = {a["id"]: a for a in after["allAttachments"]}
    assert set(history) == {first["id"], second["id"]}
    assert history[first["id"]]["removedAt"] and history[first["id"]]["removedBy"] == "Sophie Moreau"
    assert history[first["id"]]["uploadedBy"] == "Sophie Moreau"
    assert history[second["id"]]["removedAt"] is None and history[second["id"]]["removedBy"] is None
    events = [(e["label"], e["message"]) for e in after["history"]]
    assert events[-3:] == [
        ("Pièce jointe ajoutée", "version1.pdf"),
        ("Pièce jointe ajoutée", "version2.pdf"),
        ("Pièce jointe retirée", "version1.pdf"),
    ]
    # Every version stays downloadable from the history.
    assert sophie.get(first["downloadUrl"]).content == PDF
    assert code_of(refused(sophie, REMOVE_ATTACHMENT, {"id": first["id"]})) == "NOT_FOUND"


def csrf_of(client: httpx.Client) -> str:
    return session_payload(client.cookies[SESSION_COOKIE])["csrf"]


def form_upload(
    client: httpx.Client, dossier_id: str, csrf: str | None, filename: str, content: bytes
) -> httpx.Response:
    data = {"csrf": csrf} if csrf is not None else {}
    return client.post(
        f"/dossiers/{numeric_id(dossier_id)}/pieces-jointes",
        data=data,
        files={"file": (filename, content, "application/pdf")},
    )


def test_the_browser_form_uploads_with_the_session_csrf_token(sophie):
    dossier = create(sophie, "TEA")
    response = form_upload(sophie, dossier["id"], csrf_of(sophie), "../bon de commande.pdf", PDF)
    assert response.status_code == 303, response.text
    location = urlsplit(response.headers["location"])
    assert location.path == f"/dossiers/{numeric_id(dossier['id'])}"
    assert location.fragment == "pieces-jointes"
    message = parse_qs(location.query)["message"][0]
    assert message == "Pièce jointe « bon de commande.pdf » ajoutée."
    listed = get(sophie, dossier["id"])["allAttachments"]
    assert [(a["filename"], a["sha256"]) for a in listed] == [
        ("bon de commande.pdf", hashlib.sha256(PDF).hexdigest())
    ]


def test_the_browser_form_reports_a_refused_file_on_the_page(sophie):
    dossier = create(sophie, "TEA")
    response = form_upload(sophie, dossier["id"], csrf_of(sophie), "photo.pdf", PNG)
    assert response.status_code == 303
    error = parse_qs(urlsplit(response.headers["location"]).query)["erreur"][0]
    assert "ne correspond pas" in error
    assert get(sophie, dossier["id"])["allAttachments"] == []


@pytest.mark.parametrize("csrf", [None, "", "forged-token"])
def test_the_browser_form_without_the_right_csrf_token_is_forbidden(sophie, csrf):
    dossier = create(sophie, "TEA")
    response = form_upload(sophie, dossier["id"], csrf, "facture.pdf", PDF)
    assert response.status_code == 403
    assert "Formulaire expiré" in response.text
    assert get(sophie, dossier["id"])["allAttachments"] == []


def test_the_browser_form_does_not_reach_another_operators_dossier(stranger, durand_draft):
    response = form_upload(stranger, durand_draft["id"], csrf_of(stranger), "intrus.pdf", PDF)
    assert response.status_code == 404
    # Another user's token is not this session's.
    assert csrf_of(stranger) != ""


def test_the_browser_form_refuses_a_token_of_another_session(sophie, paul, durand_draft):
    response = form_upload(sophie, durand_draft["id"], csrf_of(paul), "facture.pdf", PDF)
    assert response.status_code == 403


def test_the_download_sends_each_security_header_once(sophie, durand_attachment):
    """The route sets X-Content-Type-Options and so does the portal's middleware: the header must not be doubled."""
    _, attachment = durand_attachment
    response = sophie.get(attachment["downloadUrl"])
    assert response.headers.get_list("x-content-type-options") == ["nosniff"]


def test_an_attachment_is_a_node_only_for_who_may_see_it(sophie, stranger, durand_attachment):
    """`Attachment` implements Node: `node(id)` answers it (or null), never an internal error."""
    _, attachment = durand_attachment
    query = "query($id: ID!) { node(id: $id) { id ... on Attachment { filename sha256 } } }"
    body = call(stranger, query, {"id": attachment["id"]})
    assert not body.get("errors"), body
    assert body["data"]["node"] is None
    body = call(sophie, query, {"id": attachment["id"]})
    assert not body.get("errors"), body
    assert body["data"]["node"] == {
        "id": attachment["id"],
        "filename": "passwd.pdf",
        "sha256": attachment["sha256"],
    }


# --- "Contrôler" on the unsaved input ---------------------------------------------------------------------------------

CHECK_CHANGES = """
mutation Check($id: ID!, $changes: JSON) { checkDossier(id: $id, changes: $changes) { ok problems { path code message } } }
"""


def check_changes(client: httpx.Client, dossier_id: str, changes: Any) -> set[tuple[str, str]]:
    result = ok(client, CHECK_CHANGES, {"id": dossier_id, "changes": changes})["checkDossier"]
    return {(p["path"], p["code"]) for p in result["problems"]}


def test_check_applies_the_unsaved_input_without_saving_it(sophie):
    dossier = complete(sophie, "IPO")
    assert check_changes(sophie, dossier["id"], {"specific.priorExport": True}) == {
        ("specific.priorExport", "PRIOR_EXPORT_NEEDS_EQUIVALENT_GOODS"),
        ("specific.importPeriodMonths", "REQUIRED"),
    }
    fixed = {"specific.priorExport": True, "specific.equivalentGoods": "oui", "specific.importPeriodMonths": "6"}
    assert check_changes(sophie, dossier["id"], fixed) == set()
    after = get(sophie, dossier["id"])
    assert after["version"] == dossier["version"]
    assert after["answers"] == dossier["answers"]


def test_check_reports_a_malformed_or_unknown_input_as_a_problem(sophie):
    dossier = complete(sophie, "TEA")
    found = check_changes(sophie, dossier["id"], {"misc.dischargePeriodMonths": "douze", "specific.nope": 1})
    assert found == {("misc.dischargePeriodMonths", "INVALID_VALUE"), ("specific.nope", "UNKNOWN_FIELD")}
    assert get(sophie, dossier["id"])["version"] == dossier["version"]
    error = refused(sophie, CHECK_CHANGES, {"id": dossier["id"], "changes": ["misc.dischargePeriodMonths"]})
    assert code_of(error) == "INVALID_VALUE"


def test_a_malformed_storage_place_is_one_problem_not_three(sophie):
    """A malformed value replaces the "required" problems of its field (services.check_dossier says so): a storage
    place with a bad e-mail is that one problem, not also « storage places required » and « exactly one place »."""
    dossier = complete(sophie, "CW")
    places = [{"name": "Quai 4", "country": "FR", "address": "Port de Lyon", "email": "pas-une-adresse"}]
    found = check_changes(sophie, dossier["id"], {"specific.storagePlaces": places})
    assert found == {("specific.storagePlaces.0.email", "INVALID_VALUE")}, found


# --- customs officers ------------------------------------------------------------------------------------------------


def test_officers_see_the_submitted_dossiers_of_their_office_only(people, sophie):
    claire = people("claire.bernard@douane.gouv.fr", accept=False)
    hugo = people("hugo.lambert@douane.gouv.fr", accept=False)
    draft = complete(sophie, "TEA")
    assert ok(claire, GET, {"id": draft["id"]})["dossier"] is None  # a draft stays with the applicant
    attachment = uploaded(upload(sophie, draft["id"], "annexe.pdf", PDF))
    submitted = ok(sophie, SUBMIT, {"id": draft["id"], "version": draft["version"]})["submitDossier"]
    seen = ok(claire, GET, {"id": draft["id"]})["dossier"]
    assert seen["status"] == "SUBMITTED" and seen["customsOffice"] == "FR000690"
    assert claire.get(attachment["downloadUrl"]).content == PDF
    assert ok(hugo, GET, {"id": draft["id"]})["dossier"] is None
    assert hugo.get(attachment["downloadUrl"]).status_code == 404
    # Officers examine; they do not fill in the applicant's form.
    error = refused(claire, UPDATE, {"id": draft["id"], "version": submitted["version"], "changes": {}})
    assert code_of(error) in ("PROFESSIONAL_ONLY", "NOT_EDITABLE", "FORBIDDEN")
    assert code_of(refused(claire, CREATE, {"procedure": "TEA"})) == "PROFESSIONAL_ONLY"
