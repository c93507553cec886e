"""The passes over a whole sentence: how its statements relate to each other.

- ``distribute_lists``: A、B分别为X、Y — the listed subjects (or parts, or years) take the figures in order;
- ``nest_lists``: 其中/包括 lists and parenthesised breakdowns make a figure part of the one before;
- ``inherit_from_parent``: a part takes what it does not say from its whole (basis, year, scheme …);
- ``qualify_by_funding``: spending qualified by a funding word (财政拨款支出) is that source's part;
- ``carry_subject``: a figure with only a basis, ratio or change word continues the statement before;
- ``relate_to_level``: a change, ratio or rate is about the level figure it follows;
- ``hint_context``: which glossary domains the figure's words point to (三公, fund, enrollment, staffing).
"""

from __future__ import annotations

from bisect import bisect_left

from .. import vocabulary as vocab
from ..normalize import is_han, list_stops, sentence_stops
from .context import LOOKBACK, MAX_LABEL, Sentence, _after_last, regex
from .figure_passes import ReadContext, family_unit, unit_family, _nearest_longest, fits, is_money, is_persons, project_name_in, uncovered, words
from .statement import Statement

# a clause mark or full stop in the gap between two figures ends a 分别 run
_GAP_STOPS = ",;:" + sentence_stops()
# where a figure's trailing label ends: a list, clause or sentence mark, or a quote
_LABEL_END_STOPS = list_stops() + _GAP_STOPS + '"'

_CARRY_WORDS = ("basis_word", "verb_basis", "link_word", "ratio_word", "year_word", "comparison_word", "list_marker",
                "item_year_phrase", "budget_name_phrase", "scope_word", "fund_source_word", "score_word")


def family(st: Statement) -> str | None:
    """money, persons, count or points — the families a breakdown or a continued statement stays
    within (a percentage breaks nothing down)."""
    fam = unit_family(st.uom)
    return fam if fam in ("money", "persons", "count", "points") else None


# ------------------------------------------------------------------ 分别为 lists

