-- Budget against execution: each self-evaluation funding row (年度资金总额, 当年财政拨款, 上年结转 …)
-- with its 年初预算数, 全年预算数, 全年执行数, weight and score; plus, for lines no self-evaluation
-- table covers, the budget and outturn of exp_total / exp_basic / exp_project from the expenditure facts.
with rows as (
    select * from {{ ref('int_evaluation_rows') }} where row_type = 'funding'
),

documents as (
    select * from {{ ref('int_documents') }}
),

from_tables as (
    select
        d.unit_id,
        d.report_year as fiscal_year,
        case when r.evaluation = 'project' then 'project' else 'all' end as budget_line,
        r.project_name,
        case
            when regexp_matches(r.row_label, '年度资金总额|资金总额') then 'all'
            when regexp_matches(r.row_label, '上年结转') then 'prior_carryover'
            when regexp_matches(r.row_label, '当年财政拨款|本年财政拨款|财政拨款') then 'current_appropriation'
            when regexp_matches(r.row_label, '一般公共预算') then 'general_public_budget'
            when regexp_matches(r.row_label, '政府性基金') then 'gov_fund'
            when regexp_matches(r.row_label, '专户|非税') then 'special_account_nontax'
            when regexp_matches(r.row_label, '其他资金|其他') then 'other'
        end as fund_source,
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
        1 as source_rank
    from rows as r
    join documents as d on d.document_id = r.document_id
),

from_facts as (
    select
        unit_id,
        fiscal_year,
        case item_code when 'exp_basic' then 'basic' when 'exp_project' then 'project' else 'all' end as budget_line,
        '' as project_name,
        'all' as fund_source,
        max(amount_wan_yuan) filter (where basis = 'budget_initial') as budget_initial_wan_yuan,
        max(amount_wan_yuan) filter (where basis = 'budget_adjusted') as budget_adjusted_wan_yuan,
        max(amount_wan_yuan) filter (where basis = 'actual') as actual_wan_yuan,
        null::double as stated_execution_rate,
        null::double as weight,
        null::double as score,
        arg_min(document_id, source_line) as document_id,
        arg_min(source_kind, source_line) as source_kind,
        min(source_line) as source_line,
        arg_min(source_text, source_line) as source_text,
        2 as source_rank
    from {{ ref('fct_expenditure') }}
    where item_code in ('exp_total', 'exp_basic', 'exp_project') and project_name = ''
      and basis in ('budget_initial', 'budget_adjusted', 'actual')
    group by unit_id, fiscal_year, item_code
    having count(*) filter (where basis like 'budget%') > 0
),

unioned as (
    select * from from_tables where fund_source is not null
    union all
    select * from from_facts
)

select
    {{ surrogate_key(['unit_id', 'fiscal_year', 'budget_line', 'project_name', 'fund_source']) }} as budget_id,
    unit_id,
    fiscal_year,
    budget_line,
    project_name,
    fund_source,
    cast(budget_initial_wan_yuan as decimal(20, 4)) as budget_initial_wan_yuan,
    cast(budget_adjusted_wan_yuan as decimal(20, 4)) as budget_adjusted_wan_yuan,
    cast(actual_wan_yuan as decimal(20, 4)) as actual_wan_yuan,
    cast(round(100.0 * actual_wan_yuan / nullif(coalesce(budget_adjusted_wan_yuan, budget_initial_wan_yuan), 0), 2) as decimal(10, 2)) as execution_rate,
    stated_execution_rate,
    weight,
    score,
    document_id,
    source_kind,
    source_line,
    source_text
from unioned
qualify row_number() over (
    partition by unit_id, fiscal_year, budget_line, project_name, fund_source order by source_rank, source_line
) = 1
