with

source as (
    select * from {{ ref('ref_prefectures') }}
),

final as (
    select
        prefecture_code,
        prefecture_name,
        prefecture_kana,
        prefecture_name_en,
        iso_3166_2
    from source
)

select * from final
