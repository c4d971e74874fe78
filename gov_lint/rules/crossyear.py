"""Cross-year checks (`Y` rules): reports of one body for consecutive years.

A check of one file cannot see last year's report, so every checked file also
yields a small `Facts` record: agency (and whether that name is confident),
year, template, the cells the cross-year relations read, and a digest of each
table row.  Facts are cheap to keep for 10,000 files, travel back from worker
processes and are stored in the result cache.

The relations are data, in the relation language, in
`rules/relations/crossyear/*.toml`; a cell written `前.三[四][c]` is the previous
year's report.  Nothing here restates a sum.  `CrossYear.add(facts)` takes the
files in input order and answers, for each file, the Y findings it takes part in
with files seen before it:

* relations (Y101 carry-over, Y102 2019-format item counts, Y103 documents in
  force) between this file and the same body's report of the year before or
  after, when that report came earlier in the input;
* Y104: a second report of the same body and year (the first one is the one
  compared);
* Y105: a table, or rows of it, identical to the previous year's report while
  the rest changed (copied forward and not updated); rows of zeros and rows of
  small numbers are not compared.

A finding therefore belongs to the file of the pair that comes *later in the
input order*, at that file's own cell, with the other file's cells as related
locations.  So every file's findings are complete when the file itself is done:
the runner never holds a result back and never sends a second block for a file,
and memory stays the facts alone.  In the usual order (older years first) that
file is the later year's report.  The fingerprint is that of the later year's
cell whichever file reports it, so it does not depend on the input order.

Pairing needs a confident identity: a name from the title or the crawler's
header, or any name the `--agency-map` lists.  A pair where one name is only a
guess (signature or contact line) gives at most an info.
"""

from __future__ import annotations

import hashlib
import marshal
import sqlite3
import sys
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cache
from operator import itemgetter
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping, NamedTuple, Protocol

from ..agency import AgencyMap, agency_key
from ..fingerprint import fingerprint
from ..messages import Message
from ..model import Cell, Document, Finding, Location, Related, Report, Span, Table
from ..relations import expand, template_sets
from ..templates import load_template, packs_dir
from ..tomlfile import tomllib
from .base import CheckContext, Rule, RuleDoc, doc
from .crossyear_ties import Y106, Decision, decide, draw_readings, recheck, tie_facts
from .engine import row_label, short_label
from .expr import ExprError, Instance, Ref

TEMPLATES = ("2019", "2021")
COPY_TABLES = ("三", "四")  # tables compared row by row for Y105
# a row is compared only when at least COPY_MIN_CELLS of its cells (总计 aside) are not 0 and they add
# up to COPY_MIN_SUM or more: small bodies repeat rows like "3 0 0 0 0 0 3" by chance
COPY_MIN_SUM = 10
COPY_MIN_CELLS = 2


# --------------------------------------------------------------------------- relations


@dataclass(frozen=True)
class CrossSpec:
    """One `[[relation]]` of rules/relations/crossyear/*.toml."""

    code: str
    name: str
    severity: str
    basis: str
    expr: str
    templates: tuple[str, ...]
    across_formats: bool
    message: str
    origin: str
    data: dict[str, Any]

    def applies(self, prev_template: str, cur_template: str) -> bool:
        return cur_template in self.templates and (self.across_formats or prev_template == cur_template)


def crossyear_folder() -> Path:
    return packs_dir() / "relations" / "crossyear"


@cache
def cross_specs(folder: str | None = None) -> tuple[CrossSpec, ...]:
    """The cross-year relations, checked when loaded: every cell must name a row and column
    of the template (a typo is an ExprError naming the file and the relation)."""
    base = Path(folder) if folder else crossyear_folder()
    out: list[CrossSpec] = []
    for path in sorted(base.glob("*.toml")):
        with path.open("rb") as fh:
            data = tomllib.load(fh)
        for d in data.get("relation", []):
            spec = CrossSpec(
                code=d["code"], name=d["name"], severity=d.get("severity", "warning"), basis=d.get("basis", ""),
                expr=d["expr"], templates=tuple(d.get("templates", TEMPLATES)),
                across_formats=bool(d.get("across_formats", False)), message=d.get("message", d["code"]),
                origin=f"relations/crossyear/{path.name}", data=d,
            )
            _validate(spec)
            out.append(spec)
    return tuple(out)


def _validate(spec: CrossSpec) -> None:
    for tid in spec.templates:
        try:
            instances = expand(spec.expr, tid)
        except ExprError as exc:
            raise ExprError(f"{spec.origin} {spec.code}: {exc}") from None
        for inst in instances:
            for ref in inst.lhs + inst.rhs:
                if not _known(ref, tid if not ref.prev or not spec.across_formats else None):
                    raise ExprError(f"{spec.origin} {spec.code}: unknown cell {ref.table}[{ref.row}][{ref.column}]")
        if not any(r.prev for inst in instances for r in inst.lhs + inst.rhs):
            raise ExprError(f"{spec.origin} {spec.code}: a cross-year relation needs a cell of the previous year (前.)")


def _known(ref: Ref, template: str | None) -> bool:
    """Whether a row and column exist in the template (in either when `template` is None)."""
    for tid in (template,) if template else TEMPLATES:
        sets = template_sets(tid)
        table = sets.get(ref.table, {})
        rows = set(table.get("rows", ()))
        if ref.table == "二":  # section-二 columns come from the 第二十条 blocks
            cols = {c.key for b in load_template(tid).blocks for c in b.columns}
        else:
            cols = set(table.get("columns", ()))
        if ref.row in rows and ref.column in cols:
            return True
    return False


@cache
def wanted_rows(template: str) -> frozenset[tuple[str, str]]:
    """(table, row) of every row a cross-year relation reads in a report of `template`."""
    return frozenset((t, r) for t, r, _c in wanted_cells(template))


@cache
def wanted_cells(template: str) -> tuple[tuple[str, str, str], ...]:
    """(table, row, column) of every cell a report of `template` may give to a relation,
    as this year's report or as the previous year's."""
    seen: dict[tuple[str, str, str], None] = {}
    for spec in cross_specs():
        uses_as_cur = template in spec.templates
        uses_as_prev = spec.across_formats or template in spec.templates
        for tid in spec.templates:
            for inst in expand(spec.expr, tid):
                for ref in inst.lhs + inst.rhs:
                    if (ref.prev and uses_as_prev) or (not ref.prev and uses_as_cur and tid == template):
                        seen[(ref.table, ref.row, ref.column)] = None
    return tuple(seen)


