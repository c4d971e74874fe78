"""Snapshot and shape tests for the machine output formats (issue 5, parts 1, 2 and 7).

A fixed set of FileResults built by hand (a clean report, a report with findings
that have related locations, notes and Chinese messages, a skipped file and an
unreadable one) is rendered by every format and compared with the files in
tests/snapshots/<format>.<ext>.  Run with GOV_LINT_UPDATE_SNAPSHOTS=1 to rewrite
the snapshots after an intended change, then review the diff.
"""

from __future__ import annotations

import csv
import io
import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from gov_lint.model import FileResult, Finding, Location, Related
from gov_lint.output import sarif as sarif_mod
from gov_lint.output.base import RenderOptions, Summary
from gov_lint.output.csv import HEADER, CsvRenderer
from gov_lint.output.github import GitHubRenderer, command, escape_data, escape_property
from gov_lint.output.gitlab import GitLabRenderer
from gov_lint.output.jsonlines import JsonLinesRenderer
from gov_lint.output.junit import JUnitRenderer
from gov_lint.output.multi import MultiRenderer, OutputSpecError, machine_formats, open_outputs, parse_output
from gov_lint.output.sarif import SarifRenderer
from gov_lint.output.summary import SummaryCsvRenderer, SummaryRenderer
from gov_lint.report_cmd import load_results, run_report
from gov_lint.rules.base import Rule, RuleSet, doc

HERE = Path(__file__).parent
SNAPSHOTS = HERE / "snapshots"
SARIF_SCHEMA = HERE / "schemas" / "sarif-schema-2.1.0.json"
UPDATE = os.environ.get("GOV_LINT_UPDATE_SNAPSHOTS") == "1"
VERSION = "0.0.0-test"

CLEAN = "reports/2023/某某镇人民政府2023年报告.txt"
BROKEN = "reports/2022/某某县教育局 2022年度报告.md"
SKIPPED = "reports/说明.md"
UNREADABLE = "reports/扫描件.pdf"


# --------------------------------------------------------------------------- fixtures


def make_rules() -> RuleSet:
    rs = RuleSet()
    rs.add(
        Rule(
            code="A101",
            name="carry-over-balance",
            severity="error",
            summary="勾稽关系不成立：一 + 二 ≠ （七）总计 + 四",
            summary_en="Balance broken: 一 + 二 ≠ （七）总计 + 四",
            doc=doc(
                "检查第三部分表格每一列的勾稽关系：本年新收 + 上年结转 = 办理结果总计 + 结转下年度继续办理。",
                "勾稽关系不成立说明至少有一个数字填错，公众和上级会据此质疑报告的准确性。",
                "一、本年新收\t10\n二、上年结转\t2\n（七）总计\t11\n四、结转下年度继续办理\t0",
                "逐项核对该列的四个数字，改正填错的那个。",
                what_en="Checks, for every column of the section-三 table, that new + carried over = total + carried forward.",
            ),
            basis="R1",
        )
    )
    rs.add(
        Rule(
            code="A110",
            name="blank-cell",
            severity="warning",
            summary="应填数字的单元格为空",
            summary_en="A cell that should hold a number is blank",
            doc=doc("找出模板要求填数字却留空的单元格。", "空白让人无法判断是 0 还是漏填。", "（七）总计\t\t3", "填 0 或实际数字。"),
        )
    )
    rs.add(
        Rule(
            code="M201",
            name="year-in-title",
            severity="info",
            summary="标题中没有年度",
            summary_en="The title has no year",
            doc=doc("检查标题是否写明报告年度。", "没有年度的报告难以归档和比对。", "某某县教育局政府信息公开工作年度报告", "在标题中写明年度。"),
        )
    )
    # Y301 is deliberately left out: a code the rule set does not know must still render.
    return rs