def _elements(s: Sentence, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of the list items between start and end, split at 、和及与 outside parentheses."""
    seps = words("list_separator")
    spans, depth, item_start = [], 0, start
    for i in range(start, end):
        ch = s.text[i]
        depth += ch == "("
        depth -= ch == ")"
        if depth == 0 and ch in seps:
            spans.append((item_start, i))
            item_start = i + 1
    spans.append((item_start, end))
    return [(a, b) for a, b in spans if s.text[a:b].strip()]


def _run_after(s: Sentence, pos: int) -> list[Statement]:
    """The figures listed after a 分别 marker: consecutive, separated only by 、和及与 and spaces."""
    run: list[Statement] = []
    joiners = words("list_separator")
    starts = [s.figures[st.mention_id].start for st in s.statements]
    for st in s.statements[bisect_left(starts, pos):]:
        fig = s.figures[st.mention_id]
        gap = s.text[(s.figures[run[-1].mention_id].end if run else pos):fig.start]
        if run and (gap.strip() and not all(ch in joiners or ch.isspace() for ch in gap)):
            break
        if not run and (len(gap) > 10 or any(ch in _GAP_STOPS for ch in gap)):
            break
        run.append(st)
    return run


def distribute_lists(statements: list[Statement], s: Sentence, ctx: ReadContext) -> None:
    previous: list[tuple[int, int]] = []
    first_run: list[Statement] = []
    for marker in s.window_hits(0, len(s.text), "list_marker"):
        if marker.value != "distribute" or any(m.value == "distribute" and m.start <= marker.start and m.end > marker.end
                                               for m in s.window_hits(marker.start, marker.end + 4, "list_marker")):
            continue
        run = _run_after(s, marker.end)
        if len(run) < 2:
            continue
        head_start = max(_after_last(s.clause_stops, marker.start), marker.start - LOOKBACK)
        elements = _elements(s, head_start, marker.start) or previous
        if len(elements) == len(run) or len(elements) <= 1:
            _assign(run, elements if len(elements) == len(run) else [], s, ctx)
        _years_over_run(run, s, marker.start)
        for st in run[1:]:
            st.mention_role, st.change_direction = run[0].mention_role, run[0].change_direction
            st.ratio_base_text = st.ratio_base_text or run[0].ratio_base_text
        if first_run and len(first_run) == len(run) and run[0].mention_role != "level":
            for level, st in zip(first_run, run):
                st.related_mention_id = level.mention_id
        if run[0].mention_role == "level":
            first_run = run
        previous = elements if len(elements) == len(run) else previous


def _assign(run: list[Statement], elements: list[tuple[int, int]], s: Sentence, ctx: ReadContext) -> None:
    """Each figure of the run takes its list item: a subject, or a part of the head subject."""
    if not elements:
        return
    head_hits = [h for h in s.window_hits(elements[-1][0], elements[-1][1], "item") if not _in_parentheses(s, h.start)]
    head = _nearest_longest(head_hits)
    for st, (a, b) in zip(run, elements):
        own = [h for h in s.window_hits(a, b, "item") if head is None or h != head]
        if own and (head is None or a < elements[-1][0]):
            st.item_text, st.subject_source = _nearest_longest(own).surface, "list"
            continue
        if head is not None:
            st.item_text, st.subject_source = head.surface, "list"
        cut = b if head is None or head.start < a or head.start >= b else head.start
        skip = s.window_hits(a, cut, ("scheme", "link_word", "list_marker"))
        part = "".join(ch for i, ch in enumerate(s.text[a:cut]) if not _in_parentheses(s, a + i) and ch != "(")
        part = uncovered(part, 0, len(part), []) if not skip else uncovered(s.text, a, cut, skip + _paren_hits(s, a, cut))
        if part and head is not None:
            st.part_text = part


def _in_parentheses(s: Sentence, pos: int) -> bool:
    return s.depth_at(pos) > 0


def _paren_hits(s: Sentence, start: int, end: int) -> list:
    """Pseudo-hits covering the parenthesised stretches of [start, end), so uncovered() skips them."""
    from .vocab_index import Hit

    spans, depth, open_at = [], 0, None
    for i in range(start, end):
        if s.text[i] == "(":
            depth += 1
            open_at = i if depth == 1 else open_at
        elif s.text[i] == ")" and depth:
            depth -= 1
            if depth == 0:
                spans.append(Hit(open_at, i + 1, "paren", "", ""))
    if depth and open_at is not None:
        spans.append(Hit(open_at, end, "paren", "", ""))
    return spans


def _years_over_run(run: list[Statement], s: Sentence, before: int) -> None:
    """2014年到2018年…分别为 a、b、c、d、e: one year a figure."""
    for m in regex("year_range_pattern").finditer(s.text, max(0, before - LOOKBACK), before):
        first, last = int(m.group(1)), int(m.group(2))
        if last - first + 1 == len(run):
            for k, st in enumerate(run):
                st.year_value, st.year_relation = first + k, "explicit"
            return


# ------------------------------------------------------------------ 其中 and parentheses

def nest_lists(statements: list[Statement], s: Sentence, ctx: ReadContext) -> None:
    bases = s.ratio_bases(statements)  # 完成预算29.6万元的92.8%;其中…: the list breaks down the clause's topic
    levels = [st for st in statements if st.mention_role == "level" and family(st) and st.mention_id not in bases]
    starts = [s.figures[st.mention_id].start for st in levels]
    markers = [h for h in s.window_hits(0, len(s.text), "list_marker")
               if h.value == "nest" or (h.value == "nest_if_figures" and _figures_follow(h, s, levels, starts))]
    previous = ctx.paragraph.last_level  # 其中 opening a sentence continues the paragraph's last figure

    def parent_before(q: int) -> Statement | None:
        i = bisect_left(starts, q)
        return levels[i - 1] if i else previous

    for i, marker in enumerate(markers):
        parent = parent_before(marker.start)
        if parent is None or _whole_named_apart(parent, marker, s):
            continue
        nxt = parent_before(markers[i + 1].start) if i + 1 < len(markers) else None
        nxt_start = s.figures[nxt.mention_id].start if nxt is not None and nxt.mention_id in s.figures else -1
        end = nxt_start if nxt_start > marker.start else len(s.text)
        if marker.value != "nest":  # 包括 lists run to the end of their ;-segment only
            semi = s.next_segment_stop(marker.start)
            end = min(end, semi if semi >= 0 else len(s.text))
        if s.depth_at(marker.start) > 0:  # a list inside a parenthesis ends with it
            close = s.next_close(marker.start)
            end = min(end, close if close >= 0 else len(s.text))
        members = levels[bisect_left(starts, marker.start + 1):bisect_left(starts, end)]
        for st in _same_item_run(members, parent, marker, s):
            p = s.figures[st.mention_id].start
            if st.parent_mention_id is None and st is not parent and family(st) == family(parent) \
                    and s.depth_at(p) <= s.depth_at(marker.start):
                st.parent_mention_id = parent.mention_id
                if parent not in statements:
                    st.work["parent"] = parent  # a figure of the sentence before
    _nest_parentheses(levels, s)


def _whole_named_apart(parent: Statement, marker, s: Sentence) -> bool:
    """…上年结转1517.6万元;支出包括:A、B — the list names its own whole (支出) in its ;-segment with no
    figure; the figure before the ; (or in the sentence before) is not that whole."""
    segment_start = s.segment_start(marker.start)
    fig = s.figures.get(parent.mention_id)
    if fig is not None and fig.start >= segment_start:
        return False
    return bool(s.window_hits(segment_start, marker.start, "item"))


def _same_item_run(members: list[Statement], parent: Statement, marker, s: Sentence) -> list[Statement]:
    """其中统筹基金收入X;基金支出Y: a list whose first part names the whole's own item (a part by
    sub-fund, source or area) ends at the first later ;-segment that names another item — that is the
    next topic, a sibling of the whole. A list of other items (其中在职职工X;退休职工Y) runs on."""
    if not members or parent.item_text is None or members[0].item_text != parent.item_text:
        return members
    segment_end = s.next_segment_stop(marker.start)
    run: list[Statement] = []
    for st in members:
        if 0 <= segment_end < s.figures[st.mention_id].start and st.item_text != parent.item_text:
            break
        run.append(st)
    return run


def _figures_follow(marker, s: Sentence, levels: list[Statement], starts: list[int]) -> bool:
    """Whether figures follow the marker in its ;-segment (主要包括基本工资、… lists no figures)."""
    semi = s.next_segment_stop(marker.start)
    end = semi if semi >= 0 else len(s.text)
    i = bisect_left(starts, marker.start + 1)
    return i < len(starts) and starts[i] < end


def _nest_parentheses(levels: list[Statement], s: Sentence) -> None:
    """72315人(在职50715人, …): a figure in parentheses right after another breaks it down."""
    by_end = {s.figures[o.mention_id].end: o for o in levels}
    for st in levels:
        p = s.figures[st.mention_id].start
        depth = s.depth_at(p)
        if st.parent_mention_id is not None or depth == 0:
            continue
        open_pos = p - 1  # the parenthesis the figure sits in: the last '(' where the depth rose to it
        while open_pos >= max(0, p - MAX_LABEL) and not (s.text[open_pos] == "(" and s.depth_at(open_pos) == depth - 1):
            open_pos -= 1
        if open_pos < 0 or s.text[open_pos] != "(":
            continue
        end = open_pos
        while end > 0 and s.text[end - 1] == " ":
            end -= 1
        owner = by_end.get(end)
        if owner is not None and owner is not st and family(owner) == family(st):
            st.parent_mention_id = owner.mention_id
            st.in_parentheses = True


def classes_in_lists(statements: list[Statement], s: Sentence, ctx: ReadContext) -> None:
    """社会保障和就业支出67.64万元;卫生健康支出1196.48万元;农林水支出0.8万元: in a list of specific items,
    a figure named by a generic head (支出) with words of its own before it (农林水) names a class we
    have no word for — it is not spending in general, so its item is the class's whole name."""
    generic = words("generic_item")
    levels = [st for st in statements if st.mention_role == "level" and st.mention_id in s.figures]
    for i, st in enumerate(levels):
        hit = st.work.get("subject_hit")
        if st.item_text not in generic or hit is None or hit.surface != st.item_text:
            continue
        fig = s.figures[st.mention_id]
        if len(uncovered(s.text, fig.label_start, hit.start, s.window_hits(fig.label_start, hit.start, None))) < 2:
            continue
        neighbours = levels[max(0, i - 1):i] + levels[i + 1:i + 2]
        if any(o.item_text and o.item_text not in generic and o.parent_mention_id == st.parent_mention_id
               and family(o) == family(st) for o in neighbours):
            st.item_text = s.text[fig.label_start:hit.end].strip()
            st.work["generic_subject"] = False


