"""Regenerate the parts of the docs that come from running gov-lint.

    python docs/generate.py           # rewrite README's generated blocks and docs/rules.md
    python docs/generate.py --check   # exit 1 if anything is out of date (used by a test)

Every figure and output shown in README.md and docs/rules.md comes from here, so
the docs show what the tool really prints.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200"}


def run(*args: str) -> str:
    """Output of `gov-lint ARGS` run from the repository root (no cache, one process)."""
    cmd = [sys.executable, "-m", "gov_lint", *args]
    out = subprocess.run(cmd, cwd=ROOT, env=ENV, capture_output=True, text=True, encoding="utf-8")
    return out.stdout


def blocks() -> dict[str, str]:
    one = run("check", "examples/2021/errors.txt", "--no-cache", "--jobs", "1")
    summary = run("check", "examples/", "--no-cache", "--jobs", "1", "--format", "summary")
    text = (
        "```\n$ gov-lint check examples/2021/errors.txt\n" + one.rstrip() + "\n```\n\n"
        "整个示例目录的汇总（`--format summary`）/ the whole folder, summarised:\n\n"
        "```\n$ gov-lint check examples/ --format summary\n" + summary.rstrip() + "\n```"
    )
    return {"check-examples": text}


def render_readme(text: str) -> str:
    for name, body in blocks().items():
        pattern = re.compile(rf"(<!-- BEGIN generated: {name} -->\n).*?(\n<!-- END generated: {name} -->)", re.S)
        text = pattern.sub(lambda m: m.group(1) + body + m.group(2), text)
    return text


def main(argv: list[str]) -> int:
    check = "--check" in argv
    targets = {
        ROOT / "README.md": render_readme((ROOT / "README.md").read_text(encoding="utf-8")),
        ROOT / "docs" / "rules.md": run("rules", "--format", "markdown"),
    }
    stale = []
    for path, new in targets.items():
        old = path.read_text(encoding="utf-8") if path.exists() else ""
        if old != new:
            stale.append(path.relative_to(ROOT))
            if not check:
                path.write_text(new, encoding="utf-8")
    if check and stale:
        print("out of date (run python docs/generate.py): " + ", ".join(map(str, stale)))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
