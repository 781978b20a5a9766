-- Nothing is lost, in one scan of each table: every raw answer id is unique and not null, and the
-- raw answers are exactly the fact rows traced to a raw answer plus the quarantined rows (no id
-- in both, none twice); every quarantined row has a reason, and none is 'not placed in any
-- expected cell' (an answer the grid cannot place is a bug, not a quarantine reason).
with

raw_answers as (
    select
        count(*) as n,
        count(raw_answer_id) as n_with_id,
        count(distinct raw_answer_id) as n_distinct
    from {{ ref('stg_survey__answers') }}
),

placed as (
    select
        raw_answer_id,
        false as has_bad_reason
    from {{ ref('fct_survey_answers') }}
    where raw_answer_id is not null
    union all
    select
        raw_answer_id,
        coalesce(quarantine_reason = 'not placed in any expected cell', true) as has_bad_reason
    from {{ ref('fct_survey_answer_quarantine') }}
),

placed_counts as (
    select
        count(*) as n,
        count(raw_answer_id) as n_with_id,
        count(distinct raw_answer_id) as n_distinct,
        count(*) filter (where has_bad_reason) as n_bad_reasons
    from placed
)

select
    raw_answers.n as raw_answers,
    raw_answers.n_distinct as raw_distinct_ids,
    placed_counts.n as fact_and_quarantine_rows,
    placed_counts.n_distinct as fact_and_quarantine_distinct_ids,
    placed_counts.n_bad_reasons as quarantine_rows_without_a_reason
from raw_answers, placed_counts
where
    raw_answers.n_with_id != raw_answers.n
    or raw_answers.n_distinct != raw_answers.n
    or placed_counts.n != raw_answers.n
    or placed_counts.n_with_id != placed_counts.n
    or placed_counts.n_distinct != placed_counts.n
    or placed_counts.n_bad_reasons > 0
