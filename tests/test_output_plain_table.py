"""The summary table drawn as plain text is the table rich draws, character for character."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from gov_lint.output.summary import PlainColumn, _rich_table, plain_table

COLUMNS = [
    PlainColumn("机构", min_width=8),
    PlainColumn("年度", right=True),
    PlainColumn("模板"),
    PlainColumn("状态"),
    PlainColumn("错误", right=True),
    PlainColumn("警告", right=True),
    PlainColumn("文件"),
]
# wide (CJK, full-width), narrow, zero-width (a combining mark) and the em dash; spaces inside
words = st.text(alphabet=st.sampled_from(list("ab1 机构县镇（）Ａ·—é\u0301/_.")), max_size=14)
numbers = st.one_of(st.integers(0, 10**6).map(str), st.just("—"))
row = st.tuples(words, numbers, words, words, numbers, numbers, words).map(list)
rows = st.lists(st.one_of(row, row, row, st.none()), min_size=1, max_size=12).filter(
    lambda rs: rs[0] is not None and rs[-1] is not None and all(a is not None or b is not None for a, b in zip(rs, rs[1:]))
)


def _tidy(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.split("\n"))


def _rich(title: str, columns: list[PlainColumn], table_rows: list, width: int) -> str:
    console = Console(width=width, color_system=None, force_terminal=False, no_color=True, highlight=False, emoji=False)
    with console.capture() as capture:
        console.print(_rich_table(title, columns, table_rows, ["green"] * len(table_rows)))
    return capture.get()


@settings(max_examples=150, deadline=None)
@given(rows, st.sampled_from(["政府信息公开年报检查汇总", "gov-lint archive summary"]))
def test_plain_table_is_what_rich_draws(table_rows, title):
    drawn = plain_table(title, COLUMNS, table_rows, 10_000)
    assert drawn is not None
    assert _tidy(drawn) == _tidy(_rich(title, COLUMNS, table_rows, 10_000))


def test_a_section_starts_with_a_rule_and_cells_are_padded_by_display_width():
    table_rows = [["甲镇", "2021", "2021", "已检查", "0", "12", "a.txt"], None,
                  ["乙", "—", "2019", "已检查", "3", "0", "bb.txt"]]
    drawn = plain_table("T", COLUMNS, table_rows, 10_000)
    lines = drawn.split("\n")
    assert lines[4] == "│ 甲镇     │ 2021 │ 2021 │ 已检查 │    0 │   12 │ a.txt  │"
    assert lines[5] == "├──────────┼──────┼──────┼────────┼──────┼──────┼────────┤"
    assert lines[6] == "│ 乙       │    — │ 2019 │ 已检查 │    3 │    0 │ bb.txt │"


def test_what_rich_would_draw_differently_is_left_to_rich():
    ok = ["机构", "2021", "2021", "已检查", "0", "0", "a.txt"]
    assert plain_table("T", COLUMNS, [ok], 10_000) is not None
    assert plain_table("T", COLUMNS, [], 10_000) is None  # no rows
    assert plain_table("T", COLUMNS, [ok], 40) is None  # too wide: rich wraps
    assert plain_table("T", COLUMNS, [ok[:6] + ["a\tb.txt"]], 10_000) is None  # tab
    assert plain_table("T", COLUMNS, [ok[:6] + ["a\nb.txt"]], 10_000) is None  # line break
