"""The ``jixiao`` command line: load reports, build the warehouse, check it, and more.

Each command is a thin wrapper: loading lives in ``loaders``, models in ``models/`` (dbt).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, List, NoReturn, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from loaders import store
from loaders.messages import message

from . import incremental as incremental_builds, marts_swap
from .dbt_runner import DbtFailed, DbtInterrupted, run_dbt
from .replay import ReplayFailed
from .paths import DEFAULT_REPORTS, fact_marts, site_path, warehouse_path

app = typer.Typer(help="jixiao 绩效 — performance-report warehouse (绩效自评报告数据仓库).", no_args_is_help=True,
                  add_completion=False)
console = Console()


def _load(paths: list[Path], force: bool):
    """Load with a progress bar and print the summary; returns the LoadSummary."""
    from loaders.pipeline import discover, load_paths  # the reader and Arrow: only a load needs them

    db = warehouse_path()
    files, _ = discover(paths)
    with Progress(TextColumn("[bold]loading 加载[/bold]"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TextColumn("{task.description}"), console=console, transient=False) as progress:
        task = progress.add_task("", total=len(files))

        def tick(path: Path) -> None:
            progress.update(task, advance=1, description=path.name[:40])

        summary = load_paths(db, paths, force=force, progress=tick)
    table = Table(title=f"load {summary.load_id} → {db}")
    table.add_column("what 项目")
    table.add_column("count 数量", justify="right")
    table.add_row("files found 发现文件", str(summary.n_files))
    table.add_row("documents loaded 已加载文档", str(len(summary.loaded)))
    table.add_row("unchanged (already loaded) 未变化", str(len(summary.unchanged)))
    table.add_row("number mentions 数字提及", str(summary.n_mentions))
    table.add_row("errors 错误", str(len(summary.errors)))
    table.add_row("loaded but flagged 已加载但有标记", str(len(getattr(summary, "flagged", []))))
    console.print(table)
    for where, reason in summary.errors:
        console.print(f"[red]error 错误[/red] {where}: {reason}")
    for where, reason in getattr(summary, "flagged", []):
        console.print(f"[yellow]flagged 标记[/yellow] {where}: {reason}")
    if summary.interrupted_before:
        console.print(f"[yellow]{summary.interrupted_before} earlier load(s) had not finished (killed or crashed) and are "
                      f"now marked 'interrupted' in raw.loads (此前有加载未正常结束，已标记为 interrupted)[/yellow]")
    if summary.nothing_loaded:
        console.print("[red]no input could be loaded (没有任何文件可以加载)[/red]")
    return summary


def _warehouse_or_exit(action):
    """Run ``action()``; a busy or unusable warehouse ends the command with its one-line reason (exit 2)."""
    try:
        return action()
    except (store.WarehouseBusy, store.WarehouseUnusable) as exc:
        console.print(f"[red]{exc}[/red]", soft_wrap=True)
        raise typer.Exit(2)


def _warehouse_summary() -> None:
    import duckdb

    db = warehouse_path()
    try:
        con = duckdb.connect(db, read_only=True)
    except duckdb.Error as exc:
        console.print(f"[yellow]no summary: {' '.join(str(exc).split())}[/yellow]")
        return
    try:
        row = con.execute("""
            select count(*), coalesce(sum(n_facts), 0), coalesce(sum(n_unmapped_mentions), 0)
            from marts.dim_document""").fetchone()
        errors = con.execute("select count(*) from raw.load_errors").fetchone()[0]
        facts = {t: con.execute(f"select count(*) from marts.{t}").fetchone()[0] for t in fact_marts()}
    except duckdb.Error as exc:
        console.print(f"[yellow]no summary: {exc}[/yellow]")
        return
    finally:
        con.close()
    table = Table(title=f"warehouse 数据仓库 {db}")
    table.add_column("what 项目")
    table.add_column("count 数量", justify="right")
    table.add_row("documents 文档", str(row[0]))
    table.add_row("fact statements 事实陈述", str(row[1]))
    table.add_row("unmapped mentions 未映射提及", str(row[2]))
    table.add_row("load errors 加载错误", str(errors))
    for name, n in facts.items():
        table.add_row(f"  marts.{name}", str(n))
    console.print(table)


@app.command()
def load(paths: List[Path] = typer.Argument(..., help="Report files or folders (文件或文件夹)."),
         force: bool = typer.Option(False, help="Parse again even when the same bytes were loaded before.")) -> None:
    """Load report documents into the raw schema (加载报告到 raw 层); exit 1 when no input could be loaded."""
    summary = _warehouse_or_exit(lambda: _load(paths, force))
    if summary.nothing_loaded:
        raise typer.Exit(1)


@app.command()
def build(select: Optional[str] = typer.Option(None, help="dbt selection, e.g. marts.fct_expenditure+"),
          incremental: bool = typer.Option(False, "--incremental", help="Rebuild only the units whose documents "
                                           "changed since the last complete build (只重建文档有变化的单位); a full "
                                           "build when there is none or the models changed."),
          plan: bool = typer.Option(True, "--plan/--no-plan", help="After a full build, compile the incremental "
                                    "build's plan (编译增量构建计划) so that the first --incremental build replays at "
                                    "once; --no-plan for a warehouse that is never built incrementally.")) -> None:
    """Build the warehouse with dbt: seeds, models and their tests (构建数据仓库). The marts are built
    beside the live ones and replace them all at once when the build passes; a failed or killed build
    leaves the previous marts whole."""
    db = warehouse_path()
    if incremental and select:
        console.print(f"[red]{message('incremental_select')}[/red]")
        raise typer.Exit(2)
    mode = _warehouse_or_exit(lambda: _prepare_build(db, select, incremental))
    if mode == "incremental":
        _build_incremental(db)
    else:
        _build_with_dbt(db, mode, select)
        if plan and mode == "full":
            _compile_incremental_plan(db)
    _warehouse_summary()


def _build_with_dbt(db: str, mode: str, select: Optional[str]) -> None:
    """dbt build into the shadow schema, then the marts swapped in with the build's record."""
    args = ["build", "--vars", marts_swap.dbt_vars()] + (["--select", select] if select else [])
    try:
        run_dbt(args)
    except DbtFailed as exc:
        _build_failed(db, exc)

    def finish() -> None:
        with store.connect(db) as con:  # the build's record is committed with the marts (or, for --select, forgotten)
            swapped = marts_swap.swap_in(con, before_commit=lambda c: incremental_builds.record_build(c, mode))
            console.print(f"marts replaced at once 数据集市已整体替换: {len(swapped)} tables")

    _warehouse_or_exit(finish)


