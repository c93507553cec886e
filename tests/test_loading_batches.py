"""Whole documents batched per transaction (issue 13): the same rows as one transaction per document,
a killed batch leaves none of its documents visible and the next load redoes them, a copy waiting in
the batch is still "unchanged", and one document refused inside a batch does not sink the others."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from loaders import store
from loaders.pipeline import batch_size, load_paths

from conftest import PROJECT_DIR, REPORTS

TABLES = ("documents", "lines", "sections", "tables", "table_cells", "mentions", "load_errors")
NOT_ROW_CONTENT = {"load_id", "loaded_at", "recorded_at"}  # differ between any two loads


def query(db: Path, sql: str, params=None):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def raw_rows(db: Path) -> dict[str, list[tuple]]:
    """Every raw table's rows, sorted, without the columns that differ between two loads of the same files."""
    out = {}
    con = duckdb.connect(str(db), read_only=True)
    try:
        for table in TABLES:
            cols = [c for c in store.columns_of(table) if c not in NOT_ROW_CONTENT]
            out[table] = sorted(con.execute(f"select {', '.join(cols)} from raw.{table}").fetchall(), key=repr)
    finally:
        con.close()
    return out


@pytest.fixture()
def folder(tmp_path) -> Path:
    """The bundled reports, a byte-identical copy of one under another name (met after it), and a file
    that is not a report (loaded but marked)."""
    folder = tmp_path / "in"
    folder.mkdir()
    for report in sorted(REPORTS.glob("*.txt")):
        shutil.copy(report, folder / report.name)
    first = sorted(REPORTS.glob("*.txt"))[0]
    shutil.copy(first, folder / ("z_copy_of_" + first.name))
    (folder / "y_note.txt").write_text("Meeting at ten. Bring the slides.\n", encoding="utf-8")
    return folder


def test_the_columns_a_worker_sends_hold_the_rows_parse_document_returns():
    """The loader's lines and mentions are built column by column (typed Arrow); the rows golden.py and
    the Spark path read are the same values, row by row."""
    from loaders.pipeline import parse_document

    for report in sorted(REPORTS.glob("*.txt")):
        rows = parse_document(report, report.read_bytes(), "load_x").children
        columns = parse_document(report, report.read_bytes(), "load_x", columnar=True).children
        assert rows["lines"] and rows["mentions"]
        for table in ("lines", "mentions"):
            assert hasattr(columns[table], "to_pylist") and columns[table].to_pylist() == rows[table]
            assert list(rows[table][0]) == store.columns_of(table)  # every column, in DDL order


def test_values_that_do_not_fit_their_columns_travel_as_rows():
    """A line number past INTEGER cannot be an Arrow int32: the rows go the slower way (DuckDB casts or
    says why), never silently changed."""
    columns = {"document_id": ["d", "d"], "load_id": ["l", "l"], "line_no": [1, 2**40], "original_text": ["a", "b"],
               "text": ["a", "b"], "line_kind": ["text", "text"], "section_path": ["", ""], "table_id": [None, None]}
    assert store.from_columns("lines", columns) == [
        dict(zip(columns, values)) for values in zip(*columns.values())]
    columns["line_no"] = [1, 2]
    assert store.from_columns("lines", columns).column("line_no").to_pylist() == [1, 2]


def test_batch_size_follows_the_load_and_the_environment(monkeypatch):
    monkeypatch.delenv("JIXIAO_BATCH_DOCUMENTS", raising=False)
    assert batch_size(5) == 1 and batch_size(10_000) > 1
    monkeypatch.setenv("JIXIAO_BATCH_DOCUMENTS", "3")
    assert batch_size(5) == 3
    monkeypatch.setenv("JIXIAO_BATCH_DOCUMENTS", "0")
    assert batch_size(5) == 1


def test_batched_load_writes_the_same_rows_as_one_document_per_transaction(folder, tmp_path, monkeypatch):
    monkeypatch.setenv("JIXIAO_BATCH_DOCUMENTS", "1")
    single = load_paths(str(tmp_path / "single.duckdb"), [folder], workers=1)
    monkeypatch.setenv("JIXIAO_BATCH_DOCUMENTS", "3")
    batched = load_paths(str(tmp_path / "batched.duckdb"), [folder], workers=1)
    assert batched.loaded == single.loaded and batched.unchanged == single.unchanged == [
        str(p) for p in folder.iterdir() if p.name.startswith("z_copy_of_")]
    assert batched.flagged == single.flagged and len(batched.flagged) == 1 and not batched.errors
    assert raw_rows(tmp_path / "batched.duckdb") == raw_rows(tmp_path / "single.duckdb")


