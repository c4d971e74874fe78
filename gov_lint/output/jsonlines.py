"""`--format json-lines`: one JSON object per line, written as each file is checked.

For pipelines that read findings as they come (`jq -c`, a log shipper, a database
loader) and for archives too large to hold one JSON document.  Every line is a
complete object with a `"type"`:

* `"finding"`: one per finding.  The keys of a finding in `--format json`
  (`code`, `name`, `severity`, `message`, `table`, `row`, `column`, `stated`,
  `expected`, `location`, `related`, `notes`, `fingerprint`) plus the file's
  `path`, `template`, `year`, `agency`, `agency_source` and `agency_guess`, so a
  line stands on its own.
* `"file"`: one per file that was skipped or could not be read
  (`path`, `status` = "skipped" | "error", `reason`, `template`, `year`, `agency`,
  `agency_source`, `agency_guess`).
  Checked files produce no line of their own: a clean file has no lines.
* `"summary"`: the last line, `{"type": "summary", "schema": "gov-lint-lines/1",
  "tool": {...}, "files": …, "checked": …, "skipped": …, "errors": …,
  "warnings": …, "infos": …}`.  A stream without it was cut off.

Lines are UTF-8 with Chinese kept as is (no \\u escapes), keys in the order above.
"""

from __future__ import annotations

import json

from .. import __version__
from ..model import FileResult
from . import _util
from .base import Renderer, Summary

SCHEMA = "gov-lint-lines/1"


def _dump(obj: dict) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(", ", ": "))


class JsonLinesRenderer(Renderer):
    def __init__(self, out, options) -> None:
        super().__init__(_util.utf8_stream(out), options)

    def file(self, result: FileResult) -> None:
        data = result.to_json(self.options.lang)
        findings = data.pop("findings")
        head = {k: data[k] for k in ("path", "template", "year", "agency", "agency_source", "agency_guess")}
        if result.status != "checked":
            self.out.write(_dump({"type": "file", **data}) + "\n")
        for f in findings:
            self.out.write(_dump({"type": "finding", **head, **f}) + "\n")

    def finish(self, summary: Summary) -> None:
        tool = {"name": "gov-lint", "version": self.options.tool_version or __version__}
        self.out.write(_dump({"type": "summary", "schema": SCHEMA, "tool": tool, **summary.to_json(self.options.lang)}) + "\n")
        self.out.flush()
