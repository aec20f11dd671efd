"""GraphQL types of the assistance: documentation pages, requests and their threads, feedback."""

from __future__ import annotations

import datetime as dt

import strawberry
from strawberry import relay

from backend.api.context import Info
from backend.api.ids import encode_id
from backend.api.nodes import PolicyNode
from backend.assistance import documentation, reading, service
from backend.assistance import models as am
from backend.identity.policy.assistance import is_answering, may_write_as_asker, visible_requests

TYPE_NAME = "AssistanceRequest"

RequestKind = strawberry.enum(am.RequestKind, name="AssistanceKind", description="Question réglementaire ou "
                              "assistance technique.")  # fmt: skip
RequestStatus = strawberry.enum(am.RequestStatus, name="AssistanceStatus", description="Ouverte (attend la douane "
                                "ou le support), répondue (une réponse attend le demandeur), close.")  # fmt: skip
Bucket = strawberry.enum(reading.Bucket, name="AssistanceBucket")
RequestSide = strawberry.enum(reading.Side, name="AssistanceSide")


@strawberry.type(description="Une référence réglementaire (acte, article) et son lien.")
class RegulatoryReference:
    label: str
    act: str
    article: str
    url: str


@strawberry.type(description="Un lien utile (guide, page officielle).")
class DocumentationLink:
    label: str
    url: str


@strawberry.type(description="La documentation réglementaire d'un régime particulier.")
class ProcedureDocumentation:
    procedure: str = strawberry.field(description="Le code du régime : TEA, EUS, CW, IPO, OPO.")
    title: str
    summary: str
    references: list[RegulatoryReference]
    links: list[DocumentationLink]

    @classmethod
    def build(cls, page: documentation.ProcedureDocumentation) -> ProcedureDocumentation:
        return cls(
            procedure=str(page.code.value),
            title=page.title,
            summary=page.summary,
            references=[
                RegulatoryReference(label=r.label, act=r.act, article=r.article, url=r.url)
                for r in page.references
            ],
            links=[DocumentationLink(label=link.label, url=link.url) for link in page.links],
        )


@strawberry.type(description="Un message du fil d'une demande (le premier est la question ou la description).")
class ThreadMessage:
    id: strawberry.ID
    kind: str = strawberry.field(
        description="opened, message, answer (de la douane ou du support), taken, closed."
    )
    label: str
    author_name: str
    from_customs: bool
    body: str
    at: dt.datetime
    screenshot_url: str | None
    screenshot_name: str | None


EVENT_LABELS = {
    "opened": "Demande ouverte",
    "message": "Message du demandeur",
    "answer": "Réponse",
    "taken": "Prise en charge",
    "closed": "Demande close",
}


