"""PDF → Document, with PDFium (pypdfium2, a dependency of the default install).

Page by page, in page order: the ruled tables (as Word and WPS export them) and
the text lines outside them, merged top to bottom.  `pdf_page.py` takes each
page's glyphs and rules from PDFium (CJK fonts the file does not embed are
measured with a stand-in font, `pdf_fonts.py`; a file with a glyph PDFium still
cannot measure is read by pdfplumber, `pdf_plumber.py`); `pdf_layout.py` finds the tables and lines
the way pdfplumber's defaults do (this reader used pdfplumber before; PDFium
reads the same pages about ten times faster).  A table row is one line, its cells joined by "\\t"; a merged
cell is written once, at its first position, and the positions it covers stay
empty strings; a cell's inner line breaks become spaces.  A bare page number
("— 5 —", "- 5 -", "第 5 页", "5/12") on the first or last line of a page is
left out so that a table broken across pages reads as one; a row that Word
broke across two pages (its label's tail alone at the top of the next page) is
joined again.  Slanted glyphs (a watermark) are not text of the report;
shading boxes behind text are not taken for table rules; the
letter-spacing of justified Chinese ("总 计", "2 6") is removed; in text lines,
gaps of 1.5 characters or more (columns of a table drawn without rules) become
"\t".

Source map: "第 N 页" with the line on that page (the n-th line this reader
emitted for the page), or "第 N 页 表格 T 第 R 行 第 C 格" for a cell.  `meta`
holds the document information: title, author, created, modified (dates as
YYYY-MM-DD).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import Any

from ..budget import spend
from ..model import Document, SourceMap
from . import pdf_fonts, pdf_page, pdf_plumber
from .errors import ReadError
from .grid import tab_line
from .pdf_layout import find_tables, is_table, lines, overlaps, table_rows
from .pdf_page import Glyph, Rule

_PAGE_NO = re.compile(
    r"^\s*(?:[-—–－_~·•\s]*\d{1,4}[-—–－_~·•\s]*|第\s*\d{1,4}\s*页(?:\s*[,，/、]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4})\s*$"
)
_PDF_DATE = re.compile(r"(?:D:)?(\d{4})(\d{2})?(\d{2})?")
_WS = re.compile(r"\s+")
# A space goes wherever glyphs are further apart than 3 pt (pdf_layout.lines); in
# justified or distributed Chinese text that happens between every character.
_CJK = "\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\u2018\u2019\u201c\u201d\u2014\u2026"
_CJK_GAP = re.compile(rf"(?<=[{_CJK}])[ \t\u3000]+(?=[{_CJK}])")
_DIGIT_GAP = re.compile(r"(?<=\d) +(?=\d)")
_NUMERIC = re.compile(r"^[+-]?\d[\d,]*(\.\d+)?\s*\S{0,2}$|^[-—–/]+$")
_CONTINUED = re.compile(r"^\s*(?:续表|续上表|[（(]\s*续\s*[）)]|表\s*\d+\s*[（(]?\s*续\s*[）)]?)\s*\S{0,12}$")
_NEW_LABEL = re.compile(
    r"^\s*(?:第[^条项]{1,6}[条项]|[一二三四五六七八九十]+\s*[、.．]|[（(]\s*[一二三四五六七八九十]+\s*[）)]|\d+\s*[.、．]|信息内容|合计|总计)"
)
_CJK_END = re.compile(rf"[{_CJK}]$")
_CJK_START = re.compile(rf"[{_CJK}]")
_CID = re.compile(r"\(cid:\d+\)")


def _pdf_date(value: Any) -> str | None:
    if isinstance(value, bytes):
        value = value.decode("latin-1", errors="replace")
    if not isinstance(value, str):
        return None
    m = _PDF_DATE.match(value.strip())
    if not m:
        return None
    y, mo, d = m.group(1), m.group(2) or "01", m.group(3) or "01"
    if not (1 <= int(mo) <= 12 and 1 <= int(d) <= 31):
        return None
    return f"{y}-{mo}-{d}"


def _meta_text(value: Any) -> str | None:
    if isinstance(value, bytes):
        for enc in ("utf-16", "utf-8", "latin-1"):
            try:
                value = value.decode(enc)
                break
            except UnicodeDecodeError:
                continue
    if not isinstance(value, str):
        return None
    value = value.strip().strip("\x00")
    return value or None


def _cell(text: Any) -> str:
    """A cell's text on one line, letter-spacing removed (justified cells: "总 计", "2 6")."""
    if not isinstance(text, str):
        return ""
    text = _CJK_GAP.sub("", _WS.sub(" ", text).strip())
    return _DIGIT_GAP.sub("", text)


