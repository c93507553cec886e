-- Insurance coverage by scheme (参保情况，按险种): persons (and employers) by unit, year, scheme,
-- measure and status (在职/退休), with the figure as printed.
-- Runs as written: duckdb -readonly warehouse.duckdb < analyses/enrollment_by_scheme.sql
-- One unit: SET VARIABLE unit = '湖南省社会保险服务中心'; or jixiao query --file … --unit ….
select
    u.unit_name,
    e.fiscal_year,
    e.scheme_code,
    s.label_zh as scheme_label_zh,
    e.measure_code,
    m.label_zh as measure_label_zh,
    e.status,
    e.basis,
    e.value,
    e.stated_value,
    e.stated_uom,
    e.scope,
    e.fund_part,
    e.document_id,
    e.source_line,
    e.source_text
from marts.fct_enrollment as e
join marts.dim_unit as u on u.unit_id = e.unit_id
left join reference.glossary_items as s
    on s.code = case e.scheme_code when 'all' then 'si_all_funds' else e.scheme_code end
left join reference.glossary_items as m on m.code = e.measure_code
where getvariable('unit') is null or contains(u.unit_name, getvariable('unit'))
order by u.unit_name, e.fiscal_year, e.scheme_code, e.measure_code, e.status
