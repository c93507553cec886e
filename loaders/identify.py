"""Who wrote the report and for which year — from the content, never the file name.

The unit (单位名称) is chosen among candidate names, each scored by where it stands:
- a report title (NAME2023年度…说明) and the first lines weigh most, then field labels (填报单位：NAME),
  a signature above a date (落款), every other mention once, a publisher field (发布机构) least — a portal
  often publishes for its units; self-references (我局, 本中心) count for the name they stand for;
- a name is a place + body + an official ending (湖南省…中心, 刘堡镇卫生院), or a national body
  (国家医疗保障局, 人力资源和社会保障部) where a report names its author (first line, title, field,
  NAME发布《…》); a short name of a national body becomes its full name;
- never a unit: the issuer of a cited document (《…关于…》, <…的通知>), a parent department (系NAME下属),
  portal furniture (网站, 当前位置, 主办单位 …);
- a name glued to a year or a label is cut free; a fragment without its place, or cut short, in a
  title or a field counts for the one full name of the document it belongs to.
No name is better than a wrong one: a document with no candidate gets none (dbt gives it an unknown unit).
Every word and pattern is data (seeds/vocab_identity.csv, read through loaders.vocabulary); the
regular expressions are assembled here from those lists.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from . import vocabulary as vocab
from .normalize import HAN

CJK = f"[{HAN}]"

# Weights of the places a name is seen (mechanism, not vocabulary).
TITLE_WEIGHT = 8          # the title pattern: NAME + year + report word
FIELD_WEIGHT = 5          # 填报单位：NAME
SIGNATURE_WEIGHT = 5      # NAME alone on the line above a date
HEAD_ALONE_WEIGHT = 5     # a line that is only the name, among the first three
HEAD_WEIGHT = 3           # a name among the first lines
PUBLISHER_WEIGHT = 1      # 发布机构：NAME
MENTION_WEIGHT = 1        # any other mention
SELF_REFERENCE_CAP = 3    # 我局 … adds at most this much to one name
HEAD_LINES = 8
HEADLINE_LENGTH = 60
TITLE_LINES = 40


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


# --- the vocabulary, assembled into patterns -----------------------------------------------------

def _alt(list_name: str) -> str:
    """The list as one regex alternation (literal words escaped, longest first)."""
    return vocab.pattern(list_name).pattern


def _chars(list_name: str) -> str:
    """A character class of the list's one-character words."""
    return "[" + "".join(re.escape(w) for w in vocab.words(list_name)) + "]"


@dataclass(frozen=True)
class Patterns:
    region: re.Pattern[str]        # the place prefix of a name (may match empty)
    name: re.Pattern[str]          # place + body + official ending (+ 本级)
    national: re.Pattern[str]      # national bodies and their short names
    lead: re.Pattern[str]          # words before a name, repeated, at its start
    protected: re.Pattern[str]     # places that begin like a lead word (本溪市)
    boundary: re.Pattern[str]      # connectives inside a would-be place name
    inner_region: re.Pattern[str]  # a place that starts right after a label's last character
    parent: re.Pattern[str]        # copula + NAME + parent marker
    other_body: re.Pattern[str]    # an other body's marker, right after a name (交办, 管辖 …)
    fields: tuple[tuple[re.Pattern[str], str], ...]  # (label followed by its value, role)
    furniture: re.Pattern[str]
    publish: re.Pattern[str]       # NATIONAL … 发布
    heading_number: re.Pattern[str]
    title_name: re.Pattern[str]
    title_line: re.Pattern[str]
    title_year: re.Pattern[str]
    title_year_hint: re.Pattern[str]
    any_year: re.Pattern[str]
    date_alone: re.Pattern[str]    # a line that is only a date
    date_after: re.Pattern[str]    # a date that ends a line
    noise: re.Pattern[str]
    region_end: re.Pattern[str]    # any single-character place ending (省 市 县 区 …)
    authority: re.Pattern[str]     # a government's ending (人民政府): counted only where named as author
    citations: dict[str, str] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)
    self_references: tuple[tuple[str, str], ...] = ()
    tails: tuple[str, ...] = ()
    not_stems: frozenset[str] = frozenset()
    not_first: frozenset[str] = frozenset()


