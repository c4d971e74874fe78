"""Work the parser skips gives what doing it gave.

* The 第二十条 caption is searched in a line's folded text (`tables._CAPTION_TEXT`), not in its
  key: the same lines match, with the same item.
* `lines._Lines._lines` and `cells.read_cells` set a Line's and a Cell's fields themselves: the
  same Line and Cell as the dataclasses make.
* The signature line and the contact sentence are not searched when a title, header or publisher
  already names the body: `agency.choose` would take that one over them.
"""

from __future__ import annotations

from dataclasses import fields

from hypothesis import given, settings
from hypothesis import strategies as st
from lark import Token

import gov_lint.parse as parse_mod
from gov_lint.model import Cell, Document, Span
from gov_lint.parse import cells as cells_mod
from gov_lint.parse import parse
from gov_lint.parse.cells import _meaning, read_cells
from gov_lint.parse.lines import Line, _Lines
from gov_lint.parse.tables import _CAPTION, _CAPTION_TEXT
from gov_lint.text import fold, label_key

# the caption's characters, the ones label_key drops or rewrites, full-width forms fold maps
PIECES = st.sampled_from(
    list("第二十条项一九十()（）") + [" ", "\t", "\u3000", "*", "#", "|", "_", "`", "1", "2", "、", ",", ".", "．"]
    + ["第二十条第", "（五）", "(九)", "项", "第二十条第（一）项", "年度报告"]
)
LINE = st.lists(PIECES, max_size=30).map(lambda parts: fold("".join(parts)))


@settings(max_examples=500, deadline=None)
@given(LINE)
def test_the_caption_in_the_text_is_the_caption_in_the_key(text: str):
    in_key = _CAPTION.search(label_key(text))
    in_text = _CAPTION_TEXT.search(text)
    assert (in_key is None) == (in_text is None)
    if in_key is not None:
        assert in_text.group(1) == in_key.group(1)


def test_caption_examples():
    # (a line's text is folded: full-width brackets are plain ones)
    assert _CAPTION_TEXT.search(fold("第 二十条 第（五）项")).group(1) == "五"
    assert _CAPTION_TEXT.search(fold("**第二十条第（九）项**")).group(1) == "九"
    assert _CAPTION_TEXT.search(fold("第二十条第（一） 项\t\t\t")).group(1) == "一"
    assert _CAPTION_TEXT.search(fold("第二十条第（十一项")) is None
    assert _CAPTION_TEXT.search(fold("第二十一条第（一）项")) is None


TITLED = """某某县交通运输局2023年政府信息公开工作年度报告

一、总体情况

本年度公开工作稳步推进。如有疑问，请联系某某县农业农村局办公室。

某某县水利局
2024年1月20日
"""

UNTITLED = """一、总体情况

本年度公开工作稳步推进。如有疑问，请联系某某县交通运输局办公室。

某某县交通运输局
2024年1月20日
"""


def _calls(monkeypatch) -> list[str]:
    called: list[str] = []
    real_sig, real_contact = parse_mod.signature_name, parse_mod.contact_name
    monkeypatch.setattr(parse_mod, "signature_name", lambda *a: called.append("signature") or real_sig(*a))
    monkeypatch.setattr(parse_mod, "contact_name", lambda *a: called.append("contact") or real_contact(*a))
    return called


def test_a_title_spares_the_signature_and_contact_search(monkeypatch):
    called = _calls(monkeypatch)
    report = parse(Document(path="t.txt", text=TITLED))
    assert called == []
    assert (report.agency, report.agency_source) == ("某某县交通运输局", "title")


def test_without_a_title_the_signature_and_contact_are_read(monkeypatch):
    called = _calls(monkeypatch)
    report = parse(Document(path="t.txt", text=UNTITLED))
    assert called == ["signature", "contact"]
    # a signature is confident only when the contact sentence names the same body
    assert (report.agency, report.agency_source) == ("某某县交通运输局", "signature")


CELL_TEXT = st.one_of(
    st.sampled_from(["", "0", "12", "-3", "+4", "1,234", "5.50", "—", "/", "无", "3件", "2 万元", "12a", "０"]),
    st.text(st.sampled_from(list("0123456789,.+- 万元件—/无a")), max_size=12),
    st.text(min_size=41, max_size=60),  # longer than the memo keeps
)


