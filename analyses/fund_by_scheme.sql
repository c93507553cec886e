-- Social-insurance fund income, expenditure and balance by scheme (基金收入、支出、结余，按险种),
-- one row per unit × year × scheme × scope × fund part ('' = the whole fund; 统筹基金, 个人账户 … its parts), in 万元.
-- Runs as written: duckdb -readonly warehouse.duckdb < analyses/fund_by_scheme.sql
-- One unit: SET VARIABLE unit = '城乡居民社会养老保险'; or jixiao query --file … --unit ….
select
    u.unit_name,
    f.fiscal_year,
    f.scheme_code,
    s.label_zh as scheme_label_zh,
    f.scope,
    f.fund_part,
    max(f.amount_wan_yuan) filter (where f.item_code = 'fund_income_total') as fund_income_total,
    max(f.amount_wan_yuan) filter (where f.item_code = 'fund_premium_income') as premium_income,
    max(f.amount_wan_yuan) filter (where f.item_code = 'fund_fiscal_subsidy_income') as fiscal_subsidy_income,
    max(f.amount_wan_yuan) filter (where f.item_code = 'fund_expenditure_total') as fund_expenditure_total,
    max(f.amount_wan_yuan) filter (where f.item_code = 'fund_benefit_expenditure') as benefit_expenditure,
    max(f.amount_wan_yuan) filter (where f.item_code = 'fund_surplus') as surplus,
    max(f.amount_wan_yuan) filter (where f.item_code = 'fund_opening_balance') as opening_balance,
    max(f.amount_wan_yuan) filter (where f.item_code = 'fund_closing_balance') as closing_balance,
    max(f.amount_wan_yuan) filter (where f.item_code = 'contributions_collected') as contributions_collected,
    max(f.amount_wan_yuan) filter (where f.item_code = 'benefits_paid') as benefits_paid,
    count(*) as n_fund_facts
from marts.fct_fund_balance as f
join marts.dim_unit as u on u.unit_id = f.unit_id
left join reference.glossary_items as s
    on s.code = case f.scheme_code when 'all' then 'si_all_funds' else f.scheme_code end
where f.basis = 'actual'
  and (getvariable('unit') is null or contains(u.unit_name, getvariable('unit')))
group by all
order by u.unit_name, f.fiscal_year, f.scheme_code, f.scope