def make_results() -> list[FileResult]:
    clean = FileResult(path=CLEAN, status="checked", template="2021", year=2023, agency="某某镇人民政府")
    broken = FileResult(
        path=BROKEN,
        status="checked",
        template="2021",
        year=2022,
        agency="某某县教育局",
        findings=[
            Finding(
                code="A101",
                name="carry-over-balance",
                severity="error",
                message="“自然人”列勾稽关系不成立：一 + 二 = 127，（七）总计 + 四 = 126",
                location=Location(41, 13, 41, 16),
                table="三",
                row="三.七",
                column="自然人",
                stated="120",
                expected="121",
                related=[
                    Related(span=None, label="一、本年新收申请数量 = 125", location=Location(12, 13, 12, 16)),
                    Related(span=None, label="二、上年结转 = 2", location=Location(13, 13, 13, 14)),
                ],
                notes=["= 计算值 125 + 2 − 6 = 121，差额 -1", "= 依据: 2021 模板, 表三, R1"],
                fingerprint="a101:某某县教育局:2022:三:三.七:自然人:120",
            ),
            Finding(
                code="A110",
                name="blank-cell",
                severity="warning",
                message="单元格为空（三.五.1, 总计）: 按 0 计算，关系成立, 请填写 0",
                location=Location(33, 40, 33, 41),
                table="三",
                row="三.五.1",
                column="总计",
                stated=None,
                expected="0",
                fingerprint="a110:某某县教育局:2022:三:三.五.1:总计:",
            ),
            Finding(
                code="M201",
                name="year-in-title",
                severity="info",
                message="标题中没有年度，100% 依据正文判断为 2022 年",
                location=None,
                fingerprint="m201:某某县教育局:2022",
            ),
            Finding(
                code="Y301",
                name="carry-over-across-years",
                severity="error",
                message="上年结转（2 件）与 2021 年报告的结转下年度继续办理（3 件）不一致",
                location=Location(13, 13, 13, 14, context="表格 3 第 2 行"),
                table="三",
                row="二",
                column="总计",
                stated="2",
                expected="3",
                related=[
                    Related(
                        span=None,
                        label="2021 年：结转下年度继续办理 = 3",
                        location=Location(44, 20, 44, 21),
                        path="reports/2021/某某县教育局 2021年度报告.md",
                    )
                ],
                fingerprint="y301:某某县教育局:2022:三:二:总计:2",
            ),
        ],
    )
    skipped = FileResult(path=SKIPPED, status="skipped", reason="不是年度报告：没有找到标题和表格")
    unreadable = FileResult(path=UNREADABLE, status="error", reason="无法读取：PDF 文件已损坏 (EOF marker not found)")
    return [clean, broken, skipped, unreadable]


def summary_of(results: list[FileResult]) -> Summary:
    s = Summary()
    for r in results:
        s.add(r)
    return s


def options(lang: str = "zh") -> RenderOptions:
    return RenderOptions(lang=lang, tool_version=VERSION, width=100, rules=make_rules())


@pytest.fixture(autouse=True)
def _stable(monkeypatch):
    monkeypatch.setattr(sarif_mod, "INFORMATION_URI", "urn:gov-lint")
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    monkeypatch.delenv("GOV_LINT_CSV_BOM", raising=False)


def render(cls, results=None, opts=None) -> str:
    results = make_results() if results is None else results
    buf = io.StringIO(newline="")
    r = cls(buf, opts or options())
    for res in results:
        r.file(res)
    r.finish(summary_of(results))
    return buf.getvalue()


def check_snapshot(name: str, text: str) -> None:
    path = SNAPSHOTS / name
    if UPDATE or not path.exists():
        if not UPDATE and os.environ.get("CI"):
            pytest.fail(f"snapshot {name} is missing (run with GOV_LINT_UPDATE_SNAPSHOTS=1)")
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
    with open(path, encoding="utf-8", newline="") as fh:
        expected = fh.read()
    assert text == expected, f"{name} differs from its snapshot (GOV_LINT_UPDATE_SNAPSHOTS=1 rewrites it)"


SNAPSHOT_FORMATS = [
    ("json-lines", JsonLinesRenderer, "json-lines.jsonl"),
    ("sarif", SarifRenderer, "sarif.sarif"),
    ("github", GitHubRenderer, "github.txt"),
    ("gitlab", GitLabRenderer, "gitlab.json"),
    ("junit", JUnitRenderer, "junit.xml"),
    ("csv", CsvRenderer, "csv.csv"),
    ("summary", SummaryRenderer, "summary.txt"),
    ("summary-csv", SummaryCsvRenderer, "summary-csv.csv"),
]


