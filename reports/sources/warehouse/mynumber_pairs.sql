-- 図19's points at both levels: card rate and overall deviation score per prefecture
-- (rpt_fig17_23_prefecture_deviation) and per municipality (rpt_municipality_deviation).
with prefecture_pairs as (
    select
        card.fiscal_year,
        'prefecture' as level,
        card.prefecture_code as code,
        card.prefecture_name as name,
        card.rate_pct as card_rate,
        overall.deviation_score as overall_deviation_score
    from rpt_fig17_23_prefecture_deviation as card
    inner join rpt_fig17_23_prefecture_deviation as overall
        on card.fiscal_year = overall.fiscal_year and card.prefecture_code = overall.prefecture_code
    where card.domain = 'mynumber_card' and overall.domain = 'overall_excl_mynumber'
),
municipality_pairs as (
    select
        card.fiscal_year,
        'municipality' as level,
        card.municipality_code as code,
        card.municipality_label as name,
        card.rate_pct as card_rate,
        overall.deviation_score as overall_deviation_score
    from rpt_municipality_deviation as card
    inner join rpt_municipality_deviation as overall
        on card.fiscal_year = overall.fiscal_year and card.municipality_code = overall.municipality_code
    where card.domain = 'mynumber_card' and overall.domain = 'overall_excl_mynumber'
)
select cast(fiscal_year as varchar) as fiscal_year, level, code, name, card_rate, overall_deviation_score
from (select * from prefecture_pairs union all select * from municipality_pairs)
order by fiscal_year, level, code
