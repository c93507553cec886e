{#- What DuckDB and Spark SQL spell differently (docs/scale.md, "Past one machine: Spark"), one dispatched macro
    per construct. `default__` is the DuckDB spelling the models always had, character for character, so the
    DuckDB build is unchanged; `spark__` is Spark SQL 4.x with dbt-spark's settings (ANSI off) and raw string
    literals (`spark.sql.parser.escapedStringLiterals`, set by the Spark profile: a backslash in a regex literal
    reaches the regex engine as in DuckDB). Regexes are RE2 on DuckDB and java.util.regex on Spark: the project's
    patterns use the part the two share (classes, alternation, \s \d, non-capturing groups).
    Portable as written, no macro: `qualify`, `group by all`, `::` casts, `filter (where …)`, `try_cast`,
    `split_part`, `contains`, `flatten`, `left`, `||` on lists, and `string` as the text type (DuckDB's name for
    VARCHAR, Spark's for its text type; a bare `varchar` does not parse on Spark). -#}

{#- ── regular expressions ── -#}

{% macro regex_match(text, pattern) -%}
{#- True when the pattern matches somewhere in the text. -#}
    {{ return(adapter.dispatch('regex_match', 'jixiao')(text, pattern)) }}
{%- endmacro %}
{% macro default__regex_match(text, pattern) -%}regexp_matches({{ text }}, {{ pattern }}){%- endmacro %}
{% macro spark__regex_match(text, pattern) -%}regexp_like({{ text }}, {{ pattern }}){%- endmacro %}

{% macro regex_full_match(text, pattern) -%}
{#- True when the pattern matches the whole text. -#}
    {{ return(adapter.dispatch('regex_full_match', 'jixiao')(text, pattern)) }}
{%- endmacro %}
{% macro default__regex_full_match(text, pattern) -%}regexp_full_match({{ text }}, {{ pattern }}){%- endmacro %}
{% macro spark__regex_full_match(text, pattern) -%}regexp_like({{ text }}, '^(?:' || {{ pattern }} || ')$'){%- endmacro %}

{% macro regex_extract(text, pattern, group=none) -%}
{#- The text of the first match (group 0, the default) or of one of its groups; '' when nothing matches. Spark's
    regexp_extract defaults to group 1: the group is always given there. -#}
    {{ return(adapter.dispatch('regex_extract', 'jixiao')(text, pattern, group)) }}
{%- endmacro %}
{% macro default__regex_extract(text, pattern, group=none) -%}
regexp_extract({{ text }}, {{ pattern }}{{ (', ' ~ group) if group is not none }})
{%- endmacro %}
{% macro spark__regex_extract(text, pattern, group=none) -%}
regexp_extract({{ text }}, {{ pattern }}, {{ 0 if group is none else group }})
{%- endmacro %}

{% macro regex_replace_all(text, pattern, replacement) -%}
{#- Every match replaced (DuckDB's flag 'g'; Spark's regexp_replace always replaces all). -#}
    {{ return(adapter.dispatch('regex_replace_all', 'jixiao')(text, pattern, replacement)) }}
{%- endmacro %}
{% macro default__regex_replace_all(text, pattern, replacement) -%}regexp_replace({{ text }}, {{ pattern }}, {{ replacement }}, 'g'){%- endmacro %}
{% macro spark__regex_replace_all(text, pattern, replacement) -%}regexp_replace({{ text }}, {{ pattern }}, {{ replacement }}){%- endmacro %}

{% macro regex_replace_first(text, pattern, replacement) -%}
{#- The first match replaced (DuckDB's regexp_replace without 'g'). Spark has no replace-first: the text is cut
    into the shortest prefix before a match, the match and the rest. The replacement is plain text (no $n, no backslash). -#}
    {{ return(adapter.dispatch('regex_replace_first', 'jixiao')(text, pattern, replacement)) }}
{%- endmacro %}
{% macro default__regex_replace_first(text, pattern, replacement) -%}regexp_replace({{ text }}, {{ pattern }}, {{ replacement }}){%- endmacro %}
{% macro spark__regex_replace_first(text, pattern, replacement) -%}
regexp_replace({{ text }}, '(?s)^(.*?)(?:' || {{ pattern }} || ')(.*)$', '$1' || {{ replacement }} || '$2')
{%- endmacro %}

{#- ── strings ── -#}

{% macro split_to_list(text, separator) -%}
{#- The text cut at every occurrence of the separator (literal text, not a regex); '' cuts it into characters. -#}
    {{ return(adapter.dispatch('split_to_list', 'jixiao')(text, separator)) }}
{%- endmacro %}
{% macro default__split_to_list(text, separator) -%}string_split({{ text }}, {{ separator }}){%- endmacro %}
{% macro spark__split_to_list(text, separator) -%}
    {%- if separator | trim == "''" -%}
    {#- Spark's split on an empty pattern gives the characters and one trailing '': drop it, as DuckDB does -#}
    slice(split({{ text }}, ''), 1, greatest(length({{ text }}), 1))
    {%- else -%}
    split({{ text }}, '\Q' || {{ separator }} || '\E')
    {%- endif -%}
{%- endmacro %}

{% macro position_in(text, part) -%}
{#- Where part first occurs in the text, from 1; 0 when it does not. -#}
    {{ return(adapter.dispatch('position_in', 'jixiao')(text, part)) }}
{%- endmacro %}
{% macro default__position_in(text, part) -%}strpos({{ text }}, {{ part }}){%- endmacro %}
{% macro spark__position_in(text, part) -%}instr({{ text }}, {{ part }}){%- endmacro %}

{% macro starts_with(text, prefix) -%}
    {{ return(adapter.dispatch('starts_with', 'jixiao')(text, prefix)) }}
{%- endmacro %}
{% macro default__starts_with(text, prefix) -%}starts_with({{ text }}, {{ prefix }}){%- endmacro %}
{% macro spark__starts_with(text, prefix) -%}startswith({{ text }}, {{ prefix }}){%- endmacro %}

{% macro ends_with(text, suffix) -%}
    {{ return(adapter.dispatch('ends_with', 'jixiao')(text, suffix)) }}
{%- endmacro %}
{% macro default__ends_with(text, suffix) -%}ends_with({{ text }}, {{ suffix }}){%- endmacro %}
{% macro spark__ends_with(text, suffix) -%}endswith({{ text }}, {{ suffix }}){%- endmacro %}

{% macro trim_right(text, characters) -%}
{#- The text without the given characters at its end (Spark's two-argument rtrim takes its arguments the other way round). -#}
    {{ return(adapter.dispatch('trim_right', 'jixiao')(text, characters)) }}
{%- endmacro %}
{% macro default__trim_right(text, characters) -%}rtrim({{ text }}, {{ characters }}){%- endmacro %}
{% macro spark__trim_right(text, characters) -%}trim(trailing {{ characters }} from {{ text }}){%- endmacro %}

{% macro trim_left(text, characters) -%}
    {{ return(adapter.dispatch('trim_left', 'jixiao')(text, characters)) }}
{%- endmacro %}
{% macro default__trim_left(text, characters) -%}ltrim({{ text }}, {{ characters }}){%- endmacro %}
{% macro spark__trim_left(text, characters) -%}trim(leading {{ characters }} from {{ text }}){%- endmacro %}

{% macro key_text(value) -%}
{#- A value as text for a surrogate key (md5 of the text: the ids must be the same on both). Spark writes a DECIMAL
    zero of scale > 6 as 0E-10 with ANSI mode off (as dbt-spark runs it); DuckDB as 0.0000000000: that one case is
    spelled out. (Doubles of 10^7 and up, or under 10^-3, are written differently too — 1.0E7 vs 10000000.0 —:
    no key takes one; a nonzero DECIMAL under 10^-6 neither.) -#}
    {{ return(adapter.dispatch('key_text', 'jixiao')(value)) }}
{%- endmacro %}
{% macro default__key_text(value) -%}cast({{ value }} as string){%- endmacro %}
{% macro spark__key_text(value) -%}
case when cast({{ value }} as string) like '0E-%'
     then '0.' || repeat('0', cast(substr(cast({{ value }} as string), 4) as int))
     else cast({{ value }} as string) end
{%- endmacro %}

{% macro try_bigint(number) -%}
{#- A number as BIGINT, NULL when it does not fit. DuckDB's cast rounds a DOUBLE to the nearest integer (ties to
    even), Spark's truncates it (132637.83万人 × 10000 = 1326378299.9999998 would be 1326378299): rint first. -#}
    {{ return(adapter.dispatch('try_bigint', 'jixiao')(number)) }}
{%- endmacro %}
{% macro default__try_bigint(number) -%}try_cast({{ number }} as bigint){%- endmacro %}
{% macro spark__try_bigint(number) -%}try_cast(rint({{ number }}) as bigint){%- endmacro %}

{% macro fixed_6(number) -%}
{#- The number with 6 decimals ('%.6f'); Spark's printf takes no DECIMAL for %f, so it is given the double. -#}
    {{ return(adapter.dispatch('fixed_6', 'jixiao')(number)) }}
{%- endmacro %}
{% macro default__fixed_6(number) -%}printf('%.6f', {{ number }}){%- endmacro %}
{% macro spark__fixed_6(number) -%}printf('%.6f', cast({{ number }} as double)){%- endmacro %}

{#- ── lists (DuckDB LIST, Spark ARRAY) ── -#}

{% macro list_of(items) -%}
{#- A list literal of SQL expressions; [] is the empty list. -#}
    {{ return(adapter.dispatch('list_of', 'jixiao')(items)) }}
{%- endmacro %}
{% macro default__list_of(items) -%}[{{ items | join(', ') }}]{%- endmacro %}
{% macro spark__list_of(items) -%}array({{ items | join(', ') }}){%- endmacro %}

{% macro list_type(element_type) -%}
{#- The type of a list of element_type, for a cast. -#}
    {{ return(adapter.dispatch('list_type', 'jixiao')(element_type)) }}
{%- endmacro %}
{% macro default__list_type(element_type) -%}{{ element_type }}[]{%- endmacro %}
{% macro spark__list_type(element_type) -%}array<{{ element_type }}>{%- endmacro %}

{% macro list_has(list, value) -%}
    {{ return(adapter.dispatch('list_has', 'jixiao')(list, value)) }}
{%- endmacro %}
{% macro default__list_has(list, value) -%}list_contains({{ list }}, {{ value }}){%- endmacro %}
{% macro spark__list_has(list, value) -%}array_contains({{ list }}, {{ value }}){%- endmacro %}

{% macro list_last(list) -%}
{#- The last element; NULL for an empty list. -#}
    {{ return(adapter.dispatch('list_last', 'jixiao')(list)) }}
{%- endmacro %}
{% macro default__list_last(list) -%}list_last({{ list }}){%- endmacro %}
{% macro spark__list_last(list) -%}element_at({{ list }}, -1){%- endmacro %}

{% macro list_len(list) -%}
    {{ return(adapter.dispatch('list_len', 'jixiao')(list)) }}
{%- endmacro %}
{% macro default__list_len(list) -%}len({{ list }}){%- endmacro %}
{% macro spark__list_len(list) -%}size({{ list }}){%- endmacro %}

{% macro list_dedupe(list) -%}
{#- The distinct non-NULL elements, in no promised order (sort after it where order matters; DuckDB drops NULLs). -#}
    {{ return(adapter.dispatch('list_dedupe', 'jixiao')(list)) }}
{%- endmacro %}
{% macro default__list_dedupe(list) -%}list_distinct({{ list }}){%- endmacro %}
{% macro spark__list_dedupe(list) -%}array_distinct(array_compact({{ list }})){%- endmacro %}

{% macro list_sorted(list) -%}
{#- Ascending, NULLs last (DuckDB's default order; Spark's array_sort). -#}
    {{ return(adapter.dispatch('list_sorted', 'jixiao')(list)) }}
{%- endmacro %}
{% macro default__list_sorted(list) -%}list_sort({{ list }}){%- endmacro %}
{% macro spark__list_sorted(list) -%}array_sort({{ list }}){%- endmacro %}

{% macro list_map(list, lambda) -%}
{#- Each element through a lambda `x -> …` (the same lambda syntax on both). -#}
    {{ return(adapter.dispatch('list_map', 'jixiao')(list, lambda)) }}
{%- endmacro %}
{% macro default__list_map(list, lambda) -%}list_transform({{ list }}, {{ lambda }}){%- endmacro %}
{% macro spark__list_map(list, lambda) -%}transform({{ list }}, {{ lambda }}){%- endmacro %}

{% macro list_keep(list, lambda) -%}
{#- The elements a lambda `x -> …` is true for, in order. -#}
    {{ return(adapter.dispatch('list_keep', 'jixiao')(list, lambda)) }}
{%- endmacro %}
{% macro default__list_keep(list, lambda) -%}list_filter({{ list }}, {{ lambda }}){%- endmacro %}
{% macro spark__list_keep(list, lambda) -%}filter({{ list }}, {{ lambda }}){%- endmacro %}

{% macro list_all_true(list) -%}
{#- True when every element is true (callers coalesce the empty list's answer: NULL on DuckDB, true on Spark). -#}
    {{ return(adapter.dispatch('list_all_true', 'jixiao')(list)) }}
{%- endmacro %}
{% macro default__list_all_true(list) -%}list_bool_and({{ list }}){%- endmacro %}
{% macro spark__list_all_true(list) -%}forall({{ list }}, b -> b){%- endmacro %}

{% macro list_join(list, separator) -%}
{#- The elements as one text, NULLs skipped. -#}
    {{ return(adapter.dispatch('list_join', 'jixiao')(list, separator)) }}
{%- endmacro %}
{% macro default__list_join(list, separator) -%}array_to_string({{ list }}, {{ separator }}){%- endmacro %}
{% macro spark__list_join(list, separator) -%}array_join({{ list }}, {{ separator }}){%- endmacro %}

{% macro explode(list) -%}
{#- One row per element (in a select list). -#}
    {{ return(adapter.dispatch('explode', 'jixiao')(list)) }}
{%- endmacro %}
{% macro default__explode(list) -%}unnest({{ list }}){%- endmacro %}
{% macro spark__explode(list) -%}explode({{ list }}){%- endmacro %}

{% macro integers(low, high) -%}
{#- The list of whole numbers from low to high, both included (low <= high). -#}
    {{ return(adapter.dispatch('integers', 'jixiao')(low, high)) }}
{%- endmacro %}
{% macro default__integers(low, high) -%}range({{ low }}, {{ high }} + 1){%- endmacro %}
{% macro spark__integers(low, high) -%}sequence({{ low }}, {{ high }}){%- endmacro %}

{#- ── aggregates ── -#}

{% macro list_agg(expression, order_by=[], distinct=false) -%}
{#- The values of a group as a list: ordered by the columns of order_by (ascending), or distinct. On Spark,
    collect_list takes no ORDER BY: the values are collected with their sort keys and sorted; NULL values are
    dropped there (DuckDB keeps them: the project aggregates only non-NULL lines, ids and codes). -#}
    {{ return(adapter.dispatch('list_agg', 'jixiao')(expression, order_by, distinct)) }}
{%- endmacro %}
{% macro default__list_agg(expression, order_by=[], distinct=false) -%}
list({{ 'distinct ' if distinct }}{{ expression }}{{ (' order by ' ~ order_by | join(', ')) if order_by }})
{%- endmacro %}
{% macro spark__list_agg(expression, order_by=[], distinct=false) -%}
    {%- if distinct and order_by and order_by != [expression] -%}
        {{ exceptions.raise_compiler_error("list_agg: distinct with an order other than the values is not portable") }}
    {%- elif distinct and order_by -%}
    array_sort(collect_set({{ expression }}))
    {%- elif distinct -%}
    collect_set({{ expression }})
    {%- elif order_by -%}
    transform(array_sort(collect_list(named_struct(
        {%- for o in order_by %}'k{{ loop.index }}', {{ o }}, {% endfor %}'v', {{ expression }}))), s -> s.v)
    {%- else -%}
    collect_list({{ expression }})
    {%- endif -%}
{%- endmacro %}

{% macro string_agg_ordered(expression, separator, order_by) -%}
{#- The texts of a group joined with the separator, in the order of order_by (a SQL order list); NULLs skipped. -#}
    {{ return(adapter.dispatch('string_agg_ordered', 'jixiao')(expression, separator, order_by)) }}
{%- endmacro %}
{% macro default__string_agg_ordered(expression, separator, order_by) -%}
string_agg({{ expression }}, {{ separator }} order by {{ order_by }})
{%- endmacro %}
{% macro spark__string_agg_ordered(expression, separator, order_by) -%}
string_agg({{ expression }}, {{ separator }}) within group (order by {{ order_by }})
{%- endmacro %}

{% macro arg_min(value, key) -%}
{#- The value at the row of the smallest key, among the rows whose value is not NULL (DuckDB's arg_min skips
    them; Spark's min_by would not, so its key is NULLed there, and min_by skips NULL keys). -#}
    {{ return(adapter.dispatch('arg_min', 'jixiao')(value, key)) }}
{%- endmacro %}
{% macro default__arg_min(value, key) -%}arg_min({{ value }}, {{ key }}){%- endmacro %}
{% macro spark__arg_min(value, key) -%}min_by({{ value }}, case when ({{ value }}) is not null then {{ key }} end){%- endmacro %}

{% macro arg_max(value, key) -%}
{#- The value at the row of the largest key, among the rows whose value is not NULL (as arg_min). -#}
    {{ return(adapter.dispatch('arg_max', 'jixiao')(value, key)) }}
{%- endmacro %}
{% macro default__arg_max(value, key) -%}arg_max({{ value }}, {{ key }}){%- endmacro %}
{% macro spark__arg_max(value, key) -%}max_by({{ value }}, case when ({{ value }}) is not null then {{ key }} end){%- endmacro %}

{% macro last_value_ignore_nulls(value) -%}
{#- The window function call (before its `over`) of the last non-NULL value in the frame. -#}
    {{ return(adapter.dispatch('last_value_ignore_nulls', 'jixiao')(value)) }}
{%- endmacro %}
{% macro default__last_value_ignore_nulls(value) -%}last_value({{ value }} ignore nulls){%- endmacro %}
{% macro spark__last_value_ignore_nulls(value) -%}last_value({{ value }}, true){%- endmacro %}

{% macro count_distinct_over(value, partition_by) -%}
{#- The number of distinct non-NULL values in a window partition (Spark has no DISTINCT in window aggregates:
    the size of the set collected over the window). -#}
    {{ return(adapter.dispatch('count_distinct_over', 'jixiao')(value, partition_by)) }}
{%- endmacro %}
{% macro default__count_distinct_over(value, partition_by) -%}count(distinct {{ value }}) over (partition by {{ partition_by }}){%- endmacro %}
{% macro spark__count_distinct_over(value, partition_by) -%}size(collect_set({{ value }}) over (partition by {{ partition_by }})){%- endmacro %}

{#- ── select lists ── -#}

{% macro star(relation_alias=none, excluding=[], replacing=[]) -%}
{#- Every column of a relation (`alias.*`) but those in excluding, with those in replacing (a list of
    [column, expression] pairs) computed anew. DuckDB: `* exclude (…) replace (…)`, a replaced column kept in its
    place. Spark has `* except (…)` and no REPLACE: there a replaced column comes last. Where positions matter
    (the branches of a union), write every branch through this macro with the same replacing columns, so they
    line up on both. -#}
    {{ return(adapter.dispatch('star', 'jixiao')(relation_alias, excluding, replacing)) }}
{%- endmacro %}
{% macro default__star(relation_alias=none, excluding=[], replacing=[]) -%}
{{ (relation_alias ~ '.') if relation_alias }}*
{%- if excluding %} exclude ({{ excluding | join(', ') }}){% endif %}
{%- if replacing %} replace ({% for r in replacing %}{{ r[1] }} as {{ r[0] }}{{ ', ' if not loop.last }}{% endfor %}){% endif %}
{%- endmacro %}
{% macro spark__star(relation_alias=none, excluding=[], replacing=[]) -%}
    {%- set dropped = excluding + (replacing | map(attribute=0) | list) -%}
{{ (relation_alias ~ '.') if relation_alias }}*
{%- if dropped %} except ({{ dropped | join(', ') }}){% endif %}
{%- for r in replacing %}, {{ r[1] }} as {{ r[0] }}{% endfor %}
{%- endmacro %}
