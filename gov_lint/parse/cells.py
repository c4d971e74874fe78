"""Split a table-row line into cells and read each cell's value.

Works on the folded line (same columns as the original), so every cell keeps the
span of its stripped text in the file.  Per-cell work is plain string operations;
this is the hot path of a large archive scan.
"""

from __future__ import annotations

import re
from functools import lru_cache
from decimal import Decimal, InvalidOperation

from ..model import Cell, Span

# A number as printed in a cell: optional sign, digits (with thousands separators),
# optional decimals, optional unit or counter word.
_NUMBER = re.compile(
    r"^(?P<sign>[+-])?\s*(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<frac>\d+))?\s*(?P<unit>万元|亿元|元|个|件|项|条|次|人|家|宗|份)?$"
)
_DASH = {"-", "—", "——", "--", "/", "－", "–", "\\"}


def row_cells(text: str, line: int) -> tuple[tuple[str, Span], ...]:
    """The cells of a row line as (stripped text, span); empty cells keep a span too.

    Tab-separated, or a markdown pipe row (`| a | b |`: the outer pipes are not
    cells).  One pass makes each cell's text and span (with `tuple.__new__`, what
    `Span(...)` does without its Python-level `__new__`).  Not cached: `split_row` and
    `tables.split_row_label` are, by text and line.
    """
    stripped = text.strip()
    if stripped.startswith("|") and stripped.endswith("|") and len(stripped) > 1:
        pos = text.index("|") + 1
        pieces = text[pos: text.rindex("|")].split("|")
    else:
        pos, pieces = 0, text.split("\t")
    new = tuple.__new__
    cells: list[tuple[str, Span]] = []
    append = cells.append
    for raw in pieces:
        value = raw.strip()
        size = len(raw)
        if len(value) == size:  # nothing to strip (the usual cell)
            append((value, new(Span, (line, pos + 1, pos + 1 + size))))
        else:
            col = pos + size - len(raw.lstrip()) + 1
            append((value, new(Span, (line, col, col + len(value)))))
        pos += size + 1
    return tuple(cells)


@lru_cache(maxsize=4096)
def split_row(text: str, line: int) -> tuple[tuple[str, Span], ...]:
    """`row_cells`, cached: the table readers look at the same lines more than once."""
    return row_cells(text, line)


def cell_columns(text: str) -> tuple[tuple[str, int, int], ...]:
    """The cells of a row line as (stripped text, 1-based column, end column), whatever its line."""
    return tuple([(value, span.col, span.end_col) for value, span in row_cells(text, 0)])


def read_cell(raw: str, span: Span | None) -> Cell:
    """A Cell from the (folded, stripped) text of a table cell."""
    value, kind, unit, signed = _meaning(raw)
    return Cell(raw, value, kind, span, unit, signed)


_MEANINGS: dict[str, tuple[int | Decimal | None, str, str | None, bool]] = {}  # `_meaning` by cell text
_MEANINGS_MAX = 16384  # texts kept before the memo starts again
_MEANING_LONGEST = 40  # longer cell texts (words, not numbers) are read without the memo
_new = object.__new__


def read_cells(columns, fitted) -> dict[str, Cell]:
    """Cells of `columns` from (text, span) pairs in column order (a table row's hot path).

    Each Cell is what `Cell(raw, value, kind, span, unit, signed)` makes, with its fields set here
    on `object.__new__(Cell)`: the dataclass's `__init__` costs a Python call per cell, and a
    report has some 250 cells.  `tests/test_parse_shortcuts.py` holds the two to every field.
    The meaning of a cell's text comes from a plain dict (a number recurs in every report).
    """
    memo = _MEANINGS
    out: dict[str, Cell] = {}
    for col, (raw, span) in zip(columns, fitted):
        m = memo.get(raw)
        if m is None:
            m = _meaning(raw)
            if len(raw) <= _MEANING_LONGEST:
                if len(memo) >= _MEANINGS_MAX:
                    memo.clear()
                memo[raw] = m
        cell = _new(Cell)
        cell.raw = raw
        cell.value, cell.kind, cell.unit, cell.signed = m
        cell.span = span
        cell.inferred = False
        out[col] = cell
    return out


@lru_cache(maxsize=16384)
def _meaning(raw: str) -> tuple[int | Decimal | None, str, str | None, bool]:
    """(value, kind, unit, signed) of a cell's text; the same text always means the same."""
    if not raw:
        return None, "blank", None, False
    if raw in _DASH:
        return None, "dash", None, False
    m = _NUMBER.match(raw)
    if not m:
        return None, "text", None, False
    digits = m.group("int").replace(",", "")
    sign = m.group("sign")
    frac = m.group("frac")
    value: int | Decimal
    if frac is not None:
        try:
            value = Decimal(f"{digits}.{frac}")
        except InvalidOperation:  # pragma: no cover - the regex only admits digits
            return None, "text", None, False
    else:
        value = int(digits)
    if sign == "-":
        value = -value
    return value, "number", m.group("unit"), sign is not None


@lru_cache(maxsize=16384)
def is_numeric(raw: str) -> bool:
    """True for a cell that holds a number, a dash, or a run of digits (not a label)."""
    return bool(raw) and (raw in _DASH or _NUMBER.match(raw) is not None or raw.replace(" ", "").isdigit())
