"""Helpers shared by the decision-phase tests (issue 5): GraphQL documents and calls, fresh operators, officers and
collaborators (new valid SIRETs, new customs offices) so that each test counts exactly its own dossiers, dossiers
brought to any status over HTTP or written straight to the database, and a small graphql-transport-ws client.
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import json
import random
import string
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import websockets
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.app import SESSION_COOKIE
from backend.authorizations.rules import add_years
from backend.clock import paris_today
from backend.config import Settings
from backend.db import utcnow
from backend.dossiers.catalogue import Procedure
from backend.dossiers.models import Dossier, DossierEvent, DossierStatus
from backend.identity import terms
from backend.identity.actor import Actor
from backend.identity.models import Habilitation, Operator, Right, User
from backend.identity.policy import Access, load_access
from backend.identity.users import upsert_user_from_claims
from tests.conftest import graphql, login, unique_sub
from tests.dossiers.factories import answers, goods_inputs

DEMO_OFFICE = "FR000690"
OTHER_OFFICE = "FR002300"
SOPHIE = "sophie.moreau@ateliers-durand.fr"
PAUL = "paul.lefevre@ateliers-durand.fr"
CLAIRE = "claire.bernard@douane.gouv.fr"
HUGO = "hugo.lambert@douane.gouv.fr"

# --- identifiers ----------------------------------------------------------------------------------------------------


def luhn_key(digits: str) -> str:
    """The digit that makes `digits + key` pass the Luhn check (SIREN and SIRET keys)."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 0:  # counted from the right once the key is appended: these positions are doubled
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return str((10 - total % 10) % 10)


def new_siret() -> str:
    """A valid SIRET (Luhn-valid SIREN and SIRET) of an operator nobody uses yet: its first user is its administrator."""
    siren = "8" + "".join(random.choices(string.digits, k=7))
    siren += luhn_key(siren)
    establishment = siren + "".join(random.choices(string.digits, k=4))
    return establishment + luhn_key(establishment)


def new_office() -> str:
    """A customs office code nobody else uses (country code + 6 characters), for exact counts."""
    return "FR" + "Z" + "".join(random.choices(string.ascii_uppercase + string.digits, k=5))


def global_id(type_name: str, value: int) -> str:
    return base64.b64encode(f"{type_name}:{value}".encode()).decode()


def numeric_id(gid: str) -> int:
    return int(base64.b64decode(gid).decode().split(":", 1)[1])


# --- GraphQL ------------------------------------------------------------------------------------------------------------

HISTORY = "history { id kind label actorName actorSide fromStatus toStatus message at }"
DEADLINE = "deadline { kind label due overdue extended extensionReason }"
DOSSIER = """
    id reference version status statusLabel customsOffice submittedAt availableActions
    operator { id siret legalName }
"""
CREATE = f"""
mutation Create($procedure: ProcedureCode!, $operatorId: ID) {{
  createDossier(procedure: $procedure, operatorId: $operatorId) {{ {DOSSIER} }}
}}"""
UPDATE = f"""
mutation Update($id: ID!, $version: Int!, $changes: JSON!) {{
  updateDossier(id: $id, version: $version, changes: $changes) {{ {DOSSIER} }}
}}"""
ADD_LINE = """
mutation Add($dossierId: ID!, $kind: String!, $input: GoodsLineInput!) {
  addGoodsLine(dossierId: $dossierId, kind: $kind, input: $input) { id }
}"""
SUBMIT = f"""
mutation Submit($id: ID!, $version: Int!) {{ submitDossier(id: $id, version: $version) {{ {DOSSIER} {HISTORY} }} }}
"""
ACT = f"""
mutation Act($id: ID!, $action: DossierAction!, $message: String) {{
  actOnDossier(id: $id, action: $action, message: $message) {{ {DOSSIER} {HISTORY} }}
}}"""
GRANT = f"""
mutation Grant($input: GrantDossierInput!) {{
  grantDossier(input: $input) {{ dossier {{ {DOSSIER} {HISTORY} }} authorization {{ id reference validFrom validUntil }} }}
}}"""
COMMENT = """
mutation Comment($dossierId: ID!, $text: String!) {
  addComment(dossierId: $dossierId, text: $text) { id kind label actorName actorSide message at }
}"""
EXTEND = f"""
mutation Extend($id: ID!, $newDate: Date!, $reason: String!) {{
  extendDecisionDeadline(id: $id, newDate: $newDate, reason: $reason) {{ {DOSSIER} {DEADLINE} }}
}}"""
GET = f"query Get($id: ID!) {{ dossier(id: $id) {{ {DOSSIER} {HISTORY} {DEADLINE} }} }}"
DASHBOARD = """
query Dashboard(
  $bucket: DashboardBucket!, $statuses: [DossierStatus!], $procedures: [ProcedureCode!], $operatorIds: [ID!],
  $search: String, $sort: DashboardSort!, $first: Int!, $after: String
) {
  dashboard(
    bucket: $bucket, statuses: $statuses, procedures: $procedures, operatorIds: $operatorIds, search: $search,
    sort: $sort, first: $first, after: $after
  ) {
    totalCount hasNextPage endCursor counts { todo waiting }
    items { dossier { id reference status customsOffice updatedAt } operator { id siret legalName } }
  }
}"""


