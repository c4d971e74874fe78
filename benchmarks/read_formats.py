"""Reading speed per input format: bytes → Document, files per second.

    .venv/bin/python benchmarks/read_formats.py            # 20 rounds
    .venv/bin/python benchmarks/read_formats.py -n 50 --seed 7
    .venv/bin/python benchmarks/read_formats.py --only html   # one format (and corpus 010.html)

The inputs are synthetic reports (gov_lint.synth, both templates) written as tab
text, markdown, HTML, DOCX and PDF, plus corpus 010.html when ../shared is
present.  Only the reader is timed (detection + decoding + layout + source map),
not parsing or rules.  PDF needs reportlab to make the files; it is skipped without it.

PDF: the synthetic files use a Chinese font that is not embedded (reportlab's
STSong-Light); without a Chinese font on the machine PDFium cannot measure its
glyphs and the reader sends such a file to pdfplumber (readers/pdf_plumber.py).
The line under the table says how many went that way; benchmarks/pdf_engines.py
times both paths.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

from gov_lint.readers import ReadError, read_bytes

KINDS = ("tab", "markdown", "html", "docx", "pdf")
SHARED = Path(__file__).resolve().parents[2] / "shared"


def inputs(seed: int, per_kind: int, kinds: tuple[str, ...] = KINDS) -> dict[str, list[tuple[str, bytes]]]:
    from gov_lint.synth.generate import generate
    from gov_lint.synth.writers import encode

    rng = random.Random(seed)
    reports = [generate(("2019", "2021")[i % 2], rng) for i in range(per_kind)]
    out: dict[str, list[tuple[str, bytes]]] = {}
    for kind in kinds:
        files = []
        for i, rep in enumerate(reports):
            try:
                data, suffix = encode(kind, rep)
            except ImportError as exc:  # reportlab missing
                print(f"  {kind}: skipped ({exc})", file=sys.stderr)
                break
            files.append((f"synth{i}{suffix}", data))
        if files:
            out[kind] = files
    corpus = SHARED / "corpus" / "010.html"
    if corpus.exists() and "html" in kinds:
        out["corpus-010.html"] = [(str(corpus), corpus.read_bytes())]
    return out


def bench(files: list[tuple[str, bytes]], rounds: int) -> tuple[float, float, float, int]:
    """(files/s by CPU time, files/s by wall clock, KB/s by CPU time, text characters of one pass).

    CPU time (time.process_time) is what one core spends; on a busy shared machine
    it is the steadier figure, the wall clock shows what a user waits.
    """
    chars = 0
    for path, data in files:  # warm-up (imports, caches) and sanity
        chars += len(read_bytes(path, data).text)
    cpu, wall = [], []
    for _ in range(rounds):
        c0, w0 = time.process_time(), time.perf_counter()
        for path, data in files:
            read_bytes(path, data)
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
    c, w = statistics.median(cpu) or 1e-9, statistics.median(wall) or 1e-9
    size = sum(len(d) for _, d in files)
    return len(files) / c, len(files) / w, size / 1024 / c, chars


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", "--rounds", type=int, default=20, help="timed passes over the files (median is shown)")
    ap.add_argument("--files", type=int, default=6, help="synthetic reports per format")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--only", choices=KINDS, action="append", help="measure only this format (repeatable)")
    args = ap.parse_args(argv)
    data = inputs(args.seed, args.files, tuple(args.only) if args.only else KINDS)
    print(f"{'format':<16}{'files':>6}{'avg KB':>9}{'files/s':>11}{'(wall)':>10}{'KB/s':>10}{'chars':>9}")
    for kind, files in data.items():
        try:
            rounds = args.rounds if kind != "pdf" else max(1, args.rounds // 10)
            fps, wall_fps, kbs, chars = bench(files, rounds)
        except ReadError as exc:
            print(f"{kind:<16} cannot read: {exc.zh}")
            continue
        avg = sum(len(d) for _, d in files) / len(files) / 1024
        print(f"{kind:<16}{len(files):>6}{avg:>9.1f}{fps:>11.1f}{wall_fps:>10.1f}{kbs:>10.0f}{chars // len(files):>9}")
    if "pdf" in data:
        from pdf_engines import unmeasured

        slow = sum(unmeasured(d) for _, d in data["pdf"])
        print(f"pdf: {slow} of {len(data['pdf'])} files read by pdfplumber (glyphs PDFium cannot measure: "
              "benchmarks/pdf_engines.py times both paths)")
    print("files/s and KB/s: one core's CPU time (median of the rounds); (wall): elapsed time")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
