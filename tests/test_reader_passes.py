"""The statement reader, pass by pass: one case file of invented phrasings per pass
(tests/cases/reader/<pass>.jsonl: {text, expect: [{value, field: expected …}], unit?, note?}), and
the pass order in seeds/reader_passes.csv naming exactly the passes the code has."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from loaders.identify import Identity
from loaders.normalize import normalize_lines
from loaders.reader import passes, read_statements, vocab_index
from loaders.segment import segment

CASES = Path(__file__).resolve().parent / "cases" / "reader"


def read(text: str, unit: str | None = None):
    lines, _ = normalize_lines(text.split("\n"))
    ident = Identity(unit, None, None, None, None, None, None, [])
    return [m for m in read_statements(lines, segment(lines), ident).mentions if m.number_kind == "value"]


def case_params():
    for path in sorted(CASES.glob("*.jsonl")):
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if line.strip():
                yield pytest.param(json.loads(line), id=f"{path.stem}:{i}")


def field_of(m, name: str, by_id: dict):
    if name == "has_parent":
        return m.parent_mention_id is not None
    if name == "related_to":
        related = by_id.get(m.related_mention_id)
        return related.value if related is not None else None
    value = getattr(m, name)
    return value if value != "" or name != "item_text" else ""


@pytest.mark.parametrize("case", case_params())
def test_phrasing(case):
    statements = read(case["text"], case.get("unit"))
    by_id = {m.mention_id: m for m in statements}
    for expected in case["expect"]:
        matches = [m for m in statements if abs(m.value - expected["value"]) < 1e-9]
        assert matches, f"no statement of {expected['value']} in {case['text']!r}"
        m = matches[expected.get("nth", 0)]
        for name, want in expected.items():
            if name in ("value", "nth"):
                continue
            got = field_of(m, name, by_id)
            assert got == want, f"{name}: got {got!r}, want {want!r} — {case['text']!r} ({case.get('note', '')})"


def test_every_pass_has_a_case_file():
    names = {name for name, _, _ in passes.pass_order()}
    assert names == {p.stem for p in CASES.glob("*.jsonl")}


def test_pass_order_names_exactly_the_passes_in_code():
    declared = [(name, level) for name, level, _ in passes.pass_order()]
    in_code = [(n, "figure") for n in passes.FIGURE_PASSES] + [(n, "sentence") for n in passes.SENTENCE_PASSES]
    assert sorted(declared) == sorted(in_code)
    assert len({n for n, _ in declared}) == len(declared)


def test_reading_is_linear_in_the_length_of_a_sentence():
    """A sentence with no full stop costs time proportional to its length, not its square: the
    vocabulary is found once per sentence and each figure looks only at a window of it."""
    import time

    def cost(n: int) -> float:
        """The fastest of three readings: a shared machine only ever adds time to a run."""
        text = "，".join(f"某项支出{i}.5万元" for i in range(n))
        times = []
        for _ in range(3):
            vocab_index.index()._cache.clear()  # each reading finds the vocabulary again
            start = time.perf_counter()
            read(text)
            times.append(time.perf_counter() - start)
        return min(times)

    cost(200)  # warm the vocabulary
    small, large = cost(1000), cost(4000)
    assert large < 8 * small, (small, large)  # 4× the text: about 4× the time (16× if quadratic)
