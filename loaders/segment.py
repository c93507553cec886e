"""Segment normalised lines into sections (headings) and tables.

Layouts recognised, all common in this genre:
- headings numbered 一、 / (一) / 1. 1、 / (1) / 第X部分, Markdown ``#`` headings, and 附件 blocks;
- tab-separated rows (cells split by tabs on one line);
- one-cell-per-line tables exported from Word: each cell is a line that starts with a tab,
  a cell may continue on following lines without a tab, and a blank line ends the row;
- pipe tables (Markdown or flattened web tables: ``a | b | c``, with or without the closing ``|``);
- pipe cells one a line (``城镇职工医保 |``, ``31455 |``): rows rebuilt from the header's width, or
  ended by a lone ``|`` line; with a line of pipes only (``||||||``) ending each row, a cell's
  text on lines of its own closed by a lone ``|`` (a web form flattened: 人员编制 / | / 19 / |);
- space-aligned rows (a header of words, an optional sub-header, rows of figures);
- one paragraph per cell (a Word form pasted as text: every cell a paragraph, blank cells as
  lines of (non-breaking) spaces, no row marks at all);
- a whole table flattened to one line with single spaces between cells (an xlsx or OCR export).

Nothing is dropped: every line gets a kind (blank/heading/prose/table) and a section path. Every
table is then read as a grid of rows × columns (``loaders/grid.py``). The words of headings,
captions and header rows are data (``seeds/vocab_layout.csv``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from . import vocabulary as vocab
from .grid import Cell, Row, Table, build_grid, is_figure, project_name_above, rows_from_stream, title_words
from .normalize import is_flattened_table_row, sentence_stops

__all__ = ["Cell", "Row", "Table", "Section", "Segmentation", "segment", "heading_level", "heading_title",
           "split_space_cells"]

_MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s*(.*)$")
_PURE_HEADING_MAX = 40
_NUMERIC_TOKEN = re.compile(r"^[-−]?\d[\d,]*(?:\.\d+)?%?$")


@dataclass
class Section:
    section_id: int
    level: int
    heading: str
    start_line: int
    end_line: int
    path: str


@dataclass
class Segmentation:
    line_kinds: list[str]
    line_section: list[str]  # section path per line (index = line_no - 1)
    line_table: list[int | None]
    sections: list[Section]
    tables: list[Table]


# ---------------------------------------------------------------- vocabulary

@lru_cache(maxsize=1)
def _heading_styles() -> tuple[tuple[int, re.Pattern[str]], ...]:
    return tuple((int(level), re.compile(word)) for word, level in vocab.pairs("heading_style"))


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    units = [w for w, kind in vocab.pairs("caption_uom") if kind != "percent"]
    alternation = "|".join(re.escape(u) for u in sorted(units, key=len, reverse=True))
    lead = vocab.pattern("caption_uom_lead").pattern
    stops = re.escape(sentence_stops())
    sep = "[" + re.escape("".join(vocab.words("caption_uom_separator"))) + "]"
    return {
        "uom_hint": re.compile(rf"(?:{lead})((?:{alternation})(?:{sep}(?:{alternation}))*)"),
        "header_uom": re.compile(rf"\(\s*({alternation})\s*\)"),
        "figure_with_unit": re.compile(r"\d+(?:\.\d+)?\s*(?:" + "|".join(
            re.escape(u) for u in sorted(vocab.words("caption_uom"), key=len, reverse=True)) + ")"),
        "heading_split": re.compile(rf"[{stops};]"),
        "sentence": re.compile(rf"[,{stops};]"),
        "sentence_or_colon": re.compile(rf"[,{stops};:]"),
        "space_header_word": vocab.pattern("space_header_word"),
        "heading_restart": vocab.pattern("heading_restart"),
        "caption_row": vocab.pattern("caption_row"),
    }


def _has_title_word(text: str) -> bool:
    return any(w in text for w in title_words())


# ---------------------------------------------------------------- headings

def heading_level(text: str) -> int | None:
    """
    Level of a numbered heading at the start of ``text`` (0 = 附件), or None.
    """
    stripped = text.strip()
    for level, pattern in _heading_styles():
        if pattern.match(stripped):
            return level
    return None


def heading_title(text: str) -> str:
    """The heading part of a line: the whole line when short, else its first sentence."""
    stripped = text.strip()
    first = _patterns()["heading_split"].split(stripped, maxsplit=1)[0]
    return first[:_PURE_HEADING_MAX * 2]


def _is_pure_heading(text: str) -> bool:
    stops = sentence_stops()
    stripped = text.strip().rstrip(stops)
    return len(stripped) <= _PURE_HEADING_MAX and not any(s in stripped for s in stops) \
        and not _patterns()["figure_with_unit"].search(stripped)


# ---------------------------------------------------------------- line shapes

def _is_pipe_row(text: str) -> bool:
    return text.count("|") >= 2 or (text.count("|") == 1 and text.rstrip().endswith("|"))


def _is_pipe_pair(text: str) -> bool:
    """Two cells and one pipe between them, no closing pipe: ``示例甲 | 10``."""
    stripped = text.strip()
    return stripped.count("|") == 1 and " | " in stripped and not stripped.startswith("|") and not stripped.endswith("|")


def _is_tsv_row(text: str) -> bool:
    return "\t" in text.lstrip("\t").rstrip("\t") or (text.startswith("\t") and text.count("\t") >= 2 and text.strip() != "")


def _is_cell_line(text: str) -> bool:
    return text.startswith("\t") and "\t" not in text[1:]


def _is_pipe_mark(text: str) -> bool:
    """A line of pipes only: ``|`` closes a cell (or is an empty one), ``||||`` ends a row."""
    stripped = text.strip()
    return bool(stripped) and set(stripped) == {"|"}


def _is_pipe_cell(text: str) -> bool:
    """
    One cell closed on its line: ``城镇职工医保 |``.
    """
    stripped = text.rstrip()
    return stripped.count("|") == 1 and stripped.endswith("|") and len(stripped) > 1


def _clean_cell(parts: list[str]) -> str:
    return "".join(part.strip() for part in parts).strip()


def _split_pipe(text: str) -> list[str]:
    body = text.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|"):
        body = body[:-1]
    return [c.strip() for c in body.split("|")]


# ---------------------------------------------------------------- the segmenter

def segment(lines: list[str]) -> Segmentation:
    n = len(lines)
    kinds = ["blank" if not line.strip() else "prose" for line in lines]
    line_table: list[int | None] = [None] * n
    tables: list[Table] = []

    i = 0
    paragraph_checked = 0  # lines up to here were tried as one-paragraph-per-cell tables
    while i < n:
        table, j = _read_any_table(lines, i, len(tables) + 1, paragraph_checked)
        if table is None and i >= paragraph_checked and _may_start_paragraph_cells(lines, i):
            table, j, paragraph_checked = _read_paragraph_cells(lines, i, len(tables) + 1)
        if table is not None and table.rows:
            tables.append(table)
            for k in range(table.start_line - 1, j):
                line_table[k] = table.table_id
                kinds[k] = "table" if lines[k].strip() else "blank"
            i = j
            continue
        i += 1

    sections, line_section = _sections(lines, kinds, line_table)
    for table in tables:
        table.section_path = line_section[table.start_line - 1]
        table.title, table.uom_hint = _table_context(lines, kinds, table)
        table.project_hint = project_name_above(text for _, text in lines_above(lines, kinds, table.start_line, 6))
        build_grid(table)
    return Segmentation(kinds, line_section, line_table, sections, tables)


def _read_any_table(lines: list[str], i: int, table_id: int, paragraph_checked: int) -> tuple[Table | None, int]:
    """The table that starts at line ``i`` in any layout with marks of its own (tabs, pipes, spaces)."""
    line = lines[i]
    if _is_space_header(line):
        table, j = _read_space_table(lines, i, table_id)
        if table is not None:
            return table, j
    if _is_pipe_mark(line) or _is_pipe_cell(line):
        table, j = _read_pipe_cells(lines, i, table_id)
        if table is not None:
            return table, j
    pairs = _is_pipe_pair(line) and i + 1 < len(lines) and _is_pipe_pair(lines[i + 1])
    if _is_cell_line(line) or (_is_tsv_row(line) and not _is_pipe_row(line)) \
            or (_is_pipe_row(line) and not _MARKDOWN_HEADING.match(line.strip())) or pairs:
        table, j = _read_table(lines, i, table_id)
        if table is not None:
            return table, j
    if is_flattened_table_row(line):
        table = _read_flat_line(lines, i, table_id)
        if table is not None:
            return table, i + 1
    return None, i + 1


def _sections(lines: list[str], kinds: list[str], line_table: list[int | None]) -> tuple[list[Section], list[str]]:
    """Sections: numbered or Markdown headings outside tables; a section ends where the next one of
    the same or a higher level starts."""
    n = len(lines)
    sections: list[Section] = []
    stack: list[tuple[int, str, int]] = []  # (level, heading, section_id)
    line_section = [""] * n
    for idx, line in enumerate(lines):
        if line_table[idx] is None and kinds[idx] != "blank":
            text = line.strip()
            md = _MARKDOWN_HEADING.match(text)
            level = None
            title = None
            if md:
                inner = md.group(2).strip()
                level = heading_level(inner)
                if level is None:
                    level = len(md.group(1)) - 1
                title = inner
                kinds[idx] = "heading"
            else:
                level = heading_level(text)
                if level is not None:
                    title = heading_title(text)
                    if _is_pure_heading(text):
                        kinds[idx] = "heading"
            if level is not None and title:
                while stack and stack[-1][0] >= level:
                    stack.pop()
                # A report body that restarts at 一、 after an attachment (e.g. a cover page
                # following 附件3) is no longer inside that attachment.
                if level == 1 and _patterns()["heading_restart"].match(title) and stack and stack[0][0] == 0:
                    stack.clear()
                section_id = len(sections) + 1
                stack.append((level, title, section_id))
                sections.append(Section(section_id, level, title, idx + 1, n, " > ".join(s[1] for s in stack)))
        line_section[idx] = " > ".join(s[1] for s in stack)
    for pos, sec in enumerate(sections):
        for later in sections[pos + 1:]:
            if later.level <= sec.level:
                sec.end_line = later.start_line - 1
                break
    return sections, line_section


def lines_above(lines: list[str], kinds: list[str], start_line: int, reach: int):
    """(index, text) of the ``reach`` non-empty lines above a table, nearest first, never across another table."""
    k, seen = start_line - 2, 0
    while k >= 0 and seen < reach:
        text = lines[k].strip()
        if text:
            if kinds[k] == "table":
                return
            seen += 1
            yield k, text
        k -= 1


def _table_context(lines: list[str], kinds: list[str], table: Table) -> tuple[str, str | None]:
    """
    Title and unit hint from the lines just above a table (e.g. ``金额单位：万元``).
    """
    title = ""
    uom = None
    uom_hint = _patterns()["uom_hint"]
    for k, text in lines_above(lines, kinds, table.start_line, 4):
        m = uom_hint.search(text)
        if m and uom is None:
            uom = m.group(1)
        if not title and (_has_title_word(text) or kinds[k] == "heading") and len(text) <= 60:
            title = text.lstrip("#").strip()
    if not _has_title_word(title):
        # a caption row inside the table: "部门预算项目支出绩效目标表 |"
        for row in table.rows[:4]:
            texts = [c.text for c in row.cells if c.text]
            if len(texts) == 1 and _has_title_word(texts[0]) and len(texts[0]) <= 40:
                title = texts[0]
                break
    if uom is None:
        header_uom = _patterns()["header_uom"]
        for row in table.rows[:30]:
            for cell in row.cells:
                m = uom_hint.search(cell.text) or (header_uom.search(cell.text) if len(cell.text) <= 20 else None)
                if m:
                    uom = m.group(1)
                    break
            if uom:
                break
    return title, uom


# ---------------------------------------------------------------- space-aligned rows

def _is_space_header(text: str) -> bool:
    """
    A table header flattened to words separated by spaces: 序号 项目名称 预算数 执行数 …
    """
    words = text.split()
    if len(words) < 4 or "\t" in text or "|" in text or _patterns()["sentence"].search(text):
        return False
    header_word = _patterns()["space_header_word"]
    return sum(1 for w in words if header_word.search(w)) >= 3 and not any(_NUMERIC_TOKEN.match(w) for w in words)


def _is_space_row(text: str) -> bool:
    words = text.split()
    return len(words) >= 3 and sum(1 for w in words if _NUMERIC_TOKEN.match(w)) >= 2 and "|" not in text


def split_space_cells(text: str) -> list[str]:
    """Cells of a row flattened with spaces, where an empty cell shows as two more spaces.

    "a   b" (three spaces) is a, one empty cell, b; "a b" is a, b.
    """
    cells: list[str] = []
    run = 0
    for part in text.strip().split(" "):
        if part == "":
            run += 1
            continue
        cells.extend([""] * (run // 2))
        run = 0
        cells.append(part)
    return cells


def _read_space_table(lines: list[str], start: int, table_id: int) -> tuple[Table | None, int]:
    n = len(lines)
    table = Table(table_id, "spaces", start + 1, start + 1)
    table.rows.append(Row([Cell(w, start + 1) for w in lines[start].split()], start + 1))
    i = start + 1
    # an optional sub-header of short words (中央 省级 市级 区级)
    if i < n and lines[i].split() and not _is_space_row(lines[i]) and all(len(w) <= 6 for w in lines[i].split()) \
            and not _patterns()["sentence_or_colon"].search(lines[i]):
        table.rows.append(Row([Cell(w, i + 1) for w in lines[i].split()], i + 1))
        i += 1
    data = 0
    while i < n and _is_space_row(lines[i]):
        table.rows.append(Row([Cell(c, i + 1) for c in split_space_cells(lines[i])], i + 1))
        data += 1
        i += 1
    if data < 2:
        return None, start + 1
    table.end_line = i
    return table, i


# ---------------------------------------------------------------- pipe cells one a line

def _is_value_text(text: str) -> bool:
    return bool(_NUMERIC_TOKEN.match(text.replace(" ", "")))


def _regrid_cell_list(table: Table) -> None:
    """
    A pipe table written one cell a line (城镇职工医保 |, 31455 |, …): rebuild its rows.

    The header is the run of text cells before the first figure, less the first data row's label;
    the rows are then chunks of the header's width. When the figures that follow the header are as
    many as its cells and have no label (中央 | 自治区 | 县 | 合计, then 416元 | 73元 | …), they are
    one row under it.
    """
    cells = [row.cells[0] if row.cells else Cell("", row.line_no) for row in table.rows]
    texts = [c.text for c in cells]
    first_value = next((k for k, t in enumerate(texts) if _is_value_text(t)), None)
    if first_value is None or first_value < 3:
        first_figure = next((k for k, t in enumerate(texts) if is_figure(t)), None)
        if first_figure is not None and first_figure >= 3:
            _regrid_label_less(table, cells, first_figure)
        return
    if _regrid_by_width(table, cells, texts, first_value):
        return
    _regrid_label_less(table, cells, first_value)


def _regrid_by_width(table: Table, cells: list[Cell], texts: list[str], first_value: int) -> bool:
    """Rows as chunks of the header's width (the header: text cells before the first figure, less
    the first row's label). True when at least a header and two rows came out."""
    start = first_value - 1
    uom_hint = _patterns()["uom_hint"]
    while start > 0 and texts[start - 1] and not uom_hint.search(texts[start - 1]):
        start -= 1
    width = first_value - 1 - start
    if width < 2:
        return False
    rows = [Row(cells[start:first_value - 1], cells[start].line_no)]
    k = first_value - 1
    while k + width <= len(cells):
        chunk = cells[k:k + width]
        label, values = chunk[0].text, [c.text for c in chunk[1:]]
        if not label or _is_value_text(label) or not any(_is_value_text(v) for v in values):
            break
        rows.append(Row(chunk, chunk[0].line_no))
        k += width
    if len(rows) < 3:
        return False
    prefix = [Row([c], c.line_no) for c in cells[:start]]
    suffix = [Row([c], c.line_no) for c in cells[k:]]
    table.rows = prefix + rows + suffix
    return True


