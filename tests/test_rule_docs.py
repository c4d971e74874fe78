"""Every rule has a code, a kebab-case name and Chinese docs; docs/rules.md is current.

docs/rules.md is generated.  When this test says it is out of date, regenerate it:

    .venv/bin/gov-lint rules --format markdown > docs/rules.md

(or `python docs/generate.py`, which also refreshes README's generated blocks).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gov_lint.cli import app
from gov_lint.rules.registry import all_rules

ROOT = Path(__file__).resolve().parents[1]
RULES = list(all_rules(plugins=False))
CJK = re.compile(r"[\u4e00-\u9fff]")
runner = CliRunner()


def test_there_are_rules_of_every_foundation_group():
    groups = {r.code[0] for r in RULES}
    assert {"P", "T", "A"} <= groups
    for code in ("P001", "P003", "P004", "P101", "P102", "P103", "P900", "P901", "T101", "T103",
                 "A101", "A102", "A103", "A104", "A110", "A111", "A120", "A121"):
        assert code in {r.code for r in RULES}, code


def test_codes_and_names_are_unique():
    codes = [r.code for r in RULES]
    names = [r.name for r in RULES]
    assert len(codes) == len(set(codes))
    dup = sorted({n for n in names if names.count(n) > 1})
    assert not dup, f"rule names used twice: {dup}"
    assert not set(codes) & set(names)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_identity_and_docs(rule):
    assert re.fullmatch(r"[PTANMYX]\d{3}", rule.code), rule.code
    assert re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)*", rule.name), rule.name
    assert rule.severity in ("error", "warning", "info")
    assert rule.summary.strip() and CJK.search(rule.summary), f"{rule.code}: summary must be Chinese"
    d = rule.doc
    for field in ("what", "why", "example", "fix"):
        text = getattr(d, field)
        assert text and text.strip(), f"{rule.code}: doc.{field} is empty"
        assert CJK.search(text), f"{rule.code}: doc.{field} has no Chinese text: {text!r}"
    assert rule.check is not None or rule.emitted_by, f"{rule.code}: neither a check function nor emitted_by"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_explain_by_code_and_name(rule):
    by_code = runner.invoke(app, ["explain", rule.code])
    assert by_code.exit_code == 0, by_code.output
    assert by_code.output.startswith(f"{rule.code} {rule.name}")
    for text in (rule.doc.what, rule.doc.fix):
        assert text in by_code.output
    by_name = runner.invoke(app, ["explain", rule.name])
    assert by_name.exit_code == 0 and by_name.output == by_code.output
    lower = runner.invoke(app, ["explain", rule.code.lower()])
    assert lower.exit_code == 0 and lower.output == by_code.output
    en = runner.invoke(app, ["explain", rule.code, "--lang", "en"])
    assert en.exit_code == 0 and en.output.startswith(f"{rule.code} {rule.name} ({rule.severity})")


def test_explain_unknown_rule_suggests():
    out = runner.invoke(app, ["explain", "A1O3"])
    assert out.exit_code == 2
    assert "A103" in out.output


def test_rules_list_has_every_rule():
    out = runner.invoke(app, ["rules"])
    assert out.exit_code == 0
    lines = out.output.splitlines()
    assert [ln.split()[0] for ln in lines] == [r.code for r in RULES]
    for r, line in zip(RULES, lines):
        assert r.name in line and r.summary in line


def test_docs_rules_md_is_current():
    out = runner.invoke(app, ["rules", "--format", "markdown"])
    assert out.exit_code == 0
    path = ROOT / "docs" / "rules.md"
    assert path.exists(), "docs/rules.md is missing: .venv/bin/gov-lint rules --format markdown > docs/rules.md"
    assert out.output == path.read_text(encoding="utf-8"), (
        "docs/rules.md is out of date; regenerate it with\n"
        "    .venv/bin/gov-lint rules --format markdown > docs/rules.md"
    )
    for r in RULES:
        assert f"## {r.code}" in out.output


def test_readme_and_rules_doc_show_what_the_tool_prints():
    """README's generated blocks (the examples' output) and docs/rules.md match a fresh run."""
    import subprocess
    import sys

    out = subprocess.run([sys.executable, str(ROOT / "docs" / "generate.py"), "--check"],
                         capture_output=True, text=True, encoding="utf-8")
    assert out.returncode == 0, out.stdout + out.stderr
