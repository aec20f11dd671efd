"""Attachments: GraphQL multipart and the browser form, content checks, the size limit, download, removal."""

from __future__ import annotations

import hashlib
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from tests.api.dossiers.support import (
    JEAN,
    PDF,
    PNG,
    REMOVE_ATTACHMENT,
    create,
    csrf_of,
    form_upload,
    get,
    upload,
    upload_refused,
    uploaded,
)
from tests.processing_support import call, code_of, numeric_id, ok, refused

# --- attachments ----------------------------------------------------------------------------------------------------


def test_a_pdf_is_uploaded_through_graphql_multipart(sophie):
    dossier = create(sophie, "TEA")
    attachment = uploaded(upload(sophie, dossier["id"], "Facture pro forma.pdf", PDF))
    assert attachment["filename"] == "Facture pro forma.pdf"
    assert attachment["contentType"] == "application/pdf"
    assert attachment["size"] == len(PDF)
    assert attachment["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert attachment["uploadedBy"] == "Sophie Moreau"
    assert attachment["removedAt"] is None
    assert attachment["downloadUrl"] == f"/files/{numeric_id(attachment['id'])}"
    listed = get(sophie, dossier["id"])
    assert [a["sha256"] for a in listed["attachments"]] == [hashlib.sha256(PDF).hexdigest()]
    assert [e["label"] for e in listed["history"]][-1] == "Pièce jointe ajoutée"
    assert listed["history"][-1]["message"] == "Facture pro forma.pdf"


def test_a_multipart_request_without_the_upload_header_is_refused(sophie):
    dossier = create(sophie, "TEA")
    response = upload(sophie, dossier["id"], "facture.pdf", PDF, headers={})
    assert response.status_code == 400
    body = response.json()
    assert body["errors"][0]["extensions"]["code"] == "CSRF"
    assert "X-Soprano-Upload" in body["errors"][0]["message"]
    assert get(sophie, dossier["id"])["attachments"] == []


@pytest.mark.parametrize(
    ("filename", "content", "words"),
    [
        ("photo.pdf", PNG, ["PNG", ".pdf"]),
        ("notes.pdf", b"Ceci n'est pas un PDF, juste du texte.\n" * 10, ["Type de fichier non accepté"]),
        ("script.pdf", b"#!/bin/sh\nrm -rf /\n", ["Type de fichier non accepté"]),
        ("facture.png", PDF, ["PDF", ".png"]),
        ("facture", PDF, ["PDF"]),
        ("vide.pdf", b"", ["vide"]),
    ],
)
def test_a_file_whose_content_is_not_what_it_claims_is_refused(sophie, filename, content, words):
    dossier = create(sophie, "TEA")
    error = upload_refused(upload(sophie, dossier["id"], filename, content))
    assert code_of(error) == "ATTACHMENT_REJECTED"
    for word in words:
        assert word in error["message"], error["message"]
    assert get(sophie, dossier["id"])["allAttachments"] == []


def test_a_png_with_its_own_extension_is_accepted(sophie):
    dossier = create(sophie, "TEA")
    attachment = uploaded(upload(sophie, dossier["id"], "photo.PNG", PNG, content_type="image/png"))
    assert attachment["contentType"] == "image/png"


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\system32\\config.pdf", "config.pdf"),
        ("/absolute/path/facture.pdf", "facture.pdf"),
        ("fac<ture>|?*.pdf", "fac_ture____.pdf"),
    ],
)
def test_a_path_in_the_file_name_is_dropped(sophie, given, stored):
    dossier = create(sophie, "TEA")
    attachment = uploaded(upload(sophie, dossier["id"], given, PDF))
    assert attachment["filename"] == stored


def test_a_file_over_the_size_limit_is_refused(sophie, small_portal):
    dossier = create(sophie, "TEA")
    small = PDF
    assert len(small) < 1024
    assert uploaded(upload(sophie, dossier["id"], "petit.pdf", small, url=f"{small_portal}/graphql"))
    large = PDF[:-6] + b"%" + b"x" * 1100 + b"\n%%EOF\n"
    error = upload_refused(upload(sophie, dossier["id"], "gros.pdf", large, url=f"{small_portal}/graphql"))
    assert code_of(error) == "ATTACHMENT_REJECTED"
    assert "dépasse la taille maximale" in error["message"]
    assert [a["filename"] for a in get(sophie, dossier["id"])["allAttachments"]] == ["petit.pdf"]
    # The default limit (20 Mo) lets the same file through.
    assert uploaded(upload(sophie, dossier["id"], "gros.pdf", large))["size"] == len(large)


