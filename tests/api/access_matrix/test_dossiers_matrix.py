"""The access matrix of dossiers: the catalogue, filing (drafts, goods lines, attachments, submission) and the
dossier's per-reader fields."""

from __future__ import annotations

from typing import Any

from tests.api.access_matrix.runner import (
    assert_invisible_like_missing,
    assert_row,
    invisible_like_missing,
    matrix,
)
from tests.api.access_matrix.world import (
    ACTING_OPERATOR_REQUIRED,
    ACTORS,
    ALLOW,
    FORBIDDEN,
    MISSING,
    NOT_EDITABLE,
    NOT_FOUND,
    NULL,
    PROFESSIONAL_ONLY,
    TERMS_NOT_ACCEPTED,
    UNAUTHENTICATED,
    _,
    fields,
    reads,
    sees,
    shows,
)

# --- THE TABLE, continued: dossiers (issue 4) -------------------------------------------------------------------------
# Rules: consult may read and "Contrôler" but not create, save or submit (FORBIDDEN); prepare creates and saves but does
# not submit; another operator's dossier, goods line or attachment answers exactly like a nonexistent one (NOT_FOUND for
# mutations, null for lookups); a partial mandate shows the representative only the dossiers her firm filed; customs
# officers read the dossiers of their office once submitted and use no applicant's operation (PROFESSIONAL_ONLY);
# private persons: PROFESSIONAL_ONLY; nobody logged in: UNAUTHENTICATED; terms not accepted: TERMS_NOT_ACCEPTED.
# The catalogue (procedures, code lists) is public. Mutation targets are dossier keys: a fresh copy per row.

