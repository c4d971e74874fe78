"""The data that flows through gov-lint: Document → Report → Finding → FileResult.

read   produces a `Document` (text + source map back to the original file);
parse  produces a `Report` (sections, tables, rows, cells keyed by canonical labels);
rules  produce `Finding`s;
check  wraps them in a `FileResult` that every output format renders.

Positions inside a Document are `Span`s: 1-based line, 1-based start column and
exclusive end column, counted in characters of `Document.text`.  `Document.locate`
turns a Span into a `Location` in the original file (line/column, or a page or a
table cell for formats that have no useful lines).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}

Value = int | Decimal | None


# --------------------------------------------------------------------------- positions


@dataclass(frozen=True, slots=True)
class Span:
    """A range on one line of `Document.text` (1-based line and column, end exclusive)."""

    line: int
    col: int
    end_col: int


@dataclass(frozen=True, slots=True)
class Location:
    """A position in the original file, as shown to users and written to JSON.

    `context` describes positions that lines cannot: "第 2 页", "表格 3 第 4 行 第 2 格".
    """

    line: int
    column: int
    end_line: int
    end_column: int
    context: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
        }
        if self.context:
            out["context"] = self.context
        return out


class SourceMap:
    """Maps positions in a Document's text back to the original file.

    Readers that rebuild text (HTML, DOCX, PDF) call `add` for every piece of text
    they emit: document line and column where the piece starts, and where it came
    from.  Lookups find the last piece that starts at or before the column.
    """

    __slots__ = ("_cols", "_pieces")

    def __init__(self) -> None:
        self._cols: dict[int, list[int]] = {}
        self._pieces: dict[int, list[tuple[int, int, str | None]]] = {}

    def add(self, doc_line: int, doc_col: int, orig_line: int, orig_col: int, context: str | None = None) -> None:
        cols = self._cols.setdefault(doc_line, [])
        pieces = self._pieces.setdefault(doc_line, [])
        i = bisect.bisect_right(cols, doc_col)
        cols.insert(i, doc_col)
        pieces.insert(i, (orig_line, orig_col, context))

    def locate(self, doc_line: int, doc_col: int) -> tuple[int, int, str | None]:
        cols = self._cols.get(doc_line)
        if not cols:
            return doc_line, doc_col, None
        i = bisect.bisect_right(cols, doc_col) - 1
        if i < 0:
            i = 0
        orig_line, orig_col, context = self._pieces[doc_line][i]
        return orig_line, orig_col + max(0, doc_col - cols[i]), context


@dataclass
class Document:
    """A report's text as read from a file, whatever the file format was.

    `text` is what the parser reads: decoded, newlines normalised to "\\n", tables as
    lines of tab-separated (or markdown-pipe) cells.  `norm` is the same text with
    full-width digits, letters and punctuation folded to their ASCII forms; it has
    exactly the same length, so a column in one is the same column in the other.
    """

    path: str
    text: str
    format: str = "text"
    encoding: str | None = None
    source_map: SourceMap | None = None
    meta: dict[str, str] = field(default_factory=dict)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (code, detail) from the reader
    norm: str = ""
    lines: list[str] = field(default_factory=list)
    norm_lines: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.norm:
            from .text import fold

            self.norm = fold(self.text)
        if not self.lines:
            self.lines = self.text.split("\n")
        if not self.norm_lines:
            self.norm_lines = self.norm.split("\n")

    def line(self, n: int) -> str:
        """The text of 1-based line `n` ("" outside the document)."""
        return self.lines[n - 1] if 0 < n <= len(self.lines) else ""

    def locate(self, span: Span | None) -> Location | None:
        """The original-file location of a span of this document's text."""
        if span is None:
            return None
        if self.source_map is None:
            return Location(span.line, span.col, span.line, span.end_col)
        line, col, context = self.source_map.locate(span.line, span.col)
        end_line, end_col, _ = self.source_map.locate(span.line, max(span.col, span.end_col - 1))
        if end_line != line or end_col < col:
            end_line, end_col = line, col
        return Location(line, col, end_line, end_col + 1, context)


# --------------------------------------------------------------------------- report


CellKind = Literal["number", "blank", "dash", "text", "unread"]


