"""Drawing a report's tables in the official template's layout (HTML).

Section 二 as its blocks, the section-三 table with its 申请人情况 header and merged
group labels, the 15-cell section-四 table; each cell shows the text as printed.
Cells, row headers and table headings that findings are about get an anchor and
marks (colour *and* border style, an icon and a text label).  Everything is drawn
from a FileResult's plain data (`tables`, `layout`, `template`): nothing is read
or parsed again here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterable, Mapping

from ..model import SEVERITY_RANK, Cell, FileResult, Finding, Table
from .html_words import CS2, CS3, ICONS, e, words

Address = tuple[str | None, str | None, str | None]  # (table, row, column)


@dataclass(slots=True)
class DrawContext:
    """State while rendering one file: anchors, findings by cell, which cells were drawn."""

    prefix: str
    lang: str
    w: dict
    tables: dict[str, Table] = field(default_factory=dict)  # the file's tables (FileResult.tables)
    source: dict[int, str] = field(default_factory=dict)  # the lines findings point at (FileResult.source)
    kind: str = "unknown"  # the template the report was read in (FileResult.template)
    finding_ids: list[str] = field(default_factory=list)
    by_addr: dict[Address, list[int]] = field(default_factory=dict)  # address → finding indexes
    addr_of: dict[int, Address] = field(default_factory=dict)
    ids: dict[Address, str] = field(default_factory=dict)
    drawn: set[Address] = field(default_factory=set)
    span_addr: dict[tuple[int, int], Address] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    template: Any = None  # the Template the tables were drawn in (None: no tables)
    fid_prefix: str = "f"
    placeholders: tuple[str, str] = ("", "")  # the drawn (absent, blank) placeholders in this language
    # Which rows to draw: None draws every table whole (a page of one report); otherwise
    # table → the row keys findings are about (None: the whole table); tables not named are left out.
    only: dict[str, set[str] | None] | None = None
    _texts: dict[int, str] = field(default_factory=dict)
    _notes: dict[int, tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.placeholders = _placeholders(self.w["absent"], self.w["blank"])

    def text(self, i: int) -> str:
        """Finding i's message in this language (rendered once: a marked cell and the list both show it)."""
        done = self._texts.get(i)
        if done is None:
            done = self._texts[i] = self.findings[i].text(self.lang)
        return done

    def note_texts(self, i: int) -> tuple[str, ...] | list[str]:
        """Finding i's notes in this language."""
        done = self._notes.get(i)
        return done if done is not None else self.findings[i].note_texts(self.lang)

    def use_stored(self, stored: Mapping[tuple[str, str], tuple[str, tuple[str, ...]]]) -> None:
        """Take the findings' texts stored with the result (`table_blob.stored_texts`, Chinese)."""
        if self.lang != "zh" or not stored:
            return
        for i, f in enumerate(self.findings):
            done = stored.get((f.fingerprint, f.code))
            if done is not None:
                self._texts[i], self._notes[i] = done

    def anchor(self, addr: Address) -> str:
        anchor = self.ids.get(addr)
        if anchor is None:
            anchor = self.ids[addr] = f"{self.prefix}-a{len(self.ids) + 1}"
        return anchor


_ADDRESSES: dict[Address, Address] = {}  # one tuple per address: a page of an archive keeps the anchors of thousands


def _address(table: str | None, row: str | None, column: str | None) -> Address:
    """The address (table, row, column), the same tuple every time (kept: one object, not one per report)."""
    addr = (table, row, column)
    done = _ADDRESSES.get(addr)
    if done is None:
        if len(_ADDRESSES) >= _ESCAPED_MAX:
            _ADDRESSES.clear()
        done = _ADDRESSES[addr] = addr
    return done


@lru_cache(maxsize=8)
def _placeholders(absent: str, blank: str) -> tuple[str, str]:
    return f'<span class="ph">{e(absent)}</span>', f'<span class="ph">{e(blank)}</span>'


_ESCAPED: dict[str, str] = {}  # cell text → escaped; cell texts repeat (numbers, blanks) over an archive
_ESCAPED_MAX = 50_000


