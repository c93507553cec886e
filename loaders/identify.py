"""Who wrote the report and for which year — from the content, never the file name."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

PROVINCES = ("北京市 天津市 上海市 重庆市 河北省 山西省 辽宁省 吉林省 黑龙江省 江苏省 浙江省 安徽省 福建省 江西省 山东省 河南省 湖北省 "
             "湖南省 广东省 海南省 四川省 贵州省 云南省 陕西省 甘肃省 青海省 台湾省 内蒙古自治区 广西壮族自治区 西藏自治区 "
             "宁夏回族自治区 新疆维吾尔自治区").split()
_ORG_SUFFIX = r"(?:服务中心|管理中心|中心|保障局|管理局|事务局|局|研究院|院|厅|总工会|工会|站|所|办公室|委员会|仲裁院)"
_REGION = (r"(?:" + "|".join(PROVINCES) + r")?(?:[\u4e00-\u9fff]{2,5}?(?:市|自治州|州|盟|地区))?"
           r"(?:[\u4e00-\u9fff]{1,5}?(?:自治县|县|区|旗|市))?")
_NAME = re.compile(r"(" + _REGION + r"[\u4e00-\u9fff()]{2,22}?" + _ORG_SUFFIX + r")")
_STOP_PREFIX = re.compile(r"^(?:\d{0,4}年度?|根据|按照|依据|经|由|对|向|与|及|在|为|是|我|本|原|会同|配合|联合|下发|印发|报|省级预算部门名称|预算部门名称|"
                          r"部门名称|单位名称|填报单位|预算单位|实施单位|主管部门|发布机构|来源|的)+")
_FIELD = re.compile(r"(?:填报单位|单位名称|省级预算部门名称|预算部门名称|部门名称|预算单位|实施单位|资金使用单位)\s*[:：|\t]*\s*([^\s:：|\t]{4,40})")
# the publisher of a web page is often the parent department, so it counts for less
_PUBLISHER = re.compile(r"(?:发布机构|发文机关|来源)\s*[:：|\t\]]*\s*([^\s:：|\t]{4,40})")
# a report title: NAME + year + 预算/决算/绩效 … ("重庆市梁平区就业和人才中心2025年部门预算情况说明")
_TITLE_NAME = re.compile(r"^(?:标题\s*)?(\S{4,40}?)(?:19|20)\d{2}\s*年度?\s*(?:部门|单位)?(?:预算|决算|整体支出|项目支出|绩效|收支)")
# a region name that starts right after words that end a label (…经费, …指标, 主管部门, 标题)
_INNER_REGION = re.compile(r"(?<=[费金目额数值门位称标题构名号])(?=[\u4e00-\u9fff]{1,5}(?:自治县|县|区|旗|市))")
_TITLE_YEAR = re.compile(r"((?:19|20)\d{2})\s*年度?[^。,;]{0,40}?(?:绩效|自评|评价|决算|预算|报告|自评表|情况说明|说明)")
_ANY_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_PARENT = re.compile(r"(?:为|系|是|属|隶属于?)([\u4e00-\u9fff]{2,20}?(?:厅|局|委员会|部))(?:的)?(?:直属|下属|所属|管理|主管)")
_TITLE = re.compile(r"(?:绩效)?(?:自评|评价)?报告$|自评表$|情况说明$|绩效自评$")


@dataclass
class Identity:
    unit_name: str | None
    document_kind: str | None  # budget (预算说明) | final_accounts (决算说明) | performance (绩效) | fund (基金) | None
    unit_name_source: str | None
    report_year: int | None
    report_year_source: str | None
    title: str | None
    parent_department: str | None
    name_candidates: list[str]


def _has_region(name: str) -> bool:
    return bool(re.match(_REGION, name) and re.match(_REGION, name).group(0))


_BOUNDARY = re.compile(r"[系为是由对向与及在的于属经据]")  # not 和: 和平县, 和县 are places
_REGION_END = re.compile(r"省|自治区|市|州|盟|县|区|旗")
_AS_PARENT = re.compile(r"^(?:的)?(?:下属|直属|所属|主管|管理的)")


def _clean_name(name: str) -> str:
    name = _STOP_PREFIX.sub("", name.strip())
    # "中心系安化县人力资源和社会保障局": the name starts after the last connective before the region
    first_region = _REGION_END.search(name)
    if first_region:
        head = name[:first_region.start()]
        cuts = [m.end() for m in _BOUNDARY.finditer(head)]
        if cuts:
            name = name[cuts[-1]:]
    # "翟东小区拆迁工作经费长安区医疗保障局": a region that starts after words that are no region
    cut = name
    for m in _INNER_REGION.finditer(name):
        rest = name[m.start():]
        if _NAME.fullmatch(rest) and len(rest) >= 6:
            cut = rest  # the last such start: "标题重庆市…" → "重庆市…"
    return cut


def _candidates(text: str) -> Counter[str]:
    found: Counter[str] = Counter()
    for m in _NAME.finditer(text):
        if _AS_PARENT.match(text[m.end():m.end() + 4]):
            continue  # "…局下属" names the parent department, not the author
        name = _clean_name(m.group(1))
        if len(name) >= 5 and _has_region(name):
            found[name] += 1
    return found


def identify(lines: list[str]) -> Identity:
    non_empty = [(i, line.strip().lstrip("#").strip()) for i, line in enumerate(lines) if line.strip()]
    body = "\n".join(text for _, text in non_empty)
    scores: Counter[str] = Counter()
    sources: dict[str, str] = {}
    for name, n in _candidates(body).items():
        scores[name] += n
        sources.setdefault(name, "body")
    # Field labels (填报单位：X) and table cells next to them weigh most.
    joined_cells = re.sub(r"\n\t?", " ", body)
    for m in _FIELD.finditer(joined_cells):
        for name in _candidates(m.group(1)):
            scores[name] += 5
            sources[name] = "field"
    for m in _PUBLISHER.finditer(joined_cells):
        for name in _candidates(m.group(1)):
            scores[name] += 1
            sources.setdefault(name, "publisher")
    for _, text in non_empty[:40]:
        m = _TITLE_NAME.match(text) if len(text) <= 60 else None
        if m:
            for name in _candidates(m.group(1)):
                scores[name] += 8
                sources[name] = "title"
    # The first lines (title page) weigh more than the body; a line that is only the name, most.
    title = None
    for pos, (_, text) in enumerate(non_empty[:8]):
        for name in _candidates(text):
            scores[name] += 5 if text.strip() == name and pos < 3 else 3
            sources.setdefault(name, "title")
    for _, text in non_empty[:40]:
        if _TITLE.search(text) and len(text) <= 80 and not text.startswith("\t"):
            title = text
            break
    # A longer name that contains a shorter one is the same unit written in full.
    for short in list(scores):
        for long in list(scores):
            if short != long and short in long and long.endswith(short[-2:]):
                scores[long] += scores[short]
    unit_name, source = None, None
    if scores:
        first_seen = {name: body.find(name) for name in scores}
        unit_name = max(scores, key=lambda k: (scores[k], -first_seen[k] if first_seen[k] >= 0 else -10**9, len(k)))
        source = sources.get(unit_name)
    report_year, year_source = None, None
    for _, text in non_empty[:60]:
        m = _TITLE_YEAR.search(text) if len(text) <= 80 and re.search(r"年度|报告|自评表|情况说明", text) else None
        if m:
            report_year, year_source = int(m.group(1)), "title"
            break
    if report_year is None:
        years = Counter(int(y) for y in _ANY_YEAR.findall(body))
        if years:
            report_year, year_source = years.most_common(1)[0][0], "most_frequent_year"
    parent = None
    pm = _PARENT.search(body)
    if pm:
        parent = _clean_name(pm.group(1))
        if parent.startswith("省") or parent.startswith("县") or parent.startswith("区") or parent.startswith("市"):
            region = re.match(_REGION, unit_name or "")
            prefix = region.group(0) if region else ""
            if prefix and parent[0] in prefix:
                parent = prefix[: prefix.rfind(parent[0]) + 1] + parent[1:]
    head = " ".join(text for _, text in non_empty[:25])
    if re.search(r"绩效", head):
        kind = "performance"
    elif re.search(r"决算", head):
        kind = "final_accounts"
    elif re.search(r"部门预算|单位预算|预算情况说明|预算公开", head):
        kind = "budget"
    elif re.search(r"基金", head):
        kind = "fund"
    else:
        kind = None
    return Identity(unit_name, kind, source, report_year, year_source, title, parent,
                    [n for n, _ in scores.most_common(5)])
