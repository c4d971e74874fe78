"""HTML → a small tree, with the line and column of every tag and text chunk.

A page is cut into the pieces `html.parser` would report (one regular expression,
`tokenize_fast`), or, for markup that expression cannot read the same way, by
`html.parser` itself; both report positions, which the source map needs.
`TreeBuilder` closes the ends that HTML leaves implied the way browsers do, skips
comments and declarations, and collects the page's metadata (title, publication
date, author …) on the way.

A plainly written table (rows of cells holding only text, see `_SIMPLE_TABLE`) is
not cut up: it becomes a `SimpleTable` that keeps its place in the source, whose
grid html_layout reads straight from the text; its nodes are built only when
something asks for its children, and are then the ones the pieces would have made.
"""

from __future__ import annotations

import html as _html
import re
import _markupbase
from html import parser as _stdlib
from bisect import bisect_left
from collections import deque
from itertools import accumulate, islice


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

_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
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


class Text:
    __slots__ = ("data", "line", "col", "literal")

    def __init__(self, data: str, line: int, col: int, literal: bool) -> None:
        self.data = data
        self.line = line
        self.col = col  # 0-based, as html.parser reports it
        self.literal = literal  # False for a character reference: all of it maps to the '&'


_HIDDEN_STYLES: dict[str, bool] = {}  # style attribute → hides the element (Word repeats its styles)


def _hidden(style: str) -> bool:
    if len(_HIDDEN_STYLES) > 4096:
        _HIDDEN_STYLES.clear()
    hidden = _HIDDEN_STYLES[style] = bool(_HIDDEN.search(style))
    return hidden


class Node:
    __slots__ = ("tag", "attrs", "children", "line", "col", "hidden", "nested")

    def __init__(self, tag: str, attrs: dict[str, str], line: int, col: int) -> None:
        self.tag = tag
        self.attrs = attrs
        self.children: list[Node | Text] = []
        self.line = line
        self.col = col
        style = attrs.get("style") if attrs else None
        if style:
            hidden = _HIDDEN_STYLES.get(style)
            if hidden is None:
                hidden = _hidden(style)
            self.hidden = hidden
        else:
            self.hidden = False
        self.nested = False  # a <table> with another table inside (set by TreeBuilder)


MAX_DEPTH = 128  # open elements kept nested; deeper ones are read as siblings (the walk recurses per level)