def _compile_incremental_plan(db: str) -> None:
    """The plan an incremental build replays, compiled now for the models just built (dbt compile, 15–30 s),
    while the user already waits for a full build, instead of in the first `build --incremental` (which
    adding a few reports should take seconds). A failure loses nothing: that build compiles it again."""
    try:
        incremental_builds.compiled_plan(db, say=console.print)
    except DbtFailed as exc:
        console.print(f"[yellow]{message('plan_not_compiled', reason=exc)}[/yellow]")
        if isinstance(exc, DbtInterrupted):  # asked to stop: stop with the signal's exit code, the marts stay built
            raise typer.Exit(_exit_code(exc))


def _build_incremental(db: str) -> None:
    """dbt's compiled plan replayed on the units in scope, then their rows merged into the live marts."""
    def replay_and_merge():
        with store.connect(db) as con:
            return incremental_builds.build_and_merge(con, plan)

    try:
        plan = incremental_builds.compiled_plan(db, say=console.print)
        n_units, tables, outcomes, seconds = _warehouse_or_exit(replay_and_merge)
    except (DbtFailed, ReplayFailed) as exc:
        _build_failed(db, exc)
    warnings = [o for o in outcomes if o.status == "warn"]
    for outcome in warnings:
        console.print(f"[yellow]WARN 警告[/yellow] {outcome.name}: {outcome.failures} row(s)")
    console.print(message("replay_done", n_models=len(plan[0]), n_tests=len(outcomes), seconds=seconds,
                          n_warn=len(warnings)))
    console.print(message("incremental_merged", n_units=n_units, n_tables=len(tables)))


def _build_failed(db: str, exc: Exception) -> NoReturn:
    console.print(f"[red]{exc}[/red]")
    _discard_shadow(db)
    console.print("[yellow]the previous marts are unchanged (数据集市保持上一次构建的结果)[/yellow]")
    raise typer.Exit(_exit_code(exc))


def _prepare_build(db: str, select: Optional[str], incremental: bool) -> str:
    """Make the shadow schema ready; returns the build's mode: full, partial (--select) or incremental
    (asked for, and the live marts come from a complete build of the same models)."""
    with store.connect(db) as con:  # waits for a running load; the raw schema exists even before the first load
        store.ensure_schema(con)
        incremental_builds.ensure_state(con)
        mode = "partial" if select else "full"
        if incremental:
            reason = incremental_builds.why_not_incremental(con)
            if reason:
                console.print(f"[yellow]{reason}[/yellow]")
            else:
                mode = "incremental"
        if mode == "incremental":
            incremental_builds.prepare(con)
        else:
            marts_swap.prepare(con, partial=mode == "partial")
    return mode