DOSSIERS_MATRIX: list[tuple[str, str, Any, Any]] = [
    # ---------------------------------------------------------------- admin: Marie, administrator of Ateliers Durand
    ("admin", "procedures", _, ALLOW),
    ("admin", "codeList", _, ALLOW),
    ("admin", "attachmentPolicy", _, ALLOW),
    ("admin", "dossier", "DURAND", ALLOW),
    ("admin", "dossier", "DURAND+SUBMITTED", ALLOW),
    ("admin", "dossier", "RHONE", NULL),
    ("admin", "dossier", "CHOCOLAT", NULL),  # her representative's client, not hers
    ("admin", "dossier", MISSING, NULL),
    ("admin", "dossiers", _, shows("DURAND", "DURAND+SUBMITTED")),
    ("admin", "node", "Dossier:DURAND", ALLOW),
    ("admin", "node", "Dossier:RHONE", NULL),
    ("admin", "node", "Dossier:MISSING", NULL),
    ("admin", "node", "GoodsLine:DURAND", ALLOW),
    ("admin", "node", "GoodsLine:RHONE", NULL),
    ("admin", "node", "GoodsLine:MISSING", NULL),
    ("admin", "node", "Attachment:DURAND", ALLOW),
    ("admin", "node", "Attachment:RHONE", NULL),
    ("admin", "node", "Attachment:MISSING", NULL),
    ("admin", "aliases:dossier", "DURAND|RHONE", fields(a=ALLOW, b=NULL)),
    ("admin", "aliases:node", "Dossier:DURAND|Dossier:CHOCOLAT", fields(a=ALLOW, b=NULL)),
    ("admin", "aliases:node", "Attachment:DURAND|Attachment:VERRERIE", fields(a=ALLOW, b=NULL)),
    ("admin", "createDossier", "DURAND", sees("DURAND")),
    ("admin", "createDossier", "RHONE", NOT_FOUND),
    ("admin", "createDossier", MISSING, NOT_FOUND),
    ("admin", "createDossier:acting", _, sees("DURAND")),  # her only operator: no choice needed
    ("admin", "updateDossier", "DURAND", ALLOW),
    ("admin", "updateDossier", "RHONE", NOT_FOUND),
    ("admin", "updateDossier", MISSING, NOT_FOUND),
    ("admin", "checkDossier", "DURAND", ALLOW),
    ("admin", "checkDossier", "RHONE", NOT_FOUND),
    ("admin", "checkDossier", MISSING, NOT_FOUND),
    ("admin", "submitDossier", "DURAND", ALLOW),
    ("admin", "submitDossier", "RHONE", NOT_FOUND),
    ("admin", "submitDossier", MISSING, NOT_FOUND),
    ("admin", "addGoodsLine", "DURAND", ALLOW),
    ("admin", "addGoodsLine", "RHONE", NOT_FOUND),
    ("admin", "addGoodsLine", MISSING, NOT_FOUND),
    ("admin", "updateGoodsLine", "DURAND", ALLOW),
    ("admin", "updateGoodsLine", "RHONE", NOT_FOUND),
    ("admin", "updateGoodsLine", MISSING, NOT_FOUND),
    ("admin", "removeGoodsLine", "DURAND", ALLOW),
    ("admin", "removeGoodsLine", "RHONE", NOT_FOUND),
    ("admin", "removeGoodsLine", MISSING, NOT_FOUND),
    ("admin", "uploadAttachment", "DURAND", ALLOW),
    ("admin", "uploadAttachment", "RHONE", NOT_FOUND),
    ("admin", "uploadAttachment", MISSING, NOT_FOUND),
    ("admin", "removeAttachment", "DURAND", ALLOW),
    ("admin", "removeAttachment", "RHONE", NOT_FOUND),
    ("admin", "removeAttachment", MISSING, NOT_FOUND),
    # ---------------------------------------------------------------- consult: Paul, collaborator (consult) of Durand
    ("consult", "procedures", _, ALLOW),
    ("consult", "codeList", _, ALLOW),
    ("consult", "attachmentPolicy", _, ALLOW),
    ("consult", "dossier", "DURAND", ALLOW),
    ("consult", "dossier", "DURAND+SUBMITTED", ALLOW),
    ("consult", "dossier", "CHOCOLAT", NULL),
    ("consult", "dossier", MISSING, NULL),
    ("consult", "dossiers", _, shows("DURAND", "DURAND+SUBMITTED")),
    ("consult", "node", "Dossier:DURAND", ALLOW),
    ("consult", "node", "Dossier:RHONE", NULL),
    ("consult", "node", "GoodsLine:DURAND", ALLOW),
    ("consult", "node", "GoodsLine:CHOCOLAT", NULL),
    ("consult", "node", "Attachment:DURAND", ALLOW),
    ("consult", "node", "Attachment:CHOCOLAT", NULL),
    ("consult", "aliases:dossier", "DURAND|CHOCOLAT", fields(a=ALLOW, b=NULL)),
    ("consult", "createDossier", "DURAND", FORBIDDEN),
    ("consult", "createDossier", "CHOCOLAT", NOT_FOUND),
    ("consult", "createDossier:acting", _, FORBIDDEN),
    ("consult", "updateDossier", "DURAND", FORBIDDEN),
    ("consult", "updateDossier", "RHONE", NOT_FOUND),
    ("consult", "checkDossier", "DURAND", ALLOW),  # "Contrôler" saves nothing: reading is enough
    ("consult", "checkDossier", "RHONE", NOT_FOUND),
    ("consult", "submitDossier", "DURAND", FORBIDDEN),
    ("consult", "submitDossier", "RHONE", NOT_FOUND),
    ("consult", "addGoodsLine", "DURAND", FORBIDDEN),
    ("consult", "addGoodsLine", "RHONE", NOT_FOUND),
    ("consult", "updateGoodsLine", "DURAND", FORBIDDEN),
    ("consult", "updateGoodsLine", "RHONE", NOT_FOUND),
    ("consult", "removeGoodsLine", "DURAND", FORBIDDEN),
    ("consult", "removeGoodsLine", "RHONE", NOT_FOUND),
    ("consult", "uploadAttachment", "DURAND", FORBIDDEN),
    ("consult", "uploadAttachment", "RHONE", NOT_FOUND),
    ("consult", "removeAttachment", "DURAND", FORBIDDEN),
    ("consult", "removeAttachment", "RHONE", NOT_FOUND),
    # ---------------------------------------------------------------- submit: Sophie, collaborator (submit) of Durand
    ("submit", "procedures", _, ALLOW),
    ("submit", "codeList", _, ALLOW),
    ("submit", "attachmentPolicy", _, ALLOW),
    ("submit", "dossier", "DURAND", ALLOW),
    ("submit", "dossier", "DURAND+SUBMITTED", ALLOW),
    ("submit", "dossier", "RHONE", NULL),
    ("submit", "dossiers", _, shows("DURAND", "DURAND+SUBMITTED")),
    ("submit", "node", "Dossier:DURAND", ALLOW),
    ("submit", "node", "Dossier:MARTIN", NULL),
    ("submit", "node", "GoodsLine:DURAND", ALLOW),
    ("submit", "node", "GoodsLine:RHONE", NULL),
    ("submit", "node", "Attachment:DURAND+SUBMITTED", ALLOW),
    ("submit", "node", "Attachment:MARTIN", NULL),
    ("submit", "createDossier", "DURAND", sees("DURAND")),
    ("submit", "createDossier", "VERRERIE", NOT_FOUND),
    ("submit", "createDossier:acting", _, sees("DURAND")),
    ("submit", "updateDossier", "DURAND", ALLOW),
    ("submit", "updateDossier", "DURAND+SUBMITTED", NOT_EDITABLE),  # deposited: no longer the applicant's to edit
    ("submit", "updateDossier", "CHOCOLAT", NOT_FOUND),
    ("submit", "checkDossier", "DURAND", ALLOW),
    ("submit", "checkDossier", "CHOCOLAT", NOT_FOUND),
    ("submit", "submitDossier", "DURAND", ALLOW),
    ("submit", "submitDossier", "DURAND+SUBMITTED", NOT_EDITABLE),
    ("submit", "submitDossier", "CHOCOLAT", NOT_FOUND),
    ("submit", "addGoodsLine", "DURAND", ALLOW),
    ("submit", "addGoodsLine", "DURAND+SUBMITTED", NOT_EDITABLE),
    ("submit", "addGoodsLine", "CHOCOLAT", NOT_FOUND),
    ("submit", "updateGoodsLine", "DURAND", ALLOW),
    ("submit", "updateGoodsLine", "DURAND+SUBMITTED", NOT_EDITABLE),
    ("submit", "updateGoodsLine", "CHOCOLAT", NOT_FOUND),
    ("submit", "removeGoodsLine", "DURAND", ALLOW),
    ("submit", "removeGoodsLine", "CHOCOLAT", NOT_FOUND),
    ("submit", "uploadAttachment", "DURAND", ALLOW),
    ("submit", "uploadAttachment", "DURAND+SUBMITTED", NOT_EDITABLE),
    ("submit", "uploadAttachment", "CHOCOLAT", NOT_FOUND),
    ("submit", "removeAttachment", "DURAND", ALLOW),
    ("submit", "removeAttachment", "DURAND+SUBMITTED", NOT_EDITABLE),
    ("submit", "removeAttachment", "CHOCOLAT", NOT_FOUND),
    # ---------------------------------------------------------------- partner: Karim, admin of Logistique Rhône,
    #                                                                   partner (prepare) of Ateliers Durand
    ("partner", "procedures", _, ALLOW),
    ("partner", "codeList", _, ALLOW),
    ("partner", "attachmentPolicy", _, ALLOW),
    ("partner", "dossier", "DURAND", ALLOW),
    ("partner", "dossier", "DURAND+SUBMITTED", ALLOW),
    ("partner", "dossier", "RHONE", ALLOW),
    ("partner", "dossier", "CHOCOLAT", NULL),
    ("partner", "dossier", MISSING, NULL),
    ("partner", "dossiers", _, shows("DURAND", "DURAND+SUBMITTED", "RHONE")),
    ("partner", "node", "Dossier:DURAND", ALLOW),
    ("partner", "node", "Dossier:CHOCOLAT", NULL),
    ("partner", "node", "GoodsLine:DURAND", ALLOW),
    ("partner", "node", "GoodsLine:MARTIN", NULL),
    ("partner", "node", "Attachment:RHONE", ALLOW),
    ("partner", "node", "Attachment:CHOCOLAT", NULL),
    ("partner", "aliases:dossier", "RHONE|MARTIN", fields(a=ALLOW, b=NULL)),
    ("partner", "createDossier", "DURAND", sees("DURAND")),  # prepare: he may create for Durand
    ("partner", "createDossier", "RHONE", sees("RHONE")),
    ("partner", "createDossier", "CHOCOLAT", NOT_FOUND),
    ("partner", "createDossier:acting", _, ACTING_OPERATOR_REQUIRED),  # two operators: he must say which
    ("partner", "createDossier:acting", "DURAND", sees("DURAND")),  # ... chosen in his session
    ("partner", "updateDossier", "DURAND", ALLOW),
    ("partner", "updateDossier", "RHONE", ALLOW),
    ("partner", "updateDossier", "CHOCOLAT", NOT_FOUND),
    ("partner", "checkDossier", "DURAND", ALLOW),
    ("partner", "checkDossier", "CHOCOLAT", NOT_FOUND),
    ("partner", "submitDossier", "DURAND", FORBIDDEN),  # prepare cannot submit
    ("partner", "submitDossier", "RHONE", ALLOW),  # his own operator: he administers it
    ("partner", "submitDossier", "CHOCOLAT", NOT_FOUND),
    ("partner", "addGoodsLine", "DURAND", ALLOW),
    ("partner", "addGoodsLine", "CHOCOLAT", NOT_FOUND),
    ("partner", "updateGoodsLine", "DURAND", ALLOW),
    ("partner", "updateGoodsLine", "CHOCOLAT", NOT_FOUND),
    ("partner", "removeGoodsLine", "DURAND", ALLOW),
    ("partner", "removeGoodsLine", "CHOCOLAT", NOT_FOUND),
    ("partner", "uploadAttachment", "DURAND", ALLOW),
    ("partner", "uploadAttachment", "CHOCOLAT", NOT_FOUND),
    ("partner", "removeAttachment", "DURAND", ALLOW),
    ("partner", "removeAttachment", "CHOCOLAT", NOT_FOUND),
    # ---------------------------------------------------------------- representative: Lucie, admin of Transitaire
    #                                              Martin, representing Durand + Chocolaterie (full), Verrerie (partial)
    ("representative", "procedures", _, ALLOW),
    ("representative", "codeList", _, ALLOW),
    ("representative", "attachmentPolicy", _, ALLOW),
    ("representative", "dossier", "MARTIN", ALLOW),
    ("representative", "dossier", "DURAND", ALLOW),  # full mandate: every dossier, filed by whoever
    ("representative", "dossier", "CHOCOLAT+SUBMITTED", ALLOW),
    ("representative", "dossier", "VERRERIE<MARTIN", ALLOW),  # partial mandate: the dossiers her firm filed...
    ("representative", "dossier", "VERRERIE", NULL),  # ... and not one filed by someone else
    ("representative", "dossier", "RHONE", NULL),
    ("representative", "dossier", MISSING, NULL),
    (
        "representative",
        "dossiers",
        _,
        shows("MARTIN", "DURAND", "DURAND+SUBMITTED", "CHOCOLAT", "CHOCOLAT+SUBMITTED", "VERRERIE<MARTIN"),
    ),
    ("representative", "node", "Dossier:VERRERIE<MARTIN", ALLOW),
    ("representative", "node", "Dossier:VERRERIE", NULL),
    ("representative", "node", "Dossier:RHONE", NULL),
    ("representative", "node", "GoodsLine:VERRERIE<MARTIN", ALLOW),
    ("representative", "node", "GoodsLine:VERRERIE", NULL),
    ("representative", "node", "Attachment:VERRERIE<MARTIN", ALLOW),
    ("representative", "node", "Attachment:VERRERIE", NULL),
    ("representative", "aliases:dossier", "VERRERIE<MARTIN|VERRERIE", fields(a=ALLOW, b=NULL)),
    ("representative", "aliases:node", "GoodsLine:CHOCOLAT|GoodsLine:VERRERIE", fields(a=ALLOW, b=NULL)),
    ("representative", "createDossier", "MARTIN", sees("MARTIN")),
    ("representative", "createDossier", "CHOCOLAT", sees("CHOCOLAT")),
    ("representative", "createDossier", "VERRERIE", sees("VERRERIE")),  # filed by her firm: hers to see
    ("representative", "createDossier", "RHONE", NOT_FOUND),
    ("representative", "createDossier:acting", _, ACTING_OPERATOR_REQUIRED),
    ("representative", "createDossier:acting", "VERRERIE", sees("VERRERIE")),
    ("representative", "updateDossier", "DURAND", ALLOW),
    ("representative", "updateDossier", "VERRERIE<MARTIN", ALLOW),
    ("representative", "updateDossier", "VERRERIE", NOT_FOUND),
    ("representative", "updateDossier", "RHONE", NOT_FOUND),
    ("representative", "checkDossier", "VERRERIE<MARTIN", ALLOW),
    ("representative", "checkDossier", "VERRERIE", NOT_FOUND),
    ("representative", "submitDossier", "CHOCOLAT", ALLOW),
    ("representative", "submitDossier", "VERRERIE<MARTIN", ALLOW),
    ("representative", "submitDossier", "VERRERIE", NOT_FOUND),
    ("representative", "addGoodsLine", "VERRERIE<MARTIN", ALLOW),
    ("representative", "addGoodsLine", "VERRERIE", NOT_FOUND),
    ("representative", "updateGoodsLine", "VERRERIE<MARTIN", ALLOW),
    ("representative", "updateGoodsLine", "VERRERIE", NOT_FOUND),
    ("representative", "removeGoodsLine", "VERRERIE<MARTIN", ALLOW),
    ("representative", "removeGoodsLine", "VERRERIE", NOT_FOUND),
    ("representative", "uploadAttachment", "VERRERIE<MARTIN", ALLOW),
    ("representative", "uploadAttachment", "VERRERIE", NOT_FOUND),
    ("representative", "uploadAttachment", "RHONE", NOT_FOUND),
    ("representative", "removeAttachment", "VERRERIE<MARTIN", ALLOW),
    ("representative", "removeAttachment", "VERRERIE", NOT_FOUND),
    # ---------------------------------------------------------------- private: Jean, a private person
    ("private", "procedures", _, ALLOW),
    ("private", "codeList", _, ALLOW),
    ("private", "attachmentPolicy", _, ALLOW),
    ("private", "dossier", "DURAND", NULL),
    ("private", "dossier", MISSING, NULL),
    # ISSUE: "a private person asking for an operator feature gets « réservé aux comptes professionnels »" (like
    # `operators`), and the policy decides before any id is looked at (private rows below: not NOT_FOUND).
    ("private", "dossiers", _, PROFESSIONAL_ONLY),
    ("private", "node", "Dossier:DURAND", NULL),
    ("private", "node", "GoodsLine:DURAND", NULL),
    ("private", "node", "Attachment:DURAND", NULL),
    ("private", "createDossier", "DURAND", PROFESSIONAL_ONLY),
    ("private", "createDossier:acting", _, PROFESSIONAL_ONLY),
    ("private", "updateDossier", "DURAND", PROFESSIONAL_ONLY),  # ISSUE
    ("private", "updateDossier", MISSING, PROFESSIONAL_ONLY),  # ISSUE
    ("private", "checkDossier", "DURAND", PROFESSIONAL_ONLY),  # ISSUE
    ("private", "submitDossier", "DURAND", PROFESSIONAL_ONLY),  # ISSUE
    ("private", "addGoodsLine", "DURAND", PROFESSIONAL_ONLY),  # ISSUE
    ("private", "updateGoodsLine", "DURAND", PROFESSIONAL_ONLY),  # ISSUE
    ("private", "removeGoodsLine", "DURAND", PROFESSIONAL_ONLY),  # ISSUE
    ("private", "uploadAttachment", "DURAND", PROFESSIONAL_ONLY),  # ISSUE
    ("private", "removeAttachment", "DURAND", PROFESSIONAL_ONLY),  # ISSUE
    # ---------------------------------------------------------------- officer: Claire, customs, office FR000690
    ("officer", "procedures", _, ALLOW),
    ("officer", "codeList", _, ALLOW),
    ("officer", "attachmentPolicy", _, ALLOW),
    ("officer", "dossier", "DURAND+SUBMITTED", ALLOW),  # submitted to her office
    ("officer", "dossier", "DURAND", NULL),  # a draft stays with the applicant
    ("officer", "dossier", "CHOCOLAT+SUBMITTED", NULL),  # another office's
    ("officer", "dossier", MISSING, NULL),
    ("officer", "dossiers", _, shows("DURAND+SUBMITTED")),
    ("officer", "node", "Dossier:DURAND+SUBMITTED", ALLOW),
    ("officer", "node", "Dossier:DURAND", NULL),
    ("officer", "node", "GoodsLine:DURAND+SUBMITTED", ALLOW),
    ("officer", "node", "GoodsLine:DURAND", NULL),
    ("officer", "node", "Attachment:DURAND+SUBMITTED", ALLOW),
    ("officer", "node", "Attachment:CHOCOLAT+SUBMITTED", NULL),
    ("officer", "aliases:dossier", "DURAND+SUBMITTED|CHOCOLAT+SUBMITTED", fields(a=ALLOW, b=NULL)),
    ("officer", "createDossier", "DURAND", PROFESSIONAL_ONLY),
    ("officer", "createDossier:acting", _, PROFESSIONAL_ONLY),
    ("officer", "updateDossier", "DURAND+SUBMITTED", PROFESSIONAL_ONLY),
    ("officer", "updateDossier", "DURAND", PROFESSIONAL_ONLY),  # ISSUE: the account kind decides, not visibility
    ("officer", "checkDossier", "DURAND+SUBMITTED", PROFESSIONAL_ONLY),
    ("officer", "submitDossier", "DURAND+SUBMITTED", PROFESSIONAL_ONLY),
    ("officer", "submitDossier", "DURAND", PROFESSIONAL_ONLY),  # ISSUE
    ("officer", "addGoodsLine", "DURAND+SUBMITTED", PROFESSIONAL_ONLY),
    ("officer", "updateGoodsLine", "DURAND+SUBMITTED", PROFESSIONAL_ONLY),
    ("officer", "removeGoodsLine", "DURAND+SUBMITTED", PROFESSIONAL_ONLY),
    ("officer", "uploadAttachment", "DURAND+SUBMITTED", PROFESSIONAL_ONLY),
    ("officer", "uploadAttachment", "DURAND", PROFESSIONAL_ONLY),  # ISSUE
    ("officer", "removeAttachment", "DURAND+SUBMITTED", PROFESSIONAL_ONLY),
    # ---------------------------------------------------------------- officer2: Hugo, customs, office FR002300
    ("officer2", "procedures", _, ALLOW),
    ("officer2", "codeList", _, ALLOW),
    ("officer2", "attachmentPolicy", _, ALLOW),
    ("officer2", "dossier", "CHOCOLAT+SUBMITTED", ALLOW),
    ("officer2", "dossier", "DURAND+SUBMITTED", NULL),  # Claire's office
    ("officer2", "dossier", "CHOCOLAT", NULL),
    ("officer2", "dossiers", _, shows("CHOCOLAT+SUBMITTED")),
    ("officer2", "node", "Dossier:CHOCOLAT+SUBMITTED", ALLOW),
    ("officer2", "node", "Dossier:DURAND+SUBMITTED", NULL),
    ("officer2", "node", "GoodsLine:DURAND+SUBMITTED", NULL),
    ("officer2", "node", "Attachment:CHOCOLAT+SUBMITTED", ALLOW),
    ("officer2", "node", "Attachment:DURAND+SUBMITTED", NULL),
    ("officer2", "createDossier", "CHOCOLAT", PROFESSIONAL_ONLY),
    ("officer2", "createDossier:acting", _, PROFESSIONAL_ONLY),
    ("officer2", "updateDossier", "CHOCOLAT+SUBMITTED", PROFESSIONAL_ONLY),
    ("officer2", "updateDossier", "DURAND+SUBMITTED", PROFESSIONAL_ONLY),  # ISSUE: not NOT_FOUND
    ("officer2", "checkDossier", "CHOCOLAT+SUBMITTED", PROFESSIONAL_ONLY),
    ("officer2", "submitDossier", "CHOCOLAT+SUBMITTED", PROFESSIONAL_ONLY),
    ("officer2", "addGoodsLine", "CHOCOLAT+SUBMITTED", PROFESSIONAL_ONLY),
    ("officer2", "updateGoodsLine", "CHOCOLAT+SUBMITTED", PROFESSIONAL_ONLY),
    ("officer2", "removeGoodsLine", "CHOCOLAT+SUBMITTED", PROFESSIONAL_ONLY),
    ("officer2", "uploadAttachment", "CHOCOLAT+SUBMITTED", PROFESSIONAL_ONLY),
    ("officer2", "removeAttachment", "CHOCOLAT+SUBMITTED", PROFESSIONAL_ONLY),
    # ---------------------------------------------------------------- anonymous: no session, no token
    ("anonymous", "procedures", _, ALLOW),  # the catalogue and the form model are public
    ("anonymous", "codeList", _, ALLOW),
    ("anonymous", "attachmentPolicy", _, ALLOW),
    ("anonymous", "dossier", "DURAND", NULL),
    ("anonymous", "dossier", MISSING, NULL),
    ("anonymous", "node", "Dossier:DURAND", NULL),
    ("anonymous", "node", "GoodsLine:DURAND", NULL),
    ("anonymous", "node", "Attachment:DURAND", NULL),
    ("anonymous", "aliases:dossier", "DURAND|MISSING", fields(a=NULL, b=NULL)),
    # ISSUE (the UNAUTHENTICATED rows below but the two createDossier ones): nobody is logged in — not an empty list (like
    # `operators`), not "introuvable" (which says whether an id exists).
    ("anonymous", "dossiers", _, UNAUTHENTICATED),
    ("anonymous", "createDossier", "DURAND", UNAUTHENTICATED),
    ("anonymous", "createDossier:acting", _, UNAUTHENTICATED),
    ("anonymous", "updateDossier", "DURAND", UNAUTHENTICATED),
    ("anonymous", "updateDossier", MISSING, UNAUTHENTICATED),
    ("anonymous", "checkDossier", "DURAND", UNAUTHENTICATED),
    ("anonymous", "submitDossier", "DURAND", UNAUTHENTICATED),
    ("anonymous", "addGoodsLine", "DURAND", UNAUTHENTICATED),
    ("anonymous", "updateGoodsLine", "DURAND", UNAUTHENTICATED),
    ("anonymous", "updateGoodsLine", MISSING, UNAUTHENTICATED),
    ("anonymous", "removeGoodsLine", "DURAND", UNAUTHENTICATED),
    ("anonymous", "uploadAttachment", "DURAND", UNAUTHENTICATED),
    ("anonymous", "removeAttachment", "DURAND", UNAUTHENTICATED),
    ("anonymous", "removeAttachment", MISSING, UNAUTHENTICATED),
    # ---------------------------------------------------------------- token: the admin's API token, bound to
    #                                                                   Ateliers Durand with the right consult
    ("token", "procedures", _, ALLOW),
    ("token", "codeList", _, ALLOW),
    ("token", "attachmentPolicy", _, ALLOW),
    ("token", "dossier", "DURAND", ALLOW),  # consult: it reads...
    ("token", "dossier", "DURAND+SUBMITTED", ALLOW),
    ("token", "dossier", "RHONE", NULL),
    ("token", "dossier", MISSING, NULL),
    ("token", "dossiers", _, shows("DURAND", "DURAND+SUBMITTED")),
    ("token", "node", "Dossier:DURAND", ALLOW),
    ("token", "node", "Dossier:RHONE", NULL),
    ("token", "node", "GoodsLine:DURAND", ALLOW),
    ("token", "node", "Attachment:DURAND", ALLOW),
    ("token", "node", "Attachment:MARTIN", NULL),
    ("token", "aliases:dossier", "DURAND|CHOCOLAT", fields(a=ALLOW, b=NULL)),
    ("token", "createDossier", "DURAND", FORBIDDEN),  # ... but saves nothing, though its creator could
    ("token", "createDossier", "RHONE", NOT_FOUND),
    ("token", "createDossier:acting", _, FORBIDDEN),
    ("token", "updateDossier", "DURAND", FORBIDDEN),
    ("token", "updateDossier", "RHONE", NOT_FOUND),
    ("token", "checkDossier", "DURAND", ALLOW),
    ("token", "submitDossier", "DURAND", FORBIDDEN),
    ("token", "addGoodsLine", "DURAND", FORBIDDEN),
    ("token", "updateGoodsLine", "DURAND", FORBIDDEN),
    ("token", "removeGoodsLine", "DURAND", FORBIDDEN),
    ("token", "uploadAttachment", "DURAND", FORBIDDEN),
    ("token", "uploadAttachment", "RHONE", NOT_FOUND),
    ("token", "removeAttachment", "DURAND", FORBIDDEN),
    # ---------------------------------------------------------------- member: a user of Durand without any right
    ("member", "procedures", _, ALLOW),
    ("member", "codeList", _, ALLOW),
    ("member", "attachmentPolicy", _, ALLOW),
    ("member", "dossier", "DURAND", NULL),  # no right on SOPRANO: not even consult
    ("member", "dossiers", _, shows()),
    ("member", "node", "Dossier:DURAND", NULL),
    ("member", "node", "GoodsLine:DURAND", NULL),
    ("member", "node", "Attachment:DURAND", NULL),
    ("member", "createDossier", "DURAND", FORBIDDEN),  # he sees his operator, without the right to prepare
    ("member", "createDossier", "RHONE", NOT_FOUND),
    # ISSUE: no operator he may act for: "choose an operator first" sends him looking for a choice he does not have.
    ("member", "createDossier:acting", _, FORBIDDEN),
    ("member", "updateDossier", "DURAND", NOT_FOUND),  # not visible to him → not found
    ("member", "checkDossier", "DURAND", NOT_FOUND),
    ("member", "submitDossier", "DURAND", NOT_FOUND),
    ("member", "addGoodsLine", "DURAND", NOT_FOUND),
    ("member", "updateGoodsLine", "DURAND", NOT_FOUND),
    ("member", "removeGoodsLine", "DURAND", NOT_FOUND),
    ("member", "uploadAttachment", "DURAND", NOT_FOUND),
    ("member", "removeAttachment", "DURAND", NOT_FOUND),
    # ---------------------------------------------------------------- newcomer: terms of use not accepted yet
    ("newcomer", "procedures", _, ALLOW),  # public, like the terms themselves
    ("newcomer", "codeList", _, ALLOW),
    ("newcomer", "attachmentPolicy", _, ALLOW),
    ("newcomer", "dossier", "NEW", TERMS_NOT_ACCEPTED),  # even his own operator's
    ("newcomer", "dossier", "DURAND", TERMS_NOT_ACCEPTED),
    ("newcomer", "dossier", MISSING, TERMS_NOT_ACCEPTED),
    ("newcomer", "dossiers", _, TERMS_NOT_ACCEPTED),
    ("newcomer", "node", "Dossier:NEW", NULL),  # node(id) is no way around the terms
    ("newcomer", "node", "GoodsLine:NEW", NULL),
    ("newcomer", "node", "Attachment:NEW", NULL),
    ("newcomer", "createDossier", "NEW", TERMS_NOT_ACCEPTED),
    ("newcomer", "createDossier", "DURAND", TERMS_NOT_ACCEPTED),
    ("newcomer", "createDossier:acting", _, TERMS_NOT_ACCEPTED),
    ("newcomer", "updateDossier", "NEW", TERMS_NOT_ACCEPTED),
    ("newcomer", "updateDossier", "DURAND", TERMS_NOT_ACCEPTED),
    ("newcomer", "checkDossier", "NEW", TERMS_NOT_ACCEPTED),
    ("newcomer", "submitDossier", "NEW", TERMS_NOT_ACCEPTED),
    ("newcomer", "addGoodsLine", "NEW", TERMS_NOT_ACCEPTED),
    ("newcomer", "updateGoodsLine", "NEW", TERMS_NOT_ACCEPTED),
    ("newcomer", "updateGoodsLine", "DURAND", TERMS_NOT_ACCEPTED),
    # ISSUE: a nonexistent line or attachment answers NOT_FOUND where an existing one (anyone's) answers
    # TERMS_NOT_ACCEPTED: the answer tells whether an id exists.
    ("newcomer", "updateGoodsLine", MISSING, TERMS_NOT_ACCEPTED),
    ("newcomer", "removeGoodsLine", "NEW", TERMS_NOT_ACCEPTED),
    ("newcomer", "removeGoodsLine", MISSING, TERMS_NOT_ACCEPTED),  # ISSUE (same)
    ("newcomer", "uploadAttachment", "NEW", TERMS_NOT_ACCEPTED),
    ("newcomer", "removeAttachment", "NEW", TERMS_NOT_ACCEPTED),
    ("newcomer", "removeAttachment", "DURAND", TERMS_NOT_ACCEPTED),
    ("newcomer", "removeAttachment", MISSING, TERMS_NOT_ACCEPTED),  # ISSUE (same)
]

