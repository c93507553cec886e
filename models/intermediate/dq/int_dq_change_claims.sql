-- The change claims of a report, one row per figure that a printed change describes: prose ("比去年
-- 增加X万元，增长Y%", tied to its figure by the reader) and table rows (本年 / 上年 / 同比变动 columns),
-- with the prior-year figure where one is known (the same table's 上年 column, or another loaded report
-- of the unit for the year before). Read by int_dq_claimed_change (each claim against the figures) and
-- int_dq_change_sum (the changes of a total against the changes of its components).
-- stg_raw__mentions and int_dq_figures are read by name in each branch, not through one shared CTE:
-- the database copies a CTE read more than once whole, where each read of a table takes only
-- its own columns and rows
with
-- prose claims: change mentions tied (related_mention_id) to the figure they describe
prose_changes as (
    select
        m.document_id,
        m.related_mention_id,
        -- the first change after the figure is its own: a later one (主要原因是…补贴较上年减少483.05万元) is
        -- about what the reason names
        {{ arg_min("m.value", "m.mention_id") }} filter (where m.uom <> '%') as abs_value,
        {{ arg_min("m.decimals", "m.mention_id") }} filter (where m.uom <> '%') as abs_decimals,
        {{ arg_min("m.uom", "m.mention_id") }} filter (where m.uom <> '%') as abs_uom,
        {{ arg_min("m.value", "m.mention_id") }} filter (where m.uom = '%') as pct_value,
        {{ arg_min("m.decimals", "m.mention_id") }} filter (where m.uom = '%') as pct_decimals,
        {{ arg_min("m.change_direction", "m.mention_id") }} as direction,
        {{ list_agg("m.source_line", distinct=true) }} as lines
    from {{ ref('stg_raw__mentions') }} as m
    where m.mention_role = 'change' and m.related_mention_id is not null and m.source_kind = 'narrative'
      and m.number_kind = 'value' and m.change_direction in ('increase', 'decrease')
    group by m.document_id, m.related_mention_id
),

prose_claims as (
    select
        c.figure_id,
        c.document_id, c.unit_id, c.fiscal_year, c.subject, c.item_code, c.value_unit,
        c.value as current_value, c.half_unit as current_half,
        case when c.value_unit = '万元' then {{ to_wan_yuan('ch.abs_value', 'ch.abs_uom') }} else {{ to_persons('ch.abs_value', 'ch.abs_uom') }} end
            * case ch.direction when 'decrease' then -1 else 1 end as claimed_abs,
        case
            when ch.abs_value = 0 then 0
            when c.value_unit = '万元' then {{ half_unit('ch.abs_decimals', 'ch.abs_uom') }}
            else 0.5 * power(10, -coalesce(ch.abs_decimals, 0)) * case ch.abs_uom when '万人' then 10000 else 1 end
        end as claimed_abs_half,
        ch.pct_value * case ch.direction when 'decrease' then -1 else 1 end as claimed_pct,
        0.5 * power(10, -coalesce(ch.pct_decimals, 0)) as claimed_pct_half,
        c.source_line,
        ch.lines
    from prose_changes as ch
    join {{ ref('int_dq_figures') }} as c on c.mention_key = ch.document_id || ':' || cast(ch.related_mention_id as string)
),

prior_reports as (
    -- the same fact for the year before, stated in another report of the unit
    select
        pc.figure_id,
        p.value as prior_value,
        p.half_unit as prior_half,
        p.document_id as prior_document_id,
        p.source_line as prior_line
    from prose_claims as pc
    join {{ ref('int_dq_figures') }} as c on c.figure_id = pc.figure_id
    join {{ ref('int_dq_figures') }} as p
        on p.unit_id = c.unit_id and p.document_id <> c.document_id and p.subject = c.subject
       and p.item_code = c.item_code and p.fiscal_year = c.fiscal_year - 1 and p.basis = c.basis
       and p.budget_line = c.budget_line and p.project_name = c.project_name
       and p.scheme_code = c.scheme_code and p.status = c.status and p.post_type = c.post_type
       -- the same part of the unit (机关事业 within 职工医保 is no prior of the whole)
       and p.fund_part = c.fund_part and p.sub_unit = c.sub_unit and p.fund_source = c.fund_source
    qualify row_number() over (
        partition by pc.figure_id
        order by (p.report_year = p.fiscal_year) desc, (p.source_kind = 'table') desc, p.report_year, p.document_id,
                 p.source_line, p.mention_id, p.figure_id
    ) = 1
),

-- table claims: a row with 本年 (actual), 上年 (prior) and 同比变动 金额 / 占比 cells
table_rows as (
    select
        m.document_id, m.table_id, m.row_idx,
        {{ value_by_role('actual', 'cur_value', 'cur_decimals') }},
        {{ value_by_role('prior', 'prior_value', 'prior_decimals') }},
        {{ value_by_role('change_abs', 'abs_value', 'abs_decimals') }},
        {{ value_by_role('change_pct', 'pct_value', 'pct_decimals', "and m.uom = '%'") }},
        max(m.mention_key) filter (where m.col_role = 'actual') as cur_mention_key,
        max(coalesce(m.uom, '万元')) filter (where m.col_role = 'actual') as cur_uom,
        {{ list_agg("m.source_line", distinct=true) }} as lines
    from {{ ref('stg_raw__mentions') }} as m
    where m.source_kind = 'table' and m.number_kind = 'value'
      and m.col_role in ('actual', 'prior', 'change_abs', 'change_pct')
    group by m.document_id, m.table_id, m.row_idx
    having count(*) filter (where m.col_role in ('change_abs', 'change_pct')) > 0
       and count(*) filter (where m.col_role = 'actual') > 0 and count(*) filter (where m.col_role = 'prior') > 0
),

table_claims as (
    select
        c.figure_id,
        c.document_id, c.unit_id, c.fiscal_year, c.subject, c.item_code, c.value_unit,
        c.value as current_value, c.half_unit as current_half,
        {{ to_wan_yuan('t.abs_value', 't.cur_uom') }} as claimed_abs,
        case when t.abs_value = 0 then 0 else {{ half_unit('t.abs_decimals', 't.cur_uom') }} end as claimed_abs_half,
        t.pct_value as claimed_pct,
        0.5 * power(10, -coalesce(t.pct_decimals, 0)) as claimed_pct_half,
        {{ to_wan_yuan('t.prior_value', 't.cur_uom') }} as prior_value,
        case when t.prior_value = 0 then 0 else {{ half_unit('t.prior_decimals', 't.cur_uom') }} end as prior_half,
        c.source_line,
        t.lines
    from table_rows as t
    join {{ ref('int_dq_figures') }} as c on c.mention_key = t.cur_mention_key
),

claims as (
    select
        pc.*, pr.prior_value, pr.prior_half, pr.prior_document_id, pr.prior_line,
        case when pr.prior_value is not null then 'report' end as prior_source
    from prose_claims as pc
    left join prior_reports as pr on pr.figure_id = pc.figure_id
    union all
    select
        figure_id, document_id, unit_id, fiscal_year, subject, item_code, value_unit, current_value, current_half,
        claimed_abs, claimed_abs_half, claimed_pct, claimed_pct_half, source_line, lines,
        prior_value, prior_half, null as prior_document_id, null as prior_line, 'column' as prior_source
    from table_claims
)

select * from claims
