"""The world the access matrix runs in: actors, operators, fixture dossiers, expected outcomes, and what a row
must leave as it found it."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import httpx
import sqlalchemy as sa
from sqlmodel import select

from backend.api.ids import encode_id
from backend.auth.sessions import WebSession
from backend.db import Database, utcnow
from backend.dossiers.catalogue import Procedure
from backend.dossiers.form import field_specs
from backend.dossiers.models import Attachment, Dossier, DossierEvent, DossierStatus, GoodsLine
from backend.dossiers.parsing import parse_value
from backend.identity.models import (
    ApiToken,
    Habilitation,
    Representation,
    TermsAcceptance,
    User,
)
from tests.dossiers.factories import answers, goods
from tests.processing_support import new_siret

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
FORBIDDEN_TRANSITION = "FORBIDDEN_TRANSITION"


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


@dataclass(frozen=True)
class Reads:
    """ALLOW, and the object answered has these field values (a per-reader field: what this actor may do)."""

    values: tuple[tuple[str, Any], ...]

    def __repr__(self) -> str:
        return f"reads({', '.join(f'{k}={v}' for k, v in self.values)})"


def reads(**values: Any) -> Reads:
    return Reads(tuple(sorted(values.items())))


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
ACCEPTED = DossierStatus.ACCEPTED
# Dossiers further on in their life, for the processing rows only: made as a fresh copy per row, never kept in the
# world (so the lists of the dossier rows show exactly DOSSIERS).
LATER_DOSSIERS = {
    "DURAND+ACCEPTED": DossierSpec("DURAND", None, ACCEPTED, "FR000690", "marie"),  # Claire's office decides
    "CHOCOLAT+ACCEPTED": DossierSpec("CHOCOLAT", "MARTIN", ACCEPTED, "FR002300", "lucie"),  # Hugo's office
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
    """A SIRET nobody uses yet that the portal accepts (Luhn keys of the SIREN and of the SIRET; never La Poste's)."""
    return new_siret()


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


def complete_answers(office: str) -> dict[str, Any]:
    """A complete temporary-admission application, in its stored form (as a save would store it)."""
    procedure = Procedure.TEMPORARY_ADMISSION
    specs = field_specs(procedure)
    stored = {path: parse_value(specs[path], value) for path, value in answers(procedure).items()}
    return {**stored, "applicant.customsOffice": office}


async def insert_dossier(world: World, key: str) -> tuple[int, int, int]:
    """A dossier as DOSSIERS[key] (or LATER_DOSSIERS[key]) describes it, with one goods line and one attachment:
    their ids."""
    spec = DOSSIERS[key] if key in DOSSIERS else LATER_DOSSIERS[key]
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
            submitted_at=None if spec.status is DRAFT else now,
            accepted_at=now if spec.status is ACCEPTED else None,
            # A decision due in four months: an extension to next year always follows it.
            decision_deadline=(now + dt.timedelta(days=120)).date() if spec.status is ACCEPTED else None,
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
        if spec.status is not DRAFT:
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
        if spec.status is ACCEPTED:
            session.add(
                DossierEvent(
                    dossier_id=dossier.id,
                    kind="accept",
                    actor_id=creator.id,
                    from_status="submitted",
                    to_status="accepted",
                    at=now,
                )
            )
        await session.commit()
        return dossier.id, line.id, attachment.id


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
