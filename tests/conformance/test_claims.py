"""The N rules against the hand-labelled claims (tests/conformance/claims.json).

Targets (issue 12.3): no false N warning, and every disagreement found.  A claim whose
cell's right value the document itself cannot tell (`verdict = "undecidable"`, with the
`reason`: the text repeats a misprinted cell, and nothing in the report says which of
several equally small repairs is meant) gives no N finding; it is also checked with the
example author's answer given to the narrative rules by hand (`corrections`: every
error the example's README lists in that table), so the narrative side would report it
the moment localisation could decide.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from gov_lint.parse import parse
from gov_lint.readers import read_path
from gov_lint.rules import narrative
from gov_lint.rules.base import CheckContext

sys.path.insert(0, str(Path(__file__).resolve().parent))
from claims_score import CLAIMS, score, source  # noqa: E402

DATA = json.loads(CLAIMS.read_text(encoding="utf-8"))


def _localised(claim: dict) -> bool:
    """True when error localisation corrects the claim's cell."""
    from gov_lint.rules import localise

    report = parse(read_path(source(claim["file"])))
    ctx = CheckContext()
    localise.prepare(report, ctx)
    t, r, c = claim["cell"][0].split("/", 2)
    return (t, r, c) in ctx.corrections


def test_claims_are_well_formed():
    for c in DATA["claims"]:
        assert c["verdict"] in (None, "agree", "disagree", "undecidable"), c
        assert (c["cell"] is None) == (c["verdict"] is None), c
        assert c.get("parts") in (None, "agree", "disagree"), c
        assert c["number"] in c["excerpt"] and len(c["excerpt"]) <= 40, c
        for ref in c["cell"] or ():
            assert ref.count("/") >= 2 and ref.split("/", 1)[0] in ("二", "三", "四"), c
        if c["verdict"] == "undecidable":
            assert c["reason"] and "right" in c and c["corrections"], c
        assert "needs" not in c, c


def test_no_false_warning_and_every_disagreement_found():
    """On every file present (the examples always; ../shared when it is there)."""
    s = score()
    assert s.false == [], [(rel, f.code, f.span, f.stated) for rel, f in s.false]
    found = {id(c) for c in s.found}
    assert [c for c in s.disagreements if id(c) not in found] == []
    examples = [c for c in s.disagreements if c["file"].startswith("examples/")]
    assert examples and all(id(c) in found for c in examples)  # the 2019 prose slip, at least


UNDECIDABLE = [c for c in DATA["claims"] if c["verdict"] == "undecidable"]


@pytest.mark.parametrize("claim", UNDECIDABLE, ids=lambda c: f"{c['file']}:{c['line']}")
def test_undecidable_claim_is_not_localised(claim):
    """The label is honest only while the report itself cannot decide: localisation finds no
    single correction for the cell."""
    assert not _localised(claim)


@pytest.mark.parametrize("claim", UNDECIDABLE, ids=lambda c: f"{c['file']}:{c['line']}")
def test_undecidable_claim_with_the_authors_answer_is_reported(claim):
    """The text repeats a misprinted cell: given the author's corrections, N101 points at the text's number."""
    report = parse(read_path(source(claim["file"])))
    ctx = CheckContext()
    t, r, col = claim["cell"][0].split("/", 2)
    # every error examples/README.md lists in that table, as localisation would correct them
    ctx.corrections = {tuple(k.split("/", 2)): v for k, v in claim["corrections"].items()}
    assert ctx.corrections[(t, r, col)] == claim["right"]
    found = [f for rule in narrative.RULES if rule.code == "N101" for f in rule.check(report, ctx)]
    at = [f for f in found if f.span and (f.span.line, f.span.col) == (claim["line"], claim["col"])]
    assert len(at) == 1 and at[0].expected == str(claim["right"]), [(f.span, f.stated) for f in found]
    assert (at[0].table, at[0].row, at[0].column) == (t, r, col)
