"""Incremental builds (issue 13): ``jixiao build --incremental`` after adding reports gives, row for row,
the marts a full build of the same raw data gives.

The scenario, on a synthetic corpus: a full build of 38 reports (8 units, the last with 3 years), then
two more years of that last unit (new reports for an existing unit: its newest report changes), a new
unit, and one report corrected in place (a figure changed: it supersedes the old issue and its unit's
checks change); then an incremental build. The reference is a copy of that warehouse file — the very
same raw rows, load ids and load times — rebuilt in full.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pytest

from jixiao import incremental, marts_swap, replay
from jixiao.synth import generate
from loaders.messages import message

from conftest import cli_env, run_cli

SEED = 6
BASE_REPORTS = 38  # 7 units of 5 years and the 8th unit's first 3 years
ADDED_REPORTS = 6  # the 8th unit's last 2 years, then a 9th unit
CORRECTED_FILE = "u00002_2019.md"
# columns allowed to differ between the incremental and the full build: none. Every timestamp in the
# marts (dim_document.loaded_at) comes from raw, which both warehouses share; a column added here must
# say why it legitimately differs.
IGNORED_COLUMNS: dict[str, set[str]] = {}


def _unit_code(file_name: str) -> str:
    return file_name.split("_")[0]


def _correct_a_figure(path: Path) -> None:
    """A corrected issue saved over the old file: one amount changed (the reception costs no longer add
    up to the 三公 total, so the unit's checks change)."""
    text = path.read_text(encoding="utf-8")
    match = re.search(r"公务接待费(\d+(?:\.\d+)?)万元", text)
    assert match, f"{path.name} has no 公务接待费 figure to correct"
    corrected = f"公务接待费{float(match.group(1)) + 0.5:g}万元"
    path.write_text(text[:match.start()] + corrected + text[match.end():], encoding="utf-8")


def _hashable(value):
    """A row's list columns (names_as_found, document_ids …) as tuples, so rows can go in a set."""
    if isinstance(value, (list, tuple)):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _hashable(v)) for k, v in value.items()))
    return value


def _mart_rows(db: Path) -> dict[str, set]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: {_hashable(row) for row in con.execute(f'select * from marts."{t}"').fetchall()}
                for t in _mart_tables(con)}
    finally:
        con.close()


def _mart_tables(con) -> list[str]:
    return [r[0] for r in con.execute("select table_name from duckdb_tables() where database_name = current_database() "
                                      "and schema_name = 'marts' "
                                      "order by table_name").fetchall()]


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("incremental")
    docs = tmp / "docs"
    generate(BASE_REPORTS, tmp / "base", seed=SEED)
    shutil.copytree(tmp / "base" / "docs", docs)
    db = tmp / "incremental.duckdb"
    env = cli_env(db, tmp)
    run_cli(["load", str(docs)], env)
    built = run_cli(["build"], env).stdout
    before = _mart_rows(db)

    generate(ADDED_REPORTS, tmp / "added", seed=SEED, first=BASE_REPORTS)
    added = sorted(p.name for p in (tmp / "added" / "docs").iterdir())
    for name in added:
        shutil.copy(tmp / "added" / "docs" / name, docs / name)
    _correct_a_figure(docs / CORRECTED_FILE)
    run_cli(["load", str(docs)], env)
    out = run_cli(["build", "--incremental"], env).stdout
    checked = run_cli(["check", "--incremental"], env).stdout
    checked_by_gx = run_cli(["check", "--incremental", "--engine", "gx", "--no-docs"], env).stdout

    reference = tmp / "full.duckdb"
    shutil.copy(db, reference)  # the same raw rows, load ids and load times
    reference_built = run_cli(["build", "--no-plan"], cli_env(reference, tmp / "ref")).stdout
    return dict(db=db, reference=reference, before=before, built=built, out=out, reference_built=reference_built,
                added=added, checked=checked, checked_by_gx=checked_by_gx, env=env)


def test_the_build_was_incremental_over_the_touched_units_only(scenario):
    assert "unit(s) rebuilt" in " ".join(scenario["out"].split())
    touched = {_unit_code(name) for name in scenario["added"]} | {_unit_code(CORRECTED_FILE)}
    con = duckdb.connect(str(scenario["db"]), read_only=True)
    try:
        kind, n_units = con.execute(f"select kind, n_units from {incremental.STATE}.builds "
                                    "order by build_no desc limit 1").fetchone()
        n_all = con.execute("select count(*) from marts.dim_unit").fetchone()[0]
    finally:
        con.close()
    assert kind == "incremental"
    assert n_units == len(touched) < n_all


