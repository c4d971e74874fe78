"""Error localisation: one root cause, one finding (the Fellegi–Holt principle).

When a table's relations fail, the fewest cells whose change makes every relation
hold are the likeliest wrong ones (R's validate/errorlocate state this as a mixed
integer programme; our tables are small, so an exact bounded search serves):

* the failing relations are the constraints to repair; a candidate set of cells
  must touch each of them (a hitting set), and may take in cells of the relations
  its change would break;
* for a candidate set the new values are solved exactly (Fractions) from every
  relation over those cells: the set repairs the table when the system has one
  solution, each changed value is a whole number ≥ 0 and really changes, and the
  relations it touches all hold;
* sets are tried by size, 1 … MAX_CELLS; among the smallest that work, those with
  more blank cells win (a blank costs a little less than a printed number);
* the search stops after MAX_NODES candidate sets: the table is then left to the
  plain relation findings (A101 …), honestly, with no guess.

The outcome per table (`Located`) gives each cell that every smallest repair
changes the same way one finding: A100 at a printed number, A111 at a blank, with
the number it should hold; the relations it repairs become related locations and
notes, not findings of their own.  Cells on which the smallest repairs disagree
give one A109 finding that lists them.  The relation rules (engine.py) skip every
failure a localisation finding explains.

Rules that compare other things with the table read the result through the
CheckContext: `ctx.corrections[(table, row, column)]` is the value localisation
gives a cell, `ctx.consistent_tables` the tables whose relations all hold as
printed, and `best_value(report, ctx, table, row, column)` the best-known number.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from decimal import Decimal
from fractions import Fraction
from math import gcd
from typing import Iterable, Iterator

from ..messages import format_number
from ..model import Cell, Decoded, Finding, Related, Report, Value
from ..relations import CompiledTable, Linear, compiled, constraints, relation_specs
from ..templates import common
from .base import CheckContext, Rule, doc

MAX_CELLS = 5  # the largest set of cells searched
MAX_NODES = 5_000  # candidate sets visited per table before giving up
MAX_LISTED = 6  # alternatives named in an A109 message
TABLES = ("三", "四", "二")


LOCALISED_CODES = frozenset({"A100", "A109", "A111"})  # the findings that stand for relation failures


@cache
def explainable_codes() -> frozenset[str]:
    """The relation codes a localised finding can stand for (the error relations)."""
    return frozenset(s.code for s in relation_specs() if s.severity == "error")


def keep_selected(code: str, explains: tuple[str, ...], selected: frozenset[str]) -> bool:
    """Selection of a finding (check.finish): a localised finding is kept when its own code is
    selected and it explains a selected relation, or no relation is selected at all
    (`--select A100`).  `config` selects A100/A109/A111 along with any relation, so
    `--select A101` keeps the A100 that stands for an A101 and `--ignore A100` drops it."""
    if code not in selected:
        return False
    if not explains:
        return True
    return bool(selected.intersection(explains)) or not (selected & explainable_codes())


class _GiveUp(Exception):
    """The search hit its bound."""


@dataclass
class Located:
    """What localisation found for one table."""

    table: str
    failing: tuple[int, ...]  # indices into CompiledTable.linear of the failing relations it repairs
    solutions: list[dict[int, int]]  # the smallest repairs: cell index → new value
    complete: bool = True  # False: the search gave up (the plain relation findings stand)
    ties_before_prose: int = 0  # how many smallest repairs the table alone allowed, when the prose narrowed them
    prose_decided: frozenset[int] = frozenset()  # cells the prose decided (not changed alike by every repair before)
    nodes: int = 0  # candidate sets visited (for tests: the search is bounded)

    @property
    def core(self) -> dict[int, int]:
        """Cells every smallest repair changes, to the same value."""
        if not self.solutions:
            return {}
        first = self.solutions[0]
        return {i: v for i, v in first.items() if all(s.get(i) == v for s in self.solutions[1:])}


@dataclass
class TableState:
    """One table's cell vector and every relation's residual (lhs − rhs) over it."""

    compiled: CompiledTable
    values: list[Value | None]
    cells: list[Cell | None]
    residuals: list[int | Decimal | None]
    located: list[Located] = field(default_factory=list)
    explained: dict[int, int] = field(default_factory=dict)  # failing linear index → the cell index of its
    #                                                            A100/A111, or −1−n for the A109 of part n


# --------------------------------------------------------------------------- evaluation


def table_state(report: Report, ct: CompiledTable) -> TableState:
    """The cells of one table as a vector, and every compiled relation evaluated once."""
    table = report.tables.get(ct.table)
    n = len(ct.cells)
    cells: list[Cell | None] = [None] * n
    values: list[Value | None] = [None] * n
    rows = table.rows if table is not None else {}
    for row, columns in ct.by_row:
        r = rows.get(row)
        if r is None:
            continue
        got = r.cells.get
        for column, i in columns:
            cell = got(column)
            if cell is None:
                continue
            cells[i] = cell
            kind = cell.kind
            if kind == "number":
                values[i] = cell.value
            elif kind == "blank" or kind == "dash":
                values[i] = 0
    return TableState(ct, values, cells, ct.all_residuals(values))


@dataclass
class ReportState:
    """The table states of one report, and (once asked for) the failures left unexplained."""

    report: Report
    tables: dict[str, TableState]
    failing: dict[int, int | Decimal] | None = None


def _report_state(report: Report, ctx: CheckContext) -> ReportState:
    got = ctx.tables_state
    if got is None or got.report is not report:
        tables = {t: table_state(report, ct) for t, ct in compiled(report.template).items()} \
            if report.template in ("2019", "2021") else {}
        got = ctx.tables_state = ReportState(report, tables)
    return got


def states(report: Report, ctx: CheckContext) -> dict[str, TableState]:
    """Every table's state for this report (computed once; localisation fills it in)."""
    return _report_state(report, ctx).tables


