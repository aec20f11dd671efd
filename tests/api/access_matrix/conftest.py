"""Fixtures of the access matrix: one logged-in client per actor (session-wide) and the world of one test module
(ids, fresh people, fixture dossiers, the baseline every row is compared with)."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
import pytest_asyncio
from sqlmodel import select

from backend.db import Database, utcnow
from backend.dossiers.storage import FileSystemStorage
from backend.identity.models import (
    SOPRANO,
    AccountKind,
    Habilitation,
    Operator,
    Representation,
    Right,
    TermsVersion,
    User,
)
from backend.identity.tokens import create_token
from backend.identity.users import upsert_user_from_claims
from tests.api.access_matrix.world import (
    ACTORS,
    DEMO_USERS,
    DOSSIERS,
    PDF,
    PROFESSIONALS,
    SIRETS,
    World,
    fresh_siret,
    insert_dossier,
    session_id_of,
    snapshot,
)
from tests.conftest import graphql, login, unique_sub

# --- fixtures: logged-in actors (session-wide), the world (ids, fresh objects, baseline) -------------------------


def _accept_terms(client: httpx.Client) -> None:
    version = graphql(client, "{ termsOfUse { version } }").json()["data"]["termsOfUse"]["version"]
    body = graphql(
        client, "mutation($v: String!) { acceptTerms(version: $v) { accepted } }", {"v": version}
    ).json()
    assert body["data"]["acceptTerms"]["accepted"] is True, body


@pytest.fixture(scope="session")
def actor_clients(live_server, provider) -> Iterator[dict[str, httpx.Client]]:
    """One logged-in HTTP client per actor, reused by every row; professionals have accepted the terms, except the
    newcomer."""
    clients: dict[str, httpx.Client] = {}
    for actor, sub in ACTORS.items():
        if actor in ("anonymous", "token", "member", "newcomer"):
            continue
        clients[actor] = login(live_server, provider, sub)
    clients["member"] = login(
        live_server, provider, unique_sub("membre"), {"name": "Membre Sans Droit", "siret": SIRETS["DURAND"]}
    )
    clients["newcomer"] = login(
        live_server, provider, unique_sub("nouveau"), {"name": "Nouvel Arrivant", "siret": fresh_siret()}
    )
    for actor in PROFESSIONALS:
        _accept_terms(clients[actor])
    clients["anonymous"] = httpx.Client(base_url=live_server.url, timeout=20)
    created = graphql(
        clients["admin"],
        "mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { token } }",
        {
            "input": {
                "name": "matrice : jeton de consultation",
                "right": "CONSULT",
                "operatorId": _durand_gid(clients),
            }
        },
    ).json()
    raw = created["data"]["createApiToken"]["token"]
    clients["token"] = httpx.Client(
        base_url=live_server.url, timeout=20, headers={"Authorization": f"Bearer {raw}"}
    )
    yield clients
    for client in clients.values():
        client.close()


def _durand_gid(clients: dict[str, httpx.Client]) -> str:
    me = graphql(clients["admin"], "{ me { operators { operator { id siret } } } }").json()["data"]["me"]
    return next(o["operator"]["id"] for o in me["operators"] if o["operator"]["siret"] == SIRETS["DURAND"])


async def _user_by_sub(session, issuer: str, sub: str) -> User:
    return (await session.exec(select(User).where(User.issuer == issuer, User.subject == sub))).one()


async def _new_professional(session, live_server, prefix: str, siret: str) -> User:
    sub = unique_sub(prefix)
    return await upsert_user_from_claims(
        session,
        {"sub": sub, "email": sub, "name": prefix.capitalize(), "siret": siret},
        issuer=live_server.settings.oidc_issuer,
        settings=live_server.settings,
    )


@pytest_asyncio.fixture(loop_scope="session", scope="module")
async def world(live_server, actor_clients) -> AsyncIterator[World]:
    db = Database(live_server.settings)
    world = World(db=db)
    issuer = live_server.settings.oidc_issuer
    async with db.session() as session:
        for key, siret in SIRETS.items():
            operator = (await session.exec(select(Operator).where(Operator.siret == siret))).one()
            world.operators[key], world.operator_names[key] = operator.id, operator.legal_name
        for key, sub in DEMO_USERS.items():
            world.users[key] = await _user_by_sub(session, issuer, sub)
        for actor in ("member", "newcomer"):
            me = graphql(actor_clients[actor], "{ me { id } }").json()["data"]["me"]
            world.users[actor] = await session.get(User, int(base64.b64decode(me["id"]).decode().split(":")[1]))
        newcomer_operator = await session.get(Operator, world.users["newcomer"].operator_id)
        world.operators["NEW"], world.operator_names["NEW"] = newcomer_operator.id, newcomer_operator.legal_name
        # Fresh people the rows act upon: a grantee with an operator of their own, members of Rhône and Martin,
        # and an outsider habilitated (consult) by Rhône.
        world.users["grantee"] = await _new_professional(session, live_server, "grantee", fresh_siret())
        world.users["member@RHONE"] = await _new_professional(session, live_server, "membre", SIRETS["RHONE"])
        world.users["member@MARTIN"] = await _new_professional(session, live_server, "membre", SIRETS["MARTIN"])
        world.users["outsider"] = await _new_professional(session, live_server, "outsider", fresh_siret())
        # Someone of another firm, who filed a Verrerie dossier that Martin did not file.
        world.users["filer"] = await _new_professional(session, live_server, "deposant", fresh_siret())
        session.add(
            Habilitation(
                operator_id=world.operators["RHONE"],
                user_id=world.users["outsider"].id,
                right=Right.CONSULT,
                granted_by_id=world.users["karim"].id,
            )
        )
        await session.commit()
        for habilitation in (
            await session.exec(select(Habilitation).where(Habilitation.revoked_at.is_(None)))
        ).all():
            for user_key, user in world.users.items():
                for op_key, op_id in world.operators.items():
                    if habilitation.user_id == user.id and habilitation.operator_id == op_id:
                        world.habilitations[f"{user_key}@{op_key}"] = habilitation.id
        for mandate in (await session.exec(select(Representation).where(Representation.ended_at.is_(None)))).all():
            keys = {v: k for k, v in world.operators.items()}
            if mandate.represented_id in keys and mandate.representative_id in keys:
                world.mandates[f"{keys[mandate.represented_id]}<{keys[mandate.representative_id]}"] = mandate.id
        for user_key in ("marie", "paul"):
            token, _raw = await create_token(session, world.users[user_key], name="matrice : jeton témoin", days=2)
            world.tokens[user_key] = token.id
        terms = (
            await session.exec(
                select(TermsVersion)
                .where(TermsVersion.teleservice == SOPRANO, TermsVersion.published_at <= utcnow())
                .order_by(TermsVersion.published_at.desc())
            )
        ).first()
        world.terms_version = terms.version
    for actor, client in actor_clients.items():
        if client.cookies.get("soprano_session"):
            world.sessions[actor] = session_id_of(client)
    FileSystemStorage(live_server.settings.attachments_dir).put(hashlib.sha256(PDF).hexdigest(), PDF)
    for key in DOSSIERS:
        world.dossiers[key], world.goods_lines[key], world.attachments[key] = await insert_dossier(world, key)
    assert world.users["member"].kind is AccountKind.PROFESSIONAL and not world.users["member"].is_admin
    assert world.users["newcomer"].is_admin
    world.baseline = await snapshot(db, world)
    yield world
    await db.dispose()
