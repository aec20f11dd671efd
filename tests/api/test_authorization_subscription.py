"""authorizationChanged over a real WebSocket client speaking graphql-transport-ws, against the live portal,
authenticated by the session cookie of a real login (the way tests/api/test_subscriptions.py tests dossierChanged).

- the holder's user and an officer of the issuing office receive the holder's request and the suspension customs
  decide (kind, authorizationId, eventId of the history entry);
- another operator's user and another office's officer, listening at the same time, receive none of it: the next
  thing they receive is an event of their own authorisation, published after;
- each event is checked with the rights of the moment: a collaborator whose habilitation is revoked stops receiving
  (and receives again once the right is back); with authorizationId, the subscription completes;
- authorizationId of an authorisation the subscriber may not see is refused (NOT_FOUND) when subscribing;
- an anonymous client: no authorizationId, the subscription completes at once; with one, NOT_FOUND.

Every subscriber is shown to be listening (it receives a first event) before what it must or must not receive.
Each test makes its own operators and customs offices: the channels it listens to carry only its own events.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import httpx

from tests.processing_support import (
    Company,
    WsClient,
    act,
    codes,
    filed,
    global_id,
    grant,
    new_office,
    ok,
    refusal,
)

AUTHORIZATION_CHANGED = """
subscription($a: ID) { authorizationChanged(authorizationId: $a) { authorizationId eventId kind resync } }"""
COMMENT = "mutation($id: ID!, $text: String!) { commentOnAuthorization(id: $id, text: $text) { id kind } }"
ASK_SUSPENSION = """
mutation($id: ID!, $reason: String!) {
  askCustomsAboutAuthorization(id: $id, kind: SUSPEND, reason: $reason) { id }
}"""
SUSPEND = "mutation($input: SuspendAuthorizationInput!) { suspendAuthorization(input: $input) { id state } }"
HISTORY = "query($id: ID!) { authorization(id: $id) { history { id kind } } }"
GRANT_RIGHT = "mutation($input: GrantHabilitationInput!) { grantHabilitation(input: $input) { id } }"
REVOKE_RIGHT = "mutation($id: ID!) { revokeHabilitation(id: $id) { id revokedAt } }"


@dataclass
class Issued:
    """A fresh operator's authorisation, issued by an officer of a fresh customs office."""

    company: Company
    officer: httpx.Client
    id: str  # the authorisation's global id


def issued(people, name: str) -> Issued:
    """A dossier of a new operator, filed to a new office, accepted and granted there: its authorisation."""
    company = people.company(name)
    office = new_office()
    officer = people.officer(office, f"Agent {name}")
    dossier = filed(company.admin, "TEA", office)
    act(officer, dossier["id"], "ACCEPT")
    return Issued(company, officer, grant(officer, dossier["id"])["authorization"]["id"])


def post_comment(client: httpx.Client, authorization_id: str, text: str) -> str:
    """A comment in the authorisation's history: the id of its entry (the eventId subscribers receive)."""
    entry = ok(client, COMMENT, {"id": authorization_id, "text": text})["commentOnAuthorization"]
    assert entry["kind"] == "comment", entry
    return entry["id"]


def change(authorization_id: str, event_id: str, kind: str) -> dict:
    return {"authorizationId": authorization_id, "eventId": event_id, "kind": kind, "resync": False}


async def next_change(ws: WsClient) -> dict:
    return (await ws.next_data())["authorizationChanged"]


async def listening(subscribers: list[WsClient], client: httpx.Client, authorization_id: str) -> None:
    """Each subscriber receives a comment posted now: it is listening (every later event reaches it or is
    refused to it; none can be missed for being published too early). A subscription the server has not started yet
    misses a comment (there is no catch-up for this one): post again until every subscriber has received one, then
    read each up to the last, so that nothing of this warm-up is left for the test to receive."""
    heard: dict[int, dict] = {}  # subscriber's index → the change it received
    for _ in range(10):
        last = post_comment(client, authorization_id, "Le fil est ouvert.")
        for index, ws in enumerate(subscribers):
            if index in heard:
                continue
            try:
                heard[index] = await asyncio.wait_for(next_change(ws), 2)
            except TimeoutError:
                pass
        if len(heard) == len(subscribers):
            break
    assert len(heard) == len(subscribers), "a subscription never started listening"
    for index, ws in enumerate(subscribers):
        received = heard[index]
        while received != change(authorization_id, last, "comment"):
            assert received["authorizationId"] == authorization_id, received
            received = await next_change(ws)


def suspend_at_the_holders_request(auth: Issued) -> tuple[str, str]:
    """The holder asks customs to suspend, the issuing office suspends: the ids of the two history entries."""
    ok(auth.company.admin, ASK_SUSPENSION, {"id": auth.id, "reason": "Atelier fermé pour travaux."})
    suspended = ok(
        auth.officer,
        SUSPEND,
        {"input": {"authorizationId": auth.id, "case": "HOLDER_REQUEST", "reason": "Demande du titulaire."}},
    )["suspendAuthorization"]
    assert suspended["state"] == "SUSPENDED", suspended
    history = ok(auth.officer, HISTORY, {"id": auth.id})["authorization"]["history"]
    assert [h["kind"] for h in history[-2:]] == ["suspension_requested", "suspended"], history
    return history[-2]["id"], history[-1]["id"]


async def subscribe(sockets, client: httpx.Client | None, authorization_id: str | None = None) -> WsClient:
    ws = await sockets(client)
    await ws.subscribe(AUTHORIZATION_CHANGED, {"a": authorization_id} if authorization_id else {})
    return ws


# --- who receives ---------------------------------------------------------------------------------------------------


