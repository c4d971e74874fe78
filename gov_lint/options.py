"""What changes a file's findings (`CheckOptions`), apart from the check pipeline.

The command line builds the options and hands them to the workers; it needs neither the
parser nor the readers to do that, so this module imports nothing of the pipeline
(`gov_lint.check` imports the whole of it: Lark, the parser, every rule).
"""

from __future__ import annotations

from dataclasses import dataclass

from .budget import Limits


@dataclass(frozen=True)
class CheckOptions:
    """What changes a file's findings (picklable)."""

    lang: str = "zh"
    selected: frozenset[str] | None = None  # codes to report; None: all
    plugins: bool = True
    published: str | None = None  # publication date given on the command line (YYYY-MM-DD)
    verbose: bool = False  # internal errors carry their whole traceback
    limits: Limits = Limits()  # size, step and time limits per file (budget.py)


INTERNAL_CODES = frozenset({"P900", "P902"})  # gov-lint's own bugs (exit status 3)
