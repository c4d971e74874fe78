"""The pre-commit instructions name a `rev:` that exists in this repository (issue 12 part 8)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

import gov_lint

ROOT = Path(__file__).resolve().parent.parent
REV = re.compile(r"^\s*#?\s*rev:\s*(\S+)", re.M)
DOCUMENTS = ("docs/ci.md", ".pre-commit-hooks.yaml")


def _revs(path: Path) -> list[str]:
    return REV.findall(path.read_text(encoding="utf-8"))


def _git(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True)


def test_documents_name_one_full_commit_hash():
    revs = {rev for name in DOCUMENTS for rev in _revs(ROOT / name)}
    assert len(revs) == 1, revs
    assert re.fullmatch(r"[0-9a-f]{40}", revs.pop())


@pytest.mark.skipif(shutil.which("git") is None or not (ROOT / ".git").exists(), reason="not a git checkout")
def test_documented_rev_exists_in_the_repository():
    if _git("rev-parse", "--is-shallow-repository").stdout.strip() == "true":
        pytest.skip("shallow clone: older commits are not here")
    rev = _revs(ROOT / "docs/ci.md")[0]
    assert _git("cat-file", "-e", f"{rev}^{{commit}}").returncode == 0, rev
    # the hook definition is there at that commit
    assert _git("cat-file", "-e", f"{rev}:.pre-commit-hooks.yaml").returncode == 0


def test_pyproject_version_matches_package_version():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'^version = "([^"]+)"', text, re.M).group(1) == gov_lint.__version__
