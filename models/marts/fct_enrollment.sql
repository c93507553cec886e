-- Insurance coverage: persons (and employers) by unit, fiscal year, scheme, measure and status.
select
    fact_id,
    unit_id,
    fiscal_year,
    scheme_code,
    item_code as measure_code,
    status,
    basis,
    fund_part,
    value_persons as value,
    stated_value,
    stated_uom,
    scope,
    sub_unit,
    {{ fact_provenance_columns() }}
from {{ ref('int_facts_chosen') }}
where subject = 'enrollment'
