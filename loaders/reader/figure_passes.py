"""The passes over one figure of a sentence: each reads one thing about the statement.

A pass is ``pass_(st, fig, s, ctx)``: the statement being built, where its number sits (``Figure``),
its ``Sentence`` and the surrounding ``ReadContext``. Passes only look at windows of the sentence
through its hits (vocabulary found once per sentence), never at a growing prefix of it. Their
order is data (``seeds/reader_passes.csv``); every word they look for is data (``seeds/vocab_*.csv``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import vocabulary as vocab
from ..normalize import han_only
from ..numbers import find_numbers
from .context import DocumentContext, Figure, ParagraphState, SectionContext, Sentence, regex
from .statement import Statement
from .vocab_index import Hit, compact



@dataclass
class ReadContext:
    document: DocumentContext
    section: SectionContext
    paragraph: ParagraphState
    generic_schemes: frozenset[str] = frozenset()  # aliases of all schemes together (社保基金, 基本养老保险)
    scheme_codes: dict[str, str] | None = None  # alias → scheme code, to tell 工伤 and 工伤保险 are one scheme

    def scheme_code(self, alias: str | None) -> str | None:
        return (self.scheme_codes or {}).get(alias, alias) if alias else None


def words(list_name: str) -> frozenset[str]:
    return _words(list_name)


_WORDS: dict[str, frozenset[str]] = {}


def _words(list_name: str) -> frozenset[str]:
    if list_name not in _WORDS:
        _WORDS[list_name] = frozenset(vocab.words(list_name))
    return _WORDS[list_name]


def unit_family(uom: str | None) -> str | None:
    """money, persons, count, percent or points (seeds: unit_family)."""
    return vocab.mapping("unit_family").get(uom) if uom else None


def is_money(st: Statement) -> bool:
    return unit_family(st.uom) == "money"


def is_persons(st: Statement) -> bool:
    return unit_family(st.uom) == "persons"


def uncovered(text: str, start: int, end: int, hits: list[Hit]) -> str:
    """The characters of text[start:end] no hit covers (Chinese characters only): the Han characters of
    each gap between the hits' spans, gap by gap (a loop over characters was a thirtieth of a parse)."""
    if end <= start:
        return ""
    clipped = ((max(h.start, start), min(h.end, end)) for h in hits)
    spans = sorted((a, b) for a, b in clipped if a < b)  # an empty span (a hit outside, or start ≥ end) covers nothing
    out, pos = [], start
    for a, b in spans:
        if a > pos:
            out.append(han_only(text, pos, a))
        pos = max(pos, b)
    if pos < end:
        out.append(han_only(text, pos, end))
    return "".join(out)


# ------------------------------------------------------------------ unit of the figure

def resolve_unit(st: Statement, fig: Figure, s: Sentence, ctx: ReadContext) -> None:
    """A bare 万 means 万元 or 万人 by the words of its clause."""
    readings = dict(v.split(":", 1) for w, v in vocab.pairs("bare_unit") if w == st.uom)
    if not readings:
        return
    clause = s.text[fig.clause_start:fig.clause_end] + ctx.section.path[-20:]
    if "money" in readings and any(w in clause for w in words("money_cue")):
        st.uom = readings["money"]
    elif "persons" in readings and any(w in clause for w in words("person_cue")):
        st.uom = readings["persons"]


def family_unit(family: str) -> str:
    """个 for counts, 人 for people (seeds: family_unit)."""
    return next(w for w, v in vocab.pairs("family_unit") if v == family)


# ------------------------------------------------------------------ role

def _tail_is_links(s: Sentence, start: int, end: int) -> bool:
    """Only link words (为, 了, 共计 …) or no words between start and end."""
    links = s.window_hits(start, end, "link_word")
    return not uncovered(s.text, start, end, links)


def _only_items_and_links(s: Sentence, start: int, end: int, items: list[Hit]) -> bool:
    """Nothing but the item's own words and link words between a change verb and its figure (减少编制)."""
    inside = [h for h in items if h.start >= start and h.end <= end]
    return bool(inside) and not uncovered(s.text, start, end, inside + s.window_hits(start, end, "link_word"))


def _without_figures(text: str) -> str:
    """占年初部门预算318.21万元的 → 年初部门预算: the base's words without its figure."""
    for tok in reversed(find_numbers(text)):
        text = text[:tok.start] + text[tok.end:]
    return text.strip()


