select
    rates.figure,
    cast(rates.fiscal_year as varchar) as fiscal_year,
    rates.domain,
    rates.domain_name_ja,
    rates.domain_sort_order,
    rates.size_class,
    rates.size_class_ja,
    rates.size_class_sort_order,
    rates.row_kind,
    rates.item_code,
    rates.item_name_ja,
    rates.item_sort_order,
    rates.n_bodies,
    rates.rate_pct as rate,
    rates.input_basis,
    rates.sample_share_pct as sample_share
from rpt_fig03_07_11_14_rates_by_size_class as rates
order by rates.domain_sort_order, rates.item_sort_order, rates.size_class_sort_order, rates.fiscal_year
