"""The right to be heard before a measure adverse to the holder (UCC art. 22(6), art. 23(3)), in the domain, on the
suite's real database, with the clock moved by `now=`: customs notify the measure they intend and its grounds; the
holder has HEARING_DAYS (30) days to present observations, once, with the submit right; a suspension in case a or b,
a revocation or an annulment is refused until the holder has answered or their time is over, and accepted then; customs
may drop the measure instead. A suspension in case c or a revocation the holder asked for is not adverse: no hearing.

The dates: granted on 01/07/2026; notified on NOTICE (02/07/2026 in France), so the holder's last day is 01/08/2026 —
until 23:59:59 in Paris (21:59:59 UTC, summer time), and their time is over from 00:00 on 02/08/2026 (22:00 UTC)."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import pytest

from backend.authorizations import exchanges, hearing, measures, reading
from backend.authorizations.exchanges import HolderRequest, RequestRefused
from backend.authorizations.hearing import AdverseMeasure, HearingRefused
from backend.authorizations.issuing import EVENT_LABELS, EventKind
from backend.authorizations.measures import Measure, MeasureRefused, SuspensionCase
from backend.authorizations.models import Authorization
from backend.clock import french_day
from backend.errors import FieldErrors, Forbidden, NotFound
from backend.identity.models import Operator, Right, User
from backend.identity.policy import ProfessionalOnly
from tests.authorizations.test_measures import (
    ANSWERED,
    ASKED,
    HEARING_FIELDS,
    LATER,
    LATER_DAY,
    NOTICE,
    REASON,
    Issued,
    asked,
    assert_nothing_changed,
    granted,
    heard,
    stored,
    the_new_event,
)
from tests.processing_support import OTHER_OFFICE, Cast

DEADLINE = dt.date(2026, 8, 1)  # NOTICE's French day + 30 days: the holder's last day
LAST_MOMENT = dt.datetime(2026, 8, 1, 21, 59, 59, tzinfo=dt.UTC)  # 23:59:59 in Paris on the deadline day
DAY_AFTER = dt.datetime(2026, 8, 1, 22, 0, tzinfo=dt.UTC)  # 00:00 in Paris on 02/08/2026: the time is over
OBSERVATIONS = "Les relevés ont été envoyés le 30/06 : voir l'accusé de réception joint."
KINDS = {
    AdverseMeasure.SUSPEND: EventKind.SUSPENDED,
    AdverseMeasure.REVOKE: EventKind.REVOKED,
    AdverseMeasure.ANNUL: EventKind.ANNULLED,
}
ADVERSE = [
    (AdverseMeasure.SUSPEND, SuspensionCase.GROUNDS_EXAMINED),
    (AdverseMeasure.SUSPEND, SuspensionCase.CONDITIONS_NOT_MET),
    (AdverseMeasure.REVOKE, None),
    (AdverseMeasure.ANNUL, None),
]
ADVERSE_IDS = ["suspend-a", "suspend-b", "revoke", "annul"]


@pytest.fixture
async def cast(live_server, database) -> AsyncIterator[Cast]:
    async with database.session() as session:
        yield Cast(session, live_server.settings)


@pytest.fixture
def domain_settings(cast):
    """The settings the domain reads (session.info), with the 30 days the dates above assume."""
    found = cast.session.info["settings"]
    assert found.hearing_days == 30
    return found


async def take(
    cast: Cast,
    user: User,
    issued: Issued,
    measure: AdverseMeasure,
    now: dt.datetime,
    case: SuspensionCase | None = None,
) -> Authorization:
    """The adverse measure itself, with terms that are otherwise fine: a suspension from `now`'s French day until
    further notice, an immediate revocation, an annulment."""
    access = await cast.access(user)
    if measure is AdverseMeasure.SUSPEND:
        return await measures.suspend(
            cast.session, access, issued.id, case=case or SuspensionCase.GROUNDS_EXAMINED, reason=REASON,
            start=french_day(now), end=None, now=now,
        )  # fmt: skip
    if measure is AdverseMeasure.REVOKE:
        return await measures.revoke(cast.session, access, issued.id, reason=REASON, effective=None, now=now)
    return await measures.annul(cast.session, access, issued.id, reason=REASON, now=now)


async def notify(cast: Cast, issued: Issued, measure: AdverseMeasure, now: dt.datetime = NOTICE) -> Authorization:
    return await measures.notify_intended(
        cast.session, await cast.access(issued.officer), issued.id, measure=measure, reason=REASON, now=now
    )


async def answer(cast: Cast, user: User, issued: Issued, now: dt.datetime = ANSWERED, text: str = OBSERVATIONS):
    return await exchanges.answer_hearing(cast.session, await cast.access(user), issued.id, text, now=now)


def no_notice(measure: AdverseMeasure) -> str:
    return (
        f"Avant de décider {measure.label}, notifiez la mesure envisagée et ses motifs au titulaire : il a 30 jours "
        "pour présenter ses observations (droit d'être entendu, CDU, art. 22, § 6)."
    )


def waiting(measure: AdverseMeasure) -> str:
    return (
        "Le titulaire a jusqu'au 01/08/2026 pour présenter ses observations (droit d'être entendu) : "
        f"{measure.label} pourra être décidée dès sa réponse ou à la fin de ce délai."
    )


async def kinds(cast: Cast, issued: Issued, day: dt.date = LATER_DAY) -> list[str]:
    return [h.kind for h in await reading.history_of(cast.session, issued.authorization, day)]


# --- refused until the holder is heard -----------------------------------------------------------------------------


@pytest.mark.parametrize(("measure", "case"), ADVERSE, ids=ADVERSE_IDS)
async def test_an_adverse_measure_without_a_notice_is_refused_and_nothing_is_written(
    cast, database, measure, case
):
    issued = await granted(cast)
    before = await stored(database, issued.id)
    with pytest.raises(HearingRefused) as refused:
        await take(cast, issued.officer, issued, measure, LATER, case)
    assert refused.value.code == "FORBIDDEN_TRANSITION"
    assert refused.value.message == no_notice(measure)
    await assert_nothing_changed(cast, database, issued, before)


@pytest.mark.parametrize(("measure", "case"), ADVERSE, ids=ADVERSE_IDS)
async def test_within_the_period_and_before_an_answer_the_measure_is_refused_up_to_the_last_moment(
    cast, database, measure, case
):
    issued = await granted(cast)
    await notify(cast, issued, measure)
    before = await stored(database, issued.id)
    for now in (
        NOTICE,
        LATER,
        LAST_MOMENT,
    ):  # the day of the notice, two days later, the deadline day's last second
        with pytest.raises(HearingRefused) as refused:
            await take(cast, issued.officer, issued, measure, now, case)
        assert refused.value.code == "FORBIDDEN_TRANSITION"
        assert refused.value.message == waiting(measure), now
    await assert_nothing_changed(cast, database, issued, before)
    assert before.columns["intended_measure"] == measure.value  # the hearing runs on


@pytest.mark.parametrize(("measure", "case"), ADVERSE, ids=ADVERSE_IDS)
async def test_once_the_holder_has_answered_the_measure_is_taken_at_once_and_the_hearing_closes(
    cast, database, measure, case
):
    issued = await granted(cast)
    await notify(cast, issued, measure)
    await answer(cast, issued.admin, issued)
    before = await stored(database, issued.id)
    assert before.columns["hearing_answered_at"] == ANSWERED
    result = await take(cast, issued.officer, issued, measure, LATER, case)  # long before the deadline
    assert [getattr(result, name) for name in HEARING_FIELDS] == [None] * 4
    columns = (await stored(database, issued.id)).columns
    assert [columns[name] for name in HEARING_FIELDS] == [None] * 4
    event = await the_new_event(database, issued, before)  # the measure's own entry, and only it
    assert (event["kind"], event["actor_id"], event["at"]) == (KINDS[measure], issued.officer.id, LATER)
    assert await kinds(cast, issued) == [
        EventKind.ISSUED,
        EventKind.HEARING_OPENED,
        EventKind.OBSERVATIONS,
        KINDS[measure],
    ]


@pytest.mark.parametrize(("measure", "case"), ADVERSE, ids=ADVERSE_IDS)
async def test_without_an_answer_the_measure_is_refused_on_the_deadline_day_and_taken_the_day_after(
    cast, database, domain_settings, measure, case
):
    issued = await granted(cast)
    notified = await notify(cast, issued, measure)
    assert hearing.deadline(notified, domain_settings) == DEADLINE
    assert not hearing.time_over(notified, DEADLINE, domain_settings)
    assert hearing.time_over(notified, DEADLINE + dt.timedelta(days=1), domain_settings)
    before = await stored(database, issued.id)
    with pytest.raises(HearingRefused) as refused:
        await take(cast, issued.officer, issued, measure, LAST_MOMENT, case)
    assert refused.value.message == waiting(measure)
    await assert_nothing_changed(cast, database, issued, before)
    result = await take(cast, issued.officer, issued, measure, DAY_AFTER, case)
    assert [getattr(result, name) for name in HEARING_FIELDS] == [None] * 4
    event = await the_new_event(database, issued, before)
    assert (event["kind"], event["at"]) == (KINDS[measure], DAY_AFTER)
    assert await kinds(cast, issued, DEADLINE) == [EventKind.ISSUED, EventKind.HEARING_OPENED, KINDS[measure]]


@pytest.mark.parametrize("intended", list(AdverseMeasure))
async def test_while_one_measure_is_intended_another_is_refused_even_once_heard(cast, database, intended):
    issued = await granted(cast)
    await notify(cast, issued, intended)
    await answer(cast, issued.admin, issued)
    before = await stored(database, issued.id)
    for other in AdverseMeasure:
        if other is intended:
            continue
        for now in (LATER, DAY_AFTER):
            with pytest.raises(HearingRefused) as refused:
                await take(cast, issued.officer, issued, other, now)
            assert refused.value.code == "FORBIDDEN_TRANSITION"
            assert refused.value.message == (
                f"Une autre mesure est envisagée ({intended.label}) : décidez-la ou abandonnez-la d'abord."
            )
    await assert_nothing_changed(cast, database, issued, before)


# --- the notice ----------------------------------------------------------------------------------------------------


async def test_the_notice_records_the_measure_its_grounds_and_the_holders_last_day(cast, database):
    issued = await granted(cast)
    before = await stored(database, issued.id)
    result = await measures.notify_intended(
        cast.session, await cast.access(issued.officer), issued.id, measure=AdverseMeasure.REVOKE,
        reason=f"  {REASON}  ", now=NOTICE,
    )  # fmt: skip
    assert (result.intended_measure, result.intended_reason) == ("revoke", REASON)
    assert (result.hearing_started_at, result.hearing_answered_at, result.updated_at) == (NOTICE, None, NOTICE)
    assert result.revoked_from is None  # nothing is decided yet
    event = await the_new_event(database, issued, before)
    assert (event["kind"], event["actor_id"], event["at"]) == (EventKind.HEARING_OPENED, issued.officer.id, NOTICE)
    assert event["message"] == (
        "La douane envisage la révocation de l'autorisation. Le titulaire peut présenter ses observations jusqu'au "
        f"01/08/2026. Motifs : {REASON}"
    )


async def test_a_notice_needs_grounds_and_the_issuing_office(cast, database):
    issued = await granted(cast)
    before = await stored(database, issued.id)
    with pytest.raises(FieldErrors) as refused:
        await measures.notify_intended(
            cast.session, await cast.access(issued.officer), issued.id, measure=AdverseMeasure.ANNUL, reason="  ",
            now=NOTICE,
        )  # fmt: skip
    assert [field for field, _ in refused.value.problems] == ["reason"]
    with pytest.raises(Forbidden, match="bureau de douane"):
        await measures.notify_intended(
            cast.session, await cast.access(issued.admin), issued.id, measure=AdverseMeasure.ANNUL, reason=REASON,
            now=NOTICE,
        )  # fmt: skip
    with pytest.raises(NotFound):
        await measures.notify_intended(
            cast.session, await cast.access(await cast.officer(OTHER_OFFICE)), issued.id,
            measure=AdverseMeasure.ANNUL, reason=REASON, now=NOTICE,
        )  # fmt: skip
    await assert_nothing_changed(cast, database, issued, before)


async def test_notifying_again_is_refused_and_the_holders_time_does_not_restart(cast, database):
    issued = await granted(cast)
    await notify(cast, issued, AdverseMeasure.SUSPEND)
    before = await stored(database, issued.id)
    for measure in AdverseMeasure:  # the same measure again, or another one
        with pytest.raises(MeasureRefused) as refused:
            await notify(cast, issued, measure, LATER)
        assert refused.value.code == "FORBIDDEN_TRANSITION"
        assert refused.value.message == (
            "Une mesure est déjà envisagée (la suspension) : décidez-la ou abandonnez-la avant d'en envisager une "
            "autre."
        )
    await assert_nothing_changed(cast, database, issued, before)
    assert before.columns["hearing_started_at"] == NOTICE


async def test_abandoning_the_intended_measure_clears_the_hearing_and_writes_hearing_closed(cast, database):
    issued = await granted(cast)
    officer = await cast.access(issued.officer)
    with pytest.raises(MeasureRefused) as none_intended:
        await measures.abandon_intended(cast.session, officer, issued.id, reason="Rien.", now=NOTICE)
    assert none_intended.value.message == "Aucune mesure n'est envisagée."
    await notify(cast, issued, AdverseMeasure.REVOKE)
    await answer(cast, issued.admin, issued)
    before = await stored(database, issued.id)
    with pytest.raises(FieldErrors) as blank:
        await measures.abandon_intended(cast.session, officer, issued.id, reason=" ", now=LATER)
    assert [field for field, _ in blank.value.problems] == ["reason"]
    with pytest.raises(Forbidden):  # the holder does not drop it
        await measures.abandon_intended(
            cast.session, await cast.access(issued.admin), issued.id, reason="Merci.", now=LATER
        )
    await assert_nothing_changed(cast, database, issued, before)
    result = await measures.abandon_intended(
        cast.session, officer, issued.id, reason="  Observations convaincantes.  ", now=LATER
    )
    assert [getattr(result, name) for name in HEARING_FIELDS] == [None] * 4
    assert [(await stored(database, issued.id)).columns[name] for name in HEARING_FIELDS] == [None] * 4
    event = await the_new_event(database, issued, before)
    assert (event["kind"], event["actor_id"], event["at"]) == (EventKind.HEARING_CLOSED, issued.officer.id, LATER)
    assert event["message"] == "La douane renonce à la révocation. Motif : Observations convaincantes."
    # Dropped: the revocation needs a new notice, the holder has nothing to answer.
    with pytest.raises(HearingRefused) as refused:
        await take(cast, issued.officer, issued, AdverseMeasure.REVOKE, LATER)
    assert refused.value.message == no_notice(AdverseMeasure.REVOKE)
    with pytest.raises(RequestRefused, match="Aucune mesure n'est envisagée sur cette autorisation"):
        await answer(cast, issued.admin, issued, LATER)
    # A new notice opens a new period of its own, unanswered.
    again = await notify(cast, issued, AdverseMeasure.REVOKE, dt.datetime(2026, 7, 10, 8, 0, tzinfo=dt.UTC))
    assert hearing.deadline(again, cast.session.info["settings"]) == dt.date(2026, 8, 9)
    assert again.hearing_answered_at is None


# --- the holder's observations ---------------------------------------------------------------------------------------


async def test_observations_once_with_the_submit_right_and_only_on_an_intended_measure(
    cast, database, domain_settings
):
    issued = await granted(cast)
    siret = (await cast.session.get(Operator, issued.admin.operator_id)).siret
    submitter = await cast.professional(siret, prefix="submit")
    await cast.habilitate(submitter, Right.SUBMIT, by=issued.admin)
    preparer = await cast.professional(siret, prefix="prepare")
    await cast.habilitate(preparer, Right.PREPARE, by=issued.admin)
    consult = await cast.professional(siret, prefix="consult")
    await cast.habilitate(consult, Right.CONSULT, by=issued.admin)
    stranger = await cast.professional()

    async def may(user: User) -> bool:
        return exchanges.may_answer_hearing(
            await cast.access(user), issued.authorization, LATER_DAY, domain_settings
        )

    before = await stored(database, issued.id)
    with pytest.raises(RequestRefused) as nothing:
        await answer(cast, issued.admin, issued)
    assert nothing.value.code == "FORBIDDEN_TRANSITION"
    assert (
        nothing.value.message == "Aucune mesure n'est envisagée sur cette autorisation : il n'y a rien à répondre."
    )
    assert not await may(issued.admin)
    await assert_nothing_changed(cast, database, issued, before)

    await notify(cast, issued, AdverseMeasure.SUSPEND)
    assert [await may(u) for u in (issued.admin, submitter, preparer, consult, issued.officer)] == [
        True,
        True,
        False,
        False,
        False,
    ]
    before = await stored(database, issued.id)
    for user in (preparer, consult):
        with pytest.raises(Forbidden) as forbidden:
            await answer(cast, user, issued)
        assert type(forbidden.value) is Forbidden
        assert forbidden.value.message == "Vous n'avez pas le droit de déposer pour cette autorisation."
    with pytest.raises(ProfessionalOnly) as officer_refused:  # customs notify; they do not answer themselves
        await answer(cast, issued.officer, issued)
    assert officer_refused.value.code == "PROFESSIONAL_ONLY"
    with pytest.raises(NotFound):
        await answer(cast, stranger, issued)
    for text, words in (("", "Indiquez vos observations."), ("   ", "Indiquez vos observations."),
                        ("x" * 4001, "trop long")):  # fmt: skip
        with pytest.raises(FieldErrors) as invalid:
            await answer(cast, issued.admin, issued, text=text)
        assert [field for field, _ in invalid.value.problems] == ["observations"]
        assert words in invalid.value.problems[0][1]
    await assert_nothing_changed(cast, database, issued, before)

    result = await answer(cast, submitter, issued, text=f"  {OBSERVATIONS}  ")  # any user with the submit right
    assert result.hearing_answered_at == ANSWERED and result.intended_measure == "suspend"
    event = await the_new_event(database, issued, before)
    assert (event["kind"], event["actor_id"], event["at"], event["message"]) == (
        EventKind.OBSERVATIONS,
        submitter.id,
        ANSWERED,
        OBSERVATIONS,
    )
    assert not await may(issued.admin)
    before = await stored(database, issued.id)
    with pytest.raises(RequestRefused) as twice:
        await answer(cast, issued.admin, issued, LATER, "Un complément.")
    assert twice.value.message == "Vos observations ont déjà été transmises le 03/07/2026."
    await assert_nothing_changed(cast, database, issued, before)


@pytest.mark.parametrize(
    ("at", "accepted"), [(LAST_MOMENT, True), (DAY_AFTER, False)], ids=["last-day", "day-after"]
)
async def test_observations_are_accepted_until_the_deadline_day_and_refused_after(
    cast, database, domain_settings, at, accepted
):
    issued = await granted(cast)
    await notify(cast, issued, AdverseMeasure.ANNUL)
    holder = await cast.access(issued.admin)
    assert exchanges.may_answer_hearing(holder, issued.authorization, french_day(at), domain_settings) is accepted
    before = await stored(database, issued.id)
    if accepted:
        result = await answer(cast, issued.admin, issued, at)
        assert result.hearing_answered_at == at
        assert (await the_new_event(database, issued, before))["kind"] == EventKind.OBSERVATIONS
        return
    with pytest.raises(RequestRefused) as refused:
        await answer(cast, issued.admin, issued, at)
    assert refused.value.code == "FORBIDDEN_TRANSITION"
    assert refused.value.message == "Le délai pour présenter vos observations a pris fin le 01/08/2026."
    await assert_nothing_changed(cast, database, issued, before)


# --- what the holder asked for is not adverse ------------------------------------------------------------------------


async def test_a_revocation_the_holder_asked_for_needs_no_hearing_but_an_annulment_still_does(cast, database):
    issued = await granted(cast)
    await asked(cast, issued, HolderRequest.REVOKE)
    before = await stored(database, issued.id)
    with pytest.raises(HearingRefused) as refused:  # the request covers the revocation only
        await take(cast, issued.officer, issued, AdverseMeasure.ANNUL, LATER)
    assert refused.value.message == no_notice(AdverseMeasure.ANNUL)
    await assert_nothing_changed(cast, database, issued, before)
    result = await take(cast, issued.officer, issued, AdverseMeasure.REVOKE, LATER)
    assert (result.revoked_from, result.holder_request) == (LATER_DAY, None)
    assert (await the_new_event(database, issued, before))["kind"] == EventKind.REVOKED
    assert await kinds(cast, issued) == [EventKind.ISSUED, EventKind.REVOCATION_REQUESTED, EventKind.REVOKED]


async def test_a_suspension_the_holder_asked_for_is_taken_in_case_c_without_a_hearing_not_in_case_a(
    cast, database
):
    issued = await granted(cast)
    await asked(cast, issued, HolderRequest.SUSPEND)
    before = await stored(database, issued.id)
    with pytest.raises(HearingRefused) as refused:
        await take(cast, issued.officer, issued, AdverseMeasure.SUSPEND, LATER, SuspensionCase.GROUNDS_EXAMINED)
    assert refused.value.message == no_notice(AdverseMeasure.SUSPEND)
    await assert_nothing_changed(cast, database, issued, before)
    result = await take(cast, issued.officer, issued, AdverseMeasure.SUSPEND, LATER, SuspensionCase.HOLDER_REQUEST)
    assert (result.suspended_from, result.suspension_case, result.holder_request) == (
        LATER_DAY,
        "holder_request",
        None,
    )
    assert await kinds(cast, issued) == [EventKind.ISSUED, EventKind.SUSPENSION_REQUESTED, EventKind.SUSPENDED]


@pytest.mark.parametrize("beforehand", ["nothing", "revocation-asked", "heard-on-suspension"])
async def test_case_c_without_the_holders_request_to_suspend_is_a_field_error_on_case(cast, database, beforehand):
    issued = await granted(cast)
    if beforehand == "revocation-asked":
        await asked(cast, issued, HolderRequest.REVOKE)
    elif beforehand == "heard-on-suspension":
        await heard(cast, issued, AdverseMeasure.SUSPEND)
    before = await stored(database, issued.id)
    with pytest.raises(FieldErrors) as refused:
        await take(cast, issued.officer, issued, AdverseMeasure.SUSPEND, LATER, SuspensionCase.HOLDER_REQUEST)
    assert refused.value.code == "INVALID"
    assert refused.value.problems == [
        ("case", "Le titulaire n'a pas demandé la suspension : choisissez le cas a ou b.")
    ]
    await assert_nothing_changed(cast, database, issued, before)


# --- what the officer is offered -------------------------------------------------------------------------------------


async def test_offered_lists_the_notices_first_and_the_measure_once_the_holder_is_heard(cast, domain_settings):
    issued = await granted(cast)
    officer = await cast.access(issued.officer)

    def offered(day: dt.date = LATER_DAY, access=officer) -> list[Measure]:
        return measures.offered(access, issued.authorization, day, domain_settings)

    m = Measure
    assert offered() == [m.NOTIFY_SUSPEND, m.NOTIFY_REVOKE, m.NOTIFY_ANNUL, m.REASSESS]
    assert offered(access=await cast.access(issued.admin)) == []
    assert offered(access=await cast.access(await cast.officer(OTHER_OFFICE))) == []
    await notify(cast, issued, AdverseMeasure.SUSPEND)
    assert offered() == [m.ABANDON_INTENDED, m.REASSESS]  # neither the suspension yet, nor another notice
    assert offered(DEADLINE) == [m.ABANDON_INTENDED, m.REASSESS]
    assert offered(DEADLINE + dt.timedelta(days=1)) == [m.SUSPEND, m.ABANDON_INTENDED, m.REASSESS]
    await answer(cast, issued.admin, issued)
    assert offered() == [m.SUSPEND, m.ABANDON_INTENDED, m.REASSESS]
    await take(cast, issued.officer, issued, AdverseMeasure.SUSPEND, LATER)
    assert offered() == [m.LIFT_SUSPENSION, m.NOTIFY_REVOKE, m.NOTIFY_ANNUL, m.REASSESS]


@pytest.mark.parametrize(
    ("measure", "found"), [(AdverseMeasure.REVOKE, Measure.REVOKE), (AdverseMeasure.ANNUL, Measure.ANNUL)]
)
async def test_offered_lists_a_revocation_or_an_annulment_once_heard(cast, domain_settings, measure, found):
    issued = await granted(cast)
    officer = await cast.access(issued.officer)
    await notify(cast, issued, measure)
    assert measures.offered(officer, issued.authorization, LATER_DAY, domain_settings) == [
        Measure.ABANDON_INTENDED,
        Measure.REASSESS,
    ]
    await answer(cast, issued.admin, issued)
    assert measures.offered(officer, issued.authorization, LATER_DAY, domain_settings) == [
        found,
        Measure.ABANDON_INTENDED,
        Measure.REASSESS,
    ]


async def test_offered_lists_the_revocation_the_holder_asked_for_without_a_notice(cast, domain_settings):
    issued = await granted(cast)
    await asked(cast, issued, HolderRequest.REVOKE, at=ASKED)
    assert measures.offered(
        await cast.access(issued.officer), issued.authorization, LATER_DAY, domain_settings
    ) == [
        Measure.NOTIFY_SUSPEND,
        Measure.REVOKE,
        Measure.NOTIFY_REVOKE,
        Measure.NOTIFY_ANNUL,
        Measure.REASSESS,
    ]


# --- the history ---------------------------------------------------------------------------------------------------


async def test_the_history_shows_the_notice_the_observations_and_the_abandonment_in_order(cast):
    issued = await granted(cast)
    await notify(cast, issued, AdverseMeasure.SUSPEND)
    await answer(cast, issued.admin, issued)
    await measures.abandon_intended(
        cast.session, await cast.access(issued.officer), issued.id, reason="Observations convaincantes.", now=LATER
    )
    await notify(cast, issued, AdverseMeasure.ANNUL, LATER + dt.timedelta(hours=1))
    annulled_at = dt.datetime(
        2026, 8, 4, 22, 0, tzinfo=dt.UTC
    )  # 05/08/2026: past 03/08, the second period is over
    await take(cast, issued.officer, issued, AdverseMeasure.ANNUL, annulled_at)
    history = await reading.history_of(cast.session, issued.authorization, annulled_at.date())
    officer, holder = issued.officer.id, issued.admin.id
    assert [(h.kind, h.actor_id, h.at) for h in history] == [
        (EventKind.ISSUED, officer, history[0].at),
        (EventKind.HEARING_OPENED, officer, NOTICE),
        (EventKind.OBSERVATIONS, holder, ANSWERED),
        (EventKind.HEARING_CLOSED, officer, LATER),
        (EventKind.HEARING_OPENED, officer, LATER + dt.timedelta(hours=1)),
        (EventKind.ANNULLED, officer, annulled_at),
    ]
    assert [h.label for h in history[1:4]] == [
        "Mesure envisagée : droit d'être entendu",
        "Observations du titulaire",
        "Mesure envisagée abandonnée",
    ]
    assert [EVENT_LABELS[EventKind(h.kind)] for h in history] == [h.label for h in history]
    assert history[2].message == OBSERVATIONS
    assert "jusqu'au 03/08/2026" in history[4].message  # the second notice's own deadline (04/07 + 30 days)
