"""The statement reader: every printed figure with its subject, modifiers, parts and provenance.

``read_statements`` runs the prose passes (``prose.py``) and the table passes over a segmented
document and returns the statements (rows of ``raw.mentions``) with the tables and cells.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..identify import Identity
from ..lexicon import load_lexicon
from ..segment import Segmentation
from .. import vocabulary as vocab
from .context import DocumentContext
from .prose import read_prose
from .tables import read_tables
from .statement import Statement

__all__ = ["read_statements", "Statement", "document_context"]


def project_from_title(lines: list[str]) -> str | None:
    """The project a project self-evaluation names in its title (…补助经费转移支付2023年度绩效自评报告)."""
    seen = 0
    for line in lines:
        text = line.strip().lstrip("#").strip()
        if not text:
            continue
        seen += 1
        if seen > 8:
            break
        if len(text) > 80:
            continue
        m = vocab.search_any("project_title_pattern", text.replace(" ", ""))
        if m:
            return m.group("name")
    return None


def document_context(lines: list[str], ident: Identity) -> DocumentContext:
    head = " ".join(line for line in lines[:3] if line.strip())
    three_public = any(w in head for w in vocab.words("three_public_cue"))
    return DocumentContext(ident.unit_name, ident.document_kind, project_from_title(lines), three_public)


@dataclass
class Extraction:
    """What the reader writes to raw: statements (raw.mentions), tables and their cells."""
    mentions: list[Statement]
    tables: list[dict]
    cells: list[dict]


def read_statements(lines: list[str], seg: Segmentation, ident: Identity) -> Extraction:
    lexicon = load_lexicon()
    document = document_context(lines, ident)
    prose = read_prose(lines, seg, document, 1, lexicon)
    tables = read_tables(seg, document, lexicon, len(prose) + 1)
    return Extraction(prose + tables.statements, tables.tables, tables.cells)
