"""The phrase table (rules/narrative.toml) and the matcher that finds its phrases.

The prose is read once: one regular expression of every anchor word of every entry
(the literal words each pattern contains) finds all their places in a single scan,
and a phrase's pattern is tried only in a short window around an anchor of its own.
Matches are then taken left to right; where several start at the same place the
entry listed first comes first, so a longer phrase listed before its parts
("予以公开及部分公开") wins.  Two entries may share a pattern (a review's and a
lawsuit's "维持 N 件"): the claim reader keeps the first whose context fits.

Cost: one scan for the anchors, then for each anchor place a bounded window per
pattern of that anchor (linear in the text for a fixed phrase table).  The window
starts no earlier than the widest text the anchor's patterns can match before their
number (`reach`): an anchor word is never part of a number or a unit, so a match that
holds the anchor holds it before its number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, cached_property
from typing import Iterable, NamedTuple

try:  # the regular-expression parser, to know where a pattern can start
    from re import _constants as _C, _parser as _re_parser  # Python ≥ 3.11
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _C  # type: ignore[no-redef]
    import sre_parse as _re_parser  # type: ignore[no-redef]

from ...templates import packs_dir
from ...tomlfile import tomllib
from ..prose import NUMBER, NUMBER_CN

MONEY_FACTOR = {"元": Decimal(1), "万元": Decimal(10_000), "亿元": Decimal(100_000_000)}

# Which quantity a table holds: the subject a sentence must speak of before one of
# its numbers is compared with that table (issue 12.3).
SUBJECTS = {"三": "申请", "四": "复议诉讼", "二": "制发"}


@dataclass(frozen=True)
class Quantity:
    """One [[quantity]] of rules/narrative.toml."""

    id: str
    code: str
    patterns: tuple[str, ...]  # as written, with {N} and {U}
    anchors: tuple[str, ...]  # literal words one of which every match of every pattern contains
    units: tuple[str, ...]
    context: tuple[str, ...]
    context_scope: str  # "window" (150 characters before) or "sentence"
    context_sections: tuple[str, ...]  # sections where the context needs no words
    sections: tuple[str, ...]
    cells: tuple[tuple[str, ...], ...]
    blockers: tuple[str, ...] = ()  # words that may not stand between the context word and the number
    part: bool = False  # a part of a whole: may follow "其中"
    qualifier: tuple[str, ...] = ()  # one of these must precede in the sentence, outside qualifier_sections
    qualifier_sections: tuple[str, ...] = ()

    @cached_property
    def money(self) -> bool:
        return any(u in MONEY_FACTOR for u in self.units)

    @cached_property
    def table(self) -> str:
        """The table its cells are in ("二", "三" or "四")."""
        return self.cells[0][0].split("/", 1)[0]

    @cached_property
    def subject(self) -> str:
        return SUBJECTS.get(self.table, "")

    @property
    def name_id(self) -> str:
        """The catalogue id of its name (rules/messages.toml)."""
        return f"N-q-{self.id}"


def _compile(pattern: str, units: Iterable[str]) -> re.Pattern:
    unit_alt = "|".join(re.escape(u) for u in sorted(units, key=len, reverse=True))
    return re.compile(pattern.replace("{N}", f"(?P<n>{NUMBER}|{NUMBER_CN})").replace("{U}", f"(?P<unit>{unit_alt})"))


@cache
def quantities() -> tuple[Quantity, ...]:
    """The entries of rules/narrative.toml."""
    with (packs_dir() / "narrative.toml").open("rb") as fh:
        data = tomllib.load(fh)
    out = []
    for q in data.get("quantity", []):
        out.append(
            Quantity(
                id=q["id"],
                code=q["code"],
                patterns=tuple(q["patterns"]),
                anchors=tuple(q["anchors"]),
                units=tuple(q.get("units", ["件"])),
                context=tuple(q.get("context", ())),
                context_scope=q.get("context_scope", "window"),
                context_sections=tuple(q.get("context_sections", ())),
                sections=tuple(q.get("sections", ())),
                cells=tuple(tuple(alt) for alt in q["cells"]),
                blockers=tuple(q.get("blockers", ())),
                part=bool(q.get("part", False)),
                qualifier=tuple(q.get("qualifier", ())),
                qualifier_sections=tuple(q.get("qualifier_sections", ())),
            )
        )
    return tuple(out)


class Hit(NamedTuple):
    """One phrase found in the text: where, the number and unit, and the quantities it may be."""

    start: int
    end: int
    n_start: int
    n_end: int
    unit_end: int
    number: str
    unit: str
    candidates: tuple[Quantity, ...]
    order: int  # place of its pattern in the phrase table (earlier wins at one position)


# how far a pattern may reach before and after its anchor word
_BEFORE = 40
_AFTER = 80


@dataclass(frozen=True)
class Matcher:
    anchors: re.Pattern  # every anchor word of the table, longest first at each first character
    patterns: tuple[tuple[re.Pattern, tuple[Quantity, ...]], ...]  # by table order
    by_anchor: dict[str, tuple[int, ...]]  # a found anchor word → the patterns to try around it
    openers: tuple[re.Pattern | None, ...]  # per pattern, the characters a match can start with
    # per anchor word whose patterns all have openers: one class of all their first characters, and
    # for each such character the patterns (of `by_anchor`, in its order) that can start with it
    starters: dict[str, tuple[re.Pattern, dict[str, tuple[int, ...]]]]
    # per anchor word, how far before the anchor's end a match holding it can start (at most
    # _BEFORE characters before the anchor's start)
    reach: dict[str, int]

    def hits(self, text: str) -> list[Hit]:
        """Every match of every pattern, ordered by start and then table order.

        A pattern is tried only where a match could begin: at a character it can start
        with (`openers`), between `reach` characters before the end of one of its anchors
        and the anchor's start (every match contains an anchor), one `match` call each, left to right as
        a scan of the window takes them (a scan goes on after the end of each match).
        The places of the anchor's patterns are found by one scan of the window for any of
        their first characters (`starters`); each pattern keeps its own scan position."""
        seen: set[tuple[int, int, int]] = set()
        out: list[Hit] = []
        new = tuple.__new__  # Hit(...) without its Python-level __new__ (the fields in order)
        n = len(text)
        patterns, openers, by_anchor, starters, reach = self.patterns, self.openers, self.by_anchor, self.starters, self.reach
        for am in self.anchors.finditer(text):
            a0, a1 = am.span()
            word = am.group()
            lo = a1 - reach[word]
            if lo < 0:
                lo = 0
            hi = a1 + _AFTER if a1 + _AFTER < n else n
            found: list[tuple[int, re.Match]] = []
            got = starters.get(word)
            if got is not None:
                starter, by_char = got
                after: dict[int, int] = {}  # pattern → end of its last match in this window
                for o in starter.finditer(text, lo, a0 + 1):
                    p = o.start()
                    for k in by_char[text[p]]:
                        if p >= after.get(k, lo):
                            m = patterns[k][0].match(text, p, hi)
                            if m is not None:
                                after[k] = m.end()
                                found.append((k, m))
            else:
                for k in by_anchor[word]:
                    pat = patterns[k][0]
                    opener = openers[k]
                    if opener is None:
                        found += [(k, m) for m in pat.finditer(text, lo, hi)]
                        continue
                    after_k = lo
                    for o in opener.finditer(text, lo, a0 + 1):
                        p = o.start()
                        if p >= after_k:
                            m = pat.match(text, p, hi)
                            if m is not None:
                                after_k = m.end()
                                found.append((k, m))
            # (the order of `found` within one window does not matter: a pattern's matches in
            # it start at different places, and the hits are sorted by start and pattern below)
            for k, m in found:
                if m.end() == hi and hi < n:  # may have been cut by the window: read it whole
                    m = patterns[k][0].match(text, m.start()) or m
                if m.start() > a0 or m.end() < a1 or (m.start(), m.end(), k) in seen:
                    continue
                seen.add((m.start(), m.end(), k))
                out.append(new(Hit, (m.start(), m.end(), m.start("n"), m.end("n"), m.end("unit"),
                                     m.group("n"), m.group("unit"), patterns[k][1], k)))
        out.sort(key=lambda h: (h.start, h.order))
        return out


def first_characters(pattern: str) -> frozenset[str] | None:
    """The characters a match of `pattern` can start with, None when that cannot be told
    (a class such as a digit class or ".", or a pattern that may match the empty string)."""
    got = _first(_re_parser.parse(pattern))
    return frozenset(got[0]) if got is not None and not got[1] else None


def _first(seq) -> tuple[set[str], bool] | None:
    """(first characters, may be empty) of a parsed sequence, None when unknown."""
    out: set[str] = set()
    for op, av in seq:
        if op is _C.LITERAL:
            out.add(chr(av))
            return out, False
        if op in (_C.ASSERT, _C.ASSERT_NOT, _C.AT):  # zero width
            continue
        if op is _C.IN:
            for o, a in av:
                if o is not _C.LITERAL:
                    return None
                out.add(chr(a))
            return out, False
        if op is _C.BRANCH:
            alts = [_first(alt) for alt in av[1]]
        elif op is _C.SUBPATTERN:
            alts = [_first(av[-1])]
        elif op in (_C.MAX_REPEAT, _C.MIN_REPEAT):
            got = _first(av[2])
            alts = [None if got is None else (got[0], got[1] or av[0] == 0)]
        else:
            return None
        if any(a is None for a in alts):
            return None
        for chars, _empty in alts:
            out |= chars
        if not any(empty for _chars, empty in alts):
            return out, False
    return out, True


def width_before_number(pattern: str) -> int | None:
    """The most characters a phrase pattern (as written, with {N} and {U}) can match before the
    white space and number that follow its words; None when that is not bounded or the pattern
    has words after its unit (a match's anchor could then lie after its number)."""
    head, sep, tail = pattern.partition("{N}")
    if not sep or not tail.rstrip().endswith("{U}"):
        return None
    head = head[:-3] if head.endswith(r"\s*") else head
    width = _re_parser.parse(head).getwidth()[1]
    return width if width < _C.MAXREPEAT else None


@cache
def matcher() -> Matcher:
    """The phrase table's matcher (built once per process)."""
    by_text: dict[tuple[str, tuple[str, ...]], list[Quantity]] = {}
    for q in quantities():
        for p in q.patterns:
            by_text.setdefault((p, q.units), []).append(q)
    patterns = tuple((_compile(p, units), tuple(qs)) for (p, units), qs in by_text.items())
    widths = tuple(width_before_number(p) for p, _units in by_text)
    words = sorted({w for q in quantities() for w in q.anchors}, key=len, reverse=True)
    by_anchor: dict[str, tuple[int, ...]] = {}
    reach: dict[str, int] = {}
    for w in words:
        # a longer anchor found in the text also stands for the shorter anchors inside it
        by_anchor[w] = tuple(k for k, (_p, qs) in enumerate(patterns)
                             if any(a in w for q in qs for a in q.anchors))
        # the anchor lies within a match's words before its number: the match starts at most that
        # many characters before the anchor's end
        most = _BEFORE + len(w)
        reach[w] = max(most if widths[k] is None else min(widths[k], most) for k in by_anchor[w])
    firsts = tuple(first_characters(p.pattern) for p, _qs in patterns)
    openers = tuple(None if f is None else _char_class(f) for f in firsts)
    starters: dict[str, tuple[re.Pattern, dict[str, tuple[int, ...]]]] = {}
    for w, ks in by_anchor.items():
        if any(firsts[k] is None for k in ks):
            continue
        chars = frozenset().union(*(firsts[k] for k in ks))
        starters[w] = (_char_class(chars), {c: tuple(k for k in ks if c in firsts[k]) for c in chars})
    return Matcher(_words_pattern(words), patterns, by_anchor, openers, starters, reach)


def _words_pattern(words: list[str]) -> re.Pattern:
    """A pattern of `words` (longest first) that finds what their plain alternation finds, with
    the words grouped by their first character ("收(?:费项目|费)|…"): two words that differ in
    their first character never match at one place, so the longest that matches still wins."""
    groups: dict[str, list[str]] = {}
    for w in words:
        groups.setdefault(w[0], []).append(w[1:])
    return re.compile("|".join(re.escape(c) + "(?:" + "|".join(re.escape(r) for r in rests) + ")"
                               for c, rests in groups.items()))


def _char_class(chars: frozenset[str]) -> re.Pattern:
    """A pattern matching any one of `chars`."""
    return re.compile("[" + "".join(re.escape(c) for c in sorted(chars)) + "]")
