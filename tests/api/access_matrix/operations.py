"""The operations of the access matrix: name → GraphQL document and the builder of its variables."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Awaitable, Callable
from typing import Any, NamedTuple

import httpx
import sqlalchemy as sa
from sqlmodel import select

from backend.api.ids import decode_id, encode_id
from backend.assistance.models import AssistanceRequest, Feedback
from backend.auth.sessions import WebSession
from backend.authorizations.models import Authorization
from backend.clock import paris_today
from backend.db import utcnow
from backend.declarations.models import PrivateDeclaration
from backend.dossiers.models import Attachment, Dossier, DossierEvent, DossierPurpose, GoodsLine
from backend.identity.models import (
    ApiToken,
    Habilitation,
    MandateScope,
    Representation,
    Right,
    User,
)
from backend.identity.tokens import create_token
from tests.api.access_matrix.world import (
    ACTOR_USER,
    AUTHORIZATIONS,
    DECLARATIONS,
    DRAFT,
    MISSING,
    MISSING_ID,
    PDF,
    PNG,
    SIRETS,
    TRIP_ITEM,
    Row,
    delete_authorizations,
    delete_declarations,
    delete_requests,
    insert_authorization,
    insert_declaration,
    insert_dossier,
    insert_request,
)
from tests.conftest import unique_sub

# --- operations: name → (document, variables builder) -------------------------------------------------------------


class Operation(NamedTuple):
    document: str
    variables: Callable[[Row], dict | Awaitable[dict]]
    # For `sees(...)`: the operators' names in the answered list.
    names: Callable[[Any], list[str]] | None = None
    # How the request is sent (client, document, variables) → response; default: a GraphQL JSON POST.
    send: Callable[[httpx.Client, str, dict], httpx.Response] | None = None
    # For `shows(...)`: the entries (each with its `dossier { id }`) of the answer; default: the answer itself. For
    # `lists(...)`: the entries, each with its `id`.
    entries: Callable[[Any], list[dict]] | None = None


def no_variables(row: Row) -> dict:
    return {}


def operator_arg(name: str) -> Callable[[Row], dict]:
    return lambda row: {name: row.world.operator_gid(row.target)}


def node_arg(row: Row) -> dict:
    return {"id": row.world.node_gid(row.target)}


def alias_pair(row: Row) -> dict:
    own, _, other = row.target.partition("|")
    if ":" in own:
        return {"a": row.world.node_gid(own), "b": row.world.node_gid(other)}
    return {"a": row.world.operator_gid(own), "b": row.world.operator_gid(other)}


async def delete_habilitations_of(row: Row, user: User) -> None:
    await row.execute(sa.delete(Habilitation).where(Habilitation.user_id == user.id))


def grant(*, unknown_email: bool = False) -> Callable[[Row], dict]:
    """Give the grantee (a fresh professional of their own operator) `consult` on the target operator."""

    def build(row: Row) -> dict:
        grantee = row.world.users["grantee"]
        row.cleanup(lambda: delete_habilitations_of(row, grantee))
        email = unique_sub("nobody") if unknown_email else grantee.email
        return {"input": {"operatorId": row.world.operator_gid(row.target), "email": email, "right": "CONSULT"}}

    return build


async def revoke_fresh_habilitation(row: Row) -> dict:
    """A habilitation of the grantee on the target operator, made for this row only."""
    if row.target == MISSING:
        return {"id": encode_id("Habilitation", MISSING_ID)}
    grantee = row.world.users["grantee"]
    row.cleanup(lambda: delete_habilitations_of(row, grantee))
    habilitation = await row.insert(
        Habilitation(
            operator_id=row.world.operator_id(row.target),
            user_id=grantee.id,
            right=Right.CONSULT,
            granted_by_id=row.world.users["marie"].id,
        )
    )
    return {"id": encode_id("Habilitation", habilitation.id)}


async def revoke_own_habilitation(row: Row) -> dict:
    """The actor's own (demo) habilitation on the target operator; restored should the row revoke it."""
    habilitation_id = row.world.habilitations[f"{ACTOR_USER[row.actor]}@{row.target}"]

    async def restore() -> None:
        await row.execute(
            sa.update(Habilitation)
            .where(Habilitation.id == habilitation_id)
            .values(revoked_at=None, revoked_by_id=None)
        )

    row.cleanup(restore)
    return {"id": encode_id("Habilitation", habilitation_id)}


def restore_admin_flag(row: Row, user: User) -> None:
    async def restore() -> None:
        await row.execute(sa.update(User).where(User.id == user.id).values(is_admin=user.is_admin))

    row.cleanup(restore)


def set_administrator(*, mode: str = "member") -> Callable[[Row], dict]:
    """member: name a (non-admin) member of the target operator administrator; self: remove oneself;
    foreign: name a user of another operator (Karim, of Logistique Rhône)."""

    def build(row: Row) -> dict:
        world = row.world
        if mode == "self":
            user, is_admin = row.user, False
        elif mode == "foreign":
            user, is_admin = world.users["karim"], True
        else:
            user, is_admin = world.users.get(f"member@{row.target}", world.users["paul"]), True
        restore_admin_flag(row, user)
        return {
            "operatorId": world.operator_gid(row.target),
            "userId": encode_id("User", user.id),
            "isAdmin": is_admin,
        }

    return build


async def create_representation(row: Row) -> dict:
    represented, representative = row.pair()
    world = row.world
    async with world.db.session() as session:
        before = set((await session.exec(select(Representation.id))).all())

    async def remove_new() -> None:
        await row.execute(sa.delete(Representation).where(Representation.id.not_in(before)))

    row.cleanup(remove_new)
    return {
        "input": {
            "representedOperatorId": world.operator_gid(represented),
            "representativeSiret": SIRETS[representative],
            "scope": "FULL",
            "validFrom": paris_today().isoformat(),
        }
    }


async def end_fresh_representation(row: Row) -> dict:
    """A mandate REPRESENTED<REPRESENTATIVE made for this row only."""
    if row.target == MISSING:
        return {"id": encode_id("Representation", MISSING_ID)}
    represented, representative = row.pair()
    mandate = await row.insert(
        Representation(
            representative_id=row.world.operator_id(representative),
            represented_id=row.world.operator_id(represented),
            scope=MandateScope.FULL,
            valid_from=dt.date(2026, 1, 1),
            created_by_id=row.world.users["claire"].id,
        )
    )
    row.cleanup(lambda: row.execute(sa.delete(Representation).where(Representation.id == mandate.id)))
    return {"id": encode_id("Representation", mandate.id)}


def forget_acting_operator(row: Row) -> None:
    """Undo a choice of operator: the actor's session goes back to choosing none."""
    session_id = row.world.sessions.get(row.actor)
    if session_id is not None:
        row.cleanup(
            lambda: row.execute(
                sa.update(WebSession).where(WebSession.id == session_id).values(acting_operator_id=None)
            )
        )


def select_acting_operator(row: Row) -> dict:
    forget_acting_operator(row)
    return {"operatorId": row.world.operator_gid(row.target)}


def select_two_acting_operators(row: Row) -> dict:
    forget_acting_operator(row)
    return alias_pair(row)


def create_api_token(right: str | None) -> Callable[[Row], dict]:
    def build(row: Row) -> dict:
        name = f"matrice {unique_sub('jeton')}"
        row.cleanup(lambda: row.execute(sa.delete(ApiToken).where(ApiToken.name == name)))
        payload: dict[str, Any] = {"name": name, "expiresInDays": 1}
        if right is not None:
            payload |= {"operatorId": row.world.operator_gid(row.target), "right": right}
        return {"input": payload}

    return build


async def revoke_api_token(row: Row) -> dict:
    """mine: a token of the actor made for this row; ApiToken:key: a spare token of someone (restored)."""
    if row.target == "mine":
        async with row.world.db.session() as session:
            token, _raw = await create_token(session, row.user, name="matrice: à révoquer", days=1)
        row.cleanup(lambda: row.execute(sa.delete(ApiToken).where(ApiToken.id == token.id)))
        return {"id": encode_id("ApiToken", token.id)}
    _kind, _, key = row.target.partition(":")
    if key != MISSING:
        token_id = row.world.tokens[key]
        row.cleanup(
            lambda: row.execute(sa.update(ApiToken).where(ApiToken.id == token_id).values(revoked_at=None))
        )
    return {"id": row.world.node_gid(row.target)}


def accept_terms(row: Row) -> dict:
    return {"version": row.world.terms_version}


# --- dossiers (issue 4) ---


