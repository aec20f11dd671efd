"""Slow subscribers: the server's memory per subscriber that reads nothing, measured instead of stated.

The statement (backend/events.py, backend/api/dossiers/processing.py): a slow subscriber costs the server its hub
queue (≤ QUEUE_SIZE small messages), one page of ≤ EVENTS_PAGE events and the socket buffers (uvicorn's transport
pauses writing above 64 KB); once its queue overflows while a send to it is blocked, it is dropped with
SUBSCRIBER_TOO_SLOW.

For each N: a live portal (its own process, as in bench/fanout.py, whose preparation, server and marker trick are
reused), N graphql-transport-ws clients subscribed to `commentAdded` on one dossier, each with a small kernel
receive buffer (SO_RCVBUF), no compression (compressed, repeated text is a few bytes and no send ever blocks) and,
once its subscription is proven registered (the catch-up delivered the warm-up comment), `transport.pause_reading()`:
it reads nothing at all. Then K comments of incompressible random letters are posted over HTTP while the server's
RSS is sampled; then every client reads again and what it received is checked (each comment once, in order).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import itertools
import json
import math
import random
import socket
import string
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from backend.api.dossiers.processing import EVENTS_PAGE
from backend.api.ids import encode_id
from backend.config import PROJECT_ROOT, Settings
from backend.events import QUEUE_SIZE
from bench import report
from bench.common import BENCH_DIR, RESULTS_DIR, raise_open_files_limit, rss_kb
from bench.fanout import (
    ADD_COMMENT,
    SUBSCRIPTION,
    _start_server,
    _stats,
    _stop_server,
    _wait_healthy,
    cleanup,
    free_port,
    prepare,
)

COMMENT_CHARS = 3900  # under the 4,000 of backend/dossiers/processing.py MAX_MESSAGE
PER_TOKEN = 250  # comments posted per API token: under the 300/minute mutation rate limit of each


@dataclass
class SlowClient:
    """One subscriber; `received`: the comment ids it got, in the order it got them."""

    ws: ClientConnection | None = None
    received: list[int] = field(default_factory=list)
    too_slow: bool = False
    ended: str | None = None  # how its subscription ended: "complete", "closed 1011 …", an error
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    done: asyncio.Event = field(default_factory=asyncio.Event)
    progress: asyncio.Event = field(default_factory=asyncio.Event)  # set on every message
    task: asyncio.Task | None = None

    async def open(
        self, port: int, token: str, variables: dict, sizes: tuple[int, int] | None, pause: bool
    ) -> None:
        """`sizes`: (SO_RCVBUF, TCP_MAXSEG) of its socket, set before connecting (the window and the MSS it
        announces); 0 leaves one as the kernel has it."""
        sock = socket.socket()
        rcvbuf, mss = sizes or (0, 0)
        if rcvbuf:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        if mss:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG, mss)
        sock.setblocking(False)
        await asyncio.get_running_loop().sock_connect(sock, ("127.0.0.1", port))
        self.ws = ws = await connect(
            f"ws://127.0.0.1:{port}/graphql",
            sock=sock,
            subprotocols=["graphql-transport-ws"],  # type: ignore[list-item]
            compression=None,
            open_timeout=120,
            ping_interval=None,
            close_timeout=2,
            max_queue=None,
        )
        await ws.send(json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}}))
        ack = json.loads(await asyncio.wait_for(ws.recv(), 120))
        if ack.get("type") != "connection_ack":
            raise RuntimeError(f"no ack: {ack}")
        payload = {"query": SUBSCRIPTION, "variables": variables}
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
        self.task = asyncio.create_task(self._listen())
        await asyncio.wait_for(self.ready.wait(), 180)
        if not self.received:
            raise RuntimeError(f"not subscribed: {self.ended}")
        if pause:
            ws.transport.pause_reading()  # nothing read at all, not even into the library's memory

    async def _listen(self) -> None:
        assert self.ws is not None
        try:
            async for raw in self.ws:
                self.progress.set()
                message = json.loads(raw)
                kind = message.get("type")
                if kind == "next" and (message.get("payload") or {}).get("errors"):
                    errors = message["payload"]["errors"]
                    self.too_slow |= any(
                        (e.get("extensions") or {}).get("code") == "SUBSCRIBER_TOO_SLOW" for e in errors
                    )
                    self.ended = json.dumps(errors)[:200]
                elif kind == "next":
                    self.received.append(int(message["payload"]["data"]["commentAdded"]["id"]))
                    self.ready.set()
                elif kind == "ping":
                    await self.ws.send(json.dumps({"type": "pong"}))
                elif kind in ("complete", "error"):
                    self.ended = kind if self.ended is None else f"{self.ended}, then {kind}"
                    return
        except ConnectionClosed as closed:
            frame = closed.rcvd
            self.ended = f"closed {frame.code} {frame.reason}" if frame else f"closed ({closed})"
        finally:
            self.ready.set()
            self.done.set()
            self.progress.set()

    async def reach(self, event_id: int) -> None:
        """Until it has received `event_id` or its subscription has ended."""
        while not self.done.is_set() and event_id not in self.received:
            self.progress.clear()
            await self.progress.wait()

    async def close(self) -> None:
        if self.ws is not None:
            with contextlib.suppress(Exception):
                self.ws.transport.resume_reading()
            await self.ws.close()
        if self.task is not None:
            self.task.cancel()
            await asyncio.gather(self.task, return_exceptions=True)


def socket_queues_kb(port: int) -> tuple[int, int]:
    """(bytes the kernel holds unacknowledged or unsent on the server's sockets, bytes it holds unread on the
    clients' sockets), in KB, from /proc/net/tcp: kernel memory, not in any process's RSS."""
    server = clients = 0
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, remote, queues = int(fields[1].split(":")[1], 16), int(fields[2].split(":")[1], 16), fields[4]
        tx, rx = (int(x, 16) for x in queues.split(":"))
        if local == port:
            server += tx
        elif remote == port:
            clients += rx
    return server // 1024, clients // 1024


def incompressible(number: int) -> str:
    return f"{number:04d} " + "".join(random.choices(string.ascii_letters, k=COMMENT_CHARS))


async def run_one(
    settings: Settings, *, clients: int, comments: int, warmup: int, cycles: int, sizes: tuple[int, int], log
) -> dict[str, Any]:
    port = free_port()
    log_path = BENCH_DIR / f"server-slow-{clients}.log"
    posts = warmup + 1 + comments * cycles
    setup = await prepare(settings, clients, commenters=math.ceil(posts / PER_TOKEN))
    tokens = iter([token for token in setup.commenter_tokens for _ in range(PER_TOKEN)])
    process = _start_server(settings.database_url, None, port, log_path)
    dossier = encode_id("Dossier", setup.dossier_id)
    slow: list[SlowClient] = []
    result: dict[str, Any] = {"clients": clients, "cycles": []}
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=300) as http:
            await _wait_healthy(http, process, log_path)

            async def post(number: int) -> int:
                body = (
                    await http.post(
                        "/graphql",
                        json={
                            "query": ADD_COMMENT,
                            "variables": {"dossier": dossier, "text": incompressible(number)},
                        },
                        headers={"Authorization": f"Bearer {next(tokens)}"},
                    )
                ).json()
                if body.get("errors"):
                    raise RuntimeError(f"addComment failed: {body['errors']}")
                event_id = int(body["data"]["addComment"]["id"])
                setup.event_ids.append(event_id)
                return event_id

            # Warm-up: one client that reads, `warmup` long comments delivered to it, so that lazy imports, caches
            # and the allocator's growth under posting are not counted per connection.
            warm = SlowClient()
            await warm.open(port, setup.client_tokens[0], {"dossier": dossier, "after": None}, None, pause=False)
            rss_start = rss_kb(process.pid)
            for number in range(warmup + 1):
                marker = await post(-number)
            await asyncio.wait_for(warm.reach(marker), 60)
            await warm.close()
            result["warmup_rss_growth_mb"] = round((rss_kb(process.pid) - rss_start) / 1024, 1)

            for cycle in range(1, cycles + 1):
                await asyncio.sleep(1)
                rss_before = rss_kb(process.pid)
                # Subscribed just before the last comment posted: its catch-up proves the subscription is
                # registered on the hub.
                variables = {"dossier": dossier, "after": str(marker - 1)}
                gate = asyncio.Semaphore(50)
                slow = [SlowClient() for _ in range(clients)]

                async def open_one(client: SlowClient, token: str, variables=variables, gate=gate) -> None:
                    async with gate:
                        await client.open(port, token, variables, sizes, pause=True)

                started = time.perf_counter()
                await asyncio.gather(*(open_one(c, t) for c, t in zip(slow, setup.client_tokens, strict=True)))
                connect_seconds = time.perf_counter() - started
                await asyncio.sleep(1)
                rss_idle = rss_kb(process.pid)
                subscribers = (await _stats(http))["subscribers"]
                log(
                    f"  cycle {cycle}: {clients} slow clients subscribed in {connect_seconds:.1f} s (hub: "
                    f"{subscribers}); server RSS {rss_before // 1024} → {rss_idle // 1024} MB"
                )

                peak = {"rss": rss_idle, "server_kernel_kb": 0, "clients_kernel_kb": 0}
                stop = asyncio.Event()

                async def sample(peak=peak, stop=stop) -> None:
                    while not stop.is_set():
                        peak["rss"] = max(peak["rss"], rss_kb(process.pid))
                        server_kb, clients_kb = socket_queues_kb(port)
                        peak["server_kernel_kb"] = max(peak["server_kernel_kb"], server_kb)
                        peak["clients_kernel_kb"] = max(peak["clients_kernel_kb"], clients_kb)
                        await asyncio.sleep(0.05)

                sampler = asyncio.create_task(sample())
                started = time.perf_counter()
                posted = [await post(number) for number in range(1, comments + 1)]
                marker = posted[-1]
                post_seconds = time.perf_counter() - started
                await asyncio.sleep(1)  # the fan-out of the last comments
                stop.set()
                await sampler
                log(
                    f"  {comments} comments posted in {post_seconds:.1f} s; server RSS peak "
                    f"{peak['rss'] // 1024} MB, kernel send queues {peak['server_kernel_kb']} KB"
                )

                for client in slow:
                    client.ws.transport.resume_reading()  # type: ignore[union-attr]
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(asyncio.gather(*(c.reach(marker) for c in slow)), 120)
                rss_drained = rss_kb(process.pid)
                await asyncio.gather(*(c.close() for c in slow))
                await asyncio.sleep(2)
                rss_closed = rss_kb(process.pid)

                wanted = set(posted)
                got = [[i for i in c.received if i in wanted] for c in slow]
                disordered = sum(1 for ids in got if any(a >= b for a, b in itertools.pairwise(ids)))
                counts = [len(ids) for ids in got]
                endings: dict[str, int] = {}
                for c in slow:
                    key = "SUBSCRIBER_TOO_SLOW" if c.too_slow else (c.ended or "still subscribed")
                    endings[key] = endings.get(key, 0) + 1
                entry = {
                    "cycle": cycle,
                    "connect_seconds": round(connect_seconds, 1),
                    "post_seconds": round(post_seconds, 1),
                    "server_rss_before_mb": round(rss_before / 1024, 1),
                    "server_rss_idle_mb": round(rss_idle / 1024, 1),
                    "server_rss_peak_mb": round(peak["rss"] / 1024, 1),
                    "server_rss_drained_mb": round(rss_drained / 1024, 1),
                    "server_rss_closed_mb": round(rss_closed / 1024, 1),
                    "idle_kb_per_connection": round((rss_idle - rss_before) / clients, 1),
                    "peak_kb_per_slow_connection": round((peak["rss"] - rss_idle) / clients, 1),
                    "server_kernel_send_queue_peak_kb": peak["server_kernel_kb"],
                    "clients_kernel_receive_queue_peak_kb": peak["clients_kernel_kb"],
                    "dropped": sum(c.too_slow for c in slow),
                    "received_all": sum(1 for n in counts if n == comments),
                    "received_min": min(counts),
                    "received_max": max(counts),
                    "endings": endings,
                    "not_increasing": disordered,
                    "hub_subscribers_idle": subscribers,
                    "hub_subscribers_after_close": (await _stats(http))["subscribers"],
                }
                result["cycles"].append(entry)
                log(
                    f"  dropped {entry['dropped']}/{clients}, received {min(counts)}–{max(counts)} of {comments}; "
                    f"server RSS drained {rss_drained // 1024} MB, closed {rss_closed // 1024} MB; {endings}"
                )
                assert disordered == 0, f"{disordered} clients received a comment twice or out of order"
    finally:
        await asyncio.gather(*(c.close() for c in slow), return_exceptions=True)
        _stop_server(process)
        await cleanup(settings, setup)
    text = log_path.read_text(errors="replace") if log_path.exists() else ""
    result["server_log_errors"] = sum(1 for line in text.splitlines() if " ERROR " in line or "Traceback" in line)
    result["server_log"] = str(log_path.relative_to(PROJECT_ROOT))
    return result


def run(
    settings: Settings,
    *,
    clients: list[int],
    comments: int = 400,
    warmup: int | None = None,
    cycles: int = 2,
    rcvbuf: int = 4096,
    mss: int = 1460,
    log=print,
) -> dict:
    """One portal per N in `clients`: `warmup` comments (default: `comments`), then `cycles` times N slow clients
    and `comments` comments (the second cycle: is the memory of the first reused?). `mss` 0: loopback's (≈ 64 KB:
    the kernel then sizes each server socket's send buffer in megabytes, and nothing blocks for long)."""
    raise_open_files_limit(max(clients) * 2 + 256)
    warmup = comments if warmup is None else warmup

    async def all_sizes() -> dict:
        runs = {}
        for n in clients:
            log(f"  {n} clients, {warmup} + {comments} comments of {COMMENT_CHARS} random letters…")
            runs[str(n)] = await run_one(
                settings, clients=n, comments=comments, warmup=warmup, cycles=cycles, sizes=(rcvbuf, mss), log=log
            )
        return runs

    return {
        "comments": comments,
        "warmup_comments": warmup,
        "cycles": cycles,
        "comment_chars": COMMENT_CHARS,
        "rcvbuf": rcvbuf,
        "mss": mss,
        "queue_size": QUEUE_SIZE,
        "events_page": EVENTS_PAGE,
        "runs": asyncio.run(all_sizes()),
    }


def markdown_lines(s: dict[str, Any]) -> list[str]:
    lines = [
        "## Slow subscribers (live portal in its own process)",
        "",
        f"N graphql-transport-ws clients on `commentAdded` of one dossier (one portal per N), SO_RCVBUF "
        f"{s['rcvbuf']} B and TCP_MAXSEG {s['mss'] or 'of loopback'}, no compression, reading paused once "
        f"subscribed; {s['comments']} comments of {s['comment_chars']} random letters posted over HTTP, after "
        f"{s['warmup_comments']} delivered to one reading client (warm-up); {s['cycles']} cycles per portal (N "
        f"clients, the comments, all closed); hub queue {s['queue_size']}, events page {s['events_page']}. Idle: "
        "(RSS with the N connected and idle − before them) / N; peak: (the highest RSS sampled every 50 ms while "
        "posting − idle) / N. Kernel: the largest sum of the server sockets' send queues (/proc/net/tcp), memory "
        "that is in no process's RSS.",
        "",
        "| N | cycle | idle KB / conn | peak KB / slow conn | kernel send queues (per conn) | dropped "
        "(SUBSCRIBER_TOO_SLOW) | received min / max | RSS before → idle → peak → drained → closed | posting |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for n, run in s["runs"].items():
        for r in run["cycles"]:
            kernel = r["server_kernel_send_queue_peak_kb"]
            lines.append(
                f"| {n} | {r['cycle']} | {r['idle_kb_per_connection']} | {r['peak_kb_per_slow_connection']} | "
                f"{kernel} KB ({kernel / int(n):.0f}) | {r['dropped']} | {r['received_min']} / "
                f"{r['received_max']} | {r['server_rss_before_mb']} → {r['server_rss_idle_mb']} → "
                f"{r['server_rss_peak_mb']} → {r['server_rss_drained_mb']} → {r['server_rss_closed_mb']} MB | "
                f"{r['post_seconds']} s |"
            )
    lines.append("")
    for n, run in s["runs"].items():
        details = "; ".join(
            f"cycle {r['cycle']}: connected in {r['connect_seconds']} s, endings "
            + ", ".join(f"{k}: {v}" for k, v in r["endings"].items())
            + f", received out of order or twice {r['not_increasing']}, hub subscribers "
            f"{r['hub_subscribers_idle']} idle → {r['hub_subscribers_after_close']} after close"
            for r in run["cycles"]
        )
        lines.append(
            f"- N={n}: the warm-up grew the RSS by {run['warmup_rss_growth_mb']} MB; {details}; errors in the "
            f"server log {run['server_log_errors']}."
        )
    return lines


def write_results(results: dict[str, Any], directory: Path = RESULTS_DIR) -> Path:
    """<date>-slow-subscribers.md (machine, figures; what follows the analysis marker is kept: hand-written) and
    .json beside it (everything measured)."""
    path = directory / f"{dt.date.today().isoformat()}-slow-subscribers.md"
    kept = {k: results[k] for k in ("date", "database", "machine", "slow")}
    path.with_suffix(".json").write_text(json.dumps(kept, indent=2, ensure_ascii=False) + "\n")
    text = "\n".join(
        [
            f"# Slow subscribers, {dt.date.today().isoformat()}, {results['database']}",
            "",
            *report._machine(results["machine"]),
            "",
            *markdown_lines(results["slow"]),
        ]
    )
    kept = (
        path.read_text().split(report.ANALYSIS, 1)[1]
        if path.exists() and report.ANALYSIS in path.read_text()
        else ""
    )
    path.write_text(text + "\n\n" + report.ANALYSIS + (kept or "\n"))
    return path


__all__ = ["markdown_lines", "run", "write_results"]
