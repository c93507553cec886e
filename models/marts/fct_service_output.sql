-- What a unit delivered (glossary domain service_output: 城镇新增就业, 失业人员再就业 …) and its count of
-- projects, by fiscal year, measure and basis (actual, or target: 年度指标值), parts kept apart.
select
    fact_id,
    unit_id,
    fiscal_year,
    item_code as measure_code,
    basis,
    fund_part,
    sub_unit,
    value_persons as value,
    stated_value,
    stated_uom,
    {{ fact_provenance_columns() }}
from {{ ref('int_facts_chosen') }}
where subject = 'service_output'