def inherit_from_parent(statements: list[Statement], s: Sentence, ctx: ReadContext) -> None:
    by_id = {st.mention_id: st for st in statements}
    for st in statements:
        parent = by_id.get(st.parent_mention_id, st.work.get("parent")) if st.parent_mention_id else None
        if parent is None:
            continue
        st.basis_text = st.basis_text or parent.basis_text
        if st.year_value is None and st.year_relation is None:
            st.year_value, st.year_relation = parent.year_value, parent.year_relation
        if parent.scheme_text and (st.scheme_text is None or st.scheme_text in ctx.generic_schemes) \
                and st.part_text is None and parent.scheme_text not in ctx.generic_schemes:
            st.scheme_text, st.scheme_source = parent.scheme_text, "parent"
        st.sub_unit_text = st.sub_unit_text or parent.sub_unit_text
        if is_money(st):
            st.fund_source = st.fund_source or parent.fund_source
            st.project_text = st.project_text or parent.project_text  # 磴口县5079.16万元: the county's share of it
        if parent.project_text and is_money(st) and st.fund_source is None and st.work.get("subject_hit") is not None:
            sources = [h for h in s.window_hits(st.work["subject_hit"].start, st.work["subject_hit"].end, "fund_source_word")
                       if h.start == st.work["subject_hit"].start and h.end == st.work["subject_hit"].end]
            if sources:  # 其中…其他资金859.6万元: a source's share of the project, not an item
                st.fund_source, st.part_text = sources[0].value, st.part_text or sources[0].surface
                st.item_text, st.subject_source, st.work["subject_hit"] = "", None, None
        if parent.item_text in words("project_total_word") and is_money(st) and not st.sub_unit_text:
            fig = s.figures[st.mention_id]
            found = project_name_in(s, fig.label_start, fig.start, "project_child_pattern")
            if found is not None:  # 项目支出…,包括:…专项资金3727万元 — one project of the total
                st.project_text, st.basis_text = found[0], parent.basis_text  # 预算 inside a name is no basis
                st.item_text, st.subject_source, st.item_inherited = parent.item_text, "parent", True
                continue
        if not st.item_text or (st.work.get("generic_subject") and not parent.work.get("generic_subject")):
            if parent.item_text:
                st.item_text, st.subject_source, st.item_inherited = parent.item_text, "parent", True


