"""Fixtures of the dossier API tests: the demo people (module-wide sessions, terms accepted) and shared dossiers."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import httpx
import pytest

from tests.api.dossiers.support import (
    KARIM,
    LUCIE,
    PDF,
    complete,
    create,
    get,
    upload,
    uploaded,
)
from tests.conftest import free_port, run_live_server
from tests.processing_support import new_siret, ok


@pytest.fixture(scope="module")
def karim(people) -> httpx.Client:
    return people(KARIM)


@pytest.fixture(scope="module")
def lucie(people) -> httpx.Client:
    return people(LUCIE)


@pytest.fixture(scope="module")
def stranger_siret() -> str:
    """The SIRET of another operator, new for each module (its first user is its administrator)."""
    return new_siret()


@pytest.fixture(scope="module")
def stranger(people, stranger_siret) -> httpx.Client:
    """The administrator of another operator (a new chocolate maker), terms accepted."""
    return people.fresh(stranger_siret, "Camille Cacao", "Chocolaterie d'essai")


@pytest.fixture(scope="module")
def operators(lucie) -> dict[str, str]:
    """SIRET → Operator global id, from what the representative may act for."""
    data = ok(lucie, "{ me { operators { operator { id siret } } } }")
    return {entry["operator"]["siret"]: entry["operator"]["id"] for entry in data["me"]["operators"]}


@pytest.fixture(scope="module")
def durand_draft(sophie) -> dict:
    """A complete draft of Ateliers Durand, with one goods line and one attachment, filed by Sophie."""
    dossier = complete(sophie, "TEA")
    attachment = uploaded(upload(sophie, dossier["id"], "facture.pdf", PDF))
    return {**get(sophie, dossier["id"]), "attachment": attachment}


@pytest.fixture(scope="module")
def newcomer(people) -> tuple[httpx.Client, str]:
    """The administrator of a new operator who has not accepted the terms of use yet, and their SIRET."""
    siret = new_siret()
    return people.fresh(siret, "Nina Nouvelle", "Nouvelle Société", accept=False), siret


@pytest.fixture(scope="module")
def small_portal(settings) -> Iterator[str]:
    """A second portal on the same database, with a 1 KB attachment limit (a session cookie works on both)."""
    from backend.app import create_app

    app = create_app(replace(settings, attachment_max_bytes=1024))
    server, thread = run_live_server(app, free_port())
    yield f"http://127.0.0.1:{server.config.port}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def durand_attachment(sophie) -> tuple[dict, dict]:
    dossier = create(sophie, "TEA")
    attachment = uploaded(upload(sophie, dossier["id"], "../../etc/passwd.pdf", PDF))
    return dossier, attachment