# --- THE TABLE, continued: the statuses catalogue (public) and the dossier's per-reader fields ----------------------
DOSSIERS_MATRIX += [(actor, "dossierStatuses", _, ALLOW) for actor in ACTORS]  # public, like the procedures
DOSSIERS_MATRIX += [
    ("admin", "dossier:actions", "DURAND", ALLOW),
    ("admin", "dossier:actions", "RHONE", NULL),
    ("consult", "dossier:actions", "DURAND", ALLOW),  # an empty list: consult may do nothing
    ("submit", "dossier:actions", "DURAND+SUBMITTED", ALLOW),
    ("partner", "dossier:actions", "RHONE", ALLOW),
    ("representative", "dossier:actions", "VERRERIE<MARTIN", ALLOW),
    ("representative", "dossier:actions", "VERRERIE", NULL),
    ("private", "dossier:actions", "DURAND", NULL),
    ("officer", "dossier:actions", "DURAND+SUBMITTED", ALLOW),
    ("officer", "dossier:actions", "DURAND", NULL),
    ("officer2", "dossier:actions", "DURAND+SUBMITTED", NULL),
    ("anonymous", "dossier:actions", "DURAND", NULL),
    ("token", "dossier:actions", "DURAND", ALLOW),
    ("member", "dossier:actions", "DURAND", NULL),
    ("newcomer", "dossier:actions", "NEW", TERMS_NOT_ACCEPTED),
]

