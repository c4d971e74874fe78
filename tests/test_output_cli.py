"""The machine formats through the real CLI: `check --output FORMAT:PATH` and `report --from`.

Runs the checker on the synthetic examples (examples/2021/errors.txt has deliberate
errors, examples/crossyear/ a carry-over break) and checks that every output of one
run agrees with the others and with a later `gov-lint report` of the saved JSON.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gov_lint import cli
from gov_lint.output._util import repo_path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SCHEMA = Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json"


def invoke(*args: str, env: dict | None = None):
    return CliRunner().invoke(cli.app, list(args), env=env)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    out = tmp_path_factory.mktemp("outputs")
    files = [str(EXAMPLES / "2021" / "errors.txt"), str(EXAMPLES / "2021" / "clean.txt"),
             str(EXAMPLES / "crossyear")]
    res = invoke("check", *files, "--no-cache", "-q", "--jobs", "1", "--format", "json",
                 "--output", f"sarif:{out}/r.sarif", "--output", f"csv:{out}/r.csv",
                 "--output", f"junit:{out}/r.xml", "--output", f"gitlab:{out}/cq.json",
                 "--output", f"json-lines:{out}/r.jsonl", "--output", f"summary-csv:{out}/s.csv")
    assert res.exit_code == 1, res.output  # the examples have errors
    (out / "r.json").write_text(res.stdout, encoding="utf-8")
    return out, json.loads(res.stdout)


def _findings(data: dict) -> list[tuple[str, str, int | None]]:
    return [(f["path"], f["code"], (f["location"] or {}).get("line"))
            for f in data["files"] for f in [dict(x, path=f["path"]) for x in f["findings"]]]


def test_every_output_has_every_finding(run):
    out, data = run
    expected = _findings(data)
    assert len(expected) > 3
    sarif = json.loads((out / "r.sarif").read_text(encoding="utf-8"))
    results = sarif["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == [code for _, code, _ in expected]
    rows = list(csv.DictReader(io.StringIO((out / "r.csv").read_text(encoding="utf-8-sig"), newline="")))
    assert [(r["code"], r["line"] or None) for r in rows] == [(c, str(n) if n else None) for _, c, n in expected]
    cq = json.loads((out / "cq.json").read_text(encoding="utf-8"))
    assert [i["check_name"] for i in cq] == [code for _, code, _ in expected]
    lines = [json.loads(x) for x in (out / "r.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [x["code"] for x in lines if x["type"] == "finding"] == [code for _, code, _ in expected]
    root = ET.parse(out / "r.xml").getroot()
    # one test case per file; a file with errors or warnings is one failure listing every one of them
    failing = [f for f in data["files"] if any(x["severity"] != "info" for x in f["findings"])]
    assert int(root.get("tests")) == len(data["files"])
    assert int(root.get("failures")) == len(root.findall(".//failure")) == len(failing)
    codes = {c.get("name"): (c.find("failure").get("type") or "").split() for c in root.iter("testcase")
             if c.find("failure") is not None}
    assert codes == {repo_path(f["path"]): list(dict.fromkeys(x["code"] for x in f["findings"] if x["severity"] != "info"))
                     for f in failing}


def test_sarif_of_a_real_run_is_valid_and_has_every_rule(run):
    jsonschema = pytest.importorskip("jsonschema")
    out, data = run
    log = json.loads((out / "r.sarif").read_text(encoding="utf-8"))
    jsonschema.validate(log, json.loads(SCHEMA.read_text(encoding="utf-8")))
    driver = log["runs"][0]["tool"]["driver"]
    ids = [r["id"] for r in driver["rules"]]
    assert len(ids) == len(set(ids)) and "A101" in ids
    for r in driver["rules"]:
        assert r.get("help", {}).get("markdown"), r["id"]  # every built-in rule has docs
    assert all(r["partialFingerprints"]["govLint/v1"] for r in log["runs"][0]["results"])


def test_cross_year_finding_names_both_reports_in_sarif(run):
    out, _ = run
    log = json.loads((out / "r.sarif").read_text(encoding="utf-8"))
    ys = [r for r in log["runs"][0]["results"] if r["ruleId"].startswith("Y")]
    assert ys, "the crossyear examples have a carry-over break"
    uris = {loc["physicalLocation"]["artifactLocation"]["uri"] for r in ys for loc in r.get("relatedLocations", [])}
    own = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in ys}
    assert uris - own, "a related location points into the other year's report"


@pytest.mark.parametrize("fmt,name", [("csv", "r.csv"), ("gitlab", "cq.json"), ("sarif", "r.sarif"),
                                      ("junit", "r.xml"), ("summary-csv", "s.csv")])
def test_report_from_saved_json_equals_the_run_output(run, fmt, name):
    out, _ = run
    res = invoke("report", "--from", str(out / "r.json"), "--format", fmt)
    assert res.exit_code == 0, res.output
    with open(out / name, encoding="utf-8", newline="") as fh:
        saved = fh.read()
    # click's test runner reports stdout with CRLF turned into LF (csv lines end with CRLF)
    assert res.stdout == saved.replace("\r\n", "\n")


def test_github_format_with_step_summary(tmp_path):
    summary = tmp_path / "summary.md"
    res = invoke("check", str(EXAMPLES / "2021" / "errors.txt"), "--no-cache", "-q", "--format", "github",
                 env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert res.exit_code == 1
    lines = res.stdout.splitlines()
    assert lines and all(l.startswith(("::error ", "::warning ", "::notice ")) for l in lines)
    assert "file=" in lines[0] and ",line=" in lines[0] and ",title=" in lines[0]
    assert summary.read_text(encoding="utf-8").startswith("## gov-lint 检查结果")


def test_bad_output_spec_exits_2(tmp_path):
    res = invoke("check", str(EXAMPLES / "2021" / "clean.txt"), "--no-cache", "-q", "--output", "sarf:x.sarif")
    assert res.exit_code == 2
    res = invoke("report", "--from", str(tmp_path / "none.json"), "--format", "csv")
    assert res.exit_code == 2
