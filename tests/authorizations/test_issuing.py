"""Issued authorisations (issue 11), in the domain: the grant issues version 1 with the dossier's content, validity
limits per procedure, what an authorisation is on a day (in Python and in SQL, which must agree), expiry by date in
the history, the renewal window, the reference, and who sees what."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import AsyncIterator
from dataclasses import replace

import pypdf
import pytest
from sqlmodel import select

from backend.authorizations import content, pdf, reading, rules
from backend.authorizations.issuing import EventKind
from backend.authorizations.models import Authorization, AuthorizationState, AuthorizationVersion
from backend.authorizations.rules import GrantTerms, state_condition, state_on, validity_problems
from backend.dossiers import processing
from backend.dossiers.catalogue import Procedure
from backend.dossiers.models import DossierEvent, DossierStatus, GoodsLine
from backend.dossiers.workflow import Action
from backend.errors import FieldErrors, NotFound
from backend.identity.models import Operator, Right
from tests.processing_support import Cast

NOW = dt.datetime(2026, 7, 1, 9, 30, tzinfo=dt.UTC)
TODAY = dt.date(2026, 7, 1)
P = Procedure


@pytest.fixture
async def cast(live_server, database) -> AsyncIterator[Cast]:
    async with database.session() as session:
        yield Cast(session, live_server.settings)


async def granted(cast: Cast, terms: GrantTerms | None = None, **dossier_values):
    """A fresh operator's dossier, accepted, granted by an officer of its office: (authorisation, admin, officer)."""
    admin = await cast.professional()
    officer = await cast.officer()
    dossier = await cast.dossier(admin, DossierStatus.ACCEPTED, at=NOW - dt.timedelta(days=10), **dossier_values)
    cast.session.add(
        GoodsLine(
            dossier_id=dossier.id, kind="GOODS", position=0, cn_code="84571010", description="Centre d'usinage"
        )
    )
    await cast.session.commit()
    terms = terms or GrantTerms(TODAY, dt.date(2028, 6, 30), "Tenue d'une comptabilité matières mensuelle.")
    await processing.act(cast.session, await cast.access(officer), dossier.id, Action.GRANT, grant=terms, now=NOW)
    issued = await reading.authorization_of_dossier(cast.session, dossier.id)
    return issued, admin, officer


async def test_a_grant_issues_version_1_with_the_dossiers_content_and_a_history_entry(cast):
    authorization, admin, officer = await granted(cast)
    dossier = await cast.reload(authorization.dossier_id)
    assert dossier.status is DossierStatus.GRANTED
    assert authorization.reference == f"FRTEA{authorization.id:06d}"
    assert (authorization.valid_from, authorization.valid_until) == (TODAY, dt.date(2028, 6, 30))
    assert authorization.operator_id == admin.operator_id and authorization.customs_office == "FR000690"
    [version] = await reading.versions_of(cast.session, authorization.id)
    assert version.number == 1 and version.answers == dossier.data
    assert version.goods == [
        {
            "kind": "GOODS",
            "cnCode": "84571010",
            "description": "Centre d'usinage",
            "quantity": None,
            "unit": None,
            "value": None,
        }
    ]
    assert version.conditions == "Tenue d'une comptabilité matières mensuelle."
    assert version.issued_by_id == officer.id and version.issued_at == NOW
    history = await reading.history_of(cast.session, authorization, TODAY)
    assert [(h.kind, h.version, h.actor_id) for h in history] == [(EventKind.ISSUED, 1, officer.id)]
    assert dossier.reference in history[0].message and "30/06/2028" in history[0].message
    grant_row = (await cast.events(dossier.id))[-1]
    assert grant_row.kind == "grant" and authorization.reference in grant_row.message


async def test_a_grant_with_bad_validity_is_refused_with_every_problem_and_changes_nothing(cast):
    admin = await cast.professional()
    officer = await cast.officer()
    dossier = await cast.dossier(admin, DossierStatus.ACCEPTED, at=NOW - dt.timedelta(days=10))
    terms = GrantTerms(TODAY - dt.timedelta(days=1), None, "x" * (rules.MAX_CONDITIONS + 1))
    with pytest.raises(FieldErrors) as refused:
        await processing.act(
            cast.session, await cast.access(officer), dossier.id, Action.GRANT, grant=terms, now=NOW
        )
    assert [field for field, _ in refused.value.problems] == ["validFrom", "validUntil", "conditions"]
    assert (await cast.reload(dossier.id)).status is DossierStatus.ACCEPTED
    found = await cast.session.exec(select(Authorization).where(Authorization.dossier_id == dossier.id))
    assert found.first() is None
    assert [e.kind for e in await cast.events(dossier.id)] == ["created"]


