"""Y106: decoding ties broken by the other year's report (gov_lint/rules/crossyear_ties.py).

The rule cases with exact codes and cells are in tests/rule_cases/crossyear/Y106_ties.toml; these
tests cover the facts that carry a tie, a series of three years, and the decision as a property."""

from __future__ import annotations

import marshal
from pathlib import Path

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from gov_lint.check import CheckOptions, check_bytes
from gov_lint.relations import template_sets
from gov_lint.rules.crossyear import CrossYear, Facts, cross_specs, extract_facts
from gov_lint.rules.crossyear_ties import decide

BASE = Path(__file__).resolve().parent / "rule_cases" / "crossyear" / "2021-web.txt"
COLUMNS = tuple(template_sets("2021")["三"]["columns"])

# the later report of Y106_ties.toml: 二 and 四 both “110000011”, tied together
TIE = [("116900111137二", "1331000111155二"), ("221000124三", "110000011三"), ("继续办理 5000016", "继续办理 110000011")]
# a consistent report whose 四 is 11 0 0 0 0 0 11
BEFORE = [("116900111137二", "122 9 0 0 1 10 142二"), ("继续办理 5000016", "继续办理 11 0 0 0 0 0 11")]
# a consistent report whose 二 is 11 0 0 0 0 0 11 (四 5 0 0 0 0 1 6)
AFTER = [("116900111137二", "127 10 0 0 1 12 150二"), ("221000124三", "11 0 0 0 0 0 11三")]


def _text(year: int, edits) -> str:
    text = BASE.read_text(encoding="utf-8").replace("2023", str(year))
    for old, new in edits:
        assert text.count(old) == 1
        text = text.replace(old, new)
    return text


def _checked(name: str, text: str, index: int):
    result = check_bytes(name, text.encode("utf-8"), CheckOptions())
    facts = extract_facts(result.report)
    facts.index = index
    return result, facts


def test_facts_carry_a_tie_only_when_there_is_one():
    _, plain = _checked("a.txt", _text(2022, BEFORE), 0)
    assert plain.ties == {} and plain.tie_tables == {}
    assert len(marshal.loads(plain.to_data()[1])) == 3  # no tie: the body is what it was
    _, tied = _checked("b.txt", _text(2023, TIE), 1)
    assert set(tied.ties) == {"三|二", "三|四"} and set(tied.tie_tables) == {"三"}
    raw, more, columns, _place, readings = tied.ties["三|二"]
    assert (raw, more, columns) == ("110000011", False, COLUMNS)
    assert [[t for t, _s, _l in r] for r in readings] == [["1", "10", "0", "0", "0", "0", "11"],
                                                          ["11", "0", "0", "0", "0", "0", "11"]]
    # each reading's cells are placed on the digits of the row, in order
    (_t, s0, _l), (_t2, s1, _l2) = readings[1][0], readings[1][1]
    assert s0[0] == s1[0] and s0[2] - s0[1] == 2 and s1[1] == s0[2]
    back = Facts.from_data(tied.to_data(), "b.txt", 1)
    assert back.ties == tied.ties and back.tie_tables == tied.tie_tables


def test_a_decided_tie_is_stored_so_the_next_year_does_not_decide_it_again():
    _, f22 = _checked("2022.txt", _text(2022, BEFORE), 0)
    r23, f23 = _checked("2023.txt", _text(2023, TIE), 1)
    r24, f24 = _checked("2024.txt", _text(2024, AFTER), 2)
    cy = CrossYear()
    assert cy.add(f22) == []
    found = cy.add(f23)
    assert [(f.code, f.table, f.row) for f in found if f.code.startswith("Y10") and f.code != "Y105"] == [
        ("Y106", "三", "二")]
    assert [f.code for f in cy.join("2023.txt", r23.findings, found) if f.code == "P107"] == []
    later = cy.add(f24)
    # 2023's 四 was read as 11 / 0 / … / 11 with its 二: 2024's 二 agrees, nothing to say
    assert [f.code for f in later if f.code in ("Y101", "Y106")] == []
    cy.close()


def test_ignoring_y106_leaves_the_tie_alone():
    _, f22 = _checked("2022.txt", _text(2022, BEFORE), 0)
    r23, f23 = _checked("2023.txt", _text(2023, TIE), 1)
    cy = CrossYear(selected=["Y101", "Y105", "P107"])
    cy.add(f22)
    found = cy.add(f23)
    assert found == [] or all(f.code == "Y105" for f in found)
    assert [(f.code, f.row) for f in cy.join("2023.txt", r23.findings, found) if f.code == "P107"] == [
        ("P107", "二"), ("P107", "四")]


