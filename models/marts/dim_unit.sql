-- One reporting unit per row. A document whose unit could not be read from its content gets an
-- explicit 'unknown' member of its own, so facts of unrelated documents never merge.
with units as (
    select distinct unit_id, unit_name from {{ ref('int_units') }}
    where {{ unit_in_build_scope('unit_id') }}  -- int_units resolves every name; an incremental build keeps its units
),

documents as (
    select * from {{ ref('int_documents') }}
),

departments as (
    -- the supervising department most often stated; a tie goes to the first in collation order
    select unit_id, parent_department
    from (select unit_id, parent_department, count(*) as n from documents
          where parent_department is not null group by unit_id, parent_department)
    qualify row_number() over (partition by unit_id order by n desc, parent_department) = 1
),

names as (
    select d.unit_id, {{ list_agg("d.unit_name", order_by=["d.unit_name"], distinct=true) }} as names_as_found, count(*) as n_documents,
           any_value(p.parent_department) as parent_department
    from documents as d
    left join departments as p on p.unit_id = d.unit_id
    group by d.unit_id
),

regions as (
    select
        unit_id,
        unit_name,
        {{ regex_extract("unit_name", "'^((?:[^省市县区州]{1,7}(?:省|自治区))?(?:[^省市县区州]{1,6}(?:市|自治州|州|盟|地区))?(?:[^省市县区州]{1,6}(?:自治县|县|区|旗|市))?)'") }} as region_name
    from units
)

select
    r.unit_id,
    r.unit_name,
    case
        when r.region_name = '' then 'unknown'
        when {{ regex_match("r.region_name", "'(县|旗)$'") }} then 'county'
        when {{ regex_match("r.region_name", "'区$'") }} and not {{ regex_match("r.region_name", "'自治区$'") }} then 'district'
        when {{ regex_match("r.region_name", "'^(北京市|天津市|上海市|重庆市)$'") }} then 'province'
        when {{ regex_match("r.region_name", "'(市|州|盟|地区)$'") }} then 'prefecture'
        when {{ regex_match("r.region_name", "'(省|自治区)$'") }} then 'province'
        else 'unknown'
    end as admin_level,
    nullif(r.region_name, '') as region_name,
    n.parent_department,
    n.names_as_found,
    n.n_documents
from regions as r
left join names as n on n.unit_id = r.unit_id

union all

-- one 'unknown' member per document whose unit could not be read from its content
select
    d.unit_id,
    -- named by file and document: two files of one name in different folders stay two units
    '(unknown unit 未识别单位: ' || d.file_name || ', ' || d.document_id || ')',
    'unknown',
    null,
    d.parent_department,
    {{ list_of([]) }},
    1
from documents as d
where d.unit_name is null
