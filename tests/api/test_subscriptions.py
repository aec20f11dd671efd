"""Subscriptions over a real WebSocket client speaking graphql-transport-ws (issue 5), against the live portal,
authenticated by the session cookie of a real login.

- the owner receives a comment posted by the officer, and the officer the owner's;
- another operator's user (or another office's officer, or nobody) subscribing to the same dossier is refused;
- a collaborator whose habilitation is revoked while subscribed stops receiving: the next comment is not delivered
  and the subscription completes;
- reconnecting with afterEventId = the last id seen receives exactly the missed events, in order, then live ones;
- dashboardChanged: an officer requesting a complement gives the operator user new counts (todo +1, waiting −1);
- the events of one dossier commit in id order (a writer waits for the dossier's lock), so resuming after the last
  id received loses nothing and repeats nothing (PostgreSQL, where two writers run at once, and Redis);
- a client that reads nothing while 300 comments are posted receives each at most once, and resumes without loss.
"""

from __future__ import annotations

import asyncio
import socket

import pytest
import sqlalchemy as sa
import websockets

from backend.db import Database
from backend.dossiers.models import Dossier, DossierEvent
from backend.dossiers.notify import publish
from backend.events import RedisHub
from tests.processing_support import (
    CLAIRE,
    HUGO,
    SOPHIE,
    WsClient,
    act,
    codes,
    comment,
    dashboard,
    draft,
    filed,
    get,
    hub_count,
    hub_has,
    new_office,
    numeric_id,
    ok,
    refusal,
    session_cookie,
)
from tests.processing_support import (
    COMMENT as COMMENT_MUTATION,
)

COMMENT_ADDED = """
subscription($d: ID!, $after: ID) {
  commentAdded(dossierId: $d, afterEventId: $after) { id kind label actorName actorSide message }
}"""
DOSSIER_CHANGED = """
subscription($d: ID!, $after: ID) {
  dossierChanged(dossierId: $d, afterEventId: $after) { id kind label actorName fromStatus toStatus message }
}"""
DASHBOARD_CHANGED = "subscription { dashboardChanged { dossierId eventId counts { todo waiting } resync } }"
REVOKE = "mutation($id: ID!) { revokeHabilitation(id: $id) { id revokedAt } }"


async def next_change(ws: WsClient, dossier_id: str) -> dict:
    """The next dashboard change about `dossier_id` (a Redis shared with other portals may wake us for others)."""
    while True:
        change = (await ws.next_data())["dashboardChanged"]
        if change["dossierId"] == dossier_id:
            return change


# --- comments both ways ---------------------------------------------------------------------------------------------


async def test_the_owner_and_the_office_receive_each_others_comments(sockets, sophie, claire):
    dossier = filed(sophie)
    owner = await sockets(sophie)
    office = await sockets(claire)
    await owner.subscribe(COMMENT_ADDED, {"d": dossier["id"]})
    await office.subscribe(COMMENT_ADDED, {"d": dossier["id"]})

    from_office = comment(claire, dossier["id"], "Pouvez-vous préciser la durée d'utilisation ?")
    received = (await owner.next_data())["commentAdded"]
    assert received == {
        "id": from_office["id"],
        "kind": "COMMENT",
        "label": "Commentaire",
        "actorName": "Claire Bernard",
        "actorSide": "CUSTOMS",
        "message": "Pouvez-vous préciser la durée d'utilisation ?",
    }
    assert (await office.next_data())["commentAdded"]["id"] == from_office["id"]

    from_owner = comment(sophie, dossier["id"], "Six mois, pour le salon de Lyon.")
    received = (await office.next_data())["commentAdded"]
    assert (received["id"], received["actorName"], received["actorSide"], received["message"]) == (
        from_owner["id"],
        "Sophie Moreau",
        "APPLICANT",
        "Six mois, pour le salon de Lyon.",
    )
    assert (await owner.next_data())["commentAdded"]["id"] == from_owner["id"]
    # A processing step is not a comment: commentAdded stays silent, dossierChanged carries it.
    act(claire, dossier["id"], "ACCEPT")
    await owner.silent(0.3)
    await office.silent(0.1)


async def test_an_api_token_in_connection_init_authenticates_the_subscription(sockets, people):
    company = people.company("Robinetterie connectée")
    dossier = draft(company.admin)
    token = ok(
        company.admin,
        "mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { token } }",
        {"input": {"name": "Intégration temps réel", "operatorId": company.operator_id, "right": "CONSULT"}},
    )["createApiToken"]["token"]
    ws = await sockets(payload={"Authorization": f"Bearer {token}"})
    await ws.subscribe(COMMENT_ADDED, {"d": dossier["id"]})
    posted = comment(company.admin, dossier["id"], "Lu par l'intégration.")
    assert (await ws.next_data())["commentAdded"]["id"] == posted["id"]


