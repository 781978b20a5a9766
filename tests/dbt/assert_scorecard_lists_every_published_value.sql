-- The scorecard has one row for every published value: item rates, two tallies per published
-- tally row, figure 23 and the class counts.
with

expected as (
    select
        (select count(*) from {{ ref('jri_item_rates') }})
        + 2 * (select count(*) from {{ ref('jri_achievement') }})
        + (select count(*) from {{ ref('jri_prefecture_deviation') }})
        + (select count(*) from {{ ref('jri_class_counts') }}) as n_expected
),

actual as (
    select count(*) as n_actual from {{ ref('rpt_reproduction_scorecard') }}
)

select
    expected.n_expected,
    actual.n_actual
from expected
cross join actual
where expected.n_expected != actual.n_actual
