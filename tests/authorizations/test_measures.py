"""Customs measures on an issued authorisation (issue 11), in the domain, on the suite's real database: suspension in
its three cases and its lifting, revocation (immediate or deferred by up to a year), annulment (from the original
date), re-assessment. Each measure writes exactly one history entry (who, when, why); each refusal writes nothing and
changes nothing; only an officer of the issuing office may take one. The clock is moved with `now=` and
`rules.state_on(day)`.

A measure adverse to the holder (a suspension in case a or b, a revocation, an annulment) is taken once the holder has
been heard (tests/authorizations/test_hearing.py proves that rule): here each one is preceded by `heard()` — the
notice on NOTICE and the holder's observations on ANSWERED, both before LATER — and a suspension in case c or a
revocation at the holder's request by the holder's request (`asked()`). Those entries are written before the
`before` snapshot, so "exactly one entry" still counts the measure's own.

The test database has no event hub (`session.info["hub"]` is None), so what `notify.publish` sends is not tested
here."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pytest
from sqlmodel import select

from backend.authorizations import exchanges, measures, reading
from backend.authorizations.exchanges import HolderRequest
from backend.authorizations.hearing import AdverseMeasure
from backend.authorizations.issuing import EventKind
from backend.authorizations.measures import MeasureRefused, SuspensionCase
from backend.authorizations.models import Authorization, AuthorizationEvent, AuthorizationState
from backend.authorizations.rules import GrantTerms, add_years, state_on
from backend.dossiers import processing
from backend.dossiers.models import DossierStatus
from backend.dossiers.workflow import Action
from backend.errors import FieldErrors, Forbidden, NotFound
from backend.identity.models import Operator, Right, User
from tests.processing_support import OTHER_OFFICE, Cast

NOW = dt.datetime(2026, 7, 1, 9, 30, tzinfo=dt.UTC)  # the grant
TODAY = dt.date(2026, 7, 1)  # valid from
UNTIL = dt.date(2028, 6, 30)  # valid until
LATER = dt.datetime(2026, 7, 4, 8, 15, 30, tzinfo=dt.UTC)  # when the measures are taken
LATER_DAY = dt.date(2026, 7, 4)  # that day in France
NOTICE = dt.datetime(2026, 7, 2, 8, 0, tzinfo=dt.UTC)  # customs notify the measure they intend (before LATER)
ANSWERED = dt.datetime(2026, 7, 3, 14, 0, tzinfo=dt.UTC)  # the holder's observations (before LATER)
ASKED = dt.datetime(2026, 7, 2, 10, 0, tzinfo=dt.UTC)  # the holder's own request (before LATER)
AFTER_EXPIRY = dt.datetime(2028, 7, 1, 8, 0, tzinfo=dt.UTC)
REASON = "Les relevés trimestriels n'ont pas été transmis."
S = AuthorizationState


@pytest.fixture
async def cast(live_server, database) -> AsyncIterator[Cast]:
    async with database.session() as session:
        yield Cast(session, live_server.settings)


@dataclass
class Issued:
    authorization: Authorization
    admin: User  # the holder's administrator
    officer: User  # the officer of the issuing office who granted it

    @property
    def id(self) -> int:
        assert self.authorization.id is not None
        return self.authorization.id


async def granted(cast: Cast) -> Issued:
    """A fresh operator's dossier, granted on NOW by an officer of FR000690, valid from TODAY to UNTIL."""
    admin = await cast.professional()
    officer = await cast.officer()
    dossier = await cast.dossier(admin, DossierStatus.ACCEPTED, at=NOW - dt.timedelta(days=10))
    terms = GrantTerms(TODAY, UNTIL, "Tenue d'une comptabilité matières.")
    await processing.act(cast.session, await cast.access(officer), dossier.id, Action.GRANT, grant=terms, now=NOW)
    return Issued(await reading.authorization_of_dossier(cast.session, dossier.id), admin, officer)


@dataclass
class Stored:
    """What the database holds for one authorisation, read in a session of its own."""

    columns: dict[str, Any]
    events: list[dict[str, Any]]


async def stored(database, authorization_id: int) -> Stored:
    async with database.session() as session:
        row = await session.get(Authorization, authorization_id)
        assert row is not None
        events = await session.exec(
            select(AuthorizationEvent)
            .where(AuthorizationEvent.authorization_id == authorization_id)
            .order_by(AuthorizationEvent.id)
        )
        return Stored(row.model_dump(), [e.model_dump() for e in events.all()])


async def assert_nothing_changed(cast: Cast, database, issued: Issued, before: Stored) -> None:
    """Neither the database nor the session's copy of the authorisation moved."""
    after = await stored(database, issued.id)
    assert after.columns == before.columns
    assert after.events == before.events
    in_session = await cast.session.get(Authorization, issued.id)
    assert in_session is not None and in_session.model_dump() == before.columns


