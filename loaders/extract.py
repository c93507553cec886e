"""Extract number mentions with their context from prose and tables.

A mention records what a reader needs to interpret a number: the label in front of it, the item
words left after removing scheme, scope, year, basis and filler words, the scheme and scope in
force, year and basis words, change words, 其中 nesting, and (for tables) the row and column
headers with the column's role. Codes are *not* assigned here; dbt joins ``item_text`` and
``scheme_text`` to the glossary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .lexicon import (BASIS_WORDS, BUDGET_NAME_PHRASES, CHANGE_DOWN, CHANGE_UP, CURRENT_YEAR_WORDS, ITEM_YEAR_PHRASES,
                      PART_PATTERN, SUBGROUP_WORDS,
                      PRIOR_YEAR_WORDS, QUALIFIERS, SCOPE_WORDS, STATUS_WORDS, Lexicon)
from .numbers import NumberToken, find_numbers
from .segment import Segmentation, Table

_SENTENCE_END = "。!?！？"
_LABEL_STOP = set(",;:。、()!?|[]《》<>") | set(_SENTENCE_END)
_YEAR_IN_TEXT = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*(?:年度?|度)")
_NUMBERING = re.compile(r"^(?:\d{1,2}\s*[、.．]|\(\s*[一二三四五六七八九十\d]+\s*\)|[一二三四五六七八九十]+\s*[、.．]|其中\s*:?|[-*•·]\s*)+")
_PART_RE = re.compile(PART_PATTERN)
# pools with no scheme of their own, and parts of one scheme's fund
_POOL_PARTS = ("大病保险", "医疗救助", "补充医疗保险", "城镇职工基本养老保险", "城镇职工养老保险")
_SUB_FUND_PARTS = ("统筹基金", "个人账户")
_LIST_MARKERS = re.compile(r"其中|包括|分别为|分别是")
_DEFICIT = re.compile(r"赤字$")
_FILLER_PREFIX = re.compile(r"^(?:其中|另外|此外|以及|及|和|与|共有|共计|合计为|总计为|共|有|现有|目前|截至|截止|全年共计|全年共|全年|今年|本年度|本年|当年|"
                            r"我中心|本中心|中心|我单位|本单位|单位|我局|本局|我部门|本部门|我县|我区|我市|我省|省财政批复的|省财政批复|财政批复的|批复的|"
                            r"决算单位|较|比|与)+")
_FILLER_SUFFIX = re.compile(r"(?:为|是|达到|达|约|(?<![合总小])计|共计|共|分别为|分别|有|合计为|总计为|总额为|的|了|达到了|已达|共有|均为|均|情况|(?<=[目金])总)+$")
_TIME_WORDS = re.compile(r"(?:(?:19|20)\d{2}\s*(?:年度?|度)|\d{1,2}\s*[-~至]\s*\d{1,2}\s*月|\d{1,2}月(?:底|末|份)?|年末|年底|年初|上半年|下半年|一季度|二季度|三季度|四季度|[1-4]季度)")
_CHANGE_RE = re.compile("(?:比|较|同比|与)?[^,;:。]{0,12}?(" + "|".join(CHANGE_UP + CHANGE_DOWN) + ")了?$")
_RATIO_RE = re.compile(r"(?:为|占|完成|达到|是|相当于)?(?P<base>[^,;:。]{0,16})的$")
_RATE_RE = re.compile(r"(率|比例|比重|占比|进度|完成度)$")
_HEADER_KEYWORDS = re.compile(r"预算|执行|决算|指标|分值|得分|完成|本年|上年|金额|占比|项目|编制数|人数|控制率|名称|序号|合计|科目|目标|变动|\d{4}年")
_VALUE_CELL = re.compile(r"^[≥≤><]?=?\s*[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\s*(?:%|%%|万元|亿元|元|万人次|人次|万人|人|个|分|家|户|次|万|亿)?$")
_TOTAL_ROW = re.compile(r"^(?:总分|合计得分|综合得分|绩效自评综合得分|自评得分|自评总分|总得分|得分合计)")
_BASIC_DATA_BLOCK = re.compile(r"^(?:三公经费|\"?三公\"?经费|项目支出|公用经费|政府采购|部门基本支出|楼堂馆所|厉行节约|财政供养|经费控制|基本支出|人员经费)")
GENERIC_ITEMS = {"", "支出", "收入", "金额", "资金", "总额", "合计", "数", "支出数", "收入数", "经费", "支出金额", "总计", "结余数",
                 "支出总额", "基金结余"}

COLUMN_ROLES: list[tuple[str, re.Pattern[str]]] = [
    ("period_actual", re.compile(r"当期执行|本期执行|当月")),
    ("change_pct", re.compile(r"变动.*(?:占比|%|率)|增减率|增长率|增幅|增长\(%\)|增长%|同比增减\(%\)")),
    ("change_abs", re.compile(r"变动.*金额|增减额|变动额|增减$")),
    ("prior", re.compile(r"上年同期|上年")),
    ("balance_left", re.compile(r"^结余数|结余$")),
    ("returned", re.compile(r"交回")),
    ("level1", re.compile(r"一级指标")),
    ("level2", re.compile(r"二级指标")),
    ("indicator", re.compile(r"三级指标|指标名称")),
    ("target_value", re.compile(r"指标值|目标值|预期值")),
    ("actual_value", re.compile(r"完成值|实际值|实际完成")),
    ("weight", re.compile(r"分值|权重|标准分")),
    ("score", re.compile(r"得分|评分")),
    ("deviation", re.compile(r"偏差|原因")),
    ("execution_rate", re.compile(r"执行率|完成率|执行进度")),
    ("change_pct", re.compile(r"变动.*(?:占比|%|率)|增减率|增长率|增幅")),
    ("change_abs", re.compile(r"变动.*金额|增减额|变动额|增减$")),
    ("budget_initial", re.compile(r"年初预算|年初数")),
    ("budget_adjusted", re.compile(r"全年预算|调整后预算|调整预算|预算数\(调整后\)|\(A\)")),
    ("actual", re.compile(r"执行数|决算数|实际支出|本年支出|执行\(|决算|支出数|\(B\)")),
    ("budget", re.compile(r"预算")),
]


@dataclass
class Mention:
    mention_id: int
    source_kind: str  # narrative | table
    line_no: int
    char_start: int
    value_text: str
    value: float
    decimals: int
    uom: str | None
    number_kind: str
    label: str = ""
    item_text: str = ""
    label_core: str = ""  # item words with the scheme words kept (机关事业养老金支出), a fallback for mapping
    part_text: str | None = None  # sub-fund or funding source (统筹基金, 个人账户, 医疗救助, 中央补助)
    item_inherited: bool = False
    scheme_text: str | None = None
    scheme_source: str | None = None  # label | segment | sentence | paragraph | section | table
    scope_text: str | None = None
    status_text: str | None = None
    qualifier: str | None = None
    year_value: int | None = None
    year_relation: str | None = None  # explicit | prior | current
    basis_text: str | None = None
    mention_role: str = "level"  # level | change | ratio | rate | score | weight | other
    change_direction: str | None = None
    ratio_base_text: str | None = None
    related_mention_id: int | None = None  # for change/ratio: the level mention it refers to
    parent_mention_id: int | None = None  # 其中 nesting
    in_parentheses: bool = False
    clause: str = ""
    sentence: str = ""
    section_path: str = ""
    context_hint: str | None = None
    table_id: int | None = None
    table_kind: str | None = None
    row_idx: int | None = None
    col_idx: int | None = None
    row_header: str | None = None
    col_header: str | None = None
    col_role: str | None = None
    parent_row_label: str | None = None

    def as_row(self) -> dict:
        # every field is immutable (str, int, float, bool, None): a shallow copy is the row, and it
        # costs a third of what dataclasses.asdict's deep copy did (benchmarks/RESULTS.md)
        return dict(self.__dict__)


@dataclass
class TableCellRecord:
    table_id: int
    row_idx: int
    col_idx: int
    line_no: int
    text: str
    is_header: bool
    is_numeric: bool
    row_header: str | None
    col_header: str | None
    col_role: str | None
    parent_row_label: str | None


@dataclass
class TableRecord:
    table_id: int
    layout: str
    start_line: int
    end_line: int
    title: str
    uom_hint: str | None
    section_path: str
    table_kind: str
    evaluation: str | None
    project_name: str
    n_rows: int
    n_cols: int


@dataclass
class Extraction:
    mentions: list[Mention] = field(default_factory=list)
    cells: list[TableCellRecord] = field(default_factory=list)
    tables: list[TableRecord] = field(default_factory=list)


# ---------------------------------------------------------------- label analysis

def _find_basis(text: str) -> str | None:
    masked = text
    for phrase in ITEM_YEAR_PHRASES + BUDGET_NAME_PHRASES:
        if phrase != "年初预算":
            masked = masked.replace(phrase, "#" * len(phrase))
    best = None  # the basis word that ends last wins; on a tie, the longer one (全年预算 over 预算)
    for word, token in BASIS_WORDS:
        pos = masked.rfind(word)
        if pos >= 0:
            key = (pos + len(word), len(word))
            if best is None or key > best[0]:
                best = (key, token)
    return best[1] if best else None


def _year_relation(text: str) -> tuple[int | None, str | None]:
    years = _YEAR_IN_TEXT.findall(text)
    if years:
        return int(years[-1]), "explicit"
    masked = text
    for phrase in ITEM_YEAR_PHRASES:
        masked = masked.replace(phrase, "")
    if any(w in masked for w in PRIOR_YEAR_WORDS):
        return None, "prior"
    if any(w in masked for w in CURRENT_YEAR_WORDS):
        return None, "current"
    return None, None


def _first_in(text: str, words: list[str]) -> str | None:
    for w in words:
        if w in text:
            return w
    return None


def clean_item_text(label: str, lexicon: Lexicon, scheme_text: str | None, keep_scheme: bool = False) -> str:
    """The words naming the item: label minus numbering, scheme, scope, time, basis and filler words."""
    text = _NUMBERING.sub("", label.strip())
    text = text.strip(" :：\"'")
    protected: dict[str, str] = {}
    for i, phrase in enumerate(sorted(ITEM_YEAR_PHRASES + BUDGET_NAME_PHRASES + ["收支总预算"], key=len, reverse=True)):
        if phrase in text and phrase != "年初预算":
            key = chr(0xE000 + i)
            protected[key] = phrase
            text = text.replace(phrase, key)
    if not keep_scheme:
        if scheme_text:
            text = text.replace(scheme_text, "")
        text = lexicon.scheme_pattern.sub("", text)
    text = re.sub(r"\(含[^)]{0,12}\)", "", text)
    for w in SCOPE_WORDS:
        text = text.replace(w, "")
    text = _TIME_WORDS.sub("", text)
    for w in sorted(PRIOR_YEAR_WORDS + CURRENT_YEAR_WORDS, key=len, reverse=True):
        text = text.replace(w, "")
    for word, _ in BASIS_WORDS:
        if word not in ("实际支出", "实际收入"):
            text = text.replace(word, "")
    text = text.replace("实际支出", "支出").replace("实际收入", "收入")
    text = re.sub(r"[\"'“”\s]", "", text)
    for _ in range(2):
        text = _FILLER_PREFIX.sub("", text)
        text = _FILLER_SUFFIX.sub("", text)
    for key, phrase in protected.items():
        text = text.replace(key, phrase)
    text = text.strip(":")
    if text.endswith("数") and text[:-1] in GENERIC_ITEMS:
        text = text[:-1]
    if text in GENERIC_ITEMS and scheme_text and text:
        # 工伤保险支出 is the scheme's benefit line, not a bare 支出: keep the scheme words
        kept = label.strip()
        for word, _ in BASIS_WORDS:
            kept = kept.replace(word, "") if word not in ("实际支出", "实际收入") else kept.replace(word, word[-2:])
        kept = _FILLER_SUFFIX.sub("", _FILLER_PREFIX.sub("", _TIME_WORDS.sub("", _NUMBERING.sub("", kept))))
        for w in SCOPE_WORDS:
            kept = kept.replace(w, "")
        if kept.endswith(text) and kept != text:
            return kept
    return text


def _label_before(text: str, pos: int, floor: int) -> str:
    """The words between the previous stop (punctuation or the previous figure) and ``pos``.

    A short parenthesis inside a label, as in 因公出国(境)费用, is part of the label.
    """
    start = pos
    # "一般公共预算:303.64" — a label written label:value
    colon = pos
    while colon > floor and text[colon - 1] == " ":
        colon -= 1
    if colon > floor and text[colon - 1] == ":":
        start = pos = colon - 1
    while start > floor:
        ch = text[start - 1]
        if ch == ")":
            open_pos = text.rfind("(", floor, start - 1)
            inner = text[open_pos + 1:start - 1] if open_pos >= 0 else ""
            if open_pos >= 0 and len(inner) <= 4 and not re.search(r"\d", inner) \
                    and not re.fullmatch(r"[一二三四五六七八九十]+", inner):  # "(一)收入情况" starts a heading
                start = open_pos
                continue
        if ch in _LABEL_STOP:
            break
        start -= 1
    return text[start:pos].strip()


# ---------------------------------------------------------------- prose

@dataclass
class _Paragraph:
    text: str
    offsets: list[tuple[int, int]]  # (start offset in text, line_no)
    section_path: str

    def line_at(self, pos: int) -> tuple[int, int]:
        line_no, start = self.offsets[0][1], 0
        for off, ln in self.offsets:
            if off <= pos:
                line_no, start = ln, off
            else:
                break
        return line_no, pos - start


def build_paragraphs(lines: list[str], seg: Segmentation) -> list[_Paragraph]:
    """Join hard-wrapped prose lines (also across one blank line) into paragraphs, keeping a line map."""
    paragraphs: list[_Paragraph] = []
    current: _Paragraph | None = None
    pending_blank = 0
    for idx, line in enumerate(lines):
        kind = seg.line_kinds[idx]
        if kind == "blank":
            pending_blank += 1
            continue
        if kind == "table":
            current, pending_blank = None, 0
            continue
        text = line.strip()
        joinable = (
            current is not None and kind == "prose" and pending_blank <= 1
            and current.text and current.text[-1] not in _SENTENCE_END + ";:"
            and len(current.text) - current.offsets[-1][0] >= 25
            and seg.line_section[idx] == current.section_path
        )
        if joinable:
            current.offsets.append((len(current.text), idx + 1))
            current.text += text
        else:
            current = _Paragraph(text, [(0, idx + 1)], seg.line_section[idx])
            paragraphs.append(current)
        if kind == "heading":
            current = None
        pending_blank = 0
    return paragraphs


def _split_spans(text: str, seps: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for i, ch in enumerate(text):
        if ch in seps:
            spans.append((start, i + 1))
            start = i + 1
    if start < len(text):
        spans.append((start, len(text)))
    return spans


class MentionBuilder:
    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon
        self.mentions: list[Mention] = []

    def _new(self, tok: NumberToken, source_kind: str, line_no: int, char_start: int) -> Mention:
        m = Mention(len(self.mentions) + 1, source_kind, line_no, char_start, tok.text, tok.value, tok.decimals,
                    tok.uom, tok.kind)
        self.mentions.append(m)
        return m

    def scheme_in(self, text: str) -> str | None:
        found = self.lexicon.scheme_pattern.findall(text)
        return found[-1] if found else None

    # -- prose ----------------------------------------------------------
    def prose(self, para_text: str, locate, section_path: str, source_kind: str = "narrative",
              table_ctx: dict | None = None) -> list[Mention]:
        out: list[Mention] = []
        section_scheme = self.scheme_in(section_path.split(" > ")[-1]) if section_path else None
        if section_scheme is None and section_path:
            section_scheme = self.scheme_in(section_path)
        section_scope = _first_in(section_path, SCOPE_WORDS)
        para_scheme: str | None = None
        # "(一)收入预算:2025年年初预算数7961.17万元" — the heading names what generic figures are about
        lead = re.match(r"^\s*(?:\(\s*[一二三四五六七八九十\d]+\s*\)|[一二三四五六七八九十]+、|\d+[.、])?\s*([^,;:。\d]{2,12}):", para_text)
        deepest = _NUMBERING.sub("", section_path.split(" > ")[-1]).strip() if section_path else ""
        heading = lead.group(1) if lead else (deepest if len(deepest) <= 10 else "")
        context_subject = clean_item_text(heading, self.lexicon, None) if heading else ""
        for s_start, s_end in _split_spans(para_text, _SENTENCE_END):
            sentence = para_text[s_start:s_end]
            tokens = [t for t in find_numbers(sentence)]
            sentence_mentions: list[Mention] = []
            prev_end = 0
            qizhong_positions = [m.start() for m in _LIST_MARKERS.finditer(sentence)]
            for tok in tokens:
                if tok.kind != "value":
                    line_no, col = locate(s_start + tok.start)
                    m = self._new(tok, source_kind, line_no, col)
                    m.sentence, m.section_path, m.mention_role = sentence.strip(), section_path, "other"
                    if tok.kind != "date":  # 2023年 stays part of the next label
                        prev_end = max(prev_end, tok.end)
                    out.append(m)
                    continue
                label = _label_before(sentence, tok.start, prev_end)
                line_no, col = locate(s_start + tok.start)
                m = self._new(tok, source_kind, line_no, col)
                m.label = label
                m.sentence = sentence.strip()
                clause_start = max(sentence.rfind(c, 0, tok.start) for c in ",;:") + 1
                clause_end = min([i for i in (sentence.find(c, tok.end) for c in ",;:。") if i >= 0] or [len(sentence)])
                m.clause = sentence[clause_start:clause_end].strip()
                m.section_path = section_path
                depth = sentence.count("(", 0, tok.start) - sentence.count(")", 0, tok.start)
                m.in_parentheses = depth > 0
                before = sentence[:tok.start]
                # scheme: label, then this ;-segment, then sentence, paragraph, section; "(含生育保险)"
                # says what a scheme includes and names no scheme of its own
                seg_start = before.rfind(";") + 1
                segment = re.sub(r"\(含[^)]{0,12}\)", "", before[seg_start:])
                parts_before = _PART_RE.findall(segment)
                part = _PART_RE.search(label)
                m.part_text = part.group(0) if part else (parts_before[-1] if parts_before else None)
                own_only = m.part_text in _POOL_PARTS
                for source, found in (("label", self.scheme_in(label)), ("segment", None if own_only else self.scheme_in(segment)),
                                      ("sentence", None if own_only else self.scheme_in(re.sub(r"\(含[^)]{0,12}\)", "", before))),
                                      ("paragraph", None if own_only else para_scheme),
                                      ("section", None if own_only else section_scheme)):
                    if found:
                        m.scheme_text, m.scheme_source = found, source
                        break
                if m.scheme_source in ("segment", "sentence") and re.search(r"共计|合计|总计|总共|全部", label):
                    named = {self.lexicon.scheme_code(x) for x in self.lexicon.scheme_pattern.findall(before)}
                    if len(named) >= 2:
                        # "…城乡居民养老保险新增参保43863人,全年共计新增参保群众55423人": the total of all schemes
                        m.scheme_text, m.scheme_source = None, "children"
                if m.scheme_text in self.lexicon.generic_schemes and section_scheme \
                        and section_scheme not in self.lexicon.generic_schemes and not own_only:
                    # "基本养老保险保费收入" inside the 企业…养老保险基金 section is that scheme's line
                    m.scheme_text, m.scheme_source = section_scheme, "section"
                if m.uom == "万":
                    context = label + m.clause
                    m.uom = "万元" if re.search(r"元|资金|金额|预算|收入|支出|经费|结余|结存|总计|合计|拨款", context + section_path[-20:]) \
                        else ("万人" if re.search(r"人|参保", context) else m.uom)
                if _DEFICIT.search(label.rstrip("为达是")):
                    m.value = -m.value  # 当期赤字3754万元 is a surplus of −3754
                    label = label.rstrip("为达是")[:-2] + "结余"
                    m.label = label
                m.scope_text = _first_in(label, SCOPE_WORDS) or _first_in(before, SCOPE_WORDS) or section_scope
                m.status_text = next((code for w, code in STATUS_WORDS if w in label), None)
                m.qualifier = next((q for q, words in QUALIFIERS.items() if any(w in label for w in words)), None)
                if m.qualifier is None and m.uom in ("人", "万人", "人次") and any(w in before for w in SUBGROUP_WORDS) \
                        and re.search(r"参保|参加|领取|待遇|缴费", label) and "代缴" not in label:
                    m.qualifier = "subgroup"  # 退捕渔民 … 参加城乡居民养老保险265人
                self._classify_role(m, label, sentence_mentions)
                m.basis_text = _find_basis(label)
                if m.basis_text == "预算" and "年初" in label:
                    m.basis_text = "年初预算"  # "2023年初财政批复…经费预算数"
                m.year_value, m.year_relation = _year_relation(label) if m.mention_role == "level" else (None, None)
                if m.year_value is None and m.year_relation is None and m.mention_role == "level":
                    # a year stated earlier in the sentence, outside a comparison (较/比 2022年)
                    for ym in _YEAR_IN_TEXT.finditer(before):
                        if not re.search(r"(?:较|比|与|同比)\s*$", before[:ym.start()]):
                            m.year_value, m.year_relation = int(ym.group(1)), "explicit"
                if m.part_text and part is not None and m.part_text in _SUB_FUND_PARTS + _POOL_PARTS:
                    # 医疗救助支出 → 支出, 统筹基金累计结余 → 累计结余: the part is recorded apart
                    m.item_text = clean_item_text(label.replace(m.part_text, ""), self.lexicon, m.scheme_text)
                else:
                    m.item_text = clean_item_text(label, self.lexicon, m.scheme_text)
                m.label_core = clean_item_text(label, self.lexicon, m.scheme_text, keep_scheme=True)
                if table_ctx:
                    for key, value in table_ctx.items():
                        setattr(m, key, value)
                sentence_mentions.append(m)
                out.append(m)
                prev_end = tok.end
            self._nest(sentence, tokens, sentence_mentions, qizhong_positions)
            self._inherit(sentence_mentions, context_subject)
            for m in sentence_mentions:
                m.context_hint = self._context_hint(m, sentence, section_path)
            found = self.lexicon.scheme_pattern.findall(sentence)
            specific = [f for f in found if f not in self.lexicon.generic_schemes]
            if found:
                para_scheme = specific[-1] if specific else found[-1]
        return out

    def _classify_role(self, m: Mention, label: str, previous: list[Mention]) -> None:
        levels = [p for p in previous if p.mention_role == "level"]
        if previous and previous[-1].mention_role == "change" and label.strip() in ("和", "与", "及", "、", "和增加", "和减少"):
            # "分别比上年末增加2058万人和395万人": the second figure is a change too
            m.mention_role, m.change_direction = "change", previous[-1].change_direction
            m.related_mention_id = previous[-1].related_mention_id
            return
        change = _CHANGE_RE.search(label) if label else None
        if change and (m.uom in ("%", "万元", "亿元", "元", "人", "万人", "个", "家", "人次") or m.uom is None):
            m.mention_role = "change"
            m.change_direction = "increase" if change.group(1) in CHANGE_UP else "decrease"
            m.related_mention_id = levels[-1].mention_id if levels else None
            return
        if m.uom == "%":
            ratio = _RATIO_RE.search(label)
            budget_ratio = re.search(r"(?:完成|为|达到|占)(?P<base>(?:年度|全年|年初)?(?:预算|计划|目标)(?:数)?)的?$", label)
            if budget_ratio and not label.endswith("的"):
                m.mention_role = "ratio"  # "完成预算59.7%"
                m.ratio_base_text = budget_ratio.group("base")
                m.related_mention_id = levels[-1].mention_id if levels else None
                return
            if ratio and label.endswith("的"):
                m.mention_role = "ratio"
                m.ratio_base_text = ratio.group("base").strip() or None
                m.related_mention_id = levels[-1].mention_id if levels else None
                return
            m.mention_role = "rate"
            if re.search(r"执行率|完成率|执行进度", label):
                m.related_mention_id = levels[-1].mention_id if levels else None
            return
        if m.uom == "分":
            m.mention_role = "score"

    @staticmethod
    def _nest(sentence: str, tokens: list[NumberToken], ms: list[Mention], qizhong: list[int]) -> None:
        """其中 nesting, and a parenthesised breakdown right after a figure: 72315人(在职50715人, ...)."""
        value_tokens = [t for t in tokens if t.kind == "value"]
        pos_of = {m.mention_id: t.start for m, t in zip(ms, value_tokens)}
        end_of = {m.mention_id: t.end for m, t in zip(ms, value_tokens)}
        family = {"万元": "money", "亿元": "money", "元": "money", "千元": "money", "人": "persons", "万人": "persons"}
        def lists_figures(q: int) -> bool:
            """包括/分别为 start a list only when figures follow in their ;-segment ("主要包括基本工资、…" does not)."""
            if sentence.startswith("其中", q):
                return True
            semi = sentence.find(";", q)
            end = semi if semi >= 0 else len(sentence)
            return any(q < pos_of[m.mention_id] < end and m.uom in family for m in ms)

        qizhong = [q for q in qizhong if lists_figures(q)]

        def parent_before(q: int) -> Mention | None:
            found = [m for m in ms if pos_of[m.mention_id] < q and m.mention_role == "level" and m.uom in family]
            return found[-1] if found else None

        for i, q in enumerate(qizhong):
            parent = parent_before(q)
            if parent is None:
                continue
            # the list runs until the figure that heads the next 其中 (总收入…,其中…;总支出…,其中…)
            next_parent = parent_before(qizhong[i + 1]) if i + 1 < len(qizhong) else None
            scope_end = pos_of[next_parent.mention_id] if next_parent is not None and pos_of[next_parent.mention_id] > q else len(sentence)
            if not sentence.startswith("其中", q):
                # 包括 / 分别为 lists run to the end of their ;-segment only
                semi = sentence.find(";", q)
                scope_end = min(scope_end, semi if semi >= 0 else len(sentence))
            in_paren = sentence.count("(", 0, q) - sentence.count(")", 0, q) > 0
            close = sentence.find(")", q) if in_paren else len(sentence)
            close = len(sentence) if close < 0 else close
            for m in ms:
                p = pos_of[m.mention_id]
                if sentence.count("(", q, p) > sentence.count(")", q, p):
                    continue  # inside a parenthesis opened after 其中: it breaks down the figure before it
                if q < p < min(close, scope_end) and m.mention_role == "level" and family.get(m.uom) == family[parent.uom] \
                        and m.parent_mention_id is None and m.mention_id != parent.mention_id:
                    m.parent_mention_id = parent.mention_id
        for m in ms:
            if m.parent_mention_id is not None or m.mention_role != "level" or m.uom not in family:
                continue
            p = pos_of[m.mention_id]
            open_pos = sentence.rfind("(", 0, p)
            if open_pos < 0 or ")" in sentence[open_pos:p]:
                continue
            owners = [o for o in ms if end_of[o.mention_id] <= open_pos and o.mention_role == "level"
                      and family.get(o.uom) == family[m.uom] and not sentence[end_of[o.mention_id]:open_pos].strip(" ")]
            if owners:
                m.parent_mention_id = owners[-1].mention_id

    def _inherit(self, ms: list[Mention], context_subject: str = "") -> None:
        by_id = {m.mention_id: m for m in ms}
        child_schemes: dict[int, set[str]] = {}
        for m in ms:
            if m.parent_mention_id and m.scheme_source == "label":
                code = self.lexicon.scheme_code(m.scheme_text) or m.scheme_text
                child_schemes.setdefault(m.parent_mention_id, set()).add(code)
        for pid, schemes in child_schemes.items():
            parent = by_id.get(pid)
            if parent is not None and len(schemes) >= 2 and parent.scheme_source != "label":
                parent.scheme_text, parent.scheme_source = None, "children"
        subject: Mention | None = None
        for m in ms:
            parent = by_id.get(m.parent_mention_id) if m.parent_mention_id else None
            if parent is not None:
                if m.basis_text is None:
                    m.basis_text = parent.basis_text
                # a line of a scheme's statement (基本医疗保险费收入 under 职工基本医疗保险基金收入) is that scheme's
                if parent.scheme_text and parent.scheme_text not in self.lexicon.generic_schemes \
                        and (m.scheme_text is None or m.scheme_text in self.lexicon.generic_schemes) and m.part_text is None:
                    m.scheme_text, m.scheme_source = parent.scheme_text, "parent"
                if m.year_value is None and m.year_relation is None:
                    m.year_value, m.year_relation = parent.year_value, parent.year_relation
            if m.mention_role != "level":
                continue
            if parent is not None and m.scheme_source == "label" and m.scheme_text and m.item_text.startswith(m.scheme_text) \
                    and self.lexicon.scheme_code(m.scheme_text) != self.lexicon.scheme_code(parent.scheme_text):
                # 职工医保支出 under 医疗保障基金支出: that scheme's share of the parent's item, not a line of its own
                rest = m.item_text[len(m.scheme_text):]
                if rest in GENERIC_ITEMS or rest.startswith("基金") or rest in ("结余", "收入", "支出"):
                    m.item_text = ""
            if m.item_text in GENERIC_ITEMS:
                source = parent if parent is not None else (subject if not m.in_parentheses else None)
                if source is not None and source.item_text not in GENERIC_ITEMS:
                    m.item_text, m.item_inherited = source.item_text, True
                elif source is None and parent is None and context_subject and not m.item_text:
                    m.item_text, m.item_inherited = context_subject, True
            elif parent is None and not m.in_parentheses and m.qualifier is None:
                subject = m

    def _context_hint(self, m: Mention, sentence: str, section_path: str) -> str | None:
        deepest = section_path.split(" > ")[-1] if section_path else ""
        here = f"{m.label} {m.parent_row_label or ''}"
        in_three_public_table = m.source_kind == "table" and (m.table_kind == "three_public" or "三公" in deepest)
        if "三公" in here or in_three_public_table or ("三公" in deepest and "三公" in sentence) \
                or ("三公" in sentence and m.item_text and "接待" in m.item_text):
            return "three_public"
        segment = sentence[: sentence.find(m.clause) + 1 if m.clause and m.clause in sentence else len(sentence)]
        segment = segment[segment.rfind(";") + 1:].replace("政府性基金", "")
        here = here.replace("政府性基金", "")
        deepest = deepest.replace("政府性基金", "")
        if m.uom in ("万元", "亿元", "元", "千元") and ("基金" in here or "基金" in segment or "基金" in deepest
                                                    or m.scheme_source in ("label", "segment", "children")):
            return "fund"
        if m.uom in ("人", "万人"):
            if m.scheme_source in ("label", "segment", "table", "children") or re.search(r"参保|待遇|缴费|领取|代缴|扩面", here):
                return "enrollment"
            # a unit's own staff: a small count in persons, not a province- or county-wide figure
            if m.uom == "人" and m.value < 5000 and not m.scope_text \
                    and re.search(r"编制|在职|实有|在编|离退休|离休|退休|人员情况|供养|(?:事业|行政|工勤|管理|专业技术)人员", here + deepest):
                return "staffing"
        return None


# ---------------------------------------------------------------- tables

def _is_value_cell(text: str) -> bool:
    return bool(_VALUE_CELL.match(text.replace(" ", "")))


def _is_header_row(texts: list[str]) -> bool:
    non_empty = [t for t in texts if t]
    if len(non_empty) < 2 or any(_is_value_cell(t) for t in non_empty):
        return False
    return sum(1 for t in non_empty if _HEADER_KEYWORDS.search(t) and len(t) <= 30) >= 2


def column_role(header: str | None) -> str | None:
    """The role of a column from its header; for a two-level header (预算数(调整后)/中央) the lower
    level first, then the whole."""
    if not header:
        return None
    last = header.split("/")[-1]
    for role, pattern in COLUMN_ROLES:
        if pattern.search(last) or (role in ("change_pct", "change_abs") and pattern.search(header)):
            return role
    if last != header:
        for role, pattern in COLUMN_ROLES:
            if pattern.search(header):
                return role
    return None


_VALUE_ROLES = ("target_value", "actual_value", "weight", "score", "deviation", "execution_rate", "change_pct",
                "change_abs", "budget_initial", "budget_adjusted", "actual", "prior", "budget", "period_actual",
                "balance_left", "returned")
_ITEM_LESS_ROW = re.compile(r"^(?:合计|总计|小计|合 计|总 计)$")


def _expand_header(header: list[str], sub: list[str], width: int) -> list[str] | None:
    """Spread a sub-header (中央 省级 市级 区级) under the header cell it splits, when that makes the widths fit."""
    if not sub or len(header) - 1 + len(sub) < width:
        return None
    for i, h in enumerate(header):
        if re.search(r"预算|资金|金额", h):
            return header[:i] + [f"{h}/{s}" for s in sub] + header[i + 1:]
    return None


def _align_roles(header: list[str], cells: list[str]) -> tuple[list[str | None], list[str | None]]:
    """Column headers and roles for a row whose cells do not line up with the header one to one.

    The header's value columns (全年预算数, 全年执行数, 执行率 …) are laid over the row's cells after
    its label, in order: "年度资金总额: | 808.1 | 692.98 | 86%" under "全年预算数(A) | 全年执行数(B) | 预算执行率".
    """
    value_headers = [h for h in header if h and column_role(h) in _VALUE_ROLES]
    col_headers: list[str | None] = [None] * len(cells)
    roles: list[str | None] = [None] * len(cells)
    label_idx = next((i for i, c in enumerate(cells) if c and not _is_value_cell(c)), None)
    if label_idx is None or not value_headers:
        return col_headers, roles
    k = 0
    for i in range(label_idx + 1, len(cells)):
        if k >= len(value_headers):
            break
        if cells[i] and not _is_value_cell(cells[i]) and k == 0:
            continue  # a second label cell before the figures
        col_headers[i], roles[i] = value_headers[k], column_role(value_headers[k])
        k += 1
    return col_headers, roles


def extract_table(table: Table, builder: MentionBuilder, extraction: Extraction) -> None:
    texts = [[c.text for c in row.cells] for row in table.rows]
    kind, evaluation, project_name = table.kind, table.evaluation, table.project_name  # read by loaders/grid.py
    n_cols = max((len(r) for r in texts), default=0)
    extraction.tables.append(TableRecord(table.table_id, table.layout, table.start_line, table.end_line, table.title,
                                         table.uom_hint, table.section_path, kind, evaluation, project_name,
                                         len(table.rows), n_cols))
    # the scheme a whole table is about: its title or the caption rows above its header
    caption = " ".join(" ".join(r) for r in texts[:6] if not any(_is_value_cell(c) for c in r if c))
    table_scheme = builder.scheme_in(table.title) or builder.scheme_in(caption) or builder.scheme_in(table.section_path)
    header: list[str] | None = None
    sub_header: list[str] | None = None
    funding_total: str | None = None
    prev_header_row = -2
    parent_label: str | None = None
    for r_idx, row in enumerate(table.rows):
        cells = texts[r_idx]
        if _is_header_row(cells) or (prev_header_row == r_idx - 1 and header is not None and len(cells) < len(header)
                                      and all(c and not _is_value_cell(c) and len(c) <= 6 for c in cells)):
            if header is not None and prev_header_row == r_idx - 1 and len(header) == len(cells):
                filled, last = [], ""
                for h in header:
                    last = h or last
                    filled.append(h or last)
                header = [f"{f}/{c}" if c and f and f != c else (c or f) for f, c in zip(filled, cells)]
            elif header is not None and prev_header_row == r_idx - 1 and len(cells) < len(header):
                sub_header = cells[:]  # 中央 省级 市级 区级 under 预算数
            else:
                header, sub_header = cells[:], None
                funding_total = None
            prev_header_row = r_idx
            for c_idx, cell in enumerate(row.cells):
                h = header[c_idx] if c_idx < len(header) else None
                extraction.cells.append(TableCellRecord(table.table_id, r_idx + 1, c_idx + 1, cell.line_no, cell.text,
                                                        True, False, None, h, column_role(h), None))
            continue
        if header is not None and sub_header is not None:
            expanded = _expand_header(header, sub_header, len(cells))
            if expanded:
                header, sub_header = expanded, None
        label_first = bool(cells) and bool(cells[0]) and not _is_value_cell(cells[0])
        header_has_label_column = bool(header) and column_role(next((h for h in header if h), "")) not in _VALUE_ROLES
        if header is not None and (len(header) == len(cells) or len(header) == len(cells) + 1) \
                and (header_has_label_column or not label_first):
            active = header[:len(cells)]
            roles = [column_role(h) for h in active]
        elif header is not None:
            active, roles = _align_roles(header, cells)
        else:
            active, roles = None, [None] * len(cells)
        # a 总分 row: the last number is the score, one before it the weight
        label_cells = [c for c in cells if c and not _is_value_cell(c)]
        first_label = label_cells[0] if label_cells else ""
        if _TOTAL_ROW.match(first_label.replace(" ", "")):
            value_idx = [i for i, c in enumerate(cells) if c and re.match(r"^\d+(?:\.\d+)?\s*分?$", c.replace(" ", ""))]
            roles = [None] * len(cells)
            if value_idx:
                roles[value_idx[-1]] = "score"
                if len(value_idx) > 1:
                    roles[value_idx[-2]] = "weight"
            else:
                # "总分 | 94分" in one cell
                m = re.search(r"(\d+(?:\.\d+)?)\s*分", first_label)
                if m:
                    roles = ["score" if c == first_label else None for c in cells]
        # parent row: unnumbered labels start a block, numbered / 其中 rows belong to it; in a
        # 基础数据表 only the template's block heads start a block (projects are listed one a row); in a
        # self-evaluation's funding block every row after 年度资金总额 is one of its sources
        if first_label and kind == "self_evaluation" and funding_total and not re.search(r"资金总额", first_label) \
                and any(r in ("budget_initial", "budget_adjusted", "actual") for r in roles if r):
            row_parent = funding_total
        elif first_label:
            is_child = bool(_NUMBERING.match(first_label) or first_label.startswith("其中"))
            if kind == "basic_data" and parent_label and not _BASIC_DATA_BLOCK.search(first_label):
                is_child = True
            if is_child:
                row_parent = parent_label
            else:
                parent_label = first_label.rstrip(":")
                row_parent = None
        else:
            row_parent = parent_label
        if re.search(r"资金总额", first_label):
            funding_total = first_label.rstrip(":")
        elif re.search(r"按收入性质|按支出性质|资金管理|总体目标|绩效指标", first_label):
            funding_total = None  # the funding block has ended (or splits by nature: not its sources)
        indicator_idx = roles.index("indicator") if "indicator" in roles else None
        name_idx = next((i for i, h in enumerate(active or []) if h and re.search(r"项目名称|名称", h)), None)
        if name_idx is not None and re.search(r"项目", (active or [""])[name_idx]) and cells[name_idx]:
            row_parent = "项目支出"  # a list of projects: each row is one project (项目名称 column)
        for c_idx, cell in enumerate(row.cells):
            text = cell.text
            role = roles[c_idx] if c_idx < len(roles) else None
            left = [cells[i] for i in range(c_idx) if cells[i] and not _is_value_cell(cells[i])]
            if indicator_idx is not None and cells[indicator_idx]:
                row_header = cells[indicator_idx]
            elif name_idx is not None and name_idx < c_idx and cells[name_idx]:
                row_header = cells[name_idx]
            else:
                row_header = left[-1] if left else None
            col_header = active[c_idx] if active and c_idx < len(active) else None
            is_num = _is_value_cell(text)
            extraction.cells.append(TableCellRecord(table.table_id, r_idx + 1, c_idx + 1, cell.line_no, text, False,
                                                    is_num, row_header, col_header, role, row_parent))
            if not text or re.fullmatch(r"[-—–\s]+|无", text) or cell.role == "row_number":  # 行次 is no figure (grid)
                continue
            ctx = dict(table_id=table.table_id, table_kind=kind, row_idx=r_idx + 1, col_idx=c_idx + 1,
                       row_header=row_header, col_header=col_header, col_role=role, parent_row_label=row_parent)
            if is_num:
                tok = find_numbers(text.replace(" ", "").replace("%%", "%"))
                if not tok:
                    continue
                tok = tok[0]
                m = builder._new(tok, "table", cell.line_no, 0)
                for key, value in ctx.items():
                    setattr(m, key, value)
                m.sentence = " | ".join(c for c in cells if c)
                m.clause = text
                m.section_path = table.section_path
                row_scheme = builder.scheme_in(row_header or "")
                row_item = clean_item_text(row_header or "", builder.lexicon, row_scheme)
                if row_header and (row_item in ("", "合计", "总计", "小计") or _ITEM_LESS_ROW.match(row_item)) \
                        and col_header and role is None:
                    # a row named by its scheme or a total (城镇职工医保 | 31455 | 7463.88 …): the item is in the
                    # column header (参保人数, 当年基金收入)
                    label = col_header
                    m.scheme_text = row_scheme
                    m.scheme_source = "table" if row_scheme else ("children" if row_item else None)
                else:
                    label = row_header or col_header or ""
                    m.scheme_text = builder.scheme_in(label) or builder.scheme_in(row_parent or "") or table_scheme
                    m.scheme_source = "table" if m.scheme_text else None
                m.label = label
                if m.uom in (None, "万"):
                    persons = re.search(r"人数|编制|人员|人次", label) and m.decimals == 0
                    hint = _uom_from_header(col_header) or _uom_from_header(row_header) or _uom_from_header(active[0] if active else None)
                    money_hint = table.uom_hint if table.uom_hint and "元" in table.uom_hint else None
                    if table.uom_hint and "、" in table.uom_hint:  # 单位:人、万元 — one unit per kind of column
                        parts = table.uom_hint.split("、")
                        money_hint = next((p for p in parts if "元" in p), None)
                        person_hint = next((p for p in parts if "人" in p), None)
                        if persons and person_hint:
                            hint = hint or person_hint
                    if m.uom == "万":
                        m.uom = "万人" if persons else "万元"
                    else:
                        m.uom = hint or ("分" if role in ("weight", "score") else None) or ("人" if persons else None) \
                            or money_hint or (table.uom_hint if table.uom_hint and "、" not in table.uom_hint else None)
                header_text = f"{col_header or ''}"
                m.basis_text = _find_basis(header_text) or _find_basis(label)
                m.year_value, m.year_relation = _year_relation(header_text)
                if m.year_relation is None and row_parent != "项目支出":  # "2021年…补助资金" names a project
                    m.year_value, m.year_relation = _year_relation(label)
                m.scope_text = _first_in(label, SCOPE_WORDS)
                part = _PART_RE.search(row_header or "") or _PART_RE.search(label)
                m.part_text = part.group(0) if part else None
                m.status_text = next((code for w, code in STATUS_WORDS if w in label), None)
                m.qualifier = next((q for q, words in QUALIFIERS.items() if any(w in label for w in words)), None)
                if role in ("change_abs", "change_pct"):
                    m.mention_role = "change"
                    m.year_value, m.year_relation = None, None
                elif role == "execution_rate" or (m.uom == "%" and role not in ("target_value", "actual_value")):
                    m.mention_role = "rate"
                elif role in ("weight", "score"):
                    m.mention_role = role
                elif role in ("target_value", "actual_value"):
                    m.mention_role = "indicator_value"
                elif role in ("period_actual", "balance_left", "returned"):
                    m.mention_role = "other"
                m.item_text = clean_item_text(label, builder.lexicon, m.scheme_text)
                m.label_core = clean_item_text(label, builder.lexicon, m.scheme_text, keep_scheme=True)
                m.context_hint = "fund" if kind == "fund" and m.uom and "元" in m.uom \
                    else builder._context_hint(m, m.sentence, table.section_path)
            elif re.search(r"\d", text):
                # a text cell with figures in it: "其中:一般公共预算:303.64", "参保率达100%,实现应保尽保"
                for m in builder.prose(text, lambda pos, ln=cell.line_no: (ln, pos), table.section_path, "table", ctx):
                    if m.uom is None and m.number_kind == "value" and table.uom_hint and "、" not in table.uom_hint \
                            and re.search(r"资金|金额|拨款|预算|经费|收入|支出", m.label):
                        m.uom = table.uom_hint  # "年度资金总额:203" under "项目资金(万元)"


def _uom_from_header(header: str | None) -> str | None:
    if not header:
        return None
    m = re.search(r"\((亿元|万元|千元|元|万人|人|%)\)|单位[:：]?(亿元|万元|元)", header)
    if m:
        return m.group(1) or m.group(2)
    return None


def extract_tables(seg: Segmentation, lexicon: Lexicon, statements: list) -> Extraction:
    """Tables only, numbered after the prose statements already read."""
    extraction = Extraction()
    builder = MentionBuilder(lexicon)
    builder.mentions = list(statements)
    for table in seg.tables:
        extract_table(table, builder, extraction)
    extraction.mentions = builder.mentions
    return extraction


def extract(lines: list[str], seg: Segmentation, lexicon: Lexicon) -> Extraction:
    extraction = Extraction()
    builder = MentionBuilder(lexicon)
    for para in build_paragraphs(lines, seg):
        builder.prose(para.text, para.line_at, para.section_path)
    for table in seg.tables:
        extract_table(table, builder, extraction)
    extraction.mentions = builder.mentions
    return extraction
