-- score_total: each self-evaluation (fct_evaluation) — the printed 总分 against the sum of the
-- indicator scores (得分), and the weights (分值) against 100 (rules eval_total_score and
-- eval_weights_100 of seed dq_sum_rules). Scores and weights are awarded points, exact as printed;
-- only the printed total is a rounded figure, so the tolerance is half a unit of its last digit
-- (94 → ±0.5, 94.5 → ±0.05). The weights must make exactly 100. The same two rules hold for the
-- first-level dimensions (fct_evaluation_dimension: 决策/过程/产出/效益), where every dimension of the
-- evaluation carries a weight or a score (eval_dimension_weights_100, eval_dimension_total_score).
with evaluations as (
    select * from {{ ref('fct_evaluation') }}
),

rules as (
    select * from {{ ref('dq_sum_rules') }} where check_code = 'score_total'
),

total_mentions as (
    -- the printed decimals of the stated total
    select document_id, source_line, max(decimals) as decimals
    from {{ ref('stg_raw__mentions') }}
    where uom = '分' or col_role = 'score'
    group by document_id, source_line
),

score_lines as (
    select document_id, table_id, {{ list_agg("source_line", order_by=["source_line"]) }} as lines
    from {{ ref('fct_performance_score') }}
    group by document_id, table_id
),

dimension_sums as (
    select
        document_id, evaluation, project_name,
        count(*) as n_dimensions, count(weight) as n_weights, count(score) as n_scores,
        sum(weight) as sum_of_weights, sum(score) as sum_of_scores,
        {{ list_agg("source_line", order_by=["source_line"]) }} as lines
    from {{ ref('fct_evaluation_dimension') }}
    group by document_id, evaluation, project_name
    having count(*) >= 2
),

checks as (
    select
        e.*, 'eval_total_score' as rule_code,
        e.sum_of_scores as expected, e.stated_total_score as observed,
        0.5 * power(10, -coalesce(t.decimals, 0)) as tol, cast({{ list_of([]) }} as {{ list_type('integer') }}) as extra_lines
    from evaluations as e
    left join total_mentions as t on t.document_id = e.document_id and t.source_line = e.source_line
    where e.stated_total_score is not null and e.sum_of_scores is not null
    union all
    select e.*, 'eval_weights_100', 100, e.sum_of_weights, 0, cast({{ list_of([]) }} as {{ list_type('integer') }})
    from evaluations as e
    where e.sum_of_weights is not null
    union all
    select e.*, 'eval_dimension_total_score', d.sum_of_scores, e.stated_total_score,
           0.5 * power(10, -coalesce(t.decimals, 0)), d.lines
    from evaluations as e
    join dimension_sums as d on d.document_id = e.document_id and d.evaluation = e.evaluation and d.project_name = e.project_name
    left join total_mentions as t on t.document_id = e.document_id and t.source_line = e.source_line
    where e.stated_total_score is not null and d.n_scores = d.n_dimensions
    union all
    select e.*, 'eval_dimension_weights_100', 100, d.sum_of_weights, 0, d.lines
    from evaluations as e
    join dimension_sums as d on d.document_id = e.document_id and d.evaluation = e.evaluation and d.project_name = e.project_name
    where d.n_weights = d.n_dimensions
)

select
    {{ surrogate_key(["'score_total'", 'c.evaluation_id', 'c.rule_code']) }} as check_id,
    'score_total' as check_code,
    c.rule_code,
    case when abs(c.observed - c.expected) <= c.tol then 'pass' else 'flag' end as status,
    r.severity,
    c.unit_id,
    c.fiscal_year,
    'evaluation' as subject,
    case c.rule_code
        when 'eval_total_score' then {{ list_of(["'eval_total_score'", "'eval_score'"]) }}
        when 'eval_dimension_total_score' then {{ list_of(["'eval_total_score'", "'eval_dimension_score'"]) }}
        when 'eval_dimension_weights_100' then {{ list_of(["'eval_dimension_weight'"]) }}
        else {{ list_of(["'eval_max_score'"]) }}
    end as item_codes,
    try_cast(c.expected as decimal(38, 6)) as expected_value,
    try_cast(c.observed as decimal(38, 6)) as observed_value,
    try_cast(c.observed - c.expected as decimal(38, 6)) as difference,
    try_cast(c.tol as decimal(38, 6)) as tolerance,
    '分' as value_unit,
    case when abs(c.observed - c.expected) <= c.tol
        then r.description_zh || '：成立（' || {{ dq_fmt('c.observed') }} || ' = ' || {{ dq_fmt('c.expected') }} || '）。 '
             || r.description_en || ': holds (' || {{ dq_fmt('c.observed') }} || ' = ' || {{ dq_fmt('c.expected') }} || ').'
        else r.description_zh || '：不成立，' || case c.evaluation when 'project' then '项目“' || c.project_name || '”' else '部门整体' end
             || '自评表 ' || case when c.rule_code like '%total_score' then '印总分 ' || {{ dq_fmt('c.observed') }} || '，各项得分之和 '
                                                                          else '分值之和 ' || {{ dq_fmt('c.observed') }} || '，应为 ' end
             || {{ dq_fmt('c.expected') }} || '，差 ' || {{ dq_fmt('c.observed - c.expected') }} || '。 ' || r.description_en
             || ' fails: the ' || c.evaluation || ' self-evaluation table '
             || case when c.rule_code like '%total_score' then 'prints a total of ' || {{ dq_fmt('c.observed') }} || ' while its scores sum to '
                                                         else 'has weights summing to ' || {{ dq_fmt('c.observed') }} || ' instead of ' end
             || {{ dq_fmt('c.expected') }} || ' (difference ' || {{ dq_fmt('c.observed - c.expected') }} || ').'
    end as message,
    {{ list_of(["c.document_id"]) }} as document_ids,
    {{ list_map(list_sorted(list_dedupe("case when " ~ list_len("c.extra_lines") ~ " > 0 then c.extra_lines else coalesce(s.lines, " ~ list_of([]) ~ ") end || " ~ list_of(["c.source_line"]))), "x -> c.document_id || ':' || cast(x as string)") }} as source_lines,
    c.evaluation,
    c.project_name
from checks as c
join rules as r on r.rule_code = c.rule_code
left join score_lines as s on s.document_id = c.document_id and s.table_id = c.table_id
