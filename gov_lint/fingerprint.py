"""Position-independent finding fingerprints (for baselines and SARIF partialFingerprints).

A fingerprint must survive what does not change a finding's meaning: lines moved
by an edit above the table, a file renamed or moved to another folder, a re-export
from DOCX to PDF.  So it is built from what the finding is about, never from where
it is printed:

* a finding about a table cell: code + agency + year + table + row + column + the
  value as printed (normalised: width folded, spaces and thousands separators
  dropped, a leading "+" dropped);
* a finding without a cell: code + agency + year + the quoted text (`stated`) or,
  failing that, the message as data: its id and its arguments, without those that
  are positions or paths (never its wording, so zh and en runs agree and a
  reworded catalogue keeps users' baselines).  Rules not yet building Messages
  (plain text on the bridge) fall back to that text with line numbers and the
  file's own name removed.

The agency is compared by `agency_key`, so "××县人民政府" and "××县 政府" agree.
Two findings with the same fingerprint in one file are told apart by counting
(see `baseline.py`), not by adding positions to the fingerprint.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import PurePath

from .agency import agency_key
from .messages import Message
from .model import Finding
from .text import fold

_SPACE = re.compile(r"\s+")
_LINE_REF = re.compile(
    r"(第\s*\d+\s*[行列页格])|(\b(line|lines|column|col|page)\s*\d+)|(\d+:\d+(-\d+(:\d+)?)?)|(\bL\d+\b)",
    re.IGNORECASE,
)

FINGERPRINT_LENGTH = 20


def normalise_value(text: str | None) -> str:
    """A printed value without formatting noise: `１,２３４ ` → `1234`, `+21` → `21`."""
    if not text:
        return ""
    s = _SPACE.sub("", fold(text))
    if re.fullmatch(r"[+-]?[\d,]+(\.\d+)?\D*", s):
        s = s.replace(",", "")
    return s.lstrip("+")


def normalise_message(message: str, path: str | None = None) -> str:
    """A message without positions or the file's own name, for findings that have no cell."""
    s = fold(message)
    if path:
        p = PurePath(path)
        for token in sorted({str(path), p.as_posix(), p.name, p.stem}, key=len, reverse=True):  # longest first
            if token and len(token) > 2:
                s = s.replace(token, "")
    s = _LINE_REF.sub("", s)
    return _SPACE.sub("", s)


# message arguments that say where, not what: left out of fingerprints
POSITION_ARGS = frozenset({"line", "lines", "col", "column_no", "page", "path", "file", "place", "traceback", "where"})


def canonical_message(message: Message, path: str | None = None) -> str:
    """A message as language-free text: its id and its arguments minus positions and paths."""
    parts = [message.id]
    for key in sorted(message.args):
        if key not in POSITION_ARGS:
            parts.append(f"{key}={_canonical_arg(message.args[key], path)}")
    return "|".join(parts)


def _canonical_arg(value, path: str | None) -> str:
    if isinstance(value, Message):
        return "(" + canonical_message(value, path) + ")"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(_canonical_arg(v, path) for v in value) + "]"
    if isinstance(value, str):
        return normalise_message(value, path)
    return str(value)


def fingerprint(
    finding: Finding,
    *,
    agency: str | None,
    year: int | None,
    path: str | None = None,
    text: str | None = None,
) -> str:
    """The fingerprint of `finding` in a report of `agency` for `year`.

    `text` replaces the message as the distinguishing text of a finding without a
    cell (cross-year rules pass the other report's agency and year there, so the
    fingerprint does not depend on the other file's name either).
    """
    has_cell = bool(finding.table or finding.row or finding.column)
    if has_cell:
        detail = [finding.table or "", finding.row or "", finding.column or "", normalise_value(finding.stated)]
    elif text is not None:
        detail = ["", "", "", _SPACE.sub("", fold(text))]
    elif finding.stated:
        detail = ["", "", "", "q:" + normalise_value(finding.stated)]
    else:
        where = path or finding.path or None
        if isinstance(finding.message, Message):
            detail = ["", "", "", "id:" + canonical_message(finding.message, where)]
        else:
            detail = ["", "", "", "m:" + normalise_message(finding.message, where)]
    parts = [finding.code, agency_key(agency), str(year or ""), *detail]
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return digest[:FINGERPRINT_LENGTH]


def assign_fingerprints(findings, *, agency: str | None, year: int | None, path: str | None = None) -> None:
    """Fill `fingerprint` of every finding that does not have one yet."""
    for f in findings:
        if not f.fingerprint:
            f.fingerprint = fingerprint(f, agency=agency, year=year, path=path)
