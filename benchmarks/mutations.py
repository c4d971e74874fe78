"""Mutation test of gov-lint's detection: change one table number, see what it says.

    .venv/bin/python benchmarks/mutations.py            # examples + ../shared (when present)
    .venv/bin/python benchmarks/mutations.py --markdown # the table docs/detection.md shows
    .venv/bin/python benchmarks/mutations.py --jobs 2 --slowest 20   # two processes; where the time goes

For every text-like report (txt, md, html) of examples/ and of ../shared/seeds and
../shared/corpus, the report is parsed once to find its table cells (sections 三 and
四: the tables whose numbers the relations tie together) and where each is printed
in the file.  Then, one cell at a time, the printed number n is replaced by n+1 in the file's text and
the changed text is checked again.  Findings that were already there before the
change are subtracted (compared by code and location).  A change is

* caught            — some new finding appears (or one already there states other numbers);
* caught as error   — some new finding has error severity (fails the default CI gate);
* located           — some new error finding points at the changed cell, or lists it
                      among its related locations.

Rates are printed per layout.  Binary formats (DOCX, PDF) are left out: their cells
cannot be changed in place.  Nothing here is typed by hand; docs/detection.md is
this script's output.
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gov_lint.check import CheckOptions, check_bytes  # noqa: E402
from gov_lint.model import Location  # noqa: E402
from gov_lint.parse import parse  # noqa: E402
from gov_lint.readers import ReadError, read_bytes  # noqa: E402

SHARED = ROOT.parent / "shared"

# layout of each shared report (corpus README) and of the example suffixes
CORPUS_LAYOUT = {
    "002.txt": "run-together", "005.txt": "run-together", "101.txt": "run-together", "108.txt": "run-together",
    "109.txt": "spaced", "124.txt": "spaced", "110.txt": "mixed", "113.txt": "irregular-spaced",
    "013.md": "pdf-markdown", "010.html": "word-html",
}


def layout_of(path: Path) -> str | None:
    name = path.name
    if path.parent.name == "corpus":
        return CORPUS_LAYOUT.get(name)
    if path.parent.name == "seeds":
        return "tab-text"
    if name.endswith("-web.txt"):
        return "run-together"
    if name.endswith("-converted.md"):
        return "pdf-markdown"
    if name.endswith("-word.html"):
        return "word-html"
    return {".txt": "tab-text", ".md": "markdown", ".html": "html"}.get(path.suffix)


@dataclass
class Site:
    """One number printed in the file: where (original line/columns) and what."""

    line: int
    col: int
    end: int
    value: int
    table: str
    row: str
    column: str


@dataclass
class Tally:
    files: set[str] = field(default_factory=set)
    changes: int = 0
    caught: int = 0
    error: int = 0
    located: int = 0
    escapes: list[str] = field(default_factory=list)


def sites(path: Path, data: bytes) -> tuple[list[Site], str] | None:
    """The number cells of a report and the file's text, or None when it is not read."""
    try:
        doc = read_bytes(str(path), data)
    except ReadError:
        return None
    report = parse(doc)
    text = data.decode(doc.encoding or "utf-8", errors="strict") if doc.encoding else data.decode("utf-8")
    out: list[Site] = []
    for tid in ("三", "四"):
        table = report.tables.get(tid)
        if table is None:
            continue
        for rkey, row in table.rows.items():
            for ckey, cell in row.cells.items():
                if cell.kind != "number" or not isinstance(cell.value, int) or cell.signed or cell.span is None:
                    continue
                loc = doc.locate(cell.span)
                if loc is None or loc.end_line != loc.line:
                    continue
                out.append(Site(loc.line, loc.column, loc.end_column, cell.value, tid, rkey, ckey))
    return out, text


def mutate(text: str, site: Site) -> str | None:
    """The text with the number at `site` replaced by number + 1 (None when it is not there)."""
    lines = text.split("\n")
    if not 0 < site.line <= len(lines):
        return None
    line = lines[site.line - 1]
    printed = line[site.col - 1 : site.end - 1]
    digits = "".join(ch for ch in printed if ch.isdigit())
    if not digits or int(digits) != site.value:
        return None
    lines[site.line - 1] = line[: site.col - 1] + str(site.value + 1) + line[site.end - 1 :]
    return "\n".join(lines)


