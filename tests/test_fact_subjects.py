"""Whose figure is it: small invented reports built end to end, for the mart rules that decide
whether a figure is the unit's (or the scheme's) own or a group's within it."""

from __future__ import annotations

import duckdb
import pytest

from conftest import build_invented_reports

REPORTS = {
    # a count named only by its scheme is the scheme's insured; a label with words of its own beside
    # the scheme (享受…待遇, …代发人员) names a group within it and is no insured total
    "scheme_counts.txt": """甲省社会保险服务中心2023年度部门整体支出绩效自评报告
一、主要绩效
截至12月,全省企业职工养老保险1733.58万人,工伤保险参保994.68万人。
全省享受工伤保险待遇14.36万人。
全省共有矿区城乡居保代发人员1033人,补缴人员66人。
""",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    db = build_invented_reports(tmp_path_factory.mktemp("fact_subjects"), REPORTS)
    con = duckdb.connect(str(db), read_only=True)
    yield con
    con.close()


def test_a_count_named_only_by_its_scheme_is_the_schemes_insured(built):
    rows = built.execute("""select scheme_code, value from marts.fct_enrollment
                            where measure_code = 'insured_persons' order by 1""").fetchall()
    assert ("enterprise_pension", 17335800) in rows and ("work_injury", 9946800) in rows


def test_a_group_within_a_scheme_is_not_its_insured(built):
    values = {v for (v,) in built.execute("select value from marts.fct_enrollment where measure_code = 'insured_persons'").fetchall()}
    assert not values & {143600, 1033, 66}
