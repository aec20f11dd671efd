"""Dossier mutations: create, save, check, submit, goods lines, attachments — each a call to the domain service."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.file_uploads import Upload
from strawberry.scalars import JSON

from backend.api.context import Info
from backend.api.dossiers.types import Attachment, Dossier, GoodsLine, Problem, ProcedureCode, _names
from backend.api.ids import decode_id
from backend.dossiers import attachments, filing, goods, reading
from backend.dossiers.storage import FileSystemStorage
from backend.errors import DomainError, FieldErrors

NAMELESS_FILE = "Choisissez un fichier à joindre (le fichier envoyé n'a pas de nom)."


@strawberry.input(description="Les valeurs d'une ligne de marchandise ; un champ omis reste inchangé.")
class GoodsLineInput:
    cn_code: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    quantity: str | None = strawberry.UNSET
    unit: str | None = strawberry.UNSET
    value: str | None = strawberry.UNSET


def _goods_values(values: GoodsLineInput) -> dict[str, Any]:
    mapping = {
        "cnCode": values.cn_code,
        "description": values.description,
        "quantity": values.quantity,
        "unit": values.unit,
        "value": values.value,
    }
    return {k: v for k, v in mapping.items() if v is not strawberry.UNSET}


@strawberry.type(description="Le résultat de « Contrôler » : tous les points à corriger (rien n'est enregistré).")
class CheckResult:
    problems: list[Problem]

    @strawberry.field
    def ok(self) -> bool:
        return not self.problems


def storage_for(info: Info) -> FileSystemStorage:
    return FileSystemStorage(info.context.portal.settings.attachments_dir)


@strawberry.type
class DossierMutation:
    @strawberry.mutation(
        description="Créer un dossier (brouillon) pour l'opérateur pour lequel vous agissez, pré-rempli d'après l'opérateur."
    )
    async def create_dossier(
        self, info: Info, procedure: ProcedureCode, operator_id: strawberry.ID | None = None
    ) -> Dossier:
        access = await info.context.access()
        operator = decode_id(operator_id, "Operator", "Opérateur introuvable.") if operator_id else None
        async with info.context.db.session() as session:
            dossier = await filing.create_dossier(session, access, operator_id=operator, procedure=procedure.value)
        return Dossier.build(dossier)

    @strawberry.mutation(
        description="Enregistrer un brouillon (« Sauvegarder ») : changes = { chemin: valeur } ; une valeur null efface le champ."
    )
    async def update_dossier(self, info: Info, id: strawberry.ID, version: int, changes: JSON) -> Dossier:
        access = await info.context.access()
        dossier_id = decode_id(id, "Dossier", "Dossier introuvable.")
        async with info.context.db.session() as session:
            dossier = await filing.update_dossier(session, access, dossier_id, version, changes)  # type: ignore[arg-type]
        return Dossier.build(dossier)

    @strawberry.mutation(
        description="« Contrôler » : tous les points à corriger, saisie en cours (changes, non enregistrée) comprise ; rien n'est enregistré."
    )
    async def check_dossier(self, info: Info, id: strawberry.ID, changes: JSON | None = None) -> CheckResult:
        access = await info.context.access()
        dossier_id = decode_id(id, "Dossier", "Dossier introuvable.")
        if changes is not None and not isinstance(changes, dict):
            raise DomainError("Les modifications doivent être un objet { chemin: valeur }.", code="INVALID_VALUE")
        async with info.context.db.session() as session:
            problems = await filing.check_dossier(session, access, dossier_id, changes)  # type: ignore[arg-type]
        return CheckResult(problems=[Problem.build(p) for p in problems])

    @strawberry.mutation(description="« Valider » : déposer le dossier (droit de dépôt, aucun point à corriger).")
    async def submit_dossier(self, info: Info, id: strawberry.ID, version: int) -> Dossier:
        access = await info.context.access()
        dossier_id = decode_id(id, "Dossier", "Dossier introuvable.")
        async with info.context.db.session() as session:
            dossier = await filing.submit_dossier(session, access, dossier_id, version)
        return Dossier.build(dossier)

    @strawberry.mutation(description="Ajouter une ligne : GOODS (marchandise à placer), PROCESSED ou REPLACEMENT.")
    async def add_goods_line(
        self, info: Info, dossier_id: strawberry.ID, kind: str, input: GoodsLineInput
    ) -> GoodsLine:
        access = await info.context.access()
        target = decode_id(dossier_id, "Dossier", "Dossier introuvable.")
        async with info.context.db.session() as session:
            line = await goods.add_goods_line(session, access, target, kind, _goods_values(input))
        return GoodsLine.build(line)

    @strawberry.mutation(description="Modifier une ligne de marchandise.")
    async def update_goods_line(self, info: Info, id: strawberry.ID, input: GoodsLineInput) -> GoodsLine:
        access = await info.context.access()
        line_id = decode_id(id, "GoodsLine", "Ligne de marchandise introuvable.")
        async with info.context.db.session() as session:
            line = await goods.update_goods_line(session, access, line_id, _goods_values(input))
        return GoodsLine.build(line)

    @strawberry.mutation(description="Supprimer une ligne de marchandise ; renvoie le dossier.")
    async def remove_goods_line(self, info: Info, id: strawberry.ID) -> Dossier:
        access = await info.context.access()
        line_id = decode_id(id, "GoodsLine", "Ligne de marchandise introuvable.")
        async with info.context.db.session() as session:
            dossier_id = await goods.remove_goods_line(session, access, line_id)
            dossier = await reading.get_dossier(session, access, dossier_id)
        return Dossier.build(dossier)

    @strawberry.mutation(
        description="Joindre un fichier (requête multipart ; en-tête X-Soprano-Upload obligatoire contre le CSRF)."
    )
    async def upload_attachment(self, info: Info, dossier_id: strawberry.ID, file: Upload) -> Attachment:
        access = await info.context.access()
        target = decode_id(dossier_id, "Dossier", "Dossier introuvable.")
        settings = info.context.portal.settings
        if not hasattr(file, "read"):  # a multipart part without a file name is a plain value, not a file
            raise FieldErrors([("file", NAMELESS_FILE)])
        content = await file.read(settings.attachment_max_bytes + 1)  # type: ignore[attr-defined]
        filename = getattr(file, "filename", None) or "piece-jointe"
        async with info.context.db.session() as session:
            attachment = await attachments.add_attachment(
                session,
                access,
                storage_for(info),
                target,
                filename,
                content,
                max_bytes=settings.attachment_max_bytes,
            )
            names = await _names(session, {attachment.uploaded_by_id})
        return Attachment.build(attachment, names)

    @strawberry.mutation(description="Retirer une pièce jointe (elle reste dans l'historique).")
    async def remove_attachment(self, info: Info, id: strawberry.ID) -> Attachment:
        access = await info.context.access()
        attachment_id = decode_id(id, "Attachment", "Pièce jointe introuvable.")
        async with info.context.db.session() as session:
            attachment = await attachments.remove_attachment(session, access, attachment_id)
            names = await _names(session, {attachment.uploaded_by_id, attachment.removed_by_id or 0})
        return Attachment.build(attachment, names)


__all__ = ["DomainError", "DossierMutation"]
