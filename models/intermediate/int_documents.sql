-- Documents with their unit and whether they are the current report of that unit and year:
-- a corrected re-issue (same unit and year, new bytes) supersedes the earlier one.
with documents as (
    select * from {{ ref('stg_raw__documents') }}
),

units as (
    select * from {{ ref('int_units') }}
),

money_units as (
    -- the document's usual money unit, for table cells printed without one
    select document_id, mode(uom) as default_money_uom
    from {{ ref('stg_raw__mentions') }}
    where uom in ('万元', '亿元', '元', '千元') and number_kind = 'value'
    group by document_id
)

select
    d.*,
    -- a document whose unit could not be read gets a unit of its own: facts of unrelated documents never merge
    coalesce(u.unit_id, {{ surrogate_key(["'unknown'", 'd.document_id']) }}) as unit_id,
    coalesce(mu.default_money_uom, '万元') as default_money_uom,
    row_number() over (
        partition by coalesce(u.unit_id, d.document_id), d.report_year
        order by d.loaded_at desc, d.document_id
    ) = 1 as is_current,
    first_value(d.document_id) over (
        partition by coalesce(u.unit_id, d.document_id), d.report_year
        order by d.loaded_at desc, d.document_id
    ) as superseded_by_document_id
from documents as d
left join units as u on u.name_as_found = d.unit_name
left join money_units as mu on mu.document_id = d.document_id
