"""HTML: a saved web page or a Word "save as web page" → Document.

The page is parsed with the standard library's `html.parser` (a real tokenizer
that reports the line and column of every tag and text chunk) into a small tree,
then rendered in the seeds' text layout:

* headings, paragraphs, list items, divs … start new lines; `<br>` too;
* a data table (one without tables nested inside it) becomes one line per
  `<tr>`, its cells joined by "\\t" on the grid that `rowspan`/`colspan` define:
  a merged cell is written once, at its first position, and the positions it
  covers stay empty strings, so every row of a table has the same positions;
* a row without any text (all merged from above, or Word's hidden row of column
  widths) is left out; a hairline column that only exists because borders do not
  line up (narrower than 6 px by the cells' widths) is dropped;
* a layout table (one that holds other tables) or a one-column table is read as
  ordinary blocks;
* `<pre>` keeps its lines and tabs; `<ol>` items get the marker a browser draws;
* `<script>`, `<style>`, `<template>`, `<head>` (except `<title>`), comments,
  conditional comments and elements hidden with `display:none` are skipped;
* whitespace runs, `&nbsp;` and Word's `<o:p> </o:p>` collapse to one space
  (none at the start or end of a line or cell); text split across `<span>`s
  or `<font>`s joins as the browser shows it.

Every emitted run of text gets a source-map entry pointing at its line and
column in the HTML file, so a diagnostic on a cell points into the .html.
"""

from __future__ import annotations

import html as _html
import re
from html.parser import HTMLParser

from ..model import Document, SourceMap
from .errors import ReadError
from .text import decode

# --------------------------------------------------------------------------- tree

VOID = frozenset(
    "area base br col embed hr img input link meta param source track wbr basefont bgsound frame keygen".split()
)
BLOCK = frozenset(
    """address article aside blockquote body caption center dd details dialog dir div dl dt fieldset
    figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html li main menu nav ol option p
    pre section summary table tbody thead tfoot tr td th ul legend""".split()
)
SKIP = frozenset("script style template noscript svg math iframe object head title select button textarea".split())
HEAD_OK = frozenset("title meta link style script base noscript template".split())
CELL = frozenset(("td", "th"))
TABLE_SECTION = frozenset(("tbody", "thead", "tfoot"))

_WS_RUN = re.compile(r"\S+")  # over decoded text data only, never over markup
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_SPAN_INT = re.compile(r"\s*(\d+)")
_PUBDATE_NAMES = frozenset(
    """pubdate publishdate articlepubdate article:published_time publish_date dc.date.issued dc.date
    firstpublishedtime publishtime""".split()
)
_META_KEYS = {
    "author": "author",
    "contentsource": "source",
    "dc.publisher": "publisher",
    "sitename": "site",
    "articletitle": "article_title",
    "dc.title": "article_title",
}
_DATE = re.compile(r"(\d{4})\s*[-/年.]\s*(\d{1,2})\s*[-/月.]\s*(\d{1,2})")


class _Text:
    __slots__ = ("data", "line", "col", "literal")

    def __init__(self, data: str, line: int, col: int, literal: bool) -> None:
        self.data = data
        self.line = line
        self.col = col  # 0-based, as html.parser reports it
        self.literal = literal  # False for a character reference: all of it maps to the '&'


class _Node:
    __slots__ = ("tag", "attrs", "children", "line", "col", "hidden")

    def __init__(self, tag: str, attrs: dict[str, str], line: int, col: int) -> None:
        self.tag = tag
        self.attrs = attrs
        self.children: list[_Node | _Text] = []
        self.line = line
        self.col = col
        self.hidden = bool(_HIDDEN.search(attrs.get("style", "")))


MAX_DEPTH = 128  # open elements kept nested; deeper ones are read as siblings (the walk recurses per level)


