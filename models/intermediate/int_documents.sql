-- Documents with their unit, whether they are the current issue of their report
-- (int_document_identity) and their usual money unit. Only current documents feed the marts and the
-- checks. In an incremental build only the documents of the units being rebuilt (int_build_scope).
with documents as (
    select * from {{ ref('int_document_identity') }}
    where {{ document_in_build_scope('document_id') }}
),

money_uom_counts as (
    select document_id, uom, count(*) as n
    from {{ ref('stg_raw__mentions') }}
    where uom in ('万元', '亿元', '元', '千元') and number_kind = 'value'
    group by document_id, uom
),

money_units as (
    -- the document's usual money unit, for table cells printed without one (a tie goes to the
    -- larger unit, 亿元 before 万元 before 千元 before 元, so the choice never depends on scan order)
    select document_id, uom as default_money_uom
    from money_uom_counts
    qualify row_number() over (
        partition by document_id
        order by n desc, case uom when '亿元' then 1 when '万元' then 2 when '千元' then 3 else 4 end
    ) = 1
)

select
    {{ star('d', excluding=['is_current', 'superseded_by_document_id']) }},
    coalesce(mu.default_money_uom, '万元') as default_money_uom,
    d.is_current,
    d.superseded_by_document_id
from documents as d
left join money_units as mu on mu.document_id = d.document_id
