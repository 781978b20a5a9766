{#- Fails for every group whose row count in the model differs from the count a reference
    relation gives for it (groups missing on either side fail too). -#}
{% test group_counts_match(model, group_column, reference, reference_group_column, reference_count_column, reference_where=none) %}

with

actual as (
    select
        cast({{ group_column }} as varchar) as group_value,
        count(*) as actual_count
    from {{ model }}
    group by 1
),

expected as (
    select
        cast({{ reference_group_column }} as varchar) as group_value,
        cast({{ reference_count_column }} as bigint) as expected_count
    from {{ reference }}
    {% if reference_where %}where {{ reference_where }}{% endif %}
),

compared as (
    select
        coalesce(actual.group_value, expected.group_value) as group_value,
        actual.actual_count,
        expected.expected_count
    from actual
    full outer join expected
        on actual.group_value = expected.group_value
)

select *
from compared
where actual_count is distinct from expected_count

{% endtest %}