# --------------------------------------------------------------------------- rules


def _relation_rule(spec: CrossSpec) -> Rule:
    d = spec.data
    return Rule(
        code=spec.code, name=spec.name, severity=spec.severity, summary=d["summary"], summary_en=d.get("summary_en", ""),
        doc=RuleDoc(d["what"], d["why"], d["example"], d["fix"], d.get("what_en", ""), d.get("why_en", ""),
                    d.get("fix_en", ""), d.get("example_en", "")),
        check=None, emitted_by="crossyear", origin=spec.origin, basis=spec.basis,
    )


Y104 = Rule(
    code="Y104", name="duplicate-report", severity="info",
    summary="同一机关同一年度有两份报告", summary_en="Two reports claim the same agency and year",
    doc=doc(
        "一起检查的文件中，有两份报告的机关名称（规范化后）和年度相同。跨年度检查只使用先出现的那一份。",
        "重复的报告可能是同一报告的两个版本（修订稿、不同格式），也可能是年度或机关名称写错了。"
        "跨年度比较需要知道用哪一份。",
        "reports/2022/甲县政府.txt 与 reports/2022/甲县人民政府（修订）.pdf 都是 甲县政府 的 2022 年度报告",
        "删除旧版本或把它移出检查范围（exclude）；如果是年度或机关名称写错了，改正报告。",
        what_en="Two checked files have the same (normalised) agency and year; cross-year checks use the first.",
        why_en="Usually two versions of one report, or a wrong year or agency name.",
        fix_en="Remove or exclude the old version, or correct the year or agency name.",
    ),
    check=None, emitted_by="crossyear", origin="builtin",
)

Y105 = Rule(
    code="Y105", name="copied-forward", severity="warning",
    summary="表格或其中几行与上一年度报告完全相同，可能未更新",
    summary_en="A table, or rows of it, exactly as in last year's report: perhaps not updated",
    doc=doc(
        "同一机关相邻两年的报告一起检查时，逐行比较第三部分和第四部分表格。一行的每一格都与上一年度相同、"
        "而同一表的其他行已经变化，或者整张表与上一年度完全相同（且不全为 0），就报告这些行。"
        f"只比较（总计之外）至少有 {COPY_MIN_CELLS} 格不为 0、且这些格相加不少于 {COPY_MIN_SUM} 的行："
        "全为 0 的行和只有零星几件的行，申请很少的机关两年相同很正常，不报告。",
        "很多填错的年报是把上一年的表格复制过来、只改了一部分：改过的行和没改的行合不上，勾稽关系就不成立。"
        "指出没有改的行，比只说“合计不对”更容易找到原因。",
        "2022 年报告：（二）部分公开 各列 6 0 0 0 0 5，总计 11\n"
        "2023 年报告：同一行仍是 6 0 0 0 0 5 11，而本年新收等行都已变化   ← Y105",
        "按今年的台账重新填写这些行；如果今年的数字确实与去年相同，可以忽略这条警告（或写入基线）。",
        what_en="When one body's reports of consecutive years are checked together, compares the section-三 and "
                "section-四 tables row by row: rows identical to last year's while other rows changed, or a whole "
                f"table identical (not all zero), are reported. Only rows with at least {COPY_MIN_CELLS} non-zero cells "
                f"besides 总计, adding up to {COPY_MIN_SUM} or more, are compared.",
        why_en="Many wrong reports are last year's table copied and half updated; naming the rows that were not "
               "updated points at the cause.",
        fix_en="Fill these rows in from this year's register; ignore the warning if the numbers really are the same.",
    ),
    check=None, emitted_by="crossyear", origin="builtin",
)


@cache
def crossyear_rules() -> tuple[Rule, ...]:
    return tuple(_relation_rule(s) for s in cross_specs()) + (Y104, Y105, Y106)


CROSSYEAR_RULES: tuple[Rule, ...] = crossyear_rules()
RULES = list(CROSSYEAR_RULES)  # for the rule registry; they run after each file, in the runner


# --------------------------------------------------------------------------- facts


@dataclass(slots=True)
class CellFact:
    value: int | Decimal
    raw: str
    span: Span | None
    location: Location | None


@dataclass(slots=True)
class RowPlace:
    """Where a row that may be reported as copied (Y105) is printed: its first cell."""

    span: Span | None
    location: Location | None


def _span_data(s: Span | None) -> tuple | None:
    return (s.line, s.col, s.end_col) if s else None


def _loc_data(loc: Location | None) -> tuple | None:
    return (loc.line, loc.column, loc.end_line, loc.end_column, loc.context) if loc else None


def _key(table: str, row: str, column: str) -> str:
    return sys.intern(f"{table}|{row}|{column}")


@cache
def _ref_key(ref: Ref) -> str:
    """The facts key of a relation's cell reference (computed once per reference)."""
    return _key(ref.table, ref.row, ref.column)


