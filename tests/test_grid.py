"""The table grid shared by the HTML, DOCX and PDF readers (readers/grid.py)."""

from __future__ import annotations

from gov_lint.readers.grid import drop_slivers, place_spans, tab_line


def test_place_spans_skips_positions_covered_from_above():
    # | A (rowspan 2) | B (colspan 2) |
    # |               | C | D         |
    rows, width = place_spans([[(2, 1, "A"), (1, 2, "B")], [(1, 1, "C"), (1, 1, "D")]])
    assert width == 3
    assert rows == [[(0, 1, "A"), (1, 2, "B")], [(1, 1, "C"), (2, 1, "D")]]


def test_place_spans_clips_spans_and_counts_covered_width():
    rows, width = place_spans([[(1, 0, "x"), (99, 1, "y")], [(1, 1, "z")]])
    assert rows == [[(0, 1, "x"), (1, 1, "y")], [(0, 1, "z")]]  # colspan 0 → 1, rowspan clipped to 2 rows
    assert width == 2
    _, w = place_spans([[(1, 5000, "wide")]])
    assert w == 1000


def test_drop_slivers_renumbers_columns_and_spans():
    rows = [[(0, 1, "label"), (1, 2, "12")], [(0, 2, "a"), (2, 1, "b")]]
    kept, width = drop_slivers(rows, 3, [False, True, False], lambda c: bool(c[2]))
    assert width == 2
    assert kept == [[(0, 1, "label"), (1, 1, "12")], [(0, 1, "a"), (1, 1, "b")]]


def test_drop_slivers_keeps_a_narrow_column_with_text_of_its_own():
    rows = [[(0, 1, "label"), (1, 1, "7"), (2, 1, "8")]]
    assert drop_slivers(rows, 3, [False, True, False], lambda c: bool(c[2])) == (rows, 3)
    # an empty cell made only of sliver columns is left out
    kept, width = drop_slivers([[(0, 1, "a"), (1, 1, ""), (2, 1, "b")]], 3, [False, True, False], lambda c: bool(c[2]))
    assert (kept, width) == ([[(0, 1, "a"), (1, 1, "b")]], 2)


def test_tab_line_offsets():
    line, starts = tab_line({0: "一、本年新收", 2: "1\t2", 3: ""}, 5)
    assert line == "一、本年新收\t\t1 2\t\t"
    assert starts == {0: 0, 2: 8, 3: 12}
    assert line[starts[2]:].startswith("1 2")
