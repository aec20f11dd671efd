"""The portal served by uvicorn in its own process, for the fan-out benchmark.

    python -m bench.server --database-url URL --port N [--redis-url URL] [--redis-prefix PREFIX]

The application is the real one (`backend.app.create_app`, uvicorn with the `websockets-sansio` implementation as in
the tests, the development OIDC provider on a free port). Two things are added around it, for the measurement only:
a `before_cursor_execute` listener counting SQL statements, and `GET /__bench/stats` answering that count, the
hub's subscriber count and the database pool's state. With Redis, `--redis-prefix` moves the hub's channels to a
prefix of their own (the `redis_channel_prefix` setting), so that other portals sharing the Redis server (test
runs) neither hear nor disturb the benchmark.
"""

from __future__ import annotations

import argparse
import json
import logging

import uvicorn

from backend.auth.devprovider import start_dev_provider
from bench.common import StatementCounter, bench_settings


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.server")
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--redis-url")
    parser.add_argument("--redis-prefix")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    provider = start_dev_provider(port=0)
    from backend.app import create_app

    settings = bench_settings(
        args.database_url, args.redis_url, issuer=provider.issuer, redis_prefix=args.redis_prefix
    )
    app = create_app(settings)
    portal = app.portal  # type: ignore[attr-defined]
    counter = StatementCounter(portal.db.engine.sync_engine)

    async def with_stats(scope, receive, send) -> None:
        if scope["type"] == "http" and scope["path"] == "/__bench/stats":
            body = json.dumps(
                {
                    "statements": counter.count,
                    "subscribers": portal.hub.subscriber_count,
                    "pool": portal.db.engine.pool.status(),
                    "redis_prefix": settings.redis_channel_prefix if settings.redis_url else None,
                }
            ).encode()
            await send(
                {"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]}
            )
            await send({"type": "http.response.body", "body": body})
            return
        await app(scope, receive, send)

    try:
        uvicorn.run(
            with_stats,
            host="127.0.0.1",
            port=args.port,
            log_level="warning",
            ws="websockets-sansio",
            backlog=4096,
        )
    finally:
        provider.stop()


if __name__ == "__main__":
    main()
