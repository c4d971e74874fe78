"""Structure rules (T2xx): the six sections, their order and titles, and what
sections 五 and 六 must say.

Titles are compared with the statutory ones (spec §2.2, §3.2, §6) after
normalisation; a different wording that still names the section's topic is a known
variant (info), a title that does not is a warning.  T1xx (template and year) are
the parser's rules in builtin.py.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from itertools import chain
from typing import Iterator, NamedTuple

from ..model import Finding, Related, Report, Span
from ..templates import common
from ..text import label_key
from .base import CheckContext, Rule, doc
from .narrative import prose_of

NUMERALS = ("一", "二", "三", "四", "五", "六")

# what a title must name to be the section at all
_TOPIC = {
    "一": re.compile(r"总体|基本情况|概述|概况"),
    "二": re.compile(r"主动公开"),
    "三": re.compile(r"申请"),
    "四": re.compile(r"复议|诉讼"),
    "五": re.compile(r"问题|不足|改进|整改"),
    "六": re.compile(r"其他|其它"),
}


@cache
def _statutory(number: str) -> str:
    for s in common().sections:
        if s.number == number:
            return s.title
    return ""


_TEXT_HEADING = re.compile(r"^\s*(?:#+\s*)?(?:\*\*)?(?P<num>[一二三四五六])\s*[、.]\s*(?P<title>[^\t|]{2,40}?)\s*(?:\*\*)?\s*$")


class TextHeading(NamedTuple):
    """A numbered line that looks like a section heading (a named tuple: made for every heading
    line of every report, faster than a frozen dataclass)."""

    number: str
    title: str
    span: Span  # the title, as the parser's Section.span
    on_topic: bool


# the last report's headings, as one (report, headings) tuple replaced whole
_HEADINGS: tuple[Report | None, list[TextHeading]] = (None, [])


def text_headings(report: Report) -> list[TextHeading]:
    """Numbered lines that look like section headings ("四、…" alone on a line), whether or
    not the parser took them (it drops headings out of order or off topic); computed once
    per report (T201, T202 and T204 ask)."""
    global _HEADINGS
    held = _HEADINGS
    if held[0] is report:
        return held[1]
    out = []
    new = tuple.__new__
    lines = report.document.norm_lines
    prose = prose_of(report)
    # only the lines of a saved page's header and those the prose was read from: the other lines are
    # table lines (a tab or a pipe row), blank or page marks, none of which the heading pattern matches
    for i in chain(range(1, min(prose.header_end, len(lines)) + 1), prose.prose_lines):
        line = lines[i - 1]
        if not line or len(line) > 60 or "\t" in line or "|" in line or ("、" not in line and "." not in line):
            continue  # (an empty line has no numeral: about half the lines; a long line needs no search;
            #          the numeral of a heading is followed by "、" or ".")
        m = _TEXT_HEADING.match(line)
        if not m:
            continue
        title = m.group("title").strip()
        if title.endswith(("。", ";", ",")):
            continue  # a numbered sentence, not a heading
        num = m.group("num")
        a, b = m.span("title")
        # (the named tuples made without their Python-level `__new__`: a few per report)
        out.append(new(TextHeading, (num, title, new(Span, (i, a + 1, b + 1)), bool(_TOPIC[num].search(title)))))
    _HEADINGS = (report, out)
    return out


def _heading_in_text(report: Report, number: str) -> bool:
    """True when the text has a "五、…" heading naming the topic, even if the parser did not take it."""
    if any(h.number == number for h in text_headings(report)):
        return True
    pat = re.compile(rf"(?:^|[\s。>#*]){number}\s*[、.,]\s*[^\n]{{0,30}}")
    for m in pat.finditer(report.document.norm):
        if _TOPIC[number].search(m.group(0)):
            return True
    return False


@lru_cache(maxsize=4096)  # pure; section titles recur from report to report
def _title_core(title: str) -> str:
    t = label_key(title)
    t = re.sub(r"^[#*]*[一二三四五六七八九十]+[、.]", "", t)
    return t.strip("#*。.:：")


def check_t201(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """A statutory section whose heading is not in the report."""
    rule = RULES_BY_CODE["T201"]
    if report.template not in ("2019", "2021"):
        return
    present = {s.number for s in report.sections}
    if not present:
        return  # no headings recognised at all: the parser's findings say why
    for i, number in enumerate(NUMERALS):
        if number in present or _heading_in_text(report, number):
            continue  # there, perhaps out of order (T202) or off topic (T204)
        # point at the heading of the next section that is there (where this one should start)
        nxt = next((s for s in sorted(report.sections, key=lambda s: s.span.line) if NUMERALS.index(s.number) > i), None)
        span = nxt.span if nxt else (report.sections[-1].span if report.sections else report.title_span)
        title = _statutory(number)
        msg = ctx.msg("T201", number=number, title=title)
        notes = [ctx.msg("T201.six")]
        if _TOPIC[number].search(_section_gap_text(report, i)):
            notes.append(ctx.msg("T201.nearby", number=number))
        yield ctx.finding(rule, msg, span=span, expected=f"{number}、{title}", notes=notes)


def _section_gap_text(report: Report, index: int) -> str:
    """Text between the previous present section's heading and the next one (where a missing section would be)."""
    secs = sorted(report.sections, key=lambda s: s.span.line)
    before = [s for s in secs if NUMERALS.index(s.number) < index]
    after = [s for s in secs if NUMERALS.index(s.number) > index]
    a = before[-1].start_line if before else 1
    b = after[0].span.line - 1 if after else len(report.document.norm_lines)
    return "\n".join(report.document.norm_lines[a - 1 : b])


