"""Bad input in one folder: each bad file gets a row with a clear bilingual reason, the good ones
load, the CLI summary names them all; plus nothing lost or doubled (re-issues, SIGKILL, two loads)."""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import duckdb
import pytest

from loaders import store
from loaders.pipeline import NOT_A_REPORT, load_paths

from conftest import PROJECT_DIR, REPORTS, cli_env, run_cli

sys.path.insert(0, str(PROJECT_DIR / "scripts"))
from make_fixtures import to_docx  # noqa: E402

NEWS = ("新华社长沙5月20日电 记者从省文化和旅游厅获悉，今年“五一”假期全省共接待游客3025.6万人次，"
        "实现旅游收入215.3亿元，同比分别增长12.5%和18.2%。橘子洲景区单日接待游客8.6万人次。\n")


def query(db: Path, sql: str, params=None):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def _zip_bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", b"\0" * (20 * 2**20))  # 20 MB of zeros in ~20 KB
    return buf.getvalue()


def _scanned_pdf() -> bytes:
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.drawImage(ImageReader(Image.new("RGB", (300, 400), "white")), 72, 300, width=300, height=400)
    c.showPage()
    c.save()
    return buf.getvalue()


@pytest.fixture(scope="module")
def bad_batch(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("bad")
    folder = tmp / "下载 folder"
    folder.mkdir()
    report = (REPORTS / "003_f3935fc457b6862e.txt").read_text(encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "garbage.txt").write_bytes(os.urandom(64 * 1024))
    docx = to_docx(report)
    (folder / "truncated.docx").write_bytes(docx[: len(docx) // 2])
    (folder / "bomb.docx").write_bytes(_zip_bomb())
    (folder / "scan.pdf").write_bytes(_scanned_pdf())
    (folder / "news.txt").write_text(NEWS * 5, encoding="utf-8")
    big = folder / "big.txt"
    with open(big, "wb") as fh:  # 50 MB, written in chunks
        chunk = ("我中心在职人员57人，全年支出1.3015亿元。" * 2000 + "\n").encode("utf-8")
        while fh.tell() < 50 * 2**20:
            fh.write(chunk)
    odd = folder / "2023年 \"最终\" 'v2' 自评报告.docx"
    odd.write_bytes(docx)
    (folder / "good.txt").write_bytes((REPORTS / "001_eba2073fbc31a076.txt").read_bytes())
    (folder / "sub").mkdir()
    (folder / "sub" / "loop").symlink_to(folder, target_is_directory=True)   # a loop back to the top
    (folder / "self.txt").symlink_to(folder / "self.txt")                    # a link to itself
    (folder / "~$lock.docx").write_bytes(b"\x05owner")                     # Word lock file: ignored
    db = tmp / "w.duckdb"
    env = cli_env(db, tmp)
    started = time.monotonic()
    result = run_cli(["load", str(folder)], env)
    elapsed = time.monotonic() - started
    return dict(folder=folder, db=db, env=env, out=result.stdout, elapsed=elapsed, odd=odd)


EXPECTED_ERRORS = {
    "empty.txt": "空文件",
    "garbage.txt": "二进制|编码",
    "truncated.docx": "损坏",
    "bomb.docx": "压缩炸弹",
    "scan.pdf": "扫描件",
    "big.txt": "文件过大",
    "self.txt": "无法读取",
}


def test_each_bad_file_has_a_bilingual_reason_and_the_rest_loads(bad_batch):
    rows = query(bad_batch["db"], "select file_name, error_kind, reason from raw.load_errors")
    by_name = {name: reason for name, _, reason in rows}
    for name, pattern in EXPECTED_ERRORS.items():
        assert name in by_name, (name, by_name)
        reason = by_name[name]
        assert re.search(pattern, reason), (name, reason)
        assert re.search(r"[A-Za-z]{3}", reason) and re.search(r"[\u4e00-\u9fff]", reason), reason  # both languages
    loop = [r for n, k, r in rows if k == "path"]
    assert any("符号链接循环" in r for r in loop)
    docs = {name: status for name, status in query(bad_batch["db"], "select file_name, status from raw.documents")}
    assert docs["good.txt"] == "loaded" and docs[bad_batch["odd"].name] == "loaded"
    assert not any(name.startswith("~$") for name in list(by_name) + list(docs))


def test_cli_summary_lists_every_bad_and_flagged_file(bad_batch):
    out = re.sub(r"\s+", "", bad_batch["out"])
    for name in list(EXPECTED_ERRORS) + ["news.txt", "loop"]:
        assert re.sub(r"\s+", "", name) in out, name
    assert re.sub(r"\s+", "", NOT_A_REPORT)[:40] in out


def test_news_article_loads_marked_with_zero_mentions(bad_batch):
    (doc_id, status, reason), = query(bad_batch["db"],
                                      "select document_id, status, status_reason from raw.documents where file_name = 'news.txt'")
    assert status == "not_report" and reason == NOT_A_REPORT and "绩效" in reason
    assert query(bad_batch["db"], "select count(*) from raw.mentions where document_id = ?", [doc_id])[0][0] == 0
    assert query(bad_batch["db"], "select count(*) from raw.lines where document_id = ?", [doc_id])[0][0] > 0


def test_big_file_is_refused_fast(bad_batch):
    # the 50 MB file is refused from its size alone; the whole batch (with LibreOffice-free formats) is quick
    assert bad_batch["elapsed"] < 60, bad_batch["elapsed"]


def test_odd_file_name_is_stored_exactly(bad_batch):
    names = [r[0] for r in query(bad_batch["db"], "select file_name from raw.documents")]
    assert bad_batch["odd"].name in names


# --- nothing lost, nothing doubled ------------------------------------------------------------------
def test_corrected_reissue_wins_in_the_marts(tmp_path):
    original = (REPORTS / "003_f3935fc457b6862e.txt").read_text(encoding="utf-8")
    assert "在职人员 57 人" in original
    corrected = original.replace("在职人员 57 人", "在职人员 58 人")
    v1, v2 = tmp_path / "v1", tmp_path / "v2"
    v1.mkdir()
    v2.mkdir()
    (v1 / "report.txt").write_text(original, encoding="utf-8")
    (v2 / "report (corrected).txt").write_text(corrected, encoding="utf-8")
    db = tmp_path / "w.duckdb"
    env = cli_env(db, tmp_path)
    run_cli(["load", str(v1)], env)
    time.sleep(0.05)
    run_cli(["load", str(v2)], env)
    run_cli(["build"], env)
    docs = query(db, "select file_name, is_current, superseded_by_document_id from marts.dim_document order by loaded_at")
    assert [(d[0], d[1]) for d in docs] == [("report.txt", False), ("report (corrected).txt", True)]
    assert docs[0][2] is not None
    staff = query(db, "select value from marts.fct_staffing where item_code = 'actual_staff' and post_type = 'all' and fund_part = ''")
    assert staff == [(58,)], staff


def _driver(db: Path, folder: Path, kill_on_doc: int) -> str:
    """A load that SIGKILLs itself while writing its Nth document (after some rows, before COMMIT)."""
    return f"""
import os, signal
from loaders import store
from loaders.pipeline import NOT_A_REPORT, load_paths
real = store._insert
seen = []
def insert(con, table, rows):
    real(con, table, rows)
    if table == "documents":
        seen.append(1)
    if table == "mentions" and len(seen) == {kill_on_doc}:
        os.kill(os.getpid(), signal.SIGKILL)
store._insert = insert
load_paths({str(db)!r}, [{str(folder)!r}])
"""


def _complete_counts(db: Path) -> dict:
    return dict(query(db, """
        select d.file_name, (select count(*) from raw.lines l where l.document_id = d.document_id) = d.n_lines
        from raw.documents d"""))


def test_sigkill_mid_document_leaves_no_half_document_and_next_run_completes(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for report in sorted(REPORTS.glob("*.txt")):
        shutil.copy(report, folder / report.name)
    db = tmp_path / "w.duckdb"
    proc = subprocess.run([sys.executable, "-c", _driver(db, folder, 3)], cwd=PROJECT_DIR, capture_output=True)
    assert proc.returncode == -signal.SIGKILL
    names = _complete_counts(db)
    assert len(names) == 2 and all(names.values())  # two whole documents, the third rolled back
    assert query(db, "select count(*) from raw.mentions where document_id not in (select document_id from raw.documents)")[0][0] == 0
    assert query(db, "select status from raw.loads")[0][0] == "running"  # the killed load is visibly unfinished
    summary = load_paths(str(db), [folder])
    # (2 unchanged + 3 loaded; all 5 reparsed if the loader code changed in between: its version is a hash of it)
    assert len(summary.unchanged) + len(summary.loaded) == 5 and len(summary.loaded) >= 3 and not summary.errors
    reference = tmp_path / "ref.duckdb"
    load_paths(str(reference), [folder])
    count = "select count(*) from raw.{}"
    for table in ("documents", "lines", "mentions", "table_cells"):
        assert query(db, count.format(table)) == query(reference, count.format(table)), table


SCHEMA_WAL_BYTES = 16 * 1024  # more than creating the raw schema writes to the WAL (≈ 5 KB)


def test_external_sigkill_of_the_cli_then_rerun(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(4):
        for report in sorted(REPORTS.glob("*.txt")):
            (folder / f"{i}_{report.name}").write_text(report.read_text(encoding="utf-8") + f"\n附注{i}\n",
                                                       encoding="utf-8")
    db = tmp_path / "w.duckdb"
    env = cli_env(db, tmp_path)
    proc = subprocess.Popen([str(Path(sys.executable).with_name("jixiao")), "load", str(folder)], env=env,
                            cwd=PROJECT_DIR, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wal = Path(str(db) + ".wal")
    deadline = time.monotonic() + 60
    # killed once documents are being written: the schema alone writes ~5 KB of WAL, and how long it takes
    # depends on imports (DuckDB's client imports pandas at the first parameterised query), not on the load
    while time.monotonic() < deadline and proc.poll() is None and not (wal.exists() and wal.stat().st_size > SCHEMA_WAL_BYTES):
        time.sleep(0.01)
    time.sleep(0.1)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert all(_complete_counts(db).values())
    run_cli(["load", str(folder)], env)
    assert len(_complete_counts(db)) == 20 and all(_complete_counts(db).values())


def test_two_loads_at_once_wait_or_fail_clearly(tmp_path):
    db = tmp_path / "w.duckdb"
    env = cli_env(db, tmp_path)
    # the holder keeps the warehouse until told to let go (not for a fixed time: a busy machine may take
    # longer than that to start the CLI)
    holder = subprocess.Popen([sys.executable, "-c", f"""
import sys, duckdb
con = duckdb.connect({str(db)!r})
print('locked', flush=True)
sys.stdin.readline()
con.close()
"""], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "locked"
    report = str(REPORTS / "000_179747fc3c9c0afe.txt")
    busy = run_cli(["load", report], dict(env, JIXIAO_LOCK_WAIT_SECONDS="0.5"), check=False)
    assert busy.returncode == 2 and "数据仓库正被另一进程使用" in busy.stdout.replace("\n", "")
    waiter = subprocess.Popen([str(Path(sys.executable).with_name("jixiao")), "load", report],
                              env=dict(env, JIXIAO_LOCK_WAIT_SECONDS="120"), cwd=PROJECT_DIR,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(2)  # the waiter is waiting for the lock
    holder.stdin.write("\n")
    holder.stdin.flush()
    holder.wait()
    assert waiter.wait(timeout=300) == 0
    assert query(db, "select count(*) from raw.documents")[0][0] == 1


def test_no_file_name_or_content_is_spliced_into_sql():
    """store.py builds SQL only from its own table and column names; values are bound parameters."""
    source = (PROJECT_DIR / "loaders" / "store.py").read_text(encoding="utf-8")
    for call in re.findall(r"execute\((f?\"[^\n]*)", source):
        if call.startswith("f"):
            assert not re.search(r"\{(?!table\}|ddl\}|words\[0\]\}|words\[1\]\}|', '\.join\(cols\)\})", call), call
    with store.connect(":memory:") as con:
        store.ensure_schema(con)
        evil = "x'); DROP TABLE raw.documents; --"
        store.record_error(con, dict(load_id=evil, file_path=evil, file_name=evil, sha256=None, error_kind="path",
                                     reason=evil, recorded_at=None))
        assert con.execute("select file_name from raw.load_errors").fetchall() == [(evil,)]
        assert con.execute("select count(*) from raw.documents").fetchall() == [(0,)]
