"""Decode run-together digits as a whole table, under the template's own relations.

Web text prints a section-三 row as `15130000154` (151,3,0,0,0,0,154), section 四
as one run of 15 digits, and rows damaged on the way lose a cell (`0 00000`: six
digits for seven cells).  Which digits belong to which cell depends on the
table's arithmetic, and that arithmetic is stated once, in rules/relations/
(`gov_lint.relations.constraints`).  This module never restates a sum.

The parser hands over `Run`s: the text of one row (or of the whole section-四
row) whose cells must be read from digits, and the cells it should fill.  Then:

1. Per run, a depth-first walk over the ways to cut the digits into cells (no
   leading zeros except "0"; at most MAX_DIGITS digits a cell; surviving spaces
   are cell boundaries, ignored only when no cut respects them; a blank cell only
   when there are fewer digits than cells, at most MAX_BLANKS).  The walk checks
   every relation that lies inside the run as soon as its cells are placed and
   keeps the readings that break the fewest (MAX_CANDIDATES at most, readings
   equal once blanks count 0 kept once).
2. Runs that share a relation form one problem (today: one table).  Every
   combination of their readings is weighed against all the relations of the
   tables (MAX_COMBINATIONS at most) and the combinations breaking the fewest
   are kept.
3. One combination that breaks nothing: its cells are taken (marked inferred
   unless the digit count alone forced them).  Several that break nothing: runs
   on which they agree are taken, the others are `DigitsAmbiguous` (P107).
   Every combination breaks something: the report is wrong whatever the split;
   the first best is taken, its cells inferred, and a `Decoded` issue on the
   table lists the broken relations and the tying readings; the relation rules
   then report the errors.

Bounds: a run longer than its cells can hold (width × MAX_DIGITS digits) is
refused after one linear pass over its text; the walk of one run is cut at
MAX_RUN_STEPS steps; the combinations of one problem at MAX_COMBINATIONS.  Work
is therefore linear in the text and bounded by a constant per run.  `STEPS`
counts the steps (tests assert the bound; no timing).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, lru_cache
from typing import Callable, Iterable

from ..model import (
    BlankPlaced,
    Cell,
    CellCount,
    Decoded,
    DigitsAmbiguous,
    DigitsUnreadable,
    Row,
    Span,
    SplitByColumns,
    Table,
)
from ..relations import TEMPLATE_IDS, Constraint, constraints
from ..templates import load_template
from .cells import read_cell

MAX_DIGITS = 6  # digits in one count cell (a million requests is beyond any report)
MAX_BLANKS = 2  # blank cells a damaged row may have lost
MAX_CANDIDATES = 64  # readings kept per run
MAX_RUN_STEPS = 4_000  # states solved per run
MAX_COMBINATIONS = 20_000  # whole-table search steps per problem
SHOWN = 8  # tying readings recorded
BLANK_COST = MAX_BLANKS + 1  # a broken relation costs more than every blank a reading may have
INF = 1 << 30


class StepCounter:
    """The decoder's work in steps: walk steps plus combinations weighed."""

    def __init__(self) -> None:
        self.steps = 0

    def reset(self) -> None:
        self.steps = 0


STEPS = StepCounter()

Value = int | Decimal | None
Ref3 = tuple[str, str, str]  # (table, row, column)


@dataclass
class Token:
    """A piece of a run between separators: its text and each character's offset in the run's text."""

    text: str
    offsets: tuple[int, ...]


