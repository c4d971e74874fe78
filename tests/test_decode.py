"""The whole-table decoder of run-together digits (gov_lint/parse/decode.py).

Properties: a consistent table rendered run-together (with random surviving
spaces) decodes back to its numbers; a table whose every reading breaks a
relation is an error at the cells, not P107; two consistent readings are P107;
hostile runs stop after a bounded number of steps (counted, not timed).
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gov_lint.check import CheckOptions, check_bytes
from gov_lint.model import Cell, Decoded, DigitsAmbiguous, DigitsUnreadable, ProseChose, Row, Span, Table
from gov_lint.parse.decode import MAX_RUN_STEPS, RUN_STEPS, STEPS, decode_tables, make_run
from gov_lint.templates import common

BASES = Path(__file__).resolve().parent / "rule_cases" / "base"
OPTIONS = CheckOptions(plugins=False)
COLS4 = common().columns4
ROWS4 = common().rows4


def _table4(raw: str) -> tuple[Table, list]:
    t = Table("四", columns=list(COLS4))
    rows = []
    for r in ROWS4:
        t.rows[r] = Row(r, r, {c: Cell("", None, "unread") for c in COLS4}, None, 1)
        rows.append(t.rows[r])
    run = make_run("四", [(r, c) for r in ROWS4 for c in COLS4], [(raw, Span(1, 1, 1 + len(raw)))], rows)
    return t, [run] if run else []


def _values(t: Table) -> list[list]:
    return [[t.rows[r].cells[c].number() if t.rows[r].cells[c].known else None for c in COLS4] for r in ROWS4]


group = st.lists(st.integers(0, 30), min_size=4, max_size=4).map(lambda xs: xs + [sum(xs)])


@settings(max_examples=150, deadline=None)
@given(groups=st.lists(group, min_size=3, max_size=3), spaces=st.lists(st.booleans(), min_size=40, max_size=40))
def test_consistent_section_four_decodes_back(groups, spaces):
    """A consistent section-四 row, digits run together with random spaces left in, reads back exactly
    or is P107 (several consistent readings); never a different number."""
    cells = [str(v) for g in groups for v in g]
    digits = "".join(cells)
    raw = "".join(ch + (" " if spaces[i % 40] and i % 3 == 0 else "") for i, ch in enumerate(digits)).strip()
    t, runs = _table4(raw)
    decode_tables({"四": t}, runs)
    issues = [p for r in t.rows.values() for p in r.problems]
    if any(isinstance(p, DigitsUnreadable) for p in issues):
        # many two-digit cells can exceed the state bound: then the run is left unread (P107), never guessed
        assert all(p.reason == "budget" for p in issues if isinstance(p, DigitsUnreadable))
        assert all(t.rows[r].cells[c].kind == "unread" for r in ROWS4 for c in COLS4)
    elif any(isinstance(p, DigitsAmbiguous) for p in issues):
        assert all(t.rows[r].cells[c].kind == "unread" for r in ROWS4 for c in COLS4)
        assert any(tuple(cells) == cand for p in issues if isinstance(p, DigitsAmbiguous) for cand in p.candidates) \
            or any(p.more for p in issues if isinstance(p, DigitsAmbiguous))
    else:
        assert _values(t) == groups
        assert not t.issues


def test_every_reading_broken_is_an_error_not_p107():
    """15 digits, 15 cells: the only reading has 未经复议直接起诉 0,2,0,0 with 总计 1: A104 error there."""
    text = (BASES / "2021.txt").read_text(encoding="utf-8")
    text = text.replace("\n2\t1\t0\t1\t4\t1\t0\t0\t1\t2\t0\t0\t0\t0\t0", "\n案件数量\t210140200100000")
    result = check_bytes("r.txt", text.encode("utf-8"), OPTIONS)
    codes = [(f.code, f.severity, f.table, f.row, f.column) for f in result.findings if f.code[0] in "AP"]
    assert ("A104", "error", "四", "未经复议直接起诉", "总计") in codes
    assert not [c for c in codes if c[0] == "P107"]
    t4 = result.report.tables["四"]
    assert [c.raw for c in t4.rows["未经复议直接起诉"].cells.values()] == ["0", "2", "0", "0", "1"]
    assert all(c.inferred for r in t4.rows.values() for c in r.cells.values())
    (issue,) = t4.issues
    assert isinstance(issue, Decoded) and issue.broken == 1 and issue.codes == ("A104",)


def test_two_consistent_readings_are_p107():
    """`560` for the 2019 fee row (上一年项目数量, 本年增/减): 5/60 and 56/0 both keep every relation."""
    t = Table("二", columns=["上一年项目数量", "本年增/减"])
    row = Row("二.八.行政事业性收费", "行政事业性收费", {c: Cell("", None, "unread") for c in t.columns}, None, 1)
    t.rows[row.key] = row
    run = make_run("二", [(row.key, c) for c in t.columns], [("560", Span(1, 10, 13))], [row])
    decode_tables({"二": t}, [run])
    (issue,) = row.problems
    assert isinstance(issue, DigitsAmbiguous)
    assert set(issue.candidates) == {("5", "60"), ("56", "0")}
    assert all(c.kind == "unread" for c in row.cells.values())


@pytest.mark.parametrize("length", [100, 100_000, 5_000_000])
def test_hostile_runs_are_bounded(length):
    """A run longer than its cells can hold is refused after counting its digits: no decoding steps."""
    t, runs = _table4("7" * length)
    STEPS.reset()
    decode_tables({"四": t}, runs)
    assert STEPS.steps == 0
    issue = t.rows[ROWS4[0]].problems[0]
    assert isinstance(issue, DigitsUnreadable) and issue.reason == "long" and issue.digits == length


def test_worst_run_that_fits_stops_at_the_step_bound():
    """The longest run of 15 cells that could fit, all readings breaking: both passes stop at their bound."""
    rng = random.Random(7)
    raw = "".join(rng.choice("123456789") for _ in range(80))
    t, runs = _table4(raw)
    STEPS.reset()
    decode_tables({"四": t}, runs)
    assert MAX_RUN_STEPS < STEPS.steps <= RUN_STEPS + 2  # each pass counts the step that finds its bound reached
    problems = t.rows[ROWS4[0]].problems
    assert problems and isinstance(problems[0], (DigitsUnreadable, DigitsAmbiguous))


def test_long_digit_line_in_a_report_is_a_p_finding():
    text = (BASES / "2021.txt").read_text(encoding="utf-8")
    text = text.replace("\n2\t1\t0\t1\t4\t1\t0\t0\t1\t2\t0\t0\t0\t0\t0", "\n案件数量\t" + "9" * 100_000)
    STEPS.reset()
    result = check_bytes("r.txt", text.encode("utf-8"), OPTIONS)
    assert STEPS.steps < 10 * MAX_RUN_STEPS
    assert [f.code for f in result.findings if f.table == "四" and f.code[0] in "AP"] == ["P107"]


# ---------------------------------------------------------------- corpus conformance

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
COLS3 = common().columns3


def _tables_json() -> dict:
    path = CORPUS / "tables.json"
    if not path.exists():
        pytest.skip("../shared/corpus/tables.json is absent")
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", ["101.txt", "108.txt", "109.txt", "110.txt", "113.txt", "124.txt"])
def test_extract_reproduces_hand_read_tables(name):
    from gov_lint.check import check_path
    from gov_lint.extract import extract_json

    expect = _tables_json()[name]
    result = check_path(CORPUS / name)
    got = extract_json(result)
    assert (got["template"], got["year"]) == (expect["template"], expect["year"])
    t3 = got["tables"]["三"]
    wrong = []
    for key, values in expect["sec3"].items():
        have = [t3.get(key, {}).get(c, "<missing>") for c in COLS3]
        if have != values:
            wrong.append((key, values, have))
    assert set(t3) == set(expect["sec3"]), "rows differ"
    t4 = got["tables"]["四"]
    have4 = [[t4[r][c] for c in COLS4] for r in ROWS4]
    if have4 != expect["sec4"]:
        wrong.append(("四", expect["sec4"], have4))
    assert not wrong, wrong


# ---------------------------------------------------------------- issue 11 leftovers

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _errors(path: Path) -> list[tuple]:
    from gov_lint.check import check_path

    result = check_path(path)
    return sorted((f.code, f.table, f.row, f.column, f.expected) for f in result.findings if f.severity == "error")


@pytest.mark.parametrize("year", ["2019", "2021"])
def test_web_text_errors_are_the_tab_errors(year):
    """errors-web.txt is errors.txt flattened to one line, its blank 总计 of （一）予以公开 leaving no
    trace (`12700000`): the decoder places the blank where the relations leave one answer, so
    the same root causes are found at the same cells with the same numbers (A109, A111, A100,
    A104)."""
    web = _errors(EXAMPLES / year / "errors-web.txt")
    tab = _errors(EXAMPLES / year / "errors.txt")
    assert web == tab
    assert ("A111", "三", "三.一", "总计", "127" if year == "2021" else "46") in [w[:4] + (str(w[4]),) for w in web]


def _web_2021() -> str:
    return (EXAMPLES / "2021" / "errors-web.txt").read_text(encoding="utf-8")


def test_prose_breaks_a_decoding_tie():
    """`规章 6025` reads 6/0/25 or 60/2/5 and both keep every relation (P107); a sentence stating
    two of its cells (制发规章6件, 现行有效规章25件) agrees with one reading only, which is taken, and
    P108 quotes the sentence."""
    intro = "本局主动公开政府信息的具体情况见下表。"
    text = _web_2021().replace(intro, intro + "全年制发规章6件，现行有效规章25件。")
    result = check_bytes("r.txt", text.encode("utf-8"), OPTIONS)
    row = result.report.tables["二"].rows["二.一.规章"]
    assert [c.raw for c in row.cells.values()] == ["6", "0", "25"]
    assert all(c.inferred for c in row.cells.values())
    (chose,) = [p for p in row.problems if isinstance(p, ProseChose)]
    assert [q for _, q in chose.quotes] == ["6件", "25件"]
    assert not [p for p in row.problems if isinstance(p, DigitsAmbiguous)]
    assert not [f for f in result.findings if f.code == "P107" and "6025" in f.text("zh")]
    (p108,) = [f for f in result.findings if f.code == "P108"]
    assert any("正文写作" in n and "6件" in n for n in p108.note_texts("zh"))


def test_prose_that_fits_no_reading_decides_nothing():
    """制发规章7件 agrees with neither reading: the tie stays a P107, nothing is guessed."""
    intro = "本局主动公开政府信息的具体情况见下表。"
    text = _web_2021().replace(intro, intro + "全年制发规章7件。")
    result = check_bytes("r.txt", text.encode("utf-8"), OPTIONS)
    row = result.report.tables["二"].rows["二.一.规章"]
    assert [p for p in row.problems if isinstance(p, DigitsAmbiguous)]
    assert all(c.kind == "unread" for c in row.cells.values())


def test_a_row_wrong_every_way_with_many_readings_is_an_error_not_p107():
    """一、本年新收 `116900111137` (116,9,0,0,1,11,137) with 116 printed as 117 breaks its own total
    whatever the split, and has more cheapest readings than the decoder keeps: it is read again
    under the column relations, and the error is found at the changed cell (once P107)."""
    text = (EXAMPLES / "2021" / "clean-web.txt").read_text(encoding="utf-8")
    assert text.count("116900111137") == 1
    text = text.replace("116900111137", "117900111137")
    result = check_bytes("r.txt", text.encode("utf-8"), OPTIONS)
    found = [(f.code, f.severity, f.table, f.row, f.column, f.expected) for f in result.findings if f.code[0] in "AP"]
    assert ("A100", "error", "三", "一", "自然人", "116") in found
    assert not [f for f in found if f[0] == "P107"]
    f = next(f for f in result.findings if f.code == "A100")
    assert any("连写" in n for n in f.note_texts("zh"))


def test_relation_finding_over_decoded_cells_says_so():
    """The issue's 15-digit section-四 run: A104 at error severity, with notes that the cells were
    read from run-together digits and that no other reading exists."""
    text = (BASES / "2021.txt").read_text(encoding="utf-8")
    text = text.replace("\n2\t1\t0\t1\t4\t1\t0\t0\t1\t2\t0\t0\t0\t0\t0", "\n案件数量\t210140200100000")
    result = check_bytes("r.txt", text.encode("utf-8"), OPTIONS)
    (a104,) = [f for f in result.findings if f.code == "A104"]
    notes = a104.note_texts("zh")
    assert any("只有这一种拆法" in n for n in notes)
    assert any("连写的数字中拆分读出" in n for n in notes)


row3 = st.lists(st.integers(0, 400), min_size=6, max_size=6).map(lambda xs: xs + [sum(xs)])


@settings(max_examples=150, deadline=None)
@given(values=row3)
def test_consistent_section_three_row_decodes_back(values):
    """A consistent section-三 row run together reads back exactly, or is P107 with its true
    reading among the candidates (or more than listed); never a different number."""
    cols = list(COLS3)
    t = Table("三", columns=cols)
    row = Row("一", "一、本年新收政府信息公开申请数量", {c: Cell("", None, "unread") for c in cols}, None, 1)
    t.rows["一"] = row
    raw = "".join(str(v) for v in values)
    run = make_run("三", [("一", c) for c in cols], [(raw, Span(1, 1, 1 + len(raw)))], [row])
    STEPS.reset()
    decode_tables({"三": t}, [run])
    assert STEPS.steps <= RUN_STEPS + 4
    amb = [p for p in row.problems if isinstance(p, DigitsAmbiguous)]
    unread = [p for p in row.problems if isinstance(p, DigitsUnreadable)]
    if unread:  # long rows of big numbers can pass the state bound: left unread (P107), never guessed
        assert unread[0].reason == "budget" and all(c.kind == "unread" for c in row.cells.values())
    elif amb:
        assert tuple(str(v) for v in values) in amb[0].candidates or amb[0].more
    else:
        assert [row.cells[c].number() for c in cols] == values


@settings(max_examples=25, deadline=None)
@given(rows=st.lists(st.text("0123456789", min_size=7, max_size=30), min_size=3, max_size=6))
def test_hostile_whole_tables_stay_within_the_step_bound(rows):
    """Random digit runs for several rows of section 三 (mostly wrong every way): the whole-table
    search, its second readings and its lost-cell trials stay within `step_bound` (linear in the
    runs), and every row ends read or with a P finding."""
    from gov_lint.parse.decode import step_bound
    from gov_lint.templates import load_template

    keys = [k for k in load_template("2021").rows3][: len(rows)]
    cols = list(COLS3)
    t = Table("三", columns=cols)
    runs = []
    for n, (key, raw) in enumerate(zip(keys, rows), 1):
        t.rows[key] = Row(key, key, {c: Cell("", None, "unread") for c in cols}, None, n)
        run = make_run("三", [(key, c) for c in cols], [(raw, Span(n, 1, 1 + len(raw)))], [t.rows[key]])
        runs.append(run)
    STEPS.reset()
    decode_tables({"三": t}, runs)
    assert STEPS.steps <= step_bound(len(runs), 1, 40)
    for key in keys:
        r = t.rows[key]
        assert r.problems or all(c.kind in ("number", "blank") for c in r.cells.values())


def _cuts_summing(digits: str, cells: int, total: int) -> bool:
    """Brute force: some cut of `digits` into `cells` numbers (no leading zeros, at most
    MAX_DIGITS digits each) sums to `total`."""
    from gov_lint.parse.decode import MAX_DIGITS

    if cells == 0:
        return not digits and total == 0
    for n in range(1, min(MAX_DIGITS, len(digits)) + 1):
        if n > 1 and digits[0] == "0":
            break
        v = int(digits[:n])
        if v <= total and _cuts_summing(digits[n:], cells - 1, total - v):
            return True
    return False


@settings(max_examples=300, deadline=None)
@given(digits=st.text("0123456789", min_size=1, max_size=14), cells=st.integers(1, 6),
       total=st.integers(-3, 2_000_000), coef=st.sampled_from([1, -1, 2]))
def test_totals_ruled_out_by_the_digit_count_have_no_reading(digits, cells, total, coef):
    """The walk skips a 总计 reading when the digits left cannot make the parts' sum
    (`_sum_out_of_reach`, a speed-up of issue 11): whenever it says so, no cut of the digits
    sums to it (brute force), so no reading is lost."""
    from gov_lint.parse.decode import _sum_out_of_reach

    rels = ((tuple((k, coef) for k in range(cells)), -coef * total, "=="),)
    if _sum_out_of_reach(rels, cells, len(digits)):
        assert not _cuts_summing(digits, cells, total)
    if _sum_out_of_reach(rels, cells, len(digits), sum(map(int, digits))):
        assert not _cuts_summing(digits, cells, total)


@settings(max_examples=300, deadline=None)
@given(digits=st.text("0123456789", min_size=1, max_size=12), cells=st.integers(1, 6))
def test_the_digit_sum_rule_keeps_every_reachable_total(digits, cells):
    """The other way round: every sum some cut of the digits makes (brute force) passes the
    digit-sum test of `_sum_out_of_reach` (at least the digits' sum, equal to it modulo 9)."""
    from gov_lint.parse.decode import MAX_DIGITS, _sum_out_of_reach

    def sums(rest: str, k: int) -> set[int]:
        if k == 0:
            return {0} if not rest else set()
        out: set[int] = set()
        for n in range(1, min(MAX_DIGITS, len(rest)) + 1):
            if n > 1 and rest[0] == "0":
                break
            out |= {int(rest[:n]) + s for s in sums(rest[n:], k - 1)}
        return out

    for total in sums(digits, cells):
        rels = ((tuple((k, 1) for k in range(cells)), -total, "=="),)
        assert not _sum_out_of_reach(rels, cells, len(digits), sum(map(int, digits)))


@settings(max_examples=400, deadline=None)
@given(digits=st.text("0123456789", min_size=0, max_size=16), cells=st.integers(1, 7),
       total=st.integers(-2, 400_000), coef=st.sampled_from([1, -1, 3]))
def test_the_sum_walk_is_the_general_walk(digits, cells, total, coef):
    """`_exact_sum` (a row's parts that must make a known sum, the common case) visits the states
    of the general walk `_exact_walk` in the same order: the same readings, the same `more`,
    the same number of steps."""
    from gov_lint.parse.decode import _Budget, _exact_sum, _exact_walk

    rels = ((tuple((k, coef) for k in range(cells)), -coef * total, "=="),)
    outcomes = []
    for walk in (lambda b: _exact_walk(digits, 1, cells, rels, 0, b),
                 lambda b: _exact_sum(digits, 1, cells, coef, -coef * total, b)):
        budget = [0]
        try:
            cost, found, more = walk(budget)
            outcomes.append((cost, list(found), more, budget[0]))
        except _Budget:
            outcomes.append(("budget", budget[0]))
    assert outcomes[0] == outcomes[1]