_CLOSES_P = frozenset(("p", "table", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6"))
_P_BOUNDARY = frozenset({"td", "th", "table", "div", "li", "body"})
_TABLE = frozenset({"table"})
_LI_BOUNDARY = frozenset({"ul", "ol", "table", "td", "th"})
_END_BOUNDARY = frozenset({"td", "th", "table"})
_NO_BOUNDARY: frozenset[str] = frozenset()
_K_CELL, _K_ROW, _K_CLOSES_P, _K_SECTION, _K_LI, _K_BODY, _K_META, _K_TITLE, _K_PUBTIME, _K_TABLE = range(10)
_START_KIND = {
    "td": _K_CELL, "th": _K_CELL, "tr": _K_ROW, "tbody": _K_SECTION, "thead": _K_SECTION, "tfoot": _K_SECTION,
    "li": _K_LI, "body": _K_BODY, "meta": _K_META, "title": _K_TITLE, "publishtime": _K_PUBTIME,
    **{t: _K_CLOSES_P for t in _CLOSES_P},
    "table": _K_TABLE,  # closes a <p> too
}


class TreeBuilder:
    """Tag and text events → a tree, closing implied ends the way browsers do.

    The events come from `FastTokenizer` (well-formed markup) or from the standard
    library's `html.parser` (`StdlibTokenizer`, everything else); both report the
    same events at the same positions for markup they both read.
    """

    def __init__(self) -> None:
        self.root = Node("#root", {}, 1, 0)
        self.stack: list[Node] = [self.root]
        self.meta: dict[str, str] = {}
        self._title: list[str] | None = None
        self._pubtime: list[str] | None = None

    # -- helpers
    def _in(self, tag: str, boundary: frozenset[str] = _NO_BOUNDARY) -> int:
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
    def start(self, tag: str, a: dict[str, str], line: int, col: int) -> None:
        """A start tag `<tag …>` (attribute names lower-case, values unescaped, "" for none)."""
        stack = self.stack
        if stack[-1].tag == "head" and tag not in HEAD_OK:
            stack.pop()  # body content implies </head>
        kind = _START_KIND.get(tag)
        if kind is not None:
            self._implied(kind, tag, a)
        node = Node(tag, a, line, col)
        stack[-1].children.append(node)
        if tag not in VOID and len(stack) < MAX_DEPTH:  # deeper elements are flattened: no recursion overflow
            stack.append(node)

    def _implied(self, kind: int, tag: str, a: dict[str, str]) -> None:
        """What a start tag of `kind` (_START_KIND) closes or starts collecting."""
        i = 0
        if kind == _K_CELL:  # the nearest open cell of this table
            stack = self.stack
            for j in range(len(stack) - 1, 0, -1):
                t = stack[j].tag
                if t == "td" or t == "th":
                    i = j
                    break
                if t == "table":
                    break
        elif kind == _K_ROW:
            i = self._in("tr", _TABLE)
        elif kind == _K_CLOSES_P or kind == _K_TABLE:  # (a <div> does not close a <p> here)
            i = self._in("p", _P_BOUNDARY)
            if kind == _K_TABLE:
                self._nest()
        elif kind == _K_SECTION:
            i = self._in("table")
            if i > 0:
                i += 1
        elif kind == _K_LI:
            i = self._in("li", _LI_BOUNDARY)
        elif kind == _K_BODY:
            i = self._in("head")
        elif kind == _K_META:
            self._meta(a)
        elif kind == _K_TITLE:
            if self._title is None and "title" not in self.meta:
                self._title = []
        elif kind == _K_PUBTIME:
            self._pubtime = []
        if i > 0:
            del self.stack[i:]

    def _nest(self) -> None:
        """A table starts: every open table now holds a table (a layout table, html_layout reads it as blocks)."""
        for node in self.stack:
            if node.tag == "table":
                node.nested = True

    def startend(self, tag: str, a: dict[str, str], line: int, col: int) -> None:
        """A self-closing tag `<tag … />`: an empty element, nothing implied."""
        if tag == "meta":
            self._meta(a)
        elif tag == "table":
            self._nest()
        self.stack[-1].children.append(Node(tag, a, line, col))

    def end(self, tag: str) -> None:
        """An end tag `</tag>`: closes the nearest open `tag` (not across a table or cell boundary)."""
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
            boundary = _NO_BOUNDARY
        elif tag in CELL or tag == "tr" or tag in TABLE_SECTION:
            boundary = _TABLE
        else:
            boundary = _END_BOUNDARY
        stack = self.stack
        if stack[-1].tag == tag:  # the usual case: the element just opened
            i = len(stack) - 1
        else:
            i = self._in(tag, boundary)
        if i > 0:
            self._pop_to(i)

    def data(self, data: str, line: int, col: int) -> None:
        """Text as it stands in the source."""
        if self._title is not None or self._pubtime is not None:
            self._collect(data)
        self.stack[-1].children.append(Text(data, line, col, True))

    def ref(self, text: str, line: int, col: int) -> None:
        """The text of a character reference (`&amp;`, `&#21512;`): all of it maps to the '&'."""
        if self._title is not None or self._pubtime is not None:
            self._collect(text)
        self.stack[-1].children.append(Text(text, line, col, False))

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




# --------------------------------------------------------------------------- tokenizers


class StdlibTokenizer(_stdlib.HTMLParser):
    """The standard library's tokenizer, for any markup: its events (with `getpos()`) → a TreeBuilder."""

    def __init__(self, builder: TreeBuilder) -> None:
        super().__init__(convert_charrefs=False)
        self.builder = builder

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, col = self.getpos()
        self.builder.start(tag, {k: (v or "") for k, v in attrs}, line, col)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, col = self.getpos()
        self.builder.startend(tag, {k: (v or "") for k, v in attrs}, line, col)

    def handle_endtag(self, tag: str) -> None:
        self.builder.end(tag)

    def handle_data(self, data: str) -> None:
        line, col = self.getpos()
        self.builder.data(data, line, col)

    def handle_entityref(self, name: str) -> None:
        line, col = self.getpos()
        self.builder.ref(_html.unescape(f"&{name};") if name else "&", line, col)

    def handle_charref(self, name: str) -> None:
        line, col = self.getpos()
        self.builder.ref(_html.unescape(f"&#{name};"), line, col)

    # Comments, conditional comments, declarations and processing instructions: ignored.
    def handle_comment(self, data: str) -> None:
        pass

    def unknown_decl(self, data: str) -> None:
        pass


class NotPlain(Exception):
    """Markup the fast tokenizer leaves to html.parser (a tag it would read differently)."""


# The fast tokenizer splits the page with one regular expression into the pieces
# html.parser finds on well-formed markup; `html.parser`'s own expressions decide
# a start tag's extent and attributes, so both read a tag the same way.  A piece
# it does not know (an unterminated comment or tag, a bare "<" at the end, "&#"
# without digits, a CDATA section, a tag with junk before its ">") leaves a
# character out of the pieces: the whole page then goes to html.parser.
_PIECE = re.compile(
    r"""[^<&]+"""  # text
    r"""|<[a-zA-Z][^>]*>"""  # start tag (checked below)
    r"""|</\s*[a-zA-Z][-.a-zA-Z0-9:_]*\s*>"""  # end tag
    r"""|<!--.*?--\s*>"""  # comment (html.parser ends it at the first "--" + ">")
    r"""|<![dD][oO][cC][tT][yY][pP][eE][^>]*>"""  # <!DOCTYPE …>
    r"""|<!\[(?:[iI][fF]|[eE][lL][sS][eE]|[eE][nN][dD][iI][fF])(?![-_.a-zA-Z0-9])[^\]]*\]\s*>"""  # Word's <![if …]>
    r"""|<\?[^>]*>"""  # processing instruction
    r"""|&#(?:[0-9]+|[xX][0-9a-fA-F]+)(?:;|(?=[^0-9a-fA-F]))"""  # character reference
    r"""|&[a-zA-Z][-.a-zA-Z0-9]*(?:;|(?=[^a-zA-Z0-9]))"""  # entity reference
    r"""|<(?=[^a-zA-Z/!?])|&(?=[^a-zA-Z#])""",  # a bare "<" or "&" is text
    re.S,
)
_CDATA_END = {"script": re.compile(r"</\s*script\s*>", re.I), "style": re.compile(r"</\s*style\s*>", re.I)}


def _check_end(src: str, at: int, end: int) -> None:
    """NotPlain unless html.parser's start tag at `at` ends where the piece ends (at `end`)."""
    m = _stdlib.locatestarttagend_tolerant.match(src, at)
    j = m.end() if m else at
    if src.startswith(">", j):
        endpos = j + 1
    elif src.startswith("/>", j):
        endpos = j + 2
    else:
        raise NotPlain
    if endpos != end:
        raise NotPlain


def _ends_alone(piece: str) -> bool:
    """True when html.parser ends the start tag `piece` at its last ">" whatever follows (no quoted value runs on).

    Read alone, the tag ends there only if every quote in it closes inside it; then
    no part of html.parser's expression can take the ">" or anything after it.
    """
    m = _stdlib.locatestarttagend_tolerant.match(piece)
    j = m.end() if m else 0
    return (j + 1 == len(piece) and piece[j] == ">") or (j + 2 == len(piece) and piece.endswith("/>"))


def _start_tag(src: str, at: int, end: int) -> tuple[str, dict[str, str], bool]:
    """(tag, attributes, self-closing) of the start tag src[at:end], read as html.parser reads it."""
    _check_end(src, at, end)
    m = _stdlib.tagfind_tolerant.match(src, at + 1)
    if m is None:
        raise NotPlain
    k = m.end()
    tag = m.group(1).lower()
    attrs: dict[str, str] = {}
    attrfind = _stdlib.attrfind_tolerant
    while k < end:
        m = attrfind.match(src, k)
        if not m:
            break
        name, rest, value = m.group(1, 2, 3)
        if not rest:
            value = ""
        elif value[:1] == "'" == value[-1:] or value[:1] == '"' == value[-1:]:
            value = value[1:-1]
        if value and "&" in value:
            value = _html.unescape(value)
        attrs[name.lower()] = value
        k = m.end()
    rest = src[k:end].strip()
    if rest not in (">", "/>"):
        raise NotPlain  # html.parser reads such a tag as text
    return tag, attrs, rest == "/>"


class _Unsplit(Exception):
    """A plainly written table left whole in the pieces was not read as one: split the page afresh."""


_TABLE_TAG = re.compile(r"<table(?:[ \t\n\r\f][^>]*)?>")


def _pieces(src: str) -> tuple[list[str], dict[int, int]]:
    """The page's pieces with the rows of each plainly written table left whole: (pieces, {rows start: end}).

    The pieces before such a table are split up to its start tag only; when they do
    not cover that stretch exactly (the "<table" is inside a comment, a tag …) the
    page is split whole instead, with no table left whole.
    """
    tables: dict[int, int] = {}
    pieces: list[str] = []
    pos = 0
    for tag in _TABLE_TAG.finditer(src):
        body = tag.end()
        if body <= pos or src[body - 2] == "/":
            continue
        m = _SIMPLE_TABLE.match(src, body)
        if m is None:
            continue
        chunk = _PIECE.findall(src, pos, body)
        if sum(map(len, chunk)) != body - pos:
            return _PIECE.findall(src), {}
        pieces += chunk
        pieces.append(src[body : m.end()])
        tables[body] = pos = m.end()
    if not tables:
        return _PIECE.findall(src), tables
    pieces += _PIECE.findall(src, pos)
    return pieces, tables


def tokenize_fast(src: str, builder: TreeBuilder) -> None:
    """Feed `builder` the events html.parser would report for `src`; NotPlain when it cannot say.

    Text, plain start tags (`<td>`) and end tags that close the element just opened
    are handled inline (the same as `builder.data` / `start` / `end` would do).
    """
    pieces, tables = _pieces(src)
    if tables:
        try:
            _feed(src, builder, pieces, tables)
            return
        except (_Unsplit, NotPlain):
            builder.__init__()  # type: ignore[misc]
        pieces = _PIECE.findall(src)
    _feed(src, builder, pieces, {})


def _feed(src: str, builder: TreeBuilder, pieces: list[str], tables: dict[int, int]) -> None:
    """`tokenize_fast` over the page's pieces; `tables`: the plainly written tables left whole in them."""
    offsets = list(accumulate(map(len, pieces), initial=0))
    if offsets[-1] != len(src):
        raise NotPlain  # something no piece matched
    start, stack = builder.start, builder.stack  # the builder changes the stack in place only
    tags: dict[str, tuple[str, dict[str, str], bool, bool]] = {}  # a start tag read once per page (Word repeats them)
    line, line_start = 1, 0  # 1-based line of the piece, offset where that line starts
    skip_to = -1  # the end of a <script>/<style> element read as a whole
    it = zip(pieces, offsets)
    for piece, at in it:
        if at >= skip_to:
            c = piece[0]
            if (c != "<" and c != "&") or len(piece) == 1:
                if builder._title is None and builder._pubtime is None:
                    stack[-1].children.append(Text(piece, line, at - line_start, True))
                else:
                    builder.data(piece, line, at - line_start)
            elif c == "&":
                if piece[1] == "#":
                    builder.ref(_html.unescape(f"&#{piece[2:].rstrip(';')};"), line, at - line_start)
                else:
                    builder.ref(_html.unescape(f"&{piece[1:].rstrip(';')};"), line, at - line_start)
            elif piece[1] == "/":
                name = piece[2:-1]
                if not (name.isalnum() and name.isascii()):
                    name = name.strip()
                name = name.lower()
                if stack[-1].tag == name and name != "title" and name != "publishtime":
                    stack.pop()  # what builder.end does for the element just opened
                else:
                    builder.end(name)
            elif piece[1] != "!" and piece[1] != "?":
                name = piece[1:-1]
                if name.isalnum() and name.isascii() and name.lower() not in _CDATA_END:  # <td>: the name alone
                    start(name.lower(), {}, line, at - line_start)
                    if tables and at + len(piece) in tables:
                        line, line_start = _read_plain_table(src, at, len(piece), builder, line, line_start, tables, it)
                        continue
                else:
                    read = tags.get(piece)
                    if read is None:
                        read = tags[piece] = (*_start_tag(src, at, at + len(piece)), _ends_alone(piece))
                    elif not read[3]:  # the same text reads the same, once html.parser would end the tag there too
                        _check_end(src, at, at + len(piece))
                    tag, attrs, closed, _ = read
                    if closed:
                        if at + len(piece) in tables:
                            raise _Unsplit
                        builder.startend(tag, attrs, line, at - line_start)
                    else:
                        start(tag, attrs, line, at - line_start)
                        if tag in _CDATA_END:
                            skip_to = _cdata(src, at + len(piece), tag, builder, offsets)
                        elif tables and at + len(piece) in tables:
                            line, line_start = _read_plain_table(src, at, len(piece), builder, line, line_start, tables, it)
                            continue
                        elif tag == "table":
                            end = _simple_table(src, at + len(piece), builder, line, line_start)
                            if end > 0:  # the table's pieces are read: go on after its end tag
                                deque(islice(it, bisect_left(offsets, end) - bisect_left(offsets, at) - 1), maxlen=0)
                                nl = src.count("\n", at, end)
                                if nl:
                                    line += nl
                                    line_start = src.rfind("\n", at, end) + 1
                                continue
        if "\n" in piece:
            line += piece.count("\n")
            line_start = at + piece.rfind("\n") + 1


# A table written plainly (rows of cells, each cell's text without markup or character
# references, every element closed, attributes in double quotes after single spaces) is
# read in one pass: its events are the ones the loop above would send, and they imply
# nothing (no open cell or row to close), so the nodes are appended where the builder
# would append them.  Anything else in the table sends it through the loop above.
_SIMPLE_ATTRS = r'(?: [a-zA-Z][-a-zA-Z]*="[^"<>&]*")*'
_SIMPLE_TABLE = re.compile(
    rf"(?:[^<&]*<tr{_SIMPLE_ATTRS}>(?:[^<&]*<(t[dh]){_SIMPLE_ATTRS}>[^<&]*</\1>)*[^<&]*</tr>)*[^<&]*</table>"
)
_SIMPLE_PART = re.compile(rf"<(t[dh])({_SIMPLE_ATTRS})>([^<&]*)</t[dh]>|<tr({_SIMPLE_ATTRS})>|(</tr>)|</table>|([^<&]+)")
# The same parts for `findall` (html_layout reads a SimpleTable's cells with it):
# (tr attributes, cell tag, cell attributes, cell text, other: </tr>, </table> or text between tags).
SIMPLE_PARTS = re.compile(rf"<tr({_SIMPLE_ATTRS})>|<(t[dh])({_SIMPLE_ATTRS})>([^<&]*)</t[dh]>|(</tr>|</table>|[^<&]+)")
_SIMPLE_ATTR = re.compile(r' ([a-zA-Z][-a-zA-Z]*)="([^"]*)"')
_ATTRS_READ: dict[str, dict[str, str]] = {}  # attribute text → attributes (pages repeat them)


def simple_attrs(text: str) -> dict[str, str]:
    if not text:
        return {}
    attrs = _ATTRS_READ.get(text)
    if attrs is None:
        if len(_ATTRS_READ) > 4096:
            _ATTRS_READ.clear()
        attrs = _ATTRS_READ[text] = {name.lower(): value for name, value in _SIMPLE_ATTR.findall(text)}
    return dict(attrs)  # each node owns its attributes


class SimpleTable(Node):
    """A plainly written table (see `_SIMPLE_TABLE`), kept as its source text until its children are asked for.

    The renderer reads such a table's cells straight from `region` (html_layout's
    `_simple_grid`); anything that asks for `children` gets the nodes the
    tokenizer would have built (`_expand`), so the tree is the same either way.
    """

    __slots__ = ("region",)

    def __init__(self, node: Node, region: tuple[str, int, int, int, int]) -> None:
        super().__init__(node.tag, node.attrs, node.line, node.col)
        self.nested = node.nested
        self.region: tuple[str, int, int, int, int] | None = region  # (src, body, end, line, line_start)

    @property  # type: ignore[override]
    def children(self) -> list[Node | Text]:
        kids = _NODE_CHILDREN.__get__(self, Node)
        if self.region is not None:
            region, self.region = self.region, None
            _expand(self, kids, *region)
        return kids

    @children.setter
    def children(self, value: list[Node | Text]) -> None:
        _NODE_CHILDREN.__set__(self, value)


_NODE_CHILDREN = Node.__dict__["children"]  # the slot under SimpleTable's property


def _read_plain_table(src: str, at: int, tag_len: int, builder: TreeBuilder, line: int, line_start: int,
                      tables: dict[int, int], it) -> tuple[int, int]:
    """A plainly written table whose start tag is at `at`: its rows read from the source text
    (`_simple_piece`) and the pieces of the page that cover them skipped; the (line, line_start)
    after it."""
    end = tables[at + tag_len]
    _simple_piece(src, at + tag_len, builder, line, line_start, tables)
    next(it)  # the table's rows, read
    nl = src.count("\n", at, end)
    if nl:
        line += nl
        line_start = src.rfind("\n", at, end) + 1
    return line, line_start


def _simple_piece(src: str, body: int, builder: TreeBuilder, line: int, line_start: int, tables: dict[int, int]) -> None:
    """The table whose rows were left whole in the pieces (`_pieces`) becomes a SimpleTable; _Unsplit if it cannot."""
    if tables.get(body) is None or _simple_table(src, body, builder, line, line_start, tables[body]) < 0:
        raise _Unsplit


def _simple_table(src: str, body: int, builder: TreeBuilder, line: int, line_start: int, end: int = -1) -> int:
    """After a <table> start tag at `body`: a plainly written table becomes a SimpleTable; the offset after </table>.

    Returns -1 (nothing read) for a table that is not plain, or when the builder is
    collecting a title or date, or nesting is near MAX_DEPTH.
    """
    stack = builder.stack
    if len(stack) + 1 >= MAX_DEPTH or builder._title is not None or builder._pubtime is not None:
        return -1  # (below MAX_DEPTH the table was pushed: it is stack[-1])
    if end < 0:  # (`end` given: the table's end is known)
        m = _SIMPLE_TABLE.match(src, body)
        if m is None:
            return -1
        end = m.end()
    node = stack.pop()  # </table>
    siblings = stack[-1].children
    siblings[-1] = SimpleTable(node, (src, body, end, line, line_start))
    return end


def _expand(table: Node, kids: list[Node | Text], src: str, body: int, end: int, line: int, line_start: int) -> None:
    """The nodes of a SimpleTable's rows, as the tokenizer would have built them, into `kids`."""
    parent_kids = kids
    for part in _SIMPLE_PART.finditer(src, body, end):
        cell, attrs, gap = part.group(1, 2, 6)
        start = part.start()
        if cell is not None:  # <td …>text</td>
            node = Node(cell, simple_attrs(attrs), line, start - line_start)
            parent_kids.append(node)
            if "\n" in attrs:
                line += attrs.count("\n")
                line_start = start + len(cell) + 2 + attrs.rfind("\n")
            text = part.group(3)
            if text:
                i = part.start(3)
                node.children.append(Text(text, line, i - line_start, True))
                if "\n" in text:
                    line += text.count("\n")
                    line_start = i + text.rfind("\n") + 1
        elif gap is not None:  # text between the tags
            parent_kids.append(Text(gap, line, start - line_start, True))
            if "\n" in gap:
                line += gap.count("\n")
                line_start = start + gap.rfind("\n") + 1
        elif part.group(5) is not None:  # </tr>
            parent_kids = kids
        elif part.group(4) is not None:  # <tr …>
            attrs = part.group(4)
            row = Node("tr", simple_attrs(attrs), line, start - line_start)
            kids.append(row)
            parent_kids = row.children
            if "\n" in attrs:
                line += attrs.count("\n")
                line_start = start + 4 + attrs.rfind("\n")


def _cdata(src: str, body: int, tag: str, builder: TreeBuilder, offsets: list[int]) -> int:
    """<script>/<style>: html.parser reads up to </script> (</style>) as one text; the offset after it."""
    m = _CDATA_END[tag].search(src, body)
    if m is None:
        raise NotPlain
    end = m.end()
    i = bisect_left(offsets, end)
    if i == len(offsets) or offsets[i] != end:
        raise NotPlain  # the pieces run across the element's end: html.parser reads it
    if m.start() > body:
        line_start = src.rfind("\n", 0, body) + 1
        builder.data(src[body : m.start()], src.count("\n", 0, body) + 1, body - line_start)
    builder.end(tag)
    return end


class MarkupError(Exception):
    """html.parser gave up on the page's markup."""


def build_tree(src: str) -> TreeBuilder:
    """The page's tree: the fast tokenizer when it can read the markup, html.parser otherwise.

    MarkupError when html.parser cannot tokenise the page (it raises AssertionError
    or ValueError from inside its own code).
    """
    builder = TreeBuilder()
    try:
        tokenize_fast(src, builder)
        return builder
    except NotPlain:
        pass
    builder = TreeBuilder()
    parser = StdlibTokenizer(builder)
    try:
        parser.feed(src)
        parser.close()
    except (AssertionError, ValueError) as exc:
        if _raised_in_stdlib(exc):
            raise MarkupError from None
        raise
    return builder


def _raised_in_stdlib(exc: BaseException) -> bool:
    """True when the innermost frame of the traceback is html.parser's (or _markupbase's) own code."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    return tb is not None and tb.tb_frame.f_code.co_filename in _STDLIB_FILES


_STDLIB_FILES = frozenset(m.__file__ for m in (_stdlib, _markupbase) if m.__file__)