async def the_new_event(database, issued: Issued, before: Stored) -> dict[str, Any]:
    """The one history row a measure wrote (and it wrote exactly one)."""
    after = await stored(database, issued.id)
    assert after.events[: len(before.events)] == before.events
    [event] = after.events[len(before.events) :]
    return event


HEARING_FIELDS = ("intended_measure", "intended_reason", "hearing_started_at", "hearing_answered_at")


async def heard(
    cast: Cast,
    issued: Issued,
    measure: AdverseMeasure,
    *,
    notified: dt.datetime = NOTICE,
    answered: dt.datetime = ANSWERED,
) -> None:
    """The holder heard on `measure` before it is taken: the issuing officer notifies it with its grounds at
    `notified`, the holder's administrator presents observations at `answered`."""
    await measures.notify_intended(
        cast.session, await cast.access(issued.officer), issued.id, measure=measure, reason=REASON, now=notified
    )
    await exchanges.answer_hearing(
        cast.session, await cast.access(issued.admin), issued.id, "Nous contestons ces motifs.", now=answered
    )


async def asked(cast: Cast, issued: Issued, kind: HolderRequest, *, at: dt.datetime = ASKED) -> None:
    """The holder's administrator asks customs for the measure (not adverse then: no hearing)."""
    await exchanges.ask_customs(
        cast.session, await cast.access(issued.admin), issued.id, kind, "Arrêt de l'activité.", now=at
    )


async def ready_to_suspend(cast: Cast, issued: Issued, case: SuspensionCase) -> None:
    """What a suspension in `case` needs first: the holder's request (c) or their hearing (a, b)."""
    if case is SuspensionCase.HOLDER_REQUEST:
        await asked(cast, issued, HolderRequest.SUSPEND)
    else:
        await heard(cast, issued, AdverseMeasure.SUSPEND)


# --- suspension ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", list(SuspensionCase))
async def test_a_suspension_in_each_case_applies_between_its_dates_and_writes_one_entry(cast, database, case):
    issued = await granted(cast)
    officer = await cast.access(issued.officer)
    await ready_to_suspend(cast, issued, case)
    before = await stored(database, issued.id)
    start, end = dt.date(2026, 7, 10), dt.date(2026, 8, 9)
    result = await measures.suspend(
        cast.session, officer, issued.id, case=case, reason=f"  {REASON}  ", start=start, end=end, now=LATER
    )
    assert (result.suspended_from, result.suspended_until, result.suspension_case) == (start, end, case.value)
    assert result.updated_at == LATER
    days = {
        dt.date(2026, 7, 9): S.ACTIVE,
        start: S.SUSPENDED,
        dt.date(2026, 7, 25): S.SUSPENDED,
        end: S.SUSPENDED,
        dt.date(2026, 8, 10): S.ACTIVE,
    }
    assert {day: state_on(result, day) for day in days} == days
    event = await the_new_event(database, issued, before)
    assert (event["kind"], event["actor_id"], event["at"], event["version"]) == (
        EventKind.SUSPENDED,
        issued.officer.id,
        LATER,
        1,
    )
    assert event["message"] == f"Suspendue du 10/07/2026 au 09/08/2026 — {case.label}. Motif : {REASON}"
    columns = (await stored(database, issued.id)).columns
    assert columns["suspension_case"] == case.value
    # The suspension closes what preceded it: the hearing (a, b) or the holder's request (c).
    assert [columns[name] for name in HEARING_FIELDS] == [None] * 4
    assert columns["holder_request"] is None


async def test_a_suspension_without_an_end_lasts_until_further_notice(cast, database):
    issued = await granted(cast)
    await asked(cast, issued, HolderRequest.SUSPEND)
    before = await stored(database, issued.id)
    result = await measures.suspend(
        cast.session,
        await cast.access(issued.officer),
        issued.id,
        case=SuspensionCase.HOLDER_REQUEST,
        reason=REASON,
        start=LATER_DAY,
        end=None,
        now=LATER,
    )
    assert state_on(result, dt.date(2026, 7, 3)) is S.ACTIVE
    assert state_on(result, LATER_DAY) is S.SUSPENDED
    assert state_on(result, UNTIL) is S.SUSPENDED  # its last day of validity, still suspended
    assert state_on(result, UNTIL + dt.timedelta(days=1)) is S.EXPIRED
    event = await the_new_event(database, issued, before)
    assert event["message"].startswith("Suspendue du 04/07/2026, jusqu'à nouvel ordre — ")


