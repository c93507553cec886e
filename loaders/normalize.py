"""Text normalisation: one normalised line per source line, so line numbers never shift.

What is normalised, and why:
- NFKC: full-width digits and punctuation (１２３，（）：％) become ASCII so one number pattern fits all.
- Word-processor artefacts such as ``[bookmark: _GoBack]`` are removed.
- Pinyin injected by mirror sites after a character (``萬(wàn)元``) is removed.
- Traditional script (財政撥款) becomes simplified, so the glossary's aliases match: the whole text
  when it is written in traditional script, else each line that has traditional-only characters
  (a table pasted from a traditional page into a simplified one: 人員編製 | 115).
- Single spaces between Chinese characters and digits (``在职人员 57 人``) are removed; runs of
  spaces and tabs are kept because they separate table cells, and so are the single spaces of a
  spreadsheet or PDF table flattened to one line (``五事业收入 5 80.78 五教育支出 36 4,146.04``).
- Letter-spaced PDF text (``经 费 总预 算 安 排``, ``产 出 指 标 |``) is joined back into words.

Every word list (traditional-only characters, fixed rewrites, punctuation) is data:
``seeds/vocab_layout.csv`` through ``loaders.vocabulary``.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from . import vocabulary as vocab

HAN_FIRST, HAN_LAST = "\u4e00", "\u9fff"  # the CJK Unified Ideographs block: the script, not a word
HAN = f"{HAN_FIRST}-{HAN_LAST}"  # as a character-class range
# the full-width parentheses as seeds print them; NFKC turns report text's into ( and )
FULLWIDTH_OPEN, FULLWIDTH_CLOSE = "\uff08", "\uff09"
_PINYIN = re.compile(rf"(?<=[{HAN}])\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{{1,7}}\)")
_SPACE_CJK_LEFT = re.compile(rf"(?<=[{HAN}]) (?=[\d\-])")
_SPACE_CJK_RIGHT = re.compile(rf"(?<=[\d%)]) (?=[{HAN}])")
_SPACE_CJK_CJK = re.compile(rf"(?<=[{HAN}]) (?=[{HAN}(])")
# "37337407.64元 , 其中 : 基本支出" (letter-spaced PDF text): a comma or colon spaced on both sides
_SPACED_PUNCT = re.compile(rf"(?<=[{HAN}\d%]) +([,;:]) +(?=[{HAN}\d])")
_TABULAR = re.compile(r"\S   +\S")  # a run of three or more spaces inside a line: a flattened table row
_OTHER_SPACE = re.compile(r"[\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]")
_NUMBER_TOKEN = re.compile(r"^[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?$")
_SINGLE_CJK = re.compile(rf"^[{HAN}]$")
_CJK_TOKEN = re.compile(rf"^[{HAN}]+$")
_CELL_SPLIT = re.compile(r"(\||\t)")
_SHORT_WORD = re.compile(rf"^[{HAN}]{{2,4}}$")
_HAN_RUN = re.compile(rf"[{HAN}]+")


@lru_cache(maxsize=1)
def _artefact() -> re.Pattern[str]:
    # a bracketed word-processor field ([bookmark: _GoBack]); the field names are vocabulary (word_artefact)
    return re.compile(rf"\[(?:{vocab.pattern('word_artefact').pattern})[^\]]*\]", re.IGNORECASE)


@lru_cache(maxsize=1)
def _punct_map() -> dict[int, str]:
    # characters NFKC leaves alone but that play the role of ASCII punctuation in these reports
    return str.maketrans(dict(vocab.pairs("punct_map")))


@lru_cache(maxsize=1)
def sentence_stops() -> str:
    """Sentence-final punctuation left after NFKC (vocabulary list sentence_stop)."""
    return "".join(vocab.words("sentence_stop"))


@lru_cache(maxsize=1)
def list_stops() -> str:
    """Punctuation left after NFKC that separates the items of a list (vocabulary list list_stop)."""
    return "".join(vocab.words("list_stop"))


@lru_cache(maxsize=1)
def _sentence_punct() -> re.Pattern[str]:
    return re.compile("[,;:" + re.escape(sentence_stops()) + "]")


@lru_cache(maxsize=1)
def _replacements() -> tuple[tuple[str, str], ...]:
    return vocab.pairs("text_replace")


@lru_cache(maxsize=1)
def _traditional_only() -> frozenset[str]:
    # frequent characters that exist only in traditional script; a text with none of them is
    # simplified, and the (pure-Python, slow) OpenCC pass is skipped
    return frozenset(vocab.words("traditional_char"))


def _looks_like_word_list(line: str) -> bool:
    """
    A header row flattened to words (序号 项目名称 预算数 …): several short words, no sentence
    punctuation; three words of two to four characters (中央 省级 县级) are a sub-header too.
    """
    words = line.split()
    if _sentence_punct().search(line):
        return False
    if len(words) == 3:
        return all(_SHORT_WORD.match(w) for w in words)
    return len(words) >= 4 and sum(len(w) <= 12 for w in words) >= len(words) - 1


def is_flattened_table_row(line: str) -> bool:
    """A table flattened to one line with single spaces between its cells (an xlsx or OCR export):
    several bare figures, some of them side by side (``1 4,627.57``, ``65.66 65.07 10``) — prose
    puts words between its figures. Three figures in a row (``其中:当年财政拨款 287 287 171``, a
    sub-row with fewer cells than its table) are a row too: prose never prints three bare figures
    side by side."""
    if line.count(" ") < 4:
        return False
    words = line.split()
    numeric = [bool(_NUMBER_TOKEN.match(w)) for w in words]
    adjacent = sum(1 for a, b in zip(numeric, numeric[1:]) if a and b)
    return (sum(numeric) >= 4 and adjacent >= 2) or _three_in_a_row(numeric)


def _three_in_a_row(numeric: list[bool]) -> bool:
    return any(a and b and c for a, b, c in zip(numeric, numeric[1:], numeric[2:]))


def join_letter_spacing(text: str) -> str:
    """Join letter-spaced words: a run of three or more Chinese tokens one space apart, most of them
    single characters (``经 费 总预 算 安 排`` → ``经费总预算安排``). Words of two characters or more
    one space apart (``中央 省级 市级``) are cells or words and stay apart."""
    parts = text.split(" ")
    out: list[str] = []
    run: list[str] = []

    def flush() -> None:
        singles = sum(1 for t in run if _SINGLE_CJK.match(t))
        if len(run) >= 3 and singles * 3 >= len(run) * 2:
            out.append("".join(run))
        else:
            out.extend(run)
        run.clear()

    for part in parts:
        if _CJK_TOKEN.match(part):
            run.append(part)
            continue
        flush()
        out.append(part)
    flush()
    return " ".join(out)


def _join_spaced_cell(cell: str) -> str:
    """
    A table cell that is one word letter-spaced (``项 目``, ``合 计``, ``产 出 指 标``) becomes the word.
    """
    tokens = cell.split()
    if len(tokens) >= 2 and all(_SINGLE_CJK.match(t) for t in tokens):
        lead = cell[: len(cell) - len(cell.lstrip())]
        trail = cell[len(cell.rstrip()):]
        return lead + "".join(tokens) + trail
    return cell


def _join_spaced_cells(line: str) -> str:
    if "|" not in line and "\t" not in line:
        return line
    return "".join(part if part in ("|", "\t") else _join_spaced_cell(part) for part in _CELL_SPLIT.split(line))


@lru_cache(maxsize=1)
def _t2s():
    from opencc import OpenCC  # pure-Python OpenCC; loaded only when a document needs it

    return OpenCC("t2s")


def has_traditional_only(text: str) -> bool:
    return not _traditional_only().isdisjoint(text)


def is_han(ch: str) -> bool:
    """One character of the Han script (HAN)."""
    return HAN_FIRST <= ch <= HAN_LAST


def han_only(text: str, start: int = 0, end: int | None = None) -> str:
    """The Han characters of text[start:end], in order (run by run, by regular expression)."""
    return "".join(_HAN_RUN.findall(text, start, len(text) if end is None else end))


def han_sample(text: str, n_chars: int) -> str:
    """The first ``n_chars`` Han characters among the first 3 × ``n_chars`` characters of the text
    (``han_only``: a character loop here was a fiftieth of a document's parse)."""
    return han_only(text, 0, n_chars * 3)[:n_chars]


def needs_simplification(text: str, sample_chars: int = 4000) -> bool:
    """True when the text is written in traditional script (share of changed characters)."""
    sample = han_sample(text, sample_chars)
    if len(sample) < 20 or not has_traditional_only(sample):
        return False
    converted = _t2s().convert(sample)
    changed = sum(1 for a, b in zip(sample, converted) if a != b)
    return changed / len(sample) > 0.03


def _rewrite(line: str) -> str:
    for word, replacement in _replacements():
        if word in line:
            # 收、支总计均为X names one figure, not a list
            line = line.replace(word, replacement)
    return line


def normalize_line(line: str, simplify: bool = False) -> str:
    """Normalise one line. Keeps tabs (cell separators) and leading tabs (cell-per-line tables)."""
    line = _artefact().sub("", line)
    line = _OTHER_SPACE.sub(" ", line)
    line = unicodedata.normalize("NFKC", line)
    line = line.translate(_punct_map())
    if "(" in line:  # a pinyin gloss is parenthesised
        line = _PINYIN.sub("", line)
    line = _rewrite(line)
    if simplify:
        line = _t2s().convert(line)
    line = _join_spaced_cells(line)
    if is_flattened_table_row(line):
        pass  # single spaces separate cells here: nothing is joined
    elif not _TABULAR.search(line) and not _looks_like_word_list(line):
        # "在职人员 57 人" → "在职人员57人"; a flattened table row keeps its spaces (they separate cells).
        # Each of these removes a space: a line without one (most lines of a report) skips them
        if " " in line:
            line = _SPACE_CJK_LEFT.sub("", line)
            line = _SPACE_CJK_RIGHT.sub("", line)
            line = _SPACE_CJK_CJK.sub("", line)
            line = _SPACED_PUNCT.sub(r"\1", line)
    else:
        line = join_letter_spacing(line)
    stripped = line.rstrip(" \r\n")
    # A line of only (ideographic) spaces continues a Word cell; a truly empty line ends a row.
    # Keep the difference: the first becomes one space, the second stays empty.
    return " " if stripped == "" and line != "" else stripped


def normalize_lines(lines: list[str]) -> tuple[list[str], bool]:
    """Normalise every line; returns the lines and whether the text as a whole was converted from
    traditional script. In a simplified text, a line with traditional-only characters is converted
    on its own."""
    simplify = needs_simplification("\n".join(lines[:400]))
    return [normalize_line(line, simplify or has_traditional_only(line)) for line in lines], simplify
