"""Baselines: accept today's findings, report only new ones.

`gov-lint baseline PATHS --output FILE` records every current finding by its
fingerprint (see `fingerprint.py`: code, agency, year, table/row/column and the
printed value; no line numbers, no file names).  `gov-lint check PATHS
--baseline FILE` then drops findings whose fingerprint is in the file, counting:
a fingerprint recorded twice absorbs two findings, the third is new.

Entries that matched nothing are *stale* (the problem was fixed, or the number
changed, in which case the new value shows up as a new finding).  Only entries
that belong to a file of this run are called stale (same path, or same agency and
year: a renamed file still counts), so checking a part of an archive against a
baseline of the whole does not list the rest as stale.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from . import __version__
from .agency import agency_key
from .atomic import write_text
from .errors import UserError
from .messages import Message, text
from .model import FileResult, Finding, text_from_json, text_json

SCHEMA = "gov-lint-baseline/1"


class BaselineError(UserError):
    """A baseline file that cannot be used; the CLI exits 2."""


@dataclass(frozen=True)
class Entry:
    """One recorded finding: its fingerprint, and what a person needs to recognise it.

    `message` is a Message when the finding was data (shown in the run's language when
    the entry goes stale), plain text otherwise.
    """

    fingerprint: str
    code: str
    path: str
    message: Message | str
    agency: str | None = None
    year: int | None = None

    def to_json(self, lang: str = "zh") -> dict[str, Any]:
        return {"fingerprint": self.fingerprint, "code": self.code, "path": self.path,
                "agency": self.agency, "year": self.year, **text_json(self.message, lang, "message")}


def entries_of(result: FileResult) -> list[Entry]:
    return [Entry(f.fingerprint, f.code, result.path, f.message, result.agency, result.year)
            for f in result.findings]


def dump(entries: Iterable[Entry]) -> str:
    doc = {"schema": SCHEMA, "tool": {"name": "gov-lint", "version": __version__},
           "entries": [e.to_json() for e in entries]}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def write(path: str | Path, entries: Iterable[Entry]) -> int:
    """Write a baseline atomically; returns the number of entries."""
    entries = list(entries)
    write_text(path, dump(entries))  # temporary file + rename; WriteError when the folder is read-only
    return len(entries)


def load(path: str | Path) -> list[Entry]:
    p = Path(path)
    try:
        doc = json.loads(p.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise BaselineError(f"找不到基线文件 {p}（可用 gov-lint baseline PATHS --output {p} 生成）",
                            f"baseline file {p} not found (create it with gov-lint baseline PATHS --output {p})") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineError(f"无法读取基线文件 {p}：{exc}", f"cannot read the baseline file {p}: {exc}") from None
    except json.JSONDecodeError as exc:
        raise BaselineError(f"基线文件 {p} 不是有效的 JSON：{exc}", f"the baseline file {p} is not valid JSON: {exc}") from None
    if not isinstance(doc, dict) or doc.get("schema") != SCHEMA or not isinstance(doc.get("entries"), list):
        raise BaselineError(f"{p} 不是 gov-lint 基线文件（应有 \"schema\": \"{SCHEMA}\"）",
                            f"{p} is not a gov-lint baseline (expected \"schema\": \"{SCHEMA}\")")
    out = []
    for n, e in enumerate(doc["entries"], start=1):
        try:
            out.append(Entry(str(e["fingerprint"]), str(e["code"]), str(e.get("path", "")),
                             text_from_json(e, "message"), e.get("agency"), e.get("year")))
        except (KeyError, TypeError):
            raise BaselineError(f"基线文件 {p} 第 {n} 条缺少 fingerprint 或 code",
                                f"baseline {p} entry {n} lacks fingerprint or code") from None
    return out


class BaselineFilter:
    """Drops baseline findings from results as they stream by; knows what went stale."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        self.entries = list(entries)
        self.remaining: Counter[str] = Counter(e.fingerprint for e in self.entries)
        self.suppressed = 0
        self._paths: set[str] = set()
        self._agency_years: set[tuple[str, int | None]] = set()

    def filter_findings(self, findings: list[Finding]) -> list[Finding]:
        kept = []
        for f in findings:
            if f.fingerprint and self.remaining[f.fingerprint] > 0:
                self.remaining[f.fingerprint] -= 1
                self.suppressed += 1
            else:
                kept.append(f)
        return kept

    def apply(self, result: FileResult) -> FileResult:
        """Remove baseline findings from `result` (in place) and note the file as checked."""
        self._paths.add(_norm_path(result.path))
        if result.agency and result.year is not None:
            self._agency_years.add((agency_key(result.agency), result.year))
        result.findings = self.filter_findings(result.findings)
        return result

    def stale(self) -> list[Entry]:
        """Entries of this run's files that matched no finding (count-aware, in file order)."""
        left = Counter({k: v for k, v in self.remaining.items() if v > 0})
        out: list[Entry] = []
        for e in reversed(self.entries):  # the last recorded copies are the unmatched ones
            if left[e.fingerprint] > 0:
                left[e.fingerprint] -= 1
                if _norm_path(e.path) in self._paths or (
                    e.agency and (agency_key(e.agency), e.year) in self._agency_years
                ):
                    out.append(e)
        out.reverse()
        return out


def _norm_path(p: str) -> str:
    return os.path.normpath(p).replace("\\", "/")


def format_stale(entries: list[Entry], lang: str = "zh", suppressed: int = 0, limit: int = 20) -> str:
    """The baseline part of the summary: how many findings it absorbed, and the stale entries."""
    zh = lang != "en"
    lines = []
    if suppressed:
        lines.append(f"基线中已有的问题：{suppressed} 条（未报告）" if zh else f"findings already in the baseline: {suppressed} (not reported)")
    if entries:
        n = len(entries)
        lines.append(f"基线中有 {n} 条已不再出现（已改正或数值已变，可以更新基线）：" if zh
                     else f"{n} baseline {'entry no longer occurs' if n == 1 else 'entries no longer occur'}"
                     " (fixed or changed; update the baseline):")
        for e in entries[:limit]:
            where = e.path + (f"（{e.agency} {e.year}）" if zh and e.agency else f" ({e.agency} {e.year})" if e.agency else "")
            lines.append(f"  {e.code} {where}{'：' if zh else ': '}{text(e.message, lang)}")
        if n > limit:
            lines.append(f"  ……另有 {n - limit} 条" if zh else f"  … and {n - limit} more")
    return "\n".join(lines)
