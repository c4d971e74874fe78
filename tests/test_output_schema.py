"""`--format json` and `--format json-lines` against tests/schemas/gov-lint-1.schema.json,
and the agency fields of a file entry (issue 12.2): `agency` only when confident,
`agency_source` and the unconfident `agency_guess` beside it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

jsonschema = pytest.importorskip("jsonschema")

from gov_lint.check import check_path  # noqa: E402
from gov_lint.model import FileResult  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "tests" / "schemas" / "gov-lint-1.schema.json").read_text(encoding="utf-8"))
CLEAN = ROOT / "examples" / "2021" / "clean.txt"


def _validator(definition: str | None = None):
    schema = SCHEMA if definition is None else {**SCHEMA, "$ref": f"#/definitions/{definition}"}
    if definition is not None:
        schema = {k: v for k, v in schema.items() if k not in ("required", "properties", "additionalProperties", "type")}
    return jsonschema.Draft7Validator(schema)


def _signed_only(tmp_path: Path) -> Path:
    """The clean 2021 example with the agency taken out of its title: only the signature names it."""
    lines = CLEAN.read_text(encoding="utf-8").splitlines()
    lines[0] = "2023年政府信息公开工作年度报告"
    p = tmp_path / "signed.txt"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def _run(fmt: str, *paths: Path) -> str:
    from typer.testing import CliRunner

    from gov_lint.cli import app

    res = CliRunner().invoke(app, ["check", "--no-cache", "--jobs", "1", "--format", fmt, *map(str, paths)])
    assert res.exit_code in (0, 1, 2), res.output[-800:]  # 2: a file was skipped
    return res.stdout


def test_json_output_validates_and_carries_agency_confidence(tmp_path):
    skipped = tmp_path / "notes.md"
    skipped.write_text("# 会议记录\n\n今天讨论了三件事。\n", encoding="utf-8")
    data = json.loads(_run("json", CLEAN, _signed_only(tmp_path), skipped, ROOT / "examples" / "2019" / "errors.txt"))
    errors = sorted(_validator().iter_errors(data), key=str)
    assert errors == [], [e.message for e in errors[:5]]
    by_name = {Path(f["path"]).name: f for f in data["files"]}
    assert {k: by_name["clean.txt"][k] for k in ("agency", "agency_source", "agency_guess")} == {
        "agency": "槐川市砚溪区市场监督管理局", "agency_source": "title", "agency_guess": None}
    assert {k: by_name["signed.txt"][k] for k in ("agency", "agency_source", "agency_guess")} == {
        "agency": None, "agency_source": "signature", "agency_guess": "槐川市砚溪区市场监督管理局"}
    assert {k: by_name["notes.md"][k] for k in ("agency", "agency_source", "agency_guess")} == {
        "agency": None, "agency_source": None, "agency_guess": None}


def test_json_lines_every_line_validates(tmp_path):
    out = _run("json-lines", ROOT / "examples" / "2019" / "errors.txt", _signed_only(tmp_path))
    lines = [json.loads(x) for x in out.splitlines() if x.strip()]
    v = _validator("line")
    for obj in lines:
        assert list(v.iter_errors(obj)) == [], obj
    findings = [x for x in lines if x["type"] == "finding"]
    assert findings and all(x["agency_source"] == "title" for x in findings if x["path"].endswith("errors.txt"))


def test_schema_rejects_a_guess_shown_as_the_agency():
    bad = {"path": "x.txt", "status": "checked", "reason": None, "template": "2021", "year": 2023,
           "agency": "某某镇人民政府", "agency_source": "signature", "agency_guess": "某某镇人民政府", "findings": []}
    assert len(list(_validator("file").iter_errors(bad))) >= 1
    del bad["agency_guess"]
    assert any("agency_guess" in e.message for e in _validator("file").iter_errors(bad))


def test_agency_fields_survive_a_saved_result(tmp_path):
    """`report --from` and the cache read the fields back (FileResult.from_json)."""
    result = check_path(_signed_only(tmp_path))
    back = FileResult.from_json(json.loads(json.dumps(result.to_json())))
    assert (back.agency, back.agency_source, back.agency_guess) == (None, "signature", "槐川市砚溪区市场监督管理局")
