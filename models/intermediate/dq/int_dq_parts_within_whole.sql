-- sum_components / parts_within_whole: the parts a report breaks out of one figure with 其中 ("收入X万元，
-- 其中财政拨款Y万元、事业收入Z万元") add up to no more than that figure. 其中 means "of which": whatever
-- the items are, and whether or not the list is complete, non-negative parts cannot exceed their whole.
-- The link is the reader's (a statement's parent mention), not a glossary rule, so it holds for items
-- no sum rule names. One check per whole with at least one part of the same year, basis and unit.
-- Tolerance = the whole's half unit + each part's half unit.
with figures as (
    -- one figure per statement (a statement can feed two subjects through code equivalences), with only
    -- what pairing a part with its whole needs: this CTE is read twice, and the database copies it whole
    select figure_id, mention_key, parent_mention_key, fiscal_year, basis, value_unit, value, half_unit,
           item_code, source_line
    from {{ ref('int_dq_figures') }}
    qualify row_number() over (partition by mention_key order by figure_id) = 1
),

rule as (
    select rule_code, severity, min_components from {{ ref('dq_sum_rules') }} where rule_code = 'parts_within_whole'
),

labels as (
    select code, label_zh from {{ ref('glossary_items') }}
),

parts as (
    select
        w.figure_id as whole_id,
        p.figure_id,
        p.item_code,
        p.value,
        p.half_unit,
        p.source_line
    from figures as p
    join figures as w
        on w.mention_key = p.parent_mention_key and w.fiscal_year = p.fiscal_year and w.basis = p.basis
       and w.value_unit = p.value_unit
    where p.value >= 0 and w.value >= 0
),

summed as (
    select
        whole_id,
        count(*) as n_parts,
        sum(value) as parts_sum,
        sum(half_unit) as parts_half_units,
        {{ list_agg("item_code", order_by=["item_code"], distinct=true) }} as part_codes,
        {{ list_agg("source_line", order_by=["source_line"]) }} as part_lines,
        {{ string_agg_ordered("coalesce(l.label_zh, p.item_code) || ' ' || " ~ dq_fmt('value'), "' + '", "p.source_line, p.figure_id") }} as part_text
    from parts as p
    left join labels as l on l.code = p.item_code
    group by whole_id
),

evaluated as (
    select
        w.*,
        s.n_parts, s.parts_sum, s.part_codes, s.part_lines, s.part_text,
        w.value - s.parts_sum as difference,
        w.half_unit + s.parts_half_units as tolerance
    from summed as s
    join {{ ref('int_dq_figures') }} as w on w.figure_id = s.whole_id  -- figure_id is the table's key
)

select
    {{ surrogate_key(["'parts_within_whole'", 'figure_id']) }} as check_id,
    'sum_components' as check_code,
    r.rule_code,
    case when difference >= -tolerance then 'pass' else 'flag' end as status,
    r.severity,
    unit_id,
    fiscal_year,
    subject,
    {{ list_of(["item_code"]) }} || {{ list_keep("part_codes", "x -> x <> item_code") }} as item_codes,
    try_cast(parts_sum as decimal(38, 6)) as expected_value,
    try_cast(value as decimal(38, 6)) as observed_value,
    try_cast(difference as decimal(38, 6)) as difference,
    try_cast(tolerance as decimal(38, 6)) as tolerance,
    value_unit,
    case when difference >= -tolerance
        then '其中各项未超过总数：' || item_code || ' ' || {{ dq_fmt('value') }} || value_unit || '，其中 ' || part_text
             || '。 Parts within their whole: ' || item_code || ' ' || {{ dq_fmt('value') }} || ' ' || value_unit
             || ', of which ' || n_parts || ' part(s) sum to ' || {{ dq_fmt('parts_sum') }} || '.'
        else '其中各项之和超过总数：' || item_code || ' ' || {{ dq_fmt('value') }} || value_unit || '，其中 ' || part_text
             || ' = ' || {{ dq_fmt('parts_sum') }} || '，超出 ' || {{ dq_fmt('-difference') }} || '（容差 ±' || {{ dq_fmt('tolerance') }}
             || '）。 Parts exceed their whole: ' || item_code || ' ' || {{ dq_fmt('value') }} || ' ' || value_unit
             || ', of which the parts sum to ' || {{ dq_fmt('parts_sum') }} || ', ' || {{ dq_fmt('-difference') }}
             || ' more (tolerance ±' || {{ dq_fmt('tolerance') }} || ').'
    end as message,
    {{ list_of(["document_id"]) }} as document_ids,
    {{ list_map(list_sorted(list_dedupe(list_of(["source_line"]) ~ " || part_lines")), "x -> document_id || ':' || cast(x as string)") }} as source_lines
from evaluated
cross join rule as r
where n_parts >= r.min_components