def test_the_full_build_compiles_the_plan_that_every_incremental_build_reuses(scenario, monkeypatch):
    compiling = " ".join(message("replay_compiling").split())
    assert compiling in " ".join(scenario["built"].split())
    assert compiling not in " ".join(scenario["out"].split())
    assert compiling not in " ".join(scenario["reference_built"].split())  # --no-plan
    again = run_cli(["build", "--incremental"], scenario["env"]).stdout  # nothing changed: an empty scope
    assert compiling not in " ".join(again.split())
    assert "0 unit(s) rebuilt" in " ".join(again.split())
    monkeypatch.setenv("DBT_TARGET_PATH", scenario["env"]["DBT_TARGET_PATH"])  # the scenario's own target folder
    (incremental.plan_folder() / replay.PLAN_FILE).unlink()
    without_plan = run_cli(["build", "--incremental"], scenario["env"]).stdout  # a plan lost: compiled again
    assert compiling in " ".join(without_plan.split())


def test_the_incremental_check_validates_the_rebuilt_units(scenario):
    touched = {_unit_code(name) for name in scenario["added"]} | {_unit_code(CORRECTED_FILE)}
    said = " ".join(scenario["checked"].split())
    assert " ".join(message("check_incremental", n=len(touched)).split()) in said
    assert " ".join(message("check_no_data_docs").split()) in said  # by default the suites ran as SQL
    assert "integrity ok" in said


def test_the_incremental_check_by_gx_finds_what_the_sql_check_finds(scenario):
    by_gx = " ".join(scenario["checked_by_gx"].split())  # right after the build: a later test builds again
    said = " ".join(scenario["checked"].split())
    assert " ".join(message("check_no_data_docs").split()) not in by_gx

    def verdict(text: str) -> str:
        return text[text.index("integrity ok"):]

    assert verdict(by_gx) == verdict(said)  # "integrity ok; N finding(s) in the reports"


def test_every_mart_equals_a_full_rebuild_row_for_row(scenario):
    con = duckdb.connect(str(scenario["db"]), read_only=True)
    con.execute(f"attach '{scenario['reference']}' as reference (read_only)")
    try:
        tables = _mart_tables(con)
        assert tables == [r[0] for r in con.execute(
            "select table_name from duckdb_tables() where database_name = 'reference' and schema_name = 'marts' "
            "order by table_name").fetchall()]
        differences = {}
        for table in tables:
            columns = [c for (c,) in con.execute(
                "select column_name from duckdb_columns() where database_name = current_database() "
                "and schema_name = 'marts' and table_name = ? order by column_index", [table]).fetchall()
                if c not in IGNORED_COLUMNS.get(table, set())]
            listed = ", ".join(f'"{c}"' for c in columns)
            only_incremental, only_full = (con.execute(
                f'select count(*) from (select {listed} from {a}."{table}" except all '
                f'select {listed} from {b}."{table}")').fetchone()[0]
                for a, b in (("marts", "reference.marts"), ("reference.marts", "marts")))
            if only_incremental or only_full:
                differences[table] = (only_incremental, only_full)
    finally:
        con.close()
    assert differences == {}, "rows only in the incremental build, only in the full one"


def test_the_touched_units_rows_did_change(scenario):
    """Equality above proves the rebuild only because the touched units' rows moved: had a touched unit
    been skipped, its old rows (these) would have stayed and differ from the full build's."""
    after = _mart_rows(scenario["reference"])
    changed = {t for t in after if after[t] != scenario["before"][t]}
    assert {"dim_document", "dim_unit", "fct_expenditure", "yoy_changes", "dq_checks"} <= changed
    con = duckdb.connect(str(scenario["reference"]), read_only=True)
    try:
        unit_of = dict(con.execute("select file_name, unit_id from marts.dim_document").fetchall())
        units_with_expenditure = {r[0] for r in con.execute("select distinct unit_id from marts.fct_expenditure").fetchall()}
    finally:
        con.close()
    existing_unit = unit_of[scenario["added"][0]]  # the 8th unit, which had 3 reports before
    corrected_unit = unit_of[CORRECTED_FILE]
    for unit in (existing_unit, corrected_unit):
        assert unit in units_with_expenditure
        before = {r for r in scenario["before"]["dq_checks"] if unit in r} | \
            {r for r in scenario["before"]["fct_expenditure"] if unit in r}
        now = {r for r in after["dq_checks"] if unit in r} | {r for r in after["fct_expenditure"] if unit in r}
        assert before != now, f"the rows of unit {unit} did not change: the scenario would not catch a skip"


