"""HTML report: one self-contained page (inline CSS and JS, nothing fetched).

The page layout lives here: the summary, the table of contents, one section per
file with its tables (drawn by `html_tables.py`) and its findings, each with its
message, stated and expected value and notes, linked to its cell and back.
Findings that are not about a cell (narrative sentences, missing sections) quote
the line of the document (`FileResult.source`) with the span underlined.  The
words are in `html_words.py`; the style sheet and the script are static files
(`static/report.css`, `static/report.js`), put inline into the page.

A page of one report draws its three tables whole.  A page of several reports
(an archive) is for finding the reports that need work: it shows only the reports
with findings (or not checked), and draws only the rows of their tables that
findings are about (with the column headings); the reports without findings are
listed by name at the end.  Drawing every table of every report made pages of
tens of megabytes that a browser opens slowly and a reader has to scroll through.

`HtmlRenderer` follows the Renderer protocol (results in, one page out at
`finish`); `render_html(results)` does the same in one call, for the web page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from typing import Iterable

from ..messages import text
from ..model import FileResult, Span
from ..table_blob import rows_with_findings, some_rows, stored_texts
from ..templates import load_template
from .base import Renderer, RenderOptions, Summary
from .html_tables import (
    Address,
    DrawContext,
    _esc,
    draw_tables,
    index_findings,
    lead_finding,
    marks,
    move_to_drawn,
)
from .html_words import ICONS, e, template_name, words


# --------------------------------------------------------------------------- one file

@dataclass(slots=True)
class RenderedFile:
    """One file's part of the page, rendered as soon as the result arrives.

    The anchors of its drawn cells stay (not the Report, nor the drawing's other
    state), so that cross-year findings reported after all files (`FileResult.extra`)
    can join this section and link to its cells.  A clean report listed by name only
    keeps nothing else (a page of an archive holds thousands).
    """

    anchor: str
    path: str
    status: str
    counts: dict[str, int] | None  # by severity (None: a report listed by name only, no findings)
    meta: str  # file, template, year, agency (shown in the summary when there is one file)
    tables: str
    findings: str  # the findings list (or the "no findings" line)
    anchors: tuple | None = None  # (template, span → address, address → anchor, drawn addresses) of the drawing
    extra: list[str] | None = None  # cross-year findings, rendered
    clean: bool = False  # no findings of its own
    shown: bool = True  # has a section on the page (a clean report among several is only listed)

    @property
    def head(self) -> str:
        """Section start and file name."""
        p = self.anchor
        return f'<section class="report" id="{p}" aria-labelledby="{p}-h">\n<h2 id="{p}-h"><span class="path">{e(self.path)}</span></h2>'

    def html(self, with_meta: bool = True, lang: str = "zh") -> str:
        w = words(lang)
        parts = [self.head]
        if with_meta:
            parts.append(self.meta + _counts(w, self.counts))
        parts.append(self.tables)
        p = self.anchor
        parts.append(f'<section class="findings" aria-labelledby="{p}-fh"><h3 id="{p}-fh">{e(w["findings"])}</h3>')
        if not (self.extra and self.clean):
            parts.append(self.findings)
        if self.extra:
            parts.append(f'<h4 id="{p}-yh">{e(w["crossyear"])}</h4><ol class="flist">\n' + "\n".join(self.extra) + "\n</ol>")
        parts.append("</section></section>")
        return "\n".join(x for x in parts if x)


def _quote(ctx: DrawContext, span: Span) -> str:
    line = ctx.source.get(span.line, "")
    if not line:
        return ""
    a = max(0, span.col - 1)
    b = max(a, min(len(line), span.end_col - 1))
    marked = e(line[:a]) + f'<span class="u">{e(line[a:b])}</span>' + e(line[b:])
    return (
        f'<figure class="quote"><figcaption>{e(ctx.w["quote"])} · {e(ctx.w["line"].format(n=span.line))}</figcaption>'
        f'<blockquote lang="zh-CN">{marked}</blockquote></figure>'
    )


_DESCRIBED: dict[tuple, str] = {}  # (address, language, template) → `_describe`


def _describe(ctx: DrawContext, addr: Address) -> str:
    """Where a finding is, in words: the table, the row's label, the column."""
    key = (addr, ctx.lang, ctx.template.id if ctx.template is not None else None)
    done = _DESCRIBED.get(key)
    if done is None:
        if len(_DESCRIBED) >= 10_000:
            _DESCRIBED.clear()
        done = _DESCRIBED[key] = _describe_new(ctx, addr)
    return done


