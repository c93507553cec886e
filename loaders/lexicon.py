"""Words the extractor needs to read context: scheme names, scope words, basis and year words.

Scheme names come from the glossary seed (domain ``si_scheme``) plus ``seeds/label_aliases.csv``,
so a new alias is added in one place and both the loader and dbt see it. The loader only records
*which words it found*; codes are assigned in dbt.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"

# Basis words, longest first. Values are the tokens dbt maps (see int_mentions_resolved).
BASIS_WORDS = [
    ("年初预算数", "年初预算"), ("全年预算数", "全年预算"), ("调整后预算数", "全年预算"),
    ("调整后预算", "全年预算"), ("调整预算", "全年预算"), ("全年预算", "全年预算"), ("年初预算", "年初预算"),
    ("预算批复", "预算"), ("批复预算", "年初预算"), ("预算安排", "预算"), ("预算数", "预算"), ("预算", "预算"),
    ("全年执行", "执行"), ("执行数", "执行"), ("执行", "执行"), ("决算数", "决算"), ("决算", "决算"),
    ("实际支出", "实际"), ("实际收入", "实际"), ("实际完成", "实际"), ("实际", "实际"),
    ("目标任务", "目标"), ("目标值", "目标"), ("指标值", "目标"), ("目标", "目标"), ("计划", "目标"),
]
# Phrases where 上年/年初/年末 name an item rather than another year (上年结转 is this year's figure).
ITEM_YEAR_PHRASES = ["上年结转", "上年结余", "年初结转", "年初结余", "年末结转", "年末结余", "上年末滚存结余",
                     "上年滚存结余", "年初滚存结余", "年末滚存结余", "上年末累计结余", "年初余额", "年初预算",
                     "上年财政拨款结转", "结转下年"]
# Names of budgets and accounts that contain a basis word: 一般公共预算拨款 is an income line, not a budget figure.
BUDGET_NAME_PHRASES = ["一般公共预算", "政府性基金预算", "国有资本经营预算", "社会保险基金预算", "部门预算", "预算单位",
                       "预算内", "预算外", "预算拨款", "预算财政拨款"]
PRIOR_YEAR_WORDS = ["上年同期", "上一年", "上年度", "上年", "去年", "同比", "较上年", "比上年"]
CURRENT_YEAR_WORDS = ["本年度", "本年", "当年", "今年", "全年"]
SCOPE_WORDS = ["省级统筹", "省本级", "市本级", "县本级", "区本级", "全省", "全市", "全州", "全县", "全区", "全国", "本级"]
CHANGE_UP = ["增加", "增长", "上升", "提高", "增多", "多支", "超支"]
CHANGE_DOWN = ["减少", "下降", "降低", "减少了", "节约", "少支", "下降了"]
# Words that make a figure something other than a level of the item (an average, a standard, ...).
QUALIFIERS = {
    "average": ["月平均", "月均", "人均", "平均", "年均"],
    "standard": ["标准", "每人每月", "每人每年", "每月", "/人"],
    "adjustment": ["追加", "调增", "调减", "追减", "压减"],
    "arrears": ["拖欠", "欠费", "清欠"],
    "recovery": ["追回", "挽回", "减免", "补发", "退还"],
    # counts of people being cleaned up, not the insured: 终止外地参保缴费人数, 核实本地参保未缴费人数
    "status_change": ["未缴", "终止", "中断", "暂停", "核清", "核实", "核准", "修正", "无意愿", "标记", "死亡"],
    # "2019年项目支出包含22.36万元人员经费": a part of the item, not the item
    "part": ["包含", "其中含"],
}
# Target groups: an enrollment count in a sentence about them is the group's, not the scheme's
SUBGROUP_WORDS = ["渔民", "贫困", "残疾", "低保", "特困", "农民工", "被征地", "退役", "困难群体", "建档立卡", "核工业"]
# Parts of a fund or a project's money: a sub-fund (统筹基金, 个人账户), a pool with no scheme code
# (大病保险, 医疗救助) or a funding source (中央补助). A figure for a part is not the scheme's total.
PART_PATTERN = r"城镇职工基本养老保险|城镇职工养老保险|统筹基金|个人账户|大病保险|医疗救助|补充医疗保险|中央(?:财政)?(?:补助|资金)|地方(?:财政)?(?:配套|资金)|省级(?:财政)?补助|(?:地)?市级?(?:财政)?补助|其他资金渠道"
STATUS_WORDS = [("离退休", "retired"), ("退休", "retired"), ("离休", "retired"), ("在职", "active"), ("在岗", "active")]


@dataclass(frozen=True)
class Lexicon:
    scheme_pattern: re.Pattern[str]
    scheme_aliases: tuple[str, ...]
    generic_schemes: frozenset[str] = frozenset()  # aliases of si_all_funds: 社保基金, 基本养老保险 …
    scheme_codes: tuple[tuple[str, str], ...] = ()  # (alias, code), to tell 工伤 and 工伤保险 are one scheme

    def scheme_code(self, alias: str | None) -> str | None:
        return dict(self.scheme_codes).get(alias) if alias else None


def _read_csv(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@lru_cache(maxsize=1)
def load_lexicon(seeds_dir: Path = SEEDS_DIR) -> Lexicon:
    aliases: set[str] = set()
    generic: set[str] = set()
    rows = [(r["code"], [r["label_zh"].split("（")[0]] + [a for a in r["aliases_zh"].split("|") if a])
            for r in _read_csv(seeds_dir / "glossary_items.csv") if r["domain"] == "si_scheme"]
    rows += [(r["code"], [r["alias"]]) for r in _read_csv(seeds_dir / "label_aliases.csv") if r["domain"] == "si_scheme"]
    for code, names in rows:
        aliases.update(names)
        if code == "si_all_funds":
            generic.update(names)
    ordered = tuple(sorted(aliases, key=len, reverse=True))
    pattern = re.compile("|".join(re.escape(a) for a in ordered)) if ordered else re.compile(r"(?!)")
    codes = tuple((name, code) for code, names in rows for name in names)
    return Lexicon(pattern, ordered, frozenset(generic), codes)
