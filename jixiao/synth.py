"""Synthetic corpus of performance self-evaluation reports (合成报告语料), for benchmarks and scale tests.

``generate(n, out, seed)`` writes ``n`` reports modelled on the bundled ones in ``data/reports/``:
numbered prose or Markdown headings, the tab-indented one-cell-a-line attachment tables
(基础数据表, 整体支出绩效自评表) and, for social-insurance units, fund sections. Units are a
province, its prefectures and their counties (names made from syllable lists); each unit reports
several consecutive years, so year-over-year series exist.

Every figure is internally consistent (支出合计 = 基本支出 + 项目支出, 基本支出 = its economic classes,
期末滚存结余 = 期初 + 本年收支结余, 基金收入/支出 = their lines, 自评 总分 = 各指标得分之和, stated
changes = this year − last year's printed figure) except in a chosen share of documents (``rate``),
where exactly one rule is broken on purpose. The reports go to ``OUT/docs/``; every broken rule is
written to ``OUT/manifest.jsonl``
(one JSON object a line: file, unit, year, rule, figures), so a benchmark can measure that the
data-quality checks (marts.dq_checks) find exactly the injected inconsistencies.

An injection only touches figures that no other report repeats (a component, an opening balance,
an indicator score, an item of the 三公 expenses), so it makes one document inconsistent, never
its neighbour years. The output is plain UTF-8 ``.txt`` (numbered layout) and ``.md`` (Markdown).
"""

from __future__ import annotations

import json
import math
import random
from dataclasses import dataclass, field
from pathlib import Path

SYLLABLES = list("安宁丰平和泰庆昌源阳清明华兴隆德永康嘉瑞福东西南北江河山川湖林岭城溪石桥沙洛云")
PROVINCE_SUFFIX = "省"
UNIT_KINDS = [
    ("社会保险服务中心", True),   # runs funds: fund sections and fund tables
    ("城乡居民社会养老保险管理服务中心", True),
    ("人力资源和社会保障局", False),
    ("医疗保障事务中心", False),
]
RULES = ("exp_total_by_structure", "fund_closing_identity", "eval_total_score", "three_public_total_by_items")
CHINESE_NUMERALS = "一二三四五六七八九十"