def classify_role(st: Statement, fig: Figure, s: Sentence, ctx: ReadContext) -> None:
    """change (增加 X), ratio (占…的 X%), rate (执行率 X%), score (X 分) or level."""
    label_hits_items = s.window_hits(fig.label_start, fig.start, "item")
    changes = [h for h in s.window_hits(fig.label_start, fig.start, "change_word")
               if _tail_is_links(s, h.end, fig.start)
               or _only_items_and_links(s, h.end, fig.start, label_hits_items)]  # 减少编制894个
    if changes:
        st.mention_role = "change"
        st.change_direction = changes[-1].value
        return
    if unit_family(st.uom) == "percent":
        head = s.text[fig.clause_start:fig.start].rstrip()
        m = vocab.search_any("ratio_pattern", compact(head)[0])
        if m:
            st.mention_role = "ratio"
            st.ratio_base_text = _without_figures(m.group("base") or "") or None
            return
        st.mention_role = "rate"
        return
    if unit_family(st.uom) == "points":
        kinds = s.window_hits(fig.label_start, fig.start, "score_word")
        st.mention_role = kinds[-1].value if kinds else "score"  # 分值20分 is a weight, 得分18分 a score


# ------------------------------------------------------------------ subject

def figure_family(st: Statement) -> str | None:
    return unit_family(st.uom)


def fits(hit: Hit, st: Statement) -> bool:
    """Whether the alias can name a figure of this unit (a bare number: a count or a number of people)."""
    fam = figure_family(st)
    if not hit.families or "" in hit.families:
        return True
    if fam is None:
        return bool(hit.families & {"count", "persons"})
    return fam in hit.families or (fam == "count" and "persons" in hit.families and "staffing" in hit.domains)


def _source_modifiers(s: Sentence, items: list[Hit]) -> set[Hit]:
    """Income aliases followed by a spending word qualify the spending (财政拨款支出, 非税收入安排的支出),
    naming no income: only link words may stand between them."""
    incomes = [h for h in items if "income" in h.domains]
    if not incomes:  # the usual label: no income alias, nothing to qualify (and no window to ask for)
        return set()
    heads = s.window_hits(min(h.end for h in items), max(h.end for h in items) + 8, "spending_head")
    if not heads:
        return set()
    direct = {h for h in incomes
              if any(hd.start >= h.end and hd.start - h.end <= 4 and _tail_is_links(s, h.end, hd.start) for hd in heads)}
    # 一般公共预算 inside 一般公共预算财政拨款(支出) qualifies the spending too
    return direct | {h for h in incomes if any(m.start <= h.start and h.end <= m.end for m in direct)}


def _nearest_longest(hits: list[Hit]) -> Hit | None:
    """The hit nearest the figure (the latest end); among hits overlapping it, the longest."""
    if not hits:
        return None
    last = max(hits, key=lambda h: (h.end, h.length))
    cluster = [h for h in hits if h.end > last.start]
    return max(cluster, key=lambda h: (h.length, -h.start))  # 新增参保群众: 新增参保, the one with the modifier


def subject_by_occurrence(st: Statement, fig: Figure, s: Sentence, ctx: ReadContext) -> None:
    """The vocabulary word nearest the figure in its label (longest wins); a count's noun may follow it.
    An alias of another unit family (项目支出 before a count of projects) is kept as a candidate only."""
    st.label = s.text[fig.label_start:fig.start].strip()
    st.label_core = _bare_label(s, fig)
    if st.mention_role not in ("level", "rate", "score", "weight"):
        return
    verbs = s.window_hits(fig.label_start, fig.start, ("verb_basis", "score_word"))
    items = [h for h in s.window_hits(fig.label_start, fig.start, "item")
             if not any(v.start <= h.start and h.end <= v.end for v in verbs)]  # 下达, 筹集, 得分: no subjects
    modifiers = _source_modifiers(s, items)
    st.work["funding_words"] = sorted(h.surface for h in modifiers)
    items = [h for h in items if h not in modifiers]
    generic = words("generic_item")
    before = _nearest_longest([h for h in items if h.surface not in generic]) or _nearest_longest(items)
    after = _subject_after(st, fig, s)
    chosen, source = (after, "after") if after is not None and (before is None or before.surface in generic
                                                                or not fits(before, st)) else (before, "occurrence")
    if chosen is None:
        chosen, source = _subordinate_count(st, fig, s), "occurrence"
    if chosen is None:
        return
    st.work["subject_hit"] = chosen
    if not fits(chosen, st):
        return  # a candidate for the figures that continue this statement, not this figure's subject
    st.item_text, st.subject_source = _named_class(chosen, fig, s, generic) or chosen.surface, source
    st.work["generic_subject"] = chosen.surface in generic and st.item_text == chosen.surface
    if chosen.surface in words("verb_alias") and source == "occurrence":
        obj = uncovered(s.text, chosen.end, fig.start, s.window_hits(chosen.end, fig.start, ("link_word", "basis_word")))
        if len(obj) >= 2:
            st.part_text = obj  # 发放各种生活补贴23.95亿元: the allowance's share of what was paid
    if st.uom is None and st.decimals == 0 and chosen.families & {"count", "persons"}:
        st.uom = family_unit("count" if "count" in chosen.families else "persons")  # 局机关内设股室7


