"""Dossier queries: the catalogue and form model (public), dossiers through the access policy."""

from __future__ import annotations

import strawberry

from backend.api.context import Info
from backend.api.dossiers.types import CodeEntry, CodeList, Dossier, DossierStatus, DossierSummary, Procedure
from backend.api.identity.types import Operator
from backend.api.ids import decode_id
from backend.dossiers import catalogue, services
from backend.dossiers import models as dm
from backend.errors import NotFound


@strawberry.type(description="Limites des pièces jointes.")
class AttachmentPolicy:
    max_bytes: int
    max_label: str = strawberry.field(description="Par exemple « 20 Mo ».")
    extensions: list[str] = strawberry.field(description="Extensions acceptées, sans le point.")


@strawberry.type
class DossierQuery:
    @strawberry.field(description="Les régimes particuliers et leur formulaire (rubriques, champs, infobulles).")
    def procedures(self) -> list[Procedure]:
        return [Procedure.build(info) for info in catalogue.PROCEDURES.values()]

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
