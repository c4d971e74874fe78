"""Cross-year rule cases as data: tests/rule_cases/crossyear/*.toml (format in those files)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from gov_lint.check import CheckOptions, check_bytes
from gov_lint.rules.crossyear import CrossYear, extract_facts
from gov_lint.tomlfile import tomllib

CASES = Path(__file__).resolve().parent / "rule_cases" / "crossyear"
BASES = CASES.parent / "base"


def _cases() -> list:
    out = []
    for path in sorted(CASES.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for case in data["case"]:
            case = dict(case)
            case.setdefault("codes", data.get("codes"))
            out.append(pytest.param(case, id=case["id"]))
    return out


def _edit(text: str, edits: list) -> str:
    for old, new in edits:
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
        text = text.replace(old, new)
    return text


def _facts(name: str, text: str, index: int):
    opts = CheckOptions(selected=frozenset())
    result = check_bytes(name, text.encode("utf-8"), opts)
    facts = extract_facts(result.report)
    facts.index = index
    return result, facts


@pytest.mark.parametrize("case", _cases())
def test_crossyear_case(case):
    base = (BASES / f"{case['base']}.txt").read_text(encoding="utf-8")
    later_text = _edit(base, case.get("later_edits", []))
    _, later0 = _facts("later.txt", later_text, 1)
    year = later0.year
    earlier_text = _edit(base.replace(str(year), str(year - 1)), case.get("earlier_edits", []))
    _, earlier = _facts("earlier.txt", earlier_text, 0)
    assert (earlier.year, later0.year) == (year - 1, year)
    cy = CrossYear(selected=case["codes"])
    assert cy.add(earlier) == []
    found = cy.add(later0)
    got = Counter((f.code, f.table, f.row) for f in found)
    want = Counter((e["code"], e.get("table"), e.get("row")) for e in case["expect"])
    assert got == want, [(f.code, f.table, f.row, f.text()) for f in found]
    for f in found:
        assert f.path == "later.txt" and f.severity == "warning"
        assert "可能未更新" in f.text() and "earlier.txt" in f.text()
        assert all(r.path == "earlier.txt" for r in f.related) and f.related
