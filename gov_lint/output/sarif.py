"""`--format sarif`: a SARIF 2.1.0 log, for GitHub code scanning and other SARIF viewers.

One run.  Results are written as files are checked; the `tool` object (with every
rule's docs) and the `invocations` object follow them in the same run object, so
nothing but the list of unreadable files is kept until the end.  (JSON object key
order carries no meaning; SARIF readers accept `results` before `tool`.)

* `tool.driver.rules`: every rule of the run in code order (id = code, name,
  shortDescription, fullDescription, help.text / help.markdown with the four doc
  parts, defaultConfiguration.level), then any code that showed up in a result
  but is not in the rule set (a plugin's, or a saved result's), with what little
  is known of it.
* each result: ruleId, ruleIndex, level (error / warning / note), message.text
  (the message, then its notes), one physical location (URI relative to the
  working directory, forward slashes, percent-encoded; region startLine,
  startColumn, endLine, endColumn with the end column exclusive as SARIF wants),
  relatedLocations, partialFingerprints {"govLint/v1": fingerprint} and the
  table / row / column / stated / expected address in `properties`.
* files that were skipped or could not be read: toolExecutionNotifications of the
  one invocation (level error for unreadable files, warning for skipped ones);
  `executionSuccessful` is false when a file could not be read.

The log is the text `json.dumps(..., ensure_ascii=False, indent=2)` writes, but
drawn by `indented_json`: with an indent the json module encodes in Python, one
generator per level, which cost several times the warm run of an archive.
"""

from __future__ import annotations

import json
from importlib import metadata
from json.encoder import encode_basestring  # what json.dumps(ensure_ascii=False) writes a string as
from typing import Any

from .. import __version__
from ..messages import text
from ..model import FileResult, Finding, Location, Related
from ..rules.base import Rule
from . import _util
from .base import Renderer, RenderOptions, Summary

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "govLint/v1"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def _information_uri() -> str:
    """The project's home page from the installed package metadata, else a URN naming the tool."""
    try:
        meta = metadata.metadata("gov-lint")
    except metadata.PackageNotFoundError:
        return "urn:gov-lint"
    for entry in meta.get_all("Project-URL") or []:
        label, _, url = entry.partition(",")
        if label.strip().lower() in ("homepage", "home", "documentation", "repository", "source") and url.strip():
            return url.strip()
    home = meta.get("Home-page")
    return home.strip() if home and home.strip() else "urn:gov-lint"


INFORMATION_URI = _information_uri()

DOC_HEADINGS = {
    "zh": ("功能", "为什么重要", "示例", "如何修复"),
    "en": ("What it does", "Why it matters", "Example", "How to fix"),
}


def rule_descriptor(rule: Rule, options: RenderOptions) -> dict[str, Any]:
    """A SARIF reportingDescriptor for a rule, with its docs in the run's language."""
    en = options.lang == "en"
    d = rule.doc
    what = (d.what_en if en and d.what_en else d.what).strip()
    why = (d.why_en if en and d.why_en else d.why).strip()
    fix = (d.fix_en if en and d.fix_en else d.fix).strip()
    example = d.example.strip()
    summary = (rule.summary_en if en and rule.summary_en else rule.summary).strip() or rule.name
    heads = DOC_HEADINGS["en" if en else "zh"]
    text_parts = [f"{heads[0]}: {what}", f"{heads[1]}: {why}", f"{heads[2]}:\n{example}", f"{heads[3]}: {fix}"]
    md_parts = [
        f"## {heads[0]}\n\n{what}",
        f"## {heads[1]}\n\n{why}",
        f"## {heads[2]}\n\n```text\n{example}\n```",
        f"## {heads[3]}\n\n{fix}",
    ]
    props: dict[str, Any] = {"tags": [rule.group], "origin": rule.origin}
    if rule.basis:
        props["basis"] = rule.basis
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": summary},
        "fullDescription": {"text": what or summary},
        "help": {"text": "\n\n".join(text_parts), "markdown": "\n\n".join(md_parts)},
        "defaultConfiguration": {"level": LEVELS.get(rule.severity, "warning")},
        "properties": props,
    }


def _json_into(obj: Any, pad: str, out: list[str]) -> None:
    """Append json.dumps(obj, ensure_ascii=False, indent=2), every line after the first starting with `pad`."""
    if isinstance(obj, str):
        out.append(encode_basestring(obj))
    elif obj is None or obj is True or obj is False:
        out.append("null" if obj is None else "true" if obj else "false")
    elif isinstance(obj, int):
        out.append(int.__repr__(obj))
    elif isinstance(obj, dict) and obj:
        start = len(out)
        inner = pad + "  "
        sep = "{\n" + inner
        for k, v in obj.items():
            if type(k) is not str:  # json turns other keys into strings: leave that to json
                del out[start:]
                _json_module(obj, pad, out)
                return
            out.append(sep)
            out.append(encode_basestring(k))
            out.append(": ")
            if type(v) is str:  # the common leaves without a call
                out.append(encode_basestring(v))
            elif type(v) is int:
                out.append(int.__repr__(v))
            else:
                _json_into(v, inner, out)
            sep = ",\n" + inner
        out.append("\n" + pad + "}")
    elif isinstance(obj, (list, tuple)) and obj:
        inner = pad + "  "
        sep = "[\n" + inner
        for v in obj:
            out.append(sep)
            _json_into(v, inner, out)
            sep = ",\n" + inner
        out.append("\n" + pad + "]")
    else:  # floats, empty containers
        _json_module(obj, pad, out)


