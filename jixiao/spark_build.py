"""The dbt project built on Spark (issue 13): dbt-spark's ``session`` method in this process, the raw
tables read from the Parquet folders ``jixiao.spark_load`` writes, every mart written back as Parquet.

    python -m jixiao.spark_build RAW_PARQUET_DIR OUT_DIR [--master local[2]] [--work DIR]

Runs with a Python that has dbt-core 1.11, dbt-spark 1.11 and pyspark (not the project's venv:
``tests/test_spark_dbt.py`` installs them into a venv of their own); it imports nothing of the
loaders. One SparkSession serves the whole run: it is created here (Hive catalog in ``--work``), the
Parquet folders are registered as the tables of the ``raw`` schema, and dbt's session connection
(``SparkSession.builder.getOrCreate()``) is handed the same session. dbt then loads the seeds and
builds the models (``dbt seed``, ``dbt run``); the data tests are not run here (the DuckDB build runs
them; on Spark they would double the time of the test that compares the marts). Each mart is then
written to ``OUT_DIR/<mart>`` as Parquet, to be compared with the DuckDB marts.

On a real cluster the same project runs against the cluster's Spark: the ``spark`` target of
profiles.yml with ``method: thrift`` (a Spark Thrift Server) or ``http`` (Databricks), the raw tables
registered once in the metastore (``register_raw``), docs/scale.md.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
# the raw tables the models read; spark_load writes them all but load_errors (it skips a file it cannot
# read), which gets an empty table of the raw DDL's columns (loaders/store.py) so stg_raw__load_errors builds
RAW_TABLES = ["documents", "lines", "sections", "tables", "table_cells", "mentions"]
LOAD_ERRORS_DDL = ("load_id string, file_path string, file_name string, sha256 string, error_kind string, "
                   "reason string, recorded_at timestamp_ntz")
# the settings the project's SQL needs on Spark (dbt-spark itself turns ANSI mode off): string literals
# raw as in DuckDB, so a regex's backslash reaches the regex engine
SPARK_SQL_CONF = {"spark.sql.parser.escapedStringLiterals": "true", "spark.sql.session.timeZone": "UTC"}


def session(master: str, work: Path):
    """A local SparkSession with a Hive catalog (a Derby metastore and a warehouse folder under ``work``)."""
    from pyspark.sql import SparkSession

    work.mkdir(parents=True, exist_ok=True)
    builder = (SparkSession.builder.master(master).appName("jixiao-dbt")
               .config("spark.ui.enabled", "false")
               .config("spark.sql.warehouse.dir", str(work / "warehouse"))
               .config("spark.driver.extraJavaOptions", f"-Dderby.system.home={work}")
               .config("javax.jdo.option.ConnectionURL",
                       f"jdbc:derby:;databaseName={work / 'metastore_db'};create=true")
               .config("spark.sql.shuffle.partitions", "4")  # a few MB of data: 200 partitions is mostly overhead
               .config("spark.sql.ansi.enabled", "false"))
    for key, value in SPARK_SQL_CONF.items():
        builder = builder.config(key, value)
    return builder.enableHiveSupport().getOrCreate()


def register_raw(spark, raw_dir: Path) -> None:
    """The Parquet folders as the tables of schema ``raw`` (external tables: nothing is copied)."""
    spark.sql("create database if not exists raw")
    for table in RAW_TABLES:
        spark.sql(f"drop table if exists raw.{table}")
        spark.sql(f"create table raw.{table} using parquet location '{(raw_dir / table).resolve()}'")
    spark.sql("drop table if exists raw.load_errors")
    spark.sql(f"create table raw.load_errors ({LOAD_ERRORS_DDL}) using parquet")


def dbt(args: list[str], profiles_dir: Path) -> None:
    """One dbt command in this process (dbt's programmatic entry point); raises when it fails."""
    from dbt.cli.main import dbtRunner

    result = dbtRunner().invoke(args + ["--project-dir", str(PROJECT_DIR), "--profiles-dir", str(profiles_dir),
                                        "--target", "spark"])
    if not result.success:
        raise SystemExit(f"dbt {args[0]} failed on Spark: {result.exception or 'see the log above'}")


def marts(spark) -> list[str]:
    return sorted(row.tableName for row in spark.sql("show tables in marts").collect() if not row.isTemporary)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Build the dbt project on Spark (session method) from Parquet raw tables")
    parser.add_argument("raw_dir", type=Path)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--work", type=Path, default=Path("spark-work"))
    parser.add_argument("--profiles-dir", type=Path, default=PROJECT_DIR)
    parser.add_argument("--select", default=None, help="dbt --select for the run (default: every model)")
    args = parser.parse_args(argv)
    spark = session(args.master, args.work.resolve())
    try:
        register_raw(spark, args.raw_dir)
        dbt(["seed", "--full-refresh"], args.profiles_dir)
        dbt(["run"] + (["--select", args.select] if args.select else []), args.profiles_dir)
        for mart in marts(spark):
            spark.table(f"marts.{mart}").write.mode("overwrite").parquet(str(args.out_dir / mart))
            print(f"{mart}\t{spark.table(f'marts.{mart}').count()}")
    finally:
        spark.stop()


if __name__ == "__main__":
    sys.exit(main())
