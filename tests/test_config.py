"""Configuration: discovery, validation with did-you-mean, severity and per-file overrides."""

from __future__ import annotations

from pathlib import Path

import pytest

from gov_lint.config import ConfigError, GlobSet, discover, expand_selector, format_config, load_config
from gov_lint.model import Finding
from gov_lint.rules.base import Rule, doc

D = doc("做什么", "为什么", "例子", "怎么改")
RULES = [
    Rule("A101", "applications-balance", "error", "勾稽", "balance", D),
    Rule("A102", "result-total", "error", "总计", "total", D),
    Rule("A201", "review-total", "error", "复议", "review", D),
    Rule("M101", "year-mismatch", "warning", "年度", "year", D),
    Rule("Y101", "carry-over-mismatch", "error", "结转", "carry", D),
]


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_discovery_walks_up_and_prefers_gov_lint_toml(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.gov-lint]\nselect = ["A"]\n')
    deep = tmp_path / "reports" / "2023" / "乡镇"
    report = write(deep / "r.txt", "x")
    assert discover([report]) == (tmp_path / "pyproject.toml").resolve()
    write(tmp_path / "reports" / "gov-lint.toml", 'select = ["M"]\n')
    assert discover([report]) == (tmp_path / "reports" / "gov-lint.toml").resolve()
    write(deep / "pyproject.toml", '[tool.ruff]\nline-length = 100\n')  # no [tool.gov-lint]: skipped
    cfg = load_config([report])
    assert cfg.file == (tmp_path / "reports" / "gov-lint.toml").resolve()
    assert cfg["select"] == ["M"] and cfg.sources["select"] == str(cfg.file)
    write(tmp_path / "reports" / "pyproject.toml", '[tool.gov-lint]\nselect = ["Y"]\n')
    assert load_config([report])["select"] == ["M"]  # same folder: gov-lint.toml wins


def test_first_path_with_a_config_wins_and_isolated_and_explicit(tmp_path):
    a = write(tmp_path / "a" / "r.txt", "x")
    b = write(tmp_path / "b" / "r.txt", "x")
    write(tmp_path / "b" / "gov-lint.toml", 'lang = "en"\n')
    assert load_config([a, b])["lang"] == "en"
    assert load_config([a, b], isolated=True)["lang"] == "zh"
    other = write(tmp_path / "other.toml", 'fail-on = "warning"\n')
    cfg = load_config([b], config_file=other)
    assert cfg["fail-on"] == "warning" and cfg["lang"] == "zh"


def test_unknown_key_has_did_you_mean(tmp_path):
    write(tmp_path / "gov-lint.toml", 'per_file_ignores = {"*.txt" = ["A"]}\n')
    with pytest.raises(ConfigError) as e:
        load_config([tmp_path])
    assert "未知的配置项「per_file_ignores」" in e.value.zh and "per-file-ignores" in e.value.zh
    assert "did you mean `per-file-ignores`" in e.value.en


def test_bad_values(tmp_path):
    write(tmp_path / "gov-lint.toml", 'fail-on = "eror"\n')
    with pytest.raises(ConfigError) as e:
        load_config([tmp_path])
    assert "「error」" in e.value.zh
    write(tmp_path / "gov-lint.toml", 'lang = "fr"\n')
    with pytest.raises(ConfigError):
        load_config([tmp_path])
    write(tmp_path / "gov-lint.toml", 'jobs = -1\n')
    with pytest.raises(ConfigError):
        load_config([tmp_path])
    write(tmp_path / "gov-lint.toml", 'select = "A\n')
    with pytest.raises(ConfigError) as e:
        load_config([tmp_path])
    assert "格式有误（第 1 行" in e.value.zh and 'select = "A' in e.value.zh
    assert "Illegal" not in e.value.zh and "line" not in e.value.zh  # no English library text in Chinese


def test_selectors_codes_prefixes_names(tmp_path):
    assert expand_selector("A", RULES) == ({"A101", "A102", "A201"}, 1)
    assert expand_selector("A1", RULES) == ({"A101", "A102"}, 2)
    assert expand_selector("a101", RULES) == ({"A101"}, 100)
    assert expand_selector("year-mismatch", RULES) == ({"M101"}, 100)
    assert expand_selector("ALL", RULES)[0] == {r.code for r in RULES}
    with pytest.raises(ConfigError) as e:
        expand_selector("A109", RULES)
    assert "你是不是想写" in e.value.zh
    with pytest.raises(ConfigError) as e:
        expand_selector("year-mismatsh", RULES)
    assert "「year-mismatch」" in e.value.zh


