"""The UI's subscriptions start again when the server drops them (ui.client.follow, behind use_subscription).

An in-process portal of the test's own with a memory hub whose subscriber queues hold one message: three messages at
once overflow it, as a slow reader would, and the server drops the subscription (dossierChanged: the error
SUBSCRIBER_TOO_SLOW; dashboardChanged: an event with `resync`, after which the list must be read again).

- dossierChanged restarts after the last event received: a step written while it was cut arrives, nothing twice;
  `on_reconnecting` says True while cut, False once open again; then live events arrive as before;
- dashboardChanged restarts after its `resync`: the next change of the operator's dossiers arrives;
- a refusal for good (a dossier the reader may not see) ends it without retrying.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import pytest

from backend.api.context import Portal
from backend.api.ids import encode_id
from backend.auth.sessions import start_session
from backend.db import Database
from backend.dossiers.models import DossierEvent, DossierStatus
from backend.events import MemoryHub, dossier_channel, operator_channel
from tests.processing_support import Cast, wait_until_async
from ui.client import GraphQLClient, follow


@pytest.fixture
async def portal(live_server, settings) -> AsyncIterator[Portal]:
    """`live_server` migrates the database; the portal here is the test's own, on its event loop."""
    db = Database(settings, hub=MemoryHub(queue_size=1))
    yield Portal(settings=settings, db=db, issuer=settings.oidc_issuer)
    await db.dispose()


async def logged_in(portal: Portal, user) -> GraphQLClient:
    cookie: dict[str, Any] = {}
    async with portal.db.session() as session:
        await start_session(session, cookie, user, max_age=3600)
    return GraphQLClient(portal=portal, cookie_session=cookie)


def listening(hub: MemoryHub) -> int:
    """Subscribers still able to hear (a dropped one stays registered until its subscription ends)."""
    return len({s for subs in hub._subscribers.values() for s in subs if not s.dropped})


async def overflow(hub: MemoryHub, channel: str, dossier_id: int) -> None:
    """Three messages before the reader wakes up: its one-message queue overflows and it is dropped."""
    for _ in range(3):
        await hub.publish(channel, {"type": "event", "event": 0, "dossier": dossier_id})


@contextlib.asynccontextmanager
async def following(client: GraphQLClient, operation: str, variables: dict | None, **options):
    received: list[dict] = []
    states: list[bool] = []
    task = asyncio.create_task(
        follow(client, operation, variables, received.append, on_reconnecting=states.append, **options)
    )
    try:
        yield received, states, task
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def test_dossier_changed_starts_again_after_the_last_event_received_when_dropped(portal):
    hub = portal.hub
    async with portal.db.session() as session:
        cast = Cast(session, portal.settings)
        owner = await cast.professional()
        dossier = await cast.dossier(owner, DossierStatus.SUBMITTED)
    client = await logged_in(portal, owner)
    gid = encode_id("Dossier", dossier.id)
    channel = dossier_channel(dossier.id)

    async with following(
        client,
        "DossierChanged",
        {"dossierId": gid, "afterEventId": None},
        resume=lambda data: {"afterEventId": data["dossierChanged"]["id"]},
        first_delay=0.05,
    ) as (received, states, task):
        await wait_until_async(lambda: len(received) == 1, what="the history so far")
        assert received[0]["dossierChanged"]["kind"] == "CREATED"
        await wait_until_async(lambda: listening(hub) == 1, what="the subscription listening")

        # A step written while nobody tells the hub (as if its message were among those lost), then the overflow.
        async with portal.db.session() as session:
            missed = DossierEvent(dossier_id=dossier.id, kind="comment", actor_id=owner.id, message="manqué")
            session.add(missed)
            await session.commit()
            missed_id = str(missed.id)
        await overflow(hub, channel, dossier.id)

        # Cut, then open again after the last event received: the missed step arrives, the first one not again.
        await wait_until_async(lambda: len(received) == 2, what="the missed event after the restart")
        assert received[1]["dossierChanged"]["id"] == missed_id
        assert states == [True, False]
        assert not task.done()

        # Live again: a comment through the API reaches the restarted subscription, once.
        added = (await client.execute("AddComment", {"dossierId": gid, "text": "en direct"}))["addComment"]
        await wait_until_async(lambda: len(received) == 3, what="the live event")
        assert received[2]["dossierChanged"]["id"] == added["id"]
        first_id = received[0]["dossierChanged"]["id"]
        assert [r["dossierChanged"]["id"] for r in received] == [first_id, missed_id, added["id"]]

        # Dropped twice: it starts again each time.
        await wait_until_async(lambda: listening(hub) == 1, what="the subscription listening again")
        await overflow(hub, channel, dossier.id)
        await wait_until_async(lambda: states == [True, False, True, False], what="a second restart")
        again = (await client.execute("AddComment", {"dossierId": gid, "text": "encore"}))["addComment"]
        await wait_until_async(lambda: len(received) == 4, what="the event after the second restart")
        # Each event once, in order: a late duplicate of an earlier one would have arrived before this last one.
        assert [r["dossierChanged"]["id"] for r in received] == [first_id, missed_id, added["id"], again["id"]]


