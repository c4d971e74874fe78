"""Conformance of the N (narrative), M (metadata) and T2xx (structure) rules on the
real reports in ../shared/seeds and ../shared/corpus (skipped when absent).

tests/conformance/narrative.json lists every finding these rules raise there, each
with a hand-checked justification (docs/conformance-narrative.md).  The run must
produce exactly those findings: a new one is either a false alarm or a newly found
slip, and must be looked at and recorded by hand.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from gov_lint.check import check_path
from gov_lint.parse import parse
from gov_lint.readers import read_path
from gov_lint.rules import metadata, narrative, structure

SHARED = Path(__file__).resolve().parents[2] / "shared"
EXPECTED = json.loads((Path(__file__).resolve().parent / "conformance" / "narrative.json").read_text(encoding="utf-8"))
CODES = {r.code for r in narrative.RULES + metadata.RULES + structure.RULES}

needs_shared = pytest.mark.skipif(not (SHARED / "seeds").is_dir(), reason="../shared not available")


def _files() -> list[str]:
    return sorted(EXPECTED["files"])


def _ours(rel: str):
    res = check_path(SHARED / rel)
    return res, [f for f in res.findings if f.code in CODES]


@needs_shared
@pytest.mark.parametrize("rel", _files())
def test_findings_are_the_recorded_ones(rel):
    if not (SHARED / rel).exists():
        pytest.skip(f"{rel} not available")
    res, found = _ours(rel)
    got = sorted((f.code, f.location.line if f.location else None, f.stated) for f in found)
    want = sorted((f["code"], f["line"], f["stated"]) for f in EXPECTED["files"][rel]["findings"])
    assert got == want, "\n".join(f"{f.code} {f.location} {f.stated!r} {f.text()}" for f in found)
    for f in found:
        assert f.severity in ("warning", "info")


def test_every_recorded_finding_is_justified():
    for rel, entry in EXPECTED["files"].items():
        assert entry["notes"], rel
        for f in entry["findings"]:
            assert len(f["justification"]) > 40, (rel, f)


@needs_shared
def test_all_shared_reports_are_recorded():
    present = {str(p.relative_to(SHARED)) for d in ("seeds", "corpus") for p in (SHARED / d).iterdir()
               if p.is_file() and p.name != "README.md" and p.suffix != ".json"}
    assert present <= set(EXPECTED["files"]), present - set(EXPECTED["files"])


def _seed(prefix: str) -> Path:
    return next((SHARED / "seeds").glob(prefix + "_*.txt"))


@needs_shared
def test_seed_000_and_002_numbers_are_compared_and_agree():
    """The numbers the issue names are read and found to agree, not merely skipped."""
    from gov_lint.rules.base import CheckContext
    from gov_lint.rules.narrative import counts

    r002 = parse(read_path(_seed("002")))
    seen = {}
    for claim in narrative.claims_of(r002):
        values = [r.value for r in counts.readings(r002, CheckContext(), claim)]
        seen[claim.quantity.id] = (claim.stated, values)
    for qid, stated in (("licensing-and-services", 82443), ("penalties-and-enforcement", 475)):
        assert qid in seen and seen[qid][0] == stated and stated in seen[qid][1], seen.get(qid)
    r000 = parse(read_path(_seed("000")))
    lists = list(narrative.selfcheck.iter_lists(narrative.prose_of(r000)))
    sixty_three = [pl for pl in lists if pl.whole == 63]
    assert sixty_three and sum(sixty_three[0].parts) == Decimal(63)
    for seed in ("000", "002"):
        _res, found = _ours(str(_seed(seed).relative_to(SHARED)))
        assert [f for f in found if f.code.startswith("N")] == []


@needs_shared
def test_seed_004_agency_and_seed_003_link_are_found():
    _res, found = _ours(str(_seed("004").relative_to(SHARED)))
    m103 = [f for f in found if f.code == "M103"]
    assert m103 and m103[0].stated == "朝阳乡" and m103[0].related
    _res, found = _ours(str(_seed("003").relative_to(SHARED)))
    assert any(f.code == "M104" and f.stated == "（）" for f in found)


EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.mark.skipif(not EXAMPLES.is_dir(), reason="examples/ not available")
@pytest.mark.parametrize("path", sorted(str(p.relative_to(EXAMPLES)) for p in EXAMPLES.glob("*/clean*")))
def test_clean_examples_raise_no_narrative_findings(path):
    """The synthetic clean reports (every format) quote matching numbers: nothing may fire."""
    res = check_path(EXAMPLES / path)
    assert [f"{f.code} {f.text()}" for f in res.findings if f.code in CODES] == []
