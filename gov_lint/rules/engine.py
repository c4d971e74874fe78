"""Declarative relations: rules/relations/*.toml → Rules that check a Report.

Each relation instance is evaluated with Decimal arithmetic over the report's
cells.  Cells that were not read (unread, text, missing rows) make the instance
undecidable: it is skipped, because a P or A12x finding already says why.  Blank
cells count as 0; when a failing instance has exactly one blank cell and filling
it would make the relation hold, the finding is A111 at that blank cell with the
number it should hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Iterable

from ..model import Cell, Finding, Related, Report
from ..relations import expand, relation_specs
from ..templates import Template, common
from .base import CheckContext, Rule, RuleDoc
from .expr import ExprError, Instance, Ref, compile_relation

BLANK_REQUIRED = "A111"


@dataclass(frozen=True)
class Claim:
    """A blank cell a relation needs a number in: the number, the relation, the instance."""

    value: Decimal
    code: str
    binding: tuple[tuple[str, str], ...]


def row_label(table: str, row: str) -> str:
    """The printed label of a row key (section-三 rows from the template data)."""
    if table == "三":
        spec = common().rows3.get(row)
        return spec.label if spec else row
    if table == "二":
        return row.split(".")[-1]
    return row


def _fmt(value: Decimal) -> str:
    return format(value.normalize(), "f") if value != value.to_integral() else str(int(value))


def _expr_text(refs: tuple[Ref, ...], const: Decimal, lang: str) -> str:
    """A short human form of one side: labels joined with + and −."""
    if len(refs) > 6:
        return "各分项之和" if lang != "en" else "sum of the items"
    rows = {r.row for r in refs}
    parts = []
    for r in refs:
        name = r.column if len(rows) == 1 and len(refs) > 1 else short_label(r.table, r.row)
        parts.append(("+ " if r.sign > 0 else "− ") + name)
    if const:
        parts.append(("+ " if const > 0 else "− ") + _fmt(abs(const)))
    text = " ".join(parts)
    return text[2:] if text.startswith("+ ") else text


def short_label(table: str, row: str) -> str:
    """The label used in messages: the template's short form where it has one."""
    if table == "三":
        spec = common().rows3.get(row)
        if spec is not None and spec.short:
            return spec.short
    return row_label(table, row)


