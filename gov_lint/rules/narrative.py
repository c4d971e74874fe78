"""Narrative rules: numbers in the prose against the tables (N1xx), prose that
contradicts itself (N2xx) and claims against the data (N3xx).

Deterministic pattern matching, no language model.  The phrases that tie a number
in the text to a table cell are data: `rules/narrative.toml`.  Every finding's
primary span is the number (with its unit) or the claim in the prose; the table
cells it disagrees with are Related spans, and table/row/column name them.

Being wrong here costs more than missing something: a number only counts when the
phrase names the quantity right before it, approximate figures (约、近、余) are
skipped, and a phrase that might mean two things is accepted when it equals either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Iterable, Iterator

from ..tomlfile import tomllib

from ..model import Cell, Finding, Related, Report
from ..templates import packs_dir
from .base import CheckContext, Rule, doc
from .prose import NUMBER, NUMBER_CN, Prose, approx_before, fmt_number, parse_number

# ------------------------------------------------------------------ the phrase table

MONEY_FACTOR = {"元": Decimal(1), "万元": Decimal(10_000), "亿元": Decimal(100_000_000)}


@dataclass(frozen=True)
class Quantity:
    id: str
    code: str
    name_zh: str
    name_en: str
    patterns: tuple[re.Pattern, ...]
    units: tuple[str, ...]
    context: tuple[str, ...]
    context_scope: str  # "window" (150 characters before) or "sentence"
    context_sections: tuple[str, ...]  # sections where the context needs no words
    sections: tuple[str, ...]
    cells: tuple[tuple[str, ...], ...]
    keywords: tuple[str, ...] = ()  # literal words one of which every pattern needs (a quick pre-check)
    blockers: tuple[str, ...] = ()  # words that may not stand between the context word and the number
    part: bool = False  # a part of the applications: may follow "其中"
    qualifier: tuple[str, ...] = ()  # one of these must precede in the sentence, outside qualifier_sections
    qualifier_sections: tuple[str, ...] = ()

    @property
    def money(self) -> bool:
        return any(u in MONEY_FACTOR for u in self.units)


def _compile(pattern: str, units: Iterable[str]) -> re.Pattern:
    unit_alt = "|".join(re.escape(u) for u in sorted(units, key=len, reverse=True))
    body = pattern.replace("{N}", f"(?P<n>{NUMBER}|{NUMBER_CN})").replace("{U}", f"(?P<unit>{unit_alt})")
    return re.compile(body)


@cache
def quantities() -> tuple[Quantity, ...]:
    """The entries of rules/narrative.toml, compiled."""
    with (packs_dir() / "narrative.toml").open("rb") as fh:
        data = tomllib.load(fh)
    out = []
    for q in data.get("quantity", []):
        units = tuple(q.get("units", ["件"]))
        out.append(
            Quantity(
                id=q["id"],
                code=q["code"],
                name_zh=q["name"][0],
                name_en=q["name"][1] if len(q["name"]) > 1 else q["name"][0],
                patterns=tuple(_compile(p, units) for p in q["patterns"]),
                units=units,
                context=tuple(q.get("context", ())),
                context_scope=q.get("context_scope", "window"),
                context_sections=tuple(q.get("context_sections", ())),
                sections=tuple(q.get("sections", ())),
                cells=tuple(tuple(alt) for alt in q["cells"]),
                keywords=tuple(q.get("keywords", ())),
                blockers=tuple(q.get("blockers", ())),
                part=bool(q.get("part", False)),
                qualifier=tuple(q.get("qualifier", ())),
                qualifier_sections=tuple(q.get("qualifier_sections", ())),
            )
        )
    return tuple(out)


# ------------------------------------------------------------------ table cells


@dataclass(frozen=True)
class CellRef:
    table: str
    row: str
    column: str
    cell: Cell

    @property
    def value(self) -> int | Decimal:
        v = self.cell.number()
        return 0 if v is None else v


def resolve(report: Report, ref: str) -> list[CellRef] | None:
    """The cells a reference names ("三/三.三.*/总计"), None when the table lacks one."""
    table_id, row, column = ref.split("/", 2)
    table = report.tables.get(table_id)
    if table is None:
        return None
    if row.endswith(".*"):
        prefix = row[:-2]
        rows = [k for k in table.rows if k.startswith(prefix + ".")]
        if not rows:
            rows = [prefix] if prefix in table.rows else []
    else:
        rows = [row] if row in table.rows else []
    if not rows:
        return None
    out = []
    for r in rows:
        cell = table.rows[r].cells.get(column)
        # an "inferred" cell is a run-together number the parser split the only way the
        # row's total allows: good enough to compare the prose with
        if cell is None or cell.number() is None:
            return None
        out.append(CellRef(table_id, r, column, cell))
    return out


def resolve_all(report: Report, refs: Iterable[str]) -> list[CellRef] | None:
    out: list[CellRef] = []
    for ref in refs:
        got = resolve(report, ref)
        if got is None:
            return None
        out.extend(got)
    return out


def total(cells: list[CellRef]) -> int | Decimal:
    s: int | Decimal = 0
    for c in cells:
        s = s + c.value
    return s


def row_label(report: Report, table: str, row: str) -> str:
    t = report.tables.get(table)
    r = t.rows.get(row) if t else None
    label = (r.label if r and r.label else row).replace("\t", " ").strip()
    label = re.sub(r"\s+", "", label)
    return label[:24] + ("…" if len(label) > 24 else "")


def related_cells(report: Report, cells: list[CellRef], limit: int = 8) -> list[Related]:
    out = []
    for c in cells[:limit]:
        out.append(Related(c.cell.span, f"表{c.table} {row_label(report, c.table, c.row)} / {c.column} = {c.cell.raw or 0}"))
    return out


def address(cells: list[CellRef]) -> tuple[str | None, str | None, str | None]:
    """table, row, column fields for a finding about one cell or a sum of cells."""
    if not cells:
        return None, None, None
    tables = {c.table for c in cells}
    rows = list(dict.fromkeys(c.row for c in cells))
    cols = list(dict.fromkeys(c.column for c in cells))
    table = cells[0].table if len(tables) == 1 else None
    # a sum of the leaf rows of one group is named by the group (三.三.1…8 → 三.三)
    if len(rows) > 1:
        prefixes = {r.rsplit(".", 1)[0] for r in rows}
        if len(prefixes) == 1 and all(r.rsplit(".", 1)[-1].isdigit() for r in rows):
            rows = [prefixes.pop()]
    return table, "+".join(rows), "+".join(cols)


# ------------------------------------------------------------------ helpers


def _context_ok(prose: Prose, start: int, end: int, words: tuple[str, ...], window: int = 150) -> bool:
    if not words:
        return True
    text = prose.text[max(0, start - window) : end]
    return any(w in text for w in words)


def _money_matches(stated: Decimal, unit: str, cell_value: Decimal | int, cell_units: list[str]) -> bool:
    decimals = -stated.as_tuple().exponent if stated.as_tuple().exponent < 0 else 0
    tol = Decimal(1).scaleb(-decimals) / 2
    for cu in cell_units:
        conv = Decimal(cell_value) * MONEY_FACTOR[cu] / MONEY_FACTOR[unit]
        if abs(conv - stated) <= tol:
            return True
    return False


def _cell_money_units(report: Report, ref: CellRef) -> list[str]:
    if ref.cell.unit in MONEY_FACTOR:
        return [ref.cell.unit]
    try:
        from ..templates import load_template

        tpl = load_template(report.template) if report.template in ("2019", "2021") else None
    except Exception:  # noqa: BLE001 - a missing template only widens the accepted units
        tpl = None
    if tpl is not None:
        for b in tpl.blocks:
            for col in b.columns:
                if col.key == ref.column and col.unit in MONEY_FACTOR:
                    return [col.unit]
    return ["元", "万元"]  # unit not printed: accept either reading


def _finish(f: Finding, stated: str) -> Finding:
    f.stated = stated
    return f


# ------------------------------------------------------------------ N1xx


def _n1_findings(report: Report, ctx: CheckContext, prose: Prose, code: str) -> Iterator[Finding]:
    rule = RULES_BY_CODE[code]
    for m, q, alts in _matched_quantities(report, prose):
        if q.code != code:
            continue
        n_text = m.group("n")
        unit = m.group("unit")
        stated = parse_number(n_text)
        available = [(alt, cells) for alt, cells in alts if cells is not None]
        if not available:
            continue
        ok = False
        for _alt, cells in available:
            if q.money:
                if len(cells) == 1 and _money_matches(stated, unit, cells[0].value, _cell_money_units(report, cells[0])):
                    ok = True
            elif stated == total(cells):
                ok = True
        if ok:
            continue
        alt, cells = available[0]
        value = total(cells)
        span = prose.span(m.start("n"), m.end("unit"))
        quote = prose.quote(span)
        t, r, c = address(cells)
        if q.money:
            units = _cell_money_units(report, cells[0])
            expected = f"{fmt_number(value)}{units[0] if len(units) == 1 else ''}"
        else:
            expected = fmt_number(value)
        where = f"表{t}" if t else "表格"
        shown = [x for x in cells if x.value] if len(cells) > 4 else cells
        parts = " + ".join(f"{row_label(report, x.table, x.row)}/{x.column} {fmt_number(x.value)}" for x in shown) or "0"
        if len(shown) < len(cells):
            parts += ctx.t("（其余各行为 0）", " (the other rows are 0)")
        msg = ctx.t(
            f"正文中的{q.name_zh}“{quote}”与{where}不一致：表中为 {expected}",
            f"the text states {q.name_en} as “{quote}”, but the table says {expected}",
        )
        notes = [ctx.t(f"表中值：{parts} = {expected}", f"table: {parts} = {expected}")]
        other_values = list(dict.fromkeys(fmt_number(total(cs)) for _a, cs in available[1:]))
        other_values = [v for v in other_values if v != fmt_number(value)]
        if other_values:
            notes.append(ctx.t(f"也不等于其他可能的读法（如含上年结转）：{'；'.join(other_values)}",
                               f"nor the other readings (e.g. with carry-over): {', '.join(other_values)}"))
        notes.append(ctx.t(f"依据：规范 R13，rules/narrative.toml «{q.id}»", f"basis: spec R13, rules/narrative.toml «{q.id}»"))
        yield _finish(
            ctx.finding(rule, msg, span=span, table=t, row=r, column=c, expected=expected,
                        related=related_cells(report, cells), notes=notes),
            quote,
        )


def _matched_quantities(report: Report, prose: Prose):
    """Every phrase match in the prose, each with its alternatives' cells (cached per report)."""
    key = id(prose)
    cached = _MATCH_CACHE.get(key)
    if cached is not None and cached[0] is prose:
        return cached[1]
    taken: list[tuple[int, int]] = []
    out = []
    text = prose.text
    for q in quantities():
        if q.keywords and not any(k in text for k in q.keywords):
            continue
        for pat in q.patterns:
            for m in pat.finditer(text):
                a, b = m.span()
                if any(a < y and x < b for x, y in taken):
                    continue
                if approx_before(text, m.start("n")):
                    continue
                section = prose.section_at(m.start("n"))
                if q.sections and section not in q.sections:
                    continue
                if _other_quantity(report, prose, a, q):
                    continue
                if q.qualifier and section not in q.qualifier_sections:
                    s0, _s1 = prose.sentence_bounds(a)
                    if not any(w in text[s0:b] for w in q.qualifier):
                        continue
                if section not in q.context_sections:
                    if q.context_scope == "sentence":
                        s0, _s1 = prose.sentence_bounds(a)
                        # the qualifier must come before the number ("信息公开…行政复议 2 件"),
                        # not after it ("行政复议 120 件，其中涉及信息公开的 3 件")
                        if q.context and not any(w in text[s0:b] for w in q.context):
                            continue
                        if q.blockers:
                            last = max(text.rfind(w, s0, a) for w in q.context)
                            if last < 0 or any(w in text[last:a] for w in q.blockers):
                                continue
                    elif not _context_ok(prose, a, b, q.context):
                        continue
                n_text = m.group("n")
                try:
                    stated = parse_number(n_text)
                except InvalidOperation:
                    continue
                if not q.money and stated != stated.to_integral_value():
                    continue
                taken.append((a, b))
                alts = [(alt, resolve_all(report, alt)) for alt in q.cells]
                out.append((m, q, alts))
    out.sort(key=lambda x: x[0].start())
    _MATCH_CACHE.clear()
    _MATCH_CACHE[key] = (prose, out)
    return out


