with

prefectures as (
    select * from {{ ref('stg_localgovjp__prefectures') }}
),

regions as (
    select * from {{ ref('cfg_regions') }}
),

municipalities as (
    select * from {{ ref('int_municipalities_classified') }}
),

municipality_counts as (
    select
        left(municipality_code, 2) as prefecture_code,
        count(*) as n_municipalities,
        count(*) filter (where mic_type in ('town', 'village')) as n_towns_and_villages,
        cast(sum(population) as bigint) as population
    from municipalities
    group by 1
),

final as (
    select
        prefectures.prefecture_code,
        prefectures.prefecture_name,
        prefectures.prefecture_kana,
        prefectures.prefecture_name_en,
        prefectures.iso_3166_2,
        regions.region_code,
        regions.region_name_ja,
        regions.region_name_en,
        regions.sort_order as region_sort_order,
        coalesce(municipality_counts.n_municipalities, 0) as n_municipalities,
        coalesce(municipality_counts.n_towns_and_villages, 0) as n_towns_and_villages,
        round(
            {{ rate_pct_of_counts(
                'municipality_counts.n_towns_and_villages', 'municipality_counts.n_municipalities'
            ) }},
            2
        ) as towns_and_villages_share_pct,
        municipality_counts.population
    from prefectures
    left join regions
        on prefectures.prefecture_code between regions.first_prefecture_code and regions.last_prefecture_code
    left join municipality_counts
        on prefectures.prefecture_code = municipality_counts.prefecture_code
)

select * from final
