"""Table grids shared by the HTML, DOCX and PDF readers.

Every reader turns a table into rows of *placed cells*: `(column, span, payload…)`,
the column being the cell's first position on the table grid and `span` how
many positions it covers.  A merged cell is written once, at its first position;
the positions it covers stay empty, so every row of a table has the same width.

* `place_spans` puts HTML-style cells (`rowspan`/`colspan`) on the grid;
* `drop_slivers` removes hairline columns that exist only because cell borders
  do not line up (Word tables edited by hand: HTML exports and DOCX files);
* `tab_line` writes one row as a tab-separated line and tells where each cell
  starts in it, for the source map.
"""

from __future__ import annotations

from typing import Callable, Sequence, TypeVar

P = TypeVar("P")
Placed = tuple  # (column, span, *payload)

MAX_SPAN = 1000  # a rowspan/colspan beyond this is damage, not layout


def place_spans(rows: Sequence[Sequence[tuple[int, int, P]]]) -> tuple[list[list[tuple[int, int, P]]], int]:
    """Cells given as (rowspan, colspan, payload) per row → (column, colspan, payload) per row, and the width.

    A cell goes to the first position of its row not covered by a cell above
    that spans down into it (the HTML table model).  Spans are clipped to
    1…MAX_SPAN and a rowspan to the rows that remain.  The width counts the
    positions covered from above too.
    """
    covered: dict[int, set[int]] = {}  # row → positions a cell from a row above spans down into
    out: list[list[tuple[int, int, P]]] = []
    width = 0
    n_rows = len(rows)
    for r, cells in enumerate(rows):
        below = covered.pop(r, None)
        placed: list[tuple[int, int, P]] = []
        c = 0
        for rowspan, colspan, payload in cells:
            if below:
                while c in below:
                    c += 1
            cs = colspan if 1 <= colspan <= MAX_SPAN else min(max(colspan, 1), MAX_SPAN)
            if rowspan > 1 and r + 1 < n_rows:
                rs = min(rowspan, MAX_SPAN, n_rows - r)
                span = range(c, c + cs)
                for dr in range(r + 1, r + rs):
                    covered.setdefault(dr, set()).update(span)
            placed.append((c, cs, payload))
            c += cs
        if c > width:
            width = c
        out.append(placed)
    return out, width


def drop_slivers(
    rows: list[list[Placed]], width: int, sliver: Sequence[bool], has_text: Callable[[Placed], bool]
) -> tuple[list[list[Placed]], int]:
    """Remove the columns marked `sliver`, unless a cell with text lies entirely inside them.

    A cell keeps its payload; its column and span are counted again over the
    columns that stay.  A cell made only of sliver columns (and so without text)
    is left out.  Returns the rows unchanged when nothing is dropped.
    """
    if len(sliver) != width or not any(sliver):
        return rows, width
    for cells in rows:
        for cell in cells:
            col, span = cell[0], cell[1]
            if has_text(cell) and all(sliver[col : col + span]):
                return rows, width  # a real (if narrow) column
    new_index: list[int] = []
    kept = 0
    for is_sliver in sliver:
        new_index.append(kept)
        kept += 0 if is_sliver else 1
    out: list[list[Placed]] = []
    for cells in rows:
        row = []
        for cell in cells:
            col, span = cell[0], cell[1]
            n = sum(1 for x in sliver[col : col + span] if not x)
            if n:
                row.append((new_index[col], n, *cell[2:]))
        out.append(row)
    return out, kept


def tab_line(texts: dict[int, str], width: int) -> tuple[str, dict[int, int]]:
    """One row: the cells' texts at their columns, joined by tabs (tabs inside a cell become spaces).

    Returns the line and the 0-based offset in it where each given column's text starts.
    """
    pieces = [""] * width
    starts: dict[int, int] = {}
    offset = 0
    for c in range(width):
        if c:
            offset += 1  # the tab
        text = texts.get(c)
        if text is None:
            continue
        text = text.replace("\t", " ")
        starts[c] = offset
        pieces[c] = text
        offset += len(text)
    return "\t".join(pieces), starts
