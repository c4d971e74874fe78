"""Start-up time of the command line (best of 5, wall clock), next to a bare `python -c pass`.

    .venv/bin/python benchmarks/startup.py

Runs the `gov-lint` console script installed beside this Python (else `python -m gov_lint`).
Besides the commands that check nothing, it checks one generated report (`--jobs 1`: imports,
options, one check) and a folder of 20 (`--jobs 2`: the pool's fork server warms the checker on
the second core while the command reads its options; with so few reports the run is mostly
start-up).  The CPU column adds up every process of the best run (the command, its fork server
and workers).
"""

from __future__ import annotations

import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COMMANDS = (["--version"], ["--help"], ["rules"])
FOLDER_REPORTS = 20


def best(cmd: list[str], runs: int = 5) -> tuple[float, float]:
    """The best wall seconds of `runs` runs, and the CPU seconds of all its processes in that run."""
    times = []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, check=False)
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        times.append((wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime))
    return min(times)


def _reports(folder: Path, n: int) -> None:
    from gov_lint.synth import generate, write_tab_text

    for i in range(n):
        r = generate("2021" if i % 2 else "2019", random.Random(500 + i))
        (folder / f"r{i:02d}.txt").write_text(write_tab_text(r), encoding="utf-8")


def main() -> int:
    script = Path(sys.executable).with_name("gov-lint")
    base = [str(script)] if script.exists() else [sys.executable, "-m", "gov_lint"]
    if not script.exists() and shutil.which("gov-lint"):
        base = ["gov-lint"]
    work = Path(tempfile.mkdtemp(prefix="gov-lint-startup-"))
    try:
        folder = work / "reports"
        folder.mkdir()
        _reports(folder, FOLDER_REPORTS)
        one = folder / "r00.txt"
        check = ["check", "--no-cache", "--format", "json", "--exit-zero", "-q"]
        rows = [("python -c pass", [sys.executable, "-c", "pass"])]
        rows += [("gov-lint " + " ".join(args), [*base, *args]) for args in COMMANDS]
        rows += [
            ("gov-lint check 1 report, --jobs 1", [*base, *check, "--jobs", "1", str(one)]),
            (f"gov-lint check {FOLDER_REPORTS} reports, --jobs 2", [*base, *check, "--jobs", "2", str(folder)]),
        ]
        print(f"{'command':<38}{'best of 5 (s)':>14}{'CPU (s)':>9}")
        for label, cmd in rows:
            wall, cpu = best(cmd)
            print(f"{label:<38}{wall:>14.3f}{cpu:>9.3f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
