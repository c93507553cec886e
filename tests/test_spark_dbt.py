"""The cluster path, run (issue 13): the dbt project built on Spark — dbt-spark's ``session`` method, the raw
tables the Parquet folders ``jixiao.spark_load`` writes — gives the marts the DuckDB build gives on the bundled
reports: every mart, the same columns, the same rows with the same values.

What is compared, and the one tolerance: every column of every mart but ``load_id`` and ``loaded_at`` of
dim_document (the two loads are two loads: their id and time differ, as in tests/test_spark_path.py). Text,
integers, ids, lists and booleans must be equal. Numbers (DOUBLE, DECIMAL) may differ by at most 1e-6 absolute
or 1e-9 relative: the engines add and multiply floating-point values in their own order, so a figure can differ
in its last bits, and a checks' tolerance rounded to 6 decimals (DECIMAL(…, 6)) by one unit in the 6th decimal.
A number printed inside a message (dq_checks.message) is held to the same tolerance, and −0 equals 0 there.

Spark runs the models only (``dbt seed`` and ``dbt run``, not the 500 data tests): the DuckDB build runs the
tests on the same SQL, and on Spark they would double the time of a test that already takes minutes (most of
it Spark's start and its per-statement overhead on tiny tables). dbt-core 1.11, dbt-spark 1.11 and pyspark are
installed into a venv of their own (cached in $JIXIAO_SPARK_SESSION_VENV, default
~/.cache/jixiao/dbt-spark-session-venv), never into the project's; the test skips, saying why, when there is no
Java runtime or they cannot be installed.
"""

from __future__ import annotations

import math
import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from conftest import PROJECT_DIR, REPORTS
from test_spark_path import java_or_skip, pyspark_dir_or_skip

SPARK_DBT = ["dbt-core==1.11.16", "dbt-spark[session]==1.11.0", "pyspark==4.3.0"]
NOT_ROW_CONTENT = {"load_id", "loaded_at"}  # differ between any two loads
ABS_TOL, REL_TOL = 1e-6, 1e-9
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def spark_dbt_python_or_skip() -> Path:
    venv = Path(os.environ.get("JIXIAO_SPARK_SESSION_VENV",
                               Path.home() / ".cache" / "jixiao" / "dbt-spark-session-venv"))
    python = venv / "bin" / "python"
    stamp = venv / (".installed-" + "-".join(p.replace("[", "_").replace("]", "_") for p in SPARK_DBT))
    if not stamp.exists():
        try:
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True, timeout=300)
            subprocess.run([str(python), "-m", "pip", "install", "--quiet", *SPARK_DBT],
                           check=True, capture_output=True, timeout=1800)
        except (subprocess.SubprocessError, OSError) as exc:
            pytest.skip(f"dbt-spark/pyspark could not be installed here ({type(exc).__name__}): dbt on Spark not run")
        stamp.touch()
    return python


def _is_number(value) -> bool:
    return isinstance(value, (float, Decimal)) and not isinstance(value, bool)


def _close(a, b) -> bool:
    if abs(Decimal(str(a)) - Decimal(str(b))) <= Decimal(str(ABS_TOL)):  # exact: 0.051643 vs 0.051642 is 1e-6
        return True
    return math.isclose(float(a), float(b), rel_tol=REL_TOL, abs_tol=0.0)


def _same_text(a: str, b: str) -> bool:
    """Equal but for the numbers printed in it, which may differ within the tolerance."""
    if a == b:
        return True
    if NUMBER.split(a) != NUMBER.split(b):
        return False
    return all(_close(x, y) for x, y in zip(NUMBER.findall(a), NUMBER.findall(b)))


def _same_value(a, b) -> bool:
    if a is None or b is None:
        return a is b
    if _is_number(a) and _is_number(b):
        return _close(a, b)
    if isinstance(a, str) and isinstance(b, str):
        return _same_text(a, b)
    return a == b


def _sort_key(row: tuple):
    """Order rows by what must be equal (numbers masked), so the two sides pair up row by row."""
    return repr(tuple(NUMBER.sub("#", v) if isinstance(v, str) else ("#" if _is_number(v) else v) for v in row)) \
        + repr(tuple(round(float(v), 4) for v in row if _is_number(v)))


def _rows(con, relation: str, columns: list[str]) -> list[tuple]:
    quoted = ", ".join(f'"{c}"' for c in columns)
    return sorted(con.execute(f"select {quoted} from {relation}").fetchall(), key=_sort_key)


def test_dbt_on_spark_gives_the_duckdb_marts(built_warehouse, tmp_path):
    java_or_skip()
    pyspark = pyspark_dir_or_skip()
    spark_python = spark_dbt_python_or_skip()

    raw = tmp_path / "raw"  # the raw tables as the cluster path of loading writes them
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(pyspark), str(PROJECT_DIR)]),
               PYSPARK_PYTHON=sys.executable, PYSPARK_DRIVER_PYTHON=sys.executable)
    run = subprocess.run([sys.executable, "-m", "jixiao.spark_load", str(raw), str(REPORTS), "--master", "local[2]"],
                         cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=1800)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-4000:]

    marts = tmp_path / "spark_marts"
    env = dict(os.environ, PYTHONPATH=str(PROJECT_DIR), PYSPARK_PYTHON=str(spark_python),
               PYSPARK_DRIVER_PYTHON=str(spark_python), DBT_TARGET_PATH=str(tmp_path / "target"),
               DBT_LOG_PATH=str(tmp_path / "logs"), DBT_SEND_ANONYMOUS_USAGE_STATS="false")
    build = subprocess.run([str(spark_python), "-m", "jixiao.spark_build", str(raw), str(marts),
                            "--work", str(tmp_path / "spark"), "--master", "local[2]"],
                           cwd=tmp_path, env=env, capture_output=True, text=True, timeout=2400)
    assert build.returncode == 0, build.stdout[-6000:] + build.stderr[-3000:]

    con = duckdb.connect(str(built_warehouse), read_only=True)
    try:
        names = [r[0] for r in con.execute("select table_name from information_schema.tables "
                                           "where table_schema = 'marts' order by 1").fetchall()]
        assert len(names) >= 15, names
        compared = 0
        for mart in names:
            assert (marts / mart).is_dir(), f"{mart} was not built on Spark"
            spark = f"read_parquet('{marts / mart}/*.parquet')"
            duck_columns = [r[0] for r in con.execute(f"describe marts.{mart}").fetchall()]
            spark_columns = [r[0] for r in con.execute(f"describe select * from {spark}").fetchall()]
            assert sorted(spark_columns) == sorted(duck_columns), mart
            columns = [c for c in duck_columns if c not in NOT_ROW_CONTENT]
            duck_rows, spark_rows = _rows(con, f"marts.{mart}", columns), _rows(con, spark, columns)
            assert len(spark_rows) == len(duck_rows), f"{mart}: {len(spark_rows)} rows on Spark, {len(duck_rows)} on DuckDB"
            for duck_row, spark_row in zip(duck_rows, spark_rows):
                differ = [(c, d, s) for c, d, s in zip(columns, duck_row, spark_row) if not _same_value(d, s)]
                assert not differ, f"{mart}: {differ}"
            compared += len(duck_rows)
        assert compared > 500, compared  # the bundled reports give some 530 mart rows: the marts are not empty
    finally:
        con.close()
