"""The ``raw`` schema in DuckDB: DDL and the one-transaction-per-document writer.

Every row carries the ``load_id`` that wrote it; ``raw.loads`` records whether a load completed,
so a half-finished load is never mistaken for data (the dlt convention).
"""

from __future__ import annotations

import os
import time
from contextlib import contextmanager
from functools import lru_cache
from typing import TYPE_CHECKING

import duckdb

from .messages import message
from .resources import limit_resources

# pyarrow and pandas are imported where rows are written, not here: every CLI process imports this
# module (for ``connect``), and a command that writes no rows starts without them (jixiao --help: 1.45 →
# 0.5 s, 154 → 63 MB). DuckDB's client still imports pandas itself at its first parameterised query.
if TYPE_CHECKING:
    import pyarrow as pa

RAW_DDL = {
    "loads": """
        load_id VARCHAR PRIMARY KEY, started_at TIMESTAMP, finished_at TIMESTAMP, status VARCHAR,
        n_files INTEGER, n_loaded INTEGER, n_unchanged INTEGER, n_errors INTEGER, parser_version VARCHAR""",
    "documents": """
        document_id VARCHAR PRIMARY KEY, load_id VARCHAR, file_name VARCHAR, file_path VARCHAR, sha256 VARCHAR,
        format VARCHAR, encoding VARCHAR, size_bytes BIGINT, n_lines INTEGER, traditional_converted BOOLEAN,
        unit_name VARCHAR, unit_name_source VARCHAR, unit_name_candidates VARCHAR[], report_year INTEGER,
        report_year_source VARCHAR, title VARCHAR, parent_department VARCHAR, document_kind VARCHAR,
        evaluated_project VARCHAR,
        parser_version VARCHAR,
        loaded_at TIMESTAMP, status VARCHAR, status_reason VARCHAR""",
    "load_errors": """
        load_id VARCHAR, file_path VARCHAR, file_name VARCHAR, sha256 VARCHAR, error_kind VARCHAR,
        reason VARCHAR, recorded_at TIMESTAMP""",
    "lines": """
        document_id VARCHAR, load_id VARCHAR, line_no INTEGER, original_text VARCHAR, text VARCHAR,
        line_kind VARCHAR, section_path VARCHAR, table_id INTEGER""",
    "sections": """
        document_id VARCHAR, load_id VARCHAR, section_id INTEGER, level INTEGER, heading VARCHAR,
        start_line INTEGER, end_line INTEGER, section_path VARCHAR""",
    "tables": """
        document_id VARCHAR, load_id VARCHAR, table_id INTEGER, layout VARCHAR, start_line INTEGER,
        end_line INTEGER, title VARCHAR, uom_hint VARCHAR, section_path VARCHAR, table_kind VARCHAR,
        evaluation VARCHAR, project_name VARCHAR, n_rows INTEGER, n_cols INTEGER, grid_cols INTEGER,
        caption_uom VARCHAR""",
    "table_cells": """
        document_id VARCHAR, load_id VARCHAR, table_id INTEGER, row_idx INTEGER, col_idx INTEGER,
        line_no INTEGER, text VARCHAR, is_header BOOLEAN, is_numeric BOOLEAN, row_header VARCHAR,
        col_header VARCHAR, col_role VARCHAR, parent_row_label VARCHAR, row_kind VARCHAR, is_total_row BOOLEAN,
        grid_col INTEGER, grid_header VARCHAR, grid_role VARCHAR, grid_uom VARCHAR, is_value BOOLEAN""",
    "mentions": """
        document_id VARCHAR, load_id VARCHAR, mention_id INTEGER, source_kind VARCHAR, line_no INTEGER,
        char_start INTEGER, value_text VARCHAR, value DOUBLE, decimals INTEGER, uom VARCHAR, number_kind VARCHAR,
        label VARCHAR, item_text VARCHAR, label_core VARCHAR, part_text VARCHAR, item_inherited BOOLEAN, scheme_text VARCHAR, scheme_source VARCHAR, scope_text VARCHAR,
        status_text VARCHAR, qualifier VARCHAR, year_value INTEGER, year_relation VARCHAR, basis_text VARCHAR,
        mention_role VARCHAR, change_direction VARCHAR, ratio_base_text VARCHAR, related_mention_id INTEGER,
        parent_mention_id INTEGER, in_parentheses BOOLEAN, clause VARCHAR, sentence VARCHAR,
        section_path VARCHAR, context_hint VARCHAR, table_id INTEGER, table_kind VARCHAR, row_idx INTEGER,
        col_idx INTEGER, row_header VARCHAR, col_header VARCHAR, col_role VARCHAR, parent_row_label VARCHAR,
        subject_source VARCHAR, sub_unit_text VARCHAR, project_text VARCHAR, fund_source VARCHAR,
        dimension_text VARCHAR, indicator_text VARCHAR""",
}
PER_DOCUMENT_TABLES = ["lines", "sections", "tables", "table_cells", "mentions"]


