"""Where one run's time goes: read, parse, each rule family, finishing, output.

    .venv/bin/python benchmarks/profile_run.py                  # 500 tab-text reports
    .venv/bin/python benchmarks/profile_run.py -n 200 --format html
    .venv/bin/python benchmarks/profile_run.py --cprofile 25    # also the 25 costliest functions
    .venv/bin/python benchmarks/profile_run.py --archive --parse-stages   # bench_archive's reports, parse's steps

Generates synthetic reports (gov_lint.synth), warms up on 50 of them (parser built,
packs loaded, label caches filled as in a long run), times `check_path` on N fresh
ones, then runs the pipeline of `gov_lint.check` stage by stage on N other fresh
ones in this one process, timing each stage in CPU seconds of this process (`time.process_time`,
so other processes on a busy machine do not inflate the figures):

    read       readers.read_bytes (format detection, decoding, layout, source map)
    parse      parse.parse (grammar, tables, digit splitting, template decision)
    rules:*    each rule's prepare + check, grouped by the module that holds it
               (engine = the relations, narrative/prose = N rules, builtin, …)
    finish     select, locate, sort, fingerprint (check.finish)
    output:*   rendering every result with a format (json, full, concise)

next to the plain read-and-split of the same files (best of three), the floor
every figure is compared with.  `--archive` takes the reports from the generator of
`bench_archive.py` (the archive `gov-lint check DIR --jobs 2` is measured on) instead of
gov_lint.synth's per-format writer; `--parse-stages` also times parse's own steps (parse:scan
for the grammar, parse:read_table3, …; they are part of parse, not added to the check total).  The timers wrap the real functions, so the sum
of the stages is the check time up to the small cost of the wrapping.

How the stages are timed: the CPU clock of this process (`time.process_time`) is
only trustworthy over long stretches here.  On this VM it advances in steps, and
a stretch of a millisecond often reads 0 s or 4 ms; short calls timed one by
one then get other code's time.  Seen once: the call that charges the budget
showed 0.8 ms per report and parsing 0.18 ms, when parsing takes about 0.5 ms.
So each stage is timed on the wall clock (`time.perf_counter`, fine-grained).
The CPU time of the whole stage pass (process_time over thousands of calls) is
then shared out in proportion to those wall-clock times.  Other processes on a
busy machine slow every stage alike, so the shares hold.  The totals are CPU
seconds, as before.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import tempfile
import time
import types
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_archive import generate_archive  # noqa: E402
from bench_check import make_reports, read_and_split  # noqa: E402

import gov_lint.parse as parse_mod  # noqa: E402
from gov_lint import check as check_mod  # noqa: E402
from gov_lint.output import FORMATS, RenderOptions, Summary  # noqa: E402
from gov_lint.parse import parse  # noqa: E402
from gov_lint.readers import read_bytes  # noqa: E402
from gov_lint.rules.registry import all_rules  # noqa: E402

OUTPUTS = ("json", "full", "concise")
CLOCK = time.process_time  # CPU time of this process: the figure the docs compare (long stretches only)
STAGE_CLOCK = time.perf_counter  # fine-grained: what each stage's share is measured with
WARM_UP = 50  # reports checked before anything is timed


class Timers:
    """Seconds per stage name."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)

    def wrap(self, name: str, fn):
        def timed(*args, **kwargs):
            t0 = STAGE_CLOCK()
            try:
                out = fn(*args, **kwargs)
                # a rule's check may be a generator: its work happens while it is consumed
                return list(out) if isinstance(out, types.GeneratorType) else out
            finally:
                self.seconds[name] += STAGE_CLOCK() - t0

        return timed


def family(rule) -> str:
    """The module a rule's code lives in: engine (relations), narrative, builtin, metadata, …"""
    fn = rule.check or rule.prepare
    module = getattr(fn, "__module__", "") or ""
    return module.rsplit(".", 1)[-1] or rule.origin


def instrument(timers: Timers) -> None:
    """Wrap every rule's prepare/check with a timer of its family (once per process)."""
    for rule in all_rules(check_mod.DEFAULT.plugins).in_run_order():
        name = "rules:" + family(rule)
        for attr in ("prepare", "check"):
            fn = getattr(rule, attr)
            if fn is not None:
                object.__setattr__(rule, attr, timers.wrap(name, fn))


# parse's own steps, in the order parse.parse calls them (`--parse-stages`)
PARSE_STEPS = ("scan", "sections", "_title", "read_table2", "read_table3", "read_table4", "decode_tables",
               "_signatures", "_decide_template", "settle_by_prose")


