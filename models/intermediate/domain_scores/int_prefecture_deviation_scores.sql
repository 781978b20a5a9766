-- 都道府県別の分野別偏差値と総合偏差値（マイナンバーカードを除く）, for 図17・図23
-- (rpt_fig17_23_prefecture_deviation), 図18 and 図19.
-- Prefecture rate per domain and year = mean of its municipalities' domain rates (the card:
-- cards issued / population, int_mynumber_card_rates_by_prefecture). Deviation score =
-- 50 + 10 (x - mean) / population sd over the 47. overall_excl_mynumber = plain mean of the
-- five scored domains' deviation scores, not re-standardised. Coverage: int_score_coverage_checked.
with

domain_rates as (
    select * from {{ ref('int_domain_rates_by_group') }}
),

card_rates as (
    select * from {{ ref('int_mynumber_card_rates_by_prefecture') }}
),

domains as (
    select * from {{ ref('cfg_domains') }}
),

prefectures as (
    select * from {{ ref('dim_prefectures') }}
),

score_coverage as (
    select * from {{ ref('int_score_coverage_checked') }}
),

prefecture_rates as (
    select
        domain_rates.fiscal_year,
        domain_rates.domain,
        domain_rates.group_code as prefecture_code,
        domain_rates.domain_rate_pct as rate_pct
    from domain_rates
    inner join domains
        on domain_rates.domain = domains.domain
    where
        domain_rates.group_type = 'prefecture'
        and domains.in_overall_score
    union all
    select
        fiscal_year,
        'mynumber_card' as domain,
        prefecture_code,
        card_rate_pct as rate_pct
    from card_rates
),

prefecture_rates_centred as (
    select
        *,
        {{ exact_avg_over('rate_pct', 'fiscal_year, domain') }} as mean_rate_pct
    from prefecture_rates
),

domain_scores as (
    select
        fiscal_year,
        domain,
        prefecture_code,
        rate_pct,
        {{ deviation_score('rate_pct', 'fiscal_year, domain', 'mean_rate_pct') }} as deviation_score
    from prefecture_rates_centred
),

overall_scores as (
    select
        domain_scores.fiscal_year,
        'overall_excl_mynumber' as domain,
        domain_scores.prefecture_code,
        cast(null as double) as rate_pct,
        {{ overall_deviation_score('domain_scores') }} as deviation_score
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

domain_inputs as (
    select
        domain_rates.fiscal_year,
        domain_rates.domain,
        domain_rates.n_official_inputs,
        domain_rates.n_sample_inputs,
        domain_rates.n_missing_inputs,
        domain_rates.n_proxy_inputs
    from domain_rates
    inner join domains
        on domain_rates.domain = domains.domain
    where domain_rates.group_type = 'all' and (domains.in_overall_score or domains.domain = 'mynumber_card')
),

year_inputs as (
    select
        domain_inputs.fiscal_year,
        'overall_excl_mynumber' as domain,
        {{ input_count_sums('domain_inputs') }}
    from domain_inputs
    inner join domains
        on domain_inputs.domain = domains.domain
    where domains.in_overall_score
    group by 1, 2
),

inputs as (
    select * from domain_inputs
    union all
    select * from year_inputs
),

prefecture_bodies as (
    select
        domain_rates.fiscal_year,
        domain_rates.domain,
        domain_rates.group_code as prefecture_code,
        domain_rates.n_bodies_with_rate
    from domain_rates
    inner join domains
        on domain_rates.domain = domains.domain
    where domain_rates.group_type = 'prefecture' and domains.in_overall_score
    union all
    select
        fiscal_year,
        'mynumber_card' as domain,
        prefecture_code,
        n_municipalities_with_value as n_bodies_with_rate
    from card_rates
),

final as (
    select
        all_scores.fiscal_year,
        all_scores.prefecture_code,
        prefectures.prefecture_name,
        prefectures.region_name_ja,
        prefectures.region_sort_order,
        all_scores.domain,
        coalesce(domains.domain_name_ja, '総合偏差値（マイナンバーカードを除く）') as domain_name_ja,
        coalesce(domains.sort_order, 99) as domain_sort_order,
        all_scores.rate_pct,
        all_scores.deviation_score,
        rank() over (
            partition by all_scores.fiscal_year, all_scores.domain
            -- scores are exact-sum aggregates (macros/measures.sql), so equal inputs tie exactly;
            -- rounding to 9 places keeps ties tied whatever the last bits
            order by round(all_scores.deviation_score, 9) desc
        ) as rank_in_year,
        {{ input_basis('inputs') }}
            as input_basis,
        {{ sample_share_pct('inputs') }}
            as sample_share_pct,
        score_coverage.n_items_in_domain,
        score_coverage.n_items_present,
        prefecture_bodies.n_bodies_with_rate,
        score_coverage.coverage_reason,
        score_coverage.coverage_reason_ja,
        {{ code_label_ja('input_basis', input_basis('inputs')) }} as input_basis_ja
    from all_scores
    inner join prefectures
        on all_scores.prefecture_code = prefectures.prefecture_code
    left join domains
        on all_scores.domain = domains.domain
    left join inputs
        on
            all_scores.fiscal_year = inputs.fiscal_year
            and all_scores.domain = inputs.domain
    left join score_coverage
        on
            all_scores.fiscal_year = score_coverage.fiscal_year
            and all_scores.domain = score_coverage.domain
    left join prefecture_bodies
        on
            all_scores.fiscal_year = prefecture_bodies.fiscal_year
            and all_scores.domain = prefecture_bodies.domain
            and all_scores.prefecture_code = prefecture_bodies.prefecture_code
)

select * from final
