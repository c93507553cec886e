"""One grid model for tables: every layout becomes rows × columns before any meaning is read.

The segmenter (``loaders/segment.py``) finds a table and its physical rows in whatever layout the
text has (tab-separated, one cell per line, pipes, space-aligned, one paragraph per cell, a whole
table flattened to one line). This module reads those rows as a grid, in small passes:

1. ``mark_rows``    — each row's kind: ``caption`` (title, 单位:万元, (2024年度)), ``header``, ``data``
                      or ``note`` (注: …), and whether it is a total row (合计, 总分);
2. ``header_blocks``— consecutive header rows become one block of column headers: levels joined by
                      a slash (预算数/中央), a span cell's sub-columns (其中:/公共财政拨款), a row split in
                      two (一级指标 | then 二级指标 | 三级指标 …); a header after data rows starts a new
                      block (a self-evaluation's funding block, then its indicator block);
3. ``place_cells``  — every cell of a data row gets its grid column: one to one when the row fits
                      its header, else the row's labels right-aligned onto the label columns and its
                      figures laid over the value columns in order, each in the next column that
                      takes that kind of figure (a rate goes to a rate column);
4. ``assign_units`` — the unit the column header, the row's label, the block's caption or the table's
                      caption gives (单位:人、万元 gives persons to 人数 columns and 万元 to the rest);
5. ``table_kind``   — self_evaluation / basic_data / three_public / fund / other, the evaluation
                      (overall / project) and the project's name.

Rows built from a stream of cells (one paragraph per cell, a table flattened to one line) are cut
here too (``rows_from_stream``), because where a row ends depends on the header in force.

Every word (header keywords, column roles in precedence order, total-row words, caption and unit
words, table-kind cues) is data: ``seeds/vocab_layout.csv`` through ``loaders.vocabulary``.
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import groupby
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from . import vocabulary as vocab
from .normalize import sentence_stops


# ---------------------------------------------------------------- the model

@dataclass
class Cell:
    text: str
    line_no: int  # 1-based line of the cell's first line
    col: int | None = None  # 0-based grid column
    header: str | None = None  # the column header in force, levels joined by '/'
    role: str | None = None  # the column's role (column_role of the header)
    uom: str | None = None  # the unit the header, the row label or a caption gives
    is_value: bool = False  # the cell is a figure (not a row number)


@dataclass
class Row:
    cells: list[Cell]
    line_no: int
    kind: str = "data"  # caption | header | data | note
    is_total: bool = False


@dataclass
class Table:
    table_id: int
    layout: str  # tsv | cell_per_line | pipe | pipe_cells | spaces | paragraph_cells | flat_line
    start_line: int
    end_line: int
    rows: list[Row] = field(default_factory=list)
    title: str = ""
    uom_hint: str | None = None
    section_path: str = ""
    kind: str = "other"  # self_evaluation | basic_data | three_public | fund | other
    evaluation: str | None = None  # overall | project (self-evaluations)
    project_name: str = ""
    project_hint: str = ""  # a 项目名称 field printed on its own line just above the table
    caption_uoms: list[str] = field(default_factory=list)  # units the table's captions state (单位:人、万元)
    n_cols: int = 0  # columns of the grid


@dataclass
class Block:
    """The column headers in force for the data rows that follow a header row (or rows)."""
    headers: list[str]
    roles: list[str | None]
    uom: str | None = None  # the unit of the block's caption or corner cell: 项目资金(万元)
    last_filled: int | None = None  # the column rows with figures usually end at
    header_cols: dict[int, list[int | None]] = field(default_factory=dict)  # grid column of each header cell
    figures_from: int | None = None  # the first column full-width data rows hold figures in
    corner_cols: int = 0  # leading columns empty in every full-width data row (年度预算申请(万元) above them)

    @property
    def width(self) -> int:
        return len(self.headers)

    @cached_property
    def first_value(self) -> int:
        """The first column that holds figures (or indicator values): the label columns end there.
        Where rows as wide as the header show it, they say; else the first column with a figure role."""
        by_role = next((i for i, r in enumerate(self.roles) if i >= self.corner_cols
                        and r not in LABEL_ROLES and r is not None), None)
        if by_role is not None:
            return by_role
        if self.figures_from is not None:
            return self.figures_from
        return min(1, self.width)  # no role at all: the first column names the rows

    @property
    def has_repeated_groups(self) -> bool:
        """
        项目 | 行次 | 金额 | 项目 | 行次 | 金额: a statement printed in two halves side by side.
        """
        return any(r in TEXT_ROLES for r in self.roles[self.first_value:])

    def role_at(self, col: int) -> str | None:
        """The role a column's cells are checked against: a column left of the figures with no role
        of its own is a label column."""
        role = self.roles[col]
        if role is None and col < self.first_value:
            return "label"
        return role


# roles of columns that hold labels, figures of money, rates and points (what each column accepts)
TEXT_ROLES = frozenset({"level1", "level2", "indicator", "name", "label"})
LABEL_ROLES = TEXT_ROLES | {"row_number"}  # columns left of the figures
OPEN_ROLES = frozenset({"target_value", "actual_value", "deviation"})  # figures or words
MONEY_ROLES = frozenset({"budget_initial", "budget_adjusted", "actual", "prior", "budget", "period_actual",
                         "balance_left", "returned", "change_abs", "amount"})
RATE_ROLES = frozenset({"execution_rate", "change_pct"})
POINT_ROLES = frozenset({"weight", "score"})


# ---------------------------------------------------------------- vocabulary

@lru_cache(maxsize=1)
def _uom_words() -> dict[str, str]:
    return vocab.mapping("caption_uom")


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    units = _alternation(w for w, k in _uom_words().items() if k != "percent")
    header_units = _alternation(_uom_words())
    figure_units = _alternation(vocab.words("figure_unit"))
    nil = _alternation(vocab.words("nil_cell"))
    sep = "[" + re.escape("".join(vocab.words("caption_uom_separator"))) + "]"
    return {
        "figure": re.compile(rf"^[≥≤><]?=?\s*[-−]?(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?\s*(?:{figure_units})?$"),
        "integer": re.compile(r"^\d{1,4}$"),
        "nil": re.compile(rf"^(?:[-\s/]+|{nil})$"),
        "percent": re.compile(r"%"),
        "caption_uom": re.compile(rf"(?:{vocab.pattern('caption_uom_lead').pattern})((?:{units})(?:{sep}(?:{units}))*)"),
        "caption_uom_separator": re.compile(sep),
        "header_uom": re.compile(rf"\(\s*({header_units})\s*\)|(?:{vocab.pattern('caption_uom_lead').pattern})({units})"),
        "unit_only": re.compile(rf"^\(\s*(?:{header_units})\s*\)$"),
        "unit_only_inside": re.compile(rf"\(\s*(?:{units})\s*\)$"),
        "header_keyword": vocab.pattern("header_keyword"),
        "subheader_parent": vocab.pattern("subheader_parent"),
        "span_header": vocab.pattern("span_header"),
        "total_row": vocab.pattern("total_row"),
        "note_row": vocab.pattern("note_row"),
        "caption_row": vocab.pattern("caption_row"),
        "persons": vocab.pattern("persons_word"),
        "project_name_header": vocab.pattern("project_name_header"),
    }


@lru_cache(maxsize=1)
def column_roles() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(role, pattern) in precedence order: a role's rows in ``column_role`` are alternatives."""
    grouped: dict[str, list[str]] = {}
    for word, role in vocab.pairs("column_role"):
        grouped.setdefault(role, []).append(word)
    return tuple((role, re.compile("|".join(f"(?:{w})" for w in words))) for role, words in grouped.items())


