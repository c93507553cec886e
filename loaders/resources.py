"""DuckDB's memory limit and threads from the machine (issue 13), for every connection we open and
for dbt's (profiles.yml reads the same values from the environment: ``export_for_dbt``).

DuckDB's own default is 80% of the physical memory and every core of the host: on a shared machine,
or in a container whose cgroup allows less than the host has, that is more than the process may use
(a cgroup kills it instead of DuckDB spilling to disk). So the limit is taken from what this process
may really use — the cgroup's limit when there is one — and capped at a share of it; DuckDB spills
what does not fit to a temporary directory beside the warehouse.

Overrides: ``JIXIAO_DUCKDB_MEMORY_LIMIT`` (a DuckDB size such as ``2GB``), ``JIXIAO_DUCKDB_THREADS`` and
``JIXIAO_DBT_THREADS`` (how many models dbt builds at once).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

MEMORY_SHARE = 0.4  # of what the process may use: the rest is Python, dbt, the GX checks and the page cache
# keeps every step under the 1.5 GB target with Python and dbt around it. Measured as the whole process
# tree of `jixiao build` (the CLI and its dbt child) at N = 10,000: 1,557 MB with a 900 MB cap, 1,434 MB
# with 800 MB (264 s against 232 s; RESULTS.md, 2026-12-03)
MEMORY_CAP_MB = 800
MEMORY_FLOOR_MB = 256  # DuckDB needs about 128 MB per thread to run at all
# dbt's threads are cursors on ONE DuckDB database, so they share its memory limit: two heavy models at
# once halve what each may use. At N = 10,000 two dbt threads ran two models out of memory at 1 GB;
# one thread passed, at a cost of about 10% of the build's time at N = 1,000 (DuckDB itself still runs
# each query on every core). Override: JIXIAO_DBT_THREADS.
DBT_THREADS = 1


def _cgroup_memory_bytes() -> int | None:
    """The memory limit of this process's cgroup (v2 ``memory.max`` or v1 ``memory.limit_in_bytes``)."""
    for path in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        try:
            text = Path(path).read_text().strip()
        except OSError:
            continue
        if text.isdigit() and int(text) < 2**60:  # "max" or a huge number: no limit
            return int(text)
    return None


def machine_memory_bytes() -> int:
    """The memory this process may use: physical memory, or less when a cgroup says so."""
    try:
        physical = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        physical = 4 * 2**30
    limit = _cgroup_memory_bytes()
    return min(physical, limit) if limit else physical


def _cgroup_cores() -> float | None:
    """The CPU quota of this process's cgroup v2 (``cpu.max``: quota and period), in cores."""
    try:
        quota, period = Path("/sys/fs/cgroup/cpu.max").read_text().split()[:2]
    except (OSError, ValueError):
        return None
    return int(quota) / int(period) if quota.isdigit() and period.isdigit() and int(period) else None


def machine_cores() -> int:
    """The cores this process may run on (its CPU affinity, and the cgroup quota when lower)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    quota = _cgroup_cores()
    return max(1, min(cores, int(quota)) if quota else cores)


# a DuckDB size: the only form accepted from the environment (the value is spliced into a SET statement)
SIZE = re.compile(r"\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)", re.IGNORECASE)


def duckdb_memory_limit() -> str:
    """``JIXIAO_DUCKDB_MEMORY_LIMIT`` when it is a size, else MEMORY_SHARE of the machine's memory
    within its floor and cap."""
    wanted = os.environ.get("JIXIAO_DUCKDB_MEMORY_LIMIT", "").strip()
    if SIZE.fullmatch(wanted):
        return wanted
    mb = int(machine_memory_bytes() * MEMORY_SHARE / 2**20)
    return f"{max(MEMORY_FLOOR_MB, min(MEMORY_CAP_MB, mb))}MB"


def _count_from_env(name: str) -> int | None:
    """A count of threads from the environment (at least 1), or None when unset or not a number."""
    wanted = os.environ.get(name, "").strip()
    return max(1, int(wanted)) if wanted.isdigit() else None


def duckdb_threads() -> int:
    """``JIXIAO_DUCKDB_THREADS``, else one per core this process may use."""
    return _count_from_env("JIXIAO_DUCKDB_THREADS") or machine_cores()


def writer_threads(parse_workers: int) -> int:
    """DuckDB threads for the loading process while ``parse_workers`` processes parse beside it:
    ``JIXIAO_DUCKDB_THREADS`` when set, else the cores the workers leave free (at least one). The workers
    keep every core busy, so more DuckDB threads in the writer only contend with them: 500 reports on two
    cores, the writer's CPU 12.9 → 8.3 s with one thread instead of two (RESULTS.md, 2026-12-03)."""
    return _count_from_env("JIXIAO_DUCKDB_THREADS") or max(1, machine_cores() - parse_workers)