@pytest.mark.parametrize("fmt,cls,snapshot", SNAPSHOT_FORMATS, ids=[f[0] for f in SNAPSHOT_FORMATS])
def test_snapshot(fmt, cls, snapshot):
    check_snapshot(snapshot, render(cls))


def test_summary_english_snapshot():
    check_snapshot("summary-en.txt", render(SummaryRenderer, opts=options("en")))


def test_registry_names_cover_every_format():
    assert set(machine_formats()) == {f[0] for f in SNAPSHOT_FORMATS}


# --------------------------------------------------------------------------- json-lines


def test_json_lines_every_line_is_an_object_with_a_type():
    lines = render(JsonLinesRenderer).splitlines()
    objs = [json.loads(line) for line in lines]
    assert [o["type"] for o in objs] == ["finding"] * 4 + ["file", "file", "summary"]
    assert {o["path"] for o in objs if o["type"] == "finding"} == {BROKEN}
    assert objs[0]["agency"] == "某某县教育局" and objs[0]["related"][0]["label"].startswith("一、")
    assert objs[-1]["errors"] == 2 and objs[-1]["skipped"] == 2 and objs[-1]["schema"] == "gov-lint-lines/1"
    assert "\\u" not in lines[0]  # Chinese written as is


# --------------------------------------------------------------------------- sarif


def _sarif() -> dict:
    return json.loads(render(SarifRenderer))


def test_sarif_validates_against_the_2_1_0_schema():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    assert schema["$id"].endswith("sarif-schema-2.1.0.json")
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(_sarif()), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]


def test_sarif_schema_rejects_a_broken_log():
    """The validation above can fail: a result without a message is refused."""
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    log = _sarif()
    del log["runs"][0]["results"][0]["message"]
    log["runs"][0]["results"][1]["level"] = "fatal"
    assert len(list(jsonschema.Draft7Validator(schema).iter_errors(log))) == 2


