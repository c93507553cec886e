"""Build the marts beside the live ones, then replace them all at once (blue/green marts).

``jixiao build`` runs dbt with the var ``marts_build_schema`` = ``marts__next``
(macros/generate_schema_name.sql), so the new marts and their data tests live in a shadow schema
while analysts keep the previous ones. When dbt has passed, ``swap_in`` replaces every table of
``marts`` by its shadow copy in ONE transaction: a reader sees the old marts or the new ones,
never a mix, and a build killed at any moment (SIGKILL included) leaves the previous marts whole.

DuckDB cannot rename a schema nor move a table to another schema (``ALTER SCHEMA … RENAME`` and
``ALTER TABLE … SET SCHEMA`` are "not implemented" in 1.4), so the swap copies: DROP the live
table, CREATE TABLE AS the shadow one, restore its comments (dbt's persist_docs), inside one
transaction; then the shadow schema is dropped. Copying the marts takes seconds even at 10,000
reports (they are small next to raw).
"""

from __future__ import annotations

from typing import Callable, Optional

import duckdb

LIVE = "marts"
SHADOW = "marts__next"


def dbt_vars() -> str:
    """The --vars argument that sends dbt's marts to the shadow schema."""
    return "{marts_build_schema: %s}" % SHADOW


def _tables(con: duckdb.DuckDBPyConnection, schema: str) -> list[str]:
    return [r[0] for r in con.execute(
        "select table_name from duckdb_tables() where database_name = current_database() and schema_name = ? "
        "order by table_name", [schema]).fetchall()]


def prepare(con: duckdb.DuckDBPyConnection, partial: bool) -> None:
    """Start from an empty shadow schema (a killed build may have left one). A partial build
    (``--select``) starts from a copy of the live marts, so the marts it does not rebuild are
    there for the ones it does to refer to, and the swap puts back a complete set."""
    con.execute(f"DROP SCHEMA IF EXISTS {SHADOW} CASCADE")
    con.execute(f"CREATE SCHEMA {SHADOW}")
    if partial:
        for table in _tables(con, LIVE):
            con.execute(f'CREATE TABLE {SHADOW}."{table}" AS SELECT * FROM {LIVE}."{table}"')
            _copy_comments(con, LIVE, SHADOW, table)


def discard(con: duckdb.DuckDBPyConnection) -> None:
    """Drop the shadow schema of a failed build; the live marts were never touched."""
    con.execute(f"DROP SCHEMA IF EXISTS {SHADOW} CASCADE")


def shadow_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    return _tables(con, SHADOW)


def tables_with_unit_id(con: duckdb.DuckDBPyConnection, schema: str) -> list[str]:
    """The tables of ``schema`` that have a unit_id column (every mart: an incremental build replaces
    their rows unit by unit)."""
    return [r[0] for r in con.execute(
        "select table_name from duckdb_columns() where database_name = current_database() and schema_name = ? "
        "and column_name = 'unit_id' order by table_name", [schema]).fetchall()]


def swap_in(con: duckdb.DuckDBPyConnection,
            before_commit: Optional[Callable[[duckdb.DuckDBPyConnection], None]] = None) -> list[str]:
    """Replace the live marts by the shadow ones in one transaction; returns the tables swapped.
    ``before_commit`` runs inside that transaction after the swap (the build's record,
    jixiao/incremental.py, is committed with the marts it describes or not at all)."""
    new = _tables(con, SHADOW)
    if not new:
        raise RuntimeError(f"no tables in {SHADOW}: nothing to swap in (影子模式为空，未替换)")
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {LIVE}")
        for table in _tables(con, LIVE):
            if table not in new:  # a mart the project no longer has
                con.execute(f'DROP TABLE {LIVE}."{table}"')
        for table in new:
            con.execute(f'DROP TABLE IF EXISTS {LIVE}."{table}"')
            con.execute(f'CREATE TABLE {LIVE}."{table}" AS SELECT * FROM {SHADOW}."{table}"{_clustered(con, table)}')
            _copy_comments(con, SHADOW, LIVE, table)
        if before_commit:
            before_commit(con)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute(f"DROP SCHEMA IF EXISTS {SHADOW} CASCADE")
    return new


def _clustered(con: duckdb.DuckDBPyConnection, table: str) -> str:
    """`` ORDER BY unit_id`` for a mart with that column: analysts ask per unit (``jixiao yoy UNIT``,
    ``jixiao report UNIT``, ``where unit_id = ?``), and a unit's rows stored together let DuckDB's
    min/max zone maps skip the other row groups instead of scanning the whole mart. Row order is
    not part of the contract; the rows are the same."""
    has = con.execute("select 1 from duckdb_columns() where database_name = current_database() and schema_name = ? "
                      "and table_name = ? and column_name = 'unit_id'", [SHADOW, table]).fetchone()
    return " ORDER BY unit_id" if has else ""


def _copy_comments(con: duckdb.DuckDBPyConnection, source: str, target: str, table: str) -> None:
    """dbt's persist_docs wrote the descriptions as comments on the shadow table: carry them over."""
    (comment,) = con.execute(
        "select comment from duckdb_tables() where database_name = current_database() and schema_name = ? "
        "and table_name = ?", [source, table]).fetchone()
    if comment:
        con.execute(f'COMMENT ON TABLE {target}."{table}" IS {_literal(comment)}')
    for column, text in con.execute(
            "select column_name, comment from duckdb_columns() where database_name = current_database() "
            "and schema_name = ? and table_name = ? and comment is not null", [source, table]).fetchall():
        con.execute(f'COMMENT ON COLUMN {target}."{table}"."{column}" IS {_literal(text)}')


def _literal(text: str) -> str:
    """A SQL string literal (COMMENT ON takes no bound parameters)."""
    return "'" + text.replace("'", "''") + "'"