@dataclass(slots=True)
class Cell:
    """One table cell: what was printed, what it means, and where it is.

    kind: "number" (value is int or Decimal), "blank" (empty cell), "dash" (—, a
    printed "nothing"), "text" (words where a number belongs; value None),
    "unread" (the parser could not tell what this cell holds).
    """

    raw: str
    value: Value
    kind: CellKind
    span: Span | None = None
    unit: str | None = None
    signed: bool = False  # printed with an explicit + or -
    inferred: bool = False  # value chosen by the parser from the template's relations

    @property
    def known(self) -> bool:
        """True when the cell has a definite numeric meaning (number, or blank/dash = 0)."""
        return self.kind in ("number", "blank", "dash")

    def number(self) -> Value:
        """The numeric value, blank and dash counting as 0; None for text/unread cells."""
        if self.kind == "number":
            return self.value
        if self.kind in ("blank", "dash"):
            return 0
        return None


# --------------------------------------------------------------------------- parse issues
#
# What the parser could not read, or read only by inference, as data: one small
# frozen record per kind, kept on the Row (`Row.problems`) or the Table
# (`Table.issues`).  The P rules in rules/builtin.py turn them into findings.


@dataclass(frozen=True, slots=True)
class CellCount:
    """The row's numbers do not fit the columns (`found` numbers were read)."""

    found: int


@dataclass(frozen=True, slots=True)
class HeaderUnknown:
    """A section-二 block header names no column, so its rows cannot be given columns."""


@dataclass(frozen=True, slots=True)
class NoNumbers:
    """A row label whose numbers never came (a table cut off)."""


@dataclass(frozen=True, slots=True)
class Duplicate:
    """The row appears a second time; the first one is used."""


@dataclass(frozen=True, slots=True)
class LabelInferred:
    """The row was identified by its place between recognised rows, not by its label."""


@dataclass(frozen=True, slots=True)
class DigitsAmbiguous:
    """Run-together digits (or a row missing a cell) with several readings that break no relation.

    `candidates`: a few of those readings, each the cell texts in column order ("" = blank).
    `more`: there were more readings than listed.
    """

    raw: str
    candidates: tuple[tuple[str, ...], ...]
    more: bool = False
    run_together: bool = True  # False: tab cells with one missing, not a run of digits


@dataclass(frozen=True, slots=True)
class DigitsUnreadable:
    """Run-together digits that cannot be a row of this table at all.

    reason: "long" (more digits than `limit` allows), "budget" (too many readings to
    weigh within the step bound), "none" (no way to cut them into the columns).
    """

    raw: str
    digits: int
    limit: int
    reason: str


@dataclass(frozen=True, slots=True)
class SplitByColumns:
    """The row's digits had several readings; the relations across rows chose one."""


@dataclass(frozen=True, slots=True)
class BlankPlaced:
    """A row with fewer numbers than columns: the blank cell's place was chosen (`places` fitted equally)."""

    places: int


@dataclass(frozen=True, slots=True)
class Decoded:
    """Every reading of the table's run-together digits breaks some relation.

    The report is wrong whatever the split: the cells hold `chosen`, the reading that
    breaks the fewest relations (`broken` of them, codes `codes`), and the relation
    rules report their failures at error severity on it.  `ties` are other readings
    that break as few; `readings` is how many whole-table readings were weighed.
    A reading is ((row key, (cell text, …)), …) for the rows read from digits.
    """

    broken: int
    codes: tuple[str, ...]
    chosen: tuple[tuple[str, tuple[str, ...]], ...]
    ties: tuple[tuple[tuple[str, tuple[str, ...]], ...], ...] = ()
    readings: int = 1


RowIssue = (CellCount | HeaderUnknown | NoNumbers | Duplicate | LabelInferred | DigitsAmbiguous
            | DigitsUnreadable | SplitByColumns | BlankPlaced)


@dataclass(slots=True)
class Row:
    """A table row with its canonical key (None if the label was not recognised)."""

    key: str | None
    label: str
    cells: dict[str, Cell]
    span: Span | None = None  # the label
    line: int = 0
    problems: list[RowIssue] = field(default_factory=list)

    def issue(self, kind: type) -> Any:
        """The row's first issue of that kind, or None."""
        return next((p for p in self.problems if isinstance(p, kind)), None)


