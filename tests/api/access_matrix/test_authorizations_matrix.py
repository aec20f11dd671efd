"""The access matrix of issued authorisations: the list (and its filters), one authorisation, node(id:) of an
authorisation and of a version, the grant, the customs measures, the right to be heard before an adverse one (customs
notify the measure they intend, or drop it; the holder answers), the holder's requests (an amendment, a renewal), the
exchanges with customs (the holder asks customs to suspend or revoke; a comment in the history), and the PDF of a
version (a plain HTTP route).

Rules: an authorisation is seen by its holder's users with any right (consult, prepare, submit), by representatives with
a full mandate, under a partial mandate only when their own firm filed the application, and by the officers of the
issuing office (issued means it was submitted: no status condition); an API token sees what its user sees with its
right. What may not be seen answers like what does not exist: null for a lookup, NOT_FOUND for a mutation, 404 for the
PDF. Like a dossier, a professional who has not accepted the terms is told so (TERMS_NOT_ACCEPTED) by one authorisation
and by every mutation, whatever the id (node(id:) and the PDF: like nothing), and nobody logged in gets null for one
authorisation. The list is for professionals and customs (a private person: PROFESSIONAL_ONLY). The grant is for an
officer of the dossier's office, once the dossier is accepted or heard (a professional asking is told it is not theirs:
FORBIDDEN); each measure is for an officer of the issuing office (its holder's side, who sees it, gets FORBIDDEN). An
adverse measure (a suspension in case a or b, a revocation, an annulment) is taken only once the holder has been heard
on that very measure: the ALLOW rows work on a copy whose holder was notified of it and answered; nothing notified, or
notified and the holder's time still running: FORBIDDEN_TRANSITION; no answer within HEARING_DAYS counts as heard; a
suspension (case c) or a revocation the holder asked for is not adverse (no hearing). Notifying the intended measure
with its grounds, and dropping it, are for an officer of the issuing office (its holder's side: FORBIDDEN); one measure
intended at a time, and nothing to drop when none is: FORBIDDEN_TRANSITION; no grounds: `invalid(reason)`. Answering it
(observations, once, within HEARING_DAYS) is for its side with the submit right (they commit the operator: who only
consults or prepares, and the consult-bound API token, FORBIDDEN; customs, who see it: PROFESSIONAL_ONLY); nothing
intended, answered already or the time over: FORBIDDEN_TRANSITION; empty: `invalid(observations)`. The holder's requests
(a draft amendment or renewal dossier) are for its side with the prepare right (who only consults: FORBIDDEN; customs,
who see it: PROFESSIONAL_ONLY); one at a time, not once it has ended, and a renewal only in its window
(RENEWAL_WINDOW_DAYS before the end of validity): FORBIDDEN_TRANSITION. Asking customs to suspend or revoke it is for
its side with the submit right (it commits the operator: who only consults or prepares, and the consult-bound API token,
FORBIDDEN; customs, who see it: PROFESSIONAL_ONLY), answered with the request pending (holderRequest); one request at a
time, none once it is revoked, expired or annulled, and no suspension of what is already suspended:
FORBIDDEN_TRANSITION. A comment is for its side with the prepare right (consult only: FORBIDDEN) and for an officer of
the issuing office; an empty one is refused on its field (INVALID, `invalid(text)`). Who may act is decided before
whether it can be done now. Nobody logged in: UNAUTHENTICATED for the list, the grant, the measures, the hearing, the
requests and the exchanges (the PDF: 404). Targets are keys of AUTHORIZATIONS (a measure, a hearing step, a request or
an exchange works on a fresh copy per row, and what a request makes is deleted after it) or, for the grant, dossier keys
of DOSSIERS / LATER_DOSSIERS (a fresh copy per row, its authorisation deleted after it).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest_asyncio

from backend.authorizations.models import Authorization
from tests.api.access_matrix.operations import COMMENT_TEXT
from tests.api.access_matrix.runner import (
    assert_invisible_like_missing,
    assert_row,
    invisible_like_missing,
    matrix,
)
from tests.api.access_matrix.world import (
    ALLOW,
    AUTHORIZATIONS,
    FORBIDDEN,
    FORBIDDEN_TRANSITION,
    MISSING,
    NOT_FOUND,
    NULL,
    PROFESSIONAL_ONLY,
    TERMS_NOT_ACCEPTED,
    UNAUTHENTICATED,
    World,
    _,
    delete_authorizations,
    fields,
    insert_authorization,
    invalid,
    lists,
    reads,
    snapshot,
)


@pytest_asyncio.fixture(loop_scope="session", scope="module")
async def world(world: World) -> AsyncIterator[World]:
    """The module's world (conftest.py) with the fixture authorisations of AUTHORIZATIONS, issued for this module and
    deleted after it (with the dossiers they were issued from); the baseline then includes them."""
    for key in AUTHORIZATIONS:
        issued = await insert_authorization(world, key)
        world.authorizations[key] = issued.id
        world.authorization_versions[key] = issued.version_id
        world.authorization_references[key] = issued.reference
    world.baseline = await snapshot(world.db, world)
    yield world
    await delete_authorizations(world.db, Authorization.id.in_(list(world.authorizations.values())))


MEASURES = (
    "suspendAuthorization",
    "liftAuthorizationSuspension",
    "revokeAuthorization",
    "annulAuthorization",
    "reassessAuthorization",
)


def measures(actor: str, target: str, expected: Any) -> list[tuple[str, str, Any, Any]]:
    """The same outcome for every customs measure (each on a fresh copy of the target; the adverse ones: its holder
    heard on that measure)."""
    return [(actor, measure, target, expected) for measure in MEASURES]


ADVERSE = ("suspendAuthorization", "revokeAuthorization", "annulAuthorization")  # the suspension: case a


def adverse(actor: str, variant: str, target: str, expected: Any) -> list[tuple[str, str, Any, Any]]:
    """The same outcome for the three adverse measures on a fresh copy of the target whose holder is, on that measure:
    "unheard" (nothing notified), "awaiting" (notified today, their time runs), "time-over" (notified
    HEARING_DAYS + 1 days ago, never answered)."""
    return [(actor, f"{measure}:{variant}", target, expected) for measure in ADVERSE]


HEARING = (
    "notifyIntendedAuthorizationMeasure",
    "abandonIntendedAuthorizationMeasure",
    "answerAuthorizationHearing",
)


def hearing(actor: str, target: str, expected: Any) -> list[tuple[str, str, Any, Any]]:
    """The same outcome for notifying a suspension intended, dropping it, and answering it (each on a fresh copy of
    the target: nothing intended; a suspension intended; a suspension intended and unanswered)."""
    return [(actor, mutation, target, expected) for mutation in HEARING]


NOTIFIED = {  # the measure is intended; the holder has not been heard yet
    measure: reads(state="ACTIVE", hearing={"measure": measure, "heard": False})
    for measure in ("suspend", "revoke", "annul")
}
ABANDONED = reads(state="ACTIVE", hearing=None)  # nothing intended any more
ANSWERED = reads(hearing={"measure": "suspend", "heard": True}, mayAnswerHearing=False)  # now it may be decided


def notifies(actor: str, target: str) -> list[tuple[str, str, Any, Any]]:
    """Each adverse measure may be notified (the suspension, the revocation, the annulment)."""
    return [
        (actor, "notifyIntendedAuthorizationMeasure", target, NOTIFIED["suspend"]),
        (actor, "notifyIntendedAuthorizationMeasure:revoke", target, NOTIFIED["revoke"]),
        (actor, "notifyIntendedAuthorizationMeasure:annul", target, NOTIFIED["annul"]),
    ]


REQUESTS = ("requestAmendment", "requestRenewal")  # the renewal: on a copy ending on the first day of its window


def requests(actor: str, target: str, expected: Any) -> list[tuple[str, str, Any, Any]]:
    """The same outcome for both of the holder's requests (each on a fresh copy of the target)."""
    return [(actor, request, target, expected) for request in REQUESTS]


