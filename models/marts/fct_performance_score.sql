-- One indicator row of a self-evaluation table, with its weight (分值) and score (得分). The
-- funding row (年度资金总额, scored on its execution rate) counts as an indicator: its points are
-- part of the 100. Current documents only; an implausible row (a weight over 100, a score above its
-- weight) is in marts.quarantine instead.
with rows as (
    select * from {{ ref('int_evaluation_rows') }}
    where row_type in ('indicator', 'funding') and (weight is not null or score is not null)
      and quarantine_reason is null
),

documents as (
    select * from {{ ref('int_documents') }} where is_current
)

select
    {{ surrogate_key(['r.document_id', 'r.table_id', 'r.row_idx']) }} as score_row_id,
    d.unit_id,
    d.report_year as fiscal_year,
    r.evaluation,
    r.project_name,
    case when r.row_type = 'funding' then '预算执行率' else r.level1 end as level1,
    case when r.row_type = 'funding' then '' else r.level2 end as level2,
    r.indicator,
    r.target_value,
    r.actual_value,
    r.weight,
    r.score,
    r.deviation_note,
    r.document_id,
    r.table_id,
    r.row_idx,
    'table' as source_kind,
    r.source_line,
    r.source_text
from rows as r
join documents as d on d.document_id = r.document_id and d.report_year is not null  -- else in marts.quarantine
