"""Concrete values from the five bundled reports, mart by mart, and provenance back to the text."""

from __future__ import annotations

from decimal import Decimal

import pytest

PENSION = "湖南省城乡居民社会养老保险管理服务中心"
PROVINCE_SI = "湖南省社会保险服务中心"
ANHUA = "安化县社会保险服务中心"
HONGJIANG = "洪江区社会保险服务中心"


def one(con, sql: str, params: list):
    rows = con.execute(sql, params).fetchall()
    assert len(rows) == 1, f"expected one row, got {rows} for {params}"
    return rows[0]


def expenditure(con, unit, year, item, basis="actual", budget_line="all", project="", part=""):
    return one(con, """
        select f.amount_wan_yuan from marts.fct_expenditure f join marts.dim_unit u using (unit_id)
        where u.unit_name = ? and f.fiscal_year = ? and f.item_code = ? and f.basis = ?
          and f.budget_line = ? and f.project_name = ? and f.fund_part = ?""",
               [unit, year, item, basis, budget_line, project, part])[0]


def test_dim_unit_one_id_per_unit_across_years(wh):
    rows = wh.execute("""select unit_name, admin_level, region_name, n_documents from marts.dim_unit
                         where admin_level <> 'unknown' or unit_name not like '(unknown%'""").fetchall()
    assert sorted(rows) == sorted([
        (ANHUA, "county", "安化县", 1),
        (PENSION, "province", "湖南省", 2),
        (PROVINCE_SI, "province", "湖南省", 1),
        (HONGJIANG, "district", "洪江区", 1),
    ])
    parent = one(wh, "select parent_department from marts.dim_unit where unit_name = ?", [ANHUA])[0]
    assert parent == "安化县人力资源和社会保障局"


def test_dim_document_years_and_counts(wh):
    rows = dict(wh.execute("select file_name, report_year from marts.dim_document").fetchall())
    assert rows == {"000_179747fc3c9c0afe.txt": 2021, "001_eba2073fbc31a076.txt": 2020,
                    "002_b5b61b4d1a8e7580.txt": 2020, "003_f3935fc457b6862e.txt": 2023,
                    "004_6674a8ff95bdd177.txt": 2023}
    for n_facts, n_unmapped, fmt in wh.execute("select n_facts, n_unmapped_mentions, format from marts.dim_document").fetchall():
        assert n_facts > 10 and n_unmapped >= 0 and fmt == "txt"


def test_provincial_si_centre_expenditure(wh):
    assert expenditure(wh, PROVINCE_SI, 2023, "exp_basic") == Decimal("1445.78")
    assert expenditure(wh, PROVINCE_SI, 2023, "exp_basic", "budget_adjusted") == Decimal("1452.17")
    # salaries are printed for both budget lines: each is that line's share (a part), no whole is stated
    assert expenditure(wh, PROVINCE_SI, 2023, "exp_salaries_welfare", budget_line="basic", part="基本支出") == Decimal("1211.88")
    assert expenditure(wh, PROVINCE_SI, 2023, "exp_salaries_welfare", budget_line="project", part="项目支出") == Decimal("66.09")
    assert expenditure(wh, PROVINCE_SI, 2023, "exp_project", "budget_adjusted") == Decimal("364.83")
    # 三公: the 2023 table and its prior-year column
    assert expenditure(wh, PROVINCE_SI, 2023, "three_public_reception") == Decimal("1.05")
    assert expenditure(wh, PROVINCE_SI, 2022, "three_public_total") == Decimal("0.53")
    assert expenditure(wh, PROVINCE_SI, 2023, "three_public_total", "budget_initial") == Decimal("3")


def test_provincial_si_centre_funds(wh):
    def fund(scheme, item, basis="actual"):
        return one(wh, """select amount_wan_yuan, stated_value, stated_uom from marts.fct_fund_balance f
                          join marts.dim_unit u using (unit_id)
                          where u.unit_name = ? and fiscal_year = 2023 and scheme_code = ? and item_code = ? and basis = ?""",
                   [PROVINCE_SI, scheme, item, basis])
    assert fund("enterprise_pension", "fund_income_total") == (Decimal("15443900"), Decimal("1544.39"), "亿元")
    assert fund("enterprise_pension", "fund_income_total", "budget_initial")[0] == Decimal("14531700")
    assert fund("enterprise_pension", "fund_closing_balance")[0] == Decimal("17943200")
    assert fund("work_injury", "fund_surplus")[0] == Decimal("-39400")
    assert fund("work_injury", "fund_opening_balance")[0] == Decimal("833700")
    assert fund("work_injury", "fund_closing_balance")[0] == Decimal("794300")
    assert fund("work_injury", "fund_premium_income")[0] == Decimal("485000")