# the shortest stem before a place ending, by level: 南县 has one character; a city, a township two
# (城市, 城乡 are words, not places)
STEM_MIN = {"prefecture_suffix": 2, "county_suffix": 1, "township_suffix": 2}


def _level(list_name: str) -> str:
    """One optional place level: a stem of its own length before each ending (自治州 stems run long)."""
    by_length: dict[int, list[str]] = {}
    for ending, longest in vocab.pairs(list_name):
        by_length.setdefault(int(longest), []).append(ending)
    parts = []
    for longest, endings in sorted(by_length.items(), reverse=True):
        alternation = "|".join(re.escape(e) for e in sorted(endings, key=len, reverse=True))
        parts.append(rf"{CJK}{{{STEM_MIN[list_name]},{longest}}}?(?:{alternation})")
    return "(?:" + "|".join(parts) + ")?"


def _region_regex() -> str:
    return (rf"(?:{_alt('province_name')})?" + _level("prefecture_suffix") + _level("county_suffix")
            + _level("township_suffix"))


def _region_end_class() -> str:
    """Every one-character place ending (省 市 县 区 镇 …) as a character class."""
    ends = {w for lst in ("prefecture_suffix", "county_suffix", "township_suffix") for w in vocab.words(lst) if len(w) == 1}
    ends |= {w[-1] for w in vocab.words("province_name")}
    return "[" + "".join(sorted(ends)) + "]"


def _field_patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    out = []
    for role, labels in vocab.by_value("unit_field").items():
        alternation = "|".join(re.escape(w) for w in sorted(labels, key=len, reverse=True))
        # 填报单位(盖章):NAME, 发布机构 | NAME, [ 发布机构 ] NAME: a short note in brackets, then separators
        out.append((re.compile(rf"(?:{alternation})(?:\([^)]{{1,6}}\))?\s*[:|\t\]]*\s*([^\s:|\t]{{4,40}})"), role))
    return tuple(out)


@lru_cache(maxsize=1)
def patterns() -> Patterns:
    region = _region_regex()
    org = _alt("org_suffix")
    tails = vocab.words("name_tail")
    national_words = vocab.words("national_body") + vocab.words("unit_alias")
    national = "|".join(re.escape(w) for w in sorted(set(national_words), key=len, reverse=True))
    leads = [f"(?:{w})" for w in vocab.words("name_lead")] + [re.escape(w) for w in vocab.words("unit_field")]
    parent_name = rf"{CJK}{{2,20}}?(?:{_alt('parent_suffix')})"
    return Patterns(
        region=re.compile(region),
        # a name has a place: the lookahead (a place ending within reach) spares the full pattern at most positions
        name=re.compile(rf"(?={CJK}{{0,12}}?{_region_end_class()})"
                        rf"({region}[{HAN}()]{{2,22}}?(?:{org})(?:{_alt('name_tail')})?)"),
        # not inside a regional name (海南省交通运输部门) nor another word (交通运输部门)
        national=re.compile(rf"(?<!{_region_end_class()})(?:{national})(?!{_chars('national_not_before')})"),
        lead=re.compile(rf"^(?:{'|'.join(leads)})+"),
        protected=re.compile(rf"(?:{_alt('place_with_lead_char')})"),
        boundary=re.compile(_chars("name_boundary")),
        inner_region=re.compile(rf"(?<={_chars('label_end_char')})(?={CJK}{{1,5}}(?:{_alt('county_suffix')}))"),
        parent=re.compile(rf"(?:{_alt('copula')})(?P<name>{parent_name})(?:{_alt('parent_marker')})"),
        other_body=vocab.pattern("other_body_marker"),
        fields=_field_patterns(),
        furniture=vocab.pattern("portal_furniture"),
        # 国家医保局今天(7月25日)发布《…统计公报》 / 人社部对外发布…: a few words between body and verb,
        # and what is published is statistics (a rule it publishes is cited, not authored)
        publish=re.compile(rf"(?P<name>{national})[{HAN}()\d]{{0,12}}?(?:{_alt('publish_verb')})"
                           rf"[^\n]{{0,30}}?(?:{_alt('published_statistics')})"),
        heading_number=vocab.pattern("heading_number"),
        title_name=vocab.pattern("title_name_pattern"),
        title_line=vocab.pattern("title_line_ending"),
        title_year=vocab.pattern("title_year_pattern"),
        title_year_hint=vocab.pattern("title_year_hint"),
        any_year=vocab.pattern("any_year_pattern"),
        date_alone=re.compile(rf"^(?:{_alt('signature_date')})$"),
        date_after=re.compile(rf"(?:{_alt('signature_date')})$"),
        noise=vocab.pattern("name_noise"),
        region_end=re.compile(_region_end_class()),
        authority=re.compile(rf"(?:{_alt('authority_suffix')})$"),
        citations=vocab.mapping("citation_bracket"),
        aliases=vocab.mapping("unit_alias"),
        self_references=vocab.pairs("self_reference"),
        tails=tails,
        not_stems=frozenset(vocab.words("place_stem_not")),
        not_first=frozenset(vocab.words("place_stem_not_first")),
    )


