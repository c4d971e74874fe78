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
* Word's automatic numbering (一、 （一） 1. ① …, from numbering.xml and the
  paragraph styles) is written in front of the paragraph, as Word shows it:
  headings such as 一、总体情况 are often numbered rather than typed;
* tracked deletions, field codes and text boxes are not text of the body.

Source map: a paragraph maps to "段落 N" (line N, column = character in the
paragraph); a cell to "表格 T 第 R 行 第 C 格" (line R, column = character in
the cell).  `meta` holds the core properties (title, author, created, modified).
"""

from __future__ import annotations

import io
import re
from typing import Any

from ..budget import spend
from ..model import Document, SourceMap
from .errors import ReadError
from .grid import drop_slivers

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
P, TBL, TR, TC, SDT, SDT_CONTENT = W + "p", W + "tbl", W + "tr", W + "tc", W + "sdt", W + "sdtContent"
_T, _TAB, _BR, _CR, _NBH, _SHY = W + "t", W + "tab", W + "br", W + "cr", W + "noBreakHyphen", W + "softHyphen"
_SKIP = frozenset(
    {W + "pPr", W + "rPr", W + "del", W + "delText", W + "instrText", W + "txbxContent", MC + "Fallback",
     W + "footnoteReference", W + "endnoteReference", W + "commentReference", W + "sdtPr", W + "rt", W + "moveFrom"}
)
_TABS = re.compile(r"\t+")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OLE_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_WS = re.compile(r"\s+")


MAX_SPAN = 64  # grid columns one cell (or a row's gridBefore/gridAfter) may span
MAX_COLUMNS = 1024  # grid columns of one table: a wider "table" is damage, and would cost width × rows


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


_CN_DIGITS = "零一二三四五六七八九"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_DIZHI = "子丑寅卯辰巳午未申酉戌亥"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def _chinese(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一, 105 → 一百零五 (counting numbers as Word prints them)."""
    if n <= 0:
        return str(n)
    if n < 10:
        return _CN_DIGITS[n]
    if n < 20:
        return "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _CN_DIGITS[n // 10] + "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        tail = "" if rest == 0 else ("零" + _CN_DIGITS[rest] if rest < 10 else _chinese(rest) if rest >= 20 else "一" + _chinese(rest))
        return _CN_DIGITS[n // 100] + "百" + tail
    return str(n)


def _roman(n: int) -> str:
    out = []
    for value, sym in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                       (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out.append(sym)
            n -= value
    return "".join(out)


def _letters(n: int) -> str:
    # Word repeats the letter: a … z, aa … zz
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else str(n)


def _format_number(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified", "japaneseCounting",
               "taiwaneseCounting", "taiwaneseCountingThousand", "koreanCounting", "ideographDigital"):
        text = _chinese(n)
        if fmt == "chineseLegalSimplified":
            text = text.translate(str.maketrans("一二三四五六七八九十百", "壹贰叁肆伍陆柒捌玖拾佰"))
        return text
    if fmt in ("ideographTraditional",) and 0 < n <= 10:
        return _TIANGAN[n - 1]
    if fmt in ("ideographZodiac",) and 0 < n <= 12:
        return _DIZHI[n - 1]
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 0 < n <= 20:
        return _CIRCLED[n - 1]
    if fmt == "decimalFullWidth" or fmt == "decimalFullWidth2":
        return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt in ("none", "bullet"):
        return ""
    return str(n)


_LVL_REF = re.compile(r"%([1-9])")


class _Numbering:
    """Word's automatic numbering ("一、" "（一）" "1." put in front of paragraphs).

    Headings such as 一、总体情况 are often numbered by Word rather than typed; the
    number is not in the paragraph's text, so it is rebuilt here from
    numbering.xml (formats, level texts, start values and restarts) and the
    styles that carry a numbering.  Lists that share an abstract numbering
    continue each other, as Word counts them.
    """

    def __init__(self, document: Any) -> None:
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}  # abstractNumId → ilvl → (fmt, text, start)
        self.num_abs: dict[str, str] = {}  # numId → abstractNumId
        self.overrides: dict[str, dict[int, int]] = {}  # numId → ilvl → start
        self.style_num: dict[str, tuple[str | None, int | None]] = {}
        self.style_base: dict[str, str] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.started: set[str] = set()
        try:
            root = document.part.numbering_part.element
        except _library_errors():  # no numbering part (KeyError, NotImplementedError): nothing is numbered
            root = None
        if root is not None:
            for absn in root.findall(W + "abstractNum"):
                aid = absn.get(W + "abstractNumId")
                lv: dict[int, tuple[str, str, int]] = {}
                for lvl in absn.findall(W + "lvl"):
                    ilvl = _int_val(lvl.get(W + "ilvl"))
                    fmt_el, text_el, start_el = lvl.find(W + "numFmt"), lvl.find(W + "lvlText"), lvl.find(W + "start")
                    fmt = fmt_el.get(W + "val") if fmt_el is not None else "decimal"
                    text = text_el.get(W + "val") if text_el is not None else ""
                    start = _int_val(start_el.get(W + "val")) if start_el is not None else 1
                    lv[ilvl] = (fmt or "decimal", text or "", start)
                if aid is not None:
                    self.levels[aid] = lv
            for num in root.findall(W + "num"):
                nid = num.get(W + "numId")
                ref = num.find(W + "abstractNumId")
                if nid is None or ref is None:
                    continue
                self.num_abs[nid] = ref.get(W + "val") or ""
                for ov in num.findall(W + "lvlOverride"):
                    so = ov.find(W + "startOverride")
                    if so is not None:
                        self.overrides.setdefault(nid, {})[_int_val(ov.get(W + "ilvl"))] = _int_val(so.get(W + "val"))
        try:
            styles = document.styles.element
        except _library_errors():  # a damaged styles part: no numbering from styles
            styles = None
        if styles is not None:
            for st in styles.findall(W + "style"):
                sid = st.get(W + "styleId")
                if not sid:
                    continue
                based = st.find(W + "basedOn")
                if based is not None and based.get(W + "val"):
                    self.style_base[sid] = based.get(W + "val")
                numpr = st.find(W + "pPr/" + W + "numPr")
                if numpr is not None:
                    self.style_num[sid] = _numpr(numpr)

    def _from_style(self, style: str | None) -> tuple[str | None, int | None]:
        for _ in range(8):
            if not style:
                break
            if style in self.style_num:
                return self.style_num[style]
            style = self.style_base.get(style)
        return None, None

    def label(self, p: Any) -> str:
        """The number Word shows before paragraph `p` ("" when it has none)."""
        if not self.num_abs:
            return ""
        ppr = p.find(W + "pPr")
        num_id: str | None = None
        ilvl: int | None = None
        style = None
        if ppr is not None:
            numpr = ppr.find(W + "numPr")
            if numpr is not None:
                num_id, ilvl = _numpr(numpr)
            ps = ppr.find(W + "pStyle")
            style = ps.get(W + "val") if ps is not None else None
        if num_id is None or ilvl is None:
            s_num, s_lvl = self._from_style(style)
            num_id = num_id if num_id is not None else s_num
            ilvl = ilvl if ilvl is not None else s_lvl
        if not num_id or num_id == "0" or num_id not in self.num_abs:
            return ""
        ilvl = ilvl or 0
        aid = self.num_abs[num_id]
        levels = self.levels.get(aid, {})
        if ilvl not in levels:
            return ""
        counters = self.counters.setdefault(aid, {})
        if num_id not in self.started:
            self.started.add(num_id)
            for lvl, start in self.overrides.get(num_id, {}).items():
                counters[lvl] = start - 1
        counters[ilvl] = counters.get(ilvl, levels[ilvl][2] - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        fmt, text, _start = levels[ilvl]
        if fmt == "bullet":
            return ""

        def sub(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            k_fmt = levels.get(k, ("decimal", "", 1))[0]
            return _format_number(counters.get(k, levels.get(k, ("", "", 1))[2]), k_fmt)

        return _LVL_REF.sub(sub, text)


def _int_val(v: str | None) -> int:
    try:
        return int(v) if v is not None else 0
    except ValueError:
        return 0


def _numpr(numpr: Any) -> tuple[str | None, int | None]:
    nid = numpr.find(W + "numId")
    lvl = numpr.find(W + "ilvl")
    return (nid.get(W + "val") if nid is not None else None, _int_val(lvl.get(W + "val")) if lvl is not None else None)


class _Writer:
    def __init__(self, numbering: _Numbering | None = None) -> None:
        self.numbering = numbering
        self.lines: list[str] = []
        self.smap = SourceMap()
        self.paragraphs = 0
        self.tables = 0

    def blank(self) -> None:
        if self.lines and self.lines[-1] != "":
            self.lines.append("")

    def text(self, p: Any) -> str:
        """A paragraph's text with its automatic number, if Word gives it one."""
        label = self.numbering.label(p) if self.numbering is not None else ""
        return label + _para_text(p) if label else _para_text(p)

    # ------------------------------------------------------------------ blocks
    def body(self, container: Any, in_cell: str | None = None) -> None:
        for el in container:
            spend()  # one step per block (budget.py)
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
        text = self.text(p)
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
        grid = tbl.find(W + "tblGrid")
        one_column = grid is not None and len(grid.findall(W + "gridCol")) <= 1 and all(
            len(tr.findall(TC)) <= 1 for tr in tbl.findall(TR)
        )
        if one_column or tbl.find(".//" + TBL) is not None:
            # a layout table (a frame around the page, or one holding the real tables):
            # its cells are read as paragraphs
            for tr in tbl.findall(TR):
                for tc in tr.findall(TC):
                    self.body(tc)
            return
        self.tables += 1
        t = self.tables
        grid_widths = [_int_attr(g, "w") for g in grid.findall(W + "gridCol")] if grid is not None else []
        width = len(grid_widths)
        # each row: (row element, [(first grid column, span, text or None for a vMerge continuation)])
        rows: list[list[tuple[int, int, str | None]]] = []
        for tr in tbl.iter(TR):
            trpr = tr.find(W + "trPr")
            col = min(MAX_SPAN, _int_attr(trpr.find(W + "gridBefore") if trpr is not None else None, "val"))
            cells: list[tuple[int, int, str | None]] = []
            for tc in tr.iter(TC):
                spend()  # one step per cell
                tcpr = tc.find(W + "tcPr")
                span = 1
                vmerge = None
                if tcpr is not None:
                    span = min(MAX_SPAN, max(1, _int_attr(tcpr.find(W + "gridSpan"), "val") or 1))
                    vm = tcpr.find(W + "vMerge")
                    if vm is not None:
                        vmerge = vm.get(W + "val") or "continue"
                text = None
                if vmerge != "continue":
                    parts = [_WS.sub(" ", self.text(p)).strip() for p in tc.iter(P)]
                    text = " ".join(x for x in parts if x)
                cells.append((col, span, text))
                col += span
            col += min(MAX_SPAN, _int_attr(trpr.find(W + "gridAfter") if trpr is not None else None, "val"))
            if col > MAX_COLUMNS:
                raise ReadError(f"DOCX 表格 {t} 有 {col} 列，超过了 {MAX_COLUMNS} 列的上限，文件可能已损坏",
                                f"DOCX table {t} has {col} columns, over the {MAX_COLUMNS}-column limit; the file may be damaged")
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
    """Remove hairline grid columns (narrower than _SLIVER) left by misaligned borders (`grid.drop_slivers`)."""
    if len(grid_widths) != width:
        return rows, width
    return drop_slivers(rows, width, [0 < w < _SLIVER for w in grid_widths], lambda cell: bool(cell[2]))


def _date(value: Any) -> str | None:
    try:
        return value.date().isoformat() if value is not None else None
    except AttributeError:
        return None


def _library_errors() -> tuple[type[BaseException], ...]:
    """What zipfile, zlib, lxml and python-docx raise on a damaged file (and only they)."""
    import zlib
    import zipfile

    from docx.exceptions import PythonDocxError
    from docx.opc.exceptions import OpcError
    from lxml import etree

    return (zipfile.BadZipFile, zlib.error, EOFError, etree.LxmlError, PythonDocxError, OpcError,
            zipfile.LargeZipFile, NotImplementedError, KeyError)  # KeyError: a part named but missing in the zip


def _check_unzipped_size(data: bytes) -> None:
    """Refuse a zip bomb before python-docx inflates it: the members' declared sizes are summed
    (zipfile never inflates a member past its declared size)."""
    import zipfile

    from ..budget import current_limits, human_size
    limit = current_limits().max_unzipped
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            total = sum(i.file_size for i in zf.infolist())
    except (zipfile.BadZipFile, EOFError, ValueError, OSError):
        return  # python-docx reports the damage below
    if total > limit:
        raise ReadError(
            f"DOCX 文件解压后有 {human_size(total)}，超过了 {human_size(limit)} 的上限，没有读取（可能是恶意构造的压缩包）",
            f"the DOCX file unpacks to {human_size(total)}, over the {human_size(limit)} limit; not read (a zip bomb?)",
            code="P005",
        )


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
    _check_unzipped_size(data)
    try:
        document = docx.Document(io.BytesIO(data))
    except (*_library_errors(), ValueError, OSError) as exc:  # zipfile raises ValueError on bad offsets
        raise ReadError(
            "DOCX 文件已损坏或不是 Word 文档（压缩包或其中的 XML 不完整）；请在 Word 或 WPS 中打开后重新另存为 .docx",
            f"the DOCX file is damaged or not a Word document ({type(exc).__name__}: {exc})",
        ) from None
    try:
        numbering = _Numbering(document)
    except _library_errors():  # a damaged numbering or styles part: headings keep only their typed text
        numbering = None
    writer = _Writer(numbering)
    try:
        writer.body(document.element.body)
    except _library_errors() as exc:  # python-docx and lxml on a damaged part (our own bugs are not caught)
        raise ReadError("DOCX 文件中的内容已损坏，无法读取；请在 Word 或 WPS 中打开后重新另存为 .docx",
                        f"the DOCX content is damaged: {type(exc).__name__}: {exc}") from None
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
