"""The HTML page's words in Chinese and English, its icons, and escaping."""

from __future__ import annotations

import re
from html import escape

_ZH = {
    "colon": "：",
    "paren": "（{}）",
    "title": "政府信息公开工作年度报告检查结果",
    "summary": "检查摘要",
    "files": "文件",
    "checked": "已检查",
    "skipped": "未检查",
    "file": "文件",
    "template": "模板",
    "year": "年度",
    "agency": "机关",
    "unknown": "未识别",
    "none": "—",
    "error": "错误",
    "warning": "警告",
    "info": "提示",
    "errors": "错误",
    "warnings": "警告",
    "infos": "提示",
    "contents": "目录",
    "findings": "发现的问题",
    "crossyear": "跨年度检查（与同一机关其他年度的报告比较）",
    "no_findings": "没有发现问题。",
    "not_checked": "此文件未能检查",
    "reason": "原因",
    "status_skipped": "已跳过",
    "status_error": "无法读取",
    "t2": "二、主动公开政府信息情况",
    "t3": "三、收到和处理政府信息公开申请情况",
    "t4": "四、政府信息公开行政复议、行政诉讼情况",
    "table_missing": "报告中没有读到这张表。",
    "truncated": "这张表在报告中不完整（中途截断），后面的单元格没有读到。",
    "extra_rows": "表中未能对应到模板的行",
    "stated": "填写值",
    "expected": "应为",
    "blank": "空白",
    "absent": "未读到",
    "where": "位置",
    "line": "第 {n} 行",
    "line_col": "第 {n} 行第 {c} 列",
    "related": "相关",
    "notes": "说明",
    "to_cell": "↑ 在表中查看",
    "to_finding": "查看问题说明",
    "quote": "原文",
    "legend": "图例",
    "legend_text": "有问题的单元格带有图标和边框：✖ 实线边框 = 错误，⚠ 虚线边框 = 警告，ℹ 点线边框 = 提示。点击单元格可跳到问题说明。",
    "show": "显示",
    "subtotal": "小计",
    "corner": "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
    "results3": "三、本年度办理结果",
    "info_content": "信息内容",
    "item": "第二十条第（{item}）项",
    "unit": "（单位：{unit}）",
    "applicants": "申请人情况",
    "legal_persons": "法人或其他组织",
    "review": "行政复议",
    "litigation": "行政诉讼",
    "report_of": "报告",
    "tables": "表格",
    "footer": "由 gov-lint {version} 生成。本页面不含任何外部资源，可离线保存和打开。",
    "tmpl_2019": "2019 试行格式（国办公开办函〔2019〕60号）",
    "tmpl_2021": "2021 格式（国办公开办函〔2021〕30号）",
    "tmpl_legacy": "2019 年以前的格式（只做提示，不核对数字）",
    "tmpl_unknown": "未识别",
    "table_short": {"二": "表二（主动公开）", "三": "表三（依申请公开）", "四": "表四（复议、诉讼）"},
    "only_rows": "这里只列出有问题的行。要看整张表，请单独检查这一份报告。",
    "clean_files": "没有发现问题的文件",
    "several_note": "本页检查了多份报告：只列出有问题的报告，表格只画出有问题的行。",
}

_EN = {
    "colon": ": ",
    "paren": " ({})",
    "title": "Government information disclosure annual report: check results",
    "summary": "Summary",
    "files": "Files",
    "checked": "Checked",
    "skipped": "Not checked",
    "file": "File",
    "template": "Template",
    "year": "Year",
    "agency": "Agency",
    "unknown": "unknown",
    "none": "—",
    "error": "Error",
    "warning": "Warning",
    "info": "Info",
    "errors": "Errors",
    "warnings": "Warnings",
    "infos": "Infos",
    "contents": "Contents",
    "findings": "Findings",
    "crossyear": "Cross-year checks (against the same agency's reports of other years)",
    "no_findings": "No findings.",
    "not_checked": "This file could not be checked",
    "reason": "Reason",
    "status_skipped": "skipped",
    "status_error": "unreadable",
    "t2": "II. Proactive disclosure (主动公开政府信息情况)",
    "t3": "III. Disclosure requests received and handled (收到和处理政府信息公开申请情况)",
    "t4": "IV. Administrative reconsideration and litigation (行政复议、行政诉讼情况)",
    "table_missing": "This table was not found in the report.",
    "truncated": "This table is cut off in the report; the cells after the cut were not read.",
    "extra_rows": "Rows that match no row of the template",
    "stated": "Stated",
    "expected": "Expected",
    "blank": "blank",
    "absent": "not read",
    "where": "Where",
    "line": "line {n}",
    "line_col": "line {n}, column {c}",
    "related": "Related",
    "notes": "Notes",
    "to_cell": "↑ Show in the table",
    "to_finding": "Show the finding",
    "quote": "Text",
    "legend": "Legend",
    "legend_text": "Cells with findings carry an icon and a border: ✖ solid = error, ⚠ dashed = warning, ℹ dotted = info. Click a cell to jump to its finding.",
    "show": "Show",
    "subtotal": "小计",
    "corner": "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
    "results3": "三、本年度办理结果",
    "info_content": "信息内容",
    "item": "第二十条第（{item}）项",
    "unit": "（单位：{unit}）",
    "applicants": "申请人情况",
    "legal_persons": "法人或其他组织",
    "review": "行政复议",
    "litigation": "行政诉讼",
    "report_of": "Report",
    "tables": "Tables",
    "footer": "Made by gov-lint {version}. This page loads nothing from elsewhere; it can be saved and opened offline.",
    "tmpl_2019": "2019 trial format (国办公开办函〔2019〕60号)",
    "tmpl_2021": "2021 format (国办公开办函〔2021〕30号)",
    "tmpl_legacy": "pre-2019 format (notice only, numbers not checked)",
    "tmpl_unknown": "unknown",
    "table_short": {"二": "Table II", "三": "Table III", "四": "Table IV"},
    "only_rows": "Only the rows with findings are shown. Check this report on its own to see the whole table.",
    "clean_files": "Files without findings",
    "several_note": "This page covers several reports: only those with findings are shown, and their tables only in the rows with findings.",
}

CS2 = ' colspan="2"'
CS3 = ' colspan="3"'

ICONS = {"error": "✖", "warning": "⚠", "info": "ℹ"}


def words(lang: str) -> dict:
    return _EN if lang == "en" else _ZH


_SPECIAL = re.compile("[&<>\"']").search  # what `escape` replaces: a text without them is returned as it is


def e(value: object) -> str:
    """Escape for text and attribute values."""
    text = "" if value is None else str(value)
    return escape(text, quote=True) if _SPECIAL(text) else text


def template_name(template: str, lang: str = "zh") -> str:
    w = words(lang)
    return w.get(f"tmpl_{template}", w["tmpl_unknown"]) if template else w["tmpl_unknown"]
