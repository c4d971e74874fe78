"""Decoding ties broken by the other year's report (Y106), and the relations checked on the reading taken.

The decoder leaves a run of digits ambiguous (P107) when several readings break no relation
of the report.  When the same body's report of the year before or after is checked too, a
cross-year relation may fix the cells the readings disagree on (上年结转 this year is
结转下年度 last year: rules/relations/crossyear/).  The cross-year pass then:

1. scores each listed reading by the cross-year equalities through the cells the readings
   disagree on (+1 for each that holds on it, −1 for each that fails); one reading scoring best,
   and above zero, is taken, and Y106 says so, naming the other file and its cells.  When the
   decoder listed only some of the readings, a reading is taken only when the other report fixes
   every cell of the row on its own and agrees with it everywhere (no unlisted reading can do
   better);
2. reads again, under the table's own relations, the other ambiguous rows of the same table
   (a row tied together with the decided one keeps one reading that fits);
3. checks the table's relations on the reading taken (engine + localisation, the same rules a
   single report runs), and reports what breaks at the decided cells.

Nothing is read again: a report's facts carry, only when it has such a tie, the tie's readings
(cell texts with their places) and the cells of its table (`tie_facts`).  Those are a few
hundred small tuples for the rare report that needs them; every other report carries none.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cache
from typing import Any, Callable, Mapping

from ..model import Cell, DigitsAmbiguous, Document, Finding, Location, Report, Row, Span, Table
from ..relations import constraints
from .base import Rule, RuleSet, doc
from .expr import Instance, Ref

Y106 = Rule(
    code="Y106", name="reading-from-other-year", severity="info",
    summary="连写数字有多种拆法，按另一年度的报告确定了拆法",
    summary_en="Run-together digits with several readings were read by the other year's report",
    doc=doc(
        "网页文本中一行的数字连在一起，有几种拆法都符合本表的勾稽关系（P107）。同一机关相邻年度的报告一起检查时，"
        "如果另一年度报告中的数字（如上一年度的“结转下年度继续办理”就是本年度的“上年结转”）支持其中一种拆法"
        "（按这种拆法，跨年度关系成立的比不成立的多，而且比其他拆法都多），就按这种拆法读取，并报告依据的是哪个文件的哪一格。"
        "读取后，这张表的勾稽关系照常检查，不成立的照常报错；跨年度关系不成立的格照常报告（Y101 等）。",
        "拆不开的行不能检查；另一年度的报告是可靠的旁证，用它确定拆法，这一行就能参与检查，不再只是一条“无法拆分”的警告。",
        "2023 年报告：二、上年结转 110000011（可拆为 1 / 10 / … / 11 或 11 / 0 / … / 11）\n"
        "2022 年报告：四、结转下年度继续办理 11 0 0 0 0 0 11   ← Y106：按 11 / 0 / 0 / 0 / 0 / 0 / 11 读取",
        "无需处理；如需确认，请查看带表格结构的原件（Word、PDF 或网页的 HTML）。",
        what_en="A row's run-together digits had several readings that fit the table (P107); the same body's report of "
                "the adjacent year fixes the cells they disagree on (last year's carried-over-to-next-year row is this "
                "year's carried-over-from-last-year row) and supports one reading best (more cross-year relations "
                "hold than fail on it, and more than on any other): it is taken, and the finding names the other "
                "file and cell. The table's relations, and the cross-year ones, are then checked on that reading.",
        why_en="A row that cannot be split cannot be checked; the other year's report is good evidence for the split.",
        fix_en="Nothing to do; check the original with its table structure if in doubt.",
    ),
    check=None, emitted_by="crossyear", origin="builtin",
)

# the rules run again on a table once a tie is broken: its relations, localisation and blanks
RECHECK_CODES = ("A100", "A101", "A102", "A103", "A104", "A105", "A106", "A107", "A109", "A110", "A111")


# --------------------------------------------------------------------------- facts


def _span_data(s: Span | None) -> tuple | None:
    return (s.line, s.col, s.end_col) if s else None


def _loc_data(loc: Location | None) -> tuple | None:
    return (loc.line, loc.column, loc.end_line, loc.end_column, loc.context) if loc else None


def _value_data(v: Any) -> Any:
    return v if v is None or isinstance(v, int) else str(v)


def tie_facts(report: Report, wanted: frozenset[tuple[str, str]]) -> tuple[dict[str, tuple], dict[str, tuple]]:
    """The ties a cross-year relation may break, and the cells of their tables, as plain data.

    `wanted`: (table, row) of the rows the cross-year relations read.  Returns
    (ties, tables): ties["table|row"] = (raw, more, columns, row place, readings), a reading
    being one (text, span, location) per column; tables[table] = ((row key, line,
    ((column, raw, value, kind, span, location), …)), …).  Both are empty for a report whose
    tied rows (if any) no cross-year relation reads."""
    ties: dict[str, tuple] = {}
    tables: dict[str, tuple] = {}
    tids = set()
    for tid, key in wanted:  # a handful of rows: most reports end here
        t = report.tables.get(tid)
        r = t.rows.get(key) if t is not None else None
        if r is not None and r.problems and r.issue(DigitsAmbiguous) is not None:
            tids.add(tid)
    if not tids:
        return ties, tables
    doc_ = report.document
    for tid in sorted(tids):
        t = report.tables[tid]
        rows = [(key, r, p) for key, r in t.rows.items()
                if r.problems  # most rows have none: the common case costs one test per row
                and (p := r.issue(DigitsAmbiguous)) is not None and p.run_together and p.candidates
                and len(p.candidates[0]) == len(r.cells)]
        if not any((tid, key) in wanted for key, _, _ in rows):
            continue
        for key, r, p in rows:
            # every reading that breaks nothing when the decoder kept them all, else the few it lists
            listed = p.readings if p.complete and p.readings else p.candidates
            readings = _placed(doc_, r, p.raw, listed)
            if readings is None:
                continue
            place = (_span_data(r.span), _loc_data(doc_.locate(r.span)))
            more = not (p.complete and p.readings) and p.more
            ties[f"{tid}|{key}"] = (p.raw, more, tuple(r.cells), place, readings)
        tables[tid] = tuple(
            (key, r.line, tuple((col, c.raw, _value_data(c.value), c.kind, _span_data(c.span),
                                 _loc_data(doc_.locate(c.span))) for col, c in r.cells.items()))
            for key, r in t.rows.items())
    return ties, tables


def _placed(doc_: Document, row: Row, raw: str, listed) -> tuple | None:
    """Each listed reading's cells with their spans in the row's line (as the decoder would place
    them), or None when the digits are not found on the row's line."""
    line = row.line or (row.span.line if row.span else 0)
    text = doc_.norm_lines[line - 1] if 0 < line <= len(doc_.norm_lines) else ""
    start = text.find(raw, row.span.end_col - 1 if row.span and row.span.line == line else 0)
    if start < 0:
        return None
    offsets = [i for i, ch in enumerate(raw) if not ch.isspace()]
    col0 = start + 1
    out = []
    for reading in listed:
        if sum(len(c) for c in reading) != len(offsets):
            return None
        cells, k, last = [], 0, col0
        for c in reading:
            if not c:
                span = Span(line, last, last)
            else:
                span = Span(line, col0 + offsets[k], col0 + offsets[k + len(c) - 1] + 1)
                k += len(c)
                last = span.end_col
            cells.append((c, _span_data(span), _loc_data(doc_.locate(span))))
        out.append(tuple(cells))
    return tuple(out)