def failing_positions(report: Report, ctx: CheckContext) -> dict[int, int | Decimal]:
    """constraint position (in `constraints(template)`) → residual, for each failing relation
    that no localisation finding explains (computed once, after localisation)."""
    rs = _report_state(report, ctx)
    if rs.failing is None:
        rs.failing = {}
        for st in rs.tables.values():
            for j, (lin, r) in enumerate(zip(st.compiled.linear, st.residuals)):
                # a residual of 0 (most) holds whatever the comparison; None is unknown
                if r and not lin.holds_at(r) and j not in st.explained:
                    rs.failing[lin.pos] = r
    return rs.failing


def best_value(report: Report, ctx: CheckContext, table: str, row: str, column: str) -> Value | None:
    """The best-known number of a cell: the value localisation gives it, else the printed one."""
    if (table, row, column) in ctx.corrections:
        return ctx.corrections[(table, row, column)]
    c = report.cell(table, row, column)
    return c.number() if c is not None else None


# --------------------------------------------------------------------------- the search


def error_system(st: TableState) -> list[int]:
    """The relations localisation repairs: the error equalities that can be evaluated."""
    return [j for j, lin in enumerate(st.compiled.linear)
            if lin.cmp == "==" and lin.severity == "error" and st.residuals[j] is not None]


def components(st: TableState) -> list[list[int]]:
    """The error system split into parts that share no cell (the section-四 groups are
    three such parts): each part is repaired on its own.  The parts depend only on which
    relations the system holds: remembered per compiled table (bounded)."""
    system = error_system(st)
    memo = st.compiled.__dict__.setdefault("_components", {})
    key = tuple(system)
    got = memo.get(key)
    if got is None:
        if len(memo) >= 256:
            memo.clear()
        got = memo[key] = tuple(tuple(part) for part in _components(st.compiled.linear, len(st.values), system))
    return [list(part) for part in got]


