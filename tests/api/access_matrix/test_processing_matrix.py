"""The access matrix of the decision phase: customs steps (accept, take, extend the decision deadline), the
applicant's withdrawal, comments, and the dashboard.

Rules: a customs step is for an officer of the dossier's office once it is submitted (another office's dossier, or a
draft, answers like a nonexistent one); a professional asking for one is told it is not theirs (FORBIDDEN); the
withdrawal needs the submit right (consult and prepare: FORBIDDEN) and is no customs business (PROFESSIONAL_ONLY);
commenting needs the prepare right, or being the dossier's office; the dashboard lists what the actor may see. Nobody
logged in: UNAUTHENTICATED; terms not accepted: TERMS_NOT_ACCEPTED. Mutation targets are dossier keys of DOSSIERS or
LATER_DOSSIERS: a fresh copy per row.
"""

from __future__ import annotations

from typing import Any

from tests.api.access_matrix.runner import (
    assert_invisible_like_missing,
    assert_row,
    invisible_like_missing,
    matrix,
)
from tests.api.access_matrix.world import (
    ALLOW,
    FORBIDDEN,
    FORBIDDEN_TRANSITION,
    MISSING,
    NOT_FOUND,
    PROFESSIONAL_ONLY,
    TERMS_NOT_ACCEPTED,
    UNAUTHENTICATED,
    _,
    shows,
)

