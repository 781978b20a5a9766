-- Figure 23's 2021 My Number card column is reproduced within 1.0 deviation point for every
-- prefecture (official inputs: MIC card table at 2022-04-01, issued / population per prefecture).
with

ours as (
    select * from {{ ref('int_mynumber_card_rates_by_prefecture') }}
    where fiscal_year = 2021
),

published as (
    select * from {{ ref('jri_prefecture_deviation') }}
    where domain = 'mynumber_card' and fiscal_year = 2021
)

select
    published.pref_code,
    published.prefecture,
    published.deviation_score as published_score,
    ours.deviation_score as our_score
from published
left join ours
    on published.pref_code = ours.prefecture_code
where ours.deviation_score is null or abs(ours.deviation_score - published.deviation_score) > 1.0
