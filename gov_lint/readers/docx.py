"""DOCX (Word 2007+) → Document, with python-docx.

The body is read in order, paragraphs and tables as they appear (content
controls `w:sdt` are looked into):

* a paragraph is a line (a manual line break `w:br` starts another line; runs
  of tab characters become one "\\t", so a tab-aligned pseudo-table still reads
  as cells);
* a table row is one line, its cells joined by "\\t" on the table grid:
  `gridSpan` (merged across) and `vMerge` (merged down) cells are written once,
  at their first position, and the positions they cover stay empty strings;
  `gridBefore`/`gridAfter` leave empty positions too; the paragraphs inside a
  cell are joined with a space; a row without any text is left out, and a
  hairline grid column (narrower than 90 twips, left by misaligned borders) is
  dropped;
* a table that holds other tables is a layout table: its cells are read as
  ordinary paragraphs and its inner tables as tables;
* tracked deletions, field codes and text boxes are not text of the body.

Source map: a paragraph maps to "段落 N" (line N, column = character in the
paragraph); a cell to "表格 T 第 R 行 第 C 格" (line R, column = character in
the cell).  `meta` holds the core properties (title, author, created, modified).
"""

from __future__ import annotations

import io
import re
from typing import Any

from ..model import Document, SourceMap
from .errors import ReadError

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
P, TBL, TR, TC, SDT, SDT_CONTENT = W + "p", W + "tbl", W + "tr", W + "tc", W + "sdt", W + "sdtContent"
_T, _TAB, _BR, _CR, _NBH, _SHY = W + "t", W + "tab", W + "br", W + "cr", W + "noBreakHyphen", W + "softHyphen"
_SKIP = frozenset(
    {W + "pPr", W + "rPr", W + "del", W + "delText", W + "instrText", W + "txbxContent", MC + "Fallback",
     W + "footnoteReference", W + "endnoteReference", W + "commentReference", W + "sdtPr"}
)
_TABS = re.compile(r"\t+")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OLE_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_WS = re.compile(r"\s+")


def _para_text(p: Any) -> str:
    """The visible text of a w:p: runs, hyperlinks, insertions, field results."""
    out: list[str] = []

    def walk(el: Any) -> None:
        for ch in el:
            tag = ch.tag
            if not isinstance(tag, str) or tag in _SKIP:
                continue
            if tag == _T:
                out.append(ch.text or "")
            elif tag == _TAB:
                out.append("\t")
            elif tag in (_BR, _CR):
                out.append("\n")
            elif tag == _NBH:
                out.append("-")
            elif tag == _SHY:
                continue
            else:
                walk(ch)

    walk(p)
    return "".join(out)


def _int_attr(el: Any, name: str) -> int:
    if el is None:
        return 0
    v = el.get(W + name)
    try:
        return max(0, int(v)) if v is not None else 0
    except ValueError:
        return 0


class _Writer:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.smap = SourceMap()
        self.paragraphs = 0
        self.tables = 0

    def blank(self) -> None:
        if self.lines and self.lines[-1] != "":
            self.lines.append("")

    # ------------------------------------------------------------------ blocks
    def body(self, container: Any, in_cell: str | None = None) -> None:
        for el in container:
            tag = el.tag
            if tag == P:
                self.paragraph(el, in_cell)
            elif tag == TBL:
                self.table(el)
            elif tag == SDT:
                content = el.find(SDT_CONTENT)
                if content is not None:
                    self.body(content, in_cell)
            elif tag == W + "customXml":
                self.body(el, in_cell)

    def paragraph(self, p: Any, in_cell: str | None) -> None:
        self.paragraphs += 1
        n = self.paragraphs
        ctx = in_cell or f"段落 {n}"
        text = _para_text(p)
        base = 0
        for raw in text.split("\n"):
            raw_base = base
            base += len(raw) + 1
            body = raw.strip()
            if not body:
                continue
            src = raw_base + len(raw) - len(raw.lstrip())  # 0-based offset of `body` in the paragraph
            line_no = len(self.lines) + 1
            out: list[str] = []
            doc_col = 0
            pos = 0
            for m in _TABS.finditer(body):  # runs of tabs become one cell separator
                seg = body[pos : m.start()]
                self.smap.add(line_no, doc_col + 1, n, src + pos + 1, ctx)
                out.append(seg)
                doc_col += len(seg) + 1
                pos = m.end()
            self.smap.add(line_no, doc_col + 1, n, src + pos + 1, ctx)
            out.append(body[pos:])
            self.lines.append("\t".join(out))

    def table(self, tbl: Any) -> None:
        if tbl.find(".//" + TBL) is not None:  # a layout table: read its cells as paragraphs
            for tr in tbl.findall(TR):
                for tc in tr.findall(TC):
                    self.body(tc)
            return
        self.tables += 1
        t = self.tables
        grid = tbl.find(W + "tblGrid")
        grid_widths = [_int_attr(g, "w") for g in grid.findall(W + "gridCol")] if grid is not None else []
        width = len(grid_widths)
        # each row: (row element, [(first grid column, span, text or None for a vMerge continuation)])
        rows: list[list[tuple[int, int, str | None]]] = []
        for tr in tbl.iter(TR):
            trpr = tr.find(W + "trPr")
            col = _int_attr(trpr.find(W + "gridBefore") if trpr is not None else None, "val")
            cells: list[tuple[int, int, str | None]] = []
            for tc in tr.iter(TC):
                tcpr = tc.find(W + "tcPr")
                span = 1
                vmerge = None
                if tcpr is not None:
                    span = max(1, _int_attr(tcpr.find(W + "gridSpan"), "val") or 1)
                    vm = tcpr.find(W + "vMerge")
                    if vm is not None:
                        vmerge = vm.get(W + "val") or "continue"
                text = None
                if vmerge != "continue":
                    parts = [_WS.sub(" ", _para_text(p)).strip() for p in tc.iter(P)]
                    text = " ".join(x for x in parts if x)
                cells.append((col, span, text))
                col += span
            col += _int_attr(trpr.find(W + "gridAfter") if trpr is not None else None, "val")
            width = max(width, col)
            rows.append(cells)
        rows, width = _drop_slivers(rows, width, grid_widths)
        self.blank()
        for r, cells in enumerate(rows, 1):
            line_no = len(self.lines) + 1
            texts = [""] * width
            marks: dict[int, str] = {}
            for c, _span, text in cells:
                if text is None:
                    continue
                texts[c] = text
                marks[c] = f"表格 {t} 第 {r} 行 第 {c + 1} 格"
            if not any(texts):
                continue  # no text of its own (all merged from above, or all empty)
            offset = 0
            for c in range(width):
                if c in marks:
                    self.smap.add(line_no, offset + 1, r, 1, marks[c])
                offset += len(texts[c]) + 1
            self.lines.append("\t".join(texts))
        self.lines.append("")


