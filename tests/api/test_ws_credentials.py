"""A WebSocket connection lives for hours; its credentials and rights are those of the moment, not of its opening.

graphql-transport-ws runs every operation of a connection with the context made at `connection_init`. Each operation
and each delivered event must still ask: is the session open, is the token valid, which rights does the user have now.

- a query sent on a connection opened before the user's habilitation was revoked no longer sees the dossier, and one
  sent after the right was given again sees it again;
- a subscription authenticated by an API token ends (UNAUTHENTICATED) at the next event once the token is revoked,
  and later operations on that connection are refused the same way;
- a subscription authenticated by the browser session ends at the next event once the user logs out;
- the same for `dashboardChanged`: a revoked token ends it at the operator's next change;
- the other side of each case: with the credentials still valid, the same connection keeps working;
- subscribers woken by one event share its authorisation and its reading when their rights are the same (one
  computation, not one per subscriber), yet each one's credentials stay its own: of two tokens of one user with the
  same rights, the revoked one ends and the other still receives.
"""

from __future__ import annotations

from tests.processing_support import (
    People,
    WsClient,
    codes,
    comment,
    draft,
    hub_count,
    hub_has,
    ok,
    refusal,
)

DOSSIER = "query($id: ID!) { dossier(id: $id) { id reference } }"
COMMENT_ADDED = "subscription($d: ID!) { commentAdded(dossierId: $d) { id message } }"
REVOKE_HABILITATION = "mutation($id: ID!) { revokeHabilitation(id: $id) { id revokedAt } }"
GRANT = "mutation($input: GrantHabilitationInput!) { grantHabilitation(input: $input) { id } }"
CREATE_TOKEN = "mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { token apiToken { id } } }"
REVOKE_TOKEN = "mutation($id: ID!) { revokeApiToken(id: $id) { id revokedAt } }"
DASHBOARD_CHANGED = "subscription { dashboardChanged { dossierId counts { todo waiting } } }"


async def query(ws: WsClient, text: str, variables: dict) -> dict:
    """A query over the WebSocket: its one result (`next`), then `complete`."""
    op = await ws.subscribe(text, variables)
    result = await ws.receive()
    assert result["id"] == op, result
    if result["type"] == "error":
        return {"data": None, "errors": result["payload"]}
    assert result["type"] == "next", result
    closing = await ws.receive()
    assert closing == {"id": op, "type": "complete"}, closing
    return result["payload"]


async def ended_with(ws: WsClient, sub_id: str) -> set[str | None]:
    """The codes of the errors that ended a subscription, which sent no data with them."""
    return codes(await refusal(ws, sub_id))


def api_token(company, name: str) -> dict:
    """A token of the company's administrator, bound to the company with the right « consulter »."""
    return ok(
        company.admin,
        CREATE_TOKEN,
        {"input": {"name": name, "operatorId": company.operator_id, "right": "CONSULT"}},
    )["createApiToken"]


async def test_a_query_on_an_open_connection_follows_the_rights_of_the_moment(people, sockets):
    company = people.company("Brasserie du quai")
    member, habilitation = people.member(company, "CONSULT", "Louis Consult")
    dossier = draft(company.admin)
    ws = await sockets(member)
    seen = await query(ws, DOSSIER, {"id": dossier["id"]})
    assert seen["data"]["dossier"]["reference"] == dossier["reference"]

    ok(company.admin, REVOKE_HABILITATION, {"id": habilitation})
    after = await query(ws, DOSSIER, {"id": dossier["id"]})
    assert after["data"] is None or after["data"]["dossier"] is None, after
    assert codes(after.get("errors") or []) <= {"NOT_FOUND"}, after

    ok(
        company.admin,
        GRANT,
        {"input": {"operatorId": company.operator_id, "email": people_sub(people, member), "right": "CONSULT"}},
    )
    again = await query(ws, DOSSIER, {"id": dossier["id"]})
    assert again["data"]["dossier"]["reference"] == dossier["reference"], again


def people_sub(people: People, client) -> str:
    return next(sub for sub, c in people.clients.items() if c is client)


