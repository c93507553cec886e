{#- Schemas are exactly raw / staging / intermediate / marts / reference (CONTRACT.md), not prefixed with the target schema.
    `jixiao build` passes the var marts_build_schema (marts__next): the marts are then built beside the live ones and
    swapped in together in one transaction once the build has passed (jixiao/marts_swap.py), so an analyst never sees
    half of a rebuild. A plain `dbt build` builds the marts in place. An incremental build (var incremental,
    `jixiao build --incremental`) builds staging and intermediate of the units it rebuilds apart too
    (staging__incremental, intermediate__incremental), so the live ones stay whole for their readers. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- set schema = target.schema if custom_schema_name is none else custom_schema_name | trim -%}
    {%- if schema == 'marts' and var('marts_build_schema', none) -%}
        {{ var('marts_build_schema') }}
    {%- elif schema in ('staging', 'intermediate') and var('incremental', false) -%}
        {{ schema }}__incremental
    {%- else -%}
        {{ schema }}
    {%- endif -%}
{%- endmacro %}