# --------------------------------------------------------------------------- deciding


@dataclass
class Decision:
    """A tied row read by the other year's report (`by`: the cells of the other report that fixed
    it, as (ref, cell data)); `also`: rows of the same table the relations then fixed."""

    table: str
    row: str
    raw: str
    readings: int
    chosen: tuple  # (text, span, location) per column
    columns: tuple[str, ...]
    place: tuple  # (span, location) of the row label
    by: list[tuple[Ref, tuple]] = field(default_factory=list)
    also: list[tuple[str, tuple]] = field(default_factory=list)  # (row, chosen)
    bases: tuple[str, ...] = ()  # the cross-year relations that fixed it (R6 …)
    more: bool = False  # the decoder found more readings than it listed


def read_cell(text: str, span: Span | None) -> Cell:
    """`parse.cells.read_cell`, imported when first needed: the command's own process runs the
    cross-year pass without the parser (see `gov_lint.options`)."""
    from ..parse.cells import read_cell as read

    return read(text, span)


def _number(text: str) -> int | Decimal:
    """A reading's cell as a number (blank = 0, as the rules count it)."""
    if not text:
        return 0
    v = read_cell(text, None).number()
    return v if v is not None else 0


def decide(tied, other, tied_is_prev: bool, specs, template: str) -> list[Decision]:
    """The ties of `tied` that the cross-year relations `specs` (instances for `template`, this
    year's format) break with the cells of `other`; the decided cells are written into `tied`.

    Each equality that reads a cell the readings disagree on, and whose cells outside the tied row
    are all known, scores every reading: +1 when it holds on that reading, −1 when it does not.
    One reading scoring best, above zero, is taken."""
    out: list[Decision] = []
    for key in list(tied.ties):
        if key not in tied.ties:
            continue  # read with a row decided before it
        table, row = key.split("|", 1)
        raw, more, columns, place, readings = tied.ties[key]
        disputed = {columns[i] for i in range(len(columns)) if len({r[i][0] for r in readings}) > 1}
        checks = []
        for spec in specs:
            for inst in _instances(spec.expr, template):
                got = _check(inst, tied, other, tied_is_prev, table, row, disputed)
                if got is not None:
                    checks.append((inst, got, spec.basis or spec.code))
        if not checks:
            continue
        scores = []
        for reading in readings:
            mine = {col: _number(t) for col, (t, _s, _l) in zip(columns, reading)}
            scores.append(sum(1 if _holds(inst, known, mine, tied_is_prev, table, row) else -1
                              for inst, known, _b in checks))
        best = max(scores)
        if best <= 0 or scores.count(best) != 1:
            continue
        chosen = readings[scores.index(best)]
        if more and not _pinned_to(chosen, columns, specs, template, tied, other, tied_is_prev, table, row):
            continue  # a reading not listed might do better
        by = list({id(d): (r, d) for _i, known, _b in checks for r, d, theirs in known if theirs}.values())
        bases = tuple(dict.fromkeys(b for _i, _k, b in checks))
        d = Decision(table, row, raw, len(readings), chosen, columns, place, by, bases=bases, more=more)
        if not d.by:
            continue  # nothing of the other report took part
        _write(tied, d.table, d.row, columns, chosen)
        del tied.ties[key]
        _settle_table(tied, d)
        out.append(d)
    return out


