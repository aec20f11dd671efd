"""The access matrix of assistance (issue 14): the regulatory documentation, questions to the economic action unit
of an office, technical tickets to the portal's support, their threads (a message, taking one, closing one, a
ticket's screenshot and its download route), the lists and their counts, and « Votre avis nous intéresse ».

Rules (backend/identity/policy/assistance.py): the documentation is public. A question is asked by a professional
for the operator they act for (or about one of its dossiers or authorisations, whose own office then answers it);
its author and the operator's users with at least the consult right read it — who consults (Paul, the consult-bound
API token) reads but may not write (FORBIDDEN); who prepares or submits (Sophie, Marie, Karim the partner who
prepares, Lucie under a full mandate) writes and closes it, its author always. A partial mandate shows the
representative only the questions her own firm's users asked. The officers of the question's office, and only
them, read, take and answer it: an officer of another office sees nothing (null, NOT_FOUND). A ticket is its
author's and the support's (Nadia: a customs-side account without an office, given by SUPPORT_USERS); the support
answers it, an ordinary officer does not see it, nor does the author's operator. A private person gets no
professional assistance (FORBIDDEN to ask or open a ticket; nothing seen); an officer or the support asks no
question (FORBIDDEN). Feedback is given by anyone logged in, once a day per page (then ALREADY_GIVEN); only the
support reads the list and the summary (FORBIDDEN, UNAUTHENTICATED for a visitor). A visitor: UNAUTHENTICATED for
the lists and the changes, null for a lookup, zero counts. A closed request takes no message (CLOSED); who may act
is decided before whether it can be done now, and both before what was sent (every mistake at once, each on its
field). What may not be seen answers like what does not exist: null for a lookup and for node(id:), NOT_FOUND for a
change, 404 for a screenshot.

Targets are keys of ASSISTANCE (world.py): a lookup reads the fixture requests made once for this module through
the domain service; a change works on a fresh copy of the target's, made for the row and deleted after it (with
whatever the row created; an opinion a row gave too). The module also makes the authorisations DURAND (FR000690) and
CHOCOLAT (FR002300) and gives member@MARTIN, a colleague of Lucie's, the consult right on Martin.

Live (LIVE_MATRIX, at the end): who hears of a request through `assistanceChanged`, with requestId (each request:
HEARS, or refused NOT_FOUND like a lookup of nothing) and without (exactly what the actor reads), over a real
WebSocket per actor.

The support elsewhere: the support is a customs officer without an office; the other domains give it what they
give such an officer (SUPPORT_ELSEWHERE, at the end).

Rows whose id is in ISSUE state the issue's rule where the code disagrees: xfail(strict=True), with the reason.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from typing import Any

import pytest
import pytest_asyncio
import sqlalchemy as sa

from backend.api.ids import encode_id
from backend.assistance.models import AssistanceRequest, RequestKind, RequestStatus
from backend.authorizations.models import Authorization
from backend.identity.models import Habilitation, Right
from tests.api.access_matrix.runner import (
    assert_invisible_like_missing,
    check,
    invisible_like_missing,
    row_id,
    run,
    run_document,
)
from tests.api.access_matrix.world import (
    ACTING_OPERATOR_REQUIRED,
    ACTORS,
    ALLOW,
    ALREADY_GIVEN,
    ASSISTANCE,
    CLOSED,
    FORBIDDEN,
    MISSING,
    NOT_FOUND,
    NULL,
    PROFESSIONAL_ONLY,
    UNAUTHENTICATED,
    World,
    _,
    delete_authorizations,
    delete_requests,
    fields,
    insert_authorization,
    insert_request,
    invalid,
    reads,
    says,
    shows,
    snapshot,
)
from tests.processing_support import WsClient, codes, hub_count, hub_has, session_cookie

# --- outcomes of this table (besides the runner's) ------------------------------------------------------------------


@dataclass(frozen=True)
class Asks:
    """ALLOW, and of the fixture requests (ASSISTANCE), the list answered holds exactly these."""

    requests: tuple[str, ...]

    def __repr__(self) -> str:
        return f"asks({', '.join(self.requests)})"


def asks(*requests: str) -> Asks:
    assert set(requests) <= set(ASSISTANCE), requests
    return Asks(tuple(sorted(requests)))


@dataclass(frozen=True)
class Answers:
    """ALLOW, and the root field is exactly this scalar (mayGiveFeedback)."""

    value: Any

    def __repr__(self) -> str:
        return f"answers({self.value})"


@dataclass(frozen=True)
class Asked:
    """ALLOW: the question asked is open, for this operator, to this office."""

    operator: str
    office: str

    def __repr__(self) -> str:
        return f"asked({self.operator}, {self.office})"


def asked(operator: str, office: str = "FR000690") -> Asked:
    return Asked(operator, office)


# --- the module's world: authorisations, Lucie's colleague, the fixture requests --------------------------------


@pytest_asyncio.fixture(loop_scope="session", scope="module")
async def world(world: World) -> AsyncIterator[World]:
    """The module's world (conftest.py) with the authorisations DURAND and CHOCOLAT, member@MARTIN's consult right on
    Martin (so that he asks for Verrerie under the partial mandate), the filer's on Verrerie (so that another firm
    asks for it), and the fixture requests of ASSISTANCE, made for this module and deleted after it; the baseline then
    includes them."""
    for key in ("DURAND", "CHOCOLAT"):
        world.authorizations[key] = (await insert_authorization(world, key)).id
    async with world.db.session() as session:
        habilitations = [
            Habilitation(
                operator_id=world.operators["MARTIN"],
                user_id=world.users["member@MARTIN"].id,
                right=Right.CONSULT,
                granted_by_id=world.users["lucie"].id,
            ),
            # So that someone of another firm asks for Verrerie (not under Martin's partial mandate).
            Habilitation(
                operator_id=world.operators["VERRERIE"],
                user_id=world.users["filer"].id,
                right=Right.CONSULT,
                granted_by_id=world.users["filer"].id,
            ),
        ]
        session.add_all(habilitations)
        await session.commit()
        for habilitation in habilitations:
            await session.refresh(habilitation)
    for key in ASSISTANCE:
        made = await insert_request(world, key)
        world.assistance[key], world.openings[key] = made.id, made.opening_id
    world.baseline = await snapshot(world.db, world)
    yield world
    await delete_requests(world.db, AssistanceRequest.id.in_(list(world.assistance.values())))
    await delete_authorizations(world.db, Authorization.id.in_(list(world.authorizations.values())))
    async with world.db.session() as session:
        await session.exec(sa.delete(Habilitation).where(Habilitation.id.in_([h.id for h in habilitations])))
        await session.commit()
    world.assistance.clear()
    world.openings.clear()
    world.authorizations.clear()


# --- the fixture requests, grouped ----------------------------------------------------------------------------------

DURAND_QUESTIONS = ("DURAND", "DURAND+ANSWERED", "DURAND+CLOSED", "DURAND>FR002300", "DURAND+DOSSIER")
DURAND_OPEN = ("DURAND", "DURAND+ANSWERED", "DURAND>FR002300", "DURAND+DOSSIER")  # not closed
TO_FR000690 = (
    "DURAND",
    "DURAND+ANSWERED",
    "DURAND+CLOSED",
    "DURAND+DOSSIER",
    "RHONE",
    "VERRERIE<LUCIE",
    "VERRERIE<MARTIN",
    "VERRERIE",
)
TO_FR002300 = ("DURAND>FR002300", "CHOCOLAT+AUTHORIZATION")
TICKETS = ("MARIE-TICKET", "MARIE-TICKET+CLOSED", "PAUL-TICKET")
MARIES_TICKETS = ("MARIE-TICKET", "MARIE-TICKET+CLOSED")
IS_CLOSED = {key for key, spec in ASSISTANCE.items() if spec.status is RequestStatus.CLOSED}

# What each actor sees of the fixture requests (Lucie also sees VERRERIE<MARTIN: her firm's colleague asked it, under the partial mandate).
SEEN: dict[str, tuple[str, ...]] = {
    "admin": (*DURAND_QUESTIONS, *MARIES_TICKETS),  # her operator's questions, her own tickets
    "consult": (*DURAND_QUESTIONS, "PAUL-TICKET"),  # consult reads them; his own ticket
    "submit": DURAND_QUESTIONS,
    "partner": (*DURAND_QUESTIONS, "RHONE"),  # a partner who prepares for Durand; his own operator's
    "representative": (*DURAND_QUESTIONS, "CHOCOLAT+AUTHORIZATION", "VERRERIE<LUCIE", "VERRERIE<MARTIN"),
    "token": (*DURAND_QUESTIONS, *MARIES_TICKETS),  # bound to Durand (consult); Marie's token: her tickets too
    "officer": TO_FR000690,  # Claire: her office's questions, whoever asked; no ticket
    "officer2": TO_FR002300,  # Hugo: his office's
    "support": TICKETS,  # Nadia: every ticket, no question
    "member": (),
    "newcomer": (),
    "private": (),
}
ANSWERING = {"officer": TO_FR000690, "officer2": TO_FR002300, "support": TICKETS}
TAKER = {"officer": "Claire Bernard", "officer2": "Hugo Lambert", "support": "Nadia Roux"}
# Who writes on the asker's side (post, close) among what they see; the rest they only read.
WRITES_AS_ASKER: dict[str, tuple[str, ...]] = {
    "admin": (*DURAND_QUESTIONS, *MARIES_TICKETS),
    "consult": ("PAUL-TICKET",),  # his own ticket; his operator's questions he only reads
    "submit": DURAND_QUESTIONS,
    "partner": (*DURAND_QUESTIONS, "RHONE"),
    "representative": SEEN["representative"],
    "token": MARIES_TICKETS,  # the author's token: hers always (the cap on Durand is consult)
}
# The issue's rule where the code disagrees: row id → why the row fails today.
ISSUE: dict[str, str] = {}

Row = tuple[str, str, Any, Any]
CHANGES = (
    "postAssistanceMessage",
    "postAssistanceMessage:blank",
    "takeAssistanceRequest",
    "closeAssistanceRequest",
)
KEYS = tuple(ASSISTANCE)


def each(actor: str, operations: Iterable[str], targets: Iterable[Any], expected: Any) -> list[Row]:
    """The same outcome for every operation on every target."""
    return [(actor, operation, target, expected) for operation in operations for target in targets]


def lookups(actor: str) -> list[Row]:
    """One request, node(id:) of it, and its per-reader fields, for every fixture request: what the actor sees or
    not (null, like one that does not exist)."""
    seen = SEEN.get(actor, ())
    answering = ANSWERING.get(actor, ())
    writing = WRITES_AS_ASKER.get(actor, ())
    rows: list[Row] = []
    for key in KEYS:
        rows.append((actor, "assistanceRequest", key, ALLOW if key in seen else NULL))
        if key in seen:
            may = reads(mayAnswer=key in answering and key not in IS_CLOSED, mayWrite=key not in IS_CLOSED)
            if key not in answering and key not in writing:
                may = reads(mayAnswer=False, mayWrite=False)
            rows.append((actor, "assistanceRequest:may", key, may))
    rows += [
        (actor, "assistanceRequest", MISSING, NULL),
        (actor, "node", "AssistanceRequest:DURAND", ALLOW if "DURAND" in seen else NULL),
        (actor, "node", "AssistanceRequest:PAUL-TICKET", ALLOW if "PAUL-TICKET" in seen else NULL),
        (actor, "node", "AssistanceRequest:MISSING", NULL),
    ]
    return rows


def listed(actor: str) -> list[Row]:
    """The lists, per bucket (à traiter: what waits for the reader — an answer for the asker, a question for the
    answering side; en attente: for the other side; closes), per side and kind, and searched: exactly what the
    actor sees of the fixture requests, in the right bucket."""
    seen = SEEN.get(actor, ())
    answering = ANSWERING.get(actor, ())

    def having(keys: Iterable[str], *statuses: RequestStatus) -> tuple[str, ...]:
        return tuple(k for k in keys if ASSISTANCE[k].status in statuses)

    asking = tuple(k for k in seen if k not in answering)
    todo = having(answering, RequestStatus.OPEN) + having(asking, RequestStatus.ANSWERED)
    waiting = having(answering, RequestStatus.ANSWERED) + having(asking, RequestStatus.OPEN)
    return [
        (actor, "assistanceRequests", _, asks(*seen)),
        (actor, "assistanceRequests:todo", _, asks(*todo)),
        (actor, "assistanceRequests:waiting", _, asks(*waiting)),
        (actor, "assistanceRequests:done", _, asks(*having(seen, RequestStatus.CLOSED))),
        (actor, "assistanceRequests:to-answer", _, asks(*answering)),
        (actor, "assistanceRequests:asked", _, asks(*asking)),
        (
            actor,
            "assistanceRequests:tickets",
            _,
            asks(*(k for k in seen if ASSISTANCE[k].kind is RequestKind.TICKET)),
        ),
        (actor, "assistanceRequests:search", "RHONE", asks(*(k for k in seen if k == "RHONE"))),
        (actor, "assistanceRequests:search", "PAUL-TICKET", asks(*(k for k in seen if k == "PAUL-TICKET"))),
    ]


def changes(actor: str) -> list[Row]:
    """A message, taking, closing (each on a fresh copy of every fixture request, and of nothing): the answering side
    answers (« répondue ») and takes; the asker's side who may write answers (« ouverte » again) and closes, and does
    not take (FORBIDDEN); who only reads: FORBIDDEN; who does not see it: NOT_FOUND; closed: CLOSED for who may
    write (who may act, then what can be done now, then what was sent)."""
    seen = SEEN.get(actor, ())
    answering = ANSWERING.get(actor, ())
    writing = WRITES_AS_ASKER.get(actor, ())
    rows: list[Row] = []
    for key in KEYS:
        if key not in seen:
            rows += each(actor, CHANGES, [key], NOT_FOUND)
        elif key in IS_CLOSED and (key in answering or key in writing):
            rows += [
                (actor, "postAssistanceMessage", key, CLOSED),
                (actor, "postAssistanceMessage:blank", key, CLOSED),  # what can be done now, then what was sent
                # Taking it is customs' to do: who may act, before what can be done now.
                (actor, "takeAssistanceRequest", key, CLOSED if key in answering else FORBIDDEN),
                (actor, "closeAssistanceRequest", key, CLOSED),
            ]
        elif key in answering:
            rows += [
                (actor, "postAssistanceMessage", key, reads(status="ANSWERED", mayAnswer=True)),
                (actor, "postAssistanceMessage:blank", key, invalid("text")),
                (actor, "takeAssistanceRequest", key, reads(takenByName=TAKER[actor], mayAnswer=True)),
                (actor, "closeAssistanceRequest", key, reads(status="CLOSED", mayWrite=False)),
            ]
        elif key in writing:
            rows += [
                (actor, "postAssistanceMessage", key, reads(status="OPEN", mayWrite=True, mayAnswer=False)),
                (actor, "postAssistanceMessage:blank", key, invalid("text")),
                (actor, "takeAssistanceRequest", key, FORBIDDEN),
                (actor, "closeAssistanceRequest", key, reads(status="CLOSED", mayWrite=False)),
            ]
        else:  # reads, may not write
            rows += each(actor, CHANGES, [key], FORBIDDEN)
    rows += each(actor, CHANGES, [MISSING], NOT_FOUND)
    return rows


def screenshots(actor: str) -> list[Row]:
    """Attaching a screenshot (its author, on a ticket not closed; who sees but is not its author: FORBIDDEN) and
    downloading one (the author's and the support's; 404 for anyone else, and for a message without one)."""
    seen = SEEN.get(actor, ())
    own = {"admin": MARIES_TICKETS, "token": MARIES_TICKETS, "consult": ("PAUL-TICKET",)}.get(actor, ())
    rows: list[Row] = []
    for key in ("MARIE-TICKET", "MARIE-TICKET+CLOSED", "PAUL-TICKET", "DURAND", "RHONE"):
        if key not in seen:
            outcome = NOT_FOUND
        elif key not in own:
            outcome = FORBIDDEN  # a question, or a ticket the support answers: only a ticket's author attaches
        else:
            outcome = CLOSED if key in IS_CLOSED else ALLOW
        rows.append((actor, "attachTicketScreenshot", key, outcome))
    rows.append((actor, "attachTicketScreenshot", MISSING, NOT_FOUND))
    for key in ("MARIE-TICKET", "PAUL-TICKET"):
        rows.append((actor, "assistanceScreenshot", key, ALLOW if key in seen else NOT_FOUND))
    rows += [
        (actor, "assistanceScreenshot", "DURAND", NOT_FOUND),  # its opening message carries none
        (actor, "assistanceScreenshot", MISSING, NOT_FOUND),
    ]
    return rows


def feedback(actor: str, *, support: bool = False) -> list[Row]:
    """Anyone logged in rates a page once a day; only the support reads the opinions."""
    return [
        (actor, "giveFeedback", _, reads(rating=4, comment="Matrice des accès")),
        (actor, "giveFeedback:again", _, says(ALREADY_GIVEN, "déjà donné votre avis sur cette page aujourd'hui")),
        (actor, "giveFeedback:invalid", _, invalid("rating")),
        (actor, "mayGiveFeedback", "fresh", Answers(True)),
        (actor, "mayGiveFeedback", "given", Answers(False)),
        (actor, "feedback", _, ALLOW if support else says(FORBIDDEN, "réservée au support du portail")),
        (actor, "feedbackSummary", _, ALLOW if support else says(FORBIDDEN, "réservée au support du portail")),
    ]


def documentation(actor: str) -> list[Row]:
    return [
        (actor, "regulatoryDocumentation", _, ALLOW),
        (actor, "procedureDocumentation", "TEA", reads(procedure="TEA")),
        (actor, "procedureDocumentation", "IPO", reads(procedure="IPO")),
        (actor, "procedureDocumentation", "XYZ", NULL),  # no such procedure
    ]


def everything(actor: str, *, support: bool = False) -> list[Row]:
    """What every logged-in actor gets from the rules above (the asking and the ticket rows come per actor)."""
    return [
        *documentation(actor),
        *lookups(actor),
        *listed(actor),
        *changes(actor),
        *screenshots(actor),
        *feedback(actor, support=support),
    ]


NOT_PROFESSIONAL = says(FORBIDDEN, "posée par un professionnel, pour un opérateur")
PRIVATE = says(FORBIDDEN, "réservées aux professionnels et aux agents")
TICKET_OPENED = reads(kind="TICKET", status="OPEN", page="/assistance", mayWrite=True, mayAnswer=False)
WRONG_QUESTION = invalid("subject", "message", "office")
WRONG_TICKET = invalid("subject", "description", "page")
ZERO = reads(todo=0, waiting=0, done=0, all=0)
# Not a question's asker: every way of asking is refused before what was sent.
ASKING = (
    "askRegulatoryQuestion",
    "askRegulatoryQuestion:invalid",
    "askRegulatoryQuestion:dossier",
    "askRegulatoryQuestion:authorization",
)


def customs(actor: str) -> list[Row]:
    """An officer (or the support): asks no question; opens a ticket like anyone working on the portal."""
    return [
        *each(actor, ["askRegulatoryQuestion", "askRegulatoryQuestion:invalid"], [_], NOT_PROFESSIONAL),
        (actor, "askRegulatoryQuestion:dossier", "DURAND+SUBMITTED", NOT_PROFESSIONAL),
        (actor, "askRegulatoryQuestion:authorization", "DURAND", NOT_PROFESSIONAL),
        # The support answers its own ticket too.
        (
            actor,
            "openTechnicalTicket",
            _,
            reads(**{**dict(TICKET_OPENED.values), "mayAnswer": actor == "support"}),
        ),
        (actor, "openTechnicalTicket:invalid", _, WRONG_TICKET),
        (actor, "assistanceCounts", _, ALLOW),
    ]


ASSISTANCE_MATRIX: list[Row] = [
    # ---------------------------------------------------------------- admin: Marie, administrator of Ateliers Durand
    *everything("admin"),
    ("admin", "askRegulatoryQuestion", _, asked("DURAND")),  # her only operator: no choice needed
    ("admin", "askRegulatoryQuestion", "DURAND", asked("DURAND")),
    ("admin", "askRegulatoryQuestion:invalid", _, WRONG_QUESTION),  # every mistake at once, each on its field
    ("admin", "askRegulatoryQuestion:dossier", "DURAND+SUBMITTED", asked("DURAND")),  # the dossier's office
    ("admin", "askRegulatoryQuestion:dossier", "DURAND", asked("DURAND")),  # a draft's office too
    ("admin", "askRegulatoryQuestion:dossier", "RHONE", NOT_FOUND),  # another operator's dossier
    ("admin", "askRegulatoryQuestion:dossier", MISSING, NOT_FOUND),
    ("admin", "askRegulatoryQuestion:authorization", "DURAND", asked("DURAND")),
    ("admin", "askRegulatoryQuestion:authorization", "CHOCOLAT", NOT_FOUND),  # her representative's client's
    ("admin", "askRegulatoryQuestion:authorization", MISSING, NOT_FOUND),
    ("admin", "openTechnicalTicket", _, TICKET_OPENED),
    ("admin", "openTechnicalTicket:invalid", _, WRONG_TICKET),
    ("admin", "attachTicketScreenshot:pdf", "MARIE-TICKET", invalid("file")),  # a PNG or a JPEG only
    ("admin", "attachTicketScreenshot:pdf", "PAUL-TICKET", NOT_FOUND),  # who before what was sent
    ("admin", "assistanceCounts", _, ALLOW),  # what they count: see the test below
    ("admin", "aliases:assistanceRequest", "DURAND|RHONE", fields(a=ALLOW, b=NULL)),
    ("admin", "aliases:assistanceRequest", "MARIE-TICKET|PAUL-TICKET", fields(a=ALLOW, b=NULL)),
    # ---------------------------------------------------------------- consult: Paul, collaborator (consult)
    *everything("consult"),
    ("consult", "askRegulatoryQuestion", _, asked("DURAND")),  # asking needs only the consult right
    ("consult", "askRegulatoryQuestion:invalid", _, WRONG_QUESTION),
    ("consult", "askRegulatoryQuestion:dossier", "DURAND+SUBMITTED", asked("DURAND")),
    ("consult", "askRegulatoryQuestion:authorization", "DURAND", asked("DURAND")),
    ("consult", "openTechnicalTicket", _, TICKET_OPENED),
    ("consult", "assistanceCounts", _, ALLOW),
    # ---------------------------------------------------------------- submit: Sophie, collaborator (submit)
    *everything("submit"),
    ("submit", "askRegulatoryQuestion", _, asked("DURAND")),
    ("submit", "askRegulatoryQuestion:dossier", "DURAND+SUBMITTED", asked("DURAND")),
    ("submit", "askRegulatoryQuestion:dossier", "CHOCOLAT+SUBMITTED", NOT_FOUND),
    ("submit", "askRegulatoryQuestion:authorization", "DURAND", asked("DURAND")),
    ("submit", "openTechnicalTicket", _, TICKET_OPENED),
    ("submit", "attachTicketScreenshot:pdf", "DURAND", FORBIDDEN),  # a question takes no screenshot
    ("submit", "assistanceCounts", _, ALLOW),
    # ---------------------------------------------------------------- partner: Karim, admin of Rhône, partner of Durand
    *everything("partner"),
    ("partner", "askRegulatoryQuestion", _, ACTING_OPERATOR_REQUIRED),  # Rhône and Durand: which one?
    ("partner", "askRegulatoryQuestion:invalid", _, ACTING_OPERATOR_REQUIRED),
    ("partner", "askRegulatoryQuestion", "RHONE", asked("RHONE")),
    ("partner", "askRegulatoryQuestion", "DURAND", asked("DURAND")),  # as Durand's partner
    ("partner", "askRegulatoryQuestion:dossier", "DURAND", asked("DURAND")),
    ("partner", "askRegulatoryQuestion:dossier", "RHONE", asked("RHONE")),
    ("partner", "askRegulatoryQuestion:authorization", "DURAND", asked("DURAND")),
    ("partner", "openTechnicalTicket", _, TICKET_OPENED),
    ("partner", "assistanceCounts", _, ALLOW),
    # ---------------------------------------------------------------- representative: Lucie (Martin)
    *everything("representative"),
    ("representative", "askRegulatoryQuestion", _, ACTING_OPERATOR_REQUIRED),  # four operators
    ("representative", "askRegulatoryQuestion", "VERRERIE", asked("VERRERIE")),  # under the partial mandate
    ("representative", "askRegulatoryQuestion", "CHOCOLAT", asked("CHOCOLAT")),
    ("representative", "askRegulatoryQuestion", "MARTIN", asked("MARTIN")),
    ("representative", "askRegulatoryQuestion:dossier", "CHOCOLAT+SUBMITTED", asked("CHOCOLAT", "FR002300")),
    ("representative", "askRegulatoryQuestion:dossier", "VERRERIE<MARTIN", asked("VERRERIE")),  # her firm filed it
    ("representative", "askRegulatoryQuestion:dossier", "VERRERIE", NOT_FOUND),  # not filed by her firm
    ("representative", "askRegulatoryQuestion:authorization", "CHOCOLAT", asked("CHOCOLAT", "FR002300")),
    ("representative", "askRegulatoryQuestion:authorization", "DURAND", asked("DURAND")),  # full mandate
    ("representative", "openTechnicalTicket", _, TICKET_OPENED),
    ("representative", "assistanceCounts", _, ALLOW),
    # ---------------------------------------------------------------- token: the admin's API token (Durand, consult)
    *everything("token"),
    ("token", "askRegulatoryQuestion", _, asked("DURAND")),  # its operator
    ("token", "askRegulatoryQuestion:dossier", "DURAND+SUBMITTED", asked("DURAND")),
    ("token", "askRegulatoryQuestion:dossier", "RHONE", NOT_FOUND),
    ("token", "openTechnicalTicket", _, TICKET_OPENED),
    ("token", "assistanceCounts", _, ALLOW),
    # ---------------------------------------------------------------- member: a user of Durand without any right
    *everything("member"),
    *each("member", ["askRegulatoryQuestion", "askRegulatoryQuestion:invalid"], [_], FORBIDDEN),  # no right at all
    ("member", "askRegulatoryQuestion:dossier", "DURAND", NOT_FOUND),
    ("member", "askRegulatoryQuestion:authorization", "DURAND", NOT_FOUND),
    ("member", "openTechnicalTicket", _, TICKET_OPENED),
    ("member", "assistanceCounts", _, ZERO),
    # ---------------------------------------------------------------- newcomer: own new operator, terms NOT accepted
    *everything("newcomer"),
    ("newcomer", "askRegulatoryQuestion", _, asked("NEW")),  # assistance does not ask for SOPRANO's terms
    ("newcomer", "askRegulatoryQuestion:dossier", "DURAND", NOT_FOUND),
    ("newcomer", "openTechnicalTicket", _, TICKET_OPENED),
    ("newcomer", "assistanceCounts", _, ZERO),
    # ---------------------------------------------------------------- officer: Claire, office FR000690
    *everything("officer"),
    *customs("officer"),
    ("officer", "aliases:assistanceRequest", "RHONE|DURAND>FR002300", fields(a=ALLOW, b=NULL)),
    # ---------------------------------------------------------------- officer2: Hugo, office FR002300
    *everything("officer2"),
    *customs("officer2"),
    ("officer2", "aliases:assistanceRequest", "CHOCOLAT+AUTHORIZATION|DURAND", fields(a=ALLOW, b=NULL)),
    # ---------------------------------------------------------------- support: Nadia, the portal's support (no office)
    *everything("support", support=True),
    *customs("support"),
    ("support", "aliases:assistanceRequest", "PAUL-TICKET|DURAND", fields(a=ALLOW, b=NULL)),
    # ---------------------------------------------------------------- private: Jean, no professional assistance
    *everything("private"),
    *each("private", ["askRegulatoryQuestion", "askRegulatoryQuestion:invalid"], [_], PRIVATE),
    ("private", "askRegulatoryQuestion:dossier", "DURAND+SUBMITTED", PRIVATE),
    ("private", "askRegulatoryQuestion:authorization", "DURAND", PRIVATE),
    ("private", "openTechnicalTicket", _, PRIVATE),
    ("private", "openTechnicalTicket:invalid", _, PRIVATE),  # who before what was sent
    ("private", "assistanceCounts", _, ZERO),
    # ---------------------------------------------------------------- anonymous: no session, no token
    *documentation("anonymous"),
    *each("anonymous", ["assistanceRequest"], [*KEYS, MISSING], NULL),  # like one that does not exist
    ("anonymous", "assistanceRequest:may", "DURAND", NULL),
    ("anonymous", "node", "AssistanceRequest:DURAND", NULL),
    ("anonymous", "node", "AssistanceRequest:MISSING", NULL),
    ("anonymous", "aliases:assistanceRequest", "DURAND|MARIE-TICKET", fields(a=NULL, b=NULL)),
    *each(
        "anonymous",
        [
            "assistanceRequests",
            "assistanceRequests:todo",
            "assistanceRequests:waiting",
            "assistanceRequests:done",
            "assistanceRequests:to-answer",
            "assistanceRequests:asked",
            "assistanceRequests:tickets",
        ],
        [_],
        UNAUTHENTICATED,
    ),
    ("anonymous", "assistanceRequests:search", "RHONE", UNAUTHENTICATED),
    ("anonymous", "assistanceCounts", _, ZERO),  # nothing to count (the header's badge), no error
    *each("anonymous", ASKING[:2], [_], UNAUTHENTICATED),
    ("anonymous", "askRegulatoryQuestion:dossier", "DURAND+SUBMITTED", UNAUTHENTICATED),
    ("anonymous", "askRegulatoryQuestion:authorization", "DURAND", UNAUTHENTICATED),
    ("anonymous", "openTechnicalTicket", _, UNAUTHENTICATED),
    ("anonymous", "openTechnicalTicket:invalid", _, UNAUTHENTICATED),
    *each("anonymous", CHANGES, ["DURAND", "MARIE-TICKET", "DURAND+CLOSED", MISSING], UNAUTHENTICATED),
    *each(
        "anonymous", ["attachTicketScreenshot", "attachTicketScreenshot:pdf"], ["MARIE-TICKET"], UNAUTHENTICATED
    ),
    ("anonymous", "attachTicketScreenshot", MISSING, UNAUTHENTICATED),
    *each(
        "anonymous", ["assistanceScreenshot"], ["MARIE-TICKET", "PAUL-TICKET", MISSING], NOT_FOUND
    ),  # a plain 404
    *each("anonymous", ["giveFeedback", "giveFeedback:again", "giveFeedback:invalid"], [_], UNAUTHENTICATED),
    ("anonymous", "mayGiveFeedback", "fresh", Answers(False)),  # nobody to give it
    ("anonymous", "feedback", _, UNAUTHENTICATED),
    ("anonymous", "feedbackSummary", _, UNAUTHENTICATED),
]


# --- the support elsewhere: a customs officer without an office ----------------------------------------------------
# What the other domains give the support: what they give an officer whose office is none (customs' reach in the
# identity domain — every operator, the mandates —, no dossier, authorisation or declaration to examine, nothing of
# an applicant's).
SUPPORT_ELSEWHERE: list[Row] = [
    # identity (test_identity_matrix.py: what customs get)
    ("support", "me", _, ALLOW),
    ("support", "operators", _, ALLOW),
    ("support", "operator", "VERRERIE", ALLOW),
    ("support", "node", "Representation:DURAND<MARTIN", ALLOW),
    ("support", "node", "User:claire", NULL),  # officers do not see each other
    ("support", "habilitations", "DURAND", PROFESSIONAL_ONLY),
    ("support", "createRepresentation", "VERRERIE<RHONE", ALLOW),  # a customs power: see the report
    ("support", "endRepresentation", "DURAND<RHONE", ALLOW),
    ("support", "selectActingOperator", "DURAND", PROFESSIONAL_ONLY),
    ("support", "revokeApiToken", "mine", ALLOW),
    # dossiers and their processing: no office, nothing to examine
    ("support", "dossier", "DURAND+SUBMITTED", NULL),
    ("support", "dossier", "CHOCOLAT+SUBMITTED", NULL),
    ("support", "dossiers", _, shows()),
    ("support", "node", "Dossier:DURAND+SUBMITTED", NULL),
    ("support", "createDossier", "DURAND", PROFESSIONAL_ONLY),
    ("support", "updateDossier", "DURAND+SUBMITTED", PROFESSIONAL_ONLY),
    ("support", "actOnDossier", "DURAND+SUBMITTED", NOT_FOUND),
    ("support", "takeDossier", "DURAND+SUBMITTED", NOT_FOUND),
    ("support", "addComment", "DURAND+SUBMITTED", NOT_FOUND),
    ("support", "dashboard", _, shows()),
    # authorisations (the module's DURAND and CHOCOLAT)
    ("support", "authorizations", _, reads(totalCount=0, items=[])),
    ("support", "authorization", "DURAND", NULL),
    ("support", "authorization", "CHOCOLAT", NULL),
    ("support", "node", "Authorization:DURAND", NULL),
    ("support", "authorizationPdf", "DURAND", NOT_FOUND),
    ("support", "suspendAuthorization", "DURAND", NOT_FOUND),
    ("support", "commentOnAuthorization", "CHOCOLAT", NOT_FOUND),
    # private declarations: not the examining office's
    ("support", "privateDeclarations", _, reads(totalCount=0, items=[])),
    ("support", "privateDeclarationCounts", _, reads(todo=0, waiting=0, done=0, all=0)),
    (
        "support",
        "createPrivateDeclaration",
        _,
        says(FORBIDDEN, "un professionnel ne déclare pas au nom d'un particulier"),
    ),
    ("support", "takePrivateDeclaration", MISSING, NOT_FOUND),
    ("support", "declarationPdf", MISSING, NOT_FOUND),
]

INVISIBLE_LIKE_MISSING = [
    ("officer2", "assistanceRequest", "DURAND", MISSING),  # Claire's office's
    ("officer2", "postAssistanceMessage", "DURAND", MISSING),
    ("officer2", "takeAssistanceRequest", "RHONE", MISSING),
    ("officer", "assistanceRequest", "MARIE-TICKET", MISSING),  # a ticket: not an officer's
    ("officer", "closeAssistanceRequest", "PAUL-TICKET", MISSING),
    ("officer", "assistanceScreenshot", "MARIE-TICKET", MISSING),
    ("support", "postAssistanceMessage", "DURAND", MISSING),  # a question: not the support's
    ("admin", "assistanceRequest", "PAUL-TICKET", MISSING),  # her collaborator's ticket
    ("admin", "attachTicketScreenshot", "PAUL-TICKET", MISSING),
    ("admin", "assistanceScreenshot", "PAUL-TICKET", MISSING),
    ("submit", "node", "AssistanceRequest:RHONE", "AssistanceRequest:MISSING"),
    ("partner", "closeAssistanceRequest", "VERRERIE<LUCIE", MISSING),
    ("representative", "postAssistanceMessage", "RHONE", MISSING),
    ("token", "assistanceRequest", "PAUL-TICKET", MISSING),
    ("member", "assistanceRequest", "DURAND", MISSING),
    ("private", "assistanceRequest", "DURAND", MISSING),
    ("private", "postAssistanceMessage", "MARIE-TICKET", MISSING),
    ("anonymous", "assistanceRequest", "DURAND", MISSING),
    ("anonymous", "assistanceScreenshot", "MARIE-TICKET", MISSING),
]


def assistance_matrix(rows: list[Row]):
    """Parametrize by the rows, each named actor-operation-target; a row of ISSUE is xfail(strict=True)."""
    return pytest.mark.parametrize(
        ("actor", "operation", "target", "expected"),
        [
            pytest.param(
                *row,
                id=row_id(row),
                marks=[pytest.mark.xfail(strict=True, reason=ISSUE[row_id(row)])] if row_id(row) in ISSUE else [],
            )
            for row in rows
        ],
    )


async def assert_assistance_row(world, clients, actor, operation, target, expected) -> None:
    body = await run(world, clients, actor, operation, target)
    root = operation.split(":")[0]
    if not isinstance(expected, Asks | Answers | Asked):
        check(body, operation, root, expected, world)
        return
    value = (body.get("data") or {}).get(root)
    assert not body.get("errors"), f"{root}: expected {expected}, got errors {body['errors']}"
    if isinstance(expected, Answers):
        assert value == expected.value, f"{root}: answered {value}"
    elif isinstance(expected, Asked):
        got = (value["kind"], value["status"], value["operatorName"], value["customsOffice"])
        wanted = ("QUESTION", "OPEN", world.operator_names[expected.operator], expected.office)
        assert got == wanted, f"{root}: asked {got}"
    else:
        listed = {item["id"] for item in value["items"]}
        seen = sorted(key for key in ASSISTANCE if world.assistance_gid(key) in listed)
        assert seen == list(expected.requests), f"{root}: listed {seen}"


@assistance_matrix(ASSISTANCE_MATRIX)
async def test_assistance_matrix(world, actor_clients, actor, operation, target, expected):
    await assert_assistance_row(world, actor_clients, actor, operation, target, expected)


@assistance_matrix(SUPPORT_ELSEWHERE)
async def test_the_support_elsewhere_is_an_officer_without_an_office(
    world, actor_clients, actor, operation, target, expected
):
    await assert_assistance_row(world, actor_clients, actor, operation, target, expected)


@invisible_like_missing(INVISIBLE_LIKE_MISSING)
async def test_what_may_not_be_seen_answers_exactly_like_what_does_not_exist(
    world, actor_clients, actor, operation, invisible, missing
):
    await assert_invisible_like_missing(world, actor_clients, actor, operation, invisible, missing)


# --- what the counts count -----------------------------------------------------------------------------------------

BUCKETS = ("TODO", "WAITING", "DONE", "ALL")


@pytest.mark.parametrize("side", ["ANY", "ASKED", "TO_ANSWER"])
@pytest.mark.parametrize("actor", [a for a in ACTORS if a != "anonymous"])
async def test_the_counts_count_what_the_lists_hold_in_each_bucket(world, actor_clients, actor, side):
    """Other tests leave requests behind: each count is checked against the list of that bucket and side (its
    totalCount), which the rows above check against the fixture requests."""
    client = actor_clients[actor]
    counts = (await run_document(client, f"{{ assistanceCounts(side: {side}) {{ todo waiting done all }} }}"))[
        "data"
    ]
    totals = {}
    for bucket in BUCKETS:
        body = await run_document(
            client, f"{{ assistanceRequests(side: {side}, bucket: {bucket}, first: 1) {{ totalCount }} }}"
        )
        totals[bucket.lower()] = body["data"]["assistanceRequests"]["totalCount"]
    assert counts["assistanceCounts"] == totals
    assert totals["all"] == totals["todo"] + totals["waiting"] + totals["done"]


# --- live: the assistanceChanged subscription, over a real graphql-transport-ws connection -------------------------
# Who hears of a request: of each fixture request, a fresh open copy is made for the actor (as its spec says, open:
# a closed one hears nothing more); the actor subscribes to each copy (requestId) and to everything it may hear (no
# requestId) on one WebSocket, authenticated as the HTTP rows are (session cookie, the token in connection_init, or
# nothing); the copy's answering side (its office's officer, the support for a ticket) then answers each copy over
# HTTP. HEARS: that copy's subscription receives the answer; NOT_FOUND (or another code): refused when subscribing,
# no data; `hears(...)`: without requestId, the answers of exactly these copies arrive, and nothing else.

HEARS = "HEARS"


@dataclass(frozen=True)
class Hears:
    requests: tuple[str, ...]

    def __repr__(self) -> str:
        return f"hears({', '.join(self.requests)})"


def hears(*requests: str) -> Hears:
    assert set(requests) <= set(ASSISTANCE), requests
    return Hears(tuple(sorted(requests)))


def live(actor: str) -> list[Row]:
    """What the actor hears: what it reads (SEEN), each request and all of them; nothing for a private person
    (FORBIDDEN) or a visitor (UNAUTHENTICATED)."""
    refused = {"private": FORBIDDEN, "anonymous": UNAUTHENTICATED}.get(actor)
    seen = SEEN.get(actor, ())
    rows: list[Row] = [
        (actor, "assistanceChanged", key, refused or (HEARS if key in seen else NOT_FOUND)) for key in KEYS
    ]
    rows.append((actor, "assistanceChanged", MISSING, refused or NOT_FOUND))
    rows.append((actor, "assistanceChanged:all", _, refused or hears(*seen)))
    return rows


LIVE_MATRIX: list[Row] = [row for actor in ACTORS for row in live(actor)]
ANSWERER = {"FR000690": "officer", "FR002300": "officer2"}  # a ticket: the support
LIVE = "subscription($id: ID) { assistanceChanged(requestId: $id) { requestId kind } }"
ANSWER = "mutation($id: ID!, $t: String!) { postAssistanceMessage(id: $id, text: $t) { id } }"
# actor → (operation, target) → what was observed (HEARS, hears(...), or the refusal's code)
_heard: dict[str, dict[tuple[str, Any], Any]] = {}


async def _listen(world: World, clients, live_server, actor: str) -> dict[tuple[str, Any], Any]:
    """One WebSocket of the actor, a subscription per fresh copy of every fixture request (and one of nothing, one
    without requestId); every copy answered; what each subscription got."""
    copies = {
        key: (await insert_request(world, ASSISTANCE[key]._replace(status=RequestStatus.OPEN))).id for key in KEYS
    }
    gids = {key: encode_id("AssistanceRequest", made) for key, made in copies.items()}
    gids[MISSING] = world.assistance_gid(MISSING)
    client = clients[actor]
    token = client.headers.get("Authorization")
    cookie = session_cookie(client) if client.cookies.get("soprano_session") else None
    ws = await WsClient.open(live_server.url, cookie=cookie, payload={"Authorization": token} if token else None)
    try:
        before = hub_count(live_server)
        subscriptions = {"assistanceChanged:all": await ws.subscribe(LIVE)}
        for key, gid in gids.items():
            subscriptions[key] = await ws.subscribe(LIVE, {"id": gid})
        target_of = {sub_id: key for key, sub_id in subscriptions.items()}
        observed: dict[tuple[str, Any], Any] = {}
        got: dict[str, list[str]] = {sub_id: [] for sub_id in target_of}

        def take(message: dict) -> None:
            sub_id = message.get("id")
            if message["type"] == "error" or (message["type"] == "next" and message["payload"].get("errors")):
                errors = message["payload"] if message["type"] == "error" else message["payload"]["errors"]
                assert not (message["type"] == "next" and message["payload"].get("data")), message
                key = target_of[sub_id]
                operation = "assistanceChanged:all" if key == "assistanceChanged:all" else "assistanceChanged"
                observed[(operation, None if key == "assistanceChanged:all" else key)] = next(iter(codes(errors)))
            elif message["type"] == "next":
                got[sub_id].append(message["payload"]["data"]["assistanceChanged"]["requestId"])

        # The refusals come at once; the others listen (one hub subscriber each) before anything is answered.
        refused = sum(1 for key in KEYS if live_expected(actor, key) != HEARS) + 1  # MISSING
        if live_expected(actor, "assistanceChanged:all") is None:
            refused += 1
        for _i in range(refused):
            take(await ws.receive())
        await hub_has(live_server, before + len(subscriptions) - refused)
        async with world.db.session() as session:
            offices = dict(
                (
                    await session.exec(
                        sa.select(AssistanceRequest.id, AssistanceRequest.customs_office).where(
                            AssistanceRequest.id.in_(list(copies.values()))
                        )
                    )
                ).all()
            )
        for key, made in copies.items():
            answerer = clients[ANSWERER[offices[made]] if offices[made] else "support"]  # a ticket has no office
            body = await run_document(answerer, ANSWER, {"id": gids[key], "t": "Matrice des accès : en direct."})
            assert not body.get("errors"), (key, body)
        # What is heard arrives within a few seconds; then nothing more (a short silence).
        deadline = 10.0
        expected_count = sum(1 for key in KEYS if live_expected(actor, key) == HEARS)
        expected_count += len((live_expected(actor, "assistanceChanged:all") or Hears(())).requests)
        while sum(len(v) for v in got.values()) < expected_count:
            take(await ws.receive(deadline))
        try:
            while True:
                take(await ws.receive(0.4))
        except TimeoutError:
            pass
        by_gid = {gid: key for key, gid in gids.items()}
        for sub_id, key in target_of.items():
            if key == "assistanceChanged:all":
                if ("assistanceChanged:all", None) not in observed:
                    observed[("assistanceChanged:all", None)] = hears(*{by_gid.get(g, g) for g in got[sub_id]})
            elif ("assistanceChanged", key) not in observed:
                heard = {by_gid.get(g, g) for g in got[sub_id]}
                observed[("assistanceChanged", key)] = HEARS if heard == {key} else f"heard {sorted(heard)}"
        return observed
    finally:
        await ws.close()
        await delete_requests(world.db, AssistanceRequest.id.in_(list(copies.values())))


def live_expected(actor: str, key: str) -> Any:
    """The row's outcome for that actor: a request key, or "assistanceChanged:all" (None when it is refused)."""
    for row_actor, operation, target, expected in LIVE_MATRIX:
        if row_actor != actor:
            continue
        if key == "assistanceChanged:all" and operation == "assistanceChanged:all":
            return expected if isinstance(expected, Hears) else None
        if operation == "assistanceChanged" and target == key:
            return expected
    raise KeyError((actor, key))


@assistance_matrix(LIVE_MATRIX)
async def test_who_hears_of_a_request_live(world, actor_clients, live_server, actor, operation, target, expected):
    """Each actor's WebSocket is opened once (at its first row); each row reads what its subscription got."""
    if actor not in _heard:
        _heard[actor] = await _listen(world, actor_clients, live_server, actor)
    assert _heard[actor][(operation, None if operation == "assistanceChanged:all" else target)] == expected
