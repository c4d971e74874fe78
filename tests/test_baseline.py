"""Fingerprints and baselines: stable under moved lines and renamed files, count-aware, stale entries."""

from __future__ import annotations

import json

import pytest

from gov_lint import baseline
from gov_lint.fingerprint import fingerprint, normalise_message, normalise_value
from gov_lint.model import FileResult, Finding, Location, Span


def cell_finding(stated="126", line=40, code="A101"):
    return Finding(code, "x", "error", f"第 {line} 行：总计不等于各项之和", span=Span(line, 3, 6),
                   location=Location(line, 3, line, 6), table="三", row="三.七", column="总计", stated=stated)


def test_fingerprint_ignores_position_path_and_formatting():
    a = fingerprint(cell_finding(line=40), agency="甲县人民政府", year=2023, path="a/甲县2023.txt")
    b = fingerprint(cell_finding(line=97), agency="甲县 政府", year=2023, path="b/renamed.pdf")
    assert a == b
    assert fingerprint(cell_finding(stated="１２６"), agency="甲县政府", year=2023) == a
    assert fingerprint(cell_finding(stated="127"), agency="甲县政府", year=2023) != a
    assert fingerprint(cell_finding(), agency="甲县政府", year=2022) != a
    assert fingerprint(cell_finding(), agency="乙县政府", year=2023) != a
    assert fingerprint(cell_finding(code="A102"), agency="甲县政府", year=2023) != a


def test_fingerprint_without_cell_uses_message_without_positions():
    f1 = Finding("P101", "x", "error", "第 3 行：报告 r1.txt 的表格在第 12 行中断")
    f2 = Finding("P101", "x", "error", "第 9 行：报告 other.txt 的表格在第 30 行中断")
    assert fingerprint(f1, agency=None, year=None, path="d/r1.txt") == fingerprint(f2, agency=None, year=None, path="other.txt")
    f3 = Finding("P101", "x", "error", "第 9 行：第四部分没有找到")
    assert fingerprint(f3, agency=None, year=None) != fingerprint(f1, agency=None, year=None)
    assert normalise_value(" +1,234 ") == "1234" and normalise_value("9个") == "9个"
    assert normalise_message("line 3: bad, see 12:4", None) == ":bad,see"


def result(path, agency, year, findings):
    for f in findings:
        f.fingerprint = fingerprint(f, agency=agency, year=year, path=path)
    return FileResult(path=path, agency=agency, year=year, findings=findings)


def test_filter_is_count_aware_and_lists_stale(tmp_path):
    r = result("x/甲.txt", "甲县政府", 2023, [cell_finding(), cell_finding(line=50), cell_finding(code="A103")])
    other = result("x/乙.txt", "乙县政府", 2023, [cell_finding()])
    out = tmp_path / "baseline.json"
    assert baseline.write(out, baseline.entries_of(r) + baseline.entries_of(other)) == 4
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["schema"] == baseline.SCHEMA and doc["tool"]["name"] == "gov-lint"
    assert set(doc["entries"][0]) >= {"fingerprint", "code", "path", "message"}
    entries = baseline.load(out)

    # same findings, moved lines, renamed file: nothing new
    flt = baseline.BaselineFilter(entries)
    again = result("y/甲县2023年报告.txt", "甲县人民政府", 2023,
                   [cell_finding(line=41), cell_finding(line=51), cell_finding(code="A103", line=7)])
    assert flt.apply(again).findings == [] and flt.suppressed == 3
    assert flt.stale() == []  # 乙 was not checked in this run: not stale

    # a third identical finding is new; a fixed one is stale
    flt = baseline.BaselineFilter(entries)
    third = result("x/甲.txt", "甲县政府", 2023, [cell_finding(), cell_finding(), cell_finding()])
    kept = flt.apply(third).findings
    assert len(kept) == 1
    stale = flt.stale()
    assert [(e.code, e.path) for e in stale] == [("A103", "x/甲.txt")]


def test_bad_baseline_files(tmp_path):
    with pytest.raises(baseline.BaselineError) as e:
        baseline.load(tmp_path / "missing.json")
    assert "找不到基线文件" in e.value.zh
    (tmp_path / "b.json").write_text('{"schema": "other"}', encoding="utf-8")
    with pytest.raises(baseline.BaselineError):
        baseline.load(tmp_path / "b.json")
    (tmp_path / "c.json").write_text('{', encoding="utf-8")
    with pytest.raises(baseline.BaselineError):
        baseline.load(tmp_path / "c.json")
