"""Metadata rules (M1xx): report year, statistics period, agency name, links, dates.

All warnings: they describe the report around the tables, so a CI gate that blocks
on errors keeps blocking on table errors only.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Iterator

from ..messages import Message
from ..model import Finding, Related, Report, Span
from .base import CheckContext, Rule, doc
from .narrative import prose_of

# ------------------------------------------------------------------ years and the statistics period

_PERIOD = re.compile(
    r"统计(?:期限|时限|时间段|时间|区间|周期|时段|期间|范围|口径)[^。\n]{0,14}?"
    r"(?P<y1>(?:19|20)\d{2})\s*年\s*(?P<m1>\d{1,2})\s*月\s*(?P<d1>\d{1,2})\s*日\s*(?:起)?\s*(?:至|到|-|~|—|－)\s*"
    r"(?:(?P<y2>(?:19|20)\d{2})\s*年\s*)?(?P<m2>\d{1,2})\s*月\s*(?P<d2>\d{1,2})\s*日"
)
_REPORT_MENTION = re.compile(
    r"(?P<y>(?:19|20)\d{2})\s*年度?\s*(?:[^。\n\d《》]{0,16}?)(?:政府信息公开|政务公开|信息公开)(?:工作)?(?:年度)?(?:报告|年报)"
)


def _inside_book_title(text: str, pos: int) -> bool:
    """True when text[pos] is inside 《…》 (a cited document's name)."""
    open_ = text.rfind("《", 0, pos)
    return open_ >= 0 and text.rfind("》", open_, pos) < 0


def _year_ref(report: Report, prose) -> list[Related]:
    if report.year_span is not None:
        return [Related(report.year_span, Message("M.title-year", {"year": report.year}))]
    if report.title_span is not None:
        return [Related(report.title_span, Message("M.title", {"year": report.year}))]
    return []


def check_m101(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """Years in the statistics period and the preamble's mentions of the report against the title's year."""
    rule = RULES_BY_CODE["M101"]
    if report.year is None:
        return
    prose = prose_of(report)
    text = prose.text
    title_lines = set()
    if report.title_span is not None:
        title_lines = {report.title_span.line, report.title_span.line + 1}
    if report.year_span is not None:
        title_lines.add(report.year_span.line)
    for m in _PERIOD.finditer(text):
        for g in ("y1", "y2"):
            if m.group(g) is None:
                continue
            y = int(m.group(g))
            if y == report.year:
                continue
            # one finding per period: the first year that is wrong
            span = prose.span(m.start(g), m.end(g))
            quote = prose.quote(prose.span(m.start(), m.end()))
            msg = ctx.msg("M101.period", stated=y, year=report.year, quote=quote)
            f = ctx.finding(rule, msg, span=span, expected=str(report.year), related=_year_ref(report, prose),
                            notes=[ctx.msg("M101.period-note")])
            f.stated = str(y)
            yield f
            break
    a, b = prose.preamble_range()
    for m in _REPORT_MENTION.finditer(text, a, b):
        w = prose.where(m.start("y"))
        if w is None or w[0] in title_lines:
            continue
        if _inside_book_title(text, m.start("y")):
            continue
        y = int(m.group("y"))
        if y == report.year:
            continue
        span = prose.span(m.start("y"), m.end("y"))
        quote = prose.quote(prose.span(m.start(), m.end()))
        msg = ctx.msg("M101.preamble", stated=y, year=report.year, quote=quote)
        f = ctx.finding(rule, msg, span=span, expected=str(report.year), related=_year_ref(report, prose))
        f.stated = str(y)
        yield f
    yield from _opening_year(report, ctx, rule)


_OPENING_YEAR = re.compile(r"\s*(?P<y>(?:19|20)\d{2})\s*年度?\s*[,，]")


def _opening_year(report: Report, ctx: CheckContext, rule: Rule) -> Iterator[Finding]:
    """Section 一 opens with "YYYY年，…" naming another year than the report's."""
    prose = prose_of(report)
    rng = prose.section_range("一")
    if not rng:
        return
    a, b = rng
    m = _OPENING_YEAR.match(prose.text, a, b)
    if not m or int(m.group("y")) == report.year:
        return
    y = int(m.group("y"))
    span = prose.span(m.start("y"), m.end("y"))
    msg = ctx.msg("M101.opening", stated=y, year=report.year)
    f = ctx.finding(rule, msg, span=span, expected=str(report.year), related=_year_ref(report, prose))
    f.stated = str(y)
    yield f


def check_m102(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """The statistics period must be a whole calendar year."""
    rule = RULES_BY_CODE["M102"]
    prose = prose_of(report)
    text = prose.text
    for m in _PERIOD.finditer(text):
        start = (int(m.group("m1")), int(m.group("d1")))
        end = (int(m.group("m2")), int(m.group("d2")))
        y1 = int(m.group("y1"))
        y2 = int(m.group("y2")) if m.group("y2") else y1
        if start == (1, 1) and end == (12, 31) and y1 == y2:
            continue
        span = prose.span(m.start("y1"), m.end("d2") + 1)
        quote = prose.quote(span)
        msg = ctx.msg("M102", quote=quote)
        f = ctx.finding(rule, msg, span=span)
        f.stated = quote
        yield f


# ------------------------------------------------------------------ agency name

_A_YEAR = re.compile(r"(?:19|20)\d{2}")
_TOWN = re.compile(r"(?:^|[县区市旗州盟])(?P<base>[^县区市旗州盟镇乡\s]{2,5}?)(?P<level>镇|乡|街道)(?=人民政府|政府|办事处|$)")
_LEVELS = ("镇", "乡", "街道")
# characters that, after 乡/镇, make a different word (乡村, 乡镇 …)
_WORD_AFTER = {"乡": "村镇亲贤土风愁里情音", "镇": "", "街道": "路口办"}
_OK_BEFORE = set("县区市旗州盟省与和及同在于的由是为对向我本全请至到从、，,。.:：;；（(“\"　 \t")


def check_m103(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """A town-level body named with 镇 in one place and 乡 (or 街道) in another."""
    rule = RULES_BY_CODE["M103"]
    name = report.agency or ""
    if not name and report.title:
        name = _A_YEAR.split(report.title)[0]
    found = list(_TOWN.finditer(name.replace(" ", "")))
    if not found:
        return
    base, level = found[-1].group("base"), found[-1].group("level")
    doc_ = report.document
    norm = doc_.norm_lines
    prose = prose_of(report)
    header_end = prose.header_end
    # where the body's own name is printed (the title first)
    own: Span | None = None
    # (the names are plain words, found with str.find: a pattern compiled from each report's own name
    # would be compiled anew for every report, and push the shared patterns out of re's cache)
    right = base + level
    for i, line in enumerate(norm, start=1):
        if i <= header_end:
            continue
        at = line.find(right)
        if at >= 0:
            own = Span(i, at + 1, at + 1 + len(right))
            break
    for other in _LEVELS:
        wrong = base + other
        if other == level or wrong not in doc_.norm:
            continue  # (a hit on a line is in the whole text too)
        hits: list[Span] = []
        for i, line in enumerate(norm, start=1):
            if i <= header_end:
                continue
            for start, end in _occurrences(line, wrong):
                after = line[end : end + 1]
                if after and after in _WORD_AFTER[other]:
                    continue
                before = line[start - 1 : start] if start > 0 else ""
                if before and before not in _OK_BEFORE and "\u4e00" <= before <= "\u9fff":
                    continue
                hits.append(Span(i, start + 1, end + 1))
        if not hits:
            continue
        related = []
        if own is not None:
            related.append(Related(own, ctx.msg("M103.right", name=right)))
        for h in hits[1:4]:
            related.append(Related(h, ctx.msg("M103.again", name=wrong)))
        msg = ctx.msg("M103", right=right, wrong=wrong)
        notes = [ctx.msg("M103.count", name=wrong, count=len(hits))]
        f = ctx.finding(rule, msg, span=hits[0], expected=right, related=related, notes=notes)
        f.stated = wrong
        yield f


def _occurrences(line: str, word: str) -> Iterator[tuple[int, int]]:
    """[start, end) of each occurrence of `word` in `line`, left to right, not overlapping
    (what `re.finditer(re.escape(word), line)` finds)."""
    at = line.find(word)
    while at >= 0:
        yield at, at + len(word)
        at = line.find(word, at + len(word))


# ------------------------------------------------------------------ links and addresses

# each empty-link pattern with a part every match of it contains: a text without that part is not
# searched with the whole pattern (the parts start with one character the engine finds fast; the
# patterns start with a choice of words, tried at each of their first characters)
_EMPTY_LINK = [
    (re.compile(r"(?:栏目|栏|专栏|网站|网址|主页|门户|平台|链接|页面|网页)\s*(?P<e>\(\s*\))"), re.compile(r"\(\s*\)")),
    (re.compile(r"(?P<e>\"\s*\")\s*(?:栏目|栏|专栏|网站|平台|页面)"), re.compile(r"\"\s*\"")),
    # nothing after the colon on the same line (a value on the next line is not empty)
    (re.compile(r"(?P<e>(?:网址|链接|网站地址|网页地址))\s*(?:为|是)?\s*[:]\s*(?=[,;。)])"), re.compile(r"[:]\s*[,;。)]")),
    (re.compile(r"(?P<e>(?:网址|链接|网站地址|网页地址))\s*(?:为|是)\s*(?=[,;。)])"), re.compile(r"[为是]\s*[,;。)]")),
    (re.compile(r"(?P<e>(?:联系地址|通讯地址|办公地址|电子邮箱|邮箱|联系电话|电话))\s*[:]\s*(?=[,;。)])"),
     re.compile(r"[:]\s*[,;。)]")),
]


def check_m104(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """An empty link, address or contact where the report says where to read it or whom to ask."""
    rule = RULES_BY_CODE["M104"]
    prose = prose_of(report)
    text = prose.text
    seen: set[int] = set()
    present: dict[re.Pattern, bool] = {}
    for pat, part in _EMPTY_LINK:
        got = present.get(part)
        if got is None:
            got = present[part] = part.search(text) is not None
        if not got:
            continue
        for m in pat.finditer(text):
            if m.start("e") in seen:
                continue
            seen.add(m.start("e"))
            span = prose.span(m.start("e"), m.end("e"))
            context_span = prose.span(max(0, m.start() - 12), min(len(text), m.end() + 6))
            around = prose.quote(context_span).strip()
            msg = ctx.msg("M104", around=around)
            f = ctx.finding(rule, msg, span=span, notes=[ctx.msg("M104.note")])
            f.stated = prose.quote(span)
            yield f


# ------------------------------------------------------------------ publication date

_META_DATE = re.compile(r"^\s*(?:发布时间|发布日期|公开日期|发文日期|成文日期|published)\s*[:：]\s*(?P<y>\d{4})[-./年](?P<m>\d{1,2})[-./月](?P<d>\d{1,2})")
_CLOSING_DATE = re.compile(r"^\s*(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日\s*$")
_DEPARTMENT_END = re.compile(r"(局|厅|办公室|办公厅|委员会|委|中心|署|院|处|站|所|队|部|办)$")
_NOT_A_NAME = re.compile(r"[《》()（）,，。:：、]")
_GOVERNMENT_BODY_END = re.compile(r"(人民政府|管委会|管理委员会|办事处)$")
_GOVERNMENT_END = re.compile(r"(人民政府|政府|管委会|管理委员会|省|市|县|区|旗|镇|乡|街道|自治州|盟)$")


def _parse_date(y: str, m: str, d: str) -> date | None:
    try:
        return date(int(y), int(m), int(d))
    except ValueError:
        return None


_PUBLISHED: list = [None, None, None]  # [report, context, date]: the last check's answer (M105 and M106 ask)


def publication_date(report: Report, ctx: CheckContext) -> tuple[date, Span | None, str] | None:
    """The date the report was published: --published, the file's meta header, or the closing date line
    (worked out once per check of a report)."""
    if _PUBLISHED[0] is report and _PUBLISHED[1] is ctx:
        return _PUBLISHED[2]
    got = _publication_date(report, ctx)
    _PUBLISHED[:] = [report, ctx, got]
    return got


def _publication_date(report: Report, ctx: CheckContext) -> tuple[date, Span | None, str] | None:
    published = getattr(ctx, "published", None) or report.document.meta.get("published")
    if published:
        if isinstance(published, date):
            return published, None, "--published"
        m = re.match(r"(\d{4})-(\d{1,2})-(\d{1,2})", str(published))
        if m:
            d = _parse_date(*m.groups())
            if d:
                return d, None, "--published"
    for key in ("发布时间", "发布日期"):
        v = report.document.meta.get(key)
        if v:
            m = re.match(r"(\d{4})-(\d{1,2})-(\d{1,2})", v)
            if m and (d := _parse_date(*m.groups())):
                return d, None, key
    lines = report.document.norm_lines
    head = lines[:40]
    joined = "\n".join(head)
    if ":" in joined or "：" in joined:  # _META_DATE needs a colon (most reports have none in their head)
        for i, line in enumerate(head, start=1):
            m = _META_DATE.match(line) if ":" in line or "：" in line else None
            if m and (d := _parse_date(m["y"], m["m"], m["d"])):
                return d, Span(i, m.start("y") + 1, m.end("d") + 1), "meta"
    # a date alone on one of the last lines (the signature date)
    seen = 0
    for i in range(len(lines), 0, -1):
        line = lines[i - 1]
        if not line.strip():
            continue
        seen += 1
        if seen > 6:
            break
        m = _CLOSING_DATE.match(line)
        if m and (d := _parse_date(m["y"], m["m"], m["d"])):
            return d, Span(i, m.start("y") + 1, m.end("d") + 2), "closing"
    return None


def deadline(report: Report) -> tuple[date, str] | None:
    """The legal deadline (spec §1): 1月31日 for departments, 3月31日 for a government's own report."""
    if report.year is None:
        return None
    name = (report.agency or "").replace(" ", "")
    if len(name) > 30 or _NOT_A_NAME.search(name):
        name = ""  # not a clean name: do not guess it is a department
    if name and _DEPARTMENT_END.search(name) and not _GOVERNMENT_BODY_END.search(name):
        return date(report.year + 1, 1, 31), "department"
    return date(report.year + 1, 3, 31), "government"


def check_m105(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    rule = RULES_BY_CODE["M105"]
    got = publication_date(report, ctx)
    limit = deadline(report)
    if got is None or limit is None:
        return
    when, span, source = got
    due, kind = limit
    if when <= due:
        return
    days = (when - due).days
    msg = ctx.msg("M105", when=when.isoformat(), due=due.isoformat(), who=ctx.msg(f"M105.{kind}"), days=days)
    notes = [ctx.msg("M105.law"), ctx.msg("M.date-source", source=source)]
    f = ctx.finding(rule, msg, span=span or report.title_span, expected=due.isoformat(), notes=notes)
    f.stated = when.isoformat()
    yield f


def check_m106(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """A publication or signature date before the report year has even ended."""
    rule = RULES_BY_CODE["M106"]
    got = publication_date(report, ctx)
    if got is None or report.year is None:
        return
    when, span, source = got
    if when > date(report.year, 12, 31):
        return
    msg = ctx.msg("M106", when=when.isoformat(), year=report.year)
    f = ctx.finding(rule, msg, span=span or report.title_span, expected=str(report.year + 1),
                    related=_year_ref(report, None), notes=[ctx.msg("M.date-source", source=source)])
    f.stated = when.isoformat()
    yield f


# ------------------------------------------------------------------ plans with a past year

_PLAN_BODY = (
    r"\s*(?:[(（][一二三四五六七八九十]+[)）]\s*)?(?P<y>(?:19|20)\d{2})\s*年度?\s*,?\s*"
    r"(?P<who>[\u4e00-\u9fff]{0,12}?)将(?:要)?(?:继续|进一步|按照|围绕|紧紧围绕|加强|持续|着力|坚持|不断|深入|全面|重点|"
    r"切实|认真|积极|大力|努力|聚焦|加大|强化|推进|采取|以)"
)
_PLAN = re.compile(r"(?:^|[。\n;!?])" + _PLAN_BODY)  # a plan at the text's start or after a sentence's end
_PLAN_AT_START = re.compile(_PLAN_BODY)
_PLAN_AFTER_STOP = re.compile(r"[。\n;!?]" + _PLAN_BODY)


def _plans(text: str) -> Iterator[re.Match[str]]:
    """`_PLAN.finditer(text)`, about four times faster: a pattern that starts with `^|…` is tried
    at every character, one that starts with a character set lets the engine skip ahead."""
    pos = 0
    m = _PLAN_AT_START.match(text)
    if m:
        yield m
        pos = m.end()
    yield from _PLAN_AFTER_STOP.finditer(text, pos)


def check_m107(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """A plan ("2023年，我镇将继续…") dated in the report year or earlier: left over from last year's text."""
    rule = RULES_BY_CODE["M107"]
    if report.year is None:
        return
    prose = prose_of(report)
    text = prose.text
    for m in _plans(text):
        y = int(m.group("y"))
        if y > report.year:
            continue
        if prose.section_at(m.start("y")) in ("前言",):
            continue
        span = prose.span(m.start("y"), m.end("y"))
        sentence = prose.quote(prose.span(m.start("y"), m.end()))
        msg = ctx.msg("M107", sentence=sentence, stated=y, year=report.year, next=report.year + 1)
        f = ctx.finding(rule, msg, span=span, expected=str(report.year + 1), related=_year_ref(report, prose))
        f.stated = str(y)
        yield f


# ------------------------------------------------------------------ the rules

RULES: list[Rule] = [
    Rule(
        "M101", "report-year-inconsistent", "warning",
        "统计期限或前言中的年份与报告年度不一致",
        "The year in the statistics period or the preamble differs from the report year",
        doc(
            "以标题中的年份为报告年度，检查“统计期限为××××年1月1日至××××年12月31日”中的年份、前言中"
            "“××××年政府信息公开工作年度报告”的年份，以及“总体情况”开头“××××年，……”的年份。"
            "引用文件名（《…》内）中的年份不检查。",
            "套用上一年的报告时最容易留下旧年份；统计期限错了，表中全部数据的口径都会受到质疑。",
            """2024年某某镇政府信息公开工作年度报告
本报告所列数据统计期限为2023年1月1日至2023年12月31日。
→ warning[M101]: 统计期限写的是 2023 年，而报告是 2024 年度的""",
            "把年份改为报告年度；若标题年份错了，改标题。",
            what_en="Checks the years of the statistics period and the preamble's “YYYY年…年度报告” against the title's year.",
            why_en="A year left over from last year's report puts every number's period in doubt.",
            fix_en="Use the report year throughout.",
        ),
        check_m101,
    ),
    Rule(
        "M102", "statistics-period-not-full-year", "warning",
        "统计期限不是完整的自然年",
        "The statistics period is not one whole calendar year",
        doc(
            "统计期限应为报告年度的1月1日至12月31日（规范 §1）。起止日期不是1月1日、12月31日，或跨了年份时报告。",
            "年度报告的数据口径是一个完整的自然年，少统计或多统计都会使表格失真。",
            """本报告所列数据统计期限为2023年1月1日至2023年11月30日。
→ warning[M102]: 统计期限“2023年1月1日至2023年11月30日”不是完整的一个自然年""",
            "改为“××××年1月1日至12月31日”，并按完整年度重新统计。",
            what_en="The period must be 1 January to 31 December of one year.",
            why_en="The tables count one whole calendar year.",
            fix_en="State and count the whole year.",
        ),
        check_m102,
    ),
    Rule(
        "M103", "agency-name-inconsistent", "warning",
        "同一机关的名称前后不一致（如“镇”与“乡”）",
        "The body's name is written differently (e.g. 镇 vs 乡)",
        doc(
            "从标题取出乡镇（街道）机关的名称，如“朝阳镇”，在全文中查找同名但级别不同的写法（“朝阳乡”“朝阳街道”）。"
            "“乡村”“乡亲”等词中的“乡”不算。",
            "名称不一致多是套用其他单位或旧模板留下的，会让读者怀疑报告的出处。",
            """某某县朝阳镇人民政府2023年政府信息公开工作年度报告
…… 如有疑问请与朝阳乡人民政府办公室联系 ……
→ warning[M103]: 机关名称前后不一致：报告标题为“朝阳镇”，此处写作“朝阳乡”""",
            "统一为机关的正式名称。",
            what_en="Finds the town-level body's name from the title (e.g. 朝阳镇) written with another level (朝阳乡).",
            why_en="A different name usually comes from a copied template and makes readers doubt the source.",
            fix_en="Use the body's official name everywhere.",
        ),
        check_m103,
    ),
    Rule(
        "M104", "empty-link-or-address", "warning",
        "查阅链接或联系地址为空",
        "An empty link or address",
        doc(
            "报告说明可在某栏目、网站查阅，或给出联系方式，但括号里是空的（“栏（）中查阅”“网站（）”）、"
            "引号是空的（“在“”栏目”），或“网址：”“联系地址：”后面没有内容。",
            "读者无法按报告给出的途径查阅或联系，说明填写模板时漏项。",
            """年度报告可在“某某县人民政府”网站政府信息公开年报栏（）中查阅。
→ warning[M104]: 链接或地址为空：“年报栏（）中查阅”""",
            "填写实际的网址、栏目名称或地址；没有的话删去这句话。",
            what_en="Empty parentheses, quotes or a colon with nothing after it where a link, column or address belongs.",
            why_en="Readers cannot follow the report's own directions.",
            fix_en="Fill in the real address, or drop the sentence.",
        ),
        check_m104,
    ),
    Rule(
        "M105", "published-after-deadline", "warning",
        "发布日期晚于法定期限",
        "Published after the legal deadline",
        doc(
            "发布日期取自 --published 选项、网页保存文件的“发布时间:”头部，或报告末尾单独一行的落款日期。"
            "政府部门应在次年1月31日前公布，本级人民政府的报告在次年3月31日前（条例第四十九条，规范 §1）。"
            "无法判断是部门还是政府时按3月31日计。",
            "按时公布是条例的明确要求，也是考核项目。",
            """某某县财政局2023年政府信息公开工作年度报告 …… 落款：2024年2月20日
→ warning[M105]: 发布日期 2024-02-20 晚于法定期限 2024-01-31（政府部门，晚 20 天）""",
            "按期公布；若落款日期写错，改正日期。",
            what_en="The publication date (from --published, the file's meta header or the closing date line) is after "
                    "31 January (departments) or 31 March (a government's own report) of the next year.",
            why_en="The deadline is statutory (条例 art. 49).",
            fix_en="Publish on time; correct a wrong date.",
        ),
        check_m105,
    ),
    Rule(
        "M106", "date-before-year-end", "warning",
        "落款或发布日期早于报告年度结束",
        "The signature or publication date is before the report year ended",
        doc(
            "报告的落款日期或发布日期不晚于报告年度的12月31日。一年的工作不可能在年内完成年报，多半是沿用了旧日期。",
            "错误的日期使报告的时效无法判断。",
            """某某镇2023年政府信息公开工作年度报告 …… 落款：2023年1月15日
→ warning[M106]: 日期 2023-01-15 早于 2023 年度结束""",
            "改为实际的落款或发布日期。",
            what_en="The date is on or before 31 December of the report year, so it is probably left over from last year.",
            why_en="A wrong date hides when the report was really made.",
            fix_en="Write the real date.",
        ),
        check_m106,
    ),
]

RULES.append(
    Rule(
        "M107", "plan-year-stale", "warning",
        "工作打算写的是报告年度或更早的年份",
        "A plan (“…年，将…”) is dated in the report year or earlier",
        doc(
            "句首为“××××年，……将继续/进一步/按照……”的工作打算，年份却不晚于报告年度。年报在次年发布，"
            "打算应指向下一年；写成报告年度，多半是沿用了上一年报告的文字。“将……纳入”这类“把”字用法不算。",
            "过期的打算让读者怀疑报告是照抄旧稿。",
            """某某镇2023年政府信息公开工作年度报告 …… 六、其他需要报告的事项
2023年，我镇将继续按照条例要求做好政务公开工作。
→ warning[M107]: “2023年，我镇将继续……”是工作打算，但年份 2023 不晚于报告年度 2023""",
            "把年份改为下一年，或改写为本年度已完成的工作。",
            what_en="A sentence starting “YYYY年，…将继续/进一步/按照…” (a plan) whose year is not after the report year.",
            why_en="Plans in an annual report look ahead to the next year; the report year here is a leftover.",
            fix_en="Use the next year, or describe what was done.",
        ),
        check_m107,
    )
)

RULES_BY_CODE = {r.code: r for r in RULES}
