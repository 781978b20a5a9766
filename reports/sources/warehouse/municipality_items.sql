select
    municipality_code,
    cast(fiscal_year as varchar) as fiscal_year,
    domain,
    domain_name_ja,
    domain_sort_order,
    item_code,
    item_name_ja,
    item_sort_order,
    value_type,
    value_label_ja,
    source_label_ja,
    is_sample,
    is_substituted,
    substitution_reason_ja,
    size_class_rate_pct as size_class_rate,
    prefecture_rate_pct as prefecture_rate
from rpt_municipality_items
order by municipality_code, domain_sort_order, item_sort_order, fiscal_year
