"""A real Chromium (Debian's /usr/bin/chromium) driven by Playwright; never a downloaded browser."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest

from tests.conftest import require

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
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
    require(os.path.exists(CHROMIUM), f"Chromium introuvable ({CHROMIUM}) : apt-get install chromium")
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
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"
