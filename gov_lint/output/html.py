"""HTML report: one self-contained page (inline CSS and JS, nothing fetched).

For each checked file the page draws the report's own tables in the layout of the
official template (section 二 blocks, the section-三 table with its 申请人情况
header and merged group labels, the 15-cell section-四 table), each cell showing
the text as printed.  Cells with findings are marked by colour *and* by border
style, an icon and a text label, so the page also works for colour-blind readers
and in black-and-white print.  Each finding is listed under the tables with its
message, stated and expected value and notes, linked to its cell and back.
Findings that are not about a cell (narrative sentences, missing sections) quote
the line of the document with the span underlined.

`HtmlRenderer` follows the Renderer protocol (results in, one page out at
`finish`); `render_html(results)` does the same in one call, for the web page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape
from typing import Any, Iterable

from ..model import SEVERITY_RANK, Cell, FileResult, Finding, Report, Span
from .base import Renderer, RenderOptions, Summary

# --------------------------------------------------------------------------- words

_ZH = {
    "colon": "：",
    "paren": "（{}）",
    "title": "政府信息公开工作年度报告检查结果",
    "summary": "检查摘要",
    "files": "文件",
    "checked": "已检查",
    "skipped": "未检查",
    "file": "文件",
    "template": "模板",
    "year": "年度",
    "agency": "机关",
    "unknown": "未识别",
    "none": "—",
    "error": "错误",
    "warning": "警告",
    "info": "提示",
    "errors": "错误",
    "warnings": "警告",
    "infos": "提示",
    "contents": "目录",
    "findings": "发现的问题",
    "crossyear": "跨年度检查（与同一机关其他年度的报告比较）",
    "no_findings": "没有发现问题。",
    "not_checked": "此文件未能检查",
    "reason": "原因",
    "status_skipped": "已跳过",
    "status_error": "无法读取",
    "t2": "二、主动公开政府信息情况",
    "t3": "三、收到和处理政府信息公开申请情况",
    "t4": "四、政府信息公开行政复议、行政诉讼情况",
    "table_missing": "报告中没有读到这张表。",
    "truncated": "这张表在报告中不完整（中途截断），后面的单元格没有读到。",
    "extra_rows": "表中未能对应到模板的行",
    "stated": "填写值",
    "expected": "应为",
    "blank": "空白",
    "absent": "未读到",
    "where": "位置",
    "line": "第 {n} 行",
    "line_col": "第 {n} 行第 {c} 列",
    "related": "相关",
    "notes": "说明",
    "to_cell": "↑ 在表中查看",
    "to_finding": "查看问题说明",
    "quote": "原文",
    "legend": "图例",
    "legend_text": "有问题的单元格带有图标和边框：✖ 实线边框 = 错误，⚠ 虚线边框 = 警告，ℹ 点线边框 = 提示。点击单元格可跳到问题说明。",
    "show": "显示",
    "subtotal": "小计",
    "corner": "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
    "results3": "三、本年度办理结果",
    "info_content": "信息内容",
    "item": "第二十条第（{item}）项",
    "unit": "（单位：{unit}）",
    "applicants": "申请人情况",
    "legal_persons": "法人或其他组织",
    "review": "行政复议",
    "litigation": "行政诉讼",
    "report_of": "报告",
    "tables": "表格",
    "footer": "由 gov-lint {version} 生成。本页面不含任何外部资源，可离线保存和打开。",
    "tmpl_2019": "2019 试行格式（国办公开办函〔2019〕60号）",
    "tmpl_2021": "2021 格式（国办公开办函〔2021〕30号）",
    "tmpl_legacy": "2019 年以前的格式（只做提示，不核对数字）",
    "tmpl_unknown": "未识别",
    "table_short": {"二": "表二（主动公开）", "三": "表三（依申请公开）", "四": "表四（复议、诉讼）"},
}

_EN = {
    "colon": ": ",
    "paren": " ({})",
    "title": "Government information disclosure annual report: check results",
    "summary": "Summary",
    "files": "Files",
    "checked": "Checked",
    "skipped": "Not checked",
    "file": "File",
    "template": "Template",
    "year": "Year",
    "agency": "Agency",
    "unknown": "unknown",
    "none": "—",
    "error": "Error",
    "warning": "Warning",
    "info": "Info",
    "errors": "Errors",
    "warnings": "Warnings",
    "infos": "Infos",
    "contents": "Contents",
    "findings": "Findings",
    "crossyear": "Cross-year checks (against the same agency's reports of other years)",
    "no_findings": "No findings.",
    "not_checked": "This file could not be checked",
    "reason": "Reason",
    "status_skipped": "skipped",
    "status_error": "unreadable",
    "t2": "II. Proactive disclosure (主动公开政府信息情况)",
    "t3": "III. Disclosure requests received and handled (收到和处理政府信息公开申请情况)",
    "t4": "IV. Administrative reconsideration and litigation (行政复议、行政诉讼情况)",
    "table_missing": "This table was not found in the report.",
    "truncated": "This table is cut off in the report; the cells after the cut were not read.",
    "extra_rows": "Rows that match no row of the template",
    "stated": "Stated",
    "expected": "Expected",
    "blank": "blank",
    "absent": "not read",
    "where": "Where",
    "line": "line {n}",
    "line_col": "line {n}, column {c}",
    "related": "Related",
    "notes": "Notes",
    "to_cell": "↑ Show in the table",
    "to_finding": "Show the finding",
    "quote": "Text",
    "legend": "Legend",
    "legend_text": "Cells with findings carry an icon and a border: ✖ solid = error, ⚠ dashed = warning, ℹ dotted = info. Click a cell to jump to its finding.",
    "show": "Show",
    "subtotal": "小计",
    "corner": "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
    "results3": "三、本年度办理结果",
    "info_content": "信息内容",
    "item": "第二十条第（{item}）项",
    "unit": "（单位：{unit}）",
    "applicants": "申请人情况",
    "legal_persons": "法人或其他组织",
    "review": "行政复议",
    "litigation": "行政诉讼",
    "report_of": "Report",
    "tables": "Tables",
    "footer": "Made by gov-lint {version}. This page loads nothing from elsewhere; it can be saved and opened offline.",
    "tmpl_2019": "2019 trial format (国办公开办函〔2019〕60号)",
    "tmpl_2021": "2021 format (国办公开办函〔2021〕30号)",
    "tmpl_legacy": "pre-2019 format (notice only, numbers not checked)",
    "tmpl_unknown": "unknown",
    "table_short": {"二": "Table II", "三": "Table III", "四": "Table IV"},
}

CS2 = ' colspan="2"'
CS3 = ' colspan="3"'

ICONS = {"error": "✖", "warning": "⚠", "info": "ℹ"}


def words(lang: str) -> dict:
    return _EN if lang == "en" else _ZH


def e(value: object) -> str:
    """Escape for text and attribute values."""
    return escape("" if value is None else str(value), quote=True)


def template_name(template: str, lang: str = "zh") -> str:
    w = words(lang)
    return w.get(f"tmpl_{template}", w["tmpl_unknown"]) if template else w["tmpl_unknown"]


# --------------------------------------------------------------------------- one file

Address = tuple[str | None, str | None, str | None]  # (table, row, column)


@dataclass
class RenderedFile:
    """One file's part of the page, rendered as soon as the result arrives.

    The anchors of its drawn cells stay (not the Report), so that cross-year
    findings reported after all files (`FileResult.extra`) can join this section
    and link to its cells.
    """

    anchor: str
    path: str
    status: str
    counts: dict[str, int]
    head: str  # section start and file name
    meta: str  # file, template, year, agency (shown in the summary when there is one file)
    tables: str
    findings: str  # the findings list (or the "no findings" line)
    ctx: Any = None
    extra: list[str] = field(default_factory=list)  # cross-year findings, rendered
    clean: bool = False  # no findings of its own

    def html(self, with_meta: bool = True, lang: str = "zh") -> str:
        w = words(lang)
        parts = [self.head]
        if with_meta:
            parts.append(self.meta + _counts(w, self.counts))
        parts.append(self.tables)
        p = self.anchor
        parts.append(f'<section class="findings" aria-labelledby="{p}-fh"><h3 id="{p}-fh">{e(w["findings"])}</h3>')
        if not (self.extra and self.clean):
            parts.append(self.findings)
        if self.extra:
            parts.append(f'<h4 id="{p}-yh">{e(w["crossyear"])}</h4><ol class="flist">\n' + "\n".join(self.extra) + "\n</ol>")
        parts.append("</section></section>")
        return "\n".join(x for x in parts if x)


@dataclass
class _Ctx:
    """State while rendering one file: anchors, findings by cell, which cells were drawn."""

    prefix: str
    lang: str
    w: dict
    report: Report | None
    finding_ids: list[str] = field(default_factory=list)
    by_addr: dict[Address, list[int]] = field(default_factory=dict)  # address → finding indexes
    addr_of: dict[int, Address] = field(default_factory=dict)
    ids: dict[Address, str] = field(default_factory=dict)
    drawn: set[Address] = field(default_factory=set)
    span_addr: dict[tuple[int, int], Address] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    template: Any = None  # the Template the tables were drawn in (None: no tables)
    fid_prefix: str = "f"

    def anchor(self, addr: Address) -> str:
        if addr not in self.ids:
            self.ids[addr] = f"{self.prefix}-a{len(self.ids) + 1}"
        return self.ids[addr]


def _worst(findings: Iterable[Finding]) -> str:
    return max((f.severity for f in findings), key=lambda s: SEVERITY_RANK[s])


def _index(ctx: _Ctx, result: FileResult) -> None:
    """Give every finding an id and find the cell, row or table it is about."""
    report = ctx.report
    if report is not None:
        for tid, table in report.tables.items():
            for rkey, row in table.rows.items():
                if row.span is not None:
                    ctx.span_addr.setdefault((row.span.line, row.span.col), (tid, rkey, None))
                for ckey, cell in row.cells.items():
                    if cell.span is not None:
                        ctx.span_addr[(cell.span.line, cell.span.col)] = (tid, rkey, ckey)
    for i, f in enumerate(ctx.findings):
        ctx.finding_ids.append(f"{ctx.prefix}-{ctx.fid_prefix}{i + 1}")
        addr: Address | None = None
        if f.table:
            addr = (f.table, f.row, f.column if f.row else None)
        elif f.span is not None:
            addr = ctx.span_addr.get((f.span.line, f.span.col))
        if addr is not None:
            ctx.addr_of[i] = addr
            ctx.by_addr.setdefault(addr, []).append(i)


def _lead(ctx: _Ctx, idx: list[int]) -> int:
    """The finding a marked cell links to: the most severe, then the first."""
    return max(idx, key=lambda i: (SEVERITY_RANK[ctx.findings[i].severity], -i))


def _marks(ctx: _Ctx, idx: list[int]) -> tuple[str, str]:
    """(css classes, inner html) marking a cell or header that has findings."""
    fs = [ctx.findings[i] for i in idx]
    worst = _worst(fs)
    badges = []
    for sev in ("error", "warning", "info"):
        n = sum(1 for f in fs if f.severity == sev)
        if n:
            label = ctx.w[sev] + (f" ×{n}" if n > 1 else "")
            badges.append(
                f'<span class="mk mk-{sev}"><span aria-hidden="true">{ICONS[sev]}</span>'
                f'<span class="vh"> {e(label)}</span></span>'
            )
    return f"hit sev-{worst}", "".join(badges)


def _cell_td(ctx: _Ctx, table: str, row: str, column: str, attrs: str = "") -> str:
    addr: Address = (table, row, column)
    ctx.drawn.add(addr)
    anchor = ctx.anchor(addr)
    cell: Cell | None = ctx.report.cell(table, row, column) if ctx.report else None
    classes = ["c"]
    if cell is None:
        classes.append("absent")
        text = f'<span class="ph">{e(ctx.w["absent"])}</span>'
    elif cell.kind == "blank" or not cell.raw.strip():
        classes.append("blank")
        text = f'<span class="ph">{e(ctx.w["blank"])}</span>'
    else:
        classes.append(f"k-{cell.kind}")
        text = f'<span class="raw">{e(cell.raw)}</span>'
    idx = ctx.by_addr.get(addr)
    if not idx:
        return f'<td id="{anchor}" class="{" ".join(classes)}"{attrs}>{text}</td>'
    hit_cls, badges = _marks(ctx, idx)
    classes.append(hit_cls)
    lead = _lead(ctx, idx)
    first = ctx.findings[lead]
    exp = ""
    expected = next((ctx.findings[i].expected for i in idx if ctx.findings[i].expected is not None), None)
    if expected is not None:
        exp = f'<span class="exp">{e(ctx.w["expected"])} {e(expected)}</span>'
    title = " / ".join(ctx.findings[i].message for i in idx)
    return (
        f'<td id="{anchor}" class="{" ".join(classes)}"{attrs}>'
        f'<a class="go" href="#{ctx.finding_ids[lead]}" title="{e(title)}" '
        f'aria-label="{e(ctx.w[first.severity])}: {e(first.message)}">{badges}{text}{exp}</a></td>'
    )


def _row_th(ctx: _Ctx, table: str, row: str | None, label: str, attrs: str = "", scope: str = "row") -> str:
    """A row header; it carries an anchor (and marks) for findings about the whole row."""
    addr: Address = (table, row, None)
    ctx.drawn.add(addr)
    anchor = ctx.anchor(addr)
    idx = ctx.by_addr.get(addr)
    if not idx:
        return f'<th id="{anchor}" scope="{scope}"{attrs}>{e(label)}</th>'
    hit_cls, badges = _marks(ctx, idx)
    return (
        f'<th id="{anchor}" scope="{scope}" class="{hit_cls}"{attrs}>'
        f'<a class="go" href="#{ctx.finding_ids[_lead(ctx, idx)]}">{badges}{e(label)}</a></th>'
    )


def _table_heading(ctx: _Ctx, tid: str, title: str) -> str:
    addr: Address = (tid, None, None)
    ctx.drawn.add(addr)
    anchor = ctx.anchor(addr)
    idx = ctx.by_addr.get(addr)
    if not idx:
        return f'<h3 id="{anchor}">{e(title)}</h3>'
    hit_cls, badges = _marks(ctx, idx)
    return f'<h3 id="{anchor}" class="{hit_cls}"><a class="go" href="#{ctx.finding_ids[_lead(ctx, idx)]}">{badges}{e(title)}</a></h3>'


def _table_notes(ctx: _Ctx, tid: str, known_rows: set[str]) -> str:
    """Notes under a table: truncated, rows the template does not have."""
    table = ctx.report.tables.get(tid) if ctx.report else None
    if table is None:
        return ""
    out = []
    if table.truncated:
        out.append(f'<p class="note">{e(ctx.w["truncated"])}</p>')
    extra = [r for k, r in table.rows.items() if k not in known_rows] + list(table.unmatched)
    if extra:
        items = []
        for r in extra:
            cells = " | ".join(c.raw for c in r.cells.values())
            where = f' <span class="ln">({e(ctx.w["line"].format(n=r.line))})</span>' if r.line else ""
            items.append(f"<li><b>{e(r.label)}</b>{(': ' + e(cells)) if cells else ''}{where}</li>")
        out.append(f'<details class="extra"><summary>{e(ctx.w["extra_rows"])} ({len(extra)})</summary><ul>{"".join(items)}</ul></details>')
    return "".join(out)


def _missing_table(ctx: _Ctx, tid: str, title: str) -> str:
    return f'<section class="tbl">{_table_heading(ctx, tid, title)}<p class="note">{e(ctx.w["table_missing"])}</p></section>'


def _wrap(ctx: _Ctx, tid: str, title: str, table_html: str, notes: str) -> str:
    return (
        f'<section class="tbl">{_table_heading(ctx, tid, title)}'
        f'<div class="scroll" role="region" tabindex="0" aria-label="{e(title)}">{table_html}</div>{notes}</section>'
    )


def _template(report: Report):
    from ..templates import TEMPLATE_IDS, load_template

    if report.template in TEMPLATE_IDS:
        return load_template(report.template)
    if report.year is not None:
        from ..templates import template_for_year

        t = template_for_year(report.year)
        if t is not None:
            return t
    return load_template("2021")


def _table2(ctx: _Ctx, report: Report) -> str:
    tid = "二"
    title = ctx.w["t2"]
    if tid not in report.tables:
        return _missing_table(ctx, tid, title)
    tpl = _template(report)
    width = max(len(b.columns) for b in tpl.blocks)
    parts = [f'<table class="t t2" lang="zh-CN"><caption class="vh">{e(title)}</caption>']
    known: set[str] = set()
    for b in tpl.blocks:
        parts.append("<tbody>")
        parts.append(
            f'<tr class="cap"><th scope="colgroup" colspan="{width + 1}">{e(ctx.w["item"].format(item=b.item))}</th></tr>'
        )
        heads = [f'<th scope="col">{e(ctx.w["info_content"])}</th>']
        spans = []
        for j, col in enumerate(b.columns):
            span = width - len(b.columns) + 1 if j == len(b.columns) - 1 else 1
            spans.append(span)
            label = col.key + (ctx.w["unit"].format(unit=col.unit) if col.unit else "")
            cs = f' colspan="{span}"' if span > 1 else ""
            heads.append(f'<th scope="col"{cs}>{e(label)}</th>')
        parts.append(f'<tr class="hd">{"".join(heads)}</tr>\n')
        for r in b.rows:
            known.add(r.key)
            tds = [_row_th(ctx, tid, r.key, r.label)]
            for col, span in zip(b.columns, spans):
                tds.append(_cell_td(ctx, tid, r.key, col.key, f' colspan="{span}"' if span > 1 else ""))
            parts.append(f"<tr>{''.join(tds)}</tr>\n")
        parts.append("</tbody>")
    parts.append("</table>")
    return _wrap(ctx, tid, title, "".join(parts), _table_notes(ctx, tid, known))


def _row3_cells(ctx: _Ctx, row: str) -> str:
    from ..templates import common

    return "".join(_cell_td(ctx, "三", row, c) for c in common().columns3)


def _table3(ctx: _Ctx, report: Report) -> str:
    from ..templates import common

    tid = "三"
    title = ctx.w["t3"]
    if tid not in report.tables:
        return _missing_table(ctx, tid, title)
    com = common()
    tpl = _template(report)
    table = report.tables[tid]
    rows3 = list(tpl.rows3)
    # A report in an unknown format may carry either form of （六）.
    if report.template not in ("2019", "2021"):
        has_leaves = any(k.startswith("三.六.") for k in table.rows)
        if "三.六" in table.rows and not has_leaves and "三.六" not in rows3:
            rows3 = [k for k in rows3 if not k.startswith("三.六.")]
            rows3.insert(rows3.index("三.七"), "三.六")
    label = lambda k: com.rows3[k].label if k in com.rows3 else k  # noqa: E731
    cols = com.columns3
    head = (
        "<thead>"
        f'<tr><td class="corner" colspan="3" rowspan="3">{e(ctx.w["corner"])}</td>'
        f'<th scope="colgroup" colspan="{len(cols)}">{e(ctx.w["applicants"])}</th></tr>'
        f'<tr><th scope="col" rowspan="2">{e(cols[0])}</th>'
        f'<th scope="colgroup" colspan="{len(cols) - 2}">{e(ctx.w["legal_persons"])}</th>'
        f'<th scope="col" rowspan="2">{e(cols[-1])}</th></tr>'
        "<tr>" + "".join(f'<th scope="col">{e(c)}</th>' for c in cols[1:-1]) + "</tr>"
        "</thead>"
    )
    # Lay out the 三 block: plain rows and groups (（三）…（六） with their items).
    known: set[str] = set(rows3)
    block: list[tuple[str, list[str]]] = []  # (group key or row key, items)
    for k in rows3:
        if not k.startswith("三."):
            continue
        parts = k.split(".")
        if len(parts) == 3:
            g = ".".join(parts[:2])
            if not block or block[-1][0] != g or not block[-1][1]:
                block.append((g, []))
            block[-1][1].append(k)
        else:
            block.append((k, []))
    subtotals = {g for g, items in block if items and g in table.rows}
    known |= subtotals
    n_block = sum((len(items) + (1 if g in subtotals else 0)) if items else 1 for g, items in block)

    body = ["<tbody>"]
    first_in_block = True
    for k in rows3:
        if k.startswith("三."):
            break
        body.append(f'<tr>{_row_th(ctx, tid, k, label(k), CS3)}{_row3_cells(ctx, k)}</tr>\n')
    for g, items in block:
        lead = ""
        if first_in_block:
            lead = f'<th scope="rowgroup" rowspan="{n_block}" class="vert">{e(ctx.w["results3"])}</th>'
            first_in_block = False
        if not items:
            body.append(f'<tr>{lead}{_row_th(ctx, tid, g, label(g), CS2)}{_row3_cells(ctx, g)}</tr>\n')
            continue
        rows_here = ([g] if g in subtotals else []) + items
        gth = f'<th scope="rowgroup" rowspan="{len(rows_here)}" class="grp">{e(label(g))}</th>'
        for i, k in enumerate(rows_here):
            text = ctx.w["subtotal"] if k == g else label(k)
            pre = (lead + gth) if i == 0 else ""
            body.append(f"<tr>{pre}{_row_th(ctx, tid, k, text)}{_row3_cells(ctx, k)}</tr>\n")
            lead = ""
    after = False
    for k in rows3:
        if k.startswith("三."):
            after = True
            continue
        if after:
            body.append(f'<tr>{_row_th(ctx, tid, k, label(k), CS3)}{_row3_cells(ctx, k)}</tr>\n')
    body.append("</tbody>")
    html = f'<table class="t t3" lang="zh-CN"><caption class="vh">{e(title)}</caption>{head}{"".join(body)}</table>'
    return _wrap(ctx, tid, title, html, _table_notes(ctx, tid, known))


def _table4(ctx: _Ctx, report: Report) -> str:
    from ..templates import common

    tid = "四"
    title = ctx.w["t4"]
    if tid not in report.tables:
        return _missing_table(ctx, tid, title)
    com = common()
    rows, cols = com.rows4, com.columns4
    n = len(cols)
    review = _row_th(ctx, tid, rows[0], ctx.w["review"], f' colspan="{n}"', scope="colgroup")
    head = (
        "<thead>"
        f"<tr>{review}"
        f'<th scope="colgroup" colspan="{n * (len(rows) - 1)}">{e(ctx.w["litigation"])}</th></tr>'
        "<tr>"
        + "".join(f'<th scope="col" rowspan="2">{e(c)}</th>' for c in cols)
        + "".join(_row_th(ctx, tid, r, r, f' colspan="{n}"', scope="colgroup") for r in rows[1:])
        + "</tr><tr>"
        + "".join(f'<th scope="col">{e(c)}</th>' for r in rows[1:] for c in cols)
        + "</tr></thead>"
    )
    body = "<tbody><tr>" + "".join(_cell_td(ctx, tid, r, c) for r in rows for c in cols) + "</tr></tbody>"
    html = f'<table class="t t4" lang="zh-CN"><caption class="vh">{e(title)}</caption>{head}{body}</table>'
    return _wrap(ctx, tid, title, html, _table_notes(ctx, tid, set(rows)))


def _quote(ctx: _Ctx, span: Span) -> str:
    doc = ctx.report.document if ctx.report else None
    if doc is None:
        return ""
    line = doc.line(span.line)
    if not line:
        return ""
    a = max(0, span.col - 1)
    b = max(a, min(len(line), span.end_col - 1))
    marked = e(line[:a]) + f'<span class="u">{e(line[a:b])}</span>' + e(line[b:])
    return (
        f'<figure class="quote"><figcaption>{e(ctx.w["quote"])} · {e(ctx.w["line"].format(n=span.line))}</figcaption>'
        f'<blockquote lang="zh-CN">{marked}</blockquote></figure>'
    )


def _describe(ctx: _Ctx, addr: Address) -> str:
    from ..templates import common

    table, row, column = addr
    parts = [ctx.w["table_short"].get(table or "", table or "")]
    if row:
        label = row
        if table == "三" and row in common().rows3:
            label = common().rows3[row].label
        elif table == "二" and ctx.template is not None:
            for b in ctx.template.blocks:
                for r in b.rows:
                    if r.key == row:
                        label = f"{ctx.w['item'].format(item=b.item)} {r.label}"
        parts.append(label)
    if column:
        parts.append(column)
    return " · ".join(p for p in parts if p)


def _finding(ctx: _Ctx, i: int) -> str:
    f = ctx.findings[i]
    w = ctx.w
    fid = ctx.finding_ids[i]
    addr = ctx.addr_of.get(i)
    cell_anchor = ctx.ids.get(addr) if addr is not None and addr in ctx.drawn else None
    related_ids = []
    rel_items = []
    for r in f.related:
        rid = None
        if r.span is not None and not r.path:
            raddr = ctx.span_addr.get((r.span.line, r.span.col))
            if raddr is not None and raddr in ctx.drawn:
                rid = ctx.ids.get(raddr)
        label = r.label or (f"{w['line'].format(n=r.span.line)}" if r.span else "")
        if r.path:
            label = f"{label} ({r.path})"
        if rid:
            related_ids.append(rid)
            rel_items.append(f'<li><a href="#{rid}">{e(label)}</a></li>')
        elif label:
            rel_items.append(f"<li>{e(label)}</li>")
    data_rel = f' data-related="{" ".join(related_ids)}"' if related_ids else ""
    out = [f'<li id="{fid}" class="finding sev-{f.severity}"{data_rel}>']
    out.append(
        f'<div class="fh"><span class="badge sev-{f.severity}"><span aria-hidden="true">{ICONS[f.severity]}</span> '
        f'{e(w[f.severity])}</span> <code class="code">{e(f.code)}</code> <span class="name">{e(f.name)}</span></div>'
    )
    out.append(f'<p class="msg">{e(f.message)}</p>')
    kv = []
    where = []
    if addr is not None and addr[0]:
        where.append(_describe(ctx, addr))
    loc = f.location
    if loc is None and f.span is not None and ctx.report is not None:
        loc = ctx.report.document.locate(f.span)
    if loc is not None:
        where.append(loc.context or w["line_col"].format(n=loc.line, c=loc.column))
    if where:
        kv.append(f"<dt>{e(w['where'])}</dt><dd>{e(' — '.join(where))}</dd>")
    if f.table and f.row and f.column or f.stated is not None or f.expected is not None:
        stated = f.stated if f.stated is not None else f"（{w['blank']}）" if ctx.lang != "en" else f"({w['blank']})"
        kv.append(f"<dt>{e(w['stated'])}</dt><dd class=\"stated\">{e(stated)}</dd>")
    if f.expected is not None:
        kv.append(f"<dt>{e(w['expected'])}</dt><dd class=\"expected\">{e(f.expected)}</dd>")
    if kv:
        out.append(f'<dl class="kv">{"".join(kv)}</dl>')
    if f.notes:
        out.append(f'<ul class="notes" aria-label="{e(w["notes"])}">' + "".join(f"<li>{e(n)}</li>" for n in f.notes) + "</ul>")
    if rel_items:
        out.append(f'<div class="rel"><span>{e(w["related"])}{w["colon"]}</span><ul>{"".join(rel_items)}</ul></div>')
    if cell_anchor is None and f.span is not None:
        out.append(_quote(ctx, f.span))
    if cell_anchor is not None:
        out.append(f'<a class="back" href="#{cell_anchor}">{e(w["to_cell"])}</a>')
    out.append("</li>")
    return "".join(out)


def _meta(w: dict, result: FileResult, lang: str) -> str:
    items = [
        (w["file"], f'<span class="path">{e(result.path)}</span>'),
        (w["template"], e(template_name(result.template, lang))),
        (w["year"], e(result.year) if result.year is not None else e(w["none"])),
        (w["agency"], e(result.agency) if result.agency else e(w["none"])),
    ]
    dl = "".join(f"<div><dt>{k}</dt><dd>{v}</dd></div>" for k, v in [(e(a), b) for a, b in items])
    return f'<dl class="meta">{dl}</dl>'


def _counts(w: dict, counts: dict[str, int]) -> str:
    cells = "".join(
        f'<li class="cnt sev-{s}"><span aria-hidden="true">{ICONS[s]}</span> {e(w[s + "s"])} <b>{counts.get(s, 0)}</b></li>'
        for s in ("error", "warning", "info")
    )
    return f'<ul class="counts">{cells}</ul>'


def _tables(ctx: _Ctx, report: Report) -> str:
    ctx.ids.clear()
    ctx.drawn.clear()
    return f'<div class="tables">{_table2(ctx, report)}{_table3(ctx, report)}{_table4(ctx, report)}</div>'


def _fallback(ctx: _Ctx) -> None:
    moved: dict[Address, list[int]] = {}
    for addr, idx in ctx.by_addr.items():
        table, row, _ = addr
        for candidate in (addr, (table, row, None), (table, None, None)):
            if candidate in ctx.drawn:
                break
        else:
            candidate = addr
        moved.setdefault(candidate, []).extend(idx)
        for i in idx:
            ctx.addr_of[i] = candidate
    ctx.by_addr = {a: sorted(i) for a, i in moved.items()}


def render_file(result: FileResult, index: int, lang: str = "zh") -> RenderedFile:
    """Render one file's section of the page."""
    w = words(lang)
    prefix = f"r{index}"
    report = result.report
    ctx = _Ctx(prefix=prefix, lang=lang, w=w, report=report, findings=list(result.findings))
    _index(ctx, result)
    head = (
        f'<section class="report" id="{prefix}" aria-labelledby="{prefix}-h">\n'
        f'<h2 id="{prefix}-h"><span class="path">{e(result.path)}</span></h2>'
    )
    out: list[str] = []
    if result.status != "checked":
        status = w["status_error"] if result.status == "error" else w["status_skipped"]
        out.append(
            f'<div class="skip" role="note"><p><b>{e(w["not_checked"])}</b>{e(w["paren"].format(status))}</p>'
            f'<p>{e(w["reason"])}{w["colon"]}{e(result.reason or w["unknown"])}</p></div>'
        )
    if report is not None and report.tables:
        ctx.template = _template(report)
        # First pass: learn which cells, rows and tables get drawn; a finding about
        # something not drawn (a row the template lacks) moves to its row or table.
        _tables(ctx, report)
        _fallback(ctx)
        out.append(_tables(ctx, report))
    if ctx.findings:
        findings = '<ol class="flist">\n' + "\n".join(_finding(ctx, i) for i in range(len(ctx.findings))) + "\n</ol>"
    else:
        findings = f'<p class="clean">✔ {e(w["no_findings"])}</p>'
    ctx.report = None  # keep the anchors, not the parsed report
    ctx.findings = []
    return RenderedFile(
        prefix, result.path, result.status, result.counts(), head, _meta(w, result, lang), "\n".join(out), findings, ctx,
        clean=not result.findings,
    )


