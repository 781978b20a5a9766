-- One card rate per prefecture across the marts: the report's figure 23 definition (cards /
-- population per prefecture, population weighted; int_mynumber_card_rates_by_prefecture). The
-- figure 23 mart, the per-group rates (card item and card domain mean) and the top and bottom
-- prefecture of the prefecture-range mart all carry that same rate. Returns every disagreement.
with

reference_rates as (
    select * from {{ ref('int_mynumber_card_rates_by_prefecture') }}
),

group_rates as (
    select * from {{ ref('int_rates_by_group_labelled') }}
),

deviation as (
    select * from {{ ref('rpt_fig17_23_prefecture_deviation') }}
),

ranges as (
    select * from {{ ref('rpt_fig05_09_13_15_prefecture_item_ranges') }}
),

mart_rates as (
    select
        'int_rates_by_group_labelled:' || item_code as where_found,
        fiscal_year,
        group_code as prefecture_code,
        rate_pct
    from group_rates
    where domain = 'mynumber_card' and group_type = 'prefecture'

    union all

    select
        'rpt_fig17_23_prefecture_deviation' as where_found,
        fiscal_year,
        prefecture_code,
        rate_pct
    from deviation
    where domain = 'mynumber_card'

    union all

    select
        'rpt_fig05_09_13_15_prefecture_item_ranges top:' || item_code as where_found,
        fiscal_year,
        top_prefecture_code as prefecture_code,
        top_rate_pct as rate_pct
    from ranges
    where domain = 'mynumber_card'

    union all

    select
        'rpt_fig05_09_13_15_prefecture_item_ranges bottom:' || item_code as where_found,
        fiscal_year,
        bottom_prefecture_code as prefecture_code,
        bottom_rate_pct as rate_pct
    from ranges
    where domain = 'mynumber_card'
)

select
    mart_rates.where_found,
    mart_rates.fiscal_year,
    mart_rates.prefecture_code,
    mart_rates.rate_pct,
    reference_rates.card_rate_pct as weighted_rate_pct
from mart_rates
left join reference_rates
    on
        mart_rates.fiscal_year = reference_rates.fiscal_year
        and mart_rates.prefecture_code = reference_rates.prefecture_code
where
    reference_rates.card_rate_pct is null
    or mart_rates.rate_pct is null
    or abs(mart_rates.rate_pct - reference_rates.card_rate_pct) > 1e-9
