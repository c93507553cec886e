-- Every mapped mention as a candidate fact: subject, codes split into contract columns, values in
-- 万元 / persons, fiscal year, basis, budget line and project, with provenance. Several candidates
-- may state the same fact; int_facts_chosen keeps one and counts the rest. A candidate whose year or
-- value cannot be true (a fiscal year outside 1990–2100, an amount above 10^11 万元, a negative or
-- impossibly large head count — the vars plausible_* of dbt_project.yml) carries a quarantine_reason:
-- it goes to marts.quarantine instead of the marts, and never stops the build.
with mapped as (
    -- only the mentions final can keep (a level, or an enrollment indicator value, with no qualifier):
    -- the same rows as filtering at the end (nothing between aggregates), but the rest are never
    -- widened or joined. What a candidate looks up about other mentions (its parent, its document's
    -- budgets) reads the table itself, naming its few columns: a CTE read more than once is copied
    -- whole by the database (1.7 million wide rows at 10,000 reports)
    select * from {{ ref('int_mentions_mapped_to_items') }}
    where qualifier is null and mention_role in ('level', 'indicator_value')
),

documents as (
    select * from {{ ref('int_documents') }}
),

tables as (
    select document_id, table_id, evaluation, project_name as table_project_name, title as table_title
    from {{ ref('stg_raw__tables') }}
),

parents as (
    select document_id, mention_id, item_code as parent_item_code, item_text as parent_item_text,
           basis_text as parent_basis_text
    from {{ ref('int_mentions_mapped_to_items') }}
),

year_own_totals as (
    -- 本年收入 / 本年支出 (seed vocab_reader): the year's own figure inside a grand total
    select word as alias, value as subject from {{ ref('vocab_reader') }} where list = 'year_own_total'
),

grand_totals as (
    -- a figure with a year's own total listed under it (总收入581.45万元,其中本年收入390.55万元) is the grand total
    select distinct p.document_id, p.mention_id
    from {{ ref('int_mentions_mapped_to_items') }} as c
    join year_own_totals as y on y.alias = c.item_text
    join {{ ref('int_mentions_mapped_to_items') }} as p on p.document_id = c.document_id and p.mention_id = c.parent_mention_id
    where p.item_code in ('income_total', 'exp_total')
),

equivalences as (
    select * from {{ ref('code_equivalences') }}
),

adjusted_budgets as (
    -- documents that print an adjusted budget (全年预算数 / 调整后预算) for the unit, and the tables
    -- that have a column of their own for it
    select
        document_id,
        {{ list_agg("table_id", distinct=true) }} filter (where col_role = 'budget_adjusted') as tables_with_adjusted_column
    from {{ ref('int_mentions_mapped_to_items') }}
    where basis_text = '全年预算' or col_role = 'budget_adjusted'
    group by document_id
),