_SUBSET = re.compile(r"其中|包括|含")
_CHANGE = re.compile(r"去年|同比|环比|较上年|比上年|上一?年度?(?!结转)|减免|免征|减少|降低|退还|退费|增加|增长|下降|新增")
_CHANNEL_WORDS = re.compile(r"网上|线上|线下|信函|邮寄|当面|现场|传真|电子邮件|邮箱|来电|电话|窗口|平台|网站|微信|热线")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")


def _other_year(report: Report, text: str) -> bool:
    """True when `text` names a year other than the report's ("2022年")."""
    if report.year is None:
        return False
    return any(int(m.group(1)) != report.year for m in _YEAR.finditer(text))


def _other_quantity(report: Report, prose: Prose, start: int, q: Quantity) -> bool:
    """True when the words before a matched phrase make its number a different quantity."""
    text = prose.text
    c0, _ = prose.clause_bounds(start)
    clause = text[c0:start]
    if not q.part and _SUBSET.search(clause):
        return True
    if _CHANGE.search(clause):
        return True
    if q.code == "N101" and _CHANNEL_WORDS.search(clause):
        return True
    s0, _ = prose.sentence_bounds(start)
    return _other_year(report, text[s0:start])


_MATCH_CACHE: dict[int, tuple[Prose, list]] = {}
_PROSE_CACHE: dict[int, tuple[Report, Prose]] = {}