AMENDMENT = reads(purpose="AMENDMENT", status="DRAFT")  # a draft amendment of it
RENEWAL = reads(purpose="RENEWAL", status="DRAFT")


def asked(actor: str, target: str) -> list[tuple[str, str, Any, Any]]:
    """Both requests allowed: a draft amendment, a draft renewal."""
    return [(actor, "requestAmendment", target, AMENDMENT), (actor, "requestRenewal", target, RENEWAL)]


EXCHANGES = ("askCustomsAboutAuthorization", "commentOnAuthorization")  # asking customs: to suspend it


def exchanges(actor: str, target: str, expected: Any) -> list[tuple[str, str, Any, Any]]:
    """The same outcome for asking customs (to suspend) and for commenting (each on a fresh copy of the target)."""
    return [(actor, exchange, target, expected) for exchange in EXCHANGES]


ASKED_SUSPEND = reads(holderRequest="suspend", state="ACTIVE")  # the request now waits for customs
ASKED_REVOKE = reads(holderRequest="revoke", state="ACTIVE")
COMMENTED = reads(kind="comment", message=COMMENT_TEXT, version=1)  # the history entry, on its version 1


def asks_customs(actor: str, target: str) -> list[tuple[str, str, Any, Any]]:
    """Both requests to customs allowed (to suspend, to revoke): each left pending on the copy."""
    return [
        (actor, "askCustomsAboutAuthorization", target, ASKED_SUSPEND),
        (actor, "askCustomsAboutAuthorization:revoke", target, ASKED_REVOKE),
    ]


