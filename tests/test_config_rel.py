"""`GlobSet.rel` (string operations for a path under the base) answers as `Path.relative_to` did."""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import given, settings, strategies as st

from gov_lint.config import GlobSet

PART = st.sampled_from(["a", "b", "报告", "2023", ".", "..", "", "x.txt", "base", "ci"])


def _reference(path: str, base: Path) -> str:
    """How `rel` was written with pathlib."""
    p = Path(path)
    absolute = Path(os.path.normpath(p if p.is_absolute() else Path.cwd() / p))
    try:
        return absolute.relative_to(base).as_posix()
    except ValueError:
        return absolute.as_posix().lstrip("/")


@settings(max_examples=300, deadline=None)
@given(parts=st.lists(PART, max_size=6), absolute=st.booleans(), slashes=st.sampled_from(["/", "//"]),
       under=st.booleans())
def test_rel_agrees_with_pathlib(tmp_path_factory, parts, absolute, slashes, under):
    base = tmp_path_factory.getbasetemp() / "base"
    base.mkdir(exist_ok=True)
    globs = GlobSet(["ci/**"], base)
    tail = slashes.join(parts)
    path = (str(base) + "/" + tail if under else "/" + tail) if absolute else tail
    cwd = os.getcwd()
    try:
        os.chdir(base)
        assert globs.rel(path) == _reference(path, globs.base)
    finally:
        os.chdir(cwd)


def test_rel_of_the_base_itself_and_of_a_root_base(tmp_path):
    globs = GlobSet([], tmp_path)
    assert globs.rel(tmp_path) == "."
    assert globs.rel(tmp_path / "ci" / "a.txt") == "ci/a.txt"
    assert globs.rel("/elsewhere/x.txt") == "elsewhere/x.txt"
    root = GlobSet([], Path("/"))
    assert root.rel("/a/b.txt") == "a/b.txt" and root.rel("/") == "."