def _describe_new(ctx: DrawContext, addr: Address) -> str:
    from ..templates import common

    table, row, column = addr
    parts = [ctx.w["table_short"].get(table or "", table or "")]
    if row:
        label = row
        if table == "三" and row in common().rows3:
            label = common().rows3[row].label
        elif table == "二" and ctx.template is not None:
            for b in ctx.template.blocks:
                for r in b.rows:
                    if r.key == row:
                        label = f"{ctx.w['item'].format(item=b.item)} {r.label}"
        parts.append(label)
    if column:
        parts.append(column)
    return " · ".join(p for p in parts if p)


def _finding(ctx: DrawContext, i: int) -> str:
    f = ctx.findings[i]
    w = ctx.w
    fid = ctx.finding_ids[i]
    addr = ctx.addr_of.get(i)
    cell_anchor = ctx.ids.get(addr) if addr is not None and addr in ctx.drawn else None
    related_ids = []
    rel_items = []
    span_addr, drawn, ids, lang = ctx.span_addr, ctx.drawn, ctx.ids, ctx.lang
    for r in f.related:  # (often dozens: the parts of the relations a cell breaks)
        rid = None
        span = r.span
        if span is not None and not r.path:
            raddr = span_addr.get(span[:2])
            if raddr is not None and raddr in drawn:
                rid = ids.get(raddr)
        label = r.label if type(r.label) is str else text(r.label, lang)
        if not label and span:
            label = w["line"].format(n=span.line)
        if r.path:
            label = f"{label} ({r.path})"
        if rid:
            related_ids.append(rid)
            rel_items.append(f'<li><a href="#{rid}">{_esc(label)}</a></li>')
        elif label:
            rel_items.append(f"<li>{_esc(label)}</li>")
    data_rel = f' data-related="{" ".join(related_ids)}"' if related_ids else ""
    out = [f'<li id="{fid}" class="finding sev-{f.severity}"{data_rel}>']
    # the kebab-case rule name is English: the Chinese page leaves it out (the code links the rule)
    name = f' <span class="name">{e(f.name)}</span>' if ctx.lang == "en" else ""
    out.append(
        f'<div class="fh"><span class="badge sev-{f.severity}"><span aria-hidden="true">{ICONS[f.severity]}</span> '
        f'{e(w[f.severity])}</span> <code class="code">{e(f.code)}</code>{name}</div>'
    )
    out.append(f'<p class="msg">{e(ctx.text(i))}</p>')
    kv = []
    where = []
    if addr is not None and addr[0]:
        where.append(_describe(ctx, addr))
    loc = f.location
    if loc is not None:
        where.append(loc.context or w["line_col"].format(n=loc.line, c=loc.column))
    if where:
        kv.append(f"<dt>{e(w['where'])}</dt><dd>{e(' — '.join(where))}</dd>")
    if f.table and f.row and f.column or f.stated is not None or f.expected is not None:
        stated = f.stated if f.stated is not None else f"（{w['blank']}）" if ctx.lang != "en" else f"({w['blank']})"
        kv.append(f"<dt>{e(w['stated'])}</dt><dd class=\"stated\">{e(stated)}</dd>")
    if f.expected is not None:
        kv.append(f"<dt>{e(w['expected'])}</dt><dd class=\"expected\">{e(f.expected)}</dd>")
    if kv:
        out.append(f'<dl class="kv">{"".join(kv)}</dl>')
    if f.notes:
        out.append(f'<ul class="notes" aria-label="{e(w["notes"])}">' + "".join(f"<li>{e(n)}</li>" for n in ctx.note_texts(i)) + "</ul>")
    if rel_items:
        out.append(f'<div class="rel"><span>{e(w["related"])}{w["colon"]}</span><ul>{"".join(rel_items)}</ul></div>')
    if cell_anchor is None and f.span is not None:
        out.append(_quote(ctx, f.span))
    if cell_anchor is not None:
        out.append(f'<a class="back" href="#{cell_anchor}">{e(w["to_cell"])}</a>')
    out.append("</li>")
    return "".join(out)


