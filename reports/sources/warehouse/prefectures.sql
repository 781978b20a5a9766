select
    prefecture_code,
    prefecture_name,
    region_name_ja,
    region_sort_order,
    n_municipalities,
    n_towns_and_villages,
    towns_and_villages_share_pct as towns_and_villages_share,
    population
from dim_prefectures
order by prefecture_code
