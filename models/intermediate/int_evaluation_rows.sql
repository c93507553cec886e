-- Rows of self-evaluation tables (整体/项目支出绩效自评表) pivoted by column role: indicator rows
-- with 一级/二级 filled down from the rows above (merged cells), funding rows (年度资金总额 …) and
-- the 总分 row. A row whose figures cannot be true (a weight outside 0–100, a score above its weight
-- or outside 0–100, an amount above the plausible maximum) carries a quarantine_reason: the marts leave it
-- out and marts.quarantine lists it — a misread table never stops the build.
with tables as (
    select * from {{ ref('stg_raw__tables') }} where table_kind = 'self_evaluation'
),

cells as (
    select c.*
    from {{ ref('stg_raw__table_cells') }} as c
    join tables as t using (document_id, table_id)
    where not c.is_header
),

pivoted as (
    select
        document_id,
        table_id,
        row_idx,
        min(source_line) as source_line,
        {{ string_agg_ordered("cell_text", "' | '", "col_idx") }} filter (where cell_text <> '') as source_text,
        max(cell_text) filter (where col_role = 'level1') as level1_cell,
        max(cell_text) filter (where col_role = 'level2') as level2_cell,
        max(cell_text) filter (where col_role = 'indicator') as indicator,
        max(cell_text) filter (where col_role = 'target_value') as target_value,
        max(cell_text) filter (where col_role = 'actual_value') as actual_value,
        max(cell_text) filter (where col_role = 'weight') as weight_text,
        max(cell_text) filter (where col_role = 'score') as score_text,
        max(cell_text) filter (where col_role = 'deviation') as deviation_note,
        max(cell_text) filter (where col_role = 'budget_initial') as budget_initial_text,
        max(cell_text) filter (where col_role = 'budget_adjusted') as budget_adjusted_text,
        max(cell_text) filter (where col_role = 'actual') as actual_text,
        max(cell_text) filter (where col_role = 'execution_rate') as execution_rate_text,
        -- the row's label: the first text cell that is not a merged-cell caption
        {{ arg_min("cell_text", "col_idx") }} filter (where cell_text <> '' and not is_numeric
                                            and coalesce(col_role, '') not in ('level1', 'level2')) as row_label
    from cells
    group by document_id, table_id, row_idx
),

level1_filled as (
    select
        *,
        {{ last_value_ignore_nulls("nullif(level1_cell, '')") }} over (
            partition by document_id, table_id order by row_idx rows between unbounded preceding and current row
        ) as level1_raw
    from pivoted
),

filled as (
    -- 二级指标 fills down only within its 一级指标 (a new 一级 starts a new merged block)
    select
        *,
        {{ last_value_ignore_nulls("nullif(level2_cell, '')") }} over (
            partition by document_id, table_id, level1_raw order by row_idx
            rows between unbounded preceding and current row
        ) as level2_raw
    from level1_filled
),

pivoted_rows as (
select
    f.document_id,
    f.table_id,
    f.row_idx,
    t.evaluation,
    coalesce(t.project_name, '') as project_name,
    case
        when {{ regex_match("coalesce(f.row_label, '')", "'^(总分|合计得分|综合得分|绩效自评综合得分|自评得分|自评总分|总得分|得分合计)'") }} then 'total'
        when f.indicator is not null and f.indicator <> '' then 'indicator'
        when f.budget_initial_text is not null or f.budget_adjusted_text is not null or f.actual_text is not null then 'funding'
        when {{ regex_match("coalesce(f.row_label, '')", "'^(评价等次|自评等级|评价等级|绩效等级|等级)'") }} then 'grade'
    end as row_type,
    trim({{ regex_replace_all("coalesce(f.level1_raw, '')", "'\\(\\s*\\d+(\\.\\d+)?\\s*分\\s*\\)'", "''") }}) as level1,
    trim(coalesce(f.level2_raw, '')) as level2,
    {{ trim_right("coalesce(nullif(f.indicator, ''), f.row_label)", "':'") }} as indicator,
    f.row_label,
    f.target_value,
    f.actual_value,
    try_cast({{ regex_extract("f.weight_text", "'-?\\d+(\\.\\d+)?'") }} as double) as weight,
    try_cast({{ regex_extract("coalesce(f.score_text, case when f.row_label like '%得分%' then f.row_label end)", "'-?\\d+(\\.\\d+)?'") }} as double) as score,
    f.deviation_note,
    try_cast(replace({{ regex_extract("f.budget_initial_text", "'-?[\\d,]+(\\.\\d+)?'") }}, ',', '') as double) as budget_initial,
    try_cast(replace({{ regex_extract("f.budget_adjusted_text", "'-?[\\d,]+(\\.\\d+)?'") }}, ',', '') as double) as budget_adjusted,
    try_cast(replace({{ regex_extract("f.actual_text", "'-?[\\d,]+(\\.\\d+)?'") }}, ',', '') as double) as actual,
    try_cast({{ regex_extract("f.execution_rate_text", "'-?\\d+(\\.\\d+)?'") }} as double) as stated_execution_rate,
    f.source_line,
    f.source_text
from filled as f
join tables as t using (document_id, table_id)
)

select
    *,
    case
        when weight < 0 or weight > 100 then 'weight_out_of_range'
        when score < 0 or score > 100 then 'score_out_of_range'
        when row_type in ('indicator', 'funding') and score > weight then 'score_above_weight'
        when greatest(abs(budget_initial), abs(budget_adjusted), abs(actual)) > {{ var('plausible_max_wan_yuan') }}
            then 'value_out_of_range'
    end as quarantine_reason
from pivoted_rows