# --- one name: cut it free, check it is a name ----------------------------------------------------

def region_of(name: str) -> str:
    """The place a name starts with ('' when none): 重庆市梁平区 in 重庆市梁平区就业和人才中心."""
    p = patterns()
    m = p.region.match(name)
    region = m.group(0) if m else ""
    if len(region) == 2 and region[0] in p.not_stems:
        return ""  # 全县, 该区: a determiner, not a place
    if region[:1] in p.not_first:
        return ""  # 区委和市…, 区城市…: a level word begins a phrase, not a place
    return region


def is_national(name: str) -> bool:
    return bool(patterns().national.fullmatch(name))


def canonical(name: str) -> str:
    """A national body's full name for its short name (国家医保局 → 国家医疗保障局)."""
    return patterns().aliases.get(name, name)


def _cut_at_boundary(name: str) -> str:
    """'中心系安化县…局' → '安化县…局', '市政府及市人力资源…局' → '市人力资源…局': a connective before or
    inside the would-be place ends what came before it; the name starts at the first cut that leaves a
    clean place (or after the last connective, when none does)."""
    p = patterns()
    region = region_of(name)
    if region and not p.boundary.search(region):
        return name
    rest = name
    for m in p.boundary.finditer(name[:len(region)] if region else name):
        rest = name[m.end():]
        if region_of(rest) and not p.boundary.search(region_of(rest)):
            return rest
    return rest


def _cut_after_label(name: str) -> str:
    """'翟东小区拆迁工作经费长安区医疗保障局' → '长安区医疗保障局': a place right after a label's last character."""
    p = patterns()
    cut = name
    for m in p.inner_region.finditer(name):
        rest = name[m.start():]
        if p.name.fullmatch(rest) and len(rest) >= 6:
            cut = rest  # the last such start: "标题重庆市…" → "重庆市…"
    return cut


def clean_name(name: str) -> str:
    """The name without the words glued before it (a year, a preposition, a label, a connective);
    each cut may uncover another (…项目由县医疗保障局 → 由县医疗保障局 → 县医疗保障局), so until none changes.
    A place that begins like a lead word (本溪市, 于都县) is never cut."""
    p = patterns()
    name = name.strip()
    while not p.protected.match(name):
        cut = p.lead.sub("", name)
        if not p.protected.match(cut):
            cut = _cut_at_boundary(cut)
        if not p.protected.match(cut):
            cut = _cut_after_label(p.lead.sub("", cut))
        if cut == name:
            break
        name = cut
    return name


def is_unit_name(name: str) -> bool:
    """A place + body + ending of five characters or more, or a national body; never portal furniture."""
    if patterns().furniture.search(name):
        return False
    return is_national(name) or (len(name) >= 5 and region_of(name) != "")


# --- the document: text, spans that never hold the author ------------------------------------------

