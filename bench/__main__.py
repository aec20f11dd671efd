"""`python -m bench` (or `make bench`): generate the data set if needed, then run the dashboard, fan-out and
slow-subscriber benchmarks, and write bench/results/<date>-<db>.json and .md (the slow subscribers also in
<date>-slow-subscribers.md and .json; run alone, only there).

SQLite (var/bench/bench.db) by default; PostgreSQL when DATABASE_URL (or --database-url) is set — use a dedicated
database whose name contains "bench": its tables are dropped when the data set is generated. With REDIS_URL (or
--redis-url) the fan-out also runs on the Redis hub.

    python -m bench                                   # everything, default sizes
    python -m bench --part dashboard --dossiers 100000
    python -m bench --part fanout --clients 1000 --rounds 3
    python -m bench --part slow --slow-clients 50 200 500 --slow-comments 400
    python -m bench --part ladder                     # the speed ladder alone (wrk; results/<date>-ladder)
    DATABASE_URL=postgresql://postgres@127.0.0.1/bench REDIS_URL=redis://127.0.0.1:6379/0 python -m bench
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time

from bench import report
from bench.common import DEFAULT_SQLITE_URL, RESULTS_DIR, bench_settings, db_kind, machine

PARTS = ("generate", "dashboard", "fanout", "slow", "ladder")


def log(message: str) -> None:
    print(message, flush=True)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--part",
        action="append",
        choices=(*PARTS, "all"),
        help="run only this part (repeatable); default: all. The data set is generated first when missing.",
    )
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL") or DEFAULT_SQLITE_URL)
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL") or None)
    parser.add_argument("--operators", type=int, default=1000)
    parser.add_argument("--dossiers", type=int, default=100_000)
    parser.add_argument("--regenerate", action="store_true", help="generate the data set even if it exists")
    parser.add_argument("--requests", type=int, default=200, help="dashboard requests per actor/bucket/variant")
    parser.add_argument("--first", type=int, default=20, help="dashboard page size")
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument(
        "--no-whatif", action="store_true", help="skip timing the dashboard SQL with the suggested indexes"
    )
    parser.add_argument("--clients", type=int, default=1000, help="fan-out WebSocket clients")
    parser.add_argument("--rounds", type=int, default=3, help="fan-out comments posted, one at a time")
    parser.add_argument(
        "--slow-clients", type=int, nargs="+", default=[50, 200, 500], help="slow subscribers, one run per value"
    )
    parser.add_argument("--slow-comments", type=int, default=400, help="long comments posted to slow subscribers")
    parser.add_argument(
        "--slow-warmup", type=int, help="comments posted before measuring; default: --slow-comments"
    )
    parser.add_argument("--slow-cycles", type=int, default=2, help="slow-subscriber cycles per portal")
    parser.add_argument("--slow-rcvbuf", type=int, default=4096, help="slow subscribers' SO_RCVBUF, bytes")
    parser.add_argument(
        "--slow-mss", type=int, default=1460, help="slow subscribers' TCP_MAXSEG (0: loopback's, about 64 KB)"
    )
    parser.add_argument("--results-dir", default=str(RESULTS_DIR))
    parser.add_argument("--no-write", action="store_true", help="print, do not write results files")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    parts = set(PARTS) if not args.part or "all" in args.part else set(args.part)
    settings = bench_settings(args.database_url, args.redis_url)
    kind = db_kind(args.database_url)
    today = dt.date.today().isoformat()
    json_path = os.path.join(args.results_dir, f"{today}-{kind}.json")
    md_path = os.path.join(args.results_dir, f"{today}-{kind}.md")
    from pathlib import Path

    if "ladder" in parts:
        # The speed ladder first, on a quiet machine: its own servers, data and results file (results/<date>-ladder).
        from bench import ladder

        ladder.main(["--database-url", args.database_url] if args.database_url != DEFAULT_SQLITE_URL else [])
        parts.discard("ladder")
        if not parts:
            return 0
    results = report.load(Path(json_path))
    results.update(date=today, database=kind, machine=machine(args.database_url, args.redis_url))
    log(f"Benchmarks on {results['machine']['database']} ({kind}), parts: {', '.join(sorted(parts))}")

    from bench import generate

    existing = generate.existing_size(settings)
    wanted = (args.operators, args.dossiers)
    if args.regenerate or existing != wanted:
        log(
            f"Generating {args.operators} operators and {args.dossiers} dossiers (found: {existing or 'nothing'})…"
        )
        results["generate"] = generate.generate(
            settings, operators=args.operators, dossiers=args.dossiers, log=log
        )
        log(f"  done in {results['generate']['seconds']} s")
    elif "generate" in parts or "generate" not in results:
        previous = results.get("generate")
        if previous and (previous.get("operators"), previous.get("dossiers")) == wanted:
            log("Data set already generated (timing kept from the earlier run).")
        else:
            results["generate"] = generate.describe(settings)
            log("Data set already generated: reused.")
    results["sizes"] = {"operators": args.operators, "dossiers": args.dossiers}

    if "dashboard" in parts:
        from bench import dashboard

        log(f"Dashboard: {args.requests} requests per actor, bucket and variant…")
        started = time.perf_counter()
        results["dashboard"] = dashboard.run(
            settings,
            requests=args.requests,
            first=args.first,
            warmup=args.warmup,
            whatif=not args.no_whatif,
            log=log,
        )
        results["dashboard"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
        log(f"  done in {time.perf_counter() - started:.0f} s")
    if "fanout" in parts:
        from bench import fanout

        log(
            f"Fan-out: {args.clients} clients, {args.rounds} rounds, hubs: memory{' + redis' if args.redis_url else ''}…"
        )
        results["fanout"] = fanout.run(
            settings, redis_url=args.redis_url, clients=args.clients, rounds=args.rounds, log=log
        )

    if "slow" in parts:
        from bench import slow_subscribers

        log(f"Slow subscribers: {args.slow_clients} clients, {args.slow_comments} comments…")
        results["slow"] = slow_subscribers.run(
            settings,
            clients=args.slow_clients,
            comments=args.slow_comments,
            warmup=args.slow_warmup,
            cycles=args.slow_cycles,
            rcvbuf=args.slow_rcvbuf,
            mss=args.slow_mss,
            log=log,
        )

    if args.no_write:
        print(report.markdown(results))
        return 0
    if "slow" in parts:
        log(f"Written: {slow_subscribers.write_results(results, Path(args.results_dir))} and its .json")
        if parts == {"slow"}:
            return 0  # alone: only its own file, the day's results of the other parts stay as they were
    report.save(results, Path(json_path), Path(md_path))
    log(f"Written: {json_path} and {md_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