@lru_cache(maxsize=4096)
def column_role(header: str | None) -> str | None:
    """The role of a column from its header (vocabulary ``column_role``, first match wins); for a
    two-level header (预算数(调整后)/中央) the lower level first, then the whole. A change column
    is recognised from the whole header (同比变动/金额)."""
    if not header:
        return None
    header = re.sub(r"\s+", "", header)  # 一级 指标, 项 目: spaces inside a header are layout
    last = header.split("/")[-1]
    for role, pattern in column_roles():
        if pattern.search(last) or (role in ("change_pct", "change_abs") and pattern.search(header)):
            return role
    if last != header:
        for role, pattern in column_roles():
            if pattern.search(header):
                return role
    return None


@lru_cache(maxsize=65536)
def is_figure(text: str) -> bool:
    """
    A cell that is one figure, with or without its unit (3359.62万, ≥50000人次, 86%).
    """
    return bool(text) and bool(_patterns()["figure"].match(text.replace(" ", "")))


@lru_cache(maxsize=65536)
def is_nil(text: str) -> bool:
    """
    A dash, a slash or 无: the cell says there is nothing.
    """
    return bool(text.strip()) and bool(_patterns()["nil"].match(text.strip()))


def is_blank(text: str) -> bool:
    return not text.strip()


def is_text(text: str) -> bool:
    return not is_blank(text) and not is_nil(text) and not is_figure(text)


def caption_uoms(text: str) -> list[str]:
    """
    Units of a caption: 单位:万元 → [万元]; 单位:人、万元 → [人, 万元].
    """
    m = _patterns()["caption_uom"].search(text)
    return _patterns()["caption_uom_separator"].split(m.group(1)) if m else []


def header_uom(text: str | None) -> str | None:
    """
    The unit a header cell states: 预算数(万元) → 万元, 金额单位:元 → 元, 执行率(%) → %.
    """
    if not text:
        return None
    m = _patterns()["header_uom"].search(text)
    return (m.group(1) or m.group(2)) if m else None


def _has_header_word(text: str) -> bool:
    """A header cell's words: a header keyword or a column role, in a cell that is not a sentence
    (no comma or full stop) and not a title (…情况表)."""
    if any(ch in text for ch in "," + sentence_stops()) or _is_title(text):
        return False
    return bool(_patterns()["header_keyword"].search(text)) or column_role(text) is not None


@lru_cache(maxsize=1)
def title_words() -> tuple[str, ...]:
    """Words that make a line a table's title (…情况表)."""
    return vocab.words("table_title_word")


def _is_title(text: str) -> bool:
    return text.rstrip().endswith(title_words())


# ---------------------------------------------------------------- pass 1: row kinds

def _texts(row: Row) -> list[str]:
    return [c.text for c in row.cells]


def is_header_row(texts: list[str]) -> bool:
    """
    Two or more header cells and no figure: 项目 | 预算数 | 执行数 (the cells are short).
    """
    non_empty = [t for t in texts if t.strip()]
    if len(non_empty) < 2 or any(is_figure(t) for t in non_empty):
        return False
    if len(non_empty) == 2 and column_role(non_empty[0]) == "name":
        return False  # 项目名称 | 示例补助项目: a key and its value
    return sum(1 for t in non_empty if _has_header_word(t) and len(t) <= 30) >= 2


def _is_caption_row(texts: list[str], before_header: bool) -> bool:
    """A caption: a unit (单位:万元), a year or form number ((2024年度), 社预执行07表), or — above the
    first header and before any data — a one-cell title row."""
    non_empty = [t.strip() for t in texts if t.strip()]
    if not non_empty:
        return False
    if any(caption_uoms(t) for t in non_empty) and len(non_empty) <= 4:
        return True  # 单位:万元 | 填报单位: | 江苏省无锡市本级 | 2021年2季度 | 单位:元
    if all(_patterns()["caption_row"].search(t) or (_is_title(t) and len(t) <= 60) for t in non_empty):
        return True  # (2024年度), 社预执行07表, 2021年2季度 | 工伤保险基金预算执行情况表
    if len(non_empty) == 1 and is_text(non_empty[0]) and _patterns()["unit_only_inside"].search(non_empty[0]):
        return True  # 年度收入情况(万元): the unit of the block below
    return before_header and len(texts) == 1 and is_text(non_empty[0]) and len(non_empty[0]) <= 60


