-- Stated execution rates (执行率, 完成预算的x%, 预算执行进度) tied to the figure they are about:
-- in prose, the figure the rate follows; in a table, the mapped figure on the same row.
with mentions as (
    select * from {{ ref('int_mentions_mapped_to_items') }}
),

candidates as (
    select * from {{ ref('int_fact_candidates') }}
),

prose_rates as (
    select
        r.document_id,
        r.value as stated_execution_rate,
        r.source_line,
        r.sentence as source_text,
        r.source_kind,
        c.item_code,
        c.subject,
        c.scheme_code,
        c.fund_part,
        c.fiscal_year,
        c.budget_line,
        c.project_name
    from mentions as r
    join candidates as c
        on c.document_id = r.document_id and c.mention_key = r.document_id || ':' || r.related_mention_id
    where r.source_kind = 'narrative'
      and ((r.mention_role = 'ratio' and regexp_matches(coalesce(r.ratio_base_text, ''), '预算|计划'))
           or (r.mention_role = 'rate' and regexp_matches(r.label, '执行率|完成率|执行进度')))
),

table_rates as (
    select
        r.document_id,
        r.value,
        r.source_line,
        r.sentence,
        r.source_kind,
        c.item_code,
        c.subject,
        c.scheme_code,
        c.fund_part,
        c.fiscal_year,
        c.budget_line,
        c.project_name
    from mentions as r
    join mentions as same_row
        on same_row.document_id = r.document_id and same_row.table_id = r.table_id and same_row.row_idx = r.row_idx
    join candidates as c on c.mention_key = same_row.mention_key
    where r.source_kind = 'table' and r.col_role = 'execution_rate' and r.uom = '%'
    qualify row_number() over (partition by r.mention_key order by c.basis = 'actual' desc, same_row.col_idx) = 1
)

select * from prose_rates
union all
select * from table_rates
