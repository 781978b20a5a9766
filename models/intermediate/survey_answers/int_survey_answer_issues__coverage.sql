-- Bodies an edition must answer and does not: a question of an edition whose expected_coverage
-- is all lacks a body of the code list, or one whose expected_coverage is substitutions lacks a
-- body cfg_substitutions takes from it. Editions with expected_coverage = partial cover the
-- bodies they answer. Only a short count (int_survey_answer_questions_placed) or the few
-- substituted bodies send a question to the body-by-body comparison. One row per missing body
-- and question (issue_kind, message naming the answer files, the edition, the question and the
-- body); int_survey_answers_validated stops the build on any. Ephemeral.
{{ config(materialized='ephemeral') }}

with

answers as (
    select * from {{ ref('int_survey_answers_unioned') }}
),

placed_questions as (
    select * from {{ ref('int_survey_answer_questions_placed') }}
),

municipalities as (
    select * from {{ ref('stg_mic__municipalities') }}
),

substitutions as (
    select * from {{ ref('cfg_substitutions') }}
),

short_questions as (
    select
        edition_id,
        question_id,
        target_edition_id,
        expected_coverage
    from placed_questions
    where
        item_code is not null
        and (
            expected_coverage = 'substitutions'
            or (expected_coverage = 'all' and n_bodies < (select count(*) from municipalities))
        )
),

expected_bodies as (
    select
        short_questions.edition_id,
        short_questions.question_id,
        municipalities.municipality_code,
        municipalities.municipality_name
    from short_questions
    cross join municipalities
    where short_questions.expected_coverage = 'all'
    union all
    select
        short_questions.edition_id,
        short_questions.question_id,
        municipalities.municipality_code,
        municipalities.municipality_name
    from short_questions
    inner join substitutions
        on short_questions.target_edition_id = substitutions.substitute_edition_id
    inner join municipalities
        on substitutions.municipality_code = municipalities.municipality_code
    where short_questions.expected_coverage = 'substitutions'
),

short_question_answers as (
    select
        answers.edition_id,
        answers.question_id,
        answers.municipality_code,
        answers.source_relation
    from answers
    semi join short_questions
        on
            answers.edition_id = short_questions.edition_id
            and answers.question_id = short_questions.question_id
),

missing_bodies as (
    select
        expected_bodies.*,
        (
            select string_agg(distinct question_answers.source_relation, ', ' order by question_answers.source_relation)
            from short_question_answers as question_answers
            where
                question_answers.edition_id = expected_bodies.edition_id
                and question_answers.question_id = expected_bodies.question_id
        ) as source_relations
    from expected_bodies
    anti join short_question_answers
        on
            expected_bodies.edition_id = short_question_answers.edition_id
            and expected_bodies.question_id = short_question_answers.question_id
            and expected_bodies.municipality_code = short_question_answers.municipality_code
),

final as (
    select
        'municipality missing from edition' as issue_kind,
        'answers ' || coalesce(source_relations, '?') || ', edition ''' || edition_id
        || ''', question ''' || question_id || ''' has no answer for ' || municipality_code || ' '
        || municipality_name as message
    from missing_bodies
)

select * from final
