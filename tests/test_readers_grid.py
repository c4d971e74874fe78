"""Property: any table with merged cells comes out of the HTML and DOCX readers
as one tab line per row that has text, every row the table's full width, each
merged cell at its first position and nowhere else."""

from __future__ import annotations

import html
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gov_lint.readers import read_bytes

TEXTS = st.sampled_from(["", "0", "7", "12", "148", "自然人", "（一）予以公开", "1.属于国家秘密", "总计", "a&b"])


@st.composite
def merged_tables(draw):
    """(rows, cols, cells): cells maps an anchor (r, c) to (rowspan, colspan, text); the rectangles tile the grid."""
    rows = draw(st.integers(1, 6))
    cols = draw(st.integers(2, 7))
    taken: set[tuple[int, int]] = set()
    cells: dict[tuple[int, int], tuple[int, int, str]] = {}
    for r in range(rows):
        for c in range(cols):
            if (r, c) in taken:
                continue
            max_cs = 0
            while c + max_cs < cols and (r, c + max_cs) not in taken:
                max_cs += 1
            cs = draw(st.integers(1, max_cs))
            rs = draw(st.integers(1, rows - r))
            for dr in range(rs):
                for dc in range(cs):
                    taken.add((r + dr, c + dc))
            cells[(r, c)] = (rs, cs, draw(TEXTS))
    return rows, cols, cells


def expected_lines(rows: int, cols: int, cells) -> list[str]:
    out = []
    for r in range(rows):
        if not any(cells[(rr, c)][2] for rr, c in cells if rr == r):
            continue  # a row without text of its own (all merged from above, or all empty) is left out
        out.append("\t".join(cells[(r, c)][2] if (r, c) in cells else "" for c in range(cols)))
    return out


def table_lines(doc) -> list[str]:
    """The row lines between the paragraphs 表前 and 表后 (every row has a tab: cols >= 2)."""
    start = doc.lines.index("表前") + 1
    end = doc.lines.index("表后")
    return [ln for ln in doc.lines[start:end] if "\t" in ln]


def _html(rows, cols, cells) -> bytes:
    out = ["<html><body><p>表前</p><table border=1>"]
    for r in range(rows):
        out.append("<tr>")
        for c in range(cols):
            if (r, c) in cells:
                rs, cs, text = cells[(r, c)]
                out.append(f'<td rowspan="{rs}" colspan="{cs}"><span>{html.escape(text)}</span></td>')
        out.append("</tr>\n")
    out.append("</table><p>表后</p></body></html>")
    return "".join(out).encode("utf-8")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(merged_tables())
def test_html_merged_cells_grid(table):
    rows, cols, cells = table
    doc = read_bytes("t.html", _html(rows, cols, cells))
    assert table_lines(doc) == expected_lines(rows, cols, cells)


docx = pytest.importorskip("docx")


def _docx(rows, cols, cells) -> bytes:
    d = docx.Document()
    d.add_paragraph("表前")
    t = d.add_table(rows=rows, cols=cols)
    for (r, c), (rs, cs, text) in cells.items():
        cell = t.cell(r, c)
        if rs > 1 or cs > 1:
            cell = cell.merge(t.cell(r + rs - 1, c + cs - 1))
        cell.text = text
    d.add_paragraph("表后")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(merged_tables())
def test_docx_merged_cells_grid(table):
    rows, cols, cells = table
    doc = read_bytes("t.docx", _docx(rows, cols, cells))
    assert table_lines(doc) == expected_lines(rows, cols, cells)
