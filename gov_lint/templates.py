"""The two official report formats, loaded from `rules/templates/*.toml`.

`common.toml` holds the labels both formats share; `2019.toml` and `2021.toml` say
which rows each format has, its section-二 blocks and its signature labels.  The
files ship inside the wheel (as `gov_lint/_packs`); in a source checkout they are
read from the top-level `rules/` folder.
"""

from __future__ import annotations

import re
from .tomlfile import tomllib
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

from .text import label_key

PACKAGE_DIR = Path(__file__).resolve().parent


def packs_dir() -> Path:
    """The folder holding `templates/` and `relations/` (wheel or source checkout)."""
    for candidate in (PACKAGE_DIR / "_packs", PACKAGE_DIR.parent / "rules"):
        if (candidate / "templates" / "common.toml").is_file():
            return candidate
    raise FileNotFoundError("gov-lint rule packs (rules/templates) not found")


@dataclass(frozen=True)
class RowSpec:
    key: str
    label: str
    match: tuple[str, ...] = ()
    exact: tuple[str, ...] = ()
    short: str = ""  # label for messages; the full label when empty


@dataclass(frozen=True)
class ColumnSpec:
    key: str
    kind: str = "count"  # count | signed | money
    unit: str | None = None
    match: tuple[str, ...] = ()


@dataclass(frozen=True)
class Block:
    """One 第二十条 block of the section-二 table."""

    item: str
    caption: str
    columns: tuple[ColumnSpec, ...]
    rows: tuple[RowSpec, ...]


@dataclass(frozen=True)
class SectionSpec:
    number: str
    title: str
    match: tuple[str, ...]


@dataclass
class Template:
    id: str
    name: str
    basis: str
    first_year: int
    last_year: int | None
    signatures: tuple[str, ...]
    rows3: tuple[str, ...]  # section-三 rows of this format, in order
    subtotals3: tuple[str, ...]
    blocks: tuple[Block, ...]
    columns: dict[str, tuple[str, ...]] = field(default_factory=dict)  # table → data columns
    rows: dict[str, tuple[str, ...]] = field(default_factory=dict)  # table → row keys

    @property
    def leaves3(self) -> tuple[str, ...]:
        """The section-三 result rows that （七）总计 adds up (spec §4: LEAF3)."""
        return tuple(k for k in self.rows3 if k.startswith("三.") and k != "三.七")

    def block(self, item: str) -> Block | None:
        for b in self.blocks:
            if b.item == item:
                return b
        return None

    def column_kind(self, table: str, row: str, column: str) -> str:
        """count | signed | money.  A section-二 cell of the other format (a report that
        mixes the two, T102) has that format's kind: 本年增/减 stays signed, 采购总金额 money."""
        if table != "二":
            return "count"
        memo = self.__dict__.get("_column_kinds")  # every report asks again about the same cells
        if memo is None:
            memo = self.__dict__["_column_kinds"] = {}
        key = (row, column)
        got = memo.get(key)
        if got is None:
            for t in [self] + [x for x in templates() if x.id != self.id]:
                got = _kind_in(t, row, column)
                if got is not None:
                    break
            else:
                got = "count"
            if len(memo) >= 4096:  # bounded: row and column names may come from a report
                memo.clear()
            memo[key] = got
        return got

    def covers(self, year: int) -> bool:
        return year >= self.first_year and (self.last_year is None or year <= self.last_year)


def _kind_in(t: "Template", row: str, column: str) -> str | None:
    """The kind of a section-二 column in template `t`, None when `t`'s block of that row lacks it."""
    for b in t.blocks:
        if any(r.key == row for r in b.rows):
            for c in b.columns:
                if c.key == column:
                    return c.kind
    return None


@dataclass
class Common:
    sections: tuple[SectionSpec, ...]
    rows3: dict[str, RowSpec]
    columns3: tuple[str, ...]
    column_aliases3: dict[str, tuple[str, ...]]
    header3: tuple[str, ...]
    rows4: tuple[str, ...]
    columns4: tuple[str, ...]
    header4: tuple[str, ...]


def _load(path: Path) -> dict:
    with path.open("rb") as fh:
        return tomllib.load(fh)


def _rowspec(d: dict) -> RowSpec:
    return RowSpec(
        key=d["key"],
        label=d["label"],
        match=tuple(label_key(m) for m in d.get("match", ())),
        exact=tuple(label_key(m) for m in d.get("exact", ())),
        short=d.get("short", ""),
    )


@cache
def common() -> Common:
    d = _load(packs_dir() / "templates" / "common.toml")
    t3, t4 = d["tables"]["三"], d["tables"]["四"]
    return Common(
        sections=tuple(
            SectionSpec(s["number"], s["title"], tuple(label_key(m) for m in s["match"])) for s in d["sections"]
        ),
        rows3={r["key"]: _rowspec(r) for r in t3["rows"]},
        columns3=tuple(t3["columns"]),
        column_aliases3={k: tuple(label_key(a) for a in v) for k, v in t3["column_aliases"].items()},
        header3=tuple(label_key(h) for h in t3["header_match"]),
        rows4=tuple(t4["rows"]),
        columns4=tuple(t4["columns"]),
        header4=tuple(label_key(h) for h in t4["header_match"]),
    )


