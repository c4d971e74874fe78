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
from typing import Any, Literal, NamedTuple

from .messages import Message, known, shipped, text

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}

Value = int | Decimal | None


# --------------------------------------------------------------------------- positions


class Span(NamedTuple):
    """A range on one line of `Document.text` (1-based line and column, end exclusive).

    A named tuple rather than a frozen dataclass: immutable and hashable all the same,
    and made about three times faster (the parser makes one for every table cell).
    """

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

    def set_line(self, doc_line: int, cols: list[int], pieces: list[tuple[int, int, str | None]]) -> None:
        """All pieces of one line at once (`cols` ascending; pieces as `add` gives them, in that order).

        The same as calling `add` for each, for a line that has none yet; readers that
        emit a line whole use it (one call instead of one per piece).
        """
        if doc_line in self._cols:
            for col, (orig_line, orig_col, context) in zip(cols, pieces):
                self.add(doc_line, col, orig_line, orig_col, context)
            return
        self._cols[doc_line] = cols
        self._pieces[doc_line] = pieces

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
    `readings`: every reading kept (candidates first); `complete`: they are all the readings that
    break nothing (the decoder cut none off), so other evidence may choose among them (Y106).
    """

    raw: str
    candidates: tuple[tuple[str, ...], ...]
    more: bool = False
    run_together: bool = True  # False: tab cells with one missing, not a run of digits
    readings: tuple[tuple[str, ...], ...] = ()
    complete: bool = False


@dataclass(frozen=True, slots=True)
class DigitsUnreadable:
    """Run-together digits that cannot be a row of this table at all.

    reason: "long" (more digits than `limit` allows), "budget" (too many readings to
    weigh within the step bound), "none" (no way to cut them into the columns), "blanks" (every
    cut into the usual cells breaks the row's own sum, one with more blank cells keeps it: zeros
    printed blank vanish from run-together text).
    """

    raw: str
    digits: int
    limit: int
    reason: str


@dataclass(frozen=True, slots=True)
class SplitByColumns:
    """The row's digits had several readings; the relations across rows chose one."""


@dataclass(frozen=True, slots=True)
class ProseChose:
    """The row's digits had several readings that break no relation; sentences of the prose that
    state one of its cells agree with one reading only, and it was taken.  `quotes`: (the cell
    as a clerk names it, the words of the prose that state it)."""

    quotes: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class BlankPlaced:
    """A row with fewer numbers than columns: the blank cell's place was chosen (`places` fitted equally).

    `known` is False when the place is not known: the blank stands next to a 0 of the same digits
    (`0 00000` for a row of zeros), and putting it on the other side of that 0 reads the same
    values, so nothing can tell which of those cells was left blank."""

    places: int
    known: bool = True


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
            | DigitsUnreadable | SplitByColumns | BlankPlaced | ProseChose)


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
        for p in self.problems:  # a loop, not next(generator): most rows have no problems at all
            if isinstance(p, kind):
                return p
        return None


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
        if t is None:
            return None
        r = t.rows.get(row)  # (`Table.cell`, inline: the rules ask for cells one by one)
        return r.cells.get(column) if r is not None else None

    def value(self, table: str, row: str, column: str) -> Value:
        """Numeric value of a cell (blank = 0), or None when absent or unread."""
        c = self.cell(table, row, column)
        return c.number() if c else None


# --------------------------------------------------------------------------- findings


def _span_json(s: Span | None) -> list[int] | None:
    return [s.line, s.col, s.end_col] if s else None


def _span_from(v: Any) -> Span | None:
    return Span._make(map(int, v)) if v else None  # (no generator: read once per cached cell and related place)


def _location_list(loc: Location | None) -> list[Any] | None:
    """A Location in the internal form (the cache): its fields as a list."""
    return [loc.line, loc.column, loc.end_line, loc.end_column, loc.context] if loc else None


def location_from_json(d: Any) -> Location | None:
    """A Location from its JSON form, or from the internal list (None when there is no line)."""
    if isinstance(d, list):
        return Location(*d) if d else None
    if not isinstance(d, dict) or "line" not in d:
        return None
    line = int(d["line"])
    column = int(d.get("column") or 1)
    return Location(line, column, int(d.get("end_line") or line), int(d.get("end_column") or column), d.get("context"))


def text_json(value: "Message | str", lang: str, key: str, internal: bool = False) -> dict[str, Any]:
    """How every serialised text is written: `key` is the text in `lang` (for people and
    tools that read the JSON), `key_data` the Message as data (absent for plain text).
    `internal` (the cache and the workers' results, read back by `text_from_json` only)
    leaves out a Message's text: it is rendered again from the data when shown."""
    if isinstance(value, Message):
        if internal and shipped(value.id):  # (a plugin's text stays: `text_from_json` reads it where the id is unknown)
            return {key + "_data": value.to_json()}
        return {key: text(value, lang), key + "_data": value.to_json()}
    return {key: text(value, lang)}


