"""The cross-year pass's quick test (`_surely_quiet`) never hides a finding the exact evaluation
(`CrossYear._relation`, Decimal arithmetic) would make."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

from gov_lint.rules.crossyear import QUICK_LIMIT, CrossYear, Facts, _quick_forms, _surely_quiet, cross_specs

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


@settings(max_examples=150, deadline=None)
@given(data=st.data(), which=st.integers(0, 10**6))
def test_quick_test_agrees_with_the_exact_evaluation(data, which):
    spec = cross_specs()[which % len(cross_specs())]
    template = spec.templates[which % len(spec.templates)]
    forms = _quick_forms(spec.expr, template)
    inst, terms, const = forms[which % len(forms)]
    assert terms is not None  # the relations of rules/relations/crossyear have whole constants
    prev_keys = [k for k, _s, p in terms if p]
    cur_keys = [k for k, _s, p in terms if not p]
    prev = _facts("a/2022.txt", 2022, template, prev_keys, data.draw(st.lists(VALUES, min_size=len(prev_keys),
                                                                             max_size=len(prev_keys))))
    cur = _facts("b/2023.txt", 2023, template, cur_keys, data.draw(st.lists(VALUES, min_size=len(cur_keys),
                                                                           max_size=len(cur_keys))))
    exact = CrossYear()._relation(spec, inst, prev, cur, False)
    if _surely_quiet(terms, const, inst.cmp, prev.cells, cur.cells):
        assert exact is None


def test_quick_test_steps_aside_past_the_limit():
    """A value past QUICK_LIMIT is left to the exact evaluation, even when it balances in whole numbers."""
    spec = next(s for s in cross_specs() if s.code == "Y101")
    template = spec.templates[-1]
    inst, terms, const = _quick_forms(spec.expr, template)[0]
    assert [s for _k, s, _p in terms] == [1, -1]  # 上年结转 (this year) = 结转下年度 (last year)
    big = QUICK_LIMIT * 10**11 + 1  # 30 digits: Decimal's 28-digit sum rounds it
    (cur_key, _, _), (prev_key, _, _) = terms
    prev = Facts("a.txt", "甲", 2022, template, cells={prev_key: (big, str(big), None, None)})
    cur = Facts("b.txt", "甲", 2023, template, cells={cur_key: (big, str(big), None, None)})
    assert not _surely_quiet(terms, const, inst.cmp, prev.cells, cur.cells)
    five, six = {prev_key: (5, "5", None, None)}, {cur_key: (6, "6", None, None)}
    assert not _surely_quiet(terms, const, inst.cmp, five, six)  # 6 ≠ 5: the exact evaluation reports it
    assert _surely_quiet(terms, const, inst.cmp, five, {cur_key: (5, "5", None, None)})
    assert _surely_quiet(terms, const, inst.cmp, {}, six)  # a missing cell: no finding
