"""A result's tables as the cache stores them (the entry's `t` column) and reads them back.

Only the HTML report draws tables, and a page of several reports draws only the
rows findings are about (`rows_with_findings`).  So the blob has two parts:

* **the drawn rows**, uncompressed: `marshal` of (the table ids, the rows findings
  are about, those rows' data).  A few hundred bytes for a report with findings;
  for one without, only the table ids;
* **every table**, zlib-compressed `marshal`, unpacked only when an output wants
  whole tables (the page of one report).

Layout: a 4-byte length of the first part, the first part, the second part; an
empty blob for a result without tables.  `LazyTables` is the mapping an output
sees: it answers which tables there are from the first part, and `some_rows` takes
the drawn rows from it without touching the compressed part.

Tables as tuples: (id, span, truncated, rows, unmatched); a row (key, label, span,
line, cells); a cell (column, raw, kind, span); a span (line, col, end_col) or None.
The value of a cell is not stored: outputs print `raw`, as in the JSON form.
"""

from __future__ import annotations

import marshal
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Iterator

from .model import Cell, Finding, Row, Span, Table

Only = Mapping[str, "set[str] | frozenset[str] | None"]  # table → row keys (None: the whole table)


def rows_with_findings(findings: Iterable[Finding]) -> dict[str, set[str] | None]:
    """The rows of the cells findings are about, by table (what a page of several reports draws).

    A finding about a whole row draws that row, about a whole table the whole table
    (the section-四 table is one line of cells: always whole).  Related cells are not
    drawn for their own sake: each finding lists them with their values.
    """
    only: dict[str, set[str] | None] = {}
    for f in findings:
        if not f.table:
            continue
        if not f.row or f.table == "四":
            only[f.table] = None
        else:
            rows = only.setdefault(f.table, set())
            if rows is not None:
                rows.add(f.row)
    return only


# --------------------------------------------------------------------------- packing


def _span(s: Span | None) -> tuple | None:
    return (s.line, s.col, s.end_col) if s is not None else None


def _row_data(r: Row) -> tuple:
    return (r.key, r.label, _span(r.span), r.line,
            tuple((col, c.raw, c.kind, _span(c.span)) for col, c in r.cells.items()))


def _table_data(t: Table) -> tuple:
    return (t.id, _span(t.span), t.truncated, tuple(_row_data(r) for r in t.rows.values()),
            tuple(_row_data(r) for r in t.unmatched))


def _part_of(d: tuple, keys: Iterable[str] | None) -> tuple:
    """A table's data with only the rows `keys` (None: all of them); unmatched rows are kept."""
    if keys is None:
        return d
    return (d[0], d[1], d[2], tuple(r for r in d[3] if r[0] in keys), d[4])


def pack(tables: Mapping[str, Table], findings: Iterable[Finding]) -> bytes:
    """The blob of a result's tables (see the module docstring); b"" when there are none."""
    if not tables:
        return b""
    findings = list(findings)
    data = tuple(_table_data(t) for t in tables.values())
    only = {tid: None if rows is None else tuple(sorted(rows)) for tid, rows in rows_with_findings(findings).items()}
    drawn = tuple(_part_of(d, only[d[0]]) for d in data if d[0] in only)
    first = marshal.dumps((tuple(tables), only, drawn, _texts(findings)))
    return len(first).to_bytes(4, "big") + first + zlib.compress(marshal.dumps(data), 1)


def _texts(findings: list[Finding]) -> dict[tuple[str, str], tuple[str, tuple[str, ...]]]:
    """(fingerprint, code) → (message, notes) in Chinese, for the findings whose key no other has:
    the texts the page of several reports shows, rendered once when the result is made (the
    cache's key covers the catalogue they come from)."""
    out: dict[tuple[str, str], tuple[str, tuple[str, ...]]] = {}
    twice = set()
    for f in findings:
        key = (f.fingerprint, f.code)
        if key in out:
            twice.add(key)
        out[key] = (f.text("zh"), tuple(f.note_texts("zh")))
    for key in twice:
        del out[key]
    return out


# --------------------------------------------------------------------------- unpacking


