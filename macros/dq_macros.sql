{#- Macros of the data-quality checks (issue 3). Documented in macros/_dq_macros.yml. -#}

{% macro dq_dim(dim, prefix='') -%}
{#- The value of a figure's dimension named by the SQL expression `dim` (a rule's match key or constraint). -#}
    case {{ dim }}
        when 'fiscal_year' then cast({{ prefix }}fiscal_year as varchar)
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
    `dim=*` any breakdown value (not 'all' nor ''), `dim=!v` anything but v, `dim=~` anything. -#}
    coalesce(list_bool_and(list_transform(
        list_filter(string_split(coalesce({{ dims }}, ''), ';'), c -> c <> ''),
        c -> case
            when split_part(c, '=', 2) = '~' then true
            when split_part(c, '=', 2) = '*' then coalesce({{ dq_dim("split_part(c, '=', 1)", prefix) }}, '') not in ('all', '')
            when starts_with(split_part(c, '=', 2), '!') then coalesce({{ dq_dim("split_part(c, '=', 1)", prefix) }}, '') <> substr(split_part(c, '=', 2), 2)
            else coalesce({{ dq_dim("split_part(c, '=', 1)", prefix) }}, '') = split_part(c, '=', 2)
        end)), true)
{%- endmacro %}

{% macro dq_key(keys, prefix='') -%}
{#- The figure's values of a rule's match keys (`|`-separated), as one string to join total and components on. -#}
    coalesce(array_to_string(list_transform(
        list_filter(string_split(coalesce({{ keys }}, ''), '|'), k -> k <> ''),
        k -> coalesce({{ dq_dim('k', prefix) }}, '∅')), '|'), '')
{%- endmacro %}

{% macro dq_breakdown(dims, prefix='') -%}
{#- The figure's values of the breakdown dimensions of a rule (those constrained with `*`): one component slot per value. -#}
    coalesce(array_to_string(list_transform(
        list_filter(string_split(coalesce({{ dims }}, ''), ';'), c -> split_part(c, '=', 2) = '*'),
        c -> coalesce({{ dq_dim("split_part(c, '=', 1)", prefix) }}, '')), '|'), '')
{%- endmacro %}

{% macro dq_fmt(x) -%}
{#- A number for a message: up to 6 decimals, trailing zeros dropped. -#}
    coalesce(regexp_replace(regexp_replace(printf('%.6f', {{ x }}), '0+$', ''), '\.$', ''), '∅')
{%- endmacro %}

{% macro value_by_role(role, name, decimals_name, extra='') -%}
{#- A table row's figure in one column role, and its printed decimals. -#}
    max(m.value) filter (where m.col_role = '{{ role }}' {{ extra }}) as {{ name }},
        max(m.decimals) filter (where m.col_role = '{{ role }}' {{ extra }}) as {{ decimals_name }}
{%- endmacro %}
