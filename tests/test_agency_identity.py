"""Agency identity (issue 12 part 2): the body's name from the title, the crawler's header, the
signature and the contact sentence, never from site chrome; cross-year pairing only on a confident
name (or an --agency-map entry)."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gov_lint import cli
from gov_lint.agency import CHROME, clean_name, name_in_title
from gov_lint.parse import parse
from gov_lint.readers import read_bytes
from gov_lint.synth import generate_series, write_tab_text

SHARED = Path(__file__).resolve().parents[2] / "shared"
CHROME_LINE = "当前位置： 首页政务公开政府信息公开政府信息公开年报 {title} 来源： 时间：2023-01-10 08:51 --> 微信 微博 QQ空间 全真版 文字版"


def test_clean_name_cuts_chrome_and_trailing_words():
    assert clean_name("当前位置:首页政务公开某某县交通局") == "某某县交通局"
    assert clean_name("某某县人民政府关于报送") == "某某县人民政府"
    assert clean_name("某某县人民政府关于印发") == "某某县人民政府"
    assert clean_name("某某县人民政府关于") == "某某县人民政府"
    assert clean_name("当前位置:首页") is None
    assert clean_name("首页 > 政务公开 >") is None
    assert clean_name("工作") is None  # a word left over from a broken title, not a body
    assert clean_name("本机关") is None


def test_name_in_title_finds_the_title_inside_a_breadcrumb():
    line = CHROME_LINE.format(title="某某县交通局2022年度政府信息公开工作年度报告")
    name, start, end = name_in_title(line)
    assert name == "某某县交通局" and line[start:end] == "某某县交通局"
    assert name_in_title("某 某 县 人民政府 2021 年政府信息公开工作年度报告")[0] == "某某县人民政府"
    assert name_in_title("某某县人民政府关于报送2021年政府信息公开工作年度报告的函")[0] == "某某县人民政府"


def _page(report, chrome: bool = True, title: bool = True, signature: bool = True) -> str:
    """A saved web page: the site's breadcrumb and buttons before the report."""
    lines = write_tab_text(report).split("\n")
    head = lines[0]
    body = lines[1:]
    if chrome:
        head = CHROME_LINE.format(title=head if title else "")
    elif not title:
        head = ""
    text = "\n".join([head, *body])
    if not signature:
        text = text.replace(f"\n{report.agency}\n", "\n")
        text = re.sub(r"请与[^。]*联系", "请来电咨询", text)
    return text


def _series(agency: str, seed: int):
    return generate_series(None, random.Random(seed), [2021, 2022], agency=agency)


def test_parse_takes_the_title_in_the_breadcrumb_not_the_chrome():
    r = _series("某某县交通局", 1)[1]
    rep = parse(read_bytes("p.txt", _page(r).encode("utf-8")))
    assert (rep.agency, rep.year, rep.agency_source) == ("某某县交通局", 2022, "title")
    line = rep.document.line(rep.agency_span.line)
    assert line[rep.agency_span.col - 1: rep.agency_span.end_col - 1] == "某某县交通局"
    assert rep.title == "某某县交通局2022年政府信息公开工作年度报告"


def test_no_confident_source_means_no_agency():
    r = _series("某某县交通局", 2)[1]
    rep = parse(read_bytes("p.txt", _page(r, title=False, signature=False).encode("utf-8")))
    assert rep.agency is None and rep.agency_guess is None
    rep = parse(read_bytes("p.txt", _page(r, title=False).encode("utf-8")))
    assert rep.agency is None and rep.agency_guess == "某某县交通局"  # the signature alone is a guess
    assert rep.agency_source == "signature"


def _check(tmp_path: Path, pages: dict[str, str], *extra: str) -> list[dict]:
    d = tmp_path / "pages"
    d.mkdir(exist_ok=True)
    for name, text in pages.items():
        (d / name).write_text(text, encoding="utf-8")
    res = CliRunner().invoke(cli.app, ["check", str(d), "--format", "json", "--no-cache", "--isolated", "--jobs", "1",
                                       "--select", "Y", *extra], catch_exceptions=False)
    return json.loads(res.stdout)["files"]


def _ys(files: list[dict]) -> list[tuple[str, str, str]]:
    return [(Path(f["path"]).name, x["code"], x["severity"]) for f in files for x in f["findings"]]


def _unrelated_pair():
    """2021 of one body and 2022 of another; paired, their carry-over would not match."""
    a, b = _series("甲县教育局", 3)[0], _series("乙县财政局", 4)[1]
    b.set("三", "二", "其他", a.get("三", "四", "其他") + 3)
    return a, b


def test_unrelated_bodies_with_the_same_site_chrome_are_not_paired(tmp_path):
    a, b = _unrelated_pair()
    for title in (True, False):
        files = _check(tmp_path, {"a.txt": _page(a, title=title, signature=False),
                                  "b.txt": _page(b, title=title, signature=False)})
        assert _ys(files) == [], title
        assert all(f["agency"] != "当前位置:首页" and not any(w in (f["agency"] or "") for w in CHROME) for f in files)


def test_one_body_behind_chrome_is_still_paired(tmp_path):
    a, b = _series("甲县教育局", 5)
    b.set("三", "二", "其他", a.get("三", "四", "其他") + 3)
    files = _check(tmp_path, {"a.txt": _page(a), "b.txt": _page(b)})
    assert ("b.txt", "Y101", "error") in _ys(files)


def test_a_pairing_by_signature_alone_is_only_an_info(tmp_path):
    a, b = _series("甲县教育局", 6)
    b.set("三", "二", "其他", a.get("三", "四", "其他") + 3)
    pages = {"a.txt": _page(a, title=False), "b.txt": _page(b, title=False)}
    found = [x for f in _check(tmp_path, pages) for x in f["findings"]]
    assert [(x["code"], x["severity"]) for x in found] == [("Y101", "info")]
    assert any("--agency-map" in n for n in found[0]["notes"])
    # an --agency-map entry vouches for the name: the relation is an error again
    (tmp_path / "map.toml").write_text('"甲县教育局" = "甲县教育局（局机关）"\n', encoding="utf-8")
    found = [x for f in _check(tmp_path, pages, "--agency-map", str(tmp_path / "map.toml")) for x in f["findings"]]
    assert [(x["code"], x["severity"]) for x in found] == [("Y101", "error")]


CORPUS_NAMES = {
    "101.txt": "平潭综合实验区公安局", "108.txt": "平潭综合实验区交通与建设局", "109.txt": "平潭综合实验区交通与建设局",
    "110.txt": "平潭综合实验区交通与建设局", "113.txt": "平潭综合实验区行政审批局", "124.txt": "平潭综合实验区经济发展局",
    "013.md": "上海市人民政府办公厅", "010.html": "沭阳县发展和改革局",
}


@pytest.mark.skipif(not (SHARED / "corpus").is_dir(), reason="../shared/corpus is not there")
@pytest.mark.parametrize("name", sorted(CORPUS_NAMES))
def test_corpus_agencies_are_the_bodies_not_the_breadcrumb(name):
    path = SHARED / "corpus" / name
    rep = parse(read_bytes(str(path), path.read_bytes()))
    assert rep.agency == CORPUS_NAMES[name]


@pytest.mark.skipif(not (SHARED / "seeds").is_dir(), reason="../shared/seeds is not there")
def test_seed_agencies_have_no_chrome_or_markup():
    for path in sorted((SHARED / "seeds").glob("*.txt")):
        rep = parse(read_bytes(str(path), path.read_bytes()))
        assert rep.agency and not rep.agency.startswith("#") and not any(w in rep.agency for w in CHROME), path
