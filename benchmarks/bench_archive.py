"""Archive benchmark: a cold run, a warm-cache re-run, and --jobs 1 vs --jobs N.

Generates an archive of synthetic reports (gov_lint.synth: consecutive years of
many fictional bodies, so the cross-year rules have work to do), then times the
real command line on it, all in this one run:

    cold  --jobs 1   empty cache folder
    warm  --jobs 1   the same cache folder again (nothing changed)
    cold  --jobs N   another empty cache folder
    warm  --jobs N
    nocache --jobs 1 --no-cache
    read+split       a plain read and split of the same files (the floor)

and prints reports per second and the ratios.  Usage:

    python benchmarks/bench_archive.py [--reports 2000] [--jobs 2] [--keep DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from gov_lint.synth import generate_series, write_tab_text

YEARS = [2019, 2020, 2021, 2022, 2023]


def generate_archive(folder: Path, n_reports: int, seed: int = 2026) -> int:
    """n_reports files, five consecutive years per body, one folder per year."""
    rng = random.Random(seed)
    made = 0
    body = 0
    while made < n_reports:
        years = YEARS[: min(len(YEARS), n_reports - made)]
        for r in generate_series(None, rng, years):
            d = folder / str(r.year)
            d.mkdir(parents=True, exist_ok=True)
            (d / f"{body:05d}.txt").write_text(write_tab_text(r), encoding="utf-8")
            made += 1
        body += 1
    return made


def read_split(folder: Path) -> float:
    t0 = time.perf_counter()
    n = 0
    for p in sorted(folder.rglob("*.txt")):
        for line in p.read_bytes().decode("utf-8").split("\n"):
            n += len(line.split("\t"))
    return time.perf_counter() - t0


def run_cli(folder: Path, *args: str) -> tuple[float, str]:
    cmd = [sys.executable, "-m", "gov_lint.cli", "check", str(folder), "--format", "json", "--exit-zero", *args]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr.decode("utf-8", "replace"))
        raise SystemExit(f"gov-lint failed ({proc.returncode}): {' '.join(cmd)}")
    return elapsed, hashlib.sha256(proc.stdout).hexdigest()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=2000)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--keep", type=Path, help="generate the archive here and keep it")
    a = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="gov-lint-bench-"))
    archive = a.keep or (work / "archive")
    try:
        t0 = time.perf_counter()
        n = generate_archive(archive, a.reports)
        gen = time.perf_counter() - t0
        size = sum(p.stat().st_size for p in archive.rglob("*.txt"))
        print(f"archive: {n} reports, {size / 1e6:.1f} MB, generated in {gen:.1f} s ({archive})")
        print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")

        floor = read_split(archive)
        rows: list[tuple[str, float]] = []
        out_hashes = set()

        def timed(label: str, *args: str) -> float:
            elapsed, size = run_cli(archive, *args)
            out_hashes.add(size)
            rows.append((label, elapsed))
            return elapsed

        c1 = work / "cache-j1"
        cn = work / "cache-jn"
        cold1 = timed("cold cache, --jobs 1", "--jobs", "1", "--cache-dir", str(c1))
        warm1 = timed("warm cache, --jobs 1", "--jobs", "1", "--cache-dir", str(c1))
        coldn = timed(f"cold cache, --jobs {a.jobs}", "--jobs", str(a.jobs), "--cache-dir", str(cn))
        warmn = timed(f"warm cache, --jobs {a.jobs}", "--jobs", str(a.jobs), "--cache-dir", str(cn))
        nocache = timed("--no-cache, --jobs 1", "--jobs", "1", "--no-cache")

        print()
        print(f"{'run':<26}{'seconds':>9}{'reports/s':>12}")
        for label, s in rows:
            print(f"{label:<26}{s:>9.2f}{n / s:>12.0f}")
        print(f"{'read + split (in process)':<26}{floor:>9.2f}{n / floor:>12.0f}")
        print()
        print(f"warm / cold speed-up, --jobs 1:         {cold1 / warm1:.1f}x")
        print(f"warm / cold speed-up, --jobs {a.jobs}:         {coldn / warmn:.1f}x")
        print(f"--jobs {a.jobs} / --jobs 1 speed-up (cold):     {cold1 / coldn:.2f}x")
        print(f"cache write overhead (cold vs --no-cache): {cold1 / nocache:.2f}x")
        print(f"cold --jobs 1 vs read+split:             {cold1 / floor:.0f}x slower")
        print(f"byte-identical JSON in every run:        {'yes' if len(out_hashes) == 1 else 'NO'}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
