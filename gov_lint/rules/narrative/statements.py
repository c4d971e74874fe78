"""N301–N305: statements in the prose (均已办结, 未收到申请, 零败诉…) against the tables.

Each compares a claim that some count is zero, or that everything was closed, with
the best-known value of the cells it speaks of (cells.py): a blank 总计 is what its
relation says, a localised cell its correction.
"""

from __future__ import annotations

import re
from typing import Iterator

from ...messages import Message
from ...model import Finding, Report
from ..base import CheckContext, Rule
from ..prose import Prose, fmt_number
from . import cells as C
from .claims import CHANNEL_WORDS, other_year

# ------------------------------------------------------------------ N3xx: claims against the data

_CHANNEL = re.compile(r"线下|线上|网上|邮寄|信函|当面|现场|来电|电话|传真|电子邮件|邮箱")
_NOT_APPLICATION = re.compile(r"复议|诉讼|纠错|败诉|不予|逾期|超期|投诉|举报|信访|收费")


def _claim(report: Report, ctx: CheckContext, rule: Rule, prose: Prose, a: int, b: int,
           cells: list[C.CellRef], msg_id: str) -> Finding:
    span = prose.span(a, b)
    quote = prose.quote(span)
    t, r, c = C.address(cells)
    value = C.Reading(cells).value
    f = ctx.finding(rule, ctx.msg(msg_id, quote=quote, value=fmt_number(value)), span=span, table=t, row=r,
                    column=c, expected=fmt_number(value), related=C.related_cells(report, cells))
    f.stated = quote
    return f


_ALL_CLOSED = re.compile(r"(?:均|全部|都)(?:已|已经)?(?:按时|按期|依法|如期)?(?:办结|办理完毕|完成办理|处理完毕)")


def check_n301(report: Report, ctx: CheckContext, prose: Prose, rule: Rule) -> Iterator[Finding]:
    text = prose.text
    for m in _ALL_CLOSED.finditer(text):
        s0, s1 = prose.sentence_bounds(m.start())
        sentence = text[s0:s1]
        if "复议" in sentence or "诉讼" in sentence or "申请" not in text[max(0, m.start() - 150) : m.end()]:
            continue
        before = text[s0 : m.start()]
        if "结转" in before or CHANNEL_WORDS.search(before) or other_year(report, before):
            continue  # about last year's carried-over applications, one channel, or another year
        if prose.section_at(m.start()) not in ("前言", "一", "三"):
            continue
        cells = C.nonzero(report, ctx, ["三/四/总计"])
        if cells:
            yield _claim(report, ctx, rule, prose, m.start(), m.end(), cells, "N301")


# only generic words between "未收到" and "申请": "未收到法人的申请" or "未收到涉及…的申请"
# speak of a subset, not of all applications
_NO_REQUESTS = re.compile(
    r"(?:未|没有|无)(?:收到|受理|接到|接收|发生|产生)?(?:过)?"
    r"(?:任何|任何形式的|有关|相关|群众|社会公众|本年度|全年|的|提出的|政府信息|信息)*"
    r"(?:政府信息公开申请|信息公开申请|公开申请|依申请公开|申请公开)"
)


def check_n302(report: Report, ctx: CheckContext, prose: Prose, rule: Rule) -> Iterator[Finding]:
    text = prose.text
    for m in _NO_REQUESTS.finditer(text):
        c0, c1 = prose.clause_bounds(m.start())
        clause = text[c0:c1]
        if _CHANNEL.search(clause) or _NOT_APPLICATION.search(clause):
            continue
        s0, _s1 = prose.sentence_bounds(m.start())
        if other_year(report, text[s0 : m.start()]):
            continue
        if prose.section_at(m.start()) not in ("前言", "一", "三"):
            continue
        # "无依申请公开…" must be the statement itself, not "无…的依申请公开工作制度"
        if re.search(r"制度|机制|指南|目录|渠道|平台|流程|培训", text[m.end() : c1]):
            continue
        cells = C.nonzero(report, ctx, ["三/一/总计"])
        if cells:
            yield _claim(report, ctx, rule, prose, m.start(), m.end(), cells, "N302")


