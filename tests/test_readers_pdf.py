"""PDF reader: ruled tables as tab rows, text outside them, pages, broken files.

Fixtures are drawn with reportlab's built-in CJK font (STSong-Light); the tests
skip when reportlab is not installed.
"""

from __future__ import annotations

import builtins
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytest.importorskip("pypdfium2")
pytest.importorskip("reportlab")

from reportlab.lib import colors  # noqa: E402
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.lib.styles import ParagraphStyle  # noqa: E402
from reportlab.pdfbase import pdfmetrics  # noqa: E402
from reportlab.pdfbase.cidfonts import UnicodeCIDFont  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle  # noqa: E402

from gov_lint.model import Span  # noqa: E402
from gov_lint.readers import ReadError, detect_format, read_bytes  # noqa: E402
from gov_lint.readers.pdf import read_pdf  # noqa: E402

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
STYLE = ParagraphStyle("cn", fontName=FONT, fontSize=11, leading=16)

TABLE3 = [
    ["项目", "", "申请人情况", "", ""],
    ["", "", "自然人", "法人或其他组织", "总计"],
    ["一、本年新收", "", "12", "", "12"],
    ["三、本年度办理结果", "（一）予以公开", "10", "", "10"],
    ["", "（二）部分公开", "2", "0", "2"],
    ["四、结转下年度继续办理", "", "0", "0", "0"],
]


def _page_number(c, doc) -> None:
    c.setFont(FONT, 10)
    c.drawCentredString(A4[0] / 2, 30, f"— {doc.page} —")


def _report_pdf() -> bytes:
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, title="示例镇年报", author="示例镇人民政府")
    table = Table(TABLE3)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("SPAN", (0, 0), (1, 1)),  # 项目: two rows × two columns
                ("SPAN", (2, 0), (4, 0)),  # 申请人情况
                ("SPAN", (0, 2), (1, 2)),
                ("SPAN", (0, 3), (0, 4)),  # 三、本年度办理结果 down two rows
                ("SPAN", (0, 5), (1, 5)),
            ]
        )
    )
    story = [
        Paragraph("示例镇2023年政府信息公开工作年度报告", STYLE),
        Paragraph("一、总体情况", STYLE),
        Paragraph("本年共收到申请 12 件。", STYLE),
        Paragraph("三、收到和处理政府信息公开申请情况", STYLE),
        table,
        Paragraph("表后说明文字。", STYLE),
        PageBreak(),
        Paragraph("四、政府信息公开行政复议、行政诉讼情况", STYLE),
    ]
    doc.build(story, onFirstPage=_page_number, onLaterPages=_page_number)
    return buf.getvalue()


@pytest.fixture(scope="module")
def doc():
    return read_pdf("r.pdf", _report_pdf())


def test_text_and_table_rows(doc):
    assert doc.format == "pdf"
    assert doc.lines[:4] == [
        "示例镇2023年政府信息公开工作年度报告",
        "一、总体情况",
        "本年共收到申请 12 件。",
        "三、收到和处理政府信息公开申请情况",
    ]
    rows = [ln.split("\t") for ln in doc.lines if "\t" in ln]
    assert len(rows) == len(TABLE3)
    assert rows[2:] == [
        ["一、本年新收", "", "12", "", "12"],
        ["三、本年度办理结果", "（一）予以公开", "10", "", "10"],
        ["", "（二）部分公开", "2", "0", "2"],
        ["四、结转下年度继续办理", "", "0", "0", "0"],
    ]
    assert rows[1][2:] == ["自然人", "法人或其他组织", "总计"]
    assert rows[0][2] == "申请人情况" and rows[0][3:] == ["", ""]
    # text after the table stays after it; the table's words are not repeated as text
    assert doc.lines.index("表后说明文字。") > doc.lines.index("四、结转下年度继续办理\t\t0\t0\t0")
    assert not any(ln.startswith("一、本年新收") and "\t" not in ln for ln in doc.lines)


