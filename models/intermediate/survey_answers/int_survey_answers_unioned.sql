-- Every raw survey answer in one shape: the answer files' rows (stg_survey__answers, header lines
-- left out) and the card-issuance answers (stg_mic__mynumber_card_answers). Any file-shape
-- problem (int_survey_answer_issues__files) stops the build here, naming the file, the row and
-- the value (macro raise_on_issues). Ephemeral: its rows are stored once, by
-- int_survey_answers_validated, which keeps every raw column. Marks stay raw.
{{ config(materialized='ephemeral') }}

with

file_lines as (
    select * from {{ ref('stg_survey__answers') }}
),

file_issues as (
    select * from {{ ref('int_survey_answer_issues__files') }}
),

card_answers as (
    select * from {{ ref('stg_mic__mynumber_card_answers') }}
),

file_answers as (
    select
        source_relation || ':' || seed_row as raw_answer_id,
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
    from file_lines
    where not is_header
),

relation_answers as (
    select
        'stg_mic__mynumber_card_answers:' || cast(seed_row as varchar) as raw_answer_id,
        'stg_mic__mynumber_card_answers' as source_relation,
        cast(seed_row as integer) as seed_row,
        cast(edition_id as varchar) as edition_id,
        cast(source_file as varchar) as source_file,
        cast(source_row as integer) as source_row,
        cast(source_column as integer) as source_column,
        cast(municipality_code as varchar) as municipality_code,
        cast(municipality_name as varchar) as municipality_name,
        cast(question_group as varchar) as question_group,
        cast(question_id as varchar) as question_id,
        cast(raw_value as varchar) as raw_value
    from card_answers
),

final as (
    select * from file_answers
    where {{ raise_on_issues('file_issues', 'int_survey_answers_unioned') }}
    union all
    select * from relation_answers
)

select * from final
