-- The body's deviation scores with its ranks within its size class and its prefecture (1 = highest
-- deviation score that year and domain), for the index, the map and the prefecture pages: only the
-- columns they read, from rpt_municipality_ranks (the one place the site's ranks are computed; the
-- municipality pages read theirs through rpt_municipality_page).
select
    municipality_code,
    municipality_name,
    prefecture_code,
    prefecture_name,
    size_class_ja,
    size_class_sort_order,
    cast(fiscal_year as varchar) as fiscal_year,
    domain,
    domain_name_ja,
    domain_sort_order,
    deviation_score,
    rank_in_class,
    rank_in_prefecture
from rpt_municipality_ranks
order by municipality_code, fiscal_year desc, domain_sort_order
