"""DuckDB's memory limit and threads come from the machine (issue 13), for our connections and dbt's."""

from __future__ import annotations

import duckdb
import yaml

from loaders import resources, store

from conftest import PROJECT_DIR


def _limit_mb(con) -> float:
    """DuckDB's memory_limit setting in MB (it prints sizes such as '1.0 GiB' or '512.0 MiB')."""
    (bytes_,) = con.execute("select current_setting('memory_limit')::VARCHAR").fetchone()[0:1]
    return _size_mb(bytes_)


def _size_mb(printed: str) -> float:
    """A size as DuckDB prints a setting ('1.0 GiB', '512.0 MiB') in MB."""
    number, unit = printed.split()
    return float(number) * {"KiB": 1 / 1024, "MiB": 1, "GiB": 1024, "KB": 1 / 1000, "MB": 1, "GB": 1000}[unit]


def test_the_default_limit_is_a_share_of_the_machine_within_floor_and_cap(monkeypatch):
    monkeypatch.delenv("JIXIAO_DUCKDB_MEMORY_LIMIT", raising=False)
    monkeypatch.delenv("JIXIAO_DUCKDB_THREADS", raising=False)
    monkeypatch.setattr(resources, "machine_memory_bytes", lambda: 24 * 2**30)
    assert resources.duckdb_memory_limit() == f"{resources.MEMORY_CAP_MB}MB"
    monkeypatch.setattr(resources, "machine_memory_bytes", lambda: 1 * 2**30)  # a small container
    assert resources.duckdb_memory_limit() == f"{int(2**10 * resources.MEMORY_SHARE)}MB"
    monkeypatch.setattr(resources, "machine_memory_bytes", lambda: 256 * 2**20)
    assert resources.duckdb_memory_limit() == f"{resources.MEMORY_FLOOR_MB}MB"
    monkeypatch.setattr(resources, "machine_cores", lambda: 3)
    assert resources.duckdb_threads() == 3


def test_the_writer_leaves_the_cores_to_the_parse_workers(monkeypatch):
    monkeypatch.delenv("JIXIAO_DUCKDB_THREADS", raising=False)
    monkeypatch.setattr(resources, "machine_cores", lambda: 2)
    assert resources.writer_threads(2) == 1  # two workers on two cores: one DuckDB thread, never none
    assert resources.writer_threads(1) == 1
    monkeypatch.setattr(resources, "machine_cores", lambda: 8)
    assert resources.writer_threads(2) == 6
    monkeypatch.setenv("JIXIAO_DUCKDB_THREADS", "3")
    assert resources.writer_threads(2) == 3


def test_a_parallel_load_writes_with_the_threads_the_workers_leave(tmp_path, monkeypatch):
    from loaders import pipeline

    seen = []
    monkeypatch.delenv("JIXIAO_DUCKDB_THREADS", raising=False)
    monkeypatch.setattr(resources, "writer_threads", lambda workers: seen.append(workers) or 1)
    monkeypatch.setattr(pipeline, "_Parser", _FakePool)
    pipeline.load_paths(str(tmp_path / "w.duckdb"), [], workers=2)
    assert seen == [2]


def test_a_load_checkpoints_its_log_less_often_than_duckdb_by_default(tmp_path, monkeypatch):
    from loaders import pipeline

    con = duckdb.connect()
    (default,) = con.execute("select current_setting('checkpoint_threshold')").fetchone()
    resources.limit_writer_checkpoints(con)
    (loading,) = con.execute("select current_setting('checkpoint_threshold')").fetchone()
    assert _size_mb(loading) > _size_mb(default)  # 16 MB, one batch of real-size reports, by default
    seen = []
    monkeypatch.setattr(pipeline, "limit_writer_checkpoints", lambda con: seen.append(con))
    pipeline.load_paths(str(tmp_path / "w.duckdb"), [], workers=1)
    assert len(seen) == 1


class _FakePool:
    """A parser that says it has a pool, without starting processes (no file is parsed)."""

    def __init__(self, workers, seconds=None):
        self.pool, self.window = object(), 4 * workers

    def close(self):
        pass


