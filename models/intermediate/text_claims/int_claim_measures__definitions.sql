-- 本文中の数値、定義と基礎数値 (family definitions): reference facts the report states — the number
-- of prefectures, the bodies whose answers are substituted, the number of items per domain
-- (in the domain mean, reference items, tally items: a value only when 2021 and 2023 agree),
-- the largest number of existing procedures, and the population bounds of each size class.
with

facts as not materialized (
    -- each measure below reads the columns and rows it needs (not materialized: no copy)
    select * from {{ ref('fct_survey_answers') }}
),

municipalities as (
    select * from {{ ref('dim_municipalities') }}
),

prefectures as (
    select * from {{ ref('dim_prefectures') }}
),

prefecture_count_rows as (
    select
        'n_prefectures' as measure_id,
        '' as fiscal_year_label,
        '' as subject,
        count(*)::double as value_num,
        null::varchar as value_text,
        null::double as value_aux,
        'official' as input_basis
    from prefectures
),

substituted_rows as (
    select
        'substituted_bodies' as measure_id,
        (facts.fiscal_year)::varchar as fiscal_year_label,
        '' as subject,
        count(distinct facts.municipality_code)::double as value_num,
        '{'
        || string_agg(distinct municipalities.municipality_name, ', ' order by municipalities.municipality_name)
        || '}'
            as value_text,
        null::double as value_aux,
        'official' as input_basis
    from facts
    inner join municipalities
        on facts.municipality_code = municipalities.municipality_code
    where facts.is_substituted
    group by 1, 2, 3
),

items_per_year as (
    select
        'n_domain_mean_items' as measure_id,
        domain as subject,
        fiscal_year,
        count(distinct item_code) filter (where in_domain_mean and value_type = 'flag') as n_items
    from facts
    group by 1, 2, 3
    union all
    select
        'n_reference_items' as measure_id,
        domain as subject,
        fiscal_year,
        count(distinct item_code) filter (where not in_domain_mean and value_type = 'flag') as n_items
    from facts
    group by 1, 2, 3
    union all
    select
        'n_tally_items' as measure_id,
        'total_23_items' as subject,
        fiscal_year,
        count(distinct item_code) filter (where in_tallies) as n_items
    from facts
    group by 1, 2, 3
),

item_count_rows as (
    select
        measure_id,
        '2021;2023' as fiscal_year_label,
        subject,
        case when min(n_items) = max(n_items) then min(n_items)::double end as value_num,
        null::varchar as value_text,
        null::double as value_aux,
        'official' as input_basis
    from items_per_year
    where fiscal_year in (2021, 2023)
    group by 1, 2, 3
),

procedures_rows as (
    select
        'max_procedures_existing' as measure_id,
        fiscal_year::varchar as fiscal_year_label,
        item_code as subject,
        max(value_numeric) as value_num,
        null::varchar as value_text,
        null::double as value_aux,
        {{ input_basis_of_sample_flags('is_sample', 'is_sample') }} as input_basis
    from facts
    where item_code in ('procedures_high_volume_existing', 'procedures_life_events_existing')
    group by 1, 2, 3
),

population_rows as (
    select
        population_bounds.measure_id,
        '' as fiscal_year_label,
        municipalities.size_class as subject,
        case population_bounds.measure_id
            when 'size_class_min_population' then min(municipalities.population)
            else max(municipalities.population)
        end::double as value_num,
        null::varchar as value_text,
        null::double as value_aux,
        'official' as input_basis
    from municipalities
    cross join (values ('size_class_min_population'), ('size_class_max_population')) as population_bounds (measure_id)
    group by 1, 2, 3
),

unioned as (
    select * from prefecture_count_rows
    union all
    select * from substituted_rows
    union all
    select * from item_count_rows
    union all
    select * from procedures_rows
    union all
    select * from population_rows
),

final as (
    select
        'definitions' as measure_family,
        measure_id,
        fiscal_year_label,
        subject,
        value_num,
        value_text,
        value_aux,
        input_basis
    from unioned
)

select * from final
