"""Narrative rules: numbers in the prose against the tables (N1xx), prose that
contradicts itself (N2xx) and claims against the data (N3xx).

Deterministic pattern matching, no language model.  The modules, one job each:

* `quantities.py`: the phrase table (rules/narrative.toml) compiled into one matcher;
* `claims.py`: claim extraction, the prose read in context (subject, scope, kind);
* `cells.py`: matching a claim to table cells and their best-known values;
* `counts.py` (N101–N103), `selfcheck.py` (N201, N202), `statements.py` (N301–N306):
  the rules.

Every finding's primary span is the number (with its unit) or the claim in the
prose; the table cells it disagrees with are Related spans, and table/row/column
name them.  Being wrong here costs more than missing something.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Callable, Iterator

from ...model import Finding, Report
from ..base import CheckContext, Rule, doc
from ..prose import Prose
from . import counts, selfcheck, statements
from .claims import Claim, extract
from .quantities import Quantity, quantities

__all__ = ["RULES", "RULES_BY_CODE", "Claim", "Quantity", "cell_statements", "claims_of", "statements_by_cell", "extract", "prose_of",
           "quantities"]

# the last report's prose, as one (report, prose) tuple replaced whole (a thread checking another
# report never reads a half-made pair; about twenty rules ask per report)
_PROSE: tuple[Report | None, Prose | None] = (None, None)


def prose_of(report: Report) -> Prose:
    """One Prose per report (the N, M and T2xx rules share it)."""
    global _PROSE
    held = _PROSE
    if held[0] is report:
        return held[1]  # type: ignore[return-value]
    prose = Prose(report)
    _PROSE = (report, prose)
    return prose


def claims_of(report: Report) -> list[Claim]:
    """The numeric claims of a report's prose (see claims.py)."""
    return counts.claims_of(report, prose_of(report))


def statements_by_cell(report: Report) -> dict[tuple[str, str, str], list[tuple[Decimal, str]]]:
    """Every prose number that states one cell alone, read in context, by (table, row, column):
    [(number, quote)] in the order of the text.  One pass over the claims for all cells,
    remembered with the report's prose (error localisation asks once per corrected cell;
    which cells a reference names depends only on the rows and columns the tables have)."""
    from .cells import addresses

    prose = prose_of(report)
    got = prose.__dict__.get("_statements_by_cell")
    if got is not None:
        return got
    out: dict[tuple[str, str, str], list[tuple[Decimal, str]]] = {}
    for claim in claims_of(report):
        q = claim.quantity
        if q.money:
            continue
        places = []
        for alt in q.cells:
            if len(alt) == 1:
                found = addresses(report, alt[0])
                if len(found) == 1 and found[0] not in places:
                    places.append(found[0])
        if places:
            said = (claim.stated, prose.quote(prose.span(claim.n_start, claim.unit_end)))
            for place in places:
                out.setdefault(place, []).append(said)
    prose.__dict__["_statements_by_cell"] = out
    return out


def cell_statements(report: Report, table: str, row: str, column: str) -> list[tuple[Decimal, str]]:
    """The prose numbers that state this one cell alone, read in context: (number, quote).

    Error localisation uses them as evidence for a correction ("正文也写作 155 件")."""
    return statements_by_cell(report).get((table, row, column), [])


_CHECKS: dict[str, Callable[[Report, CheckContext, Prose, Rule], Iterator[Finding]]] = {
    "N101": counts.check_counts,
    "N102": counts.check_counts,
    "N103": counts.check_counts,
    "N201": selfcheck.check_parts,
    "N202": selfcheck.check_percentages,
    "N301": statements.check_n301,
    "N302": statements.check_n302,
    "N303": statements.check_n303,
    "N304": statements.check_n304,
    "N305": statements.check_n305,
    "N306": statements.check_n306,
}


def _run(code: str) -> Callable[[Report, CheckContext], Iterator[Finding]]:
    def check(report: Report, ctx: CheckContext) -> Iterator[Finding]:
        return _CHECKS[code](report, ctx, prose_of(report), RULES_BY_CODE[code])  # (the rule's own generator)

    check.__name__ = f"check_{code.lower()}"
    return check


_EXAMPLE_N101 = """一、总体情况 …… 全年共收到政府信息公开申请 12 件 ……
表三  一、本年新收政府信息公开申请数量 … 总计 10
→ warning[N101]: 正文中的本年新收政府信息公开申请数“12 件”与表三不一致：表中为 10"""