def _esc(text: str) -> str:
    """e(text), remembered: a page of an archive draws hundreds of thousands of cells."""
    done = _ESCAPED.get(text)
    if done is None:
        if len(_ESCAPED) >= _ESCAPED_MAX:
            _ESCAPED.clear()
        done = _ESCAPED[text] = e(text)
    return done


def _worst(findings: Iterable[Finding]) -> str:
    return max((f.severity for f in findings), key=lambda s: SEVERITY_RANK[s])


def _wanted(ctx: DrawContext, tid: str) -> tuple[bool, set[str] | None]:
    """(draw this table at all, the rows to draw or None for all of them)."""
    if ctx.only is None:
        return True, None
    if tid not in ctx.only:
        return False, None
    return True, ctx.only[tid]


def index_findings(ctx: DrawContext, result: FileResult) -> None:
    """Give every finding an id and find the cell, row or table it is about."""
    if ctx.tables:
        for tid, table in ctx.tables.items():
            for rkey, row in table.rows.items():
                if row.span is not None:
                    ctx.span_addr.setdefault((row.span.line, row.span.col), _address(tid, rkey, None))
                for ckey, cell in row.cells.items():
                    if cell.span is not None:
                        ctx.span_addr[(cell.span.line, cell.span.col)] = _address(tid, rkey, ckey)
    for i, f in enumerate(ctx.findings):
        ctx.finding_ids.append(f"{ctx.prefix}-{ctx.fid_prefix}{i + 1}")
        addr: Address | None = None
        if f.table:
            addr = (f.table, f.row, f.column if f.row else None)
        elif f.span is not None:
            addr = ctx.span_addr.get((f.span.line, f.span.col))
        if addr is not None:
            ctx.addr_of[i] = addr
            ctx.by_addr.setdefault(addr, []).append(i)


def lead_finding(ctx: DrawContext, idx: list[int]) -> int:
    """The finding a marked cell links to: the most severe, then the first."""
    if len(idx) == 1:
        return idx[0]
    return max(idx, key=lambda i: (SEVERITY_RANK[ctx.findings[i].severity], -i))


_MARKS: dict[tuple, tuple[str, str]] = {}  # (findings by severity, language) → `marks`


def marks(ctx: DrawContext, idx: list[int]) -> tuple[str, str]:
    """(css classes, inner html) marking a cell or header that has findings."""
    findings = ctx.findings
    key = (ctx.lang, *(findings[i].severity for i in idx))
    done = _MARKS.get(key)
    if done is None:
        if len(_MARKS) >= _ESCAPED_MAX:
            _MARKS.clear()
        done = _MARKS[key] = _marks(ctx, [findings[i] for i in idx])
    return done


def _marks(ctx: DrawContext, fs: list[Finding]) -> tuple[str, str]:
    worst = _worst(fs)
    badges = []
    for sev in ("error", "warning", "info"):
        n = sum(1 for f in fs if f.severity == sev)
        if n:
            label = ctx.w[sev] + (f" ×{n}" if n > 1 else "")
            badges.append(
                f'<span class="mk mk-{sev}"><span aria-hidden="true">{ICONS[sev]}</span>'
                f'<span class="vh"> {e(label)}</span></span>'
            )
    return f"hit sev-{worst}", "".join(badges)


def _plain_cell(ctx: DrawContext, cell: Cell | None) -> tuple[str, str]:
    """(css classes, inner html) of a cell without marks."""
    if cell is None:
        return "c absent", ctx.placeholders[0]
    if cell.kind == "unread" and not cell.raw.strip():  # not read (run-together digits left undecided): not a blank cell
        return "c absent k-unread", ctx.placeholders[0]
    if cell.kind == "blank" or not cell.raw.strip():
        return "c blank", ctx.placeholders[1]
    return f"c k-{cell.kind}", f'<span class="raw">{_esc(cell.raw)}</span>'


_TD: dict[tuple, str] = {}  # (kind, raw, attributes, placeholders) → a plain cell's `<td>` after its id


