"""Dossier queries: the catalogue and form model (public), dossiers through the access policy."""

from __future__ import annotations

import strawberry

from backend.api.context import Info
from backend.api.dossiers.processing import Bucket as DashboardBucket
from backend.api.dossiers.types import CodeEntry, CodeList, Dossier, DossierStatus, DossierSummary, Procedure
from backend.api.identity.types import Operator
from backend.api.ids import decode_id
from backend.dossiers import catalogue, dashboards, reading
from backend.dossiers import models as dm
from backend.dossiers.attachments import ALLOWED_TYPES, EXTENSION_ALIASES, FORMAT_NAMES, size_label
from backend.dossiers.processing import MAX_MESSAGE
from backend.dossiers.workflow import FINAL
from backend.errors import NotFound
from backend.identity import tokens
from backend.paging import MAX_PAGE_SIZE, page_size


@strawberry.type(description="Limites des pièces jointes.")
class AttachmentPolicy:
    max_bytes: int
    max_label: str = strawberry.field(description="Par exemple « 20 Mo ».")
    extensions: list[str] = strawberry.field(description="Extensions acceptées, sans le point.")
    formats: list[str] = strawberry.field(
        description="Les formats acceptés, nommés pour être annoncés : PDF, images (PNG, JPEG, TIFF), Word…"
    )


@strawberry.type(
    description="Les limites et délais du portail, tels que le serveur les applique (les écrans les annoncent)."
)
class PortalLimits:
    message_max_length: int = strawberry.field(
        description="Longueur maximale d'un message ou d'un commentaire, en caractères."
    )
    acceptance_days: int = strawberry.field(description="Délai d'acceptation d'une demande déposée, en jours.")
    complement_days: int = strawberry.field(description="Délai pour fournir un complément demandé, en jours.")
    decision_days: int = strawberry.field(description="Délai de décision après acceptation, en jours.")
    hearing_days: int = strawberry.field(
        description="Délai du droit d'être entendu après une intention de refus, en jours."
    )
    attachment_max_bytes: int = strawberry.field(description="Taille maximale d'une pièce jointe, en octets.")
    page_max_size: int = strawberry.field(
        description="Nombre maximal de lignes d'une page de liste (argument first des listes paginées)."
    )
    token_default_days: int = strawberry.field(
        description="Durée de validité proposée pour un jeton d'API, en jours."
    )
    token_min_days: int = strawberry.field(description="Durée de validité minimale d'un jeton d'API, en jours.")
    token_max_days: int = strawberry.field(description="Durée de validité maximale d'un jeton d'API, en jours.")
    token_name_max_length: int = strawberry.field(
        description="Longueur maximale du nom d'un jeton d'API, en caractères."
    )


@strawberry.type(
    description="Un statut de dossier : son libellé et la case du tableau de bord où il range le dossier."
)
class StatusInfo:
    code: DossierStatus
    label: str = strawberry.field(description="Libellé du statut, tel que statusLabel le donne.")
    editable: bool = strawberry.field(description="Le demandeur peut encore modifier le dossier.")
    final: bool = strawberry.field(description="Décision prise ou demande retirée : le dossier est clos.")
    operator_bucket: DashboardBucket | None = strawberry.field(
        description="Case pour un utilisateur d'opérateur (ou son représentant) : TODO, WAITING, ou null (aucune)."
    )
    officer_bucket: DashboardBucket | None = strawberry.field(
        description="Case pour un agent des douanes : TODO, WAITING, ou null (aucune)."
    )
    officer_bucket_once_overdue: DashboardBucket | None = strawberry.field(
        description="Case pour un agent des douanes une fois l'échéance en cours dépassée : la même que "
        "officerBucket, sauf pour HEARING et COMPLEMENT_REQUESTED (délai du droit d'être entendu ou délai pour "
        "fournir le complément écoulé : à traiter)."
    )


