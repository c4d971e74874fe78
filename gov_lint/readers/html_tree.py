"""HTML → a small tree, with the line and column of every tag and text chunk.

The standard library's `html.parser` tokenises the page (it reports positions,
which the source map needs); `TreeBuilder` closes the ends that HTML leaves
implied the way browsers do, skips comments and declarations, and collects the
page's metadata (title, publication date, author …) on the way.
"""

from __future__ import annotations

import html as _html
import re
from html.parser import HTMLParser


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


class Node:
    __slots__ = ("tag", "attrs", "children", "line", "col", "hidden")

    def __init__(self, tag: str, attrs: dict[str, str], line: int, col: int) -> None:
        self.tag = tag
        self.attrs = attrs
        self.children: list[Node | Text] = []
        self.line = line
        self.col = col
        self.hidden = bool(_HIDDEN.search(attrs.get("style", "")))


MAX_DEPTH = 128  # open elements kept nested; deeper ones are read as siblings (the walk recurses per level)


class TreeBuilder(HTMLParser):
    """html.parser events → a tree, closing implied ends the way browsers do."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.root = Node("#root", {}, 1, 0)
        self.stack: list[Node] = [self.root]
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
        node = Node(tag, a, line, col)
        self.stack[-1].children.append(node)
        if tag not in VOID and len(self.stack) < MAX_DEPTH:  # deeper elements are flattened: no recursion overflow
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, col = self.getpos()
        a = {k: (v or "") for k, v in attrs}
        if tag == "meta":
            self._meta(a)
        self.stack[-1].children.append(Node(tag, a, line, col))

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
        self.stack[-1].children.append(Text(data, line, col, True))

    def _ref(self, text: str) -> None:
        line, col = self.getpos()
        self._collect(text)
        self.stack[-1].children.append(Text(text, line, col, False))

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


