"""Small helpers shared by the machine output formats (sarif, github, gitlab, junit, csv, summary).

Nothing here writes output; each format module owns its layout.
"""

from __future__ import annotations

import codecs
import io
import json
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..messages import pick
from ..model import FileResult, Finding, Location
from ..rules.base import RuleSet
from .base import RenderOptions

SEVERITY_LABELS = {
    "zh": {"error": "错误", "warning": "警告", "info": "提示"},
    "en": {"error": "error", "warning": "warning", "info": "info"},
}
STATUS_LABELS = {
    "zh": {"checked": "已检查", "skipped": "已跳过", "error": "无法读取"},
    "en": {"checked": "checked", "skipped": "skipped", "error": "unreadable"},
}


def t(options: RenderOptions, zh: str, en: str) -> str:
    """A label in the run's language (Chinese unless `--lang en`)."""
    return pick(options.lang, zh, en)


def severity_label(options: RenderOptions, severity: str) -> str:
    return SEVERITY_LABELS["en" if options.lang == "en" else "zh"].get(severity, severity)


def status_label(options: RenderOptions, status: str) -> str:
    return STATUS_LABELS["en" if options.lang == "en" else "zh"].get(status, status)


def repo_path(path: str) -> str:
    """A path as CI services want it: forward slashes, relative to the working directory when it lies under it.

    Paths are usually given relative already ("reports/2023/x.txt"); an absolute path under
    the current directory is made relative, any other path is kept (with forward slashes).
    """
    if not path:
        return path
    if os.path.isabs(path):
        rel = _under_cwd(path)
        if rel is None:
            try:
                rel = os.path.relpath(path)
            except ValueError:  # another drive on Windows
                rel = ""
        if rel and rel != ".." and not rel.startswith(".." + os.sep):
            path = rel
    p = path.replace(os.sep, "/") if os.sep != "/" else path
    while p.startswith("./"):
        p = p[2:]
    return p


def _under_cwd(path: str) -> str | None:
    """`os.path.relpath(path)` without its normalising walk, for a plain absolute path (no empty,
    "." or ".." part: what the runner passes): the part under the working directory, or "" for a
    path outside it (kept as it is); None when the shortcut does not apply."""
    if os.sep != "/" or os.altsep:
        return None
    framed = path + "/"
    if "//" in framed or "/./" in framed or "/../" in framed:
        return None
    cwd = os.getcwd()
    if cwd == "/" or path == cwd:
        return None
    if not path.startswith(cwd + "/"):
        return ""  # relpath would climb out with "..": the path is kept
    return path[len(cwd) + 1:]


def _compact_encoder():
    """One C encoder for `compact_json`, made once (json.dumps makes one per call); None when the
    json module has no C accelerator."""
    from json import encoder

    if encoder.c_make_encoder is None:
        return None
    return encoder.c_make_encoder(None, encoder.JSONEncoder().default, encoder.encode_basestring, None,
                                  ": ", ", ", False, False, True)


_COMPACT = _compact_encoder()


def compact_json(obj: Any) -> str:
    """`json.dumps(obj, ensure_ascii=False)` for the tree of dicts, lists and scalars an output
    writes (no cycle check: `to_json` makes trees)."""
    if _COMPACT is None:
        return json.dumps(obj, ensure_ascii=False)
    return "".join(_COMPACT(obj, 0))


def artifact_uri(path: str) -> str:
    """An RFC 3986 URI reference for a file: relative with forward slashes, percent-encoded (UTF-8).

    Chinese file names are common here ("2023年报告.txt"), and SARIF consumers reject raw
    non-ASCII or spaces in `uri`.  Absolute paths outside the working directory become
    file:// URIs.
    """
    rel = repo_path(path)
    if os.path.isabs(path) and os.path.isabs(rel.replace("/", os.sep)):
        return Path(path).as_uri()
    return quote(rel, safe="/")  # ":" becomes %3A, so no segment can be read as a scheme


def rule_set(options: RenderOptions) -> RuleSet | None:
    """The run's rules: from the options, else the built-in registry when it is importable."""
    if options.rules is not None:
        return options.rules
    try:
        from ..rules.registry import all_rules  # type: ignore[import-not-found]
    except ImportError:
        return None
    try:
        return all_rules()
    except Exception:  # a broken plugin must not stop the output
        return None


def full_message(finding: Finding, lang: str = "zh") -> str:
    """The message followed by its notes ("计算值 …"), one per line, in `lang`."""
    return "\n".join([finding.text(lang), *finding.note_texts(lang)])


def reason(result: FileResult, options: RenderOptions) -> str:
    """Why a file was not checked, in the output's language (its status when there is no reason)."""
    return result.reason_text(options.lang) or status_label(options, result.status)


def location_text(path: str, loc: Location | None) -> str:
    """path:line:column, the form editors and terminals link."""
    if loc is None:
        return path
    return f"{path}:{loc.line}:{loc.column}"


_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_clean(text: str) -> str:
    """Drop characters XML 1.0 cannot carry (control characters from damaged input)."""
    return _XML_BAD.sub("\ufffd", text)


def utf8_stream(out):
    """Make a text stream write UTF-8 with no newline translation, when it can be changed.

    Machine formats are UTF-8 whatever the locale: on a Chinese Windows, standard
    output redirected to a file is GBK (cp936), which cannot encode every character
    and would turn the CSV's CRLF into CR CR LF.  Streams that are not a
    TextIOWrapper (StringIO, files opened by `--output`) are left alone.
    """
    if isinstance(out, io.TextIOWrapper):
        try:
            out.flush()
            if codecs.lookup(out.encoding).name != "utf-8":
                out.reconfigure(encoding="utf-8")
            out.reconfigure(newline="")
        except (AttributeError, LookupError, ValueError, OSError, io.UnsupportedOperation):
            pass
    return out
