"""Writers: one SynthReport in every shape a real report comes in.

* `write_tab_text`   the seeds' PDF-text layout, table cells separated by tabs;
* `write_markdown`   `#`/`##` headings and pipe tables;
* `write_markdown_converted` markdown as a PDF converter leaves it: tables in fragments, page markers;
* `write_html`       a complete page, tables merged with rowspan/colspan like the official template;
* `write_html_word`  the same page as Word saves it: text cut into <span>s, <o:p> blanks, Office markup;
* `write_docx`       a Word file with real tables and merged cells (python-docx);
* `write_pdf`        a PDF with ruled tables in the built-in CJK font STSong-Light (reportlab);
* `write_run_together` web-page text with every table cell run together (corpus 002/005).

Text writers return `str`; `write_docx` and `write_pdf` return `bytes`.  `encode`
gives the bytes a file of that writer holds.
"""

from __future__ import annotations

import html as _html
import io
import random
import re
import zlib

from ..templates import common
from .layout import (
    APPLICANT_HEAD,
    LEGAL_PERSONS,
    NOTE3,
    RESULT_GROUP,
    blocks2,
    group_label,
    rows3,
    values4,
)
from .model import SynthReport

APPLICANT_COLUMNS = ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")


def _sections(report: SynthReport):
    for number in ("一", "二", "三", "四", "五", "六"):
        sec = report.sections.get(number)
        if sec is not None:
            yield number, sec


# ---------------------------------------------------------------- tab text


def _tab_three(report: SynthReport) -> list[str]:
    """Section 三 as the seeds print it; `report.style` picks among the layouts seen in them.

    split_header   the 自然人 header cell broken over two lines ("自然" / "人"), with a blank line between;
    label_pad      an empty cell after the labels of rows 一, 二 and 四 (seeds 000/002) or none (001/003);
    broken_label   三、本年度办理结果 broken across the first two result rows ("三、本（一）予以公开" /
                   "年度办 理结果	（二）…", seed 001);
    separator      a "-----" row under the table (seed 004).
    """
    st = report.style
    if st.get("split_header"):
        lines = [
            f"{NOTE3}\t{APPLICANT_HEAD}\t\t",
            f"\t自然\t{LEGAL_PERSONS}\t总计",
            "",
            "\t\t人\t" + "\t".join(APPLICANT_COLUMNS) + "\t\t",
        ]
    else:
        lines = [
            f"{NOTE3}\t{APPLICANT_HEAD}\t\t",
            f"\t自然人\t{LEGAL_PERSONS}\t\t\t\t\t总计",
            "\t\t" + "\t".join(APPLICANT_COLUMNS) + "\t",
        ]
    pad = "\t" if st.get("label_pad", True) else ""
    broken = bool(st.get("broken_label"))
    result_rows = 0
    for r in rows3(report):
        vals = "\t".join(r.values)
        if r.group is None:
            lines.append(f"{r.label}\t{pad}{vals}")
            continue
        result_rows += 1
        if broken and result_rows == 1 and r.sub is None:
            lines.append(f"三、本{r.label}\t{vals}")
            continue
        if broken and result_rows == 2 and r.sub is None:
            lines.append(f"年度办 理结果\t{r.label}\t{vals}")
            continue
        lead = RESULT_GROUP if r.first_in_group else ""
        if r.sub is None:
            lines.append(f"{lead}\t{r.label}\t{vals}")
        else:
            sub = group_label(r.sub, report) if r.first_in_sub else ""
            lines.append(f"{lead}\t{sub}\t{r.label}\t{vals}")
    if st.get("separator"):
        lines.append("-------------" + "\t---" * 7)
    return lines


