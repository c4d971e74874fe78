"""Generate consistent synthetic reports, and change one number of them.

A generated report satisfies every relation of spec §4 that a single report can:
R1 (一 + 二 = （七）总计 + 四, per column), R2 (（七）总计 = the leaf rows), R3 (总计 =
the six applicant columns), R4 (section-四 totals), R5 (non-negative counts, signed
本年增/减 with 上一年项目数量 + 增减 ≥ 0, money as two-place Decimal).  Given the
previous year's report it also keeps R6 (上年结转 = last year's 结转下年度), R7 and R9.
"""

from __future__ import annotations

import random
import zlib
from decimal import Decimal

from ..templates import common, load_template
from . import prose
from .model import Paragraphs, SynthReport

APPLICANTS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")

# How busy a body is: weights of (zero, small, medium, large).  Most town reports
# are all zeros; a few city departments handle hundreds of applications.
PROFILES = ("zero", "small", "medium", "large")
PROFILE_WEIGHTS = (0.25, 0.35, 0.25, 0.15)

# Where the answered applications go (leaf rows), before the template's own list.
_LEAF_WEIGHTS = {
    "三.一": 40, "三.二": 8, "三.四.1": 10, "三.四.2": 3, "三.五.2": 3, "三.五.1": 2,
    "三.三.4": 2, "三.三.6": 2, "三.六": 3, "三.六.1": 2, "三.六.3": 2,
}


def _column_volume(profile: str, column: str, rng: random.Random) -> int:
    """Number of applications answered this year by one applicant group."""
    natural = column == "自然人"
    if profile == "zero":
        return 0
    if profile == "small":
        if natural:
            return rng.randint(1, 20)
        return rng.randint(1, 3) if rng.random() < 0.25 else 0
    if profile == "medium":
        if natural:
            return rng.randint(20, 150)
        return rng.randint(1, 12) if rng.random() < 0.5 else 0
    if natural:
        return rng.randint(100, 900)
    return rng.randint(1, 60) if rng.random() < 0.7 else 0


def _split(total: int, keys: tuple[str, ...], rng: random.Random) -> dict[str, int]:
    """Spread `total` over a few of `keys`, most of it on the heavy ones."""
    out = dict.fromkeys(keys, 0)
    if total <= 0:
        return out
    weights = [_LEAF_WEIGHTS.get(k, 1) for k in keys]
    k = min(len(keys), rng.randint(1, 5))
    chosen = set()
    while len(chosen) < k:
        chosen.add(rng.choices(keys, weights)[0])
    chosen_l = sorted(chosen, key=keys.index)
    w = [_LEAF_WEIGHTS.get(c, 1) * rng.random() + 0.01 for c in chosen_l]
    s = sum(w)
    assigned = 0
    for c, wi in zip(chosen_l, w):
        n = int(total * wi / s)
        out[c] = n
        assigned += n
    # the remainder goes to the heaviest chosen row
    out[max(chosen_l, key=lambda c: _LEAF_WEIGHTS.get(c, 1))] += total - assigned
    return out


def _small(rng: random.Random, p_zero: float, hi: int) -> int:
    return 0 if rng.random() < p_zero else rng.randint(1, hi)


def _money(rng: random.Random, hi: float, p_zero: float = 0.4) -> Decimal:
    if rng.random() < p_zero:
        return Decimal("0.00")
    return Decimal(f"{rng.uniform(0.01, hi):.2f}")