@dataclass
class Run:
    """Cells of a table that must be read from one piece of text.

    `splittable`: the tokens are run-together digits (one token may hold several
    cells); otherwise each token is one whole cell (a tab row missing a cell).
    """

    table: str
    refs: tuple[tuple[str, str], ...]  # (row key, column) of each cell, in reading order
    raw: str
    span: Span
    rows: tuple[Row, ...]
    splittable: bool = True
    tokens: list[Token] = field(default_factory=list)
    token_sets: list[list[Token]] = field(default_factory=list)  # the token lists readings refer to
    readings: list[tuple[tuple[int, int, int, int] | None, ...]] = field(default_factory=list)
    internal_broken: int = 0
    status: str = ""  # "" | "long" | "budget" | "none"
    more: bool = False
    digits: int = 0

    @property
    def width(self) -> int:
        return len(self.refs)

    def text_of(self, reading) -> tuple[str, ...]:
        return tuple("" if c is None else self.piece(c) for c in reading)

    def piece(self, c: tuple[int, int, int, int]) -> str:
        """The text of a cell (token set, token, start, end)."""
        return self.token_sets[c[0]][c[1]].text[c[2] : c[3]]

    def values_of(self, reading) -> tuple[Value, ...]:
        out: list[Value] = []
        for c in reading:
            out.append(None if c is None else read_cell(self.piece(c), None).number())
        return tuple(out)

    def forced(self, reading) -> bool:
        """True when the layout alone decides the cells: no blank, one cell per token or per digit."""
        if any(c is None for c in reading):
            return False
        return len(self.tokens) == self.width or self.digits == self.width


class _Budget(Exception):
    pass


def make_run(table: str, refs: Iterable[tuple[str, str]], data: list[tuple[str, Span]], rows: Iterable[Row]) -> Run | None:
    """A Run over the filled cells of a row, or None when they are not digits / numbers.

    One filled cell is run-together text (its spaces are separators); several
    filled cells are whole cells of a tab row (each must be a number).
    """
    filled = [(raw, sp) for raw, sp in data if raw]
    if not filled:
        return None
    refs = tuple(refs)
    if len(filled) == 1:
        raw, span = filled[0]
        if not raw.replace(" ", "").isdigit():
            return None
        run = Run(table, refs, raw, span, tuple(rows), splittable=True)
        run.digits = len(raw) - raw.count(" ")
        if run.digits <= len(refs) * MAX_DIGITS:  # longer runs are refused before any work
            run.tokens = _tokens(raw)
        return run
    inner = data[data.index(filled[0]) : data.index(filled[-1]) + 1]
    if len(inner) != len(filled):
        return None  # an empty cell between numbers is a blank in its own place: nothing to decode
    for raw, _ in filled:
        if read_cell(raw, None).kind != "number":
            return None
    first, last = filled[0][1], filled[-1][1]
    line_text_start = first.col
    raw = ""  # cells of a tab row: offsets are columns relative to the first cell
    toks = []
    for text, sp in filled:
        start = sp.col - line_text_start
        toks.append(Token(text, tuple(range(start, start + len(text)))))
    run = Run(table, refs, " ".join(t for t, _ in filled), Span(first.line, first.col, last.end_col), tuple(rows),
              splittable=False, tokens=toks)
    run.digits = len(toks)
    return run


def _tokens(raw: str) -> list[Token]:
    """The digit groups of a run, split at whitespace (linear)."""
    out: list[Token] = []
    i, n = 0, len(raw)
    while i < n:
        if raw[i].isspace():
            i += 1
            continue
        j = i
        while j < n and not raw[j].isspace():
            j += 1
        out.append(Token(raw[i:j], tuple(range(i, j))))
        i = j
    return out


def _merged(tokens: list[Token]) -> list[Token]:
    """All tokens as one (the separators ignored)."""
    return [Token("".join(t.text for t in tokens), tuple(o for t in tokens for o in t.offsets))]


# --------------------------------------------------------------------------- one run


def _search(run: Run, inside: list[Constraint]) -> None:
    """Fill run.readings with the readings breaking the fewest relations inside the run.

    Run-together text keeps some spaces, but not reliably at cell boundaries
    (`3 78093057` is 37,8,0,9,3,0,57): its tokens are read as whole cells when they
    are as many as the cells (a spaced layout, or one or two short with blanks), and
    its digits are read with the spaces ignored; the cheaper of the two wins, both
    when they cost the same unless the spaced layout fits exactly.
    """
    width = run.width
    if run.splittable and run.digits > width * MAX_DIGITS:
        run.status = "long"
        return
    try:
        if not run.splittable:
            run.token_sets = [run.tokens]
            _walk(run, inside, 0, split=False)
        else:
            run.token_sets = [run.tokens, _merged(run.tokens)]
            spaced: tuple = ([], 1 << 30, False)
            if len(run.tokens) > 1 and width - MAX_BLANKS <= len(run.tokens) <= width:
                _walk(run, inside, 0, split=False)
                spaced = (run.readings, run.internal_broken if run.readings else 1 << 30, run.more)
                if run.readings and run.internal_broken == 0 and len(run.tokens) == width:
                    return
            run.readings, run.more, run.internal_broken = [], False, 0
            _walk(run, inside, 1, split=True)
            merged = (run.readings, run.internal_broken if run.readings else 1 << 30, run.more)
            if spaced[1] < merged[1]:
                run.readings, run.internal_broken, run.more = spaced
            elif spaced[1] == merged[1] and spaced[0]:
                seen = {_zeroed(run.values_of(r)) for r in merged[0]}
                run.readings = merged[0] + [r for r in spaced[0] if _zeroed(run.values_of(r)) not in seen]
                run.more = merged[2] or spaced[2]
    except _Budget:
        run.readings = []
        run.status = "budget"
        return
    if not run.readings:
        run.status = "none"


