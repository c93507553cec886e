"""The cluster path of loading (issue 13): ``parse_document`` mapped over files with PySpark, the raw
tables written as Parquet — one folder per table, the same columns and types as DuckDB's ``raw``.

    python -m jixiao.spark_load OUT_DIR PATH… [--master local[2]]

Local mode (``local[N]``) runs on this machine; on a cluster the same code runs with the cluster's
master (``spark-submit --master yarn …``, the project installed on the executors, the input on a
shared file system such as HDFS or S3). ``parse_document`` is a pure function of a file's bytes, so
a failed task is simply run again. What the single-machine loader adds and this path does not:
the load ledger (``raw.loads``) and skipping unchanged documents (on a cluster: an anti-join of the
new files' ``document_id`` with the existing ``raw.documents`` before the map, and one table-format
commit per load — Delta or Iceberg — for all-or-nothing). Copies of the same bytes load once: the
first path in sorted order keeps the document, as ``jixiao load`` does.

Needs pyspark (PyPI) and a Java runtime (Debian: ``default-jdk-headless``); neither is a dependency
of the project (``tests/test_spark_path.py`` installs pyspark apart and skips without Java).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from urllib.parse import unquote, urlparse

from loaders import store
from loaders.pipeline import parse_document
from loaders.readers import UnreadableDocument

TABLES = ["documents"] + store.PER_DOCUMENT_TABLES


def spark_type(duckdb_type: str):
    """The Spark SQL type holding the values of a DuckDB column type of the raw DDL."""
    from pyspark.sql import types as T

    return {"VARCHAR": T.StringType(), "INTEGER": T.IntegerType(), "BIGINT": T.LongType(),
            "DOUBLE": T.DoubleType(), "BOOLEAN": T.BooleanType(), "TIMESTAMP": T.TimestampNTZType(),
            "VARCHAR[]": T.ArrayType(T.StringType())}[duckdb_type]


def spark_schema(table: str):
    """The Spark schema of a raw table, in DDL column order (from ``store.RAW_DDL``)."""
    from pyspark.sql import types as T

    fields = []
    for part in store.RAW_DDL[table].split(","):
        words = part.split()
        if len(words) >= 2 and words[0][0].isalpha() and words[0].upper() != "PRIMARY":
            fields.append(T.StructField(words[0], spark_type(words[1]), True))
    return T.StructType(fields)


def local_path(uri: str) -> Path:
    """``file:/a/b%20c.txt`` (Spark's name for a local file) → ``/a/b c.txt``."""
    parsed = urlparse(uri)
    return Path(unquote(parsed.path)) if parsed.scheme in ("file", "") else Path(uri)


def parse_one(uri: str, data: bytes, load_id: str) -> dict[str, list[tuple]] | None:
    """One file's rows per raw table as tuples in DDL order; None for a file that cannot be read
    (the single-machine loader records those in raw.load_errors)."""
    try:
        parsed = parse_document(local_path(uri), bytes(data), load_id)
    except UnreadableDocument:
        return None
    tables = {"documents": [parsed.document], **parsed.children}
    return {t: [tuple(row.get(c) for c in store.columns_of(t)) for row in tables.get(t, [])] for t in TABLES}


def load_with_spark(spark, paths: list[str], out_dir: str, load_id: str) -> dict[str, int]:
    """Parse every file under ``paths`` on the Spark executors and write each raw table as Parquet
    under ``out_dir/<table>``. Returns the number of rows written per table."""
    inputs = ",".join(str(Path(p).resolve()) for p in paths)
    files = spark.sparkContext.binaryFiles(inputs)
    parsed = files.map(lambda kv: (kv[0], parse_one(kv[0], kv[1], load_id))).filter(lambda kv: kv[1] is not None)
    # copies of the same bytes: the first path in sorted order keeps the document
    keyed = parsed.map(lambda kv: (kv[1]["documents"][0][0], kv))
    first = keyed.reduceByKey(lambda a, b: a if a[0] <= b[0] else b).map(lambda kv: kv[1][1]).cache()
    counts = {}
    for table in TABLES:
        rows = first.flatMap(lambda tables, t=table: tables[t])
        frame = spark.createDataFrame(rows, schema=spark_schema(table))
        frame.write.mode("overwrite").parquet(str(Path(out_dir) / table))
        counts[table] = spark.read.parquet(str(Path(out_dir) / table)).count()
    first.unpersist()
    return counts


def session(master: str = "local[2]"):
    """A SparkSession for this machine (local mode) or the master named."""
    from pyspark.sql import SparkSession

    return (SparkSession.builder.master(master).appName("jixiao-load")
            .config("spark.ui.enabled", "false").config("spark.sql.session.timeZone", "UTC")
            .config("spark.python.worker.reuse", "true").getOrCreate())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Load report files into Parquet raw tables with PySpark")
    parser.add_argument("out_dir")
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--load-id", default="load_spark")
    args = parser.parse_args(argv)
    spark = session(args.master)
    try:
        counts = load_with_spark(spark, args.paths, args.out_dir, args.load_id)
    finally:
        spark.stop()
    for table, n in counts.items():
        print(f"{table}\t{n}")


if __name__ == "__main__":
    sys.exit(main())
