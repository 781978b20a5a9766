{#- Fails for every group whose non-null values do not have the given mean and population
    standard deviation (deviation scores: mean 50, sd 10), within `tolerance`. -#}
{% test is_standardised(model, column_name, group_by, mean=50, sd=10, tolerance=0.000001, where_clause=none) %}

select
    {{ group_by | join(', ') }},
    avg({{ column_name }}) as actual_mean,
    stddev_pop({{ column_name }}) as actual_sd,
    count({{ column_name }}) as n_values
from {{ model }}
{% if where_clause %}where {{ where_clause }}{% endif %}
group by {{ group_by | join(', ') }}
having
    count({{ column_name }}) > 1
    and (
        abs(avg({{ column_name }}) - {{ mean }}) > {{ tolerance }}
        or abs(stddev_pop({{ column_name }}) - {{ sd }}) > {{ tolerance }}
    )

{% endtest %}
