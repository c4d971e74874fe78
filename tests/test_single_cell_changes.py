"""Every single-cell change of a consistent report is found at the right place.

For each number of the section-三 and section-四 tables of the rule-case bases
(tab layout, PDF layout with trailing cells, and markdown pipes):

* the number + 1: in the section-三 table, where every cell lies in a row sum and
  a column relation, exactly one error, A100 at that cell, with the printed number
  as `expected` (error localisation); in the section-四 table, where one group's
  sum breaks and any of its five cells could be the wrong one, an error (A104)
  whose cell or related cells include the changed one;
* the cell left blank: where the number was not 0, an A111 at that cell with the
  number as `expected`, and no other arithmetic finding; where it was 0, only the
  A110 warning.  A blank 自然人 cell directly after the label cannot be told from
  the empty layout cell between label and numbers, so the row has six numbers for
  seven cells: the decoder places the blank where the relations allow (A111 at
  自然人 with the number); in a zero row every place fits, so the row is unread
  (P103) and nothing is computed from it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gov_lint.check import CheckOptions, check_bytes
from gov_lint.model import Document
from gov_lint.parse import parse

BASES = Path(__file__).resolve().parent / "rule_cases" / "base"
OPTIONS = CheckOptions(plugins=False)
RELATIONS = ("A101", "A102", "A103", "A104", "A105")


def markdown(text: str) -> str:
    return "\n".join("| " + " | ".join(line.split("\t")) + " |" if "\t" in line else line for line in text.split("\n"))


LAYOUTS = {
    "2021": lambda: (BASES / "2021.txt").read_text(encoding="utf-8"),
    "2019": lambda: (BASES / "2019.txt").read_text(encoding="utf-8"),
    "2021-pdf": lambda: (BASES / "2021-pdf.txt").read_text(encoding="utf-8"),
    "2019-markdown": lambda: markdown((BASES / "2019.txt").read_text(encoding="utf-8")),
}


def number_cells(text: str):
    report = parse(Document("base.txt", text))
    for tid in ("三", "四"):
        for rk, row in report.tables[tid].rows.items():
            for col, c in row.cells.items():
                assert c.kind == "number" and c.span is not None, (tid, rk, col)
                yield tid, rk, col, c


def replace_at(text: str, span, new: str) -> str:
    lines = text.split("\n")
    line = lines[span.line - 1]
    lines[span.line - 1] = line[: span.col - 1] + new + line[span.end_col - 1 :]
    return "\n".join(lines)


def findings(text: str):
    return check_bytes("changed.txt", text.encode("utf-8"), OPTIONS).findings


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_every_changed_number_is_found(layout):
    text = LAYOUTS[layout]()
    missed = []
    n = 0
    for tid, rk, col, c in number_cells(text):
        n += 1
        found = findings(replace_at(text, c.span, str(c.value + 1)))
        errors = [f for f in found if f.severity == "error" and f.code.startswith("A")]
        if tid == "三":
            got = [(f.code, f.table, f.row, f.column, f.expected) for f in errors]
            if got != [("A100", tid, rk, col, str(c.value))]:
                missed.append((tid, rk, col, got))
            continue
        start = (c.span.line, c.span.col)
        if not any((f.table, f.row, f.column) == (tid, rk, col)
                   or any(r.span is not None and (r.span.line, r.span.col) == start for r in f.related)
                   for f in errors):
            missed.append((tid, rk, col, [(f.code, f.row, f.column) for f in found]))
    assert n >= 25 * 7 - 14 + 15
    assert not missed, missed[:5]


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_every_blanked_number_is_found(layout):
    text = LAYOUTS[layout]()
    wrong = []
    for tid, rk, col, c in number_cells(text):
        got = [(f.code, f.table, f.row, f.column, f.expected) for f in findings(replace_at(text, c.span, ""))
               if f.code[0] in "PA"]
        if tid == "三" and col == "自然人" and not c.value:
            # a zero row missing one number: every place of the blank fits, so it is unread
            ok = [g[0] for g in got] == ["P103"] and got[0][2] == rk
        elif tid == "三" and col == "自然人":
            # the row lost a cell; only the 自然人 place keeps the relations, and the blank needs the number
            ok = [g for g in got if g[0] != "P108"] == [("A111", tid, rk, col, str(c.value))]
        elif c.value:
            ok = got == [("A111", tid, rk, col, str(c.value))]
        else:
            ok = got == [("A110", tid, rk, col, "0")]
        if not ok:
            wrong.append((tid, rk, col, c.value, got))
    assert not wrong, wrong[:5]