def _touches(loc: Location | None, site: Site) -> bool:
    if loc is None or loc.line != site.line:
        return False
    width = len(str(site.value + 1))
    return loc.column < site.col + width and loc.end_column > site.col


def _key(f) -> tuple:
    """A finding as the user sees it: code, place and the numbers it states (a finding already
    at the changed cell that now states other numbers counts as new)."""
    loc = f.location
    return (f.code, loc.line if loc else 0, loc.column if loc else 0, f.stated, f.expected)


CHUNK = 20  # changes per task handed to a worker (--jobs)


@dataclass
class Part:
    """What one task found: its changes' counts, the first escapes, and the CPU seconds of each change."""

    path: str
    layout: str
    cells: int | None  # None: the file is not read
    changes: int = 0
    caught: int = 0
    error: int = 0
    located: int = 0
    escapes: list[str] = field(default_factory=list)
    costs: list[tuple[float, str]] = field(default_factory=list)  # (CPU seconds, the change)


_FILE: dict[str, tuple] = {}  # the last file a worker prepared: (path, cells, text, findings before)


def _prepared(path: Path) -> tuple[list[Site], str, set] | None:
    """The file's number cells, its text and its findings before any change (kept for the next task)."""
    got = _FILE.get("last")
    if got is not None and got[0] == str(path):
        return got[1:]
    data = path.read_bytes()
    found = sites(path, data)
    if found is None:
        return None
    cells, text = found
    before = {_key(f) for f in check_bytes(str(path), data, CheckOptions()).findings}
    _FILE["last"] = (str(path), cells, text, before)
    return cells, text, before


def _task(args: tuple[str, str, list[int]]) -> Part:
    """Change each chosen cell of one file in turn and check the changed text."""
    name, layout, chosen = args
    path = Path(name)
    prepared = _prepared(path)
    if prepared is None:
        return Part(name, layout, None)
    cells, text, before = prepared
    part = Part(name, layout, len(cells))
    options = CheckOptions()
    for k in chosen:
        site = cells[k]
        changed = mutate(text, site)
        if changed is None:
            continue
        c0 = time.process_time()
        result = check_bytes(name, changed.encode("utf-8"), options)
        cpu = time.process_time() - c0
        new = [f for f in result.findings if _key(f) not in before]
        part.changes += 1
        errors = [f for f in new if f.severity == "error"]
        part.caught += bool(new)
        part.error += bool(errors)
        hit = any(_touches(f.location, site) or any(_touches(r.location, site) for r in f.related) for f in errors)
        part.located += hit
        where = f"{_rel(path)}:{site.line}:{site.col} {site.table}[{site.row}][{site.column}] {site.value}→{site.value + 1}"
        part.costs.append((cpu, where))
        if not hit and len(part.escapes) < 12:
            what = ", ".join(sorted({f"{f.code}/{f.severity}" for f in new})) or "nothing"
            part.escapes.append(f"{where}: {what}")
    return part


def _tasks(paths: list[Path], limit: int | None, stride: int) -> list[tuple[str, str, list[int]]]:
    """(file, layout, indices of the cells to change) in file order, CHUNK changes a task."""
    out = []
    for path in paths:
        layout = layout_of(path)
        if layout is None:
            continue
        found = sites(path, path.read_bytes())
        if found is None:
            continue
        chosen = list(range(len(found[0])))[:limit][::stride]
        for start in range(0, max(len(chosen), 1), CHUNK):
            out.append((str(path), layout, chosen[start : start + CHUNK]))
    return out


def run(paths: list[Path], limit: int | None, stride: int = 1, jobs: int = 1,
        costs: list[tuple[float, str]] | None = None) -> dict[str, Tally]:
    """Tallies per layout.  With jobs > 1 the tasks run in that many processes; they are merged
    in file order, so the figures and the escapes listed are those of one process.  The CPU
    seconds of each change's check are added to `costs` when it is given."""
    tallies: dict[str, Tally] = defaultdict(Tally)
    tasks = _tasks(paths, limit, stride)
    if jobs > 1:
        pool = multiprocessing.get_context("spawn").Pool(jobs)
        parts: Iterable[Part] = pool.imap(_task, tasks)
    else:
        pool, parts = None, map(_task, tasks)
    try:
        for n, part in enumerate(parts):
            if part.cells is None:
                continue
            tally = tallies[part.layout]
            tally.files.add(part.path)
            for name in ("changes", "caught", "error", "located"):
                setattr(tally, name, getattr(tally, name) + getattr(part, name))
            tally.escapes.extend(part.escapes[: 12 - len(tally.escapes)])
            if costs is not None:
                costs.extend(part.costs)
            if n + 1 == len(tasks) or tasks[n + 1][0] != part.path:
                print(f"  {_rel(Path(part.path))}: {part.cells} cells", file=sys.stderr)
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    return tallies


