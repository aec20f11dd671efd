"""Subscription fan-out: a live portal (its own process, `python -m bench.server`), N graphql-transport-ws clients
(the `websockets` library, one asyncio loop) subscribed to `commentAdded` on ONE dossier, one comment posted over
HTTP, and the time until every client has it; the server's resident memory before and after the clients connect.

Each client authenticates with its own API token (created with `backend.identity.tokens.create_token` for a user
who may read the dossier: the operator's administrator and collaborators, and the officers of its office), passed
in `connection_init` as {"Authorization": "Bearer …"}. It subscribes with `afterEventId` just before a marker
comment written beforehand, so that the catch-up from the history delivers that marker: receiving it proves the
subscription is registered on the hub. Then, per round, one comment is posted (`addComment`, bearer token of the
operator's administrator) and the time from just before the POST until each client receives it is recorded.

The clients and the server share the machine (and its CPU cores): the delivery times include the clients' own work.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
from sqlmodel import delete, select
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from backend.api.ids import encode_id
from backend.config import PROJECT_ROOT, Settings
from backend.db import Database
from backend.dossiers import processing
from backend.dossiers.models import Dossier, DossierEvent, DossierStatus
from backend.identity.actor import Actor
from backend.identity.models import AccountKind, Habilitation, Right, User
from backend.identity.policy import load_access
from backend.identity.tokens import ApiToken, create_token
from bench.common import BENCH_DIR, TARGETS, cpu_seconds, percentile, raise_open_files_limit, rss_kb

TOKEN_NAME = "bench-fanout"
SUBSCRIPTION = (
    "subscription Comments($dossier: ID!, $after: ID) {"
    " commentAdded(dossierId: $dossier, afterEventId: $after) { id kind message actorName actorSide at } }"
)
ADD_COMMENT = (
    "mutation Comment($dossier: ID!, $text: String!) { addComment(dossierId: $dossier, text: $text) { id at } }"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- preparation (in this process, through the domain services) ---------------------------------------------


@dataclass
class Setup:
    dossier_id: int
    dossier_reference: str
    marker_event_id: int
    client_tokens: list[str]
    commenter_token: str
    readers: dict[str, int]
    event_ids: list[int] = field(default_factory=list)
    commenter_tokens: list[str] = field(default_factory=list)  # commenter_token first; one rate limit each


async def prepare(settings: Settings, clients: int, commenters: int = 1) -> Setup:
    db = Database(settings)  # no hub: nothing is published from here
    try:
        async with db.session() as session:
            commenter = (await session.exec(select(User).where(User.subject == TARGETS.commenter))).one()
            operator_id = commenter.operator_id
            dossier = (
                await session.exec(
                    select(Dossier)
                    .where(
                        Dossier.operator_id == operator_id,
                        Dossier.status == DossierStatus.ACCEPTED,
                        Dossier.customs_office == TARGETS.office,
                    )
                    .order_by(Dossier.updated_at.desc())
                    .limit(1)
                )
            ).one()
            # Everyone who may read it: the operator's users with a right (the administrator has them all) and
            # the officers of its office.
            habilitated = (
                await session.exec(
                    select(User, Habilitation.right)
                    .join(Habilitation, Habilitation.user_id == User.id)
                    .where(Habilitation.operator_id == operator_id, Habilitation.revoked_at.is_(None))
                )
            ).all()
            officers = (
                await session.exec(
                    select(User).where(
                        User.kind == AccountKind.CUSTOMS_OFFICER, User.customs_office == TARGETS.office
                    )
                )
            ).all()
            readers: list[tuple[User, Right | None]] = [(commenter, Right.SUBMIT)]
            readers += [(u, Right(r)) for u, r in habilitated]
            readers += [(u, None) for u in officers]
            tokens = []
            for number in range(clients):
                user, right = readers[number % len(readers)]
                professional = user.kind is AccountKind.PROFESSIONAL
                _, raw = await create_token(
                    session,
                    user,
                    name=TOKEN_NAME,
                    operator_id=operator_id if professional else None,
                    right=right if professional else None,
                )
                tokens.append(raw)
            commenter_tokens = [
                (
                    await create_token(
                        session, commenter, name=TOKEN_NAME, operator_id=operator_id, right=Right.SUBMIT
                    )
                )[1]
                for _ in range(commenters)
            ]
            access = await load_access(session, Actor(user=commenter, via="session"))
            marker = await processing.comment(
                session, access, dossier.id, "Repère de la mesure de diffusion (benchmark)."
            )
            kinds: dict[str, int] = {}
            for user, _right in readers:
                kind = "officer" if user.kind is AccountKind.CUSTOMS_OFFICER else "operator user"
                kinds[kind] = kinds.get(kind, 0) + 1
            return Setup(
                dossier_id=dossier.id,  # type: ignore[arg-type]
                dossier_reference=dossier.reference,
                marker_event_id=marker.id,  # type: ignore[arg-type]
                client_tokens=tokens,
                commenter_token=commenter_tokens[0],
                readers=kinds,
                event_ids=[marker.id],  # type: ignore[list-item]
                commenter_tokens=commenter_tokens,
            )
    finally:
        await db.dispose()


async def cleanup(settings: Settings, setup: Setup | None) -> None:
    """Remove the benchmark's tokens and comments: the data set stays the same from one run to the next."""
    db = Database(settings)
    try:
        async with db.session() as session:
            await session.exec(delete(ApiToken).where(ApiToken.name == TOKEN_NAME))
            if setup is not None and setup.event_ids:
                await session.exec(delete(DossierEvent).where(DossierEvent.id.in_(setup.event_ids)))
            await session.commit()
    finally:
        await db.dispose()


