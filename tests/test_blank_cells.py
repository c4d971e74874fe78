"""Zeros printed as blank cells: the parser says what it could not read (P), never a false 勾稽 error.

Counterexamples of `benchmarks/blank_sweep.py` (tab and run-together text) and of the decoder's
claims about where a blank stands (P108, A110).
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

from gov_lint.check import CheckOptions, check_bytes
from gov_lint.model import BlankPlaced, DigitsUnreadable

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_properties as tp  # noqa: E402  (the blank round trip of the sweep)

BASE = Path(__file__).resolve().parent / "rule_cases" / "base" / "2021.txt"
OPTIONS = CheckOptions(plugins=False)
ROW1 = "一、本年新收政府信息公开申请数量\t\t230\t20\t3\t4\t5\t10\t272"


def _check(text: str):
    return check_bytes("r.txt", text.encode("utf-8"), OPTIONS)


def _codes(result) -> list[tuple]:
    return [(f.code, f.severity, f.table, f.row, f.column) for f in result.findings if f.code[0] in "AP"]


@pytest.mark.parametrize("tid", ["2019", "2021"])
def test_tab_row_missing_a_cell_beside_a_row_of_zeros_is_no_error(tid):
    """Tab text, 2021 seed 71685718, "dense": （一）予以公开 is `\t\t3\t0\t42\t0\t16\t61` (自然人 blank,
    read as label filler) and 3.补正后申请内容仍不明确 has two blanks.  The three blanks placed were
    summed into the cost of a broken relation, so the table was "wrong whatever the split" and its
    first reading (总计 blank, "应为 122") an A111 error.  Now blanks never add up to a broken
    relation, and a row read one way only in the first few of many equal readings is undecided."""
    tp._blank_round_trip("tab", tid, 71685718, "dense")
    synth = tp.blank_zeros(tp.generate("2021", random.Random(71685718)), random.Random(71685718), "dense")
    data, suffix = tp.encode("tab", synth)
    result = tp.check("b" + suffix, data)
    assert not [f for f in result.findings if f.code.startswith("A") and f.severity == "error"]
    assert not result.report.tables["三"].issues  # no Decoded: nothing is broken
    row = result.report.tables["三"].rows["三.一"]
    assert {c.kind for c in row.cells.values()} == {"unread"}  # reported (P103), not guessed
    assert ("P103", "warning", "三", None, None) in _codes(result)


def test_run_together_digits_that_lost_blank_cells_are_p107_not_errors():
    """`605873` for 一、本年新收 (really 60, blank, blank, blank, 5, 8, 73): six digits, seven cells; every
    reading with one blank breaks the row's sum, 60/·/·/·/5/8/73 keeps it.  The row is P107 (some
    cells may have been blank), not A103 on a reading the digits never meant."""
    text = BASE.read_text(encoding="utf-8").replace(ROW1, "一、本年新收政府信息公开申请数量\t605873")
    result = _check(text)
    row = result.report.tables["三"].rows["一"]
    (lost,) = [p for p in row.problems if isinstance(p, DigitsUnreadable)]
    assert lost.reason == "blanks"
    assert {c.kind for c in row.cells.values()} == {"unread"}
    p107 = [f for f in result.findings if f.code == "P107" and f.row == "一"]
    assert [f.message.id for f in p107] == ["P107.blanks"]
    assert not [f for f in result.findings if f.code.startswith("A") and f.severity == "error"]


def test_run_together_row_that_really_breaks_its_sum_is_still_an_error():
    """The control: `23020345101` (230/20/3/4/5/10/1, 总计 1 instead of 272) keeps no sum however
    many of its cells are blank, so it stays an error at the row."""
    text = BASE.read_text(encoding="utf-8").replace(ROW1, "一、本年新收政府信息公开申请数量\t23020345101")
    result = _check(text)
    assert any(f.code.startswith("A1") and f.severity == "error" and f.row == "一" for f in result.findings), _codes(result)
    row = result.report.tables["三"].rows["一"]
    assert not [p for p in row.problems if isinstance(p, DigitsUnreadable)]


@pytest.mark.parametrize("tid,seed", [("2021", 92297589), ("2019", 3280387012), ("2021", 3280387012)])
def test_legal_blanks_in_run_together_text_give_no_a_error(tid, seed):
    """Sweep counterexamples ("legal": the five 法人或其他组织 columns blank when 0): rows such as
    `8 351199` (83, ·, 5, 11, ·, ·, 99) lose up to five cells and were A100/A111 errors."""
    synth = tp.blank_zeros(tp.generate(tid, random.Random(seed)), random.Random(seed), "legal")
    data, suffix = tp.encode("run_together", synth)
    result = tp.check("b" + suffix, data)
    assert not [f for f in result.findings if f.code.startswith("A") and f.severity == "error"], _codes(result)
    assert tp._ambiguous_split_noted(result, "三")


def test_blank_beside_a_zero_has_no_known_place():
    """`0 00000` (a row of zeros, six digits for seven cells): the blank may be any of the seven cells
    and the values are the same.  P108 must not say its place was determined, and A110 must not name
    a cell that may not be the blank one."""
    zero_row = "\t\t6. 属于四类过程性信息\t0\t0\t0\t0\t0\t0\t0"
    text = BASE.read_text(encoding="utf-8")
    assert zero_row in text
    result = _check(text.replace(zero_row, "\t\t6. 属于四类过程性信息\t0 00000"))
    row = result.report.tables["三"].rows["三.三.6"]
    (placed,) = [p for p in row.problems if isinstance(p, BlankPlaced)]
    assert placed.known is False
    (p108,) = [f for f in result.findings if f.code == "P108"]
    assert p108.message.id == "P108.values"
    assert "唯一确定" not in p108.text("zh") and "无法确定是哪一格留空" in p108.text("zh")
    assert not [f for f in result.findings if f.code == "A110"]
    assert not [f for f in result.findings if f.severity == "error"]



@pytest.mark.parametrize("text,fits", [
    ("605873", True),          # 60 + 5 + 8 = 73, three cells blank
    ("7323564218851", True),   # 732 + 3 + 56 + 42 + 18 = 851, one cell blank (13 digits: no blank in the usual cut)
    ("0101020", True),         # 0 + 10 + 10 = 20
    ("12700000", False),       # 127,0,0,0,0,0 and a blank 总计: no sum, however many blanks
    ("23020345101", False),    # a wrong 总计 stays wrong
    ("1111116", False),        # 1+1+1+1+1+1 = 6 fills every cell: no blank beyond the usual cut, as the general walk asks
])
def test_parts_make_total(text, fits):
    """The lost-blanks test for a row whose last cell is the sum of the others, counted in steps."""
    from gov_lint.parse.decode import MAX_RUN_STEPS, STEPS, _parts_make_total

    STEPS.reset()
    assert _parts_make_total(text, 7) is fits
    assert STEPS.steps <= MAX_RUN_STEPS


def test_parts_make_total_stops_at_its_bound():
    """A hostile run of 41 digits: the walk stops after MAX_RUN_STEPS steps and answers no."""
    from gov_lint.parse.decode import MAX_RUN_STEPS, STEPS, _parts_make_total

    digits = "".join(str(1 + (i * 7) % 9) for i in range(41))
    STEPS.reset()
    _parts_make_total(digits, 7)
    assert STEPS.steps <= MAX_RUN_STEPS + 1