def _is_sub_header(texts: list[str], previous: list[str]) -> bool:
    """
    Short words under a header (中央 省级 市级 区级 under 预算数), or the sub-columns of a span cell.
    """
    non_empty = [t for t in texts if t.strip()]
    if not non_empty or any(is_figure(t) or is_nil(t) for t in non_empty):
        return False
    prev = [t for t in previous if t.strip()]
    if prev and _patterns()["span_header"].search(prev[-1].strip()):
        return True  # 收入合计 | 其中: → 上年结转 | 公共财政拨款 | …
    # two or more short words (one word alone splits nothing: 产出指标 under the indicator header is data)
    return 2 <= len(non_empty) and len(texts) < len(previous) and all(len(t) <= 6 for t in non_empty)


def _n_roles(texts: list[str]) -> int:
    """
    How many different column roles a row's cells name (预算绩效管理情况 | 资金预算绩效管理科学 names one).
    """
    return len({column_role(t.strip()) for t in texts if t.strip()} - {None})


def _heads_figures(texts: list[str], below: list[str] | None) -> bool:
    """
    Words over a row of as many figures (中央 | 自治区 | 县 | 合计, then 416元 | 73元 | …): a header.
    """
    if below is None or len(texts) < 2 or len(texts) != len(below):
        return False
    return all(is_text(t) for t in texts) and all(is_figure(t) for t in below)


def _starts_strong_header(texts: list[str], below: list[str] | None) -> bool:
    """
    绩效指标 | 一级 指标 |, continued on the next row by 二级指标 | 三级指标 | 指标值 …
    """
    if below is None or not is_header_row(below) or _n_roles(below) < 2:
        return False
    return _continues([t.strip() for t in texts], [t.strip() for t in below])


def mark_rows(table: Table, keep_kinds: bool = False) -> None:
    """Row kinds (caption / header / data / note) and total rows. A table cut from a stream of cells
    (``rows_from_stream``) already knows its kinds (``keep_kinds``).

    Under a header that already has data rows, a new header must name two columns by role (a
    self-evaluation's indicator block after its funding block): an indicator row with a date in it
    (时效指标 | 落实期限 | 2019年1月-12月) has header words but is data."""
    seen_header = seen_data = False
    previous_header: list[str] | None = None
    for r_idx, row in enumerate(table.rows):
        texts = _texts(row)
        non_empty = [t.strip() for t in texts if t.strip()]
        below = _texts(table.rows[r_idx + 1]) if r_idx + 1 < len(table.rows) else None
        if keep_kinds:
            pass
        elif non_empty and _patterns()["note_row"].search(non_empty[0]):
            row.kind = "note"
        elif previous_header is not None and _is_sub_header(texts, previous_header):
            row.kind = "header"
        elif (is_header_row(texts) and (not (seen_header and seen_data) or _n_roles(texts) >= 2
                                        or _starts_strong_header(texts, below))) \
                or (not seen_header and _heads_figures(texts, below)):
            row.kind = "header"
        elif _is_caption_row(texts, not seen_header and not seen_data):
            row.kind = "caption"
        if row.kind == "header" and previous_header is None:
            seen_data = False
        seen_data = seen_data or (row.kind == "data" and bool(non_empty))
        previous_header = texts if row.kind == "header" else None
        seen_header = seen_header or row.kind == "header"
        label = next((t for t in non_empty if not is_figure(t)), "")
        row.is_total = row.kind == "data" and bool(_patterns()["total_row"].search(label.replace(" ", "")))


# ---------------------------------------------------------------- pass 2: header blocks

def _fill_right(cells: list[str]) -> list[str]:
    """A merged header cell printed once covers the empty cells to its right."""
    filled, last = [], ""
    for c in cells:
        last = c or last
        filled.append(c or last)
    return filled


def _continues(upper: list[str], lower: list[str]) -> bool:
    """A header row broken in two by a flattened page (绩效指标 | 一级指标 |, then 二级指标 | 三级指标 …):
    the second row starts where the first stopped, no role repeats and both name columns."""
    up = [t for t in upper if t]
    low = [t for t in lower if t]
    if not up or not low or len(up) >= len(low):
        return False
    up_roles = [column_role(t) for t in up]
    low_roles = [column_role(t) for t in low]
    return up_roles[-1] is not None and low_roles[0] is not None \
        and not {r for r in up_roles if r} & {r for r in low_roles if r}


def _spread_at(header: list[str]) -> int:
    """Where short sub-headers go: under a span cell (其中:), else under the cell they split
    (中央 省级 … under 预算数(调整后)), else under the last cell."""
    span = _patterns()["span_header"]
    at = next((i for i, h in enumerate(header) if span.search(h)), None)
    if at is None:
        at = next((i for i, h in enumerate(header) if _patterns()["subheader_parent"].search(h)), len(header) - 1)
    return at


def _header_text(text: str) -> str:
    """A header cell's words without the spaces a layout put between them (一级 指标, 项 目)."""
    return re.sub(r"\s+", "", text)


def combine_header_rows(rows: list[list[str]]) -> tuple[list[str], list[list[int | None]]]:
    """One list of column headers from consecutive header rows, and the grid column of every cell of
    those rows (None for an empty cell that names no column)."""
    header = [_header_text(t) for t in rows[0]]
    cols: list[list[int | None]] = [list(range(len(header)))]
    for raw in rows[1:]:
        lower = [_header_text(t) for t in raw]
        filled = [i for i, t in enumerate(lower) if t]
        if len(lower) == len(header):  # a second level under the first (merged cells fill right)
            header = [f"{u}/{c}" if c and u and u != c else (c or u) for u, c in zip(_fill_right(header), lower)]
            cols.append(list(range(len(lower))))
        elif _continues(header, lower):  # one row printed on two lines
            keep = [i for i, t in enumerate(header) if t]
            where = {old: new for new, old in enumerate(keep)}
            cols = [[where.get(c) if c is not None else None for c in row] for row in cols]
            cols.append([None if not t else len(keep) + filled.index(i) for i, t in enumerate(lower)])
            header = [header[i] for i in keep] + [lower[i] for i in filled]
        elif len(filled) < len(header) or _patterns()["span_header"].search(header[-1] if header else ""):
            at = _spread_at(header)
            extra = len(filled) - 1
            cols = [[c if c is None or c <= at else c + extra for c in row] for row in cols]
            cols.append([None if not t else at + filled.index(i) for i, t in enumerate(lower)])
            header = header[:at] + [f"{header[at]}/{lower[i]}" for i in filled] + header[at + 1:]
        else:  # a longer row of its own: it replaces the first
            cols = [[None] * len(row) for row in cols] + [list(range(len(lower)))]
            header = lower
    return header, cols


