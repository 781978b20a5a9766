{#- A (compound) primary key in one scan: fails for every combination of `columns` that occurs
    more than once or has a null part. For the small configuration seeds, whose keys the big
    models join on. -#}
{% test primary_key(model, columns) %}

select
    {{ columns | join(', ') }},
    count(*) as n_rows
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1 or {{ columns | join(' is null or ') }} is null

{% endtest %}