def call(client: httpx.Client, query: str, variables: dict | None = None, **kwargs) -> dict:
    response = graphql(client, query, variables, **kwargs)
    assert response.status_code == 200, (response.status_code, response.text)
    return response.json()


def ok(client: httpx.Client, query: str, variables: dict | None = None, **kwargs) -> dict:
    body = call(client, query, variables, **kwargs)
    assert not body.get("errors"), body["errors"]
    return body["data"]


def refused(client: httpx.Client, query: str, variables: dict | None = None, **kwargs) -> dict:
    """The single GraphQL error of a refused operation: {message, extensions: {code, field?}}."""
    body = call(client, query, variables, **kwargs)
    assert body.get("errors"), f"expected a refusal, got {body}"
    assert len(body["errors"]) == 1, body["errors"]
    error = body["errors"][0]
    assert error["message"] != "Erreur interne du serveur.", error
    return error


def code_of(error: dict) -> str | None:
    return error.get("extensions", {}).get("code")


def get(client: httpx.Client, dossier_id: str) -> dict | None:
    return ok(client, GET, {"id": dossier_id})["dossier"]


def grant(client: httpx.Client, dossier_id: str, years: int = 2, **terms) -> dict:
    """grantDossier with a validity from today for `years` (the longest most procedures allow is 5): its payload."""
    today = paris_today()
    until = add_years(today, years) - dt.timedelta(days=1)
    variables = {"dossierId": dossier_id, "validFrom": today.isoformat(), "validUntil": until.isoformat(), **terms}
    return ok(client, GRANT, {"input": variables})["grantDossier"]


def act(client: httpx.Client, dossier_id: str, action: str, message: str | None = None) -> dict:
    """One workflow action; GRANT goes through grantDossier (it needs a validity), with two years from today."""
    if action == "GRANT":
        return grant(client, dossier_id)["dossier"]
    variables = {"id": dossier_id, "action": action, **({"message": message} if message is not None else {})}
    return ok(client, ACT, variables)["actOnDossier"]


def act_refused(client: httpx.Client, dossier_id: str, action: str, message: str | None = None) -> dict:
    variables = {"id": dossier_id, "action": action, **({"message": message} if message is not None else {})}
    return refused(client, ACT, variables)


def comment(client: httpx.Client, dossier_id: str, text: str) -> dict:
    return ok(client, COMMENT, {"dossierId": dossier_id, "text": text})["addComment"]


def dashboard(
    client: httpx.Client, bucket: str = "TODO", *, sort: str = "UPDATED_DESC", first: int = 100, **filters
):
    variables = {"bucket": bucket, "sort": sort, "first": first, **filters}
    return ok(client, DASHBOARD, variables)["dashboard"]


def draft(
    client: httpx.Client, procedure: str = "TEA", office: str = DEMO_OFFICE, operator_id: str | None = None
) -> dict:
    """A complete draft (every answer and goods line of the valid factory), addressed to `office`."""
    proc = Procedure(procedure)
    variables = {"procedure": procedure, **({"operatorId": operator_id} if operator_id else {})}
    dossier = ok(client, CREATE, variables)["createDossier"]
    for kind, values in goods_inputs(proc):
        ok(client, ADD_LINE, {"dossierId": dossier["id"], "kind": kind, "input": values})
    changes = {**answers(proc), "applicant.customsOffice": office}
    return ok(client, UPDATE, {"id": dossier["id"], "version": dossier["version"], "changes": changes})[
        "updateDossier"
    ]


def submit(client: httpx.Client, dossier: dict) -> dict:
    return ok(client, SUBMIT, {"id": dossier["id"], "version": dossier["version"]})["submitDossier"]