def _meta(w: dict, result: FileResult, lang: str) -> str:
    items = [
        (w["file"], f'<span class="path">{e(result.path)}</span>'),
        (w["template"], e(template_name(result.template, lang))),
        (w["year"], e(result.year) if result.year is not None else e(w["none"])),
        (w["agency"], e(result.agency) if result.agency else e(w["none"])),
    ]
    dl = "".join(f"<div><dt>{k}</dt><dd>{v}</dd></div>" for k, v in [(e(a), b) for a, b in items])
    return f'<dl class="meta">{dl}</dl>'


def _counts(w: dict, counts: dict[str, int]) -> str:
    cells = "".join(
        f'<li class="cnt sev-{s}"><span aria-hidden="true">{ICONS[s]}</span> {e(w[s + "s"])} <b>{counts.get(s, 0)}</b></li>'
        for s in ("error", "warning", "info")
    )
    return f'<ul class="counts">{cells}</ul>'


def render_file(result: FileResult, index: int, lang: str = "zh", several: bool = False) -> RenderedFile:
    """Render one file's section of the page (`several`: on a page of several reports, see the module docstring)."""
    prefix = f"r{index}"
    if several and result.status == "checked" and not result.findings:  # listed by name only
        return RenderedFile(prefix, result.path, result.status, None, "", "", "", clean=True, shown=False)
    w = words(lang)
    if several:  # only the rows findings are about are drawn: only those are read (from the cache: decoded)
        only = rows_with_findings(result.findings)
        tables = some_rows(result.tables, only)
        has_tables = bool(tables) or bool(only and result.tables)
    else:
        only, tables = None, dict(result.tables)
        has_tables = bool(tables)
    ctx = DrawContext(prefix=prefix, lang=lang, w=w, tables=tables, source=result.source, kind=result.template,
               findings=list(result.findings), only=only)
    ctx.use_stored(stored_texts(result.tables))  # (from the cache: the texts as rendered when the result was made)
    index_findings(ctx, result)
    out: list[str] = []
    if result.status != "checked":
        status = w["status_error"] if result.status == "error" else w["status_skipped"]
        out.append(
            f'<div class="skip" role="note"><p><b>{e(w["not_checked"])}</b>{e(w["paren"].format(status))}</p>'
            f'<p>{e(w["reason"])}{w["colon"]}{e(result.reason_text(lang) or w["unknown"])}</p></div>'
        )
    if has_tables:
        ctx.template = load_template(result.layout or "2021")
        # Drawing learns which cells, rows and tables are drawn; a finding about something
        # not drawn (a row the template lacks) moves to its row or table, and the tables
        # are drawn again with it there.  Most often nothing moves: one drawing.
        drawn = draw_tables(ctx)
        if ctx.by_addr and move_to_drawn(ctx):
            drawn = draw_tables(ctx)
        out.append(drawn)
    if ctx.findings:
        findings = '<ol class="flist">\n' + "\n".join(_finding(ctx, i) for i in range(len(ctx.findings))) + "\n</ol>"
    else:
        findings = f'<p class="clean">✔ {e(w["no_findings"])}</p>'
    return RenderedFile(
        prefix, result.path, result.status, result.counts(), _meta(w, result, lang), "\n".join(out), findings,
        (ctx.template, ctx.span_addr, ctx.ids, ctx.drawn), clean=not result.findings,
    )