def _formatted(report: Report) -> bool:
    """Only reports in the 2019 or 2021 format have the six statutory sections."""
    return report.template in ("2019", "2021")


def check_t202(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    rule = RULES_BY_CODE["T202"]
    if not _formatted(report):
        return
    heads: dict[int, tuple[str, Span]] = {s.span.line: (s.number, s.span) for s in report.sections}
    for h in text_headings(report):
        if h.on_topic:
            heads.setdefault(h.span.line, (h.number, h.span))
    best: tuple[int, str, Span] | None = None
    for line in sorted(heads):
        number, span = heads[line]
        k = NUMERALS.index(number)
        if best is not None and k < best[0]:
            msg = ctx.msg("T202", number=number, before=best[1])
            yield ctx.finding(rule, msg, span=span, related=[Related(best[2], ctx.msg("section", number=best[1]))])
            continue
        if best is None or k > best[0]:
            best = (k, number, span)


def check_t203_t204(report: Report, ctx: CheckContext, which: str) -> Iterator[Finding]:
    if not _formatted(report):
        return
    for s in report.sections:
        title = _title_core(s.title)
        statutory = label_key(_statutory(s.number))
        if not title or title == statutory:
            continue
        if _TOPIC[s.number].search(title):
            if which == "T203":
                rule = RULES_BY_CODE["T203"]
                msg = ctx.msg("T203", number=s.number, title=s.title, statutory=_statutory(s.number))
                f = ctx.finding(rule, msg, span=s.span, expected=f"{s.number}、{_statutory(s.number)}")
                f.stated = s.title
                yield f
        elif which == "T204":
            rule = RULES_BY_CODE["T204"]
            msg = ctx.msg("T204", number=s.number, title=s.title, statutory=_statutory(s.number))
            f = ctx.finding(rule, msg, span=s.span, expected=f"{s.number}、{_statutory(s.number)}")
            f.stated = s.title
            yield f


def check_t203(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    yield from check_t203_t204(report, ctx, "T203")


def check_t204(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    yield from check_t203_t204(report, ctx, "T204")
    if not _formatted(report):
        return
    rule = RULES_BY_CODE["T204"]
    for h in _off_topic_headings(report):
        msg = ctx.msg("T204", number=h.number, title=h.title, statutory=_statutory(h.number))
        f = ctx.finding(rule, msg, span=h.span, expected=f"{h.number}、{_statutory(h.number)}")
        f.stated = h.title
        yield f


def _off_topic_headings(report: Report) -> list[TextHeading]:
    """A numbered heading line for a section the parser did not find, between its neighbours, off topic."""
    present = {s.number: s for s in report.sections}
    out = []
    for number in NUMERALS:
        if number in present:
            continue
        k = NUMERALS.index(number)
        before = [s.span.line for s in report.sections if NUMERALS.index(s.number) < k]
        after = [s.span.line for s in report.sections if NUMERALS.index(s.number) > k]
        lo, hi = (max(before) if before else 0), (min(after) if after else 10**9)
        cands = [h for h in text_headings(report) if h.number == number and lo < h.span.line < hi]
        if len(cands) == 1 and not cands[0].on_topic:
            out.append(cands[0])
    return out


def _body(report: Report, number: str) -> tuple[str, Span] | None:
    if not _formatted(report):
        return None
    sec = report.section(number)
    if sec is None:
        return None
    prose = prose_of(report)
    rng = prose.section_range(number)
    text = prose.text[rng[0] : rng[1]] if rng else ""
    return text, sec.span


_FEE_NAMED = re.compile(r"信息处理费|信息公开处理费")
_EMPTY_WORDS = {"", "无", "暂无", "没有", "无其他需要报告的事项", "略"}
_PROBLEM = re.compile(r"问题|不足|差距|短板|薄弱|欠缺|有待|不够|不高|不强|不到位|滞后|不规范|不及时|不完善|不全面|缺乏|存在")
_IMPROVE = re.compile(r"改进|整改|措施|下一步|下步|今后|将|加强|提升|完善|推进|强化|加大|提高|进一步")


_FILLER = re.compile(r"[\s。.,;:!！、]+")
_FIVE: list[tuple] = [(None, None, None)]  # the last check's answer: (report, context, answer), replaced whole


def _section_five(report: Report, ctx: CheckContext) -> tuple[str, Span | None, bool] | None:
    """Section 五's text, its span, and whether it is empty or just "无" (T205 and T206 share it:
    worked out once per check of a report)."""
    held = _FIVE[0]
    if held[0] is report and held[1] is ctx:
        return held[2]
    got = _body(report, "五")
    if got is not None:
        text, span = got
        got = text, span, _FILLER.sub("", text) in _EMPTY_WORDS
    _FIVE[0] = (report, ctx, got)
    return got


def check_t205(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    rule = RULES_BY_CODE["T205"]
    got = _section_five(report, ctx)
    if got is None:
        return
    text, span, empty = got
    if empty:
        msg = ctx.msg("T205")
        f = ctx.finding(rule, msg, span=span)
        f.stated = text.strip() or None
        yield f


def check_t206(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    rule = RULES_BY_CODE["T206"]
    got = _section_five(report, ctx)
    if got is None:
        return
    text, span, empty = got
    if empty:
        return  # T205
    missing = []
    if not _PROBLEM.search(text):
        missing.append("problems")
    if not _IMPROVE.search(text):
        missing.append("improvements")
    if missing:
        msg = ctx.msg("T206", what=ctx.msg("T206." + "-".join(missing)))
        yield ctx.finding(rule, msg, span=span)


_FEE = re.compile(r"信息处理费|处理费|收费|收取费用|费用")
_SIX_ITEMS = [  # (what shows the item is there, its message id)
    (re.compile(r"工作要点|政务公开要点|年度要点"), "T208.points"),
    (re.compile(r"人大代表建议|政协(?:委员)?提案|建议提案|建议和提案|建议、提案"), "T208.proposals"),
    (re.compile(r"创新"), "T208.innovation"),
]


def check_t207(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    rule = RULES_BY_CODE["T207"]
    if report.template != "2021":
        return
    got = _body(report, "六")
    if got is None:
        return
    text, span = got
    if _FEE.search(text):
        return
    if _FEE_NAMED.search(prose_of(report).text):
        return  # stated elsewhere in the report: the fact is there, if not in section 六
    msg = ctx.msg("T207")
    notes = [ctx.msg("T207.basis")]
    yield ctx.finding(rule, msg, span=span, notes=notes)


def check_t208(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    rule = RULES_BY_CODE["T208"]
    if report.template != "2021":
        return
    got = _body(report, "六")
    if got is None:
        return
    text, span = got
    missing = [ctx.msg(item) for pat, item in _SIX_ITEMS if not pat.search(text)]
    if not missing:
        return
    yield ctx.finding(rule, ctx.msg("T208", items=missing), span=span, notes=[ctx.msg("T208.note")])


_SUBSECTION = re.compile(r"^\s*(?:#+\s*)?(?:\*\*)?(?P<mark>[(（](?P<num>[一二三四五六七八九十]+)[)）])")
_CN = "一二三四五六七八九十"


def check_t209(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """（一）（二）… subsection headings of the prose sections numbered twice or with a gap."""
    rule = RULES_BY_CODE["T209"]
    if not _formatted(report):
        return
    lines = report.document.norm_lines
    new = tuple.__new__
    for sec in report.sections:
        if sec.number not in ("一", "五", "六"):  # 三 and 四 hold table rows labelled （一）…
            continue
        prev: tuple[int, Span] | None = None
        for i in range(sec.start_line, min(sec.end_line, len(lines)) + 1):
            line = lines[i - 1]
            if ("(" not in line and "（" not in line) or "\t" in line or "|" in line:
                continue  # no bracket for _SUBSECTION to find (most lines), or a table row
            m = _SUBSECTION.match(line)
            if not m or m.group("num") not in _CN:
                continue
            k = _CN.index(m.group("num")) + 1
            a, b = m.span("mark")
            span = new(Span, (i, a + 1, b + 1))  # (Span(...) without its Python-level __new__)
            if prev is not None and (k == prev[0] or k > prev[0] + 1):
                mark = report.document.lines[i - 1][m.start("mark") : m.end("mark")]
                if k == prev[0]:
                    msg = ctx.msg("T209.twice", number=sec.number, mark=mark)
                else:
                    msg = ctx.msg("T209.gap", number=sec.number, previous=_CN[prev[0] - 1], mark=mark)
                f = ctx.finding(rule, msg, span=span, expected=f"（{_CN[prev[0]]}）" if prev[0] < 10 else None,
                                related=[Related(prev[1], ctx.msg("T209.previous"))])
                f.stated = mark
                yield f
            prev = (k, span)


RULES: list[Rule] = [
    Rule(
        "T201", "section-missing", "warning",
        "缺少规定的六个部分之一",
        "One of the six statutory sections is missing",
        doc(
            "年度报告应包括六个部分：一、总体情况；二、主动公开政府信息情况；三、收到和处理政府信息公开申请情况；"
            "四、政府信息公开行政复议、行政诉讼情况；五、存在的主要问题及改进情况；六、其他需要报告的事项。"
            "文中找不到某一部分的标题时报告（全文都没有识别出任何标题时不报告，由解析提示说明）。",
            "条例第五十条规定了年报内容，年报格式“不能遗漏”。",
            """一、总体情况 …… 四、政府信息公开行政复议、行政诉讼情况 …… 六、其他需要报告的事项
→ warning[T201]: 找不到第五部分“五、存在的主要问题及改进情况”的标题""",
            "补上缺少的部分及其标题。",
            what_en="Reports a statutory section whose heading is not found.",
            why_en="条例 art. 50 and the format require all six sections.",
            fix_en="Add the missing section with its heading.",
        ),
        check_t201,
    ),
    Rule(
        "T202", "section-out-of-order", "warning",
        "六个部分的顺序不对",
        "The sections are out of order",
        doc(
            "按标题的编号检查六个部分是否按一至六的顺序出现。",
            "统一格式便于公众和上级对比各单位的年报。",
            """一、总体情况 …… 三、收到和处理政府信息公开申请情况 …… 二、主动公开政府信息情况
→ warning[T202]: 第二部分出现在第三部分之后，顺序不对""",
            "按格式调整各部分顺序。",
            what_en="The sections must appear in the order 一 to 六.",
            why_en="One layout makes reports comparable.",
            fix_en="Reorder the sections.",
        ),
        check_t202,
    ),
    Rule(
        "T203", "section-title-variant", "info",
        "部分标题与格式规定的写法不同（已知变体）",
        "A section title is a known variant of the statutory one",
        doc(
            "部分标题与格式规定的标题（规范 §2.2、§3.2）不完全相同，但仍写明了该部分的主题，例如“五、存在的主要问题及整改措施”、"
            "“四、因政府信息公开工作被申请行政复议、提起行政诉讼情况”。仅作提示。",
            "按格式原文书写标题便于检索和对比；变体写法不影响内容。",
            """五、存在问题及改进情况
→ info[T203]: 第五部分标题“存在问题及改进情况”与格式规定的“存在的主要问题及改进情况”不同（已知的变体写法）""",
            "可改为格式规定的标题。",
            what_en="A title that differs from the statutory one but still names the section's topic.",
            why_en="The statutory wording helps search and comparison; a variant changes nothing else.",
            fix_en="Optionally use the statutory title.",
        ),
        check_t203,
    ),
    Rule(
        "T204", "section-title-unknown", "warning",
        "部分标题与规定的主题不符",
        "A section title does not name the section's topic",
        doc(
            "编号为一至六的部分标题没有提到该部分的主题（如第四部分标题中没有“复议”或“诉讼”）。",
            "标题与内容不符，读者找不到应有的内容。",
            """四、其他工作情况
→ warning[T204]: 第四部分标题“其他工作情况”与格式规定的“政府信息公开行政复议、行政诉讼情况”不符""",
            "使用格式规定的标题，并检查内容是否放对了位置。",
            what_en="A numbered section title that does not name the section's topic.",
            why_en="Readers will not find the content where the format puts it.",
            fix_en="Use the statutory title and check the content.",
        ),
        check_t204,
    ),
    Rule(
        "T205", "section-five-empty", "warning",
        "第五部分为空或只写“无”",
        "Section 五 is empty or just “无”",
        doc(
            "第五部分“存在的主要问题及改进情况”没有内容，或只写了“无”“暂无”。",
            "条例第五十条要求报告存在的主要问题及改进情况；每个机关都应对照检查，不宜写“无”。",
            """五、存在的主要问题及改进情况
无。
→ warning[T205]: 第五部分“存在的主要问题及改进情况”为空或只写了“无”""",
            "写明本年度工作中存在的主要问题，以及上一年问题的改进情况和下一步措施。",
            what_en="Section 五 is empty or only says “无”.",
            why_en="条例 art. 50 asks for the main problems and how they are being fixed.",
            fix_en="State the problems and the improvements.",
        ),
        check_t205,
    ),
    Rule(
        "T206", "section-five-incomplete", "warning",
        "第五部分没有同时写明问题和改进情况",
        "Section 五 does not name both problems and improvements",
        doc(
            "第五部分应同时写明存在的问题（问题、不足、差距……）和改进情况或措施（改进、加强、下一步……）。缺少其中一类用语时报告。",
            "只写问题不写改进，或只写成绩，不符合“存在的主要问题及改进情况”的要求。",
            """五、存在的主要问题及改进情况
本年度工作取得了显著成效，群众满意度高。
→ warning[T206]: 第五部分没有写明存在的问题、改进情况""",
            "补写问题和相应的改进措施。",
            what_en="Section 五 lacks words for problems (问题、不足…) or for improvements (改进、加强、下一步…).",
            why_en="The section must state both.",
            fix_en="Add the missing half.",
        ),
        check_t206,
    ),
    Rule(
        "T207", "fee-statement-missing", "warning",
        "2021 年格式第六部分未说明信息处理费收取情况",
        "Section 六 (2021 format) does not state the information processing fees",
        doc(
            "2021 年格式的报告，第六部分应说明本年度依据《政府信息公开信息处理费管理办法》收取信息处理费的情况，"
            "未收取也应写明（规范 §3.8）。第六部分中没有“信息处理费”“收费”等字样时报告。",
            "信息处理费收取情况须纳入年度报告（国办函〔2020〕109号及各地通知）。",
            """六、其他需要报告的事项
本单位将继续做好政务公开工作。
→ warning[T207]: 第六部分没有说明本年度收取信息处理费的情况""",
            "写明本年度收取信息处理费的件数和金额，或写“本年度未收取信息处理费”。",
            what_en="A 2021-format section 六 that does not mention information processing fees.",
            why_en="The fee situation must be reported (国办函〔2020〕109号, spec §3.8).",
            fix_en="State the fees collected, or that none were.",
        ),
        check_t207,
    ),
    Rule(
        "T208", "section-six-items-missing", "info",
        "第六部分未提及常见的其他事项",
        "Section 六 does not mention the usual other items",
        doc(
            "2021 年格式的第六部分通常还报告：落实上级年度政务公开工作要点情况、人大代表建议和政协提案办理结果公开情况、"
            "年度政务公开工作创新情况（规范 §3.8，来源为各地年报，官方原文未见，故仅作提示）。",
            "这些事项多数地方要求报告，缺少时上级考核可能扣分。",
            """六、其他需要报告的事项
本年度未收取信息处理费。
→ info[T208]: 第六部分未提及：落实上级年度政务公开工作要点情况；人大代表建议和政协提案办理结果公开情况；年度政务公开工作创新情况""",
            "按本地要求补充，不适用的可写明“无”。",
            what_en="A 2021-format section 六 that does not mention the yearly work points, NPC/CPPCC proposals, or innovation.",
            why_en="Many local rules ask for them (spec §3.8; a hint only).",
            fix_en="Add them where your local rules require.",
        ),
        check_t208,
    ),
]

RULES.append(
    Rule(
        "T209", "subsection-numbering", "warning",
        "小标题编号重复或跳号",
        "Subsection numbers repeat or skip",
        doc(
            "在第一、五、六部分中，按行首的“（一）（二）（三）……”小标题检查编号：同一编号紧接着出现两次，或跳过了编号"
            "（如从（三）到（五））时报告。重新从（一）开始的编号不报告。第三、四部分的表格行也以（一）开头，不检查。",
            "编号错误说明段落被删改或复制过，读者会怀疑有内容遗漏。",
            """（四）平台建设
（五）监督保障
（五）其他工作
→ warning[T209]: 第一部分的小标题编号“（五）”重复出现""",
            "重新编号，并检查是否漏掉或多出了一段。",
            what_en="Line-start subsection numbers （一）（二）… in sections 一, 五 and 六 that repeat or skip.",
            why_en="Wrong numbering suggests a paragraph was deleted or duplicated.",
            fix_en="Renumber, and check for a missing or extra paragraph.",
        ),
        check_t209,
    )
)

RULES_BY_CODE = {r.code: r for r in RULES}
