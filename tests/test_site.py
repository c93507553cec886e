"""`jixiao site`: one offline site over the warehouse (issue 14).

The link mechanics are tested on invented lines; the site itself on the bundled reports (written by
the CLI, every link resolved on disk, then clicked through in Chromium); the dev corpus, where it is
present beside the repository, must render every page without a browser error.
"""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import openpyxl
import pytest

from conftest import PROJECT_DIR, cli_env, run_cli, served
from jixiao import browser
from jixiao.report import finding_sources, finding_values
from jixiao.site.links import SiteLinks

DEV_CORPUS = PROJECT_DIR.parent / "shared" / "dev_corpus" / "docs"
HONGJIANG = "洪江区社会保险服务中心"


def _has_playwright() -> bool:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return True


needs_browser = pytest.mark.skipif(browser.chromium() is None or not _has_playwright(),
                                   reason="chromium or playwright missing (make chromium; pip install -e '.[test]')")


# ------------------------------------------------------------------------------ links, on invented lines

def _links(lines, mentions, cells=()):
    return SiteLinks(lines, mentions, cells, prefix="")


def test_a_narrative_figure_is_marked_by_its_offsets():
    lines = {("d", 3): "支出合计120.5万元，其中基本支出80万元。"}
    links = _links(lines, [("d", 3, 4, "120.5", 120.5, "narrative", None, None),
                           ("d", 3, 17, "80", 80.0, "narrative", None, None)])
    assert links.source("d", 3, 80) == "documents/d.html?m=17-19#L3"
    assert links.at("../").source("d", 3, 120.5) == "../documents/d.html?m=4-9#L3"


def test_a_figure_printed_in_yuan_is_found_from_its_wan_yuan_value():
    lines = {("d", 1): "拨款1205000元"}
    links = _links(lines, [("d", 1, 2, "1205000", 1205000.0, "narrative", None, None)])
    assert links.marks("d", 1, 120.5) == [(2, 9)]


def test_a_table_figure_is_its_nth_occurrence_in_the_row():
    lines = {("d", 5): "办公费 | 8.61 | 8.61 | 100%"}
    links = _links(lines, [("d", 5, 0, "8.61", 8.61, "table", 1, 2), ("d", 5, 0, "8.61", 8.61, "table", 1, 2)])
    assert links.marks("d", 5, 8.61) == [(6, 10), (13, 17)]


def test_a_row_flattened_one_cell_per_line_links_to_the_figures_line():
    # a Word table written as text: the fact cites its row's first line, the figure is two lines on
    lines = {("d", 10): "", ("d", 11): "年度资金总额:", ("d", 12): "351.25"}
    cells = [("d", 10, 2, 3), ("d", 11, 2, 3), ("d", 12, 2, 3)]
    links = _links(lines, [("d", 12, 0, "351.25", 351.25, "table", 2, 3)], cells)
    assert links.source("d", 10, 351.25) == "documents/d.html?m=0-6#L12"


def test_a_line_without_the_figure_is_linked_whole():
    links = _links({("d", 2): "无数字"}, [])
    assert links.source("d", 2, 5) == "documents/d.html#L2"
    assert links.source("d", None) == "documents/d.html"


def test_a_finding_marks_its_figures_not_its_years_or_line_numbers():
    finding = {"expected_value": 106.13, "observed_value": 149.27,
               "message": "采用 106.13万元（table 第130行），另处印 149.27（narrative 第21行）（2023年） kept 106.13 (table line 130)"}
    assert set(finding_values(finding)) == {106.13, 149.27}
    assert finding_sources({"source_lines": ["a:1", "a:1", "b:2"]}) == [("a", "1"), ("b", "2")]


# ------------------------------------------------------------------------------ the site of the bundled reports

