-- 図17・23 with the report's deviation score (rpt_reproduction_scorecard) beside ours.
with published as (
    select domain, prefecture_code, fiscal_year, min(published_value) as published_score
    from rpt_reproduction_scorecard
    where measure in ('deviation_score', 'mynumber_card_deviation_score')
    group by 1, 2, 3
)
select
    cast(dev.fiscal_year as varchar) as fiscal_year,
    dev.prefecture_code,
    dev.prefecture_name,
    dev.region_name_ja,
    dev.region_sort_order,
    dev.domain,
    coalesce(dev.domain_name_ja, '総合（カードを除く5分野の平均）') as domain_name_ja,
    coalesce(dev.domain_sort_order, 0) as domain_sort_order,
    dev.rate_pct as rate,
    dev.deviation_score,
    published.published_score,
    dev.rank_in_year,
    dev.input_basis,
    dev.sample_share_pct as sample_share
from rpt_fig17_23_prefecture_deviation as dev
left join published
    on dev.domain = published.domain
    and dev.prefecture_code = published.prefecture_code
    and dev.fiscal_year = published.fiscal_year
order by dev.fiscal_year, dev.region_sort_order, dev.prefecture_code, domain_sort_order
