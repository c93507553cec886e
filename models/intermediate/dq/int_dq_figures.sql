-- Every figure a data-quality check can use, one row per statement (not per fact): the unit-account,
-- fund, enrollment and staffing statements of int_fact_candidates, plus the funding rows of the
-- self-evaluation tables (subject 'budget', item_code = fct_budget.fund_source). Each carries its
-- printed precision as half_unit (half a unit of the last printed digit, in the unit of `value`;
-- a printed zero and a head count in whole persons are exact). Only current documents, and no
-- quarantined statement (marts.quarantine): a superseded issue is never checked against its correction.
with candidates as (
    select * from {{ ref('int_fact_candidates') }}
    where stated_uom is not null and is_current and quarantine_reason is null
),

mentions as (
    select document_id, mention_id, mention_key, parent_mention_id from {{ ref('stg_raw__mentions') }}
),

mapped as (
    select document_id, mention_id, item_code from {{ ref('int_mentions_mapped_to_items') }}
),

documents as (
    select document_id, unit_id, report_year, is_current, loaded_at from {{ ref('int_documents') }}
    where is_current
),

facts as (
    select
        c.fact_candidate_id as figure_id,
        c.mention_key,
        c.mention_id,
        c.document_id,
        c.unit_id,
        c.subject,
        c.item_code,
        c.fiscal_year,
        c.basis,
        c.budget_line,
        c.project_name,
        coalesce(c.scheme_code, '') as scheme_code,
        c.status,
        c.post_type,
        c.fund_part,
        c.sub_unit,
        c.fund_source,
        c.scope,
        cast(coalesce(c.amount_wan_yuan, c.value_persons) as decimal(38, 10)) as value,
        case when c.subject in ('expenditure', 'income', 'fund') then '万元' else '人' end as value_unit,
        cast(case
            -- a printed zero (0万元, 0人) means none: it is exact, not a rounded small amount
            when coalesce(c.amount_wan_yuan, c.value_persons) = 0 then 0
            when c.subject in ('expenditure', 'income', 'fund') then {{ half_unit('c.decimals', 'c.stated_uom') }}
            -- a head count printed in whole persons (人, 家, 个) is exact; 1733.58万人 is rounded (±50)
            when c.stated_uom = '万人' then 0.5 * power(10, -coalesce(c.decimals, 0)) * 10000
            when coalesce(c.decimals, 0) = 0 then 0
            else 0.5 * power(10, -c.decimals)
        end as decimal(38, 10)) as half_unit,
        c.stated_value,
        c.stated_uom,
        c.decimals,
        c.source_kind,
        c.source_line,
        c.source_text,
        p.item_code as parent_item_code,
        -- the figure a 其中 breaks this one out of (its parts never exceed it: int_dq_parts_within_whole)
        case when m.parent_mention_id is not null then c.document_id || ':' || cast(m.parent_mention_id as string) end as parent_mention_key,
        c.report_year,
        c.is_current,
        c.loaded_at,
        c.match_class,
        c.is_equivalent,
        c.item_inherited
    from candidates as c
    left join mentions as m on m.mention_key = c.mention_key
    left join mapped as p on p.document_id = m.document_id and p.mention_id = m.parent_mention_id
    where coalesce(c.amount_wan_yuan, c.value_persons) is not null
),

funding_rows as (
    select * from {{ ref('int_evaluation_rows') }} where row_type = 'funding' and quarantine_reason is null
),

funding_cells as (
    -- one figure per funding-row cell (年初预算数 / 全年预算数 / 全年执行数), with the printed decimals of the cell
    select
        r.document_id,
        r.evaluation,
        r.project_name,
        {{ fund_source_from_label('r.row_label') }} as fund_source,
        m.col_role as basis,
        m.value,
        m.decimals,
        m.mention_key,
        m.mention_id,
        m.source_line,
        r.source_text
    from funding_rows as r
    join {{ ref('stg_raw__mentions') }} as m
        on m.document_id = r.document_id and m.table_id = r.table_id and m.row_idx = r.row_idx
    where m.col_role in ('budget_initial', 'budget_adjusted', 'actual') and m.number_kind = 'value' and m.value is not null
),

budget as (
    select
        {{ surrogate_key(['f.mention_key']) }} as figure_id,
        f.mention_key,
        f.mention_id,
        f.document_id,
        d.unit_id,
        'budget' as subject,
        f.fund_source as item_code,
        d.report_year as fiscal_year,
        f.basis,
        case when f.evaluation = 'project' then 'project' else 'all' end as budget_line,
        f.project_name,
        '' as scheme_code,
        'all' as status,
        'all' as post_type,
        '' as fund_part,
        '' as sub_unit,
        'all' as fund_source,
        '' as scope,
        try_cast(f.value as decimal(38, 10)) as value,
        '万元' as value_unit,
        try_cast(case when f.value = 0 then 0 else {{ half_unit('f.decimals', "'万元'") }} end as decimal(38, 10)) as half_unit,
        try_cast(f.value as decimal(24, 4)) as stated_value,
        '万元' as stated_uom,
        f.decimals,
        'table' as source_kind,
        f.source_line,
        f.source_text,
        null as parent_item_code,
        cast(null as string) as parent_mention_key,
        d.report_year,
        d.is_current,
        d.loaded_at,
        3 as match_class,
        false as is_equivalent,
        false as item_inherited
    from funding_cells as f
    join documents as d on d.document_id = f.document_id and d.report_year is not null
    where f.fund_source is not null
)

select * from facts
union all
select * from budget
