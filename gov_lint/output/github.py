"""`--format github`: GitHub Actions workflow commands, one annotation per finding.

    ::error file=reports/x.txt,line=12,col=5,endLine=12,endColumn=7,title=A101 row-total-mismatch::message

errors → `::error`, warnings → `::warning`, infos → `::notice`.  A file that could
not be read is annotated with `::error` (skipped files with `::warning`) unless it
already carries findings of its own that say why.

Escaping follows the runner's rules: in the message (the data after `::`)
`%` → `%25`, CR → `%0D`, LF → `%0A`; property values (file, title) additionally
`:` → `%3A` and `,` → `%2C`.  The message is the finding's message followed by its
notes on separate lines.  `endColumn` is the last column of the marked text
(inclusive), which is how GitHub reads it; SARIF's end column is exclusive.

When `GITHUB_STEP_SUMMARY` names a file, `finish` appends a Markdown summary to
it: counts of files, errors, warnings and infos, the most frequent codes, and the
files that were not checked.
"""

from __future__ import annotations

import os

from ..messages import text
from ..model import FileResult, Finding
from . import _util
from .base import Renderer, RenderOptions, Summary

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}
TOP_CODES = 10
MAX_LISTED_FILES = 50  # the step summary is capped at 1 MiB; list only the first files not checked


def escape_data(text: str) -> str:
    """Escape the message part of a workflow command."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value (file=…, title=…) of a workflow command."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(kind: str, message: str, **props: object) -> str:
    """One workflow command line, properties in the order given, None values left out."""
    parts = [f"{k}={escape_property(str(v))}" for k, v in props.items() if v is not None]
    return f"::{kind} {','.join(parts)}::{escape_data(message)}" if parts else f"::{kind}::{escape_data(message)}"


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


class GitHubRenderer(Renderer):
    def __init__(self, out, options: RenderOptions) -> None:
        super().__init__(_util.utf8_stream(out), options)
        self._names: dict[str, str] = {}  # code → name, for the step summary

    def annotation(self, path: str, f: Finding) -> str:
        loc = f.location
        props: dict[str, object] = {"file": _util.repo_path(f.path or path)}
        if loc is not None:
            end_line = max(loc.line, loc.end_line)
            end_col = loc.end_column - 1  # exclusive → inclusive
            end_col = max(loc.column, end_col) if end_line == loc.line else max(1, end_col)
            props.update(line=loc.line, col=loc.column, endLine=end_line, endColumn=end_col)
        props["title"] = f"{f.code} {f.name}".strip()
        return command(COMMANDS.get(f.severity, "warning"), _util.full_message(f, self.options.lang), **props)

    def file(self, result: FileResult) -> None:
        for f in result.findings:
            self._names.setdefault(f.code, f.name)
            self.out.write(self.annotation(result.path, f) + "\n")
        if result.status != "checked" and not result.findings:
            title = "gov-lint: " + _util.status_label(self.options, result.status)
            message = _util.reason(result, self.options)
            kind = "error" if result.status == "error" else "warning"
            self.out.write(command(kind, message, file=_util.repo_path(result.path), title=title) + "\n")

    def finish(self, summary: Summary) -> None:
        self.out.flush()
        target = os.environ.get("GITHUB_STEP_SUMMARY")
        if target:
            with open(target, "a", encoding="utf-8") as fh:
                fh.write(self.step_summary(summary))

    def step_summary(self, summary: Summary) -> str:
        o = self.options
        tr = lambda zh, en: _util.t(o, zh, en)  # noqa: E731
        ok = summary.errors == 0 and summary.skipped == 0
        lines = [
            "## gov-lint " + tr("检查结果", "results") + (" ✅" if ok else " ❌"),
            "",
            "| " + " | ".join([tr("文件", "files"), tr("已检查", "checked"), tr("未检查", "not checked"),
                              tr("错误", "errors"), tr("警告", "warnings"), tr("提示", "infos")]) + " |",
            "|---:|---:|---:|---:|---:|---:|",
            f"| {summary.files} | {summary.checked} | {summary.skipped} | {summary.errors} | {summary.warnings} | {summary.infos} |",
            "",
        ]
        if summary.by_code:
            top = sorted(summary.by_code.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_CODES]
            lines += [
                "### " + tr("最常见的问题", "Most frequent codes"),
                "",
                "| " + tr("代码", "code") + " | " + tr("名称", "name") + " | " + tr("次数", "count") + " |",
                "|---|---|---:|",
            ]
            lines += [f"| `{code}` | {_md_cell(self._names.get(code, ''))} | {n} |" for code, n in top]
            lines.append("")
        if summary.not_checked:
            lines += ["### " + tr("未检查的文件", "Files not checked"), ""]
            for path, status, why in summary.not_checked[:MAX_LISTED_FILES]:
                reason = text(why, o.lang)
                line = f"- `{_util.repo_path(path)}`: {_util.status_label(o, status)}"
                if reason:
                    line += tr(f"（{_md_cell(reason)}）", f" ({_md_cell(reason)})")
                lines.append(line)
            rest = len(summary.not_checked) - MAX_LISTED_FILES
            if rest > 0:
                lines.append(tr(f"- ……另有 {rest} 个文件", f"- … and {rest} more"))
            lines.append("")
        return "\n".join(lines) + "\n"
