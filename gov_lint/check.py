"""The check pipeline for one file: read → parse → rules → FileResult.

`check_path`, `check_bytes` and `check_document` never raise for a bad input: an
unreadable file, an empty one or a text that is not a report becomes a FileResult
with status "error" or "skipped", a reason, and a P finding that says why.

Two kinds of trouble are never mixed: the input's fault (P001–P004, raised by the
readers as `ReadError`) and gov-lint's own bugs: any other exception from reading
or parsing is P902 internal-error, a crashing rule P900; both ask the user to
report them, carry the traceback under --verbose, and make the CLI exit with 3.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from .budget import Budget, Limits, run_bounded, spend
from .fingerprint import assign_fingerprints
from .messages import Message
from .model import Document, FileResult, Finding, Report
from .options import INTERNAL_CODES, CheckOptions  # noqa: F401 - INTERNAL_CODES: part of this module's interface
from .parse import parse
from .readers import ReadError, read_bytes, read_path
from .repeated import first_copy
from .rules.base import CheckContext, Rule, RuleSet
from .rules.crossyear import present_cells
from .rules.registry import all_rules
from .templates import TEMPLATE_IDS, load_template, template_for_year


DEFAULT = CheckOptions()
MAX_PREPARE_ROUNDS = 4


def check_path(path: str | Path, options: CheckOptions | None = None) -> FileResult:
    """Check one file on disk (read only; the file is never written), within its budget."""
    options = options or DEFAULT
    return run_bounded(options.limits, lambda: _check_path(path, options), lambda b: _over_budget(str(path), b, options))


def _check_path(path: str | Path, options: CheckOptions) -> FileResult:
    try:
        doc = read_path(path)
    except ReadError as exc:
        return _unreadable(str(path), exc, options)
    except Exception as exc:  # noqa: BLE001 - a bug in gov-lint's reader code, not a damaged file
        return _internal(str(path), "read", exc, options)
    return check_document(doc, options)


def check_bytes(path: str, data: bytes, options: CheckOptions | None = None) -> FileResult:
    """Check a file's content (uploads, tests), within its budget; `path` names it in messages."""
    options = options or DEFAULT
    return run_bounded(options.limits, lambda: _check_bytes(path, data, options), lambda b: _over_budget(path, b, options))


def _check_bytes(path: str, data: bytes, options: CheckOptions) -> FileResult:
    try:
        doc = read_bytes(path, data)
    except ReadError as exc:
        return _unreadable(path, exc, options)
    except Exception as exc:  # noqa: BLE001 - a bug in gov-lint's reader code, not a damaged file
        return _internal(path, "read", exc, options)
    return check_document(doc, options)


def check_document(doc: Document, options: CheckOptions | None = None) -> FileResult:
    """Parse a Document and run every rule over it."""
    options = options or DEFAULT
    rules = all_rules(options.plugins)
    if not doc.text.strip():
        return _skipped(doc.path, "P004", Message("P004"), rules, options)
    doc, repeat_line = first_copy(doc)  # a report pasted twice: check the first copy, say so once (P007)
    spend(len(doc.text))  # the parser's share of the budget (budget.py)
    try:
        report = parse(doc)
    except Exception as exc:  # noqa: BLE001 - a parser bug is ours: an internal error, and the run goes on
        return _internal(doc.path, "parse", exc, options)
    if not _looks_like_report(report):
        return _skipped(doc.path, "P003", Message("P003"), rules, options, report)
    spend(len(doc.text))  # the rules' share
    findings = run_rules(report, rules, options)
    if repeat_line is not None:
        findings = _repeat_finding(repeat_line, report, rules, options) + findings
    return FileResult(
        path=doc.path,
        status="checked",
        template=report.template,
        year=report.year,
        agency=report.agency,
        agency_source=report.agency_source,
        agency_guess=report.agency_guess,
        findings=findings,
        source=source_lines(findings, doc, crossyear_lines(report)),
        numbered=doc.source_map is None,
        tables=report.tables,
        layout=drawing_layout(report),
        report=report,
    )


def source_lines(findings: list[Finding], doc: Document, extra: Iterable[int] = ()) -> dict[int, str]:
    """The lines of `doc` the findings point at (theirs and their related positions in this file),
    and the `extra` lines (those cross-year findings, made after the check, may point at)."""
    wanted = set(extra)
    for f in findings:
        if f.span is not None:
            wanted.add(f.span.line)
        wanted.update(r.span.line for r in f.related if r.span is not None and r.path is None)
    return {n: doc.line(n) for n in sorted(wanted)}


def crossyear_lines(report: Report) -> set[int]:
    """The lines of the cells the cross-year relations read, so a Y finding can show its snippet."""
    return {c.span.line for _key, c in present_cells(report) if c.span is not None}


