"""The dashboard's search reads what people type: accented capitals match either case (on SQLite as on PostgreSQL),
and « % » or « _ » are characters, not wildcards."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from backend.dossiers import dashboards
from backend.dossiers.models import DossierStatus
from backend.identity.models import Operator
from tests.processing_support import Cast


@pytest.fixture
async def cast(live_server, database) -> AsyncIterator[Cast]:
    async with database.session() as session:
        yield Cast(session, live_server.settings)


async def found(cast: Cast, user, search: str) -> set[int]:
    page = await dashboards.dashboard(
        cast.session, await cast.access(user), bucket=dashboards.Bucket.ALL, search=search
    )
    return {dossier.id for dossier, _ in page.rows}


@pytest.mark.parametrize(
    "search", ["Établissements", "établissements", "ÉTABLISSEMENTS", "éric œuvre", "ÉRIC ŒUVRE", "ts éric"]
)
async def test_an_accented_name_is_found_whatever_the_case(cast, search):
    owner = await cast.professional()
    operator = await cast.session.get(Operator, owner.operator_id)
    operator.legal_name = "Établissements Éric Œuvre"
    cast.session.add(operator)
    await cast.session.commit()
    dossier = await cast.dossier(owner, DossierStatus.SUBMITTED)
    assert await found(cast, owner, search) == {dossier.id}


async def test_percent_and_underscore_are_searched_literally(cast):
    owner = await cast.professional()
    operator = await cast.session.get(Operator, owner.operator_id)
    operator.legal_name = "Remise 100% export_sud"
    cast.session.add(operator)
    await cast.session.commit()
    dossier = await cast.dossier(owner, DossierStatus.SUBMITTED)
    other = await cast.dossier(owner, DossierStatus.ACCEPTED)
    assert await found(cast, owner, "100%") == {dossier.id, other.id}
    assert await found(cast, owner, "export_sud") == {dossier.id, other.id}
    assert await found(cast, owner, "%") == {dossier.id, other.id}  # the name holds a « % »
    assert await found(cast, owner, "_s") == {dossier.id, other.id}
    assert await found(cast, owner, "0%e") == set()  # would match « 0% e… » as a wildcard: not here
