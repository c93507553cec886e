"""marts.yoy_changes on the bundled reports: concrete pairs, prior-year columns and claim checks."""

from __future__ import annotations

from decimal import Decimal

PENSION = "湖南省城乡居民社会养老保险管理服务中心"
PROVINCE_SI = "湖南省社会保险服务中心"
HONGJIANG = "洪江区社会保险服务中心"

COLUMNS = ("value, prior_value, abs_change, pct_change, claimed_abs_change, claimed_pct_change, claim_check, "
           "document_id, source_line, prior_document_id, prior_source_line, claim_source_text")


def yoy(con, unit, year, item, budget_line="all", subject="expenditure", basis="actual"):
    rows = con.execute(f"""
        select {COLUMNS} from marts.yoy_changes y join marts.dim_unit u using (unit_id)
        where u.unit_name = ? and y.fiscal_year = ? and y.item_code = ? and y.budget_line is not distinct from ?
          and y.subject = ? and y.basis = ? and y.fund_part = '' and y.sub_unit = '' and y.fund_source = 'all'
        """, [unit, year, item, budget_line, subject, basis]).fetchall()
    assert len(rows) == 1, f"expected one row, got {rows}"
    return dict(zip([c.strip() for c in COLUMNS.split(",")], rows[0]))


def doc_year(con, document_id):
    return con.execute("select report_year from marts.dim_document where document_id = ?", [document_id]).fetchone()[0]


def test_contract_columns_present(wh):
    cols = {r[0] for r in wh.execute("select column_name from information_schema.columns "
                                     "where table_schema = 'marts' and table_name = 'yoy_changes'").fetchall()}
    contract = {"unit_id", "subject", "item_code", "scheme_code", "budget_line", "basis", "fiscal_year", "value",
                "prior_value", "abs_change", "pct_change", "claimed_abs_change", "claimed_pct_change", "claim_check",
                "document_id", "source_kind", "source_line", "source_text"}
    assert contract <= cols


def test_pension_centre_goods_and_services_claim_is_inconsistent(wh):
    # 2021: 商品和服务支出22.21万元, 比去年减少1.99万元, 下降8.23%; the 2020 report printed 23.11万元
    r = yoy(wh, PENSION, 2021, "exp_goods_services", budget_line="basic")
    assert (r["value"], r["prior_value"], r["abs_change"]) == (Decimal("22.21"), Decimal("23.11"), Decimal("-0.90"))
    assert r["claimed_abs_change"] == Decimal("-1.99") and r["claimed_pct_change"] == Decimal("-8.23")
    assert r["claim_check"] == "inconsistent"
    assert doc_year(wh, r["document_id"]) == 2021 and doc_year(wh, r["prior_document_id"]) == 2020
    assert "比去年减少1.99万元" in r["claim_source_text"]


def test_pension_centre_2020_to_2021_pairs(wh):
    total = yoy(wh, PENSION, 2021, "exp_total")
    # 276.42 − 272.08 = 4.34; the report says 4.33 and 1.59%: within printed precision (±0.005 each)
    assert (total["value"], total["prior_value"], total["abs_change"]) == (Decimal("276.42"), Decimal("272.08"), Decimal("4.34"))
    assert total["claimed_abs_change"] == Decimal("4.33") and total["claim_check"] == "consistent"
    salaries = yoy(wh, PENSION, 2021, "exp_salaries_welfare", budget_line="basic")
    assert (salaries["prior_value"], salaries["claimed_abs_change"], salaries["claim_check"]) == \
        (Decimal("202.04"), Decimal("-5.91"), "consistent")
    # 0.08 → 0.13 is a rise; the 2021 report says 减少0.05万元
    household = yoy(wh, PENSION, 2021, "exp_household_subsidies", budget_line="basic")
    assert (household["abs_change"], household["claimed_abs_change"], household["claim_check"]) == \
        (Decimal("0.05"), Decimal("-0.05"), "inconsistent")
    # income: 减少7.4万元 fits 262.23 → 254.83, but 下降2.08% does not (the change is −2.82%)
    income = yoy(wh, PENSION, 2021, "income_total", subject="income")
    assert (income["abs_change"], income["pct_change"], income["claim_check"]) == (Decimal("-7.40"), Decimal("-2.82"), "inconsistent")
    staff = yoy(wh, PENSION, 2021, "actual_staff", subject="staffing", budget_line="all")
    assert (staff["value"], staff["prior_value"], staff["claim_check"]) == (9, 10, "no_claim")


