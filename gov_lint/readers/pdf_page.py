"""One PDF page through PDFium (pypdfium2): its glyphs with their boxes, and the straight rules it draws.

Coordinates are pdfplumber's: x from the left edge, `top`/`bottom` measured down
from the top of the page, in points.  Only PDFium calls happen here (each a
ctypes call into the library); what is made of the glyphs and rules is in
`pdf_layout.py`.

* A glyph is `(x0, x1, top, bottom, text, size)`: x from the glyph's ink (its
  tight box), top and bottom from the font's ascent and descent (its loose box:
  the same for every glyph of a line, as pdfminer's), `size` the font size
  on the page.  Characters PDFium adds itself (spaces and line ends it infers)
  are left out; glyphs set at a slant (a watermark across the page) too.  A
  glyph that PDFium measured with the stand-in font (`pdf_fonts`: a CJK font
  the file does not embed) takes x from its loose box, which is then its
  advance box, as pdfminer gives it: the stand-in's ink is not the glyph's.
* A rule is an axis-parallel straight segment of a path, as pdfminer gives them
  to pdfplumber (`("h", top, x0, x1)` or `("v", x, top, bottom)`): line
  segments and the sides of rectangles.  A filled, unstroked rectangle thicker
  than `BAR` points is the shading behind text, and its sides are not rules.
"""

from __future__ import annotations

import ctypes
import math
from typing import Any

from .pdf_fonts import is_stand_in

BAR = 2.5  # points: thicker filled rectangles are shading, not borders
_SLANT = 0.05  # a glyph whose matrix turns it by more than this (as a ratio) is slanted

Glyph = tuple[float, float, float, float, str, float]
Rule = tuple[str, float, float, float]


def glyphs(pdfium_c: Any, textpage: Any, height: float, stand_in: bool = False) -> list[Glyph]:
    """The page's glyphs in content order (see the module docstring).

    `stand_in`: the page has text in the stand-in font (`rules` says so); only
    then is each glyph's font looked up.
    """
    count = pdfium_c.FPDFText_CountChars(textpage)
    out: list[Glyph] = []
    if count <= 0:
        return out
    loose = pdfium_c.FS_RECTF()
    matrix = pdfium_c.FS_MATRIX()
    left, right, bottom, top = ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double()
    get_unicode = pdfium_c.FPDFText_GetUnicode
    is_generated = pdfium_c.FPDFText_IsGenerated
    get_loose = pdfium_c.FPDFText_GetLooseCharBox
    get_box = pdfium_c.FPDFText_GetCharBox
    get_matrix = pdfium_c.FPDFText_GetMatrix
    get_size = pdfium_c.FPDFText_GetFontSize
    text_object, font_of = pdfium_c.FPDFText_GetTextObject, pdfium_c.FPDFTextObj_GetFont
    fonts: dict[int, bool] = {}
    loose_ref, matrix_ref = ctypes.byref(loose), ctypes.byref(matrix)
    refs = ctypes.byref(left), ctypes.byref(right), ctypes.byref(bottom), ctypes.byref(top)
    for i in range(count):
        code = get_unicode(textpage, i)
        if code in (10, 13) or (code == 32 and is_generated(textpage, i) == 1):
            continue  # PDFium's own line ends and spaces (it generates no other character)
        get_matrix(textpage, i, matrix_ref)
        a, b, c, d = abs(matrix.a), abs(matrix.b), abs(matrix.c), abs(matrix.d)
        if b == 0.0 and c == 0.0:  # upright (nearly every glyph)
            scale = a if a > d else d
        else:
            scale = max(a, b, c, d, 1e-9)
            if min(a, b) / scale >= _SLANT or min(c, d) / scale >= _SLANT:
                continue  # set at a slant: upright glyphs and glyphs turned by a right angle stay
            scale = max(math.hypot(c, d), math.hypot(a, b))
        get_loose(textpage, i, loose_ref)
        if stand_in and is_stand_in(pdfium_c, font_of(text_object(textpage, i)), fonts):
            x0, x1 = loose.left, loose.right  # the stand-in's ink is not the glyph's: the advance box
        else:
            get_box(textpage, i, *refs)
            x0, x1 = left.value, right.value
            if x1 <= x0:  # a glyph without ink (a space): its loose box
                x0, x1 = loose.left, loose.right
        size = get_size(textpage, i) * scale
        out.append((x0, x1, height - loose.top, height - loose.bottom, chr(code) if code < 0x110000 else "\ufffd", size))
    return out


