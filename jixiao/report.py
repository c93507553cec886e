"""One unit's picture book: a self-contained HTML page with PNG charts and the figures behind them.

``jixiao report UNIT`` reads the marts read-only (closing the warehouse before drawing anything),
draws each chart with matplotlib to a PNG beside the page, embeds the same PNG in the page as a
data URI (so the page opens alone, offline), and lists under each chart the figures it shows, each
linked to its source: the document (file), the line and the sentence or table row.
"""

from __future__ import annotations

import base64
import html
import io
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any, Optional

CJK_FONT_NAMES = ("WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Noto Sans CJK SC", "Noto Sans SC",
                  "Source Han Sans SC", "Source Han Sans CN", "SimHei", "Microsoft YaHei", "AR PL UMing CN",
                  "Droid Sans Fallback")
CJK_FONT_FILES = ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
                  "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
                  "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf")
BASIS_ZH = {"budget_initial": "年初预算", "budget_adjusted": "全年预算", "actual": "执行数", "target": "目标"}
LINE_ZH = {"all": "合计", "basic": "基本支出", "project": "项目支出"}


class UnitNotFound(LookupError):
    pass


@dataclass
class Figure:
    key: str
    title: str
    note: str
    rows: list[dict] = field(default_factory=list)  # the figures shown, each with its source
    png: Optional[bytes] = None


@dataclass
class UnitData:
    unit_id: str
    unit_name: str
    admin_level: str
    region_name: Optional[str]
    documents: list[dict]
    labels_zh: dict[str, str]
    labels_en: dict[str, str]
    budget: list[dict]
    econ: list[dict]
    three_public: list[dict]
    funds: list[dict]
    enrollment: list[dict]
    findings: Optional[list[dict]]  # None when marts.dq_checks does not exist
    claims: list[dict]
    lines: dict = field(default_factory=dict)  # (document_id, line) → text, for the lines findings cite
    staffing: list[dict] = field(default_factory=list)
    evaluations: list[dict] = field(default_factory=list)  # fct_evaluation: total score and grade
    dimensions: list[dict] = field(default_factory=list)   # fct_evaluation_dimension: 决策/过程/产出/效益
    indicators: list[dict] = field(default_factory=list)   # fct_performance_score: the scored indicators
    changes: list[dict] = field(default_factory=list)      # yoy_changes with a prior year: the unit's own figures


def dict_rows(con, sql: str, params: list) -> list[dict]:
    """The rows of a query as dicts by column name."""
    cursor = con.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r)) for r in cursor.fetchall()]


def resolve_unit(con, unit: str) -> dict:
    rows = dict_rows(con, """select unit_id, unit_name, admin_level, region_name from marts.dim_unit
                         where unit_id = ? or unit_name = ? or contains(unit_name, ?)
                            or list_contains(names_as_found, ?)
                         order by (unit_name = ?) desc, unit_name""", [unit, unit, unit, unit, unit])
    exact = [r for r in rows if r["unit_name"] == unit or r["unit_id"] == unit]
    if exact:
        return exact[0]
    if len(rows) == 1:
        return rows[0]
    if not rows:
        raise UnitNotFound(f"no unit matches {unit!r} (未找到单位)")
    raise UnitNotFound(f"{unit!r} matches several units (匹配多个单位): " + ", ".join(r["unit_name"] for r in rows))


def read_unit(unit: str, db: Optional[str] = None) -> UnitData:
    """Everything the page needs, read in one short read-only session."""
    from .query import connect

    con = connect(db)  # read-only and sealed, as for `jixiao query`
    try:
        return read_unit_on(con, resolve_unit(con, unit))
    finally:
        con.close()


