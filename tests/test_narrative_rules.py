"""Rule cases for the narrative (N), metadata (M) and structure (T2xx) rules.

Cases are data: tests/rule_cases/narrative/*.toml.  Each case builds a synthetic
report (tests/narrative_support.py) and lists every N/M/T2 finding it must produce,
exactly: the code, the quoted prose span, the table cell (whose span must be one of
the finding's Related spans), the expected value and the quoted Related spans.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

sys.path.insert(0, str(Path(__file__).resolve().parent))

from narrative_support import build  # noqa: E402

from gov_lint.rules import metadata, narrative, structure  # noqa: E402
from gov_lint.rules.base import CheckContext  # noqa: E402

CASE_DIR = Path(__file__).resolve().parent / "rule_cases" / "narrative"
RULES = narrative.RULES + metadata.RULES + structure.RULES


def _cases():
    for path in sorted(CASE_DIR.glob("*.toml")):
        with path.open("rb") as fh:
            data = tomllib.load(fh)
        for case in data["case"]:
            yield pytest.param(case, id=f"{path.stem}: {case['name']}")


def run_rules(report, case=None, lang="zh"):
    ctx = CheckContext(lang=lang)
    if case and case.get("published"):
        ctx.published = case["published"]  # what `--published DATE` sets
    if case and "corrections" in case:  # what error localisation (the relation engine) records
        ctx.corrections = {tuple(k.split("/", 2)): v for k, v in case["corrections"].items()}
    out = []
    for rule in RULES:
        out.extend(rule.check(report, ctx))
    return out


def quote(report, span):
    if span is None:
        return None
    line = report.document.lines[span.line - 1]
    return line[span.col - 1 : span.end_col - 1]


@pytest.mark.parametrize("case", list(_cases()))
def test_rule_case(case):
    report = build(case)
    findings = run_rules(report, case)
    got = sorted((f.code, quote(report, f.span) or "") for f in findings)
    want = sorted((e["code"], e.get("quote", "")) for e in case.get("expect", []))
    # an expectation without a quote matches any span of that code
    got_cmp = [(c, q if any(w == (c, q) for w in want) else ("" if (c, "") in want else q)) for c, q in got]
    assert sorted(got_cmp) == want, "\n".join(f"{f.code} {quote(report, f.span)!r} {f.text()}" for f in findings)
    unused = list(findings)
    for e in case.get("expect", []):
        f = next(f for f in unused if f.code == e["code"] and (not e.get("quote") or quote(report, f.span) == e["quote"])
                 and all(getattr(f, k) == e[k] for k in ("table", "row", "column") if k in e))
        unused.remove(f)
        assert f.severity == e.get("severity", "warning")
        assert f.text() and f.span is not None
        for key in ("table", "row", "column", "expected"):
            if key in e:
                assert getattr(f, key) == e[key], (key, getattr(f, key))
        if "table" in e and "row" in e and "column" in e:
            related = [r.span for r in f.related]
            for row in e["row"].split("+"):
                cell = report.cell(e["table"], row, e["column"])
                if cell is None:  # a group (三.四): its leaf rows are the Related spans
                    leaves = [k for k in report.tables[e["table"]].rows if k.startswith(row + ".")]
                    assert leaves and all(report.cell(e["table"], k, e["column"]).span in related for k in leaves)
                else:
                    assert cell.span in related, "the table cell must be a Related span"
        if "related" in e:
            assert [quote(report, r.span) for r in f.related] == e["related"]


def test_every_rule_has_docs_and_a_case():
    codes = set()
    for path in sorted(CASE_DIR.glob("*.toml")):
        with path.open("rb") as fh:
            for case in tomllib.load(fh)["case"]:
                codes |= {e["code"] for e in case.get("expect", [])}
    for rule in RULES:
        assert rule.doc.what and rule.doc.why and rule.doc.example and rule.doc.fix, rule.code
        assert rule.doc.what_en, rule.code
        assert rule.code in codes, f"{rule.code} has no failing rule case"


def test_never_errors():
    """N, M and T2 findings are warnings or info, so CI can block on table errors only."""
    assert {r.severity for r in RULES} <= {"warning", "info"}
    assert all(r.code[0] in "NMT" for r in RULES)


def test_english_messages():
    case = {"sections": {"一": "本年度，本镇共收到政府信息公开申请12件。"}, "cells": {"三/一/总计": 10, "三/三.一/总计": 10, "三/三.七/总计": 10}}
    report = build(case)
    findings = [f for f in run_rules(report, lang="en") if f.code == "N101"]
    assert findings and "table 三 says 10" in findings[0].text("en")


def _parser_cases():
    for p in _cases():
        case = p.values[0]
        marks = [pytest.mark.xfail(strict=True, reason=case["parser_xfail"])] if case.get("parser_xfail") else []
        yield pytest.param(case, id=p.id, marks=marks)


@pytest.mark.parametrize("case", list(_parser_cases()))
def test_rule_case_through_the_real_parser(case):
    """The same text read by gov-lint's own parser gives the same findings at the same spans."""
    from gov_lint.model import Document
    from gov_lint.parse import parse

    built = build(case)
    parsed = parse(Document(path="case.txt", text=built.document.text, meta=dict(built.document.meta)))
    want = sorted((f.code, quote(built, f.span)) for f in run_rules(built, case))
    got = sorted((f.code, quote(parsed, f.span)) for f in run_rules(parsed, case))
    assert got == want


def test_structure_rules_skip_legacy_reports():
    report = build({"sections": {"五": "无。", "六": "无。"}, "order": ["一", "二", "五", "六"]})
    assert {f.code for f in run_rules(report)} >= {"T201", "T205", "T207"}
    report.template = "legacy"
    assert not [f for f in run_rules(report) if f.code.startswith("T2")]


def test_unfilled_table_through_the_whole_check():
    """N306 end to end (reader, parser, localisation, selection): one warning at the number, no N101."""
    from gov_lint.check import check_bytes

    case = {"template": "2021", "sections": {"一": "本年度，本镇全年共收到政府信息公开申请15件，均按期答复。"}}
    text = build(case).document.text
    result = check_bytes("report.txt", text.encode("utf-8"))
    found = [(f.code, f.table, f.row, f.column, f.stated) for f in result.findings if f.code.startswith("N")]
    assert found == [("N306", "三", "一", "总计", "15件")]
    result = check_bytes("report.txt", text.replace("15件", "0件").encode("utf-8"))
    assert not [f for f in result.findings if f.code.startswith("N")]
