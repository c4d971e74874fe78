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
   then report the errors.  Except for a row that breaks its own sum in every reading kept (a
   blank counting 0) but keeps it with more of its cells blank (`605873`: 60, ·, ·, ·, 5, 8, 73;
   zeros printed blank vanish from run-together text): it is `DigitsUnreadable` ("blanks",
   P107), and the rest of the group is decided without it.  A blank next to a "0" has no
   known place (`BlankPlaced.known`): either side reads the same values.

Bounds: a run longer than its cells can hold (width × MAX_DIGITS digits) is
refused after one linear pass over its text; the walk of one run is cut at
MAX_RUN_STEPS steps (and so is the walk with more blanks, `_lost_blanks_fit`, for at most
MAX_LOST_TRIES runs of a wrong table); the combinations of one problem at MAX_COMBINATIONS
(once more per run whose best reading the kept ties cannot show to be the only one).  Work
is therefore linear in the text and bounded by a constant per run.  `STEPS`
counts the steps (tests assert the bound; no timing).
"""

from __future__ import annotations

import gc
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, lru_cache
from typing import Iterable, Iterator, NamedTuple, Sequence

from ..model import (
    BlankPlaced,
    Cell,
    CellCount,
    Decoded,
    DigitsAmbiguous,
    DigitsUnreadable,
    ProseChose,
    Row,
    Span,
    SplitByColumns,
    Table,
)
from ..relations import TEMPLATE_IDS, Constraint, constraints
from ..templates import load_template
from .cells import _meaning as cell_meaning, read_cell

MAX_DIGITS = 6  # digits in one count cell (a million requests is beyond any report)
MAX_BLANKS = 2  # blank cells a damaged row may have lost
MAX_CANDIDATES = 64  # readings kept per run
MAX_RUN_STEPS = 4_000  # states solved per pass over a run
RUN_STEPS = 2 * MAX_RUN_STEPS  # two passes: readings that break nothing, then all readings
MAX_COMBINATIONS = 20_000  # whole-table search steps per problem
SHOWN = 8  # tying readings recorded
REFINE_ROUNDS = 3  # rounds of reading a run again under the rest of the table
MAX_BLANK_TRIES = 4  # runs of one group tried with a lost cell
MAX_LOST_TRIES = 40  # runs of one wrong table tried with lost blank cells (`_lost_blanks_fit`)
REPAIR_CELLS, REPAIR_NODES = 5, 5000  # searched within these bounds (rules/localise.py: locate)
BLANK_COST = MAX_BLANKS + 1  # a broken relation costs more than every blank a reading may have
# … and in the whole-table search more than every blank of every run of a table (a table has some
# 30 rows, MAX_BLANKS blanks each at most): summed over several runs, blanks must never add up to
# what looks like a broken relation (a tab table with three blanks placed was "wrong whatever the split")
GROUP_BROKEN = 1 << 10
NEAR_SLACK = 2 * GROUP_BROKEN  # a wrong table: readings breaking up to two relations more are compared …
NEAR_KEPT = 12  # … (at most this many) by the cells that must change,
INF = 1 << 30


def step_bound(runs: int, groups: int, relations: int) -> int:
    """The most steps `decode_tables` counts for `runs` runs in `groups` groups, when the
    relations completed at one run of a group are at most `relations`: per run, two token
    sets of two passes, plus a pass for each round of reading it again, for a lost cell and
    for lost blank cells (`_lost_blanks_fit`), and a weigh to show its best reading is the only
    one (`_other_best`);
    per group, the whole-table weighs (the first, REFINE_ROUNDS rounds, the baseline and
    MAX_BLANK_TRIES trials of a lost cell, the one after it, the comparison by cells to
    change), twice when rows that lost blank cells are set aside, each at most MAX_COMBINATIONS
    steps of at most `relations` relations each.
    Linear in the runs: the tests hold the decoder to it (no timing)."""
    per_run = (4 + REFINE_ROUNDS + 1 + 1) * (MAX_RUN_STEPS + 2)  # (+1: the walk with lost blanks)
    weighs = 2 * (4 + REFINE_ROUNDS + MAX_BLANK_TRIES)  # (twice: again without the rows that lost blanks)
    weigh = (MAX_COMBINATIONS + 1) * (1 + relations)
    return runs * (per_run + 2 * weigh) + groups * weighs * weigh  # (2 per run: `_other_best`, in each decision)


class StepCounter:
    """The decoder's work in steps: walk steps plus combinations weighed."""

    def __init__(self) -> None:
        self.steps = 0

    def reset(self) -> None:
        self.steps = 0


STEPS = StepCounter()

Value = int | Decimal | None
Ref3 = tuple[str, str, str]  # (table, row, column)


class Token(NamedTuple):
    """A piece of a run between separators: its text and each character's offset in the run's text.

    A tuple of plain values, so the runs kept by `_searched` give the garbage collector nothing
    to walk (a run-together report otherwise pays for full collections over them)."""

    text: str
    offsets: Sequence[int]  # (a range when the characters are contiguous)


@dataclass(slots=True)
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
    tokens: Sequence[Token] = ()
    token_sets: Sequence[Sequence[Token]] = ()  # the token lists readings refer to
    readings: list[tuple[tuple[int, int, int, int] | None, ...]] = ()  # (a list once searched)
    internal_broken: int = 0
    status: str = ""  # "" | "long" | "budget" | "none"
    more: bool = False
    digits: int = 0
    known: dict | None = field(default=None, repr=False, compare=False)  # reading → its values (`values_of`)
    placed: dict | None = field(default=None, repr=False, compare=False)  # reading → its cells (`placed_of`)
    _keys: tuple | None = field(default=None, repr=False, compare=False)
    _shape: int = field(default=-1, repr=False, compare=False)

    @property
    def width(self) -> int:
        return len(self.refs)

    @property
    def shape(self) -> int:
        """A small number for (table, refs), the same for every run over the same cells: the
        decoder's caches of what depends on the cells alone are keyed by it (one hash of the
        refs per run instead of one per look-up)."""
        got = self._shape
        if got < 0:
            key = (self.table, self.refs)
            got = _SHAPES.get(key, -1)
            if got < 0:
                got = _SHAPES[key] = len(_SHAPE_LIST)
                _SHAPE_LIST.append(key)
            self._shape = got
        return got

    def text_of(self, reading) -> tuple[str, ...]:
        return tuple("" if c is None else self.piece(c) for c in reading)

    def piece(self, c: tuple[int, int, int, int]) -> str:
        """The text of a cell (token set, token, start, end)."""
        return self.token_sets[c[0]][c[1]].text[c[2] : c[3]]

    def values_of(self, reading) -> tuple[Value, ...]:
        """The cells' values of a reading (kept per reading: the whole-table search asks often)."""
        known = self.known
        if known is None:
            known = self.known = {}
        got = known.get(reading)
        if got is None:
            sets = self.token_sets
            got = known[reading] = tuple(None if c is None else _number(sets[c[0]][c[1]].text[c[2] : c[3]])
                                              for c in reading)
        return got

    def placed_of(self, reading) -> tuple:
        """Per cell of a reading: None for a blank, else (text, value, kind, unit, signed, start,
        end), start and end its columns relative to the run's (kept per reading: a recurring
        row's cells are read once)."""
        placed = self.placed
        if placed is None:
            placed = self.placed = {}
        got = placed.get(reading)
        if got is None:
            sets = self.token_sets
            out = []
            for c in reading:
                if c is None:
                    out.append(None)
                    continue
                tok = sets[c[0]][c[1]]
                text = tok.text[c[2] : c[3]]
                offsets = tok.offsets
                out.append((text, *cell_meaning(text), offsets[c[2]], offsets[c[3] - 1] + 1))
            got = placed[reading] = tuple(out)
        return got

    @property
    def keys(self) -> tuple[Ref3, ...]:
        """(table, row, column) of each cell, in reading order (worked out once per run)."""
        keys = self._keys
        if keys is None:
            table = self.table
            keys = self._keys = tuple([(table, row, col) for row, col in self.refs])
        return keys

    def forced(self, reading) -> bool:
        """True when the layout alone decides the cells: no blank, one cell per token or per digit."""
        if None in reading:
            return False
        return len(self.tokens) == self.width or self.digits == self.width


# every (table, refs) a run has covered, numbered (`Run.shape`): the refs are template rows and
# columns, so there are as many as the templates have ways to group cells into runs
_SHAPES: dict[tuple[str, tuple[tuple[str, str], ...]], int] = {}
_SHAPE_LIST: list[tuple[str, tuple[tuple[str, str], ...]]] = []


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
        toks.append(Token(text, range(start, start + len(text))))
    run = Run(table, refs, " ".join(t for t, _ in filled), Span(first.line, first.col, last.end_col), tuple(rows),
              splittable=False, tokens=toks)
    run.digits = len(toks)
    return run


@lru_cache(maxsize=4096)
def _tokens(raw: str) -> tuple[Token, ...]:
    """The digit groups of a run, split at whitespace (linear; kept: rows recur, and the list
    is only read)."""
    return tuple(Token(m.group(), range(m.start(), m.end())) for m in _GROUP.finditer(raw))


_GROUP = re.compile(r"\S+")


def _merged(tokens: Sequence[Token]) -> Sequence[Token]:
    """All tokens as one (the separators ignored)."""
    if len(tokens) == 1:
        return tokens
    return (Token("".join(t.text for t in tokens), tuple(o for t in tokens for o in t.offsets)),)


# --------------------------------------------------------------------------- one run


