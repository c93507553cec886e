{#- ref() and source() without the catalog: a view then names "raw"."documents", not
    "warehouse"."raw"."documents", so a copied or renamed warehouse file keeps working (DuckDB names the
    catalog after the file). The dbt way to mask a builtin (docs: builtins); arguments pass through. -#}
{% macro ref() %}
    {%- set version = kwargs.get('version') or kwargs.get('v') -%}
    {%- if (varargs | length) == 1 -%}
        {%- set relation = builtins.ref(varargs[0], version=version) -%}
    {%- else -%}
        {%- set relation = builtins.ref(varargs[0], varargs[1], version=version) -%}
    {%- endif -%}
    {%- do return(relation.include(database=False)) -%}
{% endmacro %}

{% macro source(source_name, table_name) %}
    {%- do return(builtins.source(source_name, table_name).include(database=False)) -%}
{% endmacro %}
