"""The core of the access policy: what one actor may do in one request (`Access`, computed by `load_access`), and
the questions every feature asks (logged in, professional, terms accepted, browser session, a right on an operator).

- `load_access` computes, once per request, the operators an actor may act for and the right on each: their own
  operator (administrators have every right; collaborators the right of their habilitation), the operators that gave
  them a habilitation as an external partner, and the operators their own operator represents under a mandate active
  today (a French calendar day). An API token is then capped to its operator and right.
- `may_*` answer yes or no; `require_*` raise: `NotFound` for what the actor may not see (exactly like what does not
  exist), `Forbidden` for what they see but may not do.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.clock import french_day, utcnow
from backend.errors import DomainError, Forbidden, NotFound, Unauthenticated
from backend.identity.actor import Actor
from backend.identity.mandates import active_on
from backend.identity.models import (
    SOPRANO,
    AccountKind,
    Habilitation,
    MandateScope,
    Representation,
    Right,
    TermsAcceptance,
    TermsVersion,
    User,
)


class Via(enum.StrEnum):
    OWN = "own"  # the user's own operator
    PARTNER = "partner"  # another operator gave the user a habilitation
    REPRESENTATION = "representation"  # the user's operator represents this operator

    @property
    def label(self) -> str:
        return {
            "own": "mon opérateur",
            "partner": "partenaire habilité",
            "representation": "opérateur représenté",
        }[self.value]


class ProfessionalOnly(DomainError):
    code = "PROFESSIONAL_ONLY"


class TermsNotAccepted(DomainError):
    code = "TERMS_NOT_ACCEPTED"


class TokenNotAllowed(Forbidden):
    """Managing rights and tokens needs a browser session: an integration's token cannot widen itself."""


NOT_FOUND_OPERATOR = "Opérateur introuvable."
LOGIN_REQUIRED = "Vous devez être connecté."
PROFESSIONAL_ONLY = "Cette fonction est réservée aux comptes professionnels."
TERMS_REQUIRED = "Vous devez accepter les conditions générales d'utilisation de SOPRANO avant de l'utiliser."


@dataclass(frozen=True)
class OperatorAccess:
    operator_id: int
    right: Right | None  # None: a member of the operator without any right on the tele-service
    is_admin: bool
    via: Via
    scope: MandateScope | None = None  # for representation: full or partial mandate

    @property
    def administers(self) -> bool:
        """An administrator of their own operator (a partner or a representative never administers it)."""
        return self.via is Via.OWN and self.is_admin


@dataclass
class Access:
    """What one actor may do, computed once per request."""

    actor: Actor | None
    operators: dict[int, OperatorAccess] = field(default_factory=dict)
    acting_operator_id: int | None = None
    terms_accepted: bool = False
    current_terms_id: int | None = None

    @property
    def user(self) -> User | None:
        return self.actor.user if self.actor else None

    @property
    def is_officer(self) -> bool:
        return self.actor is not None and self.actor.kind is AccountKind.CUSTOMS_OFFICER

    @property
    def is_professional(self) -> bool:
        return self.actor is not None and self.actor.kind is AccountKind.PROFESSIONAL

    def right_on(self, operator_id: int) -> Right | None:
        entry = self.operators.get(operator_id)
        return entry.right if entry else None

    def actionable(self) -> list[OperatorAccess]:
        return [a for a in self.operators.values() if a.right is not None]


async def _current_terms(session: AsyncSession, user_id: int, now: dt.datetime) -> tuple[int, bool] | None:
    """The id of SOPRANO's terms in force, and whether the user accepted them (one statement), or None."""
    row = (
        await session.exec(
            select(TermsVersion.id, TermsAcceptance.id)
            .outerjoin(
                TermsAcceptance,
                sa.and_(TermsAcceptance.terms_version_id == TermsVersion.id, TermsAcceptance.user_id == user_id),
            )
            .where(TermsVersion.teleservice == SOPRANO, TermsVersion.published_at <= now)
            .order_by(TermsVersion.published_at.desc(), TermsVersion.id.desc())
            .limit(1)
        )
    ).first()
    return None if row is None else (row[0], row[1] is not None)


