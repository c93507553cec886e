"""Data-quality checks on parts and wholes (issue 12), each on a small invented report: 其中 parts
exceeding their whole, a grand total short of its lines, parts by source adding up, one amount under
two exclusive sources, a rate printed for 0/0, a named execution rate against the report's budget
and outturn, and the change of a total against its components' changes."""

from __future__ import annotations

import pytest

from conftest import build_invented_reports
from test_dq_checks import checks

REPORTS = {
    # 其中 parts above their whole (the carry-over is outside 收入)
    "a_parts.txt": """甲县社会保险服务中心2023年度部门决算说明
一、收入支出情况
2023年收入300.00万元。其中财政拨款收入300.00万元，上年结转结余5.00万元。
2023年支出305.00万元，其中：工资福利支出200.00万元，商品和服务支出100.00万元。
""",
    # the grand total short of its lines (收入总计 printed as the year's income alone)
    "e_grand.txt": """戊县卫生院2023年度部门决算说明
一、收入决算情况
2023年度收入总计415.30万元，其中：
1.财政拨款收入364.50万元。
2.事业收入50.80万元。
3.上年结转和结余15.00万元。
""",
    # a project's money by government level, printed twice with one amount relabelled; a named rate
    "b_sources.txt": """乙县优抚对象生活补助经费项目支出绩效自评报告
一、项目基本情况
2023年收到中央下达补助资金1372.7万元，自治区下达98.6万元，地方匹配859.6万元。
二、项目资金使用情况
2023年收到财政资金共2330.9万元，其中：中央资金1372.7万元，地方资金98.6万元，其他资金859.6万元。2023年支出2310.4万元。
三、绩效指标完成情况
经费发放率为98%。
""",
    # a self-evaluation funding table with a 0/0 row printed as 100%
    "c_zero.txt": """丙县医疗救助补助资金项目绩效目标自评表
(2023年度) | | | |
资金投入情况(万元) | 全年预算数(A) | 全年执行数(B) | 预算执行率(B/A×100%) |
年度资金总额: | 3300.5万 | 3300.5万 | 100% |
其中:中央财政资金 | 800.3万 | 800.3万 | 100% |
彩票公益金 | 0 | 0 | 100% |
地方资金 | 2500.2万 | 2500.2万 | 100% |
""",
    # the change of the total against the changes of basic and project spending
    "d_change.txt": """丁县就业服务中心2023年部门预算说明
一、支出预算情况
2023年一般公共预算财政拨款支出150.00万元，比2022年增加13.40万元。其中：基本支出132.00万元，比2022年减少4.70万元；项目支出18.00万元，比2022年增加18.00万元。
""",
    # dimension weights and scores against 100 and the stated total
    "f_dims.txt": """己县人力资源服务中心2023年度部门整体支出绩效自评报告
一、绩效自评结论
经自评，本单位2023年度部门整体支出绩效自评得分91分，等级为优。
二、各项指标完成情况
决策指标分值20分，得分18分；过程指标分值20分，得分19分；产出指标分值30分，得分28分；效益指标分值30分，得分27分。
""",
    # a completion rate against the item's target
    "g_target.txt": """庚县就业服务中心2023年度部门整体支出绩效自评报告
一、主要绩效
2023年城镇新增就业目标任务5000人，实际城镇新增就业5200人，完成目标任务的110%。
""",
    # counties' shares above the programme's money
    "h_sub.txt": """宜春市民政局困难群众救助补助资金项目支出绩效自评报告
一、资金使用情况
2023年宜春市困难群众救助补助资金支出8000.50万元，其中：奉新县5079.16万元，靖安县3500.20万元。
""",
}


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    return build_invented_reports(tmp_path_factory.mktemp("dq_parts"), REPORTS)


def rule(db, rule_code: str, status: str | None = None):
    where = f"rule_code = '{rule_code}'" + (f" and status = '{status}'" if status else "")
    return [(r[2], r[3], r[4]) for r in checks(db, where)]


def test_parts_above_their_whole_are_flagged(warehouse):
    # 300 其中 300 + 5: the parts exceed the whole by 5
    assert ("flag", 305.0, 300.0) in rule(warehouse, "parts_within_whole")
    # 305 其中 200 + 100: a partial list within its whole passes
    assert ("pass", 300.0, 305.0) in rule(warehouse, "parts_within_whole")


def test_grand_total_short_of_its_lines_is_flagged(warehouse):
    assert rule(warehouse, "income_grand_total_by_lines", "flag") == [("flag", 430.3, 415.3)]


def test_one_amount_under_two_exclusive_sources_is_flagged(warehouse):
    flagged = rule(warehouse, "one_amount_two_sources")
    # 859.6 is 地方匹配 (local) in one paragraph and 其他资金 in the next, where local is 98.6
    assert ("flag", 98.6, 859.6) in flagged
    # 98.6 as 自治区 (provincial) and as 地方资金 (local) is no conflict: the province is local government
    assert all(observed != 98.6 for _, _, observed in flagged)


def test_parts_by_source_add_up_without_double_counting_a_level(warehouse):
    # 中央 1372.7 + 地方 98.6 + 其他 859.6 = 2330.9: 自治区 98.6 is inside 地方, not added again
    assert ("pass", 2330.9, 2330.9) in rule(warehouse, "exp_project_by_fund_source")


def test_named_execution_rate_against_budget_and_outturn(warehouse):
    rows = rule(warehouse, "ratio_named_execution_rate")
    assert len(rows) == 1 and rows[0][0] == "flag" and rows[0][2] == 98.0
    assert abs(rows[0][1] - 100 * 2310.4 / 2330.9) < 1e-4


def test_rate_printed_for_zero_over_zero_is_flagged(warehouse):
    assert rule(warehouse, "ratio_zero_base") == [("flag", 0.0, 100.0)]
    # the 0 row is a part (彩票公益金), never the whole the sources add up to
    assert rule(warehouse, "exp_total_by_fund_source", "flag") == []


def test_change_of_a_total_against_its_components(warehouse):
    # +13.40 printed for the total; −4.70 + 18.00 = +13.30: every change is printed to the cent, so
    # the tolerance is 0.015 and the 0.10 gap is flagged
    assert rule(warehouse, "change_by_components") == [("flag", 13.3, 13.4)]


def test_dimension_weights_and_scores(warehouse):
    assert ("pass", 100.0, 100.0) in rule(warehouse, "eval_dimension_weights_100")
    # 18 + 19 + 28 + 27 = 92 against a stated 91
    assert ("flag", 92.0, 91.0) in rule(warehouse, "eval_dimension_total_score")


def test_completion_rate_against_the_target(warehouse):
    rows = rule(warehouse, "ratio_target_completion")
    assert len(rows) == 1 and rows[0][0] == "flag" and rows[0][2] == 110.0 and abs(rows[0][1] - 104.0) < 1e-6


def test_sub_units_above_the_whole(warehouse):
    flagged = rule(warehouse, "exp_project_by_sub_unit", "flag")
    assert [(round(e, 2), o) for _, e, o in flagged] == [(8579.36, 8000.5)]