@dataclass(slots=True)
class Facts:
    """What the cross-year rules need to know of one report, as plain data.

    Cells and row places are kept as tuples (value, raw, span, location) and made into
    `CellFact`/`RowPlace` records only when a rule asks (`cell`, `place`): facts travel
    from workers, live in the cache and wait in `CrossYear`'s store as `marshal` bytes,
    so they must be cheap to pack and unpack."""

    path: str
    agency: str | None
    year: int | None
    template: str
    cells: dict[str, tuple] = field(default_factory=dict)  # "table|row|column" → (value, raw, span, location)
    agency_location: Location | None = None
    index: int = 0  # position in the run's input order (set by the runner)
    confident: bool = True  # the agency name comes from the title or a header
    rows: dict[str, dict[str, tuple]] = field(default_factory=dict)  # table → row → its columns and values (`_row_digest`)
    # the rows worth comparing (COPY_MIN_CELLS non-zero cells adding up to COPY_MIN_SUM) and where they are
    places: dict[str, dict[str, tuple]] = field(default_factory=dict)  # table → row → (span, location)
    # decoding ties a cross-year relation may break, and their tables (crossyear_ties.tie_facts); most reports: {}
    ties: dict[str, tuple] = field(default_factory=dict)
    tie_tables: dict[str, tuple] = field(default_factory=dict)

    def cell(self, table: str, row: str, column: str) -> CellFact | None:
        d = self.cells.get(f"{table}|{row}|{column}")
        if d is None:
            return None
        value, raw, span, loc = d
        v = value if isinstance(value, int) else Decimal(value)
        return CellFact(v, raw, Span(*span) if span else None, Location(*loc) if loc else None)

    def place(self, table: str, row: str) -> RowPlace:
        span, loc = self.places[table][row]
        return RowPlace(Span(*span) if span else None, Location(*loc) if loc else None)

    def to_data(self) -> tuple:
        """Plain data for `marshal` and the cache: (header, body bytes, quick bytes).  The header
        says whom and which year the report is about; the body (cells, row digests, row places)
        is unpacked only when a pair of reports may give a finding; the quick part (`Quick`)
        tells most pairs apart from those without unpacking either body."""
        header = (self.agency, self.year, self.template, self.confident, _loc_data(self.agency_location))
        body = (self.cells, self.rows, self.places) + ((self.ties, self.tie_tables) if self.ties else ())
        # version 2: no shared references, quicker to write
        return header, marshal.dumps(body, 2), marshal.dumps(tuple(self.quick()), 2)

    def quick(self) -> "Quick":
        """What a pair's quick test reads (`CrossYear._surely_none`), worked out from the cells and
        rows as they are now (a tie Y106 broke changes them, and the facts are packed again)."""
        tokens = tuple(marshal.dumps((tid, k, self.rows[tid][k]), 2)
                       for tid, places in self.places.items() for k in places)
        return Quick(self.quick_values(), tokens, bool(self.ties))

    def quick_values(self) -> tuple:
        """`Quick.values`: the value of every cell of `_flat_keys(template)` (None: not read)."""
        get = self.cells.get
        return tuple(d[0] if (d := get(k)) is not None else None for k in _flat_keys(self.template))

    @classmethod
    def from_data(cls, d: Any, path: str, index: int = 0) -> "Facts":
        return PackedFacts(path, d[0], d[1], index, d[2]).unpack()


class Quick(NamedTuple):
    """A report's facts as a pair's quick test reads them (a few dozen small values, quick to unpack).

    `values`: the value of every cell of `_flat_keys(template)`, in that order (None: not read);
    `tokens`: each row worth comparing for Y105 as the bytes of (table, row, digest), so two
    reports share a token exactly when such a row is the same in both; `tied`: the report has a
    tie Y106 may break."""

    values: tuple
    tokens: tuple[bytes, ...]
    tied: bool


class BodySource(Protocol):
    """Where a report's facts' body can be read again by key (`cache.ResultCache`)."""

    def facts_body(self, content: bytes) -> bytes | None: ...


class FactsLost(Exception):
    """A stored report's body could not be read back from the result cache."""


@dataclass(slots=True)
class PackedFacts:
    """A report's facts as they travel and wait: the header read, the body still bytes."""

    path: str
    header: tuple
    body: bytes
    index: int = 0
    quick_bytes: bytes = b""
    # (the result cache, the content key) when the facts came from a cache entry: the facts store
    # keeps the key instead of a copy of the body, and reads the body there again if a pair needs it
    ref: tuple[BodySource, bytes] | None = None
    _quick: Quick | None = None

    @property
    def quick(self) -> Quick:
        """The quick part, unpacked once."""
        q = self._quick
        if q is None:
            q = self._quick = Quick(*marshal.loads(self.quick_bytes))
        return q

    @property
    def agency(self) -> str | None:
        return self.header[0]

    @property
    def year(self) -> int | None:
        return self.header[1]

    @property
    def template(self) -> str:
        return self.header[2]

    @property
    def agency_location(self) -> Location | None:
        loc = self.header[4]
        return Location(*loc) if loc else None

    def unpack(self) -> Facts:
        agency, year, template, confident, loc = self.header
        cells, rows, places, *tied = marshal.loads(self.body)
        ties, tie_tables = tied if tied else ({}, {})
        return Facts(path=self.path, agency=agency, year=year, template=template, cells=cells,
                     agency_location=Location(*loc) if loc else None, index=self.index, confident=confident,
                     rows=rows, places=places, ties=ties, tie_tables=tie_tables)


def packed(facts: "Facts | PackedFacts") -> PackedFacts:
    if isinstance(facts, PackedFacts):
        return facts
    header, body, quick = facts.to_data()
    return PackedFacts(facts.path, header, body, facts.index, quick)


def pairable(report: Report) -> bool:
    """Whether the report's facts can ever meet another report's: it has a year, a known template
    and an agency name (confident or a guess) with a comparison key.  `CrossYear.add` answers
    nothing for any other report, whatever the agency map says (a map never maps an empty key),
    so a run extracts no facts for them."""
    return (report.year is not None and report.template in TEMPLATES
            and bool(agency_key(report.agency or report.agency_guess)))


def extract_facts(report: Report) -> Facts:
    """The facts of a parsed report; cells that were not read (text, unread) are left out."""
    doc_ = report.document
    facts = Facts(
        path=report.path,
        agency=report.agency or report.agency_guess,
        confident=report.agency is not None,
        year=report.year,
        template=report.template,
        agency_location=doc_.locate(report.agency_span or report.title_span),
    )
    if report.template not in TEMPLATES:
        return facts
    located = doc_.source_map is not None  # else a span's location is the span itself (a text file)
    tables = report.tables
    out = facts.cells
    for key, c in present_cells(report):
        kind = c.kind
        if kind == "number":
            value = c.value
            if value is None:
                continue
            if type(value) is not int:  # a Decimal: its exact text, or an int when it has no fraction
                text = str(value)
                value = int(text) if text.lstrip("+-").isdigit() else text
        elif kind == "blank" or kind == "dash":
            value = 0
        else:
            continue  # text, unread: not read
        span = c.span
        if span is None:
            out[key] = (value, c.raw, None, _loc_data(doc_.locate(None)) if located else None)
        elif located:
            out[key] = (value, c.raw, (span.line, span.col, span.end_col), _loc_data(doc_.locate(span)))
        else:
            line = span.line
            out[key] = (value, c.raw, (line, span.col, span.end_col), (line, span.col, line, span.end_col, None))
    for tid in COPY_TABLES:
        t = tables.get(tid)
        if t is not None:
            _row_facts(facts, tid, t, doc_ if located else None)
    facts.ties, facts.tie_tables = tie_facts(report, wanted_rows(report.template))
    return facts


