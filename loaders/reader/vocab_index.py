"""One pass over a text finds every vocabulary word in it: glossary aliases, scheme names and the
reader's word lists (``seeds/vocab_*.csv``), overlapping matches included (an Aho-Corasick
automaton, pyahocorasick), so the passes choose among occurrences instead of re-scanning the text.

Words are matched on a *compact* view of the text — quotes and spaces removed, as the glossary's
aliases are (“三公”经费 is 三公经费; 基 本 支出 is 基本支出) — and every hit is mapped back to the
positions of the printed text, so provenance and windows stay in printed characters.
"""

from __future__ import annotations

import csv
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import ahocorasick

from .. import vocabulary as vocab
from ..normalize import FULLWIDTH_CLOSE, FULLWIDTH_OPEN

SEEDS_DIR = vocab.SEEDS_DIR
_DROPPED = re.compile(r"[\s\"'“”‘’]")
# glossary domains whose aliases name no item a figure can be about (grades, text columns)
_NOT_ITEMS = {"si_scheme", "budget_basis"}
# literal word lists that are not words to find in a text (spelling rules)
_NOT_MATCHED = {"alias_variant"}
# the unit family of a glossary uom: an alias can only name a figure of its family
_FAMILY = {"CNY": "money", "persons": "persons", "person_times": "persons", "count": "count", "vehicles": "count",
           "batches": "count", "percent": "percent", "points": "points"}


def literal_lists() -> list[str]:
    """Every declared literal word list the automaton matches."""
    return [name for name, spec in vocab.specs().items() if spec.kind == "literal" and name not in _NOT_MATCHED]


def compact(text: str) -> tuple[str, list[int]]:
    """The text without quotes and spaces, and for each kept character its position in ``text``."""
    dropped = {m.start() for m in _DROPPED.finditer(text)}
    if not dropped:  # the usual text: nothing to drop, positions unchanged
        return text, list(range(len(text)))
    where = [i for i in range(len(text)) if i not in dropped]
    return _DROPPED.sub("", text), where


def normal_surface(word: str) -> str:
    return _DROPPED.sub("", word.replace(FULLWIDTH_OPEN, "(").replace(FULLWIDTH_CLOSE, ")"))


@dataclass(frozen=True)
class Hit:
    start: int  # printed positions, end exclusive
    end: int
    kind: str  # item | scheme | a word-list name
    surface: str  # the word as listed (compact form)
    value: str  # domains of an item (a;b), the code of a scheme, the value of a list word

    @property
    def length(self) -> int:
        return len(self.surface)

    @property
    def domains(self) -> frozenset[str]:
        """An item's glossary domains (an alias may name codes of several)."""
        return _domains(self.value) if self.kind == "item" else frozenset()

    @property
    def families(self) -> frozenset[str]:
        """The unit families an item's codes are measured in (money, persons, count …)."""
        return _families(self.value) if self.kind == "item" else frozenset()


# an item's value (domain:family;…) is one of a few hundred strings, asked for on every figure: split once
@lru_cache(maxsize=None)
def _domains(value: str) -> frozenset[str]:
    return frozenset(pair.split(":")[0] for pair in value.split(";"))


@lru_cache(maxsize=None)
def _families(value: str) -> frozenset[str]:
    return frozenset(pair.split(":")[1] for pair in value.split(";") if ":" in pair)