def _regrid_label_less(table: Table, cells: list[Cell], first_value: int) -> bool:
    """
    中央 | 自治区 | 自治州 | 县 | 合计, then five figures: one header row and one row of figures.
    """
    start = first_value
    while start > 0 and cells[start - 1].text and not is_figure(cells[start - 1].text):
        start -= 1
    width = first_value - start
    values = first_value
    while values < len(cells) and is_figure(cells[values].text):
        values += 1
    if width < 3 or values - first_value != width or (values < len(cells) and cells[values].text):
        return False
    prefix = [Row([c], c.line_no) for c in cells[:start]]
    suffix = [Row([c], c.line_no) for c in cells[values:]]
    table.rows = prefix + [Row(cells[start:first_value], cells[start].line_no),
                           Row(cells[first_value:values], cells[first_value].line_no)] + suffix
    return True


def _rows_ended_by_lone_pipes(table: Table, lines: list[str]) -> None:
    """
    Pipe cells one a line whose rows end with a lone ``|`` line (项目名称 | / X | / |).
    """
    rows: list[Row] = []
    current: list[Cell] = []
    for line_no in range(table.start_line, table.end_line + 1):
        text = lines[line_no - 1].strip()
        if not text:
            continue
        if text == "|":
            rows.append(Row(current or [Cell("", line_no)], (current[0].line_no if current else line_no)))
            current = []
        else:
            current.append(Cell(_split_pipe(text)[0], line_no))
    if current:
        rows.append(Row(current, current[0].line_no))
    table.rows = rows