async def test_dossier_changed_carries_every_step(sockets, sophie, claire):
    dossier = filed(sophie)
    ws = await sockets(sophie)
    await ws.subscribe(DOSSIER_CHANGED, {"d": dossier["id"]})
    # Without afterEventId, the whole history first.
    assert [(await ws.next_data())["dossierChanged"]["kind"] for _ in range(2)] == ["CREATED", "SUBMITTED"]
    act(claire, dossier["id"], "REQUEST_COMPLEMENT", "Joindre le contrat.")
    step = (await ws.next_data())["dossierChanged"]
    assert (
        step["kind"],
        step["label"],
        step["actorName"],
        step["fromStatus"],
        step["toStatus"],
        step["message"],
    ) == (
        "REQUEST_COMPLEMENT",
        "Complément demandé",
        "Claire Bernard",
        "SUBMITTED",
        "COMPLEMENT_REQUESTED",
        "Joindre le contrat.",
    )


# --- refused subscriptions ------------------------------------------------------------------------------------------


async def test_another_operators_user_is_refused(sockets, people, sophie):
    dossier = filed(sophie)
    stranger = people.company("Chocolaterie curieuse")
    ws = await sockets(stranger.admin)
    for query in (COMMENT_ADDED, DOSSIER_CHANGED):
        sub_id = await ws.subscribe(query, {"d": dossier["id"]})
        errors = await refusal(ws, sub_id)
        assert codes(errors) == {"NOT_FOUND"}, errors
        assert errors[0]["message"] == "Dossier introuvable."
    # What Sophie and Claire write after that never reaches the stranger.
    comment(sophie, dossier["id"], "Pour la douane seulement.")
    await ws.silent(0.3)


async def test_another_office_and_an_anonymous_client_are_refused(sockets, people, sophie):
    dossier = filed(sophie)
    hugo = await sockets(people(HUGO, accept=False))
    sub_id = await hugo.subscribe(COMMENT_ADDED, {"d": dossier["id"]})
    assert codes(await refusal(hugo, sub_id)) == {"NOT_FOUND"}
    anonymous = await sockets()
    sub_id = await anonymous.subscribe(COMMENT_ADDED, {"d": dossier["id"]})
    assert codes(await refusal(anonymous, sub_id)) & {"NOT_FOUND", "UNAUTHENTICATED"}
    # A draft is not the office's yet.
    claire = await sockets(people(CLAIRE, accept=False))
    sub_id = await claire.subscribe(COMMENT_ADDED, {"d": draft(people(SOPHIE))["id"]})
    assert codes(await refusal(claire, sub_id)) == {"NOT_FOUND"}


async def test_a_malformed_event_id_is_refused(sockets, sophie):
    dossier = filed(sophie)
    ws = await sockets(sophie)
    sub_id = await ws.subscribe(COMMENT_ADDED, {"d": dossier["id"], "after": "douze"})
    errors = await refusal(ws, sub_id)
    assert codes(errors) == {"INVALID"}


async def test_an_event_id_beyond_any_event_is_refused_not_an_internal_error(sockets, sophie):
    """Event ids are 32-bit integers in the database: an afterEventId no event can have is the client's mistake
    (INVALID), never a server error, and never a subscription that silently swallows every future event."""
    dossier = filed(sophie)
    ws = await sockets(sophie)
    sub_id = await ws.subscribe(COMMENT_ADDED, {"d": dossier["id"], "after": str(2**40)})
    errors = await refusal(ws, sub_id)
    assert codes(errors) == {"INVALID"}, errors


# --- losing the right while subscribed --------------------------------------------------------------------------------


async def test_a_revoked_collaborator_stops_receiving(sockets, people):
    company = people.company("Tonnellerie révocable")
    member, habilitation = people.member(company, "CONSULT", "Julie Consult")
    dossier = draft(company.admin)
    ws = await sockets(member)
    sub_id = await ws.subscribe(COMMENT_ADDED, {"d": dossier["id"]})
    first = comment(company.admin, dossier["id"], "Premier commentaire, pour toute l'équipe.")
    assert (await ws.next_data())["commentAdded"]["id"] == first["id"]

    revoked = ok(company.admin, REVOKE, {"id": habilitation})["revokeHabilitation"]
    assert revoked["revokedAt"]
    second = comment(company.admin, dossier["id"], "Second commentaire, après le retrait du droit.")
    # The next event is checked against the rights of the moment: not delivered, and the subscription ends.
    message = await ws.receive()
    assert message == {"id": sub_id, "type": "complete"}, message
    await ws.silent(0.2)
    assert second["id"] != first["id"]
    # Subscribing again is refused too.
    again = await sockets(member)
    sub_id = await again.subscribe(COMMENT_ADDED, {"d": dossier["id"]})
    assert codes(await refusal(again, sub_id)) == {"NOT_FOUND"}


