"""Web-page text whose table cells are run together: give it lines again.

Text copied from a web page often loses every table boundary: a whole report on
one line, `规章000行政规范性文件8855698第二十条第（五）项…`, a row's digits running
into the next label's ordinal (`3700000372.没有现成信息…`).  This module cuts such
a line before every label the templates know (section headings, 第二十条 captions,
section-二/三 row labels, the section-四 header), puts a tab between a label and
its run of digits, and splits a 信息内容 header into its column labels.  The
result is an ordinary Document in the seeds' layout, with a SourceMap back to the
original line and column of every piece.

It does not split the digit runs themselves: which digits belong to which cell
depends on the table's relations, and that is the parser's job (parse/decode.py).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import cache
from itertools import accumulate

from ..model import Document, SourceMap
from ..templates import TEMPLATE_IDS, common, header_pieces, load_template
from ..text import fold

MIN_LENGTH = 400  # only lines at least this long are considered
_TABLE_MARKERS = ("第二十条第", "本年新收政府信息公开申请", "申请人情况")
_HEADING = re.compile(r"[一二三四五六]、")
_TITLE_END = ("情况", "事项", "措施")
_DIGITS_TAIL = re.compile(r"(?<=[^\d\s.+\-])\s*([+\-]?\d[\d\s.,+\-]*(?:万元|元|个|件|项|条)?)\s*$")
_TAIL_ENDS = frozenset(".,+-元个件项条")  # what a _DIGITS_TAIL match can end with, besides a digit
_SECTION4_HEADER = re.compile(r"行政复议\s*行政诉讼")
_NON_SPACE = re.compile(r"\S+")
_DIGIT = re.compile(r"\d")


def _long_run(line: str) -> bool:
    """A long line with no cell separators that holds table labels or several section headings."""
    if len(line) < MIN_LENGTH or "\t" in line or "|" in line:
        return False
    if any(m in line for m in _TABLE_MARKERS):
        return True
    return sum(1 for m in _HEADING.finditer(line) if _title_end(line, m.start())) >= 3


def is_run_together(doc: Document) -> bool:
    """True when some line is a whole report (or its tables) run together.

    Only lines of at least MIN_LENGTH characters are looked at; a report with none (the usual
    one) is told apart by one C-level pass over the line lengths."""
    lines = doc.norm_lines
    if len(doc.norm) < MIN_LENGTH or max(map(len, lines)) < MIN_LENGTH:
        return False
    return any(_long_run(line) for line in lines if len(line) >= MIN_LENGTH)


@cache
def _phrases() -> list[tuple[str, str, str]]:
    """Row labels to cut before (with their item ordinal, e.g. "2.", and the label without its
    spaces), longest first."""
    rows: dict[str, str] = {}
    for spec in common().rows3.values():
        label = fold(spec.label).replace(" ", "")
        m = re.match(r"^(\d{1,2}\.)(.*)$", label)
        rows[m.group(2) if m else label] = m.group(1) if m else ""
    for group in ("(三)不予公开", "(四)无法提供", "(五)不予处理", "(六)其他处理", "三、本年度办理结果", "(七)总计"):
        rows.setdefault(group, "")
    for tid in TEMPLATE_IDS:
        for block in load_template(tid).blocks:
            for r in block.rows:
                rows.setdefault(fold(r.label), "")
    return sorted(((phrase, ordinal, "".join(phrase.split())) for phrase, ordinal in rows.items()),
                  key=lambda kv: -len(kv[0]))


def _cuts(line: str) -> list[int]:
    """Positions in `line` (folded) where a new line should start."""
    cuts: set[int] = set()
    head = line[:100]
    for word in ("年度报告", "工作年报"):
        at = head.find(word)
        if at >= 0 and "《" not in head[:at] and re.search(r"(19|20)\d\d\s*年", head[:at]):
            cuts.add(at + len(word))  # the title, run into the preamble
            break
    headings = [(m.start(), _title_end(line, m.start())) for m in _HEADING.finditer(line)]
    for start, end in headings:
        if end:
            cuts.update((start, end))
    lo, hi = _table_region(line, headings)
    rows = _phrases()
    flat = _collapse(line, lo, hi)
    taken = bytearray(len(line) + 1)  # 1 where a label already found stands
    for phrase, ordinal, bare in rows:
        for at, length in _occurrences(flat, bare):
            if taken[at]:
                continue  # inside a longer label already found
            window = max(0, at - len(ordinal) - 3)  # the ordinal, perhaps followed by spaces
            before = line[window:at].rstrip()
            has_ordinal = bool(ordinal) and before.endswith(ordinal)
            if len(phrase) <= 4 and ordinal and not has_ordinal:
                continue  # a short label such as 3.其他 only counts with its number
            taken[at : at + length] = b"\x01" * length
            cut = window + len(before) - len(ordinal) if has_ordinal else at
            cuts.add(cut)
    for word in ("第二十条第", "信息内容", "(本列数据的勾稽关系"):
        start = lo
        while (at := line.find(word, start, hi)) >= 0:
            cuts.add(at)
            start = at + 1
    section4 = _SECTION4_HEADER.search(line, lo, hi)
    if section4:
        cuts.add(section4.start())
    return sorted(c for c in cuts if 0 < c < len(line))


def _collapse(line: str, lo: int, hi: int) -> tuple[str, list[int], list[int]]:
    """line[lo:hi] without whitespace; and for each stretch of non-space characters, where it
    starts in the line and in the collapsed text (`_in_line` maps a position back; linear)."""
    spans = [m.span() for m in _NON_SPACE.finditer(line, lo, hi)]
    starts = [a for a, _b in spans]
    at = list(accumulate([b - a for a, b in spans[:-1]], initial=0)) if spans else []
    return "".join([line[a:b] for a, b in spans]), starts, at


def _in_line(flat: tuple[str, list[int], list[int]], k: int) -> int:
    """The position in the line of the collapsed text's character k."""
    _text, starts, at = flat
    j = bisect_right(at, k) - 1
    return starts[j] + k - at[j]


