"""Issued authorisations: the authorisation (its reference, holder, office and the measures in force), its versions
(each immutable once issued: the granted content, the validity, the conditions) and its history."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from backend.db import UTCDateTime, utcnow


class AuthorizationState(enum.StrEnum):
    """What an authorisation is on a given day: computed from its dates and measures, never stored (an expiry or a
    deferred revocation happens by itself, with no job to run)."""

    NOT_YET_VALID = "not_yet_valid"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    EXPIRED = "expired"
    REVOKED = "revoked"
    ANNULLED = "annulled"

    @property
    def label(self) -> str:
        return STATE_LABELS[self]


STATE_LABELS = {
    AuthorizationState.NOT_YET_VALID: "pas encore en vigueur",
    AuthorizationState.ACTIVE: "en vigueur",
    AuthorizationState.SUSPENDED: "suspendue",
    AuthorizationState.EXPIRED: "expirée",
    AuthorizationState.REVOKED: "révoquée",
    AuthorizationState.ANNULLED: "annulée",
}


class VersionKind(enum.StrEnum):
    ISSUE = "issue"  # version 1, from the granted application
    AMENDMENT = "amendment"
    RENEWAL = "renewal"

    @property
    def label(self) -> str:
        return {"issue": "Octroi", "amendment": "Avenant", "renewal": "Renouvellement"}[self.value]


class Authorization(SQLModel, table=True):
    __tablename__ = "issued_authorization"  # AUTHORIZATION is an SQL keyword

    id: int | None = Field(default=None, primary_key=True)
    # Country + authorisation type + national number (FRIPO000001): unique, never reused (see rules.reference).
    reference: str | None = Field(default=None, max_length=35, unique=True)
    operator_id: int = Field(foreign_key="operator.id", index=True)
    # The representative operator that filed the application, if any: a partial mandate sees only such ones.
    filed_by_operator_id: int | None = Field(default=None, foreign_key="operator.id", index=True)
    procedure: str = Field(max_length=8)
    authorisation_type: str = Field(max_length=8)
    customs_office: str = Field(max_length=8, index=True)
    dossier_id: int = Field(foreign_key="dossier.id", unique=True)  # the granted application
    # The current version's figures, kept here for lists and filters (each version keeps its own).
    current_version: int = Field(default=1)
    valid_from: dt.date
    valid_until: dt.date | None = Field(default=None, index=True)  # None: not time-limited (customs warehousing)
    # Measures in force (UCC art. 23, 27, 28; UCC DA art. 16): each also writes a history entry.
    suspended_from: dt.date | None = None
    suspended_until: dt.date | None = None
    suspension_case: str | None = Field(default=None, max_length=32)
    revoked_from: dt.date | None = None  # the revocation's effective day (deferrable by up to a year)
    annulled_on: dt.date | None = None  # annulment takes effect from the original decision's date
    # The holder asked customs to suspend or revoke (UCC art. 28(1)(b), UCC DA art. 16(1)(c)); cleared by the measure.
    holder_request: str | None = Field(default=None, max_length=16)
    # The right to be heard before an adverse measure (UCC art. 22(6)): the measure customs intend (suspend, revoke,
    # annul), its grounds, when the holder was told, when they answered; cleared once the measure is taken or dropped.
    intended_measure: str | None = Field(default=None, max_length=16)
    intended_reason: str | None = Field(default=None, sa_column=sa.Column(sa.Text, nullable=True))
    hearing_started_at: dt.datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime, nullable=True))
    hearing_answered_at: dt.datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime, nullable=True))
    issued_at: dt.datetime = Field(default_factory=utcnow, sa_column=sa.Column(UTCDateTime, nullable=False))
    updated_at: dt.datetime = Field(
        default_factory=utcnow, sa_column=sa.Column(UTCDateTime, nullable=False, index=True)
    )


class AuthorizationVersion(SQLModel, table=True):
    """One issued version: what customs granted, as it was granted. Never updated once written."""

    __tablename__ = "authorization_version"
    __table_args__ = (sa.UniqueConstraint("authorization_id", "number", name="uq_authorization_version_number"),)

    id: int | None = Field(default=None, primary_key=True)
    authorization_id: int = Field(foreign_key="issued_authorization.id", index=True)
    number: int
    kind: VersionKind = Field(
        sa_column=sa.Column(
            sa.Enum(VersionKind, native_enum=False, length=16, name="authorization_version_kind"), nullable=False
        )
    )
    dossier_id: int = Field(foreign_key="dossier.id")  # the application (or amendment, renewal) granted
    # The granted content: the form's answers and the goods lines, copied at the grant.
    answers: dict[str, Any] = Field(default_factory=dict, sa_column=sa.Column(sa.JSON, nullable=False))
    goods: list[dict[str, Any]] = Field(default_factory=list, sa_column=sa.Column(sa.JSON, nullable=False))
    conditions: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False, server_default=""))
    valid_from: dt.date
    valid_until: dt.date | None = None
    # Goods of UCC DA Annex 71-02 (the shorter validity limit applies), as customs said at the grant.
    annex_71_02: bool = False
    issued_by_id: int = Field(foreign_key="app_user.id")
    issued_at: dt.datetime = Field(default_factory=utcnow, sa_column=sa.Column(UTCDateTime, nullable=False))


class AuthorizationEvent(SQLModel, table=True):
    """The authorisation's history: grant, amendments, renewals, measures, notes (id = event id)."""

    __tablename__ = "authorization_event"

    id: int | None = Field(default=None, primary_key=True)
    authorization_id: int = Field(foreign_key="issued_authorization.id", index=True)
    kind: str = Field(max_length=40)
    version: int | None = None
    actor_id: int = Field(foreign_key="app_user.id")
    message: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False, server_default=""))
    at: dt.datetime = Field(default_factory=utcnow, sa_column=sa.Column(UTCDateTime, nullable=False))