def _tab_four(report: SynthReport) -> list[str]:
    cols = list(common().columns4)
    if report.style.get("spaced_four_header"):  # "结果 维持": cells broken by the PDF converter (seeds 001/003)
        cols = [c if len(c) <= 2 else f"{c[:2]} {c[2:]}" for c in cols]
    return [
        "行政复议\t\t\t\t\t行政诉讼" + "\t" * 9,
        "\t".join(cols) + "\t未经复议直接起诉\t\t\t\t\t复议后起诉\t\t\t\t",
        "\t" * 5 + "\t".join(cols + cols),
        "\t".join(values4(report)),
    ]


def _tab_two(report: SynthReport) -> list[str]:
    lines = []
    for b in blocks2(report):
        lines.append(b.caption + "\t" * 3)
        lines.append("\t".join(["信息内容", *b.header]))
        for label, vals in b.rows:
            lines.append("\t".join([label, *vals]))
    return lines


def write_tab_text(report: SynthReport) -> str:
    """The seeds' layout: one paragraph a line, blank lines between, tables as tab-separated cells."""
    out: list[str] = [report.title, ""]
    for p in report.preamble:
        out += [p, ""]
    tables = {"二": _tab_two, "三": _tab_three, "四": _tab_four}
    for number, sec in _sections(report):
        out += [sec.heading, ""]
        for p in sec.paragraphs:
            out += [p, ""]
        if number in tables:
            out += tables[number](report)
            out.append("")
        for p in sec.after:
            out += [p, ""]
    out += [report.signature, report.date, ""]
    return "\n".join(out)


# ---------------------------------------------------------------- markdown


def _md_row(cells: list[str]) -> str:
    return "| " + " | ".join(c.replace("|", "｜") for c in cells) + " |"


def _md_table(rows: list[list[str]]) -> list[str]:
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    return [_md_row(rows[0]), "|" + "---|" * width] + [_md_row(r) for r in rows[1:]]


def write_markdown(report: SynthReport) -> str:
    """`#` title, `##` section headings, paragraphs, pipe tables (a converter's flattening of merged cells)."""
    out: list[str] = [f"# {report.title}", ""]
    for p in report.preamble:
        out += [p, ""]
    for number, sec in _sections(report):
        out += [f"## {sec.heading}", ""]
        for p in sec.paragraphs:
            out += [p, ""]
        if number == "二":
            for b in blocks2(report):
                out += [f"**{b.caption}**", ""]
                out += _md_table([["信息内容", *b.header]] + [[label, *vals] for label, vals in b.rows])
                out.append("")
        elif number == "三":
            rows = [
                [NOTE3, "", "", APPLICANT_HEAD, "", "", "", "", "", ""],
                ["", "", "", "自然人", LEGAL_PERSONS, "", "", "", "", "总计"],
                ["", "", "", "", *APPLICANT_COLUMNS, ""],
            ]
            for r in rows3(report):
                if r.group is None:
                    rows.append([r.label, "", "", *r.values])
                elif r.sub is None:
                    rows.append([RESULT_GROUP if r.first_in_group else "", r.label, "", *r.values])
                else:
                    rows.append([
                        RESULT_GROUP if r.first_in_group else "",
                        group_label(r.sub, report) if r.first_in_sub else "",
                        r.label,
                        *r.values,
                    ])
            out += _md_table(rows)
            out.append("")
        elif number == "四":
            cols = list(common().columns4)
            rows = [
                ["行政复议", "", "", "", "", "行政诉讼", *[""] * 9],
                [*cols, "未经复议直接起诉", "", "", "", "", "复议后起诉", "", "", "", ""],
                ["", "", "", "", "", *cols, *cols],
                values4(report),
            ]
            out += _md_table(rows)
            out.append("")
        for p in sec.after:
            out += [p, ""]
    out += [report.signature, "", report.date, ""]
    return "\n".join(out)


