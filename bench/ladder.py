"""The speed ladder (issue 15): the reference rows (a bare ASGI app, graphql-core on a pre-parsed document, Strawberry
as it comes and with its caches) and the portal's rows (`me` with a bearer token on 1 and 2 workers, the home
dashboard's `Dashboard` operation for Marie), each served by uvicorn in its own process and loaded by `wrk` (Debian's,
installed when missing) in its own process. The rows are measured in rounds, interleaved, so a change of the
machine's load touches every row alike; each row's figures are the median round's.

    python -m bench.ladder                       # or python -m bench --part ladder
    python -m bench.ladder --seconds 10 --rounds 3 --connections 32

Printed: req/s, p50, p99, and the ratio to the cached Strawberry row; written to results/<date>-ladder.md and .json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from graphql import parse, print_ast
from graphql.language import FragmentDefinitionNode, FragmentSpreadNode, OperationDefinitionNode, visit
from graphql.language.visitor import Visitor

from bench.common import RESULTS_DIR, machine

ROOT = Path(__file__).resolve().parent.parent
MARIE = "marie.durand@ateliers-durand.fr"
DURAND = "55210055400013"
ME = "{ me { name } }"
HELLO = "{ hello }"


def log(message: str) -> None:
    print(message, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        log("== installation de wrk (paquet Debian)")
        subprocess.run(["apt-get", "update", "-qq"], check=False)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "wrk"],
            check=True,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
            stdout=subprocess.DEVNULL,
        )
        found = shutil.which("wrk")
    if not found:
        raise SystemExit("wrk est introuvable : apt-get install wrk")
    return found


def operation_text(path: Path, name: str) -> str:
    """One operation of a .graphql file of the UI, with the fragments it uses."""
    document = parse(path.read_text())
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    operation = next(
        d
        for d in document.definitions
        if isinstance(d, OperationDefinitionNode) and d.name and d.name.value == name
    )
    wanted: list[FragmentDefinitionNode] = []

    class Spreads(Visitor):
        def enter_fragment_spread(self, node: FragmentSpreadNode, *_args) -> None:
            fragment = fragments[node.name.value]
            if fragment not in wanted:
                wanted.append(fragment)
                visit(fragment, self)

    visit(operation, Spreads())
    return "\n".join(print_ast(d) for d in [operation, *wanted])


@dataclass
class Server:
    """One uvicorn in its own process."""

    name: str
    argv: list[str]
    port: int
    env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen | None = None
    log: Any = None
    output_bytes: int = 0  # what it wrote (logs, warnings): a line per request would cost time too
    output_head: str = ""

    def start(self, ready_path: str = "/") -> None:
        # Its output goes to a file: a pipe nobody reads fills up (64 KiB) and then blocks the server mid-request,
        # which wrk measured as a row falling to 0 req/s after some rounds.
        self.log = tempfile.NamedTemporaryFile("w+", prefix=f"ladder-{self.port}-", suffix=".log")
        self.process = subprocess.Popen(
            self.argv,
            cwd=ROOT,
            env={**os.environ, **self.env},
            stdout=self.log,
            stderr=subprocess.STDOUT,
            text=True,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"{self.name} s'est arrêté : {self.tail()}")
            try:
                httpx.get(f"http://127.0.0.1:{self.port}{ready_path}", timeout=1)
                return
            except httpx.HTTPError:
                time.sleep(0.2)
        raise SystemExit(f"{self.name} ne répond pas")

    def tail(self) -> str:
        self.log.seek(0)
        return self.log.read()[-2000:]

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        if self.log is not None:
            self.log.seek(0, os.SEEK_END)
            self.output_bytes = self.log.tell()
            self.log.seek(0)
            self.output_head = self.log.read(600)
            self.log.close()


def uvicorn_app(name: str, factory: str) -> Server:
    port = free_port()
    argv = [sys.executable, "-m", "uvicorn", "--factory", factory, "--port", str(port), "--log-level", "warning"]
    return Server(name, argv, port)


@dataclass
class Row:
    key: str
    label: str
    server: Server
    body: str
    headers: dict[str, str] = field(default_factory=dict)
    path: str = "/graphql"
    rounds: list[dict] = field(default_factory=list)


LUA = """
wrk.method = "POST"
wrk.body = {body}
wrk.headers["Content-Type"] = "application/json"
{headers}
done = function(summary, latency, requests)
  local bad = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout
  io.write(string.format("LADDER %d %d %d %d %d\\n", summary.requests, summary.duration, latency:percentile(50),
    latency:percentile(99), bad))
