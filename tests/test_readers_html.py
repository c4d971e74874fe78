"""HTML reader: the seeds' tab layout, merged cells, blanks, source map into the .html."""

from __future__ import annotations

from pathlib import Path

import pytest

from gov_lint.model import Span
from gov_lint.readers import ReadError, detect_format, read_bytes, read_path
from gov_lint.readers.html import read_html

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS_010 = SHARED / "corpus" / "010.html"


def _row(doc, label: str) -> tuple[int, list[str]]:
    """(1-based line, cells) of the first table line whose first non-empty cell starts with `label`."""
    for n, line in enumerate(doc.lines, 1):
        if "\t" not in line:
            continue
        cells = line.split("\t")
        first = next((c for c in cells if c), "")
        if first.startswith(label):
            return n, cells
    raise AssertionError(f"no row {label!r} in:\n{doc.text}")


def _src_at(html_text: str, loc) -> str:
    lines = html_text.replace("\r\n", "\n").split("\n")
    return lines[loc.line - 1][loc.column - 1 :]


# --------------------------------------------------------------------------- corpus 010


@pytest.fixture(scope="module")
def doc010():
    if not CORPUS_010.exists():
        pytest.skip("../shared/corpus/010.html not present")
    return read_path(CORPUS_010)


def test_010_format_meta_and_noise(doc010):
    assert doc010.format == "html"
    assert doc010.encoding == "utf-8"
    assert doc010.meta["title"].startswith("沭阳县发展和改革局2023年政府信息公开年度报告")
    assert doc010.meta["published"] == "2024-01-17"
    # scripts, styles and the second <title> inside the body are not text
    assert "websiteId" not in doc010.text
    assert "font-family" not in doc010.text
    assert "沭阳县人民政府" not in doc010.lines
    assert "三、收到和处理政府信息公开申请情况" in doc010.lines
    assert "四、政府信息公开行政复议、行政诉讼情况" in doc010.lines


def test_010_section3_rows_are_tab_lines(doc010):
    # label spans 3 columns (two covered positions), then 自然人, 5 legal-person columns (blank), 总计
    blank5 = [""] * 5
    _, cells = _row(doc010, "一、本年新收政府信息公开申请数量")
    assert cells == ["一、本年新收政府信息公开申请数量", "", "", "26", *blank5, "26"]
    _, cells = _row(doc010, "二、上年结转政府信息公开申请数量")
    assert cells == ["二、上年结转政府信息公开申请数量", "", "", "0", *blank5, "0"]
    # the rowspan=22 group label is written once, on its first row
    _, cells = _row(doc010, "三、本年度办理结果")
    assert cells == ["三、本年度办理结果", "（一）予以公开", "", "26", *blank5, "26"]
    _, cells = _row(doc010, "（七）总计")
    assert cells == ["", "（七）总计", "", "26", *blank5, "26"]
    _, cells = _row(doc010, "2.其他法律行政法规禁止公开")
    assert cells == ["", "", "2.其他法律行政法规禁止公开", "0", *blank5, "0"]
    _, cells = _row(doc010, "四、结转下年度继续办理")
    assert cells == ["四、结转下年度继续办理", "", "", "0", *blank5, "0"]
    # header cells: text split across <span>s joins, a cell's two <p>s join with a space
    _, cells = _row(doc010, "自然人")
    assert cells[3:5] == ["自然人", "法人或其他组织"] and cells[-1] == "总计" and len(cells) == 10
    # every row of the table has the same 10 positions
    start, _ = _row(doc010, "（本列数据的勾稽关系为")
    end, _ = _row(doc010, "四、结转下年度继续办理")
    assert {len(doc010.line(n).split("\t")) for n in range(start, end + 1)} == {10}


def test_010_section4_row_has_15_positions(doc010):
    n, cells = _row(doc010, "行政复议")
    assert cells[0] == "行政复议" and cells[5] == "行政诉讼" and len(cells) == 15
    data = doc010.line(n + 3).split("\t")
    assert data == ["0", "0", "0", "1", "1"] + ["0"] * 10


def test_010_section2_blocks(doc010):
    _, cells = _row(doc010, "规范性文件")
    assert cells == ["规范性文件", "8", "0", "18"]
    _, cells = _row(doc010, "行政事业性收费")
    assert cells == ["行政事业性收费", "0", "", ""]


