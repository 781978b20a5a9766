-- One row per (value type, raw value) pair the placed answers hold: the mark read through
-- cfg_answer_vocabulary (an exact match first, then a blank, then a pattern), its normalised
-- status and, for a value, the number in it. Marks are matched once per pair, never per row; a
-- pair with no match has no row here, and its answers are an 'unknown answer mark'
-- (int_survey_answer_issues__rows). Ephemeral: it runs inside the query that stores the answers.
{{ config(materialized='ephemeral') }}

with

answers as (
    select * from {{ ref('int_survey_answers_unioned') }}
),

placed_questions as (
    select * from {{ ref('int_survey_answer_questions_placed') }}
),

vocabulary as (
    select * from {{ ref('cfg_answer_vocabulary') }}
),

value_pairs as (
    select distinct
        placed_questions.value_type,
        answers.raw_value
    from answers
    inner join placed_questions
        on
            answers.edition_id is not distinct from placed_questions.edition_id
            and answers.question_id is not distinct from placed_questions.question_id
    where placed_questions.value_type is not null
),

pair_matches as (
    select
        value_pairs.value_type,
        value_pairs.raw_value,
        vocabulary.status,
        row_number() over (
            partition by value_pairs.value_type, value_pairs.raw_value
            order by case vocabulary.match_kind when 'exact' then 1 when 'blank' then 2 else 3 end
        ) as match_rank
    from value_pairs
    inner join vocabulary
        on
            value_pairs.value_type = vocabulary.value_type
            and (
                (vocabulary.match_kind = 'exact' and value_pairs.raw_value = vocabulary.raw_value)
                or (vocabulary.match_kind = 'blank' and nullif(trim(value_pairs.raw_value), '') is null)
                or (vocabulary.match_kind = 'regex' and regexp_full_match(value_pairs.raw_value, vocabulary.raw_value))
            )
),

final as (
    select
        value_type,
        raw_value,
        status as answer_status,
        case
            when status = 'value'
                then cast(regexp_extract(raw_value, '[0-9]+(\.[0-9]+)?', 0) as double)
        end as value_numeric
    from pair_matches
    where match_rank = 1
)

select * from final
