select
    scorecard_key,
    published_where,
    measure,
    comparison,
    domain,
    item_code,
    size_class,
    prefecture_code,
    cast(fiscal_year as varchar) as fiscal_year,
    published_value,
    our_value,
    diff,
    tolerance,
    within_tolerance,
    input_basis,
    sample_share_pct as sample_share
from rpt_reproduction_scorecard