async def test_a_revoked_token_ends_its_subscription_and_its_connection_is_refused(people, sockets):
    company = people.company("Cidrerie jeton")
    dossier = draft(company.admin)
    created = api_token(company, "Application mobile")
    ws = await sockets(payload={"Authorization": f"Bearer {created['token']}"})
    sub_id = await ws.subscribe(COMMENT_ADDED, {"d": dossier["id"]})
    first = comment(company.admin, dossier["id"], "Avant la révocation du jeton.")
    assert (await ws.next_data())["commentAdded"]["id"] == first["id"]
    # Allowed: the token still valid, a query on the same connection answers.
    seen = await query(ws, DOSSIER, {"id": dossier["id"]})
    assert seen["data"]["dossier"]["reference"] == dossier["reference"]

    revoked = ok(company.admin, REVOKE_TOKEN, {"id": created["apiToken"]["id"]})["revokeApiToken"]
    assert revoked["revokedAt"]
    comment(company.admin, dossier["id"], "Après la révocation du jeton.")
    assert await ended_with(ws, sub_id) == {"UNAUTHENTICATED"}
    refused = await query(ws, DOSSIER, {"id": dossier["id"]})
    assert refused["data"] is None or refused["data"]["dossier"] is None, refused
    assert codes(refused["errors"]) == {"UNAUTHENTICATED"}, refused
    me = await query(ws, "{ me { name } }", {})
    assert codes(me["errors"]) == {"UNAUTHENTICATED"}, me


async def test_logging_out_ends_the_subscriptions_of_that_browser_session(people, sockets, live_server):
    company = people.company("Fromagerie déconnectée")
    member, _ = people.member(company, "CONSULT", "Anne Sortante")
    dossier = draft(company.admin)
    ws = await sockets(member)
    sub_id = await ws.subscribe(COMMENT_ADDED, {"d": dossier["id"]})
    first = comment(company.admin, dossier["id"], "Pendant la session.")
    assert (await ws.next_data())["commentAdded"]["id"] == first["id"]

    response = member.post("/auth/logout")
    assert response.status_code in (200, 303), response.status_code
    comment(company.admin, dossier["id"], "Après la déconnexion.")
    assert await ended_with(ws, sub_id) == {"UNAUTHENTICATED"}


async def test_subscribers_with_the_same_rights_share_the_work_of_an_event_but_not_their_credentials(
    people, sockets, live_server
):
    company = people.company("Distillerie partagée")
    dossier = draft(company.admin)
    tokens = [api_token(company, f"Tablette {n}") for n in range(2)]
    readers = [await sockets(payload={"Authorization": f"Bearer {t['token']}"}) for t in tokens for _ in range(3)]
    subs = [await ws.subscribe(COMMENT_ADDED, {"d": dossier["id"]}) for ws in readers]
    warm = comment(company.admin, dossier["id"], "Tout le monde est là ?")
    for ws in readers:  # every subscription is listening
        assert (await ws.next_data())["commentAdded"]["id"] == warm["id"]

    shared = live_server.portal.shared
    before = shared.computed
    second = comment(company.admin, dossier["id"], "Un seul calcul pour six lecteurs.")
    for ws in readers:
        assert (await ws.next_data())["commentAdded"]["id"] == second["id"]
    # Six subscribers, one user with one right: the reader check and the reading of the event, once each.
    assert shared.computed - before == 2

    ok(company.admin, REVOKE_TOKEN, {"id": tokens[0]["apiToken"]["id"]})
    third = comment(company.admin, dossier["id"], "Après la révocation de la première tablette.")
    for ws, sub_id in zip(readers[:3], subs[:3], strict=True):
        assert await ended_with(ws, sub_id) == {"UNAUTHENTICATED"}
    for ws in readers[3:]:
        assert (await ws.next_data())["commentAdded"]["id"] == third["id"]


async def test_a_revoked_token_ends_its_dashboard_subscription(people, sockets, live_server):
    company = people.company("Biscuiterie tableau de bord")
    created = api_token(company, "Tableau mural")
    ws = await sockets(payload={"Authorization": f"Bearer {created['token']}"})

    before = hub_count(live_server)
    sub_id = await ws.subscribe(DASHBOARD_CHANGED)
    await hub_has(live_server, before + 1)
    first = draft(company.admin)
    change = (await ws.next_data())["dashboardChanged"]
    assert change["dossierId"] == first["id"] and change["counts"]["todo"] >= 1

    ok(company.admin, REVOKE_TOKEN, {"id": created["apiToken"]["id"]})
    draft(company.admin)
    message = await ws.receive()
    assert message["id"] == sub_id and message["type"] == "next", message
    assert codes(message["payload"]["errors"]) == {"UNAUTHENTICATED"}, message