def _one_cell_above(table: Table, first_header: int) -> str | None:
    if first_header == 0:
        return None
    above = [_header_text(t) for t in _texts(table.rows[first_header - 1]) if t.strip()]
    if len(above) == 1 and not is_figure(above[0]) and len(above[0]) <= 30:
        return above[0]
    return None


def _block_rows(table: Table, start: int) -> list[list[str]]:
    """The data rows under the header run that starts at ``start`` (trailing empty cells trimmed)."""
    out, k = [], start
    while k < len(table.rows) and table.rows[k].kind == "header":
        k += 1
    while k < len(table.rows) and table.rows[k].kind != "header":
        if table.rows[k].kind == "data":
            out.append(_trim(_texts(table.rows[k])))
        k += 1
    return out


def _figures_from(rows: list[list[str]], width: int, roles: list[str | None]) -> int | None:
    """The first column (not a row number) holding a figure in rows as wide as the header."""
    firsts = [next((i for i, t in enumerate(r) if is_figure(t) and roles[i] != "row_number"), None)
              for r in rows if len(r) == width]
    firsts = [f for f in firsts if f is not None]
    return min(firsts) if firsts else None


def _corner_cols(rows: list[list[str]], width: int) -> int:
    """Leading columns empty in every row as wide as the header: merged cells under a corner header
    (年度预算申请(万元) | | 年初预算数 …, rows | | 年度资金总额 | 206.42 …)."""
    full = [r for r in rows if len(r) == width]
    k = 0
    while full and k < width and all(not r[k].strip() for r in full):
        k += 1
    return k if k < width else 0


def header_blocks(table: Table) -> dict[int, Block]:
    """The block of column headers for each run of header rows, keyed by the index of its first row.

    A header whose first column holds figures while its data rows are one cell wider has lost its
    label column (a rowspan printed on the row above, 资金投入情况 (万元)): a label column is put in
    front, named by that row if there is one.
    """
    blocks: dict[int, Block] = {}
    i, n = 0, len(table.rows)
    while i < n:
        if table.rows[i].kind != "header":
            i += 1
            continue
        j = i
        while j < n and table.rows[j].kind == "header":
            j += 1
        headers, cols = combine_header_rows([_texts(r) for r in table.rows[i:j]])
        headers = _trim(headers)
        cols = [[c if c is not None and c < len(headers) else None for c in row] for row in cols]
        roles = [column_role(h) for h in headers]
        rows = _block_rows(table, i)
        above = _one_cell_above(table, i)
        widest = max((len(r) for r in rows), default=0)
        if roles and roles[0] is not None and roles[0] not in LABEL_ROLES and widest > len(headers):
            label = above or ""
            headers, roles = [label] + headers, [column_role(label)] + roles
            cols = [[c + 1 if c is not None else None for c in row] for row in cols]
        corner = next((header_uom(h) for h, r in zip(headers, roles) if r is None and header_uom(h)), None)
        uom = corner or (header_uom(above) or next(iter(caption_uoms(above)), None) if above else None)
        block = Block(headers, roles, uom, figures_from=_figures_from(rows, len(headers), roles),
                      corner_cols=_corner_cols(rows, len(headers)))
        for k, row_cols in enumerate(cols):
            block.header_cols[i + k] = row_cols
        blocks[i] = block
        i = j
    return blocks


# ---------------------------------------------------------------- pass 3: cells to columns

def accepts(role: str | None, text: str) -> bool:
    """Whether a column of this role can hold this cell: labels hold words, money columns hold
    figures that are not rates, rate columns figures that are not sums of money."""
    if is_blank(text) or is_nil(text):
        return True
    if role is None or role in OPEN_ROLES:
        return True
    figure = is_figure(text)
    if role in TEXT_ROLES:
        return not figure
    if role == "row_number":
        return bool(_patterns()["integer"].match(text.strip()))
    if not figure:
        return False
    percent = bool(_patterns()["percent"].search(text))
    if role in MONEY_ROLES:
        return not percent
    if role in RATE_ROLES:
        unit = re.sub(r"[\d.,\s≥≤<>=%−-]", "", text)
        return percent or unit == ""
    return True  # weight, score


def _fits_one_to_one(texts: list[str], block: Block) -> bool:
    return len(texts) <= block.width and all(accepts(block.role_at(i), t) for i, t in enumerate(texts))


def _place_by_kind(texts: list[str], block: Block, start: int) -> list[int]:
    """Columns for cells laid left to right from ``start``, each in the next column that takes it;
    an empty cell takes the next column; a cell no column takes goes past the header."""
    cols, cursor = [], start
    for t in texts:
        c = cursor
        if not (is_blank(t) or is_nil(t)):
            while c < block.width and not accepts(block.role_at(c), t):
                c += 1
        cols.append(c)
        cursor = c + 1
    return cols


def _place_labels_then_figures(texts: list[str], block: Block) -> list[int]:
    """A row shorter than its header: its labels end at the last label column (the merged cells to
    their left are printed once, above), its figures go over the value columns in order."""
    first_figure = next(i for i, t in enumerate(texts) if is_figure(t))
    labels, rest = texts[:first_figure], texts[first_figure:]
    n_label = block.first_value
    if len(labels) <= n_label:
        label_cols = list(range(n_label - len(labels), n_label))
        start = n_label
    else:
        label_cols = list(range(len(labels)))
        start = len(labels)
    return label_cols + _place_by_kind(rest, block, start)