def add_crossyear(rendered: RenderedFile, result: FileResult, lang: str = "zh") -> None:
    """Add a cross-year block's findings (`FileResult.extra`) to the file's section, linked to its cells."""
    w = words(lang)
    if rendered.anchors is None:  # a report listed by name only (no findings of its own on a page of several): now shown
        rendered.anchors = (None, {}, {}, set())
        rendered.meta = _meta(w, result, lang)
        rendered.findings = f'<p class="clean">✔ {e(w["no_findings"])}</p>'
        rendered.shown = True
    if rendered.counts is None:
        rendered.counts = {"error": 0, "warning": 0, "info": 0}
    if rendered.extra is None:
        rendered.extra = []
    ctx = DrawContext(prefix=rendered.anchor, lang=lang, w=w, findings=list(result.findings))
    ctx.fid_prefix = f"y{len(rendered.extra) + 1}-"
    ctx.template, ctx.span_addr, ctx.ids, ctx.drawn = rendered.anchors
    index_findings(ctx, result)
    move_to_drawn(ctx)
    rendered.extra.extend(_finding(ctx, i) for i in range(len(ctx.findings)))
    for sev, n in result.counts().items():
        rendered.counts[sev] += n
    # mark the cells these findings are about (cells that have no marks of their own yet)
    for addr, idx in ctx.by_addr.items():
        anchor = ctx.ids.get(addr) if addr in ctx.drawn else None
        if anchor is None:
            continue
        m = re.search(rf'<td id="{anchor}" class="([^"]*)"([^>]*)>(.*?)</td>', rendered.tables)
        if m is None or "hit" in m.group(1).split():
            continue
        hit_cls, badges = marks(ctx, idx)
        lead = lead_finding(ctx, idx)
        f = ctx.findings[lead]
        exp = f'<span class="exp">{e(ctx.w["expected"])} {e(f.expected)}</span>' if f.expected is not None else ""
        td = (
            f'<td id="{anchor}" class="{m.group(1)} {hit_cls}"{m.group(2)}>'
            f'<a class="go" href="#{ctx.finding_ids[lead]}" title="{e(ctx.text(lead))}" '
            f'aria-label="{e(ctx.w[f.severity])}: {e(ctx.text(lead))}">{badges}{m.group(3)}{exp}</a></td>'
        )
        rendered.tables = rendered.tables[: m.start()] + td + rendered.tables[m.end() :]


# --------------------------------------------------------------------------- page

def _static(name: str) -> str:
    """A file of the page's static part (package data: gov_lint/output/static/)."""
    return resources.files(__package__).joinpath("static", name).read_text(encoding="utf-8")


CSS = "\n" + _static("report.css")
JS = "\n" + _static("report.js")


