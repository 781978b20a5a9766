-- 本文中の数値、23項目の団体別集計 (family pooled_tallies): per body, how many of the 23 tally items
-- it has in place (int_municipality_domain_scores, domain total_23_items); per year and group of
-- bodies (subject: size classes, ';'-separated, or empty for all), the bodies with every item,
-- the highest count, and the bodies at the year's highest count.
with

domain_scores as (
    select * from {{ ref('int_municipality_domain_scores') }}
    where domain = 'total_23_items'
),

municipalities as (
    select * from {{ ref('dim_municipalities') }}
),

wanted as (
    select * from {{ ref('int_claim_measures_wanted') }}
    where
        measure_id in (
            'n_bodies_with_all_tally_items', 'max_tally_items_in_place', 'n_bodies_at_max_tally_items'
        )
),

tally_bodies as (
    select
        domain_scores.fiscal_year,
        domain_scores.municipality_code,
        municipalities.size_class,
        domain_scores.n_items_in_place,
        domain_scores.has_all_items,
        domain_scores.n_official_inputs,
        domain_scores.n_sample_inputs,
        domain_scores.n_missing_inputs
    from domain_scores
    inner join municipalities
        on domain_scores.municipality_code = municipalities.municipality_code
),

tally_max as (
    select
        fiscal_year,
        max(n_items_in_place) as max_items
    from tally_bodies
    group by 1
),

pooled_tally_rows as (
    select
        wanted.measure_id,
        wanted.fiscal_year_label,
        wanted.subject,
        case wanted.measure_id
            when 'n_bodies_with_all_tally_items' then count(*) filter (where tally_bodies.has_all_items)
            when 'max_tally_items_in_place' then max(tally_bodies.n_items_in_place)
            else count(*) filter (where tally_bodies.n_items_in_place = tally_max.max_items)
        end::double as value_num,
        case
            when sum(tally_bodies.n_missing_inputs) > 0 then 'incomplete'
            when sum(tally_bodies.n_sample_inputs) = 0 then 'official'
            when sum(tally_bodies.n_official_inputs) = 0 then 'sample'
            else 'mixed'
        end as input_basis
    from wanted
    inner join tally_bodies
        on
            wanted.fiscal_year_label = (tally_bodies.fiscal_year)::varchar
            and (wanted.subject = '' or list_contains(wanted.list_a, tally_bodies.size_class))
    inner join tally_max
        on tally_bodies.fiscal_year = tally_max.fiscal_year
    group by 1, 2, 3
),

final as (
    select
        'pooled_tallies' as measure_family,
        measure_id,
        fiscal_year_label,
        subject,
        value_num,
        null::varchar as value_text,
        null::double as value_aux,
        input_basis
    from pooled_tally_rows
)

select * from final
