"""The compiled relations of `rules/relations/*.toml`: table arithmetic stated once.

Every part of gov-lint that needs a sum takes it from here: the relation rules
(`rules/engine.py`), error localisation, and the parser when it decodes
run-together digits.  A relation is written once, in the relation language
(`rules/expr.lark`), and expanded per template into `Constraint`s: one linear
(in)equality over table cells per binding of its loop variables.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, cached_property
from pathlib import Path
from typing import Any, Callable

from .rules.expr import ExprError, Instance, Ref, compile_relation
from .templates import common, load_template, packs_dir
from .tomlfile import tomllib

TEMPLATE_IDS = ("2019", "2021")


@dataclass(frozen=True)
class RelationSpec:
    """One `[[relation]]` of a relation file, with where it was written."""

    code: str
    expr: str
    templates: tuple[str, ...]
    order: int
    severity: str
    basis: str
    origin: str  # relations/<file>.toml
    data: dict[str, Any]  # the whole table (messages, docs)


@dataclass(frozen=True, slots=True)
class Constraint:
    """One binding of a relation: lhs CMP rhs over cells, with the relation's code."""

    code: str
    order: int
    instance: Instance

    @property
    def refs(self) -> tuple[Ref, ...]:
        return self.instance.lhs + self.instance.rhs

    def holds(self, value: Any) -> bool | None:
        """Whether it holds for `value(ref) -> Decimal | int | None`; None when a cell is unknown."""
        inst = self.instance
        lhs = inst.lhs_const
        for ref in inst.lhs:
            v = value(ref)
            if v is None:
                return None
            lhs += ref.sign * v
        rhs = inst.rhs_const
        for ref in inst.rhs:
            v = value(ref)
            if v is None:
                return None
            rhs += ref.sign * v
        if inst.cmp == "==":
            return lhs == rhs
        return lhs >= rhs if inst.cmp == ">=" else lhs <= rhs


def relation_folder() -> Path:
    return packs_dir() / "relations"


class RelationFileError(ValueError):
    """A relation file that does not load: bad TOML, a bad expression, or a reference
    to a row, column, set or table the templates do not have.  The message names the
    file and line."""


@cache
def relation_specs(folder: str | None = None) -> tuple[RelationSpec, ...]:
    """Every relation of the relation files, in file order, each checked against the templates."""
    base = Path(folder) if folder else relation_folder()
    out: list[RelationSpec] = []
    for path in sorted(base.glob("*.toml")):
        text = path.read_text(encoding="utf-8")
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise RelationFileError(f"{path}: {exc}") from None
        searched = 0
        for n, spec in enumerate(data.get("relation", []), 1):
            line, searched = _expr_line(text, spec.get("expr", ""), searched)
            where = f"{path}:{line}"
            if "code" not in spec or "expr" not in spec:
                raise RelationFileError(f"{where}: relation #{n} needs `code` and `expr`")
            rs = RelationSpec(
                code=spec["code"],
                expr=spec["expr"],
                templates=tuple(spec.get("templates", TEMPLATE_IDS)),
                order=spec.get("order", 50),
                severity=spec.get("severity", "error"),
                basis=spec.get("basis", ""),
                origin=f"relations/{path.name}",
                data=spec,
            )
            problem = validate(rs)
            if problem:
                raise RelationFileError(f"{where}: relation {rs.code}: {problem}")
            out.append(rs)
    return tuple(out)


def _expr_line(text: str, expr: str, start: int) -> tuple[int, int]:
    """The 1-based line of the `expr = "…"` holding `expr` (searched from `start`), and where it ends."""
    at = text.find(expr, start) if expr else -1
    if at < 0:
        return text.count("\n", 0, start) + 1, start
    return text.count("\n", 0, at) + 1, at + len(expr)


def validate(spec: RelationSpec) -> str | None:
    """Why a relation does not fit the templates it names (None when it does): every
    table, set, row key and column name it refers to must exist."""
    for tid in spec.templates:
        if tid not in TEMPLATE_IDS:
            return f"unknown template {tid!r}"
        try:
            instances = tuple(compile_relation(spec.expr).instances(template_sets(tid)))
        except ExprError as exc:
            return str(exc)
        if not instances:
            return f"expands to nothing in template {tid}"
        for inst in instances:
            for ref in inst.lhs + inst.rhs:
                problem = _ref_problem(tid, ref)
                if problem:
                    return f"{problem} (template {tid})"
    return None


