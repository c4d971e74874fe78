"""`--format gitlab`: a GitLab code quality report (a JSON array), for `artifacts:reports:codequality`.

Each finding becomes

    {"description": "A101 row-total-mismatch: message", "check_name": "A101",
     "fingerprint": "<md5 hex>", "severity": "major",
     "location": {"path": "reports/x.txt", "lines": {"begin": 12}}}

Severity mapping: error → `major`, warning → `minor`, info → `info`; a file that
could not be read → `critical`, a skipped file → `info` (check_name `gov-lint/error`
or `gov-lint/skipped`), unless the file already carries findings that say why.

GitLab wants the fingerprint unique within a report and stable between runs, so it
is the MD5 of the path and the finding's own position-independent fingerprint (or,
for a finding without one, its code, line, column and message); a repeat in the same
file gets a counter.  The array is written item by item as files are checked.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from ..model import FileResult, Finding
from . import _util
from .base import Renderer, RenderOptions, Summary

SEVERITIES = {"error": "major", "warning": "minor", "info": "info"}
FILE_SEVERITIES = {"error": "critical", "skipped": "info"}


class GitLabRenderer(Renderer):
    def __init__(self, out, options: RenderOptions) -> None:
        super().__init__(_util.utf8_stream(out), options)
        self._first = True
        self._seen: set[str] = set()

    def _fingerprint(self, *parts: object) -> str:
        base = hashlib.md5("\x00".join(str(p) for p in parts).encode("utf-8")).hexdigest()
        fp, n = base, 1
        while fp in self._seen:
            n += 1
            fp = hashlib.md5(f"{base}\x00{n}".encode()).hexdigest()
        self._seen.add(fp)
        return fp

    def issue(self, path: str, f: Finding) -> dict[str, Any]:
        path = _util.repo_path(f.path or path)
        line = f.location.line if f.location else 1
        key = f.fingerprint or f"{f.code}\x00{line}\x00{f.location.column if f.location else 0}\x00{f.text()}"
        return {
            "description": f"{f.code} {f.name}: {_util.full_message(f, self.options.lang)}",
            "check_name": f.code,
            "fingerprint": self._fingerprint(path, key),
            "severity": SEVERITIES.get(f.severity, "minor"),
            "location": {"path": path, "lines": {"begin": max(1, line)}},
        }

    def _write(self, obj: dict[str, Any]) -> None:
        text = json.dumps(obj, ensure_ascii=False, indent=2)
        text = "\n".join("  " + line for line in text.split("\n"))
        self.out.write(("[\n" if self._first else ",\n") + text)
        self._first = False

    def file(self, result: FileResult) -> None:
        for f in result.findings:
            self._write(self.issue(result.path, f))
        if result.status != "checked" and not result.findings:
            path = _util.repo_path(result.path)
            label = _util.status_label(self.options, result.status)
            self._write(
                {
                    "description": f"gov-lint: {label}" + (f": {result.reason_text(self.options.lang)}" if result.reason else ""),
                    "check_name": f"gov-lint/{result.status}",
                    "fingerprint": self._fingerprint(path, "file", result.status),
                    "severity": FILE_SEVERITIES.get(result.status, "info"),
                    "location": {"path": path, "lines": {"begin": 1}},
                }
            )

    def finish(self, summary: Summary) -> None:
        self.out.write("[]\n" if self._first else "\n]\n")
        self.out.flush()