def test_a_pairing_on_a_guessed_name_decides_nothing():
    _, f22 = _checked("2022.txt", _text(2022, BEFORE), 0)
    _, f23 = _checked("2023.txt", _text(2023, TIE), 1)
    f22.confident = False
    cy = CrossYear()
    cy.add(f22)
    assert [f.code for f in cy.add(f23) if f.code == "Y106"] == []


# --------------------------------------------------------------------------- the decision as a property

cell_text = st.one_of(st.just(""), st.integers(0, 300).map(str))
reading = st.tuples(*[cell_text] * len(COLUMNS))


def _number(t: str) -> int:
    return int(t) if t else 0


def _facts(path: str, year: int, cells: dict, ties: dict | None = None) -> Facts:
    f = Facts(path=path, agency="某镇人民政府", year=year, template="2021")
    f.cells = cells
    if ties:
        f.ties = ties
        f.tie_tables = {"三": ()}
    return f


def _tied(readings) -> Facts:
    placed = tuple(tuple((t, (2, 10 + i, 11 + i), None) for i, t in enumerate(r)) for r in readings)
    return _facts("b.txt", 2023, {}, {"三|二": ("x", False, COLUMNS, (None, None), placed)})


def _last_year(values) -> Facts:
    return _facts("a.txt", 2022, {f"三|四|{c}": (v, str(v), (5, 1, 2), None) for c, v in zip(COLUMNS, values)})


SPECS = [s for s in cross_specs() if s.applies("2021", "2021")]


@settings(max_examples=60, deadline=None)
@given(st.lists(reading, min_size=2, max_size=4, unique_by=lambda r: tuple(_number(t) for t in r)), st.data())
def test_the_reading_last_year_states_is_taken_whatever_the_order(readings, data):
    """Last year's 结转下年度 equal to one listed reading (as numbers): that reading is taken, in
    whatever order the decoder listed them, and the facts then hold its numbers."""
    truth = data.draw(st.sampled_from(readings))
    order = data.draw(st.permutations(readings))
    tied = _tied(order)
    (d,) = decide(tied, _last_year([_number(t) for t in truth]), False, SPECS, "2021")
    assert [t for t, _s, _l in d.chosen] == list(truth)
    assert tied.ties == {}
    assert [tied.cells[f"三|二|{c}"][0] for c in COLUMNS] == [_number(t) for t in truth]


@settings(max_examples=60, deadline=None)
@given(st.lists(reading, min_size=2, max_size=4, unique_by=lambda r: tuple(_number(t) for t in r)),
       st.tuples(*[st.integers(0, 300)] * len(COLUMNS)))
def test_a_reading_is_taken_only_when_last_year_supports_it_best(readings, values):
    """Any numbers of last year: a reading is taken only when it agrees with them on more of the
    cells the readings disagree on than it contradicts, and better than every other reading."""
    tied = _tied(readings)
    got = decide(tied, _last_year(values), False, SPECS, "2021")
    disputed = [i for i in range(len(COLUMNS)) if len({_number(r[i]) for r in readings}) > 1
                or len({r[i] for r in readings}) > 1]

    def score(r):
        return sum(1 if _number(r[i]) == values[i] else -1 for i in disputed)

    scores = [score(r) for r in readings]
    best = max(scores)
    if best > 0 and scores.count(best) == 1:
        (d,) = got
        assert [t for t, _s, _l in d.chosen] == list(readings[scores.index(best)])
    else:
        assert got == [] and "三|二" in tied.ties and tied.cells == {}


def test_a_bug_while_breaking_a_tie_is_p902_and_the_pair_is_still_checked(monkeypatch):
    import gov_lint.rules.crossyear as cy_mod

    def broken(*_a, **_k):
        raise ZeroDivisionError("bug")

    monkeypatch.setattr(cy_mod, "decide", broken)
    _, f22 = _checked("2022.txt", _text(2022, BEFORE), 0)
    _, f23 = _checked("2023.txt", _text(2023, TIE), 1)
    cy = CrossYear()
    cy.add(f22)
    found = cy.add(f23)
    (p902,) = [f for f in found if f.code == "P902"]
    assert p902.path == "2023.txt" and "ZeroDivisionError" in p902.text()
    assert "Y105" in {f.code for f in found}  # the other cross-year rules still ran


CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


@pytest.mark.skipif(not (CORPUS / "109.txt").exists() or not (CORPUS / "110.txt").exists(),
                    reason="../shared/corpus is not available")
def test_real_pair_documents_in_force_decide_a_tied_row():
    """Two real reports of one body (corpus 109: 2022, 110: 2023).  2023's 行政规范性文件 “5615”
    reads 5/6/15, 56/1/5 or 5/61/5 within the year; 2022 printed 4 0 16 (现行有效件数 16), and
    16 + 5 − 6 = 15 holds on 5 / 6 / 15 only (checked by hand)."""
    from gov_lint.check import CheckOptions as Options
    from gov_lint.runner import Run, WorkerSpec

    paths = [str(CORPUS / "109.txt"), str(CORPUS / "110.txt")]
    results = {r.path: r for r in Run(paths, WorkerSpec(Options()), jobs=1)}
    later = results[paths[1]]
    (y106,) = [f for f in later.findings if f.code == "Y106"]
    assert (y106.table, y106.row, y106.stated) == ("二", "二.一.行政规范性文件", "5615")
    assert y106.text().endswith("5 / 6 / 15") and "109.txt" in y106.text()
    (rel,) = y106.related
    assert rel.path == paths[0] and rel.label.args["value"] == 16 and rel.label.args["column"] == "现行有效件数"
    assert not [f for f in later.findings if f.code == "P107" and f.row == "二.一.行政规范性文件"]
    assert not [f for f in later.findings if f.severity == "error"]


def test_with_readings_not_listed_only_a_row_pinned_cell_by_cell_is_decided():
    """The decoder listed three readings of more: an equation over several cells of the row (R9)
    holding on a listed reading may hold on one not listed too, so nothing is decided; R6 pins
    every cell of the carried-over row, so a listed reading equal to last year's row is safe."""
    cols2 = ("本年制发件数", "本年废止件数", "现行有效件数")
    placed = tuple(tuple((t, (2, 10 + i, 11 + i), None) for i, t in enumerate(r))
                   for r in (("3", "5", "8280"), ("3", "58", "280"), ("3", "582", "80")))
    tied = _facts("b.txt", 2023, {}, {"二|二.一.规章": ("358280", True, cols2, (None, None), placed)})
    # 8280 = 8282 + 3 − 5 holds on the first reading; another reading might hold as well
    other = _facts("a.txt", 2022, {"二|二.一.规章|现行有效件数": (8282, "8282", (5, 1, 2), None)})
    specs = [s for s in cross_specs() if s.applies("2021", "2021")]
    assert decide(tied, other, False, specs, "2021") == []
    readings = (("1", "10", "0", "0", "0", "0", "11"), ("11", "0", "0", "0", "0", "0", "11"))
    row = _tied(readings)
    raw, _more, columns, place, listed = row.ties["三|二"]
    row.ties["三|二"] = (raw, True, columns, place, listed)
    (d,) = decide(row, _last_year([11, 0, 0, 0, 0, 0, 11]), False, SPECS, "2021")
    assert [t for t, _s, _l in d.chosen] == list(readings[1])


def test_y106_says_when_the_decoder_found_more_readings_than_it_listed():
    from gov_lint.rules.crossyear_ties import Decision

    _, f22 = _checked("2022.txt", _text(2022, BEFORE), 0)
    _, f23 = _checked("2023.txt", _text(2023, TIE), 1)
    cy = CrossYear()
    (d,) = decide(f23, f22, False, SPECS, "2021")
    assert isinstance(d, Decision) and not d.more
    d.more = True
    f = cy._decided(d, f23, f22, f23)
    assert "不止 2 种拆法" in f.text("zh") and "more than 2 readings" in f.text("en")


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from(([2021, 2022], [2019, 2020], [2020, 2021])),
       st.lists(st.tuples(st.integers(1, 99), st.integers(0, 99)), min_size=2, max_size=2))