async def test_granting_without_terms_only_works_for_a_customs_warehouse(cast):
    """actOnDossier(GRANT) gives no terms: from today, not time-limited, which only customs warehousing allows."""
    admin = await cast.professional()
    officer = await cast.officer()
    dossier = await cast.dossier(admin, DossierStatus.ACCEPTED, at=NOW)
    with pytest.raises(FieldErrors) as refused:
        await processing.act(cast.session, await cast.access(officer), dossier.id, Action.GRANT, now=NOW)
    assert refused.value.problems == [("validUntil", "Indiquez la date de fin de validité.")]
    warehouse = await cast.dossier(admin, DossierStatus.ACCEPTED, at=NOW, procedure="CW")
    await processing.act(cast.session, await cast.access(officer), warehouse.id, Action.GRANT, now=NOW)
    issued = await reading.authorization_of_dossier(cast.session, warehouse.id)
    assert issued.valid_until is None and issued.reference.startswith("FRCW")


@pytest.mark.parametrize(
    ("procedure", "annex", "until", "field", "words"),
    [
        (P.INWARD_PROCESSING, False, dt.date(2031, 6, 30), None, None),  # the last day of 5 years
        (P.INWARD_PROCESSING, False, dt.date(2031, 7, 1), "validUntil", ["5 ans", "30/06/2031", "art. 173"]),
        (P.OUTWARD_PROCESSING, True, dt.date(2029, 6, 30), None, None),
        (P.OUTWARD_PROCESSING, True, dt.date(2029, 7, 1), "validUntil", ["3 ans", "annexe 71-02", "30/06/2029"]),
        (P.END_USE, False, dt.date(2031, 7, 1), "validUntil", ["5 ans"]),
        (P.CUSTOMS_WAREHOUSING, False, None, None, None),
        (P.CUSTOMS_WAREHOUSING, False, dt.date(2027, 1, 1), "validUntil", ["pas limité dans le temps"]),
        (P.TEMPORARY_ADMISSION, False, dt.date(2031, 6, 30), None, None),
        (P.TEMPORARY_ADMISSION, False, None, "validUntil", ["Indiquez la date de fin"]),
        (P.TEMPORARY_ADMISSION, False, dt.date(2026, 7, 1), "validUntil", ["doit suivre la date de début"]),
    ],
)
def test_validity_limits_per_procedure(settings, procedure, annex, until, field, words):
    problems = validity_problems(procedure, GrantTerms(TODAY, until, "", annex), TODAY, settings)
    if field is None:
        assert problems == []
    else:
        [(named, message)] = problems
        assert named == field
        assert all(w in message for w in words), message


def test_the_temporary_admission_limit_is_a_setting(settings):
    two_years = replace(settings, temporary_admission_max_years=2)
    terms = GrantTerms(TODAY, dt.date(2029, 1, 1), "")
    assert validity_problems(P.TEMPORARY_ADMISSION, terms, TODAY, settings) == []
    [(_, message)] = validity_problems(P.TEMPORARY_ADMISSION, terms, TODAY, two_years)
    assert "2 ans" in message and "30/06/2028" in message


def test_a_29_february_start_ends_on_28_february(settings):
    leap = dt.date(2028, 2, 29)
    assert rules.add_years(leap, 5) == dt.date(2033, 2, 28)


def test_the_reference_follows_the_setting_and_refuses_more_than_35_characters(settings):
    assert rules.reference("CWP", 42, settings) == "FRCWP000042"
    assert rules.reference(
        "IPO", 7, replace(settings, authorization_reference_format="FR-{type}-{number:08d}")
    ) == ("FR-IPO-00000007")
    with pytest.raises(ValueError):
        rules.reference(
            "IPO", 7, replace(settings, authorization_reference_format="FR{type}" + "X" * 40 + "{number}")
        )


