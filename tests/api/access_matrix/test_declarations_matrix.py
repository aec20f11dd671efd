"""The access matrix of private persons' declarations: the public rules (allowances, rates, categories, currencies),
one declaration, node(id:) of one, the lists and their counts, the declarant's changes (the facts, the items,
submission and the answer to a request for information), the office's examination (take, ask for information, accept,
refuse), the thread of messages, and the summary PDF (a plain HTTP route).

Rules (backend/identity/policy/declarations.py): a declaration is the business of the private person who made it and
of the officers of the office that examines private declarations (settings.private_declarations_office: FR000690,
Claire's) — nobody else on the declarant's side (no professional, no sharing, no representation, no API token) nor
at customs (Hugo, of another office). The declarant sees his own in any status; the office sees every one of its
declarations except drafts. What may not be seen answers like what does not exist: null for a lookup and for
node(id:), NOT_FOUND for a mutation, 404 for the PDF; the lists are empty and the counts zero, and nobody logged in
gets UNAUTHENTICATED for them (null for one declaration). Only a private person declares: a professional (an API
token is one's) or an officer is told that a professional does not declare for a private person (FORBIDDEN); nobody
logged in: UNAUTHENTICATED. The declarant changes the facts and the items while it is a draft or information was
requested (then INVALID_STATE); submits a draft (its message optional) or, once information was requested, sends it
back with his answer (a message, required: `invalid(message)`); what he cannot do because it is customs' is FORBIDDEN.
The examination is for the office while it is submitted or under review (else INVALID_STATE); the declarant, who sees
it, is FORBIDDEN; the office sees no draft (NOT_FOUND). The thread is for the declarant and the office once it is
submitted (the declarant's draft: INVALID_STATE). Who may act is decided before whether it can be done now, and both
before what was sent: every mistake of a form at once, each on its field (`invalid(a, b, …)`: extensions.fields).

Targets are keys of DECLARATIONS (Jean's in every status, and another private person's): a lookup reads the fixture
declarations made once for this module; a mutation row works on a fresh copy of the target's, made for the row through
the domain service and deleted after it (with whatever the row created).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from typing import Any

import httpx
import pytest
import pytest_asyncio
import sqlalchemy as sa
from sqlmodel import select

from backend.declarations.models import DeclarationStatus, PrivateDeclaration
from backend.identity.models import ApiToken
from backend.identity.tokens import create_token
from backend.identity.users import upsert_user_from_claims
from tests.api.access_matrix.runner import (
    assert_invisible_like_missing,
    assert_row,
    check,
    invisible_like_missing,
    matrix,
    run,
    run_document,
)
from tests.api.access_matrix.world import (
    ACTORS,
    ALLOW,
    CONFLICT,
    DECLARATIONS,
    FORBIDDEN,
    INVALID_STATE,
    MISSING,
    NOT_FOUND,
    NULL,
    UNAUTHENTICATED,
    World,
    _,
    delete_declarations,
    fields,
    holds,
    insert_declaration,
    invalid,
    reads,
    says,
    snapshot,
)
from tests.conftest import unique_sub

# Jean's own API token (a private person may make an unbound one): made with the fixture declarations, deleted after.
RAW_TOKENS: dict[str, str] = {}


@pytest_asyncio.fixture(loop_scope="session", scope="module")
async def world(world: World, live_server) -> AsyncIterator[World]:
    """The module's world (conftest.py) with a second private person (the traveller), Jean's own API token, and the
    fixture declarations of DECLARATIONS, made for this module and deleted after it; the baseline then includes
    them."""
    async with world.db.session() as session:
        sub = unique_sub("voyageuse")
        world.users["traveller"] = await upsert_user_from_claims(
            session,
            {"sub": sub, "email": sub, "name": "Voyageuse Matrice"},
            issuer=live_server.settings.oidc_issuer,
            settings=live_server.settings,
        )
        token, RAW_TOKENS["jean"] = await create_token(
            session, world.users["jean"], name="matrice : jeton de Jean", days=1
        )
    for key in DECLARATIONS:
        world.declarations[key] = (await insert_declaration(world, key)).id
    world.baseline = await snapshot(world.db, world)
    yield world
    await delete_declarations(world.db, PrivateDeclaration.id.in_(list(world.declarations.values())))
    async with world.db.session() as session:
        await session.exec(sa.delete(ApiToken).where(ApiToken.id == token.id))
        await session.commit()
    world.declarations.clear()


JEANS = ("JEAN", "JEAN+SUBMITTED", "JEAN+UNDER_REVIEW", "JEAN+INFO_REQUESTED", "JEAN+ACCEPTED", "JEAN+REFUSED")
SUBMITTED_ONCE = JEANS[1:]  # the office sees them
EDITABLE = ("JEAN", "JEAN+INFO_REQUESTED")
LOCKED = ("JEAN+SUBMITTED", "JEAN+UNDER_REVIEW", "JEAN+ACCEPTED", "JEAN+REFUSED")  # not his to change now
EXAMINABLE = ("JEAN+SUBMITTED", "JEAN+UNDER_REVIEW")
DONE_OR_WAITING = ("JEAN+INFO_REQUESTED", "JEAN+ACCEPTED", "JEAN+REFUSED")  # nothing for the office to decide

PUBLIC = ("allowanceRules", "ratesInForce", "declarationCategories", "declarationCurrencies")
EDITS = ("saveDeclarationFacts", "addDeclarationItem", "updateDeclarationItem", "removeDeclarationItem")
EXAMINATION = (
    "takePrivateDeclaration",
    "requestDeclarationInformation",
    "acceptPrivateDeclaration",
    "refusePrivateDeclaration",
)
CHANGES = (*EDITS, "submitPrivateDeclaration", *EXAMINATION, "sendDeclarationMessage")
# What the office's examination leaves the declaration in (each from submitted or under review).
EXAMINED = {
    "takePrivateDeclaration": reads(status="UNDER_REVIEW", mayExamine=True, mayEdit=False),
    "requestDeclarationInformation": reads(status="INFO_REQUESTED", mayExamine=False),
    "acceptPrivateDeclaration": reads(status="ACCEPTED", amountDue="33.50", mayExamine=False),
    "refusePrivateDeclaration": reads(status="REFUSED", mayExamine=False),
}
# What the declarant's changes leave it in: the same status, still his to edit.
DRAFT_EDITED = reads(status="DRAFT", mayEdit=True)
ANSWER_EDITED = reads(status="INFO_REQUESTED", mayEdit=True)
PRIVATE_ONLY = says(FORBIDDEN, "un professionnel ne déclare pas au nom d'un particulier")
NOTHING = reads(totalCount=0, items=[])
NO_COUNTS = reads(todo=0, waiting=0, done=0, all=0)
WRONG_FACTS = invalid("arrivalDate", "transport", "originCountry")
WRONG_ITEM = invalid("description", "quantity", "value", "currency", "exciseQuantity")

Row = tuple[str, str, Any, Any]


def each(actor: str, operations: Iterable[str], targets: Iterable[str], expected: Any) -> list[Row]:
    """The same outcome for every operation on every target."""
    return [(actor, operation, target, expected) for operation in operations for target in targets]


def outsider(actor: str) -> list[Row]:
    """Somebody who may see no declaration at all, logged in: a professional (an API token is one's), or an officer
    of another office. Nothing to read, nothing to list, nothing to do."""
    return [
        *each(actor, ["privateDeclaration"], ["JEAN", "JEAN+SUBMITTED", "JEAN+ACCEPTED", MISSING], NULL),
        (actor, "privateDeclaration:may", "JEAN+SUBMITTED", NULL),
        (actor, "node", "PrivateDeclaration:JEAN+SUBMITTED", NULL),
        (actor, "node", "PrivateDeclaration:MISSING", NULL),
        (actor, "aliases:privateDeclaration", "JEAN+SUBMITTED|JEAN", fields(a=NULL, b=NULL)),
        (actor, "privateDeclarations", _, NOTHING),
        (actor, "privateDeclarations:todo", _, NOTHING),
        (actor, "privateDeclarationCounts", _, NO_COUNTS),
        (actor, "createPrivateDeclaration", _, PRIVATE_ONLY),
        *each(actor, CHANGES, ["JEAN+SUBMITTED", MISSING], NOT_FOUND),
        *each(actor, EDITS, ["JEAN", "JEAN+INFO_REQUESTED"], NOT_FOUND),
        *each(actor, EXAMINATION, ["JEAN+UNDER_REVIEW"], NOT_FOUND),
        (actor, "submitPrivateDeclaration", "JEAN", NOT_FOUND),
        (actor, "sendDeclarationMessage", "JEAN+ACCEPTED", NOT_FOUND),
        (actor, "saveDeclarationFacts:invalid", "JEAN", NOT_FOUND),  # who may act before what was sent
        (actor, "requestDeclarationInformation:blank", "JEAN+SUBMITTED", NOT_FOUND),
        (actor, "declarationPdf", "JEAN+SUBMITTED", NOT_FOUND),
        (actor, "declarationPdf", "JEAN", NOT_FOUND),
    ]


DECLARATIONS_MATRIX: list[Row] = [
    # ---------------------------------------------------------------- the public rules: anyone, logged in or not
    *[(actor, operation, _, ALLOW) for actor in ACTORS for operation in PUBLIC],
    # ---------------------------------------------------------------- private: Jean, the declarant
    *each("private", ["privateDeclaration"], JEANS, ALLOW),  # his own, in any status
    ("private", "privateDeclaration", "OTHER", NULL),  # another private person's
    ("private", "privateDeclaration", "OTHER+SUBMITTED", NULL),
    ("private", "privateDeclaration", MISSING, NULL),
    ("private", "privateDeclaration:may", "JEAN", reads(mayEdit=True, mayExamine=False)),
    ("private", "privateDeclaration:may", "JEAN+INFO_REQUESTED", reads(mayEdit=True, mayExamine=False)),
    ("private", "privateDeclaration:may", "JEAN+SUBMITTED", reads(mayEdit=False, mayExamine=False)),
    ("private", "privateDeclaration:may", "JEAN+ACCEPTED", reads(mayEdit=False, mayExamine=False)),
    ("private", "node", "PrivateDeclaration:JEAN", ALLOW),
    ("private", "node", "PrivateDeclaration:JEAN+REFUSED", ALLOW),
    ("private", "node", "PrivateDeclaration:OTHER+SUBMITTED", NULL),
    ("private", "node", "PrivateDeclaration:MISSING", NULL),
    ("private", "aliases:privateDeclaration", "JEAN|OTHER+SUBMITTED", fields(a=ALLOW, b=NULL)),
    ("private", "privateDeclarations", _, holds(*JEANS)),
    ("private", "privateDeclarations:todo", _, holds("JEAN", "JEAN+INFO_REQUESTED")),  # what waits for him
    ("private", "privateDeclarationCounts", _, ALLOW),  # what they count: see the test below
    (
        "private",
        "createPrivateDeclaration",
        _,
        reads(status="DRAFT", reference=None, customsOffice="FR000690", mayEdit=True),
    ),
    *each(
        "private", ["saveDeclarationFacts", "addDeclarationItem", "updateDeclarationItem"], ["JEAN"], DRAFT_EDITED
    ),
    ("private", "removeDeclarationItem", "JEAN", DRAFT_EDITED),
    *each("private", EDITS, ["JEAN+INFO_REQUESTED"], ANSWER_EDITED),  # correcting it, as customs asked
    *each("private", EDITS, LOCKED, INVALID_STATE),
    *each("private", EDITS, ["OTHER", "OTHER+SUBMITTED", MISSING], NOT_FOUND),
    ("private", "saveDeclarationFacts:invalid", "JEAN", WRONG_FACTS),  # every mistake at once, each on its field
    ("private", "saveDeclarationFacts:invalid", "JEAN+INFO_REQUESTED", WRONG_FACTS),
    ("private", "saveDeclarationFacts:invalid", "JEAN+SUBMITTED", INVALID_STATE),  # the state before what was sent
    ("private", "saveDeclarationFacts:invalid", "OTHER", NOT_FOUND),
    ("private", "saveDeclarationFacts:stale", "JEAN", CONFLICT),  # changed in another tab meanwhile
    ("private", "addDeclarationItem:invalid", "JEAN", WRONG_ITEM),
    ("private", "addDeclarationItem:invalid", "JEAN+ACCEPTED", INVALID_STATE),
    ("private", "updateDeclarationItem:invalid", "JEAN+INFO_REQUESTED", WRONG_ITEM),
    ("private", "updateDeclarationItem:unknown", "JEAN", NOT_FOUND),  # no such item in it
    ("private", "removeDeclarationItem:unknown", "JEAN", NOT_FOUND),
    ("private", "submitPrivateDeclaration", "JEAN", reads(status="SUBMITTED", mayEdit=False)),
    ("private", "submitPrivateDeclaration:no-message", "JEAN", reads(status="SUBMITTED", mayEdit=False)),
    ("private", "submitPrivateDeclaration", "JEAN+INFO_REQUESTED", reads(status="SUBMITTED", mayEdit=False)),
    ("private", "submitPrivateDeclaration:no-message", "JEAN+INFO_REQUESTED", invalid("message")),  # his answer
    ("private", "submitPrivateDeclaration:empty", "JEAN", invalid("items")),  # not one item
    *each("private", ["submitPrivateDeclaration"], LOCKED, INVALID_STATE),
    ("private", "submitPrivateDeclaration", "OTHER", NOT_FOUND),
    ("private", "submitPrivateDeclaration", MISSING, NOT_FOUND),
    *each("private", EXAMINATION, ["JEAN", *EXAMINABLE, "JEAN+ACCEPTED"], FORBIDDEN),  # customs' to do
    *each("private", EXAMINATION, ["OTHER+SUBMITTED", MISSING], NOT_FOUND),
    ("private", "requestDeclarationInformation:blank", "JEAN+SUBMITTED", FORBIDDEN),
    ("private", "acceptPrivateDeclaration:negative", "JEAN+SUBMITTED", FORBIDDEN),
    ("private", "refusePrivateDeclaration:blank", "JEAN+SUBMITTED", FORBIDDEN),
    *each("private", ["sendDeclarationMessage"], SUBMITTED_ONCE, ALLOW),  # once submitted, whatever came after
    ("private", "sendDeclarationMessage", "JEAN", INVALID_STATE),  # a draft: submit it first
    ("private", "sendDeclarationMessage", "OTHER+SUBMITTED", NOT_FOUND),
    ("private", "sendDeclarationMessage", MISSING, NOT_FOUND),
    ("private", "sendDeclarationMessage:blank", "JEAN+SUBMITTED", invalid("text")),
    ("private", "declarationPdf", "JEAN", ALLOW),  # his draft too
    ("private", "declarationPdf", "JEAN+ACCEPTED", ALLOW),
    ("private", "declarationPdf", "OTHER+SUBMITTED", NOT_FOUND),
    ("private", "declarationPdf", MISSING, NOT_FOUND),
    # ---------------------------------------------------------------- officer: Claire, of the examining office
    *each("officer", ["privateDeclaration"], [*SUBMITTED_ONCE, "OTHER+SUBMITTED"], ALLOW),
    ("officer", "privateDeclaration", "JEAN", NULL),  # a draft stays with the declarant
    ("officer", "privateDeclaration", "OTHER", NULL),
    ("officer", "privateDeclaration", MISSING, NULL),
    ("officer", "privateDeclaration:may", "JEAN+SUBMITTED", reads(mayEdit=False, mayExamine=True)),
    ("officer", "privateDeclaration:may", "JEAN+UNDER_REVIEW", reads(mayEdit=False, mayExamine=True)),
    ("officer", "privateDeclaration:may", "JEAN+INFO_REQUESTED", reads(mayEdit=False, mayExamine=False)),
    ("officer", "privateDeclaration:may", "JEAN+REFUSED", reads(mayEdit=False, mayExamine=False)),
    ("officer", "node", "PrivateDeclaration:JEAN+SUBMITTED", ALLOW),
    ("officer", "node", "PrivateDeclaration:JEAN", NULL),
    ("officer", "node", "PrivateDeclaration:MISSING", NULL),
    ("officer", "aliases:privateDeclaration", "JEAN+SUBMITTED|JEAN", fields(a=ALLOW, b=NULL)),
    ("officer", "privateDeclarations", _, holds(*SUBMITTED_ONCE, "OTHER+SUBMITTED")),
    ("officer", "privateDeclarations:todo", _, holds(*EXAMINABLE, "OTHER+SUBMITTED")),  # what waits for the office
    ("officer", "privateDeclarationCounts", _, ALLOW),
    ("officer", "createPrivateDeclaration", _, PRIVATE_ONLY),
    *each("officer", EDITS, ["JEAN+SUBMITTED", "JEAN+INFO_REQUESTED"], FORBIDDEN),  # the declarant's to do
    *each("officer", EDITS, ["JEAN", MISSING], NOT_FOUND),
    ("officer", "saveDeclarationFacts:invalid", "JEAN+INFO_REQUESTED", FORBIDDEN),
    ("officer", "submitPrivateDeclaration", "JEAN+INFO_REQUESTED", FORBIDDEN),
    ("officer", "submitPrivateDeclaration", "JEAN", NOT_FOUND),
    *[("officer", operation, "JEAN+SUBMITTED", outcome) for operation, outcome in EXAMINED.items()],
    *[("officer", operation, "JEAN+UNDER_REVIEW", outcome) for operation, outcome in EXAMINED.items()],
    ("officer", "takePrivateDeclaration", "OTHER+SUBMITTED", ALLOW),
    *each("officer", EXAMINATION, DONE_OR_WAITING, INVALID_STATE),  # nothing to decide now
    *each("officer", EXAMINATION, ["JEAN", MISSING], NOT_FOUND),
    ("officer", "requestDeclarationInformation:blank", "JEAN+SUBMITTED", invalid("message")),
    ("officer", "requestDeclarationInformation:blank", "JEAN+ACCEPTED", INVALID_STATE),
    ("officer", "acceptPrivateDeclaration:negative", "JEAN+UNDER_REVIEW", invalid("amountDue")),
    ("officer", "refusePrivateDeclaration:blank", "JEAN+SUBMITTED", invalid("reason")),
    *each("officer", ["sendDeclarationMessage"], [*SUBMITTED_ONCE, "OTHER+SUBMITTED"], ALLOW),
    ("officer", "sendDeclarationMessage", "JEAN", NOT_FOUND),
    ("officer", "sendDeclarationMessage", MISSING, NOT_FOUND),
    ("officer", "sendDeclarationMessage:blank", "JEAN+UNDER_REVIEW", invalid("text")),
    ("officer", "declarationPdf", "JEAN+SUBMITTED", ALLOW),
    ("officer", "declarationPdf", "OTHER+SUBMITTED", ALLOW),
    ("officer", "declarationPdf", "JEAN", NOT_FOUND),
    ("officer", "declarationPdf", MISSING, NOT_FOUND),
    # ---------------------------------------------------------------- officer2: Hugo, customs, another office
    *outsider("officer2"),
    *each("officer2", EXAMINATION, ["OTHER+SUBMITTED"], NOT_FOUND),
    ("officer2", "acceptPrivateDeclaration:negative", "JEAN+SUBMITTED", NOT_FOUND),
    ("officer2", "refusePrivateDeclaration:blank", "JEAN+SUBMITTED", NOT_FOUND),
    ("officer2", "declarationPdf", "OTHER+SUBMITTED", NOT_FOUND),
    # ---------------------------------------------------------------- professionals: none declares, none sees
    *outsider("admin"),  # Marie, administrator of Ateliers Durand
    *outsider("consult"),  # Paul, collaborator (consult)
    *outsider("submit"),  # Sophie, collaborator (submit)
    *outsider("partner"),  # Karim, partner of Durand
    *outsider("representative"),  # Lucie, customs representative: no mandate of a private person
    *outsider("token"),  # the admin's API token
    *outsider("member"),  # a user of Durand without any right
    *outsider("newcomer"),  # terms not accepted: SOPRANO's terms, not the declarations' (same answers)
    # ---------------------------------------------------------------- anonymous: no session, no token
    *each("anonymous", ["privateDeclaration"], [*JEANS, MISSING], NULL),  # like one that does not exist
    ("anonymous", "privateDeclaration:may", "JEAN", NULL),
    ("anonymous", "node", "PrivateDeclaration:JEAN+SUBMITTED", NULL),
    ("anonymous", "node", "PrivateDeclaration:MISSING", NULL),
    ("anonymous", "aliases:privateDeclaration", "JEAN|JEAN+SUBMITTED", fields(a=NULL, b=NULL)),
    ("anonymous", "privateDeclarations", _, UNAUTHENTICATED),
    ("anonymous", "privateDeclarations:todo", _, UNAUTHENTICATED),
    ("anonymous", "privateDeclarationCounts", _, UNAUTHENTICATED),
    ("anonymous", "createPrivateDeclaration", _, UNAUTHENTICATED),
    *each("anonymous", CHANGES, ["JEAN", "JEAN+SUBMITTED", MISSING], UNAUTHENTICATED),
    *each(
        "anonymous",
        [
            "saveDeclarationFacts:invalid",
            "saveDeclarationFacts:stale",
            "addDeclarationItem:invalid",
            "updateDeclarationItem:invalid",
            "updateDeclarationItem:unknown",
            "removeDeclarationItem:unknown",
            "submitPrivateDeclaration:no-message",
            "requestDeclarationInformation:blank",
            "acceptPrivateDeclaration:negative",
            "refusePrivateDeclaration:blank",
            "sendDeclarationMessage:blank",
        ],
        ["JEAN+SUBMITTED"],
        UNAUTHENTICATED,
    ),
    ("anonymous", "submitPrivateDeclaration:empty", "JEAN", UNAUTHENTICATED),
    ("anonymous", "declarationPdf", "JEAN+SUBMITTED", NOT_FOUND),  # a plain 404, like one that does not exist
    ("anonymous", "declarationPdf", MISSING, NOT_FOUND),
]

INVISIBLE_LIKE_MISSING = [
    ("private", "privateDeclaration", "OTHER+SUBMITTED", MISSING),
    ("private", "node", "PrivateDeclaration:OTHER+SUBMITTED", "PrivateDeclaration:MISSING"),
    ("private", "saveDeclarationFacts", "OTHER", MISSING),
    ("private", "submitPrivateDeclaration", "OTHER", MISSING),
    ("private", "takePrivateDeclaration", "OTHER+SUBMITTED", MISSING),
    ("private", "sendDeclarationMessage", "OTHER+SUBMITTED", MISSING),
    ("private", "declarationPdf", "OTHER+SUBMITTED", MISSING),
    ("officer", "privateDeclaration", "JEAN", MISSING),
    ("officer", "addDeclarationItem", "JEAN", MISSING),
    ("officer", "acceptPrivateDeclaration", "JEAN", MISSING),
    ("officer", "sendDeclarationMessage", "JEAN", MISSING),
    ("officer", "declarationPdf", "JEAN", MISSING),
    ("officer2", "privateDeclaration", "JEAN+SUBMITTED", MISSING),
    ("officer2", "takePrivateDeclaration", "JEAN+SUBMITTED", MISSING),
    ("officer2", "refusePrivateDeclaration", "JEAN+UNDER_REVIEW", MISSING),
    ("officer2", "declarationPdf", "JEAN+SUBMITTED", MISSING),
    ("admin", "removeDeclarationItem", "JEAN", MISSING),
    ("admin", "sendDeclarationMessage", "JEAN+SUBMITTED", MISSING),
    ("representative", "submitPrivateDeclaration", "JEAN", MISSING),
    ("token", "privateDeclaration", "JEAN+SUBMITTED", MISSING),
    ("token", "declarationPdf", "JEAN+ACCEPTED", MISSING),
    ("member", "updateDeclarationItem", "JEAN+INFO_REQUESTED", MISSING),
    ("newcomer", "takePrivateDeclaration", "JEAN+SUBMITTED", MISSING),
    ("anonymous", "privateDeclaration", "JEAN+SUBMITTED", MISSING),
    ("anonymous", "saveDeclarationFacts", "JEAN", MISSING),
    ("anonymous", "declarationPdf", "JEAN+SUBMITTED", MISSING),
]


@matrix(DECLARATIONS_MATRIX)
async def test_declarations_matrix(world, actor_clients, actor, operation, target, expected):
    await assert_row(world, actor_clients, actor, operation, target, expected)


@invisible_like_missing(INVISIBLE_LIKE_MISSING)
async def test_what_may_not_be_seen_answers_exactly_like_what_does_not_exist(
    world, actor_clients, actor, operation, invisible, missing
):
    await assert_invisible_like_missing(world, actor_clients, actor, operation, invisible, missing)


# --- what the counts count -----------------------------------------------------------------------------------------

S = DeclarationStatus
# Each side's buckets: what waits for the reader (todo), for the other side (waiting), what is over (done).
BUCKETS = {
    "private": {"todo": (S.DRAFT, S.INFO_REQUESTED), "waiting": (S.SUBMITTED, S.UNDER_REVIEW)},
    "officer": {"todo": (S.SUBMITTED, S.UNDER_REVIEW), "waiting": (S.INFO_REQUESTED,)},
}


@pytest.mark.parametrize("actor", ["private", "officer"])
async def test_the_counts_count_what_the_reader_sees_in_each_bucket(world, actor_clients, actor):
    """Other tests leave declarations of Jean's behind: the counts are checked against the database, each bucket
    holding its statuses, the office never counting a draft."""
    if actor == "private":
        mine = PrivateDeclaration.declarant_id == world.users["jean"].id
    else:
        office = world.db.settings.private_declarations_office
        mine = sa.and_(PrivateDeclaration.customs_office == office, PrivateDeclaration.status != S.DRAFT.value)
    async with world.db.session() as session:
        rows = (
            await session.exec(
                select(PrivateDeclaration.status, sa.func.count()).where(mine).group_by(PrivateDeclaration.status)
            )
        ).all()
    by_status = {S(status): count for status, count in rows}
    buckets = {**BUCKETS[actor], "done": (S.ACCEPTED, S.REFUSED), "all": tuple(S)}
    expected = {bucket: sum(by_status.get(s, 0) for s in statuses) for bucket, statuses in buckets.items()}
    for key, spec in DECLARATIONS.items():  # the fixture declarations are among them
        if spec.declarant == "jean" if actor == "private" else spec.status is not S.DRAFT:
            assert by_status.get(spec.status, 0) >= 1, key
    body = await run_document(actor_clients[actor], "{ privateDeclarationCounts { todo waiting done all } }")
    assert body["data"]["privateDeclarationCounts"] == expected


# --- Jean's own API token: nobody on the declarant's side but Jean himself, in his browser ------------------------

JEAN_TOKEN_ROWS: list[tuple[str, Any, Any]] = [
    ("privateDeclaration", "JEAN", NULL),
    ("privateDeclaration", "JEAN+SUBMITTED", NULL),
    ("node", "PrivateDeclaration:JEAN", NULL),
    ("privateDeclarations", _, NOTHING),
    ("privateDeclarationCounts", _, NO_COUNTS),
    ("createPrivateDeclaration", _, PRIVATE_ONLY),
    ("saveDeclarationFacts", "JEAN", NOT_FOUND),
    ("addDeclarationItem", "JEAN+INFO_REQUESTED", NOT_FOUND),
    ("submitPrivateDeclaration", "JEAN", NOT_FOUND),
    ("submitPrivateDeclaration", "JEAN+INFO_REQUESTED", NOT_FOUND),
    ("sendDeclarationMessage", "JEAN+SUBMITTED", NOT_FOUND),
    ("declarationPdf", "JEAN+SUBMITTED", NOT_FOUND),
]


@pytest.fixture(scope="module")
def jean_token_client(world, live_server):
    client = httpx.Client(
        base_url=live_server.url, timeout=20, headers={"Authorization": f"Bearer {RAW_TOKENS['jean']}"}
    )
    yield {"jean-token": client}
    client.close()


@pytest.mark.parametrize(
    ("operation", "target", "expected"), JEAN_TOKEN_ROWS, ids=[f"{o}-{t or '_'}" for o, t, _e in JEAN_TOKEN_ROWS]
)
async def test_a_private_persons_api_token_does_not_declare_for_him(
    world, jean_token_client, operation, target, expected
):
    """A private person may make an (unbound) API token, for what the portal lets a token do; declaring is not: the
    policy names no API token on the declarant's side. Such a token answers like an outsider's."""
    body = await run(world, jean_token_client, "jean-token", operation, target)
    check(body, operation, operation.split(":")[0], expected, world)