def _table_three(
    template_id: str, profile: str, rng: random.Random, carry_in: dict[str, int] | None
) -> dict[str, dict[str, int]]:
    t = load_template(template_id)
    leaves = t.leaves3
    rows: dict[str, dict[str, int]] = {k: {} for k in t.rows3}
    for col in APPLICANTS:
        done = _column_volume(profile, col, rng)
        split = _split(done, leaves, rng)
        carry_out = _small(rng, 0.6, max(1, done // 8)) if done else 0
        if carry_in is not None:
            carried = int(carry_in.get(col, 0))
            deficit = carried - (done + carry_out)
            if deficit > 0:  # last year's open cases must be finished or carried again
                split[leaves[0]] += deficit
                done += deficit
        else:
            carried = rng.randint(0, min(done + carry_out, max(1, done // 6))) if done and rng.random() < 0.4 else 0
        for k, v in split.items():
            rows[k][col] = v
        rows["三.七"][col] = done
        rows["四"][col] = carry_out
        rows["二"][col] = carried
        rows["一"][col] = done + carry_out - carried
    for k in rows:
        rows[k]["总计"] = sum(rows[k][c] for c in APPLICANTS)
    return rows


def _table_four(profile: str, rng: random.Random) -> dict[str, dict[str, int]]:
    c = common()
    p_zero = {"zero": 1.0, "small": 0.85, "medium": 0.6, "large": 0.35}[profile]
    hi = {"zero": 0, "small": 2, "medium": 5, "large": 30}[profile]
    out: dict[str, dict[str, int]] = {}
    for row in c.rows4:
        parts = {col: (_small(rng, 0.5, hi) if rng.random() >= p_zero and hi else 0) for col in c.columns4[:-1]}
        parts[c.columns4[-1]] = sum(parts.values())
        out[row] = parts
    return out


def _table_two(template_id: str, profile: str, rng: random.Random, previous: SynthReport | None) -> dict:
    t = load_template(template_id)
    busy = {"zero": 0.3, "small": 1.0, "medium": 3.0, "large": 10.0}[profile]
    prev2 = previous.tables.get("二", {}) if previous is not None and previous.template == template_id else {}
    out: dict[str, dict[str, object]] = {}
    for b in t.blocks:
        for r in b.rows:
            cols = [c.key for c in b.columns]
            row: dict[str, object] = {}
            pr = prev2.get(r.key, {})
            if "本年新制作数量" in cols:  # 2019 二（一）
                made = _small(rng, 0.5, int(3 * busy) + 1)
                shown = min(made, _small(rng, 0.2, made)) if made else 0
                prev_total = pr.get("对外公开总数量") if isinstance(pr.get("对外公开总数量"), int) else None
                total = (prev_total if prev_total is not None else _small(rng, 0.4, int(20 * busy) + 1)) + shown
                row = {"本年新制作数量": made, "本年新公开数量": shown, "对外公开总数量": total}
            elif "本年制发件数" in cols:  # 2021 二（一）
                made = _small(rng, 0.5, int(3 * busy) + 1)
                prev_valid = pr.get("现行有效件数") if isinstance(pr.get("现行有效件数"), int) else None
                base = prev_valid if prev_valid is not None else _small(rng, 0.4, int(20 * busy) + 1)
                repealed = min(base, _small(rng, 0.7, 3))
                row = {"本年制发件数": made, "本年废止件数": repealed, "现行有效件数": base + made - repealed}
            elif "上一年项目数量" in cols:  # 2019 二（五）（六）（八）
                pv, pd = pr.get("上一年项目数量"), pr.get("本年增/减")
                if isinstance(pv, int) and isinstance(pd, int):
                    last = pv + pd  # R7
                else:
                    last = _small(rng, 0.4, int(40 * busy) + 1)
                delta = rng.randint(-min(last, 10), 12) if rng.random() < 0.5 else 0
                row = {"上一年项目数量": last, "本年增/减": delta}
                if "处理决定数量" in cols:
                    row["处理决定数量"] = _small(rng, 0.4, int(300 * busy) + 1)
            elif "本年处理决定数量" in cols:  # 2021 二（五）（六）
                row = {"本年处理决定数量": _small(rng, 0.4, int(300 * busy) + 1)}
            elif "本年收费金额" in cols:  # 2021 二（八）, 万元
                row = {"本年收费金额": _money(rng, 50 * busy + 1)}
            elif "采购项目数量" in cols:  # 2019 二（九）, 元
                n = _small(rng, 0.4, int(8 * busy) + 1)
                row = {"采购项目数量": n, "采购总金额": _money(rng, 90000.0 * n, 0) if n else Decimal("0.00")}
            else:  # a block this generator does not know: zeros of the right kind
                for c in b.columns:
                    row[c.key] = Decimal("0.00") if c.kind == "money" else 0
            out[r.key] = row
    return out


def generate(
    template_id: str,
    rng: random.Random,
    *,
    year: int | None = None,
    agency: str | None = None,
    profile: str | None = None,
    previous: SynthReport | None = None,
) -> SynthReport:
    """A consistent synthetic report in the table layout of `template_id`.

    `year` defaults to a year the template covers (it may be set outside that range
    on purpose, e.g. a 2023 report written in the 2019 layout).  `previous` is the
    same body's report of the year before: its 四、结转下年度继续办理 becomes this
    year's 二、上年结转, and section-二 stock figures carry on (R6, R7, R9).
    `profile` is one of PROFILES (drawn from `rng` when omitted).
    """
    t = load_template(template_id)
    if year is None:
        if previous is not None:
            year = previous.year + 1
        else:
            last = t.last_year if t.last_year is not None else t.first_year + 4
            year = rng.randint(t.first_year, last)
    if agency is None:
        agency = previous.agency if previous is not None else prose.random_agency(rng)
    if profile is None:
        profile = rng.choices(PROFILES, PROFILE_WEIGHTS)[0]
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}")

    carry_in = None
    if previous is not None and "四" in previous.tables.get("三", {}):
        carry_in = {c: v for c, v in previous.tables["三"]["四"].items() if isinstance(v, int)}
    t3 = _table_three(template_id, profile, rng, carry_in)
    t4 = _table_four(profile, rng)
    t2 = _table_two(template_id, profile, rng, previous)
    report = SynthReport(template=template_id, year=year, agency=agency, tables={"二": t2, "三": t3, "四": t4})

    report.title = prose.title(agency, year)
    report.preamble = prose.preamble(agency, year, template_id, rng)
    received = t3["一"]["总计"]
    published = rng.randint(0, 40) if profile == "zero" else rng.randint(20, 2000)
    review = t4["行政复议"]["总计"]
    suits = t4["未经复议直接起诉"]["总计"] + t4["复议后起诉"]["总计"]
    report.sections = {
        "一": Paragraphs(prose.heading("一"), prose.section_one(agency, year, rng, published, received)),
        "二": Paragraphs(prose.heading("二"), prose.section_two(agency, rng)),
        "三": Paragraphs(
            prose.heading("三"),
            prose.section_three(year, received, t3["二"]["总计"], t3["三.七"]["总计"], t3["四"]["总计"]),
        ),
        "四": Paragraphs(prose.heading("四"), prose.section_four(year, review, suits)),
        "五": Paragraphs(prose.heading("五"), prose.section_five(year, rng)),
        "六": Paragraphs(prose.heading("六"), prose.section_six(template_id, year, rng)),
    }
    report.signature, report.date = prose.signature(agency, year, rng)
    report.style = {
        "paren": rng.choice(("full", "full", "half")),  # （一） or (一)
        "item_space": rng.random() < 0.3,  # "1. 属于" or "1.属于"
        "plus_sign": rng.random() < 0.7,  # "+3" or "3" for a positive 本年增/减
        "four": rng.choice(("run", "spaced")),  # run-together text: section 四 as one run of digits or spaced
    }
    # layouts of the seeds' PDF text, drawn from the report's own numbers rather than from `rng`,
    # so that adding them left every earlier draw (and the committed examples) as it was
    lay = random.Random(zlib.crc32(repr((agency, year, t3, t4)).encode("utf-8")))
    report.style.update({
        "split_header": lay.random() < 0.25,
        "label_pad": lay.random() < 0.6,
        "broken_label": lay.random() < 0.2,
        "separator": lay.random() < 0.15,
        "spaced_four_header": lay.random() < 0.3,
    })
    return report


def generate_series(
    template_id: str | None, rng: random.Random, years: list[int], *, agency: str | None = None,
    profile: str | None = None,
) -> list[SynthReport]:
    """Consecutive years of one body, each carrying over from the one before.

    `template_id` None picks the template each year requires (2019 up to 2020, 2021 after).
    """
    out: list[SynthReport] = []
    prev = None
    for y in years:
        tid = template_id or ("2019" if y <= 2020 else "2021")
        prev = generate(tid, rng, year=y, agency=agency, profile=profile, previous=prev)
        agency = prev.agency
        out.append(prev)
    return out


def check_consistent(report: SynthReport) -> list[str]:
    """The relations (R1–R5) that `report` breaks, as short descriptions; [] when consistent.

    Used by tests of the generator itself, independent of the linter.
    """
    problems: list[str] = []
    t = load_template(report.template)
    t3, t4 = report.tables["三"], report.tables["四"]

    def num(v) -> int:
        return v if isinstance(v, int) else 0

    for col in (*APPLICANTS, "总计"):
        if num(t3["一"][col]) + num(t3["二"][col]) != num(t3["三.七"][col]) + num(t3["四"][col]):
            problems.append(f"R1 三 {col}")
        if sum(num(t3[k][col]) for k in t.leaves3) != num(t3["三.七"][col]):
            problems.append(f"R2 三 {col}")
    for row, cols in t3.items():
        if sum(num(cols[c]) for c in APPLICANTS) != num(cols["总计"]):
            problems.append(f"R3 三 {row}")
    for row, cols in t4.items():
        if sum(num(v) for c, v in cols.items() if c != "总计") != num(cols["总计"]):
            problems.append(f"R4 四 {row}")
    for tname, row, col, v in report.cells():
        if isinstance(v, bool) or not isinstance(v, (int, Decimal)) and v is not None:
            problems.append(f"type {tname} {row} {col}")
        elif isinstance(v, int) and v < 0 and not (tname == "二" and col == "本年增/减"):
            problems.append(f"R5 {tname} {row} {col}")
    for row, cols in report.tables["二"].items():
        if "上一年项目数量" in cols and num(cols["上一年项目数量"]) + num(cols["本年增/减"]) < 0:
            problems.append(f"R7 二 {row}")
    return problems


BLANK_PATTERNS = ("legal", "totals", "four", "scattered")


def blank_zeros(report: SynthReport, rng: random.Random, pattern: str | None = None) -> SynthReport:
    """A copy of `report` with some zero cells printed blank, as real reports leave them.

    Patterns seen in real reports: "legal" every zero of the five 法人或其他组织 columns
    (corpus 010), "totals" zero row totals of the section-三 table (spec §4, Shanghai 2019),
    "four" the five 行政复议 cells when they are all zero (seed 000), "scattered" a few
    random zeros.  Only zeros become blank, so every relation still holds with blank = 0.

    "dense" (not in BLANK_PATTERNS: a stress pattern, not one seen in a report) leaves each
    zero of tables 二, 三 and 四 blank with probability 0.4, so rows with blanks at both ends,
    several blanks and rows with no number at all are common.
    """
    pattern = pattern or rng.choice(BLANK_PATTERNS)
    out = report.copy()
    t3, t4 = out.tables["三"], out.tables["四"]
    if pattern == "legal":
        for cols in t3.values():
            for c in APPLICANTS[1:]:
                if cols[c] == 0:
                    cols[c] = None
    elif pattern == "totals":
        for key, cols in t3.items():
            if key not in ("一", "二", "三.七", "四") and cols["总计"] == 0:
                cols["总计"] = None
    elif pattern == "four":
        row = t4["行政复议"]
        if all(v == 0 for v in row.values()):
            for c in row:
                row[c] = None
    elif pattern == "scattered":
        zeros = [(t, r, c) for t, r, c, v in out.cells(("三", "四")) if v == 0]
        for t, r, c in rng.sample(zeros, min(len(zeros), rng.randint(1, 6))):
            out.set(t, r, c, None)
    elif pattern == "dense":
        for t, r, c, v in out.cells(("二", "三", "四")):
            if v == 0 and rng.random() < 0.4:
                out.set(t, r, c, None)
    else:
        raise ValueError(f"unknown blank pattern {pattern!r}")
    return out


# The numbers the generated narrative quotes, as (table, row, column) of the cell each one repeats.
# 行政诉讼 in the narrative is the two 起诉 rows together.
NARRATIVE_CELLS = (
    ("三", "一", "总计"),
    ("三", "二", "总计"),
    ("三", "三.七", "总计"),
    ("三", "四", "总计"),
    ("四", "行政复议", "总计"),
    ("四", "未经复议直接起诉+复议后起诉", "总计"),
)


def mutate_narrative(report: SynthReport, rng: random.Random) -> tuple[SynthReport, tuple[str, str, str]]:
    """A copy of `report` whose section-三 or section-四 prose misquotes one table number.

    The tables are untouched; returns the copy and the (table, row, column) of the cell
    the wrong number claims to repeat (see NARRATIVE_CELLS).
    """
    def num(v) -> int:
        return v if isinstance(v, int) else 0

    t3, t4 = report.tables["三"], report.tables["四"]
    quoted = {
        NARRATIVE_CELLS[0]: num(t3["一"]["总计"]),
        NARRATIVE_CELLS[1]: num(t3["二"]["总计"]),
        NARRATIVE_CELLS[2]: num(t3["三.七"]["总计"]),
        NARRATIVE_CELLS[3]: num(t3["四"]["总计"]),
        NARRATIVE_CELLS[4]: num(t4["行政复议"]["总计"]),
        NARRATIVE_CELLS[5]: num(t4["未经复议直接起诉"]["总计"]) + num(t4["复议后起诉"]["总计"]),
    }
    target = rng.choice(NARRATIVE_CELLS)
    old = quoted[target]
    # a wrong number that no lenient reading could excuse: not equal to any quoted total nor
    # to a sum of two of them (a report may count 新收 together with 上年结转, for instance)
    values = list(quoted.values())
    excused = set(values) | {a + b for i, a in enumerate(values) for b in values[i + 1:]}
    candidates = [old + d for d in (1, 2, 3, 5, 10, 11, 17)] + [old - d for d in (1, 2, 3, 5) if old - d >= 0]
    candidates = [v for v in candidates if v not in excused] or [max(excused) + 7]
    quoted[target] = rng.choice(candidates)
    out = report.copy()
    q = [quoted[c] for c in NARRATIVE_CELLS]
    out.sections["三"].paragraphs = prose.section_three(out.year, q[0], q[1], q[2], q[3])
    out.sections["四"].paragraphs = prose.section_four(out.year, q[4], q[5])
    return out, target


def mutate(
    report: SynthReport, rng: random.Random, *, tables: tuple[str, ...] = ("三", "四")
) -> tuple[SynthReport, tuple[str, str, str]]:
    """A copy of `report` with exactly one integer cell changed (never made negative).

    Only cells of `tables` are candidates (by default the section-三 and section-四
    tables, where every cell takes part in an arithmetic relation).  Returns the new
    report and the changed cell's (table, row, column).
    """
    candidates = [
        (t, r, c) for t, r, c, v in report.cells(tables) if isinstance(v, int) and not isinstance(v, bool)
    ]
    if not candidates:
        raise ValueError("no integer cell to change")
    t, r, c = rng.choice(candidates)
    old = report.get(t, r, c)
    assert isinstance(old, int)
    delta = rng.choice((1, 1, 2, 3, 5, 10, 100))
    new = old - delta if old - delta >= 0 and rng.random() < 0.5 else old + delta
    out = report.copy()
    out.set(t, r, c, new)
    return out, (t, r, c)