def _row_facts(facts: Facts, tid: str, t: Table, located: Document | None) -> None:
    """Each fully read row's digest (`_row_digest`), and where the rows worth comparing are."""
    rows: dict[str, tuple] = {}
    places: dict[str, tuple] = {}
    for key, r in t.rows.items():
        digest = _row_digest(r.cells)
        if digest is None:
            continue  # a row not fully read is not compared
        data, parts, first = digest
        rows[key] = data  # compared as they are: no hash to compute (nor to collide)
        if len(parts) >= COPY_MIN_CELLS and sum(parts) >= COPY_MIN_SUM:  # only these keep their position
            if first is None:
                places[key] = (None, None)
            elif located is not None:
                places[key] = (_span_data(first), _loc_data(located.locate(first)))
            else:
                places[key] = ((first.line, first.col, first.end_col), (first.line, first.col, first.line, first.end_col, None))
    if rows:
        facts.rows[tid] = rows
    if places:
        facts.places[tid] = places


@cache
def _wanted_keys(template: str) -> tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...]:
    """`wanted_cells` with each cell's facts key, a row's consecutive cells together:
    (table, row, ((column, key), …)), in `wanted_cells` order."""
    out: list[tuple[str, str, list[tuple[str, str]]]] = []
    for t, r, c in wanted_cells(template):
        if not out or out[-1][0] != t or out[-1][1] != r:
            out.append((t, r, []))
        out[-1][2].append((c, _key(t, r, c)))
    return tuple((t, r, tuple(cols)) for t, r, cols in out)


def present_cells(report: Report) -> Iterator[tuple[str, Cell]]:
    """(facts key, cell) of every cell of `wanted_cells` the report has, in that order."""
    tables = report.tables
    for table, row, wanted in _wanted_keys(report.template):
        t = tables.get(table)
        r = t.rows.get(row) if t is not None else None
        if r is None:
            continue
        cells = r.cells
        for col, key in wanted:
            c = cells.get(col)
            if c is not None:
                yield key, c


@cache
def _flat_keys(template: str) -> tuple[str, ...]:
    """The facts key of every cell of `wanted_cells(template)`, in that order (the quick values' order)."""
    return tuple(key for _t, _r, cols in _wanted_keys(template) for _c, key in cols)


_COLUMN_BYTES: dict[tuple[str, ...], bytes] = {}  # a row's columns → 8 bytes naming them (a few shapes)


def _columns_bytes(columns: tuple[str, ...]) -> bytes:
    """8 bytes of a hash of the columns' names, in order (the digest's first bytes)."""
    b = _COLUMN_BYTES.get(columns)
    if b is None:
        if len(_COLUMN_BYTES) > 256:  # rows keep the templates' columns; a bound all the same
            _COLUMN_BYTES.clear()
        b = _COLUMN_BYTES[columns] = hashlib.blake2b(marshal.dumps(columns, 2), digest_size=8).digest()
    return b


def _row_digest(cells: dict[str, Cell]) -> tuple[tuple[bytes, tuple], list, Span | None] | None:
    """((8 bytes naming the row's columns, its values), the values of its cells other than 总计 that
    are not 0, its first cell's span), or None when a cell was not read (text, unread) or the row
    has none.

    Two rows give equal digests exactly when their texts "column=value;…" are the same (but for a
    64-bit hash of the column names): a value is an int, or the text of a Decimal that an int does
    not print the same way ("" for a number without a value; blank and — are 0).  The digest is
    plain data that `marshal` writes with the rest of the facts, and reads back equal."""
    if not cells:
        return None
    values: list[Any] = []
    parts = []
    for col, c in cells.items():
        kind = c.kind
        if kind == "number":
            v = c.value
            if v is None:
                values.append("")
                continue
            if v and col != "总计":
                parts.append(abs(v))
            values.append(v if type(v) is int else _decimal_token(v))
        elif kind == "blank" or kind == "dash":
            values.append(0)
        else:
            return None
    first = None
    for c in cells.values():  # the first cell's place (the next one's when it has none)
        if c.span is not None:
            first = c.span
            break
    return (_columns_bytes(tuple(cells)), tuple(values)), parts, first


def _decimal_token(v: Any) -> int | str:
    """A Decimal as its text, or as an int when the int prints the same text (so `5` and
    Decimal("5") stay equal, as their texts are)."""
    text = str(v)
    if text.lstrip("-").isdigit():
        n = int(text)
        if str(n) == text:
            return n
    return text


# --------------------------------------------------------------------------- the store


class FactStore:
    """Every file's facts seen so far, by (agency key, year), in a private SQLite file.

    A run over 100,000 reports must not hold 100,000 records: the facts wait on disk
    (SQLite's temporary database, deleted when closed; its page cache is bounded) and
    come back only for a pair of consecutive years or a duplicate.  A report's head
    (path, header, quick part) and body are kept apart: a pair reads the bodies only when
    its quick parts cannot tell.  The body of facts that came from the result cache is not
    copied: the store keeps its key there (`PackedFacts.ref`)."""

    CACHE_KIB = 4 * 1024

    def __init__(self) -> None:
        self._db: sqlite3.Connection | None = None
        self._source: BodySource | None = None  # the result cache the stored keys refer to

    def _conn(self) -> sqlite3.Connection:
        if self._db is None:
            self._db = sqlite3.connect("", isolation_level=None, check_same_thread=False)  # "": a temporary file
            # a report's facts (about 4 KB) fit in a 64 KB page without overflow pages: an insert takes half the time
            self._db.execute("PRAGMA page_size=65536")
            self._db.execute(f"PRAGMA cache_size=-{self.CACHE_KIB}")
            self._db.execute("PRAGMA journal_mode=OFF")
            self._db.execute("PRAGMA synchronous=OFF")
            self._db.execute("CREATE TABLE facts (agency TEXT, year INTEGER, head BLOB, body BLOB, "
                             "PRIMARY KEY (agency, year))")
        return self._db

    def add(self, key: str, facts: PackedFacts, replace: bool = False) -> None:
        ref = facts.ref
        if ref is not None and (self._source is None or ref[0] is self._source):
            self._source, body, content = ref[0], None, ref[1]
        else:
            body, content = facts.body, None
        head = marshal.dumps((facts.path, facts.header, facts.index, facts.quick_bytes, content))
        verb = "REPLACE" if replace else "IGNORE"
        self._conn().execute(f"INSERT OR {verb} INTO facts VALUES (?, ?, ?, ?)", (key, facts.year, head, body))

    def put(self, key: str, facts: PackedFacts) -> None:
        """Store `facts` in place of what was stored for its agency and year."""
        self.add(key, facts, replace=True)

    def around(self, key: str, year: int) -> dict[int, PackedFacts]:
        """The stored facts of `key` for year-1, year and year+1, without their bodies (`body`)."""
        if self._db is None:
            return {}
        rows = self._db.execute("SELECT year, head FROM facts WHERE agency = ? AND year BETWEEN ? AND ?",
                                (key, year - 1, year + 1)).fetchall()
        out = {}
        for y, head in rows:
            path, header, index, quick, content = marshal.loads(head)
            ref = (self._source, content) if content is not None and self._source is not None else None
            out[y] = PackedFacts(path, header, b"", index, quick, ref)
        return out

    def body(self, key: str, facts: PackedFacts) -> PackedFacts:
        """Facts from `around` with their body: read only for a pair whose quick parts cannot tell.
        Raises FactsLost when the body was to be read from a result cache that can no longer give it."""
        assert self._db is not None
        (body,) = self._db.execute("SELECT body FROM facts WHERE agency = ? AND year = ?", (key, facts.year)).fetchone()
        if body is None:
            body = facts.ref[0].facts_body(facts.ref[1]) if facts.ref is not None else None
            if body is None:
                raise FactsLost(facts.path)
        return replace(facts, body=body)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
        self._source = None


