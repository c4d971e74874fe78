"""Cross-year checks (`Y` rules): reports of one body for consecutive years.

A check of one file cannot see last year's report, so every checked file also
yields a small `Facts` record (agency, year, template and the few cells these
rules compare, with their positions).  Facts are cheap to keep for 10,000 files,
travel back from worker processes and are stored in the result cache.  After all
files are done, `run_crossyear` groups the facts by agency (`agency.AgencyMap`
folds name variants and applies renames) and compares each year with the year
before it:

* Y101 (spec R6): 三.二 上年结转 of year Y == 三.四 结转下年度继续办理 of Y−1, per
  column; also across the 2020 → 2021 format change.
* Y102 (R7, 2019 format): 上一年项目数量(Y) == 上一年项目数量(Y−1) + 本年增/减(Y−1)
  for the rows of 第二十条（五）（六）（八）; 2019 → 2020 only.
* Y103 (R9, 2021 format): 现行有效件数(Y) == 现行有效件数(Y−1) + 本年制发件数(Y) −
  本年废止件数(Y); a warning (amendments), never across the format change (R11).
* Y104: two files claim the same agency and year; only the first (in input
  order) takes part in the comparisons.

A finding is attached to the later year's file, at the later year's cell, with a
Related entry (its `path` set) at the earlier year's cell.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Iterable

from .agency import AgencyMap
from .fingerprint import fingerprint
from .model import Finding, Location, Related, Report, Span
from .rules.base import Rule, doc

T3_COLUMNS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
R7_ROWS = ("二.五.行政许可", "二.五.其他对外管理服务事项", "二.六.行政处罚", "二.六.行政强制", "二.八.行政事业性收费")
R9_ROWS = ("二.一.规章", "二.一.行政规范性文件")
R7_COLUMNS = ("上一年项目数量", "本年增/减")
R9_COLUMNS = ("本年制发件数", "本年废止件数", "现行有效件数")

ROW_LABELS = {
    "二": ("二、上年结转政府信息公开申请数量", "二、carried over from last year"),
    "四": ("四、结转下年度继续办理", "四、carried over to next year"),
}


# --------------------------------------------------------------------------- facts


@dataclass(slots=True)
class CellFact:
    value: int | Decimal
    raw: str
    span: Span | None
    location: Location | None

    def to_data(self) -> list:
        loc = self.location
        return [str(self.value), self.raw,
                [self.span.line, self.span.col, self.span.end_col] if self.span else None,
                [loc.line, loc.column, loc.end_line, loc.end_column, loc.context] if loc else None]

    @classmethod
    def from_data(cls, d: list) -> "CellFact":
        value, raw, span, loc = d
        v: int | Decimal = int(value) if value.lstrip("+-").isdigit() else Decimal(value)
        return cls(v, _short(raw), Span(*span) if span else None, Location(*loc) if loc else None)


def _short(raw: str) -> str:
    """Printed values repeat ("0", "1", …): share one string object per spelling."""
    return sys.intern(raw) if len(raw) <= 8 else raw


@dataclass(slots=True)
class Facts:
    """What the cross-year rules need to know of one report."""

    path: str
    agency: str | None
    year: int | None
    template: str
    cells: dict[str, CellFact] = field(default_factory=dict)  # "table|row|column" → cell
    agency_location: Location | None = None
    index: int = 0  # position in the run's input order (set by the runner)

    def cell(self, table: str, row: str, column: str) -> CellFact | None:
        return self.cells.get(f"{table}|{row}|{column}")

    def to_data(self) -> dict[str, Any]:
        loc = self.agency_location
        return {
            "agency": self.agency, "year": self.year, "template": self.template,
            "cells": {k: c.to_data() for k, c in self.cells.items()},
            "agency_location": [loc.line, loc.column, loc.end_line, loc.end_column, loc.context] if loc else None,
        }

    @classmethod
    def from_data(cls, d: dict[str, Any], path: str) -> "Facts":
        loc = d.get("agency_location")
        return cls(path=path, agency=d["agency"], year=d["year"], template=d["template"],
                   cells={_KEYS.get(k, k): CellFact.from_data(v) for k, v in d["cells"].items()},
                   agency_location=Location(*loc) if loc else None)


def _wanted(template: str) -> list[tuple[str, str, str, str]]:
    """(table, row, column, key) of the cells the Y rules read in a report of `template`."""
    out = [("三", row, col) for row in ("二", "四") for col in T3_COLUMNS]
    if template == "2019":
        out += [("二", row, col) for row in R7_ROWS for col in R7_COLUMNS]
    elif template == "2021":
        out += [("二", row, col) for row in R9_ROWS for col in R9_COLUMNS]
    return [(t, r, c, _KEYS[f"{t}|{r}|{c}"]) for t, r, c in out]


# one key string per cell for all Facts records (10,000 files share them)
_KEYS = {k: k for k in (
    [f"三|{row}|{col}" for row in ("二", "四") for col in T3_COLUMNS]
    + [f"二|{row}|{col}" for row in R7_ROWS for col in R7_COLUMNS]
    + [f"二|{row}|{col}" for row in R9_ROWS for col in R9_COLUMNS]
)}


def extract_facts(report: Report, agency: str | None = None, year: int | None = None) -> Facts:
    """The facts of a parsed report; cells that were not read (text, unread) are left out."""
    doc_ = report.document
    facts = Facts(
        path=report.path,
        agency=agency if agency is not None else report.agency,
        year=year if year is not None else report.year,
        template=report.template,
        agency_location=doc_.locate(report.agency_span or report.title_span),
    )
    for table, row, col, key in _wanted(report.template):
        c = report.cell(table, row, col)
        if c is None or not c.known:
            continue
        value = c.number()
        if value is None:
            continue
        facts.cells[key] = CellFact(value, _short(c.raw), c.span, doc_.locate(c.span))
    return facts


# --------------------------------------------------------------------------- rules


def _rule(code, name, severity, summary, summary_en, d, basis) -> Rule:
    return Rule(code=code, name=name, severity=severity, summary=summary, summary_en=summary_en, doc=d,
                check=None, emitted_by="crossyear", origin="builtin", basis=basis)


Y101 = _rule(
    "Y101", "carry-over-mismatch", "error",
    "上年结转申请数与上一年度报告的结转下年度数不一致",
    "Applications carried over from last year differ from last year's report",
    doc(
        "同一机关相邻两年的报告一起检查时，比较第三部分表格：今年“二、上年结转政府信息公开申请数量”"
        "每一列应等于上一年度报告“四、结转下年度继续办理”的同一列。2020→2021 年换用新格式时同样适用。",
        "上一年没有办完、结转到今年的申请，就是今年的上年结转申请。两个数不一致，说明其中一份报告填错了，"
        "或者有申请在统计中丢失或重复计算。",
        "2022 年报告：四、结转下年度继续办理 · 自然人 = 12\n"
        "2023 年报告：二、上年结转政府信息公开申请数量 · 自然人 = 10   ← Y101，应为 12",
        "核对两年的申请台账，改正填错的一份报告。如果机关更名，两份报告的机关名称不同，"
        "用 --agency-map 说明新旧名称的对应关系。",
        what_en="When reports of one body for consecutive years are checked together, each column of 二 "
                "(carried over from last year) of year Y must equal the same column of 四 (carried over to "
                "next year) of year Y−1, also across the 2020→2021 format change.",
        why_en="Applications not finished last year are this year's carried-over applications; a "
               "difference means one report is wrong or applications were lost or counted twice.",
        fix_en="Check both years' registers and correct the wrong report; use --agency-map for renamed bodies.",
    ),
    "R6",
)

Y102 = _rule(
    "Y102", "project-count-continuity", "warning",
    "上一年项目数量与上一年度报告的项目数量和增减不一致（2019 格式）",
    "Last year's item count does not follow from last year's report (2019 format)",
    doc(
        "比较 2019 格式的相邻两年报告（2019→2020）第二部分第二十条第（五）（六）（八）项："
        "今年的“上一年项目数量”应等于上一年度报告的“上一年项目数量”加“本年增/减”。",
        "“上一年项目数量”是上一年末的事项数，上一年末的事项数又等于上一年报告里的上年数量加当年增减。"
        "不一致说明某一年的数量或增减填错了。规范没有明文规定这一关系，因此只作警告。",
        "2019 年报告：行政许可 上一年项目数量 = 120，本年增/减 = +5\n"
        "2020 年报告：行政许可 上一年项目数量 = 120   ← Y102，应为 125",
        "核对事项清单，改正填错的数量或增减。",
        what_en="For 2019-format reports of consecutive years (2019→2020), rows of 第二十条（五）（六）（八）: "
                "上一年项目数量 of year Y must equal 上一年项目数量 + 本年增/减 of year Y−1.",
        why_en="Last year's closing count is last year's opening count plus its change; a difference means "
               "a count or a change is wrong. Inferred, so a warning.",
        fix_en="Check the list of items and correct the wrong count or change.",
    ),
    "R7",
)

Y103 = _rule(
    "Y103", "effective-count-continuity", "warning",
    "现行有效件数与上一年度报告及本年制发、废止件数不一致（2021 格式）",
    "Documents in force do not follow from last year's report and this year's issued and repealed",
    doc(
        "比较 2021 格式的相邻两年报告第二部分第二十条第（一）项（规章、行政规范性文件）："
        "今年的“现行有效件数”应等于上一年度的“现行有效件数”加今年“本年制发件数”减今年“本年废止件数”。"
        "不跨 2020→2021 格式变更比较（两种格式的数量含义不同）。",
        "现行有效的文件只会因为制发而增加、因为废止而减少。不一致可能是填错，"
        "也可能是修改的文件计入了制发件数，所以只作警告。",
        "2022 年报告：规章 现行有效件数 = 40\n"
        "2023 年报告：本年制发件数 = 3，本年废止件数 = 1，现行有效件数 = 45   ← Y103，按上年推算应为 42",
        "核对文件清单；如果差异来自修改的文件，可以在配置中把 Y103 设为 info 或忽略。",
        what_en="For 2021-format reports of consecutive years, 现行有效件数(Y) should equal "
                "现行有效件数(Y−1) + 本年制发件数(Y) − 本年废止件数(Y); not across the 2020→2021 change.",
        why_en="Documents in force change only by issuing and repealing; amended documents counted as issued "
               "can explain a difference, hence a warning.",
        fix_en="Check the document register; set Y103 to info or ignore it if amendments explain the difference.",
    ),
    "R9",
)

Y104 = _rule(
    "Y104", "duplicate-report", "info",
    "同一机关同一年度有两份报告",
    "Two reports claim the same agency and year",
    doc(
        "一起检查的文件中，有两份报告的机关名称（规范化后）和年度相同。跨年度检查只使用先出现的那一份。",
        "重复的报告可能是同一报告的两个版本（修订稿、不同格式），也可能是年度或机关名称写错了。"
        "跨年度比较需要知道用哪一份。",
        "reports/2022/甲县政府.txt 与 reports/2022/甲县人民政府（修订）.pdf 都是 甲县政府 的 2022 年度报告",
        "删除旧版本或把它移出检查范围（exclude）；如果是年度或机关名称写错了，改正报告。",
        what_en="Two checked files have the same (normalised) agency and year; cross-year checks use the first.",
        why_en="Usually two versions of one report, or a wrong year or agency name.",
        fix_en="Remove or exclude the old version, or correct the year or agency name.",
    ),
    "",
)

CROSSYEAR_RULES: tuple[Rule, ...] = (Y101, Y102, Y103, Y104)
RULES = list(CROSSYEAR_RULES)  # for the rule registry; they run after all files (runner.py)


def crossyear_rules() -> list[Rule]:
    return list(CROSSYEAR_RULES)


# --------------------------------------------------------------------------- running


def _fmt(v: int | Decimal) -> str:
    return str(v)


def _where(c: CellFact, lang: str) -> str:
    if c.location is None:
        return ""
    if c.location.context:
        return c.location.context
    return f"第 {c.location.line} 行" if lang != "en" else f"line {c.location.line}"


class _Builder:
    def __init__(self, lang: str) -> None:
        self.lang = lang

    def t(self, zh: str, en: str) -> str:
        return en if self.lang == "en" else zh

    def finding(self, rule: Rule, later: Facts, cell: CellFact | None, message: str, *,
                table=None, row=None, column=None, expected=None, related=(), notes=(), text=None) -> Finding:
        f = Finding(
            code=rule.code, name=rule.name, severity=rule.severity, message=message,
            span=cell.span if cell else None,
            location=cell.location if cell else later.agency_location,
            table=table, row=row, column=column,
            stated=(cell.raw or None) if cell else None,
            expected=None if expected is None else str(expected),
            related=list(related), notes=list(notes), path=later.path,
        )
        f.fingerprint = fingerprint(f, agency=later.agency, year=later.year, path=later.path, text=text)
        return f


def _y101(b: _Builder, prev: Facts, cur: Facts) -> Iterable[Finding]:
    for col in T3_COLUMNS:
        now, before = cur.cell("三", "二", col), prev.cell("三", "四", col)
        if now is None or before is None or now.value == before.value:
            continue
        diff = now.value - before.value
        msg = b.t(
            f"上年结转申请数与上一年度报告不符：{cur.path}（{cur.year} 年度）“二、上年结转政府信息公开申请数量”"
            f"·{col}（{_where(now, 'zh')}）为 {_fmt(now.value)}，而 {prev.path}（{prev.year} 年度）"
            f"“四、结转下年度继续办理”·{col}（{_where(before, 'zh')}）为 {_fmt(before.value)}",
            f"carry-over differs from last year's report: {cur.path} ({cur.year}) 二 carried over from last year "
            f"[{col}] ({_where(now, 'en')}) is {_fmt(now.value)}, but {prev.path} ({prev.year}) 四 carried over "
            f"to next year [{col}] ({_where(before, 'en')}) is {_fmt(before.value)}",
        )
        yield b.finding(
            Y101, cur, now, msg, table="三", row="二", column=col, expected=before.value,
            related=[Related(before.span, b.t(f"{prev.year} 年度“四、结转下年度继续办理”= {before.value}",
                                              f"{prev.year}: 四 carried over to next year = {before.value}"),
                             before.location, prev.path)],
            notes=[b.t(f"上一年度结转下年度 {before.value}，本年度上年结转 {now.value}，差额 {diff:+}",
                       f"last year carried over {before.value}, this year {now.value}, difference {diff:+}"),
                   b.t(f"依据：跨年度关系 R6（{prev.template} 格式 → {cur.template} 格式）",
                       f"basis: cross-year relation R6 ({prev.template} format → {cur.template} format)")],
        )


def _y102(b: _Builder, prev: Facts, cur: Facts) -> Iterable[Finding]:
    if prev.template != "2019" or cur.template != "2019":
        return
    for row in R7_ROWS:
        now = cur.cell("二", row, "上一年项目数量")
        base, delta = prev.cell("二", row, "上一年项目数量"), prev.cell("二", row, "本年增/减")
        if now is None or base is None or delta is None:
            continue
        expected = base.value + delta.value
        if now.value == expected:
            continue
        label = row.rsplit(".", 1)[-1]
        msg = b.t(
            f"上一年项目数量与上一年度报告不符：{cur.path}（{cur.year} 年度）{label}“上一年项目数量”"
            f"（{_where(now, 'zh')}）为 {now.value}，而 {prev.path}（{prev.year} 年度）的“上一年项目数量”"
            f"{base.value}（{_where(base, 'zh')}）加“本年增/减”{delta.value:+}（{_where(delta, 'zh')}）为 {expected}",
            f"last year's item count differs from last year's report: {cur.path} ({cur.year}) {label} "
            f"上一年项目数量 ({_where(now, 'en')}) is {now.value}, but {prev.path} ({prev.year}) gives "
            f"{base.value} ({_where(base, 'en')}) {delta.value:+} ({_where(delta, 'en')}) = {expected}",
        )
        yield b.finding(
            Y102, cur, now, msg, table="二", row=row, column="上一年项目数量", expected=expected,
            related=[
                Related(base.span, b.t(f"{prev.year} 年度 上一年项目数量 = {base.value}",
                                       f"{prev.year}: 上一年项目数量 = {base.value}"), base.location, prev.path),
                Related(delta.span, b.t(f"{prev.year} 年度 本年增/减 = {delta.value:+}",
                                        f"{prev.year}: 本年增/减 = {delta.value:+}"), delta.location, prev.path),
            ],
            notes=[b.t(f"计算值 {base.value} {delta.value:+} = {expected}，差额 {now.value - expected:+}",
                       f"computed {base.value} {delta.value:+} = {expected}, difference {now.value - expected:+}"),
                   b.t("依据：跨年度关系 R7（2019 格式）", "basis: cross-year relation R7 (2019 format)")],
        )


def _y103(b: _Builder, prev: Facts, cur: Facts) -> Iterable[Finding]:
    if prev.template != "2021" or cur.template != "2021":
        return  # R11: no identity across the format change
    for row in R9_ROWS:
        now = cur.cell("二", row, "现行有效件数")
        base = prev.cell("二", row, "现行有效件数")
        issued, repealed = cur.cell("二", row, "本年制发件数"), cur.cell("二", row, "本年废止件数")
        if now is None or base is None or issued is None or repealed is None:
            continue
        expected = base.value + issued.value - repealed.value
        if now.value == expected:
            continue
        label = row.rsplit(".", 1)[-1]
        msg = b.t(
            f"现行有效件数与上一年度报告不符：{cur.path}（{cur.year} 年度）{label}“现行有效件数”"
            f"（{_where(now, 'zh')}）为 {now.value}，而 {prev.path}（{prev.year} 年度）的“现行有效件数”"
            f"{base.value}（{_where(base, 'zh')}）加本年制发 {issued.value} 减本年废止 {repealed.value} 为 {expected}",
            f"documents in force differ from last year's report: {cur.path} ({cur.year}) {label} 现行有效件数 "
            f"({_where(now, 'en')}) is {now.value}, but {prev.path} ({prev.year}) had {base.value} "
            f"({_where(base, 'en')}), + {issued.value} issued − {repealed.value} repealed = {expected}",
        )
        yield b.finding(
            Y103, cur, now, msg, table="二", row=row, column="现行有效件数", expected=expected,
            related=[
                Related(base.span, b.t(f"{prev.year} 年度 现行有效件数 = {base.value}",
                                       f"{prev.year}: 现行有效件数 = {base.value}"), base.location, prev.path),
                Related(issued.span, b.t(f"本年制发件数 = {issued.value}", f"issued = {issued.value}"),
                        issued.location, None),
                Related(repealed.span, b.t(f"本年废止件数 = {repealed.value}", f"repealed = {repealed.value}"),
                        repealed.location, None),
            ],
            notes=[b.t(f"计算值 {base.value} + {issued.value} − {repealed.value} = {expected}，差额 {now.value - expected:+}",
                       f"computed {base.value} + {issued.value} − {repealed.value} = {expected}, difference {now.value - expected:+}"),
                   b.t("依据：跨年度关系 R9（2021 格式；修改的文件可能计入制发件数，故只作警告）",
                       "basis: cross-year relation R9 (2021 format; amended documents may count as issued, hence a warning)")],
        )


def run_crossyear(
    facts: Iterable[Facts],
    *,
    selected: Iterable[str] | None = None,
    lang: str = "zh",
    agency_map: AgencyMap | None = None,
) -> dict[str, list[Finding]]:
    """Y findings by the path of the file they belong to (the later year's report).

    The facts are taken in input order (`Facts.index`); the answer's keys follow
    that order, and findings inside a file are ordered by rule, then cell.
    """
    sel = set(selected) if selected is not None else {r.code for r in CROSSYEAR_RULES}
    if not sel & {r.code for r in CROSSYEAR_RULES}:
        return {}
    amap = agency_map or AgencyMap()
    b = _Builder(lang)
    groups: dict[str, dict[int, Facts]] = {}
    out: dict[str, list[Finding]] = {}
    ordered = sorted(facts, key=lambda f: f.index)
    for f in ordered:
        if f.year is None or f.template not in ("2019", "2021"):
            continue
        key = amap.canonical(f.agency)
        if not key:
            continue
        years = groups.setdefault(key, {})
        first = years.get(f.year)
        if first is None:
            years[f.year] = f
            continue
        if "Y104" in sel:
            msg = b.t(
                f"{f.path} 与 {first.path} 都是“{f.agency}”的 {f.year} 年度报告；跨年度检查只使用 {first.path}",
                f"{f.path} and {first.path} are both the {f.year} report of {f.agency!r}; cross-year checks use {first.path}",
            )
            finding = b.finding(Y104, f, None, msg, text=f"duplicate:{key}",
                                related=[Related(None, b.t("先出现的报告", "the report used"), first.agency_location, first.path)])
            out.setdefault(f.path, []).append(finding)
    for years in groups.values():
        for year, cur in years.items():
            prev = years.get(year - 1)
            if prev is None:
                continue
            found: list[Finding] = []
            if "Y101" in sel:
                found += _y101(b, prev, cur)
            if "Y102" in sel:
                found += _y102(b, prev, cur)
            if "Y103" in sel:
                found += _y103(b, prev, cur)
            if found:
                out.setdefault(cur.path, []).extend(found)
    index = {f.path: f.index for f in ordered}
    code_order = {r.code: i for i, r in enumerate(CROSSYEAR_RULES)}
    col_order = {c: i for i, c in enumerate(T3_COLUMNS + R9_COLUMNS)}
    for found in out.values():
        found.sort(key=lambda x: (code_order[x.code], x.row or "", col_order.get(x.column or "", 99)))
    return dict(sorted(out.items(), key=lambda kv: index.get(kv[0], 0)))
