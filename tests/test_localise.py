"""Error localisation (rules/localise.py) and the relation files' load-time checks.

* one changed number of a consistent generated report (hypothesis): an error
  finding whose cell or related cells include it; in the section-三 table, where
  every cell lies in a row sum and a column relation, exactly one error, A100 at
  that cell with the original number as `expected`;
* `--select A101` keeps the A100 that stands for the A101 failure;
* corrections are exposed on the CheckContext for the narrative rules;
* the search is bounded: a table of noise gives up after MAX_NODES candidate sets;
* a typo in a relation file is a load error naming the file and line.
"""

from __future__ import annotations

import json
import random
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gov_lint.check import CheckOptions, check_bytes
from gov_lint.model import Document
from gov_lint.parse import parse
from gov_lint.relations import RelationFileError, compiled, relation_folder, relation_specs
from gov_lint.rules import localise
from gov_lint.rules.base import CheckContext
from gov_lint.synth import encode, generate, mutate
from gov_lint.templates import load_template

OPTIONS = CheckOptions(plugins=False)


EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _check(synth, name="x.txt"):
    data, _suffix = encode("tab", synth)
    return check_bytes(name, data, OPTIONS)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tid=st.sampled_from(("2019", "2021")), seed=st.integers(0, 10**6), seed2=st.integers(0, 10**6))
def test_one_changed_number_is_located(tid, seed, seed2):
    synth = generate(tid, random.Random(seed))
    changed, (table, row, col) = mutate(synth, random.Random(seed2))
    result = _check(changed)
    cell = result.report.cell(table, row, col)
    assert cell is not None and cell.span is not None
    errors = [f for f in result.findings if f.severity == "error" and f.code[0] == "A"]
    start = (cell.span.line, cell.span.col)
    assert any((f.table, f.row, f.column) == (table, row, col)
               or any(r.span is not None and (r.span.line, r.span.col) == start for r in f.related)
               for f in errors), [(f.code, f.row, f.column) for f in result.findings]
    if table == "三":
        got = [(f.code, f.table, f.row, f.column, f.expected) for f in errors]
        assert got == [("A100", table, row, col, str(synth.get(table, row, col)))]


def test_selecting_a_relation_keeps_the_wrong_cell_that_explains_it(tmp_path):
    from typer.testing import CliRunner

    from gov_lint.cli import app

    synth = generate("2021", random.Random(7))
    synth.set("三", "三.七", "自然人", synth.get("三", "三.七", "自然人") + 1)
    data, _ = encode("tab", synth)
    (tmp_path / "r.txt").write_bytes(data)

    def codes(*args):
        res = CliRunner().invoke(app, ["check", str(tmp_path / "r.txt"), "--no-cache", "--isolated",
                                       "--format", "json", *args])
        return [(f["code"], f["row"], f["column"]) for file in json.loads(res.stdout)["files"] for f in file["findings"]]

    one = [("A100", "三.七", "自然人")]
    for selector in ("A101", "A102", "A103", "A100", "A1", "carry-over-balance"):
        assert codes("--select", selector) == one, selector
    assert codes("--select", "A104") == []
    assert codes("--ignore", "A100") == []
    assert codes("--ignore", "A101") == one  # it explains A102 and A103 too
    assert codes() == one


def test_corrections_and_consistent_tables_on_the_context():
    synth = generate("2021", random.Random(11))
    old = synth.get("三", "一", "商业企业")
    synth.set("三", "一", "商业企业", old + 3)
    data, _ = encode("tab", synth)
    report = parse(Document("x.txt", data.decode("utf-8")))
    ctx = CheckContext(template=load_template("2021"))
    localise.prepare(report, ctx)
    assert ctx.corrections == {("三", "一", "商业企业"): old}
    assert "四" in ctx.consistent_tables and "三" not in ctx.consistent_tables
    assert localise.best_value(report, ctx, "三", "一", "商业企业") == old
    assert localise.best_value(report, ctx, "三", "一", "总计") == synth.get("三", "一", "总计")


def test_a_table_of_noise_gives_up_within_the_bound():
    synth = generate("2021", random.Random(5))
    rng = random.Random(5)
    for t, r, c, v in list(synth.cells(("三",))):
        if isinstance(v, int):
            synth.set(t, r, c, rng.randrange(0, 1000))
    data, _ = encode("tab", synth)
    report = parse(Document("x.txt", data.decode("utf-8")))
    state = localise.table_state(report, compiled("2021")["三"])
    located = localise.locate(state)
    assert located is not None and not located.complete and located.solutions == []
    assert located.nodes <= localise.MAX_NODES + 1
    # and the plain relation findings stand
    result = check_bytes("x.txt", data, OPTIONS)
    assert {"A101", "A102", "A103"} <= {f.code for f in result.findings}