def _pipe_cells_extent(lines: list[str], start: int) -> int:
    """End (exclusive) of a run of pipe-cell lines, with a cell's plain text lines before its
    closing ``|`` and at most one blank line inside."""
    n, i = len(lines), start
    while i < n:
        text = lines[i]
        if _is_pipe_mark(text) or _is_pipe_cell(text):
            i += 1
            continue
        if text.strip() and "|" not in text:
            k = i
            while k < n and k - i < 8 and lines[k].strip() and "|" not in lines[k]:
                k += 1
            if k < n and k > i and _is_pipe_mark(lines[k]):
                i = k
                continue
            break
        if not text.strip() and i + 1 < n and (_is_pipe_mark(lines[i + 1]) or _is_pipe_cell(lines[i + 1])):
            i += 1
            continue
        break
    return i


def _read_pipe_cells(lines: list[str], start: int, table_id: int) -> tuple[Table | None, int]:
    """Pipe cells one a line whose rows are ended by a line of pipes only (a web form flattened):
    ``人员编制`` / ``|`` / ``19`` / ``|`` / ``||||||``. A lone ``|`` closes the open cell, or is an
    empty cell when none is open. Runs without row marks are left to the pipe-table reader."""
    end = _pipe_cells_extent(lines, start)
    body = lines[start:end]
    if not any(_is_pipe_mark(t) and t.strip().count("|") >= 2 for t in body):
        return None, start + 1
    table = Table(table_id, "pipe_cells", start + 1, end)
    row: list[Cell] = []
    parts: list[str] = []
    part_line = start + 1

    def close_cell(line_no: int) -> None:
        nonlocal parts
        row.append(Cell(_clean_cell(parts), part_line if parts else line_no))
        parts = []

    for k in range(start, end):
        text, line_no = lines[k], k + 1
        stripped = text.strip()
        if not stripped:
            continue
        if _is_pipe_mark(text):
            if parts or stripped == "|":
                close_cell(line_no)
            if stripped.count("|") >= 2:
                if row:
                    table.rows.append(Row(row, row[0].line_no))
                row = []
            continue
        if not parts:
            part_line = line_no
        parts.append(stripped[:-1].strip() if _is_pipe_cell(text) else stripped)
        if _is_pipe_cell(text):
            close_cell(line_no)
    if parts:
        close_cell(end)
    if row:
        table.rows.append(Row(row, row[0].line_no))
    return (table, end) if table.rows else (None, start + 1)