def test_page_numbers_dropped_and_pages_in_order(doc):
    assert not any("—" in ln for ln in doc.lines)
    assert doc.lines[-1] == "四、政府信息公开行政复议、行政诉讼情况"


def test_locations_name_page_and_cell(doc):
    n = doc.lines.index("本年共收到申请 12 件。") + 1
    loc = doc.locate(Span(n, 9, 11))
    assert loc.context == "第 1 页" and (loc.line, loc.column) == (3, 9)
    n = next(i for i, ln in enumerate(doc.lines, 1) if ln.startswith("三、本年度办理结果"))
    col = doc.line(n).index("\t10\t") + 2
    loc = doc.locate(Span(n, col, col + 2))
    assert loc.context == "第 1 页 表格 1 第 4 行 第 3 格"
    last = doc.locate(Span(len(doc.lines), 1, 3))
    assert last.context == "第 2 页" and last.line == 1


def test_meta(doc):
    assert doc.meta["title"] == "示例镇年报"
    assert doc.meta["author"] == "示例镇人民政府"
    assert doc.meta["pages"] == "2"
    assert len(doc.meta["created"]) == 10 and doc.meta["created"][4] == "-"


def test_detect_and_route():
    data = _report_pdf()
    assert detect_format("x.bin", data) == "pdf"
    assert read_bytes("x", data).format == "pdf"


def test_damaged_pdf():
    with pytest.raises(ReadError) as err:
        read_bytes("bad.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage \x00\x01")
    assert err.value.zh and err.value.en
    with pytest.raises(ReadError):
        read_bytes("cut.pdf", _report_pdf()[:300])


def test_image_only_pdf_has_no_text():
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.rect(100, 100, 300, 300, fill=1)  # a "scan": shapes, no text
    c.showPage()
    c.save()
    with pytest.raises(ReadError) as err:
        read_pdf("scan.pdf", buf.getvalue())
    assert "没有可提取的文字" in err.value.zh and "1 页" in err.value.zh


def test_encrypted_pdf():
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, encrypt="secret")
    c.setFont(FONT, 12)
    c.drawString(100, 700, "一、总体情况")
    c.showPage()
    c.save()
    with pytest.raises(ReadError) as err:
        read_pdf("locked.pdf", buf.getvalue())
    assert "加密" in err.value.zh