AUTHORIZATIONS_MATRIX: list[tuple[str, str, Any, Any]] = [
    # ---------------------------------------------------------------- admin: Marie, administrator of Ateliers Durand
    ("admin", "authorizations", _, lists("DURAND")),
    ("admin", "authorizations:reference", "DURAND", reads(totalCount=1)),
    ("admin", "authorizations:reference", "RHONE", reads(totalCount=0)),
    ("admin", "authorizations:reference", "CHOCOLAT", reads(totalCount=0)),  # her representative's client
    ("admin", "authorizations:siret", "DURAND", lists("DURAND")),
    ("admin", "authorizations:siret", "RHONE", reads(totalCount=0)),  # searching by SIRET reveals nothing
    ("admin", "authorization", "DURAND", ALLOW),
    ("admin", "authorization", "RHONE", NULL),
    ("admin", "authorization", "CHOCOLAT", NULL),
    ("admin", "authorization", MISSING, NULL),
    ("admin", "node", "Authorization:DURAND", ALLOW),
    ("admin", "node", "Authorization:RHONE", NULL),
    ("admin", "node", "Authorization:MISSING", NULL),
    ("admin", "node", "AuthorizationVersion:DURAND", ALLOW),
    ("admin", "node", "AuthorizationVersion:RHONE", NULL),
    ("admin", "node", "AuthorizationVersion:MISSING", NULL),
    ("admin", "aliases:authorization", "DURAND|RHONE", fields(a=ALLOW, b=NULL)),
    ("admin", "aliases:node", "Authorization:DURAND|Authorization:CHOCOLAT", fields(a=ALLOW, b=NULL)),
    ("admin", "authorizationPdf", "DURAND", ALLOW),
    ("admin", "authorizationPdf", "RHONE", NOT_FOUND),
    ("admin", "authorizationPdf", MISSING, NOT_FOUND),
    ("admin", "authorizationPdf:version-2", "DURAND", NOT_FOUND),  # no such version of hers
    ("admin", "grantDossier", "DURAND+ACCEPTED", FORBIDDEN),  # granting is for customs
    ("admin", "grantDossier", "CHOCOLAT+ACCEPTED", NOT_FOUND),
    ("admin", "grantDossier", MISSING, NOT_FOUND),
    *measures("admin", "DURAND", FORBIDDEN),  # she sees it: not of the issuing office
    *measures("admin", "RHONE", NOT_FOUND),
    ("admin", "suspendAuthorization", MISSING, NOT_FOUND),
    ("admin", "revokeAuthorization", "CHOCOLAT", NOT_FOUND),
    ("admin", "liftAuthorizationSuspension:not-suspended", "DURAND", FORBIDDEN),  # who may act, before when
    ("admin", "suspendAuthorization:unheard", "DURAND", FORBIDDEN),  # who may act, before whether heard
    *asked("admin", "DURAND"),
    *requests("admin", "RHONE", NOT_FOUND),
    *requests("admin", "CHOCOLAT", NOT_FOUND),  # her representative's client
    *requests("admin", MISSING, NOT_FOUND),
    ("admin", "requestAmendment:pending", "DURAND", FORBIDDEN_TRANSITION),  # one request at a time
    ("admin", "requestAmendment:revoked", "DURAND", FORBIDDEN_TRANSITION),  # it has ended: a new application
    ("admin", "requestRenewal:before-window", "DURAND", FORBIDDEN_TRANSITION),  # the window opens tomorrow
    ("admin", "requestRenewal:pending", "DURAND", FORBIDDEN_TRANSITION),  # an amendment of it in progress
    ("admin", "requestRenewal:expired", "DURAND", FORBIDDEN_TRANSITION),
    ("admin", "requestRenewal:before-window", "RHONE", NOT_FOUND),
    *asks_customs("admin", "DURAND"),  # her operator's administrator: the submit right
    ("admin", "commentOnAuthorization", "DURAND", COMMENTED),
    *exchanges("admin", "RHONE", NOT_FOUND),
    *exchanges("admin", "CHOCOLAT", NOT_FOUND),  # her representative's client
    *exchanges("admin", MISSING, NOT_FOUND),
    ("admin", "askCustomsAboutAuthorization:pending", "DURAND", FORBIDDEN_TRANSITION),  # one request at a time
    ("admin", "askCustomsAboutAuthorization:revoked", "DURAND", FORBIDDEN_TRANSITION),  # it has ended
    ("admin", "askCustomsAboutAuthorization:expired", "DURAND", FORBIDDEN_TRANSITION),
    ("admin", "askCustomsAboutAuthorization:annulled", "DURAND", FORBIDDEN_TRANSITION),
    ("admin", "askCustomsAboutAuthorization:suspended", "DURAND", FORBIDDEN_TRANSITION),  # already suspended...
    (
        "admin",
        "askCustomsAboutAuthorization:suspended-revoke",
        "DURAND",
        reads(holderRequest="revoke", state="SUSPENDED"),  # ... but its revocation may still be asked for
    ),
    ("admin", "askCustomsAboutAuthorization:revoked", "RHONE", NOT_FOUND),  # who may ask, before when
    ("admin", "commentOnAuthorization:blank", "DURAND", invalid("text")),  # nothing to say
    # The hearing: notifying a measure and dropping it are the issuing office's; answering, her side's with submit.
    ("admin", "notifyIntendedAuthorizationMeasure", "DURAND", FORBIDDEN),  # she sees it: not of the issuing office
    ("admin", "notifyIntendedAuthorizationMeasure:intended", "DURAND", FORBIDDEN),  # who may act, before when
    ("admin", "abandonIntendedAuthorizationMeasure", "DURAND", FORBIDDEN),
    ("admin", "abandonIntendedAuthorizationMeasure:nothing", "DURAND", FORBIDDEN),
    ("admin", "answerAuthorizationHearing", "DURAND", ANSWERED),  # her operator's administrator: the submit right
    ("admin", "answerAuthorizationHearing:answered", "DURAND", FORBIDDEN_TRANSITION),  # once
    ("admin", "answerAuthorizationHearing:time-over", "DURAND", FORBIDDEN_TRANSITION),  # within HEARING_DAYS
    ("admin", "answerAuthorizationHearing:nothing", "DURAND", FORBIDDEN_TRANSITION),  # nothing to answer
    ("admin", "answerAuthorizationHearing:blank", "DURAND", invalid("observations")),  # nothing to say
    *hearing("admin", "RHONE", NOT_FOUND),
    *hearing("admin", "CHOCOLAT", NOT_FOUND),  # her representative's client
    *hearing("admin", MISSING, NOT_FOUND),
    ("admin", "answerAuthorizationHearing:answered", "RHONE", NOT_FOUND),  # who may answer, before when
    # ---------------------------------------------------------------- consult: Paul, collaborator (consult) of Durand
    ("consult", "authorizations", _, lists("DURAND")),  # consult is enough to read
    ("consult", "authorizations:reference", "DURAND", reads(totalCount=1)),
    ("consult", "authorizations:reference", "MARTIN", reads(totalCount=0)),
    ("consult", "authorizations:siret", "DURAND", lists("DURAND")),
    ("consult", "authorization", "DURAND", ALLOW),
    ("consult", "authorization", "CHOCOLAT", NULL),
    ("consult", "node", "Authorization:DURAND", ALLOW),
    ("consult", "node", "Authorization:RHONE", NULL),
    ("consult", "node", "AuthorizationVersion:DURAND", ALLOW),
    ("consult", "node", "AuthorizationVersion:CHOCOLAT", NULL),
    ("consult", "aliases:authorization", "DURAND|CHOCOLAT", fields(a=ALLOW, b=NULL)),
    ("consult", "authorizationPdf", "DURAND", ALLOW),
    ("consult", "authorizationPdf", "CHOCOLAT", NOT_FOUND),
    ("consult", "grantDossier", "DURAND+ACCEPTED", FORBIDDEN),
    ("consult", "grantDossier", "CHOCOLAT+ACCEPTED", NOT_FOUND),
    *measures("consult", "DURAND", FORBIDDEN),
    ("consult", "suspendAuthorization", "RHONE", NOT_FOUND),
    ("consult", "annulAuthorization", "CHOCOLAT", NOT_FOUND),
    *requests("consult", "DURAND", FORBIDDEN),  # consult reads; asking for a change needs prepare
    *requests("consult", "CHOCOLAT", NOT_FOUND),
    ("consult", "requestAmendment:pending", "DURAND", FORBIDDEN),  # who may ask, before whether now
    ("consult", "requestRenewal:before-window", "DURAND", FORBIDDEN),
    *exchanges("consult", "DURAND", FORBIDDEN),  # consult reads; asking needs submit, commenting prepare
    ("consult", "askCustomsAboutAuthorization:revoke", "DURAND", FORBIDDEN),
    *exchanges("consult", "CHOCOLAT", NOT_FOUND),
    ("consult", "askCustomsAboutAuthorization:pending", "DURAND", FORBIDDEN),  # who may ask, before when
    ("consult", "askCustomsAboutAuthorization:suspended", "DURAND", FORBIDDEN),
    ("consult", "commentOnAuthorization:blank", "DURAND", FORBIDDEN),  # who may comment, before what
    *hearing("consult", "DURAND", FORBIDDEN),  # notifying is the office's; observations need submit
    ("consult", "answerAuthorizationHearing:answered", "DURAND", FORBIDDEN),  # who may answer, before when...
    ("consult", "answerAuthorizationHearing:blank", "DURAND", FORBIDDEN),  # ... and before what
    *hearing("consult", "CHOCOLAT", NOT_FOUND),
    # ---------------------------------------------------------------- submit: Sophie, collaborator (submit) of Durand
    ("submit", "authorizations", _, lists("DURAND")),
    ("submit", "authorizations:reference", "DURAND", reads(totalCount=1)),
    ("submit", "authorizations:reference", "VERRERIE", reads(totalCount=0)),
    ("submit", "authorization", "DURAND", ALLOW),
    ("submit", "authorization", "MARTIN", NULL),
    ("submit", "node", "Authorization:DURAND", ALLOW),
    ("submit", "node", "Authorization:MARTIN", NULL),
    ("submit", "node", "AuthorizationVersion:DURAND", ALLOW),
    ("submit", "node", "AuthorizationVersion:RHONE", NULL),
    ("submit", "authorizationPdf", "DURAND", ALLOW),
    ("submit", "authorizationPdf", "MARTIN", NOT_FOUND),
    ("submit", "grantDossier", "DURAND+ACCEPTED", FORBIDDEN),  # submitting is not granting
    ("submit", "grantDossier", "CHOCOLAT+ACCEPTED", NOT_FOUND),
    *measures("submit", "DURAND", FORBIDDEN),
    ("submit", "revokeAuthorization", "CHOCOLAT", NOT_FOUND),
    *asked("submit", "DURAND"),  # submit includes prepare
    *requests("submit", "MARTIN", NOT_FOUND),
    ("submit", "requestRenewal:before-window", "DURAND", FORBIDDEN_TRANSITION),
    *asks_customs("submit", "DURAND"),  # the submit right
    ("submit", "commentOnAuthorization", "DURAND", COMMENTED),  # submit includes prepare
    *exchanges("submit", "MARTIN", NOT_FOUND),
    ("submit", "askCustomsAboutAuthorization:pending", "DURAND", FORBIDDEN_TRANSITION),
    ("submit", "askCustomsAboutAuthorization:suspended", "DURAND", FORBIDDEN_TRANSITION),
    ("submit", "notifyIntendedAuthorizationMeasure", "DURAND", FORBIDDEN),
    ("submit", "abandonIntendedAuthorizationMeasure", "DURAND", FORBIDDEN),
    ("submit", "answerAuthorizationHearing", "DURAND", ANSWERED),  # the submit right
    ("submit", "answerAuthorizationHearing:answered", "DURAND", FORBIDDEN_TRANSITION),
    ("submit", "answerAuthorizationHearing:time-over", "DURAND", FORBIDDEN_TRANSITION),
    ("submit", "answerAuthorizationHearing:blank", "DURAND", invalid("observations")),
    *hearing("submit", "MARTIN", NOT_FOUND),
    # ---------------------------------------------------------------- partner: Karim, admin of Logistique Rhône,
    #                                                                   partner (prepare) of Ateliers Durand
    ("partner", "authorizations", _, lists("DURAND", "RHONE")),
    ("partner", "authorizations:reference", "RHONE", reads(totalCount=1)),
    ("partner", "authorizations:reference", "DURAND", reads(totalCount=1)),
    ("partner", "authorizations:reference", "CHOCOLAT", reads(totalCount=0)),
    ("partner", "authorizations:siret", "RHONE", lists("RHONE")),
    ("partner", "authorization", "DURAND", ALLOW),
    ("partner", "authorization", "RHONE", ALLOW),
    ("partner", "authorization", "CHOCOLAT", NULL),
    ("partner", "authorization", MISSING, NULL),
    ("partner", "node", "Authorization:RHONE", ALLOW),
    ("partner", "node", "Authorization:MARTIN", NULL),
    ("partner", "node", "AuthorizationVersion:DURAND", ALLOW),
    ("partner", "node", "AuthorizationVersion:CHOCOLAT", NULL),
    ("partner", "aliases:authorization", "RHONE|MARTIN", fields(a=ALLOW, b=NULL)),
    ("partner", "authorizationPdf", "RHONE", ALLOW),
    ("partner", "authorizationPdf", "DURAND", ALLOW),
    ("partner", "authorizationPdf", "CHOCOLAT", NOT_FOUND),
    ("partner", "grantDossier", "DURAND+ACCEPTED", FORBIDDEN),
    ("partner", "grantDossier", "CHOCOLAT+ACCEPTED", NOT_FOUND),
    *measures("partner", "RHONE", FORBIDDEN),  # his own operator's: administering it does not make him customs
    ("partner", "suspendAuthorization", "DURAND", FORBIDDEN),
    ("partner", "suspendAuthorization", "CHOCOLAT", NOT_FOUND),
    ("partner", "reassessAuthorization", "MARTIN", NOT_FOUND),
    *asked("partner", "RHONE"),
    *asked("partner", "DURAND"),  # his prepare right on Ateliers Durand
    *requests("partner", "CHOCOLAT", NOT_FOUND),
    ("partner", "requestAmendment:pending", "DURAND", FORBIDDEN_TRANSITION),
    ("partner", "requestAmendment:revoked", "RHONE", FORBIDDEN_TRANSITION),
    *asks_customs("partner", "RHONE"),  # his own operator: he administers it
    ("partner", "commentOnAuthorization", "RHONE", COMMENTED),
    # His prepare right on Ateliers Durand: a comment, not a request that commits the operator.
    ("partner", "askCustomsAboutAuthorization", "DURAND", FORBIDDEN),
    ("partner", "askCustomsAboutAuthorization:revoke", "DURAND", FORBIDDEN),
    ("partner", "commentOnAuthorization", "DURAND", COMMENTED),
    *exchanges("partner", "CHOCOLAT", NOT_FOUND),
    ("partner", "askCustomsAboutAuthorization:pending", "DURAND", FORBIDDEN),  # who may ask, before when
    ("partner", "askCustomsAboutAuthorization:revoked", "RHONE", FORBIDDEN_TRANSITION),
    ("partner", "notifyIntendedAuthorizationMeasure", "RHONE", FORBIDDEN),  # his own operator's: not customs
    ("partner", "abandonIntendedAuthorizationMeasure", "RHONE", FORBIDDEN),
    ("partner", "answerAuthorizationHearing", "RHONE", ANSWERED),  # his own operator: he administers it
    ("partner", "answerAuthorizationHearing:nothing", "RHONE", FORBIDDEN_TRANSITION),
    *hearing("partner", "DURAND", FORBIDDEN),  # his prepare right: observations commit the operator
    ("partner", "answerAuthorizationHearing:answered", "DURAND", FORBIDDEN),  # who may answer, before when
    *hearing("partner", "CHOCOLAT", NOT_FOUND),
    # ---------------------------------------------------------------- representative: Lucie, admin of Transitaire
    #                                              Martin, representing Durand + Chocolaterie (full), Verrerie (partial)
    ("representative", "authorizations", _, lists("MARTIN", "DURAND", "CHOCOLAT", "VERRERIE<MARTIN")),
    ("representative", "authorizations:reference", "VERRERIE<MARTIN", reads(totalCount=1)),
    ("representative", "authorizations:reference", "VERRERIE", reads(totalCount=0)),  # not filed by her firm
    ("representative", "authorizations:reference", "RHONE", reads(totalCount=0)),
    ("representative", "authorizations:siret", "VERRERIE", lists("VERRERIE<MARTIN")),  # ... not even by SIRET
    ("representative", "authorizations:siret", "CHOCOLAT", lists("CHOCOLAT")),
    ("representative", "authorization", "MARTIN", ALLOW),
    ("representative", "authorization", "DURAND", ALLOW),  # full mandate: every one, filed by whoever
    ("representative", "authorization", "CHOCOLAT", ALLOW),
    ("representative", "authorization", "VERRERIE<MARTIN", ALLOW),  # partial mandate: those her firm filed...
    ("representative", "authorization", "VERRERIE", NULL),  # ... and not one filed by someone else
    ("representative", "authorization", "RHONE", NULL),
    ("representative", "authorization", MISSING, NULL),
    ("representative", "node", "Authorization:VERRERIE<MARTIN", ALLOW),
    ("representative", "node", "Authorization:VERRERIE", NULL),
    ("representative", "node", "Authorization:RHONE", NULL),
    ("representative", "node", "AuthorizationVersion:VERRERIE<MARTIN", ALLOW),
    ("representative", "node", "AuthorizationVersion:VERRERIE", NULL),
    ("representative", "aliases:authorization", "VERRERIE<MARTIN|VERRERIE", fields(a=ALLOW, b=NULL)),
    (
        "representative",
        "aliases:node",
        "AuthorizationVersion:CHOCOLAT|AuthorizationVersion:VERRERIE",
        fields(a=ALLOW, b=NULL),
    ),
    ("representative", "authorizationPdf", "VERRERIE<MARTIN", ALLOW),
    ("representative", "authorizationPdf", "CHOCOLAT", ALLOW),
    ("representative", "authorizationPdf", "VERRERIE", NOT_FOUND),
    ("representative", "authorizationPdf", "RHONE", NOT_FOUND),
    ("representative", "grantDossier", "CHOCOLAT+ACCEPTED", FORBIDDEN),
    ("representative", "grantDossier", "DURAND+ACCEPTED", FORBIDDEN),
    *measures("representative", "CHOCOLAT", FORBIDDEN),
    *measures("representative", "VERRERIE", NOT_FOUND),
    ("representative", "suspendAuthorization", "VERRERIE<MARTIN", FORBIDDEN),
    ("representative", "revokeAuthorization", "MARTIN", FORBIDDEN),  # her own firm's
    ("representative", "annulAuthorization", "RHONE", NOT_FOUND),
    ("representative", "revokeAuthorization:unheard", "MARTIN", FORBIDDEN),  # who may act, before whether heard
    *asked("representative", "MARTIN"),  # her own firm's
    *asked("representative", "DURAND"),  # full mandate: every one, filed by whoever
    *asked("representative", "CHOCOLAT"),
    *asked("representative", "VERRERIE<MARTIN"),  # partial mandate: those her firm filed...
    *requests("representative", "VERRERIE", NOT_FOUND),  # ... and not one filed by someone else
    *requests("representative", "RHONE", NOT_FOUND),
    ("representative", "requestAmendment:pending", "CHOCOLAT", FORBIDDEN_TRANSITION),
    ("representative", "requestRenewal:before-window", "VERRERIE<MARTIN", FORBIDDEN_TRANSITION),
    ("representative", "requestRenewal:expired", "CHOCOLAT", FORBIDDEN_TRANSITION),
    ("representative", "requestRenewal:before-window", "VERRERIE", NOT_FOUND),
    *asks_customs("representative", "MARTIN"),  # her own firm's
    ("representative", "commentOnAuthorization", "MARTIN", COMMENTED),
    *asks_customs("representative", "DURAND"),  # full mandate: her firm's right (submit, she administers it)
    ("representative", "commentOnAuthorization", "DURAND", COMMENTED),
    *asks_customs("representative", "CHOCOLAT"),
    ("representative", "commentOnAuthorization", "CHOCOLAT", COMMENTED),
    *asks_customs("representative", "VERRERIE<MARTIN"),  # partial mandate: those her firm filed...
    ("representative", "commentOnAuthorization", "VERRERIE<MARTIN", COMMENTED),
    *exchanges("representative", "VERRERIE", NOT_FOUND),  # ... and not one filed by someone else
    *exchanges("representative", "RHONE", NOT_FOUND),
    ("representative", "askCustomsAboutAuthorization:pending", "VERRERIE<MARTIN", FORBIDDEN_TRANSITION),
    ("representative", "askCustomsAboutAuthorization:expired", "CHOCOLAT", FORBIDDEN_TRANSITION),
    ("representative", "askCustomsAboutAuthorization:suspended", "CHOCOLAT", FORBIDDEN_TRANSITION),
    (
        "representative",
        "askCustomsAboutAuthorization:suspended-revoke",
        "CHOCOLAT",
        reads(holderRequest="revoke", state="SUSPENDED"),
    ),
    ("representative", "askCustomsAboutAuthorization:revoked", "VERRERIE", NOT_FOUND),
    ("representative", "notifyIntendedAuthorizationMeasure", "CHOCOLAT", FORBIDDEN),
    ("representative", "abandonIntendedAuthorizationMeasure", "MARTIN", FORBIDDEN),  # her own firm's
    ("representative", "answerAuthorizationHearing", "MARTIN", ANSWERED),  # her own firm's
    ("representative", "answerAuthorizationHearing", "DURAND", ANSWERED),  # full mandate: her firm's right
    ("representative", "answerAuthorizationHearing", "CHOCOLAT", ANSWERED),
    ("representative", "answerAuthorizationHearing", "VERRERIE<MARTIN", ANSWERED),  # partial mandate: hers...
    *hearing("representative", "VERRERIE", NOT_FOUND),  # ... and not one filed by someone else
    *hearing("representative", "RHONE", NOT_FOUND),
    ("representative", "answerAuthorizationHearing:time-over", "CHOCOLAT", FORBIDDEN_TRANSITION),
    (
        "representative",
        "answerAuthorizationHearing:answered",
        "VERRERIE",
        NOT_FOUND,
    ),  # who may answer, before when
    # ---------------------------------------------------------------- private: Jean, a private person
    # The list is for professionals and customs (like `dossiers`): PROFESSIONAL_ONLY; one authorisation is answered
    # like anyone who sees nothing (null, not found, 404).
    ("private", "authorizations", _, PROFESSIONAL_ONLY),
    ("private", "authorizations:reference", "DURAND", PROFESSIONAL_ONLY),
    ("private", "authorizations:siret", "DURAND", PROFESSIONAL_ONLY),
    ("private", "authorization", "DURAND", NULL),
    ("private", "authorization", MISSING, NULL),
    ("private", "node", "Authorization:DURAND", NULL),
    ("private", "node", "AuthorizationVersion:DURAND", NULL),
    ("private", "authorizationPdf", "DURAND", NOT_FOUND),
    ("private", "grantDossier", "DURAND+ACCEPTED", NOT_FOUND),
    *measures("private", "DURAND", NOT_FOUND),
    *requests("private", "DURAND", NOT_FOUND),  # like a measure (not the filing mutations' PROFESSIONAL_ONLY)
    ("private", "requestAmendment", MISSING, NOT_FOUND),
    *exchanges("private", "DURAND", NOT_FOUND),  # he sees nothing: like one that does not exist
    *exchanges("private", MISSING, NOT_FOUND),
    ("private", "annulAuthorization:unheard", "DURAND", NOT_FOUND),
    *hearing("private", "DURAND", NOT_FOUND),  # answering: like one that does not exist, not PROFESSIONAL_ONLY
    *hearing("private", MISSING, NOT_FOUND),
    # ---------------------------------------------------------------- officer: Claire, customs, office FR000690
    ("officer", "authorizations", _, lists("DURAND", "RHONE", "MARTIN", "VERRERIE<MARTIN", "VERRERIE", "NEW")),
    ("officer", "authorizations:reference", "VERRERIE", reads(totalCount=1)),
    ("officer", "authorizations:reference", "CHOCOLAT", reads(totalCount=0)),  # another office's
    ("officer", "authorizations:siret", "VERRERIE", lists("VERRERIE<MARTIN", "VERRERIE")),
    ("officer", "authorization", "DURAND", ALLOW),
    ("officer", "authorization", "NEW", ALLOW),  # whether its holder accepted the terms is no customs business
    ("officer", "authorization", "CHOCOLAT", NULL),
    ("officer", "authorization", MISSING, NULL),
    ("officer", "node", "Authorization:DURAND", ALLOW),
    ("officer", "node", "Authorization:CHOCOLAT", NULL),
    ("officer", "node", "AuthorizationVersion:VERRERIE", ALLOW),
    ("officer", "node", "AuthorizationVersion:CHOCOLAT", NULL),
    ("officer", "aliases:authorization", "DURAND|CHOCOLAT", fields(a=ALLOW, b=NULL)),
    ("officer", "authorizationPdf", "DURAND", ALLOW),
    ("officer", "authorizationPdf", "CHOCOLAT", NOT_FOUND),
    ("officer", "authorizationPdf", MISSING, NOT_FOUND),
    ("officer", "grantDossier", "DURAND+ACCEPTED", ALLOW),
    ("officer", "grantDossier", "DURAND+HEARING", ALLOW),  # after the hearing, granting is still possible
    ("officer", "grantDossier", "DURAND+SUBMITTED", FORBIDDEN_TRANSITION),  # not accepted yet
    ("officer", "grantDossier", "DURAND", NOT_FOUND),  # a draft stays with the applicant
    ("officer", "grantDossier", "CHOCOLAT+ACCEPTED", NOT_FOUND),  # another office's
    ("officer", "grantDossier", MISSING, NOT_FOUND),
    *measures("officer", "DURAND", ALLOW),  # the adverse ones: once its holder has been heard on that measure
    *adverse("officer", "unheard", "DURAND", FORBIDDEN_TRANSITION),  # nothing notified: the holder is heard first
    *adverse("officer", "awaiting", "DURAND", FORBIDDEN_TRANSITION),  # notified today: the holder's time runs
    *adverse("officer", "time-over", "DURAND", ALLOW),  # no answer within HEARING_DAYS: heard all the same
    ("officer", "suspendAuthorization:case-b", "DURAND", ALLOW),  # case b (time to meet the conditions), heard...
    ("officer", "suspendAuthorization:case-b-unheard", "DURAND", FORBIDDEN_TRANSITION),  # ... and never unheard
    (
        "officer",
        "suspendAuthorization:asked",
        "DURAND",
        ALLOW,
    ),  # case c, the holder asked: not adverse, no hearing
    ("officer", "revokeAuthorization:asked", "DURAND", ALLOW),  # at the holder's request: no hearing
    *measures("officer", "CHOCOLAT", NOT_FOUND),  # another office's
    *adverse("officer", "unheard", "CHOCOLAT", NOT_FOUND),  # who may act, before whether heard
    ("officer", "suspendAuthorization", "VERRERIE", ALLOW),
    ("officer", "suspendAuthorization:unheard", "VERRERIE", FORBIDDEN_TRANSITION),
    ("officer", "revokeAuthorization", "RHONE", ALLOW),
    ("officer", "revokeAuthorization:unheard", "RHONE", FORBIDDEN_TRANSITION),
    ("officer", "annulAuthorization", MISSING, NOT_FOUND),
    ("officer", "reassessAuthorization", MISSING, NOT_FOUND),
    ("officer", "liftAuthorizationSuspension:not-suspended", "DURAND", FORBIDDEN_TRANSITION),  # nothing to lift
    ("officer", "liftAuthorizationSuspension:not-suspended", "CHOCOLAT", NOT_FOUND),  # who, before when
    # The holder's requests are for professionals: customs, who see it, are told so; another office's: not found.
    *requests("officer", "DURAND", PROFESSIONAL_ONLY),
    *requests("officer", "CHOCOLAT", NOT_FOUND),
    *requests("officer", MISSING, NOT_FOUND),
    ("officer", "requestRenewal:before-window", "DURAND", PROFESSIONAL_ONLY),  # who may ask, before when
    # Asking customs is the holder's: customs, who see it, are told so; a comment is the issuing office's too.
    ("officer", "askCustomsAboutAuthorization", "DURAND", PROFESSIONAL_ONLY),
    ("officer", "askCustomsAboutAuthorization:revoke", "DURAND", PROFESSIONAL_ONLY),
    ("officer", "askCustomsAboutAuthorization:pending", "DURAND", PROFESSIONAL_ONLY),  # who may ask, before when
    ("officer", "askCustomsAboutAuthorization:revoked", "VERRERIE", PROFESSIONAL_ONLY),
    ("officer", "commentOnAuthorization", "DURAND", COMMENTED),
    ("officer", "commentOnAuthorization", "VERRERIE", COMMENTED),
    ("officer", "commentOnAuthorization", "NEW", COMMENTED),  # whether its holder accepted the terms: not hers
    *exchanges("officer", "CHOCOLAT", NOT_FOUND),  # another office's
    *exchanges("officer", MISSING, NOT_FOUND),
    # The hearing: notifying the intended measure and dropping it are the issuing office's; answering, the holder's.
    *notifies("officer", "DURAND"),
    ("officer", "notifyIntendedAuthorizationMeasure", "NEW", NOTIFIED["suspend"]),  # its holder's terms: not hers
    ("officer", "notifyIntendedAuthorizationMeasure:intended", "DURAND", FORBIDDEN_TRANSITION),  # one at a time
    ("officer", "notifyIntendedAuthorizationMeasure:blank", "DURAND", invalid("reason")),  # the grounds are due
    ("officer", "abandonIntendedAuthorizationMeasure", "DURAND", ABANDONED),
    ("officer", "abandonIntendedAuthorizationMeasure", "VERRERIE", ABANDONED),
    ("officer", "abandonIntendedAuthorizationMeasure:nothing", "DURAND", FORBIDDEN_TRANSITION),  # nothing to drop
    ("officer", "abandonIntendedAuthorizationMeasure:blank", "DURAND", invalid("reason")),
    ("officer", "answerAuthorizationHearing", "DURAND", PROFESSIONAL_ONLY),  # the holder's: customs, who see it
    (
        "officer",
        "answerAuthorizationHearing:time-over",
        "DURAND",
        PROFESSIONAL_ONLY,
    ),  # who may answer, before when
    *hearing("officer", "CHOCOLAT", NOT_FOUND),  # another office's
    *hearing("officer", MISSING, NOT_FOUND),
    ("officer", "notifyIntendedAuthorizationMeasure:intended", "CHOCOLAT", NOT_FOUND),  # who may act, before when
    # ---------------------------------------------------------------- officer2: Hugo, customs, office FR002300
    ("officer2", "authorizations", _, lists("CHOCOLAT")),
    ("officer2", "authorizations:reference", "CHOCOLAT", reads(totalCount=1)),
    ("officer2", "authorizations:reference", "DURAND", reads(totalCount=0)),  # Claire's office
    ("officer2", "authorization", "CHOCOLAT", ALLOW),
    ("officer2", "authorization", "DURAND", NULL),
    ("officer2", "node", "Authorization:CHOCOLAT", ALLOW),
    ("officer2", "node", "Authorization:DURAND", NULL),
    ("officer2", "node", "AuthorizationVersion:CHOCOLAT", ALLOW),
    ("officer2", "node", "AuthorizationVersion:DURAND", NULL),
    ("officer2", "aliases:authorization", "CHOCOLAT|DURAND", fields(a=ALLOW, b=NULL)),
    ("officer2", "authorizationPdf", "CHOCOLAT", ALLOW),
    ("officer2", "authorizationPdf", "DURAND", NOT_FOUND),
    ("officer2", "grantDossier", "CHOCOLAT+ACCEPTED", ALLOW),
    ("officer2", "grantDossier", "DURAND+ACCEPTED", NOT_FOUND),
    *measures("officer2", "CHOCOLAT", ALLOW),  # the adverse ones: once its holder has been heard
    *adverse("officer2", "unheard", "CHOCOLAT", FORBIDDEN_TRANSITION),
    *measures("officer2", "DURAND", NOT_FOUND),
    ("officer2", "liftAuthorizationSuspension:not-suspended", "CHOCOLAT", FORBIDDEN_TRANSITION),
    *requests("officer2", "CHOCOLAT", PROFESSIONAL_ONLY),
    *requests("officer2", "DURAND", NOT_FOUND),
    ("officer2", "askCustomsAboutAuthorization", "CHOCOLAT", PROFESSIONAL_ONLY),
    ("officer2", "askCustomsAboutAuthorization:revoke", "CHOCOLAT", PROFESSIONAL_ONLY),
    ("officer2", "commentOnAuthorization", "CHOCOLAT", COMMENTED),  # his office issued it
    *exchanges("officer2", "DURAND", NOT_FOUND),  # Claire's office
    *notifies("officer2", "CHOCOLAT"),  # his office issued it
    ("officer2", "notifyIntendedAuthorizationMeasure:intended", "CHOCOLAT", FORBIDDEN_TRANSITION),
    ("officer2", "abandonIntendedAuthorizationMeasure", "CHOCOLAT", ABANDONED),
    ("officer2", "abandonIntendedAuthorizationMeasure:nothing", "CHOCOLAT", FORBIDDEN_TRANSITION),
    ("officer2", "answerAuthorizationHearing", "CHOCOLAT", PROFESSIONAL_ONLY),
    *hearing("officer2", "DURAND", NOT_FOUND),  # Claire's office
    # ---------------------------------------------------------------- anonymous: no session, no token
    ("anonymous", "authorizations", _, UNAUTHENTICATED),
    ("anonymous", "authorizations:reference", "DURAND", UNAUTHENTICATED),
    ("anonymous", "authorizations:siret", "DURAND", UNAUTHENTICATED),
    # Like dossier(id): null, whether the id exists or not.
    ("anonymous", "authorization", "DURAND", NULL),
    ("anonymous", "authorization", MISSING, NULL),
    ("anonymous", "aliases:authorization", "DURAND|MISSING", fields(a=NULL, b=NULL)),
    ("anonymous", "node", "Authorization:DURAND", NULL),
    ("anonymous", "node", "AuthorizationVersion:DURAND", NULL),
    ("anonymous", "authorizationPdf", "DURAND", NOT_FOUND),  # a plain 404, like one that does not exist
    ("anonymous", "authorizationPdf", MISSING, NOT_FOUND),
    ("anonymous", "grantDossier", "DURAND+ACCEPTED", UNAUTHENTICATED),
    ("anonymous", "grantDossier", MISSING, UNAUTHENTICATED),
    *measures("anonymous", "DURAND", UNAUTHENTICATED),
    ("anonymous", "revokeAuthorization", MISSING, UNAUTHENTICATED),
    *adverse("anonymous", "unheard", "DURAND", UNAUTHENTICATED),
    *requests("anonymous", "DURAND", UNAUTHENTICATED),
    *requests("anonymous", MISSING, UNAUTHENTICATED),
    *exchanges("anonymous", "DURAND", UNAUTHENTICATED),
    *exchanges("anonymous", MISSING, UNAUTHENTICATED),
    ("anonymous", "askCustomsAboutAuthorization:revoke", "DURAND", UNAUTHENTICATED),
    *hearing("anonymous", "DURAND", UNAUTHENTICATED),
    *hearing("anonymous", MISSING, UNAUTHENTICATED),
    ("anonymous", "answerAuthorizationHearing:nothing", "DURAND", UNAUTHENTICATED),
    # ---------------------------------------------------------------- token: the admin's API token, bound to
    #                                                                   Ateliers Durand with the right consult
    ("token", "authorizations", _, lists("DURAND")),
    ("token", "authorizations:reference", "DURAND", reads(totalCount=1)),
    ("token", "authorizations:reference", "RHONE", reads(totalCount=0)),
    ("token", "authorizations:siret", "RHONE", reads(totalCount=0)),
    ("token", "authorization", "DURAND", ALLOW),
    ("token", "authorization", "RHONE", NULL),
    ("token", "authorization", MISSING, NULL),
    ("token", "node", "Authorization:DURAND", ALLOW),
    ("token", "node", "Authorization:MARTIN", NULL),
    ("token", "node", "AuthorizationVersion:DURAND", ALLOW),
    ("token", "aliases:authorization", "DURAND|CHOCOLAT", fields(a=ALLOW, b=NULL)),
    ("token", "authorizationPdf", "DURAND", ALLOW),  # the bearer token downloads like its user
    ("token", "authorizationPdf", "RHONE", NOT_FOUND),
    ("token", "grantDossier", "DURAND+ACCEPTED", FORBIDDEN),
    ("token", "grantDossier", "CHOCOLAT+ACCEPTED", NOT_FOUND),
    *measures("token", "DURAND", FORBIDDEN),
    ("token", "suspendAuthorization", "RHONE", NOT_FOUND),
    ("token", "suspendAuthorization:unheard", "DURAND", FORBIDDEN),
    *requests("token", "DURAND", FORBIDDEN),  # the token's right is consult, whatever its user's
    *requests("token", "RHONE", NOT_FOUND),
    *exchanges("token", "DURAND", FORBIDDEN),  # consult: neither asking customs nor commenting
    ("token", "askCustomsAboutAuthorization:revoke", "DURAND", FORBIDDEN),
    *exchanges("token", "RHONE", NOT_FOUND),
    *hearing("token", "DURAND", FORBIDDEN),  # consult: not customs, and observations need submit
    ("token", "answerAuthorizationHearing:answered", "DURAND", FORBIDDEN),  # who may answer, before when
    *hearing("token", "RHONE", NOT_FOUND),
    # ---------------------------------------------------------------- member: a user of Durand without any right
    ("member", "authorizations", _, lists()),  # no right on SOPRANO: not even consult
    ("member", "authorizations:reference", "DURAND", reads(totalCount=0)),
    ("member", "authorizations:siret", "DURAND", reads(totalCount=0)),
    ("member", "authorization", "DURAND", NULL),
    ("member", "node", "Authorization:DURAND", NULL),
    ("member", "node", "AuthorizationVersion:DURAND", NULL),
    ("member", "authorizationPdf", "DURAND", NOT_FOUND),
    ("member", "grantDossier", "DURAND+ACCEPTED", NOT_FOUND),
    *measures("member", "DURAND", NOT_FOUND),  # not visible to him → not found
    *requests("member", "DURAND", NOT_FOUND),
    *exchanges("member", "DURAND", NOT_FOUND),
    ("member", "askCustomsAboutAuthorization:revoke", "DURAND", NOT_FOUND),
    *hearing("member", "DURAND", NOT_FOUND),
    ("member", "answerAuthorizationHearing:blank", "DURAND", NOT_FOUND),
    # ---------------------------------------------------------------- newcomer: terms of use not accepted yet
    ("newcomer", "authorizations", _, TERMS_NOT_ACCEPTED),
    ("newcomer", "authorizations:reference", "NEW", TERMS_NOT_ACCEPTED),
    # Like dossier(id) and the dossier mutations: the terms first, even for his own operator's, whatever the id.
    ("newcomer", "authorization", "NEW", TERMS_NOT_ACCEPTED),
    ("newcomer", "authorization", "DURAND", TERMS_NOT_ACCEPTED),
    ("newcomer", "authorization", MISSING, TERMS_NOT_ACCEPTED),
    ("newcomer", "node", "Authorization:NEW", NULL),  # node(id) is no way around the terms
    ("newcomer", "node", "AuthorizationVersion:NEW", NULL),
    ("newcomer", "authorizationPdf", "NEW", NOT_FOUND),  # nor is the file route
    ("newcomer", "grantDossier", "DURAND+ACCEPTED", TERMS_NOT_ACCEPTED),
    ("newcomer", "grantDossier", MISSING, TERMS_NOT_ACCEPTED),
    *measures("newcomer", "NEW", TERMS_NOT_ACCEPTED),
    ("newcomer", "suspendAuthorization", MISSING, TERMS_NOT_ACCEPTED),
    ("newcomer", "revokeAuthorization:unheard", "NEW", TERMS_NOT_ACCEPTED),
    *requests("newcomer", "NEW", TERMS_NOT_ACCEPTED),
    *requests("newcomer", "DURAND", TERMS_NOT_ACCEPTED),
    *requests("newcomer", MISSING, TERMS_NOT_ACCEPTED),
    ("newcomer", "requestRenewal:before-window", "NEW", TERMS_NOT_ACCEPTED),
    *exchanges("newcomer", "NEW", TERMS_NOT_ACCEPTED),
    *exchanges("newcomer", "DURAND", TERMS_NOT_ACCEPTED),
    *exchanges("newcomer", MISSING, TERMS_NOT_ACCEPTED),
    ("newcomer", "askCustomsAboutAuthorization:pending", "NEW", TERMS_NOT_ACCEPTED),
    *hearing("newcomer", "NEW", TERMS_NOT_ACCEPTED),
    *hearing("newcomer", "DURAND", TERMS_NOT_ACCEPTED),
    *hearing("newcomer", MISSING, TERMS_NOT_ACCEPTED),
    ("newcomer", "answerAuthorizationHearing:answered", "NEW", TERMS_NOT_ACCEPTED),
]

