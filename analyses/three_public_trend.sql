-- 三公经费 trend (公务接待 / 因公出国(境) / 公务用车): budget and outturn by unit and year, with the
-- change on the year before (from marts.yoy_changes, which includes prior-year columns).
-- Runs as written: duckdb -readonly warehouse.duckdb < analyses/three_public_trend.sql
-- One unit: SET VARIABLE unit = '湖南省社会保险服务中心'; or jixiao query --file … --unit ….
with three_public as (
    select
        e.unit_id,
        e.fiscal_year,
        e.item_code,
        max(e.amount_wan_yuan) filter (where e.basis = 'budget_initial') as budget_initial_wan_yuan,
        max(e.amount_wan_yuan) filter (where e.basis = 'budget_adjusted') as budget_adjusted_wan_yuan,
        max(e.amount_wan_yuan) filter (where e.basis = 'actual') as actual_wan_yuan,
        arg_min(e.document_id, e.source_line) filter (where e.basis = 'actual') as document_id,
        min(e.source_line) filter (where e.basis = 'actual') as source_line
    from marts.fct_expenditure as e
    where e.item_code like 'three_public%' and e.project_name = '' and e.fund_part = ''
    group by all
)
select
    u.unit_name,
    t.fiscal_year,
    t.item_code,
    g.label_zh,
    t.budget_initial_wan_yuan,
    t.budget_adjusted_wan_yuan,
    t.actual_wan_yuan,
    y.prior_value as prior_actual_wan_yuan,
    y.abs_change,
    y.pct_change,
    y.claim_check,
    t.document_id,
    t.source_line
from three_public as t
join marts.dim_unit as u on u.unit_id = t.unit_id
left join reference.glossary_items as g on g.code = t.item_code
left join marts.yoy_changes as y
    on y.unit_id = t.unit_id and y.fiscal_year = t.fiscal_year and y.item_code = t.item_code
   and y.subject = 'expenditure' and y.basis = 'actual' and y.budget_line = 'all' and y.project_name = ''
where getvariable('unit') is null or contains(u.unit_name, getvariable('unit'))
order by u.unit_name, t.item_code = 'three_public_total' desc, t.item_code, t.fiscal_year