class _TreeBuilder(HTMLParser):
    """html.parser events → a tree, closing implied ends the way browsers do."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.root = _Node("#root", {}, 1, 0)
        self.stack: list[_Node] = [self.root]
        self.meta: dict[str, str] = {}
        self._title: list[str] | None = None
        self._pubtime: list[str] | None = None

    # -- helpers
    def _in(self, tag: str, boundary: frozenset[str] = frozenset()) -> int:
        """Index in the stack of the nearest open `tag`, not crossing `boundary`; -1 if none."""
        for i in range(len(self.stack) - 1, 0, -1):
            t = self.stack[i].tag
            if t == tag:
                return i
            if t in boundary:
                return -1
        return -1

    def _pop_to(self, i: int) -> None:
        del self.stack[i:]

    # -- events
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, col = self.getpos()
        a = {k: (v or "") for k, v in attrs}
        if tag == "meta":
            self._meta(a)
        top = self.stack[-1].tag
        if top == "head" and tag not in HEAD_OK:
            self.stack.pop()  # body content implies </head>
        if tag == "body":
            i = self._in("head")
            if i > 0:
                self._pop_to(i)
        elif tag in CELL:
            i = max(self._in("td", frozenset({"table"})), self._in("th", frozenset({"table"})))
            if i > 0:
                self._pop_to(i)
        elif tag == "tr":
            i = self._in("tr", frozenset({"table"}))
            if i > 0:
                self._pop_to(i)
        elif tag in TABLE_SECTION:
            i = self._in("table")
            if i > 0:
                self._pop_to(i + 1)
        elif tag == "li":
            i = self._in("li", frozenset({"ul", "ol", "table", "td", "th"}))
            if i > 0:
                self._pop_to(i)
        elif tag in ("p", "div", "table", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6"):
            i = self._in("p", frozenset({"td", "th", "table", "div", "li", "body"}))
            if i > 0 and tag != "div":
                self._pop_to(i)
        if tag == "title" and self._title is None and "title" not in self.meta:
            self._title = []
        if tag == "publishtime":
            self._pubtime = []
        node = _Node(tag, a, line, col)
        self.stack[-1].children.append(node)
        if tag not in VOID and len(self.stack) < MAX_DEPTH:  # deeper elements are flattened (harden: no recursion overflow)
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, col = self.getpos()
        a = {k: (v or "") for k, v in attrs}
        if tag == "meta":
            self._meta(a)
        self.stack[-1].children.append(_Node(tag, a, line, col))

    def handle_endtag(self, tag: str) -> None:
        if tag == "title" and self._title is not None:
            title = " ".join("".join(self._title).split())
            if title:
                self.meta["title"] = title
            self._title = None
        if tag == "publishtime" and self._pubtime is not None:
            self._set_date("published", "".join(self._pubtime))
            self._pubtime = None
        if tag in VOID:
            return
        if tag == "table":
            boundary: frozenset[str] = frozenset()
        elif tag in CELL or tag == "tr" or tag in TABLE_SECTION:
            boundary = frozenset({"table"})
        else:
            boundary = frozenset({"td", "th", "table"})
        i = self._in(tag, boundary)
        if i > 0:
            self._pop_to(i)

    def handle_data(self, data: str) -> None:
        line, col = self.getpos()
        self._collect(data)
        self.stack[-1].children.append(_Text(data, line, col, True))

    def _ref(self, text: str) -> None:
        line, col = self.getpos()
        self._collect(text)
        self.stack[-1].children.append(_Text(text, line, col, False))

    def handle_entityref(self, name: str) -> None:
        self._ref(_html.unescape(f"&{name};") if name else "&")

    def handle_charref(self, name: str) -> None:
        self._ref(_html.unescape(f"&#{name};"))

    def _collect(self, text: str) -> None:
        if self._title is not None:
            self._title.append(text)
        if self._pubtime is not None:
            self._pubtime.append(text)

    def _meta(self, a: dict[str, str]) -> None:
        name = (a.get("name") or a.get("property") or a.get("http-equiv") or "").lower()
        content = a.get("content", "")
        if not name or not content:
            return
        if name in _PUBDATE_NAMES:
            self._set_date("published", content)
        elif name in _META_KEYS:
            self.meta.setdefault(_META_KEYS[name], content.strip())

    def _set_date(self, key: str, text: str) -> None:
        m = _DATE.search(text)
        if m and key not in self.meta:
            y, mo, d = (int(g) for g in m.groups())
            if 1 <= mo <= 12 and 1 <= d <= 31:
                self.meta[key] = f"{y:04d}-{mo:02d}-{d:02d}"

    # Comments, conditional comments, declarations and processing instructions: ignored.
    def handle_comment(self, data: str) -> None:
        pass

    def unknown_decl(self, data: str) -> None:
        pass


# --------------------------------------------------------------------------- rendering


class _Buf:
    """One line (or one table cell) being built: text plus (offset, line, col) marks."""

    __slots__ = ("parts", "length", "marks", "space")

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.marks: list[tuple[int, int, int]] = []  # (0-based offset in buffer, src line, src 0-based col)
        self.space = False

    def add(self, t: _Text) -> None:
        data = t.data
        if not t.literal:
            if data.isspace() or not data:
                self.space = True
                return
            self._put(data, t.line, t.col)
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


class _Renderer:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.smap = SourceMap()
        self.cur = _Buf()
        self.table_no = 0

    # -- lines
    def flush(self) -> None:
        if self.cur.length:
            n = len(self.lines) + 1
            for off, line, col in self.cur.marks:
                self.smap.add(n, off + 1, line, col + 1)
            self.lines.append(self.cur.text())
        self.cur = _Buf()

    def blank(self) -> None:
        self.flush()
        if self.lines and self.lines[-1] != "":
            self.lines.append("")

    # -- walking
    def block(self, node: _Node) -> None:
        for child in node.children:
            if isinstance(child, _Text):
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

    def preformatted(self, pre: _Node) -> None:
        """<pre>: lines and tabs kept as they are (a report saved as plain text inside a page)."""
        chunks: list[_Text] = []

        def walk(node: _Node) -> None:
            for ch in node.children:
                if isinstance(ch, _Text):
                    chunks.append(ch)
                elif ch.tag == "br":
                    chunks.append(_Text("\n", ch.line, ch.col, False))
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

    def ordered_list(self, ol: _Node) -> None:
        """<ol>: each <li> gets the marker a browser draws ("1." or, for CJK list styles, "一、")."""
        kind = (ol.attrs.get("type") or "").strip()
        style = ol.attrs.get("style", "").lower()
        cjk = any(k in style for k in ("cjk-ideographic", "simp-chinese", "trad-chinese", "cjk-decimal"))
        n = _span(ol.attrs.get("start")) if ol.attrs.get("start", "").strip().isdigit() else 1
        for child in ol.children:
            if isinstance(child, _Text):
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
            self.cur.add(_Text(marker, child.line, child.col, False))
            self.block(child)
            self.flush()
            n += 1

    def table(self, node: _Node, grid: "_Grid") -> None:
        self.blank()
        self.table_no += 1
        for child in node.children:  # a <caption> is a line of its own above the rows
            if isinstance(child, _Node) and child.tag == "caption" and not child.hidden:
                self.block(child)
                self.flush()
        for r, row in grid.rows:
            if not any(buf.length for _, _, _, buf in row):
                continue  # no text at all (e.g. Word's hidden row of column widths)
            n = len(self.lines) + 1
            pieces = [""] * grid.width
            cells = {c: (cell, buf) for c, _span, cell, buf in row}
            offset = 0
            for c in range(grid.width):
                if c:
                    offset += 1  # the tab
                if c not in cells:
                    continue
                cell, buf = cells[c]
                text = buf.text().replace("\t", " ")
                ctx = f"表格 {self.table_no} 第 {r} 行 第 {c + 1} 格"
                self.smap.add(n, offset + 1, cell.line, cell.col + 1, ctx)
                for off, line, col in buf.marks:
                    self.smap.add(n, offset + off + 1, line, col + 1, ctx)
                pieces[c] = text
                offset += len(text)
            self.lines.append("\t".join(pieces))
        self.lines.append("")


def _chinese_number(n: int) -> str:
    digits = "零一二三四五六七八九"
    if 0 < n < 10:
        return digits[n]
    if 10 <= n < 100:
        return (digits[n // 10] if n >= 20 else "") + "十" + (digits[n % 10] if n % 10 else "")
    return str(n)


def _inline(node: _Node, buf: _Buf) -> None:
    """A cell's content on one line: blocks and <br> become spaces."""
    for child in node.children:
        if isinstance(child, _Text):
            buf.add(child)
        elif child.tag in SKIP or child.hidden:
            continue
        elif child.tag == "br" or child.tag in BLOCK:
            buf.space = True
            _inline(child, buf)
            buf.space = True
        else:
            _inline(child, buf)