# ---------------------------------------------------------------- tabs, tab cells, pipes

def _read_table(lines: list[str], start: int, table_id: int) -> tuple[Table | None, int]:
    n = len(lines)
    first = lines[start]
    if _is_cell_line(first):
        table = Table(table_id, "cell_per_line", start + 1, start + 1)
        i = start
        while i < n and _is_cell_line(lines[i]):
            # one row: cell lines (a cell may continue on lines without a tab) until a blank line
            cells: list[Cell] = []
            parts: list[str] | None = None
            cell_line = row_line = i + 1
            while i < n:
                line = lines[i]
                if _is_cell_line(line):
                    if parts is not None:
                        cells.append(Cell(_clean_cell(parts), cell_line))
                    parts, cell_line = [line[1:]], i + 1
                elif line == "":
                    break  # a truly empty line ends the row; a line of spaces continues the cell
                else:
                    parts.append(line)
                i += 1
            cells.append(Cell(_clean_cell(parts or []), cell_line))
            table.rows.append(Row(cells, row_line))
            table.end_line = i
            # the table goes on when another cell line follows a few blank lines
            j = i
            while j < n and lines[j].strip() == "" and not _is_cell_line(lines[j]):
                j += 1
            if j < n and _is_cell_line(lines[j]) and j - i <= 3:
                i = j
                continue
            break
        return table, table.end_line
    pairs = _is_pipe_pair(first)  # two-column pipes: only lines like it go on the table
    layout = "pipe" if _is_pipe_row(first) or pairs else "tsv"
    table = Table(table_id, layout, start + 1, start + 1)
    i = start
    while i < n:
        line = lines[i]
        is_row = (_is_pipe_pair(line) if pairs else _is_pipe_row(line)) if layout == "pipe" else _is_tsv_row(line)
        if not is_row:
            # allow a single blank line inside a table when the table continues after it
            if line.strip() == "" and i + 1 < n and (_is_pipe_row(lines[i + 1]) if layout == "pipe" else _is_tsv_row(lines[i + 1])):
                i += 1
                continue
            break
        raw_cells = _split_pipe(line) if layout == "pipe" else [c.strip() for c in line.split("\t")]
        if layout == "pipe" and any(re.fullmatch(r":?-{2,}:?", c) for c in raw_cells) \
                and all(re.fullmatch(r":?-{2,}:?", c) or c == "" for c in raw_cells):
            i += 1  # Markdown separator row
            table.end_line = i
            continue
        table.rows.append(Row([Cell(c, i + 1) for c in raw_cells], i + 1))
        table.end_line = i + 1
        i += 1
    if not table.rows:
        return None, start + 1
    if layout == "pipe" and sum(1 for r in table.rows if len([c for c in r.cells if c.text]) <= 1) >= 0.8 * len(table.rows):
        before = len(table.rows)
        _regrid_cell_list(table)
        if len(table.rows) == before and any(lines[k - 1].strip() == "|" for k in range(table.start_line, table.end_line + 1)):
            _rows_ended_by_lone_pipes(table, lines)
    return table, table.end_line


