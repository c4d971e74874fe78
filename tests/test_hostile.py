"""Hostile inputs (issue 13): the catalogue, same findings across encodings, nothing lost
or modified, atomic outputs, Ctrl-C, read-only folders."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gov_lint.atomic import AtomicFile, WriteError, write_text
from gov_lint.budget import Limits, last_budget
from gov_lint.check import CheckOptions, check_bytes, check_path
from gov_lint.cli import app

from hostile_cases import BASE, CASES, EXAMPLES, run_case

runner = CliRunner()


def zh(text) -> str:
    """A reason or message in Chinese, whether it is a Message or already text."""
    return text.render("zh") if hasattr(text, "render") else str(text or "")


# --------------------------------------------------------------------------- the catalogue


def test_the_catalogue_has_at_least_30_classes():
    assert len({c.name for c in CASES}) == len(CASES) >= 30


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_input_gets_a_clear_result(case, tmp_path):
    if case.needs and importlib.util.find_spec(case.needs) is None:
        pytest.skip(f"needs {case.needs}")
    if case.name in ("symlink-loop", "dangling-link") and not hasattr(os, "symlink"):
        pytest.skip("no symbolic links here")
    if case.name == "fifo" and not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes here")
    out = run_case(case, tmp_path)
    assert out.crash is None, out.crash
    assert not out.timed_out
    assert case.ok(out), (out.codes, [r.reason for r in out.results])
    for r in out.results:  # every result names its file, and a file that was not checked says why
        assert r.path
        assert r.status == "checked" or (r.reason and r.findings)
        for f in r.findings:
            text = zh(f.message)
            assert "Error" not in text and "Traceback" not in text  # no exception class names


def test_step_limit_is_deterministic_and_names_the_limit():
    """The same input stops at the same step count, with a P006 that names the limit."""
    opts = CheckOptions(limits=Limits(max_steps=3000, max_seconds=0))
    a = check_bytes("r.txt", BASE.encode(), opts)
    used_a = last_budget().used
    b = check_bytes("r.txt", BASE.encode(), opts)
    assert [f.code for f in a.findings] == [f.code for f in b.findings] == ["P006"]
    assert "3,000 步" in zh(a.reason) and used_a == last_budget().used > 3000


def test_size_limit_applies_before_reading(tmp_path, monkeypatch):
    """A file over the size limit is refused from its size alone: its content is never read."""
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 5000)
    read = []
    real_read = os.read
    monkeypatch.setattr(os, "read", lambda fd, n: read.append(n) or real_read(fd, n))
    r = check_path(big, CheckOptions(limits=Limits(max_bytes=1000)))
    assert [f.code for f in r.findings] == ["P005"] and "1000 B" in zh(r.reason)
    assert read == []


# --------------------------------------------------------------------------- same report, any encoding


def _key(result) -> list[tuple]:
    return [(f.code, f.location.line if f.location else None, f.location.column if f.location else None,
             zh(f.message)) for f in result.findings]


VARIANTS = {
    "gb18030": lambda t: t.encode("gb18030"),
    "utf-8-sig": lambda t: t.encode("utf-8-sig"),
    "utf-16": lambda t: t.encode("utf-16"),
    "utf-16-le-no-bom": lambda t: t.encode("utf-16-le"),
    "utf-16-be-no-bom": lambda t: t.encode("utf-16-be"),
    "crlf": lambda t: t.replace("\n", "\r\n").encode("utf-8"),
    "cr": lambda t: t.replace("\n", "\r").encode("utf-8"),
    "gb18030-crlf": lambda t: t.replace("\n", "\r\n").encode("gb18030"),
}


@pytest.mark.parametrize("example", ["2021/errors.txt", "2019/errors.txt", "2021/clean-web.txt", "2021/errors.md"])
@pytest.mark.parametrize("variant", list(VARIANTS))
def test_another_encoding_or_line_ending_gives_the_same_findings(example, variant):
    text = (EXAMPLES / example).read_text(encoding="utf-8")
    name = Path(example).name
    want = _key(check_bytes(name, text.encode("utf-8")))
    assert want  # the errors examples have findings, clean-web its P108 note
    assert _key(check_bytes(name, VARIANTS[variant](text))) == want


# --------------------------------------------------------------------------- nothing lost, nothing modified


def _hashes(folder: Path) -> dict[str, tuple[str, int]]:
    return {str(p.relative_to(folder)): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.is_symlink()}


def test_inputs_are_unchanged_after_checking_the_catalogue(tmp_path):
    """Every catalogue input that can be hashed is byte-for-byte and mtime-identical afterwards."""
    for case in CASES:
        if case.name in ("growing", "unreadable", "fifo", "symlink-loop", "pdf-1000-pages", "30mb-text", "digits-5mb"):
            continue  # changes by design, cannot be read, or too slow to do twice
        if case.needs and importlib.util.find_spec(case.needs) is None:
            continue
        folder = tmp_path / case.name
        folder.mkdir()
        target = case.make(folder)
        before = _hashes(folder)
        assert before or case.name in ("directory-named-txt", "dangling-link")
        for f in ([target] if not target.is_dir() else sorted(target.rglob("*"))):
            check_path(f, CheckOptions(limits=Limits(max_seconds=2)))
        assert _hashes(folder) == before, case.name


def test_cli_run_modifies_nothing_and_writes_only_its_outputs(tmp_path):
    src = tmp_path / "reports"
    src.mkdir()
    for p in (EXAMPLES / "2021").iterdir():
        (src / p.name).write_bytes(p.read_bytes())
    before = _hashes(src)
    out = tmp_path / "out"
    res = runner.invoke(app, ["check", str(src), "-q", "--no-cache", "--format", "concise",
                              "--output", f"sarif:{out / 'r.sarif'}", "--output", f"json:{out / 'r.json'}"])
    assert res.exit_code in (0, 1), res.output
    assert _hashes(src) == before
    assert sorted(p.name for p in out.iterdir()) == ["r.json", "r.sarif"]  # no temporary files left
    json.loads((out / "r.sarif").read_text(encoding="utf-8"))


def test_atomic_file_appears_only_when_complete(tmp_path):
    target = tmp_path / "x.sarif"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError):
        with AtomicFile(target) as fh:
            fh.write("half")
            raise RuntimeError("interrupted")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["x.sarif"]
    write_text(target, "new")
    assert target.read_text(encoding="utf-8") == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["x.sarif"]


def test_ctrl_c_exits_130_and_leaves_no_half_written_output(tmp_path, monkeypatch, capsys):
    """Ctrl-C in the middle of a run: exit 130, a Chinese note, and no SARIF file at all."""
    from gov_lint import cli, runner as runner_mod

    src = tmp_path / "reports"
    src.mkdir()
    for name in ("clean.txt", "errors.txt"):
        (src / name).write_bytes((EXAMPLES / "2021" / name).read_bytes())
    real = runner_mod.check_one
    calls = []

    def interrupted(path, spec, cache, use_cached=True):
        calls.append(path)
        if len(calls) == 2:
            raise cli.Interrupted()  # what the SIGINT handler raises
        return real(path, spec, cache, use_cached)

    monkeypatch.setattr(runner_mod, "check_one", interrupted)
    sarif = tmp_path / "out" / "r.sarif"
    with pytest.raises(SystemExit) as e:
        cli.main(["check", str(src), "-q", "--no-cache", "-j", "1", "--output", f"sarif:{sarif}"])
    assert e.value.code == 130
    assert "已中断" in capsys.readouterr().err
    assert not sarif.exists() and list(sarif.parent.iterdir()) == []


def test_sigint_handler_raises_interrupted():
    import signal

    from gov_lint import cli

    old = signal.getsignal(signal.SIGINT)
    try:
        signal.signal(signal.SIGINT, cli._on_sigint)
        with pytest.raises(cli.Interrupted):
            signal.raise_signal(signal.SIGINT)
    finally:
        signal.signal(signal.SIGINT, old)


def _deny_writes(monkeypatch, folder: Path) -> None:
    """Make `folder` behave as read-only for temporary files (tests may run as root)."""
    import tempfile

    real = tempfile.mkstemp

    def mkstemp(*args, dir=None, **kw):  # noqa: A002 - tempfile's own name
        if dir is not None and Path(dir).resolve() == folder.resolve():
            raise PermissionError(13, "Permission denied", str(dir))
        return real(*args, dir=dir, **kw)

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)


def test_baseline_in_a_read_only_folder_is_a_chinese_message(tmp_path, monkeypatch):
    ro = tmp_path / "ro"
    ro.mkdir()
    (ro / "r.txt").write_bytes((EXAMPLES / "2021" / "errors.txt").read_bytes())
    _deny_writes(monkeypatch, ro)
    monkeypatch.chdir(ro)
    res = runner.invoke(app, ["baseline", ".", "-o", "baseline.json", "-q", "--no-cache"])
    assert res.exit_code == 2, res.output
    assert "无法写入" in res.output and "只读" in res.output and "Traceback" not in res.output
    assert not (ro / "baseline.json").exists()


def test_output_in_a_read_only_folder_is_a_chinese_message(tmp_path, monkeypatch):
    ro = tmp_path / "ro"
    ro.mkdir()
    _deny_writes(monkeypatch, ro)
    res = runner.invoke(app, ["check", str(EXAMPLES / "2021" / "clean.txt"), "-q", "--no-cache",
                              "--output", f"sarif:{ro / 'r.sarif'}"])
    assert res.exit_code == 2 and "无法写入" in res.output and "权限" in res.output


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can write anywhere")
def test_real_read_only_folder(tmp_path, monkeypatch):
    ro = tmp_path / "ro"
    ro.mkdir()
    (ro / "r.txt").write_bytes((EXAMPLES / "2021" / "errors.txt").read_bytes())
    ro.chmod(0o555)
    try:
        monkeypatch.chdir(ro)
        res = runner.invoke(app, ["baseline", ".", "-o", "baseline.json", "-q", "--no-cache"])
        assert res.exit_code == 2 and "无法写入" in res.output
    finally:
        ro.chmod(0o755)


def test_write_error_message_has_no_exception_names(tmp_path):
    err = WriteError.__mro__  # a UserError: zh and en texts
    assert err
    from gov_lint.atomic import write_error

    e = write_error(tmp_path / "x.json", PermissionError(13, "Permission denied"))
    assert "PermissionError" not in e.zh and "没有写入" in e.zh
