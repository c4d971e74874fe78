#!/usr/bin/env python3
"""How fast gov-lint checks reports, against a plain read-and-split of the same files.

    python benchmarks/bench_check.py                # 2000 generated reports, one core
    python benchmarks/bench_check.py -n 500 --markdown

Generates N synthetic reports (both templates, tab-separated text like the seeds)
into a temporary folder, then measures in the same run:

  read+split   read the bytes, decode, split lines and tabs: the floor any checker pays;
  check        gov_lint.check.check_path on every file, in this process, one core.

Both passes walk the same files in the same order after one warm-up check (which
builds and caches the Lark parser).  The result is reports per second for each and
the ratio.  Measurements of other set-ups (--jobs, the result cache) belong in the
MEASURES table below as further entries.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gov_lint.synth import encode, generate  # noqa: E402


def make_reports(folder: Path, n: int, seed: int, kind: str = "tab") -> list[Path]:
    """N generated reports, alternating templates, in `folder`; returns their paths."""
    rng = random.Random(seed)
    paths = []
    for i in range(n):
        tid = "2019" if i % 2 else "2021"
        report = generate(tid, random.Random(rng.getrandbits(64)))
        data, suffix = encode(kind, report)
        p = folder / f"r{i:05d}-{tid}{suffix}"
        p.write_bytes(data)
        paths.append(p)
    return paths


def read_and_split(paths: list[Path]) -> int:
    """The baseline: bytes → text → lines → cells.  Returns a checksum so nothing is optimised away."""
    cells = 0
    for p in paths:
        text = p.read_bytes().decode("utf-8")
        for line in text.split("\n"):
            cells += len(line.split("\t"))
    return cells


def full_check(paths: list[Path]) -> int:
    """gov-lint's whole pipeline for each file (read, parse, every rule), in this process."""
    from gov_lint.check import check_path

    findings = 0
    for p in paths:
        result = check_path(p)
        if result.status != "checked":
            raise SystemExit(f"{p.name}: {result.status} {result.reason}")
        findings += len(result.findings)
    return findings


@dataclass
class Measure:
    name: str
    label: str  # Chinese label for the table
    run: Callable[[list[Path]], int]
    repeat: int = 1  # best of N runs (cheap measures are repeated to steady them)


MEASURES = [
    Measure("read+split", "读取并按行、按制表符切分", read_and_split, repeat=3),
    Measure("check", "gov-lint 完整检查（单进程）", full_check),
]


def timed(m: Measure, paths: list[Path]) -> tuple[float, float, int]:
    """Best wall-clock and CPU seconds over `m.repeat` runs, and the measure's checksum.

    CPU time (this process only) is printed next to wall time: on a shared machine
    other processes stretch the wall clock but not the CPU seconds.
    """
    best = best_cpu = float("inf")
    out = 0
    for _ in range(m.repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        out = m.run(paths)
        best = min(best, time.perf_counter() - t0)
        best_cpu = min(best_cpu, time.process_time() - c0)
    return best, best_cpu, out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="gov-lint 检查速度基准（与纯读取切分对比）")
    ap.add_argument("-n", "--reports", type=int, default=2000, help="生成的报告份数（默认 2000）")
    ap.add_argument("--seed", type=int, default=2024, help="生成报告用的随机种子")
    ap.add_argument("--format", default="tab", choices=("tab", "markdown", "html", "run_together"),
                    help="报告的文件形式（默认 tab：制表符分隔文本）")
    ap.add_argument("--markdown", action="store_true", help="以 Markdown 表格输出结果（用于 docs/performance.md）")
    ap.add_argument("--keep", type=Path, help="把生成的报告留在这个文件夹（默认用临时文件夹并删除）")
    args = ap.parse_args(argv)
    if args.reports < 1:
        ap.error("-n 至少为 1")

    with tempfile.TemporaryDirectory(prefix="gov-lint-bench-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        paths = make_reports(folder, args.reports, args.seed, args.format)
        gen_s = time.perf_counter() - t0
        size = sum(p.stat().st_size for p in paths)
        full_check(paths[:1])  # warm-up: build the parser, load rules and templates
        results = [(m, *timed(m, paths)) for m in MEASURES]

    n = len(paths)
    base = results[0][1]
    rows = []
    for m, secs, cpu, _ in results:
        rows.append((m.name, m.label, secs, cpu, n / secs, n / max(cpu, 1e-9), secs / base))
    by_name = {r[0]: r for r in rows}
    ratio = by_name["read+split"][4] / by_name["check"][4]
    if args.markdown:
        print(f"{n} 份合成报告（{args.format}，两种模板各半，共 {size / 1024:.0f} KiB），"
              f"Python {platform.python_version()}，{platform.machine()}，{os.cpu_count()} 核机器上单进程：")
        print()
        print("| 测量 | 说明 | 用时 (s) | CPU (s) | 报告/秒 | 报告/秒（按 CPU） | 相对读取切分 |")
        print("|---|---|---:|---:|---:|---:|---:|")
        for name, label, secs, cpu, rate, cpu_rate, rel in rows:
            print(f"| {name} | {label} | {secs:.2f} | {cpu:.2f} | {rate:,.0f} | {cpu_rate:,.0f} | {rel:.1f}× |")
        print()
        print(f"读取切分比完整检查快 {ratio:.0f} 倍（按墙钟时间）。")
    else:
        print(f"reports: {n} ({args.format}, {size / 1024:.0f} KiB), generated in {gen_s:.1f}s; "
              f"python {platform.python_version()} on {platform.machine()}, cpus {os.cpu_count()}")
        for name, label, secs, cpu, rate, cpu_rate, rel in rows:
            print(f"{name:>12}: {secs:8.3f}s wall {cpu:8.3f}s cpu  {rate:10,.0f} reports/s "
                  f"({cpu_rate:,.0f}/s by cpu)  {rel:.1f}x read+split time")
        print(f"ratio: read+split is {ratio:.0f}x faster than check")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
