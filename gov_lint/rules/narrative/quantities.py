"""The phrase table (rules/narrative.toml) compiled into one matcher.

Every pattern of every quantity becomes one alternative of a single regular
expression, so the prose is scanned once, whatever the number of phrases.  Two
quantities may share a pattern (a review's or a lawsuit's "维持 N 件"): the
alternative then stands for both, and the claim reader keeps the first whose
context fits.  Alternatives are listed in file order, so at one position a longer
phrase listed first ("予以公开及部分公开") wins over its parts.
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
    patterns: tuple[str, ...]  # the expanded pattern texts ({N} and {U} filled in, groups unnamed)
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


def _expand(pattern: str, units: Iterable[str], k: int) -> str:
    unit_alt = "|".join(re.escape(u) for u in sorted(units, key=len, reverse=True))
    return pattern.replace("{N}", f"(?P<n{k}>{NUMBER}|{NUMBER_CN})").replace("{U}", f"(?P<u{k}>{unit_alt})")


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


@dataclass(frozen=True)
class Matcher:
    regex: re.Pattern
    alternatives: tuple[tuple[Quantity, ...], ...]  # by alternative index

    def find(self, text: str, pos: int = 0) -> Hit | None:
        """The first phrase of the table in `text` at or after `pos` (one regex search)."""
        m = self.regex.search(text, pos)
        if m is None:
            return None
        k = int(m.lastgroup[1:])
        return Hit(m.start(), m.end(), m.start(f"n{k}"), m.end(f"n{k}"), m.end(f"u{k}"),
                   m.group(f"n{k}"), m.group(f"u{k}"), self.alternatives[k])


@cache
def matcher() -> Matcher:
    """One regular expression for every pattern of the phrase table (built once per process)."""
    by_text: dict[str, list[Quantity]] = {}
    for q in quantities():
        for p in q.patterns:
            key = p + "\x00" + "|".join(sorted(q.units))
            by_text.setdefault(key, []).append(q)
    parts = []
    alternatives = []
    for k, (key, qs) in enumerate(by_text.items()):
        pattern, _, _units = key.partition("\x00")
        parts.append(f"(?P<a{k}>{_expand(pattern, qs[0].units, k)})")
        alternatives.append(tuple(qs))
    return Matcher(re.compile("|".join(parts)), tuple(alternatives))
