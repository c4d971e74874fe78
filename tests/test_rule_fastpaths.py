"""Shortcuts in the T, M and A rules find what the plain loops found.

* `structure.text_headings` is remembered per report (T201, T202 and T204 ask).
* `builtin._plainly_valid` skips the column-kind lookup for cells that are valid in a
  column of any kind; compared with `_invalid` for every kind.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from gov_lint.model import Cell, Document, Report
from gov_lint.rules.base import CheckContext
from gov_lint.rules.builtin import _invalid, _plainly_valid
from gov_lint.rules.structure import text_headings


def test_text_headings_are_found_once_per_report():
    report = Report(document=Document("t.txt", "标题\n一、总体情况\n正文。\n\t五、表格里\n## 五、存在的主要问题\n"))
    assert [(h.number, h.span.line, h.on_topic) for h in text_headings(report)] == [("一", 2, True), ("五", 5, True)]
    assert text_headings(report) is text_headings(report)  # remembered for the report
    other = Report(document=Document("u.txt", "二、别的标题\n"))
    assert [(h.number, h.title, h.on_topic) for h in text_headings(other)] == [("二", "别的标题", False)]
    assert [h.number for h in text_headings(report)] == ["一", "五"]


VALUES = st.one_of(st.none(), st.integers(-5, 5), st.sampled_from([Decimal("1.5"), Decimal("-2.25"), Decimal("0")]))


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["number", "blank", "dash", "text", "unread"]), VALUES, st.booleans())
def test_plainly_valid_cells_are_valid_in_every_column_kind(kind: str, value, signed: bool):
    cell = Cell("x", value if kind == "number" else None, kind, None, None, signed)
    if kind == "number" and cell.value is None:
        cell.value = 0
    if _plainly_valid(cell):
        ctx = CheckContext()
        for column_kind in ("count", "signed", "money"):
            assert _invalid(cell, column_kind, ctx) is None


PLAN_PIECES = ["2023年", "2024 年度", ",", "，", "我镇", "将", "继续", "进一步", "以", "。", "\n", ";", "(一)", " ", "x", "将要"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PLAN_PIECES), max_size=16).map("".join))
def test_plans_as_the_plain_pattern(text: str):
    from gov_lint.rules.metadata import _PLAN, _plans

    assert [(m.span(), m.span("y"), m.end()) for m in _plans(text)] == \
        [(m.span(), m.span("y"), m.end()) for m in _PLAN.finditer(text)]


def _residual_loop(lin, values):
    total = lin.const
    for i, k in zip(lin.idx, lin.coef):
        v = values[i]
        if v is None:
            return None
        total += k * v
    return total


CELL_VALUES = st.one_of(st.none(), st.integers(0, 10**6), st.decimals(min_value=0, max_value=10**6, places=2))


@settings(max_examples=200, deadline=None)
@given(st.data(), st.sampled_from(["2019", "2021"]))
def test_compiled_residuals_as_the_loop(data, template_id: str):
    """relations.Linear.residual (one compiled expression) gives the loop's value, type and exponent."""
    from gov_lint.relations import compiled

    for ct in compiled(template_id).values():
        values = data.draw(st.lists(CELL_VALUES, min_size=len(ct.cells), max_size=len(ct.cells)))
        for lin in ct.linear:
            got, want = lin.residual(values), _residual_loop(lin, values)
            assert got == want and type(got) is type(want) and str(got) == str(want)


@settings(max_examples=200, deadline=None)
@given(st.data(), st.sampled_from(["2019", "2021"]))
def test_all_residuals_at_once_as_each_relation(data, template_id: str):
    """CompiledTable.all_residuals (one compiled list) gives each Linear.residual's value and type."""
    from gov_lint.relations import compiled

    for ct in compiled(template_id).values():
        values = data.draw(st.lists(CELL_VALUES, min_size=len(ct.cells), max_size=len(ct.cells)))
        got = ct.all_residuals(values)
        want = [lin.residual(values) for lin in ct.linear]
        assert [(type(g), str(g)) for g in got] == [(type(w), str(w)) for w in want]
        assert ct.error_positions == tuple(j for j, lin in enumerate(ct.linear) if lin.severity == "error")


