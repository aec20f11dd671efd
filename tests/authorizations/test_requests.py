"""Amendments and renewals (issue 11): a holder's request is a dossier prefilled from the current version; granted, it
becomes the next version of the same authorisation (only what changed differs, version 1 stays readable); refused,
nothing changes; a renewal is offered only in its window and extends the validity."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import pytest
import sqlalchemy as sa

from backend.authorizations import content, reading, requests
from backend.authorizations.issuing import EventKind
from backend.authorizations.rules import GrantTerms
from backend.dossiers import processing
from backend.dossiers.catalogue import Procedure
from backend.dossiers.models import Dossier, DossierPurpose, DossierStatus, GoodsLine
from backend.dossiers.workflow import Action
from backend.errors import Forbidden, NotFound
from backend.identity.models import Operator, Right
from backend.identity.policy import ProfessionalOnly
from tests.authorizations.test_issuing import NOW, TODAY, granted
from tests.processing_support import Cast

LATER = NOW + dt.timedelta(days=30)
RENEWAL_DAY = dt.datetime(2028, 5, 1, 9, 0, tzinfo=dt.UTC)  # 60 days before the end (30/06/2028)


@pytest.fixture
async def cast(live_server, database) -> AsyncIterator[Cast]:
    async with database.session() as session:
        yield Cast(session, live_server.settings)


async def accepted(cast: Cast, dossier: Dossier, at: dt.datetime) -> None:
    """The request brought to « accepté » as customs would (its form is the version's, already checked once)."""
    await cast.session.exec(
        sa.update(Dossier)
        .where(Dossier.id == dossier.id)
        .values(status=DossierStatus.ACCEPTED, submitted_at=at, accepted_at=at)
    )
    await cast.session.commit()


async def test_an_amendment_is_prefilled_and_once_granted_becomes_version_2_with_only_the_change(cast):
    authorization, admin, officer = await granted(cast)
    holder = await cast.access(admin)
    amendment = await requests.request_change(
        cast.session, holder, authorization.id, DossierPurpose.AMENDMENT, now=LATER
    )
    [version_1] = await reading.versions_of(cast.session, authorization.id)
    assert (amendment.purpose, amendment.authorization_id, amendment.status) == (
        DossierPurpose.AMENDMENT,
        authorization.id,
        DossierStatus.DRAFT,
    )
    assert amendment.data["applicant.applicationType"] == "AMENDMENT"
    assert "validation.date" not in amendment.data  # signed again
    assert {k: v for k, v in amendment.data.items() if k not in ("applicant.applicationType",)} == {
        k: v for k, v in version_1.answers.items() if k not in ("applicant.applicationType", "validation.date")
    }
    lines = (await cast.session.exec(sa.select(GoodsLine).where(GoodsLine.dossier_id == amendment.id))).all()
    assert [(line[0].cn_code, line[0].description) for line in lines] == [("84571010", "Centre d'usinage")]

    amendment.data = {**amendment.data, "applicant.city": "Villeurbanne", "validation.date": "2026-07-31"}
    cast.session.add(amendment)
    await cast.session.commit()
    changed = await requests.changes_against_authorization(cast.session, amendment)
    assert [(c.key, c.before, c.after) for c in changed] == [("applicant.city", "Lyon", "Villeurbanne")]

    await accepted(cast, amendment, LATER)
    terms = GrantTerms(LATER.date(), dt.date(2028, 6, 30), version_1.conditions)  # the same conditions
    await processing.act(
        cast.session, await cast.access(officer), amendment.id, Action.GRANT, grant=terms, now=LATER
    )
    after = await reading.get_authorization(cast.session, holder, authorization.id)
    assert (after.reference, after.current_version, after.dossier_id) == (
        authorization.reference,
        2,
        authorization.dossier_id,
    )
    version_1_again, version_2 = await reading.versions_of(cast.session, authorization.id)
    assert version_1_again.answers == version_1.answers and version_1_again.valid_from == TODAY
    assert version_2.dossier_id == amendment.id and version_2.kind.value == "amendment"
    changes = content.diff(version_1_again, version_2, Procedure.TEMPORARY_ADMISSION)
    assert {c.key for c in changes} == {
        "validity",
        "applicant.applicationType",
        "applicant.city",
        "validation.date",
    }
    history = await reading.history_of(cast.session, after, LATER.date())
    assert [h.kind for h in history] == [EventKind.ISSUED, EventKind.AMENDED]
    assert amendment.reference in history[-1].message and "version 2" in history[-1].message
    assert await requests.open_request(cast.session, authorization.id) is None


async def test_one_request_at_a_time(cast):
    authorization, admin, _ = await granted(cast)
    holder = await cast.access(admin)
    first = await requests.request_change(
        cast.session, holder, authorization.id, DossierPurpose.AMENDMENT, now=LATER
    )
    with pytest.raises(requests.RequestRefused) as refused:
        await requests.request_change(cast.session, holder, authorization.id, DossierPurpose.AMENDMENT, now=LATER)
    assert first.reference in refused.value.message and refused.value.code == "FORBIDDEN_TRANSITION"
    assert requests.offered(holder, authorization, LATER.date(), cast.settings, first) == []


async def test_a_refused_amendment_leaves_the_authorisation_unchanged(cast):
    authorization, admin, officer = await granted(cast)
    holder = await cast.access(admin)
    amendment = await requests.request_change(
        cast.session, holder, authorization.id, DossierPurpose.AMENDMENT, now=LATER
    )
    await accepted(cast, amendment, LATER)
    customs = await cast.access(officer)
    await processing.act(
        cast.session, customs, amendment.id, Action.NOTIFY_INTENDED_REFUSAL, message="Non.", now=LATER
    )
    await processing.act(cast.session, customs, amendment.id, Action.REFUSE, message="Refusé.", now=LATER)
    after = await reading.get_authorization(cast.session, holder, authorization.id)
    assert after.current_version == 1 and after.valid_until == dt.date(2028, 6, 30)
    assert len(await reading.versions_of(cast.session, authorization.id)) == 1
    assert [h.kind for h in await reading.history_of(cast.session, after, LATER.date())] == [EventKind.ISSUED]
    # Decided: a new request may be made.
    assert requests.offered(holder, after, LATER.date(), cast.settings, None) == [DossierPurpose.AMENDMENT]


async def test_a_renewal_is_offered_only_in_its_window_and_extends_the_validity(cast):
    authorization, admin, officer = await granted(cast)
    holder = await cast.access(admin)
    with pytest.raises(requests.RequestRefused) as refused:
        await requests.request_change(cast.session, holder, authorization.id, DossierPurpose.RENEWAL, now=LATER)
    assert "90 jours" in refused.value.message and "01/04/2028" in refused.value.message
    assert requests.offered(holder, authorization, LATER.date(), cast.settings, None) == [DossierPurpose.AMENDMENT]
    in_window = RENEWAL_DAY.date()
    assert requests.offered(holder, authorization, in_window, cast.settings, None) == [
        DossierPurpose.AMENDMENT,
        DossierPurpose.RENEWAL,
    ]
    renewal = await requests.request_change(
        cast.session, holder, authorization.id, DossierPurpose.RENEWAL, now=RENEWAL_DAY
    )
    assert renewal.data["applicant.applicationType"] == "RENEWAL"
    await accepted(cast, renewal, RENEWAL_DAY)
    terms = GrantTerms(in_window, dt.date(2030, 6, 30))
    await processing.act(
        cast.session, await cast.access(officer), renewal.id, Action.GRANT, grant=terms, now=RENEWAL_DAY
    )
    after = await reading.get_authorization(cast.session, holder, authorization.id)
    assert (after.current_version, after.valid_until) == (2, dt.date(2030, 6, 30))
    versions = await reading.versions_of(cast.session, authorization.id)
    assert [(v.kind.value, v.valid_until) for v in versions] == [
        ("issue", dt.date(2028, 6, 30)),
        ("renewal", dt.date(2030, 6, 30)),
    ]
    assert [h.kind for h in await reading.history_of(cast.session, after, in_window)][-1] == EventKind.RENEWED


async def test_who_may_request_a_change(cast):
    """The prepare right on the holder: a consult user is refused (and not offered), another operator sees nothing."""
    authorization, admin, officer = await granted(cast)
    siret = (await cast.session.get(Operator, admin.operator_id)).siret
    consult = await cast.professional(siret, prefix="consult")
    await cast.habilitate(consult, Right.CONSULT, by=admin)
    reader = await cast.access(consult)
    assert requests.offered(reader, authorization, LATER.date(), cast.settings, None) == []
    with pytest.raises(Forbidden):
        await requests.request_change(cast.session, reader, authorization.id, DossierPurpose.AMENDMENT, now=LATER)
    stranger = await cast.access(await cast.professional())
    with pytest.raises(NotFound):
        await requests.request_change(
            cast.session, stranger, authorization.id, DossierPurpose.AMENDMENT, now=LATER
        )
    customs = await cast.access(officer)
    assert requests.offered(customs, authorization, LATER.date(), cast.settings, None) == []
    with pytest.raises(ProfessionalOnly):  # customs do not file for the holder
        await requests.request_change(cast.session, customs, authorization.id, DossierPurpose.AMENDMENT, now=LATER)


async def test_the_grant_form_proposes_terms_from_the_version_in_force(cast):
    """An application: from today, no end. An amendment: the current end, conditions and annex flag, from the day of
    the decision. A renewal: from the day after the current end, for as long again (two years), same conditions."""
    authorization, admin, _officer = await granted(cast)
    holder = await cast.access(admin)
    application = await cast.reload(authorization.dossier_id)
    assert await requests.grant_terms_proposed(cast.session, application, LATER.date()) == GrantTerms(
        LATER.date(), None, "", False
    )
    amendment = await requests.request_change(
        cast.session, holder, authorization.id, DossierPurpose.AMENDMENT, now=LATER
    )
    assert await requests.grant_terms_proposed(cast.session, amendment, LATER.date()) == GrantTerms(
        LATER.date(), dt.date(2028, 6, 30), "Tenue d'une comptabilité matières mensuelle.", False
    )
    await processing.act(cast.session, holder, amendment.id, Action.WITHDRAW, now=LATER)
    renewal = await requests.request_change(
        cast.session, holder, authorization.id, DossierPurpose.RENEWAL, now=RENEWAL_DAY
    )
    assert await requests.grant_terms_proposed(cast.session, renewal, RENEWAL_DAY.date()) == GrantTerms(
        dt.date(2028, 7, 1), dt.date(2030, 6, 30), "Tenue d'une comptabilité matières mensuelle.", False
    )
