from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from rectcli.cli import app
from tests.paths import DATA, DATA_V1, SOURCE

# keep the tests' parse cache out of the user's cache directory (subprocesses inherit this)
os.environ["RECTCLI_CACHE_DIR"] = tempfile.mkdtemp(prefix="rectcli-test-cache-")
# and the user's library out of reach: a path no test creates unless it adds to it on purpose
# (a test that adds names its own library), so commands read the bundled notice as on a fresh install
os.environ["RECTCLI_LIBRARY"] = os.path.join(tempfile.mkdtemp(prefix="rectcli-test-library-"), "library.sqlite")

runner = CliRunner()
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def run(*args: str, env: dict[str, str] | None = None):
    """Invoke the real app the way a user does; CliRunner is not a TTY, so output is plain."""
    return runner.invoke(app, list(args), env={"RECTCLI_DATA": None, "NO_COLOR": None, **(env or {})})


@pytest.fixture(scope="session")
def source_text() -> str:
    return SOURCE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def raw_notice() -> dict:
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


@pytest.fixture
def notice_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled notice, for tests that tamper with it."""
    target = tmp_path / "notice.yaml"
    target.write_text(DATA.read_text(encoding="utf-8"), encoding="utf-8")
    return target


@pytest.fixture
def notice_v1_copy(tmp_path: Path) -> Path:
    """A writable copy of the notice in format 1 (tests/fixtures/notice-v1.yaml), for tests that
    tamper with format 1's structure (meetings, numeral, problem, measures …)."""
    target = tmp_path / "notice-v1.yaml"
    target.write_text(DATA_V1.read_text(encoding="utf-8"), encoding="utf-8")
    return target
