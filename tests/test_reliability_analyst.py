"""Issue 10, the analyst's side: `jixiao query` cannot write or reach files (case 8), exports are inert
(case 9). On the session warehouse built from the bundled reports."""

from __future__ import annotations

import csv
import zipfile

import duckdb
import pytest

from jixiao.query import export, run_sql

from conftest import cli_env, run_cli


def count_documents(db) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("select count(*) from raw.documents").fetchone()[0]
    finally:
        con.close()


@pytest.mark.parametrize("attack", [
    "attach '{other}' as w2 (READ_WRITE); create table w2.t as select 1",
    "copy (select * from raw.documents) to '{out}'",
    "select * from read_csv('/etc/passwd')",
    "select * from glob('/etc/*')",
    "set enable_external_access = true; copy (select 1) to '{out}'",
    "reset lock_configuration; set enable_external_access = true",
    # the sequence that emptied raw.documents: move to another file, detach the warehouse, attach it writable, delete
    "attach '{other}' as o (READ_WRITE); use o; detach {catalog}; attach '{db}' as w (READ_WRITE); delete from w.raw.documents",
    "install httpfs",
])
def test_query_cannot_write_or_reach_files(built_warehouse, tmp_path, attack):
    other, out = tmp_path / "other.duckdb", tmp_path / "out.csv"
    before = count_documents(built_warehouse)
    sql = attack.format(other=other, out=out, db=built_warehouse, catalog=built_warehouse.stem)
    with pytest.raises(duckdb.Error):
        run_sql(sql, db=str(built_warehouse))
    assert not other.exists() and not out.exists()
    assert count_documents(built_warehouse) == before
    assert run_sql("select count(*) from marts.dim_document", db=str(built_warehouse)).rows[0][0] > 0  # reading works


def test_cli_query_reports_a_blocked_write_in_one_line(built_warehouse, tmp_path):
    out = tmp_path / "leak.csv"
    result = run_cli(["query", f"copy (select 1) to '{out}'"], cli_env(built_warehouse, tmp_path), check=False)
    assert result.returncode == 1 and "query failed" in result.stdout and not out.exists()
    assert "Traceback" not in result.stdout + result.stderr


FORMULA_LINE = '=HYPERLINK("http://example.invalid/x","点击查看")'


def test_exports_write_formula_like_cells_as_text(built_warehouse, tmp_path):
    result = run_sql(f"""select '{FORMULA_LINE.replace("'", "''")}' as source_text, '+1 万元' as plus, '-3' as minus,
                                '@SUM(A1)' as at, 'ok 正常' as plain, -5 as number""", db=str(built_warehouse))
    out_csv, out_xlsx = tmp_path / "q.csv", tmp_path / "q.xlsx"
    export(result, csv=out_csv, xlsx=out_xlsx)

    import openpyxl

    sheet = openpyxl.load_workbook(out_xlsx).active
    cells = {sheet.cell(1, c).value: sheet.cell(2, c) for c in range(1, sheet.max_column + 1)}
    for name in ("source_text", "plus", "minus", "at"):
        assert cells[name].data_type == "s" and cells[name].quotePrefix, name  # text, shown as typed
    assert cells["source_text"].value == FORMULA_LINE
    assert cells["number"].value == -5 and cells["number"].data_type == "n"  # numbers stay numbers
    with zipfile.ZipFile(out_xlsx) as zf:
        assert "<f>" not in zf.read("xl/worksheets/sheet1.xml").decode("utf-8")  # no formula anywhere

    with out_csv.open(encoding="utf-8-sig") as fh:
        row = next(csv.DictReader(fh))
    assert row["source_text"] == "'" + FORMULA_LINE and row["plus"].startswith("'+") and row["at"] == "'@SUM(A1)"
    assert row["minus"] == "'-3" and row["plain"] == "ok 正常" and row["number"] == "-5"