@dataclass(slots=True)
class Table:
    """A parsed table: "二" (the 第二十条 blocks together), "三" or "四"."""

    id: str
    rows: dict[str, Row] = field(default_factory=dict)
    columns: list[str] = field(default_factory=list)
    span: Span | None = None
    truncated: bool = False
    unmatched: list[Row] = field(default_factory=list)
    issues: list[Decoded] = field(default_factory=list)

    def cell(self, row: str, column: str) -> Cell | None:
        r = self.rows.get(row)
        return r.cells.get(column) if r else None


@dataclass(slots=True)
class Section:
    """A top-level section 一…六 of the report."""

    number: str  # "一" … "六"
    title: str
    span: Span  # the heading
    start_line: int  # first line of the body
    end_line: int  # last line of the body (inclusive)


@dataclass
class Report:
    """Everything the parser understood about one report."""

    document: Document
    template: str = "unknown"  # "2019" | "2021" | "legacy" | "unknown"
    year: int | None = None
    year_span: Span | None = None
    agency: str | None = None  # only a confident name (agency.choose); else None
    agency_span: Span | None = None
    agency_source: str | None = None  # title | header | publisher | signature | contact
    agency_guess: str | None = None  # a name from an unconfident source (not shown as the agency)
    title: str | None = None
    title_span: Span | None = None
    sections: list[Section] = field(default_factory=list)
    tables: dict[str, Table] = field(default_factory=dict)
    signatures: dict[str, list[tuple[str, Span]]] = field(default_factory=dict)  # template → hits
    parse_notes: list["Finding"] = field(default_factory=list)

    @property
    def path(self) -> str:
        return self.document.path

    def section(self, number: str) -> Section | None:
        for s in self.sections:
            if s.number == number:
                return s
        return None

    def cell(self, table: str, row: str, column: str) -> Cell | None:
        t = self.tables.get(table)
        return t.cell(row, column) if t else None

    def value(self, table: str, row: str, column: str) -> Value:
        """Numeric value of a cell (blank = 0), or None when absent or unread."""
        c = self.cell(table, row, column)
        return c.number() if c else None


# --------------------------------------------------------------------------- findings


@dataclass(slots=True)
class Related:
    """A secondary position shown with a finding (the parts of a sum, the other year's cell)."""

    span: Span | None
    label: str
    location: Location | None = None
    path: str | None = None  # set when the position is in another file (cross-year rules)


@dataclass
class Finding:
    """One diagnostic.  Output formats render only this record."""

    code: str
    name: str
    severity: Severity
    message: str
    span: Span | None = None
    location: Location | None = None
    table: str | None = None
    row: str | None = None
    column: str | None = None
    stated: str | None = None
    expected: str | None = None
    related: list[Related] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # "= 计算值 …", basis lines
    fingerprint: str = ""
    path: str = ""
    # the message as data (id + arguments); transitional: `message`/`notes` still hold the
    # text rendered in the run's language until every rule builds Messages
    data: Any = None
    note_data: list[Any] = field(default_factory=list)
    explains: tuple[str, ...] = ()  # codes of the relation failures this finding stands for (A100)

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "severity": self.severity,
            "message": self.message,
            "table": self.table,
            "row": self.row,
            "column": self.column,
            "stated": self.stated,
            "expected": self.expected,
            "location": self.location.to_json() if self.location else None,
            "related": [
                {**(r.location.to_json() if r.location else {}), "label": r.label, **({"path": r.path} if r.path else {})}
                for r in self.related
            ],
            "notes": list(self.notes),
            "fingerprint": self.fingerprint,
        }


FileStatus = Literal["checked", "skipped", "error"]


@dataclass
class FileResult:
    """The outcome of checking one file."""

    path: str
    status: FileStatus = "checked"
    reason: str | None = None
    template: str = "unknown"
    year: int | None = None
    agency: str | None = None
    findings: list[Finding] = field(default_factory=list)
    report: Report | None = None  # kept for renderers that draw tables (html); not serialised
    extra: bool = False  # a second block for a file: its cross-year findings, sent after all files

    def counts(self) -> dict[str, int]:
        out = {"error": 0, "warning": 0, "info": 0}
        for f in self.findings:
            out[f.severity] += 1
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "status": self.status,
            "reason": self.reason,
            "template": self.template,
            "year": self.year,
            "agency": self.agency,
            "findings": [f.to_json() for f in self.findings],
        }
