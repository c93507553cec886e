-- What a report says that cannot be true, kept out of the marts with its reason (隔离区): a report year
-- outside 1990–2100, a fact whose fiscal year is unknown or outside that range or whose figure is beyond
-- the plausible bounds (dbt_project.yml vars plausible_*), and a self-evaluation row whose weight lies
-- outside 0–100 or whose score exceeds its weight. Such a row is
-- a finding about the reading (usually a misread table), not a build failure: the marts stay built,
-- dim_document.n_quarantined counts the rows per document. Current documents only (a superseded issue
-- is out of the marts anyway).
with documents as (
    select document_id, unit_id, report_year, report_year_as_read, title, file_name
    from {{ ref('int_documents') }} where is_current
),

reasons as (
    select * from (values
        ('year_unknown', '年度无法确定', 'the fiscal year cannot be told'),
        ('year_out_of_range', '年度不在1990–2100之间', 'the fiscal year lies outside 1990–2100'),
        ('value_out_of_range', '数值超出合理范围', 'the figure lies beyond any plausible value (negative head count, or above 10^11)'),
        ('weight_out_of_range', '分值不在0–100之间', 'the weight lies outside 0–100'),
        ('score_out_of_range', '得分不在0–100之间', 'the score lies outside 0–100'),
        ('score_above_weight', '得分高于分值', 'the score exceeds its weight')
    ) as t(reason_code, reason_zh, reason_en)
),

report_years as (
    -- a report year that cannot be told or cannot be true: the document stays in dim_document with no
    -- report year; its self-evaluation tables (the report year's) stay out of the marts, and its figures
    -- take their year only from what they print (else they are quarantined as year_unknown)
    select
        {{ surrogate_key(["'report_year'", 'd.document_id']) }} as quarantined_id,
        d.document_id,
        d.unit_id,
        'document' as row_kind,
        'document' as subject,
        coalesce(d.title, d.file_name) as what,
        d.report_year_as_read as fiscal_year,
        null::decimal(24, 4) as value,
        null::double as weight,
        null::double as score,
        case when d.report_year_as_read is null then 'year_unknown' else 'year_out_of_range' end as reason_code,
        'narrative' as source_kind,
        1 as source_line,
        coalesce(d.title, '') as source_text
    from documents as d
    where d.report_year is null
      and (d.report_year_as_read is not null  -- read, but impossible
           or d.document_id in (select document_id from {{ ref('int_evaluation_rows') }})
           or d.document_id in (select document_id from {{ ref('int_fact_candidates') }}))
),

facts as (
    select
        c.fact_candidate_id as quarantined_id,
        c.document_id,
        c.unit_id,
        'fact' as row_kind,
        c.subject,
        c.item_code as what,
        c.fiscal_year,
        c.stated_value as value,
        null::double as weight,
        null::double as score,
        c.quarantine_reason as reason_code,
        c.source_kind,
        c.source_line,
        c.source_text
    from {{ ref('int_fact_candidates') }} as c
    where c.quarantine_reason is not null and c.is_current
),

evaluation_rows as (
    select
        {{ surrogate_key(['r.document_id', 'r.table_id', 'r.row_idx']) }} as quarantined_id,
        r.document_id,
        d.unit_id,
        'evaluation_row' as row_kind,
        'evaluation' as subject,
        coalesce(nullif(r.indicator, ''), r.row_label) as what,
        d.report_year as fiscal_year,
        null::decimal(24, 4) as value,
        r.weight,
        r.score,
        r.quarantine_reason as reason_code,
        'table' as source_kind,
        r.source_line,
        r.source_text
    from {{ ref('int_evaluation_rows') }} as r
    join documents as d on d.document_id = r.document_id
    where r.quarantine_reason is not null
)

select
    q.quarantined_id,
    q.document_id,
    q.unit_id,
    q.row_kind,
    q.subject,
    q.what,
    q.fiscal_year,
    q.value,
    q.weight,
    q.score,
    q.reason_code,
    r.reason_zh || '（' || q.row_kind || '：' || coalesce(q.what, '') || '）。 ' || r.reason_en
        || ' (' || q.row_kind || ': ' || coalesce(q.what, '') || '); kept out of the marts.' as reason,
    q.source_kind,
    q.source_line,
    q.source_text
from (select * from report_years union all select * from facts union all select * from evaluation_rows) as q
join reasons as r using (reason_code)