def _named_class(chosen: Hit, fig: Figure, s: Sentence, generic) -> str | None:
    """资源勘探工业信息等支出245.3万元: 等 before a generic head closes a list that names a class (a
    functional class we may not know), not spending in general — the item is the class's whole name."""
    if chosen.surface not in generic or chosen.end > fig.start:
        return None
    lead = s.text[fig.label_start:chosen.start]
    if not any(lead.endswith(w) for w in words("category_marker")):
        return None
    return (lead + chosen.surface).strip()


def _subordinate_count(st: Statement, fig: Figure, s: Sentence) -> Hit | None:
    """辖18个村卫生室: a count after a verb of having units under one is a count of subordinate units."""
    if figure_family(st) != "count":
        return None
    verbs = s.window_hits(fig.label_start, fig.start, "subordinate_verb")
    if not verbs:
        return None
    verb = verbs[-1]
    return Hit(verb.start, verb.end, "item", verb.value, "staffing:count")


def _subject_after(st: Statement, fig: Figure, s: Sentence) -> Hit | None:
    """设17个内设机构: after a classifier (个, 家) the counted noun follows the figure."""
    if st.uom not in words("count_head") and st.uom is not None:
        return None
    after = s.window_hits(fig.end, fig.clause_end, "item")
    close = [h for h in after if h.start - fig.end <= 2 and fits(h, st)]
    if not close:
        return None
    first = min(h.start for h in close)
    return max((h for h in close if h.start == first), key=lambda h: h.length)


# ------------------------------------------------------------------ modifiers

def read_basis(st: Statement, fig: Figure, s: Sentence, ctx: ReadContext) -> None:
    """The basis word nearest the figure in its clause; a budget's name (一般公共预算) is no basis."""
    window = (max(fig.clause_start, fig.previous_end), fig.start)  # 计划购置0辆公务接待费4.5万元: not 计划's
    masks = s.window_hits(*window, ("budget_name_phrase", "item_year_phrase"))
    bases = [h for h in s.window_hits(*window, ("basis_word", "verb_basis"))
             if not any(m.start <= h.start and h.end <= m.end and m.surface != h.surface for m in masks)]
    if not bases:
        return
    best = max(bases, key=lambda h: (h.end, h.length))
    st.basis_text = best.value
    for refinement in s.window_hits(*window, "basis_refinement"):  # 2023年初财政批复…经费预算数
        old, new = refinement.value.split(">", 1)
        if st.basis_text == old:
            st.basis_text = new


def read_year(st: Statement, fig: Figure, s: Sentence, ctx: ReadContext) -> None:
    """An explicit year in the clause (not one compared with), else in the sentence before; 上年 → prior."""
    if st.mention_role not in ("level", "rate", "score", "weight"):
        return
    comparisons = s.before(fig.start, "comparison_word")

    def compared(pos: int) -> bool:
        return any(0 <= pos - h.end <= 1 for h in comparisons)

    lo = max(0, fig.start - 200)  # a year stated earlier in the sentence, within reach
    years = [m for m in regex("year_pattern").finditer(s.text, lo, fig.start) if not compared(m.start())]
    in_clause = [m for m in years if m.start() >= fig.clause_start]
    chosen = in_clause[-1] if in_clause else (years[-1] if years else None)
    if chosen is not None:
        st.year_value, st.year_relation = int(chosen.group(1)), "explicit"
        return
    phrases = s.window_hits(fig.label_start, fig.start, "item_year_phrase")
    relative = [h for h in s.window_hits(fig.label_start, fig.start, "year_word")
                if not any(p.start <= h.start < p.end for p in phrases)]
    if relative:
        st.year_relation = relative[-1].value
    elif ctx.section.year is not None:
        st.year_value, st.year_relation = ctx.section.year, "explicit"  # (一)本单位2021年度总收入…: its figures are 2021's


