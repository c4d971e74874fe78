"""`--executor dask` on a LocalCluster: scaling from 1 to N workers and peak memory on big archives.

    .venv/bin/python benchmarks/bench_dask.py --reports 2000 --workers 1
    .venv/bin/python benchmarks/bench_dask.py --reports 2000 --workers 2
    .venv/bin/python benchmarks/bench_dask.py --reports 2000 --local 2     # the local process pool, for comparison
    .venv/bin/python benchmarks/bench_dask.py --reports 100000 --workers 2 --archive /tmp/a100k

One configuration per invocation, so the peak resident memory printed
(`ru_maxrss` of this client process) belongs to that run alone.  The archive
(bench_archive.generate_archive: five years per body, one report in ten with a
wrong number) is generated in a child process the first time and kept when
`--archive` is given.  No result cache; output is JSON lines, hashed (equal
hashes: identical output).  Cluster start-up is timed separately.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def ensure_archive(folder: Path, n: int) -> list[str]:
    files = sorted(str(p) for p in folder.rglob("*.txt")) if folder.is_dir() else []
    if len(files) != n:
        t0 = time.perf_counter()
        shutil.rmtree(folder, ignore_errors=True)
        code = (f"import sys; sys.path.insert(0, {str(HERE)!r}); from bench_archive import generate_archive; "
                f"from pathlib import Path; generate_archive(Path({str(folder)!r}), {n})")
        subprocess.run([sys.executable, "-c", code], check=True)
        files = sorted(str(p) for p in folder.rglob("*.txt"))
        print(f"archive of {n} reports generated in {time.perf_counter() - t0:.0f} s")
    return files


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=2000)
    ap.add_argument("--workers", type=int, default=2, help="LocalCluster workers (one thread each)")
    ap.add_argument("--local", type=int, default=0, metavar="JOBS", help="use the local process pool with JOBS instead")
    ap.add_argument("--archive", type=Path, help="where the archive is (generated if missing; kept)")
    ap.add_argument("--no-crossyear", action="store_true", help="leave the Y rules out (no facts kept per report)")
    args = ap.parse_args(argv)

    tmp = None
    folder = args.archive
    if folder is None:
        tmp = Path(tempfile.mkdtemp(prefix="gov-lint-dask-bench-"))
        folder = tmp / "archive"
    try:
        files = ensure_archive(folder, args.reports)
        from gov_lint.check import CheckOptions
        from gov_lint.output import FORMATS, RenderOptions, Summary
        from gov_lint.rules.registry import all_rules
        from gov_lint.runner import Run, WorkerSpec

        rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        spec = WorkerSpec(check=CheckOptions(), cache_dir=None)
        client = cluster = None
        start = 0.0
        executor = None
        if not args.local:


            from gov_lint.dask_executor import DaskExecutor, local_client

            t0 = time.perf_counter()
            client, cluster = local_client(args.workers, silence_logs=50)
            client.run(lambda: __import__("gov_lint._warm"))  # every worker builds the parser once, untimed
            start = time.perf_counter() - t0
            executor = DaskExecutor(client=client)
        out = io.StringIO()
        digest = hashlib.sha256()
        renderer = FORMATS["json-lines"](out, RenderOptions(rules=all_rules()))
        summary = Summary()
        t0 = time.perf_counter()
        c0 = time.process_time()
        run = Run(files, spec, jobs=args.local or 1, executor=executor, crossyear=not args.no_crossyear)
        for result in run:
            renderer.file(result)
            summary.add(result)
            digest.update(out.getvalue().encode())
            out.seek(0)
            out.truncate()
        renderer.finish(summary)
        wall = time.perf_counter() - t0
        client_cpu = time.process_time() - c0
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if client is not None:
            client.close()
            cluster.close()
        t1 = time.perf_counter()
        for f in files:  # the floor: a plain read and split of the same files
            for line in Path(f).read_bytes().decode("utf-8").split("\n"):
                line.split("\t")
        floor = time.perf_counter() - t1
        how = f"local --jobs {args.local}" if args.local else f"dask LocalCluster, {args.workers} worker(s)"
        cy = ", no Y rules" if args.no_crossyear else ""
        print(f"{how}{cy}: {len(files)} reports in {wall:.1f} s = {len(files) / wall:,.0f} reports/s"
              f"{f' (cluster start {start:.1f} s, not included)' if start else ''}; "
              f"{wall / floor:.0f}× read+split ({floor:.2f} s); "
              f"client CPU {1000 * client_cpu / len(files):.2f} ms/report{' (scheduler included)' if client else ''}; "
              f"client peak RSS {rss:.0f} MB (after imports {rss0:.0f} MB); output sha256 {digest.hexdigest()[:12]}")
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
