"""Attachments ("pièces jointes"): checked by their content, stored by their SHA-256, never truly deleted.

The type is decided from the bytes (PDF, images, office documents); a file whose extension says otherwise is refused.
File names are reduced to a safe base name. Removing an attachment keeps it in the history. Their contents live in a
`storage.Storage`.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

import filetype
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.db import utcnow
from backend.dossiers.editing import lock_for_change, require_applicant, touch
from backend.dossiers.history import EventKind, record_and_commit
from backend.dossiers.models import Attachment
from backend.dossiers.reading import get_dossier
from backend.dossiers.storage import Storage
from backend.errors import DomainError, NotFound
from backend.identity.policy import Access

ALLOWED_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "tif": "image/tiff",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}
# Extensions a user may give each detected type.
EXTENSION_ALIASES = {"jpg": {"jpg", "jpeg"}, "tif": {"tif", "tiff"}}
ALLOWED_LABEL = "PDF, images (PNG, JPEG, TIFF), documents bureautiques (Word, Excel, OpenDocument)"
# The accepted formats as the upload form announces them, and how a stored file's type is named to users.
FORMAT_NAMES = ("PDF", "images (PNG, JPEG, TIFF)", "Word", "Excel", "OpenDocument")
TYPE_LABELS = {
    "application/pdf": "PDF",
    "image/png": "Image PNG",
    "image/jpeg": "Image JPEG",
    "image/tiff": "Image TIFF",
    "application/msword": "Word",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word",
    "application/vnd.ms-excel": "Excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel",
    "application/vnd.oasis.opendocument.text": "Texte OpenDocument",
    "application/vnd.oasis.opendocument.spreadsheet": "Classeur OpenDocument",
}


class AttachmentRejected(DomainError):
    code = "ATTACHMENT_REJECTED"


def sanitize_filename(name: str) -> str:
    """A base name without folders, control or special characters, at most 120 characters."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").split("/")[-1]
    name = re.sub(r"[\x00-\x1f\x7f]", "", name)
    name = re.sub(r"[^\w.\- ()]", "_", name).strip(" .")
    name = re.sub(r"\.{2,}", ".", name)
    if not name:
        name = "piece-jointe"
    stem, dot, ext = name.rpartition(".")
    if dot and len(name) > 120:
        name = stem[: 119 - len(ext)] + "." + ext
    return name[:120]


def size_label(size: int) -> str:
    """A size in French units: « 20 Mo », « 1,5 Mo », « 512 Ko »."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f}".removesuffix(".0").replace(".", ",") + " Mo"
    return f"{max(1, size // 1024)} Ko"


def inspect(filename: str, content: bytes, *, max_bytes: int) -> tuple[str, str, str]:
    """(safe file name, content type, sha256) of an acceptable file; AttachmentRejected with a French reason."""
    if not content:
        raise AttachmentRejected("Le fichier est vide.", field="file")
    if len(content) > max_bytes:
        raise AttachmentRejected(
            f"Le fichier dépasse la taille maximale de {size_label(max_bytes)}.", field="file"
        )
    guessed = filetype.guess(content)
    extension = guessed.extension if guessed else None
    if extension == "jpeg":
        extension = "jpg"
    if extension not in ALLOWED_TYPES:
        raise AttachmentRejected(f"Type de fichier non accepté. Formats acceptés : {ALLOWED_LABEL}.", field="file")
    safe = sanitize_filename(filename)
    given = safe.rpartition(".")[2].lower() if "." in safe else ""
    if not given:
        raise AttachmentRejected(
            f"Le nom du fichier doit finir par l'extension de son contenu ({extension.upper()} : « .{extension} »).",
            field="file",
        )
    if given not in EXTENSION_ALIASES.get(extension, {extension}):
        raise AttachmentRejected(
            f"Le contenu du fichier ({extension.upper()}) ne correspond pas à son extension « .{given} ».",
            field="file",
        )
    return safe, ALLOWED_TYPES[extension], hashlib.sha256(content).hexdigest()


# --- services ------------------------------------------------------------------------------------------------


async def add_attachment(
    session: AsyncSession,
    access: Access,
    storage: Storage,
    dossier_id: int,
    filename: str,
    content: bytes,
    *,
    max_bytes: int,
) -> Attachment:
    """Attach a file to a dossier being edited (prepare right), once its content is accepted; written to the
    history."""
    dossier = await lock_for_change(session, access, dossier_id)
    safe_name, content_type, digest = inspect(filename, content, max_bytes=max_bytes)
    storage.put(digest, content)
    now = utcnow()
    actor_id = access.actor.user_id  # type: ignore[union-attr]
    attachment = Attachment(
        dossier_id=dossier.id,
        filename=safe_name,
        content_type=content_type,
        size=len(content),
        sha256=digest,
        storage_key=digest,
        uploaded_by_id=actor_id,
        uploaded_at=now,
    )
    session.add(attachment)
    await touch(session, dossier, access)
    await record_and_commit(
        session, dossier, EventKind.ATTACHMENT_ADDED, actor_id=actor_id, message=safe_name, at=now
    )
    await session.refresh(attachment)
    return attachment


async def remove_attachment(session: AsyncSession, access: Access, attachment_id: int) -> Attachment:
    """Remove an attachment of a dossier being edited: it leaves the dossier but stays in its history."""
    require_applicant(access)
    attachment = await session.get(Attachment, attachment_id)
    if attachment is None or attachment.removed_at is not None:
        raise NotFound("Pièce jointe introuvable.")
    try:
        dossier = await lock_for_change(session, access, attachment.dossier_id)
    except NotFound:
        raise NotFound("Pièce jointe introuvable.") from None
    now = utcnow()
    actor_id = access.actor.user_id  # type: ignore[union-attr]
    attachment.removed_at, attachment.removed_by_id = now, actor_id
    session.add(attachment)
    await touch(session, dossier, access)
    await record_and_commit(
        session, dossier, EventKind.ATTACHMENT_REMOVED, actor_id=actor_id, message=attachment.filename, at=now
    )
    await session.refresh(attachment)
    return attachment


async def attachment_for_download(session: AsyncSession, access: Access, attachment_id: int) -> Attachment:
    """Any version (removed ones too, for the history) of an attachment of a dossier the actor may see."""
    attachment = await session.get(Attachment, attachment_id)
    if attachment is None:
        raise NotFound("Pièce jointe introuvable.")
    try:
        await get_dossier(session, access, attachment.dossier_id)
    except NotFound:
        raise NotFound("Pièce jointe introuvable.") from None
    return attachment


async def attachments_of(session: AsyncSession, dossier_id: int, *, include_removed: bool) -> list[Attachment]:
    """A dossier's attachments in the order they were added. No access check: callers read the dossier through the
    policy first."""
    query = (
        select(Attachment)
        .where(Attachment.dossier_id == dossier_id)
        .order_by(Attachment.uploaded_at, Attachment.id)
    )
    if not include_removed:
        query = query.where(Attachment.removed_at.is_(None))
    return list((await session.exec(query)).all())
