"""The reader's passes by name, run in the order ``seeds/reader_passes.csv`` gives.

The order is data (the dateparser ``PARSERS`` convention): a pass is added by writing its function
here and a row there; ``tests/test_reader_passes.py`` checks that both lists agree.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from typing import Callable

from ..vocabulary import SEEDS_DIR
from . import figure_passes as fp
from . import sentence_passes as sp
from . import table_passes as tp

FIGURE_PASSES: dict[str, Callable] = {
    "resolve_unit": fp.resolve_unit,
    "classify_role": fp.classify_role,
    "subject_by_occurrence": fp.subject_by_occurrence,
    "read_basis": fp.read_basis,
    "read_year": fp.read_year,
    "read_status_and_qualifier": fp.read_status_and_qualifier,
    "read_scope": fp.read_scope,
    "read_fund_part": fp.read_fund_part,
    "read_scheme": fp.read_scheme,
    "read_fund_source": fp.read_fund_source,
    "read_sub_unit": fp.read_sub_unit,
    "read_project": fp.read_project,
    "table_unit": tp.table_unit,
    "read_column": tp.read_column,
    "subject_from_header": tp.subject_from_header,
    "basis_from_column": tp.basis_from_column,
    "year_from_column": tp.year_from_column,
    "scheme_from_parent_row": tp.scheme_from_parent_row,
}
SENTENCE_PASSES: dict[str, Callable] = {
    "distribute_lists": sp.distribute_lists,
    "nest_lists": sp.nest_lists,
    "classes_in_lists": sp.classes_in_lists,
    "inherit_from_parent": sp.inherit_from_parent,
    "whole_of_schemes": sp.whole_of_schemes,
    "kinds_of_counts": sp.kinds_of_counts,
    "subordinates_topic": sp.subordinates_topic,
    "qualify_by_funding": sp.qualify_by_funding,
    "carry_subject": sp.carry_subject,
    "relate_to_level": sp.relate_to_level,
    "hint_context": sp.hint_context,
}
PASSES_FILE = SEEDS_DIR / "reader_passes.csv"


@lru_cache(maxsize=1)
def pass_order() -> tuple[tuple[str, str, str], ...]:
    """(name, level, applies_to) in the order they run; level is figure or sentence."""
    with PASSES_FILE.open(encoding="utf-8", newline="") as fh:
        return tuple((r["pass"], r["level"], r["applies_to"]) for r in csv.DictReader(fh))


def _chosen(level: str, source: str) -> list[Callable]:
    registry = FIGURE_PASSES if level == "figure" else SENTENCE_PASSES
    return [registry[name] for name, lv, applies in pass_order() if lv == level and applies in (source, "both")]


@lru_cache(maxsize=4)
def figure_passes(source: str) -> tuple[Callable, ...]:
    return tuple(_chosen("figure", source))


@lru_cache(maxsize=4)
def sentence_passes(source: str) -> tuple[Callable, ...]:
    return tuple(_chosen("sentence", source))
