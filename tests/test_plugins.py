"""Third-party rule packs through the entry-point group `gov_lint.rules`.

A tiny plugin distribution is written into a temporary folder (a module and a
*.dist-info with entry_points.txt) and put on sys.path, where importlib.metadata
finds it.  Its entry points: a working rule X900, a rule X901 whose check raises,
and a pack that raises at import.  The rule registry's cache is cleared before and
after, so other tests see the normal rule set.
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gov_lint.check import CheckOptions, check_bytes
from gov_lint.rules import registry

BASE = (Path(__file__).resolve().parent / "rule_cases" / "base" / "2021.txt").read_text(encoding="utf-8")
BROKEN = BASE.replace("\t150\t12\t2\t3\t4\t6\t177", "\t150\t12\t2\t3\t4\t6\t178")  # one A103

PLUGIN = '''
from gov_lint.rules.base import Rule, doc


def _check(report, ctx):
    yield ctx.finding(
        RULE,
        ctx.t("测试插件：标题已读到", "test plugin: title found"),
        span=report.title_span,
    )


RULE = Rule(
    code="X900",
    name="plugin-title-seen",
    severity="warning",
    summary="测试插件规则",
    summary_en="Test plugin rule",
    doc=doc("测试用的插件规则。", "验证插件机制。", "任何年报。", "无需处理。"),
    check=_check,
)


def _crash(report, ctx):
    raise RuntimeError("plugin rule exploded")
    yield  # pragma: no cover


CRASHING = Rule(
    code="X901",
    name="plugin-crashes",
    severity="error",
    summary="会出错的插件规则",
    summary_en="A crashing plugin rule",
    doc=doc("测试用：运行时出错。", "验证出错的规则变成一条发现。", "任何年报。", "无需处理。"),
    check=_crash,
)

RULES = [RULE]
'''

BROKEN_PLUGIN = '''
raise ImportError("gov_lint_x900_broken needs a package that is not installed")
'''

ENTRY_POINTS = """\
[gov_lint.rules]
x900 = gov_lint_x900:RULES
x901 = gov_lint_x900:CRASHING
broken = gov_lint_x900_broken:RULES
"""


@pytest.fixture()
def plugin(tmp_path: Path, monkeypatch):
    site = tmp_path / "site"
    site.mkdir()
    (site / "gov_lint_x900.py").write_text(textwrap.dedent(PLUGIN), encoding="utf-8")
    (site / "gov_lint_x900_broken.py").write_text(BROKEN_PLUGIN, encoding="utf-8")
    info = site / "gov_lint_x900-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: gov-lint-x900\nVersion: 0.1\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(ENTRY_POINTS, encoding="utf-8")
    monkeypatch.syspath_prepend(str(site))
    registry._all_rules.cache_clear()
    yield site
    registry._all_rules.cache_clear()
    for mod in ("gov_lint_x900", "gov_lint_x900_broken"):
        sys.modules.pop(mod, None)


def test_plugin_rules_are_registered(plugin):
    rs = registry.all_rules()
    assert rs.get("X900") is not None and rs.get("X900").origin == "plugin:x900"
    assert rs.get("X901") is not None and rs.get("X901").origin == "plugin:x901"
    assert [origin for origin, _ in rs.load_errors] == ["broken"]
    assert "ImportError" in rs.load_errors[0][1]
    assert "A101" in rs.rules  # the built-in rules are all still there


def test_plugin_rule_runs_and_failures_become_findings(plugin):
    result = check_bytes("report.txt", BROKEN.encode("utf-8"))
    assert result.status == "checked"
    by_code: dict[str, list] = {}
    for f in result.findings:
        by_code.setdefault(f.code, []).append(f)
    # the plugin's rule ran and its finding is located like any other
    (x900,) = by_code["X900"]
    assert x900.text() == "测试插件：标题已读到"
    assert x900.severity == "warning" and x900.name == "plugin-title-seen"
    assert x900.location is not None and x900.location.line == 1
    # the plugin that failed to load is a P901 finding naming it and the reason
    (p901,) = by_code["P901"]
    assert "broken" in p901.text() and "ImportError" in p901.text()
    # the rule that raised is a P900 finding naming the rule and the exception …
    (p900,) = by_code["P900"]
    assert "X901" in p900.text() and "plugin rule exploded" in p900.text()
    assert p900.severity == "error"
    # … and the other rules still ran
    assert [(f.table, f.row, f.column) for f in by_code["A100"]] == [("三", "三.一", "总计")]
    assert "X901" not in by_code


def test_plugins_can_be_turned_off(plugin):
    result = check_bytes("report.txt", BASE.encode("utf-8"), CheckOptions(plugins=False))
    codes = {f.code for f in result.findings}
    assert not codes & {"X900", "P900", "P901"}


def test_plugin_rule_in_cli(plugin, tmp_path):
    from gov_lint.cli import app

    runner = CliRunner()
    out = runner.invoke(app, ["rules"])
    assert out.exit_code == 0, out.output
    assert "X900" in out.output and "plugin-title-seen" in out.output
    out = runner.invoke(app, ["explain", "X900"])
    assert out.exit_code == 0 and "测试用的插件规则" in out.output
    report = tmp_path / "report.txt"
    report.write_text(BASE, encoding="utf-8")
    out = runner.invoke(app, ["check", str(report), "--format", "concise", "--no-cache", "--jobs", "1", "--isolated",
                              "--select", "X900"])
    assert "X900" in out.output, out.output
    assert out.exit_code == 0  # a warning does not fail the run by default


def test_registry_is_clean_again():
    """Without the plugin on sys.path, no X rules and no load errors remain."""
    registry._all_rules.cache_clear()
    rs = registry.all_rules()
    assert not any(r.code.startswith("X") for r in rs)
    assert not any(origin in ("x900", "x901", "broken") for origin, _ in rs.load_errors)