def _search(run: Run, inside: tuple) -> None:
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
    run.readings = []
    try:
        if not run.splittable:
            run.token_sets = (run.tokens,)
            _walk(run, inside, 0, split=False)
        else:
            run.token_sets = (run.tokens, _merged(run.tokens))
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


# every tuple of relations inside a run met so far, numbered (`_shape_relations`; as many as
# there are shapes of runs)
_RELATIONS: dict[tuple, int] = {}
_RELATION_LIST: list[tuple] = []


@lru_cache(maxsize=4096)
def _searched_by(raw: str, width: int, inside: int) -> tuple:
    """`_searched` with the relations given by their number (hashing the number instead of the
    relations on every look-up)."""
    return _searched(raw, width, _RELATION_LIST[inside])


def _searched(raw: str, width: int, inside: tuple) -> tuple:
    """`_search` of run-together text, kept (`_searched_by`): its outcome depends only on the
    text, the number of cells and the relations inside the run, and rows (a row of zeros, a row of a template
    block) recur report after report.  Returns the run's token sets, readings, internal cost,
    status, `more` and its values by reading (shared: they depend on the token sets alone)."""
    probe = Run("", tuple(("", str(k)) for k in range(width)), raw, Span(0, 0, 0), ())
    probe.digits = len(raw) - raw.count(" ")
    probe.tokens = _tokens(raw)
    _search(probe, inside)
    if probe.known is None:
        probe.known = {}  # (shared by the runs over this text: values_of fills it)
    if probe.placed is None:
        probe.placed = {}  # (shared the same way: placed_of fills it)
    return (probe.token_sets, tuple(probe.readings), probe.internal_broken, probe.status, probe.more, probe.known,
            probe.placed)


def _zeroed(values: tuple[Value, ...]) -> tuple[Value, ...]:
    return tuple(0 if v is None else v for v in values)


