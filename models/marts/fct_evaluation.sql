-- One self-evaluation (the unit's overall one, or one project's): the total printed in the table
-- (or, failing a table, in the prose), the sum of its indicator scores and weights, and the grade
-- (优/良/中/差 as printed, else derived from the score with the 财预〔2020〕10号 bands).
-- Current documents only; an implausible row (marts.quarantine) is not summed. Sums are exact
-- (decimal), and every choice between statements has a total order (line, then place in the line).
with rows as (
    select * from {{ ref('int_evaluation_rows') }} where quarantine_reason is null
),

documents as (
    select * from {{ ref('int_documents') }} where is_current
),

tables as (
    select
        document_id,
        table_id,
        max(evaluation) as evaluation,
        max(project_name) as project_name,
        cast(sum(cast(score as decimal(18, 6))) filter (where row_type in ('indicator', 'funding')) as double) as sum_of_scores,
        cast(sum(cast(weight as decimal(18, 6))) filter (where row_type in ('indicator', 'funding')) as double) as sum_of_weights,
        max(score) filter (where row_type = 'total') as stated_total_score,
        min(source_line) filter (where row_type = 'total') as total_line,
        max(source_text) filter (where row_type = 'total') as total_text,
        min(source_line) as first_line,
        max(nullif({{ regex_extract("source_text", "'(优秀|良好|优|良|中|差)\\s*$'", "1") }}, '')) filter (where row_type = 'grade') as printed_grade
    from rows
    group by document_id, table_id
    having count(*) filter (where row_type in ('indicator', 'funding', 'total')) > 0
),

prose_totals as (
    -- "自查评分为100分", "评价结论为"优"" in the narrative of a document without a table total
    select
        document_id,
        {{ arg_min("value", "(source_line, mention_id)") }} as stated_total_score,
        min(source_line) as total_line,
        {{ arg_min("sentence", "(source_line, mention_id)") }} as total_text
    from {{ ref('stg_raw__mentions') }}
    where source_kind = 'narrative' and uom = '分' and number_kind = 'value'
      and {{ regex_match("label", "'评分|得分|总分|自评'") }} and value <= 100
    group by document_id
),

prose_grades as (
    select document_id,
           max(nullif({{ regex_extract("normalised_text", "'(?:评价结论|自评结论|评价等次|自评等级|评价等级)为?\"?(优|良|中|差)'", "1") }}, '')) as printed_grade
    from {{ ref('stg_raw__lines') }}
    where {{ regex_match("normalised_text", "'(?:评价结论|自评结论|评价等次|自评等级|评价等级)为?\"?(优|良|中|差)'") }}
    group by document_id
),

listed_projects as (
    -- a summary table listing projects with their 自评得分 (部门绩效自评结果公开汇总表): one evaluation per row
    select
        document_id,
        table_id,
        {{ arg_min("row_header", "(col_idx, mention_id)") }} as project_name,
        max(value) as stated_total_score,
        min(source_line) as source_line,
        {{ arg_min("sentence", "(col_idx, mention_id)") }} as source_text
    from {{ ref('stg_raw__mentions') }}
    where source_kind = 'table' and mention_role = 'score' and coalesce(table_kind, '') <> 'self_evaluation'
      and parent_row_label like '%项目支出%' and value between 0 and 100
    group by document_id, table_id, row_idx
),

evaluations as (
    select
        t.document_id, t.table_id, t.evaluation, t.project_name, t.sum_of_scores, t.sum_of_weights,
        coalesce(t.stated_total_score, case when t.evaluation = 'overall' then p.stated_total_score end) as stated_total_score,
        case when t.stated_total_score is not null then 'table' when p.stated_total_score is not null and t.evaluation = 'overall' then 'narrative' else 'table' end as source_kind,
        case when t.stated_total_score is not null then t.total_line else coalesce(p.total_line, t.first_line) end as source_line,
        case when t.stated_total_score is not null then t.total_text else coalesce(p.total_text, '') end as source_text,
        nullif(coalesce(t.printed_grade, case when t.evaluation = 'overall' then g.printed_grade end), '') as printed_grade
    from tables as t
    left join prose_totals as p on p.document_id = t.document_id
    left join prose_grades as g on g.document_id = t.document_id
    union all
    -- documents that state an overall result only in prose
    select p.document_id, null, 'overall', '', null, null, p.stated_total_score, 'narrative', p.total_line, p.total_text, g.printed_grade
    from prose_totals as p
    left join prose_grades as g on g.document_id = p.document_id
    where p.document_id not in (select document_id from tables where evaluation = 'overall')
    union all
    select l.document_id, l.table_id, 'project', coalesce(l.project_name, ''), null, null, l.stated_total_score,
           'table', l.source_line, l.source_text, null
    from listed_projects as l
)

select
    {{ surrogate_key(['e.document_id', 'e.table_id', 'e.evaluation', 'e.project_name', 'e.source_line']) }} as evaluation_id,
    d.unit_id,
    d.report_year as fiscal_year,
    e.evaluation,
    e.project_name,
    e.stated_total_score,
    e.sum_of_scores,
    e.sum_of_weights,
    coalesce(
        case e.printed_grade when '优秀' then '优' when '良好' then '良' else e.printed_grade end,
        case
            when coalesce(e.stated_total_score, e.sum_of_scores) >= 90 then '优'
            when coalesce(e.stated_total_score, e.sum_of_scores) >= 80 then '良'
            when coalesce(e.stated_total_score, e.sum_of_scores) >= 60 then '中'
            when coalesce(e.stated_total_score, e.sum_of_scores) is not null then '差'
        end
    ) as grade,
    case when e.printed_grade is not null then 'printed' else 'derived' end as grade_source,
    e.document_id,
    e.table_id,
    e.source_kind,
    e.source_line,
    e.source_text
from evaluations as e
join documents as d on d.document_id = e.document_id and d.report_year is not null  -- else in marts.quarantine
