-- 市区町村別の分野別偏差値と総合偏差値: the figure-23 method applied across the 1,741 bodies,
-- as int_municipality_deviation_scores computes them.
with

scores as (
    select * from {{ ref('int_municipality_deviation_scores') }}
),

final as (
    select
        fiscal_year,
        municipality_code,
        municipality_name,
        municipality_label,
        prefecture_code,
        prefecture_name,
        size_class,
        size_class_ja,
        domain,
        domain_name_ja,
        rate_pct,
        deviation_score,
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