def _walk(run: Run, rels: tuple, which: int, split: bool) -> None:
    """Dynamic programme over the cuts of token set `which` (whole tokens when not `split`).

    State: (cell i, token j, offset p, blanks left b, the partial sums of the relations
    begun but not finished).  Each state is solved once and keeps its cheapest
    suffixes (at most MAX_CANDIDATES + 1), so the work is bounded by the number of
    states, not the number of cuts.  Cost = BLANK_COST × relations broken + blanks.
    """
    width = run.width
    toks = run.token_sets[which]
    lengths = [len(t.text) for t in toks]
    cap = [ln if split else 1 for ln in lengths]
    need = max(0, width - sum(cap))  # blanks the digit count forces
    if need > MAX_BLANKS:
        return
    # A blank where there were enough digits (`3213460` as 32,1,3,4,6,0 and a blank 总计)
    # is not tried: a blank keeps every relation through it unknown, so such readings
    # would explain away any error.  Only the blanks the digit count forces are placed.
    texts = tuple(t.text for t in toks)
    outcome = _cut(texts, which, split, width, need, rels)
    if outcome is None:
        raise _Budget
    STEPS.steps += 1
    cost, found, more = outcome
    if cost >= INF:
        return
    seen: set[tuple] = set()
    if len(found) == 1 and not run.readings:
        found, run.readings = (), [found[0]]  # (nothing to tell apart)
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
    None when the state bound was reached.

    Two passes.  The first keeps only readings that break no relation (`_exact`).
    Most runs have one, and that pass visits a small part of the states.  When it
    finds none, the second weighs every reading by what it breaks (`_Plan.full`).
    Each pass stops at MAX_RUN_STEPS steps; the first giving up only means the second
    runs, so a run costs at most RUN_STEPS = 2 × MAX_RUN_STEPS steps.
    """
    try:
        outcome = _exact(texts, which, split, width, need, rels_key, [0])
    except _Budget:
        outcome = (INF, [], False)
    try:
        if outcome[0] >= INF:
            outcome = _Plan(texts, split, width, rels_key, [0]).full(which, need)
    except _Budget:
        return None
    cost, found, more = outcome
    return cost, tuple(found), more


def _exact(texts: tuple[str, ...], which: int, split: bool, width: int, need: int, rels_key: tuple,
           budget: list[int]) -> tuple[int, list, bool]:
    """The readings that break no relation, in the order the full walk finds them.

    When the run's last cell closes a relation (a row's 总计), each way to read that
    cell is tried first (at most MAX_DIGITS, and a blank): its value is then known,
    and the walk over the other cells prunes every partial sum the digits left can
    no longer bring to it.  Otherwise the walk starts at the first cell.
    """
    last = width - 1
    if not (split and texts and width > 1 and any(coefs[-1][0] == last for coefs, _, _ in rels_key)):
        if split and len(texts) <= 1:
            return _exact_digits(texts[0] if texts else "", which, width, rels_key, need, budget)
        return _Plan(texts, split, width, rels_key, budget).exact(which, need)
    tail = texts[-1]
    size = len(tail)
    choices: list[tuple[Value, int]] = []
    for n in range(1, min(MAX_DIGITS, size) + 1):
        if n == 1 or tail[size - n] != "0":
            choices.append((int(tail[size - n :]), n))
    if need > 0:
        choices.append((None, 0))
    readings: list[tuple] = []
    more = False
    for v, n in choices:
        rels = _substitute(rels_key, last, v)
        if rels is None:
            continue  # this value breaks a relation it closes on its own
        if v is None:
            sub_texts, sub_need, cell = texts, need - 1, None
        else:
            sub_texts = texts[:-1] + ((tail[: size - n],) if n < size else ())
            sub_need, cell = need, (which, len(texts) - 1, size - n, size)
        if sum(len(t) for t in sub_texts) == 0 and last > sub_need:
            continue
        if sub_need == 0 and _sum_out_of_reach(rels, last, size - n + sum(len(t) for t in texts[:-1]),
                                               _digit_sum(sub_texts)):
            continue
        if len(sub_texts) <= 1:  # (split: one run of digits)
            cost, found, sub_more = _exact_digits(sub_texts[0] if sub_texts else "", which, last, rels, sub_need, budget)
        else:
            cost, found, sub_more = _Plan(sub_texts, split, last, rels, budget).exact(which, sub_need)
        if cost >= INF:
            continue
        more = more or sub_more
        readings.extend(f + (cell,) for f in found)
    if not readings:
        return INF, [], False
    readings.sort(key=_walk_order)
    if len(readings) > MAX_CANDIDATES + 1:
        readings, more = readings[: MAX_CANDIDATES + 1], True
    return need, readings, more


def _digit_sum(texts: Iterable[str]) -> int:
    """The sum of the digits of the texts."""
    return sum(map(int, "".join(texts)))


def _sum_out_of_reach(rels: tuple, width: int, digits: int, digit_sum: int | None = None) -> bool:
    """Whether a relation over exactly the `width` cells with one coefficient (a row's parts once
    its 总计 is read) asks for a sum that no cut of `digits` digits into `width` cells can
    make: each cell of a sum S prints at most len(str(S)) digits, and no cell more than
    min(MAX_DIGITS, digits − width + 1).  With the digits' `digit_sum` also: a number is at
    least the sum of its digits and leaves the same remainder by 9, so every cut's sum is at
    least `digit_sum` and equal to it modulo 9.  (A necessary condition only: the walk decides
    the rest; this spares it the totals the digits already rule out.)"""
    for coefs, const, cmp in rels:
        if cmp != "==" or len(coefs) != width or type(const) is not int:
            continue
        c = coefs[0][1]
        if any(k != pos or co != c for pos, (k, co) in enumerate(coefs)):
            continue
        total, r = divmod(-const, c)
        if r or total < 0:
            return True
        if digit_sum is not None and (total < digit_sum or (total - digit_sum) % 9):
            return True
        longest = min(MAX_DIGITS, digits - width + 1)
        return longest < 1 or digits > width * min(MAX_DIGITS, len(str(total))) or total > width * _NINES[longest]
    return False


def _walk_order(reading: tuple) -> tuple:
    """The order the walk meets readings in: shorter cells first, a blank after every digit cell."""
    return tuple((1, 0) if c is None else (0, c[3] - c[2]) for c in reading)


def _substitute(rels_key: tuple, at: int, v: Value) -> tuple | None:
    """The relations with cell `at` read as v (a blank makes its relations unknown: dropped);
    None when a relation left with no cell does not hold."""
    out = []
    for coefs, const, cmp in rels_key:
        if coefs[-1][0] != at:
            out.append((coefs, const, cmp))
            continue
        if v is None:
            continue
        const = const + coefs[-1][1] * v
        rest = coefs[:-1]
        if not rest:
            if not _holds(const, cmp):
                return None
            continue
        out.append((rest, const, cmp))
    return tuple(out)


def _holds(total, cmp: str) -> bool:
    return total == 0 if cmp == "==" else (total >= 0 if cmp == ">=" else total <= 0)


@lru_cache(maxsize=256)
def _shape(width: int, rels: tuple) -> tuple:
    """Where each relation lies in a run of `width` cells (the same for every row of a table):
    the relations as (coefficients by position, comparison, first, last); the relations open
    before cell i; those using cell i; each relation's sums of positive and of negative
    coefficients from cell i on; and the relation whose cells left from i on are exactly
    cells i… with one coefficient (None when there is none)."""
    out = tuple((dict(coefs), cmp, coefs[0][0], coefs[-1][0]) for coefs, cmp in rels)
    open_at = [[n for n, r in enumerate(out) if r[2] < i <= r[3]] for i in range(width + 1)]
    touching = [[n for n, r in enumerate(out) if i in r[0]] for i in range(width)]
    ahead = [[(sum(c for k, c in r[0].items() if k >= i and c > 0), sum(c for k, c in r[0].items() if k >= i and c < 0))
              for i in range(width + 1)] for r in out]
    tail: list[tuple[int, int] | None] = [None] * (width + 1)
    for i in range(width):
        for n, r in enumerate(out):
            rest = {k: c for k, c in r[0].items() if k >= i}
            if set(rest) == set(range(i, width)) and len(set(rest.values())) == 1:
                tail[i] = (n, rest[i])
                break
    return out, open_at, touching, ahead, tail


@lru_cache(maxsize=256)
def _digit_walk(width: int, rels: tuple) -> tuple:
    """What `_Plan._exact_digits` needs per cell, for relations given as (coefficients,
    comparison) (the same for every row of a table; constants are added per run): the
    relations ending at cell i as (slot in the partial sums or -1, coefficient, relation,
    comparison); for each relation open after i, (slot or -1, coefficient at i, relation);
    the relations open before i as (slot, sums of their positive and negative coefficients
    from i on, comparison); and the relation over exactly the cells from i on, as (slot,
    coefficient, comparison), or None."""
    shape = _shape(width, rels)
    out, open_at, _touching, ahead_all, tail = shape
    ends, nexts, ahead, tails = [], [], [], []
    for i in range(width):
        slot = {n: k for k, n in enumerate(open_at[i])}
        ends.append(tuple((slot.get(n, -1), r[0][i], n, r[1]) for n, r in enumerate(out) if r[3] == i))
        nexts.append(tuple((slot.get(n, -1), out[n][0].get(i, 0), n) for n in open_at[i + 1]))
        ahead.append(tuple((k, ahead_all[n][i][0], ahead_all[n][i][1], out[n][1]) for k, n in enumerate(open_at[i])))
    for i in range(width + 1):
        t = tail[i] if i < width else None
        slots = {n: k for k, n in enumerate(open_at[i])}
        tails.append((slots[t[0]], t[1], out[t[0]][1]) if t is not None and t[0] in slots else None)
    return tuple(ends), tuple(nexts), tuple(ahead), tuple(tails)


class _Plan:
    """What both passes of `_cut` share: the token set, and each relation by cell position.

    `blank_value`: what a blank cell counts in the relations (None: unknown, the usual; 0 for
    `_lost_blanks_fit`)."""

    blank_value: Value = None

    def __init__(self, texts: tuple[str, ...], split: bool, width: int, rels_key: tuple, budget: list[int]) -> None:
        self.texts = texts
        self.split = split
        self.width = width
        m = self.m = len(texts)
        lengths = self.lengths = [len(t) for t in texts]
        cap = [ln if split else 1 for ln in lengths]
        shape = _shape(width, tuple((coefs, cmp) for coefs, _, cmp in rels_key))
        # relation n: (coefficients by position, constant, comparison, first position, last position)
        self.rels = [(coefs, rel[1], cmp, first, last) for rel, (coefs, cmp, first, last) in zip(rels_key, shape[0])]
        self.open_at, self.touching, self.ahead, self.tail = shape[1:]
        self.min_suffix = [0] * (m + 1)
        self.max_suffix = [0] * (m + 1)
        for j in range(m - 1, -1, -1):
            self.min_suffix[j] = self.min_suffix[j + 1] + ((lengths[j] + MAX_DIGITS - 1) // MAX_DIGITS if split else 1)
            self.max_suffix[j] = self.max_suffix[j + 1] + cap[j]
        self.budget = budget  # [steps taken] shared by the walks of one pass
        self.rels_key = rels_key

    def _count(self) -> None:
        self.budget[0] += 1
        STEPS.steps += 1
        if self.budget[0] > MAX_RUN_STEPS:
            raise _Budget

    def _room(self, i: int, j: int, p: int, b: int) -> bool:
        """Whether the cells from i on can still take the text from (token j, offset p)."""
        rest = self.lengths[j] - p if j < self.m else 0
        after = (self.min_suffix[j + 1], self.max_suffix[j + 1]) if j < self.m else (0, 0)
        split = self.split
        lo = ((rest + MAX_DIGITS - 1) // MAX_DIGITS if split else min(rest, 1)) + after[0]
        hi = (rest if split else min(rest, 1)) + after[1]
        return not (lo > self.width - i or self.width - i - b > hi)

    def _options(self, which: int, i: int, j: int, p: int, b: int, forced: Value = None) -> list[tuple]:
        """(value, cell, next token, next offset, blanks left) for each way to fill cell i
        (with `forced`, only that value or a blank)."""
        options: list[tuple] = []
        if isinstance(forced, int) and self.split and j < self.m:
            piece = str(forced)
            n = len(piece)
            if forced >= 0 and n <= MAX_DIGITS and self.texts[j].startswith(piece, p):
                nj, np_ = (j + 1, 0) if p + n == self.lengths[j] else (j, p + n)
                options.append((forced, (which, j, p, p + n), nj, np_, b))
        elif j < self.m:
            text = self.texts[j]
            rest = self.lengths[j] - p
            split = self.split
            for n in range(1, min(MAX_DIGITS, rest) + 1) if split else (rest,):
                if n > 1 and text[p] == "0" and split:
                    break  # no leading zeros
                piece = text[p : p + n]
                v = int(piece) if split else _number(piece)
                nj, np_ = (j + 1, 0) if p + n == self.lengths[j] else (j, p + n)
                options.append((v, (which, j, p, p + n), nj, np_, b))
        if b > 0:
            options.append((self.blank_value, None, j, p, b - 1))
        return options

    def _step(self, i: int, sums: dict, v: Value) -> tuple[int, dict]:
        """Relations broken by putting v at cell i, and the partial sums after it."""
        broken = 0
        new = dict(sums)
        for n in self.touching[i]:
            coefs, const, cmp, first, last = self.rels[n]
            prev = const if first == i else new.get(n)
            total = None if prev is None or v is None else prev + coefs[i] * v
            if last == i:
                if total is not None and not _holds(total, cmp):
                    broken += 1
                new.pop(n, None)
            else:
                new[n] = total
        return broken, new

    def _forced(self, i: int, sums: dict) -> Value:
        """The value an equality ending at cell i gives it (-1: no whole number ≥ 0 fits; None: free)."""
        for n in self.touching[i]:
            coefs, const, cmp, first, last = self.rels[n]
            if last != i or cmp != "==":
                continue
            prev = const if first == i else sums.get(n)
            if prev is None:
                continue
            q, r = divmod(-prev, coefs[i])
            return q if r == 0 and q >= 0 else -1
        return None

    def exact(self, which: int, need: int) -> tuple[int, list, bool]:
        """Readings that break nothing (cost: their blanks), or (INF, [], False)."""
        if self.split and self.m <= 1:
            return _exact_digits(self.texts[0] if self.m else "", which, self.width, self.rels_key, need, self.budget)
        return self._tokens_search(which, need, exact=True)  # whole tokens: a spaced layout, a tab row missing a cell

    def full(self, which: int, need: int) -> tuple[int, list, bool]:
        """The cheapest readings, weighing every reading by what it breaks."""
        return self._tokens_search(which, need, exact=False)

    def _tokens_search(self, which: int, need: int, exact: bool) -> tuple[int, list, bool]:
        """The memoised walk over the cuts of the token set, for both passes.

        State: (cell i, token j, offset p, blanks left b, the partial sums of the relations
        open before i); each state is solved once and keeps its cheapest suffixes (at most
        MAX_CANDIDATES + 1).  `exact`: only readings that break nothing (an equality that
        closes at cell i gives it its value; a broken relation ends the reading), each
        costing its blanks; otherwise every reading, costing BLANK_COST × relations broken +
        blanks."""
        memo: dict[tuple, tuple[int, list, bool]] = {}
        width, m = self.width, self.m
        open_at = self.open_at

        def solve(i: int, j: int, p: int, b: int, partial: tuple) -> tuple[int, list, bool]:
            key = (i, j, p, b, partial)
            hit = memo.get(key)
            if hit is not None:
                return hit
            self._count()
            result: tuple[int, list, bool] = (INF, [], False)
            if i == width:
                result = (0, [()], False) if j == m else result
                memo[key] = result
                return result
            if not self._room(i, j, p, b):
                memo[key] = result
                return result
            sums = dict(zip(open_at[i], partial))
            forced = self._forced(i, sums) if exact else None
            best, found, more = INF, [], False
            for v, cell, nj, np_, nb in self._options(which, i, j, p, b, forced):
                if v is not None and forced is not None and v != forced:  # (a forced Decimal: options not cut short)
                    continue
                broken, new = self._step(i, sums, v)
                if broken and exact:
                    continue
                sub_cost, subs, sub_more = solve(i + 1, nj, np_, nb, tuple(new.get(n) for n in open_at[i + 1]))
                if sub_cost >= INF:
                    continue
                total_cost = BLANK_COST * broken + (cell is None) + sub_cost
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
            return solve(0, 0, 0, need, ())
        finally:
            solve = None  # noqa: F841 - a recursive closure is a reference cycle (function ↔ its cell): break it so the memo is freed now, not by the cyclic collector


class _DigitRanges:
    """ranges(k, p): the least and the greatest sum of k cells cut from `text` at offset p on;
    None when it cannot be cut into k cells.  Memoised: k × offsets entries, each a step
    (counted in the budget of the `_exact_digits` walk that asks).
    (A class, not a recursive closure: a closure that calls itself is a reference cycle,
    left for the cyclic garbage collector with its whole memo.)"""

    def __init__(self, text: str, budget: list[int]) -> None:
        self.text, self.size, self.budget = text, len(text), budget
        self.memo: dict[tuple[int, int], tuple[int, int] | None] = {}

    def __call__(self, k: int, p: int) -> tuple[int, int] | None:
        memo, text, size = self.memo, self.text, self.size
        key = (k, p)
        if key in memo:
            return memo[key]
        self.budget[0] += 1  # (STEPS gets the budget's steps when the walk that asks ends)
        if self.budget[0] > MAX_RUN_STEPS:
            raise _Budget
        out: tuple[int, int] | None = None
        if k == 0:
            out = (0, 0) if p == size else None
        elif size - p >= k:
            lo = hi = None
            for n in range(1, min(MAX_DIGITS, size - p - k + 1) + 1):
                if n > 1 and text[p] == "0":
                    break
                sub = memo[(k - 1, p + n)] if (k - 1, p + n) in memo else self(k - 1, p + n)
                if sub is not None:
                    v = int(text[p : p + n])
                    if lo is None or v + sub[0] < lo:
                        lo = v + sub[0]
                    if hi is None or v + sub[1] > hi:
                        hi = v + sub[1]
            if lo is not None:
                out = (lo, hi)
        memo[key] = out
        return out


_NINES = tuple(10**k - 1 for k in range(MAX_DIGITS + 1))  # the largest number of k digits


def _exact_digits(text: str, which: int, width: int, rels_key: tuple, need: int,
                  budget: list[int]) -> tuple[int, list, bool]:
    """`_Plan.exact` for one run of digits (the common case): `_exact_sum` when the run's one
    relation is a sum of all its cells and no cell is blank (a row's parts once its 总计 is
    read), else `_exact_walk`."""
    if need == 0 and len(rels_key) == 1:
        coefs, const, cmp = rels_key[0]
        c = _one_sum(coefs, width) if cmp == "==" and type(const) is int else 0
        if c:
            return _exact_sum(text, which, width, c, const, budget)
    return _exact_walk(text, which, width, rels_key, need, budget)


def _exact_walk(text: str, which: int, width: int, rels_key: tuple, need: int,
                budget: list[int]) -> tuple[int, list, bool]:
    """The walk of `_Plan._tokens_search` for one run of digits
    with the state (cell i, offset p, blanks left b, partial sums) and the bookkeeping inlined,
    and no plan object (the tail-first walk of `_exact` calls it for each reading of the last cell).

    Steps are counted in `budget` as they are taken and added to STEPS once at the end (the
    same total).  When the cells left must make a known sum, a cell is at most that sum less
    the digit sum of the digits after it (each of the other cells is at least the sum of its
    digits)."""
    size = len(text)
    consts = [const for _coefs, const, _cmp in rels_key]
    ends_s, nexts_s, ahead, tails = _digit_walk(width, tuple([(coefs, cmp) for coefs, _const, cmp in rels_key]))
    ends = [[(src, coef, consts[n], cmp) for src, coef, n, cmp in e] if e else e for e in ends_s]
    nexts = [[(src, coef, consts[n]) for src, coef, n in e] if e else e for e in nexts_s]
    memo: dict[tuple, tuple] = {}
    ranges = _DigitRanges(text, budget)
    limit = MAX_DIGITS
    sums_after: list[int] | None = None  # digit sum of text[p:], made when a known sum first needs it
    no = _NO_READING
    started = budget[0]

    def solve(i: int, p: int, b: int, partial: tuple) -> tuple:
        nonlocal sums_after
        key = (i, p, b, partial)
        hit = memo.get(key)
        if hit is not None:
            return hit
        budget[0] += 1
        if budget[0] > MAX_RUN_STEPS:
            raise _Budget
        rest = size - p
        if i == width:
            result = _ONE_READING if rest == 0 else no
            memo[key] = result
            return result
        left = width - i
        if (rest + limit - 1) // limit > left or left - b > rest:
            memo[key] = no
            return no
        cap = -1  # the sum the cells left must make, when a relation over exactly them asks one (b == 0)
        if b == 0 and partial:
            # every open relation must still be able to hold: each cell from i on is at most
            # the largest number the digits left can print in one cell
            d = rest - left + 1
            most = _NINES[d if d < limit else limit] if d > 0 else 0
            for k, pos, neg, cmp in ahead[i]:
                total = partial[k]
                if total is None:
                    continue
                hi, lo = total + pos * most, total + neg * most
                if (cmp == "==" and (hi < 0 or lo > 0)) or (cmp == ">=" and hi < 0) or (cmp == "<=" and lo > 0):
                    memo[key] = no
                    return no
            tail = tails[i]
            if tail is not None and partial[tail[0]] is not None:
                # a relation over exactly the cells left (a row's parts once its 总计 is read)
                k, c, cmp = tail
                if cmp == "==":
                    # they must make a known sum: no cell prints more digits than the sum, and no
                    # cell is more than it (the options below stop there)
                    total, r = divmod(-partial[k], c)
                    if r or total < 0 or rest > left * len(str(total)):
                        memo[key] = no
                        return no
                    cap = total
                    if sums_after is None:
                        sums_after = [0] * (size + 1)
                        acc = 0
                        for at in range(size - 1, -1, -1):
                            acc += int(text[at])
                            sums_after[at] = acc
                else:
                    # the least and greatest sums the digits left can make bound it
                    span = ranges(left, p)
                    lo, hi = sorted((partial[k] + c * span[0], partial[k] + c * span[1])) if span else (1, -1)
                    if span is None or (cmp == ">=" and hi < 0) or (cmp == "<=" and lo > 0):
                        memo[key] = no
                        return no
        forced = None
        ends_i = ends[i]
        for src, coef, const, cmp in ends_i:
            if cmp == "==":
                prev = const if src < 0 else partial[src]
                if prev is not None:
                    q, r = divmod(-prev, coef)
                    forced = q if r == 0 and q >= 0 else -1
                    break
        options: list = []
        if rest:
            if isinstance(forced, int):
                piece = str(forced)
                n = len(piece)
                if forced >= 0 and n <= limit and text.startswith(piece, p):
                    options.append((forced, p + n))
            else:
                top = rest if rest < limit else limit
                lead_zero = text[p] == "0"
                for n in range(1, top + 1):
                    if n > 1 and lead_zero:
                        break  # no leading zeros
                    v = int(text[p : p + n])
                    if cap >= 0 and v + sums_after[p + n] > cap:
                        break  # the cells left could not make their sum (and a longer cell is more)
                    if forced is None or v == forced:
                        options.append((v, p + n))
        if b > 0:
            options.append((None, p))
        best, found, more = INF, None, False
        nexts_i = nexts[i]
        for v, q in options:
            if ends_i and v is not None:
                broken = False
                for src, coef, const, cmp in ends_i:
                    prev = const if src < 0 else partial[src]
                    if prev is not None and not _holds(prev + coef * v, cmp):
                        broken = True
                        break
                if broken:
                    continue
            if v is None:
                after = tuple([prev if not coef else None
                               for prev, coef in ((const if src < 0 else partial[src], coef) for src, coef, const in nexts_i)])
            else:
                after = tuple([(const if src < 0 else partial[src]) if not coef else
                               (None if (prev := const if src < 0 else partial[src]) is None else prev + coef * v)
                               for src, coef, const in nexts_i])
            blank = v is None
            sub_cost, subs, sub_more = solve(i + 1, q, b - 1 if blank else b, after)
            if sub_cost >= INF:
                continue
            total_cost = sub_cost + blank
            if total_cost < best:
                best, found, more = total_cost, [], False
            if total_cost == best:
                cell = None if blank else (which, 0, p, q)
                for suffix in subs:
                    if len(found) > MAX_CANDIDATES:
                        more = True
                        break
                    found.append((cell,) + suffix)
                more = more or sub_more
        result = (best, found, more) if found is not None else no
        memo[key] = result
        return result

    try:
        return solve(0, 0, need, ())
    finally:
        STEPS.steps += budget[0] - started
        solve = None  # noqa: F841 - break the function ↔ cell cycle (see _Plan._tokens_search)


@lru_cache(maxsize=256)
def _one_sum(coefs: tuple, width: int) -> int:
    """The coefficient c when the relation's coefficients are c for every cell 0 … width − 1
    (a row's parts once its 总计 is read), else 0."""
    if len(coefs) != width or not coefs:
        return 0
    c = coefs[0][1]
    return c if type(c) is int and all(k == pos and co == c for pos, (k, co) in enumerate(coefs)) else 0


def _exact_sum(text: str, which: int, width: int, c: int, const: int, budget: list[int]) -> tuple[int, list, bool]:
    """`_exact_digits` when the run's one relation is const + c × (every cell) == 0 and no cell
    is blank: the same states (cell i, offset p, the relation's partial sum P), visited in the
    same order with the same tests, each counted as a step, so the same readings in the same
    order, only without the general walk's bookkeeping of several relations and blanks."""
    size = len(text)
    last = width - 1
    memo: dict[tuple, tuple] = {}
    sums_after: list[int] = []  # digit sum of text[p:], made when a known sum first needs it
    limit = MAX_DIGITS
    no, one = _NO_READING, _ONE_READING
    started = budget[0]

    def solve(i: int, p: int, partial: int | None) -> tuple:
        key = (i, p, partial)
        hit = memo.get(key)
        if hit is not None:
            return hit
        budget[0] += 1
        if budget[0] > MAX_RUN_STEPS:
            raise _Budget
        rest = size - p
        if i == width:
            result = one if rest == 0 else no
            memo[key] = result
            return result
        left = width - i
        if (rest + limit - 1) // limit > left or left > rest:
            memo[key] = no
            return no
        cap = -1
        if i:  # the relation is open: it must still be able to hold, and the cells left make a known sum
            d = rest - left + 1
            reach = c * left * _NINES[d if d < limit else limit]
            hi, lo = (partial + reach, partial) if c > 0 else (partial, partial + reach)
            if hi < 0 or lo > 0:
                memo[key] = no
                return no
            total, r = divmod(-partial, c)
            if r or total < 0 or rest > left * len(str(total)):
                memo[key] = no
                return no
            cap = total
            if not sums_after:
                sums_after.extend([0] * (size + 1))
                acc = 0
                for at in range(size - 1, -1, -1):
                    acc += int(text[at])
                    sums_after[at] = acc
        options: list = []
        if i == last:  # the relation closes here: its one value
            q, r = divmod(-(partial if i else const), c)
            if r == 0 and q >= 0:
                piece = str(q)
                if len(piece) <= limit and text.startswith(piece, p):
                    options.append((q, p + len(piece)))
        else:
            top = rest if rest < limit else limit
            lead_zero = text[p] == "0"
            for n in range(1, top + 1):
                if n > 1 and lead_zero:
                    break  # no leading zeros
                v = int(text[p : p + n])
                if cap >= 0 and v + sums_after[p + n] > cap:
                    break  # the cells left could not make their sum (and a longer cell is more)
                options.append((v, p + n))
        best, found, more = INF, None, False
        for v, q in options:
            sub_cost, subs, sub_more = solve(i + 1, q, None if i == last else (partial if i else const) + c * v)
            if sub_cost >= INF:
                continue
            if sub_cost < best:
                best, found, more = sub_cost, [], False
            if sub_cost == best:
                cell = (which, 0, p, q)
                for suffix in subs:
                    if len(found) > MAX_CANDIDATES:
                        more = True
                        break
                    found.append((cell,) + suffix)
                more = more or sub_more
        result = (best, found, more) if found is not None else no
        memo[key] = result
        return result

    try:
        return solve(0, 0, None)
    finally:
        STEPS.steps += budget[0] - started
        solve = None  # noqa: F841 - break the function ↔ cell cycle (see _Plan._tokens_search)


_NO_READING = (INF, (), False)  # (cost, readings, more) of a state with no reading
_ONE_READING = (0, ((),), False)  # … of the state after the last cell, every digit used


@lru_cache(maxsize=4096)
def _number(piece: str) -> Value:
    return read_cell(piece, None).number()


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


@lru_cache(maxsize=1024)
def _run_relations(tids: tuple[str, ...], present: frozenset[str], table: str, refs: tuple[tuple[str, str], ...]) -> tuple:
    """The relations that lie inside one run, each as (((position, coefficient), …), constant,
    comparison) over the run's cells: sum(coefficient × cell) + constant CMP 0.  The same for
    every run over the same cells, so it is worked out once."""
    cells = {(table, r, c) for r, c in refs}
    inside: dict[tuple, Constraint] = {}
    for cons, by_cell in (_index(tid, present) for tid in tids):
        for ref in cells:
            for n in by_cell.get(ref, ()):
                c = cons[n]
                if all((x.table, x.row, x.column) in cells for x in c.refs):
                    inside[(c.code, c.instance)] = c
    where = {ref: i for i, ref in enumerate(refs)}
    rels = []
    for c in inside.values():
        coefs: dict[int, int] = {}
        for r in c.instance.lhs:
            k = where[(r.row, r.column)]
            coefs[k] = coefs.get(k, 0) + r.sign
        for r in c.instance.rhs:
            k = where[(r.row, r.column)]
            coefs[k] = coefs.get(k, 0) - r.sign
        const = c.instance.lhs_const - c.instance.rhs_const
        rels.append((tuple(sorted(coefs.items())), int(const) if const == int(const) else const, c.instance.cmp))
    return tuple(sorted(rels, key=repr))


@lru_cache(maxsize=1024)
def _shape_relations(tids: tuple[str, ...], present: frozenset[str], shape: int) -> tuple[tuple, int]:
    """`_run_relations` of the run's cells, given by `Run.shape`, and a small number for them
    (the same for the same relations: `_searched_by` is keyed by it)."""
    rels = _run_relations(tids, present, *_SHAPE_LIST[shape])
    number = _RELATIONS.get(rels, -1)
    if number < 0:
        number = _RELATIONS[rels] = len(_RELATION_LIST)
        _RELATION_LIST.append(rels)
    return rels, number


def templates_for(tables: dict[str, Table]) -> tuple[str, ...]:
    """The formats whose rows the tables hold best (both when they tie)."""
    score = {}
    for tid in TEMPLATE_IDS:
        t = load_template(tid)
        score[tid] = sum(1 for tab in ("二", "三") if tab in tables for k in tables[tab].rows if k in t.rows.get(tab, ()))
    top = max(score.values())
    return tuple(tid for tid in TEMPLATE_IDS if score[tid] == top)


@dataclass
class Tie:
    """Runs left ambiguous (P107) where every combination of `combos` breaks no relation: the
    prose may still choose (`settle_by_prose`, once the report's text is known)."""

    group: list[Run]
    multi: list[Run]
    combos: list[tuple]


def decode_tables(tables: dict[str, Table], runs: list[Run]) -> list[Tie]:
    """Read every run's cells into its rows (or record why not), weighing all runs together.
    Returns the ties the prose may still break.

    The cyclic garbage collector is paused meanwhile (`_collector_paused`)."""
    if not runs:
        return []
    with _collector_paused():
        return _decode_tables(tables, runs)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector (when it runs) for the duration.

    The searches make and drop many small tuples, lists and dicts (memo entries, partial
    readings, weighed combinations); their count alone starts collections that walk every
    young object of the report and promote the survivors, which later makes the full
    collections come sooner.  The decoder makes no reference cycles (tests/test_decode_garbage.py)
    and its work is bounded (MAX_RUN_STEPS, MAX_COMBINATIONS), so while it runs there is
    nothing for the collector to find and the memory it holds is bounded: what was
    allocated and freed meanwhile no longer counts, and the collector resumes with the
    allocations that were kept.  A collector turned off by the caller stays off."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _decode_tables(tables: dict[str, Table], runs: list[Run]) -> list[Tie]:
    ties: list[Tie] = []
    tids = templates_for(tables)
    present = frozenset(tables)
    for run in runs:
        if run.tokens:
            inside, number = _shape_relations(tids, present, run.shape)
            if run.splittable:
                (run.token_sets, readings, run.internal_broken, run.status, run.more,
                 run.known, run.placed) = _searched_by(run.raw, run.width, number)
                run.readings = list(readings)
            else:
                _search(run, inside)
        elif run.status == "":
            run.status = "long"
    live = [r for r in runs if r.readings]
    for run in runs:
        if not run.readings:
            _unreadable(run)
    for group in _components(live, tids, present):
        _decide(tables, group, tids, present, ties)
    return ties


def _components(runs: list[Run], tids: tuple[str, ...], present: frozenset[str]) -> list[list[Run]]:
    """Runs grouped by the relations they share."""
    parts = _groups(tids, present, tuple([run.shape for run in runs]))
    return [[runs[i] for i in part] for part in parts]


@lru_cache(maxsize=256)
def _groups(tids: tuple[str, ...], present: frozenset[str], shapes: tuple[int, ...]) -> tuple[tuple[int, ...], ...]:
    """Union-find over runs given by `Run.shape`: the indices of each group, in first-member
    order.  The same runs recur report after report, so the answer is kept."""
    cells = [_SHAPE_LIST[shape] for shape in shapes]
    parent = list(range(len(cells)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    owner: dict[tuple[int, int], int] = {}
    for i, (table, refs) in enumerate(cells):
        for k, tid in enumerate(tids):
            by_cell = _index(tid, present)[1]
            for r, c in refs:
                for n in by_cell.get((table, r, c), ()):
                    j = owner.setdefault((k, n), i)
                    if find(j) != find(i):
                        parent[find(i)] = find(j)
    groups: dict[int, list[int]] = {}
    for i in range(len(cells)):
        groups.setdefault(find(i), []).append(i)
    return tuple(tuple(g) for g in groups.values())


# a relation for the whole-table search: (code, ((cell, sign), …), constant, comparison),
# holding when constant + sum(sign × cell) CMP 0
Lin = tuple[str, tuple[tuple[Ref3, int], ...], Value, str]


def _linear(c: Constraint) -> Lin:
    inst = c.instance
    terms = tuple(((r.table, r.row, r.column), r.sign) for r in inst.lhs)
    terms += tuple(((r.table, r.row, r.column), -r.sign) for r in inst.rhs)
    const = inst.lhs_const - inst.rhs_const
    return c.code, terms, int(const) if const == int(const) else const, inst.cmp


def _broken(lin: Lin, values: dict[Ref3, Value]) -> bool:
    """True when every cell of the relation is known and it does not hold."""
    _, terms, total, cmp = lin
    for key, sign in terms:
        v = values[key]
        if v is None:
            return False
        total += sign * v
    return not _holds(total, cmp)


def _plan_of(tids: tuple[str, ...], present: frozenset[str], group: list[Run], order: dict[int, int]) -> tuple:
    """`_group_plan` of a group of runs, `order` giving the place of each run with several
    readings (by id)."""
    places = tuple([(n, order[id(run)]) for n, run in enumerate(group) if id(run) in order]) if order else ()
    return _shape_plan(tids, present, tuple([run.shape for run in group]), places)


@lru_cache(maxsize=256)
def _shape_plan(tids: tuple[str, ...], present: frozenset[str], shapes: tuple[int, ...],
                places: tuple[tuple[int, int], ...]) -> tuple:
    """`_group_plan` of runs given by `Run.shape`, those with several readings by their place
    in the group and their k."""
    ks = dict(places)
    return _group_plan(tids, present, tuple((*_SHAPE_LIST[shape], ks.get(n, -1)) for n, shape in enumerate(shapes)))


def _group_plan(tids: tuple[str, ...], present: frozenset[str], sig: tuple) -> tuple:
    """For a group of runs given as ((table, refs, k), …), k the run's place among those with
    several readings (-1 for one): per template, the relations settled once the single-reading
    runs are placed, and those completed by run k; and the cells outside the runs they read."""
    plans = []
    outside: set[Ref3] = set()
    owner = {(table, r, c): k for table, refs, k in sig for r, c in refs}
    width = 1 + max((k for _, _, k in sig), default=-1)
    for tid in tids:
        cons, by_cell = _index(tid, present)
        ns = sorted({n for table, refs, _ in sig for r, c in refs for n in by_cell.get((table, r, c), ())})
        static: list[Lin] = []
        at: list[list[Lin]] = [[] for _ in range(width)]
        for n in ns:
            c = cons[n]
            keys = [(x.table, x.row, x.column) for x in c.refs]
            outside.update(k for k in keys if k not in owner)
            last = max(owner.get(k, -1) for k in keys)
            (static if last < 0 else at[last]).append(_linear(c))
        plans.append((tuple(static), tuple(tuple(x) for x in at)))
    return tuple(plans), tuple(sorted(outside))


def _fixed(tables: dict[str, Table], ref: Ref3) -> Value:
    t = tables.get(ref[0])
    cell = t.cell(ref[1], ref[2]) if t else None
    if cell is None or cell.kind not in ("number", "dash"):
        return None  # blank: unknown while decoding (the rules decide what it needed)
    return cell.number()


def _decide(tables: dict[str, Table], group: list[Run], tids: tuple[str, ...], present: frozenset[str],
            ties: list[Tie] | None = None, lost_checked: bool = False) -> None:
    """Choose the combination of the group's readings that breaks the fewest relations.

    `lost_checked`: the group's rows that lost blank cells were set aside already (once a group:
    the rest is decided once more, not again and again)."""
    multi = [run for run in group if len(run.readings) > 1]
    order = {id(run): k for k, run in enumerate(multi)}
    plans, outside = _plan_of(tids, present, group, order)
    values: dict[Ref3, Value] = {ref: _fixed(tables, ref) for ref in outside}
    best, budget_hit = _weigh(group, multi, plans, values)
    if not budget_hit and best[0] is not None and best[0] >= GROUP_BROKEN and not any(run.more for run in multi):
        if _place_blanks(group, values, best, tids, present):
            multi = [run for run in group if len(run.readings) > 1]
            order = {id(run): k for k, run in enumerate(multi)}
            plans, outside = _plan_of(tids, present, group, order)
            for ref in outside:
                values.setdefault(ref, _fixed(tables, ref))
            best, budget_hit = _weigh(group, multi, plans, values)

    refined = [run for run in multi if run.splittable and run.more]
    if not budget_hit and best[0] is not None and best[0] >= GROUP_BROKEN and refined \
            and any(run.internal_broken >= BLANK_COST for run in group):
        # A run breaks a relation of its own whichever way it is read, so the table is wrong
        # whatever the split; but a run has more cheapest readings than were kept.  Those runs
        # are read again under the relations they share with the rest of the table, the other
        # cells at their best values so far; then the table is weighed once more (a few rounds,
        # while it gets better).
        for _round in range(REFINE_ROUNDS):
            _assign_all(group, multi, best[1][0], values)
            for run in refined:
                _refine(run, tids, present, values)
            again, budget_hit = _weigh(group, multi, plans, values)
            if budget_hit or again[0] is None:
                break
            if again[0] >= best[0]:
                break  # no better than the round before (its readings stay readings of the text)
            best = again
        if not budget_hit and best[0] is not None:
            for run in multi:
                run.more = False  # the table is wrong whatever the split: take the best found
    if multi and not budget_hit and best[0] is not None and best[0] >= GROUP_BROKEN and not any(run.more for run in multi):
        best = _fewest_changes(group, multi, plans, values, best, tids)
    best_n = (best[0] // GROUP_BROKEN) if best[0] is not None else 0
    lost = [] if lost_checked else [
        run for run in group if run.splittable and run.internal_broken and _breaks_own_sum(run, tids, present)]
    lost = [run for run in lost[:MAX_LOST_TRIES] if _lost_blanks_fit(run, tids, present)]
    if lost:
        # A row breaks its own sum whichever way its digits are cut into the usual cells, yet with more
        # of its cells blank it keeps every sum: zeros printed as blank cells vanish from run-together
        # text, so the row cannot be read and the sum it seems to break is not reported (P107).
        for run in lost:
            run.status = "blanks"
            _unreadable(run)
        rest = [run for run in group if all(run is not x for x in lost)]
        if rest:
            _decide(tables, rest, tids, present, ties, lost_checked=True)
        return
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
        if ties is not None and len(combos) <= SHOWN:
            ties.append(Tie(group, multi, combos))
        for k, run in enumerate(multi):
            options = list(dict.fromkeys(combo[k] for combo in combos))
            if len(options) == 1 and len(combos) > SHOWN:
                options += _other_best(group, multi, k, options[0], best[0], tids, present, values)
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


def _breaks_own_sum(run: Run, tids: tuple[str, ...], present: frozenset[str]) -> bool:
    """Whether every reading kept for the run breaks one of its own relations, a blank counting 0."""
    rels = _run_relations(tids, present, run.table, run.refs)
    if not rels or not run.readings:
        return False
    for reading in run.readings:
        values = _zeroed(run.values_of(reading))
        if all(_holds(const + sum(k * values[i] for i, k in coefs), cmp) for coefs, const, cmp in rels):
            return False
    return True


def _lost_blanks_fit(run: Run, tids: tuple[str, ...], present: frozenset[str]) -> bool:
    """Whether the run's digits (spaces ignored) can be cut into its cells with more of them blank
    than the digit count forces (up to all but one) so that each of its own relations holds, a blank
    counting 0: "605873" is 60, blank, blank, blank, 5, 8, 73.  One memoised walk bounded by
    MAX_RUN_STEPS; over the bound the answer is no (the usual reading stands)."""
    rels = _run_relations(tids, present, run.table, run.refs)
    if not rels or len(run.token_sets) < 2:
        return False
    texts = tuple(t.text for t in run.token_sets[1])
    if len(rels) == 1 and _is_row_total(rels[0], run.width):
        return _parts_make_total("".join(texts), run.width)
    budget = [0]  # one bound for all the tries
    try:
        for blanks in range(max(0, run.width - run.digits) + 1, run.width):  # few blanks first: fewer states
            plan = _Plan(texts, True, run.width, rels, budget)
            plan.blank_value = 0
            cost, found, _more = plan._tokens_search(1, blanks, exact=True)
            if cost < INF and found:
                return True
    except _Budget:
        return False
    return False


def _is_row_total(rel: tuple, width: int) -> bool:
    """Whether a relation over a run's cells says the last cell is the sum of all the others."""
    coefs, const, cmp = rel
    if cmp != "==" or const != 0 or len(coefs) != width:
        return False
    sign = dict(coefs).get(width - 1, 0)
    return sign in (1, -1) and all(k == -sign for i, k in coefs if i != width - 1)


def _parts_make_total(text: str, width: int) -> bool:
    """Whether `text` (digits) cuts into numbers followed by their sum (a 总计) with more cells left
    blank than the digit count forces, as `_lost_blanks_fit` asks of its general walk: `605873` is
    60 + 5 + 8 = 73.  For each possible total (at most MAX_DIGITS digits at the end), a walk over
    (offset, sum so far ≤ total) keeping the fewest numbers used; at most MAX_RUN_STEPS steps in all
    (over the bound: no)."""
    n = len(text)
    most = width - 2 - max(0, width - n)  # parts before the total, at least one blank beyond the forced ones
    if most < 1:
        return False
    steps = 0
    for t in range(1, min(MAX_DIGITS, n) + 1):
        tail = text[n - t:]
        if t > 1 and tail[0] == "0":
            continue
        total, head = int(tail), text[:n - t]
        reach: list[dict[int, int]] = [dict() for _ in range(len(head) + 1)]
        reach[0][0] = 0
        for p in range(len(head)):
            for got, used in reach[p].items():
                if used >= most:
                    continue
                for q in range(p + 1, min(p + MAX_DIGITS, len(head)) + 1):
                    steps += 1
                    STEPS.steps += 1
                    if steps > MAX_RUN_STEPS:
                        return False
                    if q > p + 1 and head[p] == "0":
                        break  # no leading zeros
                    v = got + int(head[p:q])
                    if v > total:
                        break
                    if reach[q].get(v, width) > used + 1:
                        reach[q][v] = used + 1
        if reach[len(head)].get(total, width) <= most:
            return True
    return False


def _other_best(group: list[Run], multi: list[Run], k: int, option, cost: int,
                tids: tuple[str, ...], present: frozenset[str], values: dict[Ref3, Value]) -> list:
    """A reading of run `multi[k]` other than `option` in a combination as cheap as the best (`cost`),
    as a list of one, or [].  The best combinations were kept up to SHOWN + 1 only, so a run may read
    one way in all of those and another way in the rest (a row missing a cell beside a row of zeros
    with 21 places for its blanks); it is then not decided.  One more whole-table search (bounded
    as `_weigh` is); over the bound the run counts as undecided."""
    run = multi[k]
    kept = run.readings
    run.readings = [r for r in kept if r != option]
    try:
        if not run.readings:
            return []
        trial = [r for r in group if len(r.readings) > 1]
        order = {id(r): n for n, r in enumerate(trial)}
        plans, outside = _plan_of(tids, present, group, order)
        for ref in outside:
            values.setdefault(ref, None)
        again, hit = _weigh(group, trial, plans, values)
        if hit:
            return [r for r in kept if r != option]
        if again[0] is None or again[0] > cost:
            return []
        n = order.get(id(run))
        return [again[1][0][n] if n is not None else run.readings[0]]
    finally:
        run.readings = kept


def _place_blanks(group: list[Run], values: dict[Ref3, Value], best: list,
                  tids: tuple[str, ...], present: frozenset[str]) -> bool:
    """Every combination breaks a relation.  A run that breaks its own relation whichever way
    its digits are cut may have lost a cell: its readings with one blank more
    (`_blank_readings`) are weighed with the rest of the table, and the one that `_scored`
    puts first is taken when it is the only one there, the relations give its blank one value
    (`_blank_fits`), the table then breaks fewer relations and needs fewer cells changed
    (the blank counting as one) than with no blank.  Returns whether a run's readings
    changed."""
    tried = 0
    changed = False
    baseline = None  # the fewest cells the table needs changed without a blank placed
    for run in group:
        if not (run.splittable and run.internal_broken >= BLANK_COST) or tried >= MAX_BLANK_TRIES:
            continue
        tried += 1
        options = _blank_readings(run, tids, present)
        if options and baseline is None:
            multi = [r for r in group if len(r.readings) > 1]
            order = {id(r): k for k, r in enumerate(multi)}
            plans, _outside = _plan_of(tids, present, group, order)
            scored = _scored(group, multi, plans, values, best[0], tids)
            baseline = scored[0][0] if scored else 0
        if not options:
            continue
        kept = run.readings
        run.readings = options
        trial = [r for r in group if len(r.readings) > 1]
        order = {id(r): k for k, r in enumerate(trial)}
        plans, outside = _plan_of(tids, present, group, order)
        for ref in outside:
            values.setdefault(ref, None)
        near: list = []
        again, hit = _weigh(group, trial, plans, values, slack=NEAR_SLACK, near=near)
        pick = None
        if not hit and again[0] is not None and again[0] < best[0]:
            k = order.get(id(run))
            near = sorted((x for x in near if x[0] <= again[0] + NEAR_SLACK), key=lambda x: x[0])[:NEAR_KEPT]
            scored: dict = {}
            for cost, combo, _codes in near:
                reading = combo[k] if k is not None else options[0]
                if reading.count(None) <= run.readings[0].count(None) - 1:
                    continue  # (not a blank reading: the run's own readings are weighed elsewhere)
                _assign_all(group, trial, combo, values)
                if not _blank_fits(run, reading, tids, present, values):
                    continue
                key = (_repair_size(tids[0], group, trial, combo, values), _crossings(group, trial, combo), cost)
                scored[reading] = min(scored.get(reading, key), key)
            if scored:
                least = min(scored.values())
                picks = [r for r, key in scored.items() if key == least]
                pick = picks[0] if len(picks) == 1 and least[0] < baseline else None
        if pick is not None:
            run.readings, run.more = [pick], False
            changed = True
        else:
            run.readings = kept
    return changed


def _fewest_changes(group: list[Run], multi: list[Run], plans, values: dict[Ref3, Value], best: list,
                    tids: tuple[str, ...]) -> list:
    """Every combination breaks a relation: take the one `_scored` puts first."""
    scored = _scored(group, multi, plans, values, best[0], tids)
    if not scored:
        return best
    _size, _crossed, cost, _n, combo, codes = scored[0]
    if combo in best[1]:
        return [best[0], [combo] + [c for c in best[1] if c != combo], best[2] if combo == best[1][0] else codes]
    return [cost, [combo], codes]


def _scored(group: list[Run], multi: list[Run], plans, values: dict[Ref3, Value], least: int,
            tids: tuple[str, ...]) -> list:
    """The combinations breaking at most NEAR_SLACK more relations than the fewest (`least`;
    NEAR_KEPT of them), best first: the fewest cells changed for the table to hold
    (Fellegi–Holt, as the rules will then report it: rules/localise.py); then the fewest cells
    running across a space the page left; then the fewest broken relations, then the first
    found.  A misreading can merge two errors into fewer broken relations, but seldom into
    fewer wrong cells.  Each is (size, crossings, cost, n, combination, codes); [] when the
    search hit its bound."""
    near: list = []
    _best, hit = _weigh(group, multi, plans, values, slack=NEAR_SLACK, near=near)
    if hit:
        return []
    near = sorted((x for x in near if x[0] <= least + NEAR_SLACK), key=lambda x: x[0])[:NEAR_KEPT]
    out = []
    for n, (cost, combo, codes) in enumerate(near):
        _assign_all(group, multi, combo, values)
        out.append((_repair_size(tids[0], group, multi, combo, values), _crossings(group, multi, combo), cost, n, combo, codes))
    out.sort(key=lambda x: x[:4])
    return out


def _crossings(group: list[Run], multi: list[Run], combo) -> int:
    """How many cells of the combination's readings run across a space left in the digits."""
    chosen = dict(zip(map(id, multi), combo))
    n = 0
    for run in group:
        for c in chosen.get(id(run), run.readings[0]):
            if c is not None and c[0] == 1:
                offsets = run.token_sets[1][c[1]].offsets
                n += offsets[c[3] - 1] - offsets[c[2]] != c[3] - c[2] - 1
    return n


def _repair_size(tid: str, group: list[Run], multi: list[Run], combo, values: dict[Ref3, Value]) -> int:
    """How many cells of the group's table must change for its error relations to hold, with
    the cells at `values` and the blanks of the combination as blanks (REPAIR_CELLS + 1 for a
    part whose repair is not found within REPAIR_NODES candidate sets)."""
    from ..relations import compiled
    from ..rules.localise import TableState, components, locate

    table = group[0].table
    ct = compiled(tid).get(table)
    if ct is None:
        return 0
    chosen = dict(zip(map(id, multi), combo))
    blanks = {(run.table, r, c) for run in group
              for (r, c), cell in zip(run.refs, chosen.get(id(run), run.readings[0])) if cell is None}
    vals = [0 if (table, r, c) in blanks else values.get((table, r, c)) for r, c in ct.cells]
    cells = [Cell("", None, "blank") if (table, r, c) in blanks else None for r, c in ct.cells]
    st = TableState(ct, vals, cells, [lin.residual(vals) for lin in ct.linear])
    size = 0
    for part in components(st):
        found = locate(st, max_cells=REPAIR_CELLS, max_nodes=REPAIR_NODES, within=part)
        if found is None:
            continue
        size += len(found.solutions[0]) if found.solutions else REPAIR_CELLS + 1
    return size


def _assign(values: dict[Ref3, Value], run: Run, reading) -> None:
    values.update(zip(run.keys, run.values_of(reading)))


def _assign_all(group: list[Run], multi: list[Run], combo, values: dict[Ref3, Value]) -> None:
    chosen = dict(zip(map(id, multi), combo))
    for run in group:
        _assign(values, run, chosen.get(id(run), run.readings[0]))


def _weigh(group: list[Run], multi: list[Run], plans, values: dict[Ref3, Value],
           slack: int = 0, near: list | None = None) -> tuple[list, bool]:
    """Every combination of the multi runs' readings against the relations: [cost, the
    combinations of least cost (SHOWN + 1 at most), codes broken by the first], and whether
    the search hit its bound.  With `near`, the combinations costing at most `slack` more than
    the best are added to it as (cost, combination, codes)."""
    order = {id(run) for run in multi}
    for run in group:
        values.update(zip(run.keys, run.values_of(run.readings[0])))
    steps = [0]
    n_multi = len(multi)
    best: list = [None, [], ()]  # cost, combos, codes of the first best
    budget_hit = False
    singles_blanks = sum(run.readings[0].count(None) for run in group if id(run) not in order)

    for static, at in plans:
        base = [lin[0] for lin in static if _broken(lin, values)]
        chosen: list = [None] * len(multi)

        def walk(k: int, cost: int, codes: list[str]) -> None:
            steps[0] += 1
            STEPS.steps += 1
            if steps[0] > MAX_COMBINATIONS:
                raise _Budget
            if best[0] is not None and (cost > best[0] + slack or (not slack and cost == best[0] and len(best[1]) > SHOWN)):
                return  # worse than the best, or a tie when enough ties are known already
            if k == n_multi:
                if near is not None:
                    near.append((cost, tuple(chosen), tuple(codes)))
                if best[0] is not None and cost > best[0]:
                    return
                if best[0] is None or cost < best[0]:
                    best[0], best[1], best[2] = cost, [tuple(chosen)], tuple(codes)
                elif len(best[1]) <= SHOWN and tuple(chosen) not in best[1]:
                    best[1].append(tuple(chosen))
                return
            run = multi[k]
            keys, rels = run.keys, at[k]
            for reading in run.readings:
                values.update(zip(keys, run.values_of(reading)))
                chosen[k] = reading
                failed = [lin[0] for lin in rels if _broken(lin, values)]
                STEPS.steps += len(rels)
                walk(k + 1, cost + GROUP_BROKEN * len(failed) + reading.count(None), codes + failed if failed else codes)

        try:
            walk(0, GROUP_BROKEN * len(base) + singles_blanks, base)
        except _Budget:
            budget_hit = True
            break
        finally:
            walk = None  # noqa: F841 - break the function ↔ cell cycle (see _Plan._tokens_search)
    return best, budget_hit


def _table_relations(run: Run, tids: tuple[str, ...], present: frozenset[str], values: dict[Ref3, Value]) -> tuple:
    """The run's own relations and those it shares with the other cells of the table, each of
    those cells at its value in `values` (relations through an unknown cell are left out), as
    relations over the run's cells (see `_run_relations`)."""
    mine = {(run.table, r, c): k for k, (r, c) in enumerate(run.refs)}
    rels = list(_run_relations(tids, present, run.table, run.refs))
    seen: set = set()
    for tid in tids:
        cons, by_cell = _index(tid, present)
        for ref in mine:
            for n in by_cell.get(ref, ()):
                if (tid, n) in seen:
                    continue
                seen.add((tid, n))
                _code, terms, const, cmp = _linear(cons[n])
                coefs: dict[int, int] = {}
                known, inner = True, True
                for key, sign in terms:
                    if key in mine:
                        coefs[mine[key]] = coefs.get(mine[key], 0) + sign
                        continue
                    inner = False
                    v = values.get(key)
                    if v is None:
                        known = False
                        break
                    const += sign * v
                if known and not inner:  # (relations inside the run are in `rels` already)
                    rels.append((tuple(sorted(coefs.items())), const, cmp))
    return tuple(sorted(set(rels), key=repr))


def _read_again(run: Run, rels_key: tuple, blanks: int = 0) -> tuple[int, list, bool] | None:
    """The cheapest readings of a run's digits (spaces ignored) under `rels_key`, with up to
    `blanks` blank cells more than the digit count forces; None when none or over the bound."""
    texts = tuple(t.text for t in run.token_sets[1])
    need = max(0, run.width - sum(len(t) for t in texts)) + blanks
    if need > MAX_BLANKS:
        return None
    try:
        cost, found, more = _Plan(texts, True, run.width, rels_key, [0]).full(1, need)
    except _Budget:
        return None
    if cost >= INF or not found:
        return None
    readings: list = []
    seen: set = set()
    for cells in found:
        key = _zeroed(run.values_of(cells))
        if key in seen:
            continue
        seen.add(key)
        if len(readings) >= MAX_CANDIDATES:
            more = True
            break
        readings.append(cells)
    return cost, readings, more


def _refine(run: Run, tids: tuple[str, ...], present: frozenset[str], values: dict[Ref3, Value]) -> None:
    """Read a run again under the relations of the whole table (`_table_relations`): the
    readings that break the fewest replace the run's readings."""
    got = _read_again(run, _table_relations(run, tids, present, values))
    if got is not None:
        run.readings, run.more = got[1], got[2]


def _blank_readings(run: Run, tids: tuple[str, ...], present: frozenset[str]) -> list:
    """The readings of a run with one blank more than its digit count forces (a cell lost on the
    web page: `12700000` for 127,0,0,0,0,0 and a blank 总计) that break none of its own
    relations; [] when there are none or more than are kept."""
    got = _read_again(run, _run_relations(tids, present, run.table, run.refs), blanks=1)
    forced = max(0, run.width - run.digits)
    if got is None or got[2] or got[0] != forced + 1:
        return []
    return [r for r in got[1] if r.count(None) == forced + 1]


def _blank_fits(run: Run, reading, tids: tuple[str, ...], present: frozenset[str], values: dict[Ref3, Value]) -> bool:
    """Whether every relation through each blank of the reading that can be evaluated gives that
    cell one and the same whole value ≥ 0 (the value the rules will say it should hold), and at
    least one does."""
    for (row, col), c in zip(run.refs, reading):
        if c is not None:
            continue
        ref = (run.table, row, col)
        implied = set()
        for tid in tids:
            cons, by_cell = _index(tid, present)
            for n in by_cell.get(ref, ()):
                _code, terms, const, cmp = _linear(cons[n])
                if cmp != "==":
                    continue
                coef, total = 0, const
                for key, sign in terms:
                    if key == ref:
                        coef += sign
                    elif values.get(key) is None:
                        break
                    else:
                        total += sign * values[key]
                else:
                    if coef:
                        q, r = divmod(-total, coef)
                        implied.add(q if r == 0 and q >= 0 else -1)
        if len(implied) != 1 or -1 in implied:
            return False
    return True


def _take(run: Run, reading, inferred: bool) -> None:
    """Write a reading's cells into the run's rows."""
    line, col0 = run.span.line, run.span.col
    last = col0
    blank_places = 0
    rows = {r.key: r.cells for r in run.rows} if len(run.rows) > 1 else None
    only = run.rows[0].cells
    mark = inferred and run.splittable
    for (row_key, column), piece in zip(run.refs, run.placed_of(reading)):
        if piece is None:
            cell = Cell("", None, "blank", Span(line, last, last), None, False, mark)
            blank_places += 1
        else:
            text, value, kind, unit, signed, a, b = piece  # (read_cell's reading, marked in one go)
            last = col0 + b
            cell = Cell(text, value, kind, Span(line, col0 + a, last), unit, signed, mark)
        (rows[row_key] if rows is not None else only)[column] = cell
    if blank_places:
        if _blank_place_known(run, reading):
            run.rows[0].problems.append(BlankPlaced(len(run.readings)))
        else:
            unknown = BlankPlaced(len(run.readings), known=False)
            for row in run.rows:
                row.problems.append(unknown)


def _blank_place_known(run: Run, reading) -> bool:
    """False when a blank of the reading stands next to a cell read as "0": the blank and that 0
    can change places and the cells keep the same values (blank = 0), so the digits cannot tell
    which of the two cells was left blank (a row of zeros has up to 21 such places)."""
    texts = run.text_of(reading)
    for k, c in enumerate(reading):
        if c is None and ((k > 0 and texts[k - 1] == "0") or (k + 1 < len(texts) and texts[k + 1] == "0")):
            return False
    return True


def _ambiguous(run: Run, readings, more: bool) -> None:
    every = tuple(run.text_of(r) for r in readings)
    for row in run.rows:
        if run.splittable:
            row.problems.append(DigitsAmbiguous(run.raw, every[:3], more or len(readings) > 3, True, every, not more))
        else:
            row.problems.append(CellCount(len(run.tokens)))


def _unreadable(run: Run) -> None:
    for row in run.rows:
        if run.splittable:
            row.problems.append(DigitsUnreadable(run.raw, run.digits, run.width * MAX_DIGITS, run.status or "none"))
        else:
            row.problems.append(CellCount(len(run.tokens)))


# --------------------------------------------------------------------------- prose as evidence


def settle_by_prose(report, ties: list[Tie]) -> None:
    """Break ties left by the decoder with the prose: a sentence that states one of a tied
    row's cells (本年新收申请34件) counts for each combination that reads that cell so, and
    against each that reads it otherwise.  When one combination alone scores best, its
    readings are taken for the runs that were ambiguous (P107), with `ProseChose` naming the
    sentences.  The sentences are read by the narrative rules' own claim matching."""
    if not ties:
        return
    from ..rules.narrative import statements_by_cell  # the rules read the parsed report; the prose is read once

    stated_by_cell = None  # the prose's statements by cell, read when a tie first needs them
    for tie in ties:
        open_runs = [(k, run) for k, run in enumerate(tie.multi)
                     if run.splittable and any(isinstance(p, DigitsAmbiguous) for p in run.rows[0].problems)]
        if not open_runs:
            continue
        if stated_by_cell is None:
            stated_by_cell = statements_by_cell(report)
        said: dict[tuple[str, str, str], list[tuple]] = {}
        for _k, run in open_runs:
            for row, col in run.refs:
                said[(run.table, row, col)] = stated_by_cell.get((run.table, row, col), [])
        if not any(said.values()):
            continue
        scores = []
        for combo in tie.combos:
            score, quotes = 0, []
            for k, run in open_runs:
                for (row, col), v in zip(run.refs, run.values_of(combo[k])):
                    stated = said[(run.table, row, col)]
                    if not stated:
                        continue
                    hits = [q for n, q in stated if v is not None and n == v]
                    score += 1 if hits else -1
                    name = f"{row.split('.')[-1] if run.table == '二' else row}·{col}"
                    quotes += [(name, q) for q in hits]
            scores.append((score, quotes))
        best = max(sc for sc, _ in scores)
        winners = [n for n, (sc, _) in enumerate(scores) if sc == best]
        if len(winners) != 1 or best <= min(sc for sc, _ in scores):
            continue
        combo, quotes = tie.combos[winners[0]], tuple(dict.fromkeys(scores[winners[0]][1]))
        for k, run in open_runs:
            for row in run.rows:
                row.problems[:] = [p for p in row.problems if not isinstance(p, DigitsAmbiguous)]
            _take(run, combo[k], inferred=True)
            run.rows[0].problems.append(SplitByColumns())
            run.rows[0].problems.append(ProseChose(quotes))
