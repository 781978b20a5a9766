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

{#- Where a figure's inputs come from, from the counts n_official_inputs, n_sample_inputs,
    n_missing_inputs and n_proxy_inputs of `relation` (a CTE or table alias): official,
    official_proxy (official data standing in for a different figure), sample, mixed (official
    and sample), or incomplete (some inputs have no value). -#}
{% macro input_basis(relation) -%}
    case
        when {{ relation }}.n_missing_inputs > 0 then 'incomplete'
        when {{ relation }}.n_sample_inputs = 0 and {{ relation }}.n_proxy_inputs > 0 then 'official_proxy'
        when {{ relation }}.n_sample_inputs = 0 then 'official'
        when {{ relation }}.n_official_inputs = 0 then 'sample'
        else 'mixed'
    end
{%- endmacro %}

{#- Share of sample inputs among all inputs (answered or not) of `relation`, percent. -#}
{% macro sample_share_pct(relation) -%}
    round(
        100.0 * {{ relation }}.n_sample_inputs
        / nullif({{ relation }}.n_official_inputs + {{ relation }}.n_sample_inputs + {{ relation }}.n_missing_inputs, 0),
        1
    )
{%- endmacro %}

{#- input_basis of a figure made from rows that each carry an input_basis. -#}
{% macro combine_input_basis(basis_column) -%}
    case
        when bool_or({{ basis_column }} = 'incomplete' or {{ basis_column }} is null) then 'incomplete'
        when bool_and({{ basis_column }} = 'official') then 'official'
        when bool_and({{ basis_column }} in ('official', 'official_proxy')) then 'official_proxy'
        when bool_and({{ basis_column }} = 'sample') then 'sample'
        else 'mixed'
    end
{%- endmacro %}

{#- Repeats every row of `relation` once per group it belongs to: all municipalities, its size
    class, its prefecture (columns grouping_sets.group_type and grouping_sets.group_code), so one
    group by computes a measure for the three kinds of group at once. -#}
{% macro group_memberships(relation) -%}
    lateral (
        values
        ('all', 'all'),
        ('size_class', {{ relation }}.size_class),
        ('prefecture', {{ relation }}.prefecture_code)
    ) as grouping_sets (group_type, group_code)
{%- endmacro %}

{#- The overall deviation score (figure 23): the plain mean of the domains' deviation scores over
    the domains with cfg_domains.in_overall_score, null unless every one of them has a score.
    Not re-standardised. Use in a query grouped by body and year over those domains. -#}
{% macro overall_deviation_score(scores_relation) -%}
    case
        when count({{ scores_relation }}.deviation_score) = (
            select count(*) from {{ ref('cfg_domains') }} as overall_domains
            where overall_domains.in_overall_score
        )
            then avg({{ scores_relation }}.deviation_score)
    end
{%- endmacro %}
