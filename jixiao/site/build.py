"""``jixiao site``: one static, offline site over the whole warehouse.

Pages (all links relative, so the folder can be moved, zipped or opened from disk):
- ``index.html``: units × report years, documents, facts, unmapped figures and findings per unit,
  load errors, the last load and build;
- ``findings.html``: every dq_checks flag, filterable and sorted by the size of the difference;
- ``units/<unit_id>.html``: the unit's report page (jixiao.report) with the site's links;
- ``documents/<document_id>.html``: the normalised text with line numbers, and the original file
  under ``documents/originals/``;
- ``exports/``: findings and each unit's facts as .xlsx and .csv.

The warehouse is read in one read-only session first; the pages are written after it is closed.
The site is written beside the old one and then put in its place, so a failed run leaves the old one.
"""

from __future__ import annotations

import html
import os
import shutil
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional

from jinja2 import Environment, PackageLoader, select_autoescape

from ..paths import fact_marts
from ..query import Result, export, format_value
from ..report import build_figures, finding_sources, finding_values, read_unit_on, render_html
from .links import SiteLinks
from .warehouse import Warehouse, facts_by_unit, read_warehouse

STATIC = Path(__file__).with_name("static")


@dataclass
class SiteSummary:
    out: Path
    pages: int
    units: int
    documents: int
    findings: int
    seconds: float
    phases: dict  # seconds per step: read, pages (home, findings, documents), units (charts, pages, exports), …


