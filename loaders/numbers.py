"""Number mentions: find numbers with their printed unit and precision.

``find_numbers`` returns every number in a string with the unit that follows it. Dates
(2020年, 1-12月, 7月1日), ordinal list markers and document numbers (〔2021〕1号) are returned
with ``kind='date'``/``'ordinal'``/``'docno'`` so they are kept in raw but never become facts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

# Longest first: 万人次 before 万人 before 万.
UNITS = ["万人次", "亿元", "万元", "千元", "元", "万人", "万户", "万名", "人次", "人", "名", "户", "家", "个", "%", "‰",
         "分", "件", "条", "项", "次", "批次", "辆", "台", "套", "亿", "万"]
UNIT_CANON = {"名": "人", "万名": "万人"}
_NUM = r"(?P<num>[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)"
_UNIT = "(?P<unit>" + "|".join(re.escape(u) for u in UNITS) + ")"
NUMBER_RE = re.compile(r"(?<![\d.A-Za-z_])" + _NUM + r"\s*" + _UNIT + "?")
_DATE_AFTER = re.compile(r"^\s*(?:年|度|月|日|号|季度|周岁|岁|时|点|期|届|轮|批(?!次)|级|类|版|\.\d|[-~至到]\s*\d)")
_RANGE_BEFORE = re.compile(r"\d\s*[-~至到]\s*$")
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
CN_NUMBER_RE = re.compile(r"(?<![一二三四五六七八九十百千万零两〇])(?P<num>[一二三四五六七八九十两][一二三四五六七八九十百千零两〇]*)(?P<unit>人|个|家|名|项)")


@dataclass
class NumberToken:
    start: int
    end: int  # end of number + unit
    num_end: int
    text: str  # as printed, number and unit
    value: float
    decimals: int  # printed decimal places (precision)
    uom: str | None
    kind: str  # value | date | ordinal | docno


def parse_number(text: str) -> tuple[float, int]:
    """'1,234.56' -> (1234.56, 2); '-3.94' -> (-3.94, 2); full-width input is NFKC-normalised upstream."""
    cleaned = text.replace(",", "").replace("−", "-")
    try:
        dec = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError(f"not a number: {text!r}") from exc
    exponent = dec.as_tuple().exponent
    decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return float(dec), decimals


def chinese_to_int(text: str) -> int | None:
    """三十二 -> 32, 十 -> 10, 一百零五 -> 105; None when not a plain Chinese numeral."""
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            unit = _CN_UNITS[ch]
            if unit == 10000:
                section = (section + (digit or 0)) * unit
                total += section
                section = 0
            else:
                section += (1 if digit is None else digit) * unit
            digit = None
        else:
            return None
    return total + section + (digit or 0)


def find_numbers(text: str) -> list[NumberToken]:
    tokens: list[NumberToken] = []
    for m in NUMBER_RE.finditer(text):
        num = m.group("num")
        unit = m.group("unit")
        start, num_end = m.start("num"), m.end("num")
        after = text[num_end:]
        before = text[max(0, start - 6):start]
        try:
            value, decimals = parse_number(num)
        except ValueError:
            continue
        kind = "value"
        if unit is None and _DATE_AFTER.match(after):
            kind = "date"
        elif _RANGE_BEFORE.search(before):
            kind = "date"
        elif unit is None and re.match(r"\s*[、.．](?!\d)", after) and decimals == 0 and value < 100:
            kind = "ordinal"
        elif text[max(0, start - 1):start] == "第":
            kind = "ordinal"
        elif unit == "号" or re.search(r"[(〔\[]\s*$", before) and re.match(r"\s*[)〕\]]", after):
            kind = "docno"
        if num.startswith(("-", "−")) and start > 0 and text[start - 1].isdigit():
            continue
        end = m.end() if unit else num_end
        # '亿' or '万' followed by 元/人 split by a line join is handled upstream by joining lines.
        tokens.append(NumberToken(start, end, num_end, text[start:end], value, decimals,
                                  UNIT_CANON.get(unit, unit) if unit else None, kind))
    for m in CN_NUMBER_RE.finditer(text):
        value = chinese_to_int(m.group("num"))
        if value is None or value == 0:
            continue
        # skip idioms and ordinals such as 一是, 三险, 一个 (a, one of) — keep counts of 2 and more
        if value < 2 or re.match(r"[是要]", text[m.end("num"):m.end("num") + 1] or " "):
            continue
        tokens.append(NumberToken(m.start(), m.end(), m.end("num"), m.group(0), float(value), 0,
                                  UNIT_CANON.get(m.group("unit"), m.group("unit")), "value"))
    tokens.sort(key=lambda t: t.start)
    return tokens
