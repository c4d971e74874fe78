"""All rules of a run: built-in Python rules, declarative relations, plugins.

Rule modules of the package expose `RULES` (a list of Rule).  Third-party packs
register an entry point in the group `gov_lint.rules` whose object is a Rule, a
list of Rules, or a callable returning either; a pack that fails to load is
recorded in `RuleSet.load_errors` (reported as P901) and skipped.
"""

from __future__ import annotations

import importlib
from functools import cache
from importlib.metadata import entry_points

from .base import Rule, RuleSet
from .engine import load_relations

# Package modules with a RULES list, in the order their docs are listed.
RULE_MODULES = (
    "gov_lint.rules.builtin",
    "gov_lint.rules.localise",
    "gov_lint.rules.narrative",
    "gov_lint.rules.metadata",
    "gov_lint.rules.structure",
    "gov_lint.rules.crossyear",
)

ENTRY_POINT_GROUP = "gov_lint.rules"


def _module_rules(name: str) -> list[Rule]:
    module = importlib.import_module(name)
    return list(module.RULES)


def _plugin_rules(rs: RuleSet) -> None:
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        try:
            obj = ep.load()
            if callable(obj) and not isinstance(obj, Rule):
                obj = obj()
            rules = [obj] if isinstance(obj, Rule) else list(obj)
            for r in rules:
                if not isinstance(r, Rule):
                    raise TypeError(f"{r!r} is not a gov_lint Rule")
                r.origin = f"plugin:{ep.name}"
                rs.add(r)
        except Exception as exc:  # noqa: BLE001 - a broken plugin must not stop the run
            rs.load_errors.append((ep.name, f"{type(exc).__name__}: {exc}"))


def all_rules(plugins: bool = True) -> RuleSet:
    """Every rule, by code (built once per process: `all_rules()` and `all_rules(True)` are one)."""
    return _all_rules(bool(plugins))


@cache
def _all_rules(plugins: bool) -> RuleSet:
    rs = RuleSet()
    for name in RULE_MODULES:
        for r in _module_rules(name):
            rs.add(r)
    for r in load_relations():
        rs.add(r)
    if plugins:
        _plugin_rules(rs)
    return rs
