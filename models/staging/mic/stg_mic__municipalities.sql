with

source as (
    select * from {{ ref('ref_mic_municipalities') }}
),

final as (
    select
        municipality_code,
        municipality_code5,
        municipality_name,
        municipality_kana,
        prefecture_code,
        prefecture_name,
        mic_type,
        code_list_date
    from source
)

select * from final