async def test_the_holders_user_and_the_issuing_office_receive_the_suspension(sockets, people):
    auth = issued(people, "Forge suspendue")
    holder = await subscribe(sockets, auth.company.admin)  # every authorisation of its operator
    office = await subscribe(sockets, auth.officer)  # every authorisation of its office
    office_one = await subscribe(sockets, auth.officer, auth.id)  # this one only
    await listening([holder, office, office_one], auth.officer, auth.id)

    requested, suspended = suspend_at_the_holders_request(auth)
    for ws in (holder, office, office_one):
        assert await next_change(ws) == change(auth.id, requested, "suspension_requested")
        assert await next_change(ws) == change(auth.id, suspended, "suspended")


async def test_another_operator_and_another_office_receive_nothing_of_it(sockets, people):
    auth = issued(people, "Verrerie suspendue")
    theirs = issued(people, "Voisin discret")  # another operator's, issued by another office
    holder = await subscribe(sockets, auth.company.admin)
    office = await subscribe(sockets, auth.officer)
    stranger = await subscribe(sockets, theirs.company.admin)
    other_office = await subscribe(sockets, theirs.officer)
    await listening([stranger, other_office], theirs.officer, theirs.id)
    # The holder's side receives its own comment first: the other authorisation's comment did not reach it.
    await listening([holder, office], auth.officer, auth.id)

    requested, suspended = suspend_at_the_holders_request(auth)
    for ws in (holder, office):  # it was published while the others listened
        assert await next_change(ws) == change(auth.id, requested, "suspension_requested")
        assert await next_change(ws) == change(auth.id, suspended, "suspended")
    # Published after the suspension: the first thing the others receive, so neither entry reached them.
    control = post_comment(theirs.officer, theirs.id, "Rien à signaler.")
    for ws in (stranger, other_office):
        assert await next_change(ws) == change(theirs.id, control, "comment")


# --- rights of the moment -------------------------------------------------------------------------------------------


async def test_a_revoked_collaborator_stops_receiving_and_a_subscription_to_one_authorisation_ends(
    sockets, people
):
    auth = issued(people, "Menuiserie révocable")
    partner = issued(people, "Scierie partenaire")  # another operator, which also gives the collaborator a right
    member, habilitation = people.member(auth.company, "CONSULT", "Julie Consult")
    email = ok(member, "{ me { email } }")["me"]["email"]
    consult = {"email": email, "siret": auth.company.siret, "right": "CONSULT"}
    ok(partner.company.admin, GRANT_RIGHT, {"input": {"operatorId": partner.company.operator_id, **consult}})
    every = await subscribe(sockets, member)  # both operators' authorisations
    one = await sockets(member)
    one_id = await one.subscribe(AUTHORIZATION_CHANGED, {"a": auth.id})
    await listening([every, one], auth.officer, auth.id)
    await listening([every], partner.officer, partner.id)

    assert ok(auth.company.admin, REVOKE_RIGHT, {"id": habilitation})["revokeHabilitation"]["revokedAt"]
    post_comment(auth.officer, auth.id, "Après le retrait du droit.")
    # The subscription to this authorisation is checked against the rights of the moment: it ends, without data.
    assert await one.receive() == {"id": one_id, "type": "complete"}
    # The other one lives on: the partner's comment, posted after, is the first thing it receives since the
    # revocation, so the comment written while the right was lost never reached it.
    control = post_comment(partner.officer, partner.id, "Toujours suivi.")
    assert await next_change(every) == change(partner.id, control, "comment")
    # Subscribing to the authorisation again is refused.
    again = await sockets(member)
    sub_id = await again.subscribe(AUTHORIZATION_CHANGED, {"a": auth.id})
    assert codes(await refusal(again, sub_id)) == {"NOT_FOUND"}

    # The right given back, the same subscription receives the holder's authorisation again (checked per delivery).
    ok(auth.company.admin, GRANT_RIGHT, {"input": {"operatorId": auth.company.operator_id, **consult}})
    seen = post_comment(auth.officer, auth.id, "Le droit est rendu.")
    assert await next_change(every) == change(auth.id, seen, "comment")


# --- refused when subscribing ---------------------------------------------------------------------------------------


async def test_an_authorisation_the_subscriber_may_not_see_is_refused_when_subscribing(sockets, people):
    auth = issued(people, "Tuilerie gardée")
    theirs = issued(people, "Curieux voisin")
    no_right, _ = people.member(auth.company, None, "Sans droit")
    for client in (theirs.company.admin, theirs.officer, no_right):
        ws = await sockets(client)
        sub_id = await ws.subscribe(AUTHORIZATION_CHANGED, {"a": auth.id})
        errors = await refusal(ws, sub_id)  # an error then complete, never a silent stream
        assert codes(errors) == {"NOT_FOUND"}, errors
        assert errors[0]["message"] == "Autorisation introuvable."
    # An id of no authorisation, or of another type, is refused the same way.
    ws = await sockets(auth.company.admin)
    for unknown in (global_id("Authorization", 2**31 - 1), global_id("Dossier", 1), "douze"):
        sub_id = await ws.subscribe(AUTHORIZATION_CHANGED, {"a": unknown})
        assert codes(await refusal(ws, sub_id)) == {"NOT_FOUND"}, unknown


async def test_an_anonymous_client_is_told_to_log_in(sockets, people):
    auth = issued(people, "Poterie anonyme")
    anonymous = await sockets()
    # Nobody logged in is told so, with or without an authorisation named; no event follows.
    sub_id = await anonymous.subscribe(AUTHORIZATION_CHANGED)
    assert codes(await refusal(anonymous, sub_id)) == {"UNAUTHENTICATED"}
    sub_id = await anonymous.subscribe(AUTHORIZATION_CHANGED, {"a": auth.id})
    assert codes(await refusal(anonymous, sub_id)) == {"UNAUTHENTICATED"}
