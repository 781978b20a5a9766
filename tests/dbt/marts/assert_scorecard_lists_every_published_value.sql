-- The scorecard has one row for every published value: item rates, two tallies per published
-- tally row, figure 23, the class counts, and every text claim (jri_text_claims) exactly once.
with

expected as (
    select
        (select count(*) from {{ ref('jri_item_rates') }})
        + 2 * (select count(*) from {{ ref('jri_achievement') }})
        + (select count(*) from {{ ref('jri_prefecture_deviation') }})
        + (select count(*) from {{ ref('jri_class_counts') }})
        + (select count(*) from {{ ref('jri_text_claims') }}) as n_expected
),

actual as (
    select count(*) as n_actual from {{ ref('rpt_reproduction_scorecard') }}
),

claims_missing as (
    select count(*) as n_claims_missing
    from {{ ref('jri_text_claims') }} as claims
    where not exists (
        select 1
        from {{ ref('rpt_reproduction_scorecard') }} as scorecard
        where scorecard.claim_id = claims.claim_id
    )
)

select
    expected.n_expected,
    actual.n_actual,
    claims_missing.n_claims_missing
from expected
cross join actual
cross join claims_missing
where expected.n_expected != actual.n_actual or claims_missing.n_claims_missing > 0
