"""Python rules for what the relation language cannot say.

P: the file or a table could not be read (the reader's and parser's notes);
T: template and structure of the tables; A11x/A12x: blank and invalid cells.
Codes emitted elsewhere (P001 by the checker, A111 by the relation engine, P900
and P901 by the rule runner) are declared here too, so every code has docs.
"""

from __future__ import annotations

from typing import Iterable

from ..messages import Message
from ..model import (
    BlankPlaced,
    Cell,
    CellCount,
    DigitsAmbiguous,
    DigitsUnreadable,
    Duplicate,
    Finding,
    HeaderUnknown,
    LabelInferred,
    NoNumbers,
    Related,
    Report,
    Row,
    Span,
    ProseChose,
    SplitByColumns,
)
from ..templates import load_template, template_for_year
from .base import CheckContext, Rule, doc
from .engine import short_label

RULES: list[Rule] = []


def rule(code: str, name: str, severity: str, summary: str, summary_en: str, docs, emitted_by: str | None = None):
    """Declare a rule; used as a decorator for rules with a check function."""

    def register(fn=None):
        RULES.append(Rule(code=code, name=name, severity=severity, summary=summary,  # type: ignore[arg-type]
                          summary_en=summary_en, doc=docs, check=fn, emitted_by=emitted_by))
        return fn

    if emitted_by is not None:
        register()
        return None
    return register


def _table_title(table: str) -> Message:
    """The name of table 二/三/四 (“第三部分（依申请公开）表格”, “the section 三 table”)."""
    return Message(f"table.{table}")


def _anchor(report: Report, table: str) -> Span | None:
    t = report.tables.get(table)
    if t is not None and t.span is not None:
        return t.span
    section = report.section(table)
    return section.span if section else None


def _templated(report: Report) -> bool:
    return report.template in ("2019", "2021")


# --------------------------------------------------------------------------- P: reading


rule("P001", "file-unreadable", "error", "文件无法读取", "The file cannot be read", doc(
    "文件打不开、不是文本/HTML/DOCX/PDF，或编码无法识别时报告，并写明原因。",
    "读不了的文件不能假装检查通过；批量检查时要列出来，其他文件照常检查。",
    "一个 .txt 文件其实是图片，或者是损坏的 Word 文件。",
    "确认文件完整、格式正确；Word 请另存为 .docx，PDF 请确认含文字层而不是扫描图片。",
    what_en="Reported when a file cannot be opened, is not text/HTML/DOCX/PDF, or has an unknown encoding.",
    why_en="A file that cannot be read must not pass as checked; in a batch it is listed and the other files are checked as usual.",
    fix_en="Make sure the file is complete; save Word files as .docx; PDFs need a text layer.",
), emitted_by="checker")

rule("P002", "encoding-damaged", "warning", "文本中有无法解码的字节", "Some bytes could not be decoded", doc(
    "文件大部分可以解码，但有少量损坏的字节被替换为 �。",
    "损坏的字节可能落在数字上，使表格读错。",
    "GBK 文件中夹杂了几个 UTF-8 字符。",
    "用编辑器以正确的编码（UTF-8 或 GB18030）重新保存文件。",
    what_en="The file decodes, but a few broken bytes were replaced with U+FFFD.",
    why_en="Damaged bytes may fall on a number and make the tables read wrong.",
    fix_en="Re-save the file in one encoding (UTF-8 or GB18030).",
), emitted_by="reader")

rule("P003", "not-a-report", "error", "不是政府信息公开工作年度报告", "Not an annual disclosure report", doc(
    "文件中找不到年报的标题、六个部分的标题或统计表格时报告，文件被跳过。",
    "批量检查档案时，混入的通知、附件等文件应当列出，而不是被当成“没有问题”。",
    "一份会议通知被放进了年报文件夹。",
    "确认文件是年报正文；如果是年报，检查标题和“一、总体情况”等标题是否完整。",
    what_en="No report title, section headings or statistics tables were found; the file is skipped.",
    why_en="When an archive is checked, notices, attachments and other files that got mixed in should be listed, not counted as having no problems.",
    fix_en="Make sure the file is a report; check that its title and headings are intact.",
), emitted_by="checker")

rule("P004", "empty-file", "error", "文件为空", "The file is empty", doc(
    "文件没有任何文字内容。",
    "空文件通常是转换或下载失败的结果。",
    "PDF 转文本失败，留下 0 字节的 .txt。",
    "重新导出或下载该年报。",
    what_en="The file has no text.",
    why_en="An empty file is usually the result of a failed conversion or download.",
    fix_en="Export or download the report again.",
), emitted_by="checker")

