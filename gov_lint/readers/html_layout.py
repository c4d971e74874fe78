"""The HTML tree → the seeds' text layout, with a source map into the .html.

Blocks start new lines; a data table becomes one tab line per row on the grid
that rowspan/colspan define (`grid.place_spans`), hairline columns dropped
(`grid.drop_slivers`); `<pre>` keeps its lines; `<ol>` items get their markers.
See `readers/html.py` for the whole list of rules.  A `SimpleTable`'s cells are
read from its source text (`_simple_grid`), the same cells `_grid` finds in nodes.
"""

from __future__ import annotations

import re

from ..model import SourceMap
from . import grid as _gridmod
from .html_tree import _HIDDEN, BLOCK, CELL, SIMPLE_PARTS, SKIP, Node, SimpleTable, Text, simple_attrs

_WS_RUN = re.compile(r"\S+")  # over decoded text data only, never over markup
_SPAN_INT = re.compile(r"\s*(\d+)")



class _Buf:
    """One line (or one table cell) being built: text plus (offset, line, col) marks."""

    __slots__ = ("parts", "length", "marks", "space")

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.marks: list[tuple[int, int, int]] = []  # (0-based offset in buffer, src line, src 0-based col)
        self.space = False

    def add(self, t: Text) -> None:
        data = t.data
        if not t.literal:
            if data.isspace() or not data:
                self.space = True
                return
            self._put(data, t.line, t.col)
            return
        words = data.split()  # the same whitespace as _WS_RUN's \S
        if len(words) == 1 and len(words[0]) == len(data):  # one word, no space around it: most texts
            if self.space and self.length:
                self.parts.append(" ")
                self.length += 1
            self.space = False
            self.marks.append((self.length, t.line, t.col))
            self.parts.append(data)
            self.length += len(data)
            return
        if not words:
            if data:
                self.space = True
            return
        line, col, last = t.line, t.col, 0
        for m in _WS_RUN.finditer(data):
            start = m.start()
            if start > last:
                self.space = True
            gap = data[last:start]
            nl = gap.count("\n")
            if nl:
                line += nl
                col = len(gap) - gap.rfind("\n") - 1
            else:
                col += len(gap)
            word = m.group()
            self._put(word, line, col)
            col += len(word)
            last = m.end()
        if last < len(data):
            self.space = True

    def _put(self, word: str, line: int, col: int) -> None:
        if self.space and self.length:
            self.parts.append(" ")
            self.length += 1
        self.space = False
        self.marks.append((self.length, line, col))
        self.parts.append(word)
        self.length += len(word)

    def text(self) -> str:
        return "".join(self.parts)