def _pinned_to(chosen, columns, specs, template: str, tied, other, tied_is_prev: bool, table: str, row: str) -> bool:
    """Whether the other report fixes every cell of the row alone (an equality with no other cell of
    the row in it) and the chosen reading agrees with all of them: then no reading the decoder did
    not list can do as well."""
    mine = {col: _number(t) for col, (t, _s, _l) in zip(columns, chosen)}
    pinned = set()
    for spec in specs:
        for inst in _instances(spec.expr, template):
            own = [r for r in inst.lhs + inst.rhs if r.prev == tied_is_prev and r.table == table and r.row == row]
            if len(own) != 1:
                continue
            known = _check(inst, tied, other, tied_is_prev, table, row, set(columns))
            if known is None:
                continue
            if not _holds(inst, known, mine, tied_is_prev, table, row):
                return False
            pinned.add(own[0].column)
    return pinned == set(columns)


@cache
def _instances(expr: str, template: str) -> tuple[Instance, ...]:
    from ..relations import expand

    return expand(expr, template)


def _check(inst: Instance, tied, other, tied_is_prev: bool, table: str, row: str, disputed: set[str]):
    """For an equality reading a disputed cell of the tied row: (ref, cell data, from the other
    report) for every cell outside the row, all known; else None."""
    if inst.cmp != "==":
        return None
    mine = [r for r in inst.lhs + inst.rhs if r.prev == tied_is_prev and r.table == table and r.row == row]
    if not any(r.column in disputed for r in mine):
        return None
    known = []
    for r in inst.lhs + inst.rhs:
        if r in mine:
            continue
        facts = tied if r.prev == tied_is_prev else other
        d = facts.cells.get(f"{r.table}|{r.row}|{r.column}")
        if d is None:
            return None
        known.append((r, d, facts is other))
    return known


def _holds(inst: Instance, known, mine: dict, tied_is_prev: bool, table: str, row: str) -> bool:
    """Whether the equality holds with the tied row's cells read as `mine`."""
    values = {id(r): (d[0] if isinstance(d[0], int) else Decimal(d[0])) for r, d, _o in known}
    total = inst.lhs_const - inst.rhs_const
    for side, sign in ((inst.lhs, 1), (inst.rhs, -1)):
        for r in side:
            if r.prev == tied_is_prev and r.table == table and r.row == row:
                v = mine[r.column]
            else:
                v = values[id(r)]
            total += sign * r.sign * v
    return total == 0


def _write(tied, table: str, row: str, columns: tuple[str, ...], chosen: tuple) -> None:
    """The chosen reading into the facts: the cells the cross-year relations read, and the table."""
    from .crossyear import wanted_cells

    wanted = set(wanted_cells(tied.template))
    by_col = {}
    for col, (text, span, loc) in zip(columns, chosen):
        cell = read_cell(text, None) if text else Cell("", None, "blank")
        by_col[col] = (col, text, _value_data(cell.value), cell.kind, span, loc)
        if (table, row, col) in wanted:
            tied.cells[f"{table}|{row}|{col}"] = (_value_data(_number(text)), text, span, loc)
    tied.tie_tables[table] = tuple(
        (key, line, tuple(by_col.get(c[0], c) for c in cells) if key == row else cells)
        for key, line, cells in tied.tie_tables.get(table, ()))


