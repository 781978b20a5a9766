-- 図18: 町村の割合と総合偏差値（都道府県別の散布図）。
-- Per prefecture and year: the share of towns and villages among its municipalities and its
-- overall deviation score, with the year's Pearson correlation over the 47 prefectures.
with

deviation as (
    select * from {{ ref('int_prefecture_deviation_scores') }}
    where domain = 'overall_excl_mynumber'
),

prefectures as (
    select * from {{ ref('dim_prefectures') }}
),

joined as (
    select
        deviation.fiscal_year,
        deviation.prefecture_code,
        deviation.prefecture_name,
        deviation.region_name_ja,
        prefectures.n_municipalities,
        prefectures.n_towns_and_villages,
        prefectures.towns_and_villages_share_pct,
        deviation.deviation_score as overall_deviation_score,
        deviation.input_basis,
        deviation.sample_share_pct,
        deviation.input_basis_ja,
        deviation.coverage_reason,
        deviation.coverage_reason_ja
    from deviation
    inner join prefectures
        on deviation.prefecture_code = prefectures.prefecture_code
),

final as (
    select
        fiscal_year,
        prefecture_code,
        prefecture_name,
        region_name_ja,
        n_municipalities,
        n_towns_and_villages,
        towns_and_villages_share_pct,
        overall_deviation_score,
        {{ exact_corr('overall_deviation_score', 'towns_and_villages_share_pct', 'over (partition by fiscal_year)') }}
            as pearson_r_in_year,
        input_basis,
        sample_share_pct,
        input_basis_ja,
        coverage_reason,
        coverage_reason_ja
    from joined
)

select * from final