def _components(lins: tuple[Linear, ...], n: int, system: list[int]) -> list[list[int]]:
    parent = list(range(n))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for j in system:
        first = root(lins[j].idx[0])
        for i in lins[j].idx[1:]:
            parent[root(i)] = first
    parts: dict[int, list[int]] = {}
    for j in system:
        parts.setdefault(root(lins[j].idx[0]), []).append(j)
    return list(parts.values())


def locate(st: TableState, max_cells: int = MAX_CELLS, max_nodes: int = MAX_NODES,
           within: list[int] | None = None) -> Located | None:
    """The smallest sets of cells whose change makes every error relation of the table (or
    of the part `within`) hold; None when every such relation holds."""
    lins = st.compiled.linear
    system = error_system(st) if within is None else within
    failing = tuple(j for j in system if st.residuals[j] != 0)
    if not failing:
        return None
    by_cell, degree = _by_cell(st.compiled, system)  # degree: the most failing relations one cell can repair
    candidate = [v is not None and bool(js) for v, js in zip(st.values, by_cell)]
    out = Located(st.compiled.table, failing, [])
    seen: set[frozenset[int]] = set()
    failing_cells = [(j, frozenset(lins[j].idx)) for j in failing]
    terms = _terms(st.compiled)

    def visit(chosen: frozenset[int], size: int) -> None:
        if chosen in seen:
            return
        seen.add(chosen)
        out.nodes += 1
        if out.nodes > max_nodes:
            raise _GiveUp
        uncovered = [j for j, cells in failing_cells if chosen.isdisjoint(cells)]
        if uncovered:
            if len(uncovered) > (size - len(chosen)) * degree:
                return  # too many failures left for the cells left
            j = min(uncovered, key=lambda j: len(lins[j].idx))
            for i in lins[j].idx:
                if candidate[i] and i not in chosen:
                    visit(chosen | {i}, size)
            return
        if len(chosen) == size:
            solved = _solve(st, chosen, by_cell, terms)
            if solved is not None:
                out.solutions.append(solved)
            return
        # every failing relation is touched but a cell more is needed: one its change breaks
        for i in sorted({i for c in chosen for j in by_cell[c] for i in lins[j].idx}):
            if candidate[i] and i not in chosen:
                visit(chosen | {i}, size)

    try:
        for size in range(1, max_cells + 1):
            seen.clear()
            visit(frozenset(), size)
            if out.solutions:
                break
    except _GiveUp:
        out.complete = False
        out.solutions = []
        return out
    if not out.solutions:
        out.complete = False
        return out
    most = max(_blanks(st, s) for s in out.solutions)
    out.solutions = sorted((s for s in out.solutions if _blanks(st, s) == most), key=lambda s: sorted(s))
    return out


_BY_CELL: dict[tuple[int, tuple[int, ...]], tuple[CompiledTable, list[tuple[int, ...]], int]] = {}


def _by_cell(ct: CompiledTable, system: list[int]) -> tuple[list[tuple[int, ...]], int]:
    """Per cell of the table, the relations of `system` over it, and the most relations one
    cell is in.  Remembered per table and system (a table's error system is nearly always the
    same from report to report); not to be changed by the caller."""
    key = (id(ct), tuple(system))
    got = _BY_CELL.get(key)
    if got is None or got[0] is not ct:
        if len(_BY_CELL) >= 256:  # a few systems recur; odd ones must not pile up
            _BY_CELL.clear()
        keep = set(system).__contains__
        by_cell = [tuple(filter(keep, js)) if js else () for js in ct.by_cell]
        got = _BY_CELL[key] = (ct, by_cell, max(len(js) for js in by_cell))
    return got[1], got[2]


def _blanks(st: TableState, solution: dict[int, int]) -> int:
    return sum(1 for i in solution if st.cells[i] is not None and st.cells[i].kind == "blank")


