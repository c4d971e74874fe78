"""The cross-year pass's quick tests never hide a finding: a relation's (`_surely_quiet`) against
the exact evaluation (`CrossYear._relation`, Decimal arithmetic), and a pair's (`CrossYear._surely_none`,
on the quick parts alone) against the pair's findings (`CrossYear._pair`)."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

from gov_lint.rules.crossyear import (QUICK_LIMIT, CrossYear, Facts, _flat_keys, _quick_forms, _surely_quiet, cross_specs,
                                      packed)

# a value a cell may hold in the facts: a whole number (small, near the limit, past the limit,
# beyond Decimal's 28 digits) or a Decimal's exact text
VALUES = st.one_of(
    st.integers(0, 50),
    st.integers(QUICK_LIMIT - 3, QUICK_LIMIT + 3),
    st.integers(10**27, 10**30),
    st.decimals(0, 1000, places=2, allow_nan=False, allow_infinity=False).map(str),
    st.none(),  # the cell is missing
)


def _facts(path: str, year: int, template: str, keys: list[str], values: list) -> Facts:
    cells = {k: (v, str(v), (1, 1, 2), (1, 1, 1, 2, None)) for k, v in zip(keys, values) if v is not None}
    return Facts(path=path, agency="甲县人民政府", year=year, template=template, cells=cells)


def _form(code: str, template: str, i: int = 0) -> tuple:
    """(spec, instance, terms, const) of a relation's i-th instance between two reports of `template`."""
    spec, forms = next((s, f) for s, f in _quick_forms(template, template) if s.code == code)
    inst, (terms, const, _cmp) = forms[i % len(forms)]
    return spec, inst, terms, const


def _keys(terms: tuple, template: str, prev: bool) -> list[str]:
    return [_flat_keys(template)[pos] for pos, _s, p in terms if p == prev]


def _quiet(terms: tuple, const: int, inst, prev: Facts, cur: Facts) -> bool:
    return _surely_quiet([(terms, const, inst.cmp)], prev.quick().values, cur.quick().values)


@settings(max_examples=150, deadline=None)
@given(data=st.data(), which=st.integers(0, 10**6))
def test_quick_test_agrees_with_the_exact_evaluation(data, which):
    spec0 = cross_specs()[which % len(cross_specs())]
    template = spec0.templates[which % len(spec0.templates)]
    spec, inst, terms, const = _form(spec0.code, template, which)
    assert terms is not None  # the relations of rules/relations/crossyear have whole constants
    prev_keys, cur_keys = _keys(terms, template, True), _keys(terms, template, False)
    prev = _facts("a/2022.txt", 2022, template, prev_keys, data.draw(st.lists(VALUES, min_size=len(prev_keys),
                                                                             max_size=len(prev_keys))))
    cur = _facts("b/2023.txt", 2023, template, cur_keys, data.draw(st.lists(VALUES, min_size=len(cur_keys),
                                                                           max_size=len(cur_keys))))
    exact = CrossYear()._relation(spec, inst, prev, cur, False)
    if _quiet(terms, const, inst, prev, cur):
        assert exact is None


def test_quick_test_steps_aside_past_the_limit():
    """A value past QUICK_LIMIT is left to the exact evaluation, even when it balances in whole numbers."""
    template = next(s for s in cross_specs() if s.code == "Y101").templates[-1]
    _spec, inst, terms, const = _form("Y101", template)
    assert [s for _k, s, _p in terms] == [1, -1]  # 上年结转 (this year) = 结转下年度 (last year)
    big = QUICK_LIMIT * 10**11 + 1  # 30 digits: Decimal's 28-digit sum rounds it
    (cur_key,), (prev_key,) = _keys(terms, template, False), _keys(terms, template, True)

    def facts(path: str, year: int, key: str | None, v: int = 0) -> Facts:
        return Facts(path, "甲", year, template, cells={key: (v, str(v), None, None)} if key else {})

    assert not _quiet(terms, const, inst, facts("a.txt", 2022, prev_key, big), facts("b.txt", 2023, cur_key, big))
    five, six = facts("a.txt", 2022, prev_key, 5), facts("b.txt", 2023, cur_key, 6)
    assert not _quiet(terms, const, inst, five, six)  # 6 ≠ 5: the exact evaluation reports it
    assert _quiet(terms, const, inst, five, facts("b.txt", 2023, cur_key, 5))
    assert _quiet(terms, const, inst, facts("a.txt", 2022, None), six)  # a missing cell: no finding


