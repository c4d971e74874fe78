"""The stable JSON interface (schema "gov-lint/1", see README): streamed file by file."""

from __future__ import annotations

import json

from ..model import FileResult
from ._util import compact_json
from .base import Renderer, RenderOptions, Summary

SCHEMA = "gov-lint/1"


class JsonRenderer(Renderer):
    def __init__(self, out, options: RenderOptions) -> None:
        super().__init__(out, options)
        self.count = 0
        head = {"schema": SCHEMA, "tool": {"name": "gov-lint", "version": options.tool_version}}
        self.out.write(json.dumps(head, ensure_ascii=False)[:-1] + ', "files": [')

    def file(self, result: FileResult) -> None:
        self.out.write(("," if self.count else "") + "\n  " + compact_json(result.to_json(self.options.lang)))
        self.count += 1

    def finish(self, summary: Summary) -> None:
        self.out.write("\n], " + '"summary": ' + json.dumps(summary.to_json(self.options.lang), ensure_ascii=False) + "}\n")
