"""The access policy and the services that change rights, tested without HTTP: `load_access` (rights on each operator,
token capping, acting operator, terms of use), the habilitation service (audit, replacement, last administrator),
the first login of a professional, and the representation service.

Each test builds its own operators and people (fresh SIRETs) on the suite's real database, so it never depends on,
nor disturbs, the demo data.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.clock import paris_today
from backend.config import Settings
from backend.db import utcnow
from backend.dossiers.models import Attachment, Dossier, DossierStatus, GoodsLine
from backend.errors import DomainError, FieldErrors, Forbidden, NotFound, Unauthenticated
from backend.identity import habilitations, representations, terms
from backend.identity.actor import Actor
from backend.identity.identifiers import luhn_ok
from backend.identity.models import (
    SOPRANO,
    AccessAuditEntry,
    AccountKind,
    ApiToken,
    Habilitation,
    MandateScope,
    Operator,
    Representation,
    Right,
    TermsAcceptance,
    TermsVersion,
    User,
)
from backend.identity.policy import (
    Access,
    OperatorAccess,
    ProfessionalOnly,
    TermsNotAccepted,
    TokenNotAllowed,
    Via,
    acting_operator,
    administered_operators,
    grantable_token_rights,
    has_browser_session,
    is_oneself,
    load_access,
    may_administer,
    may_end_mandate,
    may_give_mandate,
    may_on_operator,
    may_see_habilitation,
    may_see_token,
    own_operators,
    require_admin,
    require_browser_session,
    require_mandate_giver,
    require_right,
    require_terms,
    soprano_refusal,
    visible_habilitations,
    visible_operators,
    visible_tokens,
    visible_users,
)
from backend.identity.policy.dossiers import (
    followed_dossier_groups,
    may_act_as_customs,
    may_on_dossier,
    may_read_dossier,
    visible_attachments,
    visible_dossiers,
    visible_goods_lines,
)
from backend.identity.tokens import (
    MAX_TOKEN_DAYS,
    TOKEN_NAME_MAX_LENGTH,
    TokenError,
    create_api_token,
    create_token,
)
from backend.identity.users import upsert_user_from_claims

TODAY = paris_today()  # mandates count French calendar days (backend.clock)
YESTERDAY = TODAY - dt.timedelta(days=1)
TOMORROW = TODAY + dt.timedelta(days=1)


def fresh_siret() -> str:
    """A random SIRET whose SIREN and SIRET keys are both valid (never La Poste's SIREN)."""

    def keyed(body: str) -> str:
        return next(f"{body}{key}" for key in range(10) if luhn_ok(f"{body}{key}"))

    while True:
        siren = keyed(str(random.randint(10**7, 10**8 - 1)))
        if siren != "356000000":
            return keyed(f"{siren}{random.randint(0, 9999):04d}")


@dataclass
class Cast:
    """Makes the people and companies of one test, as their logins and their administrators would."""

    session: AsyncSession
    settings: Settings

    async def person(self, prefix: str = "user", **claims) -> User:
        sub = f"{prefix}-{uuid.uuid4().hex[:10]}@policy.example"
        return await upsert_user_from_claims(
            self.session,
            {"sub": sub, "email": sub, "name": f"{prefix.capitalize()} {sub[-22:-15]}", **claims},
            issuer=self.settings.oidc_issuer,
            settings=self.settings,
        )

    async def company(self, prefix: str = "admin", **claims) -> tuple[User, int]:
        """A new operator and its first user (its administrator)."""
        admin = await self.person(prefix, siret=fresh_siret(), **claims)
        assert admin.operator_id is not None and admin.is_admin
        return admin, admin.operator_id

    async def member(self, operator_id: int, prefix: str = "member") -> User:
        operator = await self.session.get(Operator, operator_id)
        user = await self.person(prefix, siret=operator.siret)
        assert user.operator_id == operator_id and not user.is_admin
        return user

    async def officer(self) -> User:
        return await self.person("officer", customs_office="FR000690")

    async def habilitate(self, operator_id: int, user: User, right: Right, *, by: User, teleservice=SOPRANO):
        habilitation = Habilitation(
            operator_id=operator_id, user_id=user.id, right=right, granted_by_id=by.id, teleservice=teleservice
        )
        self.session.add(habilitation)
        await self.session.commit()
        return habilitation

    async def mandate(
        self,
        representative_id: int,
        represented_id: int,
        *,
        by: User,
        scope: MandateScope = MandateScope.FULL,
        valid_from: dt.date = dt.date(2026, 1, 1),
        valid_until: dt.date | None = None,
    ) -> Representation:
        mandate = Representation(
            representative_id=representative_id,
            represented_id=represented_id,
            scope=scope,
            valid_from=valid_from,
            valid_until=valid_until,
            created_by_id=by.id,
        )
        self.session.add(mandate)
        await self.session.commit()
        return mandate

    async def access(
        self,
        user: User,
        *,
        token: ApiToken | None = None,
        requested: int | None = None,
        chosen: int | None = None,
        now: dt.datetime | None = None,
    ) -> Access:
        if token is not None:
            actor = Actor(user=user, via="token", token=token, acting_operator_id=token.operator_id)
        else:
            actor = Actor(user=user, via="session", session_id="test", acting_operator_id=chosen)
        return await load_access(self.session, actor, requested_operator_id=requested, now=now)

    async def token(self, user: User, operator_id: int | None, right: Right | None) -> ApiToken:
        token, _raw = await create_token(self.session, user, name="test", operator_id=operator_id, right=right)
        return token


@pytest.fixture
async def cast(live_server, database) -> AsyncIterator[Cast]:
    """`live_server` migrates the database (and seeds the terms of use) before the first test."""
    async with database.session() as session:
        yield Cast(session, live_server.settings)


def rights(access: Access) -> dict[int, tuple[Right | None, Via, bool, MandateScope | None]]:
    return {k: (a.right, a.via, a.is_admin, a.scope) for k, a in access.operators.items()}


# --- rights ---------------------------------------------------------------------------------------------------------


async def test_members_of_an_operator_have_the_right_their_administrator_gave(cast):
    admin, op = await cast.company()
    consult = await cast.member(op, "consult")
    submit = await cast.member(op, "submit")
    nobody = await cast.member(op, "nobody")
    await cast.habilitate(op, consult, Right.CONSULT, by=admin)
    await cast.habilitate(op, submit, Right.SUBMIT, by=admin)

    assert rights(await cast.access(admin)) == {op: (Right.SUBMIT, Via.OWN, True, None)}
    assert rights(await cast.access(consult)) == {op: (Right.CONSULT, Via.OWN, False, None)}
    assert rights(await cast.access(submit)) == {op: (Right.SUBMIT, Via.OWN, False, None)}
    # A member without habilitation: their operator is known (and visible) but gives no right to act.
    member = await cast.access(nobody)
    assert rights(member) == {op: (None, Via.OWN, False, None)}
    assert member.actionable() == [] and member.acting_operator_id is None
    with pytest.raises(Forbidden):
        require_right(member, op, Right.CONSULT)


async def test_a_revoked_habilitation_or_one_on_another_teleservice_gives_nothing(cast):
    admin, op = await cast.company()
    user = await cast.member(op)
    habilitation = await cast.habilitate(op, user, Right.SUBMIT, by=admin)
    await cast.habilitate(op, user, Right.SUBMIT, by=admin, teleservice="AUTRE")
    assert rights(await cast.access(user))[op][0] is Right.SUBMIT
    habilitation.revoked_at, habilitation.revoked_by_id = utcnow(), admin.id
    cast.session.add(habilitation)
    await cast.session.commit()
    assert rights(await cast.access(user)) == {op: (None, Via.OWN, False, None)}


async def test_an_external_partner_gets_the_right_of_their_habilitation(cast):
    admin, op = await cast.company()
    partner, partner_op = await cast.company("partner")
    await cast.habilitate(op, partner, Right.PREPARE, by=admin)
    assert rights(await cast.access(partner)) == {
        partner_op: (Right.SUBMIT, Via.OWN, True, None),
        op: (Right.PREPARE, Via.PARTNER, False, None),
    }
    # The partner acts for the operator, but does not administer it.
    with pytest.raises(Forbidden):
        require_admin(await cast.access(partner), op)


async def test_a_representation_gives_the_representatives_users_their_own_right(cast):
    represented_admin, represented = await cast.company("represented")
    rep_admin, rep = await cast.company("representative")
    rep_consult = await cast.member(rep, "consult")
    rep_nobody = await cast.member(rep, "nobody")
    await cast.habilitate(rep, rep_consult, Right.CONSULT, by=rep_admin)
    await cast.mandate(rep, represented, by=represented_admin)

    assert rights(await cast.access(rep_admin)) == {
        rep: (Right.SUBMIT, Via.OWN, True, None),
        represented: (Right.SUBMIT, Via.REPRESENTATION, False, MandateScope.FULL),
    }
    assert rights(await cast.access(rep_consult))[represented] == (
        Right.CONSULT,
        Via.REPRESENTATION,
        False,
        MandateScope.FULL,
    )
    # Without a right on their own operator, the representative's member gets nothing on the represented one.
    assert represented not in (await cast.access(rep_nobody)).operators
    # Representing an operator does not make one its administrator, nor a reader of its users.
    access = await cast.access(rep_admin)
    with pytest.raises(Forbidden):
        require_admin(access, represented)
    visible = (await cast.session.exec(select(User.id).where(visible_users(access)))).all()
    assert represented_admin.id not in visible


async def test_a_partial_mandate_is_reported_as_partial(cast):
    represented_admin, represented = await cast.company("represented")
    rep_admin, rep = await cast.company("representative")
    await cast.mandate(rep, represented, by=represented_admin, scope=MandateScope.PARTIAL)
    entry = (await cast.access(rep_admin)).operators[represented]
    assert (entry.right, entry.via, entry.scope) == (Right.SUBMIT, Via.REPRESENTATION, MandateScope.PARTIAL)


@pytest.mark.parametrize(
    ("valid_from", "valid_until", "ended", "active"),
    [
        (dt.date(2026, 1, 1), None, False, True),
        (dt.date(2026, 1, 1), TODAY, False, True),  # the last day is included
        (dt.date(2026, 1, 1), YESTERDAY, False, False),  # expired
        (TOMORROW, None, False, False),  # not yet in force
        (dt.date(2026, 1, 1), None, True, False),  # ended
    ],
    ids=["open-ended", "last-day", "expired", "not-yet", "ended"],
)
async def test_only_a_mandate_in_force_gives_access(cast, valid_from, valid_until, ended, active):
    represented_admin, represented = await cast.company("represented")
    rep_admin, rep = await cast.company("representative")
    mandate = await cast.mandate(
        rep, represented, by=represented_admin, valid_from=valid_from, valid_until=valid_until
    )
    if ended:
        mandate.ended_at, mandate.ended_by_id = utcnow(), represented_admin.id
        cast.session.add(mandate)
        await cast.session.commit()
    assert (represented in (await cast.access(rep_admin)).operators) is active


async def test_a_mandate_not_yet_in_force_applies_from_its_first_day(cast):
    represented_admin, represented = await cast.company("represented")
    rep_admin, rep = await cast.company("representative")
    start = TODAY + dt.timedelta(days=10)
    await cast.mandate(rep, represented, by=represented_admin, valid_from=start, valid_until=start)
    at = dt.datetime.combine(start, dt.time(12), tzinfo=dt.UTC)
    assert represented in (await cast.access(rep_admin, now=at)).operators
    assert represented not in (await cast.access(rep_admin, now=at + dt.timedelta(days=1))).operators


async def test_the_best_right_wins_when_an_operator_is_reached_two_ways(cast):
    represented_admin, represented = await cast.company("represented")
    rep_admin, rep = await cast.company("representative")
    await cast.habilitate(represented, rep_admin, Right.CONSULT, by=represented_admin)
    await cast.mandate(rep, represented, by=represented_admin)
    entry = (await cast.access(rep_admin)).operators[represented]
    assert (entry.right, entry.via) == (Right.SUBMIT, Via.REPRESENTATION)


async def test_kinds_of_accounts_without_operators(cast):
    officer = await cast.access(await cast.officer())
    private = await cast.access(await cast.person("private"))
    anonymous = await load_access(cast.session, None)
    for access in (officer, private, anonymous):
        assert access.operators == {} and access.acting_operator_id is None
    for access in (officer, private):
        with pytest.raises(ProfessionalOnly) as refused:
            require_right(access, 1, Right.CONSULT)
        assert refused.value.message == "Cette fonction est réservée aux comptes professionnels."
    # Anonymous callers are told to log in first.
    with pytest.raises(Unauthenticated):
        require_right(anonymous, 1, Right.CONSULT)
    count = select(sa.func.count()).select_from(Operator)
    total = (await cast.session.exec(count)).one()
    assert (await cast.session.exec(count.where(visible_operators(officer)))).one() == total
    assert (await cast.session.exec(count.where(visible_operators(private)))).one() == 0
    assert (await cast.session.exec(count.where(visible_operators(anonymous)))).one() == 0


async def test_lists_are_filtered_in_sql_by_what_the_actor_may_see(cast):
    admin, op = await cast.company()
    collaborator = await cast.member(op)
    partner, partner_op = await cast.company("partner")
    stranger, _stranger_op = await cast.company("stranger")
    await cast.habilitate(op, collaborator, Right.CONSULT, by=admin)
    await cast.habilitate(op, partner, Right.CONSULT, by=admin)

    async def ids(model, condition) -> set[int]:
        return set((await cast.session.exec(select(model.id).where(condition))).all())

    admin_access = await cast.access(admin)
    assert await ids(Operator, visible_operators(admin_access)) == {op}
    assert await ids(User, visible_users(admin_access)) >= {admin.id, collaborator.id, partner.id}
    assert stranger.id not in await ids(User, visible_users(admin_access))
    collaborator_access = await cast.access(collaborator)
    assert await ids(User, visible_users(collaborator_access)) == {collaborator.id}
    assert await ids(Operator, visible_operators(await cast.access(partner))) == {op, partner_op}


# --- API tokens -----------------------------------------------------------------------------------------------------


async def test_a_token_bound_to_an_operator_sees_only_it_and_at_most_its_right(cast):
    represented_admin, represented = await cast.company("represented")
    rep_admin, rep = await cast.company("representative")
    await cast.mandate(rep, represented, by=represented_admin)
    token = await cast.token(rep_admin, represented, Right.CONSULT)
    access = await cast.access(rep_admin, token=token)
    assert rights(access) == {represented: (Right.CONSULT, Via.REPRESENTATION, False, MandateScope.FULL)}
    assert access.acting_operator_id == represented
    with pytest.raises(Forbidden):
        require_right(access, represented, Right.PREPARE)
    with pytest.raises(NotFound):
        require_right(access, rep, Right.CONSULT)
    # Its creator's administration does not travel with the token.
    own = await cast.access(rep_admin, token=await cast.token(rep_admin, rep, Right.SUBMIT))
    assert rights(own) == {rep: (Right.SUBMIT, Via.OWN, False, None)}
    with pytest.raises(TokenNotAllowed):
        require_admin(own, rep)


async def test_a_token_never_exceeds_its_creators_right_of_the_moment(cast):
    admin, op = await cast.company()
    user = await cast.member(op)
    await cast.habilitate(op, user, Right.SUBMIT, by=admin)
    token = await cast.token(user, op, Right.SUBMIT)
    assert (await cast.access(user, token=token)).right_on(op) is Right.SUBMIT
    await habilitations.grant(cast.session, await cast.access(admin), op, user, Right.CONSULT)
    assert (await cast.access(user, token=token)).right_on(op) is Right.CONSULT


async def test_a_token_name_too_long_or_a_duration_out_of_bounds_is_refused_not_cut(cast):
    admin, op = await cast.company()
    count = select(sa.func.count()).select_from(ApiToken).where(ApiToken.user_id == admin.id)
    longest = "n" * TOKEN_NAME_MAX_LENGTH
    token, _raw = await create_token(cast.session, admin, name=longest, operator_id=op, right=Right.CONSULT)
    assert token.name == longest  # the limit itself is accepted, whole
    with pytest.raises(TokenError, match=f"ne doit pas dépasser {TOKEN_NAME_MAX_LENGTH} caractères") as refused:
        await create_token(cast.session, admin, name=longest + "x", operator_id=op, right=Right.CONSULT)
    assert refused.value.field == "name"
    for days in (0, MAX_TOKEN_DAYS + 1):
        with pytest.raises(TokenError, match="durée de validité") as refused:
            await create_token(cast.session, admin, name="ok", operator_id=op, right=Right.CONSULT, days=days)
        assert refused.value.field == "expiresInDays"
    assert (await cast.session.exec(count)).one() == 1  # nothing stored for what was refused


async def test_a_token_asked_for_with_everything_wrong_gets_every_problem_at_once(cast):
    admin, op = await cast.company()
    present = await cast.access(admin)
    await terms.accept(cast.session, present, (await terms.current_terms(cast.session, present)).version)
    with pytest.raises(TokenError) as refused:
        await create_api_token(
            cast.session, await cast.access(admin), name=" ", operator_id=None, right=None, days=None
        )
    assert (refused.value.code, refused.value.field) == ("INVALID", "name")
    assert [field for field, _message in refused.value.problems] == [
        "name",
        "operatorId",
        "right",
        "expiresInDays",
    ]
    assert refused.value.extensions["fields"][3] == {
        "field": "expiresInDays",
        "message": "Indiquez la durée de validité en jours (un nombre entier).",
    }
    with pytest.raises(TokenError) as refused:
        await create_api_token(
            cast.session, await cast.access(admin), name="ok", operator_id=op, right=Right.CONSULT, days=0
        )
    assert [field for field, _message in refused.value.problems] == ["expiresInDays"]
    token, _raw = await create_api_token(
        cast.session, await cast.access(admin), name="ok", operator_id=op, right=Right.CONSULT, days=1
    )
    assert token.name == "ok"


async def test_revoking_the_users_habilitation_disables_their_tokens(cast):
    admin, op = await cast.company()
    user = await cast.member(op)
    habilitation = await cast.habilitate(op, user, Right.CONSULT, by=admin)
    bound = await cast.token(user, op, Right.CONSULT)
    unbound = await cast.token(user, None, None)
    assert (await cast.access(user, token=bound)).right_on(op) is Right.CONSULT
    assert (await cast.access(user, token=unbound)).right_on(op) is Right.CONSULT

    await habilitations.revoke(cast.session, await cast.access(admin), habilitation.id)
    for token in (bound, unbound):
        access = await cast.access(user, token=token)
        assert access.actionable() == [] and access.acting_operator_id is None
        with pytest.raises((NotFound, Forbidden)):
            require_right(access, op, Right.CONSULT)
    # The bound token answers as if the operator did not exist.
    assert (await cast.access(user, token=bound)).operators == {}


async def test_a_token_of_a_representative_stops_with_the_mandate(cast):
    represented_admin, represented = await cast.company("represented")
    rep_admin, rep = await cast.company("representative")
    mandate = await cast.mandate(rep, represented, by=represented_admin)
    token = await cast.token(rep_admin, represented, Right.SUBMIT)
    assert (await cast.access(rep_admin, token=token)).right_on(represented) is Right.SUBMIT
    await representations.end(cast.session, await cast.access(represented_admin), mandate.id)
    assert (await cast.access(rep_admin, token=token)).operators == {}


# --- acting operator ------------------------------------------------------------------------------------------------


async def test_the_single_actionable_operator_is_the_default(cast):
    admin, op = await cast.company()
    assert (await cast.access(admin)).acting_operator_id == op
    # A member without right on their own operator, partner of another: that other one is the only actionable.
    other_admin, other = await cast.company("other")
    member = await cast.member(op)
    await cast.habilitate(other, member, Right.CONSULT, by=other_admin)
    assert (await cast.access(member)).acting_operator_id == other
    with_none = await cast.member(op, "nothing")
    assert (await cast.access(with_none)).acting_operator_id is None


async def test_a_requested_operator_is_chosen_only_within_the_access(cast):
    represented_admin, represented = await cast.company("represented")
    rep_admin, rep = await cast.company("representative")
    _stranger_admin, stranger = await cast.company("stranger")
    await cast.mandate(rep, represented, by=represented_admin)

    assert (await cast.access(rep_admin)).acting_operator_id is None  # two actionable: the user must choose
    assert (await cast.access(rep_admin, requested=represented)).acting_operator_id == represented
    assert (await cast.access(rep_admin, chosen=represented)).acting_operator_id == represented
    assert (await cast.access(rep_admin, chosen=rep, requested=represented)).acting_operator_id == represented
    # Outside the access: ignored (never an error that would reveal the operator).
    assert (await cast.access(rep_admin, requested=stranger)).acting_operator_id is None
    assert (await cast.access(rep_admin, chosen=stranger)).acting_operator_id is None
    assert (await cast.access(represented_admin, requested=stranger)).acting_operator_id == represented
    with pytest.raises(DomainError) as refused:
        acting_operator(await cast.access(rep_admin), Right.CONSULT)
    assert refused.value.code == "ACTING_OPERATOR_REQUIRED"


async def test_an_operator_without_right_cannot_be_acted_for(cast):
    _admin, op = await cast.company()
    other_admin, other = await cast.company("other")
    member = await cast.member(op)
    await cast.habilitate(other, member, Right.PREPARE, by=other_admin)
    # The member's own operator is known, without right: asking for it falls back to the only actionable one.
    assert (await cast.access(member, requested=op)).acting_operator_id == other


# --- terms of use ---------------------------------------------------------------------------------------------------


async def test_a_new_version_of_the_terms_asks_again_until_accepted(cast):
    """A version published in the future, seen through `now=`: nothing else in the suite sees it."""
    admin, _op = await cast.company()
    officer = await cast.officer()
    present = await cast.access(admin)
    current = await terms.current_terms(cast.session, present)
    await terms.accept(cast.session, present, current.version)
    assert (await cast.access(admin)).terms_accepted is True

    future = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)
    version = TermsVersion(
        teleservice=SOPRANO,
        version=f"t{uuid.uuid4().hex[:8]}",
        title="CGU (version de test)",
        body="Nouvelle version.",
        published_at=future,
    )
    cast.session.add(version)
    await cast.session.commit()
    try:
        later = future + dt.timedelta(days=1)
        access = await cast.access(admin, now=later)
        assert (access.terms_accepted, access.current_terms_id) == (False, version.id)
        with pytest.raises(TermsNotAccepted) as refused:
            require_terms(access)
        assert refused.value.code == "TERMS_NOT_ACCEPTED"
        require_terms(await cast.access(officer, now=later))  # the terms bind professionals only
        assert (await cast.access(admin)).terms_accepted is True  # today, the version in force is still accepted

        with pytest.raises(DomainError) as mismatch:
            await terms.accept(cast.session, access, current.version)
        assert (mismatch.value.code, mismatch.value.field) == ("TERMS_VERSION_MISMATCH", "version")
        before = utcnow()
        acceptance = await terms.accept(cast.session, access, version.version)
        assert acceptance.terms_version_id == version.id and acceptance.user_id == admin.id
        assert before <= acceptance.accepted_at <= utcnow()
        assert (await cast.access(admin, now=later)).terms_accepted is True
        again = await terms.accept(cast.session, await cast.access(admin, now=later), version.version)
        assert again.id == acceptance.id
    finally:
        await cast.session.exec(sa.delete(TermsAcceptance).where(TermsAcceptance.terms_version_id == version.id))
        await cast.session.exec(sa.delete(TermsVersion).where(TermsVersion.id == version.id))
        await cast.session.commit()


