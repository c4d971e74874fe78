"""Several outputs in one run: `--format full --output sarif:gov-lint.sarif --output csv:findings.csv`.

`MultiRenderer` passes every `file()` and `finish()` call on to each of its
renderers in order, so the checker still sees one renderer and results still
stream: nothing is held for the extra outputs beyond what each format itself
needs.  `open_outputs` turns `FORMAT:PATH` specs into renderers, each writing to
its own file (UTF-8, no newline translation, parent folders created), and closes
those files after `finish` — or on `close()` when the run is abandoned.

    with open_outputs(["sarif:out.sarif"], options, primary=terminal_renderer) as out:
        for result in results:
            out.file(result)
        out.finish(summary)

A path of `-` means standard output (not closed).  Errors in a spec (no colon,
unknown format, same path twice, a file that cannot be created) raise
`OutputSpecError` before anything is checked; the CLI turns it into exit code 2.
"""

from __future__ import annotations

import difflib
import os
import sys
from typing import Callable, Iterable, Mapping, TextIO

from ..atomic import AtomicFile, WriteError
from ..model import FileResult
from .base import Renderer, RenderOptions, Summary

RendererFactory = Callable[[TextIO, RenderOptions], Renderer]


class OutputSpecError(ValueError):
    """A `--output FORMAT:PATH` that cannot be used (the message is ready to show)."""


def available_formats() -> Mapping[str, RendererFactory]:
    """The format registry (`gov_lint.output.FORMATS`), with this package's machine formats as a fallback."""
    try:
        from . import FORMATS  # type: ignore[attr-defined]
    except ImportError:
        FORMATS = {}
    merged: dict[str, RendererFactory] = dict(machine_formats())
    merged.update(FORMATS)
    return merged


def machine_formats() -> dict[str, RendererFactory]:
    """The formats of issue 5 (the lead's registry should list the same names)."""
    from .csv import CsvRenderer
    from .github import GitHubRenderer
    from .gitlab import GitLabRenderer
    from .jsonlines import JsonLinesRenderer
    from .junit import JUnitRenderer
    from .sarif import SarifRenderer
    from .summary import SummaryCsvRenderer, SummaryRenderer

    return {
        "json-lines": JsonLinesRenderer,
        "sarif": SarifRenderer,
        "github": GitHubRenderer,
        "gitlab": GitLabRenderer,
        "junit": JUnitRenderer,
        "csv": CsvRenderer,
        "summary": SummaryRenderer,
        "summary-csv": SummaryCsvRenderer,
    }


def unknown_format_message(name: str, names: Iterable[str], lang: str = "zh") -> str:
    names = sorted(names)
    close = difflib.get_close_matches(name, names, n=1)
    if lang == "en":
        msg = f"unknown output format '{name}'"
        if close:
            msg += f"; did you mean '{close[0]}'?"
        return msg + f" (formats: {', '.join(names)})"
    msg = f"未知的输出格式“{name}”"
    if close:
        msg += f"，是否想用“{close[0]}”？"
    return msg + f"（可用格式：{', '.join(names)}）"


def parse_output(spec: str, lang: str = "zh", formats: Mapping[str, RendererFactory] | None = None) -> tuple[str, str]:
    """Split `FORMAT:PATH` at the first colon (a Windows path keeps its drive letter) and check the format."""
    formats = available_formats() if formats is None else formats
    name, sep, path = spec.partition(":")
    name = name.strip()
    if not sep or not name or not path:
        raise OutputSpecError(
            f"--output needs FORMAT:PATH, e.g. sarif:gov-lint.sarif (got '{spec}')"
            if lang == "en"
            else f"--output 的写法是 格式:路径，例如 sarif:gov-lint.sarif（收到“{spec}”）"
        )
    if name not in formats:
        raise OutputSpecError(unknown_format_message(name, formats, lang))
    return name, path


class MultiRenderer(Renderer):
    """Fans `file()` and `finish()` out to several renderers; owns the files it was given."""

    def __init__(self, renderers: list[Renderer], files: Iterable[TextIO] = (), options: RenderOptions | None = None) -> None:
        super().__init__(sys.stdout, options or RenderOptions())
        self.renderers = list(renderers)
        self.files = list(files)
        self._closed = False

    def file(self, result: FileResult) -> None:
        for r in self.renderers:
            r.file(result)

    def finish(self, summary: Summary) -> None:
        try:
            for r in self.renderers:
                r.finish(summary)
            for fh in self.files:  # complete: move each output file into place (atomic.py)
                getattr(fh, "commit", fh.close)()
        finally:
            self.close()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        for fh in self.files:
            try:
                fh.close()
            except OSError:
                pass

    def __enter__(self) -> "MultiRenderer":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open_outputs(
    specs: Iterable[str],
    options: RenderOptions,
    primary: Renderer | None = None,
    formats: Mapping[str, RendererFactory] | None = None,
) -> MultiRenderer:
    """Open every `FORMAT:PATH` output; `primary` (the terminal format) comes first."""
    formats = available_formats() if formats is None else formats
    parsed = [parse_output(s, options.lang, formats) for s in specs]
    seen: set[str] = set()
    for _, path in parsed:
        key = "-" if path == "-" else os.path.abspath(path)
        if key in seen:
            raise OutputSpecError(
                f"two outputs write to the same file: {path}" if options.lang == "en" else f"两个输出写入同一个文件：{path}"
            )
        seen.add(key)
    renderers: list[Renderer] = [primary] if primary is not None else []
    files: list[TextIO] = []
    try:
        for name, path in parsed:
            if path == "-":
                out: TextIO = sys.stdout
            else:
                try:  # written to a temporary file, renamed into place when complete (atomic.py)
                    out = AtomicFile(path, "w", encoding="utf-8", newline="")  # type: ignore[assignment]
                except WriteError as e:
                    raise OutputSpecError(e.text(options.lang)) from None
                files.append(out)
            renderers.append(formats[name](out, options))
    except BaseException:
        for fh in files:
            fh.close()
        raise
    return MultiRenderer(renderers, files, options)
