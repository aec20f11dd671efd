"""Health checks for load balancers and orchestrators.

- `/healthz/live`: the process answers (liveness). Restart the host when it does not.
- `/healthz/ready`: this host can serve (readiness): its database answers. Redis is reported but does not make a host
  unready: every host shares the same Redis, so a Redis blip would take them all out at once, although without it
  pages, queries and mutations still work (only live updates pause; the hub reconnects and subscribers resynchronise
  from the history). Ready with Redis down is `"status": "degraded"`, still 200.
- `/healthz`: the check as it was (database and Redis both required), kept for existing monitors.
"""

from __future__ import annotations

import logging

import redis.asyncio as redis
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from backend.config import Settings
from backend.db import Database
from backend.deadline import within

logger = logging.getLogger("soprano.health")

TIMEOUT_SECONDS = 3
UNREACHABLE = "injoignable"


async def database_ok(db: Database) -> bool:
    try:
        await within(TIMEOUT_SECONDS, db.ping())
    except Exception as error:  # the cause once, not a traceback per probe (the database's own log names it)
        logger.warning("health check: database unreachable (%s)", type(error).__name__)
        return False
    return True


async def redis_ok(url: str) -> bool:
    try:
        await within(TIMEOUT_SECONDS, _redis_ping(url))
    except Exception:
        logger.exception("health check: Redis unreachable")
        return False
    return True


async def _redis_ping(url: str) -> None:
    async with redis.from_url(url, socket_timeout=TIMEOUT_SECONDS) as client:
        await client.ping()


def health_routes(settings: Settings, db: Database) -> list[Route]:
    async def live(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def ready(request: Request) -> Response:
        report = {"status": "ok", "database": "ok"}
        if not await database_ok(db):
            report.update(status="error", database=UNREACHABLE)
        if settings.redis_url:
            report["redis"] = "ok"
            if not await redis_ok(settings.redis_url):
                report["redis"] = UNREACHABLE
                if report["status"] == "ok":
                    report["status"] = "degraded"
        return JSONResponse(report, status_code=503 if report["status"] == "error" else 200)

    async def combined(request: Request) -> Response:
        report = {"status": "ok", "database": "ok"}
        if not await database_ok(db):
            report.update(status="error", database=UNREACHABLE)
        if settings.redis_url:
            report["redis"] = "ok"
            if not await redis_ok(settings.redis_url):
                report.update(status="error", redis=UNREACHABLE)
        return JSONResponse(report, status_code=200 if report["status"] == "ok" else 503)

    return [
        Route("/healthz/live", live, methods=["GET"]),
        Route("/healthz/ready", ready, methods=["GET"]),
        Route("/healthz", combined, methods=["GET"]),
    ]
