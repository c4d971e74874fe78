"""The console script starts the pool's fork server early only for runs that will use a pool, and
such a run gives the same output as a serial one."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from gov_lint import pool_server, runner
from gov_lint.cli import app
from gov_lint.synth import generate, write_tab_text

MANY = pool_server.MANY_FILES


@pytest.fixture()
def two_cores(monkeypatch):
    monkeypatch.setattr(pool_server, "_cores", lambda: 2)


def test_value_options_are_the_check_commands_own():
    command = typer.main.get_command(app).commands["check"]
    takes_value = {name for p in command.params if getattr(p, "is_flag", True) is False and p.param_type_name == "option"
                   for name in p.opts}
    assert takes_value == pool_server.VALUE_OPTIONS


@pytest.mark.parametrize(("args", "expected"), [
    (["check", "{dir}"], True),
    (["check", "--format", "json", "--no-cache", "{dir}"], True),
    (["check", "{file}"], False),  # one file: checked in this process
    (["check"] + ["{file}"] * MANY, False),
    (["check"] + ["{file}"] * (MANY + 1), True),  # as many as make the runner use every core
    (["check", "--jobs", "1", "{dir}"], False),
    (["check", "-j", "1", "{dir}"], False),
    (["check", "--jobs=1", "{dir}"], False),
    (["check", "-j1", "{dir}"], False),
    (["check", "--jobs", "0", "{dir}"], True),  # 0: as many as the files call for
    (["check", "--jobs", "2", "{file}"], False),  # one file never needs a pool
    (["check", "--jobs", "2", "{file}", "{file}"], True),
    (["check", "-j2", "{file}", "{file}"], True),
    (["check", "--cache-dir", "{dir}", "{file}"], False),  # an option's value is not a path to check
    (["check", "--executor", "dask", "{dir}"], False),
    (["check", "--executor=local", "{dir}"], True),
    (["check", "--scheduler", "tcp://h:8786", "{dir}"], False),
    (["check", "--help", "{dir}"], False),
    (["check", "--", "{dir}"], True),
    (["rules"], False),
    (["explain", "{dir}"], False),
    ([], False),
])
def test_wanted_for_runs_that_use_a_pool(tmp_path, two_cores, args, expected):
    folder = tmp_path / "reports"
    for i in range(MANY + 1):
        (folder / str(i % 2)).mkdir(parents=True, exist_ok=True)
        (folder / str(i % 2) / f"r{i}.txt").write_text("x", encoding="utf-8")
    report = tmp_path / "r.txt"
    report.write_text("x", encoding="utf-8")
    filled = [a.format(dir=folder, file=report) for a in args]
    assert pool_server.wanted(filled) is expected


def test_a_big_tree_is_not_walked_to_the_end(tmp_path, two_cores, monkeypatch):
    monkeypatch.setattr(pool_server, "SCAN_LIMIT", 5)
    for i in range(6):
        (tmp_path / f"notes{i}.zip").write_text("x", encoding="utf-8")
    assert pool_server.wanted(["check", str(tmp_path)])  # more entries than it looks at: taken for many


@pytest.mark.parametrize(("names", "jobs", "expected"), [
    ([f"r{i}.txt" for i in range(MANY)], None, False),  # a few reports: checked in the command's own process
    ([f"r{i}.txt" for i in range(MANY + 1)], None, True),
    ([f"sub/r{i}.md" for i in range(MANY + 1)], None, True),  # in sub-folders too
    ([f".hidden/r{i}.txt" for i in range(MANY + 1)], None, False),  # hidden folders are not walked
    ([f"r{i}.zip" for i in range(MANY + 1)] + ["r.txt"], None, False),  # other kinds are not checked
    (["r.txt"], "2", False),  # one report needs no pool
    (["r.txt", "s.PDF"], "2", True),
])
def test_wanted_counts_the_reports_in_folders(tmp_path, two_cores, names, jobs, expected):
    for name in names:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    args = ["check", str(tmp_path)] + (["--jobs", jobs] if jobs else [])
    assert pool_server.wanted(args) is expected


def test_many_files_is_the_runners_threshold():
    assert pool_server.MANY_FILES == runner.AUTO_JOBS_THRESHOLD


def test_never_on_one_core(tmp_path, monkeypatch):
    monkeypatch.setattr(pool_server, "_cores", lambda: 1)
    assert not pool_server.wanted(["check", str(tmp_path)])


_LAUNCH = """
import sys
sys.argv = ["gov-lint", *sys.argv[2:]]
from gov_lint import launch, pool_server
if {route!r} == "exec":
    pool_server._can_fork = lambda server: False  # multiprocessing's own server, a new interpreter
