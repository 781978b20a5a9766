-- Assigns each municipality its size class from the rules in cfg_size_classes.
-- A body that matches no rule or more than one is kept (with a null or repeated class)
-- so that the tests on this model catch it instead of a silent drop.
with

municipalities as (
    select * from {{ ref('stg_mic__municipalities') }}
),

designations as (
    select * from {{ ref('stg_mic__city_designations') }}
),

population as (
    select * from {{ ref('stg_mic__resident_population') }}
),

size_classes as (
    select * from {{ ref('cfg_size_classes') }}
),

designation_flags as (
    select
        municipality_code,
        bool_or(designation = 'designated_city') as is_designated_city,
        bool_or(designation = 'core_city') as is_core_city
    from designations
    group by municipality_code
),

enriched as (
    select
        municipalities.municipality_code,
        municipalities.mic_type,
        population.population,
        population.population_date,
        case
            when coalesce(designation_flags.is_designated_city, false) then 'designated_city'
            when coalesce(designation_flags.is_core_city, false) then 'core_city'
        end as designation,
        coalesce(designation_flags.is_designated_city, false) as is_designated_city,
        coalesce(designation_flags.is_core_city, false) as is_core_city
    from municipalities
    left join population
        on municipalities.municipality_code = population.municipality_code
    left join designation_flags
        on municipalities.municipality_code = designation_flags.municipality_code
),

matched as (
    select
        enriched.municipality_code,
        size_classes.size_class
    from enriched
    inner join size_classes
        on
            (size_classes.rule = 'designation' and enriched.designation = size_classes.designation)
            or (
                size_classes.rule = 'population'
                and enriched.designation is null
                and list_contains(string_split(size_classes.mic_types, ';'), enriched.mic_type)
                and enriched.population >= size_classes.min_population
                and (
                    size_classes.max_population_exclusive is null
                    or enriched.population < size_classes.max_population_exclusive
                )
            )
            or (
                size_classes.rule = 'mic_type'
                and enriched.designation is null
                and list_contains(string_split(size_classes.mic_types, ';'), enriched.mic_type)
            )
),

final as (
    select
        enriched.municipality_code,
        enriched.mic_type,
        enriched.population,
        enriched.population_date,
        enriched.is_designated_city,
        enriched.is_core_city,
        matched.size_class
    from enriched
    left join matched
        on enriched.municipality_code = matched.municipality_code
)

select * from final
