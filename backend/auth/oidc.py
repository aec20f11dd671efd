"""OIDC login and logout with Authlib's Starlette client.

Discovery, authorization code flow with PKCE (S256), state and nonce, ID token validation (signature against the
provider's JWKS, issuer, audience, expiry, nonce). The user is found or created by (issuer, sub); a new session id is
issued at login. Bad callbacks end on a French error page; nothing secret (codes, tokens) is logged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from urllib.parse import urlsplit

import httpx
from authlib.integrations.starlette_client import OAuth, OAuthError
from authlib.jose.errors import JoseError as AuthlibJoseError
from joserfc.errors import JoseError
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from backend.auth.sessions import end_session, start_session
from backend.config import Settings
from backend.db import Database
from backend.identity.users import upsert_user_from_claims
from backend.ratelimit import RateLimiter

logger = logging.getLogger("soprano.auth")

CLIENT_NAME = "portal"
NEXT_KEY = "next"

# Motif → (title, message) shown to the user; the motif alone is logged.
LOGIN_ERRORS: dict[str, tuple[str, str]] = {
    "state": (
        "Session de connexion expirée",
        "La demande de connexion n'a pas pu être vérifiée (elle a expiré ou a été ouverte dans un autre onglet). "
        "Veuillez vous reconnecter.",
    ),
    "denied": (
        "Connexion refusée",
        "Le fournisseur d'identité n'a pas autorisé la connexion. Vous pouvez réessayer.",
    ),
    "token": (
        "Identité non vérifiée",
        "Le jeton d'identité reçu du fournisseur d'identité n'est pas valide. Par sécurité, la connexion a été "
        "interrompue.",
    ),
    "unavailable": (
        "Fournisseur d'identité indisponible",
        "Le fournisseur d'identité ne répond pas. Veuillez réessayer dans quelques instants.",
    ),
}

ErrorRenderer = Callable[[str, str, int], Response]


def _safe_next(value: str | None) -> str:
    """Only same-site relative paths are accepted as a post-login destination (no open redirect)."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    parts = urlsplit(value)
    return value if not parts.scheme and not parts.netloc else "/"


def build_oauth(settings: Settings, issuer: str) -> OAuth:
    oauth = OAuth()
    oauth.register(
        CLIENT_NAME,
        client_id=settings.oidc_client_id,
        client_secret=settings.oidc_client_secret,
        server_metadata_url=f"{issuer}/.well-known/openid-configuration",
        client_kwargs={"scope": settings.oidc_scopes, "code_challenge_method": "S256", "timeout": 10},
    )
    return oauth


def auth_routes(
    settings: Settings,
    db: Database,
    issuer: str,
    render_error: ErrorRenderer,
    render_confirmation: Callable[[str, str, str, str], Response],
    limiter: RateLimiter | None = None,
) -> list[Route]:
    oauth = build_oauth(settings, issuer)
    client = oauth.create_client(CLIENT_NAME)

    def fail(motif: str, status: int = 400) -> Response:
        logger.warning("login failed: %s", motif)
        title, message = LOGIN_ERRORS[motif]
        return render_error(title, message, status)

    async def login(request: Request) -> Response:
        if limiter is not None:
            address = request.client.host if request.client else "?"
            refusal = await limiter.hit(limiter.login, f"login:{address}")
            if refusal is not None:
                refused = render_error("Trop de tentatives de connexion", refusal.message, 429)
                refused.headers["Retry-After"] = str(refusal.retry_after)
                return refused
        next_path = _safe_next(request.query_params.get("next"))
        try:
            response = await client.authorize_redirect(request, str(request.url_for("auth_callback")))
        except (httpx.HTTPError, OAuthError, ValueError, KeyError):
            return fail("unavailable", 503)
        request.session[NEXT_KEY] = next_path
        return response

    async def callback(request: Request) -> Response:
        if request.query_params.get("error"):
            # Drop the pending state: the attempt is over.
            for key in [k for k in request.session if k.startswith("_state_")]:
                del request.session[key]
            return fail("denied")
        try:
            token = await client.authorize_access_token(request)
        except OAuthError as error:
            return fail("state" if error.error in ("mismatching_state", "invalid_state") else "token")
        except (JoseError, AuthlibJoseError, ValueError):
            return fail("token")
        except httpx.HTTPError:
            return fail("unavailable", 503)
        claims = token.get("userinfo")
        if not claims or not claims.get("sub"):
            return fail("token")
        next_path = _safe_next(request.session.get(NEXT_KEY))
        async with db.session() as session:
            user = await upsert_user_from_claims(session, claims, issuer=issuer, settings=settings)
            await start_session(session, request.session, user, max_age=settings.session_max_age)
        logger.info("login user=%s kind=%s", user.id, user.kind.value)
        return RedirectResponse(next_path, status_code=303)

    async def logout(request: Request) -> Response:
        if request.method == "GET":
            # SameSite=Lax cookies ride along cross-site links: a GET only offers the POST button.
            return render_confirmation(
                "Se déconnecter", "Voulez-vous vous déconnecter du portail ?", "/auth/logout", "Se déconnecter"
            )
        async with db.session() as session:
            await end_session(session, request.session)
        return RedirectResponse("/", status_code=303)

    return [
        Route("/auth/login", login, methods=["GET"], name="auth_login"),
        Route("/auth/callback", callback, methods=["GET"], name="auth_callback"),
        Route("/auth/logout", logout, methods=["GET", "POST"], name="auth_logout"),
    ]