def test_forced_batched_reload_replaces_rows_as_one_document_per_transaction_does(folder, tmp_path, monkeypatch):
    """--force parses everything again; the copy met after its twin replaces it (batched or not)."""
    results = {}
    for size in ("1", "4"):
        monkeypatch.setenv("JIXIAO_BATCH_DOCUMENTS", size)
        db = tmp_path / f"w{size}.duckdb"
        load_paths(str(db), [folder], workers=1)
        again = load_paths(str(db), [folder], force=True, workers=1)
        assert not again.errors and len(again.loaded) == 7
        assert query(db, "select count(*), count(distinct document_id) from raw.documents") == [(6, 6)]
        results[size] = raw_rows(db)
    assert results["4"] == results["1"]


def test_a_document_refused_inside_a_batch_leaves_the_others_loaded(folder, tmp_path, monkeypatch):
    monkeypatch.setenv("JIXIAO_BATCH_DOCUMENTS", "10")
    victim = sorted(REPORTS.glob("*.txt"))[2].name
    real = store._insert

    def refusing(con, table, rows):
        names = [r["file_name"] for r in (rows.to_pylist() if hasattr(rows, "to_pylist") else rows)] \
            if table == "documents" else []
        if victim in names:
            raise duckdb.ConstraintException("refused for the test")
        real(con, table, rows)

    monkeypatch.setattr(store, "_insert", refusing)
    db = tmp_path / "w.duckdb"
    summary = load_paths(str(db), [folder], workers=1)
    assert [Path(p).name for p, _ in summary.errors] == [victim]
    loaded = {name for (name,) in query(db, "select file_name from raw.documents")}
    assert victim not in loaded and len(loaded) == 5  # four reports and the note, each whole
    assert query(db, "select count(*) from raw.lines where document_id not in (select document_id from raw.documents)") \
        == [(0,)]


def _killing_driver(db: Path, folder: Path, batch: int, kill_on_batch: int) -> str:
    """A load that SIGKILLs itself inside its Nth batch (after the batch's mentions, before COMMIT)."""
    return f"""
import os, signal
os.environ["JIXIAO_BATCH_DOCUMENTS"] = "{batch}"
from loaders import store
from loaders.pipeline import load_paths
real = store._insert
batches = []
def insert(con, table, rows):
    real(con, table, rows)
    if table == "documents":
        batches.append(1)
    if table == "mentions" and len(batches) == {kill_on_batch}:
        os.kill(os.getpid(), signal.SIGKILL)
store._insert = insert
load_paths({str(db)!r}, [{str(folder)!r}], workers=1)
"""


def test_a_killed_batch_leaves_none_of_its_documents_and_the_next_load_redoes_them(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for report in sorted(REPORTS.glob("*.txt")):
        shutil.copy(report, folder / report.name)
    db = tmp_path / "w.duckdb"
    proc = subprocess.run([sys.executable, "-c", _killing_driver(db, folder, batch=2, kill_on_batch=2)],
                          cwd=PROJECT_DIR, capture_output=True)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    first_two = sorted(p.name for p in folder.iterdir())[:2]
    assert sorted(name for (name,) in query(db, "select file_name from raw.documents")) == first_two
    complete = query(db, """select bool_and((select count(*) from raw.lines l where l.document_id = d.document_id)
                            = d.n_lines) from raw.documents d""")
    assert complete == [(True,)]
    for table in store.PER_DOCUMENT_TABLES:
        orphans = f"select count(*) from raw.{table} where document_id not in (select document_id from raw.documents)"
        assert query(db, orphans) == [(0,)], table
    assert query(db, "select status from raw.loads") == [("running",)]
    again = load_paths(str(db), [folder], workers=1)
    assert len(again.loaded) + len(again.unchanged) == 5 and len(again.loaded) >= 3 and not again.errors
    reference = tmp_path / "ref.duckdb"
    load_paths(str(reference), [folder], workers=1)
    assert raw_rows(db) == raw_rows(reference)