_SLIVER = 90  # twips (1.6 mm): no column that narrow holds a number


def _drop_slivers(
    rows: list[list[tuple[int, int, str | None]]], width: int, grid_widths: list[int]
) -> tuple[list[list[tuple[int, int, str | None]]], int]:
    """Remove hairline grid columns that only exist because cell borders do not line up.

    Hand-edited Word tables often get a grid column a few twips wide between two
    others; every cell that touches it spans it.  Left in, it adds an empty position
    to some rows and not others.  A column narrower than _SLIVER is dropped unless
    some cell with text lies entirely inside dropped columns.
    """
    if len(grid_widths) != width or not any(0 < w < _SLIVER for w in grid_widths):
        return rows, width
    sliver = [0 < w < _SLIVER for w in grid_widths]
    for cells in rows:
        for col, span, text in cells:
            if text and all(sliver[col : col + span]):
                return rows, width  # a real (if narrow) column
    new_index = []
    kept = 0
    for is_sliver in sliver:
        new_index.append(kept)
        kept += 0 if is_sliver else 1
    out: list[list[tuple[int, int, str | None]]] = []
    for cells in rows:
        row = []
        for col, span, text in cells:
            n = sum(1 for x in sliver[col : col + span] if not x)
            if n == 0:
                continue  # an empty cell made only of slivers
            row.append((new_index[col], n, text))
        out.append(row)
    return out, kept


def _date(value: Any) -> str | None:
    try:
        return value.date().isoformat() if value is not None else None
    except AttributeError:
        return None


def read_docx(path: str, data: bytes) -> Document:
    """Read a .docx file's body into a Document (see the module docstring)."""
    if data.startswith(_OLE):
        if _OLE_ENCRYPTED in data:
            raise ReadError(
                "Word 文件设置了打开密码（已加密），无法读取；请去掉密码后另存为 .docx",
                "the Word file is password-protected (encrypted); remove the password and save as .docx",
            )
        raise ReadError(
            "这是旧版 Word（.doc）或 WPS 格式，暂不支持；请在 Word/WPS 中“另存为” .docx 后再检查",
            "this is an old binary Word (.doc) or WPS file; save it as .docx and check again",
        )
    try:
        import docx  # python-docx
    except ImportError:  # pragma: no cover - a core dependency
        raise ReadError(
            "读取 DOCX 需要 python-docx：pip install python-docx",
            "reading DOCX needs python-docx: pip install python-docx",
        ) from None
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - zipfile, lxml and python-docx raise many kinds
        raise ReadError(
            f"DOCX 文件已损坏或不是 Word 文档（{type(exc).__name__}）",
            f"the DOCX file is damaged or not a Word document ({type(exc).__name__}: {exc})",
        ) from None
    writer = _Writer()
    try:
        writer.body(document.element.body)
    except Exception as exc:  # noqa: BLE001
        raise ReadError(f"DOCX 内容无法读取：{exc}", f"cannot read the DOCX content: {exc}") from None
    lines = writer.lines
    while lines and lines[-1] == "":
        lines.pop()
    if not any(line.strip() for line in lines):
        raise ReadError("DOCX 文件中没有文字", "the DOCX file contains no text")
    meta: dict[str, str] = {}
    try:
        cp = document.core_properties
        for key, value in (("title", cp.title), ("author", cp.author), ("last_modified_by", cp.last_modified_by)):
            if value:
                meta[key] = str(value)
        for key, value in (("created", cp.created), ("modified", cp.modified)):
            d = _date(value)
            if d:
                meta[key] = d
    except Exception:  # noqa: BLE001 - broken docProps/core.xml only loses the metadata
        pass
    return Document(path=path, text="\n".join(lines), format="docx", encoding=None, source_map=writer.smap, meta=meta)