# --- reconnecting with the last event id ------------------------------------------------------------------------------


async def test_reconnecting_with_the_last_event_id_receives_exactly_what_was_missed(sockets, sophie, claire):
    dossier = filed(sophie)
    ws = await sockets(sophie)
    await ws.subscribe(COMMENT_ADDED, {"d": dossier["id"]})
    seen = []
    for client, text in ((claire, "c1"), (sophie, "c2")):
        comment(client, dossier["id"], text)
        seen.append((await ws.next_data())["commentAdded"])
    assert [c["message"] for c in seen] == ["c1", "c2"]
    last = seen[-1]["id"]
    await ws.close()

    # Missed while disconnected: three comments and processing steps.
    missed = [comment(claire, dossier["id"], "c3")]
    ok(claire, "mutation($id: ID!) { takeDossier(id: $id) { id } }", {"id": dossier["id"]})
    missed.append(comment(sophie, dossier["id"], "c4"))
    act(claire, dossier["id"], "ACCEPT")
    missed.append(comment(claire, dossier["id"], "c5"))

    comments = await sockets(sophie)
    await comments.subscribe(COMMENT_ADDED, {"d": dossier["id"], "after": last})
    caught_up = [(await comments.next_data())["commentAdded"] for _ in missed]
    assert [(c["id"], c["message"]) for c in caught_up] == [(m["id"], m["message"]) for m in missed]
    await comments.silent(0.3)  # nothing else: neither c1/c2 again nor the steps

    everything = await sockets(sophie)
    await everything.subscribe(DOSSIER_CHANGED, {"d": dossier["id"], "after": last})
    steps = [(await everything.next_data())["dossierChanged"] for _ in range(5)]
    assert [(s["kind"], s["message"]) for s in steps] == [
        ("COMMENT", "c3"),
        ("TAKEN", ""),
        ("COMMENT", "c4"),
        ("ACCEPT", ""),
        ("COMMENT", "c5"),
    ]
    ids = [int(s["id"]) for s in steps]
    assert ids == sorted(ids) and ids[0] > int(last)
    history = [e["id"] for e in get(sophie, dossier["id"])["history"]]
    assert [s["id"] for s in steps] == history[history.index(last) + 1 :]
    await everything.silent(0.2)

    # Then live again, once each.
    live = comment(sophie, dossier["id"], "c6")
    assert (await comments.next_data())["commentAdded"]["id"] == live["id"]
    assert (await everything.next_data())["dossierChanged"]["id"] == live["id"]
    await comments.silent(0.2)


# --- the live dashboard -----------------------------------------------------------------------------------------------


async def test_a_complement_request_moves_the_dossier_to_the_operators_todo(live_server, sockets, people):
    company = people.company("Distillerie du tableau")
    office = new_office()
    officer = people.officer(office, "Agent Tableau")
    dossier = filed(company.admin, "TEA", office)
    before = dashboard(company.admin, "TODO")["counts"]
    assert before == {"todo": 0, "waiting": 1}
    stranger = people.company("Voisin indifférent")

    count = hub_count(live_server)
    operator_ws = await sockets(company.admin)
    await operator_ws.subscribe(DASHBOARD_CHANGED)
    officer_ws = await sockets(officer)
    await officer_ws.subscribe(DASHBOARD_CHANGED)
    stranger_ws = await sockets(stranger.admin)
    await stranger_ws.subscribe(DASHBOARD_CHANGED)
    await hub_has(live_server, count + 3)

    moved = act(officer, dossier["id"], "REQUEST_COMPLEMENT", "Joindre le plan de l'atelier.")
    change = await next_change(operator_ws, dossier["id"])
    event_id = moved["history"][-1]["id"]
    assert change == {
        "dossierId": dossier["id"],
        "eventId": event_id,
        "counts": {"todo": before["todo"] + 1, "waiting": before["waiting"] - 1},
        "resync": False,
    }
    assert dashboard(company.admin, "TODO")["counts"] == change["counts"]
    office_change = await next_change(officer_ws, dossier["id"])
    assert office_change["counts"] == {"todo": 0, "waiting": 1}
    assert office_change["eventId"] == event_id
    await stranger_ws.silent(0.3)  # not theirs

    # The applicant answers: back to « en attente » for the operator, « à traiter » for the office.
    ok(
        company.admin,
        "mutation($id: ID!, $v: Int!) { submitDossier(id: $id, version: $v) { id } }",
        {"id": dossier["id"], "v": moved["version"]},
    )
    assert (await next_change(operator_ws, dossier["id"]))["counts"] == {"todo": 0, "waiting": 1}
    assert (await next_change(officer_ws, dossier["id"]))["counts"] == {"todo": 1, "waiting": 0}


