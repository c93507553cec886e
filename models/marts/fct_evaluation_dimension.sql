-- One first-level dimension of a self-evaluation (投入, 过程, 产出, 效益/效果, 决策, 满意度, 预算执行):
-- its weight (分值) and score (得分), from a score table's funding row (年度资金总额, scored as 预算执行率)
-- and level-1 subtotal rows, and from prose ("项目决策指标分值20分,得分18分"). A second-level
-- indicator named in prose is not a dimension (its glossary code has a parent). Current documents with a
-- plausible report year only; a quarantined table row (marts.quarantine) stays out.
with documents as (
    select * from {{ ref('int_documents') }} where is_current and report_year is not null
),

dimension_codes as (
    select code, label_zh from {{ ref('glossary_items') }}
    where domain = 'eval_indicator' and parent_code is null
),

table_rows as (
    select
        d.unit_id,
        d.report_year as fiscal_year,
        r.evaluation,
        r.project_name,
        case when r.row_type = 'funding' then '预算执行' else r.level1 end as dimension,
        case when r.row_type = 'funding' then 'ind_budget_execution' end as dimension_code,
        r.weight,
        r.score,
        r.document_id,
        'table' as source_kind,
        r.source_line,
        r.source_text
    from {{ ref('int_evaluation_rows') }} as r
    join documents as d on d.document_id = r.document_id
    where r.quarantine_reason is null
      and ((r.row_type = 'funding' and r.evaluation is not null and (r.weight is not null or r.score is not null)
           and r.row_label like '%资金总额%')
           or (r.row_type = 'dimension' and (r.weight is not null or r.score is not null)))
),

prose_points as (
    -- every prose weight or score named by a first-level dimension
    select
        m.document_id,
        m.item_code as dimension_code,
        m.item_text as dimension,
        max(m.value) filter (where m.mention_role = 'weight') as weight,
        max(m.value) filter (where m.mention_role = 'score') as score,
        min(m.source_line) as source_line,
        {{ arg_min("m.sentence", "(m.source_line, m.mention_id)") }} as source_text
    from {{ ref('int_mentions_mapped_to_items') }} as m
    join dimension_codes as c on c.code = m.item_code
    where m.source_kind = 'narrative' and m.mention_role in ('weight', 'score')
    group by m.document_id, m.item_code, m.item_text
),

prose_rows as (
    select
        d.unit_id,
        d.report_year as fiscal_year,
        case when coalesce(d.evaluated_project, '') <> '' then 'project' else 'overall' end as evaluation,
        coalesce(d.evaluated_project, '') as project_name,
        p.dimension,
        p.dimension_code,
        p.weight,
        p.score,
        p.document_id,
        'narrative' as source_kind,
        p.source_line,
        p.source_text
    from prose_points as p
    join documents as d on d.document_id = p.document_id
)

select
    {{ surrogate_key(['unit_id', 'fiscal_year', 'evaluation', 'project_name', 'dimension', 'document_id', 'source_line']) }}
        as dimension_id,
    r.unit_id,
    r.fiscal_year,
    r.evaluation,
    r.project_name,
    r.dimension,
    coalesce(r.dimension_code, c.code) as dimension_code,
    r.weight,
    r.score,
    r.document_id,
    r.source_kind,
    r.source_line,
    r.source_text
from (select * from table_rows union all select * from prose_rows) as r
left join dimension_codes as c on c.label_zh = r.dimension or r.dimension like c.label_zh || '%'
qualify row_number() over (partition by dimension_id order by c.code) = 1
