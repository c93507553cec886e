"""The judging rule of ``jixiao eval`` (../shared/dev_corpus/README.md), on synthetic mart rows."""

from collections import defaultdict
from decimal import Decimal

import pytest

from jixiao.evaluate import MartRows, judge_fact, names_part, rates, summarise


def marts_with(rows_by_mart: dict[str, list[dict]]) -> MartRows:
    marts = MartRows.__new__(MartRows)
    marts.rows, marts.present = defaultdict(list), set(rows_by_mart)
    for mart, rows in rows_by_mart.items():
        for row in rows:
            marts.rows[(mart, row["unit_id"], row["fiscal_year"])].append(row)
    return marts


def exp_row(value, **parts):
    row = dict(unit_id="u1", fiscal_year=2023, item_code="exp_project", basis="actual", budget_line="project",
               project_name="", sub_unit="", fund_part="", amount_wan_yuan=Decimal(str(value)))
    row.update(parts)
    return row


def fact(value, **extra):
    base = dict(doc="x.txt", fiscal_year=2023, fact="exp_project", basis="actual", value=value, uom="wan_yuan")
    base.update(extra)
    return base


def test_whole_unit_fact_counts_only_on_the_whole_row():
    marts = marts_with({"fct_expenditure": [exp_row(12.5, project_name="某项目")]})
    assert judge_fact(marts, fact(12.5), "u1").status == "missing"
    marts = marts_with({"fct_expenditure": [exp_row(12.5)]})
    assert judge_fact(marts, fact(12.5), "u1").status == "found"
    assert judge_fact(marts, fact(12.6), "u1").status == "wrong"


def test_a_parts_value_on_the_whole_row_is_misplaced():
    marts = marts_with({"fct_expenditure": [exp_row(5079.16)]})
    outcome = judge_fact(marts, fact(5079.16, scope="磴口县", scope_kind="sub_unit"), "u1")
    assert outcome.status == "misplaced"


def test_a_part_is_found_on_a_row_naming_it_loosely_and_in_traditional_script():
    marts = marts_with({"fct_expenditure": [exp_row(1384.06, project_name="城乡医疗救助补助资金")]})
    outcome = judge_fact(marts, fact(1384.06, scope="城鄉醫療救助補助資金", scope_kind="project"), "u1")
    assert outcome.status == "found"


def test_a_project_total_may_sit_in_fct_budget_in_the_column_of_its_basis():
    budget = dict(unit_id="u1", fiscal_year=2023, project_name="暖通改造经费", sub_unit="", fund_part="", fund_source="all",
                  budget_initial_wan_yuan=Decimal("43.2"), budget_adjusted_wan_yuan=None, actual_wan_yuan=Decimal("37.24"))
    marts = marts_with({"fct_budget": [budget]})
    assert judge_fact(marts, fact(37.24, scope="暖通改造经费", scope_kind="project"), "u1").status == "found"
    assert judge_fact(marts, fact(43.2, basis="budget_initial", scope="暖通改造经费", scope_kind="project"),
                      "u1").status == "found"


def test_free_note_scope_without_kind_accepts_any_row_of_the_key():
    marts = marts_with({"fct_expenditure": [exp_row(30.5, project_name="某补助资金")]})
    assert judge_fact(marts, fact(30.5, scope="某补助资金"), "u1").status == "found"


def test_value_tolerance_is_half_the_last_printed_digit_after_unit_conversion():
    marts = marts_with({"fct_expenditure": [exp_row(1.53)]})
    assert judge_fact(marts, fact(15300, uom="yuan"), "u1").status == "found"  # 15300元 = 1.53万元
    assert judge_fact(marts, fact(15400, uom="yuan"), "u1").status == "wrong"
    marts = marts_with({"fct_expenditure": [exp_row(15300)]})
    assert judge_fact(marts, fact(1.53, uom="yi_yuan"), "u1").status == "found"
    assert judge_fact(marts, fact(1.54, uom="yi_yuan"), "u1").status == "wrong"


def test_indicator_scores_match_the_indicator_name_and_the_project():
    row = dict(unit_id="u1", fiscal_year=2023, project_name="暖通改造经费", sub_unit="", fund_part="",
               indicator="工程完工率", weight=10.0, score=9.0, target_value="100%", actual_value="≥95%")
    marts = marts_with({"fct_performance_score": [row]})
    weight = fact(10, **{"fact": "eval_indicator_weight", "basis": "target", "uom": "points",
                                   "indicator": "产出指标/质量指标/工程完工率", "scope": "暖通改造经费",
                                   "scope_kind": "project"})
    assert judge_fact(marts, weight, "u1").status == "found"
    other = dict(weight, indicator="产出指标/质量指标/验收合格率")
    assert judge_fact(marts, other, "u1").status == "missing"
    rate = fact(95, **{"fact": "completion_rate", "uom": "percent", "scope": "暖通改造经费", "scope_kind": "project"})
    assert judge_fact(marts, rate, "u1").status == "found"  # '≥95%' holds 95


def test_unknown_document_is_missing_and_counts_summarise():
    marts = marts_with({})
    outcome = judge_fact(marts, fact(1), None)
    assert outcome.status == "missing"
    n, recall, bad = rates(summarise([outcome])["overall"])
    assert (n, recall, bad) == (1, 0.0, 0.0)


@pytest.mark.parametrize("column,printed,expected", [
    ("磴口县", "磴口县", True), ("当年财政拨款", "当年财政拨款(暖通改造经费)", True), ("", "局本级", False),
    ("局本级", "环卫处", False),
])
def test_names_part(column, printed, expected):
    assert names_part(column, printed) is expected
