with

source as (
    select * from {{ ref('ref_city_designations') }}
),

final as (
    select
        municipality_code,
        designation,
        nullif(transitioned_on_ja, '') as transitioned_on_ja,
        list_date
    from source
)

select * from final