def test_the_browser_form_refuses_a_file_over_the_size_limit(sophie, small_portal):
    dossier = create(sophie, "TEA")
    with httpx.Client(base_url=small_portal, cookies=sophie.cookies, timeout=20) as browser:
        response = form_upload(browser, dossier["id"], csrf_of(sophie), "gros.pdf", PDF + b"x" * 2000)
    assert response.status_code == 303, response.text
    error = parse_qs(urlsplit(response.headers["location"]).query)["erreur"][0]
    assert "dépasse la taille maximale" in error
    assert get(sophie, dossier["id"])["allAttachments"] == []


def test_the_size_limit_message_is_exact(sophie, small_portal):
    """A limit under one megabyte must not be announced as « 0 Mo »."""
    dossier = create(sophie, "TEA")
    large = PDF + b"x" * 2000
    error = upload_refused(upload(sophie, dossier["id"], "gros.pdf", large, url=f"{small_portal}/graphql"))
    assert "0 Mo" not in error["message"], error["message"]


def test_the_download_gives_back_the_same_bytes(sophie, paul, lucie, durand_attachment):
    _, attachment = durand_attachment
    assert attachment["filename"] == "passwd.pdf"
    for client in (sophie, paul, lucie):
        response = client.get(attachment["downloadUrl"])
        assert response.status_code == 200
        assert response.content == PDF
        assert hashlib.sha256(response.content).hexdigest() == attachment["sha256"]
        assert response.headers["content-type"] == "application/pdf"
        assert response.headers["content-disposition"] == "attachment; filename*=UTF-8''passwd.pdf"
        assert "nosniff" in response.headers["x-content-type-options"]
        assert "no-store" in response.headers["cache-control"]


def test_nobody_else_can_download(live_server, stranger, people, durand_attachment):
    _, attachment = durand_attachment
    url = attachment["downloadUrl"]

    def refused_download(response: httpx.Response) -> None:
        # Exactly like a file that does not exist: no content, no file name.
        assert response.status_code == 404
        assert PDF not in response.content
        assert "content-disposition" not in response.headers

    with httpx.Client(base_url=live_server.url, timeout=20) as anonymous:
        for client, path in (
            (stranger, url),
            (anonymous, url),
            (people(JEAN, accept=False), url),
            (anonymous, "/files/99999999"),
            (anonymous, "/files/abc"),
            (stranger, "/files/99999999"),
        ):
            refused_download(client.get(path))


def test_a_removed_attachment_stays_in_the_history(sophie, paul):
    dossier = create(sophie, "TEA")
    first = uploaded(upload(sophie, dossier["id"], "version1.pdf", PDF))
    second_content = PDF.replace(b"Catalog", b"Catalog /V 2")
    second = uploaded(upload(sophie, dossier["id"], "version2.pdf", second_content))
    removed = ok(sophie, REMOVE_ATTACHMENT, {"id": first["id"]})["removeAttachment"]
    assert removed["removedAt"] and removed["removedBy"] == "Sophie Moreau"
    after = get(paul, dossier["id"])
    assert [a["id"] for a in after["attachments"]] == [second["id"]]
    history = {a["id"]: a for a in after["allAttachments"]}
    assert set(history) == {first["id"], second["id"]}
    assert history[first["id"]]["removedAt"] and history[first["id"]]["removedBy"] == "Sophie Moreau"
    assert history[first["id"]]["uploadedBy"] == "Sophie Moreau"
    assert history[second["id"]]["removedAt"] is None and history[second["id"]]["removedBy"] is None
    events = [(e["label"], e["message"]) for e in after["history"]]
    assert events[-3:] == [
        ("Pièce jointe ajoutée", "version1.pdf"),
        ("Pièce jointe ajoutée", "version2.pdf"),
        ("Pièce jointe retirée", "version1.pdf"),
    ]
    # Every version stays downloadable from the history.
    assert sophie.get(first["downloadUrl"]).content == PDF
    assert code_of(refused(sophie, REMOVE_ATTACHMENT, {"id": first["id"]})) == "NOT_FOUND"


def test_the_browser_form_uploads_with_the_session_csrf_token(sophie):
    dossier = create(sophie, "TEA")
    response = form_upload(sophie, dossier["id"], csrf_of(sophie), "../bon de commande.pdf", PDF)
    assert response.status_code == 303, response.text
    location = urlsplit(response.headers["location"])
    assert location.path == f"/dossiers/{numeric_id(dossier['id'])}"
    assert location.fragment == "pieces-jointes"
    message = parse_qs(location.query)["message"][0]
    assert message == "Pièce jointe « bon de commande.pdf » ajoutée."
    listed = get(sophie, dossier["id"])["allAttachments"]
    assert [(a["filename"], a["sha256"]) for a in listed] == [
        ("bon de commande.pdf", hashlib.sha256(PDF).hexdigest())
    ]


