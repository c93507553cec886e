-- Every way a report may name a glossary code: its Chinese label, its aliases, and the project's
-- extra aliases, normalised the way the loader normalises text (ASCII parentheses, no quotes or spaces).
with glossary as (
    select * from {{ ref('glossary_items') }}
),

extra as (
    select * from {{ ref('label_aliases') }}
),

all_aliases as (
    select code, domain, {{ explode(split_to_list("aliases_zh", "'|'")) }} as alias, 'glossary_alias' as alias_source
    from glossary
    where aliases_zh is not null
    union all
    select code, domain, label_zh, 'glossary_label' from glossary
    union all
    select code, domain, alias, 'label_aliases_seed' from extra
),

normalised as (
    select
        code,
        domain,
        {{ regex_replace_all("replace(replace(alias, '（', '('), '）', ')')", "'[\"“”''\\s]'", "''") }} as alias,
        alias_source
    from all_aliases
    where alias is not null and trim(alias) <> ''
)

select
    n.code,
    n.domain,
    n.alias,
    length(n.alias) as alias_length,
    min(n.alias_source) as alias_source,
    -- the unit family a figure must have to take this code (money, persons, count …)
    case max(g.uom)
        when 'CNY' then 'money'
        when 'persons' then 'persons'
        when 'person_times' then 'persons'
        when 'count' then 'count'
        when 'vehicles' then 'count'
        when 'batches' then 'count'
        else max(g.uom)
    end as uom_family
from normalised as n
left join glossary as g on g.code = n.code
group by n.code, n.domain, n.alias