def _json_module(obj: Any, pad: str, out: list[str]) -> None:
    out.append(json.dumps(obj, ensure_ascii=False, indent=2).replace("\n", "\n" + pad))


def indented_json(obj: Any, pad: str = "") -> str:
    """json.dumps(obj, ensure_ascii=False, indent=2) with `pad` before every line but the first."""
    out: list[str] = []
    _json_into(obj, pad, out)
    return "".join(out)


RESULT_PAD = "        "  # results sit in runs[0].results


def _str(s: str) -> str:
    return encode_basestring(s)


def _int(n: int) -> str:
    return int.__repr__(n) if type(n) is int else indented_json(n)


def _value(v: Any, pad: str) -> str:
    return encode_basestring(v) if type(v) is str else indented_json(v, pad)


def _text_obj(s: str, pad: str) -> str:
    """`indented_json({"text": s}, pad)`."""
    return f'{{\n{pad}  "text": {encode_basestring(s)}\n{pad}}}'


def _region(loc: Location) -> dict[str, Any]:
    region: dict[str, Any] = {
        "startLine": max(1, loc.line),
        "startColumn": max(1, loc.column),
        "endLine": max(loc.line, loc.end_line),
        "endColumn": max(1, loc.end_column if (loc.end_line, loc.end_column) > (loc.line, loc.column) else loc.column + 1),
    }
    if loc.context:
        region["message"] = {"text": loc.context}
    return region


def _physical(uri: str, loc: Location | None) -> dict[str, Any]:
    phys: dict[str, Any] = {"artifactLocation": {"uri": uri}}
    if loc is not None:
        phys["region"] = _region(loc)
    return phys