async def test_only_professionals_accept_the_terms(cast):
    officer = await cast.access(await cast.officer())
    with pytest.raises(ProfessionalOnly):
        await terms.accept(cast.session, officer, "1.0")


# --- habilitation service -------------------------------------------------------------------------------------------


async def audit(cast: Cast, operator_id: int) -> list[AccessAuditEntry]:
    return list(
        (
            await cast.session.exec(
                select(AccessAuditEntry)
                .where(AccessAuditEntry.operator_id == operator_id)
                .order_by(AccessAuditEntry.id)
            )
        ).all()
    )


async def test_a_grant_is_recorded_who_when_what(cast):
    admin, op = await cast.company()
    user = await cast.member(op)
    before = utcnow()
    habilitation = await habilitations.grant(cast.session, await cast.access(admin), op, user, Right.PREPARE)
    assert (habilitation.operator_id, habilitation.user_id, habilitation.right) == (op, user.id, Right.PREPARE)
    assert habilitation.granted_by_id == admin.id and habilitation.teleservice == SOPRANO
    entry = (await audit(cast, op))[-1]
    assert (entry.action, entry.actor_id, entry.subject_user_id) == ("habilitation_granted", admin.id, user.id)
    assert entry.detail == "SOPRANO : préparer"
    assert before <= entry.at <= utcnow()
    latest = (await habilitations.audit_log(cast.session, await cast.access(admin), op))[0]
    assert (latest.id, latest.action) == (entry.id, "habilitation_granted")