def test_sarif_results_rules_and_locations():
    run = _sarif()["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["A101", "A110", "M201", "Y301"]  # rule set in code order, then unknown codes
    a101 = rules[0]
    assert a101["defaultConfiguration"]["level"] == "error"
    assert "## 如何修复" in a101["help"]["markdown"] and "逐项核对" in a101["help"]["markdown"]
    assert a101["shortDescription"]["text"].startswith("勾稽关系")
    results = run["results"]
    assert [(r["ruleId"], r["level"]) for r in results] == [
        ("A101", "error"), ("A110", "warning"), ("M201", "note"), ("Y301", "error")
    ]
    for r in results:
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
    first = results[0]
    loc = first["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "reports/2022/%E6%9F%90%E6%9F%90%E5%8E%BF%E6%95%99%E8%82%B2%E5%B1%80%202022%E5%B9%B4%E5%BA%A6%E6%8A%A5%E5%91%8A.md"
    assert loc["region"] == {"startLine": 41, "startColumn": 13, "endLine": 41, "endColumn": 16}
    assert [x["message"]["text"] for x in first["relatedLocations"]] == ["一、本年新收申请数量 = 125", "二、上年结转 = 2"]
    assert first["partialFingerprints"] == {"govLint/v1": "a101:某某县教育局:2022:三:三.七:自然人:120"}
    assert first["message"]["text"].splitlines()[1].startswith("= 计算值")
    assert first["properties"]["expected"] == "121"
    assert "region" not in results[2]["locations"][0]["physicalLocation"]  # file-level finding
    other = results[3]["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert other.startswith("reports/2021/")
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert [n["level"] for n in notes] == ["warning", "error"]
    assert run["invocations"][0]["executionSuccessful"] is False
    assert run["tool"]["driver"]["version"] == VERSION


def test_sarif_without_findings_is_valid_and_successful():
    jsonschema = pytest.importorskip("jsonschema")
    results = make_results()[:1]
    log = json.loads(render(SarifRenderer, results))
    jsonschema.validate(log, json.loads(SARIF_SCHEMA.read_text(encoding="utf-8")))
    assert log["runs"][0]["results"] == [] and log["runs"][0]["invocations"][0]["executionSuccessful"] is True


# --------------------------------------------------------------------------- github


def test_github_escaping():
    assert escape_data("100% ok\r\nnext") == "100%25 ok%0D%0Anext"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    assert escape_data("a:b,c") == "a:b,c"  # data keeps colons and commas
    line = command("error", "x,y: 5%\nz", file="r/a,b:c.txt", line=3, title="A101 t")
    assert line == "::error file=r/a%2Cb%3Ac.txt,line=3,title=A101 t::x,y: 5%25%0Az"


def test_github_annotations():
    lines = render(GitHubRenderer).splitlines()
    assert len(lines) == 6  # four findings, the skipped file, the unreadable file
    assert lines[0].startswith(
        f"::error file={BROKEN},line=41,col=13,endLine=41,endColumn=15,title=A101 carry-over-balance::"
    )
    assert "%0A= 计算值 125 + 2 − 6 = 121，差额 -1" in lines[0]
    assert lines[1].startswith("::warning ") and "::单元格为空（三.五.1, 总计）: 按 0 计算" in lines[1]
    assert lines[2].startswith(f"::notice file={BROKEN},title=M201 year-in-title::") and "100%25" in lines[2]
    assert lines[4].startswith(f"::warning file={SKIPPED},title=gov-lint%3A 已跳过::")
    assert lines[5].startswith(f"::error file={UNREADABLE},title=gov-lint%3A 无法读取::")
    assert all("\n" not in l and "\r" not in l for l in lines)


def test_github_step_summary(tmp_path, monkeypatch):
    target = tmp_path / "step_summary.md"
    target.write_text("# earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(target))
    render(GitHubRenderer)
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# earlier step\n")  # appended, not overwritten
    check_snapshot("github-step-summary.md", text[len("# earlier step\n"):])
    assert "| 4 | 2 | 2 | 2 | 1 | 1 |" in text
    assert "| `A101` | carry-over-balance | 1 |" in text
    assert f"- `{UNREADABLE}`: 无法读取" in text


def test_github_step_summary_lists_at_most_50_unreadable_files(tmp_path, monkeypatch):
    target = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(target))
    many = [FileResult(path=f"archive/{i:03}.pdf", status="error", reason="损坏") for i in range(60)]
    render(GitHubRenderer, many, options("en"))
    text = target.read_text(encoding="utf-8")
    assert "- `archive/049.pdf`: unreadable (损坏)" in text and "archive/050.pdf" not in text
    assert "- … and 10 more" in text


def test_github_without_step_summary_writes_no_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    render(GitHubRenderer)
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- gitlab


def test_gitlab_shape():
    issues = json.loads(render(GitLabRenderer))
    assert isinstance(issues, list) and len(issues) == 6
    for issue in issues:
        assert set(issue) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert issue["severity"] in {"blocker", "critical", "major", "minor", "info"}
        assert isinstance(issue["location"]["path"], str) and issue["location"]["lines"]["begin"] >= 1
        assert len(issue["fingerprint"]) == 32
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    assert [i["severity"] for i in issues] == ["major", "minor", "info", "major", "info", "critical"]
    assert issues[0]["location"] == {"path": BROKEN, "lines": {"begin": 41}}
    assert issues[5]["check_name"] == "gov-lint/error"


def test_gitlab_empty_run_is_an_empty_array():
    assert json.loads(render(GitLabRenderer, make_results()[:1])) == []


def test_gitlab_repeated_fingerprints_are_made_unique():
    res = make_results()[1]
    twice = FileResult(path=res.path, findings=[res.findings[0], res.findings[0]])
    issues = json.loads(render(GitLabRenderer, [twice]))
    assert issues[0]["fingerprint"] != issues[1]["fingerprint"]


# --------------------------------------------------------------------------- junit


def test_junit_is_well_formed_and_counts_match():
    """One test case per file; the suite counts test cases (failures ≤ tests), as JUnit consumers read them."""
    root = ET.fromstring(render(JUnitRenderer).encode("utf-8"))
    suite = root.find("testsuite")
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == [CLEAN, BROKEN, SKIPPED, UNREADABLE]
    for el in (root, suite):
        assert int(el.get("tests")) == len(cases) == 4
        assert int(el.get("failures")) == len(suite.findall("testcase/failure")) == 1
        assert int(el.get("errors")) == len(suite.findall("testcase/error")) == 1
        assert int(el.get("skipped")) == len(suite.findall("testcase/skipped")) == 1
    # each test case has at most one outcome element
    assert [len([e for e in c if e.tag != "system-out"]) for c in cases] == [0, 1, 1, 1]
    (failure,) = cases[1].findall("failure")
    assert failure.get("type") == "A101 A110 Y301"
    assert failure.get("message") == "2 个错误，1 个警告：A101 A110 Y301"
    parts = failure.text.split("\n\n")  # every finding, in order, with its place and notes
    assert [p.split("[", 1)[1][:4] for p in parts] == ["A101", "A110", "Y301"]
    assert parts[0].startswith(BROKEN + ":41:13: 错误[A101]") and "= 计算值" in parts[0]
    assert "M201" in cases[1].find("system-out").text
    assert len(cases[0]) == 0


def test_junit_counts_a_file_once_whatever_its_findings():
    """An unreadable or skipped file with its P finding is one error or one skip, never also a failure."""
    p001 = Finding(code="P001", name="unreadable", severity="error", message="无法读取", location=None)
    p003 = Finding(code="P003", name="not-a-report", severity="warning", message="不是年度报告", location=None)
    many = [Finding(code=f"A10{i}", name="x", severity="error", message=f"第 {i} 条") for i in range(1, 6)]
    results = [FileResult(path="bad.pdf", status="error", reason="无法读取", findings=[p001]),
               FileResult(path="note.md", status="skipped", reason="不是年度报告", findings=[p003]),
               FileResult(path="five.txt", findings=many)]
    root = ET.fromstring(render(JUnitRenderer, results).encode("utf-8"))
    assert [root.get(k) for k in ("tests", "failures", "errors", "skipped")] == ["3", "1", "1", "1"]
    cases = root.findall("testsuite/testcase")
    assert [[e.tag for e in c] for c in cases] == [["error"], ["skipped"], ["failure"]]
    assert "P001" in cases[0].find("error").text and "P003" in cases[1].find("skipped").text
    assert cases[2].find("failure").get("message") == "5 个错误，0 个警告：A101 A102 A103 A104 A105"
    en = ET.fromstring(render(JUnitRenderer, results, options("en")).encode("utf-8"))
    assert en.find("testsuite/testcase[3]/failure").get("message") == "5 errors, 0 warnings: A101 A102 A103 A104 A105"


def test_junit_escapes_markup_and_control_characters():
    f = Finding(code="P001", name="x", severity="error", message='<表> & "引号"\x01', location=Location(1, 1, 1, 2))
    root = ET.fromstring(render(JUnitRenderer, [FileResult(path="a&b.txt", findings=[f])]).encode("utf-8"))
    failure = root.find("testsuite/testcase/failure")
    assert failure.text == 'a&b.txt:1:1: 错误[P001] <表> & "引号"\ufffd'
    assert root.find("testsuite/testcase").get("name") == "a&b.txt"


# --------------------------------------------------------------------------- csv


def test_csv_round_trip_with_bom():
    text = render(CsvRenderer)
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:], newline="")))
    assert list(rows[0]) == HEADER
    assert len(rows) == 6
    first = rows[0]
    assert first["path"] == BROKEN and first["code"] == "A101" and first["column"] == "自然人"
    assert first["stated"] == "120" and first["expected"] == "121" and first["line"] == "41" and first["col"] == "13"
    assert first["message"].split("\n")[0] == make_results()[1].findings[0].text()
    assert rows[1]["stated"] == ""  # blank cell
    assert rows[2]["line"] == ""  # no location
    assert (rows[4]["path"], rows[4]["code"], rows[4]["status"]) == (SKIPPED, "", "skipped")
    assert rows[5]["message"].startswith("无法读取")
    # what Excel or pandas would do: decode the bytes with utf-8-sig
    data = text.encode("utf-8")
    assert data[:3] == b"\xef\xbb\xbf"
    assert next(csv.reader(io.StringIO(data.decode("utf-8-sig")))) == HEADER


