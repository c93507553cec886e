-- All flagged findings of a unit (数据质量问题): every failed check in marts.dq_checks, worst first,
-- with the documents and lines to look at. Uses only the contract columns of dq_checks.
-- Runs as written: duckdb -readonly warehouse.duckdb < analyses/unit_findings.sql
-- One unit: SET VARIABLE unit = '湖南省城乡居民社会养老保险管理服务中心'; or jixiao query --file … --unit ….
select
    u.unit_name,
    d.fiscal_year,
    d.check_code,
    d.severity,
    d.subject,
    d.item_codes,
    d.expected_value,
    d.observed_value,
    d.difference,
    d.tolerance,
    d.message,
    d.document_ids,
    d.source_lines,
    d.check_id
from marts.dq_checks as d
left join marts.dim_unit as u on u.unit_id = d.unit_id
where d.status = 'flag'
  and (getvariable('unit') is null or contains(coalesce(u.unit_name, ''), getvariable('unit')))
order by u.unit_name, case d.severity when 'error' then 0 when 'high' then 0 when 'warn' then 1 when 'warning' then 1 else 2 end,
         d.fiscal_year, d.check_code
