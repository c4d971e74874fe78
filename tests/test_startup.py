"""`gov-lint --version` answers without importing the checker (start-up stays short); other commands go to the CLI."""

from __future__ import annotations

import subprocess
import sys


def _modules_after(args: list[str]) -> tuple[str, set[str]]:
    code = (
        "import sys; sys.argv = ['gov-lint', *sys.argv[1:]]\n"
        "from gov_lint.launch import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('MODULES', ' '.join(sorted(m for m in sys.modules if m.startswith(('gov_lint', 'typer', 'rich', 'lark')))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True).stdout
    head, _, mods = out.rpartition("MODULES ")
    return head, set(mods.split())


def test_version_imports_nothing_heavy():
    text, modules = _modules_after(["--version"])
    assert text.strip().startswith("gov-lint ")
    assert modules == {"gov_lint", "gov_lint.launch"}


def test_other_commands_reach_the_cli():
    text, modules = _modules_after(["rules", "--lang", "en"])
    assert "gov_lint.cli" in modules and "A103" in text


def test_the_command_line_and_runner_leave_the_parser_to_the_workers():
    """The command's own process of a `--jobs N` run reads options, walks folders and decodes results:
    importing it loads neither Lark nor the parser nor the readers' formats (the pool's fork server
    imports them, on another core)."""
    code = ("import sys, gov_lint.cli, gov_lint.runner\n"
            "print(' '.join(sorted(m for m in sys.modules if m.startswith(('lark', 'gov_lint.parse', 'gov_lint.check')))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == []
