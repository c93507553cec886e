"""Unit identity (单位识别) on invented texts: one case per phrasing in tests/cases/identify_cases.jsonl,
read the way the loader reads a document (normalised lines, then identify)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from loaders import identify as ident
from loaders.normalize import normalize_lines

CASES_FILE = Path(__file__).resolve().parent / "cases" / "identify_cases.jsonl"
CASES = [json.loads(line) for line in CASES_FILE.read_text(encoding="utf-8").splitlines() if line.strip()]


def identify_text(text: str) -> ident.Identity:
    lines, _ = normalize_lines(text.split("\n"))
    return ident.identify(lines)


@pytest.mark.parametrize("case", CASES, ids=[c["rule"] for c in CASES])
def test_identify_case(case):
    found = identify_text(case["text"])
    assert found.unit_name == case["expected_unit"], (found.unit_name, found.name_candidates)
    if "expected_parent" in case:
        assert found.parent_department == case["expected_parent"]
    if "expected_year" in case:
        assert found.report_year == case["expected_year"]
    if "expected_kind" in case:
        assert found.document_kind == case["expected_kind"], found.title


def test_every_case_is_well_formed():
    assert len(CASES) >= 20
    for case in CASES:
        assert set(case) <= {"rule", "text", "expected_unit", "expected_parent", "expected_year", "expected_kind"}, case
        assert case["rule"] and case["text"], case
    assert len({c["rule"] for c in CASES}) == len(CASES), "each phrasing once"


def test_a_document_without_a_name_gets_none_and_no_candidates():
    found = identify_text("一、基本情况\n全年支出合计120万元。")
    assert found.unit_name is None and found.unit_name_source is None and found.name_candidates == []


def test_short_names_of_national_bodies_become_their_full_names():
    for short, full in ident.patterns().aliases.items():
        assert ident.canonical(short) == full
        assert ident.is_national(full), f"{full} (the full name of {short}) is not a listed national body"


def test_identify_reads_its_words_from_the_vocabulary_only():
    """No Chinese word or punctuation in identify.py's code (comments and docstrings may quote them)."""
    source = Path(ident.__file__).read_text(encoding="utf-8")
    code = re.sub(r'"""[\s\S]*?"""', "", source)
    code = "\n".join(line.split("#", 1)[0] for line in code.splitlines())
    assert not re.search(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]", code)
