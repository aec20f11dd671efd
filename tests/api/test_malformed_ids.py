"""Ids that are not ids (found by tests/api/test_fuzzing.py): a value that is no global id, a number written with
other digits than ASCII's (« ² »), a number past the database's integers — each is an object that does not exist
(null, NOT_FOUND, a 404), never « Erreur interne »."""

from __future__ import annotations

import base64

import httpx
import pytest

from tests.conftest import graphql


def gid(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


MALFORMED = ["", "pas un identifiant", gid("Inconnu:1"), gid("Dossier:²"), gid("Dossier:99999999999999999999"),
             gid("Dossier:2147483648"), gid("Dossier:-1"), gid("Dossier:1e3")]  # fmt: skip


def data_of(response: httpx.Response) -> dict:
    assert response.status_code == 200, response.text
    body = response.json()
    for error in body.get("errors") or []:
        assert error.get("extensions", {}).get("code") != "INTERNAL_SERVER_ERROR", error
    return body


@pytest.mark.parametrize("value", MALFORMED)
def test_node_of_a_malformed_id_is_null(sophie, value):
    assert data_of(graphql(sophie, "query($id: ID!) { node(id: $id) { id } }", {"id": value})) == {
        "data": {"node": None}
    }


@pytest.mark.parametrize("value", MALFORMED)
def test_a_dossier_of_a_malformed_id_is_not_found(sophie, value):
    body = data_of(graphql(sophie, "query($id: ID!) { dossier(id: $id) { id } }", {"id": value}))
    assert body["data"] == {"dossier": None}


@pytest.mark.parametrize("value", [gid("ApiToken:²4"), gid("ApiToken:99999999999999999999")])
def test_a_mutation_on_a_malformed_id_is_not_found(sophie, value):
    body = data_of(graphql(sophie, "mutation($id: ID!) { revokeApiToken(id: $id) { isActive } }", {"id": value}))
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"


def test_a_visitor_with_a_malformed_id_gets_a_refusal_not_an_internal_error(live_server):
    client = httpx.Client(base_url=live_server.url, timeout=20)
    body = data_of(graphql(
        client,
        'mutation($id: ID!) { abandonIntendedAuthorizationMeasure(id: $id, reason: "x") { id } }',
        {"id": gid("Authorization:³")},
    ))  # fmt: skip
    assert body["errors"][0]["extensions"]["code"] in {"UNAUTHENTICATED", "NOT_FOUND"}


@pytest.mark.parametrize(
    "path",
    [
        "/files/²",
        "/files/99999999999999999999",
        "/files/autorisations/99999999999999999999/version-1.pdf",
        "/files/autorisations/1/version-².pdf",
    ],
)
def test_a_file_of_a_malformed_number_is_a_404(sophie, path):
    assert sophie.get(path).status_code == 404
