"""One result per input file in every output (issue 12 part 1).

A property over random sets of inputs: report series of two bodies (one with a
carry-over break, so cross-year findings exist), a second copy of a report (Y104),
unreadable and not-a-report files, a path named twice, in any order (older or
newer years first).  One `check` run writes every machine format; in each, every
path is one entry: exactly once in JSON, JUnit and the summaries, and as one
contiguous block in the formats that have a line per finding (CSV, JSON-lines,
SARIF), with a file that was not checked listed exactly once.
"""

from __future__ import annotations

import csv
import io
import json
import random
import shutil
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from urllib.parse import unquote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from gov_lint import cli
from gov_lint.synth import generate_series, write_tab_text

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))


@pytest.fixture(scope="module")
def pool(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("pool")
    files: dict[str, Path] = {}
    rng = random.Random(5)
    for agency, years, broken in (("甲县教育局", [2020, 2021, 2022], 2), ("乙县财政局", [2021, 2022], 1)):
        series = generate_series(None, rng, years, agency=agency)
        s = series[broken]
        s.set("三", "二", "其他", s.get("三", "二", "其他") + 2)  # a carry-over break (Y101)
        for r in series:
            p = d / f"{agency}{r.year}.txt"
            p.write_text(write_tab_text(r), encoding="utf-8")
            files[p.name] = p
    dup = d / "副本甲县教育局2021.txt"  # same body and year as another file: Y104
    shutil.copy(files["甲县教育局2021.txt"], dup)
    files[dup.name] = dup
    (d / "空文件.txt").write_bytes(b"")
    (d / "图片冒充.txt").write_bytes(PNG)
    (d / "通知.md").write_text("# 关于召开会议的通知\n\n请各单位准时参加。\n", encoding="utf-8")
    for name in ("空文件.txt", "图片冒充.txt", "通知.md"):
        files[name] = d / name
    files["不存在.txt"] = d / "不存在.txt"
    return files


def _run(paths: list[Path], out: Path) -> tuple[dict, Path]:
    fmts = {"json-lines": "r.jsonl", "sarif": "r.sarif", "csv": "r.csv", "junit": "r.xml",
            "summary-csv": "s.csv", "summary": "s.txt"}
    args = ["check", *map(str, paths), "--no-cache", "--isolated", "-q", "--jobs", "1", "--format", "json"]
    for fmt, name in fmts.items():
        args += ["--output", f"{fmt}:{out / name}"]
    res = CliRunner().invoke(cli.app, args, catch_exceptions=False)
    assert res.exit_code in (0, 1, 2), res.output
    return json.loads(res.stdout), out


def _blocks(keys: list[str]) -> Counter:
    """How many contiguous runs each key forms in a sequence."""
    runs: Counter = Counter()
    prev = None
    for k in keys:
        if k != prev:
            runs[k] += 1
        prev = k
    return runs


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_every_path_is_one_entry_in_every_format(pool, tmp_path_factory, data):
    names = data.draw(st.lists(st.sampled_from(sorted(pool)), min_size=1, max_size=9), label="inputs")
    paths = [pool[n] for n in names]
    distinct = list(dict.fromkeys(str(p) for p in paths))
    doc, out = _run(paths, tmp_path_factory.mktemp("out"))

    # JSON: one entry per distinct path, in input order; the summary counts the entries
    assert [f["path"] for f in doc["files"]] == distinct
    s = doc["summary"]
    assert s["files"] == s["checked"] + s["skipped"] == len(distinct)
    not_checked = {f["path"] for f in doc["files"] if f["status"] != "checked"}
    by_path = {f["path"]: f for f in doc["files"]}
    # cross-year findings sit in their file's own entry
    for f in doc["files"]:
        for x in f["findings"]:
            if x["code"].startswith("Y") and x["code"] != "Y104":
                assert any(r.get("path") and r["path"] != f["path"] for r in x["related"]), x

    # JUnit: one test case per path
    root = ET.fromstring((out / "r.xml").read_bytes())
    cases = [c.get("file") for c in root.iter("testcase")]
    assert Counter(cases) == Counter(distinct)
    assert int(root.get("tests")) == len(distinct)

    # summary CSV and the summary table: one row per path
    rows = list(csv.DictReader(io.StringIO((out / "s.csv").read_text(encoding="utf-8-sig"), newline="")))
    assert Counter(r["path"] for r in rows) == Counter(distinct)
    for r in rows:
        counts = Counter(x["severity"] for x in by_path[r["path"]]["findings"])
        assert (int(r["errors"]), int(r["warnings"]), int(r["infos"])) == (
            counts["error"], counts["warning"], counts["info"])
    table = (out / "s.txt").read_text(encoding="utf-8")
    for p in distinct:
        assert table.count(p) == 1, (p, table)

    # CSV: a path's rows are one block; a file not checked is listed once
    rows = list(csv.DictReader(io.StringIO((out / "r.csv").read_text(encoding="utf-8-sig"), newline="")))
    assert all(n == 1 for n in _blocks([r["path"] for r in rows]).values())
    for p in not_checked:
        assert sum(r["path"] == p for r in rows) == max(1, len(by_path[p]["findings"]))

    # JSON-lines: a path's lines are one block; one "file" line per file not checked
    lines = [json.loads(x) for x in (out / "r.jsonl").read_text(encoding="utf-8").splitlines()]
    body = [x for x in lines if x["type"] != "summary"]
    assert all(n == 1 for n in _blocks([x["path"] for x in body]).values())
    assert Counter(x["path"] for x in body if x["type"] == "file") == Counter(not_checked)
    assert lines[-1]["type"] == "summary" and lines[-1]["files"] == len(distinct)

    # SARIF: a path's results are one block; one notification per file not checked
    run = json.loads((out / "r.sarif").read_text(encoding="utf-8"))["runs"][0]

    def name(loc: dict) -> str:
        return Path(unquote(loc["physicalLocation"]["artifactLocation"]["uri"])).name

    assert all(n == 1 for n in _blocks([name(r["locations"][0]) for r in run["results"]]).values())
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert Counter(name(n["locations"][0]) for n in notes) == Counter(Path(p).name for p in not_checked)


def test_cross_year_findings_join_the_later_file_in_input_order(pool, tmp_path):
    """Older years first: the break is on the later year's file; newer first: on the earlier year's
    file (the later one in the input), at its own 结转下年度 cell; the fingerprint is the same."""
    a, b = pool["甲县教育局2021.txt"], pool["甲县教育局2022.txt"]
    (tmp_path / "up").mkdir()
    (tmp_path / "down").mkdir()
    up, _ = _run([a, b], tmp_path / "up")
    down, _ = _run([b, a], tmp_path / "down")
    y_up = [(Path(f["path"]).name, x) for f in up["files"] for x in f["findings"] if x["code"] == "Y101"]
    y_down = [(Path(f["path"]).name, x) for f in down["files"] for x in f["findings"] if x["code"] == "Y101"]
    assert [(n, x["row"], x["column"]) for n, x in y_up] == [("甲县教育局2022.txt", "二", "其他")]
    assert [(n, x["row"], x["column"]) for n, x in y_down] == [("甲县教育局2021.txt", "四", "其他")]
    (_, later), (_, earlier) = y_up[0], y_down[0]
    # each is reported with the other year's number as the one that makes the relation hold
    assert later["expected"] == earlier["stated"] and earlier["expected"] == later["stated"]
    assert int(later["stated"]) == int(earlier["stated"]) + 2
    assert later["fingerprint"] == earlier["fingerprint"]
