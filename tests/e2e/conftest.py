"""A real Chromium (Debian's /usr/bin/chromium, or CHROMIUM) driven by Playwright; never a downloaded browser.
Without it, the browser tests are left out of the run (tests/conftest.py), or fail in CI."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.conftest import CHROMIUM, require
from tests.e2e.accessibility import audit, write_report

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# This machine has two cores, and CI runs two suites side by side: a screen may take a few seconds to follow. Checks
# that something happens live, within a bound, say so with their own timeout.
EXPECT_TIMEOUT_MS = 10_000


# Package scope: Playwright's sync API holds an event loop in this thread until it stops; async tests outside
# tests/e2e must not run while it lives.
@pytest.fixture(scope="package")
def browser() -> Iterator[object]:
    require(os.access(CHROMIUM, os.X_OK), f"Chromium introuvable ({CHROMIUM}) : apt-get install chromium")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser) -> Iterator[object]:
    context = browser.new_context(locale="fr-FR")
    errors: list[str] = []
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.set_default_timeout(15000)
    yield page
    # Every browser test also audits the page it ends on (a test that fails has already said why).
    blocking = audit(page) if page.url.startswith("http") and not page.is_closed() else []
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"
    assert not blocking, f"axe-core: serious or critical violations on the page the test ends on: {blocking}"


def pytest_sessionfinish(session, exitstatus) -> None:
    report = write_report()
    if report is not None:
        print(f"\naxe-core : voir {report.relative_to(report.parents[1])} (violations modérées ou mineures)")
