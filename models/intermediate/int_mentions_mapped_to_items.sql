-- Each numeric mention matched to at most one glossary code, within the domains its context allows
-- (seed domain_priority): an exact alias beats a suffix or prefix match beats a contained alias
-- (two-character aliases such as 支出 match only exactly); then the domain's rank, the longer alias, and
-- the alias that comes first (新增参保群众: 新增参保 before 参保群众). Mentions that match nothing keep
-- item_code NULL and are counted as unmapped in dim_document.
with mentions as (
    -- read once, at the end: the matching below reads mention_words, the few columns it needs (a CTE
    -- read more than once is copied whole by the database, 1.7 million wide rows at 10,000 reports)
    select m.*, {{ mention_uom_family('m') }} as uom_family, coalesce(m.context_hint, 'none') as context
    from {{ ref('stg_raw__mentions') }} as m
    where m.number_kind = 'value'
),

mention_words as (
    select m.mention_key, m.source_kind, m.mention_role, m.qualifier, m.item_text, m.label_core,
           {{ mention_uom_family('m') }} as uom_family, coalesce(m.context_hint, 'none') as context
    from {{ ref('stg_raw__mentions') }} as m
    where m.number_kind = 'value'
),

aliases as (
    select * from {{ ref('int_glossary_aliases') }}
),

priority as (
    select * from {{ ref('domain_priority') }}
),

texts as (
    -- the item words first; the same words with the scheme kept (机关事业养老金支出) as a fallback
    select mention_key, context, uom_family, item_text as match_text, 1 as text_rank
    from mention_words
    where (mention_role in ('level', 'indicator_value')
           -- a prose weight or score names its dimension or indicator (决策指标分值20分): fct_evaluation_dimension
           or (mention_role in ('weight', 'score') and uom_family = 'points' and source_kind = 'narrative'))
      and qualifier is null and item_text is not null
    union all
    select mention_key, context, uom_family, label_core, 2
    from mention_words
    where mention_role in ('level', 'indicator_value') and qualifier is null and label_core is not null
      and label_core <> coalesce(item_text, '')
      -- prose statements were matched against every alias by the reader: its label is the provenance, not a second guess
      and source_kind = 'table'
),

piece_ends as (
    -- where an alias may end in the words by the rule below: at their end, or up to 3 characters before it
    select *, length(match_text) - chars_after as piece_end
    from (
        select t.*, l.longest, {{ explode(integers("0", "3")) }} as chars_after
        from texts as t
        cross join (select max(alias_length) as longest from aliases) as l
    ) as t
),

pieces as (
    -- each stretch of the words that ends there and is no longer than the longest alias: the aliases are
    -- then found by equality (a hash join) instead of testing every alias of a domain against every text
    select *, substr(match_text, piece_start, piece_end - piece_start + 1) as piece
    from (
        select e.*, {{ explode(integers("greatest(1, e.piece_end - e.longest + 1)", "e.piece_end")) }} as piece_start
        from piece_ends as e
        where e.piece_end >= 1
    ) as e
),

candidates as (
    select distinct  -- an alias found in two stretches of the same words is one candidate
        t.mention_key,
        a.code,
        a.domain,
        a.alias,
        p.domain_rank,
        t.text_rank,
        case
            when t.match_text = a.alias then 3
            when {{ ends_with("t.match_text", "a.alias") }} and a.alias_length >= 3 then 2
            when {{ starts_with("t.match_text", "a.alias") }} and a.alias_length >= 4 then 2
            else 1
        end as match_class,
        a.alias_length,
        {{ position_in("t.match_text", "a.alias") }} as alias_position
    from pieces as t
    join priority as p on p.context_hint = t.context and p.uom_family = t.uom_family
    join aliases as a
        on a.alias = t.piece and a.domain = p.domain
        and (a.uom_family = t.uom_family or a.uom_family is null
             or (a.uom_family = 'persons' and t.uom_family = 'count' and a.domain = 'staffing'))
        and (t.match_text = a.alias
             or (a.alias_length >= 3 and {{ ends_with("t.match_text", "a.alias") }})
             -- an alias inside the words counts when little follows it ("项目支出指标支付人员" is not 项目支出)
             or (a.alias_length >= 3 and contains(t.match_text, a.alias)
                 and length(t.match_text) - {{ position_in("t.match_text", "a.alias") }} - a.alias_length + 1 <= 3))
),

best as (
    select *
    from candidates
    qualify row_number() over (
        partition by mention_key order by text_rank, match_class desc, domain_rank, alias_length desc, alias_position, code,
                                          domain, alias  -- a total order: the matched alias never depends on scan order
    ) = 1
),

schemes as (
    select alias, min(code) as scheme_code
    from aliases
    where domain = 'si_scheme'
    group by alias
)

select
    m.*,
    b.code as item_code,
    b.domain as item_domain,
    b.alias as matched_alias,
    b.match_class,
    s.scheme_code
from mentions as m
left join best as b on b.mention_key = m.mention_key
left join schemes as s on s.alias = {{ regex_replace_all("m.scheme_text", "'[\"“”''\\s]'", "''") }}