@pytest.mark.parametrize(
    ("reason", "start", "end", "fields", "words"),
    [
        ("", LATER_DAY, None, ["reason"], "Indiquez le motif"),
        ("   ", LATER_DAY, None, ["reason"], "Indiquez le motif"),
        ("x" * (measures.MAX_REASON + 1), LATER_DAY, None, ["reason"], "trop long"),
        (REASON, None, None, ["suspendedFrom"], "Indiquez la date de début"),
        (REASON, dt.date(2026, 7, 3), None, ["suspendedFrom"], "avant aujourd'hui"),
        (REASON, dt.date(2026, 7, 10), dt.date(2026, 7, 9), ["suspendedUntil"], "doit suivre son début"),
        ("", dt.date(2026, 7, 3), dt.date(2026, 7, 2), ["reason", "suspendedFrom", "suspendedUntil"], "motif"),
    ],
    ids=["no-reason", "blank-reason", "long-reason", "no-start", "start-yesterday", "end-before-start", "all"],
)
async def test_a_suspension_with_bad_terms_is_refused_field_by_field_and_changes_nothing(
    cast, database, reason, start, end, fields, words
):
    issued = await granted(cast)
    await heard(cast, issued, AdverseMeasure.SUSPEND)  # so that only the terms are wrong
    before = await stored(database, issued.id)
    with pytest.raises(FieldErrors) as refused:
        await measures.suspend(
            cast.session,
            await cast.access(issued.officer),
            issued.id,
            case=SuspensionCase.GROUNDS_EXAMINED,
            reason=reason,
            start=start,
            end=end,
            now=LATER,
        )
    assert [field for field, _ in refused.value.problems] == fields
    assert refused.value.code == "INVALID" and words in refused.value.problems[0][1]
    await assert_nothing_changed(cast, database, issued, before)
    assert before.columns["intended_measure"] == "suspend"  # the refused measure leaves the hearing as it was


async def test_a_suspension_may_start_today_and_end_the_same_day(cast):
    issued = await granted(cast)
    await heard(cast, issued, AdverseMeasure.SUSPEND)
    result = await measures.suspend(
        cast.session,
        await cast.access(issued.officer),
        issued.id,
        case=SuspensionCase.CONDITIONS_NOT_MET,
        reason=REASON,
        start=LATER_DAY,
        end=LATER_DAY,
        now=LATER,
    )
    assert state_on(result, LATER_DAY) is S.SUSPENDED
    assert state_on(result, LATER_DAY + dt.timedelta(days=1)) is S.ACTIVE


async def test_an_authorisation_already_suspended_is_not_suspended_again(cast, database):
    issued = await granted(cast)
    officer = await cast.access(issued.officer)
    await asked(cast, issued, HolderRequest.SUSPEND)
    await measures.suspend(
        cast.session, officer, issued.id, case=SuspensionCase.HOLDER_REQUEST, reason=REASON, start=LATER_DAY,
        end=None, now=LATER,
    )  # fmt: skip
    before = await stored(database, issued.id)
    # No hearing can precede a second one: its notice is refused too, and the suspension in force is checked first.
    with pytest.raises(MeasureRefused) as notice_refused:
        await measures.notify_intended(
            cast.session, officer, issued.id, measure=AdverseMeasure.SUSPEND, reason="Autre motif.",
            now=LATER + dt.timedelta(days=1),
        )  # fmt: skip
    assert notice_refused.value.message == "Une suspension est déjà en cours ou prévue."
    with pytest.raises(MeasureRefused) as refused:
        await measures.suspend(
            cast.session, officer, issued.id, case=SuspensionCase.GROUNDS_EXAMINED, reason="Autre motif.",
            start=dt.date(2026, 8, 1), end=None, now=LATER + dt.timedelta(days=1),
        )  # fmt: skip
    assert refused.value.code == "FORBIDDEN_TRANSITION"
    assert refused.value.message == ALREADY_SUSPENDED
    await assert_nothing_changed(cast, database, issued, before)
    assert before.columns["suspension_case"] == SuspensionCase.HOLDER_REQUEST.value


ALREADY_SUSPENDED = (
    "Une suspension est déjà en cours ou prévue : levez-la d'abord (une seule suspension à la fois)."
)


async def test_a_scheduled_suspension_is_not_silently_replaced_by_another(cast, database):
    """A suspension planned for later blocks a second one too: its dates and case stay, the history says one."""
    issued = await granted(cast)
    officer = await cast.access(issued.officer)
    await asked(cast, issued, HolderRequest.SUSPEND)
    await measures.suspend(
        cast.session, officer, issued.id, case=SuspensionCase.HOLDER_REQUEST, reason=REASON,
        start=LATER_DAY + dt.timedelta(days=30), end=None, now=LATER,
    )  # fmt: skip
    before = await stored(database, issued.id)
    with pytest.raises(MeasureRefused) as refused:
        await measures.suspend(
            cast.session, officer, issued.id, case=SuspensionCase.GROUNDS_EXAMINED, reason="Autre motif.",
            start=LATER_DAY, end=None, now=LATER,
        )  # fmt: skip
    assert refused.value.message == ALREADY_SUSPENDED
    await assert_nothing_changed(cast, database, issued, before)


