"""Incremental builds (``jixiao build --incremental``; issue 13): rebuild only the units whose documents
changed since the last complete build, and replace those units' rows in the live marts at once.

Why it is exact: every mart row belongs to one unit (every mart has ``unit_id``) and depends only on
that unit's documents — every cross-document choice (the newest report wins, year-over-year,
superseded issues, the checks comparing reports) is made within a unit. Unit identity itself is not
per unit (a new name can change how another name resolves), so the models resolve names and current
issues over ALL documents (int_document_identity) and compare each document's identity with the last
build's (int_build_scope): a document that moved to another unit rebuilds both.

The record of the last complete build, ``build_state``, is written in the same transaction as the
marts it describes: the documents the marts were built from (taken from marts.dim_document itself,
so a document loaded while dbt ran is new to the next build) and a fingerprint of the models, macros
and seeds — when they changed, every unit's rows may change and the build is a full one. A partial
``--select`` build forgets the record for the same reason.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb

from loaders.messages import message

from . import marts_swap, replay
from .dbt_runner import run_dbt
from .paths import PROJECT_DIR

STATE = "build_state"
WORK_SCHEMAS = ("staging__incremental", "intermediate__incremental")  # macros/generate_schema_name.sql
SCOPE_TABLE = "intermediate__incremental.int_build_scope"
# what the marts are computed from besides the raw rows: a change here invalidates every unit's rows
MODEL_INPUTS = ("models", "macros", "seeds", "dbt_project.yml")

STATE_DDL = f"""
create schema if not exists {STATE};
create table if not exists {STATE}.built_documents (
    document_id varchar primary key, load_id varchar not null, unit_id varchar not null, is_current boolean not null
);
create table if not exists {STATE}.builds (
    build_no integer primary key, kind varchar not null, finished_at timestamp not null,
    model_fingerprint varchar, n_units integer, n_documents integer
);
create table if not exists {STATE}.rebuilt_units (
    build_no integer not null, unit_id varchar not null, primary key (build_no, unit_id)
);
"""


DBT_VARS = "{marts_build_schema: %s, incremental: true}" % marts_swap.SHADOW


def plan_folder() -> Path:
    """A dbt target folder of its own: dbt parses the whole project again whenever --vars differ from
    its last run's (≈ 14 s here), so incremental builds keep their parse and their plan apart from
    full builds'."""
    from .docs_server import target_dir

    return target_dir() / "incremental"


def compiled_plan(db_path: str, say=print) -> tuple[list[replay.ModelStep], list[replay.TestStep]]:
    """The incremental build's models and data tests as dbt compiles them for this warehouse: the
    stored plan when it was made from the same models, warehouse, vars and dbt; else ``dbt compile``
    (models and data tests only: seeds are not reloaded, the unit test ran in the full build)."""
    key = replay.plan_key(model_fingerprint(), db_path, DBT_VARS)
    folder = plan_folder()
    plan = replay.read_plan(folder, key)
    if plan is None:
        say(message("replay_compiling"))
        run_dbt(["compile", "--vars", DBT_VARS, "--select", "resource_type:model resource_type:test",
                 "--target-path", str(folder)], quiet=True)
        plan = replay.write_plan(folder, key, folder / "manifest.json")
    return plan


def build_and_merge(con: duckdb.DuckDBPyConnection, plan) -> tuple[int, list[str], list[replay.TestOutcome], float]:
    """Replay the plan into the work and shadow schemas (after ``prepare``), then merge the rebuilt
    units into the live marts: (units rebuilt, marts updated, test outcomes, seconds of the replay).
    A failure raises before anything live is touched."""
    outcomes, seconds = replay.replay(con, *plan)
    n_units, tables = merge_in(con)
    return n_units, tables, outcomes, seconds


