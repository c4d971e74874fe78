"""Properties of the narrative rules on generated reports (gov_lint.synth).

* A consistent generated report, whose prose quotes its tables, raises no N finding,
  also when zero cells are printed blank (a blank 总计 is never read as 0).
* A report whose prose misquotes one table number (`mutate_narrative`) raises N101 at
  that number, naming the cell it misquotes: every such disagreement is found.
"""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from gov_lint.check import CheckOptions, check_bytes
from gov_lint.synth import BLANK_PATTERNS, blank_zeros, generate, mutate_narrative, write_tab_text

templates = st.sampled_from(["2019", "2021"])
seeds = st.integers(0, 2**32 - 1)


def _n(text: str) -> list:
    res = check_bytes("report.txt", text.encode("utf-8"), CheckOptions())
    return [f for f in res.findings if f.code.startswith("N")]


@settings(max_examples=30, deadline=None)
@given(templates, seeds, st.sampled_from([None, *BLANK_PATTERNS]))
def test_consistent_report_raises_no_n_finding(tid, seed, pattern):
    report = generate(tid, random.Random(seed))
    if pattern is not None:
        report = blank_zeros(report, random.Random(seed), pattern)
    found = _n(write_tab_text(report))
    assert found == [], [(f.code, f.stated, f.message) for f in found]


@settings(max_examples=30, deadline=None)
@given(templates, seeds, seeds)
def test_misquoted_number_is_found_at_its_cell(tid, seed, seed2):
    report, target = mutate_narrative(generate(tid, random.Random(seed)), random.Random(seed2))
    # (the other totals the text gives are right, so under an all-zero table this is an N101 too, not N306)
    found = [f for f in _n(write_tab_text(report)) if f.code == "N101"]
    table, row, column = target
    rows = set(row.split("+"))
    assert any(f.table == table and set((f.row or "").split("+")) == rows and f.column == column for f in found), (
        target, [(f.table, f.row, f.column, f.stated) for f in found])
