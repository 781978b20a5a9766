-- 図5・図9・図13・図15 in full: every prefecture's rate for every item (and domain mean) and
-- year, with its rank (1 = highest; ties by prefecture code). The figure shows the top and the
-- bottom (rpt_fig05_09_13_15_prefecture_item_ranges); the site shows all 47 beside them.
with

rates as (
    select * from {{ ref('int_rates_by_group_named') }}
    where group_type = 'prefecture'
),

final as (
    select
        rates.fiscal_year,
        rates.domain,
        rates.domain_name_ja,
        rates.domain_sort_order,
        rates.figure_prefecture_range as figure,
        rates.row_kind,
        rates.item_code,
        rates.item_name_ja,
        rates.item_sort_order,
        rates.group_code as prefecture_code,
        rates.group_name_ja as prefecture_name,
        rates.n_bodies,
        rates.n_answered,
        rates.rate_pct,
        row_number() over (
            partition by rates.fiscal_year, rates.item_code, rates.domain
            order by rates.rate_pct desc nulls last, rates.group_code asc
        ) as rank_in_item,
        {{ input_basis('rates') }}
            as input_basis,
        {{ sample_share_pct('rates') }}
            as sample_share_pct
    from rates
)

select * from final
