-- One row per distinct unit name found in documents, resolved to a canonical unit.
-- A short name (省城乡居保中心, 城乡居保中心) resolves to the one full name whose characters contain
-- it in order and that ends the same way; spaces never matter (removed in staging). A name that
-- begins with its own place (湖南省…, 安化县…, 刘堡镇…) is full already, and so is a national body
-- (国家医疗保障局, 人力资源和社会保障部: the loader has turned their short names into these).
with names as (
    select distinct unit_name from {{ ref('stg_raw__documents') }} where unit_name is not null
),

national_bodies as (
    -- the loader's list (seeds/vocab_identity.csv): ministries and agencies, full names with no place
    select word as unit_name from {{ ref('vocab_identity') }} where list = 'national_body'
),

short_names as (
    -- a name that starts with its own place is a full name, never a short form
    select unit_name from names
    where not {{ regex_match("unit_name", "'^[^省市县区州]{2,7}(省|自治区|市|自治州|州|盟|县|区|旗|镇|乡|街道)'") }}
      and unit_name not in (select unit_name from national_bodies)
),

short_to_full as (
    select s.unit_name as short_name, f.unit_name as full_name
    from short_names as s
    join names as f
        on s.unit_name <> f.unit_name
        and length(f.unit_name) > length(s.unit_name)
        and right(f.unit_name, 2) = right(s.unit_name, 2)
        and {{ regex_match("f.unit_name", list_join(split_to_list("s.unit_name", "''"), "'.*'")) }}
),

region_prefixed as (
    -- 长安区医疗保障局 is 石家庄市长安区医疗保障局 written without its city: the longer name adds only
    -- a province or a city; a township's unit (刘堡镇卫生院) may also lack its county (张家川县刘堡镇卫生院)
    select s.unit_name as short_name, f.unit_name as full_name
    from names as s
    join names as f
        on length(f.unit_name) > length(s.unit_name)
        and {{ ends_with("f.unit_name", "s.unit_name") }}
        and (
            {{ regex_full_match("left(f.unit_name, length(f.unit_name) - length(s.unit_name))", "'([^省市县区州]{1,8}(省|自治区|市|自治州|州|盟|地区))+'") }}
            or (
                {{ regex_match("s.unit_name", "'^[^省市县区州镇乡]{2,4}(镇|乡|街道)'") }}
                and {{ regex_full_match("left(f.unit_name, length(f.unit_name) - length(s.unit_name))", "'([^省市县区州]{1,8}(省|自治区|市|自治州|州|盟|地区|县|区|旗))+'") }}
            )
        )
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