def read_status_and_qualifier(st: Statement, fig: Figure, s: Sentence, ctx: ReadContext) -> None:
    label = (fig.label_start, fig.start)
    status = s.window_hits(*label, "status_word")
    if status:
        st.status_text = max(status, key=lambda h: h.length).value
    qualifiers = s.window_hits(*label, "qualifier")
    groups = s.window_hits(*label, "subgroup_word")
    subject = st.work.get("subject_hit")
    if qualifiers:
        st.qualifier = qualifiers[-1].value
    elif groups and subject is not None and groups[-1].end <= subject.start and st.part_text is None:
        # 就业困难人员再就业1646人: a target group named before the item is the group's share, a part
        st.part_text = uncovered(s.text, groups[-1].start, subject.start, []) or groups[-1].surface
    elif is_persons(st) and s.before(fig.start, "subgroup_word") \
            and s.window_hits(*label, "enrollment_cue"):
        st.qualifier = "subgroup"  # 退捕渔民 … 参加城乡居民养老保险265人


def read_scope(st: Statement, fig: Figure, s: Sentence, ctx: ReadContext) -> None:
    """The area a figure covers (全省, 市本级): in its label, else earlier in the sentence, else its section's;
    a scope word inside a part's name (局本级) or an item's is no area."""
    def areas(hits: list[Hit]) -> list[Hit]:
        if not hits:
            return hits
        names = s.window_hits(max(0, fig.start - 200), fig.start, ("sub_unit_word", "item", "scheme"))
        return [h for h in hits if not any(n.start <= h.start and h.end <= n.end and n.length > h.length for n in names)]

    scopes = areas(s.window_hits(fig.label_start, fig.start, "scope_word")) or areas(s.before(fig.start, "scope_word"))
    st.scope_text = scopes[-1].surface if scopes else ctx.section.scope


# ------------------------------------------------------------------ scheme

def _outside_includes(s: Sentence, hits: list[Hit]) -> list[Hit]:
    spans = s.pattern_spans("parenthesis_include_pattern")
    return [h for h in hits if not any(a <= h.start < b for a, b in spans)]


def read_scheme(st: Statement, fig: Figure, s: Sentence, ctx: ReadContext) -> None:
    """The scheme named in the label, else in the ;-segment, the sentence, the paragraph, the section."""
    own_only = st.work.get("part_kind") == "pool"  # a pool's figures belong to no scheme the label does not name
    seg = s.segment_start(fig.start)
    tiers = [("label", s.window_hits(fig.label_start, fig.start, "scheme")),
             ("segment", [] if own_only else s.window_hits(seg, fig.start, "scheme")),
             ("sentence", [] if own_only else s.before(fig.start, "scheme"))]
    for source, hits in tiers:
        hits = _outside_includes(s, hits)
        if hits:
            best = _nearest_longest(hits)
            st.scheme_text, st.scheme_source = best.surface, source
            break
    else:
        found = None if own_only else (ctx.paragraph.scheme and ("paragraph", ctx.paragraph.scheme)) or \
            (ctx.section.scheme and ("section", ctx.section.scheme))
        if found:
            st.scheme_source, st.scheme_text = found


# ------------------------------------------------------------------ parts: fund part, source, sub-unit, project

def read_fund_part(st: Statement, fig: Figure, s: Sentence, ctx: ReadContext) -> None:
    """A sub-fund, pool or source's share in the label (统筹基金收入, 中央补助3664万元). A sub-fund or pool
    named earlier in the sentence stays the topic of the clauses after it (大病保险基金收入…, 基金支出…)
    until another part or scheme is named; a source's share does not."""
    label = s.window_hits(fig.label_start, fig.start, "fund_part_word")
    if label:
        hit = _nearest_longest(label)
    else:
        earlier = [h for h in s.window_hits(s.segment_start(fig.start), fig.label_start, "fund_part_word")
                   if h.value != "source"]
        hit = _nearest_longest(earlier)
        if hit is not None and _new_topic_after(s, hit, fig):
            hit = None
    if hit is not None:
        st.part_text = hit.surface
        st.work["part_kind"], st.work["part_hit"] = hit.value, hit