def instrument_parse(timers: Timers) -> None:
    """Wrap parse's steps (names looked up in gov_lint.parse when parse runs) with timers `parse:<step>`."""
    for name in PARSE_STEPS:
        if hasattr(parse_mod, name):
            setattr(parse_mod, name, timers.wrap("parse:" + name.lstrip("_"), getattr(parse_mod, name)))


def archive_reports(folder: Path, n: int, seed: int) -> list[Path]:
    """N reports from bench_archive's generator (five years per body, tab text), in `folder`."""
    generate_archive(folder, n, seed)
    return sorted(folder.glob("*/*.txt"))


def run(paths: list[Path], timers: Timers) -> list:
    """The check pipeline stage by stage (the same calls check.check_bytes makes)."""
    options = check_mod.DEFAULT
    rules = all_rules(options.plugins)
    results = []
    finish = check_mod.finish
    check_mod.finish = timers.wrap("finish", finish)
    try:
        for p in paths:
            data = p.read_bytes()
            t0 = STAGE_CLOCK()
            doc = read_bytes(str(p), data)
            t1 = STAGE_CLOCK()
            report = parse(doc)
            t2 = STAGE_CLOCK()
            timers.seconds["read"] += t1 - t0
            timers.seconds["parse"] += t2 - t1
            findings = check_mod.run_rules(report, rules, options)
            results.append(check_mod.FileResult(path=str(p), status="checked", template=report.template,
                                                year=report.year, agency=report.agency, findings=findings))
    finally:
        check_mod.finish = finish
    for fmt in OUTPUTS:
        t0 = STAGE_CLOCK()
        renderer = FORMATS[fmt](io.StringIO(), RenderOptions(rules=rules))
        summary = Summary()
        for r in results:
            renderer.file(r)
            summary.add(r)
        renderer.finish(summary)
        timers.seconds[f"output:{fmt}"] += STAGE_CLOCK() - t0
    return results


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", "--reports", type=int, default=500)
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--format", default="tab", choices=("tab", "markdown", "html", "run_together", "docx", "pdf"))
    ap.add_argument("--cprofile", type=int, default=0, metavar="N", help="also print the N costliest functions")
    ap.add_argument("--markdown", action="store_true", help="a Markdown table (for docs/performance.md)")
    ap.add_argument("--archive", action="store_true", help="reports from bench_archive's generator (tab text)")
    ap.add_argument("--parse-stages", action="store_true", help="also time parse's own steps")
    args = ap.parse_args(argv)
    if args.archive:
        args.format = "tab"

    def reports(folder: Path, n: int, seed: int) -> list[Path]:
        return archive_reports(folder, n, seed) if args.archive else make_reports(folder, n, seed, args.format)

    with tempfile.TemporaryDirectory(prefix="gov-lint-profile-") as tmp:
        folders = [Path(tmp) / name for name in ("warm", "whole", "stages")]
        for f in folders:
            f.mkdir()
        # warm-up on other reports (parser built, packs loaded, the caches of labels as in a long run)
        for p in reports(folders[0], WARM_UP, args.seed + 1):
            check_mod.check_path(p)
        paths = reports(folders[1], args.reports, args.seed)
        base = min(_timed(read_and_split, paths) for _ in range(3)) if args.format in ("tab", "markdown", "run_together") else None
        whole = _timed(lambda ps: [check_mod.check_path(p) for p in ps], paths)  # before the timers wrap anything
        # the stages on as many other fresh reports: a second pass over the same files would
        # find their lines in the parser's caches
        paths = reports(folders[2], args.reports, args.seed + 2)
        timers = Timers()
        instrument(timers)
        if args.parse_stages:
            instrument_parse(timers)
        t0, w0 = CLOCK(), STAGE_CLOCK()
        run(paths, timers)
        total, wall = CLOCK() - t0, STAGE_CLOCK() - w0
        # CPU seconds of the pass, shared out by each stage's wall-clock time (see the docstring)
        cpu_per_wall = total / wall if wall > 0 else 1.0
        # taken now: the rules stay wrapped with these timers, so the cProfile pass below would add to them
        seconds = {name: secs * cpu_per_wall for name, secs in timers.seconds.items()}
        if args.cprofile:
            prof = cProfile.Profile()
            prof.enable()
            run(paths, Timers())
            prof.disable()

    n = len(paths)
    kind = "bench_archive, tab" if args.archive else args.format
    rows = sorted(seconds.items(), key=lambda kv: (not kv[0].startswith(("read", "parse")), kv[0].startswith("parse:"), -kv[1]))
    check_total = sum(s for k, s in seconds.items() if not k.startswith(("output:", "parse:")))  # (parse: in parse)
    if args.markdown:
        print(f"{n} 份合成报告（{kind}），单进程，逐阶段 CPU 时间（整段 CPU 时间按各阶段墙钟时间分摊）/ {n} synthetic reports "
              f"({kind}), one process, CPU time per stage (the pass's CPU time shared out by each stage's wall-clock time):")
        print()
        print("| 阶段 / stage | 秒 / s | 每份 ms / ms per report | 占检查 / share of check | 相对读取切分 / × read+split |")
        print("|---|---:|---:|---:|---:|")
        for name, secs in rows:
            share = f"{100 * secs / check_total:.1f}%" if not name.startswith("output:") else "—"
            rel = f"{secs / base:.1f}×" if base else "—"
            print(f"| {name} | {secs:.3f} | {1000 * secs / n:.3f} | {share} | {rel} |")
        if base:
            print(f"| read+split（基线 / baseline） | {base:.3f} | {1000 * base / n:.3f} | — | 1.0× |")
        print(f"| check_path 整体（不计时各阶段）/ whole check_path, stages not timed | {whole:.3f} | {1000 * whole / n:.3f} | — | "
              + (f"{whole / base:.1f}× |" if base else "— |"))
        print(f"| check 合计 / total (read … finish) | {check_total:.3f} | {1000 * check_total / n:.3f} | 100% | "
              f"{check_total / base:.1f}× |" if base else f"| check total | {check_total:.3f} | {1000 * check_total / n:.3f} | 100% | — |")
    else:
        print(f"{n} reports ({kind}); {total:.2f}s CPU for the stages below (one process), "
              f"shared out by each stage's wall-clock time ({wall:.2f}s wall)")
        for name, secs in rows:
            share = f"{100 * secs / check_total:5.1f}% of check" if not name.startswith("output:") else ""
            print(f"{name:>22}: {secs:8.3f}s {1000 * secs / n:8.3f} ms/report  {share}")
        print(f"{'check total':>22}: {check_total:8.3f}s {1000 * check_total / n:8.3f} ms/report")
        print(f"{'whole check_path':>22}: {whole:8.3f}s {1000 * whole / n:8.3f} ms/report  ({n / whole:.0f} reports/s, stages not timed)")
        if base:
            print(f"{'read+split':>22}: {base:8.3f}s  check is {check_total / base:.1f}x read+split")
    if args.cprofile:
        print()
        print(by_module(prof, args.markdown))
        out = io.StringIO()
        pstats.Stats(prof, stream=out).sort_stats("tottime").print_stats(args.cprofile)
        print("\n```\n" + out.getvalue().strip() + "\n```" if args.markdown else out.getvalue())
    return 0