# --- lifting a suspension --------------------------------------------------------------------------------------------


async def test_lifting_a_suspension_in_force_makes_the_authorisation_active_again(cast, database):
    issued = await granted(cast)
    officer = await cast.access(issued.officer)
    await heard(cast, issued, AdverseMeasure.SUSPEND)
    await measures.suspend(
        cast.session, officer, issued.id, case=SuspensionCase.GROUNDS_EXAMINED, reason=REASON, start=LATER_DAY,
        end=dt.date(2026, 9, 30), now=LATER,
    )  # fmt: skip
    lifted_at = LATER + dt.timedelta(days=5)
    assert state_on(issued.authorization, dt.date(2026, 7, 9)) is S.SUSPENDED
    before = await stored(database, issued.id)
    result = await measures.lift_suspension(
        cast.session, officer, issued.id, reason="  Les relevés ont été transmis.  ", now=lifted_at
    )
    assert (result.suspended_from, result.suspended_until, result.suspension_case) == (None, None, None)
    assert state_on(result, dt.date(2026, 7, 9)) is S.ACTIVE
    assert state_on(result, dt.date(2026, 9, 30)) is S.ACTIVE
    event = await the_new_event(database, issued, before)
    assert (event["kind"], event["actor_id"], event["at"]) == (
        EventKind.SUSPENSION_LIFTED,
        issued.officer.id,
        lifted_at,
    )
    assert event["message"] == "Motif : Les relevés ont été transmis."
    assert (await stored(database, issued.id)).columns["suspended_from"] is None


async def test_a_suspension_still_to_come_may_be_lifted(cast):
    issued = await granted(cast)
    officer = await cast.access(issued.officer)
    await asked(cast, issued, HolderRequest.SUSPEND)
    await measures.suspend(
        cast.session, officer, issued.id, case=SuspensionCase.HOLDER_REQUEST, reason=REASON,
        start=dt.date(2026, 9, 1), end=None, now=LATER,
    )  # fmt: skip
    result = await measures.lift_suspension(cast.session, officer, issued.id, reason="Demande retirée.", now=LATER)
    assert result.suspended_from is None and state_on(result, dt.date(2026, 9, 15)) is S.ACTIVE


async def test_lifting_is_refused_when_there_is_no_suspension_to_lift(cast, database):
    issued = await granted(cast)
    officer = await cast.access(issued.officer)
    before = await stored(database, issued.id)
    with pytest.raises(MeasureRefused) as refused:
        await measures.lift_suspension(cast.session, officer, issued.id, reason=REASON, now=LATER)
    assert refused.value.code == "FORBIDDEN_TRANSITION"
    assert refused.value.message == "Aucune suspension en cours ou à venir à lever."
    await assert_nothing_changed(cast, database, issued, before)


async def test_a_suspension_that_has_ended_is_no_longer_lifted(cast, database):
    issued = await granted(cast)
    officer = await cast.access(issued.officer)
    await heard(cast, issued, AdverseMeasure.SUSPEND)
    await measures.suspend(
        cast.session, officer, issued.id, case=SuspensionCase.CONDITIONS_NOT_MET, reason=REASON,
        start=LATER_DAY, end=dt.date(2026, 7, 31), now=LATER,
    )  # fmt: skip
    before = await stored(database, issued.id)
    with pytest.raises(MeasureRefused, match="Aucune suspension"):
        await measures.lift_suspension(
            cast.session, officer, issued.id, reason=REASON, now=dt.datetime(2026, 8, 1, 8, 0, tzinfo=dt.UTC)
        )
    await assert_nothing_changed(cast, database, issued, before)


async def test_lifting_without_a_reason_is_refused_and_the_suspension_stays(cast, database):
    issued = await granted(cast)
    officer = await cast.access(issued.officer)
    await heard(cast, issued, AdverseMeasure.SUSPEND)
    await measures.suspend(
        cast.session, officer, issued.id, case=SuspensionCase.GROUNDS_EXAMINED, reason=REASON, start=LATER_DAY,
        end=None, now=LATER,
    )  # fmt: skip
    before = await stored(database, issued.id)
    with pytest.raises(FieldErrors) as refused:
        await measures.lift_suspension(cast.session, officer, issued.id, reason=" ", now=LATER)
    assert [field for field, _ in refused.value.problems] == ["reason"]
    await assert_nothing_changed(cast, database, issued, before)
    assert state_on(issued.authorization, LATER_DAY) is S.SUSPENDED


# --- revocation ------------------------------------------------------------------------------------------------------