# ---------------------------------------------------------------- one paragraph per cell

_PARAGRAPH_CELL_MAX = 60  # longer paragraphs are prose (a deviation note may still be long: it is counted)
_PARAGRAPH_GAP = 4  # blank lines a run of paragraph cells may hold (between two blocks of a form)


def _may_start_paragraph_cells(lines: list[str], i: int) -> bool:
    """Cheap test: a short line, then one blank line, then another short line."""
    return i + 2 < len(lines) and 0 < len(lines[i].strip()) <= _PARAGRAPH_CELL_MAX and lines[i + 1] == "" \
        and 0 < len(lines[i + 2].strip()) <= _PARAGRAPH_CELL_MAX and "|" not in lines[i] and "\t" not in lines[i]


def _paragraph_run(lines: list[str], start: int) -> list[tuple[str, int, int]]:
    """Paragraphs (text, first line, last line) from ``start`` while they are one a line (or a few
    lines), a blank line apart; a line of spaces is an empty cell."""
    n, i = len(lines), start
    cells: list[tuple[str, int, int]] = []
    while i < n:
        if "|" in lines[i] or "\t" in lines[i] or _MARKDOWN_HEADING.match(lines[i].strip()):
            break
        k = i
        while k < n and lines[k] != "" and "|" not in lines[k] and "\t" not in lines[k]:
            k += 1
        cells.append(("".join(lines[m].strip() for m in range(i, k)), i + 1, k))
        gap = k
        while gap < n and lines[gap] == "":
            gap += 1
        if gap == k or gap - k > _PARAGRAPH_GAP or gap >= n:
            break
        i = gap
    return cells


