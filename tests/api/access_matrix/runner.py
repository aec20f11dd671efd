"""Running one row of the access matrix: prepare, send over HTTP, undo, compare the demo state, check."""

from __future__ import annotations

import asyncio
import inspect
from typing import Any

import httpx
import pytest

from tests.api.access_matrix.operations import OPERATIONS
from tests.api.access_matrix.world import (
    ALLOW,
    AUTHORIZATIONS,
    DECLARATIONS,
    DOSSIERS,
    NULL,
    Holds,
    Invalid,
    Lists,
    Reads,
    Row,
    Says,
    Sees,
    Shows,
    World,
    snapshot,
)
from tests.conftest import graphql


def row_id(row: tuple) -> str:
    actor, operation, target, _expected = row
    return f"{actor}-{operation}-{target or '_'}"


# --- running a row --------------------------------------------------------------------------------------------------


async def run(world: World, clients: dict[str, httpx.Client], actor: str, operation: str, target: Any) -> dict:
    """Prepare, send over HTTP, undo; returns the GraphQL answer. The demo state must be as before."""
    spec = OPERATIONS[operation]
    row = Row(world, actor, target)
    try:
        variables = spec.variables(row)
        if inspect.isawaitable(variables):
            variables = await variables
        response = await asyncio.to_thread(spec.send or graphql, clients[actor], spec.document, variables)
    finally:
        for undo in reversed(row.undo):
            await undo()
    assert response.status_code == 200, (response.status_code, response.text)
    assert await snapshot(world.db, world) == world.baseline, "the row changed the demo state"
    return response.json()


def check(body: dict, operation: str, root: str, expected: Any, world: World) -> None:
    if isinstance(expected, dict):
        for alias, outcome in expected.items():
            check(body, operation, alias, outcome, world)
        return
    value = (body.get("data") or {}).get(root)
    errors = [e for e in body.get("errors") or [] if not e.get("path") or e["path"][0] == root]
    if expected in (ALLOW, NULL) or isinstance(expected, Sees | Shows | Lists | Reads | Holds):
        assert not errors, f"{root}: expected {expected}, got errors {errors}"
        if expected == NULL:
            assert value is None, f"{root}: expected null, got {value}"
            return
        assert value is not None, f"{root}: expected data, got null"
        if isinstance(expected, Shows):
            entries = OPERATIONS[operation].entries
            listed = {entry["dossier"]["id"] for entry in (entries(value) if entries else value)}
            seen = sorted(key for key in DOSSIERS if world.dossier_gid(key) in listed)
            assert seen == sorted(expected.dossiers), f"{root}: listed {seen}"
        if isinstance(expected, Lists):
            listed = {entry["id"] for entry in OPERATIONS[operation].entries(value)}
            seen = sorted(key for key in AUTHORIZATIONS if world.authorization_gid(key) in listed)
            assert seen == sorted(expected.authorizations), f"{root}: listed {seen}"
        if isinstance(expected, Holds):
            listed = {entry["id"] for entry in OPERATIONS[operation].entries(value)}
            seen = sorted(key for key in DECLARATIONS if world.declaration_gid(key) in listed)
            assert seen == sorted(expected.declarations), f"{root}: listed {seen}"
        if isinstance(expected, Reads):
            got = {key: value.get(key) for key, _ in expected.values}
            assert got == dict(expected.values), f"{root}: read {got}"
        if isinstance(expected, Sees):
            names = OPERATIONS[operation].names
            assert names is not None, f"{operation} has no `names` extractor for sees()"
            wanted = sorted(world.operator_names[key] for key in expected.operators)
            assert sorted(names(value)) == wanted
        return
    assert errors, f"{root}: expected {expected}, got data {value}"
    code = errors[0].get("extensions", {}).get("code")
    if isinstance(expected, Invalid):
        field = errors[0].get("extensions", {}).get("field")
        assert (code, field) == ("INVALID", expected.field), f"{root}: expected {expected}, got {code} on {field}"
        if expected.fields is not None:
            told = tuple(problem["field"] for problem in errors[0]["extensions"].get("fields", []))
            assert told == expected.fields, f"{root}: expected {expected}, told {told}"
        assert value is None
        return
    if isinstance(expected, Says):
        message = errors[0]["message"]
        assert code == expected.code, f"{root}: expected {expected}, got {code} ({message})"
        assert expected.words in message, f"{root}: expected {expected}, told {message!r}"
        assert value is None
        return
    assert code == expected, f"{root}: expected {expected}, got {code} ({errors[0]['message']})"
    assert value is None


async def run_document(client: httpx.Client, document: str, variables: dict | None = None) -> dict:
    response = await asyncio.to_thread(graphql, client, document, variables)
    assert response.status_code == 200, response.text
    return response.json()


def matrix(rows: list[tuple[str, str, Any, Any]]):
    """Parametrize a test by the rows of a table, each named actor-operation-target."""
    return pytest.mark.parametrize(
        ("actor", "operation", "target", "expected"), rows, ids=[row_id(r) for r in rows]
    )


async def assert_row(world: World, clients: dict[str, httpx.Client], actor: str, operation: str, target, expected):
    body = await run(world, clients, actor, operation, target)
    check(body, operation, operation.split(":")[0], expected, world)


def invisible_like_missing(rows: list[tuple[str, str, Any, Any]]):
    """Parametrize a test by (actor, operation, a target the actor may not see, a valid id of nothing)."""
    return pytest.mark.parametrize(
        ("actor", "operation", "invisible", "missing"), rows, ids=[f"{a}-{o}-{i}" for a, o, i, _m in rows]
    )


async def assert_invisible_like_missing(
    world: World, clients: dict[str, httpx.Client], actor, operation, invisible, missing
):
    """What may not be seen answers exactly like what does not exist."""
    hidden = await run(world, clients, actor, operation, invisible)
    absent = await run(world, clients, actor, operation, missing)
    assert hidden == absent
