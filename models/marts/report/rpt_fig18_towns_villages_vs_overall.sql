-- 図18: 町村の割合と総合偏差値（都道府県別の散布図）。
-- Published with a contract for the site and BI tools;
-- computed in int_prefecture_town_shares_correlated (see its header).
with

prefecture_town_shares_correlated as (
    select * from {{ ref('int_prefecture_town_shares_correlated') }}
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
        pearson_r_in_year,
        input_basis,
        sample_share_pct,
        input_basis_ja,
        coverage_reason,
        coverage_reason_ja
    from prefecture_town_shares_correlated
)

select * from final
