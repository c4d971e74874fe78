"""parse: Document → Report.

`parse(doc)` runs the line grammar, finds the sections, the title, year and
agency, reads the three tables and decides which template the report follows.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import cache, lru_cache
from operator import attrgetter

from ..agency import CHROME, Candidate, choose, clean_name, contact_name, name_in_title, signature_name
from ..model import Document, Report, Span
from ..templates import load_template, template_for_year
from ..text import label_key, phrase_finder
from .lines import Line, scan, sections
from .decode import Run, decode_tables, settle_by_prose
from .tables import header4_from, read_table2, read_table3, read_table4

__all__ = ["parse"]

_TITLE_WORDS = ("年度报告", "工作年报", "年报")
# 2023 年, and 二〇二三年 as formal titles write it
_YEAR = re.compile(r"((?:19|20)\d{2}|[一二][〇零○Oo一二三四五六七八九]{3})\s*年")
_CN_DIGIT = {"〇": "0", "零": "0", "○": "0", "O": "0", "o": "0", "一": "1", "二": "2", "三": "3", "四": "4",
             "五": "5", "六": "6", "七": "7", "八": "8", "九": "9"}


_PERIOD = re.compile(r"((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日")


def _year(text: str) -> int:
    """The year of a _YEAR match: digits, or Chinese numerals digit by digit (二〇二三 → 2023)."""
    return int(text) if text.isdigit() else int("".join(_CN_DIGIT[c] for c in text))


def parse(doc: Document) -> Report:
    lines = scan(doc)
    report = Report(document=doc)
    report.sections = sections(lines, doc)
    _title(report, lines)
    runs: list[Run] = []
    grid = doc.format in ("html", "docx", "pdf")  # the reader kept every table position
    table2, used = read_table2(lines, runs, grid=grid)
    skip = set(used)
    header4 = header4_from(lines, doc.norm)
    table3, _ = read_table3(lines, skip, runs, grid=grid, header4=header4)
    table4 = read_table4(lines, skip, runs, header4)
    for t in (table2, table3, table4):
        if t is not None:
            report.tables[t.id] = t
    ties = decode_tables(report.tables, [r for r in runs if r.table in report.tables])
    _signatures(report, lines)
    _decide_template(report)
    settle_by_prose(report, ties)
    return report


def _title(report: Report, lines: list[Line]) -> None:
    """Title, year and agency from the first lines before section 一 (and the crawler's header)."""
    doc = report.document
    first_section = report.sections[0].span.line if report.sections else len(doc.lines) + 1
    before = bisect_left(lines, first_section, key=attrgetter("line"))  # (lines are in order)
    head = [ln for ln in lines[:before] if ln.kind in ("text", "heading") and not _is_meta(ln.text)]
    cands: list[Candidate] = []
    for i, ln in enumerate(head[:8]):
        key = ln.key
        if not any(w in key for w in _TITLE_WORDS) or key.startswith(_NOT_TITLE):
            continue
        if len(key) > 80 or any(w in ln.text for w in CHROME):
            # a breadcrumb or a run-together page: the title is somewhere inside the line
            if _embedded_title(report, ln, cands):
                break
            continue
        parts = [ln]
        prev = head[i - 1] if i > 0 else None
        # a title broken over two lines: "某某镇人民政府" / "2020 年政府信息公开工作年度报告"
        if prev is not None and prev.line >= ln.line - 2 and len(prev.key) <= 40 and "报告" not in prev.text:
            parts = [prev, ln]
        report.title = "".join(p.key for p in parts)
        report.title_span = Span(parts[0].line, 1, len(doc.line(parts[0].line)) + 1)
        for p in parts:
            m = _YEAR.search(p.text)
            if m:
                report.year = _year(m.group(1))
                report.year_span = Span(p.line, m.start(1) + 1, m.end(1) + 1)
                break
        cand = _title_agency(parts, "title")
        if cand:
            cands.append(cand)
        break
    _meta_header(report, lines, cands)
    if report.title is None and doc.meta.get("title"):
        _title_text(report, doc.meta["title"], cands)
    if report.year is None:
        m = _PERIOD.search(doc.norm)
        if m:
            line = doc.norm.count("\n", 0, m.start(1)) + 1
            col = m.start(1) - (doc.norm.rfind("\n", 0, m.start(1)) + 1) + 1
            report.year = int(m.group(1))
            report.year_span = Span(line, col, col + 4)
    if not any(c.confident for c in cands):
        # the signature and the contact sentence only count without a title, header or publisher
        # (`agency.choose` takes a confident source over them): no search when one was found
        _more_agency_sources(report, cands)
    best, confident = choose(cands)
    if best is not None:
        report.agency_source = best.source
        if confident:
            report.agency = best.name
            if best.line:
                report.agency_span = Span(best.line, best.start + 1, best.end + 1)
        else:
            report.agency_guess = best.name


_YEAR_FIRST = re.compile(r"^[\s#*]*(?:(?:19|20)\d{2}|[一二][〇零○Oo一二三四五六七八九]{3})\s*年度?\s*(?P<name>[^\s，。,:：]{2,40}?)"
                         r"\s*(?:政府信息公开|政务公开|信息公开)")
_TITLE_END = re.compile(r"年度?\s*的?\s*(?:政府信息公开|政务公开|信息公开)\S{0,12}?(?:年度报告|工作年报|年报|报告)")


def _embedded_title(report: Report, ln: Line, cands: list[Candidate]) -> bool:
    """A title inside a longer line (a breadcrumb, a page flattened to one line)."""
    hit = name_in_title(ln.text)
    if hit is None:
        return False
    name, start, end = hit
    y = _YEAR.search(ln.text, end)
    tail = _TITLE_END.search(ln.text, y.end(1)) if y else None
    if y is None or tail is None or tail.start() != y.end(1) - 0 and ln.text[y.end(1):tail.start()].strip():
        return False
    report.title = label_key(ln.text[start: tail.end()])
    report.title_span = Span(ln.line, start + 1, tail.end() + 1)
    report.year = _year(y.group(1))
    report.year_span = Span(ln.line, y.start(1) + 1, y.end(1) + 1)
    cands.append(Candidate(name, "title", ln.line, start, end))
    return True


def _title_agency(parts: list[Line], source: str) -> Candidate | None:
    """The body named in a title (one or two lines): the text before the year, cleaned,
    or after it when the title starts with the year ("2023 年度某某镇政府信息公开…")."""
    for p in parts:
        hit = name_in_title(p.text)
        if hit:
            return Candidate(hit[0], source, p.line, hit[1], hit[2])
    for p in parts:
        m = _YEAR.search(p.text)
        piece = p.text[: m.start()] if m else re.split(r"政府信息公开|政务公开|信息公开|年度报告|工作年报", p.text)[0]
        name = clean_name(piece)
        if name:
            at = p.text.find(name[:2])
            return Candidate(name, source, p.line, max(at, 0), max(at, 0) + len(piece.strip()))
    for p in parts:
        m = _YEAR_FIRST.match(p.text)
        if m:
            name = clean_name(m.group("name"))
            if name:
                return Candidate(name, source, p.line, m.start("name"), m.end("name"))
    return None


_META = re.compile(r"^\s*(标题|发布时间|发布日期|文号|发布机构|栏目|原文链接|本地目录|来源|索引号|页面链接与图片详见)\s*[:：]")


_NOT_TITLE = ("本报告", "根据", "本年度报告", "按照", "依据")
_META_TITLE = re.compile(r"^\s*标题\s*[:：]\s*(.+?)\s*(?:[-_|–—]\s*[^-_|–—]*)?$")
_META_PUBLISHER = re.compile(r"^\s*发布机构\s*[:：]\s*(\S.*?)\s*$")


def _meta_header(report: Report, lines: list[Line], cands: list[Candidate]) -> None:
    """A saved page's header: `标题: …` (site name after a dash dropped) and `发布机构: …`."""
    for ln in lines[:12]:
        if "标题" not in ln.text and "发布机构" not in ln.text:
            continue  # (both patterns need their word as it is: most lines have neither)
        pub = _META_PUBLISHER.match(ln.text)
        if pub:
            name = clean_name(pub.group(1))
            if name:
                cands.append(Candidate(name, "publisher", ln.line, pub.start(1), pub.end(1)))
            continue
        m = _META_TITLE.match(ln.text)
        if not m or not any(w in m.group(1) for w in _TITLE_WORDS):
            continue
        part = Line(ln.kind, ln.line, " " * m.start(1) + ln.text[m.start(1): m.end(1)])
        cand = _title_agency([part], "header")
        if cand:
            cands.append(cand)
        if report.title is not None:
            continue
        report.title = label_key(m.group(1))
        report.title_span = Span(ln.line, m.start(1) + 1, m.end(1) + 1)
        y = _YEAR.search(part.text, m.start(1))
        if y:
            report.year = _year(y.group(1))
            report.year_span = Span(ln.line, y.start(1) + 1, y.end(1) + 1)


def _title_text(report: Report, title: str, cands: list[Candidate]) -> None:
    """Title, year and agency from a title known only from the file's metadata (no position)."""
    key = label_key(title)
    if not any(w in key for w in _TITLE_WORDS):
        return
    report.title = key
    m = _YEAR.search(title)
    if m and report.year is None:
        report.year = _year(m.group(1))
    cand = _title_agency([Line("text", 0, title)], "header")
    if cand:
        cands.append(Candidate(cand.name, "header"))


def _more_agency_sources(report: Report, cands: list[Candidate]) -> None:
    """The signature line above the closing date, and the contact sentence."""
    doc = report.document
    sig = signature_name(doc.norm_lines)
    if sig:
        cands.append(Candidate(sig[0], "signature", sig[1], sig[2], sig[3]))
    who = contact_name(doc.norm)
    if who:
        cands.append(Candidate(who, "contact"))


def _is_meta(text: str) -> bool:
    return bool(_META.match(text)) or text.strip().strip("=") in ("", "正文") or text.strip() == "正文"


@cache
def _any_signature() -> re.Pattern[str]:
    """Finds a signature label of either format in a line's folded text (when its key has one)."""
    return phrase_finder(tuple(sig for tid in ("2019", "2021") for sig in load_template(tid).signatures))


@lru_cache(maxsize=4096)
def _signatures_in(key: str) -> tuple[tuple[str, str, str, int], ...]:
    """(template, signature, its first four characters, its length) of every signature label in a
    line's key, 2019's first (keys recur: the same row lines come back from report to report)."""
    return tuple((tid, sig, sig[:4], len(sig)) for tid in ("2019", "2021") for sig in load_template(tid).signatures
                 if sig in key)


def _signatures(report: Report, lines: list[Line]) -> None:
    """Labels only one of the two formats has, with where they were seen."""
    hits: dict[str, list[tuple[str, Span]]] = {"2019": [], "2021": []}
    doc = report.document
    # prose sections hold no tables: a short line there ("（三）推进政府集中采购信息公开")
    # is a sub-heading, not a table label
    prose = [(s.start_line, s.end_line) for s in report.sections if s.number in ("一", "五", "六")]
    has_signature = _any_signature().search
    new = tuple.__new__  # (what Span(...) does, without its Python-level __new__)
    for ln in lines:
        if ln.kind != "row" and not (ln.kind == "text" and len(ln.text) < 40):
            continue
        if not has_signature(ln.text):
            continue  # no signature in the line's key (text.phrase_finder): the key is not needed
        if ln.kind == "text" and ("。" in ln.text or any(a <= ln.line <= b for a, b in prose)):
            continue
        norm = doc.norm_lines[ln.line - 1]
        for tid, sig, head, size in _signatures_in(ln.key):
            at = norm.find(head)
            col = at + 1 if at >= 0 else 1
            hits[tid].append((sig, new(Span, (ln.line, col, col + size))))
    t3 = report.tables.get("三")
    if t3 is not None:
        sub = [k for k in ("三.六.1", "三.六.2", "三.六.3") if k in t3.rows]
        six = t3.rows.get("三.六")
        if sub:
            row = t3.rows[sub[0]]
            hits["2021"].append(("（六）其他处理 1–3", row.span or Span(row.line, 1, 2)))
        elif six is not None and any(c.kind == "number" for c in six.cells.values()):
            hits["2019"].append(("（六）其他处理", six.span or Span(six.line, 1, 2)))
    report.signatures = {k: v for k, v in hits.items() if v}


def _decide_template(report: Report) -> None:
    """Template by year, cross-checked with the signatures (spec §7).

    When the tables plainly follow the other format (its signatures only), they are
    read with that format: the numbers are still checked, and a T rule reports the
    mismatch with the year.
    """
    sig = report.signatures
    if report.year is not None and report.year < 2019:
        report.template = "legacy"
        # the old statistics table is not the 2019/2021 tables: a line such as
        # `2.同意部分公开答复数` must not become row 三.二 (corpus 011)
        report.tables.clear()
        return
    by_year = template_for_year(report.year) if report.year else None
    only = [t for t in sig if t not in ("legacy",)]
    if by_year is None:
        report.template = only[0] if len(only) == 1 else ("unknown" if not only else max(only, key=lambda t: len(sig[t])))
        return
    report.template = by_year.id
    if only and by_year.id not in only:
        report.template = only[0]
