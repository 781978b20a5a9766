-- The municipality page's items table (pages/municipalities/[municipality_code].md), one row per
-- body, item and year: only the columns the page shows, labels made here once (not per page), and
-- row_order, the page's order within a body (domain, item, year).
select
    municipality_code,
    row_number() over (
        partition by municipality_code
        order by domain_sort_order, item_sort_order, fiscal_year
    ) as row_order,
    domain_name_ja,
    item_name_ja,
    cast(fiscal_year as varchar) || '年度' as fiscal_year_label,
    value_label_ja,
    source_label_ja,
    size_class_rate_pct as size_class_rate,
    prefecture_rate_pct as prefecture_rate
from rpt_municipality_items
order by municipality_code, row_order