FILLER = [
    "坚持以人民为中心的发展思想，持续深化社会保险经办服务改革，不断提升经办管理服务水平。",
    "严格执行财务管理制度，对预算资金的使用，包括开支范围、标准、报账程序和审批权限等作了明确规定。",
    "加强基金运行分析、风险研判和重点监控，定期开展基金安全检查，确保基金安全运行。",
    "推进“互联网+社保”服务，推行“不见面”办理，积极推进公共服务事项网上办、掌上办。",
    "健全完善内控制度，落实一事双岗双审要求，构建事前预防、事中核验、事后稽核的风险防控体系。",
    "加大政策宣传力度，深入社区、乡村、企业开展宣传活动，营造踊跃参保、积极续保的良好氛围。",
    "做好待遇按时足额发放，社会化发放率保持100%，持续开展领取待遇资格认证工作。",
    "加强干部队伍建设，组织业务培训和警示教育，提升经办人员业务能力和廉洁意识。",
]
PROBLEMS = [
    "一是经办力量不足，人少事多的矛盾突出。",
    "二是信息化水平有待提高，数据共享不够及时。",
    "三是基金收支平衡压力较大，保值增值面临挑战。",
]
# Invented prose (written for this generator, no report's text): what real reports spend most of their
# 13–22 KB on — duties, the year's work plan, achievements, causes and measures — mostly without figures.
DUTIES = [
    "贯彻执行国家和省有关社会保障的法律法规和政策，拟订本级经办管理服务的具体办法并组织实施。",
    "负责参保登记、缴费基数核定、权益记录和转移接续等经办业务，为参保对象提供咨询服务。",
    "负责社会保险待遇的审核、核定和按时足额发放，做好待遇领取资格的确认工作。",
    "负责基金财务管理和会计核算，编制基金预算、决算草案，做好基金收支的统计分析。",
    "负责经办业务的内部控制和稽核监督，防范和化解基金运行风险。",
    "负责信息系统的建设、运行和维护，推进数据共享和业务协同。",
    "指导下级经办机构开展业务工作，组织经办人员的业务培训和考核。",
    "承办上级主管部门交办的其他事项。",
]
PLAN_ITEMS = [
    ("扩大参保覆盖面", ["持续实施全民参保计划，摸清未参保人员底数，分类施策推动应保尽保。",
                       "加强与公安、民政、税务等部门的数据比对，动态更新参保信息。",
                       "突出灵活就业人员、新就业形态劳动者等重点群体，引导其及时参保续保。"]),
    ("提升经办服务质效", ["深化经办服务标准化建设，统一办事指南和服务规范。",
                         "推行综合柜员制，实现一窗受理、一次办结。",
                         "拓展线上服务渠道，提高高频事项网上办理比例。"]),
    ("加强基金监督管理", ["严格执行基金财务会计制度，规范基金收支核算。",
                         "开展基金管理风险专项排查，对发现的问题建立台账限期整改。",
                         "落实基金要情报告制度，定期分析基金运行情况。"]),
    ("推进信息化建设", ["完善业务经办系统功能，推进与上级系统的数据对接。",
                       "加强网络和数据安全管理，落实信息系统等级保护要求。",
                       "推广电子社保卡应用，拓展掌上办理事项。"]),
    ("加强队伍建设", ["坚持党建引领，落实全面从严治党主体责任。",
                     "组织开展业务练兵和岗位培训，提升经办人员政策水平。",
                     "加强作风建设，持续改进服务态度。"]),
    ("强化预算管理", ["严格按照批复的预算执行，规范资金支出程序。",
                     "加强预算执行动态监控，提高资金使用效益。",
                     "健全预算绩效管理机制，强化绩效目标管理。"]),
]
RESULTS = [
    "全年未发生重大基金安全事件，基金运行平稳。",
    "经办业务实现规范化、标准化管理，群众办事更加便捷。",
    "通过数据比对，及时终止不符合条件人员的待遇发放，追回多发待遇。",
    "加强宣传引导，在重点场所发放宣传资料，组织政策宣讲活动。",
    "按照预算批复执行，各项支出严格履行审批程序，资金使用规范。",
    "建立健全内部控制制度，明确岗位职责，实行不相容岗位相互分离。",
    "推动经办服务下沉，在基层服务网点配置自助服务终端。",
    "完成年度决算编报工作，做到数据真实、内容完整、报送及时。",
    "开展经办风险防控专项检查，对检查发现的问题逐项整改到位。",
    "落实政务公开要求，按规定公开预决算信息和绩效自评结果。",
    "积极配合审计和财政监督检查，对指出的问题认真整改。",
    "持续优化办事流程，精简证明材料，压缩办理时限。",
    "组织开展窗口服务质量评议，群众反映的问题均按期办结。",
    "完善待遇领取资格认证方式，推行静默认证和远程认证。",
    "建立业务经办风险台账，对高风险业务实行双人复核。",
    "加强与乡镇街道经办平台的业务衔接，实现基层事项就近办理。",
    "开展档案规范化整理，推进业务档案电子化管理。",
    "围绕年度目标细化任务分工，按季度调度工作进展。",
    "对照绩效目标开展运行监控，及时纠正执行中的偏差。",
    "主动接受纪检监察和人大代表监督，认真办理建议提案。",
]
CAUSES = [
    "主要原因是基层经办机构人员编制有限，业务量逐年增加。",
    "部分业务系统建设时间较早，功能已不能完全适应当前业务需要。",
    "受经济形势影响，部分参保人员缴费能力下降，续保意愿不强。",
    "预算编制的精细化程度不够，个别项目执行进度偏慢。",
]
MEASURES = [
    "进一步加强预算编制管理，提高预算编制的科学性和准确性。",
    "加快推进信息化建设，提升数据共享和业务协同水平。",
    "加强经办队伍建设，通过培训和轮岗提高人员业务能力。",
    "完善绩效目标管理，将绩效评价结果与预算安排有机结合。",
    "持续强化基金监管，健全风险防控长效机制。",
    "加大政策宣传力度，提高群众对社会保障政策的知晓度。",
]
MANAGEMENT = [
    ("预算管理", ["严格按照部门预算批复组织收支，无预算、超预算的事项一律不予支出。",
                 "建立预算执行月度通报制度，对执行进度偏慢的项目及时分析原因并督促整改。",
                 "年中根据工作任务变化，按程序申请预算调整，确保预算安排与实际需要相符。",
                 "加强项目库管理，提前谋划下一年度项目，做到项目储备充足、论证充分。"]),
    ("财务管理", ["严格执行政府会计制度，做到账目清楚、核算准确、手续完备。",
                 "落实公务卡结算制度，减少现金支付，规范报销审核流程。",
                 "定期开展财务自查，对发现的不规范票据和审批手续及时纠正。",
                 "加强往来款项清理，按规定及时结算，避免资金长期挂账。"]),
    ("资产管理", ["建立健全资产管理台账，做到账账相符、账实相符。",
                 "按规定履行资产配置、使用和处置审批程序，防止国有资产流失。",
                 "年末组织资产清查盘点，对闲置资产进行调剂使用。"]),
    ("政府采购", ["严格执行政府采购法律法规，采购项目均按规定程序实施。",
                 "落实政府采购意向公开要求，提高采购活动透明度。",
                 "加强采购合同履约验收管理，确保采购质量。"]),
    ("信息公开", ["按规定在门户网站公开部门预算、决算及“三公”经费情况。",
                 "及时公开绩效自评结果，主动接受社会监督。"]),
]
FUND_ANALYSIS = [
    "从收入结构看，保险费收入和财政补贴收入是基金收入的主要来源。",
    "从支出结构看，待遇支出占基金支出的绝大部分，基金支出保持平稳增长。",
    "基金当年收支保持平衡并略有结余，累计结余规模稳步扩大。",
    "随着待遇水平逐年提高和领取人数增加，基金支付压力持续加大。",
    "严格执行基金收支两条线管理，基金收入及时足额缴入财政专户。",
    "基金支出严格按照规定的项目和标准执行，未发生挤占挪用基金的情况。",
]
PROJECTS = ["信息系统运行维护经费", "业务工作经费", "政策宣传经费", "经办能力建设经费", "档案数字化管理经费"]
PROJECT_INDICATORS = [
    ("产出指标", "数量指标", "项目完成数量", "100%", "100%"),
    ("产出指标", "质量指标", "项目验收合格率", "100%", "100%"),
    ("产出指标", "时效指标", "项目完成及时性", "年底前", "按时完成"),
    ("产出指标", "成本指标", "项目成本控制", "不超预算", "未超预算"),
    ("效益指标", "社会效益指标", "服务能力提升", "明显提升", "明显提升"),
    ("效益指标", "可持续影响指标", "长效机制建设", "持续发挥作用", "持续发挥作用"),
    ("满意度指标", "服务对象满意度指标", "服务对象满意度", "90%", "95%"),
]


