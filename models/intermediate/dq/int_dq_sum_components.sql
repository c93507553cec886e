-- sum_components: a stated total against the sum of its components, one rule of seed dq_sum_rules at
-- a time, within one report (the figures a report states about itself). One check per distinct
-- total value a report prints (the same total printed twice with two values is checked twice).
-- Each component slot takes the statement nearest the total (same kind — prose or table — first);
-- a component printed as a 其中 of another listed component is not added twice. A partial rule
-- (prose lists only some lines) flags only components exceeding the total.
-- Tolerance = the total's half unit + each component's half unit (interval arithmetic for a sum).
-- int_dq_sum_totals is read by name in each branch, not through one shared CTE:
-- the database copies a CTE read more than once whole, where each read of a table takes only
-- its own columns and rows
with rules as (
    select * from {{ ref('int_dq_sum_rules') }} where check_code = 'sum_components'
),

labels as (
    select code, label_zh from {{ ref('glossary_items') }}
),

component_specs as (
    select rule_code, {{ trim_left("spec", "'-'") }} as component_code,
           case when {{ starts_with("spec", "'-'") }} then -1 else 1 end as sign
    from (select *, {{ explode(split_to_list("component_codes", "'|'")) }} as spec from rules)
),

rule_components as (
    select
        s.rule_code,
        s.sign,
        coalesce(r.component_dim_fund_source = '*', false) as by_fund_source,
        coalesce(r.component_dim_sub_unit = '*', false) as by_sub_unit,
        f.*,
        {{ dq_values_of('r.match_key_', 'f.', "'∅'") }} as match_key,
        f.item_code || '|' || {{ dq_values_of('r.breakdown_', 'f.') }} as slot
    from component_specs as s
    join rules as r on r.rule_code = s.rule_code
    join {{ ref('int_dq_figures') }} as f on f.subject = r.subject and f.item_code = s.component_code
    where {{ dq_constraints_met('r.component_dim_', 'f.') }}
),

paired as (
    select
        t.total_key,
        c.slot,
        c.sign,
        c.item_code,
        c.parent_item_code,
        c.by_fund_source,
        c.fund_source,
        c.value,
        c.half_unit,
        c.document_id,
        c.source_line,
        c.figure_id
    from {{ ref('int_dq_sum_totals') }} as t
    join rule_components as c
        on c.rule_code = t.rule_code and c.document_id = t.document_id and c.match_key = t.match_key
       and c.figure_id <> t.figure_id
       -- a sub-fund's lines add up to the sub-fund, not to the whole; a breakdown by source names its
       -- parts by their source words (中央资金, 地方配套), which is what the rule adds up
       and (c.fund_part = t.fund_part or (c.by_fund_source and t.fund_part = '')
            or (c.by_sub_unit and t.fund_part = '' and c.fund_part = c.sub_unit))
       -- a sub-unit's lines add up to the sub-unit; a breakdown by sub-unit adds the sub-units to the whole
       and (c.sub_unit = t.sub_unit or (c.by_sub_unit and t.sub_unit = ''))
    qualify row_number() over (
        partition by t.total_key, c.slot
        order by (c.source_kind = t.source_kind) desc, abs(c.source_line - t.source_line), c.source_line, c.mention_id, c.figure_id
    ) = 1
),

glossary_parents as (
    select code, parent_code from {{ ref('glossary_items') }} where parent_code is not null
),

source_parents as (
    select code, parent_code from {{ ref('fund_sources') }} where coalesce(parent_code, '') <> ''
),

components as (
    -- drop a 其中 item of another listed component (counted inside it already), and a component whose
    -- glossary parent is also listed (工伤保险待遇支出 is part of 社会保险待遇支出)
    -- — and, in a breakdown by source, a level inside another listed one (省级 within 地方资金)
    select p.*
    from paired as p
    left join glossary_parents as g on g.code = p.item_code
    left join source_parents as sp on sp.code = p.fund_source
    where not exists (
        select 1 from paired as q
        where q.total_key = p.total_key and q.item_code = p.parent_item_code and q.item_code <> p.item_code
    )
      and not exists (
        select 1 from paired as q
        where q.total_key = p.total_key and q.item_code = g.parent_code
    )
      and not (p.by_fund_source and exists (
        select 1 from paired as q
        where q.total_key = p.total_key and q.fund_source = sp.parent_code
    ))
),

