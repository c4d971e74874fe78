"""PDF engines side by side: what gov-lint's reader costs on each of its two paths, and the bare engines.

    .venv/bin/python benchmarks/pdf_engines.py [--files 6] [--rounds 3]

On synthetic report PDFs (gov_lint.synth, ruled tables as Word exports them), then on
the examples' PDFs (examples/*/*.pdf):

    reader                  gov_lint.readers.pdf.read_pdf as shipped: PDFium, or pdfplumber for a file
                            with a glyph PDFium cannot measure (see the line "read by pdfplumber")
    reader, PDFium path     the same reader with that check off: PDFium glyphs and rules, the tables
                            and lines of readers/pdf_layout.py
    reader, pdfplumber path readers/pdf_plumber.py: pdfplumber's table finder and text lines (the reader
                            before PDFium; still the path for unmeasured glyphs)
    pdfplumber open+chars   pdfplumber parsing each page's characters (pdfminer), nothing else
    pypdfium2 text          PDFium's text of each page (no glyph boxes, no tables)

All these PDFs use reportlab's STSong-Light, a Chinese font that is not embedded.
PDFium measures its glyphs with the reader's stand-in font (readers/pdf_fonts.py),
so they are read on the PDFium path whether or not the machine has a Chinese font
(before the stand-in, a machine without one sent them all to pdfplumber).  Files
per second by CPU time (median of the rounds).
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


def reader_pdfium(data: bytes) -> int:
    from gov_lint.readers import pdf_page
    from gov_lint.readers.pdf import read_pdf

    real = pdf_page.rules
    def measured(*args):  # every text object taken as measured
        rules, _measured, stand_in = real(*args)
        return rules, True, stand_in

    pdf_page.rules = measured
    try:
        return len(read_pdf("x.pdf", data).text)
    finally:
        pdf_page.rules = real


def reader_plumber(data: bytes) -> int:
    from gov_lint.readers import pdf_plumber
    from gov_lint.readers.pdf import _Writer

    writer = _Writer()
    for number, found in enumerate(pdf_plumber.pages(data), 1):
        writer.page(found, number)
    return len("\n".join(writer.emit()[0]))


def unmeasured(data: bytes) -> bool:
    """True when the shipped reader sends the file to pdfplumber."""
    import pypdfium2
    import pypdfium2.raw as pdfium_c

    from gov_lint.readers import pdf_fonts, pdf_page

    pdf_fonts.install(pdfium_c)  # as the reader does: non-embedded CJK fonts measured with the stand-in
    pdf = pypdfium2.PdfDocument(data)
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            try:
                if not pdf_page.rules(pdfium_c, page.raw, page.get_height())[1]:
                    return True
            finally:
                page.close()
        return False
    finally:
        pdf.close()


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


ENGINES = [("reader", reader), ("reader, PDFium path", reader_pdfium), ("reader, pdfplumber path", reader_plumber),
           ("pdfplumber open+chars", plumber_chars), ("pypdfium2 text", pdfium_text)]


EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _table(files: list[bytes], engines: list, rounds: int) -> None:
    """One line per engine: files per second by CPU time (median of the rounds), characters of the first file."""
    print(f"{'engine':<26}{'files/s (CPU)':>14}{'chars':>8}")
    for name, fn in engines:
        try:
            chars = fn(files[0])
        except ImportError:
            print(f"{name:<26}{'not installed':>14}")
            continue
        times = []
        for _ in range(rounds):
            c0 = time.process_time()
            for data in files:
                fn(data)
            times.append(time.process_time() - c0)
        print(f"{name:<26}{len(files) / (statistics.median(times) or 1e-9):>14.1f}{chars:>8}")


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
    print(f"{len(files)} synthetic PDFs, {sum(map(len, files)) / len(files) / 1024:.1f} KB each; "
          f"read by pdfplumber (a glyph PDFium cannot measure): {sum(map(unmeasured, files))}")
    _table(files, ENGINES, args.rounds)
    examples = [p.read_bytes() for p in sorted(EXAMPLES.glob("*/*.pdf"))]
    if examples:
        print()
        print(f"{len(examples)} PDFs of examples/, {sum(map(len, examples)) / len(examples) / 1024:.1f} KB each; "
              f"read by pdfplumber: {sum(map(unmeasured, examples))}")
        _table(examples, ENGINES[:3], args.rounds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