def _name(rng: random.Random, used: set[str], suffix: str) -> str:
    while True:
        name = "".join(rng.sample(SYLLABLES, 2)) + suffix
        if name not in used:
            used.add(name)
            return name


def _c(x: float) -> int:
    """An amount in hundredths of 万元 (exact sums)."""
    return int(round(x * 100))


def _w(cents: int) -> str:
    """Print hundredths of 万元 as the reports do: 2 decimals, trailing zeros dropped."""
    s = f"{cents / 100:.2f}"
    return s.rstrip("0").rstrip(".") if "." in s else s


def _printed_tolerance(amounts: list[int]) -> float:
    """What the sum check allows between a total and its items as _w prints them (万元): half a unit of
    each figure's last printed digit; a printed zero is exact (int_dq_figures.half_unit)."""
    def half_unit(cents: int) -> float:
        printed = _w(cents)
        decimals = len(printed.split(".")[1]) if "." in printed else 0
        return 0 if cents == 0 else 0.5 * 10 ** -decimals

    return sum(half_unit(c) for c in amounts)


def _split(rng: random.Random, total: int, parts: int) -> list[int]:
    cuts = sorted(rng.sample(range(1, max(total, parts + 1)), parts - 1)) if total > parts else [0] * (parts - 1)
    bounds = [0] + cuts + [total]
    return [bounds[i + 1] - bounds[i] for i in range(parts)]


@dataclass
class Unit:
    unit_code: str
    name: str
    level: str           # province / prefecture / county
    has_fund: bool
    layout: str          # md / plain
    first_year: int
    scale: float
    state: dict = field(default_factory=dict)


def _units(rng: random.Random, n_units: int, years: int) -> list[Unit]:
    used: set[str] = set()
    units: list[Unit] = []
    while len(units) < n_units:
        province = _name(rng, used, PROVINCE_SUFFIX)
        regions = [(province, "province", 20.0)]
        for _ in range(rng.randint(4, 8)):
            pref = _name(rng, used, "市")
            regions.append((pref, "prefecture", 5.0))
            for _ in range(rng.randint(3, 8)):
                regions.append((_name(rng, used, rng.choice(["县", "区"])), "county", 1.0))
        for region, level, scale in regions:
            for kind, has_fund in rng.sample(UNIT_KINDS, rng.randint(1, 3)):
                if len(units) >= n_units:
                    break
                units.append(Unit(f"u{len(units):05d}", region + kind, level, has_fund,
                                  rng.choice(["md", "plain"]), rng.randint(2017, 2024 - years), scale))
    return units