async def forget_new_dossiers(row: Row) -> None:
    """Every dossier made from now on (by the row's builder or by the operation) is deleted after the row."""
    async with row.world.db.session() as session:
        last = (await session.exec(select(sa.func.max(Dossier.id)))).one() or 0

    async def delete() -> None:
        async with row.world.db.session() as session:
            made = select(Dossier.id).where(Dossier.id > last)
            for child in (DossierEvent, GoodsLine, Attachment):
                await session.exec(sa.delete(child).where(child.dossier_id.in_(made)))
            await session.exec(sa.delete(Dossier).where(Dossier.id > last))
            await session.commit()

    row.cleanup(delete)


async def fresh_dossier(row: Row) -> tuple[str, str, str]:
    """Global ids of a dossier like the target's (and of its goods line and attachment), made for this row only."""
    if row.target == MISSING:
        return (
            encode_id("Dossier", MISSING_ID),
            encode_id("GoodsLine", MISSING_ID),
            encode_id("Attachment", MISSING_ID),
        )
    await forget_new_dossiers(row)
    dossier_id, line_id, attachment_id = await insert_dossier(row.world, row.target)
    return (
        encode_id("Dossier", dossier_id),
        encode_id("GoodsLine", line_id),
        encode_id("Attachment", attachment_id),
    )


def dossier_arg(row: Row) -> dict:
    return {"id": row.world.dossier_gid(row.target)}


def dossier_pair(row: Row) -> dict:
    own, _, other = row.target.partition("|")
    return {"a": row.world.dossier_gid(own), "b": row.world.dossier_gid(other)}


async def create_dossier(row: Row) -> dict:
    """For the operator named by operatorId (the target)."""
    await forget_new_dossiers(row)
    return {"procedure": "TEA", "operatorId": row.world.operator_gid(row.target)}


async def create_dossier_for_acting_operator(row: Row) -> dict:
    """Without operatorId: the acting operator decides. Target `_`: none chosen in the session (it is the only one
    the actor may act for, or there is none); an operator key: chosen in the session first (undone after the row)."""
    await forget_new_dossiers(row)
    if row.target is not None:
        forget_acting_operator(row)
        await row.execute(
            sa.update(WebSession)
            .where(WebSession.id == row.world.sessions[row.actor])
            .values(acting_operator_id=row.world.operator_id(row.target))
        )
    return {"procedure": "TEA"}


async def update_dossier(row: Row) -> dict:
    dossier, _line, _attachment = await fresh_dossier(row)
    return {"id": dossier, "version": 1, "changes": {"applicant.contactName": "Matrice des accès"}}


async def check_dossier(row: Row) -> dict:
    dossier, _line, _attachment = await fresh_dossier(row)
    return {"id": dossier}


async def submit_dossier(row: Row) -> dict:
    dossier, _line, _attachment = await fresh_dossier(row)  # complete: only the right can stop it
    return {"id": dossier, "version": 1}


async def add_goods_line(row: Row) -> dict:
    dossier, _line, _attachment = await fresh_dossier(row)
    values = {"cnCode": "84821010", "description": "Matrice", "quantity": "1", "unit": "KGM", "value": "1.00"}
    return {"dossierId": dossier, "kind": "GOODS", "input": values}


async def update_goods_line(row: Row) -> dict:
    _dossier, line, _attachment = await fresh_dossier(row)
    return {"id": line, "input": {"description": "Matrice des accès"}}


async def remove_goods_line(row: Row) -> dict:
    _dossier, line, _attachment = await fresh_dossier(row)
    return {"id": line}


async def upload_attachment(row: Row) -> dict:
    dossier, _line, _attachment = await fresh_dossier(row)
    return {"dossierId": dossier}


async def remove_attachment(row: Row) -> dict:
    _dossier, _line, attachment = await fresh_dossier(row)
    return {"id": attachment}


def multipart(client: httpx.Client, document: str, variables: dict) -> httpx.Response:
    """A GraphQL multipart request (the file is variables.file), with the header required against CSRF."""
    operations = {"query": document, "variables": {**variables, "file": None}}
    return client.post(
        "/graphql",
        data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.file"]})},
        files={"0": ("matrice.pdf", PDF, "application/pdf")},
        headers={"X-Soprano-Upload": "1"},
    )


def created_for(data) -> list[str]:
    return [data["operator"]["legalName"]]


def item_names(data) -> list[str]:
    return [o["legalName"] for o in data["items"]]


def represented_names(data) -> list[str]:
    return [r["represented"]["legalName"] for r in data]


# --- processing (issue 5): customs steps, the applicant's withdrawal, comments, the dashboard ---


def act_on_dossier(action: str) -> Callable[[Row], Awaitable[dict]]:
    """`action` on a fresh copy of the target's dossier (ACCEPT: a customs step; WITHDRAW: the applicant's)."""

    async def build(row: Row) -> dict:
        dossier, _line, _attachment = await fresh_dossier(row)
        return {"id": dossier, "action": action}

    return build


async def take_dossier(row: Row) -> dict:
    dossier, _line, _attachment = await fresh_dossier(row)
    return {"id": dossier}


async def add_comment(row: Row) -> dict:
    dossier, _line, _attachment = await fresh_dossier(row)
    return {"dossierId": dossier, "text": "Matrice des accès : une question sur la garantie."}


async def extend_decision_deadline(row: Row) -> dict:
    dossier, _line, _attachment = await fresh_dossier(row)
    # Well after the copy's deadline (four months from now, see insert_dossier).
    new_date = (utcnow() + dt.timedelta(days=365)).date().isoformat()
    return {"id": dossier, "newDate": new_date, "reason": "Matrice des accès : expertise en cours."}


def dashboard_items(data) -> list[dict]:
    return data["items"]


# --- authorisations (issue 11): reading, the grant, the customs measures, the PDF of a version ---


async def forget_new_authorizations(row: Row) -> None:
    """Every authorisation made from now on (by the row's builder or by the operation: a grant) is deleted after the
    row, with its versions, its history and the dossier it was issued from."""
    async with row.world.db.session() as session:
        last = (await session.exec(select(sa.func.max(Authorization.id)))).one() or 0
    row.cleanup(lambda: delete_authorizations(row.world.db, Authorization.id > last))


async def fresh_authorization(row: Row, **how: Any) -> str:
    """The global id of an authorisation like the target's (AUTHORIZATIONS), made for this row only (`how`: see
    insert_authorization). Every dossier made from now on is deleted after the row too (an amendment or a renewal
    the row asks for, with its goods lines and history)."""
    if row.target == MISSING:
        return encode_id("Authorization", MISSING_ID)
    await forget_new_dossiers(row)
    await forget_new_authorizations(row)  # undone first: an authorisation holds its dossier
    issued = await insert_authorization(row.world, row.target, **how)
    return encode_id("Authorization", issued.id)


async def pending_request(row: Row, authorization_gid: str) -> None:
    """An amendment of the row's fresh authorisation already in progress: a draft of its holder naming it (deleted
    after the row, like every dossier made since fresh_authorization)."""
    dossier_id, _line, _attachment = await insert_dossier(
        row.world, AUTHORIZATIONS[row.target]._replace(status=DRAFT)
    )
    await row.execute(
        sa.update(Dossier)
        .where(Dossier.id == dossier_id)
        .values(purpose=DossierPurpose.AMENDMENT, authorization_id=decode_id(authorization_gid, "Authorization"))
    )


def authorization_arg(row: Row) -> dict:
    return {"id": row.world.authorization_gid(row.target)}


def authorization_pair(row: Row) -> dict:
    own, _, other = row.target.partition("|")
    return {"a": row.world.authorization_gid(own), "b": row.world.authorization_gid(other)}


def search_reference(row: Row) -> dict:
    """The target's reference, unique: the total counts it once for a reader, never for anyone else."""
    return {"search": row.world.authorization_references[row.target]}


def search_siret(row: Row) -> dict:
    """An operator's SIRET (the target): its authorisations, of those the actor sees."""
    return {"search": SIRETS[row.target]}


def authorization_items(data) -> list[dict]:
    return data["items"]


async def grant_dossier(row: Row) -> dict:
    """Grant a fresh copy of the target's dossier: valid from today for two years (the issued authorisation is
    deleted after the row, before its dossier)."""
    dossier, _line, _attachment = await fresh_dossier(row)
    await forget_new_authorizations(row)
    until = (paris_today() + dt.timedelta(days=730)).isoformat()
    return {"input": {"dossierId": dossier, "validUntil": until, "conditions": "Matrice des accès."}}


def heard_on(row: Row, measure: str, hearing: str) -> dict[str, Any]:
    """insert_authorization's options for a copy whose holder has been heard on the adverse `measure` ("suspend",
    "revoke", "annul") or not. "heard": notified yesterday, answered today; "time-over": notified HEARING_DAYS + 1
    days ago, never answered (heard all the same); "awaiting": notified today, the holder's time runs; "unheard":
    nothing notified; "asked": nothing notified, but the holder asked customs for this very measure (then it is not
    adverse)."""
    return {
        "heard": {"heard": measure},
        "time-over": {"intended": measure, "notified_days_ago": row.world.db.settings.hearing_days + 1},
        "awaiting": {"intended": measure},
        "unheard": {},
        "asked": {"holder_request": measure},
    }[hearing]


