"""The development OIDC provider: `oidc-provider-mock`, a real OpenID Connect server, on loopback.

Started by `soprano serve` when no OIDC_ISSUER is configured (never with ENV=prod). Its login page lists the demo
accounts; any other identifier can be typed in, with claims set through its `PUT /users/<sub>` endpoint. Its pages are
ours (devprovider_pages/): French, titled, self-contained (the package's own load a stylesheet from a CDN).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2
import oidc_provider_mock
import werkzeug.serving

from backend.demo import DEMO_ACCOUNTS, claims_of

PAGES = Path(__file__).with_name("devprovider_pages")


@dataclass
class RunningProvider:
    server: werkzeug.serving.BaseWSGIServer
    thread: threading.Thread

    @property
    def issuer(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(5)
        self.server.server_close()


def demo_users() -> list[oidc_provider_mock.User]:
    return [
        oidc_provider_mock.User(
            sub=account.sub, claims={k: v for k, v in claims_of(account).items() if k != "sub"}
        )
        for account in DEMO_ACCOUNTS
    ]


def serve_wsgi(app, host: str = "127.0.0.1", port: int = 0) -> RunningProvider:
    server = werkzeug.serving.make_server(host, port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    return RunningProvider(server=server, thread=thread)


def start_dev_provider(
    host: str = "127.0.0.1", port: int = 0, users: Sequence[oidc_provider_mock.User] | None = None
) -> RunningProvider:
    app = oidc_provider_mock.app(require_nonce=True, user_claims=demo_users() if users is None else users)
    # The app's own templates are looked up first: ours, then the package's for any page we do not redefine.
    app.jinja_loader = jinja2.ChoiceLoader([jinja2.FileSystemLoader(PAGES), app.jinja_loader])
    return serve_wsgi(app, host, port)