DOSSIERS_MATRIX += [(actor, "limits", _, ALLOW) for actor in ACTORS]  # public, like the statuses
# canSave: the reader may edit and save now (a draft, and the prepare or submit right); null where the dossier is not
# visible at all.
DOSSIERS_MATRIX += [
    ("admin", "dossier:canSave", "DURAND", reads(canSave=True)),
    ("admin", "dossier:canSave", "DURAND+SUBMITTED", reads(canSave=False)),  # deposited: no longer editable
    ("admin", "dossier:canSave", "RHONE", NULL),
    ("consult", "dossier:canSave", "DURAND", reads(canSave=False)),  # consult reads only
    ("submit", "dossier:canSave", "DURAND", reads(canSave=True)),
    ("submit", "dossier:canSave", "DURAND+SUBMITTED", reads(canSave=False)),
    ("partner", "dossier:canSave", "DURAND", reads(canSave=True)),  # prepare is enough to save
    ("partner", "dossier:canSave", "RHONE", reads(canSave=True)),
    ("representative", "dossier:canSave", "VERRERIE<MARTIN", reads(canSave=True)),
    ("representative", "dossier:canSave", "DURAND", reads(canSave=True)),
    ("representative", "dossier:canSave", "VERRERIE", NULL),
    ("private", "dossier:canSave", "DURAND", NULL),
    ("officer", "dossier:canSave", "DURAND+SUBMITTED", reads(canSave=False)),  # customs examine, never edit
    ("officer", "dossier:canSave", "DURAND", NULL),
    ("officer2", "dossier:canSave", "CHOCOLAT+SUBMITTED", reads(canSave=False)),
    ("anonymous", "dossier:canSave", "DURAND", NULL),
    ("token", "dossier:canSave", "DURAND", reads(canSave=False)),  # consult, though its creator may submit
    ("member", "dossier:canSave", "DURAND", NULL),
    ("newcomer", "dossier:canSave", "NEW", TERMS_NOT_ACCEPTED),
]