RULES: list[Rule] = [
    Rule(
        "N101", "prose-count-differs-from-table", "warning",
        "正文中的申请、办理结果、复议诉讼数字与表三、表四不一致",
        "A count of applications, results, reviews or lawsuits in the text differs from tables 三/四",
        doc(
            "在正文（前言、总体情况、第三、四部分的说明文字）中找出“收到政府信息公开申请N件”“予以公开N件”“不予公开N件”"
            "“结转下年度N件”“行政复议N件”等写明数量的句子，按 rules/narrative.toml 中的短语表对应到表三、表四的单元格，"
            "数字不同时报告。只比较短语紧接数字、单位明确的说法；“约”“近”“余”等概数不比较；一个说法有两种合理读法时"
            "（如“收到申请N件”可能含上年结转），与任一读法相符即通过。句子说的必须是表格统计的对象：与表三比较的数字要说"
            "“申请”（“制发政府信息……不予公开N条”说的是文件，不比较），说全县、各部门等更大范围的数字不比较。"
            "表格“总计”空白时按本行各列之和比较（不当作 0）；表格本身勾稽不成立时，只与错误定位给出的改正值比较，"
            "正文写的正是改正值时不报告；按位置推断的行只作提示。",
            "公众和上级考核往往只读总体情况的文字。文字与表格不一致，说明其中至少一处填错，报告的可信度受损，也是年报"
            "考核中常见的扣分项。",
            _EXAMPLE_N101,
            "核对表三、表四与正文，改正错误的一处。若正文有意统计不同口径（如含上年结转），请在文字中写明口径。",
            what_en="Finds sentences that state a count of applications, results, carry-overs, reviews or lawsuits and "
                    "compares them with the matching cells of tables 三/四 (phrase table in rules/narrative.toml), only "
                    "when the sentence speaks of that quantity (applications, not documents produced) and of this office, "
                    "not a wider body. A blank 总计 is compared as its row's sum; a table that breaks its relations only "
                    "through the value error localisation gives; a row placed by position gives an info.",
            why_en="Readers and assessors read the prose; a number that differs from the table means one of them is wrong.",
            fix_en="Correct whichever is wrong; if the text uses a different basis, say so in the text.",
        ),
        _run('N101'), basis="R13",
    ),
    Rule(
        "N102", "prose-item-count-differs-from-table", "warning",
        "正文中的规章、规范性文件、许可处罚强制等数量与表二不一致",
        "A count of rules, normative documents, licences, penalties… in the text differs from table 二",
        doc(
            "找出正文中“现行有效规范性文件N件”“制发规范性文件N件”“作出行政许可决定N件”“处理行政许可和对外服务事项N条”"
            "等说法，与表二（第二十条第（一）（五）（六）（八）（九）项）对应单元格比较。只认带动词或“决定”“案件”的说法："
            "“权责清单中行政许可18项”是事项数，不是处理决定数，不比较。",
            "表二是主动公开的法定统计口径；文字引用时数字不同，读者无法判断哪个是对的。",
            """（一）主动公开 …… 本年制发行政规范性文件 6 件 ……
表二  行政规范性文件  本年制发件数 5
→ warning[N102]: 正文中的本年制发行政规范性文件件数“6 件”与表二不一致：表中为 5""",
            "核对表二与正文，改正错误的一处。",
            what_en="Compares counts of rules, normative documents, licensing/penalty/enforcement decisions, fee items and "
                    "procurement projects stated in the prose with table 二.",
            why_en="Table 二 is the statutory count; a different number in the text leaves readers unsure which is right.",
            fix_en="Correct whichever is wrong.",
        ),
        _run('N102'), basis="R13",
    ),
    Rule(
        "N103", "prose-amount-differs-from-table", "warning",
        "正文中的收费、采购金额与表二不一致（已换算元/万元）",
        "A money amount in the text differs from table 二 (元 and 万元 converted)",
        doc(
            "找出正文中“行政事业性收费N万元”“采购总金额N元”等金额，换算单位（元、万元、亿元）后与表二金额比较，"
            "按正文印出的小数位四舍五入。表格未印单位时，按元或万元任一读法相符即通过。",
            "金额最容易出现单位错误（元写成万元），差一万倍。",
            """正文：本年收取行政事业性收费 35.6 万元
表二  行政事业性收费  本年收费金额（单位：万元） 3.56
→ warning[N103]: 正文中的本年行政事业性收费金额“35.6 万元”与表二不一致：表中为 3.56万元""",
            "核对金额与单位；表二（第二十条第（八）项）的单位是万元。",
            what_en="Compares money amounts in the prose with table 二 after converting 元/万元/亿元, to the printed decimals.",
            why_en="Unit slips (元 for 万元) are off by a factor of 10,000.",
            fix_en="Check the amount and its unit; table 二 (八) is in 万元.",
        ),
        _run('N103'), basis="R13",
    ),
    Rule(
        "N201", "prose-parts-do-not-add-up", "warning",
        "正文列出的各项之和与所述总数不一致",
        "Parts listed in the text do not add up to the stated whole",
        doc(
            "检查两种写法：“共N件，其中A a件、B b件……”和“A a件、B b件、C c件，共N件”。各项单位相同、没有嵌套的"
            "“其中”、各项是同一事物互不重叠的类别时求和比较（“其中行政许可50项，实现全程网办的40项”各项相互重叠，不比较）。“其中”只列出部分类别很常见，所以“其中”列表的和小于总数时，只在最后一项是“其他/其余”"
            "（列表完整）时才报告；和大于总数总是报告。",
            "自相矛盾的数字一眼就能被读者发现，损害报告的严谨性。",
            """全年共办理申请 20 件，其中予以公开 12 件、部分公开 5 件、其他 4 件。
→ warning[N201]: 正文列出的各项之和（12 + 5 + 4 = 21件）与所述总数“20 件”不一致""",
            "重新核对各项和总数。",
            what_en="Checks “total N, of which a, b, c” and “a, b, c, in all N” lists with one unit and no nesting.",
            why_en="Self-contradicting numbers are the first thing a reader notices.",
            fix_en="Recount the parts and the whole.",
        ),
        _run('N201'),
    ),
    Rule(
        "N202", "prose-percentage-mismatch", "warning",
        "正文中的百分比与“数量 ÷ 基数”不符",
        "A percentage in the text does not match count ÷ base",
        doc(
            "对“208 件（17.46%）”这类写法，在同一段中找出能解释至少两个百分比的基数（前文同单位的数字或各项之和），"
            "再按印出的小数位检查其余百分比；找不到这样的基数时不报告。",
            "百分比算错会让读者怀疑整段数字。",
            """办结 200 件，其中予以公开 50 件（25%），不予公开 10 件（5%），无法提供 40 件（25%）。
→ warning[N202]: 百分比“25%”与计数不符：40 ÷ 200 = 20%""",
            "按基数重新计算百分比。",
            what_en="For “N 件（P%）” runs, finds a base that explains at least two percentages and reports the others.",
            why_en="A wrong percentage makes readers doubt the whole paragraph.",
            fix_en="Recompute the percentage from the base.",
        ),
        _run('N202'),
    ),
    Rule(
        "N301", "claim-all-closed-but-carried-over", "warning",
        "正文称申请“均已办结”，但表三有结转下年度的申请",
        "The text says all applications were closed, but table 三 carries some over",
        doc(
            "正文在申请办理的语境中写“均已办结”“全部办结”等，而表三“四、结转下年度继续办理”总计大于 0。",
            "结转下年度的申请就是本年未办结的申请，两者不能同时成立。",
            """本年收到的申请均已办结。
表三  四、结转下年度继续办理  总计 3
→ warning[N301]: 正文称申请“均已办结”，但表三“四、结转下年度继续办理”总计为 3""",
            "改正文字（如“除3件结转下年度外均已办结”）或改正表格。",
            what_en="“均已办结” about applications while table 三 row 四 (carried over) is above 0.",
            why_en="Applications carried over are by definition not closed.",
            fix_en="Fix the sentence or the table.",
        ),
        _run('N301'),
    ),
    Rule(
        "N302", "claim-no-requests-but-table-has-requests", "warning",
        "正文称未收到政府信息公开申请，但表三新收申请大于 0",
        "The text says no applications were received, but table 三 counts new applications",
        doc(
            "正文写“未收到政府信息公开申请”“无依申请公开事项”等，而表三“一、本年新收政府信息公开申请数量”总计大于 0。"
            "只说某一渠道（线下、邮寄……）或说复议、投诉的句子不算。",
            "这是模板套用上年文字时最常见的矛盾。",
            """本年度未收到政府信息公开申请。
表三  一、本年新收政府信息公开申请数量  总计 2
→ warning[N302]: 正文称“未收到政府信息公开申请”，但表三“一、本年新收政府信息公开申请数量”总计为 2""",
            "改正文字或表格，使两者一致。",
            what_en="“未收到…申请” / “无依申请公开” while table 三 row 一 (new applications) is above 0.",
            why_en="A typical leftover from last year's text.",
            fix_en="Make the text and the table agree.",
        ),
        _run('N302'),
    ),
    Rule(
        "N303", "claim-no-reviews-or-lawsuits-but-table-has", "warning",
        "正文称未发生行政复议、行政诉讼，但表四有案件",
        "The text says there were no reviews or lawsuits, but table 四 has some",
        doc(
            "正文写“未发生政府信息公开行政复议、行政诉讼”“没有…行政复议”等，而表四相应的总计大于 0。",
            "第四部分的表格与说明文字应说同一件事。",
            """本年度未发生政府信息公开行政复议、行政诉讼案件。
表四  行政复议  总计 1
→ warning[N303]: 正文称“未发生政府信息公开行政复议、行政诉讼”，但表四中的案件数为 1""",
            "改正文字或表四。",
            what_en="“未发生行政复议、行政诉讼” while a section-四 total is above 0.",
            why_en="The section-四 text and table should say the same.",
            fix_en="Fix the text or table 四.",
        ),
        _run('N303'),
    ),
    Rule(
        "N304", "claim-no-losses-but-corrected", "warning",
        "正文称“零败诉”“均获维持”，但表四“结果纠正”大于 0",
        "The text claims no losses (零败诉/均获维持), but table 四 has corrected results",
        doc(
            "正文写“零败诉”“均获维持”“未发生被行政复议纠错或行政诉讼败诉”等，而表四对应的“结果纠正”大于 0。",
            "被纠正就是败诉或被纠错，与文字相反。",
            """行政复议案件均获维持。
表四  行政复议  结果纠正 1
→ warning[N304]: 正文称“均获维持”，但表四“结果纠正”为 1""",
            "改正文字或表四。",
            what_en="Claims of no lost cases while 结果纠正 in table 四 is above 0.",
            why_en="A corrected result is a lost case.",
            fix_en="Fix the text or table 四.",
        ),
        _run('N304'),
    ),
    Rule(
        "N305", "claim-all-concluded-but-pending", "warning",
        "正文称复议诉讼案件“均已结案”，但表四有尚未审结的案件",
        "The text says all reviews/lawsuits were concluded, but table 四 lists pending cases",
        doc(
            "在提到行政复议或行政诉讼的句子里写“均已结案”“均已审结”，而表四对应的“尚未审结”大于 0。",
            "尚未审结的案件不能算已结案。",
            """共有行政复议案件 2 件，均已结案。
表四  行政复议  尚未审结 1
→ warning[N305]: 正文称案件“均已结案”，但表四“尚未审结”为 1""",
            "改正文字或表四。",
            what_en="“均已结案” about reviews or lawsuits while 尚未审结 in table 四 is above 0.",
            why_en="Pending cases are not concluded.",
            fix_en="Fix the text or table 四.",
        ),
        _run('N305'),
    ),
]

