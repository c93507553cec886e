-- The rules of seed dq_sum_rules with their dimension constraints parsed once per rule, so that the checks
-- filter and pair figures with plain column comparisons instead of parsing a rule's text on every joined row
-- (issue 13: those per-row lambdas were a large part of int_dq_sum_components' time).
select
    r.*,
    {{ dq_constraint_columns('r.total_dims', 'total_dim_') }},
    {{ dq_constraint_columns('r.component_dims', 'component_dim_') }},
    {{ dq_key_columns('r.match_keys', 'match_key_') }},
    {{ dq_breakdown_columns('r.component_dims', 'breakdown_') }},
    coalesce(concat_ws(' ', nullif({{ dq_unknown_specs('r.total_dims', ';', ';', '=[^;]*') }}, ''),
                       nullif({{ dq_unknown_specs('r.component_dims', ';', ';', '=[^;]*') }}, ''),
                       nullif({{ dq_unknown_specs('r.match_keys', '|', '\\|', '') }}, '')), '') as unknown_specs
from {{ ref('dq_sum_rules') }} as r
