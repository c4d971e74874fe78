"""Matching a claim to table cells, and the table's best-known value for them.

A cell reference is "table/row/column"; a row ending in ".*" is the sum of its leaf
rows (or the row itself when the report prints no leaves).  The value a prose number
is compared with is the best one the tables allow:

* the value error localisation gives for the cell (`ctx.corrections`, filled by
  rules/localise.py when a table breaks its relations), else
* for a blank 总计, the number the table's own relations give it (the applicant
  columns' sum: taken from the compiled relations, not restated here), else
* the printed value.

A table that breaks its relations and that error localisation's corrections do not
repair has no best-known value: its numbers are not compared with the prose.  A row placed by its position (P106) is
compared only as information, saying so.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Iterable, NamedTuple

from ...model import Cell, LabelInferred, Related, Report, Row, Table, Value
from ...relations import CompiledTable, compiled, constraints
from ..base import CheckContext
from .quantities import MONEY_FACTOR

TEMPLATES = ("2019", "2021")


_new = tuple.__new__  # a named tuple made without its Python-level __new__ (the fields in order)


class CellRef(NamedTuple):
    """One cell a claim speaks of, with its best-known value (a named tuple: made for every
    cell of every claim, faster than a frozen dataclass)."""

    table: str
    row: str
    column: str
    cell: Cell
    value: int | Decimal  # the best-known value (see the module's docs)
    basis: str  # "printed" | "localised" (error localisation) | "derived" (a blank 总计 from its relation)
    positional: bool  # the row was placed by its position, not read from its label (P106)


class Reading(NamedTuple):
    """One alternative of a quantity (a list of cells added together) in one report (a named
    tuple: one for every alternative of every claim, made faster than a frozen dataclass)."""

    cells: list[CellRef]

    @property
    def value(self) -> int | Decimal:
        s: int | Decimal = 0
        for c in self.cells:
            s = s + c.value
        return s

    @property
    def positional(self) -> bool:
        return any(c.positional for c in self.cells)

    @property
    def localised(self) -> bool:
        return any(c.basis == "localised" for c in self.cells)


def _placed_by_position(row: Row) -> bool:
    """A row keyed by its place between recognised rows (parser issue LabelInferred)."""
    return bool(row.problems) and any(isinstance(p, LabelInferred) for p in row.problems)


def corrections(ctx: CheckContext) -> dict:
    """The cells error localisation corrected: (table, row, column) → value ({} without it)."""
    return ctx.corrections


def _known(cell: Cell | None, column: str) -> Decimal | None:
    """A cell's number for checking relations: blank counts as 0, except a blank 总计,
    which is unknown (its relation says what it is; it is not 0)."""
    if cell is None or (cell.kind == "blank" and column == "总计"):
        return None
    v = cell.number()
    return None if v is None else Decimal(v)


def table_consistent(report: Report, ctx: CheckContext, table: str) -> bool | None:
    """Whether a table keeps every relation of its template (None when nothing could be checked).

    Read from error localisation when it ran on this report (`ctx.localised_of`,
    `ctx.consistent_tables`), else worked out from the compiled relations (blank cells
    count as 0, a blank 总计 as unknown)."""
    if ctx.localised_of is report:
        return table in ctx.consistent_tables
    global _CONSISTENCY
    cache = _CONSISTENCY
    if cache[0] is not report:  # the last report's memo only, one tuple replaced whole (threads)
        cache = _CONSISTENCY = (report, {})
    memo = cache[1]
    if table not in memo:
        memo[table] = _check_table(report, table)
    return memo[table]


_CONSISTENCY: tuple[Report | None, dict[str, bool | None]] = (None, {})


def _check_table(report: Report, table: str, fixed: dict | None = None, ctx: CheckContext | None = None) -> bool | None:
    """Whether every relation over `table` holds, with the `fixed` cells at their corrected values.

    Evaluated with the relations compiled once per process (`relations.compiled`: each
    relation's residual lhs − rhs as one function over the table's cell vector); the vector
    is error localisation's (`ctx.tables_state`) when it read this report."""
    if report.template not in TEMPLATES or table not in report.tables:
        return None
    ct = compiled(report.template).get(table)
    if ct is None:
        return None
    values = _state_vector(report, ctx, table)
    if values is None:
        values = _known_vector(report.tables[table], ct)
    if fixed:
        index = ct.index
        for (t, row, column), v in fixed.items():
            i = index.get((row, column))
            if i is not None and t == table:
                values[i] = v
    checked = False
    for lin, r in zip(ct.linear, ct.all_residuals(values)):
        if r is None:
            continue
        if not lin.holds_at(r):
            return False
        checked = True
    return True if checked else None


