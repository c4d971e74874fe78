"""Rule documentation for `gov-lint rules`, `gov-lint explain` and docs/rules.md.

One source: the Rule records (their RuleDoc).  docs/rules.md is generated with
`gov-lint rules --format markdown > docs/rules.md`, and a test keeps it current.
"""

from __future__ import annotations

from rich.cells import cell_len

from .rules.base import Rule, RuleSet

SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}
GROUPS = {
    "P": ("读取与解析", "reading and parsing"),
    "T": ("模板与结构", "template and structure"),
    "A": ("表格勾稽与数值", "table arithmetic and values"),
    "N": ("正文数字与表格", "narrative numbers"),
    "M": ("年度、名称、链接与日期", "metadata"),
    "Y": ("跨年度", "across years"),
}


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - cell_len(text))


def rules_table(rules: RuleSet, lang: str = "zh") -> str:
    rows = [(r.code, r.name, r.severity if lang == "en" else SEVERITY_ZH[r.severity],
             r.summary_en if lang == "en" and r.summary_en else r.summary) for r in rules]
    w = [max(cell_len(row[i]) for row in rows) for i in range(3)]
    return "".join(f"{_pad(a, w[0])}  {_pad(b, w[1])}  {_pad(c, w[2])}  {d}\n" for a, b, c, d in rows)


def rules_json(rules: RuleSet) -> list[dict]:
    return [
        {
            "code": r.code, "name": r.name, "severity": r.severity, "summary": r.summary, "summary_en": r.summary_en,
            "origin": r.origin, "basis": r.basis,
            "doc": {"what": r.doc.what, "why": r.doc.why, "example": r.doc.example, "fix": r.doc.fix,
                    "what_en": r.doc.what_en, "why_en": r.doc.why_en, "example_en": r.doc.example_en, "fix_en": r.doc.fix_en},
        }
        for r in rules
    ]


def explain_text(rule: Rule, lang: str = "zh") -> str:
    d = rule.doc
    if lang == "en":
        parts = [
            f"{rule.code} {rule.name} ({rule.severity})",
            rule.summary_en or rule.summary,
            "",
            "What it does", "  " + (d.what_en or d.what),
            "Why it matters", "  " + (d.why_en or d.why),
            "Example", "  " + (d.example_en or d.example),
            "How to fix", "  " + (d.fix_en or d.fix),
        ]
    else:
        parts = [
            f"{rule.code} {rule.name}（{SEVERITY_ZH[rule.severity]}）",
            rule.summary,
            "",
            "作用", "  " + d.what,
            "为什么重要", "  " + d.why,
            "示例", "  " + d.example,
            "如何修改", "  " + d.fix,
        ]
    if rule.basis:
        parts += ["", ("Basis: " if lang == "en" else "依据：") + rule.basis]
    return "\n".join(parts) + "\n"


def rules_markdown(rules: RuleSet, lang: str = "zh") -> str:
    out = ["# gov-lint 规则 / rules", "", "由 `gov-lint rules --format markdown > docs/rules.md` 生成，请勿手改。", ""]
    out += ["| 代码 | 名称 | 级别 | 说明 |", "|---|---|---|---|"]
    out += [f"| [{r.code}](#{r.code.lower()}) | {r.name} | {SEVERITY_ZH[r.severity]} | {r.summary} |" for r in rules]
    for r in rules:
        d = r.doc
        out += ["", f"## {r.code}", "", f"**{r.name}** · {SEVERITY_ZH[r.severity]} · {r.summary}", ""]
        if r.basis:
            out += [f"依据：{r.basis}", ""]
        out += ["**作用**　" + d.what, "", "**为什么重要**　" + d.why, "", "**示例**　" + d.example, "", "**如何修改**　" + d.fix, ""]
        if d.what_en:
            out += [f"*English*: {d.what_en} {d.why_en} {d.fix_en}".rstrip(), ""]
    return "\n".join(out).rstrip() + "\n"
