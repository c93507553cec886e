"""What the reader knows around a figure: the document, the section, the paragraph, the sentence.

A ``Sentence`` is read once: its number tokens, every vocabulary hit (one automaton pass), the
regular-expression hits of the reader's patterns and its clause boundaries, so that each figure's
passes look up windows (logarithmic) instead of scanning the text again — the work is linear in
the length of the document.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

from .. import vocabulary as vocab
from ..normalize import list_stops, sentence_stops
from ..numbers import NumberToken, find_numbers
from .statement import Statement
from .vocab_index import Hit, Hits, index

# Clause and sentence marks, as NFKC leaves them: full-width ，；：！？ are ASCII by then; the marks with
# no ASCII form (。 and 、) are vocabulary (lists sentence_stop and list_stop in seeds/vocab_layout.csv).
SENTENCE_END = sentence_stops() + "!?"
CLAUSE_STOPS = ",;:" + SENTENCE_END
LIST_STOPS = CLAUSE_STOPS + list_stops()
_LIST_STOP = re.compile("[" + re.escape(LIST_STOPS) + "]")
_PAREN = re.compile(r"[()]")
# a label never reaches further back than this many characters, and a figure's sentence context
# (its scheme, a year, a 其中 before it) no further than LOOKBACK: long lines stay linear
MAX_LABEL = 80
LOOKBACK = 400
# the sentence kept as a figure's provenance is cut to this window around it when longer
MAX_SOURCE_TEXT = 600


@lru_cache(maxsize=None)
def regex(list_name: str) -> re.Pattern[str]:
    return vocab.pattern(list_name)


@dataclass
class DocumentContext:
    unit_name: str | None = None
    document_kind: str | None = None
    project: str | None = None  # the one project a project self-evaluation is about (its title)
    three_public: bool = False  # the report is about 三公 spending alone (its title says so)


@dataclass
class SectionContext:
    path: str = ""
    scheme: str | None = None
    scope: str | None = None
    heading_subject: str | None = None  # the item a heading or a "(一)收入预算:" lead names
    year: int | None = None  # the year the deepest heading names (not one it compares with)


@dataclass
class ParagraphState:
    scheme: str | None = None  # the last scheme named in the paragraph (a specific one wins)
    last_level: object | None = None  # the last level statement of the sentences read so far
    lead_scheme: str | None = None  # the scheme in force when the first point (一是) opened
    in_points: bool = False  # a point of an enumeration (一是, 二是 …) has opened

    def open_point(self) -> None:
        """A new point (二是 …) is a sibling of the one before: what that point named no longer applies;
        what the paragraph's lead named (before 一是) still does."""
        if self.in_points:
            self.scheme = self.lead_scheme
        else:
            self.lead_scheme, self.in_points = self.scheme, True


@dataclass
class Figure:
    """Where one number sits in its sentence."""
    token: NumberToken
    clause_start: int  # after the last clause stop before the number
    clause_end: int  # the next clause stop after it
    label_start: int  # after the last list stop, clause stop or figure before the number
    depth: int  # open parentheses before the number
    previous_end: int = 0  # where the figure before it in the sentence ends

    @property
    def start(self) -> int:
        return self.token.start

    @property
    def end(self) -> int:
        return self.token.end