# --------------------------------------------------------------------------- the pass


class CrossYear:
    """Files in input order in, each file's Y findings out (with the files seen before it)."""

    def __init__(self, selected: Iterable[str] | None = None, lang: str = "zh",
                 agency_map: AgencyMap | None = None) -> None:
        codes = {r.code for r in crossyear_rules()}
        self.selected = codes if selected is None else set(selected) & codes
        self.all_selected = None if selected is None else frozenset(selected)  # the A rules on a reading taken
        # path → rows whose tie (P107) Y106 broke: (table, row) → (columns, the reading taken)
        self.decided: dict[str, dict[tuple[str, str], tuple]] = {}
        self.ctx = CheckContext(lang=lang)
        self.amap = agency_map or AgencyMap()
        self.store = FactStore()
        self._checks: dict[tuple[str, str], PairChecks] = {}  # (template, next year's template) → `_surely_none`'s checks
        self.rules = {r.code: r for r in crossyear_rules()}

    @property
    def active(self) -> bool:
        return bool(self.selected)

    def close(self) -> None:
        """Drop the stored facts (the temporary file goes with them)."""
        self.store.close()

    def add(self, facts: "Facts | PackedFacts") -> list[Finding]:
        """Register one file's facts and return the findings that belong to it."""
        if not self.selected or facts.year is None or facts.template not in TEMPLATES:
            return []
        key = self.amap.canonical(facts.agency)
        if not key:
            return []
        years = self.store.around(key, facts.year)
        first = years.get(facts.year)
        if first is not None:  # (Y104 reads the first report's header only)
            return [self._duplicate(facts, first, key)] if "Y104" in self.selected else []
        mine = packed(facts)
        self.store.add(key, mine)
        prev, nxt = years.get(facts.year - 1), years.get(facts.year + 1)
        if prev is None and nxt is None:
            return []
        # most pairs give nothing, and their quick parts say so: then neither body is unpacked
        cur = facts if isinstance(facts, Facts) else None
        found: list[Finding] = []
        changed: list[Facts] = []
        if prev is not None and not self._surely_none(prev, mine):
            cur = cur or mine.unpack()
            found += self._stored_pair(key, prev, cur, changed)
        if nxt is not None and (changed or not self._surely_none(mine, nxt)):  # a tie broken: `mine` is stale
            cur = cur or mine.unpack()
            found += self._stored_pair(key, nxt, cur, changed)
        for f in {id(f): f for f in changed}.values():  # a tie broken: later pairs see the reading taken
            self.store.put(key, packed(f))
        return found

    def _stored_pair(self, key: str, stored: PackedFacts, cur: Facts, changed: list[Facts]) -> list[Finding]:
        """`_pair` of this file's facts with a stored report's (the year before or after)."""
        try:
            other = self.store.body(key, stored).unpack()
        except FactsLost:
            from ..check import CheckOptions, facts_lost

            return [facts_lost(cur.path, stored.path, CheckOptions(lang=self.ctx.lang))]
        if other.year is not None and cur.year is not None and other.year < cur.year:
            return self._pair(other, cur, host=cur, changed=changed)
        return self._pair(cur, other, host=cur, changed=changed)

    def drawn(self, path: str, tables: Mapping[str, Table]) -> Mapping[str, Table]:
        """A file's tables as the outputs draw them: a row whose tie Y106 broke shows the reading
        taken (call before `join`)."""
        rows = self.decided.get(path)
        return draw_readings(tables, rows) if rows and tables else tables

    def join(self, path: str, findings: list[Finding], found: list[Finding]) -> list[Finding]:
        """A file's own findings and its cross-year ones: a P107 whose tie the other year's report
        broke (Y106) is dropped, the reading being known now."""
        rows = self.decided.pop(path, None)
        if rows:
            findings = [f for f in findings if not (f.code == "P107" and (f.table, f.row) in rows)]
        return findings + found

    # ------------------------------------------------------------------ pairs

    def _surely_none(self, prev: PackedFacts, cur: PackedFacts) -> bool:
        """True when the pair surely gives no finding, told from the quick parts alone: no tie for
        Y106 to break, every relation holds (in whole numbers, or a cell on each side with equal
        values) or misses a cell, and no row worth comparing is the same in both (Y105).  False:
        `_pair` decides on the unpacked facts."""
        p, c = prev.quick, cur.quick
        if (p.tied or c.tied) and "Y106" in self.selected:
            return False
        pair = (prev.template, cur.template)
        checks = self._checks.get(pair)
        if checks is None:  # the selected relations' checks, for this pair of templates
            forms = (form for spec, forms in _quick_forms(*pair) if spec.code in self.selected for form in forms)
            checks = self._checks[pair] = PairChecks.of(forms, (len(_flat_keys(pair[0])), len(_flat_keys(pair[1]))))
        pv, cv = p.values, c.values
        if (len(pv), len(cv)) != checks.widths:  # facts made with other rule packs: compared exactly
            return False
        if checks.equalities and checks.cur_cells(cv) != checks.prev_cells(pv) \
                and not _surely_quiet(checks.equalities, pv, cv):
            return False
        if not _surely_quiet(checks.others, pv, cv):
            return False
        return not ("Y105" in self.selected and p.tokens and c.tokens and not set(p.tokens).isdisjoint(c.tokens))

    def _trusted(self, f: Facts) -> bool:
        return f.confident or self.amap.knows(f.agency)

    def _pair(self, prev: Facts, cur: Facts, host: Facts, changed: list[Facts] | None = None) -> list[Finding]:
        unsure = not (self._trusted(prev) and self._trusted(cur))
        out: list[Finding] = []
        if "Y106" in self.selected and not unsure and (prev.ties or cur.ties):
            try:
                out += self._break_ties(prev, cur, host, changed if changed is not None else [])
            except Exception as exc:  # noqa: BLE001 - a bug of ours: P902 for the file, and the run goes on
                from ..check import CheckOptions, internal_finding

                out.append(internal_finding(host.path, "ties", exc, CheckOptions(lang=self.ctx.lang)))
        pv, cv = prev.quick_values(), cur.quick_values()
        for spec, forms in _quick_forms(prev.template, cur.template):
            if spec.code in self.selected:
                broken = [f for inst, check in forms
                          if not _surely_quiet((check,), pv, cv)
                          and (f := self._relation(spec, inst, prev, cur, host is prev)) is not None]
                if broken:
                    out.append(self._one_per_relation(broken))
        if "Y105" in self.selected:
            out += self._copied(prev, cur, host is prev)
        if unsure:
            note = self.ctx.msg("Y-unsure")
            for f in out:
                if f.severity != "info":
                    f.severity = "info"
                    f.notes.append(note)
        return out

    def _break_ties(self, prev: Facts, cur: Facts, host: Facts, changed: list[Facts]) -> list[Finding]:
        """Y106: ties of either report that the other one breaks; the relations checked on the reading
        taken (for the host file; the other file's result is already out)."""
        specs = [s for s in cross_specs() if s.applies(prev.template, cur.template)]
        out: list[Finding] = []
        for tied, other, tied_is_prev in ((cur, prev, False), (prev, cur, True)):
            if not tied.ties:
                continue
            decisions = decide(tied, other, tied_is_prev, specs, cur.template)
            if not decisions:
                continue
            changed.append(tied)
            made = [self._decided(d, tied, other, host) for d in decisions]
            out += made
            broken = recheck(tied, decisions, self.ctx.lang, self.all_selected)
            if tied is host:
                rows = self.decided.setdefault(tied.path, {})
                for d in decisions:
                    rows[(d.table, d.row)] = (d.columns, d.chosen)
                    rows.update(((d.table, r), (d.columns, chosen)) for r, chosen in d.also)
                out += broken
            elif errors := [f for f in broken if f.severity == "error"]:
                # the other file's result is out already: its errors on the reading taken are named here
                made[0].severity = "warning"
                made[0].notes.insert(0, self.ctx.msg("Y106-other-errors", file=tied.path, other=other.path, n=len(errors),
                                                     codes="、".join(dict.fromkeys(f.code for f in errors))))
        return out

    def _decided(self, d: Decision, tied: Facts, other: Facts, host: Facts) -> Finding:
        """The Y106 finding: which reading was taken, and by which cells of which file."""
        ref0, data0 = d.by[0]
        other_cell = other.cell(ref0.table, ref0.row, ref0.column)
        reading = " / ".join(t or "空" for t, _s, _l in d.chosen)
        msg = self.ctx.msg("Y106", file=tied.path, year=tied.year, row=short_label(d.table, d.row), raw=d.raw,
                           n=self.ctx.msg("Y106-more", n=d.readings) if d.more else d.readings, other=other.path, other_year=other.year,
                           other_row=short_label(ref0.table, ref0.row), where=_where(other_cell, self.ctx),
                           reading=reading)
        notes: list = []
        if d.also:
            notes.append(self.ctx.msg("Y106-also", rows=[
                self.ctx.msg("localise.reading_row", row=short_label(d.table, r),
                             cells=" / ".join(t or "空" for t, _s, _l in chosen)) for r, chosen in d.also]))
        prev, cur = (other, tied) if other.year is not None and tied.year is not None and other.year < tied.year \
            else (tied, other)
        notes.append(self.ctx.msg("Y-basis", basis="、".join(d.bases), earlier_template=prev.template,
                                  later_template=cur.template))
        first = next(((Span(*s) if s else None, Location(*loc) if loc else None)
                      for t, s, loc in d.chosen if t), (None, None))
        if tied is host:
            span, location = first
            table, row, column = d.table, d.row, None
            related = [Related(Span(*dd[2]) if dd[2] else None,
                               self.ctx.msg("Y-cell", year=other.year, row=short_label(r.table, r.row),
                                            column=r.column, value=dd[0]),
                               Location(*dd[3]) if dd[3] else None, other.path) for r, dd in d.by]
        else:
            span = Span(*data0[2]) if data0[2] else None
            location = Location(*data0[3]) if data0[3] else None
            table, row, column = ref0.table, ref0.row, ref0.column
            related = [Related(first[0], self.ctx.msg("Y-row", row=short_label(d.table, d.row)), first[1],
                               tied.path)]
        f = self.ctx.finding(Y106, msg, span=span, table=table, row=row, column=column, related=related,
                             notes=notes)
        f.stated = d.raw if tied is host else (other_cell.raw if other_cell else None)
        f.location = location
        f.path = host.path
        canon = replace(f, table=d.table, row=d.row, column=None, stated=d.raw)
        f.fingerprint = fingerprint(canon, agency=tied.agency, year=tied.year, path=tied.path)
        return f

    def _relation(self, spec: CrossSpec, inst: Instance, prev: Facts, cur: Facts, host_is_prev: bool) -> Finding | None:
        def cell(ref: Ref) -> CellFact | None:
            return (prev if ref.prev else cur).cell(ref.table, ref.row, ref.column)

        # first the values alone, from the plain data: most relations hold, and then no record is made
        values = []
        for r in inst.lhs + inst.rhs:
            d = (prev if r.prev else cur).cells.get(_ref_key(r))
            if d is None:
                return None
            values.append(d[0] if isinstance(d[0], int) else Decimal(d[0]))
        n = len(inst.lhs)
        lhs = inst.lhs_const + sum((r.sign * v for r, v in zip(inst.lhs, values[:n])), Decimal(0))
        rhs = inst.rhs_const + sum((r.sign * v for r, v in zip(inst.rhs, values[n:])), Decimal(0))
        if _holds(lhs, inst.cmp, rhs):
            return None
        cells = [cell(r) for r in inst.lhs + inst.rhs]
        refs = inst.lhs + inst.rhs
        # reported at the host file's first cell of the relation
        at = next(i for i, r in enumerate(refs) if r.prev == host_is_prev)
        primary, pcell = refs[at], cells[at]
        on_left = at < n
        rest = (rhs if on_left else lhs) - ((lhs if on_left else rhs) - primary.sign * Decimal(pcell.value))
        expected = primary.sign * rest
        host, other = (prev, cur) if host_is_prev else (cur, prev)
        first_l, first_r = inst.lhs[0], inst.rhs[0]
        column = dict(inst.binding).get("c") or first_l.column
        msg = self.ctx.msg(
            spec.message, later=cur.path, later_year=cur.year, earlier=prev.path, earlier_year=prev.year,
            row_label=row_label(first_l.table, first_l.row), column=column, lhs=lhs, rhs=rhs,
            lhs_where=_where(cells[0], self.ctx), rhs_where=_where(cells[n], self.ctx),
        )
        notes = [
            self.ctx.msg("Y-diff", lhs_terms=_terms(inst.lhs, prev, cur), lhs=lhs,
                         rhs_terms=_terms(inst.rhs, prev, cur), rhs=rhs, diff=f"{lhs - rhs:+}"),
            self.ctx.msg("Y-basis", basis=spec.basis or spec.code, earlier_template=prev.template,
                         later_template=cur.template),
        ]
        related = []
        for i, (r, c) in enumerate(zip(refs, cells)):
            if i == at:
                continue
            label = self.ctx.msg("Y-cell", year=(prev if r.prev else cur).year, row=short_label(r.table, r.row),
                                 column=r.column, value=c.value)
            related.append(Related(c.span, label, c.location, other.path if r.prev != host_is_prev else None))
        f = self.ctx.finding(self.rules[spec.code], msg, span=pcell.span, table=primary.table, row=primary.row,
                             column=primary.column, expected=_num(expected), related=related, notes=notes)
        f.stated = pcell.raw or None
        f.location = pcell.location
        f.path = host.path
        # the later year's cell names the finding, whichever file reports it
        later_ref = next(r for r in refs if not r.prev)
        later_cell = cur.cell(later_ref.table, later_ref.row, later_ref.column)
        canon = replace(f, table=later_ref.table, row=later_ref.row, column=later_ref.column,
                        stated=later_cell.raw if later_cell else None)
        f.fingerprint = fingerprint(canon, agency=cur.agency, year=cur.year, path=cur.path)
        return f

    def _one_per_relation(self, broken: list[Finding]) -> Finding:
        """One finding for a relation that fails in several columns of the same rows (自然人 and 总计
        differ by the same case): at its first column, the other columns as related cells and a note."""
        first = broken[0]
        if len(broken) > 1:
            for f in broken[1:]:
                label = self.ctx.msg("Y-also-cell", column=f.column, stated=f.stated or "", expected=f.expected)
                first.related.append(Related(f.span, label, f.location, None))
            first.notes.insert(1, self.ctx.msg("Y-also", n=len(broken) - 1,
                                               columns="、".join(f.column or "" for f in broken[1:])))
        return first

    def _copied(self, prev: Facts, cur: Facts, host_is_prev: bool) -> list[Finding]:
        host = prev if host_is_prev else cur
        out: list[Finding] = []
        for tid in COPY_TABLES:
            cur_rows, prev_rows = cur.rows.get(tid), prev.rows.get(tid)
            cur_places, prev_places = cur.places.get(tid), prev.places.get(tid)
            if not (cur_rows and prev_rows and cur_places and prev_places):
                continue  # no row of both worth comparing: nothing can be copied
            rows = [k for k in cur_rows if k in prev_rows]  # rows of both reports
            if len(rows) < 3:
                continue
            same = [k for k in rows if cur_rows[k] == prev_rows[k]]
            changed = len(rows) - len(same)
            copied = [k for k in same if k in cur_places and k in prev_places]
            if not copied:
                continue
            labels = [short_label(tid, k) for k in copied]
            where = host.place(tid, copied[0])
            other = cur if host_is_prev else prev
            related = [Related(other.place(tid, k).span, self.ctx.msg("Y-row", row=lab),
                               other.place(tid, k).location, other.path) for k, lab in zip(copied, labels)]
            if changed == 0:
                msg = self.ctx.msg("Y105-table", table=tid, later=cur.path, later_year=cur.year,
                                   earlier=prev.path, earlier_year=prev.year)
                note = self.ctx.msg("Y105-table-note", table=tid, later_year=cur.year, earlier_year=prev.year,
                                    rows=len(rows))
            else:
                msg = self.ctx.msg("Y105", table=tid, rows=[self.ctx.msg("Y-row", row=lab) for lab in labels],
                                   later=cur.path, later_year=cur.year, earlier=prev.path, earlier_year=prev.year)
                note = self.ctx.msg("Y105-note", later_year=cur.year, earlier_year=prev.year)
            f = self.ctx.finding(Y105, msg, span=where.span, table=tid, row=copied[0],
                                 related=related, notes=[note])
            f.location = where.location
            f.path = host.path
            canon = replace(f, stated=",".join(copied))
            f.fingerprint = fingerprint(canon, agency=cur.agency, year=cur.year, path=cur.path)
            out.append(f)
        return out

    def _duplicate(self, f: "Facts | PackedFacts", first: "Facts | PackedFacts", key: str) -> Finding:
        msg = self.ctx.msg("Y104", path=f.path, first=first.path, agency=f.agency, year=f.year)
        found = self.ctx.finding(Y104, msg, related=[
            Related(None, self.ctx.msg("Y104-related"), first.agency_location, first.path)])
        found.location = f.agency_location
        found.path = f.path
        found.fingerprint = fingerprint(found, agency=f.agency, year=f.year, path=f.path, text=f"duplicate:{key}")
        return found