def test_unknown_code_in_file_names_the_file_and_key(tmp_path):
    write(tmp_path / "gov-lint.toml", 'ignore = ["A10"]\n')
    eff = load_config([tmp_path]).resolve(RULES)  # A10 is a valid prefix
    assert eff.selected == {"A201", "M101", "Y101"}
    write(tmp_path / "gov-lint.toml", '[severity]\n"carry-over-mismach" = "warning"\n')
    with pytest.raises(ConfigError) as e:
        load_config([tmp_path]).resolve(RULES)
    assert "gov-lint.toml" in e.value.zh and "severity" in e.value.zh and "carry-over-mismatch" in e.value.zh


def test_select_extend_ignore_precedence(tmp_path):
    write(tmp_path / "gov-lint.toml", 'select = ["A"]\nignore = ["A2"]\nextend-select = ["Y101"]\n')
    eff = load_config([tmp_path]).resolve(RULES)
    assert eff.selected == {"A101", "A102", "Y101"}
    cfg = load_config([tmp_path], overrides={"select": ["M", "A"], "ignore": ["A102"]})
    assert cfg.sources["select"] == "命令行" and "命令行" in cfg.sources["ignore"]
    assert cfg.resolve(RULES).selected == {"M101", "A101", "Y101"}


def test_severity_override_most_specific_wins(tmp_path):
    write(tmp_path / "gov-lint.toml", '[severity]\nA = "warning"\nA101 = "info"\n"result-total" = "error"\n')
    eff = load_config([tmp_path]).resolve(RULES)
    assert eff.severity == {"A101": "info", "A102": "error", "A201": "warning"}
    findings = [Finding("A101", "x", "error", "m"), Finding("A201", "y", "error", "m"), Finding("M101", "z", "warning", "m")]
    out = eff.apply(findings, tmp_path / "r.txt")
    assert [f.severity for f in out] == ["info", "warning", "warning"]


def test_per_file_ignores_relative_to_config(tmp_path, monkeypatch):
    write(tmp_path / "gov-lint.toml", '[per-file-ignores]\n"old/**" = ["A"]\n"*草稿*.txt" = ["M101"]\n')
    eff = load_config([tmp_path]).resolve(RULES)
    fs = lambda: [Finding("A101", "x", "error", "m"), Finding("M101", "z", "warning", "m")]
    assert [f.code for f in eff.apply(fs(), tmp_path / "old" / "2019" / "r.txt")] == ["M101"]
    assert [f.code for f in eff.apply(fs(), tmp_path / "new" / "r草稿1.txt")] == ["A101"]
    assert [f.code for f in eff.apply(fs(), tmp_path / "new" / "r.txt")] == ["A101", "M101"]
    monkeypatch.chdir(tmp_path / "..")
    rel = Path(tmp_path.name) / "old" / "r.txt"  # relative to the cwd, not to the config
    assert [f.code for f in eff.apply(fs(), rel)] == ["M101"]


def test_globs():
    base = Path("/r")
    assert GlobSet(["*.md"], base).matches("/r/a/b/x.md")
    assert not GlobSet(["a/*.md"], base).matches("/r/a/b/x.md")
    assert GlobSet(["a/**/*.md"], base).matches("/r/a/b/x.md")
    assert GlobSet(["drafts/"], base).matches("/r/drafts/x.txt")
    assert GlobSet(["20[12]?/*"], base).matches("/r/2019/x.txt")


def test_globs_follow_gitignore_rules():
    """The pathspec library's gitignore rules: anchoring, bare names, folders, Windows separators."""
    base = Path("/r")
    assert GlobSet(["drafts"], base).matches("/r/x/drafts/y.txt")  # a bare name: any depth, and below it
    assert GlobSet(["/top.txt"], base).matches("/r/top.txt")
    assert not GlobSet(["/top.txt"], base).matches("/r/x/top.txt")  # a leading slash anchors
    assert GlobSet(["old\\*.txt"], base).matches("/r/old/a.txt")  # a Windows separator in a config
    assert not GlobSet(["*.txt"], base).matches("/r/a.md")
    assert GlobSet(["a.txt", "b/*"], base).matching("/r/b/a.txt") == [0, 1]


def test_format_config_shows_sources(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.gov-lint]\nignore = ["M101"]\n[tool.gov-lint.severity]\nA2 = "warning"\n')
    cfg = load_config([tmp_path], overrides={"lang": "en"})
    text = format_config(cfg, "zh", cfg.resolve(RULES))
    assert str(tmp_path / "pyproject.toml") in text
    assert 'ignore = ["M101"]' in text and 'lang = "en"' in text and "命令行" in text
    assert '"A2" = "warning"' in text and "启用的规则：4 条" in text


# --------------------------------------------------------------------------- the command line

import json
import os
import random