def test_the_browser_form_reports_a_refused_file_on_the_page(sophie):
    dossier = create(sophie, "TEA")
    response = form_upload(sophie, dossier["id"], csrf_of(sophie), "photo.pdf", PNG)
    assert response.status_code == 303
    error = parse_qs(urlsplit(response.headers["location"]).query)["erreur"][0]
    assert "ne correspond pas" in error
    assert get(sophie, dossier["id"])["allAttachments"] == []


@pytest.mark.parametrize("csrf", [None, "", "forged-token"])
def test_the_browser_form_without_the_right_csrf_token_is_forbidden(sophie, csrf):
    dossier = create(sophie, "TEA")
    response = form_upload(sophie, dossier["id"], csrf, "facture.pdf", PDF)
    assert response.status_code == 403
    assert "Formulaire expiré" in response.text
    assert get(sophie, dossier["id"])["allAttachments"] == []


def test_the_browser_form_does_not_reach_another_operators_dossier(sophie, stranger, durand_draft):
    response = form_upload(stranger, durand_draft["id"], csrf_of(stranger), "intrus.pdf", PDF)
    assert response.status_code == 404
    assert PDF not in response.content
    assert [a["filename"] for a in get(sophie, durand_draft["id"])["allAttachments"]] == ["facture.pdf"]
    # The same token uploads to the stranger's own dossier: the dossier was refused, not the form.
    own = create(stranger, "TEA")
    accepted = form_upload(stranger, own["id"], csrf_of(stranger), "sien.pdf", PDF)
    assert accepted.status_code == 303, accepted.text
    assert [a["filename"] for a in get(stranger, own["id"])["allAttachments"]] == ["sien.pdf"]


def test_the_browser_form_refuses_a_token_of_another_session(sophie, paul, durand_draft):
    assert csrf_of(paul) != csrf_of(sophie)
    response = form_upload(sophie, durand_draft["id"], csrf_of(paul), "autre.pdf", PDF)
    assert response.status_code == 403
    assert "Formulaire expiré" in response.text
    assert [a["filename"] for a in get(sophie, durand_draft["id"])["allAttachments"]] == ["facture.pdf"]


def test_the_download_sends_each_security_header_once(sophie, durand_attachment):
    """The route sets X-Content-Type-Options and so does the portal's middleware: the header must not be doubled."""
    _, attachment = durand_attachment
    response = sophie.get(attachment["downloadUrl"])
    assert response.headers.get_list("x-content-type-options") == ["nosniff"]


def test_an_attachment_is_a_node_only_for_who_may_see_it(sophie, stranger, durand_attachment):
    """`Attachment` implements Node: `node(id)` answers it (or null), never an internal error."""
    _, attachment = durand_attachment
    query = "query($id: ID!) { node(id: $id) { id ... on Attachment { filename sha256 } } }"
    body = call(stranger, query, {"id": attachment["id"]})
    assert not body.get("errors"), body
    assert body["data"]["node"] is None
    body = call(sophie, query, {"id": attachment["id"]})
    assert not body.get("errors"), body
    assert body["data"]["node"] == {
        "id": attachment["id"],
        "filename": "passwd.pdf",
        "sha256": attachment["sha256"],
    }


def test_a_file_with_an_empty_name_gets_a_french_error_on_its_field(sophie):
    dossier = create(sophie, "TEA")
    error = upload_refused(upload(sophie, dossier["id"], "", PDF))
    assert error["extensions"]["code"] == "INVALID" and error["extensions"]["field"] == "file", error
    assert error["message"] == "Choisissez un fichier à joindre (le fichier envoyé n'a pas de nom)."
    assert get(sophie, dossier["id"])["allAttachments"] == []


def test_the_browser_form_with_an_empty_file_name_says_so_on_the_page(sophie):
    dossier = create(sophie, "TEA")
    response = form_upload(sophie, dossier["id"], csrf_of(sophie), "", PDF)
    assert response.status_code == 303, response.text
    error = parse_qs(urlsplit(response.headers["location"]).query)["erreur"][0]
    assert error.startswith("Choisissez un fichier à joindre")
    assert get(sophie, dossier["id"])["allAttachments"] == []
