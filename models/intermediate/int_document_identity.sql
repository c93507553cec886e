-- Every loaded document with its unit and whether it is the current issue of its report. A document
-- is superseded by a document loaded after it that is the same report: the same file path (a file
-- corrected in place and loaded again), or the same unit, report year, kind and title (a corrected
-- re-issue saved under another name). Two different reports of one unit and year (a 决算说明 and a
-- 绩效自评报告) are both current.
-- Always over ALL documents, also in an incremental build (`jixiao build --incremental`): a unit's
-- name resolution (int_units) and a document's successor may lie in documents outside the units
-- being rebuilt, and int_build_scope compares these identities with the last build's to find the
-- units to rebuild. One row per document: cheap next to the mentions.
with documents as (
    select * from {{ ref('stg_raw__documents') }}
),

units as (
    select * from {{ ref('int_units') }}
),

identified as (
    select
        -- a report year that cannot be true is not used (the document is listed in marts.quarantine)
        {{ star('d', replacing=[['report_year', "case when d.report_year between " ~ var('plausible_year_min') ~ " and "
                                 ~ var('plausible_year_max') ~ " then d.report_year end"]]) }},
        d.report_year as report_year_as_read,
        -- a document whose unit could not be read gets a unit of its own: facts of unrelated documents never merge
        coalesce(u.unit_id, {{ surrogate_key(["'unknown'", 'd.document_id']) }}) as unit_id,
        u.unit_id is not null as unit_is_known,
        -- the same report: unit, year, kind and title (spaces ignored)
        {{ surrogate_key(['u.unit_id', 'd.report_year', 'd.document_kind', "replace(coalesce(d.title, ''), ' ', '')"]) }} as report_key
    from documents as d
    left join units as u on u.name_as_found = d.unit_name
),

same_report as (
    -- pairs (document, a later document of the same report): two equi-joins, not one OR-join
    select d.document_id, s.document_id as later_id, s.loaded_at as later_loaded_at
    from identified as d
    join identified as s on s.file_path = d.file_path
    where (s.loaded_at, s.document_id) > (d.loaded_at, d.document_id)
    union
    select d.document_id, s.document_id, s.loaded_at
    from identified as d
    join identified as s on s.report_key = d.report_key and d.unit_is_known and s.unit_is_known
    where (s.loaded_at, s.document_id) > (d.loaded_at, d.document_id)
),

successors as (
    -- the latest of them (ties on the load time broken by document id: a total order)
    select document_id, {{ arg_max("later_id", "(later_loaded_at, later_id)") }} as superseded_by_document_id
    from same_report
    group by document_id
)

select
    {{ star('d', excluding=['unit_is_known', 'report_key']) }},
    s.document_id is null as is_current,
    coalesce(s.superseded_by_document_id, d.document_id) as superseded_by_document_id
from identified as d
left join successors as s on s.document_id = d.document_id