async def test_granting_another_right_replaces_the_old_one_and_keeps_the_history(cast):
    admin, op = await cast.company()
    user = await cast.member(op)
    first = await habilitations.grant(cast.session, await cast.access(admin), op, user, Right.CONSULT)
    same = await habilitations.grant(cast.session, await cast.access(admin), op, user, Right.CONSULT)
    assert same.id == first.id
    second = await habilitations.grant(cast.session, await cast.access(admin), op, user, Right.SUBMIT)
    assert second.id != first.id
    await cast.session.refresh(first)
    assert first.revoked_at is not None and first.revoked_by_id == admin.id
    listed = await habilitations.list_habilitations(
        cast.session, await cast.access(admin), op, include_revoked=True
    )
    assert sorted((h.id, h.revoked_at is None) for h, _u in listed) == [(first.id, False), (second.id, True)]
    active = await habilitations.list_habilitations(cast.session, await cast.access(admin), op)
    assert [(h.id, Right(h.right)) for h, _u in active] == [(second.id, Right.SUBMIT)]
    assert [e.detail for e in await audit(cast, op) if e.action == "habilitation_granted"] == [
        "SOPRANO : consulter",
        "SOPRANO : déposer",
    ]
    assert (await cast.access(user)).right_on(op) is Right.SUBMIT


