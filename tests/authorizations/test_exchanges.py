"""The holder's requests to customs and the comments on an authorisation (issue 11): who may, what they write in the
history, and that the measure answers (clears) the request."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import pytest

from backend.authorizations import exchanges, measures, reading
from backend.authorizations.exchanges import HolderRequest
from backend.authorizations.issuing import EventKind
from backend.errors import FieldErrors, Forbidden, NotFound
from backend.identity.models import Operator, Right
from backend.identity.policy import ProfessionalOnly
from tests.authorizations.test_issuing import NOW, granted
from tests.processing_support import Cast

LATER = NOW + dt.timedelta(days=1)


@pytest.fixture
async def cast(live_server, database) -> AsyncIterator[Cast]:
    async with database.session() as session:
        yield Cast(session, live_server.settings)


async def test_the_holder_asks_for_a_suspension_and_the_suspension_answers_it(cast):
    authorization, admin, officer = await granted(cast)
    holder = await cast.access(admin)
    assert exchanges.offered(holder, authorization, LATER.date()) == [HolderRequest.SUSPEND, HolderRequest.REVOKE]
    asked = await exchanges.ask_customs(
        cast.session,
        holder,
        authorization.id,
        HolderRequest.SUSPEND,
        "Arrêt de l'atelier pour travaux.",
        now=LATER,
    )
    assert asked.holder_request == "suspend"
    history = await reading.history_of(cast.session, asked, LATER.date())
    assert (history[-1].kind, history[-1].actor_id) == (EventKind.SUSPENSION_REQUESTED, admin.id)
    assert "Arrêt de l'atelier" in history[-1].message
    assert exchanges.offered(holder, asked, LATER.date()) == []  # one pending request at a time
    with pytest.raises(exchanges.RequestRefused) as refused:
        await exchanges.ask_customs(
            cast.session, holder, authorization.id, HolderRequest.REVOKE, "Aussi.", now=LATER
        )
    assert "attend déjà la réponse" in refused.value.message
    suspended = await measures.suspend(
        cast.session,
        await cast.access(officer),
        authorization.id,
        case=measures.SuspensionCase.HOLDER_REQUEST,
        reason="À la demande du titulaire.",
        start=LATER.date(),
        end=None,
        now=LATER,
    )
    assert suspended.holder_request is None
    assert exchanges.offered(holder, suspended, LATER.date()) == [HolderRequest.REVOKE]


async def test_a_revocation_request_is_answered_by_the_revocation(cast):
    authorization, admin, officer = await granted(cast)
    holder = await cast.access(admin)
    await exchanges.ask_customs(
        cast.session, holder, authorization.id, HolderRequest.REVOKE, "Cessation.", now=LATER
    )
    revoked = await measures.revoke(
        cast.session, await cast.access(officer), authorization.id, reason="Demande du titulaire.", effective=None,
        now=LATER,
    )  # fmt: skip
    assert revoked.holder_request is None and exchanges.offered(holder, revoked, LATER.date()) == []


async def test_who_may_ask_customs_and_that_a_reason_is_required(cast):
    authorization, admin, officer = await granted(cast)
    siret = (await cast.session.get(Operator, admin.operator_id)).siret
    preparer = await cast.professional(siret, prefix="prepare")
    await cast.habilitate(preparer, Right.PREPARE, by=admin)
    with pytest.raises(Forbidden):  # a request commits the operator: the submit right
        await exchanges.ask_customs(
            cast.session, await cast.access(preparer), authorization.id, HolderRequest.SUSPEND, "Motif.", now=LATER
        )
    with pytest.raises(NotFound):
        await exchanges.ask_customs(
            cast.session, await cast.access(await cast.professional()), authorization.id, HolderRequest.SUSPEND,
            "Motif.", now=LATER,
        )  # fmt: skip
    with pytest.raises(ProfessionalOnly):  # customs take the measure; they do not ask for it
        await exchanges.ask_customs(
            cast.session, await cast.access(officer), authorization.id, HolderRequest.SUSPEND, "Motif.", now=LATER
        )
    with pytest.raises(FieldErrors) as refused:
        await exchanges.ask_customs(
            cast.session, await cast.access(admin), authorization.id, HolderRequest.SUSPEND, "  ", now=LATER
        )
    assert refused.value.problems == [("reason", "Indiquez le motif de votre demande.")]
    after = await reading.get_authorization(cast.session, await cast.access(admin), authorization.id)
    assert after.holder_request is None


async def test_both_sides_comment_in_the_history_and_others_may_not(cast):
    authorization, admin, officer = await granted(cast)
    await exchanges.comment(cast.session, await cast.access(admin), authorization.id, "Question du titulaire.")
    await exchanges.comment(cast.session, await cast.access(officer), authorization.id, "Réponse de la douane.")
    history = await reading.history_of(cast.session, authorization, LATER.date())
    assert [(h.kind, h.message) for h in history[-2:]] == [
        (EventKind.COMMENT, "Question du titulaire."),
        (EventKind.COMMENT, "Réponse de la douane."),
    ]
    siret = (await cast.session.get(Operator, admin.operator_id)).siret
    consult = await cast.professional(siret, prefix="consult")
    await cast.habilitate(consult, Right.CONSULT, by=admin)
    with pytest.raises(Forbidden):
        await exchanges.comment(cast.session, await cast.access(consult), authorization.id, "Moi aussi.")
    with pytest.raises(NotFound):
        await exchanges.comment(
            cast.session, await cast.access(await cast.officer("FR002300")), authorization.id, "x"
        )
    with pytest.raises(FieldErrors):
        await exchanges.comment(cast.session, await cast.access(admin), authorization.id, "")
