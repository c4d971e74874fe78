"""Snapshot tests of the CLI's full, concise and JSON output.

The CLI runs in a subprocess from the repository root (so paths in the output are
relative and stable), with NO_COLOR, `--no-cache`, `--jobs 1`, `--isolated` (no
config file) and `--select P,T1,A` (the foundation's rules: other rule groups have
their own snapshots, and new rules there must not churn these files).

Snapshots live in tests/snapshots/cli_*.  To rewrite them after an intended change:

    GOV_LINT_UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/test_output_snapshots.py

then review the diff.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rich.cells import cell_len

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
UPDATE = os.environ.get("GOV_LINT_UPDATE_SNAPSHOTS") == "1"

ERRORS_2021 = "examples/2021/errors.txt"
ERRORS_2019 = "examples/2019/errors.txt"
CLEAN_2021 = "examples/2021/clean.txt"
STABLE = ["--no-cache", "--jobs", "1", "--isolated", "--select", "P,T1,A", "--quiet"]


def run_cli(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "CLICOLOR_FORCE")}
    env.update(NO_COLOR="1", COLUMNS="200", PYTHONIOENCODING="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "gov_lint.cli", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, encoding="utf-8", timeout=120,
    )


def check(*args: str) -> subprocess.CompletedProcess:
    return run_cli("check", *args, *STABLE)


def normalise(text: str) -> str:
    """Replace what changes between releases (the tool version)."""
    return re.sub(r'("version":\s*")[^"]+(")', r"\1<version>\2", text)


def assert_snapshot(name: str, text: str) -> None:
    path = SNAPSHOTS / name
    text = normalise(text)
    if UPDATE or not path.exists():
        if not UPDATE:
            pytest.fail(f"snapshot {name} is missing; run with GOV_LINT_UPDATE_SNAPSHOTS=1 to create it")
        path.write_text(text, encoding="utf-8", newline="\n")
        return
    want = path.read_text(encoding="utf-8")
    assert text == want, (
        f"output differs from tests/snapshots/{name}; if the change is intended, "
        "rerun with GOV_LINT_UPDATE_SNAPSHOTS=1 and review the diff"
    )


@pytest.mark.parametrize(
    ("name", "path", "extra", "code"),
    [
        ("cli_full_2021_errors.txt", ERRORS_2021, [], 1),
        ("cli_full_2019_errors.txt", ERRORS_2019, [], 1),
        ("cli_full_2021_clean.txt", CLEAN_2021, [], 0),
        ("cli_full_2021_errors_en.txt", ERRORS_2021, ["--lang", "en"], 1),
    ],
)
def test_full_snapshot(name, path, extra, code):
    proc = check(path, *extra)
    assert proc.returncode == code, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "\x1b[" not in proc.stdout, "colour codes despite NO_COLOR and a pipe"
    assert_snapshot(name, proc.stdout)


def test_concise_snapshot():
    proc = check(ERRORS_2021, ERRORS_2019, CLEAN_2021, "--format", "concise")
    assert proc.returncode == 1, proc.stderr
    for line in proc.stdout.splitlines()[:-1]:
        assert re.match(r"^examples/20(19|21)/errors\.txt:\d+:\d+: [PTA]\d{3} \[(error|warning|info)\] .+ \([a-z0-9-]+\)$", line), line
    assert_snapshot("cli_concise.txt", proc.stdout)


def test_json_snapshot():
    proc = check(ERRORS_2021, ERRORS_2019, CLEAN_2021, "--format", "json")
    assert proc.returncode == 1, proc.stderr
    data = json.loads(proc.stdout)
    assert data["schema"] == "gov-lint/1"
    assert [f["path"] for f in data["files"]] == [ERRORS_2021, ERRORS_2019, CLEAN_2021]
    assert data["files"][2]["findings"] == []
    for f in data["files"]:
        assert f["status"] == "checked" and f["reason"] is None
        for x in f["findings"]:
            assert set(x) >= {"code", "name", "severity", "message", "table", "row", "column", "stated",
                              "expected", "location", "related", "fingerprint"}
            assert set(x["location"]) >= {"line", "column", "end_line", "end_column"}
    s = data["summary"]
    assert (s["files"], s["checked"], s["skipped"]) == (3, 3, 0)
    assert s["errors"] == sum(x["severity"] == "error" for f in data["files"] for x in f["findings"])
    assert_snapshot("cli_json.json", proc.stdout)


# --------------------------------------------------------------------------- caret alignment


def expand(text: str, tab: int = 4) -> str:
    """Tabs expanded to the next multiple of `tab` display cells (CJK = 2 cells)."""
    out, col = [], 0
    for ch in text:
        if ch == "\t":
            out.append(" " * (tab - col % tab))
            col += tab - col % tab
        else:
            out.append(ch)
            col += cell_len(ch)
    return "".join(out)


def _snippet_lines(output: str, header: str) -> list[str]:
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(header))
    block = []
    for line in lines[start + 1 :]:
        if not line.strip():
            break
        block.append(line)
    return block


@pytest.mark.parametrize(
    ("path", "code", "line_no", "col", "cell"),
    [
        (ERRORS_2021, "A100", 78, 8, "148"),  # （七）总计 row: CJK label, tabs, then numbers
        (ERRORS_2019, "A121", 50, 8, "13个"),  # 政府集中采购<TAB>13个: a CJK cell after CJK text
        (ERRORS_2021, "A121", 42, 6, "317件"),
    ],
)
def test_caret_under_cjk_text(path, code, line_no, col, cell):
    proc = check(path)
    source = (ROOT / path).read_text(encoding="utf-8").split("\n")[line_no - 1]
    assert source[col - 1 : col - 1 + len(cell)] == cell
    block = _snippet_lines(proc.stdout, f"{'error' if code != 'A121' else 'warning'}[{code}]")
    assert block[0].strip() == f"--> {path}:{line_no}:{col}"
    gutter = f"{line_no} | "
    shown = next(i for i, line in enumerate(block) if line.startswith(gutter))
    text_line, mark_line = block[shown], block[shown + 1]
    # the source line is shown with tabs expanded in display cells
    assert text_line[len(gutter) :] == expand(source).rstrip() or text_line[len(gutter) :] == expand(source)
    marks = mark_line[len(gutter) :]
    # the caret starts at the display width of the text before the cell …
    assert marks.index("^") == cell_len(expand(source[: col - 1]))
    # … and is as wide as the cell in display cells
    assert marks.count("^") == cell_len(cell)
    # and it really sits under the cell's text on screen
    shown_text = text_line[len(gutter) :]
    prefix_cells = 0
    for i, ch in enumerate(shown_text):
        if prefix_cells == marks.index("^"):
            assert shown_text[i : i + len(cell)] == cell
            break
        prefix_cells += cell_len(ch)
    else:  # pragma: no cover - the loop must find the cell
        pytest.fail("caret column beyond the shown line")