async def test_an_immediate_revocation_takes_effect_today(cast, database):
    issued = await granted(cast)
    await heard(cast, issued, AdverseMeasure.REVOKE)
    before = await stored(database, issued.id)
    result = await measures.revoke(
        cast.session, await cast.access(issued.officer), issued.id, reason=REASON, effective=None, now=LATER
    )
    assert result.revoked_from == LATER_DAY
    assert state_on(result, dt.date(2026, 7, 3)) is S.ACTIVE
    assert state_on(result, LATER_DAY) is S.REVOKED
    event = await the_new_event(database, issued, before)
    assert (event["kind"], event["actor_id"], event["at"]) == (EventKind.REVOKED, issued.officer.id, LATER)
    assert event["message"] == f"Effet immédiat. Motif : {REASON}"
    assert [(await stored(database, issued.id)).columns[name] for name in HEARING_FIELDS] == [None] * 4


async def test_a_deferred_revocation_is_active_the_day_before_and_revoked_from_its_date(cast, database):
    issued = await granted(cast)
    officer = await cast.access(issued.officer)
    await heard(cast, issued, AdverseMeasure.REVOKE)
    before = await stored(database, issued.id)
    effective = dt.date(2026, 10, 1)
    result = await measures.revoke(cast.session, officer, issued.id, reason=REASON, effective=effective, now=LATER)
    assert result.revoked_from == effective
    assert state_on(result, LATER_DAY) is S.ACTIVE
    assert state_on(result, dt.date(2026, 9, 30)) is S.ACTIVE
    assert state_on(result, effective) is S.REVOKED
    event = await the_new_event(database, issued, before)
    assert event["message"] == f"Effet reporté au 01/10/2026. Motif : {REASON}"
    # The clock moves: the day before, the authorisation is still in force and may be suspended (once the holder has
    # been heard on that suspension, in September); from its date on, it is revoked and a suspension is refused.
    await heard(
        cast, issued, AdverseMeasure.SUSPEND, notified=dt.datetime(2026, 9, 1, 8, 0, tzinfo=dt.UTC),
        answered=dt.datetime(2026, 9, 2, 8, 0, tzinfo=dt.UTC),
    )  # fmt: skip
    with pytest.raises(MeasureRefused) as refused:
        await measures.suspend(
            cast.session, officer, issued.id, case=SuspensionCase.GROUNDS_EXAMINED, reason=REASON,
            start=effective, end=None, now=dt.datetime(2026, 10, 1, 6, 0, tzinfo=dt.UTC),
        )  # fmt: skip
    assert refused.value.message == "Impossible de suspendre l'autorisation : l'autorisation est révoquée."
    suspended = await measures.suspend(
        cast.session, officer, issued.id, case=SuspensionCase.GROUNDS_EXAMINED, reason=REASON,
        start=dt.date(2026, 9, 30), end=None, now=dt.datetime(2026, 9, 30, 6, 0, tzinfo=dt.UTC),
    )  # fmt: skip
    assert state_on(suspended, dt.date(2026, 9, 30)) is S.SUSPENDED
    assert state_on(suspended, effective) is S.REVOKED  # revocation wins over the suspension


async def test_a_revocation_may_be_deferred_by_exactly_one_year(cast):
    issued = await granted(cast)
    await heard(cast, issued, AdverseMeasure.REVOKE)
    last = add_years(LATER_DAY, 1)
    result = await measures.revoke(
        cast.session, await cast.access(issued.officer), issued.id, reason=REASON, effective=last, now=LATER
    )
    assert result.revoked_from == dt.date(2027, 7, 4)
    assert state_on(result, dt.date(2027, 7, 3)) is S.ACTIVE


@pytest.mark.parametrize(
    ("reason", "effective", "fields", "words"),
    [
        (REASON, dt.date(2027, 7, 5), ["effective"], ["d'un an au plus", "art. 28", "au plus tard le 04/07/2027"]),
        (REASON, dt.date(2026, 7, 3), ["effective"], ["avant aujourd'hui"]),
        ("", None, ["reason"], ["Indiquez le motif"]),
        ("", dt.date(2028, 1, 1), ["reason", "effective"], ["Indiquez le motif"]),
    ],
    ids=["a-year-and-a-day", "yesterday", "no-reason", "no-reason-and-too-late"],
)
async def test_a_revocation_with_bad_terms_is_refused_and_changes_nothing(
    cast, database, reason, effective, fields, words
):
    issued = await granted(cast)
    await heard(cast, issued, AdverseMeasure.REVOKE)  # so that only the terms are wrong
    before = await stored(database, issued.id)
    with pytest.raises(FieldErrors) as refused:
        await measures.revoke(
            cast.session,
            await cast.access(issued.officer),
            issued.id,
            reason=reason,
            effective=effective,
            now=LATER,
        )
    assert [field for field, _ in refused.value.problems] == fields
    assert all(word in refused.value.problems[0][1] for word in words), refused.value.problems
    if "effective" in fields:
        [message] = [m for f, m in refused.value.problems if f == "effective"]
        assert "04/07/2027" in message or "avant aujourd'hui" in message
    await assert_nothing_changed(cast, database, issued, before)


