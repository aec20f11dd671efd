"""What the dossier API tests share: demo accounts, GraphQL documents, and small calls that assert their outcome."""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
import uuid
from typing import Any

import httpx
from sqlmodel import select

from backend.app import SESSION_COOKIE
from backend.clock import paris_today
from backend.db import utcnow
from backend.dossiers.catalogue import Procedure
from backend.dossiers.models import Dossier, DossierEvent, DossierStatus
from backend.identity.models import Operator, User
from tests.dossiers.factories import answers, goods_inputs
from tests.processing_support import global_id, numeric_id, ok

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


def todays() -> tuple[dt.date, dt.date]:
    """Today in UTC and in France: they differ late in the evening (Paris), and a date rule must hold either way."""
    now = utcnow()
    return now.date(), paris_today(now)


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


CHECK_CHANGES = """
mutation Check($id: ID!, $changes: JSON) { checkDossier(id: $id, changes: $changes) { ok problems { path code message } } }
"""


def check_changes(client: httpx.Client, dossier_id: str, changes: Any) -> set[tuple[str, str]]:
    result = ok(client, CHECK_CHANGES, {"id": dossier_id, "changes": changes})["checkDossier"]
    return {(p["path"], p["code"]) for p in result["problems"]}
