"""Declarative relations: rules/relations/*.toml → Rules that check a Report.

Each relation instance is evaluated with Decimal arithmetic over the report's
cells.  Cells that were not read (unread, text, missing rows) make the instance
undecidable: it is skipped, because a P or A12x finding already says why.  Blank
cells count as 0.  The shipped relations are evaluated once per report on the
compiled tables (`relations.compiled`, by cell index); error localisation
(`localise.py`) then explains what it can as one finding per wrong cell (A100, or
A111 at a blank), and a relation rule reports only the failures left unexplained.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from decimal import Decimal
from pathlib import Path
from typing import Iterable

from ..messages import Message, format_number, register
from ..model import Cell, Finding, Related, Report
from ..relations import compiled, constraints, expand, relation_specs
from ..templates import Template, common
from .base import CheckContext, Rule, RuleDoc
from .expr import ExprError, Instance, Ref, compile_relation
from .localise import decoded_notes, failing_positions

def row_label(table: str, row: str) -> str:
    """The printed label of a row key (section-三 rows from the template data)."""
    if table == "三":
        spec = common().rows3.get(row)
        return spec.label if spec else row
    if table == "二":
        return row.split(".")[-1]
    return row


_fmt = format_number  # the one number formatter (messages.py)


def _expr_text(refs: tuple[Ref, ...], const: Decimal) -> "Message | str":
    """A short human form of one side: labels joined with + and −."""
    if len(refs) > 6:
        return Message("relation.sum-of-items")
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
        # the relation's message joins the catalogue under its code (relations from other folders too)
        register(spec["code"], spec["message"], spec.get("message_en"))
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
            origin=origin,
            basis=spec.get("basis", ""),
            order=spec.get("order", 50),
        )

    def instances(self, template_id: str) -> tuple[Instance, ...]:
        """The relation expanded for one template (computed once per process)."""
        return expand(self.spec["expr"], template_id)

    def check(self, report: Report, ctx: CheckContext) -> Iterable[Finding]:
        """Every instance that fails and that no localisation finding (A100/A109/A111) explains."""
        if report.template not in self.templates or ctx.template is None:
            return
        positions = _positions(report.template, self.rule.code, self.spec["expr"])
        if positions is None:  # a relation of another folder: evaluated here, not compiled
            yield from self._check_instances(report, ctx, self.instances(report.template))
            return
        failing = failing_positions(report, ctx)
        table_of = _compiled_positions(report.template)
        if not failing and table_of.issuperset(positions):
            return  # every instance was evaluated on the compiled tables, and none fails unexplained
        every = constraints(report.template)
        for pos in positions:
            if pos in table_of and pos not in failing:
                continue
            yield from self._check_instances(report, ctx, (every[pos].instance,))

    def _check_instances(self, report: Report, ctx: CheckContext, instances: Iterable[Instance]) -> Iterable[Finding]:
        for inst in instances:
            cells = self._cells(report, inst)
            if cells is None:
                continue
            lhs, rhs = self._sides(cells, inst)
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
    def _sides(cells: list[tuple[Ref, Cell]], inst: Instance) -> tuple[Decimal, Decimal]:
        n = len(inst.lhs)
        lhs = sum((ref.sign * _num(cell) for ref, cell in cells[:n]), inst.lhs_const)
        rhs = sum((ref.sign * _num(cell) for ref, cell in cells[n:]), inst.rhs_const)
        return lhs, rhs

    def _mismatch(self, cells, inst: Instance, lhs: Decimal, rhs: Decimal, report: Report, ctx: CheckContext) -> Finding:
        primary_ref, primary = cells[0] if inst.lhs else cells[len(inst.lhs)]
        expected = None
        if inst.cmp == "==" and inst.lhs:
            expected = _fmt(_num(primary) + primary_ref.sign * (rhs - lhs))
        this_text = _expr_text(inst.lhs, inst.lhs_const)
        other_text = _expr_text(inst.rhs, inst.rhs_const)
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
        message = ctx.msg(self.rule.code, **fields)
        diff = _fmt(lhs - rhs)
        diff = diff if diff.startswith("-") else "+" + diff
        notes = [
            ctx.msg("relation.computed", other=other_text, other_value=_fmt(rhs), this=this_text,
                    this_value=_fmt(lhs), diff=diff),
            *decoded_notes(report, ctx, primary_ref.table, (cell for _, cell in cells)),
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

    def _basis(self, report: Report, table: str, ctx: CheckContext) -> Message:
        t: Template | None = ctx.template
        return ctx.msg("relation.basis", name=f"{t.name}（{t.basis}）" if t else report.template,
                       template=report.template, law=t.basis if t else "", table=table,
                       basis=self.rule.basis, code=self.rule.code)


def _num(cell: Cell) -> Decimal:
    """A cell's value for arithmetic: blank and dash = 0."""
    return Decimal(cell.number() or 0)


@cache
def _positions(template_id: str, code: str, expr: str) -> tuple[int, ...] | None:
    """Where this relation's instances stand in `constraints(template)`; None when the
    relation is not the one of the shipped relation files (another folder's)."""
    shipped = {s.code: s.expr for s in relation_specs()}
    if shipped.get(code) != expr:
        return None
    return tuple(pos for pos, con in enumerate(constraints(template_id)) if con.code == code)


@cache
def _compiled_positions(template_id: str) -> frozenset[int]:
    """The constraints evaluated on the compiled tables (all but cross-table ones)."""
    return frozenset(lin.pos for ct in compiled(template_id).values() for lin in ct.linear)


def _holds(lhs: Decimal, cmp: str, rhs: Decimal) -> bool:
    if cmp == "==":
        return lhs == rhs
    if cmp == ">=":
        return lhs >= rhs
    return lhs <= rhs


def load_relations(folder: Path | None = None) -> list[Rule]:
    """Every relation of rules/relations/*.toml as a Rule (gov_lint.relations loads them)."""
    specs = relation_specs(str(folder)) if folder else relation_specs()  # the call the rest makes: cached once
    return [RelationRule(spec.data, spec.origin).rule for spec in specs]