@dataclass
class Sentence:
    text: str
    offset: int  # in its paragraph
    tokens: list[NumberToken]
    hits: Hits
    clause_stops: list[int]
    list_stops: list[int]
    segment_stops: list[int]  # ';' — a segment shares its scheme and parts
    statements: list[Statement] = field(default_factory=list)
    figures: dict[int, Figure] = field(default_factory=dict)  # mention_id → figure
    _depth: list[int] = field(default_factory=list, repr=False)  # open parentheses before each position
    _closes: list[int] = field(default_factory=list, repr=False)  # positions of ')'
    # what a pass found in this sentence (a pattern's spans, a label's bare words), found once and kept
    memo: dict = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        # bound once: a figure's passes ask for some thirty windows, and the method's own frame was a
        # fifth of what a window query cost
        self.window_hits = self.hits.within

    @classmethod
    def read(cls, text: str, offset: int) -> "Sentence":
        tokens, hits, clause_stops, stops, segment_stops, depth, closes = _text_marks(text)
        s = cls(text, offset, tokens, hits, clause_stops, stops, segment_stops)
        s._depth, s._closes = depth, closes
        return s

    def pattern_spans(self, name: str) -> list[tuple[int, int]]:
        """Where the vocabulary pattern ``name`` matches the sentence, found once per sentence (a figure
        pass asking for every figure would make a long sentence cost its square)."""
        key = ("pattern_spans", name)
        if key not in self.memo:
            self.memo[key] = [(m.start(), m.end()) for m in regex(name).finditer(self.text)]
        return self.memo[key]

    def ratio_bases(self, statements: list[Statement]) -> set[int]:
        """Mention ids of the level figures that are the base a ratio compares with: a level in the
        ratio's own clause, before it (完成全年预算84.82万元的73.2%, 占年初预算318.21万元的156.01%). A base
        is no topic: a change, a later ratio or a 其中 list is about the figure the clause started from."""
        ratios = [st for st in statements if st.mention_role == "ratio" and st.mention_id in self.figures]
        out: set[int] = set()
        for st in statements:
            fig = self.figures.get(st.mention_id)
            if st.mention_role != "level" or fig is None:
                continue
            if any(self.figures[r.mention_id].clause_start == fig.clause_start and self.figures[r.mention_id].start > fig.start
                   for r in ratios):
                out.add(st.mention_id)
        return out

    def depth_at(self, pos: int) -> int:
        """Parentheses open before pos."""
        return self._depth[min(max(pos, 0), len(self.text))]

    def next_close(self, pos: int) -> int:
        """The next ')' at or after pos, or -1."""
        i = bisect_left(self._closes, pos)
        return self._closes[i] if i < len(self._closes) else -1

    def next_segment_stop(self, pos: int) -> int:
        """The next ';' at or after pos, or -1."""
        i = bisect_left(self.segment_stops, pos)
        return self.segment_stops[i] if i < len(self.segment_stops) else -1

    def before(self, pos: int, kinds) -> list[Hit]:
        """Hits of these kinds in the sentence before pos, no further back than LOOKBACK."""
        return self.hits.within(max(0, pos - LOOKBACK), pos, kinds)

    def source_text(self, fig: "Figure") -> str:
        """The sentence a figure came from, cut to a window around its clause when it is very long."""
        if len(self.text) <= MAX_SOURCE_TEXT:
            return self.text.strip()
        half = MAX_SOURCE_TEXT // 2
        start = max(0, min(fig.clause_start, fig.start - half))
        return self.text[start:start + MAX_SOURCE_TEXT].strip()

    def figure_of(self, token: NumberToken, previous_end: int) -> Figure:
        clause_start = _after_last(self.clause_stops, token.start)
        clause_end = _first_after(self.clause_stops, token.end, len(self.text))
        label_start = max(_after_last(self.list_stops, token.start), previous_end, token.start - MAX_LABEL)
        before = self.text[label_start:token.start]
        colon = label_start - 1
        if not before.strip() and colon >= 0 and self.text[colon] == ":":
            # 正式职工:129人 — a label written label:value stands before the colon
            label_start = max(_after_last(self.list_stops, colon), previous_end, token.start - MAX_LABEL)
        reasons = self.hits.within(label_start, token.start, "reason_marker")
        if reasons:  # 支出变动较大的主要原因是新增了605.99万元: the words before the reason name the change explained
            label_start = max(h.end for h in reasons)
        return Figure(token, clause_start, clause_end, label_start, self.depth_at(token.start), previous_end)

    def segment_start(self, pos: int) -> int:
        return _after_last(self.segment_stops, pos)

    def window_hits(self, start: int, end: int, kinds) -> list[Hit]:
        """Hits of these kinds lying wholly inside [start, end) (replaced by ``hits.within`` itself in
        ``__post_init__``; kept for the reader of this class)."""
        return self.hits.within(start, end, kinds)


MARKS_CACHE_SIZE = 4096  # texts whose marks are kept (per process), as the vocabulary hits are


@lru_cache(maxsize=MARKS_CACHE_SIZE)
def _text_marks(text: str) -> tuple:
    """What a sentence's text alone decides — its numbers, vocabulary hits, stops and parentheses —
    read once per text: a row label with its figure, a heading or a boilerplate clause comes back
    often, in a document and across documents. Nothing here is changed after it is built (the
    passes write to the Sentence and its statements, never to its tokens, hits or stops)."""
    # the marks are found by regular expression, not a loop over characters: a table cell or a
    # clause is read thousands of times per document, and the loops were a tenth of its cost
    stops = [m.start() for m in _LIST_STOP.finditer(text)]
    return (find_numbers(text), index().hits(text), [i for i in stops if text[i] in CLAUSE_STOPS], stops,
            [i for i in stops if text[i] == ";"], *_depths(text))


def _depths(text: str) -> tuple[list[int], list[int]]:
    """Parentheses open before each position 0..len(text), and where each ')' is: filled run by run
    between the parentheses, which are few."""
    depth: list[int] = []
    closes: list[int] = []
    running = prev = 0
    for m in _PAREN.finditer(text):
        at = m.start()
        depth.extend([running] * (at + 1 - prev))
        prev = at + 1
        if text[at] == "(":
            running += 1
        else:
            running -= 1
            closes.append(at)
    depth.extend([running] * (len(text) + 1 - prev))
    return depth, closes


def _after_last(stops: list[int], pos: int) -> int:
    i = bisect_left(stops, pos)
    return stops[i - 1] + 1 if i else 0


def _first_after(stops: list[int], pos: int, default: int) -> int:
    i = bisect_right(stops, pos - 1)
    return stops[i] if i < len(stops) else default


def split_sentences(text: str) -> list[tuple[int, str]]:
    """(offset, sentence) for each sentence, the closing mark kept with it."""
    out, start = [], 0
    for i, ch in enumerate(text):
        if ch in SENTENCE_END:
            out.append((start, text[start:i + 1]))
            start = i + 1
    if start < len(text):
        out.append((start, text[start:]))
    return out