def test_010_locations_point_into_the_html(doc010):
    html_text = CORPUS_010.read_text(encoding="utf-8")
    n, cells = _row(doc010, "一、本年新收政府信息公开申请数量")
    line = doc010.line(n)
    col = line.index("\t26\t") + 2  # 1-based column of "26" (the 自然人 cell)
    loc = doc010.locate(Span(n, col, col + 2))
    assert _src_at(html_text, loc).startswith("26</span>")
    assert loc.end_column - loc.column == 2
    assert loc.context == "表格 3 第 4 行 第 4 格"
    # the 总计 cell of the same row is a different HTML position
    col2 = len(line) - 1
    loc2 = doc010.locate(Span(n, col2, col2 + 2))
    assert _src_at(html_text, loc2).startswith("26</span>") and loc2.line > loc.line
    # a blank cell points at its <td>
    loc3 = doc010.locate(Span(n, col + 3, col + 3))
    assert _src_at(html_text, loc3).startswith("<td")
    # section 四: 尚未审结 = 1
    m, _ = _row(doc010, "行政复议")
    data_line = m + 3
    col4 = doc010.line(data_line).index("1") + 1
    loc4 = doc010.locate(Span(data_line, col4, col4 + 1))
    assert _src_at(html_text, loc4).startswith("1</span>")
    # a number in the prose, whose digits sit in their own <font>
    p = next(i for i, ln in enumerate(doc010.lines, 1) if ln.startswith("2023年，我局严格审签程序"))
    c = doc010.line(p).index("249") + 1
    loc5 = doc010.locate(Span(p, c, c + 3))
    assert _src_at(html_text, loc5).startswith("249</font>")


# --------------------------------------------------------------------------- synthetic pages


PAGE = """<!DOCTYPE html>
<html><head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<meta name="PubDate" content="2024/1/20 09:30">
<title>示例局2023年度报告</title>
<style>td { color: red }</style>
<script>var x = "<td>99</td>";</script>
</head>
<body>
<!-- 注释 <td>77</td> -->
<!--[if gte mso 9]><xml><w:WordDocument>88</w:WordDocument></xml><![endif]-->
<h1>示例局2023年政府信息公开工作年度报告</h1>
<p>一、总体情况</p>
<p>本年共收到申请<span>1</span><span>2</span>件，<br>均已办结。</p>
<div style="display:none">隐藏文字</div>
<table border="1">
<tr><td rowspan="2" colspan="2">项目</td><td colspan="3">申请人情况</td></tr>
<tr><td>自然人</td><td>法人或<br>其他组织</td><td>总计</td></tr>
<tr><td colspan="2">一、本年新收</td><td><span>1</span><span>2</span></td><td>&nbsp;</td><td>12</td></tr>
<tr><td rowspan="2">三、结果</td><td>（一）予以公开</td><td>10</td><td><o:p> </o:p></td><td>10</td></tr>
<tr><td>（二）部分公开</td><td>2</td><td>0</td><td>2</td></tr>
</table>
<p>五、存在的主要问题&amp;改进情况</p>
</body></html>
"""


def test_synthetic_page_layout():
    doc = read_html("page.html", PAGE.encode("utf-8"))
    assert doc.meta["title"] == "示例局2023年度报告"
    assert doc.meta["published"] == "2024-01-20"
    assert "99" not in doc.text and "77" not in doc.text and "88" not in doc.text
    assert "隐藏文字" not in doc.text
    assert "本年共收到申请12件，" in doc.lines and "均已办结。" in doc.lines
    rows = [ln.split("\t") for ln in doc.lines if "\t" in ln]
    assert rows == [
        ["项目", "", "申请人情况", "", ""],
        ["", "", "自然人", "法人或 其他组织", "总计"],
        ["一、本年新收", "", "12", "", "12"],
        ["三、结果", "（一）予以公开", "10", "", "10"],
        ["", "（二）部分公开", "2", "0", "2"],
    ]
    assert doc.lines[-1] == "五、存在的主要问题&改进情况"


def test_synthetic_page_source_map():
    doc = read_html("page.html", PAGE.encode("utf-8"))
    src = PAGE
    n = doc.lines.index("五、存在的主要问题&改进情况") + 1
    # text after an entity keeps exact columns: "改进情况" follows "&amp;"
    c = doc.line(n).index("改进") + 1
    loc = doc.locate(Span(n, c, c + 2))
    assert _src_at(src, loc).startswith("改进情况</p>")
    c = doc.line(n).index("&") + 1
    assert _src_at(src, doc.locate(Span(n, c, c + 1))).startswith("&amp;")
    # the two halves of a number split across spans map to their own spans
    n3 = next(i for i, ln in enumerate(doc.lines, 1) if ln.startswith("一、本年新收"))
    c = doc.line(n3).index("12") + 1
    assert _src_at(src, doc.locate(Span(n3, c, c + 1))).startswith("1</span><span>2")
    assert _src_at(src, doc.locate(Span(n3, c + 1, c + 2))).startswith("2</span>")