def test_without_pypdfium2_names_the_reinstall(monkeypatch):
    real_import = builtins.__import__

    def fake_import(name, *args, **kwargs):
        if name == "pypdfium2" or name.startswith("pypdfium2."):
            raise ImportError("No module named 'pypdfium2'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)
    with pytest.raises(ReadError) as err:
        read_pdf("x.pdf", b"%PDF-1.4\n")
    # pypdfium2 is a plain dependency: the way out is a reinstall, not an extra
    assert "pip install --force-reinstall gov-lint" in err.value.zh
    assert "pip install --force-reinstall gov-lint" in err.value.en
    assert "[pdf]" not in err.value.zh + err.value.en


def test_glyph_numbers_instead_of_text():
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    for i in range(20):  # what pdfminer prints for a font without a Unicode map
        c.drawString(60, 800 - 20 * i, "".join(f"(cid:{100 + i * 10 + k})" for k in range(8)))
    c.showPage()
    c.save()
    with pytest.raises(ReadError) as err:
        read_pdf("cid.pdf", buf.getvalue())
    assert "cid" in err.value.zh


def _grid(rows) -> Table:
    t = Table(rows)
    t.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), ("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
    return t


def test_row_broken_across_pages_is_joined():
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4)
    doc.build(
        [
            Paragraph("三、收到和处理政府信息公开申请情况", STYLE),
            _grid([["项目", "", "自然人", "总计"], ["", "1.属于国家秘密", "0", "0"], ["", "3.危及“三", "7", "7"]]),
            PageBreak(),  # Word's "allow row to break across pages": the label's tail opens the next page
            _grid([["", "安全一稳定”", "", ""], ["", "4.保护第三方合法权益", "0", "0"]]),
            Paragraph("表后", STYLE),
            PageBreak(),
            _grid([["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]]),
            PageBreak(),  # a header at the foot of a page and the first data row on the next: two rows
            _grid([["规章", "1", "0", "4"]]),
            PageBreak(),
            _grid([["行政许可", "25", "", ""]]),
            PageBreak(),  # a new caption row is not the rest of the row above it
            _grid([["第二十条第（六）项", "", "", ""], ["行政处罚", "3", "", ""]]),
        ],
        onFirstPage=_page_number,
        onLaterPages=_page_number,
    )
    doc = read_pdf("broken-row.pdf", buf.getvalue())
    rows = [ln for ln in doc.lines if "\t" in ln]
    assert rows == [
        "项目\t\t自然人\t总计",
        "\t1.属于国家秘密\t0\t0",
        "\t3.危及“三安全一稳定”\t7\t7",
        "\t4.保护第三方合法权益\t0\t0",
        "信息内容\t本年制发件数\t本年废止件数\t现行有效件数",
        "规章\t1\t0\t4",
        "行政许可\t25\t\t",
        "第二十条第（六）项\t\t\t",
        "行政处罚\t3\t\t",
    ]
    # the joined table has no blank line in the middle
    i = doc.lines.index("\t3.危及“三安全一稳定”\t7\t7")
    assert doc.lines[i + 1] == "\t4.保护第三方合法权益\t0\t0"
    # the joined row is located on the page where it starts
    loc = doc.locate(Span(i + 1, 2, 4))
    assert loc.context.startswith("第 1 页 表格 1 第 3 行")
    loc = doc.locate(Span(i + 2, 2, 4))
    assert loc.context.startswith("第 2 页 表格 2 第 2 行")


def test_justified_cells_lose_their_letter_spacing():
    from gov_lint.readers.pdf import _cell, _line

    assert _cell("总 计") == "总计"
    assert _cell("2 6") == "26"
    assert _cell("（ 三 ） 不 予\n公 开") == "（三）不予公开"
    assert _cell("1. 属 于 国 家 秘 密") == "1. 属于国家秘密"
    assert _cell(None) == ""
    assert _line("2023 年 度 报 告") == "2023 年度报告"


def test_table_without_rules_reads_as_tab_rows():
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4)
    rows = [["一、本年新收", "12", "0", "12"], ["二、上年结转", "3", "1", "4"]]
    borderless = Table(rows, colWidths=[120, 60, 60, 60])
    borderless.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT)]))
    doc.build([Paragraph("本年共收到申请 12 件，上年结转 4 件。", STYLE), borderless])
    doc = read_pdf("borderless.pdf", buf.getvalue())
    assert doc.lines == [
        "本年共收到申请 12 件，上年结转 4 件。",  # word gaps stay spaces
        "一、本年新收\t12\t0\t12",
        "二、上年结转\t3\t1\t4",
    ]


def test_slanted_watermark_is_not_text():
    def watermark(c, doc) -> None:
        c.saveState()
        c.setFont(FONT, 48)
        c.setFillGray(0.85)
        c.translate(300, 400)
        c.rotate(45)
        c.drawCentredString(0, 0, "内部资料注意保密")
        c.restoreState()

    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4)
    doc.build(
        [Paragraph("三、收到和处理政府信息公开申请情况", STYLE), _grid(TABLE3[2:])],
        onFirstPage=watermark,
    )
    doc = read_pdf("watermark.pdf", buf.getvalue())
    assert doc.lines == [
        "三、收到和处理政府信息公开申请情况",
        "",
        "一、本年新收\t\t12\t\t12",
        "三、本年度办理结果\t（一）予以公开\t10\t\t10",
        "\t（二）部分公开\t2\t0\t2",
        "四、结转下年度继续办理\t\t0\t0\t0",
    ]


