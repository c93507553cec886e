-- One value per fact. Precedence (CONTRACT.md): the report of that year over a later report's
-- prior-year column; a table over prose; then the closer alias match; then the report nearest the
-- fiscal year, and finally document, line and candidate id — a total order, so the value never
-- depends on which other documents are loaded or in what order. Only current documents take part
-- (a superseded issue is out of the marts), and quarantined candidates (marts.quarantine) none.
-- n_sources counts every statement of the fact; n_values how many distinct values they give
-- (disagreements go to dq_checks).
with candidates as (
    select * from {{ ref('int_fact_candidates') }}
    where stated_uom is not null and is_current and quarantine_reason is null
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
            order by {{ fact_precedence() }}
        ) as precedence,
        count(*) over (partition by fact_id) as n_sources,
        {{ count_distinct_over("coalesce(amount_wan_yuan, value_persons)", "fact_id") }} as n_values
    from keyed
)

select {{ star(excluding=['precedence']) }}
from ranked
where precedence = 1