def text_from_json(d: Any, key: str) -> "Message | str":
    data = d.get(key + "_data") if isinstance(d, dict) else None
    if isinstance(data, dict) and known(str(data.get("id", ""))):
        return Message.from_json(data)
    return str(d.get(key) or "") if isinstance(d, dict) else str(d or "")


@dataclass(slots=True)
class Related:
    """A secondary position shown with a finding (the parts of a sum, the other year's cell).

    `label` is a Message, or plain text that is data (a row label, a quoted heading).
    """

    span: Span | None
    label: "Message | str"
    location: Location | None = None
    path: str | None = None  # set when the position is in another file (cross-year rules)

    def to_json(self, lang: str = "zh", internal: bool = False) -> dict[str, Any] | list[Any]:
        """The JSON form; `internal` (the cache, a worker's result: a finding may have dozens of
        these) is the list [span, label as data or text, location as a list, path]."""
        if internal:
            label = self.label
            return [_span_json(self.span),
                    label.to_json() if isinstance(label, Message) and shipped(label.id) else text(label, lang),
                    _location_list(self.location), self.path]
        out: dict[str, Any] = {**(self.location.to_json() if self.location else {}), **text_json(self.label, lang, "label")}
        if self.path:
            out["path"] = self.path
        return out

    @classmethod
    def from_json(cls, d: dict[str, Any] | list[Any]) -> "Related":
        if isinstance(d, list):  # the internal form
            span, label, loc, path = d
            return cls(Span._make(span) if span else None,
                       Message.from_json(label) if isinstance(label, dict) else str(label),
                       Location(*loc) if loc else None, path)
        return cls(_span_from(d.get("span")), text_from_json(d, "label"), location_from_json(d), d.get("path"))


@dataclass
class Finding:
    """One diagnostic, as data: output formats render its message in their language.

    `message` and `notes` are Messages (id + arguments, texts in rules/messages.toml),
    rendered by each output in its language.  Plain text is accepted for plugin rules
    that build no Message (shown as it is, in whatever language it was written);
    `text()` renders both.
    """

    code: str
    name: str
    severity: Severity
    message: "Message | str"
    span: Span | None = None
    location: Location | None = None
    table: str | None = None
    row: str | None = None
    column: str | None = None
    stated: str | None = None
    expected: str | None = None
    related: list[Related] = field(default_factory=list)
    notes: list["Message | str"] = field(default_factory=list)  # 计算值 …, the relation's basis
    fingerprint: str = ""
    path: str = ""
    explains: tuple[str, ...] = ()  # codes of the relation failures this finding stands for (A100)

    def text(self, lang: str = "zh") -> str:
        """The message in `lang`."""
        return text(self.message, lang)

    def note_texts(self, lang: str = "zh") -> list[str]:
        return [text(n, lang) for n in self.notes]

    def to_json(self, lang: str = "zh", internal: bool = False) -> dict[str, Any]:
        """The finding's JSON form (the only serialiser: json, json-lines, report --from, cache, baseline).

        Texts are rendered in `lang`; `message_data`/`notes_data`/`label_data` keep them as
        data, so a saved file can be rendered again in another language.  `internal` (the cache
        and the workers' results, read back by `from_json` only) adds the spans in the read text
        (snippets are drawn from them), keeps the texts of gov-lint's own messages as data only,
        and writes the location and the related places as lists.
        """
        out: dict[str, Any] = {
            "code": self.code,
            "name": self.name,
            "severity": self.severity,
            **text_json(self.message, lang, "message", internal),
            "table": self.table,
            "row": self.row,
            "column": self.column,
            "stated": self.stated,
            "expected": self.expected,
            "location": (_location_list(self.location) if internal
                         else self.location.to_json() if self.location else None),
            "related": [r.to_json(lang, internal) for r in self.related],
            # (internal: a Message note as data only, like every text above)
            "notes": [None if internal and isinstance(n, Message) and shipped(n.id) else text(n, lang) for n in self.notes],
            "notes_data": [n.to_json() if isinstance(n, Message) else None for n in self.notes],
            "fingerprint": self.fingerprint,
        }
        if internal:
            out["span"] = _span_json(self.span)
        return out

    @classmethod
    def from_json(cls, d: dict[str, Any], path: str = "") -> "Finding":
        notes_data = list(d.get("notes_data") or [])
        notes: list[Message | str] = []
        for i, note in enumerate(d.get("notes") or []):
            data = notes_data[i] if i < len(notes_data) else None
            notes.append(text_from_json({"n": note, "n_data": data}, "n"))
        severity = d.get("severity")
        return cls(
            code=str(d["code"]),
            name=str(d.get("name") or ""),
            severity=severity if severity in SEVERITIES else "warning",
            message=text_from_json(d, "message"),
            span=_span_from(d.get("span")),
            location=location_from_json(d.get("location")),
            table=d.get("table"),
            row=d.get("row"),
            column=d.get("column"),
            stated=d.get("stated"),
            expected=d.get("expected"),
            related=[Related.from_json(r) for r in d.get("related") or [] if isinstance(r, (dict, list))],
            notes=notes,
            fingerprint=str(d.get("fingerprint") or ""),
            path=path or str(d.get("path") or ""),
        )