async def test_a_revocation_is_recorded_and_cannot_be_done_twice(cast):
    admin, op = await cast.company()
    user = await cast.member(op)
    habilitation = await habilitations.grant(cast.session, await cast.access(admin), op, user, Right.CONSULT)
    await habilitations.revoke(cast.session, await cast.access(admin), habilitation.id)
    entry = (await audit(cast, op))[-1]
    assert (entry.action, entry.actor_id, entry.subject_user_id, entry.detail) == (
        "habilitation_revoked",
        admin.id,
        user.id,
        "SOPRANO : consulter",
    )
    with pytest.raises(NotFound):
        await habilitations.revoke(cast.session, await cast.access(admin), habilitation.id)


async def test_an_external_partner_is_granted_and_recorded_as_such(cast):
    admin, op = await cast.company()
    partner, _partner_op = await cast.company("partner")
    found = await habilitations.find_grantee(cast.session, email=partner.email.upper(), siret=None)
    assert found.id == partner.id
    await habilitations.grant(cast.session, await cast.access(admin), op, found, Right.CONSULT)
    assert (await audit(cast, op))[-1].detail == "SOPRANO : consulter (partenaire externe)"
    assert (await cast.access(partner)).operators[op].via is Via.PARTNER


async def test_only_professionals_who_logged_in_once_can_be_habilitated(cast):
    admin, op = await cast.company()
    private = await cast.person("private")
    with pytest.raises(DomainError) as refused:
        await habilitations.grant(cast.session, await cast.access(admin), op, private, Right.CONSULT)
    assert (refused.value.code, refused.value.field) == ("INVALID", "user")
    with pytest.raises(NotFound) as unknown:
        await habilitations.find_grantee(cast.session, email="nobody-at-all@policy.example", siret=None)
    assert unknown.value.field == "email"
    partner, _partner_op = await cast.company("partner")
    with pytest.raises(NotFound):  # the e-mail is right, the SIRET is not theirs
        await habilitations.find_grantee(cast.session, email=partner.email, siret=fresh_siret())
    with pytest.raises(FieldErrors) as invalid:
        await habilitations.find_grantee(cast.session, email=partner.email, siret="12345678901234")
    assert [field for field, _ in invalid.value.problems] == ["siret"]


