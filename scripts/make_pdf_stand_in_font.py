"""Build gov_lint/readers/pdf_stand_in.ttf, the font PDFium measures non-embedded CJK fonts with.

    .venv/bin/pip install fonttools && .venv/bin/python scripts/make_pdf_stand_in_font.py

A PDF may name a Chinese font without embedding it (reportlab's STSong-Light, a
"宋体" left out by the exporting program).  PDFium then measures each glyph with a
font of this computer; without a Chinese font it finds no glyph, the glyph has no
size, and PDFium leaves a text object of one such glyph out of the page's text.
readers/pdf_fonts.py hands PDFium this font for those fonts instead: one glyph,
a small square on the baseline (a tenth of an em), for every character (a
format-13 cmap: one range, one glyph), so every glyph has a size.  The text
comes from the PDF's own encoding, the advance widths from the PDF's width
table; the square only says "there is a glyph here".  It is small so that it
lies inside every glyph's advance box: PDFium's loose box of a glyph (the
advance box, grown to cover the ink) is then the advance box itself.

The output is the same bytes every time (fixed timestamps): rebuilding leaves git clean
unless fontTools itself writes the tables differently.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib.tables._c_m_a_p import CmapSubtable

OUT = Path(__file__).resolve().parents[1] / "gov_lint" / "readers" / "pdf_stand_in.ttf"
FAMILY = "GovLintStandIn"  # readers/pdf_fonts.py knows the font by this name
EM, ASCENT, DESCENT = 1000, 880, -120
SQUARE = 100  # the glyph: a square of this side on the baseline at the origin (font units)
TIMESTAMP = 0  # head.created and head.modified: fixed, for the same bytes on every build


def build() -> bytes:
    """The font file's bytes."""
    fb = FontBuilder(EM, isTTF=True)
    fb.font.recalcTimestamp = False
    fb.setupGlyphOrder([".notdef", "box"])
    fb.setupCharacterMap({})
    pen = TTGlyphPen(None)
    pen.moveTo((0, 0))
    pen.lineTo((0, SQUARE))
    pen.lineTo((SQUARE, SQUARE))
    pen.lineTo((SQUARE, 0))
    pen.closePath()
    fb.setupGlyf({".notdef": TTGlyphPen(None).glyph(), "box": pen.glyph()})
    fb.setupHorizontalMetrics({".notdef": (EM, 0), "box": (EM, 0)})  # advances: PDFium takes the PDF's own
    fb.setupHorizontalHeader(ascent=ASCENT, descent=DESCENT)
    fb.setupNameTable({"familyName": FAMILY, "styleName": "Regular"})
    fb.setupOS2(sTypoAscender=ASCENT, sTypoDescender=DESCENT, usWinAscent=ASCENT, usWinDescent=-DESCENT)
    fb.setupPost()
    head = fb.font["head"]
    head.created = head.modified = TIMESTAMP
    # every character but the controls and the surrogate halves → the box, as one many-to-one range
    table = CmapSubtable.newSubtable(13)
    table.platformID, table.platEncID, table.language = 3, 10, 0
    table.cmap = {cp: "box" for cp in range(0x20, 0x110000) if not 0xD800 <= cp < 0xE000}
    fb.font["cmap"].tables = [table]
    buf = io.BytesIO()
    fb.font.save(buf)
    return buf.getvalue()


def main() -> int:
    OUT.write_bytes(build())
    print(f"{OUT} ({OUT.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
