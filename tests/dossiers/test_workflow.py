"""The workflow of the decision phase (issue 5): the transition table, at three levels.

1. The state machine alone (`workflow.transition`, `workflow.available`): every allowed transition for its side, every
   other (action, status) pair refused with a French message.
2. The service `processing.act` (and `filing.submit_dossier` for SUBMIT) on the suite's real database, with fresh
   operators and officers: who may act, the message rules, exactly one history row per step.
3. GraphQL over HTTP (`actOnDossier`, `submitDossier`) as the demo users: Sophie Moreau (submit right on Ateliers
   Durand), Paul Lefèvre (consult), Claire Bernard (officer of FR000690), Hugo Lambert (officer of FR002300).
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlmodel import select

from backend.authorizations.rules import GrantTerms
from backend.db import utcnow
from backend.dossiers import filing, goods, processing
from backend.dossiers.catalogue import Procedure
from backend.dossiers.models import STATUS_LABELS, DossierEvent, DossierStatus
from backend.dossiers.workflow import (
    ACTION_LABELS,
    FINAL,
    TRANSITIONS,
    Action,
    ForbiddenTransition,
    Side,
    Transition,
    available,
    transition,
)
from backend.errors import DomainError, Forbidden, NotFound
from backend.identity.models import Right
from tests.dossiers.factories import answers, goods_inputs
from tests.processing_support import (
    CLAIRE,
    HUGO,
    PAUL,
    SOPHIE,
    SUBMIT,
    Cast,
    act,
    act_refused,
    bring_to,
    code_of,
    dashboard,
    draft,
    get,
    numeric_id,
    ok,
    submit,
)

S = DossierStatus
A = Action

# What the issue asks, written out: (action, from, to, side, needs a message).
EXPECTED = {
    (A.SUBMIT, S.DRAFT, S.SUBMITTED, Side.APPLICANT, False),
    (A.SUBMIT, S.COMPLEMENT_REQUESTED, S.SUBMITTED, Side.APPLICANT, False),
    (A.REQUEST_COMPLEMENT, S.SUBMITTED, S.COMPLEMENT_REQUESTED, Side.CUSTOMS, True),
    (A.ACCEPT, S.SUBMITTED, S.ACCEPTED, Side.CUSTOMS, False),
    (A.NOT_ACCEPT, S.SUBMITTED, S.NOT_ACCEPTED, Side.CUSTOMS, True),
    (A.NOTIFY_INTENDED_REFUSAL, S.ACCEPTED, S.HEARING, Side.CUSTOMS, True),
    (A.GRANT, S.ACCEPTED, S.GRANTED, Side.CUSTOMS, False),
    (A.GRANT, S.HEARING, S.GRANTED, Side.CUSTOMS, False),
    (A.REFUSE, S.HEARING, S.REFUSED, Side.CUSTOMS, True),
    *(
        (A.WITHDRAW, source, S.WITHDRAWN, Side.APPLICANT, False)
        for source in (S.DRAFT, S.SUBMITTED, S.COMPLEMENT_REQUESTED, S.ACCEPTED, S.HEARING)
    ),
}
ACTS = [t for t in TRANSITIONS if t.action is not A.SUBMIT]  # processing.act; SUBMIT checks the form first


def name(t: Transition) -> str:
    return f"{t.action.value}:{t.source.value}"


# --- 1. the state machine alone -------------------------------------------------------------------------------------


def test_the_table_is_the_one_of_the_issue():
    table = {(t.action, t.source, t.target, t.side, t.needs_message) for t in TRANSITIONS}
    assert table == EXPECTED
    assert len(TRANSITIONS) == len(EXPECTED)  # no duplicate (action, source)


@pytest.mark.parametrize("step", TRANSITIONS, ids=name)
def test_each_allowed_transition_is_found_and_offered_to_its_side_only(step):
    assert transition(step.action, step.source) is step
    assert step in available(step.source, step.side)
    other = Side.CUSTOMS if step.side is Side.APPLICANT else Side.APPLICANT
    assert step not in available(step.source, other)
    assert step.label and step.label[0].isupper()
    if step.needs_message:
        assert step.message_label


ALLOWED = {(t.action, t.source) for t in TRANSITIONS}
FORBIDDEN_PAIRS = [(a, s) for a in A for s in S if (a, s) not in ALLOWED]


@pytest.mark.parametrize(
    ("action", "status"), FORBIDDEN_PAIRS, ids=[f"{a.value}:{s.value}" for a, s in FORBIDDEN_PAIRS]
)
def test_every_other_pair_is_refused_with_a_french_message(action, status):
    with pytest.raises(ForbiddenTransition) as refused:
        transition(action, status)
    message = refused.value.message
    assert message.startswith("Impossible d"), message
    assert message.endswith(f"{ACTION_LABELS[action]} : le dossier est {STATUS_LABELS[status]}."), message


def test_the_refusal_elides_de_before_a_vowel():
    """French: « Impossible d'octroyer », never « Impossible de octroyer »."""
    with pytest.raises(ForbiddenTransition) as refused:
        transition(A.GRANT, S.SUBMITTED)
    assert refused.value.message == "Impossible d'octroyer l'autorisation : le dossier est déposé."
    with pytest.raises(ForbiddenTransition) as refused:
        transition(A.REFUSE, S.ACCEPTED)
    assert refused.value.message == "Impossible de refuser la demande : le dossier est accepté (en instruction)."