def write_markdown_converted(report: SynthReport) -> str:
    """Markdown as a PDF-to-markdown converter leaves it (corpus 013, milder).

    The section-三 header is lost to loose text lines, the table comes in fragments:
    each fragment is its own pipe table (its first row promoted to a header), split at
    page breaks marked `— N —`; the section-四 table loses its header rows the same way.
    Where the page breaks fall is drawn from the report's own numbers (reproducible).
    """

    lay = random.Random(zlib.crc32(repr(report.tables["三"]).encode("utf-8")))
    page = lay.randint(2, 4)
    out: list[str] = [f"# {report.title}", ""]
    for p in report.preamble:
        out += [p, ""]

    def fragment(rows: list[list[str]]) -> list[str]:
        return [_md_row(rows[0]), "|" + "---|" * len(rows[0])] + [_md_row(r) for r in rows[1:]] + [""]

    for number, sec in _sections(report):
        out += [f"## {sec.heading}", ""]
        for p in sec.paragraphs:
            out += [p, ""]
        if number == "二":
            for b in blocks2(report):
                out += [b.caption, ""]
                out += fragment([["信息内容", *b.header]] + [[label, *vals] for label, vals in b.rows])
        elif number == "三":
            out += [APPLICANT_HEAD, LEGAL_PERSONS, NOTE3, "自然人 " + " ".join(APPLICANT_COLUMNS) + " 总计", ""]
            rows = []
            for r in rows3(report):
                label = r.label
                if r.sub and r.first_in_sub:
                    label = f"{group_label(r.sub, report)} {r.label}"
                rows.append([label, *r.values])
            cuts = sorted(lay.sample(range(3, len(rows) - 2), 2))
            for a, b in zip([0, *cuts], [*cuts, len(rows)]):
                out += fragment(rows[a:b])
                if b < len(rows):
                    out += [f"— {page} —", ""]
                    page += 1
        elif number == "四":
            cols = list(common().columns4)
            out += ["行政复议 行政诉讼", " ".join(cols) + " 未经复议直接起诉 复议后起诉", " ".join(cols + cols), ""]
            out += fragment([values4(report)])
        for p in sec.after:
            out += [p, ""]
    out += [report.signature, "", report.date, ""]
    return "\n".join(out)


# ---------------------------------------------------------------- html


def _td(text: str, rowspan: int = 1, colspan: int = 1) -> str:
    attrs = ""
    if rowspan > 1:
        attrs += f' rowspan="{rowspan}"'
    if colspan > 1:
        attrs += f' colspan="{colspan}"'
    return f"<td{attrs}>{_html.escape(text)}</td>"


def _html_two(report: SynthReport) -> list[str]:
    out = ['<table border="1" cellspacing="0" class="t2">']
    for b in blocks2(report):
        out.append(f"<tr>{_td(b.caption, colspan=4)}</tr>")
        n = len(b.header)
        span_last = 4 - n  # the last value cell spans the columns left over (2021 （五）（六）（八）)
        head = [_td("信息内容")] + [_td(h, colspan=1 + (span_last if i == n - 1 else 0)) for i, h in enumerate(b.header)]
        out.append("<tr>" + "".join(head) + "</tr>")
        for label, vals in b.rows:
            cells = [_td(label)] + [_td(v, colspan=1 + (span_last if i == n - 1 else 0)) for i, v in enumerate(vals)]
            out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</table>")
    return out


def _html_three(report: SynthReport) -> list[str]:
    out = ['<table border="1" cellspacing="0" class="t3">']
    out.append("<tr>" + _td(NOTE3, rowspan=3, colspan=3) + _td(APPLICANT_HEAD, colspan=7) + "</tr>")
    out.append("<tr>" + _td("自然人", rowspan=2) + _td(LEGAL_PERSONS, colspan=5) + _td("总计", rowspan=2) + "</tr>")
    out.append("<tr>" + "".join(_td(c) for c in APPLICANT_COLUMNS) + "</tr>")
    for r in rows3(report):
        cells = []
        if r.group is None:
            cells.append(_td(r.label, colspan=3))
        else:
            if r.first_in_group:
                cells.append(_td(RESULT_GROUP, rowspan=r.span_group))
            if r.sub is None:
                cells.append(_td(r.label, colspan=2))
            else:
                if r.first_in_sub:
                    cells.append(_td(group_label(r.sub, report), rowspan=r.span_sub))
                cells.append(_td(r.label))
        cells += [_td(v) for v in r.values]
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</table>")
    return out


