with

source as (
    select * from {{ ref('raw_mic_mynumber_card__issuance') }}
),

final as (
    select
        seed_row,
        edition_id,
        source_file,
        source_row,
        snapshot_date,
        prefecture_name,
        municipality_name_raw,
        municipality_code,
        municipality_code_raw,
        code_resolution,
        population,
        cards_issued,
        cast(issuance_rate_pct as double) as issuance_rate_pct,
        population_date,
        issued_date
    from source
)

select * from final