@cache
def load_template(template_id: str) -> Template:
    """The template `2019` or `2021`."""
    d = _load(packs_dir() / "templates" / f"{template_id}.toml")
    c = common()
    blocks = tuple(
        Block(
            item=b["item"],
            caption=label_key(b["caption"]),
            columns=tuple(
                ColumnSpec(col["key"], col.get("kind", "count"), col.get("unit"), tuple(label_key(m) for m in col["match"]))
                for col in b["columns"]
            ),
            rows=tuple(_rowspec(r) for r in b["rows"]),
        )
        for b in d["tables"]["二"]["blocks"]
    )
    t = Template(
        id=d["id"],
        name=d["name"],
        basis=d["basis"],
        first_year=d["first_year"],
        last_year=d.get("last_year"),
        signatures=tuple(label_key(s) for s in d["signatures"]),
        rows3=tuple(d["tables"]["三"]["rows"]),
        subtotals3=tuple(d["tables"]["三"].get("subtotals", ())),
        blocks=blocks,
    )
    t.columns = {"三": c.columns3, "四": c.columns4}
    t.rows = {"三": t.rows3, "四": c.rows4, "二": tuple(r.key for b in blocks for r in b.rows)}
    return t


TEMPLATE_IDS = ("2019", "2021")


def templates() -> list[Template]:
    return [load_template(i) for i in TEMPLATE_IDS]


def template_for_year(year: int) -> Template | None:
    """The format a report of this year must use (None before 2019)."""
    for t in templates():
        if t.covers(year):
            return t
    return None


# ---------------------------------------------------------------- label matching

_RESULT_PREFIX = re.compile(r"^(三、)?(本年度办理结果|本年度办理|年度办理结果|办理结果|理结果|本)?(?=\()")
_GROUP_PREFIX = re.compile(r"^\((三|四|五|六)\)(不予公开|无法提供|不予处理|其他处理)(?=.)")


@lru_cache(maxsize=8192)
def match_row3(label: str, allowed: tuple[str, ...] | None = None) -> str | None:
    """The section-三 row key for a label, or None.

    `allowed` limits the answer to some keys (a template's rows and subtotals).
    """
    key = label_key(label)
    if not key:
        return None
    key = _RESULT_PREFIX.sub("", key)
    tail = _GROUP_PREFIX.sub("", key)
    rows = common().rows3
    candidates = rows.values() if allowed is None else [rows[k] for k in allowed if k in rows]
    for spec in candidates:
        if key in spec.exact or tail in spec.exact:
            return spec.key
    best, best_len = None, 0
    for spec in candidates:
        for phrase in spec.match:
            if len(phrase) > best_len and phrase in key:
                best, best_len = spec.key, len(phrase)
    return best


def match_phrase(text_key: str, specs: tuple[RowSpec, ...] | tuple[ColumnSpec, ...]) -> str | None:
    """The key of the spec whose longest `match` phrase occurs in `text_key`."""
    best, best_len = None, 0
    for spec in specs:
        for phrase in spec.match:
            if len(phrase) > best_len and phrase in text_key:
                best, best_len = spec.key, len(phrase)
    return best


@cache
def column_phrases() -> tuple[str, ...]:
    """Every section-二 column label of either format (folded), longest first."""
    out: set[str] = set()
    for t in templates():
        for b in t.blocks:
            for c in b.columns:
                out.update(c.match)
    return tuple(sorted(out, key=len, reverse=True))


def header_pieces(text: str) -> list[tuple[int, int]]:
    """Where the labels of a run-together 信息内容 header are: 信息内容, then each column label.

    `信息内容本年处理决定数量` → [(0, 4), (4, 12)].  A label may continue with its
    unit in brackets, e.g. 本年收费金额(单位:万元).  `text` is folded.
    """
    columns = column_phrases()
    pieces: list[tuple[int, int]] = []
    at = text.find("信息内容")
    pos = at + 4 if at >= 0 else 0
    if at >= 0:
        pieces.append((at, pos))
    while pos < len(text):
        while pos < len(text) and text[pos] == " ":
            pos += 1
        hit = next((c for c in columns if text.startswith(c, pos)), None)
        if hit is None:
            end = text.find(" ", pos)
            end = len(text) if end < 0 else end
            if end > pos:
                pieces.append((pos, end))
            pos = end
            continue
        end = pos + len(hit)
        if text.startswith("(", end):
            close = text.find(")", end)
            if 0 < close - end < 12:
                end = close + 1
        pieces.append((pos, end))
        pos = end
    return pieces
