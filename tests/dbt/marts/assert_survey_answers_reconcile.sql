-- Nothing is lost, counted from the cells themselves: the answer rows in the files (every line
-- but the header line: a data line's seed_row is a number, stg_survey__answers checks it) plus
-- the card-issuance answers are exactly the rows of int_survey_answers_validated, and exactly the
-- fact rows traced to a raw answer plus the quarantined rows (every raw answer id unique and not
-- null there, none in both, none twice); every quarantined row has a reason, and none is 'not
-- placed in any expected cell' (an answer the grid cannot place is a bug, not a quarantine reason).
with

file_lines as (
    select count(*) filter (where seed_row is distinct from 'seed_row') as n
    from {{ source('survey_answers', 'answer_files') }}
),

card_answers as (
    select count(*) as n
    from {{ ref('stg_mic__mynumber_card_answers') }}
),

validated as (
    select count(*) as n
    from {{ ref('int_survey_answers_validated') }}
),

raw_answers as (
    select
        file_lines.n + card_answers.n as n,
        validated.n as n_validated
    from file_lines, card_answers, validated
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
    raw_answers.n_validated as validated_answers,
    placed_counts.n as fact_and_quarantine_rows,
    placed_counts.n_distinct as fact_and_quarantine_distinct_ids,
    placed_counts.n_bad_reasons as quarantine_rows_without_a_reason
from raw_answers, placed_counts
where
    raw_answers.n_validated != raw_answers.n
    or placed_counts.n != raw_answers.n
    or placed_counts.n_with_id != placed_counts.n
    or placed_counts.n_distinct != placed_counts.n
    or placed_counts.n_bad_reasons > 0
