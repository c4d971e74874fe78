"""The folder walk (`cli._walk`) picks up exactly the files `Path.rglob` and the walk's rules pick up."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gov_lint.cli import NOT_REPORTS, collect
from gov_lint.readers import SUFFIXES
from gov_lint.skipped import listed


def _reference(root: Path, others: list[str]) -> list[str]:
    """The walk as it was written with pathlib (one Path per file)."""
    found = []
    for f in root.rglob("*"):
        if not (f.is_file() or (f.is_symlink() and not f.exists())):
            continue
        if any(part.startswith(".") for part in f.relative_to(root).parts) or f.stem.lower().startswith(NOT_REPORTS):
            continue
        if f.suffix.lower() not in SUFFIXES:
            if listed(str(f)):
                others.append(str(f))
            continue
        found.append(str(f))
    return sorted(found)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "reports"
    for rel in ("2022/a.txt", "2022/B.HTML", "2022/.hidden.txt", ".git/x.txt", "2022/.cache/y.txt", "2023/README.md",
                "2023/License.txt", "2023/c.pdf", "2023/d.", "2023/e.zip", "2023/f.py", "2023/sub/g.docx",
                "2023/sub/报告.md", "notes"):
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(b"x")
    os.symlink(root / "2022", root / "2023" / "linked")  # a linked folder is not entered
    os.symlink(root / "2022" / "a.txt", root / "2023" / "alias.txt")  # a linked file is a file
    os.symlink(root / "missing.txt", root / "2023" / "dangling.txt")  # reported (P001), not lost
    os.symlink("self.txt", root / "2023" / "self.txt")  # a link to itself: reported too
    os.symlink("..", root / "2023" / "sub" / "up")  # a link back up: not followed
    return root


@pytest.mark.parametrize("spelling", ["{root}", "{root}/", "{root}/../reports", "."])
def test_walk_finds_what_rglob_finds(tree: Path, spelling: str, monkeypatch):
    monkeypatch.chdir(tree)
    root = Path(spelling.format(root=tree))
    others: list[str] = []
    expected_others: list[str] = []
    found = collect([root], None, others)
    assert found == _reference(root, expected_others)
    assert others == sorted(expected_others)
    names = {Path(f).name for f in found}
    assert {"a.txt", "B.HTML", "c.pdf", "g.docx", "报告.md", "alias.txt", "dangling.txt", "self.txt"} <= names
    assert not names & {".hidden.txt", "x.txt", "y.txt", "README.md", "License.txt"}
    assert {Path(f).name for f in others} >= {"e.zip"}
