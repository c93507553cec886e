"""Benchmark: load, build and check synthetic corpora of 100, 1,000 and 10,000 reports (issue 6).

    make bench                      # sizes 100, 1000, 10000
    BENCH_SIZES=100,1000 make bench # fewer
    .venv/bin/python benchmarks/bench.py --sizes 100 --json out.json

For each size N it writes a corpus with ``jixiao synth`` (seed fixed, 10% injected inconsistencies),
then times, each step in its own child process on its own warehouse (JIXIAO_DB, DBT_TARGET_PATH and
DBT_LOG_PATH under the work folder, never the project's):

- floor_read: reading and normalising the same files, no segmenting or extraction;
- load: ``jixiao load`` (documents/s, MB/s, peak memory of the process tree);
- floor_insert: inserting the same number of rows into a fresh DuckDB file from Arrow, one bulk
  INSERT per raw table;
- build: ``jixiao build`` (dbt build: seeds, models, data tests); check: ``jixiao check``;
- yoy: the README's year-over-year query on the unit with most reports (median of 5, warm);
- add10: the next 10 reports of the same stream (``synth --first N``) loaded into the same warehouse, then build and check again;
- add10_incremental, add10_incremental_2: then the 10 after those, and 10 more, each built with
  ``jixiao build --incremental`` (only the units they touch: dbt's compiled plan replayed) and checked
  with ``jixiao check --incremental`` (those units); both replay the plan the full build compiled after
  its swap (``build`` includes that compile), so the first add after a full build is timed as a user meets it;
- real: the dev corpora (``../shared/dev_corpus/docs`` and ``../shared/dev_corpus_check/docs``, real
  excerpts) loaded the same way, documents/s and MB/s (``--no-real`` to skip);
- DQ recall/precision per document: a document counts as flagged when a ``marts.dq_checks`` row
  with status 'flag' names it; recall = injected documents flagged / injected, precision =
  injected documents flagged / all flagged documents.

Peak memory is the largest sum of resident set sizes of the step's process tree (sampled every
0.1 s from /proc), and also ``getrusage(RUSAGE_CHILDREN).ru_maxrss`` (the largest single process).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
JIXIAO = str(BIN / "jixiao")
SEED = 6
TARGETS = {"end_to_end_10000_s": 120, "load_vs_floor": 3.0, "add10_s": 15, "peak_mb": 1536, "yoy_warm_ms": 30,
           "yoy_first_ms": 200}
# real text (issue 13): the dev corpora's excerpts loaded the same way (loading them is a benchmark, not
# reading them: nothing of their text is printed or kept), documents/s and MB/s beside the synthetic ones
REAL_CORPORA = [PROJECT.parent / "shared" / "dev_corpus" / "docs", PROJECT.parent / "shared" / "dev_corpus_check" / "docs"]


def _tree_rss_mb(root: int) -> float:
    """Resident memory of ``root`` and every process below it (from /proc), in MB."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                fields = fh.read().rsplit(b")", 1)[1].split()
            ppid, pages = int(fields[1]), int(fields[21])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
        rss[int(entry)] = pages * page
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total / 2**20


def run_step(cmd: list[str], env: dict, log: Path) -> dict:
    """Run one step as a child process; wall time, peak tree RSS, largest single-process RSS."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    with open(log, "ab") as out:
        out.write(("\n$ " + " ".join(cmd) + "\n").encode())
        out.flush()
        proc = subprocess.Popen(cmd, env=env, cwd=PROJECT, stdout=out, stderr=subprocess.STDOUT)
        peak = [0.0]

        def sample() -> None:
            while proc.poll() is None:
                peak[0] = max(peak[0], _tree_rss_mb(proc.pid))
                time.sleep(0.1)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        code = proc.wait()
        sampler.join()
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if code != 0:
        raise SystemExit(f"step failed ({code}): {' '.join(cmd)}; see {log}")
    return {"seconds": seconds, "peak_tree_mb": peak[0], "max_process_mb": max(before, after) / 1024}


FLOOR_READ = """
import sys, time
from pathlib import Path
from loaders.readers import read_document
from loaders.normalize import normalize_lines
files = sorted(p for folder in sys.argv[1:] for p in Path(folder).iterdir() if p.is_file())
n = 0
for p in files:
    lines, _ = normalize_lines(read_document(p, p.read_bytes()).lines)
    n += len(lines)
