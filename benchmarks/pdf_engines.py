"""PDF text engines side by side: what gov-lint's reader costs, and what pypdfium2 would.

    .venv/bin/python benchmarks/pdf_engines.py [--files 6] [--rounds 3]

On synthetic report PDFs (gov_lint.synth, ruled tables as Word exports them):

    reader (pdfplumber)     gov_lint.readers.pdf.read_pdf: tables found by their rules + text lines
    pdfplumber text only    pdfplumber's extract_text per page (layout analysis, no table finder)
    pdfplumber open+chars   pdfplumber parsing each page's characters (pdfminer), nothing else
    pypdfium2 text          PDFium's text of each page (no layout analysis, no tables)

Files per second by CPU time (median of the rounds).  pypdfium2 is optional here
(pip install pypdfium2); a missing engine is reported, not an error.
"""

from __future__ import annotations

import argparse
import io
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _pdfs(n: int, seed: int) -> list[bytes]:
    from gov_lint.synth.generate import generate
    from gov_lint.synth.writers import encode

    rng = random.Random(seed)
    return [encode("pdf", generate(("2019", "2021")[i % 2], rng))[0] for i in range(n)]


def reader(data: bytes) -> int:
    from gov_lint.readers.pdf import read_pdf

    return len(read_pdf("x.pdf", data).text)


def plumber_text(data: bytes) -> int:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return sum(len(p.extract_text() or "") for p in pdf.pages)


def plumber_chars(data: bytes) -> int:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return sum(len(p.chars) for p in pdf.pages)


def pdfium_text(data: bytes) -> int:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    try:
        n = 0
        for page in doc:
            tp = page.get_textpage()
            n += len(tp.get_text_range())
            tp.close()
            page.close()
        return n
    finally:
        doc.close()


ENGINES = [("reader (pdfplumber)", reader), ("pdfplumber text only", plumber_text),
           ("pdfplumber open+chars", plumber_chars), ("pypdfium2 text", pdfium_text)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=6)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args(argv)
    try:
        files = _pdfs(args.files, 1)
    except ImportError as exc:
        print(f"cannot make PDFs: {exc}")
        return 0
    print(f"{len(files)} synthetic PDFs, {sum(map(len, files)) / len(files) / 1024:.1f} KB each")
    print(f"{'engine':<24}{'files/s (CPU)':>14}{'chars':>8}")
    for name, fn in ENGINES:
        try:
            chars = fn(files[0])
        except ImportError:
            print(f"{name:<24}{'not installed':>14}")
            continue
        times = []
        for _ in range(args.rounds):
            c0 = time.process_time()
            for data in files:
                fn(data)
            times.append(time.process_time() - c0)
        print(f"{name:<24}{len(files) / (statistics.median(times) or 1e-9):>14.1f}{chars:>8}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