QUICK_LIMIT = 10**18  # values below this add up exactly in Decimal's 28 digits too: the quick test agrees


@cache
def _quick_forms(prev_template: str, cur_template: str) -> tuple[tuple[CrossSpec, tuple], ...]:
    """The relations that compare a report of `prev_template` with the next year's of
    `cur_template`, each with its instances and their quick checks: (instance, (terms, lhs
    constant − rhs constant, comparison)), the terms being (position in `Quick.values`, sign,
    previous year?) of every cell with the right side's signs turned; terms are None when a
    constant is not a whole number (then only `_relation` decides)."""
    where = {t: {k: i for i, k in enumerate(_flat_keys(t))} for t in {prev_template, cur_template}}
    out = []
    for spec in cross_specs():
        if not spec.applies(prev_template, cur_template):
            continue
        forms = []
        for inst in expand(spec.expr, cur_template):
            const = inst.lhs_const - inst.rhs_const
            terms = None
            if const == const.to_integral_value() and abs(const) < QUICK_LIMIT:
                signed = [(r, r.sign) for r in inst.lhs] + [(r, -r.sign) for r in inst.rhs]
                # every cell a relation reads is one of `wanted_cells` (of the previous year's template for 前.)
                terms = tuple((where[prev_template if r.prev else cur_template][_ref_key(r)], sign, r.prev)
                              for r, sign in signed)
            forms.append((inst, (terms, int(const) if terms is not None else 0, inst.cmp)))
        out.append((spec, tuple(forms)))
    return tuple(out)


