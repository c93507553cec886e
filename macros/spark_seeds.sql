{#- Seeds on Spark. dbt-spark's own spark__load_csv_rows leaves the quoting of each value to the connection's
    driver; the session method has none (its cursor formats `%s` with the bare value), so a text value reaches
    Spark unquoted, and one with an apostrophe (the vocabulary has them) cannot be written as a literal in both
    of Spark's literal modes anyway (raw literals, which the models need, have no escape for '). Each value is
    written as a literal here instead: NULL, a number or boolean as itself, text for a string column as a binary
    literal of its UTF-8 bytes (X'…', cast to string) — the same bytes whatever the literal mode —, text for any
    other column type (the column_types override: '2' for an integer) quoted as it is. DuckDB seeds are not affected (spark__ only). -#}
{% macro spark__load_csv_rows(model, agate_table) %}
  {%- set column_override = model['config'].get('column_types', {}) -%}
  {%- set statements = [] -%}
  {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
      {%- set sql -%}
          insert into {{ this.render() }} values
          {% for row in chunk -%}
              ({%- for col_name in agate_table.column_names -%}
                  {%- set type = column_override.get(col_name, adapter.convert_type(agate_table, loop.index0)) -%}
                  cast({{ spark_seed_literal(row[loop.index0], type) }} as {{ type }})
                  {%- if not loop.last %},{% endif -%}
              {%- endfor -%})
              {%- if not loop.last %},{% endif %}
          {% endfor %}
      {%- endset -%}
      {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
      {%- if loop.first -%}{%- do statements.append(sql) -%}{%- endif -%}
  {%- endfor -%}
  {{ return(statements[0] if statements else '') }}
{% endmacro %}

{% macro spark_seed_literal(value, type) -%}
{#- One CSV value as a Spark SQL literal that means the same in either string-literal mode, for a column of `type`. -#}
    {%- if value is none -%}null
    {%- elif value is sameas true or value is sameas false -%}{{ 'true' if value else 'false' }}
    {%- elif value is number -%}{{ value }}
    {%- elif type | lower == 'string' -%}X'{{ (value | string).encode('utf-8').hex() }}'
    {%- elif "'" in (value | string) or '\\' in (value | string) -%}
        {{ exceptions.raise_compiler_error("seed value " ~ value ~ " for a " ~ type ~ " column has a quote or backslash") }}
    {%- else -%}'{{ value }}'
    {%- endif -%}
{%- endmacro %}
