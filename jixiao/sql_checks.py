"""The suites of ``jixiao.suites`` run as SQL in DuckDB (SQL 引擎的数据质量校验), with GX's semantics:
a column expectation ignores null values (except the not-null one); ``be_unique`` counts every row whose
value occurs more than once; a failed expectation on marts.dq_checks lists the check_id of each
unexpected row. ``jixiao check --incremental`` uses this engine: the rows of 10 units take well under a
second here, where GX's fixed cost is some ten seconds (see ``jixiao.suites``).
"""

from __future__ import annotations

from .suites import Expectation, Suite


def _unexpected(e: Expectation) -> str:
    """SQL true for a row that breaks ``e`` (parameters: the value set, then the bounds, as ``_params``)."""
    col = f'"{e.column}"' if e.column else None
    if e.type == "expect_column_values_to_not_be_null":
        return f"{col} is null"
    if e.type == "expect_column_values_to_be_in_set":
        where = f' and "{e.only_where[0]}" = ?' if e.only_where else ""
        return f"{col} is not null and not list_contains(?, {col}){where}"
    if e.type == "expect_column_values_to_be_between":
        # pandas reads NaN as missing, so GX skips it as it skips null
        return f"{col} is not null and not isnan({col}::double) and ({col}::double < ? or {col}::double > ?)"
    raise NotImplementedError(f"no SQL for {e.type} (SQL 引擎不支持此期望类型)")


def _params(e: Expectation) -> list:
    if e.type == "expect_column_values_to_be_in_set":
        return [list(e.value_set)] + ([e.only_where[1]] if e.only_where else [])
    if e.type == "expect_column_values_to_be_between":
        return [e.min_value, e.max_value]
    return []


def _count(con, e: Expectation, rows: str, params: list) -> tuple[bool, int]:
    """(success, unexpected rows) of one expectation over the relation ``rows``."""
    if e.type == "expect_table_row_count_to_be_between":
        (n,) = con.execute(f"select count(*) from {rows}", params).fetchone()
        return (e.min_value is None or n >= e.min_value) and (e.max_value is None or n <= e.max_value), 0
    if e.type == "expect_column_values_to_be_unique":
        (n,) = con.execute(f'select count(*) from (select count(*) over (partition by "{e.column}") as n from {rows} '
                           f'where "{e.column}" is not null) where n > 1', params).fetchone()
        return n == 0, int(n)
    (n,) = con.execute(f"select count(*) from {rows} where {_unexpected(e)}", params + _params(e)).fetchone()
    return n == 0, int(n)


def _check_ids(con, e: Expectation, rows: str, params: list) -> list:
    """The check_id of each row of marts.dq_checks that breaks ``e``."""
    if e.type == "expect_column_values_to_be_unique":
        sql = (f'select check_id from (select check_id, count(*) over (partition by "{e.column}") as n from {rows} '
               f'where "{e.column}" is not null) where n > 1')
        return [r for (r,) in con.execute(sql, params).fetchall()]
    if e.type == "expect_table_row_count_to_be_between":
        return []
    return [r for (r,) in con.execute(f"select check_id from {rows} where {_unexpected(e)}",
                                      params + _params(e)).fetchall()]


def scope(table: str, units: list[str] | None) -> tuple[str, list]:
    """The relation of the rows of ``units`` in a mart (every row when None), and its parameters."""
    if units is None:
        return f"marts.{table}", []
    return f"(select * from marts.{table} where unit_id in (select unnest(?::varchar[])))", [units]


def run_suite(con, suite: Suite, units: list[str] | None):
    """One Finding per expectation of ``suite`` on the rows of ``units`` (every row when None)."""
    from .checks import Finding

    rows, params = scope(suite.table, units)
    findings = []
    for e in suite.expectations:
        success, n = _count(con, e, rows, params)
        flagged = _check_ids(con, e, rows, params) if suite.table == "dq_checks" and not success else []
        findings.append(Finding(suite.name, suite.kind, e.label, success, n, e.meta.get("check_code") or e.column or "",
                                flagged))
    return findings
