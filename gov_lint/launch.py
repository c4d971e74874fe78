"""The `gov-lint` console script: answers `--version` before importing anything heavy.

`gov_lint.cli` imports typer, rich, the rules, the readers and the output
formats (about 0.4 s); `gov-lint --version` needs none of them.  Every other
command goes to `gov_lint.cli.main` unchanged; the console script (`run`) goes through
`cli.run_program`, which ends the process without the interpreter's teardown.
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


def run() -> None:
    """The console script and `python -m gov_lint`: `main`, and for a command other than `--version`
    the process then ends without the interpreter's teardown (`cli.run_program`)."""
    if sys.argv[1:] == ["--version"]:
        main()
        return
    import gc

    from . import pool_server

    # importing makes many objects and frees few: the collector waits until the command runs
    # (about 5 % of the start-up; the pool's server turns it on again before it forks workers)
    gc.disable()
    try:
        pool_server.start(sys.argv[1:])  # a run over many files: the pool's workers warm up on an idle core
        from .cli import run_program
    finally:
        gc.enable()
    run_program()


if __name__ == "__main__":  # pragma: no cover
    main()