def suspend_authorization(
    hearing: str = "heard", case: str = "GROUNDS_EXAMINED"
) -> Callable[[Row], Awaitable[dict]]:
    """Suspend a fresh copy of the target, in `case` (a, b: adverse; HOLDER_REQUEST: case c, asked by the holder),
    its holder heard or not on a suspension (see heard_on)."""

    async def build(row: Row) -> dict:
        authorization = await fresh_authorization(row, **heard_on(row, "suspend", hearing))
        return {
            "input": {
                "authorizationId": authorization,
                "case": case,
                "reason": "Matrice des accès : examen de motifs de révocation.",
            }
        }

    return build


def lift_authorization_suspension(*, suspended: bool = True) -> Callable[[Row], Awaitable[dict]]:
    """On a fresh copy suspended from today (not suspended: nothing to lift, once the actor may act at all)."""

    async def build(row: Row) -> dict:
        authorization = await fresh_authorization(row, suspended=suspended)
        return {"id": authorization, "reason": "Matrice des accès : conditions remplies."}

    return build


def revoke_authorization(hearing: str = "heard") -> Callable[[Row], Awaitable[dict]]:
    """Revoke a fresh copy of the target, its holder heard or not on a revocation (see heard_on)."""

    async def build(row: Row) -> dict:
        authorization = await fresh_authorization(row, **heard_on(row, "revoke", hearing))
        return {"id": authorization, "reason": "Matrice des accès : conditions plus remplies."}

    return build


def annul_authorization(hearing: str = "heard") -> Callable[[Row], Awaitable[dict]]:
    """Annul a fresh copy of the target, its holder heard or not on an annulment (see heard_on)."""

    async def build(row: Row) -> dict:
        authorization = await fresh_authorization(row, **heard_on(row, "annul", hearing))
        return {"id": authorization, "reason": "Matrice des accès : informations inexactes."}

    return build


async def reassess_authorization(row: Row) -> dict:
    authorization = await fresh_authorization(row)
    return {"id": authorization, "note": "Matrice des accès : conditions toujours remplies."}


SUSPEND = "mutation($input: SuspendAuthorizationInput!) { suspendAuthorization(input: $input) { id state } }"
REVOKE = "mutation($id: ID!, $reason: String!) { revokeAuthorization(id: $id, reason: $reason) { id state } }"
ANNUL = "mutation($id: ID!, $reason: String!) { annulAuthorization(id: $id, reason: $reason) { id state } }"

REQUEST = (
    "mutation($authorizationId: ID!) { %s(authorizationId: $authorizationId) { id status purpose "
    "authorizationId operator { legalName } goods { id } } }"
)


def request_change(*, ends: str = "later", pending: bool = False) -> Callable[[Row], Awaitable[dict]]:
    """An amendment or a renewal asked on a fresh copy of the target (the dossier the request makes is deleted after
    the row, with its goods lines and history). The copy's validity ends: "later" in two years; "window" on the
    first day of the renewal window (RENEWAL_WINDOW_DAYS from today); "before-window" the day after (the window opens
    tomorrow); "expired" yesterday; or it is "revoked" from today. pending: an amendment of it is already in
    progress."""
    assert ends in ("later", "window", "before-window", "expired", "revoked"), ends

    async def build(row: Row) -> dict:
        days = row.world.db.settings.renewal_window_days
        how = {
            "later": {},
            "window": {"ends_in_days": days},
            "before-window": {"ends_in_days": days + 1},
            "expired": {"ends_in_days": -1},
            "revoked": {"revoked": True},
        }[ends]
        authorization = await fresh_authorization(row, **how)
        if pending and row.target != MISSING:
            await pending_request(row, authorization)
        return {"authorizationId": authorization}

    return build


# --- authorisations (issue 11): the exchanges with customs, each on a fresh copy of the target's authorisation ---

ASK_CUSTOMS = (
    "mutation($id: ID!, $kind: HolderRequestKind!, $reason: String!) "
    "{ askCustomsAboutAuthorization(id: $id, kind: $kind, reason: $reason) { id state holderRequest } }"
)
COMMENT_TEXT = "Matrice des accès : une question sur les conditions."
COMMENT = "mutation($id: ID!, $text: String!) { commentOnAuthorization(id: $id, text: $text) { id kind message version } }"


def ask_customs(
    kind: str, *, state: str = "active", pending: str | None = None
) -> Callable[[Row], Awaitable[dict]]:
    """The holder asks customs to `kind` (SUSPEND, REVOKE) a fresh copy of the target. The copy is "active" (in
    force), "suspended" (from today), "revoked" (from today), "expired" (yesterday) or "annulled"; pending: a request
    of the holder ("suspend", "revoke") already waits for customs on it."""
    assert kind in ("SUSPEND", "REVOKE"), kind
    how = {
        "active": {},
        "suspended": {"suspended": True},
        "revoked": {"revoked": True},
        "expired": {"ends_in_days": -1},
        "annulled": {"annulled": True},
    }[state]

    async def build(row: Row) -> dict:
        authorization = await fresh_authorization(row, **how, holder_request=pending)
        return {"id": authorization, "kind": kind, "reason": "Matrice des accès : l'activité s'arrête."}

    return build


def comment_on_authorization(text: str = COMMENT_TEXT) -> Callable[[Row], Awaitable[dict]]:
    """A comment in the history of a fresh copy of the target (blank text: nothing to say)."""

    async def build(row: Row) -> dict:
        return {"id": await fresh_authorization(row), "text": text}

    return build


# --- authorisations (issue 11): the right to be heard before an adverse measure, each on a fresh copy ---

NOTIFY = (
    "mutation($id: ID!, $measure: AdverseMeasure!, $reason: String!) "
    "{ notifyIntendedAuthorizationMeasure(id: $id, measure: $measure, reason: $reason) "
    "{ id state hearing { measure heard } } }"
)
ABANDON = (
    "mutation($id: ID!, $reason: String!) "
    "{ abandonIntendedAuthorizationMeasure(id: $id, reason: $reason) { id state hearing { measure } } }"
)
ANSWER = (
    "mutation($id: ID!, $observations: String!) "
    "{ answerAuthorizationHearing(id: $id, observations: $observations) "
    "{ id hearing { measure heard } mayAnswerHearing } }"
)


def notify_intended(
    measure: str = "SUSPEND", *, intended: str | None = None, reason: str = "Matrice des accès : motifs envisagés."
) -> Callable[[Row], Awaitable[dict]]:
    """Customs notify the holder of a fresh copy of the target the `measure` they intend (SUSPEND, REVOKE, ANNUL);
    intended: a measure ("suspend", "revoke", "annul") is already intended on it (a blank reason: no grounds)."""

    async def build(row: Row) -> dict:
        authorization = await fresh_authorization(row, intended=intended)
        return {"id": authorization, "measure": measure, "reason": reason}

    return build


def abandon_intended(
    intended: str | None = "suspend", reason: str = "Matrice des accès : observations convaincantes."
) -> Callable[[Row], Awaitable[dict]]:
    """Customs drop the measure intended on a fresh copy of the target (notified today; None: nothing intended)."""

    async def build(row: Row) -> dict:
        authorization = await fresh_authorization(row, intended=intended)
        return {"id": authorization, "reason": reason}

    return build


def answer_hearing(
    hearing: str = "awaiting", observations: str = "Matrice des accès : les relevés sont partis hier."
) -> Callable[[Row], Awaitable[dict]]:
    """The holder's observations on a suspension intended on a fresh copy of the target: "awaiting" (notified today,
    not answered: their time runs), "answered" (they answered already, today), "time-over" (notified
    HEARING_DAYS + 1 days ago, never answered), "nothing" (no measure intended)."""
    assert hearing in ("awaiting", "answered", "time-over", "nothing"), hearing

    async def build(row: Row) -> dict:
        how = {
            "awaiting": {"intended": "suspend"},
            "answered": {"intended": "suspend", "answered": True},
            "time-over": heard_on(row, "suspend", "time-over"),
            "nothing": {},
        }[hearing]
        return {"id": await fresh_authorization(row, **how), "observations": observations}

    return build


def pdf_of_version(number: int) -> Callable[[Row], dict]:
    """The target's version `number` (MISSING: an authorisation that does not exist)."""

    def build(row: Row) -> dict:
        authorization_id = MISSING_ID if row.target == MISSING else row.world.authorizations[row.target]
        return {"authorization_id": authorization_id, "number": number}

    return build


