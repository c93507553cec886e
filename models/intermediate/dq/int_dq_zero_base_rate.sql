-- ratio / ratio_zero_base: an execution rate (执行率, 执行进度) printed on a table row whose every amount
-- is zero. The rate is actual / budget; with nothing budgeted and nothing spent it is undefined (0/0),
-- so a printed 100% (a template's default) states something the figures cannot give. A printed 0% or
-- a blank passes: reports use 0 for "nothing to execute". int_dq_ratio checks the rows with a base.
with mentions as (
    select * from {{ ref('stg_raw__mentions') }}
    where source_kind = 'table' and number_kind = 'value'
),

documents as (
    select document_id, unit_id, report_year from {{ ref('int_documents') }}
    where is_current and report_year is not null
),

rows_ as (
    select
        m.document_id, m.table_id, m.row_idx,
        max(m.value) filter (where m.col_role = 'execution_rate' and m.uom = '%') as rate,
        max(m.decimals) filter (where m.col_role = 'execution_rate' and m.uom = '%') as rate_decimals,
        count(*) filter (where m.uom is distinct from '%' and m.mention_role = 'level') as n_amounts,
        count(*) filter (where m.uom is distinct from '%' and m.mention_role = 'level' and m.value <> 0) as n_nonzero,
        min(m.source_line) as source_line,
        {{ list_agg("m.source_line", distinct=true) }} as lines,
        max(m.row_header) as row_header
    from mentions as m
    group by m.document_id, m.table_id, m.row_idx
)

select
    {{ surrogate_key(["'ratio_zero_base'", 'r.document_id', 'r.table_id', 'r.row_idx']) }} as check_id,
    'ratio' as check_code,
    'ratio_zero_base' as rule_code,
    case when abs(r.rate) <= 0.5 * power(10, -coalesce(r.rate_decimals, 0)) then 'pass' else 'flag' end as status,
    'warning' as severity,
    d.unit_id,
    d.report_year as fiscal_year,
    'budget' as subject,
    {{ list_of(["'execution_rate'"]) }} as item_codes,
    -- nothing spent of nothing: at most 0% was executed
    cast(0 as decimal(38, 6)) as expected_value,
    try_cast(r.rate as decimal(38, 6)) as observed_value,
    try_cast(r.rate as decimal(38, 6)) as difference,
    try_cast(0.5 * power(10, -coalesce(r.rate_decimals, 0)) as decimal(38, 6)) as tolerance,
    '%' as value_unit,
    case when abs(r.rate) <= 0.5 * power(10, -coalesce(r.rate_decimals, 0))
        then '各金额为零，执行率印 0%：' || coalesce(r.row_header, '') || '。 All amounts zero and the rate printed as 0%: '
             || coalesce(r.row_header, '') || '.'
        else '各金额为零（0/0 无从计算），执行率却印 ' || {{ dq_fmt('r.rate') }} || '%：' || coalesce(r.row_header, '')
             || '。 Every amount on the row is zero (0/0 is undefined) but the rate is printed as ' || {{ dq_fmt('r.rate') }}
             || '%: ' || coalesce(r.row_header, '') || '.'
    end as message,
    {{ list_of(["r.document_id"]) }} as document_ids,
    {{ list_map(list_sorted("r.lines"), "x -> r.document_id || ':' || cast(x as string)") }} as source_lines
from rows_ as r
join documents as d on d.document_id = r.document_id
where r.rate is not null and r.n_amounts > 0 and r.n_nonzero = 0
