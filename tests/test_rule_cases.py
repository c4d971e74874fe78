"""Rule cases as data: tests/rule_cases/*.toml.

Each file holds `[[case]]` tables.  A case is a small synthetic report, either a
whole `text` or a `base` text from tests/rule_cases/base/ changed by `edits`
(pairs [old, new]; `old` must occur exactly once in the text; `drop_lines`
= [[first, last], …] removes 1-based line ranges first), and the exact
findings expected for the codes under test (`codes`, per case or per file):

    [[case]]
    id = "A103-row-total"
    base = "2021"
    edits = [["\\t177\\n", "\\t178\\n"]]
    expect = [{ code = "A103", table = "三", row = "三.一", column = "总计", expected = "177" }]

The findings of those codes are compared as a multiset of (code, table, row,
column); an `expected`, `stated`, `line` or `explains` given in an expectation must
match too.  A localised wrong cell (A100, A109, A111) counts for the codes of the
relation failures it explains (`explains`), as `--select A101` keeps it.
`expect = []` is a pass case: none of the codes under test may be raised.
Cases built on a base run twice: as written (tab layout) and with every table row
rewritten as a markdown pipe row; both must give the expected findings.
Optional: `status` (checked / skipped / error), `template`, `year`, `absent`
(code prefixes that must not appear at all, e.g. ["A"]), `xfail` (a reason: the
case documents a known bug and must fail, strict).

Synthetic texts only: never sentences of real reports.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from gov_lint.check import CheckOptions, check_bytes

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

CASES = Path(__file__).resolve().parent / "rule_cases"
BASES = CASES / "base"


def _load() -> list:
    params = []
    seen: set[str] = set()
    for path in sorted(CASES.glob("*.toml")):
        with path.open("rb") as fh:
            data = tomllib.load(fh)
        file_codes = data.get("codes")
        for case in data.get("case", []):
            cid = case["id"]
            assert cid not in seen, f"duplicate case id {cid} in {path.name}"
            seen.add(cid)
            case = dict(case)
            case.setdefault("codes", file_codes)
            case["_file"] = path.name
            marks = [pytest.mark.xfail(strict=True, reason=case["xfail"])] if case.get("xfail") else []
            params.append(pytest.param(case, id=cid, marks=marks))
    return params


CASE_PARAMS = _load()


def case_text(case: dict) -> str:
    """The report text of a case: `text`, or `base` with `edits` applied."""
    if "text" in case:
        text = case["text"]
    else:
        text = (BASES / f"{case['base']}.txt").read_text(encoding="utf-8")
    if case.get("drop_lines"):
        lines = text.split("\n")
        drop = {n for a, b in case["drop_lines"] for n in range(a, b + 1)}
        text = "\n".join(line for n, line in enumerate(lines, 1) if n not in drop)
    for old, new in case.get("edits", []):
        n = text.count(old)
        assert n == 1, f"{case['id']}: edit target {old!r} occurs {n} times in the text (must be exactly once)"
        text = text.replace(old, new)
    return text


def _key(d) -> tuple:
    get = d.get if isinstance(d, dict) else (lambda k: getattr(d, k))
    return (get("code"), get("table"), get("row"), get("column"))


def test_cases_were_found():
    assert len(CASE_PARAMS) >= 40
    codes = set()
    for p in CASE_PARAMS:
        for e in p.values[0].get("expect", []):
            codes.add(e["code"])
            codes.update(e.get("explains", []))  # relation failures a localised cell (A100) stands for
    for code in ("A101", "A102", "A103", "A104", "A105", "A106", "A107", "A110", "A111", "A120", "A121", "A122",
                 "T101", "T102", "T103", "T104", "P101", "P102", "P103", "P104", "P105", "P106", "P003", "P004"):
        assert code in codes, f"no failing rule case for {code}"


def markdown(text: str) -> str:
    """The same report with every tab-separated table row written as a markdown pipe row."""
    return "\n".join("| " + " | ".join(line.split("\t")) + " |" if "\t" in line else line for line in text.split("\n"))


@pytest.mark.parametrize("case", CASE_PARAMS)
def test_rule_case(case: dict):
    run_case(case, case_text(case), f"{case['id']}.txt")


@pytest.mark.parametrize("case", [p for p in CASE_PARAMS if "base" in p.values[0]])
def test_rule_case_in_markdown_layout(case: dict):
    """Every case built on a tab-layout base gives the same findings in the markdown-pipe layout."""
    run_case(case, markdown(case_text(case)), f"{case['id']}.md")


def run_case(case: dict, text: str, name: str) -> None:
    codes = case.get("codes")
    assert codes, f"{case['id']}: no codes under test"
    result = check_bytes(name, text.encode("utf-8"), CheckOptions())
    if "status" in case:
        assert result.status == case["status"], result.reason_text()
    if "template" in case:
        assert result.template == case["template"]
    if "year" in case:
        assert result.year == case["year"]
    # a localised wrong cell (A100, A109, A111) stands for the relation failures it explains
    actual = [f for f in result.findings if f.code in codes or any(c in codes for c in f.explains)]
    expect = case.get("expect", [])
    got = Counter(_key(f) for f in actual)
    want = Counter(
        (e["code"], e.get("table"), e.get("row"), e.get("column")) for e in expect
    )
    detail = "\n".join(f"  {f.code} {f.table}/{f.row}/{f.column} expected={f.expected} :: {f.text()}" for f in actual)
    assert got == want, f"{case['id']}: findings differ\nactual:\n{detail}"
    for e in expect:
        matches = [f for f in actual if _key(f) == _key(e)]
        for field in ("expected", "stated"):
            if field in e:
                assert [getattr(f, field) for f in matches] == [e[field]] * len(matches), (
                    f"{case['id']}: {field} of {_key(e)}"
                )
        if "explains" in e:
            assert all(sorted(f.explains) == sorted(e["explains"]) for f in matches), (
                f"{case['id']}: relations explained by {_key(e)}: {[f.explains for f in matches]}"
            )
        if "line" in e:
            assert all(f.location is not None and f.location.line == e["line"] for f in matches), (
                f"{case['id']}: line of {_key(e)}: {[f.location for f in matches]}"
            )
    for prefix in case.get("absent", []):
        bad = [f"{f.code} {f.table}/{f.row}/{f.column}" for f in result.findings if f.code.startswith(prefix)]
        assert not bad, f"{case['id']}: no {prefix} finding expected, got {bad}"