def test_final_statuses_offer_nothing_and_every_other_status_something():
    for status in S:
        offered = available(status, Side.APPLICANT) + available(status, Side.CUSTOMS)
        assert (not offered) is (status in FINAL), status
    assert FINAL == {S.GRANTED, S.REFUSED, S.NOT_ACCEPTED, S.WITHDRAWN}


def test_what_each_side_may_do_in_each_status():
    def offered(status: S, side: Side) -> set[A]:
        return {t.action for t in available(status, side)}

    assert offered(S.DRAFT, Side.APPLICANT) == {A.SUBMIT, A.WITHDRAW}
    assert offered(S.DRAFT, Side.CUSTOMS) == set()
    assert offered(S.SUBMITTED, Side.CUSTOMS) == {A.REQUEST_COMPLEMENT, A.ACCEPT, A.NOT_ACCEPT}
    assert offered(S.SUBMITTED, Side.APPLICANT) == {A.WITHDRAW}
    assert offered(S.COMPLEMENT_REQUESTED, Side.APPLICANT) == {A.SUBMIT, A.WITHDRAW}
    assert offered(S.COMPLEMENT_REQUESTED, Side.CUSTOMS) == set()
    assert offered(S.ACCEPTED, Side.CUSTOMS) == {A.NOTIFY_INTENDED_REFUSAL, A.GRANT}
    assert offered(S.HEARING, Side.CUSTOMS) == {A.GRANT, A.REFUSE}
    assert offered(S.HEARING, Side.APPLICANT) == {A.WITHDRAW}


# --- 2. the service, on the real database -------------------------------------------------------------------------


@pytest.fixture
async def cast(live_server, database) -> AsyncIterator[Cast]:
    """`live_server` migrates the database (and seeds the terms of use) before the first test."""
    async with database.session() as session:
        yield Cast(session, live_server.settings)


class Stage:
    """One fresh operator (administrator with every right, a consult collaborator) and the officers of its office
    and of another one."""

    def __init__(self, cast: Cast) -> None:
        self.cast = cast

    async def build(self) -> Stage:
        self.admin = await self.cast.professional()
        self.consult = await self.cast.professional(self.admin.siret, prefix="consult")
        await self.cast.habilitate(self.consult, Right.CONSULT, by=self.admin)
        self.officer = await self.cast.officer()
        self.elsewhere = await self.cast.officer("FR002300")
        return self

    def actor_for(self, side: Side):
        return self.officer if side is Side.CUSTOMS else self.admin


@pytest.fixture
async def stage(cast) -> Stage:
    return await Stage(cast).build()


NOW = dt.datetime(2026, 7, 1, 9, 30, tzinfo=dt.UTC)


