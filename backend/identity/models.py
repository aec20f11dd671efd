"""Users of the portal, as known from their identity provider."""

from __future__ import annotations

import datetime as dt
import enum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from backend.db import UTCDateTime, utcnow


class AccountKind(enum.StrEnum):
    """The kind of account, decided at login from the identity's claims."""

    PROFESSIONAL = "professional"
    PRIVATE_PERSON = "private_person"
    CUSTOMS_OFFICER = "customs_officer"

    @property
    def label(self) -> str:
        return ACCOUNT_KIND_LABELS[self]


ACCOUNT_KIND_LABELS = {
    AccountKind.PROFESSIONAL: "professionnel",
    AccountKind.PRIVATE_PERSON: "particulier",
    AccountKind.CUSTOMS_OFFICER: "agent des douanes",
}


class User(SQLModel, table=True):
    """A person, found or created by (issuer, subject) at each login."""

    __tablename__ = "app_user"
    __table_args__ = (sa.UniqueConstraint("issuer", "subject", name="uq_app_user_issuer_subject"),)

    id: int | None = Field(default=None, primary_key=True)
    issuer: str = Field(max_length=255)
    subject: str = Field(max_length=255)
    kind: AccountKind = Field(
        sa_column=sa.Column(
            sa.Enum(AccountKind, native_enum=False, length=32, name="account_kind"), nullable=False
        )
    )
    name: str = Field(default="", max_length=255)
    email: str | None = Field(default=None, max_length=320)
    siret: str | None = Field(default=None, max_length=14)
    customs_office: str | None = Field(default=None, max_length=8)
    # The portal's support (a customs-side role, given by configuration: SUPPORT_USERS): answers technical tickets
    # and reads the feedback. Set at each login.
    is_support: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    # A professional belongs to the operator of their `siret` claim; its first user becomes its administrator.
    operator_id: int | None = Field(default=None, foreign_key="operator.id", index=True)
    is_admin: bool = Field(default=False)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=sa.Column(UTCDateTime, nullable=False))
    last_login_at: dt.datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime, nullable=True))

    @property
    def display_name(self) -> str:
        return self.name or self.email or self.subject


class Right(enum.IntEnum):
    """Rights on a tele-service (the EU Trader Portal's three roles), ordered: each includes the ones below."""

    CONSULT = 1
    PREPARE = 2
    SUBMIT = 3

    @property
    def label(self) -> str:
        return RIGHT_LABELS[self]


RIGHT_LABELS = {Right.CONSULT: "consulter", Right.PREPARE: "préparer", Right.SUBMIT: "déposer"}

SOPRANO = "SOPRANO"
# Tele-services on which habilitations can be given; the model allows others than SOPRANO.
TELESERVICES = {SOPRANO: "SOPRANO – Régimes particuliers"}


class Operator(SQLModel, table=True):
    """A company (établissement) known by its SIRET; operators file applications and hold authorisations."""

    __tablename__ = "operator"

    id: int | None = Field(default=None, primary_key=True)
    siren: str = Field(max_length=9, index=True)
    siret: str = Field(max_length=14, unique=True)
    eori: str | None = Field(default=None, max_length=17, unique=True)
    legal_name: str = Field(max_length=255)
    address: str = Field(default="", max_length=255)
    postcode: str = Field(default="", max_length=10)
    city: str = Field(default="", max_length=120)
    country: str = Field(default="FR", max_length=2)
    established_in_union: bool = Field(default=True)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=sa.Column(UTCDateTime, nullable=False))


