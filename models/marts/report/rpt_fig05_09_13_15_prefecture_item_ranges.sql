-- 図5・図9・図13・図15: 項目別の実施率が最も高い・低い都道府県とその差。
-- Per item (and domain mean) and year: the top and the bottom prefecture by rate and the gap.
-- Ties are broken by prefecture code.
with

rates as (
    select * from {{ ref('int_rates_by_group_named') }}
    where group_type = 'prefecture' and rate_pct is not null
),

ranked as (
    -- ranks over the keys and the rate only; the two rows kept take their names below
    select
        rates.fiscal_year,
        rates.item_code,
        rates.domain,
        rates.group_code,
        row_number() over (
            partition by rates.fiscal_year, rates.item_code, rates.domain
            order by rates.rate_pct desc, rates.group_code asc
        ) as rank_from_top,
        row_number() over (
            partition by rates.fiscal_year, rates.item_code, rates.domain
            order by rates.rate_pct asc, rates.group_code asc
        ) as rank_from_bottom,
        count(*) over (partition by rates.fiscal_year, rates.item_code, rates.domain) as n_prefectures
    from rates
),

item_inputs as (
    select
        fiscal_year,
        domain,
        item_code,
        {{ input_count_sums() }}
    from rates
    group by 1, 2, 3
),

item_basis as (
    select
        item_inputs.fiscal_year,
        item_inputs.domain,
        item_inputs.item_code,
        {{ input_basis('item_inputs') }} as input_basis,
        {{ sample_share_pct('item_inputs') }} as sample_share_pct
    from item_inputs
),

top_rows as (
    select
        rates.*,
        ranked.n_prefectures
    from ranked
    inner join rates
        on
            ranked.fiscal_year = rates.fiscal_year
            and ranked.item_code = rates.item_code
            and ranked.domain = rates.domain
            and ranked.group_code = rates.group_code
    where ranked.rank_from_top = 1
),

bottom_rows as (
    select
        ranked.fiscal_year,
        ranked.item_code,
        ranked.domain,
        ranked.group_code,
        rates.rate_pct,
        rates.group_name_ja
    from ranked
    inner join rates
        on
            ranked.fiscal_year = rates.fiscal_year
            and ranked.item_code = rates.item_code
            and ranked.domain = rates.domain
            and ranked.group_code = rates.group_code
    where ranked.rank_from_bottom = 1
),

final as (
    select
        top_rows.fiscal_year,
        top_rows.domain,
        top_rows.domain_name_ja,
        top_rows.domain_sort_order,
        top_rows.figure_prefecture_range as figure,
        top_rows.row_kind,
        top_rows.item_code,
        top_rows.item_name_ja,
        top_rows.item_sort_order,
        top_rows.n_prefectures,
        top_rows.group_code as top_prefecture_code,
        top_rows.group_name_ja as top_prefecture_name,
        top_rows.rate_pct as top_rate_pct,
        bottom_rows.group_code as bottom_prefecture_code,
        bottom_rows.group_name_ja as bottom_prefecture_name,
        bottom_rows.rate_pct as bottom_rate_pct,
        top_rows.rate_pct - bottom_rows.rate_pct as gap_pt,
        item_basis.input_basis,
        item_basis.sample_share_pct,
        {{ code_label_ja('row_kind', 'top_rows.row_kind') }} as row_kind_ja,
        {{ code_label_ja('input_basis', 'item_basis.input_basis') }} as input_basis_ja
    from top_rows
    inner join bottom_rows
        on
            top_rows.fiscal_year = bottom_rows.fiscal_year
            and top_rows.item_code = bottom_rows.item_code
            and top_rows.domain = bottom_rows.domain
    inner join item_basis
        on
            top_rows.fiscal_year = item_basis.fiscal_year
            and top_rows.item_code = item_basis.item_code
            and top_rows.domain = item_basis.domain
)

select * from final