@pytest.mark.parametrize("step", ACTS, ids=name)
async def test_each_action_moves_the_dossier_and_writes_one_history_row(cast, stage, step):
    dossier = await cast.dossier(stage.admin, step.source, at=NOW - dt.timedelta(days=3))
    version = dossier.version
    before = await cast.events(dossier.id)
    actor = stage.actor_for(step.side)
    message = f"Motif : {step.action.value}" if step.needs_message else None
    # A grant issues the authorisation: customs set its validity (two years here).
    terms = GrantTerms(NOW.date(), dt.date(2028, 6, 30)) if step.action is A.GRANT else None
    moved = await processing.act(
        cast.session, await cast.access(actor), dossier.id, step.action, message=message, grant=terms, now=NOW
    )
    assert moved.status is step.target
    stored = await cast.reload(dossier.id)
    assert stored.status is step.target
    assert stored.version == version + 1
    assert stored.updated_at == NOW and stored.updated_by_id == actor.id
    after = await cast.events(dossier.id)
    assert len(after) == len(before) + 1
    row = after[-1]
    assert (row.kind, row.from_status, row.to_status, row.actor_id, row.message, row.at) == (
        step.action.value,
        step.source.value,
        step.target.value,
        actor.id,
        row.message if terms else message or "",
        NOW,
    )
    if terms:
        assert row.message.startswith("Autorisation FRTEA") and "30/06/2028" in row.message
    if step.target is S.ACCEPTED:
        assert stored.accepted_at == NOW
        assert stored.decision_deadline == NOW.date() + dt.timedelta(days=cast.settings.decision_days)
    if step.target is S.HEARING:
        assert stored.hearing_started_at == NOW
    if step.target in (S.GRANTED, S.REFUSED, S.NOT_ACCEPTED):
        assert stored.decided_at == NOW


@pytest.mark.parametrize("status", [S.SUBMITTED, S.COMPLEMENT_REQUESTED, S.ACCEPTED, S.HEARING], ids=str)
async def test_an_officer_takes_an_open_dossier_once_and_a_colleague_may_take_it_over(cast, stage, status):
    dossier = await cast.dossier(stage.admin, status)
    colleague = await cast.officer()
    taken = await processing.take(cast.session, await cast.access(stage.officer), dossier.id, now=NOW)
    assert taken.assigned_officer_id == stage.officer.id
    again = await processing.take(cast.session, await cast.access(stage.officer), dossier.id, now=NOW)
    assert again.assigned_officer_id == stage.officer.id
    over = await processing.take(cast.session, await cast.access(colleague), dossier.id, now=NOW)
    assert over.assigned_officer_id == colleague.id
    assert [(e.kind, e.actor_id) for e in await cast.events(dossier.id) if e.kind == "taken"] == [
        ("taken", stage.officer.id),
        ("taken", colleague.id),
    ]


@pytest.mark.parametrize("status", [S.GRANTED, S.REFUSED, S.NOT_ACCEPTED, S.WITHDRAWN], ids=str)
async def test_a_closed_dossier_is_not_taken(cast, stage, status):
    dossier = await cast.dossier(stage.admin, status)
    with pytest.raises(processing.TransitionRefused) as refused_:
        await processing.take(cast.session, await cast.access(stage.officer), dossier.id, now=NOW)
    assert refused_.value.code == "FORBIDDEN_TRANSITION"
    assert "n'est plus à prendre en charge" in refused_.value.message
    assert (await cast.reload(dossier.id)).assigned_officer_id is None


async def test_an_optional_message_is_kept_and_trimmed(cast, stage):
    dossier = await cast.dossier(stage.admin, S.SUBMITTED)
    await processing.act(
        cast.session, await cast.access(stage.officer), dossier.id, A.ACCEPT, message="  Dossier complet.  "
    )
    assert (await cast.events(dossier.id))[-1].message == "Dossier complet."


async def test_submit_and_resubmit_after_a_complement_through_the_services(cast, stage):
    admin = await cast.access(stage.admin)
    proc = Procedure.TEMPORARY_ADMISSION
    dossier = await filing.create_dossier(cast.session, admin, operator_id=None, procedure=proc.value)
    for kind, values in goods_inputs(proc):
        await goods.add_goods_line(cast.session, admin, dossier.id, kind, values)
    dossier = await filing.update_dossier(cast.session, admin, dossier.id, dossier.version, answers(proc))
    dossier = await filing.submit_dossier(cast.session, admin, dossier.id, dossier.version)
    assert dossier.status is S.SUBMITTED and dossier.customs_office == "FR000690"
    officer = await cast.access(stage.officer)
    await processing.act(cast.session, officer, dossier.id, A.REQUEST_COMPLEMENT, message="Joindre le bail.")
    dossier = await cast.reload(dossier.id)
    assert dossier.status is S.COMPLEMENT_REQUESTED
    # The applicant completes the form and submits again.
    dossier = await filing.update_dossier(
        cast.session, admin, dossier.id, dossier.version, {"accounts.details": "Comptabilité matières par lot."}
    )
    dossier = await filing.submit_dossier(cast.session, admin, dossier.id, dossier.version)
    assert dossier.status is S.SUBMITTED
    steps = [(e.kind, e.from_status, e.to_status, e.actor_id) for e in await cast.events(dossier.id)]
    assert steps == [
        ("created", None, "draft", stage.admin.id),
        ("submitted", "draft", "submitted", stage.admin.id),
        ("request_complement", "submitted", "complement_requested", stage.officer.id),
        ("resubmitted", "complement_requested", "submitted", stage.admin.id),
    ]