def _occurrences(flat: tuple[str, list[int], list[int]], phrase: str) -> list[tuple[int, int]]:
    """Where `phrase` (written without spaces) stands in the table region, whatever spaces the
    page left inside it (`(三)不予 公开`, `(一) 予以公开`): (start in the line, length in the line)."""
    text, starts, ats = flat
    found = []
    start = 0
    last = len(phrase) - 1
    while phrase and (at := text.find(phrase, start)) >= 0:
        j = bisect_right(ats, at) - 1
        a = starts[j] + at - ats[j]
        j = bisect_right(ats, at + last, j) - 1
        found.append((a, starts[j] + at + last - ats[j] + 1 - a))
        start = at + 1
    return found


def _table_region(line: str, headings: list[tuple[int, int | None]]) -> tuple[int, int]:
    """From the first table marker to the section-五 heading: where table labels are cut
    (`headings`: where each 一、… 六、 starts in the line and `_title_end` of it)."""
    starts = [at for m in _TABLE_MARKERS if (at := line.find(m)) >= 0]
    lo = min(starts) if starts else len(line)
    hi = len(line)
    for start, end in headings:
        if start >= lo and line[start] == "五" and end:
            hi = start
            break
    return lo, hi


@cache
def _section_specs() -> dict:
    """The template's section specs by their number (一 … 六)."""
    specs: dict = {}
    for spec in common().sections:
        specs.setdefault(spec.number, spec)
    return specs


def _title_end(line: str, start: int) -> int | None:
    """End of a section heading starting at `start`, or None if it is not one."""
    spec = _section_specs().get(line[start])
    if spec is None:
        return None
    window = line[start + 2 : start + 40]
    end = min((at + len(w) for w in _TITLE_END if (at := window.find(w)) >= 0), default=None)
    if end is None:
        return None
    title = window[:end]
    if _DIGIT.search(title) or not any(p in title.replace(" ", "") for p in spec.match):
        return None
    return start + 2 + end


def unrun(doc: Document) -> Document:
    """A Document with the run-together lines cut into table rows (others unchanged)."""
    out: list[str] = []
    out_norm: list[str] = []  # the same lines folded: folding is one character for one, so cut alike
    smap = SourceMap()
    for n, (raw, norm) in enumerate(zip(doc.lines, doc.norm_lines), start=1):
        if not _long_run(norm):
            smap.add(len(out) + 1, 1, n, 1)
            out.append(raw)
            out_norm.append(norm)
            continue
        bounds = [0] + _cuts(norm) + [len(norm)]
        for a, b in zip(bounds, bounds[1:]):
            seg = norm[a:b]
            seg_norm = seg.strip()
            if not seg_norm:
                continue
            a += len(seg) - len(seg.lstrip())
            b = a + len(seg_norm)
            pieces: list[tuple[int, int]]
            if seg_norm.startswith("信息内容"):
                pieces = [(a + x, a + y) for x, y in header_pieces(seg_norm)]
            else:
                # (the numbers end the segment: the last character is a digit, a separator or a unit)
                m = _DIGITS_TAIL.search(seg_norm) if seg_norm[-1].isdigit() or seg_norm[-1] in _TAIL_ENDS else None
                digits_at = m.start(1) if m else 0
                line_no = len(out) + 1
                if digits_at > 0:  # a label and its numbers: two cells
                    x1 = a + digits_at
                    y0 = a + len(norm[a:x1].rstrip())
                    smap.set_line(line_no, [1, y0 - a + 2], [(n, a + 1, None), (n, x1 + 1, None)])
                    out.append(f"{raw[a:y0]}\t{raw[x1:b]}")
                    out_norm.append(f"{norm[a:y0]}\t{norm[x1:b]}")
                else:  # one cell
                    smap.set_line(line_no, [1], [(n, a + 1, None)])
                    out.append(raw[a:b])
                    out_norm.append(seg_norm)
                continue
            col = 1
            cols, places, parts = [], [], []
            for x, y in pieces:
                cols.append(col)
                places.append((n, x + 1, None))
                parts.append(raw[x:y])
                col += (y - x) + 1
            smap.set_line(len(out) + 1, cols, places)  # (a new line: its pieces in one go)
            out.append("\t".join(parts))
            out_norm.append("\t".join([norm[x:y] for x, y in pieces]))
    result = Document(path=doc.path, text="\n".join(out), format=doc.format, encoding=doc.encoding,
                      source_map=smap, meta=dict(doc.meta), notes=list(doc.notes), norm="\n".join(out_norm),
                      lines=out, norm_lines=out_norm)
    result.meta["layout"] = "run-together"
    return result
