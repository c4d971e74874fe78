"""Run the hostile-input catalogue (tests/hostile_cases.py) and count what happened.

    .venv/bin/python scripts/hostile.py [--verbose] [CASE …]

Each case builds its input in a temporary folder and is checked the way the CLI
checks it, under the catalogue's limits (2 s of CPU time per file).  Printed: one line per
case (result codes, wall-clock seconds), then the number of cases, crashes (an
exception escaped gov-lint), time-outs (a check ran past the watchdog's wall-clock
backstop: the watchdog failed) and unexpected results (a result other than the one the catalogue
documents).  Exit status 1 when any of those three is not 0.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from hostile_cases import CASES, LIMITS, run_case  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("cases", nargs="*", help="only these cases")
    ap.add_argument("--verbose", "-v", action="store_true", help="print the reason of each result")
    a = ap.parse_args(argv)
    chosen = [c for c in CASES if not a.cases or c.name in a.cases]
    crashes = timeouts = unexpected = skipped = 0
    codes: Counter[str] = Counter()
    for case in chosen:
        if case.needs and importlib.util.find_spec(case.needs) is None:
            skipped += 1
            print(f"skip {case.name:20} (needs {case.needs})")
            continue
        with tempfile.TemporaryDirectory(prefix="gov-lint-hostile-", ignore_cleanup_errors=True) as tmp:
            out = run_case(case, Path(tmp))
        ok = out.crash is None and not out.timed_out and case.ok(out)
        crashes += out.crash is not None
        timeouts += out.timed_out
        unexpected += out.crash is None and not case.ok(out)
        file_codes = sorted({f.code for r in out.results for f in r.findings if f.code.startswith("P")})
        codes.update(file_codes)
        mark = "ok  " if ok else "FAIL"
        shown = ",".join(file_codes) or "checked"
        print(f"{mark} {case.name:20} {out.seconds:6.2f} s  {shown}" + (f"  {out.crash}" if out.crash else ""))
        if a.verbose or not ok:
            for r in out.results:
                reason = r.reason.render("zh") if hasattr(r.reason, "render") else (r.reason or "")
                print(f"       {Path(r.path).name}: {r.status} {reason}")
    ran = len(chosen) - skipped
    print()
    print(f"cases: {ran} (skipped {skipped}), time limit {LIMITS.max_seconds:g} s of CPU per file")
    print(f"crashes: {crashes}")
    print(f"time-outs: {timeouts}")
    print(f"unexpected results: {unexpected}")
    print("stopped by a limit: " + ", ".join(f"{c} ×{codes[c]}" for c in ("P005", "P006") if codes[c]))
    return 1 if crashes or timeouts or unexpected else 0


if __name__ == "__main__":
    raise SystemExit(main())
