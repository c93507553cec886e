-- Provenance (CONTRACT.md): every fact's (document_id, source_line) is a line of that document's
-- normalised text in staging.stg_raw__lines. Returns the facts whose line does not exist.
-- 溯源校验：每条事实的来源行号必须是其文档中真实存在的行。
{% set facts = ['fct_expenditure', 'fct_income', 'fct_budget', 'fct_enrollment', 'fct_fund_balance',
                'fct_staffing', 'fct_performance_score', 'fct_evaluation'] %}
with facts as (
    {% for f in facts %}
    select '{{ f }}' as fact_table, document_id, source_kind, source_line, source_text
    from {{ ref(f) }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

lines as (
    select document_id, source_line from {{ ref('stg_raw__lines') }}
)

select f.*
from facts as f
left join lines as l
    on l.document_id = f.document_id and l.source_line = f.source_line
where l.source_line is null
