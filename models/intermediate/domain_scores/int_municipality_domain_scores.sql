-- Per municipality, year and report domain: the domain rate (share of the domain's items in
-- place, or the item's own percentage for the procedure and card domains), the achievement
-- flags over the tally items, and the make-up of its inputs (official, sample, missing).
-- The pseudo-domain total_23_items pools the three flag domains (cfg_domains.in_total_tally)
-- for the report's 23-item tally. Coverage rule (int_domain_coverage_checked): the domain rate
-- and the tally flags are null unless every item of the domain has answers that year.
-- One pass over the facts: every measure is made of counts and exact decimal sums, which add
-- up, so total_23_items adds its domains' parts instead of reading the facts a second time.
with

facts as (
    select * from {{ ref('fct_survey_answers') }}
),

domains as (
    select * from {{ ref('cfg_domains') }}
),

coverage as (
    select * from {{ ref('int_domain_coverage_checked') }}
),

domain_parts as (
    -- per body, year and domain: the domain-mean items (in_domain_mean) and the tally items
    -- (in_tallies), counted apart
    select
        municipality_code,
        fiscal_year,
        domain,
        count(*) filter (where in_domain_mean) as n_items,
        count(*) filter (where in_domain_mean and is_answered) as n_items_answered,
        count(*) filter (where in_domain_mean and is_in_place) as n_items_in_place,
        bool_and(value_type = 'flag') filter (where in_domain_mean) as is_all_flags,
        count(is_in_place) filter (where in_domain_mean) as n_flags_answered,
        {{ exact_sum_part('value_numeric') }} filter (where in_domain_mean) as value_sum,
        count(value_numeric) filter (where in_domain_mean) as n_values,
        count(*) filter (where in_domain_mean and is_answered and not is_sample) as n_official_inputs,
        count(*) filter (where in_domain_mean and is_answered and is_sample) as n_sample_inputs,
        count(*) filter (where in_domain_mean and not is_answered) as n_missing_inputs,
        count(*) filter (
            where in_domain_mean and is_answered and not is_sample and is_proxy_for_report
        ) as n_proxy_inputs,
        count(*) filter (where in_tallies) as n_tally_items,
        count(*) filter (where in_tallies and is_in_place is not null) as n_tally_answered,
        count(*) filter (where in_tallies and is_in_place) as n_tally_in_place
    from facts
    where in_domain_mean or in_tallies
    group by 1, 2, 3
),

report_domain_parts as (
    select domain_parts.*
    from domain_parts
    inner join domains
        on domain_parts.domain = domains.domain
    where domains.is_report_domain
),

pooled_parts as (
    -- total_23_items: the parts of the tally domains added up
    select
        domain_parts.municipality_code,
        domain_parts.fiscal_year,
        'total_23_items' as domain,
        cast(sum(domain_parts.n_items) as bigint) as n_items,
        cast(sum(domain_parts.n_items_answered) as bigint) as n_items_answered,
        cast(sum(domain_parts.n_items_in_place) as bigint) as n_items_in_place,
        bool_and(domain_parts.is_all_flags) as is_all_flags,
        cast(sum(domain_parts.n_flags_answered) as bigint) as n_flags_answered,
        sum(domain_parts.value_sum) as value_sum,
        cast(sum(domain_parts.n_values) as bigint) as n_values,
        {{ input_count_sums('domain_parts', cast_to='bigint') }},
        cast(sum(domain_parts.n_tally_items) as bigint) as n_tally_items,
        cast(sum(domain_parts.n_tally_answered) as bigint) as n_tally_answered,
        cast(sum(domain_parts.n_tally_in_place) as bigint) as n_tally_in_place
    from domain_parts
    inner join domains
        on domain_parts.domain = domains.domain
    where domains.in_total_tally
    group by 1, 2, 3
),

all_parts as (
    select * from report_domain_parts
    union all
    select * from pooled_parts
),

scored as (
    -- a body's domain row exists when it has a domain-mean item; its tally counts are null
    -- when it has no tally item
    select
        municipality_code,
        fiscal_year,
        domain,
        n_items,
        n_items_answered,
        n_items_in_place,
        case
            when is_all_flags then {{ rate_pct_of_counts('n_items_in_place', 'n_flags_answered') }}
            else {{ exact_avg_of_parts('value_sum', 'n_values') }}
        end as domain_rate_pct,
        nullif(n_tally_items, 0) as n_tally_items,
        n_tally_answered,
        n_tally_in_place,
        n_official_inputs,
        n_sample_inputs,
        n_missing_inputs,
        n_proxy_inputs
    from all_parts
    where n_items > 0
),

final as (
    select
        scored.municipality_code,
        scored.fiscal_year,
        scored.domain,
        scored.n_items,
        scored.n_items_answered,
        scored.n_items_in_place,
        case when coverage.is_complete then scored.domain_rate_pct end as domain_rate_pct,
        scored.n_tally_items,
        case
            when coverage.is_complete and scored.n_tally_answered = scored.n_tally_items
                then scored.n_tally_in_place = scored.n_tally_items
        end as has_all_items,
        case
            when coverage.is_complete and scored.n_tally_answered = scored.n_tally_items
                then scored.n_tally_in_place = 0
        end as has_no_item,
        scored.n_official_inputs,
        scored.n_sample_inputs,
        scored.n_missing_inputs,
        scored.n_proxy_inputs,
        coverage.n_items_in_domain,
        coverage.n_items_present,
        coverage.coverage_reason,
        coverage.coverage_reason_ja
    from scored
    left join coverage
        on
            scored.fiscal_year = coverage.fiscal_year
            and scored.domain = coverage.domain
)

select * from final
