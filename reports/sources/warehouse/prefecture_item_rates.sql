select
    figure,
    cast(fiscal_year as varchar) as fiscal_year,
    domain,
    domain_name_ja,
    domain_sort_order,
    row_kind,
    item_code,
    item_name_ja,
    item_sort_order,
    prefecture_code,
    prefecture_name,
    rate_pct as rate,
    rank_in_item,
    input_basis,
    sample_share_pct as sample_share
from rpt_fig05_09_13_15_prefecture_item_rates
order by domain_sort_order, item_sort_order, fiscal_year, prefecture_code
