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

scored as (
    select
        scores.*,
        municipalities.size_class,
        municipalities.prefecture_code
    from scores
    inner join municipalities
        on scores.municipality_code = municipalities.municipality_code
),

grouped as (
    select
        scored.fiscal_year,
        scored.domain,
        grouping_sets.group_type,
        grouping_sets.group_code,
        count(*) as n_bodies,
        count(scored.domain_rate_pct) as n_bodies_with_rate,
        {{ exact_avg('scored.domain_rate_pct') }} as domain_rate_pct,
        count(*) filter (where scored.has_all_items) as n_all_items,
        count(*) filter (where scored.has_no_item) as n_no_item,
        count(scored.has_all_items) as n_bodies_tallied,
        cast(sum(scored.n_official_inputs) as bigint) as n_official_inputs,
        cast(sum(scored.n_sample_inputs) as bigint) as n_sample_inputs,
        cast(sum(scored.n_missing_inputs) as bigint) as n_missing_inputs,
        cast(sum(scored.n_proxy_inputs) as bigint) as n_proxy_inputs,
        scored.n_items_in_domain,
        scored.n_items_present,
        scored.coverage_reason,
        scored.coverage_reason_ja
    from scored
    cross join {{ group_memberships('scored') }}
    group by all
),

final as (
    select
        fiscal_year,
        domain,
        group_type,
        group_code,
        n_bodies,
        n_bodies_with_rate,
        domain_rate_pct,
        n_all_items,
        n_no_item,
        n_bodies_tallied,
        n_official_inputs,
        n_sample_inputs,
        n_missing_inputs,
        n_proxy_inputs,
        n_items_in_domain,
        n_items_present,
        coverage_reason,
        coverage_reason_ja
    from grouped
)

select * from final
