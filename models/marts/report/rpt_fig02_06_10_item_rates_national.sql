-- 図2・図6・図10: 各分野の項目別実施率（全国、2021年度と2023年度）。
-- Item rates and domain means over all 1,741 municipalities, the reference item kept apart
-- (row_kind reference_item). input_basis and sample_share_pct say what the numbers rest on.
with

rates as (
    select * from {{ ref('int_rates_by_group_labelled') }}
    where group_type = 'all'
),

final as (
    select
        fiscal_year,
        domain,
        domain_name_ja,
        domain_sort_order,
        figure_national as figure,
        row_kind,
        item_code,
        item_name_ja,
        item_sort_order,
        n_bodies,
        n_answered,
        rate_pct,
        comparability_break,
        input_basis,
        sample_share_pct,
        n_items_in_domain,
        n_items_present,
        n_bodies_covered,
        coverage_reason,
        coverage_reason_ja,
        {{ code_label_ja('row_kind', 'rates.row_kind') }} as row_kind_ja,
        {{ code_label_ja('input_basis', 'rates.input_basis') }} as input_basis_ja
    from rates
)

select * from final
