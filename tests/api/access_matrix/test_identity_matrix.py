"""The access matrix of identity: operators, users, habilitations, mandates, terms of use, API tokens."""

from __future__ import annotations

from typing import Any

from tests.api.access_matrix.runner import (
    assert_invisible_like_missing,
    assert_row,
    invisible_like_missing,
    matrix,
)
from tests.api.access_matrix.world import (
    ACTORS,
    ALLOW,
    FORBIDDEN,
    LAST_ADMINISTRATOR,
    MISSING,
    NOT_FOUND,
    NULL,
    PROFESSIONAL_ONLY,
    SESSION_REQUIRED,
    TERMS_NOT_ACCEPTED,
    UNAUTHENTICATED,
    _,
    fields,
    sees,
)

IDENTITY_MATRIX: list[tuple[str, str, Any, Any]] = [
    # ---------------------------------------------------------------- admin: Marie, administrator of Ateliers Durand
    ("admin", "me", _, ALLOW),
    ("admin", "operators", _, sees("DURAND")),
    ("admin", "operator", "DURAND", ALLOW),
    ("admin", "operator", "CHOCOLAT", NULL),
    ("admin", "operator", "MARTIN", NULL),  # her representative, but not an operator she acts for
    ("admin", "operator", MISSING, NULL),
    ("admin", "node", "Operator:DURAND", ALLOW),
    ("admin", "node", "Operator:CHOCOLAT", NULL),
    ("admin", "node", "Operator:MISSING", NULL),
    ("admin", "node", "User:paul", ALLOW),  # a user of her operator
    ("admin", "node", "User:karim", ALLOW),  # a partner she habilitated
    ("admin", "node", "User:lucie", NULL),
    ("admin", "node", "User:claire", NULL),
    ("admin", "node", "User:MISSING", NULL),
    ("admin", "node", "Habilitation:paul@DURAND", ALLOW),
    ("admin", "node", "Habilitation:outsider@RHONE", NULL),
    ("admin", "node", "Habilitation:MISSING", NULL),
    ("admin", "node", "Representation:DURAND<MARTIN", ALLOW),
    ("admin", "node", "Representation:CHOCOLAT<MARTIN", NULL),
    ("admin", "node", "Representation:MISSING", NULL),
    ("admin", "node", "ApiToken:marie", ALLOW),
    ("admin", "node", "ApiToken:paul", NULL),
    ("admin", "node", "ApiToken:MISSING", NULL),
    ("admin", "aliases:operator", "DURAND|CHOCOLAT", fields(a=ALLOW, b=NULL)),
    ("admin", "aliases:node", "Operator:DURAND|Operator:RHONE", fields(a=ALLOW, b=NULL)),
    ("admin", "aliases:node", "User:paul|User:lucie", fields(a=ALLOW, b=NULL)),
    # Mutation fields are non-null: b's refusal nulls the whole answer (a's choice is undone by the row).
    ("admin", "aliases:selectActingOperator", "DURAND|CHOCOLAT", fields(b=NOT_FOUND)),
    ("admin", "representedEntities", _, sees()),
    ("admin", "representatives", "DURAND", ALLOW),
    ("admin", "representatives", "CHOCOLAT", NOT_FOUND),
    ("admin", "habilitations", "DURAND", ALLOW),
    ("admin", "habilitations", "RHONE", NOT_FOUND),
    ("admin", "habilitations", MISSING, NOT_FOUND),
    ("admin", "collaborators", "DURAND", ALLOW),
    ("admin", "collaborators", "CHOCOLAT", NOT_FOUND),
    ("admin", "accessAudit", "DURAND", ALLOW),
    ("admin", "accessAudit", "RHONE", NOT_FOUND),
    ("admin", "termsOfUse", _, ALLOW),
    ("admin", "apiTokens", _, ALLOW),
    ("admin", "grantHabilitation", "DURAND", ALLOW),
    ("admin", "grantHabilitation", "CHOCOLAT", NOT_FOUND),
    ("admin", "grantHabilitation:unknown-email", "DURAND", NOT_FOUND),
    ("admin", "revokeHabilitation", "DURAND", ALLOW),
    ("admin", "revokeHabilitation", "RHONE", NOT_FOUND),
    ("admin", "revokeHabilitation", MISSING, NOT_FOUND),
    ("admin", "setOperatorAdministrator", "DURAND", ALLOW),
    ("admin", "setOperatorAdministrator", "RHONE", NOT_FOUND),
    ("admin", "setOperatorAdministrator:foreign-user", "DURAND", NOT_FOUND),
    ("admin", "setOperatorAdministrator:self-remove", "DURAND", LAST_ADMINISTRATOR),
    ("admin", "createRepresentation", "DURAND<RHONE", ALLOW),
    ("admin", "createRepresentation", "CHOCOLAT<RHONE", NOT_FOUND),
    ("admin", "createRepresentation", MISSING + "<RHONE", NOT_FOUND),
    ("admin", "endRepresentation", "DURAND<RHONE", ALLOW),  # as the represented operator's administrator
    ("admin", "endRepresentation", "CHOCOLAT<DURAND", ALLOW),  # as the representative's administrator
    ("admin", "endRepresentation", "CHOCOLAT<RHONE", NOT_FOUND),
    ("admin", "endRepresentation", MISSING, NOT_FOUND),
    ("admin", "selectActingOperator", "DURAND", ALLOW),
    ("admin", "selectActingOperator", "CHOCOLAT", NOT_FOUND),
    ("admin", "acceptTerms", _, ALLOW),
    ("admin", "createApiToken", "DURAND", ALLOW),
    ("admin", "createApiToken:submit", "DURAND", ALLOW),
    ("admin", "createApiToken", "CHOCOLAT", NOT_FOUND),
    ("admin", "revokeApiToken", "mine", ALLOW),
    ("admin", "revokeApiToken", "ApiToken:paul", NOT_FOUND),
    ("admin", "revokeApiToken", "ApiToken:MISSING", NOT_FOUND),
    # ---------------------------------------------------------------- consult: Paul, collaborator (consult) of Durand
    ("consult", "me", _, ALLOW),
    ("consult", "operators", _, sees("DURAND")),
    ("consult", "operator", "DURAND", ALLOW),
    ("consult", "operator", "CHOCOLAT", NULL),
    ("consult", "node", "Operator:DURAND", ALLOW),
    ("consult", "node", "Operator:RHONE", NULL),
    ("consult", "node", "User:paul", ALLOW),
    ("consult", "node", "User:marie", NULL),  # only administrators see their operator's users
    ("consult", "node", "User:sophie", NULL),
    ("consult", "node", "Habilitation:paul@DURAND", ALLOW),  # his own
    ("consult", "node", "Habilitation:karim@DURAND", NULL),
    ("consult", "node", "Representation:DURAND<MARTIN", ALLOW),
    ("consult", "node", "Representation:CHOCOLAT<MARTIN", NULL),
    ("consult", "node", "ApiToken:paul", ALLOW),
    ("consult", "node", "ApiToken:marie", NULL),
    ("consult", "aliases:operator", "DURAND|RHONE", fields(a=ALLOW, b=NULL)),
    ("consult", "aliases:node", "User:paul|User:marie", fields(a=ALLOW, b=NULL)),
    ("consult", "representedEntities", _, sees()),
    ("consult", "representatives", "DURAND", FORBIDDEN),
    ("consult", "representatives", "CHOCOLAT", NOT_FOUND),
    ("consult", "habilitations", "DURAND", FORBIDDEN),
    ("consult", "habilitations", "CHOCOLAT", NOT_FOUND),
    ("consult", "collaborators", "DURAND", FORBIDDEN),
    ("consult", "accessAudit", "DURAND", FORBIDDEN),
    ("consult", "termsOfUse", _, ALLOW),
    ("consult", "apiTokens", _, ALLOW),
    ("consult", "grantHabilitation", "DURAND", FORBIDDEN),
    ("consult", "grantHabilitation", "CHOCOLAT", NOT_FOUND),
    # ISSUE: the policy decides first; an unknown e-mail must not answer differently from a known one.
    ("consult", "grantHabilitation:unknown-email", "DURAND", FORBIDDEN),
    # ISSUE: a habilitation he may not see (node → null) answers "not found", exactly like a nonexistent one.
    ("consult", "revokeHabilitation", "DURAND", NOT_FOUND),
    ("consult", "revokeHabilitation:mine", "DURAND", FORBIDDEN),  # he sees his own, may not revoke it
    ("consult", "setOperatorAdministrator", "DURAND", FORBIDDEN),
    ("consult", "setOperatorAdministrator", "RHONE", NOT_FOUND),
    ("consult", "createRepresentation", "DURAND<RHONE", FORBIDDEN),
    ("consult", "createRepresentation", "CHOCOLAT<RHONE", NOT_FOUND),
    ("consult", "endRepresentation", "DURAND<RHONE", FORBIDDEN),
    ("consult", "endRepresentation", "CHOCOLAT<RHONE", NOT_FOUND),
    ("consult", "selectActingOperator", "DURAND", ALLOW),
    ("consult", "selectActingOperator", "CHOCOLAT", NOT_FOUND),
    ("consult", "acceptTerms", _, ALLOW),
    ("consult", "createApiToken", "DURAND", ALLOW),
    ("consult", "createApiToken:submit", "DURAND", FORBIDDEN),  # never more than his own right
    ("consult", "createApiToken", "CHOCOLAT", NOT_FOUND),
    ("consult", "revokeApiToken", "mine", ALLOW),
    ("consult", "revokeApiToken", "ApiToken:marie", NOT_FOUND),
    # ---------------------------------------------------------------- submit: Sophie, collaborator (submit) of Durand
    ("submit", "me", _, ALLOW),
    ("submit", "operators", _, sees("DURAND")),
    ("submit", "operator", "DURAND", ALLOW),
    ("submit", "operator", "CHOCOLAT", NULL),
    ("submit", "node", "User:marie", NULL),
    ("submit", "node", "Habilitation:paul@DURAND", NULL),
    ("submit", "node", "Habilitation:sophie@DURAND", ALLOW),
    ("submit", "node", "Representation:DURAND<MARTIN", ALLOW),
    ("submit", "representedEntities", _, sees()),
    ("submit", "representatives", "DURAND", FORBIDDEN),
    ("submit", "habilitations", "DURAND", FORBIDDEN),
    ("submit", "collaborators", "DURAND", FORBIDDEN),
    ("submit", "accessAudit", "DURAND", FORBIDDEN),
    ("submit", "termsOfUse", _, ALLOW),
    ("submit", "apiTokens", _, ALLOW),
    ("submit", "grantHabilitation", "DURAND", FORBIDDEN),
    ("submit", "revokeHabilitation", "DURAND", NOT_FOUND),  # ISSUE: not visible → not found
    ("submit", "revokeHabilitation:mine", "DURAND", FORBIDDEN),
    ("submit", "setOperatorAdministrator", "DURAND", FORBIDDEN),
    ("submit", "createRepresentation", "DURAND<RHONE", FORBIDDEN),
    ("submit", "endRepresentation", "DURAND<RHONE", FORBIDDEN),
    ("submit", "selectActingOperator", "DURAND", ALLOW),
    ("submit", "selectActingOperator", "RHONE", NOT_FOUND),
    ("submit", "acceptTerms", _, ALLOW),
    ("submit", "createApiToken:submit", "DURAND", ALLOW),
    ("submit", "createApiToken", "CHOCOLAT", NOT_FOUND),
    ("submit", "revokeApiToken", "mine", ALLOW),
    # ---------------------------------------------------------------- partner: Karim, admin of Logistique Rhône,
    #                                                                   partner (prepare) of Ateliers Durand
    ("partner", "me", _, ALLOW),
    ("partner", "operators", _, sees("RHONE", "DURAND")),
    ("partner", "operator", "RHONE", ALLOW),
    ("partner", "operator", "DURAND", ALLOW),
    ("partner", "operator", "CHOCOLAT", NULL),
    ("partner", "operator", "MARTIN", NULL),
    ("partner", "node", "Operator:DURAND", ALLOW),
    ("partner", "node", "Operator:CHOCOLAT", NULL),
    ("partner", "node", "User:marie", NULL),  # a partner does not see the users of the operator he works for
    ("partner", "node", "User:member@RHONE", ALLOW),
    ("partner", "node", "User:outsider", ALLOW),  # a partner he habilitated on his own operator
    ("partner", "node", "Habilitation:karim@DURAND", ALLOW),  # his own
    ("partner", "node", "Habilitation:paul@DURAND", NULL),
    ("partner", "node", "Habilitation:outsider@RHONE", ALLOW),
    ("partner", "node", "Representation:DURAND<MARTIN", NULL),
    ("partner", "node", "ApiToken:marie", NULL),
    ("partner", "aliases:operator", "DURAND|CHOCOLAT", fields(a=ALLOW, b=NULL)),
    ("partner", "aliases:node", "Habilitation:karim@DURAND|Habilitation:paul@DURAND", fields(a=ALLOW, b=NULL)),
    ("partner", "representedEntities", _, sees()),
    ("partner", "representatives", "RHONE", ALLOW),
    ("partner", "representatives", "DURAND", FORBIDDEN),
    ("partner", "representatives", "CHOCOLAT", NOT_FOUND),
    ("partner", "habilitations", "RHONE", ALLOW),
    ("partner", "habilitations", "DURAND", FORBIDDEN),
    ("partner", "habilitations", "CHOCOLAT", NOT_FOUND),
    ("partner", "collaborators", "RHONE", ALLOW),
    ("partner", "collaborators", "DURAND", FORBIDDEN),
    ("partner", "accessAudit", "RHONE", ALLOW),
    ("partner", "accessAudit", "DURAND", FORBIDDEN),
    ("partner", "termsOfUse", _, ALLOW),
    ("partner", "apiTokens", _, ALLOW),
    ("partner", "grantHabilitation", "RHONE", ALLOW),
    ("partner", "grantHabilitation", "DURAND", FORBIDDEN),
    ("partner", "grantHabilitation", "VERRERIE", NOT_FOUND),
    ("partner", "revokeHabilitation", "RHONE", ALLOW),
    ("partner", "revokeHabilitation", "DURAND", NOT_FOUND),  # ISSUE: not visible → not found
    ("partner", "revokeHabilitation:mine", "DURAND", FORBIDDEN),
    ("partner", "setOperatorAdministrator", "RHONE", ALLOW),
    ("partner", "setOperatorAdministrator", "DURAND", FORBIDDEN),
    ("partner", "createRepresentation", "RHONE<MARTIN", ALLOW),
    ("partner", "createRepresentation", "DURAND<RHONE", FORBIDDEN),  # cannot give himself a mandate for Durand
    ("partner", "endRepresentation", "RHONE<MARTIN", ALLOW),
    ("partner", "endRepresentation", "DURAND<RHONE", ALLOW),  # as the representative's administrator
    ("partner", "endRepresentation", "CHOCOLAT<DURAND", NOT_FOUND),
    ("partner", "selectActingOperator", "DURAND", ALLOW),
    ("partner", "selectActingOperator", "RHONE", ALLOW),
    ("partner", "selectActingOperator", "CHOCOLAT", NOT_FOUND),
    ("partner", "acceptTerms", _, ALLOW),
    ("partner", "createApiToken", "DURAND", ALLOW),
    ("partner", "createApiToken:submit", "DURAND", FORBIDDEN),  # prepare only on Durand
    ("partner", "createApiToken:submit", "RHONE", ALLOW),
    ("partner", "createApiToken", "CHOCOLAT", NOT_FOUND),
    ("partner", "revokeApiToken", "mine", ALLOW),
    ("partner", "revokeApiToken", "ApiToken:marie", NOT_FOUND),
    # ---------------------------------------------------------------- representative: Lucie, admin of Transitaire
    #                                              Martin, representing Durand + Chocolaterie (full), Verrerie (partial)
    ("representative", "me", _, ALLOW),
    ("representative", "operators", _, sees("MARTIN", "DURAND", "CHOCOLAT", "VERRERIE")),
    ("representative", "operator", "MARTIN", ALLOW),
    ("representative", "operator", "CHOCOLAT", ALLOW),
    ("representative", "operator", "VERRERIE", ALLOW),
    ("representative", "operator", "RHONE", NULL),
    ("representative", "node", "Operator:VERRERIE", ALLOW),
    ("representative", "node", "Operator:RHONE", NULL),
    ("representative", "node", "User:member@MARTIN", ALLOW),
    ("representative", "node", "User:marie", NULL),  # representing Durand shows none of Durand's users
    ("representative", "node", "Habilitation:paul@DURAND", NULL),
    ("representative", "node", "Representation:DURAND<MARTIN", ALLOW),
    ("representative", "node", "Representation:CHOCOLAT<MARTIN", ALLOW),
    ("representative", "node", "ApiToken:marie", NULL),
    ("representative", "aliases:operator", "CHOCOLAT|RHONE", fields(a=ALLOW, b=NULL)),
    ("representative", "aliases:selectActingOperator", "CHOCOLAT|RHONE", fields(b=NOT_FOUND)),
    ("representative", "representedEntities", _, sees("DURAND", "CHOCOLAT", "VERRERIE")),
    ("representative", "representatives", "MARTIN", ALLOW),
    ("representative", "representatives", "DURAND", FORBIDDEN),
    ("representative", "representatives", "RHONE", NOT_FOUND),
    ("representative", "habilitations", "MARTIN", ALLOW),
    ("representative", "habilitations", "CHOCOLAT", FORBIDDEN),  # represented, not administered
    ("representative", "habilitations", "RHONE", NOT_FOUND),
    ("representative", "collaborators", "CHOCOLAT", FORBIDDEN),
    ("representative", "accessAudit", "DURAND", FORBIDDEN),
    ("representative", "termsOfUse", _, ALLOW),
    ("representative", "apiTokens", _, ALLOW),
    ("representative", "grantHabilitation", "MARTIN", ALLOW),
    ("representative", "grantHabilitation", "DURAND", FORBIDDEN),
    ("representative", "revokeHabilitation", "MARTIN", ALLOW),
    ("representative", "revokeHabilitation", "DURAND", NOT_FOUND),  # ISSUE: not visible → not found
    ("representative", "setOperatorAdministrator", "MARTIN", ALLOW),
    ("representative", "setOperatorAdministrator", "CHOCOLAT", FORBIDDEN),
    ("representative", "createRepresentation", "MARTIN<RHONE", ALLOW),
    ("representative", "createRepresentation", "DURAND<RHONE", FORBIDDEN),  # mandates are given, not taken
    ("representative", "createRepresentation", "VERRERIE<RHONE", FORBIDDEN),
    ("representative", "endRepresentation", "MARTIN<RHONE", ALLOW),
    ("representative", "endRepresentation", "VERRERIE<RHONE", NOT_FOUND),  # not one of her operator's mandates
    ("representative", "selectActingOperator", "CHOCOLAT", ALLOW),
    ("representative", "selectActingOperator", "VERRERIE", ALLOW),
    ("representative", "selectActingOperator", "RHONE", NOT_FOUND),
    ("representative", "acceptTerms", _, ALLOW),
    ("representative", "createApiToken", "CHOCOLAT", ALLOW),
    ("representative", "createApiToken:submit", "VERRERIE", ALLOW),
    ("representative", "createApiToken", "RHONE", NOT_FOUND),
    ("representative", "revokeApiToken", "mine", ALLOW),
    # ---------------------------------------------------------------- private: Jean, a private person
    ("private", "me", _, ALLOW),
    ("private", "operators", _, PROFESSIONAL_ONLY),
    ("private", "operator", "DURAND", NULL),
    ("private", "node", "Operator:DURAND", NULL),
    ("private", "node", "User:jean", ALLOW),
    ("private", "node", "User:marie", NULL),
    ("private", "node", "Habilitation:paul@DURAND", NULL),
    ("private", "node", "Representation:DURAND<MARTIN", NULL),
    ("private", "node", "ApiToken:marie", NULL),
    ("private", "representedEntities", _, PROFESSIONAL_ONLY),
    ("private", "representatives", "DURAND", PROFESSIONAL_ONLY),
    ("private", "habilitations", "DURAND", PROFESSIONAL_ONLY),
    ("private", "collaborators", "DURAND", PROFESSIONAL_ONLY),
    ("private", "accessAudit", "DURAND", PROFESSIONAL_ONLY),
    ("private", "termsOfUse", _, ALLOW),
    ("private", "apiTokens", _, ALLOW),
    ("private", "grantHabilitation", "DURAND", PROFESSIONAL_ONLY),
    ("private", "revokeHabilitation", "DURAND", PROFESSIONAL_ONLY),
    ("private", "setOperatorAdministrator", "DURAND", PROFESSIONAL_ONLY),
    # ISSUE: "a private person asking for an operator feature gets « réservé aux comptes professionnels »".
    ("private", "createRepresentation", "DURAND<RHONE", PROFESSIONAL_ONLY),
    ("private", "endRepresentation", "DURAND<RHONE", PROFESSIONAL_ONLY),
    ("private", "selectActingOperator", "DURAND", PROFESSIONAL_ONLY),
    ("private", "acceptTerms", _, PROFESSIONAL_ONLY),
    ("private", "createApiToken", "DURAND", PROFESSIONAL_ONLY),
    ("private", "createApiToken:unbound", _, ALLOW),
    ("private", "revokeApiToken", "mine", ALLOW),
    ("private", "revokeApiToken", "ApiToken:marie", NOT_FOUND),
    # ---------------------------------------------------------------- officer: Claire, customs, office FR000690
    ("officer", "me", _, ALLOW),
    ("officer", "operators", _, ALLOW),  # every operator
    ("officer", "operator", "DURAND", ALLOW),
    ("officer", "operator", "RHONE", ALLOW),
    ("officer", "operator", MISSING, NULL),
    ("officer", "node", "Operator:CHOCOLAT", ALLOW),
    ("officer", "node", "User:claire", ALLOW),
    ("officer", "node", "User:marie", NULL),
    ("officer", "node", "Habilitation:paul@DURAND", NULL),
    ("officer", "node", "Representation:CHOCOLAT<MARTIN", ALLOW),
    ("officer", "node", "ApiToken:marie", NULL),
    ("officer", "aliases:operator", "DURAND|MISSING", fields(a=ALLOW, b=NULL)),
    ("officer", "representedEntities", _, PROFESSIONAL_ONLY),
    ("officer", "representatives", "DURAND", ALLOW),  # customs create and end mandates, so they list them
    ("officer", "habilitations", "DURAND", PROFESSIONAL_ONLY),
    ("officer", "collaborators", "DURAND", PROFESSIONAL_ONLY),
    ("officer", "accessAudit", "DURAND", PROFESSIONAL_ONLY),
    ("officer", "termsOfUse", _, ALLOW),
    ("officer", "apiTokens", _, ALLOW),
    ("officer", "grantHabilitation", "DURAND", PROFESSIONAL_ONLY),
    ("officer", "revokeHabilitation", "DURAND", PROFESSIONAL_ONLY),
    ("officer", "setOperatorAdministrator", "DURAND", PROFESSIONAL_ONLY),
    ("officer", "createRepresentation", "CHOCOLAT<RHONE", ALLOW),  # customs may give mandates
    ("officer", "endRepresentation", "CHOCOLAT<RHONE", ALLOW),
    ("officer", "selectActingOperator", "DURAND", PROFESSIONAL_ONLY),
    ("officer", "acceptTerms", _, PROFESSIONAL_ONLY),
    ("officer", "createApiToken", "DURAND", PROFESSIONAL_ONLY),
    ("officer", "createApiToken:unbound", _, ALLOW),
    ("officer", "revokeApiToken", "mine", ALLOW),
    ("officer", "revokeApiToken", "ApiToken:marie", NOT_FOUND),
    # ---------------------------------------------------------------- officer2: Hugo, customs, office FR002300
    ("officer2", "me", _, ALLOW),
    ("officer2", "operators", _, ALLOW),
    ("officer2", "operator", "VERRERIE", ALLOW),
    ("officer2", "node", "Representation:DURAND<MARTIN", ALLOW),
    ("officer2", "node", "User:claire", NULL),  # officers do not see each other
    ("officer2", "habilitations", "DURAND", PROFESSIONAL_ONLY),
    ("officer2", "createRepresentation", "VERRERIE<RHONE", ALLOW),
    ("officer2", "endRepresentation", "DURAND<RHONE", ALLOW),
    ("officer2", "selectActingOperator", "DURAND", PROFESSIONAL_ONLY),
    ("officer2", "revokeApiToken", "mine", ALLOW),
    # ---------------------------------------------------------------- anonymous: no session, no token
    ("anonymous", "me", _, NULL),
    ("anonymous", "operator", "DURAND", NULL),
    ("anonymous", "node", "Operator:DURAND", NULL),
    ("anonymous", "node", "User:marie", NULL),
    ("anonymous", "node", "Habilitation:paul@DURAND", NULL),
    ("anonymous", "node", "Representation:DURAND<MARTIN", NULL),
    ("anonymous", "node", "ApiToken:marie", NULL),
    ("anonymous", "aliases:operator", "DURAND|CHOCOLAT", fields(a=NULL, b=NULL)),
    ("anonymous", "termsOfUse", _, NULL),
    # ISSUE (all UNAUTHENTICATED rows below): nobody is logged in — not "réservé aux professionnels", not
    # "introuvable" (which tells an anonymous caller whether an e-mail or an id exists), and never an internal error.
    ("anonymous", "operators", _, UNAUTHENTICATED),
    ("anonymous", "representedEntities", _, UNAUTHENTICATED),
    ("anonymous", "representatives", "DURAND", UNAUTHENTICATED),
    ("anonymous", "habilitations", "DURAND", UNAUTHENTICATED),
    ("anonymous", "collaborators", "DURAND", UNAUTHENTICATED),
    ("anonymous", "accessAudit", "DURAND", UNAUTHENTICATED),
    ("anonymous", "apiTokens", _, UNAUTHENTICATED),
    ("anonymous", "grantHabilitation", "DURAND", UNAUTHENTICATED),
    ("anonymous", "grantHabilitation:unknown-email", "DURAND", UNAUTHENTICATED),
    ("anonymous", "revokeHabilitation", "DURAND", UNAUTHENTICATED),
    ("anonymous", "revokeHabilitation", MISSING, UNAUTHENTICATED),
    ("anonymous", "setOperatorAdministrator", "DURAND", UNAUTHENTICATED),
    ("anonymous", "createRepresentation", "DURAND<RHONE", UNAUTHENTICATED),
    ("anonymous", "endRepresentation", "DURAND<RHONE", UNAUTHENTICATED),
    ("anonymous", "selectActingOperator", "DURAND", UNAUTHENTICATED),
    ("anonymous", "acceptTerms", _, UNAUTHENTICATED),
    ("anonymous", "createApiToken", "DURAND", UNAUTHENTICATED),
    ("anonymous", "createApiToken:unbound", _, UNAUTHENTICATED),
    ("anonymous", "revokeApiToken", "ApiToken:marie", UNAUTHENTICATED),
    # ---------------------------------------------------------------- token: the admin's API token, bound to
    #                                                                   Ateliers Durand with the right consult
    ("token", "me", _, ALLOW),
    ("token", "operators", _, sees("DURAND")),
    ("token", "operator", "DURAND", ALLOW),
    ("token", "operator", "CHOCOLAT", NULL),
    ("token", "node", "Operator:DURAND", ALLOW),
    ("token", "node", "User:marie", ALLOW),
    ("token", "node", "User:paul", NULL),  # the token is not an administrator: it sees no collaborator
    ("token", "node", "Habilitation:paul@DURAND", NULL),
    ("token", "node", "Representation:DURAND<MARTIN", ALLOW),
    ("token", "aliases:operator", "DURAND|RHONE", fields(a=ALLOW, b=NULL)),
    ("token", "representedEntities", _, sees()),
    ("token", "representatives", "DURAND", FORBIDDEN),  # managing rights needs a browser session
    ("token", "habilitations", "DURAND", FORBIDDEN),
    ("token", "collaborators", "DURAND", FORBIDDEN),
    ("token", "accessAudit", "DURAND", FORBIDDEN),
    ("token", "termsOfUse", _, ALLOW),
    ("token", "apiTokens", _, ALLOW),
    ("token", "grantHabilitation", "DURAND", FORBIDDEN),
    ("token", "revokeHabilitation", "DURAND", NOT_FOUND),  # ISSUE: not visible to the token → not found
    ("token", "setOperatorAdministrator", "DURAND", FORBIDDEN),
    ("token", "createRepresentation", "DURAND<RHONE", FORBIDDEN),
    ("token", "endRepresentation", "DURAND<RHONE", FORBIDDEN),
    ("token", "selectActingOperator", "DURAND", SESSION_REQUIRED),
    ("token", "createApiToken", "DURAND", FORBIDDEN),  # a token cannot mint tokens
    ("token", "revokeApiToken", "ApiToken:marie", FORBIDDEN),
    # ---------------------------------------------------------------- member: a user of Durand without any right
    ("member", "me", _, ALLOW),
    ("member", "operators", _, sees("DURAND")),
    ("member", "operator", "DURAND", ALLOW),
    ("member", "node", "Representation:DURAND<MARTIN", ALLOW),
    ("member", "representedEntities", _, sees()),
    ("member", "habilitations", "DURAND", FORBIDDEN),
    ("member", "selectActingOperator", "DURAND", FORBIDDEN),  # no right to act for it
    ("member", "createApiToken", "DURAND", FORBIDDEN),
    # ---------------------------------------------------------------- newcomer: terms of use not accepted yet
    ("newcomer", "me", _, ALLOW),
    ("newcomer", "termsOfUse", _, ALLOW),  # the terms can be read before they are accepted
    ("admin", "sopranoAccess", _, ALLOW),  # always answers; the status is checked below
    ("consult", "sopranoAccess", _, ALLOW),  # always answers; the status is checked below
    ("submit", "sopranoAccess", _, ALLOW),  # always answers; the status is checked below
    ("partner", "sopranoAccess", _, ALLOW),  # always answers; the status is checked below
    ("representative", "sopranoAccess", _, ALLOW),  # always answers; the status is checked below
    ("private", "sopranoAccess", _, ALLOW),  # always answers; the status is checked below
    ("officer", "sopranoAccess", _, ALLOW),  # always answers; the status is checked below
    ("anonymous", "sopranoAccess", _, ALLOW),  # always answers; the status is checked below
    ("token", "sopranoAccess", _, ALLOW),  # always answers; the status is checked below
    ("newcomer", "sopranoAccess", _, ALLOW),  # always answers; the status is checked below
    ("newcomer", "operators", _, sees("NEW")),
    ("newcomer", "operator", "NEW", ALLOW),
    ("newcomer", "habilitations", "NEW", ALLOW),  # managing the operator's accounts is not using SOPRANO
    ("newcomer", "representedEntities", _, TERMS_NOT_ACCEPTED),
    ("newcomer", "selectActingOperator", "NEW", TERMS_NOT_ACCEPTED),
    ("newcomer", "createApiToken", "NEW", TERMS_NOT_ACCEPTED),
]

