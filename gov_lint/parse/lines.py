"""Run the Lark grammar over a document and classify its lines.

The grammar (report.lark) tokenises whole lines and blocks of lines of one kind;
this module turns its tokens into a flat list of `Line`s (kind, 1-based line number,
text) and decides which heading tokens really are the report's sections 一…六.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from lark import Lark

from ..model import Document, Section, Span
from ..templates import common
from ..text import label_key


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


_KIND = {"HEADING": "heading", "ROWS": "row", "SEPARATOR": "separator", "PAGE": "page", "TEXTS": "text"}


@cache
def parser() -> Lark:
    """The report grammar, built once per process (it validates report.lark's terminals)."""
    grammar = (Path(__file__).parent / "report.lark").read_text(encoding="utf-8")
    return Lark(grammar, parser="lalr", lexer="basic")


@cache
def _scanner() -> re.Pattern[str]:
    """The grammar's terminals as one alternation, in the order Lark's lexer tries them.

    Every line is one of the terminals and the grammar's rules accept any sequence of
    them, so a parse could only confirm what the lexer found: `scan` runs the terminals
    alone, as Lark's basic lexer does (first alternative that matches, terminals sorted
    by priority), without Lark's per-token objects and parser steps.  At every place in
    a report each terminal may come next, so this is what the contextual lexer gives too
    (tests/test_line_grammar.py compares with a one-token-per-line grammar).
    """
    terms = sorted(parser().terminals, key=lambda t: (-t.priority, -t.pattern.max_width, -len(t.pattern.value), t.name))
    return re.compile("|".join(f"(?P<{t.name}>{t.pattern.to_regexp()})" for t in terms))


def scan(doc: Document) -> list[Line]:
    """All non-blank lines of the document, classified by the grammar's terminals.

    A ROWS or TEXTS token holds consecutive lines of one kind (blank lines between
    them included); it is split here, each line numbered from the token's first line.
    """
    text = doc.norm if doc.norm.endswith("\n") else doc.norm + "\n"
    match = _scanner().match
    kinds = _KIND
    out: list[Line] = []
    append = out.append
    pos, n, size = 0, 1, len(text)
    while pos < size:
        m = match(text, pos)
        if m is None:  # pragma: no cover - TEXTS and _NL between them match any line
            raise ValueError(f"line {n}: no terminal of report.lark matches")
        value = m.group()
        kind = kinds.get(m.lastgroup)  # None for _NL: blank lines before the first line
        pos = m.end()
        if kind is None:
            n += value.count("\n")
            continue
        for piece in value.split("\n"):
            if piece:
                append(Line(kind, n, piece))
            n += 1
        n -= 1  # the token's text ends with its newlines: the piece after the last one is empty
    return out


_HEADING = re.compile(r"^[ \t]*(?:#{1,6}[ \t]*)?(?:\*\*)?[ \t]*([一二三四五六])[、.．][ \t]*(.*?)[ \t*]*$")
_ORDER = "一二三四五六"


def sections(lines: list[Line], doc: Document) -> list[Section]:
    """The report's sections: headings whose title fits the section number, in order.

    A heading token whose words do not fit (a table label such as
    "一、本年新收政府信息公开申请数量" printed on its own line) is treated as text.
    """
    specs = {s.number: s for s in common().sections}
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
        key = label_key(title)
        order = _ORDER.index(number)
        if order <= last or not any(p in key for p in specs[number].match):
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
