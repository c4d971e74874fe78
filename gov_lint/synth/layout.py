"""The tables of a SynthReport as label + cell grids, shared by all writers.

Every writer prints the same three tables; this module decides their labels, the
order of rows, and how each value is spelled, so the writers only decide layout.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..templates import common, load_template
from .model import CellValue, SynthReport
from .prose import block_header, header_line

NOTE3 = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
APPLICANT_HEAD = "申请人情况"
LEGAL_PERSONS = "法人或其他组织"
RESULT_GROUP = "三、本年度办理结果"
GROUPS = {"三.三": "（三）不予公开", "三.四": "（四）无法提供", "三.五": "（五）不予处理", "三.六": "（六）其他处理"}


def fmt(v: CellValue, kind: str = "count", plus: bool = True) -> str:
    """A cell value as printed."""
    if v is None:
        return ""
    if isinstance(v, str):
        return v
    if isinstance(v, Decimal):
        return f"{v:.2f}"
    if kind == "signed" and v > 0 and plus:
        return f"+{v}"
    return str(v)


def restyle(label: str, report: SynthReport) -> str:
    """A section-三 label in the report's spelling (bracket width, space after "1.")."""
    if report.style.get("paren") == "half":
        label = label.replace("（", "(").replace("）", ")")
        if label.startswith("(") and ")" in label[:4]:
            i = label.index(")")
            label = label[: i + 1] + " " + label[i + 1:]
    if report.style.get("item_space") and len(label) > 2 and label[0].isdigit() and label[1] == ".":
        label = label[:2] + " " + label[2:]
    return label


@dataclass
class Row3:
    """One data row of the section-三 table.

    `group` is "三" for rows under 三、本年度办理结果, `sub` the （三）…（六） group
    key when the row is an item of one; `first_in_*` say where merged cells start.
    """

    key: str
    label: str
    group: str | None
    sub: str | None
    first_in_group: bool
    first_in_sub: bool
    span_group: int
    span_sub: int
    values: list[str]


def rows3(report: SynthReport) -> list[Row3]:
    t = load_template(report.template)
    c = common()
    keys = t.rows3
    out: list[Row3] = []
    in_result = [k for k in keys if k.startswith("三.")]
    for k in keys:
        spec = c.rows3[k]
        group = "三" if k.startswith("三.") else None
        parts = k.split(".")
        sub = ".".join(parts[:2]) if len(parts) == 3 else None
        sub_members = [x for x in keys if sub and x.startswith(sub + ".")]
        row = report.tables["三"].get(k, {})
        out.append(
            Row3(
                key=k,
                label=restyle(spec.label, report),
                group=group,
                sub=sub,
                first_in_group=bool(group) and k == in_result[0],
                first_in_sub=bool(sub) and k == sub_members[0],
                span_group=len(in_result) if group else 1,
                span_sub=len(sub_members) if sub else 1,
                values=[fmt(row.get(col)) for col in c.columns3],
            )
        )
    return out


def group_label(sub: str, report: SynthReport) -> str:
    return restyle(GROUPS[sub], report)


def values4(report: SynthReport) -> list[str]:
    c = common()
    return [fmt(report.tables["四"].get(r, {}).get(col)) for r in c.rows4 for col in c.columns4]


@dataclass
class Block2:
    item: str
    caption: str
    header: list[str]
    rows: list[tuple[str, list[str]]]  # label, printed values


def blocks2(report: SynthReport) -> list[Block2]:
    t = load_template(report.template)
    plus = bool(report.style.get("plus_sign", True))
    out = []
    for b in t.blocks:
        rows = []
        for r in b.rows:
            vals = report.tables["二"].get(r.key, {})
            rows.append((r.label, [fmt(vals.get(col.key), col.kind, plus) for col in b.columns]))
        out.append(Block2(b.item, header_line(report.template, b.item), block_header(report.template, b.item), rows))
    return out
