{#- Local replacements for dbt_utils tests (no dbt hub here). Each returns the failing rows. -#}

{% test expression_is_true(model, expression, where=none) %}
{#- NULL-safe: a row fails when the expression is false or NULL. -#}
select * from {{ model }}
where not coalesce(({{ expression }}), false)
{% if where %} and ({{ where }}) {% endif %}
{% endtest %}

{% test unique_combination_of_columns(model, combination_of_columns) %}
select {{ combination_of_columns | join(', ') }}, count(*) as n_rows
from {{ model }}
group by {{ combination_of_columns | join(', ') }}
having count(*) > 1
{% endtest %}

{% test accepted_range(model, column_name, min_value=none, max_value=none, inclusive=true) %}
select * from {{ model }}
where {{ column_name }} is not null and (
  false
  {% if min_value is not none %} or {{ column_name }} {{ '<' if inclusive else '<=' }} {{ min_value }} {% endif %}
  {% if max_value is not none %} or {{ column_name }} {{ '>' if inclusive else '>=' }} {{ max_value }} {% endif %}
)
{% endtest %}

{% test values_in_vocabulary(model, column_name, list_name, extra=[], seed='vocab_reader') %}
{#- Every non-null value is a value of a word list (seed vocab_reader, or the seed named), or one of
    `extra`: the accepted set follows the vocabulary instead of a second hand-kept list. -#}
select {{ column_name }}
from {{ model }}
where {{ column_name }} is not null
  and {{ column_name }} not in (select value from {{ ref(seed) }} where list = '{{ list_name }}')
  {%- for value in extra %}
  and {{ column_name }} <> '{{ value }}'
  {%- endfor %}
{% endtest %}