# --- harden: limits and repeated text (gov_lint/budget.py, check.py)
rule("P005", "file-too-large", "error", "文件太大，没有检查", "The file is too large to check", doc(
    "文件超过了大小上限（默认 20 MB，可用 --max-file-size 或配置项 max-file-size 调整），没有读取就跳过了。",
    "一份年报通常只有几十 KB 到几 MB；特别大的文件多半不是年报，读它会占用大量内存，让整批检查停下来。",
    "档案文件夹里混进了一个 300 MB 的扫描件或数据库导出文件。",
    "确认这是年报；如果是，可以调高上限再检查，或另存为体积更小的格式（如 .docx 或文字版 PDF）。",
    what_en="The file is larger than the size limit (default 20 MB; --max-file-size or the max-file-size key) and was skipped without being read.",
    why_en="A report is tens of KB to a few MB; a huge file is rarely a report and reading it would hold a lot of memory.",
    fix_en="Make sure it is a report; raise the limit or save it in a smaller format.",
), emitted_by="reader")

rule("P006", "work-limit", "error", "文件检查超出工作量上限", "Checking the file went over its work limit", doc(
    "检查这个文件用完了时间上限（默认 20 秒计算时间，可用 --time-limit 或配置项 time-limit 调整）或步数上限，检查停止，文件没有结论。",
    "一个异常的文件（例如几兆字节连在一起的数字、层层嵌套的网页）不能让整批检查或网页服务一直卡住。",
    "一个网页文件里有一行几万位连写的数字。",
    "打开文件看看是否有大段乱码或重复内容；如果文件正常，可以调高上限再检查。",
    what_en="Checking the file used up its time limit (default 20 s of CPU time; --time-limit or the time-limit key) or its step limit; the check stopped and the file has no verdict.",
    why_en="One odd file (megabytes of run-together digits, deeply nested HTML) must not hang a batch run or the web page.",
    fix_en="Look for long stretches of garbage or repeated text in the file; if it is fine, raise the limit.",
), emitted_by="checker")

rule("P007", "report-repeated", "warning", "报告全文重复出现", "The report appears twice in the file", doc(
    "同一份报告在一个文件里出现了两遍（通常是复制粘贴了两次），只检查了第一遍。",
    "重复的内容会让每个表格、每一行都重复一次，产生一长串重复的提示，掩盖真正的问题。",
    "网页编辑器里把整份报告粘贴了两次。",
    "删除重复的那一份。",
    what_en="The same report appears twice in one file (usually pasted twice); only the first copy was checked.",
    why_en="A repeated report repeats every table and row and buries the real problems under duplicate warnings.",
    fix_en="Delete the second copy.",
), emitted_by="checker")


@rule("P101", "table-not-found", "warning", "找不到应有的统计表格", "A required table was not found", doc(
    "年报应有第二部分（主动公开）、第三部分（依申请公开）和第四部分（复议诉讼）三张统计表；找不到其中一张时报告。",
    "缺表可能是年报漏了，也可能是文件转换时表格丢失；无论哪种，相关的勾稽关系都无法检查。",
    "网页版年报的第四部分表格是一张图片，文字中只有标题。",
    "确认年报中有这张表；如果是图片或扫描件，请提供含文字表格的版本。",
    what_en="Reported when one of the three statistics tables (sections 二, 三, 四) is missing.",
    why_en="The table may be missing from the report or may have been lost in a file conversion; either way the relations that use it cannot be checked.",
    fix_en="Make sure the table is in the report as text, not an image.",
))
def table_not_found(report: Report, ctx: CheckContext) -> Iterable[Finding]:
    if not _templated(report):
        return
    for table in ("二", "三", "四"):
        t = report.tables.get(table)
        if t is not None and (t.rows or table == "二"):
            continue
        section = report.section(table)
        yield ctx.finding(
            ctx.rule_for("P101"),
            ctx.msg("P101", table=_table_title(table)),
            span=section.span if section else report.title_span,
            table=table,
        )


@rule("P102", "rows-not-found", "warning", "表格缺少应有的行", "Rows of a table are missing", doc(
    "按模板逐行核对第二、三、四部分表格，列出没有读到的行。表格被截断（只剩后半部分）时也由此报告。",
    "缺行的数字无法参与计算；gov-lint 不会把缺行当作 0，因此相关的勾稽关系不检查，而是在这里说明。",
    "第三部分表格从“（三）不予公开”开始，前面的“一、本年新收”“二、上年结转”“（一）予以公开”“（二）部分公开”都不见了。",
    "补全表格；如果原件完整，检查转换后的文本是否丢了页。",
    what_en="Lists the template rows of a table that were not read (also a table cut off in the middle).",
    why_en="Numbers of missing rows cannot be used; gov-lint does not count a missing row as 0, so the relations that use it are not checked but named here.",
    fix_en="Complete the table; if the original is complete, check the conversion.",
))
def rows_not_found(report: Report, ctx: CheckContext) -> Iterable[Finding]:
    if not _templated(report) or ctx.template is None:
        return
    for table in ("二", "三"):
        t = report.tables.get(table)
        if t is None or (table == "三" and not t.rows):
            continue
        expected = ctx.template.rows[table]
        missing = [k for k in expected if k not in t.rows]
        if not missing:
            continue
        cut = table == "三" and missing[0] == expected[0] and len(missing) < len(expected)
        yield ctx.finding(
            ctx.rule_for("P102"),
            ctx.msg("P102", table=_table_title(table), cut=ctx.msg("P102.cut") if cut else "", count=len(missing),
                    rows=[_label(table, k) for k in missing[:8]], more=ctx.msg("more") if len(missing) > 8 else ""),
            span=_anchor(report, table),
            table=table,
            row=missing[0] if len(missing) == 1 else None,
        )


