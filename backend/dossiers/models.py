"""Dossier tables: the application, its goods lines, its attachments (every version kept), its history."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from backend.db import UTCDateTime, utcnow


class DossierStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    COMPLEMENT_REQUESTED = "complement_requested"
    ACCEPTED = "accepted"
    HEARING = "hearing"
    GRANTED = "granted"
    REFUSED = "refused"
    NOT_ACCEPTED = "not_accepted"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    DossierStatus.DRAFT: "brouillon",
    DossierStatus.SUBMITTED: "déposé",
    DossierStatus.COMPLEMENT_REQUESTED: "complément demandé",
    DossierStatus.ACCEPTED: "accepté (en instruction)",
    DossierStatus.HEARING: "droit d'être entendu",
    DossierStatus.GRANTED: "octroyé",
    DossierStatus.REFUSED: "refusé",
    DossierStatus.NOT_ACCEPTED: "non accepté",
    DossierStatus.WITHDRAWN: "retiré",
}


class DossierPurpose(enum.StrEnum):
    """What the application asks: a first authorisation, an amendment (avenant) or the renewal of an issued one."""

    APPLICATION = "application"
    AMENDMENT = "amendment"
    RENEWAL = "renewal"

    @property
    def label(self) -> str:
        return {"application": "Première demande", "amendment": "Avenant", "renewal": "Renouvellement"}[self.value]


# Statuses in which the applicant may edit the form, goods and attachments.
EDITABLE_STATUSES = {DossierStatus.DRAFT, DossierStatus.COMPLEMENT_REQUESTED}


class Dossier(SQLModel, table=True):
    __tablename__ = "dossier"

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(max_length=20, unique=True)
    operator_id: int = Field(foreign_key="operator.id", index=True)
    # The representative operator that filed it, if any: a partial mandate only sees such dossiers.
    filed_by_operator_id: int | None = Field(default=None, foreign_key="operator.id", index=True)
    procedure: str = Field(max_length=8)
    status: DossierStatus = Field(
        sa_column=sa.Column(
            sa.Enum(DossierStatus, native_enum=False, length=32, name="dossier_status"), nullable=False, index=True
        )
    )
    data: dict[str, Any] = Field(default_factory=dict, sa_column=sa.Column(sa.JSON, nullable=False))
    customs_office: str | None = Field(default=None, max_length=8, index=True)
    # Optimistic concurrency: every save increments it; a save naming an older version is refused.
    version: int = Field(default=1)
    created_by_id: int = Field(foreign_key="app_user.id")
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=sa.Column(UTCDateTime, nullable=False))
    updated_by_id: int = Field(foreign_key="app_user.id")
    updated_at: dt.datetime = Field(
        default_factory=utcnow, sa_column=sa.Column(UTCDateTime, nullable=False, index=True)
    )
    submitted_at: dt.datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime, nullable=True))
    # Processing (decision phase): when customs accepted it, the decision deadline (extendable, with a reason the
    # applicant sees), when the right to be heard started, and the officer who took it.
    accepted_at: dt.datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime, nullable=True))
    decision_deadline: dt.date | None = None
    deadline_extension_reason: str | None = Field(default=None, max_length=1000)
    hearing_started_at: dt.datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime, nullable=True))
    complement_requested_at: dt.datetime | None = Field(
        default=None, sa_column=sa.Column(UTCDateTime, nullable=True)
    )
    decided_at: dt.datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime, nullable=True))
    assigned_officer_id: int | None = Field(default=None, foreign_key="app_user.id")
    # An amendment (avenant) or a renewal names the issued authorisation it changes (no foreign key: the
    # authorisation already names its dossier, and two tables naming each other cannot be created in one go).
    purpose: DossierPurpose = Field(
        default=DossierPurpose.APPLICATION,
        sa_column=sa.Column(
            sa.Enum(DossierPurpose, native_enum=False, length=16, name="dossier_purpose"),
            nullable=False,
            server_default="APPLICATION",
        ),
    )
    authorization_id: int | None = Field(default=None, index=True)


class GoodsLine(SQLModel, table=True):
    __tablename__ = "goods_line"

    id: int | None = Field(default=None, primary_key=True)
    dossier_id: int = Field(foreign_key="dossier.id", index=True)
    kind: str = Field(max_length=16)  # GOODS, PROCESSED, REPLACEMENT
    position: int = Field(default=0)
    cn_code: str | None = Field(default=None, max_length=8)
    description: str | None = Field(default=None, max_length=1000)
    quantity: Decimal | None = Field(default=None, sa_column=sa.Column(sa.Numeric(18, 3), nullable=True))
    unit: str | None = Field(default=None, max_length=8)
    value: Decimal | None = Field(default=None, sa_column=sa.Column(sa.Numeric(16, 2), nullable=True))


class Attachment(SQLModel, table=True):
    """One uploaded file. Removing it sets `removed_at`: the history keeps every version."""

    __tablename__ = "attachment"

    id: int | None = Field(default=None, primary_key=True)
    dossier_id: int = Field(foreign_key="dossier.id", index=True)
    filename: str = Field(max_length=255)
    content_type: str = Field(max_length=120)
    size: int
    sha256: str = Field(max_length=64)
    storage_key: str = Field(max_length=255)
    uploaded_by_id: int = Field(foreign_key="app_user.id")
    uploaded_at: dt.datetime = Field(default_factory=utcnow, sa_column=sa.Column(UTCDateTime, nullable=False))
    removed_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    removed_at: dt.datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime, nullable=True))


class DossierEvent(SQLModel, table=True):
    """The dossier's history: every step of its life and every comment, in order (id = event id)."""

    __tablename__ = "dossier_event"

    id: int | None = Field(default=None, primary_key=True)
    dossier_id: int = Field(foreign_key="dossier.id", index=True)
    kind: str = Field(max_length=40)
    actor_id: int = Field(foreign_key="app_user.id")
    from_status: str | None = Field(default=None, max_length=32)
    to_status: str | None = Field(default=None, max_length=32)
    message: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False, server_default=""))
    at: dt.datetime = Field(default_factory=utcnow, sa_column=sa.Column(UTCDateTime, nullable=False))


class DossierCounter(SQLModel, table=True):
    """Per-year sequence of human-readable references (SOP-2026-000123), portable across databases."""

    __tablename__ = "dossier_counter"

    year: int = Field(primary_key=True)
    last: int = Field(default=0)
