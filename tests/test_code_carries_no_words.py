"""Mechanisms in code, vocabulary in data: the loaders' code holds no Chinese string (a word, a pattern
or a message) — words are rows of seeds/vocab_*.csv, messages rows of loaders/messages.csv — and every
message the code asks for is a row there. Comments and docstrings may quote Chinese: they run nowhere."""

import ast
import csv
import re
from pathlib import Path

import pytest

from loaders import vocabulary
from loaders.messages import MESSAGES_FILE

ROOT = Path(__file__).resolve().parent.parent
CODE = sorted((ROOT / "loaders").glob("*.py")) + sorted((ROOT / "loaders" / "reader").glob("*.py"))
CJK = re.compile(r"[\u4e00-\u9fff]")
# the script's own punctuation and full-width forms printed in code (。、（）): the marks a report's text
# keeps after NFKC are vocabulary too (lists sentence_stop, list_stop); code names a mark by its escape
# only where it is the script's mechanism (a full-width space is whitespace)
CJK_MARK = re.compile(r"[\u3000-\u303f\uff00-\uffef]")
# the bounds of the block itself, written as escapes ("\u4e00" <= ch <= "\u9fff"): a character class, a
# mechanism like \d, no word
BLOCK_BOUNDS = str.maketrans("", "", "\u4e00\u9fff")


def _documentation(tree: ast.AST) -> set[int]:
    """ids of the string constants that are statements on their own (docstrings): they never run."""
    return {id(node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)}


@pytest.mark.parametrize("path", CODE, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_chinese_string_in_loader_code(path):
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    docs = _documentation(tree)
    found = [f"{path.name}:{node.lineno}: {node.value[:60]!r}" for node in ast.walk(tree)
             if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs
             and (CJK.search(node.value.translate(BLOCK_BOUNDS))
                  or CJK.search(ast.get_source_segment(source, node) or "")  # 一 printed is a word
                  or CJK_MARK.search(ast.get_source_segment(source, node) or ""))]
    assert found == [], "a word belongs in seeds/vocab_*.csv, a message in loaders/messages.csv:\n" + "\n".join(found)


def _message_table() -> list[dict[str, str]]:
    with MESSAGES_FILE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_messages_file_is_one_row_per_key_with_unix_line_ends():
    raw = MESSAGES_FILE.read_bytes()
    assert b"\r" not in raw and raw.endswith(b"\n")  # csv.writer's default \r\n once broke the dbt seeds
    rows = _message_table()
    keys = [r["key"] for r in rows]
    assert len(keys) == len(set(keys)), sorted(k for k in keys if keys.count(k) > 1)
    assert all(r["en"] and r["zh"] and CJK.search(r["zh"]) for r in rows), [r["key"] for r in rows if not r["zh"]]


def test_every_message_the_code_asks_for_exists():
    keys = {r["key"] for r in _message_table()}
    asked = set()
    for path in CODE + sorted((ROOT / "jixiao").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "message" and node.args \
                    and isinstance(node.args[0], ast.Constant):
                asked.add(node.args[0].value)
    assert asked and asked <= keys, sorted(asked - keys)


def test_an_undeclared_word_list_is_refused_in_both_languages():
    with pytest.raises(vocabulary.VocabularyError,
                       match=r"^word list 'no_such_list' is not declared in seeds/vocab_lists\.csv \(未声明的词表\)$"):
        vocabulary.rows("no_such_list")
