"""What one GraphQL request may cost (backend/api/limits.py), each limit both ways (just under: answered; just over:
a coded French refusal naming it), the abusive documents of the hardening review refused before they run, and what
the client is told otherwise: no « Did you mean » outside development, no introspection in production unless enabled,
one operation or an operationName, and an unexpected failure masked with the reference of its log line."""

from __future__ import annotations

import logging
from dataclasses import replace
from types import SimpleNamespace

import httpx
import pytest
import strawberry
from graphql import parse, print_ast

from backend.api.limits import LIST_SIZES, QueryLimiter, QueryLimits, measure
from backend.api.schema import PortalErrors, PortalSchema, schema
from backend.config import Settings
from tests.conftest import graphql
from ui.client import operations

LIMITS = QueryLimits()


def anonymous(live_server) -> httpx.Client:
    return httpx.Client(base_url=live_server.url, timeout=20)


def refusal(response: httpx.Response) -> dict:
    assert response.status_code == 200, response.text
    body = response.json()
    assert body.get("data") is None, body
    (error,) = body["errors"]
    return error


def fragment_bomb(levels: int = 20) -> str:
    """The review's 808-byte document: each fragment spreads the next one twice, 2^levels fields once expanded."""
    parts = ["query Q { ...F0 }"]
    for level in range(levels):
        parts.append(f"fragment F{level} on Query {{ a: __typename ...F{level + 1} ...F{level + 1} }}")
    parts.append(f"fragment F{levels} on Query {{ __typename }}")
    return " ".join(parts)


# A schema of its own for depth, aliases and cost, so that the figures are exact.
@strawberry.type
class Node:
    name: str = "n"

    @strawberry.field
    def child(self) -> Node:
        return Node()

    @strawberry.field
    def children(self) -> list[Node]:
        return [Node()]

    @strawberry.field
    def page(self, first: int = 20) -> list[Node]:
        return [Node()]


@strawberry.type
class Root:
    @strawberry.field
    def node(self) -> Node:
        return Node()


TINY = strawberry.Schema(query=Root)._schema


def measured(query: str, limits: QueryLimits = LIMITS, **kwargs):
    return measure(TINY, parse(query), limits, **kwargs)


def refused(query: str, limits: QueryLimits = LIMITS, **kwargs) -> dict:
    with pytest.raises(Exception) as caught:
        measured(query, limits, **kwargs)
    return caught.value.extensions


def nested(depth: int) -> str:
    """node { child { child … { name } } }: `depth` levels of fields."""
    return "{ node " + "{ child " * (depth - 2) + "{ name }" + " }" * (depth - 2) + " }"


def test_depth_at_the_limit_is_measured_and_one_more_is_refused():
    assert measured(nested(10)).depth == 10
    assert refused(nested(11)) == {"code": "QUERY_TOO_COMPLEX", "limit": "depth", "maximum": 10, "found": 11}


def test_aliases_at_the_limit_are_measured_and_one_more_is_refused():
    assert measured("{ node { " + " ".join(f"a{i}: name" for i in range(20)) + " } }").aliases == 20
    extensions = refused("{ node { " + " ".join(f"a{i}: name" for i in range(21)) + " } }")
    assert extensions["limit"] == "aliases" and extensions["found"] == 21


def test_a_page_weighs_its_size_and_a_plain_list_ten():
    assert measured("{ node { page(first: 5) { name } } }").cost == 1 + 1 + 5 * 1
    assert measured("{ node { page { name } } }").cost == 1 + 1 + 20  # the argument's default
    assert measured("{ node { page(first: $n) { name } } }", variables={"n": 7}).cost == 1 + 1 + 7
    assert measured("{ node { page(first: 100000) { name } } }").cost == 1 + 1 + 100  # capped like the API
    assert measured("{ node { children { name } } }").cost == 1 + 1 + 10
    assert measured("{ node { children { children { name } } } }").cost == 1 + 1 + 10 * (1 + 10)