def filed(client: httpx.Client, procedure: str = "TEA", office: str = DEMO_OFFICE, **kwargs) -> dict:
    """A dossier submitted to `office`."""
    return submit(client, draft(client, procedure, office, **kwargs))


def bring_to(status: str, applicant: httpx.Client, officer: httpx.Client, office: str = DEMO_OFFICE) -> dict:
    """A new dossier of the applicant's operator brought to `status` through the API, the way people would."""
    dossier = draft(applicant, "TEA", office)
    if status == "DRAFT":
        return dossier
    dossier = submit(applicant, dossier)
    if status == "SUBMITTED":
        return dossier
    if status == "COMPLEMENT_REQUESTED":
        return act(officer, dossier["id"], "REQUEST_COMPLEMENT", "Joindre le contrat de location.")
    dossier = act(officer, dossier["id"], "ACCEPT")
    if status == "ACCEPTED":
        return dossier
    if status == "HEARING":
        return act(officer, dossier["id"], "NOTIFY_INTENDED_REFUSAL", "Garanties financières insuffisantes.")
    raise AssertionError(f"no path to {status}")


# --- people over HTTP -------------------------------------------------------------------------------------------------


@dataclass
class Company:
    """A fresh operator: its administrator (first user, every right), logged in with the terms accepted."""

    siret: str
    name: str
    admin: httpx.Client
    admin_sub: str
    operator_id: str  # global id


class People:
    """Logged-in users (one session each), made on first use and closed at the end of the module."""

    def __init__(self, live_server, provider) -> None:
        self.live_server = live_server
        self.provider = provider
        self.clients: dict[str, httpx.Client] = {}
        self.terms_version = ""

    def __call__(self, sub: str, *, claims: dict | None = None, accept: bool = True) -> httpx.Client:
        if sub not in self.clients:
            client = login(self.live_server, self.provider, sub, claims)
            if accept:
                self.accept_terms(client)
            self.clients[sub] = client
        return self.clients[sub]

    def fresh(self, siret: str, name: str, organization: str, *, accept: bool = True) -> httpx.Client:
        """A new professional of the operator of `siret` (its administrator when nobody uses it yet), logged in."""
        claims = {"name": name, "siret": siret, "organization": organization}
        return self(unique_sub("dossiers"), claims=claims, accept=accept)

    def accept_terms(self, client: httpx.Client) -> None:
        if not self.terms_version:
            self.terms_version = ok(client, "{ termsOfUse { version } }")["termsOfUse"]["version"]
        ok(client, "mutation($v: String!) { acceptTerms(version: $v) { accepted } }", {"v": self.terms_version})

    def company(self, name: str | None = None) -> Company:
        siret = new_siret()
        name = name or f"Établissements {uuid.uuid4().hex[:8]}"
        sub = unique_sub("admin")
        client = self(sub, claims={"name": f"Admin {name}", "siret": siret, "organization": name})
        operators = ok(client, "{ me { operators { operator { id siret legalName } } } }")["me"]["operators"]
        operator = next(o["operator"] for o in operators if o["operator"]["siret"] == siret)
        assert operator["legalName"] == name, operator
        return Company(siret, name, client, sub, operator["id"])

    def member(self, company: Company, right: str | None, name: str = "Collaborateur") -> tuple[httpx.Client, str]:
        """A new user of the company's operator, given `right` by its administrator; (client, habilitation id)."""
        sub = unique_sub("member")
        client = self(sub, claims={"name": name, "siret": company.siret, "organization": company.name})
        habilitation = ""
        if right is not None:
            habilitation = ok(
                company.admin,
                "mutation($input: GrantHabilitationInput!) { grantHabilitation(input: $input) { id } }",
                {"input": {"operatorId": company.operator_id, "email": sub, "right": right}},
            )["grantHabilitation"]["id"]
        return client, habilitation

    def officer(self, office: str, name: str = "Agent des douanes") -> httpx.Client:
        return self(unique_sub("officer"), claims={"name": name, "customs_office": office}, accept=False)

    def mandate(self, represented: Company, representative: Company, scope: str = "FULL") -> None:
        ok(
            represented.admin,
            "mutation($input: CreateRepresentationInput!) { createRepresentation(input: $input) { id } }",
            {
                "input": {
                    "representedOperatorId": represented.operator_id,
                    "representativeSiret": representative.siret,
                    "scope": scope,
                    "validFrom": "2026-01-01",
                }
            },
        )

    def close(self) -> None:
        for client in self.clients.values():
            client.close()


def session_cookie(client: httpx.Client) -> str:
    return f"{SESSION_COOKIE}={client.cookies[SESSION_COOKIE]}"