@dataclass
class Document:
    lines: list[str]                      # non-empty lines, stripped, noise removed
    text: str = ""                        # the lines joined by newlines
    offsets: list[int] = field(default_factory=list)  # where each line starts in text
    names: list[tuple[int, int, str]] = field(default_factory=list)  # every name found: start, end, name
    excluded: list[tuple[int, int]] = field(default_factory=list)  # citations, parents, furniture …

    @classmethod
    def of(cls, raw_lines: list[str]) -> "Document":
        noise = patterns().noise
        lines = [noise.sub("", line.strip().lstrip("#").strip()) for line in raw_lines if line.strip()]
        doc = cls(lines, "\n".join(lines))
        doc.offsets = [start for start, _ in _lines_with_offsets(doc.text)]
        doc.names = list(_name_matches(doc.text))
        doc.excluded = (citation_spans(doc.text) + parent_spans(doc.text) + furniture_spans(doc.text)
                        + other_body_spans(doc.text, doc.names))
        return doc

    def is_excluded(self, start: int, end: int) -> bool:
        return any(s < end and start < e for s, e in self.excluded)

    def mentions(self) -> Counter[str]:
        """Every name of the text outside the excluded spans, with its count."""
        return Counter(name for start, end, name in self.names if not self.is_excluded(start, end))


def citation_spans(text: str) -> list[tuple[int, int]]:
    """Spans inside 《…》, 〈…〉, <…> (nested or not, closed or running to the line's end): cited documents —
    unless the brackets hold a report's title (现将《NAME2023年度…报告》公开如下: this report's own)."""
    brackets = patterns().citations
    spans: list[tuple[int, int]] = []
    for line_start, line in _lines_with_offsets(text):
        depth, start = 0, 0
        for i, ch in enumerate(line):
            if ch in brackets:
                if depth == 0:
                    start = i
                depth += 1
            elif depth and ch in brackets.values():
                depth -= 1
                if depth == 0 and not is_report_title(line[start + 1:i]):
                    spans.append((line_start + start, line_start + i + 1))
        if depth:
            spans.append((line_start + start, line_start + len(line)))
    return spans


def is_report_title(text: str) -> bool:
    """NAME2023年度…自评报告 (a report's title), not 《…关于开展2020年度…自评工作的通知》 (a cited notice)."""
    return bool(patterns().title_name.match(text) and patterns().title_line.search(text))


def parent_spans(text: str) -> list[tuple[int, int]]:
    """系NAME下属 / 为NAME管理的: the parent department's name is no candidate."""
    return [m.span("name") for m in patterns().parent.finditer(text)]


def other_body_spans(text: str, names: list[tuple[int, int, str]]) -> list[tuple[int, int]]:
    """NAME交办的其他工作, 承担NAME管辖的案件, 按照NAME的要求: the body the author works for (the 职能职责
    boilerplate of every 决算/预算说明) is not the author."""
    marker = patterns().other_body
    return [(start, end) for start, end, _ in names if marker.match(text, end)]


def furniture_spans(text: str, before: int = 12, after: int = 6, short_line: int = 80) -> list[tuple[int, int]]:
    """A short line with a furniture word (网站, 当前位置, 主办单位 …) is page chrome as a whole (a
    breadcrumb, a footer); on a long line (a paragraph glued to 浏览次数) only the words around it."""
    spans = []
    for m in patterns().furniture.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        line_end = text.find("\n", m.end())
        line_end = len(text) if line_end < 0 else line_end
        if line_end - line_start <= short_line:
            spans.append((line_start, line_end))
        else:
            spans.append((max(line_start, m.start() - before), min(line_end, m.end() + after)))
    return spans


def _lines_with_offsets(text: str):
    """(where the line starts, the line) for each line of the text."""
    offset = 0
    for line in text.split("\n"):
        yield offset, line
        offset += len(line) + 1


# --- candidates ---------------------------------------------------------------------------------