@strawberry.type(
    description="Une demande d'assistance : une question réglementaire à la cellule conseil aux entreprises (PAE) "
    "d'un bureau, ou une demande d'assistance technique au support ; son fil de messages et son statut."
)
class AssistanceRequest(PolicyNode):
    model = am.AssistanceRequest
    visibility = staticmethod(visible_requests)

    id: relay.NodeID[int]
    reference: str = strawberry.field(description="AR-2026-000001 (question) ou AT-2026-000001 (technique).")
    kind: RequestKind
    kind_label: str
    status: RequestStatus
    status_label: str
    subject: str
    customs_office: str | None = strawberry.field(description="Question : le bureau qui y répond.")
    page: str | None = strawberry.field(description="Assistance technique : la page d'où vient la demande.")
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    closed_at: dt.datetime | None
    row: strawberry.Private[am.AssistanceRequest]

    @classmethod
    def from_model(cls, row: am.AssistanceRequest) -> AssistanceRequest:
        kind, status = am.RequestKind(row.kind), am.RequestStatus(row.status)
        return cls(
            id=row.id,
            reference=row.reference,
            kind=kind,
            kind_label=kind.label,
            status=status,
            status_label=status.label,
            subject=row.subject,
            customs_office=row.customs_office,
            page=row.page,
            version=row.version,
            created_at=row.created_at,
            updated_at=row.updated_at,
            closed_at=row.closed_at,
            row=row,
        )

    @strawberry.field(description="Qui a ouvert la demande.")
    async def author_name(self, info: Info) -> str:
        return await info.context.loaders.user_name(self.row.author_id) or ""

    @strawberry.field(description="L'agent ou le membre du support qui l'a prise en charge.")
    async def taken_by_name(self, info: Info) -> str | None:
        return await info.context.loaders.user_name(self.row.taken_by_id)

    @strawberry.field(description="Question : l'opérateur pour lequel elle est posée.")
    async def operator_name(self, info: Info) -> str | None:
        if self.row.operator_id is None:
            return None
        return await info.context.loaders.operator_name(self.row.operator_id)

    @strawberry.field(description="Le dossier concerné (identifiant global), s'il y en a un.")
    def dossier_id(self) -> strawberry.ID | None:
        return strawberry.ID(encode_id("Dossier", self.row.dossier_id)) if self.row.dossier_id else None

    @strawberry.field(description="La référence du dossier concerné.")
    async def dossier_reference(self, info: Info) -> str | None:
        if not self.row.dossier_id:
            return None
        return await info.context.loaders.dossier_reference(self.row.dossier_id)

    @strawberry.field(description="L'autorisation concernée (identifiant global), s'il y en a une.")
    def authorization_id(self) -> strawberry.ID | None:
        if not self.row.authorization_id:
            return None
        return strawberry.ID(encode_id("Authorization", self.row.authorization_id))

    @strawberry.field(description="La référence de l'autorisation concernée.")
    async def authorization_reference(self, info: Info) -> str | None:
        if not self.row.authorization_id:
            return None
        return await info.context.loaders.authorization_reference(self.row.authorization_id)

    @strawberry.field(description="Vous répondez à cette demande (agent du bureau compétent, support).")
    async def may_answer(self, info: Info) -> bool:
        access = await info.context.access()
        return self.row.status != am.RequestStatus.CLOSED and is_answering(access, self.row)

    @strawberry.field(description="Vous pouvez écrire et clore côté demandeur (auteur, ou droit de préparer).")
    async def may_write(self, info: Info) -> bool:
        access = await info.context.access()
        if self.row.status == am.RequestStatus.CLOSED:
            return False
        return is_answering(access, self.row) or may_write_as_asker(access, self.row)

    @strawberry.field(description="Le fil : la demande, les réponses et les messages, dans l'ordre.")
    async def messages(self, info: Info) -> list[ThreadMessage]:
        async with info.context.reading() as session:
            entries = await service.thread(session, self.row.id)
        return [
            ThreadMessage(
                id=strawberry.ID(str(entry.id)),
                kind=entry.kind,
                label=EVENT_LABELS.get(entry.kind, entry.kind),
                author_name=await info.context.loaders.user_name(entry.author_id) or "",
                from_customs=entry.from_customs,
                body=entry.body,
                at=entry.at,
                screenshot_url=f"/files/assistance/captures/{entry.id}" if entry.screenshot_key else None,
                screenshot_name=entry.screenshot_name,
            )
            for entry in entries
        ]


@strawberry.type(description="Une page de demandes d'assistance.")
class AssistanceRequestPage:
    items: list[AssistanceRequest]
    total_count: int
    has_next_page: bool
    end_cursor: str | None


@strawberry.type(description="Combien de demandes dans chaque case.")
class AssistanceCounts:
    todo: int
    waiting: int
    done: int
    all: int


@strawberry.type(description="Un avis sur une page du portail.")
class FeedbackEntry:
    id: strawberry.ID
    page: str
    rating: int
    comment: str
    given_by: str
    day: dt.date
    at: dt.datetime

    @classmethod
    def build(cls, row: am.Feedback, name: str) -> FeedbackEntry:
        return cls(
            id=strawberry.ID(str(row.id)),
            page=row.page,
            rating=row.rating,
            comment=row.comment,
            given_by=name,
            day=row.day,
            at=row.at,
        )


@strawberry.type(description="Une page d'avis.")
class FeedbackPage:
    items: list[FeedbackEntry]
    total_count: int
    has_next_page: bool
    end_cursor: str | None


@strawberry.type(description="Les avis d'un mois.")
class MonthTrend:
    month: str = strawberry.field(description="AAAA-MM")
    count: int
    average: float


@strawberry.type(description="Le nombre d'avis, leur note moyenne et son évolution par mois.")
class FeedbackSummary:
    count: int
    average: float | None
    months: list[MonthTrend]
