-- Unit income by fiscal year, item (income_*, carryover_*) and basis.
select
    fact_id,
    unit_id,
    fiscal_year,
    item_code,
    basis,
    fund_part,
    amount_wan_yuan,
    stated_value,
    stated_uom,
    decimals as stated_decimals,
    sub_unit,
    {{ fact_provenance_columns() }}
from {{ ref('int_facts_chosen') }}
where subject = 'income'
