"""Cross-site pages cannot open the portal's WebSockets; the access log never shows an authorization code."""

from __future__ import annotations

import logging

import httpx
import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect

from backend.logs import RedactCallbackQuery


def test_ui_websocket_from_another_site_is_refused(live_server):
    url = live_server.url.replace("http://", "ws://") + "/reactpy/ui.app.root/?path=%2F&qs="
    with pytest.raises((InvalidStatus, ConnectionClosed)), connect(url, origin="https://evil.example") as ws:
        ws.recv(timeout=5)


def test_ui_websocket_from_the_portal_itself_is_served(live_server):
    url = live_server.url.replace("http://", "ws://") + "/reactpy/ui.app.root/?path=%2F&qs="
    with connect(url, origin=live_server.url) as ws:
        message = ws.recv(timeout=5)
    assert "layout-update" in message


def test_callback_query_is_masked_in_the_access_log():
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:1", "GET", "/auth/callback?code=SECRET&state=S", "1.1", 303),
        None,
    )
    RedactCallbackQuery().filter(record)
    assert "SECRET" not in record.getMessage()
    assert "/auth/callback?[masqué]" in record.getMessage()


def test_responses_carry_security_headers(live_server):
    response = httpx.get(live_server.url + "/")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
