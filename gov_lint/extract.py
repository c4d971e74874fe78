"""`gov-lint extract`: the parsed tables of a FileResult as JSON or CSV rows.

CSV: one row per cell, with the file's agency, year, template and status on every
row; a file that could not be read (or has no table) gets one row with its reason.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Iterator

from .model import Cell, FileResult


def cell_value(c: Cell) -> Any:
    """int for counts, a decimal string for money, None for blank or unread cells."""
    if c.kind != "number" or c.value is None:
        return 0 if c.kind == "dash" else None
    if isinstance(c.value, Decimal):
        return format(c.value, "f")
    return c.value


def extract_json(result: FileResult) -> dict:
    tables: dict[str, dict] = {}
    report = result.report
    if report is not None:
        for tid in ("二", "三", "四"):
            t = report.tables.get(tid)
            if t is not None:
                tables[tid] = {key: {col: cell_value(c) for col, c in row.cells.items()} for key, row in t.rows.items()}
    out = {
        "path": result.path,
        "status": result.status,
        "template": result.template,
        "year": result.year,
        "agency": result.agency,
        "tables": tables,
    }
    if result.status != "checked":
        out["reason"] = result.reason_text()
    return out


CSV_HEADER = ["path", "table", "row", "column", "value", "raw", "kind", "inferred", "line", "column_no", "where",
              "agency", "year", "template", "status", "reason"]


def extract_csv_rows(result: FileResult) -> Iterator[list[Any]]:
    """One row per cell (columns `CSV_HEADER`); a file with no cell (not read, not a report,
    no tables found) still gets one row, with its status and the reason, so none is lost."""
    about = [result.agency or "", "" if result.year is None else result.year, result.template, result.status,
             result.reason_text() or ""]
    report = result.report
    n = 0
    if report is not None:
        doc = report.document
        for tid in ("二", "三", "四"):
            t = report.tables.get(tid)
            if t is None:
                continue
            for key, row in t.rows.items():
                for col, c in row.cells.items():
                    loc = doc.locate(c.span)
                    v = cell_value(c)
                    n += 1
                    yield [
                        result.path, tid, key, col, "" if v is None else v, c.raw, c.kind, "yes" if c.inferred else "",
                        loc.line if loc else "", loc.column if loc else "", loc.context or "" if loc else "", *about,
                    ]
    if n == 0:
        yield [result.path, "", "", "", "", "", "", "", "", "", "", *about]