class Renderer:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.smap = SourceMap()
        self.cur = _Buf()
        self.table_no = 0

    # -- lines
    def flush(self) -> None:
        cur = self.cur
        if cur.length:
            marks = cur.marks
            self.smap.set_line(
                len(self.lines) + 1, [off + 1 for off, _, _ in marks], [(line, col + 1, None) for _, line, col in marks]
            )
            self.lines.append("".join(cur.parts))
            self.cur = _Buf()
        else:
            cur.space = False

    def blank(self) -> None:
        self.flush()
        if self.lines and self.lines[-1] != "":
            self.lines.append("")

    # -- walking
    def block(self, node: Node) -> None:
        for child in node.children:
            if isinstance(child, Text):
                self.cur.add(child)
                continue
            tag = child.tag
            if tag in SKIP or child.hidden:
                continue
            if tag == "br":
                self.flush()
                continue
            if tag == "table":
                if _is_data_table(child):
                    grid = _grid(child)
                    if grid is not None:
                        self.table(child, grid)
                        continue
                self.flush()
                self.block(child)
                self.flush()
                continue
            if tag == "ol":
                self.flush()
                self.ordered_list(child)
                self.flush()
            elif tag == "pre":
                self.flush()
                self.preformatted(child)
            elif tag in BLOCK:
                self.flush()
                self.block(child)
                self.flush()
            else:
                self.block(child)

    def preformatted(self, pre: Node) -> None:
        """<pre>: lines and tabs kept as they are (a report saved as plain text inside a page)."""
        chunks: list[Text] = []

        def walk(node: Node) -> None:
            for ch in node.children:
                if isinstance(ch, Text):
                    chunks.append(ch)
                elif ch.tag == "br":
                    chunks.append(Text("\n", ch.line, ch.col, False))
                elif ch.tag not in SKIP and not ch.hidden:
                    walk(ch)

        walk(pre)
        text: list[str] = []
        marks: list[tuple[int, int, int]] = []

        def emit() -> None:
            line = "".join(text).rstrip()
            if line.strip():
                n = len(self.lines) + 1
                for off, sl, sc in marks:
                    if off < len(line):
                        self.smap.add(n, off + 1, sl, sc + 1)
                self.lines.append(line)
            text.clear()
            marks.clear()

        for t in chunks:
            line, col = t.line, t.col
            parts = t.data.split("\n") if t.literal or t.data == "\n" else [t.data]
            for i, part in enumerate(parts):
                if i:  # a newline in the text (or a <br>): the line ends
                    emit()
                    if t.literal:
                        line, col = line + 1, 0
                if part:
                    marks.append((sum(len(x) for x in text), line, col))
                    text.append(part.replace("\r", ""))
                    if t.literal:
                        col += len(part)
        emit()

    def ordered_list(self, ol: Node) -> None:
        """<ol>: each <li> gets the marker a browser draws ("1." or, for CJK list styles, "一、")."""
        kind = (ol.attrs.get("type") or "").strip()
        style = ol.attrs.get("style", "").lower()
        cjk = any(k in style for k in ("cjk-ideographic", "simp-chinese", "trad-chinese", "cjk-decimal"))
        n = _span(ol.attrs.get("start")) if ol.attrs.get("start", "").strip().isdigit() else 1
        for child in ol.children:
            if isinstance(child, Text):
                self.cur.add(child)
                continue
            if child.tag in SKIP or child.hidden:
                continue
            if child.tag != "li":
                self.flush()
                self.block(child)
                self.flush()
                continue
            if child.attrs.get("value", "").strip().isdigit():
                n = int(child.attrs["value"])
            if cjk:
                marker = _chinese_number(n) + "、"
            elif kind in ("a", "A"):
                marker = (chr(ord("a") + (n - 1) % 26) if kind == "a" else chr(ord("A") + (n - 1) % 26)) + "."
            else:
                marker = f"{n}."
            self.flush()
            self.cur.add(Text(marker, child.line, child.col, False))
            self.block(child)
            self.flush()
            n += 1

    def table(self, node: Node, grid: "_Grid") -> None:
        self.blank()
        self.table_no += 1
        if type(node) is not SimpleTable:  # (a plainly written table has no caption)
            for child in node.children:  # a <caption> is a line of its own above the rows
                if isinstance(child, Node) and child.tag == "caption" and not child.hidden:
                    self.block(child)
                    self.flush()
        width = grid.width
        lines, set_line = self.lines, self.smap.set_line
        cell_words = _cell_words(width)
        for r, row in grid.rows:
            texts = [""] * width
            for c, _span, cell in row:
                texts[c] = cell[3]
            if not any(texts):
                continue  # no text at all (e.g. Word's hidden row of column widths)
            cols: list[int] = []
            pieces: list[tuple[int, int, str | None]] = []
            before = 0  # characters of the cells left of this one
            row_words = f"表格 {self.table_no} 第 {r} 行 第 "
            for c, _span, (line_no, col, _attrs, text, marks) in row:  # columns ascending, as the source map wants them
                offset = c + before + 1  # (one tab per column before it)
                before += len(text)
                if "\t" in text:
                    texts[c] = text.replace("\t", " ")
                ctx = row_words + cell_words[c]  # "表格 1 第 2 行 第 3 格"
                cols.append(offset)
                pieces.append((line_no, col + 1, ctx))
                for off, mark_line, mark_col in marks:
                    cols.append(offset + off)
                    pieces.append((mark_line, mark_col + 1, ctx))
            set_line(len(lines) + 1, cols, pieces)
            lines.append("\t".join(texts))
        lines.append("")


_CELL_WORDS: list[str] = []


def _cell_words(width: int) -> list[str]:
    """["1 格", "2 格", …] for columns 0 … width - 1 (the end of a cell's source-map context)."""
    while len(_CELL_WORDS) < width:
        _CELL_WORDS.append(f"{len(_CELL_WORDS) + 1} 格")
    return _CELL_WORDS


