-- ratio: a printed percentage against the figures it is computed from, within one report.
--   * self-evaluation funding rows: 执行率 (B/A) against 全年执行数 B / 全年预算数 A (年初预算数 when
--     no 全年预算数 is printed);
--   * named rates in prose: "执行率为x%" / "经费发放率为98%" (a word of vocab list execution_rate_word, no
--     base printed) against the report's one pair of outturn and budget figures for the whole of its
--     money (a unit's or its one project's); skipped where the report gives more than one pair;
--   * target completion: "完成目标任务的x%" (base: the same item's target figure, basis target;
--     words of vocab list target_base_word);
--   * prose ratios: "完成预算的x%" / "为预算的x%" (base: the same item's budget figure in the report;
--     年初 or 全年 when the base text says which, else the budget figure closest to the ratio) and
--     "占基本支出的x%" (base: the item the base text names, through the glossary aliases).
-- Interval arithmetic: numerator n ± hn over base b ± hb spans [(n−hn)/(b+hb), (n+hn)/(b−hb)] × 100;
-- the stated rate r ± hr passes when the two intervals overlap. tolerance is the allowance on the
-- side of the difference, so status = flag exactly when |difference| > tolerance.
-- stg_raw__mentions and int_dq_figures are read by name in each branch, not through one shared CTE:
-- the database copies a CTE read more than once whole, where each read of a table takes only
-- its own columns and rows
with documents as (
    select document_id, unit_id, report_year from {{ ref('int_documents') }}
    where is_current
),

aliases as (
    select code, alias, alias_length from {{ ref('int_glossary_aliases') }}
),

-- A. 执行率 of the self-evaluation funding rows -----------------------------------------------
cells as (
    select
        m.document_id, m.table_id, m.row_idx,
        {{ value_by_role('actual', 'actual', 'actual_decimals') }},
        {{ value_by_role('budget_adjusted', 'budget_adjusted', 'budget_adjusted_decimals') }},
        {{ value_by_role('budget_initial', 'budget_initial', 'budget_initial_decimals') }},
        {{ value_by_role('execution_rate', 'rate', 'rate_decimals', "and m.uom = '%'") }},
        min(m.source_line) filter (where m.col_role = 'execution_rate') as rate_line,
        {{ list_agg("m.source_line", distinct=true) }} as lines,
        max(m.row_header) as row_header
    from {{ ref('stg_raw__mentions') }} as m
    where m.table_kind = 'self_evaluation' and m.number_kind = 'value'
      and m.col_role in ('actual', 'budget_adjusted', 'budget_initial', 'execution_rate')
    group by m.document_id, m.table_id, m.row_idx
),

execution_rates as (
    select
        c.document_id,
        d.unit_id,
        d.report_year as fiscal_year,
        'budget' as subject,
        'execution_rate' as ratio_kind,
        {{ list_of(["'execution_rate'"]) }} as item_codes,
        try_cast(c.actual as decimal(38, 10)) as numerator,
        try_cast(case when c.actual = 0 then 0 else 0.5 * power(10, -coalesce(c.actual_decimals, 0)) end as decimal(38, 10)) as numerator_half,
        try_cast(coalesce(c.budget_adjusted, c.budget_initial) as decimal(38, 10)) as base,
        try_cast(0.5 * power(10, -coalesce(case when c.budget_adjusted is not null then c.budget_adjusted_decimals else c.budget_initial_decimals end, 0)) as decimal(38, 10)) as base_half,
        try_cast(c.rate as decimal(38, 10)) as stated_rate,
        try_cast(0.5 * power(10, -coalesce(c.rate_decimals, 0)) as decimal(38, 10)) as rate_half,
        coalesce(c.row_header, '') || ' 执行率 / execution rate' as what,
        c.rate_line as source_line,
        c.lines,
        {{ surrogate_key(['c.document_id', 'c.table_id', 'c.row_idx']) }} as ratio_key,
        cast(null as string) as base_figure_id
    from cells as c
    join documents as d on d.document_id = c.document_id and d.report_year is not null  -- the rate is the report year's
    where c.rate is not null and c.actual is not null and coalesce(c.budget_adjusted, c.budget_initial) > 0
),

