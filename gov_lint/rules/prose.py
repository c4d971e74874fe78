"""The prose of a report as one searchable stream, with positions back to lines.

Narrative (N), metadata (M) and structure (T2xx) rules read the report's sentences,
not its tables.  `Prose` collects every character of `Document.norm` that is not part
of a table (lines with tab or pipe cells, the cell runs of a run-together web text,
page markers such as "— 5 —", the meta header of a saved web page) into one string,
and remembers for every character where it came from.  Lines broken in the middle
of a sentence (PDF or web text) are joined without a separator, so a phrase split
across two lines is still found; a line that ends a sentence is followed by "\\n".

Positions go back with `span(start, end)`: a `Span` on the source line of `start`,
cut at the end of that line when the match runs on.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from decimal import Decimal
from functools import cache
from itertools import compress
from typing import NamedTuple

from ..messages import format_number
from ..model import Report, Span

_PAGE_MARK = re.compile(r"^\s*[-—–－]{1,2}\s*\d{1,3}\s*[-—–－]{1,2}\s*$")
_MD_RULE = re.compile(r"^\s*\|?\s*:?-{3,}")
_HEADER_END = re.compile(r"^=+\s*正文\s*=+\s*$")
_NEXT_NUMERAL = re.compile(r"(?:#+\s*)?(?:\*\*)?[一二三四五六七八九十]+\s*[、.]\s*$")
_SENTENCE_END = "。;!?！？；:：\n"
_CLAUSE_STOPS = "。!?！？\n,;，；"
_HEADING = re.compile(r"^\s*(?:#+\s*)?(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）])")

# A number as printed in prose: 1234, 1,234 (thousands), 12.5; folded text has ASCII digits.
NUMBER = r"(?:\d{1,3}(?:,\d{3})+(?![\d])|\d+)(?:\.\d+)?"
# Words before a number that make it approximate; such numbers are never compared.
APPROX_BEFORE = ("约", "近", "超过", "超", "逾", "余", "不足", "不到", "将近", "接近", "多达", "大约")


# Small counts written in Chinese numerals ("两件", "十二件"), for the phrase table only.
NUMBER_CN = r"(?:[一二两三四五六七八九]?十[一二三四五六七八九]?|[零〇一二两三四五六七八九])"
_CN_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def parse_number(text: str) -> Decimal:
    """A number as printed: ASCII digits (with thousands commas) or a small Chinese numeral."""
    t = text.replace(",", "").replace(" ", "")
    if t and t[0] in _CN_DIGIT or "十" in t:
        if "十" in t:
            tens, _, ones = t.partition("十")
            return Decimal((_CN_DIGIT[tens] if tens else 1) * 10 + (_CN_DIGIT[ones] if ones else 0))
        return Decimal(_CN_DIGIT[t])
    return Decimal(t)


class Piece(NamedTuple):
    """A run of stream characters copied from one line: stream offset → (line, column)."""

    start: int  # offset in the stream
    line: int  # 1-based line
    col0: int  # 0-based column in the line where the run starts
    length: int


def is_table_line(line: str) -> bool:
    """A line of tab cells, a markdown pipe row or a markdown rule ("|---|---|")."""
    return "\t" in line or _pipe_line(line)


def _pipe_line(line: str) -> bool:
    s = line.lstrip()
    return s[:1] == "|" or ("---" in s and bool(_MD_RULE.match(s)))


def _page_mark(stripped: str) -> bool:
    """"— 5 —": a page number between dashes, alone on its line (`stripped`: the line without
    trailing white space; the mark must end in a dash)."""
    return stripped[-1] in "-—–－" and bool(_PAGE_MARK.match(stripped))


class Prose:
    """The report's prose as one string (`text`) with a map back to the document.

    Built in one pass over the lines; the per-line tests are plain string operations,
    with a regular expression only where a cheap test says it may match."""

    def __init__(self, report: Report) -> None:
        self.report = report
        doc = report.document
        self.lines = lines = doc.norm_lines
        self.raw_lines = doc.lines
        self.header_end = header_end = self._header_end()
        # `_pipe_line` only for a line with a pipe or a dash rule in it: most lines have neither
        # ("-" first: one character is found faster than three, and most lines have none)
        table = ["\t" in line or (("|" in line or ("-" in line and "---" in line)) and _pipe_line(line)) for line in lines]
        excluded = self._table_ranges(table)
        heading_lines = {s.span.line for s in report.sections}
        parts: list[str] = []
        pieces: list[Piece] = []
        starts: list[int] = []
        prose_lines: list[int] = []
        pos = 0
        sentence_end = _SENTENCE_END
        new = tuple.__new__  # Piece(...) without its Python-level __new__ (one per prose line)
        # (the lines after the header, each with its number and whether it is a table line)
        for i, line, is_table in zip(range(header_end + 1, len(lines) + 1), lines[header_end:], table[header_end:]):
            if is_table:
                continue
            stripped = line.rstrip()
            if not stripped or (stripped[-1] in "-—–－" and _PAGE_MARK.match(stripped)):  # (`_page_mark`)
                continue
            prose_lines.append(i)
            ranges = excluded.get(i) if excluded else None
            if ranges is None:
                pieces.append(new(Piece, (pos, i, 0, len(line))))
                starts.append(pos)
                parts.append(line)
                pos += len(line)
            else:
                for a, b in _subtract((0, len(line)), ranges):
                    if b <= a:
                        continue
                    pieces.append(Piece(pos, i, a, b - a))
                    starts.append(pos)
                    parts.append(line[a:b])
                    parts.append("\n")  # keep cut-out table text from gluing the two sides together
                    pos += b - a + 1
            if stripped[-1] in sentence_end or i in heading_lines or _HEADING.match(line):
                parts.append("\n")
                pos += 1
        self.pieces = pieces
        self._starts = starts
        # the numbers of the lines read as prose: after the header, not a table line, not blank and not
        # a page mark (whether or not a table on the line left some of it)
        self.prose_lines = prose_lines
        self.text = "".join(parts)
        # worked out when first asked for
        self._bounds: dict[str, tuple[list[int], list[int]]] = {}  # stops → sentences found (sentence_bounds)
        self._reversed: str | None = None
        self._keys: list[tuple[int, int]] | None = None
        self._lazy_headings: list[tuple[tuple[int, int], tuple[int, int], str]] | None = None
        self._lazy_heading_offsets: tuple[list[int], list[str]] | None = None
        self._ranges: dict[str, tuple[int, int] | None] = {}  # section number → section_range

    # ------------------------------------------------------------------ building

    def _header_end(self) -> int:
        """Last line of a saved web page's meta header ("==== 正文 ===="), else 0."""
        head = self.lines[:40]
        if "正文" not in "".join(head):
            return 0  # (one search: most reports have no header)
        for i, line in enumerate(head, start=1):
            if line[:1] == "=" and "正文" in line and _HEADER_END.match(line):  # (the pattern starts with "=")
                return i
        return 0

    @staticmethod
    def _is_table_line(line: str) -> bool:
        return is_table_line(line)

    def _table_ranges(self, table: list[bool]) -> dict[int, list[tuple[int, int]]]:
        """Column ranges (0-based, end exclusive) taken by tables on lines that also hold prose.

        Only matters for run-together web text, where a whole table sits on the same
        line as the sentences around it: the range runs from the table's first
        recognised label or cell to its last cell.  Lines of tab or pipe cells
        (`table`, per line) are left out whole anyway.
        """
        by_line: dict[int, list[tuple[int, int]]] = {}
        n = len(table)
        # only spans on the document's other lines count (a line outside it is dropped below)
        table_lines = set(compress(range(1, n + 1), table))
        for t in self.report.tables.values():
            lines: dict[int, list[Span]] = {}  # rows and cells only: a table's own span may start at the line's start
            for rows in (t.rows.values(), t.unmatched):
                for row in rows:
                    s = row.span
                    if s is not None and s.line not in table_lines:
                        lines.setdefault(s.line, []).append(s)
                    for cell in row.cells.values():
                        s = cell.span
                        if s is not None and s.line not in table_lines:
                            lines.setdefault(s.line, []).append(s)
            for ln, ss in lines.items():
                if ln < 1 or ln > n or len(ss) < 3:
                    continue
                a = min(s.col for s in ss) - 1
                b = max(s.end_col for s in ss) - 1
                by_line.setdefault(ln, []).append((a, b))
        return by_line

    # ------------------------------------------------------------------ positions

    def _piece(self, offset: int) -> Piece | None:
        i = bisect_right(self._starts, offset) - 1
        if i < 0:
            return None
        p = self.pieces[i]
        if offset >= p.start + p.length:
            return None
        return p

    def where(self, offset: int) -> tuple[int, int] | None:
        """(line, 0-based column) of a stream offset, None for an inserted separator."""
        p = self._piece(offset)
        if p is None:
            return None
        return p.line, p.col0 + offset - p.start

    def span(self, start: int, end: int) -> Span | None:
        """Span of stream[start:end] on the line of its first character (cut at line end)."""
        while start < end and self._piece(start) is None:
            start += 1
        p = self._piece(start)
        if p is None:
            return None
        col0 = p.col0 + start - p.start
        piece_end = p.start + p.length
        stop = min(end, piece_end)
        return Span(p.line, col0 + 1, col0 + 1 + (stop - start))

    def quote(self, span: Span | None) -> str:
        """The original text (not folded) under a span."""
        if span is None:
            return ""
        line = self.raw_lines[span.line - 1] if 0 < span.line <= len(self.raw_lines) else ""
        return line[span.col - 1 : span.end_col - 1]

    # ------------------------------------------------------------------ structure

    @property
    def _headings(self) -> list[tuple[tuple[int, int], tuple[int, int], str]]:
        """(heading start, heading end, number) in document order; positions are (line, col0)
        (worked out once: these lazy attributes are plain ones, cheaper than cached_property)."""
        got = self._lazy_headings
        if got is None:
            got = []
            for sec in self.report.sections:
                h = sec.span
                got.append(((h.line, h.col - 1), (h.line, h.end_col - 1), sec.number))
            got.sort()
            self._lazy_headings = got
        return got

    def offset_at(self, line: int, col0: int) -> int:
        """The first stream offset at or after document position (line, col0)."""
        keys = self._keys
        if keys is None:
            keys = self._keys = [(p.line, p.col0) for p in self.pieces]
        i = bisect_right(keys, (line, col0)) - 1
        if i >= 0:
            p = self.pieces[i]
            if p.line == line and col0 < p.col0 + p.length:
                return p.start + max(0, col0 - p.col0)
        i += 1
        return self.pieces[i].start if i < len(self.pieces) else len(self.text)

    def section_at(self, offset: int) -> str:
        """"前言" before the first section heading, else the number of the section ("一"…"六")."""
        # the last stream character at or before `offset` copied from the document (inserted
        # separators come after a piece, and every piece holds at least one character)
        i = bisect_right(self._starts, offset) - 1
        if i < 0:
            return "前言"
        p = self.pieces[i]
        end = p.start + p.length
        j = offset if offset < end else end - 1
        # a heading starts at or before stream offset j exactly when its document position is
        # at or before j's (stream offsets follow document order)
        starts, numbers = self._heading_offsets
        k = bisect_right(starts, j)
        return numbers[k - 1] if k else "前言"

    @property
    def _heading_offsets(self) -> tuple[list[int], list[str]]:
        """The stream offset where each section heading starts, and its number, in order."""
        got = self._lazy_heading_offsets
        if got is None:
            hs = self._headings
            got = self._lazy_heading_offsets = ([self.offset_at(*start) for start, _end, _num in hs],
                                                [num for _s, _e, num in hs])
        return got

    def section_range(self, number: str) -> tuple[int, int] | None:
        """Stream range of a section's body (after its heading, up to the next heading);
        remembered (several rules ask for the same section)."""
        got = self._ranges.get(number, False)
        if got is False:
            got = self._ranges[number] = self._section_range(number)
        return got

    def _section_range(self, number: str) -> tuple[int, int] | None:
        hs = self._headings
        for k, (_start, end, num) in enumerate(hs):
            if num != number:
                continue
            a = self.offset_at(*end)
            b = self.offset_at(*hs[k + 1][0]) if k + 1 < len(hs) else len(self.text)
            # the next heading's span starts after its "六、": leave that out of this body
            m = _NEXT_NUMERAL.search(self.text, max(a, b - 8), b) if b > a else None
            if m:
                b = m.start()
            return a, max(a, b)
        return None

    def preamble_range(self) -> tuple[int, int]:
        hs = self._headings
        return 0, (self.offset_at(*hs[0][0]) if hs else len(self.text))

    def sentence_bounds(self, offset: int, stops: str = "。!?！？\n") -> tuple[int, int]:
        """[start, end) of the sentence (or clause, with other `stops`) around `offset`:
        from after the last stop before `offset` to the first stop at or after it (two
        searches, the backward one in the reversed text).

        The sentences found are remembered per set of stops: a sentence [a, b) has no stop
        inside it, so every offset from a to b (the stop that ends it) lies in that same
        sentence, and a rule asking about another place in it needs no search."""
        known = self._bounds.get(stops)
        if known is None:
            known = self._bounds[stops] = ([], [])
        starts, ends = known
        i = bisect_right(starts, offset) - 1
        if i >= 0 and offset <= ends[i]:
            return starts[i], ends[i]
        pat = _stop_pattern(stops)
        n = len(self.text)
        m = pat.search(self.text, offset)
        b = m.start() if m else n
        rev = self._reversed
        if rev is None:
            rev = self._reversed = self.text[::-1]
        m = pat.search(rev, n - offset)
        a = n - m.start() if m else 0
        starts.insert(i + 1, a)  # (sentences do not overlap: this one comes after the i-th)
        ends.insert(i + 1, b)
        return a, b

    def sentence_start(self, offset: int, stops: str = "。!?！？\n") -> int:
        """`sentence_bounds(offset, stops)[0]`: a sentence found before, else one backward search."""
        known = self._bounds.get(stops)
        if known is not None:
            starts, ends = known
            i = bisect_right(starts, offset) - 1
            if i >= 0 and offset <= ends[i]:
                return starts[i]
        rev = self._reversed
        if rev is None:
            rev = self._reversed = self.text[::-1]
        n = len(self.text)
        m = _stop_pattern(stops).search(rev, n - offset)
        return n - m.start() if m else 0

    def clause_start(self, offset: int) -> int:
        return self.sentence_start(offset, _CLAUSE_STOPS)

    def clause_bounds(self, offset: int) -> tuple[int, int]:
        return self.sentence_bounds(offset, _CLAUSE_STOPS)


@cache
def _stop_pattern(stops: str) -> re.Pattern:
    return re.compile("[" + re.escape(stops) + "]")


def _subtract(whole: tuple[int, int], cuts: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out = []
    a, b = whole
    for c, d in sorted(cuts):
        if d <= a or c >= b:
            continue
        if c > a:
            out.append((a, c))
        a = max(a, d)
    if a < b:
        out.append((a, b))
    return out


def approx_before(text: str, offset: int) -> bool:
    """True when the number at `offset` is preceded by 约/近/超过… (an approximate figure)."""
    return text[max(0, offset - 4) : offset].rstrip().endswith(APPROX_BEFORE)


fmt_number = format_number  # the one number formatter (messages.py)
