"""Rows of zeros with one cell printed blank, in tab text (parse/tables.py: zeros_one_short).

A row of zeros whose blank is the first cell (right after the label) cannot be told from a row
one cell short behind the empty layout cell some exports leave after a label, and wherever the
lost cell goes every sum is the same.  Such a row must be read exactly or reported (P103): it
must never be read with its blank in another column."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from gov_lint.check import CheckOptions, check_bytes
from gov_lint.model import CellCount

BASES = Path(__file__).resolve().parent / "rule_cases" / "base"
ZEROS = "\t0" * 7


def _zero_rows(template: str) -> list[int]:
    lines = (BASES / f"{template}.txt").read_text(encoding="utf-8").split("\n")
    return [i for i, ln in enumerate(lines) if ln.endswith(ZEROS) and not ln.endswith("\t" + ZEROS)]


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(("2019", "2021")), st.data())
def test_a_blank_in_a_row_of_zeros_is_read_in_its_place_or_reported(template, data):
    lines = (BASES / f"{template}.txt").read_text(encoding="utf-8").split("\n")
    chosen = data.draw(st.lists(st.sampled_from(_zero_rows(template)), min_size=1, max_size=4, unique=True))
    blanks = {}
    for i in chosen:
        k = data.draw(st.integers(0, 6), label=f"blank column of line {i + 1}")
        cells = ["0"] * 7
        cells[k] = ""
        lines[i] = lines[i][: -len(ZEROS)] + "".join("\t" + c for c in cells)
        blanks[i + 1] = k
    result = check_bytes("zeros.txt", "\n".join(lines).encode("utf-8"), CheckOptions())
    assert not [f for f in result.findings if f.code.startswith("A") and f.severity == "error"]
    rows = {r.line: r for r in result.report.tables["三"].rows.values()}
    p103 = [f for f in result.findings if f.code == "P103" and f.table == "三"]
    for line, k in blanks.items():
        row = rows[line]
        kinds = [c.kind for c in row.cells.values()]
        if row.issue(CellCount) is not None:
            assert set(kinds) == {"unread"} and p103, (line, k)
            continue
        assert kinds == ["blank" if j == k else "number" for j in range(7)], (line, k, kinds)
        assert all(c.value == 0 for c in row.cells.values() if c.kind == "number")
