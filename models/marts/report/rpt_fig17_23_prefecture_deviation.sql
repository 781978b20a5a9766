-- 図17・図23: 都道府県別の分野別偏差値と総合偏差値（マイナンバーカードを除く）。
-- The scores, ranks, inputs and coverage per prefecture, domain and year, as
-- int_prefecture_deviation_scores computes them (the figure-23 method).
with

scores as (
    select * from {{ ref('int_prefecture_deviation_scores') }}
),

final as (
    select
        fiscal_year,
        prefecture_code,
        prefecture_name,
        region_name_ja,
        region_sort_order,
        domain,
        domain_name_ja,
        domain_sort_order,
        rate_pct,
        deviation_score,
        rank_in_year,
        input_basis,
        sample_share_pct,
        n_items_in_domain,
        n_items_present,
        n_bodies_with_rate,
        coverage_reason,
        coverage_reason_ja,
        input_basis_ja
    from scores
)

select * from final
