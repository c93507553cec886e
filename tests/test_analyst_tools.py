"""The analyst's side: ready analyses, query/yoy/report commands, the docs site in a real browser."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import duckdb
import pytest

from conftest import PROJECT_DIR, cli_env, run_cli, served
from jixiao import browser

PENSION = "湖南省城乡居民社会养老保险管理服务中心"
PROVINCE_SI = "湖南省社会保险服务中心"
ANALYSES = sorted((PROJECT_DIR / "analyses").glob("*.sql"))

needs_chromium = pytest.mark.skipif(browser.chromium() is None,
                                    reason="chromium not installed (make chromium, or apt-get install -y chromium)")


@pytest.fixture(scope="session")
def env(built_warehouse):
    return cli_env(built_warehouse, built_warehouse.parent)


@pytest.fixture(scope="session")
def docs_site(built_warehouse, env) -> Path:
    run_cli(["docs"], env)
    site = Path(env["DBT_TARGET_PATH"])
    assert (site / "static_index.html").exists()
    return site


@pytest.fixture(scope="session")
def pension_report(built_warehouse, env, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report")
    result = run_cli(["report", "城乡居民社会养老保险", "--out", str(out)], env)
    page = out / PENSION / "index.html"
    assert page.exists(), result.stdout
    return page


def _tables(con) -> set[str]:
    return {r[0] for r in con.execute("select table_name from information_schema.tables where table_schema = 'marts'").fetchall()}


# ------------------------------------------------------------------------------------------- analyses

def test_every_analysis_is_documented():
    documented = set(re.findall(r"- name: (\w+)", (PROJECT_DIR / "analyses" / "_analyses.yml").read_text(encoding="utf-8")))
    mine = {"budget_vs_execution", "three_public_trend", "spending_by_economic_class", "fund_by_scheme",
            "enrollment_by_scheme", "unit_findings"}
    assert mine <= {p.stem for p in ANALYSES} and mine <= documented


@pytest.mark.parametrize("path", ANALYSES, ids=[p.stem for p in ANALYSES])
def test_analysis_runs_as_written(built_warehouse, path):
    con = duckdb.connect(str(built_warehouse), read_only=True)
    try:
        sql = path.read_text(encoding="utf-8")
        if "marts.dq_checks" in sql and "dq_checks" not in _tables(con):
            pytest.skip("marts.dq_checks is not built yet")
        every = con.execute(sql).fetchall()
        if path.stem == "unit_findings":
            return  # may legitimately be empty
        assert every, f"{path.name} returned no rows"
        if "getvariable('unit')" in sql:
            con.execute("set variable unit = '城乡居民社会养老保险'")
            one = con.execute(sql).df()
            assert 0 < len(one) < len(every) and set(one["unit_name"]) == {PENSION}
    finally:
        con.close()


def test_three_public_trend_has_prior_year_columns(built_warehouse):
    con = duckdb.connect(str(built_warehouse), read_only=True)
    try:
        con.execute(f"set variable unit = '{PROVINCE_SI}'")
        df = con.execute((PROJECT_DIR / "analyses" / "three_public_trend.sql").read_text(encoding="utf-8")).df()
    finally:
        con.close()
    total = df[df.item_code == "three_public_total"].set_index("fiscal_year")
    assert float(total.loc[2022, "actual_wan_yuan"]) == 0.53 and float(total.loc[2023, "actual_wan_yuan"]) == 1.05
    assert total.loc[2023, "claim_check"] == "consistent" and float(total.loc[2023, "budget_initial_wan_yuan"]) == 3


# ------------------------------------------------------------------------------------ query / yoy CLI

def test_query_prints_chinese_labels_and_exports(env, tmp_path):
    out_csv, out_xlsx = tmp_path / "q.csv", tmp_path / "q.xlsx"
    result = run_cli(["query", "select fiscal_year, item_code, claim_check from marts.yoy_changes "
                      "where claim_check = 'inconsistent' order by 1, 2", "--csv", str(out_csv), "--xlsx", str(out_xlsx)], env)
    assert "exp_goods_services 商品和服务支出" in result.stdout and "inconsistent" in result.stdout
    with out_csv.open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert {"fiscal_year", "item_code", "item_code_label_zh", "claim_check"} <= set(rows[0])
    assert {"item_code": "exp_goods_services", "item_code_label_zh": "商品和服务支出"}.items() <= \
        next(r for r in rows if r["item_code"] == "exp_goods_services").items()
    import openpyxl

    sheet = openpyxl.load_workbook(out_xlsx).active
    assert [c.value for c in sheet[1]][:3] == ["fiscal_year", "item_code", "item_code_label_zh"]
    assert sheet.max_row == len(rows) + 1


def test_query_runs_an_analysis_file_for_one_unit(env):
    result = run_cli(["query", "--file", "analyses/budget_vs_execution.sql", "--unit", "洪江区"], env)
    assert "351.25" in result.stdout and PENSION not in result.stdout
    bad = run_cli(["query", "select * from marts.no_such_table"], env, check=False)
    assert bad.returncode == 1 and "query failed" in bad.stdout


def test_yoy_command(env, tmp_path):
    result = run_cli(["yoy", "城乡居民社会养老保险", "--xlsx", str(tmp_path / "y.xlsx")], env)
    out = result.stdout
    assert PENSION in out and "商品和服务支出" in out and "inconsistent" in out and "22.21" in out and "23.11" in out
    assert (tmp_path / "y.xlsx").exists()
    assert run_cli(["yoy", "no such unit 无此单位"], env, check=False).returncode == 1


# ------------------------------------------------------------------------------------------- report

def test_report_page_has_the_units_figures_and_sources(pension_report):
    folder = pension_report.parent
    charts = {"budget.png", "econ.png", "three_public.png", "funds.png", "enrollment.png", "staffing.png", "scores.png"}
    assert {p.name for p in folder.glob("*.png")} == charts
    page = pension_report.read_text(encoding="utf-8")
    assert page.count("data:image/png;base64,") == len(charts)  # self-contained: the charts are inside the page
    assert "src='budget.png'" not in page and "http://" not in page and "https://" not in page
    for figure in ("272.08", "23.11", "22.21", "1.47", "0.86", "2,259,300"):
        assert figure in page, figure
    # each figure links to its document and line, with the text
    assert re.search(r'<a href="file://[^"]+002_b5b61b4d1a8e7580\.txt"[^>]*>002_b5b61b4d1a8e7580\.txt:620</a>', page)
    assert "比去年减少1.99万元" in page and "inconsistent" in page


@needs_chromium
def test_report_page_renders_in_chromium(pension_report, tmp_path):
    dom = browser.dump_dom(pension_report.resolve().as_uri(), budget_ms=3000)
    visible = browser.visible_html(dom)
    assert f"<h1 id=\"unit-name\">{PENSION}</h1>" in visible
    assert len(re.findall(r"<img [^>]*src=\"data:image/png;base64,", visible)) == 7
    assert "商品和服务支出" in visible and "272.08" in visible
    png = browser.screenshot(pension_report.resolve().as_uri(), tmp_path / "report.png", window="1200,1600", budget_ms=3000)
    from PIL import Image

    with Image.open(png) as im:
        colours = im.convert("RGB").getcolors(maxcolors=1 << 16)
    assert colours is None or len(colours) > 50  # charts drawn, not a blank page


# ------------------------------------------------------------------------------------------ docs site

def test_descriptions_are_persisted_as_comments(built_warehouse):
    con = duckdb.connect(str(built_warehouse), read_only=True)
    try:
        table = con.execute("select comment from duckdb_tables() where schema_name = 'marts' and table_name = 'yoy_changes'").fetchone()[0]
        column = con.execute("""select comment from duckdb_columns() where schema_name = 'marts'
                                and table_name = 'yoy_changes' and column_name = 'claim_check'""").fetchone()[0]
    finally:
        con.close()
    assert "同比变动" in table and "自述变动核对结果" in column


def test_static_docs_have_overview_exposures_and_analyses(docs_site):
    import json

    manifest = json.loads((docs_site / "manifest.json").read_text(encoding="utf-8"))
    assert "绩效 jixiao" in manifest["docs"]["doc.jixiao.__overview__"]["block_contents"]
    assert {"exposure.jixiao.unit_report", "exposure.jixiao.ready_analyses"} <= set(manifest["exposures"])
    assert "model.jixiao.yoy_changes" in manifest["exposures"]["exposure.jixiao.unit_report"]["depends_on"]["nodes"]
    assert {"analysis.jixiao.three_public_trend", "analysis.jixiao.unit_findings"} <= set(manifest["nodes"])
    assert manifest["sources"], "sources are declared"


@needs_chromium
def test_docs_model_page_renders_in_chromium(docs_site):
    visible = browser.visible_html(browser.dump_dom(browser.docs_url(docs_site, "model/model.jixiao.yoy_changes")))
    # the model's description and its columns' descriptions, rendered by the site (not the embedded manifest)
    assert re.search(r'class="model-markdown[^"]*"[^>]*><p>Year-over-year changes 同比变动', visible)
    assert "自述变动核对结果" in visible and "claimed_abs_change" in visible
    overview = browser.visible_html(browser.dump_dom(browser.docs_url(docs_site, "overview")))
    assert "绩效自评报告数据仓库" in overview and "claim_check" in overview


@needs_chromium
def test_docs_lineage_graph_renders_in_chromium(docs_site, tmp_path):
    url = browser.docs_url(docs_site, "model/model.jixiao.yoy_changes?g_v=1")
    visible = browser.visible_html(browser.dump_dom(url))
    canvas = re.search(r'<canvas [^>]*data-id="layer2-node" width="(\d+)" height="(\d+)"', visible)
    assert canvas and int(canvas.group(1)) > 300 and int(canvas.group(2)) > 200, "the graph canvas is laid out"
    png = browser.screenshot(url, tmp_path / "lineage.png")
    from PIL import Image

    import numpy as np

    with Image.open(png) as im:
        rgb = np.asarray(im.convert("RGB")).astype(int)
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    model_nodes = int(((r == 0) & (g == 148) & (b == 179)).sum())                               # dbt docs' model node colour
    exposures = int(((r > 200) & (g > 90) & (g < 160) & (b > 70) & (b < 140)).sum())  # exposure nodes (orange)
    assert model_nodes > 1000 and exposures > 200, (model_nodes, exposures)


def test_docs_serve_on_localhost(docs_site, env):
    with served(["docs", "--no-generate"], env) as get:
        assert b"yoy_changes" in get("/static_index.html")
        assert get("/manifest.json", wait=2)  # a missing file is an HTTP error, raised
