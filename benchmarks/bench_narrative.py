"""CPU time of the narrative rules per report: the prose stream, the claims and every N rule.

    .venv/bin/python benchmarks/bench_narrative.py               # 500 tab-text reports
    .venv/bin/python benchmarks/bench_narrative.py -n 200 --format run_together
    .venv/bin/python benchmarks/bench_narrative.py --cprofile 20  # also the costliest functions

Generates N synthetic reports (gov_lint.synth), reads and parses them and runs error
localisation (untimed: the N rules read its corrections), then times with
`time.process_time` (CPU of this one process, not wall-clock), best of three passes:

    prose      rules/prose.Prose(report): the prose stream and its map back to lines
    claims     narrative.claims_of: the phrase matcher and the reading in context
    N rules    every N rule's check on top of the two above (N101–N306)
    M + T2xx   the metadata and structure rules, which share the prose stream
    all rules  check.run_rules: every rule with localisation, then the findings finished

Each pass builds the Prose afresh (the per-report caches are cleared), as a real run does.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gov_lint.check import CheckOptions, run_rules  # noqa: E402
from gov_lint.parse import parse  # noqa: E402
from gov_lint.readers import read_bytes  # noqa: E402
from gov_lint.rules import localise, metadata, narrative, structure  # noqa: E402
from gov_lint.rules.base import CheckContext  # noqa: E402
from gov_lint.rules.narrative import counts  # noqa: E402
from gov_lint.rules.prose import Prose  # noqa: E402
from gov_lint.rules.registry import all_rules  # noqa: E402
from gov_lint.synth import encode, generate  # noqa: E402


def reports(n: int, seed: int, kind: str) -> list:
    """N parsed synthetic reports (alternating templates) with their localisation context."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        tid = "2019" if i % 2 else "2021"
        data, suffix = encode(kind, generate(tid, random.Random(rng.getrandbits(64))))
        report = parse(read_bytes(f"r{i}{suffix}", data))
        ctx = CheckContext()
        localise.prepare(report, ctx)
        out.append((report, ctx))
    return out


def _fresh() -> None:
    narrative._PROSE = (None, None)  # the last report's prose and claims forgotten
    counts._CLAIMS = (None, [])


def stage_prose(items) -> None:
    for report, _ctx in items:
        Prose(report)


def stage_claims(items) -> None:
    for report, _ctx in items:
        _fresh()
        narrative.claims_of(report)


def stage_n_rules(items) -> int:
    found = 0
    for report, ctx in items:
        _fresh()
        for rule in narrative.RULES:
            found += len(list(rule.check(report, ctx)))
    return found


def stage_m_t(items) -> int:
    found = 0
    for report, ctx in items:
        _fresh()
        for rule in metadata.RULES + structure.RULES:
            found += len(list(rule.check(report, ctx)))
    return found


def stage_all_rules(items) -> int:
    """`check.run_rules`: every rule of a run (localisation, relations, P/T/A/N/M rules), then the
    findings located, sorted and fingerprinted, on a fresh context per report as a check makes."""
    rules, options = all_rules(True), CheckOptions()
    found = 0
    for report, _ctx in items:
        _fresh()
        found += len(run_rules(report, rules, options))
    return found


STAGES = {"prose": stage_prose, "claims": stage_claims, "N rules": stage_n_rules, "M + T2xx": stage_m_t,
          "all rules": stage_all_rules}


def cpu(fn, items) -> float:
    """Best of three CPU-time passes, in seconds."""
    best = float("inf")
    for _ in range(3):
        t0 = time.process_time()
        fn(items)
        best = min(best, time.process_time() - t0)
    return best


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", "--reports", type=int, default=500)
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--format", default="tab", choices=("tab", "markdown", "html", "run_together"))
    ap.add_argument("--cprofile", type=int, default=0, metavar="N", help="also print the N costliest functions")
    args = ap.parse_args(argv)
    items = reports(args.reports, args.seed, args.format)
    stage_n_rules(items[:5])  # warm-up: phrase table compiled, messages loaded
    stage_all_rules(items[:5])
    print(f"{args.reports} synthetic reports ({args.format}), CPU time (time.process_time), best of 3:")
    for name, fn in STAGES.items():
        s = cpu(fn, items)
        print(f"  {name:<9} {s * 1000 / len(items):6.3f} ms per report")
    print("  (N rules includes prose and claims; M + T2xx includes prose; all rules is check.run_rules)")
    if args.cprofile:
        prof = cProfile.Profile()
        prof.enable()
        stage_n_rules(items)
        prof.disable()
        buf = io.StringIO()
        pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(args.cprofile)
        print(buf.getvalue())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