def http_get(root: str) -> Callable[[httpx.Client, str, dict], httpx.Response]:
    """A plain HTTP GET of the route `document` names (« GET /path/{variable} »), its answer told like a GraphQL one
    under the root `root`: a PDF is data; 404 is NOT_FOUND (the route answers 401 only to a bad token)."""

    def send(client: httpx.Client, document: str, variables: dict) -> httpx.Response:
        method, _, route = document.partition(" ")
        assert method == "GET", document
        response = client.get(route.format(**variables))
        if response.status_code == 200:
            is_pdf = response.headers["content-type"] == "application/pdf" and response.content.startswith(b"%PDF")
            assert is_pdf, (response.headers, response.content[:40])
            return httpx.Response(200, json={"data": {root: {"bytes": len(response.content)}}})
        code = {401: "UNAUTHENTICATED", 404: "NOT_FOUND"}.get(response.status_code, f"HTTP_{response.status_code}")
        error = {"message": response.text, "path": [root], "extensions": {"code": code}}
        return httpx.Response(200, json={"data": {root: None}, "errors": [error]})

    return send


get_file = http_get("authorizationPdf")


# --- private declarations: lookups on the fixture declarations, each mutation on a fresh copy of the target's ---


async def forget_new_declarations(row: Row) -> None:
    """Every declaration made from now on (by the row's builder or by the operation) is deleted after the row, with
    its history."""
    async with row.world.db.session() as session:
        last = (await session.exec(select(sa.func.max(PrivateDeclaration.id)))).one() or 0
    row.cleanup(lambda: delete_declarations(row.world.db, PrivateDeclaration.id > last))


async def fresh_declaration(row: Row, **how: Any) -> tuple[str, int, str]:
    """The global id, version and item key of a declaration like the target's (DECLARATIONS; `how` changes its
    spec), made for this row only; MISSING: a valid id of nothing."""
    if row.target == MISSING:
        return encode_id("PrivateDeclaration", MISSING_ID), 1, "matrice"
    await forget_new_declarations(row)
    made = await insert_declaration(row.world, DECLARATIONS[row.target]._replace(**how))
    return encode_id("PrivateDeclaration", made.id), made.version, made.item_key or "matrice"


def declaration_arg(row: Row) -> dict:
    return {"id": row.world.declaration_gid(row.target)}


def declaration_pair(row: Row) -> dict:
    own, _, other = row.target.partition("|")
    return {"a": row.world.declaration_gid(own), "b": row.world.declaration_gid(other)}


def declaration_items(data) -> list[dict]:
    return data["items"]


async def create_declaration(row: Row) -> dict:
    await forget_new_declarations(row)
    return {"kind": "TRIP"}


TRIP_FACTS = {"arrivalDate": None, "transport": "AIR_SEA", "originCountry": "MA", "cashAmount": "150"}
# Every mistake at once: no arrival date, no transport, a country of the Union.
WRONG_FACTS = {"originCountry": "DE"}
ITEM = {"description": "Casque audio", "category": "ELECTRONICS", "quantity": 1, "value": "80", "currency": "EUR"}
# Every mistake at once: no description, no quantity, not a value, an unknown currency, cigarettes without a count.
WRONG_ITEM = {"description": "", "category": "CIGARETTES", "quantity": 0, "value": "abc", "currency": "XYZ"}


def save_facts(facts: dict | None = None, *, stale: bool = False) -> Callable[[Row], Awaitable[dict]]:
    """New facts of a trip (arriving today) on a fresh copy; stale: with the version before the copy's."""

    async def build(row: Row) -> dict:
        declaration, version, _key = await fresh_declaration(row)
        chosen = facts if facts is not None else {**TRIP_FACTS, "arrivalDate": paris_today().isoformat()}
        return {"id": declaration, "version": version - 1 if stale else version, "facts": chosen}

    return build


def add_item(item: dict = ITEM) -> Callable[[Row], Awaitable[dict]]:
    async def build(row: Row) -> dict:
        declaration, version, _key = await fresh_declaration(row)
        return {"id": declaration, "version": version, "item": item}

    return build


def update_item(item: dict | None = None, *, key: str | None = None) -> Callable[[Row], Awaitable[dict]]:
    """The copy's item changed (its value doubled; `item`: instead); key: another item's key (not in it)."""

    async def build(row: Row) -> dict:
        declaration, version, own = await fresh_declaration(row)
        changed = item or {**ITEM, "description": TRIP_ITEM["description"], "category": "CLOTHING", "value": "240"}
        return {"id": declaration, "version": version, "key": key or own, "item": changed}

    return build


def remove_item(*, key: str | None = None) -> Callable[[Row], Awaitable[dict]]:
    async def build(row: Row) -> dict:
        declaration, version, own = await fresh_declaration(row)
        return {"id": declaration, "version": version, "key": key or own}

    return build


DECLARANT_ANSWER = "Matrice des accès : la facture est jointe."


def submit_declaration(
    message: str | None = DECLARANT_ANSWER, *, items: bool = True
) -> Callable[[Row], Awaitable[dict]]:
    """Submit a fresh copy (with a message: the answer after a request for information); items=False: a copy
    without any item."""

    async def build(row: Row) -> dict:
        declaration, version, _key = await fresh_declaration(row, **({} if items else {"items": False}))
        return {"id": declaration, "version": version, "message": message}

    return build


def on_fresh_declaration(**values: Any) -> Callable[[Row], Awaitable[dict]]:
    """A fresh copy's id, and these other variables."""

    async def build(row: Row) -> dict:
        declaration, _version, _key = await fresh_declaration(row)
        return {"id": declaration, **values}

    return build


def pdf_of_declaration(row: Row) -> dict:
    """The fixture declaration's numeric id (MISSING: one that does not exist)."""
    return {"declaration_id": MISSING_ID if row.target == MISSING else row.world.declarations[row.target]}


DECLARATION = "id status version mayEdit mayExamine amountDue"


def declaration_mutation(signature: str, call: str, more: str = "") -> str:
    """`mutation(signature) { call { DECLARATION more } }`: every declaration mutation answers the same fields."""
    return f"mutation({signature}) {{ {call} {{ {DECLARATION} {more} }} }}"


SAVE_FACTS = declaration_mutation(
    "$id: ID!, $version: Int!, $facts: DeclarationFactsInput!",
    "saveDeclarationFacts(id: $id, version: $version, facts: $facts)",
    "facts { originCountry }",
)
ADD_ITEM = declaration_mutation(
    "$id: ID!, $version: Int!, $item: DeclarationItemInput!",
    "addDeclarationItem(id: $id, version: $version, item: $item)",
    "items { key }",
)
UPDATE_ITEM = declaration_mutation(
    "$id: ID!, $version: Int!, $key: String!, $item: DeclarationItemInput!",
    "updateDeclarationItem(id: $id, version: $version, key: $key, item: $item)",
    "items { key value }",
)
REMOVE_ITEM = declaration_mutation(
    "$id: ID!, $version: Int!, $key: String!",
    "removeDeclarationItem(id: $id, version: $version, key: $key)",
    "items { key }",
)
SUBMIT = declaration_mutation(
    "$id: ID!, $version: Int!, $message: String",
    "submitPrivateDeclaration(id: $id, version: $version, message: $message)",
    "reference",
)
TAKE = declaration_mutation("$id: ID!", "takePrivateDeclaration(id: $id)")
ASK_DECLARANT = declaration_mutation(
    "$id: ID!, $message: String!", "requestDeclarationInformation(id: $id, message: $message)"
)
ACCEPT = declaration_mutation(
    "$id: ID!, $amountDue: Decimal!, $message: String",
    "acceptPrivateDeclaration(id: $id, amountDue: $amountDue, message: $message)",
)
REFUSE = declaration_mutation("$id: ID!, $reason: String!", "refusePrivateDeclaration(id: $id, reason: $reason)")
MESSAGE = declaration_mutation(
    "$id: ID!, $text: String!", "sendDeclarationMessage(id: $id, text: $text)", "history { kind fromCustoms }"
)


