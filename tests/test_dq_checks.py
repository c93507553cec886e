"""Data-quality checks (issue 3): each check family flagged and clean on small synthetic reports,
the bundled reports' real findings, and a wrong sum failing a Great Expectations suite."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from conftest import PROJECT_DIR, cli_env, run_cli

UNIT = "甲县社会保险服务中心"
REPORT_2023 = f"""{UNIT}2023年度部门整体支出绩效自评报告
一、部门（单位）概况
2023年末实有人数16人。
二、一般公共预算支出情况
2023年决算支出300.00万元，其中：基本支出200.00万元，项目支出100.00万元。
（1）基本支出情况
2023年全年基本支出200.00万元，其中：工资福利支出150.00万元、商品和服务支出60.00万元。
2023年度财政拨款基本支出200.00万元，其中：人员经费150.00万元，占基本支出的75.0%；公用经费50.00万元，占基本支出的35.0%。
（2）项目支出情况
2023年项目经费支出120.00万元。
2023年中心支出总额300.00万元，比去年增加20.00万元，增长7.14%。
2023年中心收入总额280.00万元，比去年减少20.00万元，下降9.50%。
"""
REPORT_2022 = f"""{UNIT}2022年度部门整体支出绩效自评报告
一、一般公共预算支出情况
2022年中心支出总额285.00万元。
2022年中心收入总额300.00万元。
"""


@pytest.fixture(scope="session")
def synthetic(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("dq_synthetic")
    reports = tmp / "reports"
    reports.mkdir()
    (reports / "a_2023.txt").write_text(REPORT_2023, encoding="utf-8")
    (reports / "b_2022.txt").write_text(REPORT_2022, encoding="utf-8")
    db = tmp / "w.duckdb"
    env = cli_env(db, tmp)
    run_cli(["load", str(reports)], env)
    run_cli(["build"], env)
    return db, env, tmp


def checks(db: Path, where: str = "true", params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(f"""select check_code, rule_code, status, cast(expected_value as double), cast(observed_value as double),
                                      cast(tolerance as double), message
                               from marts.dq_checks where {where} order by all""", params or []).fetchall()
    finally:
        con.close()


def one(rows):
    assert len(rows) == 1, rows
    return rows[0]


def test_sum_components_flag_and_pass(synthetic):
    db = synthetic[0]
    clean = one(checks(db, "rule_code = 'exp_total_by_structure'"))
    assert clean[2] == "pass" and clean[3] == 300 and clean[5] == pytest.approx(0.015)
    # a partial list (其中) above its total is a flag
    flag = one(checks(db, "rule_code = 'exp_basic_by_econ_class'"))
    assert flag[2] == "flag" and flag[3] == 210 and flag[4] == 200
    assert "不符" in flag[6] and "do not add up" in flag[6]
    assert one(checks(db, "rule_code = 'exp_basic_by_personnel_public'"))[2] == "pass"


def test_ratio_flag_and_pass(synthetic):
    rows = checks(synthetic[0], "check_code = 'ratio'")
    assert {(r[2], r[4]) for r in rows} == {("pass", 75.0), ("flag", 35.0)}
    flag = [r for r in rows if r[2] == "flag"][0]
    assert flag[3] == pytest.approx(25.0) and flag[5] < 0.1  # 50.00/200.00 ± precision, 35.0 ± 0.05


def test_claimed_change_against_itself_and_prior_report(synthetic):
    db = synthetic[0]
    internal = checks(db, "rule_code = 'change_pct_vs_abs'")
    assert {(r[2], r[4]) for r in internal} == {("pass", 7.14), ("flag", -9.5)}
    # 2023 says +20.00 on 支出总额; the 2022 report printed 285.00, so the change is 15.00
    prior = checks(db, "rule_code = 'change_abs_vs_prior' and status = 'flag'")
    assert one(prior)[3] == 15 and one(prior)[4] == 20
    assert one(checks(db, "rule_code = 'change_abs_vs_prior' and status = 'pass'"))[3] == -20


def test_conflicting_values_flag_and_pass(synthetic):
    rows = checks(synthetic[0], "check_code = 'conflicting_values'")
    flags = [r for r in rows if r[2] == "flag"]
    assert [(r[3], r[4]) for r in flags] == [(100.0, 120.0)]  # 项目支出 printed 100.00 and 120.00
    assert any(r[2] == "pass" and r[3] == 200 for r in rows)  # 基本支出 printed twice alike


def test_every_flag_and_pass_follows_its_tolerance(synthetic, built_warehouse):
    for db in (synthetic[0], built_warehouse):
        con = duckdb.connect(str(db), read_only=True)
        bad = con.execute("""
            select check_id from marts.dq_checks c
            left join reference.dq_sum_rules r using (rule_code)
            where (status = 'flag') <> (case when coalesce(r.partial_components, false) then difference < -tolerance
                                            else abs(difference) > tolerance end)""").fetchall()
        con.close()
        assert bad == []


# ---- the bundled reports ------------------------------------------------------------------------

HONGJIANG = "洪江区社会保险服务中心"
PENSION = "湖南省城乡居民社会养老保险管理服务中心"
PROVINCE_SI = "湖南省社会保险服务中心"


def test_bundled_project_expenditure_prose_vs_attachment(built_warehouse):
    rows = checks(built_warehouse, "unit_name = ? and fiscal_year = 2023 and status = 'flag' and list_contains(item_codes, 'exp_project')",
                  [HONGJIANG])
    pairs = {(r[0], round(r[3], 2), round(r[4], 2)) for r in rows}
    assert ("conflicting_values", 106.13, 149.27) in pairs
    assert ("sum_components", 106.13, 149.27) in pairs


def test_bundled_score_total(built_warehouse):
    flag = one(checks(built_warehouse, "unit_name = ? and fiscal_year = 2020 and rule_code = 'eval_total_score' and status = 'flag'",
                      [PENSION]))
    assert (flag[3], flag[4], flag[5]) == (95, 94, 0.5)
    assert one(checks(built_warehouse, "unit_name = ? and rule_code = 'eval_total_score'", [HONGJIANG]))[2] == "pass"


def test_bundled_provincial_fund_tables_pass(built_warehouse):
    rows = checks(built_warehouse, "unit_name = ? and subject = 'fund'", [PROVINCE_SI])
    rules = {r[1] for r in rows}
    assert {"fund_income_by_lines", "fund_expenditure_by_lines", "fund_surplus_identity", "fund_closing_identity"} <= rules
    assert [r for r in rows if r[2] == "flag"] == []


def test_bundled_rounding_is_not_a_flag(built_warehouse):
    # 0.52 on 0.53 is 98.11%, printed 98.34%: the rounded operands allow it
    rows = checks(built_warehouse, "unit_name = ? and rule_code = 'change_pct_vs_prior' and observed_value = 98.34",
                  [PROVINCE_SI])
    assert rows and all(r[2] == "pass" and round(r[3], 2) == 98.11 for r in rows)


# ---- Great Expectations ---------------------------------------------------------------------------

def test_wrong_sum_fails_a_gx_suite(synthetic, monkeypatch):
    db, env, tmp = synthetic
    gx_dir = tmp / "expectations"
    shutil.copytree(PROJECT_DIR / "expectations", gx_dir, ignore=shutil.ignore_patterns("uncommitted"))
    monkeypatch.setenv("JIXIAO_GX_DIR", str(gx_dir))
    from jixiao.checks import run_checks

    report = run_checks(str(db), docs=True)
    assert report.integrity_failed == []  # findings are results: `jixiao check` exits 0 on them
    failed = {f.detail: f for f in report.consistency_failed}
    con = duckdb.connect(str(db), read_only=True)
    wrong_sum = con.execute("select check_id from marts.dq_checks where rule_code = 'exp_basic_by_econ_class'").fetchone()[0]
    con.close()
    assert wrong_sum in failed["sum_components"].rows
    # Data Docs render offline: no stylesheet or script from a CDN
    html = report.docs_index.read_text(encoding="utf-8")
    assert "static/vendor/bootstrap.min.css" in html
    for page in report.docs_index.parent.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert 'src="http' not in text and 'rel="stylesheet" href="http' not in text


def test_integrity_failure_exits_non_zero(synthetic, tmp_path):
    db, env, tmp = synthetic
    broken = tmp_path / "broken.duckdb"
    shutil.copy(db, broken)
    con = duckdb.connect(str(broken))
    con.execute("insert into marts.dq_checks select * from marts.dq_checks limit 1")  # a duplicate key
    con.close()
    gx_dir = tmp_path / "expectations"
    shutil.copytree(PROJECT_DIR / "expectations", gx_dir, ignore=shutil.ignore_patterns("uncommitted"))
    result = run_cli(["check", "--no-docs"], dict(env, JIXIAO_DB=str(broken), JIXIAO_GX_DIR=str(gx_dir), COLUMNS="200"),
                     check=False)
    assert result.returncode == 1, result.stdout
    assert "integrity failed" in result.stdout and "integrity__dq_checks" in result.stdout
