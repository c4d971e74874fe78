"""DOCX reader: body order, merged cells once, tab rows, locations, broken files."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest

docx = pytest.importorskip("docx")

from gov_lint.model import Span  # noqa: E402
from gov_lint.readers import ReadError, detect_format, read_bytes  # noqa: E402
from gov_lint.readers.docx import read_docx  # noqa: E402


def _save(document) -> bytes:
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _report() -> bytes:
    d = docx.Document()
    d.core_properties.created = dt.datetime(2024, 1, 18, 9, 0, 0)
    d.core_properties.modified = dt.datetime(2024, 1, 20, 16, 30, 0)
    d.core_properties.title = "示例镇2023年报"
    d.add_heading("示例镇2023年政府信息公开工作年度报告", level=1)
    d.add_paragraph("一、总体情况")
    p = d.add_paragraph("本年共收到申请")
    p.add_run("1").bold = True
    p.add_run("2")
    p.add_run("件。")
    d.add_paragraph("三、收到和处理政府信息公开申请情况")
    t = d.add_table(rows=6, cols=5)
    t.cell(0, 0).merge(t.cell(1, 1)).text = "项目"  # 2×2 block: rowspan + colspan
    t.cell(0, 2).merge(t.cell(0, 4)).text = "申请人情况"
    for c, text in enumerate(["自然人", "法人或其他组织", "总计"], 2):
        t.cell(1, c).text = text
    t.cell(2, 0).merge(t.cell(2, 1)).text = "一、本年新收"
    t.cell(3, 0).merge(t.cell(4, 0)).text = "三、本年度办理结果"  # vertical merge
    t.cell(3, 1).text = "（一）予以公开"
    t.cell(4, 1).text = "（二）部分公开"
    t.cell(5, 0).merge(t.cell(5, 1)).text = "四、结转下年度继续办理"
    values = {2: ["12", "", "12"], 3: ["10", "", "10"], 4: ["2", "0", "2"], 5: ["0", "0", "0"]}
    for r, vals in values.items():
        for c, v in enumerate(vals, 2):
            t.cell(r, c).text = v
    t.cell(1, 3).add_paragraph("（含个体）")  # a second paragraph inside a cell
    d.add_paragraph("四、行政复议\t1\t\t\t0")  # a tab-aligned pseudo-row
    p = d.add_paragraph("第一行")
    p.add_run().add_break()
    p.add_run("第二行")
    d.add_paragraph("")
    d.add_paragraph("六、其他需要报告的事项")
    return _save(d)


@pytest.fixture(scope="module")
def doc():
    return read_docx("r.docx", _report())


def test_paragraphs_and_tables_in_body_order(doc):
    assert doc.format == "docx"
    assert doc.lines[:4] == [
        "示例镇2023年政府信息公开工作年度报告",
        "一、总体情况",
        "本年共收到申请12件。",
        "三、收到和处理政府信息公开申请情况",
    ]
    rows = [ln.split("\t") for ln in doc.lines if "\t" in ln]
    assert rows == [
        ["项目", "", "申请人情况", "", ""],
        ["", "", "自然人", "法人或其他组织 （含个体）", "总计"],
        ["一、本年新收", "", "12", "", "12"],
        ["三、本年度办理结果", "（一）予以公开", "10", "", "10"],
        ["", "（二）部分公开", "2", "0", "2"],
        ["四、结转下年度继续办理", "", "0", "0", "0"],
        ["四、行政复议", "1", "0"],  # runs of tabs in a paragraph are one separator
    ]
    i = doc.lines.index("第一行")
    assert doc.lines[i + 1] == "第二行"
    assert doc.lines[-1] == "六、其他需要报告的事项"


def test_meta_from_core_properties(doc):
    assert doc.meta["created"] == "2024-01-18"
    assert doc.meta["modified"] == "2024-01-20"
    assert doc.meta["title"] == "示例镇2023年报"


def test_locations_name_paragraph_and_cell(doc):
    n = doc.lines.index("本年共收到申请12件。") + 1
    loc = doc.locate(Span(n, 8, 10))
    assert loc.context == "段落 3" and (loc.line, loc.column) == (3, 8)
    n = next(i for i, ln in enumerate(doc.lines, 1) if ln.startswith("三、本年度办理结果"))
    line = doc.line(n)
    col = line.index("\t10\t") + 2
    loc = doc.locate(Span(n, col, col + 2))
    assert loc.context == "表格 1 第 4 行 第 3 格"
    assert (loc.line, loc.column) == (4, 1)
    # the merged continuation row: its first cell (covered) still maps to the table
    loc = doc.locate(Span(n + 1, len(doc.line(n + 1)), len(doc.line(n + 1)) + 1))
    assert loc.context == "表格 1 第 5 行 第 5 格"
    # second segment of the tab pseudo-row keeps its paragraph column
    n = next(i for i, ln in enumerate(doc.lines, 1) if ln.startswith("四、行政复议"))
    loc = doc.locate(Span(n, 8, 9))
    assert loc.context.startswith("段落 ") and loc.column == len("四、行政复议\t") + 1


def test_gridbefore_and_nested_layout_table():
    d = docx.Document()
    outer = d.add_table(rows=1, cols=2)
    cell = outer.cell(0, 0)
    cell.paragraphs[0].text = "二、主动公开政府信息情况"
    inner = cell.add_table(rows=1, cols=3)
    for c, v in enumerate(["规章", "1", "2"]):
        inner.cell(0, c).text = v
    outer.cell(0, 1).text = "旁注"
    doc = read_docx("n.docx", _save(d))
    assert doc.lines[0] == "二、主动公开政府信息情况"
    assert "规章\t1\t2" in doc.lines
    assert "旁注" in doc.lines


def test_detected_by_content_whatever_the_suffix():
    data = _report()
    assert detect_format("download.bin", data) == "docx"
    assert read_bytes("download", data).format == "docx"


def test_other_zip_is_not_docx():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
    assert detect_format("a.docx", buf.getvalue()) == "binary"
    with pytest.raises(ReadError):
        read_bytes("a.docx", buf.getvalue())


@pytest.mark.parametrize("cut", [200, 2000, -100])
def test_damaged_docx_raises_read_error(cut):
    data = _report()[:cut]
    with pytest.raises(ReadError) as err:
        read_bytes("broken.docx", data)
    assert err.value.zh and err.value.en


def test_zip_with_broken_document_xml():
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_report())) as src, zipfile.ZipFile(buf, "w") as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "word/document.xml":
                body = body[: len(body) // 2]
            dst.writestr(item, body)
    with pytest.raises(ReadError) as err:
        read_bytes("half.docx", buf.getvalue())
    assert "DOCX" in err.value.zh


def test_empty_document_raises_read_error():
    with pytest.raises(ReadError) as err:
        read_docx("empty.docx", _save(docx.Document()))
    assert "没有文字" in err.value.zh


def test_old_word_and_encrypted_word_explain_what_to_do():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 200
    doc_file = ole + "WordDocument".encode("utf-16-le") + b"\x00" * 100
    assert detect_format("report.doc", doc_file) == "docx"
    with pytest.raises(ReadError) as err:
        read_bytes("report.doc", doc_file)
    assert ".docx" in err.value.zh and "另存为" in err.value.zh
    locked = ole + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 100
    with pytest.raises(ReadError) as err:
        read_bytes("report.docx", locked)
    assert "密码" in err.value.zh
    assert detect_format("sheet.xls", ole + "Workbook".encode("utf-16-le")) == "binary"


def test_hairline_grid_columns_are_dropped():
    from docx.shared import Twips

    d = docx.Document()
    t = d.add_table(rows=2, cols=4)
    t.cell(0, 1).merge(t.cell(0, 2))  # borders that do not line up: row 0 spans the hairline column
    t.cell(1, 2).merge(t.cell(1, 3))  # … and row 1 starts a cell on it
    for c, text in zip((0, 1, 3), ("总计", "结果维持", "复议后起诉")):
        t.cell(0, c).text = text
    for c, text in zip((0, 1, 2), ("5", "3", "2")):
        t.cell(1, c).text = text
    for i, w in enumerate((1500, 1500, 12, 1500)):
        t.columns[i].width = Twips(w)
    doc = read_docx("sliver.docx", _save(d))
    assert [ln for ln in doc.lines if "\t" in ln] == ["总计\t结果维持\t复议后起诉", "5\t3\t2"]
    # a narrow column that holds text of its own is kept
    d2 = docx.Document()
    t2 = d2.add_table(rows=1, cols=3)
    for c, text in enumerate(("a", "1", "b")):
        t2.cell(0, c).text = text
    t2.columns[1].width = Twips(60)
    assert "a\t1\tb" in read_docx("narrow.docx", _save(d2)).lines


def _add_numbering(d, abstract_id: int, levels: list[tuple[str, str]], nums: dict[int, int | None]) -> None:
    """A Chinese multi-level list in numbering.xml; `nums` maps numId → start override of level 0."""
    from docx.oxml import parse_xml

    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl>'
        for i, (fmt, text) in enumerate(levels)
    )
    root = d.part.numbering_part.element
    root.insert(0, parse_xml(f'<w:abstractNum {ns} w:abstractNumId="{abstract_id}">{lvls}</w:abstractNum>'))
    for num_id, start in nums.items():
        override = (
            f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{start}"/></w:lvlOverride>' if start else ""
        )
        root.append(parse_xml(f'<w:num {ns} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>{override}</w:num>'))


def _numbered(d, text: str, num_id: int, level: int):
    from docx.oxml import parse_xml

    p = d.add_paragraph(text)
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    p._p.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {ns}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>')
    )
    return p


def test_word_automatic_numbering_is_written_out():
    d = docx.Document()
    _add_numbering(d, 90, [("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3.")], {91: None, 92: 5})
    _numbered(d, "总体情况", 91, 0)
    _numbered(d, "主动公开政府信息情况", 91, 1)
    _numbered(d, "依申请公开政府信息情况", 91, 1)
    _numbered(d, "主动公开政府信息情况", 91, 0)
    _numbered(d, "规章", 91, 1)  # a new level-0 item restarts level 1
    _numbered(d, "属于国家秘密", 91, 2)
    for _ in range(6):
        _numbered(d, "条目", 91, 0)  # 三 … 八
    _numbered(d, "第九项", 91, 0)
    _numbered(d, "另起编号", 92, 0)  # a list restarted at 5 (startOverride)
    d.add_paragraph("普通段落")
    d.add_paragraph("样式编号", style="List Number")  # numbering that comes from the paragraph style
    lines = read_docx("numbered.docx", _save(d)).lines
    assert lines[:6] == ["一、总体情况", "（一）主动公开政府信息情况", "（二）依申请公开政府信息情况", "二、主动公开政府信息情况", "（一）规章", "1.属于国家秘密"]
    assert lines[6:13] == ["三、条目", "四、条目", "五、条目", "六、条目", "七、条目", "八、条目", "九、第九项"]
    assert lines[13] == "五、另起编号"
    assert lines[14] == "普通段落"
    assert lines[15] == "1.样式编号"


def test_chinese_counting_numbers():
    from gov_lint.readers.docx import _chinese, _format_number

    assert [_chinese(n) for n in (1, 10, 11, 20, 21, 99, 100, 105, 110, 125)] == [
        "一", "十", "十一", "二十", "二十一", "九十九", "一百", "一百零五", "一百一十", "一百二十五"
    ]
    assert _format_number(3, "ideographTraditional") == "丙"
    assert _format_number(2, "decimalEnclosedCircle") == "②"
    assert _format_number(4, "upperRoman") == "IV"
    assert _format_number(28, "lowerLetter") == "bb"


def test_tracked_changes_fields_and_ruby():
    from docx.oxml import parse_xml

    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    d = docx.Document()
    p = d.add_paragraph("共收到申请")
    for xml in (
        '<w:del w:id="1" w:author="a"><w:r><w:delText>15</w:delText></w:r></w:del>',  # deleted in review
        '<w:ins w:id="2" w:author="a"><w:r><w:t>16</w:t></w:r></w:ins>',  # inserted in review
        "<w:r><w:t>件</w:t></w:r>",
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>（第3页）</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
        "<w:ruby><w:rt><w:r><w:t>shù</w:t></w:r></w:rt><w:rubyBase><w:r><w:t>沭</w:t></w:r></w:rubyBase></w:ruby>",
    ):
        for el in parse_xml(f"<w:x {ns}>{xml}</w:x>"):
            p._p.append(el)
    assert read_docx("tracked.docx", _save(d)).lines == ["共收到申请16件（第3页）沭"]


def test_one_cell_frame_around_the_text_is_not_a_table_row():
    d = docx.Document()
    frame = d.add_table(rows=1, cols=1)
    cell = frame.cell(0, 0)
    cell.paragraphs[0].text = "一、总体情况"
    cell.add_paragraph("本年度共收到申请5件。")
    doc = read_docx("frame.docx", _save(d))
    assert doc.lines == ["一、总体情况", "本年度共收到申请5件。"]
    assert doc.locate(Span(2, 1, 3)).context == "段落 2"
