"""Issue 10, the build: implausible report content is quarantined instead of stopping dbt (case 1), units
that cannot be read stay apart (case 2), a fact's value does not depend on the other documents or the
load order (case 3), only current documents feed the marts and the checks (case 4), the marts are
replaced at once and a killed build stops dbt and leaves them whole (case 5), a copied warehouse works
and a clashing name is refused (case 10), dbt waits for the lock and an unusable warehouse gives one
line (case 11), two checks of two warehouses never collide (case 12). Synthetic reports only, plus the
bundled ones."""

from __future__ import annotations

import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from jixiao import synth
from loaders.pipeline import load_paths

from conftest import JIXIAO, PROJECT_DIR, REPORTS, cli_env, run_cli

MARTS = ("dim_unit", "dim_document", "fct_expenditure", "fct_income", "fct_budget", "fct_enrollment",
         "fct_fund_balance", "fct_staffing", "fct_performance_score", "fct_evaluation", "fct_evaluation_dimension",
         "fct_service_output", "yoy_changes", "dq_checks", "quarantine")
LOAD_TIME_COLUMNS = {"load_id", "loaded_at"}  # when a document was loaded, not what it says


def query(db: Path, sql: str, params=None):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def mart_rows(db: Path, table: str, unit_ids: list[str] | None = None) -> list[tuple]:
    """Every row of a mart (of the given units), load-time columns left out, in a total order."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        cols = [c for (c,) in con.execute(
            "select column_name from information_schema.columns where table_schema = 'marts' and table_name = ? "
            "order by ordinal_position", [table]).fetchall() if c not in LOAD_TIME_COLUMNS]
        where = "where unit_id in (select unnest(?))" if unit_ids is not None else ""
        sql = f"select {', '.join(cols)} from marts.{table} {where} order by all"
        return con.execute(sql, [unit_ids] if unit_ids is not None else []).fetchall()
    finally:
        con.close()


# --- synthetic reports ----------------------------------------------------------------------------
def synthetic_report(seed: int, year: int | None = None, weights: dict[int, tuple[int, int]] | None = None) -> str:
    """One report of the synthetic generator (jixiao/synth.py: the bundled layouts, invented units and
    figures), optionally for another year and with some indicator rows given (weight, score)."""
    rng = random.Random(seed)
    unit = synth._units(rng, 1, 1)[0]
    urng = random.Random(f"{seed}:{unit.unit_code}")
    figures = synth._year_figures(urng, unit, year or unit.first_year)
    for i, (weight, score) in (weights or {}).items():
        names, _, _ = figures["indicators"][i]
        figures["indicators"][i] = (names, weight, score)
    return synth.render(unit, figures, urng)


def unit_less_report(year: int, spent: str) -> str:
    """A short invented report that names no unit (本单位 only)."""
    return (f"{year}年度部门整体支出绩效自评报告\n一、部门基本情况\n本单位为财政全额拨款单位。\n"
            f"二、部门整体支出情况\n{year}年本单位支出总额{spent}万元，其中基本支出{spent}万元。\n")


# --- cases 1 and 2: report content never makes dbt skip a mart ------------------------------------
@pytest.fixture(scope="module")
def odd_reports(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("odd")
    folder = tmp / "in"
    (folder / "2022").mkdir(parents=True)
    (folder / "2023").mkdir()
    # a self-evaluation table read wrong: a weight of 200 scored 202, and a score above its weight
    (folder / "misread.txt").write_text(synthetic_report(21, weights={0: (200, 202), 1: (5, 9)}), encoding="utf-8")
    (folder / "long_ago.txt").write_text(synthetic_report(22, year=1985), encoding="utf-8")  # read as a year, not plausible
    # two files of one name in two folders, neither naming its unit
    (folder / "2022" / "绩效自评报告.txt").write_text(unit_less_report(2022, "12.5"), encoding="utf-8")
    (folder / "2023" / "绩效自评报告.txt").write_text(unit_less_report(2023, "13.5"), encoding="utf-8")
    db = tmp / "w.duckdb"
    env = cli_env(db, tmp)
    run_cli(["load", str(folder)], env)
    build = run_cli(["build"], env, check=False)
    return dict(db=db, env=env, tmp=tmp, build=build)


def test_implausible_rows_are_quarantined_and_the_build_passes(odd_reports):
    assert odd_reports["build"].returncode == 0, odd_reports["build"].stdout[-3000:]
    db = odd_reports["db"]
    tables = {t for (t,) in query(db, "select table_name from information_schema.tables where table_schema = 'marts'")}
    assert set(MARTS) <= tables
    reasons = dict(query(db, "select reason_code, count(*) from marts.quarantine group by 1"))
    assert reasons.get("weight_out_of_range") == 1 and reasons.get("score_above_weight") == 1
    assert reasons.get("year_out_of_range", 0) >= 1  # the report year 1985, and its figures
    assert query(db, "select count(*) from marts.fct_performance_score where weight > 100 or score > weight")[0][0] == 0
    assert query(db, "select count(*) from marts.fct_expenditure where fiscal_year not between 1990 and 2100")[0][0] == 0
    # every quarantined row is counted on its document, and its reason is bilingual
    counted = dict(query(db, "select file_name, n_quarantined from marts.dim_document"))
    assert counted["misread.txt"] == 2 and counted["long_ago.txt"] >= 1
    assert query(db, "select report_year from marts.dim_document where file_name = 'long_ago.txt'") == [(None,)]
    for (reason,) in query(db, "select reason from marts.quarantine"):
        assert re.search(r"[\u4e00-\u9fff]", reason) and re.search(r"[A-Za-z]{4}", reason), reason


def test_value_tests_on_report_content_warn_and_key_tests_still_fail(odd_reports):
    out = odd_reports["build"].stdout
    assert re.search(r"WARN \d+ accepted_range_int_evaluation_rows_weight", out), out[-2000:]
    # break one of our own keys: a mention written twice → the build fails, the marts stay as they were
    db, env = odd_reports["db"], odd_reports["env"]
    before = {t: mart_rows(db, t) for t in ("dim_document", "fct_performance_score", "quarantine")}
    con = duckdb.connect(str(db))
    con.execute("insert into raw.mentions select * from raw.mentions limit 1")
    con.close()
    failed = run_cli(["build"], env, check=False)
    con = duckdb.connect(str(db))
    con.execute("delete from raw.mentions where rowid in (select max(rowid) from raw.mentions)")
    con.close()
    assert failed.returncode == 1
    assert "unique_combination_of_columns_stg_raw__mentions" in failed.stdout and "FAIL" in failed.stdout
    assert "保持上一次构建的结果" in failed.stdout.replace("\n", "")
    assert {t: mart_rows(db, t) for t in before} == before


def test_two_unit_less_files_of_one_name_are_two_units(odd_reports):
    db = odd_reports["db"]
    unknown = query(db, "select unit_name from marts.dim_unit where admin_level = 'unknown' and unit_name like '(unknown%'")
    names = [n for (n,) in unknown if "绩效自评报告.txt" in n]
    assert len(names) == 2 and len(set(names)) == 2
    assert query(db, "select count(distinct unit_id) from marts.dim_document where file_name = '绩效自评报告.txt'")[0][0] == 2


# --- case 3: values do not depend on the other documents or on the load order -------------------------
def test_bundled_marts_are_the_same_with_other_reports_and_in_reverse_order(built_warehouse, tmp_path):
    extra = tmp_path / "extra"
    synth.generate(12, extra, seed=11, years=3)
    bundled_units = [u for (u,) in query(built_warehouse, "select unit_id from marts.dim_unit")]
    bundled_names = {n for (n,) in query(built_warehouse, "select unit_name from marts.dim_unit")}
    extra_names = {re.search(r"年度(.+?)整体支出绩效自评报告", p.read_text(encoding="utf-8")).group(1)
                   for p in (extra / "docs").iterdir()}
    assert not bundled_names & extra_names  # unrelated reports: no unit in common
    db = tmp_path / "w.duckdb"
    load_paths(str(db), [extra / "docs"])  # the others first, then the bundled ones one by one, last first
    for report in sorted(REPORTS.glob("*.txt"), reverse=True):
        load_paths(str(db), [report])
    run_cli(["build"], cli_env(db, tmp_path))
    for table in MARTS:
        alone = mart_rows(built_warehouse, table, bundled_units)
        mixed = mart_rows(db, table, bundled_units)
        assert mixed == alone, (table, [r for r in mixed if r not in alone][:3], [r for r in alone if r not in mixed][:3])


# --- case 4: only current documents feed the marts and dq_checks ---------------------------------------
def test_a_report_corrected_in_place_replaces_its_old_copy_everywhere(built_warehouse, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for report in sorted(REPORTS.glob("*.txt")):
        shutil.copy(report, folder / report.name)
    db = tmp_path / "w.duckdb"
    env = cli_env(db, tmp_path)
    run_cli(["load", str(folder)], env)
    target = folder / "003_f3935fc457b6862e.txt"
    text = target.read_text(encoding="utf-8")
    assert "在职人员 57 人" in text
    target.write_text(text.replace("在职人员 57 人", "在职人员 58 人"), encoding="utf-8")  # one figure corrected
    time.sleep(0.05)
    run_cli(["load", str(folder)], env)
    run_cli(["build"], env)
    old, new = (query(db, "select document_id from marts.dim_document where file_name = ? order by loaded_at",
                      [target.name]))
    assert query(db, "select is_current from marts.dim_document where document_id = ?", [old[0]]) == [(False,)]
    unit = query(db, "select unit_id from marts.dim_document where document_id = ?", [new[0]])[0][0]
    flags = "select check_code, rule_code, count(*) from marts.dq_checks where unit_id = ? and status = 'flag' group by all order by all"
    assert query(db, flags, [unit]) == query(built_warehouse, flags, [unit])  # not doubled, no false "two values"
    for table in MARTS:
        if table in ("dim_document", "dim_unit"):
            continue
        column = "document_ids" if table == "dq_checks" else "document_id"
        sql = (f"select count(*) from marts.{table} where list_contains({column}, ?)" if table == "dq_checks"
               else f"select count(*) from marts.{table} where {column} = ?")
        assert query(db, sql, [old[0]])[0][0] == 0, table
    assert query(db, "select value from marts.fct_staffing where item_code = 'actual_staff' and unit_id = ? "
                     "and post_type = 'all' and fund_part = ''", [unit]) == [(58,)]  # the whole, not its 其中 parts


# --- case 5: the marts are replaced at once; a killed build stops dbt and leaves them whole -------------
def _children(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (from /proc/*/stat)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_bytes().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    """Whether any thread of the process still runs (a dying process is a zombie leader first, while its
    other threads finish; only when all are gone are its files, and its DuckDB lock, released)."""
    for stat in Path(f"/proc/{pid}/task").glob("*/stat"):
        try:
            if stat.read_bytes().rsplit(b")", 1)[1].split()[0] not in (b"Z", b"X"):
                return True
        except OSError:
            continue
    return False


def test_a_build_killed_during_the_marts_leaves_them_whole_and_stops_dbt(built_warehouse, tmp_path):
    db = tmp_path / "copied warehouse.duckdb"  # a copy under another name (case 10) works as well
    shutil.copy(built_warehouse, db)
    env = cli_env(db, tmp_path)
    before = {t: mart_rows(db, t) for t in MARTS}
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "new.txt").write_text(synthetic_report(31), encoding="utf-8")
    run_cli(["load", str(extra)], env)
    build = subprocess.Popen([JIXIAO, "build"], env=env, cwd=PROJECT_DIR, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True)
    dbt_pids, seen = [], []
    for line in build.stdout:  # wait until dbt has written a first mart table
        seen.append(line)
        dbt_pids = dbt_pids or _children(build.pid)
        if re.search(r"created sql table model marts__next\.", line):
            break
    assert dbt_pids, "".join(seen[-20:])
    build.kill()  # SIGKILL: no handler runs in jixiao
    build.wait()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(_alive(p) for p in dbt_pids):
        time.sleep(0.2)
    assert not any(_alive(p) for p in dbt_pids), "dbt ran on after jixiao build was killed"
    after = {t: mart_rows(db, t) for t in MARTS}
    assert after == before  # the previous marts, whole: nothing of the new document, nothing half-built
    run_cli(["build"], env)  # the next build cleans up and replaces them at once
    assert query(db, "select count(*) from marts.dim_document")[0][0] == len(before["dim_document"]) + 1
    assert query(db, "select count(*) from information_schema.schemata where schema_name = 'marts__next'")[0][0] == 0


def test_a_stop_signal_to_the_runner_stops_its_child(tmp_path):
    """run_dbt's wait passes SIGTERM on and its children die with it even under SIGKILL (a sleeping stand-in for dbt)."""
    script = f"""
import os, subprocess, sys
from jixiao import dbt_runner
child = subprocess.Popen(["sleep", "300"], preexec_fn=dbt_runner._die_with_parent(os.getpid()))
print(child.pid, flush=True)
try:
    dbt_runner._wait_forwarding_signals(child)
except dbt_runner.DbtInterrupted as exc:
    print("interrupted", exc.signum, flush=True)
    sys.exit(143)
"""
    for how in (signal.SIGTERM, signal.SIGKILL):
        runner = subprocess.Popen([sys.executable, "-c", script], cwd=PROJECT_DIR, stdout=subprocess.PIPE, text=True)
        child = int(runner.stdout.readline())
        time.sleep(0.3)
        runner.send_signal(how)
        runner.wait(timeout=30)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and _alive(child):
            time.sleep(0.1)
        assert not _alive(child), how
        if how == signal.SIGTERM:
            assert runner.returncode == 143


