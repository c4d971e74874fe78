"""Mutation test (issue 11): change one number of table 三 or 四, demand an error at that cell.

Runs benchmarks/mutations.py on a sample (every 4th cell) of the consistent examples in every
layout, and of the consistent shared reports when ../shared is present.  For each layout at
least 95 % of the changes must give an error finding whose location, or one of its related
locations, is the changed cell.  docs/detection.md has the full run over every cell.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
import mutations  # noqa: E402

SHARED = ROOT.parent / "shared"
CLEAN = sorted(p for p in (ROOT / "examples" / "2019").glob("clean*") if p.suffix in (".txt", ".md", ".html")) + sorted(
    p for p in (ROOT / "examples" / "2021").glob("clean*") if p.suffix in (".txt", ".md", ".html"))
# the shared reports whose tables are consistent (corpus README), in every web layout
CORPUS = [SHARED / "corpus" / n for n in ("002.txt", "005.txt", "101.txt", "108.txt", "109.txt", "110.txt",
                                          "113.txt", "124.txt", "013.md", "010.html")]


def _check(paths: list[Path]) -> None:
    tallies = mutations.run(paths, None, stride=4)
    assert tallies
    for layout, t in tallies.items():
        assert t.changes >= 10, (layout, t.changes)
        rate = t.located / t.changes
        assert rate >= 0.95, (layout, f"{rate:.1%}", t.escapes[:5])


def test_one_changed_number_is_an_error_at_its_cell_in_every_example_layout():
    _check(CLEAN)


@pytest.mark.skipif(not (SHARED / "corpus").is_dir(), reason="../shared/corpus is not available")
def test_one_changed_number_is_an_error_at_its_cell_in_real_web_text():
    _check([p for p in CORPUS if p.exists()])
