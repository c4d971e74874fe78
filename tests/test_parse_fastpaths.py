"""The fast paths of text folding and row splitting give what the plain versions gave.

`text.fold` finds the few characters that change with one regex instead of looking
every character up (`str.translate`); `cells.row_cells` splits with `str.split` and
makes the spans in the same pass.  Each is compared here with the straightforward
version it replaced, on generated text full of the characters that matter.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gov_lint.model import Span
from gov_lint.parse.cells import cell_columns, split_row
from gov_lint.text import _FOLD, _LABEL_DROP, fold, label_key, phrase_finder

# full-width forms, the spaces and quotes fold maps, the ones it keeps, CJK, separators
CHARS = st.sampled_from(
    [chr(c) for c in range(0xFF00, 0xFF62)] + list("\u3000\u00a0\u2002\u2003\u2009\u200b\ufeff“”‘’、—−–﹣。")
    + list("年度报告自然人总计0123456789 \t|.,-+") + ["\n", "\r", "𠀀", "é"]
)
TEXT = st.text(CHARS, max_size=120)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_fold_is_translate(text: str):
    assert fold(text) == text.translate(_FOLD)
    assert len(fold(text)) == len(text)


def test_fold_examples():
    assert fold("（七）总计：１２３，“是”") == '(七)总计:123,"是"'
    assert fold("、。—") == "、。—"
    assert label_key("（三）不予 公开") == "(三)不予公开"


def _split_row_reference(text: str, line: int) -> tuple[tuple[str, Span], ...]:
    """split_row as it was written before the fast path (find, slice, strip)."""
    stripped = text.strip()
    if stripped.startswith("|") and stripped.endswith("|") and len(stripped) > 1:
        start, body_end, sep = text.index("|") + 1, text.rindex("|"), "|"
    else:
        start, body_end, sep = 0, len(text), "\t"
    cells = []
    pos = start
    while True:
        nxt = text.find(sep, pos, body_end)
        end = body_end if nxt < 0 else nxt
        raw = text[pos:end]
        lead = len(raw) - len(raw.lstrip())
        value = raw.strip()
        col = pos + lead + 1
        cells.append((value, Span(line, col, col + len(value))))
        if nxt < 0:
            break
        pos = nxt + 1
    return tuple(cells)


ROW_CHARS = st.sampled_from(list("\t|  ab自然人0123") + ["\u3000", "\u00a0"])


@settings(max_examples=400, deadline=None)
@given(st.text(ROW_CHARS, max_size=40), st.integers(1, 500))
def test_split_row_is_the_reference(text: str, line: int):
    assert split_row(text, line) == _split_row_reference(text, line)


def test_cell_columns_do_not_depend_on_the_line():
    text = "| 行政许可 | 12 |  |"
    assert cell_columns(text) == (("行政许可", 3, 7), ("12", 10, 12), ("", 16, 16))
    assert [sp for _, sp in split_row(text, 9)] == [Span(9, 3, 7), Span(9, 10, 12), Span(9, 16, 16)]


def _split_label_reference(cells):
    """split_label as it was before its one-label-cell shortcut (joins and a fresh span every time)."""
    from gov_lint.parse.tables import _LABEL_NUMBERS, _NUM, _VALUE_WORDS
    from gov_lint.parse.cells import is_numeric

    first = len(cells)
    for i, (raw, _) in enumerate(cells):
        if is_numeric(raw) or raw in _VALUE_WORDS:
            first = i
            break
    label_cells = [(raw, span) for raw, span in cells[:first] if raw]
    if label_cells:
        raw, sp = label_cells[-1]
        m = _LABEL_NUMBERS.match(raw)
        pieces = list(re.finditer(_NUM, m.group("nums"))) if m else []
        if m and all(is_numeric(n.group()) for n in pieces):
            label_cells[-1] = (m.group("label"), Span(sp.line, sp.col, sp.col + len(m.group("label"))))
            extra = [(n.group(), Span(sp.line, sp.col + m.start("nums") + n.start(), sp.col + m.start("nums") + n.end()))
                     for n in pieces]
            label = " ".join(r for r, _ in label_cells)
            return (label, Span(label_cells[0][1].line, label_cells[0][1].col, label_cells[-1][1].end_col),
                    extra + list(cells[first:]))
    label = " ".join(raw for raw, _ in label_cells)
    span = None
    if label_cells:
        span = Span(label_cells[0][1].line, label_cells[0][1].col, label_cells[-1][1].end_col)
    return label, span, cells[first:]


LABEL_PIECES = st.sampled_from(["", "", "行政许可", "(一)予以公开", "2.其他", "无", "-", "3", "0", "12个", "1,200",
                                "收费 4", "事项 3 5", "金额 10.5万元", "费 7元", "x 1a", "总计", " 5"])


@settings(max_examples=500, deadline=None)
@given(st.lists(LABEL_PIECES, max_size=9), st.integers(1, 300))
def test_split_label_is_the_reference(pieces, line: int):
    from gov_lint.parse.tables import split_label

    text = "\t".join(pieces)
    cells = split_row(text, line)
    assert split_label(cells) == _split_label_reference(cells)


PHRASES = ("自然人", "申请人情况", "本年增/减", "第二十条第(九)项", "结果维持")
PHRASE_TEXT = st.text(st.sampled_from(list("自然人申请情况本年增/减第二十条(九)项结果维持 *#|_`\t\u3000") + ["1", "、", "."]),
                      max_size=30)


@settings(max_examples=500, deadline=None)
@given(PHRASE_TEXT)
def test_phrase_finder_is_a_search_in_the_label_key(text: str):
    folded = fold(text)
    finder = phrase_finder(PHRASES)
    assert (finder.search(folded) is not None) == any(p in label_key(folded) for p in PHRASES)


def test_phrase_finder_refuses_phrases_label_key_would_change():
    for bad in ("", "1.总计", "a b", "一、"):
        with pytest.raises(ValueError):
            phrase_finder((bad,))


_OLD_ITEM_NUM = re.compile(r"(?<!\d)(\d+)\s*[.、,]")


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from(list("12 .、,a\t自") + ["\u3000"]), max_size=20))
def test_label_key_item_numbers_as_before(text: str):
    """_ITEM_NUM starts with a digit now (faster to scan for); it rewrites the same digit runs."""
    assert label_key(text) == _OLD_ITEM_NUM.sub(r"\1.", _LABEL_DROP.sub("", fold(text)))


_OLD_CONTACT = re.compile(
    r"(?:(?:联系单位|受理单位|受理机关|受理机构|联系机关)\s*[:：为是]\s*|请(?:与|向|联系|致电|咨询)\s*)"
    r"(?P<name>[^\s，。,:：;；（(、\d]{4,30}?)(?=联系|咨询|反映|办公室|[，。,;；（(\s]|$)"
)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["联系单位", "受理机关", "受理机构", "联系机关", "请", "与", "向", "联系", "咨询", "致电",
                                 "为", ":", "某某县", "人民政府", "办公室", "，", "。", " ", "1", "反映"]), max_size=20).map("".join))
def test_contact_pattern_as_before(text: str):
    """agency._CONTACT lists each opening word in full (so the engine skips ahead); it finds the same."""
    from gov_lint.agency import _CONTACT

    assert [(m.span(), m.group("name")) for m in _CONTACT.finditer(text)] == \
        [(m.span(), m.group("name")) for m in _OLD_CONTACT.finditer(text)]


@settings(max_examples=200, deadline=None)
@given(st.text(st.sampled_from(list(" \t\n\r\u3000\u00a0\u2028\x1c\x85ab自") + ["\u200b"]), max_size=40))
def test_whitespace_removal_as_the_regex(text: str):
    """repeated.second_copy drops whitespace with str.split (the same characters as the regex's \\s)."""
    from gov_lint.repeated import _SPACE

    assert "".join(text.split()) == _SPACE.sub("", text)


HEADER_WORDS = st.sampled_from(["行政复议", "行政诉讼", "结果维持", "结果纠正", "复议后起诉", "自然人", "总计",
                                "1.本年新收", "\t", " ", "*", "|", "x", "年", "\n", "\n\n"])


@settings(max_examples=300, deadline=None)
@given(st.lists(HEADER_WORDS, max_size=40).map("".join))
def test_first_line_with_skips_only_lines_without_a_match(text: str):
    """`first_line_with` (the section-四 header search's start) never passes a line whose own text
    holds a header phrase: the reader then finds the same header as a search of every line."""
    from gov_lint.model import Document
    from gov_lint.parse.lines import scan
    from gov_lint.parse.lines import first_line_with
    from gov_lint.parse.tables import _phrases

    doc = Document("t.txt", text)
    lines = scan(doc)
    pattern = _phrases("header4")
    first = first_line_with(lines, doc.norm, pattern)
    hits = [i for i, ln in enumerate(lines) if pattern.search(ln.text)]
    assert first <= (hits[0] if hits else len(lines))
    assert hits or pattern.search(doc.norm) or first == len(lines)

