{#- Macros of the data-quality checks (issue 3). Documented in macros/_dq_macros.yml. -#}

{% macro dq_dim_names() -%}
{#- The dimensions a rule of seed dq_sum_rules may constrain or match on: columns of int_dq_figures. -#}
    {{ return(['fiscal_year', 'basis', 'budget_line', 'project_name', 'scheme_code', 'status', 'post_type', 'scope',
               'fund_source', 'sub_unit']) }}
{%- endmacro %}

{% macro dq_dim_value(dim_name, prefix='') -%}
{#- A figure's value of the dimension dim_name (a name known when the SQL is written), as text. -#}
    {%- if dim_name == 'fiscal_year' -%} cast({{ prefix }}fiscal_year as string)
    {%- else -%} {{ prefix }}{{ dim_name }} {%- endif -%}
{%- endmacro %}

{% macro dq_dim(dim, prefix='') -%}
{#- A figure's value of the dimension named by the SQL expression `dim` (a column of int_dq_sum_rules). -#}
    case {{ dim }}
    {%- for d in dq_dim_names() %} when '{{ d }}' then {{ dq_dim_value(d, prefix) }}{% endfor %} end
{%- endmacro %}

{% macro dq_constraint_columns(dims, column_prefix) -%}
{#- Parses a rule's `;`-separated `dim=value` constraints once per rule, two columns per dimension:
    <prefix><dim> its constraint `v`, `*` or `~` (NULL where the rule sets none), and <prefix><dim>_excluded the
    values of its `!v` constraints (a dimension may carry both: `scheme_code=*;scheme_code=!occupational_annuity`). -#}
    {%- set specs = "';' || coalesce(" ~ dims ~ ", '') || ';'" -%}
    {%- for d in dq_dim_names() %}
    {%- set kept = "';" ~ d ~ "=([^!;][^;]*)?;'" %}
    {%- set is_exclusion = "dim_spec -> " ~ starts_with("dim_spec", "'" ~ d ~ "=!'") %}
    {%- set excluded_value = "dim_spec -> substr(dim_spec, " ~ (d | length + 3) ~ ")" %}
    case when {{ regex_match(specs, kept) }} then {{ regex_extract(specs, kept, 1) }} end as {{ column_prefix }}{{ d }},
    {{ list_map(list_keep(split_to_list("coalesce(" ~ dims ~ ", '')", "';'"), is_exclusion), excluded_value) }}
        as {{ column_prefix }}{{ d }}_excluded
    {{- "," if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{% macro dq_key_columns(keys, column_prefix) -%}
{#- A rule's `|`-separated match keys, one column per position (NULL past the last), so that the figure's key
    values are joined in the rule's order. As many positions as dimensions; a data test on int_dq_sum_rules fails a
    rule with more. -#}
    {%- for i in range(1, dq_dim_names() | length + 1) %}
    nullif(split_part(coalesce({{ keys }}, ''), '|', {{ i }}), '') as {{ column_prefix }}{{ i }}{{ "," if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{% macro dq_breakdown_columns(dims, column_prefix) -%}
{#- The breakdown dimensions of a rule (those constrained with `*`), one column per constraint position (NULL where
    that constraint is not a breakdown): one component slot per figure value. As many positions as dimensions,
    checked as for dq_key_columns. -#}
    {%- for i in range(1, dq_dim_names() | length + 1) %}
    {%- set spec = "split_part(coalesce(" ~ dims ~ ", ''), ';', " ~ i ~ ")" %}
    case when split_part({{ spec }}, '=', 2) = '*' then split_part({{ spec }}, '=', 1) end as {{ column_prefix }}{{ i }}
    {{- "," if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{% macro dq_unknown_specs(text, separator, separator_pattern, spec_tail) -%}
{#- The specs of a rule's constraints (or keys) that name no known dimension, `separator`-joined; '' when every
    spec names one. -#}
    {%- set wrapped = "'" ~ separator ~ "' || coalesce(" ~ text ~ ", '') || '" ~ separator ~ "'" -%}
    {%- set known = "'" ~ separator_pattern ~ "(" ~ (dq_dim_names() | join('|')) ~ ")" ~ spec_tail ~ "'" -%}
    {%- set left_over = regex_replace_all(regex_replace_all(wrapped, known, "''"), "'(" ~ separator_pattern ~ ")+'", "'" ~ separator ~ "'") -%}
    {{ regex_replace_all(left_over, "'^" ~ separator_pattern ~ "|" ~ separator_pattern ~ "$'", "''") }}
{%- endmacro %}

{% macro dq_constraints_met(rule_prefix, prefix='') -%}
{#- True when a figure satisfies every constraint of a rule, read from its dq_constraint_columns: `v` equal,
    `*` any breakdown value (not 'all' nor ''), `~` anything, and none of the `!v` values. Plain column
    expressions, so the filter costs a few comparisons per dimension per joined row. -#}
    {%- for d in dq_dim_names() %}
    {%- set c = rule_prefix ~ d %}
    {%- set v = "coalesce(" ~ dq_dim_value(d, prefix) ~ ", '')" %}
    (case when {{ c }} is null or {{ c }} = '~' then true
          when {{ c }} = '*' then {{ v }} not in ('all', '')
          else {{ v }} = {{ c }} end)
    and not coalesce({{ list_has(c ~ "_excluded", v) }}, false){{ " and" if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{% macro dq_values_of(rule_prefix, prefix='', missing="''") -%}
{#- The figure's values of the dimensions in a rule's position columns (dq_key_columns, dq_breakdown_columns),
    `|`-joined in the rule's order; a dimension the figure lacks reads as `missing`. -#}
    coalesce(concat_ws('|'
    {%- for i in range(1, dq_dim_names() | length + 1) %},
        case when {{ rule_prefix }}{{ i }} is not null then coalesce({{ dq_dim(rule_prefix ~ i, prefix) }}, {{ missing }}) end
    {%- endfor %}), '')
{%- endmacro %}

{% macro dq_fmt(x) -%}
{#- A number for a message: up to 6 decimals, trailing zeros dropped. -#}
    coalesce({{ regex_replace_first(regex_replace_first(fixed_6(x), "'0+$'", "''"), "'\\.$'", "''") }}, '∅')
{%- endmacro %}

{% macro value_by_role(role, name, decimals_name, extra='') -%}
{#- A table row's figure in one column role, and its printed decimals. -#}
    max(m.value) filter (where m.col_role = '{{ role }}' {{ extra }}) as {{ name }},
        max(m.decimals) filter (where m.col_role = '{{ role }}' {{ extra }}) as {{ decimals_name }}
{%- endmacro %}