def drawing_layout(report: Report) -> str:
    """The template whose layout the report's tables are drawn in (HTML output)."""
    if report.template in TEMPLATE_IDS:
        return report.template
    if report.year is not None:
        t = template_for_year(report.year)
        if t is not None:
            return t.id
    return "2021"


def _crash(rule: Rule, exc: Exception, rules: RuleSet, ctx: CheckContext, options: CheckOptions) -> Finding:
    """P900: a rule (its check or its first pass) raised."""
    return ctx.finding(
        rules.get("P900"),
        Message("P900", {"rule": rule.code, "name": rule.name, "error": f"{type(exc).__name__}: {exc}"}),
        notes=_where(exc, options),
    )


def _where(exc: BaseException, options: CheckOptions) -> list[Message]:
    """Where gov-lint's code raised: its file and line, and the whole traceback under --verbose."""
    frames = traceback.extract_tb(exc.__traceback__)
    notes = []
    if frames:
        notes.append(Message("internal.where", {"place": f"{Path(frames[-1].filename).name}:{frames[-1].lineno}"}))
    if options.verbose:
        tb = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)).rstrip()
        notes.append(Message("internal.traceback", {"traceback": tb}))
    return notes


def run_rules(report: Report, rules: RuleSet, options: CheckOptions) -> list[Finding]:
    """All findings for one parsed report, located, filtered, sorted, fingerprinted."""
    template = load_template(report.template) if report.template in ("2019", "2021") else None
    ctx = CheckContext(lang=options.lang, template=template, rules=rules)
    ctx.published = options.published  # type: ignore[attr-defined]
    findings: list[Finding] = []
    prepares, checks = _phases(rules)
    crashed: set[str] = set()
    for _ in range(MAX_PREPARE_ROUNDS):  # until the first pass learns nothing new (blank cells claimed)
        before = len(ctx.claimed)
        for rule in prepares:
            if rule.code in crashed:
                continue
            try:
                rule.prepare(report, ctx)
            except Exception as exc:  # noqa: BLE001 - a crash in the first pass is a crash of the rule
                crashed.add(rule.code)
                findings.append(_crash(rule, exc, rules, ctx, options))
        if len(ctx.claimed) == before:
            break
    for rule in checks:
        if rule.code in crashed:
            continue
        try:
            findings.extend(rule.check(report, ctx))  # what a rule yielded before it crashed is kept
        except Exception as exc:  # noqa: BLE001 - a crashing rule becomes a finding
            findings.append(_crash(rule, exc, rules, ctx, options))
    if None in findings:  # a rule may yield None for "nothing here"
        findings = [f for f in findings if f is not None]
    for code, detail in report.document.notes:
        rule = rules.get(code)
        if rule is not None:
            findings.append(ctx.finding(rule, Message(code, {"encoding": detail})))
    for origin, reason in rules.load_errors:
        findings.append(ctx.finding(rules.get("P901"), Message("P901", {"origin": origin, "reason": reason})))
    return finish(findings, report.document, report.agency, report.year, options)


# (the rules in run order, those with a first pass, those with a check): one tuple, read and replaced
# whole, so threads checking with other rule sets (the web server) never mix two sets
_PHASES: tuple[list[Rule] | None, tuple[Rule, ...], tuple[Rule, ...]] = (None, (), ())


def _phases(rules: RuleSet) -> tuple[tuple[Rule, ...], tuple[Rule, ...]]:
    """The rules with a first pass and the rules with a check, in run order (split once per set of rules)."""
    global _PHASES
    ordered = rules.in_run_order()
    phases = _PHASES
    if phases[0] != ordered:
        phases = (ordered, tuple(r for r in ordered if r.prepare is not None),
                  tuple(r for r in ordered if r.check is not None))
        _PHASES = phases
    return phases[1], phases[2]


def finish(
    findings: list[Finding],
    doc: Document | None,
    agency: str | None,
    year: int | None,
    options: CheckOptions,
    path: str | None = None,
) -> list[Finding]:
    """Select, locate, sort and fingerprint findings."""
    if options.selected is not None:
        from .rules.localise import keep_selected  # a localised wrong cell stands for the failures it explains

        findings = [f for f in findings if keep_selected(f.code, f.explains, options.selected)]
    path = path if path is not None else (doc.path if doc else "")
    for f in findings:
        f.path = path
        if doc is not None:
            f.location = doc.locate(f.span)
            for r in f.related:
                if r.location is None and r.path is None:
                    r.location = doc.locate(r.span)
    # document order: the span in the read text (a DOCX/PDF location's line is a table row or a line
    # on a page, so sorting by it would jump between tables and pages), then the location, then the code
    findings.sort(key=lambda f: (
        (f.span.line, f.span.col) if f.span else (0, 0),
        (f.location.line, f.location.column) if f.location else (0, 0),
        f.code,
    ))
    assign_fingerprints(findings, agency=agency, year=year, path=path)
    return findings


