-- Budget against execution, one row per budget line: the funding rows of self-evaluation tables
-- (年度资金总额, 当年财政拨款, 上年结转 … with 年初预算数, 全年预算数, 全年执行数, weight and score), the
-- budget and outturn of exp_total / exp_basic / exp_project from the expenditure facts, and stated
-- execution rates (执行率, 完成预算的x%) of any line, a fund's income or expenditure included.
-- Statements of the same line are merged: each measure keeps the value of the first statement in a
-- total order (source kind: tables, then expenditure facts, then stated rates; that year's report
-- first; then document, line and place in the line), so a value never depends on which other
-- documents are loaded. Current documents only; quarantined rows (marts.quarantine) stay out.
with rows as (
    select * from {{ ref('int_evaluation_rows') }} where row_type = 'funding' and quarantine_reason is null
),

documents as (
    select * from {{ ref('int_documents') }} where is_current
),

from_tables as (
    select
        d.unit_id,
        d.report_year as fiscal_year,
        case when r.evaluation = 'project' then 'project' else 'all' end as budget_line,
        case when r.evaluation = 'project' then r.project_name else '' end as project_name,
        {{ fund_source_from_label('r.row_label') }} as fund_source,
        case when r.evaluation = 'project' then 'exp_project' else 'exp_total' end as item_code,
        '' as scheme_code,
        '' as fund_part,
        '' as sub_unit,
        r.budget_initial as budget_initial_wan_yuan,
        r.budget_adjusted as budget_adjusted_wan_yuan,
        r.actual as actual_wan_yuan,
        r.stated_execution_rate,
        r.weight,
        r.score,
        r.document_id,
        'table' as source_kind,
        r.source_line,
        r.source_text,
        (1, 0, r.document_id, r.source_line, r.row_idx) as source_order
    from rows as r
    -- a table row is the report year's: a document without a plausible year is in marts.quarantine instead
    join documents as d on d.document_id = r.document_id and d.report_year is not null
),

from_facts as (
    select
        unit_id,
        fiscal_year,
        budget_line,
        project_name,
        fund_source,
        item_code,
        '' as scheme_code,
        fund_part,
        sub_unit,
        max(amount_wan_yuan) filter (where basis = 'budget_initial') as budget_initial_wan_yuan,
        max(amount_wan_yuan) filter (where basis = 'budget_adjusted') as budget_adjusted_wan_yuan,
        max(amount_wan_yuan) filter (where basis = 'actual') as actual_wan_yuan,
        null::double as stated_execution_rate,
        null::double as weight,
        null::double as score,
        {{ arg_min("document_id", "(source_line, document_id, fact_id)") }} as document_id,
        {{ arg_min("source_kind", "(source_line, document_id, fact_id)") }} as source_kind,
        min(source_line) as source_line,
        {{ arg_min("source_text", "(source_line, document_id, fact_id)") }} as source_text,
        (2, 0, {{ arg_min("document_id", "(source_line, document_id, fact_id)") }}, min(source_line), 0) as source_order
    from {{ ref('fct_expenditure') }}
    where item_code in ('exp_total', 'exp_basic', 'exp_project')
      and basis in ('budget_initial', 'budget_adjusted', 'actual')
    group by unit_id, fiscal_year, budget_line, project_name, fund_source, item_code, fund_part, sub_unit
    -- a line with a budget, or a funding source's money (中央资金1352.2万元) whatever its basis
    having count(*) filter (where basis like 'budget%') > 0 or fund_source <> 'all'
),

from_rates as (
    select
        d.unit_id,
        r.fiscal_year,
        case when r.subject = 'fund' then 'fund' else r.budget_line end as budget_line,
        coalesce(r.project_name, '') as project_name,
        'all' as fund_source,
        r.item_code,
        coalesce(r.scheme_code, '') as scheme_code,
        -- the rate of one item (三公经费, 收入) is a part of the unit's budget execution: its line names the item;
        -- only the unit's total spending (and a project's) is the whole's rate
        case
            when r.item_code = 'exp_total' or r.project_name <> '' or r.subject = 'fund' then coalesce(r.fund_part, '')
            else coalesce(nullif(r.fund_part, ''), r.item_label, '')
        end as fund_part,
        coalesce(r.sub_unit, '') as sub_unit,
        null::double, null::double, null::double,
        r.stated_execution_rate,
        null::double, null::double,
        r.document_id,
        r.source_kind,
        r.source_line,
        r.source_text,
        -- that year's report first, then the rate's place in its document
        (3, case when r.fiscal_year = d.report_year then 0 else 1 end, r.document_id, r.source_line, r.rate_mention_id) as source_order
    from {{ ref('int_execution_rates') }} as r
    join documents as d on d.document_id = r.document_id
),

unioned as (
    select * from from_tables where fund_source is not null
    union all
    select * from from_facts
    union all
    select * from from_rates
),

merged as (
    select
        unit_id, fiscal_year, budget_line, project_name, fund_source, item_code, scheme_code, fund_part, sub_unit,
        {{ arg_min("budget_initial_wan_yuan", "source_order") }} filter (where budget_initial_wan_yuan is not null) as budget_initial_wan_yuan,
        {{ arg_min("budget_adjusted_wan_yuan", "source_order") }} filter (where budget_adjusted_wan_yuan is not null) as budget_adjusted_wan_yuan,
        {{ arg_min("actual_wan_yuan", "source_order") }} filter (where actual_wan_yuan is not null) as actual_wan_yuan,
        {{ arg_min("stated_execution_rate", "source_order") }} filter (where stated_execution_rate is not null) as stated_execution_rate,
        {{ arg_min("weight", "source_order") }} filter (where weight is not null) as weight,
        {{ arg_min("score", "source_order") }} filter (where score is not null) as score,
        {{ arg_min("document_id", "source_order") }} as document_id,
        {{ arg_min("source_kind", "source_order") }} as source_kind,
        {{ arg_min("source_line", "source_order") }} as source_line,
        {{ arg_min("source_text", "source_order") }} as source_text
    from unioned
    group by all
)

select
    {{ surrogate_key(['unit_id', 'fiscal_year', 'budget_line', 'project_name', 'fund_source', 'item_code', 'scheme_code', 'fund_part', 'sub_unit']) }} as budget_id,
    unit_id,
    fiscal_year,
    budget_line,
    project_name,
    fund_source,
    item_code,
    scheme_code,
    fund_part,
    sub_unit,
    try_cast(budget_initial_wan_yuan as decimal(20, 4)) as budget_initial_wan_yuan,
    try_cast(budget_adjusted_wan_yuan as decimal(20, 4)) as budget_adjusted_wan_yuan,
    try_cast(actual_wan_yuan as decimal(20, 4)) as actual_wan_yuan,
    try_cast(round(100.0 * actual_wan_yuan / nullif(coalesce(budget_adjusted_wan_yuan, budget_initial_wan_yuan), 0), 2) as decimal(10, 2)) as execution_rate,
    stated_execution_rate,
    weight,
    score,
    document_id,
    source_kind,
    source_line,
    source_text
from merged
