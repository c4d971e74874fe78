"""Split a run of digits into table cells using the table's own relations.

Web text prints a section-三 row as `15130000154`: seven cells with no separator.
The template knows the row has 7 cells and that the last is the sum of the other
six, so `split_run("15130000154", 7, [((0, 1, 2, 3, 4, 5), 6)])` finds every way to
cut the digits into 7 numbers (no leading zeros) that satisfies the sums:
[["151", "3", "0", "0", "0", "0", "154"]].  One answer: the parser takes it and
marks the cells inferred.  None or several: it says so and reads nothing.
"""

from __future__ import annotations

MAX_SOLUTIONS = 4  # enough to show the reader that a split is ambiguous
MAX_PART = 9  # digits in one cell


def split_run(digits: str, width: int, sums: list[tuple[tuple[int, ...], int]], limit: int = MAX_SOLUTIONS) -> list[list[str]]:
    """Up to `limit` splits of `digits` into `width` numbers satisfying every (parts, total) sum."""
    if not digits.isdigit() or len(digits) < width:
        return []
    totals = {total: parts for parts, total in sums}
    out: list[list[str]] = []
    parts: list[str] = []

    def ok_total(i: int) -> bool:
        group = totals.get(i)
        return group is None or sum(int(parts[j]) for j in group) == int(parts[i])

    def walk(pos: int) -> None:
        if len(out) >= limit:
            return
        k = len(parts)
        if k == width:
            if pos == len(digits):
                out.append(list(parts))
            return
        left = width - k - 1  # cells still to place after this one
        longest = min(MAX_PART, len(digits) - pos - left)
        if digits[pos] == "0":
            longest = min(longest, 1)
        for n in range(1, longest + 1):
            parts.append(digits[pos : pos + n])
            if ok_total(k):
                walk(pos + n)
            parts.pop()

    walk(0)
    return out
