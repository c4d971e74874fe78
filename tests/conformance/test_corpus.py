"""Conformance over ../shared/corpus (skipped when absent).

tests/conformance/corpus.json holds the section-二/三/四 numbers of every corpus
report read by hand from the file itself (digit runs split by hand with the row
sums, not copied from gov-lint), the cells that cannot be read with the reason and
the finding that must say so, and every P / T1xx / A finding gov-lint must raise,
each checked by hand.  So for each report:

* template, year and agency are the README's;
* `gov-lint extract` reproduces every hand-read number (null where the cell is blank
  or honestly unreadable, and then the unreadable cell is named by its P finding);
* the README's totals (一+二 = 三.七+四 per column) hold on the extracted numbers;
* the P, T1xx and A findings are exactly the listed ones, and none is an A error
  (the corpus reports are consistent; blank cells where 0 belongs are A110
  warnings);
* the rows split by inference (P108) and placed by position (P106) are the listed
  ones;
* the 2018 report is recognised as legacy (T103), with no tables and no crash.

N, M and T2xx findings belong to tests/conformance/narrative.json.
"""

from __future__ import annotations

import json
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest

from gov_lint.check import check_path
from gov_lint.extract import extract_csv_rows, extract_json
from gov_lint.model import LabelInferred

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parents[2] / "shared" / "corpus"
EXPECT = json.loads((HERE / "corpus.json").read_text(encoding="utf-8"))
FILES = sorted(k for k in EXPECT if not k.startswith("_"))
LEAF = {  # section-三 leaf result rows per template (spec §4)
    "2019": ["三.一", "三.二"] + [f"三.三.{i}" for i in range(1, 9)] + [f"三.四.{i}" for i in range(1, 4)]
    + [f"三.五.{i}" for i in range(1, 6)] + ["三.六"],
    "2021": ["三.一", "三.二"] + [f"三.三.{i}" for i in range(1, 9)] + [f"三.四.{i}" for i in range(1, 4)]
    + [f"三.五.{i}" for i in range(1, 6)] + [f"三.六.{i}" for i in range(1, 4)],
}
PARTS3 = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
PARTS4 = ["结果维持", "结果纠正", "其他结果", "尚未审结"]

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not available")


@cache
def _run(name: str):
    path = CORPUS / name
    if not path.exists():
        pytest.skip(f"{name} is not in ../shared/corpus")
    result = check_path(path)
    assert result.status == "checked", result.reason_text()
    return result, extract_json(result)


def _own(code: str) -> bool:
    """The foundation's codes (this file's); N, M and T2xx are narrative.json's."""
    return code[0] in "PA" or (code[0] == "T" and code[1] == "1")


def _same(want, got) -> bool:
    if isinstance(want, str):  # money, written as a decimal string
        return got is not None and Decimal(str(got)) == Decimal(want)
    return want == got and type(want) is type(got)


# ------------------------------------------------------------ the expectation file itself


@pytest.mark.parametrize("name", FILES)
def test_hand_reading_is_consistent(name: str):
    """The hand-read tables satisfy R1–R4 (blank = 0): guards corpus.json against typos.

    Needs no corpus: it checks the reading, not gov-lint.
    """
    exp = EXPECT[name]
    t3, t4 = exp["tables"].get("三"), exp["tables"].get("四")
    if t3 is None:
        assert exp["template"] == "legacy"
        return
    v = lambda x: x or 0  # noqa: E731
    for key, row in t3.items():
        assert sum(v(row[c]) for c in PARTS3) == v(row["总计"]), (name, key)
    for col in row:
        assert sum(v(t3[k][col]) for k in LEAF[exp["template"]]) == v(t3["三.七"][col]), (name, col)
        assert v(t3["一"][col]) + v(t3["二"][col]) == v(t3["三.七"][col]) + v(t3["四"][col]), (name, col)
    for key, row in t4.items():
        assert sum(row[c] for c in PARTS4) == row["总计"], (name, key)


# ------------------------------------------------------------ gov-lint against the reading


@pytest.mark.parametrize("name", FILES)
def test_template_year_agency(name: str):
    result, _ = _run(name)
    exp = EXPECT[name]
    assert (result.template, result.year, result.agency) == (exp["template"], exp["year"], exp["agency"])


@pytest.mark.parametrize("name", FILES)
def test_extract_reproduces_the_hand_read_numbers(name: str):
    _, got = _run(name)
    exp = EXPECT[name]["tables"]
    assert set(got["tables"]) == set(exp), name
    wrong = []
    for tid, rows in exp.items():
        assert set(got["tables"][tid]) == set(rows), (name, tid, sorted(set(got["tables"][tid]) ^ set(rows)))
        for key, cols in rows.items():
            have = got["tables"][tid][key]
            assert set(have) == set(cols), (name, tid, key)
            wrong += [f"{tid}/{key}/{c}: extract {have[c]!r}, by hand {w!r}" for c, w in cols.items() if not _same(w, have[c])]
    assert not wrong, f"{name}: {wrong}"


@pytest.mark.parametrize("name", FILES)
def test_readme_totals(name: str):
    """一+二 = 三.七+四 per column, with the sums the corpus README gives."""
    _, got = _run(name)
    t3 = got["tables"].get("三", {})
    for total in EXPECT[name]["readme_totals"]:
        c = total["column"]
        assert t3["一"][c] + t3["二"][c] == total["sum"] == t3["三.七"][c] + t3["四"][c], (name, c)