def environment() -> Environment:
    env = Environment(loader=PackageLoader("jixiao.site", "templates"), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["num"] = format_value
    env.filters["when"] = lambda t: t.strftime("%Y-%m-%d %H:%M:%S") if t else ""
    return env


def write_site(out: Path, db: Optional[str] = None) -> SiteSummary:
    """Write the site into out (replacing what is there) and return what was written."""
    from ..query import connect

    clock = _Clock()
    con = connect(db)
    try:
        wh = read_warehouse(con)
        units = [read_unit_on(con, u) for u in wh.units]
        facts = facts_by_unit(con, fact_marts())
    finally:
        con.close()
    clock.lap("read")
    out = Path(out).resolve()
    work = out.with_name(out.name + ".writing")
    shutil.rmtree(work, ignore_errors=True)
    (work / "units").mkdir(parents=True)
    (work / "documents" / "originals").mkdir(parents=True)
    shutil.copytree(STATIC, work / "static")
    pages = _write_pages(work, wh, units, facts, clock)
    _replace(work, out)
    clock.lap("replace")
    return SiteSummary(out, pages, len(wh.units), len(wh.documents), len(wh.findings), clock.total(), clock.laps)


class _Clock:
    def __init__(self):
        self.started = self.last = time.perf_counter()
        self.laps: dict[str, float] = {}

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = round(now - self.last, 3)
        self.last = now

    def total(self) -> float:
        return time.perf_counter() - self.started


def _write_pages(work: Path, wh: Warehouse, units: list, facts: dict, clock: _Clock) -> int:
    env = environment()
    links = SiteLinks(wh.lines, wh.mentions, wh.cells, prefix="")
    common = {"generated_at": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")}
    unit_names = {u["unit_id"]: u["unit_name"] for u in wh.units}
    write = lambda path, template, **kw: (work / path).write_text(env.get_template(template).render(**common, **kw),
                                                                  encoding="utf-8")
    flagged = [d for d in wh.documents if d.get("load_status") not in (None, "loaded")]
    write("index.html", "index.html", root="", units=wh.units, years=wh.years, documents=wh.documents,
          load_errors=wh.load_errors, flagged_documents=flagged, last_load=wh.last_load, last_build=wh.last_build,
          n_findings=len(wh.findings))
    write("findings.html", "findings.html", root="", **_findings_context(wh, links, unit_names))
    write("documents/index.html", "documents_index.html", root="../", documents=wh.documents, unit_names=unit_names)
    clock.lap("home and findings")
    by_document = defaultdict(list)
    for (document_id, n), text in wh.lines.items():
        by_document[document_id].append((n, text))
    for doc in wh.documents:
        write(f"documents/{doc['document_id']}.html", "document.html", root="../", doc=doc,
              unit_name=unit_names.get(doc["unit_id"], doc["unit_id"]), original=_original(work, doc),
              lines=sorted(by_document.get(doc["document_id"], [])))
    clock.lap("documents")
    nav = env.get_template("nav.html").render(root="../")
    no_facts = (["mart", "unit_id"], [])
    _write_units(UnitWriter(work, links.at("../"), nav, wh.labels_zh), [(d, facts.get(d.unit_id, no_facts)) for d in units])
    clock.lap("units")
    _write_findings_export(work, wh)
    clock.lap("findings export")
    return 3 + len(wh.documents) + len(units)


def _findings_context(wh: Warehouse, links: SiteLinks, unit_names: dict) -> dict:
    names = {d["document_id"]: d["file_name"] for d in wh.documents}
    findings = []
    for f in wh.findings:
        diff = abs(float(f["difference"] or 0))
        scale = max(abs(float(f["expected_value"] or 0)), abs(float(f["observed_value"] or 0)))
        values = finding_values(f)
        sources = []
        for document_id, line in finding_sources(f):
            n = int(line) if line and str(line).isdigit() else None
            n = links.figure_line(document_id, n, values) if n is not None else None
            text = wh.lines.get((document_id, n), "") if n is not None else ""
            sources.append({"href": links.source(document_id, n, values), "file_name": names.get(document_id, document_id),
                            "line": n or "", "html": _marked(text, links.marks(document_id, n, values) if n else [])})
        findings.append(dict(f, abs_difference=diff, rel_difference=diff / scale if scale else 0.0, sources=sources,
                             item_labels=", ".join(f"{c} {wh.labels_zh.get(c, '')}".strip() for c in (f["item_codes"] or []))))
    findings.sort(key=lambda f: -f["abs_difference"])
    with_findings = sorted({f["unit_id"] for f in findings}, key=lambda u: unit_names.get(u, u))
    return {"findings": findings, "families": sorted({f["check_code"] for f in findings}),
            "finding_years": sorted({f["fiscal_year"] for f in findings if f["fiscal_year"]}),
            "units_with_findings": [{"unit_id": u, "unit_name": unit_names.get(u, u)} for u in with_findings]}


def _marked(text: str, marks: list[tuple[int, int]]):
    """The line as HTML with the cited figures in <mark> (for the findings' source sentences)."""
    from markupsafe import Markup

    parts, at = [], 0
    for a, b in sorted(marks):
        if a >= at:
            parts += [html.escape(text[at:a]), f'<mark class="fig">{html.escape(text[a:b])}</mark>']
            at = b
    return Markup("".join(parts) + html.escape(text[at:]))


def _original(work: Path, doc: dict) -> Optional[str]:
    """Put the original file in the site (a hard link where the file system allows, else a copy), so
    its link is relative and survives moving the site; None when it is no longer where it was loaded from."""
    source = Path(doc.get("file_path") or "")
    if not source.is_file():
        return None
    target = work / "documents" / "originals" / doc["document_id"] / source.name
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
    return f"originals/{doc['document_id']}/{source.name}"


@dataclass
class UnitWriter:
    """Writes one unit's page, its chart PNGs and its facts' exports (the costly part: matplotlib)."""
    work: Path
    links: SiteLinks
    nav: str
    labels_zh: dict

    def __call__(self, job: tuple) -> str:
        data, (columns, rows) = job
        folder = self.work / "units" / data.unit_id
        folder.mkdir(parents=True, exist_ok=True)
        figures = build_figures(data)
        png_names = {}
        for f in figures:
            if f.png:
                (folder / f"{f.key}.png").write_bytes(f.png)
                png_names[f.key] = f"{data.unit_id}/{f.key}.png"
        exports = (f"<p class='meta exports'>Export this unit's facts 导出本单位全部事实: "
                   f"<a id='export-xlsx' href='../exports/units/{data.unit_id}.xlsx'>xlsx</a> · "
                   f"<a id='export-csv' href='../exports/units/{data.unit_id}.csv'>csv</a></p>")
        head = '<link rel="stylesheet" href="../static/site.css"><script src="../static/site.js" defer></script>'
        page = render_html(data, figures, png_names, links=self.links, head=head, nav=self.nav + exports, embed_png=False)
        (self.work / "units" / f"{data.unit_id}.html").write_text(page, encoding="utf-8")
        base = self.work / "exports" / "units" / data.unit_id
        export(Result(columns, rows, self.labels_zh), csv=base.with_suffix(".csv"), xlsx=base.with_suffix(".xlsx"),
               sheet="facts 事实")
        return data.unit_id


_writer: Optional[UnitWriter] = None


def _set_writer(writer: UnitWriter) -> None:
    global _writer
    _writer = writer


def _call_writer(job: tuple) -> str:
    return _writer(job)


def _write_units(writer: UnitWriter, jobs: list[tuple]) -> None:
    """One process per core: drawing the charts is most of the site's time. The writer (with every
    document's lines for the links) goes to each worker once, not with every unit."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from loaders.resources import machine_cores

    workers = min(machine_cores(), len(jobs) // 4)
    if workers < 2:
        for job in jobs:
            writer(job)
        return
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                             initializer=_set_writer, initargs=(writer,)) as pool:
        list(pool.map(_call_writer, jobs, chunksize=4))


def _write_findings_export(work: Path, wh: Warehouse) -> None:
    columns = list(wh.findings[0].keys()) if wh.findings else ["check_id"]
    findings = Result(columns, [tuple(f[c] for c in columns) for f in wh.findings], wh.labels_zh)
    export(findings, csv=work / "exports" / "findings.csv", xlsx=work / "exports" / "findings.xlsx", sheet="findings 发现")


def _replace(work: Path, out: Path) -> None:
    old = out.with_name(out.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if out.exists():
        out.rename(old)
    work.rename(out)
    shutil.rmtree(old, ignore_errors=True)