def add_crossyear(rendered: RenderedFile, result: FileResult) -> None:
    """Add a cross-year block's findings (`FileResult.extra`) to the file's section, linked to its cells."""
    base = rendered.ctx
    ctx = _Ctx(prefix=base.prefix, lang=base.lang, w=base.w, report=None, findings=list(result.findings))
    ctx.fid_prefix = f"y{len(rendered.extra) + 1}-"
    ctx.template = base.template
    ctx.span_addr = base.span_addr
    ctx.ids = base.ids
    ctx.drawn = base.drawn
    _index(ctx, result)
    _fallback(ctx)
    rendered.extra.extend(_finding(ctx, i) for i in range(len(ctx.findings)))
    for sev, n in result.counts().items():
        rendered.counts[sev] += n
    # mark the cells these findings are about (cells that have no marks of their own yet)
    for addr, idx in ctx.by_addr.items():
        anchor = ctx.ids.get(addr) if addr in ctx.drawn else None
        if anchor is None:
            continue
        m = re.search(rf'<td id="{anchor}" class="([^"]*)"([^>]*)>(.*?)</td>', rendered.tables)
        if m is None or "hit" in m.group(1).split():
            continue
        hit_cls, badges = _marks(ctx, idx)
        lead = _lead(ctx, idx)
        f = ctx.findings[lead]
        exp = f'<span class="exp">{e(ctx.w["expected"])} {e(f.expected)}</span>' if f.expected is not None else ""
        td = (
            f'<td id="{anchor}" class="{m.group(1)} {hit_cls}"{m.group(2)}>'
            f'<a class="go" href="#{ctx.finding_ids[lead]}" title="{e(f.message)}" '
            f'aria-label="{e(ctx.w[f.severity])}: {e(f.message)}">{badges}{m.group(3)}{exp}</a></td>'
        )
        rendered.tables = rendered.tables[: m.start()] + td + rendered.tables[m.end() :]