def _td_rest(ctx: DrawContext, cell: Cell | None, attr: str) -> str:
    """` class="…"{attr}>…</td>` of a cell without marks, remembered (cells repeat over an archive)."""
    key = (cell.kind, cell.raw, attr, ctx.placeholders) if cell is not None else (None, None, attr, ctx.placeholders)
    done = _TD.get(key)
    if done is None:
        if len(_TD) >= _ESCAPED_MAX:
            _TD.clear()
        classes, text = _plain_cell(ctx, cell)
        done = _TD[key] = f' class="{classes}"{attr}>{text}</td>'
    return done


def _row_tds(ctx: DrawContext, table: str, row: str, columns: Iterable[str], attrs: list[str] | None = None) -> str:
    """The cells of one row, as `_cell_td` draws each (`attrs` by column), the row looked up once."""
    t = ctx.tables.get(table)
    r = t.rows.get(row) if t is not None else None
    cells = r.cells if r else {}
    by_addr, drawn, ids, prefix = ctx.by_addr, ctx.drawn, ctx.ids, ctx.prefix
    out = []
    for i, column in enumerate(columns):
        attr = attrs[i] if attrs else ""
        addr = _address(table, row, column)
        if by_addr.get(addr):  # marked: the full drawing
            out.append(_cell_td(ctx, table, row, column, attr))
            continue
        drawn.add(addr)
        anchor = ids.get(addr)
        if anchor is None:
            anchor = ids[addr] = f"{prefix}-a{len(ids) + 1}"
        out.append(f'<td id="{anchor}"{_td_rest(ctx, cells.get(column), attr)}')
    return "".join(out)


def _cell_td(ctx: DrawContext, table: str, row: str, column: str, attrs: str = "") -> str:
    addr = _address(table, row, column)
    ctx.drawn.add(addr)
    ids = ctx.ids
    anchor = ids.get(addr)
    if anchor is None:
        anchor = ids[addr] = f"{ctx.prefix}-a{len(ids) + 1}"
    t = ctx.tables.get(table)
    classes, text = _plain_cell(ctx, t.cell(row, column) if t is not None else None)
    idx = ctx.by_addr.get(addr)
    if not idx:
        return f'<td id="{anchor}" class="{classes}"{attrs}>{text}</td>'
    hit_cls, badges = marks(ctx, idx)
    classes += " " + hit_cls
    lead = lead_finding(ctx, idx)
    first = ctx.findings[lead]
    exp = ""
    expected = next((ctx.findings[i].expected for i in idx if ctx.findings[i].expected is not None), None)
    if expected is not None:
        exp = f'<span class="exp">{e(ctx.w["expected"])} {e(expected)}</span>'
    title = ctx.text(idx[0]) if len(idx) == 1 else " / ".join(ctx.text(i) for i in idx)
    return (
        f'<td id="{anchor}" class="{classes}"{attrs}>'
        f'<a class="go" href="#{ctx.finding_ids[lead]}" title="{e(title)}" '
        f'aria-label="{e(ctx.w[first.severity])}: {e(ctx.text(lead))}">{badges}{text}{exp}</a></td>'
    )


def _row_th(ctx: DrawContext, table: str, row: str | None, label: str, attrs: str = "", scope: str = "row") -> str:
    """A row header; it carries an anchor (and marks) for findings about the whole row."""
    addr = _address(table, row, None)
    ctx.drawn.add(addr)
    anchor = ctx.anchor(addr)
    idx = ctx.by_addr.get(addr)
    if not idx:
        return f'<th id="{anchor}" scope="{scope}"{attrs}>{_esc(label)}</th>'
    hit_cls, badges = marks(ctx, idx)
    return (
        f'<th id="{anchor}" scope="{scope}" class="{hit_cls}"{attrs}>'
        f'<a class="go" href="#{ctx.finding_ids[lead_finding(ctx, idx)]}">{badges}{_esc(label)}</a></th>'
    )


