"""PDF → Document, with pdfplumber (the optional extra `gov-lint[pdf]`).

Page by page, in page order: the tables pdfplumber's table finder sees (ruled
tables, as Word and WPS export them) and the text lines outside them, merged
top to bottom.  A table row is one line, its cells joined by "\\t"; a merged
cell is written once, at its first position, and the positions it covers stay
empty strings; a cell's inner line breaks become spaces.  A bare page number
("— 5 —", "- 5 -", "第 5 页", "5/12") on the first or last line of a page is
left out so that a table broken across pages reads as one.

Source map: "第 N 页" with the line on that page (the n-th line this reader
emitted for the page), or "第 N 页 表格 T 第 R 行 第 C 格" for a cell.  `meta`
holds the document information: title, author, created, modified (dates as
YYYY-MM-DD).
"""

from __future__ import annotations

import io
import re
from typing import Any

from ..model import Document, SourceMap
from .errors import ReadError

_PAGE_NO = re.compile(
    r"^\s*(?:[-—–－_~·•\s]*\d{1,4}[-—–－_~·•\s]*|第\s*\d{1,4}\s*页(?:\s*[,，/、]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4})\s*$"
)
_PDF_DATE = re.compile(r"(?:D:)?(\d{4})(\d{2})?(\d{2})?")
_WS = re.compile(r"\s+")
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
    return _WS.sub(" ", text).strip() if isinstance(text, str) else ""


class _Writer:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.smap = SourceMap()
        self.tables = 0

    def page(self, page: Any, number: int) -> bool:
        """Emit one page; True if it had any text."""
        items: list[tuple[float, int, Any]] = []  # (top, kind 0=text 1=table, payload)
        rest = page
        for table in page.find_tables():
            rows = table.extract()
            if not rows:
                continue
            width = max(len(r) for r in rows)
            if width <= 1:  # a framed box, not a table: leave its text to the text lines
                continue
            items.append((table.bbox[1], 1, rows))
            rest = rest.outside_bbox(table.bbox)
        for line in rest.extract_text_lines(return_chars=False):
            text = line.get("text", "")
            if text.strip():
                items.append((line["top"], 0, text))
        items.sort(key=lambda it: (it[0], it[1]))
        # page numbers in the header or footer
        while items and items[-1][1] == 0 and _PAGE_NO.match(items[-1][2]):
            items.pop()
        while items and items[0][1] == 0 and _PAGE_NO.match(items[0][2]):
            items.pop(0)
        if not items:
            return False
        on_page = 0
        ctx_page = f"第 {number} 页"
        had_text = False
        for _top, kind, payload in items:
            if kind == 0:
                text = payload.strip()
                on_page += 1
                self.smap.add(len(self.lines) + 1, 1, on_page, 1, ctx_page)
                self.lines.append(text)
                had_text = True
                continue
            self.tables += 1
            if self.lines and self.lines[-1] != "":
                self.lines.append("")
            for r, row in enumerate(payload, 1):
                cells = [_cell(c) for c in row]
                if all(c is None for c in row):
                    continue  # a row made only of merged continuations
                on_page += 1
                line_no = len(self.lines) + 1
                offset = 0
                for c, (raw, text) in enumerate(zip(row, cells)):
                    if raw is not None:
                        self.smap.add(line_no, offset + 1, on_page, 1, f"{ctx_page} 表格 {self.tables} 第 {r} 行 第 {c + 1} 格")
                    offset += len(text) + 1
                self.lines.append("\t".join(cells))
                had_text = had_text or any(cells)
            self.lines.append("")
        return had_text


def read_pdf(path: str, data: bytes) -> Document:
    """Read a PDF's text and ruled tables into a Document (see the module docstring)."""
    try:
        import pdfplumber
    except ImportError:
        raise ReadError(
            '读取 PDF 需要安装可选组件：pip install "gov-lint[pdf]"',
            'reading PDF files needs the optional extra: pip install "gov-lint[pdf]"',
        ) from None
    writer = _Writer()
    meta: dict[str, str] = {}
    pages = 0
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            info = pdf.metadata or {}
            for key, name in (("title", "Title"), ("author", "Author"), ("producer", "Producer")):
                v = _meta_text(info.get(name))
                if v:
                    meta[key] = v
            for key, name in (("created", "CreationDate"), ("modified", "ModDate")):
                d = _pdf_date(info.get(name))
                if d:
                    meta[key] = d
            for number, page in enumerate(pdf.pages, 1):
                pages = number
                writer.page(page, number)
                page.close()
    except ReadError:
        raise
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many kinds on damaged files
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
            f"PDF 文件已损坏，无法读取（{name}）",
            f"the PDF file is damaged and cannot be read ({name}: {exc})",
        ) from None
    lines = writer.lines
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
    return Document(path=path, text=text, format="pdf", encoding=None, source_map=writer.smap, meta=meta)