class PairChecks(NamedTuple):
    """`CrossYear._surely_none`'s checks for a pair of templates.  Most relations say that a cell
    of this year equals one of last year's (上年结转 = 结转下年度, one cell a side): those are tried at
    once, as two tuples of values compared (equal tuples: each holds exactly, or misses a cell on
    both sides, whatever the values), and one by one only when the tuples differ; the others always
    one by one.  `widths`: how many values each report's quick part holds (any other count: the pair
    is left to `_pair`)."""

    cur_cells: Callable[[tuple], Any] | None  # this year's cells of the equalities, from `Quick.values`
    prev_cells: Callable[[tuple], Any] | None  # last year's, in the same order
    equalities: tuple
    others: tuple
    widths: tuple[int, int]  # (last year's, this year's) number of values

    @classmethod
    def of(cls, forms: Iterable[tuple[Instance, tuple]], widths: tuple[int, int]) -> "PairChecks":
        forms = tuple(forms)
        equalities = tuple(check for inst, check in forms if _is_equality(inst, check))
        others = tuple(check for inst, check in forms if not _is_equality(inst, check))
        if not equalities:
            return cls(None, None, (), others, widths)
        cur = [next(pos for pos, _s, is_prev in terms if not is_prev) for terms, _c, _m in equalities]
        prev = [next(pos for pos, _s, is_prev in terms if is_prev) for terms, _c, _m in equalities]
        return cls(itemgetter(*cur), itemgetter(*prev), equalities, others, widths)


