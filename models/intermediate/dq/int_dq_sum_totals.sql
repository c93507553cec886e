-- The stated totals the sum rules check (int_dq_sum_components): for each rule of seed dq_sum_rules with
-- check_code sum_components, the figures of its total code that meet its total constraints, one per distinct
-- printed value within a report and match key (a table's statement first, then the earliest line).
-- A table of its own, not a CTE: the pairing and the finding both read it, and DuckDB held the materialised
-- CTE in memory beside the pairing's join and windows (at N = 10,000 that model did not fit in 800 MB).
with rules as (
    select * from {{ ref('int_dq_sum_rules') }} where check_code = 'sum_components'
),

rule_totals as (
    select
        r.rule_code,
        r.min_components,
        f.*,
        {{ dq_values_of('r.match_key_', 'f.', "'∅'") }} as match_key
    from rules as r
    join {{ ref('int_dq_figures') }} as f on f.subject = r.subject and f.item_code = r.total_code
    where {{ dq_constraints_met('r.total_dim_', 'f.') }}
)

select
    rule_code, min_components, figure_id, document_id, unit_id, fiscal_year, subject, item_code, basis, fund_part, sub_unit,
    value, value_unit, half_unit, source_kind, source_line, source_text, match_key,
    {{ surrogate_key(['rule_code', 'document_id', 'match_key', 'value']) }} as total_key
from rule_totals
qualify row_number() over (
    partition by rule_code, document_id, match_key, value order by (source_kind = 'table') desc, source_line, mention_id, figure_id
) = 1