def test_a_grant_request_is_refused_with_every_problem_at_once_in_the_forms_order():
    with pytest.raises(FieldErrors) as refused:
        habilitations.check_grant_request("pas-une-adresse", "123", None)
    assert refused.value.problems == [
        ("email", "L'adresse électronique n'est pas valide : format attendu nom@domaine.fr."),
        ("siret", "Le SIRET doit comporter 14 chiffres."),
        ("right", "Choisissez le droit à donner."),
    ]
    assert refused.value.extensions["fields"][2] == {"field": "right", "message": "Choisissez le droit à donner."}
    assert (refused.value.code, refused.value.field) == ("INVALID", "email")
    assert habilitations.check_grant_request(" Marie@Exemple.FR ", "", Right.CONSULT) == ("marie@exemple.fr", None)


async def test_the_last_administrator_cannot_be_removed(cast):
    admin, op = await cast.company()
    other = await cast.member(op)
    with pytest.raises(habilitations.LastAdministrator) as refused:
        await habilitations.set_administrator(cast.session, await cast.access(admin), op, admin.id, False)
    assert refused.value.code == "LAST_ADMINISTRATOR"

    named = await habilitations.set_administrator(cast.session, await cast.access(admin), op, other.id, True)
    assert named.is_admin
    assert (await cast.access(other)).operators[op].is_admin
    removed = await habilitations.set_administrator(cast.session, await cast.access(other), op, admin.id, False)
    assert not removed.is_admin
    assert [(e.action, e.actor_id, e.subject_user_id) for e in await audit(cast, op)][-2:] == [
        ("admin_named", admin.id, other.id),
        ("admin_removed", other.id, admin.id),
    ]
    # The former administrator is now a member without right: they manage nothing.
    with pytest.raises(Forbidden):
        await habilitations.grant(cast.session, await cast.access(admin), op, other, Right.CONSULT)
    with pytest.raises(habilitations.LastAdministrator):
        await habilitations.set_administrator(cast.session, await cast.access(other), op, other.id, False)


async def test_a_non_administrator_cannot_grant(cast):
    admin, op = await cast.company()
    collaborator = await cast.member(op)
    await cast.habilitate(op, collaborator, Right.SUBMIT, by=admin)
    target = await cast.member(op, "target")
    with pytest.raises(Forbidden):
        await habilitations.grant(cast.session, await cast.access(collaborator), op, target, Right.CONSULT)
    with pytest.raises(Forbidden):
        await habilitations.set_administrator(cast.session, await cast.access(collaborator), op, target.id, True)
    # An administrator acting through an API token cannot widen rights either.
    token = await cast.token(admin, op, Right.SUBMIT)
    with pytest.raises(TokenNotAllowed):
        await habilitations.grant(cast.session, await cast.access(admin, token=token), op, target, Right.CONSULT)


async def test_a_user_of_another_operator_gets_not_found(cast):
    admin, op = await cast.company()
    target = await cast.member(op)
    stranger, stranger_op = await cast.company("stranger")
    with pytest.raises(NotFound):
        await habilitations.grant(cast.session, await cast.access(stranger), op, target, Right.CONSULT)
    with pytest.raises(NotFound):
        await habilitations.list_habilitations(cast.session, await cast.access(stranger), op)
    with pytest.raises(NotFound):
        await habilitations.audit_log(cast.session, await cast.access(stranger), op)
    # …and an administrator cannot name administrator a user of another operator.
    with pytest.raises(NotFound):
        await habilitations.set_administrator(cast.session, await cast.access(admin), op, stranger.id, True)
    assert (await cast.session.get(User, stranger.id)).operator_id == stranger_op


# --- first login of a professional ----------------------------------------------------------------------------------


async def test_the_first_user_of_an_unknown_siret_creates_the_operator_and_administers_it(cast):
    siret = fresh_siret()
    first = await cast.person("first", siret=siret)
    operator = await cast.session.get(Operator, first.operator_id)
    assert (operator.siret, operator.siren, operator.eori) == (siret, siret[:9], f"FR{siret[:9]}")
    assert first.kind is AccountKind.PROFESSIONAL and first.is_admin
    entry = (await audit(cast, operator.id))[-1]
    assert (entry.action, entry.actor_id, entry.subject_user_id) == ("admin_first_user", first.id, first.id)
    second = await cast.person("second", siret=siret)
    assert second.operator_id == operator.id and not second.is_admin
    assert rights(await cast.access(second)) == {operator.id: (None, Via.OWN, False, None)}
    # Logging in again changes nothing.
    again = await upsert_user_from_claims(
        cast.session,
        {"sub": first.subject, "email": first.email, "siret": siret},
        issuer=first.issuer,
        settings=cast.settings,
    )
    assert again.id == first.id and again.is_admin and again.operator_id == operator.id


async def test_the_operator_created_at_first_login_is_named_from_the_claims(cast):
    """Issue: "created if unknown, from the claims and a small demo registry in dev"."""
    user = await cast.person("first", siret=fresh_siret(), organization="Fonderie des Essais SARL")
    operator = await cast.session.get(Operator, user.operator_id)
    assert operator.legal_name == "Fonderie des Essais SARL"


# --- representation service -----------------------------------------------------------------------------------------


