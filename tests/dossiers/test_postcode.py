"""« Contrôler » and the applicant's postcode: an address in France needs 5 digits (« ABCDE » used to pass), any
other country's postcode is free."""

from __future__ import annotations

import pytest

from backend.dossiers import rules
from backend.dossiers.catalogue import Procedure
from tests.dossiers.factories import TODAY, answers, goods

TEA = Procedure.TEMPORARY_ADMISSION


def problems_with(**changes):
    data = answers(TEA)
    data.update({f"applicant.{key}": value for key, value in changes.items()})
    return {(p.path, p.code): p.message for p in rules.check(TEA, data, goods(TEA), today=TODAY)}


@pytest.mark.parametrize("postcode", ["ABCDE", "7500", "750011", "75 001"])
def test_a_french_address_refuses_a_postcode_that_is_not_five_digits(postcode: str) -> None:
    problems = problems_with(country="FR", postcode=postcode)
    message = problems.get(("applicant.postcode", "INVALID_POSTCODE"))
    assert message and "5 chiffres" in message


def test_a_french_address_with_five_digits_has_no_problem() -> None:
    assert problems_with(country="FR", postcode="75001") == {}


def test_a_postcode_abroad_is_free() -> None:
    assert problems_with(country="GB", postcode="SW1A 1AA") == {}
