select
    municipality_code,
    cast(fiscal_year as varchar) as fiscal_year,
    domain_name_ja,
    item_code,
    item_name_ja,
    size_class_rate_pct as size_class_rate,
    prefecture_rate_pct as prefecture_rate,
    gap_rank,
    is_sample,
    source_label_ja
from rpt_municipality_peer_gaps
order by municipality_code, fiscal_year desc, gap_rank
