"""The world the access matrix runs in: actors, operators, fixture dossiers, authorisations and private declarations,
expected outcomes, and what a row must leave as it found it."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import uuid
import zlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import httpx
import sqlalchemy as sa
from sqlmodel import select

from backend.api.ids import encode_id
from backend.assistance import service as assistance
from backend.assistance.models import AssistanceMessage, AssistanceRequest, Feedback, RequestKind, RequestStatus
from backend.auth.sessions import WebSession
from backend.authorizations.issuing import EventKind as AuthorizationEventKind
from backend.authorizations.issuing import goods_snapshot
from backend.authorizations.models import Authorization, AuthorizationEvent, AuthorizationVersion, VersionKind
from backend.authorizations.rules import reference
from backend.clock import paris_today
from backend.db import Database, utcnow
from backend.declarations import service as declarations
from backend.declarations.estimate import Kind
from backend.declarations.models import DeclarationStatus, PrivateDeclaration, PrivateDeclarationEvent
from backend.dossiers.catalogue import Procedure, authorisation_type
from backend.dossiers.form import field_specs
from backend.dossiers.models import Attachment, Dossier, DossierEvent, DossierStatus, GoodsLine
from backend.dossiers.parsing import parse_value
from backend.dossiers.storage import FileSystemStorage
from backend.identity.actor import Actor
from backend.identity.models import (
    ApiToken,
    Habilitation,
    Representation,
    TermsAcceptance,
    User,
)
from backend.identity.policy import load_access
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
INVALID_STATE = "INVALID_STATE"
CONFLICT = "CONFLICT"
CLOSED = "CLOSED"  # a closed assistance request takes no more message
ALREADY_GIVEN = "ALREADY_GIVEN"  # feedback on this page already given today


@dataclass(frozen=True)
class Invalid:
    """The error INVALID (FieldErrors: what was sent is wrong), naming this field (`extensions.field`); with `fields`,
    every problem told at once names exactly these fields, in this order (`extensions.fields`)."""

    field: str
    fields: tuple[str, ...] | None = None

    def __repr__(self) -> str:
        return f"invalid({', '.join(self.fields or (self.field,))})"


def invalid(field: str, *more: str) -> Invalid:
    """invalid(f): the error names f; invalid(f, g, …): it lists f, g, … (each problem on its field, f first)."""
    return Invalid(field, (field, *more) if more else None)


@dataclass(frozen=True)
class Says:
    """This error code, its French message containing `words` (what the person is told)."""

    code: str
    words: str

    def __repr__(self) -> str:
        return f"says({self.code}, {self.words!r})"


def says(code: str, words: str) -> Says:
    return Says(code, words)


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
class Lists:
    """ALLOW, and of the fixture authorisations (AUTHORIZATIONS), the list answered holds exactly these."""

    authorizations: tuple[str, ...]

    def __repr__(self) -> str:
        return f"lists({', '.join(self.authorizations)})"


def lists(*authorizations: str) -> Lists:
    assert set(authorizations) <= set(AUTHORIZATIONS), authorizations
    return Lists(tuple(sorted(authorizations)))


@dataclass(frozen=True)
class Reads:
    """ALLOW, and the object answered has these field values (a per-reader field: what this actor may do)."""

    values: tuple[tuple[str, Any], ...]

    def __repr__(self) -> str:
        return f"reads({', '.join(f'{k}={v}' for k, v in self.values)})"


def reads(**values: Any) -> Reads:
    return Reads(tuple(sorted(values.items())))


@dataclass(frozen=True)
class Holds:
    """ALLOW, and of the fixture declarations (DECLARATIONS), the list answered holds exactly these."""

    declarations: tuple[str, ...]

    def __repr__(self) -> str:
        return f"holds({', '.join(self.declarations)})"


def holds(*declarations: str) -> Holds:
    assert set(declarations) <= set(DECLARATIONS), declarations
    return Holds(tuple(sorted(declarations)))


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
ACCEPTED, HEARING, GRANTED = DossierStatus.ACCEPTED, DossierStatus.HEARING, DossierStatus.GRANTED
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
# Dossiers further on in their life, for the processing and grant rows only: made as a fresh copy per row, never kept
# in the world (so the lists of the dossier rows show exactly DOSSIERS).
LATER_DOSSIERS = {
    "DURAND+ACCEPTED": DossierSpec("DURAND", None, ACCEPTED, "FR000690", "marie"),  # Claire's office decides
    "DURAND+HEARING": DossierSpec("DURAND", None, HEARING, "FR000690", "marie"),  # an intended refusal, heard
    "CHOCOLAT+ACCEPTED": DossierSpec("CHOCOLAT", "MARTIN", ACCEPTED, "FR002300", "lucie"),  # Hugo's office
}
# Authorisation keys → the granted dossier each was issued from: its holder (the applicant operator), the
# representative that filed it (a partial mandate sees only those), and the issuing office. Each is in force (from
# today, for two years) with its version 1 and its "issued" history entry; the authorisation rows' module makes them
# (see test_authorizations_matrix.py), and a measure row works on a fresh copy of one.
AUTHORIZATIONS = {
    "DURAND": DossierSpec("DURAND", None, GRANTED, "FR000690", "marie"),  # issued by Claire's office
    "RHONE": DossierSpec("RHONE", None, GRANTED, "FR000690", "karim"),
    "MARTIN": DossierSpec("MARTIN", None, GRANTED, "FR000690", "lucie"),
    "CHOCOLAT": DossierSpec("CHOCOLAT", "MARTIN", GRANTED, "FR002300", "lucie"),  # issued by Hugo's office
    # Verrerie de Provence, represented by Martin under a PARTIAL mandate: filed by Martin, or by someone else.
    "VERRERIE<MARTIN": DossierSpec("VERRERIE", "MARTIN", GRANTED, "FR000690", "lucie"),
    "VERRERIE": DossierSpec("VERRERIE", None, GRANTED, "FR000690", "filer"),
    "NEW": DossierSpec("NEW", None, GRANTED, "FR000690", "newcomer"),
}


class DeclarationSpec(NamedTuple):
    declarant: str  # user key of the private person who made it
    status: DeclarationStatus
    items: bool = True  # one item (a leather jacket); False: none (it cannot be submitted)


D = DeclarationStatus
# Private declarations (a trip, complete, with one item) → what each is; all examined by the private declarations'
# office (settings.private_declarations_office: FR000690, Claire's). Made through the domain service, as Jean and
# Claire would make them; a mutation row works on a fresh copy made for it (see insert_declaration).
DECLARATIONS = {
    "JEAN": DeclarationSpec("jean", D.DRAFT),
    "JEAN+SUBMITTED": DeclarationSpec("jean", D.SUBMITTED),
    "JEAN+UNDER_REVIEW": DeclarationSpec("jean", D.UNDER_REVIEW),  # taken by Claire
    "JEAN+INFO_REQUESTED": DeclarationSpec("jean", D.INFO_REQUESTED),  # Claire asked him for a document
    "JEAN+ACCEPTED": DeclarationSpec("jean", D.ACCEPTED),
    "JEAN+REFUSED": DeclarationSpec("jean", D.REFUSED),
    # Another private person's (a fresh traveller): not Jean's to see, the office's once submitted.
    "OTHER": DeclarationSpec("traveller", D.DRAFT),
    "OTHER+SUBMITTED": DeclarationSpec("traveller", D.SUBMITTED),
}
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def _png() -> bytes:
    """A valid 1×1 white PNG (a ticket's screenshot)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")

    header = (1).to_bytes(4, "big") * 2 + bytes([8, 2, 0, 0, 0])  # 1×1, 8 bits, RGB
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


PNG = _png()


class AssistanceSpec(NamedTuple):
    author: str  # user key of who asked
    kind: RequestKind
    status: RequestStatus  # answered: by the office's officer (a ticket: the support); closed: then by its author
    operator: str | None = None  # a general question: the operator acted for
    office: str | None = None  # … and the office asked
    dossier: str | None = None  # a question about this fixture dossier (its office, its operator)
    authorization: str | None = None  # a question about this fixture authorisation
    screenshot: bool = False  # a ticket whose description carries a screenshot (PNG)


Q, T = RequestKind.QUESTION, RequestKind.TICKET
OPEN, ANSWERED, CLOSED_STATUS = RequestStatus.OPEN, RequestStatus.ANSWERED, RequestStatus.CLOSED
# Assistance requests (issue 14) → what each is. Made through the domain service, as their authors and customs would
# make them; a mutation row works on a fresh copy made for it (see insert_request). The assistance module also makes
# the authorisations DURAND and CHOCOLAT of AUTHORIZATIONS, and gives member@MARTIN the consult right on Martin (a
# colleague of Lucie's, who asks for Verrerie under the partial mandate).
ASSISTANCE = {
    "DURAND": AssistanceSpec("sophie", Q, OPEN, "DURAND", "FR000690"),  # Ateliers Durand to Claire's office
    "DURAND+ANSWERED": AssistanceSpec("sophie", Q, ANSWERED, "DURAND", "FR000690"),  # Claire answered
    "DURAND+CLOSED": AssistanceSpec("sophie", Q, CLOSED_STATUS, "DURAND", "FR000690"),
    "DURAND>FR002300": AssistanceSpec("sophie", Q, OPEN, "DURAND", "FR002300"),  # to Hugo's office
    "DURAND+DOSSIER": AssistanceSpec("sophie", Q, OPEN, dossier="DURAND+SUBMITTED"),  # its office: FR000690
    "RHONE": AssistanceSpec("karim", Q, OPEN, "RHONE", "FR000690"),  # another operator's, to Claire's office
    "VERRERIE<LUCIE": AssistanceSpec("lucie", Q, OPEN, "VERRERIE", "FR000690"),  # under the partial mandate
    "VERRERIE<MARTIN": AssistanceSpec("member@MARTIN", Q, OPEN, "VERRERIE", "FR000690"),  # Lucie's colleague
    # Asked for Verrerie by someone of another firm (the filer, given the consult right on Verrerie by the assistance
    # module): Lucie's partial mandate does not show it.
    "VERRERIE": AssistanceSpec("filer", Q, OPEN, "VERRERIE", "FR000690"),
    "CHOCOLAT+AUTHORIZATION": AssistanceSpec("lucie", Q, OPEN, authorization="CHOCOLAT"),  # its office: FR002300
    "MARIE-TICKET": AssistanceSpec("marie", T, OPEN, screenshot=True),
    "MARIE-TICKET+CLOSED": AssistanceSpec("marie", T, CLOSED_STATUS),
    "PAUL-TICKET": AssistanceSpec("paul", T, OPEN, screenshot=True),  # someone else's (Marie's collaborator)
}

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
    # The portal's support (SUPPORT_USERS; in development the demo account): a customs-side account without an
    # office (assistance, issue 14).
    "support": "nadia.roux@douane.gouv.fr",
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
    "nadia": ACTORS["support"],
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
    "support": "nadia",
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
    authorizations: dict[str, int] = field(default_factory=dict)  # fixture authorisation key → id
    authorization_versions: dict[str, int] = field(default_factory=dict)  # … → id of its version 1
    authorization_references: dict[str, str] = field(default_factory=dict)  # … → its reference (FRTEA000042)
    declarations: dict[str, int] = field(default_factory=dict)  # fixture declaration key → id
    assistance: dict[str, int] = field(default_factory=dict)  # fixture assistance request key → id
    openings: dict[str, int] = field(default_factory=dict)  # fixture assistance request key → its opening message
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
            "Authorization": self.authorizations,
            "AuthorizationVersion": self.authorization_versions,
            "PrivateDeclaration": self.declarations,
            "AssistanceRequest": self.assistance,
        }[kind]
        return encode_id(kind, ids[key])

    def dossier_gid(self, key: str) -> str:
        return encode_id("Dossier", MISSING_ID if key == MISSING else self.dossiers[key])

    def authorization_gid(self, key: str) -> str:
        return encode_id("Authorization", MISSING_ID if key == MISSING else self.authorizations[key])

    def declaration_gid(self, key: str) -> str:
        return encode_id("PrivateDeclaration", MISSING_ID if key == MISSING else self.declarations[key])

    def assistance_gid(self, key: str) -> str:
        return encode_id("AssistanceRequest", MISSING_ID if key == MISSING else self.assistance[key])


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


