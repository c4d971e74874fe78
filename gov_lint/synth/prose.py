"""Synthetic prose for generated reports.

Every sentence here was written for this project; none is taken from a real
report.  Agency names are invented (青禾县, 岚汀县 … are not real places).
"""

from __future__ import annotations

import random

from ..templates import common, load_template

COUNTIES = ("青禾县", "岚汀县", "槐川市砚溪区", "苇塘县", "桐屿市北岸区", "鹿鸣县")
TOWNS = ("云岭镇", "石桥乡", "柳湾镇", "杏坪街道", "芦花乡", "望川镇")
DEPARTMENTS = (
    "自然资源局",
    "市场监督管理局",
    "卫生健康委员会",
    "农业农村局",
    "教育局",
    "民政局",
    "交通运输局",
    "人民政府办公室",
    "生态环境分局",
    "水利局",
)

NOTICE = {
    "2019": "《国务院办公厅政府信息与政务公开办公室关于政府信息公开工作年度报告有关事项的通知》（国办公开办函〔2019〕60号）",
    "2021": "《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》（国办公开办函〔2021〕30号）",
}


def random_agency(rng: random.Random) -> str:
    county = rng.choice(COUNTIES)
    if rng.random() < 0.5:
        return f"{county}{rng.choice(TOWNS)}人民政府"
    return f"{county}{rng.choice(DEPARTMENTS)}"


def heading(number: str) -> str:
    for s in common().sections:
        if s.number == number:
            return f"{number}、{s.title}"
    raise KeyError(number)


def _short(agency: str) -> str:
    """What the body calls itself in its own report: 本镇 / 本乡 / 本局 …"""
    for suffix, short in (("镇人民政府", "本镇"), ("乡人民政府", "本乡"), ("街道", "本街道"), ("委员会", "本委"),
                          ("办公室", "本办"), ("分局", "本分局"), ("局", "本局")):
        if agency.endswith(suffix):
            return short
    return "本机关"


def title(agency: str, year: int) -> str:
    return f"{agency}{year}年政府信息公开工作年度报告"


def preamble(agency: str, year: int, notice_template: str, rng: random.Random) -> list[str]:
    contact = rng.choice(("综合办公室", "党政办公室", "政务公开办公室"))
    return [
        f"本报告由{agency}依照《中华人民共和国政府信息公开条例》第五十条和{NOTICE[notice_template]}编写，"
        f"分为总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、"
        f"存在的主要问题及改进情况、其他需要报告的事项六个部分。"
        f"报告中所列数据的统计期限为{year}年1月1日至{year}年12月31日。"
        f"对本报告如有疑问，请与{agency}{contact}联系。"
    ]


def section_one(agency: str, year: int, rng: random.Random, published: int, received: int) -> list[str]:
    me = _short(agency)
    channel = rng.choice(("门户网站信息公开专栏", "政务新媒体账号", "便民服务大厅公开栏", "村（社区）公开栏"))
    paras = [
        f"{year}年，{me}把政府信息公开作为转变作风、方便群众办事的一项日常工作来抓，明确一名分管负责同志和一名具体经办人员，"
        f"按月梳理应公开事项，全年没有发生因公开不及时被通报的情况。",
        "（一）主动公开",
        f"全年通过{channel}等渠道主动公开各类信息{published}条，重点是财政预决算、惠民补贴发放、项目建设进度和办事指南。"
        f"对涉及群众切身利益的事项，做到先公开、后实施。",
        "（二）依申请公开",
        (f"全年共收到政府信息公开申请{received}件，均在法定期限内答复，没有超期答复的情况。"
         if received else "全年未收到政府信息公开申请。申请渠道、受理流程和答复样式已在公开指南中写明，保持随时可用。"),
        "（三）政府信息管理",
        "建立公开前保密审查和内容复核两道关口，发布前由经办人自查、负责人审签；对已公开的文件按年度清理，失效的及时标注。",
        "（四）平台建设",
        f"对{channel}的栏目进行了梳理，合并重复栏目，补充了政策解读和常见问题两个版块，方便群众查找。",
        "（五）监督保障",
        "把政务公开纳入年度工作考核，每季度自查一次，对发现的问题建立台账、限期整改。本年度未发生责任追究情况。",
    ]
    return paras


def section_two(agency: str, rng: random.Random) -> list[str]:
    me = _short(agency)
    return [f"{me}主动公开政府信息的具体情况见下表。"]


def section_three(year: int, new: int, carried: int, done: int, carry_out: int) -> list[str]:
    if new == carried == done == carry_out == 0:
        return [f"{year}年度未收到政府信息公开申请，也没有上年结转的申请。"]
    return [
        f"{year}年度新收政府信息公开申请{new}件，上年结转{carried}件，办结{done}件，"
        f"结转下年度继续办理{carry_out}件。各项办理结果见下表。"
    ]


def section_four(year: int, review: int, suits: int) -> list[str]:
    if review == 0 and suits == 0:
        return [f"{year}年度未发生因政府信息公开引起的行政复议和行政诉讼。"]
    return [f"{year}年度因政府信息公开被申请行政复议{review}件，被提起行政诉讼{suits}件，具体情况见下表。"]


def section_five(year: int, rng: random.Random) -> list[str]:
    problems = rng.sample(
        (
            "部分栏目更新节奏不均，年底集中发布的情况仍然存在",
            "政策解读形式不够丰富，图表和问答用得不多",
            "经办人员调整较频繁，业务衔接不够顺畅",
            "对基层群众关心的办事信息归类还不够细",
            "依申请公开答复文书的说理不够充分",
        ),
        2,
    )
    fixes = rng.sample(
        (
            "制定栏目更新计划并按月检查",
            "每季度组织一次业务培训",
            "对常用办事信息按主题重新分类",
            "增加图解和问答形式的解读",
            "建立答复文书范本并交法律顾问审核",
        ),
        2,
    )
    return [
        f"一是{problems[0]}；二是{problems[1]}。",
        f"{year + 1}年将重点做好两件事：一是{fixes[0]}；二是{fixes[1]}。",
    ]


def section_six(template_id: str, year: int, rng: random.Random) -> list[str]:
    if template_id == "2019":
        return ["无其他需要报告的事项。"]
    fee = rng.random() < 0.1
    return [
        "（一）信息处理费收取情况",
        (f"依据《政府信息公开信息处理费管理办法》，{year}年度收取信息处理费{rng.randint(1, 5) * 100}元。"
         if fee else f"{year}年度未收取信息处理费。"),
        "（二）落实上级年度政务公开工作要点情况",
        "按照上级年度政务公开工作要点，逐项明确责任人和完成时限，各项任务已按期完成。",
        "（三）人大代表建议和政协提案办理结果公开情况",
        rng.choice(("本年度未承办人大代表建议和政协提案。", "本年度承办的建议和提案办理结果已在门户网站公开。")),
        "（四）政务公开工作创新情况",
        "试行“公开事项清单＋办事指南”一页通，群众查询更直观。",
    ]


def signature(agency: str, year: int, rng: random.Random) -> tuple[str, str]:
    return agency, f"{year + 1}年1月{rng.randint(8, 28)}日"


def header_line(template_id: str, item: str) -> str:
    """第二十条第（一）项, with full-width brackets as printed."""
    return f"第二十条第（{item}）项"


def block_header(template_id: str, item: str) -> list[str]:
    """The header cells of a section-二 block after 信息内容."""
    b = load_template(template_id).block(item)
    assert b is not None
    out = []
    for c in b.columns:
        out.append(f"{c.key}（单位：{c.unit}）" if c.unit else c.key)
    return out