def _rel(path: Path) -> str:
    for base in (ROOT, SHARED.parent):
        try:
            return str(path.relative_to(base))
        except ValueError:
            continue
    return str(path)


def _pct(n: int, d: int) -> str:
    return f"{100 * n / d:.1f} %" if d else "—"


def inputs() -> list[Path]:
    found = sorted(p for p in (ROOT / "examples").rglob("*") if p.suffix in (".txt", ".md", ".html"))
    found = [p for p in found if p.name != "README.md"]
    for sub in ("seeds", "corpus"):
        folder = SHARED / sub
        if folder.is_dir():
            found += sorted(p for p in folder.iterdir() if p.suffix in (".txt", ".md", ".html") and p.name != "README.md")
    return found


def _print_costs(costs: list[tuple[float, str]], n: int) -> None:
    """CPU seconds of the changes' checks, per file (the costliest 15), and the n costliest changes."""
    by_file: dict[str, list[float]] = defaultdict(list)
    for cpu, where in costs:
        by_file[where.split(":")[0]].append(cpu)
    total = sum(c for c, _ in costs)
    print(f"CPU seconds checking the changes: {total:.1f} over {len(costs)} changes", file=sys.stderr)
    for name, cpus in sorted(by_file.items(), key=lambda kv: -sum(kv[1]))[:15]:
        print(f"  {name}: {sum(cpus):.1f} s, {len(cpus)} changes, {1000 * sum(cpus) / len(cpus):.0f} ms each",
              file=sys.stderr)
    for cpu, where in sorted(costs, reverse=True)[:n]:
        print(f"  {cpu:7.3f} s  {where}", file=sys.stderr)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--markdown", action="store_true", help="print the markdown table docs/detection.md shows")
    ap.add_argument("--limit", type=int, default=None, help="at most this many cells per file")
    ap.add_argument("--stride", type=int, default=1, help="every n-th of those cells")
    ap.add_argument("--jobs", "-j", type=int, default=1, help="processes to check the changes in (figures unchanged)")
    ap.add_argument("--slowest", type=int, default=0, metavar="N",
                    help="also print (to stderr) the CPU seconds per layout and the N costliest changes")
    ap.add_argument("paths", nargs="*", type=Path)
    args = ap.parse_args()
    if args.jobs < 1 or args.stride < 1:
        ap.error("--jobs and --stride are at least 1")
    costs: list[tuple[float, str]] = []
    tallies = run(args.paths or inputs(), args.limit, args.stride, args.jobs, costs)
    if args.slowest:
        _print_costs(costs, args.slowest)
    total = Tally()
    rows = []
    for layout in sorted(tallies):
        t = tallies[layout]
        for name in ("changes", "caught", "error", "located"):
            setattr(total, name, getattr(total, name) + getattr(t, name))
        total.files |= t.files
        rows.append((layout, len(t.files), t.changes, _pct(t.caught, t.changes), _pct(t.error, t.changes),
                     _pct(t.located, t.changes)))
    rows.append(("**all**", len(total.files), total.changes, _pct(total.caught, total.changes),
                 _pct(total.error, total.changes), _pct(total.located, total.changes)))
    head = ("layout", "files", "changes", "caught", "caught as error", "located")
    if args.markdown:
        print("| " + " | ".join(head) + " |")
        print("|" + "---|" * len(head))
        for r in rows:
            print("| " + " | ".join(str(x) for x in r) + " |")
        print()
        print("Changes not located (first few per layout):")
        print()
        for layout in sorted(tallies):
            for e in tallies[layout].escapes:
                print(f"- {layout}: `{e}`")
    else:
        print("  ".join(f"{h:>16}" for h in head))
        for r in rows:
            print("  ".join(f"{str(x):>16}" for x in r))
    return 0


if __name__ == "__main__":
    sys.exit(main())
