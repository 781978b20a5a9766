-- 報告書の主な結果（サイトのトップページ用）: a few of the report's headline findings as this
-- warehouse computes them, one row each, with what they rest on (input_basis) and the page that
-- shows the whole figure. Values come from the figure marts unchanged. Each finding is shown for
-- the latest year in which it has a value (a new edition that covers part of a domain leaves
-- that year's tallies and scores null under the coverage rule: the finding keeps its last year).
with

item_rates as (
    select * from {{ ref('rpt_fig02_06_10_item_rates_national') }}
),

tallies as (
    select * from {{ ref('rpt_fig04_08_12_achievement_tallies') }}
),

prefecture_deviation as (
    select * from {{ ref('rpt_fig17_23_prefecture_deviation') }}
),

card_correlations as (
    select * from {{ ref('rpt_fig19_mynumber_card_correlations') }}
),

cio_rate as (
    select
        1 as finding_order,
        item_rates.fiscal_year,
        item_rates.item_name_ja || 'の実施率（全国）' as finding_ja,
        cast(null as varchar) as subject_ja,
        item_rates.rate_pct as finding_value,
        '%' as unit_ja,
        1 as decimals,
        item_rates.input_basis,
        item_rates.input_basis_ja,
        '/figures/rates' as page_href
    from item_rates
    where item_rates.item_code = 'cio_appointed' and item_rates.rate_pct is not null
    qualify item_rates.fiscal_year = max(item_rates.fiscal_year) over ()
),

all_items as (
    select
        2 as finding_order,
        tallies.fiscal_year,
        '3分野23項目の全てを実施している団体数' as finding_ja,
        cast(null as varchar) as subject_ja,
        cast(tallies.all_items_achieved as double) as finding_value,
        '団体' as unit_ja,
        0 as decimals,
        tallies.input_basis,
        tallies.input_basis_ja,
        '/figures/tallies' as page_href
    from tallies
    where
        tallies.domain = 'total_23_items'
        and tallies.size_class = 'all'
        and tallies.all_items_achieved is not null
    qualify tallies.fiscal_year = max(tallies.fiscal_year) over ()
),

top_prefecture as (
    select
        3 as finding_order,
        prefecture_deviation.fiscal_year,
        '総合偏差値が最も高い都道府県' as finding_ja,
        prefecture_deviation.prefecture_name as subject_ja,
        prefecture_deviation.deviation_score as finding_value,
        '' as unit_ja,
        1 as decimals,
        prefecture_deviation.input_basis,
        prefecture_deviation.input_basis_ja,
        '/figures/deviation' as page_href
    from prefecture_deviation
    where
        prefecture_deviation.domain = 'overall_excl_mynumber'
        and prefecture_deviation.rank_in_year = 1
        and prefecture_deviation.deviation_score is not null
    qualify prefecture_deviation.fiscal_year = max(prefecture_deviation.fiscal_year) over ()
),

card_correlation as (
    select
        4 as finding_order,
        card_correlations.fiscal_year,
        'マイナンバーカード交付率と総合偏差値の相関係数（都道府県）' as finding_ja,
        cast(null as varchar) as subject_ja,
        card_correlations.pearson_r as finding_value,
        '' as unit_ja,
        2 as decimals,
        card_correlations.overall_basis as input_basis,
        card_correlations.overall_basis_ja || '／カード：' || card_correlations.card_basis_ja as input_basis_ja,
        '/figures/mynumber' as page_href
    from card_correlations
    where card_correlations.level = 'prefecture' and card_correlations.pearson_r is not null
    qualify card_correlations.fiscal_year = max(card_correlations.fiscal_year) over ()
),

final as (
    select * from cio_rate
    union all
    select * from all_items
    union all
    select * from top_prefecture
    union all
    select * from card_correlation
)

select * from final
order by finding_order
