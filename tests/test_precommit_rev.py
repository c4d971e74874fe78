"""The pre-commit instructions name a `rev:` that is this version's release tag (issue 12 part 8)."""

from __future__ import annotations

import re
from pathlib import Path

import gov_lint

ROOT = Path(__file__).resolve().parent.parent
REV = re.compile(r"^\s*#?\s*rev:\s*(\S+)", re.M)


def _revs(path: Path) -> list[str]:
    return REV.findall(path.read_text(encoding="utf-8"))


def test_documented_rev_is_the_release_tag_of_this_version():
    tag = f"v{gov_lint.__version__}"
    for name in ("docs/ci.md", ".pre-commit-hooks.yaml"):
        revs = _revs(ROOT / name)
        assert revs, name
        assert set(revs) == {tag}, (name, revs)


def test_pyproject_version_matches_package_version():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'^version = "([^"]+)"', text, re.M).group(1) == gov_lint.__version__
