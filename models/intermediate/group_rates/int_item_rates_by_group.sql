-- Item rates per year for three kinds of group: all municipalities, each size class, each
-- prefecture. Flag items: share of answered bodies with the item in place. Percent items:
-- mean of the bodies' values. Each row counts its inputs by origin.
with

facts as (
    select * from {{ ref('fct_survey_answers') }}
),

municipalities as (
    select * from {{ ref('dim_municipalities') }}
),

items as (
    select * from {{ ref('cfg_items') }}
),

domains as (
    select * from {{ ref('cfg_domains') }}
),

report_facts as (
    select
        facts.*,
        municipalities.size_class,
        municipalities.prefecture_code
    from facts
    inner join municipalities
        on facts.municipality_code = municipalities.municipality_code
    inner join domains
        on facts.domain = domains.domain
    inner join items
        on facts.item_code = items.item_code
    where domains.is_report_domain and items.is_report_item
),

item_parts as (
    -- per year, item, size class and prefecture: counts and exact decimal sums, which add up to
    -- every group's measures below (one pass over the facts; the groups repeat these parts,
    -- not the facts)
    select
        fiscal_year,
        item_code,
        size_class,
        prefecture_code,
        count(*) as n_bodies,
        count(*) filter (where is_answered) as n_answered,
        count(*) filter (where is_in_place) as n_in_place,
        bool_and(value_type = 'flag') as is_all_flags,
        count(is_in_place) as n_flags_answered,
        {{ exact_sum_part('value_numeric') }} as value_sum,
        count(value_numeric) as n_values,
        count(*) filter (where is_answered and not is_sample) as n_official_inputs,
        count(*) filter (where is_answered and is_sample) as n_sample_inputs,
        count(*) filter (where not is_answered) as n_missing_inputs,
        count(*) filter (where is_answered and not is_sample and is_proxy_for_report) as n_proxy_inputs
    from report_facts
    group by 1, 2, 3, 4
),

grouped as (
    -- flag items: share of answered bodies with the item in place; percent items: exact mean
    select
        item_parts.fiscal_year,
        item_parts.item_code,
        grouping_sets.group_type,
        grouping_sets.group_code,
        cast(sum(item_parts.n_bodies) as bigint) as n_bodies,
        cast(sum(item_parts.n_answered) as bigint) as n_answered,
        cast(sum(item_parts.n_in_place) as bigint) as n_in_place,
        bool_and(item_parts.is_all_flags) as is_all_flags,
        cast(sum(item_parts.n_flags_answered) as bigint) as n_flags_answered,
        sum(item_parts.value_sum) as value_sum,
        cast(sum(item_parts.n_values) as bigint) as n_values,
        {{ input_count_sums('item_parts', cast_to='bigint') }}
    from item_parts
    cross join {{ group_memberships('item_parts') }}
    group by all
),

final as (
    select
        fiscal_year,
        item_code,
        group_type,
        group_code,
        n_bodies,
        n_answered,
        n_in_place,
        case
            when is_all_flags then {{ rate_pct_of_counts('n_in_place', 'n_flags_answered') }}
            else {{ exact_avg_of_parts('value_sum', 'n_values') }}
        end as rate_pct,
        n_official_inputs,
        n_sample_inputs,
        n_missing_inputs,
        n_proxy_inputs
    from grouped
)

select * from final