def test_the_environment_overrides_the_machine(monkeypatch):
    monkeypatch.setenv("JIXIAO_DUCKDB_MEMORY_LIMIT", "700MB")
    monkeypatch.setenv("JIXIAO_DUCKDB_THREADS", "1")
    assert resources.duckdb_config() == {"memory_limit": "700MB", "threads": 1}
    env = resources.export_for_dbt({"PATH": "/bin"})
    assert env["JIXIAO_DUCKDB_MEMORY_LIMIT"] == "700MB" and env["JIXIAO_DUCKDB_THREADS"] == "1"


def test_a_value_that_is_not_a_size_is_ignored(monkeypatch):
    monkeypatch.setattr(resources, "machine_memory_bytes", lambda: 24 * 2**30)
    monkeypatch.setenv("JIXIAO_DUCKDB_MEMORY_LIMIT", "1GB'; DROP TABLE raw.documents; --")
    monkeypatch.setenv("JIXIAO_DUCKDB_THREADS", "two")
    assert resources.duckdb_memory_limit() == f"{resources.MEMORY_CAP_MB}MB"
    assert resources.duckdb_threads() == resources.machine_cores()


def test_machine_figures_are_plausible():
    assert resources.machine_cores() >= 1
    assert resources.machine_memory_bytes() >= 64 * 2**20


def test_our_connections_use_the_limit(tmp_path, monkeypatch):
    monkeypatch.setenv("JIXIAO_DUCKDB_MEMORY_LIMIT", "300MB")
    monkeypatch.setenv("JIXIAO_DUCKDB_THREADS", "1")
    with store.connect(str(tmp_path / "w.duckdb")) as con:
        assert 280 <= _limit_mb(con) <= 300
        assert con.execute("select current_setting('threads')").fetchone()[0] == 1
    # a plain connection opened afterwards in the same process is not refused (SET, not a connect config)
    duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True).close()


def test_dbt_profile_reads_the_same_settings():
    profile = yaml.safe_load((PROJECT_DIR / "profiles.yml").read_text(encoding="utf-8"))
    settings = profile["jixiao"]["outputs"]["dev"]["settings"]
    assert "JIXIAO_DUCKDB_MEMORY_LIMIT" in settings["memory_limit"]
    assert "JIXIAO_DUCKDB_THREADS" in settings["threads"]
    assert "JIXIAO_DBT_THREADS" in profile["jixiao"]["outputs"]["dev"]["threads"]


def test_dbt_builds_one_model_at_a_time_unless_told(monkeypatch):
    """dbt's threads share one DuckDB memory limit (resources.DBT_THREADS); the environment may say more."""
    monkeypatch.delenv("JIXIAO_DBT_THREADS", raising=False)
    assert resources.export_for_dbt({})["JIXIAO_DBT_THREADS"] == "1"
    monkeypatch.setenv("JIXIAO_DBT_THREADS", "2")
    assert resources.export_for_dbt({})["JIXIAO_DBT_THREADS"] == "2"


def test_swapped_marts_keep_their_rows_and_store_a_units_rows_together():
    """The swap copies each mart ordered by unit_id (zone maps then skip other units' row groups)."""
    from jixiao import marts_swap

    con = duckdb.connect(":memory:")
    con.execute("create schema marts__next")
    con.execute("create table marts__next.per_unit as select 'u' || (i % 7) as unit_id, i as v from range(1000) t(i)")
    con.execute("create table marts__next.no_unit as select i as v from range(10) t(i)")
    before = sorted(con.execute("select * from marts__next.per_unit").fetchall())
    assert marts_swap.swap_in(con) == ["no_unit", "per_unit"]
    stored = con.execute("select unit_id from marts.per_unit").fetchall()
    assert stored == sorted(stored)
    assert sorted(con.execute("select * from marts.per_unit").fetchall()) == before
    assert con.execute("select count(*) from marts.no_unit").fetchone() == (10,)


def test_a_parse_worker_collects_garbage_less_often_than_python_by_default():
    import gc

    from loaders import pipeline

    parser = pipeline._Parser(workers=2)
    try:
        in_worker = parser.pool.submit(gc.get_threshold).result(timeout=120)
    finally:
        parser.close()
    assert in_worker == resources.PARSE_GC_THRESHOLDS
    assert in_worker[0] > 700  # Python's default young-generation threshold
