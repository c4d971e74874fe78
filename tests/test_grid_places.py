"""Section-三 rows read from a real table grid (HTML, Word's HTML, DOCX) keep every blank cell in its place.

The readers keep every grid position, so a row's blank cells are where the table has them.  The
parser learns where the table's data columns are from its rows whose numbers span all seven
columns (parse/tables.py: grid_starts, fit_place) and reads every row of the same width at those
places.  Where the table itself does not tell (no such row), a row that fits more than one place is
reported (a P finding), never read shifted.  A row whose cells are all blank is a row of blanks, not
a missing row.
"""

from __future__ import annotations

import random

import pytest

from gov_lint.check import CheckOptions, check_bytes
from gov_lint.model import Span
from gov_lint.parse.tables import fit_grid, fit_place
from gov_lint.synth import encode, generate

COLUMNS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
KINDS = ("html", "html_word", "docx")


def _zeros(tid: str = "2021"):
    """A generated report whose section-三 and section-四 cells are all 0 (any of them may be blank)."""
    report = generate(tid, random.Random(625191250))
    assert {v for *_, v in report.cells(("三", "四"))} == {0}
    return report


def _check(kind: str, report):
    if kind == "docx":
        pytest.importorskip("docx")
    data, suffix = encode(kind, report)
    return check_bytes(f"grid{suffix}", data, CheckOptions())


def _kinds(result, row: str) -> list[str]:
    cells = result.report.tables["三"].rows[row].cells
    return [cells[c].kind for c in COLUMNS]


def _cells(*raws: str) -> tuple[tuple[str, Span], ...]:
    return tuple((raw, Span(1, i + 1, i + 1 + len(raw))) for i, raw in enumerate(raws))


@pytest.mark.parametrize("kind", KINDS)
def test_blank_first_and_last_cell_read_in_place(kind):
    """自然人 and 总计 blank, the rest 0 (the row of the Word-HTML counterexample): both blanks stay put."""
    report = _zeros()
    report.set("三", "三.二", "自然人", None)
    report.set("三", "三.二", "总计", None)
    result = _check(kind, report)
    assert _kinds(result, "三.二") == ["blank", "number", "number", "number", "number", "number", "blank"]
    assert not [f for f in result.findings if f.code.startswith("P") and f.table == "三"]


@pytest.mark.parametrize("kind", KINDS)
def test_a_row_of_blank_cells_is_a_row_of_blanks(kind):
    """A row whose every cell is blank is read as seven blanks in its place, not reported missing (P102)."""
    report = _zeros()
    for c in COLUMNS:
        report.set("三", "三.五.2", c, None)
    result = _check(kind, report)
    table = result.report.tables["三"]
    assert _kinds(result, "三.五.2") == ["blank"] * 7
    keys = list(table.rows)
    assert keys.index("三.五.1") + 1 == keys.index("三.五.2") == keys.index("三.五.3") - 1
    assert not [f for f in result.findings if f.code.startswith("P")]


def test_blank_row_needs_the_tables_places():
    """With no row telling where the data columns are, a row of blanks is left as before (P102 names it)."""
    report = _zeros()
    for row in report.tables["三"].values():
        row["自然人"] = None  # no row has a number in the first data column
    for c in COLUMNS:
        report.set("三", "三.五.2", c, None)
    result = _check("html", report)
    assert "三.五.2" not in result.report.tables["三"].rows
    assert [f.row for f in result.findings if f.code == "P102"] == ["三.五.2"]


def test_a_row_the_table_cannot_place_is_reported_not_shifted():
    """No row spans all seven columns, and one row (自然人 and 总计 blank) fits two places: it is not
    read (a P finding on it), where the old fitting read it one column to the right."""
    report = _zeros()
    for row in report.tables["三"].values():
        row["自然人"] = None
    report.set("三", "三.二", "总计", None)
    result = _check("html", report)
    assert _kinds(result, "三.二") == ["unread"] * 7
    assert [f.code for f in result.findings if f.code.startswith("P") and f.row == "三.二"]
    assert _kinds(result, "三.一") == ["blank"] + ["number"] * 6  # rows with one place to go are read


def test_fit_grid_takes_the_only_place():
    # a number in the last position: the data can only end there
    row = _cells("（二）部分公开", "", "", "", "0", "0", "0", "0", "0", "3")
    assert [raw for raw, _ in fit_grid(row, 7)] == ["", "0", "0", "0", "0", "0", "3"]


def test_fit_grid_refuses_two_places():
    """Six numbers and a trailing empty position: 总计 blank (data ends last) or 自然人 blank
    (a column beyond the data): both fit, so neither is taken."""
    assert fit_grid(_cells("", "（二）部分公开", "", "", "0", "0", "0", "0", "0", ""), 7) is None
    assert fit_grid(_cells("（二）部分公开", "", "", "0", "0", "0", "0", "0", "0", ""), 7) is None


def test_fit_place_reads_the_tables_places():
    row = _cells("", "（二）部分公开", "", "", "0", "0", "0", "0", "0", "")
    assert [raw for raw, _ in fit_place(row, 3, 7)] == ["", "0", "0", "0", "0", "0", ""]
    assert fit_place(row, 4, 7) is None  # the row is narrower than the places
    assert fit_place(_cells("x", "", "", "0", "0", "0", "0", "0", "0", "0", "9"), 3, 7) is None  # a number after them
    assert fit_place(_cells("1", "x", "", "0", "0", "0", "0", "0", "0", "0"), 3, 7) is None  # a number before them
    assert fit_place(_cells("x", "", "", "0", "y", "0", "0", "0", "0", "0"), 3, 7) is None  # text among them


# --------------------------------------------------------------------------- section 二


@pytest.mark.parametrize("kind", KINDS)
def test_a_blank_first_cell_of_a_section_two_row_stays_under_its_header(kind):
    """A section-二 row whose first number is blank (本年制发件数 0 printed blank): its other numbers stay
    under their own header cells.  The grid kept the blank's place, but the row used to lose it and the
    decoder put the blank last (现行有效件数 1 read as 本年废止件数 1, with nothing said)."""
    report = generate("2021", random.Random(1999951809))
    row = report.tables["二"]["二.一.行政规范性文件"]
    assert row == {"本年制发件数": 0, "本年废止件数": 0, "现行有效件数": 1}
    row["本年制发件数"] = None
    result = _check(kind, report)
    cells = result.report.tables["二"].rows["二.一.行政规范性文件"].cells
    assert [(c.raw, c.kind) for c in cells.values()] == [("", "blank"), ("0", "number"), ("1", "number")]
    assert not [f for f in result.findings if f.code.startswith("P") and f.table == "二"]


@pytest.mark.parametrize("kind", KINDS)
def test_section_two_rows_with_leading_blanks_or_no_number_keep_their_places(kind):
    """Two leading blanks before 处理决定数量 53, and a row with every cell blank (read as blanks,
    not left out)."""
    report = generate("2019", random.Random(1999951809))
    row = report.tables["二"]["二.六.行政处罚"]
    row["上一年项目数量"] = row["本年增/减"] = None
    row = report.tables["二"]["二.九.政府集中采购"]
    row["采购项目数量"] = row["采购总金额"] = None
    result = _check(kind, report)
    cells = result.report.tables["二"].rows["二.六.行政处罚"].cells
    assert [(c.raw, c.kind) for c in cells.values()] == [("", "blank"), ("", "blank"), ("53", "number")]
    cells = result.report.tables["二"].rows["二.九.政府集中采购"].cells
    assert [c.kind for c in cells.values()] == ["blank", "blank"]