@strawberry.type
class DossierQuery:
    @strawberry.field(description="Les régimes particuliers et leur formulaire (rubriques, champs, infobulles).")
    def procedures(self) -> list[Procedure]:
        return [Procedure.build(info) for info in catalogue.PROCEDURES.values()]

    @strawberry.field(
        description="Les statuts d'un dossier dans l'ordre du circuit, avec leur libellé et leur case du tableau de "
        "bord pour chaque côté (public)."
    )
    def dossier_statuses(self) -> list[StatusInfo]:
        def bucket(value: dashboards.Bucket | None) -> DashboardBucket | None:
            return DashboardBucket(value.value) if value else None

        return [
            StatusInfo(
                code=DossierStatus(entry.status.value),
                label=entry.status.label,
                editable=entry.status in dm.EDITABLE_STATUSES,
                final=entry.status in FINAL,
                operator_bucket=bucket(entry.applicant),
                officer_bucket=bucket(entry.customs),
                officer_bucket_once_overdue=bucket(entry.customs_once_overdue),
            )
            for entry in dashboards.status_buckets()
        ]

    @strawberry.field(description="Une liste de codes par son nom (units, countries, economic_conditions, …).")
    def code_list(self, name: str) -> CodeList | None:
        if name not in catalogue.code_list_names():
            return None
        codes = catalogue.code_list(name)
        return CodeList(
            name=codes.name,
            label=codes.label,
            entries=[CodeEntry(code=e.code, label=e.label) for e in codes.entries],
        )

    @strawberry.field(description="Ce que les pièces jointes acceptent : taille maximale et formats.")
    def attachment_policy(self, info: Info) -> AttachmentPolicy:
        max_bytes = info.context.portal.settings.attachment_max_bytes
        extensions = sorted({alias for ext in ALLOWED_TYPES for alias in EXTENSION_ALIASES.get(ext, {ext})})
        return AttachmentPolicy(
            max_bytes=max_bytes, max_label=size_label(max_bytes), extensions=extensions, formats=list(FORMAT_NAMES)
        )

    @strawberry.field(description="Les limites et délais du portail (public).")
    def limits(self, info: Info) -> PortalLimits:
        settings = info.context.portal.settings
        return PortalLimits(
            message_max_length=MAX_MESSAGE,
            acceptance_days=settings.acceptance_days,
            complement_days=settings.complement_days,
            decision_days=settings.decision_days,
            hearing_days=settings.hearing_days,
            attachment_max_bytes=settings.attachment_max_bytes,
            page_max_size=MAX_PAGE_SIZE,
            token_default_days=tokens.DEFAULT_TOKEN_DAYS,
            token_min_days=tokens.MIN_TOKEN_DAYS,
            token_max_days=tokens.MAX_TOKEN_DAYS,
            token_name_max_length=tokens.TOKEN_NAME_MAX_LENGTH,
        )

    @strawberry.field(description="Un dossier ; null s'il n'existe pas ou ne vous est pas visible.")
    async def dossier(self, info: Info, id: strawberry.ID) -> Dossier | None:
        try:
            dossier_id = decode_id(id, "Dossier")
        except NotFound:
            return None
        access = await info.context.access()
        async with info.context.db.session() as session:
            try:
                return Dossier.build(await reading.get_dossier(session, access, dossier_id))
            except NotFound:
                return None

    @strawberry.field(
        description="Vos dossiers, les plus récemment modifiés d'abord (filtre facultatif par statut)."
    )
    async def dossiers(
        self, info: Info, statuses: list[DossierStatus] | None = None, first: int = 50
    ) -> list[DossierSummary]:
        access = await info.context.access()
        async with info.context.db.session() as session:
            rows = await reading.list_dossiers(
                session,
                access,
                statuses=[dm.DossierStatus(s.value) for s in statuses] if statuses else None,
                limit=page_size(first),
            )
        return [DossierSummary(dossier=Dossier.build(d), operator=Operator.from_model(o)) for d, o in rows]
