-- The units a build recomputes, one row per unit. A full build: every unit. An incremental build
-- (`jixiao build --incremental`, var incremental): the units whose documents changed since the last
-- complete build, as recorded by it in build_state.built_documents — a document new, re-parsed
-- (another load_id), removed, moved to another unit (a new name changed the resolution in
-- int_units) or whose current issue changed — under both its unit now and its unit then, so a unit
-- that lost documents is rebuilt (or emptied) too. Every mart row belongs to one unit and depends
-- only on that unit's documents, so replacing these units' rows gives the marts a full build gives.
{% if var('incremental', false) %}
with identity as (
    select document_id, load_id, unit_id, is_current, superseded_by_document_id
    from {{ ref('int_document_identity') }}
),

built as (
    select document_id, load_id, unit_id, is_current from {{ source('build_state', 'built_documents') }}
),

changed as (
    select i.unit_id as unit_now, b.unit_id as unit_then
    from identity as i
    full join built as b on b.document_id = i.document_id
    where i.document_id is null or b.document_id is null
       or i.load_id <> b.load_id or i.unit_id <> b.unit_id or i.is_current <> b.is_current
),

changed_units as (
    select unit_now as unit_id from changed where unit_now is not null
    union
    select unit_then from changed where unit_then is not null
),

links as (
    -- a document superseded by one of another unit (the same file path, its unit name corrected):
    -- both units are rebuilt together, so each build sees both ends (int_documents' relationship test)
    select a.unit_id as unit_a, b.unit_id as unit_b
    from identity as a
    join identity as b on b.document_id = a.superseded_by_document_id and b.unit_id <> a.unit_id
),

both_ways as (
    select unit_a, unit_b from links
    union
    select unit_b, unit_a from links
),

touched as (
    -- the changed units and every unit reachable from them by links (its own WITH RECURSIVE: in
    -- DuckDB 1.4 a recursive WITH made the plain UNIONs beside it keep duplicates)
    with recursive reach (unit_id) as (
        select unit_id from changed_units
        union
        select w.unit_b from reach as r join both_ways as w on w.unit_a = r.unit_id
    )
    select distinct unit_id from reach
)

select t.unit_id, case when c.unit_id is null then 'linked' else 'changed' end as reason
from touched as t
left join changed_units as c on c.unit_id = t.unit_id
{% else %}
select distinct unit_id, 'full' as reason
from {{ ref('int_document_identity') }}
{% endif %}