RULES.append(
    Rule(
        "N306", "table-all-zero-but-prose-counts", "warning",
        "表三或表四全为 0，但正文写了本年的申请或案件数",
        "Table 三 or 四 is all zero, but the text counts this year's applications or cases",
        doc(
            "表三（或表四）每一格都是 0（或空白），而正文在申请（或复议、诉讼）的语境中写了大于 0 的本年总数"
            "（收到或办结的申请数、行政复议或行政诉讼案件数），如“全年共收到政府信息公开申请15件”。报告一次，"
            "指出这张表和正文中的第一个这样的数字；这张表的其余数字不再逐个按 N101 比较。全为 0 的表本身很正常"
            "（没有申请的机关），只有正文说有申请时才报告；正文只有某一项结果或结转数不为 0，或者正文的另一个总数也写 0 时，"
            "是正文写错了一个数，按 N101 报告。",
            "表格全为 0 而正文写有申请，多半是表格没有填写，或者套用了空白模板、上一年的表格没有更新；"
            "逐个数字报告不一致会淹没真正的原因。",
            """一、总体情况 …… 全年共收到政府信息公开申请 15 件 ……
表三  每一行都是 0
→ warning[N306]: 表三的 25 行全为 0，但正文写本年新收政府信息公开申请数为“15 件”：表格可能未填写或未更新""",
            "按台账填写表格；如果本年确实没有申请，改正正文。",
            what_en="Table 三 (or 四) holds only zeros or blanks while the text, speaking of applications (or reviews and "
                    "lawsuits), states a total above 0 for this year (applications received or closed, reviews, lawsuits). "
                    "One finding per table, at the first such number; the table's other numbers are then not compared one "
                    "by one (N101). A lone outcome or carry-over number above 0, or one total above 0 next to another "
                    "total of 0, is a misquote: N101.",
            why_en="An all-zero table under a text that counts cases was almost always not filled in, or left from a "
                   "template or last year; one finding names the cause instead of a warning per number.",
            fix_en="Fill in the table from the register; if there really were no cases, correct the text.",
        ),
        _run("N306"), basis="R13",
    )
)

RULES_BY_CODE = {r.code: r for r in RULES}

