-- 図3・図7・図11・図14: 項目別・分野平均の実施率（人口規模別）。
-- Item rates and domain means per size class (政令指定都市 … 村), 2021 and 2023.
with

rates as (
    select * from {{ ref('int_rates_by_group_named') }}
    where group_type = 'size_class'
),

final as (
    select
        rates.fiscal_year,
        rates.domain,
        rates.domain_name_ja,
        rates.domain_sort_order,
        rates.figure_by_class as figure,
        rates.group_code as size_class,
        rates.group_name_ja as size_class_ja,
        rates.group_sort_order as size_class_sort_order,
        rates.row_kind,
        rates.item_code,
        rates.item_name_ja,
        rates.item_sort_order,
        rates.n_bodies,
        rates.n_answered,
        rates.rate_pct,
        rates.comparability_break,
        rates.input_basis,
        rates.sample_share_pct,
        rates.n_items_in_domain,
        rates.n_items_present,
        rates.n_bodies_covered,
        rates.coverage_reason,
        rates.coverage_reason_ja,
        {{ code_label_ja('row_kind', 'rates.row_kind') }} as row_kind_ja,
        {{ code_label_ja('input_basis', 'rates.input_basis') }} as input_basis_ja
    from rates
)

select * from final