class WarehouseBusy(Exception):
    """Another process holds the warehouse file."""


class WarehouseUnusable(Exception):
    """The warehouse cannot be used at all: a directory, a read-only file system, a full disk, no
    permission, a missing folder, or a file name that clashes with a schema. The message is one line."""


# a file of one of these names gives its catalog the same name: for our schemas (CONTRACT.md) DuckDB then
# cannot tell `raw.documents` (schema raw) from catalog raw; DuckDB's own names (main, system, temp) it
# renames (main_db …), so dbt's relations name a catalog that does not exist
RESERVED_NAMES = {"raw", "staging", "intermediate", "marts", "marts__next", "reference", "information_schema",
                  "pg_catalog", "main", "system", "temp",
                  # an incremental build's record and work schemas (jixiao/incremental.py)
                  "build_state", "staging__incremental", "intermediate__incremental"}
# the operating system's words for each way a warehouse is unusable (DuckDB passes strerror on)
_UNUSABLE = (("Is a directory", "warehouse_is_directory"), ("Read-only file system", "warehouse_read_only_fs"),
             ("No space left on device", "warehouse_disk_full"), ("Disk quota exceeded", "warehouse_disk_full"),
             ("File too large", "warehouse_disk_full"), ("Permission denied", "warehouse_no_permission"))


def check_warehouse_name(db_path: str) -> None:
    """Refuse, before anything is written, a warehouse file whose name DuckDB would give a catalog that
    clashes with one of our schemas (raw.duckdb, marts.duckdb …)."""
    if db_path == ":memory:":
        return
    name = os.path.basename(db_path)
    stem = name.split(".", 1)[0] if "." in name else name
    if stem.lower() in RESERVED_NAMES:
        raise WarehouseUnusable(message("warehouse_reserved_name", name=name, stem=stem))


def warehouse_failed(exc: BaseException) -> bool:
    """Whether a DuckDB error says the warehouse itself failed (full disk, read-only file system …), as
    opposed to one document's rows: DuckDB reports a failed commit as a TransactionException whose
    text carries the operating system's reason, so the words decide, not the class."""
    text = str(exc)
    return any(words in text for words, _ in _UNUSABLE) or isinstance(exc, duckdb.FatalException) \
        or "database has been invalidated" in text


def unusable_reason(exc: BaseException, db_path: str) -> str | None:
    """A one-line reason when a DuckDB error means the warehouse itself cannot be used, else None."""
    text = str(exc)
    for words, key in _UNUSABLE:
        if words in text:
            return message(key, path=db_path)
    if "No such file or directory" in text and db_path != ":memory:" and \
            not os.path.isdir(os.path.dirname(os.path.abspath(db_path))):
        return message("warehouse_no_folder", path=db_path)
    return None


def columns_of(table: str) -> list[str]:
    cols = []
    for part in RAW_DDL[table].split(","):
        name = part.strip().split()[0]
        if name and name[0].isalpha() and name.upper() != "PRIMARY":
            cols.append(name)
    return cols


@contextmanager
def connect(db_path: str, wait_seconds: float | None = None, read_only: bool = False):
    """Open the warehouse, waiting for another writer to finish rather than failing at once.

    DuckDB lets one process write a file at a time (and a read-only session in another process keeps
    writers out too); a second ``jixiao load`` waits here up to ``wait_seconds`` (default:
    $JIXIAO_LOCK_WAIT_SECONDS, else 60) and then fails with ``WarehouseBusy`` — it never writes into
    a file another process holds. A warehouse that cannot be used at all (a directory, a read-only
    file system, a full disk …) fails at once with ``WarehouseUnusable`` and a one-line reason."""
    check_warehouse_name(db_path)
    if wait_seconds is None:
        try:
            wait_seconds = float(os.environ.get("JIXIAO_LOCK_WAIT_SECONDS", "60"))
        except ValueError:
            wait_seconds = 60.0
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            con = duckdb.connect(db_path, read_only=read_only)
            break
        except duckdb.Error as exc:
            reason = unusable_reason(exc, db_path)
            if reason:
                raise WarehouseUnusable(reason) from exc
            if not isinstance(exc, duckdb.IOException) or "lock" not in str(exc).lower():
                raise WarehouseUnusable(message("warehouse_io_error", path=db_path, detail=_one_line(exc))) from exc
            if time.monotonic() > deadline:
                raise WarehouseBusy(f"{message('warehouse_busy', path=db_path, seconds=wait_seconds)}: "
                                    f"{_one_line(exc)}") from exc
            time.sleep(0.5)
    try:
        limit_resources(con)
        yield con
    finally:
        try:
            con.close()
        except duckdb.Error:
            pass  # a database invalidated by a failed write (full disk …): the error raised inside says why


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the raw tables, and add columns a newer loader writes to a warehouse made by an older one."""
    con.execute("CREATE SCHEMA IF NOT EXISTS raw")
    for table, ddl in RAW_DDL.items():
        con.execute(f"CREATE TABLE IF NOT EXISTS raw.{table} ({ddl})")
        have = {r[0] for r in con.execute(
            "select column_name from information_schema.columns where table_schema = 'raw' and table_name = ?",
            [table]).fetchall()}
        for part in ddl.split(","):
            words = part.split()
            if len(words) >= 2 and words[0] not in have and words[0].upper() != "PRIMARY":
                con.execute(f"ALTER TABLE raw.{table} ADD COLUMN {words[0]} {words[1]}")


def known_documents(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """document_id → parser_version of every document in the warehouse, read once per load (about
    100 bytes a document): one query per file cost more than writing the file's rows."""
    return dict(con.execute("SELECT document_id, parser_version FROM raw.documents").fetchall())


