"""API tokens (partner software, mobile apps): a valid token authenticates over HTTP and WebSocket; an expired,
revoked or malformed one is a 401 / a refused connection, never an anonymous request and never a 500; only the
token's SHA-256 is stored; the `soprano token create` command; `node(id:)` only shows what the actor may see.

Real parts only: the live portal over HTTP and WebSocket through gql, the domain functions on the same database.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from collections.abc import AsyncIterator

import httpx
import pytest
import pytest_asyncio
import sqlalchemy as sa
import websockets
from gql import Client, GraphQLRequest, gql
from gql.transport.exceptions import TransportError, TransportQueryError
from gql.transport.httpx import HTTPXAsyncTransport
from gql.transport.websockets import WebsocketsTransport
from sqlmodel import Session, select

from backend.config import get_settings
from backend.db import Database, utcnow
from backend.identity.models import User
from backend.identity.tokens import ApiToken, create_token, hash_token, revoke_token
from backend.identity.users import upsert_user_from_claims
from tests.conftest import login, unique_sub

ME = gql("query Me { me { id name kind } }")
NODE = "query Node($id: ID!) { node(id: $id) { id ... on User { name } } }"


def node(gid: str) -> GraphQLRequest:
    return GraphQLRequest(NODE, variable_values={"id": gid})


@pytest_asyncio.fixture(loop_scope="session", scope="module")
async def db(live_server) -> AsyncIterator[Database]:
    """The live portal's database, through an engine of the test's own event loop (the portal's engine belongs to
    the server thread's loop; pooled async connections must not cross loops)."""
    database = Database(live_server.settings)
    yield database
    await database.dispose()


async def new_user(db: Database, live_server, name: str = "Partenaire API", **claims) -> User:
    async with db.session() as session:
        return await upsert_user_from_claims(
            session,
            {"sub": unique_sub("api"), "name": name, **claims},
            issuer=live_server.settings.oidc_issuer,
            settings=live_server.settings,
        )


async def new_token(db: Database, user: User, **kwargs) -> tuple[ApiToken, str]:
    async with db.session() as session:
        return await create_token(session, user, **kwargs)


async def token_row(db: Database, token_id: int) -> dict:
    async with db.engine.connect() as conn:
        result = await conn.execute(sa.text("SELECT * FROM api_token WHERE id = :id"), {"id": token_id})
        return dict(result.mappings().one())


def http_client(live_server, authorization: str | None = None) -> Client:
    headers = {"Authorization": authorization} if authorization is not None else None
    return Client(transport=HTTPXAsyncTransport(url=f"{live_server.url}/graphql", headers=headers, timeout=20))


def ws_client(live_server, init_payload: dict | None = None) -> Client:
    transport = WebsocketsTransport(
        url=live_server.url.replace("http://", "ws://") + "/graphql",
        init_payload=init_payload or {},
        subprotocols=[WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL],
        connect_timeout=10,
        ack_timeout=10,
        close_timeout=5,
    )
    return Client(transport=transport)


def global_id(user_id: int) -> str:
    return base64.b64encode(f"User:{user_id}".encode()).decode()


def close_code(error: BaseException) -> int | None:
    """The WebSocket close code behind a gql transport error (websockets' ConnectionClosed in the cause chain)."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, websockets.ConnectionClosed) and seen.rcvd is not None:
            return seen.rcvd.code
        seen = seen.__cause__ or seen.__context__
    return None


def assert_unauthenticated(response: httpx.Response) -> None:
    assert response.status_code == 401, (response.status_code, response.text)
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["www-authenticate"].startswith("Bearer")
    body = response.json()
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert "invalide" in body["errors"][0]["message"]


async def post_me(live_server, authorization: str | bytes) -> httpx.Response:
    async with httpx.AsyncClient(timeout=20) as client:
        return await client.post(
            f"{live_server.url}/graphql",
            json={"query": "{ me { id } }"},
            headers={"Authorization": authorization},
        )


# --- A valid token -----------------------------------------------------------------------------------------------


async def test_valid_token_authenticates_over_http(live_server, db):
    user = await new_user(db, live_server, "Alice Partenaire", siret="55210055400013")
    _, raw = await new_token(db, user, name="ERP")

    async with http_client(live_server, f"Bearer {raw}") as session:
        result = await session.execute(ME)

    assert result["me"] == {"id": global_id(user.id), "name": "Alice Partenaire", "kind": "PROFESSIONAL"}


async def test_valid_token_authenticates_over_websocket(live_server, db):
    user = await new_user(db, live_server, "Bruno WebSocket")
    _, raw = await new_token(db, user)

    async with ws_client(live_server, {"Authorization": f"Bearer {raw}"}) as session:
        result = await session.execute(ME)

    assert result["me"]["id"] == global_id(user.id)
    assert result["me"]["name"] == "Bruno WebSocket"


async def test_last_use_is_recorded(live_server, db):
    user = await new_user(db, live_server)
    token, raw = await new_token(db, user)
    assert (await token_row(db, token.id))["last_used_at"] is None
    before = utcnow() - dt.timedelta(seconds=5)

    async with http_client(live_server, f"Bearer {raw}") as session:
        assert (await session.execute(ME))["me"] is not None

    async with db.session() as session:
        stored = await session.get(ApiToken, token.id)
    assert stored.last_used_at is not None
    assert before <= stored.last_used_at <= utcnow() + dt.timedelta(seconds=5)


async def test_only_the_sha256_of_the_token_is_stored(live_server, db):
    user = await new_user(db, live_server)
    token, raw = await new_token(db, user, name="Logiciel de dédouanement")

    row = await token_row(db, token.id)

    assert row["token_hash"] == hashlib.sha256(raw.encode()).hexdigest() == hash_token(raw)
    assert raw.startswith("sop_") and len(raw) > 40
    for column, value in row.items():
        assert raw not in str(value), column
        assert raw[4:] not in str(value), column  # not even without its prefix
    assert len(row["hint"]) < len(raw) // 2  # the hint only helps recognise the token


# --- Refused tokens ----------------------------------------------------------------------------------------------


async def test_expired_token_is_401(live_server, db):
    user = await new_user(db, live_server)
    _, raw = await new_token(db, user, days=1, now=utcnow() - dt.timedelta(days=2))
    assert_unauthenticated(await post_me(live_server, f"Bearer {raw}"))


async def test_revoked_token_is_401(live_server, db):
    user = await new_user(db, live_server)
    token, raw = await new_token(db, user)
    response = await post_me(live_server, f"Bearer {raw}")
    assert response.status_code == 200 and response.json()["data"]["me"]["id"] == global_id(user.id)

    async with db.session() as session:
        await revoke_token(session, await session.get(ApiToken, token.id))

    assert_unauthenticated(await post_me(live_server, f"Bearer {raw}"))


@pytest.mark.parametrize(
    "authorization",
    [
        "Bearer",
        "bearer",
        "Bearer  sop_nope",
        "Bearer sop_nope",
        "Bearer nope",
        "Basic abc",
        "Basic dXNlcjpwYXNzd29yZA==",
        "Token sop_nope",
        "Bearer sop_" + "x" * 500,
        "Bearer sop_a b",
        b"Bearer sop_\xe9t\xe9",  # Latin-1 bytes, as a header may carry
    ],
)
async def test_malformed_authorization_is_401_never_500(live_server, authorization):
    assert_unauthenticated(await post_me(live_server, authorization))


async def test_gql_client_sees_a_bad_token_as_a_transport_error(live_server):
    with pytest.raises(TransportQueryError) as error:
        async with http_client(live_server, "Bearer sop_nope") as session:
            await session.execute(ME)
    assert error.value.errors[0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_no_authorization_is_anonymous(live_server):
    async with httpx.AsyncClient(timeout=20) as client:
        response = await client.post(f"{live_server.url}/graphql", json={"query": "{ me { id } }"})
    assert response.status_code == 200
    assert response.json() == {"data": {"me": None}}

    async with http_client(live_server) as session:
        assert (await session.execute(ME)) == {"me": None}
    async with ws_client(live_server) as session:
        assert (await session.execute(ME)) == {"me": None}


@pytest.mark.parametrize(
    "payload",
    [
        {"Authorization": "Bearer sop_nope"},
        {"authorization": "Bearer sop_nope"},
        {"Authorization": "Basic abc"},
        {"Authorization": "Bearer"},
        {"token": "sop_nope"},
        {"token": 42},
        {"Authorization": 42},
        {"Authorization": ["Bearer sop_nope"]},
    ],
    ids=[
        "unknown",
        "lowercase-key",
        "basic",
        "bearer-without-token",
        "token-key",
        "token-not-a-string",
        "authorization-not-a-string",
        "authorization-list",
    ],
)
async def test_websocket_with_an_invalid_token_is_closed_4403(live_server, payload):
    with pytest.raises(TransportError) as error:
        async with ws_client(live_server, payload) as session:
            await session.execute(ME)
    assert close_code(error.value) == 4403, repr(error.value)


async def test_websocket_with_an_expired_or_revoked_token_is_closed_4403(live_server, db):
    user = await new_user(db, live_server)
    _, expired = await new_token(db, user, days=1, now=utcnow() - dt.timedelta(days=3))
    revoked_token, revoked = await new_token(db, user)
    async with db.session() as session:
        await revoke_token(session, await session.get(ApiToken, revoked_token.id))

    for raw in (expired, revoked):
        with pytest.raises(TransportError) as error:
            async with ws_client(live_server, {"Authorization": f"Bearer {raw}"}) as session:
                await session.execute(ME)
        assert close_code(error.value) == 4403, repr(error.value)


# --- node(id:) ---------------------------------------------------------------------------------------------------


async def test_node_answers_one_self_and_null_for_another_user(live_server, db):
    me = await new_user(db, live_server, "Moi Même")
    other = await new_user(db, live_server, "Quelqu'un d'Autre")
    _, raw = await new_token(db, me)

    async with http_client(live_server, f"Bearer {raw}") as session:
        own = await session.execute(node(global_id(me.id)))
        foreign = await session.execute(node(global_id(other.id)))

    assert own["node"] == {"id": global_id(me.id), "name": "Moi Même"}
    assert foreign["node"] is None


async def test_node_is_null_for_an_anonymous_caller(live_server, db):
    user = await new_user(db, live_server)
    async with http_client(live_server) as session:
        result = await session.execute(node(global_id(user.id)))
    assert result["node"] is None


# --- soprano token create ----------------------------------------------------------------------------------------


@pytest.fixture
def cli_env(live_server, monkeypatch, tmp_path):
    """The environment `soprano` reads its settings from: the live portal's database and provider."""
    settings = live_server.settings
    monkeypatch.delenv("ENV", raising=False)
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("OIDC_ISSUER", settings.oidc_issuer)
    monkeypatch.setenv("SECRET_KEY", "cli-test-secret")
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    yield settings
    get_settings.cache_clear()


def cli_user(live_server, provider) -> str:
    """A user the CLI can find: one who logged in through the provider (the CLI runs its own event loop)."""
    sub = unique_sub("cli")
    login(live_server, provider, sub, {"name": "Carla Commande"})
    return sub


def test_cli_refuses_a_zero_day_token(cli_env, live_server, provider, capsys):
    from backend.cli import main

    sub = cli_user(live_server, provider)
    assert main(["token", "create", "--user", sub, "--expires", "0"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "durée de validité" in err and "jours" in err


def test_cli_refuses_an_invalid_operator_siret(cli_env, live_server, provider, capsys):
    from backend.cli import main

    sub = cli_user(live_server, provider)
    assert main(["token", "create", "--user", sub, "--operator", "55210055400014"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "SIRET" in err and "n'est pas valide" in err


def test_cli_refuses_an_unknown_user(cli_env, capsys):
    from backend.cli import main

    assert main(["token", "create", "--user", unique_sub("inconnu")]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "aucun utilisateur" in err


def test_cli_refuses_an_unknown_operator(cli_env, live_server, provider, capsys):
    from backend.cli import main

    sub = cli_user(live_server, provider)
    # A well-formed SIRET (Luhn-valid) that no operator of the portal has.
    assert main(["token", "create", "--user", sub, "--operator", "40483304800022"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "Erreur" in err and "40483304800022" in err


def test_cli_prints_a_working_token_once(cli_env, live_server, provider, capsys):
    from backend.cli import main

    sub = cli_user(live_server, provider)
    assert main(["token", "create", "--user", sub, "--name", "ERP", "--expires", "30"]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert len(lines) == 1, out  # stdout holds the token alone, so $(soprano token create …) works
    raw = lines[0]
    assert raw.startswith("sop_")
    assert raw not in err
    assert "Il ne sera plus affiché" in err

    response = httpx.post(
        f"{live_server.url}/graphql",
        json={"query": "{ me { name } }"},
        headers={"Authorization": f"Bearer {raw}"},
        timeout=20,
    )
    assert response.status_code == 200
    assert response.json() == {"data": {"me": {"name": "Carla Commande"}}}

    engine = sa.create_engine(cli_env.sync_database_url)
    try:
        with Session(engine) as session:
            token = session.exec(select(ApiToken).where(ApiToken.token_hash == hash_token(raw))).one()
            row = (
                session.execute(sa.text("SELECT * FROM api_token WHERE id = :id"), {"id": token.id})
                .mappings()
                .one()
            )
    finally:
        engine.dispose()
    assert token.name == "ERP"
    assert token.expires_at - token.created_at == dt.timedelta(days=30)
    assert all(raw not in str(value) for value in row.values())
