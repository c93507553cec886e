"""Words the extractor needs to read context: scheme names, scope words, basis and year words.

Every word list is data (``seeds/vocab_reader.csv``, declared in ``seeds/vocab_lists.csv``, read
through ``loaders.vocabulary``); scheme names come from the glossary seed (domain ``si_scheme``)
plus ``seeds/label_aliases.csv``, so a new alias is added in one place and both the loader and dbt
see it. The loader only records *which words it found*; codes are assigned in dbt.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import vocabulary as vocab
from .normalize import FULLWIDTH_OPEN

SEEDS_DIR = vocab.SEEDS_DIR

BASIS_WORDS = list(vocab.pairs("basis_word"))
ITEM_YEAR_PHRASES = list(vocab.words("item_year_phrase"))
BUDGET_NAME_PHRASES = list(vocab.words("budget_name_phrase"))
PRIOR_YEAR_WORDS = list(vocab.by_value("year_word")["prior"])
CURRENT_YEAR_WORDS = list(vocab.by_value("year_word")["current"])
SCOPE_WORDS = list(vocab.words("scope_word"))
CHANGE_UP = list(vocab.by_value("change_word")["increase"])
CHANGE_DOWN = list(vocab.by_value("change_word")["decrease"])
QUALIFIERS = {kind: list(ws) for kind, ws in vocab.by_value("qualifier").items()}
SUBGROUP_WORDS = list(vocab.words("subgroup_word"))
PART_PATTERN = vocab.pattern("fund_part_word").pattern  # the table path still takes one regular expression
STATUS_WORDS = list(vocab.pairs("status_word"))


@dataclass(frozen=True)
class Lexicon:
    scheme_pattern: re.Pattern[str]
    scheme_aliases: tuple[str, ...]
    generic_schemes: frozenset[str] = frozenset()  # aliases of si_all_funds: 社保基金, 基本养老保险 …
    scheme_codes: tuple[tuple[str, str], ...] = ()  # (alias, code), to tell 工伤 and 工伤保险 are one scheme

    def scheme_code(self, alias: str | None) -> str | None:
        return dict(self.scheme_codes).get(alias) if alias else None


def _read_csv(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@lru_cache(maxsize=1)
def load_lexicon(seeds_dir: Path = SEEDS_DIR) -> Lexicon:
    aliases: set[str] = set()
    generic: set[str] = set()
    rows = [(r["code"], [r["label_zh"].split(FULLWIDTH_OPEN)[0]] + [a for a in r["aliases_zh"].split("|") if a])
            for r in _read_csv(seeds_dir / "glossary_items.csv") if r["domain"] == "si_scheme"]
    rows += [(r["code"], [r["alias"]]) for r in _read_csv(seeds_dir / "label_aliases.csv") if r["domain"] == "si_scheme"]
    for code, names in rows:
        aliases.update(names)
        if code == "si_all_funds":
            generic.update(names)
    ordered = tuple(sorted(aliases, key=len, reverse=True))
    pattern = re.compile("|".join(re.escape(a) for a in ordered)) if ordered else re.compile(r"(?!)")
    codes = tuple((name, code) for code, names in rows for name in names)
    return Lexicon(pattern, ordered, frozenset(generic), codes)
