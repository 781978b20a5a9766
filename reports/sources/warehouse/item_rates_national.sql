-- 図2・6・10 with the report's value (rpt_reproduction_scorecard, item_rate_pct, national) beside ours.
with published as (
    select domain, item_code, fiscal_year, min(published_value) as published_value, min(published_where) as published_where
    from rpt_reproduction_scorecard
    where measure in ('item_rate_pct', 'domain_rate_pct') and size_class = 'all'
    group by 1, 2, 3
)
select
    rates.figure,
    cast(rates.fiscal_year as varchar) as fiscal_year,
    rates.domain,
    rates.domain_name_ja,
    rates.domain_sort_order,
    rates.row_kind,
    rates.item_code,
    rates.item_name_ja,
    rates.item_sort_order,
    rates.n_bodies,
    rates.rate_pct as rate,
    published.published_value as published_rate,
    published.published_where,
    rates.input_basis,
    rates.sample_share_pct as sample_share
from rpt_fig02_06_10_item_rates_national as rates
left join published
    on rates.domain = published.domain
    and rates.item_code = published.item_code
    and rates.fiscal_year = published.fiscal_year
order by rates.domain_sort_order, rates.item_sort_order, rates.fiscal_year
