"""The CI integration files (issue 5 part 8) are valid and agree with the CLI's formats."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from gov_lint.output.multi import available_formats, machine_formats, parse_output

yaml = pytest.importorskip("yaml")

ROOT = Path(__file__).resolve().parent.parent
TERMINAL_FORMATS = {"full", "concise", "json"}


def load(rel: str):
    return yaml.safe_load((ROOT / rel).read_text(encoding="utf-8"))


def gov_lint_commands(text: str) -> list[list[str]]:
    """Every `gov-lint check …` command in a workflow's run/script strings, split into arguments."""
    found = []
    for m in re.finditer(r"gov-lint check[^\n]*(?:\n\s+--[^\n]*)*", text):
        found.append(shlex.split(m.group(0).replace("\n", " ")))
    return found


def options_of(args: list[str]) -> tuple[str | None, list[str]]:
    fmt, outputs = None, []
    for i, a in enumerate(args):
        if a == "--format":
            fmt = args[i + 1]
        elif a == "--output":
            outputs.append(args[i + 1])
    return fmt, outputs


def check_command(args: list[str]) -> dict[str, str]:
    assert args[:2] == ["gov-lint", "check"] and "reports/" in args
    fmt, outputs = options_of(args)
    assert fmt in TERMINAL_FORMATS | set(available_formats()), fmt
    parsed = dict(parse_output(o) for o in outputs)  # raises on an unknown format
    assert parsed, "the CI example should write at least one file"
    return parsed


def test_pre_commit_hook():
    hooks = load(".pre-commit-hooks.yaml")
    assert isinstance(hooks, list) and len(hooks) == 1
    hook = hooks[0]
    assert hook["id"] == "gov-lint" and hook["entry"] == "gov-lint check" and hook["language"] == "python"
    files = re.compile(hook["files"])
    for name in ["reports/2023/某某镇.txt", "a.MD", "b.markdown", "c.html", "d.htm", "e.docx", "f.PDF"]:
        assert files.search(name), name
    for name in ["a.png", "a.txt.bak", "docx", "report.xlsx"]:
        assert not files.search(name), name
    exclude = re.compile(hook["exclude"])
    for name in ["README.md", "docs/readme.txt", "CHANGELOG.md", "LICENSE.txt"]:
        assert exclude.search(name), name
    for name in ["reports/2023/某某镇.md", "reports/2023/x.txt", "reports/readme-2023/a.txt"]:
        assert not exclude.search(name), name


def test_github_actions_workflow():
    text = (ROOT / "examples/ci/github-actions.yml").read_text(encoding="utf-8")
    wf = load("examples/ci/github-actions.yml")
    assert wf["permissions"]["security-events"] == "write"
    steps = wf["jobs"]["gov-lint"]["steps"]
    runs = "\n".join(s["run"] for s in steps if "run" in s)
    (cmd,) = gov_lint_commands(runs)
    fmt, _ = options_of(cmd)
    assert fmt == "github"
    outputs = check_command(cmd)
    upload = next(s for s in steps if str(s.get("uses", "")).startswith("github/codeql-action/upload-sarif"))
    assert upload["with"]["sarif_file"] == outputs["sarif"]
    assert "always()" in upload["if"]
    assert "pip install" in text


def test_gitlab_ci_job():
    ci = load("examples/ci/gitlab-ci.yml")
    job = ci["gov-lint"]
    (cmd,) = gov_lint_commands("\n".join(job["script"]))
    outputs = check_command(cmd)
    reports = job["artifacts"]["reports"]
    assert reports["codequality"] == outputs["gitlab"]
    assert reports["junit"] == outputs["junit"]
    assert outputs["sarif"] in job["artifacts"]["paths"]
    assert job["artifacts"]["when"] == "always"


def test_docs_name_every_machine_format():
    doc = (ROOT / "docs/ci.md").read_text(encoding="utf-8")
    for name in machine_formats():
        assert f"`{name}`" in doc, name
    for rel in [".pre-commit-hooks.yaml", "examples/ci/github-actions.yml", "examples/ci/gitlab-ci.yml"]:
        assert rel in doc