async def insert_dossier(world: World, key: str | DossierSpec) -> tuple[int, int, int]:
    """A dossier as DOSSIERS[key] (or LATER_DOSSIERS[key], or the spec itself) describes it, with one goods line and
    one attachment: their ids."""
    if isinstance(key, DossierSpec):
        spec = key
    else:
        spec = DOSSIERS[key] if key in DOSSIERS else LATER_DOSSIERS[key]
    accepted_once = spec.status in (ACCEPTED, HEARING, GRANTED)  # then heard, or granted
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
            accepted_at=now if accepted_once else None,
            # A decision due in four months: an extension to next year always follows it.
            decision_deadline=(now + dt.timedelta(days=120)).date() if accepted_once else None,
            hearing_started_at=now if spec.status is HEARING else None,
            decided_at=now if spec.status is GRANTED else None,
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
        steps = [("accept", ACCEPTED)] if accepted_once else []
        if spec.status is HEARING:
            steps.append(("notify_intended_refusal", HEARING))
        if spec.status is GRANTED:
            steps.append(("grant", GRANTED))
        previous = SUBMITTED
        for kind, status in steps:
            session.add(
                DossierEvent(
                    dossier_id=dossier.id,
                    kind=kind,
                    actor_id=creator.id,
                    from_status=previous.value,
                    to_status=status.value,
                    at=now,
                )
            )
            previous = status
        await session.commit()
        return dossier.id, line.id, attachment.id


