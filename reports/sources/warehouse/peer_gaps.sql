-- The municipality page's peer-gap table, one row per body, year and item: only the columns the
-- page shows, the year label made here once, and row_order, the page's order within a body (year
-- descending, then gap rank).
select
    municipality_code,
    row_number() over (partition by municipality_code order by fiscal_year desc, gap_rank) as row_order,
    cast(fiscal_year as varchar) || '年度' as fiscal_year_label,
    item_name_ja,
    domain_name_ja,
    size_class_rate_pct as size_class_rate,
    prefecture_rate_pct as prefecture_rate,
    source_label_ja
from rpt_municipality_peer_gaps
order by municipality_code, row_order