def _html_four(report: SynthReport) -> list[str]:
    cols = list(common().columns4)
    out = ['<table border="1" cellspacing="0" class="t4">']
    out.append("<tr>" + _td("行政复议", colspan=5) + _td("行政诉讼", colspan=10) + "</tr>")
    out.append("<tr>" + "".join(_td(c, rowspan=2) for c in cols) + _td("未经复议直接起诉", colspan=5)
               + _td("复议后起诉", colspan=5) + "</tr>")
    out.append("<tr>" + "".join(_td(c) for c in cols + cols) + "</tr>")
    out.append("<tr>" + "".join(_td(v) for v in values4(report)) + "</tr>")
    out.append("</table>")
    return out


def write_html(report: SynthReport) -> str:
    """A complete HTML page whose tables merge cells the way the official template does."""
    esc = _html.escape
    out = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{esc(report.title)}</title>",
        "<style>table{border-collapse:collapse}td{border:1px solid #000;padding:2px 4px}</style>",
        "</head>",
        "<body>",
        '<div class="article">',
        f"<h1>{esc(report.title)}</h1>",
    ]
    out += [f"<p>{esc(p)}</p>" for p in report.preamble]
    tables = {"二": _html_two, "三": _html_three, "四": _html_four}
    for number, sec in _sections(report):
        out.append(f"<h2>{esc(sec.heading)}</h2>")
        out += [f"<p>{esc(p)}</p>" for p in sec.paragraphs]
        if number in tables:
            out += tables[number](report)
        out += [f"<p>{esc(p)}</p>" for p in sec.after]
    out += [f'<p style="text-align:right">{esc(report.signature)}</p>',
            f'<p style="text-align:right">{esc(report.date)}</p>', "</div>", "</body>", "</html>", ""]
    return "\n".join(out)


_TD = re.compile(r"<td([^>]*)>([^<]*)</td>")
_P = re.compile(r"<p([^>]*)>([^<]*)</p>")
_WORD_HEAD = """<!--[if gte mso 9]><xml><w:WordDocument><w:View>Normal</w:View><w:Zoom>100</w:Zoom></w:WordDocument></xml><![endif]-->
<style>
p.MsoNormal, li.MsoNormal {mso-style-parent:""; margin:0cm; font-size:10.5pt; font-family:宋体}
@page WordSection1 {size:595.3pt 841.9pt; margin:72.0pt 90.0pt 72.0pt 90.0pt}
table.MsoTableGrid {mso-table-layout-alt:fixed; border:solid windowtext 1.0pt}
</style>
<script type="text/javascript">var pageSize = 20; var title = "一、总体情况 12 34"; function go(n) { return n + 1; }</script>"""