def prose_of(report: Report) -> Prose:
    """One Prose per report (rules of this module share it)."""
    key = id(report)
    got = _PROSE_CACHE.get(key)
    if got is not None and got[0] is report:
        return got[1]
    prose = Prose(report)
    _PROSE_CACHE.clear()
    _PROSE_CACHE[key] = (report, prose)
    return prose


def check_n101(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    yield from _n1_findings(report, ctx, prose_of(report), "N101")


def check_n102(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    yield from _n1_findings(report, ctx, prose_of(report), "N102")


def check_n103(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    yield from _n1_findings(report, ctx, prose_of(report), "N103")


# ------------------------------------------------------------------ N2xx: the text against itself

_UNITS = "万元|亿元|元|件|条|项|个|次|人次|人|家|篇|份|场|期|起|宗|部|批"
_ITEM = re.compile(
    rf"(?P<label>[^\d,;。:()\n%]{{1,24}}?)(?:共|为|是|达)?\s*(?P<n>{NUMBER})\s*(?P<unit>{_UNITS})(?![\d\u4e00-\u9fff]*?%)"
)
# Form B ("a 3 场、b 4 场，共 …") splits on 、, so its labels cannot contain one
_ITEM_B = re.compile(
    rf"(?P<label>[^\d,;、。:()\n%]{{1,24}}?)(?:共|为|是|达)?\s*(?P<n>{NUMBER})\s*(?P<unit>{_UNITS})(?![\d\u4e00-\u9fff]*?%)"
)
_NOT_PARTS = re.compile(
    r"减少|撤销|注销|关停|关闭|删除|下线|整合|合并|废止|失效|同比|增长|下降|新增"
    r"|网站|微信|微博|公众号|客户端|APP|app|抖音|头条|平台|公告栏|公示栏|报纸|报刊|电视|广播|短信|网上|线上|线下"
)
_CATCH_ALL = ("其他", "其它", "其余", "剩余")
_WHOLE_BEFORE = re.compile(rf"(?P<n>{NUMBER})\s*(?P<unit>{_UNITS})\s*(?:\([^)]*\))?\s*[,;。:]?\s*\(?\s*$")
_LIST_KEYS = re.compile(r"其中[,:]?|涉及[,:]?|包括[,:]?")
_TOTAL_AFTER = re.compile(rf"^\s*,?\s*(?:共|共计|合计|总计|累计)(?:为)?\s*(?P<n>{NUMBER})\s*(?P<unit>{_UNITS})")


def _parse_list(text: str, pos: int, stop: int) -> tuple[list[re.Match], int]:
    """Items "label N unit" separated by 、 , ; starting at pos; returns them and where the list ended."""
    items = []
    i = pos
    while i < stop:
        m = _ITEM.match(text, i, stop)
        if not m:
            break
        items.append(m)
        j = m.end()
        # skip a parenthesis right after the item: 208 件(17.46%)
        if j < stop and text[j] == "(":
            k = text.find(")", j, stop)
            if k < 0:
                break
            j = k + 1
        if j < stop and text[j] in "、,;":
            i = j + 1
            continue
        i = j
        break
    return items, i


@dataclass
class PartsList:
    """A stated whole and the parts listed with it (read by N201)."""

    items: list  # re.Match objects of the parts ("label N unit")
    unit: str
    whole: Decimal
    whole_start: int
    whole_end: int
    exhaustive_needed: bool  # "其中" lists may be partial; "…，共 N" lists are complete
    offset: int = 0  # stream offset the items' positions are relative to

    @property
    def parts(self) -> list[Decimal]:
        return [parse_number(m.group("n")) for m in self.items]


def check_n201(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """Listed parts against the stated whole."""
    rule = RULES_BY_CODE["N201"]
    prose = prose_of(report)
    for pl in iter_lists(prose):
        yield from _check_parts(report, ctx, rule, prose, pl.items, pl.unit, pl.whole, pl.whole_start, pl.whole_end,
                                exhaustive_needed=pl.exhaustive_needed, offset=pl.offset)


def iter_lists(prose: Prose) -> Iterator[PartsList]:
    """Every "whole, 其中 parts" and "parts, 共 whole" list in the prose."""
    text = prose.text
    # Form A: "…N unit，其中 a N1 unit、b N2 unit…"
    for km in _LIST_KEYS.finditer(text):
        s0, s1 = prose.sentence_bounds(km.start(), "!?！？\n")
        sentence_end = text.find("。", km.end())
        sentence_end = s1 if sentence_end < 0 else min(sentence_end, s1)
        sentence_start = text.rfind("。", s0, km.start()) + 1 or s0
        if text.count("其中", max(s0, sentence_start), sentence_end) > 1:
            continue  # nested lists ("…，其中A，其中B…") are read two ways; skip them
        before = text[max(s0, km.start() - 40) : km.start()]
        wm = _WHOLE_BEFORE.search(before)
        if not wm:
            continue
        whole_start = km.start() - len(before) + wm.start("n")
        whole_end = km.start() - len(before) + wm.end("unit")
        if approx_before(text, whole_start):
            continue
        end = text.find("。", km.end())
        end = s1 if end < 0 else min(end, s1)
        items, _stop = _parse_list(text, km.end(), end)
        yield PartsList(items, wm.group("unit"), parse_number(wm.group("n")), whole_start, whole_end, True)
    # Form B: "a N1 unit、b N2 unit，共 N unit"
    for tm in re.finditer(rf",?\s*(?:共|共计|合计|总计)(?:为)?\s*(?P<n>{NUMBER})\s*(?P<unit>{_UNITS})", text):
        s0, _s1 = prose.sentence_bounds(tm.start(), "。!?！？\n;")
        seg = text[s0 : tm.start()]
        # the items must run right up to the total and be joined by 、
        items = []
        for m in _ITEM_B.finditer(seg):
            items.append(m)
        if len(items) < 2:
            continue
        tail = items[-1]
        if seg[tail.end() :].strip(" ,") != "":
            continue
        # take the trailing run of items separated by 、 only
        run = [items[-1]]
        for prev in reversed(items[:-1]):
            gap = seg[prev.end() : run[0].start()]
            if gap.strip() == "" and seg[run[0].start() - 1 : run[0].start()] == "、":
                run.insert(0, prev)
            elif seg[prev.end() : prev.end() + 1] == "、" and run[0].start() == prev.end() + 1:
                run.insert(0, prev)
            else:
                break
        if len(run) < 2:
            continue
        yield PartsList(run, tm.group("unit"), parse_number(tm.group("n")), tm.start("n"), tm.end("unit"), False, s0)


def _check_parts(report, ctx, rule, prose, items, unit, whole, whole_start, whole_end, *, exhaustive_needed, offset=0):
    text = prose.text
    if len(items) < 2:
        return
    if any(m.group("unit") != unit for m in items):
        return  # mixed units: not one list of parts
    labels = [m.group("label") for m in items]
    if any(("其中" in lb or "共" in lb or "合计" in lb or "总计" in lb or "累计" in lb) for lb in labels[1:]):
        return  # nested or several totals: not a plain list of parts
    if any(approx_before(text, offset + m.start("n")) for m in items):
        return
    if any(not re.search(r"[\u4e00-\u9fff]", lb) for lb in labels):
        return
    if any(_NOT_PARTS.search(lb) for lb in labels):
        return  # changes (新增/撤销…) or channels (网站/微信…) are not parts of one whole
    # a number right after the last item ("…3 件。以上 63 项") is fine; a list that runs on is not a list
    parts = [parse_number(m.group("n")) for m in items]
    s = sum(parts)
    if s == whole:
        return
    last = re.sub(r"^[\s,;、:(]*(?:以及|及|和)?", "", labels[-1])
    catch_all = last.startswith(_CATCH_ALL)  # "其他信息 10 条" (not "法人或其他组织")
    if exhaustive_needed and s < whole and not catch_all:
        return  # "其中" may name only some parts
    span = prose.span(whole_start, whole_end)
    quote = prose.quote(span)
    related = []
    for m in items[:10]:
        sp = prose.span(offset + m.start("n"), offset + m.end("unit"))
        related.append(Related(sp, f"{m.group('label').strip(' ,:')} {m.group('n')}{m.group('unit')}"))
    expr = " + ".join(m.group("n") for m in items)
    msg = ctx.t(
        f"正文列出的各项之和（{expr} = {fmt_number(s)}{unit}）与所述总数“{quote}”不一致",
        f"the parts listed in the text add up to {fmt_number(s)}{unit} ({expr}), not the stated whole “{quote}”",
    )
    diff = s - whole
    d = ("+" if diff > 0 else "") + fmt_number(diff)
    notes = [ctx.t(f"各项之和 {fmt_number(s)}，差额 {d}", f"sum of the parts {fmt_number(s)}, difference {d}")]
    yield _finish(ctx.finding(rule, msg, span=span, expected=f"{fmt_number(s)}{unit}", related=related, notes=notes), quote)


_PCT_ITEM = re.compile(
    rf"(?P<n>{NUMBER})\s*(?P<unit>{_UNITS})\s*"
    rf"(?:\(\s*(?:占比?|占总数的?)?\s*|,\s*占(?:比为?|总数的?)?\s*)(?P<p>\d+(?:\.\d+)?)\s*%"
)


def _pct_ok(n: Decimal, base: Decimal, p: Decimal) -> bool:
    if base == 0:
        return False
    decimals = -p.as_tuple().exponent if p.as_tuple().exponent < 0 else 0
    tol = Decimal(1).scaleb(-decimals) / 2 + Decimal("0.0001")
    return abs(n * 100 / base - p) <= tol


def check_n202(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """Percentages printed next to counts ("208 件（17.46%）") against count ÷ base.

    The base is not named in the text, so it is found: among the numbers with the same
    unit in the 300 characters before the first percentage (and the sum of the counts),
    the base that explains the most percentages, and at least two of them.  Only
    percentages that this confirmed base does not explain are reported.
    """
    rule = RULES_BY_CODE["N202"]
    prose = prose_of(report)
    text = prose.text
    items = list(_PCT_ITEM.finditer(text))
    # group items into runs: consecutive percentages within one paragraph
    groups: list[list[re.Match]] = []
    for m in items:
        if groups and m.start() - groups[-1][-1].end() < 80 and "\n" not in text[groups[-1][-1].end() : m.start()] \
                and m.group("unit") == groups[-1][-1].group("unit"):
            groups[-1].append(m)
        else:
            groups.append([m])
    for g in groups:
        if len(g) < 2:
            continue
        unit = g[0].group("unit")
        window = text[max(0, g[0].start() - 300) : g[0].start()]
        candidates = {parse_number(x.group("n")) for x in re.finditer(rf"(?P<n>{NUMBER})\s*{re.escape(unit)}", window)}
        candidates.add(sum(parse_number(m.group("n")) for m in g))
        best, best_hits = None, 0
        for base in candidates:
            hits = sum(_pct_ok(parse_number(m.group("n")), base, parse_number(m.group("p"))) for m in g)
            if hits > best_hits:
                best, best_hits = base, hits
        if best is None or best_hits < 2 or best_hits == len(g):
            continue
        for m in g:
            n, p = parse_number(m.group("n")), parse_number(m.group("p"))
            if _pct_ok(n, best, p):
                continue
            decimals = -p.as_tuple().exponent if p.as_tuple().exponent < 0 else 0
            right = (n * 100 / best).quantize(Decimal(1).scaleb(-decimals))
            span = prose.span(m.start("p"), m.end("p") + 1)
            quote = prose.quote(span)
            rel = [Related(prose.span(m.start("n"), m.end("unit")), ctx.t("计数", "count"))]
            msg = ctx.t(
                f"百分比“{quote}”与计数不符：{fmt_number(n)} ÷ {fmt_number(best)} = {right}%",
                f"the percentage “{quote}” does not match the count: {fmt_number(n)} ÷ {fmt_number(best)} = {right}%",
            )
            notes = [ctx.t(f"基数 {fmt_number(best)}{unit} 能解释同段其他 {best_hits} 个百分比",
                           f"the base {fmt_number(best)}{unit} explains {best_hits} other percentages in the paragraph")]
            yield _finish(ctx.finding(rule, msg, span=span, expected=f"{right}%", related=rel, notes=notes), quote)


# ------------------------------------------------------------------ N3xx: claims against the data

_CHANNEL = re.compile(r"线下|线上|网上|邮寄|信函|当面|现场|来电|电话|传真|电子邮件|邮箱")
_NOT_APPLICATION = re.compile(r"复议|诉讼|纠错|败诉|不予|逾期|超期|投诉|举报|信访|收费")


def _nonzero(report: Report, refs: Iterable[str]) -> list[CellRef]:
    out = []
    for ref in refs:
        cells = resolve(report, ref)
        if cells is None:
            continue
        out.extend(c for c in cells if c.value and c.value > 0)
    return out


def _claim(report, ctx, rule, prose, a, b, cells, zh, en):
    span = prose.span(a, b)
    quote = prose.quote(span)
    t, r, c = address(cells)
    value = total(cells)
    msg = ctx.t(zh.format(q=quote, v=fmt_number(value)), en.format(q=quote, v=fmt_number(value)))
    return _finish(ctx.finding(rule, msg, span=span, table=t, row=r, column=c, expected=fmt_number(value),
                               related=related_cells(report, cells)), quote)


_ALL_CLOSED = re.compile(r"(?:均|全部|都)(?:已|已经)?(?:按时|按期|依法|如期)?(?:办结|办理完毕|完成办理|处理完毕)")


def check_n301(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    rule = RULES_BY_CODE["N301"]
    prose = prose_of(report)
    text = prose.text
    for m in _ALL_CLOSED.finditer(text):
        s0, s1 = prose.sentence_bounds(m.start())
        sentence = text[s0:s1]
        if "复议" in sentence or "诉讼" in sentence or "申请" not in text[max(0, m.start() - 150) : m.end()]:
            continue
        before = text[s0 : m.start()]
        if "结转" in before or _CHANNEL_WORDS.search(before) or _other_year(report, before):
            continue  # about last year's carried-over applications, one channel, or another year
        if prose.section_at(m.start()) not in ("前言", "一", "三"):
            continue
        cells = _nonzero(report, ["三/四/总计"])
        if cells:
            yield _claim(report, ctx, rule, prose, m.start(), m.end(), cells,
                         "正文称申请“{q}”，但表三“四、结转下年度继续办理”总计为 {v}",
                         "the text says the applications were “{q}” (all closed), but table 三 carries {v} over to next year")


# only generic words between "未收到" and "申请": "未收到法人的申请" or "未收到涉及…的申请"
# speak of a subset, not of all applications
_NO_REQUESTS = re.compile(
    r"(?:未|没有|无)(?:收到|受理|接到|接收|发生|产生)?(?:过)?"
    r"(?:任何|任何形式的|有关|相关|群众|社会公众|本年度|全年|的|提出的|政府信息|信息)*"
    r"(?:政府信息公开申请|信息公开申请|公开申请|依申请公开|申请公开)"
)


def check_n302(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    rule = RULES_BY_CODE["N302"]
    prose = prose_of(report)
    text = prose.text
    for m in _NO_REQUESTS.finditer(text):
        c0, c1 = prose.clause_bounds(m.start())
        clause = text[c0:c1]
        if _CHANNEL.search(clause) or _NOT_APPLICATION.search(clause):
            continue
        s0, _s1 = prose.sentence_bounds(m.start())
        if _other_year(report, text[s0 : m.start()]):
            continue
        if prose.section_at(m.start()) not in ("前言", "一", "三"):
            continue
        # "无依申请公开…" must be the statement itself, not "无…的依申请公开工作制度"
        if re.search(r"制度|机制|指南|目录|渠道|平台|流程|培训", text[m.end() : c1]):
            continue
        cells = _nonzero(report, ["三/一/总计"])
        if cells:
            yield _claim(report, ctx, rule, prose, m.start(), m.end(), cells,
                         "正文称“{q}”，但表三“一、本年新收政府信息公开申请数量”总计为 {v}",
                         "the text says “{q}” (no applications), but table 三 counts {v} new applications")


_NO_CASES = re.compile(
    r"(?:未发生|没有发生|未出现|没有出现|未有|没有|未收到|未产生|不存在|无)(?:任何|过)?(?:[^,;。\n]{0,20}?)(?:行政复议|行政诉讼)"
)
_LOSS_WORDS = re.compile(r"纠错|纠正|败诉|撤销|确认违法|责令")


def check_n303(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    rule = RULES_BY_CODE["N303"]
    prose = prose_of(report)
    text = prose.text
    for m in _NO_CASES.finditer(text):
        c0, c1 = prose.clause_bounds(m.start())
        clause = text[c0:c1]
        if _LOSS_WORDS.search(clause):
            continue  # about outcomes: N304
        section = prose.section_at(m.start())
        s0, s1 = prose.sentence_bounds(m.start())
        if section != "四" and not re.search(r"信息公开|依申请", text[s0:s1]):
            continue
        if _other_year(report, text[s0 : m.start()]):
            continue
        tail = text[m.start() : c1]
        refs = []
        if "复议" in tail:
            refs.append("四/行政复议/总计")
        if "诉讼" in tail:
            if "复议后" in tail:
                refs.append("四/复议后起诉/总计")
            elif "直接" in tail:
                refs.append("四/未经复议直接起诉/总计")
            else:
                refs += ["四/未经复议直接起诉/总计", "四/复议后起诉/总计"]
        cells = _nonzero(report, refs)
        if cells:
            yield _claim(report, ctx, rule, prose, m.start(), m.end(), cells,
                         "正文称“{q}”，但表四中的案件数为 {v}",
                         "the text says “{q}” (no such cases), but table 四 counts {v}")


_NO_LOSSES = re.compile(
    r"零败诉|零纠错|(?:均|全部|都)(?:获|被|予以|得到)?维持"
    r"|(?:未发生|没有发生|未出现|没有出现|未有|没有|无)(?:[^,;。\n]{0,30}?)(?:纠错|败诉|被纠正|被撤销|确认违法)"
)


def check_n304(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    rule = RULES_BY_CODE["N304"]
    prose = prose_of(report)
    text = prose.text
    for m in _NO_LOSSES.finditer(text):
        # the claim covers the cases named before it up to the previous ";" or "。"
        # ("复议 2 件，均获维持；诉讼 1 件被撤销" says nothing about the lawsuit)
        s0, s1 = prose.sentence_bounds(m.start(), "。!?！？\n;；")
        sentence = text[s0 : m.end()]
        if _other_year(report, text[s0 : m.start()]):
            continue
        section = prose.section_at(m.start())
        if section != "四" and not re.search(r"信息公开|依申请", sentence):
            continue
        if not re.search(r"复议|诉讼|败诉|纠错", sentence):
            continue
        phrase = m.group(0)
        refs = []
        review = "复议" in sentence or "纠错" in phrase
        lawsuit = "诉讼" in sentence or "败诉" in phrase
        if "维持" in phrase:
            review = review or "复议" in sentence
            lawsuit = lawsuit or "诉讼" in sentence
        if review and ("纠错" in phrase or "纠正" in phrase or "维持" in phrase or "撤销" in phrase
                       or "确认违法" in phrase or "复议" in text[m.start() : m.end()]):
            refs.append("四/行政复议/结果纠正")
        if lawsuit:
            refs += ["四/未经复议直接起诉/结果纠正", "四/复议后起诉/结果纠正"]
        cells = _nonzero(report, refs)
        if cells:
            yield _claim(report, ctx, rule, prose, m.start(), m.end(), cells,
                         "正文称“{q}”，但表四“结果纠正”为 {v}",
                         "the text says “{q}”, but table 四 records {v} corrected (lost) cases")


_ALL_CONCLUDED = re.compile(r"(?:均|全部|都)(?:已|已经)?(?:结案|审结|办结|了结)")


def check_n305(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    rule = RULES_BY_CODE["N305"]
    prose = prose_of(report)
    text = prose.text
    for m in _ALL_CONCLUDED.finditer(text):
        s0, s1 = prose.sentence_bounds(m.start(), "。!?！？\n;；")
        sentence = text[s0 : m.end()]
        if _other_year(report, text[s0 : m.start()]):
            continue
        if not re.search(r"复议|诉讼", sentence):
            continue
        if prose.section_at(m.start()) != "四" and not re.search(r"信息公开|依申请", sentence):
            continue
        refs = []
        if "复议" in sentence:
            refs.append("四/行政复议/尚未审结")
        if "诉讼" in sentence:
            refs += ["四/未经复议直接起诉/尚未审结", "四/复议后起诉/尚未审结"]
        cells = _nonzero(report, refs)
        if cells:
            yield _claim(report, ctx, rule, prose, m.start(), m.end(), cells,
                         "正文称案件“{q}”，但表四“尚未审结”为 {v}",
                         "the text says the cases were “{q}” (all concluded), but table 四 lists {v} pending")


# ------------------------------------------------------------------ the rules

_EXAMPLE_N101 = """一、总体情况 …… 全年共收到政府信息公开申请 12 件 ……
表三  一、本年新收政府信息公开申请数量 … 总计 10
→ warning[N101]: 正文中的本年新收政府信息公开申请数“12 件”与表三不一致：表中为 10"""

RULES: list[Rule] = [
    Rule(
        "N101", "prose-count-differs-from-table", "warning",
        "正文中的申请、办理结果、复议诉讼数字与表三、表四不一致",
        "A count of applications, results, reviews or lawsuits in the text differs from tables 三/四",
        doc(
            "在正文（前言、总体情况、第三、四部分的说明文字）中找出“收到政府信息公开申请N件”“予以公开N件”“不予公开N件”"
            "“结转下年度N件”“行政复议N件”等写明数量的句子，按 rules/narrative.toml 中的短语表对应到表三、表四的单元格，"
            "数字不同时报告。只比较短语紧接数字、单位明确的说法；“约”“近”“余”等概数不比较；一个说法有两种合理读法时"
            "（如“收到申请N件”可能含上年结转），与任一读法相符即通过。",
            "公众和上级考核往往只读总体情况的文字。文字与表格不一致，说明其中至少一处填错，报告的可信度受损，也是年报"
            "考核中常见的扣分项。",
            _EXAMPLE_N101,
            "核对表三、表四与正文，改正错误的一处。若正文有意统计不同口径（如含上年结转），请在文字中写明口径。",
            what_en="Finds sentences that state a count of applications, results, carry-overs, reviews or lawsuits and "
                    "compares them with the matching cells of tables 三/四 (phrase table in rules/narrative.toml).",
            why_en="Readers and assessors read the prose; a number that differs from the table means one of them is wrong.",
            fix_en="Correct whichever is wrong; if the text uses a different basis, say so in the text.",
        ),
        check_n101, basis="R13",
    ),
    Rule(
        "N102", "prose-item-count-differs-from-table", "warning",
        "正文中的规章、规范性文件、许可处罚强制等数量与表二不一致",
        "A count of rules, normative documents, licences, penalties… in the text differs from table 二",
        doc(
            "找出正文中“现行有效规范性文件N件”“制发规范性文件N件”“作出行政许可决定N件”“处理行政许可和对外服务事项N条”"
            "等说法，与表二（第二十条第（一）（五）（六）（八）（九）项）对应单元格比较。只认带动词或“决定”“案件”的说法："
            "“权责清单中行政许可18项”是事项数，不是处理决定数，不比较。",
            "表二是主动公开的法定统计口径；文字引用时数字不同，读者无法判断哪个是对的。",
            """（一）主动公开 …… 本年制发行政规范性文件 6 件 ……
表二  行政规范性文件  本年制发件数 5
→ warning[N102]: 正文中的本年制发行政规范性文件件数“6 件”与表二不一致：表中为 5""",
            "核对表二与正文，改正错误的一处。",
            what_en="Compares counts of rules, normative documents, licensing/penalty/enforcement decisions, fee items and "
                    "procurement projects stated in the prose with table 二.",
            why_en="Table 二 is the statutory count; a different number in the text leaves readers unsure which is right.",
            fix_en="Correct whichever is wrong.",
        ),
        check_n102, basis="R13",
    ),
    Rule(
        "N103", "prose-amount-differs-from-table", "warning",
        "正文中的收费、采购金额与表二不一致（已换算元/万元）",
        "A money amount in the text differs from table 二 (元 and 万元 converted)",
        doc(
            "找出正文中“行政事业性收费N万元”“采购总金额N元”等金额，换算单位（元、万元、亿元）后与表二金额比较，"
            "按正文印出的小数位四舍五入。表格未印单位时，按元或万元任一读法相符即通过。",
            "金额最容易出现单位错误（元写成万元），差一万倍。",
            """正文：本年收取行政事业性收费 35.6 万元
表二  行政事业性收费  本年收费金额（单位：万元） 3.56
→ warning[N103]: 正文中的本年行政事业性收费金额“35.6 万元”与表二不一致：表中为 3.56万元""",
            "核对金额与单位；表二（第二十条第（八）项）的单位是万元。",
            what_en="Compares money amounts in the prose with table 二 after converting 元/万元/亿元, to the printed decimals.",
            why_en="Unit slips (元 for 万元) are off by a factor of 10,000.",
            fix_en="Check the amount and its unit; table 二 (八) is in 万元.",
        ),
        check_n103, basis="R13",
    ),
    Rule(
        "N201", "prose-parts-do-not-add-up", "warning",
        "正文列出的各项之和与所述总数不一致",
        "Parts listed in the text do not add up to the stated whole",
        doc(
            "检查两种写法：“共N件，其中A a件、B b件……”和“A a件、B b件、C c件，共N件”。各项单位相同、没有嵌套的"
            "“其中”时求和比较。“其中”只列出部分类别很常见，所以“其中”列表的和小于总数时，只在最后一项是“其他/其余”"
            "（列表完整）时才报告；和大于总数总是报告。",
            "自相矛盾的数字一眼就能被读者发现，损害报告的严谨性。",
            """全年共办理申请 20 件，其中予以公开 12 件、部分公开 5 件、其他 4 件。
→ warning[N201]: 正文列出的各项之和（12 + 5 + 4 = 21件）与所述总数“20 件”不一致""",
            "重新核对各项和总数。",
            what_en="Checks “total N, of which a, b, c” and “a, b, c, in all N” lists with one unit and no nesting.",
            why_en="Self-contradicting numbers are the first thing a reader notices.",
            fix_en="Recount the parts and the whole.",
        ),
        check_n201,
    ),
    Rule(
        "N202", "prose-percentage-mismatch", "warning",
        "正文中的百分比与“数量 ÷ 基数”不符",
        "A percentage in the text does not match count ÷ base",
        doc(
            "对“208 件（17.46%）”这类写法，在同一段中找出能解释至少两个百分比的基数（前文同单位的数字或各项之和），"
            "再按印出的小数位检查其余百分比；找不到这样的基数时不报告。",
            "百分比算错会让读者怀疑整段数字。",
            """办结 200 件，其中予以公开 50 件（25%），不予公开 10 件（5%），无法提供 40 件（25%）。
→ warning[N202]: 百分比“25%”与计数不符：40 ÷ 200 = 20%""",
            "按基数重新计算百分比。",
            what_en="For “N 件（P%）” runs, finds a base that explains at least two percentages and reports the others.",
            why_en="A wrong percentage makes readers doubt the whole paragraph.",
            fix_en="Recompute the percentage from the base.",
        ),
        check_n202,
    ),
    Rule(
        "N301", "claim-all-closed-but-carried-over", "warning",
        "正文称申请“均已办结”，但表三有结转下年度的申请",
        "The text says all applications were closed, but table 三 carries some over",
        doc(
            "正文在申请办理的语境中写“均已办结”“全部办结”等，而表三“四、结转下年度继续办理”总计大于 0。",
            "结转下年度的申请就是本年未办结的申请，两者不能同时成立。",
            """本年收到的申请均已办结。
表三  四、结转下年度继续办理  总计 3
→ warning[N301]: 正文称申请“均已办结”，但表三“四、结转下年度继续办理”总计为 3""",
            "改正文字（如“除3件结转下年度外均已办结”）或改正表格。",
            what_en="“均已办结” about applications while table 三 row 四 (carried over) is above 0.",
            why_en="Applications carried over are by definition not closed.",
            fix_en="Fix the sentence or the table.",
        ),
        check_n301,
    ),
    Rule(
        "N302", "claim-no-requests-but-table-has-requests", "warning",
        "正文称未收到政府信息公开申请，但表三新收申请大于 0",
        "The text says no applications were received, but table 三 counts new applications",
        doc(
            "正文写“未收到政府信息公开申请”“无依申请公开事项”等，而表三“一、本年新收政府信息公开申请数量”总计大于 0。"
            "只说某一渠道（线下、邮寄……）或说复议、投诉的句子不算。",
            "这是模板套用上年文字时最常见的矛盾。",
            """本年度未收到政府信息公开申请。
表三  一、本年新收政府信息公开申请数量  总计 2
→ warning[N302]: 正文称“未收到政府信息公开申请”，但表三“一、本年新收政府信息公开申请数量”总计为 2""",
            "改正文字或表格，使两者一致。",
            what_en="“未收到…申请” / “无依申请公开” while table 三 row 一 (new applications) is above 0.",
            why_en="A typical leftover from last year's text.",
            fix_en="Make the text and the table agree.",
        ),
        check_n302,
    ),
    Rule(
        "N303", "claim-no-reviews-or-lawsuits-but-table-has", "warning",
        "正文称未发生行政复议、行政诉讼，但表四有案件",
        "The text says there were no reviews or lawsuits, but table 四 has some",
        doc(
            "正文写“未发生政府信息公开行政复议、行政诉讼”“没有…行政复议”等，而表四相应的总计大于 0。",
            "第四部分的表格与说明文字应说同一件事。",
            """本年度未发生政府信息公开行政复议、行政诉讼案件。
表四  行政复议  总计 1
→ warning[N303]: 正文称“未发生政府信息公开行政复议、行政诉讼”，但表四中的案件数为 1""",
            "改正文字或表四。",
            what_en="“未发生行政复议、行政诉讼” while a section-四 total is above 0.",
            why_en="The section-四 text and table should say the same.",
            fix_en="Fix the text or table 四.",
        ),
        check_n303,
    ),
    Rule(
        "N304", "claim-no-losses-but-corrected", "warning",
        "正文称“零败诉”“均获维持”，但表四“结果纠正”大于 0",
        "The text claims no losses (零败诉/均获维持), but table 四 has corrected results",
        doc(
            "正文写“零败诉”“均获维持”“未发生被行政复议纠错或行政诉讼败诉”等，而表四对应的“结果纠正”大于 0。",
            "被纠正就是败诉或被纠错，与文字相反。",
            """行政复议案件均获维持。
表四  行政复议  结果纠正 1
→ warning[N304]: 正文称“均获维持”，但表四“结果纠正”为 1""",
            "改正文字或表四。",
            what_en="Claims of no lost cases while 结果纠正 in table 四 is above 0.",
            why_en="A corrected result is a lost case.",
            fix_en="Fix the text or table 四.",
        ),
        check_n304,
    ),
    Rule(
        "N305", "claim-all-concluded-but-pending", "warning",
        "正文称复议诉讼案件“均已结案”，但表四有尚未审结的案件",
        "The text says all reviews/lawsuits were concluded, but table 四 lists pending cases",
        doc(
            "在提到行政复议或行政诉讼的句子里写“均已结案”“均已审结”，而表四对应的“尚未审结”大于 0。",
            "尚未审结的案件不能算已结案。",
            """共有行政复议案件 2 件，均已结案。
表四  行政复议  尚未审结 1
→ warning[N305]: 正文称案件“均已结案”，但表四“尚未审结”为 1""",
            "改正文字或表四。",
            what_en="“均已结案” about reviews or lawsuits while 尚未审结 in table 四 is above 0.",
            why_en="Pending cases are not concluded.",
            fix_en="Fix the text or table 四.",
        ),
        check_n305,
    ),
]

RULES_BY_CODE = {r.code: r for r in RULES}