class RelationRule:
    """Builds the check function of one relation."""

    def __init__(self, spec: dict, origin: str) -> None:
        self.spec = spec
        self.relation = compile_relation(spec["expr"])
        self.templates = tuple(spec.get("templates", ("2019", "2021")))
        self.rule = Rule(
            code=spec["code"],
            name=spec["name"],
            severity=spec.get("severity", "error"),
            summary=spec["summary"],
            summary_en=spec.get("summary_en", ""),
            doc=RuleDoc(
                spec["what"], spec["why"], spec["example"], spec["fix"],
                spec.get("what_en", ""), spec.get("why_en", ""), spec.get("fix_en", ""), spec.get("example_en", ""),
            ),
            check=self.check,
            prepare=self.prepare,
            origin=origin,
            basis=spec.get("basis", ""),
            order=spec.get("order", 50),
        )

    def instances(self, template_id: str) -> tuple[Instance, ...]:
        """The relation expanded for one template (computed once per process)."""
        return expand(self.spec["expr"], template_id)

    def prepare(self, report: Report, ctx: CheckContext) -> None:
        """First pass: claim the blank cells this relation needs a number in.

        A failing instance with exactly one blank (not yet claimed) that one positive
        whole number would fix claims that cell with that number.  Relations run in
        `order`, row sums first, so a blank is explained by the most local relation;
        the checker repeats the pass until no new claim appears, so two blanks in one
        row can each be claimed by their column.
        """
        if report.template not in self.templates or ctx.template is None:
            return
        for inst in self.instances(report.template):
            cells = self._cells(report, inst)
            if cells is None or inst.cmp != "==":
                continue
            lhs, rhs = self._sides(cells, inst, ctx)
            if lhs == rhs:
                continue
            open_blanks = [(i, ref, cell) for i, (ref, cell) in enumerate(cells)
                           if cell.kind == "blank" and cell.span is not None and cell.span not in ctx.claimed]
            if len(open_blanks) != 1:
                continue
            i, ref, cell = open_blanks[0]
            value = (rhs - lhs if i < len(inst.lhs) else lhs - rhs) / ref.sign
            if value > 0 and value == value.to_integral():
                ctx.claimed[cell.span] = Claim(value, self.rule.code, inst.binding)

    def check(self, report: Report, ctx: CheckContext) -> Iterable[Finding]:
        """Second pass: report each claimed blank once (A111), then every instance that still fails."""
        if report.template not in self.templates or ctx.template is None:
            return
        for inst in self.instances(report.template):
            cells = self._cells(report, inst)
            if cells is None:
                continue
            lhs, rhs = self._sides(cells, inst, ctx)
            for ref, cell in cells:
                claim = ctx.claimed.get(cell.span) if cell.kind == "blank" else None
                if claim is not None and claim.code == self.rule.code and claim.binding == inst.binding:
                    yield self._blank_required(cells, ref, cell, claim.value, report, ctx)
            if _holds(lhs, inst.cmp, rhs):
                continue
            if not cells:  # a relation of constants only ("0 == 1"): nothing to point at
                raise ExprError(f"relation {self.rule.code} refers to no cell and fails: {self.spec['expr']!r}")
            yield self._mismatch(cells, inst, lhs, rhs, report, ctx)

    @staticmethod
    def _cells(report: Report, inst: Instance) -> list[tuple[Ref, Cell]] | None:
        """The instance's cells, or None when one was not read (the P rules say why)."""
        cells: list[tuple[Ref, Cell]] = []
        for ref in inst.lhs + inst.rhs:
            cell = report.cell(ref.table, ref.row, ref.column)
            if cell is None or not cell.known:
                return None
            cells.append((ref, cell))
        return cells

    @staticmethod
    def _sides(cells: list[tuple[Ref, Cell]], inst: Instance, ctx: CheckContext) -> tuple[Decimal, Decimal]:
        n = len(inst.lhs)
        lhs = sum((ref.sign * _num(cell, ctx) for ref, cell in cells[:n]), inst.lhs_const)
        rhs = sum((ref.sign * _num(cell, ctx) for ref, cell in cells[n:]), inst.rhs_const)
        return lhs, rhs

    def _mismatch(self, cells, inst: Instance, lhs: Decimal, rhs: Decimal, report: Report, ctx: CheckContext) -> Finding:
        primary_ref, primary = cells[0] if inst.lhs else cells[len(inst.lhs)]
        expected = None
        if inst.cmp == "==" and inst.lhs:
            expected = _fmt(_num(primary, ctx) + primary_ref.sign * (rhs - lhs))
        this_text = _expr_text(inst.lhs, inst.lhs_const, ctx.lang)
        other_text = _expr_text(inst.rhs, inst.rhs_const, ctx.lang)
        fields = {
            "column": primary_ref.column,
            "row": primary_ref.row,
            "row_label": short_label(primary_ref.table, primary_ref.row),
            "stated": primary.raw or "（空白）",
            "expected": expected,
            "this": _fmt(lhs),
            "other": _fmt(rhs),
            "diff": f"{lhs - rhs:+}",
        }
        message = ctx.t(self.spec["message"], self.spec.get("message_en", self.spec["message"])).format(**fields)
        diff = _fmt(lhs - rhs)
        diff = diff if diff.startswith("-") else "+" + diff
        notes = [
            ctx.t(
                f"计算值：{other_text} = {_fmt(rhs)}；{this_text} = {_fmt(lhs)}，差额 {diff}",
                f"computed: {other_text} = {_fmt(rhs)}; {this_text} = {_fmt(lhs)}, difference {diff}",
            ),
            self._basis(report, primary_ref.table, ctx),
        ]
        related = [
            Related(cell.span, short_label(ref.table, ref.row) + (f" / {ref.column}" if ref.column else ""))
            for ref, cell in cells[1:]
            if cell.span is not None
        ]
        return ctx.finding(
            self.rule, message, cell=primary, table=primary_ref.table, row=primary_ref.row,
            column=primary_ref.column, expected=expected, related=related, notes=notes,
        )

    def _blank_required(self, cells, ref: Ref, cell: Cell, value: Decimal, report: Report, ctx: CheckContext) -> Finding:
        """A111 at a blank cell this relation needs `value` in."""
        where = f"{short_label(ref.table, ref.row)} / {ref.column}"
        message = ctx.t(
            f"{where} 为空白，但按{self.rule.summary}，这里应为 {_fmt(value)}",
            f"{where} is blank, but {self.rule.code} ({self.rule.summary_en or self.rule.name}) needs {_fmt(value)} there",
        )
        notes = [
            ctx.t(f"空白按 0 计时 {self.rule.code} 两边相差 {_fmt(value)}，填入 {_fmt(value)} 后成立",
                  f"with the blank as 0, {self.rule.code} is off by {_fmt(value)}; {_fmt(value)} in the blank makes it hold"),
            self._basis(report, ref.table, ctx),
        ]
        related = [Related(c.span, short_label(r.table, r.row) + f" / {r.column}") for r, c in cells if c is not cell and c.span]
        return ctx.finding(
            ctx.rule_for(BLANK_REQUIRED), message, cell=cell, table=ref.table, row=ref.row, column=ref.column,
            expected=_fmt(value), related=related, notes=notes,
        )

    def _basis(self, report: Report, table: str, ctx: CheckContext) -> str:
        t: Template | None = ctx.template
        name = f"{t.name}（{t.basis}）" if t else report.template
        return ctx.t(
            f"依据：{name}，第{table}部分表格，关系 {self.rule.basis} {self.rule.code}",
            f"basis: template {report.template} ({t.basis if t else ''}), table {table}, relation {self.rule.basis} {self.rule.code}",
        )


def _num(cell: Cell, ctx: CheckContext) -> Decimal:
    """A cell's value for arithmetic: blank = 0, unless a relation claimed the number it needs (A111)."""
    if cell.kind == "blank" and cell.span is not None:
        claim = ctx.claimed.get(cell.span)
        if claim is not None:
            return claim.value
    return Decimal(cell.number() or 0)


def _holds(lhs: Decimal, cmp: str, rhs: Decimal) -> bool:
    if cmp == "==":
        return lhs == rhs
    if cmp == ">=":
        return lhs >= rhs
    return lhs <= rhs


def load_relations(folder: Path | None = None) -> list[Rule]:
    """Every relation of rules/relations/*.toml as a Rule (gov_lint.relations loads them)."""
    return [RelationRule(spec.data, spec.origin).rule for spec in relation_specs(str(folder) if folder else None)]
