#!/usr/bin/env python3
"""Regenerate every synthetic example report in this folder, deterministically.

    python examples/make_examples.py          # rewrite the files
    python examples/make_examples.py --check  # exit 1 if a text file differs from what would be written
                                              # (or a .docx/.pdf is missing)

Numbers come from gov_lint.synth.generate with fixed seeds; the deliberate errors
are applied below, one function each, and listed in README.md (also written by this
script).  All agencies are fictional and all prose is synthetic.
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from gov_lint.synth import APPLICANTS, SynthReport, encode, generate, generate_series  # noqa: E402
from gov_lint.synth import prose  # noqa: E402
from gov_lint.synth.layout import fmt  # noqa: E402
from gov_lint.templates import common, load_template  # noqa: E402

ALL_FORMATS = ("tab", "markdown", "markdown_converted", "html", "html_word", "docx", "pdf", "run_together")
SUFFIX = {"tab": ".txt", "markdown": ".md", "markdown_converted": "-converted.md", "html": ".html", "html_word": "-word.html",
          "docx": ".docx",
          "pdf": ".pdf", "run_together": "-web.txt"}
FORMAT_NAME = {
    "tab": "PDF 转文本（制表符分隔）",
    "markdown": "Markdown",
    "markdown_converted": "PDF 转换成的 Markdown（表格断成几段、夹着页码）",
    "html": "HTML 网页（合并单元格）",
    "html_word": "Word 另存的网页（文字拆在多个 span 里，空格用 <o:p>）",
    "docx": "Word 文档",
    "pdf": "PDF",
    "run_together": "网页文本（表格数字连写）",
}

BINARY = {".docx", ".pdf"}

ROW_NAMES = {k: spec.label for k, spec in common().rows3.items()}


def row_name(table: str, row: str) -> str:
    if table == "三":
        return ROW_NAMES.get(row, row)
    if table == "二":
        return row.split(".")[-1]
    return row


@dataclass
class Example:
    path: str  # without suffix, relative to examples/
    report: SynthReport
    formats: tuple[str, ...]
    summary: str
    errors: list[str] = field(default_factory=list)  # one line per deliberate error
    cells: list[tuple[str, str, str]] = field(default_factory=list)  # (table, row, column) of each table error
    # a deliberate slip in the prose: (code, table, row, column) of the finding that must name it
    prose_errors: list[tuple[str, str, str, str]] = field(default_factory=list)


def _num(v) -> int:
    return v if isinstance(v, int) else 0


def _refresh_prose(r: SynthReport) -> None:
    """Rewrite the narrative of sections 三 and 四 from the numbers as printed in the tables."""
    t3, t4 = r.tables["三"], r.tables["四"]
    r.sections["三"].paragraphs = prose.section_three(
        r.year, _num(t3["一"]["总计"]), _num(t3["二"]["总计"]), _num(t3["三.七"]["总计"]), _num(t3["四"]["总计"])
    )
    r.sections["四"].paragraphs = prose.section_four(
        r.year, _num(t4["行政复议"]["总计"]), _num(t4["未经复议直接起诉"]["总计"]) + _num(t4["复议后起诉"]["总计"])
    )


def _change(r: SynthReport, errors: list[str], table: str, row: str, col: str, new, what: str,
            cells: list[tuple[str, str, str]] | None = None) -> None:
    old = r.get(table, row, col)
    if cells is not None:
        cells.append((table, row, col))
    r.set(table, row, col, new)
    printed = "空白（未填）" if new is None else f"印为 `{fmt(new)}`"
    errors.append(f"{what}：表{table}「{row_name(table, row)}」行「{col}」列{printed}，应为 `{fmt(old)}`")


def with_errors(r: SynthReport, count_cell: tuple[str, str, str], unit: str
                ) -> tuple[list[str], list[tuple[str, str, str]]]:
    """Apply the five deliberate errors of issue 3 to a consistent report; describe them and name their cells."""
    errors: list[str] = []
    cells: list[tuple[str, str, str]] = []
    t3 = r.tables["三"]
    legal = [c for c in APPLICANTS[1:] if _num(t3["一"][c]) > 0] or ["商业企业"]
    # 1. （七）总计 one too many in the 自然人 column (R2, and R1/R3 meet at that cell)
    _change(r, errors, "三", "三.七", "自然人", _num(t3["三.七"]["自然人"]) + 1, "（七）总计算错", cells)
    # 2. a 勾稽 break: 上年结转 of one legal-person column overstated by 2, row total kept in step
    col = legal[0]
    old_total = t3["二"]["总计"]
    _change(r, errors, "三", "二", col, _num(t3["二"][col]) + 2, "勾稽关系不成立（一＋二 ≠ （七）＋四）", cells)
    t3["二"]["总计"] = _num(old_total) + 2
    errors[-1] += f"（该行总计同步改为 `{t3['二']['总计']}`，所以「{col}」列和「总计」列的勾稽关系都不成立）"
    # 3. a blank 总计 in the busiest leaf row whose applicant cells add up to a number
    leaves = load_template(r.template).leaves3
    busiest = max(leaves, key=lambda k: _num(t3[k]["总计"]))
    _change(r, errors, "三", busiest, "总计", None, "总计栏空白（申请人各栏之和不为 0）", cells)
    # 4. section 四: 行政复议 总计 one more than its parts
    t4 = r.tables["四"]
    t4["行政复议"].update({"结果维持": 2, "结果纠正": 1, "其他结果": 0, "尚未审结": 1, "总计": 4})
    _change(r, errors, "四", "行政复议", "总计", 5, "行政复议总计与分项之和不符", cells)
    # 5. a unit written into a count cell
    table, row, column = count_cell
    n = _num(r.get(table, row, column)) or 9
    r.set(table, row, column, n)
    _change(r, errors, table, row, column, f"{n}{unit}", "数量栏带单位", cells)
    errors[-1] = errors[-1].replace(f"应为 `{n}`", f"应只写数字 `{n}`")
    _refresh_prose(r)
    return errors, cells


def prose_from_ledger(r: SynthReport, right: SynthReport, errors: list[str]) -> list[tuple[str, str, str, str]]:
    """The clerk wrote sections 三 and 四 from the ledger (the right numbers), not from the
    misprinted table, and slipped once: 予以公开 one short.

    So the prose decides what the table alone cannot (which of the two equal repairs of
    error 2 is the right one, and that error 4 is the 总计 and not one of its parts), and
    the slip is a disagreement that only the localised value of error 3's blank reveals."""
    t3, t4 = right.tables["三"], r.tables["四"]  # error 4 rewrote table 四: its parts are the right ones
    review = sum(_num(t4["行政复议"][c]) for c in ("结果维持", "结果纠正", "其他结果", "尚未审结"))
    disclosed = _num(t3["三.一"]["总计"])
    r.sections["三"].paragraphs = prose.section_three(
        r.year, _num(t3["一"]["总计"]), _num(t3["二"]["总计"]), _num(t3["三.七"]["总计"]), _num(t3["四"]["总计"])
    )
    r.sections["三"].paragraphs[-1] = r.sections["三"].paragraphs[-1].replace(
        "各项办理结果见下表。", f"办结的申请中予以公开{disclosed - 1}件，各项办理结果见下表。")
    r.sections["四"].paragraphs = prose.section_four(
        r.year, review, _num(t4["未经复议直接起诉"]["总计"]) + _num(t4["复议后起诉"]["总计"])
    )
    errors.append(f"正文与表格不一致：第三部分正文写「予以公开{disclosed - 1}件」，而表三「（一）予以公开」行「总计」列"
                  f"应为 `{disclosed}`（该格空白，见第 3 处；正文其余数字按正确的数写，所以第 2、4 处错在哪一格由正文决定）")
    return [("N101", "三", "三.一", "总计")]