def _label(table: str, key: str) -> str:
    return short_label(table, key)


@rule("P103", "cells-unreadable", "warning", "行中的数字无法对应到列", "A row's numbers cannot be placed in columns", doc(
    "一行的数字个数与模板的列数不符（例如第三部分应有 7 个数，只读到 6 个），无法确定缺的是哪一列时报告。",
    "把 6 个数硬塞进 7 列会产生虚假的勾稽错误；gov-lint 不猜，只说明哪几行没能读懂，相关关系不检查。",
    "“（一）予以公开”行只有 6 个数字，总计列空缺还是某个申请人列空缺无从判断。",
    "在原件中补全该行的所有单元格，空白处填 0。",
    what_en="A row has more or fewer numbers than the template has columns, so they cannot be placed.",
    why_en="Forcing 6 numbers into 7 columns would raise false arithmetic errors; gov-lint does not guess, it names the rows it could not read and skips their relations.",
    fix_en="Fill every cell of the row in the original (write 0 instead of leaving it empty).",
))
def cells_unreadable(report: Report, ctx: CheckContext) -> Iterable[Finding]:
    if not _templated(report):
        return
    for table in ("二", "三", "四"):
        t = report.tables.get(table)
        if t is None:
            continue
        bad = [r for r in t.rows.values()  # (most rows have no problems: no generator for them)
               if r.problems and any(isinstance(p, (CellCount, HeaderUnknown, NoNumbers)) for p in r.problems)]
        if not bad:
            continue
        width = {"三": 7, "四": 15}.get(table)
        if table == "四":
            bad = bad[:1]  # one row of 15 cells shared by the three rows
        parts = []
        for r in bad[:6]:
            count = r.issue(CellCount)
            label = _table_msg(ctx, table) if table == "四" else _label(table, r.key or "")
            if count is None:
                parts.append(label)
            elif width:
                parts.append(ctx.msg("P103.row", label=label, found=count.found))
            else:
                parts.append(ctx.msg("P103.row-width", label=label, found=count.found, width=len(r.cells)))
        first = bad[0]
        span = first.span or Span(first.line, 1, 2) if first.line else _anchor(report, table)
        related = [Related(r.span or Span(r.line, 1, 2), _label(table, r.key or "")) for r in bad[1:] if r.line]
        yield ctx.finding(
            ctx.rule_for("P103"),
            ctx.msg("P103.width" if width else "P103", table=_table_msg(ctx, table), rows=len(bad), width=width or "",
                    parts=parts, more="…" if len(bad) > 6 else ""),
            span=span,
            table=table,
            row=first.key if len(bad) == 1 and table != "四" else None,
            related=related,
        )


@rule("P104", "row-label-unrecognised", "warning", "无法识别的行标签", "A row label was not recognised", doc(
    "表格中有一行数字，但行标签与模板中任何一行都对不上。",
    "无法识别的行不参与计算；如果它本该是模板中的某一行，相关检查就缺了它的数字。",
    "“（四）无法提供”下的一行标签在转换时被截成了“行政机关不再处理其政府信息公”。",
    "使用模板中的原标签；检查文件转换是否截断了标签。",
    what_en="A row of numbers whose label matches no row of the template.",
    why_en="An unrecognised row is not used; if it should have been one of the template's rows, the checks that need it lack its numbers.",
    fix_en="Use the template's label; check that the conversion did not cut it.",
))
def label_unrecognised(report: Report, ctx: CheckContext) -> Iterable[Finding]:
    if not _templated(report):
        return
    for table in ("二", "三"):
        t = report.tables.get(table)
        if t is None:
            continue
        for r in t.unmatched:
            if r.issue(Duplicate):
                continue
            yield ctx.finding(
                ctx.rule_for("P104"),
                ctx.msg("P104" if r.label else "P104.no-label", table=_table_msg(ctx, table), label=r.label),
                span=r.span or Span(r.line, 1, 2),
                table=table,
            )


