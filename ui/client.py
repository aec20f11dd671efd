"""The UI's GraphQL client: runs the named operations of `ui/operations/*.graphql` in-process, against the same
schema and with the same context as `/graphql`, as the user logged in on this browser session.

Components never open a database session: what a screen can do, a partner can do through the API.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from graphql import OperationDefinitionNode, parse, print_ast
from reactpy import use_async_effect, use_scope

from backend.api.context import Portal, build_context
from backend.api.schema import schema

OPERATIONS_DIR = Path(__file__).parent / "operations"


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
        self, operation: str, variables: Mapping[str, Any] | None = None
    ) -> AsyncIterator[dict[str, Any]]:
        """The data of each event of a subscription operation, as the logged user; errors raise GraphQLClientError.

        The same subscription resolvers as `/graphql` over WebSocket: authorised at start and for every event."""
        context = await build_context(self.portal, bearer=None, cookie_session=self.cookie_session)
        result = await schema.subscribe(
            operations()[operation], variable_values=dict(variables or {}), context_value=context
        )
        if not hasattr(result, "__aiter__"):
            raise GraphQLClientError([e.formatted for e in (result.errors or [])])
        try:
            async for item in result:
                if item.errors:
                    raise GraphQLClientError([e.formatted for e in item.errors])
                yield item.data or {}
        finally:
            await result.aclose()


def use_subscription(
    operation: str, variables: Mapping[str, Any] | None, on_data: Callable[[dict[str, Any]], Any], key: Any = None
) -> None:
    """Run a subscription while the component is mounted (restarted when `key` changes); each event calls on_data."""
    client = use_client()

    @use_async_effect(dependencies=[operation, key])
    async def listen():
        try:
            async for data in client.subscribe(operation, variables):
                on_data(data)
        except GraphQLClientError:
            return  # the right was lost or the object is gone: the page shows what the queries say


def use_client() -> GraphQLClient:
    scope = use_scope()
    return GraphQLClient(portal=scope["portal"], cookie_session=scope.get("session"))