@pytest.mark.parametrize(
    ("status", "who", "action", "error", "words"),
    [
        (S.SUBMITTED, "officer", A.GRANT, "FORBIDDEN_TRANSITION", ["octroyer l'autorisation", "déposé"]),
        (
            S.ACCEPTED,
            "officer",
            A.REFUSE,
            "FORBIDDEN_TRANSITION",
            ["refuser la demande", "accepté (en instruction)"],
        ),
        (S.GRANTED, "admin", A.WITHDRAW, "FORBIDDEN_TRANSITION", ["retirer la demande", "octroyé"]),
        (S.REFUSED, "admin", A.WITHDRAW, "FORBIDDEN_TRANSITION", ["retirer la demande", "refusé"]),
        (S.HEARING, "officer", A.ACCEPT, "FORBIDDEN_TRANSITION", ["accepter la demande", "droit d'être entendu"]),
        (S.COMPLEMENT_REQUESTED, "officer", A.ACCEPT, "FORBIDDEN_TRANSITION", ["accepter", "complément demandé"]),
        # An officer never sees a draft: it stays with the applicant.
        (S.DRAFT, "officer", A.ACCEPT, "NOT_FOUND", ["Dossier introuvable"]),
        # A professional is told a customs action is not theirs, whatever the status.
        (S.SUBMITTED, "admin", A.ACCEPT, "FORBIDDEN", ["douanes"]),
        (S.DRAFT, "admin", A.ACCEPT, "FORBIDDEN", ["douanes"]),
        (S.HEARING, "admin", A.GRANT, "FORBIDDEN", ["douanes"]),
        # An officer of another office sees nothing of it.
        (S.SUBMITTED, "elsewhere", A.ACCEPT, "NOT_FOUND", ["Dossier introuvable"]),
        (S.HEARING, "elsewhere", A.REFUSE, "NOT_FOUND", ["Dossier introuvable"]),
        # A consult-only collaborator reads the dossier but may not withdraw it.
        (S.SUBMITTED, "consult", A.WITHDRAW, "FORBIDDEN", ["droit"]),
        (S.GRANTED, "consult", A.WITHDRAW, "FORBIDDEN", ["droit"]),
        # An officer may not withdraw the applicant's request.
        (S.SUBMITTED, "officer", A.WITHDRAW, "PROFESSIONAL_ONLY", ["professionnels"]),
    ],
    ids=lambda v: v.value if isinstance(v, S | A) else (v if isinstance(v, str) else None),
)
async def test_forbidden_actions_change_nothing(cast, stage, status, who, action, error, words):
    dossier = await cast.dossier(stage.admin, status)
    version = dossier.version
    before = await cast.events(dossier.id)
    actor = getattr(stage, who)
    with pytest.raises(DomainError) as refused:
        await processing.act(cast.session, await cast.access(actor), dossier.id, action, message="Motif.")
    assert refused.value.code == error, refused.value.message
    for word in words:
        assert word in refused.value.message, refused.value.message
    if error == "NOT_FOUND":
        assert isinstance(refused.value, NotFound)
    if error == "FORBIDDEN":
        assert isinstance(refused.value, Forbidden)
    stored = await cast.reload(dossier.id)
    assert stored.status is status and stored.version == version
    assert len(await cast.events(dossier.id)) == len(before)


@pytest.mark.parametrize("step", [t for t in ACTS if t.needs_message], ids=name)
@pytest.mark.parametrize("message", [None, "", "  \n\t "], ids=["none", "empty", "blank"])
async def test_a_message_is_required_where_the_step_says_why(cast, stage, step, message):
    dossier = await cast.dossier(stage.admin, step.source)
    with pytest.raises(DomainError) as refused:
        await processing.act(
            cast.session, await cast.access(stage.actor_for(step.side)), dossier.id, step.action, message=message
        )
    assert (refused.value.code, refused.value.field) == ("MESSAGE_REQUIRED", "message")
    assert refused.value.message == f"{step.message_label} : ce message est obligatoire."
    assert (await cast.reload(dossier.id)).status is step.source
    assert len(await cast.events(dossier.id)) == 1  # only "created"


