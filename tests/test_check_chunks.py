"""`jixiao check` validates the marts in chunks of whole units (issue 13: the check's memory follows
the chunk, not the warehouse). A chunked check must find exactly what one validation of every row
finds, and a key shared across two chunks must still fail."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from conftest import PROJECT_DIR
from jixiao.checks import MARTS, run_checks, unit_chunks


def _gx_dir(tmp_path, monkeypatch):
    gx_dir = tmp_path / "expectations"
    shutil.copytree(PROJECT_DIR / "expectations", gx_dir, ignore=shutil.ignore_patterns("uncommitted"))
    monkeypatch.setenv("JIXIAO_GX_DIR", str(gx_dir))


def _rows_per_unit(con) -> dict[str, int]:
    counts = " union all ".join(f"select unit_id from marts.{t}" for t in MARTS)
    return dict(con.execute(f"select unit_id, count(*) from ({counts}) group by unit_id").fetchall())


def _by_expectation(report) -> dict:
    return {(f.suite, f.expectation): (f.success, f.unexpected_count, sorted(f.rows)) for f in report.findings}


def test_a_chunked_check_finds_what_one_validation_finds(built_warehouse, tmp_path, monkeypatch):
    _gx_dir(tmp_path, monkeypatch)
    whole = run_checks(str(built_warehouse), docs=False)
    con = duckdb.connect(str(built_warehouse), read_only=True)
    per_unit = _rows_per_unit(con)
    con.close()
    assert len(per_unit) >= 3
    monkeypatch.setenv("JIXIAO_CHECK_CHUNK_ROWS", str(sum(per_unit.values()) // 3))
    chunked = run_checks(str(built_warehouse), docs=False)
    a, b = _by_expectation(whole), _by_expectation(chunked)
    assert {k: v for k, v in b.items() if k in a} == a
    extra = [k for k in b if k not in a]  # one whole-mart key check per mart, passing
    assert len(extra) == len(MARTS) and all(b[k][0] for k in extra)
    assert sorted(whole.flags["check_id"]) == sorted(chunked.flags["check_id"])
    assert whole.consistency_failed  # the bundled reports hold findings: the comparison is not of empties


def test_a_key_shared_by_two_chunks_fails(built_warehouse, tmp_path, monkeypatch):
    _gx_dir(tmp_path, monkeypatch)
    broken = tmp_path / "broken.duckdb"
    shutil.copy(built_warehouse, broken)
    con = duckdb.connect(str(broken))
    units = sorted(_rows_per_unit(con))
    # the first unit's check row again, as the last unit's: each chunk alone has unique keys
    con.execute("insert into marts.dq_checks select * replace (? as unit_id) from marts.dq_checks "
                "where unit_id = ? limit 1", [units[-1], units[0]])
    con.close()
    monkeypatch.setenv("JIXIAO_CHECK_CHUNK_ROWS", "1")  # every unit a chunk of its own
    failed = [(f.suite, f.expectation) for f in run_checks(str(broken), docs=False).integrity_failed]
    assert ("integrity__dq_checks", "key_unique_over_whole_mart(check_id)") in failed


@pytest.fixture()
def marts_of(tmp_path):
    def make(rows: dict[str, int], unitless: int = 0):
        con = duckdb.connect(str(tmp_path / "chunks.duckdb"))
        con.execute("create schema marts")
        for table in MARTS:
            con.execute(f"create table marts.{table} (unit_id varchar)")
        for unit, n in rows.items():
            con.execute("insert into marts.fct_expenditure select ? from range(?)", [unit, n])
        con.execute("insert into marts.dq_checks select null from range(?)", [unitless])
        return con
    return make


def test_units_are_grouped_whole_up_to_the_row_limit(marts_of):
    con = marts_of({"a": 4, "b": 3, "c": 9, "d": 2})
    assert unit_chunks(con, None, 7) == [["a", "b"], ["c"], ["d"]]  # c alone is over the limit: a chunk of its own
    assert unit_chunks(con, None, 18) == [None]                     # everything fits: one validation of every row
    assert unit_chunks(con, ["b", "d"], 100) == [["b", "d"]]        # incremental: only the rebuilt units


def test_rows_without_a_unit_are_still_checked(marts_of):
    # they belong to no chunk, so the first chunk reads them too (and their not-null expectation fails)
    from jixiao.checks import _read_frames

    con = marts_of({"a": 2, "b": 2}, unitless=1)
    first, second = unit_chunks(con, None, 2)
    assert len(_read_frames(con, first, unitless=True)["dq_checks"]) == 1
    assert len(_read_frames(con, second)["dq_checks"]) == 0


def test_list_columns_reach_gx_as_text_and_an_empty_list_stays_apart_from_none():
    from jixiao.checks import _columns_as_text_lists

    con = duckdb.connect()
    con.execute("create schema marts")
    con.execute("create table marts.t (check_id varchar, document_ids varchar[], n integer)")
    con.execute("insert into marts.t values ('a', ['d1', 'd2'], 1), ('b', [], 2), ('c', null, 3)")
    got = con.execute(f"select {_columns_as_text_lists(con, 't')} from marts.t order by check_id").fetchall()
    assert got == [("a", "d1, d2", 1), ("b", "", 2), ("c", None, 3)]
