"""The default terminal format: rustc-style diagnostics drawn with rich.

    error[A103]: 一、本年新收…：总计为 126，自然人至其他六列之和为 125 (row-total-mismatch)
      --> report.txt:45:52
       |
    45 | 一、本年新收政府信息公开申请数量    100    20    0 …    126
       |                                    ---   --          ^^^
       = 计算值：… = 125；总计 = 126，差额 +1
       = 依据：2021 格式（国办公开办函〔2021〕30号），第三部分表格，关系 R3 A103
       = 查看说明：gov-lint explain A103

Colour only on a terminal and never with NO_COLOR (rich handles both).  Source
lines come from the FileResult (`source`), also for results from a worker process
or the cache: nothing is read again.  Written to a file or a pipe (no styles at
all), a finding's lines are plain strings joined and written once: rich's
per-line print measured the console each time and cost more than the run.  A line
that rich would change (control characters, tabs) still goes through rich, so the
bytes are the same either way.
"""

from __future__ import annotations

import re

from rich.console import Console
from rich.text import Text

from ..messages import text
from ..model import FileResult, Finding
from .base import Renderer, RenderOptions, Summary
from .snippet import display_line, underline

STYLE = {"error": "bold red", "warning": "bold yellow", "info": "bold cyan"}
LABEL = {
    "zh": {"error": "错误", "warning": "警告", "info": "提示"},
    "en": {"error": "error", "warning": "warning", "info": "info"},
}
MAX_OTHER_LINES = 3
# characters rich's Text changes (strips bell…carriage return, expands tabs, splits lines): such a line goes through rich
_RICH_CHANGES = re.compile(r"[\x00-\x1f\x7f]")
Part = tuple[str, str]  # (text, style)


def console_for(out, options: RenderOptions) -> Console:
    return Console(
        file=out,
        force_terminal=options.color or None,
        no_color=not options.color,
        highlight=False,
        soft_wrap=True,
        width=options.width or 200,
        emoji=False,
    )


def _n(count: int, noun: str, plural: str | None = None) -> str:
    """'1 error', '2 errors'."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"


def summary_line(summary: Summary, lang: str) -> str:
    if lang == "en":
        text = (f"{_n(summary.errors, 'error')}, {_n(summary.warnings, 'warning')}, {_n(summary.infos, 'info')}"
                f" in {_n(summary.files, 'file')}")
        if summary.skipped:
            text += f" ({summary.skipped} not checked)"
        return text
    text = f"共 {summary.files} 个文件：{summary.errors} 个错误，{summary.warnings} 个警告，{summary.infos} 个提示"
    if summary.skipped:
        text += f"（{summary.skipped} 个文件未检查）"
    return text


def not_checked_lines(summary: Summary, lang: str) -> list[str]:
    head = "Not checked:" if lang == "en" else "未检查的文件："
    return [head] + [f"  {path}: {text(reason, lang)}" for path, _, reason in summary.not_checked] if summary.not_checked else []


class FullRenderer(Renderer):
    def __init__(self, out, options: RenderOptions) -> None:
        super().__init__(out, options)
        self.console = console_for(out, options)
        self.plain = not self.console.is_terminal  # no styles drawn: findings are written as plain strings

    def file(self, result: FileResult) -> None:
        if not result.findings:
            return
        for f in result.findings:
            self.finding(f, result.path, result)

    def finding(self, f: Finding, path: str, result: FileResult) -> None:
        lines: list[list[Part]] = []
        lang = self.options.lang
        head = [(f"{f.severity}[{f.code}]", STYLE[f.severity]), (f": {f.text(lang)}", "bold")]
        if lang == "en":  # the kebab-case rule name is English: the Chinese output leaves it out
            head.append((f" ({f.name})", "dim"))
        lines.append(head)
        loc = f.location
        where = f"{path}:{loc.line}:{loc.column}" if loc else path
        if loc and loc.context:
            where += f" ({loc.context})"
        lines.append([("  --> ", "bold blue"), (where, "")])
        if f.span is not None and f.span.line in result.source:
            self.snippet(f, result, lines)
        for r in f.related:
            if r.path:
                at = f"{r.path}:{r.location.line}:{r.location.column}" if r.location else r.path
                lines.append([("  ::: ", "bold blue"), (f"{at} {text(r.label, lang)}", "")])
        for note in f.note_texts(lang):
            lines.append([("   = ", "bold blue"), (note, "")])
        lines.append([("   = ", "bold blue"), (("查看说明：" if lang != "en" else "help: ") + f"gov-lint explain {f.code}", "")])
        lines.append([])
        self._emit(lines)

    def _emit(self, lines: list[list[Part]]) -> None:
        """Print the lines: one write of plain strings when no styles are drawn, else rich line by line."""
        c = self.console
        plain = self.plain
        buf: list[str] = []
        for parts in lines:
            line = "".join(t for t, _ in parts)
            if plain and not _RICH_CHANGES.search(line):
                buf.append(line)
                buf.append("\n")
                continue
            if buf:
                self.out.write("".join(buf))
                buf.clear()
            c.print(Text.assemble(*parts) if parts else "")
        if buf:
            self.out.write("".join(buf))

    def snippet(self, f: Finding, result: FileResult, out: list[list[Part]]) -> None:
        span = f.span
        lines: dict[int, list[tuple[int, int, str]]] = {span.line: [(span.col - 1, span.end_col - 1, "^")]}
        for r in f.related:
            if r.span is not None and r.path is None:
                if r.span.line not in lines and len(lines) > MAX_OTHER_LINES:
                    continue
                lines.setdefault(r.span.line, []).append((r.span.col - 1, r.span.end_col - 1, "-"))
        # Line numbers in the gutter only when they are the file's own; a document rebuilt from
        # HTML, DOCX or PDF shows its text rows without numbers (the --> line says where they are).
        numbered = result.numbered
        width = len(str(max(lines))) if numbered else 1
        gutter = " " * width
        out.append([(f"{gutter} |", "bold blue")])
        previous = None
        for n in sorted(lines):
            if previous is not None and n > previous + 1:
                out.append([(f"{'.' * width} |", "bold blue")])
            line = result.source.get(n, "")
            label = str(n).rjust(width) if numbered else gutter
            out.append([(f"{label} | ", "bold blue"), (display_line(line), "")])
            marks = underline(line, lines[n])
            style = STYLE[f.severity] if n == span.line else "bold blue"
            out.append([(f"{gutter} | ", "bold blue"), (marks, style)])
            previous = n

    def finish(self, summary: Summary) -> None:
        c = self.console
        for line in not_checked_lines(summary, self.options.lang):
            c.print(line)
        style = "bold red" if summary.errors else ("bold yellow" if summary.warnings else "bold green")
        c.print(Text(summary_line(summary, self.options.lang), style=style))
        if self.options.statistics:
            from ..statistics import format_statistics

            c.print(format_statistics(summary.by_code, self.options.rules, self.options.lang), end="")