async def test_a_message_too_long_is_refused(cast, stage):
    dossier = await cast.dossier(stage.admin, S.SUBMITTED)
    officer = await cast.access(stage.officer)
    with pytest.raises(DomainError) as refused:
        await processing.act(cast.session, officer, dossier.id, A.NOT_ACCEPT, message="x" * 4001)
    assert (refused.value.code, refused.value.field) == ("INVALID", "message")
    await processing.act(cast.session, officer, dossier.id, A.NOT_ACCEPT, message="x" * 4000)
    assert (await cast.reload(dossier.id)).status is S.NOT_ACCEPTED


async def test_of_two_simultaneous_decisions_exactly_one_wins(cast, stage, database):
    dossier = await cast.dossier(stage.admin, S.SUBMITTED)

    async def decide(action: A, message: str | None) -> object:
        async with database.session() as session:
            access = await Cast(session, cast.settings).access(stage.officer)
            try:
                return await processing.act(session, access, dossier.id, action, message=message)
            except DomainError as error:
                return error

    results = await asyncio.gather(decide(A.ACCEPT, None), decide(A.NOT_ACCEPT, "Incomplet."))
    errors = [r for r in results if isinstance(r, DomainError)]
    assert len(errors) == 1, results
    assert errors[0].code in ("CONFLICT", "FORBIDDEN_TRANSITION")
    stored = await cast.reload(dossier.id)
    assert stored.status in (S.ACCEPTED, S.NOT_ACCEPTED)
    steps = [e for e in await cast.events(dossier.id) if e.kind != "created"]
    assert len(steps) == 1 and steps[0].to_status == stored.status.value


# --- 3. GraphQL over HTTP -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sophie(people):
    return people(SOPHIE)


@pytest.fixture(scope="module")
def paul(people):
    return people(PAUL)


@pytest.fixture(scope="module")
def claire(people):
    return people(CLAIRE, accept=False)


@pytest.fixture(scope="module")
def hugo(people):
    return people(HUGO, accept=False)


NAMES = {Side.APPLICANT: ("Sophie Moreau", "APPLICANT"), Side.CUSTOMS: ("Claire Bernard", "CUSTOMS")}


@pytest.mark.parametrize("step", ACTS, ids=name)
def test_each_action_over_graphql(sophie, claire, step):
    dossier = bring_to(step.source.name, sophie, claire)
    before = get(sophie, dossier["id"])["history"]
    client = claire if step.side is Side.CUSTOMS else sophie
    message = f"Motif en français : {ACTION_LABELS[step.action]}." if step.needs_message else None
    moved = act(client, dossier["id"], step.action.name, message)
    assert moved["status"] == step.target.name
    assert moved["statusLabel"] == step.target.label
    # Both sides see the same history (customs once it was submitted): exactly one more row, naming the step,
    # its actor and its message.
    for reader in (sophie, claire) if step.source is not S.DRAFT else (sophie,):
        seen = get(reader, dossier["id"])
        assert seen["status"] == step.target.name
        history = seen["history"]
        assert len(history) == len(before) + 1
        assert history[:-1] == before
        last = history[-1]
        actor_name, side = NAMES[step.side]
        assert (last["kind"], last["fromStatus"], last["toStatus"]) == (
            step.action.name,
            step.source.name,
            step.target.name,
        )
        # A grant's message is the authorisation it issued (reference and validity).
        said = message or ("" if step.action is not A.GRANT else last["message"])
        assert (last["actorName"], last["actorSide"], last["message"]) == (actor_name, side, said)
        assert last["label"] == step.label, last["label"]  # the label the workflow gives this very step
        if step.action is A.GRANT:
            assert last["message"].startswith("Autorisation FRTEA") and "délivrée, valable du" in last["message"]


def test_a_draft_withdrawn_before_submission_stays_invisible_to_customs(sophie, claire):
    """A draft names its office as soon as it is saved; withdrawing it must not hand it to that office."""
    dossier = bring_to("DRAFT", sophie, claire)
    assert get(claire, dossier["id"]) is None
    act(sophie, dossier["id"], "WITHDRAW")
    assert get(sophie, dossier["id"])["status"] == "WITHDRAWN"
    assert get(claire, dossier["id"]) is None
    everything = dashboard(claire, "ALL", search=dossier["reference"])
    assert everything["totalCount"] == 0, everything


def test_the_actions_offered_follow_the_status_and_the_side(sophie, paul, claire):
    dossier = bring_to("SUBMITTED", sophie, claire)
    assert get(claire, dossier["id"])["availableActions"] == ["request_complement", "accept", "not_accept"]
    assert get(sophie, dossier["id"])["availableActions"] == ["withdraw"]
    assert get(paul, dossier["id"])["availableActions"] == []  # consult only
    accepted = act(claire, dossier["id"], "ACCEPT")
    assert accepted["availableActions"] == ["notify_intended_refusal", "grant"]
    granted = act(claire, dossier["id"], "GRANT")
    assert granted["availableActions"] == []
    assert get(sophie, dossier["id"])["availableActions"] == []


def test_a_complement_round_trip_then_a_refusal_after_hearing(sophie, claire):
    dossier = submit(sophie, draft(sophie, "CW"))
    asked = act(claire, dossier["id"], "REQUEST_COMPLEMENT", "Précisez le lieu de stockage.")
    assert asked["status"] == "COMPLEMENT_REQUESTED"
    # The applicant corrects the form and submits again through submitDossier.
    fixed = ok(
        sophie,
        "mutation($id: ID!, $v: Int!, $c: JSON!) { updateDossier(id: $id, version: $v, changes: $c) { id version } }",
        {"id": dossier["id"], "v": asked["version"], "c": {"specific.lossRate": "1.5"}},
    )["updateDossier"]
    again = ok(sophie, SUBMIT, {"id": dossier["id"], "version": fixed["version"]})["submitDossier"]
    assert again["status"] == "SUBMITTED" and again["statusLabel"] == "déposé"
    act(claire, dossier["id"], "ACCEPT")
    act(claire, dossier["id"], "NOTIFY_INTENDED_REFUSAL", "Garanties insuffisantes.")
    refused_ = act(claire, dossier["id"], "REFUSE", "Garanties toujours insuffisantes après audition.")
    assert refused_["status"] == "REFUSED" and refused_["statusLabel"] == "refusé"
    history = [
        (e["kind"], e["label"], e["actorName"], e["fromStatus"], e["toStatus"], e["message"])
        for e in get(sophie, dossier["id"])["history"]
    ]
    assert history == [
        ("CREATED", "Dossier créé", "Sophie Moreau", None, "DRAFT", ""),
        ("SUBMITTED", "Dossier déposé", "Sophie Moreau", "DRAFT", "SUBMITTED", ""),
        (
            "REQUEST_COMPLEMENT",
            "Complément demandé",
            "Claire Bernard",
            "SUBMITTED",
            "COMPLEMENT_REQUESTED",
            "Précisez le lieu de stockage.",
        ),
        (
            "RESUBMITTED",
            "Dossier déposé à nouveau (complément apporté)",
            "Sophie Moreau",
            "COMPLEMENT_REQUESTED",
            "SUBMITTED",
            "",
        ),
        ("ACCEPT", "Demande acceptée : instruction en cours", "Claire Bernard", "SUBMITTED", "ACCEPTED", ""),
        (
            "NOTIFY_INTENDED_REFUSAL",
            "Intention de refus notifiée : droit d'être entendu",
            "Claire Bernard",
            "ACCEPTED",
            "HEARING",
            "Garanties insuffisantes.",
        ),
        (
            "REFUSE",
            "Demande refusée",
            "Claire Bernard",
            "HEARING",
            "REFUSED",
            "Garanties toujours insuffisantes après audition.",
        ),
    ]
    ats = [e["at"] for e in get(claire, dossier["id"])["history"]]
    assert ats == sorted(ats)


