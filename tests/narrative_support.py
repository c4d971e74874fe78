"""Build a synthetic report (text + Report) for the narrative/metadata/structure rule cases.

The text is laid out like the seeds (tab-separated tables); the Report is built
directly from the same layout, so every cell's span is known exactly and the rule
cases test the rules, not the parser.  `parse_with_real_parser` re-parses the same
text with gov-lint's own parser when it is available.
"""

from __future__ import annotations

from decimal import Decimal

from gov_lint.model import Cell, Document, LabelInferred, Report, Row, Section, Span, Table
from gov_lint.templates import common, load_template

SECTION_TITLES = {
    "一": "一、总体情况",
    "二": "二、主动公开政府信息情况",
    "三": "三、收到和处理政府信息公开申请情况",
    "四": "四、政府信息公开行政复议、行政诉讼情况",
    "五": "五、存在的主要问题及改进情况",
    "六": "六、其他需要报告的事项",
}
DEFAULT_BODIES = {
    "一": "本年度，本单位认真落实政府信息公开各项要求。",
    "五": "本年度工作中存在的主要问题是公开内容不够细。下一步将加强培训，改进公开质量。",
    "六": "本年度未收取信息处理费。认真落实上级年度政务公开工作要点。人大代表建议和政协提案办理结果均已公开。本年度政务公开工作创新情况见第一部分。",
}


def _value(v) -> tuple[str, object, str]:
    """raw text, value, kind for a cell override."""
    if v is None or v == "":
        return "", None, "blank"
    if isinstance(v, str):
        try:
            d = Decimal(v)
        except Exception:  # noqa: BLE001
            return v, None, "text"
        return v, (int(d) if d == d.to_integral_value() and "." not in v else d), "number"
    if isinstance(v, float):
        return str(v), Decimal(str(v)), "number"
    return str(v), v, "number"


def build(case: dict) -> Report:
    tpl_id = str(case.get("template", "2021"))
    year = int(case.get("year", 2023))
    tpl = load_template(tpl_id)
    com = common()
    cells_over: dict[str, object] = {k: v for k, v in case.get("cells", {}).items()}
    if not case.get("totals_only"):
        _fill_natural_persons(cells_over)
    lines: list[str] = []
    for h in case.get("header", []):  # a saved web page's meta header
        lines.append(h)
    title = case.get("title", f"某某县某某镇人民政府{year}年政府信息公开工作年度报告")
    lines.append(title)
    title_line = len(lines)
    lines.append("")
    for p in case.get("preamble", [f"本报告所列数据统计期限为{year}年1月1日至{year}年12月31日。"]):
        lines.append(p)
    lines.append("")

    sections: list[Section] = []
    tables: dict[str, Table] = {}
    order = case.get("order", list(SECTION_TITLES))
    titles = dict(SECTION_TITLES)
    titles.update(case.get("titles", {}))
    bodies = dict(DEFAULT_BODIES)
    bodies.update(case.get("sections", {}))
    for num in order:
        heading = titles[num]
        lines.append(heading)
        hline = len(lines)
        start = hline + 1
        body = bodies.get(num, "")
        if body:
            lines.extend(body.split("\n"))
        if num == "二" and not case.get("no_tables"):
            tables["二"] = _table2(tpl, lines, cells_over)
        if num == "三" and not case.get("no_tables"):
            tables["三"] = _table3(tpl, com, lines, cells_over)
        if num == "四" and not case.get("no_tables"):
            tables["四"] = _table4(com, lines, cells_over)
        lines.append("")
        # like the parser: the span covers the title after "五、"
        col = heading.index("、") + 1
        sections.append(Section(num, heading[col:].strip(), Span(hline, col + 1, len(heading) + 1), start, len(lines)))
    for c in case.get("closing", []):
        lines.append(c)
    # end_line of each section: up to the line before the next heading
    for i, s in enumerate(sections):
        s.end_line = (sections[i + 1].span.line - 1) if i + 1 < len(sections) else len(lines)
    text = "\n".join(lines) + "\n"
    doc = Document(path=case.get("name", "case.txt"), text=text, meta=dict(case.get("meta", {})))
    t = title.strip()
    ystr = str(year)
    ycol = t.find(ystr)
    for key in case.get("positional", []):  # rows the parser placed by position (P106)
        table, row = key.split("/", 1)
        tables[table].rows[row].problems.append(LabelInferred())
    report = Report(
        document=doc,
        template=tpl_id,
        year=year,
        year_span=Span(title_line, ycol + 1, ycol + 1 + len(ystr)) if ycol >= 0 else None,
        agency=case.get("agency", _agency_from_title(t)),
        title=t,
        title_span=Span(title_line, 1, len(t) + 1),
        sections=sections,
        tables=tables,
    )
    return report