def _new_topic_after(s: Sentence, part: Hit, fig: Figure) -> bool:
    """A scheme named between the part and the figure (outside the part itself) starts a new topic."""
    return any(not (h.start >= part.start and h.end <= part.end) for h in s.window_hits(part.end, fig.start, "scheme"))


def read_fund_source(st: Statement, fig: Figure, s: Sentence, ctx: ReadContext) -> None:
    """Money by government level or funding type named in the label (中央财政…资金663万, 地方匹配859.6万元)."""
    if not (is_money(st) or st.uom is None):
        return
    subject = st.work.get("subject_hit")
    approvals = s.window_hits(fig.label_start, fig.start, "approval_verb")
    sources = [h for h in s.window_hits(fig.label_start, fig.start, "fund_source_word")
               if (subject is None or not (subject.start <= h.start and h.end <= subject.end))  # 一般公共预算拨款 is an item
               and not any(0 <= a.start - h.end <= 1 for a in approvals)  # 省财政批复的: the approver
               and not _in_agency_name(s, h)  # 广东省财政厅: an agency
               and not (subject is not None and _inherent(h.surface) & subject.domains)]  # 一般公共预算“三公”经费
    if sources:
        levels = [h for h in sources if h.value in _GOVERNMENT_LEVELS]
        best = _nearest_longest(levels or sources)  # 县级配套: the county's, not 'local' at large
        st.fund_source, st.work["source_word"] = best.value, best.surface
        st.part_text = st.part_text or best.surface  # a source's share is a part, never the whole


_GOVERNMENT_LEVELS = ("central", "provincial", "prefecture", "county", "township")


def _inherent(word: str) -> set[str]:
    """The glossary domains whose figures come from this funding by definition (三公 from appropriations)."""
    return {domain for w, domain in vocab.pairs("inherent_funding") if w == word}


def _in_agency_name(s: Sentence, hit: Hit) -> bool:
    """省财政 in 广东省财政厅: a funding word that runs into an agency's last character is part of its name."""
    return hit.end < len(s.text) and s.text[hit.end] in words("agency_suffix")


def _is_the_unit(name: str, unit: str | None) -> bool:
    """A short form of the unit's own name (区城管执法局 for 益阳市赫山区城市管理和综合执法局)."""
    if not unit:
        return False
    it = iter(unit)
    return name[-1] == unit[-1] and all(ch in it for ch in name)


def _bare_label(s: Sentence, fig: Figure) -> str:
    """The label's own words: its Chinese characters less list markers, link words, verbs and funding words
    (asked by two passes of each figure: found once per label)."""
    key = ("bare_label", fig.label_start, fig.start)
    if key not in s.memo:
        markers = s.window_hits(fig.label_start, fig.start, _FRAME + ("fund_source_word", "scope_word"))
        s.memo[key] = uncovered(s.text, fig.label_start, fig.start, markers)
    return s.memo[key]


def _inside_breakdown(s: Sentence, fig: Figure) -> bool:
    """Whether a 其中/包括 marker or an open parenthesis stands before the figure in its sentence."""
    return fig.depth > 0 or any(h.value.startswith("nest") for h in s.before(fig.start, "list_marker"))


def read_sub_unit(st: Statement, fig: Figure, s: Sentence, ctx: ReadContext) -> None:
    """局本级187人, 环卫处1707人, 磴口县5079.16万元: a figure named by a part of the unit is the part's."""
    label = (fig.label_start, fig.start)
    if s.window_hits(*label, ("self_reference", "own_area")):
        return
    words_ = s.window_hits(*label, "sub_unit_word")
    if words_:
        named = s.window_hits(*label, ("scheme", "item"))
        words_ = [h for h in words_ if not any(n.start <= h.start and h.end <= n.end and n.length > h.length
                                               for n in named)]
    if words_ and (_inside_breakdown(s, fig) or st.source_kind == "table"):
        st.sub_unit_text = _nearest_longest(words_).surface  # 其中局本级187人 (局机关内设股室7 is the unit's own)
        return
    bare = _bare_label(s, fig)
    if not bare or (st.work.get("subject_hit") is not None and not st.work.get("generic_subject")):
        return
    for list_name in ("place_name_pattern", "org_name_pattern"):
        if regex(list_name).fullmatch(bare) and not _is_the_unit(bare, ctx.document.unit_name) \
                and bare not in words("scope_word"):
            st.sub_unit_text = bare
            return


