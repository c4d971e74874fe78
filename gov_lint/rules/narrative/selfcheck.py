"""N201, N202: the prose against itself (listed parts against the whole, percentages).

A "其中" list counts as parts of the whole only when its items are disjoint kinds of
one thing: items that are properties of the whole ("实现全程网办的 40 项", "占比…")
overlap the kinds and each other, so their sum means nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Iterator

from ...model import Finding, Related, Report
from ..base import CheckContext, Rule
from ..prose import NUMBER, Prose, approx_before, fmt_number, parse_number

_UNITS = "万元|亿元|元|件|条|项|个|次|人次|人|家|篇|份|场|期|起|宗|部|批"
_ITEM = re.compile(
    rf"(?P<label>[^\d,;。:()\n%]{{1,24}}?)(?:共|为|是|达)?\s*(?P<n>{NUMBER})\s*(?P<unit>{_UNITS})(?![\d\u4e00-\u9fff]*?%)"
)
# Form B ("a 3 场、b 4 场，共 …") splits on 、, so its labels cannot contain one
_ITEM_B = re.compile(
    rf"(?P<label>[^\d,;、。:()\n%]{{1,24}}?)(?:共|为|是|达)?\s*(?P<n>{NUMBER})\s*(?P<unit>{_UNITS})(?![\d\u4e00-\u9fff]*?%)"
)
_NOT_PARTS = re.compile(
    r"减少|撤销|注销|关停|关闭|删除|下线|整合|合并|废止|失效|同比|增长|下降|新增"
    r"|网站|微信|微博|公众号|客户端|APP|app|抖音|头条|平台|公告栏|公示栏|报纸|报刊|电视|广播|短信|网上|线上|线下"
)
# an item that is a property of the whole, not a kind of it: "实现…的 N 项", "…的有 N 项",
# "可…办理 N 项", "即办件": such items overlap the kinds and each other
_PROPERTY = re.compile(
    r"的(?:有|为|达|共)?\s*$|^[\s,;、:]*(?:以及|及|和)?(?:实现|已实现|可|能|均|全部|压缩|提速|即办|达到|满足|免于|是否|通过)"
)
_CATCH_ALL = ("其他", "其它", "其余", "剩余")
_WHOLE_BEFORE = re.compile(rf"(?P<n>{NUMBER})\s*(?P<unit>{_UNITS})\s*(?:\([^)]*\))?\s*[,;。:]?\s*\(?\s*$")
_LIST_KEYS = re.compile(r"其中[,:]?|涉及[,:]?|包括[,:]?")
_TOTAL_AFTER = re.compile(rf"^\s*,?\s*(?:共|共计|合计|总计|累计)(?:为)?\s*(?P<n>{NUMBER})\s*(?P<unit>{_UNITS})")


# the total of a form-B list; the regex starts at its word (a literal, found fast), and
# `_total_start` moves the start back over the ",?\s*" before it
_TOTAL = re.compile(rf"(?:共|共计|合计|总计)(?:为)?\s*(?P<n>{NUMBER})\s*(?P<unit>{_UNITS})")


def _total_start(text: str, i: int) -> int:
    r"""Where ",?\s*共…" starts when its 共 is at `i` (leftmost, as a scan from the left finds it)."""
    j = i
    while j > 0 and text[j - 1].isspace():
        j -= 1
    if j > 0 and text[j - 1] == ",":
        j -= 1
    return j


def _parse_list(text: str, pos: int, stop: int) -> tuple[list[re.Match], int]:
    """Items "label N unit" separated by 、 , ; starting at pos; returns them and where the list ended."""
    items = []
    i = pos
    while i < stop:
        m = _ITEM.match(text, i, stop)
        if not m:
            break
        items.append(m)
        j = m.end()
        # skip a parenthesis right after the item: 208 件(17.46%)
        if j < stop and text[j] == "(":
            k = text.find(")", j, stop)
            if k < 0:
                break
            j = k + 1
        if j < stop and text[j] in "、,;":
            i = j + 1
            continue
        i = j
        break
    return items, i


@dataclass
class PartsList:
    """A stated whole and the parts listed with it (read by N201)."""

    items: list  # re.Match objects of the parts ("label N unit")
    unit: str
    whole: Decimal
    whole_start: int
    whole_end: int
    exhaustive_needed: bool  # "其中" lists may be partial; "…，共 N" lists are complete
    offset: int = 0  # stream offset the items' positions are relative to

    @property
    def parts(self) -> list[Decimal]:
        return [parse_number(m.group("n")) for m in self.items]


def check_parts(report: Report, ctx: CheckContext, prose: Prose, rule: Rule) -> Iterator[Finding]:
    """Listed parts against the stated whole (N201)."""
    for pl in iter_lists(prose):
        yield from _check_parts(report, ctx, rule, prose, pl.items, pl.unit, pl.whole, pl.whole_start, pl.whole_end,
                                exhaustive_needed=pl.exhaustive_needed, offset=pl.offset)


def iter_lists(prose: Prose) -> Iterator[PartsList]:
    """Every "whole, 其中 parts" and "parts, 共 whole" list in the prose."""
    text = prose.text
    # Form A: "…N unit，其中 a N1 unit、b N2 unit…"
    for km in _LIST_KEYS.finditer(text):
        s0, s1 = prose.sentence_bounds(km.start(), "!?！？\n")
        sentence_end = text.find("。", km.end())
        sentence_end = s1 if sentence_end < 0 else min(sentence_end, s1)
        sentence_start = text.rfind("。", s0, km.start()) + 1 or s0
        if text.count("其中", max(s0, sentence_start), sentence_end) > 1:
            continue  # nested lists ("…，其中A，其中B…") are read two ways; skip them
        before = text[max(s0, km.start() - 40) : km.start()]
        wm = _WHOLE_BEFORE.search(before)
        if not wm:
            continue
        whole_start = km.start() - len(before) + wm.start("n")
        whole_end = km.start() - len(before) + wm.end("unit")
        if approx_before(text, whole_start):
            continue
        end = text.find("。", km.end())
        end = s1 if end < 0 else min(end, s1)
        items, _stop = _parse_list(text, km.end(), end)
        yield PartsList(items, wm.group("unit"), parse_number(wm.group("n")), whole_start, whole_end, True)
    # Form B: "a N1 unit、b N2 unit，共 N unit"
    for tm in _TOTAL.finditer(text):
        start = _total_start(text, tm.start())
        s0, _s1 = prose.sentence_bounds(start, "。!?！？\n;")
        seg = text[s0:start]
        # the items must run right up to the total and be joined by 、
        items = []
        for m in _ITEM_B.finditer(seg):
            items.append(m)
        if len(items) < 2:
            continue
        tail = items[-1]
        if seg[tail.end() :].strip(" ,") != "":
            continue
        # take the trailing run of items separated by 、 only
        run = [items[-1]]
        for prev in reversed(items[:-1]):
            gap = seg[prev.end() : run[0].start()]
            if gap.strip() == "" and seg[run[0].start() - 1 : run[0].start()] == "、":
                run.insert(0, prev)
            elif seg[prev.end() : prev.end() + 1] == "、" and run[0].start() == prev.end() + 1:
                run.insert(0, prev)
            else:
                break
        if len(run) < 2:
            continue
        yield PartsList(run, tm.group("unit"), parse_number(tm.group("n")), tm.start("n"), tm.end("unit"), False, s0)


def _check_parts(report, ctx, rule, prose, items, unit, whole, whole_start, whole_end, *, exhaustive_needed, offset=0):
    text = prose.text
    if len(items) < 2:
        return
    if any(m.group("unit") != unit for m in items):
        return  # mixed units: not one list of parts
    labels = [m.group("label") for m in items]
    if any(("其中" in lb or "共" in lb or "合计" in lb or "总计" in lb or "累计" in lb) for lb in labels[1:]):
        return  # nested or several totals: not a plain list of parts
    if any(approx_before(text, offset + m.start("n")) for m in items):
        return
    if any(not re.search(r"[\u4e00-\u9fff]", lb) for lb in labels):
        return
    if any(_NOT_PARTS.search(lb) for lb in labels):
        return  # changes (新增/撤销…) or channels (网站/微信…) are not parts of one whole
    if exhaustive_needed and (any(_PROPERTY.search(lb) for lb in labels)):
        return  # "其中" items that are properties of the whole overlap: not disjoint kinds
    # a number right after the last item ("…3 件。以上 63 项") is fine; a list that runs on is not a list
    parts = [parse_number(m.group("n")) for m in items]
    s = sum(parts)
    if s == whole:
        return
    last = re.sub(r"^[\s,;、:(]*(?:以及|及|和)?", "", labels[-1])
    catch_all = last.startswith(_CATCH_ALL)  # "其他信息 10 条" (not "法人或其他组织")
    if exhaustive_needed and s < whole and not catch_all:
        return  # "其中" may name only some parts
    span = prose.span(whole_start, whole_end)
    quote = prose.quote(span)
    related = []
    for m in items[:10]:
        sp = prose.span(offset + m.start("n"), offset + m.end("unit"))
        related.append(Related(sp, f"{m.group('label').strip(' ,:')} {m.group('n')}{m.group('unit')}"))
    expr = " + ".join(m.group("n") for m in items)
    msg = ctx.msg("N201", expr=expr, sum=fmt_number(s), unit=unit, quote=quote)
    diff = s - whole
    d = ("+" if diff > 0 else "") + fmt_number(diff)
    notes = [ctx.msg("N201-sum", sum=fmt_number(s), diff=d)]
    f = ctx.finding(rule, msg, span=span, expected=f"{fmt_number(s)}{unit}", related=related, notes=notes)
    f.stated = quote
    yield f


_PCT_ITEM = re.compile(
    rf"(?P<n>{NUMBER})\s*(?P<unit>{_UNITS})\s*"
    rf"(?:\(\s*(?:占比?|占总数的?)?\s*|,\s*占(?:比为?|总数的?)?\s*)(?P<p>\d+(?:\.\d+)?)\s*%"
)


def _pct_ok(n: Decimal, base: Decimal, p: Decimal) -> bool:
    if base == 0:
        return False
    decimals = -p.as_tuple().exponent if p.as_tuple().exponent < 0 else 0
    tol = Decimal(1).scaleb(-decimals) / 2 + Decimal("0.0001")
    return abs(n * 100 / base - p) <= tol


def check_percentages(report: Report, ctx: CheckContext, prose: Prose, rule: Rule) -> Iterator[Finding]:
    """Percentages printed next to counts ("208 件（17.46%）") against count ÷ base.

    The base is not named in the text, so it is found: among the numbers with the same
    unit in the 300 characters before the first percentage (and the sum of the counts),
    the base that explains the most percentages, and at least two of them.  Only
    percentages that this confirmed base does not explain are reported.
    """
    text = prose.text
    if "%" not in text:  # every item ends in a percent sign
        return
    items = list(_PCT_ITEM.finditer(text))
    # group items into runs: consecutive percentages within one paragraph
    groups: list[list[re.Match]] = []
    for m in items:
        if groups and m.start() - groups[-1][-1].end() < 80 and "\n" not in text[groups[-1][-1].end() : m.start()] \
                and m.group("unit") == groups[-1][-1].group("unit"):
            groups[-1].append(m)
        else:
            groups.append([m])
    for g in groups:
        if len(g) < 2:
            continue
        unit = g[0].group("unit")
        window = text[max(0, g[0].start() - 300) : g[0].start()]
        candidates = {parse_number(x.group("n")) for x in re.finditer(rf"(?P<n>{NUMBER})\s*{re.escape(unit)}", window)}
        candidates.add(sum(parse_number(m.group("n")) for m in g))
        best, best_hits = None, 0
        for base in candidates:
            hits = sum(_pct_ok(parse_number(m.group("n")), base, parse_number(m.group("p"))) for m in g)
            if hits > best_hits:
                best, best_hits = base, hits
        if best is None or best_hits < 2 or best_hits == len(g):
            continue
        for m in g:
            n, p = parse_number(m.group("n")), parse_number(m.group("p"))
            if _pct_ok(n, best, p):
                continue
            decimals = -p.as_tuple().exponent if p.as_tuple().exponent < 0 else 0
            right = (n * 100 / best).quantize(Decimal(1).scaleb(-decimals))
            span = prose.span(m.start("p"), m.end("p") + 1)
            quote = prose.quote(span)
            rel = [Related(prose.span(m.start("n"), m.end("unit")), ctx.msg("N202-count"))]
            msg = ctx.msg("N202", quote=quote, n=fmt_number(n), base=fmt_number(best), right=f"{right}")
            notes = [ctx.msg("N202-base", base=fmt_number(best), unit=unit, hits=best_hits)]
            f = ctx.finding(rule, msg, span=span, expected=f"{right}%", related=rel, notes=notes)
            f.stated = quote
            yield f