def kinds_of_counts(statements: list[Statement], s: Sentence, ctx: ReadContext) -> None:
    """局下辖17个大队、4个中队、1个服务中心: counts of one subject, each of another kind of thing named
    after it, are parts (one per kind); a single count names the whole."""
    runs: dict[str, list[tuple[Statement, str]]] = {}
    for st in statements:
        fig = s.figures.get(st.mention_id)
        if fig is None or family(st) != "count" or not st.item_text or st.part_text:
            continue
        noun = _noun_after(s, fig)
        if noun:
            runs.setdefault(st.item_text, []).append((st, noun))
    for members in runs.values():
        if len({noun for _, noun in members}) >= 2:
            for st, noun in members:
                st.part_text = noun
    for st in statements:
        hit = st.work.get("subject_hit")
        if family(st) == "count" and st.item_text and not st.part_text and hit is not None:
            kind = _qualifier_before(s, hit)
            if kind:
                st.part_text = kind + hit.surface  # 临床科室13个: one kind of the unit's divisions


def _qualifier_before(s: Sentence, hit) -> str:
    """The Chinese characters written right before an alias in the same word (临床 in 临床科室), none
    when a vocabulary word (局机关, 其中) stands there."""
    start = hit.start
    while start > 0 and is_han(s.text[start - 1]):
        start -= 1
    words_before = s.window_hits(start, hit.start, None)
    text = uncovered(s.text, start, hit.start, [h for h in words_before if h.kind != "item" or h.end <= hit.start])
    return text if len(text) >= 2 and text == s.text[hit.start - len(text):hit.start] else ""


def _noun_after(s: Sentence, fig) -> str:
    """The words after a count's classifier, up to the next list stop (大队 in 17个大队、)."""
    end = min([i for i in (s.text.find(c, fig.end, fig.clause_end) for c in _LABEL_END_STOPS) if i >= 0] + [fig.clause_end])
    rest = s.window_hits(fig.end, end, ("link_word", "list_marker"))
    return uncovered(s.text, fig.end, end, rest)