# --- the domain, without HTTP -------------------------------------------------------------------------------------


@dataclass
class Cast:
    """Makes the people, operators and dossiers of one domain test, on the suite's real database."""

    session: AsyncSession
    settings: Settings
    made: list[int] = field(default_factory=list)

    async def person(self, prefix: str, **claims) -> User:
        sub = f"{prefix}-{uuid.uuid4().hex[:10]}@workflow.example"
        user = await upsert_user_from_claims(
            self.session,
            {"sub": sub, "email": sub, "name": f"{prefix.capitalize()} {sub[-26:-19]}", **claims},
            issuer=self.settings.oidc_issuer,
            settings=self.settings,
        )
        await self.session.commit()
        return user

    async def professional(self, siret: str | None = None, prefix: str = "admin") -> User:
        """The first user of a new operator (its administrator), or a new member of the operator of `siret`; with
        SOPRANO's terms accepted."""
        user = await self.person(prefix, siret=siret or new_siret())
        access = await self.access(user)
        current = await terms.current_terms(self.session, access)
        if current is not None:
            await terms.accept(self.session, access, current.version)
        return user

    async def habilitate(self, user: User, right: Right, *, by: User) -> Habilitation:
        habilitation = Habilitation(
            operator_id=user.operator_id, user_id=user.id, right=right, granted_by_id=by.id
        )
        self.session.add(habilitation)
        await self.session.commit()
        return habilitation

    async def officer(self, office: str = DEMO_OFFICE) -> User:
        return await self.person("officer", customs_office=office)

    async def access(self, user: User) -> Access:
        return await load_access(self.session, Actor(user=user, via="session", session_id="test"))

    async def dossier(
        self,
        owner: User,
        status: DossierStatus,
        *,
        office: str | None = DEMO_OFFICE,
        at=None,
        procedure: str = "TEA",
        **values: Any,
    ) -> Dossier:
        """A dossier written straight to the database in `status`, with the dates that status implies."""
        at = at or utcnow()
        dates: dict[str, Any] = {}
        if status is not DossierStatus.DRAFT:
            dates["submitted_at"] = at
        if status in (DossierStatus.ACCEPTED, DossierStatus.HEARING, DossierStatus.GRANTED, DossierStatus.REFUSED):
            dates["accepted_at"] = at
        if status in (DossierStatus.HEARING, DossierStatus.REFUSED):
            dates["hearing_started_at"] = at
        dossier = Dossier(
            reference=f"SOP-W-{uuid.uuid4().hex[:12]}",
            operator_id=owner.operator_id,
            procedure=procedure,
            status=status,
            data={**answers(Procedure(procedure)), "applicant.customsOffice": office},
            customs_office=office,
            created_by_id=owner.id,
            updated_by_id=owner.id,
            created_at=at,
            updated_at=at,
            **{**dates, **values},
        )
        self.session.add(dossier)
        await self.session.flush()
        self.session.add(DossierEvent(dossier_id=dossier.id, kind="created", actor_id=owner.id, to_status="draft"))
        await self.session.commit()
        self.made.append(dossier.id)
        return dossier

    async def events(self, dossier_id: int) -> list[DossierEvent]:
        rows = await self.session.exec(
            select(DossierEvent).where(DossierEvent.dossier_id == dossier_id).order_by(DossierEvent.id)
        )
        return list(rows.all())

    async def reload(self, dossier_id: int) -> Dossier:
        dossier = await self.session.get(Dossier, dossier_id, populate_existing=True)
        assert dossier is not None
        return dossier


async def user_by_sub(session: AsyncSession, sub: str) -> User:
    return (await session.exec(select(User).where(User.subject == sub))).one()


async def operator_by_siret(session: AsyncSession, siret: str) -> Operator:
    return (await session.exec(select(Operator).where(Operator.siret == siret))).one()


# --- graphql-transport-ws ----------------------------------------------------------------------------------------------