def _agency_from_title(t: str) -> str | None:
    for i, ch in enumerate(t):
        if ch.isdigit():
            return t[:i] or None
    return None


def _row(lines: list[str], label: str, key: str, columns: list[str], table: str, over: dict) -> Row:
    parts = [label]
    cells: dict[str, Cell] = {}
    col = len(label) + 1  # 0-based column where the next cell starts, after the tab
    spans = []
    for c in columns:
        raw, value, kind = _value(over.get(f"{table}/{key}/{c}", 0))
        parts.append(raw)
        spans.append((c, raw, value, kind, col))
        col += len(raw) + 1
    lines.append("\t".join(parts))
    ln = len(lines)
    for c, raw, value, kind, start in spans:
        cells[c] = Cell(raw, value, kind, Span(ln, start + 1, start + 1 + max(len(raw), 0)))
    return Row(key, label, cells, Span(ln, 1, len(label) + 1), ln)


def _table2(tpl, lines, over) -> Table:
    t = Table("二")
    for b in tpl.blocks:
        lines.append(f"第二十条第（{b.item}）项\t\t\t")
        cols = [c.key for c in b.columns]
        lines.append("\t".join(["信息内容"] + cols))
        for r in b.rows:
            row = _row(lines, r.label, r.key, cols, "二", over)
            t.rows[r.key] = row
        for c in cols:
            if c not in t.columns:
                t.columns.append(c)
    return t


def _fill_natural_persons(over: dict[str, object]) -> None:
    """A section-三 row given only by its 总计 gets the same number under 自然人, so the
    row keeps its sum (the narrative rules compare prose only with tables that hold)."""
    for key, v in list(over.items()):
        table, row, column = key.split("/", 2)
        if table != "三" or column != "总计" or not isinstance(v, (int, float)):
            continue
        if not any(k.startswith(f"三/{row}/") and k != key for k in over):
            over[f"三/{row}/自然人"] = v


def _table3(tpl, com, lines, over) -> Table:
    t = Table("三", columns=list(com.columns3))
    lines.append("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t申请人情况")
    lines.append("\t自然人\t法人或其他组织\t\t\t\t\t总计")
    lines.append("\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t")
    for key in tpl.rows3:
        label = com.rows3[key].label
        t.rows[key] = _row(lines, label, key, list(com.columns3), "三", over)
    return t


def _table4(com, lines, over) -> Table:
    t = Table("四", columns=list(com.columns4))
    lines.append("行政复议\t\t\t\t\t行政诉讼")
    lines.append("结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t\t\t\t\t复议后起诉")
    parts = []
    spans = []
    col = 0
    for r in com.rows4:
        for c in com.columns4:
            raw, value, kind = _value(over.get(f"四/{r}/{c}", 0))
            spans.append((r, c, raw, value, kind, col))
            parts.append(raw)
            col += len(raw) + 1
    lines.append("\t".join(parts))
    ln = len(lines)
    for r in com.rows4:
        t.rows[r] = Row(r, r, {}, None, ln)
    for r, c, raw, value, kind, start in spans:
        t.rows[r].cells[c] = Cell(raw, value, kind, Span(ln, start + 1, start + 1 + len(raw)))
    return t
