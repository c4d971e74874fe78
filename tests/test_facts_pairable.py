"""A run extracts cross-year facts only from reports that can be paired (`crossyear.pairable`):
for any other report `CrossYear.add` answers nothing, whatever the agency map, so leaving their
facts out changes no finding."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from gov_lint import runner
from gov_lint.agency import AgencyMap
from gov_lint.check import CheckOptions, check_path
from gov_lint.rules.crossyear import CrossYear, extract_facts, pairable

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
REPORT = EXAMPLES / "2021" / "clean-web.txt"


def _report():
    result = check_path(REPORT)
    assert result.report is not None
    return result.report


def test_a_report_with_an_agency_and_a_year_is_pairable_and_sends_facts():
    report = _report()
    assert report.agency and report.year and pairable(report)
    spec = runner.WorkerSpec(check=CheckOptions(), cache_dir=None, tables=False)
    _, facts, _ = runner.check_fresh(str(REPORT), spec)
    assert facts is not None and facts.agency == report.agency


@pytest.mark.parametrize("change", [
    {"agency": None, "agency_guess": None},
    {"agency": None, "agency_guess": "（）"},  # a name with no comparison key
    {"year": None},
    {"template": "legacy"},
])
def test_facts_that_could_not_pair_give_nothing_whatever_the_map(change):
    report = replace(_report(), **change)
    assert not pairable(report)
    amap = AgencyMap({"某县人民政府": "某市人民政府", "甲局": "乙局"})
    cross = CrossYear(agency_map=amap)
    try:
        facts = extract_facts(report)
        assert cross.add(facts) == [] and cross.add(facts) == []  # not even a duplicate (Y104)
        assert cross.join(report.path, [], []) == [] and cross.drawn(report.path, {}) == {}
    finally:
        cross.close()


def test_a_file_without_an_agency_sends_no_facts(tmp_path):
    text = REPORT.read_text(encoding="utf-8").split("\n")
    body = "\n".join(line for line in text[1:])  # the title (and its agency name) gone
    p = tmp_path / "r.txt"
    p.write_text(body, encoding="utf-8")
    spec = runner.WorkerSpec(check=CheckOptions(), cache_dir=None, tables=False)
    result, facts, _ = runner.check_fresh(str(p), spec)
    if pairable(result.report) if result.report is not None else False:
        pytest.skip("the example names its agency after the title too")
    assert facts is None
