"""The `gov-lint` console script: answers `--version` before importing anything heavy.

`gov_lint.cli` imports typer, rich, the rules, the readers and the output
formats (about 0.4 s); `gov-lint --version` needs none of them.  Every other
command goes to `gov_lint.cli.main` unchanged.
"""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from . import __version__

        sys.stdout.write(f"gov-lint {__version__}\n")
        return
    from .cli import main as cli_main

    cli_main()


if __name__ == "__main__":  # pragma: no cover
    main()
