"""The synthetic report generator and its writers, checked without the linter.

These tests hold the generator to the relations of spec §4 on its own terms, so a
failing property test elsewhere points at the linter, not at the generator.
"""

from __future__ import annotations

import io
import random
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gov_lint.synth import (
    APPLICANTS,
    PROFILES,
    check_consistent,
    generate,
    generate_series,
    mutate,
    write_html,
    write_markdown,
    write_run_together,
    write_tab_text,
)
from gov_lint.templates import common, load_template

ROOT = Path(__file__).resolve().parents[1]
seeds = st.integers(min_value=0, max_value=2**32 - 1)
templates = st.sampled_from(["2019", "2021"])


@settings(max_examples=60, deadline=None)
@given(templates, seeds)
def test_generated_report_is_consistent_and_shaped_like_the_template(tid, seed):
    r = generate(tid, random.Random(seed))
    assert check_consistent(r) == []
    t = load_template(tid)
    assert list(r.tables["三"]) == list(t.rows3)
    assert all(list(cols) == list(common().columns3) for cols in r.tables["三"].values())
    assert list(r.tables["四"]) == list(common().rows4)
    assert all(list(cols) == list(common().columns4) for cols in r.tables["四"].values())
    want2 = {row.key: [c.key for c in b.columns] for b in t.blocks for row in b.rows}
    assert {k: list(v) for k, v in r.tables["二"].items()} == want2
    for b in t.blocks:
        for c in b.columns:
            for row in b.rows:
                v = r.tables["二"][row.key][c.key]
                if c.kind == "money":
                    assert isinstance(v, Decimal) and v.as_tuple().exponent == -2 and v >= 0
                else:
                    assert isinstance(v, int)
    assert t.covers(r.year)
    assert r.agency in r.title and str(r.year) in r.title
    assert f"{r.year}年1月1日至{r.year}年12月31日" in r.preamble[0]


def test_profiles_give_zeros_and_hundreds():
    totals = [generate("2021", random.Random(s)).tables["三"]["一"]["总计"] for s in range(300)]
    assert totals.count(0) > 30  # town reports with nothing received
    assert max(totals) >= 100
    z = generate("2019", random.Random(1), profile="zero")
    assert all(v == 0 for _, _, _, v in z.cells(("三", "四")))
    with pytest.raises(ValueError):
        generate("2019", random.Random(1), profile="huge")


@settings(max_examples=40, deadline=None)
@given(templates, seeds)
def test_series_carries_over(tid, seed):
    years = [2019, 2020] if tid == "2019" else [2021, 2022, 2023]
    series = generate_series(tid, random.Random(seed), years)
    assert len({r.agency for r in series}) == 1
    for prev, cur in zip(series, series[1:]):
        assert check_consistent(cur) == []
        assert cur.tables["三"]["二"] == prev.tables["三"]["四"]  # R6
        for row, cols in cur.tables["二"].items():
            p = prev.tables["二"][row]
            if "上一年项目数量" in cols:  # R7
                assert cols["上一年项目数量"] == p["上一年项目数量"] + p["本年增/减"]
            if "现行有效件数" in cols:  # R9
                assert cols["现行有效件数"] == p["现行有效件数"] + cols["本年制发件数"] - cols["本年废止件数"]


@settings(max_examples=60, deadline=None)
@given(templates, seeds, seeds)
def test_mutate_changes_exactly_one_cell(tid, seed, seed2):
    r = generate(tid, random.Random(seed))
    m, (table, row, col) = mutate(r, random.Random(seed2))
    diff = [(t, rw, c) for (t, rw, c, v) in r.cells() if m.get(t, rw, c) != v]
    assert diff == [(table, row, col)]
    assert table in ("三", "四")
    assert m.get(table, row, col) >= 0
    assert check_consistent(m) != []  # every cell of 三/四 takes part in some relation
    assert check_consistent(r) == []  # the original is untouched


def _numbers(line: str) -> list[str]:
    return [c for c in line.split("\t") if re.fullmatch(r"[+-]?\d+(\.\d+)?", c)]


@settings(max_examples=40, deadline=None)
@given(templates, seeds)
def test_tab_text_prints_every_row_in_order(tid, seed):
    r = generate(tid, random.Random(seed))
    text = write_tab_text(r)
    lines = text.split("\n")
    assert lines[0] == r.title
    for number in "一二三四五六":
        assert r.sections[number].heading in lines
    rows = [ln for ln in lines if len(_numbers(ln)) == 7]
    assert [list(map(int, _numbers(ln))) for ln in rows] == [list(v.values()) for v in r.tables["三"].values()]
    four = [ln for ln in lines if len(_numbers(ln)) == 15]
    assert [int(x) for x in _numbers(four[0])] == [v for cols in r.tables["四"].values() for v in cols.values()]
    assert "\t" not in r.title


@settings(max_examples=30, deadline=None)
@given(templates, seeds)
def test_markdown_tables_are_rectangular(tid, seed):
    md = write_markdown(generate(tid, random.Random(seed)))
    assert md.startswith("# ")
    table_lines = [ln for ln in md.split("\n") if ln.startswith("|")]
    blocks, cur = [], []
    for ln in md.split("\n"):
        if ln.startswith("|"):
            cur.append(ln)
        elif cur:
            blocks.append(cur)
            cur = []
    assert len(blocks) == len(load_template(tid).blocks) + 2
    for b in blocks:
        assert re.fullmatch(r"\|(---\|)+", b[1])
        assert len({ln.count("|") for ln in b}) == 1
    assert table_lines