def test_continued_table_under_a_xubiao_line():
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4)
    doc.build(
        [
            _grid([["项目", "", "自然人", "总计"], ["", "1.属于国家秘密", "0", "0"]]),
            PageBreak(),
            Paragraph("续表", STYLE),
            _grid([["", "2.其他法律行政法规禁止公开", "1", "1"]]),
        ]
    )
    lines = read_pdf("xubiao.pdf", buf.getvalue()).lines
    assert lines == ["项目\t\t自然人\t总计", "\t1.属于国家秘密\t0\t0", "\t2.其他法律行政法规禁止公开\t1\t1"]


def test_the_report_is_read_by_pdfium_alone(doc, monkeypatch):
    """PDFium measures every glyph of the fixture: pdfplumber is not needed (and not called)."""
    from gov_lint.readers import pdf_plumber

    def no_plumber(data):
        raise AssertionError("pdfplumber called")

    monkeypatch.setattr(pdf_plumber, "pages", no_plumber)
    again = read_pdf("r.pdf", _report_pdf())
    assert again.lines == doc.lines


def _lone_glyphs_pdf() -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setFont(FONT, 12)
    c.drawString(100, 700, "结果维")
    c.drawString(100, 686, "持")  # a text object of one glyph
    c.drawString(100, 650, "总计 12")
    c.drawString(300, 650, "0")  # one digit alone
    c.showPage()
    c.save()
    return buf.getvalue()


def test_a_lone_glyph_of_a_font_not_embedded_is_read_by_pdfium(monkeypatch):
    """STSong-Light is not embedded: PDFium measures it with the stand-in font (pdf_fonts), on a machine with or
    without Chinese fonts, so a text object of one glyph ("持") is in the page's text and pdfplumber is not needed."""
    import pypdfium2
    import pypdfium2.raw as pdfium_c

    from gov_lint.readers import pdf_fonts, pdf_page, pdf_plumber

    data = _lone_glyphs_pdf()
    pdf_fonts.install(pdfium_c)
    pdf = pypdfium2.PdfDocument(data)
    page = pdf[0]
    _rules, measured, stand_in = pdf_page.rules(pdfium_c, page.raw, page.get_height())
    page.close()
    pdf.close()
    assert measured and stand_in

    def no_plumber(data):
        raise AssertionError("pdfplumber called")

    monkeypatch.setattr(pdf_plumber, "pages", no_plumber)
    assert read_pdf("lone.pdf", data).lines == ["结果维", "持", "总计 12\t0"]


@pytest.mark.parametrize(
    "font, texts",
    [
        ("MSung-Light", ["結果維", "持", "總計 12"]),  # Traditional Chinese (CNS1): pdfminer read these as "硈某棳", "系"
        ("HeiseiMin-W3", ["日本語の", "表", "合計 12"]),  # Japanese (Japan1)
        ("HYSMyeongJo-Medium", ["한국어", "표", "합계 12"]),  # Korean (Korea1)
    ],
)
def test_other_cjk_fonts_not_embedded_read_as_written(font, texts):
    """The stand-in serves every CJK character set; the text comes from the PDF's own CMap, as PDFium maps it.

    For the Traditional Chinese CMap (UniCNS-UCS2-H) PDFium gives the characters written, where the pdfplumber
    path (which read such a file before, for its lone glyph) gave other characters."""
    pdfmetrics.registerFont(UnicodeCIDFont(font))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setFont(font, 12)
    for i, text in enumerate(texts):
        c.drawString(100, 700 - 14 * i, text)
    c.showPage()
    c.save()
    assert read_pdf("cjk.pdf", buf.getvalue()).lines == texts