def _terms(ct: CompiledTable) -> tuple[list[dict[int, int]], list[frozenset[int]]]:
    """Each relation's coefficient by cell index, and the cells it uses (once per table)."""
    got = _TERMS.get(id(ct))
    if got is None or got[0] is not ct:
        coefs: list[dict[int, int]] = []
        for lin in ct.linear:
            by_index: dict[int, int] = {}
            for i, k in zip(lin.idx, lin.coef):
                by_index[i] = by_index.get(i, 0) + k
            coefs.append(by_index)
        got = _TERMS[id(ct)] = (ct, (coefs, [frozenset(lin.idx) for lin in ct.linear]))
    return got[1]


_TERMS: dict[int, tuple[CompiledTable, tuple]] = {}  # (compiled tables live for the process: a few entries)


def _solve(st: TableState, chosen: frozenset[int], by_cell: list[tuple[int, ...]],
           terms: tuple[list[dict[int, int]], list[frozenset[int]]]) -> dict[int, int] | None:
    """The new values of `chosen` that make every relation over them hold, when there is
    exactly one such assignment and each is a changed whole number ≥ 0."""
    lins = st.compiled.linear
    coefs, uses = terms
    unknowns = sorted(chosen)
    rows: list[list[int | Fraction]] = []
    for j in sorted({j for i in chosen for j in by_cell[i]}):
        by_index = coefs[j]
        row: list[int | Fraction] = [by_index.get(i, 0) for i in unknowns]
        r = st.residuals[j]
        row.append(-r if type(r) is int else -Fraction(r))  # Σ k·δ = −residual
        rows.append(row)
    deltas = _gauss(rows, len(unknowns))
    if deltas is None:
        return None
    out: dict[int, int] = {}
    for i, d in zip(unknowns, deltas):
        new = Fraction(st.values[i]) + d
        if d == 0 or new.denominator != 1 or new < 0:
            return None
        out[i] = int(new)
    # inequalities (and warnings) over the changed cells must not be broken by the change
    for j, lin in enumerate(lins):
        if st.residuals[j] is None or chosen.isdisjoint(uses[j]):
            continue
        r = st.residuals[j] + sum(k * (out[i] - st.values[i]) for i, k in zip(lin.idx, lin.coef) if i in out)
        if not lin.holds_at(r) and lin.holds_at(st.residuals[j]):
            return None
    return out


