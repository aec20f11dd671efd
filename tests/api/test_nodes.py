"""The Relay node base (`backend.api.nodes.PolicyNode`): every node type reads through the policy's visibility filter,
so `node(id:)` answers null for what the actor may not see exactly like for what does not exist; and `rights`, the
public list of rights and their labels."""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

import httpx
import pytest
from strawberry import relay

from backend.api import schema as schema_module
from backend.api.identity import types
from backend.api.nodes import PolicyNode
from backend.identity.policy import Access
from tests.conftest import graphql
from tests.identity.test_policy import Cast, cast  # noqa: F401  (the fixture)


def node_types() -> list[type]:
    """Every object type of the schema that implements Relay's Node."""
    schema = schema_module.schema
    found = []
    for definition in schema.schema_converter.type_map.values():
        origin = getattr(definition.definition, "origin", None)
        if isinstance(origin, type) and issubclass(origin, relay.Node) and origin is not relay.Node:
            found.append(origin)
    return found


def test_every_identity_node_reads_through_the_policy():
    identity = [t for t in node_types() if t.__module__ == types.__name__]
    assert {t.__name__ for t in identity} == {"Operator", "User", "Habilitation", "Representation", "ApiToken"}
    for node in identity:
        assert issubclass(node, PolicyNode), node
        assert node.visibility.__module__.startswith("backend.identity.policy"), node


def test_every_node_of_the_schema_reads_through_the_policy():
    """No node type writes its own resolve_nodes: each names its model and the policy's filter."""
    nodes = node_types()
    assert {"Dossier", "GoodsLine", "Attachment", "Operator"} <= {t.__name__ for t in nodes}
    for node in nodes:
        assert issubclass(node, PolicyNode), node
        assert node.visibility.__module__.startswith("backend.identity.policy"), node
        assert "resolve_nodes" not in vars(node), node


@dataclass
class Info:
    """What `resolve_nodes` reads of Strawberry's info: the context's access and database."""

    context: SimpleNamespace


def info_for(access: Access, database) -> Info:
    async def current_access() -> Access:
        return access

    return Info(SimpleNamespace(access=current_access, db=database))


async def test_a_node_is_null_when_hidden_missing_or_malformed_and_answers_keep_their_order(cast, database):  # noqa: F811
    me, op = await cast.company()
    other, _ = await cast.company("other")
    access = await cast.access(me)
    ids = [str(other.id), str(me.id), "not-a-number", "999999999", str(me.id)]
    found = await types.User.resolve_nodes(info=info_for(access, database), node_ids=ids)
    assert [n.id if n else None for n in found] == [None, me.id, None, None, me.id]
    operators = await types.Operator.resolve_nodes(info=info_for(access, database), node_ids=[str(op)])
    assert [o.siret for o in operators] == [(await cast.session.get(types.models.Operator, op)).siret]
    nobody = await types.Operator.resolve_nodes(info=info_for(Access(actor=None), database), node_ids=[str(op)])
    assert nobody == [None]


async def test_a_token_node_is_seen_by_its_owner_only(cast, database):  # noqa: F811
    me, op = await cast.company()
    member = await cast.member(op)
    token = await cast.token(me, op, types.models.Right.CONSULT)
    mine = await types.ApiToken.resolve_nodes(
        info=info_for(await cast.access(me), database), node_ids=[str(token.id)]
    )
    assert mine[0] is not None and mine[0].operator is not None and mine[0].is_active()
    theirs = await types.ApiToken.resolve_nodes(
        info=info_for(await cast.access(member), database), node_ids=[str(token.id)]
    )
    assert theirs == [None]


@pytest.mark.parametrize("prefix", ["habilitation", "mandate"])
async def test_habilitation_and_mandate_nodes_follow_the_policy(cast, database, prefix):  # noqa: F811
    admin, op = await cast.company()
    member = await cast.member(op)
    stranger, _ = await cast.company("stranger")
    if prefix == "habilitation":
        row = await cast.habilitate(op, member, types.models.Right.PREPARE, by=admin)
        node = types.Habilitation
    else:
        _, rep = await cast.company("representative")
        row = await cast.mandate(rep, op, by=admin)
        node = types.Representation
    for user, seen in ((admin, True), (member, True), (stranger, False)):
        found = await node.resolve_nodes(info=info_for(await cast.access(user), database), node_ids=[str(row.id)])
        assert (found[0] is not None) is seen, (prefix, user.name)


def test_the_rights_and_their_labels_are_public(live_server):
    with httpx.Client(base_url=live_server.url, timeout=20) as anonymous:
        answer = graphql(anonymous, "{ rights { value label } }").json()
    assert answer == {
        "data": {
            "rights": [
                {"value": "CONSULT", "label": "consulter"},
                {"value": "PREPARE", "label": "préparer"},
                {"value": "SUBMIT", "label": "déposer"},
            ]
        }
    }
