"""Source lines for diagnostics: display columns (CJK = 2 cells, tabs expanded).

Both the terminal renderer and others that quote source lines use `display_line`
and `display_col`, so carets land under the right characters whatever the mix of
Chinese, ASCII and tabs.
"""

from __future__ import annotations

from functools import lru_cache

from rich.cells import cell_len

TAB = 4


@lru_cache(maxsize=4096)
def _width(ch: str) -> int:
    return cell_len(ch)


def display_line(text: str) -> str:
    """The line with tabs expanded to the next multiple of TAB display cells."""
    out: list[str] = []
    col = 0
    for ch in text:
        if ch == "\t":
            pad = TAB - col % TAB
            out.append(" " * pad)
            col += pad
        else:
            out.append(ch)
            col += _width(ch)
    return "".join(out)


def display_col(text: str, index: int) -> int:
    """Display cell (0-based) where character `index` (0-based) of `text` starts."""
    col = 0
    for ch in text[:index]:
        col = col + TAB - col % TAB if ch == "\t" else col + _width(ch)
    return col


def _columns(text: str) -> list[int]:
    """Display cell where each character of `text` starts, then the line's width (len + 1 entries)."""
    out = [0]
    col = 0
    for ch in text:
        col = col + TAB - col % TAB if ch == "\t" else col + _width(ch)
        out.append(col)
    return out


def underline(text: str, marks: list[tuple[int, int, str]]) -> str:
    """A line of marks under `text`: each (start, end, char) in character indexes."""
    cols = _columns(text)  # once per line: `display_col(text, i)` is cols[len(text[:i])]
    n = len(text)

    def at(i: int) -> int:
        return cols[i if 0 <= i <= n else len(text[:i])]

    width = cols[n] + 1
    row = [" "] * width
    for start, end, ch in sorted(marks, key=lambda m: m[2] == "^"):
        a = at(start)
        b = max(a + 1, at(max(start, end)))
        if b > len(row):
            row.extend(" " * (b - len(row)))
        for i in range(a, b):
            row[i] = ch
    return "".join(row).rstrip()