# --------------------------------------------------------------------------- page

CSS = """
:root{--fg:#1b1b1b;--muted:#595959;--line:#b9b9b9;--bg:#fff;--head:#eef1f5;
--err:#b3261e;--err-bg:#fde7e4;--warn:#8a5300;--warn-bg:#fff1c9;--info:#0b57a4;--info-bg:#e3eefb}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;color:var(--fg);background:var(--bg);line-height:1.55;font-size:16px;
font-family:system-ui,-apple-system,"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC","WenQuanYi Micro Hei",sans-serif}
main{max-width:1200px;margin:0 auto;padding:16px}
h1{font-size:1.45rem;margin:.2em 0 .6em}
h2{font-size:1.2rem;margin:0 0 .5em;overflow-wrap:anywhere}
h3{font-size:1.05rem;margin:1.2em 0 .4em}
a{color:#0b57a4}
.vh{position:absolute!important;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.path{overflow-wrap:anywhere}
.box,.report{border:1px solid var(--line);border-radius:8px;padding:12px 14px;margin:0 0 18px;background:#fff}
.meta{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,150px),1fr));gap:6px 16px;margin:0 0 8px}
.meta div{min-width:0}.meta dt{color:var(--muted);font-size:.85rem}.meta dd{margin:0;overflow-wrap:anywhere}
.counts{display:flex;flex-wrap:wrap;gap:8px;list-style:none;padding:0;margin:8px 0}
.cnt{border-radius:6px;padding:2px 10px;border:2px solid}
.cnt.sev-error{border-style:solid;border-color:var(--err);color:var(--err);background:var(--err-bg)}
.cnt.sev-warning{border-style:dashed;border-color:var(--warn);color:var(--warn);background:var(--warn-bg)}
.cnt.sev-info{border-style:dotted;border-color:var(--info);color:var(--info);background:var(--info-bg)}
.legend{font-size:.9rem;color:var(--muted);margin:6px 0 0}
.filter{display:flex;flex-wrap:wrap;gap:12px;font-size:.95rem;margin:8px 0 0}
.toc ol{padding-left:1.4em;margin:.3em 0}.toc li{margin:.2em 0;overflow-wrap:anywhere}
.toc .n{font-size:.85rem;color:var(--muted);white-space:nowrap}
.skip{border:3px double var(--err);background:var(--err-bg);padding:8px 12px;border-radius:6px;margin:10px 0}
.skip p{margin:.2em 0;overflow-wrap:anywhere}
.note{border-left:4px solid var(--muted);padding:4px 10px;background:#f5f5f5;margin:6px 0}
.scroll{overflow-x:auto;max-width:100%;border:1px solid var(--line);border-radius:4px;-webkit-overflow-scrolling:touch}
.scroll:focus{outline:3px solid #0b57a4;outline-offset:2px}
table.t{border-collapse:collapse;min-width:100%;font-size:.9rem}
.t th,.t td{border:1px solid var(--line);padding:4px 6px;vertical-align:middle}
.t thead th,.t .hd th,.t .cap th{background:var(--head);font-weight:600;text-align:center}
.t .cap th{text-align:left}
.t tbody th{font-weight:normal;text-align:left;background:#fafafa;min-width:7em}
.t3 tbody th{min-width:9em}.t3 th.vert,.t3 th.grp{text-align:center;min-width:3.5em;max-width:7em}
.t .corner{font-size:.8rem;color:var(--muted);max-width:16em;background:var(--head)}
.t td.c{text-align:right;white-space:nowrap;min-width:4.2em;font-variant-numeric:tabular-nums}
.t td.c .ph{color:#8a8a8a;font-size:.8rem}
.t td.absent{background:repeating-linear-gradient(135deg,#f3f3f3 0 4px,#fff 4px 8px)}
.hit a.go{display:block;color:inherit;text-decoration:none}
td.hit,th.hit{position:relative}
.hit.sev-error{outline:3px solid var(--err);outline-offset:-3px;background:var(--err-bg) repeating-linear-gradient(45deg,rgba(179,38,30,.13) 0 3px,transparent 3px 8px)}
.hit.sev-warning{outline:3px dashed var(--warn);outline-offset:-3px;background:var(--warn-bg)}
.hit.sev-info{outline:3px dotted var(--info);outline-offset:-3px;background:var(--info-bg)}
h3.hit{padding:4px 8px}
.mk{font-weight:700;margin-right:4px}.mk-error{color:var(--err)}.mk-warning{color:var(--warn)}.mk-info{color:var(--info)}
.exp{display:block;font-size:.75rem;color:var(--fg);white-space:nowrap}
.hl-rel{box-shadow:inset 0 0 0 3px #6a3d9a}
:target{scroll-margin-top:20px}
td:target,th:target,h3:target{box-shadow:inset 0 0 0 4px #111}
.findings h3{margin-top:1.2em}
.flist{list-style:none;padding:0;margin:0}
.finding{border:1px solid var(--line);border-left-width:8px;border-radius:6px;padding:8px 12px;margin:0 0 10px;overflow-wrap:anywhere}
.finding.sev-error{border-left:8px solid var(--err)}
.finding.sev-warning{border-left:8px dashed var(--warn)}
.finding.sev-info{border-left:8px dotted var(--info)}
.finding:target{box-shadow:0 0 0 3px #111}
.fh{display:flex;flex-wrap:wrap;gap:6px;align-items:baseline}
.badge{font-weight:700;border-radius:4px;padding:0 6px;border:2px solid}
.badge.sev-error{color:var(--err);background:var(--err-bg);border-style:solid}
.badge.sev-warning{color:var(--warn);background:var(--warn-bg);border-style:dashed}
.badge.sev-info{color:var(--info);background:var(--info-bg);border-style:dotted}
.code{font-weight:700}.name{color:var(--muted);font-size:.9rem}
.msg{margin:.35em 0;font-size:1.02rem}
.kv{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:.3em 0}
.kv dt{color:var(--muted)}.kv dd{margin:0;min-width:0}
.kv .expected{font-weight:700}
.notes{margin:.3em 0;padding-left:1.2em;color:#333;font-size:.92rem}
.rel{font-size:.92rem}.rel ul{display:inline;padding:0;margin:0}.rel li{display:inline;margin-right:.8em}
.quote{margin:.4em 0}.quote figcaption{font-size:.85rem;color:var(--muted)}
.quote blockquote{margin:0;padding:6px 10px;background:#f6f6f6;border-left:4px solid var(--line);white-space:pre-wrap;overflow-wrap:anywhere}
.u{text-decoration:underline wavy var(--err);text-decoration-thickness:2px;text-underline-offset:3px;background:#fff3b0}
.back{display:inline-block;margin-top:4px;font-size:.92rem}
.clean{color:#1d6b2c;font-weight:600}
.extra{margin:6px 0;font-size:.9rem}
footer{color:var(--muted);font-size:.85rem;margin:24px 0 8px}
.is-hidden{display:none}
@media (max-width:600px){main{padding:10px}h1{font-size:1.2rem}.report,.box{padding:10px}.kv{grid-template-columns:1fr}.kv dd{margin-bottom:4px}
.t tbody th,.t3 tbody th{min-width:6em}.t3 th.vert{writing-mode:vertical-rl;min-width:0;letter-spacing:.15em}.t3 th.grp{min-width:2.6em}
.t .corner{font-size:.72rem}}
@media print{.scroll{overflow:visible;border:0}.filter{display:none}a{color:inherit}}
"""