def _gauss(rows: list[list[int | Fraction]], n: int) -> list[Fraction] | None:
    """The unique solution of the augmented system, or None (none, or more than one).

    Fraction-free (Gauss–Jordan): a row becomes pivot × row − factor × pivot row, divided by
    the gcd of its entries when they are all integers, so an integer system (every count
    table) stays in small integers; only the solution is a Fraction.  Each step is an
    invertible row operation, so the answer is the one division by the pivot would give."""
    if len(rows) < n:
        return None  # fewer relations than unknowns: not one answer
    rows = [r[:] for r in rows]
    ints = all(type(r[-1]) is int for r in rows)  # (the coefficients are integers)
    pivot_row = 0
    for c in range(n):
        p = next((r for r in range(pivot_row, len(rows)) if rows[r][c] != 0), None)
        if p is None:
            return None  # a free unknown: not one answer
        rows[pivot_row], rows[p] = rows[p], rows[pivot_row]
        pr = rows[pivot_row]
        a = pr[c]
        for r in range(len(rows)):
            f = rows[r][c]
            if r != pivot_row and f != 0:
                new = [x * a - f * y for x, y in zip(rows[r], pr)]
                if ints:
                    g = gcd(*new)
                    if g > 1:
                        new = [x // g for x in new]
                rows[r] = new
        pivot_row += 1
    if any(r[-1] != 0 for r in rows[pivot_row:]):
        return None  # inconsistent
    return [Fraction(rows[c][-1]) / rows[c][c] for c in range(n)]


# --------------------------------------------------------------------------- the rule


def prepare(report: Report, ctx: CheckContext) -> None:
    """Localise every table once per report; record corrections, claims and what is explained."""
    if ctx.localised_of is report:
        return
    ctx.localised_of = report
    for table, st in states(report, ctx).items():
        lins = st.compiled.linear
        residuals = st.residuals
        errors = [j for j in st.compiled.error_positions if residuals[j] is not None]
        if not any(residuals[j] for j in errors):  # every error relation holds exactly (most tables)
            if errors:
                ctx.consistent_tables.add(table)
            continue  # nothing to repair
        if errors and all(lins[j].holds_at(residuals[j]) for j in errors):
            ctx.consistent_tables.add(table)
        if not any(lins[j].cmp == "==" and residuals[j] != 0 for j in errors):
            continue  # nothing to repair
        for part in components(st):
            located = locate(st, within=part)
            if located is None:
                continue
            st.located.append(located)
            if len(located.solutions) > 1:
                before, core_before = len(located.solutions), located.core
                located.solutions = prose_choice(report, st, located.solutions)
                if len(located.solutions) < before:
                    located.ties_before_prose = before
                    located.prose_decided = frozenset(i for i, v in located.core.items() if core_before.get(i) != v)
            if len(located.failing) == 1 and len(located.solutions) > 1:
                # one relation off and any of its cells could be it: the relation's own
                # finding says exactly that, and names the sum
                located.solutions = []
            _record(ctx, st, located)


def _record(ctx: CheckContext, st: TableState, located: Located) -> None:
    """What a localised part explains, the corrections it gives, the blanks it fills."""
    lins = st.compiled.linear
    core = located.core
    if not located.solutions:
        return
    for j in located.failing:
        hit = [i for i in lins[j].idx if i in core]
        st.explained[j] = hit[0] if hit else -1 - st.located.index(located)
    for i, v in core.items():
        row, column = st.compiled.cells[i]
        ctx.corrections[(st.compiled.table, row, column)] = v
    for s in located.solutions:
        for i, v in s.items():
            cell = st.cells[i]
            if cell is not None and cell.kind == "blank" and cell.span is not None:
                ctx.claimed.setdefault(cell.span, v)


def check(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    for st in states(report, ctx).values():
        for n, located in enumerate(st.located):
            if not located.solutions:
                continue
            core = located.core
            for i, value in core.items():
                yield _cell_finding(report, ctx, st, i, value)
            if len(located.solutions) > 1:
                yield _tie_finding(report, ctx, st, located, -1 - n)


def cell_name(table: str, row: str, column: str) -> str:
    """“（七）总计·自然人”: a cell as a clerk would name it."""
    if table == "三":
        spec = common().rows3.get(row)
        label = (spec.short or spec.label) if spec else row
    elif table == "二":
        label = row.split(".")[-1]
    else:
        label = row
    return f"{label}·{column}"


_fmt = format_number  # the one number formatter (messages.py)


def _codes(st: TableState, js: Iterable[int]) -> list[str]:
    return list(dict.fromkeys(st.compiled.linear[j].code for j in js))


def _relation_names(st: TableState, js: list[int]) -> list[str]:
    """The relations repaired, as the template prints them (R1, R2 …), in first-seen order."""
    basis = {s.code: s.basis or s.code for s in relation_specs()}
    return sorted(dict.fromkeys(basis.get(c, c) for c in _codes(st, js)))


def _related(st: TableState, js: list[int], skip: set[int]) -> list[Related]:
    out: list[Related] = []
    seen: set[int] = set(skip)
    for j in js:
        for i in st.compiled.linear[j].idx:
            cell = st.cells[i]
            if i in seen or cell is None or cell.span is None:
                continue
            seen.add(i)
            out.append(Related(cell.span, cell_name(st.compiled.table, *st.compiled.cells[i]).replace("·", " / ")))
    return out


def _relation_notes(ctx: CheckContext, st: TableState, js: list[int]) -> list:
    """One note per repaired relation: which, and how far off it is as printed."""
    specs = {s.code: s for s in relation_specs()}
    notes = []
    for j in js[:6]:
        lin = st.compiled.linear[j]
        con = constraints_of(ctx)[lin.pos]
        b = con.instance.binding
        where = "、".join(_binding_label(st.compiled.table, v) for _k, v in b) if b else ""
        spec = specs.get(lin.code)
        notes.append(ctx.msg(
            "localise.relation", code=lin.code, basis=spec.basis if spec else "", where=where,
            summary=spec.data.get("summary", "") if spec else "", summary_en=spec.data.get("summary_en", "") if spec else "",
            diff=_signed(st.residuals[j]),
        ))
    if len(js) > 6:
        notes.append(ctx.msg("localise.more_relations", n=len(js) - 6))
    return notes


def _binding_label(table: str, value: str) -> str:
    """A loop value as printed: a row key becomes its label, a column stays its name."""
    if table == "三" and value in common().rows3:
        spec = common().rows3[value]
        return spec.short or spec.label
    return value


def _order(st: TableState, cells: Iterable[int]) -> list[int]:
    """Cells in reading order: by row as the template lists them, then by column."""
    rows = list(dict.fromkeys(r for r, _c in st.compiled.cells))
    columns = list(common().columns3 if st.compiled.table == "三" else common().columns4)

    def key(i: int) -> tuple[int, int]:
        r, c = st.compiled.cells[i]
        return rows.index(r), columns.index(c) if c in columns else len(columns)
    return sorted(cells, key=key)


def constraints_of(ctx: CheckContext):
    return constraints(ctx.template.id) if ctx.template is not None else ()


def _signed(v) -> str:
    s = _fmt(v)
    return s if s.startswith("-") else "+" + s


def _inferred_note(report: Report, ctx: CheckContext, st: TableState, js: list[int]) -> list:
    """Say when the numbers involved were read from run-together digits."""
    cells = [st.cells[i] for j in js for i in st.compiled.linear[j].idx]
    return decoded_notes(report, ctx, st.compiled.table, cells)


def decoded_notes(report: Report, ctx: CheckContext, table_key: str, cells: Iterable[Cell | None]) -> list:
    """Notes for a finding over `cells` of table `table_key`: a table the decoder could read no
    way without a broken relation (its typed `Decoded` issue: how many readings were weighed,
    and the readings that break as few), or else how many of the cells were inferred from
    run-together digits.  The relation rules (engine.py) add them too."""
    notes = []
    table = report.tables.get(table_key)
    decoded = [x for x in table.issues if isinstance(x, Decoded)] if table is not None else []
    if decoded:
        d = decoded[0]
        notes.append(ctx.msg("localise.decoded", readings=d.readings) if d.readings > 1 else ctx.msg("localise.decoded.one"))
        if d.ties:
            chosen = dict(d.chosen)
            options = []
            for tie in d.ties[:3]:
                rows = [ctx.msg("localise.reading_row", row=_row_label(table_key, row), cells=" / ".join(texts))
                        for row, texts in tie if chosen.get(row) != texts]
                options.append(ctx.msg("localise.option", changes=rows))
            notes.append(ctx.msg("localise.decoded_ties", n=len(d.ties), broken=d.broken, options=options))
    inferred = {id(c) for c in cells if c is not None and c.inferred}
    if inferred:
        notes.append(ctx.msg("localise.inferred", n=len(inferred)))
    return notes


def _row_label(table: str, row: str) -> str:
    if table == "三" and row in common().rows3:
        spec = common().rows3[row]
        return spec.short or spec.label
    return row.split(".")[-1] if table == "二" else row


def _basis(report: Report, ctx: CheckContext, table: str):
    t = ctx.template
    return ctx.msg("localise.basis", template=f"{t.name}（{t.basis}）" if t else report.template,
                   template_en=f"{report.template} ({t.basis if t else ''})", table=table)


def _cell_finding(report: Report, ctx: CheckContext, st: TableState, i: int, value: int) -> Finding:
    table = st.compiled.table
    row, column = st.compiled.cells[i]
    cell = st.cells[i]
    js = [j for j, hit in st.explained.items() if hit == i]
    relations = _relation_names(st, js)
    blank = cell.kind == "blank"
    code = "A111" if blank else "A100"
    msg_id = code + (".one" if len(relations) == 1 else "")
    message = ctx.msg(msg_id, where=cell_name(table, row, column), stated=cell.raw, expected=value, relations=relations)
    notes = _relation_notes(ctx, st, js) + _inferred_note(report, ctx, st, js) + prose_notes(report, ctx, table, row, column, value)
    located = next((x for x in st.located if i in x.core), None)
    if located is not None and i in located.prose_decided:
        notes.append(ctx.msg("localise.prose_chose", n=located.ties_before_prose))
    notes.append(_basis(report, ctx, table))
    f = ctx.finding(ctx.rule_for(code), message, cell=cell, table=table, row=row, column=column,
                    expected=value, related=_related(st, js, {i}), notes=notes)
    f.explains = tuple(_codes(st, js))
    return f


def _tie_finding(report: Report, ctx: CheckContext, st: TableState, located: Located, mark: int) -> Finding:
    table = st.compiled.table
    core = located.core
    js = [j for j, hit in st.explained.items() if hit == mark] or list(located.failing)
    options = []
    for s in located.solutions[:MAX_LISTED]:
        changes = [ctx.msg("localise.change", cell=cell_name(table, *st.compiled.cells[i]),
                           stated=st.cells[i].raw or "（空白）", expected=v)
                   for i, v in ((i, s[i]) for i in _order(st, s)) if i not in core]
        options.append(ctx.msg("localise.option", changes=changes))
    first = next(i for i in _order(st, located.solutions[0]) if i not in core)
    row, column = st.compiled.cells[first]
    message = ctx.msg("A109", table=ctx.msg(f"localise.table.{table}"), relations=_relation_names(st, js),
                      n=len(located.solutions), size=len(located.solutions[0]) - len(core), options=options,
                      more=max(0, len(located.solutions) - MAX_LISTED))
    tie_cells = {i for s in located.solutions for i in s if i not in core}
    related = [Related(st.cells[i].span, cell_name(table, *st.compiled.cells[i]).replace("·", " / "))
               for i in _order(st, tie_cells) if i != first and st.cells[i].span is not None]
    notes = _relation_notes(ctx, st, js) + _inferred_note(report, ctx, st, js) + [_basis(report, ctx, table)]
    f = ctx.finding(ctx.rule_for("A109"), message, cell=st.cells[first], table=table, row=row, column=column,
                    related=related, notes=notes)
    f.explains = tuple(_codes(st, js))
    return f


# --------------------------------------------------------------------------- prose as evidence


def prose_notes(report: Report, ctx: CheckContext, table: str, row: str, column: str, value: int) -> list:
    """“正文也写作 155 件”: sentences that state the corrected value of this one cell."""
    quotes = list(dict.fromkeys(prose_statements(report, table, row, column, value)))
    return [ctx.msg("localise.prose", quote=q) for q in quotes[:2]]


def prose_statements(report: Report, table: str, row: str, column: str, value: int) -> list[str]:
    """Quotes of the prose that name exactly this cell and state `value`."""
    return [quote for stated, quote in cell_statements(report, table, row, column) if stated == value]


def cell_statements(report: Report, table: str, row: str, column: str) -> list[tuple[Decimal, str]]:
    """(number, quote) for each place the prose states exactly this one cell (read through
    the narrative rules' own phrase matching)."""
    from . import narrative  # the narrative rules import this module's results, not the reverse

    return narrative.cell_statements(report, table, row, column)


def prose_choice(report: Report, st: TableState, solutions: list[dict[int, int]]) -> list[dict[int, int]]:
    """The smallest repairs the prose favours: a repair scores one for each changed cell whose
    new value a sentence states, and loses one for each whose printed value a sentence states.
    Only a strictly better score narrows the list; prose never adds a repair."""
    said: dict[int, set] = {}

    def stated(i: int) -> set:
        if i not in said:
            row, column = st.compiled.cells[i]
            said[i] = {v for v, _q in cell_statements(report, st.compiled.table, row, column)}
        return said[i]

    scores = [sum((v in stated(i)) - (st.values[i] in stated(i)) for i, v in s.items()) for s in solutions]
    best = max(scores)
    if best == min(scores):
        return solutions
    return [s for s, sc in zip(solutions, scores) if sc == best]


RULES = [
    Rule(
        code="A100", name="wrong-cell", severity="error",
        summary="定位到写错的单元格：改正这一格后各项关系成立",
        summary_en="The wrong cell, located: correcting it makes every relation hold",
        doc=doc(
            "第三、四部分表格的勾稽关系（R1–R4 等）不成立时，找出改动最少的单元格，使所有关系同时成立（统计数据编辑中的 Fellegi–Holt 原则）。"
            "只有一种最少改法时，在那一格报告一次，给出它应有的数，并列出因它而不成立的各条关系；这些关系不再各报一次错。",
            "一个数字写错，往往同时破坏行合计、列合计和勾稽关系，逐条报告会让人以为有三处错误，甚至去改本来正确的合计。"
            "指出唯一能让全表成立的那一格，办事人员只需改一处。",
            "（七）总计行自然人列印为 148，而各项办理结果之和为 147，勾稽关系和本行总计也都差 1：A100 在这一格报告“印为 148，应为 147：改正这一格后 R1、R2、R3 全部成立”。",
            "核对原始台账后把这一格改为给出的数。若台账显示这一格没错，说明别处有两个以上的错误，请逐项核对说明中列出的各条关系。",
            what_en="When a table's relations fail, finds the fewest cells whose change makes every relation hold (Fellegi–Holt). "
                    "When one smallest change exists, reports it once at that cell with the number it should hold; the broken relations are its notes.",
            why_en="One wrong number breaks a row sum, a column sum and the balance at once; reporting each makes three errors of one and points at totals that are right.",
            fix_en="Check the records and write the number given. If the cell is right after all, the table has two or more errors: check each relation listed.",
            example_en="(7) total, natural persons printed as 148 while the outcomes add up to 147: A100 says it should be 147, and R1, R2, R3 then hold.",
        ),
        check=check, prepare=prepare, order=5,
    ),
    Rule(
        code="A109", name="wrong-cell-ambiguous", severity="error",
        summary="表格不能全部正确，但有几种同样少的改法",
        summary_en="The table cannot be right, and several equally small corrections exist",
        doc=doc(
            "勾稽关系不成立，而让全部关系成立的最少改法不止一种（例如改“上年结转”两格，或改“结转下年度”两格都行）：报告一次，列出每种改法。",
            "表格肯定有错，但只看表格无法断定错在哪里；列出所有可能，比逐条报告关系不成立更容易核对。",
            "商业企业列：上年结转 2，而办结和结转下年度都是 0。改“上年结转·商业企业”和“上年结转·总计”为 0，或改“结转下年度·商业企业”为 2、“结转下年度·总计”为 20，都能让全表成立。",
            "对照原始台账，确定是哪一种情况，改正相应的格。",
            what_en="Relations fail and several equally small sets of changes would make them all hold: one finding lists them.",
            why_en="The table is certainly wrong, but the table alone cannot say where; the list is easier to check than each broken relation.",
            fix_en="Check the records to see which correction is right and make it.",
            example_en="carried over 2 for businesses, but nothing closed or carried forward: either the carry-over cells or the carried-forward cells are wrong.",
        ),
        emitted_by="engine", order=5,
    ),
]
