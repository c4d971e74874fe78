"""Run the Lark grammar over a document and classify its lines.

The grammar (report.lark) tokenises whole lines and blocks of lines of one kind;
this module turns its tokens into a flat list of `Line`s (kind, 1-based line number,
text) and decides which heading tokens really are the report's sections 一…六.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import cache, lru_cache
from operator import attrgetter
from pathlib import Path

from lark import Lark, Token, Transformer, UnexpectedCharacters
from lark.lexer import Lexer

from ..model import Document, Section, Span
from ..templates import common
from ..text import first_match_start, label_key


@dataclass(slots=True)
class Line:
    kind: str  # heading | row | separator | page | text
    line: int  # 1-based line number in the document
    text: str  # folded text of the line (same columns as the original)
    _key: str | None = field(default=None, repr=False, compare=False)

    @property
    def key(self) -> str:
        """`label_key` of the text, computed once (the table readers all compare it)."""
        if self._key is None:
            self._key = label_key(self.text)
        return self._key


_KIND = {"HEADING": "heading", "ROWS": "row", "SEPARATOR": "separator", "PAGE": "page", "TEXTS": "text",
         "HEADED_TEXTS": None}  # (a heading and the text lines after it: split in `_lines`)


class _Lines(Transformer):
    """Applied while parsing (LALR inline transformer): no tree is built, only Lines.

    A ROWS or TEXTS token holds consecutive lines of one kind (blank lines between
    them included); it is split here, each line numbered from the token's first line.
    A HEADED_TEXTS token is a heading line followed by a TEXTS block.
    """

    @staticmethod
    def _lines(children: list) -> list[Line]:
        """Each Line is what `Line(kind, line, text)` makes, its fields set on `object.__new__(Line)`
        (no Python `__init__` call per line; `tests/test_parse_shortcuts.py` holds the two to every
        field)."""
        out: list[Line] = []
        append = out.append
        new = object.__new__
        for t in children:
            kind = _KIND[t.type]
            n = t.line
            pieces = t.value.split("\n")
            if kind is None:  # HEADED_TEXTS: a heading line, then a paragraph block
                append(Line("heading", n, pieces[0]))
                kind = "text"
                pieces[0] = ""  # (made above)
            for piece in pieces:
                if piece:
                    ln = new(Line)
                    ln.kind = kind
                    ln.line = n
                    ln.text = piece
                    ln._key = None
                    append(ln)
                n += 1
        return out

    def preamble(self, children: list) -> list[Line]:
        return self._lines(children)

    def section(self, children: list) -> list[Line]:
        return self._lines(children)

    def start(self, children: list) -> list[Line]:
        out: list[Line] = []
        for part in children:
            out.extend(part)
        return out


class _LineLexer(Lexer):
    """The grammar's own terminals (report.lark) matched in one loop, for Lark's LALR parser.

    Lark's basic and contextual lexers give the same tokens for this grammar (every terminal
    may follow every token, except _NL, which only the text's first characters can be), and
    so does this one: the terminals are tried in Lark's order (priority first) as one regex.
    It spares the general lexer's bookkeeping per token (about a tenth of the grammar step's CPU);
    the parser still parses every token.  Only `Token.line` is kept: `_Lines` needs no other position.
    """

    def __init__(self, conf) -> None:
        terms = sorted(conf.terminals, key=lambda t: (-t.priority, -t.pattern.max_width, -len(t.pattern.value), t.name))
        self._match = re.compile("|".join(f"(?P<{t.name}>{t.pattern.to_regexp()})" for t in terms),
                                 conf.g_regex_flags).match

    def lex(self, text: str):  # type: ignore[override]
        match, pos, line, end = self._match, 0, 1, len(text)
        while pos < end:
            m = match(text, pos)
            if m is None:  # pragma: no cover - TEXTS takes any line, and the text ends with a newline
                raise UnexpectedCharacters(text, pos, line, 0)
            value = m.group()
            yield Token(m.lastgroup, value, pos, line)
            line += value.count("\n")
            pos = m.end()


@cache
def parser() -> Lark:
    """The report grammar, built once per process.

    Positions come from the tokens themselves (`Token.line`), so the parser does not
    propagate them to rules (`propagate_positions` would cost a third of the parse).
    """
    grammar = (Path(__file__).parent / "report.lark").read_text(encoding="utf-8")
    return Lark(grammar, parser="lalr", lexer=_LineLexer, transformer=_Lines())


def scan(doc: Document) -> list[Line]:
    """All non-blank lines of the document, classified by the grammar."""
    text = doc.norm if doc.norm.endswith("\n") else doc.norm + "\n"
    return parser().parse(text)


_LINE_NUMBER = attrgetter("line")


def first_line_with(lines: list[Line], norm: str, pattern: re.Pattern[str], firsts: str | None = None) -> int:
    """The index of the first line that may hold a match of `pattern` (len(lines) when none can).

    `norm` is the text the lines were split from.  One search of the whole text: a line whose own
    text has a match has it in `norm` too, as long as the pattern has no anchors or lookarounds
    (as `text.phrase_finder`'s), so no line before the first match in `norm` has one.
    `firsts`: the characters every match starts with (`text.phrase_firsts`), for the faster
    search of `text.first_match_start`.
    """
    if firsts is None:
        m = pattern.search(norm)
        start = m.start() if m is not None else None
    else:
        start = first_match_start(norm, pattern, firsts)
    if start is None:
        return len(lines)
    return bisect_left(lines, norm.count("\n", 0, start) + 1, key=_LINE_NUMBER)


_HEADING = re.compile(r"^[ \t]*(?:#{1,6}[ \t]*)?(?:\*\*)?[ \t]*([一二三四五六])[、.．][ \t]*(.*?)[ \t*]*$")
_ORDER = "一二三四五六"


@lru_cache(maxsize=1024)
def _title_fits(number: str, title: str) -> bool:
    """Whether a heading's title has a phrase of section `number`'s (titles recur from report to report)."""
    key = label_key(title)
    return any(p in key for p in _section_specs()[number].match)


@cache
def _section_specs() -> dict:
    return {s.number: s for s in common().sections}


def sections(lines: list[Line], doc: Document) -> list[Section]:
    """The report's sections: headings whose title fits the section number, in order.

    A heading token whose words do not fit (a table label such as
    "一、本年新收政府信息公开申请数量" printed on its own line) is treated as text.
    """
    found: list[tuple[str, str, Line, int]] = []
    last = -1
    for ln in lines:
        if ln.kind != "heading":
            continue
        m = _HEADING.match(ln.text)
        if not m:
            ln.kind = "text"
            continue
        number, title = m.group(1), m.group(2)
        order = _ORDER.index(number)
        if order <= last or not _title_fits(number, title):
            ln.kind = "text"
            continue
        last = order
        found.append((number, title.strip(), ln, m.start(2)))
    out: list[Section] = []
    for i, (number, title, ln, col) in enumerate(found):
        end = found[i + 1][2].line - 1 if i + 1 < len(found) else len(doc.lines)
        raw = doc.line(ln.line)
        out.append(Section(number, title, Span(ln.line, col + 1, len(raw.rstrip()) + 1), ln.line + 1, end))
    return out