@rule("P105", "duplicate-row", "warning", "同一行出现两次", "A row appears twice", doc(
    "同一模板行在表格中出现了两次；只使用第一次出现的数字。",
    "重复的行通常是复制粘贴或转换错误，两行数字不同时无法判断哪一行对。",
    "“2.重复申请”行在表格中出现了两次。",
    "删除多余的行。",
    what_en="The same template row appears twice; the first one is used.",
    why_en="A repeated row is usually a copy-and-paste or conversion slip; when the two rows differ there is no telling which one is right.",
    fix_en="Remove the extra row.",
))
def duplicate_row(report: Report, ctx: CheckContext) -> Iterable[Finding]:
    for table, t in report.tables.items():
        for r in t.unmatched:
            if r.issue(Duplicate) and r.key:
                first = t.rows[r.key]
                yield ctx.finding(
                    ctx.rule_for("P105"),
                    ctx.msg("P105", row=_label(table, r.key)),
                    span=r.span or Span(r.line, 1, 2), table=table, row=r.key,
                    related=[Related(first.span, ctx.msg("P105.first"))] if first.span else [],
                )


@rule("P106", "row-label-inferred", "info", "按位置推断的行", "Row identified by its position", doc(
    "行标签缺失或被截断，但它位于两行已识别的行之间，且空缺的模板行数与之相符，于是按顺序确定了它是哪一行。",
    "推断的行照常参与检查；这条提示让人知道这一行的身份不是从标签读出来的。",
    "PDF 转 Markdown 时“5.要求行政机关确认或重新出具已获取信息”的标签与数字分开了。",
    "无需处理；如是自己的年报，检查该行标签是否完整。",
    what_en="A row without a usable label was identified by its place between recognised rows.",
    why_en="An inferred row is checked as usual; this note says that the row's identity was not read from its label.",
    fix_en="Nothing to do; in your own report, check the row's label.",
))
def label_inferred(report: Report, ctx: CheckContext) -> Iterable[Finding]:
    t = report.tables.get("三")
    if t is None or not _templated(report):
        return
    rows = [r for r in t.rows.values() if r.problems and r.issue(LabelInferred)]
    if rows:
        yield ctx.finding(
            ctx.rule_for("P106"),
            ctx.msg("P106", rows=[_label("三", r.key or "") for r in rows]),
            span=Span(rows[0].line, 1, 2), table="三",
            related=[Related(Span(r.line, 1, 2), _label("三", r.key or "")) for r in rows[1:]],
        )


@rule("P107", "digits-ambiguous", "warning", "连写的数字无法唯一拆分", "Run-together digits cannot be split uniquely", doc(
    "网页文本中一行的数字连在一起（如“8855698”），按模板的列数和行内合计关系有多种拆法或无法拆分时报告，并列出几种拆法。",
    "连写的数字不拆开就不能检查；拆法不唯一时 gov-lint 不猜，这一行的数字不参与计算。",
    "“行政规范性文件 8855698” 可以是 88 / 55 / 698，也可以是 8 / 855 / 698。",
    "使用带表格结构的原件（Word、PDF 或网页的 HTML），或在文本中用制表符分隔各格。",
    what_en="Digits of a row are run together and the template's columns and sums allow several splits (or none).",
    why_en="Run-together digits cannot be checked until they are split; when several splits fit, gov-lint does not guess and the row's numbers are not used.",
    fix_en="Check the original with its table structure (Word, PDF, HTML).",
))
def digits_ambiguous(report: Report, ctx: CheckContext) -> Iterable[Finding]:
    if not _templated(report):
        return
    seen: set[tuple[str, str, int | None]] = set()
    for table, t in report.tables.items():
        for r in t.rows.values():
            for p in r.problems:
                if not isinstance(p, (DigitsAmbiguous, DigitsUnreadable)) or (isinstance(p, DigitsAmbiguous) and not p.run_together):
                    continue
                # section 四 is one run of 15 cells shared by its three rows: one finding, not three
                if (table, p.raw, r.line) in seen:
                    continue
                seen.add((table, p.raw, r.line))
                whole = table == "四"
                name = _table_msg(ctx, table) if whole else _label(table, r.key or "")
                raw = _short(p.raw)
                if isinstance(p, DigitsAmbiguous):
                    options = [ctx.msg("P107.option", cells=" / ".join(c or "空" for c in cells)) for cells in p.candidates]
                    message = ctx.msg("P107", name=name, raw=raw, options=options, more="…" if p.more else "")
                else:
                    message = ctx.msg(f"P107.{p.reason}", name=name, raw=raw, digits=p.digits, limit=p.limit)
                yield ctx.finding(
                    ctx.rule_for("P107"), message,
                    span=r.span or (Span(r.line, 1, 2) if r.line else None), table=table,
                    row=None if whole else r.key,
                )


def _short(raw: str, limit: int = 40) -> str:
    """A run as shown in a message: at most `limit` characters."""
    return raw if len(raw) <= limit else raw[:limit] + "…"


def _table_msg(ctx: CheckContext, table: str):
    return ctx.msg(f"table.{table}")