def _series(seed: int, template_years: list[int]) -> list[Facts]:
    """Facts of one body's consecutive reports (synthetic, consistent), checked for real."""
    import random

    from gov_lint.check import CheckOptions, check_bytes
    from gov_lint.rules.crossyear import extract_facts
    from gov_lint.synth import generate_series, write_tab_text

    out = []
    for i, r in enumerate(generate_series(None, random.Random(seed), template_years, agency="甲县乙镇人民政府")):
        res = check_bytes(f"{r.year}.txt", write_tab_text(r).encode("utf-8"), CheckOptions())
        f = extract_facts(res.report)
        f.index = i
        out.append(f)
    return out


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), first=st.sampled_from([2019, 2020, 2021]), cell=st.integers(0, 10**6),
       delta=st.sampled_from([-3, -1, 0, 1, 7]), copy=st.booleans())
def test_a_pair_the_quick_parts_call_quiet_gives_no_finding(seed, first, cell, delta, copy):
    """`_surely_none` on the packed facts is True only when `_pair` on the unpacked ones finds nothing:
    consecutive reports with one cell moved, or with the later year's rows copied from the earlier."""
    prev, cur = _series(seed, [first, first + 1])
    keys = sorted(cur.cells)
    if keys and delta:
        k = keys[cell % len(keys)]
        v, raw, span, loc = cur.cells[k]
        if isinstance(v, int):
            cur.cells[k] = (v + delta, str(v + delta), span, loc)
    if copy:
        for tid, rows in prev.rows.items():
            cur.rows.setdefault(tid, {}).update(rows)
        for tid, places in prev.places.items():
            cur.places.setdefault(tid, {}).update(places)
    cy = CrossYear()
    quiet = cy._surely_none(packed(prev), packed(cur))
    found = cy._pair(prev, cur, host=cur)
    if quiet:
        assert found == []
    if copy and prev.places:
        assert not quiet  # a copied row worth comparing is never passed over
    cy.close()


def test_carry_over_relations_are_compared_as_two_tuples():
    """Y101 (this year's 上年结转 = last year's 结转下年度, per column) is tried as one comparison of
    two tuples; Y103's sums one by one.  A cell missing on one side only still passes as quiet."""
    from gov_lint.rules.crossyear import PairChecks

    width = len(_flat_keys("2021"))
    checks = PairChecks.of((form for _s, forms in _quick_forms("2021", "2021") for form in forms), (width, width))
    codes = {s.code: len(f) for s, f in _quick_forms("2021", "2021")}
    assert len(checks.equalities) == codes["Y101"] and len(checks.others) == codes["Y103"]
    terms, _const, _cmp = checks.equalities[0]
    (cur_pos,) = [pos for pos, _s, p in terms if not p]
    prev, cur = [0] * width, [0] * width
    assert checks.cur_cells(tuple(cur)) == checks.prev_cells(tuple(prev))
    cur[cur_pos] = None  # missing this year only: the tuples differ, the check itself is quiet
    assert checks.cur_cells(tuple(cur)) != checks.prev_cells(tuple(prev))
    assert _surely_quiet(checks.equalities, tuple(prev), tuple(cur))
    cur[cur_pos] = 3  # 3 carried in, 0 carried out last year: not quiet
    assert not _surely_quiet(checks.equalities, tuple(prev), tuple(cur))


def test_an_equality_with_both_cells_on_one_side_is_not_compared_as_tuples():
    """`a − 前.b == 0` says the same as `a == 前.b` but adds in Decimal's 28 digits on one side: equal
    values past that precision do not hold there, so only a cell on each side is compared as tuples."""
    from gov_lint.relations import expand
    from gov_lint.rules.crossyear import _is_equality

    (split,) = expand("三[二][总计] == 前.三[四][总计]", "2021")
    (one_side,) = expand("三[二][总计] - 前.三[四][总计] == 0", "2021")
    check = ((0, 1, False), (1, -1, True)), 0, "=="
    assert _is_equality(split, check) and not _is_equality(one_side, check)