def _skip_preamble(cells: list[tuple[str, int, int]]) -> int:
    """
    The form starts after its headings, title and year caption (附件1, …绩效自评表, 2019年度)).
    """
    caption = _patterns()["caption_row"]
    k = 0
    while k < len(cells):
        text = cells[k][0]
        if heading_level(text) is not None or (_has_title_word(text) and len(text) <= 60) or caption.search(text):
            k += 1
            continue
        break
    return k


def _read_paragraph_cells(lines: list[str], start: int, table_id: int) -> tuple[Table | None, int, int]:
    """A form pasted from Word with every cell a paragraph (no row marks): the cells are cut into rows
    by the grid (``rows_from_stream``). Returns the table (or None), where it ends, and the line up to
    which this layout need not be tried again."""
    run = _paragraph_run(lines, start)
    checked = run[-1][2] if run else start + 1
    cells = run[_skip_preamble(run):]
    short = sum(1 for text, _, _ in cells if len(text) <= 15)
    figures = sum(1 for text, _, _ in cells if is_figure(text))
    if len(cells) < 12 or short * 2 < len(cells) or figures < 3:
        return None, start + 1, checked
    stream = [Cell(text.strip(), first) for text, first, _ in cells]
    rows = rows_from_stream(stream, fragments=True)
    if rows is None:
        return None, start + 1, checked
    first_line, last_line = cells[0][1], cells[-1][2]
    table = Table(table_id, "paragraph_cells", first_line, last_line, rows)
    return table, last_line, checked


# ---------------------------------------------------------------- a table flattened to one line

def _read_flat_line(lines: list[str], i: int, table_id: int) -> Table | None:
    """An xlsx or OCR table flattened to one line (项目 行次 金额 … 一般公共预算财政拨款收入 1 4,627.57 …):
    its words are the cells, cut into rows by the grid after the header."""
    stream = [Cell(word, i + 1) for word in lines[i].split()]
    rows = rows_from_stream(stream, stop_at_words=True)
    if rows is None or not any(r.kind == "data" for r in rows):
        return None
    return Table(table_id, "flat_line", i + 1, i + 1, rows)

