"""The passes only a grid can run: what a figure cell's column and table say about it.

Each is ``pass_(st, fig, s, ctx)`` like the figure passes, reading the cell's place from
``st.work["place"]`` (``tables.CellPlace``); they run where ``seeds/reader_passes.csv`` puts them.
"""

from __future__ import annotations

from .. import vocabulary as vocab
from ..grid import column_role, header_uom
from .context import Figure, Sentence, regex
from .figure_passes import ReadContext, _nearest_longest, fits, unit_family, words
from .statement import Statement
from .vocab_index import index

# column roles that say what a figure is besides its basis
_CHANGE_ROLES = ("change_abs", "change_pct")
_OTHER_ROLES = ("period_actual", "balance_left", "returned")
_POINT_ROLES = ("weight", "score")
_INDICATOR_ROLES = ("target_value", "actual_value")
_NAMING_ROLES = (None, "amount", "value")  # columns whose header may name the item (参保人数, 当年基金收入)


def _place(st: Statement):
    return st.work.get("place")


def table_unit(st: Statement, fig: Figure, s: Sentence, ctx: ReadContext) -> None:
    """A cell printed without a unit takes the one its column, row or caption gives; points in a score
    column; persons in a column or row that counts people (人数, 编制)."""
    place = _place(st)
    if place is None or (st.uom is not None and st.uom not in [w for w, _ in vocab.pairs("bare_unit")]):
        return
    persons = st.decimals == 0 and any(w in f"{place.row_label}{place.header or ''}" for w in words("persons_word"))
    readings = dict(v.split(":", 1) for w, v in vocab.pairs("bare_unit") if w == st.uom)
    if readings:  # a bare 万 in a cell
        st.uom = readings["persons" if persons else "money"]
        return
    given = header_uom(place.header) or header_uom(place.row_label) or place.uom
    if given is not None and not (persons and unit_family(given) == "money"):
        st.uom = given
    elif place.role in _POINT_ROLES:
        st.uom = vocab.words("point_unit")[0]
    elif persons:
        st.uom = next(w for w, v in vocab.pairs("family_unit") if v == "persons")
    elif place.table.uom_hint and unit_family(place.table.uom_hint) == "money":
        st.uom = place.table.uom_hint


def read_column(st: Statement, fig: Figure, s: Sentence, ctx: ReadContext) -> None:
    """The column's role makes a figure a change, a rate, a weight or score, or an indicator's value."""
    place = _place(st)
    role = place.role if place is not None else None
    if role in _CHANGE_ROLES:
        st.mention_role, st.year_value, st.year_relation = "change", None, None
    elif role == "execution_rate" or (unit_family(st.uom) == "percent" and role not in _INDICATOR_ROLES):
        st.mention_role = "rate"
    elif role in _POINT_ROLES:
        st.mention_role = role
    elif role in _INDICATOR_ROLES:
        st.mention_role = "indicator_value"
    elif role in _OTHER_ROLES:
        st.mention_role = "other"
    elif st.mention_role in ("ratio", "score", "weight"):
        st.mention_role = "level" if unit_family(st.uom) not in ("percent", "points") else st.mention_role


def subject_from_header(st: Statement, fig: Figure, s: Sentence, ctx: ReadContext) -> None:
    """城镇职工医保 | 31455 | 7463.88 under 参保人数 | 当年基金收入: a row named by its scheme or by a total
    takes its item from the column header."""
    place = _place(st)
    if place is None or not place.header or place.role not in _NAMING_ROLES:
        return
    if st.item_text and not st.work.get("generic_subject") and not _names_a_total(st.item_text):
        return
    hits = [h for h in index().hits(place.header).within(0, len(place.header), "item") if fits(h, st)]
    best = _nearest_longest(hits)
    if best is not None:
        st.item_text, st.subject_source = best.surface, "column"
        st.work["subject_hit"], st.work["generic_subject"] = best, best.surface in words("generic_item")
        if st.scheme_text is None:
            st.scheme_source = "children"  # the row's scheme words are in the label, not a scheme of the item


def _names_a_total(item: str) -> bool:
    return item in words("total_word")


def basis_from_column(st: Statement, fig: Figure, s: Sentence, ctx: ReadContext) -> None:
    """The column header's basis word wins over the row's (年度资金总额 under 全年预算数(A))."""
    place = _place(st)
    if place is None or not place.header:
        return
    hits = index().hits(place.header)
    masks = hits.within(0, len(place.header), ("budget_name_phrase", "item_year_phrase"))
    bases = [h for h in hits.within(0, len(place.header), "basis_word")
             if not any(m.start <= h.start and h.end <= m.end and m.surface != h.surface for m in masks)]
    if bases:
        st.basis_text = max(bases, key=lambda h: (h.end, h.length)).value


def year_from_column(st: Statement, fig: Figure, s: Sentence, ctx: ReadContext) -> None:
    """2022年决算数, 上年数: the column's year wins; a project's row names a project, not a year."""
    place = _place(st)
    if place is None or st.mention_role == "change":
        return
    header = place.header or ""
    years = list(regex("year_pattern").finditer(header))
    if years:
        st.year_value, st.year_relation = int(years[-1].group(1)), "explicit"
    elif place.role == "prior" or any(h.value == "prior" for h in index().hits(header).within(0, len(header), "year_word")):
        st.year_value, st.year_relation = None, "prior"
    elif place.parent_label in words("project_total_word"):
        st.year_value, st.year_relation = None, None  # 2021年…补助资金 names a project


def scheme_from_parent_row(st: Statement, fig: Figure, s: Sentence, ctx: ReadContext) -> None:
    """A row without a scheme of its own takes its block's (the parent row's), then the table's."""
    place = _place(st)
    if place is None or st.scheme_source in ("label", "children"):
        return
    parent = place.parent_label or ""
    hits = index().hits(parent).within(0, len(parent), "scheme") if parent else []
    if hits:
        st.scheme_text, st.scheme_source = _nearest_longest(hits).surface, "table"
    elif st.scheme_text is not None:
        st.scheme_source = "table"