def _zeroed(values: tuple[Value, ...]) -> tuple[Value, ...]:
    return tuple(0 if v is None else v for v in values)


def _walk(run: Run, inside: list[Constraint], which: int, split: bool) -> None:
    """Dynamic programme over the cuts of token set `which` (whole tokens when not `split`).

    State: (cell i, token j, offset p, blanks left b, the partial sums of the relations
    begun but not finished).  Each state is solved once and keeps its cheapest
    suffixes (at most MAX_CANDIDATES + 1), so the work is bounded by the number of
    states, not the number of cuts.  Cost = BLANK_COST × relations broken + blanks.
    """
    width = run.width
    toks = run.token_sets[which]
    m = len(toks)
    lengths = [len(t.text) for t in toks]
    cap = [ln if split else 1 for ln in lengths]
    need = max(0, width - sum(cap))  # blanks the digit count forces
    if need > MAX_BLANKS:
        return
    # A blank where there were enough digits (`3213460` as 32,1,3,4,6,0 and a blank 总计)
    # is not tried: a blank keeps every relation through it unknown, so such readings
    # would explain away any error.  Only the blanks the digit count forces are placed.
    where = {ref: i for i, ref in enumerate(run.refs)}
    # each relation as sum(coef × cell) + const CMP 0, with the cells it uses by position
    rels = []
    for c in inside:
        coefs: dict[int, int] = {}
        for r in c.instance.lhs:
            k = where[(r.row, r.column)]
            coefs[k] = coefs.get(k, 0) + r.sign
        for r in c.instance.rhs:
            k = where[(r.row, r.column)]
            coefs[k] = coefs.get(k, 0) - r.sign
        rels.append((tuple(sorted(coefs.items())), c.instance.lhs_const - c.instance.rhs_const, c.instance.cmp))
    texts = tuple(t.text for t in toks)
    outcome = _cut(texts, which, split, width, need, tuple(sorted(rels, key=repr)))
    if outcome is None:
        raise _Budget
    STEPS.steps += 1
    cost, found, more = outcome
    if cost >= INF:
        return
    seen: set[tuple] = set()
    for cells in found:
        values = run.values_of(cells)
        key = _zeroed(values) if run.splittable else cells
        if key in seen:
            continue  # run-together readings that differ only in where a blank of a zero row sits
        seen.add(key)
        if len(run.readings) >= MAX_CANDIDATES:
            more = True
            break
        run.readings.append(cells)
    run.internal_broken = cost
    run.more = more


