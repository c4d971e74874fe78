"""N101–N103: a number in the prose against the table cell it speaks of.

Claims come from claims.py (the phrase table read in context), their cells and
best-known values from cells.py.  A claim agrees when it equals any alternative
reading of its quantity; it is reported when it equals none, and only against a
table that keeps its relations or whose wrong cell error localisation found.  A
prose number equal to a localised correction agrees: it is evidence for the
correction, not something to change.
"""

from __future__ import annotations

from typing import Iterator

from ...messages import Message
from ...model import Finding, Report
from ..base import CheckContext, Rule
from ..prose import Prose, fmt_number
from . import cells as C
from .claims import Claim, extract

# the last prose's claims, as one (prose, claims) tuple replaced whole
_CLAIMS: tuple[Prose | None, list[Claim]] = (None, [])


def claims_of(report: Report, prose: Prose) -> list[Claim]:
    """The claims of a report's prose (computed once, shared by N101–N103)."""
    global _CLAIMS
    held = _CLAIMS
    if held[0] is prose:
        return held[1]
    out = extract(report, prose)
    _CLAIMS = (prose, out)
    return out


def agrees(report: Report, claim: Claim, reading: C.Reading) -> bool:
    q = claim.quantity
    if q.money:
        cells = reading.cells
        return len(cells) == 1 and C.money_matches(claim.stated, claim.unit, cells[0].value,
                                                  C.cell_money_units(report, cells[0]))
    return claim.stated == reading.value


def readings(report: Report, ctx: CheckContext, claim: Claim,
             memo: dict | None = None) -> list[C.Reading]:
    """The alternatives of the claim's quantity that the tables can answer (`memo`: the
    readings already worked out in this pass, by alternative)."""
    out = []
    for alt in claim.quantity.cells:
        if memo is None:
            got = C.reading(report, ctx, alt)
        elif alt in memo:
            got = memo[alt]
        else:
            got = memo[alt] = C.reading(report, ctx, alt)
        if got is not None:
            out.append(got)
    return out


def check_counts(report: Report, ctx: CheckContext, prose: Prose, rule: Rule) -> Iterator[Finding]:
    from .statements import unfilled

    empty = unfilled(report, prose) if rule.code == "N101" else {}  # N306 says it once for the whole table
    memo: dict = {}  # several sentences often state the same cells
    for claim in claims_of(report, prose):
        q = claim.quantity
        if q.code != rule.code or q.table in empty:
            continue
        available = readings(report, ctx, claim, memo)
        if not available or any(agrees(report, claim, r) for r in available):
            continue
        yield _finding(report, ctx, prose, rule, claim, available)


def _finding(report: Report, ctx: CheckContext, prose: Prose, rule: Rule, claim: Claim,
             available: list[C.Reading]) -> Finding:
    q = claim.quantity
    first = available[0]
    cells = first.cells
    value = first.value
    span = prose.span(claim.n_start, claim.unit_end)
    quote = prose.quote(span)
    t, r, c = C.address(cells)
    if q.money:
        units = C.cell_money_units(report, cells[0])
        expected = f"{fmt_number(value)}{units[0] if len(units) == 1 else ''}"
    else:
        expected = fmt_number(value)
    shown = [x for x in cells if x.value] if len(cells) > 4 else cells
    parts = " + ".join(f"{C.row_label(report, x.table, x.row)}/{x.column} {fmt_number(x.value)}" for x in shown) or "0"
    table_note = "N1-table-rest" if len(shown) < len(cells) else "N1-table"
    notes: list[Message] = [ctx.msg(table_note, parts=parts, expected=expected)]
    for x in cells:
        if x.basis == "derived":
            notes.append(ctx.msg("N1-derived", row=C.row_label(report, x.table, x.row), value=fmt_number(x.value)))
        elif x.basis == "localised" and x.cell.kind == "blank":
            notes.append(ctx.msg("N1-localised-blank", row=C.row_label(report, x.table, x.row), column=x.column,
                                 value=fmt_number(x.value)))
        elif x.basis == "localised":
            notes.append(ctx.msg("N1-localised", row=C.row_label(report, x.table, x.row), column=x.column,
                                 printed=x.cell.raw, value=fmt_number(x.value)))
    others = list(dict.fromkeys(fmt_number(a.value) for a in available[1:]))
    others = [v for v in others if v != fmt_number(value)]
    if others:
        notes.append(ctx.msg("N1-others", values=others))
    severity = None
    if first.positional:
        severity = "info"
        notes.append(ctx.msg("N1-position"))
    notes.append(ctx.msg("N1-basis", id=q.id))
    f = ctx.finding(rule, ctx.msg("N1-differs", name=Message(q.name_id), quote=quote, table=q.table, expected=expected),
                    span=span, table=t, row=r, column=c, expected=expected,
                    related=C.related_cells(report, cells), notes=notes, severity=severity)
    f.stated = quote
    return f