class IssuedAuthorization(NamedTuple):
    id: int
    version_id: int
    reference: str


async def insert_authorization(
    world: World,
    key: str,
    *,
    suspended: bool = False,
    ends_in_days: int = 730,
    revoked: bool = False,
    annulled: bool = False,
    holder_request: str | None = None,
    intended: str | None = None,
    notified_days_ago: int = 0,
    answered: bool = False,
    heard: str | None = None,
) -> IssuedAuthorization:
    """An authorisation as AUTHORIZATIONS[key] describes it, issued (as a grant issues it) from a granted dossier
    made for it: in force from today for two years, with its version 1 and its "issued" history entry. suspended: a
    suspension runs from today, until further notice. ends_in_days: its two years of validity end that many days
    from today instead (negative: it has expired). revoked: revoked from today. annulled: annulled (from the start
    of its validity). holder_request: the holder's request to customs already pending ("suspend", "revoke").
    intended: the adverse measure customs intend ("suspend", "revoke", "annul"), notified to the holder
    `notified_days_ago` days ago (more than HEARING_DAYS: their time to be heard is over); answered: the holder has
    presented their observations (today). heard: the holder has been heard on that measure (notified yesterday,
    answered today): it may be decided."""
    if heard is not None:
        assert intended is None, (intended, heard)
        intended, notified_days_ago, answered = heard, 1, True
    assert intended in (None, "suspend", "revoke", "annul"), intended
    spec = AUTHORIZATIONS[key]
    dossier_id, _line, _attachment = await insert_dossier(world, spec)
    officer = world.users["claire" if spec.office == "FR000690" else "hugo"]
    now, today = utcnow(), paris_today()
    until = today + dt.timedelta(days=ends_in_days)
    since = min(today, until - dt.timedelta(days=730))
    async with world.db.session() as session:
        dossier = await session.get(Dossier, dossier_id)
        lines = list((await session.exec(select(GoodsLine).where(GoodsLine.dossier_id == dossier_id))).all())
        kind = authorisation_type(Procedure(dossier.procedure), dossier.data)
        authorization = Authorization(
            operator_id=dossier.operator_id,
            filed_by_operator_id=dossier.filed_by_operator_id,
            procedure=dossier.procedure,
            authorisation_type=kind,
            customs_office=spec.office,
            dossier_id=dossier_id,
            valid_from=since,
            valid_until=until,
            suspended_from=today if suspended else None,
            suspension_case="grounds_examined" if suspended else None,
            revoked_from=today if revoked else None,
            annulled_on=since if annulled else None,
            holder_request=holder_request,
            intended_measure=intended,
            intended_reason="Matrice des accès : motifs notifiés au titulaire." if intended else None,
            hearing_started_at=now - dt.timedelta(days=notified_days_ago) if intended else None,
            hearing_answered_at=now if intended and answered else None,
            issued_at=now,
            updated_at=now,
        )
        session.add(authorization)
        await session.flush()
        authorization.reference = reference(kind, authorization.id, session.info["settings"])
        version = AuthorizationVersion(
            authorization_id=authorization.id,
            number=1,
            kind=VersionKind.ISSUE,
            dossier_id=dossier_id,
            answers=dict(dossier.data),
            goods=goods_snapshot(lines),
            conditions="Matrice des accès : tenue d'une comptabilité matières.",
            valid_from=since,
            valid_until=until,
            issued_by_id=officer.id,
            issued_at=now,
        )
        session.add(version)
        session.add(
            AuthorizationEvent(
                authorization_id=authorization.id,
                kind=AuthorizationEventKind.ISSUED.value,
                version=1,
                actor_id=officer.id,
                message=f"Délivrée à partir du dossier {dossier.reference}.",
                at=now,
            )
        )
        await session.commit()
        return IssuedAuthorization(authorization.id, version.id, authorization.reference)