-- C. named execution rates in prose ---------------------------------------------------------
rate_words as (
    select word from {{ ref('vocab_reader') }} where list = 'execution_rate_word'
),

named_rates as (
    select m.document_id, m.mention_key, m.source_line, m.value as stated_rate, m.decimals, m.label
    from {{ ref('stg_raw__mentions') }} as m
    where m.uom = '%' and m.number_kind = 'value' and m.source_kind = 'narrative' and m.ratio_base_text is null
      and exists (select 1 from rate_words as w where contains(m.label, w.word))
),

whole_money as (
    -- outturn and budget of the whole (no part, no sub-unit, all sources), per document
    select * from {{ ref('int_dq_figures') }}
    where subject in ('expenditure', 'budget') and fund_source = 'all' and fund_part = '' and sub_unit = ''
      and basis in ('actual', 'budget_adjusted', 'budget_initial') and value > 0
),

money_pairs as (
    select a.document_id, a.unit_id, a.fiscal_year, a.subject, a.item_code, a.value as actual, a.half_unit as actual_half,
           b.value as budget, b.half_unit as budget_half, a.source_line as actual_line, b.source_line as budget_line_no
    from whole_money as a
    join whole_money as b
        on b.document_id = a.document_id and b.item_code = a.item_code and b.project_name = a.project_name
       and b.fiscal_year = a.fiscal_year and b.budget_line = a.budget_line and b.basis like 'budget%'
    where a.basis = 'actual'
    -- 全年预算 (adjusted) where the report prints it, else 年初
    qualify rank() over (partition by a.figure_id order by (b.basis = 'budget_adjusted') desc) = 1
),

sole_pairs as (
    -- the report's money has one outturn and one budget (printed as often as it likes)
    select document_id, any_value(unit_id) as unit_id, any_value(fiscal_year) as fiscal_year, any_value(subject) as subject,
           any_value(item_code) as item_code, any_value(actual) as actual, max(actual_half) as actual_half,
           any_value(budget) as budget, max(budget_half) as budget_half,
           {{ list_dedupe("flatten(" ~ list_agg(list_of(["actual_line", "budget_line_no"])) ~ ")") }} as lines
    from money_pairs
    group by document_id
    having count(distinct actual) = 1 and count(distinct budget) = 1
),

named_ratios as (
    select
        r.document_id, p.unit_id, p.fiscal_year, p.subject, 'named_execution_rate' as ratio_kind,
        {{ list_of(["'execution_rate'"]) }} as item_codes,
        try_cast(p.actual as decimal(38, 10)) as numerator,
        try_cast(p.actual_half as decimal(38, 10)) as numerator_half,
        try_cast(p.budget as decimal(38, 10)) as base,
        try_cast(p.budget_half as decimal(38, 10)) as base_half,
        try_cast(r.stated_rate as decimal(38, 10)) as stated_rate,
        try_cast(0.5 * power(10, -coalesce(r.decimals, 0)) as decimal(38, 10)) as rate_half,
        r.label || ' / ' || p.item_code || ' 执行数 / 预算数' as what,
        r.source_line,
        {{ list_dedupe("p.lines || " ~ list_of(["r.source_line"])) }} as lines,
        {{ surrogate_key(['r.mention_key']) }} as ratio_key,
        cast(null as string) as base_figure_id
    from named_rates as r
    join sole_pairs as p on p.document_id = r.document_id
),

-- B. prose ratios ---------------------------------------------------------------------------
ratio_mentions as (
    select
        m.document_id, m.mention_id, m.mention_key, m.source_line, m.value as stated_rate, m.decimals,
        m.ratio_base_text, m.basis_text, n.figure_id as numerator_figure_id
    from {{ ref('stg_raw__mentions') }} as m
    join {{ ref('int_dq_figures') }} as n on n.mention_key = m.document_id || ':' || cast(m.related_mention_id as string)
    where m.mention_role = 'ratio' and m.uom = '%' and m.number_kind = 'value'
      and m.ratio_base_text is not null and m.source_kind = 'narrative'
),

