"""`gov-lint report --from results.json --format FMT`: render saved results again without checking.

The input is what `gov-lint check --format json` wrote (schema "gov-lint/1", see
the JSON interface in docs) or what `--format json-lines` wrote (schema
"gov-lint-lines/1"; files without findings do not appear there, so a report from
it counts only files with findings or problems).  Each file entry becomes a
`FileResult` with its `Finding`s, fed in the saved order to any renderer, with the
same `--output FORMAT:PATH` fan-out as `check`.  Findings saved with their messages as
data (`message_data`, `notes_data`) are rendered again in the `--lang` asked for, so a
Chinese JSON report can be shown in English; plain saved text is shown as it is.  The summary is recounted from the
files, so a hand-edited file still gives consistent totals.

Exit codes: 0 when the results were rendered, 2 when the input cannot be read or
is not gov-lint output (the message says which).  Re-rendering is not a check, so
findings do not change the exit code.
"""

from __future__ import annotations

import json
import sys
from contextlib import nullcontext
from typing import Iterator, TextIO

from .model import FileResult, Finding
from .messages import pick as _t
from .output.base import Renderer, RenderOptions, Summary

SCHEMA = "gov-lint/1"
LINES_SCHEMA = "gov-lint-lines/1"


class ReportInputError(ValueError):
    """The --from file cannot be used; the message is ready to show."""


def _from_lines(lines: Iterator[str], lang: str) -> Iterator[FileResult]:
    current: FileResult | None = None
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            raise ReportInputError(_t(lang, f"第 {n} 行不是 JSON：{e.msg}", f"line {n} is not JSON: {e.msg}")) from e
        kind = obj.get("type") if isinstance(obj, dict) else None
        if kind == "summary":
            continue
        if kind not in ("finding", "file") or "path" not in obj:
            raise ReportInputError(
                _t(lang, f"第 {n} 行不是 gov-lint 的 json-lines 输出", f"line {n} is not gov-lint json-lines output")
            )
        if current is None or current.path != obj["path"]:
            if current is not None:
                yield current
            current = FileResult.from_json({**obj, "findings": [], "status": "checked"})
        if kind == "file":
            current.status = FileResult.from_json({**obj, "findings": []}).status
            current.reason = FileResult.from_json({**obj, "findings": []}).reason
        else:
            current.findings.append(Finding.from_json(obj))
    if current is not None:
        yield current


def load_results(fh: TextIO, lang: str = "zh") -> Iterator[FileResult]:
    """The FileResults of saved `--format json` or `--format json-lines` output, in order."""
    text = fh.read()
    if text.startswith("\ufeff"):
        text = text[1:]
    first = text.lstrip().split("\n", 1)[0]
    try:
        head = json.loads(first) if first.strip().startswith("{") else None
    except json.JSONDecodeError:
        head = None
    if isinstance(head, dict) and head.get("type") in ("finding", "file", "summary"):
        return _from_lines(iter(text.split("\n")), lang)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise ReportInputError(
            _t(lang, f"不是 JSON 文件（第 {e.lineno} 行：{e.msg}）", f"not a JSON file (line {e.lineno}: {e.msg})")
        ) from e
    if not isinstance(data, dict) or data.get("schema") != SCHEMA or not isinstance(data.get("files"), list):
        raise ReportInputError(
            _t(lang, f"不是 gov-lint 的 JSON 输出（需要 \"schema\": \"{SCHEMA}\"，由 gov-lint check --format json 生成）",
               f"not gov-lint JSON output (expected \"schema\": \"{SCHEMA}\", as written by gov-lint check --format json)")
        )
    return _files(data["files"], lang)


def _files(entries: list, lang: str) -> Iterator[FileResult]:
    for i, entry in enumerate(entries):
        try:
            yield FileResult.from_json(entry)
        except (KeyError, TypeError, ValueError) as e:
            raise ReportInputError(
                _t(lang, f"files[{i}] 格式不对：{e!r}", f"files[{i}] is malformed: {e!r}")
            ) from e


def render(results: Iterator[FileResult], renderer: Renderer) -> Summary:
    """Feed results to a renderer and finish it with the recounted summary.

    A path seen before is the checker's second result for that file (cross-year
    findings, sent after all files): it is marked `extra`, as the runner marks it,
    and counted as findings only, not as another file.
    """
    summary = Summary()
    seen: set[str] = set()
    for result in results:
        result.extra = result.path in seen
        seen.add(result.path)
        summary.add(result)
        renderer.file(result)
    renderer.finish(summary)
    return summary


def run_report(
    source: str,
    fmt: str,
    options: RenderOptions,
    outputs: list[str] | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """The `report` command: returns the exit code (0 rendered, 2 unusable input or output spec)."""
    from .output.multi import OutputSpecError, available_formats, open_outputs, unknown_format_message

    out = out or sys.stdout
    err = err or sys.stderr
    lang = options.lang

    def _error(message: str) -> None:
        err.write(f"gov-lint: {message}\n")

    formats = available_formats()
    if fmt not in formats:
        _error(unknown_format_message(fmt, formats, lang))
        return 2
    try:
        fh = sys.stdin if source == "-" else open(source, encoding="utf-8")
    except OSError as e:
        why = "文件不存在" if isinstance(e, FileNotFoundError) else e.strerror or e
        _error(_t(lang, f"无法读取 {source}：{why}", f"cannot read {source}: {e.strerror or e}"))
        return 2
    try:
        with fh if fh is not sys.stdin else nullcontext(fh):
            results = load_results(fh, lang)
            try:
                renderer = open_outputs(outputs or [], options, primary=formats[fmt](out, options), formats=formats)
            except OutputSpecError as e:
                _error(str(e))
                return 2
            try:
                render(results, renderer)
            finally:
                renderer.close()
    except ReportInputError as e:
        _error(_t(lang, f"{source}：{e}", f"{source}: {e}"))
        return 2
    except UnicodeDecodeError:
        _error(_t(lang, f"{source} 不是 UTF-8 文本", f"{source} is not UTF-8 text"))
        return 2
    return 0

