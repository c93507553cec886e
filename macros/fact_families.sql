{#- Everything that follows from the fact-family declaration (dbt_project.yml vars.fact_families). -#}

{% macro fact_families() -%}
{{ return(var('fact_families')) }}
{%- endmacro %}

{% macro money_families() -%}
{#- The families measured in 万元 (their value is amount_wan_yuan); the others count persons or items. -#}
{%- set out = [] -%}
{%- for name, f in fact_families().items() if f.measure == 'money' -%}{%- do out.append(name) -%}{%- endfor -%}
{{ return(out) }}
{%- endmacro %}

{% macro count_families() -%}
{%- set out = [] -%}
{%- for name, f in fact_families().items() if f.measure != 'money' -%}{%- do out.append(name) -%}{%- endfor -%}
{{ return(out) }}
{%- endmacro %}

{% macro sql_list(values) -%}
({%- for v in values -%}'{{ v }}'{%- if not loop.last %}, {% endif -%}{%- endfor -%})
{%- endmacro %}

{% macro subject_of_domain(domain_column) -%}
{#- The family a glossary domain's codes belong to, as declared; NULL for a domain no family holds. -#}
case
{%- for name, f in fact_families().items() %}
    when {{ domain_column }} in {{ sql_list(f.domains) }} then '{{ name }}'
{%- endfor %}
end
{%- endmacro %}

{% macro fact_mart(family) -%}
{#- One fact mart: unit, year, the family's keys, its code, basis, parts, the figure, provenance. -#}
{%- set f = fact_families()[family] -%}
select
    fact_id,
    unit_id,
    fiscal_year,
    {%- for k in f['keys'] %}
    {{ k }},
    {%- endfor %}
    item_code as {{ f.code_column }},
    basis,
    {%- for p in f.parts %}
    {{ p }},
    {%- endfor %}
    {%- if f.measure == 'money' %}
    amount_wan_yuan,
    stated_value,
    stated_uom,
    decimals as stated_decimals,
    {%- else %}
    value_persons as value,
    stated_value,
    stated_uom,
    {%- endif %}
    {%- for e in f.extra %}
    {{ e }},
    {%- endfor %}
    {{ fact_provenance_columns() }}
from {{ ref('int_facts_chosen') }}
where subject = '{{ family }}'
{%- endmacro %}

{% macro fact_mart_grain_columns(family) -%}
{%- set f = fact_families()[family] -%}
{{ return(['unit_id', 'fiscal_year'] + f['keys'] + [f.code_column, 'basis'] + f.parts) }}
{%- endmacro %}

{% test fact_mart_grain(model, family) %}
{#- The mart's grain as its family declares it: one row per unit, year, keys, code, basis and parts. -#}
{%- set cols = fact_mart_grain_columns(family) -%}
select {{ cols | join(', ') }}, count(*) as n_rows
from {{ model }}
group by {{ cols | join(', ') }}
having count(*) > 1
{% endtest %}

{% test in_fact_families(model, column_name) %}
{#- Every value names a declared fact family. -#}
select {{ column_name }} from {{ model }}
where {{ column_name }} is not null and {{ column_name }} not in {{ sql_list(fact_families().keys() | list) }}
{% endtest %}
