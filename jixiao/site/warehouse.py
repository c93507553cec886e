"""What the site shows, read from the warehouse in one read-only session.

Every query here reads the marts (and, for the text of the documents, the raw lines and mentions the
marts point at); nothing is computed that the marts do not already hold, so a figure on the site is
the figure an analyst gets from ``jixiao query``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from ..report import dict_rows


@dataclass
class Warehouse:
    units: list[dict]                     # dim_unit rows with documents, facts, unmapped, findings, years
    years: list[int]                      # every report year loaded
    documents: list[dict]                 # dim_document rows with the load status of each
    load_errors: list[dict]
    last_load: Optional[dict]
    last_build: Optional[dict]
    findings: list[dict]                  # dq_checks flags
    labels_zh: dict[str, str] = field(default_factory=dict)
    lines: dict[tuple[str, int], str] = field(default_factory=dict)   # (document_id, line) → text
    mentions: list[tuple] = field(default_factory=list)               # for SiteLinks
    cells: list[tuple] = field(default_factory=list)                  # for SiteLinks


def _one(con, sql: str) -> Optional[dict]:
    rows = dict_rows(con, sql, [])
    return rows[0] if rows else None


def _tables(con, schema: str) -> set[str]:
    return {r[0] for r in con.execute(
        "select table_name from information_schema.tables where table_schema = ?", [schema]).fetchall()}


class NotBuilt(LookupError):
    """The warehouse has no marts yet: the site shows the marts, so there is nothing to show."""


def read_warehouse(con) -> Warehouse:
    marts, raw = _tables(con, "marts"), _tables(con, "raw")
    if not {"dim_unit", "dim_document"} <= marts:
        raise NotBuilt("the warehouse has no marts yet: run `jixiao build` first (尚未构建数据集市，请先运行 jixiao build)")
    findings = dict_rows(con, """select * from marts.dq_checks where status = 'flag'""", []) if "dq_checks" in marts else []
    flags_by_unit: dict[str, int] = {}
    for f in findings:
        flags_by_unit[f["unit_id"]] = flags_by_unit.get(f["unit_id"], 0) + 1
    units = dict_rows(con, """select u.unit_id, u.unit_name, u.admin_level, u.region_name,
                                 count(d.document_id) as n_documents, coalesce(sum(d.n_facts), 0) as n_facts,
                                 coalesce(sum(d.n_unmapped_mentions), 0) as n_unmapped,
                                 list(d.report_year) as report_years
                          from marts.dim_unit u left join marts.dim_document d using (unit_id)
                          group by all order by u.unit_name""", [])
    for u in units:
        u["docs_by_year"] = _count(u.pop("report_years"))
        u["n_findings"] = flags_by_unit.get(u["unit_id"], 0)
    documents = dict_rows(con, """select d.*, r.status as load_status, r.status_reason, r.document_kind
                              from marts.dim_document d left join raw.documents r using (document_id)
                              order by d.unit_id, d.report_year, d.file_name""", [])
    return Warehouse(
        units=units,
        years=sorted({d["report_year"] for d in documents if d["report_year"] is not None}),
        documents=documents,
        load_errors=dict_rows(con, "select * from raw.load_errors order by recorded_at desc", []) if "load_errors" in raw else [],
        last_load=_one(con, "select * from raw.loads where status = 'completed' order by finished_at desc limit 1"),
        last_build=_one(con, "select * from build_state.builds order by build_no desc limit 1")  # jixiao/incremental.py
        if "builds" in _tables(con, "build_state") else None,
        findings=findings,
        labels_zh=dict(con.execute("select code, label_zh from reference.glossary_items").fetchall()),
        lines={(d, n): t for d, n, t in con.execute(
            """select l.document_id, l.line_no, l.text from raw.lines l
               join marts.dim_document d using (document_id, load_id)""").fetchall()},
        mentions=con.execute(
            """select m.document_id, m.line_no, m.char_start, m.value_text, m.value, m.source_kind, m.table_id, m.row_idx
               from raw.mentions m
               join marts.dim_document d using (document_id, load_id)
               where m.number_kind = 'value'  -- a figure; not a date, a document number or an ordinal
               order by m.document_id, m.line_no, m.col_idx nulls first, m.char_start, m.mention_id""").fetchall(),
        cells=con.execute(
            """select c.document_id, c.line_no, c.table_id, c.row_idx from raw.table_cells c
               join marts.dim_document d using (document_id, load_id) where c.line_no is not null""").fetchall(),
    )


def _count(values: list[Any]) -> dict[Any, int]:
    out: dict[Any, int] = {}
    for v in values:
        if v is not None:
            out[v] = out.get(v, 0) + 1
    return out


def facts_by_unit(con, marts: list[str]) -> dict[str, tuple[list[str], list[tuple]]]:
    """Every fact of every unit across the fact marts, for the units' exports: the marts' rows stacked
    by column name (a column a mart lacks is empty), the mart each row comes from first; nothing dropped."""
    present = _tables(con, "marts")
    parts = [f"select '{m}' as mart, * from marts.{m}" for m in marts if m in present]
    if not parts:
        return {}
    cursor = con.execute(" union all by name ".join(parts) + " order by unit_id, mart, fiscal_year")
    columns = [d[0] for d in cursor.description]
    at = columns.index("unit_id")
    out: dict[str, tuple[list[str], list[tuple]]] = {}
    for row in cursor.fetchall():
        out.setdefault(row[at], (columns, []))[1].append(row)
    return out
