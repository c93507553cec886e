"""Tables: every figure cell of a grid (``loaders/grid.py``) read as a statement by the same passes as prose.

A cell's statement is read from the words its row gives it (``row label: figure``), so subject by
occurrence, basis, parts, scheme and the rest come from the shared figure passes; the table passes
(``applies_to`` table in ``seeds/reader_passes.csv``) then add what only a grid knows: the column's
role and header (basis, year, change, rate, weight, score), a row named only by its scheme or a total
taking its item from the column header, the table's scheme and project, and the unit a column or a
caption gives. Rows belong to blocks (其中 rows, a self-evaluation's funding sources, a basic-data
table's template blocks) recorded as ``parent_row_label`` for dbt.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from .. import vocabulary as vocab
from ..grid import cell_records, header_uom, table_record
from ..normalize import is_han
from ..segment import Segmentation, Table
from .context import DocumentContext, ParagraphState, Sentence, regex
from .figure_passes import ReadContext, _nearest_longest, words
from .passes import figure_passes, sentence_passes
from .prose import read_sentence, section_context
from .statement import Statement


@dataclass
class TableRead:
    statements: list[Statement]
    tables: list[dict]
    cells: list[dict]


@dataclass
class CellPlace:
    """What a figure cell knows from its grid, for the table passes."""
    table: Table
    row_idx: int  # 1-based, as raw.table_cells
    col_idx: int
    header: str | None
    role: str | None
    uom: str | None
    row_label: str
    parent_label: str | None


def read_tables(seg: Segmentation, document: DocumentContext, lexicon, first_id: int) -> TableRead:
    statements: list[Statement] = []
    tables, cells = [], []
    codes = dict(lexicon.scheme_codes)
    for table in seg.tables:
        ctx = ReadContext(document, section_context(table.section_path, ""), ParagraphState(),
                          lexicon.generic_schemes, codes)
        ctx.section.scheme = table_scheme(table) or ctx.section.scheme
        parents = row_parents(table)
        tables.append(table_record(table))
        for record in cell_records(table):
            record["parent_row_label"] = parents.get(record["row_idx"])
            cells.append(record)
        for r_idx, row in enumerate(table.rows, start=1):
            if row.kind != "data":
                continue
            statements.extend(read_row(table, r_idx, row, parents.get(r_idx), ctx, first_id + len(statements)))
    return TableRead(statements, tables, cells)


def read_row(table: Table, r_idx: int, row, parent: str | None, ctx: ReadContext, first_id: int) -> list[Statement]:
    out: list[Statement] = []
    labels = row_labels(row)
    for c_idx, cell in enumerate(row.cells, start=1):
        label = labels[c_idx - 1] or ""
        place = CellPlace(table, r_idx, c_idx, cell.header, cell.role, cell.uom, label, parent)
        if cell.is_value:
            st = read_figure_cell(cell, place, row, ctx, first_id + len(out))
            if st is not None:
                out.append(st)
        elif cell.text and any(ch.isdigit() for ch in cell.text):
            out.extend(read_text_cell(cell, place, ctx, first_id + len(out)))
    return out


def read_figure_cell(cell, place: CellPlace, row, ctx: ReadContext, mention_id: int) -> Statement | None:
    """``row label: figure`` read as one sentence; the cell's own number is the statement."""
    prefix = f"{place.row_label}:" if place.row_label else ""
    s = Sentence.read(prefix + cell.text.replace(" ", ""), 0)
    tokens = [t for t in s.tokens if t.kind == "value" and t.start >= len(prefix)]
    if not tokens:
        return None
    tok = tokens[0]
    st = Statement(mention_id, "table", cell.line_no, 0, tok.text, tok.value, tok.decimals, tok.uom, tok.kind)
    _locate(st, place, row)
    fig = s.figure_of(tok, 0)
    s.figures[st.mention_id] = fig
    s.statements.append(st)
    st.work["place"] = place
    for run in figure_passes("table"):
        run(st, fig, s, ctx)
    for run in sentence_passes("table"):
        run([st], s, ctx)
    return st


def read_text_cell(cell, place: CellPlace, ctx: ReadContext, first_id: int) -> list[Statement]:
    """A text cell with figures in it (其中:一般公共预算:303.64, 参保率达100%) is read as prose."""
    from .prose import Paragraph, read_sentences

    para = Paragraph(cell.text, [(0, cell.line_no)], place.table.section_path)
    given = header_uom(place.row_label) or place.uom or place.table.uom_hint  # 项目资金(万元) | 年度资金总额:203
    # the cell's sentences share a paragraph state of their own: what one cell names does not carry into the next
    cell_ctx = dataclasses.replace(ctx, paragraph=dataclasses.replace(ctx.paragraph))
    out = read_sentences(para, cell_ctx, first_id, source_kind="table", default_uom=given)
    for st in out:
        _locate(st, place, None)
    return out