def model_fingerprint() -> str:
    """sha256 over the files the models are made of (paths and bytes, in a fixed order)."""
    digest = hashlib.sha256()
    for name in MODEL_INPUTS:
        root = PROJECT_DIR / name
        files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
        for path in files:
            digest.update(str(path.relative_to(PROJECT_DIR)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def ensure_state(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(STATE_DDL)


def why_not_incremental(con: duckdb.DuckDBPyConnection) -> str | None:
    """None when the live marts come from a complete build of the same models; otherwise the reason
    (a message for the user) that the build must be a full one."""
    ensure_state(con)
    last = con.execute(f"select kind, model_fingerprint from {STATE}.builds order by build_no desc limit 1").fetchone()
    if last is None or last[0] not in ("full", "incremental") or last[1] != model_fingerprint():
        return message("incremental_no_state")
    return None


def prepare(con: duckdb.DuckDBPyConnection) -> None:
    """An empty shadow schema and no leftover work schemas of a killed incremental build."""
    _drop_work_schemas(con)
    marts_swap.prepare(con, partial=False)


def record_build(con: duckdb.DuckDBPyConnection, kind: str, n_units: int | None = None) -> None:
    """Inside the caller's transaction: what the live marts were just built from. ``kind`` full or
    incremental; a partial (``--select``) build records kind 'partial', which no incremental build
    trusts."""
    ensure_state(con)
    con.execute(f"delete from {STATE}.built_documents")
    if kind != "partial":
        con.execute(f"""insert into {STATE}.built_documents
                        select document_id, load_id, unit_id, is_current from {marts_swap.LIVE}.dim_document""")
    (n_documents,) = con.execute(f"select count(*) from {STATE}.built_documents").fetchone()
    (build_no,) = con.execute(f"select coalesce(max(build_no), 0) + 1 from {STATE}.builds").fetchone()
    con.execute(f"insert into {STATE}.builds values (?, ?, now()::timestamp, ?, ?, ?)",
                [build_no, kind, model_fingerprint(), n_units, n_documents])
    if kind == "incremental":  # which units `jixiao check --incremental` validates
        con.execute(f"insert into {STATE}.rebuilt_units select ?, unit_id from {SCOPE_TABLE}", [build_no])


def last_rebuilt_units(con: duckdb.DuckDBPyConnection) -> list[str] | None:
    """The units the last build rebuilt when it was an incremental one; None after a full or partial
    build (or none), when every unit's rows are new. Reads only: the check opens the warehouse read-only."""
    (n_tables,) = con.execute("select count(*) from duckdb_tables() where database_name = current_database() "
                              "and schema_name = ? and table_name in ('builds', 'rebuilt_units')", [STATE]).fetchone()
    if n_tables < 2:
        return None
    last = con.execute(f"select build_no, kind from {STATE}.builds order by build_no desc limit 1").fetchone()
    if last is None or last[1] != "incremental":
        return None
    return [u for (u,) in con.execute(f"select unit_id from {STATE}.rebuilt_units where build_no = ? order by unit_id",
                                      [last[0]]).fetchall()]


def merge_in(con: duckdb.DuckDBPyConnection) -> tuple[int, list[str]]:
    """Replace the rows of the rebuilt units in every live mart by the shadow's, and record the build,
    in ONE transaction: a reader sees the marts before or after, and a build killed at any moment
    leaves the previous marts whole. Returns (units rebuilt, marts updated)."""
    tables = marts_swap.shadow_tables(con)
    _refuse_unmergeable(con, tables)
    (n_units,) = con.execute(f"select count(*) from {SCOPE_TABLE}").fetchone()
    con.execute("BEGIN TRANSACTION")
    try:
        for table in tables:
            _replace_units(con, table)
        record_build(con, "incremental", n_units)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    marts_swap.discard(con)
    _drop_work_schemas(con)
    return n_units, tables


def discard(con: duckdb.DuckDBPyConnection) -> None:
    """A failed incremental build: its shadow and work schemas go, the live marts were never touched."""
    marts_swap.discard(con)
    _drop_work_schemas(con)


def _replace_units(con: duckdb.DuckDBPyConnection, table: str) -> None:
    live, shadow = f'{marts_swap.LIVE}."{table}"', f'{marts_swap.SHADOW}."{table}"'
    con.execute(f"delete from {live} where unit_id in (select unit_id from {SCOPE_TABLE})")
    con.execute(f"insert into {live} by name select * from {shadow}")


def _refuse_unmergeable(con: duckdb.DuckDBPyConnection, tables: list[str]) -> None:
    """Before touching anything: every shadow mart has a live twin keyed by unit, and holds no row of
    a unit outside the scope (a model that read past the restriction would otherwise leave two
    versions of that unit's rows)."""
    live = set(marts_swap.tables_with_unit_id(con, marts_swap.LIVE))
    shadow = set(marts_swap.tables_with_unit_id(con, marts_swap.SHADOW))
    for table in tables:
        if table not in live or table not in shadow:
            raise RuntimeError(message("incremental_mart_unmatched", table=table))
        (n,) = con.execute(f'select count(*) from {marts_swap.SHADOW}."{table}" '
                           f"where unit_id not in (select unit_id from {SCOPE_TABLE})").fetchone()
        if n:
            raise RuntimeError(message("incremental_rows_outside_scope", table=table, n=n))


def _drop_work_schemas(con: duckdb.DuckDBPyConnection) -> None:
    for schema in WORK_SCHEMAS:
        con.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