def _check_table_plain(report, table, fixed=None):
    """The narrative consistency check as a loop over `relations.constraints` (the reference)."""
    from gov_lint.relations import constraints
    from gov_lint.rules.narrative.cells import _known

    fixed = fixed or {}

    def value(ref):
        key = (ref.table, ref.row, ref.column)
        if key in fixed:
            return Decimal(fixed[key])
        return _known(report.cell(*key), ref.column)

    checked = False
    for con in constraints(report.template, frozenset({table})):
        held = con.holds(value)
        if held is False:
            return False
        checked = checked or held is True
    return True if checked else None


CELL_KINDS = st.sampled_from(["number", "number", "number", "blank", "dash", "text", "unread", None])


@settings(max_examples=150, deadline=None)
@given(st.data(), st.sampled_from(["2019", "2021"]), st.sampled_from(["三", "四", "二"]))
def test_narrative_table_check_as_the_constraint_loop(data, template_id: str, table_id: str):
    """narrative.cells._check_table (compiled relations over a cell vector) answers as the
    loop over every constraint of the table with `_known` values, with and without corrections."""
    from gov_lint.model import Row, Table
    from gov_lint.relations import table_cells
    from gov_lint.rules.narrative.cells import _check_table

    shape = table_cells(template_id).get(table_id)
    if not shape:
        return
    report = Report(document=Document("t.txt", "x\n"))
    report.template = template_id
    table = Table(table_id)
    small = data.draw(st.booleans())  # small counts: relations often hold
    numbers = st.integers(0, 3) if small else st.integers(0, 10**6)
    for row, columns in shape.items():
        if data.draw(st.integers(0, 30)) == 0:
            continue  # a row the report lacks
        cells = {}
        for column in columns:
            kind = data.draw(CELL_KINDS)
            if kind is None:
                continue
            value = data.draw(numbers) if kind == "number" else None
            cells[column] = Cell(str(value or ""), value, kind)
        table.rows[row] = Row(row, row, cells)
    report.tables[table_id] = table
    assert _check_table(report, table_id) == _check_table_plain(report, table_id)
    keys = [(table_id, r, c) for r, cs in shape.items() for c in cs]
    fixed = {k: data.draw(numbers) for k in data.draw(st.lists(st.sampled_from(keys), max_size=4))}
    assert _check_table(report, table_id, fixed) == _check_table_plain(report, table_id, fixed)


YEAR_PIECES = ["2019", "2020", "2021", "年", " ", "\n", "。", "12", "上年", "x", "19", "20", "年度"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(YEAR_PIECES), max_size=14).map("".join), st.data(),
       st.sampled_from([2019, 2020, None]), st.sampled_from([0, 3, 64]))
def test_other_year_in_as_other_year_of_the_slice(text: str, data, year, short: int):
    """claims.other_year_in (a short slice searched, a longer one from the year mentions found once
    per prose) answers as other_year on the slice."""
    from types import SimpleNamespace

    from gov_lint.rules.narrative import claims
    from gov_lint.rules.narrative.claims import other_year, other_year_in

    report = SimpleNamespace(year=year)
    prose = SimpleNamespace(text=text)
    a = data.draw(st.integers(0, len(text)))
    b = data.draw(st.integers(a, len(text)))
    kept = claims._SHORT_SLICE
    claims._SHORT_SLICE = short
    try:
        assert other_year_in(report, prose, a, b) == other_year(report, text[a:b])
    finally:
        claims._SHORT_SLICE = kept


