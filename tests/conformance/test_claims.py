"""The N rules against the hand-labelled claims (tests/conformance/claims.json).

Targets (issue 12.3): no false N warning, and every disagreement found.  A
disagreement that only error localisation can reveal (the table repeats the wrong
number the text states, `needs = "localisation"`) must be found whenever localisation
(rules/localise.py) corrects that cell; and each is checked with the correction given
to the narrative rules by hand (`corrections`: every error the example's README lists in
that table), so the narrative side is tested either way.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from gov_lint.parse import parse
from gov_lint.readers import read_path
from gov_lint.rules import narrative
from gov_lint.rules.base import CheckContext

sys.path.insert(0, str(Path(__file__).resolve().parent))
from claims_score import CLAIMS, SHARED, score, source  # noqa: E402

DATA = json.loads(CLAIMS.read_text(encoding="utf-8"))


def _localised(claim: dict) -> bool:
    """True when error localisation (rules/localise.py, when present) corrects the claim's cell."""
    if importlib.util.find_spec("gov_lint.rules.localise") is None:
        return False
    from gov_lint.rules import localise

    report = parse(read_path(source(claim["file"])))
    ctx = CheckContext()
    localise.prepare(report, ctx)
    t, r, c = claim["cell"][0].split("/", 2)
    return (t, r, c) in ctx.corrections


def test_claims_are_well_formed():
    for c in DATA["claims"]:
        assert c["verdict"] in (None, "agree", "disagree"), c
        assert (c["cell"] is None) == (c["verdict"] is None), c
        assert c.get("parts") in (None, "agree", "disagree"), c
        assert c["number"] in c["excerpt"] and len(c["excerpt"]) <= 40, c
        for ref in c["cell"] or ():
            assert ref.count("/") >= 2 and ref.split("/", 1)[0] in ("二", "三", "四"), c
        if c.get("needs"):
            assert c["verdict"] == "disagree" and "right" in c and c["corrections"], c


@pytest.mark.skipif(not (SHARED / "seeds").is_dir(), reason="../shared not available")
def test_no_false_warning_and_every_disagreement_found():
    s = score()
    assert s.false == [], [(rel, f.code, f.span, f.stated) for rel, f in s.false]
    found = {id(c) for c in s.found}
    missed = [c for c in s.disagreements if id(c) not in found and (not c.get("needs") or _localised(c))]
    assert missed == []


@pytest.mark.parametrize("claim", [c for c in DATA["claims"] if c.get("needs") == "localisation"],
                         ids=lambda c: f"{c['file']}:{c['line']}")
def test_localised_disagreement_is_reported_with_the_correction(claim):
    """The text repeats a wrong cell: with the localised value, N101 points at the text's number."""
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
