"""What every part of the benchmarks shares: settings, the database to use, the machine, statistics, RSS."""

from __future__ import annotations

import datetime as dt
import os
import platform
import resource
import sqlite3
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata as importlib_metadata
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event

from backend.config import PROJECT_ROOT, Settings, to_sync_url
from backend.db import create_sync_engine_for

BENCH_DIR = PROJECT_ROOT / "var" / "bench"
RESULTS_DIR = Path(__file__).resolve().parent / "results"
DEFAULT_SQLITE_URL = f"sqlite:///{BENCH_DIR / 'bench.db'}"
# The generated users log in through no identity provider: this issuer only names them.
BENCH_ISSUER = "https://idp.bench.invalid"
OFFICER_ISSUER = "https://agents.bench.invalid"


def db_kind(url: str) -> str:
    return "sqlite" if url.startswith("sqlite") else "postgresql"


def bench_settings(
    database_url: str, redis_url: str | None = None, issuer: str = BENCH_ISSUER, redis_prefix: str | None = None
) -> Settings:
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    extra = {"redis_channel_prefix": redis_prefix} if redis_prefix else {}
    return Settings(
        **extra,
        env="dev",
        data_dir=BENCH_DIR,
        database_url=database_url,
        redis_url=redis_url,
        secret_key="bench-secret-key-not-for-production",  # noqa: S106 - a local benchmark, not a secret
        oidc_issuer=issuer,
    )


def database_name(url: str) -> str:
    return sa.engine.make_url(to_sync_url(url)).database or ""


def check_disposable(url: str) -> None:
    """The generator drops every table: refuse a PostgreSQL database that is not obviously a benchmark one."""
    if db_kind(url) == "postgresql" and "bench" not in database_name(url):
        raise SystemExit(
            f"Refusing to reset the PostgreSQL database {database_name(url)!r}: use a dedicated one whose name "
            "contains 'bench' (createdb -h 127.0.0.1 -U postgres bench)."
        )


# --- statistics -----------------------------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of a non-empty list."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def summary_ms(seconds: list[float]) -> dict[str, float]:
    ms = [s * 1000 for s in seconds]
    return {
        "n": len(ms),
        "p50_ms": round(percentile(ms, 50), 3),
        "p95_ms": round(percentile(ms, 95), 3),
        "p99_ms": round(percentile(ms, 99), 3),
        "mean_ms": round(sum(ms) / len(ms), 3) if ms else float("nan"),
        "max_ms": round(max(ms), 3) if ms else float("nan"),
    }


# --- SQL statements ------------------------------------------------------------------------------------------


class StatementCounter:
    """Counts the statements an engine sends and the time they take (`before_cursor_execute` to
    `after_cursor_execute`, which with the asyncio drivers includes fetching the rows), optionally by kind and
    optionally keeping them."""

    def __init__(self, sync_engine: sa.Engine, classify: Callable[[str], str] | None = None) -> None:
        self.count = 0
        self.connects = 0  # new DBAPI connections opened (a pool overflowing opens and closes them per use)
        self.seconds = 0.0
        self.by_kind: dict[str, list[float]] = {}  # kind → [statements, seconds]
        self.recording: list[tuple[str, object]] | None = None
        self._classify = classify
        self._engine = sync_engine
        event.listen(sync_engine, "before_cursor_execute", self._before)
        event.listen(sync_engine, "after_cursor_execute", self._after)
        event.listen(sync_engine, "connect", self._connect)

    def _connect(self, dbapi_connection, record) -> None:
        self.connects += 1

    def _before(self, conn, cursor, statement, parameters, context, executemany) -> None:
        self.count += 1
        if self.recording is not None:
            self.recording.append((statement, parameters))
        conn.info["bench_started"] = time.perf_counter()

    def _after(self, conn, cursor, statement, parameters, context, executemany) -> None:
        started = conn.info.pop("bench_started", None)
        if started is None:
            return
        elapsed = time.perf_counter() - started
        self.seconds += elapsed
        if self._classify is not None:
            entry = self.by_kind.setdefault(self._classify(statement), [0, 0.0])
            entry[0] += 1
            entry[1] += elapsed

    def close(self) -> None:
        event.remove(self._engine, "before_cursor_execute", self._before)
        event.remove(self._engine, "after_cursor_execute", self._after)
        event.remove(self._engine, "connect", self._connect)


# --- the machine ----------------------------------------------------------------------------------------------


def _meminfo_mb() -> int | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) // 1024
    except OSError:
        return None
    return None


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _version(package: str) -> str | None:
    try:
        return importlib_metadata.version(package)
    except importlib_metadata.PackageNotFoundError:
        return None


def database_version(url: str) -> str:
    if db_kind(url) == "sqlite":
        return f"SQLite {sqlite3.sqlite_version}"
    engine = create_sync_engine_for(to_sync_url(url))
    try:
        with engine.connect() as conn:
            return str(conn.execute(sa.text("SELECT version()")).scalar()).split(" on ")[0]
    finally:
        engine.dispose()


def redis_version(url: str | None) -> str | None:
    if not url:
        return None
    import redis

    client = redis.from_url(url, socket_connect_timeout=3)
    try:
        return f"Redis {client.info('server')['redis_version']}"
    except Exception as error:
        return f"unreachable ({type(error).__name__})"
    finally:
        client.close()


def git_commit() -> str | None:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def machine(database_url: str, redis_url: str | None) -> dict:
    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        # Other work on the machine skews every figure: the load when the run started.
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "cpu_count": os.cpu_count(),
        "cpu_model": _cpu_model(),
        "ram_mb": _meminfo_mb(),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "database": database_version(database_url),
        "redis": redis_version(redis_url),
        "git_commit": git_commit(),
        "packages": {
            p: _version(p)
            for p in (
                "strawberry-graphql",
                "graphql-core",
                "SQLAlchemy",
                "sqlmodel",
                "aiosqlite",
                "psycopg",
                "uvicorn",
                "websockets",
                "redis",
            )
        },
    }


# --- processes ------------------------------------------------------------------------------------------------


def rss_kb(pid: int | None = None) -> int:
    """Resident set size of a process (this one by default), from /proc."""
    path = Path(f"/proc/{pid or 'self'}/status")
    for line in path.read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS in {path}")


def cpu_seconds(pid: int | None = None) -> float:
    """User + system CPU time of a process, from /proc/<pid>/stat."""
    fields = Path(f"/proc/{pid or 'self'}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


def raise_open_files_limit(wanted: int) -> int:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < wanted:
        target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


@dataclass(frozen=True)
class Targets:
    """The actors and the dossier the benchmarks use, found by the generator's fixed names."""

    operator_user: str = "op0000-u1@bench.invalid"
    representative_user: str = "op0001-u1@bench.invalid"
    officer: str = "agent-fr000690-1@douane.bench.invalid"
    commenter: str = "op0000-admin@bench.invalid"
    office: str = "FR000690"


TARGETS = Targets()
