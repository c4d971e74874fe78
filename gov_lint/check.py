"""The check pipeline for one file: read → parse → rules → FileResult.

`check_path`, `check_bytes` and `check_document` never raise for a bad input: an
unreadable file, an empty one or a text that is not a report becomes a FileResult
with status "error" or "skipped", a reason, and a P finding that says why.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field
from pathlib import Path

from .budget import Budget, Limits, run_bounded, spend
from .fingerprint import assign_fingerprints
from .model import Document, FileResult, Finding, Report
from .parse import parse
from .readers import ReadError, read_bytes, read_path
from .repeated import first_copy
from .rules.base import CheckContext, RuleSet
from .rules.registry import all_rules
from .templates import load_template


@dataclass(frozen=True)
class CheckOptions:
    """What changes a file's findings (picklable, hashed into the cache key)."""

    lang: str = "zh"
    selected: frozenset[str] | None = None  # codes to report; None: all
    plugins: bool = True
    published: str | None = None  # publication date given on the command line (YYYY-MM-DD)
    limits: Limits = Limits()  # size, step and time limits per file (budget.py)
    extra: dict = field(default_factory=dict, hash=False, compare=False)


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
    return check_document(doc, options)


def check_document(doc: Document, options: CheckOptions | None = None) -> FileResult:
    """Parse a Document and run every rule over it."""
    options = options or DEFAULT
    rules = all_rules(options.plugins)
    t = options.lang == "en"
    if not doc.text.strip():
        return _skipped(doc.path, "P004", "empty file" if t else "文件为空", rules, options)
    doc, repeat_line = first_copy(doc)  # a report pasted twice: check the first copy, say so once (P007)
    spend(len(doc.text))  # the parser's share of the budget (budget.py)
    try:
        report = parse(doc)
    except Exception as exc:  # noqa: BLE001 - a parser bug must not stop an archive run
        reason = f"internal parser error: {type(exc).__name__}: {exc}" if t else f"解析器内部错误：{type(exc).__name__}: {exc}"
        return _error(doc.path, "P001", reason, rules, options)
    if not _looks_like_report(report):
        reason = (
            "not an annual disclosure report (no report title, section headings or tables)"
            if t
            else "不是政府信息公开工作年度报告（没有年报标题、各部分标题或统计表格）"
        )
        return _skipped(doc.path, "P003", reason, rules, options, report)
    spend(len(doc.text))  # the rules' share
    findings = run_rules(report, rules, options)
    if repeat_line is not None:
        findings = _repeat_finding(repeat_line, report, rules, options) + findings
    result = FileResult(
        path=doc.path,
        status="checked",
        template=report.template,
        year=report.year,
        agency=report.agency,
        findings=findings,
        report=report,
    )
    return result


def run_rules(report: Report, rules: RuleSet, options: CheckOptions) -> list[Finding]:
    """All findings for one parsed report, located, filtered, sorted, fingerprinted."""
    template = load_template(report.template) if report.template in ("2019", "2021") else None
    ctx = CheckContext(lang=options.lang, template=template, rules=rules)
    ctx.published = options.published  # type: ignore[attr-defined]
    findings: list[Finding] = []
    ordered = rules.in_run_order()
    preparing = [r for r in ordered if r.prepare is not None]
    for _ in range(MAX_PREPARE_ROUNDS):  # until the first pass learns nothing new (blank cells claimed)
        before = len(ctx.claimed)
        for rule in preparing:
            try:
                rule.prepare(report, ctx)
            except Exception:  # noqa: BLE001 - the same rule's check will crash too and say so (P900)
                continue
        if len(ctx.claimed) == before:
            break
    for rule in ordered:
        if rule.check is None:
            continue
        try:
            findings.extend(f for f in rule.check(report, ctx) if f is not None)
        except Exception as exc:  # noqa: BLE001 - a crashing rule becomes a finding
            crash = rules.get("P900")
            where = traceback.extract_tb(exc.__traceback__)[-1]
            findings.append(
                ctx.finding(
                    crash,
                    ctx.msg("P900", rule=rule.code, name=rule.name, error=f"{type(exc).__name__}: {exc}"),
                    notes=[f"{Path(where.filename).name}:{where.lineno}"],
                )
            )
    for code, detail in report.document.notes:
        rule = rules.get(code)
        if rule is not None:
            findings.append(ctx.finding(rule, ctx.t(f"文件中有无法解码的字节（按 {detail} 读取）", f"undecodable bytes (read as {detail})")))
    for origin, reason in rules.load_errors:
        findings.append(ctx.finding(rules.get("P901"), ctx.t(f"规则插件 {origin} 加载失败：{reason}", f"rule plugin {origin} failed to load: {reason}")))
    return finish(findings, report.document, report.agency, report.year, options)


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


def _finding_for(code: str, reason: str, rules: RuleSet, options: CheckOptions) -> Finding:
    rule = rules.get(code)
    ctx = CheckContext(lang=options.lang, rules=rules)
    return ctx.finding(rule, reason)


def _repeat_finding(line: int, report: Report, rules: RuleSet, options: CheckOptions) -> list[Finding]:
    """P007, once per file: where the second copy began (a line of the file for text files)."""
    from .messages import Message

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
    from .messages import Message

    lim = budget.limits
    if budget.kind == "steps":
        msg = Message("P006-steps", {"steps": f"{lim.max_steps:,}"})
    else:
        msg = Message("P006-time", {"seconds": f"{lim.max_seconds:g}"})
    return _error(path, "P006", msg.render(options.lang), all_rules(options.plugins), options)


def _unreadable(path: str, exc: ReadError, options: CheckOptions) -> FileResult:
    return _error(path, exc.code, exc.reason(options.lang), all_rules(options.plugins), options)


def _error(path: str, code: str, reason: str, rules: RuleSet, options: CheckOptions) -> FileResult:
    findings = finish([_finding_for(code, reason, rules, options)], None, None, None, _all(options), path)
    return FileResult(path=path, status="error", reason=reason, findings=findings)


def _skipped(
    path: str, code: str, reason: str, rules: RuleSet, options: CheckOptions, report: Report | None = None
) -> FileResult:
    doc = report.document if report else None
    findings = finish([_finding_for(code, reason, rules, options)], doc, None, None, _all(options), path)
    return FileResult(
        path=path, status="skipped", reason=reason, findings=findings, report=report,
        year=report.year if report else None, template=report.template if report else "unknown",
    )


def _all(options: CheckOptions) -> CheckOptions:
    """File-level P findings are always reported, whatever is selected."""
    return CheckOptions(options.lang, None, options.plugins, options.published, limits=options.limits)
