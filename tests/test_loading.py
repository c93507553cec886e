"""Loading behaviour: idempotent reloads, bad files recorded, nothing half-written."""

from __future__ import annotations

import shutil

import duckdb

from loaders.pipeline import load_paths

from conftest import REPORTS


def counts(db):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: con.execute(f"select count(*) from raw.{t}").fetchone()[0]
                for t in ("documents", "lines", "mentions", "table_cells", "load_errors")}
    finally:
        con.close()


def test_reloading_changes_nothing_and_renamed_copy_loads_once(tmp_path):
    db = tmp_path / "w.duckdb"
    first = load_paths(str(db), [REPORTS])
    assert len(first.loaded) == 5 and not first.errors
    before = counts(db)
    again = load_paths(str(db), [REPORTS])
    assert len(again.unchanged) == 5 and not again.loaded
    assert counts(db) == before
    copy = tmp_path / "copy with spaces 报告 'q'.txt"
    shutil.copy(REPORTS / "003_f3935fc457b6862e.txt", copy)
    third = load_paths(str(db), [copy])
    assert third.unchanged == [str(copy)] and counts(db) == before


def test_forced_reload_replaces_rows_not_duplicates(tmp_path):
    db = tmp_path / "w.duckdb"
    load_paths(str(db), [REPORTS / "004_6674a8ff95bdd177.txt"])
    before = counts(db)
    load_paths(str(db), [REPORTS / "004_6674a8ff95bdd177.txt"], force=True)
    assert counts(db) == before


def test_bad_files_are_recorded_and_the_batch_goes_on(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "garbage.txt").write_bytes(bytes(range(256)) * 20)
    (folder / "slides.pptx").write_bytes(b"PK\x03\x04 not really")
    shutil.copy(REPORTS / "001_eba2073fbc31a076.txt", folder / "good.txt")
    db = tmp_path / "w.duckdb"
    summary = load_paths(str(db), [folder])
    assert summary.loaded == [str(folder / "good.txt")]
    reasons = {p.split("/")[-1]: r for p, r in summary.errors}
    assert set(reasons) == {"empty.txt", "garbage.txt", "slides.pptx"}
    assert "空文件" in reasons["empty.txt"] and "不支持" in reasons["slides.pptx"]
    assert counts(db)["load_errors"] == 3