def test_csv_bom_can_be_switched_off(monkeypatch):
    monkeypatch.setenv("GOV_LINT_CSV_BOM", "0")
    assert render(CsvRenderer).startswith("path,code,")


def test_summary_csv_rows_are_sorted_by_agency_and_year():
    extra = FileResult(path="reports/2021/某某镇人民政府2021.txt", template="2021", year=2021, agency="某某镇人民政府")
    text = render(SummaryCsvRenderer, make_results() + [extra])
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline="")))
    assert [(r["agency"], r["year"]) for r in rows] == [
        ("某某县教育局", "2022"), ("某某镇人民政府", "2021"), ("某某镇人民政府", "2023"), ("", ""), ("", ""),
    ]
    assert rows[0]["errors"] == "2" and rows[0]["warnings"] == "1" and rows[0]["findings"] == "4"


# --------------------------------------------------------------------------- several outputs, report


def test_parse_output_specs():
    assert parse_output("sarif:out/gov-lint.sarif") == ("sarif", "out/gov-lint.sarif")
    assert parse_output(r"csv:C:\审计\findings.csv") == ("csv", r"C:\审计\findings.csv")
    with pytest.raises(OutputSpecError, match="sarif"):
        parse_output("sarf:x.sarif")
    with pytest.raises(OutputSpecError):
        parse_output("sarif")