def _chinese_number(n: int) -> str:
    digits = "零一二三四五六七八九"
    if 0 < n < 10:
        return digits[n]
    if 10 <= n < 100:
        return (digits[n // 10] if n >= 20 else "") + "十" + (digits[n % 10] if n % 10 else "")
    return str(n)


def _inline(node: Node, buf: _Buf) -> None:
    """A cell's content on one line: blocks and <br> become spaces."""
    for child in node.children:
        if isinstance(child, Text):
            buf.add(child)
        elif child.tag in SKIP or child.hidden:
            continue
        elif child.tag == "br" or child.tag in BLOCK:
            buf.space = True
            _inline(child, buf)
            buf.space = True
        else:
            _inline(child, buf)


def _is_data_table(table: Node) -> bool:
    """True when no table is nested inside (layout tables hold the real ones); TreeBuilder marks them."""
    return not table.nested


GridCell = tuple  # a placed cell: (src line, src 0-based col, attributes, text, marks [(offset in text, src line, src col)])


class _Grid:
    __slots__ = ("rows", "width")

    def __init__(self, rows: list[tuple[int, list[tuple[int, int, GridCell]]]], width: int) -> None:
        self.rows = rows  # (1-based <tr> number, [(first column, colspan, cell)])
        self.width = width


def _span(value: str | None) -> int:
    m = _SPAN_INT.match(value or "")
    n = int(m.group(1)) if m else 1
    return min(max(n, 1), 1000)


_WIDTH_ATTR = re.compile(r"\s*([\d.]+)\s*(px)?\s*$", re.I)
_WIDTH_STYLE = re.compile(r"(?:^|;)\s*width\s*:\s*([\d.]+)\s*(px|pt|cm|mm|in)\b", re.I)
_UNIT_PX = {"px": 1.0, "pt": 4 / 3, "cm": 96 / 2.54, "mm": 9.6 / 2.54, "in": 96.0}
_SLIVER_PX = 6.0  # no column that narrow holds a number


def _width_px(attrs: dict[str, str]) -> float | None:
    if not attrs:
        return None
    m = _WIDTH_STYLE.search(attrs.get("style", ""))
    if m:
        return float(m.group(1)) * _UNIT_PX[m.group(2).lower()]
    m = _WIDTH_ATTR.match(attrs.get("width", ""))
    return float(m.group(1)) if m else None


_ONE_WORD: dict[str, bool] = {}  # cell text → one word without space around it (cell texts repeat: "0")


def _one_word(text: str) -> bool:
    words = text.split()
    one = len(words) == 1 and len(words[0]) == len(text)
    if len(_ONE_WORD) > 65536:
        _ONE_WORD.clear()
    _ONE_WORD[text] = one
    return one


def _text_cell(text: str, line: int, col: int) -> tuple[str, list[tuple[int, int, int]]]:
    """(text, marks) of a cell whose only content is the literal text `text` at (line, col)."""
    if not text:
        return "", []
    words = text.split()
    if len(words) == 1 and len(words[0]) == len(text):  # one word, no space around it: most cells
        return text, [(0, line, col)]
    buf = _Buf()
    buf.add(Text(text, line, col, True))
    return "".join(buf.parts), buf.marks


def _grid(table: Node) -> _Grid | None:
    """Cells placed on the table grid; None for a one-column (layout-like) table."""
    if type(table) is SimpleTable and table.region is not None:
        return _simple_grid(table.region)
    trs: list[Node] = []
    todo = [table]
    while todo:  # rows of this table in document order (through tbody/thead/tfoot)
        n = todo.pop()
        for ch in reversed(n.children):
            if isinstance(ch, Node) and not ch.hidden:
                if ch.tag == "tr":
                    trs.append(ch)
                elif ch.tag not in CELL and ch.tag != "table":
                    todo.append(ch)  # tbody/thead/tfoot, or a stray wrapper such as <form>
    trs.sort(key=lambda n: (n.line, n.col))
    spans: list[list[tuple[int, int, Node]]] = [
        [(_span(cell.attrs.get("rowspan")) if cell.attrs else 1, _span(cell.attrs.get("colspan")) if cell.attrs else 1, cell)
         for cell in tr.children if type(cell) is Node and cell.tag in CELL and not cell.hidden]
        for tr in trs
    ]
    placed, width = _gridmod.place_spans(spans)
    rows: list[tuple[int, list[tuple[int, int, GridCell]]]] = []
    for r, cells in enumerate(placed):
        row = []
        for c, cs, cell in cells:
            children = cell.children
            if not children:
                text, marks = "", []
            elif len(children) == 1 and type(children[0]) is Text and children[0].literal:
                t = children[0]
                text, marks = _text_cell(t.data, t.line, t.col)  # a cell holding only text: most cells
            else:
                buf = _Buf()
                _inline(cell, buf)
                text, marks = "".join(buf.parts), buf.marks
            row.append((c, cs, (cell.line, cell.col, cell.attrs, text, marks)))
        if row:
            rows.append((r + 1, row))
    return _finish_grid(rows, width)


def _finish_grid(rows: list[tuple[int, list[tuple[int, int, GridCell]]]], width: int) -> _Grid | None:
    rows, width = _drop_slivers(rows, width)
    if width <= 1 or not rows:
        return None
    return _Grid(rows, width)


_CELL_ATTRS: dict[str, tuple[dict[str, str], bool, int, int]] = {}  # attribute text → (attrs, hidden, rowspan, colspan)


def _cell_attrs(text: str) -> tuple[dict[str, str], bool, int, int]:
    read = _CELL_ATTRS.get(text)
    if read is None:
        attrs = simple_attrs(text)
        style = attrs.get("style")
        read = (attrs, bool(style and _HIDDEN.search(style)), _span(attrs.get("rowspan")) if attrs else 1,
                _span(attrs.get("colspan")) if attrs else 1)
        if len(_CELL_ATTRS) > 4096:
            _CELL_ATTRS.clear()
        _CELL_ATTRS[text] = read
    return read


def _simple_grid(region: tuple[str, int, int, int, int]) -> _Grid | None:
    """`_grid` of a SimpleTable, read from its source text (html_tree.SIMPLE_PARTS) without building its nodes."""
    src, body, end, line, line_start = region
    pos = body
    spans: list[list[tuple[int, int, GridCell]]] = []
    row: list[tuple[int, int, GridCell]] = []
    for tr_attrs, tag, attrs_text, text, other in SIMPLE_PARTS.findall(src, body, end):
        if tag:  # <td …>text</td>
            attrs, hidden, rowspan, colspan = _CELL_ATTRS.get(attrs_text) or _cell_attrs(attrs_text)
            col = pos - line_start
            cell_line = line
            if "\n" in attrs_text:
                line += attrs_text.count("\n")
                line_start = pos + len(tag) + 2 + attrs_text.rfind("\n")
            i = pos + len(tag) + 2 + len(attrs_text)
            if not hidden:
                one = _ONE_WORD.get(text)
                if one is None:
                    one = _one_word(text)
                if one:
                    row.append((rowspan, colspan, (cell_line, col, attrs, text, [(0, line, i - line_start)])))
                else:
                    row.append((rowspan, colspan, (cell_line, col, attrs, *_text_cell(text, line, i - line_start))))
            if "\n" in text:
                line += text.count("\n")
                line_start = i + text.rfind("\n") + 1
            pos = i + len(text) + len(tag) + 3
        elif other:  # </tr>, </table> or the text between tags
            if "\n" in other:
                line += other.count("\n")
                line_start = pos + other.rfind("\n") + 1
            pos += len(other)
        else:  # <tr …>
            if _cell_attrs(tr_attrs)[1]:
                row = []  # a hidden row: its cells are collected and left out
            else:
                row = []
                spans.append(row)
            if "\n" in tr_attrs:
                line += tr_attrs.count("\n")
                line_start = pos + 4 + tr_attrs.rfind("\n")
            pos += 4 + len(tr_attrs)
    placed, width = _gridmod.place_spans(spans)
    return _finish_grid([(r + 1, cells) for r, cells in enumerate(placed) if cells], width)


def _drop_slivers(
    rows: list[tuple[int, list[tuple[int, int, GridCell]]]], width: int
) -> tuple[list[tuple[int, list[tuple[int, int, GridCell]]]], int]:
    """Remove hairline columns that exist only because cell borders do not line up.

    Word's web pages of hand-edited tables carry them (with a hidden row giving every
    column's width).  A column is a sliver when single cells give it a width under
    _SLIVER_PX; every column needs a known width for any to be dropped.
    """
    widths: dict[int, float] = {}
    for _, row in rows:
        for c, cs, cell in row:
            if cs == 1 and cell[2]:
                w = _width_px(cell[2])
                if w is not None:
                    widths[c] = min(w, widths.get(c, w))
    if len(widths) < width:
        return rows, width
    sliver = [widths[c] < _SLIVER_PX for c in range(width)]
    kept, new_width = _gridmod.drop_slivers([row for _, row in rows], width, sliver, lambda cell: cell[2][3] != "")
    return [(r, cells) for (r, _), cells in zip(rows, kept)], new_width
