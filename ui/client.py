"""The UI's GraphQL client: runs the named operations of `ui/operations/*.graphql` in-process, against the same
schema and with the same context as `/graphql`, as the user logged in on this browser session.

Components never open a database session: what a screen can do, a partner can do through the API.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from graphql import OperationDefinitionNode, parse, print_ast
from reactpy import use_async_effect, use_scope, use_state

from backend.api.context import Portal, build_context
from backend.api.schema import schema

OPERATIONS_DIR = Path(__file__).parent / "operations"
logger = logging.getLogger("soprano.ui.client")

# The server dropped the subscription but the reader may follow again (a queue overflowed): restart it. Any other
# code (the right was lost, the object is gone, an invalid argument) ends it for good.
RESTART_CODES = frozenset({"SUBSCRIBER_TOO_SLOW"})
RECONNECTING = "Suivi en direct interrompu : reconnexion en cours…"
SESSION_ENDED = "Suivi en direct arrêté : votre session a pris fin. Reconnectez-vous pour voir les nouveautés."


class GraphQLClientError(Exception):
    """An operation answered errors; `messages` are the French messages to show."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        self.errors = errors
        self.messages = [e.get("message", "Erreur inconnue.") for e in errors]
        self.codes = [(e.get("extensions") or {}).get("code") for e in errors]
        super().__init__("; ".join(self.messages))


@cache
def operations() -> dict[str, str]:
    """Every named operation under ui/operations, by name (each document self-contained)."""
    found: dict[str, str] = {}
    for path in sorted(OPERATIONS_DIR.glob("*.graphql")):
        document = parse(path.read_text())
        for definition in document.definitions:
            if isinstance(definition, OperationDefinitionNode) and definition.name:
                found[definition.name.value] = print_ast(definition)
    return found


@dataclass
class GraphQLClient:
    portal: Portal
    cookie_session: Mapping[str, Any] | None

    async def execute(self, operation: str, variables: Mapping[str, Any] | None = None) -> dict[str, Any]:
        context = await build_context(self.portal, bearer=None, cookie_session=self.cookie_session)
        result = await schema.execute(
            operations()[operation], variable_values=dict(variables or {}), context_value=context
        )
        if result.errors:
            raise GraphQLClientError([e.formatted for e in result.errors])
        return result.data or {}

    async def subscribe(
        self,
        operation: str,
        variables: Mapping[str, Any] | None = None,
        on_open: Callable[[], Any] | None = None,
    ) -> AsyncIterator[dict[str, Any]]:
        """The data of each event of a subscription operation, as the logged user; errors raise GraphQLClientError.

        The same subscription resolvers as `/graphql` over WebSocket: authorised at start and for every event.
        `on_open` is called once the subscription is open (before its first event)."""
        context = await build_context(self.portal, bearer=None, cookie_session=self.cookie_session)
        result = await schema.subscribe(
            operations()[operation], variable_values=dict(variables or {}), context_value=context
        )
        if not hasattr(result, "__aiter__"):
            raise GraphQLClientError([e.formatted for e in (result.errors or [])])
        if on_open is not None:
            on_open()
        try:
            async for item in result:
                if item.errors:
                    raise GraphQLClientError([e.formatted for e in item.errors])
                yield item.data or {}
        finally:
            await result.aclose()


async def follow(
    client: GraphQLClient,
    operation: str,
    variables: Mapping[str, Any] | None,
    on_data: Callable[[dict[str, Any]], Any],
    *,
    resume: Callable[[dict[str, Any]], Mapping[str, Any] | None] | None = None,
    restart_when: Callable[[dict[str, Any]], bool] | None = None,
    on_reconnecting: Callable[[bool], Any] | None = None,
    on_refused: Callable[[GraphQLClientError], Any] | None = None,
    first_delay: float = 0.2,
    max_delay: float = 10.0,
) -> None:
    """Follow a subscription until the server ends it or refuses it for good; restart it when the server drops it.

    - `resume(data)`: the variables to restart with after that event (`{"afterEventId": id}`: the server then sends
      what was missed since, so a drop loses nothing);
    - `restart_when(data)`: the event says the server stopped listening for us (`dashboardChanged.resync`): restart
      at once, after handing the event on;
    - a refusal coded SUBSCRIBER_TOO_SLOW, or an unexpected failure, restarts after a delay (doubling up to
      `max_delay`); any other refusal (right lost, object gone) ends it, as does the server completing the stream;
    - `on_reconnecting(True)` when the flow is cut, `(False)` once a new subscription is open;
    - `on_refused(error)` when a refusal ends it for good (UNAUTHENTICATED: the session ended meanwhile).
    """
    current = dict(variables or {})
    delay = first_delay
    cut = False

    def reconnecting(value: bool) -> None:
        nonlocal cut
        if value != cut:
            cut = value
            if on_reconnecting is not None:
                on_reconnecting(value)

    while True:
        restart_now = False
        try:
            stream = client.subscribe(operation, current, on_open=lambda: reconnecting(False))
            async with contextlib.aclosing(stream):
                async for data in stream:
                    delay = first_delay
                    if resume is not None:
                        current.update(resume(data) or {})
                    on_data(data)
                    if restart_when is not None and restart_when(data):
                        restart_now = True
                        break
            if not restart_now:
                reconnecting(False)
                return  # completed by the server: nothing more to follow
        except GraphQLClientError as error:
            if not RESTART_CODES.intersection(error.codes):
                reconnecting(False)
                if on_refused is not None:
                    on_refused(error)
                return  # the right was lost or the object is gone: the page shows what the queries say
            logger.info("%s dropped by the server (%s): restarting", operation, ", ".join(map(str, error.codes)))
        except Exception:
            logger.warning("%s failed: restarting", operation, exc_info=True)
        if restart_now:
            continue
        reconnecting(True)
        await asyncio.sleep(delay)
        delay = min(delay * 2, max_delay)


def use_subscription(
    operation: str,
    variables: Mapping[str, Any] | None,
    on_data: Callable[[dict[str, Any]], Any],
    key: Any = None,
    *,
    resume: Callable[[dict[str, Any]], Mapping[str, Any] | None] | None = None,
    restart_when: Callable[[dict[str, Any]], bool] | None = None,
) -> str:
    """Run a subscription while the component is mounted (restarted when `key` changes); each event calls on_data.

    When the server drops it, it starts again by itself (see `follow`). Returns what the page should say of the live
    flow: "" while it runs, `RECONNECTING` while it starts again, `SESSION_ENDED` once the session it ran for ended."""
    client = use_client()
    status, set_status = use_state("")

    def refused(error: GraphQLClientError) -> None:
        if "UNAUTHENTICATED" in error.codes:
            set_status(SESSION_ENDED)

    @use_async_effect(dependencies=[operation, key])
    async def listen():
        await follow(
            client,
            operation,
            variables,
            on_data,
            resume=resume,
            restart_when=restart_when,
            on_reconnecting=lambda cut: set_status(RECONNECTING if cut else ""),
            on_refused=refused,
        )

    return status


def use_client() -> GraphQLClient:
    scope = use_scope()
    return GraphQLClient(portal=scope["portal"], cookie_session=scope.get("session"))