PLAIN_LAYOUT = {"split_header": False, "label_pad": True, "broken_label": False, "separator": False,
                "spaced_four_header": False}


def build() -> list[Example]:
    """Every example; the tab-text layout quirks the generator can draw are switched off here."""
    out = _build()
    for ex in out:
        ex.report.style.update(PLAIN_LAYOUT)
    return out


def _build() -> list[Example]:
    out: list[Example] = []

    # ---- 2019 format, report year 2020 (a town government)
    r = generate("2019", random.Random(20200), year=2020, agency="青禾县云岭镇人民政府", profile="small")
    out.append(Example("2019/clean", r, ALL_FORMATS, "2019 格式（国办公开办函〔2019〕60号），2020 年度，数字全部自洽。"))
    r = generate("2019", random.Random(20201), year=2020, agency="青禾县芦花乡人民政府", profile="medium")
    right = r.copy()
    errs, cells = with_errors(r, ("二", "二.九.政府集中采购", "采购项目数量"), "个")
    slips = prose_from_ledger(r, right, errs)
    out.append(Example("2019/errors", r, ALL_FORMATS,
                       "2019 格式，2020 年度，含 6 处故意设置的错误（5 处在表格，1 处在正文）。正文按台账的正确数字书写，"
                       "所以只看表格有两种同样少改法的第 2 处，以及第 4 处（总计还是某个分项），都由正文决定。",
                       errs, cells, slips))

    # ---- 2021 format, report year 2023 (a city district department)
    r = generate("2021", random.Random(20230), year=2023, agency="槐川市砚溪区市场监督管理局", profile="medium")
    out.append(Example("2021/clean", r, ALL_FORMATS, "2021 格式（国办公开办函〔2021〕30号），2023 年度，数字全部自洽。"))
    r = generate("2021", random.Random(20231), year=2023, agency="槐川市砚溪区交通运输局", profile="medium")
    errs, cells = with_errors(r, ("二", "二.六.行政处罚", "本年处理决定数量"), "件")
    out.append(Example("2021/errors", r, ALL_FORMATS,
                       "2021 格式，2023 年度，含 5 处故意设置的错误。正文照抄了印错的表格（上年结转、行政复议的数与表格相同），"
                       "所以第 2 处（改上年结转两格还是结转下年度两格）和第 4 处（总计还是某个分项）只凭报告本身无法断定，"
                       "gov-lint 列出各种改法而不猜测。", errs, cells))

    # ---- a 2023 report still printed in the 2019 table layout
    r = generate("2019", random.Random(20232), year=2023, agency="苇塘县石桥乡人民政府", profile="small")
    out.append(Example(
        "mismatch/2023-old-layout", r, ("tab", "markdown"),
        "2023 年度报告却沿用了 2019 试行格式的表格（第二十条第（九）项、本年新制作数量、（六）其他处理不分项）。",
        ["模板与年度不符：2023 年度应使用 2021 格式（国办公开办函〔2021〕30号）；表格数字本身自洽"],
    ))

    # ---- three consecutive years of one body, 2022 → 2023 carry-over broken in one column
    series = generate_series("2021", random.Random(2021), [2021, 2022, 2023], agency="岚汀县柳湾镇人民政府",
                             profile="small")
    for rep in series[:2]:
        out.append(Example(f"crossyear/{rep.year}", rep, ("tab",), f"{rep.year} 年度，与上一年衔接一致。"))
    r = series[2]
    t3 = r.tables["三"]
    before = t3["二"]["自然人"]
    for col in ("自然人", "总计"):  # keep 2023 consistent in itself: the extra case was also answered
        for row in ("二", "三.一", "三.七"):
            t3[row][col] = _num(t3[row][col]) + 1
    _refresh_prose(r)
    out.append(Example(
        "crossyear/2023", r, ("tab",), "2023 年度，本身自洽，但上年结转与 2022 年度报告对不上。",
        [f"跨年度结转不一致：2023 年度「二、上年结转政府信息公开申请数量」自然人栏为 `{t3['二']['自然人']}`，"
         f"而 2022 年度「四、结转下年度继续办理」自然人栏为 `{before}`（总计栏同样相差 1）"],
        [("三", "二", "自然人"), ("三", "二", "总计")],
    ))
    return out


