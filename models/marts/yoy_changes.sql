-- Year-over-year changes: every chosen fact that has a prior-year value (from the prior year's own
-- report, or from a prior-year column of a later report — int_facts_chosen has already resolved
-- fiscal_year and picked one value per fact) or that the report says changed; with the change the
-- report itself claims (比上年增加/减少, 增长/下降, a table's 同比变动 columns) and a claim check.
--
-- The check is precision-aware: a printed figure stands for an interval of half a unit of its last
-- printed digit (272.08万元 → ±0.005万元; 1.53亿元 → ±50万元). The true change lies within the
-- interval arithmetic of value and prior value; a claim is consistent when its own printed interval
-- meets that range. No fixed epsilon.
-- stg_raw__mentions is read by name in each branch, not through one shared CTE:
-- the database copies a CTE read more than once whole, where each read of a table takes only
-- its own columns and rows
with facts as (
    select
        fact_id,
        unit_id,
        subject,
        item_code,
        scheme_code,
        budget_line,
        project_name,
        status,
        post_type,
        fund_part,
        sub_unit,
        fund_source,
        basis,
        fiscal_year,
        case when subject in ('enrollment', 'staffing') then try_cast(value_persons as decimal(24, 4))
             else try_cast(amount_wan_yuan as decimal(24, 4)) end as value,
        case when subject in ('enrollment', 'staffing')
             then case when stated_uom in ('人', '万人', '人次') then '人' else stated_uom end
             else '万元' end as value_uom,
        stated_value,
        stated_uom,
        decimals as stated_decimals,
        -- half a unit of the last printed digit, in the unit of `value`; a printed 0 (nothing spent)
        -- and a whole count of persons, posts or employers are exact
        case
            when stated_value = 0 then 0
            when subject in ('enrollment', 'staffing') and stated_uom <> '万人' and coalesce(decimals, 0) = 0 then 0
            when subject in ('enrollment', 'staffing')
                then 0.5 * power(10, -coalesce(decimals, 0)) * case stated_uom when '万人' then 10000 else 1 end
            else {{ half_unit('decimals', 'stated_uom') }}
        end as half_unit,
        n_sources,
        document_id,
        source_kind,
        source_line,
        source_text,
        -- one series: the same unit, subject, item and basis across years
        {{ surrogate_key(fact_grain(with_year=false)) }} as series_id
    from {{ ref('int_facts_chosen') }}
    where subject in ('expenditure', 'income', 'enrollment', 'fund', 'staffing')
      and coalesce(amount_wan_yuan, value_persons) is not null
),

candidates as (
    -- a claim counts only from a current document, about a figure that is not quarantined
    select * from {{ ref('int_fact_candidates') }} where is_current and quarantine_reason is null
),

-- prose: a change mention names the level mention it qualifies (related_mention_id)
narrative_claims as (
    select
        ch.document_id,
        ch.mention_key as claim_mention_key,
        ch.document_id || ':' || ch.related_mention_id as level_mention_key,
        case when ch.uom = '%' then 'pct' else 'abs' end as claim_kind,
        ch.value,
        ch.uom,
        ch.decimals,
        ch.change_direction,
        ch.source_kind,
        ch.source_line,
        ch.sentence as source_text
    from {{ ref('stg_raw__mentions') }} as ch
    where ch.mention_role = 'change' and ch.number_kind = 'value'
      and ch.related_mention_id is not null and ch.col_role is null
),

-- tables: a 同比变动 金额 / 占比 cell qualifies the current-year figure of its own row
row_levels as (
    select document_id, table_id, row_idx, mention_key
    from {{ ref('stg_raw__mentions') }}
    where mention_role = 'level' and table_id is not null and coalesce(col_role, '') <> 'prior'
      and coalesce(year_relation, 'current') = 'current'
    qualify row_number() over (
        partition by document_id, table_id, row_idx order by (col_role = 'actual') desc, col_idx desc, mention_id
    ) = 1
),

table_claims as (
    select
        ch.document_id,
        ch.mention_key as claim_mention_key,
        r.mention_key as level_mention_key,
        case when ch.col_role = 'change_pct' or ch.uom = '%' then 'pct' else 'abs' end as claim_kind,
        ch.value,
        ch.uom,
        ch.decimals,
        ch.change_direction,
        ch.source_kind,
        ch.source_line,
        ch.sentence as source_text
    from {{ ref('stg_raw__mentions') }} as ch
    join row_levels as r on r.document_id = ch.document_id and r.table_id = ch.table_id and r.row_idx = ch.row_idx
    where ch.mention_role = 'change' and ch.number_kind = 'value' and ch.col_role in ('change_abs', 'change_pct')
),

claims_attached as (
    select
        c.*,
        k.subject,
        k.stated_uom as level_uom,
        -- a claim is about the report year against the year before; when the level mention it
        -- names is the comparison base ("较2022年支出总额0.53万元增加了0.52万元"), it belongs to the next year
        case when k.fiscal_year < k.report_year then k.fiscal_year + 1 else k.fiscal_year end as fiscal_year,
        {{ surrogate_key(fact_grain('k.', with_year=false)) }} as series_id
    from (select * from narrative_claims union all select * from table_claims) as c
    join candidates as k on k.mention_key = c.level_mention_key
),

claims_valued as (
    select
        *,
        -- signed: a stated direction wins; a table's printed sign otherwise (负数为节约)
        case change_direction when 'decrease' then -abs(value) when 'increase' then abs(value) else value end as signed_value,
        case
            when value = 0 then 0
            when claim_kind = 'pct' then 0.5 * power(10, -coalesce(decimals, 0))
            when subject in ('enrollment', 'staffing') and coalesce(uom, level_uom) <> '万人' and coalesce(decimals, 0) = 0 then 0
            when subject in ('enrollment', 'staffing')
                then 0.5 * power(10, -coalesce(decimals, 0)) * case coalesce(uom, level_uom) when '万人' then 10000 else 1 end
            else {{ half_unit('decimals', 'coalesce(uom, level_uom)') }}
        end as claim_half_unit,
        case
            when claim_kind = 'pct' then 1
            when subject in ('enrollment', 'staffing')
                then case coalesce(uom, level_uom) when '万人' then 10000 when '人' then 1 when '人次' then 1
                                                   when '个' then 1 when '家' then 1 end
            else {{ to_wan_yuan('1', 'coalesce(uom, level_uom)') }}
        end as claim_factor
    from claims_attached
),

claims as (
    -- one claim of each kind per fact: the fact's own document first, a table over prose, then the earlier line
    select
        series_id,
        fiscal_year,
        claim_kind,
        try_cast(signed_value * claim_factor as decimal(24, 4)) as claimed_change,
        claim_half_unit,
        document_id,
        source_line,
        source_text,
        count(*) over (partition by series_id, fiscal_year, claim_kind) as n_claims
    from claims_valued
    where claim_factor is not null
    qualify row_number() over (
        partition by series_id, fiscal_year, claim_kind
        order by (source_kind = 'table') desc, source_line, document_id, claim_mention_key
    ) = 1
),

paired as (
    select
        f.*,
        p.fact_id as prior_fact_id,
        p.value as prior_value,
        p.stated_value as prior_stated_value,
        p.stated_uom as prior_stated_uom,
        p.half_unit as prior_half_unit,
        p.document_id as prior_document_id,
        p.source_line as prior_source_line,
        p.source_text as prior_source_text,
        ca.claimed_change as claimed_abs_change,
        ca.claim_half_unit as claimed_abs_half_unit,
        cp.claimed_change as claimed_pct_change,
        cp.claim_half_unit as claimed_pct_half_unit,
        coalesce(ca.n_claims, 0) + coalesce(cp.n_claims, 0) as n_claims,
        coalesce(ca.document_id, cp.document_id) as claim_document_id,
        coalesce(ca.source_line, cp.source_line) as claim_source_line,
        coalesce(ca.source_text, cp.source_text) as claim_source_text
    from facts as f
    left join facts as p on p.series_id = f.series_id and p.fiscal_year = f.fiscal_year - 1
    left join claims as ca on ca.series_id = f.series_id and ca.fiscal_year = f.fiscal_year and ca.claim_kind = 'abs'
    left join claims as cp on cp.series_id = f.series_id and cp.fiscal_year = f.fiscal_year and cp.claim_kind = 'pct'
    where p.fact_id is not null or ca.claimed_change is not null or cp.claimed_change is not null
),

intervals as (
    select
        *,
        value - prior_value as abs_change,
        -- the change's interval from the printed precision of both figures
        (value - half_unit) - (prior_value + prior_half_unit) as change_low,
        (value + half_unit) - (prior_value - prior_half_unit) as change_high,
        prior_value - prior_half_unit as prior_low,
        prior_value + prior_half_unit as prior_high
    from paired
),

judged as (
    select
        *,
        case when prior_value <> 0 then 100.0 * (value - prior_value) / prior_value end as pct_change_exact,
        -- the percentage's interval; undefined when the prior value may be zero at its printed precision
        case when prior_low > 0 then 100.0 * least(change_low / prior_low, change_low / prior_high) end as pct_change_low,
        case when prior_low > 0 then 100.0 * greatest(change_high / prior_low, change_high / prior_high) end as pct_change_high,
        half_unit + coalesce(prior_half_unit, 0) + coalesce(claimed_abs_half_unit, 0) as abs_tolerance
    from intervals
),

checked as (
    select
        *,
        case
            when claimed_abs_change is null or prior_value is null then null
            else abs(abs_change - claimed_abs_change) <= abs_tolerance
        end as abs_claim_ok,
        case
            when claimed_pct_change is null or prior_value is null or pct_change_low is null then null
            else claimed_pct_change + claimed_pct_half_unit >= pct_change_low
                 and claimed_pct_change - claimed_pct_half_unit <= pct_change_high
        end as pct_claim_ok
    from judged
)

select
    -- ids
    {{ surrogate_key(['series_id', 'fiscal_year']) }} as yoy_id,
    series_id,
    fact_id,
    prior_fact_id,
    unit_id,
    -- what
    subject,
    item_code,
    scheme_code,
    budget_line,
    project_name,
    status,
    post_type,
    fund_part,
    sub_unit,
    fund_source,
    basis,
    fiscal_year,
    fiscal_year - 1 as prior_fiscal_year,
    -- the figures (万元 for money, persons for people)
    value,
    value_uom,
    prior_value,
    try_cast(abs_change as decimal(24, 4)) as abs_change,
    try_cast(round(pct_change_exact, 2) as decimal(12, 2)) as pct_change,
    stated_value,
    stated_uom,
    stated_decimals,
    prior_stated_value,
    prior_stated_uom,
    -- what the report claims
    claimed_abs_change,
    try_cast(claimed_pct_change as decimal(12, 2)) as claimed_pct_change,
    try_cast(value - claimed_abs_change as decimal(24, 4)) as implied_prior_value,
    n_claims,
    -- the check
    case
        when claimed_abs_change is null and claimed_pct_change is null then 'no_claim'
        when prior_value is null then 'no_prior'
        when coalesce(abs_claim_ok, true) and coalesce(pct_claim_ok, true) then 'consistent'
        else 'inconsistent'
    end as claim_check,
    abs_claim_ok,
    pct_claim_ok,
    try_cast(abs_change - claimed_abs_change as decimal(24, 4)) as abs_claim_difference,
    try_cast(case when claimed_abs_change is not null and prior_value is not null then abs_tolerance end as decimal(24, 6)) as abs_claim_tolerance,
    try_cast(pct_change_low as decimal(14, 4)) as pct_change_low,
    try_cast(pct_change_high as decimal(14, 4)) as pct_change_high,
    -- provenance: this year's figure, the prior year's, and the claim
    document_id,
    source_kind,
    source_line,
    source_text,
    prior_document_id,
    prior_source_line,
    prior_source_text,
    claim_document_id,
    claim_source_line,
    claim_source_text
from checked
