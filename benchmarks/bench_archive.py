"""Archive benchmark: a cold run, a warm-cache re-run, and --jobs 1 vs --jobs N.

Generates an archive of synthetic reports (gov_lint.synth: consecutive years of
many fictional bodies, so the cross-year rules have work to do), then times the
real command line on it, all in this one run:

    cold  --jobs 1   empty cache folder
    warm  --jobs 1   the same cache folder again (nothing changed)
    cold  --jobs N   another empty cache folder
    warm  --jobs N
    nocache --jobs 1 --no-cache
    nocache --jobs N   (best of three runs: one run on a shared machine varies by ±5 %)
    in process       the same run as `--no-cache --jobs N` inside this process (Run + JSON
                     renderer into memory, no interpreter start-up, no command line)
    by process       `--no-cache --jobs N` again, its CPU split into the command's own process
                     and its workers, and the command's CPU on one report (start-up)
    read+split       a plain read and split of the same files (the floor)

and prints reports per second and the ratios.  CPU seconds are those of the command
and of the worker processes it started and waited for (the pool forks them from the
command's own process); "CLI overhead" is the CPU the command spends beyond the
in-process run (start-up, setup, output).  Usage:

    python benchmarks/bench_archive.py [--reports 2000] [--jobs 2] [--keep DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from gov_lint.synth import generate_series, mutate, write_tab_text
from gov_lint.synth.prose import random_agency

YEARS = [2019, 2020, 2021, 2022, 2023]


def generate_archive(folder: Path, n_reports: int, seed: int = 2026) -> int:
    """n_reports files, five consecutive years per body, one folder per year.

    One report in ten has one wrong number; one body in 25 has a carry-over break.
    """
    rng = random.Random(seed)
    made = 0
    body = 0
    seen: set[str] = set()
    while made < n_reports:
        years = YEARS[: min(len(YEARS), n_reports - made)]
        # one name per body: the generator's name pool is small, and two bodies sharing a
        # name would be one agency to the cross-year rules (Y104 duplicates)
        agency = random_agency(rng)
        for _ in range(20):
            if agency not in seen:
                break
            agency = random_agency(rng)
        if agency in seen:  # the pool is used up: a made-up town of this county (a name the checker accepts)
            agency = _another_town(agency, body, seen)
        seen.add(agency)
        series = generate_series(None, rng, years, agency=agency)
        if body % 25 == 3 and len(series) > 1:  # a carry-over break (Y101) now and then
            r = series[-1]
            r.set("三", "二", "自然人", r.get("三", "二", "自然人") + 1)
            r.set("三", "二", "总计", r.get("三", "二", "总计") + 1)
        for r in series:
            if made % 10 == 7:  # one report in ten has one wrong number (A findings)
                r, _ = mutate(r, rng)
            d = folder / str(r.year)
            d.mkdir(parents=True, exist_ok=True)
            (d / f"{body:05d}.txt").write_text(write_tab_text(r), encoding="utf-8")
            made += 1
        body += 1
    return made


# characters of made-up town names once random_agency's pool (96 names) is used up (two or three of them:
# a 100,000-report archive has 20,000 bodies)
_PLACE = "松竹梅兰桂柏杉桃杏李枫柳桑榆槐椿荷菱芦蒲苇茅芸芳青碧丹黛金银石玉泉溪"


def _another_town(agency: str, body: int, seen: set[str]) -> str:
    """A town name for `body` in the county of `agency`, not in `seen`, that names a real-looking
    body: every report of the archive then has an agency the cross-year rules can pair, as real
    reports do (a name with digits in it is refused by the agency reader, as it should be)."""
    county = agency[: agency.index("县") + 1] if "县" in agency else agency[: agency.index("区") + 1]
    n = len(_PLACE)
    for size in (2, 3):  # two characters, then three once a county's two-character names are used up
        space = n ** size
        for k in range(space):
            j = (body + k) % space
            name = f"{county}{''.join(_PLACE[(j // n ** i) % n] for i in range(size))}镇人民政府"
            if name not in seen:
                return name
    raise ValueError("no town name left")


def read_split(folder: Path, clock=time.perf_counter) -> float:
    """Seconds (by `clock`) to read every report and split it into lines and tab cells: the floor."""
    t0 = clock()
    n = 0
    for p in sorted(folder.rglob("*.txt")):
        for line in p.read_bytes().decode("utf-8").split("\n"):
            n += len(line.split("\t"))
    return clock() - t0


def run_cli(folder: Path, *args: str) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds of the command and its workers, sha256 of its JSON output."""
    # `python -m gov_lint` is the console script (`launch.run`: the pool's fork server starts first)
    cmd = [sys.executable, "-m", "gov_lint", "check", str(folder), "--format", "json", "--exit-zero", "--quiet", *args]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr.decode("utf-8", "replace"))
        raise SystemExit(f"gov-lint failed ({proc.returncode}): {' '.join(cmd)}")
    return elapsed, cpu, hashlib.sha256(proc.stdout).hexdigest()