@settings(max_examples=300, deadline=None)
@given(st.lists(CELL_TEXT, min_size=1, max_size=9))
def test_read_cells_makes_the_dataclass_cells(raws: list[str]):
    columns = [f"c{i}" for i in range(len(raws))]
    fitted = [(raw, Span(3, 2 * i + 1, 2 * i + 1 + len(raw))) for i, raw in enumerate(raws)]
    got = read_cells(columns, fitted)
    assert list(got) == columns
    for (raw, span), col in zip(fitted, columns):
        want = Cell(raw, *_meaning(raw)[:2], span, *_meaning(raw)[2:])
        for f in fields(Cell):  # every field set, and as the dataclass sets it
            assert getattr(got[col], f.name) == getattr(want, f.name), f.name
        assert got[col] == want


def test_the_meaning_memo_stays_bounded(monkeypatch):
    monkeypatch.setattr(cells_mod, "_MEANINGS", {})
    monkeypatch.setattr(cells_mod, "_MEANINGS_MAX", 5)
    for n in range(12):
        read_cells(["a"], [(str(n), None)])
        assert len(cells_mod._MEANINGS) <= 5
    read_cells(["a"], [("1" * 41, None)])
    assert "1" * 41 not in cells_mod._MEANINGS
    assert read_cells(["a"], [("1" * 41, None)])["a"].value == int("1" * 41)


def _lines_reference(tokens: list[Token]) -> list[Line]:
    """`_Lines._lines` as written with the dataclass's constructor."""
    kinds = {"ROWS": "row", "TEXTS": "text", "SEPARATOR": "separator", "PAGE": "page", "HEADING": "heading"}
    out: list[Line] = []
    for t in tokens:
        pieces = t.value.split("\n")
        if t.type == "HEADED_TEXTS":
            out.append(Line("heading", t.line, pieces[0]))
            out += [Line("text", t.line + k, p) for k, p in enumerate(pieces) if p and k]
        else:
            out += [Line(kinds[t.type], t.line + k, p) for k, p in enumerate(pieces) if p]
    return out


TOKEN = st.tuples(
    st.sampled_from(["ROWS", "TEXTS", "SEPARATOR", "PAGE", "HEADING", "HEADED_TEXTS"]),
    st.integers(1, 500),
    st.lists(st.sampled_from(["", "一、总体情况", "a\tb", "text", " "]), min_size=1, max_size=6).map("\n".join),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(TOKEN, max_size=6))
def test_lines_are_the_dataclass_lines(raw_tokens):
    tokens = [Token(kind, value, 0, line) for kind, line, value in raw_tokens]
    got, want = _Lines._lines(tokens), _lines_reference(tokens)
    assert len(got) == len(want)
    for a, b in zip(got, want):
        for f in fields(Line):
            assert getattr(a, f.name) == getattr(b, f.name), f.name


HEADER_PIECES = st.sampled_from(["行政复议", "结果维持", "结 果 维持", "未经复议直接起诉", "复议后起诉", "尚未审结", "尚",
                                 "结", "复", "未", "复议后", "\t", " ", "*", "|", "x", "\n", "总计"])


@settings(max_examples=500, deadline=None)
@given(st.lists(HEADER_PIECES, max_size=40).map("".join))
def test_first_match_start_is_where_search_finds(text: str):
    from gov_lint.parse.tables import _firsts, _phrases
    from gov_lint.text import first_match_start

    pattern = _phrases("header4")
    m = pattern.search(text)
    assert first_match_start(text, pattern, _firsts("header4")) == (m.start() if m else None)


def test_table3_rows_are_whole_dataclass_rows():
    """read_table3 sets a Row's fields on object.__new__(Row): every field set, each row its own
    list of problems, and equal to the Row the dataclass makes of the same values."""
    from pathlib import Path

    from gov_lint.model import Row
    from gov_lint.readers import read_path

    path = Path(__file__).parent.parent / "examples" / "2021" / "clean.md"
    table = parse(read_path(path)).tables["三"]
    rows = list(table.rows.values())
    assert len(rows) > 20
    for row in rows:
        values = {f.name: getattr(row, f.name) for f in fields(Row)}
        assert row == Row(**values)
        assert isinstance(row.problems, list)
    assert len({id(row.problems) for row in rows}) == len(rows)