async def test_dashboard_changed_starts_again_after_a_resync(portal):
    hub = portal.hub
    async with portal.db.session() as session:
        cast = Cast(session, portal.settings)
        owner = await cast.professional()
        dossier = await cast.dossier(owner, DossierStatus.DRAFT)
    client = await logged_in(portal, owner)

    async with following(
        client,
        "DashboardChanged",
        None,
        restart_when=lambda data: bool(data["dashboardChanged"]["resync"]),
    ) as (received, states, task):
        await wait_until_async(lambda: listening(hub) == 1, what="the subscription listening")
        await overflow(hub, operator_channel(owner.operator_id), dossier.id)
        await wait_until_async(lambda: len(received) == 1, what="the resync")
        assert received[0]["dashboardChanged"]["resync"] is True
        # The UI restarts at once on a resync (a new subscription); the next change reaches it.
        await wait_until_async(lambda: listening(hub) == 1, what="a new subscription")
        gid = encode_id("Dossier", dossier.id)
        await client.execute("AddComment", {"dossierId": gid, "text": "après la reprise"})
        await wait_until_async(lambda: len(received) == 2, what="the change after the resync")
        change = received[1]["dashboardChanged"]
        assert change["resync"] is False
        assert change["dossierId"] == gid
        assert not task.done()
        assert states == []  # restarted at once: never shown as cut


async def test_the_server_keeps_a_dashboard_subscription_after_telling_it_to_resync(portal):
    """An API client that does not restart still hears the changes that follow the resync."""
    hub = portal.hub
    async with portal.db.session() as session:
        cast = Cast(session, portal.settings)
        owner = await cast.professional()
        dossier = await cast.dossier(owner, DossierStatus.DRAFT)
    client = await logged_in(portal, owner)
    async with following(client, "DashboardChanged", None, restart_when=lambda data: False) as (
        received,
        _states,
        task,
    ):
        await wait_until_async(lambda: listening(hub) == 1, what="the subscription listening")
        await overflow(hub, operator_channel(owner.operator_id), dossier.id)
        await wait_until_async(lambda: len(received) == 1, what="the resync")
        assert received[0]["dashboardChanged"]["resync"] is True
        gid = encode_id("Dossier", dossier.id)
        await client.execute("AddComment", {"dossierId": gid, "text": "après la reprise, sans se réabonner"})
        await wait_until_async(lambda: len(received) == 2, what="the change after the resync")
        assert received[1]["dashboardChanged"]["dossierId"] == gid
        assert hub.subscriber_count == 1  # the same subscription all along
        assert not task.done()


async def test_a_refusal_for_good_ends_the_subscription_without_retrying(portal):
    async with portal.db.session() as session:
        cast = Cast(session, portal.settings)
        owner, stranger = await cast.professional(), await cast.professional()
        dossier = await cast.dossier(owner, DossierStatus.SUBMITTED)
    client = await logged_in(portal, stranger)
    async with following(
        client, "DossierChanged", {"dossierId": encode_id("Dossier", dossier.id)}, first_delay=0.05
    ) as (received, states, task):
        await asyncio.wait_for(task, 10)
        assert received == []
        assert states == []
        assert portal.hub.subscriber_count == 0