def read_unit_on(con, u: dict) -> UnitData:
    """One unit's figures (u: a dim_unit row) on an open read-only connection (the site reads every unit on one)."""
    uid = [u["unit_id"]]
    glossary = con.execute("select code, label_zh, label_en from reference.glossary_items").fetchall()
    tables = {r[0] for r in con.execute(
        "select table_name from information_schema.tables where table_schema = 'marts'").fetchall()}
    documents = dict_rows(con, """select document_id, file_name, file_path, report_year, title from marts.dim_document
                              where unit_id = ? order by report_year, file_name""", uid)
    budget = dict_rows(con, """select fiscal_year, budget_line, project_name, fund_source, budget_initial_wan_yuan,
                                  budget_adjusted_wan_yuan, actual_wan_yuan, execution_rate, document_id,
                                  source_line, source_text
                           from marts.fct_budget where unit_id = ? and fund_source = 'all' and project_name = ''
                           order by fiscal_year, budget_line""", uid)
    econ = dict_rows(con, """select e.fiscal_year, e.budget_line, e.item_code, e.amount_wan_yuan, e.document_id,
                                e.source_line, e.source_text,
                                coalesce(g.parent_code in (select code from reference.glossary_items
                                                           where domain = 'econ_class'), false) as is_subclass
                         from marts.fct_expenditure e join reference.glossary_items g on g.code = e.item_code
                         where e.unit_id = ? and g.domain = 'econ_class' and e.basis = 'actual' and e.project_name = ''
                         order by e.fiscal_year, e.budget_line, e.item_code""", uid)
    # classes (301, 302 …) stack to the total; subclasses only where a line has no class figure
    has_class = {(r["fiscal_year"], r["budget_line"]) for r in econ if not r["is_subclass"]}
    econ = [r for r in econ if not r["is_subclass"] or (r["fiscal_year"], r["budget_line"]) not in has_class]
    three_public = dict_rows(con, """select fiscal_year, item_code, basis, amount_wan_yuan, document_id, source_line, source_text
                                 from marts.fct_expenditure
                                 where unit_id = ? and item_code like 'three_public%' and project_name = ''
                                   and basis in ('actual', 'budget_initial')
                                 order by item_code, fiscal_year, basis""", uid)
    funds = dict_rows(con, """select fiscal_year, scheme_code, item_code, basis, amount_wan_yuan, scope, document_id,
                                 source_line, source_text
                          from marts.fct_fund_balance
                          where unit_id = ? and basis = 'actual' and item_code in
                              ('fund_income_total', 'fund_expenditure_total', 'fund_surplus', 'fund_closing_balance',
                               'contributions_collected', 'benefits_paid')
                          order by scheme_code, fiscal_year, item_code""", uid)
    enrollment = dict_rows(con, """select fiscal_year, scheme_code, measure_code, status, value, stated_value, stated_uom,
                                      document_id, source_line, source_text
                               from marts.fct_enrollment
                               where unit_id = ? and measure_code in ('insured_persons', 'beneficiaries', 'new_insured')
                               order by measure_code, scheme_code, status, fiscal_year""", uid)
    findings = None
    if "dq_checks" in tables:
        findings = dict_rows(con, """select fiscal_year, check_code, severity, subject, item_codes, expected_value,
                                        observed_value, difference, tolerance, message, document_ids, source_lines
                                 from marts.dq_checks where unit_id = ? and status = 'flag'
                                 order by fiscal_year, check_code""", uid)
    lines = {}
    if findings:
        cited = {tuple(x.rsplit(":", 1)) for f in findings for x in (f["source_lines"] or []) if ":" in str(x)}
        for doc, line in cited:
            if line.isdigit():
                row = con.execute("select normalised_text from staging.stg_raw__lines where document_id = ? and source_line = ?",
                                  [doc, int(line)]).fetchone()
                if row:
                    lines[(doc, int(line))] = row[0]
    claims = dict_rows(con, """select fiscal_year, subject, item_code, scheme_code, budget_line, value, prior_value,
                                  abs_change, pct_change, claimed_abs_change, claimed_pct_change, claim_check,
                                  claim_document_id as document_id, claim_source_line as source_line,
                                  claim_source_text as source_text
                           from marts.yoy_changes
                           where unit_id = ? and claim_check in ('inconsistent', 'no_prior')
                           order by claim_check, fiscal_year, item_code""", uid) if "yoy_changes" in tables else []
    return UnitData(u["unit_id"], u["unit_name"], u["admin_level"], u["region_name"], documents,
                    {c: zh for c, zh, _ in glossary}, {c: en for c, _, en in glossary},
                    budget, econ, three_public, funds, enrollment, findings, claims, lines,
                    **_staffing_and_scores(con, uid, tables))


