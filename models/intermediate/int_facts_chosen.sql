-- One value per fact. Precedence (CONTRACT.md): the report of that year over a later report's
-- prior-year column; the current issue of a report over a superseded one; a table over prose;
-- then the closer alias match and the earlier line. n_sources counts every statement of the
-- fact; n_values how many distinct values they give (disagreements go to dq_checks).
with candidates as (
    select * from {{ ref('int_fact_candidates') }}
    where stated_uom is not null
),

keyed as (
    select
        *,
        {{ surrogate_key(fact_grain()) }} as fact_id
    from candidates
),

ranked as (
    select
        *,
        row_number() over (
            partition by fact_id
            order by (fiscal_year = report_year) desc, is_current desc, (source_kind = 'table') desc, item_inherited,
                     is_equivalent, match_class desc, loaded_at desc, document_id, source_line
        ) as precedence,
        count(*) over (partition by fact_id) as n_sources,
        count(distinct coalesce(amount_wan_yuan, value_persons)) over (partition by fact_id) as n_values
    from keyed
)

select * exclude (precedence)
from ranked
where precedence = 1