def _bounds_plain(text: str, offset: int, stops: str) -> tuple[int, int]:
    """The sentence around `offset`: after the last stop before it, up to the first stop at or after it."""
    a = max((i + 1 for i in range(offset) if text[i] in stops), default=0)
    b = next((i for i in range(offset, len(text)) if text[i] in stops), len(text))
    return a, b


SENTENCE_PIECES = ["收到申请12件", "。", "，", "\n", "；", "!", "其中", "予以公开3件", "x", "？"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(SENTENCE_PIECES), min_size=1, max_size=12).map("".join),
       st.lists(st.tuples(st.integers(0, 200), st.booleans()), max_size=20))
def test_sentence_bounds_remembered_as_found(text: str, asks):
    """Prose.sentence_bounds, which remembers the sentences it found, as a plain search, whatever the
    order of the questions (sentences and clauses asked in turn)."""
    from gov_lint.parse import parse
    from gov_lint.rules.prose import Prose

    prose = Prose(parse(Document("s.txt", "一、总体情况\n" + text + "\n")))
    t = prose.text
    for offset, clause in asks:
        offset = offset % (len(t) + 1)
        if clause:
            assert prose.clause_bounds(offset) == _bounds_plain(t, offset, "。!?！？\n,;，；")
        else:
            assert prose.sentence_bounds(offset) == _bounds_plain(t, offset, "。!?！？\n")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(SENTENCE_PIECES + ["\n二、主动公开\n", "\n\t1\t2\n", "\n三、申请\n"]), max_size=12).map("".join))
def test_section_at_as_the_walk_back(text: str):
    """Prose.section_at finds the last copied character by the pieces, as walking back over separators did."""
    from bisect import bisect_right

    from gov_lint.parse import parse
    from gov_lint.rules.prose import Prose

    prose = Prose(parse(Document("s.txt", "前言。\n一、总体情况\n" + text + "\n")))
    starts, numbers = prose._heading_offsets
    for offset in range(len(prose.text) + 1):
        j = offset
        while j >= 0 and prose.where(j) is None:
            j -= 1
        k = bisect_right(starts, j) if j >= 0 else 0
        assert prose.section_at(offset) == (numbers[k - 1] if k else "前言")


LINK_PIECES = ["网址", "链接", "网站地址", "栏目", "电话", "邮箱", "为", "是", ":", " ", "(", ")", "\"", ",", "。", ";",
               "http://x.gov.cn", "12345", "见", "\n"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(LINK_PIECES), max_size=14).map("".join))
def test_empty_link_parts_are_in_every_match(text: str):
    """M104 searches a pattern only in a text with its part (`_EMPTY_LINK`'s pairs): every match holds it."""
    from gov_lint.rules.metadata import _EMPTY_LINK

    for pat, part in _EMPTY_LINK:
        for m in pat.finditer(text):
            assert part.search(text, m.start()) is not None


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(SENTENCE_PIECES), min_size=1, max_size=12).map("".join),
       st.lists(st.tuples(st.integers(0, 200), st.integers(0, 3)), max_size=20))
def test_sentence_start_as_the_bounds(text: str, asks):
    """Prose.sentence_start / clause_start give sentence_bounds' start, asked before or after it."""
    from gov_lint.parse import parse
    from gov_lint.rules.prose import Prose

    prose = Prose(parse(Document("s.txt", "一、总体情况\n" + text + "\n")))
    t = prose.text
    for offset, how in asks:
        offset = offset % (len(t) + 1)
        if how == 0:
            prose.sentence_bounds(offset)
        elif how == 1:
            prose.clause_bounds(offset)
        elif how == 2:
            assert prose.sentence_start(offset) == _bounds_plain(t, offset, "。!?！？\n")[0]
        else:
            assert prose.clause_start(offset) == _bounds_plain(t, offset, "。!?！？\n,;，；")[0]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["朝阳", "镇", "乡", "朝阳乡", "乡乡", "x", " ", "街道"]), max_size=12).map("".join),
       st.sampled_from(["朝阳乡", "乡乡", "朝阳街道", "x"]))
