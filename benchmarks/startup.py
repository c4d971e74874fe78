"""Start-up time of the command line (best of 5, wall clock), next to a bare `python -c pass`.

    .venv/bin/python benchmarks/startup.py

Runs the `gov-lint` console script installed beside this Python (else `python -m gov_lint`).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

COMMANDS = (["--version"], ["--help"], ["rules"])


def best(cmd: list[str], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> int:
    script = Path(sys.executable).with_name("gov-lint")
    base = [str(script)] if script.exists() else [sys.executable, "-m", "gov_lint"]
    if not script.exists() and shutil.which("gov-lint"):
        base = ["gov-lint"]
    print(f"{'command':<28}{'best of 5 (s)':>14}")
    print(f"{'python -c pass':<28}{best([sys.executable, '-c', 'pass']):>14.3f}")
    for args in COMMANDS:
        print(f"{'gov-lint ' + ' '.join(args):<28}{best([*base, *args]):>14.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