from typer.testing import CliRunner

from gov_lint.cli import app
from gov_lint.synth import generate, write_tab_text


def make_reports(folder: Path) -> None:
    """Two reports: 甲 breaks only the 行政复议 total (A104), 乙 is clean."""
    folder.mkdir(parents=True, exist_ok=True)
    r = generate("2021", random.Random(1), year=2022, agency="甲县教育局")
    r.set("四", "行政复议", "结果维持", r.get("四", "行政复议", "结果维持") + 1)
    (folder / "甲.txt").write_text(write_tab_text(r), encoding="utf-8")
    (folder / "乙.txt").write_text(write_tab_text(generate("2021", random.Random(2), year=2022, agency="乙县教育局")), encoding="utf-8")


def run(cwd: Path, *args):
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)
    finally:
        os.chdir(old)


def codes(res):
    return [(Path(f["path"]).name, f_["code"], f_["severity"])
            for f in json.loads(res.stdout)["files"] for f_ in f["findings"]]


def test_cli_unknown_key_exits_2_with_did_you_mean(tmp_path):
    make_reports(tmp_path / "r")
    write(tmp_path / "gov-lint.toml", 'fail_on = "warning"\n')
    res = run(tmp_path, "check", tmp_path / "r", "--no-cache")
    assert res.exit_code == 2
    assert "未知的配置项「fail_on」" in res.stderr and "你是不是想写「fail-on」" in res.stderr
    res = run(tmp_path, "check", tmp_path / "r", "--no-cache", "--lang", "en")
    assert res.exit_code == 2 and "did you mean `fail-on`" in res.stderr


def test_cli_unknown_code_exits_2(tmp_path):
    make_reports(tmp_path / "r")
    res = run(tmp_path, "check", tmp_path / "r", "--no-cache", "--isolated", "--ignore", "review-litigation-totl")
    assert res.exit_code == 2 and "「review-litigation-total」" in res.stderr
    write(tmp_path / "gov-lint.toml", '[severity]\nA1O4 = "info"\n')
    res = run(tmp_path, "check", tmp_path / "r", "--no-cache")
    assert res.exit_code == 2 and "A1O4" in res.stderr and "gov-lint.toml" in res.stderr
    write(tmp_path / "gov-lint.toml", '[severity]\nA104 = "fatal"\n')
    res = run(tmp_path, "check", tmp_path / "r", "--no-cache")
    assert res.exit_code == 2 and "fatal" in res.stderr


def test_cli_severity_override_and_fail_on(tmp_path):
    make_reports(tmp_path / "r")
    res = run(tmp_path, "check", tmp_path / "r", "--no-cache", "--format", "json")
    assert res.exit_code == 1 and codes(res) == [("甲.txt", "A104", "error")]
    write(tmp_path / "pyproject.toml", '[tool.gov-lint.severity]\n"review-litigation-total" = "warning"\n')
    res = run(tmp_path, "check", tmp_path / "r", "--no-cache", "--format", "json")
    assert res.exit_code == 0 and codes(res) == [("甲.txt", "A104", "warning")]
    res = run(tmp_path, "check", tmp_path / "r", "--no-cache", "--format", "json", "--fail-on", "warning")
    assert res.exit_code == 1


def test_cli_per_file_ignores_and_exclude(tmp_path):
    make_reports(tmp_path / "r")
    write(tmp_path / "gov-lint.toml", '[per-file-ignores]\n"r/甲*" = ["A1"]\n')
    res = run(tmp_path, "check", tmp_path / "r", "--no-cache", "--format", "json")
    assert res.exit_code == 0 and codes(res) == []
    write(tmp_path / "gov-lint.toml", 'exclude = ["甲.txt"]\n')
    res = run(tmp_path, "check", tmp_path / "r", "--no-cache", "--format", "json")
    assert [Path(f["path"]).name for f in json.loads(res.stdout)["files"]] == ["乙.txt"]


def test_cli_config_command(tmp_path):
    make_reports(tmp_path / "r")
    write(tmp_path / "pyproject.toml", '[tool.gov-lint]\nignore = ["Y104"]\nfail-on = "warning"\n')
    res = run(tmp_path, "config", tmp_path / "r")
    assert res.exit_code == 0
    out = res.stdout
    assert f"配置文件：{(tmp_path / 'pyproject.toml').resolve()}" in out
    line = next(ln for ln in out.splitlines() if ln.startswith("fail-on"))
    assert '"warning"' in line and "pyproject.toml" in line
    line = next(ln for ln in out.splitlines() if ln.startswith("lang"))
    assert "默认" in line
    res = run(tmp_path, "config", tmp_path / "r", "--isolated")
    assert "未找到配置文件" in res.stdout