def _table_heading(ctx: DrawContext, tid: str, title: str) -> str:
    addr = _address(tid, None, None)
    ctx.drawn.add(addr)
    anchor = ctx.anchor(addr)
    idx = ctx.by_addr.get(addr)
    if not idx:
        return f'<h3 id="{anchor}">{_esc(title)}</h3>'
    hit_cls, badges = marks(ctx, idx)
    return f'<h3 id="{anchor}" class="{hit_cls}"><a class="go" href="#{ctx.finding_ids[lead_finding(ctx, idx)]}">{badges}{_esc(title)}</a></h3>'


def _table_notes(ctx: DrawContext, tid: str, known_rows: set[str]) -> str:
    """Notes under a table: truncated, rows the template does not have."""
    table = ctx.tables.get(tid)
    if table is None:
        return ""
    out = []
    if table.truncated:
        out.append(f'<p class="note">{_esc(ctx.w["truncated"])}</p>')
    extra = [r for k, r in table.rows.items() if k not in known_rows] + list(table.unmatched)
    if extra:
        items = []
        for r in extra:
            cells = " | ".join(c.raw for c in r.cells.values())
            where = f' <span class="ln">({_esc(ctx.w["line"].format(n=r.line))})</span>' if r.line else ""
            items.append(f"<li><b>{_esc(r.label)}</b>{(': ' + e(cells)) if cells else ''}{where}</li>")
        out.append(f'<details class="extra"><summary>{_esc(ctx.w["extra_rows"])} ({len(extra)})</summary><ul>{"".join(items)}</ul></details>')
    return "".join(out)


def _missing_table(ctx: DrawContext, tid: str, title: str) -> str:
    return f'<section class="tbl">{_table_heading(ctx, tid, title)}<p class="note">{_esc(ctx.w["table_missing"])}</p></section>'


def _wrap(ctx: DrawContext, tid: str, title: str, table_html: str, notes: str) -> str:
    return (
        f'<section class="tbl">{_table_heading(ctx, tid, title)}'
        f'<div class="scroll" role="region" tabindex="0" aria-label="{_esc(title)}">{table_html}</div>{notes}</section>'
    )


def _table2(ctx: DrawContext) -> str:
    tid = "二"
    title = ctx.w["t2"]
    draw, want = _wanted(ctx, tid)
    if not draw:
        return ""
    if tid not in ctx.tables:
        return _missing_table(ctx, tid, title)
    tpl = ctx.template
    width = max(len(b.columns) for b in tpl.blocks)
    parts = [f'<table class="t t2" lang="zh-CN"><caption class="vh">{_esc(title)}</caption>']
    known: set[str] = set()
    for b in tpl.blocks:
        known.update(r.key for r in b.rows)
        rows = b.rows if want is None else [r for r in b.rows if r.key in want]
        if not rows:
            continue
        parts.append("<tbody>")
        parts.append(
            f'<tr class="cap"><th scope="colgroup" colspan="{width + 1}">{_esc(ctx.w["item"].format(item=b.item))}</th></tr>'
        )
        heads = [f'<th scope="col">{_esc(ctx.w["info_content"])}</th>']
        spans = []
        for j, col in enumerate(b.columns):
            span = width - len(b.columns) + 1 if j == len(b.columns) - 1 else 1
            spans.append(span)
            label = col.key + (ctx.w["unit"].format(unit=col.unit) if col.unit else "")
            cs = f' colspan="{span}"' if span > 1 else ""
            heads.append(f'<th scope="col"{cs}>{_esc(label)}</th>')
        parts.append(f'<tr class="hd">{"".join(heads)}</tr>\n')
        span_attrs = [f' colspan="{span}"' if span > 1 else "" for span in spans]
        for r in rows:
            th = _row_th(ctx, tid, r.key, r.label)
            parts.append(f"<tr>{th}{_row_tds(ctx, tid, r.key, [col.key for col in b.columns], span_attrs)}</tr>\n")
        parts.append("</tbody>")
    parts.append("</table>")
    return _wrap(ctx, tid, title, "".join(parts), _partial_note(ctx, want) + _table_notes(ctx, tid, known))


def _row3_cells(ctx: DrawContext, row: str, columns: list[str]) -> str:
    return _row_tds(ctx, "三", row, columns)


_HEAD3: dict[str, str] = {}  # language → the section-三 table's column headings


