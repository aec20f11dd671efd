"""Unknown addresses answer HTTP 404 — with the portal's own French page, whether the address is a page of the UI or
a static file — while every page of the UI answers 200."""

from __future__ import annotations

import httpx
import pytest

from ui.routes import dossier_key, is_page


@pytest.mark.parametrize(
    "path", ["/", "/soprano", "/douane/", "/jetons", "/dossiers/nouveau", "/dossiers/RG9zc2llcjox"]
)
def test_the_uis_pages_are_pages(path: str) -> None:
    assert is_page(path)


@pytest.mark.parametrize("path", ["/inconnue", "/dossiers", "/dossiers/a/b", "/soprano/x"])
def test_other_addresses_are_not(path: str) -> None:
    assert not is_page(path)


def test_the_dossier_id_is_read_from_its_address() -> None:
    assert dossier_key("/dossiers/RG9zc2llcjox/") == "RG9zc2llcjox"
    assert dossier_key("/dossiers/nouveau") is None


def test_an_unknown_page_answers_404_with_the_ui_and_a_known_one_200(live_server) -> None:
    assert httpx.get(live_server.url + "/soprano").status_code == 200
    missing = httpx.get(live_server.url + "/declarations/nouvelle")
    assert missing.status_code == 404
    assert 'id="app"' in missing.text  # the UI renders « Page non trouvée » in it


def test_a_missing_static_file_answers_a_french_404_page(live_server) -> None:
    for path in ("/static/absent.css", "/static/dsfr/absent.js"):
        missing = httpx.get(live_server.url + path)
        assert missing.status_code == 404
        assert missing.headers["content-type"].startswith("text/html")
        assert "Page non trouvée" in missing.text
        assert "Not Found" not in missing.text