OPERATIONS: dict[str, Operation] = {
    # --- queries
    "me": Operation("query { me { id name kind } }", no_variables),
    "operators": Operation(
        "query { operators(first: 100) { items { legalName } totalCount } }", no_variables, item_names
    ),
    "operator": Operation("query($id: ID!) { operator(id: $id) { id legalName } }", operator_arg("id")),
    "node": Operation("query($id: ID!) { node(id: $id) { __typename id } }", node_arg),
    "representedEntities": Operation(
        "query { representedEntities { id scope represented { legalName } } }", no_variables, represented_names
    ),
    "representatives": Operation(
        "query($operatorId: ID!) { representatives(operatorId: $operatorId) { id representative { legalName } } }",
        operator_arg("operatorId"),
    ),
    "habilitations": Operation(
        "query($operatorId: ID!) { habilitations(operatorId: $operatorId) { id right person { name } } }",
        operator_arg("operatorId"),
    ),
    "collaborators": Operation(
        "query($operatorId: ID!) { collaborators(operatorId: $operatorId) { id name } }",
        operator_arg("operatorId"),
    ),
    "accessAudit": Operation(
        "query($operatorId: ID!) { accessAudit(operatorId: $operatorId) { action at actorName } }",
        operator_arg("operatorId"),
    ),
    "rights": Operation("query { rights { value label } }", no_variables),
    "termsOfUse": Operation("query { termsOfUse { version accepted } }", no_variables),
    "sopranoAccess": Operation("query { sopranoAccess { status message } }", no_variables),
    "apiTokens": Operation("query { apiTokens { id name } }", no_variables),
    # aliases: one document asks for something visible (a) and something not (b)
    "aliases:operator": Operation(
        "query($a: ID!, $b: ID!) { a: operator(id: $a) { legalName } b: operator(id: $b) { legalName } }",
        alias_pair,
    ),
    "aliases:node": Operation(
        "query($a: ID!, $b: ID!) { a: node(id: $a) { id } b: node(id: $b) { id } }", alias_pair
    ),
    "aliases:selectActingOperator": Operation(
        "mutation($a: ID!, $b: ID!) { a: selectActingOperator(operatorId: $a) { id } "
        "b: selectActingOperator(operatorId: $b) { id } }",
        select_two_acting_operators,
    ),
    # --- mutations
    "grantHabilitation": Operation(
        "mutation($input: GrantHabilitationInput!) { grantHabilitation(input: $input) { id right } }", grant()
    ),
    "grantHabilitation:unknown-email": Operation(
        "mutation($input: GrantHabilitationInput!) { grantHabilitation(input: $input) { id right } }",
        grant(unknown_email=True),
    ),
    "revokeHabilitation": Operation(
        "mutation($id: ID!) { revokeHabilitation(id: $id) { id revokedAt } }", revoke_fresh_habilitation
    ),
    "revokeHabilitation:mine": Operation(
        "mutation($id: ID!) { revokeHabilitation(id: $id) { id revokedAt } }", revoke_own_habilitation
    ),
    "setOperatorAdministrator": Operation(
        "mutation($operatorId: ID!, $userId: ID!, $isAdmin: Boolean!) "
        "{ setOperatorAdministrator(operatorId: $operatorId, userId: $userId, isAdmin: $isAdmin) { id isAdmin } }",
        set_administrator(),
    ),
    "setOperatorAdministrator:self-remove": Operation(
        "mutation($operatorId: ID!, $userId: ID!, $isAdmin: Boolean!) "
        "{ setOperatorAdministrator(operatorId: $operatorId, userId: $userId, isAdmin: $isAdmin) { id isAdmin } }",
        set_administrator(mode="self"),
    ),
    "setOperatorAdministrator:foreign-user": Operation(
        "mutation($operatorId: ID!, $userId: ID!, $isAdmin: Boolean!) "
        "{ setOperatorAdministrator(operatorId: $operatorId, userId: $userId, isAdmin: $isAdmin) { id isAdmin } }",
        set_administrator(mode="foreign"),
    ),
    "createRepresentation": Operation(
        "mutation($input: CreateRepresentationInput!) { createRepresentation(input: $input) { id scope } }",
        create_representation,
    ),
    "endRepresentation": Operation(
        "mutation($id: ID!) { endRepresentation(id: $id) { id endedAt } }", end_fresh_representation
    ),
    "selectActingOperator": Operation(
        "mutation($operatorId: ID!) { selectActingOperator(operatorId: $operatorId) { id actingOperator { id } } }",
        select_acting_operator,
    ),
    "acceptTerms": Operation(
        "mutation($version: String!) { acceptTerms(version: $version) { version accepted } }", accept_terms
    ),
    "createApiToken": Operation(
        "mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { token apiToken { id } } }",
        create_api_token("CONSULT"),
    ),
    "createApiToken:submit": Operation(
        "mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { token apiToken { id } } }",
        create_api_token("SUBMIT"),
    ),
    "createApiToken:unbound": Operation(
        "mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { token apiToken { id } } }",
        create_api_token(None),
    ),
    "revokeApiToken": Operation(
        "mutation($id: ID!) { revokeApiToken(id: $id) { id revokedAt } }", revoke_api_token
    ),
    # --- dossiers (issue 4): queries
    "procedures": Operation(
        "query { procedures { code label rubriques { code fields { path mandatory } } } }", no_variables
    ),
    "codeList": Operation(
        "query($name: String!) { codeList(name: $name) { name entries { code } } }", lambda row: {"name": "units"}
    ),
    "limits": Operation(
        "query { limits { messageMaxLength acceptanceDays complementDays decisionDays hearingDays "
        "attachmentMaxBytes } }",
        no_variables,
    ),
    "attachmentPolicy": Operation("query { attachmentPolicy { maxBytes } }", no_variables),
    "dossierStatuses": Operation(
        "query { dossierStatuses { code label operatorBucket officerBucket officerBucketOnceOverdue } }",
        no_variables,
    ),
    # The dossier's per-reader fields: what the reader may do now, and who took it at customs.
    "dossier:actions": Operation(
        "query($id: ID!) { dossier(id: $id) { id availableActions actions { code label needsMessage needsDate } "
        "assignedOfficer } }",
        dossier_arg,
    ),
    # Whether the reader may edit and save the dossier now (its status and their right decide).
    "dossier:canSave": Operation("query($id: ID!) { dossier(id: $id) { id canSave } }", dossier_arg),
    "dossier": Operation(
        "query($id: ID!) { dossier(id: $id) { id reference status operator { legalName } goods { id } "
        "attachments { id } } }",
        dossier_arg,
    ),
    "dossiers": Operation(
        "query { dossiers(first: 200) { dossier { id } operator { legalName } } }", no_variables
    ),
    "aliases:dossier": Operation(
        "query($a: ID!, $b: ID!) { a: dossier(id: $a) { id } b: dossier(id: $b) { id } }", dossier_pair
    ),
    # --- dossiers (issue 4): mutations, each on a dossier made for the row
    "createDossier": Operation(
        "mutation($procedure: ProcedureCode!, $operatorId: ID) "
        "{ createDossier(procedure: $procedure, operatorId: $operatorId) { id reference operator { legalName } } }",
        create_dossier,
        created_for,
    ),
    "createDossier:acting": Operation(
        "mutation($procedure: ProcedureCode!) { createDossier(procedure: $procedure) { id operator { legalName } } }",
        create_dossier_for_acting_operator,
        created_for,
    ),
    "updateDossier": Operation(
        "mutation($id: ID!, $version: Int!, $changes: JSON!) "
        "{ updateDossier(id: $id, version: $version, changes: $changes) { id version } }",
        update_dossier,
    ),
    "checkDossier": Operation(
        "mutation($id: ID!) { checkDossier(id: $id) { ok problems { path code } } }", check_dossier
    ),
    "submitDossier": Operation(
        "mutation($id: ID!, $version: Int!) { submitDossier(id: $id, version: $version) { id status } }",
        submit_dossier,
    ),
    "addGoodsLine": Operation(
        "mutation($dossierId: ID!, $kind: String!, $input: GoodsLineInput!) "
        "{ addGoodsLine(dossierId: $dossierId, kind: $kind, input: $input) { id } }",
        add_goods_line,
    ),
    "updateGoodsLine": Operation(
        "mutation($id: ID!, $input: GoodsLineInput!) { updateGoodsLine(id: $id, input: $input) { id description } }",
        update_goods_line,
    ),
    "removeGoodsLine": Operation(
        "mutation($id: ID!) { removeGoodsLine(id: $id) { id goods { id } } }", remove_goods_line
    ),
    "uploadAttachment": Operation(
        "mutation($dossierId: ID!, $file: Upload!) { uploadAttachment(dossierId: $dossierId, file: $file) "
        "{ id sha256 } }",
        upload_attachment,
        send=multipart,
    ),
    "removeAttachment": Operation(
        "mutation($id: ID!) { removeAttachment(id: $id) { id removedAt } }", remove_attachment
    ),
    # --- processing (issue 5): each mutation on a copy of the target's dossier made for the row
    "actOnDossier": Operation(
        "mutation($id: ID!, $action: DossierAction!) { actOnDossier(id: $id, action: $action) { id status } }",
        act_on_dossier("ACCEPT"),
    ),
    "actOnDossier:withdraw": Operation(
        "mutation($id: ID!, $action: DossierAction!) { actOnDossier(id: $id, action: $action) { id status } }",
        act_on_dossier("WITHDRAW"),
    ),
    "takeDossier": Operation("mutation($id: ID!) { takeDossier(id: $id) { id assignedOfficer } }", take_dossier),
    "addComment": Operation(
        "mutation($dossierId: ID!, $text: String!) { addComment(dossierId: $dossierId, text: $text) { id kind } }",
        add_comment,
    ),
    "extendDecisionDeadline": Operation(
        "mutation($id: ID!, $newDate: Date!, $reason: String!) "
        "{ extendDecisionDeadline(id: $id, newDate: $newDate, reason: $reason) { id deadline { due extended } } }",
        extend_decision_deadline,
    ),
    "dashboard": Operation(
        "query { dashboard(bucket: ALL, first: 100) { totalCount items { dossier { id } operator { legalName } } } }",
        no_variables,
        entries=dashboard_items,
    ),
    # --- authorisations (issue 11): queries (the fixture authorisations of AUTHORIZATIONS)
    # The newest first: the module's fixture authorisations lead the page, whatever other tests issued.
    "authorizations": Operation(
        "query { authorizations(sort: ISSUED_DESC, first: 100) { totalCount hasNextPage endCursor "
        "items { id reference state operator { legalName } } } }",
        no_variables,
        entries=authorization_items,
    ),
    "authorizations:reference": Operation(
        "query($search: String!) { authorizations(search: $search) { totalCount items { id } } }",
        search_reference,
        entries=authorization_items,
    ),
    "authorizations:siret": Operation(
        "query($search: String!) { authorizations(search: $search, states: [ACTIVE], procedures: [TEA], "
        "expiresWithinDays: 3650, first: 100) { totalCount items { id } } }",
        search_siret,
        entries=authorization_items,
    ),
    "authorization": Operation(
        "query($id: ID!) { authorization(id: $id) { id reference state customsOffice measures operator { legalName } "
        "currentVersion { number pdfUrl issuedBy sections { title } diff { key } } versions { id } "
        "history { kind actor } } }",
        authorization_arg,
    ),
    "aliases:authorization": Operation(
        "query($a: ID!, $b: ID!) { a: authorization(id: $a) { id } b: authorization(id: $b) { id } }",
        authorization_pair,
    ),
    # --- authorisations (issue 11): the grant (a fresh copy of the target's dossier) and the measures (a fresh copy
    # of the target's authorisation)
    "grantDossier": Operation(
        "mutation($input: GrantDossierInput!) { grantDossier(input: $input) { dossier { id status } "
        "authorization { id reference state } } }",
        grant_dossier,
    ),
    # The adverse measures (a suspension in case a or b, a revocation, an annulment) on a copy whose holder has been
    # heard on that measure (see heard_on); the variants: not heard, or heard differently.
    "suspendAuthorization": Operation(SUSPEND, suspend_authorization()),
    "suspendAuthorization:unheard": Operation(SUSPEND, suspend_authorization("unheard")),
    "suspendAuthorization:awaiting": Operation(SUSPEND, suspend_authorization("awaiting")),
    "suspendAuthorization:time-over": Operation(SUSPEND, suspend_authorization("time-over")),
    "suspendAuthorization:case-b": Operation(SUSPEND, suspend_authorization(case="CONDITIONS_NOT_MET")),
    "suspendAuthorization:case-b-unheard": Operation(
        SUSPEND, suspend_authorization("unheard", case="CONDITIONS_NOT_MET")
    ),
    "suspendAuthorization:asked": Operation(SUSPEND, suspend_authorization("asked", case="HOLDER_REQUEST")),
    "liftAuthorizationSuspension": Operation(
        "mutation($id: ID!, $reason: String!) { liftAuthorizationSuspension(id: $id, reason: $reason) { id state } }",
        lift_authorization_suspension(),
    ),
    "liftAuthorizationSuspension:not-suspended": Operation(
        "mutation($id: ID!, $reason: String!) { liftAuthorizationSuspension(id: $id, reason: $reason) { id state } }",
        lift_authorization_suspension(suspended=False),
    ),
    "revokeAuthorization": Operation(REVOKE, revoke_authorization()),
    "revokeAuthorization:unheard": Operation(REVOKE, revoke_authorization("unheard")),
    "revokeAuthorization:awaiting": Operation(REVOKE, revoke_authorization("awaiting")),
    "revokeAuthorization:time-over": Operation(REVOKE, revoke_authorization("time-over")),
    "revokeAuthorization:asked": Operation(REVOKE, revoke_authorization("asked")),
    "annulAuthorization": Operation(ANNUL, annul_authorization()),
    "annulAuthorization:unheard": Operation(ANNUL, annul_authorization("unheard")),
    "annulAuthorization:awaiting": Operation(ANNUL, annul_authorization("awaiting")),
    "annulAuthorization:time-over": Operation(ANNUL, annul_authorization("time-over")),
    "reassessAuthorization": Operation(
        "mutation($id: ID!, $note: String!) { reassessAuthorization(id: $id, note: $note) { id state } }",
        reassess_authorization,
    ),
    # --- authorisations (issue 11): the right to be heard, each on a fresh copy of the target's authorisation
    "notifyIntendedAuthorizationMeasure": Operation(NOTIFY, notify_intended("SUSPEND")),
    "notifyIntendedAuthorizationMeasure:revoke": Operation(NOTIFY, notify_intended("REVOKE")),
    "notifyIntendedAuthorizationMeasure:annul": Operation(NOTIFY, notify_intended("ANNUL")),
    "notifyIntendedAuthorizationMeasure:intended": Operation(
        NOTIFY, notify_intended("SUSPEND", intended="revoke")
    ),
    "notifyIntendedAuthorizationMeasure:blank": Operation(NOTIFY, notify_intended("SUSPEND", reason="   ")),
    "abandonIntendedAuthorizationMeasure": Operation(ABANDON, abandon_intended()),
    "abandonIntendedAuthorizationMeasure:nothing": Operation(ABANDON, abandon_intended(None)),
    "abandonIntendedAuthorizationMeasure:blank": Operation(ABANDON, abandon_intended(reason="   ")),
    "answerAuthorizationHearing": Operation(ANSWER, answer_hearing()),
    "answerAuthorizationHearing:answered": Operation(ANSWER, answer_hearing("answered")),
    "answerAuthorizationHearing:time-over": Operation(ANSWER, answer_hearing("time-over")),
    "answerAuthorizationHearing:nothing": Operation(ANSWER, answer_hearing("nothing")),
    "answerAuthorizationHearing:blank": Operation(ANSWER, answer_hearing(observations="   ")),
    # --- authorisations (issue 11): the holder's requests, each on a fresh copy of the target's authorisation
    "requestAmendment": Operation(REQUEST % "requestAmendment", request_change()),
    "requestAmendment:pending": Operation(REQUEST % "requestAmendment", request_change(pending=True)),
    "requestAmendment:revoked": Operation(REQUEST % "requestAmendment", request_change(ends="revoked")),
    "requestRenewal": Operation(REQUEST % "requestRenewal", request_change(ends="window")),
    "requestRenewal:before-window": Operation(REQUEST % "requestRenewal", request_change(ends="before-window")),
    "requestRenewal:pending": Operation(REQUEST % "requestRenewal", request_change(ends="window", pending=True)),
    "requestRenewal:expired": Operation(REQUEST % "requestRenewal", request_change(ends="expired")),
    # --- authorisations (issue 11): the exchanges with customs, each on a fresh copy of the target's authorisation
    "askCustomsAboutAuthorization": Operation(ASK_CUSTOMS, ask_customs("SUSPEND")),
    "askCustomsAboutAuthorization:revoke": Operation(ASK_CUSTOMS, ask_customs("REVOKE")),
    "askCustomsAboutAuthorization:pending": Operation(ASK_CUSTOMS, ask_customs("REVOKE", pending="suspend")),
    "askCustomsAboutAuthorization:revoked": Operation(ASK_CUSTOMS, ask_customs("REVOKE", state="revoked")),
    "askCustomsAboutAuthorization:expired": Operation(ASK_CUSTOMS, ask_customs("REVOKE", state="expired")),
    "askCustomsAboutAuthorization:annulled": Operation(ASK_CUSTOMS, ask_customs("REVOKE", state="annulled")),
    "askCustomsAboutAuthorization:suspended": Operation(ASK_CUSTOMS, ask_customs("SUSPEND", state="suspended")),
    "askCustomsAboutAuthorization:suspended-revoke": Operation(
        ASK_CUSTOMS, ask_customs("REVOKE", state="suspended")
    ),
    "commentOnAuthorization": Operation(COMMENT, comment_on_authorization()),
    "commentOnAuthorization:blank": Operation(COMMENT, comment_on_authorization("   ")),
    # --- authorisations (issue 11): the plain HTTP route of a version's PDF (not GraphQL: see get_file)
    "authorizationPdf": Operation(
        "GET /files/autorisations/{authorization_id}/version-{number}.pdf", pdf_of_version(1), send=get_file
    ),
    "authorizationPdf:version-2": Operation(
        "GET /files/autorisations/{authorization_id}/version-{number}.pdf", pdf_of_version(2), send=get_file
    ),
    # --- private declarations: the public rules, lookups (the fixture declarations of DECLARATIONS)
    "allowanceRules": Operation("query { allowanceRules { key value validFrom validUntil } }", no_variables),
    "ratesInForce": Operation("query { ratesInForce { currency perEuro on } }", no_variables),
    "declarationCategories": Operation("query { declarationCategories { category label } }", no_variables),
    "declarationCurrencies": Operation("query { declarationCurrencies }", no_variables),
    "privateDeclaration": Operation(
        "query($id: ID!) { privateDeclaration(id: $id) { id reference status customsOffice declarantName "
        "items { key } history { kind message } } }",
        declaration_arg,
    ),
    # The per-reader fields: whether the reader may edit it now (the declarant), or examine it now (the office).
    "privateDeclaration:may": Operation(
        "query($id: ID!) { privateDeclaration(id: $id) { id mayEdit mayExamine } }", declaration_arg
    ),
    "aliases:privateDeclaration": Operation(
        "query($a: ID!, $b: ID!) { a: privateDeclaration(id: $a) { id } b: privateDeclaration(id: $b) { id } }",
        declaration_pair,
    ),
    "privateDeclarations": Operation(
        "query { privateDeclarations(first: 100) { totalCount items { id status } } }",
        no_variables,
        entries=declaration_items,
    ),
    # « À traiter »: for the declarant, what waits for him (a draft, a request for information); for the office,
    # what waits for it (submitted, under review).
    "privateDeclarations:todo": Operation(
        "query { privateDeclarations(bucket: TODO, first: 100) { totalCount items { id status } } }",
        no_variables,
        entries=declaration_items,
    ),
    "privateDeclarationCounts": Operation(
        "query { privateDeclarationCounts { todo waiting done all } }", no_variables
    ),
    # --- private declarations: the declarant's changes, each on a fresh copy of the target
    "createPrivateDeclaration": Operation(
        "mutation($kind: DeclarationKind!) { createPrivateDeclaration(kind: $kind) "
        "{ id status reference customsOffice mayEdit } }",
        create_declaration,
    ),
    "saveDeclarationFacts": Operation(SAVE_FACTS, save_facts()),
    "saveDeclarationFacts:invalid": Operation(SAVE_FACTS, save_facts(WRONG_FACTS)),
    "saveDeclarationFacts:stale": Operation(SAVE_FACTS, save_facts(stale=True)),
    "addDeclarationItem": Operation(ADD_ITEM, add_item()),
    "addDeclarationItem:invalid": Operation(ADD_ITEM, add_item(WRONG_ITEM)),
    "updateDeclarationItem": Operation(UPDATE_ITEM, update_item()),
    "updateDeclarationItem:invalid": Operation(UPDATE_ITEM, update_item(WRONG_ITEM)),
    "updateDeclarationItem:unknown": Operation(UPDATE_ITEM, update_item(key="inconnu")),
    "removeDeclarationItem": Operation(REMOVE_ITEM, remove_item()),
    "removeDeclarationItem:unknown": Operation(REMOVE_ITEM, remove_item(key="inconnu")),
    "submitPrivateDeclaration": Operation(SUBMIT, submit_declaration()),
    "submitPrivateDeclaration:no-message": Operation(SUBMIT, submit_declaration(None)),
    "submitPrivateDeclaration:empty": Operation(SUBMIT, submit_declaration(None, items=False)),
    # --- private declarations: the office's examination, each on a fresh copy of the target
    "takePrivateDeclaration": Operation(TAKE, on_fresh_declaration()),
    "requestDeclarationInformation": Operation(
        ASK_DECLARANT, on_fresh_declaration(message="Matrice des accès : joignez la facture.")
    ),
    "requestDeclarationInformation:blank": Operation(ASK_DECLARANT, on_fresh_declaration(message="   ")),
    "acceptPrivateDeclaration": Operation(ACCEPT, on_fresh_declaration(amountDue="33.50", message=None)),
    "acceptPrivateDeclaration:negative": Operation(ACCEPT, on_fresh_declaration(amountDue="-1", message=None)),
    "refusePrivateDeclaration": Operation(
        REFUSE, on_fresh_declaration(reason="Matrice des accès : la facture manque.")
    ),
    "refusePrivateDeclaration:blank": Operation(REFUSE, on_fresh_declaration(reason="   ")),
    # --- private declarations: the thread (the declarant and the office), on a fresh copy of the target
    "sendDeclarationMessage": Operation(
        MESSAGE, on_fresh_declaration(text="Matrice des accès : une question sur la veste.")
    ),
    "sendDeclarationMessage:blank": Operation(MESSAGE, on_fresh_declaration(text="   ")),
    # --- private declarations: the summary PDF, a plain HTTP route (read-only: the fixture declarations)
    "declarationPdf": Operation(
        "GET /files/declarations/{declaration_id}.pdf", pdf_of_declaration, send=http_get("declarationPdf")
    ),
}