def test_name_occurrences_as_the_escaped_pattern(line: str, word: str):
    """M103 finds a name with str.find (no pattern compiled per report): what finditer of the
    escaped name finds."""
    import re

    from gov_lint.rules.metadata import _occurrences

    assert list(_occurrences(line, word)) == [m.span() for m in re.finditer(re.escape(word), line)]


def _text_headings_plain(report):
    """Every line tried, as text_headings did before it read only the header and the prose lines."""
    from gov_lint.rules.structure import _TEXT_HEADING, _TOPIC

    out = []
    for i, line in enumerate(report.document.norm_lines, start=1):
        if not line or len(line) > 60 or "\t" in line or "|" in line or ("、" not in line and "." not in line):
            continue
        m = _TEXT_HEADING.match(line)
        if not m:
            continue
        title = m.group("title").strip()
        if title.endswith(("。", ";", ",")):
            continue
        a, b = m.span("title")
        out.append((m.group("num"), title, (i, a + 1, b + 1), bool(_TOPIC[m.group("num")].search(title))))
    return out


HEADING_LINES = ["一、总体情况", "二、主动公开政府信息情况", "五、存在的主要问题", "## 六、其他", "三、申请\t1\t2",
                 "| 四、复议 | 1 |", "|---|---|", "--- 一、总体", "— 5 —", "", "  ", "正文第一段。", "==== 正文 ====",
                 "标题: 一、总体情况", "**四、复议诉讼**", "六. 其他需要报告的事项", "(一)主动公开", "一、这是一句话。"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(HEADING_LINES), max_size=20))
def test_text_headings_as_every_line_tried(lines):
    """text_headings, which reads the header and the prose lines only, finds what trying every line finds."""
    from gov_lint.parse import parse

    report = parse(Document("h.txt", "\n".join(["某某县2023年政府信息公开工作年度报告", *lines]) + "\n"))
    got = [(h.number, h.title, tuple(h.span), h.on_topic) for h in text_headings(report)]
    assert got == _text_headings_plain(report)


def test_text_headings_on_the_reports_at_hand():
    from pathlib import Path

    from gov_lint.parse import parse
    from gov_lint.readers import read_path

    root = Path(__file__).resolve().parents[1]
    paths = sorted((root / "examples").glob("*/*.txt")) + sorted((root / "examples").glob("*/*.md"))
    for d in ("seeds", "corpus"):
        folder = root.parent / "shared" / d
        if folder.is_dir():
            paths += [p for p in sorted(folder.iterdir()) if p.suffix in (".txt", ".md", ".html")]
    for path in paths:
        report = parse(read_path(path))
        got = [(h.number, h.title, tuple(h.span), h.on_topic) for h in text_headings(report)]
        assert got == _text_headings_plain(report), path


AREA_PIECES = ["各级", "各部门", "各乡镇", "各街道", "下属", "所属", "系统内", "辖区内", "全区", "我县", "本街道", "本镇",
               "全省", "各", "全", "我", "本", "区", "街道", "乡", "镇", "，", "。", "x", "局"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(AREA_PIECES), max_size=16).map("".join), st.sampled_from([None, "区", "县", "镇", "街道"]))
def test_wider_places_in_one_scan_as_the_two_scans(text: str, level):
    """claims._WIDER_OR_AREA finds the wider bodies and the whole areas other than the office's own
    level that the two patterns find in two scans, in order."""
    from gov_lint.rules.narrative.claims import _WHOLE_AREA, _WIDER_OR_AREA, _WIDER_SCOPE

    two = sorted([m.span() for m in _WIDER_SCOPE.finditer(text)]
                 + [m.span() for m in _WHOLE_AREA.finditer(text) if m.group(1) != level])
    one = [m.span() for m in _WIDER_OR_AREA.finditer(text) if m.group("wider") is not None or m.group("level") != level]
    assert one == two