def _line(text: str) -> str:
    """A text line with the spaces of justified CJK lines removed ("年 度 报 告")."""
    return _CJK_GAP.sub("", text.strip())


@dataclass
class _Row:
    cells: list[str | None]  # None: a position covered by a merged cell
    page: int
    table: int  # table number in the document (1-based), for the location text
    row: int  # row number within that table on its page (1-based)


@dataclass
class _Item:
    page: int
    text: str | None = None  # a text line …
    rows: list[_Row] | None = None  # … or a table
    continued: bool = False  # a table that carries on the previous page's table


def _is_number(text: str | None) -> bool:
    return bool(text) and _NUMERIC.match(text) is not None


def _join(a: str | None, b: str | None) -> str | None:
    if a is None and b is None:
        return None
    a, b = a or "", b or ""
    if not a or not b:
        return a or b
    if _CJK_END.search(a) and _CJK_START.match(b):
        return a + b
    return f"{a} {b}"


def _continue_row(prev: _Row, first: _Row, header: _Row) -> bool:
    """True when `first` (top of a page) is the rest of `prev` (bottom of the previous page).

    Word and WPS let a row break across pages: the last characters of its labels land
    in a row of their own on the next page.  Such a row holds no numbers, has text
    only in columns where the other half has text too, and does not start like a
    new label ("第二十条第（六）项", "（三）", "2.", "信息内容").  A repeated header row
    (the same as the table's first row) is not a continuation either.
    """
    if len(prev.cells) != len(first.cells) or first.cells == header.cells:
        return False
    if any(_is_number(c) for c in first.cells):
        return False
    if any(b and not a for a, b in zip(prev.cells, first.cells)):
        return False
    lead = next((c for c in first.cells if c), "")
    return not _NEW_LABEL.match(lead)


