"""The PDF page layout (readers/pdf_layout.py): ruled tables and text lines from glyphs and rules.

Glyphs and rules are written out by hand here, in pdfplumber's coordinates
(x from the left, top down from the top of the page), so each rule of the table
finder is tried on its own.
"""

from __future__ import annotations

from gov_lint.readers.pdf_layout import cluster, find_tables, is_table, lines, table_rows


def _grid(xs, ys, skip=()):
    """Rules of a grid with vertical lines at xs and horizontal lines at ys; `skip` leaves segments out.

    A skipped segment is ("v", i, j): the vertical line at xs[i] between ys[j] and ys[j+1]
    (or ("h", j, i): the horizontal line at ys[j] between xs[i] and xs[i+1]).
    """
    rules = []
    for i, x in enumerate(xs):
        for j in range(len(ys) - 1):
            if ("v", i, j) not in skip:
                rules.append(("v", x, ys[j], ys[j + 1]))
    for j, y in enumerate(ys):
        for i in range(len(xs) - 1):
            if ("h", j, i) not in skip:
                rules.append(("h", y, xs[i], xs[i + 1]))
    return rules


def _word(text, x, top, size=10.0, advance=None):
    advance = advance or size
    return [(x + k * advance, x + (k + 1) * advance - 1, top, top + size, ch, size) for k, ch in enumerate(text)]


def test_a_grid_with_merged_cells_gives_none_where_a_cell_covers_the_position():
    xs, ys = [0, 100, 200, 300], [0, 20, 40, 60]
    # row 0: a cell spanning columns 1-2; rows 1-2: column 0 merged down
    rules = _grid(xs, ys, skip={("v", 2, 0), ("h", 2, 0)})
    (table,) = find_tables(rules)
    assert table.bbox == (0, 0, 300, 60)
    glyphs = _word("项目", 10, 5) + _word("合计", 110, 5) + _word("行政", 10, 25) + _word("12", 110, 25) + _word("3", 210, 25)
    glyphs += _word("0", 110, 45) + _word("4", 210, 45)
    assert table_rows(table, glyphs) == [["项目", "合计", None], ["行政", "12", "3"], [None, "0", "4"]]


def test_rules_a_little_apart_are_snapped_and_joined_into_one_table():
    rules = _grid([0, 100, 200], [0, 20, 40])
    rules = [(k, pos + (1.5 if k == "v" and pos == 100 and a == 20 else 0), a, b) for k, pos, a, b in rules]
    rules.append(("h", 40, 200, 250))  # a stub that meets nothing on its far end
    tables = find_tables(rules)
    assert len(tables) == 1 and len(tables[0].rows()) == 2 and all(len(r) == 2 for r in tables[0].rows())


def test_a_framed_box_of_one_cell_is_not_a_table_and_short_rules_are_ignored():
    assert find_tables(_grid([0, 300], [0, 40])) == []
    assert find_tables([("h", 10, 0, 2), ("v", 0, 0, 2)]) == []


def test_two_tables_that_share_no_corner_are_two_tables_top_first():
    low = _grid([0, 50, 100], [200, 220])
    high = _grid([0, 50, 100], [0, 20])
    tables = find_tables(low + high)
    assert [t.bbox[1] for t in tables] == [0, 200]


def test_a_cells_lines_are_joined_and_its_glyphs_found_by_their_centre():
    (table,) = find_tables(_grid([0, 60, 120], [0, 40]))
    glyphs = _word("结果维", 2, 2) + _word("持", 2, 14) + _word("7", 62, 2)
    glyphs.append((58, 66, 20, 30, "X", 10.0))  # centre at x 62: in the second cell
    assert table_rows(table, glyphs) == [["结果维\n持", "7\nX"]]


def test_text_lines_tabs_for_wide_gaps_spaces_for_narrow_ones_and_at_space_glyphs():
    glyphs = _word("一、本年新收", 0, 100) + _word("12", 200, 101) + _word("0", 260, 100)
    glyphs += _word("本年", 0, 120) + _word("12", 24, 120) + _word("件", 50, 120)  # gaps 4 pt: spaces
    glyphs += _word("申请", 0, 140) + [(20, 23, 140, 150, " ", 10.0)] + _word("3", 23, 140)  # a space glyph
    assert lines(glyphs) == [(100, "一、本年新收\t12\t0"), (120, "本年 12 件"), (140, "申请 3")]
    assert lines(glyphs, tabs=False)[0] == (100, "一、本年新收 12 0")


def test_lines_cluster_by_top_in_a_chain_of_three_points():
    assert cluster([0, 2.5, 5, 9, 100], 3) == {0: 0, 2.5: 0, 5: 0, 9: 1, 100: 2}
    glyphs = _word("甲", 0, 100) + _word("乙", 20, 102.5) + _word("丙", 0, 110)
    assert [t for _top, t in lines(glyphs)] == ["甲 乙", "丙"]


def test_a_framed_column_is_not_a_table():
    """A frame of one column, even of several rows (a boxed note), is not a table; two columns are."""
    glyphs = [(10, 20, 5, 15, "注", 10), (10, 20, 35, 45, "意", 10)]
    (frame,) = find_tables(_grid([0, 300], [0, 30, 60]))
    rows = table_rows(frame, glyphs)
    assert rows == [["注"], ["意"]]
    assert not is_table(rows)
    assert not is_table([])
    assert is_table([["项目"], ["一、本年新收", "12"]])
    assert is_table([[None, "自然人"]])  # a merged cell's covered position still counts as a column