async def delete_authorizations(db: Database, condition: sa.ColumnElement[bool]) -> None:
    """The authorisations matching `condition` (on Authorization), their versions and history, and the dossiers they
    were issued from (with those dossiers' lines, attachments and history)."""
    async with db.session() as session:
        chosen = select(Authorization.id).where(condition)
        dossiers = list((await session.exec(select(Authorization.dossier_id).where(condition))).all())
        for child in (AuthorizationEvent, AuthorizationVersion):
            await session.exec(sa.delete(child).where(child.authorization_id.in_(chosen)))
        await session.exec(sa.delete(Authorization).where(condition))
        for child in (DossierEvent, GoodsLine, Attachment):
            await session.exec(sa.delete(child).where(child.dossier_id.in_(dossiers)))
        await session.exec(sa.delete(Dossier).where(Dossier.id.in_(dossiers)))
        await session.commit()


class MadeDeclaration(NamedTuple):
    id: int
    version: int
    item_key: str | None  # its one item's key (None: no item)


TRIP_ITEM = {
    "description": "Veste en cuir",
    "category": "clothing",
    "quantity": 1,
    "value": "120",
    "currency": "EUR",
}


async def insert_declaration(world: World, key: str | DeclarationSpec) -> MadeDeclaration:
    """A declaration as DECLARATIONS[key] (or the spec itself) describes it, made through the domain service as its
    declarant and Claire (the examining office) would: a trip arriving today, one item, submitted, then taken, asked
    for information, accepted or refused as its status says."""
    spec = key if isinstance(key, DeclarationSpec) else DECLARATIONS[key]
    assert spec.items or spec.status is D.DRAFT, "without an item, it cannot be submitted"
    office = world.db.settings.private_declarations_office
    async with world.db.session() as session:
        declarant = await load_access(session, Actor(user=world.users[spec.declarant], via="session"))
        examiner = await load_access(session, Actor(user=world.users["claire"], via="session"))
        made = await declarations.create_declaration(session, declarant, Kind.TRIP, office=office)
        facts = {"arrivalDate": paris_today().isoformat(), "transport": "air_sea", "originCountry": "US"}
        made = await declarations.save_facts(session, declarant, made.id, made.version, facts)
        if spec.items:
            made = await declarations.add_item(session, declarant, made.id, made.version, TRIP_ITEM)
        status = spec.status
        if status is not D.DRAFT:
            made = await declarations.submit_declaration(session, declarant, made.id, made.version)
        if status is D.UNDER_REVIEW:
            made = await declarations.take_declaration(session, examiner, made.id)
        elif status is D.INFO_REQUESTED:
            message = "Matrice des accès : joignez la facture de la veste."
            made = await declarations.request_information(session, examiner, made.id, message)
        elif status is D.ACCEPTED:
            made = await declarations.accept_declaration(session, examiner, made.id, "12.50")
        elif status is D.REFUSED:
            made = await declarations.refuse_declaration(
                session, examiner, made.id, "Matrice des accès : refusée."
            )
        assert made.status == status.value, (made.status, status)
        return MadeDeclaration(made.id, made.version, made.items[0]["key"] if made.items else None)


