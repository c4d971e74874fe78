"""The phrase table (rules/narrative.toml) and the matcher that finds its phrases.

The prose is read once: one regular expression of every anchor word of every entry
(the literal words each pattern contains) finds all their places in a single scan,
and a phrase's pattern is tried only in a short window around an anchor of its own.
Matches are then taken left to right; where several start at the same place the
entry listed first comes first, so a longer phrase listed before its parts
("予以公开及部分公开") wins.  Two entries may share a pattern (a review's and a
lawsuit's "维持 N 件"): the claim reader keeps the first whose context fits.

Cost: one scan for the anchors, then for each anchor place a bounded window per
pattern of that anchor (linear in the text for a fixed phrase table).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Iterable

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

    @property
    def money(self) -> bool:
        return any(u in MONEY_FACTOR for u in self.units)

    @property
    def table(self) -> str:
        """The table its cells are in ("二", "三" or "四")."""
        return self.cells[0][0].split("/", 1)[0]

    @property
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


@dataclass(frozen=True, slots=True)
class Hit:
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
    anchors: re.Pattern  # every anchor word of the table, longest first
    patterns: tuple[tuple[re.Pattern, tuple[Quantity, ...]], ...]  # by table order
    by_anchor: dict[str, tuple[int, ...]]  # a found anchor word → the patterns to try around it

    def hits(self, text: str) -> list[Hit]:
        """Every match of every pattern, ordered by start and then table order."""
        seen: set[tuple[int, int, int]] = set()
        out: list[Hit] = []
        n = len(text)
        for am in self.anchors.finditer(text):
            a0, a1 = am.span()
            for k in self.by_anchor[am.group()]:
                pat, qs = self.patterns[k]
                lo, hi = max(0, a0 - _BEFORE), min(n, a1 + _AFTER)
                for m in pat.finditer(text, lo, hi):
                    if m.end() == hi and hi < n:  # may have been cut by the window: read it whole
                        m = pat.match(text, m.start()) or m
                    if m.start() > a0 or m.end() < a1 or (m.start(), m.end(), k) in seen:
                        continue
                    seen.add((m.start(), m.end(), k))
                    out.append(Hit(m.start(), m.end(), m.start("n"), m.end("n"), m.end("unit"),
                                   m.group("n"), m.group("unit"), qs, k))
        out.sort(key=lambda h: (h.start, h.order))
        return out


@cache
def matcher() -> Matcher:
    """The phrase table's matcher (built once per process)."""
    by_text: dict[tuple[str, tuple[str, ...]], list[Quantity]] = {}
    for q in quantities():
        for p in q.patterns:
            by_text.setdefault((p, q.units), []).append(q)
    patterns = tuple((_compile(p, units), tuple(qs)) for (p, units), qs in by_text.items())
    words = sorted({w for q in quantities() for w in q.anchors}, key=len, reverse=True)
    by_anchor: dict[str, tuple[int, ...]] = {}
    for w in words:
        # a longer anchor found in the text also stands for the shorter anchors inside it
        by_anchor[w] = tuple(k for k, (_p, qs) in enumerate(patterns)
                             if any(a in w for q in qs for a in q.anchors))
    return Matcher(re.compile("|".join(re.escape(w) for w in words)), patterns, by_anchor)
