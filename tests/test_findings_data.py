"""Findings are data (issue 10.3/10.4): messages rendered late, one serialiser, fingerprints
independent of wording, outputs that read no input, honest internal errors."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from gov_lint.check import CheckOptions, check_bytes, check_path
from gov_lint.messages import Message
from gov_lint.model import FileResult, Finding
from gov_lint.output.base import RenderOptions
from gov_lint.report_cmd import run_report

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(p for p in (ROOT / "examples").rglob("*") if p.suffix in (".txt", ".md", ".html", ".docx", ".pdf"))
ERRORS = ROOT / "examples" / "2021" / "errors.txt"
ZH = CheckOptions(lang="zh", plugins=False)
EN = CheckOptions(lang="en", plugins=False)


def _cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gov_lint.cli", *args], capture_output=True, text=True,
                          encoding="utf-8", cwd=cwd, env={"NO_COLOR": "1", "PYTHONIOENCODING": "utf-8",
                                                          "PATH": "", "COLUMNS": "200"})


# --------------------------------------------------------------------------- fingerprints


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_zh_and_en_runs_give_identical_fingerprints(path):
    zh, en = check_path(path, ZH), check_path(path, EN)
    assert [(f.code, f.fingerprint) for f in zh.findings] == [(f.code, f.fingerprint) for f in en.findings]
    # and the texts really differ where a finding is data, so the test can fail
    data = [f for f in zh.findings if isinstance(f.message, Message)]
    assert not data or any(f.text("zh") != f.text("en") for f in data)


def test_fingerprint_of_a_cell_less_finding_ignores_wording(monkeypatch):
    """Rewording the catalogue keeps baselines: the fingerprint is the message id and its arguments."""
    from gov_lint import messages

    text = "某县人民政府2023年政府信息公开工作年度报告\n一、总体情况\n无。\n二、主动公开政府信息情况\n无。\n"
    before = [(f.code, f.fingerprint) for f in check_bytes("a.txt", text.encode(), ZH).findings]
    assert ("T201", before[-1][1]) in before and len({fp for _, fp in before}) == len(before)
    original = messages.template
    monkeypatch.setattr(messages, "_RENDERED", {})  # texts rendered before (by earlier tests too) are not reused
    monkeypatch.setattr(messages, "template", lambda i, lang: "改写后的文字" if i == "T201" else original(i, lang))
    after = check_bytes("a.txt", text.encode(), ZH).findings
    assert [f.text() for f in after if f.code == "T201"] == ["改写后的文字"] * 4
    assert [(f.code, f.fingerprint) for f in after] == before


# --------------------------------------------------------------------------- one serialiser


def test_file_result_round_trips_through_its_json_form():
    result = check_path(ERRORS, ZH)
    again = FileResult.from_json(json.loads(json.dumps(result.to_json(), ensure_ascii=False)))
    assert again.to_json("en") == result.to_json("en")
    assert [type(f.message) for f in again.findings] == [type(f.message) for f in result.findings]


def test_file_result_round_trips_through_its_internal_form():
    """The cache's and the workers' form (`to_internal`, through marshal) gives back the same result:
    texts of known messages travel as data only, related places as lists, the source lines as they are."""
    import marshal

    result = check_path(ERRORS, ZH)
    assert result.findings and result.source and any(f.related for f in result.findings)
    again = FileResult.from_internal(marshal.loads(marshal.dumps(result.to_internal())), result.path)
    assert again.to_json("en") == result.to_json("en") and again.to_json("zh") == result.to_json("zh")
    assert [f.to_json("zh", internal=True) for f in again.findings] == [f.to_json("zh", internal=True) for f in result.findings]
    assert (again.source, again.numbered, again.layout) == (result.source, result.numbered, result.layout)
    assert [type(f.message) for f in again.findings] == [type(f.message) for f in result.findings]


def test_json_carries_message_ids_and_text():
    d = check_path(ERRORS, ZH).findings[0].to_json("zh")
    assert d["message"] and d["message_data"]["id"] and isinstance(d["message_data"]["args"], dict)
    assert Finding.from_json(d).text("zh") == d["message"]


def test_report_from_saved_zh_json_renders_in_english(tmp_path):
    saved = tmp_path / "zh.json"
    proc = _cli("check", str(ERRORS), "--format", "json", "--no-cache", "--lang", "zh")
    assert proc.returncode == 1, proc.stderr
    saved.write_text(proc.stdout, encoding="utf-8")
    zh_messages = [f["message"] for f in json.loads(proc.stdout)["files"][0]["findings"]]
    want_en = [f.text("en") for f in check_path(ERRORS, EN).findings]
    import io

    out = io.StringIO()
    assert run_report(str(saved), "json", RenderOptions(lang="en"), out=out, err=io.StringIO()) == 0
    en_messages = [f["message"] for f in json.loads(out.getvalue())["files"][0]["findings"]]
    assert en_messages == want_en
    assert all(en != zh for en, zh in zip(en_messages, zh_messages))


# --------------------------------------------------------------------------- outputs read no input


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = "." * node.level + (node.module or "")
            out.add(base)
            out.update(f"{base}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return out


def test_output_package_imports_nothing_from_readers():
    files = sorted((ROOT / "gov_lint" / "output").rglob("*.py"))
    assert files
    for path in files:
        for name in _imports(path):
            assert "readers" not in name.split("."), f"{path.name} imports {name}"
            assert not name.endswith("read_path"), f"{path.name} imports {name}"


def test_full_output_from_the_cache_reads_nothing(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    first = _cli("check", str(ERRORS), "--cache-dir", str(cache))
    again = _cli("check", str(ERRORS), "--cache-dir", str(cache), "--jobs", "2")
    assert first.stdout == again.stdout and " | " in first.stdout  # snippets drawn both times
    html1 = _cli("check", str(ERRORS), "--cache-dir", str(cache), "-f", "html")
    html2 = _cli("check", str(ERRORS), "--no-cache", "-f", "html", "--jobs", "2")
    assert html1.stdout == html2.stdout and 'class="t t3"' in html1.stdout


# --------------------------------------------------------------------------- honest error kinds


def test_a_bug_in_reader_code_is_an_internal_error_not_damaged_input(monkeypatch):
    import gov_lint.readers.text as text_reader

    def broken(*args, **kwargs):
        raise IndexError("list index out of range")

    monkeypatch.setattr(text_reader, "read_text", broken)
    result = check_bytes("报告.txt", ERRORS.read_bytes(), ZH)
    assert result.status == "error"
    assert [f.code for f in result.findings] == ["P902"]
    zh = result.findings[0].text("zh")
    assert "gov-lint 自身的缺陷" in zh and "不是文件的问题" in zh and "损坏" not in zh
    assert "bug in gov-lint" in result.findings[0].text("en")
    assert result.findings[0].note_texts("zh")[0].startswith("出错位置：test_findings_data.py:")


def test_verbose_adds_the_traceback(monkeypatch):
    import gov_lint.check as check_mod

    def broken(doc):
        raise KeyError("boom")

    monkeypatch.setattr(check_mod, "parse", broken)
    quiet = check_bytes("a.txt", ERRORS.read_bytes(), ZH)
    loud = check_bytes("a.txt", ERRORS.read_bytes(), CheckOptions(plugins=False, verbose=True))
    assert [f.code for f in quiet.findings] == ["P902"] == [f.code for f in loud.findings]
    assert len(quiet.findings[0].notes) == 1
    assert "Traceback (most recent call last)" in loud.findings[0].note_texts()[-1]
    assert quiet.findings[0].fingerprint == loud.findings[0].fingerprint


def test_a_crash_in_prepare_is_p900_and_the_rule_does_not_run(monkeypatch):
    from gov_lint.rules.registry import all_rules

    rules = all_rules(False)
    rule = next(r for r in rules.in_run_order() if r.prepare is not None)
    calls = []

    def bad_prepare(report, ctx):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(rule, "prepare", bad_prepare)
    monkeypatch.setattr(rule, "check", lambda report, ctx: calls.append(1) or [])
    result = check_path(ERRORS, ZH)
    p900 = [f for f in result.findings if f.code == "P900"]
    assert len(p900) == 1 and rule.code in p900[0].text() and "ZeroDivisionError" in p900[0].text()
    assert calls == []


def test_cli_exit_status_3_for_an_internal_error(tmp_path):
    plugin = tmp_path / "sitecustomize.py"
    plugin.write_text(
        "import gov_lint.readers.text as t\n"
        "def _broken(*a, **k):\n    raise IndexError('bug')\n"
        "t.read_text = _broken\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "gov_lint.cli", "check", str(ERRORS), "--no-cache", "--verbose"],
                          capture_output=True, text=True, encoding="utf-8", cwd=ROOT,
                          env={"PYTHONPATH": str(tmp_path), "NO_COLOR": "1", "PYTHONIOENCODING": "utf-8"})
    assert proc.returncode == 3, (proc.stdout, proc.stderr)
    assert "P902" in proc.stdout and "Traceback" in proc.stdout


def test_a_bug_in_our_pdf_code_is_an_internal_error_not_a_damaged_pdf(monkeypatch):
    """The PDF reader wraps pdfplumber, but an exception raised in our own code is P902."""
    from gov_lint.check import check_path
    from gov_lint.readers import pdf

    monkeypatch.setattr(pdf, "tab_line", None)  # our table writer now fails with a TypeError inside gov_lint
    result = check_path(ROOT / "examples" / "2021" / "clean.pdf")
    assert [f.code for f in result.findings] == ["P902"]
    assert "损坏" not in result.findings[0].text("zh")


def test_a_plugin_message_keeps_its_text_in_the_internal_form():
    """Only gov-lint's own messages travel as data alone: a plugin's message (registered at run time,
    perhaps not in the process that reads the result back) keeps its text as well."""
    from gov_lint import messages
    from gov_lint.messages import Message

    messages.register("plugin-test.note", "插件的说明 {n}", "a plugin's note {n}")
    try:
        own = Finding.from_json(check_path(ERRORS, ZH).findings[0].to_json(internal=True)).message
        plugin = Finding("X001", "x", "warning", Message("plugin-test.note", {"n": 3}))
        data = plugin.to_json("zh", internal=True)
        assert data["message"] == "插件的说明 3" and data["message_data"]["id"] == "plugin-test.note"
        assert isinstance(own, Message)
    finally:
        messages._EXTRA.pop("plugin-test.note", None)
        messages._RENDERED.clear()
    # read back where the plugin is not loaded: its text, not an empty message
    assert Finding.from_json(data).text("zh") == "插件的说明 3"
