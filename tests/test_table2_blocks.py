"""Section 二 when PDF conversion moves a block: the （一） table after the （八） block.

A converter can print the 第二十条第（一）项 caption, then the other blocks, and only
then the （一） table with its `信息内容 | 本年制发件数 | …` header (corpus 013 does).
That header reopens block （一）: its rows are found and read, not reported missing.
"""

from __future__ import annotations

from gov_lint.check import check_bytes
from gov_lint.extract import extract_json

HEAD = "某某区某某局2023年政府信息公开工作年度报告\n\n二、主动公开政府信息情况\n第二十条第（一）项\n"
BLOCKS = (
    "第二十条第（五）项\n信息内容本年处理决定数量\n行政许可 3\n"
    "第二十条第（六）项\n信息内容本年处理决定数量\n行政处罚 0\n行政强制 0\n"
    "第二十条第（八）项\n信息内容本年收费金额（单位：万元）\n行政事业性收费 0\n"
)
TABLE1 = "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n|---|---|---|---|\n| 规章 | {a} |\n| 行政规范性文件 | {b} |\n"


def _run(a: str, b: str):
    text = HEAD + BLOCKS + TABLE1.format(a=a, b=b) + "\n三、收到和处理政府信息公开申请情况\n"
    result = check_bytes("moved.md", text.encode("utf-8"))
    return result, extract_json(result)["tables"]["二"]


def test_moved_block_one_is_read():
    result, t2 = _run("1 | 0 | 5", "2 | 1 | 9")
    assert t2["二.一.规章"] == {"本年制发件数": 1, "本年废止件数": 0, "现行有效件数": 5}
    assert t2["二.一.行政规范性文件"] == {"本年制发件数": 2, "本年废止件数": 1, "现行有效件数": 9}
    assert t2["二.五.行政许可"] == {"本年处理决定数量": 3}
    assert not [f for f in result.findings if f.code in ("P102", "P103")]


def test_moved_block_one_missing_a_cell_is_unreadable_not_missing():
    result, t2 = _run("22 | 235", "34 | 189")
    assert t2["二.一.规章"] == dict.fromkeys(("本年制发件数", "本年废止件数", "现行有效件数"))
    codes = {f.code for f in result.findings if f.table == "二"}
    assert "P103" in codes and "P102" not in codes
