"""Time the narrative claim extraction (phrase matching read in context) on ../shared.

    python benchmarks/narrative_match.py [--repeat 20]

Reads every report of ../shared/seeds and ../shared/corpus once, builds its prose
stream once, then times `narrative.claims.extract` alone (the one-pass matcher and
the context checks), best of five rounds, and prints CPU ms per report
(`time.process_time`: the figure does not stretch when other work shares the cores).
Skips with a note when ../shared is absent.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from gov_lint.parse import parse
from gov_lint.readers import read_path
from gov_lint.rules.narrative import claims, prose_of
from gov_lint.rules.narrative.quantities import matcher

SHARED = Path(__file__).resolve().parents[2] / "shared"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    if not (SHARED / "seeds").is_dir():
        print(f"{SHARED} not found: nothing to time")
        return
    files = [p for d in ("seeds", "corpus") for p in sorted((SHARED / d).iterdir())
             if p.suffix in (".txt", ".md", ".html") and p.name != "README.md"]
    reports = [parse(read_path(p)) for p in files]
    proses = [prose_of(r) for r in reports]  # prose_of keeps one; keep our own list
    proses = [type(proses[0])(r) for r in reports]
    matcher()
    best = float("inf")
    for _ in range(5):
        t0 = time.process_time()
        for _ in range(args.repeat):
            for r, p in zip(reports, proses):
                claims.extract(r, p)
        best = min(best, time.process_time() - t0)
    n = args.repeat * len(reports)
    found = sum(len(claims.extract(r, p)) for r, p in zip(reports, proses))
    chars = sum(len(p.text) for p in proses)
    print(f"{len(reports)} reports, {chars} prose characters, {found} claims")
    print(f"claim extraction: {best / n * 1e3:.3f} ms CPU/report (best of 5 rounds of {args.repeat})")
    m = matcher()
    print(f"phrase table: {len(m.patterns)} patterns behind {len(m.by_anchor)} anchor words (one scan)")


if __name__ == "__main__":
    main()