PROCESSING_MATRIX: list[tuple[str, str, Any, Any]] = [
    # ---------------------------------------------------------------- admin: Marie, administrator of Ateliers Durand
    ("admin", "actOnDossier:withdraw", "DURAND+SUBMITTED", ALLOW),
    ("admin", "actOnDossier:withdraw", "DURAND", ALLOW),  # a draft may be withdrawn too
    ("admin", "actOnDossier:withdraw", "RHONE", NOT_FOUND),
    ("admin", "actOnDossier:withdraw", MISSING, NOT_FOUND),
    ("admin", "actOnDossier", "DURAND+SUBMITTED", FORBIDDEN),  # accepting is for customs
    ("admin", "actOnDossier", "RHONE", NOT_FOUND),
    ("admin", "takeDossier", "DURAND+SUBMITTED", FORBIDDEN),
    ("admin", "takeDossier", "RHONE", NOT_FOUND),
    ("admin", "addComment", "DURAND", ALLOW),
    ("admin", "addComment", "DURAND+SUBMITTED", ALLOW),
    ("admin", "addComment", "RHONE", NOT_FOUND),
    ("admin", "addComment", MISSING, NOT_FOUND),
    ("admin", "extendDecisionDeadline", "DURAND+ACCEPTED", FORBIDDEN),
    ("admin", "extendDecisionDeadline", "CHOCOLAT+ACCEPTED", NOT_FOUND),
    ("admin", "dashboard", _, shows("DURAND", "DURAND+SUBMITTED")),
    # ---------------------------------------------------------------- consult: Paul, collaborator (consult) of Durand
    ("consult", "actOnDossier:withdraw", "DURAND+SUBMITTED", FORBIDDEN),
    ("consult", "actOnDossier:withdraw", "CHOCOLAT", NOT_FOUND),
    ("consult", "actOnDossier", "DURAND+SUBMITTED", FORBIDDEN),
    ("consult", "takeDossier", "DURAND+SUBMITTED", FORBIDDEN),
    ("consult", "addComment", "DURAND", FORBIDDEN),  # commenting needs prepare
    ("consult", "addComment", "RHONE", NOT_FOUND),
    ("consult", "extendDecisionDeadline", "DURAND+ACCEPTED", FORBIDDEN),
    ("consult", "dashboard", _, shows("DURAND", "DURAND+SUBMITTED")),
    # ---------------------------------------------------------------- submit: Sophie, collaborator (submit) of Durand
    ("submit", "actOnDossier:withdraw", "DURAND+SUBMITTED", ALLOW),
    ("submit", "actOnDossier:withdraw", "DURAND+ACCEPTED", ALLOW),  # until the decision
    ("submit", "actOnDossier:withdraw", "CHOCOLAT", NOT_FOUND),
    ("submit", "actOnDossier", "DURAND+SUBMITTED", FORBIDDEN),
    ("submit", "takeDossier", "DURAND+SUBMITTED", FORBIDDEN),
    ("submit", "addComment", "DURAND+SUBMITTED", ALLOW),
    ("submit", "addComment", "CHOCOLAT", NOT_FOUND),
    ("submit", "extendDecisionDeadline", "DURAND+ACCEPTED", FORBIDDEN),
    ("submit", "dashboard", _, shows("DURAND", "DURAND+SUBMITTED")),
    # ---------------------------------------------------------------- partner: Karim, admin of Logistique Rhône,
    #                                                                   partner (prepare) of Ateliers Durand
    ("partner", "actOnDossier:withdraw", "DURAND+SUBMITTED", FORBIDDEN),  # prepare cannot withdraw
    ("partner", "actOnDossier:withdraw", "RHONE", ALLOW),  # his own operator's
    ("partner", "actOnDossier:withdraw", "CHOCOLAT", NOT_FOUND),
    ("partner", "actOnDossier", "DURAND+SUBMITTED", FORBIDDEN),
    ("partner", "takeDossier", "DURAND+SUBMITTED", FORBIDDEN),
    ("partner", "addComment", "DURAND", ALLOW),  # prepare is enough to comment
    ("partner", "addComment", "RHONE", ALLOW),
    ("partner", "addComment", "CHOCOLAT", NOT_FOUND),
    ("partner", "extendDecisionDeadline", "DURAND+ACCEPTED", FORBIDDEN),
    ("partner", "dashboard", _, shows("DURAND", "DURAND+SUBMITTED", "RHONE")),
    # ---------------------------------------------------------------- representative: Lucie, admin of Transitaire
    #                                              Martin, representing Durand + Chocolaterie (full), Verrerie (partial)
    ("representative", "actOnDossier:withdraw", "CHOCOLAT+SUBMITTED", ALLOW),
    ("representative", "actOnDossier:withdraw", "VERRERIE<MARTIN", ALLOW),
    ("representative", "actOnDossier:withdraw", "VERRERIE", NOT_FOUND),  # partial mandate: not filed by her firm
    ("representative", "actOnDossier:withdraw", "RHONE", NOT_FOUND),
    ("representative", "actOnDossier", "CHOCOLAT+SUBMITTED", FORBIDDEN),
    ("representative", "takeDossier", "CHOCOLAT+SUBMITTED", FORBIDDEN),
    ("representative", "addComment", "VERRERIE<MARTIN", ALLOW),
    ("representative", "addComment", "VERRERIE", NOT_FOUND),
    ("representative", "extendDecisionDeadline", "CHOCOLAT+ACCEPTED", FORBIDDEN),
    (
        "representative",
        "dashboard",
        _,
        shows("MARTIN", "DURAND", "DURAND+SUBMITTED", "CHOCOLAT", "CHOCOLAT+SUBMITTED", "VERRERIE<MARTIN"),
    ),
    # ---------------------------------------------------------------- private: Jean, a private person
    # Unlike the filing mutations (PROFESSIONAL_ONLY), the decision phase answers a private person like anyone who
    # sees nothing: not found, an empty dashboard.
    ("private", "actOnDossier:withdraw", "DURAND+SUBMITTED", NOT_FOUND),
    ("private", "actOnDossier", "DURAND+SUBMITTED", NOT_FOUND),
    ("private", "takeDossier", "DURAND+SUBMITTED", NOT_FOUND),
    ("private", "addComment", "DURAND", NOT_FOUND),
    ("private", "extendDecisionDeadline", "DURAND+ACCEPTED", NOT_FOUND),
    ("private", "dashboard", _, shows()),
    # ---------------------------------------------------------------- officer: Claire, customs, office FR000690
    ("officer", "actOnDossier", "DURAND+SUBMITTED", ALLOW),
    ("officer", "actOnDossier", "DURAND", NOT_FOUND),  # a draft stays with the applicant
    ("officer", "actOnDossier", "CHOCOLAT+SUBMITTED", NOT_FOUND),  # another office's
    ("officer", "actOnDossier", MISSING, NOT_FOUND),
    ("officer", "actOnDossier:withdraw", "DURAND+SUBMITTED", PROFESSIONAL_ONLY),  # the applicant's step
    ("officer", "takeDossier", "DURAND+SUBMITTED", ALLOW),
    ("officer", "takeDossier", "DURAND+ACCEPTED", ALLOW),
    ("officer", "takeDossier", "DURAND", NOT_FOUND),
    ("officer", "takeDossier", "CHOCOLAT+SUBMITTED", NOT_FOUND),
    ("officer", "addComment", "DURAND+SUBMITTED", ALLOW),
    ("officer", "addComment", "DURAND", NOT_FOUND),
    ("officer", "addComment", "CHOCOLAT+SUBMITTED", NOT_FOUND),
    ("officer", "extendDecisionDeadline", "DURAND+ACCEPTED", ALLOW),
    ("officer", "extendDecisionDeadline", "DURAND+SUBMITTED", FORBIDDEN_TRANSITION),  # no decision deadline yet
    ("officer", "extendDecisionDeadline", "CHOCOLAT+ACCEPTED", NOT_FOUND),
    ("officer", "dashboard", _, shows("DURAND+SUBMITTED")),
    # ---------------------------------------------------------------- officer2: Hugo, customs, office FR002300
    ("officer2", "actOnDossier", "CHOCOLAT+SUBMITTED", ALLOW),
    ("officer2", "actOnDossier", "DURAND+SUBMITTED", NOT_FOUND),  # Claire's office
    ("officer2", "actOnDossier:withdraw", "CHOCOLAT+SUBMITTED", PROFESSIONAL_ONLY),
    ("officer2", "takeDossier", "CHOCOLAT+SUBMITTED", ALLOW),
    ("officer2", "takeDossier", "DURAND+SUBMITTED", NOT_FOUND),
    ("officer2", "addComment", "CHOCOLAT+SUBMITTED", ALLOW),
    ("officer2", "addComment", "DURAND+SUBMITTED", NOT_FOUND),
    ("officer2", "extendDecisionDeadline", "CHOCOLAT+ACCEPTED", ALLOW),
    ("officer2", "extendDecisionDeadline", "DURAND+ACCEPTED", NOT_FOUND),
    ("officer2", "dashboard", _, shows("CHOCOLAT+SUBMITTED")),
    # ---------------------------------------------------------------- anonymous: no session, no token
    ("anonymous", "actOnDossier", "DURAND+SUBMITTED", UNAUTHENTICATED),
    ("anonymous", "actOnDossier", MISSING, UNAUTHENTICATED),
    ("anonymous", "actOnDossier:withdraw", "DURAND+SUBMITTED", UNAUTHENTICATED),
    ("anonymous", "takeDossier", "DURAND+SUBMITTED", UNAUTHENTICATED),
    ("anonymous", "addComment", "DURAND", UNAUTHENTICATED),
    ("anonymous", "addComment", MISSING, UNAUTHENTICATED),
    ("anonymous", "extendDecisionDeadline", "DURAND+ACCEPTED", UNAUTHENTICATED),
    ("anonymous", "dashboard", _, UNAUTHENTICATED),
    # ---------------------------------------------------------------- token: the admin's API token, bound to
    #                                                                   Ateliers Durand with the right consult
    ("token", "actOnDossier:withdraw", "DURAND+SUBMITTED", FORBIDDEN),  # consult, though its creator may submit
    ("token", "actOnDossier:withdraw", "RHONE", NOT_FOUND),
    ("token", "actOnDossier", "DURAND+SUBMITTED", FORBIDDEN),
    ("token", "takeDossier", "DURAND+SUBMITTED", FORBIDDEN),
    ("token", "addComment", "DURAND", FORBIDDEN),
    ("token", "addComment", "RHONE", NOT_FOUND),
    ("token", "extendDecisionDeadline", "DURAND+ACCEPTED", FORBIDDEN),
    ("token", "dashboard", _, shows("DURAND", "DURAND+SUBMITTED")),
    # ---------------------------------------------------------------- member: a user of Durand without any right
    ("member", "actOnDossier:withdraw", "DURAND+SUBMITTED", NOT_FOUND),  # not visible to him → not found
    ("member", "actOnDossier", "DURAND+SUBMITTED", NOT_FOUND),
    ("member", "takeDossier", "DURAND+SUBMITTED", NOT_FOUND),
    ("member", "addComment", "DURAND", NOT_FOUND),
    ("member", "extendDecisionDeadline", "DURAND+ACCEPTED", NOT_FOUND),
    ("member", "dashboard", _, shows()),
    # ---------------------------------------------------------------- newcomer: terms of use not accepted yet
    ("newcomer", "actOnDossier:withdraw", "NEW", TERMS_NOT_ACCEPTED),  # even his own operator's
    ("newcomer", "actOnDossier:withdraw", "DURAND+SUBMITTED", TERMS_NOT_ACCEPTED),
    ("newcomer", "actOnDossier", "DURAND+SUBMITTED", TERMS_NOT_ACCEPTED),
    ("newcomer", "takeDossier", "NEW", TERMS_NOT_ACCEPTED),
    ("newcomer", "addComment", "NEW", TERMS_NOT_ACCEPTED),
    ("newcomer", "addComment", MISSING, TERMS_NOT_ACCEPTED),
    ("newcomer", "extendDecisionDeadline", "DURAND+ACCEPTED", TERMS_NOT_ACCEPTED),
    ("newcomer", "dashboard", _, TERMS_NOT_ACCEPTED),
]

