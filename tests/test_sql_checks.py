"""The suites run by two engines, GX and SQL (jixiao.suites; issue 13): on the same marts, broken on
purpose in every way an expectation can catch, both must report the same findings — the same
expectations failing, with the same counts of unexpected rows and the same flagged check_ids."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from conftest import PROJECT_DIR, run_cli
from jixiao import checks
from jixiao.suites import AMOUNT_LIMIT, MARTS, suites

BAD_YEAR = 1800  # before plausible_year_min


def _copy_row(con, table: str, key: str, tag: str, **replace) -> None:
    """A copy of the mart's first row with a new key (``tag``) and the columns in ``replace`` changed."""
    changes = ", ".join([f"? as {key}"] + [f"? as {col}" for col in replace])
    con.execute(f"insert into marts.{table} select * replace ({changes}) from marts.{table} order by {key} limit 1",
                [f"{tag}-{table}", *replace.values()])


def _break(con, table: str, spec: dict) -> None:
    """Every kind of row this mart's integrity suite must catch; nothing when the mart is empty."""
    (key,) = spec["key"]
    if not con.execute(f"select count(*) from marts.{table}").fetchone()[0]:
        return
    con.execute(f"insert into marts.{table} select * from marts.{table} order by {key} limit 2")  # two keys twice
    nullable = [c for c in spec.get("not_null", []) if c != key]
    if nullable:
        _copy_row(con, table, key, "null", **{nullable[-1]: None})
    for col in spec.get("codes", []) + spec.get("schemes", []) + list(spec.get("values", {})):
        _copy_row(con, table, key, f"set-{col}", **{col: "no_such_code"})
    for col in spec.get("amounts", []):
        _copy_row(con, table, key, f"big-{col}", **{col: AMOUNT_LIMIT * 10})
    for col in spec.get("years", []):
        _copy_row(con, table, key, f"year-{col}", **{col: BAD_YEAR})
    for col in spec.get("scores", []):  # a double column: NaN is missing to GX (pandas), not out of range
        _copy_row(con, table, key, f"nan-{col}", **{col: float("nan")})
        _copy_row(con, table, key, f"over-{col}", **{col: 101.0})


@pytest.fixture(scope="module")
def broken(built_warehouse, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("sql_checks")
    db = tmp / "broken.duckdb"
    shutil.copy(built_warehouse, db)
    con = duckdb.connect(str(db))
    for table, spec in MARTS.items():
        _break(con, table, spec)
    con.execute("update marts.dq_checks set status = 'flag' where check_id in "
                "(select check_id from marts.dq_checks where status = 'pass' order by check_id limit 3)")
    con.close()
    gx_dir = tmp / "expectations"
    shutil.copytree(PROJECT_DIR / "expectations", gx_dir, ignore=shutil.ignore_patterns("uncommitted"))
    return db, gx_dir


def _by_expectation(report) -> dict:
    return {(f.suite, f.expectation): (f.success, f.unexpected_count, sorted(map(str, f.rows))) for f in report.findings}


def _both(db, gx_dir, units=None):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return checks._sql_report(con, units), checks._gx_report(con, checks._context(gx_dir), units)[0]
    finally:
        con.close()


def test_both_engines_find_the_same_on_broken_marts(broken):
    sql, gx = _both(*broken)
    assert _by_expectation(sql) == _by_expectation(gx)
    assert sorted(sql.flags["check_id"]) == sorted(gx.flags["check_id"])
    failed_types = {f.expectation.split("(")[0] for f in sql.integrity_failed}
    expected_types = {e.type for s in suites([]) for e in s.expectations} - {"expect_table_row_count_to_be_between"}
    assert failed_types == expected_types  # every kind of expectation was broken, so the comparison is not of passes
    assert len(sql.integrity_failed) > 2 * len(MARTS)


def test_both_engines_find_the_same_on_some_units(broken):
    db, gx_dir = broken
    con = duckdb.connect(str(db), read_only=True)
    units = [u for (u,) in con.execute("select distinct unit_id from marts.dq_checks where status = 'flag' "
                                       "order by unit_id limit 2").fetchall()]
    con.close()
    sql, gx = _both(db, gx_dir, units)
    assert _by_expectation(sql) == _by_expectation(gx)
    assert sorted(sql.flags["check_id"]) == sorted(gx.flags["check_id"]) != []
    assert set(sql.flags["unit_id"]) <= set(units)


def test_an_unknown_engine_is_refused(built_warehouse, tmp_path):
    from conftest import cli_env

    out = run_cli(["check", "--engine", "nope"], cli_env(built_warehouse, tmp_path), check=False)
    assert out.returncode == 2 and "nope" in out.stdout