def _place_text_row(texts: list[str], block: Block) -> list[int]:
    """A row of words only, shorter than its header."""
    non_empty = [i for i, t in enumerate(texts) if t.strip()]
    if len(non_empty) == 1 and len(texts) == 1:
        # a group label alone on its row (产出指标): the first label column that has a role
        col = next((i for i, r in enumerate(block.roles[:block.first_value]) if r in TEXT_ROLES), 0)
        return [col]
    values = list(range(block.first_value, block.width))
    if len(texts) == len(values) and all(block.roles[c] in OPEN_ROLES for c in values):
        return values  # 目标 text | 完成 text under 总体目标完成情况 | 总体目标 | 全年实际完成情况
    end = block.last_filled
    if end is not None and len(texts) <= end + 1:
        cols = list(range(end + 1 - len(texts), end + 1))
        if all(c < block.width and accepts(block.role_at(c), t) for c, t in zip(cols, texts)):
            return cols  # 质量指标 | 补助资金按时到期 | 补助资金及时到位100%: it ends where the figure rows end
    return list(range(len(texts)))  # one to one (a funding block's 按收入性质分: | 按支出性质分:)


def _trim(texts: list[str]) -> list[str]:
    end = len(texts)
    while end > 0 and not texts[end - 1].strip():
        end -= 1
    return texts[:end]


@lru_cache(maxsize=1)
def _score_total() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{w})" for w, kind in vocab.pairs("total_row") if kind == "score"))


def _place_score_total(texts: list[str], block: Block) -> list[int] | None:
    """总分 | 100 | 94: a total score row prints the total weight and score, right-aligned under the
    block's weight and score columns, whatever merged cells sit to their left."""
    points = [c for c, r in enumerate(block.roles) if r in POINT_ROLES]
    figures = [i for i, t in enumerate(texts) if is_figure(t)]
    if not points or not figures or len(figures) > len(points):
        return None
    first = figures[0]
    n_label = min(block.first_value, points[-len(figures)])
    if first > n_label:
        return None
    cols = list(range(n_label - first, n_label)) + points[-len(figures):]
    rest = texts[first + len(figures):]
    return cols + [points[-1] + 1 + k for k in range(len(rest))]


def place_row(row: Row, block: Block | None) -> list[int]:
    """Grid columns of a data row's cells."""
    texts = _texts(row)
    trimmed = _trim(texts)
    figures = any(is_figure(t) for t in trimmed)
    label = next((t for t in trimmed if t.strip() and not is_figure(t)), "")
    score_total = block is not None and figures and bool(_score_total().search(label.replace(" ", "")))
    total_cols = _place_score_total(trimmed, block) if score_total else None
    if block is None:
        cols = list(range(len(trimmed)))
    elif total_cols is not None:
        cols = total_cols
    elif not figures and len(trimmed) < block.width:
        cols = _place_text_row(trimmed, block)
    elif _fits_one_to_one(trimmed, block):
        cols = list(range(len(trimmed)))
    elif block.has_repeated_groups:
        cols = _place_by_kind(trimmed, block, 0)
    elif figures:
        cols = _place_labels_then_figures(trimmed, block)
    else:
        cols = list(range(len(trimmed)))
    # trailing empty cells (collapsed by a flattened page) follow the last placed column, up to the
    # header's width; beyond it they name no column
    last = cols[-1] if cols else -1
    width = block.width if block is not None else len(texts)
    return cols + [c if c < width else None for c in range(last + 1, last + 1 + len(texts) - len(trimmed))]


def _set_header_cells(row_index: int, row: Row, block: Block) -> None:
    cols = block.header_cols.get(row_index, [])
    for i, cell in enumerate(row.cells):
        cell.col = cols[i] if i < len(cols) else None
        if cell.col is not None and cell.col < block.width:
            cell.header, cell.role = block.headers[cell.col] or None, block.roles[cell.col]


def place_cells(table: Table, blocks: dict[int, Block]) -> None:
    """Grid column, header and role of every cell; data rows under a block, captions and notes by position."""
    block: Block | None = None
    placed: dict[int, list[int | None]] = {}
    for r_idx, row in enumerate(table.rows):
        if r_idx in blocks:
            block = blocks[r_idx]
            placed = _learn_last_filled(table, r_idx, block)
        if row.kind == "header" and block is not None:
            _set_header_cells(r_idx, row, block)
            continue
        if row.kind != "data" or block is None:
            for i, cell in enumerate(row.cells):
                cell.col = i
            continue
        cols = placed[r_idx] if r_idx in placed else place_row(row, block)
        # a word no column takes (一般公共预算: | 351.25 | 其中:基本支出: | 201.98, two lists side by
        # side under one header): the row is not in the header's columns, its figures get no header
        aligned = all(c is not None and c < block.width for c, cell in zip(cols, row.cells) if cell.text.strip())
        for cell, col in zip(row.cells, cols):
            cell.col = col
            if aligned and col is not None and col < block.width and accepts(block.role_at(col), cell.text):
                cell.header, cell.role = block.headers[col] or None, block.roles[col]


def _learn_last_filled(table: Table, start: int, block: Block) -> dict[int, list[int | None]]:
    """The column where the block's rows with figures end (for rows of words only); returns the
    columns of those rows, which do not depend on it."""
    ends: Counter[int] = Counter()
    placed: dict[int, list[int | None]] = {}
    k = start
    while k < len(table.rows) and table.rows[k].kind == "header":
        k += 1
    while k < len(table.rows) and table.rows[k].kind != "header":
        row = table.rows[k]
        texts = _trim(_texts(row))
        if row.kind == "data" and any(is_figure(t) for t in texts):
            placed[k] = place_row(row, block)
            filled = [c for c, t in zip(placed[k], texts) if t.strip()]
            if filled and filled[-1] is not None:
                ends[filled[-1]] += 1
        k += 1
    end = ends.most_common(1)[0][0] if ends else None
    block.last_filled = end if end is not None and end < block.width else None
    return placed


