"""`python -m gov_lint` is the `gov-lint` command."""

from .launch import run

run()
