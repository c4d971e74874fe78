"""`python -m gov_lint` is the `gov-lint` command."""

from .cli import main

main()
