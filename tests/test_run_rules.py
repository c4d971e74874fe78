"""`check.run_rules`, the loop around the rules: run order, None skipped, what a crashing rule
yielded before it raised kept with its P900, a crashed first pass skipping that rule's check."""

from __future__ import annotations

import dataclasses

from gov_lint.check import CheckOptions, run_rules
from gov_lint.messages import Message
from gov_lint.model import Document
from gov_lint.parse import parse
from gov_lint.rules.base import RuleSet
from gov_lint.rules.registry import all_rules

TEXT = "某县人民政府2021年政府信息公开工作年度报告\n一、总体情况\n本年度工作正常开展。\n"


def _rules(*extra):
    base = all_rules(False)
    rs = RuleSet()
    for code in ("P900", "P901"):
        rs.add(base.get(code))
    template = base.get("P900")
    for code, order, check, prepare in extra:
        rs.add(dataclasses.replace(template, code=code, name=code.lower(), order=order, check=check, prepare=prepare))
    return rs


def test_order_none_and_crashes():
    seen = []

    def say(code):
        def check(report, ctx):
            seen.append(code)
            yield None
            yield ctx.finding(ctx.rules.get(code), Message("text", {"zh": code, "en": code}))
        return check

    def half(report, ctx):
        seen.append("X3")
        yield ctx.finding(ctx.rules.get("X3"), Message("text", {"zh": "X3", "en": "X3"}))
        raise RuntimeError("boom")

    def bad_prepare(report, ctx):
        raise ValueError("first pass")

    rules = _rules(("X1", 50, say("X1"), None), ("X2", 10, say("X2"), None), ("X3", 30, half, None),
                   ("X4", 40, say("X4"), bad_prepare), ("X5", 60, None, None))
    report = parse(Document(path="r.txt", text=TEXT))
    findings = run_rules(report, rules, CheckOptions())
    assert seen == ["X2", "X3", "X1"]  # by order; X4's first pass crashed, so its check never ran
    assert sorted(f.code for f in findings) == ["P900", "P900", "X1", "X2", "X3"]
    crashed = sorted(f.message.args["rule"] for f in findings if f.code == "P900")
    assert crashed == ["X3", "X4"]
