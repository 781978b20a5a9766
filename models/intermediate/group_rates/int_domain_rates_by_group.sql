-- Domain rates per year for all municipalities, each size class and each prefecture: the plain
-- mean of the municipalities' domain rates (figure 2's note), plus the achievement tallies
-- (bodies with every tally item in place, and with none) and the make-up of the inputs.
with

scores as (
    select * from {{ ref('int_municipality_domain_scores') }}
),

municipalities as (
    select * from {{ ref('dim_municipalities') }}
),

coverage as (
    select * from {{ ref('int_domain_coverage_checked') }}
),

domain_parts as (
    -- per year, domain, size class and prefecture: counts and exact decimal sums, which add up
    -- to every group's measures (the groups repeat these parts, not the bodies' rows)
    select
        scores.fiscal_year,
        scores.domain,
        municipalities.size_class,
        municipalities.prefecture_code,
        count(*) as n_bodies,
        count(scores.domain_rate_pct) as n_bodies_with_rate,
        {{ exact_sum_part('scores.domain_rate_pct') }} as rate_sum,
        count(*) filter (where scores.has_all_items) as n_all_items,
        count(*) filter (where scores.has_no_item) as n_no_item,
        count(scores.has_all_items) as n_bodies_tallied,
        {{ input_count_sums('scores') }}
    from scores
    inner join municipalities
        on scores.municipality_code = municipalities.municipality_code
    group by 1, 2, 3, 4
),

grouped as (
    select
        domain_parts.fiscal_year,
        domain_parts.domain,
        grouping_sets.group_type,
        grouping_sets.group_code,
        cast(sum(domain_parts.n_bodies) as bigint) as n_bodies,
        cast(sum(domain_parts.n_bodies_with_rate) as bigint) as n_bodies_with_rate,
        sum(domain_parts.rate_sum) as rate_sum,
        cast(sum(domain_parts.n_all_items) as bigint) as n_all_items,
        cast(sum(domain_parts.n_no_item) as bigint) as n_no_item,
        cast(sum(domain_parts.n_bodies_tallied) as bigint) as n_bodies_tallied,
        {{ input_count_sums('domain_parts', cast_to='bigint') }}
    from domain_parts
    cross join {{ group_memberships('domain_parts') }}
    group by all
),

final as (
    -- the domain's coverage (one row per year and domain) joined once, to the groups
    select
        grouped.fiscal_year,
        grouped.domain,
        grouped.group_type,
        grouped.group_code,
        grouped.n_bodies,
        grouped.n_bodies_with_rate,
        {{ exact_avg_of_parts('grouped.rate_sum', 'grouped.n_bodies_with_rate') }} as domain_rate_pct,
        grouped.n_all_items,
        grouped.n_no_item,
        grouped.n_bodies_tallied,
        grouped.n_official_inputs,
        grouped.n_sample_inputs,
        grouped.n_missing_inputs,
        grouped.n_proxy_inputs,
        coverage.n_items_in_domain,
        coverage.n_items_present,
        coverage.coverage_reason,
        coverage.coverage_reason_ja
    from grouped
    left join coverage
        on
            grouped.fiscal_year = coverage.fiscal_year
            and grouped.domain = coverage.domain
)

select * from final