def _ref_problem(template_id: str, ref: Ref) -> str | None:
    cells = table_cells(template_id)
    if ref.table not in cells:
        return f"unknown table {ref.table}"
    rows = cells[ref.table]
    if ref.row not in rows:
        return f"unknown row {ref.table}[{ref.row}]"
    if ref.column not in rows[ref.row]:
        return f"unknown column {ref.table}[{ref.row}][{ref.column}]"
    return None


@cache
def table_cells(template_id: str) -> dict[str, dict[str, tuple[str, ...]]]:
    """table → row key → its column names, for one template (what a reference may name)."""
    t = load_template(template_id)
    c = common()
    three = {r: c.columns3 for r in t.rows3 + t.subtotals3}
    four = {r: c.columns4 for r in c.rows4}
    two = {r.key: tuple(col.key for col in b.columns) for b in t.blocks for r in b.rows}
    return {"二": two, "三": three, "四": four}


@cache
def template_sets(template_id: str) -> dict[str, dict[str, tuple[str, ...]]]:
    """The named sets a relation can loop over, for one template."""
    t = load_template(template_id)
    c = common()
    groups = {g: tuple(k for k in t.rows3 if k.startswith(g + ".")) for g in ("三.三", "三.四", "三.五", "三.六")}
    three = {
        "columns": c.columns3,
        "applicant_columns": c.columns3[:-1],
        "rows": t.rows3 + t.subtotals3,
        "leaves": t.leaves3,
        "subtotals": t.subtotals3,
        **{f"items({g})": rows for g, rows in groups.items()},
    }
    two: dict[str, tuple[str, ...]] = {"rows": t.rows["二"]}
    for b in t.blocks:
        two[b.item] = tuple(r.key for r in b.rows)
    two["项目"] = tuple(r.key for b in t.blocks if b.item in ("五", "六", "八") for r in b.rows)
    four = {"rows": c.rows4, "columns": c.columns4, "parts": c.columns4[:-1]}
    return {"二": two, "三": three, "四": four}


@cache
def expand(expr: str, template_id: str) -> tuple[Instance, ...]:
    """A relation expression expanded for one template (computed once per process)."""
    return tuple(compile_relation(expr).instances(template_sets(template_id)))


@cache
def constraints(template_id: str, tables: frozenset[str] | None = None) -> tuple[Constraint, ...]:
    """Every equality/inequality the template's relations impose, optionally only those
    whose cells all lie in `tables`, in run order."""
    out: list[Constraint] = []
    for spec in sorted(relation_specs(), key=lambda s: (s.order, s.code)):
        if template_id not in spec.templates:
            continue
        for inst in expand(spec.expr, template_id):
            if tables is not None and any(r.table not in tables for r in inst.lhs + inst.rhs):
                continue
            out.append(Constraint(spec.code, spec.order, inst))
    return tuple(out)


def as_decimal(v: int | Decimal | None) -> Decimal | None:
    return None if v is None else Decimal(v)


# --------------------------------------------------------------------------- compiled form


@dataclass(frozen=True, slots=True)
class Linear:
    """A constraint compiled against one table's cell vector:
    `sum(coef[k] * v[idx[k]]) + const  CMP  0`.

    `residual(values)` is lhs − rhs for the cell values (None when a cell is unknown),
    a function compiled once from the indices and coefficients (`_residual_function`).
    """

    pos: int  # its place in `constraints(template)`
    code: str
    severity: str
    cmp: str
    idx: tuple[int, ...]
    coef: tuple[int, ...]
    const: int | Decimal
    residual: Callable[[list], int | Decimal | None] = field(repr=False, compare=False, default=None)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        if self.residual is None:
            object.__setattr__(self, "residual", _residual_function(self.idx, self.coef, self.const))

    def holds_at(self, r: int | Decimal) -> bool:
        return r == 0 if self.cmp == "==" else (r >= 0 if self.cmp == ">=" else r <= 0)


def _residual_function(idx: tuple[int, ...], coef: tuple[int, ...], const: int | Decimal):
    """`const + coef[0]*v[idx[0]] + …` as one Python expression, or None when a cell is None.

    The same operations in the same order as a loop over the terms, about twice as fast
    (a report's relations are evaluated for every table).  The source is made from our
    own integer indices and coefficients, never from report text; `const` is passed in
    as a value.
    """
    if not idx:
        return lambda values: const
    return eval(f"lambda v: {_residual_source(idx, coef, 'const')}", {"const": const})  # noqa: S307 - our own data