def test_embedded_and_latin_fonts_are_not_measured_with_the_stand_in():
    """Only a CJK font the file does not embed gets the stand-in: a page in Helvetica (a standard font PDFium has)
    and in an embedded TrueType font is read with each glyph's own ink, as before."""
    import glob

    import pypdfium2
    import pypdfium2.raw as pdfium_c
    from reportlab.pdfbase.ttfonts import TTFont

    from gov_lint.readers import pdf_fonts, pdf_page

    found = sorted(glob.glob("/usr/share/fonts/**/DejaVuSans.ttf", recursive=True))
    if not found:
        pytest.skip("no DejaVuSans.ttf to embed")
    pdfmetrics.registerFont(TTFont("Embedded", found[0]))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setFont("Helvetica", 11)
    c.drawString(60, 700, "Total 12")
    c.setFont("Embedded", 11)
    c.drawString(60, 680, "Year 2023")
    c.line(50, 670, 300, 670)
    c.showPage()
    c.save()
    pdf_fonts.install(pdfium_c)
    pdf = pypdfium2.PdfDocument(buf.getvalue())
    page = pdf[0]
    _rules, measured, stand_in = pdf_page.rules(pdfium_c, page.raw, page.get_height())
    page.close()
    pdf.close()
    assert measured and not stand_in


def test_a_glyph_pdfium_cannot_measure_sends_the_file_to_pdfplumber(monkeypatch):
    """When a page still has a text object of no width (a font neither embedded nor CJK, whose glyph no font here
    has), PDFium would leave it out: the file is read by pdfplumber and nothing is lost."""
    from gov_lint.readers import pdf_page, pdf_plumber

    real_rules, real_pages = pdf_page.rules, pdf_plumber.pages
    calls = []
    monkeypatch.setattr(pdf_page, "rules", lambda *args: (real_rules(*args)[0], False, False))
    monkeypatch.setattr(pdf_plumber, "pages", lambda d: calls.append(1) or real_pages(d))
    assert read_pdf("lone.pdf", _lone_glyphs_pdf()).lines == ["结果维", "持", "总计 12\t0"]
    assert calls == [1]


def test_stand_in_glyphs_have_pdfminers_boxes():
    """A glyph measured with the stand-in takes its advance box (the stand-in's ink is an em box): the same x as
    pdfminer gives, so both engines cut words, cells and columns alike."""
    import pdfplumber
    import pypdfium2
    import pypdfium2.raw as pdfium_c

    from gov_lint.readers import pdf_fonts, pdf_page

    data = _report_pdf()
    pdf_fonts.install(pdfium_c)
    pdf = pypdfium2.PdfDocument(data)
    page = pdf[0]
    height = page.get_height()
    _rules, _measured, stand_in = pdf_page.rules(pdfium_c, page.raw, height)
    textpage = page.get_textpage()
    ours = [g for g in pdf_page.glyphs(pdfium_c, textpage.raw, height, stand_in) if not g[4].isspace()]
    textpage.close()
    page.close()
    pdf.close()
    with pdfplumber.open(io.BytesIO(data)) as plumber:
        theirs = [ch for ch in plumber.pages[0].chars if not ch["text"].isspace()]
    key = lambda g: (round(g[2]), g[0])  # noqa: E731 - line, then left to right
    ours.sort(key=key)
    theirs.sort(key=lambda ch: (round(ch["top"]), ch["x0"]))
    assert [g[4] for g in ours] == [ch["text"] for ch in theirs]
    assert all(abs(g[0] - ch["x0"]) < 0.01 and abs(g[1] - ch["x1"]) < 0.01 for g, ch in zip(ours, theirs))


