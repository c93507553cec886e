"""Great Expectations suites over the marts (``jixiao check``; issue 3).

Two kinds of suite, run on pandas DataFrames read from the warehouse opened READ-ONLY (GX Core 1.x
has no DuckDB engine, and its SQL path over duckdb-engine failed on the row-count metric — STYLE.md):

* **integrity** (one suite per mart): keys not null and unique, codes in the glossary, amounts in
  range, years plausible. A failure here is an error of ours: ``jixiao check`` exits non-zero.
* **consistency** (marts.dq_checks): one expectation per check family, "every check passes"; each
  flag of the reports surfaces as a failed expectation whose unexpected rows are the flags
  (by check_id). These are findings about the reports — results, not errors.

The rows are validated in chunks of whole units (``check_chunk_rows``), so the check's memory follows
the chunk and not the warehouse; a key that repeats across chunks is caught by ``whole_mart_keys`` (SQL).

Each warehouse gets a GX file context of its own, ``expectations/uncommitted/contexts/<name>-<hash of
its path>/`` (ignored by git), made from the committed ``expectations/great_expectations.yml`` and
``plugins/`` the first time: two checks of two warehouses never share stores or Data Docs, and a
check never rewrites a tracked file (GX writes its data sources into the config it runs from).
``JIXIAO_GX_DIR`` names another directory. The suites are defined in ``jixiao.suites`` and written to the
context on every run. ``jixiao check --incremental`` runs the same suites as SQL (``jixiao.sql_checks``)
instead, unless ``--engine gx`` is asked for: GX's fixed cost of some ten seconds would be nearly all of
the time on the rows of a few units. Data Docs are post-processed to load their CSS/JS from ``static/vendor`` so
they render offline.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from loaders.messages import message

from . import sql_checks
from .paths import PROJECT_DIR
from .suites import MARTS, Finding, glossary_rows, suites

GX_DIR = PROJECT_DIR / "expectations"
VENDOR = GX_DIR / "static" / "vendor"
# mart rows per GX validation. N = 10,000 (1.8 million rows), one run: all at once 2,933 MB in 82 s;
# chunks of 250,000 rows 1,877 MB in 96 s; 100,000 rows 1,055 MB in 142 s; 60,000 rows 875 MB in 169 s.
# Each chunk pays GX's fixed cost per suite, so this is the largest chunk under the 1.5 GB target.
CHECK_CHUNK_ROWS = 100_000


@dataclass
class CheckReport:
    findings: list[Finding]
    flags: pd.DataFrame
    docs_index: Path | None
    units: list[str] | None = None   # the units checked, when not all of them (``--incremental``)
    engine: str = "gx"               # which engine ran the suites (ENGINES)

    @property
    def integrity_failed(self) -> list[Finding]:
        return [f for f in self.findings if f.kind == "integrity" and not f.success]

    @property
    def consistency_failed(self) -> list[Finding]:
        return [f for f in self.findings if f.kind == "consistency" and not f.success]


def gx_root(db_path: str | None = None) -> Path:
    """The GX file context: JIXIAO_GX_DIR, else the warehouse's own directory under
    expectations/uncommitted/contexts/ (named after the file and a hash of its absolute path)."""
    if os.environ.get("JIXIAO_GX_DIR"):
        return Path(os.environ["JIXIAO_GX_DIR"])
    from .paths import warehouse_path

    db = Path(db_path or warehouse_path()).expanduser().resolve()
    key = hashlib.sha256(str(db).encode("utf-8")).hexdigest()[:8]
    return GX_DIR / "uncommitted" / "contexts" / f"{db.name.split('.')[0]}-{key}"


def _read_frames(con, units: list[str] | None, unitless: bool = False) -> dict[str, pd.DataFrame]:
    """The marts' rows of ``units`` (every row when None); with ``unitless``, the rows without a unit_id too,
    so that a chunked check still sees them (and fails their not-null expectation)."""
    frames = {}
    for table in MARTS:
        where, params = ("", []) if units is None else ("where unit_id in (select unnest(?))", [units])
        if units is not None and unitless:
            where += " or unit_id is null"
        frames[table] = con.execute(f"select {_columns_as_text_lists(con, table)} from marts.{table} {where}", params).df()
    return frames


def _columns_as_text_lists(con, table: str) -> str:
    """The mart's columns, each list (item_codes, document_ids …) joined into text by DuckDB for GX and
    Data Docs ('a, b'): converting them value by value in pandas was a sixth of a full check's time."""
    columns = con.execute("select column_name, data_type from information_schema.columns "
                          "where table_schema = 'marts' and table_name = ? order by ordinal_position", [table]).fetchall()

    def as_text(name: str) -> str:  # DuckDB gives NULL for an empty list: '' keeps it apart from a NULL list
        quoted = f'"{name}"'
        return f"coalesce(array_to_string({quoted}, ', '), case when {quoted} is not null then '' end) as {quoted}"

    return ", ".join(as_text(name) if kind.endswith("[]") else f'"{name}"' for name, kind in columns)