async def create_mandate(cast: Cast, access: Access, represented: int, representative_siret: str, **kwargs):
    return await representations.create(
        cast.session,
        access,
        represented_id=represented,
        representative_siret=representative_siret,
        scope=kwargs.get("scope", MandateScope.FULL),
        valid_from=kwargs.get("valid_from", TODAY),
        valid_until=kwargs.get("valid_until"),
    )


async def siret_of(cast: Cast, operator_id: int) -> str:
    return (await cast.session.get(Operator, operator_id)).siret


async def test_the_represented_operators_administrator_gives_a_mandate(cast):
    admin, op = await cast.company("represented")
    rep_admin, rep = await cast.company("representative")
    mandate = await create_mandate(
        cast, await cast.access(admin), op, await siret_of(cast, rep), scope=MandateScope.PARTIAL
    )
    assert (mandate.representative_id, mandate.represented_id, mandate.scope) == (rep, op, MandateScope.PARTIAL)
    assert mandate.created_by_id == admin.id
    entry = (await audit(cast, op))[-1]
    assert entry.action == "representation_created" and "partielle" in entry.detail
    assert (await cast.access(rep_admin)).operators[op].scope is MandateScope.PARTIAL
    with pytest.raises(DomainError) as conflict:
        await create_mandate(cast, await cast.access(admin), op, await siret_of(cast, rep))
    assert conflict.value.code == "CONFLICT"


async def test_customs_give_a_mandate(cast):
    _admin, op = await cast.company("represented")
    rep_admin, rep = await cast.company("representative")
    officer = await cast.officer()
    mandate = await create_mandate(cast, await cast.access(officer), op, await siret_of(cast, rep))
    assert mandate.created_by_id == officer.id
    assert op in (await cast.access(rep_admin)).operators


async def test_nobody_else_gives_a_mandate(cast):
    admin, op = await cast.company("represented")
    collaborator = await cast.member(op)
    await cast.habilitate(op, collaborator, Right.SUBMIT, by=admin)
    rep_admin, rep = await cast.company("representative")
    other_rep_admin, other_rep = await cast.company("other-representative")
    await cast.mandate(rep, op, by=admin)
    stranger, _ = await cast.company("stranger")
    private = await cast.person("private")
    other_siret = await siret_of(cast, other_rep)

    with pytest.raises(Forbidden):  # a collaborator, even with the right to submit
        await create_mandate(cast, await cast.access(collaborator), op, other_siret)
    with pytest.raises(Forbidden):  # the representative cannot extend its own mandates
        await create_mandate(cast, await cast.access(rep_admin), op, other_siret)
    with pytest.raises(NotFound):
        await create_mandate(cast, await cast.access(stranger), op, other_siret)
    with pytest.raises(TokenNotAllowed):
        token = await cast.token(admin, op, Right.SUBMIT)
        await create_mandate(cast, await cast.access(admin, token=token), op, other_siret)
    # Issue: "a private person asking for an operator feature gets « réservé aux comptes professionnels »".
    with pytest.raises(ProfessionalOnly):
        await create_mandate(cast, await cast.access(private), op, other_siret)
    assert other_rep_admin.operator_id == other_rep


async def test_a_representative_cannot_represent_itself(cast):
    admin, op = await cast.company()
    with pytest.raises(DomainError) as refused:
        await create_mandate(cast, await cast.access(admin), op, await siret_of(cast, op))
    assert (refused.value.code, refused.value.field) == ("INVALID", "representativeSiret")
    assert refused.value.message == "Un opérateur ne peut pas se représenter lui-même."


async def test_a_mandate_cannot_end_before_it_starts(cast):
    admin, op = await cast.company("represented")
    _rep_admin, rep = await cast.company("representative")
    with pytest.raises(DomainError) as refused:
        await create_mandate(
            cast, await cast.access(admin), op, await siret_of(cast, rep), valid_from=TODAY, valid_until=YESTERDAY
        )
    assert (refused.value.code, refused.value.field) == ("INVALID", "validUntil")
    assert "date de fin" in refused.value.message and "date de début" in refused.value.message


async def test_the_representative_is_named_by_a_valid_known_siret(cast):
    admin, op = await cast.company()
    with pytest.raises(FieldErrors) as invalid:
        await create_mandate(cast, await cast.access(admin), op, "12345678901234")
    assert (invalid.value.code, invalid.value.field) == ("INVALID", "representativeSiret")
    assert "clé de contrôle" in invalid.value.message
    with pytest.raises(FieldErrors) as unknown:
        await create_mandate(cast, await cast.access(admin), op, fresh_siret())
    assert unknown.value.problems == [("representativeSiret", "Aucun opérateur connu avec ce SIRET.")]


async def test_a_mandate_form_gets_every_problem_at_once_in_the_forms_order(cast):
    admin, op = await cast.company("represented")
    _rep_admin, rep = await cast.company("representative")
    count = select(sa.func.count()).select_from(Representation).where(Representation.represented_id == op)
    with pytest.raises(FieldErrors) as refused:
        await create_mandate(cast, await cast.access(admin), op, "123", valid_from=None)
    assert refused.value.problems == [
        ("representativeSiret", "Le SIRET doit comporter 14 chiffres."),
        ("validFrom", "Indiquez la date de début du mandat."),
    ]
    with pytest.raises(FieldErrors) as refused:
        await create_mandate(cast, await cast.access(admin), op, fresh_siret(), valid_until=YESTERDAY)
    assert [field for field, _message in refused.value.problems] == ["representativeSiret", "validUntil"]
    assert (await cast.session.exec(count)).one() == 0  # nothing given for what was refused
    assert await create_mandate(cast, await cast.access(admin), op, await siret_of(cast, rep))


async def test_who_may_end_a_mandate(cast):
    admin, op = await cast.company("represented")
    collaborator = await cast.member(op)
    await cast.habilitate(op, collaborator, Right.SUBMIT, by=admin)
    rep_admin, rep = await cast.company("representative")
    stranger, _ = await cast.company("stranger")
    mandates = [await cast.mandate(rep, op, by=admin) for _ in range(3)]

    with pytest.raises(Forbidden):
        await representations.end(cast.session, await cast.access(collaborator), mandates[0].id)
    with pytest.raises(NotFound):
        await representations.end(cast.session, await cast.access(stranger), mandates[0].id)
    ended = await representations.end(cast.session, await cast.access(admin), mandates[0].id)
    assert ended.ended_at is not None and ended.ended_by_id == admin.id
    with pytest.raises(NotFound):  # already ended
        await representations.end(cast.session, await cast.access(admin), mandates[0].id)
    await representations.end(cast.session, await cast.access(rep_admin), mandates[1].id)
    await representations.end(cast.session, await cast.access(await cast.officer()), mandates[2].id)
    assert [e.action for e in await audit(cast, op)].count("representation_ended") == 3
    assert op not in (await cast.access(rep_admin)).operators


# --- predicates and sets, without a database: each both ways ---------------------------------------------------------