def test_multi_renderer_writes_every_output(tmp_path):
    specs = [f"{fmt}:{tmp_path / 'out' / snap}" for fmt, _, snap in SNAPSHOT_FORMATS]
    terminal = io.StringIO(newline="")
    results = make_results()
    multi = open_outputs(specs, options(), primary=JsonLinesRenderer(terminal, options()))
    assert isinstance(multi, MultiRenderer) and len(multi.renderers) == len(SNAPSHOT_FORMATS) + 1
    for r in results:
        multi.file(r)
    multi.finish(summary_of(results))
    assert all(fh.closed for fh in multi.files)
    assert terminal.getvalue() == render(JsonLinesRenderer)
    for fmt, cls, snap in SNAPSHOT_FORMATS:
        with open(tmp_path / "out" / snap, encoding="utf-8", newline="") as fh:
            assert fh.read() == render(cls), fmt


def test_multi_rejects_the_same_file_twice(tmp_path):
    with pytest.raises(OutputSpecError):
        open_outputs([f"csv:{tmp_path}/a.csv", f"sarif:{tmp_path}/./a.csv"], options())
    assert not (tmp_path / "a.csv").exists()


def _saved_json(results: list[FileResult]) -> str:
    """What `gov-lint check --format json` writes (issue 3's JSON interface)."""
    return json.dumps(
        {
            "schema": "gov-lint/1",
            "tool": {"name": "gov-lint", "version": VERSION},
            "files": [r.to_json() for r in results],
            "summary": summary_of(results).to_json(),
        },
        ensure_ascii=False,
        indent=2,
    )


@pytest.mark.parametrize("fmt,cls,snapshot", SNAPSHOT_FORMATS, ids=[f[0] for f in SNAPSHOT_FORMATS])
def test_report_from_saved_json_renders_the_same(tmp_path, fmt, cls, snapshot):
    saved = tmp_path / "results.json"
    saved.write_text(_saved_json(make_results()), encoding="utf-8")
    out, err = io.StringIO(newline=""), io.StringIO()
    assert run_report(str(saved), fmt, options(), out=out, err=err) == 0, err.getvalue()
    assert out.getvalue() == render(cls)


def test_report_from_json_lines_and_to_extra_outputs(tmp_path):
    saved = tmp_path / "results.jsonl"
    saved.write_text(render(JsonLinesRenderer), encoding="utf-8")
    reloaded = list(load_results(io.StringIO(saved.read_text(encoding="utf-8"))))
    assert [r.path for r in reloaded] == [BROKEN, SKIPPED, UNREADABLE]  # clean files have no lines
    out, err = io.StringIO(newline=""), io.StringIO()
    code = run_report(str(saved), "csv", options(), outputs=[f"gitlab:{tmp_path}/cq.json"], out=out, err=err)
    assert code == 0, err.getvalue()
    assert out.getvalue() == render(CsvRenderer)
    assert json.loads((tmp_path / "cq.json").read_text(encoding="utf-8")) == json.loads(render(GitLabRenderer))


