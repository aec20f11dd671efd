"""Validity dates and customs deadlines are French calendar days (Europe/Paris); timestamps are UTC. Whatever the
server's time zone, a mandate valid until D holds all of D in Paris and no longer, and a deadline counts Paris days."""

from __future__ import annotations

import datetime as dt

import pytest

from backend.clock import PARIS, french_day, paris_today
from backend.config import Settings
from backend.dossiers.deadlines import current_deadline
from backend.dossiers.models import Dossier, DossierStatus
from backend.identity.mandates import MandateStatus, mandate_status
from backend.identity.models import ApiToken, MandateScope, Representation
from backend.identity.tokens import token_active
from tests.identity.test_policy import Cast, cast  # noqa: F401  (the fixture)

D = dt.date(2026, 3, 20)  # winter time: Paris is UTC+1
LATE_ON_D = dt.datetime(2026, 3, 20, 22, 30, tzinfo=dt.UTC)  # 23:30 in Paris, still D
EARLY_ON_NEXT_DAY = dt.datetime(2026, 3, 20, 23, 30, tzinfo=dt.UTC)  # 00:30 in Paris on D+1


def test_the_french_day_is_the_day_in_paris_not_in_utc():
    assert french_day(LATE_ON_D) == D
    assert french_day(EARLY_ON_NEXT_DAY) == D + dt.timedelta(days=1)
    summer = dt.datetime(2026, 7, 1, 22, 30, tzinfo=dt.UTC)  # summer time: 00:30 in Paris on 2 July
    assert french_day(summer) == dt.date(2026, 7, 2)
    assert paris_today(EARLY_ON_NEXT_DAY) == D + dt.timedelta(days=1)
    with pytest.raises(ValueError):
        french_day(dt.datetime(2026, 3, 20, 12))  # a naive time says nothing about the day


def mandate(valid_from: dt.date, valid_until: dt.date | None, *, ended: bool = False) -> Representation:
    return Representation(
        representative_id=1,
        represented_id=2,
        scope=MandateScope.FULL,
        valid_from=valid_from,
        valid_until=valid_until,
        created_by_id=1,
        ended_at=LATE_ON_D if ended else None,
    )


def test_a_mandates_status_on_a_french_day():
    until_d = mandate(D - dt.timedelta(days=30), D)
    assert mandate_status(until_d, french_day(LATE_ON_D)) is MandateStatus.ACTIVE
    assert mandate_status(until_d, french_day(EARLY_ON_NEXT_DAY)) is MandateStatus.EXPIRED
    assert mandate_status(mandate(D + dt.timedelta(days=1), None), D) is MandateStatus.UPCOMING
    assert mandate_status(mandate(D, None, ended=True), D) is MandateStatus.ENDED
    assert [s.label for s in MandateStatus] == ["à venir", "en cours", "échu", "terminé"]


async def test_a_mandate_valid_until_d_gives_access_until_midnight_in_paris(cast: Cast):  # noqa: F811
    represented_admin, represented = await cast.company("represented")
    rep_admin, rep = await cast.company("representative")
    await cast.mandate(rep, represented, by=represented_admin, valid_from=D - dt.timedelta(days=30), valid_until=D)
    assert represented in (await cast.access(rep_admin, now=LATE_ON_D)).operators
    assert represented not in (await cast.access(rep_admin, now=EARLY_ON_NEXT_DAY)).operators


async def test_a_mandate_starting_on_d_gives_access_from_midnight_in_paris(cast: Cast):  # noqa: F811
    represented_admin, represented = await cast.company("represented")
    rep_admin, rep = await cast.company("representative")
    start = D + dt.timedelta(days=1)
    await cast.mandate(rep, represented, by=represented_admin, valid_from=start)
    assert represented not in (await cast.access(rep_admin, now=LATE_ON_D)).operators
    assert represented in (await cast.access(rep_admin, now=EARLY_ON_NEXT_DAY)).operators


def test_a_deadline_runs_from_the_paris_day_of_the_step_and_is_overdue_the_day_after_it_is_due():
    settings = Settings()
    # Submitted at 00:30 in Paris on D+1 (23:30 UTC on D): the time limit starts from D+1.
    dossier = Dossier(
        reference="X",
        operator_id=1,
        procedure="TEA",
        status=DossierStatus.SUBMITTED,
        created_by_id=1,
        updated_by_id=1,
        submitted_at=EARLY_ON_NEXT_DAY,
    )
    due = D + dt.timedelta(days=1 + settings.acceptance_days)
    deadline = current_deadline(dossier, settings, EARLY_ON_NEXT_DAY)
    assert deadline is not None and deadline.due == due and not deadline.overdue
    last_evening = dt.datetime.combine(due, dt.time(23, 30), tzinfo=PARIS).astimezone(dt.UTC)  # summer time
    assert not current_deadline(dossier, settings, last_evening).overdue
    assert current_deadline(dossier, settings, last_evening + dt.timedelta(hours=1)).overdue


def test_a_token_expires_at_its_instant():
    expires = dt.datetime(2026, 3, 20, 12, tzinfo=dt.UTC)
    token = ApiToken(user_id=1, token_hash="h", hint="sop_", expires_at=expires)
    assert token_active(token, expires - dt.timedelta(seconds=1))
    assert not token_active(token, expires)
    token.revoked_at = expires - dt.timedelta(days=1)
    assert not token_active(token, expires - dt.timedelta(seconds=1))