# --- the clients ------------------------------------------------------------------------------------------------


@dataclass
class Clients:
    url: str
    dossier_gid: str
    after: str
    arrivals: dict[int, list[float]] = field(default_factory=dict)
    ready: int = 0
    failed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    sockets: list[ClientConnection] = field(default_factory=list)
    tasks: list[asyncio.Task] = field(default_factory=list)
    arrived: asyncio.Event = field(default_factory=asyncio.Event)

    async def wait_for_all(self, event_id: int, seconds: float) -> None:
        """Until every subscribed client has received `event_id` (or `seconds`)."""
        deadline = time.monotonic() + seconds
        while len(self.arrivals.get(event_id, [])) < self.ready:
            self.arrived.clear()
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.arrived.wait(), remaining)

    async def open(self, token: str, gate: asyncio.Semaphore) -> None:
        async with gate:
            try:
                ws = await connect(
                    self.url,
                    subprotocols=["graphql-transport-ws"],  # type: ignore[list-item]
                    open_timeout=120,
                    ping_interval=None,
                    close_timeout=2,
                    max_queue=None,
                )
            except Exception as error:
                self.failed.append(f"connect: {type(error).__name__}: {error}")
                return
            self.sockets.append(ws)
            try:
                await ws.send(
                    json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}})
                )
                ack = json.loads(await asyncio.wait_for(ws.recv(), 120))
                if ack.get("type") != "connection_ack":
                    raise RuntimeError(f"no ack: {ack}")
                await ws.send(
                    json.dumps(
                        {
                            "id": "1",
                            "type": "subscribe",
                            "payload": {
                                "query": SUBSCRIPTION,
                                "variables": {"dossier": self.dossier_gid, "after": self.after},
                            },
                        }
                    )
                )
            except Exception as error:
                self.failed.append(f"init: {type(error).__name__}: {error}")
                return
            ready = asyncio.Event()
            self.tasks.append(asyncio.create_task(self._listen(ws, ready)))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(ready.wait(), 180)

    async def _listen(self, ws: ClientConnection, ready: asyncio.Event) -> None:
        try:
            async for raw in ws:
                now = time.perf_counter()
                message = json.loads(raw)
                kind = message.get("type")
                if kind == "next":
                    payload = message.get("payload") or {}
                    if payload.get("errors"):
                        self.errors.append(json.dumps(payload["errors"])[:300])
                        continue
                    event_id = int(payload["data"]["commentAdded"]["id"])
                    self.arrivals.setdefault(event_id, []).append(now)
                    self.arrived.set()
                    if not ready.is_set():
                        self.ready += 1
                        ready.set()
                elif kind == "ping":
                    await ws.send(json.dumps({"type": "pong"}))
                elif kind in ("error", "complete"):
                    self.errors.append(f"{kind}: {json.dumps(message)[:300]}")
                    ready.set()
                    return
        except ConnectionClosed as closed:
            if not ready.is_set():
                self.failed.append(f"closed: {closed}")
                ready.set()

    async def close(self) -> None:
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*(ws.close() for ws in self.sockets), return_exceptions=True)
        await asyncio.gather(*self.tasks, return_exceptions=True)