def test_cost_at_the_limit_is_measured_and_one_more_is_refused():
    # node(1) + page(1) + 100 × (name + child(1) + name): 2 + 100 × 3 = 302
    query = "{ node { page(first: 100) { name child { name } } } }"
    assert measured(query, replace(LIMITS, max_cost=302)).cost == 302
    extensions = refused(query, replace(LIMITS, max_cost=301))
    assert extensions["limit"] == "cost" and extensions["maximum"] == 301


def test_fragments_count_once_expanded_and_a_deep_chain_is_refused_without_recursion_error():
    spread = "{ node { ...A ...A } } fragment A on Node { children { name } }"
    assert measured(spread).cost == 1 + 2 * (1 + 10)
    chain = " ".join(
        ["{ ...F0 }"]
        + [f"fragment F{i} on Root {{ ...F{i + 1} }}" for i in range(250)]
        + ["fragment F250 on Root { node { name } }"]
    )
    assert refused(chain)["limit"] == "fragments"
    cycle = "{ ...A } fragment A on Root { ...B } fragment B on Root { ...A node { name } }"
    assert measured(cycle).cost == 2  # measured, and left to validation to refuse


async def test_the_catalogue_lists_are_no_longer_than_their_declared_weight():
    data = (await schema.execute(operations()["Procedures"], context_value=development())).data["procedures"]
    assert len(data) <= LIST_SIZES["Query.procedures"]
    for procedure in data:
        assert len(procedure["rubriques"]) <= LIST_SIZES["Procedure.rubriques"]
        assert len(procedure["goodsKinds"]) <= LIST_SIZES["Procedure.goodsKinds"]
        for rubrique in procedure["rubriques"]:
            assert len(rubrique["fields"]) <= LIST_SIZES["Rubrique.fields"]
        for kind in procedure["goodsKinds"]:
            assert len(kind["fields"]) <= LIST_SIZES["GoodsKindInfo.fields"]
    fields = [f for p in data for r in p["rubriques"] for f in r["fields"]]
    assert sum(len(f["parts"] or []) for f in fields) <= LIST_SIZES["FormField.parts"] * len(fields)


@pytest.mark.parametrize("name", sorted(operations()))
def test_every_operation_of_the_ui_is_within_the_default_limits(name):
    found = measure(schema._schema, parse(operations()[name]), LIMITS, variables={"first": 100})
    assert (
        found.cost <= LIMITS.max_cost and found.depth <= LIMITS.max_depth and found.aliases <= LIMITS.max_aliases
    )


# The review's abusive documents, anonymous, over HTTP.


def test_the_808_byte_fragment_bomb_is_refused_before_it_runs(live_server):
    document = fragment_bomb()
    assert len(document.encode()) < 1200
    error = refusal(graphql(anonymous(live_server), document))
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX", error
    assert error["extensions"]["limit"] in {"fragments", "aliases", "cost"}
    assert error["message"].startswith("Requête trop complexe : au plus ")


def test_a_thousand_aliases_of_a_dossier_are_refused(live_server):
    document = "{ " + " ".join(f'd{i}: dossier(id: "RG9zc2llcjox") {{ id }}' for i in range(1000)) + " }"
    error = refusal(graphql(anonymous(live_server), document))
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert error["extensions"]["limit"] == "tokens" and error["extensions"]["maximum"] == 2000


def test_many_dashboard_pages_are_refused_by_their_cost_and_one_is_answered(live_server, sophie):
    item = "items { dossier { id reference status } operator { id legalName } }"
    several = "{ " + " ".join(f"p{i}: dashboard(first: 100) {{ totalCount {item} }}" for i in range(15)) + " }"
    error = refusal(graphql(sophie, several))
    assert error["extensions"] == {
        "code": "QUERY_TOO_COMPLEX",
        "limit": "cost",
        "maximum": 10_000,
        "found": error["extensions"]["found"],
    }
    one = graphql(sophie, f"{{ dashboard(first: 100) {{ totalCount {item} }} }}").json()
    assert "errors" not in one, one