IDENTITY_MATRIX += [(actor, "rights", _, ALLOW) for actor in ACTORS]  # public: the labels of a choice list


INVISIBLE_LIKE_MISSING = [
    # (actor, operation, a target that exists but is not visible to the actor, a valid id of nothing)
    ("admin", "operator", "CHOCOLAT", MISSING),
    ("admin", "node", "Operator:CHOCOLAT", "Operator:MISSING"),
    ("admin", "node", "User:lucie", "User:MISSING"),
    ("admin", "node", "Habilitation:outsider@RHONE", "Habilitation:MISSING"),
    ("admin", "node", "Representation:CHOCOLAT<MARTIN", "Representation:MISSING"),
    ("admin", "node", "ApiToken:paul", "ApiToken:MISSING"),
    ("partner", "node", "Representation:DURAND<MARTIN", "Representation:MISSING"),
    ("token", "node", "User:paul", "User:MISSING"),
    ("admin", "representatives", "CHOCOLAT", MISSING),
    ("admin", "habilitations", "RHONE", MISSING),
    ("admin", "collaborators", "RHONE", MISSING),
    ("admin", "accessAudit", "RHONE", MISSING),
    ("admin", "grantHabilitation", "CHOCOLAT", MISSING),
    ("admin", "revokeHabilitation", "RHONE", MISSING),
    ("consult", "revokeHabilitation", "DURAND", MISSING),
    ("representative", "revokeHabilitation", "DURAND", MISSING),
    ("admin", "setOperatorAdministrator", "RHONE", MISSING),
    ("admin", "createRepresentation", "CHOCOLAT<RHONE", "MISSING<RHONE"),
    ("admin", "endRepresentation", "CHOCOLAT<RHONE", MISSING),
    ("partner", "endRepresentation", "CHOCOLAT<DURAND", MISSING),
    ("representative", "selectActingOperator", "RHONE", MISSING),
    ("admin", "createApiToken", "CHOCOLAT", MISSING),
    ("admin", "revokeApiToken", "ApiToken:paul", "ApiToken:MISSING"),
]


@matrix(IDENTITY_MATRIX)
async def test_identity_matrix(world, actor_clients, actor, operation, target, expected):
    await assert_row(world, actor_clients, actor, operation, target, expected)


@invisible_like_missing(INVISIBLE_LIKE_MISSING)
async def test_what_may_not_be_seen_answers_exactly_like_what_does_not_exist(
    world, actor_clients, actor, operation, invisible, missing
):
    await assert_invisible_like_missing(world, actor_clients, actor, operation, invisible, missing)
