"""`repo_path` (the path CI services are given) takes a shortcut for plain paths under the working
directory; it must say what `os.path.relpath` says."""

from __future__ import annotations

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gov_lint.output._util import repo_path

parts = st.lists(st.sampled_from(["a", "报告", ".", "..", "", "b c", ".hidden", "x..y"]), min_size=0, max_size=4)


def _slow(path: str) -> str:
    rel = os.path.relpath(path) if os.path.isabs(path) else path
    if not (rel and rel != ".." and not rel.startswith(".." + os.sep)):
        rel = path
    while rel.startswith("./"):
        rel = rel[2:]
    return rel


@pytest.mark.skipif(os.sep != "/", reason="the shortcut is taken on POSIX paths only")
@settings(max_examples=300, deadline=None)
@given(parts, st.booleans())
def test_repo_path_equals_relpath(tail, trailing):
    path = os.getcwd() + "/" + "/".join(tail) + ("/" if trailing else "")
    assert repo_path(path) == _slow(path)
    outside = "/elsewhere/" + "/".join(tail)
    assert repo_path(outside) == _slow(outside)
    parent = os.path.dirname(os.getcwd())
    for other in (parent, parent + "/" + "/".join(tail), os.getcwd(), os.getcwd() + "x/" + "/".join(tail), "/"):
        assert repo_path(other) == _slow(other)