async def delete_declarations(db: Database, condition: sa.ColumnElement[bool]) -> None:
    """The declarations matching `condition` (on PrivateDeclaration) and their history."""
    async with db.session() as session:
        chosen = select(PrivateDeclaration.id).where(condition)
        await session.exec(
            sa.delete(PrivateDeclarationEvent).where(PrivateDeclarationEvent.declaration_id.in_(chosen))
        )
        await session.exec(sa.delete(PrivateDeclaration).where(condition))
        await session.commit()


class MadeRequest(NamedTuple):
    id: int
    opening_id: int  # the id of its opening message (which carries the screenshot, if any)


async def insert_request(world: World, key: str | AssistanceSpec) -> MadeRequest:
    """An assistance request as ASSISTANCE[key] (or the spec itself) describes it, made through the domain service as
    its author and customs would: asked (a question) or opened (a ticket), with its screenshot, answered by the
    office's officer (Claire for FR000690, Hugo for FR002300; a ticket: Nadia, the support), closed by its author."""
    spec = key if isinstance(key, AssistanceSpec) else ASSISTANCE[key]
    settings = world.db.settings
    async with world.db.session() as session:

        async def access_of(user_key: str, operator: str | None = None):
            actor = Actor(user=world.users[user_key], via="session", session_id="matrice")
            requested = world.operators[operator] if operator else None
            return await load_access(session, actor, requested_operator_id=requested)

        author = await access_of(spec.author, spec.operator)
        subject = f"Matrice des accès {key if isinstance(key, str) else 'copie'}"
        if spec.kind is RequestKind.QUESTION:
            request = await assistance.ask_question(
                session,
                author,
                subject=subject,
                message="Matrice des accès : une question réglementaire.",
                office=spec.office,
                dossier_id=world.dossiers[spec.dossier] if spec.dossier else None,
                authorization_id=world.authorizations[spec.authorization] if spec.authorization else None,
            )
        else:
            request = await assistance.open_ticket(
                session,
                author,
                subject=subject,
                description="Matrice des accès : la page ne répond pas.",
                page="/",
            )
        if spec.screenshot:
            await assistance.attach_screenshot(
                session,
                author,
                FileSystemStorage(settings.attachments_dir),
                request.id,
                "capture.png",
                PNG,
                max_bytes=settings.attachment_max_bytes,
            )
        if spec.status is not RequestStatus.OPEN:
            if spec.kind is RequestKind.TICKET:
                answerer = "nadia"
            else:
                answerer = "claire" if request.customs_office == "FR000690" else "hugo"
            answer = "Matrice des accès : voici la réponse."
            await assistance.post_message(session, await access_of(answerer), request.id, answer)
        if spec.status is RequestStatus.CLOSED:
            await assistance.close_request(session, await access_of(spec.author, spec.operator), request.id)
        made = await session.get(AssistanceRequest, request.id)
        await session.refresh(made)
        assert made.status == spec.status.value, (made.status, spec.status)
        opening = (await assistance.thread(session, request.id))[0]
        return MadeRequest(request.id, opening.id)