def _settle_table(tied, d: Decision) -> None:
    """Other tied rows of the decided row's table: keep a reading when it alone fits the table's
    relations with the decided cells, blanks unknown as the decoder counts them (rounds until
    nothing more is fixed)."""
    cons = constraints(tied.template, frozenset({d.table}))
    changed = True
    while changed:
        changed = False
        for key in [k for k in tied.ties if k.startswith(d.table + "|")]:
            row = key.split("|", 1)[1]
            raw, more, columns, place, readings = tied.ties[key]
            values = _table_values(tied, d.table)
            fits = []
            for reading in readings:
                trial = dict(values)
                trial.update({(row, col): _number(text) if text else None for col, (text, _s, _l) in zip(columns, reading)})
                lookup: Callable[[Ref], Any] = lambda r, t=trial: t.get((r.row, r.column))
                touching = [c for c in cons if any(r.row == row for r in c.refs)]
                if all(c.holds(lookup) is not False for c in touching) and any(
                        c.holds(lookup) is True for c in touching):
                    fits.append(reading)
            if len(fits) == 1 and not more:
                _write(tied, d.table, row, columns, fits[0])
                del tied.ties[key]
                d.also.append((row, fits[0]))
                changed = True


def _table_values(tied, table: str) -> dict[tuple[str, str], Any]:
    out = {}
    for key, _line, cells in tied.tie_tables.get(table, ()):
        for col, _raw, value, kind, _span, _loc in cells:
            if kind in ("number", "dash"):  # a blank is unknown here, as the decoder counts it
                out[(key, col)] = 0 if value is None else (value if isinstance(value, int) else Decimal(value))
    return out


def draw_readings(tables: Mapping[str, Table], rows: dict[tuple[str, str], tuple]) -> Mapping[str, Table]:
    """A result's tables with the readings taken (`rows`: (table, row) → (columns, chosen)) in the
    decided rows' cells, for the outputs that draw the tables.  The tables given are not changed
    (they may be the parse's own); the decided tables are copies."""
    out = dict(tables)
    for (tid, key), (columns, chosen) in rows.items():
        t = out.get(tid)
        r = t.rows.get(key) if t is not None else None
        if r is None:
            continue
        cells = dict(r.cells)
        for col, (text, span, _loc) in zip(columns, chosen):
            cell = read_cell(text, Span(*span) if span else None)
            cell.inferred = True
            cells[col] = cell
        if t is tables.get(tid):
            t = out[tid] = replace(t, rows=dict(t.rows))
        t.rows[key] = replace(r, cells=cells)
    return out


# --------------------------------------------------------------------------- the relations on the reading


@cache
def _recheck_rules() -> RuleSet:
    from .registry import all_rules

    rules = all_rules(False)
    out = RuleSet()
    for code in RECHECK_CODES:
        r = rules.get(code)
        if r is not None:
            out.add(r)
    return out


def recheck(tied, decisions: list[Decision], lang: str, selected: frozenset[str] | None) -> list[Finding]:
    """The table's relations (engine and localisation) on the readings taken: the findings that
    touch a decided cell, located and fingerprinted as the report's own would be."""
    from ..check import CheckOptions, run_rules
    from .localise import keep_selected

    tids = {d.table for d in decisions}
    decided: set[Span] = set()
    for d in decisions:
        for chosen in [d.chosen] + [c for _, c in d.also]:
            decided.update(Span(*s) for _t, s, _l in chosen if s)
    report = Report(Document(path=tied.path, text=" "), template=tied.template, year=tied.year,
                    agency=tied.agency if tied.confident else None)
    places: dict[Span, Location] = {}
    for tid in tids:
        table = Table(tid)
        for key, line, cells in tied.tie_tables.get(tid, ()):
            row_cells = {}
            for col, raw, value, kind, span, loc in cells:
                s = Span(*span) if span else None
                v = value if value is None or isinstance(value, int) else Decimal(value)
                row_cells[col] = Cell(raw, v, kind, s, inferred=s in decided)
                if s is not None and loc is not None:
                    places[s] = Location(*loc)
            table.rows[key] = Row(key, "", row_cells, None, line)
        report.tables[tid] = table
    found = run_rules(report, _recheck_rules(), CheckOptions(lang=lang, selected=None, plugins=False))
    out = []
    for f in found:
        if f.span not in decided and not any(r.span in decided for r in f.related if r.path is None):
            continue
        if f.code == "A110" and (f.span not in decided or any(r.span not in decided for r in f.related
                                                               if r.path is None and r.span is not None)):
            continue  # one A110 per table names every blank: the file's own check named those not decided
        if selected is not None and not keep_selected(f.code, f.explains, selected):
            continue
        f.location = places.get(f.span, f.location) if f.span else f.location
        for r in f.related:
            if r.path is None and r.span in places:
                r.location = places[r.span]
        out.append(f)
    return out
