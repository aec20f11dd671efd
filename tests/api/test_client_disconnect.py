"""A client gone before its GraphQL request was sent whole (a closed tab, a load generator stopping) is nobody to
answer, not a server error: no « Exception in ASGI application » traceback (wrk's 32 cut requests wrote 160 KB of
them per run, which filled the pipe of a benchmark's server and froze it), and the portal serves the next ones."""

from __future__ import annotations

import logging
import socket
import time
from urllib.parse import urlparse

import httpx


class Caught(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_a_request_cut_before_its_body_ends_is_no_error_and_the_next_one_is_served(live_server):
    caught = Caught()
    watched = [logging.getLogger("uvicorn.error"), logging.getLogger("soprano.api")]
    levels = [logger.level for logger in watched]
    for logger in watched:
        logger.addHandler(caught)
        logger.setLevel(logging.INFO)
    try:
        url = urlparse(live_server.url)
        for _ in range(5):
            with socket.create_connection((url.hostname, url.port)) as cut:
                cut.sendall(
                    b"POST /graphql HTTP/1.1\r\nHost: portal\r\nContent-Type: application/json\r\n"
                    b'Content-Length: 500\r\n\r\n{"query": "{ me'
                )
            time.sleep(0.05)
        answer = httpx.post(f"{live_server.url}/graphql", json={"query": "{ me { name } }"}, timeout=10)
        assert answer.status_code == 200 and answer.json() == {"data": {"me": None}}
        deadline = time.monotonic() + 2
        while time.monotonic() < deadline and len(caught.records) < 5:
            time.sleep(0.05)
    finally:
        for logger, level in zip(watched, levels, strict=True):
            logger.removeHandler(caught)
            logger.setLevel(level)
    errors = [r.getMessage() for r in caught.records if r.levelno >= logging.WARNING]
    assert errors == [], errors
    told = [r.getMessage() for r in caught.records if r.name == "soprano.api"]
    assert len(told) == 5 and all("disconnected" in m for m in told), told