@pytest.mark.parametrize(
    ("first", "message"),
    [
        (None, "Impossible de révoquer l'autorisation : l'autorisation est révoquée."),
        (dt.date(2026, 12, 1), "La révocation est déjà prévue le 01/12/2026."),
    ],
    ids=["immediate", "deferred"],
)
async def test_an_authorisation_is_not_revoked_twice(cast, database, first, message):
    issued = await granted(cast)
    officer = await cast.access(issued.officer)
    await heard(cast, issued, AdverseMeasure.REVOKE)
    await measures.revoke(cast.session, officer, issued.id, reason=REASON, effective=first, now=LATER)
    before = await stored(database, issued.id)
    with pytest.raises(MeasureRefused) as refused:
        await measures.revoke(cast.session, officer, issued.id, reason="Encore.", effective=None, now=LATER)
    assert refused.value.code == "FORBIDDEN_TRANSITION" and refused.value.message == message
    await assert_nothing_changed(cast, database, issued, before)


# --- annulment -------------------------------------------------------------------------------------------------------


async def test_an_annulment_takes_effect_from_the_start_of_validity(cast, database):
    issued = await granted(cast)
    await heard(cast, issued, AdverseMeasure.ANNUL)
    before = await stored(database, issued.id)
    result = await measures.annul(
        cast.session, await cast.access(issued.officer), issued.id, reason=REASON, now=LATER
    )
    assert result.annulled_on == TODAY  # valid_from, not the day of the measure
    for day in (TODAY, LATER_DAY, UNTIL, UNTIL + dt.timedelta(days=1)):
        assert state_on(result, day) is S.ANNULLED, day
    event = await the_new_event(database, issued, before)
    assert (event["kind"], event["actor_id"], event["at"]) == (EventKind.ANNULLED, issued.officer.id, LATER)
    assert event["message"] == f"Effet à compter du 01/07/2026 (CDU, art. 27). Motif : {REASON}"
    assert [(await stored(database, issued.id)).columns[name] for name in HEARING_FIELDS] == [None] * 4


async def test_an_authorisation_is_not_annulled_twice(cast, database):
    issued = await granted(cast)
    officer = await cast.access(issued.officer)
    await heard(cast, issued, AdverseMeasure.ANNUL)
    await measures.annul(cast.session, officer, issued.id, reason=REASON, now=LATER)
    before = await stored(database, issued.id)
    with pytest.raises(MeasureRefused) as refused:
        await measures.annul(cast.session, officer, issued.id, reason="Encore.", now=LATER)
    assert refused.value.code == "FORBIDDEN_TRANSITION"
    assert refused.value.message == "L'autorisation est déjà annulée."
    await assert_nothing_changed(cast, database, issued, before)


async def test_an_annulment_needs_a_reason(cast, database):
    issued = await granted(cast)
    await heard(cast, issued, AdverseMeasure.ANNUL)
    before = await stored(database, issued.id)
    with pytest.raises(FieldErrors) as refused:
        await measures.annul(cast.session, await cast.access(issued.officer), issued.id, reason="", now=LATER)
    assert [field for field, _ in refused.value.problems] == ["reason"]
    await assert_nothing_changed(cast, database, issued, before)


# --- re-assessment ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("on", "shown"), [(None, "04/07/2026"), (dt.date(2026, 7, 2), "02/07/2026")], ids=["today", "earlier"]
)
async def test_a_reassessment_records_a_note_and_changes_nothing_else(cast, database, on, shown):
    issued = await granted(cast)
    before = await stored(database, issued.id)
    result = await measures.reassess(
        cast.session,
        await cast.access(issued.officer),
        issued.id,
        note="  Conditions toujours remplies.  ",
        on=on,
        now=LATER,
    )
    assert state_on(result, LATER_DAY) is S.ACTIVE
    after = await stored(database, issued.id)
    assert after.columns == {**before.columns, "updated_at": LATER}
    event = await the_new_event(database, issued, before)
    assert (event["kind"], event["actor_id"], event["at"]) == (EventKind.REASSESSED, issued.officer.id, LATER)
    assert event["message"] == f"Réexamen du {shown} (CDU, art. 23, § 4) : Conditions toujours remplies."


