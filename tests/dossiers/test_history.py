"""The kinds of a dossier's history rows: one enum in the domain, each with its French label."""

from __future__ import annotations

from backend.dossiers.history import EVENT_LABELS, EventKind
from backend.dossiers.workflow import Action


def test_every_workflow_action_but_submit_is_recorded_under_its_own_kind():
    assert {a.value for a in Action if a is not Action.SUBMIT} <= {k.value for k in EventKind}
    assert "submit" not in {k.value for k in EventKind}  # recorded as submitted or resubmitted


def test_every_kind_has_a_french_label():
    assert set(EVENT_LABELS) == set(EventKind)
    assert EventKind.RESUBMITTED.label == "Dossier déposé à nouveau (complément apporté)"
    assert EventKind("taken").label == "Dossier pris en charge par la douane"
