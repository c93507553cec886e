-- One evaluated data-quality check per row (CONTRACT.md): pass or flag, with expected, observed,
-- difference and tolerance (from the printed precision of every operand), a message in Chinese and
-- English, and the documents and lines involved. Findings are results, not build failures.
{% set families = ['int_dq_sum_components', 'int_dq_parts_within_whole', 'int_dq_ratio', 'int_dq_zero_base_rate',
                   'int_dq_claimed_change', 'int_dq_change_sum', 'int_dq_conflicting_values', 'int_dq_part_labels',
                   'int_dq_score_total'] %}
with unioned as (
    {% for model in families %}
    select
        check_id, check_code, rule_code, status, severity, unit_id, fiscal_year, subject, item_codes,
        expected_value, observed_value, difference, tolerance, value_unit, message, document_ids, source_lines
    from {{ ref(model) }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

units as (
    select unit_id, unit_name from {{ ref('dim_unit') }}
)

select
    u.check_id,
    u.check_code,
    u.status,
    u.severity,
    u.unit_id,
    u.fiscal_year,
    u.subject,
    u.item_codes,
    u.expected_value,
    u.observed_value,
    u.difference,
    u.tolerance,
    u.message,
    u.document_ids,
    u.source_lines,
    -- extras
    u.rule_code,
    u.value_unit,
    n.unit_name
from unioned as u
left join units as n on n.unit_id = u.unit_id
