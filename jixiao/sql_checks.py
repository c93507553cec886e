"""The suites of ``jixiao.suites`` run as SQL in DuckDB (SQL 引擎的数据质量校验), with GX's semantics:
a column expectation ignores null values (except the not-null one); ``be_unique`` counts every row whose
value occurs more than once; a failed expectation on marts.dq_checks lists the check_id of each
unexpected row. ``jixiao check --incremental`` uses this engine: the rows of 10 units take well under a
second here, where GX's fixed cost is some ten seconds (see ``jixiao.suites``).
"""

from __future__ import annotations

from .suites import Expectation, Finding, Suite


def _unexpected_rows(e: Expectation, rows: str) -> tuple[str, list]:
    """The SQL of the rows of the relation ``rows`` that break ``e``, and the parameters it adds."""
    col = f'"{e.column}"'
    if e.type == "expect_column_values_to_be_unique":
        return (f"select * from (select *, count(*) over (partition by {col}) as n_same from {rows} "
                f"where {col} is not null) where n_same > 1", [])
    if e.type == "expect_column_values_to_not_be_null":
        return f"select * from {rows} where {col} is null", []
    if e.type == "expect_column_values_to_be_in_set":
        where = f' and "{e.only_where[0]}" = ?' if e.only_where else ""
        return (f"select * from {rows} where {col} is not null and not list_contains(?, {col}){where}",
                [list(e.value_set)] + ([e.only_where[1]] if e.only_where else []))
    if e.type == "expect_column_values_to_be_between":
        # pandas reads NaN as missing, so GX skips it as it skips null
        return (f"select * from {rows} where {col} is not null and not isnan({col}::double) "
                f"and ({col}::double < ? or {col}::double > ?)", [e.min_value, e.max_value])
    raise NotImplementedError(f"no SQL for {e.type} (SQL 引擎不支持此期望类型)")


def _outcome(con, e: Expectation, rows: str, params: list, list_check_ids: bool) -> tuple[bool, int, list]:
    """(success, unexpected rows, their check_ids when ``list_check_ids`` and it failed) of one expectation."""
    if e.type == "expect_table_row_count_to_be_between":
        (n,) = con.execute(f"select count(*) from {rows}", params).fetchone()
        return (e.min_value is None or n >= e.min_value) and (e.max_value is None or n <= e.max_value), 0, []
    sql, extra = _unexpected_rows(e, rows)
    (n,) = con.execute(f"select count(*) from ({sql})", params + extra).fetchone()
    if n == 0 or not list_check_ids:
        return n == 0, int(n), []
    return False, int(n), [r for (r,) in con.execute(f"select check_id from ({sql})", params + extra).fetchall()]


def scope(table: str, units: list[str] | None) -> tuple[str, list]:
    """The relation of the rows of ``units`` in a mart (every row when None), and its parameters."""
    if units is None:
        return f"marts.{table}", []
    return f"(select * from marts.{table} where unit_id in (select unnest(?::varchar[])))", [units]


def run_suite(con, suite: Suite, units: list[str] | None) -> list[Finding]:
    """One Finding per expectation of ``suite`` on the rows of ``units`` (every row when None)."""
    rows, params = scope(suite.table, units)
    findings = []
    for e in suite.expectations:
        success, n, check_ids = _outcome(con, e, rows, params, list_check_ids=suite.table == "dq_checks")
        findings.append(Finding(suite.name, suite.kind, e.label, success, n, e.detail, check_ids))
    return findings