def names_in(text: str, doc: Document | None = None, offset: int = 0) -> Counter[str]:
    """Place-prefixed unit names in a piece of text (at ``offset`` in the document), outside the
    document's excluded spans; national bodies are found apart (nationals_in)."""
    found: Counter[str] = Counter()
    for start, end, name in _name_matches(text):
        if doc is None or not doc.is_excluded(offset + start, offset + end):
            found[name] += 1
    return found


def _name_matches(text: str):
    """(start, end, clean name) of each name in the text."""
    for m in patterns().name.finditer(text):
        name = clean_name(m.group(1))
        if is_unit_name(name) and not is_national(name):
            yield m.start(), m.end(), name


def nationals_in(text: str, doc: Document | None = None, offset: int = 0) -> Counter[str]:
    """National bodies in a piece of text, by their full names."""
    found: Counter[str] = Counter()
    for m in patterns().national.finditer(text):
        if doc is None or not doc.is_excluded(offset + m.start(), offset + m.end()):
            found[canonical(m.group(0))] += 1
    return found


@dataclass
class Scores:
    """Each candidate's score and the strongest place it was seen (title > field > body)."""
    score: Counter[str] = field(default_factory=Counter)
    source: dict[str, str] = field(default_factory=dict)
    titled: set[str] = field(default_factory=set)  # names a title line prints (NAME2023年度…)

    RANK = {"title": 3, "field": 2, "body": 1}

    def add(self, name: str, weight: int, source: str) -> None:
        self.score[name] += weight
        if self.RANK[source] > self.RANK.get(self.source.get(name, ""), 0):
            self.source[name] = source

    def move(self, old: str, new: str) -> None:
        """Fold one candidate into another (its score, and its source where stronger)."""
        source = self.source.pop(old, "body")
        self.add(new, self.score.pop(old, 0), source)

    def strong(self) -> list[str]:
        return [n for n, s in self.source.items() if s in ("title", "field")]


def is_authority(name: str) -> bool:
    """梅岭县人民政府: mentioned as the authority in every report, the author only where named so."""
    return bool(patterns().authority.search(name))


def score_mentions(doc: Document, scores: Scores) -> None:
    """Every mention of a place-prefixed name in the text, once (national bodies and governments only
    where a report names its author)."""
    for name, n in doc.mentions().items():
        if not is_authority(name):
            scores.add(name, MENTION_WEIGHT * n, "body")


def score_head(doc: Document, scores: Scores) -> None:
    """The first lines are the title page: a line that is only a name (among the first three) weighs most."""
    for pos, line in enumerate(doc.lines[:HEAD_LINES]):
        for name in names_in(line, doc, doc.offsets[pos]):
            if is_authority(name):
                continue  # a portal's header (梅岭县人民政府) is not a title
            scores.add(name, HEAD_ALONE_WEIGHT if line == name and pos < 3 else HEAD_WEIGHT, "title")
    # a short first line (a headline) that starts with a national body names the page's author
    # (国家医疗保障局 统计数据 …, 国家医保局：截至…); 根据财政部… in a first line only cites it
    first = next((i for i, line in enumerate(doc.lines) if not patterns().furniture.search(line)), None)
    if first is not None and len(doc.lines[first]) <= HEADLINE_LENGTH:
        m = patterns().national.match(doc.lines[first])
        if m:
            scores.add(canonical(m.group(0)), HEAD_WEIGHT, "title")


def score_titles(doc: Document, scores: Scores) -> None:
    """NAME + year + report word in a title line (a heading's number stripped), or in brackets in the
    first lines (现将《NAME2023年度…报告》公开如下): the report names itself."""
    p = patterns()
    for line in doc.lines[:TITLE_LINES]:
        for title in [p.heading_number.sub("", line)] + [t for t in _bracketed(line) if is_report_title(t)]:
            m = p.title_name.match(title) if len(title) <= 60 else None
            if m:
                scores.titled.update(_credit(m.group("name"), TITLE_WEIGHT, "title", scores, doc))


def _bracketed(line: str) -> list[str]:
    """The texts inside 《…》 (and the other citation brackets) of a line."""
    out = []
    for opening, closing in patterns().citations.items():
        out += re.findall(rf"{re.escape(opening)}([^{re.escape(closing)}]+){re.escape(closing)}", line)
    return out


