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
        sample_share_pct
    from rates
)

select * from final
