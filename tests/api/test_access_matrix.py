"""THE ACCESS MATRIX: every actor kind of the demo data × every operation of the API × own / other operator, with the
expected outcome written out as a table, executed over real HTTP against the live portal.

How to read a row: `(actor, operation, target, expected)`.
- actor: a key of ACTORS (a logged-in demo account, a fresh account, an API token, or nobody);
- operation: a key of OPERATIONS (a GraphQL document and the builder of its variables);
- target: what the operation is aimed at — an operator key (DURAND, MARTIN, CHOCOLAT, VERRERIE, RHONE, NEW, MISSING),
  a mandate "REPRESENTED<REPRESENTATIVE", a dossier key of DOSSIERS (DURAND, DURAND+SUBMITTED, VERRERIE<MARTIN, …),
  a node "Type:key", an alias pair "OWN|OTHER", or `_` when there is none;
- expected: ALLOW (data is there), NULL (data is null, no error: "not found" for a nullable lookup), `sees(...)`
  (ALLOW, and the list shows exactly these operators), `shows(...)` (ALLOW, and of the DOSSIERS exactly these are
  listed), an error code (NOT_FOUND, FORBIDDEN, PROFESSIONAL_ONLY, TERMS_NOT_ACCEPTED, UNAUTHENTICATED, …), or
  `fields(a=…, b=…)` for several aliased root fields.

Dossiers (issue 4): lookups read the fixture dossiers of DOSSIERS, made once for the module (each with one goods line
and one attachment); a mutation row works on a fresh copy of the target's dossier made for the row only, and every
dossier a row made (createDossier included) is deleted after it, so the fixture dossiers never change (the demo-state
check compares them too).

To extend (later issues: authorisations…): add an entry to OPERATIONS and rows to MATRIX. A builder receives a
`Row` context: it resolves targets to global ids, may create what the row needs (`await row.insert(...)`) and must
register the undoing of anything it or the operation changes (`row.cleanup(...)`), so that row order never matters.
After every row, the demo state (rights, administrators, mandates, tokens, terms acceptances, chosen operators) is
compared with the state before the first row.

Rows marked `# ISSUE:` state the issue's rule where the code currently disagrees (see the report of the change).
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import hashlib
import inspect
import json
import random
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import httpx
import pytest
import pytest_asyncio
import sqlalchemy as sa
from sqlmodel import select

from backend.api.dossiers import DossierMutation, DossierQuery
from backend.api.identity import IdentityMutation, IdentityQuery
from backend.api.ids import encode_id
from backend.api.schema import schema
from backend.auth.sessions import WebSession
from backend.db import Database, utcnow
from backend.dossiers.catalogue import Procedure
from backend.dossiers.form import field_specs, parse_value
from backend.dossiers.models import Attachment, Dossier, DossierEvent, DossierStatus, GoodsLine
from backend.dossiers.storage import FileSystemStorage
from backend.identity.identifiers import luhn_ok
from backend.identity.models import (
    SOPRANO,
    AccountKind,
    Habilitation,
    MandateScope,
    Operator,
    Representation,
    Right,
    TermsAcceptance,
    TermsVersion,
    User,
)
from backend.identity.tokens import ApiToken, create_token
from backend.identity.users import upsert_user_from_claims
from tests.conftest import graphql, login, unique_sub
from tests.dossiers.factories import answers, goods

# --- expected outcomes --------------------------------------------------------------------------------------------

ALLOW = "ALLOW"  # no error, the field is not null
NULL = "NULL"  # no error, the field is null (a nullable lookup of something not visible, or nobody's `me`)
NOT_FOUND = "NOT_FOUND"
FORBIDDEN = "FORBIDDEN"
PROFESSIONAL_ONLY = "PROFESSIONAL_ONLY"
TERMS_NOT_ACCEPTED = "TERMS_NOT_ACCEPTED"
UNAUTHENTICATED = "UNAUTHENTICATED"
SESSION_REQUIRED = "SESSION_REQUIRED"
LAST_ADMINISTRATOR = "LAST_ADMINISTRATOR"
ACTING_OPERATOR_REQUIRED = "ACTING_OPERATOR_REQUIRED"
NOT_EDITABLE = "NOT_EDITABLE"


@dataclass(frozen=True)
class Sees:
    """ALLOW, and the list answered names exactly these operators."""

    operators: tuple[str, ...]

    def __repr__(self) -> str:
        return f"sees({', '.join(self.operators)})"


def sees(*operators: str) -> Sees:
    return Sees(tuple(sorted(operators)))


@dataclass(frozen=True)
class Shows:
    """ALLOW, and of the fixture dossiers (DOSSIERS), the list answered holds exactly these."""

    dossiers: tuple[str, ...]

    def __repr__(self) -> str:
        return f"shows({', '.join(self.dossiers)})"


def shows(*dossiers: str) -> Shows:
    assert set(dossiers) <= set(DOSSIERS), dossiers
    return Shows(tuple(sorted(dossiers)))


def fields(**outcomes: Any) -> dict[str, Any]:
    """Outcomes of several root fields of one document (aliases)."""
    return outcomes


_ = None  # no target

# --- the demo world ---------------------------------------------------------------------------------------------

# Operator keys → SIRET (backend/demo.py); NEW is the newcomer's own operator, MISSING a valid id of nothing.
SIRETS = {
    "DURAND": "55210055400013",  # Ateliers Durand: admin Marie, collaborators Paul (consult) and Sophie (submit)
    "MARTIN": "73282932000017",  # Transitaire Martin & Fils: customs representative, admin Lucie
    "CHOCOLAT": "40483304800014",  # Chocolaterie du Nord: represented by Martin (full mandate), no user
    "VERRERIE": "81234567600017",  # Verrerie de Provence: represented by Martin (partial mandate), no user
    "RHONE": "38012986600014",  # Logistique Rhône: admin Karim, himself partner (prepare) of Ateliers Durand
}
MISSING = "MISSING"
MISSING_ID = 987_654_321


class DossierSpec(NamedTuple):
    operator: str  # the applicant operator
    filed_by: str | None  # the representative operator that filed it; None: filed by the operator itself
    status: DossierStatus
    office: str  # applicant.customsOffice (the office that examines it once submitted)
    creator: str  # user key (the person does not matter to the policy; the operators do)


DRAFT, SUBMITTED = DossierStatus.DRAFT, DossierStatus.SUBMITTED
# Dossier keys → what such a dossier is. Every one is a complete temporary-admission application (it may be submitted)
# with one goods line and one attachment.
DOSSIERS = {
    "DURAND": DossierSpec("DURAND", None, DRAFT, "FR000690", "marie"),
    "DURAND+SUBMITTED": DossierSpec("DURAND", None, SUBMITTED, "FR000690", "marie"),  # examined by Claire's office
    "RHONE": DossierSpec("RHONE", None, DRAFT, "FR000690", "karim"),
    "MARTIN": DossierSpec("MARTIN", None, DRAFT, "FR000690", "lucie"),
    "CHOCOLAT": DossierSpec("CHOCOLAT", "MARTIN", DRAFT, "FR002300", "lucie"),
    "CHOCOLAT+SUBMITTED": DossierSpec("CHOCOLAT", "MARTIN", SUBMITTED, "FR002300", "lucie"),  # Hugo's office
    # Verrerie de Provence, represented by Martin under a PARTIAL mandate: filed by Martin, or by someone else.
    "VERRERIE<MARTIN": DossierSpec("VERRERIE", "MARTIN", DRAFT, "FR000690", "lucie"),
    "VERRERIE": DossierSpec("VERRERIE", None, DRAFT, "FR000690", "filer"),
    "NEW": DossierSpec("NEW", None, DRAFT, "FR000690", "newcomer"),
}
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"

# Actor keys → demo account (sub), or how the actor is made.
ACTORS = {
    "admin": "marie.durand@ateliers-durand.fr",
    "consult": "paul.lefevre@ateliers-durand.fr",
    "submit": "sophie.moreau@ateliers-durand.fr",
    "partner": "karim.benali@logistique-rhone.fr",
    "representative": "lucie.martin@transitaire-martin.fr",
    "private": "jean.petit@exemple.fr",
    "officer": "claire.bernard@douane.gouv.fr",
    "officer2": "hugo.lambert@douane.gouv.fr",
    "anonymous": None,
    "token": "API token of the admin, bound to Ateliers Durand, right consult",
    "member": "a fresh user of Ateliers Durand, without any habilitation (terms accepted)",
    "newcomer": "a fresh professional, administrator of their own new operator NEW, terms NOT accepted",
}
PROFESSIONALS = ("admin", "consult", "submit", "partner", "representative", "member")
# Demo users by the short key used in node targets ("User:paul").
DEMO_USERS = {
    "marie": ACTORS["admin"],
    "paul": ACTORS["consult"],
    "sophie": ACTORS["submit"],
    "karim": ACTORS["partner"],
    "lucie": ACTORS["representative"],
    "jean": ACTORS["private"],
    "claire": ACTORS["officer"],
    "hugo": ACTORS["officer2"],
}
ACTOR_USER = {  # actor → user key
    "admin": "marie",
    "consult": "paul",
    "submit": "sophie",
    "partner": "karim",
    "representative": "lucie",
    "private": "jean",
    "officer": "claire",
    "officer2": "hugo",
    "token": "marie",
    "member": "member",
    "newcomer": "newcomer",
}


def fresh_siret() -> str:
    """A random SIRET with a valid Luhn key (never La Poste's SIREN)."""
    while True:
        body = str(random.randint(10**12, 10**13 - 1))
        for key in range(10):
            siret = f"{body}{key}"
            if luhn_ok(siret) and not siret.startswith("356000000"):
                return siret


def session_id_of(client: httpx.Client) -> str:
    """The server-side id (SHA-256 of the cookie's session id) of a logged-in client's session."""
    cookie = client.cookies.get("soprano_session")
    payload = cookie.split(".")[0]
    data = json.loads(base64.b64decode(payload + "=" * (-len(payload) % 4)))
    return hashlib.sha256(data["sid"].encode()).hexdigest()


@dataclass
class World:
    """Ids of everything the rows refer to, and a Database of the test loop to prepare and undo rows."""

    db: Database
    operators: dict[str, int] = field(default_factory=dict)  # key → id
    operator_names: dict[str, str] = field(default_factory=dict)  # key → legal name
    users: dict[str, User] = field(default_factory=dict)  # user key → row
    habilitations: dict[str, int] = field(default_factory=dict)  # "user@OPERATOR" → id
    mandates: dict[str, int] = field(default_factory=dict)  # "REPRESENTED<REPRESENTATIVE" → id
    tokens: dict[str, int] = field(default_factory=dict)  # user key → id of a spare token of theirs
    sessions: dict[str, str] = field(default_factory=dict)  # actor → server-side session id
    terms_version: str = ""
    dossiers: dict[str, int] = field(default_factory=dict)  # fixture dossier key → id
    goods_lines: dict[str, int] = field(default_factory=dict)  # fixture dossier key → id of its goods line
    attachments: dict[str, int] = field(default_factory=dict)  # fixture dossier key → id of its attachment
    baseline: dict[str, Any] = field(default_factory=dict)

    def operator_id(self, key: str) -> int:
        return MISSING_ID if key == MISSING else self.operators[key]

    def operator_gid(self, key: str) -> str:
        return encode_id("Operator", self.operator_id(key))

    def node_gid(self, ref: str) -> str:
        kind, _, key = ref.partition(":")
        if key == MISSING:
            return encode_id(kind, MISSING_ID)
        ids = {
            "Operator": self.operators,
            "User": {k: u.id for k, u in self.users.items()},
            "Habilitation": self.habilitations,
            "Representation": self.mandates,
            "ApiToken": self.tokens,
            "Dossier": self.dossiers,
            "GoodsLine": self.goods_lines,
            "Attachment": self.attachments,
        }[kind]
        return encode_id(kind, ids[key])

    def dossier_gid(self, key: str) -> str:
        return encode_id("Dossier", MISSING_ID if key == MISSING else self.dossiers[key])


@dataclass
class Row:
    """What a variables builder sees: the world, the row's actor and target, and the row's undo list."""

    world: World
    actor: str
    target: Any
    undo: list[Callable[[], Awaitable[None]]] = field(default_factory=list)

    @property
    def user(self) -> User | None:
        key = ACTOR_USER.get(self.actor)
        return self.world.users[key] if key else None

    def cleanup(self, fn: Callable[[], Awaitable[None]]) -> None:
        self.undo.append(fn)

    async def insert(self, row):
        async with self.world.db.session() as session:
            session.add(row)
            await session.commit()
            await session.refresh(row)
            return row

    async def execute(self, statement) -> None:
        async with self.world.db.session() as session:
            await session.exec(statement)
            await session.commit()

    def pair(self) -> tuple[str, str]:
        represented, _, representative = self.target.partition("<")
        return represented, representative


# --- operations: name → (document, variables builder) -------------------------------------------------------------


class Operation(NamedTuple):
    document: str
    variables: Callable[[Row], dict | Awaitable[dict]]
    # For `sees(...)`: the operators' names in the answered list.
    names: Callable[[Any], list[str]] | None = None
    # How the request is sent (client, document, variables) → response; default: a GraphQL JSON POST.
    send: Callable[[httpx.Client, str, dict], httpx.Response] | None = None


def no_variables(row: Row) -> dict:
    return {}


def operator_arg(name: str) -> Callable[[Row], dict]:
    return lambda row: {name: row.world.operator_gid(row.target)}


def node_arg(row: Row) -> dict:
    return {"id": row.world.node_gid(row.target)}


def alias_pair(row: Row) -> dict:
    own, _, other = row.target.partition("|")
    if ":" in own:
        return {"a": row.world.node_gid(own), "b": row.world.node_gid(other)}
    return {"a": row.world.operator_gid(own), "b": row.world.operator_gid(other)}


async def delete_habilitations_of(row: Row, user: User) -> None:
    await row.execute(sa.delete(Habilitation).where(Habilitation.user_id == user.id))


def grant(*, unknown_email: bool = False) -> Callable[[Row], dict]:
    """Give the grantee (a fresh professional of their own operator) `consult` on the target operator."""

    def build(row: Row) -> dict:
        grantee = row.world.users["grantee"]
        row.cleanup(lambda: delete_habilitations_of(row, grantee))
        email = unique_sub("nobody") if unknown_email else grantee.email
        return {"input": {"operatorId": row.world.operator_gid(row.target), "email": email, "right": "CONSULT"}}

    return build


async def revoke_fresh_habilitation(row: Row) -> dict:
    """A habilitation of the grantee on the target operator, made for this row only."""
    if row.target == MISSING:
        return {"id": encode_id("Habilitation", MISSING_ID)}
    grantee = row.world.users["grantee"]
    row.cleanup(lambda: delete_habilitations_of(row, grantee))
    habilitation = await row.insert(
        Habilitation(
            operator_id=row.world.operator_id(row.target),
            user_id=grantee.id,
            right=Right.CONSULT,
            granted_by_id=row.world.users["marie"].id,
        )
    )
    return {"id": encode_id("Habilitation", habilitation.id)}


async def revoke_own_habilitation(row: Row) -> dict:
    """The actor's own (demo) habilitation on the target operator; restored should the row revoke it."""
    habilitation_id = row.world.habilitations[f"{ACTOR_USER[row.actor]}@{row.target}"]

    async def restore() -> None:
        await row.execute(
            sa.update(Habilitation)
            .where(Habilitation.id == habilitation_id)
            .values(revoked_at=None, revoked_by_id=None)
        )

    row.cleanup(restore)
    return {"id": encode_id("Habilitation", habilitation_id)}


def restore_admin_flag(row: Row, user: User) -> None:
    async def restore() -> None:
        await row.execute(sa.update(User).where(User.id == user.id).values(is_admin=user.is_admin))

    row.cleanup(restore)


def set_administrator(*, mode: str = "member") -> Callable[[Row], dict]:
    """member: name a (non-admin) member of the target operator administrator; self: remove oneself;
    foreign: name a user of another operator (Karim, of Logistique Rhône)."""

    def build(row: Row) -> dict:
        world = row.world
        if mode == "self":
            user, is_admin = row.user, False
        elif mode == "foreign":
            user, is_admin = world.users["karim"], True
        else:
            user, is_admin = world.users.get(f"member@{row.target}", world.users["paul"]), True
        restore_admin_flag(row, user)
        return {
            "operatorId": world.operator_gid(row.target),
            "userId": encode_id("User", user.id),
            "isAdmin": is_admin,
        }

    return build


async def create_representation(row: Row) -> dict:
    represented, representative = row.pair()
    world = row.world
    async with world.db.session() as session:
        before = set((await session.exec(select(Representation.id))).all())

    async def remove_new() -> None:
        await row.execute(sa.delete(Representation).where(Representation.id.not_in(before)))

    row.cleanup(remove_new)
    return {
        "input": {
            "representedOperatorId": world.operator_gid(represented),
            "representativeSiret": SIRETS[representative],
            "scope": "FULL",
            "validFrom": dt.date.today().isoformat(),
        }
    }


async def end_fresh_representation(row: Row) -> dict:
    """A mandate REPRESENTED<REPRESENTATIVE made for this row only."""
    if row.target == MISSING:
        return {"id": encode_id("Representation", MISSING_ID)}
    represented, representative = row.pair()
    mandate = await row.insert(
        Representation(
            representative_id=row.world.operator_id(representative),
            represented_id=row.world.operator_id(represented),
            scope=MandateScope.FULL,
            valid_from=dt.date(2026, 1, 1),
            created_by_id=row.world.users["claire"].id,
        )
    )
    row.cleanup(lambda: row.execute(sa.delete(Representation).where(Representation.id == mandate.id)))
    return {"id": encode_id("Representation", mandate.id)}


def forget_acting_operator(row: Row) -> None:
    """Undo a choice of operator: the actor's session goes back to choosing none."""
    session_id = row.world.sessions.get(row.actor)
    if session_id is not None:
        row.cleanup(
            lambda: row.execute(
                sa.update(WebSession).where(WebSession.id == session_id).values(acting_operator_id=None)
            )
        )


def select_acting_operator(row: Row) -> dict:
    forget_acting_operator(row)
    return {"operatorId": row.world.operator_gid(row.target)}


def select_two_acting_operators(row: Row) -> dict:
    forget_acting_operator(row)
    return alias_pair(row)


def create_api_token(right: str | None) -> Callable[[Row], dict]:
    def build(row: Row) -> dict:
        name = f"matrice {unique_sub('jeton')}"
        row.cleanup(lambda: row.execute(sa.delete(ApiToken).where(ApiToken.name == name)))
        payload: dict[str, Any] = {"name": name, "expiresInDays": 1}
        if right is not None:
            payload |= {"operatorId": row.world.operator_gid(row.target), "right": right}
        return {"input": payload}

    return build


async def revoke_api_token(row: Row) -> dict:
    """mine: a token of the actor made for this row; ApiToken:key: a spare token of someone (restored)."""
    if row.target == "mine":
        async with row.world.db.session() as session:
            token, _raw = await create_token(session, row.user, name="matrice: à révoquer", days=1)
        row.cleanup(lambda: row.execute(sa.delete(ApiToken).where(ApiToken.id == token.id)))
        return {"id": encode_id("ApiToken", token.id)}
    _kind, _, key = row.target.partition(":")
    if key != MISSING:
        token_id = row.world.tokens[key]
        row.cleanup(
            lambda: row.execute(sa.update(ApiToken).where(ApiToken.id == token_id).values(revoked_at=None))
        )
    return {"id": row.world.node_gid(row.target)}


def accept_terms(row: Row) -> dict:
    return {"version": row.world.terms_version}


# --- dossiers (issue 4) ---


def complete_answers(office: str) -> dict[str, Any]:
    """A complete temporary-admission application, in its stored form (as a save would store it)."""
    procedure = Procedure.TEMPORARY_ADMISSION
    specs = field_specs(procedure)
    stored = {path: parse_value(specs[path], value) for path, value in answers(procedure).items()}
    return {**stored, "applicant.customsOffice": office}


async def insert_dossier(world: World, key: str) -> tuple[int, int, int]:
    """A dossier as DOSSIERS[key] describes it, with one goods line and one attachment: their ids."""
    spec = DOSSIERS[key]
    creator = world.users[spec.creator]
    now = utcnow()
    async with world.db.session() as session:
        dossier = Dossier(
            reference=f"SOP-M-{uuid.uuid4().hex[:12]}",
            operator_id=world.operators[spec.operator],
            filed_by_operator_id=world.operators[spec.filed_by] if spec.filed_by else None,
            procedure=Procedure.TEMPORARY_ADMISSION.value,
            status=spec.status,
            data=complete_answers(spec.office),
            customs_office=spec.office,
            created_by_id=creator.id,
            created_at=now,
            updated_by_id=creator.id,
            updated_at=now,
            submitted_at=now if spec.status is SUBMITTED else None,
        )
        session.add(dossier)
        await session.flush()
        view = goods(Procedure.TEMPORARY_ADMISSION)[0]
        line = GoodsLine(
            dossier_id=dossier.id,
            kind=view.kind,
            position=1,
            cn_code=view.cn_code,
            description=view.description,
            quantity=view.quantity,
            unit=view.unit,
            value=view.value,
        )
        digest = hashlib.sha256(PDF).hexdigest()
        attachment = Attachment(
            dossier_id=dossier.id,
            filename="matrice.pdf",
            content_type="application/pdf",
            size=len(PDF),
            sha256=digest,
            storage_key=digest,
            uploaded_by_id=creator.id,
            uploaded_at=now,
        )
        session.add_all([line, attachment])
        session.add(
            DossierEvent(dossier_id=dossier.id, kind="created", actor_id=creator.id, to_status="draft", at=now)
        )
        if spec.status is SUBMITTED:
            session.add(
                DossierEvent(
                    dossier_id=dossier.id,
                    kind="submitted",
                    actor_id=creator.id,
                    from_status="draft",
                    to_status="submitted",
                    at=now,
                )
            )
        await session.commit()
        return dossier.id, line.id, attachment.id


async def forget_new_dossiers(row: Row) -> None:
    """Every dossier made from now on (by the row's builder or by the operation) is deleted after the row."""
    async with row.world.db.session() as session:
        last = (await session.exec(select(sa.func.max(Dossier.id)))).one() or 0

    async def delete() -> None:
        async with row.world.db.session() as session:
            made = select(Dossier.id).where(Dossier.id > last)
            for child in (DossierEvent, GoodsLine, Attachment):
                await session.exec(sa.delete(child).where(child.dossier_id.in_(made)))
            await session.exec(sa.delete(Dossier).where(Dossier.id > last))
            await session.commit()

    row.cleanup(delete)


async def fresh_dossier(row: Row) -> tuple[str, str, str]:
    """Global ids of a dossier like the target's (and of its goods line and attachment), made for this row only."""
    if row.target == MISSING:
        return (
            encode_id("Dossier", MISSING_ID),
            encode_id("GoodsLine", MISSING_ID),
            encode_id("Attachment", MISSING_ID),
        )
    await forget_new_dossiers(row)
    dossier_id, line_id, attachment_id = await insert_dossier(row.world, row.target)
    return (
        encode_id("Dossier", dossier_id),
        encode_id("GoodsLine", line_id),
        encode_id("Attachment", attachment_id),
    )


def dossier_arg(row: Row) -> dict:
    return {"id": row.world.dossier_gid(row.target)}


def dossier_pair(row: Row) -> dict:
    own, _, other = row.target.partition("|")
    return {"a": row.world.dossier_gid(own), "b": row.world.dossier_gid(other)}


async def create_dossier(row: Row) -> dict:
    """For the operator named by operatorId (the target)."""
    await forget_new_dossiers(row)
    return {"procedure": "TEA", "operatorId": row.world.operator_gid(row.target)}


async def create_dossier_for_acting_operator(row: Row) -> dict:
    """Without operatorId: the acting operator decides. Target `_`: none chosen in the session (it is the only one
    the actor may act for, or there is none); an operator key: chosen in the session first (undone after the row)."""
    await forget_new_dossiers(row)
    if row.target is not None:
        forget_acting_operator(row)
        await row.execute(
            sa.update(WebSession)
            .where(WebSession.id == row.world.sessions[row.actor])
            .values(acting_operator_id=row.world.operator_id(row.target))
        )
    return {"procedure": "TEA"}


async def update_dossier(row: Row) -> dict:
    dossier, _line, _attachment = await fresh_dossier(row)
    return {"id": dossier, "version": 1, "changes": {"applicant.contactName": "Matrice des accès"}}


async def check_dossier(row: Row) -> dict:
    dossier, _line, _attachment = await fresh_dossier(row)
    return {"id": dossier}


async def submit_dossier(row: Row) -> dict:
    dossier, _line, _attachment = await fresh_dossier(row)  # complete: only the right can stop it
    return {"id": dossier, "version": 1}


async def add_goods_line(row: Row) -> dict:
    dossier, _line, _attachment = await fresh_dossier(row)
    values = {"cnCode": "84821010", "description": "Matrice", "quantity": "1", "unit": "KGM", "value": "1.00"}
    return {"dossierId": dossier, "kind": "GOODS", "input": values}


async def update_goods_line(row: Row) -> dict:
    _dossier, line, _attachment = await fresh_dossier(row)
    return {"id": line, "input": {"description": "Matrice des accès"}}


async def remove_goods_line(row: Row) -> dict:
    _dossier, line, _attachment = await fresh_dossier(row)
    return {"id": line}


async def upload_attachment(row: Row) -> dict:
    dossier, _line, _attachment = await fresh_dossier(row)
    return {"dossierId": dossier}


async def remove_attachment(row: Row) -> dict:
    _dossier, _line, attachment = await fresh_dossier(row)
    return {"id": attachment}


def multipart(client: httpx.Client, document: str, variables: dict) -> httpx.Response:
    """A GraphQL multipart request (the file is variables.file), with the header required against CSRF."""
    operations = {"query": document, "variables": {**variables, "file": None}}
    return client.post(
        "/graphql",
        data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.file"]})},
        files={"0": ("matrice.pdf", PDF, "application/pdf")},
        headers={"X-Soprano-Upload": "1"},
    )


def created_for(data) -> list[str]:
    return [data["operator"]["legalName"]]


def item_names(data) -> list[str]:
    return [o["legalName"] for o in data["items"]]


def represented_names(data) -> list[str]:
    return [r["represented"]["legalName"] for r in data]


OPERATIONS: dict[str, Operation] = {
    # --- queries
    "me": Operation("query { me { id name kind } }", no_variables),
    "operators": Operation(
        "query { operators(first: 100) { items { legalName } totalCount } }", no_variables, item_names
    ),
    "operator": Operation("query($id: ID!) { operator(id: $id) { id legalName } }", operator_arg("id")),
    "node": Operation("query($id: ID!) { node(id: $id) { __typename id } }", node_arg),
    "representedEntities": Operation(
        "query { representedEntities { id scope represented { legalName } } }", no_variables, represented_names
    ),
    "representatives": Operation(
        "query($operatorId: ID!) { representatives(operatorId: $operatorId) { id representative { legalName } } }",
        operator_arg("operatorId"),
    ),
    "habilitations": Operation(
        "query($operatorId: ID!) { habilitations(operatorId: $operatorId) { id right person { name } } }",
        operator_arg("operatorId"),
    ),
    "collaborators": Operation(
        "query($operatorId: ID!) { collaborators(operatorId: $operatorId) { id name } }",
        operator_arg("operatorId"),
    ),
    "accessAudit": Operation(
        "query($operatorId: ID!) { accessAudit(operatorId: $operatorId) { action at actorName } }",
        operator_arg("operatorId"),
    ),
    "termsOfUse": Operation("query { termsOfUse { version accepted } }", no_variables),
    "sopranoAccess": Operation("query { sopranoAccess { status message } }", no_variables),
    "apiTokens": Operation("query { apiTokens { id name } }", no_variables),
    # aliases: one document asks for something visible (a) and something not (b)
    "aliases:operator": Operation(
        "query($a: ID!, $b: ID!) { a: operator(id: $a) { legalName } b: operator(id: $b) { legalName } }",
        alias_pair,
    ),
    "aliases:node": Operation(
        "query($a: ID!, $b: ID!) { a: node(id: $a) { id } b: node(id: $b) { id } }", alias_pair
    ),
    "aliases:selectActingOperator": Operation(
        "mutation($a: ID!, $b: ID!) { a: selectActingOperator(operatorId: $a) { id } "
        "b: selectActingOperator(operatorId: $b) { id } }",
        select_two_acting_operators,
    ),
    # --- mutations
    "grantHabilitation": Operation(
        "mutation($input: GrantHabilitationInput!) { grantHabilitation(input: $input) { id right } }", grant()
    ),
    "grantHabilitation:unknown-email": Operation(
        "mutation($input: GrantHabilitationInput!) { grantHabilitation(input: $input) { id right } }",
        grant(unknown_email=True),
    ),
    "revokeHabilitation": Operation(
        "mutation($id: ID!) { revokeHabilitation(id: $id) { id revokedAt } }", revoke_fresh_habilitation
    ),
    "revokeHabilitation:mine": Operation(
        "mutation($id: ID!) { revokeHabilitation(id: $id) { id revokedAt } }", revoke_own_habilitation
    ),
    "setOperatorAdministrator": Operation(
        "mutation($operatorId: ID!, $userId: ID!, $isAdmin: Boolean!) "
        "{ setOperatorAdministrator(operatorId: $operatorId, userId: $userId, isAdmin: $isAdmin) { id isAdmin } }",
        set_administrator(),
    ),
    "setOperatorAdministrator:self-remove": Operation(
        "mutation($operatorId: ID!, $userId: ID!, $isAdmin: Boolean!) "
        "{ setOperatorAdministrator(operatorId: $operatorId, userId: $userId, isAdmin: $isAdmin) { id isAdmin } }",
        set_administrator(mode="self"),
    ),
    "setOperatorAdministrator:foreign-user": Operation(
        "mutation($operatorId: ID!, $userId: ID!, $isAdmin: Boolean!) "
        "{ setOperatorAdministrator(operatorId: $operatorId, userId: $userId, isAdmin: $isAdmin) { id isAdmin } }",
        set_administrator(mode="foreign"),
    ),
    "createRepresentation": Operation(
        "mutation($input: CreateRepresentationInput!) { createRepresentation(input: $input) { id scope } }",
        create_representation,
    ),
    "endRepresentation": Operation(
        "mutation($id: ID!) { endRepresentation(id: $id) { id endedAt } }", end_fresh_representation
    ),
    "selectActingOperator": Operation(
        "mutation($operatorId: ID!) { selectActingOperator(operatorId: $operatorId) { id actingOperator { id } } }",
        select_acting_operator,
    ),
    "acceptTerms": Operation(
        "mutation($version: String!) { acceptTerms(version: $version) { version accepted } }", accept_terms
    ),
    "createApiToken": Operation(
        "mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { token apiToken { id } } }",
        create_api_token("CONSULT"),
    ),
    "createApiToken:submit": Operation(
        "mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { token apiToken { id } } }",
        create_api_token("SUBMIT"),
    ),
    "createApiToken:unbound": Operation(
        "mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { token apiToken { id } } }",
        create_api_token(None),
    ),
    "revokeApiToken": Operation(
        "mutation($id: ID!) { revokeApiToken(id: $id) { id revokedAt } }", revoke_api_token
    ),
    # --- dossiers (issue 4): queries
    "procedures": Operation(
        "query { procedures { code label rubriques { code fields { path mandatory } } } }", no_variables
    ),
    "codeList": Operation(
        "query($name: String!) { codeList(name: $name) { name entries { code } } }", lambda row: {"name": "units"}
    ),
    "attachmentPolicy": Operation("query { attachmentPolicy { maxBytes } }", no_variables),
    "dossierStatuses": Operation(
        "query { dossierStatuses { code label operatorBucket officerBucket officerBucketOnceOverdue } }",
        no_variables,
    ),
    # The dossier's per-reader fields: what the reader may do now, and who took it at customs.
    "dossier:actions": Operation(
        "query($id: ID!) { dossier(id: $id) { id availableActions actions { code label needsMessage needsDate } "
        "assignedOfficer } }",
        dossier_arg,
    ),
    "dossier": Operation(
        "query($id: ID!) { dossier(id: $id) { id reference status operator { legalName } goods { id } "
        "attachments { id } } }",
        dossier_arg,
    ),
    "dossiers": Operation(
        "query { dossiers(first: 200) { dossier { id } operator { legalName } } }", no_variables
    ),
    "aliases:dossier": Operation(
        "query($a: ID!, $b: ID!) { a: dossier(id: $a) { id } b: dossier(id: $b) { id } }", dossier_pair
    ),
    # --- dossiers (issue 4): mutations, each on a dossier made for the row
    "createDossier": Operation(
        "mutation($procedure: ProcedureCode!, $operatorId: ID) "
        "{ createDossier(procedure: $procedure, operatorId: $operatorId) { id reference operator { legalName } } }",
        create_dossier,
        created_for,
    ),
    "createDossier:acting": Operation(
        "mutation($procedure: ProcedureCode!) { createDossier(procedure: $procedure) { id operator { legalName } } }",
        create_dossier_for_acting_operator,
        created_for,
    ),
    "updateDossier": Operation(
        "mutation($id: ID!, $version: Int!, $changes: JSON!) "
        "{ updateDossier(id: $id, version: $version, changes: $changes) { id version } }",
        update_dossier,
    ),
    "checkDossier": Operation(
        "mutation($id: ID!) { checkDossier(id: $id) { ok problems { path code } } }", check_dossier
    ),
    "submitDossier": Operation(
        "mutation($id: ID!, $version: Int!) { submitDossier(id: $id, version: $version) { id status } }",
        submit_dossier,
    ),
    "addGoodsLine": Operation(
        "mutation($dossierId: ID!, $kind: String!, $input: GoodsLineInput!) "
        "{ addGoodsLine(dossierId: $dossierId, kind: $kind, input: $input) { id } }",
        add_goods_line,
    ),
    "updateGoodsLine": Operation(
        "mutation($id: ID!, $input: GoodsLineInput!) { updateGoodsLine(id: $id, input: $input) { id description } }",
        update_goods_line,
    ),
    "removeGoodsLine": Operation(
        "mutation($id: ID!) { removeGoodsLine(id: $id) { id goods { id } } }", remove_goods_line
    ),
    "uploadAttachment": Operation(
        "mutation($dossierId: ID!, $file: Upload!) { uploadAttachment(dossierId: $dossierId, file: $file) "
        "{ id sha256 } }",
        upload_attachment,
        send=multipart,
    ),
    "removeAttachment": Operation(
        "mutation($id: ID!) { removeAttachment(id: $id) { id removedAt } }", remove_attachment
    ),
}

# --- THE TABLE ------------------------------------------------------------------------------------------------------

MATRIX: list[tuple[str, str, Any, Any]] = [
    # ---------------------------------------------------------------- admin: Marie, administrator of Ateliers Durand
    ("admin", "me", _, ALLOW),
    ("admin", "operators", _, sees("DURAND")),
    ("admin", "operator", "DURAND", ALLOW),
    ("admin", "operator", "CHOCOLAT", NULL),
    ("admin", "operator", "MARTIN", NULL),  # her representative, but not an operator she acts for
    ("admin", "operator", MISSING, NULL),
    ("admin", "node", "Operator:DURAND", ALLOW),
    ("admin", "node", "Operator:CHOCOLAT", NULL),
    ("admin", "node", "Operator:MISSING", NULL),
    ("admin", "node", "User:paul", ALLOW),  # a user of her operator
    ("admin", "node", "User:karim", ALLOW),  # a partner she habilitated
    ("admin", "node", "User:lucie", NULL),
    ("admin", "node", "User:claire", NULL),
    ("admin", "node", "User:MISSING", NULL),
    ("admin", "node", "Habilitation:paul@DURAND", ALLOW),
    ("admin", "node", "Habilitation:outsider@RHONE", NULL),
    ("admin", "node", "Habilitation:MISSING", NULL),
    ("admin", "node", "Representation:DURAND<MARTIN", ALLOW),
    ("admin", "node", "Representation:CHOCOLAT<MARTIN", NULL),
    ("admin", "node", "Representation:MISSING", NULL),
    ("admin", "node", "ApiToken:marie", ALLOW),
    ("admin", "node", "ApiToken:paul", NULL),
    ("admin", "node", "ApiToken:MISSING", NULL),
    ("admin", "aliases:operator", "DURAND|CHOCOLAT", fields(a=ALLOW, b=NULL)),
    ("admin", "aliases:node", "Operator:DURAND|Operator:RHONE", fields(a=ALLOW, b=NULL)),
    ("admin", "aliases:node", "User:paul|User:lucie", fields(a=ALLOW, b=NULL)),
    # Mutation fields are non-null: b's refusal nulls the whole answer (a's choice is undone by the row).
    ("admin", "aliases:selectActingOperator", "DURAND|CHOCOLAT", fields(b=NOT_FOUND)),
    ("admin", "representedEntities", _, sees()),
    ("admin", "representatives", "DURAND", ALLOW),
    ("admin", "representatives", "CHOCOLAT", NOT_FOUND),
    ("admin", "habilitations", "DURAND", ALLOW),
    ("admin", "habilitations", "RHONE", NOT_FOUND),
    ("admin", "habilitations", MISSING, NOT_FOUND),
    ("admin", "collaborators", "DURAND", ALLOW),
    ("admin", "collaborators", "CHOCOLAT", NOT_FOUND),
    ("admin", "accessAudit", "DURAND", ALLOW),
    ("admin", "accessAudit", "RHONE", NOT_FOUND),
    ("admin", "termsOfUse", _, ALLOW),
    ("admin", "apiTokens", _, ALLOW),
    ("admin", "grantHabilitation", "DURAND", ALLOW),
    ("admin", "grantHabilitation", "CHOCOLAT", NOT_FOUND),
    ("admin", "grantHabilitation:unknown-email", "DURAND", NOT_FOUND),
    ("admin", "revokeHabilitation", "DURAND", ALLOW),
    ("admin", "revokeHabilitation", "RHONE", NOT_FOUND),
    ("admin", "revokeHabilitation", MISSING, NOT_FOUND),
    ("admin", "setOperatorAdministrator", "DURAND", ALLOW),
    ("admin", "setOperatorAdministrator", "RHONE", NOT_FOUND),
    ("admin", "setOperatorAdministrator:foreign-user", "DURAND", NOT_FOUND),
    ("admin", "setOperatorAdministrator:self-remove", "DURAND", LAST_ADMINISTRATOR),
    ("admin", "createRepresentation", "DURAND<RHONE", ALLOW),
    ("admin", "createRepresentation", "CHOCOLAT<RHONE", NOT_FOUND),
    ("admin", "createRepresentation", MISSING + "<RHONE", NOT_FOUND),
    ("admin", "endRepresentation", "DURAND<RHONE", ALLOW),  # as the represented operator's administrator
    ("admin", "endRepresentation", "CHOCOLAT<DURAND", ALLOW),  # as the representative's administrator
    ("admin", "endRepresentation", "CHOCOLAT<RHONE", NOT_FOUND),
    ("admin", "endRepresentation", MISSING, NOT_FOUND),
    ("admin", "selectActingOperator", "DURAND", ALLOW),
    ("admin", "selectActingOperator", "CHOCOLAT", NOT_FOUND),
    ("admin", "acceptTerms", _, ALLOW),
    ("admin", "createApiToken", "DURAND", ALLOW),
    ("admin", "createApiToken:submit", "DURAND", ALLOW),
    ("admin", "createApiToken", "CHOCOLAT", NOT_FOUND),
    ("admin", "revokeApiToken", "mine", ALLOW),
    ("admin", "revokeApiToken", "ApiToken:paul", NOT_FOUND),
    ("admin", "revokeApiToken", "ApiToken:MISSING", NOT_FOUND),
    # ---------------------------------------------------------------- consult: Paul, collaborator (consult) of Durand
    ("consult", "me", _, ALLOW),
    ("consult", "operators", _, sees("DURAND")),
    ("consult", "operator", "DURAND", ALLOW),
    ("consult", "operator", "CHOCOLAT", NULL),
    ("consult", "node", "Operator:DURAND", ALLOW),
    ("consult", "node", "Operator:RHONE", NULL),
    ("consult", "node", "User:paul", ALLOW),
    ("consult", "node", "User:marie", NULL),  # only administrators see their operator's users
    ("consult", "node", "User:sophie", NULL),
    ("consult", "node", "Habilitation:paul@DURAND", ALLOW),  # his own
    ("consult", "node", "Habilitation:karim@DURAND", NULL),
    ("consult", "node", "Representation:DURAND<MARTIN", ALLOW),
    ("consult", "node", "Representation:CHOCOLAT<MARTIN", NULL),
    ("consult", "node", "ApiToken:paul", ALLOW),
    ("consult", "node", "ApiToken:marie", NULL),
    ("consult", "aliases:operator", "DURAND|RHONE", fields(a=ALLOW, b=NULL)),
    ("consult", "aliases:node", "User:paul|User:marie", fields(a=ALLOW, b=NULL)),
    ("consult", "representedEntities", _, sees()),
    ("consult", "representatives", "DURAND", FORBIDDEN),
    ("consult", "representatives", "CHOCOLAT", NOT_FOUND),
    ("consult", "habilitations", "DURAND", FORBIDDEN),
    ("consult", "habilitations", "CHOCOLAT", NOT_FOUND),
    ("consult", "collaborators", "DURAND", FORBIDDEN),
    ("consult", "accessAudit", "DURAND", FORBIDDEN),
    ("consult", "termsOfUse", _, ALLOW),
    ("consult", "apiTokens", _, ALLOW),
    ("consult", "grantHabilitation", "DURAND", FORBIDDEN),
    ("consult", "grantHabilitation", "CHOCOLAT", NOT_FOUND),
    # ISSUE: the policy decides first; an unknown e-mail must not answer differently from a known one.
    ("consult", "grantHabilitation:unknown-email", "DURAND", FORBIDDEN),
    # ISSUE: a habilitation he may not see (node → null) answers "not found", exactly like a nonexistent one.
    ("consult", "revokeHabilitation", "DURAND", NOT_FOUND),
    ("consult", "revokeHabilitation:mine", "DURAND", FORBIDDEN),  # he sees his own, may not revoke it
    ("consult", "setOperatorAdministrator", "DURAND", FORBIDDEN),
    ("consult", "setOperatorAdministrator", "RHONE", NOT_FOUND),
    ("consult", "createRepresentation", "DURAND<RHONE", FORBIDDEN),
    ("consult", "createRepresentation", "CHOCOLAT<RHONE", NOT_FOUND),
    ("consult", "endRepresentation", "DURAND<RHONE", FORBIDDEN),
    ("consult", "endRepresentation", "CHOCOLAT<RHONE", NOT_FOUND),
    ("consult", "selectActingOperator", "DURAND", ALLOW),
    ("consult", "selectActingOperator", "CHOCOLAT", NOT_FOUND),
    ("consult", "acceptTerms", _, ALLOW),
    ("consult", "createApiToken", "DURAND", ALLOW),
    ("consult", "createApiToken:submit", "DURAND", FORBIDDEN),  # never more than his own right
    ("consult", "createApiToken", "CHOCOLAT", NOT_FOUND),
    ("consult", "revokeApiToken", "mine", ALLOW),
    ("consult", "revokeApiToken", "ApiToken:marie", NOT_FOUND),
    # ---------------------------------------------------------------- submit: Sophie, collaborator (submit) of Durand
    ("submit", "me", _, ALLOW),
    ("submit", "operators", _, sees("DURAND")),
    ("submit", "operator", "DURAND", ALLOW),
    ("submit", "operator", "CHOCOLAT", NULL),
    ("submit", "node", "User:marie", NULL),
    ("submit", "node", "Habilitation:paul@DURAND", NULL),
    ("submit", "node", "Habilitation:sophie@DURAND", ALLOW),
    ("submit", "node", "Representation:DURAND<MARTIN", ALLOW),
    ("submit", "representedEntities", _, sees()),
    ("submit", "representatives", "DURAND", FORBIDDEN),
    ("submit", "habilitations", "DURAND", FORBIDDEN),
    ("submit", "collaborators", "DURAND", FORBIDDEN),
    ("submit", "accessAudit", "DURAND", FORBIDDEN),
    ("submit", "termsOfUse", _, ALLOW),
    ("submit", "apiTokens", _, ALLOW),
    ("submit", "grantHabilitation", "DURAND", FORBIDDEN),
    ("submit", "revokeHabilitation", "DURAND", NOT_FOUND),  # ISSUE: not visible → not found
    ("submit", "revokeHabilitation:mine", "DURAND", FORBIDDEN),
    ("submit", "setOperatorAdministrator", "DURAND", FORBIDDEN),
    ("submit", "createRepresentation", "DURAND<RHONE", FORBIDDEN),
    ("submit", "endRepresentation", "DURAND<RHONE", FORBIDDEN),
    ("submit", "selectActingOperator", "DURAND", ALLOW),
    ("submit", "selectActingOperator", "RHONE", NOT_FOUND),
    ("submit", "acceptTerms", _, ALLOW),
    ("submit", "createApiToken:submit", "DURAND", ALLOW),
    ("submit", "createApiToken", "CHOCOLAT", NOT_FOUND),
    ("submit", "revokeApiToken", "mine", ALLOW),
    # ---------------------------------------------------------------- partner: Karim, admin of Logistique Rhône,
    #                                                                   partner (prepare) of Ateliers Durand
    ("partner", "me", _, ALLOW),
    ("partner", "operators", _, sees("RHONE", "DURAND")),
    ("partner", "operator", "RHONE", ALLOW),
    ("partner", "operator", "DURAND", ALLOW),
    ("partner", "operator", "CHOCOLAT", NULL),
    ("partner", "operator", "MARTIN", NULL),
    ("partner", "node", "Operator:DURAND", ALLOW),
    ("partner", "node", "Operator:CHOCOLAT", NULL),
    ("partner", "node", "User:marie", NULL),  # a partner does not see the users of the operator he works for
    ("partner", "node", "User:member@RHONE", ALLOW),
    ("partner", "node", "User:outsider", ALLOW),  # a partner he habilitated on his own operator
    ("partner", "node", "Habilitation:karim@DURAND", ALLOW),  # his own
    ("partner", "node", "Habilitation:paul@DURAND", NULL),
    ("partner", "node", "Habilitation:outsider@RHONE", ALLOW),
    ("partner", "node", "Representation:DURAND<MARTIN", NULL),
    ("partner", "node", "ApiToken:marie", NULL),
    ("partner", "aliases:operator", "DURAND|CHOCOLAT", fields(a=ALLOW, b=NULL)),
    ("partner", "aliases:node", "Habilitation:karim@DURAND|Habilitation:paul@DURAND", fields(a=ALLOW, b=NULL)),
    ("partner", "representedEntities", _, sees()),
    ("partner", "representatives", "RHONE", ALLOW),
    ("partner", "representatives", "DURAND", FORBIDDEN),
    ("partner", "representatives", "CHOCOLAT", NOT_FOUND),
    ("partner", "habilitations", "RHONE", ALLOW),
    ("partner", "habilitations", "DURAND", FORBIDDEN),
    ("partner", "habilitations", "CHOCOLAT", NOT_FOUND),
    ("partner", "collaborators", "RHONE", ALLOW),
    ("partner", "collaborators", "DURAND", FORBIDDEN),
    ("partner", "accessAudit", "RHONE", ALLOW),
    ("partner", "accessAudit", "DURAND", FORBIDDEN),
    ("partner", "termsOfUse", _, ALLOW),
    ("partner", "apiTokens", _, ALLOW),
    ("partner", "grantHabilitation", "RHONE", ALLOW),
    ("partner", "grantHabilitation", "DURAND", FORBIDDEN),
    ("partner", "grantHabilitation", "VERRERIE", NOT_FOUND),
    ("partner", "revokeHabilitation", "RHONE", ALLOW),
    ("partner", "revokeHabilitation", "DURAND", NOT_FOUND),  # ISSUE: not visible → not found
    ("partner", "revokeHabilitation:mine", "DURAND", FORBIDDEN),
    ("partner", "setOperatorAdministrator", "RHONE", ALLOW),
    ("partner", "setOperatorAdministrator", "DURAND", FORBIDDEN),
    ("partner", "createRepresentation", "RHONE<MARTIN", ALLOW),
    ("partner", "createRepresentation", "DURAND<RHONE", FORBIDDEN),  # cannot give himself a mandate for Durand
    ("partner", "endRepresentation", "RHONE<MARTIN", ALLOW),
    ("partner", "endRepresentation", "DURAND<RHONE", ALLOW),  # as the representative's administrator
    ("partner", "endRepresentation", "CHOCOLAT<DURAND", NOT_FOUND),
    ("partner", "selectActingOperator", "DURAND", ALLOW),
    ("partner", "selectActingOperator", "RHONE", ALLOW),
    ("partner", "selectActingOperator", "CHOCOLAT", NOT_FOUND),
    ("partner", "acceptTerms", _, ALLOW),
    ("partner", "createApiToken", "DURAND", ALLOW),
    ("partner", "createApiToken:submit", "DURAND", FORBIDDEN),  # prepare only on Durand
    ("partner", "createApiToken:submit", "RHONE", ALLOW),
    ("partner", "createApiToken", "CHOCOLAT", NOT_FOUND),
    ("partner", "revokeApiToken", "mine", ALLOW),
    ("partner", "revokeApiToken", "ApiToken:marie", NOT_FOUND),
    # ---------------------------------------------------------------- representative: Lucie, admin of Transitaire
    #                                              Martin, representing Durand + Chocolaterie (full), Verrerie (partial)
    ("representative", "me", _, ALLOW),
    ("representative", "operators", _, sees("MARTIN", "DURAND", "CHOCOLAT", "VERRERIE")),
    ("representative", "operator", "MARTIN", ALLOW),
    ("representative", "operator", "CHOCOLAT", ALLOW),
    ("representative", "operator", "VERRERIE", ALLOW),
    ("representative", "operator", "RHONE", NULL),
    ("representative", "node", "Operator:VERRERIE", ALLOW),
    ("representative", "node", "Operator:RHONE", NULL),
    ("representative", "node", "User:member@MARTIN", ALLOW),
    ("representative", "node", "User:marie", NULL),  # representing Durand shows none of Durand's users
    ("representative", "node", "Habilitation:paul@DURAND", NULL),
    ("representative", "node", "Representation:DURAND<MARTIN", ALLOW),
    ("representative", "node", "Representation:CHOCOLAT<MARTIN", ALLOW),
    ("representative", "node", "ApiToken:marie", NULL),
    ("representative", "aliases:operator", "CHOCOLAT|RHONE", fields(a=ALLOW, b=NULL)),
    ("representative", "aliases:selectActingOperator", "CHOCOLAT|RHONE", fields(b=NOT_FOUND)),
    ("representative", "representedEntities", _, sees("DURAND", "CHOCOLAT", "VERRERIE")),
    ("representative", "representatives", "MARTIN", ALLOW),
    ("representative", "representatives", "DURAND", FORBIDDEN),
    ("representative", "representatives", "RHONE", NOT_FOUND),
    ("representative", "habilitations", "MARTIN", ALLOW),
    ("representative", "habilitations", "CHOCOLAT", FORBIDDEN),  # represented, not administered
    ("representative", "habilitations", "RHONE", NOT_FOUND),
    ("representative", "collaborators", "CHOCOLAT", FORBIDDEN),
    ("representative", "accessAudit", "DURAND", FORBIDDEN),
    ("representative", "termsOfUse", _, ALLOW),
    ("representative", "apiTokens", _, ALLOW),
    ("representative", "grantHabilitation", "MARTIN", ALLOW),
    ("representative", "grantHabilitation", "DURAND", FORBIDDEN),
    ("representative", "revokeHabilitation", "MARTIN", ALLOW),
    ("representative", "revokeHabilitation", "DURAND", NOT_FOUND),  # ISSUE: not visible → not found
    ("representative", "setOperatorAdministrator", "MARTIN", ALLOW),
    ("representative", "setOperatorAdministrator", "CHOCOLAT", FORBIDDEN),
    ("representative", "createRepresentation", "MARTIN<RHONE", ALLOW),
    ("representative", "createRepresentation", "DURAND<RHONE", FORBIDDEN),  # mandates are given, not taken
    ("representative", "createRepresentation", "VERRERIE<RHONE", FORBIDDEN),
    ("representative", "endRepresentation", "MARTIN<RHONE", ALLOW),
    ("representative", "endRepresentation", "VERRERIE<RHONE", NOT_FOUND),  # not one of her operator's mandates
    ("representative", "selectActingOperator", "CHOCOLAT", ALLOW),
    ("representative", "selectActingOperator", "VERRERIE", ALLOW),
    ("representative", "selectActingOperator", "RHONE", NOT_FOUND),
    ("representative", "acceptTerms", _, ALLOW),
    ("representative", "createApiToken", "CHOCOLAT", ALLOW),
    ("representative", "createApiToken:submit", "VERRERIE", ALLOW),
    ("representative", "createApiToken", "RHONE", NOT_FOUND),
    ("representative", "revokeApiToken", "mine", ALLOW),
    # ---------------------------------------------------------------- private: Jean, a private person
    ("private", "me", _, ALLOW),
    ("private", "operators", _, PROFESSIONAL_ONLY),
    ("private", "operator", "DURAND", NULL),
    ("private", "node", "Operator:DURAND", NULL),
    ("private", "node", "User:jean", ALLOW),
    ("private", "node", "User:marie", NULL),
    ("private", "node", "Habilitation:paul@DURAND", NULL),
    ("private", "node", "Representation:DURAND<MARTIN", NULL),
    ("private", "node", "ApiToken:marie", NULL),
    ("private", "representedEntities", _, PROFESSIONAL_ONLY),
    ("private", "representatives", "DURAND", PROFESSIONAL_ONLY),
    ("private", "habilitations", "DURAND", PROFESSIONAL_ONLY),
    ("private", "collaborators", "DURAND", PROFESSIONAL_ONLY),
    ("private", "accessAudit", "DURAND", PROFESSIONAL_ONLY),
    ("private", "termsOfUse", _, ALLOW),
    ("private", "apiTokens", _, ALLOW),
    ("private", "grantHabilitation", "DURAND", PROFESSIONAL_ONLY),
    ("private", "revokeHabilitation", "DURAND", PROFESSIONAL_ONLY),
    ("private", "setOperatorAdministrator", "DURAND", PROFESSIONAL_ONLY),
    # ISSUE: "a private person asking for an operator feature gets « réservé aux comptes professionnels »".
    ("private", "createRepresentation", "DURAND<RHONE", PROFESSIONAL_ONLY),
    ("private", "endRepresentation", "DURAND<RHONE", PROFESSIONAL_ONLY),
    ("private", "selectActingOperator", "DURAND", PROFESSIONAL_ONLY),
    ("private", "acceptTerms", _, PROFESSIONAL_ONLY),
    ("private", "createApiToken", "DURAND", PROFESSIONAL_ONLY),
    ("private", "createApiToken:unbound", _, ALLOW),
    ("private", "revokeApiToken", "mine", ALLOW),
    ("private", "revokeApiToken", "ApiToken:marie", NOT_FOUND),
    # ---------------------------------------------------------------- officer: Claire, customs, office FR000690
    ("officer", "me", _, ALLOW),
    ("officer", "operators", _, ALLOW),  # every operator
    ("officer", "operator", "DURAND", ALLOW),
    ("officer", "operator", "RHONE", ALLOW),
    ("officer", "operator", MISSING, NULL),
    ("officer", "node", "Operator:CHOCOLAT", ALLOW),
    ("officer", "node", "User:claire", ALLOW),
    ("officer", "node", "User:marie", NULL),
    ("officer", "node", "Habilitation:paul@DURAND", NULL),
    ("officer", "node", "Representation:CHOCOLAT<MARTIN", ALLOW),
    ("officer", "node", "ApiToken:marie", NULL),
    ("officer", "aliases:operator", "DURAND|MISSING", fields(a=ALLOW, b=NULL)),
    ("officer", "representedEntities", _, PROFESSIONAL_ONLY),
    ("officer", "representatives", "DURAND", ALLOW),  # customs create and end mandates, so they list them
    ("officer", "habilitations", "DURAND", PROFESSIONAL_ONLY),
    ("officer", "collaborators", "DURAND", PROFESSIONAL_ONLY),
    ("officer", "accessAudit", "DURAND", PROFESSIONAL_ONLY),
    ("officer", "termsOfUse", _, ALLOW),
    ("officer", "apiTokens", _, ALLOW),
    ("officer", "grantHabilitation", "DURAND", PROFESSIONAL_ONLY),
    ("officer", "revokeHabilitation", "DURAND", PROFESSIONAL_ONLY),
    ("officer", "setOperatorAdministrator", "DURAND", PROFESSIONAL_ONLY),
    ("officer", "createRepresentation", "CHOCOLAT<RHONE", ALLOW),  # customs may give mandates
    ("officer", "endRepresentation", "CHOCOLAT<RHONE", ALLOW),
    ("officer", "selectActingOperator", "DURAND", PROFESSIONAL_ONLY),
    ("officer", "acceptTerms", _, PROFESSIONAL_ONLY),
    ("officer", "createApiToken", "DURAND", PROFESSIONAL_ONLY),
    ("officer", "createApiToken:unbound", _, ALLOW),
    ("officer", "revokeApiToken", "mine", ALLOW),
    ("officer", "revokeApiToken", "ApiToken:marie", NOT_FOUND),
    # ---------------------------------------------------------------- officer2: Hugo, customs, office FR002300
    ("officer2", "me", _, ALLOW),
    ("officer2", "operators", _, ALLOW),
    ("officer2", "operator", "VERRERIE", ALLOW),
    ("officer2", "node", "Representation:DURAND<MARTIN", ALLOW),
    ("officer2", "node", "User:claire", NULL),  # officers do not see each other
    ("officer2", "habilitations", "DURAND", PROFESSIONAL_ONLY),
    ("officer2", "createRepresentation", "VERRERIE<RHONE", ALLOW),
    ("officer2", "endRepresentation", "DURAND<RHONE", ALLOW),
    ("officer2", "selectActingOperator", "DURAND", PROFESSIONAL_ONLY),
    ("officer2", "revokeApiToken", "mine", ALLOW),
    # ---------------------------------------------------------------- anonymous: no session, no token
    ("anonymous", "me", _, NULL),
    ("anonymous", "operator", "DURAND", NULL),
    ("anonymous", "node", "Operator:DURAND", NULL),
    ("anonymous", "node", "User:marie", NULL),
    ("anonymous", "node", "Habilitation:paul@DURAND", NULL),
    ("anonymous", "node", "Representation:DURAND<MARTIN", NULL),
    ("anonymous", "node", "ApiToken:marie", NULL),
    ("anonymous", "aliases:operator", "DURAND|CHOCOLAT", fields(a=NULL, b=NULL)),
    ("anonymous", "termsOfUse", _, NULL),
    # ISSUE (all UNAUTHENTICATED rows below): nobody is logged in — not "réservé aux professionnels", not
    # "introuvable" (which tells an anonymous caller whether an e-mail or an id exists), and never an internal error.
    ("anonymous", "operators", _, UNAUTHENTICATED),
    ("anonymous", "representedEntities", _, UNAUTHENTICATED),
    ("anonymous", "representatives", "DURAND", UNAUTHENTICATED),
    ("anonymous", "habilitations", "DURAND", UNAUTHENTICATED),
    ("anonymous", "collaborators", "DURAND", UNAUTHENTICATED),
    ("anonymous", "accessAudit", "DURAND", UNAUTHENTICATED),
    ("anonymous", "apiTokens", _, UNAUTHENTICATED),
    ("anonymous", "grantHabilitation", "DURAND", UNAUTHENTICATED),
    ("anonymous", "grantHabilitation:unknown-email", "DURAND", UNAUTHENTICATED),
    ("anonymous", "revokeHabilitation", "DURAND", UNAUTHENTICATED),
    ("anonymous", "revokeHabilitation", MISSING, UNAUTHENTICATED),
    ("anonymous", "setOperatorAdministrator", "DURAND", UNAUTHENTICATED),
    ("anonymous", "createRepresentation", "DURAND<RHONE", UNAUTHENTICATED),
    ("anonymous", "endRepresentation", "DURAND<RHONE", UNAUTHENTICATED),
    ("anonymous", "selectActingOperator", "DURAND", UNAUTHENTICATED),
    ("anonymous", "acceptTerms", _, UNAUTHENTICATED),
    ("anonymous", "createApiToken", "DURAND", UNAUTHENTICATED),
    ("anonymous", "createApiToken:unbound", _, UNAUTHENTICATED),
    ("anonymous", "revokeApiToken", "ApiToken:marie", UNAUTHENTICATED),
    # ---------------------------------------------------------------- token: the admin's API token, bound to
    #                                                                   Ateliers Durand with the right consult
    ("token", "me", _, ALLOW),
    ("token", "operators", _, sees("DURAND")),
    ("token", "operator", "DURAND", ALLOW),
    ("token", "operator", "CHOCOLAT", NULL),
    ("token", "node", "Operator:DURAND", ALLOW),
    ("token", "node", "User:marie", ALLOW),
    ("token", "node", "User:paul", NULL),  # the token is not an administrator: it sees no collaborator
    ("token", "node", "Habilitation:paul@DURAND", NULL),
    ("token", "node", "Representation:DURAND<MARTIN", ALLOW),
    ("token", "aliases:operator", "DURAND|RHONE", fields(a=ALLOW, b=NULL)),
    ("token", "representedEntities", _, sees()),
    ("token", "representatives", "DURAND", FORBIDDEN),  # managing rights needs a browser session
    ("token", "habilitations", "DURAND", FORBIDDEN),
    ("token", "collaborators", "DURAND", FORBIDDEN),
    ("token", "accessAudit", "DURAND", FORBIDDEN),
    ("token", "termsOfUse", _, ALLOW),
    ("token", "apiTokens", _, ALLOW),
    ("token", "grantHabilitation", "DURAND", FORBIDDEN),
    ("token", "revokeHabilitation", "DURAND", NOT_FOUND),  # ISSUE: not visible to the token → not found
    ("token", "setOperatorAdministrator", "DURAND", FORBIDDEN),
    ("token", "createRepresentation", "DURAND<RHONE", FORBIDDEN),
    ("token", "endRepresentation", "DURAND<RHONE", FORBIDDEN),
    ("token", "selectActingOperator", "DURAND", SESSION_REQUIRED),
    ("token", "createApiToken", "DURAND", FORBIDDEN),  # a token cannot mint tokens
    ("token", "revokeApiToken", "ApiToken:marie", FORBIDDEN),
    # ---------------------------------------------------------------- member: a user of Durand without any right
    ("member", "me", _, ALLOW),
    ("member", "operators", _, sees("DURAND")),
    ("member", "operator", "DURAND", ALLOW),
    ("member", "node", "Representation:DURAND<MARTIN", ALLOW),
    ("member", "representedEntities", _, sees()),
    ("member", "habilitations", "DURAND", FORBIDDEN),
    ("member", "selectActingOperator", "DURAND", FORBIDDEN),  # no right to act for it
    ("member", "createApiToken", "DURAND", FORBIDDEN),
    # ---------------------------------------------------------------- newcomer: terms of use not accepted yet
    ("newcomer", "me", _, ALLOW),
    ("newcomer", "termsOfUse", _, ALLOW),  # the terms can be read before they are accepted
    ("admin", "sopranoAccess", _, ALLOW),  # always answers; the status is checked below
    ("consult", "sopranoAccess", _, ALLOW),  # always answers; the status is checked below
    ("submit", "sopranoAccess", _, ALLOW),  # always answers; the status is checked below
    ("partner", "sopranoAccess", _, ALLOW),  # always answers; the status is checked below
    ("representative", "sopranoAccess", _, ALLOW),  # always answers; the status is checked below
    ("private", "sopranoAccess", _, ALLOW),  # always answers; the status is checked below
    ("officer", "sopranoAccess", _, ALLOW),  # always answers; the status is checked below
    ("anonymous", "sopranoAccess", _, ALLOW),  # always answers; the status is checked below
    ("token", "sopranoAccess", _, ALLOW),  # always answers; the status is checked below
    ("newcomer", "sopranoAccess", _, ALLOW),  # always answers; the status is checked below
    ("newcomer", "operators", _, sees("NEW")),
    ("newcomer", "operator", "NEW", ALLOW),
    ("newcomer", "habilitations", "NEW", ALLOW),  # managing the operator's accounts is not using SOPRANO
    ("newcomer", "representedEntities", _, TERMS_NOT_ACCEPTED),
    ("newcomer", "selectActingOperator", "NEW", TERMS_NOT_ACCEPTED),
    ("newcomer", "createApiToken", "NEW", TERMS_NOT_ACCEPTED),
]

# --- THE TABLE, continued: dossiers (issue 4) -------------------------------------------------------------------------
# Rules: consult may read and "Contrôler" but not create, save or submit (FORBIDDEN); prepare creates and saves but does
# not submit; another operator's dossier, goods line or attachment answers exactly like a nonexistent one (NOT_FOUND for
# mutations, null for lookups); a partial mandate shows the representative only the dossiers her firm filed; customs
# officers read the dossiers of their office once submitted and use no applicant's operation (PROFESSIONAL_ONLY);
# private persons: PROFESSIONAL_ONLY; nobody logged in: UNAUTHENTICATED; terms not accepted: TERMS_NOT_ACCEPTED.
# The catalogue (procedures, code lists) is public. Mutation targets are dossier keys: a fresh copy per row.

MATRIX += [
    # ---------------------------------------------------------------- admin: Marie, administrator of Ateliers Durand
    ("admin", "procedures", _, ALLOW),
    ("admin", "codeList", _, ALLOW),
    ("admin", "attachmentPolicy", _, ALLOW),
    ("admin", "dossier", "DURAND", ALLOW),
    ("admin", "dossier", "DURAND+SUBMITTED", ALLOW),
    ("admin", "dossier", "RHONE", NULL),
    ("admin", "dossier", "CHOCOLAT", NULL),  # her representative's client, not hers
    ("admin", "dossier", MISSING, NULL),
    ("admin", "dossiers", _, shows("DURAND", "DURAND+SUBMITTED")),
    ("admin", "node", "Dossier:DURAND", ALLOW),
    ("admin", "node", "Dossier:RHONE", NULL),
    ("admin", "node", "Dossier:MISSING", NULL),
    ("admin", "node", "GoodsLine:DURAND", ALLOW),
    ("admin", "node", "GoodsLine:RHONE", NULL),
    ("admin", "node", "GoodsLine:MISSING", NULL),
    ("admin", "node", "Attachment:DURAND", ALLOW),
    ("admin", "node", "Attachment:RHONE", NULL),
    ("admin", "node", "Attachment:MISSING", NULL),
    ("admin", "aliases:dossier", "DURAND|RHONE", fields(a=ALLOW, b=NULL)),
    ("admin", "aliases:node", "Dossier:DURAND|Dossier:CHOCOLAT", fields(a=ALLOW, b=NULL)),
    ("admin", "aliases:node", "Attachment:DURAND|Attachment:VERRERIE", fields(a=ALLOW, b=NULL)),
    ("admin", "createDossier", "DURAND", sees("DURAND")),
    ("admin", "createDossier", "RHONE", NOT_FOUND),
    ("admin", "createDossier", MISSING, NOT_FOUND),
    ("admin", "createDossier:acting", _, sees("DURAND")),  # her only operator: no choice needed
    ("admin", "updateDossier", "DURAND", ALLOW),
    ("admin", "updateDossier", "RHONE", NOT_FOUND),
    ("admin", "updateDossier", MISSING, NOT_FOUND),
    ("admin", "checkDossier", "DURAND", ALLOW),
    ("admin", "checkDossier", "RHONE", NOT_FOUND),
    ("admin", "checkDossier", MISSING, NOT_FOUND),
    ("admin", "submitDossier", "DURAND", ALLOW),
    ("admin", "submitDossier", "RHONE", NOT_FOUND),
    ("admin", "submitDossier", MISSING, NOT_FOUND),
    ("admin", "addGoodsLine", "DURAND", ALLOW),
    ("admin", "addGoodsLine", "RHONE", NOT_FOUND),
    ("admin", "addGoodsLine", MISSING, NOT_FOUND),
    ("admin", "updateGoodsLine", "DURAND", ALLOW),
    ("admin", "updateGoodsLine", "RHONE", NOT_FOUND),
    ("admin", "updateGoodsLine", MISSING, NOT_FOUND),
    ("admin", "removeGoodsLine", "DURAND", ALLOW),
    ("admin", "removeGoodsLine", "RHONE", NOT_FOUND),
    ("admin", "removeGoodsLine", MISSING, NOT_FOUND),
    ("admin", "uploadAttachment", "DURAND", ALLOW),
    ("admin", "uploadAttachment", "RHONE", NOT_FOUND),
    ("admin", "uploadAttachment", MISSING, NOT_FOUND),
    ("admin", "removeAttachment", "DURAND", ALLOW),
    ("admin", "removeAttachment", "RHONE", NOT_FOUND),
    ("admin", "removeAttachment", MISSING, NOT_FOUND),
    # ---------------------------------------------------------------- consult: Paul, collaborator (consult) of Durand
    ("consult", "procedures", _, ALLOW),
    ("consult", "codeList", _, ALLOW),
    ("consult", "attachmentPolicy", _, ALLOW),
    ("consult", "dossier", "DURAND", ALLOW),
    ("consult", "dossier", "DURAND+SUBMITTED", ALLOW),
    ("consult", "dossier", "CHOCOLAT", NULL),
    ("consult", "dossier", MISSING, NULL),
    ("consult", "dossiers", _, shows("DURAND", "DURAND+SUBMITTED")),
    ("consult", "node", "Dossier:DURAND", ALLOW),
    ("consult", "node", "Dossier:RHONE", NULL),
    ("consult", "node", "GoodsLine:DURAND", ALLOW),
    ("consult", "node", "GoodsLine:CHOCOLAT", NULL),
    ("consult", "node", "Attachment:DURAND", ALLOW),
    ("consult", "node", "Attachment:CHOCOLAT", NULL),
    ("consult", "aliases:dossier", "DURAND|CHOCOLAT", fields(a=ALLOW, b=NULL)),
    ("consult", "createDossier", "DURAND", FORBIDDEN),
    ("consult", "createDossier", "CHOCOLAT", NOT_FOUND),
    ("consult", "createDossier:acting", _, FORBIDDEN),
    ("consult", "updateDossier", "DURAND", FORBIDDEN),
    ("consult", "updateDossier", "RHONE", NOT_FOUND),
    ("consult", "checkDossier", "DURAND", ALLOW),  # "Contrôler" saves nothing: reading is enough
    ("consult", "checkDossier", "RHONE", NOT_FOUND),
    ("consult", "submitDossier", "DURAND", FORBIDDEN),
    ("consult", "submitDossier", "RHONE", NOT_FOUND),
    ("consult", "addGoodsLine", "DURAND", FORBIDDEN),
    ("consult", "addGoodsLine", "RHONE", NOT_FOUND),
    ("consult", "updateGoodsLine", "DURAND", FORBIDDEN),
    ("consult", "updateGoodsLine", "RHONE", NOT_FOUND),
    ("consult", "removeGoodsLine", "DURAND", FORBIDDEN),
    ("consult", "removeGoodsLine", "RHONE", NOT_FOUND),
    ("consult", "uploadAttachment", "DURAND", FORBIDDEN),
    ("consult", "uploadAttachment", "RHONE", NOT_FOUND),
    ("consult", "removeAttachment", "DURAND", FORBIDDEN),
    ("consult", "removeAttachment", "RHONE", NOT_FOUND),
    # ---------------------------------------------------------------- submit: Sophie, collaborator (submit) of Durand
    ("submit", "procedures", _, ALLOW),
    ("submit", "codeList", _, ALLOW),
    ("submit", "attachmentPolicy", _, ALLOW),
    ("submit", "dossier", "DURAND", ALLOW),
    ("submit", "dossier", "DURAND+SUBMITTED", ALLOW),
    ("submit", "dossier", "RHONE", NULL),
    ("submit", "dossiers", _, shows("DURAND", "DURAND+SUBMITTED")),
    ("submit", "node", "Dossier:DURAND", ALLOW),
    ("submit", "node", "Dossier:MARTIN", NULL),
    ("submit", "node", "GoodsLine:DURAND", ALLOW),
    ("submit", "node", "GoodsLine:RHONE", NULL),
    ("submit", "node", "Attachment:DURAND+SUBMITTED", ALLOW),
    ("submit", "node", "Attachment:MARTIN", NULL),
    ("submit", "createDossier", "DURAND", sees("DURAND")),
    ("submit", "createDossier", "VERRERIE", NOT_FOUND),
    ("submit", "createDossier:acting", _, sees("DURAND")),
    ("submit", "updateDossier", "DURAND", ALLOW),
    ("submit", "updateDossier", "DURAND+SUBMITTED", NOT_EDITABLE),  # deposited: no longer the applicant's to edit
    ("submit", "updateDossier", "CHOCOLAT", NOT_FOUND),
    ("submit", "checkDossier", "DURAND", ALLOW),
    ("submit", "checkDossier", "CHOCOLAT", NOT_FOUND),
    ("submit", "submitDossier", "DURAND", ALLOW),
    ("submit", "submitDossier", "DURAND+SUBMITTED", NOT_EDITABLE),
    ("submit", "submitDossier", "CHOCOLAT", NOT_FOUND),
    ("submit", "addGoodsLine", "DURAND", ALLOW),
    ("submit", "addGoodsLine", "DURAND+SUBMITTED", NOT_EDITABLE),
    ("submit", "addGoodsLine", "CHOCOLAT", NOT_FOUND),
    ("submit", "updateGoodsLine", "DURAND", ALLOW),
    ("submit", "updateGoodsLine", "DURAND+SUBMITTED", NOT_EDITABLE),
    ("submit", "updateGoodsLine", "CHOCOLAT", NOT_FOUND),
    ("submit", "removeGoodsLine", "DURAND", ALLOW),
    ("submit", "removeGoodsLine", "CHOCOLAT", NOT_FOUND),
    ("submit", "uploadAttachment", "DURAND", ALLOW),
    ("submit", "uploadAttachment", "DURAND+SUBMITTED", NOT_EDITABLE),
    ("submit", "uploadAttachment", "CHOCOLAT", NOT_FOUND),
    ("submit", "removeAttachment", "DURAND", ALLOW),
    ("submit", "removeAttachment", "DURAND+SUBMITTED", NOT_EDITABLE),
    ("submit", "removeAttachment", "CHOCOLAT", NOT_FOUND),
    # ---------------------------------------------------------------- partner: Karim, admin of Logistique Rhône,
    #                                                                   partner (prepare) of Ateliers Durand
    ("partner", "procedures", _, ALLOW),
    ("partner", "codeList", _, ALLOW),
    ("partner", "attachmentPolicy", _, ALLOW),
    ("partner", "dossier", "DURAND", ALLOW),
    ("partner", "dossier", "DURAND+SUBMITTED", ALLOW),
    ("partner", "dossier", "RHONE", ALLOW),
    ("partner", "dossier", "CHOCOLAT", NULL),
    ("partner", "dossier", MISSING, NULL),
    ("partner", "dossiers", _, shows("DURAND", "DURAND+SUBMITTED", "RHONE")),
    ("partner", "node", "Dossier:DURAND", ALLOW),
    ("partner", "node", "Dossier:CHOCOLAT", NULL),
    ("partner", "node", "GoodsLine:DURAND", ALLOW),
    ("partner", "node", "GoodsLine:MARTIN", NULL),
    ("partner", "node", "Attachment:RHONE", ALLOW),
    ("partner", "node", "Attachment:CHOCOLAT", NULL),
    ("partner", "aliases:dossier", "RHONE|MARTIN", fields(a=ALLOW, b=NULL)),
    ("partner", "createDossier", "DURAND", sees("DURAND")),  # prepare: he may create for Durand
    ("partner", "createDossier", "RHONE", sees("RHONE")),
    ("partner", "createDossier", "CHOCOLAT", NOT_FOUND),
    ("partner", "createDossier:acting", _, ACTING_OPERATOR_REQUIRED),  # two operators: he must say which
    ("partner", "createDossier:acting", "DURAND", sees("DURAND")),  # ... chosen in his session
    ("partner", "updateDossier", "DURAND", ALLOW),
    ("partner", "updateDossier", "RHONE", ALLOW),
    ("partner", "updateDossier", "CHOCOLAT", NOT_FOUND),
    ("partner", "checkDossier", "DURAND", ALLOW),
    ("partner", "checkDossier", "CHOCOLAT", NOT_FOUND),
    ("partner", "submitDossier", "DURAND", FORBIDDEN),  # prepare cannot submit
    ("partner", "submitDossier", "RHONE", ALLOW),  # his own operator: he administers it
    ("partner", "submitDossier", "CHOCOLAT", NOT_FOUND),
    ("partner", "addGoodsLine", "DURAND", ALLOW),
    ("partner", "addGoodsLine", "CHOCOLAT", NOT_FOUND),
    ("partner", "updateGoodsLine", "DURAND", ALLOW),
    ("partner", "updateGoodsLine", "CHOCOLAT", NOT_FOUND),
    ("partner", "removeGoodsLine", "DURAND", ALLOW),
    ("partner", "removeGoodsLine", "CHOCOLAT", NOT_FOUND),
    ("partner", "uploadAttachment", "DURAND", ALLOW),
    ("partner", "uploadAttachment", "CHOCOLAT", NOT_FOUND),
    ("partner", "removeAttachment", "DURAND", ALLOW),
    ("partner", "removeAttachment", "CHOCOLAT", NOT_FOUND),
    # ---------------------------------------------------------------- representative: Lucie, admin of Transitaire
    #                                              Martin, representing Durand + Chocolaterie (full), Verrerie (partial)
    ("representative", "procedures", _, ALLOW),
    ("representative", "codeList", _, ALLOW),
    ("representative", "attachmentPolicy", _, ALLOW),
    ("representative", "dossier", "MARTIN", ALLOW),
    ("representative", "dossier", "DURAND", ALLOW),  # full mandate: every dossier, filed by whoever
    ("representative", "dossier", "CHOCOLAT+SUBMITTED", ALLOW),
    ("representative", "dossier", "VERRERIE<MARTIN", ALLOW),  # partial mandate: the dossiers her firm filed...
    ("representative", "dossier", "VERRERIE", NULL),  # ... and not one filed by someone else
    ("representative", "dossier", "RHONE", NULL),
    ("representative", "dossier", MISSING, NULL),
    (
        "representative",
        "dossiers",
        _,
        shows("MARTIN", "DURAND", "DURAND+SUBMITTED", "CHOCOLAT", "CHOCOLAT+SUBMITTED", "VERRERIE<MARTIN"),
    ),
    ("representative", "node", "Dossier:VERRERIE<MARTIN", ALLOW),
    ("representative", "node", "Dossier:VERRERIE", NULL),
    ("representative", "node", "Dossier:RHONE", NULL),
    ("representative", "node", "GoodsLine:VERRERIE<MARTIN", ALLOW),
    ("representative", "node", "GoodsLine:VERRERIE", NULL),
    ("representative", "node", "Attachment:VERRERIE<MARTIN", ALLOW),
    ("representative", "node", "Attachment:VERRERIE", NULL),
    ("representative", "aliases:dossier", "VERRERIE<MARTIN|VERRERIE", fields(a=ALLOW, b=NULL)),
    ("representative", "aliases:node", "GoodsLine:CHOCOLAT|GoodsLine:VERRERIE", fields(a=ALLOW, b=NULL)),
    ("representative", "createDossier", "MARTIN", sees("MARTIN")),
    ("representative", "createDossier", "CHOCOLAT", sees("CHOCOLAT")),
    ("representative", "createDossier", "VERRERIE", sees("VERRERIE")),  # filed by her firm: hers to see
    ("representative", "createDossier", "RHONE", NOT_FOUND),
    ("representative", "createDossier:acting", _, ACTING_OPERATOR_REQUIRED),
    ("representative", "createDossier:acting", "VERRERIE", sees("VERRERIE")),
    ("representative", "updateDossier", "DURAND", ALLOW),
    ("representative", "updateDossier", "VERRERIE<MARTIN", ALLOW),
    ("representative", "updateDossier", "VERRERIE", NOT_FOUND),
    ("representative", "updateDossier", "RHONE", NOT_FOUND),
    ("representative", "checkDossier", "VERRERIE<MARTIN", ALLOW),
    ("representative", "checkDossier", "VERRERIE", NOT_FOUND),
    ("representative", "submitDossier", "CHOCOLAT", ALLOW),
    ("representative", "submitDossier", "VERRERIE<MARTIN", ALLOW),
    ("representative", "submitDossier", "VERRERIE", NOT_FOUND),
    ("representative", "addGoodsLine", "VERRERIE<MARTIN", ALLOW),
    ("representative", "addGoodsLine", "VERRERIE", NOT_FOUND),
    ("representative", "updateGoodsLine", "VERRERIE<MARTIN", ALLOW),
    ("representative", "updateGoodsLine", "VERRERIE", NOT_FOUND),
    ("representative", "removeGoodsLine", "VERRERIE<MARTIN", ALLOW),
    ("representative", "removeGoodsLine", "VERRERIE", NOT_FOUND),
    ("representative", "uploadAttachment", "VERRERIE<MARTIN", ALLOW),
    ("representative", "uploadAttachment", "VERRERIE", NOT_FOUND),
    ("representative", "uploadAttachment", "RHONE", NOT_FOUND),
    ("representative", "removeAttachment", "VERRERIE<MARTIN", ALLOW),
    ("representative", "removeAttachment", "VERRERIE", NOT_FOUND),
    # ---------------------------------------------------------------- private: Jean, a private person
    ("private", "procedures", _, ALLOW),
    ("private", "codeList", _, ALLOW),
    ("private", "attachmentPolicy", _, ALLOW),
    ("private", "dossier", "DURAND", NULL),
    ("private", "dossier", MISSING, NULL),
    # ISSUE: "a private person asking for an operator feature gets « réservé aux comptes professionnels »" (like
    # `operators`), and the policy decides before any id is looked at (private rows below: not NOT_FOUND).
    ("private", "dossiers", _, PROFESSIONAL_ONLY),
    ("private", "node", "Dossier:DURAND", NULL),
    ("private", "node", "GoodsLine:DURAND", NULL),
    ("private", "node", "Attachment:DURAND", NULL),
    ("private", "createDossier", "DURAND", PROFESSIONAL_ONLY),
    ("private", "createDossier:acting", _, PROFESSIONAL_ONLY),
    ("private", "updateDossier", "DURAND", PROFESSIONAL_ONLY),  # ISSUE
    ("private", "updateDossier", MISSING, PROFESSIONAL_ONLY),  # ISSUE
    ("private", "checkDossier", "DURAND", PROFESSIONAL_ONLY),  # ISSUE
    ("private", "submitDossier", "DURAND", PROFESSIONAL_ONLY),  # ISSUE
    ("private", "addGoodsLine", "DURAND", PROFESSIONAL_ONLY),  # ISSUE
    ("private", "updateGoodsLine", "DURAND", PROFESSIONAL_ONLY),  # ISSUE
    ("private", "removeGoodsLine", "DURAND", PROFESSIONAL_ONLY),  # ISSUE
    ("private", "uploadAttachment", "DURAND", PROFESSIONAL_ONLY),  # ISSUE
    ("private", "removeAttachment", "DURAND", PROFESSIONAL_ONLY),  # ISSUE
    # ---------------------------------------------------------------- officer: Claire, customs, office FR000690
    ("officer", "procedures", _, ALLOW),
    ("officer", "codeList", _, ALLOW),
    ("officer", "attachmentPolicy", _, ALLOW),
    ("officer", "dossier", "DURAND+SUBMITTED", ALLOW),  # submitted to her office
    ("officer", "dossier", "DURAND", NULL),  # a draft stays with the applicant
    ("officer", "dossier", "CHOCOLAT+SUBMITTED", NULL),  # another office's
    ("officer", "dossier", MISSING, NULL),
    ("officer", "dossiers", _, shows("DURAND+SUBMITTED")),
    ("officer", "node", "Dossier:DURAND+SUBMITTED", ALLOW),
    ("officer", "node", "Dossier:DURAND", NULL),
    ("officer", "node", "GoodsLine:DURAND+SUBMITTED", ALLOW),
    ("officer", "node", "GoodsLine:DURAND", NULL),
    ("officer", "node", "Attachment:DURAND+SUBMITTED", ALLOW),
    ("officer", "node", "Attachment:CHOCOLAT+SUBMITTED", NULL),
    ("officer", "aliases:dossier", "DURAND+SUBMITTED|CHOCOLAT+SUBMITTED", fields(a=ALLOW, b=NULL)),
    ("officer", "createDossier", "DURAND", PROFESSIONAL_ONLY),
    ("officer", "createDossier:acting", _, PROFESSIONAL_ONLY),
    ("officer", "updateDossier", "DURAND+SUBMITTED", PROFESSIONAL_ONLY),
    ("officer", "updateDossier", "DURAND", PROFESSIONAL_ONLY),  # ISSUE: the account kind decides, not visibility
    ("officer", "checkDossier", "DURAND+SUBMITTED", PROFESSIONAL_ONLY),
    ("officer", "submitDossier", "DURAND+SUBMITTED", PROFESSIONAL_ONLY),
    ("officer", "submitDossier", "DURAND", PROFESSIONAL_ONLY),  # ISSUE
    ("officer", "addGoodsLine", "DURAND+SUBMITTED", PROFESSIONAL_ONLY),
    ("officer", "updateGoodsLine", "DURAND+SUBMITTED", PROFESSIONAL_ONLY),
    ("officer", "removeGoodsLine", "DURAND+SUBMITTED", PROFESSIONAL_ONLY),
    ("officer", "uploadAttachment", "DURAND+SUBMITTED", PROFESSIONAL_ONLY),
    ("officer", "uploadAttachment", "DURAND", PROFESSIONAL_ONLY),  # ISSUE
    ("officer", "removeAttachment", "DURAND+SUBMITTED", PROFESSIONAL_ONLY),
    # ---------------------------------------------------------------- officer2: Hugo, customs, office FR002300
    ("officer2", "procedures", _, ALLOW),
    ("officer2", "codeList", _, ALLOW),
    ("officer2", "attachmentPolicy", _, ALLOW),
    ("officer2", "dossier", "CHOCOLAT+SUBMITTED", ALLOW),
    ("officer2", "dossier", "DURAND+SUBMITTED", NULL),  # Claire's office
    ("officer2", "dossier", "CHOCOLAT", NULL),
    ("officer2", "dossiers", _, shows("CHOCOLAT+SUBMITTED")),
    ("officer2", "node", "Dossier:CHOCOLAT+SUBMITTED", ALLOW),
    ("officer2", "node", "Dossier:DURAND+SUBMITTED", NULL),
    ("officer2", "node", "GoodsLine:DURAND+SUBMITTED", NULL),
    ("officer2", "node", "Attachment:CHOCOLAT+SUBMITTED", ALLOW),
    ("officer2", "node", "Attachment:DURAND+SUBMITTED", NULL),
    ("officer2", "createDossier", "CHOCOLAT", PROFESSIONAL_ONLY),
    ("officer2", "createDossier:acting", _, PROFESSIONAL_ONLY),
    ("officer2", "updateDossier", "CHOCOLAT+SUBMITTED", PROFESSIONAL_ONLY),
    ("officer2", "updateDossier", "DURAND+SUBMITTED", PROFESSIONAL_ONLY),  # ISSUE: not NOT_FOUND
    ("officer2", "checkDossier", "CHOCOLAT+SUBMITTED", PROFESSIONAL_ONLY),
    ("officer2", "submitDossier", "CHOCOLAT+SUBMITTED", PROFESSIONAL_ONLY),
    ("officer2", "addGoodsLine", "CHOCOLAT+SUBMITTED", PROFESSIONAL_ONLY),
    ("officer2", "updateGoodsLine", "CHOCOLAT+SUBMITTED", PROFESSIONAL_ONLY),
    ("officer2", "removeGoodsLine", "CHOCOLAT+SUBMITTED", PROFESSIONAL_ONLY),
    ("officer2", "uploadAttachment", "CHOCOLAT+SUBMITTED", PROFESSIONAL_ONLY),
    ("officer2", "removeAttachment", "CHOCOLAT+SUBMITTED", PROFESSIONAL_ONLY),
    # ---------------------------------------------------------------- anonymous: no session, no token
    ("anonymous", "procedures", _, ALLOW),  # the catalogue and the form model are public
    ("anonymous", "codeList", _, ALLOW),
    ("anonymous", "attachmentPolicy", _, ALLOW),
    ("anonymous", "dossier", "DURAND", NULL),
    ("anonymous", "dossier", MISSING, NULL),
    ("anonymous", "node", "Dossier:DURAND", NULL),
    ("anonymous", "node", "GoodsLine:DURAND", NULL),
    ("anonymous", "node", "Attachment:DURAND", NULL),
    ("anonymous", "aliases:dossier", "DURAND|MISSING", fields(a=NULL, b=NULL)),
    # ISSUE (the UNAUTHENTICATED rows below but the two createDossier ones): nobody is logged in — not an empty list (like
    # `operators`), not "introuvable" (which says whether an id exists).
    ("anonymous", "dossiers", _, UNAUTHENTICATED),
    ("anonymous", "createDossier", "DURAND", UNAUTHENTICATED),
    ("anonymous", "createDossier:acting", _, UNAUTHENTICATED),
    ("anonymous", "updateDossier", "DURAND", UNAUTHENTICATED),
    ("anonymous", "updateDossier", MISSING, UNAUTHENTICATED),
    ("anonymous", "checkDossier", "DURAND", UNAUTHENTICATED),
    ("anonymous", "submitDossier", "DURAND", UNAUTHENTICATED),
    ("anonymous", "addGoodsLine", "DURAND", UNAUTHENTICATED),
    ("anonymous", "updateGoodsLine", "DURAND", UNAUTHENTICATED),
    ("anonymous", "updateGoodsLine", MISSING, UNAUTHENTICATED),
    ("anonymous", "removeGoodsLine", "DURAND", UNAUTHENTICATED),
    ("anonymous", "uploadAttachment", "DURAND", UNAUTHENTICATED),
    ("anonymous", "removeAttachment", "DURAND", UNAUTHENTICATED),
    ("anonymous", "removeAttachment", MISSING, UNAUTHENTICATED),
    # ---------------------------------------------------------------- token: the admin's API token, bound to
    #                                                                   Ateliers Durand with the right consult
    ("token", "procedures", _, ALLOW),
    ("token", "codeList", _, ALLOW),
    ("token", "attachmentPolicy", _, ALLOW),
    ("token", "dossier", "DURAND", ALLOW),  # consult: it reads...
    ("token", "dossier", "DURAND+SUBMITTED", ALLOW),
    ("token", "dossier", "RHONE", NULL),
    ("token", "dossier", MISSING, NULL),
    ("token", "dossiers", _, shows("DURAND", "DURAND+SUBMITTED")),
    ("token", "node", "Dossier:DURAND", ALLOW),
    ("token", "node", "Dossier:RHONE", NULL),
    ("token", "node", "GoodsLine:DURAND", ALLOW),
    ("token", "node", "Attachment:DURAND", ALLOW),
    ("token", "node", "Attachment:MARTIN", NULL),
    ("token", "aliases:dossier", "DURAND|CHOCOLAT", fields(a=ALLOW, b=NULL)),
    ("token", "createDossier", "DURAND", FORBIDDEN),  # ... but saves nothing, though its creator could
    ("token", "createDossier", "RHONE", NOT_FOUND),
    ("token", "createDossier:acting", _, FORBIDDEN),
    ("token", "updateDossier", "DURAND", FORBIDDEN),
    ("token", "updateDossier", "RHONE", NOT_FOUND),
    ("token", "checkDossier", "DURAND", ALLOW),
    ("token", "submitDossier", "DURAND", FORBIDDEN),
    ("token", "addGoodsLine", "DURAND", FORBIDDEN),
    ("token", "updateGoodsLine", "DURAND", FORBIDDEN),
    ("token", "removeGoodsLine", "DURAND", FORBIDDEN),
    ("token", "uploadAttachment", "DURAND", FORBIDDEN),
    ("token", "uploadAttachment", "RHONE", NOT_FOUND),
    ("token", "removeAttachment", "DURAND", FORBIDDEN),
    # ---------------------------------------------------------------- member: a user of Durand without any right
    ("member", "procedures", _, ALLOW),
    ("member", "codeList", _, ALLOW),
    ("member", "attachmentPolicy", _, ALLOW),
    ("member", "dossier", "DURAND", NULL),  # no right on SOPRANO: not even consult
    ("member", "dossiers", _, shows()),
    ("member", "node", "Dossier:DURAND", NULL),
    ("member", "node", "GoodsLine:DURAND", NULL),
    ("member", "node", "Attachment:DURAND", NULL),
    ("member", "createDossier", "DURAND", FORBIDDEN),  # he sees his operator, without the right to prepare
    ("member", "createDossier", "RHONE", NOT_FOUND),
    # ISSUE: no operator he may act for: "choose an operator first" sends him looking for a choice he does not have.
    ("member", "createDossier:acting", _, FORBIDDEN),
    ("member", "updateDossier", "DURAND", NOT_FOUND),  # not visible to him → not found
    ("member", "checkDossier", "DURAND", NOT_FOUND),
    ("member", "submitDossier", "DURAND", NOT_FOUND),
    ("member", "addGoodsLine", "DURAND", NOT_FOUND),
    ("member", "updateGoodsLine", "DURAND", NOT_FOUND),
    ("member", "removeGoodsLine", "DURAND", NOT_FOUND),
    ("member", "uploadAttachment", "DURAND", NOT_FOUND),
    ("member", "removeAttachment", "DURAND", NOT_FOUND),
    # ---------------------------------------------------------------- newcomer: terms of use not accepted yet
    ("newcomer", "procedures", _, ALLOW),  # public, like the terms themselves
    ("newcomer", "codeList", _, ALLOW),
    ("newcomer", "attachmentPolicy", _, ALLOW),
    ("newcomer", "dossier", "NEW", TERMS_NOT_ACCEPTED),  # even his own operator's
    ("newcomer", "dossier", "DURAND", TERMS_NOT_ACCEPTED),
    ("newcomer", "dossier", MISSING, TERMS_NOT_ACCEPTED),
    ("newcomer", "dossiers", _, TERMS_NOT_ACCEPTED),
    ("newcomer", "node", "Dossier:NEW", NULL),  # node(id) is no way around the terms
    ("newcomer", "node", "GoodsLine:NEW", NULL),
    ("newcomer", "node", "Attachment:NEW", NULL),
    ("newcomer", "createDossier", "NEW", TERMS_NOT_ACCEPTED),
    ("newcomer", "createDossier", "DURAND", TERMS_NOT_ACCEPTED),
    ("newcomer", "createDossier:acting", _, TERMS_NOT_ACCEPTED),
    ("newcomer", "updateDossier", "NEW", TERMS_NOT_ACCEPTED),
    ("newcomer", "updateDossier", "DURAND", TERMS_NOT_ACCEPTED),
    ("newcomer", "checkDossier", "NEW", TERMS_NOT_ACCEPTED),
    ("newcomer", "submitDossier", "NEW", TERMS_NOT_ACCEPTED),
    ("newcomer", "addGoodsLine", "NEW", TERMS_NOT_ACCEPTED),
    ("newcomer", "updateGoodsLine", "NEW", TERMS_NOT_ACCEPTED),
    ("newcomer", "updateGoodsLine", "DURAND", TERMS_NOT_ACCEPTED),
    # ISSUE: a nonexistent line or attachment answers NOT_FOUND where an existing one (anyone's) answers
    # TERMS_NOT_ACCEPTED: the answer tells whether an id exists.
    ("newcomer", "updateGoodsLine", MISSING, TERMS_NOT_ACCEPTED),
    ("newcomer", "removeGoodsLine", "NEW", TERMS_NOT_ACCEPTED),
    ("newcomer", "removeGoodsLine", MISSING, TERMS_NOT_ACCEPTED),  # ISSUE (same)
    ("newcomer", "uploadAttachment", "NEW", TERMS_NOT_ACCEPTED),
    ("newcomer", "removeAttachment", "NEW", TERMS_NOT_ACCEPTED),
    ("newcomer", "removeAttachment", "DURAND", TERMS_NOT_ACCEPTED),
    ("newcomer", "removeAttachment", MISSING, TERMS_NOT_ACCEPTED),  # ISSUE (same)
]

# --- THE TABLE, continued: the statuses catalogue (public) and the dossier's per-reader fields ----------------------
MATRIX += [(actor, "dossierStatuses", _, ALLOW) for actor in ACTORS]  # public, like the procedures
MATRIX += [
    ("admin", "dossier:actions", "DURAND", ALLOW),
    ("admin", "dossier:actions", "RHONE", NULL),
    ("consult", "dossier:actions", "DURAND", ALLOW),  # an empty list: consult may do nothing
    ("submit", "dossier:actions", "DURAND+SUBMITTED", ALLOW),
    ("partner", "dossier:actions", "RHONE", ALLOW),
    ("representative", "dossier:actions", "VERRERIE<MARTIN", ALLOW),
    ("representative", "dossier:actions", "VERRERIE", NULL),
    ("private", "dossier:actions", "DURAND", NULL),
    ("officer", "dossier:actions", "DURAND+SUBMITTED", ALLOW),
    ("officer", "dossier:actions", "DURAND", NULL),
    ("officer2", "dossier:actions", "DURAND+SUBMITTED", NULL),
    ("anonymous", "dossier:actions", "DURAND", NULL),
    ("token", "dossier:actions", "DURAND", ALLOW),
    ("member", "dossier:actions", "DURAND", NULL),
    ("newcomer", "dossier:actions", "NEW", TERMS_NOT_ACCEPTED),
]


def _row_id(row: tuple) -> str:
    actor, operation, target, _expected = row
    return f"{actor}-{operation}-{target or '_'}"


# --- fixtures: logged-in actors (session-wide), the world (ids, fresh objects, baseline) -------------------------


def _accept_terms(client: httpx.Client) -> None:
    version = graphql(client, "{ termsOfUse { version } }").json()["data"]["termsOfUse"]["version"]
    body = graphql(
        client, "mutation($v: String!) { acceptTerms(version: $v) { accepted } }", {"v": version}
    ).json()
    assert body["data"]["acceptTerms"]["accepted"] is True, body


@pytest.fixture(scope="session")
def actor_clients(live_server, provider) -> Iterator[dict[str, httpx.Client]]:
    """One logged-in HTTP client per actor, reused by every row; professionals have accepted the terms, except the
    newcomer."""
    clients: dict[str, httpx.Client] = {}
    for actor, sub in ACTORS.items():
        if actor in ("anonymous", "token", "member", "newcomer"):
            continue
        clients[actor] = login(live_server, provider, sub)
    clients["member"] = login(
        live_server, provider, unique_sub("membre"), {"name": "Membre Sans Droit", "siret": SIRETS["DURAND"]}
    )
    clients["newcomer"] = login(
        live_server, provider, unique_sub("nouveau"), {"name": "Nouvel Arrivant", "siret": fresh_siret()}
    )
    for actor in PROFESSIONALS:
        _accept_terms(clients[actor])
    clients["anonymous"] = httpx.Client(base_url=live_server.url, timeout=20)
    created = graphql(
        clients["admin"],
        "mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { token } }",
        {
            "input": {
                "name": "matrice : jeton de consultation",
                "right": "CONSULT",
                "operatorId": _durand_gid(clients),
            }
        },
    ).json()
    raw = created["data"]["createApiToken"]["token"]
    clients["token"] = httpx.Client(
        base_url=live_server.url, timeout=20, headers={"Authorization": f"Bearer {raw}"}
    )
    yield clients
    for client in clients.values():
        client.close()


def _durand_gid(clients: dict[str, httpx.Client]) -> str:
    me = graphql(clients["admin"], "{ me { operators { operator { id siret } } } }").json()["data"]["me"]
    return next(o["operator"]["id"] for o in me["operators"] if o["operator"]["siret"] == SIRETS["DURAND"])


async def _user_by_sub(session, issuer: str, sub: str) -> User:
    return (await session.exec(select(User).where(User.issuer == issuer, User.subject == sub))).one()


async def _new_professional(session, live_server, prefix: str, siret: str) -> User:
    sub = unique_sub(prefix)
    return await upsert_user_from_claims(
        session,
        {"sub": sub, "email": sub, "name": prefix.capitalize(), "siret": siret},
        issuer=live_server.settings.oidc_issuer,
        settings=live_server.settings,
    )


async def snapshot(db: Database, world: World) -> dict[str, Any]:
    """What a row must leave as it found it."""
    async with db.session() as session:
        habilitations = (
            await session.exec(
                select(
                    Habilitation.operator_id, Habilitation.user_id, Habilitation.teleservice, Habilitation.right
                ).where(Habilitation.revoked_at.is_(None))
            )
        ).all()
        admins = (await session.exec(select(User.id).where(User.is_admin.is_(True)))).all()
        mandates = (
            await session.exec(
                select(
                    Representation.id,
                    Representation.representative_id,
                    Representation.represented_id,
                    Representation.scope,
                    Representation.valid_from,
                    Representation.valid_until,
                ).where(Representation.ended_at.is_(None))
            )
        ).all()
        tokens = (await session.exec(select(ApiToken.id).where(ApiToken.revoked_at.is_(None)))).all()
        acceptances = (await session.exec(select(TermsAcceptance.user_id, TermsAcceptance.terms_version_id))).all()
        acting = (
            await session.exec(
                select(WebSession.id, WebSession.acting_operator_id).where(
                    WebSession.id.in_(list(world.sessions.values()))
                )
            )
        ).all()
        # The fixture dossiers, their goods lines and attachments, and how many dossiers there are: one query.
        every = sa.orm.aliased(Dossier)
        dossiers = (
            await session.exec(
                select(
                    Dossier.id,
                    Dossier.version,
                    Dossier.status,
                    Dossier.updated_at,
                    Dossier.customs_office,
                    select(sa.func.count(GoodsLine.id))
                    .where(GoodsLine.dossier_id == Dossier.id)
                    .scalar_subquery()
                    .label("lines"),
                    select(sa.func.count(Attachment.id))
                    .where(Attachment.dossier_id == Dossier.id, Attachment.removed_at.is_(None))
                    .scalar_subquery()
                    .label("attachments"),
                    select(sa.func.count(every.id)).scalar_subquery().label("dossiers"),
                ).where(Dossier.id.in_(list(world.dossiers.values())))
            )
        ).all()
    return {
        "active habilitations": sorted(map(tuple, habilitations)),
        "administrators": sorted(admins),
        "active mandates": sorted(map(tuple, mandates)),
        "active tokens": sorted(tokens),
        "terms acceptances": sorted(map(tuple, acceptances)),
        "acting operators": sorted(map(tuple, acting)),
        "fixture dossiers (version, status, updated, office, lines, attachments; number of dossiers)": sorted(
            map(tuple, dossiers)
        ),
    }


@pytest_asyncio.fixture(loop_scope="session", scope="module")
async def world(live_server, actor_clients) -> AsyncIterator[World]:
    db = Database(live_server.settings)
    world = World(db=db)
    issuer = live_server.settings.oidc_issuer
    async with db.session() as session:
        for key, siret in SIRETS.items():
            operator = (await session.exec(select(Operator).where(Operator.siret == siret))).one()
            world.operators[key], world.operator_names[key] = operator.id, operator.legal_name
        for key, sub in DEMO_USERS.items():
            world.users[key] = await _user_by_sub(session, issuer, sub)
        for actor in ("member", "newcomer"):
            me = graphql(actor_clients[actor], "{ me { id } }").json()["data"]["me"]
            world.users[actor] = await session.get(User, int(base64.b64decode(me["id"]).decode().split(":")[1]))
        newcomer_operator = await session.get(Operator, world.users["newcomer"].operator_id)
        world.operators["NEW"], world.operator_names["NEW"] = newcomer_operator.id, newcomer_operator.legal_name
        # Fresh people the rows act upon: a grantee with an operator of their own, members of Rhône and Martin,
        # and an outsider habilitated (consult) by Rhône.
        world.users["grantee"] = await _new_professional(session, live_server, "grantee", fresh_siret())
        world.users["member@RHONE"] = await _new_professional(session, live_server, "membre", SIRETS["RHONE"])
        world.users["member@MARTIN"] = await _new_professional(session, live_server, "membre", SIRETS["MARTIN"])
        world.users["outsider"] = await _new_professional(session, live_server, "outsider", fresh_siret())
        # Someone of another firm, who filed a Verrerie dossier that Martin did not file.
        world.users["filer"] = await _new_professional(session, live_server, "deposant", fresh_siret())
        session.add(
            Habilitation(
                operator_id=world.operators["RHONE"],
                user_id=world.users["outsider"].id,
                right=Right.CONSULT,
                granted_by_id=world.users["karim"].id,
            )
        )
        await session.commit()
        for habilitation in (
            await session.exec(select(Habilitation).where(Habilitation.revoked_at.is_(None)))
        ).all():
            for user_key, user in world.users.items():
                for op_key, op_id in world.operators.items():
                    if habilitation.user_id == user.id and habilitation.operator_id == op_id:
                        world.habilitations[f"{user_key}@{op_key}"] = habilitation.id
        for mandate in (await session.exec(select(Representation).where(Representation.ended_at.is_(None)))).all():
            keys = {v: k for k, v in world.operators.items()}
            if mandate.represented_id in keys and mandate.representative_id in keys:
                world.mandates[f"{keys[mandate.represented_id]}<{keys[mandate.representative_id]}"] = mandate.id
        for user_key in ("marie", "paul"):
            token, _raw = await create_token(session, world.users[user_key], name="matrice : jeton témoin", days=2)
            world.tokens[user_key] = token.id
        terms = (
            await session.exec(
                select(TermsVersion)
                .where(TermsVersion.teleservice == SOPRANO, TermsVersion.published_at <= utcnow())
                .order_by(TermsVersion.published_at.desc())
            )
        ).first()
        world.terms_version = terms.version
    for actor, client in actor_clients.items():
        if client.cookies.get("soprano_session"):
            world.sessions[actor] = session_id_of(client)
    FileSystemStorage(live_server.settings.attachments_dir).put(hashlib.sha256(PDF).hexdigest(), PDF)
    for key in DOSSIERS:
        world.dossiers[key], world.goods_lines[key], world.attachments[key] = await insert_dossier(world, key)
    assert world.users["member"].kind is AccountKind.PROFESSIONAL and not world.users["member"].is_admin
    assert world.users["newcomer"].is_admin
    world.baseline = await snapshot(db, world)
    yield world
    await db.dispose()


# --- running a row --------------------------------------------------------------------------------------------------


async def run(world: World, clients: dict[str, httpx.Client], actor: str, operation: str, target: Any) -> dict:
    """Prepare, send over HTTP, undo; returns the GraphQL answer. The demo state must be as before."""
    spec = OPERATIONS[operation]
    row = Row(world, actor, target)
    try:
        variables = spec.variables(row)
        if inspect.isawaitable(variables):
            variables = await variables
        response = await asyncio.to_thread(spec.send or graphql, clients[actor], spec.document, variables)
    finally:
        for undo in reversed(row.undo):
            await undo()
    assert response.status_code == 200, (response.status_code, response.text)
    assert await snapshot(world.db, world) == world.baseline, "the row changed the demo state"
    return response.json()


def check(body: dict, operation: str, root: str, expected: Any, world: World) -> None:
    if isinstance(expected, dict):
        for alias, outcome in expected.items():
            check(body, operation, alias, outcome, world)
        return
    value = (body.get("data") or {}).get(root)
    errors = [e for e in body.get("errors") or [] if not e.get("path") or e["path"][0] == root]
    if expected in (ALLOW, NULL) or isinstance(expected, Sees | Shows):
        assert not errors, f"{root}: expected {expected}, got errors {errors}"
        if expected == NULL:
            assert value is None, f"{root}: expected null, got {value}"
            return
        assert value is not None, f"{root}: expected data, got null"
        if isinstance(expected, Shows):
            listed = {entry["dossier"]["id"] for entry in value}
            seen = sorted(key for key in DOSSIERS if world.dossier_gid(key) in listed)
            assert seen == sorted(expected.dossiers), f"{root}: listed {seen}"
        if isinstance(expected, Sees):
            names = OPERATIONS[operation].names
            assert names is not None, f"{operation} has no `names` extractor for sees()"
            wanted = sorted(world.operator_names[key] for key in expected.operators)
            assert sorted(names(value)) == wanted
        return
    assert errors, f"{root}: expected {expected}, got data {value}"
    code = errors[0].get("extensions", {}).get("code")
    assert code == expected, f"{root}: expected {expected}, got {code} ({errors[0]['message']})"
    assert value is None


@pytest.mark.parametrize(("actor", "operation", "target", "expected"), MATRIX, ids=[_row_id(r) for r in MATRIX])
async def test_access_matrix(world, actor_clients, actor, operation, target, expected):
    body = await run(world, actor_clients, actor, operation, target)
    check(body, operation, operation.split(":")[0], expected, world)


# The GraphQL classes whose every root field must have rows; later issues add theirs.
COVERED = [IdentityQuery, IdentityMutation, DossierQuery, DossierMutation]


def root_fields(cls) -> set[str]:
    converter = schema.config.name_converter
    return {converter.get_graphql_name(f) for f in cls.__strawberry_definition__.fields}


def test_the_matrix_covers_every_actor_and_every_operation():
    """Adding an operation or an actor without rows fails here; so does a row naming an unknown one."""
    assert {row[0] for row in MATRIX} == set(ACTORS)
    assert {row[1] for row in MATRIX} == set(OPERATIONS)
    tested = {name.split(":")[0] for name in OPERATIONS if not name.startswith("aliases:")}
    exposed = set().union({"node"}, *(root_fields(cls) for cls in COVERED))
    assert exposed <= tested, f"operations without rows: {sorted(exposed - tested)}"
    assert len({_row_id(r) for r in MATRIX}) == len(MATRIX), "duplicate rows"


# --- what may not be seen answers exactly like what does not exist -----------------------------------------------

INVISIBLE_LIKE_MISSING = [
    # (actor, operation, a target that exists but is not visible to the actor, a valid id of nothing)
    ("admin", "operator", "CHOCOLAT", MISSING),
    ("admin", "node", "Operator:CHOCOLAT", "Operator:MISSING"),
    ("admin", "node", "User:lucie", "User:MISSING"),
    ("admin", "node", "Habilitation:outsider@RHONE", "Habilitation:MISSING"),
    ("admin", "node", "Representation:CHOCOLAT<MARTIN", "Representation:MISSING"),
    ("admin", "node", "ApiToken:paul", "ApiToken:MISSING"),
    ("partner", "node", "Representation:DURAND<MARTIN", "Representation:MISSING"),
    ("token", "node", "User:paul", "User:MISSING"),
    ("admin", "representatives", "CHOCOLAT", MISSING),
    ("admin", "habilitations", "RHONE", MISSING),
    ("admin", "collaborators", "RHONE", MISSING),
    ("admin", "accessAudit", "RHONE", MISSING),
    ("admin", "grantHabilitation", "CHOCOLAT", MISSING),
    ("admin", "revokeHabilitation", "RHONE", MISSING),
    ("consult", "revokeHabilitation", "DURAND", MISSING),
    ("representative", "revokeHabilitation", "DURAND", MISSING),
    ("admin", "setOperatorAdministrator", "RHONE", MISSING),
    ("admin", "createRepresentation", "CHOCOLAT<RHONE", "MISSING<RHONE"),
    ("admin", "endRepresentation", "CHOCOLAT<RHONE", MISSING),
    ("partner", "endRepresentation", "CHOCOLAT<DURAND", MISSING),
    ("representative", "selectActingOperator", "RHONE", MISSING),
    ("admin", "createApiToken", "CHOCOLAT", MISSING),
    ("admin", "revokeApiToken", "ApiToken:paul", "ApiToken:MISSING"),
    # dossiers (issue 4)
    ("admin", "dossier", "RHONE", MISSING),
    ("representative", "dossier", "VERRERIE", MISSING),
    ("officer", "dossier", "DURAND", MISSING),
    ("admin", "node", "Dossier:RHONE", "Dossier:MISSING"),
    ("admin", "node", "GoodsLine:RHONE", "GoodsLine:MISSING"),
    ("admin", "node", "Attachment:RHONE", "Attachment:MISSING"),
    ("representative", "node", "Attachment:VERRERIE", "Attachment:MISSING"),
    ("admin", "createDossier", "CHOCOLAT", MISSING),
    ("admin", "updateDossier", "RHONE", MISSING),
    ("representative", "updateDossier", "VERRERIE", MISSING),
    ("member", "updateDossier", "DURAND", MISSING),
    ("admin", "checkDossier", "RHONE", MISSING),
    ("admin", "submitDossier", "RHONE", MISSING),
    ("admin", "addGoodsLine", "RHONE", MISSING),
    ("admin", "updateGoodsLine", "RHONE", MISSING),
    ("admin", "removeGoodsLine", "RHONE", MISSING),
    ("admin", "uploadAttachment", "RHONE", MISSING),
    ("admin", "removeAttachment", "RHONE", MISSING),
    ("representative", "removeAttachment", "VERRERIE", MISSING),
]


@pytest.mark.parametrize(
    ("actor", "operation", "invisible", "missing"),
    INVISIBLE_LIKE_MISSING,
    ids=[f"{a}-{o}-{i}" for a, o, i, _m in INVISIBLE_LIKE_MISSING],
)
async def test_what_may_not_be_seen_answers_exactly_like_what_does_not_exist(
    world, actor_clients, actor, operation, invisible, missing
):
    hidden = await run(world, actor_clients, actor, operation, invisible)
    absent = await run(world, actor_clients, actor, operation, missing)
    assert hidden == absent


# --- `me`: the operators the actor may act for, and the right on each ---------------------------------------------

ME_OPERATORS = {
    # actor → [(operator, right, via, mandate scope)]
    "admin": [("DURAND", "SUBMIT", "OWN", None)],
    "consult": [("DURAND", "CONSULT", "OWN", None)],
    "submit": [("DURAND", "SUBMIT", "OWN", None)],
    "partner": [("RHONE", "SUBMIT", "OWN", None), ("DURAND", "PREPARE", "PARTNER", None)],
    "representative": [
        ("MARTIN", "SUBMIT", "OWN", None),
        ("DURAND", "SUBMIT", "REPRESENTATION", "FULL"),
        ("CHOCOLAT", "SUBMIT", "REPRESENTATION", "FULL"),
        ("VERRERIE", "SUBMIT", "REPRESENTATION", "PARTIAL"),
    ],
    "private": [],
    "officer": [],
    "officer2": [],
    "token": [("DURAND", "CONSULT", "OWN", None)],
    "member": [("DURAND", None, "OWN", None)],
    "newcomer": [("NEW", "SUBMIT", "OWN", None)],
}

ME_QUERY = """{ me { kind isAdmin termsAccepted actingOperator { legalName }
  operators { operator { legalName } right via scope isAdmin isActing } } }"""


@pytest.mark.parametrize("actor", list(ME_OPERATORS))
async def test_me_lists_the_operators_the_actor_may_act_for_with_the_right_on_each(world, actor_clients, actor):
    body = await run_document(actor_clients[actor], ME_QUERY)
    me = body["data"]["me"]
    names = {v: k for k, v in world.operator_names.items()}
    got = sorted((names[o["operator"]["legalName"]], o["right"], o["via"], o["scope"]) for o in me["operators"])
    assert got == sorted(ME_OPERATORS[actor], key=lambda e: (e[0], e[1] or "", e[2], e[3] or ""))
    # Only one actionable operator: it is the one acted for, without having to choose.
    actionable = [o for o in me["operators"] if o["right"]]
    if len(actionable) == 1:
        assert me["actingOperator"] == actionable[0]["operator"]
        assert actionable[0]["isActing"] is True
    elif len(actionable) > 1:
        assert me["actingOperator"] is None
    # Administration comes only from one's own operator, and a token never carries its creator's.
    admin_of = [names[o["operator"]["legalName"]] for o in me["operators"] if o["isAdmin"]]
    assert admin_of == {
        "admin": ["DURAND"],
        "partner": ["RHONE"],
        "representative": ["MARTIN"],
        "newcomer": ["NEW"],
    }.get(actor, [])
    if me["kind"] == "PROFESSIONAL":
        assert me["termsAccepted"] is (actor != "newcomer")


async def run_document(client: httpx.Client, document: str, variables: dict | None = None) -> dict:
    response = await asyncio.to_thread(graphql, client, document, variables)
    assert response.status_code == 200, response.text
    return response.json()


async def test_a_representative_picks_an_operator_and_it_is_kept_in_the_session(world, actor_clients):
    client = actor_clients["representative"]
    chocolat = world.operator_gid("CHOCOLAT")
    try:
        body = await run_document(
            client,
            "mutation($id: ID!) { selectActingOperator(operatorId: $id) { actingOperator { legalName } } }",
            {"id": chocolat},
        )
        assert (
            body["data"]["selectActingOperator"]["actingOperator"]["legalName"] == world.operator_names["CHOCOLAT"]
        )
        me = (
            await run_document(client, "{ me { actingOperator { id } operators { isActing operator { id } } } }")
        )["data"]["me"]
        assert me["actingOperator"]["id"] == chocolat
        assert [o["operator"]["id"] for o in me["operators"] if o["isActing"]] == [chocolat]
    finally:
        async with world.db.session() as session:
            await session.exec(
                sa.update(WebSession)
                .where(WebSession.id == world.sessions["representative"])
                .values(acting_operator_id=None)
            )
            await session.commit()


async def test_the_newcomer_is_asked_for_the_terms_until_accepting_them(live_server, provider):
    """A fresh professional: TERMS_NOT_ACCEPTED, reads the terms, accepts them, and SOPRANO answers."""
    client = login(live_server, provider, unique_sub("cgu"), {"name": "Lecteur CGU", "siret": fresh_siret()})
    try:
        refused = (await run_document(client, "{ representedEntities { id } }"))["errors"][0]
        assert refused["extensions"]["code"] == TERMS_NOT_ACCEPTED
        assert "conditions générales" in refused["message"]
        terms = (await run_document(client, "{ termsOfUse { version accepted } }"))["data"]["termsOfUse"]
        assert terms["accepted"] is False
        accepted = await run_document(
            client,
            "mutation($v: String!) { acceptTerms(version: $v) { accepted } }",
            {"v": terms["version"]},
        )
        assert accepted["data"]["acceptTerms"]["accepted"] is True
        assert (await run_document(client, "{ representedEntities { id } }"))["data"] == {
            "representedEntities": []
        }
        assert (await run_document(client, "{ me { termsAccepted } }"))["data"]["me"]["termsAccepted"] is True
    finally:
        client.close()


def test_the_partner_token_is_capped_even_when_naming_another_operator(world, actor_clients):
    """A token bound to Durand cannot act for another operator by naming it in the X-Operator header."""
    response = actor_clients["token"].post(
        "/graphql",
        json={"query": "{ me { actingOperator { siret } operators { operator { siret } } } }"},
        headers={"X-Operator": SIRETS["CHOCOLAT"]},
    )
    me = response.json()["data"]["me"]
    assert me["actingOperator"] == {"siret": SIRETS["DURAND"]}
    assert [o["operator"]["siret"] for o in me["operators"]] == [SIRETS["DURAND"]]


SOPRANO_ACCESS = {
    "admin": "OK",
    "representative": "OK",
    "private": "PROFESSIONAL_ONLY",
    "officer": "PROFESSIONAL_ONLY",
    "anonymous": "LOGIN_REQUIRED",
    "newcomer": "TERMS_NOT_ACCEPTED",
}


@pytest.mark.parametrize(("actor", "status"), sorted(SOPRANO_ACCESS.items()))
def test_soprano_access_tells_each_actor_what_is_missing(actor_clients, actor, status):
    answer = graphql(actor_clients[actor], "{ sopranoAccess { status message } }").json()["data"]["sopranoAccess"]
    assert answer["status"] == status
    assert (answer["message"] is None) == (status == "OK")