# --- assistance (issue 14): lookups on the fixture requests of ASSISTANCE, each mutation on a fresh copy ---


async def forget_new_requests(row: Row) -> None:
    """Every assistance request made from now on (by the row's builder or by the operation) is deleted after the
    row, with its thread."""
    async with row.world.db.session() as session:
        last = (await session.exec(select(sa.func.max(AssistanceRequest.id)))).one() or 0
    row.cleanup(lambda: delete_requests(row.world.db, AssistanceRequest.id > last))


async def forget_new_feedback(row: Row) -> None:
    """Every opinion given from now on is deleted after the row."""
    async with row.world.db.session() as session:
        last = (await session.exec(select(sa.func.max(Feedback.id)))).one() or 0
    row.cleanup(lambda: row.execute(sa.delete(Feedback).where(Feedback.id > last)))


async def fresh_request(row: Row) -> str:
    """The global id of a request like the target's, made for this row only (MISSING: a valid id of nothing)."""
    if row.target == MISSING:
        return encode_id("AssistanceRequest", MISSING_ID)
    await forget_new_requests(row)
    made = await insert_request(row.world, row.target)
    return encode_id("AssistanceRequest", made.id)


def request_arg(row: Row) -> dict:
    return {"id": row.world.assistance_gid(row.target)}


