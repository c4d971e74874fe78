"""Instructions a pool worker spends per report, counted by valgrind (callgrind).

    python benchmarks/worker_instructions.py [--reports 200] [--archive DIR] [--stage worker|parse]
                                             [--tree DIR]

CPU time on a shared machine moves by ±5 % from run to run, more than a change of a few per
cent; the number of instructions does not (the hash seed is fixed).  This runs the reports of
`bench_archive.py`'s archive (files 50 … 50+N of the sorted paths, after 50 others warm the
caches) through what a pool worker runs on them, under `valgrind --tool=callgrind`, once with
the N reports and once without them, and prints the difference per report:

    worker   `runner._work_chunk` on chunks of 16 paths, as a pool worker of
             `gov-lint check DIR --no-cache --jobs 2` does
    parse    `readers.read_bytes` and `parse.parse` of each report

Fewer instructions is not the same as less time (memory and allocation weigh too), so compare
the CPU figures as well; the instruction count only says which of two trees does less work, with
no noise.  `--tree` measures the gov_lint of another checkout (say an export of main) with this
script, for a paired comparison.  Needs valgrind; about a minute per 100 reports.
"""

from __future__ import annotations

import argparse
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WARM = 50
CHUNK = 16


def _run(archive: str, n: int, stage: str, measured: bool, tree: str) -> None:
    """What valgrind runs: warm up, then (when `measured`) the N reports."""
    sys.path.insert(0, tree)
    files = sorted(glob.glob(os.path.join(archive, "*", "*.txt")))
    chosen = files[WARM: WARM + n]
    if stage == "worker":
        from gov_lint import runner
        from gov_lint.check import CheckOptions

        runner._init_worker(runner.WorkerSpec(check=CheckOptions(), cache_dir=None, tables=False))
        runner._work_chunk(files[:WARM])
        if measured:
            for i in range(0, len(chosen), CHUNK):
                runner._work_chunk(chosen[i: i + CHUNK])
    else:
        import gc

        from gov_lint import readers, runner
        from gov_lint.parse import parse

        runner._quiet_collector()  # the collector as a pool worker sets it
        for path in files[:WARM]:
            parse(readers.read_bytes(path, Path(path).read_bytes()))
        datas = [(path, Path(path).read_bytes()) for path in chosen]
        gc.collect()
        if measured:
            for path, data in datas:
                parse(readers.read_bytes(path, data))


def _instructions(archive: str, n: int, stage: str, measured: bool, tree: str) -> int:
    cmd = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, __file__,
           "--inner", "--archive", archive, "--reports", str(n), "--stage", stage, "--tree", tree]
    if measured:
        cmd.append("--measured")
    env = dict(os.environ, PYTHONHASHSEED="0")
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True)
    m = re.search(r"Collected : (\d+)", out.stderr)
    if m is None:
        raise SystemExit(f"no instruction count in valgrind's output:\n{out.stderr[-2000:]}")
    return int(m.group(1))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=200)
    ap.add_argument("--archive", help="a bench_archive.py archive (default: generate 2,000 reports)")
    ap.add_argument("--stage", choices=("worker", "parse"), default="worker")
    ap.add_argument("--tree", default=str(ROOT), help="the checkout whose gov_lint is measured (default: this one)")
    ap.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--measured", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.inner:
        _run(args.archive, args.reports, args.stage, args.measured, str(Path(args.tree).resolve()))
        return
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed")
    tmp = None
    archive = args.archive
    if archive is None:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from bench_archive import generate_archive

        tmp = tempfile.mkdtemp(prefix="gov-lint-instr-")
        generate_archive(Path(tmp), 2000)
        archive = tmp
    try:
        tree = str(Path(args.tree).resolve())
        with_reports = _instructions(archive, args.reports, args.stage, True, tree)
        without = _instructions(archive, args.reports, args.stage, False, tree)
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"{args.stage} ({args.tree}): {(with_reports - without) / args.reports:,.0f} instructions per report "
          f"({args.reports} reports)")


if __name__ == "__main__":
    main()