def rules(pdfium_c: Any, page: Any, height: float) -> tuple[list[Rule], bool, bool]:
    """The page's axis-parallel straight segments (form XObjects included), shading boxes left out.

    The first flag is False when the page has a text object PDFium could not
    measure (no width): PDFium leaves such an object's glyphs out of the page's
    text.  The second is True when some text object is in the stand-in font
    (`glyphs` then looks up each glyph's font).
    """
    out: list[Rule] = []
    n = pdfium_c.FPDFPage_CountObjects(page)
    fonts: dict[int, bool] = {}
    measured = _collect(pdfium_c, [pdfium_c.FPDFPage_GetObject(page, i) for i in range(n)],
                        (1.0, 0.0, 0.0, 1.0, 0.0, 0.0), height, out, 0, fonts)
    return out, measured, any(fonts.values())


_UNMEASURED = 0.01  # points: PDFium's text page skips a text object narrower than this


def _collect(pdfium_c: Any, objects: list[Any], outer: tuple[float, ...], height: float, out: list[Rule], depth: int,
             fonts: dict[int, bool]) -> bool:
    """Add the rules of `objects` to `out`; False when a text object is unmeasured; `fonts`: is_stand_in's answers."""
    matrix = pdfium_c.FS_MATRIX()
    measured = True
    left, bottom, right, top = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    for obj in objects:
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
            if pdfium_c.FPDFPageObj_GetBounds(obj, ctypes.byref(left), ctypes.byref(bottom), ctypes.byref(right),
                                              ctypes.byref(top)) and right.value - left.value < _UNMEASURED:
                measured = False
            is_stand_in(pdfium_c, pdfium_c.FPDFTextObj_GetFont(obj), fonts)
            continue
        if kind not in (pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_FORM):
            continue
        if not pdfium_c.FPDFPageObj_GetMatrix(obj, ctypes.byref(matrix)):
            continue
        m = _compose((matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f), outer)
        if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            if depth < 8:
                k = pdfium_c.FPDFFormObj_CountObjects(obj)
                measured &= _collect(pdfium_c, [pdfium_c.FPDFFormObj_GetObject(obj, i) for i in range(max(k, 0))], m,
                                     height, out, depth + 1, fonts)
            continue
        _path(pdfium_c, obj, m, height, out)
    return measured


def _compose(inner: tuple[float, ...], outer: tuple[float, ...]) -> tuple[float, ...]:
    """The matrix of `inner` followed by `outer` (PDF row-vector convention)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _path(pdfium_c: Any, obj: Any, m: tuple[float, ...], height: float, out: list[Rule]) -> None:
    """The straight axis-parallel segments of one path object, in page coordinates."""
    n = pdfium_c.FPDFPath_CountSegments(obj)
    if n <= 1:
        return
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    pdfium_c.FPDFPath_GetDrawMode(obj, ctypes.byref(fill), ctypes.byref(stroke))
    x, y = ctypes.c_float(), ctypes.c_float()
    a, b, c, d, e, f = m
    points: list[tuple[int, float, float, bool]] = []  # (segment type, x, y, closes)
    for i in range(n):
        seg = pdfium_c.FPDFPath_GetPathSegment(obj, i)
        pdfium_c.FPDFPathSegment_GetPoint(seg, ctypes.byref(x), ctypes.byref(y))
        px, py = x.value, y.value
        points.append((pdfium_c.FPDFPathSegment_GetType(seg), a * px + c * py + e, height - (b * px + d * py + f),
                       bool(pdfium_c.FPDFPathSegment_GetClose(seg))))
    segments: list[tuple[float, float, float, float]] = []
    start = prev = None
    bezier = pdfium_c.FPDF_SEGMENT_BEZIERTO
    for kind, px, py, closes in points:
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
            start = prev = (px, py)
            continue
        if prev is not None and kind != bezier:
            segments.append((prev[0], prev[1], px, py))
        prev = (px, py)  # (a curve's control points and end too: the next segment starts at its end)
        if closes and start is not None:
            if (px, py) != start:
                segments.append((px, py, start[0], start[1]))
            prev = start
    if not segments:
        return
    if fill.value and not stroke.value and _is_box(segments):
        xs = [v for s in segments for v in (s[0], s[2])]
        ys = [v for s in segments for v in (s[1], s[3])]
        if min(max(xs) - min(xs), max(ys) - min(ys)) > BAR:
            return  # shading behind text, not a border
    for x0, y0, x1, y1 in segments:
        if abs(y0 - y1) < 0.01:
            out.append(("h", y0, min(x0, x1), max(x0, x1)))
        elif abs(x0 - x1) < 0.01:
            out.append(("v", x0, min(y0, y1), max(y0, y1)))


def _is_box(segments: list[tuple[float, float, float, float]]) -> bool:
    """Four axis-parallel sides: a rectangle."""
    return len(segments) == 4 and all(abs(s[0] - s[2]) < 0.01 or abs(s[1] - s[3]) < 0.01 for s in segments)