print(n)
"""

FLOOR_INSERT = """
import sys, time, duckdb
src, dst = sys.argv[1], sys.argv[2]
con = duckdb.connect(src, read_only=True)
con.execute("SET enable_progress_bar = false")  # a bar on stdout would run into the figures line
tables = {t: con.execute(f"select * from raw.{t}").fetch_arrow_table() for t in
          ("documents", "lines", "sections", "tables", "table_cells", "mentions")}
con.close()
out = duckdb.connect(dst)
out.execute("SET enable_progress_bar = false")
start = time.perf_counter()
for name, table in tables.items():
    out.register("_t", table)
    out.execute(f"create table {name} as select * from _t where false")
    out.execute(f"insert into {name} select * from _t")
    out.unregister("_t")
out.close()
print()  # on a line of its own, whatever DuckDB printed before
print("floor_insert", time.perf_counter() - start, sum(t.num_rows for t in tables.values()))
"""


def floor_insert(db: Path, work: Path, env: dict, log: Path) -> dict:
    dst = work / "floor_insert.duckdb"
    dst.unlink(missing_ok=True)
    out = subprocess.run([sys.executable, "-c", FLOOR_INSERT, str(db), str(dst)], env=env, cwd=PROJECT,
                         capture_output=True, text=True, check=True)
    figures = [line.split()[1:] for line in out.stdout.splitlines() if line.startswith("floor_insert ")]
    if not figures:
        raise RuntimeError(f"the insert floor printed no figures: {out.stdout[-500:]!r}")
    seconds, rows = figures[-1]
    dst.unlink(missing_ok=True)
    return {"seconds": float(seconds), "rows": int(rows)}


def dq_scores(db: Path, *manifests: Path) -> dict:
    import duckdb

    injected = {json.loads(line)["file"] for manifest in manifests
                for line in manifest.read_text(encoding="utf-8").splitlines() if line}
    con = duckdb.connect(str(db), read_only=True)
    try:
        flagged = {r[0] for r in con.execute("""
            select distinct d.file_name
            from marts.dq_checks c, unnest(c.document_ids) as u(document_id)
            join marts.dim_document d on d.document_id = u.document_id
            where c.status = 'flag'""").fetchall()}
    finally:
        con.close()
    caught = len(injected & flagged)
    return {"injected": len(injected), "flagged_docs": len(flagged), "caught": caught,
            "recall": caught / len(injected) if injected else None,
            "precision": caught / len(flagged) if flagged else None}


def yoy_timing(db: Path) -> dict:
    import duckdb

    # DuckDB's Python client imports pandas and numpy at the first query with a parameter (1–2 s on a
    # busy machine): a cost of the Python process, paid once, not of the warehouse or the connection
    import pandas  # noqa: F401

    start = time.perf_counter()
    con = duckdb.connect(str(db), read_only=True)
    opened = time.perf_counter() - start
    try:
        unit_id, unit_name = con.execute("""
            select unit_id, any_value(unit_name) from marts.yoy_changes y join marts.dim_unit using (unit_id)
            group by unit_id order by count(*) desc, unit_id limit 1""").fetchone()
        sql = "select * from marts.yoy_changes where unit_id = ?"
        start = time.perf_counter()
        rows = len(con.execute(sql, [unit_id]).fetchall())
        cold = time.perf_counter() - start  # first query on this connection (the catalogue is read now)
        warm = []
        for _ in range(5):
            start = time.perf_counter()
            con.execute(sql, [unit_id]).fetchall()
            warm.append(time.perf_counter() - start)
    finally:
        con.close()
    # the CLI's own query (jixiao yoy UNIT: name match, labels, claims), connection included
    sys.path.insert(0, str(PROJECT))
    os.environ["JIXIAO_DB"] = str(db)
    from jixiao.query import yoy

    start = time.perf_counter()
    yoy(unit_name)
    cli = time.perf_counter() - start
    return {"rows": rows, "first_ms": cold * 1000, "fresh_connection_ms": (opened + cold) * 1000, "median_ms": statistics.median(warm) * 1000, "cli_query_ms": cli * 1000}


def bench_size(n: int, root: Path, log: Path) -> dict:
    work = root / f"n{n}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    db = work / "warehouse.duckdb"
    env = dict(os.environ, JIXIAO_DB=str(db), DBT_TARGET_PATH=str(work / "target"), DBT_LOG_PATH=str(work / "logs"),
               JIXIAO_GX_DIR=str(work / "gx"), DBT_SEND_ANONYMOUS_USAGE_STATS="false")
    corpus, extra = work / "corpus", work / "extra"
    incremental_extras = [work / "extra_incremental", work / "extra_incremental_2"]
    r: dict = {"n": n}
    r["synth"] = run_step([JIXIAO, "synth", str(n), "--out", str(corpus), "--seed", str(SEED)], env, log)
    run_step([JIXIAO, "synth", "10", "--out", str(extra), "--seed", str(SEED), "--first", str(n)], env, log)
    for k, folder in enumerate(incremental_extras, start=1):
        run_step([JIXIAO, "synth", "10", "--out", str(folder), "--seed", str(SEED), "--first", str(n + 10 * k)], env, log)
    docs = corpus / "docs"
    r["bytes"] = sum(p.stat().st_size for p in docs.iterdir())
    r["mean_kb"] = r["bytes"] / n / 1024
    r["floor_read"] = run_step([sys.executable, "-c", FLOOR_READ, str(docs)], env, log)
    r["load"] = run_step([JIXIAO, "load", str(docs)], env, log)
    r["floor_insert"] = floor_insert(db, work, env, log)
    r["build"] = run_step([JIXIAO, "build"], env, log)
    r["check"] = run_step([JIXIAO, "check"], env, log)
    r["end_to_end_s"] = r["load"]["seconds"] + r["build"]["seconds"] + r["check"]["seconds"]
    r["yoy"] = yoy_timing(db)
    r["dq"] = dq_scores(db, corpus / "manifest.jsonl")
    r["add10"] = add_reports(extra / "docs", [JIXIAO, "build"], env, log)
    # the next 10, then 10 more, built incrementally (only the units they touch) on the same warehouse and
    # checked on those units: the first incremental build compiles its plan with dbt, the second reuses it
    for key, folder in zip(("add10_incremental", "add10_incremental_2"), incremental_extras):
        r[key] = add_reports(folder / "docs", [JIXIAO, "build", "--incremental"], env, log,
                             check=[JIXIAO, "check", "--incremental"])
    # every report loaded so far, after the incremental merges: flagged exactly when injected
    r["dq_after_adds"] = dq_scores(db, *(folder / "manifest.jsonl" for folder in [corpus, extra] + incremental_extras))
    r["warehouse_mb"] = db.stat().st_size / 2**20
    return r


def add_reports(docs: Path, build: list[str], env: dict, log: Path, check: list[str] | None = None) -> dict:
    """Load the reports of ``docs`` into the warehouse, build with ``build``, check with ``check``
    (default the whole ``jixiao check``): each step timed."""
    add = {"load": run_step([JIXIAO, "load", str(docs)], env, log), "build": run_step(build, env, log),
           "check": run_step(check or [JIXIAO, "check"], env, log)}
    add["seconds"] = sum(add[k]["seconds"] for k in ("load", "build", "check"))
    return add


def bench_real(root: Path, log: Path) -> dict | None:
    """The dev corpora (real excerpts) loaded into a fresh warehouse: documents/s and MB/s, and the
    read-and-normalise floor of the same files. None when no corpus folder is there."""
    folders = [f for f in REAL_CORPORA if f.is_dir()]
    if not folders:
        return None
    work = root / "real"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    env = dict(os.environ, JIXIAO_DB=str(work / "warehouse.duckdb"), DBT_SEND_ANONYMOUS_USAGE_STATS="false")
    files = [p for f in folders for p in f.iterdir() if p.is_file()]
    r = {"folders": [str(f) for f in folders], "n": len(files), "bytes": sum(p.stat().st_size for p in files)}
    r["floor_read"] = run_step([sys.executable, "-c", FLOOR_READ] + [str(f) for f in folders], env, log)
    # as many parse processes as a large load would use (the corpora are below PARALLEL_MIN_FILES)
    env["JIXIAO_WORKERS"] = env.get("JIXIAO_WORKERS") or str(os.cpu_count() or 1)
    r["load"] = run_step([JIXIAO, "load"] + [str(f) for f in folders], env, log)
    shutil.rmtree(work, ignore_errors=True)
    return r


def real_line(r: dict) -> str:
    s = r["load"]["seconds"]
    return (f"real text (dev corpora, {r['n']} excerpts, {r['bytes'] / 2**20:.2f} MB, mean {r['bytes'] / r['n'] / 1024:.1f} KB): "
            f"load {s:.1f} s = {r['n'] / s:.1f} documents/s, {r['bytes'] / 2**20 / s:.3f} MB/s; read floor "
            f"{r['floor_read']['seconds']:.1f} s ({s / r['floor_read']['seconds']:.1f}×); load peak memory "
            f"{r['load']['peak_tree_mb']:.0f} MB")


def peak_of_any_step(r: dict) -> float:
    steps = [r[k] for k in ("load", "build", "check")] + \
        [r[add][k] for add in ("add10", "add10_incremental", "add10_incremental_2") for k in ("load", "build", "check")]
    return max(step["peak_tree_mb"] for step in steps)


def _add_line(add: dict) -> str:
    return f"{add['seconds']:.1f} ({add['load']['seconds']:.1f}+{add['build']['seconds']:.1f}+{add['check']['seconds']:.1f})"


def table(results: list[dict]) -> str:
    rows = [("reports", lambda r: f"{r['n']:,}"),
            ("corpus MB (mean KB per report)", lambda r: f"{r['bytes'] / 2**20:.1f} ({r['bytes'] / r['n'] / 1024:.1f})"),
            ("load s", lambda r: f"{r['load']['seconds']:.1f}"),
            ("documents/s", lambda r: f"{r['n'] / r['load']['seconds']:.1f}"),
            ("MB/s", lambda r: f"{r['bytes'] / 2**20 / r['load']['seconds']:.2f}"),
            ("load peak memory MB (tree / largest process)",
             lambda r: f"{r['load']['peak_tree_mb']:.0f} / {r['load']['max_process_mb']:.0f}"),
            ("floor: read+normalise s", lambda r: f"{r['floor_read']['seconds']:.1f}"),
            ("load ÷ read floor", lambda r: f"{r['load']['seconds'] / r['floor_read']['seconds']:.1f}×"),
            ("floor: Arrow insert s (rows)", lambda r: f"{r['floor_insert']['seconds']:.2f} ({r['floor_insert']['rows']:,})"),
            ("dbt build s", lambda r: f"{r['build']['seconds']:.1f}"),
            ("build peak memory MB", lambda r: f"{r['build']['peak_tree_mb']:.0f}"),
            ("jixiao check s", lambda r: f"{r['check']['seconds']:.1f}"),
            ("check peak memory MB", lambda r: f"{r['check']['peak_tree_mb']:.0f}"),
            ("end to end (load+build+check) s", lambda r: f"{r['end_to_end_s']:.1f}"),
            ("YoY query ms (fresh connection: open + first query / warm median / CLI yoy)",
             lambda r: f"{r['yoy']['fresh_connection_ms']:.1f} / {r['yoy']['median_ms']:.1f} / {r['yoy']['cli_query_ms']:.0f}"),
            ("add 10 reports s (load+build+check)", lambda r: _add_line(r["add10"])),
            ("add 10 peak memory MB (load / build / check)",
             lambda r: " / ".join(f"{r['add10'][k]['peak_tree_mb']:.0f}" for k in ("load", "build", "check"))),
            ("add 10 more, build --incremental s (load+build+check)", lambda r: _add_line(r["add10_incremental"])),
            ("add 10 more again, build --incremental s", lambda r: _add_line(r["add10_incremental_2"])),
            ("peak memory of any step MB", lambda r: f"{peak_of_any_step(r):.0f}"),
            ("DQ recall (injected docs flagged)", lambda r: f"{r['dq']['caught']}/{r['dq']['injected']} = {100 * (r['dq']['recall'] or 0):.1f}%"),
            ("DQ precision (flagged docs injected)", lambda r: f"{r['dq']['caught']}/{r['dq']['flagged_docs']} = {100 * (r['dq']['precision'] or 0):.1f}%"),
            ("DQ recall / precision after the adds (all reports)", lambda r: "{caught}/{injected} / {caught}/{flagged_docs}"
             .format(**r["dq_after_adds"])),
            ("warehouse MB", lambda r: f"{r['warehouse_mb']:.0f}")]
    lines = ["| measure | " + " | ".join(f"N = {r['n']:,}" for r in results) + " |",
             "|---|" + "---:|" * len(results)]
    for name, fn in rows:
        lines.append(f"| {name} | " + " | ".join(fn(r) for r in results) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default=os.environ.get("BENCH_SIZES", "100,1000,10000"))
    parser.add_argument("--dir", default=os.environ.get("BENCH_DIR"), help="work folder (default: a temporary one)")
    parser.add_argument("--json", default=os.environ.get("BENCH_JSON"), help="also write the figures here")
    parser.add_argument("--keep", action="store_true", help="keep the corpora and warehouses")
    parser.add_argument("--no-real", action="store_true", help="skip the real-text line (dev corpora)")
    args = parser.parse_args()
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    root = Path(args.dir) if args.dir else Path(tempfile.mkdtemp(prefix="jixiao-bench-"))
    root.mkdir(parents=True, exist_ok=True)
    log = root / "bench.log"
    print(f"jixiao benchmark: sizes {sizes}, {os.cpu_count()} cores, work folder {root} (step output in {log})", flush=True)
    results = []
    real = None if args.no_real else bench_real(root, log)
    if real:
        print(real_line(real), flush=True)
    for n in sizes:
        r = bench_size(n, root, log)
        results.append(r)
        print(f"N={n:,}: load {r['load']['seconds']:.1f}s, build {r['build']['seconds']:.1f}s, "
              f"check {r['check']['seconds']:.1f}s", flush=True)
        if args.json:  # after each size: a later size that fails keeps the figures of the earlier ones
            Path(args.json).write_text(json.dumps({"synthetic": results, "real": real}, indent=1), encoding="utf-8")
        if not args.keep:
            for sub in ("corpus", "extra", "extra_incremental", "extra_incremental_2", "target", "gx"):
                shutil.rmtree(root / f"n{n}" / sub, ignore_errors=True)
    print()
    print(table(results))
    print()
    if real:
        print(real_line(real))
    print("targets (2 cores, issue 13): 10,000 end to end < 120 s; load within 3× the read floor; add 10 reports "
          "< 15 s; peak memory < 1.5 GB in every step; YoY query < 30 ms warm, < 200 ms on a fresh connection")
    if args.json:
        Path(args.json).write_text(json.dumps({"synthetic": results, "real": real}, indent=1), encoding="utf-8")
    if not args.keep and not args.dir:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
