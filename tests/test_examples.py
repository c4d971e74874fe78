"""The examples in examples/ say what they claim in examples/README.md.

* every clean example, in every format, has no error (and, except the run-together
  web text whose digit runs may be ambiguous, no warning);
* every deliberate error of an errors example is named by a finding at its cell
  (table, and row or column), in every format; in run-together web text, where a
  blank cell cannot be printed and digit runs may be ambiguous, a P finding on the
  same table counts as "not silently accepted";
* the 2023 report in the 2019 layout gets a template/year finding (T101).

The expected cells come from examples/make_examples.py itself, so this test and the
README cannot drift apart.
"""

from __future__ import annotations

import importlib.util
import sys
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "examples" / "make_examples.py"


@cache
def examples():
    if not SCRIPT.is_file():
        pytest.skip("examples/make_examples.py not present")
    spec = importlib.util.spec_from_file_location("make_examples", SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    sys.modules["make_examples"] = mod  # dataclasses look their module up by name
    spec.loader.exec_module(mod)
    return mod, {ex.path: ex for ex in mod.build()}


def _files(path: str):
    mod, exs = examples()
    ex = exs[path]
    for kind in ex.formats:
        yield kind, ROOT / "examples" / f"{path}{mod.SUFFIX[kind]}"


def _check(p: Path):
    from gov_lint.check import check_path

    if not p.is_file():
        pytest.fail(f"{p} missing: run python examples/make_examples.py")
    return check_path(p)


def _describe(findings):
    return [(f.code, f.severity, f.table, f.row, f.column, f.text()) for f in findings]


@pytest.mark.parametrize("path", ["2019/clean", "2021/clean"])
def test_clean_examples_are_clean(path):
    for kind, p in _files(path):
        result = _check(p)
        assert result.status == "checked", (p, result.reason_text())
        worst = ("error",) if kind == "run_together" else ("error", "warning")
        bad = [f for f in result.findings if f.severity in worst]
        assert bad == [], (p.name, _describe(bad))
        assert result.template == examples()[1][path].report.template


@pytest.mark.parametrize("path", ["2019/errors", "2021/errors"])
def test_every_deliberate_error_is_found_in_every_format(path):
    ex = examples()[1][path]
    assert len(ex.cells) == 5
    for kind, p in _files(path):
        result = _check(p)
        for table, row, col in ex.cells:
            named = [f for f in result.findings if f.code[0] in "AT" and f.table == table and (f.row == row or f.column == col)]
            if named:
                continue
            if kind == "run_together":
                noted = [f for f in result.findings if f.code.startswith("P") and f.table == table]
                assert noted, (p.name, (table, row, col), _describe(result.findings))
                continue
            pytest.fail(f"{p.name}: no finding names {(table, row, col)}: {_describe(result.findings)}")


def test_the_prose_slip_is_found_and_no_other_narrative_warning():
    """2019/errors states 予以公开 one short of what the blank 总计 must hold: N101 at that cell,
    with the localised value, in every format whose table shows the blank; no example gets
    any other N finding (2021/errors copies the misprinted table into its prose: nothing to say)."""
    mod, exs = examples()
    assert exs["2019/errors"].prose_errors == [("N101", "三", "三.一", "总计")]
    for path, ex in exs.items():
        for kind, p in _files(path):
            found = [(f.code, f.table, f.row, f.column) for f in _check(p).findings if f.code.startswith("N")]
            if kind == "run_together":  # a blank cannot be printed there: the row's digits are ambiguous
                assert set(found) <= set(ex.prose_errors), (p.name, found)
                continue
            assert found == ex.prose_errors, (p.name, found)
    slip = [f for f in _check(ROOT / "examples" / "2019" / "errors.txt").findings if f.code == "N101"]
    assert [(f.stated, f.expected, f.span.line) for f in slip] == [("45件", "46", 54)]


def test_the_prose_decides_what_the_table_alone_cannot():
    """2019/errors writes its prose from the right numbers: the two equal repairs of the
    carry-over (A109 in 2021/errors, whose prose repeats the table) and the 行政复议 total
    (A104 there) become single cells."""
    def located(path):
        return sorted((f.code, f.row, f.column, f.expected) for f in _check(ROOT / "examples" / path).findings
                      if f.code in ("A100", "A104", "A109") and f.table in ("三", "四") and f.row in ("二", "四", "行政复议"))

    assert located("2019/errors.txt") == [("A100", "二", "商业企业", "0"), ("A100", "二", "总计", "0"),
                                          ("A100", "行政复议", "总计", "4")]
    assert [c for c, *_ in located("2021/errors.txt")] == ["A104", "A109"]


def test_blank_total_gets_the_expected_number():
    ex = examples()[1]["2021/errors"]
    table, row, col = ex.cells[2]
    result = _check(ROOT / "examples" / "2021" / "errors.txt")
    blank = [f for f in result.findings if f.table == table and f.row == row and f.column == col]
    assert blank and blank[0].stated is None
    want = sum(v for c, v in ex.report.tables[table][row].items() if c != col and isinstance(v, int))
    assert blank[0].expected == str(want)


@pytest.mark.parametrize("suffix", [".txt", ".md"])
def test_2023_report_in_2019_layout_is_flagged(suffix):
    result = _check(ROOT / "examples" / "mismatch" / f"2023-old-layout{suffix}")
    assert result.year == 2023
    assert any(f.code == "T101" for f in result.findings), _describe(result.findings)
    assert not [f for f in result.findings if f.code.startswith("A")]