@pytest.fixture(scope="session")
def site(built_warehouse, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    result = run_cli(["site", "--out", str(out)], cli_env(built_warehouse, built_warehouse.parent))
    assert (out / "index.html").exists(), result.stdout
    return out


class _Refs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.refs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("href", "src"):
            if attrs.get(name):
                self.refs.append(attrs[name])
        if attrs.get("id"):
            self.ids.add(attrs["id"])


def _parse(page: Path) -> _Refs:
    parser = _Refs()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def test_every_link_is_relative_and_leads_to_a_file_and_line_that_exist(site):
    pages = sorted(site.rglob("*.html"))
    ids = {p.resolve(): _parse(p).ids for p in pages}
    broken, checked_lines = [], 0
    for page in pages:
        for ref in _parse(page).refs:
            parts = urlsplit(ref)
            if parts.scheme == "data":
                continue
            assert not parts.scheme and not ref.startswith("/"), f"{page.name}: {ref} is not relative"
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page.resolve()
            if not target.exists():
                broken.append(f"{page.relative_to(site)} → {ref}")
            elif parts.fragment.startswith("L"):
                checked_lines += 1
                if parts.fragment not in ids.get(target, set()):
                    broken.append(f"{page.relative_to(site)} → {ref} (no such line)")
    assert not broken, broken[:10]
    assert checked_lines > 100  # the figures of the unit pages and the findings link to lines


def test_home_lists_units_years_documents_and_the_last_load_and_build(site):
    home = (site / "index.html").read_text(encoding="utf-8")
    assert HONGJIANG in home and "last load 最近加载" in home and "last build 最近构建" in home
    assert "none recorded" not in home  # jixiao build recorded itself in build_state.builds
    assert re.search(r"<th class=\"num\">2023</th>", home)
    assert "No file failed to load" in home


def test_findings_page_shows_the_hongjiang_project_spending_conflict_with_both_lines(site):
    page = (site / "findings.html").read_text(encoding="utf-8")
    sections = re.findall(r"<section class=\"finding\".*?</section>", page, flags=re.S)
    conflict = [s for s in sections if HONGJIANG in s and "conflicting_values" in s and "149.27" in s and "106.13" in s]
    assert len(conflict) == 1
    marked = re.findall(r"<mark class=\"fig\">([^<]+)</mark>", conflict[0])
    assert "149.27" in marked and "106.13" in marked


def test_exports_open_and_hold_the_findings_and_a_units_facts(site):
    book = openpyxl.load_workbook(site / "exports" / "findings.xlsx", read_only=True)
    rows = list(book.active.values)
    assert len(rows) > 5 and "check_code" in rows[0]
    assert (site / "exports" / "findings.csv").read_text(encoding="utf-8-sig").startswith("check_id")
    units = list((site / "exports" / "units").glob("*.csv"))
    assert units and all(p.with_suffix(".xlsx").exists() for p in units)
    text = "".join(p.read_text(encoding="utf-8-sig") for p in units)
    assert "fct_expenditure" in text and "149.27" in text


def test_the_site_is_rewritten_whole(site, built_warehouse):
    stale = site / "documents" / "doc_gone.html"
    stale.write_text("old", encoding="utf-8")
    run_cli(["site", "--out", str(site)], cli_env(built_warehouse, built_warehouse.parent))
    assert not stale.exists() and (site / "index.html").exists()


def test_jixiao_run_ends_by_writing_the_site_beside_the_warehouse(tmp_path):
    # what `make run` does on a fresh clone, on a warehouse of its own
    from conftest import REPORTS

    run_cli(["run", str(REPORTS)], cli_env(tmp_path / "warehouse.duckdb", tmp_path))
    home = tmp_path / "site" / "index.html"
    assert home.exists() and HONGJIANG in home.read_text(encoding="utf-8")
    assert len(list((tmp_path / "site" / "documents").glob("doc_*.html"))) == len(list(REPORTS.glob("*.*")))


def test_home_lists_a_file_that_failed_to_load_with_its_reason(tmp_path):
    from conftest import REPORTS

    reports = tmp_path / "reports"
    reports.mkdir()
    shutil.copy(sorted(REPORTS.glob("*.txt"))[0], reports)
    (reports / "broken.docx").write_bytes(b"PK\x03\x04 not really a Word file")
    env = cli_env(tmp_path / "w.duckdb", tmp_path)
    run_cli(["load", str(reports)], env, check=False)  # exit 1: one file could not be read
    run_cli(["build"], env)
    run_cli(["site", "--out", str(tmp_path / "site")], env)
    home = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    errors = re.search(r'<table class="errors">.*?</table>', home, flags=re.S)
    assert errors and "broken.docx" in errors.group(0) and "No file failed to load" not in home


def test_a_warehouse_without_marts_gets_a_clear_message(tmp_path):
    import duckdb

    from loaders import store

    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    store.ensure_schema(con)
    con.close()
    result = run_cli(["site", "--out", str(tmp_path / "site")], cli_env(tmp_path / "w.duckdb", tmp_path), check=False)
    assert result.returncode == 1 and "jixiao build" in result.stdout and "Traceback" not in result.stderr
    assert not (tmp_path / "site").exists()


def test_site_serve_on_localhost(site, built_warehouse):
    with served(["site", "--out", str(site)], cli_env(built_warehouse, built_warehouse.parent)) as get:
        assert HONGJIANG.encode() in get("/findings.html", wait=60)  # the site is written first


# ------------------------------------------------------------------------------ in a browser

def _highlighted(pg) -> tuple[str, list[str]]:
    pg.wait_for_selector(".line.hl")
    line = pg.locator(".line.hl")
    return line.get_attribute("id"), line.locator("mark.fig").all_inner_texts()


@needs_browser
def test_click_home_unit_figure_to_its_highlighted_line(site):
    with browser.page() as pg:
        pg.goto((site / "index.html").as_uri())
        pg.click(f"a.unit:text-is('{HONGJIANG}')")
        assert pg.locator("#unit-name").inner_text() == HONGJIANG
        link = pg.locator("table.figures a", has_text=":").first
        figure = link.locator("xpath=ancestor::tr").locator("td.num").first.inner_text()
        link.click()
        line, marks = _highlighted(pg)
        assert "/documents/" in pg.url and pg.url.endswith("#" + line)
        assert marks and float(marks[0].replace(",", "")) == float(figure.replace(",", ""))
        assert pg.locator(f"#{line}").is_visible()
        assert not pg.problems, pg.problems


@needs_browser
def test_click_home_findings_to_both_source_lines_of_the_conflict(site):
    with browser.page() as pg:
        pg.goto((site / "index.html").as_uri())
        pg.click("#nav-findings")
        pg.select_option("#f-family", "conflicting_values")
        finding = pg.locator("section.finding:visible", has_text=HONGJIANG).filter(has_text="149.27").filter(has_text="106.13")
        assert finding.count() == 1
        hrefs = finding.locator("a.source").evaluate_all("links => links.map(a => a.href)")
        seen = set()
        for href in hrefs:
            pg.goto(href)
            seen.update(_highlighted(pg)[1])
        assert {"149.27", "106.13"} <= seen
        assert not pg.problems, pg.problems


@needs_browser
def test_findings_filter_by_unit_and_size(site):
    with browser.page() as pg:
        pg.goto((site / "findings.html").as_uri())
        total = pg.locator("section.finding").count()
        pg.fill("#f-min", "1000000000")
        assert pg.locator("section.finding:visible").count() < total
        pg.fill("#f-min", "")
        diffs = [float(x) for x in pg.locator("section.finding:visible").evaluate_all("s => s.map(e => e.dataset.abs)")]
        assert diffs == sorted(diffs, reverse=True)


def _every_page_renders(site: Path) -> list[str]:
    problems = []
    with browser.page() as pg:
        for page in sorted(site.rglob("*.html")):
            pg.problems.clear()
            pg.goto(page.as_uri())
            problems += [f"{page.relative_to(site)}: {p}" for p in pg.problems]
    return problems


@needs_browser
def test_every_page_of_the_bundled_site_renders_without_a_browser_error(site):
    assert _every_page_renders(site) == []


@needs_browser
@pytest.mark.skipif(not DEV_CORPUS.is_dir(), reason=f"the dev corpus is not beside the repository ({DEV_CORPUS})")
def test_every_page_of_the_dev_corpus_site_renders_without_a_browser_error(tmp_path):
    env = cli_env(tmp_path / "dev.duckdb", tmp_path)
    run_cli(["load", str(DEV_CORPUS)], env)
    run_cli(["build"], env)
    result = run_cli(["site", "--out", str(tmp_path / "site")], env)
    print(result.stdout)  # the pages and seconds (benchmarks/site.py prints the timing figures)
    assert len(list((tmp_path / "site" / "documents").glob("doc_*.html"))) >= 50
    assert _every_page_renders(tmp_path / "site") == []