def _staffing_and_scores(con, uid: list, tables: set[str]) -> dict:
    """The unit's own staffing (no sub-unit, no part) and its evaluations' scores."""
    def rows(table: str, sql: str) -> list[dict]:
        return dict_rows(con, sql, uid) if table in tables else []

    return {
        "changes": rows("yoy_changes", """select fiscal_year, prior_fiscal_year, subject, item_code, scheme_code, budget_line,
                                                 project_name, basis, value, value_uom, prior_value, abs_change, pct_change,
                                                 claim_check, document_id, source_line, source_text, prior_document_id,
                                                 prior_source_line, prior_source_text
                                          from marts.yoy_changes
                                          where unit_id = ? and prior_value is not null and sub_unit = '' and fund_part = ''
                                          order by subject, item_code, scheme_code, budget_line, fiscal_year"""),
        "staffing": rows("fct_staffing", """select fiscal_year, post_type, item_code, basis, value, document_id, source_line,
                                                   source_text from marts.fct_staffing
                                            where unit_id = ? and sub_unit = '' and fund_part = ''
                                            order by item_code, post_type, fiscal_year"""),
        "evaluations": rows("fct_evaluation", """select fiscal_year, evaluation, project_name, stated_total_score,
                                                        sum_of_scores, sum_of_weights, grade, document_id, source_line,
                                                        source_text from marts.fct_evaluation where unit_id = ?
                                                 order by fiscal_year, evaluation, project_name"""),
        "dimensions": rows("fct_evaluation_dimension", """select fiscal_year, evaluation, project_name, dimension, weight,
                                                                 score, document_id, source_line, source_text
                                                          from marts.fct_evaluation_dimension where unit_id = ?
                                                          order by fiscal_year, evaluation, project_name, dimension"""),
        "indicators": rows("fct_performance_score", """select fiscal_year, evaluation, project_name, level1, level2,
                                                              indicator, weight, score, document_id, source_line,
                                                              source_text from marts.fct_performance_score
                                                       where unit_id = ? and score is not null
                                                       order by fiscal_year, evaluation, project_name, source_line"""),
    }


# ---------------------------------------------------------------------------------------------- charts

def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import font_manager

    font = None
    names = {f.name for f in font_manager.fontManager.ttflist}
    for name in CJK_FONT_NAMES:
        if name in names:
            font = name
            break
    if font is None:
        for path in CJK_FONT_FILES:
            if Path(path).exists():
                font_manager.fontManager.addfont(path)
                font = font_manager.FontProperties(fname=path).get_name()
                break
    plt.rcParams["font.sans-serif"] = ([font] if font else []) + ["DejaVu Sans"]
    plt.rcParams["font.family"] = "sans-serif"
    plt.rcParams["axes.unicode_minus"] = False
    return plt, font is not None


