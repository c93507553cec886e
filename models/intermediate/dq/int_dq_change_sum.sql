-- claimed_change / change_by_components: where a total is the sum of its components (a complete rule of
-- seed dq_sum_rules: 支出合计 = 基本支出 + 项目支出) in both years, its change is the sum of theirs. A
-- report that prints the change of the total and of every component ("支出比上年增加13.33万元，其中基本
-- 支出减少4.72万元 … 项目支出增加18万元") states both sides. Components are the nearest change claims
-- of the rule's codes in the same report, year and basis (a sub-fund's lines only with that sub-fund's
-- total; a component stated without the total's fund part — the 其中 inherits it — counts), and every
-- component of the rule must carry a claim. Tolerance = the half units of every printed change.
with rules as (
    select *
    from {{ ref('int_dq_sum_rules') }}
    where check_code = 'sum_components' and not partial_components
),

claims as (
    select c.figure_id, c.claimed_abs, c.claimed_abs_half, c.lines, {{ star('f', excluding=['figure_id']) }}
    from {{ ref('int_dq_change_claims') }} as c
    join {{ ref('int_dq_figures') }} as f on f.figure_id = c.figure_id
    where c.claimed_abs is not null
),

component_specs as (
    select rule_code, {{ trim_left("spec", "'-'") }} as component_code, case when {{ starts_with("spec", "'-'") }} then -1 else 1 end as sign
    from (select *, {{ explode(split_to_list("component_codes", "'|'")) }} as spec from rules)
),

totals as (
    select r.rule_code, c.*
    from rules as r
    join claims as c on c.subject = r.subject and c.item_code = r.total_code
    where {{ dq_constraints_met('r.total_dim_', 'c.') }}
),

paired as (
    select
        t.rule_code, t.figure_id as total_id, s.component_code, s.sign,
        c.figure_id, c.claimed_abs, c.claimed_abs_half, c.source_line, c.lines
    from totals as t
    join component_specs as s on s.rule_code = t.rule_code
    join rules as r on r.rule_code = s.rule_code
    join claims as c
        on c.document_id = t.document_id and c.item_code = s.component_code and c.fiscal_year = t.fiscal_year
       and c.basis = t.basis and c.sub_unit = t.sub_unit and c.fund_part in (t.fund_part, '')
       and c.figure_id <> t.figure_id
    where {{ dq_constraints_met('r.component_dim_', 'c.') }}
    qualify row_number() over (
        partition by t.rule_code, t.figure_id, s.component_code
        order by abs(c.source_line - t.source_line), c.source_line, c.figure_id
    ) = 1
),

summed as (
    select
        p.rule_code, p.total_id,
        count(*) as n_components,
        sum(p.sign * p.claimed_abs) as component_change,
        sum(p.claimed_abs_half) as component_half,
        {{ list_agg("p.component_code", order_by=["p.component_code"]) }} as component_codes,
        flatten({{ list_agg("p.lines") }}) as component_lines,
        {{ string_agg_ordered("case when p.sign < 0 then '−' else '' end || p.component_code || ' ' || " ~ dq_fmt('p.claimed_abs'), "' + '", "p.source_line, p.component_code") }} as component_text
    from paired as p
    group by p.rule_code, p.total_id
),

evaluated as (
    select
        t.*, s.n_components, s.component_change, s.component_codes, s.component_lines, s.component_text,
        r.description_zh, r.description_en,
        t.claimed_abs - s.component_change as difference,
        t.claimed_abs_half + s.component_half as tolerance
    from summed as s
    join totals as t on t.rule_code = s.rule_code and t.figure_id = s.total_id
    join rules as r on r.rule_code = s.rule_code
    where s.n_components = {{ list_len(split_to_list("r.component_codes", "'|'")) }}
)

select
    {{ surrogate_key(["'change_by_components'", 'rule_code', 'figure_id']) }} as check_id,
    'claimed_change' as check_code,
    'change_by_components' as rule_code,
    case when abs(difference) <= tolerance then 'pass' else 'flag' end as status,
    'warning' as severity,
    unit_id,
    fiscal_year,
    subject,
    {{ list_of(["item_code"]) }} || component_codes as item_codes,
    try_cast(component_change as decimal(38, 6)) as expected_value,
    try_cast(claimed_abs as decimal(38, 6)) as observed_value,
    try_cast(difference as decimal(38, 6)) as difference,
    try_cast(tolerance as decimal(38, 6)) as tolerance,
    value_unit,
    case when abs(difference) <= tolerance
        then '合计的变动与分项变动之和一致（' || description_zh || '）：' || item_code || ' 变动 ' || {{ dq_fmt('claimed_abs') }}
             || '，分项 ' || component_text || '。 The change of the total agrees with its components' || chr(39) || ' changes ('
             || description_en || '): ' || item_code || ' ' || {{ dq_fmt('claimed_abs') }} || ' vs ' || component_text || '.'
        else '合计的变动与分项变动之和不符（' || description_zh || '）：' || item_code || ' 变动 ' || {{ dq_fmt('claimed_abs') }}
             || value_unit || '，分项 ' || component_text || ' = ' || {{ dq_fmt('component_change') }} || '，差 '
             || {{ dq_fmt('difference') }} || '（容差 ±' || {{ dq_fmt('tolerance') }} || '）。 The change of the total does not equal '
             || 'the sum of its components' || chr(39) || ' changes (' || description_en || '): ' || item_code || ' ' || {{ dq_fmt('claimed_abs') }}
             || ' ' || value_unit || ' vs ' || component_text || ' = ' || {{ dq_fmt('component_change') }} || ', difference '
             || {{ dq_fmt('difference') }} || ' (tolerance ±' || {{ dq_fmt('tolerance') }} || ').'
    end as message,
    {{ list_of(["document_id"]) }} as document_ids,
    {{ list_map(list_sorted(list_dedupe("lines || component_lines")), "x -> document_id || ':' || cast(x as string)") }} as source_lines
from evaluated
