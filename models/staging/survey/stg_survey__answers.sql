-- Every line of every answer file (source survey_answers.answer_files, a glob over data/answers/
-- read with a stated CSV format), the header line included: renamed and cast, nothing dropped.
-- Numbers that do not cast stay null beside their text (seed_row_text, source_row_text,
-- source_column_text) for the file-shape checks (int_survey_answer_issues__files). Ephemeral:
-- no relation in the warehouse (a view would read files relative to the project and break
-- anywhere else); its rows are stored once, by int_survey_answers_validated. File names are data
-- here, never SQL text. Marks stay raw.
{{ config(materialized='ephemeral') }}

with

source as (
    select * from {{ source('survey_answers', 'answer_files') }}
),

final as (
    select
        filename as file_path,
        regexp_extract(filename, '([^/]+)\.csv$', 1) as source_relation,
        seed_row as seed_row_text,
        try_cast(seed_row as integer) as seed_row,
        edition_id,
        source_file,
        source_row as source_row_text,
        try_cast(source_row as integer) as source_row,
        source_column as source_column_text,
        try_cast(source_column as integer) as source_column,
        municipality_code,
        municipality_name,
        question_group,
        question_id,
        raw_value,
        coalesce(
            seed_row = 'seed_row'
            and edition_id = 'edition_id'
            and source_file = 'source_file'
            and source_row = 'source_row'
            and source_column = 'source_column'
            and municipality_code = 'municipality_code'
            and municipality_name = 'municipality_name'
            and question_group = 'question_group'
            and question_id = 'question_id'
            and raw_value = 'raw_value',
            false
        ) as is_header
    from source
)

select * from final