JS = """
(function(){
  function relOff(){document.querySelectorAll('.hl-rel').forEach(function(n){n.classList.remove('hl-rel');});}
  function relOn(li){relOff();if(!li)return;(li.getAttribute('data-related')||'').split(' ').forEach(function(id){
    var n=id&&document.getElementById(id);if(n)n.classList.add('hl-rel');});}
  function onHash(){var id=decodeURIComponent(location.hash.slice(1));var n=id&&document.getElementById(id);
    relOn(n&&n.classList.contains('finding')?n:null);}
  window.addEventListener('hashchange',onHash);onHash();
  document.querySelectorAll('.finding[data-related]').forEach(function(li){
    li.addEventListener('mouseenter',function(){relOn(li);});li.addEventListener('mouseleave',onHash);});
  document.querySelectorAll('.filter input').forEach(function(box){box.addEventListener('change',function(){
    document.querySelectorAll('.finding.sev-'+box.value).forEach(function(li){li.classList.toggle('is-hidden',!box.checked);});});});
})();
"""


def render_page(files: list[RenderedFile], summary: Summary, options: RenderOptions, banner: str = "") -> str:
    """The whole page around the rendered files.  `banner` is trusted HTML put above the summary."""
    lang = "en" if options.lang == "en" else "zh"
    w = words(lang)
    html_lang = "en" if lang == "en" else "zh-CN"
    counts = {"error": summary.errors, "warning": summary.warnings, "info": summary.infos}
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{html_lang}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="gov-lint">',
        f"<title>{e(w['title'])}</title><style>{CSS}</style></head><body><main>",
        banner,
        f"<h1>{e(w['title'])}</h1>",
    ]
    # Summary: one file → its own meta; several → the totals.
    out.append(f'<section class="box summary" aria-labelledby="sum-h"><h2 id="sum-h">{e(w["summary"])}</h2>')
    if len(files) == 1:
        out.append(files[0].meta + _counts(w, files[0].counts))
    else:
        out.append(
            f'<dl class="meta"><div><dt>{e(w["files"])}</dt><dd>{summary.files}</dd></div>'
            f'<div><dt>{e(w["checked"])}</dt><dd>{summary.checked}</dd></div>'
            f'<div><dt>{e(w["skipped"])}</dt><dd>{summary.skipped}</dd></div></dl>'
        )
        out.append(_counts(w, counts))
    out.append(f'<p class="legend"><b>{e(w["legend"])}{w["colon"]}</b>{e(w["legend_text"])}</p>')
    boxes = "".join(
        f'<label><input type="checkbox" value="{s}" checked> <span aria-hidden="true">{ICONS[s]}</span> {e(w[s])}</label>'
        for s in ("error", "warning", "info")
    )
    out.append(f'<div class="filter" role="group" aria-label="{e(w["show"])}"><span>{e(w["show"])}{w["colon"]}</span>{boxes}</div>')
    out.append("</section>")
    if len(files) > 1:
        items = []
        for f in files:
            n = f.counts
            status = "" if f.status == "checked" else f' · {e(w["status_error"] if f.status == "error" else w["status_skipped"])}'
            items.append(
                f'<li><a href="#{f.anchor}">{e(f.path)}</a> <span class="n">'
                f'{ICONS["error"]} {n["error"]} · {ICONS["warning"]} {n["warning"]} · {ICONS["info"]} {n["info"]}{status}</span></li>'
            )
        out.append(f'<nav class="box toc" aria-labelledby="toc-h"><h2 id="toc-h">{e(w["contents"])}</h2><ol>{"".join(items)}</ol></nav>')
    out.extend(f.html(with_meta=len(files) != 1, lang=lang) for f in files)
    version = options.tool_version or ""
    out.append(f"<footer>{e(w['footer'].format(version=version).replace('  ', ' '))}</footer>")
    out.append(f"</main>\n<script>{JS}</script>\n</body></html>\n")
    return "\n".join(o for o in out if o)


