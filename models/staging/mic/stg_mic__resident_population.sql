with

source as (
    select * from {{ ref('ref_resident_population') }}
),

final as (
    select
        municipality_code,
        population,
        population_date,
        source_snapshot_date
    from source
)

select * from final