# Runs the command line inside a child interpreter and prints, on stderr, the CPU seconds of the
# command's own process and those of the workers (the pool's fork server, which also warms the
# checker, is its child, and the workers are the server's: both are waited for).
_SPLIT = """
import json, os, resource, sys
from gov_lint import launch, pool_server
launch.prepare(sys.argv[1:])  # as the console script does (launch.run): the pool's server, imports
from gov_lint.cli import main
sys.stdout = open(os.devnull, "w")
try:
    main(sys.argv[1:])
except SystemExit:
    pass
pool_server.stop()  # (stopped after the run already; one the run did not use is stopped here)
me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
sys.stderr.write(json.dumps([me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime]))
"""


def cli_cpu_split(folder: Path, *args: str) -> tuple[float, float]:
    """CPU seconds of the command's own process (start-up, setup, the per-report work of the main
    process: decoding, cross-year, output) and of its workers, for one run of `gov-lint check`."""
    import json

    cmd = [sys.executable, "-c", _SPLIT, "check", str(folder), "--format", "json", "--exit-zero", "--quiet", *args]
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    main_cpu, workers_cpu = json.loads(proc.stderr.strip().splitlines()[-1])
    return main_cpu, workers_cpu


def start_up_cpu(folder: Path) -> float:
    """CPU seconds of `gov-lint check` on one report with --jobs 1 (start-up and setup, one check)."""
    one = next(iter(sorted(folder.rglob("*.txt"))))
    main_cpu, _ = cli_cpu_split(one, "--no-cache", "--jobs", "1")
    return main_cpu


