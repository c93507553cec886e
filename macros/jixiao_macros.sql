{#- Project macros used by the models. Cross-database helpers dispatch so the project can move to another adapter. -#}

{% macro to_wan_yuan(value, uom) -%}
{#- Money in 万元: 亿元 × 10000, 元 ÷ 10000, 千元 ÷ 10. NULL for a non-money unit. -#}
    case {{ uom }}
        when '万元' then {{ value }}
        when '亿元' then {{ value }} * 10000
        when '万亿元' then {{ value }} * 100000000
        when '千元' then {{ value }} / 10
        when '元' then {{ value }} / 10000
    end
{%- endmacro %}

{% macro to_persons(value, uom) -%}
{#- People in persons: 万人 × 10000. -#}
    case {{ uom }} when '人' then {{ value }} when '万人' then {{ value }} * 10000 when '人次' then {{ value }} when '万人次' then {{ value }} * 10000 end
{%- endmacro %}

{% macro mention_uom_family(m) -%}
    case
        when {{ m }}.uom in ('万元', '亿元', '元', '千元') then 'money'
        when {{ m }}.uom in ('人', '万人', '人次', '万人次') then 'persons'
        when {{ m }}.uom in ('个', '家') then 'count'
        when {{ m }}.uom = '分' then 'points'  -- a self-evaluation's weights and scores (决策指标分值20分)
        when {{ m }}.uom is null and {{ m }}.source_kind = 'table' and {{ m }}.mention_role = 'level' then 'money'
    end
{%- endmacro %}

{% macro surrogate_key(columns) -%}
{#- md5 over the columns' text, NULL-safe; the dbt_utils convention. -#}
    md5({%- for c in columns -%} coalesce({{ key_text(c) }}, '_null_'){% if not loop.last %} || '|' || {% endif %}{%- endfor -%})
{%- endmacro %}

{% macro half_unit(decimals, uom) -%}
{#- Printed precision as ± in 万元: 272.08万元 → 0.005; 1.53亿元 → 50. -#}
    (0.5 * power(10, -coalesce({{ decimals }}, 0)) * case {{ uom }} when '万亿元' then 100000000 when '亿元' then 10000 when '元' then 0.0001 when '千元' then 0.1 else 1 end)
{%- endmacro %}

{% macro fund_source_from_label(label) -%}
{#- The funding source a self-evaluation row names: 年度资金总额 → all, 当年财政拨款 → current_appropriation … -#}
    case
        when {{ regex_match(label, "'年度资金总额|资金总额'") }} then 'all'
        when {{ regex_match(label, "'上年结转'") }} then 'prior_carryover'
        when {{ regex_match(label, "'当年财政拨款|本年财政拨款|财政拨款'") }} then 'current_appropriation'
        when {{ regex_match(label, "'一般公共预算'") }} then 'general_public_budget'
        when {{ regex_match(label, "'政府性基金'") }} then 'gov_fund'
        when {{ regex_match(label, "'专户|非税'") }} then 'special_account_nontax'
        when {{ regex_match(label, "'中央'") }} then 'central'
        when {{ regex_match(label, "'地方|省级|市级|县级|区级'") }} then 'local'
        when {{ regex_match(label, "'其他资金|其他'") }} then 'other'
    end
{%- endmacro %}

{% macro fact_provenance_columns() -%}
{#- The columns every fact mart ends with: how many statements, how many values, and where the chosen one is. -#}
    n_sources,
    n_values,
    document_id,
    source_kind,
    source_line,
    source_text
{%- endmacro %}

{% macro fact_parts() -%}
{#- The part columns of every fact (CONTRACT "Whose figure"): '' is the unit or the scheme's fund as a whole. -#}
{{ return(['project_name', 'fund_part', 'sub_unit', 'fund_source']) }}
{%- endmacro %}

{% macro fact_grain(prefix='', with_year=true) -%}
{#- One fact: the key int_facts_chosen keeps one value for, and that every check comparing statements of a
    fact uses; without the year, one series across years (yoy_changes). Columns named with an optional prefix. -#}
{%- set cols = ['unit_id', 'subject'] + (['fiscal_year'] if with_year else []) +
               ['budget_line', 'item_code', 'basis', 'scheme_code', 'status', 'post_type'] + fact_parts() -%}
{%- set out = [] -%}
{%- for c in cols -%}{%- do out.append(prefix ~ c) -%}{%- endfor -%}
{{ return(out) }}
{%- endmacro %}

{% macro fact_precedence() -%}
{#- Which statement of a fact wins (int_facts_chosen, and dq conflicting_values against it): the report of that
    year, a table over prose, a subject of its own over one taken from another figure, the statement under its own
    code, the closer alias match, the report nearest the
    fiscal year, then the first statement in document order (document, line, mention) and its code. A total order
    ((document, mention, code) is one candidate): the choice never depends on scan order. -#}
    (fiscal_year = report_year) desc, (source_kind = 'table') desc, item_inherited, is_equivalent, match_class desc,
    report_year, document_id, source_line, mention_id, item_code
{%- endmacro %}

{#- The restriction of an incremental build (var incremental, `jixiao build --incremental`), applied
    where a document's rows enter the models (the staging views of its lines, tables, cells and
    mentions; int_documents) and to the units of dim_unit: only the units of int_build_scope. A full
    build gets `true`, its SQL unchanged. -#}
{% macro document_in_build_scope(column) -%}
    {%- if var('incremental', false) -%}
    {{ column }} in (
        select i.document_id from {{ ref('int_document_identity') }} as i
        join {{ ref('int_build_scope') }} as s on s.unit_id = i.unit_id
    )
    {%- else -%}
    true
    {%- endif -%}
{%- endmacro %}

{% macro unit_in_build_scope(column) -%}
    {%- if var('incremental', false) -%}
    {{ column }} in (select unit_id from {{ ref('int_build_scope') }})
    {%- else -%}
    true
    {%- endif -%}
{%- endmacro %}