enriched as (
    select
        m.*,
        d.unit_id,
        d.report_year,
        d.is_current,
        d.loaded_at,
        d.default_money_uom,
        d.document_kind,
        p.parent_item_code,
        p.parent_basis_text,
        -- a bare 预算 in a report that speaks of its adjusted budget elsewhere (CONTRACT.md): in prose,
        -- or in a table without a column of its own for the adjusted budget
        (a.document_id is not null and m.basis_text = '预算'
            and (m.source_kind = 'narrative'
                 or (m.col_role is distinct from 'budget_initial'
                     and not {{ list_has("coalesce(a.tables_with_adjusted_column, " ~ list_of([]) ~ ")", "m.table_id") }}))) as bare_budget_is_adjusted,
        t.evaluation as table_evaluation,
        t.table_project_name,
        t.table_title,
        {{ list_last(split_to_list("coalesce(m.section_path, '')", "' > '")) }} as deepest_heading,
        -- a project row of a 基础数据表 (under 项目支出) names the project rather than an item
        -- (the template's category rows such as 3、本级专项资金（一个专项一行） are not projects)
        -- (a project's name may contain item words — 财政补贴专项资金 — but on such a row it names the project)
        (m.source_kind = 'table' and m.parent_row_label like '%项目支出%'
            and coalesce(m.item_code, '') not in ('exp_project', 'exp_total')
            and m.uom_family = 'money' and m.mention_role = 'level'
            and not {{ regex_match("coalesce(m.row_header, '')", "'一个专项一行|^([0-9]+、)?(省级|市级|县级|区级|本级)专项资金'") }}) as is_project_row,
        -- a figure listed under 项目支出 (其中/包括 …) that names no item names a project
        (m.item_code is null
            and m.uom_family = 'money' and m.mention_role = 'level' and m.qualifier is null
            and p.parent_item_code = 'exp_project' and m.item_text is not null) as is_project_child,
        -- money the reader found named by a programme (困难群众救助补助资金35331.2万元) or stated in a
        -- project self-evaluation (收到财政资金共2330.9万元) with no item of its own: that project's money
        (m.project_text is not null and m.uom_family = 'money' and m.mention_role = 'level' and m.qualifier is null
            and (m.item_code is null or m.item_code in ('exp_project', 'exp_total'))) as is_project_money,
        -- the 年度资金总额 of a self-evaluation: a project's budget and outturn, or the unit's
        (m.table_kind = 'self_evaluation'
            and (m.item_code = 'eval_funds_total'
                 or (m.parent_row_label like '%资金总额%' and m.col_role in ('budget_initial', 'budget_adjusted', 'actual')))
        ) as is_evaluation_funding,
        -- a source line of that total (中央财政资金, 当年财政拨款, 上年结转 …)
        (m.table_kind = 'self_evaluation' and m.parent_row_label like '%资金总额%'
            and m.col_role in ('budget_initial', 'budget_adjusted', 'actual')) as is_funding_source,
        g.mention_id is not null as is_grand_total,
        -- a listed component that states the same code as the figure it breaks down (其中在编人员16人
        -- under 现有职工23人): a part with no code of its own
        (m.parent_mention_id is not null and p.parent_item_code = m.item_code and m.status_text is null
            and m.scheme_source is distinct from 'label' and m.mention_role = 'level'
            and m.item_text not in (select alias from year_own_totals)) as is_same_code_child,
        -- an enrollment figure named only by its scheme: 企业职工养老保险1733.58万人. Only: a label with
        -- words of its own beside the scheme names a group within it (核工业城乡居保代发人员1033人,
        -- 享受工伤保险待遇14.36万人), not the scheme's insured
        (m.item_code is null and m.uom_family = 'persons' and m.context = 'enrollment'
            and m.scheme_code is not null and m.scheme_source = 'label' and m.mention_role = 'level' and m.qualifier is null
            and coalesce(m.item_text, '') in ('', '参保', '有')
            and replace(replace(coalesce(m.label_core, ''), m.scheme_text, ''), coalesce(m.item_text, ''), '') = ''
        ) as is_scheme_enrollment
    from mapped as m
    join documents as d on d.document_id = m.document_id
    left join parents as p on p.document_id = m.document_id and p.mention_id = m.parent_mention_id
    left join tables as t on t.document_id = m.document_id and t.table_id = m.table_id
    left join adjusted_budgets as a on a.document_id = m.document_id
    left join grand_totals as g on g.document_id = m.document_id and g.mention_id = m.mention_id
),

coded as (
    select
        *,
        case
            when is_project_row or is_project_child or is_project_money then 'exp_project'
            when is_evaluation_funding then case when table_evaluation = 'overall' then 'exp_total' else 'exp_project' end
            when is_scheme_enrollment then 'insured_persons'
            when item_code in ('insured_active', 'insured_retired') then 'insured_persons'
            when item_code like 'authorized_posts_%' then 'authorized_posts'
            -- 退休人员 and 离休人员 are the two kinds of retired staff; 离休 is kept apart as a part below
            when item_code in ('retired_tuixiu', 'retired_lixiu') then 'retired_staff'
            when is_grand_total and item_code = 'income_total' then 'income_grand_total'
            when is_grand_total and item_code = 'exp_total' then 'exp_grand_total'
            else item_code
        end as fact_code,
        case
            when is_project_row or is_project_child or is_project_money or is_evaluation_funding then 'expenditure'
            -- 代缴保费 and other money words of the enrollment domain are a fund's figures
            when item_domain = 'enrollment' and uom_family = 'money' then 'fund'
            when is_scheme_enrollment then 'enrollment'
            -- a project count is a service output (the glossary files it under evaluation)
            when item_code = 'project_count' then 'service_output'
            -- every other domain goes to the family that declares it (dbt_project.yml vars.fact_families)
            else {{ subject_of_domain('item_domain') }}
        end as subject
    from enriched
),

with_equivalents as (
    -- a figure may state more than one code (code_equivalences): keep it under each
    -- both branches through star(replacing=…), so that their columns line up on Spark too (macros/portable.sql)
    select {{ star(replacing=[['fact_code', 'fact_code'], ['subject', 'subject']]) }}, false as is_equivalent from coded
    union all
    select
        {{ star('c', replacing=[['fact_code', 'e.also_code'],
                                ['subject', "case when e.also_code like 'exp_%' then 'expenditure' else c.subject end"]]) }},
        true
    from coded as c
    join equivalences as e
        on e.code = c.fact_code
        and (e.only_when_alias is null or c.matched_alias = e.only_when_alias)
),

shaped as (
    select
        *,
        case
            when project_text is not null and subject = 'expenditure' then project_text
            when is_project_row then trim({{ regex_replace_all(regex_replace_first("coalesce(row_header, '')", "'^[0-9一二三四五六七八九十]+[、.]\\s*'", "''"), "'\\(一个专项一行\\)|:$'", "''") }})
            when is_project_child then item_text
            when fact_code = 'exp_project' and table_evaluation = 'project' then coalesce(table_project_name, '')
            else ''
        end as project_name_resolved
    from with_equivalents
),

final as (
    select
        -- ids
        {{ surrogate_key(['mention_key', 'fact_code']) }} as fact_candidate_id,
        mention_key,
        mention_id,
        document_id,
        unit_id,
        -- what
        subject,
        fact_code as item_code,
        item_code as matched_code,
        matched_alias,
        match_class,
        is_equivalent,
        case
            when subject in ('fund', 'enrollment') then
                case when scheme_code is null or scheme_code = 'si_all_funds' then 'all' else scheme_code end
        end as scheme_code,
        case
            when item_code = 'insured_active' or (fact_code = 'insured_persons' and status_text = 'active') then 'active'
            when item_code = 'insured_retired' or (fact_code = 'insured_persons' and status_text = 'retired') then 'retired'
            else 'all'
        end as status,
        case
            when item_code = 'authorized_posts_admin' then 'administrative'
            when item_code = 'authorized_posts_institution' then 'institution'
            when item_code = 'authorized_posts_civil_service_managed' then 'civil_service_managed'
            when item_code = 'authorized_posts_worker' then 'worker'
            -- 实有行政人员4人, 参公事业人员2人: the post type is in the label
            when fact_code = 'actual_staff' and {{ regex_match("label", "'参公|参照公务员'") }} then 'civil_service_managed'
            when fact_code = 'actual_staff' and {{ regex_match("label", "'行政人员|行政编'") }} then 'administrative'
            when fact_code = 'actual_staff' and {{ regex_match("label", "'事业人员|事业编'") }} then 'institution'
            else 'all'
        end as post_type,
        case
            when is_funding_source then coalesce(part_text, trim({{ regex_replace_all("coalesce(row_header, '')", "'^其中\\s*:?|:$'", "''") }}))
            when part_text is not null then part_text
            when item_code = 'retired_lixiu' then coalesce(nullif(label_core, ''), matched_alias)
            -- 现有职工23人,其中在编人员16人: a listed component of its own total's code is a part of it
            when is_same_code_child then coalesce(nullif(label_core, ''), matched_alias)
            else ''
        end as fund_part,
        -- when and on what basis
        report_year,
        case
            when year_value between 1990 and 2100 then year_value
            when col_role = 'prior' or year_relation = 'prior' then report_year - 1
            else report_year
        end as fiscal_year,
        case
            -- a project listed under a total takes the total's basis (预算 in 人员社会保险费预算经费 names the project)
            when is_project_child then case parent_basis_text when '全年预算' then 'budget_adjusted'
                                                              when '年初预算' then 'budget_initial'
                                                              when '预算' then 'budget_initial'
                                                              when '目标' then 'target' else 'actual' end
            when col_role = 'prior' then 'actual'
            when col_role = 'target_value' then 'target'
            when col_role = 'actual_value' then 'actual'
            when col_role = 'budget_initial' then 'budget_initial'
            when col_role = 'budget_adjusted' then 'budget_adjusted'
            when col_role = 'actual' then 'actual'
            -- a bare 预算数 column in a report whose budget was adjusted (it prints 全年预算数 elsewhere) is
            -- the adjusted budget (CONTRACT.md); a table with its own 调整后预算 column keeps 预算数 as 年初
            when bare_budget_is_adjusted and subject in ('expenditure', 'income') then 'budget_adjusted'
            when basis_text = '全年预算' then 'budget_adjusted'
            when basis_text in ('年初预算', '预算') then 'budget_initial'
            when basis_text = '目标' then 'target'
            when basis_text is null and {{ regex_match("coalesce(table_title, '')", "'目标表'") }} and not {{ regex_match("coalesce(table_title, '')", "'自评'") }} then 'budget_initial'
            -- a 部门预算 statement speaks of the budget unless a figure says otherwise
            when basis_text is null and document_kind = 'budget' and subject in ('expenditure', 'income') then 'budget_initial'
            else 'actual'
        end as basis,
        case
            when subject <> 'expenditure' then 'all'
            when fact_code in ('exp_total', 'exp_basic', 'exp_project', 'exp_grand_total')
                 and not (is_project_row or is_project_child or project_name_resolved <> '') then 'all'
            when is_project_row or is_project_child or project_name_resolved <> '' then 'project'
            when {{ regex_match("deepest_heading", "'基本支出'") }} or parent_item_code = 'exp_basic' then 'basic'
            when {{ regex_match("deepest_heading", "'项目支出|项目经费'") }} or parent_item_code = 'exp_project' then 'project'
            else 'all'
        end as budget_line,
        case when subject = 'expenditure' then project_name_resolved else '' end as project_name,
        -- a part of the unit the figure is about (磴口县, 局本级, 环卫处), '' for the unit as a whole
        coalesce(sub_unit_text, '') as sub_unit,
        -- money by government level or funding type (中央财政…资金, 地方匹配), 'all' when none is named
        case when subject = 'expenditure' then coalesce(fund_source, 'all') else 'all' end as fund_source,
        coalesce(scope_text, '') as scope,
        -- the figure (try_cast: a number too large for the column is quarantined below, not a build error)
        value as parsed_value,
        case when subject in {{ sql_list(money_families()) }}
            then {{ to_wan_yuan('value', "coalesce(uom, default_money_uom)") }} end as parsed_wan_yuan,
        case when subject in {{ sql_list(count_families()) }}
            then case when uom in ('个', '家') then value else {{ to_persons('value', 'uom') }} end end as parsed_persons,
        try_cast(value as decimal(24, 4)) as stated_value,
        coalesce(uom, case when uom_family = 'money' then default_money_uom end) as stated_uom,
        decimals,
        case when subject in {{ sql_list(money_families()) }}
            then try_cast({{ to_wan_yuan('value', "coalesce(uom, default_money_uom)") }} as decimal(20, 4)) end as amount_wan_yuan,
        case when subject in {{ sql_list(count_families()) }}
            then {{ try_bigint("case when uom in ('个', '家') then value else " ~ to_persons('value', 'uom') ~ " end") }} end as value_persons,
        -- provenance
        source_kind,
        source_line,
        case when source_kind = 'table' then sentence else coalesce(sentence, clause) end as source_text,
        label,
        coalesce(item_inherited, false) as item_inherited,
        is_current,
        loaded_at
    from shaped
    where fact_code is not null
      and subject is not null
      and qualifier is null
      -- a figure with no year of its own in a document whose year cannot be read has no fiscal year:
      -- it stays in raw/staging rather than failing the fiscal_year tests
      and (year_value between 1990 and 2100 or report_year is not null)
      and (mention_role = 'level'
           or (mention_role = 'indicator_value' and subject = 'enrollment'))
      -- other funding cells of a self-evaluation table are budget lines (fct_budget), not unit accounts
      and not (table_kind = 'self_evaluation' and not is_evaluation_funding
               and coalesce(col_role, '') in ('budget_initial', 'budget_adjusted', 'actual', 'execution_rate', 'weight', 'score'))
),

split_lines as (
    -- an economic item printed under both 基本支出 and 项目支出 in one document (商品和服务支出 of each):
    -- each statement is that budget line's share, a part, and the item's whole is not stated
    select document_id, item_code, fiscal_year, basis
    from final
    where subject = 'expenditure' and budget_line in ('basic', 'project') and fund_part = '' and project_name = ''
    group by document_id, item_code, fiscal_year, basis
    having count(distinct budget_line) >= 2
),

line_labels as (
    select code, label_zh from {{ ref('glossary_items') }} where code in ('exp_basic', 'exp_project')
)

select
    {{ star('f', excluding=['parsed_value', 'parsed_wan_yuan', 'parsed_persons'],
            replacing=[['fund_part', 'case when s.document_id is not null then coalesce(l.label_zh, f.fund_part) else f.fund_part end']]) }},
    case
        when f.fiscal_year is null then 'year_unknown'
        when f.fiscal_year not between {{ var('plausible_year_min') }} and {{ var('plausible_year_max') }} then 'year_out_of_range'
        when (f.parsed_value is not null and f.stated_value is null)
             or (f.parsed_wan_yuan is not null and (f.amount_wan_yuan is null or abs(f.parsed_wan_yuan) > {{ var('plausible_max_wan_yuan') }}))
             or (f.parsed_persons is not null and (f.value_persons is null or f.parsed_persons < 0
                                                    or f.parsed_persons > {{ var('plausible_max_persons') }})) then 'value_out_of_range'
    end as quarantine_reason
from final as f
left join split_lines as s
    on s.document_id = f.document_id and s.item_code = f.item_code and s.fiscal_year = f.fiscal_year
    and s.basis = f.basis and f.budget_line in ('basic', 'project') and f.fund_part = '' and f.project_name = ''
left join line_labels as l on l.code = case f.budget_line when 'basic' then 'exp_basic' when 'project' then 'exp_project' end