def test_layout_table_is_read_as_blocks_and_inner_table_as_rows():
    page = (
        "<html><body><table><tr><td>"
        "<p>三、收到和处理政府信息公开申请情况</p>"
        "<table><tr><td>一、本年新收</td><td>3</td><td>3</td></tr></table>"
        "<p>四、行政复议</p>"
        "</td><td>侧栏</td></tr></table></body></html>"
    )
    doc = read_html("x.html", page.encode())
    assert doc.lines[0] == "三、收到和处理政府信息公开申请情况"
    assert "一、本年新收\t3\t3" in doc.lines
    assert "四、行政复议" in doc.lines and "侧栏" in doc.lines


def test_unclosed_cells_and_rows():
    page = "<table><tr><td>规章<td>1<td>2<tr><td>规范性文件<td>3<td>4</table><p>尾"
    doc = read_html("x.html", page.encode())
    assert [ln for ln in doc.lines if "\t" in ln] == ["规章\t1\t2", "规范性文件\t3\t4"]
    assert doc.lines[-1] == "尾"


def test_gbk_page_with_meta_charset():
    page = '<html><head><meta charset="gb2312"><title>报告</title></head><body><p>一、总体情况</p></body></html>'
    doc = read_html("x.html", page.encode("gbk"))
    assert doc.encoding == "gb18030"
    assert doc.lines == ["一、总体情况"]
    assert doc.meta["title"] == "报告"
    # http-equiv form; Big5 bytes only read right when the declaration is used
    big5 = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=big5"></head><body><p>資訊公開</p></body></html>'
    doc = read_html("x.html", big5.encode("big5"))
    assert (doc.encoding, doc.lines) == ("big5", ["資訊公開"])


def test_stale_gbk_declaration_on_utf8_bytes():
    page = '<html><head><meta charset="gbk"></head><body><p>二、主动公开政府信息情况</p></body></html>'
    doc = read_html("x.html", page.encode("utf-8"))
    assert doc.lines == ["二、主动公开政府信息情况"]


def test_utf8_bom_and_crlf():
    page = "\ufeff<html>\r\n<body>\r\n<p>第一行</p>\r\n<p>\r\n第二行</p></body></html>"
    doc = read_html("x.html", page.encode("utf-8"))
    assert doc.lines == ["第一行", "第二行"]
    loc = doc.locate(Span(2, 1, 2))
    assert (loc.line, loc.column) == (5, 1)


def test_no_text_raises_read_error():
    with pytest.raises(ReadError) as err:
        read_html("x.html", b"<html><head><script>var a=1;</script></head><body> &nbsp; </body></html>")
    assert "没有" in err.value.zh and err.value.en


def test_garbage_markup_does_not_crash():
    junk = b"<html><<<>>><td></tr></table></div><p <b>text</p><![CDATA[x]]><!x><?pi?></html>"
    doc = read_html("x.html", junk)
    assert "text" in doc.text


# --------------------------------------------------------------------------- detection