@lru_cache(maxsize=None)
def arrow_schema(table: str) -> pa.Schema:
    """The Arrow schema of a raw table, in DDL column order: rows typed once (in the parse worker) travel
    and insert as columns, and one document's table concatenates with the others' of its batch."""
    import pyarrow as pa

    types = {"VARCHAR": pa.string(), "INTEGER": pa.int32(), "BIGINT": pa.int64(), "DOUBLE": pa.float64(),
             "BOOLEAN": pa.bool_(), "TIMESTAMP": pa.timestamp("us"), "VARCHAR[]": pa.list_(pa.string())}
    fields = []
    for part in RAW_DDL[table].split(","):
        words = part.split()
        if len(words) >= 2 and words[0][0].isalpha() and words[0].upper() != "PRIMARY":
            fields.append(pa.field(words[0], types[words[1]]))
    return pa.schema(fields)


def as_columns(table: str, rows: list[dict]) -> pa.Table | list[dict]:
    """One table's rows as typed Arrow columns; the rows themselves when a value does not fit its
    column's type (they are then inserted the slower way, which casts or reports the error)."""
    import pyarrow as pa

    if not rows or not _same_keys(rows, columns_of(table)):
        return rows
    try:
        return pa.Table.from_pylist(rows, schema=arrow_schema(table))
    except (pa.ArrowException, TypeError, ValueError, OverflowError):
        return rows


def from_columns(table: str, columns: dict[str, list]) -> pa.Table | list[dict]:
    """One table's values, column by column, as typed Arrow columns in DDL order; as row dicts when a
    value does not fit its column's type (as ``as_columns`` does)."""
    import pyarrow as pa

    schema = arrow_schema(table)
    try:
        return pa.Table.from_pydict({name: columns[name] for name in schema.names}, schema=schema)
    except (pa.ArrowException, TypeError, ValueError, OverflowError):
        return rows_of_columns(columns)


def rows_of_columns(columns: dict[str, list]) -> list[dict]:
    """The same values as one dict per row."""
    names = list(columns)
    return [dict(zip(names, values)) for values in zip(*columns.values())]


def as_columns_all(children: dict[str, list[dict]]) -> dict[str, pa.Table | list[dict]]:
    """Every per-document table of a parsed document as columns (done in the parse worker)."""
    return {table: as_columns(table, rows) if isinstance(rows, list) else rows for table, rows in children.items()}


def n_rows(part) -> int:
    return len(part) if isinstance(part, list) else part.num_rows  # a list of rows, or an Arrow table


def _combined(parts: list) -> pa.Table | list[dict]:
    """Several documents' rows of one table as one insert: Arrow tables concatenate; any list of
    rows among them makes the whole a list of rows."""
    import pyarrow as pa

    parts = [p for p in parts if n_rows(p)]
    if parts and all(isinstance(p, pa.Table) for p in parts):
        return parts[0] if len(parts) == 1 else pa.concat_tables(parts)
    return [row for p in parts for row in (p.to_pylist() if isinstance(p, pa.Table) else p)]


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows) -> None:
    """Insert rows (a list of dicts, or an Arrow table typed by ``as_columns``) into raw.<table>."""
    import pyarrow as pa

    if not n_rows(rows):
        return
    cols = columns_of(table)
    frame = rows if isinstance(rows, pa.Table) else None
    if frame is None:
        try:
            # Arrow: registered without a copy or a pandas type pass (the costly part of a small insert);
            # DuckDB casts each column to the table's type exactly as it does from a DataFrame.
            frame = pa.Table.from_pylist(rows, schema=None).select(cols) if _same_keys(rows, cols) else None
        except (pa.ArrowException, KeyError):
            frame = None  # values Arrow cannot type (mixed kinds in a column): let pandas hold them as objects
    if frame is None:
        import pandas as pd

        frame = pd.DataFrame.from_records(rows, columns=cols)
    con.register("_frame", frame)
    try:
        con.execute(f"INSERT INTO raw.{table} ({', '.join(cols)}) SELECT {', '.join(cols)} FROM _frame")
    finally:
        con.unregister("_frame")