_FRAME = ("verb_basis", "self_reference", "own_area", "link_word", "comparison_word", "list_marker", "year_word", "basis_word")


def _after_frame(s: Sentence, start: int, end: int) -> int:
    """Where a label's own words begin after its leading frame: years, verbs, link words, 我市, a funding word."""
    frames = s.window_hits(start, end, _FRAME + ("fund_source_word",))
    years = [m.span() for m in regex("year_pattern").finditer(s.text, start, end)]
    spans = [(h.start, h.end) for h in frames] + years
    cut = start
    numbering = regex("numbering_pattern").match(s.text[start:end])
    if numbering:  # 1.2023年…: the list number first
        cut += numbering.end()
    while True:
        while cut < end and s.text[cut] in " :\"'":
            cut += 1
        reach = max((b for a, b in spans if a == cut and b > cut), default=None)  # 中央财政 over 中央
        if reach is None:
            return cut
        cut = reach


def project_name_in(s: Sentence, start: int, end: int, pattern: str = "project_name_pattern") -> tuple[str, int] | None:
    """The programme a label names (共筹集城乡医疗救助补助资金 → 城乡医疗救助补助资金) and where it starts: the
    label less its leading frame and its trailing link or basis words (…资金为, …经费预算数)."""
    cut = _after_frame(s, start, end)
    stop = end
    trailing = [h for h in s.window_hits(cut, end, ("link_word", "basis_word", "verb_basis"))]
    while trailing and trailing[-1].end >= len(s.text[:stop].rstrip(" :\"'")):
        stop = trailing.pop().start
    name = s.text[cut:stop].strip(" :\"'")
    m = regex(pattern).fullmatch(name)
    if not name or not m or name in words("generic_item") or name in words("fund_source_word"):
        return None
    return name, s.text.index(name, cut)


def _same_programme(name: str, other: str | None) -> bool:
    """Two names of one programme: without their closing word (资金, 经费 …) one contains the other."""
    if not other:
        return False
    strip = lambda n: regex("project_suffix_pattern").sub("", n)  # noqa: E731
    a, b = strip(name), strip(other)
    return bool(a) and bool(b) and (a in b or b in a)


def read_project(st: Statement, fig: Figure, s: Sentence, ctx: ReadContext) -> None:
    """困难群众救助补助资金35331.2万元: a money figure named by a programme is the programme's."""
    if not is_money(st) or st.sub_unit_text:
        return
    found = project_name_in(s, fig.label_start, fig.start)
    hit = st.work.get("subject_hit")
    cued = st.fund_source is not None or bool(s.window_hits(fig.label_start, fig.start, "verb_basis")) \
        or _same_programme(found[0], ctx.document.project) if found is not None else False
    if found is not None and cued:  # a programme's money is told by its source or its verb (下达, 筹集 …)
        name, start = found
        end = start + len(name)
        if hit is None or st.work.get("generic_subject") or not (hit.end == end and hit.start >= start):
            # the name does not end in an item's own alias (人员经费 is an item); the title's wording wins
            # when the label names the same programme (优抚对象生活补助资金 in a report on …补助经费)
            st.project_text = ctx.document.project if _same_programme(name, ctx.document.project) else name
            if hit is not None and hit.end <= end:  # 共筹集…资金, …生活补助资金: a verb or a word of the name
                st.item_text, st.subject_source = "", None
                st.work["subject_hit"], st.work["generic_subject"] = None, False
            part = st.work.get("part_hit")
            if part is not None and part.start >= start and part.end <= end:
                # 医疗救助 inside 城乡医疗救助补助资金 is part of the name, not a pool; a source's share stays a part
                st.part_text = st.work.get("source_word")
            return
    if ctx.document.project and (hit is None or st.work.get("generic_subject") or hit.surface in words("project_total_word")):
        st.project_text = ctx.document.project  # a project self-evaluation's money is its project's
