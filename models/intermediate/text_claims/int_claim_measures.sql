-- 本文中の数値: the measures behind the report's text claims, one row per (measure_id,
-- fiscal_year_label, subject) that cfg_text_claim_measures asks for, taken from the model of the
-- measure's family (cfg_text_claim_measures.measure_family; one int_claim_measures__<family>
-- model each, all in the same long shape). A measure its family does not compute has no value
-- and input_basis incomplete. rpt_text_claim_measures publishes it; the scorecard reads it.
with

wanted as (
    select * from {{ ref('int_claim_measures_wanted') }}
),

definitions as (
    select * from {{ ref('int_claim_measures__definitions') }}
),

rates as (
    select * from {{ ref('int_claim_measures__rates') }}
),

rate_changes as (
    select * from {{ ref('int_claim_measures__rate_changes') }}
),

class_orders as (
    select * from {{ ref('int_claim_measures__class_orders') }}
),

tallies as (
    select * from {{ ref('int_claim_measures__tallies') }}
),

prefecture_extremes as (
    select * from {{ ref('int_claim_measures__prefecture_extremes') }}
),

prefecture_ranks as (
    select * from {{ ref('int_claim_measures__prefecture_ranks') }}
),

joint_counts as (
    select * from {{ ref('int_claim_measures__joint_counts') }}
),

online_pooled as (
    select * from {{ ref('int_claim_measures__online_pooled') }}
),

pooled_tallies as (
    select * from {{ ref('int_claim_measures__pooled_tallies') }}
),

overall_scores as (
    select * from {{ ref('int_claim_measures__overall_scores') }}
),

correlations as (
    select * from {{ ref('int_claim_measures__correlations') }}
),

all_measures as (
    select * from definitions
    union all
    select * from rates
    union all
    select * from rate_changes
    union all
    select * from class_orders
    union all
    select * from tallies
    union all
    select * from prefecture_extremes
    union all
    select * from prefecture_ranks
    union all
    select * from joint_counts
    union all
    select * from online_pooled
    union all
    select * from pooled_tallies
    union all
    select * from overall_scores
    union all
    select * from correlations
),

final as (
    select
        wanted.measure_family,
        wanted.measure_id,
        wanted.fiscal_year_label,
        wanted.subject,
        all_measures.value_num,
        all_measures.value_text,
        all_measures.value_aux,
        coalesce(all_measures.input_basis, 'incomplete') as input_basis
    from wanted
    left join all_measures
        on
            wanted.measure_family = all_measures.measure_family
            and wanted.measure_id = all_measures.measure_id
            and wanted.fiscal_year_label = all_measures.fiscal_year_label
            and wanted.subject = all_measures.subject
)

select * from final
