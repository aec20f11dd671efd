"""Assistance over GraphQL: the regulatory documentation (public), questions to the economic action unit of an
office, technical tickets to the support, and « Votre avis nous intéresse ». The rules live in backend/assistance
and the policy; resolvers stay thin."""

from __future__ import annotations

import strawberry
from strawberry.file_uploads import Upload

from backend.api.assistance.types import (
    TYPE_NAME,
    AssistanceCounts,
    AssistanceRequest,
    AssistanceRequestPage,
    Bucket,
    FeedbackEntry,
    FeedbackPage,
    FeedbackSummary,
    MonthTrend,
    ProcedureDocumentation,
    RequestKind,
    RequestSide,
    ThreadMessage,
)
from backend.api.context import Info
from backend.api.ids import decode_id
from backend.assistance import documentation, reading, service
from backend.assistance.models import RequestKind as ModelKind
from backend.dossiers.storage import FileSystemStorage
from backend.errors import FieldErrors, NotFound, Unauthenticated

NAMELESS_FILE = "Choisissez une image à joindre (un fichier, pas un texte)."


def _id(value: strawberry.ID) -> int:
    return decode_id(value, TYPE_NAME, "Demande d'assistance introuvable.")


def _optional(value: strawberry.ID | None, type_name: str, message: str, field: str) -> int | None:
    if value is None:
        return None
    try:
        return decode_id(value, type_name, message)
    except NotFound:
        raise NotFound(message, field=field) from None