# ---------------------------------------------------------------- rows from a stream of cells

@lru_cache(maxsize=1)
def _fragments() -> dict[str, str]:
    return vocab.mapping("cell_fragment")


def _header_like(text: str, fragments: bool) -> bool:
    t = text.strip()
    if not is_text(t) or len(t) > 30 or _is_title(t):
        return False
    return _has_header_word(t) or bool(_patterns()["unit_only"].match(t)) or (fragments and t in _fragments())


def _keyword_only(text: str) -> bool:
    """A cell with header words but no column role (项目资金(万元), or a name ending in 项目)."""
    t = text.strip()
    return bool(t) and is_text(t) and column_role(t) is None and _has_header_word(t)


def _join_fragments(texts: list[str], fragments: bool) -> list[str]:
    """Join the pieces of one header printed as several cells: a unit in parentheses (年初预算数 /
    (万元)) and, in a one-paragraph-per-cell export, the vocabulary's fragments (年初 / 预算数).
    """
    out: list[str] = []
    carry = ""
    for t in texts:
        t = t.strip()
        if out and _patterns()["unit_only"].match(t):
            out[-1] += t
        elif fragments and out and _fragments().get(t) == "previous":
            out[-1] += t
        elif fragments and _fragments().get(t) == "next":
            carry += t
        else:
            out.append(carry + t)
            carry = ""
    if carry:
        out.append(carry)
    return out


def _header_run(cells: list[Cell], i: int, fragments: bool) -> tuple[list[str], int] | None:
    """Column headers starting at cell ``i``: three or more header cells (after joining their pieces),
    of which two name a column; once a cell has a role every later one must (the data's labels have
    header words too: 产出指标 after 偏差原因分析). A row-number word followed by a number is the
    column-number row (栏次 1 栏次 2), not a header."""
    texts = [c.text for c in cells]
    if fragments and _fragments().get(texts[i].strip()) == "previous":
        return None  # the end of the cell before (经济效益 / 指标), not the start of a header
    if _keyword_only(texts[i]) and i + 1 < len(texts) and _keyword_only(texts[i + 1]):
        return None  # 示例维修项目 | 项目资金(万元) | …: one corner cell opens a header, the cell before is data
    j, seen_role = i, False
    while j < len(texts):
        t = texts[j].strip()
        if not t:
            if j > i and j + 1 < len(texts) and _header_like(texts[j + 1], fragments):
                j += 1
                continue
            break
        if not _header_like(t, fragments):
            break
        role = column_role(t)
        if role == "row_number" and j + 1 < len(texts) and _patterns()["integer"].match(texts[j + 1].strip()):
            break
        joinable = bool(_patterns()["unit_only"].match(t)) or (fragments and t in _fragments())
        if seen_role and role is None and not joinable:
            break
        seen_role = seen_role or role is not None
        j += 1
    joined = _join_fragments([texts[k] for k in range(i, j)], fragments)
    named = sum(1 for t in joined if t and _has_header_word(t))
    if len(joined) >= 3 and named >= 2:
        return joined, j
    return None


def _repeated_upper(texts: list[str], width: int) -> bool:
    """
    The last ``width`` cells before a header repeat merged cells (收入 收入 收入 支出 支出 支出).
    """
    if len(texts) < width or width < 2:
        return False
    tail = texts[-width:]
    runs = [len(list(g)) for _, g in groupby(tail)]
    return all(r >= 2 for r in runs) and len(runs) <= width // 2 and all(is_text(t) for t in tail)


def _filler(line_no: int) -> Cell:
    return Cell("", line_no)


def _slot_row(cells: list[Cell], i: int, block: Block, fragments: bool) -> tuple[list[Cell | None], int]:
    """One row of a statement printed in groups (项目 | 行次 | 金额 twice): every cell in the next
    column that takes it, a column no cell fits stays empty."""
    row: list[Cell | None] = []
    for c in range(block.width):
        if i < len(cells) and accepts(block.role_at(c), cells[i].text) and not _header_run(cells, i, fragments):
            row.append(cells[i])
            i += 1
        else:
            row.append(None)
    return row, i


def _label_row(cells: list[Cell], i: int, block: Block, fragments: bool) -> tuple[list[list[Cell | None]], int]:
    """One row of labels then figures; labels beyond the label columns are group rows of their own
    (产出指标 above its 数量指标 rows)."""
    labels: list[Cell] = []
    if is_blank(cells[i].text) and any(is_text(c.text) for c in cells[i + 1:i + 2]):
        return [[cells[i]]], i + 1  # an empty cell left over before the next row's label
    while i < len(cells) and is_text(cells[i].text) and not (labels and _header_run(cells, i, fragments)):
        text = cells[i].text.strip()
        if fragments and labels and _fragments().get(text) == "previous":
            labels[-1] = Cell(labels[-1].text + text, labels[-1].line_no)
        else:
            labels.append(cells[i])
        i += 1
    n_label = block.first_value
    groups = [[c] + [None] * (block.width - 1) for c in labels[:max(0, len(labels) - n_label)]]
    labels = labels[max(0, len(labels) - n_label):]
    row: list[Cell | None] = [None] * (n_label - len(labels)) + labels
    for c in range(n_label, block.width):
        if i >= len(cells) or _header_run(cells, i, fragments):
            break
        text = cells[i].text
        if is_text(text) and block.roles[c] is not None and block.roles[c] not in OPEN_ROLES:
            break  # a word where a figure belongs starts the next row
        row.append(cells[i])
        i += 1
    return groups + [row], i


def _materialise(slots: list[Cell | None], kind: str) -> Row:
    """A row with a cell in every column up to its last (empty cells where the source printed none)."""
    line_no = next((c.line_no for c in slots if c is not None), 1)
    last = max((k for k, c in enumerate(slots) if c is not None), default=-1)
    return Row([c if c is not None else _filler(line_no) for c in slots[:last + 1]], line_no, kind)