end
"""


def lua_string(text: str) -> str:
    return json.dumps(text)  # a JSON string literal is a valid Lua string literal for this ASCII text


def run_wrk(wrk: str, row: Row, seconds: int, connections: int, threads: int) -> dict:
    headers = "\n".join(f"wrk.headers[{lua_string(k)}] = {lua_string(v)}" for k, v in row.headers.items())
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA.format(body=lua_string(row.body), headers=headers))
    try:
        result = subprocess.run(
            [wrk, f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", script.name,
             f"http://127.0.0.1:{row.server.port}{row.path}"],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
    finally:
        os.unlink(script.name)
    match = re.search(r"LADDER (\d+) (\d+) (\d+) (\d+) (\d+)", result.stdout)
    if not match:
        raise SystemExit(f"wrk: {result.stdout}\n{result.stderr}")
    requests, duration_us, p50_us, p99_us, bad = map(int, match.groups())
    return {
        "rps": requests / (duration_us / 1e6),
        "p50_ms": p50_us / 1000,
        "p99_ms": p99_us / 1000,
        "errors": bad,
        "requests": requests,
    }


def portal(name: str, workers: int, data_dir: Path, database_url: str | None) -> Server:
    port = free_port()
    env = {
        "DATA_DIR": str(data_dir),
        "SECRET_KEY": "banc-d-essai-" + "x" * 40,
        "PORT": str(port),
        "DEV_OIDC_PORT": str(free_port()),
        "LOG_LEVEL": "WARNING",
        "RATE_LIMIT_MUTATIONS": "1000000/minute",
    }
    if database_url:
        env["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    argv = [str(Path(sys.executable).parent / "soprano"), "serve", "--workers", str(workers)]
    return Server(name, argv, port, env)


def token_for(server: Server, user: str, operator: str | None = None) -> str:
    argv = [str(Path(sys.executable).parent / "soprano"), "token", "create", "--user", user, "--name", "banc"]
    if operator:
        argv += ["--operator", operator]
    result = subprocess.run(argv, cwd=ROOT, env={**os.environ, **server.env}, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"soprano token create: {result.stderr}")
    return result.stdout.strip().splitlines()[-1]


def _ratio(a: float, b: float) -> float:
    return a / b if b else 0.0


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def check(row: Row) -> None:
    """The row answers what it should (a GraphQL error would be measured as fast nonsense)."""
    answer = httpx.post(
        f"http://127.0.0.1:{row.server.port}{row.path}",
        content=row.body,
        headers={"content-type": "application/json", **row.headers},
        timeout=30,
    )
    answer.raise_for_status()
    payload = answer.json()
    if payload.get("errors"):
        raise SystemExit(f"{row.label}: {payload['errors']}")


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(prog="python -m bench.ladder", description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10, help="wrk duration of each row in each round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL") or None)
    args = parser.parse_args(argv)
    wrk = ensure_wrk()
    data_dir = Path(tempfile.mkdtemp(prefix="ladder-"))
    hello = json.dumps({"query": HELLO})
    me = json.dumps({"query": ME})
    dashboard = json.dumps(
        {
            "query": operation_text(ROOT / "ui" / "operations" / "processing.graphql", "Dashboard"),
            "operationName": "Dashboard",
            "variables": {"bucket": "TODO", "sort": "UPDATED_DESC", "first": 20},
        }
    )
    # Each portal its own data (its own development provider, so its own demo users) unless on PostgreSQL.
    one = portal("portail, 1 worker", 1, data_dir / "un", args.database_url)
    two = portal("portail, 2 workers", 2, data_dir / "deux", args.database_url)
    servers = [
        uvicorn_app("bare", "bench.ladder_apps:bare"),
        uvicorn_app("graphql-core", "bench.ladder_apps:graphql_core"),
        uvicorn_app("strawberry", "bench.ladder_apps:strawberry_default"),
        uvicorn_app("strawberry-cached", "bench.ladder_apps:strawberry_cached"),
    ]
    results: dict = {}
    try:
        one.start("/healthz/live")  # migrates and loads the demo data first
        tokens = {"one": (token_for(one, MARIE), token_for(one, MARIE, DURAND))}
        two.start("/healthz/live")
        tokens["two"] = (
            tokens["one"] if args.database_url else (token_for(two, MARIE), token_for(two, MARIE, DURAND))
        )
        for server in servers:
            server.start()
        rows = [
            Row("bare", "ASGI nu, petit JSON", servers[0], hello, path="/"),
            Row("core", "graphql-core, `{ hello }` pré-analysé", servers[1], hello, path="/"),
            Row("strawberry", "Strawberry `{ hello }`, par défaut", servers[2], hello),
            Row("cached", "Strawberry `{ hello }`, ParserCache + ValidationCache", servers[3], hello),
            Row("me1", "portail, `{ me { name } }`, jeton, 1 worker", one, me, bearer(tokens["one"][0])),
            Row("me2", "portail, `{ me { name } }`, jeton, 2 workers", two, me, bearer(tokens["two"][0])),
            Row("dash1", "portail, tableau de bord (Dashboard) de Marie, 1 worker", one, dashboard,
                bearer(tokens["one"][1])),
            Row("dash2", "portail, tableau de bord (Dashboard) de Marie, 2 workers", two, dashboard,
                bearer(tokens["two"][1])),
        ]  # fmt: skip
        for row in rows:
            check(row)
        for number in range(args.rounds):
            log(f"== tour {number + 1}/{args.rounds}")
            for row in rows:
                time.sleep(2)  # the previous row's server finishes what it was given
                measured = run_wrk(wrk, row, args.seconds, args.connections, args.threads)
                row.rounds.append(measured)
                log(f"   {row.label}: {measured['rps']:.0f} req/s, p50 {measured['p50_ms']:.1f} ms, "
                    f"p99 {measured['p99_ms']:.1f} ms, erreurs {measured['errors']}")  # fmt: skip
        for row in rows:
            middle = sorted(row.rounds, key=lambda r: r["rps"])[len(row.rounds) // 2]
            results[row.key] = {"label": row.label, **middle, "all_rps": [r["rps"] for r in row.rounds]}
        ceiling = results["cached"]["rps"]
        for value in results.values():
            value["ratio_to_cached"] = _ratio(value["rps"], ceiling)
    finally:
        for server in [*servers, one, two]:
            server.stop()
        shutil.rmtree(data_dir, ignore_errors=True)
    report = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(args.database_url or "sqlite:///", None),
        "settings": {"seconds": args.seconds, "rounds": args.rounds, "connections": args.connections,
                     "threads": args.threads},
        "rows": results,
        "server_output": {server.name: {"bytes": server.output_bytes, "head": server.output_head}
                          for server in [*servers, one, two]},
        "targets": {
            "me_over_cached": _ratio(results["me1"]["rps"], results["cached"]["rps"]),
            "me_two_over_one": _ratio(results["me2"]["rps"], results["me1"]["rps"]),
            "dashboard_over_me": _ratio(results["dash1"]["rps"], results["me1"]["rps"]),
        },
    }  # fmt: skip
    write(report)
    return report


def markdown(report: dict) -> str:
    lines = [
        f"# Échelle de vitesse — {report['when'][:10]}",
        "",
        f"`python -m bench.ladder` ; wrk -t{report['settings']['threads']} -c{report['settings']['connections']}, "
        f"{report['settings']['seconds']} s par ligne, {report['settings']['rounds']} tours entrelacés (médiane).",
        "",
        "| ligne | req/s | p50 | p99 | erreurs | / Strawberry en cache |",
        "|---|---|---|---|---|---|",
    ]
    for row in report["rows"].values():
        lines.append(
            f"| {row['label']} | {row['rps']:,.0f} | {row['p50_ms']:.1f} ms | {row['p99_ms']:.1f} ms | ".replace(
                ",", " "
            )
            + f"{row['errors']} | {row['ratio_to_cached']:.1%} |"
        )
    t = report["targets"]
    lines += [
        "",
        f"- `me` / Strawberry en cache : **{t['me_over_cached']:.1%}** (cible ≥ 35 %)",
        f"- `me`, 2 workers / 1 worker : **{t['me_two_over_one']:.2f} ×** (cible ≥ 1,7 ×)",
        f"- tableau de bord / `me` : **{t['dashboard_over_me']:.1%}** (cible ≥ 25 %)",
        "",
        "## Machine",
        "",
        "```",
        json.dumps(report["machine"], indent=2, ensure_ascii=False),
        "```",
        "",
    ]
    return "\n".join(lines)


def write(report: dict) -> None:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stem = RESULTS_DIR / f"{report['when'][:10]}-ladder"
    marker = "<!-- analysis -->"
    md_path = stem.with_suffix(".md")
    kept = ""
    if md_path.exists() and marker in md_path.read_text():
        kept = md_path.read_text().split(marker, 1)[1]
    stem.with_suffix(".json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    md_path.write_text(markdown(report) + "\n" + marker + kept)
    log(markdown(report))


if __name__ == "__main__":
    main()