def _discard_shadow(db: str) -> None:
    try:
        with store.connect(db, wait_seconds=5) as con:
            incremental_builds.discard(con)  # the shadow marts, and an incremental build's work schemas
    except (store.WarehouseBusy, store.WarehouseUnusable):
        pass  # the next build drops it


def _exit_code(exc: Exception) -> int:
    import signal

    if isinstance(exc, DbtInterrupted):
        return 128 + exc.signum if exc.signum != signal.SIGINT else 130
    return 1


@app.command()
def docs(serve: Annotated[bool, typer.Option("--serve", help="Then serve target/ on localhost (在本机浏览文档).")] = False,
         port: Annotated[int, typer.Option(help="Port for --serve (端口).")] = 8080,
         generate: Annotated[bool, typer.Option(help="Generate first; --no-generate serves what is there.")] = True) -> None:
    """Generate the dbt docs site as one offline file, target/static_index.html (生成文档); --serve to browse it."""
    if generate:
        try:
            run_dbt(["docs", "generate", "--static"])
        except DbtFailed as exc:
            console.print(f"[red]{exc}[/red]")
            raise typer.Exit(1)
    if serve:
        from .docs_server import serve as serve_site, target_dir

        site = target_dir()
        if not (site / "index.html").exists() and not (site / "static_index.html").exists():
            console.print(f"[red]no docs site in {site}; run `jixiao docs` first (尚未生成文档)[/red]")
            raise typer.Exit(1)
        _serve(site, port, f"文档 (offline file: {site / 'static_index.html'})")


@app.command()
def check(docs_site: bool = typer.Option(True, "--docs/--no-docs", help="Write GX Data Docs (offline) too."),
          incremental: bool = typer.Option(False, "--incremental", help="After `build --incremental`: the suites on "
                                           "the units it rebuilt, keys over the whole marts (只校验增量构建重建的单位)."
                                           ),
          engine: Optional[str] = typer.Option(None, help="gx: Great Expectations, with Data Docs; sql: the same "
                                               "suites in DuckDB, no Data Docs (校验引擎). Default gx, and sql with "
                                               "--incremental.")) -> None:
    """Run the data-quality suites on the marts, read-only (数据质量校验); exit 1 only if an integrity expectation fails."""
    from .checks import ENGINES, run_checks

    if engine not in (None, *ENGINES):
        console.print(f"[red]{message('check_engine_unknown', engine=engine, engines=', '.join(ENGINES))}[/red]")
        raise typer.Exit(2)
    db = warehouse_path()
    with console.status("checking 校验中 …"):
        report = _warehouse_or_exit(lambda: run_checks(db, docs=docs_site, incremental=incremental, engine=engine))
    if incremental:
        console.print(message("check_incremental", n=len(report.units)) if report.units is not None
                      else message("check_incremental_all"))
    if report.engine == "sql" and docs_site:
        console.print(message("check_no_data_docs"))
    table = Table(title=f"data-quality findings 数据质量发现 ({len(report.flags)} flags 标记) — marts.dq_checks")
    for col in ("check 类别", "unit 单位", "year 年度", "observed 所印", "expected 应为", "± tolerance 容差", "message 说明"):
        table.add_column(col, overflow="fold")
    for row in report.flags.sort_values(["check_code", "unit_name", "fiscal_year"]).itertuples():
        table.add_row(row.check_code, str(row.unit_name or row.unit_id), str(row.fiscal_year), f"{row.observed_value:g}",
                      f"{row.expected_value:g}", f"{row.tolerance:g}", row.message)
    console.print(table)
    suites = Table(title="suites 校验套件")
    for col in ("suite 套件", "kind 类别", "expectations 期望", "failed 未通过", "failed rows 未通过行"):
        suites.add_column(col)
    by_suite: dict[str, list] = {}
    for f in report.findings:
        by_suite.setdefault(f.suite, []).append(f)
    for name, items in by_suite.items():
        failed = [f for f in items if not f.success]
        suites.add_row(name, items[0].kind, str(len(items)), str(len(failed)), str(sum(f.unexpected_count for f in failed)))
    console.print(suites)
    if report.docs_index:
        console.print(f"Data Docs 数据文档 (offline 离线): {report.docs_index}")
    for f in report.integrity_failed:
        console.print(f"[red]integrity failed 完整性校验失败[/red] {f.suite}: {f.expectation} ({f.unexpected_count} rows)")
    if report.integrity_failed:
        raise typer.Exit(1)
    console.print(f"[green]integrity ok 完整性通过[/green]; {len(report.flags)} finding(s) in the reports 报告中的不一致 "
                  f"(results, not errors 结果而非错误)")


