"""Bilingual messages of the loaders, kept as data (messages.csv: key, en, zh) so that the code
carries no Chinese text (the house rule). ``message(key, **fields)`` gives "English (中文)", the form
every reason in raw.load_errors takes."""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

MESSAGES_FILE = Path(__file__).with_name("messages.csv")


@lru_cache(maxsize=1)
def _table() -> dict[str, tuple[str, str]]:
    with MESSAGES_FILE.open(encoding="utf-8", newline="") as handle:
        return {row["key"]: (row["en"], row["zh"]) for row in csv.DictReader(handle)}


def message(key: str, **fields) -> str:
    """The message ``key`` with its fields filled in: English, then the Chinese in parentheses."""
    english, chinese = _table()[key]
    return f"{english.format(**fields)} ({chinese.format(**fields)})"