INVISIBLE_LIKE_MISSING = [
    ("admin", "authorization", "RHONE", MISSING),
    ("representative", "authorization", "VERRERIE", MISSING),
    ("officer", "authorization", "CHOCOLAT", MISSING),
    ("newcomer", "authorization", "NEW", MISSING),
    ("admin", "node", "Authorization:RHONE", "Authorization:MISSING"),
    ("representative", "node", "AuthorizationVersion:VERRERIE", "AuthorizationVersion:MISSING"),
    ("officer2", "node", "AuthorizationVersion:DURAND", "AuthorizationVersion:MISSING"),
    ("admin", "grantDossier", "CHOCOLAT+ACCEPTED", MISSING),
    ("officer", "grantDossier", "CHOCOLAT+ACCEPTED", MISSING),
    ("officer", "grantDossier", "DURAND", MISSING),
    ("admin", "suspendAuthorization", "RHONE", MISSING),
    ("representative", "liftAuthorizationSuspension", "VERRERIE", MISSING),
    ("officer", "revokeAuthorization", "CHOCOLAT", MISSING),
    ("officer2", "annulAuthorization", "DURAND", MISSING),
    ("member", "reassessAuthorization", "DURAND", MISSING),
    ("private", "suspendAuthorization", "DURAND", MISSING),
    ("newcomer", "suspendAuthorization", "NEW", MISSING),
    ("admin", "requestAmendment", "RHONE", MISSING),
    ("representative", "requestAmendment", "VERRERIE", MISSING),
    ("representative", "requestRenewal", "VERRERIE", MISSING),
    ("officer", "requestAmendment", "CHOCOLAT", MISSING),
    ("officer2", "requestRenewal", "DURAND", MISSING),
    ("member", "requestRenewal", "DURAND", MISSING),
    ("private", "requestAmendment", "DURAND", MISSING),
    ("anonymous", "requestAmendment", "DURAND", MISSING),
    ("newcomer", "requestRenewal", "NEW", MISSING),
    ("admin", "askCustomsAboutAuthorization", "RHONE", MISSING),
    ("representative", "askCustomsAboutAuthorization", "VERRERIE", MISSING),
    ("representative", "commentOnAuthorization", "VERRERIE", MISSING),
    ("officer", "askCustomsAboutAuthorization", "CHOCOLAT", MISSING),
    ("officer2", "commentOnAuthorization", "DURAND", MISSING),
    ("member", "commentOnAuthorization", "DURAND", MISSING),
    ("private", "askCustomsAboutAuthorization", "DURAND", MISSING),
    ("newcomer", "commentOnAuthorization", "NEW", MISSING),
    ("officer", "suspendAuthorization:unheard", "CHOCOLAT", MISSING),
    ("representative", "revokeAuthorization:unheard", "VERRERIE", MISSING),
    ("officer", "notifyIntendedAuthorizationMeasure", "CHOCOLAT", MISSING),
    ("officer2", "abandonIntendedAuthorizationMeasure", "DURAND", MISSING),
    ("admin", "notifyIntendedAuthorizationMeasure", "RHONE", MISSING),
    ("admin", "answerAuthorizationHearing", "RHONE", MISSING),
    ("representative", "answerAuthorizationHearing", "VERRERIE", MISSING),
    ("officer", "answerAuthorizationHearing", "CHOCOLAT", MISSING),
    ("member", "answerAuthorizationHearing", "DURAND", MISSING),
    ("private", "answerAuthorizationHearing", "DURAND", MISSING),
    ("newcomer", "answerAuthorizationHearing", "NEW", MISSING),
    ("admin", "authorizationPdf", "RHONE", MISSING),
    ("representative", "authorizationPdf", "VERRERIE", MISSING),
    ("officer", "authorizationPdf", "CHOCOLAT", MISSING),
    ("anonymous", "authorizationPdf", "DURAND", MISSING),
    ("admin", "authorizationPdf:version-2", "DURAND", MISSING),  # a version that does not exist, of hers
]


@matrix(AUTHORIZATIONS_MATRIX)
async def test_authorizations_matrix(world, actor_clients, actor, operation, target, expected):
    await assert_row(world, actor_clients, actor, operation, target, expected)


@invisible_like_missing(INVISIBLE_LIKE_MISSING)
async def test_what_may_not_be_seen_answers_exactly_like_what_does_not_exist(
    world, actor_clients, actor, operation, invisible, missing
):
    await assert_invisible_like_missing(world, actor_clients, actor, operation, invisible, missing)
