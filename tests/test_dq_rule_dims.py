"""The sum rules' dimension constraints parsed once per rule (issue 13, macros/dq_macros.sql): the parsed
columns and the per-figure test they feed mean what the text form `dim=value;…` says, on invented rules and
figures (not the seed's), compiled by dbt and run on DuckDB."""

from __future__ import annotations

import os
import subprocess

import duckdb
import pytest

from conftest import PROJECT_DIR
from jixiao.dbt_runner import dbt_executable

RULES = """(values
    ('r_excl', 'scheme_code=*;scheme_code=!annuity;basis=final', 'fiscal_year|basis'),
    ('r_empty', 'project_name=;budget_line=~', ''),
    ('r_unknown', 'colour=red;basis', 'fiscal_year|shade'),
    ('r_none', null, null)
) as r(rule_code, dims, keys)"""

FIGURES = """(values
    ('f_scheme', 2023, 'final', 'pension', '', 'all'),
    ('f_annuity', 2023, 'final', 'annuity', '', 'all'),
    ('f_all', 2023, 'final', 'all', '', 'all'),
    ('f_budget', 2023, 'budget', 'pension', '', 'all'),
    ('f_project', 2022, 'final', 'pension', '乙项目', 'all')
) as f(figure_id, fiscal_year, basis, scheme_code, project_name, budget_line)"""

# every dimension dq_dim_names() knows must be a column of the figures the macros read
OTHER_DIMS = "cast(null as varchar) as status, cast(null as varchar) as post_type, cast(null as varchar) as scope, " \
             "cast(null as varchar) as fund_source, cast(null as varchar) as sub_unit"

QUERY = f"""
with rules as (
    select rule_code, dims, keys,
        {{{{ dq_constraint_columns('dims', 'c_') }}}},
        {{{{ dq_key_columns('keys', 'k_') }}}},
        {{{{ dq_breakdown_columns('dims', 'b_') }}}},
        concat_ws(' ', nullif({{{{ dq_unknown_specs('dims', ';', ';', '=[^;]*') }}}}, ''),
                  nullif({{{{ dq_unknown_specs('keys', '|', '\\\\|', '') }}}}, '')) as unknown
    from {RULES}
),
figures as (select *, {OTHER_DIMS} from {FIGURES})
select r.rule_code, f.figure_id, {{{{ dq_constraints_met('r.c_', 'f.') }}}} as met,
       {{{{ dq_values_of('r.k_', 'f.', "'∅'") }}}} as match_key, {{{{ dq_values_of('r.b_', 'f.') }}}} as slot, r.unknown
from rules as r cross join figures as f
"""


@pytest.fixture(scope="module")
def evaluated(tmp_path_factory) -> dict[tuple[str, str], tuple]:
    tmp = tmp_path_factory.mktemp("rule_dims")
    env = dict(os.environ, JIXIAO_DB=str(tmp / "w.duckdb"), DBT_SEND_ANONYMOUS_USAGE_STATS="false",
               DBT_TARGET_PATH=str(tmp / "target"), DBT_LOG_PATH=str(tmp / "logs"))
    result = subprocess.run([dbt_executable(), "--quiet", "compile", "--no-introspect", "--inline", QUERY,
                             "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR)],
                            env=env, cwd=str(PROJECT_DIR), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    rows = duckdb.sql(result.stdout).fetchall()
    return {(rule, figure): rest for rule, figure, *rest in rows}


def met(evaluated, rule: str) -> set[str]:
    return {figure for (r, figure), (ok, *_) in evaluated.items() if r == rule and ok}


def test_a_breakdown_with_an_exclusion_keeps_every_other_value_of_the_final_basis(evaluated):
    # scheme_code=* (a scheme, not 'all') and !annuity on the same dimension; basis=final equal
    assert met(evaluated, "r_excl") == {"f_scheme", "f_project"}


def test_an_empty_value_means_empty_and_a_tilde_means_anything(evaluated):
    assert met(evaluated, "r_empty") == {"f_scheme", "f_annuity", "f_all", "f_budget"}


def test_a_rule_without_constraints_takes_every_figure(evaluated):
    assert met(evaluated, "r_none") == {"f_scheme", "f_annuity", "f_all", "f_budget", "f_project"}


def test_match_keys_join_in_the_rules_order_and_a_missing_value_is_marked(evaluated):
    assert evaluated[("r_excl", "f_project")][1] == "2022|final"
    assert evaluated[("r_unknown", "f_project")][1] == "2022|∅"  # an unknown key reads as missing
    assert evaluated[("r_none", "f_project")][1] == ""


def test_the_slot_is_the_breakdown_value(evaluated):
    assert evaluated[("r_excl", "f_scheme")][2] == "pension"
    assert evaluated[("r_empty", "f_scheme")][2] == ""


def test_specs_naming_no_known_dimension_are_reported_not_dropped(evaluated):
    assert evaluated[("r_unknown", "f_scheme")][3] == "colour=red;basis shade"
    for rule in ("r_excl", "r_empty", "r_none"):
        assert evaluated[(rule, "f_scheme")][3] == "", rule