# --- case 10: copied, renamed, and clashing names ----------------------------------------------------
def test_a_copied_warehouse_keeps_working(built_warehouse, tmp_path):
    copy = tmp_path / "renamed copy.duckdb"
    shutil.copy(built_warehouse, copy)
    for view in ("stg_raw__documents", "stg_raw__lines", "stg_raw__mentions"):
        assert query(copy, f"select count(*) from staging.{view}")[0][0] > 0
    views = query(copy, "select sql from duckdb_views() where schema_name = 'staging'")
    assert views and not any('"warehouse".' in sql or "warehouse.raw" in sql for (sql,) in views)


@pytest.mark.parametrize("name", ["raw.duckdb", "marts.duckdb", "main.duckdb"])
def test_a_warehouse_named_after_a_schema_is_refused_up_front(tmp_path, name):
    db = tmp_path / name
    result = run_cli(["load", str(REPORTS / "000_179747fc3c9c0afe.txt")], cli_env(db, tmp_path), check=False)
    assert result.returncode == 2 and not db.exists()
    out = " ".join(result.stdout.split())
    assert "clashes with the schema or catalog" in out and "冲突" in out and "Traceback" not in result.stdout + result.stderr


# --- case 11: dbt waits for the lock; an unusable warehouse gives one line ----------------------------
def test_dbt_waits_for_the_lock_like_the_loader(built_warehouse, tmp_path):
    db = tmp_path / "w.duckdb"
    shutil.copy(built_warehouse, db)
    holder = subprocess.Popen([sys.executable, "-c", f"""
import time, duckdb
con = duckdb.connect({str(db)!r})
print('locked', flush=True)
time.sleep(20)  # longer than dbt takes to start and parse, so its first connect meets the lock
con.close()
"""], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "locked"
    env = cli_env(db, tmp_path)
    started = time.monotonic()
    dbt = subprocess.run([str(Path(sys.executable).with_name("dbt")), "run", "--select", "stg_raw__load_errors",
                          "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR)],
                         env=env, cwd=PROJECT_DIR, capture_output=True, text=True)
    holder.wait()
    assert dbt.returncode == 0, dbt.stdout[-2000:]
    assert time.monotonic() - started >= 19  # it waited for the holder instead of failing at once


def test_a_directory_as_warehouse_gives_one_line(tmp_path):
    folder = tmp_path / "a folder"
    folder.mkdir()
    for command in (["load", str(REPORTS / "000_179747fc3c9c0afe.txt")], ["build"], ["check", "--no-docs"]):
        result = run_cli(command, cli_env(folder, tmp_path), check=False)
        out = " ".join(result.stdout.split())
        assert result.returncode == 2, (command, result.stdout, result.stderr)
        assert "directory" in out and "目录" in out and "in use" not in out, out
        assert "Traceback" not in result.stdout + result.stderr


def _unshare_available() -> bool:
    if not shutil.which("unshare") or not shutil.which("mount"):
        return False
    probe = subprocess.run(["unshare", "-m", "sh", "-c", "mount -t tmpfs -o size=1m tmpfs /mnt 2>/dev/null"],
                           capture_output=True)
    return probe.returncode == 0


needs_mounts = pytest.mark.skipif(not _unshare_available(),
                                  reason="needs unshare + mount (a private mount namespace) for a real read-only or full file system")


@needs_mounts
@pytest.mark.parametrize("kind", ["read_only", "full"])
def test_a_read_only_or_full_file_system_gives_one_line(tmp_path, kind):
    mount = tmp_path / "mnt"
    mount.mkdir()
    db = mount / "w.duckdb"
    if kind == "read_only":  # an existing warehouse on a file system mounted read-only
        create = f"{sys.executable} -c \"import duckdb; duckdb.connect('{db}').close()\""
        setup = f"mount -t tmpfs -o size=8m tmpfs {mount} && {create} && mount -o remount,ro {mount}"
        words = ("read-only file system", "只读")
    else:  # a disk with room for the warehouse's first pages, not for the reports
        setup = f"mount -t tmpfs -o size=600k tmpfs {mount}"
        words = ("no space left", "磁盘空间已满")
    env = cli_env(db, tmp_path)
    script = f"{setup} && exec {JIXIAO} load {REPORTS}"
    result = subprocess.run(["unshare", "-m", "sh", "-c", script], env=env, cwd=PROJECT_DIR, capture_output=True,
                            text=True)
    out = " ".join(result.stdout.split())
    assert result.returncode == 2, (result.stdout[-2000:], result.stderr[-2000:])
    assert words[0] in out.lower() and words[1] in out, out
    assert "Traceback" not in result.stdout + result.stderr and "in use" not in out


# --- case 12: two checks on two warehouses at once; tracked files untouched -----------------------------
def _tracked_changes() -> str:
    return subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "expectations"], cwd=PROJECT_DIR,
                          capture_output=True, text=True).stdout


def test_two_checks_of_two_warehouses_do_not_collide_or_touch_tracked_files(built_warehouse, tmp_path):
    before = _tracked_changes()
    copy = tmp_path / "second.duckdb"
    shutil.copy(built_warehouse, copy)
    runs = []
    for db in (built_warehouse, copy):
        env = {k: v for k, v in cli_env(db, tmp_path / db.stem).items() if k != "JIXIAO_GX_DIR"}
        runs.append(subprocess.Popen([JIXIAO, "check"], env=env, cwd=PROJECT_DIR, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True))
    outs = [r.communicate()[0] for r in runs]
    assert [r.returncode for r in runs] == [0, 0], outs
    sites = [re.search(r"\(offline离线\):(\S*?index\.html)", "".join(o.split())).group(1) for o in outs]
    assert sites[0] != sites[1] and all(Path(s).exists() for s in sites), sites
    assert _tracked_changes() == before
