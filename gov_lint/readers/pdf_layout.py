"""A PDF page's glyphs and rules → ruled tables and text lines, as pdfplumber reads them.

The same steps and tolerances as pdfplumber's defaults (`pdf.py` read its
output before PDFium took over), on the glyphs and rules `pdf_page.py` gets
from PDFium:

* **tables** (pdfplumber's "lines" strategy): rules shorter than 1 pt are
  dropped; rules within 3 pt of one another are snapped to their mean position
  and collinear ones less than 3 pt apart joined; rules shorter than 3 pt are
  dropped; where a vertical and a horizontal rule meet (3 pt tolerance) is a
  corner; a cell is the smallest rectangle of corners joined by rules; cells that
  share corners are one table (a table of one cell is a framed box, not a table).
  A table's rows are its cells grouped by their top, its columns their left
  edges; a position where no cell starts is None (covered by a merged cell).
* **cell text**: the glyphs whose centre lies in the cell, read as text lines.
* **text lines**: glyphs clustered into lines by their top (3 pt chain
  tolerance), sorted left to right, split into words at spaces and at gaps over
  3 pt; words are joined by a space, or by a tab where the gap is 1.5 times the
  font size or more (columns of a table drawn without rules).

Every step is polynomial: the corners are at most (vertical × horizontal rules),
and each cell is looked for among the corners on its column and its row.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import Iterable, Sequence

from ..budget import spend
from .pdf_page import Glyph, Rule

TOLERANCE = 3.0  # pdfplumber's snap, join, intersection, x and y tolerances
MIN_RULE = 3.0  # pdfplumber's edge_min_length
MIN_RULE_FIRST = 1.0  # pdfplumber's edge_min_length_prefilter
COLUMN_GAP = 1.5  # in font sizes: a wider gap in a text line is a column boundary ("\t")

Box = tuple[float, float, float, float]  # x0, top, x1, bottom


class Table:
    """A ruled table: its cells (x0, top, x1, bottom) and their bounding box."""

    __slots__ = ("cells", "bbox")

    def __init__(self, cells: list[Box]) -> None:
        self.cells = cells
        self.bbox: Box = (
            min(c[0] for c in cells), min(c[1] for c in cells), max(c[2] for c in cells), max(c[3] for c in cells)
        )

    def rows(self) -> list[list[Box | None]]:
        """Cells by row (grouped by top), on the columns of the table (the cells' left edges)."""
        xs = sorted({c[0] for c in self.cells})
        by_top: dict[float, dict[float, Box]] = {}
        for cell in sorted(self.cells, key=lambda c: (c[1], c[0])):
            by_top.setdefault(cell[1], {})[cell[0]] = cell
        return [[row.get(x) for x in xs] for _top, row in sorted(by_top.items())]


def cluster(values: Iterable[float], tolerance: float) -> dict[float, int]:
    """Each distinct value → its cluster number: sorted values within `tolerance` of the previous one chain."""
    out: dict[float, int] = {}
    n = -1
    last = None
    for v in sorted(set(values)):
        if last is None or v > last + tolerance:
            n += 1
        out[v] = n
        last = v
    return out


# --------------------------------------------------------------------------- tables


def _snap(edges: list[tuple[float, float, float]]) -> list[tuple[float, float, float]]:
    """Edges (position, start, end) within TOLERANCE of one another moved to their mean position."""
    groups: dict[int, list[tuple[float, float, float]]] = {}
    ids = cluster((e[0] for e in edges), TOLERANCE)
    for e in edges:
        groups.setdefault(ids[e[0]], []).append(e)
    out = []
    for group in groups.values():
        mean = sum(e[0] for e in group) / len(group)
        out.extend((mean, e[1], e[2]) for e in group)
    return out


def _join(edges: list[tuple[float, float, float]]) -> list[tuple[float, float, float]]:
    """Collinear edges that overlap or lie less than TOLERANCE apart joined into one."""
    out: list[tuple[float, float, float]] = []
    for e in sorted(edges, key=lambda e: (e[0], e[1])):
        if out and out[-1][0] == e[0] and e[1] <= out[-1][2] + TOLERANCE:
            if e[2] > out[-1][2]:
                out[-1] = (e[0], out[-1][1], e[2])
        else:
            out.append(e)
    return out


def find_tables(rules: Sequence[Rule]) -> list[Table]:
    """The ruled tables, top to bottom (then left to right)."""
    h = [(r[1], r[2], r[3]) for r in rules if r[0] == "h" and r[3] - r[2] >= MIN_RULE_FIRST]
    v = [(r[1], r[2], r[3]) for r in rules if r[0] == "v" and r[3] - r[2] >= MIN_RULE_FIRST]
    h = [e for e in _join(_snap(h)) if e[2] - e[1] >= MIN_RULE]
    v = [e for e in _join(_snap(v)) if e[2] - e[1] >= MIN_RULE]
    if not h or not v:
        return []
    spend(len(h) * len(v))  # the corner search below tries every pair (budget.py: a step each)
    # corners: (x, top) → the vertical and horizontal edges through it
    corners: dict[tuple[float, float], tuple[set, set]] = {}
    t = TOLERANCE
    for ve in sorted(v, key=lambda e: (e[0], e[1])):
        x, top, bottom = ve
        for he in sorted(h, key=lambda e: (e[0], e[1])):
            y, x0, x1 = he
            if top <= y + t and bottom >= y - t and x0 - t <= x <= x1 + t:
                vs, hs = corners.setdefault((x, y), (set(), set()))
                vs.add(ve)
                hs.add(he)
    cells = _cells(corners)
    return [Table(group) for group in _group(cells)]


def _cells(corners: dict[tuple[float, float], tuple[set, set]]) -> list[Box]:
    """For each corner, the smallest rectangle of corners joined by edges that it is the top left of."""
    down: dict[float, list[float]] = {}  # x → the corners' tops on that vertical
    across: dict[float, list[float]] = {}  # top → the corners' x on that horizontal
    for x, y in corners:
        down.setdefault(x, []).append(y)
        across.setdefault(y, []).append(x)
    for ys in down.values():
        ys.sort()
    for xs in across.values():
        xs.sort()

    def vertical(p: tuple[float, float], q: tuple[float, float]) -> bool:
        return not corners[p][0].isdisjoint(corners[q][0])

    def horizontal(p: tuple[float, float], q: tuple[float, float]) -> bool:
        return not corners[p][1].isdisjoint(corners[q][1])

    cells: list[Box] = []
    for x, y in sorted(corners):
        pt = (x, y)
        below = [(x, b) for b in down[x] if b > y]
        right = [(r, y) for r in across[y] if r > x]
        spend(len(below) * len(right) + 1)  # at most every pair is tried
        found = None
        for bp in below:
            if not vertical(pt, bp):
                continue
            for rp in right:
                if not horizontal(pt, rp):
                    continue
                corner = (rp[0], bp[1])
                if corner in corners and vertical(corner, rp) and horizontal(corner, bp):
                    found = (x, y, rp[0], bp[1])
                    break
            if found:
                break
        if found:
            cells.append(found)
    return cells


def _group(cells: list[Box]) -> list[list[Box]]:
    """Cells that share corners, transitively: one table each; tables of one cell are dropped."""
    parent = list(range(len(cells)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[tuple[float, float], int] = {}
    for i, (x0, top, x1, bottom) in enumerate(cells):
        for corner in ((x0, top), (x0, bottom), (x1, top), (x1, bottom)):
            j = owner.setdefault(corner, i)
            if j != i:
                parent[find(i)] = find(j)
    groups: dict[int, list[Box]] = {}
    for i, cell in enumerate(cells):
        groups.setdefault(find(i), []).append(cell)
    tables = sorted(groups.values(), key=lambda g: min((c[1], c[0]) for c in g))
    return [g for g in tables if len(g) > 1]


def is_table(rows: Sequence[Sequence[str | None]]) -> bool:
    """Rows read from a ruled frame (ours or pdfplumber's) make a table when some row has two or more columns.

    A frame of one column (a framed note, a box around a heading) is not a table:
    its text is left to the page's text lines.
    """
    return any(len(row) > 1 for row in rows)


def inside(glyph: Glyph, box: Box) -> bool:
    """The glyph's centre lies in the box (left and top edges included)."""
    h = (glyph[0] + glyph[1]) / 2
    v = (glyph[2] + glyph[3]) / 2
    return box[0] <= h < box[2] and box[1] <= v < box[3]


def overlaps(glyph: Glyph, box: Box) -> bool:
    """The glyph's box and `box` share some area."""
    return max(glyph[0], box[0]) < min(glyph[1], box[2]) and max(glyph[2], box[1]) < min(glyph[3], box[3])


def table_rows(table: Table, glyphs: Sequence[Glyph]) -> list[list[str | None]]:
    """The table's rows as cell texts (lines joined by "\\n"); None where a merged cell covers the position.

    A cell's glyphs are those whose centre lies in it; candidates are found by
    bisection on the centres (sorted once), so a table costs O(glyphs · log).
    """
    centred = sorted(((g[2] + g[3]) / 2, (g[0] + g[1]) / 2, i, g) for i, g in enumerate(glyphs) if inside(g, table.bbox))
    vs = [c[0] for c in centred]
    out: list[list[str | None]] = []
    for row in table.rows():
        present = [c for c in row if c is not None]
        if not present:
            out.append([None] * len(row))
            continue
        top, bottom = min(c[1] for c in present), max(c[3] for c in present)
        in_row = sorted((h, v, i, g) for v, h, i, g in centred[bisect_left(vs, top) : bisect_left(vs, bottom)])
        hs = [c[0] for c in in_row]
        texts: list[str | None] = []
        for cell in row:
            if cell is None:
                texts.append(None)
                continue
            x0, ctop, x1, cbottom = cell
            mine = sorted((i, g) for h, v, i, g in in_row[bisect_left(hs, x0) : bisect_left(hs, x1)] if ctop <= v < cbottom)
            texts.append("\n".join(text for _top, text in lines([g for _i, g in mine], tabs=False)))
        out.append(texts)
    return out


# --------------------------------------------------------------------------- text lines


def lines(glyphs: Sequence[Glyph], tabs: bool = True) -> list[tuple[float, str]]:
    """(top, text) of each text line, top to bottom (see the module docstring)."""
    if not glyphs:
        return []
    ids = cluster((g[2] for g in glyphs), TOLERANCE)
    rows: dict[int, list[Glyph]] = {}
    for g in glyphs:
        rows.setdefault(ids[g[2]], []).append(g)
    out: list[tuple[float, str]] = []
    for n in sorted(rows):
        words = _words(sorted(rows[n], key=_x0))
        if not words:
            continue
        parts = ["".join(g[4] for g in words[0])]
        for prev, word in zip(words, words[1:]):
            a, b = prev[-1], word[0]
            wide = tabs and b[0] - a[1] >= COLUMN_GAP * max(a[5], b[5], 1.0)
            parts.append("\t" if wide else " ")
            parts.append("".join(g[4] for g in word))
        out.append((min(g[2] for w in words for g in w), "".join(parts)))
    return out


def _x0(g: Glyph) -> float:
    return g[0]


def _words(glyphs: list[Glyph]) -> list[list[Glyph]]:
    """A line's glyphs (left to right) split into words at spaces and at gaps wider than TOLERANCE."""
    words: list[list[Glyph]] = []
    word: list[Glyph] = []
    for g in glyphs:
        if g[4].isspace():
            if word:
                words.append(word)
            word = []
            continue
        if word:
            p = word[-1]
            if g[0] < p[0] or g[0] > p[1] + TOLERANCE or abs(g[2] - p[2]) > TOLERANCE:
                words.append(word)
                word = []
        word.append(g)
    if word:
        words.append(word)
    return words