target_words as (
    select word from {{ ref('vocab_reader') }} where list = 'target_base_word'
),

own_bases as (
    -- the same item's budget ("完成预算的x%": 年初 or 全年 when the base text says which) or target
    -- ("完成目标任务的105%", basis target) in the same report, of the same part
    select r.*, b.figure_id as base_figure_id, b.basis as base_basis
    from ratio_mentions as r
    join {{ ref('int_dq_figures') }} as n on n.figure_id = r.numerator_figure_id
    join {{ ref('int_dq_figures') }} as b
        on b.document_id = n.document_id and b.subject = n.subject and b.item_code = n.item_code
       and b.fiscal_year = n.fiscal_year and b.budget_line = n.budget_line and b.project_name = n.project_name
       and b.scheme_code = n.scheme_code and b.status = n.status
       and b.basis in ('budget_initial', 'budget_adjusted', 'target')
    where case
        when {{ regex_match("r.ratio_base_text", "'预算'") }} then
            b.basis like 'budget%'
            and (not {{ regex_match("r.ratio_base_text", "'年初'") }} or b.basis = 'budget_initial')
            and (not {{ regex_match("r.ratio_base_text", "'全年|调整'") }} or b.basis = 'budget_adjusted')
        else
            b.basis = 'target' and n.basis <> 'target' and b.sub_unit = n.sub_unit and b.fund_part = n.fund_part
            and exists (select 1 from target_words as w where contains(r.ratio_base_text, w.word))
    end
),

named_bases as (
    -- "占基本支出的x%": the figure the base text names (a glossary alias), nearest in the report
    select r.*, b.figure_id as base_figure_id, b.basis as base_basis
    from ratio_mentions as r
    join {{ ref('int_dq_figures') }} as n on n.figure_id = r.numerator_figure_id
    join aliases as a
        on a.alias = {{ regex_replace_first("r.ratio_base_text", "'^(占|为|是)'", "''") }}
        or (a.alias_length >= 3 and {{ ends_with("r.ratio_base_text", "a.alias") }})
    join {{ ref('int_dq_figures') }} as b
        on b.document_id = n.document_id and b.item_code = a.code and b.fiscal_year = n.fiscal_year
       and b.basis = n.basis and b.value_unit = n.value_unit and b.figure_id <> n.figure_id
       -- a share of the item's own total (占参保总人数的67.6%) is of the whole of the same scheme, not of another part
       and (b.item_code <> n.item_code or (b.fund_part = '' and b.sub_unit = '' and b.scheme_code = n.scheme_code))
    where not {{ regex_match("r.ratio_base_text", "'预算'") }}
    qualify row_number() over (
        partition by r.mention_key
        order by (b.fund_part = '' and b.sub_unit = '') desc, abs(b.source_line - r.source_line), b.source_line, b.mention_id, b.figure_id
    ) = 1
),

prose_candidates as (
    select
        r.document_id,
        n.unit_id,
        n.fiscal_year,
        n.subject,
        case when b.basis = 'target' then 'target_completion'
             when b.basis like 'budget%' and b.item_code = n.item_code then 'budget_completion' else 'share' end as ratio_kind,
        case when n.item_code = b.item_code then {{ list_of(['n.item_code']) }} else {{ list_of(['n.item_code', 'b.item_code']) }} end as item_codes,
        n.value as numerator,
        n.half_unit as numerator_half,
        b.value as base,
        b.half_unit as base_half,
        try_cast(r.stated_rate as decimal(38, 10)) as stated_rate,
        try_cast(0.5 * power(10, -coalesce(r.decimals, 0)) as decimal(38, 10)) as rate_half,
        n.item_code || ' / ' || b.item_code || '(' || b.basis || ')' as what,
        r.source_line,
        {{ list_dedupe(list_of(["r.source_line", "n.source_line", "b.source_line"])) }} as lines,
        {{ surrogate_key(['r.mention_key']) }} as ratio_key,
        b.figure_id as base_figure_id
    from (select * from own_bases union all select * from named_bases) as r
    join {{ ref('int_dq_figures') }} as n on n.figure_id = r.numerator_figure_id
    join {{ ref('int_dq_figures') }} as b on b.figure_id = r.base_figure_id
    where b.value > b.half_unit
),

