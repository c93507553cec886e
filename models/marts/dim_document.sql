with documents as (
    select * from {{ ref('int_documents') }}
),

facts as (
    select document_id, count(*) as n_facts
    from {{ ref('int_fact_candidates') }}
    group by document_id
),

mentions as (
    select
        document_id,
        count(*) as n_mentions,
        count(*) filter (
            where mention_role = 'level' and qualifier is null and uom_family is not null and item_code is null
              and not (uom_family = 'money' and uom is null and source_kind = 'table' and col_role is null)
        ) as n_unmapped_mentions
    from {{ ref('int_mentions_mapped_to_items') }}
    group by document_id
),

quarantined as (
    select document_id, count(*) as n_quarantined
    from {{ ref('quarantine') }}
    group by document_id
)

select
    d.document_id,
    d.file_name,
    d.file_path,
    d.sha256,
    d.unit_id,
    d.unit_name as unit_name_as_found,
    d.report_year,
    d.report_year_source,
    d.title,
    d.format,
    d.encoding,
    d.size_bytes,
    d.n_lines,
    coalesce(m.n_mentions, 0) as n_mentions,
    coalesce(f.n_facts, 0) as n_facts,
    coalesce(m.n_unmapped_mentions, 0) as n_unmapped_mentions,
    coalesce(q.n_quarantined, 0) as n_quarantined,
    d.is_current,
    case when not d.is_current then d.superseded_by_document_id end as superseded_by_document_id,
    d.load_id,
    d.loaded_at
from documents as d
left join facts as f on f.document_id = d.document_id
left join mentions as m on m.document_id = d.document_id
left join quarantined as q on q.document_id = d.document_id
