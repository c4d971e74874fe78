"""Shortcuts in the T, M and A rules find what the plain loops found.

* `structure.text_headings` is remembered per report (T201, T202 and T204 ask).
* `builtin._plainly_valid` skips the column-kind lookup for cells that are valid in a
  column of any kind; compared with `_invalid` for every kind.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from gov_lint.model import Cell, Document, Report
from gov_lint.rules.base import CheckContext
from gov_lint.rules.builtin import _invalid, _plainly_valid
from gov_lint.rules.structure import text_headings


def test_text_headings_are_found_once_per_report():
    report = Report(document=Document("t.txt", "标题\n一、总体情况\n正文。\n\t五、表格里\n## 五、存在的主要问题\n"))
    assert [(h.number, h.span.line, h.on_topic) for h in text_headings(report)] == [("一", 2, True), ("五", 5, True)]
    assert text_headings(report) is text_headings(report)  # remembered for the report
    other = Report(document=Document("u.txt", "二、别的标题\n"))
    assert [(h.number, h.title, h.on_topic) for h in text_headings(other)] == [("二", "别的标题", False)]
    assert [h.number for h in text_headings(report)] == ["一", "五"]


VALUES = st.one_of(st.none(), st.integers(-5, 5), st.sampled_from([Decimal("1.5"), Decimal("-2.25"), Decimal("0")]))


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["number", "blank", "dash", "text", "unread"]), VALUES, st.booleans())
def test_plainly_valid_cells_are_valid_in_every_column_kind(kind: str, value, signed: bool):
    cell = Cell("x", value if kind == "number" else None, kind, None, None, signed)
    if kind == "number" and cell.value is None:
        cell.value = 0
    if _plainly_valid(cell):
        ctx = CheckContext()
        for column_kind in ("count", "signed", "money"):
            assert _invalid(cell, column_kind, ctx) is None


PLAN_PIECES = ["2023年", "2024 年度", ",", "，", "我镇", "将", "继续", "进一步", "以", "。", "\n", ";", "(一)", " ", "x", "将要"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PLAN_PIECES), max_size=16).map("".join))
def test_plans_as_the_plain_pattern(text: str):
    from gov_lint.rules.metadata import _PLAN, _plans

    assert [(m.span(), m.span("y"), m.end()) for m in _plans(text)] == \
        [(m.span(), m.span("y"), m.end()) for m in _PLAN.finditer(text)]


def _residual_loop(lin, values):
    total = lin.const
    for i, k in zip(lin.idx, lin.coef):
        v = values[i]
        if v is None:
            return None
        total += k * v
    return total


CELL_VALUES = st.one_of(st.none(), st.integers(0, 10**6), st.decimals(min_value=0, max_value=10**6, places=2))


@settings(max_examples=200, deadline=None)
@given(st.data(), st.sampled_from(["2019", "2021"]))
def test_compiled_residuals_as_the_loop(data, template_id: str):
    """relations.Linear.residual (one compiled expression) gives the loop's value, type and exponent."""
    from gov_lint.relations import compiled

    for ct in compiled(template_id).values():
        values = data.draw(st.lists(CELL_VALUES, min_size=len(ct.cells), max_size=len(ct.cells)))
        for lin in ct.linear:
            got, want = lin.residual(values), _residual_loop(lin, values)
            assert got == want and type(got) is type(want) and str(got) == str(want)