prose_ratios as (
    -- with two budget figures (年初 and 全年) and a bare 预算, keep the one the rate matches best
    select * from prose_candidates
    qualify row_number() over (partition by ratio_key order by abs(stated_rate - 100 * numerator / base), base_figure_id) = 1
),

all_ratios as (
    select * from execution_rates
    union all
    select * from prose_ratios
    union all
    select * from named_ratios
),

intervals as (
    select
        *,
        100 * numerator / base as computed,
        100 * greatest(numerator - numerator_half, 0) / (base + base_half) as lo,
        case when base - base_half > 0 then 100 * (numerator + numerator_half) / (base - base_half) end as hi
    from all_ratios
),

evaluated as (
    select
        *,
        stated_rate - computed as difference,
        case
            when stated_rate >= computed then coalesce(hi, 1e9) - computed + rate_half
            else computed - lo + rate_half
        end as tolerance
    from intervals
)

select
    {{ surrogate_key(["'ratio'", 'ratio_key']) }} as check_id,
    'ratio' as check_code,
    'ratio_' || ratio_kind as rule_code,
    case when abs(difference) <= tolerance then 'pass' else 'flag' end as status,
    'warning' as severity,
    unit_id,
    fiscal_year,
    subject,
    item_codes,
    try_cast(computed as decimal(38, 6)) as expected_value,
    try_cast(stated_rate as decimal(38, 6)) as observed_value,
    try_cast(difference as decimal(38, 6)) as difference,
    try_cast(tolerance as decimal(38, 6)) as tolerance,
    '%' as value_unit,
    case when abs(difference) <= tolerance
        then '比率与数据一致：' || what || ' 印 ' || {{ dq_fmt('stated_rate') }} || '%，按数据计算 ' || {{ dq_fmt('round(computed, 4)') }}
             || '%（容差 ±' || {{ dq_fmt('round(tolerance, 4)') }} || '%，舍入可解释）。 Ratio consistent: ' || what || ' printed '
             || {{ dq_fmt('stated_rate') }} || '%, figures give ' || {{ dq_fmt('round(computed, 4)') }} || '% (tolerance ±'
             || {{ dq_fmt('round(tolerance, 4)') }} || '%, explained by rounding).'
        else '比率与数据不符：' || what || ' 印 ' || {{ dq_fmt('stated_rate') }} || '%，按 ' || {{ dq_fmt('numerator') }} || ' / '
             || {{ dq_fmt('base') }} || ' 计算为 ' || {{ dq_fmt('round(computed, 4)') }} || '%，差 ' || {{ dq_fmt('round(difference, 4)') }}
             || ' 个百分点，超出打印精度容差 ±' || {{ dq_fmt('round(tolerance, 4)') }} || '。 Ratio inconsistent: ' || what || ' printed '
             || {{ dq_fmt('stated_rate') }} || '%, but ' || {{ dq_fmt('numerator') }} || ' / ' || {{ dq_fmt('base') }} || ' = '
             || {{ dq_fmt('round(computed, 4)') }} || '%, a difference of ' || {{ dq_fmt('round(difference, 4)') }}
             || ' points beyond the printed-precision tolerance ±' || {{ dq_fmt('round(tolerance, 4)') }} || '.'
    end as message,
    {{ list_of(["document_id"]) }} as document_ids,
    {{ list_map(list_sorted("lines"), "x -> document_id || ':' || cast(x as string)") }} as source_lines
from evaluated