def _residual_source(idx: tuple[int, ...], coef: tuple[int, ...], const: str) -> str:
    """The expression of `_residual_function` over `v`, with the constant named `const`
    (only integers of our own go into the source: checked here)."""
    for x in (*idx, *coef):
        if type(x) is not int:
            raise TypeError(f"relation index or coefficient {x!r} is not an integer")
    if not idx:
        return const
    unknown = " or ".join(f"v[{i}] is None" for i in idx)
    total = " + ".join(f"({k}) * v[{i}]" for i, k in zip(idx, coef))
    return f"(None if {unknown} else {const} + {total})"


def _all_residuals_function(linear: tuple[Linear, ...]) -> Callable[[list], list]:
    """Every relation's residual over one cell vector, in `linear` order, as one compiled list
    display: the same expression per relation as `Linear.residual` (same operations, same
    order, so the same values and types), without a function call per relation."""
    consts = {f"c{j}": lin.const for j, lin in enumerate(linear)}
    items = ", ".join(_residual_source(lin.idx, lin.coef, f"c{j}") for j, lin in enumerate(linear))
    return eval(f"lambda v: [{items}]", consts)  # noqa: S307 - our own data


@dataclass(frozen=True)
class CompiledTable:
    """One table of a template with every constraint over its cells, by cell index."""

    table: str
    cells: tuple[tuple[str, str], ...]  # index → (row, column)
    index: dict[tuple[str, str], int]
    linear: tuple[Linear, ...]
    by_cell: tuple[tuple[int, ...], ...]  # cell index → indices into `linear`
    by_row: tuple[tuple[str, tuple[tuple[str, int], ...]], ...] = ()  # row → its (column, cell index)s

    # worked out once per table (cached_property writes the instance's __dict__, frozen or not;
    # after the first call a read is a plain attribute lookup)
    @cached_property
    def residuals(self) -> tuple[Callable[[list], int | Decimal | None], ...]:
        """Each relation's residual function, in `linear` order."""
        return tuple(lin.residual for lin in self.linear)

    @cached_property
    def all_residuals(self) -> Callable[[list], list[int | Decimal | None]]:
        """One function giving `[lin.residual(v) for lin in linear]` (compiled once)."""
        return _all_residuals_function(self.linear)

    @cached_property
    def total_positions(self) -> tuple[int, ...]:
        """Cell indices of the 总计 column (a blank one is unknown, not 0, to the narrative rules)."""
        return tuple(i for i, (_row, column) in enumerate(self.cells) if column == "总计")

    @cached_property
    def error_positions(self) -> tuple[int, ...]:
        """Indices into `linear` of the relations of severity error."""
        return tuple(j for j, lin in enumerate(self.linear) if lin.severity == "error")


def _int_if_whole(d: Decimal) -> int | Decimal:
    return int(d) if d == d.to_integral_value() else d


@cache
def compiled(template_id: str) -> dict[str, CompiledTable]:
    """The template's constraints compiled once per process, grouped by the one table
    all their cells lie in (a constraint across tables is left to the plain engine)."""
    severity = {s.code: s.severity for s in relation_specs()}
    cells: dict[str, dict[tuple[str, str], int]] = {}
    per_table: dict[str, list[Linear]] = {}
    for pos, con in enumerate(constraints(template_id)):
        tables = {r.table for r in con.refs}
        if len(tables) != 1:
            continue
        table = tables.pop()
        index = cells.setdefault(table, {})
        coefs: dict[int, int] = {}
        inst = con.instance
        for side, refs in ((1, inst.lhs), (-1, inst.rhs)):
            for ref in refs:
                i = index.setdefault((ref.row, ref.column), len(index))
                coefs[i] = coefs.get(i, 0) + side * ref.sign
        coefs = {i: k for i, k in coefs.items() if k}
        per_table.setdefault(table, []).append(Linear(
            pos, con.code, severity.get(con.code, "error"), inst.cmp,
            tuple(coefs), tuple(coefs.values()), _int_if_whole(inst.lhs_const - inst.rhs_const),
        ))
    out: dict[str, CompiledTable] = {}
    for table, lins in per_table.items():
        index = cells[table]
        by_cell: list[list[int]] = [[] for _ in index]
        for j, lin in enumerate(lins):
            for i in lin.idx:
                by_cell[i].append(j)
        rows: dict[str, list[tuple[str, int]]] = {}
        for (row, column), i in index.items():
            rows.setdefault(row, []).append((column, i))
        out[table] = CompiledTable(table, tuple(index), dict(index), tuple(lins), tuple(tuple(b) for b in by_cell),
                                   tuple((r, tuple(cs)) for r, cs in rows.items()))
    return out
