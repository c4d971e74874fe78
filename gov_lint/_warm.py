"""Imported by the worker pool's fork server: build what every check needs, once.

Workers are forked from a server process that has imported this module, so each
worker starts with the rules collected, the relation expressions compiled, the
template packs loaded and the Lark parser built, instead of doing it all again.
"""

from __future__ import annotations

from .check import CheckOptions, check_bytes
from .rules.registry import all_rules

try:
    all_rules()
    # one tiny check builds the parser and fills the template caches
    check_bytes("warm.txt", "某县人民政府2023年政府信息公开工作年度报告\n一、总体情况\n无。\n".encode("utf-8"), CheckOptions())
except Exception:  # noqa: BLE001 - warming is an optimisation; workers build what they need anyway
    pass
