{#- Shared measure formulas, so every mart computes them one way. -#}

{#- Share of rows where `condition` is true among rows where it is not null, in percent. -#}
{% macro rate_pct(condition) -%}
    {{ rate_pct_of_counts('count(*) filter (where ' ~ condition ~ ')', 'count(' ~ condition ~ ')') }}
{%- endmacro %}

{#- rate_pct from its two counts: rows where the condition is true, rows where it is not null
    (BIGINT columns, or sums of counts). For a measure added up from parts (below), and for any
    share in percent of two counts or sums (numerator first): every percentage of the project is
    this one formula. -#}
{% macro rate_pct_of_counts(n_true, n_not_null) -%}
    100.0 * {{ n_true }} / nullif({{ n_not_null }}, 0)
{%- endmacro %}

{#- Reproducible float aggregates. DuckDB adds doubles in the order its threads hand them over, so
    avg / sum / stddev_pop / corr of doubles can differ in the last bits between two builds (and a
    rank over them flips ties). These sum exact decimals instead: each value is first taken to
    18 decimal places (DECIMAL(38, 18): below a double's last bit for values above 0.01; every
    sum here stays below 10^20, the type's limit: rates and scores below 10^4, the card rate
    times a population below 10^10), the sums are exact whatever the order, and only the final
    ratio is a double. Results equal the float aggregates within 1e-12 and are byte-identical
    from build to build. -#}
{% macro exact_sum(value) -%}
    cast({{ exact_sum_part(value) }} as double)
{%- endmacro %}

{% macro exact_avg(value) -%}
    ({{ exact_sum(value) }} / nullif(count({{ value }}), 0))
{%- endmacro %}

{#- Measures added up from parts: a query grouped finely (say by size class and prefecture)
    keeps exact_sum_part (the DECIMAL sum) and the counts; a coarser query adds the parts up
    (sum of the DECIMAL sums, cast(sum(count) as bigint)) and takes exact_avg_of_parts. Decimal
    sums are exact, so the result is the same double as exact_avg over the rows, and the rows
    are read once however many groups they belong to. -#}
{% macro exact_sum_part(value) -%}
    sum(cast({{ value }} as decimal(38, 18)))
{%- endmacro %}

{% macro exact_avg_of_parts(sum_part, n_values) -%}
    (cast({{ sum_part }} as double) / nullif({{ n_values }}, 0))
{%- endmacro %}

{#- exact_avg over the rows where `condition` holds (an aggregate FILTER). -#}
{% macro exact_avg_filtered(value, condition) -%}
    (
        cast(sum(cast({{ value }} as decimal(38, 18))) filter (where {{ condition }}) as double)
        / nullif(count({{ value }}) filter (where {{ condition }}), 0)
    )
{%- endmacro %}

{#- Window forms of exact_sum / exact_avg over `partition_by`. -#}
{% macro exact_sum_over(value, partition_by) -%}
    cast(sum(cast({{ value }} as decimal(38, 18))) over (partition by {{ partition_by }}) as double)
{%- endmacro %}

{% macro exact_avg_over(value, partition_by) -%}
    ({{ exact_sum_over(value, partition_by) }} / nullif(count({{ value }}) over (partition by {{ partition_by }}), 0))
{%- endmacro %}

{#- Population standard deviation (stddev_pop) of `value` over `partition_by`, two-pass from
    exact sums: sqrt(mean((x - mean)^2)), where `mean` is a column holding the partition's
    exact_avg_over (computed in an earlier CTE: SQL does not nest window functions). -#}
{% macro exact_stddev_pop_over(value, partition_by, mean) -%}
    sqrt({{ exact_avg_over('(' ~ value ~ ' - ' ~ mean ~ ') * (' ~ value ~ ' - ' ~ mean ~ ')', partition_by) }})
{%- endmacro %}

{#- Pearson correlation (corr) of x and y from exact sums, over the rows where both are present;
    `over` is empty for an aggregate or "over (...)" for a window. -#}
{% macro exact_corr(x, y, over='') -%}
    {%- set both = '(' ~ x ~ ') is not null and (' ~ y ~ ') is not null' -%}
    {%- set n = 'count(*) filter (where ' ~ both ~ ') ' ~ over -%}
    {%- set sx = 'cast(sum(cast(' ~ x ~ ' as decimal(38, 18))) filter (where ' ~ both ~ ') ' ~ over ~ ' as double)' -%}
    {%- set sy = 'cast(sum(cast(' ~ y ~ ' as decimal(38, 18))) filter (where ' ~ both ~ ') ' ~ over ~ ' as double)' -%}
    {%- set sxx = 'cast(sum(cast((' ~ x ~ ') * (' ~ x ~ ') as decimal(38, 18))) filter (where ' ~ both ~ ') ' ~ over ~ ' as double)' -%}
    {%- set syy = 'cast(sum(cast((' ~ y ~ ') * (' ~ y ~ ') as decimal(38, 18))) filter (where ' ~ both ~ ') ' ~ over ~ ' as double)' -%}
    {%- set sxy = 'cast(sum(cast((' ~ x ~ ') * (' ~ y ~ ') as decimal(38, 18))) filter (where ' ~ both ~ ') ' ~ over ~ ' as double)' -%}
    (
        ({{ n }} * {{ sxy }} - {{ sx }} * {{ sy }})
        / nullif(sqrt(greatest({{ n }} * {{ sxx }} - {{ sx }} * {{ sx }}, 0))
            * sqrt(greatest({{ n }} * {{ syy }} - {{ sy }} * {{ sy }}, 0)), 0)
    )
{%- endmacro %}

{#- Deviation score (偏差値) of `value` within `partition_by`: 50 + 10 (x - mean) / sd, with the
    population standard deviation, as the report's figure 23 uses; from exact sums (above) so it
    is byte-identical from build to build. `mean` names a column holding
    exact_avg_over(value, partition_by), computed in an earlier CTE. -#}
{% macro deviation_score(value, partition_by, mean) -%}
    {{ deviation_score_from_sd(value, mean, exact_stddev_pop_over(value, partition_by, mean)) }}
{%- endmacro %}

{#- Aggregate form of exact_stddev_pop_over, for a query grouped by the partition (joined to the
    partition's exact_avg as `mean`): the spread once per partition instead of a window over
    every row, with the same arithmetic (the same double). -#}
{% macro exact_stddev_pop(value, mean) -%}
    sqrt({{ exact_avg('(' ~ value ~ ' - ' ~ mean ~ ') * (' ~ value ~ ' - ' ~ mean ~ ')') }})
{%- endmacro %}

{#- deviation_score from the partition's mean and population sd (exact_stddev_pop) in columns. -#}
{% macro deviation_score_from_sd(value, mean, sd) -%}
    50 + 10 * ({{ value }} - {{ mean }})
    / nullif({{ sd }}, 0)
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
        {{ rate_pct_of_counts(
            relation ~ '.n_sample_inputs',
            relation ~ '.n_official_inputs + ' ~ relation ~ '.n_sample_inputs + ' ~ relation ~ '.n_missing_inputs'
        ) }},
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
            then {{ exact_avg(scores_relation ~ '.deviation_score') }}
    end
{%- endmacro %}

{#- The make-up of the inputs added up over a group: n_official_inputs, n_sample_inputs,
    n_missing_inputs and n_proxy_inputs of `relation` (a CTE or table alias; '' for none), each
    summed `as` its own name. cast_to='bigint' keeps a count's type when parts are added up
    (sum of BIGINT is HUGEINT in DuckDB); without it the sums keep DuckDB's type. -#}
{% macro input_count_sums(relation='', cast_to=none) -%}
    {%- set prefix = relation ~ '.' if relation else '' -%}
    {%- set sums = [] -%}
    {%- for column in ['n_official_inputs', 'n_sample_inputs', 'n_missing_inputs', 'n_proxy_inputs'] -%}
        {%- set total = 'sum(' ~ prefix ~ column ~ ')' -%}
        {%- do sums.append(('cast(' ~ total ~ ' as ' ~ cast_to ~ ')' if cast_to else total) ~ ' as ' ~ column) -%}
    {%- endfor -%}
    {{ sums | join(',\n        ') }}
{%- endmacro %}

{#- input_basis of a measure over two inputs that each carry an input_basis (a change between two
    years, a difference of two changes): the shared basis, or mixed when they differ. -#}
{% macro pair_input_basis(first_basis, second_basis) -%}
    case when {{ first_basis }} = {{ second_basis }} then {{ first_basis }} else 'mixed' end
{%- endmacro %}

{#- input_basis of an aggregate over answers flagged is_sample (a query grouped by the measure):
    sample when `all_sample` holds for every row, mixed when `any_sample` holds for some,
    else official. -#}
{% macro input_basis_of_sample_flags(all_sample, any_sample) -%}
    case
        when bool_and({{ all_sample }}) then 'sample'
        when bool_or({{ any_sample }}) then 'mixed'
        else 'official'
    end
{%- endmacro %}

{#- Ratio of two values (not a percent), null when the denominator is 0. -#}
{% macro ratio(numerator, denominator) -%}
    {{ numerator }} / nullif({{ denominator }}, 0)
{%- endmacro %}
