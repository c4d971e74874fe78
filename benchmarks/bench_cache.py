"""The warm cache against the plain read-and-split: every output format, in this one process.

    .venv/bin/python benchmarks/bench_cache.py [--reports 2000]

Generates an archive (bench_archive.generate_archive), fills a cache with one
cold run, then, for every output format, times a warm run in this process: the
runner over the file list (stat-key lookups, cached results, cross-year pass from
cached facts, config/baseline post-processing left out) and the renderer writing
into memory.  The floor is a plain read and split of the same files (best of
three).  Each warm run starts without what an earlier run in this process
remembered (`forget_memos`), as a new command would.  Interpreter start-up is not
in these figures; `bench_archive.py` times the real command line, start-up included.
"""

from __future__ import annotations

import argparse
import io
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_archive import generate_archive, read_split  # noqa: E402

from gov_lint.cache import cache_salt  # noqa: E402
from gov_lint.check import CheckOptions  # noqa: E402
from gov_lint.output import DRAWS_TABLES, FORMATS, RenderOptions, Summary  # noqa: E402
from gov_lint.rules.registry import all_rules  # noqa: E402
from gov_lint.runner import Run, WorkerSpec, quiet_collector  # noqa: E402


def forget_memos() -> None:
    """Forget what earlier runs in this process remembered (rendered messages, escaped and drawn
    cell texts, cell addresses): a re-run of the command starts without them."""
    from gov_lint import messages
    from gov_lint.output import html, html_tables

    for memo in (messages._RENDERED, html_tables._ESCAPED, html_tables._TD, html_tables._MARKS, html_tables._ADDRESSES,
                 html._DESCRIBED):
        memo.clear()


def warm_run(files: list[str], cache: Path, fmt: str) -> tuple[float, float, int, int]:
    """(CPU seconds, wall seconds, cache hits, characters written) of one warm run rendered as `fmt`."""
    forget_memos()
    # as the command line does: the tables are read from the cache only for an output that draws them
    spec = WorkerSpec(check=CheckOptions(), cache_dir=str(cache), cache_salt=cache_salt("bench"),
                      tables=fmt in DRAWS_TABLES)
    c0 = time.process_time()
    t0 = time.perf_counter()
    with quiet_collector():  # the command line's collector setting while it runs
        run = Run(files, spec, jobs=1)
        out = io.StringIO()
        renderer = FORMATS[fmt](out, RenderOptions(rules=all_rules()))
        summary = Summary()
        for result in run:
            renderer.file(result)
            summary.add(result)
        renderer.finish(summary)
    return time.process_time() - c0, time.perf_counter() - t0, run.stats.cache_hits, len(out.getvalue())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=2000)
    ap.add_argument("--jobs", type=int, default=2, help="processes for the cold run that fills the cache")
    args = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="gov-lint-cache-bench-"))
    try:
        archive = work / "archive"
        n = generate_archive(archive, args.reports)
        files = sorted(str(p) for p in archive.rglob("*.txt"))
        cache = work / "cache"
        spec = WorkerSpec(check=CheckOptions(), cache_dir=str(cache), cache_salt=cache_salt("bench"))
        t0 = time.perf_counter()
        for _ in Run(files, spec, jobs=args.jobs):
            pass
        cold = time.perf_counter() - t0
        floor = min(read_split(archive, time.process_time) for _ in range(3))
        print(f"{n} reports; cold run (--jobs {args.jobs}, filling the cache): {cold:.2f} s; "
              f"read+split (best of 3, CPU): {floor:.3f} s")
        print()
        print("CPU seconds of this process (one core), best of three warm runs (as the floor is the best of three); "
              "the ratio is to the read+split CPU time.")
        print()
        print("| 输出格式 / format | 热缓存重跑 CPU / warm run CPU (s) | 墙钟 / wall (s) | 报告/秒 / reports/s (CPU) "
              "| 相对读取切分 / × read+split | 输出 / output (KB) | 命中 / hits |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for fmt in FORMATS:
            cpu, wall, hits, chars = min(warm_run(files, cache, fmt) for _ in range(3))
            print(f"| {fmt} | {cpu:.3f} | {wall:.3f} | {n / cpu:,.0f} | {cpu / floor:.2f}× | {chars / 1024:,.0f} | {hits} |")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
