"""Logging: level and format from the settings (LOG_LEVEL, LOG_FORMAT), a request id in every line of a request,
nothing secret in the access log.

The request id is taken from the client's `X-Request-ID` when it is a plain token, else made; it is echoed in the
response's `X-Request-ID` header and carried by a context variable, so every line logged while the request is
handled (uvicorn's access line included) names it. `soprano serve` gives uvicorn `logging_config(settings)`, which
every worker applies.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import logging.config
import re
import uuid
from typing import Any

from backend.config import Settings

_SECRET_QUERY = re.compile(r"^(/auth/callback)\?.*$")
# What a client may name its request with: anything else (newlines, quotes, a page of text) is replaced by ours.
_CLIENT_ID = re.compile(r"[A-Za-z0-9._:@/+=-]{1,128}")
REQUEST_ID_HEADER = b"x-request-id"

request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)


class RedactCallbackQuery(logging.Filter):
    """The OIDC callback's query carries the authorization code and state: log the path only."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            record.args = (*args[:2], _SECRET_QUERY.sub(r"\1?[masqué]", args[2]), *args[3:])
        return True


def install_access_log_redaction() -> None:
    logging.getLogger("uvicorn.access").addFilter(RedactCallbackQuery())


class RequestIdFilter(logging.Filter):
    """Gives every record the id of the request it was logged in (`-` outside any request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get() or "-"
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC), level, logger, message, request id, and the traceback if any."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        rid = getattr(record, "request_id", None) or request_id.get()
        if rid and rid != "-":
            entry["request_id"] = rid
        if record.name == "uvicorn.access" and isinstance(record.args, tuple) and len(record.args) == 5:
            client, method, path, _, status = record.args
            entry.update(client=client, method=method, path=path, status=status)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


def logging_config(settings: Settings) -> dict[str, Any]:
    """A `logging.config.dictConfig` for the portal and uvicorn (its access and error loggers included)."""
    formatter = {"()": "backend.logs.JsonFormatter"} if settings.log_format == "json" else {"format": TEXT_FORMAT}
    handler = {
        "class": "logging.StreamHandler",
        "stream": "ext://sys.stderr",
        "formatter": "portal",
        "filters": ["request_id"],
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "backend.logs.RequestIdFilter"}},
        "formatters": {"portal": formatter},
        "handlers": {"portal": handler},
        "root": {"handlers": ["portal"], "level": settings.log_level},
        "loggers": {
            # uvicorn's loggers would otherwise bring their own handlers and formats.
            "uvicorn": {"handlers": [], "level": settings.log_level, "propagate": True},
            "uvicorn.error": {"handlers": [], "level": settings.log_level, "propagate": True},
            "uvicorn.access": {"handlers": [], "level": settings.log_level, "propagate": True},
            # Alembic names each of its plugins at start-up: noise, unless debugging.
            "alembic.runtime.plugins": {"level": "DEBUG" if settings.log_level == "DEBUG" else "WARNING"},
        },
    }


def configure_logging(settings: Settings) -> None:
    logging.config.dictConfig(logging_config(settings))


def _header(scope, name: bytes) -> str | None:
    for key, value in scope.get("headers") or ():
        if key == name:
            return value.decode("latin-1")
    return None


class RequestIdMiddleware:
    """Outermost ASGI middleware: names each request and WebSocket connection (see the module's docstring)."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        given = _header(scope, REQUEST_ID_HEADER)
        rid = given if given and _CLIENT_ID.fullmatch(given) else uuid.uuid4().hex
        encoded = rid.encode("latin-1")

        async def send_with_id(message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), (REQUEST_ID_HEADER, encoded)]
            await send(message)

        token = request_id.set(rid)
        try:
            await self.app(scope, receive, send_with_id if scope["type"] == "http" else send)
        finally:
            request_id.reset(token)
