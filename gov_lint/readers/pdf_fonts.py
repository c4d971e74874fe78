"""A stand-in font for the Chinese, Japanese and Korean fonts a PDF names but does not embed.

PDFium measures a glyph of a font that is not in the file with a font of this
computer.  Without a Chinese font on the machine it finds no glyph, the glyph
has no size, and PDFium leaves a text object made of one such glyph out of the
page's text ("持" alone on the second line of a cell): the reader had to send
the whole file to pdfplumber, about six times slower.

`install` gives PDFium, once per process, a font source (FPDF_SYSFONTINFO) that
answers every request for a CJK font (PDFium asks by character set) with
`pdf_stand_in.ttf` (built by scripts/make_pdf_stand_in_font.py): one small
square on the baseline for every character.  The text still comes from the
PDF's own encoding and the advance widths from its width table; the square only
gives each glyph a size.
Other requests go to PDFium's own font source, as before.  Every machine now
measures these fonts the same way, whether or not it has Chinese fonts.  The
font source is PDFium's, so it holds for the whole process: a program that
imports gov-lint and also renders PDFs with pypdfium2 would draw these fonts'
glyphs as the small square (gov-lint itself only reads text).

A glyph measured with the stand-in has the square as its ink, which is not the
real glyph's: `pdf_page.glyphs` takes PDFium's loose box for those glyphs, which
is then the advance box (the square lies inside it), as pdfminer gives it.
"""

from __future__ import annotations

import ctypes
from pathlib import Path
from typing import Any

FAMILY = b"GovLintStandIn"  # the stand-in's family name (scripts/make_pdf_stand_in_font.py)
_FONT = Path(__file__).with_name("pdf_stand_in.ttf")

_installed: list[Any] = []  # the struct, its callbacks and buffers: alive as long as PDFium may call them


def install(pdfium_c: Any) -> None:
    """Make PDFium measure non-embedded CJK fonts with the stand-in (once per process; call under the PDFium lock)."""
    if _installed:
        return
    data = _FONT.read_bytes()
    cjk = {
        pdfium_c.FXFONT_GB2312_CHARSET,
        pdfium_c.FXFONT_CHINESEBIG5_CHARSET,
        pdfium_c.FXFONT_SHIFTJIS_CHARSET,
        pdfium_c.FXFONT_HANGEUL_CHARSET,
    }
    system_ptr = pdfium_c.FPDF_GetDefaultSystemFontInfo()
    system = system_ptr.contents if system_ptr else None
    handle_buf = ctypes.create_string_buffer(1)
    handle = ctypes.cast(handle_buf, ctypes.c_void_p).value  # our font's handle: an address no other font has

    def map_font(_this: Any, weight: int, italic: int, charset: int, pitch: int, face: Any, exact: Any) -> Any:
        if charset in cjk:
            return handle
        return system.MapFont(system_ptr, weight, italic, charset, pitch, face, exact) if system else None

    def get_font(_this: Any, face: Any) -> Any:
        return system.GetFont(system_ptr, face) if system else None

    def enum_fonts(_this: Any, mapper: Any) -> None:
        if system and system.EnumFonts:
            system.EnumFonts(system_ptr, mapper)

    def font_data(_this: Any, font: Any, table: int, buffer: Any, size: int) -> int:
        if font != handle:
            return system.GetFontData(system_ptr, font, table, buffer, size) if system else 0
        if table != 0:  # PDFium asks for the whole file (table 0); a single table is not offered
            return 0
        if buffer and size >= len(data):
            ctypes.memmove(buffer, data, len(data))
        return len(data)

    def face_name(_this: Any, font: Any, buffer: Any, size: int) -> int:
        if font != handle:
            return system.GetFaceName(system_ptr, font, buffer, size) if system else 0
        name = FAMILY + b"\0"
        if buffer and size >= len(name):
            ctypes.memmove(buffer, name, len(name))
        return len(name)

    def charset(_this: Any, font: Any) -> int:
        if font != handle:
            return system.GetFontCharset(system_ptr, font) if system else 0
        return pdfium_c.FXFONT_GB2312_CHARSET

    def delete_font(_this: Any, font: Any) -> None:
        if font != handle and system:
            system.DeleteFont(system_ptr, font)

    info = pdfium_c.FPDF_SYSFONTINFO()
    info.version = 1
    kinds = dict(pdfium_c.FPDF_SYSFONTINFO._fields_)
    # Release stays NULL: the default source lives as long as the process
    for name, fn in (("EnumFonts", enum_fonts), ("MapFont", map_font), ("GetFont", get_font),
                     ("GetFontData", font_data), ("GetFaceName", face_name), ("GetFontCharset", charset),
                     ("DeleteFont", delete_font)):
        setattr(info, name, kinds[name](fn))
    _installed.extend([info, handle_buf, system_ptr, data])
    pdfium_c.FPDF_SetSystemFontInfo(ctypes.byref(info))


def is_stand_in(pdfium_c: Any, font: Any, names: dict[int, bool]) -> bool:
    """True when PDFium measures `font` (an FPDF_FONT) with the stand-in; `names` caches the answer per font."""
    if not font:
        return False
    key = ctypes.addressof(font.contents)
    known = names.get(key)
    if known is None:
        known = False
        if not pdfium_c.FPDFFont_GetIsEmbedded(font):
            buf = ctypes.create_string_buffer(len(FAMILY) + 2)
            n = pdfium_c.FPDFFont_GetFamilyName(font, buf, len(buf))
            known = 0 < n <= len(buf) and buf.value == FAMILY
        names[key] = known
    return known