@pytest.mark.parametrize(
    ("status", "who", "action", "error", "words"),
    [
        ("SUBMITTED", "claire", "GRANT", "FORBIDDEN_TRANSITION", ["octroyer l'autorisation", "déposé"]),
        ("ACCEPTED", "claire", "REFUSE", "FORBIDDEN_TRANSITION", ["Impossible de refuser", "accepté"]),
        ("SUBMITTED", "claire", "NOTIFY_INTENDED_REFUSAL", "FORBIDDEN_TRANSITION", ["intention de refus"]),
        ("COMPLEMENT_REQUESTED", "claire", "ACCEPT", "FORBIDDEN_TRANSITION", ["complément demandé"]),
        ("DRAFT", "claire", "ACCEPT", "NOT_FOUND", ["Dossier introuvable"]),
        ("DRAFT", "sophie", "ACCEPT", "FORBIDDEN", ["douanes"]),
        ("SUBMITTED", "sophie", "ACCEPT", "FORBIDDEN", ["douanes"]),
        ("HEARING", "sophie", "REFUSE", "FORBIDDEN", ["douanes"]),
        ("SUBMITTED", "hugo", "ACCEPT", "NOT_FOUND", ["Dossier introuvable"]),
        ("ACCEPTED", "hugo", "GRANT", "NOT_FOUND", ["Dossier introuvable"]),
        ("SUBMITTED", "paul", "WITHDRAW", "FORBIDDEN", ["droit"]),
        ("SUBMITTED", "claire", "WITHDRAW", "PROFESSIONAL_ONLY", ["professionnels"]),
    ],
)
def test_forbidden_actions_over_graphql(request, sophie, claire, status, who, action, error, words):
    dossier = bring_to(status, sophie, claire)
    before = get(sophie, dossier["id"])
    refusal = act_refused(request.getfixturevalue(who), dossier["id"], action, "Motif.")
    assert code_of(refusal) == error, refusal
    for word in words:
        assert word in refusal["message"], refusal["message"]
    after = get(sophie, dossier["id"])
    assert (after["status"], after["version"], after["history"]) == (
        before["status"],
        before["version"],
        before["history"],
    )


def test_a_final_decision_is_final_over_graphql(sophie, claire):
    dossier = bring_to("ACCEPTED", sophie, claire)
    act(claire, dossier["id"], "GRANT")
    error = act_refused(sophie, dossier["id"], "WITHDRAW")
    assert code_of(error) == "FORBIDDEN_TRANSITION"
    assert error["message"] == "Impossible de retirer la demande : le dossier est octroyé."
    for action in ("GRANT", "REFUSE", "ACCEPT", "REQUEST_COMPLEMENT"):
        assert code_of(act_refused(claire, dossier["id"], action, "Motif.")) == "FORBIDDEN_TRANSITION"


@pytest.mark.parametrize("step", [t for t in ACTS if t.needs_message], ids=name)
def test_a_message_is_required_over_graphql(sophie, claire, step):
    dossier = bring_to(step.source.name, sophie, claire)
    for message in (None, "   "):
        error = act_refused(claire, dossier["id"], step.action.name, message)
        assert code_of(error) == "MESSAGE_REQUIRED"
        assert error["extensions"]["field"] == "message"
        assert error["message"] == f"{step.message_label} : ce message est obligatoire."
    assert get(sophie, dossier["id"])["status"] == step.source.name


def test_an_unknown_or_malformed_dossier_is_not_found(claire):
    for dossier_id in ("RG9zc2llcjo5OTk5OTk5OQ==", "pas-un-identifiant"):
        assert code_of(act_refused(claire, dossier_id, "ACCEPT")) == "NOT_FOUND"


def test_anonymous_cannot_act(live_server, sophie, claire):
    dossier = bring_to("SUBMITTED", sophie, claire)
    with httpx.Client(base_url=live_server.url) as anonymous:
        error = act_refused(anonymous, dossier["id"], "ACCEPT")
    assert code_of(error) in ("UNAUTHENTICATED", "NOT_FOUND")
    assert get(sophie, dossier["id"])["status"] == "SUBMITTED"


def test_history_rows_name_their_event_ids_in_order(sophie, claire):
    dossier = bring_to("HEARING", sophie, claire)
    ids = [int(e["id"]) for e in get(sophie, dossier["id"])["history"]]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)


async def test_each_http_step_is_one_database_row(database, sophie, claire):
    dossier = bring_to("HEARING", sophie, claire)
    act(claire, dossier["id"], "GRANT")
    async with database.session() as session:
        rows = (
            await session.exec(
                select(DossierEvent)
                .where(DossierEvent.dossier_id == numeric_id(dossier["id"]))
                .order_by(DossierEvent.id)
            )
        ).all()
    assert [r.kind for r in rows] == ["created", "submitted", "accept", "notify_intended_refusal", "grant"]
    assert all(r.at <= utcnow() for r in rows)