# --- events committed out of id order ---------------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.redis
async def test_events_of_one_dossier_commit_in_id_order_so_resuming_loses_and_repeats_nothing(
    sockets, sophie, settings
):
    """A writer holds the dossier while a comment is posted, then writes its own event: the comment waited for the
    dossier's lock before its event took an id, so its id is the higher one and it commits after. A subscriber receives both in
    id order; resuming after the first receives exactly the second; resuming after the second receives nothing."""
    dossier = draft(sophie)
    ws = await sockets(sophie)
    await ws.subscribe(COMMENT_ADDED, {"d": dossier["id"]})
    warm = comment(sophie, dossier["id"], "Le fil est ouvert.")
    assert (await ws.next_data())["commentAdded"]["id"] == warm["id"]

    hub = RedisHub(settings.redis_url, prefix=settings.redis_channel_prefix)
    await hub.start()
    db = Database(settings, hub=hub)
    try:
        async with db.session() as first_writer:
            row = await first_writer.get(Dossier, numeric_id(dossier["id"]))
            await first_writer.exec(sa.select(Dossier.id).where(Dossier.id == row.id).with_for_update())
            posting = asyncio.create_task(asyncio.to_thread(comment, sophie, dossier["id"], "Écrit ensuite."))
            await asyncio.sleep(0.5)
            assert not posting.done()  # the comment waits for the dossier
            slow = DossierEvent(
                dossier_id=row.id, kind="comment", actor_id=row.created_by_id, message="Écrit d'abord."
            )
            first_writer.add(slow)
            await first_writer.flush()  # its id is given after the comment began
            await ws.silent(0.2)
            await first_writer.commit()
            await publish(first_writer, row, slow)
        quick = await asyncio.wait_for(posting, 10)
        assert int(quick["id"]) > slow.id
        delivered = [(await ws.next_data())["commentAdded"]["id"] for _ in range(2)]
        assert delivered == [str(slow.id), quick["id"]]
        await ws.silent(0.3)  # nothing twice

        resumed = await sockets(sophie)
        await resumed.subscribe(COMMENT_ADDED, {"d": dossier["id"], "after": str(slow.id)})
        assert (await resumed.next_data())["commentAdded"]["id"] == quick["id"]
        await resumed.silent(0.3)
        caught_up = await sockets(sophie)
        await caught_up.subscribe(COMMENT_ADDED, {"d": dossier["id"], "after": quick["id"]})
        await caught_up.silent(0.3)
    finally:
        await db.dispose()
        await hub.stop()


async def slow_reader(live_server, client) -> WsClient:
    """A WebSocket client with a tiny receive buffer: what the server sends while it reads nothing soon blocks."""
    host, port = live_server.url.removeprefix("http://").split(":")
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect((host, int(port)))
    connection = await websockets.connect(
        live_server.url.replace("http://", "ws://") + "/graphql",
        sock=sock,
        subprotocols=["graphql-transport-ws"],
        additional_headers={"Cookie": session_cookie(client)},
        max_queue=1,
        compression=None,  # compressed, a page of repeated letters is a few bytes: nothing would ever block
    )
    ws = WsClient(connection)
    await ws.send({"type": "connection_init", "payload": {}})
    assert (await ws.receive())["type"] == "connection_ack"
    return ws


@pytest.fixture(scope="module")
def tight_server(live_server):
    """A second portal on the suite's database whose connections have a small fixed kernel send buffer (4 KB instead
    of the megabytes loopback grows to): a client that reads nothing blocks the server's sends within ~100 KB."""
    from backend.app import create_app
    from tests.conftest import LiveServer, free_port, run_live_server

    app = create_app(live_server.settings)
    port = free_port()
    server, thread = run_live_server(app, port, send_buffer=4096)
    yield LiveServer(url=f"http://127.0.0.1:{port}", app=app, settings=live_server.settings)
    server.should_exit = True
    thread.join(10)


