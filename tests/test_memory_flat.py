"""Memory stays flat: checking ten times more reports does not raise the peak.

tracemalloc's peak is compared over N and 10×N generated reports, checked in
this process through the runner (results streamed, nothing kept per file).  The
pipeline's bounded caches (split rows, label keys) are filled by a first pass
over the same files, so what is compared is what a run holds per file.  With the
cross-year rules on, every report's facts wait in a temporary SQLite file (whose
page cache is bounded), so the peak stays flat too.  No timing is measured.
"""

from __future__ import annotations

import gc
import random
import tracemalloc
from pathlib import Path

from gov_lint.budget import Limits
from gov_lint.cache import cache_salt
from gov_lint.check import CheckOptions
from gov_lint.runner import Run, WorkerSpec
from gov_lint.synth import generate, generate_series, write_tab_text

SMALL, LARGE = 25, 250


def _peak(files: list[str], spec: WorkerSpec, crossyear: bool = False) -> tuple[int, int]:
    """(peak bytes traced while the run streams, results seen); tracemalloc is already on.

    Garbage left by earlier work (other tests in the same process) is collected first, so the
    peak measures this run and not when the collector happens to run."""
    gc.collect()
    tracemalloc.reset_peak()
    seen = sum(1 for _ in Run(files, spec, jobs=1, crossyear=crossyear))
    return tracemalloc.get_traced_memory()[1], seen


def _measure(files: list[str], spec: WorkerSpec, crossyear: bool = False,
             few: list[str] | None = None) -> tuple[int, int, int]:
    """Peaks over SMALL (`few`, default the first) and LARGE files after a first pass that fills
    every bounded cache, all traced."""
    tracemalloc.start()
    try:
        for _ in Run(files, spec, jobs=1, crossyear=crossyear):
            pass
        small, n_small = _peak(few or files[:SMALL], spec, crossyear)
        large, n_large = _peak(files, spec, crossyear)
        return small, large, n_small + n_large
    finally:
        tracemalloc.stop()


def _files(folder: Path) -> list[str]:
    rng = random.Random(7)
    out = []
    for i in range(LARGE):
        p = folder / f"r{i:04d}.txt"
        p.write_text(write_tab_text(generate("2021" if i % 2 else "2019", random.Random(rng.getrandbits(32)))),
                     encoding="utf-8")
        out.append(str(p))
    return out


def test_peak_memory_does_not_grow_with_the_number_of_reports(tmp_path):
    files = _files(tmp_path)
    spec = WorkerSpec(check=CheckOptions(limits=Limits(max_seconds=0)), cache_dir=None)
    small, large, seen = _measure(files, spec)
    assert seen == SMALL + LARGE
    # ten times the files, the same peak within 600 bytes a file (measured: ~7.2 MB both times)
    assert large - small < 150_000, (small, large)


def test_warm_cache_run_memory_is_flat_too(tmp_path):
    files = _files(tmp_path)
    spec = WorkerSpec(check=CheckOptions(limits=Limits(max_seconds=0)), cache_dir=str(tmp_path / "cache"), cache_salt=cache_salt("mem"))
    small, large, seen = _measure(files, spec)  # the first pass fills the result cache
    assert seen == SMALL + LARGE
    assert large - small < 100_000, (small, large)  # measured: ~140 KB both times


def _series_files(folder: Path) -> list[str]:
    """LARGE reports of LARGE/5 bodies over five years, older years first (every file pairs up)."""
    from gov_lint.synth.prose import random_agency

    rng = random.Random(11)
    out = []
    names: set[str] = set()
    while len(names) < LARGE // 5:
        names.add(random_agency(rng))
    for b, name in enumerate(sorted(names)):
        series = generate_series(None, random.Random(rng.getrandbits(32)), [2019, 2020, 2021, 2022, 2023],
                                 agency=name)
        if b % 5 == 0:  # a carry-over break now and then (Y101)
            series[-1].set("三", "二", "自然人", series[-1].get("三", "二", "自然人") + 1)
            series[-1].set("三", "二", "总计", series[-1].get("三", "二", "总计") + 1)
        for r in series:
            p = folder / f"{r.year}-{b:03d}.txt"
            p.write_text(write_tab_text(r), encoding="utf-8")
            out.append(str(p))
    return sorted(out)


def test_cross_year_facts_do_not_grow_memory(tmp_path):
    files = _series_files(tmp_path)
    spec = WorkerSpec(check=CheckOptions(limits=Limits(max_seconds=0)), cache_dir=None)
    found = [f.code for r in Run(files, spec, jobs=1) for f in r.findings if f.code.startswith("Y")]
    # the few: five bodies' five years, so pairs are compared in the small run too
    few = [f for f in files if int(Path(f).stem.split("-")[1]) < SMALL // 5]
    small, large, seen = _measure(files, spec, crossyear=True, few=few)
    assert seen == SMALL + LARGE
    # measured: +0.12 MB over ~21 MB; facts held in a dict instead of the store: +2.0 MB
    assert large - small < 600_000, (small, large)
    # the facts were really kept and paired: the same Y findings as a run that holds them all
    from gov_lint.rules.crossyear import extract_facts, run_crossyear

    keep = WorkerSpec(check=spec.check, keep_report=True)
    facts = []
    for i, r in enumerate(Run(files, keep, jobs=1, crossyear=False)):
        f = extract_facts(r.report)
        f.index = i
        facts.append(f)
    held = [f.code for fs in run_crossyear(facts).values() for f in fs]
    assert found and sorted(found) == sorted(held)
