"""Auditor outputs (issue 12 part 5): unwrapped summary, extract CSV with the file's facts and
unreadable files, non-report files in a folder listed as skipped with what they are."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from gov_lint import cli

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "2021" / "errors.txt"


def invoke(*args: str):
    return CliRunner().invoke(cli.app, list(args), catch_exceptions=False)


def test_summary_is_not_wrapped_when_written_to_a_file(tmp_path):
    long = tmp_path / ("很长的文件夹名称" * 6)
    long.mkdir()
    shutil.copy(EXAMPLE, long / "一份名字也相当长的年度报告文件.txt")
    res = invoke("check", str(long), "--format", "summary", "--no-cache", "--isolated")
    lines = res.stdout.splitlines()
    row = next(ln for ln in lines if "一份名字也相当长的年度报告文件.txt" in ln)
    assert str(long / "一份名字也相当长的年度报告文件.txt") in row  # the whole path on one line
    assert max(len(ln) for ln in lines) > 80


def test_extract_csv_has_the_files_facts_and_a_row_for_an_unreadable_file(tmp_path):
    missing = tmp_path / "没有这个文件.txt"
    empty = tmp_path / "空.txt"
    empty.write_bytes(b"")
    res = invoke("extract", str(EXAMPLE), str(missing), str(empty), "--format", "csv")
    assert res.exit_code == 2
    rows = list(csv.DictReader(io.StringIO(res.stdout.lstrip("\ufeff"))))
    assert {"path", "agency", "year", "template", "status", "reason"} <= set(rows[0])
    cells = [r for r in rows if r["path"] == str(EXAMPLE)]
    assert cells and all((r["agency"], r["year"], r["template"], r["status"]) ==
                         ("槐川市砚溪区交通运输局", "2023", "2021", "checked") for r in cells)
    for bad, status in ((missing, "error"), (empty, "skipped")):
        (row,) = [r for r in rows if r["path"] == str(bad)]
        assert (row["status"], row["table"], row["value"]) == (status, "", "") and row["reason"]


def test_folder_scan_lists_non_report_files_as_skipped_with_their_kind(tmp_path):
    shutil.copy(EXAMPLE.with_name("clean.txt"), tmp_path / "report.txt")
    (tmp_path / "reports.zip").write_bytes(b"PK\x03\x04")
    (tmp_path / "统计表.xlsx").write_bytes(b"PK\x03\x04")
    (tmp_path / "scan.jpg").write_bytes(b"\xff\xd8\xff")
    (tmp_path / "notes.xyz").write_bytes(b"x")
    res = invoke("check", str(tmp_path), "--format", "json", "--no-cache", "--isolated")
    assert res.exit_code == 0  # a zip or a picture is not a report that failed: no exit 2
    doc = json.loads(res.stdout)
    by_name = {Path(f["path"]).name: f for f in doc["files"]}
    assert by_name["report.txt"]["status"] == "checked"
    reasons = {n: (f["status"], f["reason"]) for n, f in by_name.items() if n != "report.txt"}
    assert reasons == {
        "notes.xyz": ("skipped", ".xyz 文件，不是年报"),
        "reports.zip": ("skipped", "压缩包，不是年报；如其中有年报，请解压后再检查"),
        "scan.jpg": ("skipped", "图片，不是年报"),
        "统计表.xlsx": ("skipped", "Excel 表格，不是年报"),
    }
    assert (doc["summary"]["files"], doc["summary"]["skipped"]) == (5, 4)
    en = invoke("check", str(tmp_path), "--format", "concise", "--no-cache", "--isolated", "--lang", "en")
    assert "reports.zip: a compressed archive, not a report; unpack it to check the reports inside" in en.stdout
