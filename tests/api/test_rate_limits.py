"""Rate limits (backend/ratelimit.py), on portals of the test's own with small limits, over HTTP: mutations per API
token (each mutation of a document counts; queries do not), another token and a browser user unaffected; the login per
address; a refusal is `RATE_LIMITED`, HTTP 429 with Retry-After and a French message; with Redis, two workers share
one count."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator

import httpx
import pytest

from tests.conftest import LiveServer, free_port, run_live_server, unique_sub
from tests.processing_support import new_api_token

MUTATION = 'mutation { addComment(dossierId: "RG9zc2llcjox", text: "Bonjour") { id } }'
QUERY = "{ me { name } }"


@pytest.fixture(scope="module")
def portals(live_server) -> Iterator[Callable[..., LiveServer]]:
    """Starts portals on the suite's database with other settings (stopped at the module's end)."""
    from backend.app import create_app

    running = []

    def start(**changes) -> LiveServer:
        settings = dataclasses.replace(live_server.settings, **changes)
        port = free_port()
        server, thread = run_live_server(create_app(settings), port)
        running.append((server, thread))
        return LiveServer(url=f"http://127.0.0.1:{port}", app=None, settings=settings)

    yield start
    for server, thread in running:
        server.should_exit = True
        thread.join(10)


def new_token(live_server) -> str:
    return new_api_token(live_server.settings, "Partenaire Pressé")


def post(portal: LiveServer, token: str, query: str) -> httpx.Response:
    return httpx.post(
        f"{portal.url}/graphql", json={"query": query}, headers={"Authorization": f"Bearer {token}"}, timeout=20
    )


def assert_rate_limited(response: httpx.Response) -> None:
    assert response.status_code == 429, response.text
    retry_after = int(response.headers["retry-after"])
    assert 1 <= retry_after <= 60
    (error,) = response.json()["errors"]
    assert error["extensions"] == {"code": "RATE_LIMITED", "retryAfter": retry_after}
    assert error["message"].startswith("Trop de requêtes : réessayez dans ")
    assert response.json()["data"] is None


def test_mutations_are_limited_per_token_and_queries_are_not(live_server, portals):
    portal = portals(rate_limit_mutations="3/minute", redis_url=None)
    first, second = new_token(live_server), new_token(live_server)
    for _ in range(3):
        answer = post(portal, first, MUTATION)
        assert answer.status_code == 200 and answer.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert_rate_limited(post(portal, first, MUTATION))
    assert post(portal, first, QUERY).json() == {"data": {"me": {"name": "Partenaire Pressé"}}}  # queries pass
    assert post(portal, second, MUTATION).status_code == 200  # another token: its own count


def test_each_mutation_of_a_document_counts(live_server, portals):
    portal = portals(rate_limit_mutations="3/minute", redis_url=None)
    token = new_token(live_server)
    three = (
        "mutation { " + " ".join(f'c{i}: addComment(dossierId: "x", text: "y") {{ id }}' for i in range(3)) + " }"
    )
    assert post(portal, token, three).status_code == 200
    assert_rate_limited(post(portal, token, MUTATION))
    four = (
        "mutation { " + " ".join(f'c{i}: addComment(dossierId: "x", text: "y") {{ id }}' for i in range(4)) + " }"
    )
    assert_rate_limited(post(portal, new_token(live_server), four))


def test_the_login_is_limited_per_address_with_a_french_page(portals):
    portal = portals(rate_limit_login="2/minute", redis_url=None)
    for _ in range(2):
        assert httpx.get(f"{portal.url}/auth/login", timeout=20).status_code == 302
    refused = httpx.get(f"{portal.url}/auth/login", timeout=20)
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert "Trop de tentatives de connexion" in refused.text and "réessayez dans" in refused.text


@pytest.mark.redis
def test_two_workers_share_one_count_through_redis(live_server, portals):
    prefix = f"limits-{unique_sub('p')}:"
    one = portals(rate_limit_mutations="3/minute", redis_channel_prefix=prefix)
    other = portals(rate_limit_mutations="3/minute", redis_channel_prefix=prefix)
    token = new_token(live_server)
    assert post(one, token, MUTATION).status_code == 200
    assert post(other, token, MUTATION).status_code == 200
    assert post(one, token, MUTATION).status_code == 200
    assert_rate_limited(post(other, token, MUTATION))
