-- A unit's budget against execution by year (预算与执行). Runs as written against warehouse.duckdb:
--   duckdb -readonly warehouse.duckdb < analyses/budget_vs_execution.sql          (every unit)
--   jixiao query --file analyses/budget_vs_execution.sql --unit 城乡居民社会养老保险  (one unit)
-- To pick a unit in plain duckdb, run first: SET VARIABLE unit = '湖南省社会保险服务中心';
-- (the name may be part of the full name). execution_rate = actual ÷ (adjusted, else initial budget).
select
    u.unit_name,
    b.fiscal_year,
    b.budget_line,
    b.project_name,
    b.fund_source,
    b.budget_initial_wan_yuan,
    b.budget_adjusted_wan_yuan,
    b.actual_wan_yuan,
    b.execution_rate,
    b.stated_execution_rate,
    b.document_id,
    b.source_line,
    b.source_text
from marts.fct_budget as b
join marts.dim_unit as u on u.unit_id = b.unit_id
where getvariable('unit') is null or contains(u.unit_name, getvariable('unit'))
order by u.unit_name, b.fiscal_year, b.budget_line, b.project_name,
         case b.fund_source when 'all' then 0 else 1 end, b.fund_source