def check_chunk_rows() -> int:
    """Mart rows validated at once (``JIXIAO_CHECK_CHUNK_ROWS``): GX holds a chunk as pandas frames, several
    copies of each during a suite, so the check's memory follows the chunk, not the warehouse."""
    wanted = os.environ.get("JIXIAO_CHECK_CHUNK_ROWS", "")
    return int(wanted) if wanted.isdigit() and int(wanted) > 0 else CHECK_CHUNK_ROWS


def unit_chunks(con, units: list[str] | None, max_rows: int) -> list[list[str] | None]:
    """The units to check, in groups of whole units holding at most ``max_rows`` mart rows each (a unit
    larger than that is a group of its own). One group of None means every row at once: the marts fit."""
    counts = " union all ".join(f"select unit_id, count(*) as n from marts.{t} group by unit_id" for t in MARTS)
    rows = con.execute(f"select unit_id, sum(n) from ({counts}) where unit_id is not null group by unit_id order by unit_id"
                       ).fetchall()
    if units is not None:
        wanted = set(units)
        rows = [r for r in rows if r[0] in wanted]
    elif sum(n for _, n in rows) <= max_rows:
        return [None]
    chunks: list[list[str]] = [[]]
    filled = 0
    for unit, n in rows:
        if chunks[-1] and filled + n > max_rows:
            chunks.append([])
            filled = 0
        chunks[-1].append(unit)
        filled += n
    return chunks


def whole_mart_keys(con) -> list[Finding]:
    """Each mart's key unique over the WHOLE mart, in SQL: an incremental check validates the rebuilt
    units' rows with GX, and a key shared with another unit's row would not show among them."""
    findings = []
    for table, spec in MARTS.items():
        key = ", ".join(spec["key"])
        (duplicates,) = con.execute(f"select count(*) - count(distinct ({key})) from marts.{table}").fetchone()
        findings.append(Finding(f"integrity__{table}", "integrity", f"key_unique_over_whole_mart({key})",
                                duplicates == 0, int(duplicates), key))
    return findings


def build_suites(glossary: list[tuple[str, str]]) -> list[tuple[str, str, str, list]]:
    """(suite name, kind, table, GX expectations) for every suite of ``jixiao.suites``."""
    from great_expectations.expectations.registry import get_expectation_impl

    return [(suite.name, suite.kind, suite.table, [get_expectation_impl(e.type)(**e.gx_kwargs()) for e in suite.expectations])
            for suite in suites(glossary)]


def _context(root: Path):
    """The file context at ``root``, seeded from the committed config (GX then edits the copy)."""
    import great_expectations as gx

    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

    root.mkdir(parents=True, exist_ok=True)
    if not (root / "great_expectations.yml").exists():
        shutil.copy2(GX_DIR / "great_expectations.yml", root / "great_expectations.yml")
        if (GX_DIR / "plugins").is_dir():
            shutil.copytree(GX_DIR / "plugins", root / "plugins", dirs_exist_ok=True)
    return gx.get_context(mode="file", context_root_dir=str(root))