summed as (
    select
        total_key,
        count(*) as n_components,
        sum(sign * value) as component_sum,
        sum(half_unit) as component_half_units,
        {{ list_agg("item_code", order_by=["item_code"], distinct=true) }} as component_codes,
        {{ list_agg("source_line", order_by=["source_line"]) }} as component_lines
    from components
    group by total_key
),

evaluated as (
    -- min_components comes with the total: compared with the rules' column here, DuckDB paired every sum with
    -- every rule first (a nested loop of #sums × #rules rows); the rule's texts join last, once per check
    select
        t.*,
        r.partial_components,
        r.severity,
        r.description_zh,
        r.description_en,
        s.n_components,
        s.component_sum,
        s.component_codes,
        s.component_lines,
        t.value - s.component_sum as difference,
        t.half_unit + s.component_half_units as tolerance
    from {{ ref('int_dq_sum_totals') }} as t
    join summed as s on s.total_key = t.total_key
    join rules as r on r.rule_code = t.rule_code
    where s.n_components >= t.min_components
),

checked as (
    select
        *,
        coalesce((partial_components and difference >= -tolerance)
                 or (not partial_components and abs(difference) <= tolerance), false) as consistent
    from evaluated
),

component_texts as (
    -- the components spelled out (+工资福利支出 120.5 …) for the message of a total that does not add up:
    -- only those, as this ordered text is the dearest aggregate of the model
    select
        c.total_key,
        {{ string_agg_ordered("case when sign < 0 then '−' else '+' end || coalesce(l.label_zh, c.item_code)
                   || case when c.slot <> c.item_code || '|' then '[' || split_part(c.slot, '|', 2) || ']' else '' end
                   || ' ' || " ~ dq_fmt('c.value'), "' '", "c.source_line, c.item_code, c.slot") }} as component_text
    from components as c
    join checked as k on k.total_key = c.total_key and not k.consistent
    left join labels as l on l.code = c.item_code
    group by c.total_key
)

select
    {{ surrogate_key(["'sum_components'", 'k.total_key']) }} as check_id,
    'sum_components' as check_code,
    rule_code,
    case when consistent then 'pass' else 'flag' end as status,
    severity,
    unit_id,
    fiscal_year,
    subject,
    {{ list_of(["item_code"]) }} || {{ list_keep("component_codes", "x -> x <> item_code") }} as item_codes,
    try_cast(component_sum as decimal(38, 6)) as expected_value,
    try_cast(value as decimal(38, 6)) as observed_value,
    try_cast(difference as decimal(38, 6)) as difference,
    try_cast(tolerance as decimal(38, 6)) as tolerance,
    value_unit,
    case
        when consistent
        then '合计与分项一致（' || description_zh || '）：' || {{ dq_fmt('value') }} || ' vs ' || {{ dq_fmt('component_sum') }}
             || '，差 ' || {{ dq_fmt('difference') }} || '，容差 ±' || {{ dq_fmt('tolerance') }} || value_unit
             || (case when partial_components and difference > tolerance then '（分项可能不全）' else '' end)
             || '。 Consistent (' || description_en || '): ' || {{ dq_fmt('value') }} || ' vs ' || {{ dq_fmt('component_sum') }}
             || ', difference ' || {{ dq_fmt('difference') }} || ', tolerance ±' || {{ dq_fmt('tolerance') }} || ' ' || value_unit || '.'
        else '合计与分项之和不符（' || description_zh || '）：合计 ' || {{ dq_fmt('value') }} || value_unit
             || '，分项之和 ' || {{ dq_fmt('component_sum') }} || '（' || component_text || '），差 '
             || {{ dq_fmt('difference') }} || '，超出打印精度容差 ±' || {{ dq_fmt('tolerance') }} || '。 '
             || 'Components do not add up (' || description_en || '): stated ' || {{ dq_fmt('value') }} || ' ' || value_unit
             || ', components sum to ' || {{ dq_fmt('component_sum') }} || ', difference ' || {{ dq_fmt('difference') }}
             || ' exceeds the printed-precision tolerance ±' || {{ dq_fmt('tolerance') }} || '.'
    end as message,
    {{ list_of(["document_id"]) }} as document_ids,
    {{ list_map(list_sorted(list_dedupe(list_of(["source_line"]) ~ " || component_lines")), "x -> document_id || ':' || cast(x as string)") }} as source_lines,
    basis,
    n_components,
    source_text
from checked as k
left join component_texts as ct on ct.total_key = k.total_key