class _Writer:
    def __init__(self) -> None:
        self.items: list[_Item] = []
        self.tables = 0

    def page(self, found: list[tuple[float, int, Any]], number: int) -> None:
        """Add one page's tables and text lines: (top, 0, text) and (top, 1, rows of cell texts or None)."""
        found.sort(key=lambda it: (it[0], it[1]))
        # page numbers in the header or footer
        while found and found[-1][1] == 0 and _PAGE_NO.match(found[-1][2]):
            found.pop()
        while found and found[0][1] == 0 and _PAGE_NO.match(found[0][2]):
            found.pop(0)
        for i, (_top, kind, payload) in enumerate(found):
            if kind == 0:
                self.items.append(_Item(number, text=_line(payload)))
                continue
            self.tables += 1
            width = max(len(r) for r in payload)
            rows = [
                _Row([_cell(c) if c is not None else None for c in raw] + [""] * (width - len(raw)), number, self.tables, r)
                for r, raw in enumerate(payload, 1)
                if not all(c is None for c in raw)  # a row made only of merged continuations
            ]
            rows = [row for row in rows if any(row.cells)]  # rows without any text carry nothing
            if not rows:
                continue
            item = _Item(number, rows=rows)
            if all(kind == 0 and _CONTINUED.match(text) for _t, kind, text in found[:i]):
                self._carry_on(item)  # the page opens with this table (perhaps under "续表")
            self.items.append(item)

    def _carry_on(self, item: _Item) -> None:
        """Join a table that starts a page to the one that ended the previous page."""
        lead: list[_Item] = []
        while self.items and self.items[-1].page == item.page and self.items[-1].text is not None:
            lead.insert(0, self.items.pop())  # "续表" over the table: page furniture when it joins
        self._join(item)
        if not item.continued:
            self.items.extend(lead)

    def _join(self, item: _Item) -> None:
        prev = self.items[-1] if self.items else None
        if prev is None or prev.rows is None or prev.page != item.page - 1 or item.rows is None:
            return
        if len(prev.rows[-1].cells) != len(item.rows[0].cells):
            return
        item.continued = True
        last, first = prev.rows[-1], item.rows[0]
        if _continue_row(last, first, prev.rows[0]):
            last.cells = [_join(a, b) for a, b in zip(last.cells, first.cells)]
            del item.rows[0]

    def emit(self) -> tuple[list[str], SourceMap]:
        lines: list[str] = []
        smap = SourceMap()
        on_page: dict[int, int] = {}
        for item in self.items:
            if item.text is not None:
                n = on_page[item.page] = on_page.get(item.page, 0) + 1
                smap.add(len(lines) + 1, 1, n, 1, f"第 {item.page} 页")
                lines.append(item.text)
                continue
            assert item.rows is not None
            if not item.continued:
                if lines and lines[-1] != "":
                    lines.append("")
            elif lines and lines[-1] == "":
                lines.pop()
            for row in item.rows:
                n = on_page[row.page] = on_page.get(row.page, 0) + 1
                line_no = len(lines) + 1
                line, starts = tab_line({c: raw for c, raw in enumerate(row.cells) if raw is not None}, len(row.cells))
                for c, offset in starts.items():
                    ctx = f"第 {row.page} 页 表格 {row.table} 第 {row.row} 行 第 {c + 1} 格"
                    smap.add(line_no, offset + 1, n, 1, ctx)
                lines.append(line)
            lines.append("")
        return lines, smap


def _pdfium_page(glyphs: list[Glyph], rules: list[Rule]) -> list[tuple[float, int, Any]]:
    """One page's ruled tables and the text lines outside them (pdf_layout), as `_Writer.page` takes them."""
    found: list[tuple[float, int, Any]] = []  # (top, kind 0=text 1=table, payload)
    rest = glyphs
    for table in find_tables(rules):
        rows = table_rows(table, glyphs)
        if not is_table(rows):  # a framed box: its text is read with the text lines
            continue
        found.append((table.bbox[1], 1, rows))
        rest = [g for g in rest if not overlaps(g, table.bbox)]
    for top, text in lines(rest):
        if text.strip():
            found.append((top, 0, text))
    return found


def _pdfium_error(exc: Exception) -> ReadError:
    """What PDFium's failure to open the file says about it."""
    import pypdfium2.raw as pdfium_c

    code = getattr(exc, "err_code", None)
    if code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
        return ReadError(
            "PDF 已加密（需要密码），无法读取；请提供未加密的文件",
            "the PDF is encrypted (password protected) and cannot be read",
        )
    reason = {pdfium_c.FPDF_ERR_FORMAT: "not a PDF, or damaged", pdfium_c.FPDF_ERR_FILE: "cannot be opened"}.get(
        code, "damaged"
    )
    return ReadError(
        "PDF 文件已损坏，无法读取；请用 PDF 阅读器另存一份，或提供 Word、网页版本",
        f"the PDF file is damaged and cannot be read ({reason})",
    )


_PDFIUM = threading.Lock()  # PDFium is not thread-safe: one document at a time per process (gov-lint serve's pool)