def _year_figures(rng: random.Random, unit: Unit, year: int) -> dict:
    """Consistent figures for one unit-year (hundredths of 万元 unless said); carries the state forward."""
    st = unit.state
    g = lambda: rng.uniform(0.9, 1.15)  # noqa: E731
    if not st:
        posts = max(5, int(rng.uniform(8, 40) * math.sqrt(unit.scale)))
        st.update(posts=posts, basic=_c(rng.uniform(120, 600) * unit.scale), project=_c(rng.uniform(20, 300) * unit.scale),
                  fund_close=_c(rng.uniform(3000, 50000) * unit.scale), income=None, exp_total=None)
    f: dict = {"year": year}
    f["posts"] = st["posts"]
    f["staff"] = st["posts"] - rng.randint(0, max(1, st["posts"] // 8))
    basic = max(_c(50), int(st["basic"] * g()))
    project = max(_c(5), int(st["project"] * g()))
    f["exp_basic"], f["exp_project"] = basic, project
    f["exp_total"] = basic + project
    sal = int(basic * rng.uniform(0.7, 0.85))
    house = int(basic * rng.uniform(0.01, 0.06))
    f["econ"] = [("工资福利支出", sal), ("商品和服务支出", basic - sal - house), ("对个人和家庭的补助", house)]
    f["personnel"] = sal + house
    f["public_operating"] = basic - f["personnel"]
    f["income_total"] = f["exp_total"] + _c(rng.uniform(-5, 15) * unit.scale)
    f["prior_exp_total"], f["prior_income_total"] = st["exp_total"], st["income"]
    recept = _c(rng.uniform(0.2, 3) * min(unit.scale, 5))
    veh = _c(rng.uniform(0, 6) * min(unit.scale, 5)) if rng.random() < 0.6 else 0
    f["three_public"] = [("因公出国（境）费用", 0), ("公务用车购置及运行费", veh), ("公务接待费", recept)]
    f["three_public_total"] = veh + recept
    f["three_public_budget"] = _c(math.ceil((veh + recept) / 100 * rng.uniform(1.0, 1.5)))
    # budget: initial + carry-over + mid-year = full year; actual <= full year
    f["budget_full"] = f["exp_total"] + _c(rng.uniform(0, 20) * unit.scale)
    f["budget_initial"] = f["budget_full"] - _c(rng.uniform(0, 10) * unit.scale)
    if unit.has_fund:
        prem = _c(rng.uniform(0.4, 0.7) * 10000 * unit.scale)
        subsidy = _c(rng.uniform(0.2, 0.4) * 10000 * unit.scale)
        interest = _c(rng.uniform(0.005, 0.02) * 10000 * unit.scale)
        other = _c(rng.uniform(0, 0.01) * 10000 * unit.scale)
        f["fund_income"] = [("保险费收入", prem), ("财政补贴收入", subsidy), ("利息收入", interest), ("其他收入", other)]
        f["fund_income_total"] = prem + subsidy + interest + other
        inc = f["fund_income_total"]
        benefit = int(inc * rng.uniform(0.75, 1.05))
        transfer = int(inc * rng.uniform(0.0, 0.03))
        other_e = int(inc * rng.uniform(0.0, 0.01))
        f["fund_expenditure"] = [("基本养老金支出", benefit), ("转移支出", transfer), ("其他支出", other_e)]
        f["fund_expenditure_total"] = benefit + transfer + other_e
        f["fund_surplus"] = inc - f["fund_expenditure_total"]
        f["fund_open"] = st["fund_close"]
        f["fund_close"] = f["fund_open"] + f["fund_surplus"]
        st["fund_close"] = f["fund_close"]
        f["insured_active"] = int(rng.uniform(5000, 30000) * unit.scale)
        f["insured_retired"] = int(f["insured_active"] * rng.uniform(0.2, 0.5))
    # self-evaluation: the funds row (分值 10) + nine indicators whose weights sum to 90
    rate = f["exp_total"] / f["budget_full"]
    f["exec_rate"] = rate
    f["funds_score"] = 10 if rate >= 0.995 else int(10 * rate)
    weights = [10] * 9
    for _ in range(3):
        i, j = rng.sample(range(9), 2)
        if weights[j] > 5:
            weights[i] += 5
            weights[j] -= 5
    scores = [w - (rng.randint(1, 3) if rng.random() < 0.2 else 0) for w in weights]
    f["indicators"] = list(zip(INDICATORS, weights, scores))
    f["eval_total"] = f["funds_score"] + sum(scores)
    f["projects"] = _projects(rng, project, f["budget_full"] - f["exp_total"])
    st["basic"], st["project"] = basic, project
    st["exp_total"], st["income"] = f["exp_total"], f["income_total"]
    return f


def _projects(rng: random.Random, project_total: int, slack: int) -> list[dict]:
    """One to three projects whose outturns add up to the project line exactly (rule
    exp_project_by_projects), each with its budget, execution rate and a scored self-evaluation."""
    names = rng.sample(PROJECTS, rng.randint(1, 3))
    spent = _split(rng, project_total, len(names)) if project_total >= len(names) * 100 else [project_total] + [0] * (len(names) - 1)
    out = []
    for name, actual in zip(names, spent):
        if actual <= 0:
            continue
        full = actual + min(slack // len(names), int(actual * rng.uniform(0, 0.08)))
        initial = full - int((full - actual) * rng.uniform(0, 1))
        rate = actual / full
        funds_score = 10 if rate >= 0.995 else int(10 * rate)
        weights = [15, 15, 10, 10, 15, 15, 10]
        scores = [w - (rng.randint(1, 2) if rng.random() < 0.15 else 0) for w in weights]
        out.append(dict(name=name, initial=initial, full=full, actual=actual, rate=rate, funds_score=funds_score,
                        indicators=list(zip(PROJECT_INDICATORS, weights, scores)), total=funds_score + sum(scores)))
    return out


INDICATORS = [
    ("产出指标", "数量指标", "各项工作完成率", "100%", "100%"),
    ("产出指标", "质量指标", "资金使用合规率", "100%", "100%"),
    ("产出指标", "时效指标", "完成及时率", "年底前完成", "完成"),
    ("效益指标", "经济效益指标", "资金使用效益", "效果明显", "效果明显"),
    ("效益指标", "社会效益指标", "维护参保人员切身利益", "效果明显", "效果明显"),
    ("效益指标", "生态效益指标", "生态效益情况", "效果明显", "效果明显"),
    ("效益指标", "可持续影响指标", "可持续影响情况", "效果明显", "效果明显"),
    ("满意度指标", "服务对象满意度指标", "群众满意度", "95%", "96%"),
    ("成本指标", "经济成本指标", "整体支出成本节约率", "100%", "100%"),
]


def _inject(rng: random.Random, unit: Unit, f: dict, rule: str) -> dict:
    """Break one rule in the printed figures of this document only; returns what the manifest records."""
    delta = _c(rng.choice([1, -1]) * rng.uniform(3, 30) * max(1.0, unit.scale / 2))
    if rule == "exp_total_by_structure":
        before = f["exp_project"]
        f["exp_project_printed"] = max(_c(1), before + delta)
        return dict(exp_total=_w(f["exp_total"]), exp_basic=_w(f["exp_basic"]),
                    exp_project_true=_w(before), exp_project_printed=_w(f["exp_project_printed"]))
    if rule == "fund_closing_identity":
        f["fund_open_printed"] = f["fund_open"] + delta * 10
        return dict(fund_opening_true=_w(f["fund_open"]), fund_opening_printed=_w(f["fund_open_printed"]),
                    fund_surplus=_w(f["fund_surplus"]), fund_closing=_w(f["fund_close"]))
    if rule == "eval_total_score":
        off = rng.choice([-4, -3, -2, 2, 3])
        if f["eval_total"] + off > 100:  # a printed 总分 above 100 breaks the score range, not the sum
            off = -off
        f["eval_total_printed"] = f["eval_total"] + off
        return dict(score_sum=f["eval_total"], total_printed=f["eval_total_printed"])
    if rule == "three_public_total_by_items":
        off = _c(rng.uniform(0.3, 2.0))
        # printed as the reports print (13.6 + 0.4 → "14"), the total must still disagree beyond the
        # precision it is printed at: 14 against 13.6 is a rounding, not an inconsistency (N = 10,000
        # drew one such report, and the checks rightly passed it)
        while off <= _c(_printed_tolerance([f["three_public_total"] + off] + [v for _, v in f["three_public"]])):
            off = _c(rng.uniform(0.3, 2.0))
        f["three_public_printed_total"] = f["three_public_total"] + off
        return dict(items={k: _w(v) for k, v in f["three_public"]}, total_true=_w(f["three_public_total"]),
                    total_printed=_w(f["three_public_printed_total"]))
    raise ValueError(rule)


def _change(now: int, prior: int | None) -> str:
    if prior is None or prior == 0:
        return ""
    diff = now - prior
    pct = abs(diff) / prior * 100
    word, rate_word = ("增加", "增长") if diff >= 0 else ("减少", "下降")
    return f"，比上年{word}{_w(abs(diff))}万元，{rate_word}{pct:.2f}%"


def render(unit: Unit, f: dict, rng: random.Random) -> str:
    y = f["year"]
    md = unit.layout == "md"
    h1 = (lambda t: f"## {t}") if md else (lambda t: t)
    h2 = (lambda t: f"### {t}") if md else (lambda t: t)
    project = f.get("exp_project_printed", f["exp_project"])
    tp_total = f.get("three_public_printed_total", f["three_public_total"])
    eval_total = f.get("eval_total_printed", f["eval_total"])
    fund_open = f.get("fund_open_printed", f.get("fund_open"))
    short = "中心" if "中心" in unit.name else "局"
    out: list[str] = []
    title = f"{y}年度{unit.name}整体支出绩效自评报告"
    out += [f"# {title}" if md else title, ""]
    out += [h1("一、单位基本情况"), h2("（一）人员编制情况"),
            f"{unit.name}现有编制{f['posts']}个，截止{y}年12月31日，在职人员{f['staff']}人。",
            h2("（二）主要职能职责")] + [f"{i + 1}.{t}" for i, t in enumerate(rng.sample(DUTIES, rng.randint(5, 8)))]
    out += [h2("（三）年度重点工作计划")] + _plan(rng) + [""]
    out += [h1("二、一般公共预算支出情况"), rng.choice(FILLER),
            h2("（一）收入情况"),
            f"{y}年{short}收入总额{_w(f['income_total'])}万元，均为一般公共预算财政拨款{_change(f['income_total'], f['prior_income_total'])}。",
            h2("（二）支出情况"),
            f"{y}年{short}支出总额{_w(f['exp_total'])}万元{_change(f['exp_total'], f['prior_exp_total'])}。"
            f"其中：基本支出{_w(f['exp_basic'])}万元，项目支出{_w(project)}万元。",
            "1.基本支出情况",
            f"{y}年全年基本支出{_w(f['exp_basic'])}万元，其中：" +
            "、".join(f"{k}{_w(v)}万元" for k, v in f["econ"]) + "。",
            "2.项目支出情况",
            f"{y}年项目经费支出{_w(project)}万元，主要用于业务工作经费和信息系统运行维护。",
            "3.“三公”经费情况",
            f"{y}年“三公”经费年初预算{_w(f['three_public_budget'])}万元。全年决算支出“三公”经费{_w(tp_total)}万元，其中：" +
            "；".join(f"{k}{_w(v)}万元" for k, v in f["three_public"]) + "。", ""]
    out += [h1("三、政府性基金预算支出情况"), "无。", h1("四、国有资本经营预算支出情况"), "无。",
            h1("五、社会保险基金预算支出情况")]
    if "fund_income" in f:
        scheme = "城乡居民基本养老保险基金" if "城乡居民" in unit.name else "企业职工基本养老保险基金"
        out += [f"{y}年{scheme}收入{_w(f['fund_income_total'])}万元，其中：" +
                "，".join(f"{k}{_w(v)}万元" for k, v in f["fund_income"]) + "。",
                f"{scheme}支出{_w(f['fund_expenditure_total'])}万元，其中：" +
                "，".join(f"{k}{_w(v)}万元" for k, v in f["fund_expenditure"]) + "。",
                f"{y}年度收支结余{_w(f['fund_surplus'])}万元，期初结余{_w(fund_open)}万元，期末滚存结余{_w(f['fund_close'])}万元。",
                f"截至{y}年底，参保人数{f['insured_active'] + f['insured_retired']}人，其中在职{f['insured_active']}人，"
                f"离退休{f['insured_retired']}人。", "".join(rng.sample(FUND_ANALYSIS, 4)), ""]
    else:
        out += ["无。", ""]
    out += [h1("六、部门整体支出绩效情况"), h2("（一）综合评价结论"),
            f"经自评，{y}年度我单位部门整体支出绩效评价结论为“{'优' if eval_total >= 90 else '良'}”，自查评分为{eval_total}分。",
            h2("（二）主要工作成效")] + [
                f"（{CHINESE_NUMERALS[i]}）" + "".join(rng.sample(FILLER, 3)) + "".join(rng.sample(RESULTS, 5))
                for i in range(rng.randint(7, 10))]
    out += [h2("（三）绩效目标完成情况"),
            f"{y}年度预算执行率为{100 * f['exec_rate']:.2f}%，" + "".join(rng.sample(RESULTS, 2)),
            "产出指标方面，" + "".join(rng.sample(RESULTS, 2)), "效益指标方面，" + "".join(rng.sample(FILLER, 2)),
            "满意度指标方面，服务对象满意度达到预期目标。",
            h2("（四）部门整体支出管理情况")] + _management(rng) + [""]
    out += [h1("七、存在的问题及原因分析")] + PROBLEMS + rng.sample(CAUSES, 2) + [""]
    out += [h1("八、下一步改进措施")] + [f"（{CHINESE_NUMERALS[i]}）{t}{rng.choice(RESULTS)}" for i, t in
                                       enumerate(rng.sample(FILLER, 2) + rng.sample(MEASURES, 3))] + [""]
    out += [h1("九、绩效自评结果拟应用和公开情况"),
            "拟应用绩效自评价结果作为改进今后工作管理的依据，针对自评中发现的问题及时实施整改。", ""]
    out += _attachments(unit, f, project, tp_total, eval_total, fund_open)
    return "\n".join(out) + "\n"


def _plan(rng: random.Random) -> list[str]:
    """The year's work plan: numbered items, a title and two or three sentences each."""
    out = []
    for i, (title, sentences) in enumerate(rng.sample(PLAN_ITEMS, rng.randint(4, 6))):
        out.append(f"{i + 1}.{title}。" + "".join(rng.sample(sentences, rng.randint(2, 3))))
    return out


def _management(rng: random.Random) -> list[str]:
    """How the year's money was managed: one numbered paragraph per topic."""
    return [f"{i + 1}.{topic}。" + "".join(rng.sample(sentences, max(2, len(sentences) - 1)))
            for i, (topic, sentences) in enumerate(MANAGEMENT)]


def _row(*cells: str) -> list[str]:
    return ["\t" + c for c in cells] + [""]


def _attachments(unit: Unit, f: dict, project: int, tp_total: int, eval_total: int, fund_open: int | None) -> list[str]:
    y = f["year"]
    out = ["附件1", f"{y}年度部门整体支出绩效评价基础数据表", f"填报单位：{unit.name}"]
    out += _row("财政供养人员情况", "编制数", f"{y}年实际在职人数", "控制率")
    out += _row("", str(f["posts"]), str(f["staff"]), f"{100 * f['staff'] / f['posts']:.2f}%")
    out += _row("经费控制情况(万元)", f"{y}年预算数", f"{y}年决算数")
    veh = dict(f["three_public"])["公务用车购置及运行费"]
    rec = dict(f["three_public"])["公务接待费"]
    out += _row("三公经费", _w(f["three_public_budget"]), _w(tp_total))
    out += _row("1、公务用车购置和维护经费", "", _w(veh))
    out += _row("2、出国经费", "", "0")
    out += _row("3、公务接待", "", _w(rec))
    out += _row("项目支出：", "", _w(project))
    out += _row("公用经费", "", _w(f["public_operating"]))
    out += ["", "附件2", f"{y}年度部门整体支出绩效自评表"]
    out += _row("预算部门名称", unit.name)
    out += _row("年度预算申请(万元)", "", "年初预算数(万元)", "全年预算数（万元）", "全年执行数（万元）", "分值", "执行率", "得分")
    out += _row("", "年度资金总额：", _w(f["budget_initial"]), _w(f["budget_full"]), _w(f["exp_total"]), "10",
                f"{100 * f['exec_rate']:.2f}%", str(f["funds_score"]))
    out += _budget_types(f["budget_initial"], f["budget_full"], f["exp_total"])
    out += _row("绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施")
    previous = None
    for (l1, l2, l3, target, actual), weight, score in f["indicators"]:
        out += _row("", l1 if l1 != previous else "", l2, l3, target, actual, str(weight), str(score), "")
        previous = l1
    out += _row("绩效自评综合得分", f"{eval_total}分")
    out += _row("评价等次", "优" if eval_total >= 90 else "良")
    number = 3
    if "fund_income" in f:
        out += _fund_table(number, unit, f, fund_open)
        number += 1
    for p in f["projects"]:
        out += _project_table(number, unit, y, p)
        number += 1
    return out


def _budget_types(initial: int, full: int, actual: int) -> list[str]:
    """年度资金总额 by kind of money: all of it 一般公共预算 (the other kinds printed as 0.00)."""
    out = _row("", "按收入性质分：")
    out += _row("", "一般公共预算：", _w(initial), _w(full), _w(actual))
    for label in ("政府性基金拨款：", "纳入专户管理的非税收入拨款：", "其他资金"):
        out += _row("", label, "0.00", "0.00", "0.00")
    return out


def _fund_table(number: int, unit: Unit, f: dict, fund_open: int) -> list[str]:
    """附件: the fund's income, expenditure and balances as a two-column table (the prose's figures)."""
    y = f["year"]
    scheme = "城乡居民基本养老保险基金" if "城乡居民" in unit.name else "企业职工基本养老保险基金"
    out = ["", f"附件{number}", f"{y}年度{scheme}收支情况表", "单位：万元"]
    out += _row("项目", f"{y}年决算数")
    out += _row("一、基金收入", _w(f["fund_income_total"]))
    out += [line for k, v in f["fund_income"] for line in _row(f"其中：{k}" if k == f["fund_income"][0][0] else k, _w(v))]
    out += _row("二、基金支出", _w(f["fund_expenditure_total"]))
    out += [line for k, v in f["fund_expenditure"] for line in _row(f"其中：{k}" if k == f["fund_expenditure"][0][0] else k, _w(v))]
    out += _row("三、本年收支结余", _w(f["fund_surplus"]))
    # 期初滚存结余, not 年初累计结余: the reader drops 年初 as a year word and reads 累计结余 as the closing
    # balance (a reader finding, left to its owner); the bench must not flag what was not injected
    out += _row("四、期初滚存结余", _w(fund_open))
    out += _row("五、年末滚存结余", _w(f["fund_close"]))
    return out


def _project_table(number: int, unit: Unit, y: int, p: dict) -> list[str]:
    """附件: one project's self-evaluation (项目支出绩效自评表), consistent by construction."""
    out = ["", f"附件{number}", f"{y}年度项目支出绩效自评表"]
    out += _row("项目名称", p["name"])
    out += _row("主管部门", unit.name, "实施单位", unit.name)
    out += _row("项目资金(万元)", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
    out += _row("", "年度资金总额：", _w(p["initial"]), _w(p["full"]), _w(p["actual"]), "10",
                f"{100 * p['rate']:.2f}%", str(p["funds_score"]))
    out += _row("", "其中：当年财政拨款", _w(p["initial"]), _w(p["full"]), _w(p["actual"]))
    out += _row("", "上年结转资金", "0.00", "0.00", "0.00")
    out += _row("", "其他资金", "0.00", "0.00", "0.00")
    out += _row("绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施")
    previous = None
    for (l1, l2, l3, target, actual), weight, score in p["indicators"]:
        out += _row("", l1 if l1 != previous else "", l2, l3, target, actual, str(weight), str(score), "")
        previous = l1
    out += _row("总分", f"{p['total']}分")
    return out


def generate(n: int, out: Path, seed: int = 0, years: int = 5, rate: float = 0.1,
             rules: tuple[str, ...] = RULES, first: int = 0) -> dict:
    """Write reports ``first`` … ``first + n - 1`` of the seed's stream into ``out/docs`` and their
    injected inconsistencies into ``out/manifest.jsonl``; returns a summary.

    The stream is prefix-stable: units come in a fixed order and each unit's figures come from its
    own generator (seed and unit code), so ``first=N`` continues a corpus of N reports with new
    documents (the next years of the last unit, then new units) that never clash with it."""
    rng = random.Random(seed)
    out = Path(out)
    docs = out / "docs"  # reports apart from the manifest, as in the dev corpus (docs/ + expected.jsonl)
    docs.mkdir(parents=True, exist_ok=True)
    end = first + n
    units = _units(rng, max(1, math.ceil(end / years)), years)
    index = 0
    written = 0
    used_units: set[str] = set()
    injected: list[dict] = []
    with open(out / "manifest.jsonl", "w", encoding="utf-8") as manifest:
        for unit in units:
            if index + years <= first:
                index += years  # wholly before the requested range
                continue
            urng = random.Random(f"{seed}:{unit.unit_code}")
            for k in range(years):
                if index >= end:
                    break
                year = unit.first_year + k
                f = _year_figures(urng, unit, year)
                entry = None
                if urng.random() < rate:
                    possible = [r for r in rules if r != "fund_closing_identity" or "fund_income" in f]
                    rule = urng.choice(possible)
                    entry = dict(rule=rule, figures=_inject(urng, unit, f, rule))
                text = render(unit, f, urng)
                if index >= first:
                    name = f"{unit.unit_code}_{year}.{'md' if unit.layout == 'md' else 'txt'}"
                    (docs / name).write_text(text, encoding="utf-8")
                    used_units.add(unit.unit_code)
                    if entry:
                        row = dict(file=name, unit=unit.name, year=year, **entry)
                        manifest.write(json.dumps(row, ensure_ascii=False) + "\n")
                        injected.append(row)
                    written += 1
                index += 1
    return dict(documents=written, units=len(used_units), injected=len(injected), out=str(out), docs=str(docs))