@lru_cache(maxsize=16)
def _block3(rows3: tuple[str, ...]) -> list[tuple[str, tuple[str, ...]]]:
    """The 三 block of a template's rows: plain rows and groups (（三）…（六） with their items), in order."""
    block: list[tuple[str, list[str]]] = []  # (group key or row key, items)
    for k in rows3:
        if not k.startswith("三."):
            continue
        parts = k.split(".")
        if len(parts) == 3:
            g = ".".join(parts[:2])
            if not block or block[-1][0] != g or not block[-1][1]:
                block.append((g, []))
            block[-1][1].append(k)
        else:
            block.append((k, []))
    return [(g, tuple(items)) for g, items in block]


@lru_cache(maxsize=1024)
def _plan3(rows3: tuple[str, ...], subtotals: frozenset[str], want: frozenset[str] | None,
           lang: str) -> tuple[tuple[tuple[str, str, str, str], ...], frozenset[str]]:
    """The section-三 rows to draw, in order, as (row key, the headers before its own, its
    label, its header's attributes), and the rows the template knows (the rest are listed
    under the table).  The same for every report of a template drawn with the same rows."""
    from ..templates import common

    w = words(lang)
    com = common()
    label = lambda k: com.rows3[k].label if k in com.rows3 else k  # noqa: E731
    block = _block3(rows3)
    # the rows drawn under each group (a plain row: none); with `want`, only the rows findings are about
    drawn_block: list[tuple[str, list[str] | None]] = []
    for g, items in block:
        if not items:
            if want is None or g in want:
                drawn_block.append((g, None))
            continue
        rows_here = [g, *items] if g in subtotals else list(items)
        if want is not None:
            rows_here = [k for k in rows_here if k in want]
        if rows_here:
            drawn_block.append((g, rows_here))
    n_block = sum(len(rows_here) if rows_here is not None else 1 for _, rows_here in drawn_block)

    plan: list[tuple[str, str, str, str]] = []
    first_in_block = True
    for k in rows3:
        if k.startswith("三."):
            break
        if want is None or k in want:
            plan.append((k, "", label(k), CS3))
    for g, rows_here in drawn_block:
        lead = ""
        if first_in_block:
            lead = f'<th scope="rowgroup" rowspan="{n_block}" class="vert">{_esc(w["results3"])}</th>'
            first_in_block = False
        if rows_here is None:
            plan.append((g, lead, label(g), CS2))
            continue
        gth = f'<th scope="rowgroup" rowspan="{len(rows_here)}" class="grp">{_esc(label(g))}</th>'
        for i, k in enumerate(rows_here):
            plan.append((k, (lead + gth) if i == 0 else "", w["subtotal"] if k == g else label(k), ""))
            lead = ""
    after = False
    for k in rows3:
        if k.startswith("三."):
            after = True
            continue
        if after and (want is None or k in want):
            plan.append((k, "", label(k), CS3))
    return tuple(plan), frozenset(rows3) | subtotals


