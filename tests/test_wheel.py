"""Build the wheel, install it into a fresh venv and run gov-lint from there.

Checks that the rule packs (rules/templates, rules/relations) ship inside the
wheel as gov_lint/_packs and that the installed command works without the source
tree.  Dependencies come from the package index: when it cannot be reached the
test is skipped with the reason.  Deselect offline with `-m "not network"` or
GOV_LINT_OFFLINE=1.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = [
    pytest.mark.network,
    pytest.mark.skipif(os.environ.get("GOV_LINT_OFFLINE") == "1", reason="GOV_LINT_OFFLINE=1"),
]

NETWORK_WORDS = (
    "No matching distribution", "Could not find a version", "NewConnectionError", "Temporary failure in name resolution",
    "Network is unreachable", "Connection refused", "ConnectTimeout", "ReadTimeout", "ProxyError", "Max retries exceeded",
)


def _run(cmd: list[str], cwd: Path, timeout: int = 300, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, encoding="utf-8", timeout=timeout, env=env)


def _build_wheel(out: Path) -> Path:
    try:
        import build  # noqa: F401

        cmd = [sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(ROOT)]
    except ImportError:
        cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--wheel-dir", str(out), str(ROOT)]
    proc = _run(cmd, cwd=out)
    if proc.returncode != 0:
        text = proc.stdout + proc.stderr
        if any(w in text for w in NETWORK_WORDS):
            pytest.skip(f"cannot fetch the build backend from the package index: {text.strip().splitlines()[-1]}")
        pytest.fail(f"wheel build failed:\n{text}")
    wheels = list(out.glob("gov_lint-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, Path]:
    """(wheel, bin folder of a fresh venv with the wheel installed)."""
    base = tmp_path_factory.mktemp("wheel")
    wheel = _build_wheel(base)
    venv = base / "venv"
    proc = _run([sys.executable, "-m", "venv", str(venv)], cwd=base)  # no --system-site-packages
    assert proc.returncode == 0, proc.stderr
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    proc = _run([str(bindir / "python"), "-m", "pip", "install", "--disable-pip-version-check", str(wheel)], cwd=base,
                timeout=600)
    if proc.returncode != 0:
        text = proc.stdout + proc.stderr
        if any(w in text for w in NETWORK_WORDS):
            pytest.skip(f"package index unreachable, dependencies not installed: {text.strip().splitlines()[-1]}")
        pytest.fail(f"pip install of the wheel failed:\n{text}")
    return wheel, bindir


def test_wheel_contains_rule_packs(installed):
    wheel, _ = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    for sub in ("templates", "relations"):
        for src in sorted((ROOT / "rules" / sub).glob("*.toml")):
            assert f"gov_lint/_packs/{sub}/{src.name}" in names, f"{src} is not in the wheel"
    assert "gov_lint/parse/report.lark" in names
    assert "gov_lint/rules/expr.lark" in names
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "gov-lint = gov_lint.launch:run" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_installed_command_checks_an_example(installed, tmp_path):
    _, bindir = installed
    work = tmp_path / "elsewhere"  # away from the source tree
    work.mkdir()
    shutil.copy(ROOT / "examples" / "2021" / "errors.txt", work / "report.txt")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["NO_COLOR"] = "1"
    exe = str(bindir / "gov-lint")
    proc = _run([exe, "check", "report.txt", "--format", "json", "--no-cache", "--isolated", "--jobs", "1"], cwd=work, env=env)
    assert proc.returncode == 1, proc.stderr
    data = json.loads(proc.stdout)
    codes = {f["code"] for f in data["files"][0]["findings"]}
    assert {"A100", "A104", "A109", "A111", "A121"} <= codes
    assert data["files"][0]["template"] == "2021"

    proc = _run([str(bindir / "python"), "-c", "import gov_lint, gov_lint.templates as t; print(gov_lint.__file__); print(t.packs_dir())"],
                cwd=work, env=env)
    module_file, packs = proc.stdout.strip().splitlines()
    assert str(ROOT) not in module_file, "the venv imported gov_lint from the source tree"
    assert Path(packs).name == "_packs", packs

    proc = _run([exe, "rules"], cwd=work, env=env)
    assert proc.returncode == 0, proc.stderr
    for code in ("A101", "A103", "P001", "T101"):
        assert code in proc.stdout
    proc = _run([exe, "--version"], cwd=work, env=env)
    assert proc.returncode == 0 and proc.stdout.startswith("gov-lint ")


def test_installed_command_reads_pdf_without_extras(installed, tmp_path):
    """pdfplumber comes with a plain `pip install gov-lint` (issue 12 part 6)."""
    _, bindir = installed
    work = tmp_path / "pdf"
    work.mkdir()
    shutil.copy(ROOT / "examples" / "2021" / "errors.pdf", work / "report.pdf")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    proc = _run([str(bindir / "gov-lint"), "check", "report.pdf", "--format", "json", "--no-cache", "--isolated",
                 "--jobs", "1"], cwd=work, env=env)
    assert proc.returncode == 1, proc.stderr
    result = json.loads(proc.stdout)["files"][0]
    assert (result["status"], result["year"], result["agency"]) == ("checked", 2023, "槐川市砚溪区交通运输局")
    assert "A100" in {f["code"] for f in result["findings"]}  # （七）总计·自然人 148 → 147, localised
