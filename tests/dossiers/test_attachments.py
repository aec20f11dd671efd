"""Attachments, pure domain: the type is decided by the content, the name is reduced to a safe base name, the size
is limited, the SHA-256 is computed; the filesystem storage is content-addressed and refuses odd keys.
"""

from __future__ import annotations

import hashlib

import pytest

from backend.dossiers.attachments import AttachmentRejected, inspect, sanitize_filename
from backend.dossiers.storage import FileSystemStorage

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489") + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 32
MB = 1024 * 1024


def test_a_pdf_is_accepted_with_its_digest():
    assert inspect("Facture.pdf", PDF, max_bytes=MB) == (
        "Facture.pdf",
        "application/pdf",
        hashlib.sha256(PDF).hexdigest(),
    )


@pytest.mark.parametrize("name", ["photo.jpg", "photo.jpeg", "PHOTO.JPG"])
def test_a_jpeg_may_be_named_jpg_or_jpeg(name):
    assert inspect(name, JPEG, max_bytes=MB)[1] == "image/jpeg"


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("photo.pdf", PNG, ["(PNG)", "« .pdf »"]),
        ("facture.png", PDF, ["(PDF)", "« .png »"]),
        ("notes.pdf", b"du texte, pas un PDF\n" * 20, ["Type de fichier non accepté", "PDF"]),
        ("page.pdf", b"<!DOCTYPE html><html><body>x</body></html>", ["Type de fichier non accepté"]),
        ("vide.pdf", b"", ["vide"]),
    ],
)
def test_the_content_decides_not_the_extension(name, content, words):
    with pytest.raises(AttachmentRejected) as rejected:
        inspect(name, content, max_bytes=MB)
    assert rejected.value.code == "ATTACHMENT_REJECTED"
    assert rejected.value.field == "file"
    for word in words:
        assert word in rejected.value.message, rejected.value.message


def test_the_size_limit():
    limit = 20 * MB
    assert inspect("juste.pdf", PDF + b"x" * (limit - len(PDF)), max_bytes=limit)[0] == "juste.pdf"
    with pytest.raises(AttachmentRejected) as rejected:
        inspect("gros.pdf", PDF + b"x" * (limit - len(PDF) + 1), max_bytes=limit)
    assert rejected.value.message == "Le fichier dépasse la taille maximale de 20 Mo."


@pytest.mark.parametrize("limit", [1024, 512 * 1024, int(1.5 * MB)])
def test_the_size_limit_is_announced_truthfully(limit):
    """ATTACHMENT_MAX_MB may be a fraction (config reads a float): the message must not say « 0 Mo » or « 1 Mo »
    for a 1.5 MB limit."""
    with pytest.raises(AttachmentRejected) as rejected:
        inspect("gros.pdf", PDF + b"x" * limit, max_bytes=limit)
    message = rejected.value.message
    assert " 0 Mo" not in message, message
    assert f" {limit // MB} Mo" not in message or limit % MB == 0, message


@pytest.mark.parametrize(
    ("given", "safe"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\boot.ini.pdf", "boot.ini.pdf"),
        ("/var/data/facture.pdf", "facture.pdf"),
        ("fac\x00ture\n.pdf", "facture.pdf"),
        ("devis <final>.pdf", "devis _final_.pdf"),
        ("..pdf", "pdf"),
        ("...", "piece-jointe"),
        ("", "piece-jointe"),
        ("Relevé d'écritures.pdf", "Relevé d_écritures.pdf"),
        ("a" * 200 + ".pdf", "a" * 116 + ".pdf"),
    ],
)
def test_file_names_are_reduced_to_a_safe_base_name(given, safe):
    assert sanitize_filename(given) == safe
    assert "/" not in safe and "\\" not in safe and len(safe) <= 120


def test_the_storage_is_content_addressed(tmp_path):
    storage = FileSystemStorage(tmp_path)
    key = hashlib.sha256(PDF).hexdigest()
    assert not storage.exists(key)
    storage.put(key, PDF)
    storage.put(key, PDF)  # the same file twice is stored once
    assert storage.exists(key) and storage.get(key) == PDF
    assert (tmp_path / key[:2] / key[2:4] / key).read_bytes() == PDF
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == [tmp_path / key[:2] / key[2:4] / key]


@pytest.mark.parametrize("key", ["../../etc/passwd", "abc/def", "", "a.b"])
def test_the_storage_refuses_keys_that_are_not_digests(tmp_path, key):
    storage = FileSystemStorage(tmp_path)
    with pytest.raises(ValueError):
        storage.put(key, PDF)
    with pytest.raises(ValueError):
        storage.get(key)