def test_prior_year_column_of_the_same_report(wh):
    # the 2020 report's 三公 table: 上年决算数 0.86 (a 2019 fact), 2020 决算数 1.47
    r = yoy(wh, PENSION, 2020, "three_public_total")
    assert (r["prior_value"], r["value"], r["abs_change"], r["pct_change"], r["claim_check"]) == \
        (Decimal("0.86"), Decimal("1.47"), Decimal("0.61"), Decimal("70.93"), "no_claim")
    assert r["document_id"] == r["prior_document_id"]
    # 项目经费支出46.85万元, 较上年减少50.67万元, 下降51.96%: 97.52 from the prior-year column
    project = yoy(wh, PENSION, 2020, "exp_project")
    assert (project["prior_value"], project["claimed_abs_change"], project["claim_check"]) == \
        (Decimal("97.52"), Decimal("-50.67"), "consistent")


def test_table_change_columns_are_claims(wh):
    # 湖南省社会保险服务中心 2023 三公 table: 本年支出 1.05 | 上年支出 0.53 | 同比变动 0.52 | 98.34%
    for item in ("three_public_total", "three_public_reception"):
        r = yoy(wh, PROVINCE_SI, 2023, item)
        assert (r["prior_value"], r["value"]) == (Decimal("0.53"), Decimal("1.05"))
        assert (r["claimed_abs_change"], r["claimed_pct_change"]) == (Decimal("0.52"), Decimal("98.34"))
        # 0.52 / 0.53 = 98.11%, but 0.53 may be 0.525..0.535: 98.34% is within the printed precision
        assert r["pct_change"] == Decimal("98.11") and r["claim_check"] == "consistent"
    zero = yoy(wh, PROVINCE_SI, 2023, "three_public_overseas")
    assert (zero["value"], zero["prior_value"], zero["claim_check"]) == (0, 0, "consistent")


def test_claim_without_prior_keeps_its_implied_prior(wh):
    row = wh.execute("""
        select claim_check, implied_prior_value from marts.yoy_changes y join marts.dim_unit u using (unit_id)
        where u.unit_name = ? and fiscal_year = 2020 and item_code = 'exp_total'""", [PENSION]).fetchone()
    assert row == ("no_prior", Decimal("300.30"))  # 272.08 + 28.22


def test_every_prior_year_column_pairs(wh):
    # every fact from a prior-year column whose series also has the report year's figure is a prior value
    missing = wh.execute("""
        with f as (
            select e.fact_id, e.unit_id, e.item_code, e.budget_line, e.project_name, e.basis, e.fiscal_year,
                   e.fund_part, e.sub_unit, e.fund_source
            from marts.fct_expenditure e join marts.dim_document d using (document_id)
            where e.fiscal_year = d.report_year - 1)
        select f.* from f
        join marts.fct_expenditure c on c.unit_id = f.unit_id and c.item_code = f.item_code
          and c.budget_line = f.budget_line and c.project_name = f.project_name and c.basis = f.basis
          and c.fund_part = f.fund_part and c.sub_unit = f.sub_unit and c.fund_source = f.fund_source
          and c.fiscal_year = f.fiscal_year + 1
        where f.fact_id not in (select prior_fact_id from marts.yoy_changes where prior_fact_id is not null)
    """).fetchall()
    assert missing == []
    n_hongjiang = wh.execute("""select count(*) from marts.yoy_changes y join marts.dim_unit u using (unit_id)
                               where u.unit_name = ? and prior_value is not null""", [HONGJIANG]).fetchone()[0]
    assert n_hongjiang >= 5


def test_claim_checks_on_the_bundled_reports(wh):
    counts = dict(wh.execute("select claim_check, count(*) from marts.yoy_changes group by 1").fetchall())
    assert counts.get("consistent", 0) >= 8 and counts.get("inconsistent", 0) >= 4
    assert counts.get("no_claim", 0) >= 15 and counts.get("no_prior", 0) >= 5
