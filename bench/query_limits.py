"""`python -m bench.query_limits`: what the abusive documents of the hardening review (issue 12) cost the server now
that they are refused before they run — in-process through `schema.execute` as an anonymous client, CPU time per
document (median and p99 of N runs), beside the figures measured before the limits existed. Writes
bench/results/<date>-query-limits.md (and prints it)."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import statistics
import time
from types import SimpleNamespace

from bench.common import DEFAULT_SQLITE_URL, RESULTS_DIR, bench_settings, machine


def documents() -> dict[str, tuple[str, str]]:
    """name → (document, CPU time measured before the limits, from the issue)."""
    bomb = ["query Q { ...F0 }"]
    for level in range(20):
        bomb.append(f"fragment F{level} on Query {{ a: __typename ...F{level + 1} ...F{level + 1} }}")
    bomb.append("fragment F20 on Query { __typename }")
    chain = "query Q { ...F0 } " + " ".join(f"fragment F{i} on Query {{ ...F{i + 1} }}" for i in range(300))
    chain += " fragment F300 on Query { __typename }"
    item = "items { dossier { id reference status } operator { id legalName } }"
    return {
        "808-byte fragment bomb (2^20 fields)": (" ".join(bomb), "4 s"),
        "1,000 aliases of dossier(id:)": (
            "{ " + " ".join(f'd{i}: dossier(id: "RG9zc2llcjox") {{ id }}' for i in range(1000)) + " }",
            "8.6 s",
        ),
        "100 aliases of dashboard(first: 100)": (
            "{ " + " ".join(f"p{i}: dashboard(first: 100) {{ totalCount {item} }}" for i in range(100)) + " }",
            "5.8 s",
        ),
        "15 aliases of dashboard(first: 100) (under the alias limit: refused by its cost)": (
            "{ " + " ".join(f"p{i}: dashboard(first: 100) {{ totalCount {item} }}" for i in range(15)) + " }",
            "—",
        ),
        "1.1 MB, 60,000 aliases": ("{ " + " ".join(f"a{i}: __typename" for i in range(60_000)) + " }", "5.4 s"),
        "chain of 300 fragments": (chain, "« maximum recursion depth exceeded »"),
    }


async def measure(runs: int) -> list[dict]:
    from backend.api.schema import schema

    settings = bench_settings(DEFAULT_SQLITE_URL)
    context = SimpleNamespace(portal=SimpleNamespace(settings=settings, limiter=None))
    rows = []
    for name, (document, before) in documents().items():
        times, codes = [], set()
        for _ in range(runs):
            started = time.process_time()
            result = await schema.execute(document, context_value=context)
            times.append(time.process_time() - started)
            codes |= {(e.extensions or {}).get("code") for e in result.errors or []}
        times.sort()
        rows.append({
            "document": name,
            "bytes": len(document.encode()),
            "answer": ", ".join(sorted(str(c) for c in codes)),
            "median_ms": round(statistics.median(times) * 1000, 2),
            "p99_ms": round(times[min(len(times) - 1, int(len(times) * 0.99))] * 1000, 2),
            "before": before,
        })  # fmt: skip
    return rows


def markdown(rows: list[dict], runs: int, where: dict) -> str:
    lines = [
        f"# Abusive GraphQL documents, refused before they run ({dt.date.today().isoformat()})",
        "",
        f"`python -m bench.query_limits --runs {runs}`: in-process `schema.execute`, anonymous, CPU time "
        "(`time.process_time`) per document, default limits (2,000 tokens, depth 10, 20 aliases, cost 10,000). "
        f"Machine: {where['cpu_count']} CPU ({where['cpu_model']}), {where['ram_mb']} MB, Python {where['python']}, "
        f"load at start {where['load_average_at_start']}, commit {where['git_commit']}.",
        "",
        "| document | bytes | answer | CPU median | CPU p99 | before the limits |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row['document']} | {row['bytes']:,} | {row['answer']} | {row['median_ms']} ms | {row['p99_ms']} ms "
            f"| {row['before']} |"
        )
    lines += [
        "",
        "Most of what is left is graphql-core's parser reading the document up to the token limit (the 1.1 MB "
        "document is refused at its 2,001st token: the rest is never read) and the measure itself, linear in the "
        "document's size (each fragment measured once). Over HTTP, reading the request body adds to this.",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.query_limits", description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    rows = asyncio.run(measure(args.runs))
    text = markdown(rows, args.runs, machine(DEFAULT_SQLITE_URL, None))
    print(text)
    if not args.no_write:
        path = RESULTS_DIR / f"{dt.date.today().isoformat()}-query-limits.md"
        path.write_text(text)
        print(f"Written: {path}")


if __name__ == "__main__":
    main()