_NO_CASES = re.compile(
    r"(?:未发生|没有发生|未出现|没有出现|未有|没有|未收到|未产生|不存在|无)(?:任何|过)?(?:[^,;。\n]{0,20}?)(?:行政复议|行政诉讼)"
)
_LOSS_WORDS = re.compile(r"纠错|纠正|败诉|撤销|确认违法|责令")


def check_n303(report: Report, ctx: CheckContext, prose: Prose, rule: Rule) -> Iterator[Finding]:
    text = prose.text
    for m in _NO_CASES.finditer(text):
        c0, c1 = prose.clause_bounds(m.start())
        clause = text[c0:c1]
        if _LOSS_WORDS.search(clause):
            continue  # about outcomes: N304
        section = prose.section_at(m.start())
        s0, s1 = prose.sentence_bounds(m.start())
        if section != "四" and not re.search(r"信息公开|依申请", text[s0:s1]):
            continue
        if other_year(report, text[s0 : m.start()]):
            continue
        tail = text[m.start() : c1]
        refs = []
        if "复议" in tail:
            refs.append("四/行政复议/总计")
        if "诉讼" in tail:
            if "复议后" in tail:
                refs.append("四/复议后起诉/总计")
            elif "直接" in tail:
                refs.append("四/未经复议直接起诉/总计")
            else:
                refs += ["四/未经复议直接起诉/总计", "四/复议后起诉/总计"]
        cells = C.nonzero(report, ctx, refs)
        if cells:
            yield _claim(report, ctx, rule, prose, m.start(), m.end(), cells, "N303")


_NO_LOSSES = re.compile(
    r"零败诉|零纠错|(?:均|全部|都)(?:获|被|予以|得到)?维持"
    r"|(?:未发生|没有发生|未出现|没有出现|未有|没有|无)(?:[^,;。\n]{0,30}?)(?:纠错|败诉|被纠正|被撤销|确认违法)"
)


# one of these ends every match of _NO_LOSSES: a text without them is not read (one search for
# any of them: a `word in text` test per word is slower on Chinese text)
_LOSS_ENDS = ("败诉", "纠错", "维持", "被纠正", "被撤销", "确认违法")
_ANY_LOSS_END = re.compile("|".join(re.escape(w) for w in _LOSS_ENDS))


def check_n304(report: Report, ctx: CheckContext, prose: Prose, rule: Rule) -> Iterator[Finding]:
    text = prose.text
    if _ANY_LOSS_END.search(text) is None:
        return
    for m in _NO_LOSSES.finditer(text):
        # the claim covers the cases named before it up to the previous ";" or "。"
        # ("复议 2 件，均获维持；诉讼 1 件被撤销" says nothing about the lawsuit)
        s0, s1 = prose.sentence_bounds(m.start(), "。!?！？\n;；")
        sentence = text[s0 : m.end()]
        if other_year(report, text[s0 : m.start()]):
            continue
        section = prose.section_at(m.start())
        if section != "四" and not re.search(r"信息公开|依申请", sentence):
            continue
        if not re.search(r"复议|诉讼|败诉|纠错", sentence):
            continue
        phrase = m.group(0)
        refs = []
        review = "复议" in sentence or "纠错" in phrase
        lawsuit = "诉讼" in sentence or "败诉" in phrase
        if "维持" in phrase:
            review = review or "复议" in sentence
            lawsuit = lawsuit or "诉讼" in sentence
        if review and ("纠错" in phrase or "纠正" in phrase or "维持" in phrase or "撤销" in phrase
                       or "确认违法" in phrase or "复议" in text[m.start() : m.end()]):
            refs.append("四/行政复议/结果纠正")
        if lawsuit:
            refs += ["四/未经复议直接起诉/结果纠正", "四/复议后起诉/结果纠正"]
        cells = C.nonzero(report, ctx, refs)
        if cells:
            yield _claim(report, ctx, rule, prose, m.start(), m.end(), cells, "N304")


