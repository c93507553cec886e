"""Prose: paragraphs → sentences → figures → statements, through the passes in their data order."""

from __future__ import annotations

from dataclasses import dataclass

from ..segment import Segmentation
from .context import SENTENCE_END, DocumentContext, ParagraphState, SectionContext, Sentence, regex, split_sentences
from .figure_passes import ReadContext, _nearest_longest, words
from .passes import figure_passes, sentence_passes
from .statement import Statement
from .vocab_index import index

# a line this long that does not end a sentence was wrapped: the next line continues it (PDF text wraps at
# 20-30 characters; shorter lines are headings, list items or table residue)
MIN_WRAPPED_LINE = 18


@dataclass
class Paragraph:
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


def build_paragraphs(lines: list[str], seg: Segmentation) -> list[Paragraph]:
    """Join hard-wrapped prose lines (also across one blank line) into paragraphs, keeping a line map."""
    paragraphs: list[Paragraph] = []
    current: Paragraph | None = None
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
            and current.text and current.text[-1] not in SENTENCE_END + ";:"
            and len(current.text) - current.offsets[-1][0] >= MIN_WRAPPED_LINE
            and seg.line_section[idx] == current.section_path
        )
        if joinable:
            current.offsets.append((len(current.text), idx + 1))
            current.text += text
        else:
            current = Paragraph(text, [(0, idx + 1)], seg.line_section[idx])
            paragraphs.append(current)
        if kind == "heading":
            current = None
        pending_blank = 0
    return paragraphs


def section_context(path: str, paragraph_text: str) -> SectionContext:
    """The scheme and scope a section's headings name, and the item a heading or a lead names."""
    deepest = path.split(" > ")[-1] if path else ""
    hits_deepest = index().hits(deepest)
    schemes = hits_deepest.within(0, len(deepest), "scheme") or index().hits(path).within(0, len(path), "scheme")
    scheme = _nearest_longest(schemes).surface if schemes else None
    scopes = index().hits(path).within(0, len(path), "scope_word")
    headings = list(reversed(path.split(" > "))) if path else []
    year = next((y for y in map(_heading_year, headings) if y is not None), None)
    return SectionContext(path, scheme, scopes[0].surface if scopes else None, _heading_subject(deepest, paragraph_text),
                          year)


def _heading_year(deepest: str) -> int | None:
    """The first year a heading names outside a comparison (较2020年度 is the year compared with)."""
    hits = index().hits(deepest)
    comparisons = hits.within(0, len(deepest), "comparison_word")
    for m in regex("year_pattern").finditer(deepest):
        if not any(0 <= m.start() - h.end <= 1 for h in comparisons):
            return int(m.group(1))
    return None


def _heading_subject(deepest: str, paragraph_text: str) -> str | None:
    """(一)收入预算:2025年年初预算数… — the lead before the colon names what its figures are about."""
    lead = paragraph_text.split(":", 1)[0] if ":" in paragraph_text[:16] else ""
    lead = regex("numbering_pattern").sub("", lead).strip()
    for text in (lead, regex("numbering_pattern").sub("", deepest).strip() if len(deepest) <= 12 else ""):
        if text and not any(ch.isdigit() for ch in text):
            hits = index().hits(text).within(0, len(text), "item")
            best = _nearest_longest(hits)
            if best is not None:
                return best.surface
    return None


def read_prose(lines: list[str], seg: Segmentation, document: DocumentContext, first_id: int,
               lexicon) -> list[Statement]:
    out: list[Statement] = []
    codes = dict(lexicon.scheme_codes)
    for para in build_paragraphs(lines, seg):
        ctx = ReadContext(document, section_context(para.section_path, para.text), ParagraphState(),
                          lexicon.generic_schemes, codes)
        out.extend(read_sentences(para, ctx, first_id + len(out)))
    return out


def read_sentences(para: Paragraph, ctx: ReadContext, first_id: int,
                   source_kind: str = "narrative", default_uom: str | None = None) -> list[Statement]:
    """A paragraph (or a text cell) sentence by sentence: a 其中 list ends with its sentence, a point
    opener starts a new point, and a 其中 opening a sentence breaks down the previous one's topic."""
    out: list[Statement] = []
    for offset, text in split_sentences(para.text):
        if regex("point_opener_pattern").match(text.lstrip()):
            ctx.paragraph.open_point()
        sentence = Sentence.read(text, offset)
        out.extend(read_sentence(sentence, para, ctx, first_id + len(out), source_kind, default_uom))
        _update_paragraph_scheme(sentence, ctx)
        topic = _topic_figure(sentence)
        if topic is not None:
            ctx.paragraph.last_level = topic
    return out


def read_sentence(s: Sentence, para: Paragraph, ctx: ReadContext, first_id: int,
                  source_kind: str = "narrative", default_uom: str | None = None) -> list[Statement]:
    """Every number of the sentence as a statement; value figures go through the passes. A figure
    printed without a unit takes ``default_uom`` (the unit a table cell's row or column gives)."""
    out: list[Statement] = []
    previous_end = 0
    for tok in s.tokens:
        line_no, col = para.line_at(s.offset + tok.start)
        uom = tok.uom if tok.uom is not None or tok.kind != "value" else default_uom
        st = Statement(first_id + len(out), source_kind, line_no, col, tok.text, tok.value, tok.decimals, uom, tok.kind)
        st.section_path = ctx.section.path
        out.append(st)
        if tok.kind != "value":
            st.sentence = s.text.strip() if len(s.text) <= 600 else s.text[max(0, tok.start - 300):tok.end + 300]
            st.mention_role = "other"
            if tok.kind not in ("date", "docno"):  # 2023年 and a footnote mark [3] stay inside the next label
                previous_end = max(previous_end, tok.end)
            continue
        fig = s.figure_of(tok, previous_end)
        st.sentence = s.source_text(fig)
        st.clause = s.text[fig.clause_start:fig.clause_end].strip()
        st.in_parentheses = fig.depth > 0
        s.figures[st.mention_id] = fig
        s.statements.append(st)
        for run in figure_passes("prose"):
            run(st, fig, s, ctx)
        previous_end = tok.end
    for run in sentence_passes("prose"):
        run(s.statements, s, ctx)
    return out


def _topic_figure(s: Sentence):
    """The figure a sentence is about, which a 其中 opening the next sentence breaks down: its last level
    figure that is not a base it compares with (…占年初部门预算318.21万元的157.42%) nor carried from another."""
    bases = s.ratio_bases(s.statements)
    topics = [st for st in s.statements if st.mention_role == "level" and st.subject_source != "carried"
              and st.mention_id not in bases]
    return topics[-1] if topics else None


def _update_paragraph_scheme(s: Sentence, ctx: ReadContext) -> None:
    found = s.window_hits(0, len(s.text), "scheme")
    specific = [h for h in found if h.surface not in ctx.generic_schemes]
    if found:
        ctx.paragraph.scheme = (specific or found)[-1].surface
