select
    cast(fiscal_year as varchar) as fiscal_year,
    level,
    case level when 'municipality' then '市区町村' when 'prefecture' then '都道府県' end as level_ja,
    n_pairs,
    pearson_r,
    overall_basis,
    card_basis
from rpt_fig19_mynumber_card_correlations
order by fiscal_year, level desc