def test_provincial_si_centre_enrollment_and_staff(wh):
    value = one(wh, """select value from marts.fct_enrollment f join marts.dim_unit u using (unit_id)
                       where u.unit_name = ? and fiscal_year = 2023 and scheme_code = 'enterprise_pension'
                         and measure_code = 'insured_persons' and status = 'all'""", [PROVINCE_SI])[0]
    assert value == 17335800
    staff = dict(wh.execute("""select item_code || '/' || post_type, value from marts.fct_staffing f
                               join marts.dim_unit u using (unit_id)
                               where u.unit_name = ? and fund_part = '' and sub_unit = ''""", [PROVINCE_SI]).fetchall())
    assert staff == {"actual_staff/all": 57, "authorized_posts/institution": 63}


def test_anhua_enrollment_by_scheme_and_status(wh):
    rows = {(s, m, st): v for s, m, st, v in wh.execute("""
        select scheme_code, measure_code, status, value from marts.fct_enrollment f join marts.dim_unit u using (unit_id)
        where u.unit_name = ? and fiscal_year = 2020""", [ANHUA]).fetchall()}
    assert rows[("enterprise_pension", "insured_persons", "all")] == 72315
    assert rows[("enterprise_pension", "insured_persons", "retired")] == 21600
    assert rows[("enterprise_pension", "insured_persons", "active")] == 50715
    assert rows[("institution_pension", "insured_persons", "all")] == 28611
    assert rows[("resident_pension", "insured_persons", "all")] == 654324
    assert rows[("all", "insured_persons", "all")] == 755250
    assert rows[("all", "insured_employers", "all")] == 1092


def test_anhua_funds_staff_and_spending(wh):
    collected = one(wh, """select amount_wan_yuan from marts.fct_fund_balance f join marts.dim_unit u using (unit_id)
                           where u.unit_name = ? and scheme_code = 'enterprise_pension' and item_code = 'contributions_collected'
                             and basis = 'actual'""",
                    [ANHUA])[0]
    assert collected == Decimal("34215")
    paid = one(wh, """select amount_wan_yuan from marts.fct_fund_balance f join marts.dim_unit u using (unit_id)
                      where u.unit_name = ? and scheme_code = 'all' and item_code = 'benefits_paid'""", [ANHUA])[0]
    assert paid == Decimal("131876")
    staff = dict(wh.execute("""select item_code || '/' || post_type, value from marts.fct_staffing f
                               join marts.dim_unit u using (unit_id) where u.unit_name = ?""", [ANHUA]).fetchall())
    assert staff["authorized_posts/all"] == 47
    assert staff["authorized_posts/administrative"] == 18
    assert staff["authorized_posts/institution"] == 29
    assert staff["actual_staff/all"] == 47
    assert expenditure(wh, ANHUA, 2020, "exp_basic") == Decimal("772.27")
    assert expenditure(wh, ANHUA, 2020, "exp_personnel", budget_line="basic") == Decimal("631.73")
    assert expenditure(wh, ANHUA, 2020, "exp_public_operating", budget_line="basic") == Decimal("140.54")


def test_pension_centre_two_years_one_unit(wh):
    assert expenditure(wh, PENSION, 2021, "exp_total") == Decimal("276.42")
    assert expenditure(wh, PENSION, 2020, "exp_total") == Decimal("272.08")
    assert expenditure(wh, PENSION, 2019, "three_public_total") == Decimal("0.86")
    assert expenditure(wh, PENSION, 2020, "three_public_total") == Decimal("1.47")
    assert expenditure(wh, PENSION, 2021, "exp_goods_services", budget_line="basic") == Decimal("22.21")
    assert expenditure(wh, PENSION, 2020, "exp_goods_services", budget_line="basic") == Decimal("23.11")
    assert expenditure(wh, PENSION, 2020, "exp_project", project="") == Decimal("46.85")
    assert expenditure(wh, PENSION, 2020, "exp_project", budget_line="project", project="业务工作经费") == Decimal("46.85")
    income = one(wh, """select amount_wan_yuan from marts.fct_income f join marts.dim_unit u using (unit_id)
                        where u.unit_name = ? and fiscal_year = 2021 and item_code = 'income_total'""", [PENSION])[0]
    assert income == Decimal("254.83")
    fund = one(wh, """select amount_wan_yuan, scope from marts.fct_fund_balance f join marts.dim_unit u using (unit_id)
                      where u.unit_name = ? and fiscal_year = 2021 and scheme_code = 'resident_pension'
                        and item_code = 'fund_income_total'""", [PENSION])
    assert fund == (Decimal("2259300"), "全省")


