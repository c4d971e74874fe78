"""The `gov-lint` console script: answers `--version` before importing anything heavy.

`gov_lint.cli` imports typer, the rules and the runner (about 0.1 s of CPU); `gov-lint
--version` needs none of them.  Every other command goes to `gov_lint.cli.main` unchanged, after
`prepare`: a run that will use a pool of processes starts the pool's fork server first
(`pool_server`), and the imports run with the garbage collector off.  The console script (`run`)
goes through `cli.run_program`, which ends the process without the interpreter's teardown.
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


def prepare(args: list[str]) -> None:
    """What the console script does before the command line runs `args`: start the pool's fork
    server when the run will use a pool (`pool_server`), and import the command line, with the
    garbage collector off while importing (importing makes many objects and frees few: about 5 %
    of the start-up; the server turns it on again before it forks workers)."""
    import gc

    from . import pool_server

    gc.disable()
    try:
        pool_server.start(args)  # a run over many files: the pool's workers warm up on an idle core
        from . import cli  # noqa: F401
    finally:
        gc.enable()


def run() -> None:
    """The console script and `python -m gov_lint`: `main`, and for a command other than `--version`
    the process then ends without the interpreter's teardown (`cli.run_program`)."""
    if sys.argv[1:] == ["--version"]:
        main()
        return
    prepare(sys.argv[1:])
    from .cli import run_program

    run_program()


if __name__ == "__main__":  # pragma: no cover
    main()
