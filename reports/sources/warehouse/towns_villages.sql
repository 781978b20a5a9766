select
    cast(fiscal_year as varchar) as fiscal_year,
    prefecture_code,
    prefecture_name,
    region_name_ja,
    n_municipalities,
    n_towns_and_villages,
    towns_and_villages_share_pct as towns_and_villages_share,
    overall_deviation_score,
    pearson_r_in_year,
    input_basis,
    sample_share_pct as sample_share
from rpt_fig18_towns_villages_vs_overall
order by fiscal_year, prefecture_code