@pytest.mark.parametrize(
    ("note", "on", "fields"),
    [
        ("", None, ["note"]),
        ("Note.", dt.date(2026, 7, 5), ["on"]),
        ("  ", dt.date(2027, 1, 1), ["note", "on"]),
    ],
    ids=["no-note", "tomorrow", "both"],
)
async def test_a_reassessment_without_a_note_or_in_the_future_is_refused(cast, database, note, on, fields):
    issued = await granted(cast)
    before = await stored(database, issued.id)
    with pytest.raises(FieldErrors) as refused:
        await measures.reassess(
            cast.session, await cast.access(issued.officer), issued.id, note=note, on=on, now=LATER
        )
    assert [field for field, _ in refused.value.problems] == fields
    await assert_nothing_changed(cast, database, issued, before)


# --- every measure: one entry, by whom, when, why; who may take it ----------------------------------------------------

Apply = Callable[[Cast, Any, int, str], Awaitable[Authorization]]


async def _suspend(cast: Cast, access, authorization_id: int, reason: str) -> Authorization:
    return await measures.suspend(
        cast.session, access, authorization_id, case=SuspensionCase.GROUNDS_EXAMINED, reason=reason,
        start=LATER_DAY, end=None, now=LATER,
    )  # fmt: skip


async def _lift(cast: Cast, access, authorization_id: int, reason: str) -> Authorization:
    return await measures.lift_suspension(cast.session, access, authorization_id, reason=reason, now=LATER)


async def _revoke(cast: Cast, access, authorization_id: int, reason: str) -> Authorization:
    return await measures.revoke(cast.session, access, authorization_id, reason=reason, effective=None, now=LATER)


async def _annul(cast: Cast, access, authorization_id: int, reason: str) -> Authorization:
    return await measures.annul(cast.session, access, authorization_id, reason=reason, now=LATER)


async def _reassess(cast: Cast, access, authorization_id: int, reason: str) -> Authorization:
    return await measures.reassess(cast.session, access, authorization_id, note=reason, on=None, now=LATER)


MEASURES: dict[str, tuple[Apply, EventKind]] = {
    "suspend": (_suspend, EventKind.SUSPENDED),
    "lift": (_lift, EventKind.SUSPENSION_LIFTED),
    "revoke": (_revoke, EventKind.REVOKED),
    "annul": (_annul, EventKind.ANNULLED),
    "reassess": (_reassess, EventKind.REASSESSED),
}


async def _suspended_beforehand(cast: Cast, issued: Issued) -> None:
    """lift_suspension needs a suspension to lift: one the holder asked for, taken on the grant's day."""
    await asked(cast, issued, HolderRequest.SUSPEND, at=NOW)
    await measures.suspend(
        cast.session, await cast.access(issued.officer), issued.id, case=SuspensionCase.HOLDER_REQUEST,
        reason="Demande du titulaire.", start=TODAY, end=None, now=NOW,
    )  # fmt: skip


ADVERSE = {"suspend": AdverseMeasure.SUSPEND, "revoke": AdverseMeasure.REVOKE, "annul": AdverseMeasure.ANNUL}


async def _beforehand(cast: Cast, issued: Issued, name: str) -> None:
    """What the measure `name` needs first, so that only who takes it decides: a suspension to lift, or the holder
    heard on an adverse measure."""
    if name == "lift":
        await _suspended_beforehand(cast, issued)
    elif name in ADVERSE:
        await heard(cast, issued, ADVERSE[name])


@pytest.mark.parametrize("name", list(MEASURES))
async def test_each_measure_writes_exactly_one_entry_naming_who_when_and_why(cast, database, name):
    apply, kind = MEASURES[name]
    issued = await granted(cast)
    await _beforehand(cast, issued, name)
    colleague = await cast.officer()  # any officer of the issuing office, not only the one who granted
    before = await stored(database, issued.id)
    reason = f"Motif de la mesure {name} ({issued.id})."
    await apply(cast, await cast.access(colleague), issued.id, reason)
    event = await the_new_event(database, issued, before)
    assert (event["kind"], event["actor_id"], event["at"], event["version"]) == (kind, colleague.id, LATER, 1)
    assert reason in event["message"]
    assert (await stored(database, issued.id)).columns["updated_at"] == LATER
    history = await reading.history_of(cast.session, issued.authorization, LATER_DAY)
    assert [h.kind for h in history][-1] == kind and history[-1].actor_id == colleague.id
    if name in ADVERSE:  # the hearing's two entries come before the measure's own
        assert [h.kind for h in history][-3:] == [EventKind.HEARING_OPENED, EventKind.OBSERVATIONS, kind]


@pytest.mark.parametrize("name", list(MEASURES))
async def test_an_officer_of_another_office_gets_not_found_and_nothing_is_written(cast, database, name):
    apply, _ = MEASURES[name]
    issued = await granted(cast)
    await _beforehand(cast, issued, name)
    elsewhere = await cast.officer(OTHER_OFFICE)
    before = await stored(database, issued.id)
    with pytest.raises(NotFound) as refused:
        await apply(cast, await cast.access(elsewhere), issued.id, REASON)
    assert refused.value.code == "NOT_FOUND" and refused.value.message == "Autorisation introuvable."
    await assert_nothing_changed(cast, database, issued, before)


