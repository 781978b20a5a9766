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

final as (
    select
        all_scores.fiscal_year,
        all_scores.municipality_code,
        municipalities.municipality_name,
        municipalities.municipality_label,
        municipalities.prefecture_code,
        municipalities.size_class,
        all_scores.domain,
        coalesce(domains.domain_name_ja, '総合偏差値（マイナンバーカードを除く）') as domain_name_ja,
        all_scores.rate_pct,
        all_scores.deviation_score,
        {{ input_basis('all_scores') }}
            as input_basis,
        {{ sample_share_pct('all_scores') }}
            as sample_share_pct
    from all_scores
    inner join municipalities
        on all_scores.municipality_code = municipalities.municipality_code
    left join domains
        on all_scores.domain = domains.domain
)

select * from final
