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