@pytest.mark.parametrize("name", list(MEASURES))
async def test_the_holders_side_may_read_but_gets_forbidden_for_a_measure(cast, database, name):
    apply, _ = MEASURES[name]
    issued = await granted(cast)
    await _beforehand(cast, issued, name)
    siret = (await cast.session.get(Operator, issued.admin.operator_id)).siret
    consult = await cast.professional(siret, prefix="consult")
    await cast.habilitate(consult, Right.CONSULT, by=issued.admin)
    before = await stored(database, issued.id)
    for user in (issued.admin, consult):
        access = await cast.access(user)
        assert (await reading.get_authorization(cast.session, access, issued.id)).id == issued.id
        with pytest.raises(Forbidden) as refused:
            await apply(cast, access, issued.id, REASON)
        assert refused.value.code == "FORBIDDEN" and "bureau de douane" in refused.value.message
    await assert_nothing_changed(cast, database, issued, before)


async def test_another_operator_and_an_unknown_id_get_not_found(cast, database):
    issued = await granted(cast)
    await heard(cast, issued, AdverseMeasure.REVOKE)
    stranger = await cast.access(await cast.professional())
    officer = await cast.access(issued.officer)
    before = await stored(database, issued.id)
    with pytest.raises(NotFound):
        await _revoke(cast, stranger, issued.id, REASON)
    with pytest.raises(NotFound):
        await _revoke(cast, officer, 999_999_999, REASON)
    await assert_nothing_changed(cast, database, issued, before)


# --- measures once the authorisation has ended -------------------------------------------------------------------


async def _end(cast: Cast, issued: Issued, how: str) -> dt.datetime:
    """Ends the authorisation `how` (expired: only the clock moves); the moment to act at afterwards."""
    officer = await cast.access(issued.officer)
    if how == "expired":
        return AFTER_EXPIRY
    if how == "revoked":
        await heard(cast, issued, AdverseMeasure.REVOKE)
        await measures.revoke(cast.session, officer, issued.id, reason=REASON, effective=None, now=LATER)
    else:
        await heard(cast, issued, AdverseMeasure.ANNUL)
        await measures.annul(cast.session, officer, issued.id, reason=REASON, now=LATER)
    return LATER + dt.timedelta(hours=1)


ENDED = [("expired", "expirée"), ("revoked", "révoquée"), ("annulled", "annulée")]


@pytest.mark.parametrize(("how", "label"), ENDED, ids=[h for h, _ in ENDED])
async def test_an_ended_authorisation_is_neither_suspended_nor_revoked(cast, database, how, label):
    issued = await granted(cast)
    at = await _end(cast, issued, how)
    officer = await cast.access(issued.officer)
    before = await stored(database, issued.id)
    day = at.date()
    with pytest.raises(MeasureRefused) as suspension:
        await measures.suspend(
            cast.session, officer, issued.id, case=SuspensionCase.GROUNDS_EXAMINED, reason=REASON, start=day,
            end=None, now=at,
        )  # fmt: skip
    assert suspension.value.code == "FORBIDDEN_TRANSITION"
    assert suspension.value.message == f"Impossible de suspendre l'autorisation : l'autorisation est {label}."
    with pytest.raises(MeasureRefused) as revocation:
        await measures.revoke(cast.session, officer, issued.id, reason=REASON, effective=None, now=at)
    assert revocation.value.code == "FORBIDDEN_TRANSITION"
    assert revocation.value.message == f"Impossible de révoquer l'autorisation : l'autorisation est {label}."
    await assert_nothing_changed(cast, database, issued, before)


async def test_an_expired_authorisation_may_still_be_annulled_and_reassessed(cast):
    """Only suspension and revocation look at the end of validity: annulment (UCC art. 27) reaches back to the
    original decision, and a re-assessment is a note."""
    issued = await granted(cast)
    officer = await cast.access(issued.officer)
    assert state_on(issued.authorization, AFTER_EXPIRY.date()) is S.EXPIRED
    # The annulment is notified after the end of validity too, and the holder answers, before AFTER_EXPIRY.
    await heard(
        cast, issued, AdverseMeasure.ANNUL, notified=AFTER_EXPIRY - dt.timedelta(hours=2),
        answered=AFTER_EXPIRY - dt.timedelta(hours=1),
    )  # fmt: skip
    await measures.reassess(cast.session, officer, issued.id, note="Bilan final.", on=None, now=AFTER_EXPIRY)
    result = await measures.annul(cast.session, officer, issued.id, reason=REASON, now=AFTER_EXPIRY)
    assert state_on(result, AFTER_EXPIRY.date()) is S.ANNULLED and result.annulled_on == TODAY
