-- conflicting_values / one_amount_two_sources: one report prints the same amount of the same item, year,
-- basis and project as money from two sources that exclude each other (98.6万元 "自治区下达" in one
-- paragraph, "地方资金" beside "其他资金" in the next is fine, but 859.6万元 as both 地方匹配 and 其他资金
-- is not). Sources exclude each other when they are of one family of seed fund_sources and neither is
-- the other's parent (省级 is part of 地方). An amount of fewer than three significant digits (100, 50)
-- can recur by chance and is not compared, and an even split (中央、地方各123.5万元, repeated) is no
-- conflict: one of the two sources must also be printed with another amount for the same money.
with figures as (
    select *,
        length({{ trim_right(trim_left("replace(" ~ trim_right(trim_right(fixed_6("value"), "'0'"), "'.'") ~ ", '.', '')", "'0'"), "'0'") }}) as significant_digits
    from {{ ref('int_dq_figures') }}
    where fund_source not in ('all', '') and value > 0
),

sources as (
    select code, coalesce(parent_code, '') as parent_code, family from {{ ref('fund_sources') }}
),

pairs as (
    select
        a.document_id, a.unit_id, a.fiscal_year, a.subject, a.item_code, a.basis, a.project_name, a.value, a.value_unit,
        a.fund_source as source_a, b.fund_source as source_b,
        a.source_line as line_a, b.source_line as line_b,
        a.figure_id as figure_a, b.figure_id as figure_b, a.half_unit,
        o.fund_source as source_o, o.value as value_o, o.half_unit as half_o, o.source_line as line_o
    from figures as a
    join figures as b
        on b.document_id = a.document_id and b.subject = a.subject and b.item_code = a.item_code
       and b.fiscal_year = a.fiscal_year and b.basis = a.basis and b.project_name = a.project_name
       and b.value = a.value and b.fund_source > a.fund_source
    join sources as sa on sa.code = a.fund_source
    join sources as sb on sb.code = b.fund_source
    -- the same source printed with another amount for the same money (what makes the labels conflict)
    join figures as o
        on o.document_id = a.document_id and o.subject = a.subject and o.item_code = a.item_code
       and o.fiscal_year = a.fiscal_year and o.basis = a.basis and o.project_name = a.project_name
       and o.fund_source in (a.fund_source, b.fund_source) and abs(o.value - a.value) > o.half_unit + a.half_unit
    where a.significant_digits >= 3
      and sa.family = sb.family and sa.parent_code <> sb.code and sb.parent_code <> sa.code
    qualify row_number() over (
        partition by a.document_id, a.subject, a.item_code, a.fiscal_year, a.basis, a.project_name, a.value, a.fund_source, b.fund_source
        order by a.source_line, b.source_line, o.source_line, a.figure_id, b.figure_id, o.figure_id
    ) = 1
)

select
    {{ surrogate_key(["'one_amount_two_sources'", 'figure_a', 'figure_b']) }} as check_id,
    'conflicting_values' as check_code,
    'one_amount_two_sources' as rule_code,
    'flag' as status,
    'warning' as severity,
    unit_id,
    fiscal_year,
    subject,
    {{ list_of(["item_code"]) }} as item_codes,
    -- the source printed twice: its other amount is expected, this one observed
    try_cast(value_o as decimal(38, 6)) as expected_value,
    try_cast(value as decimal(38, 6)) as observed_value,
    try_cast(value - value_o as decimal(38, 6)) as difference,
    try_cast(half_unit + half_o as decimal(38, 6)) as tolerance,
    value_unit,
    '同一金额标为两个互斥的资金来源：' || item_code || ' ' || {{ dq_fmt('value') }} || value_unit || ' 第' || line_a || '行为 '
        || source_a || '，第' || line_b || '行为 ' || source_b || '。 One amount labelled with two sources that exclude each other: '
        || item_code || ' ' || {{ dq_fmt('value') }} || ' ' || value_unit || ' is ' || source_a || ' on line ' || line_a
        || ' and ' || source_b || ' on line ' || line_b || '.'
        || ' 另第' || line_o || '行 ' || source_o || ' 为 ' || {{ dq_fmt('value_o') }} || '。 Line ' || line_o || ' gives '
        || source_o || ' as ' || {{ dq_fmt('value_o') }} || '.' as message,
    {{ list_of(["document_id"]) }} as document_ids,
    {{ list_map(list_sorted(list_dedupe(list_of(["line_a", "line_b", "line_o"]))), "x -> document_id || ':' || cast(x as string)") }} as source_lines
from pairs
