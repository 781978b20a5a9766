-- 図19: マイナンバーカードの交付率・保有率と総合偏差値の相関（市区町村・都道府県）。
-- Published with a contract for the site and BI tools;
-- computed in int_mynumber_card_scores_correlated (see its header).
with

mynumber_card_scores_correlated as (
    select * from {{ ref('int_mynumber_card_scores_correlated') }}
),

final as (
    select
        fiscal_year,
        level,
        n_pairs,
        pearson_r,
        overall_basis,
        card_basis,
        level_ja,
        overall_basis_ja,
        card_basis_ja
    from mynumber_card_scores_correlated
)

select * from final
