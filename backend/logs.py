"""Logging set-up for `soprano serve`: nothing secret in the access log."""

from __future__ import annotations

import logging
import re

_SECRET_QUERY = re.compile(r"^(/auth/callback)\?.*$")


class RedactCallbackQuery(logging.Filter):
    """The OIDC callback's query carries the authorization code and state: log the path only."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            record.args = (*args[:2], _SECRET_QUERY.sub(r"\1?[masqué]", args[2]), *args[3:])
        return True


def install_access_log_redaction() -> None:
    logging.getLogger("uvicorn.access").addFilter(RedactCallbackQuery())
