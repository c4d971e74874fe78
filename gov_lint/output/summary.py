"""`--format summary` and `--format summary-csv`: the archive overview for auditors.

One row per report (one per input file: cross-year findings are part of their
file's result), sorted by agency, then year, then path: agency, year,
template, status, errors, warnings (and infos in the CSV), path.  Reports whose
agency could not be recognised come last under "（未识别）".  `summary` draws the
table with rich (colour only when the options ask for it) followed by the totals
and the most frequent codes; `summary-csv` writes the same rows as CSV (UTF-8 with
a byte order mark by default, like `--format csv`) with the header

    agency, year, template, status, errors, warnings, infos, findings, path

A second result for a path already seen (a saved JSON of an older version, which
sent cross-year findings separately) is added to that file's row.  Only these
small rows are kept until the end (they are sorted there), never the findings
themselves.  Written to a file or a pipe, the table is not wrapped at 80 columns.

Written to a file or a pipe without colour, the table is drawn here as plain text
(`plain_table`): the same characters rich draws for a table that fits (widths in
display cells, rich's heavy-headed box), without rich's per-cell layout, which
cost more than a warm re-run of the whole archive.  Anything rich would draw
differently (a table too wide, control characters, no rows, a non-UTF-8 stream)
goes through rich as before.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, replace

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..model import FileResult
from . import _util
from .base import Renderer, RenderOptions, Summary
from .csv import BOM, bom_default
from .full import _n

CSV_HEADER = ["agency", "year", "template", "status", "errors", "warnings", "infos", "findings", "path"]


@dataclass(frozen=True, slots=True)
class ReportRow:
    agency: str | None
    year: int | None
    template: str
    status: str
    errors: int
    warnings: int
    infos: int
    path: str

    @classmethod
    def of(cls, result: FileResult) -> "ReportRow":
        c = result.counts()
        return cls(result.agency, result.year, result.template, result.status,
                   c["error"], c["warning"], c["info"], result.path)

    def sort_key(self) -> tuple:
        return (self.agency is None, self.agency or "", self.year is None, self.year or 0, self.path)


class _Collecting(Renderer):
    def __init__(self, out, options: RenderOptions) -> None:
        super().__init__(out, options)
        self.rows: list[ReportRow] = []
        self._at: dict[str, int] = {}

    def file(self, result: FileResult) -> None:
        row = ReportRow.of(result)
        i = self._at.get(result.path)
        if i is not None:
            # the runner sends cross-year findings as a second result for the same file: one row per report
            old = self.rows[i]
            self.rows[i] = replace(old, errors=old.errors + row.errors, warnings=old.warnings + row.warnings,
                                   infos=old.infos + row.infos)
            return
        self._at[result.path] = len(self.rows)
        self.rows.append(row)

    def sorted_rows(self) -> list[ReportRow]:
        return sorted(self.rows, key=ReportRow.sort_key)


NOT_A_TERMINAL_WIDTH = 10_000  # a file or a pipe: never wrap rows (auditors grep and diff them)


def _width(out) -> int | None:
    """The terminal's width (rich decides), or no wrapping at all when writing to a file or pipe."""
    try:
        return None if out.isatty() else NOT_A_TERMINAL_WIDTH
    except (AttributeError, ValueError):
        return NOT_A_TERMINAL_WIDTH


# rich's box.HEAVY_HEAD, by line: (left, horizontal, divider, right)
_TOP, _HEAD_ROW, _SECTION, _BOTTOM = ("┏", "━", "┳", "┓"), ("┡", "━", "╇", "┩"), ("├", "─", "┼", "┤"), ("└", "─", "┴", "┘")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")  # rich's Text strips, expands or breaks lines on these


@dataclass(frozen=True, slots=True)
class PlainColumn:
    header: str
    right: bool = False  # justify right
    min_width: int = 0


def plain_table(title: str, columns: list[PlainColumn], rows: list[list[str] | None], max_width: int) -> str | None:
    """The table as rich draws it without styles (title left, HEAVY_HEAD box, padding 1); None rows start a section.

    Returns None when rich would draw something else: no rows, a table or title wider
    than `max_width` (rich wraps), or control characters in a cell.
    """
    if not any(row is not None for row in rows):
        return None
    if _CONTROL.search(title + "".join(c.header for c in columns) + "".join("".join(r) for r in rows if r is not None)):
        return None
    head = [c.header for c in columns]
    lens = [[cell_len(v) for v in row] if row is not None else None for row in rows]
    head_lens = [cell_len(v) for v in head]
    widths = [max(n, c.min_width) for n, c in zip(head_lens, columns)]
    for row_lens in lens:
        if row_lens is not None:
            widths = [max(a, b) for a, b in zip(widths, row_lens)]
    table_width = sum(widths) + 3 * len(widths) + 1
    if table_width > max_width or cell_len(title) > table_width:
        return None

    def rule(box: tuple[str, str, str, str]) -> str:
        left, across, divider, right = box
        return left + divider.join(across * (w + 2) for w in widths) + right

    def line(values: list[str], value_lens: list[int], bar: str) -> str:
        cells = []
        for v, n, w, c in zip(values, value_lens, widths, columns):
            pad = " " * (w - n)
            cells.append(f" {pad}{v} " if c.right else f" {v}{pad} ")
        return bar + bar.join(cells) + bar

    out = [title, rule(_TOP), line(head, head_lens, "┃"), rule(_HEAD_ROW)]
    for row, row_lens in zip(rows, lens):
        out.append(rule(_SECTION) if row is None else line(row, row_lens, "│"))
    out.append(rule(_BOTTOM))
    return "\n".join(out) + "\n"