class SarifRenderer(Renderer):
    def __init__(self, out, options: RenderOptions) -> None:
        super().__init__(_util.utf8_stream(out), options)
        rules = _util.rule_set(options)
        self._rules: list[dict[str, Any]] = [rule_descriptor(r, options) for r in rules] if rules is not None else []
        self._index: dict[str, int] = {d["id"]: i for i, d in enumerate(self._rules)}
        self._notifications: list[dict[str, Any]] = []
        self._unreadable = False
        self._first = True
        self._uris: dict[str, str] = {}  # path → artifact URI (a file's findings and their related cells share it)
        self.out.write(
            "{\n"
            f'  "$schema": {json.dumps(SCHEMA_URI)},\n'
            '  "version": "2.1.0",\n'
            '  "runs": [\n'
            "    {\n"
            '      "results": ['
        )

    # -------------------------------------------------------------- results

    def _uri(self, path: str) -> str:
        uri = self._uris.get(path)
        if uri is None:
            if len(self._uris) > 1000:  # only the current file's paths come again
                self._uris.clear()
            uri = self._uris[path] = _util.artifact_uri(path)
        return uri

    def _rule_index(self, f: Finding) -> int:
        i = self._index.get(f.code)
        if i is None:  # a code the rule set does not know: describe it from the finding
            i = len(self._rules)
            self._index[f.code] = i
            self._rules.append(
                {
                    "id": f.code,
                    "name": f.name,
                    "shortDescription": {"text": f.name or f.code},
                    "defaultConfiguration": {"level": LEVELS.get(f.severity, "warning")},
                }
            )
        return i

    def _related(self, path: str, rel: list[Related]) -> list[dict[str, Any]]:
        out = []
        for n, r in enumerate(rel):
            out.append(
                {
                    "id": n,
                    "physicalLocation": _physical(self._uri(r.path or path), r.location),
                    "message": {"text": text(r.label, self.options.lang)},
                }
            )
        return out

    def result(self, path: str, f: Finding) -> dict[str, Any]:
        res: dict[str, Any] = {
            "ruleId": f.code,
            "ruleIndex": self._rule_index(f),
            "level": LEVELS.get(f.severity, "warning"),
            "message": {"text": _util.full_message(f, self.options.lang)},
            "locations": [{"physicalLocation": _physical(self._uri(path), f.location)}],
        }
        if f.related:
            res["relatedLocations"] = self._related(path, f.related)
        if f.fingerprint:
            res["partialFingerprints"] = {FINGERPRINT_KEY: f.fingerprint}
        props = {k: v for k, v in (("table", f.table), ("row", f.row), ("column", f.column),
                                   ("stated", f.stated), ("expected", f.expected)) if v is not None}
        if props:
            res["properties"] = props
        return res

    def result_text(self, path: str, f: Finding, pad: str = RESULT_PAD) -> str:
        """`indented_json(self.result(path, f), pad)`, written straight from the finding: the
        generic writer's cost per value is most of a warm run's SARIF (a test holds them equal)."""
        lang = self.options.lang
        i1 = pad + "  "
        i2 = i1 + "  "
        i3 = i2 + "  "
        parts = [
            f'{{\n{i1}"ruleId": {_str(f.code)},\n{i1}"ruleIndex": {self._rule_index(f)},\n'
            f'{i1}"level": {_str(LEVELS.get(f.severity, "warning"))},\n'
            f'{i1}"message": {_text_obj(_util.full_message(f, lang), i1)},\n'
            f'{i1}"locations": [\n{i2}{{\n{i3}"physicalLocation": {self._physical_text(path, f.location, i3)}'
            f'\n{i2}}}\n{i1}]'
        ]
        if f.related:
            items = []
            for n, r in enumerate(f.related):
                items.append(f'{i2}{{\n{i3}"id": {n},\n'
                             f'{i3}"physicalLocation": {self._physical_text(r.path or path, r.location, i3)},\n'
                             f'{i3}"message": {_text_obj(text(r.label, lang), i3)}\n{i2}}}')
            parts.append(f'{i1}"relatedLocations": [\n' + ",\n".join(items) + f"\n{i1}]")
        if f.fingerprint:
            parts.append(f'{i1}"partialFingerprints": {{\n{i2}{_str(FINGERPRINT_KEY)}: {_str(f.fingerprint)}\n{i1}}}')
        props = [(k, v) for k, v in (("table", f.table), ("row", f.row), ("column", f.column),
                                     ("stated", f.stated), ("expected", f.expected)) if v is not None]
        if props:
            parts.append(f'{i1}"properties": {{\n' + ",\n".join(f"{i2}{_str(k)}: {_value(v, i2)}" for k, v in props)
                         + f"\n{i1}}}")
        return ",\n".join(parts) + f"\n{pad}}}"

    def _physical_text(self, path: str, loc: Location | None, pad: str) -> str:
        """`indented_json(_physical(uri, loc), pad)`."""
        i1 = pad + "  "
        i2 = i1 + "  "
        head = f'{{\n{i1}"artifactLocation": {{\n{i2}"uri": {_str(self._uri(path))}\n{i1}}}'
        if loc is None:
            return head + f"\n{pad}}}"
        line, column, end_line, end_column = loc.line, loc.column, loc.end_line, loc.end_column  # as `_region`
        end = end_column if (end_line, end_column) > (line, column) else column + 1
        region = (f'{{\n{i2}"startLine": {_int(max(1, line))},\n{i2}"startColumn": {_int(max(1, column))},\n'
                  f'{i2}"endLine": {_int(max(line, end_line))},\n{i2}"endColumn": {_int(max(1, end))}')
        if loc.context:
            region += f',\n{i2}"message": {_text_obj(loc.context, i2)}'
        return head + f',\n{i1}"region": {region}\n{i1}}}\n{pad}}}'

    def _write(self, text: str) -> None:
        self.out.write(("\n" if self._first else ",\n") + RESULT_PAD + text)
        self._first = False

    def file(self, result: FileResult) -> None:
        path = result.path
        for f in result.findings:
            self._write(self.result_text(f.path or path, f))
        if result.status != "checked":
            if result.status == "error":
                self._unreadable = True
            reason = _util.reason(result, self.options)
            self._notifications.append(
                {
                    "level": "error" if result.status == "error" else "warning",
                    "message": {"text": reason},
                    "locations": [{"physicalLocation": {"artifactLocation": {"uri": _util.artifact_uri(path)}}}],
                    "descriptor": {"id": "file-" + result.status},
                }
            )

    # -------------------------------------------------------------- the end

    def finish(self, summary: Summary) -> None:
        driver = {
            "name": "gov-lint",
            "version": self.options.tool_version or __version__,
            "semanticVersion": self.options.tool_version or __version__,
            "informationUri": INFORMATION_URI,
            "language": "en-US" if self.options.lang == "en" else "zh-CN",
            "rules": self._rules,
        }
        invocation: dict[str, Any] = {
            "executionSuccessful": not self._unreadable,
            "toolExecutionNotifications": self._notifications,
            "properties": {"summary": summary.to_json(self.options.lang)},
        }
        tail = {"tool": {"driver": driver}, "invocations": [invocation], "columnKind": "unicodeCodePoints"}
        body = indented_json(tail, "    ")
        # splice the keys of `tail` into the run object that is still open
        inner = body[body.index("\n") + 1 : body.rindex("\n")]
        self.out.write(("\n      ],\n" if not self._first else "],\n") + inner + "\n    }\n  ]\n}\n")
        self.out.flush()
