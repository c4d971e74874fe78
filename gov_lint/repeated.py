"""A report pasted twice into one file: find where the second copy starts.

Web editors and hurried copy-and-paste sometimes leave the whole report in a file
twice.  Checked as it is, every table and row is duplicated and the user gets a
dozen duplicate-row and section-order warnings.  `second_copy` finds the repeat
so the checker reads only the first copy and says so once (P007).

Whitespace is ignored (a copy may be re-wrapped).  The start of the text (its
first `HEAD` characters) is searched for again in the second half of the text;
the text is a repeat when what follows that point agrees with the start over at
least `AGREE` of the shorter part.  Linear in the length of the text: one
substring search per candidate, at most `MAX_CANDIDATES` candidates.
"""

from __future__ import annotations

import os
import re
from dataclasses import replace

from .model import Document

HEAD = 200  # characters (without whitespace) that must occur again
MIN_LENGTH = 600  # shorter texts are never called repeated
AGREE = 0.9  # share of the shorter copy that must be identical from its start
MIN_RATIO = 0.8  # the copies' lengths must be this close
MAX_CANDIDATES = 8

_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\S+")


def second_copy(text: str) -> int | None:
    """The offset in `text` where a second copy of the whole text starts, or None."""
    compact = "".join(text.split())  # = _SPACE.sub("", text): the same whitespace, six times faster
    n = len(compact)
    if n < MIN_LENGTH:
        return None
    head = compact[: min(HEAD, n // 4)]
    start = n * 2 // 5  # a second copy begins in the later part of the text
    for _ in range(MAX_CANDIDATES):
        i = compact.find(head, start)
        if i < 0:
            return None
        first, second = compact[:i], compact[i:]
        short = min(len(first), len(second))
        if short >= MIN_RATIO * max(len(first), len(second)):
            same = len(os.path.commonprefix([first[:short], second[:short]]))
            if same >= AGREE * short:
                return _offset(text, i)
        start = i + 1
    return None


def _offset(text: str, i: int) -> int:
    """The offset in `text` of the i-th (0-based) non-space character."""
    seen = 0
    for m in _WORD.finditer(text):
        size = m.end() - m.start()
        if seen + size > i:
            return m.start() + (i - seen)
        seen += size
    return len(text)


def first_copy(doc: Document) -> tuple[Document, int | None]:
    """The document cut before a repeated copy, and the 1-based line where that copy began."""
    at = second_copy(doc.text)
    if at is None:
        return doc, None
    line = doc.text.count("\n", 0, at) + 1
    cut = replace(doc, text=doc.text[:at], norm="", lines=[], norm_lines=[])
    return cut, line