def subordinates_topic(statements: list[Statement], s: Sentence, ctx: ReadContext) -> None:
    """梧州市民政局下属共有6个事业单位,事业运行经费总预算安排…元: once a sentence counts the unit's
    subordinate units, its money figures after that count are theirs (a sub-unit), not the unit's."""
    for st in statements:
        fig = s.figures.get(st.mention_id)
        verbs = s.window_hits(fig.label_start, fig.start, "subordinate_verb") if fig is not None else []
        if not verbs or family(st) != "count":
            continue
        noun = _noun_after(s, fig)
        if not noun:
            continue
        name = verbs[-1].surface + st.value_text + noun
        for other in statements:
            if is_money(other) and s.figures[other.mention_id].start > fig.start and not other.sub_unit_text:
                other.sub_unit_text = name
        return


def whole_of_schemes(statements: list[Statement], s: Sentence, ctx: ReadContext) -> None:
    """总收入1.53亿元,其中机关事保…,企业职保…: a figure broken down by two or more schemes is all schemes'
    total, whatever scheme the sentence named before it; so is a 共计/合计 after figures of several schemes."""
    by_id = {st.mention_id: st for st in statements}
    children: dict[int, set[str]] = {}
    for st in statements:
        if st.parent_mention_id and st.scheme_source == "label":
            children.setdefault(st.parent_mention_id, set()).add(ctx.scheme_code(st.scheme_text))
    for pid, codes in children.items():
        parent = by_id.get(pid)
        if parent is not None and len(codes) >= 2 and parent.scheme_source != "label":
            parent.scheme_text, parent.scheme_source = None, "children"
    for st in statements:
        fig = s.figures.get(st.mention_id)
        if fig is None or st.scheme_source not in ("segment", "sentence") \
                or not s.window_hits(fig.label_start, fig.start, "total_word"):
            continue
        named = {ctx.scheme_code(h.surface) for h in s.before(fig.label_start, "scheme")}
        if len(named) >= 2:  # …城乡居民养老保险新增参保43863人,全年共计新增参保群众55423人
            st.scheme_text, st.scheme_source = None, "children"


def qualify_by_funding(statements: list[Statement], s: Sentence, ctx: ReadContext) -> None:
    """财政拨款支出总计374.52万元 is the spending paid from appropriations: a part, not the unit's total
    (三公 spending is from appropriations by definition, inherent_funding)."""
    inherent: dict[str, set[str]] = {}
    for word, domain in vocab.pairs("inherent_funding"):
        inherent.setdefault(word, set()).add(domain)
    for st in statements:
        funding = st.work.get("funding_words") or []
        hit = st.work.get("subject_hit")
        domains = hit.domains if hit is not None else set()
        kept = [w for w in funding if not (inherent.get(w, set()) & domains)]
        if kept and st.part_text is None:
            st.part_text = kept[-1]


def carry_subject(statements: list[Statement], s: Sentence, ctx: ReadContext) -> None:
    """完成全年预算84.82万元 / 占年初部门预算318.21万元: a figure whose label holds only basis, ratio, change or
    link words takes the subject (and parts) of the statement it continues; with none before it, the
    heading's. A generic word (支出数) continuing a statement whose subject contains it (项目支出) is that subject."""
    previous: Statement | None = None
    for st in statements:
        if st.mention_role not in ("level", "score", "weight"):  # 决策分值20分,得分18分: points continue too
            continue
        fig = s.figures[st.mention_id]
        hit = previous.work.get("subject_hit") if previous is not None else None
        if not st.item_text:
            if _only_frame(s, fig.label_start, fig.start):
                if hit is not None and fits(hit, st) and family(st) in hit.families | {None}:
                    _carry(st, previous, hit.surface, "carried")
                elif previous is not None and previous.project_text and family(st) == family(previous):
                    _carry(st, previous, "", "carried")  # 自治区下达98.6万元: another share of the same project
                elif ctx.section.heading_subject and not st.in_parentheses:
                    st.item_text, st.subject_source, st.item_inherited = ctx.section.heading_subject, "heading", True
        elif st.work.get("generic_subject") and hit is not None and hit.surface != st.item_text \
                and st.item_text in hit.surface and fits(hit, st) and _only_frame(s, fig.label_start, fig.start, True):
            _carry(st, previous, hit.surface, "carried")  # 年初预算数X,支出数Y: 支出 continues 项目支出
        if (st.work.get("subject_hit") is not None or st.project_text) and not st.in_parentheses:
            previous = st