def _looks_like_report(report: Report) -> bool:
    return bool(report.tables) or len(report.sections) >= 2 or (report.title is not None and report.year is not None)


def _finding_for(code: str, message: Message, rules: RuleSet, options: CheckOptions, notes=()) -> Finding:
    ctx = CheckContext(lang=options.lang, rules=rules)
    return ctx.finding(rules.get(code), message, notes=notes)


def _unreadable(path: str, exc: ReadError, options: CheckOptions) -> FileResult:
    """P001 (or the reader's code): the file cannot be read, and the reader says why."""
    message = getattr(exc, "message", None)
    if not isinstance(message, Message):
        message = Message("text", {"zh": exc.reason("zh"), "en": exc.reason("en")})
    return _error(path, exc.code, message, all_rules(options.plugins), options)


def _internal(path: str, stage: str, exc: Exception, options: CheckOptions) -> FileResult:
    """P902: gov-lint's own code failed on this file (a bug to report, not a fault of the file)."""
    message = Message("P902", {"stage": Message(f"P902.{stage}"), "error": f"{type(exc).__name__}: {exc}"})
    rules = all_rules(options.plugins)
    findings = finish([_finding_for("P902", message, rules, options, _where(exc, options))],
                      None, None, None, _all(options), path)
    return FileResult(path=path, status="error", reason=message, findings=findings)


def internal_finding(path: str, stage: str, exc: Exception, options: CheckOptions) -> Finding:
    """P902 for a bug in a step after the checks (`stage`: a `P902.<stage>` message), to add to a result."""
    message = Message("P902", {"stage": Message(f"P902.{stage}"), "error": f"{type(exc).__name__}: {exc}"})
    rules = all_rules(options.plugins)
    (finding,) = finish([_finding_for("P902", message, rules, options, _where(exc, options))],
                        None, None, None, _all(options), path)
    return finding


def facts_lost(path: str, other: str, options: CheckOptions) -> Finding:
    """P902 for a cross-year pair not compared: the other report's facts were to be read back from
    the result cache, and the cache could no longer be read (deleted or damaged during the run)."""
    message = Message("P902-cache", {"other": other})
    rules = all_rules(options.plugins)
    (finding,) = finish([_finding_for("P902", message, rules, options)], None, None, None, _all(options), path)
    return finding


def worker_crashed(path: str, options: CheckOptions) -> FileResult:
    """P902 for a file whose checking process died twice (`--jobs`: once among other files, once
    alone): something below Python (memory, a library) or a bug; the run goes on without it."""
    return _error(path, "P902", Message("P902-worker", {}), all_rules(options.plugins), options)


def _repeat_finding(line: int, report: Report, rules: RuleSet, options: CheckOptions) -> list[Finding]:
    """P007, once per file: where the second copy began (a line of the file for text files)."""
    rule = rules.get("P007")
    if rule is None:
        return []
    ctx = CheckContext(lang=options.lang, rules=rules)
    exact = report.document.source_map is None  # text and markdown: lines are the file's lines
    msg = Message("P007", {"line": line}) if exact else Message("P007-nowhere", {})
    f = ctx.finding(rule, msg)  # about the whole file: the message names the line
    return finish([f], report.document, report.agency, report.year, options)


def _over_budget(path: str, budget: Budget, options: CheckOptions) -> FileResult:
    """P006: the file used up its steps or its time; the limit is named."""
    lim = budget.limits
    if budget.kind == "steps":
        msg = Message("P006-steps", {"steps": f"{lim.max_steps:,}"})
    else:
        msg = Message("P006-time", {"seconds": f"{lim.max_seconds:g}"})
    return _error(path, "P006", msg, all_rules(options.plugins), options)


def _error(path: str, code: str, reason: Message, rules: RuleSet, options: CheckOptions) -> FileResult:
    findings = finish([_finding_for(code, reason, rules, options)], None, None, None, _all(options), path)
    return FileResult(path=path, status="error", reason=reason, findings=findings)


def _skipped(
    path: str, code: str, reason: Message, rules: RuleSet, options: CheckOptions, report: Report | None = None
) -> FileResult:
    doc = report.document if report else None
    findings = finish([_finding_for(code, reason, rules, options)], doc, None, None, _all(options), path)
    return FileResult(
        path=path, status="skipped", reason=reason, findings=findings, report=report,
        year=report.year if report else None, template=report.template if report else "unknown",
        source=source_lines(findings, doc) if doc else {}, numbered=doc.source_map is None if doc else True,
    )


def _all(options: CheckOptions) -> CheckOptions:
    """File-level P findings are always reported, whatever is selected."""
    return replace(options, selected=None)