def test_a_document_of_sixty_thousand_aliases_is_refused_by_its_size(live_server):
    document = "{ " + " ".join(f"a{i}: __typename" for i in range(60_000)) + " }"
    assert len(document) > 1_000_000
    error = refusal(graphql(anonymous(live_server), document))
    assert error["extensions"]["limit"] == "tokens"


def test_a_chain_of_300_fragments_is_a_coded_refusal_not_a_recursion_error(live_server):
    document = "query Q { ...F0 } " + " ".join(f"fragment F{i} on Query {{ ...F{i + 1} }}" for i in range(300))
    document += " fragment F300 on Query { __typename }"
    error = refusal(graphql(anonymous(live_server), document))
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert "recursion" not in error["message"]


def test_a_document_of_two_operations_needs_its_operation_name(live_server):
    client = anonymous(live_server)
    document = "query A { __typename } query B { __typename }"
    error = refusal(graphql(client, document))
    assert error["extensions"]["code"] == "OPERATION_NAME_REQUIRED"
    assert "A, B" in error["message"]
    chosen = client.post("/graphql", json={"query": document, "operationName": "B"}).json()
    assert chosen == {"data": {"__typename": "Query"}}


# What outside development changes: suggestions and introspection.


def production(**changes) -> SimpleNamespace:
    settings = Settings(env="prod", secret_key="x", oidc_issuer="https://idp.example", **changes)
    return SimpleNamespace(portal=SimpleNamespace(settings=settings))


def development() -> SimpleNamespace:
    return SimpleNamespace(portal=SimpleNamespace(settings=Settings(env="dev", secret_key="x")))


async def test_field_suggestions_are_given_in_development_only():
    dev = await schema.execute('{ dosier(id: "x") { id } }', context_value=development())
    assert "Did you mean" in dev.errors[0].message
    prod = await schema.execute('{ dosier(id: "x") { id } }', context_value=production())
    assert prod.errors[0].message == "Cannot query field 'dosier' on type 'Query'."


async def test_introspection_is_off_in_production_unless_enabled():
    query = "{ __schema { queryType { name } } }"
    refused_ = await schema.execute(query, context_value=production())
    assert refused_.errors[0].extensions["code"] == "INTROSPECTION_DISABLED"
    assert refused_.data is None
    typename = await schema.execute("{ __typename }", context_value=production())
    assert typename.data == {"__typename": "Query"}  # not introspection
    enabled = await schema.execute(query, context_value=production(graphql_introspection=True))
    assert enabled.errors is None and enabled.data == {"__schema": {"queryType": {"name": "Query"}}}
    dev = await schema.execute(query, context_value=development())
    assert dev.errors is None


async def test_the_standard_introspection_query_passes_where_it_is_on_and_twice_is_refused():
    from graphql import get_introspection_query

    query = get_introspection_query()
    assert (await schema.execute(query, context_value=development())).errors is None
    document = parse(query)
    operation, *fragments = document.definitions
    field = print_ast(operation.selection_set.selections[0])
    twice = f"query Twice {{ a: {field} b: {field} }} " + " ".join(print_ast(f) for f in fragments)
    result = await schema.execute(twice, context_value=development())
    assert result.errors[0].extensions["limit"] == "cost"


# An unexpected failure: masked, with the reference of its log line.


@strawberry.type
class Broken:
    @strawberry.field
    def boom(self) -> str:
        raise RuntimeError("secret internal detail: table users")


async def test_an_unexpected_failure_is_masked_with_the_reference_of_its_log_line(caplog):
    broken = PortalSchema(query=Broken, extensions=[QueryLimiter, PortalErrors])
    with caplog.at_level(logging.ERROR, logger="soprano.api"):
        result = await broken.execute("{ boom }", context_value=production())
    (error,) = result.errors
    assert "secret" not in error.message and "users" not in error.message
    assert error.extensions["code"] == "INTERNAL_SERVER_ERROR"
    error_id = error.extensions["errorId"]
    assert error.message.startswith(f"Erreur interne du serveur (référence {error_id})")
    (record,) = [r for r in caplog.records if error_id in r.getMessage()]
    assert record.exc_info and "secret internal detail" in str(record.exc_info[1])