def write_html_word(report: SynthReport) -> str:
    """The page as Word's "save as web page" writes it (corpus 010): every cell text in a
    `<p class=MsoNormal>` with the text cut into several `<span>`s (numbers too: `2`+`6`),
    blank cells as `<o:p>&nbsp;</o:p>`, Office XML and a style sheet and script in the head.
    Where the text is cut is drawn from the report's own numbers (reproducible).
    """

    lay = random.Random(zlib.crc32(repr(report.tables).encode("utf-8")))
    span = "<span style='font-size:9.0pt;font-family:宋体;mso-bidi-font-family:\"Times New Roman\"'>"

    def spans(text: str) -> str:
        text = _html.unescape(text)
        if not text.strip():
            return f"{span}<o:p>&nbsp;</o:p></span>"
        pieces, i = [], 0
        while i < len(text):
            n = lay.randint(1, 4)
            pieces.append(text[i:i + n])
            i += n
        return "".join(f"{span}{_html.escape(p, quote=False)}</span>" for p in pieces) + f"{span}<o:p></o:p></span>"

    def td(m: re.Match) -> str:
        attrs = m.group(1) + " width=43 valign=top style='border:solid windowtext 1.0pt;padding:0cm 5.4pt'"
        return f"<td{attrs}>\n  <p class=MsoNormal align=center style='text-align:center'>{spans(m.group(2))}</p>\n  </td>"

    def p(m: re.Match) -> str:
        return f"<p class=MsoNormal{m.group(1)}>{spans(m.group(2))}</p>"

    page = write_html(report)
    page = page.replace('<html lang="zh-CN">', '<html xmlns:v="urn:schemas-microsoft-com:vml" '
                        'xmlns:o="urn:schemas-microsoft-com:office:office" '
                        'xmlns:w="urn:schemas-microsoft-com:office:word" lang="zh-CN">')
    page = page.replace("</head>", _WORD_HEAD + "\n</head>")
    page = page.replace('<table border="1" cellspacing="0"', '<table class=MsoTableGrid border=1 cellspacing=0 cellpadding=0')
    page = _TD.sub(td, page)
    return _P.sub(p, page)


# ---------------------------------------------------------------- grids for docx and pdf


def _grid_three(report: SynthReport) -> tuple[list[list[str]], list[tuple[int, int, int, int]]]:
    """Section 三 as a 10-column grid and its merged rectangles (r0, c0, r1, c1), inclusive."""
    grid = [
        [NOTE3, "", "", APPLICANT_HEAD, "", "", "", "", "", ""],
        ["", "", "", "自然人", LEGAL_PERSONS, "", "", "", "", "总计"],
        ["", "", "", "", *APPLICANT_COLUMNS, ""],
    ]
    merges = [(0, 0, 2, 2), (0, 3, 0, 9), (1, 3, 2, 3), (1, 4, 1, 8), (1, 9, 2, 9)]
    for r in rows3(report):
        i = len(grid)
        if r.group is None:
            grid.append([r.label, "", "", *r.values])
            merges.append((i, 0, i, 2))
            continue
        row = [RESULT_GROUP if r.first_in_group else "", "", "", *r.values]
        if r.first_in_group:
            merges.append((i, 0, i + r.span_group - 1, 0))
        if r.sub is None:
            row[1] = r.label
            merges.append((i, 1, i, 2))
        else:
            row[2] = r.label
            if r.first_in_sub:
                row[1] = group_label(r.sub, report)
                if r.span_sub > 1:
                    merges.append((i, 1, i + r.span_sub - 1, 1))
        grid.append(row)
    return grid, merges


def _grid_four(report: SynthReport) -> tuple[list[list[str]], list[tuple[int, int, int, int]]]:
    cols = list(common().columns4)
    grid = [
        ["行政复议", "", "", "", "", "行政诉讼", *[""] * 9],
        [*cols, "未经复议直接起诉", "", "", "", "", "复议后起诉", "", "", "", ""],
        ["", "", "", "", "", *cols, *cols],
        values4(report),
    ]
    merges = [(0, 0, 0, 4), (0, 5, 0, 14), (1, 5, 1, 9), (1, 10, 1, 14)] + [(1, c, 2, c) for c in range(5)]
    return grid, merges


def _grid_two(report: SynthReport) -> tuple[list[list[str]], list[tuple[int, int, int, int]]]:
    grid: list[list[str]] = []
    merges = []
    for b in blocks2(report):
        i = len(grid)
        grid.append([b.caption, "", "", ""])
        merges.append((i, 0, i, 3))
        n = len(b.header)
        for cells in (["信息内容", *b.header], *[[label, *vals] for label, vals in b.rows]):
            i = len(grid)
            grid.append(cells + [""] * (4 - len(cells)))
            if n < 3:
                merges.append((i, n, i, 3))
    return grid, merges


# ---------------------------------------------------------------- docx