def _is_data_table(table: _Node) -> bool:
    """True when no table is nested inside (layout tables hold the real ones)."""
    todo = list(table.children)
    while todo:
        n = todo.pop()
        if isinstance(n, _Node):
            if n.tag == "table":
                return False
            todo.extend(n.children)
    return True


class _Grid:
    __slots__ = ("rows", "width")

    def __init__(self, rows: list[tuple[int, list[tuple[int, int, _Node, _Buf]]]], width: int) -> None:
        self.rows = rows  # (1-based <tr> number, [(first column, colspan, cell, its text)])
        self.width = width


def _span(value: str | None) -> int:
    m = _SPAN_INT.match(value or "")
    n = int(m.group(1)) if m else 1
    return min(max(n, 1), 1000)


_WIDTH_ATTR = re.compile(r"\s*([\d.]+)\s*(px)?\s*$", re.I)
_WIDTH_STYLE = re.compile(r"(?:^|;)\s*width\s*:\s*([\d.]+)\s*(px|pt|cm|mm|in)\b", re.I)
_UNIT_PX = {"px": 1.0, "pt": 4 / 3, "cm": 96 / 2.54, "mm": 9.6 / 2.54, "in": 96.0}
_SLIVER_PX = 6.0  # no column that narrow holds a number


def _width_px(cell: _Node) -> float | None:
    m = _WIDTH_STYLE.search(cell.attrs.get("style", ""))
    if m:
        return float(m.group(1)) * _UNIT_PX[m.group(2).lower()]
    m = _WIDTH_ATTR.match(cell.attrs.get("width", ""))
    return float(m.group(1)) if m else None


