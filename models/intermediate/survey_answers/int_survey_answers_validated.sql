-- Every raw answer placed: its edition, item and normalised status, with every raw column of the
-- answer files (the one table that stores them: int_survey_answers_unioned is ephemeral). Each
-- answer takes its placement from its question (int_survey_answer_questions_placed) and its
-- status from its mark (int_survey_answer_marks_read). Any answer that cannot be placed
-- (int_survey_answer_issues__rows: unknown edition, unmapped question, unknown mark, unknown or
-- duplicate municipality, a percent outside 0-100) or a body missing from an edition that covers
-- every body (int_survey_answer_issues__coverage) stops the build with a message naming the
-- file, its row and the value (macro raise_on_issues). No row is dropped.
-- Cost: the checks are ephemeral models made on small aggregates (per (edition, question), per
-- distinct (value type, raw value) pair, per distinct municipality code); rows are looked at one
-- by one only where an aggregate shows a problem. The answers are read once (DuckDB holds the
-- shared ephemeral CTE, int_survey_answers_unioned) and every check scans them from memory.
with

answers as not materialized (
    -- read in place: the rows are held once, by the ephemeral model's own CTE
    select
        raw_answer_id,
        source_relation,
        seed_row,
        edition_id,
        source_file,
        source_row,
        source_column,
        municipality_code,
        municipality_name,
        question_group,
        question_id,
        raw_value
    from {{ ref('int_survey_answers_unioned') }}
),

placed_questions as (
    select * from {{ ref('int_survey_answer_questions_placed') }}
),

marks as (
    select * from {{ ref('int_survey_answer_marks_read') }}
),

row_issues as (
    select * from {{ ref('int_survey_answer_issues__rows') }}
),

coverage_issues as (
    select * from {{ ref('int_survey_answer_issues__coverage') }}
),

issues as (
    select * from row_issues
    union all
    select * from coverage_issues
),

placed as (
    select
        answers.raw_answer_id,
        answers.source_relation,
        answers.seed_row,
        answers.edition_id,
        placed_questions.target_edition_id,
        placed_questions.edition_priority,
        placed_questions.analysis_fiscal_year,
        answers.source_file,
        answers.source_row,
        answers.source_column,
        answers.municipality_code,
        answers.municipality_name,
        answers.question_group,
        answers.question_id,
        answers.raw_value,
        placed_questions.item_code,
        placed_questions.survey_program,
        marks.answer_status,
        marks.value_numeric
    from answers
    inner join placed_questions
        on
            answers.edition_id is not distinct from placed_questions.edition_id
            and answers.question_id is not distinct from placed_questions.question_id
    left join marks
        on
            placed_questions.value_type = marks.value_type
            and answers.raw_value is not distinct from marks.raw_value
),

final as (
    select * from placed
    where {{ raise_on_issues('issues', 'int_survey_answers_validated') }}
)

select * from final
