"""The synthetic report record that the generator builds and the writers print."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Iterator, Union

# A cell as the generator or an example script sets it: a number, None for a blank
# cell, or a string printed as-is (a deliberate error such as "9个").
CellValue = Union[int, Decimal, None, str]
Tables = dict[str, dict[str, dict[str, CellValue]]]


@dataclass
class Paragraphs:
    """One of the six sections: its heading and its paragraphs (prose before the table)."""

    heading: str
    paragraphs: list[str] = field(default_factory=list)
    after: list[str] = field(default_factory=list)  # prose after the section's table


@dataclass
class SynthReport:
    """A generated report: numbers in the `gov-lint extract` shape plus prose.

    `tables` is `{"二": {row: {column: value}}, "三": {...}, "四": {...}}` keyed by the
    canonical row keys and column names of `gov_lint.templates`.  `template` is the
    table layout the writers print; `year` may disagree with it on purpose.
    """

    template: str
    year: int
    agency: str
    tables: Tables
    title: str = ""
    preamble: list[str] = field(default_factory=list)
    sections: dict[str, Paragraphs] = field(default_factory=dict)  # "一" … "六"
    signature: str = ""
    date: str = ""
    style: dict[str, object] = field(default_factory=dict)  # label spelling choices of the writers

    def copy(self) -> "SynthReport":
        return copy.deepcopy(self)

    def cells(self, tables: tuple[str, ...] = ("二", "三", "四")) -> Iterator[tuple[str, str, str, CellValue]]:
        """Every cell as (table, row, column, value), in table order."""
        for t in tables:
            for row, cols in self.tables.get(t, {}).items():
                for col, v in cols.items():
                    yield t, row, col, v

    def get(self, table: str, row: str, column: str) -> CellValue:
        return self.tables[table][row][column]

    def set(self, table: str, row: str, column: str, value: CellValue) -> None:
        self.tables[table][row][column] = value

    def expected_extract(self) -> dict[str, dict[str, dict[str, object]]]:
        """The tables as `gov-lint extract --format json` prints them.

        int stays int, Decimal becomes its decimal string, a blank becomes None; a
        string cell (a deliberate error) is left out because its value is the
        parser's call.
        """
        out: dict[str, dict[str, dict[str, object]]] = {}
        for t, rows in self.tables.items():
            out[t] = {}
            for row, cols in rows.items():
                out[t][row] = {}
                for col, v in cols.items():
                    if isinstance(v, str):
                        continue
                    out[t][row][col] = str(v) if isinstance(v, Decimal) else v
        return out