_UNREAD = [(n, u) for n in FILES for u in EXPECT[n]["unreadable"]]


@pytest.mark.parametrize(
    "name,entry",
    [pytest.param(n, u, id=f"{n}-{u['row']}") for n, u in _UNREAD],
)
def test_unreadable_cells_are_named(name: str, entry: dict):
    """A cell read by hand but not by gov-lint is null, and its row carries the P finding that says why."""
    result, got = _run(name)
    row = got["tables"].get(entry["table"], {}).get(entry["row"])
    assert row is not None and all(v is None for v in row.values()), (name, entry["row"], row)
    label = entry["row"].rsplit(".", 1)[-1]
    assert any(
        f.code == entry["finding"] and f.table == entry["table"] and (f.row == entry["row"] or (f.row is None and label in f.text()))
        for f in result.findings
    ), (name, entry)


@pytest.mark.parametrize("name", FILES)
def test_findings_are_the_hand_checked_ones(name: str):
    result, _ = _run(name)
    got = sorted((f.code, f.table or "", f.row or "", f.column or "") for f in result.findings if _own(f.code))
    want = sorted((f["code"], f["table"] or "", f["row"] or "", f["column"] or "") for f in EXPECT[name]["findings"])
    assert got == want, "\n".join(
        [f"{name}: findings differ; check each new one against the text before recording it:"]
        + [f"  {f.code} {f.severity} {f.table}/{f.row}/{f.column}: {f.text()}" for f in result.findings if _own(f.code)]
    )


@pytest.mark.parametrize("name", FILES)
def test_no_false_error(name: str):
    """The corpus reports are consistent: no A error; blank cells where 0 belongs are warnings."""
    result, _ = _run(name)
    errors = [f"{f.code} {f.table}/{f.row}/{f.column}: {f.text()}" for f in result.findings if f.code.startswith("A") and f.severity == "error"]
    assert not errors, f"{name}: {errors}"


@pytest.mark.parametrize("name", FILES)
def test_inferred_rows(name: str):
    """Rows split by the sums (P108) and rows placed by position (P106) are the hand-checked ones."""
    result, _ = _run(name)
    report, exp = result.report, EXPECT[name]
    split = {tid: sorted(k for k, r in t.rows.items() if any(c.inferred for c in r.cells.values()))
             for tid, t in report.tables.items()}
    assert {t: rows for t, rows in split.items() if rows} == {t: sorted(r) for t, r in exp["inferred_rows"].items()}
    placed = sorted(k for t in report.tables.values() for k, r in t.rows.items() if r.issue(LabelInferred))
    listed = sorted(r for f in exp["findings"] if f["code"] == "P106" for r in f["rows"])
    assert placed == listed, name
    for f in exp["findings"]:
        if f["code"] == "P108":
            assert sorted(f["rows"]) == split.get(f["table"], []), name


@pytest.mark.parametrize("name", FILES)
def test_csv_rows_match_the_hand_reading(name: str):
    """`extract --format csv`: one row per cell, same values, inferred cells flagged, located."""
    result, _ = _run(name)
    rows = [r for r in extract_csv_rows(result) if r[1]]  # a file without cells has one row without a table
    exp = EXPECT[name]
    want = {(t, k, c): v for t, tr in exp["tables"].items() for k, cols in tr.items() for c, v in cols.items()}
    assert {(r[1], r[2], r[3]) for r in rows} == set(want), name
    for r in rows:
        w = want[(r[1], r[2], r[3])]
        assert (r[4] == "") if w is None else _same(w, r[4]), (name, r[1:5], w)
        assert (r[7] == "yes") == (r[2] in exp["inferred_rows"].get(r[1], [])), (name, r[1:4])
        if w is not None:
            assert r[8] != "", (name, r[1:4], "a read cell has a location")


def test_cli_extract_and_check_on_the_corpus():
    """The CLI gives the same: `gov-lint extract` tables = the hand reading; `check` raises no P/T1xx/A error."""
    from typer.testing import CliRunner

    from gov_lint import cli

    names = [n for n in FILES if (CORPUS / n).exists()]
    paths = [str(CORPUS / n) for n in names]
    res = CliRunner().invoke(cli.app, ["extract", *paths])
    assert res.exit_code == 0, res.output
    by_name = {Path(f["path"]).name: f for f in json.loads(res.stdout)["files"]}
    for n in names:
        exp = EXPECT[n]["tables"]
        got = by_name[n]["tables"]
        assert {t: set(r) for t, r in got.items()} == {t: set(r) for t, r in exp.items()}, n
        assert all(_same(w, got[t][k][c]) for t, rows in exp.items() for k, cols in rows.items() for c, w in cols.items()), n
    res = CliRunner().invoke(cli.app, ["check", *paths, "--no-cache", "--jobs", "1", "--format", "json"])
    assert res.exit_code in (0, 1), res.output  # 2 would be a file it could not read
    errors = [(fr["path"], f["code"]) for fr in json.loads(res.stdout)["files"] for f in fr["findings"]
              if _own(f["code"]) and f["severity"] == "error"]
    assert not errors  # narrative codes are narrative.json's business
