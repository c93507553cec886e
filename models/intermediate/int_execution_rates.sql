-- Stated execution rates (执行率, 完成预算的x%, 预算执行进度) tied to the figure they are about:
-- in prose, the figure the rate follows; in a table, the mapped figure on the same row. Only current
-- documents, no quarantined figure; rate_mention_id (the rate's place in its document) lets fct_budget
-- order two rates of one line.
with rates as (
    -- the rate mentions, few of all: what the two branches below pair (a CTE read twice is copied
    -- whole by the database, so the table's other columns and rows stay out of it)
    select document_id, mention_id, mention_key, related_mention_id, table_id, row_idx, value, source_line,
           sentence, source_kind, mention_role, ratio_base_text, label, col_role, uom
    from {{ ref('int_mentions_mapped_to_items') }}
    where (source_kind = 'narrative' and mention_role in ('ratio', 'rate'))
       or (source_kind = 'table' and col_role = 'execution_rate' and uom = '%')
),

candidates as (
    select * from {{ ref('int_fact_candidates') }}
    where is_current and quarantine_reason is null
),

rate_to_figure as (
    -- each rate mention with the key of the figure it is about
    select r.*, r.document_id || ':' || r.related_mention_id as figure_key
    from rates as r
    where r.source_kind = 'narrative'
      and ((r.mention_role = 'ratio' and {{ regex_match("coalesce(r.ratio_base_text, '')", "'预算|计划'") }})
           or (r.mention_role = 'rate' and {{ regex_match("r.label", "'执行率|完成率|执行进度'") }}))
    union all
    select r.*, same_row.mention_key
    from rates as r
    join {{ ref('int_mentions_mapped_to_items') }} as same_row
        on same_row.document_id = r.document_id and same_row.table_id = r.table_id and same_row.row_idx = r.row_idx
    join candidates as c on c.mention_key = same_row.mention_key
    where r.source_kind = 'table' and r.col_role = 'execution_rate' and r.uom = '%'
    -- the row's outturn figure when it has one, else its first mapped figure
    qualify row_number() over (
        partition by r.mention_key order by c.basis = 'actual' desc, same_row.col_idx, same_row.mention_id, c.fact_candidate_id
    ) = 1
)

select
    r.document_id,
    r.mention_id as rate_mention_id,
    r.value as stated_execution_rate,
    r.source_line,
    r.sentence as source_text,
    r.source_kind,
    c.item_code,
    c.subject,
    c.scheme_code,
    c.fund_part,
    c.sub_unit,
    c.matched_alias as item_label,
    c.fiscal_year,
    c.budget_line,
    c.project_name
from rate_to_figure as r
join candidates as c on c.mention_key = r.figure_key
-- a figure stated under two codes (code_equivalences) keeps its rate once, under its own code
qualify row_number() over (partition by r.mention_key order by c.is_equivalent, c.item_code, c.fact_candidate_id) = 1
