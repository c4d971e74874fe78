"""The interface every output format implements.

A renderer receives file results one at a time (`file`), in the order the files
were given, and the run summary at the end (`finish`).  It writes to `out`, so a
run over a large archive never holds all results in memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TextIO

from ..messages import Message
from ..model import FileResult

if TYPE_CHECKING:
    from ..rules.base import RuleSet


@dataclass
class Summary:
    files: int = 0
    checked: int = 0
    skipped: int = 0
    errors: int = 0
    warnings: int = 0
    infos: int = 0
    by_code: dict[str, int] = field(default_factory=dict)
    not_checked: list[tuple[str, str, "Message | str"]] = field(default_factory=list)  # (path, status, reason)
    stale: list | None = None  # baseline entries that no longer occur (check --baseline)

    def add(self, result: FileResult) -> None:
        """Count a file's findings; a cross-year block (`extra`) adds findings, not a file."""
        if not result.extra:
            self.files += 1
            if result.status == "checked":
                self.checked += 1
            else:
                self.skipped += 1
                self.not_checked.append((result.path, result.status, result.reason or ""))
        for f in result.findings:
            if f.severity == "error":
                self.errors += 1
            elif f.severity == "warning":
                self.warnings += 1
            else:
                self.infos += 1
            self.by_code[f.code] = self.by_code.get(f.code, 0) + 1

    def to_json(self, lang: str = "zh") -> dict:
        out = {
            "files": self.files,
            "checked": self.checked,
            "skipped": self.skipped,
            "errors": self.errors,
            "warnings": self.warnings,
            "infos": self.infos,
        }
        if self.stale is not None:
            out["baseline_stale"] = [e.to_json(lang) for e in self.stale]
        return out


@dataclass
class RenderOptions:
    lang: str = "zh"
    color: bool = False
    statistics: bool = False
    tool_version: str = ""
    width: int | None = None
    rules: "RuleSet | None" = None  # the run's rules, for formats that list rule docs (sarif)


class Renderer:
    """Base class: subclasses override `file` and `finish`."""

    def __init__(self, out: TextIO, options: RenderOptions) -> None:
        self.out = out
        self.options = options

    def file(self, result: FileResult) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def finish(self, summary: Summary) -> None:
        pass
