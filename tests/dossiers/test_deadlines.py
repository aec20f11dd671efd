"""Time limits of the decision phase (issue 5), with a controllable clock: `now=` of `processing.act` and
`processing.extend_decision_deadline`, and `deadlines.current_deadline(dossier, settings, now)`.

Acceptance within 30 days of submission, decision within 120 days of acceptance (customs may extend it with a reason
and a later date, which the applicant sees), right to be heard 30 days; a deadline is overdue the day after it. The
durations are settings. Days are French calendar days (Europe/Paris), whatever the UTC date of the moment.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from dataclasses import replace

import pytest

from backend.clock import PARIS, french_day, paris_today
from backend.dossiers import processing
from backend.dossiers.deadlines import current_deadline
from backend.dossiers.models import Dossier, DossierStatus
from backend.dossiers.workflow import Action
from backend.errors import DomainError
from tests.processing_support import (
    CLAIRE,
    EXTEND,
    HUGO,
    SOPHIE,
    Cast,
    act,
    bring_to,
    code_of,
    get,
    ok,
    refused,
)

S = DossierStatus
SUBMITTED_AT = dt.datetime(2026, 3, 2, 14, 45, tzinfo=dt.UTC)


def at(day: dt.date, hour: int = 12, minute: int = 0) -> dt.datetime:
    """That time of that day in Paris, as the UTC timestamp the portal stores."""
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=PARIS).astimezone(dt.UTC)


# --- pure: current_deadline -------------------------------------------------------------------------------------------


def test_acceptance_is_due_30_days_after_submission_and_overdue_the_day_after(settings):
    dossier = Dossier(status=S.SUBMITTED, submitted_at=SUBMITTED_AT)
    due = dt.date(2026, 4, 1)  # 2 March + 30 days
    for now, overdue in (
        (SUBMITTED_AT, False),
        (at(due, 0, 0), False),
        (at(due, 23, 59), False),  # the last day is included
        (at(due + dt.timedelta(days=1), 0, 0), True),
        (at(due + dt.timedelta(days=40)), True),
    ):
        deadline = current_deadline(dossier, settings, now)
        assert deadline is not None
        assert (deadline.kind, deadline.label, deadline.due, deadline.overdue) == (
            "acceptance",
            "Délai d'acceptation de la demande",
            due,
            overdue,
        ), now
        assert (deadline.extended, deadline.extension_reason) == (False, None)


def test_decision_is_due_120_days_after_acceptance(settings):
    accepted = dt.datetime(2026, 3, 20, 8, 0, tzinfo=dt.UTC)
    dossier = Dossier(status=S.ACCEPTED, submitted_at=SUBMITTED_AT, accepted_at=accepted)
    due = dt.date(2026, 7, 18)  # 20 March + 120 days
    deadline = current_deadline(dossier, settings, accepted)
    assert (deadline.kind, deadline.label, deadline.due, deadline.overdue) == (
        "decision",
        "Délai de décision",
        due,
        False,
    )
    assert current_deadline(dossier, settings, at(due, 23, 59)).overdue is False
    assert current_deadline(dossier, settings, at(due + dt.timedelta(days=1), 0, 0)).overdue is True


def test_the_hearing_lasts_30_days(settings):
    started = dt.datetime(2026, 5, 10, 16, 0, tzinfo=dt.UTC)
    dossier = Dossier(status=S.HEARING, accepted_at=SUBMITTED_AT, hearing_started_at=started)
    due = dt.date(2026, 6, 9)
    deadline = current_deadline(dossier, settings, started)
    assert (deadline.kind, deadline.label, deadline.due, deadline.overdue) == (
        "hearing",
        "Délai du droit d'être entendu",
        due,
        False,
    )
    assert current_deadline(dossier, settings, at(due, 23, 59)).overdue is False
    assert current_deadline(dossier, settings, at(due + dt.timedelta(days=1), 0, 0)).overdue is True


def test_a_complement_is_due_30_days_after_it_was_asked_for(settings):
    asked = dt.datetime(2026, 3, 20, 9, 30, tzinfo=dt.UTC)
    dossier = Dossier(status=S.COMPLEMENT_REQUESTED, submitted_at=SUBMITTED_AT, complement_requested_at=asked)
    due = dt.date(2026, 4, 19)
    deadline = current_deadline(dossier, settings, asked)
    assert (deadline.kind, deadline.label, deadline.due, deadline.overdue) == (
        "complement",
        "Délai pour fournir le complément",
        due,
        False,
    )
    assert current_deadline(dossier, settings, at(due, 23, 59)).overdue is False
    assert current_deadline(dossier, settings, at(due + dt.timedelta(days=1), 0, 0)).overdue is True
    assert current_deadline(dossier, replace(settings, complement_days=10), asked).due == dt.date(2026, 3, 30)


@pytest.mark.parametrize(
    ("submitted", "due"),
    [
        # Winter (UTC+1) and summer (UTC+2): late evening in UTC is already the next day in Paris.
        (dt.datetime(2026, 1, 9, 23, 30, tzinfo=dt.UTC), dt.date(2026, 2, 9)),
        (dt.datetime(2026, 6, 9, 22, 30, tzinfo=dt.UTC), dt.date(2026, 7, 10)),
        (dt.datetime(2026, 6, 9, 21, 30, tzinfo=dt.UTC), dt.date(2026, 7, 9)),
    ],
)
def test_deadlines_count_french_calendar_days_not_utc_ones(settings, submitted, due):
    dossier = Dossier(status=S.SUBMITTED, submitted_at=submitted)
    assert current_deadline(dossier, settings, submitted).due == due
    # 23:30 in Paris on the due day is still in time; 00:30 in Paris the day after is late, though it is the due
    # day in UTC.
    last_minutes, first_late = at(due, 23, 30), at(due + dt.timedelta(days=1), 0, 30)
    assert last_minutes.date() == first_late.date() == due
    assert current_deadline(dossier, settings, last_minutes).overdue is False
    assert current_deadline(dossier, settings, first_late).overdue is True


@pytest.mark.parametrize(
    "status",
    [S.DRAFT, S.GRANTED, S.REFUSED, S.NOT_ACCEPTED, S.WITHDRAWN],
    ids=lambda s: s.value,
)
def test_no_deadline_runs_on_a_draft_or_after_the_decision(settings, status):
    dossier = Dossier(
        status=status,
        submitted_at=SUBMITTED_AT,
        accepted_at=SUBMITTED_AT,
        hearing_started_at=SUBMITTED_AT,
        complement_requested_at=SUBMITTED_AT,
    )
    assert current_deadline(dossier, settings, SUBMITTED_AT + dt.timedelta(days=500)) is None


def test_the_durations_are_settings(settings):
    short = replace(settings, acceptance_days=5, decision_days=10, hearing_days=7)
    submitted = Dossier(status=S.SUBMITTED, submitted_at=SUBMITTED_AT)
    assert current_deadline(submitted, short, SUBMITTED_AT).due == dt.date(2026, 3, 7)
    accepted = Dossier(status=S.ACCEPTED, accepted_at=SUBMITTED_AT)
    assert current_deadline(accepted, short, SUBMITTED_AT).due == dt.date(2026, 3, 12)
    assert current_deadline(accepted, short, at(dt.date(2026, 3, 13))).overdue is True
    hearing = Dossier(status=S.HEARING, hearing_started_at=SUBMITTED_AT)
    assert current_deadline(hearing, short, SUBMITTED_AT).due == dt.date(2026, 3, 9)


# --- the services, with the clock in hand -------------------------------------------------------------------------


@pytest.fixture
async def cast(live_server, database) -> AsyncIterator[Cast]:
    async with database.session() as session:
        yield Cast(session, live_server.settings)


@pytest.fixture
async def people_(cast):
    admin = await cast.professional()
    officer = await cast.officer()
    return admin, officer


async def test_acceptance_sets_the_decision_deadline_from_the_day_of_acceptance(cast, people_):
    admin, officer = people_
    dossier = await cast.dossier(admin, S.SUBMITTED, at=SUBMITTED_AT)
    # Accepted on the 31st day: the acceptance was late (overdue), the decision counts from the acceptance.
    late = at(dt.date(2026, 4, 2), 9)
    assert current_deadline(dossier, cast.settings, late).overdue is True
    accepted = await processing.act(cast.session, await cast.access(officer), dossier.id, Action.ACCEPT, now=late)
    assert accepted.accepted_at == late
    assert accepted.decision_deadline == dt.date(2026, 7, 31)  # 2 April + 120 days
    deadline = current_deadline(accepted, cast.settings, late)
    assert (deadline.kind, deadline.due, deadline.overdue, deadline.extended) == (
        "decision",
        dt.date(2026, 7, 31),
        False,
        False,
    )
    assert current_deadline(accepted, cast.settings, at(dt.date(2026, 8, 1), 0, 0)).overdue is True


async def test_a_complement_request_starts_its_time_and_the_answer_restarts_the_acceptance_time(cast, people_):
    admin, officer = people_
    dossier = await cast.dossier(admin, S.SUBMITTED, at=SUBMITTED_AT)
    asked = at(dt.date(2026, 3, 20), 9)
    waiting = await processing.act(
        cast.session,
        await cast.access(officer),
        dossier.id,
        Action.REQUEST_COMPLEMENT,
        message="Joignez la fiche technique.",
        now=asked,
    )
    assert waiting.complement_requested_at == asked
    deadline = current_deadline(waiting, cast.settings, asked)
    assert (deadline.kind, deadline.due) == ("complement", dt.date(2026, 4, 19))
    # Answered: submitted again (submit_dossier sets a new submission date), the acceptance time runs from then.
    answered = Dossier(
        status=S.SUBMITTED,
        submitted_at=at(dt.date(2026, 4, 10), 15),
        complement_requested_at=waiting.complement_requested_at,
    )
    deadline = current_deadline(answered, cast.settings, at(dt.date(2026, 4, 10), 15))
    assert (deadline.kind, deadline.due) == ("acceptance", dt.date(2026, 5, 10))


async def test_the_hearing_starts_when_the_intended_refusal_is_notified(cast, people_):
    admin, officer = people_
    dossier = await cast.dossier(admin, S.ACCEPTED, at=SUBMITTED_AT)
    notified = dt.datetime(2026, 6, 30, 17, 0, tzinfo=dt.UTC)
    hearing = await processing.act(
        cast.session,
        await cast.access(officer),
        dossier.id,
        Action.NOTIFY_INTENDED_REFUSAL,
        message="Garanties insuffisantes.",
        now=notified,
    )
    assert hearing.hearing_started_at == notified
    deadline = current_deadline(hearing, cast.settings, notified)
    assert (deadline.kind, deadline.due, deadline.overdue) == ("hearing", dt.date(2026, 7, 30), False)
    assert current_deadline(hearing, cast.settings, at(dt.date(2026, 7, 31), 0, 0)).overdue is True


async def test_a_shorter_decision_time_in_the_settings_is_applied_at_acceptance(cast, people_):
    admin, officer = people_
    dossier = await cast.dossier(admin, S.SUBMITTED, at=SUBMITTED_AT)
    short = replace(cast.settings, decision_days=10)
    cast.session.info["settings"] = short
    try:
        now = at(dt.date(2026, 3, 10), 10)
        accepted = await processing.act(
            cast.session, await cast.access(officer), dossier.id, Action.ACCEPT, now=now
        )
    finally:
        cast.session.info["settings"] = cast.settings
    assert accepted.decision_deadline == dt.date(2026, 3, 20)
    assert current_deadline(accepted, short, now).due == dt.date(2026, 3, 20)
    assert current_deadline(accepted, short, at(dt.date(2026, 3, 21), 0, 0)).overdue is True


async def accepted_on(cast: Cast, admin, officer, day: dt.date) -> Dossier:
    dossier = await cast.dossier(admin, S.SUBMITTED, at=at(day - dt.timedelta(days=3)))
    return await processing.act(
        cast.session, await cast.access(officer), dossier.id, Action.ACCEPT, now=at(day, 8)
    )


async def test_customs_extend_the_decision_deadline_with_a_reason_and_a_later_date(cast, people_):
    admin, officer = people_
    dossier = await accepted_on(cast, admin, officer, dt.date(2026, 3, 1))
    assert dossier.decision_deadline == dt.date(2026, 6, 29)
    before = len(await cast.events(dossier.id))
    now = at(dt.date(2026, 6, 20), 11)
    extended = await processing.extend_decision_deadline(
        cast.session,
        await cast.access(officer),
        dossier.id,
        dt.date(2026, 8, 31),
        "  Expertise du laboratoire des douanes en cours.  ",
        now=now,
    )
    assert extended.status is S.ACCEPTED
    assert extended.decision_deadline == dt.date(2026, 8, 31)
    assert extended.deadline_extension_reason == "Expertise du laboratoire des douanes en cours."
    deadline = current_deadline(extended, cast.settings, now)
    assert (deadline.kind, deadline.due, deadline.overdue, deadline.extended, deadline.extension_reason) == (
        "decision",
        dt.date(2026, 8, 31),
        False,
        True,
        "Expertise du laboratoire des douanes en cours.",
    )
    # Past the first date, not late any more; late the day after the new one.
    assert current_deadline(extended, cast.settings, at(dt.date(2026, 7, 15))).overdue is False
    assert current_deadline(extended, cast.settings, at(dt.date(2026, 9, 1), 0, 0)).overdue is True
    events = await cast.events(dossier.id)
    assert len(events) == before + 1
    row = events[-1]
    assert (row.kind, row.actor_id, row.at, row.from_status, row.to_status) == (
        "deadline_extended",
        officer.id,
        now,
        None,
        None,
    )
    assert (
        row.message
        == "Délai de décision prolongé jusqu'au 31/08/2026 : Expertise du laboratoire des douanes en cours."
    )
    # A second extension must follow the extended date.
    with pytest.raises(DomainError) as refused_:
        await processing.extend_decision_deadline(
            cast.session, await cast.access(officer), dossier.id, dt.date(2026, 8, 1), "Encore.", now=now
        )
    assert (refused_.value.code, refused_.value.field) == ("INVALID", "newDate")
    assert "31/08/2026" in refused_.value.message
    again = await processing.extend_decision_deadline(
        cast.session, await cast.access(officer), dossier.id, dt.date(2026, 9, 30), "Contre-expertise.", now=now
    )
    assert again.decision_deadline == dt.date(2026, 9, 30)
    assert again.deadline_extension_reason == "Contre-expertise."


@pytest.mark.parametrize("new_date", [dt.date(2026, 6, 28), dt.date(2026, 6, 29)], ids=["earlier", "same"])
async def test_an_extension_to_an_earlier_or_the_same_date_is_refused(cast, people_, new_date):
    admin, officer = people_
    dossier = await accepted_on(cast, admin, officer, dt.date(2026, 3, 1))
    before = len(await cast.events(dossier.id))
    with pytest.raises(DomainError) as refused_:
        await processing.extend_decision_deadline(
            cast.session, await cast.access(officer), dossier.id, new_date, "Motif.", now=at(dt.date(2026, 6, 1))
        )
    assert (refused_.value.code, refused_.value.field) == ("INVALID", "newDate")
    assert refused_.value.message == "La nouvelle date doit suivre l'échéance actuelle (29/06/2026)."
    stored = await cast.reload(dossier.id)
    assert (stored.decision_deadline, stored.deadline_extension_reason) == (dt.date(2026, 6, 29), None)
    assert len(await cast.events(dossier.id)) == before


async def test_an_extension_needs_a_reason(cast, people_):
    admin, officer = people_
    dossier = await accepted_on(cast, admin, officer, dt.date(2026, 3, 1))
    with pytest.raises(DomainError) as refused_:
        await processing.extend_decision_deadline(
            cast.session,
            await cast.access(officer),
            dossier.id,
            dt.date(2026, 8, 1),
            "   ",
            now=at(dt.date(2026, 6, 1)),
        )
    assert refused_.value.code == "MESSAGE_REQUIRED"
    assert refused_.value.message == "Motif de la prolongation : ce message est obligatoire."
    assert (await cast.reload(dossier.id)).decision_deadline == dt.date(2026, 6, 29)


async def test_the_missing_reason_names_the_reason_field(cast, people_):
    """The GraphQL argument is `reason`: the error must name it, as `newDate` is named for the date."""
    admin, officer = people_
    dossier = await accepted_on(cast, admin, officer, dt.date(2026, 3, 1))
    with pytest.raises(DomainError) as refused_:
        await processing.extend_decision_deadline(
            cast.session,
            await cast.access(officer),
            dossier.id,
            dt.date(2026, 8, 1),
            "",
            now=at(dt.date(2026, 6, 1)),
        )
    assert refused_.value.field == "reason"


@pytest.mark.parametrize(
    "status", [S.SUBMITTED, S.HEARING, S.GRANTED, S.COMPLEMENT_REQUESTED], ids=lambda s: s.value
)
async def test_only_an_accepted_dossier_has_its_decision_deadline_extended(cast, people_, status):
    admin, officer = people_
    dossier = await cast.dossier(admin, status, at=SUBMITTED_AT)
    with pytest.raises(DomainError) as refused_:
        await processing.extend_decision_deadline(
            cast.session, await cast.access(officer), dossier.id, dt.date(2027, 1, 1), "Motif.", now=SUBMITTED_AT
        )
    assert refused_.value.code == "FORBIDDEN_TRANSITION"
    assert refused_.value.message == (
        f"Le délai de décision ne se prolonge que pour un dossier accepté (celui-ci est {status.label})."
    )
    stored = await cast.reload(dossier.id)
    assert (stored.decision_deadline, stored.deadline_extension_reason) == (None, None)


async def test_only_the_competent_office_extends(cast, people_):
    admin, officer = people_
    dossier = await accepted_on(cast, admin, officer, dt.date(2026, 3, 1))
    elsewhere = await cast.officer("FR002300")
    for who, code in ((admin, "FORBIDDEN"), (elsewhere, "NOT_FOUND")):
        with pytest.raises(DomainError) as refused_:
            await processing.extend_decision_deadline(
                cast.session, await cast.access(who), dossier.id, dt.date(2026, 12, 1), "Motif.", now=SUBMITTED_AT
            )
        assert refused_.value.code == code
    assert (await cast.reload(dossier.id)).decision_deadline == dt.date(2026, 6, 29)


# --- over GraphQL: what each side sees --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sophie(people):
    return people(SOPHIE)


@pytest.fixture(scope="module")
def claire(people):
    return people(CLAIRE, accept=False)


@pytest.fixture(scope="module")
def hugo(people):
    return people(HUGO, accept=False)


def day(value: str) -> dt.date:
    """The French calendar day of an API timestamp (deadlines count Paris days, not UTC ones)."""
    return french_day(dt.datetime.fromisoformat(value.replace("Z", "+00:00")))


def test_each_side_sees_the_current_deadline(sophie, claire):
    dossier = bring_to("SUBMITTED", sophie, claire)
    submitted = day(dossier["submittedAt"])
    expected = {
        "kind": "acceptance",
        "label": "Délai d'acceptation de la demande",
        "due": (submitted + dt.timedelta(days=30)).isoformat(),
        "overdue": False,
        "extended": False,
        "extensionReason": None,
    }
    assert get(sophie, dossier["id"])["deadline"] == expected
    assert get(claire, dossier["id"])["deadline"] == expected
    act(claire, dossier["id"], "ACCEPT")
    today = paris_today()
    decision = get(sophie, dossier["id"])["deadline"]
    assert decision == {
        "kind": "decision",
        "label": "Délai de décision",
        "due": (today + dt.timedelta(days=120)).isoformat(),
        "overdue": False,
        "extended": False,
        "extensionReason": None,
    }
    act(claire, dossier["id"], "NOTIFY_INTENDED_REFUSAL", "Motifs.")
    hearing = get(sophie, dossier["id"])["deadline"]
    assert (hearing["kind"], hearing["label"], hearing["due"]) == (
        "hearing",
        "Délai du droit d'être entendu",
        (today + dt.timedelta(days=30)).isoformat(),
    )
    act(claire, dossier["id"], "GRANT")
    assert get(sophie, dossier["id"])["deadline"] is None


def test_the_applicant_sees_the_extended_date_and_its_reason(sophie, claire):
    dossier = bring_to("ACCEPTED", sophie, claire)
    today = paris_today()
    new_date = today + dt.timedelta(days=150)
    reason = "Analyse de l'échantillon par le laboratoire des douanes."
    extended = ok(claire, EXTEND, {"id": dossier["id"], "newDate": new_date.isoformat(), "reason": reason})[
        "extendDecisionDeadline"
    ]
    assert extended["status"] == "ACCEPTED"
    assert extended["deadline"]["due"] == new_date.isoformat()
    seen = get(sophie, dossier["id"])
    assert seen["deadline"] == {
        "kind": "decision",
        "label": "Délai de décision",
        "due": new_date.isoformat(),
        "overdue": False,
        "extended": True,
        "extensionReason": reason,
    }
    last = seen["history"][-1]
    assert (last["kind"], last["label"], last["actorName"], last["actorSide"]) == (
        "DEADLINE_EXTENDED",
        "Délai de décision prolongé",
        "Claire Bernard",
        "CUSTOMS",
    )
    assert last["message"] == f"Délai de décision prolongé jusqu'au {new_date:%d/%m/%Y} : {reason}"


def test_an_extension_over_graphql_is_checked(sophie, claire, hugo):
    dossier = bring_to("ACCEPTED", sophie, claire)
    due = paris_today() + dt.timedelta(days=120)
    for new_date in (due - dt.timedelta(days=1), due):
        error = refused(claire, EXTEND, {"id": dossier["id"], "newDate": new_date.isoformat(), "reason": "Motif."})
        assert code_of(error) == "INVALID"
        assert error["extensions"]["field"] == "newDate"
        assert error["message"] == f"La nouvelle date doit suivre l'échéance actuelle ({due:%d/%m/%Y})."
    later = (due + dt.timedelta(days=30)).isoformat()
    assert code_of(refused(claire, EXTEND, {"id": dossier["id"], "newDate": later, "reason": " "})) == (
        "MESSAGE_REQUIRED"
    )
    assert code_of(refused(sophie, EXTEND, {"id": dossier["id"], "newDate": later, "reason": "Motif."})) == (
        "FORBIDDEN"
    )
    assert code_of(refused(hugo, EXTEND, {"id": dossier["id"], "newDate": later, "reason": "Motif."})) == (
        "NOT_FOUND"
    )
    submitted = bring_to("SUBMITTED", sophie, claire)
    error = refused(claire, EXTEND, {"id": submitted["id"], "newDate": later, "reason": "Motif."})
    assert code_of(error) == "FORBIDDEN_TRANSITION"
    assert "accepté" in error["message"]
    seen = get(sophie, dossier["id"])["deadline"]
    assert (seen["due"], seen["extended"]) == (due.isoformat(), False)


async def test_an_unanswered_complement_comes_back_to_customs_once_its_time_is_over(cast):
    """« À traiter » for customs once the applicant's time is over, like an expired hearing; « en attente » before."""
    from backend.dossiers import dashboards
    from tests.processing_support import new_office

    office = new_office()
    admin, officer = await cast.professional(), await cast.officer(office)
    now = at(dt.date(2026, 6, 1), 10)
    late = await cast.dossier(
        admin, S.COMPLEMENT_REQUESTED, office=office, complement_requested_at=now - dt.timedelta(days=31)
    )
    recent = await cast.dossier(
        admin, S.COMPLEMENT_REQUESTED, office=office, complement_requested_at=now - dt.timedelta(days=30)
    )
    access = await cast.access(officer)
    todo = await dashboards.dashboard(cast.session, access, bucket=dashboards.Bucket.TODO, now=now)
    waiting = await dashboards.dashboard(cast.session, access, bucket=dashboards.Bucket.WAITING, now=now)
    assert [d.id for d, _ in todo.rows] == [late.id]
    assert [d.id for d, _ in waiting.rows] == [recent.id]
    assert current_deadline(late, cast.settings, now).overdue is True
    assert current_deadline(recent, cast.settings, now).overdue is False
    # The applicant still has it to do, overdue or not.
    mine = await dashboards.dashboard(
        cast.session, await cast.access(admin), bucket=dashboards.Bucket.TODO, now=now
    )
    assert {d.id for d, _ in mine.rows} == {late.id, recent.id}