def render_readme(examples: list[Example]) -> str:
    lines = [
        "# 示例报告（合成数据）",
        "",
        "本目录下的报告全部由 `examples/make_examples.py` 用固定随机种子生成：机关名称是虚构的，",
        "正文是为本项目编写的合成文字，不是任何真实报告的内容。修改生成器后运行",
        "",
        "```",
        "python examples/make_examples.py",
        "```",
        "",
        "即可重新生成（`--check` 只比较不写入）。本说明也由该脚本生成，请勿手工编辑。",
        "",
        "同一份报告以多种形式给出，对应 gov-lint 能读取的各种输入："
        + "；".join(f"`{SUFFIX[k]}` {FORMAT_NAME[k]}" for k in ALL_FORMATS) + "。",
        "",
        "`-web.txt` 里表格数字连写在一起，空白单元格无法表示（错误示例的第 3 处在这里表现为该行少一个数），"
        "数字可以有多种拆法时 gov-lint 给出 P107 提示而不猜测，所以网页文本的检查结果与其他形式不完全相同。",
        "",
        "`ci/` 和 `gov-lint.toml` 不是本脚本生成的（持续集成示例和配置示例）。",
        "",
    ]
    for ex in examples:
        files = ", ".join(f"`{ex.path}{SUFFIX[k]}`" for k in ex.formats)
        r = ex.report
        lines += [f"## `{ex.path}`", "", f"- 机关：{r.agency}；年度：{r.year}；表格格式：{r.template}", f"- 文件：{files}",
                  f"- 说明：{ex.summary}"]
        if ex.errors:
            lines.append("- 故意设置的错误：")
            lines += [f"  {i}. {e}" for i, e in enumerate(ex.errors, 1)]
        lines.append("")
    lines += [
        "运行 `gov-lint check examples/` 可以看到上述错误被逐一指出；干净的示例不应有任何错误。",
        "",
    ]
    return "\n".join(lines)


def files(examples: list[Example]) -> dict[Path, bytes]:
    out: dict[Path, bytes] = {}
    for ex in examples:
        for kind in ex.formats:
            data, _ = encode(kind, ex.report)
            out[HERE / f"{ex.path}{SUFFIX[kind]}"] = data
    out[HERE / "README.md"] = render_readme(examples).encode("utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="重新生成 examples/ 下的合成示例报告")
    ap.add_argument("--check", action="store_true", help="只检查文件是否与生成结果一致，不写入")
    args = ap.parse_args(argv)
    wanted = files(build())
    if args.check:
        # .docx/.pdf bytes depend on the python-docx/reportlab version: only their presence is checked
        stale = [p for p, data in wanted.items()
                 if not p.is_file() or (p.suffix not in BINARY and p.read_bytes() != data)]
        for p in stale:
            print(f"过期或缺失: {p.relative_to(HERE)}")
        return 1 if stale else 0
    for p, data in wanted.items():
        p.parent.mkdir(parents=True, exist_ok=True)
        if not p.is_file() or p.read_bytes() != data:
            p.write_bytes(data)
            print(f"写入 {p.relative_to(HERE)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
