"""Claim extraction: the numbers in the prose that speak of a table cell.

One pass of the phrase matcher (quantities.py) over the prose, then the reading in
context that decides whether a phrase really states that quantity:

* the **subject**: a number is compared with table 三 only when the words before it
  speak of applications (申请), not of information the office produced or published
  ("制发政府信息…其中依申请公开…不予公开…" counts documents, not requests); table 四
  needs 复议/诉讼, table 二 the verbs of its phrases (制发, 废止, 现行有效);
* the **scope**: a number about a wider body (各部门, 下属单位, or 全区/我区 in the
  report of a body that does not govern the 区) is not this office's table, unless the
  office itself (本局, 我单位…) is named after it;
* the **kind of number**: approximate figures (约, 近…), changes (同比, 增加…), last
  year's or another year's figures, one channel (网上, 信函…), a subset right after
  其中/包括 (for a quantity that is not itself a part).

Being wrong costs more than missing something: a phrase that fails any of these is
not a claim.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import NamedTuple
from decimal import Decimal, InvalidOperation

from ...model import Report
from ..prose import Prose, approx_before, parse_number
from .quantities import Quantity, matcher

_SUBSET = re.compile(r"其中|包括|含")
_CHANGE = re.compile(r"去年|同比|环比|较上年|比上年|上一?年度?(?!结转)|减免|免征|减少|降低|退还|退费|增加|增长|下降|新增")
CHANNEL_WORDS = re.compile(r"网上|线上|线下|信函|邮寄|当面|现场|传真|电子邮件|邮箱|来电|电话|窗口|平台|网站|微信|热线")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
# a body wider than the office itself: its numbers are not this office's table
_WIDER_SCOPE = re.compile(r"各(?:级|地|部门|单位|乡镇|街道|县|区|市|镇|乡|村)|下属|所属|系统内|辖区内")
# "全区"/"我区" is the office itself in a district government's report, a wider body in a bureau's
_WHOLE_AREA = re.compile(r"(?:全|我|本)(?P<level>省|市|州|盟|区|县|旗|镇|乡|街道)")
# both in one scan: no match of either holds a character a match of the other starts with
# (各下所系辖 / 全我本), so one scan finds the matches of each
_WIDER_OR_AREA = re.compile(f"(?P<wider>{_WIDER_SCOPE.pattern})|{_WHOLE_AREA.pattern}")
# the office itself, named after a wider body: "在各级领导关心下，我局共收到…"
_SELF = re.compile(r"(?:本|我)(?:机关|局|单位|部门|办|委|中心|院|厅|府|署|会|站|所)")
_GOVERNMENT_SUFFIX = re.compile(r"(?:人民政府|政府|管委会|管理委员会|办事处)$")
_BODY_IN_TITLE = re.compile(r"^\s*(.{2,40}?)(?:19|20)\d{2}\s*年")
# applications as the subject: 申请 as a noun (not 依申请公开 as a class of information)
_APPLICATION = re.compile(r"申请(?!公开)|依申请公开(?:申请|事项|工作中|办理|(?:的)?(?:政府)?信息)")
# information the office produced or published as the subject
_INFORMATION = re.compile(
    r"(?:制发|制作|产生|生成|发布|发文|印发|主动公开|公开)(?:了|的)?(?:各类|各项|政府|公文|文件)*(?:信息|公文|文件)"
)
_WINDOW = 150


class Claim(NamedTuple):
    """A number in the prose that states the quantity of a table cell (a named tuple: one for
    most phrase hits of every report, made faster than a frozen dataclass)."""

    quantity: Quantity
    number: str  # as printed
    stated: Decimal
    unit: str
    start: int  # the phrase, in the prose stream
    end: int
    n_start: int  # the number
    unit_end: int  # end of its unit
    section: str


def other_year(report: Report, text: str) -> bool:
    """True when `text` names a year other than the report's ("2022年")."""
    if report.year is None:
        return False
    return any(int(m.group(1)) != report.year for m in _YEAR.finditer(text))


# a slice at most this long is searched itself, a longer one looked up in the year mentions of the text
_SHORT_SLICE = 64


def other_year_in(report: Report, prose: Prose, a: int, b: int) -> bool:
    """`other_year(report, prose.text[a:b])`: a short slice searched itself, a longer one from the
    year mentions of the whole text (found once per prose, so the cost stays linear in the text).
    A mention is four digits, spaces, 年: each 年 has at most one, and no two overlap, so the
    mentions inside [a, b) are exactly those of the slice."""
    if report.year is None:
        return False
    if b - a <= _SHORT_SLICE:  # (most asks: the sentence up to a number; one search of it is cheaper)
        return other_year(report, prose.text[a:b])
    got = prose.__dict__.get("_years")
    if got is None:
        found = [(m.start(), m.end(), int(m.group(1))) for m in _YEAR.finditer(prose.text)]
        got = prose.__dict__["_years"] = ([x[0] for x in found], found)
    starts, found = got
    year = report.year
    for i in range(bisect_left(starts, a), len(found)):
        _start, end, y = found[i]
        if end > b:
            return False  # (the mentions are in order, their ends too)
        if y != year:
            return True
    return False


def _other_quantity(report: Report, prose: Prose, start: int, q: Quantity) -> bool:
    """True when the words before a matched phrase make its number a different quantity."""
    text = prose.text
    c0 = prose.clause_start(start)
    if c0 < start:  # (a phrase that starts its clause has no words before it to look at)
        clause = text[c0:start]
        if not q.part and _SUBSET.search(clause):
            return True
        if _CHANGE.search(clause):
            return True
        if q.code == "N101" and CHANNEL_WORDS.search(clause):
            return True
    s0 = prose.sentence_start(start)
    return other_year_in(report, prose, s0, start)


