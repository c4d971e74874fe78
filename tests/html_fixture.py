"""A hand-built 2021 report with findings, for the HTML renderer and web tests.

Built directly from the model (Document → Report → Finding → FileResult) so the
renderer's tests do not depend on the parser.  Cells carry real spans into the
document's text.
"""

from __future__ import annotations

from decimal import Decimal

from gov_lint.check import drawing_layout, source_lines
from gov_lint.model import Cell, Document, FileResult, Finding, Related, Report, Row, Span, Table

COLS3 = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
COLS4 = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]

ROWS3 = [
    ("一", "一、本年新收政府信息公开申请数量", ["10", "1", "0", "0", "0", "0", "11"]),
    ("二", "二、上年结转政府信息公开申请数量", ["1", "0", "0", "0", "0", "0", "1"]),
    ("三.一", "（一）予以公开", ["6", "1", "0", "0", "0", "0", "7"]),
    ("三.二", "（二）部分公开", ["1", "0", "0", "0", "0", "0", ""]),
    ("三.三.1", "1.属于国家秘密", ["0"] * 7),
    ("三.三.2", "2.其他法律行政法规禁止公开", ["0"] * 7),
    ("三.三.3", "3.危及“三安全一稳定”", ["0"] * 7),
    ("三.三.4", "4.保护第三方合法权益", ["0"] * 7),
    ("三.三.5", "5.属于三类内部事务信息", ["0"] * 7),
    ("三.三.6", "6.属于四类过程性信息", ["0"] * 7),
    ("三.三.7", "7.属于行政执法案卷", ["0"] * 7),
    ("三.三.8", "8.属于行政查询事项", ["0"] * 7),
    ("三.四.1", "1.本机关不掌握相关政府信息", ["2", "0", "0", "0", "0", "0", "2"]),
    ("三.四.2", "2.没有现成信息需要另行制作", ["0"] * 7),
    ("三.四.3", "3.补正后申请内容仍不明确", ["0"] * 7),
    ("三.五.1", "1.信访举报投诉类申请", ["0"] * 7),
    ("三.五.2", "2.重复申请", ["1", "0", "0", "0", "0", "0", "1"]),
    ("三.五.3", "3.要求提供公开出版物", ["0"] * 7),
    ("三.五.4", "4.无正当理由大量反复申请", ["0"] * 7),
    ("三.五.5", "5.要求行政机关确认或重新出具已获取信息", ["0"] * 7),
    ("三.六.1", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", ["0"] * 7),
    ("三.六.2", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", ["0"] * 7),
    ("三.六.3", "3.其他", ["0"] * 7),
    ("三.七", "（七）总计", ["10", "1", "0", "0", "0", "0", "12"]),
    ("四", "四、结转下年度继续办理", ["1", "0", "0", "0", "0", "0", "1"]),
]

ROWS2 = [
    ("二.一.规章", "规章", ["本年制发件数", "本年废止件数", "现行有效件数"], ["0", "0", "0"]),
    ("二.一.行政规范性文件", "行政规范性文件", ["本年制发件数", "本年废止件数", "现行有效件数"], ["3", "1", "25件"]),
    ("二.五.行政许可", "行政许可", ["本年处理决定数量"], ["156"]),
    ("二.六.行政处罚", "行政处罚", ["本年处理决定数量"], ["12"]),
    ("二.六.行政强制", "行政强制", ["本年处理决定数量"], ["0"]),
    ("二.八.行政事业性收费", "行政事业性收费", ["本年收费金额"], ["0.5"]),
]


def _cell(raw: str, span: Span) -> Cell:
    text = raw.strip()
    if not text:
        return Cell(raw, None, "blank", span)
    digits = text.rstrip("件")
    if digits != text:
        return Cell(raw, int(digits), "number", span, unit="件")
    if "." in text:
        return Cell(raw, Decimal(text), "number", span)
    return Cell(raw, int(text), "number", span)


class _Lines:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, text: str) -> int:
        self.lines.append(text)
        return len(self.lines)

    def row(self, label: str, raws: list[str]) -> tuple[int, Span, list[Span]]:
        parts = [label] + raws
        line = self.add("\t".join(parts))
        spans, col = [], 1
        for i, p in enumerate(parts):
            spans.append(Span(line, col, col + len(p)))
            col += len(p) + 1
        return line, spans[0], spans[1:]


def build_report(path: str = "示例镇2023年报告.txt") -> FileResult:
    """A 2021-format report for 2023 with an error, a blank-total error, a warning and a prose info."""
    L = _Lines()
    title_line = L.add("示例镇人民政府2023年政府信息公开工作年度报告")
    L.add("一、总体情况")
    prose_text = "2023年，本镇共收到政府信息公开申请13件，均已按时答复。"
    prose = L.add(prose_text)
    at = prose_text.index("13") + 1
    L.add("二、主动公开政府信息情况")
    t2 = Table("二")
    for key, label, cols, raws in ROWS2:
        line, lspan, spans = L.row(label, raws)
        t2.rows[key] = Row(key, label, {c: _cell(r, s) for c, r, s in zip(cols, raws, spans)}, lspan, line)
    L.add("三、收到和处理政府信息公开申请情况")
    t3 = Table("三", columns=list(COLS3))
    for key, label, raws in ROWS3:
        line, lspan, spans = L.row(label, raws)
        t3.rows[key] = Row(key, label, {c: _cell(r, s) for c, r, s in zip(COLS3, raws, spans)}, lspan, line)
    L.add("四、政府信息公开行政复议、行政诉讼情况")
    raws4 = ["0", "0", "0", "0", "0", "1", "0", "0", "0", "1", "0", "0", "0", "0", "0"]
    line, _, spans = L.row("", raws4)
    t4 = Table("四", columns=list(COLS4))
    for i, rkey in enumerate(["行政复议", "未经复议直接起诉", "复议后起诉"]):
        cells = {c: _cell(raws4[i * 5 + j], spans[i * 5 + j]) for j, c in enumerate(COLS4)}
        t4.rows[rkey] = Row(rkey, rkey, cells, None, line)
    L.add("五、存在的主要问题及改进情况")
    L.add("<script>alert('x')</script> 一些 & 不太好的 \"字符\"")

    doc = Document(path=path, text="\n".join(L.lines))
    report = Report(document=doc, template="2021", year=2023, agency="示例镇人民政府", tables={"二": t2, "三": t3, "四": t4})
    report.title = doc.line(title_line)

    c = t3.rows["三.七"].cells["总计"]
    leaves = [t3.rows[k].cells["总计"] for k in ("三.一", "三.二", "三.四.1", "三.五.2")]
    blank = t3.rows["三.二"].cells["总计"]
    findings = [
        Finding(
            code="A102",
            name="total-row-mismatch",
            severity="error",
            message="（七）总计的“总计”列与各项办理结果之和不符：填写 12，应为 11",
            span=c.span,
            table="三",
            row="三.七",
            column="总计",
            stated="12",
            expected="11",
            related=[Related(s.span, f"{lab} = {s.raw or '空白'}") for s, lab in zip(leaves, ["（一）", "（二）", "（四）1.", "（五）2."])],
            notes=["计算值 7 + 1 + 2 + 1 = 11，差额 +1", "依据：2021 格式，表三，关系 R2"],
        ),
        Finding(
            code="A104",
            name="blank-required-cell",
            severity="error",
            message="（二）部分公开的“总计”为空，按本行各申请人之和应为 1",
            span=blank.span,
            table="三",
            row="三.二",
            column="总计",
            stated=None,
            expected="1",
            notes=["计算值 1 + 0 + 0 + 0 + 0 + 0 = 1"],
        ),
        Finding(
            code="V201",
            name="unit-in-count-cell",
            severity="warning",
            message="数量单元格中写了单位“件”：25件",
            span=t2.rows["二.一.行政规范性文件"].cells["现行有效件数"].span,
            table="二",
            row="二.一.行政规范性文件",
            column="现行有效件数",
            stated="25件",
            expected="25",
        ),
        Finding(
            code="N101",
            name="narrative-count-mismatch",
            severity="info",
            message="正文说收到申请 13 件，表三“一、本年新收”总计为 11",
            span=Span(prose, at, at + 3),
            stated="13",
            expected="11",
            related=[Related(t3.rows["一"].cells["总计"].span, "表三 一、本年新收 · 总计 = 11")],
        ),
        Finding(
            code="M301",
            name="odd-characters",
            severity="info",
            message="第五部分含有 <script> 标记 & 引号 \"x\"",
            span=Span(len(L.lines), 1, 28),
        ),
    ]
    for f in findings:
        f.location = doc.locate(f.span)
        f.path = path
    return FileResult(
        path=path, status="checked", template="2021", year=2023, agency="示例镇人民政府", findings=findings,
        source=source_lines(findings, doc), tables=report.tables, layout=drawing_layout(report),
    )


def build_unreadable(path: str = "损坏的文件.pdf") -> FileResult:
    return FileResult(
        path=path,
        status="error",
        reason="PDF 文件已损坏，无法读取 <xref>",
        findings=[Finding(code="P001", name="unreadable-file", severity="error", message="无法读取文件：PDF 文件已损坏", path=path)],
    )