@app.command()
def run(paths: List[Path] = typer.Argument(None, help="Report files or folders; default data/reports.")) -> None:
    """Everything: load, build, check, docs, the site (一键运行：加载、构建、校验、文档、网站)."""
    summary = _warehouse_or_exit(lambda: _load(paths or [DEFAULT_REPORTS], force=False))
    if summary.nothing_loaded:
        raise typer.Exit(1)
    # every parameter given: called as functions, typer's Option defaults would arrive as OptionInfo objects
    build(select=None, incremental=False, plan=True)
    check(docs_site=True, incremental=False, engine=None)
    docs()
    site()
    if summary.errors:
        console.print(f"[yellow]{len(summary.errors)} file(s) could not be loaded; see raw.load_errors (部分文件未能加载).[/yellow]")


@app.command("eval")
def eval_(corpus: Path = typer.Argument(Path("../shared/dev_corpus"), help="Folder with docs/ and expected.jsonl."),
          keep: Optional[Path] = typer.Option(None, help="Keep the throwaway warehouse in this folder."),
          misses: bool = typer.Option(False, help="List every fact that was missed, wrong or misplaced, with its quote."),
          per_document: bool = typer.Option(False, "--per-document", help="Also print the figures of each document.")) -> None:
    """Measure extraction on a corpus with hand-checked facts, by the scope-aware judging rule (评测抽取效果)."""
    from .evaluate import evaluate
    from .evaluate_report import print_evaluation

    print_evaluation(evaluate(corpus, keep), str(corpus), console, misses=misses, per_document=per_document)


def _print_result(result, title: str, csv: Optional[Path], xlsx: Optional[Path], limit: Optional[int],
                  hide: tuple[str, ...] = (), shown=None) -> None:
    from .query import export, rich_table

    out = console if console.is_terminal else Console(width=max(console.width, 200))
    out.print(rich_table(shown or result, title=title, max_rows=limit, hide=hide))
    for path in export(result, csv=csv, xlsx=xlsx):
        console.print(f"wrote 已导出 {path}")


@app.command()
def query(sql: Annotated[Optional[str], typer.Argument(help="SQL to run read-only, e.g. \"select * from marts.yoy_changes\".")] = None,
          file: Annotated[Optional[Path], typer.Option("--file", "-f", help="Run a .sql file, e.g. analyses/three_public_trend.sql.")] = None,
          unit: Annotated[Optional[str], typer.Option(help="Sets the SQL variable `unit` the analyses filter on (单位名称或其一部分).")] = None,
          csv: Annotated[Optional[Path], typer.Option("--csv", help="Also write the rows to this CSV file (UTF-8 with BOM).")] = None,
          xlsx: Annotated[Optional[Path], typer.Option("--xlsx", help="Also write the rows to this Excel file.")] = None,
          limit: Annotated[Optional[int], typer.Option(help="Print at most this many rows (exports get all).")] = 200) -> None:
    """Run SQL against the warehouse read-only and print a table, codes labelled in Chinese (查询)."""
    import duckdb

    from .query import run_sql

    if (sql is None) == (file is None):
        console.print("[red]give either SQL or --file (二选一)[/red]")
        raise typer.Exit(2)
    text = file.read_text(encoding="utf-8") if file else sql
    try:
        result = run_sql(text, unit=unit)
    except (duckdb.Error, ValueError, store.WarehouseUnusable) as exc:
        console.print(f"[red]query failed 查询失败: {exc}[/red]")
        raise typer.Exit(1)
    _print_result(result, str(file) if file else "", csv, xlsx, limit)


