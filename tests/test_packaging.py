"""The package runs outside the checkout: its wheel carries every file of backend/, ui/ and the migrations of
alembic/, and, installed into a fresh virtual environment and run from another directory, `soprano db upgrade` migrates
a new database and `soprano serve` answers its health checks (with JSON logs naming the request id).

No network: the wheel is built with the checkout's setuptools (no build isolation) and installed without its
dependencies, which the fresh environment borrows from the checkout's virtual environment (a .pth line); what is
proved is the package's own files, not the resolver.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import sysconfig
import time
import zipfile
from pathlib import Path

import httpx
import pytest
from packaging.version import Version

from backend.config import PROJECT_ROOT
from tests.conftest import free_port

pytestmark = pytest.mark.packaging

# What a checkout holds besides the sources (none of it belongs in the wheel).
NOT_SOURCES = shutil.ignore_patterns(
    ".git", ".venv", "node_modules", "var", "build", "dist", "*.egg-info", "__pycache__", "*.pyc", ".*_cache"
)


def run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, **kwargs)
    assert result.returncode == 0, f"{command} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
    return result


def shipped_files() -> dict[str, Path]:
    """Every file the wheel must carry, by its path inside the wheel: backend/ and ui/ as they are, alembic/ as
    backend/migration_scripts/."""
    expected = {}
    for root, inside in (("backend", "backend"), ("ui", "ui"), ("alembic", "backend/migration_scripts")):
        for path in (PROJECT_ROOT / root).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                expected[f"{inside}/{path.relative_to(PROJECT_ROOT / root).as_posix()}"] = path
    return expected


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    import setuptools

    floor = Version("77")
    assert Version(setuptools.__version__) >= floor, (
        f"setuptools {setuptools.__version__} < {floor} (pyproject.toml's build requirement): lancez `make setup`."
    )
    work = tmp_path_factory.mktemp("wheel")
    # A copy: two runs side by side (CI) must not share the checkout's build/ folder.
    source = work / "src"
    shutil.copytree(PROJECT_ROOT, source, ignore=NOT_SOURCES)
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", work, source])
    (built,) = work.glob("soprano_portal-*.whl")
    return built


def test_the_wheel_carries_every_file_of_the_portal(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    missing = sorted(set(shipped_files()) - names)
    assert not missing, f"absent du paquet : {missing}"
    assert any(name.startswith("backend/dossiers/codelists/") and name.endswith(".json") for name in names)
    assert any(name.startswith("backend/migration_scripts/versions/") for name in names)


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A fresh virtual environment holding the wheel; its dependencies are the checkout's environment's."""
    venv = tmp_path_factory.mktemp("venv")
    run([getattr(sys, "_base_executable", sys.executable), "-m", "venv", "--without-pip", "--clear", venv])
    python = venv / "bin" / "python"
    purelib = Path(run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip())
    (purelib / "checkout_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    run([sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps", "--no-index", wheel])
    return venv


def portal_environment(data_dir: Path, port: int) -> dict[str, str]:
    """Production, with its own database: what an operator would set (the identity provider is not reached until
    someone logs in)."""
    names = {"PATH", "HOME", "LANG", "TMPDIR"}
    env = {name: value for name, value in os.environ.items() if name in names}
    env.update(
        ENV="prod",
        DATA_DIR=str(data_dir),
        SECRET_KEY="packaging-test-secret",
        OIDC_ISSUER="https://idp.invalid",
        OIDC_CLIENT_ID="soprano",
        OIDC_CLIENT_SECRET="packaging-test-client-secret",
        ASSETS_DIR=str(PROJECT_ROOT / "node_modules"),
        HOST="127.0.0.1",
        PORT=str(port),
        LOG_FORMAT="json",
    )
    return env


def test_the_installed_package_migrates_and_serves_outside_the_checkout(installed, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    python, soprano = installed / "bin" / "python", installed / "bin" / "soprano"
    port = free_port()
    env = portal_environment(tmp_path / "data", port)

    where = run([python, "-c", "import backend, ui; print(backend.__file__, ui.__file__)"], cwd=elsewhere, env=env)
    assert str(PROJECT_ROOT) not in where.stdout and str(installed) in where.stdout
    # The code lists are read from the package's data files.
    run(
        [python, "-c", "from backend.dossiers.catalogue import *; assert all(map(code_list, code_list_names()))"],
        cwd=elsewhere,
        env=env,
    )

    upgraded = run([soprano, "db", "upgrade"], cwd=elsewhere, env=env)
    assert "Base de données à jour." in upgraded.stdout

    log = (tmp_path / "serve.log").open("w+")
    server = subprocess.Popen(
        [soprano, "serve"], cwd=elsewhere, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        ready = wait_ready(f"http://127.0.0.1:{port}", server, log)
        assert ready.json() == {"status": "ok", "database": "ok"}
        assert httpx.get(f"http://127.0.0.1:{port}/healthz/live").status_code == 200
        if (PROJECT_ROOT / "node_modules" / "@gouvfr").is_dir():
            assert httpx.get(f"http://127.0.0.1:{port}/static/dsfr/dsfr.min.css").status_code == 200
        assert httpx.get(f"http://127.0.0.1:{port}/static/portal.css").status_code == 200
        named = httpx.get(f"http://127.0.0.1:{port}/healthz/ready", headers={"X-Request-ID": "packaging-42"})
        assert named.headers["x-request-id"] == "packaging-42"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(15)
    log.seek(0)
    lines = log.read().splitlines()
    entries = [json.loads(line) for line in lines if line.startswith("{")]
    assert entries, "\n".join(lines)
    access = [entry for entry in entries if entry.get("request_id") == "packaging-42"]
    assert access and access[0]["logger"] == "uvicorn.access" and access[0]["path"] == "/healthz/ready", lines


def wait_ready(url: str, server: subprocess.Popen, log) -> httpx.Response:
    deadline = time.monotonic() + 45
    while time.monotonic() < deadline:
        if server.poll() is not None:
            log.seek(0)
            pytest.fail(f"soprano serve exited ({server.returncode}):\n{log.read()}")
        try:
            response = httpx.get(f"{url}/healthz/ready", timeout=2)
            if response.status_code == 200:
                return response
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    log.seek(0)
    pytest.fail(f"soprano serve was not ready within 45 s:\n{log.read()}")