@lru_cache(maxsize=4096)
def _cut(texts: tuple[str, ...], which: int, split: bool, width: int, need: int, rels_key: tuple) -> tuple | None:
    """The cheapest readings of one token set (cached: zero rows and repeated rows recur);
    None when the state bound was reached."""
    m = len(texts)
    lengths = [len(t) for t in texts]
    cap = [ln if split else 1 for ln in lengths]
    rels = [(dict(coefs), const, cmp, min(dict(coefs)), max(dict(coefs))) for coefs, const, cmp in rels_key]
    min_suffix = [0] * (m + 1)
    max_suffix = [0] * (m + 1)
    for j in range(m - 1, -1, -1):
        min_suffix[j] = min_suffix[j + 1] + ((lengths[j] + MAX_DIGITS - 1) // MAX_DIGITS if split else 1)
        max_suffix[j] = max_suffix[j + 1] + cap[j]
    open_at = [[n for n, r in enumerate(rels) if r[3] < i <= r[4]] for i in range(width + 1)]
    touching = [[n for n, r in enumerate(rels) if i in r[0]] for i in range(width)]
    memo: dict[tuple, tuple[int, list, bool]] = {}
    steps = [0]
    INF = 1 << 30

    def holds(total, cmp: str) -> bool:
        return total == 0 if cmp == "==" else (total >= 0 if cmp == ">=" else total <= 0)

    def solve(i: int, j: int, p: int, b: int, partial: tuple) -> tuple[int, list, bool]:
        """(cheapest suffix cost, suffixes at that cost, more suffixes left out) from this state."""
        key = (i, j, p, b, partial)
        hit = memo.get(key)
        if hit is not None:
            return hit
        steps[0] += 1
        STEPS.steps += 1
        if steps[0] > MAX_RUN_STEPS:
            raise _Budget
        result: tuple[int, list, bool] = (INF, [], False)
        if i == width:
            result = (0, [()], False) if j == m else result
            memo[key] = result
            return result
        rest = lengths[j] - p if j < m else 0
        lo = ((rest + MAX_DIGITS - 1) // MAX_DIGITS if split else min(rest, 1)) + (min_suffix[j + 1] if j < m else 0)
        hi = (rest if split else min(rest, 1)) + (max_suffix[j + 1] if j < m else 0)
        if lo > width - i or width - i - b > hi:
            memo[key] = result
            return result
        sums = dict(zip(open_at[i], partial))
        options: list[tuple[Value, tuple | None, int, int, int]] = []
        if j < m:
            text = texts[j]
            for n in range(1, min(MAX_DIGITS, rest) + 1) if split else (rest,):
                if n > 1 and text[p] == "0" and split:
                    break  # no leading zeros
                piece = text[p : p + n]
                v = int(piece) if split else read_cell(piece, None).number()
                nj, np_ = (j + 1, 0) if p + n == lengths[j] else (j, p + n)
                options.append((v, (which, j, p, p + n), nj, np_, b))
        if b > 0:
            options.append((None, None, j, p, b - 1))
        best, found, more = INF, [], False
        for v, cell, nj, np_, nb in options:
            cost = 0 if cell is not None else 1
            new = dict(sums)
            for n in touching[i]:
                coefs, const, cmp, first, last = rels[n]
                prev = const if first == i else new.get(n)
                total = None if prev is None or v is None else prev + coefs[i] * v
                if last == i:
                    if total is not None and not holds(total, cmp):
                        cost += BLANK_COST
                    new.pop(n, None)
                else:
                    new[n] = total
            sub_cost, subs, sub_more = solve(i + 1, nj, np_, nb, tuple(new.get(n) for n in open_at[i + 1]))
            if sub_cost >= INF:
                continue
            total_cost = cost + sub_cost
            if total_cost < best:
                best, found, more = total_cost, [], False
            if total_cost == best:
                for suffix in subs:
                    if len(found) > MAX_CANDIDATES:
                        more = True
                        break
                    found.append((cell,) + suffix)
                more = more or sub_more
        result = (best, found, more)
        memo[key] = result
        return result

    try:
        cost, found, more = solve(0, 0, 0, need, ())
    except _Budget:
        return None
    return cost, tuple(found), more


# --------------------------------------------------------------------------- the whole table


@cache
def _index(tid: str, tables: frozenset[str]) -> tuple[tuple[Constraint, ...], dict[Ref3, tuple[int, ...]]]:
    """The template's constraints over `tables`, and for each cell the constraints that use it."""
    cons = constraints(tid, tables)
    by_cell: dict[Ref3, list[int]] = {}
    for n, c in enumerate(cons):
        for r in c.refs:
            by_cell.setdefault((r.table, r.row, r.column), []).append(n)
    return cons, {k: tuple(v) for k, v in by_cell.items()}


def templates_for(tables: dict[str, Table]) -> tuple[str, ...]:
    """The formats whose rows the tables hold best (both when they tie)."""
    score = {}
    for tid in TEMPLATE_IDS:
        t = load_template(tid)
        score[tid] = sum(1 for tab in ("二", "三") if tab in tables for k in tables[tab].rows if k in t.rows.get(tab, ()))
    top = max(score.values())
    return tuple(tid for tid in TEMPLATE_IDS if score[tid] == top)


def decode_tables(tables: dict[str, Table], runs: list[Run]) -> None:
    """Read every run's cells into its rows (or record why not), weighing all runs together."""
    if not runs:
        return
    tids = templates_for(tables)
    present = frozenset(tables)
    indexes = [_index(tid, present) for tid in tids]
    for run in runs:
        inside = {}
        cells = {(run.table, r, c) for r, c in run.refs}
        for cons, by_cell in indexes:
            for ref in cells:
                for n in by_cell.get(ref, ()):
                    c = cons[n]
                    if all((x.table, x.row, x.column) in cells for x in c.refs):
                        inside[(c.code, c.instance)] = c
        if run.tokens:
            _search(run, list(inside.values()))
        elif run.status == "":
            run.status = "long"
    live = [r for r in runs if r.readings]
    for run in runs:
        if not run.readings:
            _unreadable(run)
    for group in _components(live, indexes):
        _decide(tables, group, indexes)


def _components(runs: list[Run], indexes) -> list[list[Run]]:
    """Runs grouped by the relations they share (union-find)."""
    parent = list(range(len(runs)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    owner: dict[tuple[int, int], int] = {}
    for i, run in enumerate(runs):
        for k, (_, by_cell) in enumerate(indexes):
            for r, c in run.refs:
                for n in by_cell.get((run.table, r, c), ()):
                    j = owner.setdefault((k, n), i)
                    if find(j) != find(i):
                        parent[find(i)] = find(j)
    groups: dict[int, list[Run]] = {}
    for i, run in enumerate(runs):
        groups.setdefault(find(i), []).append(run)
    return list(groups.values())


def _fixed_value(tables: dict[str, Table]) -> Callable[[Ref3], Value]:
    def value(ref: Ref3) -> Value:
        t = tables.get(ref[0])
        cell = t.cell(ref[1], ref[2]) if t else None
        if cell is None or cell.kind not in ("number", "dash"):
            return None  # blank: unknown while decoding (the rules decide what it needed)
        return cell.number()

    return value


def _decide(tables: dict[str, Table], group: list[Run], indexes) -> None:
    """Choose the combination of the group's readings that breaks the fewest relations."""
    fixed = _fixed_value(tables)
    current: dict[Ref3, Value] = {}

    def value(r) -> Value:
        key = (r.table, r.row, r.column)
        return current[key] if key in current else fixed(key)

    def assign(run: Run, reading) -> None:
        for (row, col), v in zip(run.refs, run.values_of(reading)):
            current[(run.table, row, col)] = v

    multi = [run for run in group if len(run.readings) > 1]
    for run in group:
        assign(run, run.readings[0])
    order = {id(run): k for k, run in enumerate(multi)}
    # per template: constraints fixed once the singles are placed, and those completed by multi run k
    plans = []
    for cons, by_cell in indexes:
        ns = sorted({n for run in group for r, c in run.refs for n in by_cell.get((run.table, r, c), ())})
        static: list[Constraint] = []
        at: list[list[Constraint]] = [[] for _ in multi]
        owner = {(run.table, r, c): order.get(id(run), -1) for run in group for r, c in run.refs}
        for n in ns:
            c = cons[n]
            last = max(owner.get((x.table, x.row, x.column), -1) for x in c.refs)
            (static if last < 0 else at[last]).append(c)
        plans.append((static, at))
    steps = [0]
    best: list = [None, [], ()]  # cost, combos, codes of the first best
    budget_hit = False
    singles_blanks = sum(run.readings[0].count(None) for run in group if id(run) not in order)

    for static, at in plans:
        base = [c.code for c in static if c.holds(value) is False]
        chosen: list = [None] * len(multi)

        def walk(k: int, cost: int, codes: list[str]) -> None:
            steps[0] += 1
            STEPS.steps += 1
            if steps[0] > MAX_COMBINATIONS:
                raise _Budget
            if best[0] is not None and (cost > best[0] or (cost == best[0] and len(best[1]) > SHOWN)):
                return  # worse than the best, or a tie when enough ties are known already
            if k == len(multi):
                if best[0] is None or cost < best[0]:
                    best[0], best[1], best[2] = cost, [tuple(chosen)], tuple(codes)
                elif len(best[1]) <= SHOWN and tuple(chosen) not in best[1]:
                    best[1].append(tuple(chosen))
                return
            for reading in multi[k].readings:
                assign(multi[k], reading)
                chosen[k] = reading
                failed = [c.code for c in at[k] if c.holds(value) is False]
                STEPS.steps += len(at[k])
                walk(k + 1, cost + BLANK_COST * len(failed) + reading.count(None), codes + failed)

        try:
            walk(0, BLANK_COST * len(base) + singles_blanks, base)
        except _Budget:
            budget_hit = True
            break
    best_n = (best[0] // BLANK_COST) if best[0] is not None else 0
    truncated = any(run.more for run in multi)
    if budget_hit or best[0] is None or (best_n > 0 and truncated):
        # too many readings to weigh, or the best might have been among those not kept
        for run in multi:
            _ambiguous(run, run.readings, more=True)
        for run in group:
            if id(run) not in order:
                _take(run, run.readings[0], inferred=best_n > 0 or not run.forced(run.readings[0]))
        return
    combos = best[1]
    if best_n == 0:
        for k, run in enumerate(multi):
            options = list(dict.fromkeys(combo[k] for combo in combos))
            if len(options) == 1:
                _take(run, options[0], inferred=True)
                run.rows[0].problems.append(SplitByColumns())
            else:
                _ambiguous(run, options, more=len(combos) > SHOWN)
        for run in group:
            if id(run) not in order:
                _take(run, run.readings[0], inferred=not run.forced(run.readings[0]))
        return
    picks = dict(zip(map(id, multi), combos[0]))
    for run in group:
        _take(run, picks.get(id(run), run.readings[0]), inferred=True)

    def shown(combo) -> tuple[tuple[str, tuple[str, ...]], ...]:
        chosen = dict(zip(map(id, multi), combo))
        out = []
        for run in group:
            texts = run.text_of(chosen.get(id(run), run.readings[0]))
            for row in dict.fromkeys(r for r, _ in run.refs):
                out.append((row, tuple(t for (r, _), t in zip(run.refs, texts) if r == row)))
        return tuple(out)

    readings = 1
    for run in multi:
        readings *= len(run.readings)
    tables[group[0].table].issues.append(
        Decoded(broken=best_n, codes=best[2], chosen=shown(combos[0]),
                ties=tuple(shown(c) for c in combos[1:SHOWN]), readings=readings))


def _take(run: Run, reading, inferred: bool) -> None:
    """Write a reading's cells into the run's rows."""
    line, col0 = run.span.line, run.span.col
    last = col0
    blank_places = 0
    for (row_key, column), c in zip(run.refs, reading):
        if c is None:
            cell = Cell("", None, "blank", Span(line, last, last))
            blank_places += 1
        else:
            tok = run.token_sets[c[0]][c[1]]
            a, b = col0 + tok.offsets[c[2]], col0 + tok.offsets[c[3] - 1] + 1
            cell = read_cell(run.piece(c), Span(line, a, b))
            last = b
        cell.inferred = inferred and run.splittable
        row = next(r for r in run.rows if r.key == row_key)
        row.cells[column] = cell
    if blank_places:
        run.rows[0].problems.append(BlankPlaced(len(run.readings)))


def _ambiguous(run: Run, readings, more: bool) -> None:
    shown = tuple(run.text_of(r) for r in readings[:3])
    for row in run.rows:
        if run.splittable:
            row.problems.append(DigitsAmbiguous(run.raw, shown, more or len(readings) > 3, True))
        else:
            row.problems.append(CellCount(len(run.tokens)))


def _unreadable(run: Run) -> None:
    for row in run.rows:
        if run.splittable:
            row.problems.append(DigitsUnreadable(run.raw, run.digits, run.width * MAX_DIGITS, run.status or "none"))
        else:
            row.problems.append(CellCount(len(run.tokens)))
