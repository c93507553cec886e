"""Links from any page of the site to the line a figure came from, with the figure's characters marked.

A link is ``documents/<document_id>.html?m=<start>-<end>#L<line>`` relative to the page: the fragment
scrolls to the line (and CSS ``:target`` highlights it even without scripts); ``m`` names the
characters of the figure in the line's normalised text (code points, counted from 0), which the
document page's script wraps in ``<mark>``. The spans come from ``raw.mentions``: a narrative mention
knows its ``char_start``; a table mention only its cell, so it is found in its row's line by text,
the n-th occurrence for the n-th cell of that text.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Iterable, Optional

# a figure printed in 元 (or 亿元) stands in the marts in 万元; compare at these scales
SCALES = (1.0, 1e-4, 1e4)


class SiteLinks:
    def __init__(self, lines: dict[tuple[str, int], str], mentions: Iterable[tuple], cells: Iterable[tuple] = (),
                 prefix: str = "../"):
        """lines: (document_id, line) → normalised text; mentions: (document_id, line, char_start,
        value_text, value, source_kind, table_id, row_idx) in reading order; cells: (document_id, line,
        table_id, row_idx) of every table cell; prefix: from the page's folder to the site's root."""
        self.lines = lines
        self.prefix = prefix
        self.spans: dict[tuple[str, int], list[tuple[int, int, float]]] = defaultdict(list)
        # a table fact cites its row's first line; where a row's cells stand on lines of their own (a
        # Word table flattened to text) its figure is on a later line of the same row
        self.row_at: dict[tuple[str, int], tuple] = {}
        self.row_lines: dict[tuple, list[int]] = defaultdict(list)
        seen: dict[tuple[str, int, str], int] = defaultdict(int)
        for document_id, line, start, text, value, kind, table_id, row_idx in mentions:
            key = (document_id, line)
            if kind != "narrative":  # a table cell: its n-th occurrence in the row's line
                start = _nth(lines.get(key, ""), text or "", seen[(document_id, line, text)])
                seen[(document_id, line, text)] += 1
            if start is not None and start >= 0 and text and value is not None:
                self.spans[key].append((start, start + len(text), float(value)))
        for document_id, line, table_id, row_idx in cells:
            row = (document_id, table_id, row_idx)
            self.row_at.setdefault((document_id, line), row)
            self.row_lines[row].append(line)

    def at(self, prefix: str) -> "SiteLinks":
        """The same links for pages in another folder."""
        other = SiteLinks.__new__(SiteLinks)
        other.__dict__.update(self.__dict__, prefix=prefix)
        return other

    def figure_line(self, document_id: str, line: int, value: Any) -> int:
        """The line that prints the figure: the cited line, or a later line of the same table row."""
        if self.marks(document_id, line, value):
            return line
        row = self.row_at.get((document_id, line))
        for other in sorted(self.row_lines.get(row, ())) if row else ():
            if other > line and self.marks(document_id, other, value):
                return other
        return line

    def document(self, document_id: str) -> str:
        return f"{self.prefix}documents/{document_id}.html"

    def source(self, document_id: str, line: Optional[int] = None, value: Any = None) -> str:
        """The link to a line of a document, marking the figures of that line equal to value (a number
        or a list of numbers); the whole line when value is None or no figure of it matches."""
        href = self.document(document_id)
        if line is None:
            return href
        line = self.figure_line(document_id, int(line), value)
        marks = self.marks(document_id, line, value)
        query = "?m=" + ",".join(f"{a}-{b}" for a, b in marks) if marks else ""
        return f"{href}{query}#L{int(line)}"

    def marks(self, document_id: str, line: int, value: Any) -> list[tuple[int, int]]:
        """The character spans of the figures of a line equal to value (at the scales of SCALES)."""
        wanted = [v for v in (value if isinstance(value, (list, tuple)) else [value]) if _number(v) is not None]
        if not wanted:
            return []
        return [(a, b) for a, b, v in self.spans.get((document_id, line), [])
                if any(_same(v * scale, _number(w)) for w in wanted for scale in SCALES)]


def _number(v: Any) -> Optional[float]:
    try:
        return None if v is None or isinstance(v, bool) else float(v)
    except (TypeError, ValueError):
        return None


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


def _nth(text: str, needle: str, n: int) -> Optional[int]:
    at = -1
    for _ in range(n + 1):
        at = text.find(needle, at + 1) if needle else -1
        if at < 0:
            return None
    return at
