"""create_app(): the portal as one ASGI application.

RequestIdMiddleware (X-Request-ID)           ← outermost, so every log line of a request names it
  └ SessionMiddleware (signed cookie)        ← outside the UI, so the UI's WebSocket sees the login session
      └ PortalScope (scope["portal"], security headers)
          └ ReactPyMiddleware (UI WebSocket and its static files, served before the routes)
              └ Starlette routes: /graphql (HTTP + WS), /healthz[/live|/ready], /auth/*, /static, pages
"""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path
from urllib.parse import urlsplit

import anyio
from reactpy.executors.asgi.middleware import ReactPyMiddleware
from starlette.applications import Starlette
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles

import ui
from backend.api.context import Portal
from backend.api.files import file_routes
from backend.api.view import PortalGraphQL
from backend.auth.oidc import auth_routes
from backend.config import ConfigurationError, Settings, get_settings
from backend.db import Database
from backend.events import create_hub
from backend.health import health_routes
from backend.logs import RequestIdMiddleware, install_access_log_redaction
from backend.migrations import ensure_migrated
from backend.ratelimit import RateLimiter
from ui.routes import is_page
from ui.shell import ROOT_COMPONENT, app_document, confirmation_document, message_document

logger = logging.getLogger("soprano")

UI_STATIC = Path(ui.__file__).resolve().parent / "static"  # inside the package, installed or not
SESSION_COOKIE = "soprano_session"

# What the UI needs, and nothing more (tests/e2e/test_content_security_policy.py runs the UI under it):
# - script-src 'unsafe-inline': ReactPy's bootstrap (the import map and `mountReactPy`) is inline in the page, and
#   its `html.script` elements (focus, address bar, leave guard, upload) become inline scripts whose text changes at
#   each render, so no hash or nonce can name them; no 'unsafe-eval' (ReactPy evaluates only inline JavaScript
#   attributes, which the UI has none of);
# - style-src 'self': the DSFR's and ReactPy's scripts set styles through the CSSOM, which CSP does not restrict,
#   and no page has a `style` attribute or element;
# - img-src data: the DSFR's stylesheet draws some of its icons with SVG data: URLs;
# - connect-src 'self': the UI's and the API's WebSockets are same-origin (CSP 3 browsers match ws:/wss: to 'self');
# - form-action: the portal's own forms (logout, upload), and the identity provider's origin, since Chrome also
#   checks form-action against the redirects that follow a form's POST (a logout ending at the provider).
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self' 'unsafe-inline'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'self'",
    "object-src": "'none'",
    "form-action": "'self'",
}
# GraphiQL (GET /graphql, development only) is Strawberry's page: React and GraphiQL from unpkg.com, inline script
# and styles.
GRAPHIQL_SOURCES = {
    "script-src": "'self' 'unsafe-inline' https://unpkg.com",
    "style-src": "'self' 'unsafe-inline' https://unpkg.com",
    "font-src": "'self' data: https://unpkg.com",
}
HSTS = "max-age=31536000; includeSubDomains"


