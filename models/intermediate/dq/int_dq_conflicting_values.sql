-- conflicting_values: one fact (unit × subject × fiscal year × budget line × project × item × basis ×
-- scheme × status × post type — the key of int_facts_chosen) printed more than once, by one report
-- (prose vs attachment) or by two (a report and a later report's prior-year column). One check per
-- fact with two or more statements: expected = the statement int_facts_chosen keeps, observed = the
-- statement furthest from it beyond both printed precisions. Two statements agree when their
-- intervals overlap: |a − b| ≤ half_unit(a) + half_unit(b).
with figures as (
    select
        *,
        {{ surrogate_key(fact_grain()) }} as fact_key
    from {{ ref('int_dq_figures') }}
    where subject <> 'budget'
),

ranked as (
    select
        *,
        row_number() over (
            partition by fact_key
            order by {{ fact_precedence() }}
        ) as precedence,
        count(*) over (partition by fact_key) as n_statements
    from figures
),

chosen as (
    select * from ranked where precedence = 1 and n_statements > 1
),

others as (
    select
        o.fact_key,
        o.figure_id, o.mention_id, o.value, o.half_unit, o.document_id, o.source_line, o.source_kind, o.source_text,
        abs(o.value - c.value) - (o.half_unit + c.half_unit) as excess
    from ranked as o
    join chosen as c on c.fact_key = o.fact_key
    where o.precedence > 1
),

furthest as (
    select * from others
    qualify row_number() over (partition by fact_key order by excess desc, document_id, source_line, mention_id, figure_id) = 1
),

statements as (
    select
        fact_key,
        {{ list_agg("document_id", order_by=["document_id"], distinct=true) }} as document_ids,
        {{ list_agg("document_id || ':' || cast(source_line as string)", order_by=["document_id", "source_line"]) }} as source_lines,
        count(distinct value) as n_values
    from ranked
    where n_statements > 1  -- only the facts checked (chosen): the ordered lists of the rest cost most of the model
    group by fact_key
)

select
    {{ surrogate_key(["'conflicting_values'", 'c.fact_key']) }} as check_id,
    'conflicting_values' as check_code,
    case when c.document_id = o.document_id then 'conflict_within_report' else 'conflict_across_reports' end as rule_code,
    case when o.excess > 0 then 'flag' else 'pass' end as status,
    'warning' as severity,
    c.unit_id,
    c.fiscal_year,
    c.subject,
    {{ list_of(["c.item_code"]) }} as item_codes,
    try_cast(c.value as decimal(38, 6)) as expected_value,
    try_cast(o.value as decimal(38, 6)) as observed_value,
    try_cast(o.value - c.value as decimal(38, 6)) as difference,
    try_cast(c.half_unit + o.half_unit as decimal(38, 6)) as tolerance,
    c.value_unit,
    case when o.excess > 0
        then '同一数据印有不同数值：' || c.item_code || '（' || c.basis || '，' || c.fiscal_year || '年'
             || case when c.project_name <> '' then '，' || c.project_name else '' end
             || case when c.scheme_code not in ('', 'all') then '，' || c.scheme_code else '' end
             || '）采用 ' || {{ dq_fmt('c.value') }} || c.value_unit || '（' || c.source_kind || ' 第' || c.source_line || '行），另处印 '
             || {{ dq_fmt('o.value') }} || '（' || o.source_kind || ' 第' || o.source_line || '行' || case when o.document_id <> c.document_id then '，另一份报告' else '' end
             || '），差 ' || {{ dq_fmt('o.value - c.value') }} || '，超出打印精度 ±' || {{ dq_fmt('c.half_unit + o.half_unit') }} || '。 '
             || 'One fact printed with two values: ' || c.item_code || ' (' || c.basis || ', ' || c.fiscal_year || ') kept '
             || {{ dq_fmt('c.value') }} || ' ' || c.value_unit || ' (' || c.source_kind || ' line ' || c.source_line || '), elsewhere '
             || {{ dq_fmt('o.value') }} || ' (' || o.source_kind || ' line ' || o.source_line
             || case when o.document_id <> c.document_id then ', another report' else '' end || '), difference '
             || {{ dq_fmt('o.value - c.value') }} || ' beyond the printed precision ±' || {{ dq_fmt('c.half_unit + o.half_unit') }} || '.'
        else '同一数据多处印出且一致：' || c.item_code || ' ' || {{ dq_fmt('c.value') }} || c.value_unit || '（' || c.n_statements || '处）。 '
             || 'Fact printed ' || c.n_statements || ' times, all agreeing within printed precision: ' || c.item_code || ' '
             || {{ dq_fmt('c.value') }} || ' ' || c.value_unit || '.'
    end as message,
    s.document_ids,
    s.source_lines,
    c.n_statements,
    s.n_values
from chosen as c
join furthest as o on o.fact_key = c.fact_key
join statements as s on s.fact_key = c.fact_key