# What an authorisation is on a day: (dates and measures, day, expected state).
CASES = [
    ({}, dt.date(2026, 6, 30), AuthorizationState.NOT_YET_VALID),
    ({}, TODAY, AuthorizationState.ACTIVE),
    ({}, dt.date(2028, 6, 30), AuthorizationState.ACTIVE),  # its last day
    ({}, dt.date(2028, 7, 1), AuthorizationState.EXPIRED),
    ({"suspended_from": dt.date(2027, 1, 1), "suspended_until": dt.date(2027, 3, 31)}, dt.date(2027, 2, 1), "S"),
    ({"suspended_from": dt.date(2027, 1, 1), "suspended_until": dt.date(2027, 3, 31)}, dt.date(2027, 4, 1), "A"),
    ({"suspended_from": dt.date(2027, 1, 1)}, dt.date(2028, 1, 1), AuthorizationState.SUSPENDED),
    ({"revoked_from": dt.date(2027, 6, 1)}, dt.date(2027, 5, 31), AuthorizationState.ACTIVE),  # deferred
    ({"revoked_from": dt.date(2027, 6, 1)}, dt.date(2027, 6, 1), AuthorizationState.REVOKED),
    ({"revoked_from": dt.date(2027, 6, 1), "suspended_from": dt.date(2027, 1, 1)}, dt.date(2027, 7, 1), "R"),
    ({"annulled_on": TODAY}, dt.date(2027, 1, 1), AuthorizationState.ANNULLED),
]
SHORT = {"S": AuthorizationState.SUSPENDED, "A": AuthorizationState.ACTIVE, "R": AuthorizationState.REVOKED}


@pytest.mark.parametrize(("measures", "day", "expected"), CASES)
async def test_the_state_on_a_day_in_python_and_in_sql_agree(cast, measures, day, expected):
    expected = SHORT.get(expected, expected)
    authorization, _, _ = await granted(cast)
    for name, value in measures.items():
        setattr(authorization, name, value)
    cast.session.add(authorization)
    await cast.session.commit()
    assert state_on(authorization, day) is expected
    for state in AuthorizationState:
        query = select(Authorization.id).where(Authorization.id == authorization.id, state_condition(state, day))
        assert ((await cast.session.exec(query)).first() is not None) == (state is expected), state


async def test_expiry_shows_once_in_the_history_after_the_last_day_with_no_job(cast):
    authorization, _, _ = await granted(cast)
    on_last_day = await reading.history_of(cast.session, authorization, dt.date(2028, 6, 30))
    assert EventKind.EXPIRED not in [h.kind for h in on_last_day]
    after = await reading.history_of(cast.session, authorization, dt.date(2029, 1, 1))
    assert [h.kind for h in after] == [EventKind.ISSUED, EventKind.EXPIRED]
    assert after[-1].actor_id is None and "30/06/2028" in after[-1].message
    assert after[-1].at == dt.datetime(2028, 6, 30, 22, 0, tzinfo=dt.UTC)  # midnight in Paris (summer time)


def test_the_renewal_window_opens_n_days_before_the_end(settings):
    authorization = Authorization(
        operator_id=1, procedure="TEA", authorisation_type="TEA", customs_office="FR000690", dossier_id=1,
        valid_from=TODAY, valid_until=dt.date(2027, 6, 30),
    )  # fmt: skip
    opens = dt.date(2027, 6, 30) - dt.timedelta(days=settings.renewal_window_days)
    assert not rules.renewal_open(authorization, opens - dt.timedelta(days=1), settings)
    assert rules.renewal_open(authorization, opens, settings)
    assert rules.renewal_open(authorization, dt.date(2027, 6, 30), settings)
    assert not rules.renewal_open(authorization, dt.date(2027, 7, 1), settings)  # expired: a new application
    assert rules.renewal_open(
        authorization, opens - dt.timedelta(days=10), replace(settings, renewal_window_days=120)
    )
    warehouse = Authorization(**{**authorization.model_dump(), "valid_until": None})
    assert not rules.renewal_open(warehouse, opens, settings)


async def test_the_content_names_answers_by_their_labels_and_the_diff_lists_only_what_changed(cast):
    authorization, _, _ = await granted(cast)
    [version] = await reading.versions_of(cast.session, authorization.id)
    shown = {e.label: e.value for s in content.sections(version, P.TEMPORARY_ADMISSION) for e in s.entries}
    assert shown["Conditions fixées par la douane"] == "Tenue d'une comptabilité matières mensuelle."
    assert shown["Validité"] == "Valable du 01/07/2026 au 30/06/2028"
    assert "Centre d'usinage" in shown["Marchandise à placer n° 1"]
    newer = AuthorizationVersion(
        **{
            **version.model_dump(exclude={"id"}),
            "number": 2,
            "answers": {**version.answers, "applicant.city": "Villeurbanne"},
            "valid_until": dt.date(2029, 6, 30),
        }
    )
    changes = content.diff(version, newer, P.TEMPORARY_ADMISSION)
    assert [(c.key, c.before, c.after) for c in changes] == [
        ("validity", "Valable du 01/07/2026 au 30/06/2028", "Valable du 01/07/2026 au 30/06/2029"),
        ("applicant.city", "Lyon", "Villeurbanne"),
    ]