def _locate(st: Statement, place: CellPlace, row) -> None:
    t = place.table
    st.table_id, st.table_kind, st.row_idx, st.col_idx = t.table_id, t.kind, place.row_idx, place.col_idx
    st.row_header, st.col_header, st.col_role = place.row_label or None, place.header, place.role
    st.parent_row_label, st.section_path = place.parent_label, t.section_path
    if row is not None:
        st.sentence = " | ".join(c.text for c in row.cells if c.text)
        st.clause = st.value_text


# ------------------------------------------------------------------ rows: labels and blocks

def row_labels(row) -> list[str | None]:
    """Each cell's row label: the indicator of a score row, else the last text cell left of it."""
    out: list[str | None] = []
    last: str | None = None
    indicator = next((c.text for c in row.cells if c.role == "indicator" and c.text), None)
    name = next((c.text for c in row.cells if c.role == "name" and c.text), None)
    for cell in row.cells:
        out.append(indicator or name or last)
        if _is_label_cell(cell):
            last = _strip_numbering(cell.text) if cell.role not in ("level1", "level2") else last or cell.text
    return out


def _is_label_cell(cell) -> bool:
    """A cell that names its row: words, not a figure or a row number (行次, 序号)."""
    return bool(cell.text) and not cell.is_value and cell.role != "row_number" \
        and any(is_han(ch) for ch in cell.text)


def _strip_numbering(text: str) -> str:
    return regex("numbering_pattern").sub("", text.strip()).strip(" :")


def _first_label(row) -> str:
    return next((c.text for c in row.cells if c.text and not c.is_value), "").strip()


def row_parents(table: Table) -> dict[int, str]:
    """The block each data row belongs to: rows numbered or opened by 其中 belong to the unnumbered row
    before them; in a 基础数据表 only its template's block heads open a block; in a self-evaluation's
    funding block every source row belongs to 年度资金总额; each row of a project list is a project."""
    parents: dict[int, str] = {}
    parent: str | None = None
    funding: str | None = None
    project_total = vocab.words("project_total_word")[0]
    for r_idx, row in enumerate(table.rows, start=1):
        if row.kind == "header":
            funding = None
            continue
        if row.kind != "data":
            continue
        label = _first_label(row)
        if _is_project_list_row(row):
            parents[r_idx] = project_total
            continue
        if label and table.kind == "self_evaluation" and funding and not _names_funding_total(label) \
                and any(c.role in ("budget_initial", "budget_adjusted", "actual") for c in row.cells if c.is_value):
            parents[r_idx] = funding
        elif label:
            child = bool(regex("numbering_pattern").match(label)) or _opens_with_list_marker(label)
            if table.kind == "basic_data" and parent and not _is_block_head(label):
                child = True
            if child and parent:
                parents[r_idx] = parent
            elif not child:
                parent = label.rstrip(":")
        elif parent:
            parents[r_idx] = parent
        if _names_funding_total(label):
            funding = label.rstrip(":")
        elif label and any(w in label for w in words("funding_block_end")):
            funding = None
    return parents


def _names_funding_total(label: str) -> bool:
    return any(w in label for w in words("funding_total_word"))


def _opens_with_list_marker(label: str) -> bool:
    return any(label.startswith(w) for w, v in vocab.pairs("list_marker") if v == "nest")


def _is_block_head(label: str) -> bool:
    return any(label.replace('"', "").startswith(w) for w in words("basic_data_block_head"))


def _is_project_list_row(row) -> bool:
    """A row of a list of projects: its name column (项目名称) holds a name."""
    return any(c.role == "name" and c.text and not c.is_value and _is_project_header(c.header) for c in row.cells)


def _is_project_header(header: str | None) -> bool:
    return bool(header) and any(w in header for w in words("project_header_word"))


def table_scheme(table: Table) -> str | None:
    """The scheme a whole table is about: its title, else the caption rows above its header, else its section."""
    from .vocab_index import index

    captions = " ".join(c.text for r in table.rows[:6] if r.kind == "caption" for c in r.cells)
    for text in (table.title, captions, table.section_path):
        hits = index().hits(text).within(0, len(text), "scheme") if text else []
        if hits:
            return _nearest_longest(hits).surface
    return None
