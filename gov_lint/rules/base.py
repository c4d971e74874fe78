"""What a rule is, and the context a rule works in.

A rule has a stable code (`A101`), a kebab-case name, a default severity and docs.
Its `check(report, ctx)` yields Findings; it builds them with `ctx.finding(...)`,
which fills in the code, name, severity, language and file location.  Rules that
the reader or parser raise (P and T codes) are declared the same way with
`emitted_by` set, so every code has docs and can be selected or ignored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable

from ..messages import Message, pick
from ..model import Cell, Finding, Related, Report, Severity, Span

if TYPE_CHECKING:
    from ..templates import Template


@dataclass(frozen=True)
class RuleDoc:
    """Rule documentation, Chinese first: what it does, why it matters, example, how to fix."""

    what: str
    why: str
    example: str
    fix: str
    what_en: str = ""
    why_en: str = ""
    fix_en: str = ""
    example_en: str = ""


@dataclass
class Rule:
    code: str
    name: str
    severity: Severity
    summary: str  # one line, Chinese
    summary_en: str
    doc: RuleDoc
    check: Callable[[Report, "CheckContext"], Iterable[Finding]] | None = None
    emitted_by: str | None = None  # "reader" | "parser" | "engine" when not a checking rule
    origin: str = "builtin"  # builtin | relations/<file>.toml | plugin:<name>
    basis: str = ""  # the relation or spec item this rule enforces, e.g. "R1"
    order: int = 100  # run order (then code): relations run first, row sums before column sums,
    #                   so a blank cell that a relation needs is explained by the most local one
    prepare: Callable[[Report, "CheckContext"], None] | None = None  # a first pass before any check runs

    @property
    def group(self) -> str:
        return self.code[0]


@dataclass
class CheckContext:
    """What a rule needs beyond the report: language, template, a finding builder."""

    lang: str = "zh"
    template: "Template | None" = None
    rules: "RuleSet | None" = None
    claimed: dict[Span, Any] = field(default_factory=dict)  # blank cell → the number localisation puts there
    # error localisation (rules/localise.py): (table, row, column) → the value it gives a wrong cell;
    # the tables whose error relations all hold as printed; per-report caches of the table states
    corrections: dict[tuple[str, str, str], Any] = field(default_factory=dict)
    consistent_tables: set[str] = field(default_factory=set)
    tables_state: Any = None  # localise.ReportState
    localised_of: Any = None

    def rule_for(self, code: str) -> "Rule | None":
        """A rule of the run by code (rules that emit findings under another rule's code)."""
        return self.rules.get(code) if self.rules is not None else None

    def msg(self, msg_id: str, **args: Any) -> Message:
        """A message of the catalogue (rules/messages.toml) with its arguments."""
        return Message(msg_id, args)

    def t(self, zh: str, en: str) -> str:
        """Pick a text in the run's language: for plugin rules that build no Message (every
        built-in rule builds Messages, which outputs render in their own language)."""
        return pick(self.lang, zh, en)

    def finding(
        self,
        rule: Rule,
        message: "str | Message",
        *,
        cell: Cell | None = None,
        span: Span | None = None,
        table: str | None = None,
        row: str | None = None,
        column: str | None = None,
        expected: object = None,
        related: Iterable[Related] = (),
        notes: Iterable["str | Message"] = (),
        severity: Severity | None = None,
    ) -> Finding:
        stated = None
        if cell is not None:
            span = span or cell.span
            stated = cell.raw if cell.kind not in ("blank", "unread") and cell.raw else None
        return Finding(
            code=rule.code,
            name=rule.name,
            severity=severity or rule.severity,
            message=message,
            span=span,
            table=table,
            row=row,
            column=column,
            stated=stated,
            expected=None if expected is None else str(expected),
            related=list(related),
            notes=list(notes),
        )


def doc(what: str, why: str, example: str, fix: str, **en: str) -> RuleDoc:
    """Shorthand for RuleDoc with optional English (what_en=…, why_en=…, fix_en=…)."""
    return RuleDoc(what, why, example, fix, **en)


@dataclass
class RuleSet:
    """The rules of one run, by code, in code order."""

    rules: dict[str, Rule] = field(default_factory=dict)
    load_errors: list[tuple[str, str]] = field(default_factory=list)  # (origin, reason)
    _run_order: tuple[tuple[Rule, ...], tuple[Rule, ...]] | None = field(default=None, repr=False, compare=False)

    def add(self, rule: Rule) -> None:
        if rule.code in self.rules:
            raise ValueError(f"duplicate rule code {rule.code} ({rule.origin} vs {self.rules[rule.code].origin})")
        self.rules[rule.code] = rule

    def __iter__(self):
        return iter(sorted(self.rules.values(), key=lambda r: r.code))

    def in_run_order(self) -> list[Rule]:
        """The rules in the order they run: by `order`, then by code.

        Sorted once per set of rules (every file asks): kept with the rules it was sorted
        from, and sorted again when they are not the same rules any more.
        """
        current = tuple(self.rules.values())
        if self._run_order is None or self._run_order[0] != current:
            self._run_order = (current, tuple(sorted(current, key=lambda r: (r.order, r.code))))
        return list(self._run_order[1])

    def get(self, code: str) -> Rule | None:
        return self.rules.get(code)

    def by_name(self) -> dict[str, Rule]:
        return {r.name: r for r in self.rules.values()}
