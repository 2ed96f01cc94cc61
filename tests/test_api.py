"""The Python API as the README shows it: every ```python block runs as written."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest

from tests.paths import FIXTURES, ROOT

BLOCKS = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)


def test_the_readme_shows_the_api():
    assert len(BLOCKS) >= 2
    assert any("rectcli.load()" in b for b in BLOCKS) and any("Library(" in b for b in BLOCKS)


@pytest.mark.parametrize("block", BLOCKS, ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_readme_python_block_runs(block, tmp_path):
    # the blocks read "page.html": a composed notice of the genre saved as a page
    shutil.copy(FIXTURES / "genre" / "08-nanping-health-bureau-trs.html", tmp_path / "page.html")
    r = subprocess.run([sys.executable, "-c", block], cwd=tmp_path, capture_output=True, text=True,
                       encoding="utf-8", timeout=120)
    assert r.returncode == 0, r.stderr


def test_load_and_import_return_the_model_without_environment(monkeypatch, tmp_path):
    import rectcli
    from rectcli.notice.model import Notice

    monkeypatch.setenv("RECTCLI_DATA", str(tmp_path / "nowhere.yaml"))  # the API reads no environment
    monkeypatch.setenv("RECTCLI_CACHE_DIR", str(tmp_path / "cache"))
    notice = rectcli.load()
    assert isinstance(notice, Notice) and notice.metadata.issuer == "中共宁波前湾新区工作委员会"
    assert not (tmp_path / "cache").exists()  # and writes no cache
    imported = rectcli.import_notice(FIXTURES / "genre" / "08-nanping-health-bureau-trs.html")
    assert imported.metadata.kind == "巡察" and imported.metadata.title_from == "page"