def _state_vector(report: Report, ctx: CheckContext | None, table: str) -> list[Value | None] | None:
    """`_known_vector` of the table, from the vector error localisation read (`localise.table_state`:
    the same cells, blank and "—" as 0), with its blank 总计 cells unknown again; None when
    localisation did not read this report."""
    got = ctx.tables_state if ctx is not None else None
    if got is None or got.report is not report or table not in got.tables:
        return None
    st = got.tables[table]
    values = list(st.values)
    cells = st.cells
    for i in st.compiled.total_positions:
        cell = cells[i]
        if cell is not None and cell.kind == "blank":
            values[i] = None
    return values


def _known_vector(table: Table, ct: CompiledTable) -> list[Value | None]:
    """The table's cells as `_known` reads them, by the compiled table's cell index."""
    values: list[Value | None] = [None] * len(ct.cells)
    rows = table.rows
    for row, columns in ct.by_row:
        r = rows.get(row)
        if r is None:
            continue
        got = r.cells
        for column, i in columns:
            cell = got.get(column)
            if cell is None:
                continue
            kind = cell.kind
            if kind == "number":
                values[i] = cell.value
            elif kind == "dash" or (kind == "blank" and column != "总计"):
                values[i] = 0
    return values


def repaired(report: Report, ctx: CheckContext, table: str) -> bool:
    """True when error localisation's corrections make every relation of the table hold:
    only then are its other numbers the best-known ones (an ambiguous part, A109, leaves
    the table unknown)."""
    held = _REPAIRED[0]
    if held[0] is not report or held[1] is not ctx:
        held = _REPAIRED[0] = (report, ctx, {})
    memo = held[2]
    got = memo.get(table)
    if got is None:
        fixed = {k: v for k, v in corrections(ctx).items() if k[0] == table}
        got = memo[table] = bool(fixed) and _check_table(report, table, fixed, ctx) is not False
    return got


# the last check's answers (the corrections are final once the checks run), as one (report, context,
# {table: repaired}) tuple replaced whole: a thread checking another report never reads it
_REPAIRED: list[tuple] = [(None, None, {})]


def derived_blank(report: Report, table: str, row: str, column: str) -> Decimal | None:
    """The number a blank cell must hold by the most local relation that decides it alone."""
    if report.template not in TEMPLATES:
        return None
    for con in constraints(report.template, frozenset({table})):
        inst = con.instance
        if inst.cmp != "==":
            continue
        refs = inst.lhs + inst.rhs
        mine = [r for r in refs if (r.table, r.row, r.column) == (table, row, column)]
        if len(mine) != 1:
            continue
        total = Decimal(0)
        ok = True
        for r in refs:
            if r is mine[0]:
                continue
            v = _known(report.cell(r.table, r.row, r.column), r.column)
            if v is None:  # another unknown cell: this relation cannot decide
                ok = False
                break
            side = 1 if r in inst.lhs else -1
            total += side * r.sign * v
        if not ok:
            continue
        side = 1 if mine[0] in inst.lhs else -1
        const = inst.lhs_const - inst.rhs_const
        value = -(total + const) / (side * mine[0].sign)
        if value >= 0:
            return value
    return None


def _cell_ref(report: Report, ctx: CheckContext, table_id: str, row: str, column: str) -> CellRef | None:
    table = report.tables[table_id]
    r = table.rows[row]
    cell = r.cells.get(column)
    if cell is None:
        return None
    fixed = corrections(ctx).get((table_id, row, column))
    positional = _placed_by_position(r)
    if fixed is not None:
        return _new(CellRef, (table_id, row, column, cell, fixed, "localised", positional))
    if cell.kind == "blank" and column == "总计":
        # a blank 总计 is not 0: it is what its row's relation says, or unknown
        got = derived_blank(report, table_id, row, column)
        if got is None:
            return None
        value = int(got) if got == got.to_integral_value() else got
        return _new(CellRef, (table_id, row, column, cell, value, "derived", positional))
    value = cell.number()
    if value is None:
        return None
    return _new(CellRef, (table_id, row, column, cell, value, "printed", positional))


def addresses(report: Report, ref: str) -> list[tuple[str, str, str]]:
    """The (table, row, column) a reference names in this report, whatever the cells hold."""
    table_id, row, column = ref.split("/", 2)
    table = report.tables.get(table_id)
    if table is None:
        return []
    if row.endswith(".*"):
        prefix = row[:-2]
        rows = [k for k in table.rows if k.startswith(prefix + ".")] or ([prefix] if prefix in table.rows else [])
    else:
        rows = [row] if row in table.rows else []
    return [(table_id, r, column) for r in rows if column in table.rows[r].cells]


def _split_ref(ref: str) -> tuple[str, str, str]:
    """"三/三.三.*/总计" → ("三", "三.三.*", "总计"), remembered (the phrase table's references recur)."""
    got = _REFS.get(ref)
    if got is None:
        if len(_REFS) >= 1024:
            _REFS.clear()
        table_id, row, column = ref.split("/", 2)
        got = _REFS[ref] = (table_id, row, column)
    return got


_REFS: dict[str, tuple[str, str, str]] = {}


