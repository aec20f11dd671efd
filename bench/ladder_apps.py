"""The reference rows of the speed ladder, each an ASGI application served by uvicorn in its own process
(`uvicorn --factory bench.ladder_apps:<name>`): what the machine, graphql-core and Strawberry can do at best, beside
which the portal's own rows are read."""

from __future__ import annotations

import json

import strawberry
from graphql import build_schema, execute_sync, parse
from strawberry.asgi import GraphQL
from strawberry.extensions import ParserCache, ValidationCache

HELLO = b'{"data":{"hello":"world"}}'


async def _drain(receive) -> None:
    more = True
    while more:
        message = await receive()
        more = message.get("more_body", False)


def bare():
    """A small JSON answer, nothing else: the ceiling of uvicorn on this machine."""

    async def app(scope, receive, send) -> None:
        if scope["type"] != "http":
            return
        await _drain(receive)
        await send(
            {"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]}
        )
        await send({"type": "http.response.body", "body": HELLO})

    return app


def graphql_core():
    """graphql-core executing a pre-parsed `{ hello }` (no parsing, no validation, no framework)."""
    schema = build_schema("type Query { hello: String }")
    document = parse("{ hello }")
    root = {"hello": "world"}

    async def app(scope, receive, send) -> None:
        if scope["type"] != "http":
            return
        await _drain(receive)
        result = execute_sync(schema, document, root_value=root)
        body = json.dumps({"data": result.data}).encode()
        await send(
            {"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]}
        )
        await send({"type": "http.response.body", "body": body})

    return app


@strawberry.type
class Query:
    @strawberry.field
    def hello(self) -> str:
        return "world"


def strawberry_default():
    """Strawberry's ASGI app, `{ hello }`, as it comes."""
    return GraphQL(strawberry.Schema(query=Query))


def strawberry_cached():
    """The same with its parser and validation caches: the ceiling the portal's rows are compared with."""
    return GraphQL(
        strawberry.Schema(query=Query, extensions=[ParserCache(maxsize=256), ValidationCache(maxsize=256)])
    )
