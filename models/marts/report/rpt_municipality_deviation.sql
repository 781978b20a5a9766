-- 市区町村別の分野別偏差値と総合偏差値: the figure-23 method applied across the 1,741 bodies.
-- Deviation score per domain and year over every municipality with a rate; overall = plain
-- mean of the five scored domains' scores (null when any of the five is missing).
with

scores as (
    select
        *,
        -- whole domains are filtered below, so this partition is the score's partition
        {{ exact_avg_over('domain_rate_pct', 'fiscal_year, domain') }} as mean_domain_rate_pct
    from {{ ref('int_municipality_domain_scores') }}
),

domains as (
    select * from {{ ref('cfg_domains') }}
),

municipalities as (
    select * from {{ ref('dim_municipalities') }}
),

coverage as (
    select * from {{ ref('int_domain_coverage_checked') }}
),

domain_scores as (
    select
        scores.fiscal_year,
        scores.municipality_code,
        scores.domain,
        scores.domain_rate_pct as rate_pct,
        {{ deviation_score(
            'scores.domain_rate_pct', 'scores.fiscal_year, scores.domain', 'scores.mean_domain_rate_pct'
        ) }} as deviation_score,
        scores.n_official_inputs,
        scores.n_sample_inputs,
        scores.n_missing_inputs,
        scores.n_proxy_inputs
    from scores
    inner join domains
        on scores.domain = domains.domain
    where domains.is_report_domain
),

overall_scores as (
    select
        domain_scores.fiscal_year,
        domain_scores.municipality_code,
        'overall_excl_mynumber' as domain,
        cast(null as double) as rate_pct,
        {{ overall_deviation_score('domain_scores') }} as deviation_score,
        sum(domain_scores.n_official_inputs) as n_official_inputs,
        sum(domain_scores.n_sample_inputs) as n_sample_inputs,
        sum(domain_scores.n_missing_inputs) as n_missing_inputs,
        sum(domain_scores.n_proxy_inputs) as n_proxy_inputs
    from domain_scores
    inner join domains
        on domain_scores.domain = domains.domain
    where domains.in_overall_score
    group by 1, 2, 3
),

all_scores as (
    select * from domain_scores
    union all
    select * from overall_scores
),

score_coverage as (
    -- coverage rule: a domain score rests on every item of its domain; the overall score on
    -- every item of the scored domains
    select
        fiscal_year,
        domain,
        n_items_in_domain,
        n_items_present,
        coverage_reason,
        coverage_reason_ja
    from coverage
    union all
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

scored_bodies as (
    select
        fiscal_year,
        domain,
        count(rate_pct) as n_bodies_with_rate
    from domain_scores
    group by 1, 2
),

final as (
    select
        all_scores.fiscal_year,
        all_scores.municipality_code,
        municipalities.municipality_name,
        municipalities.municipality_label,
        municipalities.prefecture_code,
        municipalities.prefecture_name,
        municipalities.size_class,
        municipalities.size_class_ja,
        all_scores.domain,
        coalesce(domains.domain_name_ja, '総合偏差値（マイナンバーカードを除く）') as domain_name_ja,
        all_scores.rate_pct,
        all_scores.deviation_score,
        {{ input_basis('all_scores') }}
            as input_basis,
        {{ sample_share_pct('all_scores') }}
            as sample_share_pct,
        score_coverage.n_items_in_domain,
        score_coverage.n_items_present,
        scored_bodies.n_bodies_with_rate,
        score_coverage.coverage_reason,
        score_coverage.coverage_reason_ja,
        {{ code_label_ja('input_basis', input_basis('all_scores')) }} as input_basis_ja
    from all_scores
    inner join municipalities
        on all_scores.municipality_code = municipalities.municipality_code
    left join domains
        on all_scores.domain = domains.domain
    left join score_coverage
        on
            all_scores.fiscal_year = score_coverage.fiscal_year
            and all_scores.domain = score_coverage.domain
    left join scored_bodies
        on
            all_scores.fiscal_year = scored_bodies.fiscal_year
            and all_scores.domain = scored_bodies.domain
)

select * from final
