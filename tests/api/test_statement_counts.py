"""SQL statements per request stay constant (issue 15, target 6), as NetBox keeps its query-count baselines: the UI's
own operations (ui/operations/*.graphql) — the home dashboard, the dossier page, the authorisation list, the
assistance list — sent over HTTP to the live portal, and the statements the server executed for each counted.

- whatever the page size (1 or 10 rows of 12) or the size of the dossier (one comment or seven), the count is the
  same: no statement per row;
- the counts are those of the committed baseline (statement_counts.json, one table per database): a change that adds
  a statement fails here. After a deliberate change, regenerate it: `UPDATE_STATEMENT_COUNTS=1 pytest <this file>`,
  on both databases, and say why in the commit.

Each count is the least of three requests after a first one (a background task of the server — the hub, a token's
« last used » — may add to one request, never take from it).
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from tests.processing_support import act, comment, filed, grant, new_office, ok
from ui.client import operations

BASELINE = Path(__file__).with_name("statement_counts.json")
UPDATE = os.environ.get("UPDATE_STATEMENT_COUNTS") == "1"
ROWS = 12  # dossiers of the operator, ten of them granted (authorisations)
ASK = """mutation($s: String!, $m: String!, $o: String) {
  askRegulatoryQuestion(subject: $s, message: $m, office: $o) { id } }"""


@contextmanager
def counting() -> Iterator[list[str]]:
    """The statements executed meanwhile by any thread but this one (the live server's)."""
    here = threading.get_ident()
    executed: list[str] = []

    def listen(_conn, _cursor, statement, _parameters, _context, _executemany) -> None:
        if threading.get_ident() != here:
            executed.append(statement)

    event.listen(Engine, "before_cursor_execute", listen)
    try:
        yield executed
    finally:
        event.remove(Engine, "before_cursor_execute", listen)


def statements(client: httpx.Client, operation: str, variables: dict) -> int:
    """The least count of statements of the operation over three requests, after a first one."""
    document = operations()[operation]
    ok(client, document, variables)
    counts = []
    for _ in range(3):
        with counting() as executed:
            ok(client, document, variables)
        counts.append(len(executed))
    return min(counts)


@pytest.fixture(scope="module")
def cast(people):
    """An operator with 12 dossiers filed to an office of its own, ten of them granted; its office's officer; a
    representative under a full mandate; two dossiers, one with a single comment, one with seven; 12 questions."""
    office = new_office()
    company = people.company("Compteurs de requêtes")
    officer = people.officer(office, "Agent Compteur")
    representative = people.company("Transit Compteur")
    people.mandate(company, representative)
    dossiers = [filed(company.admin, "TEA", office) for _ in range(ROWS)]
    for dossier in dossiers[:10]:
        act(officer, dossier["id"], "ACCEPT")
        grant(officer, dossier["id"])
    quiet, busy = dossiers[10], dossiers[11]
    comment(company.admin, quiet["id"], "Un seul commentaire.")
    for number in range(7):
        comment(officer if number % 2 else company.admin, busy["id"], f"Commentaire {number + 1}.")
    for number in range(ROWS):
        ok(company.admin, ASK, {"s": f"Question {number + 1}", "m": "Bonjour.", "o": office})
    return {
        "operator": company.admin,
        "officer": officer,
        "representative": representative.admin,
        "quiet": quiet["id"],
        "busy": busy["id"],
    }


def dashboard(first: int) -> dict:
    return {"bucket": "ALL", "sort": "UPDATED_DESC", "first": first}


def authorizations(first: int) -> dict:
    return {"sort": "ISSUED_DESC", "first": first}


def assistance(first: int) -> dict:
    return {"bucket": "ALL", "side": "ANY", "first": first}


# name → (who, operation, variables of the small case, of the large case)
CASES = {
    "dashboard, operator": ("operator", "Dashboard", dashboard(1), dashboard(10)),
    "dashboard, representative": ("representative", "Dashboard", dashboard(1), dashboard(10)),
    "dashboard, officer": ("officer", "Dashboard", dashboard(1), dashboard(10)),
    "dossier page (processing), operator": ("operator", "DossierProcessing", "quiet", "busy"),
    "dossier page (processing), officer": ("officer", "DossierProcessing", "quiet", "busy"),
    "dossier page (editor), operator": ("operator", "DossierEditor", "quiet", "busy"),
    "authorisation list, operator": ("operator", "AuthorizationList", authorizations(1), authorizations(10)),
    "authorisation list, officer": ("officer", "AuthorizationList", authorizations(1), authorizations(10)),
    "assistance list, operator": ("operator", "AssistanceList", assistance(1), assistance(10)),
    "assistance list, officer": ("officer", "AssistanceList", assistance(1), assistance(10)),
}


def dialect(live_server) -> str:
    return "postgresql" if live_server.settings.database_url.startswith("postgresql") else "sqlite"


@pytest.mark.parametrize("case", list(CASES))
def test_the_statements_of_a_request_do_not_grow_with_its_rows(cast, live_server, case):
    who, operation, small, large = CASES[case]
    client = cast[who]

    def variables(value):
        return {"id": cast[value]} if isinstance(value, str) else value

    few = statements(client, operation, variables(small))
    many = statements(client, operation, variables(large))
    assert few == many, f"{case}: {few} statements for the small case, {many} for the large one"
    baseline = json.loads(BASELINE.read_text()) if BASELINE.exists() else {}
    table = baseline.setdefault(dialect(live_server), {})
    if UPDATE:
        table[case] = many
        BASELINE.write_text(json.dumps(baseline, indent=2, ensure_ascii=False, sort_keys=True) + "\n")
        return
    assert case in table, f"{case}: no baseline (UPDATE_STATEMENT_COUNTS=1 pytest {__file__})"
    assert many == table[case], (
        f"{case}: {many} statements, the baseline says {table[case]} "
        f"(deliberate? UPDATE_STATEMENT_COUNTS=1 pytest {__file__})"
    )


def test_the_baseline_names_only_cases_that_exist():
    baseline = json.loads(BASELINE.read_text())
    for table in baseline.values():
        assert set(table) <= set(CASES), sorted(set(table) - set(CASES))
