-- Expenditure by unit, fiscal year, budget line (all/basic/project), project, item and basis:
-- the structure (基本/项目), economic classes (301 …), 三公 items and procurement.
select
    fact_id,
    unit_id,
    fiscal_year,
    budget_line,
    project_name,
    item_code,
    basis,
    fund_part,
    fund_source,
    amount_wan_yuan,
    stated_value,
    stated_uom,
    decimals as stated_decimals,
    sub_unit,
    {{ fact_provenance_columns() }}
from {{ ref('int_facts_chosen') }}
where subject = 'expenditure'