# the last report's level, as one (report, level) tuple replaced whole
_LEVEL: tuple[Report | None, str | None] = (None, None)


def area_level(report: Report) -> str | None:
    """The level of area an office governs ("镇" for 某镇人民政府, "区" for 平潭综合实验区),
    None for a department (某某局) or when the name is not known (worked out once per report)."""
    global _LEVEL
    held = _LEVEL
    if held[0] is report:
        return held[1]
    level = _area_level(report)
    _LEVEL = (report, level)
    return level


def _area_level(report: Report) -> str | None:
    names = [report.agency or ""]
    m = _BODY_IN_TITLE.match(report.title or "")
    if m:
        names.append(m.group(1))
    for name in names:
        name = _GOVERNMENT_SUFFIX.sub("", name.strip())
        if "当前位置" in name or "首页" in name or not name:
            continue
        for level in ("街道", "省", "市", "州", "盟", "区", "县", "旗", "镇", "乡"):
            if name.endswith(level):
                return level
        return None
    return None


def _wider_places(report: Report, prose: Prose) -> tuple[list[int], list[int]]:
    """Starts and ends of every mention of a wider body in the text (once per prose).

    Neither pattern's matches can overlap another of its own, and no match ends in a
    number or straddles a sentence stop, so the mentions inside a sentence up to a number
    are exactly the mentions of the whole text that fall there."""
    got = prose.__dict__.get("_wider")
    if got is None:
        level = area_level(report)
        spans = [m.span() for m in _WIDER_OR_AREA.finditer(prose.text)
                 if m.group("wider") is not None or m.group("level") != level]
        got = prose.__dict__["_wider"] = ([a for a, _b in spans], [b for _a, b in spans])
    return got


def _wider_scope(report: Report, prose: Prose, start: int) -> bool:
    """True when the sentence before the number speaks of a body wider than the office."""
    starts, ends = _wider_places(report, prose)
    if not starts:
        return False
    s0 = prose.sentence_start(start)
    last = -1
    for i in range(bisect_left(starts, s0), len(starts)):
        if starts[i] >= start:
            break
        if ends[i] <= start and ends[i] > last:
            last = ends[i]
    if last < 0:
        return False
    return not _SELF.search(prose.text, last, start)


def subject_is_applications(prose: Prose, start: int, end: int, section: str) -> bool:
    """True when the number at [start, end) is about applications (the subject of table 三).

    The phrase itself may name them ("收到…申请 12 件"); otherwise the 150 characters
    before it must, and no mention of produced or published information may come
    between that and the number.  In section 三, whose subject is applications, the
    subject may go unsaid, but produced information still rules the number out.
    """
    text = prose.text
    if "申请" in text[start:end]:
        return True
    lo = max(0, start - _WINDOW)
    last_app = max((m.end() for m in _APPLICATION.finditer(text, lo, start)), default=-1)
    last_info = max((m.end() for m in _INFORMATION.finditer(text, lo, start)), default=-1)
    if last_info > last_app:
        return False
    return last_app >= 0 or section == "三"


def _context_fits(report: Report, prose: Prose, q: Quantity, a: int, b: int, n_start: int, section: str) -> bool:
    text = prose.text
    if q.sections and section not in q.sections:
        return False
    if _other_quantity(report, prose, a, q):
        return False
    if q.qualifier and section not in q.qualifier_sections:
        s0, _s1 = prose.sentence_bounds(a)
        if not any(w in text[s0:b] for w in q.qualifier):
            return False
    if section not in q.context_sections:
        if q.context_scope == "sentence":
            s0, _s1 = prose.sentence_bounds(a)
            # the qualifier must come before the number ("信息公开…行政复议 2 件"),
            # not after it ("行政复议 120 件，其中涉及信息公开的 3 件")
            if q.context and not any(w in text[s0:b] for w in q.context):
                return False
            if q.blockers:
                last = max(text.rfind(w, s0, a) for w in q.context)
                if last < 0 or any(w in text[last:a] for w in q.blockers):
                    return False
        elif q.context and not any(w in text[max(0, a - _WINDOW) : b] for w in q.context):
            return False
    if q.subject == "申请" and not subject_is_applications(prose, a, n_start, section):
        return False
    return True


def extract(report: Report, prose: Prose) -> list[Claim]:
    """Every claim in the prose, in text order (one scan of the phrase matcher).

    Phrases are taken left to right; a phrase that overlaps one already taken is
    skipped, and a phrase whose context does not fit leaves its text to the others."""
    out: list[Claim] = []
    taken_until = -1
    for hit in matcher().hits(prose.text):
        if hit.start < taken_until:
            continue
        claim = _read(report, prose, hit)
        if claim is not None:
            out.append(claim)
            taken_until = hit.end
    return out


def _read(report: Report, prose: Prose, hit) -> Claim | None:
    text = prose.text
    if approx_before(text, hit.n_start):
        return None
    try:
        stated = parse_number(hit.number)
    except (InvalidOperation, KeyError):
        return None
    section = prose.section_at(hit.n_start)
    if _wider_scope(report, prose, hit.n_start):
        return None
    for q in hit.candidates:
        if not q.money and stated != stated.to_integral_value():
            continue
        if _context_fits(report, prose, q, hit.start, hit.end, hit.n_start, section):
            # (made without the named tuple's Python-level __new__: the fields in order)
            return tuple.__new__(Claim, (q, hit.number, stated, hit.unit, hit.start, hit.end, hit.n_start, hit.unit_end,
                                         section))
    return None