def professional(
    operators: dict[int, OperatorAccess], *, user_id: int = 1, own: int | None = 10, **actor
) -> Access:
    user = User(id=user_id, issuer="i", subject=f"s{user_id}", kind=AccountKind.PROFESSIONAL, operator_id=own)
    actor = {"via": "session", "session_id": "s", **actor}
    return Access(actor=Actor(user=user, **actor), operators=operators, terms_accepted=True)


def officer_access(office: str | None = "FR000690") -> Access:
    user = User(id=99, issuer="i", subject="officer", kind=AccountKind.CUSTOMS_OFFICER, customs_office=office)
    return Access(actor=Actor(user=user, via="session", session_id="s"), terms_accepted=True)


ADMIN_OWN = OperatorAccess(10, Right.SUBMIT, True, Via.OWN)
MEMBER_OWN = OperatorAccess(10, Right.PREPARE, False, Via.OWN)
NO_RIGHT_OWN = OperatorAccess(10, None, False, Via.OWN)
PARTNER = OperatorAccess(20, Right.CONSULT, False, Via.PARTNER)
PARTIAL = OperatorAccess(30, Right.SUBMIT, False, Via.REPRESENTATION, MandateScope.PARTIAL)


def dossier(operator_id: int, *, filed_by: int | None = None, office: str = "FR000690", submitted: bool = True):
    return Dossier(
        reference="X",
        operator_id=operator_id,
        filed_by_operator_id=filed_by,
        procedure="TEA",
        status=DossierStatus.SUBMITTED if submitted else DossierStatus.DRAFT,
        customs_office=office,
        created_by_id=1,
        updated_by_id=1,
        submitted_at=utcnow() if submitted else None,
    )


def test_live_dashboards_follow_the_office_of_an_officer_and_the_operators_a_professional_has_a_right_on():
    assert followed_dossier_groups(officer_access("FR000690")) == ("FR000690", [])
    assert followed_dossier_groups(officer_access(None)) == (None, [])  # no office: nothing to follow
    assert followed_dossier_groups(professional({10: MEMBER_OWN, 20: PARTNER})) == (None, [10, 20])
    assert followed_dossier_groups(professional({10: NO_RIGHT_OWN})) == (None, [])  # a member without a right
    assert followed_dossier_groups(Access(actor=None)) == (None, [])


def test_only_an_administrator_of_their_own_operator_administers_it():
    assert may_administer(professional({10: ADMIN_OWN}), 10)
    assert administered_operators(professional({10: ADMIN_OWN, 20: PARTNER})) == [10]
    assert not may_administer(professional({10: MEMBER_OWN}), 10)
    assert not may_administer(professional({10: ADMIN_OWN}), 20)  # not theirs
    partner_admin = OperatorAccess(20, Right.SUBMIT, True, Via.PARTNER)  # is_admin elsewhere never counts here
    assert not may_administer(professional({20: partner_admin}), 20)
    assert administered_operators(professional({10: MEMBER_OWN, 20: partner_admin})) == []
    assert not may_administer(Access(actor=None), 10)


def test_a_right_on_an_operator_is_at_least_the_one_asked():
    access = professional({10: MEMBER_OWN, 20: PARTNER})
    assert may_on_operator(access, 10, Right.PREPARE) and may_on_operator(access, 20, Right.CONSULT)
    assert not may_on_operator(access, 10, Right.SUBMIT)
    assert not may_on_operator(access, 20, Right.PREPARE)
    assert not may_on_operator(access, 30, Right.CONSULT)
    assert not may_on_operator(professional({10: NO_RIGHT_OWN}), 10, Right.CONSULT)


def test_own_operators_are_those_of_the_actors_own_company():
    access = professional({10: NO_RIGHT_OWN, 20: PARTNER, 30: PARTIAL})
    assert own_operators(access) == [10]
    assert own_operators(access, with_right=True) == []
    assert own_operators(professional({10: MEMBER_OWN}), with_right=True) == [10]
    assert own_operators(Access(actor=None)) == []


def test_choosing_an_acting_operator_needs_a_browser_session():
    assert has_browser_session(professional({}))
    require_browser_session(professional({}))
    by_token = professional({}, via="token", session_id=None)
    assert not has_browser_session(by_token)
    with pytest.raises(DomainError) as refused:
        require_browser_session(by_token)
    assert refused.value.code == "SESSION_REQUIRED"
    assert not has_browser_session(Access(actor=None))
    with pytest.raises(Unauthenticated):
        require_browser_session(Access(actor=None))


def test_what_stands_between_an_actor_and_soprano():
    assert soprano_refusal(professional({10: MEMBER_OWN})) is None
    assert isinstance(soprano_refusal(Access(actor=None)), Unauthenticated)
    assert isinstance(soprano_refusal(officer_access()), ProfessionalOnly)
    not_accepted = professional({10: MEMBER_OWN})
    not_accepted.terms_accepted = False
    refusal = soprano_refusal(not_accepted)
    assert isinstance(refusal, TermsNotAccepted) and "conditions générales" in refusal.message


def test_who_may_see_a_habilitation():
    mine = Habilitation(id=1, operator_id=20, user_id=1, right=Right.CONSULT, granted_by_id=5)
    of_my_operator = Habilitation(id=2, operator_id=10, user_id=7, right=Right.CONSULT, granted_by_id=1)
    assert may_see_habilitation(professional({10: ADMIN_OWN}), mine)
    assert may_see_habilitation(professional({10: ADMIN_OWN}), of_my_operator)
    assert not may_see_habilitation(professional({10: MEMBER_OWN}), of_my_operator)
    assert not may_see_habilitation(professional({10: ADMIN_OWN}, user_id=2), mine)
    assert not may_see_habilitation(Access(actor=None), mine)


def test_who_may_give_and_end_a_mandate():
    mandate = Representation(
        id=1, representative_id=40, represented_id=10, scope=MandateScope.FULL, created_by_id=1
    )
    assert may_give_mandate(professional({10: ADMIN_OWN}), 10) and may_give_mandate(officer_access(), 10)
    assert not may_give_mandate(professional({10: MEMBER_OWN}), 10)
    assert not may_give_mandate(professional({10: ADMIN_OWN}), 40)
    assert may_end_mandate(professional({10: ADMIN_OWN}), mandate)  # the represented side
    assert may_end_mandate(professional({40: OperatorAccess(40, Right.SUBMIT, True, Via.OWN)}, own=40), mandate)
    assert may_end_mandate(officer_access(), mandate)
    assert not may_end_mandate(professional({10: MEMBER_OWN}), mandate)
    assert not may_end_mandate(professional({20: PARTNER}), mandate)