@strawberry.type
class AssistanceQuery:
    @strawberry.field(
        description="La documentation réglementaire de chaque régime (références et liens) ; public, sans connexion."
    )
    def regulatory_documentation(self) -> list[ProcedureDocumentation]:
        return [ProcedureDocumentation.build(page) for page in documentation.documentation()]

    @strawberry.field(description="La documentation réglementaire d'un régime (TEA, EUS, CW, IPO, OPO) ; public.")
    def procedure_documentation(self, procedure: str) -> ProcedureDocumentation | None:
        page = documentation.documentation_of(procedure.strip().upper())
        return ProcedureDocumentation.build(page) if page else None

    @strawberry.field(
        description="Vos demandes d'assistance (questions réglementaires, assistance technique) et celles auxquelles "
        "vous répondez (agent du bureau compétent, support) : à traiter, en attente, closes ; recherche (référence, "
        "objet, messages, auteur), pagination. side : ASKED (posées par vous ou votre opérateur), TO_ANSWER."
    )
    async def assistance_requests(
        self,
        info: Info,
        kind: RequestKind | None = None,
        side: RequestSide = reading.Side.ANY,
        bucket: Bucket = reading.Bucket.ALL,
        dossier_id: strawberry.ID | None = None,
        authorization_id: strawberry.ID | None = None,
        search: str | None = None,
        oldest_first: bool = False,
        first: int = 20,
        after: str | None = None,
    ) -> AssistanceRequestPage:
        access = await info.context.access()
        if access.actor is None:
            raise Unauthenticated("Vous devez être connecté.")
        try:
            dossier = _optional(dossier_id, "Dossier", "Dossier introuvable.", "dossierId")
            authorization = _optional(
                authorization_id, "Authorization", "Autorisation introuvable.", "authorizationId"
            )
        except NotFound:
            return AssistanceRequestPage(items=[], total_count=0, has_next_page=False, end_cursor=None)
        async with info.context.db.session() as session:
            page = await reading.list_requests(
                session,
                access,
                kind=ModelKind(kind.value) if kind else None,
                side=reading.Side(side.value),
                bucket=reading.Bucket(bucket.value),
                dossier_id=dossier,
                authorization_id=authorization,
                search=search,
                oldest_first=oldest_first,
                first=first,
                after=after,
            )
        return AssistanceRequestPage(
            items=[AssistanceRequest.from_model(row) for row in page.rows],
            total_count=page.total,
            has_next_page=page.has_next,
            end_cursor=page.end_cursor,
        )

    @strawberry.field(description="Combien de vos demandes d'assistance (d'un type, ou toutes) dans chaque case (à "
                      "traiter : une réponse vous attend, ou une question attend la vôtre).")  # fmt: skip
    async def assistance_counts(
        self, info: Info, side: RequestSide = reading.Side.ANY, kind: RequestKind | None = None
    ) -> AssistanceCounts:
        access = await info.context.access()
        if access.actor is None:
            return AssistanceCounts(todo=0, waiting=0, done=0, all=0)
        async with info.context.db.session() as session:
            counts = await reading.bucket_counts(
                session, access, reading.Side(side.value), ModelKind(kind.value) if kind else None
            )
        return AssistanceCounts(
            todo=counts[reading.Bucket.TODO],
            waiting=counts[reading.Bucket.WAITING],
            done=counts[reading.Bucket.DONE],
            all=counts[reading.Bucket.ALL],
        )

    @strawberry.field(
        description="Une demande d'assistance ; null si elle n'existe pas ou ne vous est pas visible."
    )
    async def assistance_request(self, info: Info, id: strawberry.ID) -> AssistanceRequest | None:
        try:
            request_id = _id(id)
        except NotFound:
            return None
        access = await info.context.access()
        async with info.context.db.session() as session:
            try:
                return AssistanceRequest.from_model(await service.get_request(session, access, request_id))
            except (NotFound, Unauthenticated):
                return None

    @strawberry.field(description="Vous pouvez donner votre avis sur cette page aujourd'hui (un avis par jour et par "
                      "page).")  # fmt: skip
    async def may_give_feedback(self, info: Info, page: str) -> bool:
        access = await info.context.access()
        async with info.context.db.session() as session:
            return await service.may_give_feedback(session, access, page)

    @strawberry.field(description="Support : les avis des usagers, les plus récents d'abord (page, recherche).")
    async def feedback(
        self,
        info: Info,
        page: str | None = None,
        search: str | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> FeedbackPage:
        access = await info.context.access()
        async with info.context.db.session() as session:
            result = await reading.list_feedback(
                session, access, page=page, search=search, first=first, after=after
            )
        return FeedbackPage(
            items=[FeedbackEntry.build(row, name) for row, name in result.rows],
            total_count=result.total,
            has_next_page=result.has_next,
            end_cursor=result.end_cursor,
        )

    @strawberry.field(description="Support : le nombre d'avis, la note moyenne et son évolution par mois.")
    async def feedback_summary(self, info: Info, page: str | None = None) -> FeedbackSummary:
        access = await info.context.access()
        async with info.context.db.session() as session:
            summary = await reading.feedback_summary(session, access, page=page)
        return FeedbackSummary(
            count=summary.count,
            average=summary.average,
            months=[MonthTrend(month=m.month, count=m.count, average=m.average) for m in summary.months],
        )


@strawberry.type
class AssistanceMutation:
    @strawberry.mutation(
        description="Poser une question à la cellule conseil aux entreprises (PAE) du bureau compétent : celui du "
        "dossier ou de l'autorisation quand elle les concerne, sinon le bureau indiqué (office), pour l'opérateur "
        "pour lequel vous agissez. Chaque problème est signalé à la fois, sur son champ (INVALID)."
    )
    async def ask_regulatory_question(
        self,
        info: Info,
        subject: str,
        message: str,
        office: str | None = None,
        dossier_id: strawberry.ID | None = None,
        authorization_id: strawberry.ID | None = None,
    ) -> AssistanceRequest:
        access = await info.context.access()
        dossier = _optional(dossier_id, "Dossier", "Dossier introuvable.", "dossierId")
        authorization = _optional(
            authorization_id, "Authorization", "Autorisation introuvable.", "authorizationId"
        )
        async with info.context.db.session() as session:
            row = await service.ask_question(
                session,
                access,
                subject=subject,
                message=message,
                office=office,
                dossier_id=dossier,
                authorization_id=authorization,
            )
        return AssistanceRequest.from_model(row)

    @strawberry.mutation(
        description="Signaler un problème technique au support du portail, avec la page d'où il vient."
    )
    async def open_technical_ticket(
        self, info: Info, subject: str, description: str, page: str | None = None
    ) -> AssistanceRequest:
        access = await info.context.access()
        async with info.context.db.session() as session:
            row = await service.open_ticket(session, access, subject=subject, description=description, page=page)
        return AssistanceRequest.from_model(row)

    @strawberry.mutation(
        description="Joindre une capture d'écran (PNG ou JPEG) à votre demande d'assistance technique (requête "
        "multipart ; en-tête X-Soprano-Upload obligatoire contre le CSRF)."
    )
    async def attach_ticket_screenshot(self, info: Info, id: strawberry.ID, file: Upload) -> AssistanceRequest:
        access = await info.context.access()
        settings = info.context.portal.settings
        if not hasattr(file, "read"):
            raise FieldErrors([("file", NAMELESS_FILE)])
        content = await file.read(settings.attachment_max_bytes + 1)  # type: ignore[attr-defined]
        filename = getattr(file, "filename", None) or "capture"
        async with info.context.db.session() as session:
            await service.attach_screenshot(
                session,
                access,
                FileSystemStorage(settings.attachments_dir),
                _id(id),
                filename,
                content,
                max_bytes=settings.attachment_max_bytes,
            )
            row = await service.get_request(session, access, _id(id))
        return AssistanceRequest.from_model(row)

    @strawberry.mutation(
        description="Écrire dans le fil : la réponse de la douane (ou du support) rend la demande « répondue », "
        "celle du demandeur la rouvre (« ouverte »)."
    )
    async def post_assistance_message(self, info: Info, id: strawberry.ID, text: str) -> AssistanceRequest:
        access = await info.context.access()
        async with info.context.db.session() as session:
            row = await service.post_message(session, access, _id(id), text)
        return AssistanceRequest.from_model(row)

    @strawberry.mutation(description="Douane ou support : prendre en charge la demande (vous y êtes nommé).")
    async def take_assistance_request(self, info: Info, id: strawberry.ID) -> AssistanceRequest:
        access = await info.context.access()
        async with info.context.db.session() as session:
            row = await service.take_request(session, access, _id(id))
        return AssistanceRequest.from_model(row)

    @strawberry.mutation(description="Clore la demande (demandeur ou douane) : elle ne reçoit plus de message.")
    async def close_assistance_request(self, info: Info, id: strawberry.ID) -> AssistanceRequest:
        access = await info.context.access()
        async with info.context.db.session() as session:
            row = await service.close_request(session, access, _id(id))
        return AssistanceRequest.from_model(row)

    @strawberry.mutation(
        description="« Votre avis nous intéresse » : une note de 1 à 5 et un commentaire sur une page du portail ; un "
        "avis par jour et par page (ALREADY_GIVEN sinon)."
    )
    async def give_feedback(self, info: Info, page: str, rating: int, comment: str | None = None) -> FeedbackEntry:
        access = await info.context.access()
        async with info.context.db.session() as session:
            row = await service.give_feedback(session, access, page=page, rating=rating, comment=comment)
        return FeedbackEntry.build(row, access.actor.user.display_name)


__all__ = ["AssistanceMutation", "AssistanceQuery", "ThreadMessage"]
