"""`soprano demo load` (what `make run` does) leaves a newcomer dossiers at every stage of the workflow, once."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path


def _demo_load(tmp_path: Path) -> subprocess.CompletedProcess:
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")},
        "ENV": "dev",
        "DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.db'}",
        "OIDC_ISSUER": "http://127.0.0.1:9400",
    }
    return subprocess.run(
        [sys.executable, "-m", "backend.cli", "demo", "load"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _rows(tmp_path: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(tmp_path / "demo.db") as db:
        return db.execute(sql).fetchall()


def test_demo_load_files_dossiers_at_every_stage_once(tmp_path):
    first = _demo_load(tmp_path)
    assert first.returncode == 0, first.stderr
    statuses = _rows(tmp_path, "SELECT procedure, status FROM dossier ORDER BY id")
    assert statuses == [
        ("TEA", "DRAFT"),
        ("IPO", "SUBMITTED"),
        ("EUS", "COMPLEMENT_REQUESTED"),
        ("CW", "ACCEPTED"),
        ("OPO", "HEARING"),
        ("TEA", "GRANTED"),
        ("IPO", "GRANTED"),
        ("EUS", "GRANTED"),
    ]
    # Filed for the demo office, so the demo officer's workspace shows them; the history tells the story.
    assert _rows(tmp_path, "SELECT DISTINCT customs_office FROM dossier WHERE status != 'DRAFT'") == [
        ("FR000690",)
    ]
    kinds = {kind for (kind,) in _rows(tmp_path, "SELECT kind FROM dossier_event")}
    assert {"submitted", "request_complement", "accept", "comment", "notify_intended_refusal", "grant"} <= kinds

    # Ateliers Durand holds three authorisations: in force for two years, ending within the renewal window (90
    # days), suspended.
    issued = _rows(tmp_path, "SELECT reference, suspended_from IS NOT NULL FROM issued_authorization ORDER BY id")
    assert [(ref[:5], suspended) for ref, suspended in issued] == [("FRTEA", 0), ("FRIPO", 0), ("FREUS", 1)]
    days = _rows(tmp_path, "SELECT julianday(valid_until) - julianday(valid_from) FROM issued_authorization")
    assert [int(d) for (d,) in days] == [730, 45, 1095]
    assert _rows(tmp_path, "SELECT count(*) FROM authorization_version") == [(3,)]

    again = _demo_load(tmp_path)
    assert again.returncode == 0, again.stderr
    assert _rows(tmp_path, "SELECT count(*) FROM dossier") == [(8,)]
    assert _rows(tmp_path, "SELECT count(*) FROM issued_authorization") == [(3,)]


def test_demo_load_gives_jean_a_declaration_waiting_for_customs_and_one_answered_once(tmp_path):
    """The private person's space is not empty on `make run`: a trip submitted to the office (« en attente »), and an
    online purchase customs accepted with the amount due, its history telling it; loading again adds nothing."""
    first = _demo_load(tmp_path)
    assert first.returncode == 0, first.stderr
    rows = _rows(
        tmp_path, "SELECT kind, status, reference IS NOT NULL, amount_due FROM private_declaration ORDER BY id"
    )
    assert [(kind, status, referenced) for kind, status, referenced, _ in rows] == [
        ("trip", "submitted", 1),
        ("purchase", "accepted", 1),
    ]
    assert float(rows[1][3]) > 0
    kinds = [k for (k,) in _rows(tmp_path, "SELECT kind FROM private_declaration_event WHERE declaration_id = 2")]
    assert kinds == ["created", "submitted", "taken", "accepted"]
    again = _demo_load(tmp_path)
    assert again.returncode == 0, again.stderr
    assert _rows(tmp_path, "SELECT count(*) FROM private_declaration") == [(2,)]


def test_demo_load_gives_sophie_an_answered_question_marie_a_ticket_and_the_support_opinions_once(tmp_path):
    """Assistance is not empty on `make run`: Sophie's question about a dossier of her operator, answered by Claire
    (« répondue »: an answer waits for her), Marie's ticket waiting for the support, two opinions; loading again adds
    nothing."""
    first = _demo_load(tmp_path)
    assert first.returncode == 0, first.stderr
    rows = _rows(
        tmp_path, "SELECT kind, status, customs_office, dossier_id IS NOT NULL FROM assistance_request ORDER BY id"
    )
    assert rows == [("question", "answered", "FR000690", 1), ("ticket", "open", None, 0)]
    kinds = [k for (k,) in _rows(tmp_path, "SELECT kind FROM assistance_message WHERE request_id = 1 ORDER BY id")]
    assert kinds == ["opened", "answer"]
    assert _rows(tmp_path, "SELECT count(*), sum(rating) FROM feedback") == [(2, 7)]
    again = _demo_load(tmp_path)
    assert again.returncode == 0, again.stderr
    assert _rows(tmp_path, "SELECT count(*) FROM assistance_request") == [(2,)]