@pytest.mark.parametrize(
    "content,needle",
    [("not json at all", "不是 JSON"), ('{"schema": "other/1", "files": []}', "gov-lint/1"), ('[1, 2]', "gov-lint/1")],
)
def test_report_rejects_other_input(tmp_path, content, needle):
    saved = tmp_path / "x.json"
    saved.write_text(content, encoding="utf-8")
    err = io.StringIO()
    assert run_report(str(saved), "csv", options(), out=io.StringIO(), err=err) == 2
    assert needle in err.getvalue()


def test_report_unknown_format_and_missing_file(tmp_path):
    err = io.StringIO()
    assert run_report(str(tmp_path / "missing.json"), "csv", options(), out=io.StringIO(), err=err) == 2
    assert "无法读取" in err.getvalue()
    err = io.StringIO()
    assert run_report(str(tmp_path / "missing.json"), "jnuit", options(), out=io.StringIO(), err=err) == 2
    assert "junit" in err.getvalue()


# --------------------------------------------------------------------------- cross-year blocks


def _with_cross_year_block() -> list[FileResult]:
    results = make_results()
    block = FileResult(path=CLEAN, template="2021", year=2023, agency="某某镇人民政府",
                       findings=[Finding(code="Y301", name="carry-over-across-years", severity="error",
                                         message="上年结转与 2022 年报告不一致", location=Location(5, 1, 5, 3))])
    block.extra = True  # what gov_lint.runner sets on the cross-year results it yields after all files
    return results + [block]


def test_summary_merges_cross_year_results_into_the_report_row():
    rows = list(csv.DictReader(io.StringIO(render(SummaryCsvRenderer, _with_cross_year_block()).lstrip("\ufeff"))))
    assert len(rows) == 4
    clean = next(r for r in rows if r["path"] == CLEAN)
    assert (clean["errors"], clean["findings"]) == ("1", "1")


def test_junit_names_the_cross_year_test_case():
    root = ET.fromstring(render(JUnitRenderer, _with_cross_year_block()).encode("utf-8"))
    names = [c.get("name") for c in root.iter("testcase")]
    assert names[-1] == CLEAN + "（跨年度检查）" and len(set(names)) == len(names)


def test_report_treats_a_repeated_path_as_the_cross_year_block(tmp_path):
    results = _with_cross_year_block()
    saved = tmp_path / "results.json"
    saved.write_text(_saved_json(results), encoding="utf-8")
    reloaded = list(load_results(io.StringIO(saved.read_text(encoding="utf-8"))))
    from gov_lint.report_cmd import render as feed

    sink = io.StringIO(newline="")
    summary = feed(iter(reloaded), JUnitRenderer(sink, options()))
    assert (summary.files, summary.errors) == (4, 3)
    assert getattr(reloaded[-1], "extra", False) and not getattr(reloaded[0], "extra", False)
    assert sink.getvalue() == render(JUnitRenderer, _with_cross_year_block())


# --------------------------------------------------------------------------- standard output on Windows


@pytest.mark.parametrize("cls", [CsvRenderer, SarifRenderer, GitHubRenderer, JUnitRenderer])
def test_machine_formats_write_utf8_to_a_locale_encoded_stdout(cls):
    """Like stdout redirected to a file on a Chinese Windows: a legacy code page and CRLF translation."""
    raw = io.BytesIO()
    stdout = io.TextIOWrapper(raw, encoding="cp1252", newline="\r\n")
    results = make_results()
    r = cls(stdout, options())
    for res in results:
        r.file(res)
    r.finish(summary_of(results))
    stdout.flush()
    data = raw.getvalue()
    assert b"\r\r\n" not in data
    assert data.decode("utf-8") == render(cls)


def test_summary_shows_brackets_in_paths_literally():
    odd = FileResult(path="reports/[bold]2023[/bold].txt", template="2021", year=2023, agency="[red]某局")
    text = render(SummaryRenderer, [odd], RenderOptions(width=120, rules=make_rules()))
    assert "reports/[bold]2023[/bold].txt" in text and "[red]某局" in text
