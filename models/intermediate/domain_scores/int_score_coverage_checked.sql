-- Coverage rule for deviation scores, at every level (prefecture and municipality): a domain
-- score rests on every item of its domain (int_domain_coverage_checked); the overall score
-- (overall_excl_mynumber) on every item of the scored domains (cfg_domains.in_overall_score).
with

coverage as (
    select * from {{ ref('int_domain_coverage_checked') }}
),

domains as (
    select * from {{ ref('cfg_domains') }}
),

domain_coverage as (
    select
        fiscal_year,
        domain,
        n_items_in_domain,
        n_items_present,
        coverage_reason,
        coverage_reason_ja
    from coverage
),

overall_coverage as (
    select
        coverage.fiscal_year,
        'overall_excl_mynumber' as domain,
        cast(sum(coverage.n_items_in_domain) as bigint) as n_items_in_domain,
        cast(sum(coverage.n_items_present) as bigint) as n_items_present,
        case
            when not bool_and(coverage.is_complete)
                then
                    'overall score needs every scored domain complete; partial: '
                    || string_agg(
                        coverage.domain || ' ' || coverage.n_items_present || '/' || coverage.n_items_in_domain,
                        ', ' order by coverage.domain
                    ) filter (where not coverage.is_complete)
        end as coverage_reason,
        case
            when not bool_and(coverage.is_complete)
                then coverage.fiscal_year || '年度は項目が揃わない分野があるため、総合偏差値は算出しない'
        end as coverage_reason_ja
    from coverage
    inner join domains
        on coverage.domain = domains.domain
    where domains.in_overall_score
    group by 1, 2
),

final as (
    select * from domain_coverage
    union all
    select * from overall_coverage
)

select * from final