def test_stand_in_font_maps_every_character_to_its_box():
    """The shipped font: the family name the reader knows it by, one small square for CJK, digits and letters."""
    ttLib = pytest.importorskip("fontTools.ttLib")
    from pathlib import Path

    from gov_lint.readers import pdf_fonts

    font = ttLib.TTFont(Path(pdf_fonts.__file__).with_name("pdf_stand_in.ttf"))
    assert font["name"].getDebugName(1).encode() == pdf_fonts.FAMILY
    cmap = font.getBestCmap()
    assert {cmap[ord(ch)] for ch in "持总计0Ａ、"} == {"box"}
    box = font["glyf"]["box"]  # small, on the baseline: inside the advance box of any glyph
    assert (box.xMin, box.yMin) == (0, 0) and 0 < box.xMax <= font["head"].unitsPerEm // 10 and 0 < box.yMax


def test_a_framed_box_is_text_on_both_engines():
    """The one rule both engines share (pdf_layout.is_table): a ruled frame of one column is read as text lines."""
    from gov_lint.readers import pdf_plumber
    from gov_lint.readers.pdf import _Writer

    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4)
    doc.build([_grid([["注：本表数据截至12月31日"], ["单位：件"]]), Paragraph("表后", STYLE), _grid(TABLE3[2:3])])
    data = buf.getvalue()
    writer = _Writer()
    for number, found in enumerate(pdf_plumber.pages(data), 1):
        writer.page(found, number)
    by_plumber = writer.emit()[0]
    expected = ["注：本表数据截至12月31日", "单位：件", "表后", "", "一、本年新收\t\t12\t\t12", ""]  # (as a table: blank after)
    assert read_pdf("framed.pdf", data).lines == expected[:-1]  # the reader drops the last blank line
    assert by_plumber == expected


def test_not_a_pdf_at_all_is_a_damaged_file():
    with pytest.raises(ReadError) as err:
        read_pdf("x.pdf", b"hello, this is not a PDF")
    assert err.value.code == "P001" and "损坏" in err.value.zh and "damaged" in err.value.en


def test_pdfs_read_in_threads_at_once_read_the_same(doc):
    """gov-lint serve checks uploads in a thread pool; PDFium is not thread-safe, so the reader takes turns."""
    from concurrent.futures import ThreadPoolExecutor

    data = _report_pdf()
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: read_pdf("r.pdf", data).lines, range(8)))
    assert all(lines == doc.lines for lines in results)


_HANZI = "结果维持纠正其他尚未审结总计予以公开部分不属于本机关"
_CELL = st.text(alphabet=_HANZI + "0123456789（）、.", max_size=7)


@st.composite
def _report_pages(draw):
    """A random page: prose whose last line may be one glyph, a ruled table of short cells, more prose."""
    width = draw(st.integers(2, 5))
    rows = draw(st.lists(st.lists(_CELL, min_size=width, max_size=width), min_size=1, max_size=5))
    before = draw(st.text(alphabet=_HANZI + "0123456789，。", min_size=1, max_size=80))
    after = draw(st.text(alphabet=_HANZI, min_size=1, max_size=3))
    return before, rows, after


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_report_pages())
def test_pdfium_with_the_stand_in_reads_what_pdfplumber_reads(page):
    """On PDFs in a font that is not embedded (lone glyphs included), the PDFium path with the stand-in font gives
    the same lines and source map as the pdfplumber path, which read such files before."""
    from gov_lint.readers import pdf_page

    before, rows, after = page
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4).build([Paragraph(before, STYLE), _grid(rows), Paragraph(after, STYLE)])
    data = buf.getvalue()
    ours = read_pdf("p.pdf", data)
    real = pdf_page.rules
    pdf_page.rules = lambda *args: (real(*args)[0], False, False)  # as if unmeasured: pdfplumber reads it
    try:
        theirs = read_pdf("p.pdf", data)
    finally:
        pdf_page.rules = real
    assert ours.lines == theirs.lines
    spans = [Span(n, c, c + 1) for n, line in enumerate(ours.lines, 1) for c in range(1, len(line) + 1, 3)]
    assert [ours.locate(s) for s in spans] == [theirs.locate(s) for s in spans]
