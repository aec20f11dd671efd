"""A private person's declaration (personal effects carried on a trip, or an online purchase), its items and its
history (steps and messages with customs)."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from backend.db import UTCDateTime, utcnow


class DeclarationStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    UNDER_REVIEW = "under_review"
    INFO_REQUESTED = "info_requested"
    ACCEPTED = "accepted"
    REFUSED = "refused"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    DeclarationStatus.DRAFT: "brouillon",
    DeclarationStatus.SUBMITTED: "déposée",
    DeclarationStatus.UNDER_REVIEW: "en cours d'examen",
    DeclarationStatus.INFO_REQUESTED: "complément demandé",
    DeclarationStatus.ACCEPTED: "acceptée",
    DeclarationStatus.REFUSED: "refusée",
}


class DeclarationEventKind(enum.StrEnum):
    CREATED = "created"
    SUBMITTED = "submitted"
    TAKEN = "taken"
    INFO_REQUESTED = "info_requested"
    ANSWERED = "answered"
    ACCEPTED = "accepted"
    REFUSED = "refused"
    MESSAGE = "message"

    @property
    def label(self) -> str:
        return EVENT_LABELS[self]


EVENT_LABELS = {
    DeclarationEventKind.CREATED: "Déclaration commencée",
    DeclarationEventKind.SUBMITTED: "Déclaration déposée",
    DeclarationEventKind.TAKEN: "Prise en charge par la douane",
    DeclarationEventKind.INFO_REQUESTED: "Complément demandé par la douane",
    DeclarationEventKind.ANSWERED: "Réponse du déclarant",
    DeclarationEventKind.ACCEPTED: "Déclaration acceptée",
    DeclarationEventKind.REFUSED: "Déclaration refusée",
    DeclarationEventKind.MESSAGE: "Message",
}


class PrivateDeclaration(SQLModel, table=True):
    __tablename__ = "private_declaration"

    id: int | None = Field(default=None, primary_key=True)
    # « DP-2026-000001 », given when the declaration is submitted (a draft has none).
    reference: str | None = Field(default=None, max_length=20, unique=True)
    declarant_id: int = Field(foreign_key="app_user.id", index=True)
    kind: str = Field(max_length=16)  # backend.declarations.estimate.Kind
    status: str = Field(default=DeclarationStatus.DRAFT.value, max_length=20, index=True)
    customs_office: str = Field(max_length=8, index=True)
    # The trip's or the purchase's facts, as the form holds them (backend.declarations.service reads them).
    facts: dict[str, Any] = Field(default_factory=dict, sa_column=sa.Column(sa.JSON, nullable=False))
    # The items, in the order they were added: [{"key", "description", "category", "quantity", "value",
    # "currency", "exciseQuantity"}] (amounts as strings: decimals, not floats).
    items: list[dict[str, Any]] = Field(default_factory=list, sa_column=sa.Column(sa.JSON, nullable=False))
    amount_due: Decimal | None = Field(default=None, sa_column=sa.Column(sa.Numeric(12, 2), nullable=True))
    decision_reason: str | None = Field(default=None, max_length=4000)
    version: int = Field(default=1)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=sa.Column(UTCDateTime, nullable=False))
    updated_at: dt.datetime = Field(
        default_factory=utcnow, sa_column=sa.Column(UTCDateTime, nullable=False, index=True)
    )
    submitted_at: dt.datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime, nullable=True))
    decided_at: dt.datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime, nullable=True))


class PrivateDeclarationEvent(SQLModel, table=True):
    __tablename__ = "private_declaration_event"

    id: int | None = Field(default=None, primary_key=True)
    declaration_id: int = Field(foreign_key="private_declaration.id", index=True)
    kind: str = Field(max_length=20)
    actor_id: int = Field(foreign_key="app_user.id")
    from_status: str | None = Field(default=None, max_length=20)
    to_status: str | None = Field(default=None, max_length=20)
    message: str = Field(default="", max_length=4000)
    amount: Decimal | None = Field(default=None, sa_column=sa.Column(sa.Numeric(12, 2), nullable=True))
    at: dt.datetime = Field(default_factory=utcnow, sa_column=sa.Column(UTCDateTime, nullable=False))


class DeclarationCounter(SQLModel, table=True):
    """The last reference number given, per year (references are never reused)."""

    __tablename__ = "private_declaration_counter"

    year: int = Field(primary_key=True)
    last: int = Field(default=0)
