-- claimed_change: a printed change ("比去年增加X万元，增长Y%", or a table's 同比变动 金额/占比 columns)
-- against the figures, three ways:
--   * pct_vs_abs   — the stated percentage against the stated amount and the current figure
--                    (prior implied = current − change);
--   * abs_vs_prior — the stated amount against current − prior, the prior taken from the prior-year
--                    column of the same table or, for prose, from another loaded report of the same
--                    unit that states the same fact for the year before (that year's own report first);
--   * pct_vs_prior — the stated percentage against (current − prior) / prior.
-- Tolerances by interval arithmetic on the printed precision of every operand (the ratio's range is
-- the min/max over the corners of the numerator and base intervals).
with claims as (
    select * from {{ ref('int_dq_change_claims') }}
),

variants as (
    -- pct_vs_abs: stated % against stated amount / (current − amount)
    select *, 'pct_vs_abs' as variant, '%' as unit,
           claimed_abs as n, claimed_abs_half as hn,
           current_value - claimed_abs as b, current_half + claimed_abs_half as hb,
           claimed_pct as observed, claimed_pct_half as observed_half
    from claims
    where claimed_abs is not null and claimed_pct is not null and prior_source is distinct from 'column'
    union all
    -- pct_vs_prior: stated % against (current − prior) / prior
    select *, 'pct_vs_prior', '%',
           current_value - prior_value, current_half + prior_half,
           prior_value, prior_half,
           claimed_pct, claimed_pct_half
    from claims
    where claimed_pct is not null and prior_value is not null
    union all
    -- abs_vs_prior: stated amount against current − prior (n carries the expected amount, b = 1)
    select *, 'abs_vs_prior', value_unit,
           current_value - prior_value, current_half + prior_half,
           1, 0,
           claimed_abs, claimed_abs_half
    from claims
    where claimed_abs is not null and prior_value is not null
),

computed as (
    select
        *,
        case when unit = '%' then 100 * n / b else n end as expected,
        case when unit = '%' then 100 * least((n - hn) / (b - hb), (n - hn) / (b + hb), (n + hn) / (b - hb), (n + hn) / (b + hb)) else n - hn end as lo,
        case when unit = '%' then 100 * greatest((n - hn) / (b - hb), (n - hn) / (b + hb), (n + hn) / (b - hb), (n + hn) / (b + hb)) else n + hn end as hi
    from variants
    where unit <> '%' or b - hb > 0  -- a percentage of a base that may be zero says nothing
),

evaluated as (
    select
        *,
        observed - expected as difference,
        case when observed >= expected then hi - expected + observed_half else expected - lo + observed_half end as tolerance
    from computed
)

select
    {{ surrogate_key(["'claimed_change'", 'figure_id', 'variant']) }} as check_id,
    'claimed_change' as check_code,
    'change_' || variant as rule_code,
    case when abs(difference) <= tolerance then 'pass' else 'flag' end as status,
    case when variant = 'pct_vs_abs' then 'warning' else 'info' end as severity,
    unit_id,
    fiscal_year,
    subject,
    {{ list_of(["item_code"]) }} as item_codes,
    try_cast(expected as decimal(38, 6)) as expected_value,
    try_cast(observed as decimal(38, 6)) as observed_value,
    try_cast(difference as decimal(38, 6)) as difference,
    try_cast(tolerance as decimal(38, 6)) as tolerance,
    unit as value_unit,
    case variant
        when 'pct_vs_abs' then '变动率与变动额' || case when abs(difference) <= tolerance then '一致' else '不符' end
            || '：' || item_code || ' 本年 ' || {{ dq_fmt('current_value') }} || '，变动 ' || {{ dq_fmt('claimed_abs') }}
            || '，印变动率 ' || {{ dq_fmt('claimed_pct') }} || '%，按变动额计算 ' || {{ dq_fmt('round(expected, 4)') }} || '%（容差 ±'
            || {{ dq_fmt('round(tolerance, 4)') }} || '）。 Stated percentage ' || case when abs(difference) <= tolerance then 'consistent' else 'inconsistent' end
            || ' with the stated change: ' || item_code || ' now ' || {{ dq_fmt('current_value') }} || ', change ' || {{ dq_fmt('claimed_abs') }}
            || ', printed ' || {{ dq_fmt('claimed_pct') }} || '% vs ' || {{ dq_fmt('round(expected, 4)') }} || '% computed (tolerance ±'
            || {{ dq_fmt('round(tolerance, 4)') }} || ').'
        else '与上年数' || case when abs(difference) <= tolerance then '一致' else '不符' end
            || case prior_source when 'report' then '（上年数取自另一份报告）' else '（上年数取自同表上年列）' end
            || '：' || item_code || ' 本年 ' || {{ dq_fmt('current_value') }} || '，上年 ' || {{ dq_fmt('prior_value') }}
            || '，印变动' || case when unit = '%' then '率 ' else ' ' end || {{ dq_fmt('observed') }} || unit || '，按上年数计算 '
            || {{ dq_fmt('round(expected, 4)') }} || unit || '，差 ' || {{ dq_fmt('round(difference, 4)') }} || '（容差 ±' || {{ dq_fmt('round(tolerance, 4)') }}
            || '）。 Claimed change ' || case when abs(difference) <= tolerance then 'agrees' else 'disagrees' end || ' with the prior-year figure'
            || case prior_source when 'report' then ' (from another report of the unit)' else ' (from the prior-year column)' end
            || ': ' || item_code || ' now ' || {{ dq_fmt('current_value') }} || ', prior ' || {{ dq_fmt('prior_value') }} || ', printed change '
            || {{ dq_fmt('observed') }} || ' ' || unit || ' vs ' || {{ dq_fmt('round(expected, 4)') }} || ' computed, difference '
            || {{ dq_fmt('round(difference, 4)') }} || ' (tolerance ±' || {{ dq_fmt('round(tolerance, 4)') }} || ').'
    end as message,
    {{ list_sorted(list_dedupe(list_keep(list_of(["document_id", "prior_document_id"]), "x -> x is not null"))) }} as document_ids,
    {{ list_map(list_sorted("lines"), "x -> document_id || ':' || cast(x as string)") }}
        || case when prior_document_id is not null then {{ list_of(["prior_document_id || ':' || cast(prior_line as string)"]) }} else {{ list_of([]) }} end as source_lines
from evaluated