class Habilitation(SQLModel, table=True):
    """A right on one tele-service of an operator, given by its administrator to a collaborator or a partner."""

    __tablename__ = "habilitation"
    __table_args__ = (
        # At most one active habilitation per (operator, user, tele-service); revoked ones stay as history.
        sa.Index(
            "uq_habilitation_active",
            "operator_id",
            "user_id",
            "teleservice",
            unique=True,
            postgresql_where=sa.text("revoked_at IS NULL"),
            sqlite_where=sa.text("revoked_at IS NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    operator_id: int = Field(foreign_key="operator.id", index=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    teleservice: str = Field(default=SOPRANO, max_length=32)
    right: Right = Field(sa_column=sa.Column(sa.Integer, nullable=False))
    granted_by_id: int = Field(foreign_key="app_user.id")
    granted_at: dt.datetime = Field(default_factory=utcnow, sa_column=sa.Column(UTCDateTime, nullable=False))
    revoked_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    revoked_at: dt.datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime, nullable=True))


class MandateScope(enum.StrEnum):
    FULL = "full"
    PARTIAL = "partial"

    @property
    def label(self) -> str:
        return "totale" if self is MandateScope.FULL else "partielle"

    @property
    def mandate_label(self) -> str:
        """« mandat de représentation totale » or « … partielle »: the mandate named in full."""
        return f"mandat de représentation {self.label}"


class Representation(SQLModel, table=True):
    """A mandate: a customs representative (an operator) acts for a represented operator, for a period."""

    __tablename__ = "representation"

    id: int | None = Field(default=None, primary_key=True)
    representative_id: int = Field(foreign_key="operator.id", index=True)
    represented_id: int = Field(foreign_key="operator.id", index=True)
    scope: MandateScope = Field(
        sa_column=sa.Column(
            sa.Enum(MandateScope, native_enum=False, length=16, name="mandate_scope"), nullable=False
        )
    )
    valid_from: dt.date
    valid_until: dt.date | None = None
    created_by_id: int = Field(foreign_key="app_user.id")
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=sa.Column(UTCDateTime, nullable=False))
    ended_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    ended_at: dt.datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime, nullable=True))


class TermsVersion(SQLModel, table=True):
    """A version of the terms of use (CGU) of a tele-service; the latest published one must be accepted."""

    __tablename__ = "terms_version"
    __table_args__ = (sa.UniqueConstraint("teleservice", "version", name="uq_terms_version"),)

    id: int | None = Field(default=None, primary_key=True)
    teleservice: str = Field(default=SOPRANO, max_length=32)
    version: str = Field(max_length=32)
    title: str = Field(max_length=255)
    body: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    published_at: dt.datetime = Field(sa_column=sa.Column(UTCDateTime, nullable=False))


class TermsAcceptance(SQLModel, table=True):
    __tablename__ = "terms_acceptance"
    __table_args__ = (sa.UniqueConstraint("user_id", "terms_version_id", name="uq_terms_acceptance"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    terms_version_id: int = Field(foreign_key="terms_version.id")
    accepted_at: dt.datetime = Field(default_factory=utcnow, sa_column=sa.Column(UTCDateTime, nullable=False))


class AccessAuditEntry(SQLModel, table=True):
    """Every change of rights: who did what to whom, when (habilitations, administrators, mandates, tokens)."""

    __tablename__ = "access_audit"

    id: int | None = Field(default=None, primary_key=True)
    operator_id: int | None = Field(default=None, foreign_key="operator.id", index=True)
    actor_id: int = Field(foreign_key="app_user.id")
    subject_user_id: int | None = Field(default=None, foreign_key="app_user.id")
    action: str = Field(max_length=40)
    detail: str = Field(default="", max_length=500)
    at: dt.datetime = Field(default_factory=utcnow, sa_column=sa.Column(UTCDateTime, nullable=False))


class ApiToken(SQLModel, table=True):
    """A bearer token of partner software or a mobile app; only its SHA-256 is stored (see `tokens`)."""

    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    name: str = Field(default="", max_length=120)
    token_hash: str = Field(max_length=64, unique=True)
    # First characters of the token, so its owner can recognise it in a list.
    hint: str = Field(max_length=16)
    operator_id: int | None = Field(default=None, foreign_key="operator.id")
    right: Right | None = Field(default=None, sa_column=sa.Column(sa.Integer, nullable=True))
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=sa.Column(UTCDateTime, nullable=False))
    expires_at: dt.datetime = Field(sa_column=sa.Column(UTCDateTime, nullable=False))
    revoked_at: dt.datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime, nullable=True))
    last_used_at: dt.datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime, nullable=True))
