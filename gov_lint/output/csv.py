"""`--format csv`: one row per finding, for spreadsheets and auditors' scripts.

Columns (header row first, names fixed, in English so scripts can rely on them):

    path, code, name, severity, table, row, column, stated, expected,
    line, col, message, fingerprint, status

* `column` is the table column of the cell (自然人, 总计 …), as in `--format json`;
  `line` / `col` are the position in the file (1-based), empty when unknown.
* `severity` is error / warning / info; `message` is the message followed by its
  notes, one per line (quoted, so spreadsheets keep it in one cell).
* `status` is checked / skipped / error.  A file that was skipped or could not be
  read is listed once: by its `P` finding, or, when it has none, by a row with an
  empty `code` and the reason in `message`.

**The file starts with a UTF-8 byte order mark by default**, so that Excel on a
Chinese Windows opens it as UTF-8 instead of GBK and the Chinese is readable.
Python reads it with `encoding="utf-8-sig"`; set `GOV_LINT_CSV_BOM=0` for a file
without the mark.  Lines end with CRLF (RFC 4180).
"""

from __future__ import annotations

import csv
import os

from ..model import FileResult
from . import _util
from .base import Renderer, RenderOptions, Summary

HEADER = [
    "path", "code", "name", "severity", "table", "row", "column", "stated", "expected",
    "line", "col", "message", "fingerprint", "status",
]
BOM = "\ufeff"


def bom_default() -> bool:
    """True unless GOV_LINT_CSV_BOM is set to 0/false/no/off."""
    return os.environ.get("GOV_LINT_CSV_BOM", "1").strip().lower() not in ("0", "false", "no", "off")


class CsvRenderer(Renderer):
    def __init__(self, out, options: RenderOptions, bom: bool | None = None) -> None:
        super().__init__(_util.utf8_stream(out), options)
        if bom_default() if bom is None else bom:
            out.write(BOM)
        self.writer = csv.writer(out, lineterminator="\r\n")
        self.writer.writerow(HEADER)

    def file(self, result: FileResult) -> None:
        for f in result.findings:
            loc = f.location
            self.writer.writerow(
                [
                    f.path or result.path, f.code, f.name, f.severity, f.table or "", f.row or "", f.column or "",
                    "" if f.stated is None else f.stated, "" if f.expected is None else f.expected,
                    loc.line if loc else "", loc.column if loc else "",
                    _util.full_message(f, self.options.lang), f.fingerprint, result.status,
                ]
            )
        if result.status != "checked" and not result.findings:
            # a file not checked is listed once: by its P finding (which carries the status), or by this row
            reason = _util.reason(result, self.options)
            self.writer.writerow([result.path, "", "", "", "", "", "", "", "", "", "", reason, "", result.status])

    def finish(self, summary: Summary) -> None:
        self.out.flush()