def in_process(folder: Path, jobs: int) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds (this process and its workers), sha256 of the JSON of the
    `--no-cache --jobs N` run done inside this process."""
    import io

    from gov_lint.check import CheckOptions
    from gov_lint.output import FORMATS, RenderOptions, Summary
    from gov_lint.rules.registry import all_rules
    from gov_lint.runner import Run, WorkerSpec

    files = sorted(str(p) for p in folder.rglob("*.txt"))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    c0 = time.process_time()
    t0 = time.perf_counter()
    out = io.StringIO()
    renderer = FORMATS["json"](out, RenderOptions(rules=all_rules()))
    summary = Summary()
    # as the command runs it: JSON draws no tables, so the workers do not send them
    for result in Run(files, WorkerSpec(check=CheckOptions(), cache_dir=None, tables=False), jobs=jobs):
        renderer.file(result)
        summary.add(result)
    renderer.finish(summary)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = time.process_time() - c0 + (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, hashlib.sha256(out.getvalue().encode()).hexdigest()


def cache_entries(folder: Path) -> int:
    from gov_lint.cache import ResultCache

    cache = ResultCache(folder, "")
    try:
        return cache.entries()
    finally:
        cache.close()


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
        print(f"load average at start: {os.getloadavg()[0]:.1f} (wall times suffer when other work shares the cores;"
              " CPU seconds do not)")
        rows: list[tuple[str, float, float, str]] = []
        out_hashes = set()

        def timed(label: str, cache: Path | None, *args: str, repeat: int = 1) -> float:
            """One run of the command (the best of `repeat` when there is no cache to fill)."""
            before = cache_entries(cache) if cache else 0
            tries = []
            for _ in range(repeat):
                wall, cpu, digest = run_cli(archive, *args)
                out_hashes.add(digest)
                tries.append((wall, cpu))
            wall, cpu = min(tries)
            written = (cache_entries(cache) - before) if cache else 0
            note = f"{written} cache entries written" if cache else ""
            if repeat > 1:
                note = f"best of {repeat} runs: " + ", ".join(f"{w:.2f}" for w, _c in tries) + " s"
            rows.append((label, wall, cpu, note))
            return wall

        c1 = work / "cache-j1"
        cn = work / "cache-jn"
        cold1 = timed("cold cache, --jobs 1", c1, "--jobs", "1", "--cache-dir", str(c1))
        warm1 = timed("warm cache, --jobs 1", c1, "--jobs", "1", "--cache-dir", str(c1))
        coldn = timed(f"cold cache, --jobs {a.jobs}", cn, "--jobs", str(a.jobs), "--cache-dir", str(cn))
        warmn = timed(f"warm cache, --jobs {a.jobs}", cn, "--jobs", str(a.jobs), "--cache-dir", str(cn))
        timed("--no-cache, --jobs 1", None, "--jobs", "1", "--no-cache")
        nocachen = timed(f"--no-cache, --jobs {a.jobs}", None, "--jobs", str(a.jobs), "--no-cache", repeat=3)
        inproc_wall, inproc_cpu, _ = in_process(archive, a.jobs)  # paths differ from the CLI's: not hashed
        rows.append((f"in process, --jobs {a.jobs}", inproc_wall, inproc_cpu, "no cache, JSON into memory"))
        split_main, split_workers = cli_cpu_split(archive, "--no-cache", "--jobs", str(a.jobs))
        start_cpu = start_up_cpu(archive)

        print()
        print(f"{'run':<26}{'wall s':>8}{'reports/s':>11}{'CPU s':>8}{'CPU ms/report':>15}  note")
        for label, wall, cpu, note in rows:
            print(f"{label:<26}{wall:>8.2f}{n / wall:>11.0f}{cpu:>8.2f}{1000 * cpu / n:>15.2f}  {note}")
        print(f"{'read + split (in process)':<26}{floor:>8.2f}{n / floor:>11.0f}")
        print()
        print(f"warm vs cold, --jobs 1 (wall):           {cold1 / warm1:.1f}x faster")
        print(f"warm vs cold, --jobs {a.jobs} (wall):           {coldn / warmn:.1f}x faster")
        print(f"warm vs cold, --jobs 1 (CPU):            {rows[0][2] / rows[1][2]:.1f}x less")
        print(f"--jobs {a.jobs} vs --jobs 1, cold (wall):       {cold1 / coldn:.2f}x faster")
        print(f"cache writing, cold vs --no-cache (CPU): {rows[0][2] / rows[4][2]:.2f}x")
        print(f"cold --jobs 1 vs read+split (wall):      {cold1 / floor:.0f}x slower")
        print(f"--no-cache --jobs {a.jobs} vs read+split (wall): {nocachen / floor:.0f}x slower "
              f"({n / nocachen:,.0f} reports/s, interpreter start-up included)")
        print(f"warm --jobs 1 vs read+split (wall):      {warm1 / floor:.1f}x (interpreter start-up included)")
        print(f"CLI overhead, --no-cache --jobs {a.jobs} (CPU): {rows[5][2] - inproc_cpu:.2f} s over the in-process run "
              f"({rows[5][2]:.2f} vs {inproc_cpu:.2f} s; {n / rows[5][2]:,.0f} vs {n / inproc_cpu:,.0f} reports per CPU second)")
        print(f"--no-cache --jobs {a.jobs}, CPU by process:   command {split_main:.2f} s (start-up of one report "
              f"{start_cpu:.2f} s; {1000 * (split_main - start_cpu) / n:.3f} ms per report beyond it), "
              f"workers {split_workers:.2f} s ({1000 * split_workers / n:.2f} ms per report)")
        print(f"byte-identical JSON in every run:        {'yes' if len(out_hashes) == 1 else 'NO'}")
        rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"largest resident memory of any process:  {rss:.0f} MB (compare runs of different sizes: it stays flat)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