@rule("P108", "digits-split-inferred", "info", "连写的数字已按合计关系拆分", "Run-together digits were split by the sums", doc(
    "网页文本中一行的数字连在一起，按模板的列数和行内合计关系（总计 = 各申请人之和；复议诉讼各组总计 = 四项之和）只有一种拆法，已按此读取。",
    "拆分用到了行内合计关系，所以这些行的行合计（A103、A104）不再是独立的检查；跨行的勾稽关系（A101、A102）照常检查。",
    "“15130000154” 只能拆成 151 / 3 / 0 / 0 / 0 / 0 / 154。",
    "无需处理；如需完整检查，请使用带表格结构的原件。",
    what_en="Run-together digits had exactly one split consistent with the template's columns and row sums; they were read that way.",
    why_en="The split used the row's own sums, so those rows' totals (A103, A104) are no longer an independent check; the relations across rows (A101, A102) are checked as usual.",
    fix_en="Nothing to do; use the original with its table structure for a complete check.",
))
def digits_inferred(report: Report, ctx: CheckContext) -> Iterable[Finding]:
    if not _templated(report):
        return
    # a row with a decoded cell has an inferred or a blank cell: both are among the odd cells
    rows = []
    last = None
    for table, odd in _odd_cells(report, ctx).items():
        for r, _col, c in odd:
            if r is not last and (c.inferred or c.kind == "blank"):
                last = r
                if _decoded_cell(r):
                    rows.append((table, r))
    if not rows:
        return
    table0, first = rows[0]
    cell0 = _decoded_cell(first)
    by_columns = sum(1 for _, r in rows if r.issue(SplitByColumns))
    # one per run that lost a cell (an unknown place is noted on each row of its run, for A110)
    placed = list({id(p): p for _, r in rows for p in r.problems if isinstance(p, BlankPlaced)}.values())
    blanks = sum(1 for p in placed if p.known)
    unplaced = len(placed) - blanks
    yield ctx.finding(
        ctx.rule_for("P108"),
        ctx.msg("P108.values" if unplaced else "P108", rows=len(rows), columns=ctx.msg("P108.columns", rows=by_columns) if by_columns else "",
                blanks=ctx.msg("P108.blanks", rows=blanks) if blanks else "",
                unplaced=ctx.msg("P108.blanks_unplaced", rows=unplaced) if unplaced else ""),
        span=cell0.span, table=table0,
        related=[Related(_decoded_cell(r).span, _label(t, r.key or "")) for t, r in rows[1:4]],
        notes=[ctx.msg("P108.prose", quotes=[ctx.msg("P108.prose.cell", cell=c, quote=q) for c, q in chosen[:4]])]
        if (chosen := list(dict.fromkeys(q for _, r in rows for p in r.problems if isinstance(p, ProseChose) for q in p.quotes)))
        else [],
    )


def _decoded_cell(row) -> Cell | None:
    """The first cell read from run-together digits, or the blank placed in a row missing a cell."""
    for c in row.cells.values():
        if c.inferred:
            return c
    if row.problems and row.issue(BlankPlaced):
        return next((c for c in row.cells.values() if c.kind == "blank"), None)
    return None


rule("P900", "rule-crashed", "error", "检查规则内部出错", "A rule crashed", doc(
    "某条规则运行时出错；错误被记录为这条发现，其他规则照常运行。",
    "规则出错不应让整个检查中断，也不应被静默吞掉。",
    "第三方规则包遇到意外的表格结构时抛出异常。",
    "请把这条发现连同文件报告给规则的作者；gov-lint 自带规则出错请提交 issue。",
    what_en="A rule raised an exception; it is recorded and the other rules still run.",
    why_en="A failing rule must neither stop the whole check nor be swallowed silently.",
    fix_en="Report it, with the file, to the rule's author.",
), emitted_by="engine")

rule("P901", "plugin-failed", "error", "规则插件加载失败", "A rule plugin failed to load", doc(
    "通过入口点 gov_lint.rules 安装的第三方规则包无法加载；该插件被跳过。",
    "插件失败时照常检查其余规则，但要让人知道少检查了什么。",
    "插件依赖的包没有安装，导入时报 ImportError。",
    "修复或卸载该插件。",
    what_en="A third-party rule pack (entry point gov_lint.rules) failed to load and was skipped.",
    why_en="The other rules still run when a plugin fails, but the reader should know what was not checked.",
    fix_en="Fix or uninstall the plugin.",
), emitted_by="engine")


rule("P902", "internal-error", "error", "gov-lint 内部出错", "gov-lint failed (internal error)", doc(
    "读取或分析文件时 gov-lint 自己的代码出错（程序缺陷），而不是文件损坏或格式不对；这个文件没有检查完。",
    "程序缺陷不能说成文件的问题，否则会让人去修改本来没有问题的年报；报告给开发者才能修好。",
    "某个 PDF 的表格让 gov-lint 的表格拼接代码出错。",
    "请把这条发现和文件（或能重现问题的一小段）报告给 gov-lint 的开发者；加 --verbose 可以看到完整的出错信息。其他文件照常检查。",
    what_en="gov-lint's own code failed while reading or parsing a file (a bug), not a damaged or malformed file; the file was not fully checked.",
    why_en="A bug must not be worded as a problem with the file, or people would change a report that is fine; reporting it gets it fixed.",
    example_en="A PDF's table makes gov-lint's table-joining code fail.",
    fix_en="Report the finding and the file (or a small part that shows the problem) to the gov-lint developers; --verbose shows the whole traceback. The other files are checked as usual.",
), emitted_by="checker")


