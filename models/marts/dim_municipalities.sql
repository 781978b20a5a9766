with

municipalities as (
    select * from {{ ref('stg_mic__municipalities') }}
),

classified as (
    select * from {{ ref('int_municipalities_classified') }}
),

size_classes as (
    select * from {{ ref('cfg_size_classes') }}
),

mic_types as (
    select * from {{ ref('cfg_mic_types') }}
),

prefectures as (
    select * from {{ ref('dim_prefectures') }}
),

search_keys as (
    select * from {{ ref('int_municipality_search_keys') }}
),

final as (
    select
        municipalities.municipality_code,
        municipalities.municipality_name,
        municipalities.municipality_kana,
        municipalities.municipality_name || '（' || municipalities.prefecture_name || '）' as municipality_label,
        municipalities.prefecture_code,
        municipalities.prefecture_name,
        prefectures.region_code,
        prefectures.region_name_ja,
        municipalities.mic_type,
        mic_types.mic_type_ja,
        classified.is_designated_city,
        classified.is_core_city,
        classified.mic_type in ('town', 'village') as is_town_or_village,
        classified.population,
        classified.population_date,
        classified.size_class,
        size_classes.size_class_ja,
        size_classes.size_class_en,
        size_classes.sort_order as size_class_sort_order,
        municipalities.code_list_date,
        search_keys.search_name,
        search_keys.search_key
    from municipalities
    left join classified
        on municipalities.municipality_code = classified.municipality_code
    left join size_classes
        on classified.size_class = size_classes.size_class
    left join mic_types
        on municipalities.mic_type = mic_types.mic_type
    left join prefectures
        on municipalities.prefecture_code = prefectures.prefecture_code
    left join search_keys
        on municipalities.municipality_code = search_keys.municipality_code
)

select * from final