def test_pension_centre_budget_and_evaluations(wh):
    budget = one(wh, """select budget_initial_wan_yuan, budget_adjusted_wan_yuan, actual_wan_yuan, execution_rate,
                               stated_execution_rate, weight, score
                        from marts.fct_budget f join marts.dim_unit u using (unit_id)
                        where u.unit_name = ? and fiscal_year = 2020 and budget_line = 'all' and fund_source = 'all'
                          and item_code = 'exp_total'""",
                 [PENSION])
    assert budget == (Decimal("206.42"), Decimal("303.64"), Decimal("272.08"), Decimal("89.61"), 90.0, 10.0, 6.0)
    carry = one(wh, """select budget_adjusted_wan_yuan, actual_wan_yuan from marts.fct_budget f
                       where project_name = '业务工作经费' and fund_source = 'prior_carryover'""", [])
    assert carry == (Decimal("26.51"), Decimal("26.51"))
    evaluations = {(e, p): (t, s, w) for e, p, t, s, w in wh.execute("""
        select evaluation, project_name, stated_total_score, sum_of_scores, sum_of_weights
        from marts.fct_evaluation f join marts.dim_unit u using (unit_id) where u.unit_name = ?""", [PENSION]).fetchall()}
    assert evaluations[("overall", "")] == (94.0, 95.0, 100.0)  # the printed 总分 94 disagrees with its scores
    assert evaluations[("project", "业务工作经费")] == (89.0, 89.0, 100.0)


def test_hongjiang_staff_scores_and_spending(wh):
    staff = one(wh, """select value, source_kind from marts.fct_staffing f join marts.dim_unit u using (unit_id)
                       where u.unit_name = ? and item_code = 'actual_staff' and post_type = 'all'""", [HONGJIANG])
    assert staff[0] == 16
    row = one(wh, """select level1, level2, weight, score, target_value, actual_value from marts.fct_performance_score f
                     join marts.dim_unit u using (unit_id) where u.unit_name = ? and indicator = '资金使用合规率'""",
              [HONGJIANG])
    assert row == ("产出指标", "质量指标", 10.0, 10.0, "100%", "100%")
    n = one(wh, """select count(*) from marts.fct_performance_score f join marts.dim_unit u using (unit_id)
                   where u.unit_name = ?""", [HONGJIANG])[0]
    assert n == 10  # nine indicators and the 年度资金总额 execution row
    ev = one(wh, """select stated_total_score, grade, grade_source from marts.fct_evaluation f join marts.dim_unit u using (unit_id)
                    where u.unit_name = ?""", [HONGJIANG])
    assert ev == (100.0, "优", "printed")
    assert expenditure(wh, HONGJIANG, 2023, "exp_total") == Decimal("351.25")
    assert expenditure(wh, HONGJIANG, 2023, "exp_basic") == Decimal("201.98")
    assert expenditure(wh, HONGJIANG, 2023, "exp_salaries_welfare", budget_line="basic") == Decimal("193.68")
    projects = dict(wh.execute("""select project_name, amount_wan_yuan from marts.fct_expenditure f join marts.dim_unit u using (unit_id)
                                  where u.unit_name = ? and budget_line = 'project' and basis = 'actual'""", [HONGJIANG]).fetchall())
    assert projects == {"劳动保障监察": Decimal("1.93"), "社会保险经办机构": Decimal("87.34"), "公益性岗位补贴": Decimal("16.86")}
    fund_all = one(wh, """select amount_wan_yuan from marts.fct_fund_balance f join marts.dim_unit u using (unit_id)
                          where u.unit_name = ? and scheme_code = 'all' and item_code = 'fund_income_total'""", [HONGJIANG])[0]
    assert fund_all == Decimal("15300")


@pytest.mark.parametrize("mart", ["fct_expenditure", "fct_income", "fct_budget", "fct_enrollment", "fct_fund_balance",
                                  "fct_staffing", "fct_performance_score", "fct_evaluation"])
def test_provenance_leads_back_to_the_stated_text(wh, mart):
    """Every fact row names a document and line whose text contains the figure as printed."""
    value_col = {"fct_budget": "coalesce(actual_wan_yuan, budget_adjusted_wan_yuan, budget_initial_wan_yuan)",
                 "fct_performance_score": "coalesce(score, weight)",
                 "fct_evaluation": "coalesce(stated_total_score, sum_of_scores)"}.get(mart, "stated_value")
    rows = wh.execute(f"""
        select f.document_id, f.source_line, f.source_kind, f.source_text, {value_col} as v, l.normalised_text,
               l.original_text
        from marts.{mart} f
        join staging.stg_raw__lines l on l.document_id = f.document_id and l.source_line = f.source_line""").fetchall()
    n_facts = wh.execute(f"select count(*) from marts.{mart}").fetchone()[0]
    assert len(rows) == n_facts > 0, "every fact joins to its source line"
    for document_id, line, kind, text, value, normalised, original in rows:
        assert kind in ("narrative", "table")
        assert text, (document_id, line)
        if value is None:
            continue
        printed = f"{float(value):f}".rstrip("0").rstrip(".")
        digits = printed.lstrip("-").split(".")[0]
        assert digits in text.replace(",", ""), (mart, document_id, line, printed, text)
        if kind == "narrative":
            # the line itself holds the start of the sentence's figure or the sentence continues onto it
            assert normalised.strip(), (document_id, line)
