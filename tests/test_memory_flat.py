"""Memory stays flat: checking ten times more reports does not raise the peak.

tracemalloc's peak is compared over N and 10×N generated reports, checked in
this process through the runner (results streamed, nothing kept per file).  The
pipeline's bounded caches (split rows, label keys) are filled by a first pass
over the same files, so what is compared is what a run holds per file.  Cross-year
checking keeps a small record per report by design and is off here.
No timing is measured.
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
from gov_lint.synth import generate, write_tab_text

SMALL, LARGE = 25, 250


def _peak(files: list[str], spec: WorkerSpec) -> tuple[int, int]:
    """(peak bytes traced while the run streams, results seen); tracemalloc is already on.

    Garbage left by earlier work (other tests in the same process) is collected first, so the
    peak measures this run and not when the collector happens to run."""
    gc.collect()
    tracemalloc.reset_peak()
    seen = sum(1 for _ in Run(files, spec, jobs=1, crossyear=False))
    return tracemalloc.get_traced_memory()[1], seen


def _measure(files: list[str], spec: WorkerSpec) -> tuple[int, int, int]:
    """Peaks over SMALL and LARGE files after a first pass that fills every bounded cache, all traced."""
    tracemalloc.start()
    try:
        for _ in Run(files, spec, jobs=1, crossyear=False):
            pass
        small, n_small = _peak(files[:SMALL], spec)
        large, n_large = _peak(files, spec)
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