def test_generated_series_in_web_text_decides_only_the_true_reading(seed, years, issued):
    """Two consecutive generated reports of one body (consistent across the years), printed as
    run-together web text: every reading the other year decides is the generator's own row, and
    taking it breaks nothing (no cross-year relation, no A error).  In the 2021 format the later
    year's 规章 and 行政规范性文件 rows get two-digit counts kept consistent with R9 (their runs
    then often read several ways within the year)."""
    import random

    from gov_lint.synth import generate_series
    from gov_lint.synth.writers import write_run_together

    reports = generate_series(None, random.Random(seed), years)
    before, after = reports
    if after.template == "2021" and before.template == "2021":
        for (made, dropped), row in zip(issued, ("二.一.规章", "二.一.行政规范性文件")):
            in_force = before.get("二", row, "现行有效件数") or 0
            dropped = min(dropped, in_force + made)
            after.set("二", row, "本年制发件数", made)
            after.set("二", row, "本年废止件数", dropped)
            after.set("二", row, "现行有效件数", in_force + made - dropped)
    facts = [_checked(f"{r.year}.txt", write_run_together(r), i)[1] for i, r in enumerate(reports)]
    truth = {f.path: r for f, r in zip(facts, reports)}
    prev, cur = (Facts.from_data(f.to_data(), f.path, f.index) for f in facts)  # decide() writes into these
    specs = [s for s in cross_specs() if s.applies(prev.template, cur.template)]
    for tied, other, tied_is_prev in ((cur, prev, False), (prev, cur, True)):
        for d in decide(tied, other, tied_is_prev, specs, cur.template):
            for row, chosen in [(d.row, d.chosen)] + d.also:
                want = [truth[tied.path].get(d.table, row, col) for col in d.columns]
                got = [int(t) if t.isdigit() else (None if not t else t) for t, _s, _l in chosen]
                assert [w or 0 for w in want] == [g or 0 for g in got], (d.table, row, want, got)
    decided = sum(1 for f in facts for _ in f.ties) - sum(1 for f in (prev, cur) for _ in f.ties)
    event(f"rows decided: {min(decided, 3)}")
    cy = CrossYear()
    cy.add(facts[0])
    later = cy.add(facts[1])
    assert not [f for f in later if f.severity == "error" or f.code in ("Y101", "Y102", "Y103")], [
        (f.code, f.table, f.row, f.column, f.text()) for f in later]


# --------------------------------------------------------------------------- the tables the outputs draw


def _run_pair(tmp_path, cache_dir=None, jobs=1, keep_report=False):
    from gov_lint.check import CheckOptions as Options
    from gov_lint.runner import Run, WorkerSpec

    (tmp_path / "2022.txt").write_text(_text(2022, BEFORE), encoding="utf-8")
    (tmp_path / "2023.txt").write_text(_text(2023, TIE), encoding="utf-8")
    paths = [str(tmp_path / "2022.txt"), str(tmp_path / "2023.txt")]
    spec = WorkerSpec(Options(), cache_dir=cache_dir, keep_report=keep_report)
    return {Path(r.path).name: r for r in Run(paths, spec, jobs=jobs)}


def _drawn(result, row: str) -> list[tuple[str, str]]:
    cells = result.tables["三"].rows[row].cells
    return [(cells[c].raw, cells[c].kind) for c in COLUMNS]


READ = [("11", "number")] + [("0", "number")] * 5 + [("11", "number")]


@pytest.mark.parametrize("cached", [False, True])
def test_a_row_decided_by_y106_is_drawn_as_the_reading_taken(tmp_path, cached):
    """The html output draws a result's tables: a row whose tie the other year broke shows the
    reading taken (二 by 2022's 结转下年度, 四 with it), not the unread cells of the parse; with a
    cache, the second (warm) run draws the same."""
    cache_dir = str(tmp_path / "cache") if cached else None
    runs = [_run_pair(tmp_path, cache_dir)] + ([_run_pair(tmp_path, cache_dir)] if cached else [])
    for results in runs:
        later = results["2023.txt"]
        assert [(f.code, f.row) for f in later.findings if f.code in ("Y106", "P107")] == [("Y106", "二")]
        assert _drawn(later, "二") == READ and _drawn(later, "四") == READ
        assert all(c.inferred for c in later.tables["三"].rows["二"].cells.values())
        # the other rows are the parse's, untouched
        assert later.tables["三"].rows["一"].cells["总计"].raw == "155"


def test_drawing_the_reading_leaves_the_parse_alone(tmp_path):
    """In process the result's tables are the parse's own: the decided rows are drawn from copies,
    so the parse (extract, in-process users) still says what was printed."""
    later = _run_pair(tmp_path, keep_report=True)["2023.txt"]
    assert _drawn(later, "二") == READ
    parsed = later.report.tables["三"].rows["二"].cells
    assert {c.kind for c in parsed.values()} == {"unread"}
