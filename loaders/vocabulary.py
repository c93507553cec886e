"""The reader's vocabulary: every word list the loaders use, read from data files that dbt reads too.

Word lists live in ``seeds/vocab_*.csv`` (columns ``list, word, value, note``), one row per wording,
and every list is declared once in ``seeds/vocab_lists.csv`` (``list, kind, values, description``):
- ``kind`` ``literal``: ``word`` is a surface matched as printed (after normalisation);
  ``regex``: ``word`` is a regular expression (several rows of one list are alternatives);
- ``values``: what ``value`` may hold — empty (no value), ``any``, ``int`` or ``a;b;c`` (one of these).
Both files are dbt seeds (schema ``reference``), so SQL reads the same words the loader does.
Adding a wording is one row; ``tests/test_vocabulary.py`` validates every file (the dateparser way).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

from .messages import message

SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"
LISTS_FILE = "vocab_lists.csv"


class VocabularyError(ValueError):
    """A vocabulary file breaks its declaration (unknown list, bad regex, value not allowed …)."""


@dataclass(frozen=True)
class ListSpec:
    name: str
    kind: str  # literal | regex
    values: str  # '' | any | int | a;b;c
    description: str


@dataclass(frozen=True)
class Entry:
    list: str
    word: str
    value: str
    note: str
    file: str
    line: int


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@lru_cache(maxsize=4)
def specs(seeds_dir: Path = SEEDS_DIR) -> dict[str, ListSpec]:
    rows = _read(seeds_dir / LISTS_FILE)
    return {r["list"]: ListSpec(r["list"], r["kind"], r.get("values") or "", r.get("description") or "") for r in rows}


@lru_cache(maxsize=4)
def entries(seeds_dir: Path = SEEDS_DIR) -> tuple[Entry, ...]:
    found: list[Entry] = []
    for path in sorted(seeds_dir.glob("vocab_*.csv")):
        if path.name == LISTS_FILE:
            continue
        for i, row in enumerate(_read(path), start=2):
            found.append(Entry(row["list"], row["word"], row.get("value") or "", row.get("note") or "", path.name, i))
    return tuple(found)


@lru_cache(maxsize=None)
def rows(list_name: str) -> tuple[Entry, ...]:
    if list_name not in specs():
        raise VocabularyError(message("vocab_list_undeclared", name=list_name, file=LISTS_FILE))
    return tuple(e for e in entries() if e.list == list_name)


@lru_cache(maxsize=None)  # the reader asks for the same lists for every figure: derive each once (rows is cached)
def words(list_name: str) -> tuple[str, ...]:
    """The list's words in file order."""
    return tuple(e.word for e in rows(list_name))


@lru_cache(maxsize=None)
def pairs(list_name: str) -> tuple[tuple[str, str], ...]:
    """(word, value) in file order."""
    return tuple((e.word, e.value) for e in rows(list_name))


def mapping(list_name: str) -> Mapping[str, str]:
    """word → value (the first row wins for a repeated word); read-only, built once per list."""
    return _mapping(list_name)


@lru_cache(maxsize=None)
def _mapping(list_name: str) -> Mapping[str, str]:
    out: dict[str, str] = {}
    for word, value in pairs(list_name):
        out.setdefault(word, value)
    return MappingProxyType(out)


def by_value(list_name: str) -> dict[str, tuple[str, ...]]:
    """value → its words, in file order."""
    out: dict[str, list[str]] = {}
    for word, value in pairs(list_name):
        out.setdefault(value, []).append(word)
    return {k: tuple(v) for k, v in out.items()}


@lru_cache(maxsize=None)
def pattern(list_name: str) -> re.Pattern[str]:
    """One compiled alternation: literal words longest first (escaped), or the list's regex rows in order."""
    spec = specs()[list_name] if list_name in specs() else None
    entries_ = rows(list_name)
    if spec is not None and spec.kind == "regex":
        parts = [f"(?:{e.word})" for e in entries_]
    else:
        parts = [re.escape(w) for w in sorted({e.word for e in entries_}, key=len, reverse=True)]
    return re.compile("|".join(parts)) if parts else re.compile(r"(?!)")


@lru_cache(maxsize=None)
def compiled(list_name: str) -> tuple[re.Pattern[str], ...]:
    """Each regex row of a list compiled on its own (rows may reuse group names)."""
    return tuple(re.compile(e.word) for e in rows(list_name))


def search_any(list_name: str, text: str) -> re.Match[str] | None:
    """The first row of a regex list that matches somewhere in text (rows in file order)."""
    for pat in compiled(list_name):
        m = pat.search(text)
        if m:
            return m
    return None


def validate(seeds_dir: Path = SEEDS_DIR) -> list[str]:
    """Every problem in the vocabulary files, as readable lines (empty when all is well)."""
    problems: list[str] = []
    declared = specs(seeds_dir)
    for name, spec in declared.items():
        if spec.kind not in ("literal", "regex"):
            problems.append(f"{LISTS_FILE}: list {name} has kind {spec.kind!r} (literal or regex)")
        if not spec.description:
            problems.append(f"{LISTS_FILE}: list {name} has no description")
    seen: set[tuple] = set()
    used: set[str] = set()
    for e in entries(seeds_dir):
        where = f"{e.file}:{e.line}"
        spec = declared.get(e.list)
        if spec is None:
            problems.append(f"{where}: list {e.list!r} is not declared in {LISTS_FILE}")
            continue
        used.add(e.list)
        if not e.word:
            problems.append(f"{where}: empty word in list {e.list}")
        if e.word != e.word.strip():
            problems.append(f"{where}: word {e.word!r} has leading or trailing spaces")
        key = (e.list, e.word, e.value) if spec.values == "any" else (e.list, e.word)
        if key in seen:
            problems.append(f"{where}: {e.word!r} appears twice in list {e.list}")
        seen.add(key)
        if spec.kind == "regex":
            try:
                re.compile(e.word)
            except re.error as exc:
                problems.append(f"{where}: bad regular expression {e.word!r} in list {e.list}: {exc}")
        problems.extend(f"{where}: {p}" for p in _value_problems(spec, e.value))
    problems.extend(f"{LISTS_FILE}: list {n} is declared but has no words" for n in declared if n not in used)
    return problems


def _value_problems(spec: ListSpec, value: str) -> list[str]:
    if spec.values == "":
        return [f"list {spec.name} takes no value, got {value!r}"] if value else []
    if spec.values == "any":
        return [] if value else [f"list {spec.name} needs a value"]
    if spec.values == "int":
        return [] if re.fullmatch(r"-?\d+", value) else [f"list {spec.name} needs an integer value, got {value!r}"]
    allowed = spec.values.split(";")
    return [] if value in allowed else [f"list {spec.name}: value {value!r} is not one of {allowed}"]