# --------------------------------------------------------------------------- T: template


@rule("T101", "template-year-mismatch", "error", "年份与表格格式不符", "Template does not match the year", doc(
    "2019、2020 年度报告应使用 2019 试行格式（国办公开办函〔2019〕60号），2021 年度起应使用 2021 格式（国办公开办函〔2021〕30号）。表格的特征标签与年份不符时报告。",
    "用错格式的年报缺少新格式要求的统计项（如 2021 格式的“本年收费金额”），上级汇总时无法对齐。",
    "2023 年度报告第二部分仍是“本年新制作数量 / 本年新公开数量 / 对外公开总数量”和“第二十条第（九）项 政府集中采购”。",
    "按当年适用的格式重新制作表格：2021 年度起第二部分为“本年制发件数 / 本年废止件数 / 现行有效件数”等。",
    what_en="2019–2020 reports use the 2019 format; reports from 2021 on use the 2021 format. Reported when the tables' signature labels disagree with the year.",
    why_en="A report in the wrong format lacks items the current format asks for (such as the 2021 format's 本年收费金额), so it cannot be aligned when reports are aggregated.",
    fix_en="Redo the tables in the format of the report's year.",
))
def template_year(report: Report, ctx: CheckContext) -> Iterable[Finding]:
    if report.year is None or not _templated(report):
        return
    want = template_for_year(report.year)
    if want is None or want.id == report.template:
        return
    hits = report.signatures.get(report.template, [])
    if not hits:
        return
    used = load_template(report.template)
    related = [Related(report.year_span, ctx.msg("T101.year", year=report.year))] if report.year_span else []
    related += [Related(s, sig) for sig, s in hits[1:4]]
    yield ctx.finding(
        ctx.rule_for("T101"),
        ctx.msg("T101", year=report.year, want=ctx.msg(f"template.{want.id}"), basis=want.basis,
                used=ctx.msg(f"template.{used.id}"), label=hits[0][0]),
        span=hits[0][1],
        related=related,
        notes=[ctx.msg("T101.note")],
    )


@rule("T102", "mixed-template-labels", "warning", "表格混用了两种格式的标签", "Labels of both formats are mixed", doc(
    "表格中同时出现 2019 试行格式和 2021 格式特有的标签。",
    "混用格式通常是沿用旧模板只改了一部分，统计口径会因此不一致。",
    "2022 年度报告第二部分用了“本年制发件数”，第三部分“（六）其他处理”却只有一行（2019 格式）。",
    "统一按当年适用的格式制作全部表格。",
    what_en="Signature labels of both the 2019 and the 2021 format appear in the tables.",
    why_en="A mix of formats usually means an old template was only partly updated, so the statistics are not counted on one basis.",
    fix_en="Use the format of the report's year for every table.",
))
def mixed_labels(report: Report, ctx: CheckContext) -> Iterable[Finding]:
    if len(report.signatures) < 2 or not _templated(report):
        return
    other = "2019" if report.template == "2021" else "2021"
    hits = report.signatures.get(other, [])
    if not hits:
        return
    yield ctx.finding(
        ctx.rule_for("T102"),
        ctx.msg("T102", used=report.template, other=other, label=hits[0][0]),
        span=hits[0][1],
        related=[Related(s, sig) for sig, s in hits[1:4]],
    )


@rule("T103", "legacy-report", "info", "2019 年以前的年报", "Report from before 2019", doc(
    "2018 年度及以前的年报没有统一的表格格式，只做基本的读取检查，不检查勾稽关系。",
    "旧年报的统计口径与现行格式不同，套用现行关系会产生误报。",
    "2018 年度报告用“收到申请 N 件”的文字统计，没有第三部分表格。",
    "无需处理。",
    what_en="Reports for 2018 and earlier have no common table format; only reading checks are done.",
    why_en="Reports before 2019 count differently from the current formats; applying today's relations to them would raise false alarms.",
    fix_en="Nothing to do.",
))
def legacy(report: Report, ctx: CheckContext) -> Iterable[Finding]:
    if report.template == "legacy":
        yield ctx.finding(
            ctx.rule_for("T103"),
            ctx.msg("T103", year=report.year),
            span=report.year_span,
        )