def test_two_blank_cells_in_one_row_are_each_filled():
    synth = generate("2021", random.Random(21))
    row = "一"
    columns = [c for c in ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他") if synth.get("三", row, c)][:2]
    assert len(columns) == 2
    want = {c: synth.get("三", row, c) for c in columns}
    for c in want:
        synth.set("三", row, c, None)
    result = _check(synth)
    got = {(f.code, f.column, f.expected) for f in result.findings if f.severity == "error"}
    assert got == {("A111", c, str(v)) for c, v in want.items()}


def test_the_shipped_relations_load():
    assert {s.code for s in relation_specs()} >= {"A101", "A102", "A103", "A104", "A105"}


@pytest.mark.parametrize(("old", "new", "problem"), [
    ("三[三.七][c] + 三[四][c]", "三[三.七x][c] + 三[四][c]", "unknown row 三[三.七x]"),
    ("四[r][结果维持] + 四[r][结果纠正]", "四[r][结果维护] + 四[r][结果纠正]", "unknown column"),
    ("for k in 三.applicant_columns", "for k in 三.applicant_column", "unknown set 三.applicant_column"),
])
def test_a_typo_in_a_relation_file_is_a_load_error_with_file_and_line(tmp_path, old, new, problem):
    src = relation_folder() / "core.toml"
    text = src.read_text(encoding="utf-8")
    assert old in text
    (tmp_path / "core.toml").write_text(text.replace(old, new, 1), encoding="utf-8")
    line = text[: text.index(old)].count("\n") + 1
    with pytest.raises(RelationFileError) as err:
        relation_specs(str(tmp_path))
    message = str(err.value)
    assert f"core.toml:{line}:" in message and problem in message


def test_a_relation_file_that_is_not_toml_is_a_load_error(tmp_path):
    shutil.copy(relation_folder() / "core.toml", tmp_path / "core.toml")
    (tmp_path / "extra.toml").write_text("[[relation]\ncode = 'X'\n", encoding="utf-8")
    with pytest.raises(RelationFileError, match="extra.toml"):
        relation_specs(str(tmp_path))


def test_cells_read_from_run_together_digits_are_named_in_the_note():
    synth = generate("2021", random.Random(13))
    synth.set("三", "三.七", "自然人", synth.get("三", "三.七", "自然人") + 2)
    data, _ = encode("tab", synth)
    report = parse(Document("x.txt", data.decode("utf-8")))
    for cell in report.tables["三"].rows["三.七"].cells.values():
        cell.inferred = True  # as the decoder marks cells it cut from a run of digits
    from gov_lint.rules.registry import all_rules

    ctx = CheckContext(template=load_template("2021"), rules=all_rules(False))
    localise.prepare(report, ctx)
    (f,) = list(localise.check(report, ctx))
    assert (f.code, f.row, f.column, f.expected) == ("A100", "三.七", "自然人", str(synth.get("三", "三.七", "自然人") - 2))
    assert any("连写的数字" in n for n in f.note_texts())
    assert f.message.id == "A100" and "R1" in f.message.args["relations"]


def test_prose_that_states_the_corrected_value_supports_the_cell():
    synth = generate("2021", random.Random(3))
    right = synth.get("三", "一", "总计")
    synth.set("三", "一", "总计", right + 1)
    result = _check(synth)
    errors = [f for f in result.findings if f.severity == "error"]
    assert [(f.code, f.row, f.column, f.expected) for f in errors] == [("A100", "一", "总计", str(right))]
    assert [n for n in errors[0].note_texts() if n.startswith("正文也写作")] == [f"正文也写作“{right}件”"]


def test_prose_breaks_a_tie_between_equally_small_repairs():
    # 一、本年新收 其他 and 总计 both one too high: the row adds up, R1 fails in two columns,
    # and the table alone cannot tell 一 from 二 or 四; the text states 一's total (702件)
    # and 二's and 四's totals as printed, so only the repair of 一 agrees with it (二 drops out
    # here anyway when its 其他 is 0: it cannot go below 0)
    synth = generate("2021", random.Random(3))
    want = {c: synth.get("三", "一", c) for c in ("其他", "总计")}
    for c in want:
        synth.set("三", "一", c, want[c] + 1)
    errors = [f for f in _check(synth).findings if f.severity == "error"]
    assert sorted((f.code, f.row, f.column, f.expected) for f in errors) == sorted(
        ("A100", "一", c, str(v)) for c, v in want.items())
    assert all(any(re.match(r"只看表格有 [23] 种同样少的改法；正文写的数字支持这一种", n) for n in f.note_texts()) for f in errors)


def test_prose_tie_note_only_on_the_cells_the_prose_decided():
    # examples/2019/errors: the prose decides the carry-over repair (二 not 四), but the blank 予以公开
    # total and the （七）总计 cell change alike in both repairs: no "the prose chose" note on them
    path = EXAMPLES / "2019" / "errors.txt"
    result = check_bytes(str(path), path.read_bytes(), CheckOptions())
    chose = re.compile(r"只看表格有 \d 种同样少的改法；正文写的数字支持这一种")
    noted = {(f.code, f.row, f.column) for f in result.findings if any(chose.match(n) for n in f.note_texts())}
    assert noted == {("A100", "二", "商业企业"), ("A100", "二", "总计"), ("A100", "行政复议", "总计")}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tid=st.sampled_from(("2019", "2021")), seed=st.integers(0, 10**6), data=st.data())