def _read_csv(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _glossary_surfaces(seeds_dir: Path) -> list[tuple[str, str, str]]:
    """(surface, kind, value) for every glossary label and alias and every label_aliases row."""
    found: dict[tuple[str, str], set[str]] = {}
    for row in _read_csv(seeds_dir / "glossary_items.csv"):
        names = [row["label_zh"]] + [a for a in (row.get("aliases_zh") or "").split("|") if a]
        kind = "scheme" if row["domain"] == "si_scheme" else "item"
        value = row["code"] if kind == "scheme" else f"{row['domain']}:{_FAMILY.get(row['uom'], row['uom'])}"
        if row["domain"] in _NOT_ITEMS and kind == "item":
            continue
        for name in names:
            found.setdefault((normal_surface(name), kind), set()).add(value)
    uoms = {row["code"]: row["uom"] for row in _read_csv(seeds_dir / "glossary_items.csv")}
    for row in _read_csv(seeds_dir / "label_aliases.csv"):
        kind = "scheme" if row["domain"] == "si_scheme" else "item"
        value = row["code"] if kind == "scheme" else f"{row['domain']}:{_FAMILY.get(uoms.get(row['code'], ''), '')}"
        found.setdefault((normal_surface(row["alias"]), kind), set()).add(value)
    out = [(s, k, ";".join(sorted(v))) for (s, k), v in found.items() if len(s) >= 2]
    return out + [(variant, k, v) for s, k, v in out for variant in _variants(s) if (variant, k) not in found]


def _variants(surface: str) -> set[str]:
    """工资和福利支出 → 工资及福利支出: the alias in each spelling alias_variant lists."""
    return {surface.replace(a, b) for a, b in vocab.pairs("alias_variant") if a in surface} - {surface}


HITS_CACHE_SIZE = 4096  # texts whose hits are kept (per process)


class Index:
    """The automaton over every surface, and the hits of one text."""

    def __init__(self, surfaces: list[tuple[str, str, str]]):
        self.automaton = ahocorasick.Automaton()
        table: dict[str, list[tuple[str, str]]] = {}
        for surface, kind, value in surfaces:
            if surface:
                table.setdefault(surface, []).append((kind, value))
        for surface, entries in table.items():
            self.automaton.add_word(surface, (surface, tuple(entries)))
        self.automaton.make_automaton()
        self._cache: dict[str, Hits] = {}

    def hits(self, text: str) -> "Hits":
        """The hits of ``text``; a text met again (a section path, a column header, a row label) is
        answered from a bounded cache: Hits are never changed after they are built."""
        cached = self._cache.get(text)
        if cached is None:
            if len(self._cache) >= HITS_CACHE_SIZE:
                self._cache.clear()  # cheap bound; a document's repeated texts come back at once
            cached = self._cache[text] = self._scan(text)
        return cached

    def _scan(self, text: str) -> "Hits":
        ctext, where = compact(text)
        found: list[Hit] = []
        if ctext and len(self.automaton):
            for end, (surface, entries) in self.automaton.iter(ctext):
                start = end - len(surface) + 1
                for kind, value in entries:
                    found.append(Hit(where[start], where[end] + 1, kind, surface, value))
        # the automaton reports matches by end, and at one end the longest first (it follows the
        # longest match's suffix links down): already the order Hits keeps, so no sort
        return Hits(found, ordered=True)


class Hits:
    """The hits of one text, indexed by kind and ordered by end: a window query costs a binary search
    per kind plus the hits it returns, so reading stays linear in the length of the text."""

    def __init__(self, hits: list[Hit], ordered: bool = False):
        """``ordered``: the hits already come by end, and at one end the longest first."""
        self.all = hits if ordered else sorted(hits, key=lambda h: (h.end, -h.length))
        by_kind: dict[str, list[Hit]] = {}
        for h in self.all:
            by_kind.setdefault(h.kind, []).append(h)
        self._by_kind = {k: (hs, [h.end for h in hs]) for k, hs in by_kind.items()}

    def within(self, start: int, end: int, kinds: tuple[str, ...] | str | None = None) -> list[Hit]:
        """Hits lying wholly inside [start, end), of the given kinds (all kinds when None), ordered by end."""
        if isinstance(kinds, str):  # the usual call (one list): no merge, no sort
            entry = self._by_kind.get(kinds)
            if entry is None:  # most windows ask for a list the text has no word of
                return []
            hs, ends = entry
            lo, hi = bisect_left(ends, start + 1), bisect_right(ends, end)
            return [h for h in hs[lo:hi] if h.start >= start] if lo < hi else []
        chosen = self._by_kind.keys() if kinds is None else kinds
        out: list[Hit] = []
        merged = 0  # kinds that gave hits: one kind's hits are already in order
        for kind in chosen:
            entry = self._by_kind.get(kind)
            if entry is None:
                continue
            hs, ends = entry
            lo, hi = bisect_left(ends, start + 1), bisect_right(ends, end)
            if lo < hi:
                out.extend([h for h in hs[lo:hi] if h.start >= start])
                merged += 1
        if merged > 1:
            out.sort(key=lambda h: (h.end, -h.length))
        return out


@lru_cache(maxsize=2)
def index(seeds_dir: Path = SEEDS_DIR) -> Index:
    surfaces = _glossary_surfaces(seeds_dir)
    for name in literal_lists():
        for word, value in vocab.pairs(name):
            surfaces.append((normal_surface(word), name, value))
    return Index(surfaces)
