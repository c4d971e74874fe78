"""Conformance over the real seed reports in ../shared/seeds (skipped when absent).

tests/conformance/seeds.json lists, for every seed, its template, year, agency and
every finding of the foundation's codes (P, T1xx, A), each checked by hand against
the text (docs/conformance.md says why each is right).  N, M and T2xx findings
belong to the narrative rules and are compared by narrative.json, not here.

A new seed in ../shared/seeds fails `test_every_seed_is_listed` until it has been
checked by hand and added.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from gov_lint.check import check_path
from gov_lint.model import CellCount, HeaderUnknown, NoNumbers

HERE = Path(__file__).resolve().parent
SHARED = Path(__file__).resolve().parents[3] / "shared"
SEEDS = SHARED / "seeds"
EXPECTED = json.loads((HERE / "seeds.json").read_text(encoding="utf-8"))["seeds"]

pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not available")


def foundation_code(code: str) -> bool:
    """P and A codes, and T1xx; T2xx and up belong to the narrative rules."""
    return code[0] in "PA" or (code[0] == "T" and code[1] == "1")


def _key(d) -> tuple:
    return (d["code"], d["table"], d["row"], d["column"], d["line"])


def test_every_seed_is_listed():
    on_disk = sorted(p.name for p in SEEDS.glob("*.txt"))
    assert on_disk, "no seeds found"
    missing = [n for n in on_disk if n not in EXPECTED]
    assert not missing, f"seeds not yet checked by hand and listed in seeds.json: {missing}"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_seed(name: str):
    path = SEEDS / name
    if not path.exists():
        pytest.skip(f"{name} is not in ../shared/seeds")
    want = EXPECTED[name]
    result = check_path(path)
    assert result.status == want["status"], result.reason_text()
    assert (result.template, result.year, result.agency) == (want["template"], want["year"], want["agency"])
    got = [
        {
            "code": f.code, "table": f.table, "row": f.row, "column": f.column,
            "line": f.location.line if f.location else None, "_f": f,
        }
        for f in result.findings
        if foundation_code(f.code)
    ]
    actual = Counter(_key(g) for g in got)
    expected = Counter(_key(w) for w in want["findings"])
    extra = actual - expected
    lost = expected - actual
    detail = "\n".join(f"  {g['code']} {g['table']}/{g['row']}/{g['column']} line {g['line']}: {g['_f'].text()}" for g in got)
    assert not extra and not lost, (
        f"{name}: new findings {sorted(extra)}; findings gone {sorted(lost)}\nall findings now:\n{detail}\n"
        "Check every new finding by hand against the text before recording it (docs/conformance.md)."
    )
    for w in want["findings"]:
        f = next(g["_f"] for g in got if _key(g) == _key(w))
        if "message_contains" in w:
            assert w["message_contains"] in f.text(), f.text()
        if "expected" in w:
            assert f.expected == w["expected"]
        if "related" in w:
            assert len(f.related) == w["related"]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_no_arithmetic_from_unread_cells(name: str):
    """A row the parser could not place (P103) or a cut-off table (P102) never yields an A error on its rows."""
    path = SEEDS / name
    if not path.exists():
        pytest.skip(f"{name} is not in ../shared/seeds")
    result = check_path(path)
    report = result.report
    assert report is not None
    unread_lines = {
        row.line
        for t in report.tables.values()
        for row in t.rows.values()
        if any(isinstance(p, (CellCount, HeaderUnknown, NoNumbers)) for p in row.problems)
    }
    for f in result.findings:
        if f.code.startswith("A") and f.location is not None:
            assert f.location.line not in unread_lines, f"{f.code} at an unread row: {f.text()}"
            for r in f.related:
                assert r.location is None or r.location.line not in unread_lines, f"{f.code} uses an unread row"
