{#- Macros of the data-quality checks (issue 3). Documented in macros/_dq_macros.yml. -#}

{% macro dq_dim(dim, prefix='') -%}
{#- The value of a figure's dimension named by the SQL expression `dim` (a rule's match key or constraint). -#}
    case {{ dim }}
        when 'fiscal_year' then cast({{ prefix }}fiscal_year as string)
        when 'basis' then {{ prefix }}basis
        when 'budget_line' then {{ prefix }}budget_line
        when 'project_name' then {{ prefix }}project_name
        when 'scheme_code' then {{ prefix }}scheme_code
        when 'status' then {{ prefix }}status
        when 'post_type' then {{ prefix }}post_type
        when 'scope' then {{ prefix }}scope
        when 'fund_source' then {{ prefix }}fund_source
        when 'sub_unit' then {{ prefix }}sub_unit
    end
{%- endmacro %}

{% macro dq_dims_ok(dims, prefix='') -%}
{#- True when a figure satisfies every `dim=value` constraint of a rule (`;`-separated): `dim=v` equal,
    `dim=*` any breakdown value (not 'all' nor ''), `dim=!v` anything but v, `dim=~` anything.
    The lambda's variable is dim_spec, not a short name: Spark resolves `c.x` to a lambda variable c before a
    table alias c, and callers pass prefix 'c.'. -#}
    {%- set dim_name = "split_part(dim_spec, '=', 1)" -%}
    {%- set dim_value = "split_part(dim_spec, '=', 2)" -%}
    {%- set figure_value = "coalesce(" ~ dq_dim(dim_name, prefix) ~ ", '')" -%}
    {%- set constraints = list_keep(split_to_list("coalesce(" ~ dims ~ ", '')", "';'"), "dim_spec -> dim_spec <> ''") -%}
    {%- set satisfied -%}
        dim_spec -> case
            when {{ dim_value }} = '~' then true
            when {{ dim_value }} = '*' then {{ figure_value }} not in ('all', '')
            when {{ starts_with(dim_value, "'!'") }} then {{ figure_value }} <> substr({{ dim_value }}, 2)
            else {{ figure_value }} = {{ dim_value }}
        end
    {%- endset %}
    coalesce({{ list_all_true(list_map(constraints, satisfied)) }}, true)
{%- endmacro %}

{% macro dq_key(keys, prefix='') -%}
{#- The figure's values of a rule's match keys (`|`-separated), as one string to join total and components on. -#}
    {%- set key_names = list_keep(split_to_list("coalesce(" ~ keys ~ ", '')", "'|'"), "key_name -> key_name <> ''") -%}
    {%- set key_values = list_map(key_names, "key_name -> coalesce(" ~ dq_dim('key_name', prefix) ~ ", '∅')") %}
    coalesce({{ list_join(key_values, "'|'") }}, '')
{%- endmacro %}

{% macro dq_breakdown(dims, prefix='') -%}
{#- The figure's values of the breakdown dimensions of a rule (those constrained with `*`): one component slot per value. -#}
    {%- set breakdowns = list_keep(split_to_list("coalesce(" ~ dims ~ ", '')", "';'"),
                                   "dim_spec -> split_part(dim_spec, '=', 2) = '*'") -%}
    {%- set values = list_map(breakdowns, "dim_spec -> coalesce(" ~ dq_dim("split_part(dim_spec, '=', 1)", prefix) ~ ", '')") %}
    coalesce({{ list_join(values, "'|'") }}, '')
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