def test_two_wrong_cells_give_two_findings_at_them(tid, seed, data):
    """Two outcome cells in different rows and columns, off by different amounts: each is
    found, with its own number (equal amounts would also fit the other corners of their
    rectangle, a genuine tie)."""
    synth = generate(tid, random.Random(seed))
    leaves = load_template(tid).leaves3
    columns = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
    ra, rb = data.draw(st.lists(st.sampled_from(leaves), min_size=2, max_size=2, unique=True))
    ca, cb = data.draw(st.lists(st.sampled_from(columns), min_size=2, max_size=2, unique=True))
    da, db = data.draw(st.lists(st.sampled_from((1, 2, 3, 7, 40)), min_size=2, max_size=2, unique=True))
    want = {(ra, ca): synth.get("三", ra, ca), (rb, cb): synth.get("三", rb, cb)}
    synth.set("三", ra, ca, want[(ra, ca)] + da)
    synth.set("三", rb, cb, want[(rb, cb)] + db)
    errors = [f for f in _check(synth).findings if f.severity == "error"]
    assert sorted((f.code, f.row, f.column, f.expected) for f in errors) == sorted(
        ("A100", r, c, str(v)) for (r, c), v in want.items())


def _gauss_by_division(rows, n):
    """Gauss–Jordan over Fractions dividing by each pivot: the reference `_gauss` must agree with."""
    from fractions import Fraction

    rows = [[Fraction(x) for x in r] for r in rows]
    pivot = 0
    for c in range(n):
        p = next((r for r in range(pivot, len(rows)) if rows[r][c] != 0), None)
        if p is None:
            return None
        rows[pivot], rows[p] = rows[p], rows[pivot]
        for r in range(len(rows)):
            if r != pivot and rows[r][c] != 0:
                f = rows[r][c] / rows[pivot][c]
                rows[r] = [a - f * b for a, b in zip(rows[r], rows[pivot])]
        pivot += 1
    if any(r[-1] != 0 for r in rows[pivot:]):
        return None
    return [rows[c][-1] / rows[c][c] for c in range(n)]


@settings(max_examples=300, deadline=None)
@given(n=st.integers(1, 5), data=st.data())
def test_fraction_free_elimination_gives_the_divided_answer(n, data):
    """The repair search solves its systems without leaving the integers (a speed-up of
    issue 11); it must give exactly the answer of plain elimination with fractions: one
    solution, none or many alike, on integer systems and on money residuals (Decimal)."""
    from decimal import Decimal
    from fractions import Fraction

    m = data.draw(st.integers(0, 8))
    coef = st.integers(-2, 2)
    rows = [[data.draw(coef) for _ in range(n)] + [data.draw(st.integers(-50, 50))] for _ in range(m)]
    if rows and data.draw(st.booleans()):
        rows[0][-1] = -Fraction(Decimal(data.draw(st.integers(-500, 500))) / 10)
    assert localise._gauss([r[:] for r in rows], n) == _gauss_by_division(rows, n)
