"""Every table of the portal, imported in one place for Alembic and the drift check."""

from sqlmodel import SQLModel

from backend.assistance.models import AssistanceCounter, AssistanceMessage, AssistanceRequest, Feedback
from backend.auth.sessions import WebSession
from backend.authorizations.models import Authorization, AuthorizationEvent, AuthorizationVersion
from backend.declarations.models import DeclarationCounter, PrivateDeclaration, PrivateDeclarationEvent
from backend.dossiers.models import Attachment, Dossier, DossierCounter, DossierEvent, GoodsLine
from backend.identity.models import (
    AccessAuditEntry,
    ApiToken,
    Habilitation,
    Operator,
    Representation,
    TermsAcceptance,
    TermsVersion,
    User,
)

metadata = SQLModel.metadata

__all__ = [
    "AccessAuditEntry",
    "ApiToken",
    "AssistanceCounter",
    "AssistanceMessage",
    "AssistanceRequest",
    "Attachment",
    "Authorization",
    "AuthorizationEvent",
    "AuthorizationVersion",
    "DeclarationCounter",
    "Dossier",
    "DossierCounter",
    "DossierEvent",
    "Feedback",
    "GoodsLine",
    "Habilitation",
    "Operator",
    "PrivateDeclaration",
    "PrivateDeclarationEvent",
    "Representation",
    "TermsAcceptance",
    "TermsVersion",
    "User",
    "WebSession",
    "metadata",
]