async def test_a_subscriber_whose_sends_block_is_dropped_told_so_and_resumes_without_loss(
    tight_server, sockets, sophie
):
    """The drop path itself: the server's sends to a client that reads nothing block (small buffers on both sides),
    the subscription's queue (8 here) overflows while 300 long comments are posted, and the client — once it reads —
    gets what was sent, each comment once and in order, then SUBSCRIBER_TOO_SLOW; the hub holds no more than the
    queue for it meanwhile; resuming after the last id received gives exactly the rest."""
    import httpx

    through_tight = httpx.Client(base_url=tight_server.url, timeout=30, headers={"Cookie": session_cookie(sophie)})
    dossier = draft(sophie)
    hub = tight_server.portal.hub
    size, hub.queue_size = hub.queue_size, 8
    try:
        ws = await slow_reader(tight_server, sophie)
        await ws.subscribe(COMMENT_ADDED, {"d": dossier["id"]})
        await hub_has(tight_server, 1)
        ws.connection.transport.pause_reading()  # reading nothing at all, not even into the library's memory
    finally:
        hub.queue_size = size
    try:
        posted = [
            ok(through_tight, COMMENT_MUTATION, {"dossierId": dossier["id"], "text": f"{n:03d} " + "x" * 3900})[
                "addComment"
            ]["id"]
            for n in range(300)
        ]
        assert all(len(s.queue._queue) <= 8 for s in _subscribers(hub))  # bounded while it reads nothing
    except Exception:
        await ws.close()
        raise

    ws.connection.transport.resume_reading()
    received: list[str] = []
    while True:
        message = await ws.receive(15)
        assert message["type"] == "next", message
        if message["payload"].get("errors"):
            assert codes(message["payload"]["errors"]) == {"SUBSCRIBER_TOO_SLOW"}, message
            break
        received.append(message["payload"]["data"]["commentAdded"]["id"])
    assert len(received) < len(posted)  # dropped before the end
    assert received == posted[: len(received)]  # each once, in order, nothing skipped
    assert (await ws.receive(5))["type"] == "complete"
    await ws.close()

    again = await sockets(sophie)
    await again.subscribe(COMMENT_ADDED, {"d": dossier["id"], "after": received[-1] if received else None})
    rest = [(await again.next_data())["commentAdded"]["id"] for _ in posted[len(received) :]]
    assert received + rest == posted
    await again.silent(0.3)


def _subscribers(hub):
    return {s for subscribers in hub._subscribers.values() for s in subscribers}


async def test_a_subscriber_that_does_not_read_receives_each_comment_once_and_resumes_without_loss(
    live_server, sockets, sophie
):
    """While a client reads nothing, 300 long comments are posted (its subscription's queue made small, so that the
    backlog overflows it): whatever it then receives holds each comment at most once, in order; if it was dropped
    (SUBSCRIBER_TOO_SLOW), resuming after the last id it received gives exactly the rest."""
    dossier = draft(sophie)
    hub = live_server.portal.hub
    size, hub.queue_size = hub.queue_size, 8
    try:
        ws = await slow_reader(live_server, sophie)
        await ws.subscribe(COMMENT_ADDED, {"d": dossier["id"]})
        await hub_has(live_server, 1)
    finally:
        hub.queue_size = size
    try:
        posted = [comment(sophie, dossier["id"], f"{n:03d} " + "x" * 3900)["id"] for n in range(300)]
    except Exception:
        await ws.close()
        raise

    received: list[str] = []
    dropped = False
    while len(received) < len(posted):
        message = await ws.receive(15)
        if message["type"] == "next" and message["payload"].get("errors"):
            assert codes(message["payload"]["errors"]) == {"SUBSCRIBER_TOO_SLOW"}, message
            dropped = True
            break
        assert message["type"] == "next", message
        received.append(message["payload"]["data"]["commentAdded"]["id"])
    assert len(received) == len(set(received)), "a comment was sent twice"
    assert [int(i) for i in received] == sorted(int(i) for i in received)
    assert received == posted[: len(received)]
    if dropped:
        again = await sockets(sophie)
        await again.subscribe(COMMENT_ADDED, {"d": dossier["id"], "after": received[-1] if received else None})
        rest = [(await again.next_data())["commentAdded"]["id"] for _ in posted[len(received) :]]
        assert received + rest == posted
        await again.silent(0.3)
    else:
        await ws.silent(0.3)
