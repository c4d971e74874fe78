"""CPU per report of the work around parsing and the rules, in a pool worker and in the command.

A `--jobs N` run does, besides reading, parsing and the rules:

    worker   read the file's bytes, the per-file budget (watchdog), the rules' loop,
             the cross-year facts, the result encoded as the bytes it sends back
    command  the bytes decoded, the cross-year pass (`CrossYear.add`/`drawn`/`join`),
             the JSON output

This script times each of these in this one process, on an archive of synthetic reports
(`bench_archive.generate_archive`), best of `--repeat` passes, and the whole worker step
(`runner._work_chunk`, as a pool worker runs it) and the command's whole per-report loop
(`Run` fed the worker's bytes, with the JSON renderer) for scale.  Usage:

    python benchmarks/bench_pipeline.py [--reports 1000] [--repeat 3] [--archive DIR] [--markdown]
"""

from __future__ import annotations

import argparse
import gc
import io
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_archive import generate_archive  # noqa: E402

from gov_lint import runner  # noqa: E402
from gov_lint.budget import Limits, run_bounded  # noqa: E402
from gov_lint.check import CheckOptions, check_bytes  # noqa: E402
from gov_lint.output import FORMATS, RenderOptions, Summary  # noqa: E402
from gov_lint.readers import read_file_bytes  # noqa: E402
from gov_lint.rules.crossyear import CrossYear, extract_facts, pairable  # noqa: E402
from gov_lint.rules.registry import all_rules  # noqa: E402

MAX = Limits().max_bytes


def best_ms(fn: Callable[[], object], n: int, repeat: int) -> float:
    """Best CPU milliseconds per report of `fn()` (which does `n` reports), the collector paused."""
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        gc.disable()
        try:
            c0 = time.process_time()
            fn()
            best = min(best, time.process_time() - c0)
        finally:
            gc.enable()
    return 1000 * best / n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--archive", type=Path, help="use (or make) the archive in this folder")
    ap.add_argument("--markdown", action="store_true", help="print a markdown table")
    a = ap.parse_args()

    work = None
    folder = a.archive
    if folder is None or not any(folder.rglob("*.txt")):
        work = Path(tempfile.mkdtemp(prefix="gov-lint-pipeline-"))
        folder = folder or work / "archive"
        generate_archive(folder, a.reports)
    try:
        files = sorted(str(p) for p in folder.rglob("*.txt"))[: a.reports]
        n = len(files)
        spec = runner.WorkerSpec(check=CheckOptions(), cache_dir=None, tables=False)
        runner._init_worker(spec)  # as a pool worker: its collector and the watchdog's handlers
        worker_spec = runner._WORKER_SPEC
        datas = [read_file_bytes(p, MAX) for p in files]
        results = [check_bytes(p, d, spec.check) for p, d in zip(files, datas)]
        reports = [r.report for r in results]
        paired = [r for r in reports if r is not None and pairable(r)]
        facts = [extract_facts(r) if r is not None and pairable(r) else None for r in reports]
        blobs: list[bytes] = []
        for i in range(0, n, 16):
            blobs += [b for b, _ in runner._work_chunk(files[i:i + 16])]
        rules = all_rules(True)

        def command_loop() -> None:
            out = io.StringIO()
            renderer = FORMATS["json"](out, RenderOptions(rules=rules))
            summary = Summary()

            def sent_back(fs, _spec, _on_done):
                return (runner._decoded(b, p, False) for p, b in zip(fs, blobs))

            for result in runner.Run(files, spec, jobs=2, executor=sent_back):
                summary.add(result)
                renderer.file(result)
            renderer.finish(summary)

        def decode_only() -> None:
            for p, b in zip(files, blobs):
                runner._decoded(b, p, False)

        def crossyear_only() -> None:
            cross = CrossYear()
            try:
                for i, (p, b) in enumerate(zip(files, blobs)):
                    out = runner._decoded(b, p, False)
                    if out.facts is not None:
                        out.facts.index = i
                        cross.join(p, out.result.findings, cross.add(out.facts))
            finally:
                cross.close()

        decoded = [runner._decoded(b, p, False).result for p, b in zip(files, blobs)]

        def json_only() -> None:
            renderer = FORMATS["json"](io.StringIO(), RenderOptions(rules=rules))
            for r in decoded:
                renderer.file(r)

        rows = [
            ("worker: whole step (_work_chunk)", best_ms(lambda: [runner._work_chunk(files[i:i + 16])
                                                                   for i in range(0, n, 16)], n, a.repeat)),
            ("worker: read the bytes", best_ms(lambda: [read_file_bytes(p, MAX) for p in files], n, a.repeat)),
            ("worker: budget and watchdog", best_ms(lambda: [run_bounded(worker_spec.check.limits, lambda: None, None)
                                                              for _ in files], n, a.repeat)),
            (f"worker: cross-year facts ({len(paired)} of {n} pairable)",
             best_ms(lambda: [extract_facts(r) for r in paired], n, a.repeat)),
            ("worker: encode the result", best_ms(lambda: [runner.sent(r, f, spec) for r, f in zip(results, facts)],
                                                  n, a.repeat)),
            ("command: whole loop (Run + JSON)", best_ms(command_loop, n, a.repeat)),
            ("command: decode", best_ms(decode_only, n, a.repeat)),
            ("command: decode + cross-year", best_ms(crossyear_only, n, a.repeat)),
            ("command: JSON output", best_ms(json_only, n, a.repeat)),
        ]
        print(f"{n} reports, best of {a.repeat} passes, CPU ms per report (collector paused)")
        print()
        if a.markdown:
            print("| step | ms/report |")
            print("|---|---:|")
        for label, ms in rows:
            print(f"| {label} | {ms:.4f} |" if a.markdown else f"{label:<48}{ms:>9.4f}")
    finally:
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