def limit_writer_threads(con, parse_workers: int) -> None:
    """Apply ``writer_threads`` to the loading process's open connection."""
    _set_threads(con, writer_threads(parse_workers))


# the write-ahead log a load lets grow before DuckDB checkpoints it into the file. DuckDB's default (16 MB)
# is about one batch of 64 real-size reports, so every commit also checkpointed: 1,000 reports, 16 commits,
# 6.2 s in COMMIT at 16 MB against 2.0 s at 128 MB (the process's peak 365 → 439 MB; RESULTS.md, 2026-12-04,
# evening). A kill loses nothing either way: a committed batch is in the log, replayed at the next open.
LOAD_CHECKPOINT_THRESHOLD = "128MB"


def limit_writer_checkpoints(con) -> None:
    """Checkpoint the loading process's warehouse every LOAD_CHECKPOINT_THRESHOLD of log, not every batch."""
    con.execute(f"SET checkpoint_threshold = '{LOAD_CHECKPOINT_THRESHOLD}'")  # a constant, never free text


# the cyclic garbage collector's thresholds in a parse worker (Python's default is 700, 10, 10). A parse
# allocates hundreds of thousands of containers per document and frees nearly all of them by reference
# count (the reader's objects hold no cycles), but at 700 allocations the young generation was collected
# ~2,000 times per 400 synthetic reports, each pass walking the document's live statements and hits: a
# fifth of a worker's time (38.5 against 30.8 ms per report, same process, same peak memory of 196 MB).
# Collections still run, 70 times less often; the older generations keep their default ratios.
PARSE_GC_THRESHOLDS = (50_000, 10, 10)


def collect_garbage_less_often() -> None:
    """Set PARSE_GC_THRESHOLDS for this process (a parse worker: the setting is process-wide)."""
    import gc

    gc.set_threshold(*PARSE_GC_THRESHOLDS)


def dbt_threads() -> int:
    """``JIXIAO_DBT_THREADS``, else DBT_THREADS."""
    return _count_from_env("JIXIAO_DBT_THREADS") or DBT_THREADS


def duckdb_config() -> dict[str, str | int]:
    """The settings for ``duckdb.connect(..., config=...)``."""
    return {"memory_limit": duckdb_memory_limit(), "threads": duckdb_threads()}


def limit_resources(con) -> None:
    """Apply the settings to an open DuckDB connection. SET rather than connect(config=…): a second
    connection of this process to the same file opened without that config would otherwise be refused."""
    config = duckdb_config()
    con.execute(f"SET memory_limit = '{config['memory_limit']}'")  # a validated size (SIZE), not free text
    _set_threads(con, config["threads"])


def _set_threads(con, threads: int) -> None:
    con.execute(f"SET threads = {int(threads)}")  # an int, never free text


def export_for_dbt(env: dict[str, str]) -> dict[str, str]:
    """The same settings as environment variables for profiles.yml (dbt's connection is dbt-duckdb's)."""
    config = duckdb_config()
    return dict(env, JIXIAO_DUCKDB_MEMORY_LIMIT=str(config["memory_limit"]),
                JIXIAO_DUCKDB_THREADS=str(config["threads"]), JIXIAO_DBT_THREADS=str(dbt_threads()))