async def delete_requests(db: Database, condition: sa.ColumnElement[bool]) -> None:
    """The assistance requests matching `condition` (on AssistanceRequest) and their threads."""
    async with db.session() as session:
        chosen = select(AssistanceRequest.id).where(condition)
        await session.exec(sa.delete(AssistanceMessage).where(AssistanceMessage.request_id.in_(chosen)))
        await session.exec(sa.delete(AssistanceRequest).where(condition))
        await session.commit()


async def assistance_snapshot(db: Database, world: World) -> dict[str, Any]:
    """The fixture assistance requests (status, version, who took it, closed, thread), and how many requests,
    messages and opinions there are: only in the assistance module (world.assistance)."""
    if not world.assistance:
        return {}
    async with db.session() as session:
        requests = (
            await session.exec(
                select(
                    AssistanceRequest.id,
                    AssistanceRequest.status,
                    AssistanceRequest.version,
                    AssistanceRequest.taken_by_id,
                    AssistanceRequest.closed_at,
                    AssistanceRequest.updated_at,
                    select(sa.func.count(AssistanceMessage.id))
                    .where(AssistanceMessage.request_id == AssistanceRequest.id)
                    .scalar_subquery()
                    .label("messages"),
                ).where(AssistanceRequest.id.in_(list(world.assistance.values())))
            )
        ).all()
        counts = (
            await session.exec(
                select(
                    select(sa.func.count(AssistanceRequest.id)).scalar_subquery(),
                    select(sa.func.count(AssistanceMessage.id)).scalar_subquery(),
                    select(sa.func.count(Feedback.id)).scalar_subquery(),
                )
            )
        ).one()
    return {
        "fixture assistance requests (status, version, taken by, closed, updated, messages)": sorted(
            map(tuple, requests)
        ),
        "number of assistance requests, messages, opinions": tuple(counts),
    }


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
        # The fixture authorisations, their measures, versions and history, and how many authorisations there are.
        any_authorization = sa.orm.aliased(Authorization)
        authorizations = (
            await session.exec(
                select(
                    Authorization.id,
                    Authorization.current_version,
                    Authorization.valid_until,
                    Authorization.suspended_from,
                    Authorization.suspended_until,
                    Authorization.suspension_case,
                    Authorization.revoked_from,
                    Authorization.annulled_on,
                    Authorization.holder_request,
                    Authorization.intended_measure,
                    Authorization.hearing_started_at,
                    Authorization.hearing_answered_at,
                    Authorization.updated_at,
                    select(sa.func.count(AuthorizationVersion.id))
                    .where(AuthorizationVersion.authorization_id == Authorization.id)
                    .scalar_subquery()
                    .label("versions"),
                    select(sa.func.count(AuthorizationEvent.id))
                    .where(AuthorizationEvent.authorization_id == Authorization.id)
                    .scalar_subquery()
                    .label("events"),
                    select(sa.func.count(any_authorization.id)).scalar_subquery().label("authorizations"),
                ).where(Authorization.id.in_(list(world.authorizations.values())))
            )
        ).all()
        # The fixture declarations, their history, and how many declarations there are.
        declared = (
            await session.exec(
                select(
                    PrivateDeclaration.id,
                    PrivateDeclaration.version,
                    PrivateDeclaration.status,
                    PrivateDeclaration.updated_at,
                    PrivateDeclaration.items,
                    PrivateDeclaration.facts,
                    select(sa.func.count(PrivateDeclarationEvent.id))
                    .where(PrivateDeclarationEvent.declaration_id == PrivateDeclaration.id)
                    .scalar_subquery()
                    .label("events"),
                ).where(PrivateDeclaration.id.in_(list(world.declarations.values())))
            )
        ).all()
        every_declaration = (await session.exec(select(sa.func.count(PrivateDeclaration.id)))).one()
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
        "fixture authorisations (version, validity, measures, requests and hearings, updated, versions, events; "
        "number of authorisations)": sorted(map(tuple, authorizations)),
        "fixture declarations (version, status, updated, items, facts, events)": sorted(
            (*row[:4], json.dumps(row[4], sort_keys=True), json.dumps(row[5], sort_keys=True), row[6])
            for row in declared
        ),
        "number of declarations": every_declaration,
        **await assistance_snapshot(db, world),
    }