def _pdfium_read(data: bytes) -> tuple[int, dict[str, str], list[tuple[list[Glyph], list[Rule]]] | None]:
    """(pages, meta, each page's glyphs and rules) from PDFium; None for the pages when a glyph is unmeasured."""
    try:
        import pypdfium2
        import pypdfium2.raw as pdfium_c
    except ImportError:
        raise ReadError(
            '读取 PDF 需要的组件 pypdfium2 没有装好，请重新安装 gov-lint：pip install --force-reinstall gov-lint',
            'reading PDF files needs pypdfium2, which is missing: reinstall gov-lint (pip install --force-reinstall gov-lint)',
        ) from None
    with _PDFIUM:
        pdf_fonts.install(pdfium_c)  # non-embedded CJK fonts measured with the stand-in (once per process)
        try:  # only PDFium's own failure to open the file is the file's fault
            pdf = pypdfium2.PdfDocument(data)
        except pypdfium2.PdfiumError as exc:
            raise _pdfium_error(exc) from None
        meta: dict[str, str] = {}
        try:
            pages = len(pdf)
            if pages == 0:
                raise ReadError(
                    "PDF 文件已损坏，无法读取；请用 PDF 阅读器另存一份，或提供 Word、网页版本",
                    "the PDF file is damaged and cannot be read (no pages)",
                )
            info = pdf.get_metadata_dict(skip_empty=True)
            for key, name in (("title", "Title"), ("author", "Author"), ("producer", "Producer")):
                v = _meta_text(info.get(name))
                if v:
                    meta[key] = v
            for key, name in (("created", "CreationDate"), ("modified", "ModDate")):
                d = _pdf_date(info.get(name))
                if d:
                    meta[key] = d
            out: list[tuple[list[Glyph], list[Rule]]] = []
            for number in range(pages):
                page = pdf[number]
                try:
                    height = page.get_height()
                    rules, measured, stand_in = pdf_page.rules(pdfium_c, page.raw, height)
                    if not measured:  # PDFium would leave glyphs out: pdfplumber reads the file
                        return pages, meta, None
                    textpage = page.get_textpage()
                    try:
                        glyphs = pdf_page.glyphs(pdfium_c, textpage.raw, height, stand_in)
                    finally:
                        textpage.close()
                finally:
                    page.close()
                out.append((glyphs, rules))
            return pages, meta, out
        finally:
            pdf.close()


def read_pdf(path: str, data: bytes) -> Document:
    """Read a PDF's text and ruled tables into a Document (see the module docstring)."""
    pages, meta, read = _pdfium_read(data)
    if read is None:
        found = pdf_plumber.pages(data)
    else:
        found = []
        for glyphs, rules in read:
            spend(len(glyphs) // 4 + 1)  # the page's layout works glyph by glyph (budget.py)
            found.append(_pdfium_page(glyphs, rules))
    writer = _Writer()
    for number, page_found in enumerate(found, 1):
        writer.page(page_found, number)
    lines, smap = writer.emit()
    while lines and lines[-1] == "":
        lines.pop()
    if not any(line.strip() for line in lines):
        raise ReadError(
            f"PDF 中没有可提取的文字（共 {pages} 页，可能是扫描图片）；请提供文字版 PDF、Word 或网页",
            f"no extractable text in the PDF ({pages} pages; probably scanned images)",
        )
    text = "\n".join(lines)
    cids = len(_CID.findall(text))
    if cids and cids * 8 > len(text) * 0.3:  # "(cid:1234)" is ~10 characters for one glyph
        raise ReadError(
            "PDF 的字体没有文字编码映射（提取出的是 (cid:…) 字形编号），无法读取文字；请提供 Word 或网页版本",
            "the PDF's fonts have no Unicode mapping (text comes out as (cid:…) glyph numbers)",
        )
    meta["pages"] = str(pages)
    return Document(path=path, text=text, format="pdf", encoding=None, source_map=smap, meta=meta)
