-- Social-insurance fund figures by unit, fiscal year, scheme, item and basis, with the area covered.
select
    fact_id,
    unit_id,
    fiscal_year,
    scheme_code,
    item_code,
    basis,
    amount_wan_yuan,
    stated_value,
    stated_uom,
    decimals as stated_decimals,
    scope,
    fund_part,
    sub_unit,
    {{ fact_provenance_columns() }}
from {{ ref('int_facts_chosen') }}
where subject = 'fund'
