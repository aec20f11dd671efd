"""Dossier queries: the catalogue and form model (public), dossiers through the access policy."""

from __future__ import annotations

import strawberry

from backend.api.context import Info
from backend.api.dossiers.processing import Bucket as DashboardBucket
from backend.api.dossiers.types import CodeEntry, CodeList, Dossier, DossierStatus, DossierSummary, Procedure
from backend.api.identity.types import Operator
from backend.api.ids import decode_id
from backend.dossiers import catalogue, dashboards, services
from backend.dossiers import models as dm
from backend.dossiers.workflow import FINAL
from backend.errors import NotFound


@strawberry.type(description="Limites des pièces jointes.")
class AttachmentPolicy:
    max_bytes: int
    max_label: str = strawberry.field(description="Par exemple « 20 Mo ».")
    extensions: list[str] = strawberry.field(description="Extensions acceptées, sans le point.")


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
        from backend.dossiers.attachments import ALLOWED_TYPES, EXTENSION_ALIASES, size_label

        max_bytes = info.context.portal.settings.attachment_max_bytes
        extensions = sorted({alias for ext in ALLOWED_TYPES for alias in EXTENSION_ALIASES.get(ext, {ext})})
        return AttachmentPolicy(max_bytes=max_bytes, max_label=size_label(max_bytes), extensions=extensions)

    @strawberry.field(description="Un dossier ; null s'il n'existe pas ou ne vous est pas visible.")
    async def dossier(self, info: Info, id: strawberry.ID) -> Dossier | None:
        try:
            dossier_id = decode_id(id, "Dossier")
        except NotFound:
            return None
        access = await info.context.access()
        async with info.context.db.session() as session:
            try:
                return Dossier.build(await services.get_dossier(session, access, dossier_id))
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
            rows = await services.list_dossiers(
                session,
                access,
                statuses=[dm.DossierStatus(s.value) for s in statuses] if statuses else None,
                limit=max(1, min(first, 200)),
            )
        return [DossierSummary(dossier=Dossier.build(d), operator=Operator.from_model(o)) for d, o in rows]
