"""The HTML report: snapshot plus structural checks on a hand-built result."""

from __future__ import annotations

import io
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from gov_lint.output.base import RenderOptions, Summary
from gov_lint.output.html import HtmlRenderer, render_html

from html_fixture import build_report, build_unreadable

SNAPSHOTS = Path(__file__).parent / "snapshots"
VOID = {"meta", "br", "input", "img", "hr", "link", "col", "wbr"}


class Tree(HTMLParser):
    """Parses the page, checks nesting, and keeps every element with its attributes and text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict]] = []
        self.elements: list[tuple[str, dict, list[str]]] = []  # tag, attrs, ancestor tags
        self.by_id: dict[str, tuple[str, dict]] = {}
        self.text: dict[int, list[str]] = {}
        self.errors: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.elements.append((tag, a, [t for t, _ in self.stack]))
        if "id" in a:
            if a["id"] in self.by_id:
                self.errors.append(f"duplicate id {a['id']}")
            self.by_id[a["id"]] = (tag, a)
        if tag not in VOID:
            self.stack.append((tag, a))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1][0] != tag:
            self.errors.append(f"unexpected </{tag}> (open: {[t for t, _ in self.stack][-3:]})")
            return
        self.stack.pop()


def page(results, lang="zh") -> str:
    return render_html(results, RenderOptions(lang=lang, tool_version="0.0.0-test"))


def parse(html: str) -> Tree:
    t = Tree()
    t.feed(html)
    t.close()
    assert not t.errors, t.errors[:5]
    assert not t.stack, [tg for tg, _ in t.stack]
    return t


@pytest.mark.parametrize(
    "name, lang, results",
    [("zh", "zh", lambda: [build_report(), build_unreadable()]), ("en", "en", lambda: [build_report()])],
)
def test_snapshot(name, lang, results):
    html = page(results(), lang)
    snap = SNAPSHOTS / f"html_{name}.html"
    if os.environ.get("GOV_LINT_UPDATE_SNAPSHOTS") == "1":
        snap.write_text(html, encoding="utf-8")
    assert snap.exists(), f"snapshot {snap.name} missing; GOV_LINT_UPDATE_SNAPSHOTS=1 writes it"
    assert html == snap.read_text(encoding="utf-8"), f"{snap.name} differs; GOV_LINT_UPDATE_SNAPSHOTS=1 rewrites it"


def test_renderer_protocol_matches_render_html():
    out = io.StringIO()
    r = HtmlRenderer(out, RenderOptions(tool_version="0.0.0-test"))
    summary = Summary()
    for res in (build_report(), build_unreadable()):
        summary.add(res)
        r.file(res)
    r.finish(summary)
    assert out.getvalue() == page([build_report(), build_unreadable()])


def test_every_cell_finding_highlights_its_cell_and_links_both_ways():
    result = build_report()
    tree = parse(page([result]))
    items = [(tag, a) for tag, a, _ in tree.elements if "finding" in a.get("class", "").split()]
    assert len(items) == len(result.findings)
    cell_findings = [(i, f) for i, f in enumerate(result.findings) if f.table and f.row and f.column]
    assert len(cell_findings) == 3
    links = {a["href"][1:]: a for tag, a, anc in tree.elements if tag == "a" and a.get("href", "").startswith("#")}
    for i, f in cell_findings:
        fid = f"r1-f{i + 1}"
        assert tree.by_id[fid][1]["class"] == f"finding sev-{f.severity}"
        cell_ids = [
            a["id"]
            for tag, a, _ in tree.elements
            if tag == "td" and "hit" in a.get("class", "").split() and f"sev-{f.severity}" in a["class"].split()
        ]
        assert fid in links
        targets = [cid for cid in cell_ids if any(
            t == "a" and at.get("href") == f"#{fid}" for t, at, anc in tree.elements
        )]
        assert targets, f"no highlighted cell links to {fid}"
    # exactly the three cells with findings are highlighted
    hits = [a for tag, a, _ in tree.elements if tag == "td" and "hit" in a.get("class", "").split()]
    assert len(hits) == 3
    assert sorted(h["class"].split()[-1] for h in hits) == ["sev-error", "sev-error", "sev-warning"]


def test_cell_and_finding_anchor_pairs():
    html = page([build_report()])
    # each highlighted td: id, then a link to a finding; that finding has a back link to the td
    pairs = re.findall(r'<td id="([^"]+)" class="[^"]*\bhit\b[^"]*"[^>]*><a class="go" href="#([^"]+)"', html)
    assert len(pairs) == 3
    for cell_id, fid in pairs:
        block = re.search(rf'<li id="{fid}" .*?(?=<li id="r1-f|</ol>)', html, re.S).group(0)
        assert f'<a class="back" href="#{cell_id}">' in block


def test_highlight_is_not_colour_alone():
    html = page([build_report()])
    cell = re.search(r'<td id="[^"]+" class="[^"]*sev-error[^"]*".*?</td>', html).group(0)
    assert "✖" in cell and '<span class="vh"> 错误</span>' in cell
    assert "应为 11" in cell or "应为 1" in cell
    warn = re.search(r'<td id="[^"]+" class="[^"]*sev-warning[^"]*".*?</td>', html).group(0)
    assert "⚠" in warn and "警告" in warn
    # border styles differ per severity
    assert re.search(r"\.hit\.sev-error\{outline:3px solid", html)
    assert re.search(r"\.hit\.sev-warning\{outline:3px dashed", html)
    assert re.search(r"\.hit\.sev-info\{outline:3px dotted", html)


def test_official_layout():
    tree = parse(page([build_report()]))
    ths = [(a, anc) for tag, a, anc in tree.elements if tag == "th"]
    html = page([build_report()])
    # section 三: 申请人情况 over 7 columns, 自然人 and 总计 over two header rows, 法人或其他组织 over 5
    assert '<th scope="colgroup" colspan="7">申请人情况</th>' in html
    assert '<th scope="col" rowspan="2">自然人</th><th scope="colgroup" colspan="5">法人或其他组织</th><th scope="col" rowspan="2">总计</th>' in html
    # the 三 block spans 22 rows in the 2021 format; group labels span their items
    assert 'rowspan="22" class="vert">三、本年度办理结果</th>' in html
    for label, n in (("（三）不予公开", 8), ("（四）无法提供", 3), ("（五）不予处理", 5), ("（六）其他处理", 3)):
        assert f'<th scope="rowgroup" rowspan="{n}" class="grp">{label}</th>' in html
    # section 四: 15 data cells in one row, two-level header
    t4 = re.search(r'<table class="t t4"[^>]*>.*?</table>', html, re.S).group(0)
    assert len(re.findall(r"<td ", t4)) == 15
    assert '<th scope="colgroup" colspan="10">行政诉讼</th>' in t4
    # section 二: each block has its caption, 信息内容 header; single-value blocks span 3 columns
    t2 = re.search(r'<table class="t t2"[^>]*>.*?</table>', html, re.S).group(0)
    for item in "一五六八":
        assert f"第二十条第（{item}）项" in t2
    assert '<th scope="col" colspan="3">本年收费金额（单位：万元）</th>' in t2
    # every th has a scope
    assert all("scope" in a for a, _ in ths)


def test_2019_layout_has_single_other_row():
    res = build_report()
    res.layout = res.template = "2019"
    t3 = res.tables["三"]
    t3.rows = {k: v for k, v in t3.rows.items() if not k.startswith("三.六.")}
    html = page([res])
    assert 'rowspan="20" class="vert">三、本年度办理结果</th>' in html
    assert "（六）其他处理</th>" in html and 'class="grp">（六）' not in html
    assert "第二十条第（九）项" in html


def test_prose_finding_quotes_the_line_with_the_span_underlined():
    html = page([build_report()])
    assert '本镇共收到政府信息公开申请<span class="u">13件</span>，均已按时答复。' in html


def test_everything_is_escaped():
    html = page([build_report(), build_unreadable()])
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "&lt;xref&gt;" in html
    # the only script element is the page's own, at the end
    assert html.count("<script>") == 1


def test_self_contained_no_network_references():
    html = page([build_report(), build_unreadable()])
    tree = parse(html)
    for tag, a, _ in tree.elements:
        for k, v in a.items():
            if k in ("src", "href", "action", "srcset", "poster", "data"):
                assert not re.match(r"\s*(https?:)?//", v or ""), (tag, k, v)
        assert tag not in ("link", "img", "iframe", "object", "embed")
    assert "http://" not in html and "https://" not in html
    assert "@import" not in html and "url(" not in html


def test_accessibility_basics():
    html = page([build_report()])
    assert html.startswith('<!DOCTYPE html>\n<html lang="zh-CN">')
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert page([build_report()], "en").startswith('<!DOCTYPE html>\n<html lang="en">')
    # tables scroll inside their own focusable, labelled container
    assert html.count('<div class="scroll" role="region" tabindex="0"') == 3
    assert ".scroll{overflow-x:auto" in html


def test_table_of_contents_only_for_several_reports():
    one = page([build_report()])
    two = page([build_report(), build_unreadable()])
    assert 'class="box toc"' not in one
    toc = re.search(r'<nav class="box toc".*?</nav>', two, re.S).group(0)
    assert 'href="#r1"' in toc and 'href="#r2"' in toc and "无法读取" in toc


def test_unreadable_file_box():
    html = page([build_unreadable()])
    box = re.search(r'<div class="skip" role="note">.*?</div>', html, re.S).group(0)
    assert "此文件未能检查" in box and "PDF 文件已损坏，无法读取 &lt;xref&gt;" in box
    assert "P001" in html


def test_english():
    html = page([build_report()], "en")
    assert "Findings" in html and "Expected" in html and "<span class=\"vh\"> Error</span>" in html
    assert "发现的问题" not in html


def test_missing_table_and_truncation_notes():
    res = build_report()
    del res.tables["四"]
    res.tables["三"].truncated = True
    html = page([res])
    assert "报告中没有读到这张表。" in html
    assert "这张表在报告中不完整" in html


def test_finding_about_a_missing_table_links_to_its_heading():
    from gov_lint.model import Finding

    res = build_report()
    del res.tables["四"]
    res.findings.append(Finding(code="P201", name="missing-table", severity="error", message="没有找到第四部分的表格", table="四"))
    html = page([res])
    m = re.search(r'<h3 id="([^"]+)" class="hit sev-error"><a class="go" href="#(r1-f\d+)">', html)
    assert m, "missing-table heading not highlighted"
    assert f'<a class="back" href="#{m.group(1)}">' in html


def test_finding_about_an_undrawn_row_falls_back_to_the_table_heading():
    from gov_lint.model import Finding

    res = build_report()
    res.findings.append(
        Finding(code="T201", name="unknown-row", severity="warning", message="表二有一行不在模板中", table="二", row="二.一.其他主动公开文件", column="本年制发件数")
    )
    html = page([res])
    m = re.search(r'<h3 id="([^"]+)" class="hit sev-warning"><a class="go" href="#(r1-f\d+)">', html)
    assert m and "二、主动公开政府信息情况" in html[m.start() : m.start() + 400]
    assert f'<a class="back" href="#{m.group(1)}">' in html


EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.mark.parametrize(
    "path",
    sorted(p for p in EXAMPLES.glob("*/*") if p.suffix in (".txt", ".md", ".html", ".docx", ".pdf")),
    ids=lambda p: f"{p.parent.name}/{p.name}",
)
def test_real_results_render_well_formed_with_every_cell_finding_highlighted(path):
    check = pytest.importorskip("gov_lint.check")
    result = check.check_path(path)
    html = page([result])
    tree = parse(html)
    assert "http://" not in html and "https://" not in html
    ids = tree.by_id
    for i, f in enumerate(result.findings):
        fid = f"r1-f{i + 1}"
        assert fid in ids
        block = re.search(rf'<li id="{fid}" .*?(?=<li id="r1-f|</ol>)', html, re.S).group(0)
        back = re.search(r'<a class="back" href="#([^"]+)">', block)
        if f.table in result.tables:
            # about a table that is drawn: linked to its cell (or row, or table heading), which is highlighted
            assert back, (f.code, f.table, f.row, f.column)
            tag, attrs = ids[back.group(1)]
            assert "hit" in attrs.get("class", "").split(), (f.code, tag, attrs)
            if f.row and f.column and result.tables[f.table].cell(f.row, f.column) is not None:
                assert tag == "td"
        elif f.span is not None:
            assert '<figure class="quote">' in block, f.code


def test_cell_with_several_findings_links_to_the_most_severe():
    from gov_lint.model import Finding

    res = build_report()
    c = res.tables["三"].rows["一"].cells["自然人"]
    res.findings[:0] = [
        Finding(code="W1", name="w", severity="warning", message="先报的警告", span=c.span, table="三", row="一", column="自然人", stated="10"),
        Finding(code="E1", name="e", severity="error", message="后报的错误", span=c.span, table="三", row="一", column="自然人", stated="10", expected="9"),
    ]
    html = page([res])
    td = re.search(r'<td id="([^"]+)" class="c k-number hit sev-error"><a class="go" href="#(r1-f\d+)"[^>]*>(.*?)</td>', html)
    assert td and td.group(2) == "r1-f2"
    assert "错误" in td.group(3) and "警告" in td.group(3) and "应为 9" in td.group(3)
    # both findings link back to the same cell
    assert html.count(f'<a class="back" href="#{td.group(1)}">') == 2


def test_cli_html_draws_the_tables_on_a_second_cached_run(tmp_path):
    """`gov-lint check --format html` twice: the result cache must not cost the page its tables."""
    cli = pytest.importorskip("gov_lint.cli")
    from typer.testing import CliRunner

    src = EXAMPLES / "2021" / "errors.txt"
    if not src.exists():
        pytest.skip("examples/2021/errors.txt missing")
    args = ["check", "--format", "html", "--cache-dir", str(tmp_path / "cache"), str(src)]
    pages = [CliRunner().invoke(cli.app, args) for _ in range(2)]
    for res in pages:
        assert res.exit_code == 1, res.output[-500:]
        assert res.stdout.count('<table class="t t3"') == 1
        assert "hit sev-error" in res.stdout


def test_cli_html_draws_every_report_with_several_jobs(tmp_path):
    cli = pytest.importorskip("gov_lint.cli")
    from typer.testing import CliRunner

    files = [EXAMPLES / "2021" / "errors.txt", EXAMPLES / "2019" / "errors.md", EXAMPLES / "2021" / "clean.md"]
    if not all(p.exists() for p in files):
        pytest.skip("examples missing")
    out = tmp_path / "report.html"
    res = CliRunner().invoke(cli.app, ["check", "--jobs", "2", "--format", "concise", "--output", f"html:{out}", *map(str, files)])
    assert res.exit_code == 1, res.output[-500:]
    page_html = out.read_text(encoding="utf-8")
    parse(page_html)
    # the two reports with findings have their sections (and the rows of table 三 their findings are about);
    # the clean one is listed by name at the end, with no section
    assert page_html.count('<section class="report"') == 2
    assert page_html.count('<table class="t t3"') == 2
    assert '<nav class="box toc"' in page_html
    clean = re.search(r'<details class="box clean-files">.*?</details>', page_html, re.S).group(0)
    assert "clean.md" in clean and "没有发现问题的文件（1）" in clean
    assert "errors.txt" not in clean


def _row_labels(html: str, table_class: str) -> list[str]:
    table = re.search(rf'<table class="t {table_class}".*?</table>', html, re.S)
    return re.findall(r'<th id="[^"]+" scope="row"[^>]*>(?:<a [^>]*>(?:<span class="mk.*?</span></span>)*)?([^<]+)', table.group(0)) if table else []


def test_several_reports_draw_only_the_rows_with_findings():
    one = page([build_report()])
    several = page([build_report(), build_unreadable()])
    parse(several)
    rows_one, rows_several = _row_labels(one, "t3"), _row_labels(several, "t3")
    assert len(rows_one) > len(rows_several) > 0
    assert set(rows_several) < set(rows_one)
    # every finding linked to its cell on the page of one report is linked to it on the page of several
    assert several.count('<a class="back" href="#') == one.count('<a class="back" href="#') > 0
    assert "这里只列出有问题的行" in several and "这里只列出有问题的行" not in one
    assert "本页检查了多份报告" in several and "本页检查了多份报告" not in one
    # every cell finding is still highlighted and linked both ways
    for m in re.finditer(r'<a class="back" href="#([^"]+)">', several):
        assert re.search(rf'id="{m.group(1)}" class="[^"]*hit', several), m.group(1)


def test_several_reports_list_a_clean_report_by_name_only():
    clean = build_report("干净的报告.txt")
    clean.findings = []
    html = page([build_report(), clean])
    parse(html)
    assert html.count('<section class="report"') == 1
    assert '<li class="path">干净的报告.txt</li>' in html
    assert 'href="#r2"' not in html
    # one clean report alone is drawn whole
    alone = page([clean])
    assert alone.count('<table class="t t3"') == 1 and "没有发现问题。" in alone


def test_crossyear_finding_on_a_clean_report_among_several_gives_it_a_section():
    from gov_lint.model import FileResult, Finding

    first, clean = build_report(), build_report("干净的报告.txt")
    clean.findings = []
    cell = clean.tables["三"].rows["二"].cells["自然人"]
    extra = FileResult(path=clean.path, template="2021", year=2023, agency=clean.agency, findings=[
        Finding(code="Y101", name="carry-over-mismatch", severity="error", message="上年结转与上年报告不符",
                span=cell.span, table="三", row="二", column="自然人", stated="1", expected="0"),
    ])
    extra.extra = True
    out = io.StringIO()
    r = HtmlRenderer(out, RenderOptions(tool_version="0.0.0-test"))
    for x in (first, clean, extra):
        r.file(x)
    r.finish(Summary())
    html = out.getvalue()
    parse(html)
    assert html.count('<section class="report"') == 2 and "跨年度检查" in html and "上年结转与上年报告不符" in html
    assert 'class="box clean-files"' not in html


def test_crossyear_block_joins_its_file_and_marks_the_cell():
    """Cross-year findings arrive after all files as an extra block with the same path."""
    from gov_lint.model import FileResult, Finding, Related

    res = build_report()
    cell = res.tables["三"].rows["二"].cells["自然人"]
    extra = FileResult(path=res.path, template="2021", year=2023, agency=res.agency, findings=[
        Finding(code="Y101", name="carry-over-mismatch", severity="error", message="上年结转与 2022 年度报告的结转下年度不符",
                span=cell.span, table="三", row="二", column="自然人", stated="1", expected="0",
                related=[Related(None, "2022 年度「四、结转下年度继续办理」= 0", path="2022.txt")]),
    ])
    extra.extra = True
    out = io.StringIO()
    r = HtmlRenderer(out, RenderOptions(tool_version="0.0.0-test"))
    summary = Summary()
    for x in (res, extra):
        r.file(x)
    summary.add(res)
    summary.errors += 1
    r.finish(summary)
    html = out.getvalue()
    parse(html)
    assert html.count('<section class="report"') == 1 and 'class="box toc"' not in html
    assert "跨年度检查" in html
    td = re.search(r'<td id="([^"]+)" class="c k-number hit sev-error"><a class="go" href="#r1-y1-1"', html)
    assert td, "the carried-over cell is not marked"
    assert f'<a class="back" href="#{td.group(1)}">' in html
    assert "2022 年度「四、结转下年度继续办理」= 0 (2022.txt)" in html
    # the file's counts include the cross-year error (2 of its own + 1)
    assert '<li class="cnt sev-error"><span aria-hidden="true">✖</span> 错误 <b>3</b></li>' in html


def test_several_reports_draw_the_section_four_table_whole():
    from gov_lint.model import Finding

    res = build_report()
    row = next(iter(res.tables["四"].rows))
    column = next(iter(res.tables["四"].rows[row].cells))
    res.findings.append(Finding(code="A102", name="x", severity="error", message="表四的数不对", table="四", row=row, column=column))
    html = page([res, build_unreadable()])
    t4 = re.search(r'<table class="t t4".*?</table>', html, re.S).group(0)
    drawn = sum(len(r.cells) for r in res.tables["四"].rows.values())
    assert t4.count('class="c k-number') == drawn and "未读到" not in t4


def test_real_results_on_a_page_of_several_link_every_table_finding_to_a_marked_cell():
    check = pytest.importorskip("gov_lint.check")
    paths = sorted(p for p in EXAMPLES.glob("*/*") if p.suffix in (".txt", ".md", ".html"))
    results = [check.check_path(p) for p in paths]
    html = page(results)
    tree = parse(html)
    ids = tree.by_id
    shown = [r for r in results if r.findings or r.status != "checked"]
    assert html.count('<section class="report"') == len(shown) < len(results)
    for n, result in enumerate(results, 1):
        if result not in shown:
            assert f'id="r{n}"' not in html
            continue
        for i, f in enumerate(result.findings):
            block = re.search(rf'<li id="r{n}-f{i + 1}" .*?(?=<li id="r{n}-f|</ol>)', html, re.S).group(0)
            if f.table in result.tables:
                back = re.search(r'<a class="back" href="#([^"]+)">', block)
                assert back, (result.path, f.code, f.table, f.row, f.column)
                tag, attrs = ids[back.group(1)]
                assert "hit" in attrs.get("class", "").split(), (f.code, tag, attrs)
                if f.row and f.column and result.tables[f.table].cell(f.row, f.column) is not None:
                    assert tag == "td"


def test_cells_left_unread_are_not_drawn_as_blank_cells():
    """A run-together row the decoder could not split (P107) has cells of kind "unread": the page says
    they were not read (未读到), never 空白, which would claim the report left them empty."""
    check = pytest.importorskip("gov_lint.check")
    result = check.check_path(EXAMPLES / "2019" / "clean-web.txt")
    unread = [(t.id, r.key, col) for t in result.tables.values() for r in t.rows.values()
              for col, c in r.cells.items() if c.kind == "unread" and not c.raw.strip()]
    assert unread and any(f.code == "P107" for f in result.findings)
    html = page([result])
    for tid, row, _ in unread:
        label = result.tables[tid].rows[row].label
        m = re.search(rf">{re.escape(label)}</a></th>(.*?)</tr>", html, re.S)
        assert m, label
        assert "空白" not in m.group(1) and "未读到" in m.group(1), (label, m.group(1)[:200])
