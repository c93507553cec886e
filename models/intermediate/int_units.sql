-- One row per distinct unit name found in documents, resolved to a canonical unit.
-- A short name (省城乡居保中心, 城乡居保中心) resolves to the one full name whose characters contain
-- it in order and that ends the same way; spaces never matter (removed in staging). A name that
-- begins with its own region is full already.
with names as (
    select distinct unit_name from {{ ref('stg_raw__documents') }} where unit_name is not null
),

short_names as (
    -- a name that starts with its own region (湖南省…, 安化县…) is a full name, never a short form
    select unit_name from names
    where not regexp_matches(unit_name, '^[^省市县区州]{2,7}(省|自治区|市|自治州|州|盟|县|区|旗)')
),

short_to_full as (
    select s.unit_name as short_name, f.unit_name as full_name
    from short_names as s
    join names as f
        on s.unit_name <> f.unit_name
        and length(f.unit_name) > length(s.unit_name)
        and right(f.unit_name, 2) = right(s.unit_name, 2)
        and regexp_matches(f.unit_name, array_to_string(string_split(s.unit_name, ''), '.*'))
),

region_prefixed as (
    -- 长安区医疗保障局 is 石家庄市长安区医疗保障局 written without its city: the longer name adds only a region
    select s.unit_name as short_name, f.unit_name as full_name
    from names as s
    join names as f
        on length(f.unit_name) > length(s.unit_name)
        and ends_with(f.unit_name, s.unit_name)
        and regexp_full_match(left(f.unit_name, length(f.unit_name) - length(s.unit_name)),
                              '([^省市县区州]{1,8}(省|自治区|市|自治州|州|盟|地区))+')
),

unique_match as (
    select short_name, min(full_name) as full_name
    from (select * from short_to_full union select * from region_prefixed)
    group by short_name
    having count(*) = 1
)

select
    n.unit_name as name_as_found,
    coalesce(u.full_name, n.unit_name) as unit_name,
    {{ surrogate_key(["coalesce(u.full_name, n.unit_name)"]) }} as unit_id
from names as n
left join unique_match as u on u.short_name = n.unit_name
