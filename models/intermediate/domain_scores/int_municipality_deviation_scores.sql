-- 市区町村別の分野別偏差値と総合偏差値: the figure-23 method applied across the 1,741 bodies
-- (rpt_municipality_deviation, and 図19's municipal correlation).
-- Deviation score per domain and year over every municipality with a rate; overall = plain
-- mean of the five scored domains' scores (null when any of the five is missing). Coverage:
-- int_score_coverage_checked.
with

scores as (
    select * from {{ ref('int_municipality_domain_scores') }}
),

domains as (
    select * from {{ ref('cfg_domains') }}
),

municipalities as (
    select * from {{ ref('dim_municipalities') }}
),

score_coverage as (
    select * from {{ ref('int_score_coverage_checked') }}
),

report_scores as (
    select
        scores.fiscal_year,
        scores.municipality_code,
        scores.domain,
        scores.domain_rate_pct,
        scores.n_official_inputs,
        scores.n_sample_inputs,
        scores.n_missing_inputs,
        scores.n_proxy_inputs
    from scores
    inner join domains
        on scores.domain = domains.domain
    where domains.is_report_domain
),

score_means as (
    -- the score's partition is the year and domain: its mean and its bodies with a rate
    select
        fiscal_year,
        domain,
        {{ exact_avg('domain_rate_pct') }} as mean_domain_rate_pct,
        count(domain_rate_pct) as n_bodies_with_rate
    from report_scores
    group by 1, 2
),

score_spreads as (
    -- population sd per partition, once per partition (not a window over every body)
    select
        report_scores.fiscal_year,
        report_scores.domain,
        score_means.mean_domain_rate_pct,
        {{ exact_stddev_pop('report_scores.domain_rate_pct', 'score_means.mean_domain_rate_pct') }}
            as sd_domain_rate_pct
    from report_scores
    inner join score_means
        on
            report_scores.fiscal_year = score_means.fiscal_year
            and report_scores.domain = score_means.domain
    group by 1, 2, 3
),

domain_scores as (
    select
        report_scores.fiscal_year,
        report_scores.municipality_code,
        report_scores.domain,
        report_scores.domain_rate_pct as rate_pct,
        {{ deviation_score_from_sd(
            'report_scores.domain_rate_pct', 'score_spreads.mean_domain_rate_pct', 'score_spreads.sd_domain_rate_pct'
        ) }} as deviation_score,
        report_scores.n_official_inputs,
        report_scores.n_sample_inputs,
        report_scores.n_missing_inputs,
        report_scores.n_proxy_inputs
    from report_scores
    inner join score_spreads
        on
            report_scores.fiscal_year = score_spreads.fiscal_year
            and report_scores.domain = score_spreads.domain
),

overall_scores as (
    select
        domain_scores.fiscal_year,
        domain_scores.municipality_code,
        'overall_excl_mynumber' as domain,
        cast(null as double) as rate_pct,
        {{ overall_deviation_score('domain_scores') }} as deviation_score,
        {{ input_count_sums('domain_scores') }}
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

scored as (
    select
        all_scores.*,
        {{ input_basis('all_scores') }} as input_basis,
        {{ sample_share_pct('all_scores') }} as sample_share_pct
    from all_scores
),

final as (
    select
        scored.fiscal_year,
        scored.municipality_code,
        municipalities.municipality_name,
        municipalities.municipality_label,
        municipalities.prefecture_code,
        municipalities.prefecture_name,
        municipalities.size_class,
        municipalities.size_class_ja,
        scored.domain,
        coalesce(domains.domain_name_ja, '総合偏差値（マイナンバーカードを除く）') as domain_name_ja,
        scored.rate_pct,
        scored.deviation_score,
        scored.input_basis,
        scored.sample_share_pct,
        score_coverage.n_items_in_domain,
        score_coverage.n_items_present,
        score_means.n_bodies_with_rate,
        score_coverage.coverage_reason,
        score_coverage.coverage_reason_ja,
        {{ code_label_ja('input_basis', 'scored.input_basis') }} as input_basis_ja
    from scored
    inner join municipalities
        on scored.municipality_code = municipalities.municipality_code
    left join domains
        on scored.domain = domains.domain
    left join score_coverage
        on
            scored.fiscal_year = score_coverage.fiscal_year
            and scored.domain = score_coverage.domain
    left join score_means
        on
            scored.fiscal_year = score_means.fiscal_year
            and scored.domain = score_means.domain
)

select * from final
