"""Text normalisation: one normalised line per source line, so line numbers never shift.

What is normalised, and why:
- NFKC: full-width digits and punctuation (１２３，（）：％) become ASCII so one number pattern fits all.
- Word-processor artefacts such as ``[bookmark: _GoBack]`` are removed.
- Pinyin injected by mirror sites after a character (``萬(wàn)元``) is removed.
- Traditional script (財政撥款) becomes simplified, so the glossary's aliases match.
- Single spaces between Chinese characters and digits (``在职人员 57 人``) are removed; runs of
  spaces and tabs are kept because they separate table cells.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_ARTEFACT = re.compile(r"\[(?:bookmark|anchor|_GoBack)[^\]]*\]", re.IGNORECASE)
_PINYIN = re.compile(r"(?<=[\u4e00-\u9fff])\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}\)")
_CJK = "\u4e00-\u9fff"
_SPACE_CJK_LEFT = re.compile(rf"(?<=[{_CJK}]) (?=[\d\-])")
_SPACE_CJK_RIGHT = re.compile(rf"(?<=[\d%)]) (?=[{_CJK}])")
_SPACE_CJK_CJK = re.compile(rf"(?<=[{_CJK}]) (?=[{_CJK}(])")
_TABULAR = re.compile(r"\S   +\S")  # a run of three or more spaces inside a line: a flattened table row
_OTHER_SPACE = re.compile(r"[\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]")
# Characters NFKC leaves alone but that play the role of ASCII punctuation in these reports.
_PUNCT_MAP = str.maketrans({"〔": "(", "〕": ")", "【": "[", "】": "]", "﹝": "(", "﹞": ")",
                            "—": "-", "－": "-", "–": "-", "“": '"', "”": '"', "‘": "'", "’": "'"})


def _looks_like_word_list(line: str) -> bool:
    """A header row flattened to words (序号 项目名称 预算数 …): several short words, no sentence punctuation."""
    words = line.split()
    return len(words) >= 4 and not re.search(r"[,。;:]", line) and sum(len(w) <= 12 for w in words) >= len(words) - 1


@lru_cache(maxsize=1)
def _t2s():
    from opencc import OpenCC  # pure-Python OpenCC; loaded only when a document needs it

    return OpenCC("t2s")


# Frequent characters that exist only in traditional script; a text with none of them is simplified,
# and the (pure-Python, slow) OpenCC pass is skipped.
_TRADITIONAL_ONLY = set("國會員區縣預決與關機構財撥資費經濟發實際統計單說報項劃務總額結餘險農醫療職養護衛這們為時來後開門標題萬億")


def needs_simplification(text: str, sample_chars: int = 4000) -> bool:
    """True when the text is written in traditional script (share of changed characters)."""
    sample = "".join(ch for ch in text[: sample_chars * 3] if "\u4e00" <= ch <= "\u9fff")[:sample_chars]
    if len(sample) < 20 or not _TRADITIONAL_ONLY.intersection(sample):
        return False
    converted = _t2s().convert(sample)
    changed = sum(1 for a, b in zip(sample, converted) if a != b)
    return changed / len(sample) > 0.03


def normalize_line(line: str, simplify: bool = False) -> str:
    """Normalise one line. Keeps tabs (cell separators) and leading tabs (cell-per-line tables)."""
    line = _ARTEFACT.sub("", line)
    line = _OTHER_SPACE.sub(" ", line)
    line = unicodedata.normalize("NFKC", line)
    line = line.translate(_PUNCT_MAP)
    line = _PINYIN.sub("", line)
    line = line.replace("收、支", "收支")  # "收、支总计均为X" names one figure, not a list
    if simplify:
        line = _t2s().convert(line)
    if not _TABULAR.search(line) and not _looks_like_word_list(line):
        # "在职人员 57 人" → "在职人员57人"; a flattened table row keeps its spaces (they separate cells)
        line = _SPACE_CJK_LEFT.sub("", line)
        line = _SPACE_CJK_RIGHT.sub("", line)
        line = _SPACE_CJK_CJK.sub("", line)
    stripped = line.rstrip(" \r\n")
    # A line of only (ideographic) spaces continues a Word cell; a truly empty line ends a row.
    # Keep the difference: the first becomes one space, the second stays empty.
    return " " if stripped == "" and line != "" else stripped


def normalize_lines(lines: list[str]) -> tuple[list[str], bool]:
    """Normalise every line; returns the lines and whether traditional script was converted."""
    simplify = needs_simplification("\n".join(lines[:400]))
    return [normalize_line(line, simplify) for line in lines], simplify