def by_module(prof: cProfile.Profile, markdown: bool) -> str:
    """Own time (cProfile tottime) summed per gov_lint module or third-party package."""
    spent: dict[str, float] = defaultdict(float)
    for (filename, _line, _func), (_cc, _nc, tottime, _ct, _callers) in pstats.Stats(prof).stats.items():  # type: ignore[attr-defined]
        f = filename.replace("\\", "/")
        if "/gov_lint/" in f:
            key = "gov_lint/" + f.split("/gov_lint/", 1)[1]
        elif "site-packages/" in f:
            key = f.split("site-packages/", 1)[1].split("/", 1)[0]
        else:
            key = "python (stdlib, builtins)"
        spent[key] += tottime
    total = sum(spent.values()) or 1e-9
    top = sorted(spent.items(), key=lambda kv: -kv[1])[:15]
    if markdown:
        lines = ["| 模块 / module | 自身时间 / own time (cProfile) |", "|---|---:|"]
        lines += [f"| {k} | {100 * v / total:.1f}% |" for k, v in top]
    else:
        lines = ["own time per module (cProfile, with its overhead):"]
        lines += [f"{k:>40}: {100 * v / total:5.1f}%" for k, v in top]
    return "\n".join(lines)


def _timed(fn, paths) -> float:
    t0 = CLOCK()
    fn(paths)
    return CLOCK() - t0


if __name__ == "__main__":
    raise SystemExit(main())
