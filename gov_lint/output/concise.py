"""One line per finding, for editors and grep: path:line:col: CODE [severity] message."""

from __future__ import annotations

from ..model import FileResult
from .base import Renderer, Summary
from .full import not_checked_lines, summary_line


class ConciseRenderer(Renderer):
    def file(self, result: FileResult) -> None:
        for f in result.findings:
            loc = f.location
            where = f"{result.path}:{loc.line}:{loc.column}" if loc else result.path
            context = f" ({loc.context})" if loc and loc.context else ""
            self.out.write(f"{where}:{context} {f.code} [{f.severity}] {f.text(self.options.lang)} ({f.name})\n")

    def finish(self, summary: Summary) -> None:
        for line in not_checked_lines(summary, self.options.lang):
            self.out.write(line + "\n")
        self.out.write(summary_line(summary, self.options.lang) + "\n")
        if self.options.statistics:
            from ..statistics import format_statistics

            self.out.write(format_statistics(summary.by_code, self.options.rules, self.options.lang))