class Charts:
    def __init__(self, data: UnitData):
        self.data = data
        self.plt, self.cjk = _pyplot()

    def label(self, code: str) -> str:
        """Chinese label when a CJK font is available to draw it, else the English one."""
        if self.cjk:
            return self.data.labels_zh.get(code) or code
        return self.data.labels_en.get(code) or code

    def text(self, zh: str, en: str) -> str:
        return f"{zh} {en}" if self.cjk else en

    def _png(self, fig) -> bytes:
        buf = io.BytesIO()
        # fixed margins in inches, not tight_layout: measuring every label first cost 60% of a chart's
        # time, and the site draws one to five charts per unit
        width, height = fig.get_size_inches()
        fig.subplots_adjust(left=0.8 / width, right=1 - 0.2 / width, bottom=0.75 / height, top=1 - 0.35 / height)
        fig.savefig(buf, format="png", dpi=110)
        self.plt.close(fig)
        return buf.getvalue()

    def grouped_bars(self, groups: list[str], series: dict[str, list[Optional[float]]], ylabel: str,
                     title: str, stacked: bool = False) -> bytes:
        plt = self.plt
        fig, ax = plt.subplots(figsize=(max(6.0, 1.2 * len(groups) + 3), 3.8))
        n = max(1, len(series))
        width = 0.8 / (1 if stacked else n)
        bottoms = [0.0] * len(groups)
        for i, (name, values) in enumerate(series.items()):
            vals = [float(v) if v is not None else 0.0 for v in values]
            xs = [g + (0 if stacked else (i - (n - 1) / 2) * width) for g in range(len(groups))]
            bars = ax.bar(xs, vals, width, label=name, bottom=bottoms if stacked else None)
            if not stacked:
                for bar, v in zip(bars, values):
                    if v is not None:
                        ax.annotate(_short(v), (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                                    ha="center", va="bottom", fontsize=7)
            if stacked:
                bottoms = [b + v for b, v in zip(bottoms, vals)]
        ax.set_xticks(range(len(groups)))
        ax.set_xticklabels(groups, fontsize=8)
        ax.set_ylabel(ylabel)
        ax.set_title(title, fontsize=10)
        ax.grid(axis="y", alpha=0.3)
        ax.legend(fontsize=7, loc="best")
        return self._png(fig)


def _short(v: Any) -> str:
    """Bar label: at most two decimals, no trailing zeros."""
    text = f"{float(v):,.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def build_figures(data: UnitData) -> list[Figure]:
    charts = Charts(data)
    figures: list[Figure] = []
    t = charts.text

    # 1. budget vs execution
    fig = Figure("budget", "预算与执行 Budget vs execution", "Budget (年初/全年预算) and outturn (执行数) by year and budget line, 万元.")
    if data.budget:
        groups = [f"{r['fiscal_year']} {t(LINE_ZH.get(r['budget_line'], r['budget_line']), r['budget_line'])}" for r in data.budget]
        series = {t("年初预算", "initial budget"): [r["budget_initial_wan_yuan"] for r in data.budget],
                  t("全年预算", "adjusted budget"): [r["budget_adjusted_wan_yuan"] for r in data.budget],
                  t("执行数", "actual"): [r["actual_wan_yuan"] for r in data.budget]}
        fig.png = charts.grouped_bars(groups, series, "万元 (10k yuan)", t("预算与执行", "Budget vs execution"))
        for r in data.budget:
            for basis, col in (("budget_initial", "budget_initial_wan_yuan"), ("budget_adjusted", "budget_adjusted_wan_yuan"),
                               ("actual", "actual_wan_yuan")):
                if r[col] is not None:
                    fig.rows.append(_row(data, r, f"{LINE_ZH.get(r['budget_line'])} {r['budget_line']}", BASIS_ZH[basis], r[col], "万元"))
            if r["execution_rate"] is not None:
                fig.rows.append(_row(data, r, f"{LINE_ZH.get(r['budget_line'])} {r['budget_line']}", "执行率 execution rate", r["execution_rate"], "%"))
    figures.append(fig)

    # 2. spending by economic class
    fig = Figure("econ", "按经济分类支出 Spending by economic class", "Outturn by economic class (工资福利/商品和服务/对个人和家庭的补助 …), stacked per year and budget line, 万元.")
    if data.econ:
        keys = sorted({(r["fiscal_year"], r["budget_line"]) for r in data.econ})
        codes = sorted({r["item_code"] for r in data.econ})
        groups = [f"{y} {t(LINE_ZH.get(b, b), b)}" for y, b in keys]
        series = {charts.label(c): [next((r["amount_wan_yuan"] for r in data.econ if (r["fiscal_year"], r["budget_line"]) == k
                                          and r["item_code"] == c), None) for k in keys] for c in codes}
        fig.png = charts.grouped_bars(groups, series, "万元 (10k yuan)", t("按经济分类支出", "Spending by economic class"), stacked=True)
        fig.rows = [_row(data, r, _code(data, r["item_code"]), f"{LINE_ZH.get(r['budget_line'])}", r["amount_wan_yuan"], "万元") for r in data.econ]
    figures.append(fig)

    # 3. 三公
    fig = Figure("three_public", "“三公”经费 Three public expenses", "公务接待, 因公出国(境), 公务用车 by year: outturn (and initial budget), 万元; prior-year columns included.")
    actual = [r for r in data.three_public if r["basis"] == "actual"]
    if actual:
        years = sorted({r["fiscal_year"] for r in actual})
        codes = sorted({r["item_code"] for r in actual}, key=lambda c: (c != "three_public_total", c))
        series = {charts.label(c): [next((r["amount_wan_yuan"] for r in actual if r["fiscal_year"] == y and r["item_code"] == c), None)
                                    for y in years] for c in codes}
        fig.png = charts.grouped_bars([str(y) for y in years], series, "万元 (10k yuan)", t("“三公”经费（执行数）", "Three public expenses (actual)"))
        fig.rows = [_row(data, r, _code(data, r["item_code"]), BASIS_ZH[r["basis"]], r["amount_wan_yuan"], "万元") for r in data.three_public]
    figures.append(fig)

    # 4. fund balances
    fig = Figure("funds", "社保基金收支结余 Fund income, expenditure and balance", "By scheme and year, outturn, 亿元 in the chart (万元 in the table).")
    if data.funds:
        keys = sorted({(r["scheme_code"], r["fiscal_year"]) for r in data.funds})
        items = [c for c in ("fund_income_total", "fund_expenditure_total", "fund_surplus", "fund_closing_balance",
                             "contributions_collected", "benefits_paid") if any(r["item_code"] == c for r in data.funds)]
        groups = [f"{charts.label('si_all_funds' if s == 'all' else s)}\n{y}" for s, y in keys]
        series = {charts.label(c): [_div(next((r["amount_wan_yuan"] for r in data.funds if (r["scheme_code"], r["fiscal_year"]) == k
                                               and r["item_code"] == c), None), 10000) for k in keys] for c in items}
        fig.png = charts.grouped_bars(groups, series, "亿元 (100m yuan)", t("社保基金收支结余", "Social-insurance funds"))
        fig.rows = [_row(data, r, f"{_code(data, 'si_all_funds' if r['scheme_code'] == 'all' else r['scheme_code'])} · {_code(data, r['item_code'])}",
                         r["scope"] or "", r["amount_wan_yuan"], "万元") for r in data.funds]
    figures.append(fig)

    # 5. enrollment
    fig = Figure("enrollment", "参保人数 Enrollment", "Insured persons, beneficiaries and new insured by scheme and year, 万人 in the chart (persons in the table).")
    if data.enrollment:
        keys = sorted({(r["scheme_code"], r["status"], r["fiscal_year"]) for r in data.enrollment})
        measures = sorted({r["measure_code"] for r in data.enrollment})
        status_zh = {"all": "", "active": t("在职", "active"), "retired": t("退休", "retired")}
        groups = [f"{charts.label('si_all_funds' if s == 'all' else s)} {status_zh.get(st, st)}\n{y}" for s, st, y in keys]
        series = {charts.label(m): [_div(next((r["value"] for r in data.enrollment if (r["scheme_code"], r["status"], r["fiscal_year"]) == k
                                               and r["measure_code"] == m), None), 10000) for k in keys] for m in measures}
        fig.png = charts.grouped_bars(groups, series, "万人 (10k persons)", t("参保人数", "Enrollment"))
        fig.rows = [_row(data, r, f"{_code(data, 'si_all_funds' if r['scheme_code'] == 'all' else r['scheme_code'])} · {_code(data, r['measure_code'])}",
                         r["status"], r["value"], "人") for r in data.enrollment]
    figures.append(fig)
    figures.append(_staffing_figure(data, charts))
    figures.append(_scores_figure(data, charts))
    return figures


def _staffing_figure(data: UnitData, charts: Charts) -> Figure:
    fig = Figure("staffing", "人员编制 Staffing", "Authorized posts, actual staff, retired staff … by year (the unit's own, no sub-unit), persons.")
    if not data.staffing:
        return fig
    t = charts.text
    years = sorted({r["fiscal_year"] for r in data.staffing})
    keys = sorted({(r["item_code"], r["post_type"]) for r in data.staffing})
    name = lambda k: charts.label(k[0]) + ("" if k[1] == "all" else f" · {k[1]}")
    series = {name(k): [next((r["value"] for r in data.staffing if (r["item_code"], r["post_type"]) == k
                              and r["fiscal_year"] == y), None) for y in years] for k in keys}
    fig.png = charts.grouped_bars([str(y) for y in years], series, "人 (persons)", t("人员编制", "Staffing"))
    fig.rows = [_row(data, r, _code(data, r["item_code"]), r["post_type"], r["value"], "人") for r in data.staffing]
    return fig


def _scores_figure(data: UnitData, charts: Charts) -> Figure:
    fig = Figure("scores", "绩效评分 Evaluation scores", "Each evaluation's total score (printed, else the sum of its indicators), its dimensions' scores and the scored indicators, points.")
    if not data.evaluations:
        return fig
    t = charts.text
    label = lambda r: f"{r['fiscal_year']} {r['project_name'] or t('整体', 'overall')}"[:24]
    totals = [r["stated_total_score"] if r["stated_total_score"] is not None else r["sum_of_scores"] for r in data.evaluations]
    if any(v is not None for v in totals):
        fig.png = charts.grouped_bars([label(r) for r in data.evaluations], {t("总分", "total score"): totals},
                                      "分 (points)", t("绩效评分", "Evaluation scores"))
    for r, total in zip(data.evaluations, totals):
        if total is not None:
            fig.rows.append(_row(data, r, f"{r['project_name'] or '整体 overall'}", f"总分 total · {r['grade'] or ''}", total, "分"))
    for r in data.dimensions:
        fig.rows.append(_row(data, r, f"{r['project_name'] or '整体 overall'} · {r['dimension']}", f"权重 weight {_fmt(r['weight'])}", r["score"], "分"))
    for r in data.indicators:
        what = " · ".join(x for x in (r["project_name"], r["level1"], r["level2"], r["indicator"]) if x)
        fig.rows.append(_row(data, r, what, f"权重 weight {_fmt(r['weight'])}", r["score"], "分"))
    return fig


def _div(v, d):
    return None if v is None else float(v) / d


def _code(data: UnitData, code: str) -> str:
    return f"{data.labels_zh.get(code, '')} {code}".strip()


def _row(data: UnitData, r: dict, what: str, detail: str, value: Any, uom: str) -> dict:
    return {"year": r["fiscal_year"], "what": what, "detail": detail, "value": value, "uom": uom,
            "document_id": r.get("document_id"), "source_line": r.get("source_line"), "source_text": r.get("source_text")}


# ---------------------------------------------------------------------------------------------- page

CSS = """
body{font-family:"Noto Sans CJK SC","WenQuanYi Micro Hei","Microsoft YaHei","PingFang SC",sans-serif;margin:2em auto;max-width:1100px;color:#222;padding:0 1em}
h1{font-size:1.6em;margin-bottom:.2em} h2{border-bottom:2px solid #3b6ea5;padding-bottom:.2em;margin-top:2em;font-size:1.25em}
.meta{color:#555} figure{margin:1em 0} figure img{max-width:100%;border:1px solid #ddd}
figcaption{color:#555;font-size:.9em} table{border-collapse:collapse;width:100%;font-size:.85em;margin:.5em 0}
th,td{border:1px solid #ddd;padding:3px 6px;vertical-align:top} th{background:#f0f4f8;text-align:left}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap} td.src{color:#444;font-size:.9em}
.empty{color:#888;font-style:italic} .inconsistent{color:#b00020;font-weight:bold} .no_prior{color:#9a6700}
a{color:#3b6ea5} nav a{margin-right:1em}
"""


def _fmt(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, Decimal):
        v = v.normalize()
        return f"{v:,f}"
    if isinstance(v, float):
        return f"{v:,.4f}".rstrip("0").rstrip(".")
    if isinstance(v, int) and not isinstance(v, bool):
        return f"{v:,}"
    if isinstance(v, (list, tuple)):
        return ", ".join(_fmt(x) for x in v)
    return str(v)


NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
# the numbers of a finding's message that are not figures: its line references and years
NOT_A_FIGURE = re.compile(r"第\s*\d+\s*行|\bline\s+\d+|\d+\s*年|\(\w+,\s*\d{4}\)")


def finding_values(finding: dict) -> list[float]:
    """The figures a finding names: expected, observed and the numbers of its message (the components
    of a sum, the two values of a conflict), so the lines it cites can mark them."""
    values = [finding.get("expected_value"), finding.get("observed_value")]
    message = NOT_A_FIGURE.sub(" ", str(finding.get("message") or ""))
    values += [float(x) for x in NUMBER.findall(message)]
    return [float(v) for v in values if v is not None]


def finding_sources(finding: dict) -> list[tuple[str, Optional[str]]]:
    """The (document_id, line) pairs a finding cites: its source_lines are 'document_id:line' entries
    (older warehouses: bare lines beside document_ids)."""
    ids = finding.get("document_ids") or []
    lines = [str(x) for x in (finding.get("source_lines") or [])]
    if lines and all(":" in x for x in lines):
        pairs = [(x.rsplit(":", 1)[0], x.rsplit(":", 1)[1]) for x in lines]
    else:
        pairs = [(d, lines[i] if i < len(lines) else None) for i, d in enumerate(ids)]
    return list(dict.fromkeys(pairs))  # a line cited by two of the figures is shown once


def _line_text(data: UnitData, document_id: Optional[str], line: Any) -> Optional[str]:
    try:
        return data.lines.get((document_id, int(line)))
    except (TypeError, ValueError):
        return None


class FileLinks:
    """Where a figure's source link leads on a page that stands alone: its document's file (file://)."""

    def __init__(self, documents: list[dict]):
        self.paths = {d["document_id"]: d.get("file_path") for d in documents}

    def source(self, document_id: str, line: Optional[int] = None, value: Any = None) -> Optional[str]:
        path = self.paths.get(document_id)
        if not path:
            return None
        return Path(path).resolve().as_uri() if Path(path).is_absolute() else path


def _source_cell(links, docs: dict[str, dict], document_id: Optional[str], line: Optional[int], text: Optional[str],
                 value: Any = None) -> str:
    if not document_id:
        return ""
    name = docs.get(document_id, {}).get("file_name") or document_id
    where = f"{name}:{line}" if line else name
    href = links.source(document_id, line, value)
    link = f'<a href="{html.escape(href)}" title="{html.escape(document_id)}">{html.escape(where)}</a>' if href else html.escape(where)
    return f'{link}<br><span class="src">{html.escape((text or "")[:160])}</span>'


def render_html(data: UnitData, figures: list[Figure], png_names: dict[str, str], links=None, head: str = "",
                nav: str = "", embed_png: bool = True) -> str:
    """The page. links.source(document_id, line, value) gives each figure's source link (FileLinks by
    default); head and nav are extra markup for the <head> and the top of the page (the site's); without
    embed_png the charts are referenced by their PNG file names instead of embedded as data URIs."""
    docs = {d["document_id"]: d for d in data.documents}
    links = links or FileLinks(data.documents)
    e = html.escape
    parts = [f"<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><title>{e(data.unit_name)} — 绩效报告数据 report</title>",
             f"<style>{CSS}</style>{head}</head><body>", nav,
             f"<h1 id='unit-name'>{e(data.unit_name)}</h1>",
             f"<p class='meta'>unit_id <code>{e(data.unit_id)}</code> · {e(data.admin_level or '')} · {e(data.region_name or '')} · "
             f"generated 生成于 {datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M UTC')} from marts (warehouse.duckdb)</p>",
             "<h2>文档 Documents</h2><table><tr><th>report_year 报告年度</th><th>file 文件</th><th>title 标题</th><th>document_id</th></tr>"]
    for d in data.documents:
        parts.append(f"<tr><td>{d['report_year']}</td><td>{_source_cell(links, docs, d['document_id'], None, None)}</td>"
                     f"<td>{e(d['title'] or '')}</td><td><code>{e(d['document_id'])}</code></td></tr>")
    parts.append("</table><nav>" + "".join(f"<a href='#{f.key}'>{e(f.title)}</a>" for f in figures)
                 + "<a href='#yoy'>同比 Year over year</a><a href='#findings'>发现 Findings</a></nav>")
    for f in figures:
        parts.append(f"<section id='{f.key}'><h2>{e(f.title)}</h2>")
        if f.png:
            src = f"data:image/png;base64,{base64.b64encode(f.png).decode()}" if embed_png else png_names.get(f.key, "")
            parts.append(f"<figure><img alt='{e(f.title)}' src='{e(src)}' data-file='{e(png_names.get(f.key, ''))}'>"
                         f"<figcaption>{e(f.note)} PNG: {e(png_names.get(f.key, ''))}</figcaption></figure>")
        if f.rows:
            parts.append("<table class='figures'><tr><th>year 年度</th><th>item 项目</th><th>detail 口径</th><th>value 数值</th>"
                         "<th>unit 单位</th><th>source 来源 (document:line, text)</th></tr>")
            for r in f.rows:
                parts.append(f"<tr><td>{r['year']}</td><td>{e(r['what'])}</td><td>{e(str(r['detail']))}</td>"
                             f"<td class='num'>{_fmt(r['value'])}</td><td>{e(r['uom'])}</td>"
                             f"<td>{_source_cell(links, docs, r['document_id'], r['source_line'], r['source_text'], r['value'])}</td></tr>")
            parts.append("</table>")
        else:
            parts.append("<p class='empty'>No figures of this kind in this unit's reports. 报告中无此类数据。</p>")
        parts.append("</section>")
    parts.append("<section id='findings'><h2>发现 Findings</h2>")
    if data.findings is None:
        parts.append("<p class='empty'>marts.dq_checks is not built in this warehouse yet; no checks to show. 尚无数据质量检查表。</p>")
    elif not data.findings:
        parts.append("<p>No flagged checks for this unit. 无被标记的检查。</p>")
    else:
        parts.append("<table class='findings'><tr><th>year 年度</th><th>check 检查</th><th>severity 严重程度</th><th>items 科目</th>"
                     "<th>expected 应为</th><th>observed 实为</th><th>difference 差异</th><th>tolerance 容差</th><th>message 说明</th><th>source 来源</th></tr>")
        for r in data.findings:
            pairs = finding_sources(r)
            src = "<br>".join(_source_cell(links, docs, d, line, _line_text(data, d, line), finding_values(r)) for d, line in pairs)
            parts.append(f"<tr><td>{r['fiscal_year'] or ''}</td><td>{e(str(r['check_code']))}</td><td>{e(str(r['severity']))}</td>"
                         f"<td>{e(_fmt(r['item_codes']))}</td><td class='num'>{_fmt(r['expected_value'])}</td>"
                         f"<td class='num'>{_fmt(r['observed_value'])}</td><td class='num'>{_fmt(r['difference'])}</td>"
                         f"<td class='num'>{_fmt(r['tolerance'])}</td><td>{e(str(r['message'] or ''))}</td><td>{src}</td></tr>")
        parts.append("</table>")
    parts.append("</section>")
    parts.append(_changes_html(data, links, docs))
    parts.append("<section id='claims'><h3>报告自述的同比变动 Year-over-year claims (marts.yoy_changes)</h3>")
    if data.claims:
        parts.append("<table class='claims'><tr><th>year 年度</th><th>item 项目</th><th>value 本年</th><th>prior 上年</th><th>change 变动</th>"
                     "<th>claimed 自述变动</th><th>check 核对</th><th>source 来源</th></tr>")
        for r in data.claims:
            claimed = " / ".join(x for x in (_fmt(r["claimed_abs_change"]), f"{_fmt(r['claimed_pct_change'])}%" if r["claimed_pct_change"] is not None else "") if x)
            change = " / ".join(x for x in (_fmt(r["abs_change"]), f"{_fmt(r['pct_change'])}%" if r["pct_change"] is not None else "") if x)
            parts.append(f"<tr><td>{r['fiscal_year']}</td><td>{e(_code(data, r['item_code']))}</td><td class='num'>{_fmt(r['value'])}</td>"
                         f"<td class='num'>{_fmt(r['prior_value'])}</td><td class='num'>{e(change)}</td><td class='num'>{e(claimed)}</td>"
                         f"<td class='{e(r['claim_check'])}'>{e(r['claim_check'])}</td>"
                         f"<td>{_source_cell(links, docs, r['document_id'], r['source_line'], r['source_text'], [r['claimed_abs_change'], r['claimed_pct_change']])}</td></tr>")
        parts.append("</table>")
    else:
        parts.append("<p>No inconsistent or uncheckable change claims. 无不一致的自述变动。</p>")
    parts.append("</section></body></html>")
    return "\n".join(parts)


def _changes_html(data: UnitData, links, docs: dict) -> str:
    """Year over year: every figure of the unit with one of the year before, and both source lines."""
    e = html.escape
    parts = ["<section id='yoy'><h2>同比 Year over year</h2>"]
    if not data.changes:
        parts.append("<p class='empty'>No figure of this unit has one of the year before. 无可比的上年数据。</p></section>")
        return "\n".join(parts)
    parts.append("<table class='changes'><tr><th>year 年度</th><th>item 项目</th><th>basis 口径</th><th>value 本年</th>"
                 "<th>prior 上年</th><th>change 变动</th><th>change % 变动率</th><th>claim 自述核对</th>"
                 "<th>source 本年来源</th><th>prior source 上年来源</th></tr>")
    for r in data.changes:
        what = " · ".join(x for x in (_code(data, r["item_code"]), r["scheme_code"] or "",
                                      "" if r["budget_line"] in (None, "all") else r["budget_line"], r["project_name"] or "") if x)
        parts.append(f"<tr><td>{r['fiscal_year']}</td><td>{e(what)}</td><td>{e(r['basis'] or '')}</td>"
                     f"<td class='num'>{_fmt(r['value'])} {e(r['value_uom'] or '')}</td><td class='num'>{_fmt(r['prior_value'])}</td>"
                     f"<td class='num'>{_fmt(r['abs_change'])}</td><td class='num'>{_fmt(r['pct_change'])}</td>"
                     f"<td class='{e(r['claim_check'] or '')}'>{e(r['claim_check'] or '')}</td>"
                     f"<td>{_source_cell(links, docs, r['document_id'], r['source_line'], r['source_text'], r['value'])}</td>"
                     f"<td>{_source_cell(links, docs, r['prior_document_id'], r['prior_source_line'], r['prior_source_text'], r['prior_value'])}</td></tr>")
    parts.append("</table></section>")
    return "\n".join(parts)


def slug(name: str) -> str:
    return re.sub(r"[\\/:*?\"<>|\s]+", "_", name).strip("_") or "unit"


def write_report(unit: str, out_dir: Path, db: Optional[str] = None) -> Path:
    """Write <out_dir>/<unit name>/index.html and one PNG per chart; return the page's path."""
    data = read_unit(unit, db)
    figures = build_figures(data)
    folder = out_dir / slug(data.unit_name)
    folder.mkdir(parents=True, exist_ok=True)
    png_names = {}
    for f in figures:
        if f.png:
            name = f"{f.key}.png"
            (folder / name).write_bytes(f.png)
            png_names[f.key] = name
    page = folder / "index.html"
    page.write_text(render_html(data, figures, png_names), encoding="utf-8")
    return page