# --- one hub ----------------------------------------------------------------------------------------------------


def _start_server(database_url: str, redis_url: str | None, port: int, log_path) -> subprocess.Popen:
    command = [sys.executable, "-m", "bench.server", "--database-url", database_url, "--port", str(port)]
    if redis_url:
        command += ["--redis-url", redis_url, "--redis-prefix", f"soprano-bench-{os.getpid()}:"]
    log = open(log_path, "w")
    return subprocess.Popen(command, cwd=PROJECT_ROOT, stdout=log, stderr=subprocess.STDOUT, env=os.environ.copy())


def _stop_server(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


async def _wait_healthy(http: httpx.AsyncClient, process: subprocess.Popen, log_path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the portal exited ({process.returncode}); see {log_path}")
        with contextlib.suppress(httpx.HTTPError):
            if (await http.get("/healthz")).status_code == 200:
                return
        await asyncio.sleep(0.2)
    raise RuntimeError(f"the portal did not start; see {log_path}")


async def _stats(http: httpx.AsyncClient) -> dict[str, Any]:
    return (await http.get("/__bench/stats")).json()


def _latencies(arrivals: list[float], started: float) -> dict[str, float]:
    ms = [(t - started) * 1000 for t in arrivals]
    if not ms:
        return {}
    return {
        "p50_ms": round(percentile(ms, 50), 1),
        "p95_ms": round(percentile(ms, 95), 1),
        "p99_ms": round(percentile(ms, 99), 1),
        "max_ms": round(max(ms), 1),
        "first_ms": round(min(ms), 1),
    }


async def run_hub(settings: Settings, *, hub: str, redis_url: str | None, clients: int, rounds: int, log) -> dict:
    port = free_port()
    log_path = BENCH_DIR / f"server-{hub}.log"
    setup = await prepare(settings, clients)
    process = _start_server(settings.database_url, redis_url if hub == "redis" else None, port, log_path)
    result: dict[str, Any] = {
        "hub": hub,
        "clients": clients,
        "dossier": setup.dossier_reference,
        "readers": setup.readers,
        "server_log": str(log_path.relative_to(PROJECT_ROOT)),
    }
    state = Clients(
        url=f"ws://127.0.0.1:{port}/graphql",
        dossier_gid=encode_id("Dossier", setup.dossier_id),
        after=str(setup.marker_event_id - 1),
    )
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=300) as http:
            await _wait_healthy(http, process, log_path)
            # Warm-up: one client through the whole path, so that lazy imports and caches are not counted as
            # per-connection memory.
            warm = Clients(url=state.url, dossier_gid=state.dossier_gid, after=state.after)
            await warm.open(setup.client_tokens[0], asyncio.Semaphore(1))
            await warm.close()
            await asyncio.sleep(1)
            rss_before = rss_kb(process.pid)
            client_rss_before = rss_kb()
            stats_before = await _stats(http)
            started = time.perf_counter()
            cpu_before = cpu_seconds(process.pid)
            gate = asyncio.Semaphore(50)
            await asyncio.gather(*(state.open(token, gate) for token in setup.client_tokens))
            connect_seconds = time.perf_counter() - started
            connect_cpu = cpu_seconds(process.pid) - cpu_before
            await asyncio.sleep(1)
            stats_connected = await _stats(http)
            rss_connected = rss_kb(process.pid)
            log(
                f"  {hub}: {state.ready}/{clients} subscribed in {connect_seconds:.1f} s; server RSS "
                f"{rss_before // 1024} → {rss_connected // 1024} MB; failed {len(state.failed)}"
            )
            result.update(
                subscribed=state.ready,
                connect_seconds=round(connect_seconds, 2),
                connect_server_cpu_seconds=round(connect_cpu, 2),
                connect_statements_per_client=round(
                    (stats_connected["statements"] - stats_before["statements"]) / max(1, state.ready), 1
                ),
                hub_subscribers=stats_connected["subscribers"],
                redis_prefix=stats_connected.get("redis_prefix"),
                server_rss_before_mb=round(rss_before / 1024, 1),
                server_rss_connected_mb=round(rss_connected / 1024, 1),
                server_kb_per_connection=round((rss_connected - rss_before) / max(1, state.ready), 1),
                client_kb_per_connection=round((rss_kb() - client_rss_before) / max(1, state.ready), 1),
                rounds=[],
            )
            headers = {"Authorization": f"Bearer {setup.commenter_token}"}
            for number in range(1, rounds + 1):
                await asyncio.sleep(1)
                stats = await _stats(http)
                cpu = cpu_seconds(process.pid)
                started = time.perf_counter()
                response = await http.post(
                    "/graphql",
                    json={
                        "query": ADD_COMMENT,
                        "variables": {"dossier": state.dossier_gid, "text": f"Commentaire {number} (benchmark)."},
                    },
                    headers=headers,
                )
                mutation_ms = (time.perf_counter() - started) * 1000
                body = response.json()
                if body.get("errors"):
                    raise RuntimeError(f"addComment failed: {body['errors']}")
                event_id = int(body["data"]["addComment"]["id"])
                setup.event_ids.append(event_id)
                await state.wait_for_all(event_id, 180)
                all_seconds = time.perf_counter() - started
                # The last subscribers may still be re-reading: wait for the server to be idle before counting.
                await asyncio.sleep(0.5)
                after = await _stats(http)
                arrivals = state.arrivals.get(event_id, [])
                delivered = len(arrivals)
                entry = {
                    "round": number,
                    "delivered": delivered,
                    "mutation_ms": round(mutation_ms, 1),
                    "all_delivered_ms": round(all_seconds * 1000, 1) if delivered == state.ready else None,
                    **_latencies(arrivals, started),
                    "server_cpu_seconds": round(cpu_seconds(process.pid) - cpu, 2),
                    "statements": after["statements"] - stats["statements"],
                    "statements_per_delivery": round(
                        (after["statements"] - stats["statements"]) / max(1, delivered), 2
                    ),
                    "pool_after": after["pool"],
                }
                result["rounds"].append(entry)
                log(
                    f"    round {number}: {delivered}/{state.ready} delivered; p50 {entry.get('p50_ms')} ms, "
                    f"p95 {entry.get('p95_ms')} ms, p99 {entry.get('p99_ms')} ms, max {entry.get('max_ms')} ms; "
                    f"{entry['statements']} SQL statements"
                )
            result["server_rss_after_mb"] = round(rss_kb(process.pid) / 1024, 1)
            result["failed"] = len(state.failed)
            result["failures_sample"] = state.failed[:5]
            result["errors"] = len(state.errors)
            result["errors_sample"] = state.errors[:5]
    finally:
        await state.close()
        _stop_server(process)
        await cleanup(settings, setup)
    text = log_path.read_text(errors="replace") if log_path.exists() else ""
    result["server_log_errors"] = sum(1 for line in text.splitlines() if " ERROR " in line or "Traceback" in line)
    return result


async def run_async(settings: Settings, *, redis_url: str | None, clients: int, rounds: int, log) -> dict:
    limit = raise_open_files_limit(clients * 2 + 256)
    results: dict[str, Any] = {
        "clients": clients,
        "rounds_per_hub": rounds,
        "open_files_limit": limit,
        "cpu_count": os.cpu_count(),
        "note": "Server and clients run on the same machine and share its CPU cores.",
        "hubs": {},
    }
    hubs = ["memory"] + (["redis"] if redis_url else [])
    for hub in hubs:
        results["hubs"][hub] = await run_hub(
            settings, hub=hub, redis_url=redis_url, clients=clients, rounds=rounds, log=log
        )
    return results


def run(settings: Settings, *, redis_url: str | None, clients: int = 1000, rounds: int = 3, log=print) -> dict:
    return asyncio.run(run_async(settings, redis_url=redis_url, clients=clients, rounds=rounds, log=log))


__all__ = ["run"]