INVISIBLE_LIKE_MISSING = [
    ("admin", "actOnDossier:withdraw", "RHONE", MISSING),
    ("admin", "actOnDossier", "RHONE", MISSING),
    ("admin", "addComment", "RHONE", MISSING),
    ("representative", "actOnDossier:withdraw", "VERRERIE", MISSING),
    ("representative", "addComment", "VERRERIE", MISSING),
    ("member", "addComment", "DURAND", MISSING),
    ("officer", "actOnDossier", "DURAND", MISSING),
    ("officer", "actOnDossier", "CHOCOLAT+SUBMITTED", MISSING),
    ("officer", "takeDossier", "DURAND", MISSING),
    ("officer", "extendDecisionDeadline", "CHOCOLAT+ACCEPTED", MISSING),
    ("officer2", "takeDossier", "DURAND+SUBMITTED", MISSING),
    ("officer2", "addComment", "DURAND+SUBMITTED", MISSING),
]


@matrix(PROCESSING_MATRIX)
async def test_processing_matrix(world, actor_clients, actor, operation, target, expected):
    await assert_row(world, actor_clients, actor, operation, target, expected)


@invisible_like_missing(INVISIBLE_LIKE_MISSING)
async def test_what_may_not_be_seen_answers_exactly_like_what_does_not_exist(
    world, actor_clients, actor, operation, invisible, missing
):
    await assert_invisible_like_missing(world, actor_clients, actor, operation, invisible, missing)
