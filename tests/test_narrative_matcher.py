"""The one-scan phrase matcher (narrative/quantities.py) finds what trying every
pattern at every position finds, on every report at hand and on generated text."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gov_lint.model import Document
from gov_lint.parse import parse
from gov_lint.readers import read_path
from gov_lint.rules.narrative import claims, prose_of
from gov_lint.rules.narrative.quantities import Hit, matcher, quantities

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_narrative_rules import _cases  # noqa: E402
from narrative_support import build  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def _brute_hits(text: str) -> list[Hit]:
    """Every pattern tried at every position: the reference the matcher must equal."""
    m = matcher()
    out = []
    for k, (pat, qs) in enumerate(m.patterns):
        pos = 0
        while True:
            got = pat.search(text, pos)
            if got is None:
                break
            out.append(Hit(got.start(), got.end(), got.start("n"), got.end("n"), got.end("unit"),
                           got.group("n"), got.group("unit"), qs, k))
            pos = got.end() if got.end() > got.start() else got.start() + 1
    out.sort(key=lambda h: (h.start, h.order))
    return out


def _key(hits: list[Hit]) -> list[tuple[int, int, int]]:
    return [(h.start, h.end, h.order) for h in hits]


def _texts() -> list[tuple[str, object]]:
    paths = sorted((ROOT / "examples").glob("*/*.txt")) + sorted((ROOT / "examples").glob("*/*.md"))
    for d in ("seeds", "corpus"):
        if (SHARED / d).is_dir():
            paths += [p for p in sorted((SHARED / d).iterdir()) if p.suffix in (".txt", ".md", ".html")
                      and p.name != "README.md"]
    return [(str(p.relative_to(p.parents[1])), p) for p in paths]


@pytest.mark.parametrize("name,path", _texts())
def test_one_scan_finds_every_phrase(name, path):
    report = parse(read_path(path))
    text = prose_of(report).text
    assert _key(matcher().hits(text)) == _key(_brute_hits(text))


def test_one_scan_on_the_rule_cases():
    for p in _cases():
        report = build(p.values[0])
        text = prose_of(report).text
        assert _key(matcher().hits(text)) == _key(_brute_hits(text)), p.id


def test_every_pattern_has_an_anchor_in_each_match():
    """A match without one of its entry's anchor words would never be tried."""
    for q in quantities():
        assert q.anchors, q.id


PIECES = ["收到政府信息公开申请", "予以公开", "部分公开", "不予公开", "办结", "行政复议", "行政诉讼", "维持", "纠正",
          "结转下年度", "上年结转", "其中", "，", "。", "共", "件", "条", "12", "3", "0", "制发政府信息", "全区", "确认违法",
          "尚未审结", "行政许可", "规范性文件", "现行有效", "万元", "5.5", "自然人", "法人或其他组织"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30))
def test_one_scan_equals_brute_force_on_generated_text(pieces):
    text = "".join(pieces)
    assert _key(matcher().hits(text)) == _key(_brute_hits(text))


def test_extraction_on_the_rule_cases_is_unchanged_by_the_scan_order():
    """Claims are read left to right whatever the order the anchors were found in."""
    for p in _cases():
        report = build(p.values[0])
        got = claims.extract(report, prose_of(report))
        assert [c.n_start for c in got] == sorted(c.n_start for c in got)


def test_real_parser_document():
    doc = Document(path="x.txt", text="一、总体情况\n本年度共收到政府信息公开申请12件，予以公开及部分公开10件。\n")
    report = parse(doc)
    got = [(c.quantity.id, c.number) for c in claims.extract(report, prose_of(report))]
    assert got == [("new-applications", "12"), ("disclosed-or-partly", "10")]


def test_first_characters():
    from gov_lint.rules.narrative.quantities import first_characters

    assert first_characters("(?:其中|涉及)?(?:来自)?自然人\\s*(?P<n>\\d+)") == frozenset("其涉来自")
    assert first_characters("(?<!当场)(?<!延期)办结") == frozenset("办")
    assert first_characters('"?(?:部分公开|区分处理后公开)') == frozenset('"部区')
    assert first_characters("[收受]理") == frozenset("收受")
    assert first_characters("\\d+件") is None  # a class: unknown
    assert first_characters("(?:共)?") is None  # may match nothing


def test_every_phrase_pattern_has_known_first_characters():
    """So the matcher never falls back to scanning a window position by position."""
    assert all(o is not None for o in matcher().openers)


def test_each_match_starts_with_one_of_its_first_characters():
    m = matcher()
    for _name, path in _texts():
        text = prose_of(parse(read_path(path))).text
        for h in _brute_hits(text):
            assert m.openers[h.order].match(text, h.start), (path, h)


def _within_reach(text: str) -> None:
    m = matcher()
    for h in _brute_hits(text):
        for am in m.anchors.finditer(text, h.start, h.end):
            if h.order in m.by_anchor[am.group()]:
                # the anchor lies before the match's number, and the match starts within reach of it
                assert am.end() <= h.n_start and h.start >= am.end() - m.reach[am.group()], (text, h)


def test_every_match_starts_within_reach_of_its_anchors():
    """The window before an anchor (`Matcher.reach`) holds the start of every match holding it."""
    for _name, path in _texts():
        _within_reach(prose_of(parse(read_path(path))).text)
    for p in _cases():
        _within_reach(prose_of(build(p.values[0])).text)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(PIECES + [" ", "\n", "十二", "下一年度", "上一年度结转"]), max_size=30))
def test_reach_on_generated_text(pieces):
    text = "".join(pieces)
    _within_reach(text)
    assert _key(matcher().hits(text)) == _key(_brute_hits(text))


def test_width_before_number():
    from gov_lint.rules.narrative.quantities import width_before_number

    assert width_before_number(r"(?:收到|新收)(?:了)?申请\s*{N}\s*{U}") == 5
    assert width_before_number(r"(?<!不)予以公开\s*{N}\s*{U}") == 4  # a look-behind takes no width
    assert width_before_number(r"申请\s*的\s*{N}\s*{U}") is None  # white space inside: not bounded
    assert width_before_number(r"申请{N}\s*{U}之后") is None  # words after the unit


def test_anchor_pattern_finds_what_the_plain_alternation_finds():
    import re

    m = matcher()
    words = sorted(m.by_anchor, key=len, reverse=True)
    plain = re.compile("|".join(re.escape(w) for w in words))
    for _name, path in _texts():
        text = prose_of(parse(read_path(path))).text
        assert [(a.span(), a.group()) for a in m.anchors.finditer(text)] == \
            [(a.span(), a.group()) for a in plain.finditer(text)]
