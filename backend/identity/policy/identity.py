"""Who may see and manage the identity domain: operators, users, habilitations, representation mandates, API tokens.

Administering an operator (`OperatorAccess.administers`: its own user, named administrator) is the one condition
behind managing its habilitations and collaborators, giving and ending its mandates, and seeing its people.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import or_, select

from backend.errors import Forbidden, NotFound
from backend.identity.actor import Actor
from backend.identity.models import ApiToken, Habilitation, Operator, Representation, Right, User
from backend.identity.policy.access import (
    NOT_FOUND_OPERATOR,
    Access,
    OperatorAccess,
    Via,
    require_professional,
    require_session,
)

NOT_FOUND_MANDATE = "Mandat introuvable."

# --- administrators -------------------------------------------------------------------------------------------


def administered_operators(access: Access) -> list[int]:
    """The operators the actor administers (their own operator, when they are one of its administrators)."""
    return sorted(a.operator_id for a in access.operators.values() if a.administers)


def may_administer(access: Access, operator_id: int) -> bool:
    """An administrator of the operator (what `require_admin` checks, a browser session aside)."""
    entry = access.operators.get(operator_id)
    return access.is_professional and entry is not None and entry.administers


def require_admin(access: Access, operator_id: int) -> OperatorAccess:
    """Administrators of their own operator manage its habilitations; anyone else gets NotFound or Forbidden."""
    require_professional(access)
    require_session(access)
    entry = access.operators.get(operator_id)
    if entry is None:
        raise NotFound(NOT_FOUND_OPERATOR)
    if not entry.administers:
        raise Forbidden("Seuls les administrateurs de l'opérateur peuvent gérer ses habilitations.")
    return entry


# --- operators and users --------------------------------------------------------------------------------------


def is_oneself(actor: Actor | None, user_id: int | None) -> bool:
    """The user is the actor: their operators, acting operator and terms are told to themselves only."""
    return actor is not None and user_id is not None and actor.user_id == user_id


def require_operator_list(access: Access) -> None:
    """Customs officers list every operator, professionals theirs; anyone else is refused."""
    if not access.is_officer:
        require_professional(access)


def visible_operators(access: Access) -> sa.ColumnElement[bool]:
    """Customs officers see every operator; professionals the operators they may act for; others none."""
    if access.is_officer:
        return sa.true()
    if not access.operators:
        return sa.false()
    return Operator.id.in_(list(access.operators))


def visible_users(access: Access) -> sa.ColumnElement[bool]:
    """Oneself; administrators also see the users of their operator and the partners they habilitated."""
    if access.actor is None:
        return sa.false()
    me = User.id == access.actor.user_id
    admin_of = administered_operators(access)
    if not admin_of:
        return me
    partners = select(Habilitation.user_id).where(
        Habilitation.operator_id.in_(admin_of), Habilitation.revoked_at.is_(None)
    )
    return or_(me, User.operator_id.in_(admin_of), User.id.in_(partners))


# --- habilitations --------------------------------------------------------------------------------------------


def visible_habilitations(access: Access) -> sa.ColumnElement[bool]:
    """One's own habilitations, and those of the operators one administers."""
    if access.actor is None:
        return sa.false()
    mine = Habilitation.user_id == access.actor.user_id
    admin_of = administered_operators(access)
    return or_(mine, Habilitation.operator_id.in_(admin_of)) if admin_of else mine


def may_see_habilitation(access: Access, habilitation: Habilitation) -> bool:
    """The same rule as `visible_habilitations`, for a row at hand."""
    if access.actor is None:
        return False
    return habilitation.user_id == access.actor.user_id or may_administer(access, habilitation.operator_id)


# --- representation mandates ----------------------------------------------------------------------------------


def own_operators(access: Access, *, with_right: bool = False) -> list[int]:
    """The actor's own operator (a list: none for a visitor), optionally only when they hold a right on it."""
    return sorted(
        a.operator_id
        for a in access.operators.values()
        if a.via is Via.OWN and (a.right is not None or not with_right)
    )


def visible_representations(access: Access) -> sa.ColumnElement[bool]:
    """Mandates the actor's operators give or hold; officers see all."""
    if access.is_officer:
        return sa.true()
    own = own_operators(access)
    if not own:
        return sa.false()
    return or_(Representation.representative_id.in_(own), Representation.represented_id.in_(own))


def require_mandates_reader(access: Access, operator_id: int) -> None:
    """The mandates an operator gave: its administrators, and customs (who create and end them)."""
    if not access.is_officer:
        require_admin(access, operator_id)


def may_give_mandate(access: Access, represented_id: int) -> bool:
    """A mandate is given by the represented operator's administrator, or by customs."""
    return access.is_officer or may_administer(access, represented_id)


def require_mandate_giver(access: Access, represented_id: int) -> None:
    """In a browser session; NotFound for an operator the actor does not know, Forbidden for one they do."""
    if not access.is_officer:
        require_professional(access)
    require_session(access)
    if may_give_mandate(access, represented_id):
        return
    if represented_id not in access.operators:
        raise NotFound(NOT_FOUND_OPERATOR)
    raise Forbidden("Seuls l'administrateur de l'opérateur représenté ou la douane peuvent créer un mandat.")


def may_end_mandate(access: Access, mandate: Representation) -> bool:
    """Ended by the represented operator's administrator, the representative's administrator, or customs."""
    return (
        access.is_officer
        or may_administer(access, mandate.represented_id)
        or may_administer(access, mandate.representative_id)
    )


def require_mandate_ender(access: Access, mandate: Representation) -> None:
    """`mandate` was read through `visible_representations`; the actor sees it, so a refusal is Forbidden."""
    if not may_end_mandate(access, mandate):
        raise Forbidden(
            "Seuls les administrateurs des opérateurs concernés ou la douane peuvent mettre fin au mandat."
        )


# --- API tokens -----------------------------------------------------------------------------------------------


def visible_tokens(access: Access) -> sa.ColumnElement[bool]:
    """A user sees and manages only their own tokens."""
    if access.actor is None:
        return sa.false()
    return ApiToken.user_id == access.actor.user_id


def may_see_token(access: Access, token: ApiToken) -> bool:
    """The same rule as `visible_tokens`, for a row at hand."""
    return access.actor is not None and token.user_id == access.actor.user_id


def grantable_token_rights(access: Access, operator_id: int) -> list[Right]:
    """The rights a token of the actor may carry on the operator: up to their own (what `create_api_token` checks)."""
    right = access.right_on(operator_id) if access.is_professional else None
    return [r for r in Right if right is not None and r <= right]