def _header_rows(headers: list[str], pending: list[Cell], line_no: int) -> tuple[list[Row], Block, list[Cell]]:
    """The header row(s) of a run and its block; the cells before it that repeat merged top cells
    (收入 收入 收入 支出 支出 支出) become the upper level. Returns the rows, the block and the cells
    left before them."""
    upper_cells: list[Cell] = []
    if _repeated_upper([c.text for c in pending], len(headers)):
        upper_cells, pending = pending[-len(headers):], pending[:-len(headers)]
    rows = [Row(upper_cells, upper_cells[0].line_no, "header")] if upper_cells else []
    rows.append(Row([Cell(h, line_no) for h in headers], line_no, "header"))
    names, _ = combine_header_rows([[c.text for c in upper_cells], headers] if upper_cells else [headers])
    roles = [column_role(h) for h in names]
    if roles and roles[0] is not None and roles[0] not in LABEL_ROLES:
        # the figures' header printed without its label column: the label column comes first
        names, roles = [""] + names, [None] + roles
        for row in rows:
            row.cells.insert(0, _filler(line_no))
    return rows, Block(names, roles), pending


def _is_column_number_row(row: Row) -> bool:
    """栏次 1 栏次 2: the numbers of the columns, printed under the header."""
    texts = [c.text.strip() for c in row.cells if c.text.strip()]
    numbering = [t for t in texts if column_role(t) == "row_number"]
    return bool(numbering) and all(t in numbering or is_figure(t) for t in texts)


def _data_rows(cells: list[Cell], i: int, block: Block, fragments: bool) -> tuple[list[Row], int]:
    """The next data row(s) of a stream under a block (group rows of labels come first)."""
    start = i
    if block.has_repeated_groups:
        slots, i = _slot_row(cells, i, block, fragments)
        slot_rows = [slots]
    else:
        slot_rows, i = _label_row(cells, i, block, fragments)
    if i == start:  # nothing fitted: the cell is a row of its own
        slot_rows, i = [[cells[i]]], i + 1
    rows = [_materialise(s, "data") for s in slot_rows if any(c is not None for c in s)]
    for row in rows:
        if _is_column_number_row(row):
            row.kind = "caption"
    return rows, i


def _note_row(cells: list[Cell]) -> Row:
    return Row([Cell(" ".join(c.text for c in cells), cells[0].line_no)], cells[0].line_no, "note")


def rows_from_stream(cells: list[Cell], fragments: bool = False, stop_at_words: bool = False) -> list[Row] | None:
    """Cut a stream of cells (one paragraph per cell; a table flattened to one line) into rows.

    A header run (``_header_run``) starts a block; each data row then takes its labels and as many
    figures as the block has value columns, stopping early at a word where a figure belongs (a
    shorter funding row: 其中:当年财政拨款 | 43.2 | 43.2 | 37.24). Cells before the first header are
    one caption row; with ``stop_at_words`` the rows end at the first row without a figure or a dash
    and the rest is one note row. None when there is no header."""
    rows: list[Row] = []
    pending: list[Cell] = []
    block: Block | None = None
    i = 0
    while i < len(cells):
        # a header right after a header is the first row's labels (产出指标 | 数量指标 | 指标1 …)
        run = None if rows and rows[-1].kind == "header" else _header_run(cells, i, fragments)
        if run is not None:
            header_rows, block_, pending = _header_rows(run[0], pending, cells[i].line_no)
            if pending:
                rows.append(_pending_row(pending, block is None))
                pending = []
            rows.extend(header_rows)
            block, i = block_, run[1]
        elif block is None:
            pending.append(cells[i])
            i += 1
        else:
            start = i
            built, i = _data_rows(cells, i, block, fragments)
            if stop_at_words and not any(is_figure(c.text) or is_nil(c.text) for r in built for c in r.cells):
                return rows + [_note_row(cells[start:])]
            rows.extend(built)
    if pending:
        rows.append(_pending_row(pending, block is None))
    return rows if block is not None else None


def _pending_row(cells: list[Cell], before_header: bool) -> Row:
    """
    Cells before a header: a caption (title, unit, year) or key-value data (项目名称 | X | 主管部门 | Y).
    """
    caption = _is_caption_row([c.text for c in cells], before_header)
    return Row(cells, cells[0].line_no, "caption" if caption else "data")


# ---------------------------------------------------------------- pass 4: units

def _row_label(row: Row) -> str:
    return next((c.text for c in row.cells if c.text.strip() and not is_figure(c.text)), "")


def _pick_caption_uom(units: list[str], words: str) -> str | None:
    """
    One unit of a caption for a column: 单位:人、万元 gives 人 to a 人数 column, 万元 to the rest.
    """
    if not units:
        return None
    if len(units) == 1:
        return units[0]
    kinds = _uom_words()
    persons = [u for u in units if kinds.get(u) == "persons"]
    money = [u for u in units if kinds.get(u) == "money"]
    if _patterns()["persons"].search(words):
        return persons[0] if persons else None  # 人员编制 under 单位:万元: people, not money
    return money[0] if money else None


def assign_units(table: Table, blocks: dict[int, Block]) -> None:
    """The unit of each data cell: its column header's, else (for columns of money or of no known
    role) its row label's, the block caption's or the table caption's."""
    block: Block | None = None
    table_units = table.caption_uoms
    for r_idx, row in enumerate(table.rows):
        block = blocks.get(r_idx, block)
        if row.kind != "data":
            continue
        # rows above a table's first header (a cover page, 联系人 | 电话) are not under its caption;
        # a table with no header at all is
        units = table_units if block is not None or not blocks else []
        label = _row_label(row)
        for cell in row.cells:
            cell.is_value = is_figure(cell.text) and cell.role != "row_number"
            if not cell.is_value:
                continue
            own = header_uom(cell.header)
            if own or (cell.role is not None and cell.role not in MONEY_ROLES and cell.role != "value"):
                cell.uom = own
                continue
            words = f"{cell.header or ''} {label}"
            cell.uom = header_uom(label) or (block.uom if block else None) or _pick_caption_uom(units, words)