ENGINES = ("gx", "sql")


def run_checks(db_path: str, docs: bool = True, incremental: bool = False, engine: str | None = None) -> CheckReport:
    """Run every suite on the marts of the warehouse at db_path. With ``incremental``, after an incremental
    build: the suites on the rows of the units it rebuilt, and every key over the whole marts (the other
    units' rows passed the checks after their build). ``engine`` gx (Great Expectations, with Data Docs
    when ``docs``) or sql (the same suites in DuckDB, no Data Docs); by default gx for a full check and sql
    for an incremental one, whose rows are few and where GX's fixed cost would be nearly all of the time."""
    from loaders import store

    from .incremental import last_rebuilt_units

    engine = engine or ("sql" if incremental else "gx")
    if engine not in ENGINES:
        raise ValueError(message("check_engine_unknown", engine=engine, engines=", ".join(ENGINES)))
    root = gx_root(db_path)
    ctx = _context(root) if engine == "gx" else None  # GX imported before the warehouse is opened
    with store.connect(db_path, read_only=True) as con:
        units = last_rebuilt_units(con) if incremental else None
        if ctx is None:
            return _sql_report(con, units)
        report, rendered = _gx_report(con, ctx, units)
    if docs:  # once, after every suite ran and the warehouse is closed (a checkpoint's docs action rebuilds the site each time)
        ctx.build_data_docs(resource_identifiers=rendered)
        report.docs_index = _offline_docs(root)
    return report


def _sql_report(con, units: list[str] | None) -> CheckReport:
    """Every suite as SQL over the rows of ``units`` (every row when None), a query or two per expectation."""
    findings = [f for suite in suites(glossary_rows(con)) for f in sql_checks.run_suite(con, suite, units)]
    if units is not None:
        findings += whole_mart_keys(con)
    rows, params = sql_checks.scope("dq_checks", units)
    flags = con.execute(f"select * from {rows} where status = 'flag'", params).df()
    return CheckReport(findings, flags, None, units, engine="sql")


def _gx_report(con, ctx, units: list[str] | None) -> tuple[CheckReport, list]:
    """Every suite through the GX context's checkpoints, on the rows validated in chunks of whole units
    (``check_chunk_rows``); when there is more than one chunk, or only some units, each key is also
    checked over the whole mart in SQL. Returns the report and what Data Docs would render."""
    from great_expectations.data_context.types.resource_identifiers import ExpectationSuiteIdentifier

    checkpoints = _checkpoints(ctx, build_suites(glossary_rows(con)))
    chunks = unit_chunks(con, units, check_chunk_rows())
    rendered: list = [ExpectationSuiteIdentifier(name=name) for name, _, _, _ in checkpoints]
    tally: dict[tuple[str, str], Finding] = {}
    flags = []
    for i, chunk in enumerate(chunks):
        frames = _read_frames(con, chunk, unitless=i == 0 and units is None)
        for name, kind, table, checkpoint in checkpoints:
            result = checkpoint.run(batch_parameters={"dataframe": frames[table]})
            rendered += list(result.run_results)
            for finding in _findings(result, name, kind, table):
                _add(tally, finding)
        flags.append(frames["dq_checks"].query("status == 'flag'"))
        del frames
    findings = list(tally.values())
    if units is not None or len(chunks) > 1:
        findings += whole_mart_keys(con)
    return CheckReport(findings, pd.concat(flags, ignore_index=True), None, units), rendered


