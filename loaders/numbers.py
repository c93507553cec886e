"""Number mentions: find numbers with their printed unit and precision.

``find_numbers`` returns every number in a string with the unit that follows it. Dates
(2020年, 1-12月, 7月1日), ordinal list markers and document numbers (〔2021〕1号) are returned
with ``kind='date'``/``'ordinal'``/``'docno'`` so they are kept in raw but never become facts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from . import vocabulary as vocab

_NUM = r"(?P<num>[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)"


@lru_cache(maxsize=1)
def _units() -> dict[str, str]:
    """Printed unit → canonical unit (seeds/vocab_reader.csv, list number_unit)."""
    return vocab.mapping("number_unit")


@lru_cache(maxsize=1)
def _number_re() -> re.Pattern[str]:
    units = sorted(_units(), key=len, reverse=True)  # 万人次 before 万人 before 万
    return re.compile(r"(?<![\d.A-Za-z_])" + _NUM + r"\s*(?P<unit>" + "|".join(re.escape(u) for u in units) + ")?")


@lru_cache(maxsize=1)
def _chinese() -> tuple[dict[str, int], dict[str, int], re.Pattern[str]]:
    digits = {w: int(v) for w, v in vocab.pairs("chinese_digit")}
    places = {w: int(v) for w, v in vocab.pairs("chinese_place")}
    numerals = "".join(digits) + "".join(places)
    first = "".join(w for w in digits if digits[w] > 0) + "".join(w for w in places if places[w] == 10)
    rest = "".join(w for w in numerals if places.get(w, 0) != 10000)
    count_units = "|".join(re.escape(u) for u in vocab.words("chinese_count_unit"))
    pattern = re.compile(f"(?<![{numerals}])(?P<num>[{first}][{rest}]*)(?P<unit>{count_units})")
    return digits, places, pattern


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
    digits, places, _ = _chinese()
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in digits:
            digit = digits[ch]
        elif ch in places:
            unit = places[ch]
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
    units = _units()
    date_after, range_before = vocab.compiled("date_after_pattern")[0], vocab.compiled("range_before_pattern")[0]
    ordinal_after = vocab.compiled("ordinal_after_pattern")[0]
    docno_open, docno_close = vocab.compiled("docno_open_pattern")[0], vocab.compiled("docno_close_pattern")[0]
    ordinal_before = vocab.words("ordinal_before")
    for m in _number_re().finditer(text):
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
        if unit is None and date_after.match(after):
            kind = "date"
        elif range_before.search(before):
            kind = "date"
        elif unit is None and ordinal_after.match(after) and decimals == 0 and value < 100:
            kind = "ordinal"
        elif text[max(0, start - 1):start] in ordinal_before:
            kind = "ordinal"
        elif docno_open.search(before) and docno_close.match(after):
            kind = "docno"
        if num.startswith(("-", "−")) and start > 0 and text[start - 1].isdigit():
            continue
        end = m.end() if unit else num_end
        # '亿' or '万' followed by 元/人 split by a line join is handled upstream by joining lines.
        tokens.append(NumberToken(start, end, num_end, text[start:end], value, decimals,
                                  units.get(unit, unit) if unit else None, kind))
    idioms = vocab.words("chinese_idiom_after")
    for m in _chinese()[2].finditer(text):
        value = chinese_to_int(m.group("num"))
        if value is None or value == 0:
            continue
        # skip idioms and ordinals such as 一是, 三险, 一个 (a, one of) — keep counts of 2 and more
        if value < 2 or text[m.end("num"):m.end("num") + 1] in idioms:
            continue
        tokens.append(NumberToken(m.start(), m.end(), m.end("num"), m.group(0), float(value), 0,
                                  units.get(m.group("unit"), m.group("unit")), "value"))
    tokens.sort(key=lambda t: t.start)
    return tokens
