-- The unit's own posts and staff by fiscal year, item and post type.
select
    fact_id,
    unit_id,
    fiscal_year,
    item_code,
    post_type,
    basis,
    fund_part,
    value_persons as value,
    stated_value,
    stated_uom,
    sub_unit,
    {{ fact_provenance_columns() }}
from {{ ref('int_facts_chosen') }}
where subject = 'staffing'