@rule("T104", "year-unknown", "warning", "无法确定报告年度", "The report year is unknown", doc(
    "标题和统计期限中都找不到报告年度，只能按表格特征判断格式。",
    "年度决定应使用哪种格式，也用于跨年度比对。",
    "标题写成“政府信息公开工作年度报告”，没有年份。",
    "在标题中写明年度，如“2023 年政府信息公开工作年度报告”。",
    what_en="No report year was found in the title or the statistics period.",
    why_en="The year decides which format applies and is used to compare reports across years.",
    fix_en="Put the year in the title.",
))
def year_unknown(report: Report, ctx: CheckContext) -> Iterable[Finding]:
    if report.year is None and report.template != "legacy":
        yield ctx.finding(
            ctx.rule_for("T104"),
            ctx.msg("T104"),
            span=report.title_span,
        )


# --------------------------------------------------------------------------- A: cells


@rule("A110", "blank-cell", "warning", "应填数字的单元格为空白", "A cell that needs a number is blank", doc(
    "表格中应填数字的单元格留空。空白按 0 计算时各项关系都成立，所以只作提醒。",
    "官方表格每格都应填写；空白让读者分不清是 0 还是漏填。",
    "第三部分“（一）予以公开”行的商业企业、科研机构等列为空白。",
    "在空白处填 0。",
    what_en="A cell that should hold a number is blank; with blank = 0 every relation holds, so this is a reminder.",
    why_en="Every cell of the official table should be filled in; a blank leaves the reader unsure whether it means 0 or was forgotten.",
    fix_en="Write 0 in the blank cells.",
))
def blank_cells(report: Report, ctx: CheckContext) -> Iterable[Finding]:
    if not _templated(report):
        return
    for table in ("三", "四", "二"):
        t = report.tables.get(table)
        if t is None:
            continue
        blanks = [
            (r, col, c)
            for r, col, c in _odd_cells(report, ctx).get(table, ())
            if c.kind == "blank" and c.span is not None and c.span not in ctx.claimed and _blank_placed(r)
        ]
        if not blanks:
            continue
        r0, col0, c0 = blanks[0]
        where = [f"{_label(table, r.key or '')} / {col}" for r, col, _ in blanks[:3]]
        yield ctx.finding(
            ctx.rule_for("A110"),
            ctx.msg("A110.table", table=_table_title(table), count=len(blanks), cells=where,
                    more=ctx.msg("more") if len(blanks) > 3 else ""),
            cell=c0, table=table, row=r0.key, column=col0, expected="0",
            related=[Related(c.span, f"{_label(table, r.key or '')} / {col}") for r, col, c in blanks[1:]],
        )


def _blank_placed(row: Row) -> bool:
    """False for a row read from digits whose blank's place is not known (`BlankPlaced.known`):
    its blank cells are not named, as they may be the wrong ones (P108 says so)."""
    if not row.problems:
        return True
    got = row.issue(BlankPlaced)
    return got is None or got.known


rule("A111", "blank-cell-required", "error", "空白单元格应有数字", "A blank cell must hold a number", doc(
    "空白单元格按 0 计算时关系不成立，而改动最少的单元格、使全部关系成立的办法就是在这个空白处填入一个数（错误定位，见 A100）：报告这个空白，给出它应有的数，并列出填入后成立的各条关系。",
    "这种空白不是“0 省略不写”，而是漏填，读者会因此算出错误的合计。",
    "“一、本年新收”行的总计为空白，而六类申请人之和为 272：总计应为 272，填入后 R1、R3 全部成立。",
    "在空白处填入给出的数字（先核对原始台账）。",
    what_en="With the blank as 0 relations fail, and the smallest change that makes every relation hold is one number in this blank (error localisation, see A100): that number is given.",
    why_en="This blank is not an omitted 0 but a missing number; readers will compute wrong totals from it.",
    fix_en="Fill in the number given (after checking the records).",
), emitted_by="engine")


@rule("A120", "invalid-cell-value", "error", "单元格的值不合规", "A cell value is not valid", doc(
    "计数单元格必须是非负整数：不能为负数、小数或文字；只有 2019 格式的“本年增/减”可以带正负号，只有金额可以有小数。",
    "不合规的值无法参与计算，也说明填表时看错了格子。",
    "“2.重复申请”行的自然人列填了“无”，或者“行政许可”处理决定数量填了 -3。",
    "改为非负整数；没有就填 0。",
    what_en="Count cells must be non-negative integers; only the 2019 本年增/减 column is signed and only money has decimals.",
    why_en="An invalid value cannot be used in any sum, and suggests that the wrong cell was filled in.",
    fix_en="Write a non-negative integer; 0 when there is none.",
))
def invalid_cells(report: Report, ctx: CheckContext) -> Iterable[Finding]:
    if not _templated(report) or ctx.template is None:
        return
    odd = _odd_cells(report, ctx)
    for table in report.tables:
        for r, col, c in odd.get(table, ()):
            if _plainly_valid(c):
                continue  # valid in a column of any kind: no need to look the kind up
            kind = ctx.template.column_kind(table, r.key or "", col)
            problem = _invalid(c, kind, ctx)
            if problem:
                yield ctx.finding(
                    ctx.rule_for("A120"),
                    ctx.msg("A120", cell=f"{_label(table, r.key or '')} / {col}", raw=c.raw, problem=problem),
                    cell=c, table=table, row=r.key, column=col,
                )


