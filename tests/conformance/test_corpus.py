"""Conformance over ../shared/corpus (skipped when absent).

The corpus README records each report's template and year and that its
arithmetic is consistent (hand-checked).  So: the right template and year, and no
arithmetic error (A101–A107, A111) on any of them; the 2018 report is recognised as
legacy and gets only the T103 notice.  Reading problems (P codes) are allowed:
they say what the parser could not read, which is never a false alarm about the
numbers.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gov_lint.check import check_path

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"

# file → (template, year), from ../shared/corpus/README.md
KNOWN = {
    "002.txt": ("2019", 2019),
    "005.txt": ("2021", 2022),
    "010.html": ("2021", 2023),
    "013.md": ("2021", 2025),
    "011.txt": ("legacy", 2018),
}
RELATION_ERRORS = ("A101", "A102", "A103", "A104", "A105", "A111")

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not available")


@pytest.mark.parametrize("name", sorted(KNOWN))
def test_corpus_report(name: str):
    path = CORPUS / name
    if not path.exists():
        pytest.skip(f"{name} is not in ../shared/corpus")
    result = check_path(path)
    assert result.status == "checked", result.reason
    assert (result.template, result.year) == KNOWN[name]
    false_alarms = [f"{f.code} {f.table}/{f.row}/{f.column}: {f.message}" for f in result.findings if f.code in RELATION_ERRORS]
    assert not false_alarms, f"{name} is consistent (hand-checked), but: {false_alarms}"
    if KNOWN[name][0] == "legacy":
        codes = {f.code for f in result.findings}
        assert "T103" in codes
        assert not any(c.startswith("A") for c in codes)
