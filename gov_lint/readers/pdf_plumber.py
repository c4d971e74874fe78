"""The PDF reader's second engine: pdfplumber, for the files PDFium cannot measure.

PDFium (pdf.py) leaves out the glyphs of a text object it cannot measure: a
font that is not embedded in the file, whose glyphs no font on this computer
has, in a text object of a single glyph.  For Chinese, Japanese and Korean fonts
that no longer happens: PDFium measures them with the reader's stand-in font
(`pdf_fonts.py`; reportlab's STSong-Light and the examples' PDFs are read by
PDFium now).  For any other font it still can (a symbol font left out of the
file, say): `pdf_page.rules` then reports a text object of no width, and the
whole document is read here instead, as gov-lint read every PDF before PDFium:
pdfplumber's table finder and text lines (pdfminer's glyphs), which
`pdf_layout` follows.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from .errors import ReadError
from .pdf_layout import is_table

_PACKAGE = Path(__file__).resolve().parents[1]  # gov_lint/
_COLUMN_GAP = 1.5  # in character sizes
_BAR = 2.5  # points: thicker filled rectangles are shading, not borders


def _not_slanted(obj: dict[str, Any]) -> bool:
    """Drop glyphs set at a slant: a watermark ("内部资料" across the page) is not text of the report.

    Upright glyphs and glyphs turned by a right angle (vertical text in a narrow
    table column) are kept.
    """
    if obj.get("object_type") != "char":
        return True
    m = obj.get("matrix")
    if not m or len(m) < 4:
        return True
    a, b, c, d = (abs(float(x)) for x in m[:4])
    scale = max(a, b, c, d, 1e-9)
    return min(a, b) / scale < 0.05 and min(c, d) / scale < 0.05


def _ruling(obj: dict[str, Any]) -> bool:
    """Objects the table finder may use: not the filled boxes behind text (page or span shading).

    Word and WPS draw cell borders as stroked lines or as thin filled bars; a filled,
    unstroked rectangle thicker than that is a background, and its edges are not rules.
    """
    if obj.get("object_type") != "rect" or obj.get("stroke"):
        return True
    return min(float(obj.get("width", 0)), float(obj.get("height", 0))) <= _BAR


def _line_text(text: str, chars: list[dict[str, Any]]) -> str:
    """pdfplumber's text of a line with its wide gaps turned into "\t".

    A table drawn without rules still sets its columns far apart (at least about
    1.5 characters): the word gaps that wide become tabs, which gives the same cell
    layout as a ruled table (the blank cells of such a table cannot be seen, though).
    pdfplumber puts one space where glyphs are apart; walking the text and the
    line's glyphs together finds the gap behind each of those spaces.
    """
    if " " not in text or not chars:
        return text
    out: list[str] = []
    i = 0  # next glyph
    pos = 0
    while pos < len(text):
        glyph = chars[i]["text"] if i < len(chars) else None
        if glyph and text.startswith(glyph, pos):
            out.append(glyph)
            pos += len(glyph)
            i += 1
            continue
        if text[pos] != " " or i == 0 or i >= len(chars):
            return text  # the two do not line up: keep pdfplumber's text
        prev, nxt = chars[i - 1], chars[i]
        size = max(float(prev.get("size") or 0), float(nxt.get("size") or 0), 1.0)
        out.append("\t" if nxt["x0"] - prev["x1"] >= _COLUMN_GAP * size else " ")
        pos += 1
    return "".join(out)


def _page(page: Any) -> list[tuple[float, int, Any]]:
    """One page's tables and text lines, as `pdf._Writer.page` takes them."""
    found: list[tuple[float, int, Any]] = []  # (top, kind 0=text 1=table, payload)
    page = page.filter(_not_slanted)
    rest = page
    for table in page.filter(_ruling).find_tables():
        rows = table.extract()
        if not is_table(rows):  # a framed box: its text is read with the text lines
            continue
        found.append((table.bbox[1], 1, rows))
        rest = rest.outside_bbox(table.bbox, strict=False)  # a table may reach past the page edge (harden)
    for line in rest.extract_text_lines(return_chars=True):
        text = _line_text(line.get("text", ""), line.get("chars") or [])
        if text.strip():
            found.append((line["top"], 0, text))
    return found


def pages(data: bytes) -> list[list[tuple[float, int, Any]]]:
    """Every page's tables and text lines; ReadError for a file pdfplumber cannot read."""
    try:
        import pdfplumber
    except ImportError:
        raise ReadError(
            '读取这个 PDF 需要的组件 pdfplumber 没有装好，请重新安装 gov-lint：pip install --force-reinstall gov-lint',
            'reading this PDF needs pdfplumber, which is missing: reinstall gov-lint (pip install --force-reinstall gov-lint)',
        ) from None
    out: list[list[tuple[float, int, Any]]] = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                out.append(_page(page))
                page.close()
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many kinds on damaged files ...
        if _raised_in_gov_lint(exc):
            raise  # ... but an exception raised in our own code is a bug (P902), not a damaged file
        # pdfplumber wraps pdfminer's errors: look at the wrapped ones too
        causes = [exc, *(a for a in exc.args if isinstance(a, BaseException))]
        if exc.__cause__ is not None:
            causes.append(exc.__cause__)
        if exc.__context__ is not None:
            causes.append(exc.__context__)
        names = " ".join(type(e).__name__ for e in causes)
        name = type(causes[1] if len(causes) > 1 else exc).__name__
        if "Password" in names or "Encrypt" in names or "encrypt" in str(exc).lower():
            raise ReadError(
                "PDF 已加密（需要密码），无法读取；请提供未加密的文件",
                "the PDF is encrypted (password protected) and cannot be read",
            ) from None
        raise ReadError(
            "PDF 文件已损坏，无法读取；请用 PDF 阅读器另存一份，或提供 Word、网页版本",
            f"the PDF file is damaged and cannot be read ({name}: {exc})",
        ) from None
    return out


def _raised_in_gov_lint(exc: BaseException) -> bool:
    """True when the innermost frame of the exception's traceback is gov-lint's own code."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    if tb is None:
        return False
    return Path(tb.tb_frame.f_code.co_filename).resolve().is_relative_to(_PACKAGE)