def render_page(files: list[RenderedFile], summary: Summary, options: RenderOptions, banner: str = "") -> str:
    """The whole page around the rendered files.  `banner` is trusted HTML put above the summary."""
    lang = "en" if options.lang == "en" else "zh"
    w = words(lang)
    html_lang = "en" if lang == "en" else "zh-CN"
    counts = {"error": summary.errors, "warning": summary.warnings, "info": summary.infos}
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{html_lang}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="gov-lint">',
        f"<title>{e(w['title'])}</title><style>{CSS}</style></head><body><main>",
        banner,
        f"<h1>{e(w['title'])}</h1>",
    ]
    # Summary: one file → its own meta; several → the totals.
    out.append(f'<section class="box summary" aria-labelledby="sum-h"><h2 id="sum-h">{e(w["summary"])}</h2>')
    if len(files) == 1:
        out.append(files[0].meta + _counts(w, files[0].counts))
    else:
        out.append(
            f'<dl class="meta"><div><dt>{e(w["files"])}</dt><dd>{summary.files}</dd></div>'
            f'<div><dt>{e(w["checked"])}</dt><dd>{summary.checked}</dd></div>'
            f'<div><dt>{e(w["skipped"])}</dt><dd>{summary.skipped}</dd></div></dl>'
        )
        out.append(_counts(w, counts))
    out.append(f'<p class="legend"><b>{e(w["legend"])}{w["colon"]}</b>{e(w["legend_text"])}</p>')
    boxes = "".join(
        f'<label><input type="checkbox" value="{s}" checked> <span aria-hidden="true">{ICONS[s]}</span> {e(w[s])}</label>'
        for s in ("error", "warning", "info")
    )
    out.append(f'<div class="filter" role="group" aria-label="{e(w["show"])}"><span>{e(w["show"])}{w["colon"]}</span>{boxes}</div>')
    if len(files) > 1:
        out.append(f'<p class="note">{e(w["several_note"])}</p>')
    out.append("</section>")
    if len(files) > 1:
        items = []
        for f in files:
            if not f.shown:
                continue
            n = f.counts
            status = "" if f.status == "checked" else f' · {e(w["status_error"] if f.status == "error" else w["status_skipped"])}'
            items.append(
                f'<li><a href="#{f.anchor}">{e(f.path)}</a> <span class="n">'
                f'{ICONS["error"]} {n["error"]} · {ICONS["warning"]} {n["warning"]} · {ICONS["info"]} {n["info"]}{status}</span></li>'
            )
        out.append(f'<nav class="box toc" aria-labelledby="toc-h"><h2 id="toc-h">{e(w["contents"])}</h2><ol>{"".join(items)}</ol></nav>')
    out.extend(f.html(with_meta=len(files) != 1, lang=lang) for f in files if f.shown)
    clean = [f for f in files if not f.shown]
    if clean:
        names = "".join(f'<li class="path">{e(f.path)}</li>' for f in clean)
        out.append(
            f'<details class="box clean-files"><summary>✔ {e(w["clean_files"])}{e(w["paren"].format(len(clean)))}</summary>'
            f"<ul>{names}</ul></details>"
        )
    version = options.tool_version or ""
    out.append(f"<footer>{e(w['footer'].format(version=version).replace('  ', ' '))}</footer>")
    out.append(f"</main>\n<script>{JS}</script>\n</body></html>\n")
    return "\n".join(o for o in out if o)


class HtmlRenderer(Renderer):
    """`--format html`: the whole page is written at `finish` (it needs the table of contents)."""

    def __init__(self, out, options: RenderOptions, banner: str = "") -> None:
        super().__init__(out, options)
        self.banner = banner  # trusted HTML above the summary (the web page's navigation)
        self._files: list[RenderedFile] = []
        self._first: FileResult | None = None  # held until a second file says the page covers several
        self._several = False

    def _lang(self) -> str:
        return "en" if self.options.lang == "en" else "zh"

    def _draw_first(self) -> None:
        first, self._first = self._first, None
        if first is not None:
            self._files.append(render_file(first, 1, self._lang(), several=self._several))

    def file(self, result: FileResult) -> None:
        if result.extra:  # cross-year findings, after every file
            self._draw_first()
            for rendered in reversed(self._files):
                if rendered.path == result.path:
                    add_crossyear(rendered, result, self._lang())
                    return
        elif self._first is not None:
            self._several = True
            self._draw_first()
        elif not self._files:
            self._first = result
            return
        self._files.append(render_file(result, len(self._files) + 1, self._lang(), several=self._several))

    def finish(self, summary: Summary) -> None:
        self._draw_first()
        self.out.write(render_page(self._files, summary, self.options, self.banner))


def render_html(results: Iterable[FileResult], options: RenderOptions | None = None, banner: str = "") -> str:
    """The HTML page for some results, in one call (the web page uses this)."""
    from io import StringIO

    options = options or RenderOptions()
    out = StringIO()
    renderer = HtmlRenderer(out, options, banner)
    summary = Summary()
    for r in results:
        if r.extra:
            summary.errors += sum(f.severity == "error" for f in r.findings)
            summary.warnings += sum(f.severity == "warning" for f in r.findings)
            summary.infos += sum(f.severity == "info" for f in r.findings)
        else:
            summary.add(r)
        renderer.file(r)
    renderer.finish(summary)
    return out.getvalue()