def _grid(table: _Node) -> _Grid | None:
    """Cells placed on the table grid; None for a one-column (layout-like) table."""
    trs: list[_Node] = []
    todo = [table]
    while todo:  # rows of this table in document order (through tbody/thead/tfoot)
        n = todo.pop()
        for ch in reversed(n.children):
            if isinstance(ch, _Node) and not ch.hidden:
                if ch.tag == "tr":
                    trs.append(ch)
                elif ch.tag not in CELL and ch.tag != "table":
                    todo.append(ch)  # tbody/thead/tfoot, or a stray wrapper such as <form>
    trs.sort(key=lambda n: (n.line, n.col))
    occupied: set[tuple[int, int]] = set()
    rows: list[tuple[int, list[tuple[int, int, _Node, _Buf]]]] = []
    width = 0
    for r, tr in enumerate(trs):
        row: list[tuple[int, int, _Node, _Buf]] = []
        c = 0
        for cell in tr.children:
            if not isinstance(cell, _Node) or cell.tag not in CELL or cell.hidden:
                continue
            while (r, c) in occupied:
                c += 1
            cs, rs = _span(cell.attrs.get("colspan")), _span(cell.attrs.get("rowspan"))
            rs = min(rs, len(trs) - r)
            for dr in range(rs):
                for dc in range(cs):
                    occupied.add((r + dr, c + dc))
            buf = _Buf()
            _inline(cell, buf)
            row.append((c, cs, cell, buf))
            c += cs
            width = max(width, c)
        if row:
            rows.append((r + 1, row))
    # columns covered from above by rowspans also count for the width
    for _, c in occupied:
        width = max(width, c + 1)
    rows, width = _drop_slivers(rows, width)
    if width <= 1 or not rows:
        return None
    return _Grid(rows, width)


def _drop_slivers(
    rows: list[tuple[int, list[tuple[int, int, _Node, _Buf]]]], width: int
) -> tuple[list[tuple[int, list[tuple[int, int, _Node, _Buf]]]], int]:
    """Remove hairline columns that exist only because cell borders do not line up.

    Word's web pages of hand-edited tables carry them (with a hidden row giving every
    column's width).  A column is dropped when single cells give it a width under
    _SLIVER_PX and no cell with text lies entirely inside dropped columns.
    """
    widths: dict[int, float] = {}
    for _, row in rows:
        for c, cs, cell, _buf in row:
            if cs == 1:
                w = _width_px(cell)
                if w is not None:
                    widths[c] = min(w, widths.get(c, w))
    if len(widths) < width or not any(w < _SLIVER_PX for w in widths.values()):
        return rows, width
    sliver = [widths[c] < _SLIVER_PX for c in range(width)]
    for _, row in rows:
        for c, cs, _cell, buf in row:
            if buf.length and all(sliver[c : c + cs]):
                return rows, width
    new_index, kept = [], 0
    for is_sliver in sliver:
        new_index.append(kept)
        kept += 0 if is_sliver else 1
    out = []
    for r, row in rows:
        cells = []
        for c, cs, cell, buf in row:
            n = sum(1 for x in sliver[c : c + cs] if not x)
            if n:
                cells.append((new_index[c], n, cell, buf))
        out.append((r, cells))
    return out, kept


