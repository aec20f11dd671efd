"""Assistance requests (a question to the economic action unit of an office, a technical ticket), their threads, and
the feedback on the portal's pages."""

from __future__ import annotations

import datetime as dt
import enum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from backend.db import UTCDateTime, utcnow


class RequestKind(enum.StrEnum):
    QUESTION = "question"  # assistance réglementaire: to the PAE of the competent office
    TICKET = "ticket"  # assistance technique: to the portal's support

    @property
    def label(self) -> str:
        return {
            RequestKind.QUESTION: "question réglementaire",
            RequestKind.TICKET: "demande d'assistance technique",
        }[self]

    @property
    def prefix(self) -> str:
        return {RequestKind.QUESTION: "AR", RequestKind.TICKET: "AT"}[self]


class RequestStatus(enum.StrEnum):
    OPEN = "open"  # waits for customs (the office or the support)
    ANSWERED = "answered"  # an answer waits for the asker
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return {RequestStatus.OPEN: "ouverte", RequestStatus.ANSWERED: "répondue", RequestStatus.CLOSED: "close"}[
            self
        ]


class AssistanceRequest(SQLModel, table=True):
    __tablename__ = "assistance_request"

    id: int | None = Field(default=None, primary_key=True)
    # « AR-2026-000001 » (a question) or « AT-2026-000001 » (a ticket), given at creation, never reused.
    reference: str = Field(max_length=20, unique=True)
    kind: str = Field(max_length=10, index=True)  # RequestKind
    status: str = Field(default=RequestStatus.OPEN.value, max_length=10, index=True)
    subject: str = Field(max_length=200)
    author_id: int = Field(foreign_key="app_user.id", index=True)
    # A question: the operator it is asked for (its users with a right see it) and the office that answers it.
    operator_id: int | None = Field(default=None, foreign_key="operator.id", index=True)
    # A question asked by a representative: the representative's own firm (its partial mandate sees what its users
    # asked, as it sees the dossiers its firm filed); None when the operator's own users or partners asked.
    filed_by_operator_id: int | None = Field(default=None, foreign_key="operator.id", index=True)
    customs_office: str | None = Field(default=None, max_length=8, index=True)
    dossier_id: int | None = Field(default=None, foreign_key="dossier.id", index=True)
    authorization_id: int | None = Field(default=None, foreign_key="issued_authorization.id", index=True)
    # A ticket: the page of the portal it came from.
    page: str | None = Field(default=None, max_length=300)
    taken_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    version: int = Field(default=1)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=sa.Column(UTCDateTime, nullable=False))
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_column=sa.Column(UTCDateTime, nullable=False))
    closed_at: dt.datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime, nullable=True))


class AssistanceMessage(SQLModel, table=True):
    """One message of a request's thread (the first one is the question itself)."""

    __tablename__ = "assistance_message"

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="assistance_request.id", index=True)
    author_id: int = Field(foreign_key="app_user.id")
    from_customs: bool = Field(default=False)  # written by the office's officer or the support
    body: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    # A ticket's screenshot: a file of the attachment store (PNG or JPEG).
    screenshot_key: str | None = Field(default=None, max_length=255)
    screenshot_name: str | None = Field(default=None, max_length=255)
    screenshot_type: str | None = Field(default=None, max_length=120)
    screenshot_size: int | None = None
    # What the message did: "opened", "message", "answer", "closed", "taken".
    kind: str = Field(default="message", max_length=10)
    at: dt.datetime = Field(default_factory=utcnow, sa_column=sa.Column(UTCDateTime, nullable=False))


class AssistanceCounter(SQLModel, table=True):
    """The last reference number given, per kind and year."""

    __tablename__ = "assistance_counter"

    kind: str = Field(primary_key=True, max_length=10)
    year: int = Field(primary_key=True)
    last: int = Field(default=0)


class Feedback(SQLModel, table=True):
    """« Votre avis nous intéresse »: a rating of a page, at most one per person, page and day."""

    __tablename__ = "feedback"
    __table_args__ = (sa.UniqueConstraint("user_id", "page", "day", name="uq_feedback_user_page_day"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    page: str = Field(max_length=300)
    rating: int
    comment: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False, server_default=""))
    day: dt.date = Field(index=True)  # Paris date
    at: dt.datetime = Field(default_factory=utcnow, sa_column=sa.Column(UTCDateTime, nullable=False))
