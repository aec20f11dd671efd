"""The `/graphql` endpoint: HTTP and WebSocket (graphql-transport-ws), GraphiQL in development only.

Authentication: the browser session cookie, or `Authorization: Bearer <token>` (partners, mobile apps), the token
also accepted in the WebSocket `connection_init` payload. A bad token is a 401 (HTTP) or a refused connection (4403),
never an anonymous request and never a 500.
"""

from __future__ import annotations

import logging
from typing import Any

from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import BaseGraphQLTransportWSHandler

from backend.api.context import OPERATOR_HEADER, Context, Portal, build_context
from backend.api.schema import RETRY_AFTER_SECONDS, schema
from backend.auth.actors import (
    InvalidCredentials,
    bearer_from_connection_params,
    bearer_from_header,
    resolve_actor,
)
from backend.deadline import is_to_finish, within
from backend.errors import UNAVAILABLE_MESSAGE, Unavailable
from backend.identity.actor import Actor

logger = logging.getLogger("soprano.api")
BAD_TOKEN = "Jeton d'accès invalide, expiré ou révoqué."
# The close code of a WebSocket whose connection_init could not be checked (the database failing); 4403 is a refusal
# of the credentials, 4429 / 4499 are graphql-transport-ws's own.
UNAVAILABLE_CLOSE_CODE = 4503
UPLOAD_HEADER = b"x-soprano-upload"
UPLOAD_HEADER_MISSING = "Envoi de fichier refusé : l'en-tête X-Soprano-Upload est obligatoire."


def _is_multipart(scope) -> bool:
    content_type = dict(scope.get("headers") or []).get(b"content-type", b"")
    return content_type.lower().startswith(b"multipart/")


def _has_upload_header(scope) -> bool:
    return any(name == UPLOAD_HEADER and value for name, value in scope.get("headers") or [])


def unavailable_response() -> JSONResponse:
    return JSONResponse(
        {"data": None, "errors": [{"message": UNAVAILABLE_MESSAGE, "extensions": {"code": "UNAVAILABLE"}}]},
        status_code=503,
        headers={"Retry-After": RETRY_AFTER_SECONDS},
    )


class PortalTransportWS(BaseGraphQLTransportWSHandler):
    """graphql-transport-ws, with the database failing at `connection_init` (the credentials cannot be checked):
    the connection is closed with UNAVAILABLE_CLOSE_CODE, « réessayez », instead of being dropped."""

    async def handle_connection_init(self, message) -> None:
        try:
            await super().handle_connection_init(message)
        except Unavailable:
            await self.websocket.close(code=UNAVAILABLE_CLOSE_CODE, reason="Service indisponible")


def unauthenticated_response() -> JSONResponse:
    return JSONResponse(
        {"data": None, "errors": [{"message": BAD_TOKEN, "extensions": {"code": "UNAUTHENTICATED"}}]},
        status_code=401,
        headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
    )


class PortalGraphQL(GraphQL):
    graphql_transport_ws_handler_class = PortalTransportWS

    def __init__(self, portal: Portal) -> None:
        super().__init__(
            schema,
            graphql_ide="graphiql" if portal.settings.is_dev else None,
            # Cookie-authenticated: only POST with a JSON body (a CORS-preflighted request) may run operations.
            allow_queries_via_get=False,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            allowed_origins=portal.settings.allowed_origins,
            # Attachments are uploaded as GraphQL multipart requests, which only pass with the header below.
            multipart_uploads_enabled=True,
        )
        self.portal = portal

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http" and _is_multipart(scope) and not _has_upload_header(scope):
            # A cross-site form can post multipart without a preflight; a custom header cannot be sent that way.
            return await JSONResponse(
                {"data": None, "errors": [{"message": UPLOAD_HEADER_MISSING, "extensions": {"code": "CSRF"}}]},
                status_code=400,
            )(scope, receive, send)
        if scope["type"] == "http":
            if _is_multipart(scope):  # an upload may take long on a slow line: no deadline
                return await self._serve_http(scope, receive, send)
            return await self._serve_http_within_deadline(scope, receive, send)
        return await super().__call__(scope, receive, send)

    async def _serve_http(self, scope, receive, send) -> None:
        try:
            return await super().__call__(scope, receive, send)
        except InvalidCredentials:
            return await unauthenticated_response()(scope, receive, send)
        except Unavailable:
            return await unavailable_response()(scope, receive, send)
        except ClientDisconnect:
            # Gone before its request was read (a closed tab, a load generator's end): nobody to answer, no error.
            logger.info("GraphQL request abandoned: the client disconnected before sending it whole")
            return None

    async def _serve_http_within_deadline(self, scope, receive, send) -> None:
        """REQUEST_TIMEOUT_SECONDS at most: past it (a database that stopped answering mid-request, a network split),
        the client is answered UNAVAILABLE at once and the request's work is abandoned (its own answer dropped) —
        unless a mutation has begun to run: it may still commit, so it is awaited and its real answer given (the
        database's own timeouts bound it); an UNAVAILABLE mutation therefore never committed, and a retry is safe."""
        state = {"started": False, "abandoned": False}

        async def guarded_send(message) -> None:
            if state["abandoned"]:
                return
            if message["type"] == "http.response.start":
                state["started"] = True
            await send(message)

        try:
            await within(
                self.portal.settings.request_timeout_seconds,
                self._serve_http(scope, receive, guarded_send),
                unless=lambda: is_to_finish(scope),
            )
        except TimeoutError:
            state["abandoned"] = True
            if state["started"]:
                return  # the answer was already on its way: nothing better can be sent now
            logger.warning("GraphQL request abandoned after %s s: answered UNAVAILABLE",
                           self.portal.settings.request_timeout_seconds)  # fmt: skip
            await unavailable_response()(scope, receive, send)

    async def get_context(self, request: Request | WebSocket, response: Any) -> Context:
        cookie_session = request.scope.get("session")
        if isinstance(request, WebSocket):
            # The actor of a WebSocket is settled in on_ws_connect, once connection_init has arrived.
            return Context(portal=self.portal, actor=None, request=request, response=response, connection=True)
        bearer = bearer_from_header(request.headers.get("authorization"))
        return await build_context(
            self.portal,
            bearer=bearer,
            cookie_session=cookie_session,
            request=request,
            response=response,
            requested_operator=request.headers.get(OPERATOR_HEADER),
        )

    async def on_ws_connect(self, context: Context) -> Any:
        request: WebSocket = context.request
        try:
            bearer = bearer_from_connection_params(context.connection_params) or bearer_from_header(
                request.headers.get("authorization")
            )
            async with self.portal.db.session() as session:
                actor: Actor | None = await resolve_actor(
                    session, bearer=bearer, cookie_session=request.scope.get("session")
                )
        except InvalidCredentials:
            raise ConnectionRejectionError({"message": BAD_TOKEN, "code": "UNAUTHENTICATED"}) from None
        context.actor = actor
        operator = (context.connection_params or {}).get("operator") or request.headers.get(OPERATOR_HEADER)
        context.requested_operator = operator if isinstance(operator, str) else None
        return {"authenticated": actor is not None}
