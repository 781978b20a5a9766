-- Every raw answer that cannot be placed, located and explained: an unknown edition, an unmapped
-- question, an item not in cfg_items, a mark not in cfg_answer_vocabulary, a percent above 100
-- (each answer with its question, int_survey_answer_questions_placed, and its mark,
-- int_survey_answer_marks_read), a municipality code not in the code list (checked once per
-- distinct code), or two answers for the same edition, question and body (looked for only in
-- questions whose counts show one). One row per
-- problem (issue_kind, message naming the file, its row, the official file's line and column,
-- and the value); int_survey_answers_validated stops the build on any. Ephemeral.
{{ config(materialized='ephemeral') }}

with

answers as not materialized (
    -- read in place by each check below: the rows are held once, by the query that stores them
    select * from {{ ref('int_survey_answers_unioned') }}
),

placed_questions as (
    select * from {{ ref('int_survey_answer_questions_placed') }}
),

marks as (
    select * from {{ ref('int_survey_answer_marks_read') }}
),

municipalities as (
    select * from {{ ref('stg_mic__municipalities') }}
),

value_problems as (
    -- answers that cannot be placed, with the reason: one pass over the rows, joined to the
    -- questions and the marks (both small), never a hash table of the answers
    select
        case
            when not placed_questions.is_known_edition then 'unknown edition'
            when placed_questions.item_code is null then 'unmapped question'
            when placed_questions.value_type is null then 'unknown item'
            when marks.answer_status is null then 'unknown answer mark'
            else 'percent out of range'
        end as issue_kind,
        placed_questions.item_code,
        placed_questions.value_type,
        answers.*
    from answers
    inner join placed_questions
        on
            answers.edition_id is not distinct from placed_questions.edition_id
            and answers.question_id is not distinct from placed_questions.question_id
    left join marks
        on
            placed_questions.value_type = marks.value_type
            and answers.raw_value is not distinct from marks.raw_value
    where
        not placed_questions.is_known_edition
        or placed_questions.item_code is null
        or placed_questions.value_type is null
        or marks.answer_status is null
        or (placed_questions.value_type = 'percent' and marks.value_numeric > 100)
),

answer_codes as (
    select distinct municipality_code
    from answers
),

unknown_codes as (
    select answer_codes.municipality_code
    from answer_codes
    anti join municipalities
        on answer_codes.municipality_code = municipalities.municipality_code
),

duplicate_cells as (
    -- looked for only in the questions whose count shows a duplicate
    select
        answers.edition_id,
        answers.question_id,
        answers.municipality_code,
        count(*) as n_answers_same_cell
    from answers
    semi join placed_questions
        on
            answers.edition_id is not distinct from placed_questions.edition_id
            and answers.question_id is not distinct from placed_questions.question_id
            and placed_questions.n_answers > placed_questions.n_bodies
    group by answers.edition_id, answers.question_id, answers.municipality_code
    having count(*) > 1
),

flagged as (
    -- the few rows with a problem, with their location and reason
    select
        issue_kind,
        item_code,
        value_type,
        null as n_answers_same_cell,
        * exclude (issue_kind, item_code, value_type)
    from value_problems
    union all
    select
        'unknown municipality code' as issue_kind,
        null as item_code,
        null as value_type,
        null as n_answers_same_cell,
        answers.*
    from answers
    semi join unknown_codes
        on answers.municipality_code is not distinct from unknown_codes.municipality_code
    union all
    select
        'duplicate municipality' as issue_kind,
        null as item_code,
        null as value_type,
        duplicate_cells.n_answers_same_cell,
        answers.*
    from answers
    inner join duplicate_cells
        on
            answers.edition_id = duplicate_cells.edition_id
            and answers.question_id = duplicate_cells.question_id
            and answers.municipality_code = duplicate_cells.municipality_code
),

located as (
    select
        issue_kind,
        item_code,
        value_type,
        n_answers_same_cell,
        edition_id,
        municipality_code,
        raw_value,
        'answers ' || source_relation || ' row ' || seed_row
        || ' (file ' || coalesce(source_file, '?')
        || ' line ' || coalesce(cast(source_row as varchar), '?')
        || ' column ' || coalesce(cast(source_column as varchar), '?')
        || ', municipality ' || coalesce(municipality_code, 'null')
        || ', question ''' || coalesce(question_id, 'null') || ''')' as answer_location
    from flagged
),

final as (
    select
        issue_kind,
        answer_location || case issue_kind
            when 'unknown edition' then ': edition_id ''' || coalesce(edition_id, 'null') || ''''
            when 'unmapped question' then ': no cfg_item_crosswalk row for edition ''' || edition_id || ''''
            when 'unknown item' then ': item_code ''' || item_code || ''' is not in cfg_items'
            when 'unknown answer mark'
                then
                    ': value ''' || coalesce(raw_value, 'null')
                    || ''' is not in cfg_answer_vocabulary for value type ' || value_type
            when 'percent out of range'
                then
                    ': column raw_value, value ''' || raw_value
                    || ''' is a percent above 100 (rates are bounded to 0-100)'
            when 'unknown municipality code' then ': value ''' || coalesce(municipality_code, 'null') || ''''
            when 'duplicate municipality'
                then ': ' || n_answers_same_cell || ' answers for the same edition, question and municipality'
        end as message
    from located
)

select * from final
