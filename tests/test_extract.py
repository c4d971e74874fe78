"""`gov-lint extract`: the parsed tables, the interface issue 3 fixes.

`{"schema": "gov-lint-extract/1", "files": [{"path", "template", "year", "agency",
"tables": {"二": {row: {column: value}}, "三": {…}, "四": {…}}}]}` with int values,
decimal strings for money, and null for blank or unread cells.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from typer.testing import CliRunner

from gov_lint.cli import app

BASES = Path(__file__).resolve().parent / "rule_cases" / "base"
runner = CliRunner()


def extract(path: Path, *args: str) -> tuple[int, str]:
    out = runner.invoke(app, ["extract", str(path), *args])
    return out.exit_code, out.stdout


def test_extract_json_2021(tmp_path):
    text = (BASES / "2021.txt").read_text(encoding="utf-8")
    text = text.replace("\t150\t12\t2\t3\t4\t6\t177", "\t150\t12\t\t3\t4\t6\t177")  # one blank cell
    text = text.replace("\t\t4. 保护第三方合法权益\t4\t1\t0\t0\t0\t0\t5", "\t\t4. 保护第三方合法权益\t4\t1\t0\t0\t0\t0")  # a lost cell
    path = tmp_path / "r.txt"
    path.write_text(text, encoding="utf-8")
    code, out = extract(path)
    assert code == 0
    data = json.loads(out)
    assert data["schema"] == "gov-lint-extract/1"
    (f,) = data["files"]
    assert (f["path"], f["template"], f["year"], f["agency"]) == (str(path), "2021", 2023, "青禾县白鹭镇人民政府")
    t3 = f["tables"]["三"]
    assert list(t3["一"]) == ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    assert list(t3["一"].values()) == [230, 20, 3, 4, 5, 10, 272]
    assert t3["三.一"]["科研机构"] is None  # blank
    # 6 numbers for 7 columns: only a blank 总计 keeps the column relations, so it is read that way
    assert list(t3["三.三.4"].values()) == [4, 1, 0, 0, 0, 0, None]
    assert t3["三.六.3"]["总计"] == 8 and t3["三.七"]["总计"] == 275
    assert len(t3) == 25
    assert f["tables"]["二"]["二.八.行政事业性收费"] == {"本年收费金额": "1.25"}
    assert f["tables"]["二"]["二.一.行政规范性文件"] == {"本年制发件数": 3, "本年废止件数": 1, "现行有效件数": 12}
    assert f["tables"]["四"]["行政复议"] == {"结果维持": 2, "结果纠正": 1, "其他结果": 0, "尚未审结": 1, "总计": 4}
    assert f["tables"]["四"]["复议后起诉"]["总计"] == 0


def test_extract_json_2019_signed_and_money():
    code, out = extract(BASES / "2019.txt")
    assert code == 0
    (f,) = json.loads(out)["files"]
    assert f["template"] == "2019" and f["year"] == 2020
    t2 = f["tables"]["二"]
    assert t2["二.五.行政许可"]["本年增/减"] == 2
    assert t2["二.五.其他对外管理服务事项"]["本年增/减"] == -1
    assert t2["二.九.政府集中采购"] == {"采购项目数量": 5, "采购总金额": "126.4"}
    assert t2["二.一.行政规范性文件"]["对外公开总数量"] == 15  # the 2019 label 规范性文件 maps to this key
    assert f["tables"]["三"]["三.六"]["自然人"] == 8


def test_extract_csv():
    code, out = extract(BASES / "2021.txt", "--format", "csv")
    assert code == 0
    assert out.startswith("\ufeff")  # UTF-8 BOM, as `check --format csv` (GOV_LINT_CSV_BOM=0 drops it)
    rows = list(csv.reader(io.StringIO(out[1:])))
    assert rows[0][:5] == ["path", "table", "row", "column", "value"]
    cells = {(r[1], r[2], r[3]): r for r in rows[1:]}
    assert cells[("三", "一", "总计")][4] == "272"
    assert cells[("三", "一", "总计")][8] == "31"  # line of the cell in the file
    assert cells[("二", "二.八.行政事业性收费", "本年收费金额")][4] == "1.25"
    assert len([r for r in rows[1:] if r[1] == "三"]) == 25 * 7


def test_extract_unreadable_file(tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    out = runner.invoke(app, ["extract", str(bad)])
    assert out.exit_code == 2
    (f,) = json.loads(out.stdout)["files"]
    assert f["status"] == "skipped" and f["tables"] == {} and f["reason"]