class WsClient:
    """One graphql-transport-ws connection, authenticated by the session cookie (or a token in connection_init)."""

    def __init__(self, connection) -> None:
        self.connection = connection
        self._next_id = 0

    @classmethod
    async def open(
        cls, base_url: str, *, cookie: str | None = None, payload: dict | None = None, within: float = 10
    ) -> WsClient:
        url = base_url.replace("http://", "ws://", 1) + "/graphql"
        connection = await websockets.connect(
            url,
            subprotocols=["graphql-transport-ws"],
            additional_headers={"Cookie": cookie} if cookie else None,
            open_timeout=within,
        )
        client = cls(connection)
        await client.send({"type": "connection_init", "payload": payload or {}})
        ack = await client.receive(within)
        assert ack["type"] == "connection_ack", ack
        return client

    async def send(self, message: dict) -> None:
        await self.connection.send(json.dumps(message))

    async def receive(self, within: float = 10) -> dict:
        """The next message but pings (answered)."""
        deadline = time.monotonic() + within
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("no message within the time limit")
            message = json.loads(await asyncio.wait_for(self.connection.recv(), remaining))
            if message["type"] == "ping":
                await self.send({"type": "pong"})
                continue
            if message["type"] == "pong":
                continue
            return message

    async def subscribe(self, query: str, variables: dict | None = None) -> str:
        self._next_id += 1
        sub_id = str(self._next_id)
        await self.send(
            {"id": sub_id, "type": "subscribe", "payload": {"query": query, "variables": variables or {}}}
        )
        return sub_id

    async def next_data(self, within: float = 10) -> dict:
        """The data of the next `next` message; fails on an error or a completion."""
        message = await self.receive(within)
        assert message["type"] == "next", message
        assert not message["payload"].get("errors"), message
        return message["payload"]["data"]

    async def silent(self, seconds: float) -> None:
        """Nothing arrives for `seconds`."""
        try:
            message = await self.receive(seconds)
        except TimeoutError:
            return
        raise AssertionError(f"unexpected message: {message}")

    async def close(self) -> None:
        await self.connection.close()


def wait_until(predicate: Callable[[], bool], timeout: float = 10, interval: float = 0.02, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or predicate}")
        time.sleep(interval)


async def wait_until_async(
    predicate: Callable[[], bool], within: float = 10, interval: float = 0.02, what: str = ""
) -> None:
    deadline = time.monotonic() + within
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or predicate}")
        await asyncio.sleep(interval)


# --- WebSocket clients of a test -----------------------------------------------------------------------------------


class Sockets:
    """WebSocket clients of one test, all closed at its end."""

    def __init__(self, live_server) -> None:
        self.url = live_server.url
        self.opened: list[WsClient] = []

    async def __call__(self, client=None, **kwargs) -> WsClient:
        ws = await WsClient.open(self.url, cookie=session_cookie(client) if client else None, **kwargs)
        self.opened.append(ws)
        return ws

    async def close(self) -> None:
        for ws in self.opened:
            try:
                await ws.close()
            except Exception:  # noqa: S110 - already closed by the server
                pass


async def refusal(ws: WsClient, sub_id: str) -> list[dict]:
    """The errors of a refused subscription: an `error` message, or a `next` carrying errors and no data, then
    `complete`; never any data."""
    message = await ws.receive()
    assert message["id"] == sub_id, message
    if message["type"] == "error":
        return message["payload"]
    assert message["type"] == "next", message
    assert message["payload"].get("data") is None, message
    errors = message["payload"]["errors"]
    assert errors
    closing = await ws.receive()
    assert closing == {"id": sub_id, "type": "complete"}, closing
    return errors


def codes(errors: list[dict]) -> set[str | None]:
    return {e.get("extensions", {}).get("code") for e in errors}


async def hub_has(live_server, count: int) -> None:
    """Wait until the live portal's hub holds `count` subscribers (the subscription is listening)."""

    def reached() -> bool:
        try:
            return live_server.portal.hub.subscriber_count >= count
        except RuntimeError:  # read while the server thread changes it
            return False

    await wait_until_async(reached, within=10, what=f"{count} hub subscribers")


def hub_count(live_server) -> int:
    for _ in range(50):
        try:
            return live_server.portal.hub.subscriber_count
        except RuntimeError:
            continue
    raise AssertionError("hub never readable")


def new_api_token(settings: Settings, name: str) -> str:
    """The secret of an API token of a new partner user named `name`, made on the database of `settings` through an
    engine of its own (for a sync test or fixture; a portal's engine belongs to its server's event loop)."""
    from backend.db import Database
    from backend.identity.tokens import create_token
    from backend.identity.users import upsert_user_from_claims

    async def make() -> str:
        db = Database(settings)
        try:
            async with db.session() as session:
                user = await upsert_user_from_claims(
                    session,
                    {"sub": f"api-{uuid.uuid4().hex[:10]}@test.example", "name": name},
                    issuer=settings.oidc_issuer,
                    settings=settings,
                )
            async with db.session() as session:
                return (await create_token(session, user))[1]
        finally:
            await db.dispose()

    return asyncio.run(make())