def request_pair(row: Row) -> dict:
    own, _, other = row.target.partition("|")
    return {"a": row.world.assistance_gid(own), "b": row.world.assistance_gid(other)}


def request_items(data) -> list[dict]:
    return data["items"]


def search_request(row: Row) -> dict:
    """The fixture request's own subject (« Matrice des accès KEY »): found by who may see it, by nobody else."""
    return {"search": f"Matrice des accès {row.target}"}


def question_operator(data) -> list[str]:
    return [data["operatorName"]]


QUESTION_TEXT = {"subject": "Matrice des accès : une question", "message": "Matrice des accès : quel régime ?"}


def ask_question(about: str = "office", **overrides: Any) -> Callable[[Row], Awaitable[dict]]:
    """about="office": a general question to FR000690, for the acting operator (target `_`: none chosen in the
    session; an operator key: chosen in the session first, undone after the row); "dossier": about the target's
    fixture dossier; "authorization": about the target's fixture authorisation (their own office answers)."""

    async def build(row: Row) -> dict:
        await forget_new_requests(row)
        variables: dict[str, Any] = dict(QUESTION_TEXT)
        if about == "office":
            variables["office"] = "FR000690"
            if row.target is not None:
                forget_acting_operator(row)
                await row.execute(
                    sa.update(WebSession)
                    .where(WebSession.id == row.world.sessions[row.actor])
                    .values(acting_operator_id=row.world.operator_id(row.target))
                )
        elif about == "dossier":
            variables["dossierId"] = row.world.dossier_gid(row.target)
        else:
            authorization = MISSING_ID if row.target == MISSING else row.world.authorizations[row.target]
            variables["authorizationId"] = encode_id("Authorization", authorization)
        return variables | overrides

    return build


def open_ticket(**overrides: Any) -> Callable[[Row], Awaitable[dict]]:
    async def build(row: Row) -> dict:
        await forget_new_requests(row)
        return {
            "subject": "Matrice des accès : un problème",
            "description": "Matrice des accès : le bouton ne répond pas.",
            "page": "/assistance",
        } | overrides

    return build


def on_fresh_request(**values: Any) -> Callable[[Row], Awaitable[dict]]:
    async def build(row: Row) -> dict:
        return {"id": await fresh_request(row), **values}

    return build


