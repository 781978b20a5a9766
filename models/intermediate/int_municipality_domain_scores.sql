-- Per municipality, year and report domain: the domain rate (share of the domain's items in
-- place, or the item's own percentage for the procedure and card domains), the achievement
-- flags over the tally items, and the make-up of its inputs (official, sample, missing).
-- The pseudo-domain total_23_items pools the three flag domains (cfg_domains.in_total_tally)
-- for the report's 23-item tally. Coverage rule (int_domain_coverage_checked): the domain rate
-- and the tally flags are null unless every item of the domain has answers that year.
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

pooled_facts as (
    select facts.*
    from facts
    inner join domains
        on facts.domain = domains.domain
    where domains.is_report_domain
    union all by name
    select
        facts.* exclude (domain),
        'total_23_items' as domain
    from facts
    inner join domains
        on facts.domain = domains.domain
    where domains.in_total_tally
),

domain_facts as (
    select *
    from pooled_facts
    where in_domain_mean
),

tally_facts as (
    select
        municipality_code,
        fiscal_year,
        domain,
        count(*) as n_tally_items,
        count(*) filter (where is_in_place is not null) as n_tally_answered,
        count(*) filter (where is_in_place) as n_tally_in_place
    from pooled_facts
    where in_tallies
    group by 1, 2, 3
),

scored as (
    select
        municipality_code,
        fiscal_year,
        domain,
        count(*) as n_items,
        count(*) filter (where is_answered) as n_items_answered,
        count(*) filter (where is_in_place) as n_items_in_place,
        case
            when bool_and(value_type = 'flag')
                then {{ rate_pct('is_in_place') }}
            else {{ exact_avg('value_numeric') }}
        end as domain_rate_pct,
        count(*) filter (where is_answered and not is_sample) as n_official_inputs,
        count(*) filter (where is_answered and is_sample) as n_sample_inputs,
        count(*) filter (where not is_answered) as n_missing_inputs,
        count(*) filter (where is_answered and not is_sample and is_proxy_for_report) as n_proxy_inputs
    from domain_facts
    group by 1, 2, 3
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
        tally_facts.n_tally_items,
        case
            when coverage.is_complete and tally_facts.n_tally_answered = tally_facts.n_tally_items
                then tally_facts.n_tally_in_place = tally_facts.n_tally_items
        end as has_all_items,
        case
            when coverage.is_complete and tally_facts.n_tally_answered = tally_facts.n_tally_items
                then tally_facts.n_tally_in_place = 0
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
    left join tally_facts
        on
            scored.municipality_code = tally_facts.municipality_code
            and scored.fiscal_year = tally_facts.fiscal_year
            and scored.domain = tally_facts.domain
    left join coverage
        on
            scored.fiscal_year = coverage.fiscal_year
            and scored.domain = coverage.domain
)

select * from final