async def test_the_pdf_is_tagged_french_and_says_reference_version_holder_and_validity(cast):
    authorization, admin, _ = await granted(cast)
    access = await cast.access(admin)
    filename, document = await pdf.version_pdf(cast.session, access, authorization.id, 1, TODAY)
    assert filename == f"autorisation-{authorization.reference}-v1.pdf"
    reader = pypdf.PdfReader(io.BytesIO(document))
    text = " ".join(page.extract_text() for page in reader.pages)
    operator = await cast.session.get(Operator, authorization.operator_id)
    for expected in (authorization.reference, "version 1", operator.legal_name, "01/07/2026", "30/06/2028"):
        assert expected in text, expected
    assert "RÉPUBLIQUE" in text and f"page 1 / {len(reader.pages)}" in text
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in root
    assert str(root["/Lang"]).startswith("fr")
    assert reader.metadata.title == f"Autorisation {authorization.reference} – version 1"


async def test_who_sees_an_authorisation(cast):
    """The holder's users (any right), the issuing office; not another operator, not another office."""
    authorization, admin, officer = await granted(cast)
    consult = await cast.professional(
        (await cast.session.get(Operator, admin.operator_id)).siret, prefix="consult"
    )
    await cast.habilitate(consult, Right.CONSULT, by=admin)
    stranger = await cast.professional()
    elsewhere = await cast.officer("FR002300")
    for user, sees in ((admin, True), (consult, True), (officer, True), (stranger, False), (elsewhere, False)):
        access = await cast.access(user)
        page = await reading.list_authorizations(cast.session, access, today=TODAY, search=authorization.reference)
        assert [a.id for a, _ in page.rows] == ([authorization.id] if sees else []), user.subject
        if sees:
            assert (await reading.get_authorization(cast.session, access, authorization.id)).id == authorization.id
        else:
            with pytest.raises(NotFound):
                await reading.get_authorization(cast.session, access, authorization.id)
            with pytest.raises(NotFound):
                await pdf.version_pdf(cast.session, access, authorization.id, 1, TODAY)


async def test_the_list_filters_by_state_procedure_expiry_and_sorts_the_soonest_end_first(cast):
    first, admin, officer = await granted(cast, GrantTerms(TODAY, dt.date(2026, 9, 1)))
    access = await cast.access(admin)
    second = await cast.dossier(admin, DossierStatus.ACCEPTED, at=NOW, procedure="CW")
    await processing.act(cast.session, await cast.access(officer), second.id, Action.GRANT, now=NOW)
    warehouse = await reading.authorization_of_dossier(cast.session, second.id)
    rows = await reading.list_authorizations(cast.session, access, today=TODAY)
    assert [a.id for a, _ in rows.rows] == [first.id, warehouse.id]  # not time-limited: last
    soon = await reading.list_authorizations(cast.session, access, today=TODAY, expires_within_days=90)
    assert [a.id for a, _ in soon.rows] == [first.id]
    cw = await reading.list_authorizations(cast.session, access, today=TODAY, procedures=["CW"])
    assert [a.id for a, _ in cw.rows] == [warehouse.id]
    expired = await reading.list_authorizations(
        cast.session, access, today=dt.date(2026, 9, 2), states=[AuthorizationState.EXPIRED]
    )
    assert [a.id for a, _ in expired.rows] == [first.id]
    paged = await reading.list_authorizations(cast.session, access, today=TODAY, first=1)
    assert paged.total == 2 and paged.has_next
    rest = await reading.list_authorizations(cast.session, access, today=TODAY, first=1, after=paged.end_cursor)
    assert [a.id for a, _ in rest.rows] == [warehouse.id] and not rest.has_next
    history = await cast.session.exec(select(DossierEvent).where(DossierEvent.dossier_id == second.id))
    assert [e.kind for e in history.all()][-1] == "grant"
