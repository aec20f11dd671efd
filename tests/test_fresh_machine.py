"""A fresh machine without Chromium: `make test` passes without the browser tests and its last line says so and how to
get them; in CI (CI=true) a left-out browser test is a failure. The missing browser is simulated by CHROMIUM pointing
to a file that does not exist."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from backend.config import PROJECT_ROOT

MISSING = "/nonexistent/chromium"


def nested_pytest(*args: str, ci: bool) -> subprocess.CompletedProcess:
    env = {name: value for name, value in os.environ.items() if name not in ("CI", "DATABASE_URL", "REDIS_URL")}
    # Its own SQLite and memory hub: a nested run must never reset the database of this one.
    env["CHROMIUM"] = MISSING
    if ci:
        env["CI"] = "true"
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_without_chromium_the_browser_tests_are_left_out_and_announced_last():
    result = nested_pytest("tests/e2e/test_login.py", "tests/identity/test_identifiers.py", ci=False)

    assert result.returncode == 0, result.stdout + result.stderr
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert "passed" in lines[-2] and "deselected" in lines[-2]
    assert "« browser » laissé(s) de côté" in lines[-1]
    assert f"Chromium introuvable ({MISSING})" in lines[-1]
    assert "apt-get install chromium" in lines[-1]
    assert sum("Chromium" in line for line in lines) == 1, "one line, not one error per test"


def test_in_ci_a_browser_test_without_chromium_fails():
    result = nested_pytest("tests/e2e/test_login.py", "-x", ci=True)

    assert result.returncode == 1, result.stdout + result.stderr
    assert f"Chromium introuvable ({MISSING})" in result.stdout
    assert "laissé(s) de côté" not in result.stdout


def test_make_installs_only_debians_chromium():
    """`make browser` installs Debian's package for Debian's path only: a browser named elsewhere is the user's."""
    assert shutil.which("make"), "make est nécessaire"
    result = subprocess.run(
        ["make", "--no-print-directory", "browser", f"CHROMIUM={MISSING}"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "" and "apt-get" not in result.stderr