# (report, context, cells): the last report's odd cells, one tuple replaced whole (a thread of the web
# server checking another report never reads a half-updated memo)
_ODD: tuple = (None, None, None)


def _odd_cells(report: Report, ctx: CheckContext) -> dict[str, list[tuple[Row, str, Cell]]]:
    """Per table, the (row, column, cell) of every cell of its rows that is not a plain count
    (an unsigned whole number ≥ 0 without a unit) or was inferred by the parser, in row and
    column order; worked out once per check of a report (the same report and context).
    A110, A120 and A121 only ever report such cells, P108 only rows with such cells, and
    most cells are plain."""
    global _ODD
    memo = _ODD
    if memo[0] is report and memo[1] is ctx:
        return memo[2]
    out: dict[str, list[tuple[Row, str, Cell]]] = {}
    for table, t in report.tables.items():
        odd = out[table] = []
        for r in t.rows.values():
            for col, c in r.cells.items():
                if c.kind != "number" or c.unit or c.signed or type(c.value) is not int or c.value < 0 or c.inferred:
                    odd.append((r, col, c))
    _ODD = (report, ctx, out)
    return out


def _plainly_valid(c: Cell) -> bool:
    """No value, or an unsigned whole number ≥ 0: `_invalid` finds nothing whatever the column's kind."""
    if c.kind != "number":
        return c.kind != "text"
    v = c.value
    return type(v) is int and v >= 0 and not c.signed


def _invalid(c: Cell, kind: str, ctx: CheckContext) -> Message | None:
    """What is wrong with a cell's value (a message of the A120.* family), or None."""
    if c.kind == "text":
        return ctx.msg("A120.text")
    if c.kind != "number":
        return None
    if kind == "money":
        return ctx.msg("A120.negative-money") if c.value is not None and c.value < 0 else None
    if not isinstance(c.value, int):
        return ctx.msg("A120.decimal")
    if kind == "signed":
        return None
    if c.value < 0:
        return ctx.msg("A120.negative")
    if c.signed:
        return ctx.msg("A120.signed")
    return None


@rule("A121", "unit-in-cell", "warning", "计数单元格中写了单位", "A count cell contains a unit", doc(
    "计数单元格写成“9个”“3件”这样带单位的形式。数字照常读取，但应只写数字。",
    "表头已规定单位；单元格里的单位会妨碍汇总和机器读取。",
    "第二十条第（九）项“采购项目数量”写成“9个”。",
    "只保留数字，如“9”。",
    what_en="A count cell is written with a unit, such as 9个; the number is read, but only the number belongs there.",
    why_en="The header already gives the unit; a unit inside the cell gets in the way of aggregation and machine reading.",
    fix_en="Keep only the number.",
))
def unit_in_cell(report: Report, ctx: CheckContext) -> Iterable[Finding]:
    if not _templated(report) or ctx.template is None:
        return
    odd = _odd_cells(report, ctx)
    for table in report.tables:
        for r, col, c in odd.get(table, ()):
            if c.kind == "number" and c.unit and ctx.template.column_kind(table, r.key or "", col) != "money":
                yield ctx.finding(
                    ctx.rule_for("A121"),
                    ctx.msg("A121", cell=f"{_label(table, r.key or '')} / {col}", raw=c.raw, unit=c.unit),
                    cell=c, table=table, row=r.key, column=col, expected=str(c.value),
                )


@rule("A122", "fee-unit-suspicious", "warning", "收费金额的单位可疑", "The fee amount's unit looks wrong", doc(
    "2021 格式第二十条第（八）项“本年收费金额”的单位是万元。金额写成“元”，或数值大到像是按元填写（≥ 10 万万元，即 10 亿元）时提醒。[INFERRED，仅警告]",
    "把元当万元填，金额会被放大一万倍，并被上级汇总引用。",
    "行政事业性收费填 “35000”，实际是 3.5 万元。",
    "换算成万元填写，例如 35000 元填 3.5。",
    what_en="The 2021 fee amount is in 万元 (10,000 yuan); a cell in 元, or a value of 100,000 万元 or more, is suspicious.",
    why_en="Yuan entered as 万元 inflate the amount ten-thousand-fold, and the figure gets quoted in higher-level summaries.",
    fix_en="Convert to 万元.",
))
def fee_unit(report: Report, ctx: CheckContext) -> Iterable[Finding]:
    if report.template != "2021":
        return
    c = report.cell("二", "二.八.行政事业性收费", "本年收费金额")
    if c is None or c.kind != "number" or c.value is None:
        return
    if c.unit == "元" or c.value >= 100000:
        yield ctx.finding(
            ctx.rule_for("A122"),
            ctx.msg("A122", raw=c.raw),
            cell=c, table="二", row="二.八.行政事业性收费", column="本年收费金额",
        )
