"""Character-level text helpers shared by readers, the parser and the rules.

`fold` maps full-width ASCII forms and CJK punctuation variants to one form, one
character for one character, so positions in the folded text are positions in the
original.  `label_key` goes further (drops spaces and item numbers' punctuation
variants) and is only used to compare labels, never for positions.
"""

from __future__ import annotations

import re
from functools import lru_cache

_FOLD = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}  # ！…～ → !…~
_FOLD.update(
    {
        0x3000: 0x20,  # ideographic space
        0x00A0: 0x20,  # no-break space
        0x2002: 0x20,
        0x2003: 0x20,
        0x2009: 0x20,
        0x200B: 0x20,  # zero-width space (kept as a char so lengths match)
        0xFEFF: 0x20,
        0x201C: 0x22,  # “ → "
        0x201D: 0x22,  # ” → "
        0x2018: 0x27,
        0x2019: 0x27,
        0x3001: 0x3001,  # 、 stays
        0x2014: 0x2014,
        0x2212: 0x2D,  # minus sign → -
        0x2013: 0x2D,
        0xFE63: 0x2D,
        0x3002: 0x3002,
    }
)


# the characters that change, as one character class: most of a report's characters
# do not, and a regex finds the few that do about ten times faster than str.translate
# looks every character up in a dict
_FOLD_CHARS = {chr(k): chr(v) for k, v in _FOLD.items() if k != v}
_FOLD_RE = re.compile("[" + "".join(re.escape(c) for c in sorted(_FOLD_CHARS)) + "]")


def fold(text: str) -> str:
    """Full-width → half-width, curly quotes → straight; same length as `text`.

    The same as `text.translate(_FOLD)`, one character for one character: the regex
    finds which characters change (a report has some 75, of about 8 kinds), then one
    `str.replace` per kind (at most the ~110 keys of _FOLD_CHARS, each a linear pass)
    instead of a Python call per character.
    """
    chars = _FOLD_CHARS
    for ch in set(_FOLD_RE.findall(text)):
        text = text.replace(ch, chars[ch])
    return text


_LABEL_DROP = re.compile(r"[\s*#|_`]+")
# a digit run (from its first digit: the lookbehind keeps long runs linear) before . 、 or ,
# written so that the pattern starts with a digit, which the regex engine scans for quickly
_ITEM_NUM = re.compile(r"(\d(?<!\d\d)\d*)\s*[.、,]")


def label_key(label: str) -> str:
    """A comparison key for a table or heading label.

    Folds width and quotes, removes whitespace and markdown decoration, writes item
    numbers as "1." whether printed "1.", "1．" or "1、".  Short texts (labels, which
    recur across reports) are cached; long ones (prose lines) are not.
    """
    return _label_key_cached(label) if len(label) <= 80 else _label_key(label)


@lru_cache(maxsize=16384)
def _label_key_cached(label: str) -> str:
    return _label_key(label)


def _label_key(label: str) -> str:
    s = _LABEL_DROP.sub("", fold(label))
    s = _ITEM_NUM.sub(r"\1.", s)
    return s


_KEEPS = re.compile(r"[\s*#|_`\d.、,]")  # characters label_key drops or rewrites


def phrase_finder(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """A regex that finds one of `phrases` in *folded* text exactly when it is in the text's `label_key`.

    label_key drops whitespace and markdown marks (`_LABEL_DROP`) and only rewrites
    digits and the punctuation after them, so a phrase without such characters is in
    the key exactly when its characters appear in order with only dropped characters
    between them.  Searching the folded text this way spares computing the key of
    every prose line.  Phrases must be label keys themselves, without those characters.
    """
    parts = []
    for p in sorted(set(phrases), key=len, reverse=True):
        if not p or _KEEPS.search(p):
            raise ValueError(f"phrase_finder: {p!r} is empty or has characters label_key changes")
        parts.append(r"[\s*#|_`]*".join(re.escape(c) for c in p))
    return re.compile("|".join(parts))


CJK_NUMERALS = "一二三四五六七八九十"


def phrase_firsts(phrases: tuple[str, ...]) -> str:
    """The characters a match of `phrase_finder(phrases)` can start with (each phrase's first)."""
    return "".join(sorted({p[0] for p in phrases if p}))


def first_match_start(text: str, pattern: re.Pattern[str], firsts: str) -> int | None:
    """Where `pattern.search(text)` finds its match (None when it finds none), for a pattern whose
    every match starts with one of the characters `firsts` (as `phrase_finder`'s: `phrase_firsts`)
    and that has no anchors or lookbehinds.

    The regex engine's search tries each character of the text against the set of first
    characters; `str.find` looks for each of them much faster, and the pattern is tried only
    there.  The leftmost position where the pattern matches is what search finds.
    """
    best = -1
    find, match = text.find, pattern.match
    for ch in firsts:
        i = find(ch)
        while i >= 0 and (best < 0 or i < best):
            if match(text, i):
                best = i
                break
            i = find(ch, i + 1)
    return best if best >= 0 else None
