"""PostgreSQL down (the connection cut through a TCP proxy the test breaks): a GraphQL request with a token is an HTTP
503 JSON `UNAVAILABLE` with a French message and Retry-After, never a 500 text page; a new WebSocket is closed with
the documented code 4503; readiness says 503; the log names the cause once, not a traceback per request; and once
the database is back, the same requests are answered, with no restart."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
import time
from collections.abc import Iterator

import httpx
import pytest
import websockets
from sqlalchemy.engine import make_url

from backend.api.view import UNAVAILABLE_CLOSE_CODE
from tests.conftest import LiveServer, run_live_server
from tests.processing_support import new_api_token
from tests.tcp_proxy import TcpProxy

pytestmark = pytest.mark.postgres

ME = {"query": "{ me { name } }"}


@pytest.fixture(scope="module")
def proxy(live_server) -> Iterator[TcpProxy]:
    url = make_url(live_server.settings.database_url)
    running = TcpProxy(url.host or "127.0.0.1", url.port or 5432)
    yield running
    running.close()


@pytest.fixture(scope="module")
def proxied(live_server, proxy) -> Iterator[LiveServer]:
    """A second portal on the same database, through the proxy (its own in-process hub)."""
    from backend.app import create_app
    from tests.conftest import free_port

    url = make_url(live_server.settings.database_url).set(host="127.0.0.1", port=proxy.port)
    settings = dataclasses.replace(
        live_server.settings,
        database_url=url.render_as_string(hide_password=False),
        redis_url=None,
        database_timeout_seconds=2,
        request_timeout_seconds=4,
    )
    app = create_app(settings)
    port = free_port()
    server, thread = run_live_server(app, port)
    yield LiveServer(url=f"http://127.0.0.1:{port}", app=app, settings=settings)
    server.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def token(live_server) -> str:
    return new_api_token(live_server.settings, "Partenaire Panne")


async def ws_connection_init(server: LiveServer, token: str) -> int | None:
    """Opens a graphql-transport-ws connection with the token and returns the code it is closed with (None: ack)."""
    url = server.url.replace("http://", "ws://") + "/graphql"
    async with websockets.connect(url, subprotocols=["graphql-transport-ws"], open_timeout=10) as socket:
        await socket.send(json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}}))
        try:
            message = await asyncio.wait_for(socket.recv(), 15)
        except websockets.ConnectionClosed as closed:
            return closed.rcvd.code if closed.rcvd else None
        assert '"connection_ack"' in message, message
        return None


def test_a_database_down_is_a_coded_503_a_closed_socket_and_one_log_line_then_it_recovers(
    proxied, proxy, token, caplog
):
    client = httpx.Client(base_url=proxied.url, timeout=30, headers={"Authorization": f"Bearer {token}"})
    assert client.post("/graphql", json=ME).json() == {"data": {"me": {"name": "Partenaire Panne"}}}

    proxy.cut()
    with caplog.at_level(logging.INFO, logger="soprano.db"):
        answers = [client.post("/graphql", json=ME) for _ in range(5)]
        for answer in answers:
            assert answer.status_code == 503, answer.text
            assert answer.headers["content-type"].startswith("application/json")
            assert answer.headers["retry-after"] == "5"
            (error,) = answer.json()["errors"]
            assert error["extensions"]["code"] == "UNAVAILABLE"
            assert error["message"].startswith("Le service est momentanément indisponible")
        assert asyncio.run(ws_connection_init(proxied, token)) == UNAVAILABLE_CLOSE_CODE == 4503
        ready = httpx.get(f"{proxied.url}/healthz/ready", timeout=30)
        assert ready.status_code == 503 and ready.json()["database"] == "injoignable"
        outage_lines = [r for r in caplog.records if r.name == "soprano.db" and "unreachable" in r.getMessage()]
        assert len(outage_lines) == 1, [r.getMessage() for r in outage_lines]
        assert outage_lines[0].exc_info is None  # the cause in one line, not a traceback

        proxy.heal()
        assert client.post("/graphql", json=ME).json() == {"data": {"me": {"name": "Partenaire Panne"}}}
        assert asyncio.run(ws_connection_init(proxied, token)) is None
        assert any("reachable again" in r.getMessage() for r in caplog.records if r.name == "soprano.db")


def test_a_network_split_is_answered_within_the_deadlines_and_heals_by_itself(proxied, proxy, token):
    """Bytes stop passing either way (the proxy holds them, as a network dropping packets would): a GraphQL request
    is answered UNAVAILABLE after REQUEST_TIMEOUT_SECONDS (4 here) instead of hanging, readiness answers 503 within
    its own timeout (3 s), and once the network is back the same request is answered, with no restart."""
    client = httpx.Client(base_url=proxied.url, timeout=30, headers={"Authorization": f"Bearer {token}"})
    assert client.post("/graphql", json=ME).json() == {"data": {"me": {"name": "Partenaire Panne"}}}
    proxy.split()
    try:
        started = time.monotonic()
        answer = client.post("/graphql", json=ME)
        waited = time.monotonic() - started
        assert answer.status_code == 503, answer.text
        assert answer.json()["errors"][0]["extensions"]["code"] == "UNAVAILABLE"
        assert waited < 4 + 2, waited  # the deadline, not the split's length
        started = time.monotonic()
        ready = httpx.get(f"{proxied.url}/healthz/ready", timeout=30)
        assert ready.status_code == 503 and time.monotonic() - started < 3 + 2
    finally:
        proxy.heal()
    deadline = time.monotonic() + 30
    while (answer := client.post("/graphql", json=ME)).status_code != 200 and time.monotonic() < deadline:
        time.sleep(0.5)  # the held connections unwind
    assert answer.json() == {"data": {"me": {"name": "Partenaire Panne"}}}


def test_a_mutation_past_the_deadline_is_awaited_and_answered_truly_so_a_retry_never_posts_twice(
    live_server, proxied, people, settings
):
    """A comment waits for its dossier's lock (another transaction holds it) past REQUEST_TIMEOUT_SECONDS (4 here):
    a mutation that has begun may still commit, so it is not answered UNAVAILABLE — its client gets the comment it
    posted once the lock is released, and the dossier holds it once. A query held as long is still abandoned."""
    import sqlalchemy as sa

    from backend.db import Database
    from backend.dossiers.models import Dossier
    from tests.processing_support import COMMENT, SOPHIE, comment, draft, numeric_id, session_cookie

    sophie = people(SOPHIE)
    dossier = draft(sophie)
    comment(sophie, dossier["id"], "Avant le verrou.")
    through_proxy = httpx.Client(base_url=proxied.url, timeout=30, headers={"Cookie": session_cookie(sophie)})

    async def hold_the_dossier_while_commenting() -> tuple[httpx.Response, float]:
        db = Database(settings)
        try:
            async with db.session() as holder:
                await holder.exec(
                    sa.select(Dossier.id).where(Dossier.id == numeric_id(dossier["id"])).with_for_update()
                )
                started = time.monotonic()
                posting = asyncio.create_task(
                    asyncio.to_thread(
                        through_proxy.post,
                        "/graphql",
                        json={
                            "query": COMMENT,
                            "variables": {"dossierId": dossier["id"], "text": "Une seule fois."},
                        },
                    )
                )
                await asyncio.sleep(4 + 2)  # past the deadline
                assert not posting.done()  # not answered UNAVAILABLE
                await holder.rollback()
            answer = await asyncio.wait_for(posting, 15)
            return answer, time.monotonic() - started
        finally:
            await db.dispose()

    answer, waited = asyncio.run(hold_the_dossier_while_commenting())
    assert answer.status_code == 200, answer.text
    assert answer.json()["data"]["addComment"]["message"] == "Une seule fois."
    assert waited >= 6
    query = "query($id: ID!) { dossier(id: $id) { comments { message } } }"
    texts = [
        c["message"]
        for c in sophie.post("/graphql", json={"query": query, "variables": {"id": dossier["id"]}}).json()["data"][
            "dossier"
        ]["comments"]
    ]
    assert texts.count("Une seule fois.") == 1


def test_a_real_packet_drop_ends_queries_and_mutations_by_the_database_timeouts_and_heals(
    proxied, proxy, token, people
):
    """The kernel drops every packet between the portal and its database (tc netem on the proxy's port): nothing
    answers, not even a reset — the case the TCP user timeout and keepalives (DATABASE_TIMEOUT_SECONDS, 2 here) are
    for. A query is answered UNAVAILABLE; so is a mutation, which the HTTP deadline never abandons: the database's own
    timeouts end it, and what it was told failed did not happen (the comment is not there once healed)."""
    from tests.processing_support import COMMENT, SOPHIE, draft, session_cookie
    from tests.tcp_proxy import PacketDrop

    sophie = people(SOPHIE)
    dossier = draft(sophie)
    client = httpx.Client(base_url=proxied.url, timeout=60, headers={"Authorization": f"Bearer {token}"})
    browser = httpx.Client(base_url=proxied.url, timeout=60, headers={"Cookie": session_cookie(sophie)})
    assert client.post("/graphql", json=ME).json() == {"data": {"me": {"name": "Partenaire Panne"}}}
    split = PacketDrop(proxy.port)
    try:
        split.drop()
        started = time.monotonic()
        answer = client.post("/graphql", json=ME)
        assert answer.status_code == 503, answer.text
        assert answer.json()["errors"][0]["extensions"]["code"] == "UNAVAILABLE"
        assert time.monotonic() - started < 4 + 2
        started = time.monotonic()
        posted = browser.post(
            "/graphql",
            json={"query": COMMENT, "variables": {"dossierId": dossier["id"], "text": "Pendant la coupure."}},
        )
        waited = time.monotonic() - started
        assert posted.status_code == 503, posted.text
        assert posted.json()["errors"][0]["extensions"]["code"] == "UNAVAILABLE"
        assert waited < 2 * 5, waited  # the TCP user timeout and keepalives, not the split's length
    finally:
        split.heal()
    deadline = time.monotonic() + 30
    while (answer := client.post("/graphql", json=ME)).status_code != 200 and time.monotonic() < deadline:
        time.sleep(0.5)
    assert answer.json() == {"data": {"me": {"name": "Partenaire Panne"}}}
    query = "query($id: ID!) { dossier(id: $id) { comments { message } } }"
    comments = sophie.post("/graphql", json={"query": query, "variables": {"id": dossier["id"]}}).json()
    assert "Pendant la coupure." not in [c["message"] for c in comments["data"]["dossier"]["comments"]]
