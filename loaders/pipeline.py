"""Load files into ``raw``: discover, parse (pure function of the bytes), write per document.

``parse_document`` has no side effects, so a cluster can map it over files; ``load_paths`` is
the single-machine driver used by ``jixiao load``.
"""

from __future__ import annotations

import hashlib
import operator
import os
import signal
import sys
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable

import duckdb

from . import store
from . import vocabulary as vocab
from .identify import identify
from .messages import message
from .normalize import normalize_lines
from .reader import project_from_title, read_statements
from .reader.statement import ROW_FIELDS
from .readers import UnreadableDocument, limit_for, read_document, supported_suffixes
from .resources import collect_garbage_less_often, limit_writer_checkpoints, limit_writer_threads
from .segment import segment

def _parser_version() -> str:
    """A fingerprint of the extraction code and vocabulary: when either changes, documents are parsed again."""
    digest = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for path in sorted(here.rglob("*.py")) + sorted((here.parent / "seeds").glob("*.csv")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


PARSER_VERSION = _parser_version()
MENTION_DEFAULTS = dict.fromkeys(store.columns_of("mentions"))
# raw.mentions' columns a statement fills, in DDL order, read from each statement by one C-level getter
_MENTION_FIELDS = [col for col in MENTION_DEFAULTS if col in ROW_FIELDS]
_MENTION_GETTER = operator.attrgetter(*_MENTION_FIELDS)
MAX_FILE_BYTES = 200 * 1024 * 1024  # absolute ceiling; each format has its own lower limit (readers.limit_for)
# Every performance report names itself 绩效 (绩效自评, 绩效评价, 绩效目标); a document without the word
# is loaded (its lines stay searchable) but marked, and none of its numbers become mentions or facts.
# The genre is wider than 绩效自评报告: 决算/预算说明 and fund disclosures carry the same figures, so
# a document is set aside only when it speaks of none of these things.
# The words are vocab list report_marker; the reason is message not_a_report.
NOT_A_REPORT = message("not_a_report")


@dataclass
class ParsedDocument:
    document: dict
    children: dict[str, list[dict]]
    n_mentions: int


@dataclass
class LoadSummary:
    load_id: str
    n_files: int = 0
    loaded: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    n_mentions: int = 0
    flagged: list[tuple[str, str]] = field(default_factory=list)  # loaded but marked (status != 'loaded')
    interrupted_before: int = 0  # earlier loads found still 'running' (killed): marked 'interrupted'

    @property
    def nothing_loaded(self) -> bool:
        """No input could be loaded: every file failed or was skipped, or there was none."""
        return not self.loaded and not self.unchanged


def document_id_for(sha256: str) -> str:
    """Stable id from content: the same bytes under another name are the same document."""
    return "doc_" + sha256[:16]


def parse_document(path: Path, data: bytes, load_id: str, columnar: bool = False) -> ParsedDocument:
    """One file's rows of every raw table. ``columnar``: the many-row tables (lines, mentions) as typed
    Arrow tables built column by column, as the loader writes them; else every table as a list of row
    dicts (the same values: ``tests/test_loading_batches.py`` compares the two)."""
    sha = hashlib.sha256(data).hexdigest()
    document_id = document_id_for(sha)
    read = read_document(path, data)
    lines, simplified = normalize_lines(read.lines)
    seg = segment(lines)
    ident = identify(lines)
    ex = read_statements(lines, seg, ident)
    status, reason = report_status(lines)
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    document = dict(
        document_id=document_id, load_id=load_id, file_name=path.name, file_path=str(path), sha256=sha,
        format=read.format, encoding=read.encoding, size_bytes=len(data), n_lines=len(lines),
        traditional_converted=simplified, unit_name=ident.unit_name, unit_name_source=ident.unit_name_source,
        unit_name_candidates=ident.name_candidates, report_year=ident.report_year,
        report_year_source=ident.report_year_source, title=ident.title, parent_department=ident.parent_department,
        document_kind=ident.document_kind, evaluated_project=project_from_title(lines),
        parser_version=PARSER_VERSION, loaded_at=now, status=status, status_reason=reason,
    )
    base = dict(document_id=document_id, load_id=load_id)
    by_column = {"lines": _line_columns(base, read.lines, lines, seg), "mentions": _mention_columns(base, ex.mentions)}
    children = {table: store.from_columns(table, columns) if columnar else store.rows_of_columns(columns)
                for table, columns in by_column.items()}
    children.update({
        "sections": [dict(base, section_id=s.section_id, level=s.level, heading=s.heading, start_line=s.start_line,
                          end_line=s.end_line, section_path=s.path) for s in seg.sections],
        "tables": [dict(base, **t) for t in ex.tables],
        "table_cells": [dict(base, **c) for c in ex.cells],
    })
    if status != "loaded":
        # keep the text (raw keeps what was read) but no tables, cells or mentions: no facts
        for table in ("tables", "table_cells", "mentions"):
            children[table] = []
        return ParsedDocument(document, children, 0)
    return ParsedDocument(document, children, len(ex.mentions))


def _line_columns(base: dict, original: list[str], lines: list[str], seg) -> dict[str, list]:
    """raw.lines column by column: the reader's lists are its columns already."""
    n = len(original)
    return dict({k: [v] * n for k, v in base.items()}, line_no=list(range(1, n + 1)), original_text=original,
                text=lines, line_kind=seg.line_kinds, section_path=seg.line_section, table_id=seg.line_table)


def _mention_columns(base: dict, mentions: list) -> dict[str, list]:
    """raw.mentions column by column from the statements (no dict per mention: each statement's fields
    read at once, then transposed); a column neither the document nor a statement fills is null."""
    n = len(mentions)
    by_field = dict(zip(_MENTION_FIELDS, map(list, zip(*map(_MENTION_GETTER, mentions))))) if n else {}
    return {col: [base[col]] * n if col in base else by_field[col] if col in by_field else [None] * n
            for col in MENTION_DEFAULTS}


def report_status(lines: list[str]) -> tuple[str, str | None]:
    """('loaded', None) for a performance report, ('not_report', reason) for anything else."""
    markers = vocab.words("report_marker")
    if any(marker in line for line in lines for marker in markers):
        return "loaded", None
    return "not_report", NOT_A_REPORT


def sha256_of_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def discover(paths: Iterable[str | Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """Files under the given paths (folders recursively), never leaving them: a symbolic link whose
    target lies outside every folder named (a link to /etc/passwd, to /etc) is skipped with its reason,
    a link inside them is followed once (a loop back up is skipped too). A file named directly is read
    as named, a link included: the user chose it."""
    files: list[Path] = []
    problems: list[tuple[str, str]] = []
    given = [Path(raw) for raw in paths]
    roots = [os.path.realpath(p) for p in given if p.is_dir()]
    seen_dirs: set[tuple[int, int]] = set()
    for p in given:
        if not p.exists():
            problems.append((str(p), message("path_missing")))
        elif p.is_file():
            files.append(p)
        else:
            _walk(p, roots, seen_dirs, files, problems)
    return files, problems


def _walk(folder: Path, roots: list[str], seen_dirs: set, files: list[Path], problems: list) -> None:
    """Depth-first, names sorted, links checked against the roots before they are followed."""
    st = os.stat(folder)
    if (st.st_dev, st.st_ino) in seen_dirs:
        problems.append((str(folder), message("symlink_loop")))
        return
    seen_dirs.add((st.st_dev, st.st_ino))
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        problems.append((str(folder), message("folder_unreadable", detail=exc.strerror or exc)))
        return
    subfolders = []
    for entry in entries:
        path = Path(entry.path)
        if entry.is_symlink():
            target = os.path.realpath(entry.path)
            if not _inside(target, roots):
                problems.append((str(path), message("symlink_outside", target=target)))
                continue
        if _is_folder(entry):  # follows a link (inside the roots, checked above)
            subfolders.append(path)
        else:
            files.append(path)  # a broken or looping link too: reading it gives its error row
    for sub in subfolders:
        _walk(sub, roots, seen_dirs, files, problems)


def _is_folder(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:  # a link to itself: "too many levels of symbolic links"
        return False


def _inside(target: str, roots: list[str]) -> bool:
    return any(target == root or target.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


PARALLEL_MIN_FILES = 64  # below this a pool costs more to start than it saves
# documents per transaction in a large load: the commit and per-statement costs (a few ms each) are
# paid once per batch; a kill loses at most one batch's parsing (≈ 2 s on two cores), never its rows
BATCH_DOCUMENTS = 64
BATCH_ROWS = 500_000  # rows of all raw tables held for one batch: bounds the memory of a batch of huge files


def parse_workers(n_jobs: int) -> int:
    """How many processes parse at once: $JIXIAO_WORKERS, else one per core for a batch of at least
    PARALLEL_MIN_FILES files; 1 parses in this process (small loads stay in one process, so killing a
    load never leaves worker processes behind)."""
    raw = os.environ.get("JIXIAO_WORKERS", "")
    try:
        wanted = int(raw) if raw.strip() else ((os.cpu_count() or 1) if n_jobs >= PARALLEL_MIN_FILES else 1)
    except ValueError:
        wanted = (os.cpu_count() or 1) if n_jobs >= PARALLEL_MIN_FILES else 1
    if not _main_module_is_safe():
        return 1
    return max(1, min(wanted, n_jobs))


def _main_module_is_safe() -> bool:
    """Whether pool workers may re-import the main module (forkserver and spawn do, as __mp_main__).

    A script that calls ``load_paths`` at top level without an ``if __name__ == "__main__":`` guard
    would run again inside every worker (and there wait for the warehouse lock); a script read from
    stdin cannot be re-imported at all. Such callers parse in one process."""
    main = sys.modules.get("__main__")
    main_file = getattr(main, "__file__", None)
    if not main_file:
        return True  # python -c, an interactive session: nothing is re-imported
    try:
        source = Path(main_file).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False  # e.g. '<stdin>'
    return "__name__" in source and "__main__" in source


def _start_worker(loader_pid: int) -> None:
    """Parse-pool worker initialiser: the collector tuned for parsing, and an exit with the loader."""
    collect_garbage_less_often()
    _watch_parent(loader_pid)


def _watch_parent(loader_pid: int) -> None:
    """Exit this worker as soon as the loading process is gone (killed, SIGKILL included).

    A pool worker holds both ends of its task pipe, so it never sees end-of-file when the loader
    dies; without this it would wait forever, holding the loader's stdout and stderr open."""
    import threading
    import time

    def alive() -> bool:
        try:  # a killed loader stays a zombie until its parent reaps it: that is dead too
            with open(f"/proc/{loader_pid}/stat", "rb") as fh:
                return fh.read().rsplit(b")", 1)[1].split()[0] not in (b"Z", b"X")
        except FileNotFoundError:
            return False
        except OSError:
            pass
        try:
            os.kill(loader_pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            pass
        return True

    def watch() -> None:
        while alive():
            time.sleep(0.2)
        os._exit(0)

    threading.Thread(target=watch, name="watch-loader", daemon=True).start()


FILE_SECONDS_DEFAULT = 600.0  # per-file time budget; a real report parses in well under a minute


class ParseTimeout(Exception):
    """Parsing one file took longer than its time budget (recorded in raw.load_errors, kind 'timeout')."""


def file_time_budget() -> float | None:
    """Seconds one file may take to parse: $JIXIAO_FILE_SECONDS, else FILE_SECONDS_DEFAULT; 0 = no limit."""
    raw = os.environ.get("JIXIAO_FILE_SECONDS", "").strip()
    try:
        seconds = float(raw) if raw else FILE_SECONDS_DEFAULT
    except ValueError:
        seconds = FILE_SECONDS_DEFAULT
    return seconds if seconds > 0 else None


ALARM_REPEAT_SECONDS = 0.5  # after the budget, how often the alarm is raised again until one is seen


@contextmanager
def _time_budget(seconds: float | None):
    """Raise ParseTimeout in this thread once ``seconds`` have passed (SIGALRM: the main thread of a
    process only — a pool worker's tasks and the CLI both run there; elsewhere there is no budget).
    Python code and the regular-expression engine see the signal promptly; a long call into a C
    library sees it when it returns (the pool has a hard backstop for that, _Parser.result)."""
    import threading

    if not seconds or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_alarm(_signum, _frame):
        raise ParseTimeout(message("parse_timeout", seconds=seconds))

    previous = signal.signal(signal.SIGALRM, on_alarm)
    previous_hook = sys.unraisablehook
    sys.unraisablehook = _drop_unraisable_timeouts(previous_hook)
    # the alarm repeats: Python drops an exception raised while a gc callback or a __del__ runs (it
    # reports it as "unraisable"), and a one-shot alarm that landed there would never stop the parse
    signal.setitimer(signal.ITIMER_REAL, seconds, ALARM_REPEAT_SECONDS)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        sys.unraisablehook = previous_hook


def _drop_unraisable_timeouts(previous_hook):
    """An unraisablehook that drops our own ParseTimeout and passes anything else on. A timeout that
    landed in a __del__ or gc callback is not lost (the alarm repeats), and the previous hook must not
    see it: that hook can be slow Python (pytest's imports tracemalloc) and a repeated alarm landing
    inside it breaks the hook itself (CI: "Failed to process unraisable exception")."""

    def hook(unraisable) -> None:
        if not isinstance(unraisable.exc_value, ParseTimeout):
            previous_hook(unraisable)

    return hook


def parse_within_budget(path: Path, data: bytes, load_id: str, seconds: float | None) -> ParsedDocument:
    """The loader's parse: columnar (as the writer inserts it), within the file's time budget."""
    with _time_budget(seconds):
        return parse_document(path, data, load_id, columnar=True)


def _parse_job(path: Path, data: bytes, load_id: str, seconds: float | None) -> ParsedDocument:
    """A pool worker's parse: the rows leave the worker as typed Arrow columns (built here, on the
    worker's core, instead of in the writer; they also pickle faster than lists of dicts)."""
    parsed = parse_within_budget(path, data, load_id, seconds)
    parsed.children = store.as_columns_all(parsed.children)  # the few-row tables too
    return parsed


class _Parser:
    """Runs ``parse_document`` ahead of the writer: in a pool of processes (the function is pure, so
    the result is the same wherever it runs), at most ``window`` documents in flight, results taken
    in file order. With one worker it parses in this process when asked, as before."""

    def __init__(self, workers: int, seconds: float | None = None):
        self.pool = None
        self.seconds = seconds
        if workers > 1:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            # forkserver: workers do not inherit this process's open DuckDB connection or its threads
            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload(["loaders.pipeline"])
            self.pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_start_worker,
                                            initargs=(os.getpid(),))
        self.window = 4 * workers

    def submit(self, path: Path, data: bytes, load_id: str):
        args = (path, data, load_id)
        if self.pool is None:
            return args, None
        try:
            return args, self.pool.submit(_parse_job, *args, self.seconds)
        except Exception as exc:
            self._give_up(exc)
            return args, None

    def result(self, job) -> ParsedDocument:
        from concurrent.futures import TimeoutError as FutureTimeout

        args, future = job
        if future is not None and self.pool is not None:
            try:
                return future.result(timeout=self._backstop())
            except FutureTimeout:
                # the worker ignored its alarm (stuck inside a C library): stop the pool, parse the rest here
                self._kill_workers()
                raise ParseTimeout(message("parse_timeout", seconds=self.seconds)) from None
            except Exception as exc:
                if not _pool_broken(exc):
                    raise  # the document's own error, raised in the worker: the same as in this process
                self._give_up(exc)
        return parse_within_budget(*args, self.seconds)

    def _backstop(self) -> float | None:
        """How long to wait for a worker's result: its own alarm fires after the budget, so waiting
        twice that (plus the time queued behind the other workers' files) means the worker is stuck."""
        return None if not self.seconds else 2 * self.seconds + 30

    def _kill_workers(self) -> None:
        pool = self.pool
        for process in list((getattr(pool, "_processes", None) or {}).values()):
            try:
                process.kill()
            except (OSError, AttributeError):
                pass
        self._give_up(ParseTimeout("a worker ignored its time budget"))

    def _give_up(self, exc: BaseException) -> None:
        """The pool cannot run (a worker died, or could not start): parse the rest here, one by one."""
        import warnings

        warnings.warn(f"parallel parsing stopped ({type(exc).__name__}: {exc}); parsing in one process", RuntimeWarning)
        pool, self.pool = self.pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)


def load_paths(db_path: str, paths: Iterable[str | Path], force: bool = False,
               progress: Callable[[Path], None] | None = None, workers: int | None = None) -> LoadSummary:
    """Load files into raw: parse in parallel (``workers`` processes, default $JIXIAO_WORKERS or one
    per core), write in this process, whole documents batched per transaction (``batch_size``), in
    file order.

    The outcome is the same as parsing one file after another: every file is judged (skipped,
    unchanged, loaded, error) when its turn comes, after all earlier files were written, so a copy
    of a document loaded earlier in the same run is still "unchanged" (its parse, done ahead, is
    thrown away)."""
    files, problems = discover(paths)
    load_id = "load_" + datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S") + "_" + uuid.uuid4().hex[:6]
    summary = LoadSummary(load_id, n_files=len(files))
    suffixes = supported_suffixes()
    with store.connect(db_path) as con:
        store.ensure_schema(con)
        limit_writer_checkpoints(con)
        summary.interrupted_before = store.start_load(con, load_id, len(files), PARSER_VERSION)
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        for where, reason in problems:
            store.record_error(con, dict(load_id=load_id, file_path=where, file_name=Path(where).name, sha256=None,
                                         error_kind="path", reason=reason, recorded_at=now))
            summary.errors.append((where, reason))
        n_workers = workers if workers is not None else parse_workers(len(files))
        parser = _Parser(n_workers, file_time_budget())
        if parser.pool is not None:
            limit_writer_threads(con, n_workers)  # the workers hold the cores
        try:
            _load_files(con, files, load_id, force, progress, summary, suffixes, parser)
            store.finish_load(con, load_id, len(summary.loaded), len(summary.unchanged), len(summary.errors))
        except duckdb.Error as exc:
            if not (store.warehouse_failed(exc) or isinstance(exc, duckdb.IOException)):
                raise
            # the warehouse itself failed (a full disk, a read-only file system …): say so in one line
            reason = store.unusable_reason(exc, db_path) or message("warehouse_io_error", path=db_path,
                                                                    detail=" ".join(str(exc).split()))
            raise store.WarehouseUnusable(reason) from exc
        finally:
            parser.close()
    return summary


def _prepare(known: dict[str, str], path: Path, force: bool, suffixes) -> tuple[str, object]:
    """What to do with one file: ('skip', None), ('unchanged', None), ('parse', bytes) or ('error', (kind, reason))."""
    if (path.suffix.lower() not in suffixes and path.name.startswith(".")) or path.name.startswith("~$"):
        return "skip", None  # hidden files such as .DS_Store and Office lock files (~$report.docx) are not documents
    try:
        try:
            size = path.stat().st_size
            if not path.is_file():
                raise UnreadableDocument(message("not_regular_file"))
        except OSError as exc:
            raise UnreadableDocument(f"{message('unreadable_file')}: {exc.strerror or exc}") from exc
        limit = min(limit_for(path), MAX_FILE_BYTES)
        if size > limit:
            raise UnreadableDocument(message("file_too_large", size_mb=size / 2**20, limit_mb=limit // 2**20,
                                             kind=path.suffix.lower() or "this type"))
        data = path.read_bytes()
        if _unchanged(known, data, force):
            return "unchanged", None
        return "parse", data
    except UnreadableDocument as exc:
        return "error", ("unreadable", str(exc))
    except Exception as exc:  # a bug or a surprise in one file must not stop the batch
        return "error", ("parse_error", f"{type(exc).__name__}: {exc}")


def _unchanged(known: dict[str, str], data: bytes, force: bool) -> bool:
    """These bytes are in the warehouse, read by this parser version (``known``: store.known_documents,
    kept up to date as each batch commits)."""
    return not force and known.get(document_id_for(hashlib.sha256(data).hexdigest())) == PARSER_VERSION


def batch_size(n_files: int) -> int:
    """How many whole documents one transaction writes: $JIXIAO_BATCH_DOCUMENTS, else BATCH_DOCUMENTS
    for a load of at least PARALLEL_MIN_FILES files and 1 for a smaller one (a handful of documents
    gains nothing measurable from batching, and one per transaction loses the least when killed)."""
    raw = os.environ.get("JIXIAO_BATCH_DOCUMENTS", "")
    try:
        wanted = int(raw) if raw.strip() else (BATCH_DOCUMENTS if n_files >= PARALLEL_MIN_FILES else 1)
    except ValueError:
        wanted = BATCH_DOCUMENTS if n_files >= PARALLEL_MIN_FILES else 1
    return max(1, wanted)


class _Batch:
    """Parsed documents waiting for their transaction: written together when ``size`` are waiting (or
    BATCH_ROWS rows, which bounds the memory held), and whenever the next file could depend on them.

    Until the batch commits none of its documents is in ``raw.documents``: a load killed meanwhile
    leaves none of them visible, and the next load parses them again (they are not "unchanged")."""

    def __init__(self, con, summary: LoadSummary, load_id: str, size: int, known: dict[str, str]):
        self.con, self.summary, self.load_id, self.size, self.known = con, summary, load_id, size, known
        self.items: list[tuple[Path, ParsedDocument]] = []
        self.ids: set[str] = set()
        self.rows = 0

    def holds(self, data: bytes) -> bool:
        """Whether a document with these bytes waits in the batch (a copy met again in the same run)."""
        return bool(self.ids) and document_id_for(hashlib.sha256(data).hexdigest()) in self.ids

    def add(self, path: Path, parsed: ParsedDocument) -> None:
        self.items.append((path, parsed))
        self.ids.add(parsed.document["document_id"])
        self.rows += sum(store.n_rows(part) for part in parsed.children.values())
        if len(self.items) >= self.size or self.rows >= BATCH_ROWS:
            self.flush()

    def flush(self) -> None:
        items, self.items, self.ids, self.rows = self.items, [], set(), 0
        if len(items) > 1:
            try:
                store.write_documents(self.con, [(parsed.document, parsed.children) for _, parsed in items])
            except Exception as exc:
                if _warehouse_failed(exc):
                    raise
                self._one_by_one(items)  # one document's rows were refused: find it, write the others
                return
            for path, parsed in items:
                self._loaded(path, parsed)
        else:
            self._one_by_one(items)

    def _one_by_one(self, items: list[tuple[Path, ParsedDocument]]) -> None:
        for path, parsed in items:
            try:
                store.write_document(self.con, parsed.document, parsed.children)
            except Exception as exc:
                if _warehouse_failed(exc):
                    raise  # the warehouse itself failed (a full disk …): no later file can be written either
                _record(self.con, self.summary, self.load_id, path, "parse_error", f"{type(exc).__name__}: {exc}")
                continue
            self._loaded(path, parsed)

    def _loaded(self, path: Path, parsed: ParsedDocument) -> None:
        """Called once the document's transaction committed (never before: a copy met later is
        judged unchanged only when these rows are really in the warehouse)."""
        self.known[parsed.document["document_id"]] = parsed.document["parser_version"]
        self.summary.loaded.append(str(path))
        self.summary.n_mentions += parsed.n_mentions
        if parsed.document["status"] != "loaded":
            self.summary.flagged.append((str(path), parsed.document["status_reason"]))


def _load_files(con, files: list[Path], load_id: str, force: bool, progress, summary: LoadSummary, suffixes,
                parser: _Parser) -> None:
    from collections import deque

    known = store.known_documents(con)
    batch = _Batch(con, summary, load_id, batch_size(len(files)), known)
    pending: deque = deque()  # (path, action, payload, job) in file order
    it = iter(files)
    exhausted = False
    while True:
        while not exhausted and len(pending) < parser.window:
            path = next(it, None)
            if path is None:
                exhausted = True
                break
            action, payload = _prepare(known, path, force, suffixes)
            job = parser.submit(path, payload, load_id) if action == "parse" else None
            pending.append((path, action, payload, job))
        if not pending:
            break
        path, action, payload, job = pending.popleft()
        if progress:
            progress(path)
        if action == "skip":
            continue
        if action == "error":
            _record(con, summary, load_id, path, *payload)
            continue
        if action == "parse" and batch.holds(payload):
            batch.flush()  # the same bytes wait in the batch: judge this copy as if they were written
        # judged now, after every earlier file was written: a copy loaded earlier in this run is unchanged
        if action == "unchanged" or _unchanged(known, payload, force):
            summary.unchanged.append(str(path))
            continue
        try:
            batch.add(path, parser.result(job))
        except UnreadableDocument as exc:
            _record(con, summary, load_id, path, "unreadable", str(exc))
        except ParseTimeout as exc:
            _record(con, summary, load_id, path, "timeout", str(exc))
        except duckdb.Error as exc:
            if store.warehouse_failed(exc) or isinstance(exc, duckdb.IOException):
                raise  # the warehouse itself failed (a full disk …): no later file can be written either
            _record(con, summary, load_id, path, "parse_error", f"{type(exc).__name__}: {exc}")
        except Exception as exc:  # a bug or a surprise in one file must not stop the batch
            _record(con, summary, load_id, path, "parse_error", f"{type(exc).__name__}: {exc}")
    batch.flush()


def _warehouse_failed(exc: BaseException) -> bool:
    """The warehouse itself failed (a full disk, a read-only file system …), not one document's rows."""
    return isinstance(exc, duckdb.Error) and (store.warehouse_failed(exc) or isinstance(exc, duckdb.IOException))


def _pool_broken(exc: BaseException) -> bool:
    from concurrent.futures.process import BrokenProcessPool

    return isinstance(exc, BrokenProcessPool)


def _record(con, summary: LoadSummary, load_id: str, path: Path, kind: str, reason: str) -> None:
    sha = None
    try:
        sha = sha256_of_file(path)
    except OSError:
        pass
    store.record_error(con, dict(load_id=load_id, file_path=str(path), file_name=path.name, sha256=sha,
                                 error_kind=kind, reason=reason,
                                 recorded_at=datetime.now(timezone.utc).replace(tzinfo=None)))
    summary.errors.append((str(path), reason))