# --------------------------------------------------------------------------- decoding


class _CharsetSniffer(HTMLParser):
    """Reads <meta charset> / <meta http-equiv content="…charset=…"> from the first bytes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.charset: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "meta" or self.charset:
            return
        a = {k: (v or "") for k, v in attrs}
        if a.get("charset"):
            self.charset = a["charset"].strip()
        elif a.get("http-equiv", "").lower() == "content-type":
            content = a.get("content", "")
            low = content.lower()
            i = low.find("charset=")
            if i >= 0:
                self.charset = content[i + 8 :].strip().strip("\"';").split(";")[0].strip() or None

    handle_startendtag = handle_starttag

    def handle_pi(self, data: str) -> None:
        """<?xml version="1.0" encoding="gb2312"?> of an XHTML page."""
        low = data.lower()
        if self.charset or not low.startswith("xml"):
            return
        i = low.find("encoding=")
        if i >= 0:
            value = data[i + 9 :].strip().lstrip("\"'")
            end = next((k for k, ch in enumerate(value) if ch in "\"' ?"), len(value))
            self.charset = value[:end] or None


_GBK_FAMILY = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "euc-cn", "hz-gb-2312"}


def _declared_charset(data: bytes) -> str | None:
    sniffer = _CharsetSniffer()
    try:
        sniffer.feed(data[:8192].decode("latin-1"))
    except Exception:  # noqa: BLE001 - a broken prefix just means "no declaration"
        return None
    return sniffer.charset.lower() if sniffer.charset else None


def decode_html(data: bytes, hint: str | None = None) -> tuple[str, str]:
    """HTML bytes → text: BOM, then the declared charset (or `hint`, e.g. a MIME header), then the text reader's guess."""
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return decode(data)
    declared = _declared_charset(data) or (hint.lower() if hint else None)
    if declared:
        codec = "gb18030" if declared in _GBK_FAMILY else declared
        if codec == "gb18030":
            # Pages re-saved by crawlers often keep a stale GBK declaration on UTF-8 bytes.
            try:
                return data.decode("utf-8"), "utf-8"
            except UnicodeDecodeError:
                pass
        try:
            return data.decode(codec), codec
        except (LookupError, UnicodeDecodeError):
            pass
    return decode(data)


# --------------------------------------------------------------------------- entry point


def _unwrap_mhtml(data: bytes) -> tuple[bytes, str | None]:
    """The HTML part of a MIME "single file web page" (.mht) and its declared charset."""
    import email
    import email.policy

    try:
        msg = email.message_from_bytes(data, policy=email.policy.compat32)
        for part in msg.walk():
            if part.get_content_type() == "text/html":
                payload = part.get_payload(decode=True)
                if isinstance(payload, bytes):
                    return payload, part.get_content_charset()
    except Exception:  # noqa: BLE001 - a broken MIME wrapper is reported below
        pass
    raise ReadError("MHT 网页文件中找不到 HTML 正文", "no HTML part in the MHT (single file web page) file")


def read_html(path: str, data: bytes) -> Document:
    """Read an HTML page (or a .mht single file web page) into a Document (see the module docstring)."""
    from .detect import _is_mhtml

    hint = None
    container = None
    if _is_mhtml(data[:4096]):
        data, hint = _unwrap_mhtml(data)  # positions are then those of the HTML part
        container = "mht"
    text, encoding = decode_html(data, hint)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    builder = _TreeBuilder()
    try:
        builder.feed(text)
        builder.close()
        renderer = _Renderer()
        renderer.block(builder.root)
        renderer.flush()
    except ReadError:
        raise
    except Exception as exc:  # noqa: BLE001 - html.parser and our walk must never crash the run
        raise ReadError(f"HTML 无法解析：{exc}", f"cannot parse the HTML: {exc}") from None
    lines = renderer.lines
    while lines and lines[-1] == "":
        lines.pop()
    if not any(line.strip() for line in lines):
        raise ReadError("HTML 页面中没有可读的正文文字", "the HTML page contains no readable text")
    doc = Document(
        path=path,
        text="\n".join(lines),
        format="html",
        encoding=encoding,
        source_map=renderer.smap,
        meta=dict(builder.meta),
    )
    if container:
        doc.meta["container"] = container
    if "\ufffd" in text:
        doc.notes.append(("P002", encoding))
    return doc
