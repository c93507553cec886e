-- Spending by economic class (按经济分类: 工资福利支出 301, 商品和服务支出 302, 对个人和家庭的补助 303 …)
-- by unit, year and budget line (基本/项目), outturn only, with each class's share of the line.
-- Runs as written: duckdb -readonly warehouse.duckdb < analyses/spending_by_economic_class.sql
-- One unit: SET VARIABLE unit = '湖南省社会保险服务中心'; or jixiao query --file … --unit ….
with classes as (
    select e.*, g.label_zh, g.label_en, g.econ_class_code
    from marts.fct_expenditure as e
    join reference.glossary_items as g on g.code = e.item_code
    where g.domain = 'econ_class' and e.basis = 'actual' and e.project_name = '' and e.fund_part = ''
)
select
    u.unit_name,
    c.fiscal_year,
    c.budget_line,
    c.econ_class_code,
    c.item_code,
    c.label_zh,
    c.label_en,
    c.amount_wan_yuan,
    round(100 * c.amount_wan_yuan / nullif(sum(c.amount_wan_yuan) over (
        partition by c.unit_id, c.fiscal_year, c.budget_line), 0), 2) as share_of_line_pct,
    c.document_id,
    c.source_line,
    c.source_text
from classes as c
join marts.dim_unit as u on u.unit_id = c.unit_id
where getvariable('unit') is null or contains(u.unit_name, getvariable('unit'))
order by u.unit_name, c.fiscal_year, c.budget_line, c.econ_class_code nulls last, c.item_code