# ---------------------------------------------------------------- pass 5: table kind

def _project_name(table: Table) -> str:
    """The cell right of (or, one cell a row, under) 项目名称 in a data row (a column header 项目名称
    names a column of projects, not one project)."""
    pattern = _patterns()["project_name_header"]
    texts = [_texts(r) for r in table.rows]
    for r, row in enumerate(texts):
        if table.rows[r].kind == "header":
            continue
        for i, cell in enumerate(row):
            if pattern.fullmatch(cell):
                after = [c for c in row[i + 1:] if c]
                if not after and r + 1 < len(texts):  # one cell a row: the name is on the next row
                    after = [c for c in texts[r + 1] if c]
                if after:
                    return after[0].strip()
    return ""


def project_name_above(texts_above) -> str:
    """项目名称 购买第三方服务 on its own line above a self-evaluation's funding rows (a form flattened to
    text, where the layout reader cuts the table below its name field): the table's project.
    ``texts_above``: the non-empty lines above the table, nearest first."""
    pattern = _patterns()["project_name_header"]
    for text in texts_above:
        m = pattern.match(text)
        rest = text[m.end():].strip(" :|\t") if m else ""
        if rest:
            return rest.split()[0]
    return ""


@lru_cache(maxsize=1)
def _kind_cues() -> list[tuple[str, list[re.Pattern[str]], list[re.Pattern[str]]]]:
    kinds: dict[str, tuple[list, list]] = {}
    for word, kind in vocab.pairs("table_kind_title"):
        kinds.setdefault(kind, ([], []))[0].append(re.compile(word))
    for word, kind in vocab.pairs("table_kind_body"):
        kinds.setdefault(kind, ([], []))[1].append(re.compile(word))
    return [(k, t, b) for k, (t, b) in kinds.items()]


def table_kind(table: Table) -> tuple[str, str | None, str]:
    """(kind, evaluation, project_name) from the title, the deepest heading and the first rows."""
    texts = [_texts(r) for r in table.rows]
    flat = " ".join(" ".join(r) for r in texts[:60])
    title = table.title + " " + table.section_path.split(" > ")[-1]
    project_name = _project_name(table) or table.project_hint
    for kind, title_cues, body_cues in _kind_cues():
        if any(p.search(title) for p in title_cues) or any(p.search(flat) for p in body_cues):
            if kind == "self_evaluation":
                project_title = any(w in title for w in vocab.words("project_evaluation_title"))
                return kind, "project" if (project_name or project_title) else "overall", project_name
            return kind, None, ""
    return "other", None, project_name


# ---------------------------------------------------------------- the passes together

def table_caption_uoms(table: Table) -> list[str]:
    """Units stated for the whole table: the caption above it (uom_hint) or caption rows inside."""
    if table.uom_hint:
        return _patterns()["caption_uom_separator"].split(table.uom_hint)
    for row in table.rows:
        if row.kind == "caption":
            for t in _texts(row):
                if caption_uoms(t):
                    return caption_uoms(t)
        if row.kind == "header":
            break
    return []


STREAM_LAYOUTS = ("paragraph_cells", "flat_line")  # rows cut by rows_from_stream


def build_grid(table: Table) -> Table:
    """Read a table's rows as a grid (the passes above, in order)."""
    mark_rows(table, keep_kinds=table.layout in STREAM_LAYOUTS)
    blocks = header_blocks(table)
    place_cells(table, blocks)
    table.caption_uoms = table_caption_uoms(table)
    assign_units(table, blocks)
    table.kind, table.evaluation, table.project_name = table_kind(table)
    table.n_cols = max((c.col + 1 for r in table.rows for c in r.cells if c.col is not None), default=0)
    return table


# ---------------------------------------------------------------- raw rows

def _row_headers(row: Row) -> list[str | None]:
    """
    Each cell's row label: the last word in a column left of it (产出指标 | 数量指标 | X → X).
    """
    out: list[str | None] = []
    last: str | None = None
    for cell in sorted(row.cells, key=lambda c: -1 if c.col is None else c.col):
        out.append((id(cell), last))
        if cell.col is not None and is_text(cell.text):
            last = cell.text
    by_cell = dict(out)
    return [by_cell[id(c)] if c.col is not None else None for c in row.cells]


def table_record(table: Table) -> dict:
    """The table's row of ``raw.tables``."""
    return dict(table_id=table.table_id, layout=table.layout, start_line=table.start_line, end_line=table.end_line,
                title=table.title, uom_hint=table.uom_hint, section_path=table.section_path, table_kind=table.kind,
                evaluation=table.evaluation, project_name=table.project_name, n_rows=len(table.rows),
                n_cols=max((len(r.cells) for r in table.rows), default=0),
                grid_cols=table.n_cols, caption_uom=vocab.words("caption_uom_separator")[0].join(table.caption_uoms) or None)


def cell_records(table: Table) -> list[dict]:
    """The table's rows of ``raw.table_cells``: one per printed cell (``row_idx``/``col_idx`` count the
    cells as printed, 1-based), with the grid (row kind, grid column, header, role, unit)."""
    out = []
    for r_idx, row in enumerate(table.rows, start=1):
        row_headers = _row_headers(row) if row.kind == "data" else [None] * len(row.cells)
        for c_idx, (cell, row_header) in enumerate(zip(row.cells, row_headers), start=1):
            out.append(dict(
                table_id=table.table_id, row_idx=r_idx, col_idx=c_idx, line_no=cell.line_no, text=cell.text,
                is_header=row.kind == "header", is_numeric=is_figure(cell.text),
                row_header=row_header,
                col_header=cell.header, col_role=cell.role, parent_row_label=None,
                row_kind=row.kind, is_total_row=row.is_total, grid_col=cell.col, grid_header=cell.header,
                grid_role=cell.role, grid_uom=cell.uom, is_value=cell.is_value))
    return out
