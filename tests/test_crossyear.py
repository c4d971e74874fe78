"""Cross-year (Y) rules over synthetic consecutive reports of one body."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from gov_lint.agency import AgencyMap, agency_key
from gov_lint.model import Finding
from gov_lint.rules.crossyear import CROSSYEAR_RULES, Facts, extract_facts, run_crossyear
from gov_lint.parse import parse
from gov_lint.readers import read_bytes
from gov_lint.synth import generate_series, write_tab_text

ROOT = Path(__file__).resolve().parents[1]


def _facts(reports, names=None):
    out = []
    for i, r in enumerate(reports):
        path = names[i] if names else f"archive/{r.agency}-{r.year}.txt"
        rep = parse(read_bytes(path, write_tab_text(r).encode("utf-8")))
        f = extract_facts(rep)
        f.index = i
        out.append(f)
    return out


def _series(seed, years, template=None):
    return generate_series(template, random.Random(seed), years)


def test_consistent_series_has_no_y_findings():
    facts = _facts(_series(3, [2019, 2020, 2021, 2022, 2023]))
    assert all(f.year is not None and f.cells for f in facts)
    assert run_crossyear(facts) == {}


def test_carry_over_break_names_both_cells_and_files():
    reports = _series(7, [2021, 2022, 2023])
    later = reports[2]
    stated = later.get("三", "二", "自然人")
    later.set("三", "二", "自然人", stated + 4)
    later.set("三", "二", "总计", later.get("三", "二", "总计") + 4)  # keep R3 inside the year
    names = ["a/2021.txt", "b/二〇二二.txt", "c/report-2023.txt"]
    facts = _facts(reports, names)
    out = run_crossyear(facts)
    assert list(out) == ["c/report-2023.txt"]
    found = out["c/report-2023.txt"]
    # one root cause, one finding: the 总计 column that moved with 自然人 is a related cell and a note
    assert [(f.code, f.table, f.row, f.column) for f in found] == [("Y101", "三", "二", "自然人")]
    f = found[0]
    total = facts[2].cell("三", "二", "总计")
    assert any(r.path is None and r.location == total.location for r in f.related)
    assert any("另有 1 列也不成立：总计" in n for n in f.note_texts("zh"))
    assert f.severity == "error"
    assert "c/report-2023.txt" in f.text() and "b/二〇二二.txt" in f.text()
    assert "上年结转" in f.text() and "结转下年度继续办理" in f.text()
    prev_value = reports[1].get("三", "四", "自然人")
    assert f.stated == str(stated + 4) and f.expected == str(prev_value)
    # primary location: the later year's cell; related: the earlier year's cell, in the other file
    cur_cell = facts[2].cell("三", "二", "自然人")
    prev_cell = facts[1].cell("三", "四", "自然人")
    assert f.location == cur_cell.location
    assert f.related[0].path == "b/二〇二二.txt" and f.related[0].location == prev_cell.location
    assert f"第 {cur_cell.location.line} 行" in f.text() and f"第 {prev_cell.location.line} 行" in f.text()
    assert f.fingerprint


def test_english_message():
    reports = _series(7, [2021, 2022])
    reports[1].set("三", "二", "其他", reports[1].get("三", "二", "其他") + 1)
    (f,) = run_crossyear(_facts(reports), lang="en", selected=["Y101"])[f"archive/{reports[1].agency}-2022.txt"][:1]
    assert "carry-over differs" in f.text("en") and "line" in f.text("en")


def test_carry_over_across_template_change():
    reports = _series(11, [2020, 2021])
    assert [r.template for r in reports] == ["2019", "2021"]
    reports[1].set("三", "二", "商业企业", reports[1].get("三", "二", "商业企业") + 2)
    out = run_crossyear(_facts(reports))
    codes = [(f.code, f.column) for fs in out.values() for f in fs]
    assert ("Y101", "商业企业") in codes


def test_project_counts_2019_to_2020():
    reports = _series(5, [2019, 2020])
    row = "二.六.行政处罚"
    reports[1].set("二", row, "上一年项目数量", reports[1].get("二", row, "上一年项目数量") + 3)
    out = run_crossyear(_facts(reports))
    (f,) = [f for fs in out.values() for f in fs]
    assert (f.code, f.severity, f.row, f.column) == ("Y102", "warning", row, "上一年项目数量")
    assert len(f.related) == 2 and all(r.path for r in f.related)


def test_effective_count_only_within_2021_format():
    reports = _series(9, [2021, 2022])
    row = "二.一.行政规范性文件"
    reports[1].set("二", row, "现行有效件数", reports[1].get("二", row, "现行有效件数") + 1)
    out = run_crossyear(_facts(reports))
    (f,) = [f for fs in out.values() for f in fs]
    assert (f.code, f.severity, f.column) == ("Y103", "warning", "现行有效件数")
    # R11: a 2020 (2019-format) report is never compared with a 2021 one on these counts
    reports = _series(9, [2020, 2021])
    reports[1].set("二", row, "现行有效件数", 9999)
    assert [f.code for fs in run_crossyear(_facts(reports)).values() for f in fs] == []


def test_gap_year_is_not_compared_and_duplicates_are_reported():
    reports = _series(13, [2021, 2022, 2023])
    reports[2].set("三", "二", "自然人", 12345)
    facts = _facts([reports[0], reports[2]])
    assert run_crossyear(facts) == {}
    dup = _facts([reports[0], reports[0]], names=["x/one.txt", "y/two.txt"])
    out = run_crossyear(dup)
    (f,) = out["y/two.txt"]
    assert f.code == "Y104" and f.severity == "info" and "x/one.txt" in f.text()


def test_agency_names_and_map():
    assert agency_key("岚汀县 人民政府") == agency_key("岚汀县政府") == agency_key("岚汀县人民政府2023年政府信息公开工作年度报告")
    assert agency_key("岚汀县人民政府办公室") != agency_key("岚汀县人民政府")
    reports = _series(17, [2021, 2022])
    reports[1].agency = "岚汀区市场监督管理局"  # renamed body, otherwise consistent
    reports[1].title = reports[1].title.replace(reports[0].agency, "岚汀区市场监督管理局")
    reports[1].set("三", "二", "自然人", reports[1].get("三", "二", "自然人") + 1)
    facts = _facts(reports)
    facts[1].agency = "岚汀区市场监督管理局"
    assert run_crossyear(facts) == {}
    amap = AgencyMap({"岚汀区市场监督管理局": reports[0].agency})
    assert [f.code for fs in run_crossyear(facts, agency_map=amap).values() for f in fs] == ["Y101"]


def test_agency_map_files(tmp_path):
    (tmp_path / "m.toml").write_text('[agencies]\n"甲县 农业局" = "甲县农业农村局"\n', encoding="utf-8")
    (tmp_path / "m.csv").write_text("旧名称,新名称\n甲县农业局,甲县农业农村局\n", encoding="utf-8")
    for name in ("m.toml", "m.csv"):
        amap = AgencyMap.load(tmp_path / name)
        assert amap.canonical("甲县农业局") == agency_key("甲县农业农村局")


def test_facts_and_findings_round_trip():
    reports = _series(21, [2021, 2022])
    reports[1].set("三", "二", "自然人", reports[1].get("三", "二", "自然人") + 1)
    facts = _facts(reports)
    again = [Facts.from_data(f.to_data(), f.path) for f in facts]
    for i, f in enumerate(again):
        f.index = i
    a, b = run_crossyear(facts), run_crossyear(again)
    assert [x.to_json() for fs in a.values() for x in fs] == [x.to_json() for fs in b.values() for x in fs]
    f = next(iter(a.values()))[0]
    assert Finding.from_json(f.to_json(internal=True), f.path).to_json(internal=True) == f.to_json(internal=True)


def test_y_rules_have_docs():
    for r in CROSSYEAR_RULES:
        assert r.code.startswith("Y") and r.name and r.summary and r.summary_en
        assert r.doc.what and r.doc.why and r.doc.example and r.doc.fix


@pytest.mark.skipif(not (ROOT / "examples" / "crossyear").is_dir(), reason="examples/crossyear not there")
def test_examples_crossyear_break_is_found():
    files = sorted(p for p in (ROOT / "examples" / "crossyear").iterdir() if p.suffix in (".txt", ".md"))
    facts = []
    for i, p in enumerate(files):
        f = extract_facts(parse(read_bytes(str(p), p.read_bytes())))
        f.index = i
        facts.append(f)
    found = [f for fs in run_crossyear(facts).values() for f in fs if f.code == "Y101"]
    assert found, "the carry-over break of examples/crossyear is not found"
    assert all(f.related and f.related[0].path and f.related[0].path != f.path for f in found)


def test_cli_agency_map_and_json_related_path(tmp_path):
    import json
    import os

    from typer.testing import CliRunner

    from gov_lint.cli import app

    reports = _series(23, [2021, 2022])
    old_name, new_name = reports[0].agency, "新设县数据管理局"
    reports[1].agency = new_name
    reports[1].title = reports[1].title.replace(old_name, new_name)
    reports[1].set("三", "二", "自然人", reports[1].get("三", "二", "自然人") + 1)
    reports[1].set("三", "二", "总计", reports[1].get("三", "二", "总计") + 1)
    d = tmp_path / "r"
    d.mkdir()
    for r in reports:
        (d / f"{r.year}.txt").write_text(write_tab_text(r), encoding="utf-8")
    (tmp_path / "map.csv").write_text(f"旧名称,新名称\n{old_name},{new_name}\n", encoding="utf-8")

    def check(*extra):
        old = os.getcwd()
        os.chdir(tmp_path)
        try:
            res = CliRunner().invoke(app, ["check", str(d), "--format", "json", "--no-cache", "--select", "Y", *extra])
        finally:
            os.chdir(old)
        return res, [f for file in json.loads(res.stdout)["files"] for f in file["findings"]]

    res, found = check()
    assert res.exit_code == 0 and found == []
    res, found = check("--agency-map", str(tmp_path / "map.csv"))
    assert res.exit_code == 1
    assert [(f["code"], f["column"]) for f in found] == [("Y101", "自然人")]  # 总计 moved with it: related
    f = found[0]
    assert f["related"][0]["path"].endswith("2021.txt") and "2022.txt" in f["message"] and "2021.txt" in f["message"]
    assert f["location"]["line"] > 1 and f["related"][0]["line"] > 1


def test_cli_bad_agency_map_exits_2(tmp_path):
    from typer.testing import CliRunner

    from gov_lint.cli import app

    (tmp_path / "r.txt").write_text(write_tab_text(_series(1, [2022])[0]), encoding="utf-8")
    (tmp_path / "bad.csv").write_text("只有一列\n", encoding="utf-8")
    for m in ("missing.toml", "bad.csv"):
        res = CliRunner().invoke(app, ["check", str(tmp_path / "r.txt"), "--no-cache", "--agency-map", str(tmp_path / m)])
        assert res.exit_code == 2 and "机关名称对照表" in res.stderr


# ---------------------------------------------------------------- relation language, Y105


def test_cross_year_relations_are_data_with_previous_year_cells():
    from gov_lint.relations import expand
    from gov_lint.rules.crossyear import cross_specs

    specs = {s.code: s for s in cross_specs()}
    assert set(specs) == {"Y101", "Y102", "Y103"}
    (inst, *_) = expand(specs["Y101"].expr, "2021")
    assert [(r.table, r.row, r.column, r.prev) for r in inst.lhs + inst.rhs] == [
        ("三", "二", "自然人", False), ("三", "四", "自然人", True)]
    assert specs["Y101"].applies("2019", "2021") and not specs["Y103"].applies("2019", "2021")


def test_a_typo_in_a_cross_year_relation_fails_to_load_naming_the_file(tmp_path):
    from gov_lint.rules.crossyear import cross_specs
    from gov_lint.rules.expr import ExprError

    (tmp_path / "bad.toml").write_text(
        '[[relation]]\ncode = "Y199"\nname = "typo"\nsummary = "x"\nwhat = "x"\nwhy = "x"\nexample = "x"\nfix = "x"\n'
        'expr = "三[二][c] == 前.三[四x][c] for c in 三.columns"\n', encoding="utf-8")
    with pytest.raises(ExprError, match=r"bad\.toml Y199: unknown cell 三\[四x\]\[自然人\]"):
        cross_specs(str(tmp_path))
    (tmp_path / "bad.toml").write_text(
        '[[relation]]\ncode = "Y198"\nname = "same-year"\nsummary = "x"\nwhat = "x"\nwhy = "x"\nexample = "x"\n'
        'fix = "x"\nexpr = "三[二][c] == 三[四][c] for c in 三.columns"\n', encoding="utf-8")
    with pytest.raises(ExprError, match="previous year"):
        cross_specs(str(tmp_path))


def test_a_row_copied_from_last_year_is_named():
    reports = _series(41, [2022, 2023])  # a busy body: most rows change from year to year
    before, after = reports
    row = "三.四.1"  # 本机关不掌握相关政府信息
    for col in ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"):
        after.set("三", row, col, before.get("三", row, col))
    assert before.get("三", row, "总计") >= 5
    out = run_crossyear(_facts(reports), selected=["Y105"])
    found = [f for fs in out.values() for f in fs]
    assert [(f.table, f.row) for f in found] == [("三", row)], [(f.row, f.text()) for f in found]
    assert "本机关不掌握相关政府信息" in found[0].text()
    assert found[0].path == "archive/" + f"{after.agency}-2023.txt"
    assert all(f.code == "Y105" and f.severity == "warning" and "可能未更新" in f.text() for f in found)
