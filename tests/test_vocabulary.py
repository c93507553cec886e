"""Every vocabulary file obeys its declaration (seeds/vocab_lists.csv): known lists, valid regular
expressions, allowed values, no repeated or padded words — and the validator catches each breach."""

import shutil
from pathlib import Path

import pytest

from loaders import vocabulary

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def test_every_vocabulary_file_is_valid():
    assert vocabulary.validate() == []


@pytest.mark.parametrize("row,problem", [
    ("no_such_list,词,,", "not declared"),
    ("basis_word,预算数,预算,", "appears twice"),
    ("basis_word,某词,不存在的值,", "is not one of"),
    ("year_pattern,(未闭合,,", "bad regular expression"),
    ("scope_word, 全省,,", "leading or trailing spaces"),
])
def test_the_validator_catches_each_kind_of_breach(tmp_path, row, problem):
    for path in SEEDS.glob("vocab_*.csv"):
        shutil.copy(path, tmp_path / path.name)
    with (tmp_path / "vocab_broken.csv").open("w", encoding="utf-8") as fh:
        fh.write("list,word,value,note\n" + row + "\n")
    vocabulary.specs.cache_clear()
    vocabulary.entries.cache_clear()
    try:
        problems = vocabulary.validate(tmp_path)
    finally:
        vocabulary.specs.cache_clear()
        vocabulary.entries.cache_clear()
    assert any(problem in p for p in problems), problems


def test_the_reader_cuts_clauses_and_lists_at_the_marks_the_vocabulary_lists():
    """。 and 、 have no ASCII form after NFKC: the reader takes them from lists sentence_stop and list_stop."""
    from loaders.reader.context import CLAUSE_STOPS, LIST_STOPS, SENTENCE_END
    sentence_marks, list_marks = set(vocabulary.words("sentence_stop")), set(vocabulary.words("list_stop"))
    assert sentence_marks and list_marks
    assert sentence_marks <= set(SENTENCE_END) <= set(CLAUSE_STOPS)
    assert list_marks <= set(LIST_STOPS) and not list_marks & set(CLAUSE_STOPS)  # a list mark cuts no clause