@pytest.mark.parametrize(
    "path,data,fmt",
    [
        ("a.txt", b"<!DOCTYPE html><html><body><p>x</p></body></html>", "html"),
        ("a", b"\xef\xbb\xbf  <html><body>x</body></html>", "html"),
        ("a.html", "标题：某报告\n采集时间：2025\n<html><body>x</body></html>".encode(), "html"),
        ("a.txt", "来源：网站\n<html>\n<body>正文</body></html>".encode(), "html"),
        ("a.md", b"<p align=center>title</p>\n\n| a | b |\n|---|---|\n", "markdown"),
        ("a.txt", "三、情况\n正文里写着 <table> 字样\n".encode(), "text"),
        ("a.htm", "说明文字\n<table><tr><td>1</td></tr></table>".encode(), "html"),
        ("a.txt", "一、总体情况\n\t1\t2\n".encode(), "text"),
        ("a.html", b"%PDF-1.7\n...", "pdf"),
        ("a.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "binary"),
    ],
)
def test_detect_by_content(path, data, fmt):
    assert detect_format(path, data) == fmt


def test_read_bytes_routes_html_by_content():
    doc = read_bytes("report.txt", b"<html><body><table><tr><td>a</td><td>1</td></tr></table></body></html>")
    assert doc.format == "html" and doc.lines == ["a\t1"]


def test_caption_is_a_line_above_the_rows():
    page = "<table><caption>表1 收到和处理申请情况</caption><tr><td>一、本年新收</td><td>5</td></tr></table>"
    doc = read_html("x.html", page.encode())
    assert doc.lines == ["表1 收到和处理申请情况", "一、本年新收\t5"]


def test_single_file_web_page_mht():
    import quopri

    page = '<html><head><meta charset="gb2312"></head><body><table><tr><td>一、本年新收</td><td>5</td></tr></table></body></html>'
    body = quopri.encodestring(page.encode("gbk")).decode("ascii")
    mht = (
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/related; boundary="----=_NextPart_01"\r\n\r\n'
        "------=_NextPart_01\r\n"
        "Content-Location: file:///C:/report.htm\r\n"
        "Content-Transfer-Encoding: quoted-printable\r\n"
        'Content-Type: text/html; charset="gb2312"\r\n\r\n'
        f"{body}\r\n"
        "------=_NextPart_01--\r\n"
    ).encode("ascii")
    assert detect_format("report.mht", mht) == "html"
    doc = read_bytes("report.mht", mht)
    assert doc.lines == ["一、本年新收\t5"]
    assert doc.meta["container"] == "mht"
    with pytest.raises(ReadError):
        read_bytes("empty.mht", b"MIME-Version: 1.0\r\nContent-Type: text/html\r\n\r\n")


def test_word_misaligned_columns_hairline_is_dropped():
    page = """<table border=1>
<tr><td width=50>总计</td><td colspan=2 width=52>结果维持</td><td width=50>复议后起诉</td></tr>
<tr><td width=50>5</td><td width=50>3</td><td colspan=2 style='width:39pt'>2</td></tr>
<![if !supportMisalignedColumns]>
<tr height=0><td width=50 style='border:none'></td><td width=50 style='border:none'></td>
<td width=2 style='border:none'></td><td width=50 style='border:none'></td></tr>
<![endif]>
</table>"""
    doc = read_html("word.htm", page.encode())
    assert doc.lines == ["总计\t结果维持\t复议后起诉", "5\t3\t2"]
    # without the widths the hairline column stays (nothing says it is one)
    plain = page.replace("width=2 ", "")
    assert read_html("word.htm", plain.encode()).lines == ["总计\t结果维持\t\t复议后起诉", "5\t3\t2\t"]


def test_ordered_list_markers():
    page = (
        '<ol style="list-style-type: cjk-ideographic"><li>总体情况</li><li>主动公开政府信息情况</li></ol>'
        '<ol start="3"><li>第三条</li><li value="7">第七条</li></ol><ul><li>圆点</li></ul>'
    )
    doc = read_html("x.html", page.encode())
    assert doc.lines == ["一、总体情况", "二、主动公开政府信息情况", "3.第三条", "7.第七条", "圆点"]
    loc = doc.locate(Span(2, 1, 3))  # the marker points at its <li>
    assert page[loc.column - 1 :].startswith("<li>主动公开")


def test_010_numbers_through_the_parser(doc010):
    """The hand-read numbers of corpus 010 (its page and README) come out of parse()."""
    from gov_lint.parse import parse

    report = parse(doc010)
    assert (report.template, report.year) == ("2021", 2023)
    t3 = report.tables["三"]
    legal = ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
    expected_nat = {"一": 26, "二": 0, "三.一": 26, "三.七": 26, "四": 0}
    assert len(t3.rows) == 25  # 一, 二, 三.一 … 三.七 (21 rows), 四
    for key, row in t3.rows.items():
        nat = expected_nat.get(key, 0)
        assert row.cells["自然人"].value == nat, key
        assert row.cells["总计"].value == nat, key
        assert all(row.cells[c].kind == "blank" for c in legal), key  # the <o:p> </o:p> cells
    t4 = report.tables["四"]
    assert [t4.rows["行政复议"].cells[c].value for c in t4.columns] == [0, 0, 0, 1, 1]
    assert [t4.rows["未经复议直接起诉"].cells[c].value for c in t4.columns] == [0] * 5
    assert [t4.rows["复议后起诉"].cells[c].value for c in t4.columns] == [0] * 5
    t2 = report.tables["二"]
    assert [c.value for c in t2.rows["二.一.行政规范性文件"].cells.values()] == [8, 0, 18]


def test_pre_keeps_lines_and_tabs():
    page = "<html><body><pre>\n三、收到和处理政府信息公开申请情况\n一、本年新收\t<b>12</b>\t0\t12\n\n尾行</pre><p>后</p></body></html>"
    doc = read_html("x.html", page.encode())
    assert doc.lines == ["三、收到和处理政府信息公开申请情况", "一、本年新收\t12\t0\t12", "尾行", "后"]
    n = 2
    c = doc.line(n).index("12") + 1
    loc = doc.locate(Span(n, c, c + 2))
    assert (loc.line, page.split("\n")[loc.line - 1][loc.column - 1 :].startswith("12</b>")) == (3, True)


def test_xml_declaration_encoding():
    # Big5 bytes would also "decode" as GB18030 (into nonsense): only the declaration tells
    page = '<?xml version="1.0" encoding="big5"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body><p>政府資訊公開年報</p></body></html>'
    doc = read_html("x.xhtml", page.encode("big5"))
    assert doc.encoding == "big5" and doc.lines == ["政府資訊公開年報"]