def score_fields(doc: Document, scores: Scores) -> None:
    """填报单位：NAME (or the next cell) weighs much; 发布机构：NAME little (the page's publisher)."""
    joined_cells = re.sub(r"\n\t?", " ", doc.text)
    for pattern, role in patterns().fields:
        for m in pattern.finditer(joined_cells):
            weight = FIELD_WEIGHT if role == "author" else PUBLISHER_WEIGHT
            _credit(m.group(1), weight, "field", scores, doc)


def score_signature(doc: Document, scores: Scores) -> None:
    """落款: a line that is only a name, above a line that is only a date or followed by the date itself."""
    p = patterns()
    for line, following in zip(doc.lines, doc.lines[1:] + [""]):
        name = line if p.date_alone.match(following) else p.date_after.sub("", line) if p.date_after.search(line) else ""
        if name and clean_name(name) == name and is_unit_name(name) and p.name.fullmatch(name):
            scores.add(canonical(name), SIGNATURE_WEIGHT, "title")


def score_publishers(doc: Document, scores: Scores) -> None:
    """NATIONAL…发布《…》 / 国家医保局日前发布的统计数据: the national body whose figures these are."""
    for m in patterns().publish.finditer(doc.text):
        if not doc.is_excluded(*m.span("name")):
            scores.add(canonical(m.group("name")), FIELD_WEIGHT, "body")


def credit_longer_names(doc: Document, scores: Scores) -> None:
    """Running text reads 湖南省…厅信息中心 as 湖南省…厅 (the first ending ends the match): where a
    candidate is the start of a longer one (a subordinate unit written in full), the longer one's
    occurrences are its own mentions, not the shorter's."""
    mentions = doc.mentions()
    for long in list(scores.score):
        n = doc.text.count(long)
        for short, seen in mentions.items():
            if n and short != long and long.startswith(short) and short in scores.score:
                moved = min(n, seen) * MENTION_WEIGHT
                scores.score[short] -= moved
                scores.add(long, moved, "body")
                if scores.score[short] <= 0:
                    scores.score.pop(short)
                    scores.source.pop(short, None)


def score_self_references(doc: Document, scores: Scores) -> None:
    """我局/本中心 count for the names ending 局/中心; 本单位 for the names the title or a field gives."""
    counts = Counter()
    for word, ending in patterns().self_references:
        n = doc.text.count(word)
        if n:
            counts[ending] += n
    strong = set(scores.strong())
    for name in list(scores.score):
        votes = sum(n for ending, n in counts.items()
                    if (ending == "*" and name in strong) or (ending != "*" and name.endswith(ending)))
        if votes:
            scores.add(name, min(votes, SELF_REFERENCE_CAP), "body")


def _credit(text: str, weight: int, source: str, scores: Scores, doc: Document) -> list[str]:
    """Credit the name a title or field value holds: the whole value where it is one name (a subordinate
    unit written in full: 湖南省…厅信息中心), else the names inside it; a fragment (no place, or cut short)
    credits the one full name of the document it belongs to. Returns the names credited."""
    if any(bracket in text for bracket in patterns().citations):
        return []  # 根据《…》: the title of a cited document, not this one's
    whole = clean_name(text)
    if patterns().name.fullmatch(whole) and is_unit_name(whole):
        names = [whole]
    else:
        names = list(names_in(text)) + list(nationals_in(text))
    if not names:
        full = _completion(whole, list(scores.score) or list(doc.mentions()))
        names = [full] if full else []
    for name in names:
        scores.add(name, weight, source)
    return names


def _completion(fragment: str, candidates: list[str]) -> str | None:
    """The one candidate a fragment is the end of (荣湾湖建设开发服务中心) or the start of (…建设开发服)."""
    if len(fragment) < 4:
        return None
    matches = {c for c in candidates if c != fragment and (c.endswith(fragment) or c.startswith(fragment))}
    return matches.pop() if len(matches) == 1 else None


# --- choosing -----------------------------------------------------------------------------------