def _only_frame(s: Sentence, start: int, end: int, generic_too: bool = False) -> bool:
    """Whether the label holds nothing but frame words (basis, link, year …) — and generic words, if asked."""
    hits = s.window_hits(start, end, _CARRY_WORDS + (("generic_item",) if generic_too else ()))
    years = [m.span() for m in regex("year_pattern").finditer(s.text, start, end)]
    rest = uncovered(s.text, start, end, hits)
    for a, b in years:
        rest = rest.replace(s.text[a:b], "", 1) if s.text[a:b] in rest else rest.replace(s.text[a:b][-1:], "", 1)
    return not rest


def _carry(st: Statement, previous: Statement, surface: str, source: str) -> None:
    st.item_text, st.subject_source, st.item_inherited = surface, source, True
    st.basis_text = st.basis_text or previous.basis_text  # 收到中央下达…1372.7万元,…,地方匹配859.6万元
    st.work["generic_subject"] = False
    st.scheme_text = st.scheme_text or previous.scheme_text
    st.scheme_source = st.scheme_source or previous.scheme_source
    for attr in ("part_text", "sub_unit_text", "project_text", "fund_source", "status_text"):
        if getattr(st, attr) is None:
            setattr(st, attr, getattr(previous, attr))


def relate_to_level(statements: list[Statement], s: Sentence, ctx: ReadContext) -> None:
    """A change, ratio or rate is about the level figure before it in the sentence — not about a base
    a ratio compares with (决算为62.07万元,完成预算84.82万元的73.2%,比上年增加38.97万元: both are about 62.07)."""
    bases = s.ratio_bases(statements)
    last_level: Statement | None = None
    for st in statements:
        if st.mention_role == "level" and st.mention_id not in bases:
            last_level = st
        elif st.mention_role in ("change", "ratio", "rate") and st.related_mention_id is None and last_level is not None:
            st.related_mention_id = last_level.mention_id


def hint_context(statements: list[Statement], s: Sentence, ctx: ReadContext) -> None:
    deepest = ctx.section.path.split(" > ")[-1] if ctx.section.path else ""
    for st in statements:
        fig = s.figures.get(st.mention_id)
        segment = s.text[s.segment_start(fig.start):fig.clause_end] if fig is not None else st.clause
        st.context_hint = context_hint(st, segment[-LOOKBACK:], deepest)
        if st.context_hint is None and ctx.document.three_public and is_money(st):
            st.context_hint = "three_public"  # a report about 三公 spending alone (its title says so)


def context_hint(st: Statement, segment: str, deepest: str) -> str | None:
    """Which domains the figure's words point to: three_public, fund, enrollment, staffing or none.
    ``segment`` is the figure's ;-segment up to its clause's end."""
    here = f"{st.label} {st.parent_row_label or ''}"
    if st.source_kind == "table" and st.table_kind == "fund" and is_money(st):
        return "fund"  # a fund table's money is the fund's
    three = words("three_public_cue")
    in_three_public_table = st.source_kind == "table" and (st.table_kind == "three_public" or _any(three, deepest))
    if _any(three, here) or in_three_public_table or _any(three, deepest):
        return "three_public"
    budget_names = words("budget_name_phrase")
    strip = lambda t: _strip_words(t, budget_names)  # noqa: E731  政府性基金预算 is no fund
    if is_money(st) and (_any(words("fund_cue"), strip(here)) or _any(words("fund_cue"), strip(deepest))
                         or _any(words("fund_cue"), strip(segment))
                         or st.scheme_source in ("label", "segment", "children")):
        return "fund"
    hit = st.work.get("subject_hit")
    own = hit.domains if hit is not None and st.item_text == hit.surface else set()
    if (is_persons(st) or family(st) == "count") and own == {"staffing"}:
        return "staffing"  # 现有职工23人: a word of the staffing domain alone
    if is_persons(st):
        if st.scheme_source in ("label", "segment", "table", "children") or _any(words("enrollment_cue"), here):
            return "enrollment"
        if st.uom == family_unit("persons") and st.value < 5000 and not st.scope_text \
                and _any(words("staffing_cue"), here + deepest):
            return "staffing"
    return None


def _any(ws, text: str) -> bool:
    return any(w in text for w in ws)


def _strip_words(text: str, ws) -> str:
    for w in ws:
        text = text.replace(w, "")
    return text
