"""A statement: one printed figure with its subject, modifiers and provenance (a row of raw.mentions).

Codes are *not* assigned here: ``item_text`` is the vocabulary word the figure is about (a glossary
alias as printed) and dbt maps it to a code within the domains its context allows.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields


@dataclass
class Statement:
    # the figure
    mention_id: int
    source_kind: str  # narrative | table
    line_no: int
    char_start: int
    value_text: str
    value: float
    decimals: int
    uom: str | None
    number_kind: str  # value | date | ordinal | docno
    # its subject
    label: str = ""  # the printed words before the figure in its clause (provenance of the subject)
    item_text: str = ""  # the vocabulary word naming the item (glossary alias), '' when none
    label_core: str = ""  # a second wording to map when item_text maps to nothing (the label's tail)
    subject_source: str | None = None  # occurrence | after | carried | parent | list | heading | column | row
    item_inherited: bool = False
    scheme_text: str | None = None
    scheme_source: str | None = None  # label | segment | sentence | paragraph | section | parent | table | children
    # whose figure (parts of the unit)
    part_text: str | None = None  # a sub-fund, a pool, a component (统筹基金, 个人账户, 医疗救助) → fund_part
    sub_unit_text: str | None = None  # a sub-area or sub-unit (磴口县, 局本级, 环卫处) → sub_unit
    project_text: str | None = None  # one project (暖通改造经费, 困难群众救助补助资金) → project_name
    fund_source: str | None = None  # money by source or level: central, provincial, …, current_appropriation …
    scope_text: str | None = None  # the area the figure covers (全省, 市本级)
    # modifiers
    status_text: str | None = None
    qualifier: str | None = None
    year_value: int | None = None
    year_relation: str | None = None  # explicit | prior | current
    basis_text: str | None = None
    mention_role: str = "level"  # level | change | ratio | rate | score | weight | indicator_value | other
    change_direction: str | None = None
    ratio_base_text: str | None = None
    related_mention_id: int | None = None  # for change/ratio/rate: the level statement it refers to
    parent_mention_id: int | None = None  # 其中 nesting and parenthesised breakdowns
    in_parentheses: bool = False
    dimension_text: str | None = None  # a self-evaluation's first-level dimension (决策, 过程, 产出 …)
    indicator_text: str | None = None  # an indicator's name (工程完工率)
    # provenance and context
    clause: str = ""
    sentence: str = ""
    section_path: str = ""
    context_hint: str | None = None
    table_id: int | None = None
    table_kind: str | None = None
    row_idx: int | None = None
    col_idx: int | None = None
    row_header: str | None = None
    col_header: str | None = None
    col_role: str | None = None
    parent_row_label: str | None = None
    # working state of the passes (not written)
    work: dict = field(default_factory=dict, repr=False)


# the fields a statement writes to raw.mentions: all but the passes' working state
ROW_FIELDS = frozenset(f.name for f in fields(Statement)) - {"work"}
