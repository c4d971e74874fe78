"""Layout damage never produces an arithmetic finding.

The rule-case bases (tests/rule_cases/base/) are consistent reports.  Damage that
real PDF/web text shows, but that changes no number (blank lines, page markers,
separator rows, prose inside a table, rows deleted, swapped or duplicated, the
text cut off, labels broken over two lines, tabs turned into spaces, full-width
digits, a tab inside a label), may cost readability (P findings) but must never
produce an arithmetic or cell-value finding: every such finding would be a false
alarm computed from misplaced cells.  This property found two parser bugs (a
section-二 header broken over lines; a number separated from its label by spaces).
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gov_lint.check import CheckOptions, check_bytes

BASES_DIR = Path(__file__).resolve().parent / "rule_cases" / "base"
BASES = {p.stem: p.read_text(encoding="utf-8") for p in sorted(BASES_DIR.glob("*.txt"))}
# the codes that say a number is wrong; the base reports have none
ARITHMETIC = {"A101", "A102", "A103", "A104", "A105", "A106", "A107", "A111", "A120", "A121", "A122"}
OPS = ["blank", "page", "separator", "delete", "truncate", "split-label", "spaces", "header-again", "prose", "swap",
       "duplicate", "fullwidth", "tab-in-label"]
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def damage(text: str, ops: list[tuple[str, int]]) -> str:
    lines = text.split("\n")
    for op, n in ops:
        if not lines:
            lines = [""]
        i = n % len(lines)
        line = lines[i]
        if op == "blank":
            lines.insert(i, "")
        elif op == "page":
            lines.insert(i, f"— {n % 20 + 1} —")
        elif op == "separator":
            lines.insert(i, "-----\t---\t---")
        elif op == "delete":
            del lines[i]
        elif op == "truncate":
            lines = lines[: max(i, 1)]
        elif op == "header-again":
            lines.insert(i, next((x for x in lines if "本列数据的勾稽关系" in x), ""))
        elif op == "prose":
            lines.insert(i, "本表数据来源于本镇政务公开台账。")
        elif op == "swap":
            j = (n // 7) % len(lines)
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "duplicate":
            lines.insert(i, line)
        elif op == "fullwidth":
            lines[i] = line.translate(FULLWIDTH)
        elif op == "split-label" and "\t" in line:
            cells = line.split("\t")
            k = next((k for k, c in enumerate(cells) if len(c) > 4), None)
            if k is not None:
                cut = len(cells[k]) // 2
                head, cells[k] = cells[k][:cut], cells[k][cut:]
                lines[i : i + 1] = [head, "\t".join(cells)]
        elif op == "spaces" and "\t" in line:
            lines[i] = line.replace("\t", "  ", 1) if n % 2 else line.replace("\t", " ")
        elif op == "tab-in-label" and "\t" in line:
            k = next((k for k, ch in enumerate(line) if "\u4e00" <= ch <= "\u9fff"), None)
            if k is not None:
                lines[i] = line[: k + 1] + "\t" + line[k + 1 :]
    return "\n".join(lines)


def test_bases_are_clean():
    for name, text in BASES.items():
        result = check_bytes(f"{name}.txt", text.encode("utf-8"), CheckOptions(plugins=False))
        assert [f.code for f in result.findings if f.code[0] in "PA" or f.code[:2] == "T1"] == [], name


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.sampled_from(sorted(BASES)), st.lists(st.tuples(st.sampled_from(OPS), st.integers(0, 10**6)), max_size=4))
def test_layout_damage_never_gives_arithmetic_findings(base, ops):
    text = damage(BASES[base], ops)
    result = check_bytes("damaged.txt", text.encode("utf-8"), CheckOptions(plugins=False))
    bad = [f"{f.code} {f.table}/{f.row}/{f.column}: {f.text()}" for f in result.findings if f.code in ARITHMETIC]
    assert not bad, (base, ops, bad)