@app.command()
def yoy(unit: Annotated[str, typer.Argument(help="Unit name, part of it, or unit_id (单位).")],
        subject: Annotated[Optional[str], typer.Option(help="expenditure / income / enrollment / fund / staffing")] = None,
        with_prior: Annotated[bool, typer.Option("--with-prior", help="Only rows that have a prior-year value.")] = False,
        csv: Annotated[Optional[Path], typer.Option("--csv", help="Also write the rows to this CSV file.")] = None,
        xlsx: Annotated[Optional[Path], typer.Option("--xlsx", help="Also write the rows to this Excel file.")] = None) -> None:
    """Year-over-year changes of one unit with the reports' own claims checked (同比变动)."""
    import duckdb

    from .query import yoy as yoy_rows, yoy_display

    try:
        result = yoy_rows(unit, subject=subject, with_prior_only=with_prior)
    except (duckdb.Error, store.WarehouseUnusable) as exc:
        console.print(f"[red]query failed 查询失败: {exc}[/red]")
        raise typer.Exit(1)
    if not result.rows:
        console.print(f"[yellow]no year-over-year rows for {unit!r} (无同比数据)[/yellow]")
        raise typer.Exit(1)
    names = sorted({r[result.columns.index("unit_name")] for r in result.rows})
    _print_result(result, "同比变动 year over year — " + ", ".join(names), csv, xlsx, None, shown=yoy_display(result))


@app.command()
def site(out: Annotated[Optional[Path], typer.Option(help="Folder for the site (网站目录); default site/ beside the warehouse.")] = None,
         serve: Annotated[bool, typer.Option("--serve", help="Then serve it on localhost (在本机浏览).")] = False,
         port: Annotated[int, typer.Option(help="Port for --serve (端口).")] = 8090) -> None:
    """Write one static, offline site over the whole warehouse: units, findings, documents with every
    figure beside its source line, exports (生成整个数据仓库的离线网站); --serve to browse it."""
    from .site import write_site
    from .site.warehouse import NotBuilt

    with console.status("writing the site 生成网站中 …"):
        summary = _reading_warehouse(lambda: write_site(out or site_path()), NotBuilt)
    console.print(f"site 网站: {summary.out / 'index.html'} — {summary.pages} pages 页 ({summary.units} units 单位, "
                  f"{summary.documents} documents 文档, {summary.findings} findings 发现) in {summary.seconds:.1f} s")
    if serve:
        _serve(summary.out, port, "网站")


def _serve(directory: Path, port: int, what: str) -> None:
    """Serve a folder of static pages on localhost until Ctrl-C (jixiao docs --serve, jixiao site --serve)."""
    from .docs_server import serve as serve_folder

    console.print(f"serving {what}: http://127.0.0.1:{port}/index.html; Ctrl-C to stop")
    try:
        serve_folder(directory, port)
    except KeyboardInterrupt:
        pass


@app.command()
def report(unit: Annotated[str, typer.Argument(help="Unit name, part of it, or unit_id (单位).")],
           out: Annotated[Path, typer.Option(help="Folder for the page and its PNG charts.")] = Path("reports")) -> None:
    """Write one unit's HTML page with PNG charts and their sources (单位图表报告)."""
    from .report import UnitNotFound, write_report

    page = _reading_warehouse(lambda: write_report(unit, out), UnitNotFound)
    console.print(f"wrote 已生成 {page}")


def _reading_warehouse(action, refusal: type[Exception]):
    """Run a command that reads the marts; its own refusal (an unknown unit, no marts yet) or a warehouse
    that cannot be read is one red line and exit 1."""
    import duckdb

    try:
        return action()
    except refusal as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(1)
    except (duckdb.Error, store.WarehouseUnusable) as exc:
        console.print(f"[red]cannot read the warehouse 无法读取数据仓库: {exc}[/red]")
        raise typer.Exit(1)


@app.command()
def synth(n: Annotated[int, typer.Argument(help="How many reports to write (报告数).")],
          out: Annotated[Path, typer.Option(help="Folder to write the reports and manifest.jsonl into.")] = Path("synthetic"),
          seed: Annotated[int, typer.Option(help="Random seed: the same seed writes the same corpus.")] = 0,
          years: Annotated[int, typer.Option(help="Consecutive years each unit reports.")] = 5,
          rate: Annotated[float, typer.Option(help="Share of documents with one injected inconsistency (0–1).")] = 0.1,
          first: Annotated[int, typer.Option(help="Start at this report of the seed's stream: --first N adds new "
                                                   "reports to a corpus of N made with the same seed.")] = 0) -> None:
    """Write a synthetic corpus of reports with a manifest of injected inconsistencies (生成合成报告语料)."""
    from .synth import generate

    summary = generate(n, out, seed=seed, years=years, rate=rate, first=first)
    console.print(f"wrote 已生成 {summary['documents']} reports for {summary['units']} units into {summary['docs']}; "
                  f"{summary['injected']} injected inconsistencies in {out / 'manifest.jsonl'}")


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
