"""Precision and recall of the N rules on the hand-labelled claims (claims.json).

    python tests/conformance/claims_score.py

Runs the whole check (`check_path`, every rule, as the CLI does) on each file that
claims.json lists, takes its N findings, and matches each to a labelled claim by the
place of the number it quotes (line and column).  A finding is right when its claim
disagrees with the table (`verdict`) or is a whole its listed parts do not add up to
(`parts`); every other N finding is a false warning, also one at a claim labelled
`undecidable` (the document itself cannot tell its cell's right value, so no warning
about it can be supported).  Recall is over the claims that disagree; undecidable
claims are counted and listed apart and are not in it.  Files under ../shared are
skipped when it is absent.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
CLAIMS = Path(__file__).resolve().parent / "claims.json"


def source(rel: str) -> Path:
    return ROOT / rel if rel.startswith("examples/") else SHARED / rel


def disagrees(claim: dict) -> bool:
    return claim.get("verdict") == "disagree" or claim.get("parts") == "disagree"


def undecidable(claim: dict) -> bool:
    return claim.get("verdict") == "undecidable"


@dataclass
class Score:
    files: int = 0
    claims: int = 0
    about_cells: int = 0
    disagreements: list[dict] = field(default_factory=list)
    undecidable: list[dict] = field(default_factory=list)  # not in recall: the document cannot tell
    found: list[dict] = field(default_factory=list)  # disagreeing claims with an N finding
    false: list[tuple[str, object]] = field(default_factory=list)  # (file, finding) with no disagreeing claim
    findings: int = 0
    read: int = 0  # claims about cells that the phrase table reads (compared with the table)

    @property
    def precision(self) -> float:
        return 1.0 if not self.findings else (self.findings - len(self.false)) / self.findings

    @property
    def recall(self) -> float:
        return 1.0 if not self.disagreements else len(self.found) / len(self.disagreements)


def score(only_available: bool = True) -> Score:
    from gov_lint.check import check_path

    data = json.loads(CLAIMS.read_text(encoding="utf-8"))
    by_file: dict[str, list[dict]] = {}
    for c in data["claims"]:
        by_file.setdefault(c["file"], []).append(c)
    s = Score()
    for rel, claims in by_file.items():
        path = source(rel)
        if not path.exists():
            if only_available:
                continue
            raise FileNotFoundError(path)
        s.files += 1
        s.claims += len(claims)
        s.about_cells += sum(1 for c in claims if c["cell"])
        at = {(c["line"], c["col"]): c for c in claims}
        wrong = [c for c in claims if disagrees(c)]
        s.disagreements += wrong
        s.undecidable += [c for c in claims if undecidable(c)]
        hit: set[int] = set()
        s.read += _read_claims(path, [c for c in claims if c["cell"]])
        for f in check_path(path).findings:
            if not f.code.startswith("N"):
                continue
            s.findings += 1
            claim = at.get((f.span.line, f.span.col)) if f.span else None
            if claim is not None and disagrees(claim):
                hit.add(id(claim))
            else:
                s.false.append((rel, f))
        s.found += [c for c in wrong if id(c) in hit]
    return s


def _read_claims(path: Path, claims: list[dict]) -> int:
    """How many of these claims the narrative rules read as a claim about a cell."""
    from gov_lint.parse import parse
    from gov_lint.readers import read_path
    from gov_lint.rules import narrative

    report = parse(read_path(path))
    prose = narrative.prose_of(report)
    places = set()
    for claim in narrative.claims_of(report):
        span = prose.span(claim.n_start, claim.unit_end)
        if span is not None:
            places.add((span.line, span.col))
    return sum(1 for c in claims if (c["line"], c["col"]) in places)


def main() -> int:
    s = score()
    print(f"claims.json: {s.claims} numbers in the prose of {s.files} files, {s.about_cells} about table cells, "
          f"{len(s.disagreements)} disagreeing, {len(s.undecidable)} undecidable from the document (not in recall)")
    print(f"claims about cells read by the phrase table: {s.read} of {s.about_cells}")
    print(f"N findings: {s.findings}; right {s.findings - len(s.false)}, false {len(s.false)}")
    print(f"precision {s.precision:.3f}   recall {s.recall:.3f} ({len(s.found)} of {len(s.disagreements)} disagreements found)")
    for rel, f in s.false:
        print(f"  false: {rel}:{f.span.line if f.span else '?'} {f.code} {f.stated!r}")
    found = {id(c) for c in s.found}
    for c in s.disagreements:
        if id(c) not in found:
            print(f"  missed: {c['file']}:{c['line']} {c['number']}{c['unit']} {c['cell'] or 'parts'}")
    for c in s.undecidable:
        print(f"  undecidable: {c['file']}:{c['line']} {c['number']}{c['unit']} {c['cell']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