def _marts_with(con, tables: dict[str, list[tuple[str, int]]], scope: list[str]) -> None:
    """A tiny warehouse: live and shadow marts (unit_id, value) and the scope of an incremental build."""
    incremental.ensure_state(con)
    for schema in (marts_swap.LIVE, marts_swap.SHADOW, "intermediate__incremental"):
        con.execute(f"create schema if not exists {schema}")
    con.execute(f"create table {incremental.SCOPE_TABLE} as select unnest(?::varchar[]) as unit_id", [scope])
    con.execute(f"create table {marts_swap.LIVE}.dim_document (document_id varchar, load_id varchar, unit_id varchar, "
                "is_current boolean)")
    for table, rows in tables.items():
        for schema in (marts_swap.LIVE, marts_swap.SHADOW):
            con.execute(f"create table {schema}.{table} (unit_id varchar, value integer)")
        con.executemany(f"insert into {marts_swap.LIVE}.{table} values (?, ?)", rows)
    con.execute(f"create table {marts_swap.SHADOW}.dim_document as select * from {marts_swap.LIVE}.dim_document")


def test_merge_replaces_only_the_scope_units_rows():
    con = duckdb.connect()
    _marts_with(con, {"fct_a": [("u1", 1), ("u2", 2), ("u2", 3)]}, scope=["u2", "u3"])
    con.execute(f"insert into {marts_swap.SHADOW}.fct_a values ('u2', 20), ('u3', 30)")
    n_units, tables = incremental.merge_in(con)
    assert n_units == 2 and tables == ["dim_document", "fct_a"]
    assert sorted(con.execute("select * from marts.fct_a").fetchall()) == [("u1", 1), ("u2", 20), ("u3", 30)]


def test_a_shadow_row_outside_the_scope_replaces_nothing():
    con = duckdb.connect()
    _marts_with(con, {"fct_a": [("u1", 1), ("u2", 2)]}, scope=["u2"])
    con.execute(f"insert into {marts_swap.SHADOW}.fct_a values ('u1', 10), ('u2', 20)")
    with pytest.raises(RuntimeError, match="not asked to rebuild"):
        incremental.merge_in(con)
    assert sorted(con.execute("select * from marts.fct_a").fetchall()) == [("u1", 1), ("u2", 2)]


def test_a_merge_failing_half_way_leaves_the_previous_marts_whole(monkeypatch):
    con = duckdb.connect()
    _marts_with(con, {"fct_a": [("u1", 1)], "fct_b": [("u1", 2)]}, scope=["u1"])
    con.execute(f"insert into {marts_swap.SHADOW}.fct_a values ('u1', 10)")
    con.execute(f"insert into {marts_swap.SHADOW}.fct_b values ('u1', 20)")
    replace = incremental._replace_units

    def fail_on_the_last(con, table):
        if table == "fct_b":
            raise KeyboardInterrupt  # as a kill between two marts
        replace(con, table)

    monkeypatch.setattr(incremental, "_replace_units", fail_on_the_last)
    with pytest.raises(KeyboardInterrupt):
        incremental.merge_in(con)
    assert con.execute("select * from marts.fct_a").fetchall() == [("u1", 1)]
    assert con.execute(f"select count(*) from {incremental.STATE}.builds").fetchone()[0] == 0


def test_no_incremental_build_without_a_complete_one_of_the_same_models():
    con = duckdb.connect()
    assert incremental.why_not_incremental(con) == message("incremental_no_state")  # never built
    con.execute("create schema marts")
    con.execute("create table marts.dim_document (document_id varchar, load_id varchar, unit_id varchar, "
                "is_current boolean)")
    incremental.record_build(con, "full")
    assert incremental.why_not_incremental(con) is None
    incremental.record_build(con, "partial")  # a --select build: the marts are no longer one build's
    assert incremental.why_not_incremental(con) == message("incremental_no_state")
    incremental.record_build(con, "full")
    con.execute(f"update {incremental.STATE}.builds set model_fingerprint = 'models of another day'")
    assert incremental.why_not_incremental(con) == message("incremental_no_state")


def test_a_plan_that_cannot_be_compiled_after_a_full_build_is_a_warning_and_a_stop_is_a_stop(monkeypatch, capsys):
    import signal

    import typer

    from jixiao import cli
    from jixiao.dbt_runner import DbtFailed, DbtInterrupted

    def failing(error):
        def compiled_plan(db, say=print):
            raise error
        return compiled_plan

    monkeypatch.setattr(incremental, "compiled_plan", failing(DbtFailed("dbt compile failed")))
    cli._compile_incremental_plan("unused.duckdb")  # the marts are built: no exit
    assert "dbt compile failed" in capsys.readouterr().out
    monkeypatch.setattr(incremental, "compiled_plan", failing(DbtInterrupted(signal.SIGTERM)))
    with pytest.raises(typer.Exit) as stopped:
        cli._compile_incremental_plan("unused.duckdb")
    assert stopped.value.exit_code == 128 + signal.SIGTERM