@settings(max_examples=30, deadline=None)
@given(templates, seeds)
def test_run_together_row_digits(tid, seed):
    r = generate(tid, random.Random(seed))
    text = write_run_together(r)
    assert text.count("\n") == 2  # title line and one body line
    squeezed = text.replace(" ", "")  # a few runs carry a stray space, as in corpus 002
    for key, cols in r.tables["三"].items():
        assert "".join(str(v) for v in cols.values()) in squeezed
    four = "".join(str(v) for cols in r.tables["四"].values() for v in cols.values())
    assert four in text.replace(" ", "") or " ".join(
        str(v) for cols in r.tables["四"].values() for v in cols.values()) in text


def _html_grid(html: str, cls: str) -> list[list[str]]:
    """Expand a table's rowspan/colspan into a grid (lxml, a real parser)."""
    lxml_html = pytest.importorskip("lxml.html")
    tree = lxml_html.fromstring(html)
    table = tree.xpath(f'//table[@class="{cls}"]')[0]
    grid: dict[tuple[int, int], str] = {}
    for ri, tr in enumerate(table.xpath("./tr")):
        ci = 0
        for td in tr.xpath("./td"):
            while (ri, ci) in grid:
                ci += 1
            rs, cs = int(td.get("rowspan", 1)), int(td.get("colspan", 1))
            for dr in range(rs):
                for dc in range(cs):
                    grid[(ri + dr, ci + dc)] = td.text_content()
            ci += cs
    nrows = 1 + max(r for r, _ in grid)
    ncols = 1 + max(c for _, c in grid)
    return [[grid.get((r, c), "") for c in range(ncols)] for r in range(nrows)]


@settings(max_examples=20, deadline=None)
@given(templates, seeds)
def test_html_merged_cells_form_a_full_grid(tid, seed):
    r = generate(tid, random.Random(seed))
    html = write_html(r)
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    g3 = _html_grid(html, "t3")
    assert all(len(row) == 10 for row in g3)
    data = g3[3:]
    assert [[int(x) for x in row[3:]] for row in data] == [list(v.values()) for v in r.tables["三"].values()]
    n_result = len([k for k in load_template(tid).rows3 if k.startswith("三.")])
    assert sum(1 for row in data if row[0] == "三、本年度办理结果") == n_result
    g4 = _html_grid(html, "t4")
    assert [int(x) for x in g4[3]] == [v for cols in r.tables["四"].values() for v in cols.values()]


def test_docx_has_merged_word_tables():
    docx = pytest.importorskip("docx")
    from gov_lint.synth import write_docx

    r = generate("2021", random.Random(11), profile="medium")
    d = docx.Document(io.BytesIO(write_docx(r)))
    assert len(d.tables) == 3
    t3 = d.tables[1]
    # a merged cell is the same cell object text across the merge
    assert t3.cell(0, 0).text == t3.cell(2, 2).text and t3.cell(0, 0).text.startswith("（本列数据")
    assert t3.cell(3, 0).text == t3.cell(3, 2).text == "一、本年新收政府信息公开申请数量"
    got = [[int(t3.cell(ri, ci).text) for ci in range(3, 10)] for ri in range(3, len(t3.rows))]
    assert got == [list(v.values()) for v in r.tables["三"].values()]
    assert write_docx(r) == write_docx(r)  # reproducible bytes


def test_pdf_tables_are_found_by_pdfplumber():
    pdfplumber = pytest.importorskip("pdfplumber")
    pytest.importorskip("reportlab")
    from gov_lint.synth import write_pdf

    r = generate("2019", random.Random(12), profile="medium")
    data = write_pdf(r)
    assert data.startswith(b"%PDF-") and write_pdf(r) == data
    tables = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        text = "".join(p.extract_text() or "" for p in pdf.pages)
        for p in pdf.pages:
            tables += p.extract_tables()
    assert r.title in text.replace("\n", "")
    widths = sorted({len(t[0]) for t in tables})
    assert widths == [4, 10, 15]
    t4 = [t for t in tables if len(t[0]) == 15][0]
    assert [int(x) for x in t4[-1]] == [v for cols in r.tables["四"].values() for v in cols.values()]


def test_examples_are_up_to_date():
    script = ROOT / "examples" / "make_examples.py"
    if not script.is_file():
        pytest.skip("examples/make_examples.py not present")
    out = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


@pytest.mark.parametrize("tid", ["2019", "2021"])
def test_every_profile_generates(tid):
    for p in PROFILES:
        r = generate(tid, random.Random(3), profile=p)
        assert check_consistent(r) == []
        assert sum(r.tables["三"]["三.七"][c] for c in APPLICANTS) == r.tables["三"]["三.七"]["总计"]


@settings(max_examples=40, deadline=None)
@given(templates, seeds, seeds)
def test_mutate_narrative_changes_prose_only(tid, seed, seed2):
    from gov_lint.synth import NARRATIVE_CELLS, mutate_narrative

    r = generate(tid, random.Random(seed))
    m, target = mutate_narrative(r, random.Random(seed2))
    assert target in NARRATIVE_CELLS
    assert m.tables == r.tables
    assert (m.sections["三"].paragraphs, m.sections["四"].paragraphs) != (r.sections["三"].paragraphs,
                                                                         r.sections["四"].paragraphs)
    assert check_consistent(m) == []