INVISIBLE_LIKE_MISSING = [
    ("admin", "dossier", "RHONE", MISSING),
    ("representative", "dossier", "VERRERIE", MISSING),
    ("officer", "dossier", "DURAND", MISSING),
    ("admin", "node", "Dossier:RHONE", "Dossier:MISSING"),
    ("admin", "node", "GoodsLine:RHONE", "GoodsLine:MISSING"),
    ("admin", "node", "Attachment:RHONE", "Attachment:MISSING"),
    ("representative", "node", "Attachment:VERRERIE", "Attachment:MISSING"),
    ("admin", "createDossier", "CHOCOLAT", MISSING),
    ("admin", "updateDossier", "RHONE", MISSING),
    ("representative", "updateDossier", "VERRERIE", MISSING),
    ("member", "updateDossier", "DURAND", MISSING),
    ("admin", "checkDossier", "RHONE", MISSING),
    ("admin", "submitDossier", "RHONE", MISSING),
    ("admin", "addGoodsLine", "RHONE", MISSING),
    ("admin", "updateGoodsLine", "RHONE", MISSING),
    ("admin", "removeGoodsLine", "RHONE", MISSING),
    ("admin", "uploadAttachment", "RHONE", MISSING),
    ("admin", "removeAttachment", "RHONE", MISSING),
    ("representative", "removeAttachment", "VERRERIE", MISSING),
]


@matrix(DOSSIERS_MATRIX)
async def test_dossiers_matrix(world, actor_clients, actor, operation, target, expected):
    await assert_row(world, actor_clients, actor, operation, target, expected)


@invisible_like_missing(INVISIBLE_LIKE_MISSING)
async def test_what_may_not_be_seen_answers_exactly_like_what_does_not_exist(
    world, actor_clients, actor, operation, invisible, missing
):
    await assert_invisible_like_missing(world, actor_clients, actor, operation, invisible, missing)
