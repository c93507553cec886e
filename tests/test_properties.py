"""Property tests (hypothesis): the number parser and the segmenter."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from loaders.normalize import han_sample, is_han, normalize_line
from loaders.numbers import chinese_to_int, find_numbers, parse_number
from loaders.readers import count_control_chars
from loaders.segment import segment

FULL_WIDTH = str.maketrans("0123456789.,%-", "０１２３４５６７８９．，％－")
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

decimals = st.decimals(min_value=Decimal("-99999999"), max_value=Decimal("99999999"), places=4,
                       allow_nan=False, allow_infinity=False)


def printed(value: Decimal, places: int, thousands: bool) -> str:
    text = f"{value:,.{places}f}" if thousands else f"{value:.{places}f}"
    return text


@SETTINGS
@given(decimals, st.integers(0, 4), st.booleans())
def test_parse_number_round_trips_printed_numbers(value, places, thousands):
    text = printed(value, places, thousands)
    parsed, dec = parse_number(text)
    assert dec == places
    assert Decimal(str(parsed)).quantize(Decimal(1).scaleb(-places)) == Decimal(text.replace(",", ""))


@SETTINGS
@given(decimals, st.integers(0, 4), st.booleans(), st.sampled_from(["万元", "亿元", "元", "%", "人", "万人"]),
       st.booleans())
def test_find_numbers_in_a_sentence_full_width_or_not(value, places, thousands, unit, full_width):
    number = printed(value, places, thousands)
    sentence = f"全年支出{number}{unit}，比上年增加。"
    if full_width:
        sentence = normalize_line(sentence.translate(FULL_WIDTH))
    tokens = [t for t in find_numbers(sentence) if t.kind == "value"]
    assert tokens, sentence
    tok = tokens[0]
    assert tok.uom == unit and tok.decimals == places
    assert abs(tok.value - float(Decimal(number.replace(",", "")))) < 1e-6


def test_examples_from_the_issue():
    cases = {"1,234.56万元": (1234.56, "万元", 2), "-3.94%": (-3.94, "%", 2), "0.5%": (0.5, "%", 1),
             "1.3015亿元": (1.3015, "亿元", 4)}
    for text, (value, uom, places) in cases.items():
        tok = find_numbers(f"其中{text}。")[0]
        assert (tok.value, tok.uom, tok.decimals) == (value, uom, places), text
    full = normalize_line("支出１，２３４．５６万元")
    assert find_numbers(full)[0].value == 1234.56
    tok = [t for t in find_numbers("在职人员三十二人") if t.kind == "value"][0]
    assert (tok.value, tok.uom) == (32.0, "人")


DIGITS = "零一二三四五六七八九"


def to_chinese(n: int) -> str:
    """Reference: 1..99999 in ordinary Chinese numerals (十二, 一百零五, 三千零二十, 两万...)."""
    if n < 10:
        return DIGITS[n]
    parts, zero = [], False
    for unit_value, unit in ((10000, "万"), (1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // unit_value % 10
        if digit:
            if zero and parts:
                parts.append("零")
            parts.append(("" if (unit == "十" and n < 20) else DIGITS[digit]) + unit)
            zero = False
        elif parts:
            zero = True
    return "".join(parts)


@SETTINGS
@given(st.integers(1, 99999))
def test_chinese_numerals(n):
    assert chinese_to_int(to_chinese(n)) == n, to_chinese(n)


# --- the segmenter ----------------------------------------------------------------------------
line_text = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\n\r"), max_size=30),
    st.sampled_from(["", " ", "\t", "\t10", "\t项目", "a\tb\tc", "| a | b |", "|---|---|", "一、基本情况",
                     "（一）机构", "# 标题", "1. 说明", "附件1", "金额单位：万元", "\t　", "x |", "|"]),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(line_text, max_size=40))
def test_segmenter_never_loses_a_line_and_never_crashes(lines):
    lines = [normalize_line(line) for line in lines]
    seg = segment(lines)
    n = len(lines)
    assert len(seg.line_kinds) == n and len(seg.line_section) == n and len(seg.line_table) == n
    for i, line in enumerate(lines):
        assert seg.line_kinds[i] in ("blank", "heading", "prose", "table")
        if line.strip():
            assert seg.line_kinds[i] != "blank"
    for table in seg.tables:
        assert 1 <= table.start_line <= table.end_line <= n
        for row in table.rows:
            for cell in row.cells:
                assert 1 <= cell.line_no <= n
    # every non-blank character of a table line is in some cell of that table (nothing dropped)
    for table in seg.tables:
        cell_text = "".join(c.text for row in table.rows for c in row.cells)
        for k in range(table.start_line - 1, table.end_line):
            for ch in lines[k].replace("|", "").replace("-", "").replace(":", ""):
                if not ch.isspace():
                    assert ch in cell_text, (k, lines[k], table.layout)


# ------------------------------------------------------------------ the reader's fast helpers
# Each is checked against its plain definition (a loop over characters), on texts made of the marks
# it looks for: a speed-up that changes an answer fails here before it changes a fact.

from loaders.reader.context import CLAUSE_STOPS, LIST_STOPS, Sentence  # noqa: E402
from loaders.reader.figure_passes import uncovered  # noqa: E402
from loaders.reader.vocab_index import Hit, Hits, Index, compact  # noqa: E402

marked_text = st.text(alphabet="收入支出万元12.()“” \u3000、,;:。" + LIST_STOPS, max_size=60)


@SETTINGS
@given(marked_text)
def test_sentence_marks_are_the_characters_they_name(text):
    s = Sentence.read(text, 0)
    assert s.list_stops == [i for i, ch in enumerate(text) if ch in LIST_STOPS]
    assert s.clause_stops == [i for i, ch in enumerate(text) if ch in CLAUSE_STOPS]
    assert s.segment_stops == [i for i, ch in enumerate(text) if ch == ";"]
    assert [s.depth_at(i) for i in range(len(text) + 1)] == \
        [text[:i].count("(") - text[:i].count(")") for i in range(len(text) + 1)]
    assert [s.next_close(i) for i in range(len(text))] == [text.find(")", i) for i in range(len(text))]


@SETTINGS
@given(marked_text)
def test_compact_drops_quotes_and_spaces_and_maps_back(text):
    kept, where = compact(text)
    plain = [(i, ch) for i, ch in enumerate(text) if not (ch.isspace() or ch in "\"'“”‘’")]
    assert kept == "".join(ch for _, ch in plain) and where == [i for i, _ in plain]


spans = st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), max_size=6)


@SETTINGS
@given(marked_text, st.integers(0, 30), st.integers(0, 30), spans)
@example("1万", 0, 3, [(2, 1)])  # a hit whose end is before its start covers nothing (found by this test)
def test_uncovered_keeps_the_han_characters_no_hit_covers(text, start, end, cover):
    hits = [Hit(a, b, "item", "x", "") for a, b in cover]
    covered = {i for h in hits for i in range(h.start, h.end)}
    assert uncovered(text, start, end, hits) == "".join(
        ch for i, ch in enumerate(text) if start <= i < end and i not in covered and "\u4e00" <= ch <= "\u9fff")


@SETTINGS
@given(st.lists(st.tuples(st.integers(0, 20), st.integers(1, 6), st.sampled_from("abc")), max_size=12),
       st.integers(0, 25), st.integers(0, 25), st.sampled_from([None, "a", ("a",), ("a", "b"), ("c", "a", "b"), "z"]))
def test_window_hits_are_the_hits_inside_in_end_order(raw, start, end, kinds):
    hits = [Hit(a, a + n, kind, "w" * n, "") for a, n, kind in raw]
    wanted = {kinds} if isinstance(kinds, str) else set(kinds or "abc")
    inside = sorted((h for h in hits if h.kind in wanted and h.start >= start and h.end <= end),
                    key=lambda h: (h.end, -h.length))
    assert sorted(Hits(hits).within(start, end, kinds), key=lambda h: (h.end, -h.length, h.kind, h.start)) == \
        sorted(inside, key=lambda h: (h.end, -h.length, h.kind, h.start))
    assert [(h.end, -h.length) for h in Hits(hits).within(start, end, kinds)] == [(h.end, -h.length) for h in inside]


@SETTINGS
@given(marked_text, st.integers(1, 30))
def test_the_han_sample_is_the_first_han_characters_of_the_text_head(text, n):
    assert han_sample(text, n) == "".join(ch for ch in text[: n * 3] if is_han(ch))[:n]


# words nested in each other (a word inside a longer one, two words ending where a third does) and
# one word listed under two kinds: the automaton's report order must be the order Hits keeps
NESTED_WORDS = [("支出", "item", "a"), ("基本支出", "item", "b"), ("本支", "basis_word", "c"), ("出", "x", "d"),
                ("支出", "scheme", "e"), ("收入", "item", "f"), ("入支", "x", "g")]
nested_text = st.text(alphabet="基本支出收入 “”,", max_size=40)


@SETTINGS
@given(nested_text)
def test_the_automaton_reports_hits_in_the_order_hits_keep(text):
    found = Index(NESTED_WORDS).hits(text).all
    assert found == sorted(found, key=lambda h: (h.end, -h.length))
    assert found == Hits(list(found)).all  # sorting them again changes nothing


@SETTINGS
@given(marked_text)
def test_a_text_read_again_gives_the_same_marks_and_fresh_state(text):
    first, again = Sentence.read(text, 0), Sentence.read(text, 5)
    assert (again.tokens, again.clause_stops, again.list_stops, again.segment_stops) == \
        (first.tokens, first.clause_stops, first.list_stops, first.segment_stops)
    assert again.offset == 5 and again.hits.all == first.hits.all
    first.statements.append(None)
    first.memo["k"] = 1
    assert again.statements == [] and again.memo == {} and again.figures == {}
    assert again.window_hits(0, len(text), None) == again.hits.within(0, len(text), None)


@SETTINGS
@given(st.text(alphabet=[chr(i) for i in range(0, 40)] + ["收", "\u3000"], max_size=80), st.integers(0, 90))
def test_control_characters_are_counted_as_their_plain_definition(text, head):
    assert count_control_chars(text, head) == sum(1 for ch in text[:head] if ord(ch) < 32 and ch not in "\t\r\n\f")
