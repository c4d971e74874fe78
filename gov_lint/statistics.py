"""`--statistics`: how many findings of each rule, printed after the summary."""

from __future__ import annotations

from typing import Any, Iterable

from rich.cells import cell_len


def statistics_rows(by_code: dict[str, int], rules: Iterable[Any] | None = None) -> list[tuple[int, str, str]]:
    """(count, code, name), most frequent first, then by code."""
    names = {r.code: r.name for r in rules or ()}
    return sorted(((n, code, names.get(code, "")) for code, n in by_code.items() if n),
                  key=lambda t: (-t[0], t[1]))


def format_statistics(by_code: dict[str, int], rules: Iterable[Any] | None = None, lang: str = "zh") -> str:
    """A small aligned table: count, code, name, and the rule's one-line summary."""
    rules = list(rules or ())
    rows = statistics_rows(by_code, rules)
    if not rows:
        return ("统计：没有发现问题" if lang != "en" else "Statistics: no findings") + "\n"
    summaries = {r.code: (r.summary_en if lang == "en" and r.summary_en else r.summary) for r in rules}
    wn = max(len(str(n)) for n, _, _ in rows)
    wc = max(len(c) for _, c, _ in rows)
    wname = max(cell_len(name) for _, _, name in rows)
    lines = ["统计（按规则）：" if lang != "en" else "Statistics (per rule):"]
    for n, code, name in rows:
        summary = summaries.get(code, "")
        lines.append(f"{str(n).rjust(wn)}  {code.ljust(wc)}  {name}{' ' * (wname - cell_len(name))}  {summary}".rstrip())
    total = sum(n for n, _, _ in rows)
    lines.append(f"{str(total).rjust(wn)}  " + ("合计" if lang != "en" else "total"))
    return "\n".join(lines) + "\n"