def resolve(report: Report, ctx: CheckContext, ref: str) -> list[CellRef] | None:
    """The cells a reference names ("三/三.三.*/总计"), None when one is missing or unknown."""
    table_id, row, column = _split_ref(ref)
    table = report.tables.get(table_id)
    if table is None:
        return None
    rows = _rows_named(report, table_id, table, row)
    if not rows:
        return None
    out = []
    for r in rows:
        got = _cell_ref(report, ctx, table_id, r, column)
        if got is None:
            return None
        out.append(got)
    return out


# the last report's memo, as one (report, {(table id, row part): row keys}) tuple: replaced whole, so a
# thread checking another report (the web server) never reads or fills a memo that is not its own
_ROWS_NAMED: list[tuple] = [(None, {})]


def _rows_named(report: Report, table_id: str, table: Table, row: str) -> list[str]:
    """The keys of the rows a reference's row part names in `table` ("三.三.*": the leaf rows
    of 三.三, or 三.三 itself without leaves); remembered for the report (its claims ask
    about the same groups again)."""
    held = _ROWS_NAMED[0]
    if held[0] is not report:
        held = _ROWS_NAMED[0] = (report, {})
    memo = held[1]
    got = memo.get((table_id, row))
    if got is not None:
        return got
    if row.endswith(".*"):
        prefix = row[:-2]
        rows = [k for k in table.rows if k.startswith(prefix + ".")]
        if not rows:
            rows = [prefix] if prefix in table.rows else []
    else:
        rows = [row] if row in table.rows else []
    memo[(table_id, row)] = rows
    return rows


def reading(report: Report, ctx: CheckContext, refs: Iterable[str]) -> Reading | None:
    """An alternative's cells with their best-known values, None when the tables cannot say.

    None also when a table of the alternative breaks its relations and error
    localisation's corrections do not repair it: which of its numbers is right is
    unknown."""
    cells: list[CellRef] = []
    for ref in refs:
        got = resolve(report, ctx, ref)
        if got is None:
            return None
        cells.extend(got)
    for table in {c.table for c in cells}:
        if table_consistent(report, ctx, table) is False and not repaired(report, ctx, table):
            return None
    return _new(Reading, (cells,))


def nonzero(report: Report, ctx: CheckContext, refs: Iterable[str]) -> list[CellRef]:
    """The cells of `refs` whose best-known value is above 0 (missing ones left out)."""
    out = []
    for ref in refs:
        cells = resolve(report, ctx, ref)
        if cells is None:
            continue
        out.extend(c for c in cells if c.value and c.value > 0)
    return out


def row_label(report: Report, table: str, row: str) -> str:
    t = report.tables.get(table)
    r = t.rows.get(row) if t else None
    label = (r.label if r and r.label else row).replace("\t", " ").strip()
    label = re.sub(r"\s+", "", label)
    return label[:24] + ("…" if len(label) > 24 else "")


def related_cells(report: Report, cells: list[CellRef], limit: int = 8) -> list[Related]:
    out = []
    for c in cells[:limit]:
        out.append(Related(c.cell.span, f"表{c.table} {row_label(report, c.table, c.row)} / {c.column} = {c.cell.raw or 0}"))
    return out


def address(cells: list[CellRef]) -> tuple[str | None, str | None, str | None]:
    """table, row, column fields for a finding about one cell or a sum of cells."""
    if not cells:
        return None, None, None
    tables = {c.table for c in cells}
    rows = list(dict.fromkeys(c.row for c in cells))
    cols = list(dict.fromkeys(c.column for c in cells))
    table = cells[0].table if len(tables) == 1 else None
    # a sum of the leaf rows of one group is named by the group (三.三.1…8 → 三.三)
    if len(rows) > 1:
        prefixes = {r.rsplit(".", 1)[0] for r in rows}
        if len(prefixes) == 1 and all(r.rsplit(".", 1)[-1].isdigit() for r in rows):
            rows = [prefixes.pop()]
    return table, "+".join(rows), "+".join(cols)


def money_matches(stated: Decimal, unit: str, cell_value: Decimal | int, cell_units: list[str]) -> bool:
    decimals = -stated.as_tuple().exponent if stated.as_tuple().exponent < 0 else 0
    tol = Decimal(1).scaleb(-decimals) / 2
    for cu in cell_units:
        conv = Decimal(cell_value) * MONEY_FACTOR[cu] / MONEY_FACTOR[unit]
        if abs(conv - stated) <= tol:
            return True
    return False


def cell_money_units(report: Report, ref: CellRef) -> list[str]:
    if ref.cell.unit in MONEY_FACTOR:
        return [ref.cell.unit]
    if report.template in TEMPLATES:
        from ...templates import load_template

        for b in load_template(report.template).blocks:
            for col in b.columns:
                if col.key == ref.column and col.unit in MONEY_FACTOR:
                    return [col.unit]
    return ["元", "万元"]  # unit not printed: accept either reading