def _same_keys(rows: list[dict], cols: list[str]) -> bool:
    """Every row has every column (Arrow would make a missing key null; pandas does too, but say so)."""
    want = set(cols)
    return all(want.issubset(row.keys()) for row in rows)


def write_document(con: duckdb.DuckDBPyConnection, document: dict, children: dict[str, list[dict]]) -> None:
    """Replace one document's rows in a single transaction: all of it lands, or none of it."""
    write_documents(con, [(document, children)])


def write_documents(con: duckdb.DuckDBPyConnection, batch: list[tuple[dict, dict]]) -> None:
    """Replace the rows of several whole documents in ONE transaction: all of them land, or none.

    A killed or failed batch therefore leaves no document of it visible (and raw.loads shows the
    load unfinished), so the next load parses them again. One INSERT per raw table per batch and
    one COMMIT: the fixed cost of a statement and of a commit (the WAL write) is paid once for the
    batch instead of once per document per table.

    A document's rows are only ever written together with its ``raw.documents`` row, so only the
    documents already present (a re-parse or ``--force``) need their old rows deleted — one DELETE
    per table for all of them (each DELETE scans its table: document ids are not clustered)."""
    if not batch:
        return
    ids = [document["document_id"] for document, _ in batch]
    con.execute("BEGIN TRANSACTION")
    try:
        present = [r[0] for r in con.execute(
            "SELECT document_id FROM raw.documents WHERE document_id IN (SELECT unnest(?::VARCHAR[]))", [ids]).fetchall()]
        if present:
            for table in PER_DOCUMENT_TABLES + ["documents"]:
                con.execute(f"DELETE FROM raw.{table} WHERE document_id IN (SELECT unnest(?::VARCHAR[]))", [present])
        _insert(con, "documents", [document for document, _ in batch])
        for table in PER_DOCUMENT_TABLES:
            _insert(con, table, _combined([children.get(table, []) for _, children in batch]))
        con.execute("COMMIT")
    except Exception:
        try:
            con.execute("ROLLBACK")
        except duckdb.Error:
            pass  # DuckDB already aborted the transaction (a write error): the first error is the one to report
        raise


def record_error(con: duckdb.DuckDBPyConnection, row: dict) -> bool:
    """Record that a file could not be loaded, once: the same file with the same bytes and the same
    reason, met again by a later load, is not recorded twice (its first row stays, with its load_id).
    Returns whether a row was written."""
    seen = con.execute(
        "SELECT 1 FROM raw.load_errors WHERE file_path = ? AND sha256 IS NOT DISTINCT FROM ? AND error_kind = ? "
        "AND reason = ?", [row.get("file_path"), row.get("sha256"), row.get("error_kind"), row.get("reason")]).fetchone()
    if seen:
        return False
    _insert(con, "load_errors", [row])
    return True


def start_load(con: duckdb.DuckDBPyConnection, load_id: str, n_files: int, parser_version: str) -> int:
    """Register a load; a load still 'running' now was stopped before it finished (we hold the write
    lock, so no other load can be running): mark it 'interrupted'. Returns how many were marked."""
    (stale,) = con.execute("SELECT count(*) FROM raw.loads WHERE status = 'running'").fetchone()
    if stale:
        con.execute("UPDATE raw.loads SET status = 'interrupted' WHERE status = 'running'")
    con.execute("INSERT INTO raw.loads VALUES (?, now(), NULL, 'running', ?, 0, 0, 0, ?)",
                [load_id, n_files, parser_version])
    return stale


def finish_load(con: duckdb.DuckDBPyConnection, load_id: str, n_loaded: int, n_unchanged: int, n_errors: int) -> None:
    con.execute("UPDATE raw.loads SET finished_at = now(), status = 'completed', n_loaded = ?, n_unchanged = ?, "
                "n_errors = ? WHERE load_id = ?", [n_loaded, n_unchanged, n_errors, load_id])
