"""Attachments ("pièces jointes"): checked by their content, stored by their SHA-256, never truly deleted.

The type is decided from the bytes (PDF, images, office documents); a file whose extension says otherwise is refused.
File names are reduced to a safe base name. Removing an attachment keeps it in the history.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

import filetype

from backend.errors import DomainError

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
