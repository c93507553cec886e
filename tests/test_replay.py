"""The incremental build's replay of dbt's compiled plan (jixiao/replay.py; issue 13), on invented
manifests and an in-memory warehouse. That the replay gives the marts a full dbt build gives is
tests/test_incremental_build.py's scenario."""

from __future__ import annotations

import duckdb
import pytest

from jixiao import incremental, marts_swap, replay
from jixiao.checks import MARTS, whole_mart_keys


def _model(name: str, sql: str, depends: list[str] = (), materialized: str = "table", schema: str = "work") -> dict:
    return {"resource_type": "model", "name": name, "database": "memory", "schema": schema,
            "relation_name": f'"memory"."{schema}"."{name}"', "config": {"materialized": materialized},
            "depends_on": {"nodes": [f"model.p.{d}" for d in depends]}, "compiled_code": sql}


def _test(name: str, sql: str, severity: str = "ERROR") -> dict:
    return {"resource_type": "test", "name": name, "compiled_code": sql,
            "config": {"severity": severity, "fail_calc": "count(*)", "warn_if": "!= 0", "error_if": "!= 0", "limit": None}}


def _manifest(*nodes: dict) -> dict:
    return {"nodes": {f"{n['resource_type']}.p.{n['name']}": n for n in nodes}}


def test_models_run_after_the_models_they_refer_to():
    manifest = _manifest(_model("c", "select * from work.b", ["b"]), _model("b", "select x + 1 as x from work.a", ["a"]),
                         _model("a", "select 1 as x"))
    steps = replay.model_steps(manifest)
    assert [s.name for s in steps] == ["a", "b", "c"]
    con = duckdb.connect()
    replay.run_models(con, steps)
    assert con.execute("select x from work.c").fetchall() == [(2,)]


def test_a_view_is_replayed_as_a_table_of_its_rows():
    # its readers would run the view's query again each; nothing else writes while a replay runs
    con = duckdb.connect()
    con.execute("create table source as select * from range(3) r(x)")
    steps = replay.model_steps(_manifest(_model("v", "select x from source where x > 0", materialized="view")))
    replay.run_models(con, steps)
    assert con.execute("select table_type from information_schema.tables where table_name = 'v'").fetchone() == ("BASE TABLE",)
    assert con.execute("select x from work.v order by x").fetchall() == [(1,), (2,)]


def test_a_materialisation_it_does_not_know_refuses_the_replay():
    with pytest.raises(replay.ReplayFailed, match="incremental"):
        replay.model_steps(_manifest(_model("m", "select 1", materialized="incremental")))


def test_a_failing_error_test_fails_and_a_failing_warn_test_warns():
    con = duckdb.connect()
    con.execute("create table t as select * from (values (1), (null)) v(x)")
    tests = replay.test_steps(_manifest(_test("not_null_x", "select * from t where x is null"),
                                        _test("x_below_1", "select * from t where x >= 1", severity="warn"),
                                        _test("x_positive", "select * from t where x <= 0")))
    outcomes = {o.name: (o.status, o.failures) for o in replay.run_tests(con, tests)}
    assert outcomes == {"not_null_x": ("fail", 1), "x_below_1": ("warn", 1), "x_positive": ("pass", 0)}
    with pytest.raises(replay.ReplayFailed, match="not_null_x"):
        replay.replay(con, [], tests)


def test_a_model_error_names_the_model():
    steps = replay.model_steps(_manifest(_model("broken", "select * from no_such_table")))
    with pytest.raises(replay.ReplayFailed, match="broken"):
        replay.run_models(duckdb.connect(), steps)


def test_a_stored_plan_serves_only_its_own_key(tmp_path):
    manifest_path = tmp_path / "manifest.json"
    manifest_path.write_text('{"nodes": {}}', encoding="utf-8")
    key = replay.plan_key("fingerprint", str(tmp_path / "a.duckdb"), "{vars}")
    replay.write_plan(tmp_path, key, manifest_path)
    assert replay.read_plan(tmp_path, key) == ([], [])
    for other in (replay.plan_key("models changed", str(tmp_path / "a.duckdb"), "{vars}"),
                  replay.plan_key("fingerprint", str(tmp_path / "b.duckdb"), "{vars}")):
        assert replay.read_plan(tmp_path, other) is None


def test_a_failing_test_leaves_the_live_marts_whole():
    """build_and_merge replays, then merges: a failing data test stops it before the live marts."""
    con = duckdb.connect()
    incremental.ensure_state(con)
    con.execute(f"create schema {marts_swap.LIVE}")
    con.execute(f"create schema {marts_swap.SHADOW}")
    con.execute(f"create table {marts_swap.LIVE}.fct_a as select 'u1' as unit_id, 1 as value")
    models = replay.model_steps(_manifest(
        _model("int_build_scope", "select 'u1' as unit_id", schema="intermediate__incremental"),
        _model("fct_a", "select 'u1' as unit_id, null::integer as value", schema=marts_swap.SHADOW)))
    tests = replay.test_steps(_manifest(_test("not_null_fct_a_value", f"select * from {marts_swap.SHADOW}.fct_a where value is null")))
    with pytest.raises(replay.ReplayFailed, match="not_null_fct_a_value"):
        incremental.build_and_merge(con, (models, tests))
    assert con.execute(f"select * from {marts_swap.LIVE}.fct_a").fetchall() == [("u1", 1)]
    assert con.execute(f"select count(*) from {incremental.STATE}.builds").fetchone() == (0,)


def _marts_keyed(con) -> None:
    con.execute("create schema marts")
    for table, spec in MARTS.items():
        columns = ", ".join(f"{c} varchar" for c in dict.fromkeys(["unit_id", *spec["key"]]))
        con.execute(f"create table marts.{table} ({columns})")


def test_a_key_shared_by_two_units_fails_the_whole_mart_key_check():
    con = duckdb.connect()
    _marts_keyed(con)
    assert all(f.success for f in whole_mart_keys(con))
    con.execute("insert into marts.fct_expenditure (unit_id, fact_id) values ('u1', 'f1'), ('u2', 'f1'), ('u2', 'f2')")
    failed = [(f.suite, f.unexpected_count) for f in whole_mart_keys(con) if not f.success]
    assert failed == [("integrity__fct_expenditure", 1)]


def test_the_check_reads_the_last_incremental_builds_units_only():
    con = duckdb.connect()
    con.execute("create schema marts")
    con.execute("create table marts.dim_document (document_id varchar, load_id varchar, unit_id varchar, is_current boolean)")
    incremental.record_build(con, "full")
    assert incremental.last_rebuilt_units(con) is None  # after a full build every unit is new
    con.execute(f"create schema intermediate__incremental")
    con.execute(f"create table {incremental.SCOPE_TABLE} as select unnest(['u2', 'u1']) as unit_id")
    incremental.record_build(con, "incremental", 2)
    assert incremental.last_rebuilt_units(con) == ["u1", "u2"]
