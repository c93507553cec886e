"""Read-only queries for analysts: run SQL (or a file in analyses/), label codes in Chinese, export.

The warehouse is always opened read-only, with DuckDB's external access off and its configuration
locked (no ATTACH of another file, no COPY … TO, no read_csv('/etc/passwd'), no extension loading,
and no SET can undo it), and closed before returning — analyst SQL can read the warehouse and
nothing else. Codes (item_code, measure_code, scheme_code …) are shown with their glossary label
beside them (reference.glossary_items); exports get a ``<code column>_label_zh`` column next to each
code column. Exports are inert: a text cell that starts like a formula (= + - @, tab, CR) is written
as text in .xlsx and with a leading apostrophe in .csv (the OWASP rule for CSV injection).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Optional

import duckdb

from .paths import warehouse_path

# Column names → Chinese header beside the English one.
HEADERS_ZH = {
    "unit_id": "单位编号", "unit_name": "单位", "fiscal_year": "年度", "prior_fiscal_year": "上年度",
    "report_year": "报告年度", "subject": "主题", "item_code": "科目", "measure_code": "指标",
    "scheme_code": "险种", "budget_line": "支出类别", "project_name": "项目", "status": "状态",
    "post_type": "编制类型", "basis": "口径", "value": "本年值", "prior_value": "上年值", "value_uom": "单位",
    "abs_change": "变动额", "pct_change": "变动率%", "claimed_abs_change": "自述变动额",
    "claimed_pct_change": "自述变动率%", "claim_check": "自述核对", "amount_wan_yuan": "金额(万元)",
    "stated_value": "原文数字", "stated_uom": "原文单位", "document_id": "文档", "source_line": "行",
    "source_text": "原文", "source_kind": "来源类型", "fund_source": "资金来源",
    "budget_initial_wan_yuan": "年初预算(万元)", "budget_adjusted_wan_yuan": "全年预算(万元)",
    "actual_wan_yuan": "执行数(万元)", "execution_rate": "执行率%", "stated_execution_rate": "自述执行率%",
    "label_zh": "中文名", "label_en": "英文名", "scope": "范围", "check_code": "检查", "severity": "严重程度",
    "message": "说明", "expected_value": "应为", "observed_value": "实为", "difference": "差异",
    "tolerance": "容差", "item_codes": "科目", "document_ids": "文档", "source_lines": "行",
    "econ_class_code": "经济分类", "share_of_line_pct": "占比%", "n_claims": "表述数",
    "implied_prior_value": "推算上年值", "prior_source_line": "上年行", "claim_source_line": "自述行",
    "item": "科目", "lines": "行 本年/上年/自述",
}
CODE_COLUMNS = ("item_code", "measure_code", "scheme_code", "fact_code", "code")
CHECK_STYLES = {"consistent": "green", "inconsistent": "bold red", "no_prior": "yellow", "no_claim": "dim",
                "flag": "bold red", "pass": "green"}


@dataclass
class Result:
    columns: list[str]
    rows: list[tuple]
    labels: dict[str, str] = field(default_factory=dict)  # glossary code → label_zh

    def label(self, column: str, value: Any) -> str:
        if column in CODE_COLUMNS and isinstance(value, str):
            code = "si_all_funds" if (column == "scheme_code" and value == "all") else value
            if code in self.labels:
                return f"{value} {self.labels[code]}"
        if column == "item_codes" and isinstance(value, (list, tuple)):
            return ", ".join(f"{v} {self.labels.get(v, '')}".strip() for v in value)
        return format_value(value)

    def labelled_frame(self):
        """A pandas DataFrame with a ``<code>_label_zh`` column next to each code column (for export)."""
        import pandas as pd

        out: dict[str, list] = {}
        for i, col in enumerate(self.columns):
            values = [r[i] for r in self.rows]
            out[col] = [float(v) if isinstance(v, Decimal) else v for v in values]
            if values and all(isinstance(v, int) and not isinstance(v, bool) for v in values if v is not None):
                out[col] = pd.array(values, dtype="Int64")
            if col in CODE_COLUMNS:
                out[f"{col}_label_zh"] = [self.labels.get("si_all_funds" if (col == "scheme_code" and v == "all") else v)
                                          if isinstance(v, str) else None for v in values]
        return pd.DataFrame(out)


def format_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f") if value == value.to_integral() else f"{value:f}".rstrip("0").rstrip(".")
        return text
    if isinstance(value, float):
        return f"{value:,.4f}".rstrip("0").rstrip(".")
    if isinstance(value, (list, tuple)):
        return ", ".join(format_value(v) for v in value)
    return str(value)


def header(column: str) -> str:
    zh = HEADERS_ZH.get(column)
    return f"{column}\n{zh}" if zh else column


# what an analyst's connection may not do: reach files, the network or extensions, or change that
LOCKED_DOWN = {"enable_external_access": False, "autoload_known_extensions": False,
               "autoinstall_known_extensions": False, "allow_community_extensions": False,
               "lock_configuration": True}


def connect(db: Optional[str] = None) -> duckdb.DuckDBPyConnection:
    """The warehouse read-only, sealed: only its own tables can be read (LOCKED_DOWN)."""
    from loaders.store import check_warehouse_name

    path = db or warehouse_path()
    check_warehouse_name(path)
    return duckdb.connect(path, read_only=True, config=dict(LOCKED_DOWN))


def glossary_labels(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    try:
        return dict(con.execute("select code, label_zh from reference.glossary_items").fetchall())
    except duckdb.Error:
        return {}


def run_sql(sql: str, unit: Optional[str] = None, db: Optional[str] = None) -> Result:
    """Run one or more statements read-only; the last one's rows are returned.

    ``unit`` sets the DuckDB variable ``unit`` that the analyses in analyses/ filter on.
    """
    con = connect(db)
    try:
        if unit:
            con.execute("set variable unit = ?", [unit])
        statements = [s for s in _split_statements(sql) if s.strip()]
        if not statements:
            raise ValueError("no SQL statement given (没有 SQL 语句)")
        for statement in statements[:-1]:
            con.execute(statement)
        cursor = con.execute(statements[-1])
        columns = [d[0] for d in cursor.description] if cursor.description else []
        rows = cursor.fetchall() if columns else []
        return Result(columns, rows, glossary_labels(con))
    finally:
        con.close()


def _split_statements(sql: str) -> list[str]:
    """Split on semicolons outside quotes and comments (enough for analyses and typed queries)."""
    out, buf, quote, i = [], [], None, 0
    while i < len(sql):
        ch = sql[i]
        if quote:
            buf.append(ch)
            if ch == quote:
                quote = None
        elif ch in ("'", '"'):
            quote = ch
            buf.append(ch)
        elif sql.startswith("--", i):
            end = sql.find("\n", i)
            end = len(sql) if end < 0 else end
            buf.append(sql[i:end])
            i = end
            continue
        elif ch == ";":
            out.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
        i += 1
    out.append("".join(buf))
    return [s for s in out if _strip_comments(s).strip()]


def _strip_comments(sql: str) -> str:
    return "\n".join(line.split("--", 1)[0] for line in sql.splitlines())


YOY_SQL = """
select y.fiscal_year, y.subject, y.item_code, y.scheme_code, y.budget_line, y.project_name, y.basis,
       y.value, y.prior_value, y.value_uom, y.abs_change, y.pct_change,
       y.claimed_abs_change, y.claimed_pct_change, y.claim_check,
       y.source_line, y.prior_source_line, y.claim_source_line, u.unit_name