def write_docx(report: SynthReport) -> bytes:
    """A Word document: headings and paragraphs, three real tables with merged cells."""
    import docx  # python-docx
    from docx.oxml.ns import qn

    d = docx.Document()
    d.core_properties.title = report.title
    d.core_properties.author = report.agency
    d.core_properties.comments = "gov-lint 合成示例（虚构机关，非真实报告）"
    style = d.styles["Normal"]
    style.font.name = "SimSun"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    d.add_heading(report.title, level=0)
    for p in report.preamble:
        d.add_paragraph(p)
    grids = {"二": _grid_two, "三": _grid_three, "四": _grid_four}
    for number, sec in _sections(report):
        d.add_heading(sec.heading, level=1)
        for p in sec.paragraphs:
            d.add_paragraph(p)
        if number in grids:
            grid, merges = grids[number](report)
            table = d.add_table(rows=len(grid), cols=len(grid[0]))
            table.style = "Table Grid"
            before = table._cells  # merging disjoint rectangles keeps the other cells' elements valid
            ncols = len(grid[0])
            for r0, c0, r1, c1 in merges:
                before[r0 * ncols + c0].merge(before[r1 * ncols + c1])
            covered = {(r, c) for r0, c0, r1, c1 in merges for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)
                       if (r, c) != (r0, c0)}
            cells = table._cells  # one pass; table.cell() rebuilds this list on every call
            for ri, row in enumerate(grid):
                for ci, text in enumerate(row):
                    if (ri, ci) not in covered and text:
                        cells[ri * ncols + ci].text = text
        for p in sec.after:
            d.add_paragraph(p)
    d.add_paragraph(report.signature)
    d.add_paragraph(report.date)
    buf = io.BytesIO()
    d.save(buf)
    return _fixed_zip_times(buf.getvalue())


def _fixed_zip_times(data: bytes) -> bytes:
    """The same zip with every member dated 2020-01-01, so a docx is byte-for-byte reproducible."""
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2020, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


# ---------------------------------------------------------------- pdf


def write_pdf(report: SynthReport, page_break_in_table: bool = False) -> bytes:
    """A PDF in STSong-Light (a CJK font every PDF reader has) with ruled tables.

    `page_break_in_table` starts the section-三 table low on a page so that it is split
    across two pages, as long tables are in real PDFs.
    """
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle("body", fontName="STSong-Light", fontSize=10.5, leading=16, wordWrap="CJK",
                          firstLineIndent=21)
    head = ParagraphStyle("head", parent=body, fontSize=12, leading=20, firstLineIndent=0, spaceBefore=6)
    title = ParagraphStyle("title", parent=body, fontSize=15, leading=22, alignment=1, firstLineIndent=0)
    cell = ParagraphStyle("cell", fontName="STSong-Light", fontSize=7, leading=9, wordWrap="CJK")
    right = ParagraphStyle("right", parent=body, alignment=2, firstLineIndent=0)

    def esc(s: str) -> str:
        return _html.escape(s, quote=False)

    story = [Paragraph(esc(report.title), title), Spacer(1, 8)]
    story += [Paragraph(esc(p), body) for p in report.preamble]
    width = A4[0] - 72
    grids = {"二": _grid_two, "三": _grid_three, "四": _grid_four}
    col_widths = {
        "二": [width * 0.34] + [width * 0.22] * 3,
        "三": [width * 0.07, width * 0.10, width * 0.27] + [width * 0.08] * 7,
        "四": [width / 15] * 15,
    }
    for number, sec in _sections(report):
        story.append(Paragraph(esc(sec.heading), head))
        story += [Paragraph(esc(p), body) for p in sec.paragraphs]
        if number in grids:
            grid, merges = grids[number](report)
            data = [[Paragraph(esc(c), cell) if c else "" for c in row] for row in grid]
            style = [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("FONT", (0, 0), (-1, -1), "STSong-Light", 7),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ] + [("SPAN", (c0, r0), (c1, r1)) for r0, c0, r1, c1 in merges]
            t = Table(data, colWidths=col_widths[number], repeatRows=0)
            t.setStyle(TableStyle(style))
            if number == "三" and page_break_in_table:
                # push the table down so that it starts low on a page and reportlab splits it
                story += [PageBreak(), Spacer(1, A4[1] - 96 - 170)]
            story += [Spacer(1, 4), t, Spacer(1, 4)]
        story += [Paragraph(esc(p), body) for p in sec.after]
    story += [Spacer(1, 12), Paragraph(esc(report.signature), right), Paragraph(esc(report.date), right)]
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=36, rightMargin=36, topMargin=48, bottomMargin=48,
                            title=report.title, author=report.agency, invariant=1)
    doc.build(story)
    return buf.getvalue()