async def load_access(
    session: AsyncSession,
    actor: Actor | None,
    *,
    requested_operator_id: int | None = None,
    now: dt.datetime | None = None,
) -> Access:
    now = now or utcnow()
    access = Access(actor=actor)
    if actor is None:
        return access
    user = actor.user
    terms = await _current_terms(session, user.id, now)
    access.current_terms_id, access.terms_accepted = terms if terms else (None, True)
    if user.kind is not AccountKind.PROFESSIONAL:
        return access

    entries: dict[int, OperatorAccess] = {}

    def offer(entry: OperatorAccess) -> None:
        current = entries.get(entry.operator_id)
        if current is None or (entry.right or 0) > (current.right or 0):
            entries[entry.operator_id] = entry

    habilitations = (
        await session.exec(
            select(Habilitation).where(
                Habilitation.user_id == user.id,
                Habilitation.teleservice == SOPRANO,
                Habilitation.revoked_at.is_(None),
            )
        )
    ).all()
    own_right: Right | None = None
    if user.operator_id is not None:
        own_habilitation = next((h for h in habilitations if h.operator_id == user.operator_id), None)
        own_right = (
            Right.SUBMIT if user.is_admin else (Right(own_habilitation.right) if own_habilitation else None)
        )
        offer(OperatorAccess(user.operator_id, own_right, user.is_admin, Via.OWN))
    for habilitation in habilitations:
        if habilitation.operator_id != user.operator_id:
            offer(OperatorAccess(habilitation.operator_id, Right(habilitation.right), False, Via.PARTNER))
    if user.operator_id is not None and own_right is not None:
        mandates = (
            await session.exec(
                select(Representation).where(
                    Representation.representative_id == user.operator_id, active_on(french_day(now))
                )
            )
        ).all()
        for mandate in mandates:
            offer(OperatorAccess(mandate.represented_id, own_right, False, Via.REPRESENTATION, mandate.scope))

    token = actor.token
    if token is not None and token.operator_id is not None:
        # A token never exceeds its creator's rights of the moment, nor its own cap.
        entry = entries.get(token.operator_id)
        if entry is None or entry.right is None:
            entries = {}
        else:
            right = min(entry.right, Right(token.right)) if token.right else entry.right
            entries = {entry.operator_id: OperatorAccess(entry.operator_id, right, False, entry.via, entry.scope)}
    access.operators = entries

    wanted = requested_operator_id or actor.acting_operator_id
    actionable = access.actionable()
    if wanted is not None and access.right_on(wanted) is not None:
        access.acting_operator_id = wanted
    elif len(actionable) == 1:
        access.acting_operator_id = actionable[0].operator_id
    return access


def access_key(actor: Actor | None) -> tuple:
    """Everything `load_access` and the visibility filters read from the actor: two actors with the same key have
    the same rights at the same moment (used to share one authorisation between the subscribers an event wakes)."""
    if actor is None:
        return (None,)
    user, token = actor.user, actor.token
    return (
        user.id,
        user.kind,
        user.is_admin,
        user.operator_id,
        user.customs_office,
        actor.acting_operator_id,
        token.operator_id if token is not None else None,
        token.right if token is not None else None,
    )


# --- questions every feature asks -------------------------------------------------------------------------------


def require_actor(access: Access) -> None:
    if access.actor is None:
        raise Unauthenticated(LOGIN_REQUIRED)


def require_professional(access: Access) -> None:
    require_actor(access)
    if not access.is_professional:
        raise ProfessionalOnly(PROFESSIONAL_ONLY)


def require_terms(access: Access) -> None:
    """SOPRANO operations need the current terms of use accepted."""
    if access.is_professional and not access.terms_accepted:
        raise TermsNotAccepted(TERMS_REQUIRED)


def require_session(access: Access) -> None:
    require_actor(access)
    if access.actor is not None and access.actor.via == "token":
        raise TokenNotAllowed(
            "Cette action n'est pas possible avec un jeton d'accès API : connectez-vous au portail."
        )


def has_browser_session(access: Access) -> bool:
    """Logged in through the portal in a browser (not an API token): choosing an acting operator is kept there."""
    actor = access.actor
    return actor is not None and actor.via == "session" and actor.session_id is not None


def require_browser_session(access: Access) -> None:
    require_actor(access)
    if not has_browser_session(access):
        raise DomainError(
            "Un client API indique l'opérateur à chaque requête (en-tête X-Operator) ou utilise un jeton lié à un opérateur.",
            code="SESSION_REQUIRED",
        )


def soprano_refusal(access: Access) -> DomainError | None:
    """Why the actor may not use SOPRANO now (not logged in, not a professional, terms not accepted), or None."""
    if access.actor is None:
        return Unauthenticated(LOGIN_REQUIRED)
    if not access.is_professional:
        return ProfessionalOnly(PROFESSIONAL_ONLY)
    if not access.terms_accepted:
        return TermsNotAccepted(TERMS_REQUIRED)
    return None


def may_on_operator(access: Access, operator_id: int, right: Right) -> bool:
    """A professional with at least `right` on the operator (what `require_right` checks)."""
    entry = access.operators.get(operator_id)
    return access.is_professional and entry is not None and entry.right is not None and entry.right >= right


def require_right(access: Access, operator_id: int, right: Right) -> OperatorAccess:
    """The actor's access to `operator_id` if it includes `right`; NotFound when the operator is not theirs."""
    require_professional(access)
    entry = access.operators.get(operator_id)
    if entry is None:
        raise NotFound(NOT_FOUND_OPERATOR)
    if entry.right is None or entry.right < right:
        raise Forbidden(f"Vous n'avez pas le droit de {right.label} pour cet opérateur.")
    return entry


def acting_operator(access: Access, right: Right) -> OperatorAccess:
    """The operator the actor acts for in this request, with at least `right`."""
    require_professional(access)
    if access.acting_operator_id is None and not access.actionable():
        raise Forbidden(
            "Vous n'avez aucun droit sur SOPRANO : demandez une habilitation à l'administrateur de votre opérateur."
        )
    if access.acting_operator_id is None:
        raise DomainError(
            "Choisissez d'abord l'opérateur pour lequel vous agissez.", code="ACTING_OPERATOR_REQUIRED"
        )
    return require_right(access, access.acting_operator_id, right)
