"""--statistics: counts per rule after the summary."""

from __future__ import annotations

import random

from typer.testing import CliRunner

from gov_lint.cli import app
from gov_lint.rules.registry import all_rules
from gov_lint.statistics import format_statistics, statistics_rows
from gov_lint.synth import generate, write_tab_text


def test_rows_sorted_by_count_then_code():
    rows = statistics_rows({"A103": 2, "A101": 5, "A102": 2, "Y101": 0}, all_rules())
    assert [(n, c) for n, c, _ in rows] == [(5, "A101"), (2, "A102"), (2, "A103")]
    assert all(name for _, _, name in rows)


def test_format_languages():
    text = format_statistics({"A101": 3}, all_rules(), "zh")
    assert text.startswith("统计（按规则）：") and "A101" in text and "合计" in text
    assert "Statistics (per rule)" in format_statistics({"A101": 3}, all_rules(), "en")
    assert format_statistics({}, all_rules(), "zh").strip() == "统计：没有发现问题"


def test_cli_statistics_after_summary(tmp_path):
    r = generate("2021", random.Random(3), year=2022)
    r.set("三", "三.七", "自然人", r.get("三", "三.七", "自然人") + 1)
    (tmp_path / "a.txt").write_text(write_tab_text(r), encoding="utf-8")
    res = CliRunner().invoke(app, ["check", str(tmp_path / "a.txt"), "--no-cache", "--format", "concise", "--statistics"])
    assert res.exit_code == 1
    out = res.stdout
    summary_at = out.index("共 1 个文件")
    stats_at = out.index("统计（按规则）")
    assert stats_at > summary_at
    lines = out[stats_at:].splitlines()[1:]
    codes = {ln.split()[1]: int(ln.split()[0]) for ln in lines if len(ln.split()) > 2}
    assert codes == {"A100": 1}  # one wrong cell, localised: one finding
    assert "wrong-cell" in out[stats_at:]
