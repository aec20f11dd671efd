"""Results files: bench/results/<date>-<db>.json (everything measured) and a short markdown table beside it.

Running one part updates that part in the day's file and keeps the others. The markdown is generated, except what
follows the ANALYSIS marker, which is kept from one run to the next (the hand-written reading of the figures).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ANALYSIS = "<!-- analysis: everything below this line is hand-written and kept when the file is regenerated -->"

ACTOR_LABELS = {
    "operator": "opérateur",
    "representative": "représentant (50 opérateurs)",
    "officer": "agent des douanes",
}


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text()) if path.exists() else {}


def save(results: dict[str, Any], json_path: Path, md_path: Path) -> None:
    json_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    kept = ""
    if md_path.exists():
        text = md_path.read_text()
        if ANALYSIS in text:
            kept = text.split(ANALYSIS, 1)[1]
    md_path.write_text(markdown(results) + "\n" + ANALYSIS + (kept or "\n"))


def _fmt(value: Any, digits: int = 1) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _machine(m: dict[str, Any]) -> list[str]:
    packages = ", ".join(f"{k} {v}" for k, v in (m.get("packages") or {}).items() if v)
    return [
        "| Machine | |",
        "|---|---|",
        f"| Date (UTC) | {m.get('date')} |",
        f"| CPU | {m.get('cpu_count')} × {m.get('cpu_model')} |",
        f"| RAM | {_fmt(m.get('ram_mb'))} MB |",
        f"| Load average at start (1, 5, 15 min) | {', '.join(str(x) for x in m.get('load_average_at_start') or [])} |",
        f"| OS | {m.get('os')} |",
        f"| Python | {m.get('python')} |",
        f"| Database | {m.get('database')} |",
        f"| Redis | {m.get('redis') or 'not used'} |",
        f"| Commit | {m.get('git_commit')} |",
        f"| Packages | {packages} |",
    ]


def _data(g: dict[str, Any]) -> list[str]:
    statuses = ", ".join(f"{k} {v}" for k, v in g.get("by_status", {}).items())
    procedures = ", ".join(f"{k} {v}" for k, v in g.get("by_procedure", {}).items())
    seconds = g.get("seconds")
    return [
        "## Data set",
        "",
        f"{g.get('operators')} operators, {g.get('users')} users, {g.get('habilitations')} habilitations, "
        f"{g.get('representations')} mandates, {g.get('dossiers')} dossiers, {g.get('goods_lines')} goods lines, "
        f"{g.get('events')} history events (of which {g.get('comments')} comments); offices "
        f"{', '.join(g.get('offices', []))}.",
        "",
        f"- Statuses: {statuses}.",
        f"- Procedures: {procedures}.",
        f"- Generation: {_fmt(seconds) + ' s' if seconds is not None else 'reused from an earlier run'}.",
    ]


def _dashboard(d: dict[str, Any]) -> list[str]:
    lines = [
        "## Dashboard query (in-process, server time)",
        "",
        f"{d['requests']} requests per actor, bucket and variant (after {d['warmup']} warm-up requests), "
        f"first={d['first']}, variants interleaved request by request. p50 / p95 in ms; « stmts »: SQL statements "
        "per request; « cpu »: mean CPU ms of the process per request (SQLite's work included, PostgreSQL's not). `graphql`: `schema.execute` with a real Context + `json.dumps`; `baseline`: the same SQL "
        "(`load_access` + `dashboards.dashboard`), JSON built by hand; `lean`: hand-written SQL (two counts in one "
        "statement, only the columns shown). *list*: list columns and operator; *home*: plus deadline, available "
        "actions and last editor per row.",
        "",
        "| Actor | Bucket | Visible / in bucket | graphql list | baseline list | lean list | graphql home | "
        "baseline home | lean home | same JSON |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for key, actor in d["actors"].items():
        for bucket, entry in actor["buckets"].items():
            v = entry["variants"]
            cells = [
                f"{_fmt(v[n]['p50_ms'])} / {_fmt(v[n]['p95_ms'])} ms · cpu {_fmt(v[n].get('cpu_mean_ms'))} · "
                f"{_fmt(v[n]['statements'], 0)} stmts"
                for n in (
                    "graphql_list",
                    "baseline_list",
                    "lean_list",
                    "graphql_home",
                    "baseline_home",
                    "lean_home",
                )
            ]
            same = "yes" if all(x["same_json_as_graphql"] for x in v.values()) else "NO"
            lines.append(
                f"| {ACTOR_LABELS.get(key, key)} | {bucket} | {actor['visible_dossiers']} / {entry['total']} | "
                + " | ".join(cells)
                + f" | {same} |"
            )
    lines += [
        "",
        "Where the time goes (mean ms per request, measured inside the driver: execute + fetch): SQL by purpose, "
        "and the rest (Python: GraphQL execution, ORM, JSON). In parentheses: statements per request. The *home* "
        "resolvers run concurrently, so their summed SQL time can exceed the wall time. Last column: new database "
        "connections opened per request (the pool overflowing).",
        "",
        "| Actor | Bucket | Variant | Mean total | SQL | access | counts | page | N+1 (re-read, names) | Python | "
        "new DB connections |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for key, actor in d["actors"].items():
        for bucket, entry in actor["buckets"].items():
            for name in ("graphql_list", "baseline_list", "lean_list", "graphql_home", "baseline_home"):
                v = entry["variants"][name]
                if "sql_by_kind" not in v:
                    continue
                k = v["sql_by_kind"]

                def ms(*kinds: str, k=k) -> str:
                    found = [k[x] for x in kinds if x in k]
                    if not found:
                        return "–"
                    return f"{sum(f['mean_ms'] for f in found):.1f} ({sum(f['statements'] for f in found):g})"

                rest = v["mean_ms"] - v["sql_mean_ms"]
                # Concurrent resolvers: their statements overlap, so the summed SQL time exceeds the wall time.
                python = _fmt(rest) if rest > 0 else "(overlap)"
                lines.append(
                    f"| {ACTOR_LABELS.get(key, key)} | {bucket} | {name} | {_fmt(v['mean_ms'])} | "
                    f"{_fmt(v['sql_mean_ms'])} | {ms('access')} | {ms('counts')} | {ms('page')} | "
                    f"{ms('dossier re-read (deadline)', 'user names')} | {python} | {_fmt(v.get('new_connections'))} |"
                )
    if "whatif" in d:
        w = d["whatif"]
        lines += [
            "",
            f"What-if (not the product): the GraphQL request's count and page statements re-run {w['repeat']} times "
            "each through a synchronous connection (median ms), without and then with the indexes below, created "
            f"on the benchmark database in {_fmt(w.get('build_seconds'))} s and dropped afterwards:",
            "",
            *[f"- `{ddl}`" for ddl in w["indexes"]],
            "",
            "| Case | counts without → with | page without → with | page plan with the indexes |",
            "|---|---|---|---|",
        ]
        for case, c in w["cases"].items():
            actor, bucket = case.split("/")
            analysed = "with_analyze_ms" in c
            plan_lines = c["page_plan_with_analyze" if analysed else "page_plan_with"]
            plan = " ; ".join(line.strip() for line in plan_lines if line.strip())[:300]

            def arrow(kind: str, c=c, analysed=analysed) -> str:
                text = f"{_fmt(c['without_ms'].get(kind))} → {_fmt(c['with_ms'].get(kind))}"
                if analysed:
                    text += f" → {_fmt(c['with_analyze_ms'].get(kind))} (ANALYZE)"
                return text + " ms"

            lines.append(
                f"| {ACTOR_LABELS.get(actor, actor)}, {bucket} | {arrow('counts')} | {arrow('page')} | `{plan}` |"
            )
    lines += ["", "Query plans of the dashboard's page statement (the GraphQL list request):", ""]
    for key, actor in d["actors"].items():
        for bucket, entry in actor["buckets"].items():
            pages = [p for p in entry.get("plans", []) if p["statement"] == "page"]
            if pages:
                plan = pages[0]["plan"]
                shown = [line.strip() for line in plan if line.strip()][:8]
                lines.append(f"- {ACTOR_LABELS.get(key, key)}, {bucket}: `" + " ; ".join(shown)[:600] + "`")
    return lines


def _fanout(f: dict[str, Any]) -> list[str]:
    lines = [
        "## Subscription fan-out (live portal in its own process)",
        "",
        f"{f['clients']} graphql-transport-ws clients subscribed to `commentAdded` on one dossier, one comment "
        f"posted per round ({f['rounds_per_hub']} rounds per hub). Latency: from just before the `addComment` POST "
        f"until a client receives the comment. **{f['note']}** ({f['cpu_count']} CPUs.)",
        "",
        "| Hub | Subscribed | Connect all | Server RSS before → after | Server KB / conn | Round | Delivered | "
        "p50 | p95 | p99 | max | mutation | server CPU | SQL / delivery |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for hub, h in f["hubs"].items():
        for r in h.get("rounds", []):
            lines.append(
                f"| {hub} | {h.get('subscribed')}/{h['clients']} | {_fmt(h.get('connect_seconds'))} s | "
                f"{_fmt(h.get('server_rss_before_mb'))} → {_fmt(h.get('server_rss_connected_mb'))} MB | "
                f"{_fmt(h.get('server_kb_per_connection'))} | {r['round']} | {r['delivered']} | "
                f"{_fmt(r.get('p50_ms'), 0)} ms | {_fmt(r.get('p95_ms'), 0)} ms | {_fmt(r.get('p99_ms'), 0)} ms | "
                f"{_fmt(r.get('max_ms'), 0)} ms | {_fmt(r.get('mutation_ms'), 0)} ms | "
                f"{_fmt(r.get('server_cpu_seconds'), 2)} s | {_fmt(r.get('statements_per_delivery'), 2)} |"
            )
    lines.append("")
    for hub, h in f["hubs"].items():
        lines.append(
            f"- {hub}: connecting and subscribing took {_fmt(h.get('connect_statements_per_client'))} SQL statements "
            f"and {_fmt(h.get('connect_server_cpu_seconds'), 2)} s of server CPU for all clients; client side "
            f"{_fmt(h.get('client_kb_per_connection'))} KB per connection; failed connections "
            f"{h.get('failed')}, error messages {h.get('errors')}, errors in the server log "
            f"{h.get('server_log_errors')}."
        )
    return lines


def markdown(results: dict[str, Any]) -> str:
    db = results.get("database", "?")
    lines = [f"# Benchmarks, {results.get('date', '?')}, {db}", ""]
    lines += _machine(results.get("machine", {}))
    if "generate" in results:
        lines += ["", *_data(results["generate"])]
    if "dashboard" in results:
        lines += ["", *_dashboard(results["dashboard"])]
    if "fanout" in results:
        lines += ["", *_fanout(results["fanout"])]
    if "slow" in results:
        from bench.slow_subscribers import markdown_lines

        lines += ["", *markdown_lines(results["slow"])]
    return "\n".join(lines) + "\n"