def _is_equality(inst: Instance, check: tuple) -> bool:
    """Whether a relation says one cell of this year equals one of last year's, a cell on each side
    (then equal values hold exactly, in Decimal's arithmetic too)."""
    terms, const, cmp = check
    if terms is None or cmp != "==" or const != 0 or len(inst.lhs) != 1 or len(inst.rhs) != 1:
        return False
    (a,), (b,) = inst.lhs, inst.rhs
    return a.sign == b.sign == 1 and a.prev != b.prev


def _surely_quiet(checks: Iterable[tuple], prev_values: tuple, cur_values: tuple) -> bool:
    """True when every check (terms, constant, comparison) of `_quick_forms` surely gives no finding:
    a cell is missing, or it holds in whole numbers (most pairs; no record is made).  False:
    `_relation` decides (one fails, a value is not a whole number below QUICK_LIMIT, or a
    constant is not whole)."""
    for terms, const, cmp in checks:
        if terms is None:
            return False
        total = const
        for pos, sign, is_prev in terms:
            v = (prev_values if is_prev else cur_values)[pos]
            if v is None:
                break  # a missing cell: no finding
            if type(v) is not int or not -QUICK_LIMIT < v < QUICK_LIMIT:
                return False
            total += sign * v
        else:
            if total if cmp == "==" else (total < 0 if cmp == ">=" else total > 0):
                return False
    return True


def _holds(lhs: Decimal, cmp: str, rhs: Decimal) -> bool:
    if cmp == "==":
        return lhs == rhs
    return lhs >= rhs if cmp == ">=" else lhs <= rhs


def _num(v: Decimal) -> int | Decimal:
    return int(v) if v == v.to_integral() else v


def _where(c: CellFact, ctx: CheckContext) -> str | Message:
    if c.location is None:
        return ""
    if c.location.context:
        return c.location.context
    return ctx.msg("Y-where", line=c.location.line)


def _terms(refs: tuple[Ref, ...], prev: Facts, cur: Facts) -> str:
    """A side of a relation in words: "2022 现行有效件数 + 2023 本年制发件数 − 2023 本年废止件数"."""
    parts = []
    for r in refs:
        name = r.column if r.table == "二" else f"{short_label(r.table, r.row)}·{r.column}"
        parts.append(("+ " if r.sign > 0 else "− ") + f"{(prev if r.prev else cur).year} {name}")
    text = " ".join(parts)
    return text[2:] if text.startswith("+ ") else text


def run_crossyear(
    facts: Iterable[Facts],
    *,
    selected: Iterable[str] | None = None,
    lang: str = "zh",
    agency_map: AgencyMap | None = None,
) -> dict[str, list[Finding]]:
    """Y findings by the path of the file they belong to, taking the facts in input order
    (`Facts.index`); a convenience over `CrossYear` for callers that hold every file's facts."""
    cy = CrossYear(selected, lang, agency_map)
    out: dict[str, list[Finding]] = {}
    try:
        for f in sorted(facts, key=lambda x: x.index):
            found = cy.add(f)
            if found:
                out.setdefault(f.path, []).extend(found)
    finally:
        cy.close()
    return out