def _checkpoints(ctx, suites: list) -> list[tuple[str, str, str, object]]:
    """(suite name, kind, table, GX checkpoint) for every suite, each written to the context."""
    import great_expectations as gx

    source = ctx.data_sources.add_or_update_pandas("marts")
    out = []
    for name, kind, table, items in suites:
        suite = ctx.suites.add_or_update(gx.ExpectationSuite(name=name, expectations=items,
                                                             meta={"kind": kind, "table": f"marts.{table}"}))
        try:
            asset = source.get_asset(table)
        except LookupError:
            asset = source.add_dataframe_asset(table)
        try:
            batch_def = asset.get_batch_definition("whole")
        except (KeyError, LookupError, ValueError):
            batch_def = asset.add_batch_definition_whole_dataframe("whole")
        vd = ctx.validation_definitions.add_or_update(gx.ValidationDefinition(name=name, data=batch_def, suite=suite))
        out.append((name, kind, table, ctx.checkpoints.add_or_update(gx.Checkpoint(
            name=name, validation_definitions=[vd], actions=[],
            result_format={"result_format": "COMPLETE", "unexpected_index_column_names": ["check_id"]}
            if table == "dq_checks" else {"result_format": "SUMMARY"}))))
    return out


def _findings(result, name: str, kind: str, table: str) -> list[Finding]:
    """One Finding per expectation of a checkpoint's result (the flagged check_ids for dq_checks)."""
    findings = []
    for run in result.run_results.values():
        for r in run.results:
            cfg = r.expectation_config
            res = r.result or {}
            rows = []
            if table == "dq_checks" and not r.success:
                rows = [row.get("check_id") if isinstance(row, dict) else row
                        for row in res.get("unexpected_index_list") or []]
            column = cfg.kwargs.get("column") or ",".join(cfg.kwargs.get("column_list", []))
            detail = (cfg.meta or {}).get("check_code") or column
            findings.append(Finding(name, kind, f"{cfg.type}({detail})", bool(r.success),
                                    int(res.get("unexpected_count") or 0), detail, rows))
    return findings


def _add(tally: dict[tuple[str, str], Finding], finding: Finding) -> None:
    """Fold one chunk's finding into the expectation's: it passes only if it passed on every chunk."""
    seen = tally.setdefault((finding.suite, finding.expectation), finding)
    if seen is not finding:
        seen.success = seen.success and finding.success
        seen.unexpected_count += finding.unexpected_count
        seen.rows = seen.rows + finding.rows


_CDN = re.compile(r'<(link|script)\b[^>]*?(?:href|src)="(https?://[^"]+)"[^>]*>(?:\s*</script>)?', re.I)
_LOCAL = {"bootstrap.min.css": "bootstrap.min.css", "bootstrap.min.js": "bootstrap.bundle.min.js",
          "jquery": "jquery.min.js"}


def _offline_docs(root: Path) -> Path | None:
    """Point Data Docs at the vendored CSS/JS and drop every other external asset."""
    site = root / "uncommitted" / "data_docs" / "local_site"
    if not site.exists():
        return None
    target = site / "static" / "vendor"
    target.mkdir(parents=True, exist_ok=True)
    for f in VENDOR.glob("*.*"):
        shutil.copy2(f, target / f.name)
    for page in site.rglob("*.html"):
        depth = len(page.relative_to(site).parts) - 1
        prefix = "../" * depth + "static/vendor/"
        text = page.read_text(encoding="utf-8")

        def local(match: re.Match) -> str:
            tag, url = match.group(1).lower(), match.group(2)
            for needle, name in _LOCAL.items():
                if needle in url and not ("bootstrap-" in url.rsplit("/", 1)[-1]):
                    return (f'<link rel="stylesheet" href="{prefix}{name}">' if tag == "link"
                            else f'<script src="{prefix}{name}"></script>')
            return ""

        offline = re.sub(r'<img\b[^>]*src="https?://[^"]*"[^>]*>', "", _CDN.sub(local, text))
        if offline != text:  # pages of earlier runs were made offline then
            page.write_text(offline, encoding="utf-8")
    return site / "index.html"