def test_giving_a_mandate_refuses_unknown_operators_as_not_found_and_known_ones_as_forbidden():
    require_mandate_giver(professional({10: ADMIN_OWN}), 10)
    with pytest.raises(Forbidden):
        require_mandate_giver(professional({10: MEMBER_OWN}), 10)
    with pytest.raises(NotFound):
        require_mandate_giver(professional({10: ADMIN_OWN}), 40)
    with pytest.raises(TokenNotAllowed):
        require_mandate_giver(professional({10: ADMIN_OWN}, via="token", session_id=None), 10)


def test_what_is_told_only_to_oneself():
    me = professional({}).actor
    assert is_oneself(me, 1)
    assert not is_oneself(me, 2)
    assert not is_oneself(None, 1)
    assert not is_oneself(me, None)


def test_a_token_carries_at_most_its_creators_right_on_the_operator():
    access = professional({10: MEMBER_OWN, 20: PARTNER})
    assert grantable_token_rights(access, 10) == [Right.CONSULT, Right.PREPARE]
    assert grantable_token_rights(access, 20) == [Right.CONSULT]
    assert grantable_token_rights(access, 30) == []
    assert grantable_token_rights(professional({10: NO_RIGHT_OWN}), 10) == []
    assert grantable_token_rights(officer_access(), 10) == []


def test_a_user_sees_only_their_own_tokens():
    token = ApiToken(id=1, user_id=1, token_hash="h", hint="sop_", expires_at=utcnow())
    assert may_see_token(professional({}), token)
    assert may_see_token(
        officer_access(), ApiToken(id=2, user_id=99, token_hash="g", hint="sop_", expires_at=utcnow())
    )
    assert not may_see_token(professional({}, user_id=2), token)
    assert not may_see_token(Access(actor=None), token)


def test_who_may_act_on_a_dossier_as_its_applicant():
    access = professional({10: MEMBER_OWN, 20: PARTNER, 30: PARTIAL})
    assert may_on_dossier(access, dossier(10), Right.PREPARE)
    assert not may_on_dossier(access, dossier(10), Right.SUBMIT)  # prepare only
    assert may_on_dossier(access, dossier(20), Right.CONSULT)
    assert not may_on_dossier(access, dossier(20), Right.PREPARE)
    assert may_on_dossier(access, dossier(30, filed_by=10), Right.SUBMIT)  # partial mandate: filed by us
    assert not may_on_dossier(access, dossier(30, filed_by=30), Right.CONSULT)  # partial mandate: not ours
    assert not may_on_dossier(access, dossier(50), Right.CONSULT)
    assert not may_on_dossier(officer_access(), dossier(10), Right.CONSULT)


def test_who_may_act_on_a_dossier_as_customs():
    assert may_act_as_customs(officer_access(), dossier(10))
    assert not may_act_as_customs(
        officer_access(), dossier(10, submitted=False)
    )  # a draft stays with the applicant
    assert not may_act_as_customs(officer_access(), dossier(10, office="FR000750"))
    assert not may_act_as_customs(officer_access(office=None), dossier(10))
    assert not may_act_as_customs(professional({10: ADMIN_OWN}), dossier(10))


def test_who_may_read_a_dossiers_history():
    assert may_read_dossier(officer_access(), dossier(10))
    assert not may_read_dossier(officer_access(), dossier(10, office="FR000750"))
    assert may_read_dossier(professional({20: PARTNER}), dossier(20))
    assert not may_read_dossier(professional({20: PARTNER}), dossier(10))


# --- the same rules as SQL filters ------------------------------------------------------------------------------------


async def test_habilitations_visible_are_ones_own_and_those_of_the_operators_one_administers(cast):
    admin, op = await cast.company()
    member = await cast.member(op)
    other_admin, other = await cast.company("other")
    own_grant = await cast.habilitate(op, member, Right.CONSULT, by=admin)
    partner_grant = await cast.habilitate(other, member, Right.CONSULT, by=other_admin)

    async def visible(user: User) -> set[int]:
        condition = visible_habilitations(await cast.access(user))
        ids = [own_grant.id, partner_grant.id]
        return set(
            (await cast.session.exec(select(Habilitation.id).where(Habilitation.id.in_(ids), condition))).all()
        )

    assert await visible(admin) == {own_grant.id}
    assert await visible(member) == {own_grant.id, partner_grant.id}
    assert await visible(other_admin) == {partner_grant.id}
    assert await visible(await cast.officer()) == set()


async def test_tokens_visible_are_ones_own(cast):
    admin, op = await cast.company()
    member = await cast.member(op)
    mine = await cast.token(admin, op, Right.CONSULT)
    theirs = await cast.token(member, None, None)

    async def visible(user: User) -> set[int]:
        condition = visible_tokens(await cast.access(user))
        ids = [mine.id, theirs.id]
        return set((await cast.session.exec(select(ApiToken.id).where(ApiToken.id.in_(ids), condition))).all())

    assert await visible(admin) == {mine.id}
    assert await visible(member) == {theirs.id}
    assert visible_tokens(Access(actor=None)) is not None
    assert (await cast.session.exec(select(ApiToken.id).where(visible_tokens(Access(actor=None))))).all() == []


async def test_goods_lines_and_attachments_are_visible_with_their_dossier(cast):
    admin, op = await cast.company()
    partner_admin, _ = await cast.company("partner")
    outsider, _ = await cast.company("outsider")
    await cast.habilitate(op, partner_admin, Right.CONSULT, by=admin)
    row = Dossier(
        reference=f"T{uuid.uuid4().hex[:12]}",
        operator_id=op,
        procedure="TEA",
        status=DossierStatus.DRAFT,
        created_by_id=admin.id,
        updated_by_id=admin.id,
    )
    cast.session.add(row)
    await cast.session.flush()
    line = GoodsLine(dossier_id=row.id, kind="GOODS")
    attachment = Attachment(
        dossier_id=row.id,
        filename="a.pdf",
        content_type="application/pdf",
        size=1,
        sha256="0" * 64,
        storage_key=uuid.uuid4().hex,
        uploaded_by_id=admin.id,
    )
    cast.session.add_all([line, attachment])
    await cast.session.commit()

    async def sees(user: User) -> tuple[bool, bool, bool]:
        access = await cast.access(user)
        if access.is_professional and not access.terms_accepted:  # nothing of SOPRANO is seen before its terms
            await terms.accept(cast.session, access, (await terms.current_terms(cast.session, access)).version)
        found = []
        for model, visible, key in (
            (Dossier, visible_dossiers, row.id),
            (GoodsLine, visible_goods_lines, line.id),
            (Attachment, visible_attachments, attachment.id),
        ):
            query = select(model.id).where(model.id == key, visible(access))
            found.append((await cast.session.exec(query)).first() is not None)
        return tuple(found)

    assert await sees(admin) == (True, True, True)
    assert await sees(partner_admin) == (True, True, True)  # a consult habilitation is enough to see
    assert await sees(outsider) == (False, False, False)
    assert await sees(await cast.officer()) == (False, False, False)  # a draft stays with the applicant