def merge_written_in_full(scores: Scores) -> None:
    """A longer name that contains a shorter one and ends the same way is the same unit written in full."""
    for short in list(scores.score):
        for long in list(scores.score):
            if short != long and short in long and long.endswith(short[-2:]):
                scores.score[long] += scores.score[short]


def merge_tails(scores: Scores) -> None:
    """NAME and NAME本级 are one candidate: with 本级 only where the title prints it so (a body's
    '1.NAME本级' lists the parts of a department's accounts; the unit is NAME)."""
    for tail in patterns().tails:
        for long in [n for n in scores.score if n.endswith(tail)]:
            base = long[: -len(tail)]
            if long not in scores.titled:
                scores.move(long, base)
            elif base in scores.score:
                scores.move(base, long)


def choose(scores: Scores, text: str) -> str | None:
    """The best-scored name; ties go to the one seen first, then to the longer."""
    if not scores.score:
        return None
    first_seen = {name: text.find(name) for name in scores.score}
    return max(scores.score, key=lambda k: (scores.score[k], -first_seen[k] if first_seen[k] >= 0 else -10**9, len(k)))


def unit_scores(doc: Document) -> Scores:
    scores = Scores()
    for scoring in (score_mentions, score_fields, score_titles, score_head, score_signature, score_publishers):
        scoring(doc, scores)
    credit_longer_names(doc, scores)
    score_self_references(doc, scores)  # after the others: it counts for names already found
    merge_tails(scores)
    merge_written_in_full(scores)
    return scores


# --- year, title, parent, kind ------------------------------------------------------------------

def report_year(doc: Document) -> tuple[int | None, str | None]:
    p = patterns()
    for line in doc.lines[:60]:
        m = p.title_year.search(line) if len(line) <= 80 and p.title_year_hint.search(line) else None
        if m:
            return int(m.group("year")), "title"
    dates = [m.span() for pat in vocab.compiled("full_date_pattern") for m in pat.finditer(doc.text)]
    found = list(p.any_year.finditer(doc.text))
    # a year inside a full date (报告日期:2022年7月14日) dates the page, it names no year evaluated
    undated = [m for m in found if not any(a <= m.start() < b for a, b in dates)] or found
    years = Counter(int(m.group("year")) for m in undated)
    if years:
        return years.most_common(1)[0][0], "most_frequent_year"
    return None, None


def title_of(raw_lines: list[str]) -> str | None:
    """The first short line that ends as a title does (…报告, …自评表, …情况说明)."""
    stripped = [line.strip().lstrip("#").strip() for line in raw_lines if line.strip()]
    for line in stripped[:TITLE_LINES]:
        if patterns().title_line.search(line) and len(line) <= 80:
            return line
    return None


def parent_department(doc: Document, unit_name: str | None) -> str | None:
    """系NAME下属: the parent, its bare level word (省, 县 …) completed from the unit's own place."""
    m = patterns().parent.search(doc.text)
    if not m:
        return None
    parent = clean_name(m.group("name"))
    region = region_of(unit_name or "")
    if parent[:1] and patterns().region_end.fullmatch(parent[0]) and region and parent[0] in region:
        parent = region[: region.rfind(parent[0]) + 1] + parent[1:]
    return parent


def document_kind(doc: Document, title: str | None = None) -> str | None:
    """The kind the title names, else the first the head names. The title comes first: a budget
    explanation's body speaks of 决算 and 绩效 (比上年决算数, 绩效目标), its title only of 预算."""
    head = " ".join(doc.lines[:25])
    for text in (title or "", head):
        for kind, words in vocab.by_value("document_kind").items():
            if any(w in text for w in words):
                return kind
    return None


def identify(lines: list[str]) -> Identity:
    doc = Document.of(lines)
    scores = unit_scores(doc)
    unit_name = choose(scores, doc.text)
    year, year_source = report_year(doc)
    title = title_of(lines)
    return Identity(unit_name, document_kind(doc, title), scores.source.get(unit_name) if unit_name else None, year,
                    year_source, title, parent_department(doc, unit_name),
                    [n for n, _ in scores.score.most_common(5)])
