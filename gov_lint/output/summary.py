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
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, replace

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
        table = Table(title=tr("政府信息公开年报检查汇总", "gov-lint archive summary"), title_justify="left")
        table.add_column(tr("机构", "agency"), overflow="fold", min_width=8)
        table.add_column(tr("年度", "year"), justify="right")
        table.add_column(tr("模板", "template"))
        table.add_column(tr("状态", "status"))
        table.add_column(tr("错误", "errors"), justify="right")
        table.add_column(tr("警告", "warnings"), justify="right")
        table.add_column(tr("文件", "file"), overflow="fold")
        unknown = tr("（未识别）", "(unknown)")
        previous = None
        for r in self.sorted_rows():
            agency = r.agency or unknown
            style = "red" if r.errors or r.status == "error" else "yellow" if r.warnings or r.status == "skipped" else "green"
            if previous is not None and agency != previous:
                table.add_section()
            table.add_row(
                Text(agency if agency != previous else ""),  # Text: names and paths are not rich markup
                str(r.year) if r.year is not None else "—",
                Text({"legacy": tr("2019 年前", "pre-2019"), "unknown": "—"}.get(r.template, r.template)),
                Text(_util.status_label(o, r.status), style=style),
                Text(str(r.errors), style="red" if r.errors else ""),
                Text(str(r.warnings), style="yellow" if r.warnings else ""),
                Text(r.path),
            )
            previous = agency
        with console.capture() as capture:
            self._print(console, table, summary)
        # rich pads lines to the width; trailing blanks only get in the way of diffs and editors
        text = "\n".join(line.rstrip() for line in capture.get().split("\n"))
        self.out.write(text)
        self.out.flush()

    def _print(self, console: Console, table: Table, summary: Summary) -> None:
        tr = lambda zh, en: _util.t(self.options, zh, en)  # noqa: E731
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
