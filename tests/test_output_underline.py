"""`underline` reads each line's display columns once; it must mark what `display_col` says."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from gov_lint.output.snippet import display_col, underline


def _reference(text: str, marks: list[tuple[int, int, str]]) -> str:
    width = display_col(text, len(text)) + 1
    row = [" "] * width
    for start, end, ch in sorted(marks, key=lambda m: m[2] == "^"):
        a = display_col(text, start)
        b = max(a + 1, display_col(text, max(start, end)))
        if b > len(row):
            row.extend(" " * (b - len(row)))
        for i in range(a, b):
            row[i] = ch
    return "".join(row).rstrip()


lines = st.text(alphabet=st.sampled_from(list("ab 1\t自然人总计（）") + ["\u0301", "\x00"]), max_size=20)
marks = st.lists(st.tuples(st.integers(-3, 25), st.integers(-3, 25), st.sampled_from("^-")), max_size=5)


@settings(max_examples=400, deadline=None)
@given(lines, marks)
def test_underline_marks_the_display_columns(text, ms):
    assert underline(text, ms) == _reference(text, ms)