from marts.yoy_changes as y
join marts.dim_unit as u on u.unit_id = y.unit_id
where (contains(u.unit_name, $unit) or y.unit_id = $unit)
  and ($subject is null or y.subject = $subject)
  and ($with_prior_only = false or y.prior_value is not null)
order by u.unit_name, y.subject, y.item_code, y.scheme_code nulls first, y.budget_line, y.basis, y.fiscal_year
"""


def yoy(unit: str, subject: Optional[str] = None, with_prior_only: bool = False, db: Optional[str] = None) -> Result:
    con = connect(db)
    try:
        cursor = con.execute(YOY_SQL, {"unit": unit, "subject": subject, "with_prior_only": with_prior_only})
        columns = [d[0] for d in cursor.description]
        return Result(columns, cursor.fetchall(), glossary_labels(con))
    finally:
        con.close()


def rich_table(result: Result, title: str = "", max_rows: Optional[int] = None, hide: tuple[str, ...] = ()):
    from rich.table import Table

    table = Table(title=title, show_lines=False, header_style="bold")
    # columns that are empty in every row say nothing: leave them out of the printed table
    shown = [i for i, c in enumerate(result.columns)
             if c not in hide and (not result.rows or any(r[i] not in (None, "") for r in result.rows))]
    for i in shown:
        column = result.columns[i]
        numeric = any(isinstance(r[i], (int, float, Decimal)) and not isinstance(r[i], bool) for r in result.rows[:50])
        table.add_column(header(column), justify="right" if numeric else "left", overflow="fold",
                         no_wrap=numeric or column in ("fiscal_year", "claim_check", "basis", "subject"))
    rows = result.rows if max_rows is None else result.rows[:max_rows]
    for row in rows:
        cells = []
        for i in shown:
            text = result.label(result.columns[i], row[i])
            style = CHECK_STYLES.get(row[i]) if result.columns[i] in ("claim_check", "status") else None
            cells.append(f"[{style}]{text}[/{style}]" if style else text.replace("[", "\\["))
        table.add_row(*cells)
    if max_rows is not None and len(result.rows) > max_rows:
        table.caption = f"{max_rows} of {len(result.rows)} rows shown (共 {len(result.rows)} 行)"
    return table


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet may read as a formula


def looks_like_formula(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def _csv_safe(frame):
    """A copy whose text cells cannot run as formulas when the .csv is opened in a spreadsheet: such a
    cell gets a leading apostrophe (the OWASP recommendation), so it is plainly text."""
    safe = frame.copy()
    for col in safe.columns:
        if safe[col].dtype == object:
            safe[col] = safe[col].map(lambda v: "'" + v if looks_like_formula(v) else v)
    return safe


def _xlsx_text_cells(sheet_ws) -> None:
    """openpyxl turns a string that starts with '=' into a formula cell: make such cells text again
    (and quote-prefixed, so Excel keeps them text when edited)."""
    for row in sheet_ws.iter_rows():
        for cell in row:
            if looks_like_formula(cell.value):
                cell.data_type = "s"
                cell.quotePrefix = True


def export(result: Result, csv: Optional[Path] = None, xlsx: Optional[Path] = None, sheet: str = "result") -> list[Path]:
    written = []
    if csv or xlsx:
        frame = result.labelled_frame()
        if csv:
            csv.parent.mkdir(parents=True, exist_ok=True)
            _csv_safe(frame).to_csv(csv, index=False, encoding="utf-8-sig")  # the BOM lets Excel read the Chinese
            written.append(csv)
        if xlsx:
            xlsx.parent.mkdir(parents=True, exist_ok=True)
            with __import__("pandas").ExcelWriter(xlsx, engine="openpyxl") as writer:
                frame.to_excel(writer, sheet_name=sheet[:31], index=False)
                sheet_ws = writer.sheets[sheet[:31]]
                _xlsx_text_cells(sheet_ws)
                for col_cells in sheet_ws.columns:
                    width = max(len(str(c.value or "")) for c in col_cells[:200])
                    sheet_ws.column_dimensions[col_cells[0].column_letter].width = min(max(10, width + 2), 60)
                sheet_ws.freeze_panes = "A2"
            written.append(xlsx)
    return written


def yoy_display(result: Result) -> Result:
    """The yoy rows condensed for a terminal: one item column (code, Chinese label, scheme, line) and one line column."""
    idx = {c: i for i, c in enumerate(result.columns)}
    columns = ["fiscal_year", "subject", "item", "basis", "value", "prior_value", "abs_change", "pct_change",
               "claimed_abs_change", "claimed_pct_change", "claim_check", "lines"]
    rows = []
    for r in result.rows:
        parts = [result.label("item_code", r[idx["item_code"]])]
        if r[idx["scheme_code"]]:
            parts.append(result.label("scheme_code", r[idx["scheme_code"]]))
        if r[idx["budget_line"]] not in (None, "all"):
            parts.append(r[idx["budget_line"]])
        if r[idx["project_name"]]:
            parts.append(r[idx["project_name"]])
        lines = "/".join(format_value(r[idx[c]]) or "-" for c in ("source_line", "prior_source_line", "claim_source_line"))
        rows.append((r[idx["fiscal_year"]], r[idx["subject"]], " · ".join(parts), r[idx["basis"]], r[idx["value"]],
                     r[idx["prior_value"]], r[idx["abs_change"]], r[idx["pct_change"]], r[idx["claimed_abs_change"]],
                     r[idx["claimed_pct_change"]], r[idx["claim_check"]], lines))
    return Result(columns, rows, result.labels)