class HtmlRenderer(Renderer):
    """`--format html`: the whole page is written at `finish` (it needs the table of contents)."""

    def __init__(self, out, options: RenderOptions, banner: str = "") -> None:
        super().__init__(out, options)
        self.banner = banner  # trusted HTML above the summary (the web page's navigation)
        self._files: list[RenderedFile] = []

    def file(self, result: FileResult) -> None:
        if result.extra:
            for rendered in reversed(self._files):
                if rendered.path == result.path and rendered.ctx is not None:
                    add_crossyear(rendered, result)
                    return
        self._files.append(render_file(result, len(self._files) + 1, self.options.lang))

    def finish(self, summary: Summary) -> None:
        self.out.write(render_page(self._files, summary, self.options, self.banner))


def render_html(results: Iterable[FileResult], options: RenderOptions | None = None, banner: str = "") -> str:
    """The HTML page for some results, in one call (the web page uses this)."""
    from io import StringIO

    options = options or RenderOptions()
    out = StringIO()
    renderer = HtmlRenderer(out, options, banner)
    summary = Summary()
    for r in results:
        if r.extra:
            summary.errors += sum(f.severity == "error" for f in r.findings)
            summary.warnings += sum(f.severity == "warning" for f in r.findings)
            summary.infos += sum(f.severity == "info" for f in r.findings)
        else:
            summary.add(r)
        renderer.file(r)
    renderer.finish(summary)
    return out.getvalue()