def upload(
    filename: str, content: bytes, content_type: str
) -> Callable[[httpx.Client, str, dict], httpx.Response]:
    """A GraphQL multipart request with this file (variables.file), with the header required against CSRF."""

    def send(client: httpx.Client, document: str, variables: dict) -> httpx.Response:
        operations = {"query": document, "variables": {**variables, "file": None}}
        return client.post(
            "/graphql",
            data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.file"]})},
            files={"0": (filename, content, content_type)},
            headers={"X-Soprano-Upload": "1"},
        )

    return send


def feedback_page(row: Row) -> str:
    """A page of the portal nobody rated yet: every row rates its own."""
    return f"/matrice/{unique_sub('page').partition('@')[0]}"


def give_feedback(*, again: bool = False, rating: int = 4) -> Callable[[Row], Awaitable[dict]]:
    """Rate a fresh page; again: the actor already rated it today (an opinion made for the row)."""

    async def build(row: Row) -> dict:
        await forget_new_feedback(row)
        page = feedback_page(row)
        if again and row.user is not None:
            await row.insert(Feedback(user_id=row.user.id, page=page, rating=3, day=paris_today()))
        return {"page": page, "rating": rating, "comment": "Matrice des accès"}

    return build


async def may_give_feedback(row: Row) -> dict:
    """Target "fresh": a page the actor did not rate; "given": one they rated today (an opinion made for the row)."""
    await forget_new_feedback(row)
    page = feedback_page(row)
    if row.target == "given" and row.user is not None:
        await row.insert(Feedback(user_id=row.user.id, page=page, rating=3, day=paris_today()))
    return {"page": page}


def screenshot_of(row: Row) -> dict:
    """The opening message of the target's request (the one that carries a ticket's screenshot)."""
    return {"message_id": MISSING_ID if row.target == MISSING else row.world.openings[row.target]}


def get_image(root: str) -> Callable[[httpx.Client, str, dict], httpx.Response]:
    """A plain HTTP GET of the route `document` names, told like a GraphQL answer under `root`: the PNG is data, 404
    is NOT_FOUND."""

    def send(client: httpx.Client, document: str, variables: dict) -> httpx.Response:
        method, _, route = document.partition(" ")
        assert method == "GET", document
        response = client.get(route.format(**variables))
        if response.status_code == 200:
            assert response.headers["content-type"] == "image/png" and response.content == PNG, response.headers
            assert "no-store" in response.headers["cache-control"]
            return httpx.Response(200, json={"data": {root: {"bytes": len(response.content)}}})
        code = {401: "UNAUTHENTICATED", 404: "NOT_FOUND"}.get(response.status_code, f"HTTP_{response.status_code}")
        error = {"message": response.text, "path": [root], "extensions": {"code": code}}
        return httpx.Response(200, json={"data": {root: None}, "errors": [error]})

    return send


REQUEST_FIELDS = "id kind status customsOffice operatorName takenByName mayAnswer mayWrite"
ASK = (
    "mutation($subject: String!, $message: String!, $office: String, $dossierId: ID, $authorizationId: ID) "
    "{ askRegulatoryQuestion(subject: $subject, message: $message, office: $office, dossierId: $dossierId, "
    f"authorizationId: $authorizationId) {{ {REQUEST_FIELDS} }} }}"
)
TICKET = (
    "mutation($subject: String!, $description: String!, $page: String) "
    f"{{ openTechnicalTicket(subject: $subject, description: $description, page: $page) {{ {REQUEST_FIELDS} page }} }}"
)
SCREENSHOT = (
    "mutation($id: ID!, $file: Upload!) { attachTicketScreenshot(id: $id, file: $file) "
    "{ id status messages { kind screenshotUrl } } }"
)
POST = (
    f"mutation($id: ID!, $text: String!) {{ postAssistanceMessage(id: $id, text: $text) {{ {REQUEST_FIELDS} }} }}"
)
TAKE = f"mutation($id: ID!) {{ takeAssistanceRequest(id: $id) {{ {REQUEST_FIELDS} }} }}"
CLOSE = f"mutation($id: ID!) {{ closeAssistanceRequest(id: $id) {{ {REQUEST_FIELDS} }} }}"
FEEDBACK = (
    "mutation($page: String!, $rating: Int!, $comment: String) "
    "{ giveFeedback(page: $page, rating: $rating, comment: $comment) { id rating comment givenBy } }"
)
LIST = "totalCount items {{ id status kind }}"


def request_list(arguments: str = "") -> Operation:
    return Operation(
        f"query {{ assistanceRequests({arguments}first: 100) {{ {LIST.format()} }} }}",
        no_variables,
        entries=request_items,
    )


OPERATIONS.update(
    {
        # --- assistance (issue 14): the regulatory documentation (public)
        "regulatoryDocumentation": Operation(
            "query { regulatoryDocumentation { procedure title references { url } links { url } } }", no_variables
        ),
        "procedureDocumentation": Operation(
            "query($procedure: String!) { procedureDocumentation(procedure: $procedure) { procedure title } }",
            lambda row: {"procedure": row.target},
        ),
        # --- assistance: the lists (what the reader sees, newest first: the module's fixture requests lead), per
        # bucket, side and kind, searched
        "assistanceRequests": request_list(),
        "assistanceRequests:todo": request_list("bucket: TODO, "),
        "assistanceRequests:waiting": request_list("bucket: WAITING, "),
        "assistanceRequests:done": request_list("bucket: DONE, "),
        "assistanceRequests:to-answer": request_list("side: TO_ANSWER, "),
        "assistanceRequests:asked": request_list("side: ASKED, "),
        "assistanceRequests:tickets": request_list("kind: TICKET, "),
        "assistanceRequests:search": Operation(
            f"query($search: String!) {{ assistanceRequests(search: $search, first: 100) {{ {LIST.format()} }} }}",
            search_request,
            entries=request_items,
        ),
        "assistanceCounts": Operation("query { assistanceCounts { todo waiting done all } }", no_variables),
        "assistanceRequest": Operation(
            "query($id: ID!) { assistanceRequest(id: $id) { id reference kind status subject customsOffice page "
            "authorName takenByName operatorName dossierId dossierReference authorizationId authorizationReference "
            "messages { id kind authorName fromCustoms body screenshotUrl } } }",
            request_arg,
        ),
        # The per-reader fields: whether the reader answers it (customs' side) or writes in it (either side).
        "assistanceRequest:may": Operation(
            "query($id: ID!) { assistanceRequest(id: $id) { id mayAnswer mayWrite } }", request_arg
        ),
        "aliases:assistanceRequest": Operation(
            "query($a: ID!, $b: ID!) { a: assistanceRequest(id: $a) { id } b: assistanceRequest(id: $b) { id } }",
            request_pair,
        ),
        "mayGiveFeedback": Operation("query($page: String!) { mayGiveFeedback(page: $page) }", may_give_feedback),
        "feedback": Operation(
            "query { feedback(first: 5) { totalCount items { page rating comment givenBy } } }", no_variables
        ),
        "feedbackSummary": Operation(
            "query { feedbackSummary { count average months { month count average } } }", no_variables
        ),
        # --- assistance: the changes (a question, a ticket; on a fresh copy of the target: its thread)
        "askRegulatoryQuestion": Operation(ASK, ask_question(), names=question_operator),
        "askRegulatoryQuestion:invalid": Operation(ASK, ask_question(subject=" ", message="", office="PARIS")),
        "askRegulatoryQuestion:dossier": Operation(ASK, ask_question("dossier"), names=question_operator),
        "askRegulatoryQuestion:authorization": Operation(
            ASK, ask_question("authorization"), names=question_operator
        ),
        "openTechnicalTicket": Operation(TICKET, open_ticket()),
        "openTechnicalTicket:invalid": Operation(
            TICKET, open_ticket(subject=" ", description="", page="pas une page")
        ),
        "attachTicketScreenshot": Operation(
            SCREENSHOT, on_fresh_request(), send=upload("capture.png", PNG, "image/png")
        ),
        "attachTicketScreenshot:pdf": Operation(
            SCREENSHOT, on_fresh_request(), send=upload("matrice.pdf", PDF, "application/pdf")
        ),
        "postAssistanceMessage": Operation(POST, on_fresh_request(text="Matrice des accès : un message.")),
        "postAssistanceMessage:blank": Operation(POST, on_fresh_request(text="   ")),
        "takeAssistanceRequest": Operation(TAKE, on_fresh_request()),
        "closeAssistanceRequest": Operation(CLOSE, on_fresh_request()),
        "giveFeedback": Operation(FEEDBACK, give_feedback()),
        "giveFeedback:again": Operation(FEEDBACK, give_feedback(again=True)),
        "giveFeedback:invalid": Operation(FEEDBACK, give_feedback(rating=6)),
        # --- assistance: a ticket's screenshot, a plain HTTP route (read-only: the fixture requests)
        "assistanceScreenshot": Operation(
            "GET /files/assistance/captures/{message_id}", screenshot_of, send=get_image("assistanceScreenshot")
        ),
    }
)