def _table3(ctx: DrawContext) -> str:
    from ..templates import common

    tid = "三"
    title = ctx.w["t3"]
    draw, want = _wanted(ctx, tid)
    if not draw:
        return ""
    if tid not in ctx.tables:
        return _missing_table(ctx, tid, title)
    com = common()
    table = ctx.tables[tid]
    rows3 = ctx.template.rows3
    # A report in an unknown format may carry either form of （六）.
    if ctx.kind not in ("2019", "2021"):
        has_leaves = any(k.startswith("三.六.") for k in table.rows)
        if "三.六" in table.rows and not has_leaves and "三.六" not in rows3:
            rows3 = [k for k in rows3 if not k.startswith("三.六.")]
            rows3.insert(rows3.index("三.七"), "三.六")
            rows3 = tuple(rows3)
    cols = com.columns3
    head = _HEAD3.get(ctx.lang)
    if head is None:  # the same words for every report in this language
        head = _HEAD3[ctx.lang] = (
            "<thead>"
            f'<tr><td class="corner" colspan="3" rowspan="3">{_esc(ctx.w["corner"])}</td>'
            f'<th scope="colgroup" colspan="{len(cols)}">{_esc(ctx.w["applicants"])}</th></tr>'
            f'<tr><th scope="col" rowspan="2">{_esc(cols[0])}</th>'
            f'<th scope="colgroup" colspan="{len(cols) - 2}">{_esc(ctx.w["legal_persons"])}</th>'
            f'<th scope="col" rowspan="2">{_esc(cols[-1])}</th></tr>'
            "<tr>" + "".join(f'<th scope="col">{_esc(c)}</th>' for c in cols[1:-1]) + "</tr>"
            "</thead>"
        )
    subtotals = frozenset(g for g, items in _block3(rows3) if items and g in table.rows)
    plan, known = _plan3(rows3, subtotals, None if want is None else frozenset(want), ctx.lang)
    body = ["<tbody>"]
    for k, pre, text, attrs in plan:
        body.append(f"<tr>{pre}{_row_th(ctx, tid, k, text, attrs)}{_row3_cells(ctx, k, cols)}</tr>\n")
    body.append("</tbody>")
    html = f'<table class="t t3" lang="zh-CN"><caption class="vh">{_esc(title)}</caption>{head}{"".join(body)}</table>'
    return _wrap(ctx, tid, title, html, _partial_note(ctx, want) + _table_notes(ctx, tid, known))


def _table4(ctx: DrawContext) -> str:
    from ..templates import common

    tid = "四"
    title = ctx.w["t4"]
    if not _wanted(ctx, tid)[0]:
        return ""  # its one row of cells is drawn whole when a finding is about it
    if tid not in ctx.tables:
        return _missing_table(ctx, tid, title)
    com = common()
    rows, cols = com.rows4, com.columns4
    n = len(cols)
    review = _row_th(ctx, tid, rows[0], ctx.w["review"], f' colspan="{n}"', scope="colgroup")
    head = (
        "<thead>"
        f"<tr>{review}"
        f'<th scope="colgroup" colspan="{n * (len(rows) - 1)}">{_esc(ctx.w["litigation"])}</th></tr>'
        "<tr>"
        + "".join(f'<th scope="col" rowspan="2">{_esc(c)}</th>' for c in cols)
        + "".join(_row_th(ctx, tid, r, r, f' colspan="{n}"', scope="colgroup") for r in rows[1:])
        + "</tr><tr>"
        + "".join(f'<th scope="col">{_esc(c)}</th>' for r in rows[1:] for c in cols)
        + "</tr></thead>"
    )
    body = "<tbody><tr>" + "".join(_row_tds(ctx, tid, r, cols) for r in rows) + "</tr></tbody>"
    html = f'<table class="t t4" lang="zh-CN"><caption class="vh">{_esc(title)}</caption>{head}{body}</table>'
    return _wrap(ctx, tid, title, html, _table_notes(ctx, tid, set(rows)))


def _partial_note(ctx: DrawContext, want: set[str] | None) -> str:
    """Under a table drawn in part: only the rows findings are about are shown."""
    return "" if want is None else f'<p class="note">{_esc(ctx.w["only_rows"])}</p>'


def draw_tables(ctx: DrawContext) -> str:
    """The file's tables; what they draw is noted in `ctx.drawn` (cells, rows and tables)."""
    ctx.ids.clear()
    ctx.drawn.clear()
    return f'<div class="tables">{_table2(ctx)}{_table3(ctx)}{_table4(ctx)}</div>'


def move_to_drawn(ctx: DrawContext) -> bool:
    """Move each finding about something not drawn to its drawn row, else its table; True when one moved."""
    moved: dict[Address, list[int]] = {}
    changed = False
    for addr, idx in ctx.by_addr.items():
        table, row, _ = addr
        for candidate in (addr, (table, row, None), (table, None, None)):
            if candidate in ctx.drawn:
                break
        else:
            candidate = addr
        changed = changed or candidate != addr
        moved.setdefault(candidate, []).extend(idx)
        for i in idx:
            ctx.addr_of[i] = candidate
    ctx.by_addr = {a: sorted(i) for a, i in moved.items()}
    return changed
