"""Segment normalised lines into sections (headings) and tables.

Layouts recognised, all common in this genre:
- headings numbered 一、 / (一) / 1. 1、 / (1), Markdown ``#`` headings, and 附件 blocks;
- tab-separated rows (cells split by tabs on one line);
- one-cell-per-line tables exported from Word: each cell is a line that starts with a tab,
  a cell may continue on following lines without a tab, and a blank line ends the row;
- pipe tables (Markdown or flattened web tables: ``a | b | c``).

Nothing is dropped: every line gets a kind (blank/heading/prose/table) and a section path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

CN_NUM = "一二三四五六七八九十"
_HEADING_PATTERNS: list[tuple[int, re.Pattern[str]]] = [
    (0, re.compile(r"^附件\s*\d*(?:[-—]\d+)?\s*[:：]?")),
    (1, re.compile(rf"^第[{CN_NUM}]+[部分章节]")),
    (1, re.compile(rf"^[{CN_NUM}]+\s*[、.．]")),
    (2, re.compile(rf"^\(\s*[{CN_NUM}]+\s*\)")),
    (3, re.compile(r"^\d{1,2}\s*[、.．](?!\d)")),
    (4, re.compile(r"^\(\s*\d{1,2}\s*\)")),
]
_MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s*(.*)$")
_UOM_HINT = re.compile(r"(?:金额)?单位\s*[:：]?\s*((?:亿元|万元|千元|元|万人|人)(?:[、,/](?:亿元|万元|千元|元|万人|人))*)")
_HEADER_UOM = re.compile(r"[(（]\s*(亿元|万元|千元|元|万人|人)\s*[)）]")
_PURE_HEADING_MAX = 40


@dataclass
class Cell:
    text: str
    line_no: int  # 1-based line of the cell's first line


@dataclass
class Row:
    cells: list[Cell]
    line_no: int


@dataclass
class Table:
    table_id: int
    layout: str  # tsv | cell_per_line | pipe
    start_line: int
    end_line: int
    rows: list[Row] = field(default_factory=list)
    title: str = ""
    uom_hint: str | None = None
    section_path: str = ""


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


def heading_level(text: str) -> int | None:
    """Level of a numbered heading at the start of ``text`` (0 = 附件), or None."""
    stripped = text.strip()
    for level, pattern in _HEADING_PATTERNS:
        if pattern.match(stripped):
            return level
    return None


def heading_title(text: str) -> str:
    """The heading part of a line: the whole line when short, else its first sentence."""
    stripped = text.strip()
    first = re.split(r"[。;；]", stripped, maxsplit=1)[0]
    return first[:_PURE_HEADING_MAX * 2]


def _is_pure_heading(text: str) -> bool:
    stripped = text.strip().rstrip("。")
    return len(stripped) <= _PURE_HEADING_MAX and "。" not in stripped and not re.search(r"\d+(?:\.\d+)?\s*(?:万元|亿元|元|人|%)", stripped)


def _is_pipe_row(text: str) -> bool:
    return text.count("|") >= 2 or (text.count("|") == 1 and text.rstrip().endswith("|"))


def _is_tsv_row(text: str) -> bool:
    return "\t" in text.lstrip("\t").rstrip("\t") or (text.startswith("\t") and text.count("\t") >= 2 and text.strip() != "")


def _is_cell_line(text: str) -> bool:
    return text.startswith("\t") and "\t" not in text[1:]


def _clean_cell(parts: list[str]) -> str:
    return "".join(part.strip() for part in parts).strip()


def _split_pipe(text: str) -> list[str]:
    body = text.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|"):
        body = body[:-1]
    return [c.strip() for c in body.split("|")]


def segment(lines: list[str]) -> Segmentation:
    n = len(lines)
    kinds = ["blank" if not line.strip() else "prose" for line in lines]
    line_table: list[int | None] = [None] * n
    tables: list[Table] = []

    i = 0
    while i < n:
        line = lines[i]
        table, j = None, i + 1
        if _is_space_header(line):
            table, j = _read_space_table(lines, i, len(tables) + 1)
        if table is None and (_is_cell_line(line) or (_is_tsv_row(line) and not _is_pipe_row(line))
                              or (_is_pipe_row(line) and not _MARKDOWN_HEADING.match(line.strip()))):
            table, j = _read_table(lines, i, len(tables) + 1)
        if table is not None and table.rows:
            tables.append(table)
            for k in range(i, j):
                line_table[k] = table.table_id
                kinds[k] = "table" if lines[k].strip() else "blank"
            i = j
            continue
        i += 1

    # Sections: numbered or Markdown headings outside tables.
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
                if level == 1 and title.startswith("一") and stack and stack[0][0] == 0:
                    stack.clear()
                section_id = len(sections) + 1
                stack.append((level, title, section_id))
                sections.append(Section(section_id, level, title, idx + 1, n, " > ".join(s[1] for s in stack)))
        line_section[idx] = " > ".join(s[1] for s in stack)
    # close sections: a section ends where the next section of the same or higher level starts
    for pos, sec in enumerate(sections):
        for later in sections[pos + 1:]:
            if later.level <= sec.level:
                sec.end_line = later.start_line - 1
                break

    for table in tables:
        table.section_path = line_section[table.start_line - 1]
        table.title, table.uom_hint = _table_context(lines, kinds, table)
    return Segmentation(kinds, line_section, line_table, sections, tables)


def _table_context(lines: list[str], kinds: list[str], table: Table) -> tuple[str, str | None]:
    """Title and unit hint from the lines just above a table (e.g. ``金额单位：万元``)."""
    title = ""
    uom = None
    seen = 0
    k = table.start_line - 2
    while k >= 0 and seen < 4:
        text = lines[k].strip()
        if text:
            if kinds[k] == "table":
                break
            seen += 1
            m = _UOM_HINT.search(text)
            if m and uom is None:
                uom = m.group(1)
            if not title and ("表" in text or kinds[k] == "heading") and len(text) <= 60:
                title = text.lstrip("#").strip()
        k -= 1
    if "表" not in title:
        # a caption row inside the table: "部门预算项目支出绩效目标表 |"
        for row in table.rows[:4]:
            texts = [c.text for c in row.cells if c.text]
            if len(texts) == 1 and "表" in texts[0] and len(texts[0]) <= 40:
                title = texts[0]
                break
    if uom is None:
        for row in table.rows[:30]:
            for cell in row.cells:
                m = _UOM_HINT.search(cell.text) or (_HEADER_UOM.search(cell.text) if len(cell.text) <= 20 else None)
                if m:
                    uom = m.group(1)
                    break
            if uom:
                break
    return title, uom


_SPACE_HEADER_WORDS = re.compile(r"项目|名称|预算|执行|决算|金额|得分|结余|序号|单位|合计")
_NUMERIC_TOKEN = re.compile(r"^[-−]?\d[\d,]*(?:\.\d+)?%?$")


def _is_space_header(text: str) -> bool:
    """A table header flattened to words separated by spaces: 序号 项目名称 预算数 执行数 …"""
    words = text.split()
    if len(words) < 4 or "\t" in text or "|" in text or re.search(r"[,。;]", text):
        return False
    return sum(1 for w in words if _SPACE_HEADER_WORDS.search(w)) >= 3 and not any(_NUMERIC_TOKEN.match(w) for w in words)


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
            and not re.search(r"[,。;:]", lines[i]):
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


def _regrid_cell_list(table: Table) -> None:
    """A pipe table written one cell a line ("城镇职工医保 |", "31455 |", …): rebuild its rows.

    The header is the run of text cells before the first figure, less the first data row's label;
    the rows are then chunks of the header's width.
    """
    cells = [row.cells[0] if row.cells else Cell("", row.line_no) for row in table.rows]
    texts = [c.text for c in cells]
    first_value = next((k for k, t in enumerate(texts) if _NUMERIC_TOKEN.match(t.replace(" ", ""))), None)
    if first_value is None or first_value < 3:
        return
    start = first_value - 1
    while start > 0 and texts[start - 1] and not _UOM_HINT.search(texts[start - 1]):
        start -= 1
    width = first_value - 1 - start
    if width < 2:
        return
    rows = [Row(cells[start:first_value - 1], cells[start].line_no)]
    k = first_value - 1
    while k + width <= len(cells):
        chunk = cells[k:k + width]
        label, values = chunk[0].text, [c.text for c in chunk[1:]]
        if not label or _NUMERIC_TOKEN.match(label.replace(" ", "")) or not any(_NUMERIC_TOKEN.match(v.replace(" ", "")) for v in values):
            break
        rows.append(Row(chunk, chunk[0].line_no))
        k += width
    if len(rows) >= 3:
        prefix = [Row([c], c.line_no) for c in cells[:start]]
        suffix = [Row([c], c.line_no) for c in cells[k:]]
        table.rows = prefix + rows + suffix


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
    layout = "pipe" if _is_pipe_row(first) else "tsv"
    table = Table(table_id, layout, start + 1, start + 1)
    i = start
    while i < n:
        line = lines[i]
        is_row = _is_pipe_row(line) if layout == "pipe" else _is_tsv_row(line)
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
        _regrid_cell_list(table)
    return table, table.end_line