FileStatus = Literal["checked", "skipped", "error"]


@dataclass
class FileResult:
    """The outcome of checking one file: everything any output needs, as plain data.

    `source` holds the lines of the read text that the findings point at (line → text),
    so no output reads the input again; `numbered` says whether those are the file's own
    lines (False for text rebuilt from HTML, DOCX or PDF).  `tables` are the parsed
    tables and `layout` the template they are drawn in (HTML output).
    """

    path: str
    status: FileStatus = "checked"
    reason: "Message | str | None" = None
    template: str = "unknown"
    year: int | None = None
    agency: str | None = None  # a confident name only (title or header), else None
    agency_source: str | None = None  # where the best name was found: title | header | publisher | signature | contact
    agency_guess: str | None = None  # the best name when no source is confident (never used as the agency)
    findings: list[Finding] = field(default_factory=list)
    source: dict[int, str] = field(default_factory=dict)
    numbered: bool = True
    tables: dict[str, Table] = field(default_factory=dict)
    layout: str | None = None
    report: Report | None = None  # the parse, for in-process users (cross-year facts, extract); never output
    extra: bool = False  # a second block for a file: its cross-year findings, sent after all files

    def counts(self) -> dict[str, int]:
        out = {"error": 0, "warning": 0, "info": 0}
        for f in self.findings:
            out[f.severity] += 1
        return out

    def reason_text(self, lang: str = "zh") -> str | None:
        return None if self.reason is None else text(self.reason, lang)

    def to_json(self, lang: str = "zh") -> dict[str, Any]:
        """The file's JSON form (outputs, `report --from`)."""
        return {
            "path": self.path,
            "status": self.status,
            **(text_json(self.reason, lang, "reason") if self.reason is not None else {"reason": None}),
            "template": self.template,
            "year": self.year,
            "agency": self.agency,
            "agency_source": self.agency_source,
            "agency_guess": self.agency_guess,
            "findings": [f.to_json(lang) for f in self.findings],
        }

    def to_internal(self) -> tuple:
        """The form the cache stores and workers send (read back by `from_internal` only): the JSON
        form's fields as a tuple, the findings in their internal JSON form (spans, texts of known
        messages as data only), the source lines keyed by number, without the path and the tables
        (`table_blob` packs them apart)."""
        reason = text_json(self.reason, "zh", "reason", internal=True) if self.reason is not None else None
        return (self.status, reason, self.template, self.year, self.agency, self.agency_source, self.agency_guess,
                [f.to_json("zh", internal=True) for f in self.findings], self.source, self.numbered, self.layout)

    @classmethod
    def from_internal(cls, data: tuple, path: str) -> "FileResult":
        status, reason, template, year, agency, agency_source, agency_guess, findings, source, numbered, layout = data
        return cls(
            path=path, status=status, reason=text_from_json(reason, "reason") if reason is not None else None,
            template=template, year=year, agency=agency, agency_source=agency_source, agency_guess=agency_guess,
            findings=[Finding.from_json(f, path) for f in findings] if findings else [],
            source=source, numbered=numbered, layout=layout,
        )

    @classmethod
    def from_json(cls, d: dict[str, Any], path: str | None = None) -> "FileResult":
        """A FileResult from its JSON form (`to_json`; `report --from`)."""
        path = str(path if path is not None else d["path"])
        get = d.get
        status = get("status")
        findings = get("findings")
        return cls(
            path=path,
            status=status if status in ("checked", "skipped", "error") else "checked",
            reason=text_from_json(d, "reason") if get("reason") is not None or get("reason_data") else None,
            template=str(get("template") or "unknown"),
            year=get("year"),
            agency=get("agency"),
            agency_source=get("agency_source"),
            agency_guess=get("agency_guess"),
            findings=[Finding.from_json(f, path) for f in findings] if findings else [],
        )