def _rich_table(title: str, columns: list[PlainColumn], rows: list[list[str] | None], styles: list[str]) -> Table:
    """The summary table for rich (terminals, colour, a given width); None rows start a section."""
    table = Table(title=title, title_justify="left")
    for i, c in enumerate(columns):
        table.add_column(c.header, justify="right" if c.right else "left",
                         overflow="fold" if i in (0, len(columns) - 1) else "ellipsis", min_width=c.min_width or None)
    data = iter(styles)
    for row in rows:
        if row is None:
            table.add_section()
            continue
        agency, year, template, status, errors, warnings, path = row
        table.add_row(
            Text(agency),  # Text: names and paths are not rich markup
            year,
            Text(template),
            Text(status, style=next(data)),
            Text(errors, style="red" if errors != "0" else ""),
            Text(warnings, style="yellow" if warnings != "0" else ""),
            Text(path),
        )
    return table


class SummaryRenderer(_Collecting):
    def finish(self, summary: Summary) -> None:
        o = self.options
        tr = lambda zh, en: _util.t(o, zh, en)  # noqa: E731
        console = Console(
            file=self.out,
            width=o.width or _width(self.out),
            color_system="auto" if o.color else None,
            force_terminal=o.color,
            no_color=not o.color,
            highlight=False,
            emoji=False,
        )
        title = tr("政府信息公开年报检查汇总", "gov-lint archive summary")
        columns = [
            PlainColumn(tr("机构", "agency"), min_width=8),
            PlainColumn(tr("年度", "year"), right=True),
            PlainColumn(tr("模板", "template")),
            PlainColumn(tr("状态", "status")),
            PlainColumn(tr("错误", "errors"), right=True),
            PlainColumn(tr("警告", "warnings"), right=True),
            PlainColumn(tr("文件", "file")),
        ]
        unknown = tr("（未识别）", "(unknown)")
        templates = {"legacy": tr("2019 年前", "pre-2019"), "unknown": "—"}
        rows: list[list[str] | None] = []
        styles: list[str] = []  # the status cell's colour, by data row
        previous = None
        for r in self.sorted_rows():
            agency = r.agency or unknown
            if previous is not None and agency != previous:
                rows.append(None)
            rows.append([
                agency if agency != previous else "",
                str(r.year) if r.year is not None else "—",
                templates.get(r.template, r.template),
                _util.status_label(o, r.status),
                str(r.errors),
                str(r.warnings),
                r.path,
            ])
            styles.append("red" if r.errors or r.status == "error" else "yellow" if r.warnings or r.status == "skipped" else "green")
            previous = agency
        drawn = None
        if not console.is_terminal and console.encoding.startswith("utf") and not console.legacy_windows:
            drawn = plain_table(title, columns, rows, console.width)
        with console.capture() as capture:
            self._print(console, _rich_table(title, columns, rows, styles) if drawn is None else None, summary)
        # rich pads lines to the width; trailing blanks only get in the way of diffs and editors
        text = "\n".join(line.rstrip() for line in ((drawn or "") + capture.get()).split("\n"))
        self.out.write(text)
        self.out.flush()

    def _print(self, console: Console, table: Table | None, summary: Summary) -> None:
        tr = lambda zh, en: _util.t(self.options, zh, en)  # noqa: E731
        if table is not None:
            console.print(table)
        agencies = len({r.agency for r in self.rows if r.agency})
        console.print(
            tr(
                f"共 {summary.files} 个文件（{agencies} 个机构）：已检查 {summary.checked}，未检查 {summary.skipped}；"
                f"错误 {summary.errors}，警告 {summary.warnings}，提示 {summary.infos}",
                f"{_n(summary.files, 'file')} ({_n(agencies, 'agency', 'agencies')}): {summary.checked} checked, "
                f"{summary.skipped} not checked; "
                f"{_n(summary.errors, 'error')}, {_n(summary.warnings, 'warning')}, {_n(summary.infos, 'info')}",
            ),
            markup=False,
        )
        if summary.by_code:
            top = sorted(summary.by_code.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
            console.print(tr("最常见：", "most frequent: ") + tr("，", ", ").join(f"{c} × {n}" for c, n in top), markup=False)


class SummaryCsvRenderer(_Collecting):
    def __init__(self, out, options: RenderOptions, bom: bool | None = None) -> None:
        super().__init__(_util.utf8_stream(out), options)
        self.bom = bom_default() if bom is None else bom

    def finish(self, summary: Summary) -> None:
        if self.bom:
            self.out.write(BOM)
        w = csv.writer(self.out, lineterminator="\r\n")
        w.writerow(CSV_HEADER)
        for r in self.sorted_rows():
            w.writerow([r.agency or "", "" if r.year is None else r.year, r.template, r.status,
                        r.errors, r.warnings, r.infos, r.errors + r.warnings + r.infos, r.path])
        self.out.flush()