def origin_of(url: str) -> str:
    """scheme://host[:port] of a URL (what CSP sources name)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:  # an IPv6 address
        host = f"[{host}]"
    return f"{parts.scheme.lower()}://{host}" + (f":{parts.port}" if parts.port else "")


def content_security_policy(settings: Settings, *, graphiql: bool = False) -> str:
    directives = CONTENT_SECURITY_POLICY | (GRAPHIQL_SOURCES if graphiql else {})
    if settings.oidc_issuer:
        directives["form-action"] += " " + origin_of(settings.oidc_issuer)
    return "; ".join(f"{name} {sources}" for name, sources in directives.items())


def security_headers(settings: Settings, *, graphiql: bool = False) -> tuple[tuple[bytes, bytes], ...]:
    """The headers added to every HTTP response, made once per application; HSTS outside development only (the
    development portal is served over plain HTTP on loopback)."""
    headers = [
        ("content-security-policy", content_security_policy(settings, graphiql=graphiql)),
        ("x-content-type-options", "nosniff"),
        ("x-frame-options", "DENY"),
        ("referrer-policy", "same-origin"),
    ]
    if not settings.is_dev:
        headers.append(("strict-transport-security", HSTS))
    return tuple((name.encode("latin-1"), value.encode("latin-1")) for name, value in headers)


class PortalScope:
    """Gives every request and WebSocket (the UI's included) the portal's services; adds security headers."""

    def __init__(self, app, portal: Portal) -> None:
        self.app = app
        self.portal = portal
        self.security_headers = security_headers(portal.settings)
        # GraphiQL is served in development only (backend/api/view.py), at GET /graphql.
        self.graphiql_headers = (
            security_headers(portal.settings, graphiql=True) if portal.settings.is_dev else self.security_headers
        )

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] in ("http", "websocket"):
            scope["portal"] = self.portal
        if scope["type"] == "websocket" and not self._origin_allowed(scope):
            # A page of another site must not drive the UI or the API with the user's cookies.
            await send({"type": "websocket.close", "code": 4403})
            return None
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        ours = (
            self.graphiql_headers
            if scope["path"] == "/graphql" and scope["method"] in ("GET", "HEAD")
            else self.security_headers
        )

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                # A route that sets one of these headers itself keeps its own value: never the header twice.
                present = {name.lower() for name, _ in headers}
                headers += [header for header in ours if header[0] not in present]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _origin_allowed(self, scope) -> bool:
        headers = dict(scope.get("headers") or [])
        origin = headers.get(b"origin")
        if origin is None:
            return True  # not a browser: no ambient cookie to abuse
        origin_text = origin.decode("latin-1").rstrip("/")
        host = headers.get(b"host", b"").decode("latin-1")
        if origin_text.split("://", 1)[-1] == host:
            return True
        return origin_text in self.portal.settings.allowed_origins


def render_error(title: str, message: str, status: int) -> Response:
    return HTMLResponse(message_document(title, message), status_code=status)


def render_confirmation(title: str, message: str, action: str, button: str) -> Response:
    return HTMLResponse(confirmation_document(title, message, action=action, button=button))


def create_app(settings: Settings | None = None) -> RequestIdMiddleware:
    settings = settings or get_settings()
    if not settings.oidc_issuer:
        raise ConfigurationError(
            "Aucun fournisseur d'identité (OIDC_ISSUER) : lancez le portail avec « soprano serve », qui démarre "
            "le fournisseur de développement."
        )
    hub = create_hub(settings.redis_url, settings.redis_channel_prefix)
    db = Database(settings, hub)
    limiter = RateLimiter(settings)
    portal = Portal(settings=settings, db=db, issuer=settings.oidc_issuer, limiter=limiter)
    graphql = PortalGraphQL(portal)

    async def page(request: Request) -> Response:
        # An unknown address still gets the UI (it says « Page non trouvée »), with the status a crawler or a link
        # checker reads.
        status = 200 if is_page(request.url.path) else 404
        return HTMLResponse(app_document(), status_code=status, headers={"cache-control": "no-store"})

    async def not_found(request: Request, exc: Exception) -> Response:
        """A missing static file, in French like the rest of the portal (Starlette's is a bare « Not Found »)."""
        return HTMLResponse(
            message_document(
                "Page non trouvée",
                "La page ou le fichier que vous cherchez n'existe pas ou a été déplacé.",
                action_href="/",
                action_label="Retour à l'accueil",
            ),
            status_code=404,
        )

    @contextlib.asynccontextmanager
    async def lifespan(app):
        install_access_log_redaction()
        await anyio.to_thread.run_sync(ensure_migrated, settings)
        await hub.start()
        logger.info(
            "portal ready: issuer=%s database=%s",
            settings.oidc_issuer,
            settings.async_database_url.split(":")[0],
        )
        yield
        await hub.stop()
        await db.dispose()

    routes = [
        Route("/graphql", graphql, name="graphql"),
        WebSocketRoute("/graphql", graphql),
        *health_routes(settings, db),
        *auth_routes(settings, db, settings.oidc_issuer, render_error, render_confirmation, limiter),
        *file_routes(portal),
        Mount("/static/dsfr", StaticFiles(directory=settings.dsfr_dir, check_dir=False), name="dsfr"),
        Mount("/static", StaticFiles(directory=UI_STATIC), name="static"),
        Route("/{path:path}", page, methods=["GET", "HEAD"], name="page"),
    ]
    if not settings.dsfr_dir.is_dir():
        logger.warning(
            "DSFR introuvable (%s) : lancez « make setup » (npm ci) ou indiquez son dossier node_modules par "
            "ASSETS_DIR.",
            settings.dsfr_dir,
        )

    inner = Starlette(routes=routes, lifespan=lifespan, exception_handlers={404: not_found})
    inner.state.portal = portal
    ui = ReactPyMiddleware(inner, root_components=[ROOT_COMPONENT])
    app = RequestIdMiddleware(
        SessionMiddleware(
            PortalScope(ui, portal),
            secret_key=settings.secret_key,
            session_cookie=SESSION_COOKIE,
            max_age=settings.session_max_age,
            same_site="lax",
            https_only=not settings.is_dev,
        )
    )
    app.portal = portal  # type: ignore[attr-defined]
    return app
