{#- Shared measure formulas, so every mart computes them one way. -#}

{#- Share of rows where `condition` is true among rows where it is not null, in percent. -#}
{% macro rate_pct(condition) -%}
    100.0 * count(*) filter (where {{ condition }}) / nullif(count({{ condition }}), 0)
{%- endmacro %}

{#- Deviation score (偏差値) of `value` within `partition_by`: 50 + 10 (x - mean) / sd, with the
    population standard deviation, as the report's figure 23 uses. -#}
{% macro deviation_score(value, partition_by) -%}
    50 + 10 * ({{ value }} - avg({{ value }}) over (partition by {{ partition_by }}))
    / nullif(stddev_pop({{ value }}) over (partition by {{ partition_by }}), 0)
{%- endmacro %}
