"""The demo people every API test module logs in (module-wide sessions; professionals accept the terms)."""

from __future__ import annotations

import httpx
import pytest

from tests.processing_support import CLAIRE, HUGO, PAUL, SOPHIE


@pytest.fixture(scope="module")
def sophie(people) -> httpx.Client:
    return people(SOPHIE)


@pytest.fixture(scope="module")
def paul(people) -> httpx.Client:
    return people(PAUL)


@pytest.fixture(scope="module")
def claire(people) -> httpx.Client:
    return people(CLAIRE, accept=False)


@pytest.fixture(scope="module")
def hugo(people) -> httpx.Client:
    return people(HUGO, accept=False)