_ALL_CONCLUDED = re.compile(r"(?:均|全部|都)(?:已|已经)?(?:结案|审结|办结|了结)")


def check_n305(report: Report, ctx: CheckContext, prose: Prose, rule: Rule) -> Iterator[Finding]:
    text = prose.text
    for m in _ALL_CONCLUDED.finditer(text):
        s0, s1 = prose.sentence_bounds(m.start(), "。!?！？\n;；")
        sentence = text[s0 : m.end()]
        if other_year(report, text[s0 : m.start()]):
            continue
        if not re.search(r"复议|诉讼", sentence):
            continue
        if prose.section_at(m.start()) != "四" and not re.search(r"信息公开|依申请", sentence):
            continue
        refs = []
        if "复议" in sentence:
            refs.append("四/行政复议/尚未审结")
        if "诉讼" in sentence:
            refs += ["四/未经复议直接起诉/尚未审结", "四/复议后起诉/尚未审结"]
        cells = C.nonzero(report, ctx, refs)
        if cells:
            yield _claim(report, ctx, rule, prose, m.start(), m.end(), cells, "N305")




# ------------------------------------------------------------------ N306: a table of zeros under a text that counts

# a cell that reads as "nothing": 0, a blank or a dash
_NOTHING_KINDS = ("blank", "dash")


def zero_table(report: Report, table: str) -> int:
    """The number of rows of `table` when every cell of it reads as nothing (0, blank or
    "—"), else 0.  A table with a cell that could not be read is not known to be zero."""
    t = report.tables.get(table)
    if t is None or not t.rows or t.unmatched:
        return 0
    numbers = 0
    for row in t.rows.values():
        for cell in row.cells.values():
            if cell.kind in _NOTHING_KINDS:
                continue
            if cell.kind != "number" or cell.value != 0:
                return 0
            numbers += 1
    return len(t.rows) if numbers else 0


# the counts that say there was business this year: applications received or closed, reviews, lawsuits
# (a stray number about one outcome or the carry-over under an all-zero table is an N101)
HEADLINE = frozenset({"new-applications", "closed", "reviews", "lawsuits", "reviews-and-lawsuits"})


def unfilled(report: Report, prose: Prose) -> dict[str, object]:
    """Tables 三/四 that are all zero while the prose gives a headline count of theirs
    (HEADLINE) above 0 and none of 0: table → the first such claim (claims.py, read in
    context)."""
    from .counts import claims_of

    got = prose.__dict__.get("_unfilled")  # N101 and N306 both ask
    if got is not None:
        return got
    first: dict[str, object] = {}
    said_zero: set[str] = set()  # a headline count of 0 agrees with the zeros: a misquote is an N101
    for claim in claims_of(report, prose):
        q = claim.quantity
        if q.id not in HEADLINE:
            continue
        if claim.stated <= 0:
            said_zero.add(q.table)
        elif q.table not in first:
            first[q.table] = claim
    out = {t: c for t, c in first.items() if t not in said_zero and zero_table(report, t)}
    prose.__dict__["_unfilled"] = out
    return out


def check_n306(report: Report, ctx: CheckContext, prose: Prose, rule: Rule) -> Iterator[Finding]:
    for table, claim in unfilled(report, prose).items():
        q = claim.quantity
        span = prose.span(claim.n_start, claim.unit_end)
        quote = prose.quote(span)
        cells = []
        for ref in q.cells[0]:
            cells.extend(C.resolve(report, ctx, ref) or [])
        t, r, c = C.address(cells)
        rows = zero_table(report, table)
        msg = ctx.msg("N306", table=table, rows=rows, name=Message(q.name_id), quote=quote)
        f = ctx.finding(rule, msg, span=span, table=t or table, row=r, column=c,
                        related=C.related_cells(report, cells), notes=[ctx.msg("N306-note", table=table)])
        f.stated = quote
        yield f