# ---------------------------------------------------------------- run-together web text


def write_run_together(report: SynthReport) -> str:
    """Web-page text: the whole body on one line, every table row's cells run together.

    A row label is followed by its digits with no separator (`一、本年新收政府信息公开申请数量 15130000154`)
    and the digits run straight into the next label (`…3700000372.没有现成信息…`).  Section 四's
    15 cells are one run of digits, or separated by single spaces when `style["four"]` is "spaced".
    """
    # web pages keep the Word template's labels: full-width brackets, no space after "1." (corpus 002/005)
    report = report.copy()
    report.style = {**report.style, "paren": "full", "item_space": False}
    parts: list[str] = []
    for p in report.preamble:
        parts.append(p)
    for number, sec in _sections(report):
        parts.append(sec.heading)
        parts += sec.paragraphs
        if number == "二":
            for b in blocks2(report):
                parts.append(f"{b.caption} 信息内容 " + " ".join(b.header) + " "
                             + "".join(label + "".join(vals) for label, vals in b.rows))
        elif number == "三":
            head = f"{NOTE3} {APPLICANT_HEAD} 自然人 {LEGAL_PERSONS} 总计 " + " ".join(APPLICANT_COLUMNS)
            seq = []
            stray = random.Random(zlib.crc32(repr(report.tables["三"]).encode("utf-8")))
            for r in rows3(report):
                pieces = []
                if r.first_in_group:
                    pieces.append(RESULT_GROUP + " ")
                if r.sub and r.first_in_sub:
                    pieces.append(group_label(r.sub, report) + " ")
                digits = "".join(r.values)
                if report.style.get("stray_spaces", True) and len(digits) > 3 and stray.random() < 0.15:
                    at = stray.randrange(1, len(digits))  # a stray space inside the run (`230 000023`)
                    digits = digits[:at] + " " + digits[at:]
                pieces.append(r.label + (" " if r.sub is None else "") + digits)
                seq.append("".join(pieces))
            parts.append(head + " " + "".join(seq))
        elif number == "四":
            cols = " ".join(common().columns4)
            sep = " " if report.style.get("four") == "spaced" else ""
            parts.append(f"行政复议 行政诉讼 {cols} 未经复议直接起诉 复议后起诉 {cols} {cols} "
                         + sep.join(values4(report)))
        parts += sec.after
    parts += [report.signature, report.date]
    return report.title + "\n" + " ".join(parts) + "\n"


# ---------------------------------------------------------------- registry

WRITERS = {
    "tab": (write_tab_text, ".txt"),
    "markdown": (write_markdown, ".md"),
    "markdown_converted": (write_markdown_converted, ".md"),
    "html": (write_html, ".html"),
    "html_word": (write_html_word, ".html"),
    "docx": (write_docx, ".docx"),
    "pdf": (write_pdf, ".pdf"),
    "pdf_split": (lambda r: write_pdf(r, page_break_in_table=True), ".pdf"),
    "run_together": (write_run_together, ".txt"),
}


def encode(kind: str, report: SynthReport) -> tuple[bytes, str]:
    """The file content for writer `kind` and the suffix its file takes."""
    fn, suffix = WRITERS[kind]
    out = fn(report)
    return (out.encode("utf-8") if isinstance(out, str) else out), suffix