def _row(d: tuple) -> Row:
    key, label, span, line, cells = d
    return Row(key, label, {col: Cell(raw, None, kind, Span._make(sp) if sp else None) for col, raw, kind, sp in cells},
               Span._make(span) if span else None, line)


def _table(d: tuple) -> Table:
    tid, span, truncated, rows, unmatched = d
    made = [_row(r) for r in rows]
    return Table(tid, {r.key: r for r in made if r.key is not None}, span=Span._make(span) if span else None,
                 truncated=truncated, unmatched=[_row(r) for r in unmatched])


def _covers(stored: Mapping[str, tuple[str, ...] | None], ids: tuple[str, ...], rows: Only) -> bool:
    """True when the stored drawn rows hold every row asked for (of the tables there are)."""
    for tid, keys in rows.items():
        if tid not in ids:
            continue
        if tid not in stored:
            return False
        have = stored[tid]
        if have is not None and (keys is None or not set(keys).issubset(have)):
            return False
    return True


class LazyTables(Mapping):
    """A result's tables from a cache entry: the whole tables are unpacked the first time
    an output asks for one; which tables there are, and the drawn rows, come without that."""

    __slots__ = ("_blob", "_tables", "_first")

    def __init__(self, blob: bytes) -> None:
        self._blob = blob
        self._tables: dict[str, Table] | None = None
        self._first: tuple | None = None  # (ids, drawn row keys by table, their data)

    def _head(self) -> tuple:
        if self._first is None:
            n = int.from_bytes(self._blob[:4], "big")
            self._first = marshal.loads(memoryview(self._blob)[4:4 + n])
        return self._first

    def _whole(self) -> tuple:
        n = int.from_bytes(self._blob[:4], "big")
        return marshal.loads(zlib.decompress(memoryview(self._blob)[4 + n:]))

    def _load(self) -> dict[str, Table]:
        if self._tables is None:
            self._tables = {t[0]: _table(t) for t in self._whole()} if self._blob else {}
            self._blob = b""
        return self._tables

    def __getitem__(self, key: str) -> Table:
        return self._load()[key]

    def __contains__(self, key: object) -> bool:
        return key in self._load() if self._tables is not None or not self._blob else key in self._head()[0]

    def __iter__(self) -> Iterator[str]:
        return iter(self._load() if self._tables is not None or not self._blob else self._head()[0])

    def __len__(self) -> int:
        return len(self._load() if self._tables is not None or not self._blob else self._head()[0])

    def texts(self) -> Mapping[tuple[str, str], tuple[str, tuple[str, ...]]]:
        """The findings' Chinese texts stored with the tables (`_texts`), by (fingerprint, code)."""
        if self._first is None and not self._blob:
            return {}
        return self._head()[3]

    def some(self, rows: Only) -> dict[str, Table]:
        """The tables named in `rows` with only the rows named, unpacking nothing else
        when the drawn part holds them (else from the whole tables, which stay packed)."""
        if not self._blob:
            return {}
        ids, stored, drawn, _ = self._head()
        data = drawn if _covers(stored, ids, rows) else self._whole()
        return {t[0]: _table(_part_of(t, rows[t[0]])) for t in data if t[0] in rows}


def stored_texts(tables: Mapping[str, Table]) -> Mapping[tuple[str, str], tuple[str, tuple[str, ...]]]:
    """The findings' Chinese texts stored with tables from the cache (`LazyTables.texts`); none for others."""
    return tables.texts() if isinstance(tables, LazyTables) else {}


def some_rows(tables: Mapping[str, Table], rows: Only) -> dict[str, Table]:
    """The tables named in `rows`, each with only the rows named (None: all its rows).

    For tables from the cache no other row is unpacked (the HTML page of several
    reports draws only the rows findings are about).  Rows that match no template
    row (`Table.unmatched`) are kept.
    """
    if isinstance(tables, LazyTables) and tables._tables is None:
        return tables.some(rows)
    return {
        tid: t if rows[tid] is None else replace(t, rows={k: r for k, r in t.rows.items() if k in rows[tid]})  # type: ignore[operator]
        for tid, t in tables.items() if tid in rows
    }