start = pool_server.start
def noted(args):
    started = start(args)
    sys.stderr.write(f"server started: {{started}}\\n")
    return started
pool_server.start = noted
launch.run()
"""


def _command(route: str, *args: str) -> subprocess.CompletedProcess:
    """`gov-lint ARGS` through `launch.run`, as the console script runs it; stderr says whether the
    fork server was started."""
    return subprocess.run([sys.executable, "-c", _LAUNCH.format(route=route), "--", *args], capture_output=True,
                          check=False, env={**os.environ, "NO_COLOR": "1"})


@pytest.mark.skipif(sys.platform == "darwin" or not hasattr(os, "sched_getaffinity") or len(os.sched_getaffinity(0)) < 2,
                    reason="the fork server is started on Linux with two cores or more")
@pytest.mark.parametrize("route", ["fork", "exec"])
def test_run_through_the_early_server_gives_the_serial_output(tmp_path, route):
    for i in range(MANY + 2):
        r = generate("2021" if i % 2 else "2019", random.Random(300 + i))
        if i % 3 == 0:
            r.set("三", "三.七", "自然人", r.get("三", "三.七", "自然人") + 1)
        (tmp_path / f"r{i:02d}.txt").write_text(write_tab_text(r), encoding="utf-8")
    pooled = _command(route, "check", str(tmp_path), "--format", "json", "--no-cache", "--jobs", "2")
    serial = _command(route, "check", str(tmp_path), "--format", "json", "--no-cache", "--jobs", "1")
    assert pooled.stderr == b"server started: True\n", pooled.stderr
    assert serial.stderr == b"server started: False\n"
    assert pooled.returncode == serial.returncode == 1
    assert pooled.stdout == serial.stdout


def test_a_server_the_run_does_not_use_is_ended(tmp_path):
    """A configuration file's `jobs = 1` is not read when the server starts: the server started for
    the run is not used, and ends."""
    for i in range(MANY + 1):
        (tmp_path / f"r{i}.txt").write_text(write_tab_text(generate("2021", random.Random(i))), encoding="utf-8")
    (tmp_path / "gov-lint.toml").write_text("jobs = 1\n", encoding="utf-8")
    done = _command("fork", "check", str(tmp_path), "--format", "json", "--no-cache")
    assert done.stderr == b"server started: True\n"
    assert done.returncode == 0 and b'"status": "checked"' in done.stdout


def test_stop_without_a_server_does_nothing():
    assert not pool_server.running()
    pool_server.stop()
    assert not pool_server.running()


@pytest.mark.skipif(sys.platform == "darwin" or not hasattr(os, "sched_getaffinity") or len(os.sched_getaffinity(0)) < 2,
                    reason="the fork server is started on Linux with two cores or more")
def test_workers_from_the_server_collect_garbage(tmp_path):
    """The console script imports with the collector off; the server's workers have it on, as the
    runner sets it for checking (`runner.quiet_collector`)."""
    for i in range(MANY + 1):
        (tmp_path / f"r{i}.txt").write_text("x", encoding="utf-8")
    code = (
        "import gc, sys\n"
        "from gov_lint import pool_server, runner\n"
        "from gov_lint.options import CheckOptions\n"
        "gc.disable()\n"
        "started = pool_server.start(['check', sys.argv[1]])\n"
        "gc.enable()\n"
        "pool = runner._pool(runner.WorkerSpec(check=CheckOptions()), 2)\n"
        "print(started, pool.submit(gc.isenabled).result(), pool.submit(gc.get_threshold).result()[0])\n"
        "pool.shutdown()\n"
        "pool_server.stop()\n"
    )
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "True", str(runner.WORKER_GC_THRESHOLD)]
