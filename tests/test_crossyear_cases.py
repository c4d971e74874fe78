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


def _facts(name: str, text: str, index: int, codes=None):
    opts = CheckOptions(selected=None if codes is None else frozenset(codes))
    result = check_bytes(name, text.encode("utf-8"), opts)
    facts = extract_facts(result.report)
    facts.index = index
    return result, facts


def _key(f_or_e, expect: bool = False) -> tuple:
    get = f_or_e.get if expect else lambda k: getattr(f_or_e, k)
    return get("code"), get("table"), get("row"), get("column")


@pytest.mark.parametrize("case", _cases())
def test_crossyear_case(case):
    # a base of its own (web text) sits next to the cases; the shared ones are in ../base
    own = CASES / f"{case['base']}.txt"
    base = (own if own.exists() else BASES / f"{case['base']}.txt").read_text(encoding="utf-8")
    codes = case["codes"]
    later_text = _edit(base, case.get("later_edits", []))
    later_result, later0 = _facts("later.txt", later_text, 1, codes)
    year = later0.year
    earlier_text = _edit(base.replace(str(year), str(year - 1)), case.get("earlier_edits", []))
    earlier_result, earlier = _facts("earlier.txt", earlier_text, 0, codes)
    assert (earlier.year, later0.year) == (year - 1, year)
    assert [_key(f) for f in earlier_result.findings] == [_key(e, True) for e in case.get("earlier_expect", [])]
    cy = CrossYear(selected=codes)
    assert cy.add(earlier) == []
    found = cy.add(later0)
    # the later file's findings as the runner gives them: its own, with a P107 that Y106 settled dropped
    mine = cy.join("later.txt", later_result.findings, found)
    got = Counter(_key(f) for f in mine)
    want = Counter(_key(e, True) for e in case["expect"])
    assert got == want, [(f.code, f.table, f.row, f.column, f.text()) for f in mine]
    for e in case["expect"]:
        (f,) = [f for f in mine if _key(f) == _key(e, True)]
        if "expected" in e:
            assert f.expected == str(e["expected"]), f.text()
        if "severity" in e:
            assert f.severity == e["severity"], f.text()
    for f in found:
        assert f.path == "later.txt"
        if f.code == "Y105":
            assert f.severity == "warning"
            assert "可能未更新" in f.text() and "earlier.txt" in f.text()
            assert all(r.path == "earlier.txt" for r in f.related) and f.related
        if f.code == "Y106":
            assert f.severity in ("info", "warning") and "earlier.txt" in f.text() and "later.txt" in f.text()
            assert f.related and f.location is not None
            assert all(r.path == "earlier.txt" for r in f.related)
