{#- Fails for every value that is not a 6-digit 全国地方公共団体コード with a valid check digit
    (weights 6,5,4,3,2 on the first five digits; cd = (11 - sum mod 11) mod 10). -#}
{% test valid_municipality_code(model, column_name) %}

with

codes as (
    select {{ column_name }} as code
    from {{ model }}
    where {{ column_name }} is not null
),

checked as (
    select
        code,
        regexp_full_match(code, '[0-9]{6}') as is_six_digits,
        case
            when regexp_full_match(code, '[0-9]{6}')
                then (
                    11 - (
                        cast(substr(code, 1, 1) as integer) * 6
                        + cast(substr(code, 2, 1) as integer) * 5
                        + cast(substr(code, 3, 1) as integer) * 4
                        + cast(substr(code, 4, 1) as integer) * 3
                        + cast(substr(code, 5, 1) as integer) * 2
                    ) % 11
                ) % 10
        end as expected_check_digit
    from codes
)

select *
from checked
where
    not is_six_digits
    or expected_check_digit != cast(substr(code, 6, 1) as integer)

{% endtest %}
